"""How the weekly operation reads its labels and days: every id, manager, team,
moment, outcome and owner column through :func:`factorize`, every day through
:func:`one_day` or :func:`day_column`, both on the checks of
:mod:`telcare._core.label_checks`.

A missing label (``None``, NaN, pandas ``NA``, ``NaT``) is refused with its column
and row, never turned into a name such as ``'nan'``; where a column's docs promise
a "none" (a customer without a manager, an action without an outcome) it is the
code ``-1``, which no name can be.  An aware datetime is read as its day in the
policy's time zone, never its UTC day.

>>> names, codes = factorize(["wang", "li", "wang"], "manager")
>>> names, codes.tolist()
(('li', 'wang'), [1, 0, 1])
>>> factorize(["li", None], "manager")
Traceback (most recent call last):
...
telcare._core.errors.InvalidInput: manager is missing at index 1 (got None); give every row a label
>>> factorize(["li", None, ""], "manager", empty=True, missing=True)[1].tolist()
[0, -1, -1]
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.checks import column, instance
from telcare._core.display import Tabular, plain
from telcare._core.errors import InvalidInput
from telcare._core.label_checks import is_missing, label, label_column, local_day, local_days

__all__ = ["NONE", "Codes", "JsonColumns", "day_column", "factorize", "no_bools", "one_day"]

#: The row label of the customers without a manager (or the managers without a
#: team); no manager or team may be called so.
NONE = "(none)"

Codes = npt.NDArray[np.int64]


class JsonColumns(Tabular):
    """:class:`~telcare._core.display.Tabular` whose ``to_dict()`` is JSON all through:
    days as ISO text (``None`` for NaT), numpy scalars as Python values, ``None`` for
    a NaN (a rate without a denominator), so ``json.dumps(allow_nan=False)`` takes it."""

    __slots__ = ()

    def to_dict(self) -> dict[str, list[Any]]:
        """Each column as a list of JSON-ready values (strict JSON: no NaN)."""
        return {
            name: [None if isinstance(v, float) and v != v else v
                   for v in plain(np.asarray(values).tolist())]
            for name, values in self._columns().items()
        }  # fmt: skip


def _rows(values: Any, name: str) -> list[Any]:
    """The rows of a label column as Python values (a str is one label, not a column)."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable | np.ndarray):
        raise InvalidInput(
            f"{name} must be a column of labels, got the {type(values).__name__} {values!r}"
        )
    if isinstance(values, np.ndarray):
        return list(column(values, name).tolist())  # refuses masked entries and other shapes
    if hasattr(values, "tolist"):  # pandas keeps None and NA as they are in tolist()
        return list(values.tolist())
    return list(values)


def factorize(
    values: Any,
    name: str,
    *,
    text: bool = True,
    empty: bool = False,
    missing: bool = False,
) -> tuple[tuple[Any, ...], Codes]:
    """The distinct labels of a column, sorted, and each row's code into them.

    Every distinct value is checked once by :func:`~telcare._core.label_checks.label`
    (named by its first row), so a column of a million rows and ten managers costs
    ten checks.  ``text`` refuses integer labels; ``empty`` reads ``""`` as none
    (code -1) and ``missing`` a missing value as none; otherwise both are refused.
    """
    rows = _rows(values, name)
    if not text:  # True == 1 and 1.0 == 1 as dict keys: find them before they merge
        for i, v in enumerate(rows):
            if isinstance(v, bool | np.bool_ | float | np.floating) and not is_missing(v):
                label(v, f"{name}[{i}]")
    index: dict[Any, int] = {}
    try:
        codes = np.fromiter((index.setdefault(v, len(index)) for v in rows), np.int64, len(rows))
    except TypeError:  # an unhashable row (a list, a dict): the row check names it
        label_column(rows, name)
        raise  # pragma: no cover - label_column refuses every unhashable row
    firsts = np.unique(codes, return_index=True)[1] if len(rows) else np.zeros(0, np.int64)
    checked: list[Any] = []
    for key, row in zip(index, firsts.tolist(), strict=True):
        if (empty and isinstance(key, str) and key == "") or (missing and is_missing(key)):
            checked.append(None)
            continue
        if is_missing(key):
            raise InvalidInput(
                f"{name} is missing at index {row} (got {key!r}); give every row a label"
            )
        value = label(key, f"{name}[{row}]")
        if text and not isinstance(value, str):
            raise InvalidInput(f"{name} must hold text labels, got {key!r} at index {row}")
        checked.append(str(value) if isinstance(value, str) else value)
    present = [v for v in checked if v is not None]
    if len({type(v) for v in present}) > 1:
        row = next(r for v, r in zip(checked, firsts.tolist(), strict=True) if type(v) is int)
        raise InvalidInput(
            f"{name} must hold text or integer labels, not both: {rows[row]!r} at index {row}"
        )
    names = sorted(set(present))
    rank = {v: i for i, v in enumerate(names)}
    lookup = np.array([-1 if v is None else rank[v] for v in checked], dtype=np.int64)
    out = lookup[codes] if len(rows) else np.zeros(0, dtype=np.int64)
    return tuple(names), out


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
    days = local_days(_day_rows(values, name), name, tz)
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
    except (ValueError, TypeError, DeprecationWarning, UserWarning) as exc:
        raise InvalidInput(f"{name} must hold dates such as '2010-11-29': {exc}") from None
    timed = ~np.isnat(seconds) & (seconds != seconds.astype("datetime64[D]"))
    if timed.any():
        i = int(np.argmax(timed))
        raise InvalidInput(
            f"{name} holds the clock time {str(text[i])!r} at index {i + offset}; give a date, "
            "or an aware datetime that telcare reads in the policy's time zone"
        )


def no_bools(values: Any, name: str) -> Any:
    """``values`` unless a list or tuple of numbers holds a bool, which numpy would read
    as 1 or 0 (``[0, True]`` is ``[0, 1]``); the column checks see only the array.

    >>> no_bools([3, True], "row")
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: row must hold integers, got the bool True at index 1
    """
    if isinstance(values, list | tuple):
        for i, v in enumerate(values):
            if isinstance(v, bool | np.bool_):
                raise InvalidInput(f"{name} must hold integers, got the bool {v!r} at index {i}")
    return values
