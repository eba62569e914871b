"""What a customer's history measures, each written once: the average spend (over the
tier window) and the tenure, for tiers, points and marketing alike.

Tenure has three readings, named here side by side because each is meant:

* :func:`tenure_years`, full years reached by a day (anniversaries on 29 Feb
  fall on 28 Feb): how long a customer has stayed;
* :func:`anniversary_years`, the full years reached at an anniversary inside a
  calendar month, 0 when none falls in it: points pay the tenure bonus in the
  anniversary month's bill (seed 002);
* :func:`tenure_months`, calendar months since the activation month (activated
  on 31 Jan, one month on 1 Feb): an offer's ``min_tenure_months`` gate.

>>> from datetime import date
>>> tenure_years(date(2008, 5, 20), date(2010, 5, 19)), tenure_months(date(2008, 5, 20), date(2010, 5, 19))
(1, 24)
>>> anniversary_years(date(2008, 5, 20), date(2010, 5, 1)), anniversary_years(date(2008, 5, 20), date(2010, 6, 1))
(2, 0)
>>> average_spend((10_000, 30_000, 50_000), window_months=2)
40000
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from telcare._core.checks import int_column, integer, plain_date, same_length
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_AVG_SPEND, MAX_BILL, MAX_COUNT, MAX_DATE, MIN_DATE

__all__ = [
    "anniversary_years",
    "average_spend",
    "floor_mean",
    "mean_spend",
    "spend_window",
    "tenure_months",
    "tenure_years",
]


def spend_window(monthly_spend: Sequence[int], window_months: int) -> tuple[int, ...]:
    """The billed months the average reads: the last ``window_months`` (``tiers.window_months``).

    >>> spend_window((1, 2, 3), 2), spend_window((1,), 12)
    ((2, 3), (1,))
    """
    return tuple(monthly_spend[-window_months:])


def floor_mean(total: int, months: int) -> int:
    """:func:`mean_spend` for arguments already checked (Python ints, ``months >= 0``):
    the one-customer rules' fast path."""
    return total // months if months else 0


@overload
def mean_spend(total: int, months: int) -> int: ...
@overload
def mean_spend(total: npt.NDArray[Any], months: npt.NDArray[Any]) -> npt.NDArray[np.int64]: ...
def mean_spend(total: Any, months: Any) -> Any:
    """The average monthly spend from a window's total (fen) and its billed months:
    floored to the fen, 0 with no month billed.  One customer (ints, numpy's too: an
    ``int`` back) or a whole base (equal-length columns: an ``int64`` column back);
    totals and months are whole numbers >= 0 within the money bounds.

    >>> mean_spend(301, 2), mean_spend(0, 0)
    (150, 0)
    >>> mean_spend(np.array([301, 0]), np.array([2, 0])).tolist()
    [150, 0]
    >>> mean_spend(301, -2)
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: months must be >= 0, got -2
    """
    if np.ndim(total) == 0 and np.ndim(months) == 0:
        return floor_mean(
            integer(total, "total", maximum=MAX_AVG_SPEND),
            integer(months, "months", maximum=MAX_COUNT),
        )
    totals = int_column(total, "total", maximum=MAX_AVG_SPEND)
    counts = int_column(months, "months", maximum=MAX_COUNT)
    same_length(total=totals, months=counts)
    return np.where(counts > 0, totals // np.maximum(counts, 1), 0).astype(np.int64)


def average_spend(monthly_spend: Sequence[int], window_months: int) -> int:
    """A customer's average monthly spend in fen: the floored mean of the billed months
    in the tier window (``policy.tiers.window_months``), 0 with none billed.

    >>> average_spend((), 12), average_spend((100, 201), 12)
    (0, 150)
    """
    if isinstance(monthly_spend, str) or not (
        isinstance(monthly_spend, Sequence)
        or (isinstance(monthly_spend, np.ndarray) and monthly_spend.ndim == 1)
    ):
        raise InvalidInput(
            "monthly_spend must be a sequence of monthly bills in fen, "
            f"got {type(monthly_spend).__name__}"
        )
    months = integer(window_months, "window_months", minimum=1, maximum=MAX_COUNT)
    window = [
        integer(x, "monthly_spend", maximum=MAX_BILL) for x in spend_window(monthly_spend, months)
    ]
    return floor_mean(sum(window), len(window))


def day(value: object, name: str) -> date:
    """A calendar day for the tenure readings: a ``date``, or a numpy ``datetime64``
    (days, or a timestamp at midnight).  A ``datetime`` is refused, naive or aware:
    these readings know no time zone, so the caller reads it in the policy's zone
    first (``local_date``), as every rule does.

    >>> day(np.datetime64("2010-05-19"), "as_of")
    datetime.date(2010, 5, 19)
    >>> day(np.datetime64("2010-05-19T09:30"), "as_of")
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: as_of must be a day, got the timestamp 2010-05-19T09:30 (a time of day has no zone here); give its date in the policy's time zone
    """
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise InvalidInput(f"{name} is missing (got {value!r}); give a date")
        days = value.astype("datetime64[D]")
        if days != value:
            raise InvalidInput(
                f"{name} must be a day, got the timestamp {value} (a time of day has no zone "
                "here); give its date in the policy's time zone"
            )
        if not np.datetime64(MIN_DATE, "D") <= days <= np.datetime64(MAX_DATE, "D"):
            raise InvalidInput(f"{name} must be between {MIN_DATE} and {MAX_DATE}, got {days}")
        value = days.item()
    return plain_date(value, name)


def tenure_years(activated_on: date, as_of: date) -> int:
    """Full years of tenure reached by ``as_of`` (anniversaries on 29 Feb fall on 28 Feb);
    both are days as :func:`day` reads them.

    >>> tenure_years(date(2020, 2, 29), date(2021, 2, 28))
    1
    >>> from datetime import datetime, timezone
    >>> tenure_years(date(2020, 2, 29), datetime(2021, 3, 1, tzinfo=timezone.utc))
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: as_of must be a datetime.date, got datetime datetime.datetime(2021, 3, 1, 0, 0, tzinfo=datetime.timezone.utc); use local_date() to turn an aware datetime into a date
    """
    activated_on, as_of = day(activated_on, "activated_on"), day(as_of, "as_of")
    years = as_of.year - activated_on.year
    try:
        anniversary = activated_on.replace(year=as_of.year)
    except ValueError:
        anniversary = date(as_of.year, 2, 28)
    if as_of < anniversary:
        years -= 1
    return max(0, years)


def anniversary_years(activated_on: date, month: date) -> int:
    """The full years reached at an anniversary inside ``month``'s calendar month (0 if none).

    >>> anniversary_years(date(2020, 2, 29), date(2021, 2, 1))
    1
    """
    activated_on, month = day(activated_on, "activated_on"), day(month, "month")
    if activated_on.month != month.month:
        return 0
    last = calendar.monthrange(month.year, month.month)[1]
    return tenure_years(activated_on, month.replace(day=last))


def tenure_months(activated_on: date, as_of: date) -> int:
    """Calendar months from the activation month to ``as_of``'s month (0 before it).

    >>> tenure_months(date(2010, 1, 31), date(2010, 2, 1))
    1
    """
    activated_on, as_of = day(activated_on, "activated_on"), day(as_of, "as_of")
    months = (as_of.year - activated_on.year) * 12 + as_of.month - activated_on.month
    return max(0, months)
