"""Labels: the input the newer surfaces took without a look (days are read by
:mod:`telcare._core.day_checks`, re-exported here).

A *label* names a thing a figure is grouped or assigned by: a manager, a group, a
cell, a moment, an agent.  It is text or an integer code, never missing: a NaN,
``None``, pandas ``NA`` or ``NaT`` is refused with its column and row, because
turning it into a name (``'nan'``, ``'<NA>'``) makes an agent or a group that does
not exist.  numpy scalars become Python values, so a label compares, hashes and
prints the same whether it came from a list, a numpy array or a DataFrame.

A whole column goes through :func:`factorize`, which checks each distinct value
once (a million rows and 200 managers cost 200 checks) and gives each row its code.

>>> label_column(["wang", "li"], "manager")
['wang', 'li']
>>> label_column(["wang", float("nan")], "manager")
Traceback (most recent call last):
...
telcare._core.errors.InvalidInput: manager is missing at index 1 (got nan); give every row a label
>>> factorize(["wang", "li", "wang"], "manager")
(('li', 'wang'), array([1, 0, 1]))
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.column_checks import column, is_missing
from telcare._core.day_checks import local_day as local_day, local_days as local_days
from telcare._core.errors import InvalidInput

__all__ = ["Codes", "factorize", "is_missing", "label", "label_column"]

Label = str | int
Codes = npt.NDArray[np.int64]


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
