"""Points that wait in the points book (``points.pending_days``), by the ledger's rule
(:mod:`telcare.points._pending`): one column per release day, with the lot its points
are in.  Pure functions of those columns and the lots', with no loop over customers.

A column is the points of the accruals of one day, released at the start of the day
``pending_days`` later; they are in their lot already (the balance and the liability
count them) and expire with it.  There are at most as many columns as posting days in
one pending period.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from telcare.points._book_columns import Column, frozen, zeros

__all__ = [
    "PendingColumns", "add_column", "free_columns", "held_by_lot", "open_columns",
    "settle_columns", "total",
]  # fmt: skip

#: (release day, lot expiry, points column), by release day, then lot.
PendingColumns = tuple[tuple[date, date, Column], ...]


def open_columns(pending: PendingColumns, on: date) -> PendingColumns:
    """The columns still pending on ``on``: not released yet, in a lot not lapsed."""
    if not pending:
        return pending
    return tuple(entry for entry in pending if entry[0] > on and entry[1] >= on)


def add_column(
    pending: PendingColumns, release: date, expiry: date, points: Column
) -> PendingColumns:
    """``pending`` with ``points`` in the lot ``expiry`` waiting until ``release``."""
    if not points.any():
        return pending
    for i, (r, e, column) in enumerate(pending):
        if (r, e) == (release, expiry):  # under a schedule two lots may share a release day
            merged = frozen(column + points)
            return (*pending[:i], (r, e, merged), *pending[i + 1 :])
    entry = (release, expiry, frozen(points.copy()) if points.flags.writeable else points)
    return tuple(sorted((*pending, entry), key=lambda item: item[:2]))


def held_by_lot(pending: PendingColumns, on: date) -> dict[date, Column]:
    """Each lot's points pending on ``on`` (only lots that have some)."""
    held: dict[date, Column] = {}
    for r, e, column in pending:
        if r > on and e >= on:
            held[e] = held[e] + column if e in held else column
    return held


def total(pending: PendingColumns, on: date, n: int) -> Column:
    """Each customer's points pending on ``on``."""
    out = zeros(n).copy()
    for r, e, column in pending:
        if r > on and e >= on:
            out += column
    return out


def free_columns(
    lots: list[Column], expiries: list[date], held: dict[date, Column]
) -> list[Column]:
    """The points of each of ``lots`` (expiring on ``expiries``) that may be spent: less
    what is pending in it."""
    return [lot if e not in held else lot - held[e] for lot, e in zip(lots, expiries, strict=True)]


def settle_columns(
    pending: PendingColumns,
    expiries: tuple[date, ...],
    before: tuple[Column, ...],
    after: list[Column],
    own: date,
) -> PendingColumns:
    """``pending`` after a reversal of the accruals released on ``own`` took the lots
    from ``before`` to ``after``: from each lot, the own pending points first, then the
    lot's spendable points, then its other pending points, the latest release first."""
    if not pending:
        return pending
    left = {(r, e): column for r, e, column in pending}
    for expiry, old, new in zip(expiries, before, after, strict=True):
        releases = sorted((r for r, e, _ in pending if e == expiry), reverse=True)
        if new is old or not releases:
            continue
        want = old - new
        spendable = old - sum((left[r, expiry] for r in releases), zeros(len(old)))
        if own in releases:
            got = np.minimum(want, left[own, expiry])
            left[own, expiry] = left[own, expiry] - got
            want -= got
        want -= np.minimum(want, np.maximum(spendable, 0))
        for r in releases:
            got = np.minimum(want, left[r, expiry])
            left[r, expiry] = left[r, expiry] - got
            want -= got
    return tuple((r, e, frozen(left[r, e])) for r, e, _ in pending if left[r, e].any())
