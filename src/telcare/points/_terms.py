"""The points rules a ledger or a book posts under, and under a
:class:`~telcare.PolicySchedule` the rules in force on each day.

:class:`Terms` are the figures of ``policy.points`` (and the policy's time zone) that
a ledger and a book follow.  :class:`Rules` holds a schedule's terms, one per policy:
each posting uses the terms in force on its own day (its lot's expiry, its pending
period, a reversal's mode), and an aware ``datetime`` is read as
:meth:`PolicySchedule.index_on <telcare.PolicySchedule.index_on>` reads it (in the
zone of the policy in force until a change, then in its own): :meth:`Rules.day` gives
its day, from which :meth:`Rules.on` finds that same policy.

>>> from datetime import date
>>> import telcare as tc
>>> rules = Rules(tc.PolicySchedule({date(2010, 1, 1): tc.default_policy(),
...                                  date(2010, 6, 1): {"points": {"expire_after_cycles": 2}}}))
>>> rules.on(date(2010, 5, 31)).expire_after_cycles, rules.on(date(2010, 6, 1)).expire_after_cycles
(1, 2)
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime
from typing import NamedTuple

from telcare._core.dates import CYCLE_START_MONTH, points_cycle
from telcare._core.label_checks import local_day
from telcare._core.limits import MAX_DATE, MIN_DATE
from telcare.policy import Policy, PolicySchedule

__all__ = ["EXPIRIES", "Rules", "Terms", "expiry", "terms_of"]

#: Expiry dates by (cycle year, cycles later): a posting looks its expiry up, as
#: working it out again is most of an accrual's cost.
EXPIRIES: dict[tuple[int, int], date] = {}


def expiry(on: date, cycles: int) -> date:
    """30 Nov of the cycle ``cycles`` after the one ``on`` is in."""
    key = (on.year + (on.month >= CYCLE_START_MONTH), cycles)
    found = EXPIRIES.get(key)
    if found is None:
        found = EXPIRIES[key] = points_cycle(on).shifted(cycles).end
    return found


class Terms(NamedTuple):
    """The points rules of one policy, as a ledger and a book follow them."""

    expire_after_cycles: int
    fen_per_point: int
    reversal_mode: str
    pending_days: int
    timezone: str


def terms_of(policy: Policy) -> Terms:
    pts = policy.points
    return Terms(
        pts.expire_after_cycles, pts.fen_per_point, pts.reversal, pts.pending_days,
        policy.timezone,
    )  # fmt: skip


class Rules:
    """A schedule's terms by day: ``on(day)`` is a binary search over its first days."""

    __slots__ = ("schedule", "starts", "terms")

    def __init__(self, schedule: PolicySchedule) -> None:
        self.schedule = schedule
        self.starts = schedule.starts
        self.terms = tuple(terms_of(p) for p in schedule.policies)

    def on(self, day: date, name: str = "on") -> Terms:
        """The terms in force on ``day`` (a checked ``date``); a day before the schedule's
        first is refused, naming ``name``, as :meth:`PolicySchedule.policy_on` refuses it."""
        i = bisect_right(self.starts, day) - 1
        if i < 0:
            self.schedule.policy_on(day, name=name)  # raises, naming the day and the first date
        return self.terms[i]

    def day(self, value: object, name: str) -> date:
        """``value`` as a day: a ``date``, or an aware ``datetime``'s day in the zone of the
        policy in force then (:meth:`PolicySchedule.index_on`), and never before that
        policy's first day, so :meth:`on` of the day is the policy ``index_on`` gives.

        A change that moves the zone west takes effect at midnight in the old zone, when
        it is still the day before in the new one: those hours are the new policy's
        first day, which starts at the change (here 28 hours long).

        >>> from datetime import UTC
        >>> west = Rules(PolicySchedule({date(2010, 1, 1): Policy(timezone="UTC"),
        ...                              date(2010, 7, 1): Policy(timezone="America/New_York")}))
        >>> [west.day(datetime(2010, 7, 1, h, tzinfo=UTC), "on") for h in (2, 4)]  # 22:00, 00:00
        [datetime.date(2010, 7, 1), datetime.date(2010, 7, 1)]
        """
        if type(value) is date and MIN_DATE <= value <= MAX_DATE:
            return value
        if isinstance(value, datetime) and value.utcoffset() is not None:
            i = self.schedule.index_on(value, name=name)
            return max(local_day(value, name, self.terms[i].timezone), self.starts[i])
        return local_day(value, name, self.terms[0].timezone)  # a date, or refused by name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rules) and other.schedule == self.schedule

    def __hash__(self) -> int:
        return hash(self.schedule)
