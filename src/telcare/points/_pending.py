"""Points that wait (``points.pending_days``): which of a ledger's points cannot be spent
yet.  Pure functions of the pending entries, each ``(release day, lot, points)``: the
points of the lot expiring on ``lot`` that accruals credited and that become
spendable at the start of ``release day``.

Pending points are in their lot already: they count in the balance and the liability,
and they expire with the lot if its cycle ends first.  The entries only say which of a
lot's points a redemption or a transfer may not take.  All accruals of one day land in
one lot and are released on one day, so an entry is one release day (the points of
that day's accruals, together; under a schedule, one release day and one lot).  There are at most as many entries as accrual days in
one pending period, however long the ledger.

A reversal takes points from the lots by the ledger's rule, whatever is pending
(pending limits what the customer may spend, not what the operator takes back); what
it took from a lot then comes off that lot's entries in this order: the reversed
accrual's own pending points first (they are the posting's own points), then the lot's
spendable points, then the lot's other pending points, the latest release first.

>>> from datetime import date
>>> entry = (date(2010, 2, 10), date(2011, 11, 30), 100)
>>> pending_on((entry,), date(2010, 2, 9)), pending_on((entry,), date(2010, 2, 10))
(100, 0)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from telcare.points._postings import Lots

__all__ = [
    "Pending",
    "add_pending",
    "next_release",
    "open_pending",
    "pending_on",
    "settle_pending",
    "spendable_lots",
]

#: Pending entries: (release day, lot expiry, points), by release day, then lot.
Pending = tuple[tuple[date, date, int], ...]


def open_pending(pending: Pending, on: date) -> Pending:
    """The entries still pending on ``on``: not released yet, in a lot not lapsed."""
    if pending[0][0] > on and min(e for _, e, _ in pending) >= on:
        return pending
    return tuple(entry for entry in pending if entry[0] > on and entry[1] >= on)


def pending_on(pending: Pending, on: date) -> int:
    """The points pending on ``on`` (released later, in a lot still live)."""
    return sum(p for r, e, p in pending if r > on and e >= on)


def next_release(pending: Pending, on: date) -> date | None:
    """The first day after ``on`` on which pending points are released, if any."""
    days = [r for r, e, p in pending if r > on and e >= on and p > 0]
    return min(days) if days else None


def add_pending(pending: Pending, release: date, lot: tuple[date, int]) -> Pending:
    """``pending`` with the points of ``lot`` (expiry, points) waiting until ``release``.

    Under a schedule two days' accruals can share a release day (a shorter pending
    period after a change) and still be in two lots, so an entry is one release day
    and one lot."""
    expiry, points = lot
    if pending and pending[-1][:2] == (release, expiry):
        return (*pending[:-1], (release, expiry, pending[-1][2] + points))
    if not pending or pending[-1][:2] < (release, expiry):
        return (*pending, (release, expiry, points))
    merged = {(r, e): p for r, e, p in pending}
    merged[release, expiry] = merged.get((release, expiry), 0) + points
    return tuple(sorted((r, e, p) for (r, e), p in merged.items()))


def spendable_lots(live: Lots, pending: Pending, on: date) -> Lots:
    """The live lots less what is pending in each on ``on``: what may be spent."""
    held: dict[date, int] = {}
    for r, e, p in pending:
        if r > on and e >= on:
            held[e] = held.get(e, 0) + p
    if not held:
        return live
    return tuple((e, p - held.get(e, 0)) for e, p in live)


def settle_pending(
    pending: Pending, live: Lots, changes: Iterable[tuple[date, int]], own: date
) -> Pending:
    """``pending`` after a reversal of the accrual released on ``own`` took ``changes``
    from the lots ``live`` (as they were before it): from each lot, the own pending
    points first, then the lot's spendable points, then its other pending points, the
    latest release first."""
    left = {(r, e): p for r, e, p in pending}
    held = dict(live)
    for expiry, delta in changes:
        releases = sorted((r for r, e, _ in pending if e == expiry), reverse=True)
        if delta >= 0 or not releases:
            continue
        want = -delta
        spendable = held.get(expiry, 0) - sum(left[r, expiry] for r in releases)
        if own in releases:
            take = min(want, left[own, expiry])
            left[own, expiry] -= take
            want -= take
        want -= min(want, max(0, spendable))
        for r in releases:
            take = min(want, left[r, expiry])
            left[r, expiry] -= take
            want -= take
    return tuple((r, e, left[r, e]) for r, e, _ in pending if left[r, e] > 0)
