"""The key moments: who must be contacted, about what, and by when.

Seed 001 builds care on the customer life cycle, from joining to leaving, with
seven key moments (七大关键时点) and a required action at each; seed 000 adds
care moments such as birthdays.  :func:`due_actions` replays one customer's
events up to ``as_of`` (events on ``as_of`` count) and returns the actions
with their deadlines (inclusive dates) and status:

==========================  ===========================================  ======================
moment                      opens when                                   due (default)
==========================  ===========================================  ======================
new-subscriber callback     activation                                   3 days; 2 for plans >= 126 yuan or iPhones
first tutoring              callback confirms a genuine user, plan >= 96 manager in 2 days, tutoring 7 days later
first bill                  the first bill                               3 days
credit alert                usage reaches 80% / 90% / 100% (yellow,      1 day
                            orange, red: three warning levels)
usage anomaly               bill drops >= 50% vs 3-month mean, or        3 days
                            forwarding >= 30%
contract expiry             37 days before the end                       30 days before the end
cancellation request        the request                                  1 day
birthday                    the birthday                                 the same day
points expiry               30 days before points lapse                  7 days later
tier change                 a tier evaluation moved the tier             7 days
==========================  ===========================================  ======================

An action is done when its closing event arrives: a reached callback, a
manager then a tutoring, a :class:`~telcare.moments._events.ContactMade` for the rest.
Three failed callbacks in three different time slots close the callback as
``outcome="suspicious"`` and open no tutoring.  The same events in any order
give the same actions; duplicates change nothing; other customers' events and
events after ``as_of`` are ignored.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date, datetime
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from telcare._core import kernels
from telcare._core.text import percent, yuan_text
from telcare.moments._actions import Action, opened_by_latest
from telcare.moments._events import (
    Activated,
    BillIssued,
    CallbackAttempt,
    CancellationRequested,
    ContractEnding,
    ManagerAssigned,
    SpendReading,
    TierChanged,
    TutoringDone,
    UsageReading,
    Verified,
)
from telcare.moments._scan import SCANS
from telcare.moments._spec import MomentSpec

if TYPE_CHECKING:
    from telcare.moments._forms import Replay
from telcare.policy import Moment, MomentsPolicy

__all__ = [
    "BUILTIN_MOMENTS",
    "COLOURS",
    "anomaly_drop",
    "contract_window",
    "credit_colour",
    "fast_device",
    "points_expiry_window",
    "trailing_mean",
]

#: The three warning levels of the credit alert (seed 000: 三色亮灯, 三级预警), after none.
COLOURS = ("none", "yellow", "orange", "red")


def _levels(policy: MomentsPolicy) -> tuple[Fraction, ...]:
    return (
        Fraction(policy.credit_yellow),
        Fraction(policy.credit_orange),
        Fraction(policy.credit_red),
    )


def credit_colour(used: int, allowance: int, policy: MomentsPolicy) -> int:
    """The warning level, 0 (none), 1 (yellow), 2 (orange) or 3 (red): usage as an
    exact share of the allowance against ``credit_yellow``, ``credit_orange`` and
    ``credit_red`` (80%, 90%, 100% by default).

    >>> import telcare as tc
    >>> [credit_colour(used, 15_000, tc.default_policy().moments) for used in (11_000, 12_000, 13_500, 15_000)]
    [0, 1, 2, 3]
    """
    return int(kernels.credit_colour(used, allowance, _levels(policy)))


def anomaly_drop(month_spend: int, trailing_mean: int, policy: MomentsPolicy) -> bool:
    """Whether ``month_spend`` fell by at least ``anomaly_drop`` below a positive mean.

    >>> import telcare as tc
    >>> anomaly_drop(5_000, 10_000, tc.default_policy().moments)
    True
    """
    return bool(kernels.usage_drop(month_spend, trailing_mean, Fraction(policy.anomaly_drop)))


def _slot(moment_policy: MomentsPolicy, local: datetime) -> int:
    return bisect.bisect_right(moment_policy.callback_slots, local.time().replace(tzinfo=None))


_SLOT_NAMES = ("morning", "afternoon", "evening")


def _slot_names(moment_policy: MomentsPolicy, slots: set[int]) -> str:
    count = len(moment_policy.callback_slots) + 1
    names = _SLOT_NAMES if count == len(_SLOT_NAMES) else [f"slot {i + 1}" for i in range(count)]
    return ", ".join(names[i] for i in sorted(slots))


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


def _callback_and_tutoring(r: Replay) -> list[Action]:
    activations = r.of(Activated)
    if not activations:
        return []
    act_time, act = activations[-1]
    if not act.postpaid:
        return []  # seed 001 calls back postpaid subscribers only
    m = r.m
    opened = act_time.date()
    device = act.device or r.customer.device or ""
    fast = act.plan_fee >= m.callback_fast_plan_fee or fast_device(device, m)
    days = m.callback_days if not fast else m.callback_fast_days
    why = f"plan {yuan_text(act.plan_fee)}" + (f", device {device}" if device else "")
    reason = f"activated on {opened} ({why}): first callback within {days} days"
    closed, outcome = None, None
    failed_slots: set[int] = set()
    for t, e in r.of(CallbackAttempt):
        if t < act_time:
            continue
        if e.reached:
            closed, outcome = t.date(), "reached"
            reason += f"; reached on {t.date()}"
            break
        failed_slots.add(_slot(m, t))
        if len(failed_slots) >= r.policy.verification.failed_slots:
            closed, outcome = t.date(), "suspicious"
            reason += (
                f"; callbacks failed in {len(failed_slots)} different time slots: "
                "suspicious user, no tutoring"
            )
            break
    else:
        if failed_slots:
            untried = set(range(len(m.callback_slots) + 1)) - failed_slots
            due = kernels.shift_days(opened, days)
            reason += (
                f"; {len(failed_slots)} failed time slot(s) so far ({_slot_names(m, failed_slots)}): "
                f"retry by {due} in another slot ({_slot_names(m, untried)}), calling the "
                "contact number first and the subscriber's own number only without one"
            )
    actions = [
        r.action(
            Moment.NEW_SUBSCRIBER_CALLBACK,
            opened,
            kernels.shift_days(opened, days),
            reason,
            closed=closed,
            outcome=outcome,
        )
    ]
    if outcome == "suspicious":
        return actions
    verdicts = [(t, e) for t, e in r.of(Verified) if t >= act_time]
    if not verdicts:
        return actions
    ver_time, verdict = verdicts[-1]
    if not verdict.genuine or act.plan_fee < m.tutoring_plan_fee:
        return actions
    start = ver_time.date()
    head = (
        f"genuine user confirmed on {start}, plan {yuan_text(act.plan_fee)} "
        f">= {yuan_text(m.tutoring_plan_fee)}"
    )
    assigned = next((t for t, _ in r.of(ManagerAssigned) if t >= ver_time), None)
    if assigned is None:
        due = kernels.shift_days(start, m.assign_days)
        actions.append(
            r.action(
                Moment.FIRST_TUTORING, start, due, f"{head}: assign a service manager by {due}"
            )
        )
        return actions
    due = kernels.shift_days(assigned.date(), m.tutoring_days)
    done = next((t for t, _ in r.of(TutoringDone) if t >= assigned), None)
    late = assigned.date() > kernels.shift_days(start, m.assign_days)
    reason = (
        f"{head}; manager assigned on {assigned.date()}"
        + (" (late)" if late else "")
        + f": first tutoring by {due}"
    )
    actions.append(
        r.action(Moment.FIRST_TUTORING, start, due, reason, closed=done.date() if done else None)
    )
    return actions


def _first_bill(r: Replay) -> list[Action]:
    bills = r.of(BillIssued)
    if not bills:
        return []
    t, bill = bills[0]
    opened = t.date()
    reason = (
        f"first bill of {yuan_text(bill.amount)} issued on {opened}: explain the charges, "
        "how to check the bill and bank auto-pay"
    )
    return [
        r.action(
            Moment.FIRST_BILL,
            opened,
            kernels.shift_days(opened, r.m.first_bill_days),
            reason,
            closed=r.closed(Moment.FIRST_BILL, opened),
        )
    ]


def _credit_alert(r: Replay) -> list[Action]:
    readings = r.of(UsageReading)
    if not readings:
        return []
    colours = [credit_colour(e.used, e.allowance, r.m) for _, e in readings]
    colour = colours[-1]
    if colour == 0:
        return []
    start = len(readings) - 1
    while start > 0 and colours[start - 1] >= colour:
        start -= 1
    opened = readings[start][0].date()
    _, last = readings[-1]
    threshold = (r.m.credit_yellow, r.m.credit_orange, r.m.credit_red)[colour - 1]
    red = colour == len(COLOURS) - 1
    share = f"{last.used / last.allowance:.0%}" if last.allowance else "all"
    reason = (
        f"usage {yuan_text(last.used)} is {share} of the {yuan_text(last.allowance)} allowance: "
        f"{COLOURS[colour]} alert, level {colour} of 3 (>= {percent(threshold)})"
        + ("; suspension risk" if red else "")
    )
    priority = 1 if red else None
    return [
        r.action(
            Moment.CREDIT_ALERT,
            opened,
            kernels.shift_days(opened, r.m.credit_alert_days),
            reason,
            closed=r.closed(Moment.CREDIT_ALERT, opened),
            outcome=COLOURS[colour],
            priority=priority,
        )
    ]


def trailing_mean(previous: Sequence[int], months: int) -> int:
    """The floored mean of the last ``months`` spends, or 0 with fewer months of history."""
    if len(previous) < months:
        return 0
    window = previous[-months:]
    return sum(window) // months


def _usage_anomaly(r: Replay) -> list[Action]:
    readings = r.of(SpendReading)
    if not readings:
        return []
    t, last = readings[-1]
    m = r.m
    mean = trailing_mean([e.month_spend for _, e in readings[:-1]], m.anomaly_months)
    parts = []
    if anomaly_drop(last.month_spend, mean, m):
        fall = (mean - last.month_spend) / mean
        parts.append(
            f"bill {yuan_text(last.month_spend)} is {fall:.0%} below the {m.anomaly_months}-month mean "
            f"{yuan_text(mean)}"
        )
    if kernels.forwarding_high(float(last.forwarded_share), float(m.forwarding_share)):
        parts.append(
            f"{float(last.forwarded_share):.0%} of calls forwarded (>= {percent(m.forwarding_share)})"
        )
    if not parts:
        return []
    opened = t.date()
    reason = "; ".join(parts) + ": churn-warning care call"
    return [
        r.action(
            Moment.USAGE_ANOMALY,
            opened,
            kernels.shift_days(opened, m.anomaly_days),
            reason,
            closed=r.closed(Moment.USAGE_ANOMALY, opened),
        )
    ]


def contract_window(ends_on: date, m: MomentsPolicy) -> tuple[date, date]:
    """(opened_on, due_by) of the contact about a contract ending on ``ends_on``.

    >>> import telcare as tc
    >>> contract_window(date(2010, 12, 31), tc.default_policy().moments)
    (datetime.date(2010, 11, 24), datetime.date(2010, 12, 1))
    """
    opened, due = kernels.window_before(ends_on, m.contract_days_before, m.contract_lead_days)
    return opened, due


def _contract(r: Replay) -> list[Action]:
    notices = r.of(ContractEnding)
    if not notices:
        return []
    _, notice = notices[-1]
    opened, due = contract_window(notice.ends_on, r.m)
    if r.as_of < opened:
        return []
    reason = f"contract or offer ends on {notice.ends_on}: contact {r.m.contract_days_before} days before the end"
    return [
        r.action(
            Moment.CONTRACT_EXPIRY,
            opened,
            due,
            reason,
            closed=r.closed(Moment.CONTRACT_EXPIRY, opened),
        )
    ]


def _birthday(r: Replay) -> list[Action]:
    born = r.customer.birthday
    if born is None:
        return []
    lookup = kernels.birthday_lookup(r.as_of, r.m.birthday_days_before)
    day = lookup.get(kernels.birthday_key(born.month, born.day))
    if day is None:
        return []
    opened = kernels.shift_days(day, -r.m.birthday_days_before)
    return [
        r.action(
            Moment.BIRTHDAY,
            opened,
            day,
            f"birthday on {day}: birthday care",
            closed=r.closed(Moment.BIRTHDAY, opened),
        )
    ]


def points_expiry_window(expires_on: date, m: MomentsPolicy) -> tuple[date, date]:
    """(opened_on, due_by) of the reminder about points expiring on ``expires_on``.

    >>> import telcare as tc
    >>> points_expiry_window(date(2010, 11, 30), tc.default_policy().moments)
    (datetime.date(2010, 10, 31), datetime.date(2010, 11, 7))
    """
    opened, due = kernels.points_expiry_window(
        expires_on, m.points_expiry_days, m.points_expiry_contact_days
    )
    return opened, due


def _points_expiry(r: Replay) -> list[Action]:
    ledger = r.ledger
    if ledger is None:
        return []
    lots = ledger.expiring(r.as_of, r.m.points_expiry_days)
    if not lots:
        return []
    expires = lots[0].expires_on
    points = sum(lot.points for lot in lots)
    opened, due = points_expiry_window(expires, r.m)
    value = yuan_text(points * ledger.fen_per_point)
    reason = (
        f"{points:,} points worth {value} expire by {lots[-1].expires_on} (first lot on {expires})"
    )
    return [
        r.action(
            Moment.POINTS_EXPIRY, opened, due, reason, closed=r.closed(Moment.POINTS_EXPIRY, opened)
        )
    ]


def _cancellation(r: Replay) -> list[Action]:
    return opened_by_latest(
        r, CancellationRequested, Moment.CANCELLATION_REQUEST, r.m.cancellation_days,
        "asked to leave on {on}: retention call by the exit-point chief service representative",
    )  # fmt: skip


def _tier_change(r: Replay) -> list[Action]:
    return opened_by_latest(
        r, TierChanged, Moment.TIER_CHANGE, r.m.tier_change_days,
        "tier moved from {event.previous} to {event.tier} on {on}: tell the customer what changes",
    )  # fmt: skip


def _spec(
    moment: Moment,
    name: str,
    number: int | None,
    events: tuple[type, ...],
    fields: tuple[str, ...],
    actions: Any,
) -> MomentSpec:
    return MomentSpec(moment.value, name, number, events, fields, actions, SCANS.get(moment))  # fmt: skip


#: The built-in moments: code, name, number, the events they read, their policy
#: fields and their one-customer form (the whole-base form comes from ``scan``).
BUILTIN_MOMENTS: tuple[MomentSpec, ...] = (
    _spec(Moment.NEW_SUBSCRIBER_CALLBACK, "New-subscriber callback", 1,
          (Activated, CallbackAttempt), ("callback_days", "callback_fast_days",
          "callback_fast_plan_fee", "callback_fast_devices", "callback_slots"),
          _callback_and_tutoring),
    _spec(Moment.FIRST_TUTORING, "First tutoring", 2,
          (Verified, ManagerAssigned, TutoringDone),
          ("tutoring_plan_fee", "assign_days", "tutoring_days"), None),
    _spec(Moment.FIRST_BILL, "First bill", 3, (BillIssued,), ("first_bill_days",), _first_bill),
    _spec(Moment.CREDIT_ALERT, "Credit alert", 4, (UsageReading,),
          ("credit_yellow", "credit_orange", "credit_red", "credit_alert_days"), _credit_alert),
    _spec(Moment.USAGE_ANOMALY, "Usage anomaly", 5, (SpendReading,),
          ("anomaly_drop", "anomaly_months", "forwarding_share", "anomaly_days"), _usage_anomaly),
    _spec(Moment.CONTRACT_EXPIRY, "Contract expiry", 6, (ContractEnding,),
          ("contract_days_before", "contract_lead_days"), _contract),
    _spec(Moment.CANCELLATION_REQUEST, "Cancellation request", 7, (CancellationRequested,),
          ("cancellation_days",), _cancellation),
    _spec(Moment.BIRTHDAY, "Birthday", None, (), ("birthday_days_before",), _birthday),
    _spec(Moment.POINTS_EXPIRY, "Points expiry", None, (),
          ("points_expiry_days", "points_expiry_contact_days"), _points_expiry),
    _spec(Moment.TIER_CHANGE, "Tier change", None, (TierChanged,), ("tier_change_days",),
          _tier_change),
)  # fmt: skip
