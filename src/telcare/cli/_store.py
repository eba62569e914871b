"""The DuckDB store of ``telcare run``: every table keyed by month, one transaction a run.

The tables (docs/run.md): ``runs`` (one row per month run: the extract's digests and
the posting days), ``members`` (every customer the store has seen, with the month it
came and its ``key``: the customer's row in the points book), ``customers`` (each customer's month: tiers,
segment, points, suspension, credit colour, a column per benefit), ``moments`` (the
actions the scan opened), ``calls`` (the call lists) and ``figures`` (the month's
counts by name); ``postings`` (each customer's points accrued and redeemed) is a view
of ``customers``.  Every
column is written from Arrow or numpy in one insert per table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.errors import InsufficientPoints, InvalidInput
from telcare.cli._month import Days, Month, Previous
from telcare.cli._run_policies import book_policy
from telcare.points import PointsBook
from telcare.policy import BENEFIT_CODES, Policy

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["TABLES", "VIEWS", "Keys", "arrow_column", "connect", "keys_of", "last_state", "months_run", "replay_book",
           "run_row", "stored_source", "write_month"]  # fmt: skip

_MONTH = "month VARCHAR NOT NULL"
#: Each table's columns as DuckDB declares them.
TABLES: dict[str, str] = {
    "runs": f"{_MONTH} PRIMARY KEY, customers BIGINT, source VARCHAR, digest VARCHAR, "
            "accrue_on DATE, redeem_on DATE, expire_on DATE, telcare_version VARCHAR, "
            "source_digest VARCHAR",
    "members": f"{_MONTH}, customer_id VARCHAR NOT NULL, key BIGINT NOT NULL",
    "customers": f"{_MONTH}, customer_id VARCHAR NOT NULL, tier_held VARCHAR, tier VARCHAR, "
                 "missed BIGINT, qualified VARCHAR, segment BOOLEAN, points_earned BIGINT, "
                 "points_redeemed BIGINT, points_balance BIGINT, suspend BOOLEAN, "
                 "credit_colour TINYINT, "
                 + ", ".join(f"benefit_{c} BOOLEAN" for c in BENEFIT_CODES) + ", key BIGINT",
    "moments": f"{_MONTH}, customer_id VARCHAR, moment VARCHAR, status VARCHAR, opened_on DATE, due_by DATE",
    "calls": f"{_MONTH}, agent VARCHAR, position BIGINT, customer_id VARCHAR, offer VARCHAR, score DOUBLE",
    "figures": f"{_MONTH}, figure VARCHAR, value BIGINT",
    "reports": f"{_MONTH}, report VARCHAR, level VARCHAR, \"group\" VARCHAR, measure VARCHAR, value DOUBLE",
    "warnings": f"{_MONTH}, customer_id VARCHAR, moment VARCHAR, due_by DATE, overdue BOOLEAN, "
                "value_at_risk BIGINT, owner VARCHAR",
    # the service list, the month's closed accounts and the watch list (cli/_run_actions.py)
    "service": f"{_MONTH}, customer_id VARCHAR, manager VARCHAR, status VARCHAR, "
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
#: Views over the tables, exported like them.
VIEWS: dict[str, str] = {
    "postings": "SELECT month, customer_id, 'accrued' AS kind, points_earned AS points FROM "
                "customers WHERE points_earned <> 0 UNION ALL SELECT month, customer_id, "
                "'redeemed', points_redeemed FROM customers WHERE points_redeemed <> 0",
}  # fmt: skip


#: DuckDB's memory while it writes the month (the default, 80% of the machine's, let it
#: hold 2 GiB of uncompressed blocks at 10^7 customers).
WRITE_MEMORY = "256MB"


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


def _declared(columns: str) -> list[tuple[str, str]]:
    """(name, type) of each column of a :data:`TABLES` declaration."""
    return [(c.split()[0].strip('"'), c.split()[1]) for c in columns.split(", ")]


def _is_duckdb_file(path: str) -> bool:
    """Whether ``path`` is absent or a DuckDB database ("DUCK" at byte 8): DuckDB opens
    a CSV, Parquet or JSON file as an in-memory database, which keeps nothing."""
    try:
        with open(path, "rb") as f:
            return f.read(12)[8:] == b"DUCK"
    except OSError:
        return True  # absent (DuckDB creates it), or DuckDB names the problem


def _check_tables(con: DuckDBPyConnection, path: str, read_only: bool) -> None:
    """Refuse a store whose tables are not telcare's (``InvalidInput`` naming it)."""
    rows = con.execute("SELECT table_name, column_name, data_type FROM information_schema."
                       "columns WHERE table_schema = 'main' AND table_catalog = "
                       "current_database() ORDER BY table_name, ordinal_position").fetchall()  # fmt: skip
    have: dict[str, list[tuple[str, str]]] = {}
    for table, column, typ in rows:
        have.setdefault(table, []).append((column, typ))
    if "customers" in have and "key" not in {c for c, _ in have["customers"]}:
        raise InvalidInput(f"--store: {path!r} was written by an older telcare run (its "
                           "customers have no key); run its months into a new store")  # fmt: skip
    if read_only and "runs" not in have:
        raise InvalidInput(f"--store: {path!r} is not a telcare store (it has no table runs)")
    for name, columns in TABLES.items():
        if name in have and have[name] != _declared(columns):
            raise InvalidInput(f"--store: {path!r} is not a telcare store of this version: its "
                               f"table {name} has the columns {[c for c, _ in have[name]]}, "
                               f"not telcare's {[c for c, _ in _declared(columns)]}")  # fmt: skip


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
        for name, columns in TABLES.items():
            con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({columns})")
        for name, query in VIEWS.items():
            con.execute(f"CREATE VIEW IF NOT EXISTS {name} AS {query}")
    return con


def months_run(con: DuckDBPyConnection) -> dict[str, str]:
    """The months in the store, oldest first, with their extracts' digests."""
    return dict(con.execute("SELECT month, digest FROM runs ORDER BY month").fetchall())


def stored_source(con: DuckDBPyConnection, month: str) -> str | None:
    """The digest of the input (file bytes or generator options) ``month`` was run from."""
    got = con.execute("SELECT source_digest FROM runs WHERE month = ?", [month]).fetchall()
    return got[0][0] if got else None


@attrs.frozen(slots=True, eq=False)
class Keys:
    """Each extract row's key (its row in the store's points book), the number of keys
    with this month's newcomers, and the extract rows new to the store."""

    rows: npt.NDArray[np.int64]
    total: int
    new: npt.NDArray[np.int64]


def keys_of(con: DuckDBPyConnection, ids: Any) -> Keys:
    """The keys of the Arrow ``ids``: the store's for those it knows (a hash join in
    DuckDB, no Python string per row), the next free ones, in file order, for the rest."""
    import pyarrow as pa

    n = len(ids)
    con.register("telcare_ids", pa.table({"customer_id": ids, "pos": np.arange(n)}))
    try:
        got = con.execute("SELECT e.pos, m.key FROM telcare_ids e JOIN members m "
                          "USING (customer_id)").fetchnumpy()  # fmt: skip
    finally:
        con.unregister("telcare_ids")
    known = int(con.execute("SELECT count(*) FROM members").fetchall()[0][0])
    rows = np.full(n, -1, dtype=np.int64)
    rows[np.asarray(got["pos"], dtype=np.int64)] = np.asarray(got["key"], dtype=np.int64)
    new = np.flatnonzero(rows < 0)
    rows[new] = known + np.arange(len(new))
    return Keys(rows, known + len(new), new)


def _tier_codes(policy: Policy) -> str:
    return "[" + ", ".join("'" + c.replace("'", "''") + "'" for c in policy.tiers.codes) + "]"


def _states(con: DuckDBPyConnection, where: str, params: list[Any], policy: Policy,
            what: str) -> dict[str, Any]:  # fmt: skip
    """Key, tier index, missed, colour and suspension of the ``customers`` rows ``where``
    selects; a tier the policy's ladder lacks is refused naming ``what``."""
    ladder = _tier_codes(policy)
    got: dict[str, Any] = con.execute(
        # NULL (a tier off the ladder) as -1: fetchnumpy fills a masked NULL with 0
        f"SELECT key, CAST(COALESCE(list_position({ladder}, tier), 0) - 1 AS BIGINT) AS t, "
        f"missed, credit_colour, suspend FROM customers WHERE {where}", params).fetchnumpy()  # fmt: skip
    if (np.asarray(got["t"], dtype=np.int64) < 0).any():
        odd = con.execute(f"SELECT DISTINCT tier FROM customers WHERE {where} AND "
                          f"list_position({ladder}, tier) IS NULL ORDER BY 1 LIMIT 5", params)  # fmt: skip
        raise InvalidInput(f"the store's {what} holds tiers the policy's ladder lacks: "
                           f"{[r[0] for r in odd.fetchall()]}")  # fmt: skip
    return got


def last_state(con: DuckDBPyConnection, month: str | None, keys: Keys, policy: Policy) -> Previous:
    """The tier and missed evaluations each extract row's customer was left with by its
    latest month in the store up to ``month`` (the store's previous one): -1 for new.

    A customer the store knows but ``month`` lacks (absent from that extract) starts
    from its own latest month: it was not evaluated while absent (docs/run.md)."""
    n = len(keys.rows)
    if month is None:
        return Previous(np.full(n, -1, np.int64), np.zeros(n, np.int64))
    tier = np.full(keys.total, -1, np.int64)
    missed = np.zeros(keys.total, np.int64)
    colour, suspended = np.zeros(keys.total, np.int8), np.zeros(keys.total, bool)

    def put(got: dict[str, Any]) -> None:
        at = np.asarray(got["key"], dtype=np.int64)
        tier[at], missed[at] = got["t"], np.asarray(got["missed"], dtype=np.int64)
        colour[at], suspended[at] = got["credit_colour"], got["suspend"]

    put(_states(con, "month = ?", [month], policy, f"month {month}"))
    back = keys.rows[(tier[keys.rows] < 0) & (keys.rows < keys.total - len(keys.new))]
    if len(back):  # known, absent from the previous month: each one's latest month
        import pyarrow as pa

        con.register("telcare_back", pa.table({"key": back}))
        try:
            put(_states(con, "month < ? AND key IN (SELECT key FROM telcare_back) QUALIFY "
                        "row_number() OVER (PARTITION BY key ORDER BY month DESC) = 1",
                        [month], policy, "earlier months"))  # fmt: skip
        finally:
            con.unregister("telcare_back")
    r = keys.rows
    return Previous(tier[r], missed[r], colour[r], suspended[r])


def replay_book(con: DuckDBPyConnection, total: int, policy: Policy, start: date) -> PointsBook:
    """The points book over the store's ``total`` keys, rebuilt by replaying every month's
    points (each customer's ``points_earned`` and ``points_redeemed``) on its days, under
    the policy it ran under, then ``policy`` from ``start`` (:mod:`telcare.cli._run_policies`)."""
    runs = con.execute("SELECT month, accrue_on, redeem_on, expire_on FROM runs ORDER BY month")
    rows = runs.fetchall()
    follows = book_policy(con, [r[0] for r in rows], policy, start)
    book = PointsBook.empty(np.arange(total, dtype=np.int64), policy=follows)
    for month, accrue_on, redeem_on, expire_on in rows:
        got = con.execute("SELECT key, points_earned, points_redeemed FROM customers WHERE "
                          "month = ? AND (points_earned <> 0 OR points_redeemed <> 0)", [month])  # fmt: skip
        cols = got.fetchnumpy()
        at = np.asarray(cols["key"], dtype=np.int64)
        earned, redeemed = np.zeros(total, np.int64), np.zeros(total, np.int64)
        earned[at], redeemed[at] = cols["points_earned"], cols["points_redeemed"]
        try:
            book = book.post(accrue_on, earned).redeem(redeem_on, redeemed).expire(expire_on)
        except InsufficientPoints as exc:  # the book's ids are the keys
            who = con.execute("SELECT customer_id FROM members WHERE key = ?",
                              [int(exc.customer_id)]).fetchall()[0][0]  # fmt: skip
            raise InvalidInput(
                f"the store's month {month} cannot be rebuilt under the policy of this run (it "
                f"keeps no policy of its own): customer {who!r} redeemed {exc.requested} points "
                f"on {redeem_on}, and {exc.available} are spendable then; nothing changed "
                "(run with the policy the store's months ran under)"
            ) from None
    return book


def arrow_column(values: Any) -> Any:
    """``values`` as an Arrow array (numpy: NaT as null), or as they are if Arrow already."""
    import pyarrow as pa

    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values
    return pa.array(np.asarray(values), from_pandas=True)


def write_table(con: DuckDBPyConnection, table: str, month: str, columns: dict[str, Any]) -> None:
    """Append ``columns`` (one Arrow or numpy array per column of ``table`` but the month)
    as ``month``'s rows, in one insert."""
    import pyarrow as pa

    con.register("telcare_rows", pa.table({k: arrow_column(v) for k, v in columns.items()}))
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT ? AS month, * FROM telcare_rows", [month])
    finally:
        con.unregister("telcare_rows")


def run_row(n: int, source: str, digest: str, days: Days, version: str,
            source_digest: str) -> dict[str, Any]:  # fmt: skip
    """The ``runs`` row of a month."""
    day = np.array([days.accrue_on, days.redeem_on, days.expire_on], dtype="datetime64[D]")
    text = {"source": source, "digest": digest, "telcare_version": version,
            "source_digest": source_digest}  # fmt: skip
    return {"customers": np.array([n]), "accrue_on": day[:1], "redeem_on": day[1:2],
            "expire_on": day[2:], **{k: np.array([v], dtype=object) for k, v in text.items()}}  # fmt: skip


def labelled(month: Month, ids: Any, keys: Keys) -> dict[str, dict[str, Any]]:
    """The month's tables as the store writes them: ids for the extract rows (the ids
    themselves where a table has every row in order), labels for indices (Arrow
    dictionaries), the store's key of each customer, the newcomers."""
    import pyarrow as pa

    def coded(values: Any, labels: Any) -> Any:
        return pa.DictionaryArray.from_arrays(
            pa.array(np.asarray(values, np.int32)), pa.array(labels)
        )

    def take(rows: Any) -> Any:
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) == len(ids) and (rows == np.arange(len(rows))).all():
            return ids  # the customers: no copy of every id
        return ids.take(pa.array(rows))

    out: dict[str, dict[str, Any]] = {}
    for name, columns in month.tables.items():
        cols = dict(columns)
        if "row" in cols:
            cols = {"customer_id": take(cols.pop("row")), **cols}
        for column, labels in month.labels.get(name, {}).items():
            cols[column] = coded(cols[column], labels)
        out[name] = cols
    out["customers"]["key"] = keys.rows
    out["members"] = {"key": keys.rows[keys.new], "customer_id": take(keys.new)}
    return out


@contextmanager
def transaction(con: DuckDBPyConnection) -> Iterator[None]:
    """BEGIN ... COMMIT, or ROLLBACK on any exception (the store as it was)."""
    con.begin()
    try:
        yield
    except BaseException:
        con.rollback()
        raise
    con.commit()


def write_month(con: DuckDBPyConnection, month: str, result: Month, runs: dict[str, Any],
                ids: Any, keys: Keys, policy: Policy,
                before_commit: Callable[[dict[str, dict[str, Any]]], None] | None = None,
                ) -> dict[str, dict[str, Any]]:  # fmt: skip
    """Every table of ``month`` (run under ``policy``) in one transaction, then
    ``before_commit`` of the tables as written (its error rolls the month back); the
    tables as written."""
    tables = labelled(result, ids, keys)
    tables["policies"] = {"policy": np.array([policy.model_dump_json()], dtype=object)}
    figures = result.figures
    tables["figures"] = {"figure": np.array(list(figures), dtype=object),
                         "value": np.array(list(figures.values()), dtype=np.int64)}  # fmt: skip
    tables["runs"] = runs
    order = ("customers", "moments", "calls", "figures", "reports", "warnings", "service",
             "closed", "watch", "due", "members", "policies", "runs")  # fmt: skip
    # the rows are in memory already: DuckDB writes its blocks out rather than keep a copy
    con.execute(f"SET memory_limit = '{WRITE_MEMORY}'")
    try:
        with transaction(con):
            for table in order:
                write_table(con, table, month, tables[table])
            if before_commit is not None:
                before_commit(tables)
    finally:
        con.execute("RESET memory_limit")
    return tables


def table_rows(con: DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: what a rerun must leave as it was."""
    return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
            for t in (*TABLES, *VIEWS)}  # fmt: skip
