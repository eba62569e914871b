"""The command line behind ``python -m telcare``.  The only place in telcare that prints.

``python -m telcare demo [--customers N] [--seed S] [--json] [--compare POLICY.json] [--lang zh_CN]``
generates a base and runs a year of the programme through every rule; with
``--compare`` it also evaluates the base under the policy in the file and prints
what would change against the default policy.

``python -m telcare report NAME [--week 2010-W48 | --month 2010-11] [--format text|markdown|html|json] [--lang zh_CN]``
renders one of the reports of :data:`telcare.REPORTS` (the five built in:
``retention_indicators``, ``callback_report``, ``retention_service``,
``execution_report``, ``credit_bulletin``; ``main(argv, reports=...)`` takes a
registry with reports of your own) for the demo's base and a synthetic year of
its operation, from the state at the end of the period asked; a period outside
that year says there is no data for it (exit 1).  With ``--compare``, the demo's
"before" column is its own base under the default policy: the figures above it.

``python -m telcare policy schema`` prints the policy's JSON Schema; ``policy check
FILE`` validates a JSON or YAML policy file and prints every error with its path;
``policy show FILE`` prints each figure with its unit, source and, where it differs,
the default.  ``run`` and ``export`` keep the operator's months in a DuckDB file
(docs/run.md; :mod:`telcare.cli._run_cli`).  Installed as a script, the command is
``telcare``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TypeAlias

from pydantic import ValidationError

from telcare import __version__
from telcare._core.catalogue import LANGS
from telcare._core.checks import instance
from telcare._core.dates import Period
from telcare._core.display import plain
from telcare._core.errors import InvalidInput
from telcare._core.ui import words
from telcare.cli._demo import run_demo
from telcare.cli._operations import NOTES, NoData, build_report, operation_year
from telcare.cli._report import DEMO_SCHEMA, DemoReport
from telcare.cli._run_cli import add_export_parser, add_run_parser, export_command, run_command
from telcare.operations import REPORTS, ReportRegistry
from telcare.policy import Policy, default_policy
from telcare.synthetic import generate_base
from telcare.whatif import PolicyComparison


def _prog() -> str:
    """``telcare`` when run as the installed script, ``python -m telcare`` otherwise."""
    return "telcare" if Path(sys.argv[0]).name == "telcare" else "python -m telcare"


def _load_policy(path: str) -> Policy:
    """A policy from a JSON or YAML file (``.yaml``/``.yml``), or ``PolicyFileError``."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyFileError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise PolicyFileError(
            f"{path} is not UTF-8 text (byte {exc.object[exc.start]:#04x} at {exc.start})"
        ) from None
    if Path(path).suffix.lower() in (".yaml", ".yml"):
        try:
            import yaml
        except ImportError:
            raise PolicyFileError(
                f"{path}: YAML policies need PyYAML: pip install 'telcare[yaml]'"
            ) from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise PolicyFileError(f"{path} is not valid YAML: {exc}") from None
        try:
            return Policy.model_validate(data if data is not None else {})
        except ValidationError as exc:
            raise PolicyFileError(_errors(path, exc)) from None
    try:
        return Policy.model_validate_json(text)
    except ValidationError as exc:
        raise PolicyFileError(_errors(path, exc)) from None


def _errors(path: str, exc: ValidationError) -> str:
    """Every validation error on its own line, with the path of the figure."""
    lines = [f"{path} is not a valid policy: {exc.error_count()} error(s)"]
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"]) or "(the policy)"
        lines.append(f"  {where}: {error['msg']}")
    return "\n".join(lines)


#: The sub-commands of the parser.
_Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


class PolicyFileError(Exception):
    """A policy file that cannot be read or is not a valid policy (the message says why)."""


def main(argv: list[str] | None = None, *, reports: ReportRegistry = REPORTS) -> int:
    """Run the command line on ``argv`` (``sys.argv[1:]`` by default); ``report``
    knows the reports of ``reports`` (:data:`telcare.REPORTS` by default)."""
    reports = instance(reports, ReportRegistry, "main() needs reports= a ReportRegistry, got {got}")
    parser = argparse.ArgumentParser(prog=_prog(), description="telcare command line")
    parser.add_argument("--version", action="version", version=f"telcare {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    _demo_parser(commands)
    _report_parser(commands, reports)
    _policy_parser(commands)
    add_run_parser(commands)
    add_export_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "run":
        return _run(parser, args)
    if args.command == "export":
        return export_command(parser, args)
    if args.command == "policy":
        return _policy(args)
    if args.command == "report":
        return _report(parser, args, reports)
    return _demo(parser, args)


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    try:
        policy = default_policy() if args.policy is None else _load_policy(args.policy)
    except PolicyFileError as exc:
        print(f"{parser.prog} run: --policy: {exc}", file=sys.stderr)
        return 1
    return run_command(parser, args, policy)


def _demo_parser(commands: _Commands) -> None:
    demo = commands.add_parser("demo", help="run a year of a generated operator through every rule")
    demo.add_argument(
        "--customers",
        type=int,
        default=100_000,
        help="size of the generated base (default 100,000)",
    )
    demo.add_argument("--seed", type=int, default=2010, help="seed of the generator (default 2010)")
    demo.add_argument(
        "--json",
        action="store_true",
        help="print the report as JSON: numbers, units in the keys (_fen, _pct, _pp)",
    )
    demo.add_argument(
        "--schema", action="store_true", help="print the JSON Schema of --json and stop"
    )
    demo.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    demo.add_argument(
        "--compare",
        metavar="POLICY.json",
        help="also evaluate the base under this policy file and show what changes",
    )
    _lang_argument(demo)


def _lang_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--lang",
        choices=LANGS,
        default="en",
        help="the language of the text: en (default) or zh_CN, Simplified Chinese",
    )


def _report_parser(commands: _Commands, reports: ReportRegistry) -> None:
    report_cmd = commands.add_parser(
        "report", help="render one of the weekly/monthly reports for the demo's base"
    )
    report_cmd.add_argument("name", choices=sorted(reports), help="which report")
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
    _lang_argument(report_cmd)


def _policy_parser(commands: _Commands) -> None:
    policy_cmd = commands.add_parser("policy", help="the programme's policy: schema, check, show")
    policy_actions = policy_cmd.add_subparsers(dest="action", required=True)
    policy_actions.add_parser("schema", help="print the policy's JSON Schema")
    check = policy_actions.add_parser(
        "check", help="validate a JSON or YAML policy file, every error"
    )
    check.add_argument("file")
    show = policy_actions.add_parser(
        "show", help="print a policy file's figures with units and sources"
    )
    show.add_argument("file", nargs="?", help="a JSON or YAML policy (default: the default policy)")


def _demo(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.schema:
        print(json.dumps(DEMO_SCHEMA, indent=2))
        return 0
    _check_base(parser, args)
    other = None
    if args.compare:
        try:
            other = _load_policy(args.compare)
        except PolicyFileError as exc:  # refused input, as ``policy check`` refuses it
            parser.exit(1, f"{parser.prog} demo: --compare: {exc}\n")
    started = time.perf_counter()

    def progress(step: str) -> None:
        if not args.quiet:
            print(f"[{time.perf_counter() - started:6.1f}s] {step}", file=sys.stderr, flush=True)

    try:
        report = run_demo(args.customers, seed=args.seed, progress=progress, compare=other)
    except InvalidInput as exc:
        print(f"{parser.prog} demo: {exc}", file=sys.stderr)
        return 1
    _print_demo(args, report, report.comparison)
    progress("done")
    return 0


def _print_demo(
    args: argparse.Namespace, report: DemoReport, comparison: PolicyComparison | None
) -> None:
    if args.json:
        out = report.to_dict()
        if comparison is not None:
            whole = comparison.to_dict()
            whole["changed_ids"] = whole["changed_ids"][:100]  # the first 100; the count is whole
            # each reason as its code, its parameters and its text in --lang
            whole["reasons"] = plain(comparison.reasons(limit=100), lang=args.lang)
            whole["note"] = report.comparison_note
            out["comparison"] = whole
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        print(report.render(lang=args.lang))
        if comparison is not None:
            note = report.comparison_note
            print(f"\nWhat-if: the default policy against {args.compare}, on the base above "
                  + ("as the year left it (before: the figures above)" if note is None else
                     f"(before: not the figures above; {note})"))  # fmt: skip
            print(comparison)
            print("\nFirst customers that change:")
            print("\n".join(f"  {r.text(args.lang)}" for r in comparison.reasons(limit=10)))


#: The largest base the generator makes (``generate_base``'s own bound).
MAX_CUSTOMERS = 50_000_000


def _check_base(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """``--customers`` and ``--seed`` within the generator's bounds, or a usage error."""
    if not 1 <= args.customers <= MAX_CUSTOMERS:
        parser.error(f"--customers must be from 1 to {MAX_CUSTOMERS:,}, got {args.customers}")
    if args.seed < 0:
        parser.error(f"--seed must be non-negative, got {args.seed}")


def _policy(args: argparse.Namespace) -> int:
    if args.action == "schema":
        print(json.dumps(Policy.model_json_schema(), indent=2, ensure_ascii=False))
        return 0
    try:
        policy = default_policy() if args.file is None else _load_policy(args.file)
    except PolicyFileError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.action == "check":
        changed = default_policy().diff(policy)
        print(f"{args.file}: a valid policy; {len(changed)} figure(s) differ from the default")
        return 0
    print(policy.describe())
    changes = default_policy().diff(policy)  # before: the default; after: this policy
    if changes:
        print("\nDiffers from the default policy (default -> this policy):")
        print("\n".join(f"  {c.path}: {c.before} -> {c.after}" for c in changes))
    return 0


def _report(
    parser: argparse.ArgumentParser, args: argparse.Namespace, reports: ReportRegistry
) -> int:
    _check_base(parser, args)
    asked = args.week or args.month
    try:
        period = None if asked is None else Period.parse(asked)
    except InvalidInput as exc:
        parser.error(f"--{'week' if args.week else 'month'}: {exc}")
    ops = operation_year(generate_base(args.customers, seed=args.seed), seed=args.seed)
    try:
        report = build_report(ops, args.name, period, reports=reports)
    except NoData as exc:
        print(f"{parser.prog} report {args.name}: {exc}", file=sys.stderr)
        return 1
    except InvalidInput as exc:
        parser.error(str(exc))
    note = NOTES.get(args.name)
    if args.format == "json":
        out = report.to_dict()
        if args.level:
            out["rows"] = report.rows(args.level)
        if note:
            out["note"] = note
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    if args.level:
        keep = tuple(i for i, lv in enumerate(report.levels) if lv == args.level)
        report = report.only(keep)
    if args.format == "markdown":
        print(report.to_markdown(lang=args.lang))
    elif args.format == "html":
        print(report.to_html(lang=args.lang))
    else:
        print(report.to_text(lang=args.lang))
    if note:
        print(f"\n{words(args.lang, 'ui_demo')(note)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
