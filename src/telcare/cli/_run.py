"""``telcare run``: the operator's month, from its extract into the DuckDB store.

:func:`run_month_into` reads and checks the extract (every bad row named, nothing
written), refuses a month out of order, rebuilds the state the store's previous
month left (tiers and missed evaluations, the points book replayed), runs the month
through the rules (:mod:`telcare.cli._month`) and writes every table in one
transaction.  A month already in the store with the same extract changes nothing.
:func:`export_table` writes one table's month as CSV or Parquet.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from telcare import __version__
from telcare._core.dates import Period
from telcare._core.errors import InvalidInput
from telcare.cli._extract import load_columns, load_raw, typed_columns, validate
from telcare.cli._month import days_of, run_month
from telcare.cli._store import (
    TABLES,
    connect,
    duckdb_module,
    last_state,
    months_run,
    replay_book,
    run_row,
    write_month,
)
from telcare.policy import OfferCatalogue, Policy, as_policy

__all__ = ["RunOutcome", "export_table", "month_period", "run_month_into"]

Progress = Callable[[str], None]


@attrs.frozen(slots=True)
class RunOutcome:
    """What a run did: the month, whether the store changed, a line to print, the figures."""

    month: str
    changed: bool
    message: str
    figures: dict[str, int] = attrs.field(factory=dict)


def month_period(value: str) -> Period:
    """``value`` as a calendar month, or ``InvalidInput``."""
    period = Period.parse(value)
    if period.kind != "month":
        raise InvalidInput(f"--month must be a month such as '2010-11', got {value!r}")
    return period


def _digest(cols: dict[str, Any], policy: Policy, catalogue: OfferCatalogue | None) -> str:
    """The SHA-256 of the checked extract, the policy and the catalogue."""
    h = hashlib.sha256(policy.model_dump_json().encode())
    h.update(b"-" if catalogue is None else catalogue.model_dump_json().encode())
    for name in sorted(cols):
        values = cols[name]
        h.update(name.encode())
        if values.dtype == object:
            h.update("\x1f".join(values.tolist()).encode())
        else:
            h.update(np.ascontiguousarray(values).tobytes())
    return "sha256:" + h.hexdigest()


def _order(month: str, done: dict[str, str], digest: str) -> str | None:
    """``None`` to run ``month``; the reason it changes nothing; or a refusal."""
    if month in done:
        if done[month] != digest:
            raise InvalidInput(f"month {month} is already in the store from another extract "
                               "(or policy): nothing changed; a month is run once")  # fmt: skip
        return f"month {month} already in the store: nothing changed"
    if done:
        last = max(done)
        if month < last:
            raise InvalidInput(f"month {month} is before the last month in the store, {last}: "
                               "nothing changed")  # fmt: skip
        expected = month_period(last).shifted(1).label
        if month != expected:
            raise InvalidInput(f"month {month} leaves a gap: {expected} is not in the store yet "
                               f"(the last month run is {last}); nothing changed")  # fmt: skip
    return None


def _read(
    base: str | None, columns: dict[str, Any] | None, month: Period, policy: Policy
) -> dict[str, Any]:
    """The checked extract as numpy columns, from a file or from columns (the generator)."""
    con = duckdb_module().connect(":memory:")
    try:
        if base is not None:
            load_raw(con, base)
        else:
            assert columns is not None
            load_columns(con, columns)
        validate(con, base or "the synthetic extract", policy, month.end.isoformat())
        return typed_columns(con)
    finally:
        con.close()


def run_month_into(
    store: str, month: str, *, base: str | None = None, columns: dict[str, Any] | None = None,
    policy: Policy | None = None, catalogue: OfferCatalogue | None = None,
    progress: Progress | None = None,
) -> RunOutcome:  # fmt: skip
    """Run ``month`` from the extract file ``base`` (or the numpy ``columns``) into the
    DuckDB file ``store``; see the module."""
    policy = as_policy(policy)
    say = progress or (lambda _step: None)
    period = month_period(month)
    say("reading the extract")
    cols = _read(base, columns, period, policy)
    digest = _digest(cols, policy, catalogue)
    con = connect(store)
    try:
        done = months_run(con)
        same = _order(period.label, done, digest)
        if same is not None:
            return RunOutcome(period.label, False, same)
        say("reading the previous month")
        prev = last_state(con, max(done) if done else None, cols["customer_id"], policy)
        book, rows = replay_book(con, cols["customer_id"], policy)
        result = run_month(
            cols, period, prev, book, rows, policy=policy, catalogue=catalogue, say=say
        )
        say("writing the store")
        source = base if base is not None else "synthetic"
        runs = run_row(len(rows), source, digest, days_of(period), __version__)
        write_month(con, period.label, result, runs)
    finally:
        con.close()
    n = len(cols["customer_id"])
    return RunOutcome(period.label, True, f"month {period.label}: {n:,} customers run into {store}",
                      result.figures)  # fmt: skip


def export_table(store: str, table: str, month: str, fmt: str, out: str | None = None) -> str:
    """Write ``table``'s rows of ``month`` from ``store`` as ``fmt`` (csv or parquet) to
    ``out`` (default ``TABLE-MONTH.FMT``); the path written."""
    if table not in TABLES:
        raise InvalidInput(f"no table {table!r}; the tables are {list(TABLES)}")
    if fmt not in ("csv", "parquet"):
        raise InvalidInput(f"--format must be csv or parquet, got {fmt!r}")
    label = month_period(month).label
    if not Path(store).is_file():
        raise InvalidInput(f"--store: no file {store!r}")
    target = out or f"{table}-{label}.{fmt}"
    if not re.fullmatch(r"[^'\x00]+", target):
        raise InvalidInput(f"--out: cannot write to {target!r}")
    con = connect(store, read_only=True)
    try:
        if label not in months_run(con):
            raise InvalidInput(f"month {label} is not in the store {store!r}")
        con.execute(f"COPY (SELECT * FROM {table} WHERE month = '{label}' ORDER BY ALL) "
                    f"TO '{target}' (FORMAT {fmt})")  # fmt: skip
    finally:
        con.close()
    return target
