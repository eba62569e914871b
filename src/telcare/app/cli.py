"""The command line behind ``python -m telcare``.  The only place in telcare that prints.

``python -m telcare demo [--customers N] [--seed S] [--json]`` generates a base and
runs a year of the programme through every rule.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from telcare import __version__
from telcare.app.demo import run_demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m telcare", description="telcare command line")
    parser.add_argument("--version", action="version", version=f"telcare {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="run a year of a generated operator through every rule")
    demo.add_argument(
        "--customers",
        type=int,
        default=100_000,
        help="size of the generated base (default 100,000)",
    )
    demo.add_argument("--seed", type=int, default=2010, help="seed of the generator (default 2010)")
    demo.add_argument("--json", action="store_true", help="print the report as JSON")
    demo.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)

    if args.customers < 1:
        parser.error(f"--customers must be at least 1, got {args.customers}")
    if args.seed < 0:
        parser.error(f"--seed must be non-negative, got {args.seed}")
    started = time.perf_counter()

    def progress(step: str) -> None:
        if not args.quiet:
            print(f"[{time.perf_counter() - started:6.1f}s] {step}", file=sys.stderr, flush=True)

    report = run_demo(args.customers, seed=args.seed, progress=progress)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(report.render())
    progress("done")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
