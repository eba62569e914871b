"""Days: a calendar date from every form a caller may hold one in.

An aware datetime is read as its date in the policy's time zone (01:00 in
Shanghai on 29 November is 29 November, not the 28th it is in UTC); a naive
datetime is refused, since its clock time would otherwise be read in an unknown
zone (a numpy or pandas timestamp column at midnight reads as its dates).
Numbers are refused (numpy would read 20101129 as a day counted from 1970), and so
is ISO text with a clock time.  A missing day (``None``, NaN, ``NaT``, pandas
``NA``) is ``NaT`` in :func:`local_days`; :func:`day_column` refuses it with its
row unless told it is optional.

>>> from datetime import datetime, timezone
>>> local_day(datetime(2026, 11, 28, 17, 0, tzinfo=timezone.utc), "since", "Asia/Shanghai")
datetime.date(2026, 11, 29)
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.checks import instance
from telcare._core.column_checks import column, is_missing
from telcare._core.dates import local_date
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_DATE, MIN_DATE

__all__ = ["day_column", "local_day", "local_days", "one_day"]

_FIRST, _LAST = np.datetime64(MIN_DATE, "D"), np.datetime64(MAX_DATE, "D")


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


def local_days(values: Any, name: str, tz: str, *, copy: bool = True) -> npt.NDArray[np.datetime64]:
    """A column of days as ``datetime64[D]``: aware timestamps (a tz-aware pandas
    column, or aware ``datetime`` objects) are read in ``tz``; a naive timestamp with a
    time of day is refused, being ambiguous; ``NaT`` stays (a missing date is for the
    caller to allow or refuse); dates outside telcare's calendar are refused.  Without
    ``copy`` a caller's own ``datetime64[D]`` column comes back as it is (for a caller
    that keeps no input column).

    >>> from datetime import timezone
    >>> local_days([datetime(2026, 11, 28, 17, tzinfo=timezone.utc), date(2026, 12, 1)],
    ...            "due", "Asia/Shanghai").tolist()
    [datetime.date(2026, 11, 29), datetime.date(2026, 12, 1)]
    """
    raw = column(_day_rows(_aware_to_local(values, name, tz), name), name)
    if raw.ndim == 1 and raw.size > 1 and raw.strides[0] == 0:  # one day broadcast: read once
        return np.broadcast_to(local_days(raw[:1], name, tz), raw.shape)
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
        # a column made here is kept as it is; the caller's own memory is copied
        arr = raw.astype("datetime64[D]", copy=copy and (raw is values or raw.base is not None))
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidInput(f"{name} must hold dates, got {exc}") from None
    outside = _outside(arr)
    if outside is not None and outside.any():
        i = int(np.argmax(outside))
        raise InvalidInput(
            f"{name} must hold dates between {MIN_DATE} and {MAX_DATE}, got {arr[i]} at index {i}"
        )
    return arr


def _outside(days: npt.NDArray[np.datetime64]) -> npt.NDArray[np.bool_] | None:
    """Which of ``days`` fall outside telcare's calendar (NaT compares False: a missing
    date stays), or None when two reductions over the day counts, with no mask, show
    every day inside it (a column with NaT gets the mask).

    >>> _outside(np.array(["2010-10-01", "NaT"], dtype="datetime64[D]")).tolist()
    [False, False]
    >>> _outside(np.array(["2010-10-01"], dtype="datetime64[D]")) is None
    True
    """
    if not days.size:
        return None
    counts = days.view(np.int64)
    if counts.min() >= _FIRST.astype(np.int64) and counts.max() <= _LAST.astype(np.int64):
        return None
    mask: npt.NDArray[np.bool_] = (days < _FIRST) | (days > _LAST)
    return mask


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
        if isinstance(x, datetime) and not is_missing(x):  # pandas' NaT is a datetime
            x = local_day(x, f"{name}[{i}]", tz)
        out.append(None if is_missing(x) else x)
    return np.array(out, dtype="datetime64[D]")


def one_day(value: object, name: str, tz: str) -> np.datetime64:
    """One day: a ``date``, an aware ``datetime`` (its day in ``tz``), ISO text or a
    numpy day; a missing or naive-timed value is refused by name.

    >>> from datetime import datetime, timezone
    >>> one_day(datetime(2010, 12, 2, 20, tzinfo=timezone.utc), "day", "Asia/Shanghai")
    np.datetime64('2010-12-03')
    """
    if is_missing(value):
        raise InvalidInput(f"{name} is missing (got {value!r}); give a day")
    if isinstance(value, date):
        return np.datetime64(local_day(value, name, tz), "D")
    instance(value, str | np.datetime64, f"{name} must be a date, got {{got}} {{value!r}}")  # type: ignore[arg-type]
    try:
        days = day_column([value], name, tz, 1)
    except InvalidInput as exc:
        raise InvalidInput(
            str(exc).replace(" at index 0", "").replace(f"{name}[0]", name)
        ) from None
    return np.datetime64(days[0], "D")


def day_column(
    values: Any, name: str, tz: str, n: int | None = None, *, optional: bool = False
) -> npt.NDArray[np.datetime64]:
    """A column of days (``datetime64[D]``, ``n`` rows when given) read by
    :func:`~telcare._core.label_checks.local_days` in ``tz``: dates, aware datetimes
    (their day in ``tz``), ISO dates, numpy days.  Numbers are refused (numpy would
    read them as days after 1970), and so is a clock time on a naive value; a
    missing day (``None``, NaN, ``NaT``, pandas ``NA``) is refused with its row
    unless ``optional`` (then it is NaT).

    >>> day_column(["2010-11-29", None], "closed_on", "Asia/Shanghai", optional=True).tolist()
    [datetime.date(2010, 11, 29), None]
    >>> day_column([20101129], "due_by", "Asia/Shanghai")
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: due_by must hold dates, got 20101129 at index 0
    """
    if isinstance(values, str | bytes | date) or not isinstance(values, Iterable | np.ndarray):
        raise InvalidInput(
            f"{name} must be a column of dates, got the {type(values).__name__} {values!r}"
        )
    days = local_days(values, name, tz)
    if n is not None and len(days) != n:
        raise InvalidInput(f"{name} has {len(days)} rows for {n}")
    if not optional:
        gap = np.isnat(days)
        if gap.any():
            raise InvalidInput(f"{name} is missing at index {int(np.argmax(gap))}; give a day")
    return days


def _day_rows(values: Any, name: str) -> Any:
    """``values`` as :func:`local_days` may read them: numbers refused, text without a
    clock time, every missing value as ``None``."""
    dtype = getattr(values, "dtype", None)
    if getattr(dtype, "tz", None) is not None or getattr(dtype, "kind", None) == "M":
        return values  # timestamps: local_days reads them (and refuses naive clock times)
    arr = column(values, name)
    if arr.dtype.kind == "M":
        return arr  # numpy timestamps: local_days refuses a naive clock time
    if arr.dtype.kind in "US":
        _no_clock(arr, name)
        return arr
    if arr.size and arr.dtype.kind in "biufc":
        numbers = ~np.isnan(arr) if arr.dtype.kind in "fc" else np.ones(arr.shape, bool)
        if numbers.any():  # an all-NaN column is a column of missing days
            i = int(np.argmax(numbers))
            raise InvalidInput(f"{name} must hold dates, got {arr[i].item()!r} at index {i}")
        return [None] * len(arr)
    out: list[Any] = []
    for i, v in enumerate(arr.tolist() if arr.dtype.kind != "O" else list(arr)):
        if is_missing(v):
            out.append(None)
        elif isinstance(v, str):
            _no_clock(np.array([v]), name, i)
            out.append(v)
        elif isinstance(v, date | np.datetime64):
            out.append(v)
        else:
            raise InvalidInput(f"{name} must hold dates, got {v!r} at index {i}")
    return out


def _no_clock(text: npt.NDArray[Any], name: str, offset: int = 0) -> None:
    """Refuse ISO text that is no date, or that carries a clock time (its zone unknown)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # numpy warns on a zone offset in the text
            seconds = text.astype("datetime64[s]")
    except (ValueError, TypeError, DeprecationWarning, UserWarning):
        i = next(i for i, t in enumerate(text.tolist()) if not _reads_as_date(t))
        raise InvalidInput(
            f"{name} must hold dates, got {text[i].item()!r} at index {i + offset}; "
            "write them as '2010-11-29'"
        ) from None
    timed = ~np.isnat(seconds) & (seconds != seconds.astype("datetime64[D]"))
    if timed.any():
        i = int(np.argmax(timed))
        raise InvalidInput(
            f"{name} holds the clock time {str(text[i])!r} at index {i + offset}; give a date, "
            "or an aware datetime that telcare reads in the policy's time zone"
        )


def _reads_as_date(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            np.datetime64(text, "s")
    except (ValueError, TypeError, DeprecationWarning, UserWarning):
        return False
    return True
