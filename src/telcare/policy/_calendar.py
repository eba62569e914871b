"""The contact calendar of :class:`~telcare.ContactPolicy`: quiet hours per channel,
and the holidays and make-up working days a care team supplies as data.

A *working day* is a day of ``contact.hours.days`` (Mon-Fri by default) that is not
in ``contact.holidays``, or a day of ``contact.workdays`` (a make-up working day on
a weekend).  The contact hours are open on working days only, and a channel is not
used inside its quiet hours (a range of the policy's wall clock, which may cross
midnight: ``"21:00-08:00"``).

>>> from datetime import date, datetime, time
>>> from zoneinfo import ZoneInfo
>>> q = QuietHours.model_validate("21:00-08:00")
>>> q.describe(), q.covers(time(23, 59)), q.covers(time(8, 0))
('21:00-08:00', True, False)
>>> q.ends(datetime(2026, 10, 9, 23, 59, tzinfo=ZoneInfo("Asia/Shanghai"))).isoformat()
'2026-10-10T08:00:00+08:00'
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Self

from pydantic import AfterValidator, model_validator

from telcare._core.checks import aware
from telcare._core.limits import MAX_DATE, MIN_DATE
from telcare.policy._catalogue import Channel
from telcare.policy._fields import WEEKDAYS, ServiceHours, _Section

__all__ = [
    "CalendarDay",
    "QuietHours",
    "calendar_problems",
    "first_working_day",
    "is_working_day",
    "next_opening",
    "next_unquiet_opening",
]


def _in_range(day: date) -> date:
    if isinstance(day, datetime) or not MIN_DATE <= day <= MAX_DATE:
        raise ValueError(f"a calendar day must be a date from {MIN_DATE} to {MAX_DATE}, got {day}")
    return day


#: A day of the contact calendar: a plain date inside telcare's calendar.
CalendarDay = Annotated[date, AfterValidator(_in_range)]


class QuietHours(_Section):
    """A range [start, end) of the policy's wall clock when a channel is not used;
    when ``start`` is after ``end`` it crosses midnight.  ``"21:00-08:00"`` reads as
    ``{"start": "21:00", "end": "08:00"}``."""

    start: time
    end: time

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            start, sep, end = data.partition("-")
            if not sep:
                raise ValueError(f"quiet hours must read 'HH:MM-HH:MM', got {data!r}")
            return {"start": start.strip(), "end": end.strip()}
        return data

    @model_validator(mode="after")
    def _range(self) -> Self:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError(
                "quiet hours are wall-clock times in the policy's time zone; drop the tzinfo"
            )
        if self.start == self.end:
            raise ValueError(f"quiet hours {self.describe()} are empty: start must differ from end")
        return self

    def covers(self, wall: time) -> bool:
        """Whether a wall-clock time falls inside the quiet hours."""
        if self.start < self.end:
            return self.start <= wall < self.end
        return wall >= self.start or wall < self.end

    def ends(self, local: datetime) -> datetime:
        """The first moment at or after the aware ``local`` outside the quiet hours."""
        local = aware(local, "local")
        wall = local.time().replace(tzinfo=None)
        if not self.covers(wall):
            return local
        day = local.date() if wall < self.end else local.date() + timedelta(days=1)
        return datetime.combine(day, self.end, tzinfo=local.tzinfo)

    def describe(self) -> str:
        """``'21:00-08:00'``."""
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def _covers_hours(quiet: QuietHours, hours: ServiceHours) -> bool:
    """Whether the quiet hours leave no minute of the contact hours open."""
    if quiet.start < quiet.end:
        return quiet.start <= hours.start and hours.end <= quiet.end
    return hours.start >= quiet.start or hours.end <= quiet.end


def calendar_problems(
    hours: ServiceHours,
    holidays: tuple[date, ...],
    workdays: tuple[date, ...],
    quiet: Mapping[Channel, QuietHours],
) -> list[str]:
    """What is wrong with a contact calendar: a date both off and a make-up working
    day, a make-up day that is already a working day, quiet hours that close a
    channel for good.

    >>> calendar_problems(ServiceHours(), (date(2026, 10, 1),), (date(2026, 10, 1),), {})
    ['2026-10-01 is both in holidays and in workdays']
    """
    problems = [
        f"{d} is both in holidays and in workdays" for d in sorted(set(holidays) & set(workdays))
    ]
    problems += [
        f"workdays {d} is a {WEEKDAYS[d.weekday()].capitalize()}, already a working day of "
        f"contact.hours {hours.describe()}: a make-up working day must be a day off"
        for d in workdays
        if WEEKDAYS[d.weekday()] in hours.days and d not in holidays
    ]
    problems += [
        f"quiet hours for {channel} {q.describe()} cover the whole of contact.hours "
        f"{hours.describe()}: {channel} could never be used"
        for channel, q in quiet.items()
        if _covers_hours(q, hours)
    ]
    return problems


def is_working_day(
    day: date, hours: ServiceHours, holidays: frozenset[date], workdays: frozenset[date]
) -> bool:
    """A day of ``hours.days`` that is no holiday, or a make-up working day."""
    if day in workdays:
        return True
    return WEEKDAYS[day.weekday()] in hours.days and day not in holidays


def _next_hours_day(day: date, weekdays: frozenset[int]) -> date:
    """The first day at or after ``day`` whose weekday is one of ``weekdays``."""
    return day + timedelta(days=min((w - day.weekday()) % 7 for w in weekdays))


def first_working_day(
    day: date, hours: ServiceHours, holidays: frozenset[date], workdays: frozenset[date]
) -> date:
    """The first working day at or after ``day``.

    The walk visits only the days of ``hours.days``: each one it passes is a distinct
    holiday, so it ends within ``len(holidays) + 1`` of them (a holiday on the only
    weekday of the hours costs a whole week), and the nearest make-up working day
    ends it sooner.  ``hours.days`` is never empty and a policy lists at most
    :data:`~telcare._core.limits.MAX_DAYS` holidays, so every valid calendar has a
    working day within ``7 * (MAX_DAYS + 1)`` days: there is no "never".

    >>> sunday = ServiceHours(days=("sun",))
    >>> first_working_day(date(2026, 11, 24), sunday, frozenset({date(2026, 11, 29)}), frozenset())
    datetime.date(2026, 12, 6)
    """
    weekdays = frozenset(WEEKDAYS.index(d) for d in hours.days)
    made_up = min((d for d in workdays if d >= day), default=None)
    candidate = _next_hours_day(day, weekdays)
    for _ in range(len(holidays) + 1):
        if made_up is not None and made_up <= candidate:
            return made_up
        if candidate not in holidays:
            return candidate
        candidate = _next_hours_day(candidate + timedelta(days=1), weekdays)
    raise AssertionError("unreachable: each day passed is a distinct holiday")  # pragma: no cover


def next_opening(
    local: datetime, hours: ServiceHours, holidays: frozenset[date], workdays: frozenset[date]
) -> datetime:
    """The first moment at or after the aware ``local`` inside the hours of a working day
    (on ``local``'s own wall clock).  It always exists (see :func:`first_working_day`).

    >>> from zoneinfo import ZoneInfo
    >>> at = datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    >>> sunday = ServiceHours(days=("sun",))
    >>> next_opening(at, sunday, frozenset({date(2026, 11, 29)}), frozenset()).isoformat()
    '2026-12-06T08:00:00+08:00'
    """
    local = aware(local, "local")
    day = local.date()
    wall = local.time().replace(tzinfo=None)
    if is_working_day(day, hours, holidays, workdays):
        if hours.start <= wall < hours.end:
            return local
        if wall < hours.start:
            return datetime.combine(day, hours.start, tzinfo=local.tzinfo)
    day = first_working_day(day + timedelta(days=1), hours, holidays, workdays)
    return datetime.combine(day, hours.start, tzinfo=local.tzinfo)


def next_unquiet_opening(
    local: datetime,
    hours: ServiceHours,
    holidays: frozenset[date],
    workdays: frozenset[date],
    quiet: QuietHours | None,
) -> datetime:
    """The first moment at or after ``local`` inside the hours and outside ``quiet``.

    The policy refuses quiet hours that cover the whole contact hours, so every
    opening day has such a moment: the loop ends within a few steps."""
    when = next_opening(local, hours, holidays, workdays)
    for _ in range(4):
        if quiet is None or not quiet.covers(when.time().replace(tzinfo=None)):
            return when
        when = next_opening(quiet.ends(when), hours, holidays, workdays)
    raise AssertionError("unreachable: quiet hours never cover the whole hours")  # pragma: no cover
