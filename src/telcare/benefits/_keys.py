"""The watch list's key columns: one reading of them in every form (numpy, frames,
Dask, Spark).

>>> arr, present = keys(["A", None, 7.0, ""], "id_numbers")
>>> arr.tolist(), present.tolist()
(['A', None, 7, ''], [True, False, True, False])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.checks import column
from telcare._core.errors import InvalidInput

__all__ = ["key_text", "keys"]


def keys(values: Any, name: str) -> tuple[npt.NDArray[Any], npt.NDArray[np.bool_]]:
    """Values as a sortable array, and a mask of the present (non-empty, non-missing) ones.

    The one rule for a key column, in every form (numpy, frames, Dask, Spark): keys are
    strings or integers; a whole float is its integer (pandas writes an integer column
    with gaps as floats); a missing value (``None``, NaN, pandas ``NA``, ``NaT``) or a
    blank string is no key and matches nothing; anything else (a fraction, a bool, an
    infinity, another type) is refused naming the column, the value and its row.  A
    list is read cell by cell (numpy would turn ``["a", 2.5]`` into text).
    """
    arr = column(values, name, dtype=object if isinstance(values, list | tuple) else None)
    kind = arr.dtype.kind
    if arr.size == 0:
        return arr, np.zeros(0, dtype=np.bool_)
    if kind == "U" or kind == "S":  # blank values are missing, never shared
        return arr, np.char.strip(arr) != arr.dtype.type()
    if kind in "iu":
        return arr, np.ones(len(arr), dtype=np.bool_)
    if kind == "f":
        present = ~np.isnan(arr)
        _whole_keys(arr.astype(np.float64), present, name)
        return np.where(present, arr, 0).astype(np.int64), present
    if kind == "O":
        arr = _object_keys(arr, name)
        # Element-wise comparisons run in numpy's C loop: no Python loop over accounts.
        present = arr != None  # noqa: E711
        present &= np.char.strip(arr.astype(str)) != ""
        return arr, np.asarray(present, dtype=np.bool_)
    raise InvalidInput(f"{name} must hold strings or integers, got dtype {arr.dtype}")


def _refuse_key(name: str, value: object, row: int) -> InvalidInput:
    return InvalidInput(
        f"{name} must hold strings or integers, got {type(value).__name__} {value!r} at index {row}"
    )


def _whole_keys(floats: npt.NDArray[np.float64], present: npt.NDArray[np.bool_], name: str) -> None:
    """Refuse a present float key that is not a whole number inside int64."""
    with np.errstate(invalid="ignore"):
        bad = present & (
            ~np.isfinite(floats) | (floats != np.floor(floats)) | (np.abs(floats) >= 2.0**63)
        )
    if bad.any():
        i = int(np.argmax(bad))
        raise _refuse_key(name, floats[i].item(), i)


def _is_missing_kind(kind: type) -> bool:
    return kind is type(None) or kind.__name__ in ("NAType", "NaTType")


def _object_keys(arr: npt.NDArray[Any], name: str) -> npt.NDArray[Any]:
    """An object key column with every missing value as ``None`` and every number as a
    Python ``int`` (a whole float as its integer); other kinds are refused."""
    cells = arr.tolist()
    kinds = {type(x) for x in cells}
    if kinds <= {str, int, type(None)}:
        return arr
    for i, x in enumerate(cells):  # the rare slow path: floats, numpy scalars, NA, odd kinds
        numeric = isinstance(x, int | float | np.integer | np.floating)
        if isinstance(x, bool | np.bool_) or not (
            numeric or isinstance(x, str) or _is_missing_kind(type(x))
        ):
            raise _refuse_key(name, x, i)
    floats = np.array([isinstance(x, float | np.floating) for x in cells], dtype=bool)
    values = np.array([float(x) if f else 0.0 for x, f in zip(cells, floats, strict=True)])
    missing = floats & np.isnan(values)
    _whole_keys(values, floats & ~missing, name)
    out = np.empty(len(cells), dtype=object)
    out[:] = [
        None if m or _is_missing_kind(type(x)) else x if isinstance(x, str) else int(x)
        for x, m in zip(cells, missing.tolist(), strict=True)
    ]
    return out


def key_text(keys: npt.NDArray[Any], name: str) -> npt.NDArray[Any]:
    """Present keys in the form they are compared in: integers and strings as they are,
    a mixed column as text."""
    if keys.dtype.kind != "O":
        return keys
    try:
        return keys.astype(str)  # mixed columns compare as text
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{name} must hold str or int values: {exc}") from None
