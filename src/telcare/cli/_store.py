"""The DuckDB store of ``telcare run``: every table keyed by month, one transaction a run.

The tables (docs/run.md): ``runs`` (one row per month run: the extract's digest and
the posting days), ``customers`` (each customer's month: tiers, segment, points,
suspension, credit colour, a column per benefit), ``moments`` (the actions the scan
opened), ``calls`` (the call lists), ``postings`` (each customer's points accrued and
redeemed: the points book is rebuilt by replaying them month by month) and
``figures`` (the month's counts by name).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import numpy as np

from telcare._core.errors import InvalidInput
from telcare.cli._month import Days, Month, Previous
from telcare.points import PointsBook
from telcare.policy import BENEFIT_CODES, Policy

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["TABLES", "connect", "last_state", "months_run", "replay_book", "run_row",
           "write_month"]  # fmt: skip

_MONTH = "month VARCHAR NOT NULL"
#: Each table's columns as DuckDB declares them.
TABLES: dict[str, str] = {
    "runs": f"{_MONTH} PRIMARY KEY, customers BIGINT, source VARCHAR, digest VARCHAR, "
            "accrue_on DATE, redeem_on DATE, expire_on DATE, telcare_version VARCHAR",
    "customers": f"{_MONTH}, customer_id VARCHAR NOT NULL, tier_held VARCHAR, tier VARCHAR, "
                 "missed BIGINT, qualified VARCHAR, segment BOOLEAN, points_earned BIGINT, "
                 "points_redeemed BIGINT, points_balance BIGINT, suspend BOOLEAN, "
                 "credit_colour TINYINT, "
                 + ", ".join(f"benefit_{c} BOOLEAN" for c in BENEFIT_CODES),
    "moments": f"{_MONTH}, customer_id VARCHAR, moment VARCHAR, status VARCHAR, opened_on DATE, due_by DATE",
    "calls": f"{_MONTH}, agent VARCHAR, position BIGINT, customer_id VARCHAR, offer VARCHAR, score DOUBLE",
    "postings": f"{_MONTH}, customer_id VARCHAR, kind VARCHAR, points BIGINT",
    "figures": f"{_MONTH}, figure VARCHAR, value BIGINT",
}  # fmt: skip


def duckdb_module() -> Any:
    """The ``duckdb`` module, or ``InvalidInput`` saying how to install it."""
    try:
        import duckdb
    except ImportError:
        raise InvalidInput(
            "telcare run keeps its state in DuckDB, which is not installed: "
            "pip install 'telcare[run]'"
        ) from None
    return duckdb


def connect(path: str, *, read_only: bool = False) -> DuckDBPyConnection:
    """The store at ``path`` (created with its tables unless ``read_only``)."""
    duckdb = duckdb_module()
    try:
        con: DuckDBPyConnection = duckdb.connect(path, read_only=read_only)
    except duckdb.Error as exc:
        raise InvalidInput(f"--store: cannot open {path!r} as a DuckDB database: {exc}") from None
    if not read_only:
        for name, columns in TABLES.items():
            con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({columns})")
    return con


def months_run(con: DuckDBPyConnection) -> dict[str, str]:
    """The months in the store, oldest first, with their extracts' digests."""
    return dict(con.execute("SELECT month, digest FROM runs ORDER BY month").fetchall())


def _aligned(ids: Any, known: Any) -> tuple[Any, Any]:
    """(found, where): which of ``ids`` are in the sorted ``known`` and at which row."""
    at = np.minimum(np.searchsorted(known, ids), max(len(known) - 1, 0))
    found = (known[at] == ids) if len(known) else np.zeros(len(ids), bool)
    return found, at


def last_state(con: DuckDBPyConnection, month: str | None, ids: Any, policy: Policy) -> Previous:
    """The tier and missed evaluations ``month`` left for ``ids`` (-1: not in the store)."""
    n = len(ids)
    if month is None:
        return Previous(np.full(n, -1, np.int64), np.zeros(n, np.int64))
    got = con.execute("SELECT customer_id, tier, missed FROM customers WHERE month = ? "
                      "ORDER BY customer_id", [month]).fetchnumpy()  # fmt: skip
    known = np.asarray(got["customer_id"], dtype=str)
    codes = np.asarray(policy.tiers.codes, dtype=str)
    order = np.argsort(codes)
    tier_text = np.asarray(got["tier"], dtype=str)
    where = np.minimum(np.searchsorted(codes[order], tier_text), len(codes) - 1)
    tier_index = order[where]
    if not (codes[tier_index] == tier_text).all():
        raise InvalidInput(f"the store's month {month} holds tiers the policy's ladder lacks: "
                           f"{sorted(set(tier_text) - set(codes))[:5]}")  # fmt: skip
    found, at = _aligned(np.asarray(ids, dtype=str), known)
    tier = np.where(found, tier_index[at] if len(known) else -1, -1)
    missed = np.where(found, np.asarray(got["missed"])[at] if len(known) else 0, 0)
    return Previous(tier.astype(np.int64), missed.astype(np.int64))


def replay_book(con: DuckDBPyConnection, ids: Any, policy: Policy) -> tuple[PointsBook, Any]:
    """The points book rebuilt from every month's postings, over every customer the store
    and this extract know, and the book's row of each of ``ids``."""
    stored = con.execute("SELECT DISTINCT customer_id FROM customers").fetchnumpy()["customer_id"]
    every = np.union1d(np.asarray(stored, dtype=str), np.asarray(ids, dtype=str))
    book = PointsBook.empty(every, policy=policy)
    runs = con.execute("SELECT month, accrue_on, redeem_on, expire_on FROM runs ORDER BY month")
    for month, accrue_on, redeem_on, expire_on in runs.fetchall():
        columns = {}
        for kind in ("accrued", "redeemed"):
            got = con.execute("SELECT customer_id, points FROM postings WHERE month = ? AND kind = ?",
                              [month, kind]).fetchnumpy()  # fmt: skip
            full = np.zeros(len(every), dtype=np.int64)
            full[np.searchsorted(every, np.asarray(got["customer_id"], dtype=str))] = got["points"]
            columns[kind] = full
        book = book.post(accrue_on, columns["accrued"]).redeem(redeem_on, columns["redeemed"])
        book = book.expire(expire_on)
    return book, np.searchsorted(every, np.asarray(ids, dtype=str))


def _insertable(columns: dict[str, Any]) -> dict[str, Any]:
    """Columns DuckDB's numpy scan reads: days as seconds (cast back to DATE on insert)."""
    out = {}
    for name, values in columns.items():
        arr = np.asarray(values)
        out[name] = arr.astype("datetime64[s]") if arr.dtype.kind == "M" else arr
    return out


def write_table(con: DuckDBPyConnection, table: str, month: str, columns: dict[str, Any]) -> None:
    """Append ``columns`` (one array per column of ``table`` but the month) as ``month``'s rows."""
    con.register("telcare_rows", _insertable(columns))
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT ? AS month, * FROM telcare_rows", [month])
    finally:
        con.unregister("telcare_rows")


def run_row(n: int, source: str, digest: str, days: Days, version: str) -> dict[str, Any]:
    """The ``runs`` row of a month."""
    day = np.array([days.accrue_on, days.redeem_on, days.expire_on], dtype="datetime64[D]")
    return {"customers": np.array([n]), "source": np.array([source], dtype=object),
            "digest": np.array([digest], dtype=object), "accrue_on": day[:1],
            "redeem_on": day[1:2], "expire_on": day[2:], "telcare_version": np.array([version], dtype=object)}  # fmt: skip


def _long_postings(book_ids: Any, postings: dict[str, Any]) -> dict[str, Any]:
    """The postings as rows: one per customer and kind with points (none for a zero)."""
    parts = [(np.flatnonzero(postings[k]), k) for k in ("accrued", "redeemed")]
    return {
        "customer_id": np.concatenate([np.asarray(book_ids, dtype=object)[i] for i, _ in parts]),
        "kind": np.concatenate([np.full(len(i), k, dtype=object) for i, k in parts]),
        "points": np.concatenate([postings[k][i] for i, k in parts]),
    }


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


def write_month(con: DuckDBPyConnection, month: str, result: Month, runs: dict[str, Any]) -> None:
    """Every table of ``month`` in one transaction."""
    figures = result.figures
    writes = [
        ("customers", result.tables["customers"]),
        ("moments", result.tables["moments"]),
        ("calls", result.tables["calls"]),
        ("postings", _long_postings(result.book.ids, result.tables["postings"])),
        ("figures", {"figure": np.array(list(figures), dtype=object),
                     "value": np.array(list(figures.values()), dtype=np.int64)}),
        ("runs", runs),
    ]  # fmt: skip
    with transaction(con):
        for table, columns in writes:
            write_table(con, table, month, columns)


def table_rows(con: DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: what a rerun must leave as it was."""
    return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
