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
credit alert                usage reaches 80% (yellow) / 100% (red)      1 day
usage anomaly               bill drops >= 50% vs 3-month mean, or        3 days
                            forwarding >= 30%
contract expiry             37 days before the end                       30 days before the end
cancellation request        the request                                  1 day
birthday                    the birthday                                 the same day
points expiry               30 days before points lapse                  7 days later
tier change                 a tier evaluation moved the tier             7 days
==========================  ===========================================  ======================

An action is done when its closing event arrives: a reached callback, a
manager then a tutoring, a :class:`~telcare.events.ContactMade` for the rest.
Three failed callbacks in three different time slots close the callback as
``outcome="suspicious"`` and open no tutoring.  The same events in any order
give the same actions; duplicates change nothing; other customers' events and
events after ``as_of`` are ignored.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any, Literal

import attrs

from telcare._display import Displayable, frame_from_columns, summary_html
from telcare._text import percent, yuan_text
from telcare.catalogue import Channel, Moment
from telcare.customers import Customer
from telcare.dates import local_datetime, require_date
from telcare.errors import InvalidInput
from telcare.events import (
    Activated,
    BillIssued,
    CallbackAttempt,
    CancellationRequested,
    ContactMade,
    ContractEnding,
    Event,
    ManagerAssigned,
    SpendReading,
    TierChanged,
    TutoringDone,
    UsageReading,
    Verified,
)
from telcare.ledger import PointsLedger
from telcare.policy import MomentsPolicy, Policy, as_policy
from telcare.rates import Rate

__all__ = ["Action", "MomentSla", "SlaReport", "credit_colour", "due_actions", "sla_report"]

Status = Literal["open", "done", "overdue"]
COLOURS = ("none", "yellow", "red")
_EVENT_ORDER = {
    cls: i
    for i, cls in enumerate(
        (Activated, CallbackAttempt, Verified, ManagerAssigned, TutoringDone, BillIssued, UsageReading,
         SpendReading, ContractEnding, CancellationRequested, TierChanged, ContactMade)
    )
}  # fmt: skip


@attrs.frozen(slots=True)
class Action(Displayable):
    """A contact that a moment calls for, with its deadline and state.

    ``due_by`` is inclusive.  ``closed_on`` is the date of the closing event;
    ``outcome`` adds what the closing said (``"reached"`` or ``"suspicious"``
    for the callback) or the colour of a credit alert.
    """

    moment: Moment
    customer_id: str
    opened_on: date
    due_by: date
    status: Status
    channel: Channel
    priority: int
    reason: str
    closed_on: date | None = None
    outcome: str | None = None

    @property
    def on_time(self) -> bool | None:
        """Done by ``due_by`` (``None`` while not done)."""
        return None if self.closed_on is None else self.closed_on <= self.due_by


def credit_colour(used: int, allowance: int, policy: MomentsPolicy) -> int:
    """0 (none), 1 (yellow) or 2 (red): usage as a share of the allowance, exactly."""
    if allowance <= 0:
        return 2 if used > 0 else 0
    share = Fraction(used, allowance)
    if share >= Fraction(policy.credit_red):
        return 2
    return 1 if share >= Fraction(policy.credit_yellow) else 0


def anomaly_drop(month_spend: int, trailing_mean: int, policy: MomentsPolicy) -> bool:
    """Whether ``month_spend`` fell by at least ``anomaly_drop`` below a positive mean."""
    drop = Fraction(policy.anomaly_drop)
    return trailing_mean > 0 and month_spend * drop.denominator <= trailing_mean * (
        drop.denominator - drop.numerator
    )


def birthday_in(birthday: date, year: int) -> date:
    """The birthday's date in ``year`` (29 February falls on 28 February in other years)."""
    try:
        return birthday.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


class _Replay:
    """One customer's events up to ``as_of``, sorted and de-duplicated, in local time."""

    def __init__(
        self, customer: Customer, events: Iterable[Event], as_of: date, policy: Policy
    ) -> None:
        self.customer, self.as_of, self.policy, self.m = customer, as_of, policy, policy.moments
        unique: set[Event] = set()
        for event in events:
            if not isinstance(event, Event):
                raise InvalidInput(
                    f"events must be telcare events, got {type(event).__name__} {event!r}"
                )
            if event.customer_id == customer.id:
                unique.add(event)
        timed = [(local_datetime(e.at, policy.timezone), e) for e in unique]
        timed = [(t, e) for t, e in timed if t.date() <= as_of]
        timed.sort(key=lambda te: (te[0], _EVENT_ORDER[type(te[1])], repr(te[1])))
        self.timed = timed
        self.contacts: dict[Moment, list[date]] = defaultdict(list)
        for t, e in timed:
            if isinstance(e, ContactMade):
                self.contacts[e.moment].append(t.date())

    def of(self, kind: type[Event]) -> list[tuple[datetime, Event]]:
        return [(t, e) for t, e in self.timed if type(e) is kind]

    def closed(self, moment: Moment, opened: date) -> date | None:
        dates = self.contacts.get(moment, [])
        i = bisect.bisect_left(dates, opened)
        return dates[i] if i < len(dates) else None

    def action(
        self,
        moment: Moment,
        opened: date,
        due: date,
        reason: str,
        *,
        closed: date | None = None,
        outcome: str | None = None,
        priority: int | None = None,
    ) -> Action:
        status: Status = "done" if closed is not None else "overdue" if self.as_of > due else "open"
        return Action(
            moment=moment,
            customer_id=self.customer.id,
            opened_on=opened,
            due_by=due,
            status=status,
            channel=self.m.channels[moment],
            priority=self.m.priorities[moment] if priority is None else priority,
            reason=reason,
            closed_on=closed,
            outcome=outcome,
        )


def _slot(moment_policy: MomentsPolicy, local: datetime) -> int:
    return bisect.bisect_right(moment_policy.callback_slots, local.time().replace(tzinfo=None))


def _callback_and_tutoring(r: _Replay) -> list[Action]:
    activations = r.of(Activated)
    if not activations:
        return []
    act_time, act = activations[-1]
    assert isinstance(act, Activated)
    m = r.m
    opened = act_time.date()
    device = (act.device or r.customer.device or "").lower()
    fast = act.plan_fee >= m.callback_fast_plan_fee or device in {
        d.lower() for d in m.callback_fast_devices
    }
    days = m.callback_fast_days if fast else m.callback_days
    why = f"plan {yuan_text(act.plan_fee)}" + (f", device {device}" if device else "")
    reason = f"activated on {opened} ({why}): first callback within {days} days"
    closed, outcome = None, None
    failed_slots: set[int] = set()
    for t, e in r.of(CallbackAttempt):
        assert isinstance(e, CallbackAttempt)
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
            reason += f"; {len(failed_slots)} failed time slot(s) so far, retry in another slot"
    actions = [
        r.action(
            Moment.NEW_SUBSCRIBER_CALLBACK,
            opened,
            opened + timedelta(days=days),
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
    assert isinstance(verdict, Verified)
    if not verdict.genuine or act.plan_fee < m.tutoring_plan_fee:
        return actions
    start = ver_time.date()
    head = (
        f"genuine user confirmed on {start}, plan {yuan_text(act.plan_fee)} "
        f">= {yuan_text(m.tutoring_plan_fee)}"
    )
    assigned = next((t for t, _ in r.of(ManagerAssigned) if t >= ver_time), None)
    if assigned is None:
        due = start + timedelta(days=m.assign_days)
        actions.append(
            r.action(
                Moment.FIRST_TUTORING, start, due, f"{head}: assign a service manager by {due}"
            )
        )
        return actions
    due = assigned.date() + timedelta(days=m.tutoring_days)
    done = next((t for t, _ in r.of(TutoringDone) if t >= assigned), None)
    late = assigned.date() > start + timedelta(days=m.assign_days)
    reason = (
        f"{head}; manager assigned on {assigned.date()}"
        + (" (late)" if late else "")
        + f": first tutoring by {due}"
    )
    actions.append(
        r.action(Moment.FIRST_TUTORING, start, due, reason, closed=done.date() if done else None)
    )
    return actions


def _first_bill(r: _Replay) -> list[Action]:
    bills = r.of(BillIssued)
    if not bills:
        return []
    t, bill = bills[0]
    assert isinstance(bill, BillIssued)
    opened = t.date()
    reason = (
        f"first bill of {yuan_text(bill.amount)} issued on {opened}: explain the charges, "
        "how to check the bill and bank auto-pay"
    )
    return [
        r.action(
            Moment.FIRST_BILL,
            opened,
            opened + timedelta(days=r.m.first_bill_days),
            reason,
            closed=r.closed(Moment.FIRST_BILL, opened),
        )
    ]


def _credit_alert(r: _Replay) -> list[Action]:
    readings = r.of(UsageReading)
    if not readings:
        return []
    colours = [credit_colour(e.used, e.allowance, r.m) for _, e in readings]  # type: ignore[attr-defined]
    colour = colours[-1]
    if colour == 0:
        return []
    start = len(readings) - 1
    while start > 0 and colours[start - 1] >= colour:
        start -= 1
    opened = readings[start][0].date()
    _, last = readings[-1]
    assert isinstance(last, UsageReading)
    threshold = r.m.credit_red if colour == 2 else r.m.credit_yellow
    share = f"{last.used / last.allowance:.0%}" if last.allowance else "all"
    reason = (
        f"usage {yuan_text(last.used)} is {share} of the {yuan_text(last.allowance)} allowance: "
        f"{COLOURS[colour]} alert (>= {percent(threshold)})"
        + ("; suspension risk" if colour == 2 else "")
    )
    priority = 1 if colour == 2 else None
    return [
        r.action(
            Moment.CREDIT_ALERT,
            opened,
            opened + timedelta(days=r.m.credit_alert_days),
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


def _usage_anomaly(r: _Replay) -> list[Action]:
    readings = r.of(SpendReading)
    if not readings:
        return []
    t, last = readings[-1]
    assert isinstance(last, SpendReading)
    m = r.m
    mean = trailing_mean([e.month_spend for _, e in readings[:-1]], m.anomaly_months)  # type: ignore[attr-defined]
    parts = []
    if anomaly_drop(last.month_spend, mean, m):
        fall = (mean - last.month_spend) / mean
        parts.append(
            f"bill {yuan_text(last.month_spend)} is {fall:.0%} below the {m.anomaly_months}-month mean "
            f"{yuan_text(mean)}"
        )
    if float(last.forwarded_share) >= float(m.forwarding_share):
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
            opened + timedelta(days=m.anomaly_days),
            reason,
            closed=r.closed(Moment.USAGE_ANOMALY, opened),
        )
    ]


def contract_window(ends_on: date, m: MomentsPolicy) -> tuple[date, date]:
    """(opened_on, due_by) of the contact about a contract ending on ``ends_on``."""
    due = ends_on - timedelta(days=m.contract_days_before)
    return due - timedelta(days=m.contract_lead_days), due


def _contract(r: _Replay) -> list[Action]:
    notices = r.of(ContractEnding)
    if not notices:
        return []
    _, notice = notices[-1]
    assert isinstance(notice, ContractEnding)
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


def _simple(
    r: _Replay, kind: type[Event], moment: Moment, days: int, describe: str
) -> list[Action]:
    found = r.of(kind)
    if not found:
        return []
    t, event = found[-1]
    opened = t.date()
    reason = describe.format(on=opened, event=event)
    return [
        r.action(
            moment, opened, opened + timedelta(days=days), reason, closed=r.closed(moment, opened)
        )
    ]


def _birthday(r: _Replay) -> list[Action]:
    born = r.customer.birthday
    if born is None:
        return []
    for year in (r.as_of.year, r.as_of.year + 1):
        day = birthday_in(born, year)
        opened = day - timedelta(days=r.m.birthday_days_before)
        if opened <= r.as_of <= day:
            return [
                r.action(
                    Moment.BIRTHDAY,
                    opened,
                    day,
                    f"birthday on {day}: birthday care",
                    closed=r.closed(Moment.BIRTHDAY, opened),
                )
            ]
    return []


def points_expiry_window(expires_on: date, m: MomentsPolicy) -> tuple[date, date]:
    """(opened_on, due_by) of the reminder about points expiring on ``expires_on``."""
    opened = expires_on - timedelta(days=m.points_expiry_days)
    return opened, min(expires_on, opened + timedelta(days=m.points_expiry_contact_days))


def _points_expiry(r: _Replay, ledger: PointsLedger | None) -> list[Action]:
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


def due_actions(
    customer: Customer,
    events: Iterable[Event],
    *,
    as_of: date,
    policy: Policy | None = None,
    ledger: PointsLedger | None = None,
) -> tuple[Action, ...]:
    """Every action the customer's events call for as of ``as_of``, earliest deadline first.

    ``ledger``, when given, adds the points-expiry reminder.

    >>> from datetime import date, datetime
    >>> from zoneinfo import ZoneInfo
    >>> import telcare as tc
    >>> sh = ZoneInfo("Asia/Shanghai")
    >>> c = tc.Customer("13800000001", activated_on=date(2010, 10, 4), plan_fee=tc.yuan(128))
    >>> events = [tc.Activated("13800000001", datetime(2010, 10, 4, 10, tzinfo=sh), plan_fee=tc.yuan(128))]
    >>> [(a.moment.value, a.due_by.isoformat(), a.status) for a in tc.due_actions(c, events, as_of=date(2010, 10, 5))]
    [('new_subscriber_callback', '2010-10-06', 'open')]
    """
    policy = as_policy(policy)
    require_date(as_of, "as_of")
    if not isinstance(customer, Customer):
        raise InvalidInput(f"due_actions() needs a telcare.Customer, got {type(customer).__name__}")
    if ledger is not None and (
        not isinstance(ledger, PointsLedger) or ledger.customer_id != customer.id
    ):
        raise InvalidInput(
            f"ledger must be the PointsLedger of customer {customer.id!r}, got {ledger!r}"
        )
    r = _Replay(customer, events, as_of, policy)
    m = policy.moments
    actions = [
        *_callback_and_tutoring(r),
        *_first_bill(r),
        *_credit_alert(r),
        *_usage_anomaly(r),
        *_contract(r),
        *_simple(r, CancellationRequested, Moment.CANCELLATION_REQUEST, m.cancellation_days,
                 "asked to leave on {on}: retention call by the exit-point chief service representative"),
        *_birthday(r),
        *_points_expiry(r, ledger),
        *_simple(r, TierChanged, Moment.TIER_CHANGE, m.tier_change_days,
                 "tier moved from {event.previous} to {event.tier} on {on}: tell the customer what changes"),
    ]  # fmt: skip
    order = list(Moment)
    return tuple(sorted(actions, key=lambda a: (a.due_by, a.priority, order.index(a.moment))))


@attrs.frozen(slots=True)
class MomentSla(Displayable):
    """Service-level figures of one moment.

    ``completion`` is done / all actions; ``timeliness`` is done by ``due_by`` /
    actions already decided (done, or overdue), so actions still inside their
    deadline do not count against it.
    """

    moment: Moment
    total: int
    done: int
    on_time: int
    open: int
    overdue: int

    @property
    def completion(self) -> Rate:
        """Done out of all."""
        return Rate(self.done, self.total)

    @property
    def timeliness(self) -> Rate:
        """Done on time out of those decided (done or overdue)."""
        return Rate(self.on_time, self.done + self.overdue)


@attrs.frozen(slots=True)
class SlaReport:
    """:class:`MomentSla` per moment that has any action, in moment order."""

    rows: tuple[MomentSla, ...]

    def to_frame(self) -> Any:
        """A ``pandas.DataFrame`` with one row per moment (pandas must be installed)."""
        return frame_from_columns(
            {
                "moment": [r.moment.value for r in self.rows],
                "total": [r.total for r in self.rows],
                "done": [r.done for r in self.rows],
                "on_time": [r.on_time for r in self.rows],
                "open": [r.open for r in self.rows],
                "overdue": [r.overdue for r in self.rows],
                "completion": [r.completion.value for r in self.rows],
                "timeliness": [r.timeliness.value for r in self.rows],
            }
        )

    def _repr_html_(self) -> str:
        rows = [(r.moment.value, f"{r.done}/{r.total} done, {r.overdue} overdue, on time {r.timeliness}")
                for r in self.rows]  # fmt: skip
        return summary_html("SLA report", rows)

    def __getitem__(self, moment: Moment | str) -> MomentSla:
        wanted = Moment(moment)
        for row in self.rows:
            if row.moment is wanted:
                return row
        return MomentSla(wanted, 0, 0, 0, 0, 0)


def sla_report(actions: Iterable[Action]) -> SlaReport:
    """Completion, timeliness and overdue counts per moment, for the weekly reports.

    >>> import telcare as tc
    >>> from datetime import date
    >>> a = tc.Action(tc.Moment.FIRST_BILL, "c1", date(2010, 1, 1), date(2010, 1, 4), "done",
    ...               tc.Channel.PHONE, 4, "first bill", closed_on=date(2010, 1, 5))
    >>> row = tc.sla_report([a])[tc.Moment.FIRST_BILL]
    >>> row.done, row.on_time, str(row.timeliness)
    (1, 0, '0.00% [0.0, 79.3]')
    """
    counts: dict[Moment, list[int]] = {}
    for action in actions:
        if not isinstance(action, Action):
            raise InvalidInput(f"sla_report() needs Actions, got {type(action).__name__}")
        c = counts.setdefault(action.moment, [0, 0, 0, 0, 0])
        c[0] += 1
        c[1] += action.status == "done"
        c[2] += bool(action.on_time)
        c[3] += action.status == "open"
        c[4] += action.status == "overdue"
    return SlaReport(tuple(MomentSla(m, *counts[m]) for m in Moment if m in counts))
