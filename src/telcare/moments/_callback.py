"""Key moments 1 and 2: the new-subscriber callback and the first tutoring (seed 001).

A postpaid activation opens the callback, due in ``callback_days`` (3), or in
``callback_fast_days`` (2) for plans of ``callback_fast_plan_fee`` (126 yuan)
and above or a handset named in ``callback_fast_devices`` (iPhones).  A reached
callback closes it; failed callbacks in ``verification.failed_slots`` (three)
different time slots close it as ``outcome="suspicious"`` and open no tutoring.
A genuine user on a plan of ``tutoring_plan_fee`` (96 yuan) and above then gets a
service manager within ``assign_days`` (2) and a first tutoring ``tutoring_days``
(7) after the manager is assigned.  Both moments are one-customer only: they
follow a sequence of events, not an account's state.
"""

from __future__ import annotations

import bisect
from datetime import date, datetime
from typing import TYPE_CHECKING

import telcare.moments._reasons as why
from telcare._core.reasons import Reason
from telcare.moments._actions import Action
from telcare.moments._deadlines import due_after
from telcare.moments._events import (
    Activated,
    CallbackAttempt,
    ManagerAssigned,
    TutoringDone,
    Verified,
)
from telcare.moments._spec import builtin
from telcare.policy import Moment, MomentsPolicy

if TYPE_CHECKING:
    from telcare.moments._forms import Replay

__all__ = ["CALLBACK", "FIRST_TUTORING", "fast_device"]

_SLOT_NAMES = ("morning", "afternoon", "evening")


def _slot(moment_policy: MomentsPolicy, local: datetime) -> int:
    return bisect.bisect_right(moment_policy.callback_slots, local.time().replace(tzinfo=None))


def _slot_names(moment_policy: MomentsPolicy, slots: set[int]) -> list[str]:
    count = len(moment_policy.callback_slots) + 1
    names = _SLOT_NAMES if count == len(_SLOT_NAMES) else [f"slot {i + 1}" for i in range(count)]
    return [names[i] for i in sorted(slots)]


def fast_device(device: str | None, moment_policy: MomentsPolicy) -> bool:
    """Whether a handset earns the fast callback: any of ``callback_fast_devices``
    appears in its name, ignoring case (seed 001: iPhone users).

    >>> import telcare as tc
    >>> m = tc.default_policy().moments
    >>> fast_device("iPhone 4", m), fast_device("IPHONE", m), fast_device("Nokia N8", m)
    (True, True, False)
    """
    name = (device or "").casefold()
    return bool(name) and any(d.casefold() in name for d in moment_policy.callback_fast_devices)


def _attempts(
    r: Replay, act_time: datetime, reason: Reason, due: date
) -> tuple[Reason, date | None, str | None]:
    """(reason, closed_on, outcome) after the callback attempts since the activation."""
    m = r.m
    failed_slots: set[int] = set()
    for t, e in r.of(CallbackAttempt):
        if t < act_time:
            continue
        if e.reached:
            return why.REACHED(head=reason, on=t.date()), t.date(), "reached"
        failed_slots.add(_slot(m, t))
        if len(failed_slots) >= r.policy.verification.failed_slots:
            return why.SUSPICIOUS(head=reason, slots=len(failed_slots)), t.date(), "suspicious"
    if failed_slots:
        untried = set(range(len(m.callback_slots) + 1)) - failed_slots
        reason = why.RETRY(head=reason, count=len(failed_slots), due=due,
                           failed=_slot_names(m, failed_slots), untried=_slot_names(m, untried))  # fmt: skip
    return reason, None, None


def _callback(r: Replay, act_time: datetime, act: Activated) -> Action:
    m = r.m
    opened = act_time.date()
    device = act.device or r.customer.device or ""
    fast = act.plan_fee >= m.callback_fast_plan_fee or fast_device(device, m)
    days = m.callback_days if not fast else m.callback_fast_days
    due = due_after(opened, days, Moment.NEW_SUBSCRIBER_CALLBACK, r.policy)
    plan = {"opened": opened, "fee": act.plan_fee, "days": days}
    opening = why.CALLBACK_DEVICE(**plan, device=device) if device else why.CALLBACK(**plan)
    reason, closed, outcome = _attempts(r, act_time, opening, due)
    return r.action(
        Moment.NEW_SUBSCRIBER_CALLBACK, opened, due, reason, closed=closed, outcome=outcome
    )


def _tutoring(r: Replay, act_time: datetime, act: Activated) -> Action | None:
    m = r.m
    verdicts = [(t, e) for t, e in r.of(Verified) if t >= act_time]
    if not verdicts:
        return None
    ver_time, verdict = verdicts[-1]
    if not verdict.genuine or act.plan_fee < m.tutoring_plan_fee:
        return None
    start = ver_time.date()
    head = {"start": start, "fee": act.plan_fee, "minimum": m.tutoring_plan_fee}
    assigned = next((t for t, _ in r.of(ManagerAssigned) if t >= ver_time), None)
    if assigned is None:
        due = due_after(start, m.assign_days, Moment.FIRST_TUTORING, r.policy)
        return r.action(Moment.FIRST_TUTORING, start, due, why.ASSIGN(**head, due=due))
    due = due_after(assigned.date(), m.tutoring_days, Moment.FIRST_TUTORING, r.policy)
    done = next((t for t, _ in r.of(TutoringDone) if t >= assigned), None)
    late = assigned.date() > due_after(start, m.assign_days, Moment.FIRST_TUTORING, r.policy)
    reason = why.TUTORING[late](**head, assigned=assigned.date(), due=due)
    return r.action(Moment.FIRST_TUTORING, start, due, reason, closed=done.date() if done else None)


def _callback_and_tutoring(r: Replay) -> list[Action]:
    activations = r.of(Activated)
    if not activations:
        return []
    act_time, act = activations[-1]
    if not act.postpaid:
        return []  # seed 001 calls back postpaid subscribers only
    callback = _callback(r, act_time, act)
    if callback.outcome == "suspicious":
        return [callback]
    tutoring = _tutoring(r, act_time, act)
    return [callback] if tutoring is None else [callback, tutoring]


CALLBACK = builtin(
    Moment.NEW_SUBSCRIBER_CALLBACK, "New-subscriber callback", (Activated, CallbackAttempt),
    ("callback_days", "callback_fast_days", "callback_fast_plan_fee", "callback_fast_devices",
     "callback_slots"),
    _callback_and_tutoring,
)  # fmt: skip
#: Opened by the callback's form, which calls :func:`_tutoring` once the user is genuine.
FIRST_TUTORING = builtin(
    Moment.FIRST_TUTORING, "First tutoring", (Verified, ManagerAssigned, TutoringDone),
    ("tutoring_plan_fee", "assign_days", "tutoring_days"), None,
)  # fmt: skip
