"""An accrual's one step (:meth:`PointsLedger.accrue <telcare.PointsLedger.accrue>`, four
postings in five), a plain redemption's (:func:`post_redemption`) and a plain reversal's
(:func:`post_reversal`): its posting and the state after it, worked out from the state
before and appended to the store, all on local names, with no call for the cases that
do not come up (a lapsed lot, pending points, a debt).

:func:`post_accrual` takes arguments already checked and declines (returns ``None``)
whatever is not a plain new accrual in date order within the points limit: a reference
already posted (a retry or a duplicate), a date before the last posting's, earned and
received points past ``MAX_POINTS``.  The ledger then takes its general way, which
posts it or refuses it by name as before.  What it appends is what the general append
(:meth:`Store._push <telcare.points._store.Store._push>`) would: the same posting and
the same state, so the two ways cannot be told apart afterwards (``to_dict``, digest,
replay).  :func:`post_redemption` and :func:`post_reversal` decline in the same way.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from telcare._core.dates import CYCLE_START_MONTH
from telcare._core.limits import MAX_POINTS
from telcare.points._lots import reverse_accrual, reverse_redemption
from telcare.points._pending import add_pending, open_pending
from telcare.points._store import EMPTY, Entry, Flat, Store, Tally, flat, pairs

__all__ = ["post_accrual", "post_redemption", "post_reversal"]


def post_accrual(
    store: Store, n: int, ref: str, on: date, points: int, source: str
) -> Store | None:
    """The store holding the first ``n`` entries of ``store`` and then the accrual of
    ``points`` from ``source`` on ``on`` as ``ref`` (``store`` itself when ``n`` is its
    end, else a copy of that prefix); ``None`` when the accrual is not a plain new one
    (see the module's docstring)."""
    index = store.refs.get(ref)
    if (index is not None and index < n) or (n and on < store.dates[n - 1]):
        return None  # a retry or a duplicate; out of date order: refused
    prev = store.states[n - 1] if n else EMPTY
    live, expired, debt, earned, back, redeemed, sent, received, lost, pending = prev
    if earned + received + points > MAX_POINTS:
        return None  # refused
    rules = store.rules
    lots: Flat
    if debt:  # a debt (a negative balance) is paid off first
        repay = points if points < debt else debt
        if points == repay:
            lots = ()
    else:
        repay = 0
    if points > repay:  # the lot's expiry, remembered by cycle (by day under a schedule)
        found = None if rules else store.cycles.get(on.year + (on.month >= CYCLE_START_MONTH))
        expiry = store.expiry_on(on) if found is None else found
        lots = (expiry, points - repay)
    row: Entry = (ref, "accrue", on, points, source, None, None, lots, -repay, 0)
    if not store.claims.pop(n, False):
        store = store._prefix(n)  # an older value branched (see Store._claim)
    try:
        if live and live[0] < on:
            live, expired = store._lapse(live, expired, on, n)
        if pending:
            pending = open_pending(pending, on)
        if lots:
            if not live or expiry > live[-2]:
                live = live + lots
            elif expiry == live[-2] and live[-1] + lots[1]:
                live = live[:-2] + (expiry, live[-1] + lots[1])  # noqa: RUF005 (faster)
            else:
                live, expired = store._apply(live, expired, row, n)
            days = store.settings.pending_days if rules is None else rules.on(on).pending_days
            if days:
                pending = add_pending(pending, on + timedelta(days=days), (expiry, lots[1]))
        store.states.append(
            (live, expired, debt - repay, earned + points, back, redeemed, sent, received,
             lost, pending)
        )  # fmt: skip
        store.rows.append(row)
        store.kept.append(lots)  # for the collector (see _store)
        store.kept.append(live)
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
    available = -debt  # held_on(live, on) - debt, written out on the hot path
    for k in range(0, len(live), 2):
        if live[k] >= on:
            available += live[k + 1]
    if points > available:
        return None
    if not store.claims.pop(n, False):
        store = store._prefix(n)  # an older value branched (see Store._claim)
    try:
        if live and live[0] < on:
            live, expired = store._lapse(live, expired, on, n)
        taken: list[Any] = []
        left = points
        for k in range(0, len(live), 2):  # all live now, none zero, earliest first
            expiry, held = live[k], live[k + 1]
            if held > left:
                taken += (expiry, -left)
                live = (expiry, held - left) + live[k + 2 :]  # noqa: RUF005 (faster)
                break
            taken += (expiry, -held)
            left -= held
            if not left:
                live = live[k + 2 :]
                break
        changes = tuple(taken)
        row: Entry = (ref, "redeem", on, points, None, None, None, changes, 0, 0)
        store.states.append(
            (live, expired, debt, earned, back, redeemed + points, sent, received, lost, pending)
        )
        store.rows.append(row)
        store.kept.append(changes)  # for the collector (see _store)
        store.kept.append(live)
        store.dates.append(on)
        store.refs[ref] = n
    finally:
        store.claims[len(store.rows)] = True
    return store, row


def _reversal_row(
    store: Store, n: int, ref: str, on: date, points: int | None, undo: str
) -> Entry | None:
    """The posting of a plain reversal of ``ref`` under ``undo`` among the first ``n``
    entries, as :func:`~telcare.points._reversal.reverse_generally` would build it;
    ``None`` for anything else: no such posting or not an accrual or a redemption, a
    schedule, ``undo`` posted already (a retry or a duplicate), out of date order,
    pending points, nothing left or fewer points left than asked, or a ``refuse``
    policy that the balance cannot cover (the general way refuses those by name)."""
    index = store.refs.get(ref)
    if index is None or index >= n or store.rules is not None:
        return None
    done = store.refs.get(undo)
    if (done is not None and done < n) or on < store.dates[n - 1]:
        return None
    prev = store.states[n - 1]
    _, kind, posted_on, posted, _, _, _, lots, _, _ = store.rows[index]
    left = posted
    reversals = store.reversals.get(ref)
    if reversals:
        rows = store.rows
        left -= sum(rows[i][3] for i in reversals if i < n)
    if prev[9] or not left or (points is not None and points > left):
        return None
    asked = left if points is None else points
    if kind == "redeem":
        changes, repay = reverse_redemption(prev[2], on, pairs(lots), posted - left, asked)
        return (undo, "reverse", on, asked, None, None, ref, flat(changes), -repay, 0)
    if kind != "accrue":
        return None
    own = store.expiry_on(posted_on)
    taken, short = reverse_accrual(pairs(prev[0]), on, asked, own, store.lot(own, n))
    mode = store.terms.reversal_mode
    if short and mode == "refuse":
        return None
    changes = flat(taken)
    if mode == "allow_negative":
        return (undo, "reverse", on, asked, None, None, ref, changes, short, 0)
    return (undo, "reverse", on, asked, None, None, ref, changes, 0, short)


def post_reversal(
    store: Store, n: int, ref: str, on: date, points: int | None, undo: str
) -> Store | None:
    """The store holding the first ``n`` entries of ``store`` and then the reversal of
    ``points`` of ``ref`` (what is left of it when ``None``) on ``on`` as ``undo``, the
    arguments checked already; ``None`` when it is not a plain one (see
    :func:`_reversal_row`)."""
    row = _reversal_row(store, n, ref, on, points, undo)
    if row is None:
        return None
    lots = row[7]  # in a local for the collector while a branch is copied (see _store)
    live, expired, debt, earned, back, redeemed, sent, received, lost, pending = store.states[n - 1]
    if not store.claims.pop(n, False):
        store = store._prefix(n)  # an older value branched (see Store._claim)
    try:
        store.reversals.setdefault(ref, []).append(n)
        if live and live[0] < on:
            live, expired = store._lapse(live, expired, on, n)
        if lots:
            live, expired = store._apply(live, expired, row, n)
        undone, debt = row[3], debt + row[8]
        if store.rows[store.refs[ref]][1] == "redeem":
            redeemed -= undone
        else:
            back, lost = back + undone - row[9], lost + row[9]
        store.states.append(
            (live, expired, debt, earned, back, redeemed, sent, received, lost, pending)
        )
        store.rows.append(row)
        store.kept.append(lots)  # for the collector (see _store)
        store.kept.append(live)
        store.dates.append(on)
        store.refs[undo] = n
    finally:
        store.claims[len(store.rows)] = True
    return store
