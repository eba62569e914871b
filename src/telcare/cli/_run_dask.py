"""``telcare run --engine dask``: the month over a folder of Parquet partitions.

Each partition file is read and checked on its own (a bad row is named by its file
and its row there), then no id may repeat across them.  The five partitioned rules
run through :mod:`telcare.on_dask` on a Dask frame with one partition per file
(:func:`dask_rules`; the segment's cut is exact across partitions, in the two passes
of :func:`telcare.on_dask.mid_high_end`); the points book, the moment scan (it reads
the book's expiring points), the offers and the call lists have no partitioned form
and run on the gathered columns.  The answers are those of one process over the
files one after another; the month's rows are also written as Parquet, partitioned
by month and partition (:func:`write_partitions`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from telcare._core.errors import InvalidInput
from telcare.cli._extract import BadRow, ExtractRefused
from telcare.cli._run_digest import gather
from telcare.cli._run_read import Extract, read_extract
from telcare.cli._run_rules import Rules, tie_codes
from telcare.cli._store import WRITE_MEMORY, arrow_column
from telcare.policy import BENEFIT_CODES, Policy

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["PARTITIONED", "dask_rules", "partition_files", "read_partitions", "remove_partitions",
           "removing_partitions", "write_partitions"]  # fmt: skip


def partition_files(folder: str) -> list[Path]:
    """The ``*.parquet`` files of ``folder``, by name, or ``InvalidInput``."""
    path = Path(folder)
    if not path.is_dir():
        raise InvalidInput(f"--base: with --engine dask, a folder of Parquet partitions; "
                           f"{folder!r} is not a folder")  # fmt: skip
    files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".parquet" and p.is_file())
    if not files:
        raise InvalidInput(f"--base: the folder {folder!r} holds no .parquet file")
    return files


def read_partitions(
    con: DuckDBPyConnection, files: list[Path], policy: Policy, last_day: str
) -> tuple[Extract, list[int]]:
    """Every partition read and checked, gathered into one extract (file after file),
    with the partitions' sizes; an id in two partitions is refused by its later row."""
    parts: list[Extract] = []
    try:
        return _gathered(con, files, policy, last_day, parts)
    except BaseException:
        for p in parts:  # a refused folder leaves no digest thread running
            p.pending.close()
        raise


def _gathered(con: DuckDBPyConnection, files: list[Path], policy: Policy, last_day: str,
              parts: list[Extract]) -> tuple[Extract, list[int]]:  # fmt: skip
    """:func:`read_partitions`, each partition read put in ``parts``."""
    import pyarrow as pa

    bad: list[BadRow] = []
    for f in files:
        try:
            parts.append(read_extract(con, str(f), None, policy, last_day))
        except ExtractRefused as exc:
            bad += exc.bad
    if bad:
        raise ExtractRefused(str(files[0].parent), bad)
    sizes = [len(p) for p in parts]
    ids = pa.concat_arrays([p.ids for p in parts])
    starts = np.cumsum([0, *sizes])
    con.register("telcare_all", pa.table({"customer_id": ids, "pos": np.arange(len(ids))}))
    try:
        repeats = con.execute("SELECT count(*) - count(DISTINCT customer_id) FROM telcare_all")
        again = [] if repeats.fetchall() == [(0,)] else con.execute(
            "SELECT pos FROM (SELECT pos, row_number() OVER (PARTITION BY customer_id ORDER BY "
            "pos) AS k FROM telcare_all) WHERE k > 1 ORDER BY pos").fetchall()  # fmt: skip
    finally:
        con.unregister("telcare_all")
    for (at,) in again:
        k = int(np.searchsorted(starts, at, side="right")) - 1
        bad.append(BadRow(str(files[k]), "customer_id", int(at - starts[k]) + 1,
                          str(ids[at]), "repeats an id of an earlier row or partition"))  # fmt: skip
    if bad:
        raise ExtractRefused(str(files[0].parent), bad)
    names = [k for k in parts[0].columns if k != "customer_id"]
    # each partition's column is let go as it is gathered: one copy of the extract at a time
    columns = {k: np.concatenate([p.columns.pop(k) for p in parts]) for k in names}
    columns["customer_id"] = ids
    return Extract(columns, ids, gather([p.pending for p in parts], _digest)), sizes


def _digest(digests: list[str]) -> str:
    import hashlib

    return "sha256:" + hashlib.sha256("\n".join(digests).encode()).hexdigest()


def _frame(sizes: list[int], **columns: Any) -> Any:
    """The columns as a Dask frame, one partition per extract partition."""
    import dask.dataframe as dd
    import pandas as pd
    from dask.delayed import delayed

    starts = np.cumsum([0, *sizes]).tolist()
    frames = [pd.DataFrame({k: v[a:b] for k, v in columns.items()})
              for a, b in pairwise(starts)]  # fmt: skip
    return dd.from_delayed([delayed(f) for f in frames], meta=frames[0].iloc[:0], verify_meta=False)


def _indices(values: Any, policy: Policy) -> Any:
    """Tier labels (the Dask forms' categorical output) as indices into the ladder."""
    import pandas as pd

    return np.asarray(
        pd.Categorical(values, categories=list(policy.tiers.codes)).codes, dtype=np.int64
    )


def dask_rules(sizes: list[int]) -> Rules:
    """The partitioned rules through :mod:`telcare.on_dask`, one Dask partition per
    extract partition (``sizes`` rows each), computed with Dask's configured scheduler."""
    import telcare.on_dask as od

    def tiers(avg: Any, months: Any, held: Any, missed: Any, policy: Policy) -> Any:
        frame = _frame(sizes, avg_spend=avg, months=months, current=held, missed=missed)
        out = od.evaluate_tiers(frame, policy=policy).compute()
        return (_indices(out["tier"], policy), np.asarray(out["missed"], dtype=np.int64),
                _indices(out["qualified"], policy))  # fmt: skip

    def segment(avg: Any, eligible: Any, tenure_days: Any, ids: Any, share: Any) -> Any:
        codes = tie_codes(avg, eligible, ids, share)
        frame = _frame(sizes, avg_spend=avg, eligible=eligible, tenure_days=tenure_days, ids=codes)
        cut: Any = od.mid_high_end(frame, share=share)  # Dask's own types are loose
        return np.asarray(cut.compute()["mid_high_end"], bool)

    def points(bill: Any, data: Any, on_time: Any, held: Any, years: Any, policy: Policy) -> Any:
        frame = _frame(sizes, spend=bill, data_spend=data, paid_on_time=on_time, tier=held,
                       tenure_years=years)  # fmt: skip
        return np.asarray(od.points_for_bills(frame, policy=policy).compute()["points"], np.int64)

    def benefits(tier: Any, members: Any, fee: Any, verification: Any, status: Any, credit: Any,
                 policy: Policy) -> Any:  # fmt: skip
        frame = _frame(sizes, tier=tier, segment_member=members, plan_fee=fee,
                       verification=verification, status=status, credit_level=credit)  # fmt: skip
        out = od.check_benefits(frame, policy=policy).compute()
        return np.column_stack([np.asarray(out[c], dtype=bool) for c in BENEFIT_CODES])

    def suspensions(arrears: Any, credit: Any, sms: Any, delayed: Any, days_over: Any,
                    policy: Policy) -> Any:  # fmt: skip
        frame = _frame(sizes, arrears=arrears, credit_level=credit, sms_last_hour=sms,
                       delayed=delayed, days_over=days_over)  # fmt: skip
        return np.asarray(od.check_suspensions(frame, policy=policy).compute()["suspend"], bool)

    return Rules("dask", tiers, segment, points, benefits, suspensions)


#: The tables ``--engine dask`` also writes as Parquet partitions.
PARTITIONED = ("customers", "moments", "calls")
#: DuckDB's memory while it writes the partitions: a partitioned COPY keeps a buffer per
#: open partition and column, which the store's inserts' 256 MB cannot hold at 10^7
#: customers ("Out of Memory Error"); the store's limit is set again afterwards.
PARTITION_MEMORY = "1GB"


def write_partitions(con: DuckDBPyConnection, folder: Path, month: str, tables: dict[str, Any],
                     sizes: list[int]) -> None:  # fmt: skip
    """The month's customers, moments and calls as Parquet under ``folder/TABLE/``,
    partitioned by ``month`` and ``partition`` (the extract partition of each row).

    Called before the store's COMMIT (the month is not in the store yet, so a folder of
    it there is a failed run's and is replaced); a folder that cannot be written is
    ``InvalidInput`` naming it."""
    import duckdb
    import pyarrow as pa

    starts = np.cumsum([0, *sizes])
    remove_partitions(folder, month)
    try:
        con.execute(f"SET memory_limit = '{PARTITION_MEMORY}'")
        folder.mkdir(parents=True, exist_ok=True)
        for name in PARTITIONED:
            cols, rows = tables[name]
            part = np.searchsorted(starts, np.asarray(rows, dtype=np.int64), side="right") - 1
            table = pa.table({**{k: arrow_column(v) for k, v in cols.items()},
                              "partition": part.astype(np.int64)})  # fmt: skip
            con.register("telcare_part", table)
            target = str(folder / name).replace("'", "''")
            try:
                con.execute(f"COPY (SELECT ? AS month, * FROM telcare_part) TO '{target}' (FORMAT "
                            "parquet, PARTITION_BY (month, partition), OVERWRITE_OR_IGNORE true)",
                            [month])  # fmt: skip
            finally:  # after a failed COPY the transaction is aborted: keep its error
                with suppress(duckdb.Error):
                    con.unregister("telcare_part")
    except (OSError, duckdb.Error) as exc:
        raise InvalidInput(f"--engine dask: cannot write the month's partitions under "
                           f"{str(folder)!r}: {exc}; nothing changed") from None  # fmt: skip
    finally:  # (write_month resets the limit after the transaction in any case)
        with suppress(duckdb.Error):
            con.execute(f"SET memory_limit = '{WRITE_MEMORY}'")


def remove_partitions(folder: Path, month: str) -> None:
    """Remove ``month``'s partitions under ``folder`` (those of a run that did not commit)."""
    import shutil

    for name in PARTITIONED:
        path = folder / name / f"month={month}"
        if path.is_dir():
            shutil.rmtree(path)


@contextmanager
def removing_partitions(folder: Path, month: str, written: bool) -> Iterator[None]:
    """Remove ``month``'s partitions under ``folder`` (if ``written``) when the block
    raises: a month the store did not commit leaves none."""
    try:
        yield
    except BaseException:
        if written:
            remove_partitions(folder, month)
        raise
