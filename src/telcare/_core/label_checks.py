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

import re
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
        if not _encodable(value):
            raise InvalidInput(f"{name} must be valid text (a lone surrogate), got {value!r}")
        return value
    if isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_):
        return int(value)
    raise InvalidInput(
        f"{name} must be a text or integer label, got {type(value).__name__} {value!r}"
    )


def label_column(values: Any, name: str) -> list[Label]:
    """A column of labels as a list of Python values, every row checked as by
    :func:`label`; a missing row is refused with its position.

    A plain column (only ``str``, or only integers: a list, a tuple, a numpy text or
    integer array, a pandas column of them) is checked at C speed; any other, or one
    the fast check finds a doubt in, row by row, which names the row.

    >>> label_column(np.array([3, 1]), "cell")
    [3, 1]
    >>> label_column("wang", "agents")
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: agents must be a column of labels, got the str 'wang'
    """
    rows = _rows(values, name)
    plain = _plain(rows)
    return plain if plain is not None else _checked_rows(rows, name)


def _checked_rows(rows: list[Any], name: str) -> list[Label]:
    """Each row through :func:`label`, the first missing or bad one refused by position."""
    out: list[Label] = []
    for i, v in enumerate(rows):
        if is_missing(v):
            raise InvalidInput(
                f"{name} is missing at index {i} (got {v!r}); give every row a label"
            )
        out.append(label(v, f"{name}[{i}]"))
    return out


def _plain(rows: list[Any]) -> list[Label] | None:
    """``rows`` as labels when every row is plainly one (only ``str`` none of them
    empty or padded, or only integers), checked at C speed; ``None`` when in doubt."""
    kinds = set(map(type, rows))
    if kinds <= {str}:
        return None if _padded(rows) else rows
    if kinds <= {int}:
        return rows
    if all(k is int or issubclass(k, np.integer) for k in kinds):  # np.bool_ is no np.integer
        return list(map(int, rows))
    if kinds <= {str, np.str_}:
        texts = list(map(str, rows))
        return None if _padded(texts) else texts  # type: ignore[return-value]
    return None


#: A separator then whitespace (the separator is whitespace itself, so two in a row,
#: an empty text, match too); searched forwards and backwards, each a fast literal scan.
_EDGE = re.compile(r"\x1f\s")


def _padded(texts: list[str]) -> bool:
    """Whether some text may be empty or start or end with whitespace (``str.strip``'s
    and ``\\s``'s whitespace are the same): one scan of the texts joined, no Python loop.
    A false alarm (a text holding the separator then a space) only costs the row check."""
    if not texts:
        return False
    joined = "\x1f".join(texts)
    return (
        not joined
        or not _encodable(joined)
        or joined[0].isspace()
        or joined[-1].isspace()
        or _EDGE.search(joined) is not None
        or _EDGE.search(joined[::-1]) is not None
    )


def _encodable(text: str) -> bool:
    """Whether ``text`` is valid Unicode (no lone surrogate, which no encoding writes:
    an id a hash, a file or a database could not hold)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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
    ten checks; a million distinct plain texts or integers are checked at C speed.
    ``text`` refuses integer labels; ``empty`` reads ``""`` as none (code -1) and
    ``missing`` a missing value as none; otherwise both are refused.

    >>> factorize(["li", "", "wang", "li"], "manager", empty=True)
    (('li', 'wang'), array([ 0, -1,  1,  0]))
    """
    if not text and isinstance(values, np.ndarray) and values.dtype.kind in "iu":
        distinct, inverse = np.unique(column(values, name), return_inverse=True)
        return tuple(distinct.tolist()), inverse.reshape(-1).astype(np.int64)
    rows = _rows(values, name)
    if not text:
        _no_bools_or_floats(rows, name)
    keys, firsts, slot = _distinct(rows, name)
    ranked = _plain_keys(keys, text, empty)
    if ranked is None:
        ranked = _checked_keys(keys, firsts.tolist(), rows, name, text, empty, missing)
    names, lookup = ranked
    return names, lookup[slot] if len(rows) else np.zeros(0, dtype=np.int64)


def _distinct(rows: list[Any], name: str) -> tuple[list[Any], Codes, Codes]:
    """The distinct rows in order of first sight, the first row of each, and each row's
    position among them; at C speed (a set, a dict filled by ``map``), no Python loop."""
    n = len(rows)
    try:
        if len(set(rows)) == n:  # ids: every row its own label, no dict to fill
            every = np.arange(n, dtype=np.int64)
            return rows, every, every
        first: dict[Any, int] = {}
        at = np.fromiter(map(first.setdefault, rows, range(n)), np.int64, n)
    except TypeError:  # an unhashable row (a list, a dict): the row check names it
        _checked_rows(rows, name)
        raise  # pragma: no cover - the row check refuses every unhashable row
    firsts = np.fromiter(first.values(), np.int64, len(first))
    return list(first), firsts, np.searchsorted(firsts, at)


def _no_bools_or_floats(rows: list[Any], name: str) -> None:
    """Refuse a bool or a number before the rows become dict keys, where ``True == 1``
    and ``1.0 == 1`` would merge them into an integer label."""
    kinds = set(map(type, rows))
    if any(issubclass(k, bool | np.bool_ | float | np.floating) for k in kinds):
        for i, v in enumerate(rows):
            if isinstance(v, bool | np.bool_ | float | np.floating) and not is_missing(v):
                label(v, f"{name}[{i}]")


def _plain_keys(keys: list[Any], text: bool, empty: bool) -> tuple[tuple[Any, ...], Codes] | None:
    """The sorted names and each key's code when the keys are plainly labels (only
    ``str``, none padded, ``""`` only where ``empty``; or only ``int`` when not ``text``),
    checked at C speed; ``None`` when in doubt (the key by key check names the row)."""
    kinds = set(map(type, keys))
    blank = False
    if kinds <= {str}:
        blank = empty and "" in keys
        rest = keys
        if blank:
            rest = keys.copy()
            rest.remove("")
        if _padded(rest):
            return None
    elif text or kinds != {int}:
        return None
    order = sorted(range(len(keys)), key=keys.__getitem__)
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(keys)) - blank  # "" sorts first: it becomes -1
    names = tuple(map(keys.__getitem__, order[1:] if blank else order))
    return names, rank


def _checked_keys(
    keys: list[Any],
    firsts: list[int],
    rows: list[Any],
    name: str,
    text: bool,
    empty: bool,
    missing: bool,
) -> tuple[tuple[Any, ...], Codes]:
    """The sorted names and each key's code, every key checked by :func:`label` and
    named by its first row (``firsts``): the refusals of a column that is not plain."""
    checked: list[Any] = []
    for key, row in zip(keys, firsts, strict=True):
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
        row = next(r for v, r in zip(checked, firsts, strict=True) if type(v) is int)
        raise InvalidInput(
            f"{name} must hold text or integer labels, not both: {rows[row]!r} at index {row}"
        )
    names = sorted(set(present))
    rank = {v: i for i, v in enumerate(names)}
    lookup = np.array([-1 if v is None else rank[v] for v in checked], dtype=np.int64)
    return tuple(names), lookup
