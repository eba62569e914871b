"""``telcare run``: the operator's month, from its extract into the DuckDB store.

:func:`run_month_into` first looks for the month in the store: run from the same
input (the extract file's bytes, or the generator's options) with the same policy
and catalogue, it changes nothing and reads no row.  Otherwise it reads and checks
the extract (:mod:`telcare.cli._run_read`: every bad row named, nothing written),
refuses a month out of order, rebuilds the state the store's previous month left
(tiers and missed evaluations, the points book replayed), runs the month through
the rules (:mod:`telcare.cli._month`) and writes every table in one transaction.
:func:`export_table` writes one table's month as CSV or Parquet.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from telcare import __version__
from telcare._core.dates import Period
from telcare._core.errors import InvalidInput
from telcare.cli._month import Month, days_of, run_month
from telcare.cli._run_actions import side_tables
from telcare.cli._run_dask import (
    PARTITIONED,
    dask_rules,
    partition_files,
    read_partitions,
    removing_partitions,
    write_partitions,
)
from telcare.cli._run_events_due import due_tables
from telcare.cli._run_read import Extract, read_extract
from telcare.cli._run_refusals import refused
from telcare.cli._run_rules import ONE_PROCESS, Rules
from telcare.cli._run_sides import SideFiles, Sides, read_sides
from telcare.cli._run_text import outcome_line
from telcare.cli._store import (
    TABLES,
    VIEWS,
    connect,
    duckdb_module,
    keys_of,
    last_state,
    months_run,
    replay_book,
    run_row,
    stored_source,
    write_month,
)
from telcare.points import PointsBook
from telcare.policy import OfferCatalogue, Policy, as_policy

__all__ = ["RunOutcome", "export_table", "month_period", "run_month_into", "source_digest"]

Progress = Callable[[str], None]
Columns = Mapping[str, Any] | Callable[[], Mapping[str, Any]]


@attrs.frozen(slots=True)
class RunOutcome:
    """What a run did: the month, whether the store changed, the customers run into
    which store, the figures; :meth:`text` is the line to print."""

    month: str
    changed: bool
    customers: int = 0
    store: str = ""
    figures: dict[str, int] = attrs.field(factory=dict)
    #: the reports and lists not written, with the reason code of each
    skipped: dict[str, str] = attrs.field(factory=dict)

    def text(self, lang: str = "en") -> str:
        """The line saying what the run did, in ``lang`` (``"en"`` or ``"zh_CN"``)."""
        return outcome_line(self.month, self.changed, self.customers, self.store, lang,
                            self.skipped)  # fmt: skip

    @property
    def message(self) -> str:
        """The line in English."""
        return self.text()


def month_period(value: str) -> Period:
    """``value`` as a calendar month, or ``InvalidInput``."""
    period = Period.parse(value)
    if period.kind != "month":
        raise refused("run.month.not_a_month", value=value)
    return period


def _settings(policy: Policy, catalogue: OfferCatalogue | None) -> Any:
    h = hashlib.sha256(policy.model_dump_json().encode())
    h.update(b"-" if catalogue is None else catalogue.model_dump_json().encode())
    return h


def source_digest(base: str | None, key: str | None, policy: Policy,
                  catalogue: OfferCatalogue | None) -> str | None:  # fmt: skip
    """The SHA-256 of the input as given (the file's bytes, or ``key`` naming generated
    columns), the policy and the catalogue; None when neither is known."""
    h = _settings(policy, catalogue)
    if base is not None:
        path = Path(base)
        files = partition_files(base) if path.is_dir() else [path]
        try:
            for file in files:
                h.update(file.name.encode() + b"\x00")
                with open(file, "rb") as f:
                    while chunk := f.read(1 << 22):
                        h.update(chunk)
        except OSError:
            return None  # the reading names the problem
    elif key is not None:
        h.update(key.encode())
    else:
        return None
    return "sha256:" + str(h.hexdigest())


def _order(month: str, done: dict[str, str], digest: Callable[[], str]) -> bool:
    """``False`` to run ``month``; ``True`` when it is in the store from the same
    extract (it changes nothing; only then is the extract's ``digest()`` waited for);
    or a refusal."""
    if month in done:
        if done[month] != digest():
            raise refused("run.month.other_extract", month=month)
        return True
    if done:
        last = max(done)
        if month < last:
            raise refused("run.month.before_last", month=month, last=last)
        expected = month_period(last).shifted(1).label
        if month != expected:
            raise refused("run.month.gap", month=month, expected=expected, last=last)
    return False


def _read(base: str | None, columns: Columns | None, month: Period, policy: Policy,
          catalogue: OfferCatalogue | None) -> Extract:  # fmt: skip
    """The checked extract, from a file or from columns (the generator)."""
    given = columns() if callable(columns) else columns
    con = duckdb_module().connect(":memory:")
    try:
        extract = read_extract(con, base, None if given is None else dict(given), policy,
                               month.end.isoformat())  # fmt: skip
    finally:
        con.close()
    return _sealed(extract, policy, catalogue)


def _sealed(extract: Extract, policy: Policy, catalogue: OfferCatalogue | None) -> Extract:
    """``extract`` whose digest also holds the policy and the catalogue (once made)."""
    settings = _settings(policy, catalogue)

    def seal(digest: str) -> str:
        h = settings.copy()
        h.update(digest.encode())
        return "sha256:" + str(h.hexdigest())

    return attrs.evolve(extract, pending=extract.pending.then(seal))


def _extract_of(base: str | None, columns: Columns | None, period: Period, policy: Policy,
                catalogue: OfferCatalogue | None, engine: str) -> tuple[Extract, Rules, list[int]]:  # fmt: skip
    """The checked extract, the engine's rules and the partitions' sizes."""
    if engine == "numpy":
        extract = _read(base, columns, period, policy, catalogue)
        return extract, ONE_PROCESS, [len(extract)]
    if engine != "dask":
        raise InvalidInput(f"--engine must be numpy or dask, got {engine!r}")
    if base is None:
        raise InvalidInput("--engine dask reads a folder of Parquet partitions: give --base FOLDER")
    files = partition_files(base)
    con = duckdb_module().connect(":memory:")
    try:
        extract, sizes = read_partitions(con, files, policy, period.end.isoformat())
    finally:
        con.close()
    return _sealed(extract, policy, catalogue), dask_rules(sizes), sizes


def _month_extract(base: str | None, columns: Columns | None, period: Period, policy: Policy,
                   catalogue: OfferCatalogue | None, engine: str,
                   sides: SideFiles) -> tuple[Extract, Rules, list[int], Sides]:  # fmt: skip
    """The checked extract with its side files, the rules and the partitions' sizes; its
    digest is still being made (a refusal here waits for its thread)."""
    extract, rules, sizes = _extract_of(base, columns, period, policy, catalogue, engine)
    try:
        extract, side = read_sides(extract, sides, policy, period.end.isoformat())
        extract = attrs.evolve(extract, pending=extract.pending.then(_sides_step(sides)))
    except BaseException:
        extract.pending.close()
        raise
    return extract, rules, sizes, side


def parts_folder(store: str) -> Path:
    """Where ``--engine dask`` writes the month's partitioned rows: ``STORE-parts/``."""
    path = Path(store)
    return path.with_name(path.stem + "-parts")


def run_month_into(
    store: str, month: str, *, base: str | None = None, columns: Columns | None = None,
    source_key: str | None = None, policy: Policy | None = None,
    catalogue: OfferCatalogue | None = None, progress: Progress | None = None,
    engine: str = "numpy", sides: SideFiles | None = None,
) -> RunOutcome:  # fmt: skip
    """Run ``month`` from the extract file ``base`` (or the numpy ``columns``, or a
    function making them, named by ``source_key``; with ``engine="dask"``, a folder of
    Parquet partitions) into the DuckDB file ``store``; see the module."""
    policy = as_policy(policy)
    say = progress or (lambda _step: None)
    period = month_period(month)
    sides = sides or SideFiles()
    given = _with_sides(source_digest(base, source_key, policy, catalogue), sides)
    new = not Path(store).exists()
    con = None if new else connect(store)
    extract = None
    try:
        if con is not None and given is not None and stored_source(con, period.label) == given:
            return RunOutcome(period.label, False)
        say("reading the extract")
        extract, rules, sizes, side = _month_extract(base, columns, period, policy, catalogue,
                                                     engine, sides)  # fmt: skip
        con = con or connect(store)
        done = months_run(con)
        if _order(period.label, done, extract.pending.value):
            return RunOutcome(period.label, False)
        say("reading the previous month")
        keys = keys_of(con, extract.ids)
        prev = last_state(con, max(done) if done else None, keys, policy)
        book = replay_book(con, keys.total, policy, period.start)
        result = run_month(extract.columns, period, prev, book, keys.rows, policy=policy,
                           catalogue=catalogue, say=say, rules=rules)  # fmt: skip
        say("writing the reports and lists")
        result, skipped = side_tables(con, result, extract.columns, side, keys.rows, period, policy)
        result, no_due = due_tables(
            result, extract.columns, side.events, days_of(period).expire_on, policy, say
        )
        skipped |= no_due
        del book, prev
        extract.columns.clear()  # the month's tables are what the store writes: free the rest
        empty = PointsBook.empty(np.zeros(0, np.int64), policy=policy)
        result = attrs.evolve(result, book=empty)  # not stored: the next month replays it
        say("writing the store")
        source = base if base is not None else "synthetic"
        runs = run_row(len(extract), source, extract.digest, days_of(period), __version__,
                       given or "")  # fmt: skip
        folder = parts_folder(store)
        with removing_partitions(folder, period.label, engine == "dask"):
            write_month(con, period.label, result, runs, extract.ids, keys, policy,
                        _parts(con, folder, period.label, result, sizes, engine))  # fmt: skip
    except BaseException:
        if new:  # a run that failed leaves no store it created
            _remove_store(con, store)
            con = None
        raise
    finally:
        _let_go(extract, con)
    return RunOutcome(period.label, True, len(extract), store, result.figures, skipped)


def _let_go(extract: Extract | None, con: Any) -> None:
    """Wait for the digest's thread (none outlives the run) and close ``con`` (if open)."""
    if extract is not None:
        extract.pending.close()
    if con is not None:
        con.close()


def _remove_store(con: Any, store: str) -> None:
    """Close ``con`` (if open) and remove the store file this run created (and its WAL)."""
    if con is not None:
        con.close()
    for path in (Path(store), Path(store + ".wal")):
        path.unlink(missing_ok=True)


def _parts(con: Any, folder: Path, month: str, result: Month, sizes: list[int],
           engine: str) -> Callable[[dict[str, Any]], None] | None:  # fmt: skip
    """With ``--engine dask``, what writes the month's partitions before the store's
    COMMIT, from the tables as written; else None."""
    if engine != "dask":
        return None

    def write(written: dict[str, Any]) -> None:
        rows = {t: (written[t], result.tables[t]["row"]) for t in PARTITIONED}
        write_partitions(con, folder, month, rows, sizes)

    return write


def _sides_step(sides: SideFiles) -> Callable[[str], Any]:
    """What :func:`_with_sides` makes of the extract's digest, the files read now."""
    if not sides.given():
        return lambda digest: digest
    more = sides.digest()
    return lambda digest: _joined(digest, more)


def _with_sides(digest: str | None, sides: SideFiles) -> Any:
    """``digest`` with the optional files' bytes (as it is without any; None when one
    cannot be read)."""
    if digest is None or not sides.given():
        return digest
    return _joined(digest, sides.digest())


def _joined(digest: str, more: bytes | None) -> str | None:
    if more is None:
        return None
    return "sha256:" + hashlib.sha256(digest.encode() + more).hexdigest()


def export_table(store: str, table: str, month: str, fmt: str, out: str | None = None) -> str:
    """Write ``table``'s rows of ``month`` from ``store`` as ``fmt`` (csv or parquet) to
    ``out`` (default ``TABLE-MONTH.FMT``); the path written."""
    if table not in (*TABLES, *VIEWS):
        raise InvalidInput(f"no table {table!r}; the tables are {[*TABLES, *VIEWS]}")
    if fmt not in ("csv", "parquet"):
        raise InvalidInput(f"--format must be csv or parquet, got {fmt!r}")
    label = month_period(month).label
    if not Path(store).is_file():
        raise InvalidInput(f"--store: no file {store!r}")
    target = _out_path(out or f"{table}-{label}.{fmt}", store)
    con = connect(store, read_only=True)
    try:
        if label not in months_run(con):
            raise InvalidInput(f"month {label} is not in the store {store!r}")
        try:
            con.execute(f"COPY (SELECT * FROM {table} WHERE month = '{label}' ORDER BY ALL) "
                        f"TO '{target}' (FORMAT {fmt})")  # fmt: skip
        except duckdb_module().Error as exc:
            raise InvalidInput(f"--out: cannot write {target!r}: {exc}") from None
    finally:
        con.close()
    return target


def _out_path(target: str, store: str) -> str:
    """``target`` if ``export`` can write a file there: in a folder that exists, not a
    folder itself, not the store; else ``InvalidInput`` naming ``--out``."""
    path = Path(target)
    if path.is_dir():
        raise InvalidInput(f"--out: {target!r} is a folder; give the path of a file")
    if not re.fullmatch(r"[^'\x00]+", target):
        raise InvalidInput(f"--out: cannot write to {target!r}")
    if not path.parent.is_dir():
        raise InvalidInput(f"--out: no folder {str(path.parent)!r} to write {target!r} in")
    if path.exists() and path.samefile(store):
        raise InvalidInput(f"--out: {target!r} is the store itself")
    return target
