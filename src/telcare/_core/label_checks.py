"""Labels and days: the two inputs the newer surfaces took without a look.

A *label* names a thing a figure is grouped or assigned by: a manager, a group, a
cell, a moment, an agent.  It is text or an integer code, never missing: a NaN,
``None``, pandas ``NA`` or ``NaT`` is refused with its column and row, because
turning it into a name (``'nan'``, ``'<NA>'``) makes an agent or a group that does
not exist.  numpy scalars become Python values, so a label compares, hashes and
prints the same whether it came from a list, a numpy array or a DataFrame.

A *day* is a calendar date.  An aware datetime is read as its date in the
policy's time zone (01:00 in Shanghai on 29 November is 29 November, not the
28th it is in UTC); a naive datetime is refused, since its clock time would
otherwise be read in an unknown zone (a numpy or pandas timestamp column at
midnight reads as its dates).

>>> label_column(["wang", "li"], "manager")
['wang', 'li']
>>> label_column(["wang", float("nan")], "manager")
Traceback (most recent call last):
...
telcare._core.errors.InvalidInput: manager is missing at index 1 (got nan); give every row a label
>>> from datetime import datetime, timezone
>>> local_day(datetime(2026, 11, 28, 17, 0, tzinfo=timezone.utc), "since", "Asia/Shanghai")
datetime.date(2026, 11, 29)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.column_checks import column
from telcare._core.dates import local_date
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_DATE, MIN_DATE

__all__ = ["is_missing", "label", "label_column", "local_day", "local_days"]

Label = str | int

_FIRST, _LAST = np.datetime64(MIN_DATE, "D"), np.datetime64(MAX_DATE, "D")


def is_missing(value: object) -> bool:
    """Whether ``value`` is one of the ways a table writes "no value".

    >>> [is_missing(v) for v in (None, float("nan"), np.datetime64("NaT"), "", 0)]
    [True, True, True, False, False]
    """
    if value is None:
        return True
    if isinstance(value, float | np.floating):
        return bool(value != value)
    if isinstance(value, np.datetime64 | np.timedelta64):
        return bool(np.isnat(value))
    kind = type(value).__name__
    return kind in ("NAType", "NaTType")  # pandas' NA and NaT, without importing pandas


def label(value: object, name: str) -> Label:
    """One label: a non-empty ``str`` without edge whitespace, or an integer (numpy's
    become Python ints); booleans, numbers with fractions and missing values are refused.

    >>> label(np.int16(7), "group")
    7
    >>> label(True, "group")
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: group must be a text or integer label, got bool True
    """
    if is_missing(value):
        raise InvalidInput(f"{name} is missing (got {value!r}); give a label")
    if isinstance(value, np.str_):
        value = str(value)
    if isinstance(value, str):
        if not value or value != value.strip():
            raise InvalidInput(f"{name} must be a label without edge whitespace, got {value!r}")
        return value
    if isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_):
        return int(value)
    raise InvalidInput(
        f"{name} must be a text or integer label, got {type(value).__name__} {value!r}"
    )


def label_column(values: Any, name: str) -> list[Label]:
    """A column of labels as a list of Python values, every row checked by :func:`label`;
    a missing row is refused with its position.

    >>> label_column(np.array([3, 1]), "cell")
    [3, 1]
    >>> label_column("wang", "agents")
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: agents must be a column of labels, got the str 'wang'
    """
    if isinstance(values, str | bytes) or not isinstance(values, Iterable | np.ndarray):
        raise InvalidInput(
            f"{name} must be a column of labels, got the {type(values).__name__} {values!r}"
        )
    if isinstance(values, np.ndarray):
        items = column(values, name).tolist()  # refuses masked entries and other shapes
    elif hasattr(values, "tolist"):  # pandas keeps None and NA as they are in tolist()
        items = values.tolist()
    else:
        items = list(values)
    out: list[Label] = []
    for i, v in enumerate(items):
        if is_missing(v):
            raise InvalidInput(
                f"{name} is missing at index {i} (got {v!r}); give every row a label"
            )
        out.append(label(v, f"{name}[{i}]"))
    return out


def local_day(value: object, name: str, tz: str) -> date:
    """A day: a ``date``, or an aware ``datetime`` read in ``tz``; anything else (a naive
    ``datetime`` too) is refused by name.

    >>> local_day(datetime(2026, 11, 29, 9, 30), "as_of", "Asia/Shanghai")
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: as_of must be timezone-aware, got the naive datetime 2026-11-29 09:30:00; attach a tzinfo such as ZoneInfo('Asia/Shanghai')
    """
    if isinstance(value, datetime):
        day = local_date(value, tz, name=name)  # a naive datetime is refused by name
    elif isinstance(value, date):
        day = value
    else:
        raise InvalidInput(f"{name} must be a date, got {type(value).__name__} {value!r}")
    if not MIN_DATE <= day <= MAX_DATE:
        raise InvalidInput(f"{name} must be between {MIN_DATE} and {MAX_DATE}, got {value!r}")
    return day


def local_days(values: Any, name: str, tz: str) -> npt.NDArray[np.datetime64]:
    """A column of days as ``datetime64[D]``: aware timestamps (a tz-aware pandas
    column, or aware ``datetime`` objects) are read in ``tz``; a naive timestamp with a
    time of day is refused, being ambiguous; ``NaT`` stays (a missing date is for the
    caller to allow or refuse); dates outside telcare's calendar are refused.

    >>> from datetime import timezone
    >>> local_days([datetime(2026, 11, 28, 17, tzinfo=timezone.utc), date(2026, 12, 1)],
    ...            "due", "Asia/Shanghai").tolist()
    [datetime.date(2026, 11, 29), datetime.date(2026, 12, 1)]
    """
    raw = column(_aware_to_local(values, name, tz), name)
    if raw.dtype.kind == "M" and np.datetime_data(raw.dtype)[0] not in ("D", "W", "M", "Y"):
        days = raw.astype("datetime64[D]")
        timed = ~np.isnat(raw) & (days != raw)
        if timed.any():
            i = int(np.argmax(timed))
            raise InvalidInput(
                f"{name} holds the naive timestamp {raw[i]} at index {i}; give dates, or "
                "timezone-aware timestamps that telcare reads in the policy's time zone"
            )
        raw = days
    try:
        arr = raw.astype("datetime64[D]")
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidInput(f"{name} must hold dates, got {exc}") from None
    outside = (arr < _FIRST) | (arr > _LAST)  # NaT compares False: a missing date stays
    if outside.any():
        i = int(np.argmax(outside))
        raise InvalidInput(
            f"{name} must hold dates between {MIN_DATE} and {MAX_DATE}, got {arr[i]} at index {i}"
        )
    return arr


def _aware_to_local(values: Any, name: str, tz: str) -> Any:
    if isinstance(values, np.ma.MaskedArray):
        return values  # the column check refuses a masked entry by name
    dtype = getattr(values, "dtype", None)
    if getattr(dtype, "tz", None) is not None:  # a tz-aware pandas Series or Index
        if hasattr(values, "dt"):
            values = values.dt.tz_convert(tz).dt.tz_localize(None)
        else:
            values = values.tz_convert(tz).tz_localize(None)
        return np.asarray(values, dtype="datetime64[ns]").astype("datetime64[D]")
    if isinstance(values, np.ndarray) and values.dtype.kind != "O":
        return values
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        return values
    if getattr(dtype, "kind", None) == "M":
        return np.asarray(values)
    items = list(values)
    if not any(isinstance(x, datetime) for x in items):
        return items if dtype is None else values
    out = []
    for i, x in enumerate(items):
        if isinstance(x, datetime):
            x = local_day(x, f"{name}[{i}]", tz)
        out.append(None if is_missing(x) else x)
    return np.array(out, dtype="datetime64[D]")
