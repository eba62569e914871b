"""A reversal of a ledger posting, whole or partial (``PointsLedger.reverse``).

A reversal is a posting of its own, under its own reference (``adjustment``, by
default ``ref + "#reversal"``), recording the points it undid; the store indexes a
posting's reversals, so what is left of the posting is a sum over its few reversals.
Idempotency is the ledger's rule for every posting: the same request under the same
reference is a no-op, another request under it is
:class:`~telcare._core.errors.DuplicatePosting`.  A call that reverses "what is left"
(``points`` omitted) is a retry of the reversal under its reference when that one, on
the same day, left nothing: retrying it after it succeeded must not look like asking
for zero points.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from telcare._core.errors import DuplicatePosting, InsufficientPoints, InvalidInput
from telcare._core.limits import MAX_DATE, MAX_POINTS, MIN_DATE
from telcare.points._append import post_reversal
from telcare.points._lots import reverse_accrual, reverse_redemption
from telcare.points._queries import check_points, check_ref
from telcare.points._store import Request, Row, make_row

if TYPE_CHECKING:
    from telcare.points._ledger import PointsLedger

__all__ = ["reverse_generally", "reverse_posting"]


def _original(ledger: PointsLedger, ref: str) -> Row:
    original = ledger._store.find(ref, len(ledger))
    if original is None:
        raise InvalidInput(f"no posting {ref!r} to reverse for customer {ledger.customer_id!r}")
    if original.kind not in ("accrue", "redeem"):
        raise InvalidInput(
            f"{ref!r} is a {original.kind}; only accruals and redemptions are reversed "
            "(undo a transfer with a transfer back)"
        )
    return original


def _asked(ledger: PointsLedger, ref: str, points: int | None, left: int, on: date) -> int:
    """The points to undo: ``points``, checked against what is left of ``ref``."""
    if left == 0:
        raise InvalidInput(
            f"{ref!r} is already wholly reversed for customer {ledger.customer_id!r}; "
            f"nothing is left to reverse on {on}"
        )
    if points is None:
        return left
    if points > left:
        raise InvalidInput(
            f"points: {points:,} is more than the {left:,} points of {ref!r} not reversed "
            f"yet for customer {ledger.customer_id!r}"
        )
    return points


def reverse_posting(
    ledger: PointsLedger, ref: str, on: date, points: int | None, adjustment: str | None
) -> PointsLedger:
    """``ledger`` with ``points`` of the posting ``ref`` undone under ``adjustment``.

    The common case (plain arguments, a new reversal in date order, nothing pending,
    under one policy) is checked in line and posted in one step
    (:func:`~telcare.points._append.post_reversal`); anything else, or anything that
    declines, takes the general way, which posts or refuses it as before."""
    if (
        type(ref) is str
        and ref
        and ref.strip() == ref
        and type(on) is date
        and MIN_DATE <= on <= MAX_DATE
        and (points is None or (type(points) is int and 1 <= points <= MAX_POINTS))
        and (adjustment is None or (type(adjustment) is str and adjustment.strip() == adjustment))
        and adjustment != ""
        and len(ledger)
    ):
        undo = ref + "#reversal" if adjustment is None else adjustment
        grown = post_reversal(ledger._store, len(ledger), ref, on, points, undo)
        if grown is not None:
            return ledger._grown(grown)
    return reverse_generally(ledger, ref, on, points, adjustment)


def reverse_generally(
    ledger: PointsLedger, ref: str, on: date, points: int | None, adjustment: str | None
) -> PointsLedger:
    """:func:`reverse_posting` by the general checks and append: any reversal, posted or
    refused by name."""
    ref = check_ref(ref)
    on = ledger._day(on, "on")
    undo = f"{ref}#reversal" if adjustment is None else check_ref(adjustment, "adjustment")
    store, n = ledger._store, len(ledger)
    original = _original(ledger, ref)
    left = original.points - store.reversed_of(ref, n)
    if points is not None:
        points = check_points(points)
    existing = store.find(undo, n)
    if existing is not None:
        same = existing.original == ref and existing.on == on
        if same and (points == existing.points or (points is None and left == 0)):
            return ledger  # a retry of the reversal under this reference
        attempted = ("reverse", on, left if points is None else points, None, None, ref)
        raise DuplicatePosting(undo, existing.request(), attempted)
    asked = _asked(ledger, ref, points, left, on)
    request: Request = ("reverse", on, asked, None, None, ref)
    state = ledger._ready(undo, request)
    assert state is not None  # the reference is not posted (checked above)
    if original.kind == "redeem":
        done = original.points - left
        changes, repay = reverse_redemption(state.debt, on, original.lots, done, asked)
        return ledger._with(make_row(undo, request, changes, -repay, 0))
    own = ledger.expiry_for(original.on)
    changes, short = reverse_accrual(state.live, on, asked, own, store.lot(own, n))
    mode = ledger._terms(on).reversal_mode  # the policy in force on the reversal's day
    if short and mode == "refuse":
        balance = sum(p for e, p in state.live if e >= on) - state.debt
        raise InsufficientPoints(asked, max(0, balance), ledger.customer_id)
    if mode == "allow_negative":
        return ledger._with(make_row(undo, request, changes, short, 0))
    return ledger._with(make_row(undo, request, changes, 0, short))
