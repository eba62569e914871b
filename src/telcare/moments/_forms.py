"""The two forms of the moments over a registry: one customer's due actions and
the whole-base scan.  They default to the built-in catalogue, :data:`~telcare.MOMENTS`.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.checks import code, instance, integer, plain_date, same_length, text
from telcare._core.dates import local_datetime
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_DAYS
from telcare.customers import Customer
from telcare.moments._actions import _EVENT_ORDER, Action, E, Status, opened_by_latest
from telcare.moments._catalogue import MOMENTS
from telcare.moments._events import ContactMade, Event
from telcare.moments._reasons import own_reason
from telcare.moments._scan import Dates, MomentScan, _column, _dates
from telcare.moments._spec import MomentRegistry, MomentSpec
from telcare.points import PointsLedger
from telcare.policy import Channel, Moment, Policy, PolicySchedule, resolve

__all__ = ["Replay", "due_actions", "scan_moments", "simple_moment"]


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
        policy: Policy | PolicySchedule,
        *,
        ledger: PointsLedger | None = None,
        moments: MomentRegistry | None = None,
    ) -> None:
        customer = instance(customer, Customer, "Replay needs a telcare.Customer, got {got}")
        policy = resolve(policy, "Replay", as_of=as_of)
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
            event = instance(event, Event, "events must be telcare events, got {got} {value!r}")
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
        """The first contact about ``moment`` on or after ``opened`` (``None`` when none)."""
        moment, opened = code(moment, "moment"), plain_date(opened, "opened")
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
        moment = code(moment, "moment")
        reason = own_reason(instance(reason, str, "reason must be a str, got {got} {value!r}"))
        opened, due = plain_date(opened, "opened"), plain_date(due, "due")
        if closed is not None:
            closed = plain_date(closed, "closed")
        if outcome is not None:
            outcome = instance(outcome, str, "outcome must be None or a str, got {got} {value!r}")
        if priority is not None:
            priority = integer(priority, "priority", minimum=1, maximum=9)
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
        found = self.m.channels.get(moment)
        if found is not None:
            return found
        return self._spec(moment).channel

    def _priority(self, moment: str) -> int:
        found = self.m.priorities.get(moment)
        if found is not None:
            return found
        return self._spec(moment).priority

    def _spec(self, moment: str) -> MomentSpec:
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
    r = instance(r, Replay, "simple_moment() needs a Replay, got {got}")
    if not (isinstance(kind, type) and issubclass(kind, Event)):
        raise InvalidInput(f"simple_moment() needs an event class, got {kind!r}")
    integer(days, "days", maximum=MAX_DAYS)
    text(moment, "moment")
    text(describe, "describe")
    return opened_by_latest(r, kind, moment, days, describe)


def due_actions(
    customer: Customer,
    events: Iterable[Event],
    *,
    as_of: date,
    policy: Policy | PolicySchedule | None = None,
    ledger: PointsLedger | None = None,
    moments: MomentRegistry | None = None,
) -> tuple[Action, ...]:
    """Every action the customer's events call for as of ``as_of``, earliest deadline first.

    ``ledger``, when given, adds the points-expiry reminder.  ``moments`` is the
    registry of moments to evaluate (default :data:`telcare.MOMENTS`).

    >>> from datetime import date, datetime
    >>> from zoneinfo import ZoneInfo
    >>> import telcare as tc
    >>> sh = ZoneInfo("Asia/Shanghai")
    >>> c = tc.Customer("13800000001", activated_on=date(2010, 10, 4), plan_fee=tc.yuan(128))
    >>> events = [tc.Activated("13800000001", datetime(2010, 10, 4, 10, tzinfo=sh), plan_fee=tc.yuan(128))]
    >>> [(a.moment.value, a.due_by.isoformat(), a.status) for a in tc.due_actions(c, events, as_of=date(2010, 10, 5))]
    [('new_subscriber_callback', '2010-10-06', 'open')]
    """
    policy = resolve(policy, "due_actions", as_of=as_of)
    plain_date(as_of, "as_of")
    customer = instance(customer, Customer, "due_actions() needs a telcare.Customer, got {got}")
    if ledger is not None and (
        not isinstance(ledger, PointsLedger) or ledger.customer_id != customer.id
    ):
        raise InvalidInput(
            f"ledger must be the PointsLedger of customer {customer.id!r}, got {ledger!r}"
        )
    registry = _registry(moments)
    r = Replay(customer, events, as_of, policy, ledger=ledger, moments=registry)
    actions = [a for spec in registry if spec.actions is not None for a in spec.actions(r)]
    return tuple(sorted(actions, key=lambda a: (a.due_by, a.priority, registry.order(a.moment))))


def scan_moments(
    as_of: date,
    *,
    policy: Policy | PolicySchedule | None = None,
    moments: MomentRegistry | None = None,
    **columns: Any,
) -> MomentScan:
    """Evaluate the snapshot moments for a whole base; see the module documentation.

    ``moments`` is the registry to scan (default :data:`telcare.MOMENTS`):
    a moment registered with a whole-base form is evaluated from its columns
    like the built-in ones.

    >>> from datetime import date, datetime
    >>> scan = scan_moments(date(2010, 10, 4), contract_ends_on=["2010-11-10", "2011-06-30"])
    >>> scan.due["contract_expiry"].tolist(), scan.status_names("contract_expiry").tolist()
    ([True, False], ['open', ''])
    """
    policy = resolve(policy, "scan_moments", as_of=as_of)
    plain_date(as_of, "as_of")
    specs = _registry(moments).snapshot
    values, contacts = _scan_inputs(specs, columns, policy.timezone)
    n = same_length(**values, **{f"contacted_{k}": v for k, v in contacts.items()})
    today = np.datetime64(as_of, "D")
    due, opened, deadline, levels = _evaluate(specs, values, today, policy, n)
    given = [*values.values(), *contacts.values()]
    opened, deadline = _apart(_own(opened, given), _own(deadline, given))
    stray = sorted(k for k in contacts if k not in due)
    if stray:
        raise InvalidInput(f"contact columns given for moments not evaluated: {stray}")
    status = {
        code: _status(flags, today, opened[code], deadline[code], contacts.get(code))
        for code, flags in due.items()
    }
    keyed = {code: _moment_key(code) for code in due}
    return MomentScan(
        as_of,
        {keyed[k]: v for k, v in due.items()},
        {keyed[k]: v for k, v in opened.items()},
        {keyed[k]: v for k, v in deadline.items()},
        {keyed[k]: v for k, v in status.items()},
        levels.get(Moment.CREDIT_ALERT),
    )


def _own(days: dict[str, Dates], given: list[npt.NDArray[Any]]) -> dict[str, Dates]:
    """``days`` with a copy of each column that may share memory with a given column
    (a moment may open on its input's day): the scan hands back no caller's column.

    >>> given = np.zeros(2, dtype="datetime64[D]")
    >>> _own({"m": given}, [given])["m"] is given, _own({"m": given}, [])["m"] is given
    (False, True)
    """
    return {
        k: v.copy() if any(np.may_share_memory(v, g) for g in given) else v for k, v in days.items()
    }


def _apart(*tables: dict[str, Dates]) -> tuple[dict[str, Dates], ...]:
    """``tables`` with a view in place of every column object met before (a day every
    row shares, a birthday's opening day that is also its deadline): read-only views of
    one memory, and separate objects, so a pickle copies each into its own array.

    >>> day = np.zeros(2, dtype="datetime64[D]")
    >>> a, b = _apart({"m": day}, {"m": day})
    >>> a["m"] is day, b["m"] is day, np.shares_memory(a["m"], b["m"])
    (True, False, True)
    """
    seen: set[int] = set()
    out = []
    for table in tables:
        kept = {}
        for k, v in table.items():
            kept[k] = v.view() if id(v) in seen else v
            seen.add(id(v))
        out.append(kept)
    return tuple(out)


def _registry(moments: object) -> MomentRegistry:
    registry = MOMENTS if moments is None else moments
    return instance(registry, MomentRegistry, "moments must be a MomentRegistry, got {got}")


def _scan_inputs(
    specs: tuple[MomentSpec, ...], columns: dict[str, Any], tz: str
) -> tuple[dict[str, npt.NDArray[Any]], dict[str, Dates]]:
    """The given columns, validated: the moments' inputs by name, the contacts by moment."""
    known = {c.name: c for spec in specs for c in spec.scan.columns}  # type: ignore[union-attr]
    contact_names = {f"contacted_{spec.code}": spec.code for spec in specs}
    unknown = sorted(set(columns) - set(known) - set(contact_names))
    if unknown:
        raise InvalidInput(
            f"unknown columns {unknown}; scan_moments() takes {sorted({*known, *contact_names})}"
        )
    values = {k: _column(known[k], v, tz) for k, v in columns.items() if k in known}
    contacts = {
        contact_names[k]: _dates(v, k, tz) for k, v in columns.items() if k in contact_names
    }
    return values, contacts


Flags = dict[str, npt.NDArray[np.bool_]]
Levels = dict[str, npt.NDArray[np.int8]]


def _evaluate(
    specs: tuple[MomentSpec, ...],
    values: dict[str, npt.NDArray[Any]],
    today: np.datetime64,
    policy: Policy,
    n: int,
) -> tuple[Flags, dict[str, Dates], dict[str, Dates], Levels]:
    """(due, opened_on, due_by, levels) of each moment whose columns are given."""
    due: Flags = {}
    opened: dict[str, Dates] = {}
    deadline: dict[str, Dates] = {}
    levels: Levels = {}
    for spec in specs:
        scan = spec.scan
        assert scan is not None
        given = {c.name: values[c.name] for c in scan.columns if c.name in values}
        if not given:
            continue
        missing = [x for x in scan.required if x not in given]
        if missing:
            raise InvalidInput(f"scan_moments() needs {missing} together with {sorted(given)}")
        hit, opened[spec.code], deadline[spec.code] = scan.evaluate(given, today, policy)
        hit = np.asarray(hit).reshape(n)
        if hit.dtype != np.bool_:  # a level, such as the credit alert's colour: due when > 0
            levels[spec.code] = hit.astype(np.int8)
            hit = hit > 0
        due[spec.code] = hit
    return due, opened, deadline, levels


def _status(
    flags: npt.NDArray[np.bool_],
    today: np.datetime64,
    opened: Dates,
    deadline: Dates,
    contacted: Dates | None,
) -> npt.NDArray[np.int8]:
    """0 no action, 1 open, 2 done (a contact since it opened), 3 overdue."""
    # int8 codes from boolean masks: no int64 temporaries, which at 10^7 rows cost
    # more in fresh memory pages than the comparisons themselves
    codes = flags.view(np.int8).copy()
    late = today > deadline
    late &= flags
    codes[late] = 3
    if contacted is not None:
        codes[flags & (contacted >= opened)] = 2
    return codes


def _moment_key(code: str) -> str:
    """A built-in moment's enum member, or a registered moment's code."""
    try:
        return Moment(code)
    except ValueError:
        return code
