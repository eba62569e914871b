"""An accrual's one step (:meth:`PointsLedger.accrue <telcare.PointsLedger.accrue>`, four
postings in five), and a plain redemption's (:func:`post_redemption`): its posting and the state after it, worked out from the state before
and appended to the store, all on local names, with no call for the cases that do not
come up (a lapsed lot, pending points, a debt).

:func:`post_accrual` takes arguments already checked and declines (returns ``None``)
whatever is not a plain new accrual in date order within the points limit: a reference
already posted (a retry or a duplicate), a date before the last posting's, earned and
received points past ``MAX_POINTS``.  The ledger then takes its general way, which
posts it or refuses it by name as before.  What it appends is what the general append
(:meth:`Store._push <telcare.points._store.Store._push>`) would: the same posting and
the same state, so the two ways cannot be told apart afterwards (``to_dict``, digest,
replay).
"""

from __future__ import annotations

from datetime import date, timedelta

from telcare._core.dates import CYCLE_START_MONTH
from telcare._core.limits import MAX_POINTS
from telcare.points._pending import add_pending, open_pending
from telcare.points._postings import Lots
from telcare.points._store import EMPTY, Entry, Store, Tally

__all__ = ["post_accrual", "post_redemption"]


def post_accrual(
    store: Store, n: int, ref: str, on: date, points: int, source: str
) -> Store | None:
    """The store holding the first ``n`` entries of ``store`` and then the accrual of
    ``points`` from ``source`` on ``on`` as ``ref`` (``store`` itself when ``n`` is its
    end, else a copy of that prefix); ``None`` when the accrual is not a plain new one
    (see the module's docstring)."""
    index = store.refs.get(ref)
    if index is not None and index < n:
        return None  # a retry or a duplicate
    if n:
        if on < store.dates[n - 1]:
            return None  # out of date order: refused
        prev = store.states[n - 1]
    else:
        prev = EMPTY
    live, expired, debt, earned, back, redeemed, sent, received, lost, pending = prev
    if earned + received + points > MAX_POINTS:
        return None  # refused
    rules = store.rules
    lots: Lots
    if debt:  # a debt (a negative balance) is paid off first
        repay = points if points < debt else debt
        if points == repay:
            lots = ()
    else:
        repay = 0
    if points > repay:  # the lot's expiry, remembered by cycle (by day under a schedule)
        found = None if rules else store.cycles.get(on.year + (on.month >= CYCLE_START_MONTH))
        expiry = store.expiry_on(on) if found is None else found
        lot = (expiry, points - repay)
        lots = (lot,)
    row: Entry = (ref, "accrue", on, points, source, None, None, lots, -repay, 0)
    if not store.claims.pop(n, False):
        store = store._prefix(n)  # an older value branched (see Store._claim)
    try:
        if live and live[0][0] < on:
            live, expired = store._lapse(live, expired, on, n)
        if pending:
            pending = open_pending(pending, on)
        if lots:
            if not live or expiry > live[-1][0]:
                live = (*live, lot)
            elif expiry == live[-1][0] and live[-1][1] + lot[1]:
                live = (*live[:-1], (expiry, live[-1][1] + lot[1]))
            else:
                live, expired = store._apply(live, expired, row, n)
            days = store.settings.pending_days if rules is None else rules.on(on).pending_days
            if days:
                pending = add_pending(pending, on + timedelta(days=days), lot)
        store.states.append(
            (live, expired, debt - repay, earned + points, back, redeemed, sent, received,
             lost, pending)
        )  # fmt: skip
        store.rows.append(row)
        store.dates.append(on)
        store.refs[ref] = n
    finally:
        store.claims[len(store.rows)] = True
    return store


def post_redemption(
    store: Store, n: int, ref: str, on: date, points: int, prev: Tally
) -> tuple[Store, Entry] | None:
    """The store holding the first ``n`` entries of ``store`` and then the redemption of
    ``points`` on ``on`` as ``ref``, and its posting: a new reference in date order onto
    ``prev`` (the state after those entries) with nothing pending.  It takes the earliest
    live lots, the last perhaps in part; ``None`` when they hold too few points (the
    general way refuses it, naming what there is)."""
    live, expired, debt, earned, back, redeemed, sent, received, lost, pending = prev
    available = -debt
    for expiry, held in live:
        if expiry >= on:
            available += held
    if points > available:
        return None
    if not store.claims.pop(n, False):
        store = store._prefix(n)  # an older value branched (see Store._claim)
    try:
        if live and live[0][0] < on:
            live, expired = store._lapse(live, expired, on, n)
        taken = []
        left = points
        for k, (expiry, held) in enumerate(live):  # all live now, none zero, earliest first
            if held > left:
                taken.append((expiry, -left))
                live = ((expiry, held - left), *live[k + 1 :])
                break
            taken.append((expiry, -held))
            left -= held
            if not left:
                live = live[k + 1 :]
                break
        changes = tuple(taken)
        row: Entry = (ref, "redeem", on, points, None, None, None, changes, 0, 0)
        store.states.append(
            (live, expired, debt, earned, back, redeemed + points, sent, received, lost, pending)
        )
        store.rows.append(row)
        store.dates.append(on)
        store.refs[ref] = n
    finally:
        store.claims[len(store.rows)] = True
    return store, row
