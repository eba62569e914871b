"""A transfer of points between two customers' ledgers (``PointsLedger.transfer``): one
posting on each side under one reference, the receiver's lots keeping the sender's
expiry dates, and the receiver's negative balance paid off first.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from telcare._core.checks import instance
from telcare._core.errors import InvalidInput
from telcare.points._lots import merge, take_earliest
from telcare.points._postings import Lots
from telcare.points._queries import check_points, check_ref
from telcare.points._store import Entry, Request, make_row, pairs

if TYPE_CHECKING:
    from telcare.points._ledger import PointsLedger

__all__ = ["receive_row", "transfer_points"]


def receive_row(ledger: PointsLedger, ref: str, request: Request, credit: Lots) -> Entry:
    """The transfer-in posting of ``credit`` (the sender's lots): a negative balance
    is paid off first, from the earliest lots."""
    ledger._check_order(request[1])
    ledger._terms(request[1])  # a day before the receiver's schedule's first is refused, by name
    ledger._check_inflow(request[2])
    repay = min(request[2], ledger._head().debt)
    if repay:
        paid, _ = take_earliest(credit, date.min, repay)
        credit = merge(credit, paid)
    return make_row(ref, request, credit, -repay, 0)


def transfer_points(
    kind: type[PointsLedger], sender: PointsLedger, ref: str, on: date, points: int, to: object
) -> tuple[PointsLedger, PointsLedger]:
    """``(sender, receiver)`` after ``points`` moved from ``sender`` to ``to`` on ``on``
    (``to`` must be a ``kind``, a PointsLedger)."""
    ref = check_ref(ref)
    on = sender._day(on, "on")
    points = check_points(points)
    sender._terms(on)  # a day before a schedule's first is refused, by name
    receiver = instance(to, kind, "to must be a PointsLedger, got {got}")
    if receiver.customer_id == sender.customer_id:
        raise InvalidInput(f"cannot transfer points from customer {sender.customer_id!r} to itself")
    out_request: Request = ("transfer_out", on, points, None, receiver.customer_id, None)
    in_request: Request = ("transfer_in", on, points, None, sender.customer_id, None)
    sent: Entry | None = sender._existing(ref, out_request)
    received = receiver._existing(ref, in_request)
    fresh = sent is None
    if sent is None:
        sent = sender._spend(ref, out_request)
    # The posting's lots in a local until it is stored: a young collection while the
    # receiver's side is worked out then finds them where they were made, before the
    # posting, and lets both go untracked (the collector's business only: see _store).
    lots = sent[7]
    credit = None if received else receive_row(receiver, ref, in_request, _credit(pairs(lots)))
    after = receiver if credit is None else receiver._with(credit)
    return (sender._with(sent) if fresh else sender), after


def _credit(sent: Lots) -> Lots:
    return tuple((e, -d) for e, d in sent)
