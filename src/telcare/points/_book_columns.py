"""The column arithmetic of the points book: customer ids checked once, exact sums of
int64 columns, and points taken from lots earliest expiry first.  Pure functions of
numpy columns, with no loop over customers (a loop over the few lot columns, or over
blocks of rows, is all there is).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.checks import check_bounds, int_column, same_length
from telcare._core.column_checks import column
from telcare._core.errors import InvalidInput
from telcare._core.label_checks import label, label_column
from telcare._core.limits import MAX_COUNT, MAX_POINTS

__all__ = [
    "Column",
    "capped",
    "customer_ids",
    "exact_sum",
    "first",
    "frozen",
    "points_column",
    "take_earliest",
    "zeros",
]

Column = npt.NDArray[np.int64]

_INT64_MAX = int(np.iinfo(np.int64).max)


def frozen(values: Column) -> Column:
    """``values`` marked read-only: a book's columns are shared between books."""
    values.flags.writeable = False
    return values


def zeros(n: int) -> Column:
    """A read-only column of ``n`` zeros (``calloc``: no memory is touched until read)."""
    return frozen(np.zeros(n, dtype=np.int64))


def first(mask: npt.NDArray[np.bool_]) -> int | None:
    """The first row where ``mask`` holds, or ``None``."""
    if not mask.any():
        return None
    return int(np.argmax(mask))


def exact_sum(values: Column, bound: int) -> int:
    """The sum of ``values`` (each within ``-bound..bound``) as an exact Python int.

    Summed in blocks small enough that no block's sum can leave int64, so 10^7 rows of
    10^15 points add up exactly, in one pass over the column.

    >>> exact_sum(np.full(20_000, 10**15, dtype=np.int64), 10**15) == 20_000 * 10**15
    True
    """
    rows = max(1, _INT64_MAX // max(bound, 1))
    if rows >= len(values):
        return int(values.sum())
    whole = len(values) - len(values) % rows
    parts = values[:whole].reshape(-1, rows).sum(axis=1)
    return int(sum(parts.tolist())) + int(values[whole:].sum())


def capped(values: Column, bound: int, limit: int, message: Callable[[int, int], str]) -> int:
    """An upper bound of ``values`` (``bound`` while it is within ``limit``, else their
    maximum), or ``InvalidInput(message(row, value))`` for the first row above ``limit``.

    The bound is kept by the book, so the check reads the column only when it might fail.
    """
    if bound <= limit:
        return bound
    high = int(values.max(initial=0))
    if high > limit:
        raise InvalidInput(message(int(np.argmax(values)), high))
    return high


def points_column(values: Any, name: str, ids: npt.NDArray[Any]) -> tuple[Column, int]:
    """A column of points (0 to ``MAX_POINTS``), one per row of ``ids``, and its largest
    value (the book's overflow guards use it).

    >>> points_column([3, 5], "points", np.array(["a"]))
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: columns must have equal lengths, got ids=1, points=2
    """
    points = int_column(values, name, bounds=False)
    same_length(ids=ids, **{name: points})
    if not len(points):
        return points, 0
    high = int(points.max())
    if high > MAX_POINTS or int(points.min()) < 0:
        check_bounds(points, name, 0, MAX_POINTS)
    return points, high


def customer_ids(values: Any, name: str) -> npt.NDArray[Any]:
    """The customers' ids as a read-only numpy column (``int64`` or text), each a label
    (:func:`~telcare._core.label_checks.label`) and none repeated.

    A numpy column of integers or text is checked as a whole; any other column goes
    through :func:`~telcare._core.label_checks.label_column` row by row.

    >>> customer_ids(["c1", "c2"], "ids").tolist()
    ['c1', 'c2']
    >>> customer_ids(np.array([7, 3, 7]), "ids")
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: ids repeats 7 at index 0 and 2; give each customer one row
    """
    if isinstance(values, np.ndarray) and not isinstance(values, np.ma.MaskedArray):
        arr = column(values, name)
        if arr.dtype.kind in "iu" or arr.dtype.kind == "U":
            ids = _numpy_ids(arr, name)
        else:
            ids = _listed_ids(values, name)
    else:
        ids = _listed_ids(values, name)
    if len(ids) > MAX_COUNT:
        raise InvalidInput(f"{name} must have at most {MAX_COUNT:,} customers, got {len(ids):,}")
    _check_unique(ids, name)
    ids.flags.writeable = False
    return ids


def _numpy_ids(arr: npt.NDArray[Any], name: str) -> npt.NDArray[Any]:
    if arr.dtype.kind == "U":
        if arr.size:
            bad = first((np.strings.str_len(arr) == 0) | (np.strings.strip(arr) != arr))
            if bad is not None:
                label(arr[bad].item(), f"{name}[{bad}]")  # raises, naming the row
        return arr.copy()
    if arr.dtype.kind == "u" and arr.dtype.itemsize == 8 and arr.size and arr.max() > _INT64_MAX:
        i = int(np.argmax(arr))
        raise InvalidInput(f"{name} holds {arr[i].item()!r} at index {i}, too large for int64")
    return arr.astype(np.int64)


def _listed_ids(values: Any, name: str) -> npt.NDArray[Any]:
    labels = label_column(values, name)
    texts = [isinstance(v, str) for v in labels]
    if any(texts) and not all(texts):
        i = texts.index(not texts[0])
        raise InvalidInput(
            f"{name} mixes text and integer ids ({labels[0]!r} at index 0, {labels[i]!r} at "
            f"index {i}); give every customer the same kind of id"
        )
    if labels and not texts[0]:
        big = [i for i, v in enumerate(labels) if not -_INT64_MAX - 1 <= int(v) <= _INT64_MAX]
        if big:
            raise InvalidInput(
                f"{name} holds {labels[big[0]]!r} at index {big[0]}, too large for int64"
            )
        return np.array(labels, dtype=np.int64)
    return np.array(labels, dtype=str) if labels else np.zeros(0, dtype=np.int64)


def _check_unique(ids: npt.NDArray[Any], name: str) -> None:
    if len(ids) < 2:
        return
    order = np.argsort(ids, kind="stable")
    ordered = ids[order]
    same = first(ordered[1:] == ordered[:-1])
    if same is not None:
        rows = np.sort(order[same : same + 2])
        raise InvalidInput(
            f"{name} repeats {ordered[same].item()!r} at index {int(rows[0])} and "
            f"{int(rows[1])}; give each customer one row"
        )


def take_earliest(lots: Sequence[Column], wanted: Column) -> tuple[list[Column], Column]:
    """Take ``wanted`` points per customer from ``lots`` (non-negative columns, earliest
    expiry first): the new columns (a lot nothing was taken from is the same object) and
    what the lots could not give.

    >>> new, left = take_earliest([np.array([5, 0]), np.array([5, 9])], np.array([7, 3]))
    >>> [c.tolist() for c in new], left.tolist()
    ([[0, 0], [3, 6]], [0, 0])
    """
    out: list[Column] = []
    left: Column | None = None  # None while nothing is taken: still ``wanted``
    spare: Column | None = None  # a column of ours to take into, once there is one
    for lot in lots:
        if left is not None and not left.any():
            out.append(lot)
            continue
        take = np.minimum(lot, wanted if left is None else left, out=spare)
        if not take.any():
            out.append(lot)
            spare = take
            continue
        out.append(frozen(lot - take))
        if left is None:  # what is left is written over the first take: no new column
            left, spare = np.subtract(wanted, take, out=take), None
        else:
            np.subtract(left, take, out=left)
            spare = take
    return out, wanted.copy() if left is None else left
