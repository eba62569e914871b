"""The command line behind ``python -m telcare``.  The only place in telcare that prints.

``python -m telcare demo [--customers N] [--seed S] [--json] [--compare POLICY.json]``
generates a base and runs a year of the programme through every rule; with
``--compare`` it also evaluates the base under the policy in the file and prints
what would change against the default policy.

``python -m telcare report NAME [--week 2010-W48 | --month 2010-11] [--format text|markdown|html|json]``
renders one of the five reports (``retention_indicators``, ``callback_report``,
``retention_service``, ``execution_report``, ``credit_bulletin``) for the demo's
base and a synthetic year of its operation.
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
from telcare.app.operations import build_report, operation_year
from telcare.app.synthetic import customer_base, generate_base
from telcare.core.errors import InvalidInput
from telcare.policy.model import Policy, default_policy
from telcare.rules.compare import compare_policies
from telcare.rules.reports import REPORTS


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
    report_cmd = commands.add_parser(
        "report", help="render one of the five weekly/monthly reports for the demo's base"
    )
    report_cmd.add_argument("name", choices=sorted(REPORTS), help="which report")
    when = report_cmd.add_mutually_exclusive_group()
    when.add_argument("--week", help="an ISO week such as 2010-W48 (default: the demo's last week)")
    when.add_argument(
        "--month", help="a month such as 2010-11 (default: the demo's last full month)"
    )
    report_cmd.add_argument("--customers", type=int, default=100_000,
                            help="size of the generated base (default 100,000)")  # fmt: skip
    report_cmd.add_argument(
        "--seed", type=int, default=2010, help="seed of the generator (default 2010)"
    )
    report_cmd.add_argument(
        "--format", choices=("text", "markdown", "html", "json"), default="text"
    )
    report_cmd.add_argument("--level", choices=("manager", "team", "programme"),
                            help="only the rows of one level (default: all)")  # fmt: skip
    args = parser.parse_args(argv)

    if args.command == "report":
        return _report(parser, args)
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


def _report(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.customers < 1:
        parser.error(f"--customers must be at least 1, got {args.customers}")
    if args.seed < 0:
        parser.error(f"--seed must be non-negative, got {args.seed}")
    ops = operation_year(generate_base(args.customers, seed=args.seed), seed=args.seed)
    try:
        report = build_report(ops, args.name, args.week or args.month)
    except InvalidInput as exc:
        parser.error(str(exc))
    if args.format == "json":
        out = report.to_dict()
        if args.level:
            out["rows"] = report.rows(args.level)
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    if args.level:
        keep = tuple(i for i, lv in enumerate(report.levels) if lv == args.level)
        report = report.only(keep)
    if args.format == "markdown":
        print(report.to_markdown())
    elif args.format == "html":
        print(report._repr_html_())
    else:
        print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
