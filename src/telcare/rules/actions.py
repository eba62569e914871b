"""Replaying one customer's events into the actions the key moments call for.

:func:`due_actions` replays a customer's events up to ``as_of`` (events on
``as_of`` count) through every moment of a registry and returns the actions
with their deadlines (inclusive dates) and status.  An action is done when its
closing event arrives.  The same events in any order give the same actions;
duplicates change nothing; other customers' events and events after ``as_of``
are ignored.  The moments themselves are defined in :mod:`telcare.rules.moments`.
"""

import bisect
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Literal, TypeVar

import attrs

from telcare.core.checks import integer, plain_date, text
from telcare.core.dates import local_datetime
from telcare.core.display import Displayable
from telcare.core.errors import InvalidInput
from telcare.core.limits import MAX_DAYS
from telcare.policy.catalogue import Channel
from telcare.policy.model import Policy, as_policy
from telcare.rules import kernels
from telcare.rules.customers import Customer
from telcare.rules.events import (
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
from telcare.rules.ledger import PointsLedger
from telcare.rules.registry import MomentRegistry, MomentSpec

E = TypeVar("E", bound=Event)

__all__ = ["Action", "Replay", "Status", "due_actions", "simple_moment"]

Status = Literal["open", "done", "overdue"]
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

    moment: str
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


class Replay:
    """One customer's events up to ``as_of``, sorted and de-duplicated, in local time.

    A moment's one-customer form reads it: ``of(kind)`` gives the events of one
    type in order, ``closed(moment, opened)`` the first contact about the moment
    since it opened, and ``action(...)`` builds an :class:`Action` with the
    moment's channel, priority and status.
    """

    def __init__(
        self,
        customer: Customer,
        events: Iterable[Event],
        as_of: date,
        policy: Policy,
        *,
        ledger: PointsLedger | None = None,
        moments: MomentRegistry | None = None,
    ) -> None:
        if not isinstance(customer, Customer):
            raise InvalidInput(f"Replay needs a telcare.Customer, got {type(customer).__name__}")
        policy = as_policy(policy)
        plain_date(as_of, "as_of")
        if ledger is not None and not isinstance(ledger, PointsLedger):
            raise InvalidInput(f"ledger must be a PointsLedger, got {type(ledger).__name__}")
        if moments is not None and not isinstance(moments, MomentRegistry):
            raise InvalidInput(f"moments must be a MomentRegistry, got {type(moments).__name__}")
        self.customer, self.as_of, self.policy, self.m = customer, as_of, policy, policy.moments
        self.ledger, self.moments = ledger, moments
        unique: set[Event] = set()
        if isinstance(events, Event | str | bytes) or not isinstance(events, Iterable):
            raise InvalidInput(
                f"events must be an iterable of telcare events, got {type(events).__name__}"
            )
        for event in events:
            if not isinstance(event, Event):
                raise InvalidInput(
                    f"events must be telcare events, got {type(event).__name__} {event!r}"
                )
            if event.customer_id == customer.id:
                unique.add(event)
        timed = [(local_datetime(e.at, policy.timezone), e) for e in unique]
        timed = [(t, e) for t, e in timed if t.date() <= as_of]
        last = len(_EVENT_ORDER)
        timed.sort(key=lambda te: (te[0], _EVENT_ORDER.get(type(te[1]), last), repr(te[1])))
        self.timed: list[tuple[datetime, Event]] = timed
        self.contacts: dict[str, list[date]] = defaultdict(list)
        for t, e in timed:
            if isinstance(e, ContactMade) and e.moment is not None:
                self.contacts[e.moment].append(t.date())

    def of(self, kind: type[E]) -> list[tuple[datetime, E]]:
        """The customer's events of ``kind``, in order, each with its local time."""
        return [(t, e) for t, e in self.timed if type(e) is kind]

    def closed(self, moment: str, opened: date) -> date | None:
        dates = self.contacts.get(moment, [])
        i = bisect.bisect_left(dates, opened)
        return dates[i] if i < len(dates) else None

    def action(
        self,
        moment: str,
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
            channel=self._channel(moment),
            priority=self._priority(moment) if priority is None else priority,
            reason=reason,
            closed_on=closed,
            outcome=outcome,
        )

    def _channel(self, moment: str) -> Channel:
        found = self.m.channels.get(moment)  # type: ignore[call-overload]
        if found is not None:
            return found  # type: ignore[no-any-return]
        return self._spec(moment).channel

    def _priority(self, moment: str) -> int:
        found = self.m.priorities.get(moment)  # type: ignore[call-overload]
        if found is not None:
            return found  # type: ignore[no-any-return]
        return self._spec(moment).priority

    def _spec(self, moment: str) -> MomentSpec:
        from telcare.rules.registry import MOMENTS

        return (self.moments or MOMENTS)[moment]


def simple_moment(
    r: Replay, kind: type[Event], moment: str, days: int, describe: str
) -> list[Action]:
    """The action of a moment opened by the latest ``kind`` event, due ``days`` later.

    ``describe`` is formatted with ``on`` (the opening date) and ``event``; a
    :class:`~telcare.ContactMade` about the moment since it opened closes it.

    A registered moment's one-customer form is often just this (see
    ``docs/extending.md``):

    >>> from datetime import date, datetime
    >>> from zoneinfo import ZoneInfo
    >>> import telcare as tc
    >>> c = tc.Customer("c1", date(2010, 1, 1), 0)
    >>> asked = tc.CancellationRequested("c1", datetime(2010, 10, 4, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
    >>> r = tc.Replay(c, [asked], date(2010, 10, 4), tc.default_policy())
    >>> [(a.due_by.isoformat(), a.status) for a in simple_moment(
    ...     r, tc.CancellationRequested, "cancellation_request", 1, "asked on {on}")]
    [('2010-10-05', 'open')]
    """
    if not isinstance(r, Replay):
        raise InvalidInput(f"simple_moment() needs a Replay, got {type(r).__name__}")
    if not (isinstance(kind, type) and issubclass(kind, Event)):
        raise InvalidInput(f"simple_moment() needs an event class, got {kind!r}")
    integer(days, "days", maximum=MAX_DAYS)
    text(moment, "moment")
    text(describe, "describe")
    found = r.of(kind)
    if not found:
        return []
    t, event = found[-1]
    opened = t.date()
    reason = describe.format(on=opened, event=event)
    return [
        r.action(
            moment,
            opened,
            kernels.shift_days(opened, days),
            reason,
            closed=r.closed(moment, opened),
        )
    ]


def due_actions(
    customer: Customer,
    events: Iterable[Event],
    *,
    as_of: date,
    policy: Policy | None = None,
    ledger: PointsLedger | None = None,
    moments: MomentRegistry | None = None,
) -> tuple[Action, ...]:
    """Every action the customer's events call for as of ``as_of``, earliest deadline first.

    ``ledger``, when given, adds the points-expiry reminder.  ``moments`` is the
    registry of moments to evaluate (default :data:`telcare.rules.registry.MOMENTS`).

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
    plain_date(as_of, "as_of")
    if not isinstance(customer, Customer):
        raise InvalidInput(f"due_actions() needs a telcare.Customer, got {type(customer).__name__}")
    if ledger is not None and (
        not isinstance(ledger, PointsLedger) or ledger.customer_id != customer.id
    ):
        raise InvalidInput(
            f"ledger must be the PointsLedger of customer {customer.id!r}, got {ledger!r}"
        )
    from telcare.rules.registry import MOMENTS

    registry = MOMENTS if moments is None else moments
    if not isinstance(registry, MomentRegistry):
        raise InvalidInput(f"moments must be a MomentRegistry, got {type(registry).__name__}")
    r = Replay(customer, events, as_of, policy, ledger=ledger, moments=registry)
    actions = [a for spec in registry if spec.actions is not None for a in spec.actions(r)]
    return tuple(sorted(actions, key=lambda a: (a.due_by, a.priority, registry.order(a.moment))))
