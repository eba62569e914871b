"""``telcare run`` end to end: the month from Parquet into a fresh DuckDB store, store
writes included, in one process and through ``--engine dask``.

Each case runs in a child process (``python -m benchmarks.bench_run --case ...``), so
its peak memory (``ru_maxrss``) is its own and nothing is warm from the case before;
the child times :func:`telcare.cli._run.run_month_into` alone (not the interpreter's
start nor the imports) and each of its steps (``--verbose``'s).  The extract is the
generator's (``telcare run --synthetic``'s columns) written once as one Parquet file
and as a folder of partitions, by a child of its own, and kept under the system's
temporary folder (``telcare-bench-run/``; 10^7 takes minutes and 8 GiB to make); its
size is its columns in Arrow, what the goal's "4x the extract's columns" reads.

``python -m benchmarks --run`` prints the table at 10^5 and 10^6 (``-n`` for one size);
``python -m benchmarks.bench_run -n 10000000 --engine numpy`` runs one case, and
``--steps`` prints where its time and memory went.
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


def cached_extract(n: int, partitions: int,
                   root: Path | None = None) -> tuple[Path, dict[str, Any]]:  # fmt: skip
    """The folder of ``n``'s extract under ``root`` (default the system's temporary
    folder), written by a child process the first time, and its rows and bytes."""
    folder = (root or Path(tempfile.gettempdir()) / "telcare-bench-run") / f"n{n}-p{partitions}"
    done = folder / "extract.json"
    if not done.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        code = [sys.executable, "-m", "benchmarks.bench_run", "--write", str(folder), str(n),
                str(partitions)]  # fmt: skip
        subprocess.run(code, capture_output=True, text=True, check=True)
    info: dict[str, Any] = json.loads(done.read_text())
    return folder, info


def run_case(folder: Path, engine: str, store_dir: Path | None = None) -> dict[str, Any]:
    """One month into a fresh store in ``store_dir`` (default ``folder``), in this
    process: wall and CPU seconds (CPU counts every thread: the steadier figure on a
    shared machine), peak MiB, customers, figures and each step's seconds."""
    from telcare.cli._marketing import DEMO_CATALOGUE
    from telcare.cli._run import run_month_into
    from telcare.cli._run_timing import StepTimer, peak_rss_mib

    base = folder / ("parts" if engine == "dask" else "one.parquet")
    store = (store_dir or folder) / f"{engine}.duckdb"
    peaks: list[float] = []
    timer = StepTimer(lambda _step: peaks.append(peak_rss_mib() or 0.0))
    start, cpu = time.perf_counter(), time.process_time()
    outcome = run_month_into(str(store), MONTH, base=str(base), catalogue=DEMO_CATALOGUE,
                             engine=engine, progress=timer)  # fmt: skip
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = peak_rss_mib() or 0.0
    ends = [*peaks, peak]  # the peak so far at the end of each step
    steps = [(s, w, c, ends[i]) for i, (s, w, c) in enumerate(timer.steps())]
    return {"seconds": seconds, "cpu": cpu, "peak_mib": peak, "customers": outcome.figures["customers"],
            "figures": outcome.figures, "steps": steps}  # fmt: skip


def _child(folder: Path, engine: str, store_dir: Path) -> dict[str, Any]:
    code = [sys.executable, "-m", "benchmarks.bench_run", "--case", str(folder), engine,
            str(store_dir)]  # fmt: skip
    done = subprocess.run(code, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def _case(folder: Path, engine: str, child: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        stores = Path(tmp)
        return _child(folder, engine, stores) if child else run_case(folder, engine, stores)


def measure(sizes: list[int], *, partitions: int = 4, child: bool = True,
            engines: tuple[str, ...] = ("numpy", "dask"), cache: Path | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """Every size, each engine one after the other (one case in memory at a time); with
    both engines they must give the same figures.  With ``child`` the extracts are kept
    (:func:`cached_extract`, under ``cache``), else written afresh in this process."""
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            if child:
                folder, extract = cached_extract(n, partitions, cache)
            else:
                folder, extract = Path(tmp), write_extract(n, Path(tmp), partitions)
            got = {e: _case(folder, e, child) for e in engines}
        if len(got) == 2 and got["numpy"]["figures"] != got["dask"]["figures"]:
            raise AssertionError(f"n={n}: dask's figures differ from one process's")
        rows += [{"n": n, "engine": e, **extract, **r} for e, r in got.items()]
    return rows


def steps_table(rows: list[dict[str, Any]]) -> str:
    """Each case's steps: wall and CPU seconds, and the peak MiB at the step's end."""
    lines = []
    for r in rows:
        lines.append(f"n={r['n']:,} {r['engine']}: {'wall s':>8} {'cpu s':>7} {'peak MiB':>9}")
        for step, wall, cpu, peak in r["steps"]:
            lines.append(f"  {step:<44} {wall:8.2f} {cpu:7.2f} {peak:9.0f}")
    return "\n".join(lines)


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
    if {r["engine"] for r in rows} == {"numpy", "dask"}:
        lines.append("same figures from one process and dask at every size")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_run")
    parser.add_argument("--case", nargs=3, metavar=("FOLDER", "ENGINE", "STORES"))
    parser.add_argument("--write", nargs=3, metavar=("FOLDER", "N", "PARTITIONS"))
    parser.add_argument("-n", type=int, action="append")
    parser.add_argument("--engine", choices=("numpy", "dask"), action="append")
    parser.add_argument("--steps", action="store_true", help="print each case's steps too")
    parser.add_argument("--figures", metavar="FILE", help="write each case's figures as JSON "
                        "(two runs of one engine each compare by them)")  # fmt: skip
    args = parser.parse_args(argv)
    if args.case:
        result = run_case(Path(args.case[0]), args.case[1], Path(args.case[2]))
        print(json.dumps(result))
        return 0
    if args.write:
        folder = Path(args.write[0])
        info = write_extract(int(args.write[1]), folder, int(args.write[2]))
        (folder / "extract.json").write_text(json.dumps(info))  # last: the extract is whole
        return 0
    rows = measure(args.n or [100_000, 1_000_000], engines=tuple(args.engine or ("numpy", "dask")))
    print(render(rows))
    if args.steps:
        print(steps_table(rows))
    if args.figures:
        got = [{"n": r["n"], "engine": r["engine"], "figures": r["figures"]} for r in rows]
        Path(args.figures).write_text(json.dumps(got, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
