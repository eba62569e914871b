"""Input checks shared by the public functions: columns and scalar counts.

Batch functions validate their columns once, at the entry point, then work
on plain numpy arrays.  They never modify what they were given.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from telcare.core.errors import InvalidInput

__all__ = ["BLOCK_ROWS", "bool_column", "int_column", "row_blocks", "same_length", "whole_number"]

#: Rows per block in the batch functions: small enough that a block's temporaries
#: stay in the CPU cache, large enough that numpy's per-call cost is noise.
BLOCK_ROWS = 1 << 15


def row_blocks(n: int, size: int = BLOCK_ROWS) -> Iterator[slice]:
    """Slices of at most ``size`` rows covering ``range(n)``, in order.

    Batch functions work block by block so their temporaries stay in the CPU
    cache instead of streaming whole columns through memory once per operation.

    >>> [(s.start, s.stop) for s in row_blocks(5, size=2)]
    [(0, 2), (2, 4), (4, 6)]
    """
    return (slice(start, start + size) for start in range(0, n, size))


def _array(values: Any, name: str) -> npt.NDArray[Any]:
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{name} cannot be read as an array: {exc}") from None
    if arr.ndim != 1:
        raise InvalidInput(f"{name} must be a 1-D column, got shape {arr.shape}")
    return arr


def whole_number(value: object, name: str, *, maximum: int, minimum: int = 0) -> int:
    """A scalar int (numpy integers too, never a bool) within ``[minimum, maximum]``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise InvalidInput(f"{name} must be an int, got {type(value).__name__} {value!r}")
    number = int(value)
    if not minimum <= number <= maximum:
        raise InvalidInput(f"{name} must be between {minimum} and {maximum}, got {number}")
    return number


def int_column(
    values: Any,
    name: str,
    *,
    minimum: int | None = 0,
    maximum: int | None = None,
) -> npt.NDArray[np.int64]:
    """``values`` as a 1-D ``int64`` array, checked against the bounds.

    Integer dtypes pass; floats are accepted only when every value is whole
    and finite (pandas turns int columns with gaps into floats); booleans,
    strings and objects are refused.  The returned array may share memory
    with the input and must not be written to.
    """
    arr = _array(values, name)
    if arr.size == 0:  # ``[]`` arrives as float64; an empty column of any dtype is just empty
        return np.zeros(0, dtype=np.int64)
    kind = arr.dtype.kind
    if kind == "b" or kind not in "iuf":
        raise InvalidInput(f"{name} must hold integers, got dtype {arr.dtype}")
    if kind == "f":
        finite = np.isfinite(arr)
        if not finite.all():
            raise InvalidInput(
                f"{name} must be finite, got {arr[~finite][0].item()!r} at index {int(np.argmin(finite))}"
            )
        whole = arr == np.floor(arr)
        if not whole.all():
            i = int(np.argmin(whole))
            raise InvalidInput(
                f"{name} must hold whole numbers, got {arr[i].item()!r} at index {i}"
            )
        if arr.size and np.abs(arr).max() >= 2.0**63:
            raise InvalidInput(f"{name} holds {np.abs(arr).max().item()!r}, too large for int64")
        out = arr.astype(np.int64)
    elif (
        kind == "u" and arr.dtype.itemsize == 8 and arr.size and arr.max() > np.iinfo(np.int64).max
    ):
        raise InvalidInput(f"{name} holds {arr.max().item()!r}, too large for int64")
    else:
        out = arr.astype(np.int64, copy=False)
    if out.size:
        if minimum is not None:
            low = out.min()
            if low < minimum:
                i = int(np.argmin(out))
                raise InvalidInput(f"{name} must be >= {minimum}, got {int(low)} at index {i}")
        if maximum is not None:
            high = out.max()
            if high > maximum:
                i = int(np.argmax(out))
                raise InvalidInput(f"{name} must be <= {maximum}, got {int(high)} at index {i}")
    return out


def bool_column(values: Any, name: str) -> npt.NDArray[np.bool_]:
    """``values`` as a 1-D ``bool`` array; integers must be 0 or 1."""
    arr = _array(values, name)
    if arr.size == 0:
        return np.zeros(0, dtype=np.bool_)
    if arr.dtype == np.bool_:
        return arr
    if arr.dtype.kind in "iu":
        bad = (arr != 0) & (arr != 1)
        if bad.any():
            i = int(np.argmax(bad))
            raise InvalidInput(
                f"{name} must hold booleans (0 or 1), got {arr[i].item()!r} at index {i}"
            )
        return arr.astype(np.bool_)
    raise InvalidInput(f"{name} must hold booleans, got dtype {arr.dtype}")


def same_length(**columns: npt.NDArray[Any]) -> int:
    """The common length of the columns, or ``InvalidInput`` naming the odd ones."""
    lengths = {name: len(col) for name, col in columns.items()}
    distinct = set(lengths.values())
    if len(distinct) > 1:
        shown = ", ".join(f"{k}={v}" for k, v in lengths.items())
        raise InvalidInput(f"columns must have equal lengths, got {shown}")
    return distinct.pop() if distinct else 0
