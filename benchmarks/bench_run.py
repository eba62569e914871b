"""``telcare run`` end to end: the month from Parquet into a fresh DuckDB store, store
writes included, in one process and through ``--engine dask``.

Each case runs in a child process (``python -m benchmarks.bench_run --case ...``), so
its peak memory (``ru_maxrss``) is its own and nothing is warm from the case before;
the child times :func:`telcare.cli._run.run_month_into` alone (not the interpreter's
start nor the imports).  The extract is the generator's (``telcare run --synthetic``'s
columns) written once as one Parquet file and as a folder of partitions; its size is
its columns in Arrow, what the goal's "4x the extract's columns" reads.

``python -m benchmarks --run`` prints the table at 10^5 and 10^6 (``-n`` for one size).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

#: The month every case runs (the generator bills it).
MONTH = "2010-10"


def write_extract(n: int, folder: Path, partitions: int) -> dict[str, Any]:
    """The month's extract of ``n`` generated customers as ``one.parquet`` and as
    ``parts/part-K.parquet``; its rows and its columns' bytes in Arrow."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from telcare.cli._synthetic_run import synthetic_extract

    cols = synthetic_extract(n, MONTH, seed=2010)
    table = pa.table({k: pa.array(v, from_pandas=True) for k, v in cols.items()})
    pq.write_table(table, folder / "one.parquet")
    parts = folder / "parts"
    parts.mkdir(exist_ok=True)
    step = -(-len(table) // partitions)
    for k in range(partitions):
        pq.write_table(table.slice(k * step, step), parts / f"part-{k:03d}.parquet")
    return {"rows": len(table), "bytes": int(table.nbytes)}


def run_case(folder: Path, engine: str) -> dict[str, Any]:
    """One month into a fresh store (this process): wall and CPU seconds (CPU counts
    every thread: the steadier figure on a shared machine), peak MiB, customers."""
    from telcare.cli._marketing import DEMO_CATALOGUE
    from telcare.cli._run import run_month_into
    from telcare.cli._run_timing import peak_rss_mib

    base = folder / ("parts" if engine == "dask" else "one.parquet")
    store = folder / f"{engine}.duckdb"
    start, cpu = time.perf_counter(), time.process_time()
    outcome = run_month_into(str(store), MONTH, base=str(base), catalogue=DEMO_CATALOGUE,
                             engine=engine)  # fmt: skip
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": seconds, "cpu": cpu, "peak_mib": peak_rss_mib(), "customers": outcome.figures["customers"],
            "figures": outcome.figures}  # fmt: skip


def _child(folder: Path, engine: str) -> dict[str, Any]:
    code = [sys.executable, "-m", "benchmarks.bench_run", "--case", str(folder), engine]
    done = subprocess.run(code, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def measure(sizes: list[int], *, partitions: int = 4, child: bool = True) -> list[dict[str, Any]]:
    """Every size, one process then Dask; the two must give the same figures."""
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            extract = write_extract(n, folder, partitions)
            got = {
                e: (_child(folder, e) if child else run_case(folder, e)) for e in ("numpy", "dask")
            }
            if got["numpy"]["figures"] != got["dask"]["figures"]:
                raise AssertionError(f"n={n}: dask's figures differ from one process's")
            for engine, r in got.items():
                rows.append({"n": n, "engine": engine, **extract, **r})
    return rows


def render(rows: list[dict[str, Any]]) -> str:
    """The table: time, peak memory, and peak memory over the extract's columns."""
    head = (f"{'n':>11} {'engine':<7} {'customers':>10} {'seconds':>8} {'cpu s':>7} {'peak MiB':>9} "
            f"{'extract MiB':>11} {'x extract':>9}")  # fmt: skip
    lines = [head, "-" * len(head)]
    for r in rows:
        mib = r["bytes"] / 2**20
        peak = r["peak_mib"] or 0.0
        lines.append(f"{r['n']:>11,} {r['engine']:<7} {r['customers']:>10,} {r['seconds']:8.2f} {r['cpu']:7.2f} "
                     f"{peak:9.0f} {mib:11.1f} {peak / mib:9.1f}")  # fmt: skip
    lines.append("same figures from one process and dask at every size")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_run")
    parser.add_argument("--case", nargs=2, metavar=("FOLDER", "ENGINE"))
    parser.add_argument("-n", type=int, action="append")
    args = parser.parse_args(argv)
    if args.case:
        result = run_case(Path(args.case[0]), args.case[1])
        print(json.dumps(result))
        return 0
    print(render(measure(args.n or [100_000, 1_000_000])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
