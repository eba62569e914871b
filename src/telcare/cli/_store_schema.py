"""The store's tables as a user sees them, and as DuckDB keeps them.

:data:`TABLES` are the tables ``telcare export`` writes and docs/run.md lists, each
with its columns.  Two of them are views over narrower tables (:data:`STORED`), so a
month writes no column of 10^7 texts but the newcomers' ids: ``customers`` is
``customer_rows`` (the customer's ``key`` for its id, which ``members`` holds; the
tier columns as indices into the month's ladder, kept in ``labels``; the benefit
flags as one integer, bit ``j`` for ``BENEFIT_CODES[j]``) and ``service`` is
``service_rows`` (the key for the id).  The views give the same rows and columns
the tables did.

>>> [c for c, _ in declared(TABLES["service"])]
['month', 'customer_id', 'manager', 'status', 'eligible_since', 'due_by']
>>> BEHIND["service"]
'service_rows'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telcare._core.errors import InvalidInput
from telcare.policy import BENEFIT_CODES

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["BEHIND", "CODED", "STORED", "TABLES", "VIEWS", "connect", "declared", "duckdb_module"]

_MONTH = "month VARCHAR NOT NULL"
_BENEFITS = ", ".join(f"benefit_{c} BOOLEAN" for c in BENEFIT_CODES)
#: Each table's columns as a user sees them (a view's as its query gives them).
TABLES: dict[str, str] = {
    "runs": f"{_MONTH} PRIMARY KEY, customers BIGINT, source VARCHAR, digest VARCHAR, "
            "accrue_on DATE, redeem_on DATE, expire_on DATE, telcare_version VARCHAR, "
            "source_digest VARCHAR",
    "members": f"{_MONTH}, customer_id VARCHAR NOT NULL, key BIGINT NOT NULL",
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
    "closed": f"{_MONTH}, customer_id VARCHAR",
    "watch": f"{_MONTH}, customer_id VARCHAR, operator VARCHAR",
    # the due actions of the events file (cli/_run_events_due.py)
    "due": f"{_MONTH}, customer_id VARCHAR, moment VARCHAR, opened_on DATE, due_by DATE, "
           "status VARCHAR, channel VARCHAR, priority BIGINT, closed_on DATE, outcome VARCHAR, "
           "reason VARCHAR, reason_params VARCHAR",
    # the policy the month ran under, as JSON: earlier months' points are rebuilt under it
    "policies": f"{_MONTH}, policy VARCHAR",
}  # fmt: skip
#: The tables of :data:`TABLES` that are views, with the table each reads.
BEHIND: dict[str, str] = {"customers": "customer_rows", "service": "service_rows"}
#: The columns of ``customer_rows`` held as indices into the month's ``labels``.
CODED: tuple[str, ...] = ("tier_held", "tier", "qualified")
assert len(BENEFIT_CODES) < 31  # the benefit flags fit the bits of an INTEGER
#: The tables DuckDB keeps: :data:`TABLES` but the views, and what the views read.
STORED: dict[str, str] = {
    **{t: c for t, c in TABLES.items() if t not in BEHIND},
    "customer_rows": f"{_MONTH}, key BIGINT NOT NULL, tier_held INTEGER, tier INTEGER, "
                     "missed BIGINT, qualified INTEGER, segment BOOLEAN, points_earned BIGINT, "
                     "points_redeemed BIGINT, points_balance BIGINT, suspend BOOLEAN, "
                     "credit_colour TINYINT, benefits INTEGER",
    "service_rows": f"{_MONTH}, key BIGINT NOT NULL, manager VARCHAR, status VARCHAR, "
                    "eligible_since DATE, due_by DATE",
    # the labels of a table's coded column in a month (customer_rows' tiers: the ladder)
    "labels": f'{_MONTH}, "table" VARCHAR, "column" VARCHAR, labels VARCHAR[]',
}  # fmt: skip


def declared(columns: str) -> list[tuple[str, str]]:
    """(name, type) of each column of a :data:`TABLES` or :data:`STORED` declaration."""
    return [(c.split()[0].strip('"'), c.split()[1]) for c in columns.split(", ")]


def _label_joins(table: str) -> str:
    return " ".join(
        f"LEFT JOIN labels l_{c} ON l_{c}.month = s.month AND l_{c}.\"table\" = '{table}' "
        f"AND l_{c}.\"column\" = '{c}'"
        for c in CODED
    )


def _customers_view() -> str:
    def column(name: str) -> str:
        if name == "customer_id":
            return "m.customer_id"
        if name in CODED:
            return f"l_{name}.labels[s.{name} + 1] AS {name}"
        if name.startswith("benefit_"):
            bit = 1 << BENEFIT_CODES.index(name.removeprefix("benefit_"))
            return f"(s.benefits & {bit}) <> 0 AS {name}"
        return f"s.{name}"

    columns = ", ".join(column(c) for c, _ in declared(TABLES["customers"]))
    return (f"SELECT {columns} FROM customer_rows s LEFT JOIN members m ON m.key = s.key "
            f"{_label_joins('customers')}")  # fmt: skip


#: The views, in the order they are made: those of :data:`BEHIND`, then ``postings``.
VIEWS_MADE: dict[str, str] = {
    "customers": _customers_view(),
    "service": "SELECT s.month, m.customer_id, s.manager, s.status, s.eligible_since, s.due_by "
               "FROM service_rows s LEFT JOIN members m ON m.key = s.key",
    "postings": "SELECT month, customer_id, 'accrued' AS kind, points_earned AS points FROM "
                "customers WHERE points_earned <> 0 UNION ALL SELECT month, customer_id, "
                "'redeemed', points_redeemed FROM customers WHERE points_redeemed <> 0",
}  # fmt: skip
#: The views exported beside :data:`TABLES`.
VIEWS: dict[str, str] = {"postings": VIEWS_MADE["postings"]}


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
    is not a DuckDB database, or a database without telcare's tables, is refused."""
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
