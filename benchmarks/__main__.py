"""``python -m benchmarks``: run the cases and print the table."""

from __future__ import annotations

import argparse
import fnmatch
import sys

from benchmarks import peers
from benchmarks.cases import all_cases
from benchmarks.harness import render, run_case


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--smoke", action="store_true", help="every case at tiny n, once: proves they run"
    )
    parser.add_argument("-n", type=int, default=None, help="override every case's size")
    parser.add_argument("-k", default="*", help="only cases whose name matches this glob")
    parser.add_argument("--repeat", type=int, default=3, help="time the best of this many runs")
    parser.add_argument(
        "--peers",
        action="store_true",
        help="telcare beside numpy, pandas, per-record loops and ZEN",
    )
    parser.add_argument(
        "--per-record-max", type=int, default=100_000, help="largest n for per-record contenders"
    )
    parser.add_argument("--markdown", action="store_true", help="print the peers table as Markdown")
    parser.add_argument(
        "--scale",
        action="store_true",
        help="each rule on 1..cores threads and processes (see scale.py)",
    )
    parser.add_argument("--spark", action="store_true", help="with --scale: Spark local[N] too")
    parser.add_argument(
        "--monthly",
        action="store_true",
        help="the whole monthly run at 10^5, 10^6, 10^7 and on Dask",
    )
    parser.add_argument(
        "--run",
        action="store_true",
        help="telcare run from Parquet into DuckDB at 10^5 and 10^6, one process and Dask",
    )
    parser.add_argument(
        "--ledger",
        action="store_true",
        help="one customer's ledger: a posting at 100, 1,000 and 10,000 postings",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="with --ledger: time each try straight after building its prefix (the old method)",
    )
    parser.add_argument(
        "--import",
        dest="imports",
        action="store_true",
        help="what import telcare costs beyond numpy, attrs and pydantic (fresh interpreters)",
    )
    args = parser.parse_args(argv)

    if args.imports or args.smoke:
        from benchmarks import bench_import

        print(
            bench_import.render(bench_import.measure(repeat=1 if args.smoke else args.repeat * 3))
        )
        if args.imports:
            return 0

    if args.scale:
        from benchmarks import scale

        n = args.n or 10_000_000
        rules = [r for r in scale.RULES if fnmatch.fnmatch(r, args.k)]
        if not rules:
            print(
                f"no rule matches {args.k!r}; the rules are {', '.join(scale.RULES)}",
                file=sys.stderr,
            )
            return 2
        rows = scale.run(n, repeat=args.repeat, spark=args.spark, rules=rules)
        print(scale.render(rows, n))
        return 0
    if args.run or args.smoke:
        from benchmarks import bench_run

        sizes = [300] if args.smoke else ([args.n] if args.n else [100_000, 1_000_000])
        print(bench_run.render(bench_run.measure(sizes, child=not args.smoke)))
        if args.run:
            return 0
    if args.ledger:
        from benchmarks import bench_ledger

        print(bench_ledger.table(repeat=args.repeat, cold=args.cold))
        return 0
    if args.monthly:
        from benchmarks import bench_monthly

        print(bench_monthly.growth(args.n or 10_000_000, repeat=args.repeat))
        return 0

    if args.peers or args.smoke:
        status = peers.main(
            pattern=args.k, smoke=args.smoke, per_record_max=args.per_record_max,
            repeat=args.repeat, markdown=args.markdown,
        )  # fmt: skip
        if args.peers or status:
            return status

    cases = [c for c in all_cases() if fnmatch.fnmatch(c.name, args.k)]
    if not cases:
        print(f"no case matches {args.k!r}", file=sys.stderr)
        return 2
    results = []
    for case in cases:
        n = args.n or (case.smoke_n if args.smoke else case.n)
        repeat = 1 if args.smoke else args.repeat
        results.append(run_case(case, n=n, repeat=repeat))
        print(f"  done {case.name} (n={n:,})", file=sys.stderr, flush=True)
    print(render(results))
    missed = [r for r in results if r.goal is not None and r.ratio is not None and r.ratio > r.goal]
    if missed and not args.smoke:
        print("\nmissed goals: " + ", ".join(f"{r.name} {r.ratio:.2f} > {r.goal}" for r in missed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
