"""The lot arithmetic of the points ledger: lots merged, taken earliest expiry first,
and given back or taken again by a reversal.  Pure functions of lots (expiry date,
points), which :class:`~telcare.PointsLedger` keeps and records; each looks only at
the few live lots, never at the ledger's length.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from telcare.points._postings import Lots

__all__ = ["merge", "reverse_accrual", "reverse_redemption", "take_earliest"]


def merge(lots: Lots, changes: Iterable[tuple[date, int]]) -> Lots:
    merged = dict(lots)
    for expiry, delta in changes:
        merged[expiry] = merged.get(expiry, 0) + delta
    return tuple(sorted((e, p) for e, p in merged.items() if p != 0))


def take_earliest(lots: Lots, on: date, points: int, skip: date | None = None) -> tuple[Lots, int]:
    """Take up to ``points`` from the live lots, earliest expiry first: (changes, taken)."""
    changes: list[tuple[date, int]] = []
    left = points
    for expiry, available in lots:
        if left == 0:
            break
        if expiry < on or expiry == skip or available <= 0:
            continue
        take = min(available, left)
        changes.append((expiry, -take))
        left -= take
    return tuple(changes), points - left


def reverse_redemption(
    debt: int, on: date, original: Lots, done: int, points: int
) -> tuple[Lots, int]:
    """(changes, repaid): ``points`` of the redeemed points go back to their lots, the
    last taken first (the latest expiry), after the ``done`` that earlier reversals gave
    back; live ones pay a debt off first."""
    returned: list[tuple[date, int]] = []
    skip, want = done, points
    for expiry, delta in sorted(original, reverse=True):
        given_before = min(skip, -delta)
        skip -= given_before
        give = min(-delta - given_before, want)
        want -= give
        if give:
            returned.append((expiry, give))
    returned.sort()
    repay = min(debt, sum(p for e, p in returned if e >= on))
    left = repay
    changes = []
    for expiry, given in returned:
        used = min(given, left) if expiry >= on else 0
        left -= used
        if given > used:
            changes.append((expiry, given - used))
    return tuple(changes), repay


def reverse_accrual(
    live: Lots, on: date, wanted: int, own: date, own_left: int
) -> tuple[Lots, int]:
    """(changes, short): what a reversal of an accrual of ``wanted`` points takes back,
    and what the lots cannot give (the ledger's ``reversal_mode`` says what becomes of
    it).  ``own`` is the lot of the accrual's cycle and ``own_left`` what it still holds
    (the accrual's own points come back from it, even when it paid a debt off and left
    nothing there: that is what the points book does, and what leaves the ledger as if
    the accrual had never been posted)."""
    # All the accrual's points come back, including any that paid a negative balance
    # off: that part was spent too, so it is taken from live points or becomes debt.
    changes: list[tuple[date, int]] = []
    taken = min(wanted, max(0, own_left))  # an expired part moves from expired to reversed
    if taken:
        changes.append((own, -taken))
    more, got = take_earliest(live, on, wanted - taken, skip=own)
    changes.extend(more)
    return tuple(changes), wanted - taken - got
