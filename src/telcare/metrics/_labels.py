"""The one reading of a label column in the metrics: groups, cells, agents, reasons.

A label is text, an integer, or (for the group and cell tables, as before) a
finite number; a column holds labels of one kind.  A missing label (``None``,
NaN, pandas ``NA``, ``NaT``) is refused with its column and row, never turned
into a group called ``'nan'``; booleans are refused (an outcome column passed in
the wrong place).  The distinct labels come back sorted, and keep their type:
``keys.tolist()`` gives Python ``str`` for text, ``int`` for integers and
``float`` for numbers, whatever the column's dtype (numpy, pandas, object).

>>> keys, codes = label_keys(["b", "a", "b"], "groups")
>>> keys.tolist(), codes.tolist()
(['a', 'b'], [1, 0, 1])
>>> label_keys(np.array(["a", None], dtype=object), "groups")
Traceback (most recent call last):
...
telcare._core.errors.InvalidInput: groups is missing at index 1 (got None); give every row a label
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.checks import column
from telcare._core.errors import InvalidInput
from telcare._core.label_checks import is_missing, label

__all__ = ["factorise", "label_keys", "label_values"]


def _missing_at(name: str, i: int, value: object) -> InvalidInput:
    return InvalidInput(f"{name} is missing at index {i} (got {value!r}); give every row a label")


def _object_labels(arr: npt.NDArray[Any], name: str) -> npt.NDArray[Any]:
    """An object column's labels as a typed array: every row checked, one kind."""
    values = arr.tolist()
    kinds: set[str] = set()
    for i, v in enumerate(values):
        if is_missing(v):
            raise _missing_at(name, i, v)
        if isinstance(v, float | np.floating) and not isinstance(v, bool):
            if not np.isfinite(v):
                raise InvalidInput(f"{name} must hold finite labels, got {v!r} at index {i}")
            values[i], kind = float(v), "number"
        else:
            values[i] = label(v, f"{name}[{i}]")
            kind = "text" if isinstance(values[i], str) else "number"
        kinds.add(kind)
        if len(kinds) > 1:
            raise InvalidInput(
                f"{name} must be labels of one kind (all text, or all numbers), got {v!r} "
                f"at index {i} after labels of the other kind"
            )
    if "text" in kinds:  # kept as objects: a numpy str array drops trailing NULs ("a\\x00")
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    if any(isinstance(v, float) for v in values):
        return np.array(values, dtype=np.float64)
    try:
        return np.array(values, dtype=np.int64)
    except OverflowError:  # integers beyond int64 stay exact
        return np.array(values, dtype=object)


def label_values(values: Any, name: str) -> npt.NDArray[Any]:
    """The column as a checked array of labels: text (``U``, or objects that are all
    ``str``), integers (objects where beyond int64) or floats; an empty column reads
    as integers.

    >>> label_values(np.array([2.0, np.nan]), "cell")
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: cell is missing at index 1 (got nan); give every row a label
    """
    # A list goes in as objects: numpy would write ["a", nan] as the text 'nan'.
    typed = isinstance(values, np.ndarray) or hasattr(values, "dtype")
    arr = column(values, name) if typed else column(values, name, dtype=object)
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    kind = arr.dtype.kind
    if kind == "O":
        return _object_labels(arr, name)
    if kind in "iu":
        return arr
    if kind == "f":
        bad = ~np.isfinite(arr)
        if bad.any():
            i = int(np.argmax(bad))
            if np.isnan(arr[i]):
                raise _missing_at(name, i, arr[i].item())
            raise InvalidInput(
                f"{name} must hold finite labels, got {arr[i].item()!r} at index {i}"
            )
        return arr
    if kind in "US":
        text = arr.astype(str)
        for key in np.unique(text).tolist():  # each distinct label once: no loop over rows
            if key != key.strip() or not key:
                i = int(np.argmax(text == key))
                label(key, f"{name}[{i}]")
        return text
    if kind in "Mm":
        bad = np.isnat(arr)
        if bad.any():
            i = int(np.argmax(bad))
            raise _missing_at(name, i, arr[i])
    raise InvalidInput(f"{name} must hold text or integer labels, got dtype {arr.dtype}")


def label_keys(values: Any, name: str) -> tuple[npt.NDArray[Any], npt.NDArray[np.intp]]:
    """The distinct labels of a column, sorted, and each row's index into them."""
    return factorise(label_values(values, name))


def factorise(labels: npt.NDArray[Any]) -> tuple[npt.NDArray[Any], npt.NDArray[np.intp]]:
    """:func:`label_keys` of a column :func:`label_values` has already checked."""
    keys, codes = np.unique(labels, return_inverse=True)
    return keys, codes.reshape(-1)
