"""The birthday care moment (seed 000): a contact on the birthday, opening
``birthday_days_before`` (0) days before it.  The whole-base form takes ``birthday``."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from telcare._core import kernels
from telcare._core.columns import Column
from telcare.moments._actions import Action
from telcare.moments._reasons import BIRTHDAY as BIRTHDAY_CARE
from telcare.moments._scan import Columns, Dates
from telcare.moments._spec import ScanResult, SnapshotScan, builtin
from telcare.policy import Moment, Policy

if TYPE_CHECKING:
    from telcare.moments._forms import Replay

__all__ = ["BIRTHDAY"]


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
            BIRTHDAY_CARE(day=day),
            closed=r.closed(Moment.BIRTHDAY, opened),
        )
    ]


#: Birthdays are looked up by month and day; days spanning more than this are
#: converted one by one instead of through a table of the whole span.
_SPAN_TABLE_DAYS = 200 * 366


def _month_day_keys(days: Dates) -> npt.NDArray[np.int64]:
    """:func:`~telcare._core.kernels.birthday_key` of each date (no NaT among them)."""
    months = days.astype("datetime64[M]")
    keys: npt.NDArray[np.int64] = kernels.birthday_key(
        months.astype(np.int64) % 12 + 1,
        (days - months.astype("datetime64[D]")).astype(np.int64) + 1,
    )
    return keys


def _birthdays_on(days: Dates, table: Dates) -> Dates:
    """``table``'s day for each date's month-day key (no NaT among the dates).

    Calendar conversions in numpy are slow, so when the dates span at most two
    centuries only the distinct days of the span are converted and looked up, and
    each date gathers its span day's (by an int32 offset: half a column of int64).
    """
    as_int = days.view(np.int64)  # the day counts, no copy
    low, high = int(as_int.min()), int(as_int.max())
    if high - low > _SPAN_TABLE_DAYS:
        direct: Dates = table[_month_day_keys(days)]
        return direct
    span = np.arange(low, high + 1).astype("datetime64[D]")
    by_day = table[_month_day_keys(span)]
    gathered: Dates = by_day[np.subtract(as_int, low, dtype=np.int32)]
    return gathered


def _scan(columns: Columns, today: np.datetime64, policy: Policy) -> ScanResult:
    birthday = columns["birthday"]
    days_before = policy.moments.birthday_days_before
    table = np.full(12 * 32, np.datetime64("NaT", "D"), dtype="datetime64[D]")
    for key, day in kernels.birthday_lookup(today.astype(date), days_before).items():
        table[key] = day
    present = ~np.isnat(birthday)
    if len(birthday) and present.all():  # no copy of the column, nor a scatter back
        when = _birthdays_on(birthday, table)
    else:
        when = np.full(len(birthday), np.datetime64("NaT", "D"), dtype="datetime64[D]")
        if present.any():
            when[present] = _birthdays_on(birthday[present], table)
    if days_before == 0:  # the contact opens on the birthday: one read-only column for both
        when.flags.writeable = False
        return ~np.isnat(when), when, when
    return ~np.isnat(when), kernels.shift_days(when, -days_before), when


BIRTHDAY = builtin(
    Moment.BIRTHDAY, "Birthday", (), ("birthday_days_before",), _birthday,
    SnapshotScan((Column("birthday", "date", doc="date of birth"),), _scan),
)  # fmt: skip
