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
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from telcare.core.checks import aware, plain_date, text
from telcare.core.display import Displayable
from telcare.core.errors import InvalidInput

__all__ = [
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
        """
        return cycle_of_year(self.year + cycles)


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
