"""The ``run`` and ``export`` commands of the command line (docs/run.md).

``telcare run (--base FILE | --synthetic N) --month YYYY-MM --store FILE.duckdb
[--actions FILE] [--managers FILE] [--events FILE] [--policy FILE] [--catalogue FILE]
[--seed S] [--engine numpy|dask] [--verbose] [--lang zh_CN]`` runs one month into the store (``--verbose``: the time of each step,
:mod:`telcare.cli._run_timing`; ``--lang``: what it prints, :mod:`telcare.cli._run_text`);
``telcare export TABLE --month YYYY-MM --store FILE.duckdb --format csv|parquet
[--out FILE]`` writes one table's month.  Progress goes to stderr on a terminal only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pydantic import ValidationError

from telcare import __version__
from telcare._core.catalogue import LANGS
from telcare._core.errors import InvalidInput
from telcare.cli._extract import SHOWN, ExtractRefused
from telcare.cli._marketing import DEMO_CATALOGUE
from telcare.cli._run import export_table, month_period, run_month_into
from telcare.cli._run_refusals import refused
from telcare.cli._run_sides import SideFiles
from telcare.cli._run_text import (
    figure_lines,
    refusal_message,
    refusal_text,
    skipped_lines,
    step_name,
)
from telcare.cli._run_timing import StepTimer
from telcare.cli._store import TABLES, VIEWS
from telcare.cli._synthetic_run import synthetic_extract
from telcare.policy import OfferCatalogue, Policy

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["add_export_parser", "add_run_parser", "export_command", "run_command"]

#: The steps of a run, for the progress line.
STEPS = ("reading the extract", "reading the previous month", "evaluating tiers", "posting points",
         "granting benefits", "scanning the key moments", "matching offers and building call lists",
         "writing the store")  # fmt: skip


def add_run_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = commands.add_parser(
        "run", help="run the operator's month from its extract into a DuckDB store"
    )
    source = run.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--base", metavar="FILE", help="the month's extract, CSV or Parquet (docs/run.md)"
    )
    source.add_argument(
        "--synthetic",
        metavar="N",
        type=int,
        help="make the extract of N customers from the generator instead",
    )
    run.add_argument("--month", required=True, help="the month the extract is of, such as 2010-11")
    run.add_argument("--actions", metavar="FILE", help="the month's action log, CSV or Parquet: "
                     "the action-log reports (docs/run.md)")  # fmt: skip
    run.add_argument("--managers", metavar="FILE", help="each service manager's team, CSV or "
                     "Parquet (default: the extract's team column)")  # fmt: skip
    run.add_argument("--events", metavar="FILE", help="the life-cycle events, CSV or Parquet: "
                     "the due actions of the event-driven moments (docs/run.md)")  # fmt: skip
    run.add_argument(
        "--store", required=True, metavar="FILE.duckdb", help="the DuckDB file kept between runs"
    )
    run.add_argument(
        "--policy", metavar="FILE", help="a JSON or YAML policy (default: the default policy)"
    )
    run.add_argument(
        "--catalogue",
        metavar="FILE",
        help="the offer catalogue as JSON (default: none; the demo's with --synthetic)",
    )
    run.add_argument("--seed", type=int, default=2010, help="seed of --synthetic (default 2010)")  # fmt: skip
    run.add_argument("--engine", choices=("numpy", "dask"), default="numpy",
                     help="numpy: one process (default); dask: --base is a folder of Parquet "
                     "partitions, run through telcare.on_dask (docs/run.md)")  # fmt: skip
    run.add_argument("--verbose", action="store_true",
                     help="print the time each step took and the peak memory to stderr")  # fmt: skip
    run.add_argument("--lang", choices=LANGS, default="en",
                     help="the language of what it prints: en (default) or zh_CN, Simplified "
                     "Chinese; the store keeps codes and numbers in either")  # fmt: skip


def add_export_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser("export", help="write one table of a month from the store")
    export.add_argument("table", choices=[*TABLES, *VIEWS])
    export.add_argument("--month", required=True, help="the month, such as 2010-11")
    export.add_argument("--store", required=True, metavar="FILE.duckdb")
    export.add_argument("--format", choices=("csv", "parquet"), default="csv")
    export.add_argument("--out", metavar="FILE", help="where to write (default TABLE-MONTH.FORMAT)")


def _catalogue(path: str) -> OfferCatalogue:
    try:
        return OfferCatalogue.model_validate_json(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise refused("run.catalogue.unreadable", path=path, why=exc.strerror) from None
    except (ValidationError, UnicodeDecodeError) as exc:
        raise refused("run.catalogue.invalid", path=path, why=str(exc)) from None


def progress_line(stream: IO[str], lang: str = "en") -> Callable[[str], None]:
    """Report steps as ``[k/8] step`` (in ``lang``) on one line of ``stream`` if it is a
    terminal; else nothing."""
    if not stream.isatty():
        return lambda _step: None

    def say(step: str) -> None:
        if step not in STEPS:
            return  # a step the timer reads (--verbose) but the line does not count
        k = STEPS.index(step) + 1
        end = "\n" if k == len(STEPS) else ""
        stream.write(f"\r\x1b[K[{k}/{len(STEPS)}] {step_name(step, lang)}" + end)
        stream.flush()

    return say


def run_command(parser: argparse.ArgumentParser, args: argparse.Namespace, policy: Policy) -> int:
    """``telcare run``: 0 when the month ran or was already in the store, 1 when refused."""
    if args.synthetic is not None and not 1 <= args.synthetic <= 50_000_000:
        parser.error(f"--synthetic must be from 1 to 50,000,000, got {args.synthetic}")
    try:
        month_period(args.month)
        catalogue = _catalogue(args.catalogue) if args.catalogue else None
        columns, key = None, None
        if args.synthetic is not None:
            n, month, seed = args.synthetic, args.month, args.seed

            def columns() -> dict[str, Any]:
                return synthetic_extract(n, month, seed=seed, policy=policy)

            key = f"synthetic n={n} seed={seed} month={month} telcare={__version__}"
            catalogue = catalogue or DEMO_CATALOGUE
        timer = StepTimer(progress_line(sys.stderr, args.lang))
        outcome = run_month_into(args.store, args.month, base=args.base, columns=columns,
                                 source_key=key, policy=policy, catalogue=catalogue,
                                 progress=timer, engine=args.engine,
                                 sides=SideFiles(args.actions, args.managers, args.events))  # fmt: skip
    except ExtractRefused as exc:
        print(f"{parser.prog} run: {refusal_text(str(exc.source), exc.bad, SHOWN, args.lang)}",
              file=sys.stderr)  # fmt: skip
        return 1
    except InvalidInput as exc:
        print(f"{parser.prog} run: {refusal_message(exc, args.lang)}", file=sys.stderr)
        return 1
    if args.verbose:
        print("\n".join([timer.table(args.lang), *skipped_lines(outcome.skipped, args.lang)]),
              file=sys.stderr)  # fmt: skip
    print("\n".join([outcome.text(args.lang), *figure_lines(outcome.figures, args.lang)]))
    return 0


def export_command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """``telcare export``: 0 with the path written, 1 when refused."""
    try:
        path = export_table(args.store, args.table, args.month, args.format, args.out)
    except InvalidInput as exc:
        print(f"{parser.prog} export: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0
