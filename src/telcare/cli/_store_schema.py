"""The store's tables as a user sees them, and as DuckDB keeps them.

:data:`TABLES` are the tables ``telcare export`` writes and docs/run.md lists, each
with its columns.  Six of them are views (:data:`BEHIND`) over narrower tables
(:data:`STORED`), so that a month writes no column of 10^7 texts: ``members`` keeps
an id that is a decimal numeral as its number (:func:`id_parts`); ``customers``,
``moments``, ``warnings``, ``service`` and ``closed`` keep the customer's ``key`` for
its id, their text columns (:data:`CODED`) as indices into the month's ``labels``
(``customers``' tiers: the policy's ladder), and ``customers`` its benefit flags,
segment and suspension as the bits of one ``flags`` (:data:`FLAGS`); their ``month``
is its first day, a DATE (:func:`month_day`).  The views give the same rows and
columns the tables did.

>>> [c for c, _ in declared(TABLES["service"])]
['month', 'customer_id', 'manager', 'status', 'eligible_since', 'due_by']
>>> BEHIND["service"]
'service_rows'
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from telcare._core.errors import InvalidInput
from telcare.cli._run_refusals import refused
from telcare.policy import BENEFIT_CODES

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["BEHIND", "CODED", "DAYS", "FLAGS", "STORED", "TABLES", "VIEWS", "connect", "declared",
           "duckdb_module", "id_parts", "month_day"]  # fmt: skip

_MONTH = "month VARCHAR NOT NULL"
#: The month of a table behind a view, as its first day: DuckDB writes a DATE in a fifth
#: of the time of a text, even the same text in every row.
_DAY = "month DATE NOT NULL"
#: A DATE ``month`` as the view gives it ('2010-10').
_LABEL = "printf('%04d-%02d', year(s.month), month(s.month)) AS month"
_BENEFITS = ", ".join(f"benefit_{c} BOOLEAN" for c in BENEFIT_CODES)
#: Each table's columns as a user sees them (a view's as its query gives them).
TABLES: dict[str, str] = {
    "runs": f"{_MONTH} PRIMARY KEY, customers BIGINT, source VARCHAR, digest VARCHAR, "
            "accrue_on DATE, redeem_on DATE, expire_on DATE, telcare_version VARCHAR, "
            "source_digest VARCHAR",
    "members": "month VARCHAR, customer_id VARCHAR, key BIGINT",
    "customers": "month VARCHAR, customer_id VARCHAR, tier_held VARCHAR, tier VARCHAR, "
                 "missed BIGINT, qualified VARCHAR, segment BOOLEAN, points_earned BIGINT, "
                 "points_redeemed BIGINT, points_balance BIGINT, suspend BOOLEAN, "
                 f"credit_colour TINYINT, {_BENEFITS}, key BIGINT",
    "moments": f"{_MONTH}, customer_id VARCHAR, moment VARCHAR, status VARCHAR, opened_on DATE, due_by DATE",
    "calls": f"{_MONTH}, agent VARCHAR, position BIGINT, customer_id VARCHAR, offer VARCHAR, score DOUBLE",
    "figures": f"{_MONTH}, figure VARCHAR, value BIGINT",
    "reports": f"{_MONTH}, report VARCHAR, level VARCHAR, \"group\" VARCHAR, measure VARCHAR, value DOUBLE",
    "warnings": f"{_MONTH}, customer_id VARCHAR, moment VARCHAR, due_by DATE, overdue BOOLEAN, "
                "value_at_risk BIGINT, owner VARCHAR",
    # the service list, the month's closed accounts and the watch list (cli/_run_actions.py)
    "service": "month VARCHAR, customer_id VARCHAR, manager VARCHAR, status VARCHAR, "
               "eligible_since DATE, due_by DATE",
    "closed": "month VARCHAR, customer_id VARCHAR",
    "watch": f"{_MONTH}, customer_id VARCHAR, operator VARCHAR",
    # the due actions of the events file (cli/_run_events_due.py)
    "due": f"{_MONTH}, customer_id VARCHAR, moment VARCHAR, opened_on DATE, due_by DATE, "
           "status VARCHAR, channel VARCHAR, priority BIGINT, closed_on DATE, outcome VARCHAR, "
           "reason VARCHAR, reason_params VARCHAR",
    # the policy the month ran under, as JSON: earlier months' points are rebuilt under it
    "policies": f"{_MONTH}, policy VARCHAR",
}  # fmt: skip
#: The tables of :data:`TABLES` that are views, with the table each reads: the keyed
#: tables hold the customer's ``key`` for its ``customer_id``.
BEHIND: dict[str, str] = {"members": "member_rows", "customers": "customer_rows",
                          "moments": "moment_rows", "warnings": "warning_rows",
                          "service": "service_rows", "closed": "closed_rows"}  # fmt: skip
#: The columns of each keyed table held as indices into the month's ``labels``.
CODED: dict[str, tuple[str, ...]] = {
    "customers": ("tier_held", "tier", "qualified"), "moments": ("moment", "status"),
    "warnings": ("moment", "owner"), "service": ("manager", "status"), "closed": (),
}  # fmt: skip
#: The flags of ``customers`` kept as the bits of its ``flags``: bit ``j`` for ``FLAGS[j]``.
FLAGS: tuple[str, ...] = (*(f"benefit_{c}" for c in BENEFIT_CODES), "segment", "suspend")
assert len(FLAGS) < 32  # they fit the bits of an INTEGER


def declared(columns: str) -> list[tuple[str, str]]:
    """(name, type) of each column of a :data:`TABLES` or :data:`STORED` declaration."""
    return [(c.split()[0].strip('"'), c.split()[1]) for c in columns.split(", ")]


def _rows_of(table: str) -> str:
    """The declaration of the table behind the keyed view ``table``."""
    out = [_DAY, "key BIGINT NOT NULL"]
    for name, typ in declared(TABLES[table])[1:]:
        if name in CODED[table]:
            out.append(f"{name} INTEGER")
        elif name not in ("customer_id", "key", *FLAGS):
            out.append(f'"{name}" {typ}' if name == "group" else f"{name} {typ}")
    return ", ".join(out + (["flags INTEGER"] if table == "customers" else []))


def _view(table: str) -> str:
    """The query of the keyed view ``table``: its ids from ``members``, its labels from
    ``labels``, its flags from ``flags``."""

    def column(name: str) -> str:
        if name == "month":
            return _LABEL
        if name == "customer_id":
            return "m.customer_id"
        if name in CODED[table]:
            return f"l_{name}.labels[s.{name} + 1] AS {name}"
        if name in FLAGS and table == "customers":
            return f"(s.flags & {1 << FLAGS.index(name)}) <> 0 AS {name}"
        return f"s.{name}"

    columns = ", ".join(column(c) for c, _ in declared(TABLES[table]))
    joins = "".join(
        f" LEFT JOIN labels l_{c} ON l_{c}.month = s.month AND l_{c}.\"table\" = '{table}' "
        f"AND l_{c}.\"column\" = '{c}'"
        for c in CODED[table]
    )
    return f"SELECT {columns} FROM {BEHIND[table]} s LEFT JOIN members m ON m.key = s.key{joins}"


#: The tables DuckDB keeps: :data:`TABLES` but the views, and what the views read.
STORED: dict[str, str] = {
    **{t: c for t, c in TABLES.items() if t not in BEHIND},
    # an id that is a decimal numeral (no sign, no leading 0, at most 18 digits) as its
    # number, any other as its text (:func:`id_parts`)
    "member_rows": f"{_DAY}, key BIGINT NOT NULL, number BIGINT, text VARCHAR",
    **{BEHIND[t]: _rows_of(t) for t in CODED},
    # the labels of a table's coded column in a month (customer_rows' tiers: the ladder)
    "labels": f'{_DAY}, "table" VARCHAR, "column" VARCHAR, labels VARCHAR[]',
}  # fmt: skip
#: The tables whose ``month`` is its first day (a DATE).
DAYS: frozenset[str] = frozenset((*BEHIND.values(), "labels"))
#: The views, in the order they are made: ``members``, those that read it, ``postings``.
VIEWS_MADE: dict[str, str] = {
    "members": f"SELECT {_LABEL}, COALESCE(s.text, CAST(s.number AS VARCHAR)) AS customer_id, "
               "s.key FROM member_rows s",
    **{t: _view(t) for t in CODED},
    "postings": "SELECT month, customer_id, 'accrued' AS kind, points_earned AS points FROM "
                "customers WHERE points_earned <> 0 UNION ALL SELECT month, customer_id, "
                "'redeemed', points_redeemed FROM customers WHERE points_redeemed <> 0",
}  # fmt: skip
#: The views exported beside :data:`TABLES`.
VIEWS: dict[str, str] = {"postings": VIEWS_MADE["postings"]}
#: Every table and view of a store: one of anything else, in a database without ``runs``,
#: makes it the operator's own database, not a telcare store (:func:`connect`).
OWN: frozenset[str] = frozenset((*STORED, *VIEWS_MADE))
#: The operator's tables a refusal names (``count`` says how many there are).
NAMED = 5


def month_day(label: str) -> date:
    """The first day of the month ``label`` ('2010-10'): the ``month`` of :data:`DAYS`.

    >>> month_day("2010-10")
    datetime.date(2010, 10, 1)
    """
    return date(int(label[:4]), int(label[5:7]), 1)


def id_parts(ids: Any) -> tuple[Any, Any]:
    """The Arrow ``ids`` as ``member_rows`` keeps them: each id that is a decimal numeral
    (ASCII digits, no leading 0, at most 18: it fits a BIGINT and prints back the same)
    as its number, the others as their text, each null where the other is set.  DuckDB
    writes a number in a tenth of the time of a text.

    >>> import pyarrow as pa
    >>> number, text = id_parts(pa.array(["13800000001", "0135", "A7", "٣", "9" * 19]))
    >>> number.to_pylist(), text.to_pylist()
    ([13800000001, None, None, None, None], [None, '0135', 'A7', '٣', '9999999999999999999'])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    numeral = pc.and_(pc.ascii_is_decimal(ids), pc.less_equal(pc.binary_length(ids), 18))
    numeral = pc.and_(numeral, pc.invert(pc.starts_with(ids, "0")))
    n, count = len(ids), pc.sum(numeral).as_py() or 0
    if count == n:
        return pc.cast(ids, pa.int64()), pa.nulls(n, pa.string())
    if count == 0:
        return pa.nulls(n, pa.int64()), ids
    return pc.cast(pc.if_else(numeral, ids, None), pa.int64()), pc.if_else(numeral, None, ids)


def duckdb_module() -> Any:
    """The ``duckdb`` module, or ``InvalidInput`` saying how to install it."""
    try:
        import duckdb
        import pyarrow  # noqa: F401  (the store reads and writes its columns as Arrow)
    except ImportError:
        raise InvalidInput(
            "telcare run keeps its state in DuckDB and moves its columns as Arrow, and "
            "duckdb or pyarrow is not installed: pip install 'telcare[run]'"
        ) from None
    return duckdb


def _is_duckdb_file(path: str) -> bool:
    """Whether ``path`` is absent or a DuckDB database ("DUCK" at byte 8): DuckDB opens
    a CSV, Parquet or JSON file as an in-memory database, which keeps nothing."""
    try:
        with open(path, "rb") as f:
            return f.read(12)[8:] == b"DUCK"
    except OSError:
        return True  # absent (DuckDB creates it), or DuckDB names the problem


def _older(path: str, why: str) -> InvalidInput:
    return InvalidInput(f"--store: {path!r} was written by an older telcare run ({why}); run "
                        "its months into a new store")  # fmt: skip


def _foreign(con: DuckDBPyConnection, have: dict[str, list[tuple[str, str]]]) -> list[str]:
    """The tables and views of a database without ``runs`` that are not telcare's
    (``schema.name`` outside ``main``), sorted: any not named as telcare's, and any named
    so without the ``month`` column every telcare table and view has (``have``: the
    columns of ``main``'s)."""
    rows = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name "
                       "= current_database() AND NOT internal AND NOT temporary UNION ALL SELECT "
                       "schema_name, view_name FROM duckdb_views() WHERE database_name = "
                       "current_database() AND NOT internal AND NOT temporary").fetchall()  # fmt: skip
    names = (name if schema == "main" else f"{schema}.{name}" for schema, name in rows)
    ours = {n for n in OWN if "month" in {c for c, _ in have.get(n, ())}}
    return sorted(n for n in names if n not in ours)


def _check_tables(con: DuckDBPyConnection, path: str, read_only: bool) -> None:
    """Refuse a store whose tables are not telcare's (``InvalidInput`` naming it)."""
    rows = con.execute("SELECT c.table_name, c.column_name, c.data_type, t.table_type FROM "
                       "information_schema.columns c JOIN information_schema.tables t USING "
                       "(table_catalog, table_schema, table_name) WHERE c.table_schema = "
                       "'main' AND c.table_catalog = current_database() ORDER BY "
                       "c.table_name, c.ordinal_position").fetchall()  # fmt: skip
    have: dict[str, list[tuple[str, str]]] = {}
    kind: dict[str, str] = {}
    for table, column, typ, table_type in rows:
        have.setdefault(table, []).append((column, typ))
        kind[table] = table_type
    foreign = [] if read_only or "runs" in have else _foreign(con, have)
    if foreign:  # the operator's own database: telcare adds no table beside its tables
        shown = ", ".join(foreign[:NAMED]) + (", ..." if len(foreign) > NAMED else "")
        raise refused("run.store.foreign", path=path, count=len(foreign), tables=shown)
    if "customers" in have and "key" not in {c for c, _ in have["customers"]}:
        raise _older(path, "its customers have no key")
    for view in BEHIND:
        if kind.get(view, "VIEW") != "VIEW":
            raise _older(path, f"its {view} are a table, not the view of {BEHIND[view]}")
    if read_only and "runs" not in have:
        raise InvalidInput(f"--store: {path!r} is not a telcare store (it has no table runs)")
    for name, columns in (*STORED.items(), *((v, TABLES[v]) for v in BEHIND)):
        if name in have and have[name] != declared(columns):
            raise InvalidInput(f"--store: {path!r} is not a telcare store of this version: its "
                               f"table {name} has the columns {[c for c, _ in have[name]]}, "
                               f"not telcare's {[c for c, _ in declared(columns)]}")  # fmt: skip


def connect(path: str, *, read_only: bool = False) -> DuckDBPyConnection:
    """The store at ``path`` (created with its tables unless ``read_only``); a file that
    is not a DuckDB database, a database whose tables are not telcare's, or (to write) one
    holding tables of its own and no telcare store (``run.store.foreign``) is refused; an
    empty database is made a store."""
    duckdb = duckdb_module()
    if not _is_duckdb_file(path):
        raise InvalidInput(f"--store: {path!r} is not a DuckDB database (a DuckDB file "
                           "has 'DUCK' at byte 8); give a .duckdb file or a new path")  # fmt: skip
    try:
        con: DuckDBPyConnection = duckdb.connect(path, read_only=read_only)
    except duckdb.Error as exc:
        raise InvalidInput(f"--store: cannot open {path!r} as a DuckDB database: {exc}") from None
    try:
        _check_tables(con, path, read_only)
    except InvalidInput:
        con.close()
        raise
    if not read_only:
        for name, columns in STORED.items():
            con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({columns})")
        for name, query in VIEWS_MADE.items():
            con.execute(f"CREATE VIEW IF NOT EXISTS {name} AS {query}")
    return con
