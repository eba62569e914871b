"""Deadlines in calendar days, or in working days of the contact calendar.

A moment's deadline is ``days`` calendar days after it opens, unless the moment is
named in ``moments.working_day_deadlines``: then it is the ``days``-th working day
after the opening day (:meth:`~telcare.ContactPolicy.is_working_day`: a day of
``contact.hours.days`` that is no holiday, or a make-up working day), and 0 days is
the opening day itself.  One customer and a whole base count through the same
column kernel, :func:`working_days_after`.

>>> from datetime import date
>>> import telcare as tc
>>> policy = tc.Policy.model_validate({
...     "contact": {"holidays": ["2026-10-01", "2026-10-02"], "workdays": ["2026-10-10"]},
...     "moments": {"working_day_deadlines": ["first_bill"]}})
>>> due_after(date(2026, 9, 30), 3, tc.Moment.FIRST_BILL, policy)   # Mon 5, Tue 6, Wed 7 Oct
datetime.date(2026, 10, 7)
>>> due_after(date(2026, 9, 30), 3, tc.Moment.CREDIT_ALERT, policy)  # calendar days
datetime.date(2026, 10, 3)
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core import kernels
from telcare.policy import Policy

__all__ = ["due_after", "working_days_after"]

Dates = npt.NDArray[np.datetime64]
_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _working(days: Dates, policy: Policy) -> npt.NDArray[np.bool_]:
    """Whether each day of a ``datetime64[D]`` range is a working day."""
    contact = policy.contact
    # 1970-01-01 was a Thursday: weekday 3
    weekday = (days.astype(np.int64) + 3) % 7
    open_days = np.array([d in contact.hours.days for d in _WEEK])
    working = open_days[weekday]
    holidays = np.array(contact.holidays, dtype="datetime64[D]")
    workdays = np.array(contact.workdays, dtype="datetime64[D]")
    working &= ~np.isin(days, holidays)
    working |= np.isin(days, workdays)
    out: npt.NDArray[np.bool_] = working
    return out


def working_days_after(opened: Dates, days: int, policy: Policy) -> Dates:
    """The ``days``-th working day after each opening day (NaT stays NaT; 0: the day).

    >>> import numpy as np
    >>> import telcare as tc
    >>> p = tc.Policy.model_validate({"contact": {"holidays": ["2026-10-01"]}})
    >>> working_days_after(np.array(["2026-09-30", "NaT"], dtype="datetime64[D]"), 1, p).tolist()
    [datetime.date(2026, 10, 2), None]
    """
    opened = np.asarray(opened, dtype="datetime64[D]")
    if days == 0:
        return opened.copy()
    valid = ~np.isnat(opened)
    out = np.full(opened.shape, np.datetime64("NaT", "D"))
    if not valid.any():
        return out
    first = opened[valid].min() + np.timedelta64(1, "D")
    # every week holds a working day of contact.hours; each holiday costs at most one
    span = 7 * (days + len(policy.contact.holidays) + 1)
    grid = np.arange(first, opened[valid].max() + np.timedelta64(span + 1, "D"))
    working = grid[_working(grid, policy)]
    position = np.searchsorted(working, opened[valid], side="right")
    out[valid] = working[position + days - 1]
    return out


def due_after(opened: Any, days: int, moment: str, policy: Policy) -> Any:
    """The deadline of ``moment`` opened on ``opened`` (a ``date`` or a ``datetime64[D]``
    column) with ``days`` to go: calendar days, or working days for the moments of
    ``moments.working_day_deadlines``."""
    if moment not in policy.moments.working_day_deadlines:
        return kernels.shift_days(opened, days)
    if isinstance(opened, date):
        one = working_days_after(np.array([opened], dtype="datetime64[D]"), days, policy)
        found: date = one[0].item()
        return found
    return working_days_after(opened, days, policy)
