"""Key moment 3: the first bill, explained within ``first_bill_days`` (3) of its issue."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telcare.moments._actions import Action
from telcare.moments._deadlines import due_after
from telcare.moments._events import BillIssued
from telcare.moments._reasons import BILL
from telcare.moments._spec import builtin
from telcare.policy import Moment

if TYPE_CHECKING:
    from telcare.moments._forms import Replay

__all__ = ["FIRST_BILL"]


def _first_bill(r: Replay) -> list[Action]:
    bills = r.of(BillIssued)
    if not bills:
        return []
    t, bill = bills[0]
    opened = t.date()
    reason = BILL(amount=bill.amount, on=opened)
    return [
        r.action(
            Moment.FIRST_BILL,
            opened,
            due_after(opened, r.m.first_bill_days, Moment.FIRST_BILL, r.policy),
            reason,
            closed=r.closed(Moment.FIRST_BILL, opened),
        )
    ]


FIRST_BILL = builtin(
    Moment.FIRST_BILL, "First bill", (BillIssued,), ("first_bill_days",), _first_bill
)
