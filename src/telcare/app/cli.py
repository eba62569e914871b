"""The command line behind ``python -m telcare``.  The only place in telcare that prints.

``python -m telcare demo [--customers N] [--seed S] [--json] [--compare POLICY.json]``
generates a base and runs a year of the programme through every rule; with
``--compare`` it also evaluates the base under the policy in the file and prints
what would change against the default policy.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from pydantic import ValidationError

from telcare import __version__
from telcare.app.demo import run_demo
from telcare.app.synthetic import customer_base, generate_base
from telcare.policy.model import Policy, default_policy
from telcare.rules.compare import compare_policies


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
    demo.add_argument(
        "--compare",
        metavar="POLICY.json",
        help="also evaluate the base under this policy file and show what changes",
    )
    args = parser.parse_args(argv)

    if args.customers < 1:
        parser.error(f"--customers must be at least 1, got {args.customers}")
    if args.seed < 0:
        parser.error(f"--seed must be non-negative, got {args.seed}")
    other = None
    if args.compare:
        try:
            other = Policy.model_validate_json(Path(args.compare).read_text(encoding="utf-8"))
        except OSError as exc:
            parser.error(f"--compare: cannot read {args.compare}: {exc.strerror}")
        except ValidationError as exc:
            parser.error(f"--compare: {args.compare} is not a valid policy:\n{exc}")
    started = time.perf_counter()

    def progress(step: str) -> None:
        if not args.quiet:
            print(f"[{time.perf_counter() - started:6.1f}s] {step}", file=sys.stderr, flush=True)

    report = run_demo(args.customers, seed=args.seed, progress=progress)
    comparison = None
    if other is not None:
        progress(f"comparing with {args.compare}...")
        base = generate_base(args.customers, seed=args.seed)
        comparison = compare_policies(
            customer_base(base), default_policy(), other, as_of=base.as_of
        )
    if args.json:
        out = report.to_dict()
        if comparison is not None:
            whole = comparison.to_dict()
            whole["changed_ids"] = whole["changed_ids"][:100]  # the first 100; the count is whole
            whole["reasons"] = comparison.reasons(limit=100)
            out["comparison"] = whole
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        print(report.render())
        if comparison is not None:
            print(f"\nWhat-if: the default policy against {args.compare}")
            print(comparison)
            print("\nFirst customers that change:")
            print("\n".join(f"  {r}" for r in comparison.reasons(limit=10)))
    progress("done")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
