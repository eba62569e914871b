"""The DuckDB store of ``telcare run``: every table keyed by month, one transaction a run.

The tables (docs/run.md; their columns, and how DuckDB keeps them, in
:mod:`telcare.cli._store_schema`): ``runs`` (one row per month run: the extract's
digests and the posting days), ``members`` (every customer the store has seen, with
the month it came and its ``key``: the customer's row in the points book),
``customers`` (each customer's month: tiers, segment, points, suspension, credit
colour, a column per benefit), ``moments`` (the actions the scan opened), ``calls``
(the call lists) and ``figures`` (the month's counts by name); ``postings`` (each
customer's points accrued and redeemed) is a view of ``customers``.  Every column is
written from Arrow or numpy in one insert per table.
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
from telcare.cli._run_refusals import refused
from telcare.cli._store_schema import (
    BEHIND,
    CODED,
    DAYS,
    FLAGS,
    TABLES,
    VIEWS,
    connect,
    duckdb_module,
    id_parts,
    month_day,
)
from telcare.points import PointsBook
from telcare.policy import Policy

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["TABLES", "VIEWS", "Keys", "arrow_column", "connect", "duckdb_module", "keys_of",
           "last_state", "months_run", "replay_book", "run_row", "stored_source", "write_month"]  # fmt: skip

#: DuckDB's memory while it writes the month (the default, 80% of the machine's, let it
#: hold 2 GiB of uncompressed blocks at 10^7 customers).
WRITE_MEMORY = "256MB"
#: The largest figure the store's ``figures`` (BIGINT) hold.
_INT64_MAX = 2**63 - 1


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
    """The keys of the Arrow ``ids``: the store's for those it knows (hash joins in
    DuckDB on the ids' numbers and texts, no Python string per row), the next free
    ones, in file order, for the rest."""
    import pyarrow as pa

    n = len(ids)
    known = int(con.execute("SELECT count(*) FROM member_rows").fetchall()[0][0])
    rows = np.full(n, -1, dtype=np.int64)
    if known:
        number, text = id_parts(ids)
        con.register("telcare_ids", pa.table({"number": number, "text": text, "pos": np.arange(n)}))
        try:
            got = con.execute("SELECT e.pos, m.key FROM telcare_ids e JOIN member_rows m ON "
                              "e.number = m.number UNION ALL SELECT e.pos, m.key FROM "
                              "telcare_ids e JOIN member_rows m ON e.text = m.text").fetchnumpy()  # fmt: skip
        finally:
            con.unregister("telcare_ids")
        rows[np.asarray(got["pos"], dtype=np.int64)] = np.asarray(got["key"], dtype=np.int64)
    new = np.flatnonzero(rows < 0)
    rows[new] = known + np.arange(len(new))
    return Keys(rows, known + len(new), new)


#: ``customer_rows`` with each row's tier as its label (what ``last_state`` reads).
_TIERED = ("(SELECT s.month, s.key, l.labels[s.tier + 1] AS tier, s.missed, s.credit_colour, "
           f"(s.flags & {1 << FLAGS.index('suspend')}) <> 0 AS suspend FROM customer_rows s "
           "LEFT JOIN labels l ON l.month = s.month AND l.\"table\" = 'customers' AND "
           "l.\"column\" = 'tier') AS c")  # fmt: skip


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
        f"missed, credit_colour, suspend FROM {_TIERED} WHERE {where}", params).fetchnumpy()  # fmt: skip
    if (np.asarray(got["t"], dtype=np.int64) < 0).any():
        odd = con.execute(f"SELECT DISTINCT tier FROM {_TIERED} WHERE {where} AND "
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

    put(_states(con, "month = ?", [month_day(month)], policy, f"month {month}"))
    back = keys.rows[(tier[keys.rows] < 0) & (keys.rows < keys.total - len(keys.new))]
    if len(back):  # known, absent from the previous month: each one's latest month
        import pyarrow as pa

        con.register("telcare_back", pa.table({"key": back}))
        try:
            put(_states(con, "month < ? AND key IN (SELECT key FROM telcare_back) QUALIFY "
                        "row_number() OVER (PARTITION BY key ORDER BY month DESC) = 1",
                        [month_day(month)], policy, "earlier months"))  # fmt: skip
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
        got = con.execute("SELECT key, points_earned, points_redeemed FROM customer_rows WHERE "
                          "month = ? AND (points_earned <> 0 OR points_redeemed <> 0)",
                          [month_day(month)])  # fmt: skip
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
    """Append ``columns`` (one Arrow or numpy array per column of ``table`` but the month;
    for a view, of the table behind it) as ``month``'s rows, in one insert."""
    import pyarrow as pa

    con.register("telcare_rows", pa.table({k: arrow_column(v) for k, v in columns.items()}))
    try:
        name = BEHIND.get(table, table)
        con.execute(f"INSERT INTO {name} BY NAME SELECT ? AS month, * FROM telcare_rows",
                    [month_day(month) if name in DAYS else month])  # fmt: skip
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


def _taker(ids: Any) -> Callable[[Any], Any]:
    """The ids of extract rows (the ids themselves for every row in order: no copy)."""
    import pyarrow as pa

    def take(rows: Any) -> Any:
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) == len(ids) and (rows == np.arange(len(rows))).all():
            return ids
        return ids.take(pa.array(rows))

    return take


def _dictionary(indices: Any, labels: Any) -> Any:
    """The labels of ``indices`` as an Arrow dictionary (DuckDB writes their texts)."""
    import pyarrow as pa

    return pa.DictionaryArray.from_arrays(pa.array(np.asarray(indices, np.int32)), pa.array(labels))


def labelled(month: Month, ids: Any, keys: Keys, only: tuple[str, ...] | None = None,
             ) -> dict[str, dict[str, Any]]:  # fmt: skip
    """The month's tables (those named in ``only``, default all) as a user sees them: ids
    for the extract rows, labels for indices (Arrow dictionaries), the store's key of
    each customer, the newcomers."""
    take = _taker(ids)
    out: dict[str, dict[str, Any]] = {}
    for name, columns in month.tables.items():
        if only is not None and name not in only:
            continue
        cols = dict(columns)
        if "row" in cols:
            cols = {"customer_id": take(cols.pop("row")), **cols}
        for column, labels in month.labels.get(name, {}).items():
            cols[column] = _dictionary(cols[column], labels)
        out[name] = cols
    if "customers" in out:
        out["customers"]["key"] = keys.rows
    out["members"] = {"key": keys.rows[keys.new], "customer_id": take(keys.new)}
    return out


def flag_bits(columns: dict[str, Any]) -> npt.NDArray[np.int32]:
    """The flags of ``columns`` (:data:`~telcare.cli._store_schema.FLAGS`) as one
    integer, bit ``j`` for ``FLAGS[j]`` (``customer_rows.flags``).

    >>> flags = {f: np.array([j == 1, True]) for j, f in enumerate(FLAGS)}
    >>> flag_bits(flags).tolist() == [2, 2 ** len(FLAGS) - 1]
    True
    """
    n = len(columns[FLAGS[0]])
    bits, shifted = np.zeros(n, np.int32), np.empty(n, np.int32)
    for j, name in enumerate(FLAGS):
        flag = np.asarray(columns[name], dtype=bool)
        np.left_shift(flag.view(np.uint8), j, out=shifted, dtype=np.int32)
        bits |= shifted
    return bits


def _codes(values: Any, labels: Any) -> tuple[Any, list[Any]]:
    """The indices and labels of a coded column: ``labels`` where the month gives them
    (``values`` are their indices), else those of the texts ``values``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if labels is not None:
        return np.asarray(values, np.int32), list(labels)
    encoded = pc.dictionary_encode(arrow_column(values))
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    return encoded.indices.cast(pa.int32()), encoded.dictionary.to_pylist()


def stored(month: Month, ids: Any, keys: Keys) -> dict[str, dict[str, Any]]:
    """The month's tables as DuckDB keeps them (:data:`~telcare.cli._store_schema.STORED`):
    each keyed table with the customer's key for its id and its coded columns as indices
    (their labels in ``labels``), the flags of ``customers`` as one integer, the
    members' ids as numbers or texts."""
    import pyarrow as pa

    out = labelled(month, ids, keys, tuple(t for t in month.tables if t not in BEHIND))
    number, text = id_parts(out["members"].pop("customer_id"))
    out["members"] |= {"number": number, "text": text}
    labels: list[tuple[str, str, list[Any]]] = []
    for name, coded in CODED.items():
        cols = dict(month.tables[name])
        rows = np.asarray(cols.pop("row"), dtype=np.int64)
        whole = len(rows) == len(keys.rows) and (rows == np.arange(len(rows))).all()
        given = month.labels.get(name, {})
        for column in coded:
            cols[column], got = _codes(cols[column], given.get(column))
            labels.append((name, column, got))
        for column in set(given) - set(coded):  # labelled, but kept as texts
            cols[column] = _dictionary(cols[column], given[column])
        out[name] = {"key": keys.rows if whole else keys.rows[rows], **cols}
    customers = out["customers"]
    customers["flags"] = flag_bits(customers)
    for flag in FLAGS:
        del customers[flag]
    out["labels"] = {"table": pa.array([t for t, _, _ in labels], pa.string()),
                     "column": pa.array([c for _, c, _ in labels], pa.string()),
                     "labels": pa.array([v for _, _, v in labels], pa.list_(pa.string()))}  # fmt: skip
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


def _figures(month: str, figures: dict[str, int]) -> dict[str, Any]:
    """The ``figures`` table of the month, or ``run.store.figure_too_large`` for a figure
    past its BIGINT (a base's points liability is not bounded by one balance's)."""
    for name, value in figures.items():
        if not -_INT64_MAX - 1 <= value <= _INT64_MAX:
            raise refused("run.store.figure_too_large", month=month, figure=name,
                          value=f"{value:,}", most=f"{_INT64_MAX:,}")  # fmt: skip
    return {
        "figure": np.array(list(figures), dtype=object),
        "value": np.array(list(figures.values()), dtype=np.int64),
    }


def write_month(con: DuckDBPyConnection, month: str, result: Month, runs: dict[str, Any],
                ids: Any, keys: Keys, policy: Policy,
                before_commit: Callable[[dict[str, dict[str, Any]]], None] | None = None,
                ) -> dict[str, dict[str, Any]]:  # fmt: skip
    """Every table of ``month`` (run under ``policy``) in one transaction, then
    ``before_commit`` of the tables as a user sees them (its error rolls the month
    back); the tables as written (:func:`stored`)."""
    tables = stored(result, ids, keys)
    tables["policies"] = {"policy": np.array([policy.model_dump_json()], dtype=object)}
    tables["figures"] = _figures(month, result.figures)
    tables["runs"] = runs
    order = ("customers", "moments", "calls", "figures", "reports", "warnings", "service",
             "closed", "watch", "due", "labels", "members", "policies", "runs")  # fmt: skip
    # the rows are in memory already: DuckDB writes its blocks out rather than keep a copy
    con.execute(f"SET memory_limit = '{WRITE_MEMORY}'")
    try:
        with transaction(con):
            for table in order:
                write_table(con, table, month, tables[table])
            if before_commit is not None:
                before_commit(labelled(result, ids, keys))
    finally:
        con.execute("RESET memory_limit")
    return tables


def table_rows(con: DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: what a rerun must leave as it was."""
    return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
            for t in (*TABLES, *VIEWS)}  # fmt: skip
