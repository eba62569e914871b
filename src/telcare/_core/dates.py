"""Dates, time zones and the points cycle.

telcare never reads the clock: callers pass ``as_of`` or an aware ``at``.
Datetimes must carry a time zone; day counts and service hours are taken in
the policy's time zone (Asia/Shanghai by default).  Deadlines are dates and
inclusive: "within 3 days" of an event on 4 October is due by 7 October.

>>> from datetime import date
>>> points_cycle(date(2009, 12, 1))
PointsCycle(start=datetime.date(2009, 12, 1), end=datetime.date(2010, 11, 30), label='2010')
>>> due_within(date(2026, 10, 4), 3)
datetime.date(2026, 10, 7)
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from telcare._core.checks import aware, integer, one_of, plain_date, text
from telcare._core.display import Displayable
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_DATE, MIN_DATE

__all__ = [
    "Period",
    "PointsCycle",
    "due_within",
    "local_date",
    "points_cycle",
    "zone",
]

#: The points cycle starts on this month and day (1 December).
CYCLE_START_MONTH = 12


@attrs.frozen(slots=True)
class PointsCycle(Displayable):
    """One yearly points cycle, 1 December to 30 November inclusive.

    The ``label`` is the calendar year in which the cycle ends: the cycle from
    1 Dec 2009 to 30 Nov 2010 is ``"2010"``.
    """

    start: date
    end: date
    label: str

    @property
    def year(self) -> int:
        """The year the cycle ends in, as an ``int``."""
        return int(self.label)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def shifted(self, cycles: int) -> PointsCycle:
        """The cycle ``cycles`` later (or earlier, when negative).

        >>> points_cycle(date(2010, 5, 1)).shifted(1).label
        '2011'
        >>> points_cycle(date(2010, 5, 1)).shifted(10_000)
        Traceback (most recent call last):
        ...
        telcare._core.errors.InvalidInput: cycles=10000 takes cycle 2010 out of range: points cycle year must be between 2 and 9999, got 12010
        """
        cycles = integer(cycles, "cycles", minimum=None, maximum=None)
        try:
            return cycle_of_year(self.year + cycles)
        except InvalidInput as exc:
            raise InvalidInput(
                f"cycles={cycles} takes cycle {self.label} out of range: {exc}"
            ) from None


def cycle_of_year(year: int) -> PointsCycle:
    """The points cycle that ends in November of ``year``."""
    if not 2 <= year <= 9999:
        raise InvalidInput(f"points cycle year must be between 2 and 9999, got {year!r}")
    return PointsCycle(date(year - 1, 12, 1), date(year, 11, 30), str(year))


def points_cycle(day: date) -> PointsCycle:
    """The points cycle (1 Dec - 30 Nov) that contains ``day``.

    >>> points_cycle(date(2010, 11, 30)).label, points_cycle(date(2010, 12, 1)).label
    ('2010', '2011')
    """
    plain_date(day, "points_cycle() day")
    year = day.year + 1 if day.month >= CYCLE_START_MONTH else day.year
    return cycle_of_year(year)


def zone(name: str) -> ZoneInfo:
    """The ``ZoneInfo`` for an IANA name, raising ``InvalidInput`` if unknown."""
    if not isinstance(name, str):
        raise InvalidInput(
            f"unknown time zone {name!r}; expected an IANA name such as 'Asia/Shanghai'"
        )
    return _zone(name)


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(text(name, "time zone"))
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidInput(
            f"unknown time zone {name!r}; expected an IANA name such as 'Asia/Shanghai'"
        ) from None


def local_date(value: datetime, tz: str = "Asia/Shanghai", *, name: str = "datetime") -> date:
    """The calendar date of an aware datetime in the time zone ``tz``.

    >>> from datetime import timezone
    >>> local_date(datetime(2026, 10, 3, 17, 0, tzinfo=timezone.utc))  # 01:00 next day in Shanghai
    datetime.date(2026, 10, 4)
    """
    return aware(value, name).astimezone(zone(tz)).date()


def local_datetime(
    value: datetime, tz: str = "Asia/Shanghai", *, name: str = "datetime"
) -> datetime:
    """An aware datetime converted to the time zone ``tz``."""
    return aware(value, name).astimezone(zone(tz))


def due_within(day: date, days: int) -> date:
    """The last day of an inclusive deadline of ``days`` days after ``day``."""
    return day + timedelta(days=days)


_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _year(value: object) -> int:
    """A year telcare reads dates in: an int (numpy's too) from 1900 to 2999."""
    return integer(value, "year", minimum=MIN_DATE.year, maximum=MAX_DATE.year)


@attrs.frozen(slots=True)
class Period(Displayable):
    """A reporting period: an ISO week (Monday to Sunday) or a calendar month.

    ``start`` and ``end`` are inclusive; ``label`` is ``"2010-W48"`` or ``"2010-11"``.

    >>> w = Period.parse("2010-W48")
    >>> w.start, w.end, w.previous().label
    (datetime.date(2010, 11, 29), datetime.date(2010, 12, 5), '2010-W47')
    >>> m = Period.parse("2010-11")
    >>> m.end, m.previous().label, m.year_before().label
    (datetime.date(2010, 11, 30), '2010-10', '2009-11')
    """

    kind: Literal["week", "month"]
    start: date
    end: date
    label: str

    @classmethod
    def week(cls, year: int, week: int) -> Period:
        """ISO week ``week`` of ``year`` (ints, numpy's too; years 1900 to 2999, as every
        date telcare reads).

        >>> Period.week(2010, True)
        Traceback (most recent call last):
        ...
        telcare._core.errors.InvalidInput: week must be an int, got bool True
        """
        year, week = _year(year), integer(week, "week", minimum=1, maximum=53)
        try:
            start = date.fromisocalendar(year, week, 1)
        except ValueError:
            raise InvalidInput(f"no ISO week {week} in year {year}") from None
        return cls("week", start, start + timedelta(days=6), f"{year:04d}-W{week:02d}")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """Calendar month ``month`` of ``year`` (ints, numpy's too; years 1900 to 2999).

        >>> import numpy as np
        >>> Period.month(np.int64(2010), np.int64(11)).label
        '2010-11'
        """
        year, month = _year(year), integer(month, "month", minimum=1, maximum=12)
        start = date(year, month, 1)
        nxt = date(year + month // 12, month % 12 + 1, 1)
        return cls("month", start, nxt - timedelta(days=1), f"{year:04d}-{month:02d}")

    @classmethod
    def parse(cls, value: object) -> Period:
        """A period from ``"2010-W48"`` (ISO week) or ``"2010-11"`` (month); a Period passes."""
        if isinstance(value, Period):
            return value
        if isinstance(value, str):
            found = _WEEK.match(value.strip())
            if found:
                return cls.week(int(found[1]), int(found[2]))
            found = _MONTH.match(value.strip())
            if found:
                return cls.month(int(found[1]), int(found[2]))
        raise InvalidInput(
            f"a period is an ISO week such as '2010-W48' or a month such as '2010-11', got {value!r}"
        )

    @classmethod
    def containing(cls, day: date, kind: Literal["week", "month"]) -> Period:
        """The week or month that contains ``day``.

        >>> Period.containing(date(2010, 12, 1), "week").label
        '2010-W48'
        """
        plain_date(day, "day")
        if one_of(kind, "kind", options=("week", "month")) == "week":
            year, week, _ = day.isocalendar()
            return cls.week(year, week)
        return cls.month(day.year, day.month)

    @property
    def days(self) -> int:
        """Days in the period."""
        return (self.end - self.start).days + 1

    def shifted(self, periods: int) -> Period:
        """The period ``periods`` later (earlier when negative), within the years 1900 to 2999.

        >>> Period.week(2999, 52).shifted(1)
        Traceback (most recent call last):
        ...
        telcare._core.errors.InvalidInput: periods=1 takes 2999-W52 out of range: year must be <= 2999, got 3000
        """
        periods = integer(periods, "periods", minimum=None, maximum=None)
        try:
            return self._shifted(periods)
        except InvalidInput as exc:
            raise InvalidInput(
                f"periods={periods} takes {self.label} out of range: {exc}"
            ) from None

    def _shifted(self, periods: int) -> Period:
        if self.kind == "week":
            day = self.start.toordinal() + 7 * periods
            if not MIN_DATE.toordinal() <= day <= MAX_DATE.toordinal():
                _year(MIN_DATE.year - 1 if day < MIN_DATE.toordinal() else MAX_DATE.year + 1)
            return Period.containing(date.fromordinal(day), "week")
        index = self.start.year * 12 + self.start.month - 1 + periods
        return Period.month(index // 12, index % 12 + 1)

    def previous(self) -> Period:
        """The period before."""
        return self.shifted(-1)

    def year_before(self) -> Period:
        """The same week (by ISO number; week 53 becomes 52 where the year had none) or month a year before."""
        if self.kind == "month":
            return self.shifted(-12)
        year, week, _ = self.start.isocalendar()
        weeks = date(year - 1, 12, 28).isocalendar()[1]
        return Period.week(year - 1, min(week, weeks))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label
