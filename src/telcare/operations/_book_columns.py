"""The columns of a managers' book, checked: unique customer ids, manager and team
names (``""`` or a missing value: none; never ``"(none)"``, the reports' own row), and
each manager's one team.  :func:`~telcare.manager_book` builds the book from them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.checks import column
from telcare._core.errors import InvalidInput
from telcare._core.label_checks import label
from telcare._core.object_codes import label_codes
from telcare.operations._labels import NONE, factorize

__all__ = ["book_ids", "book_names", "teams_of"]

_NONE = -1


def book_names(values: Any, name: str, n: int) -> tuple[tuple[str, ...], npt.NDArray[np.int64]]:
    """A manager or team column: sorted names and each row's code (-1: ``""`` or missing,
    none); no name may be the report's own row label for "none".  A numpy object
    column (a file's, one string per distinct name) is coded by its objects, each
    distinct name checked once (:func:`~telcare._core.object_codes.label_codes`)."""
    names, codes = label_codes(values, name, empty=True, missing=True)
    if len(codes) != n:
        raise InvalidInput(f"{name} has {len(codes)} rows for {n} customers")
    if NONE in names:
        i = int(np.argmax(codes == names.index(NONE)))
        raise InvalidInput(
            f"{name} {NONE!r} at index {i} is the reports' row of customers without one; "
            'give "" or None for none, or another name'
        )
    return names, codes


def book_ids(values: Any) -> tuple[npt.NDArray[Any], npt.NDArray[np.int64]]:
    """Unique customer ids (text or integers) as sorted keys, and each row's position in them."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "USiu":
        return _id_array(column(values, "ids"))
    names, codes = factorize(values, "ids", text=False)
    if len(names) < len(codes):
        firsts = np.unique(codes, return_index=True)[1]
        i = int(np.setdiff1d(np.arange(len(codes)), firsts).min())
        raise InvalidInput(f"customer {names[codes[i]]!r} appears twice in the book")
    # numpy text drops a trailing NUL ('a\x00' would key as 'a'): such ids stay objects
    nul = any(isinstance(v, str) and v.endswith("\x00") for v in names)
    keys = np.array(names, dtype=object if nul else None) if names else np.zeros(0, dtype=object)
    return keys, codes


def _id_array(arr: npt.NDArray[Any]) -> tuple[npt.NDArray[Any], npt.NDArray[np.int64]]:
    """:func:`_ids` of a text or integer numpy column, without a Python loop: no row can
    be missing, so the checks left are empty text, edge whitespace and repeats."""
    if arr.dtype.kind in "US":
        arr = arr.astype(str)
        bad = (np.char.str_len(arr) == 0) | (np.char.strip(arr) != arr)
        if bad.any():
            i = int(np.argmax(bad))
            label(str(arr[i]), f"ids[{i}]")  # the label check's own refusal
    elif arr.dtype.kind == "u" and arr.size and int(arr.max()) > np.iinfo(np.int64).max:
        i = int(np.argmax(arr))
        raise InvalidInput(f"ids holds {arr[i].item()!r} at index {i}, beyond int64")
    else:
        arr = arr.astype(np.int64)
        if len(arr) and bool((arr[1:] > arr[:-1]).all()):  # ascending, so unique and sorted
            every = np.arange(len(arr), dtype=np.int64)  # (a run's book is keyed by row)
            return arr, every
    order = np.argsort(arr, kind="stable")
    keys = arr[order]
    dup = keys[1:] == keys[:-1]
    if dup.any():
        raise InvalidInput(
            f"customer {keys[int(np.argmax(dup)) + 1].item()!r} appears twice in the book"
        )
    position = np.empty(len(arr), dtype=np.int64)
    position[order] = np.arange(len(arr))
    return keys, position


def teams_of(
    managers: tuple[str, ...],
    codes: npt.NDArray[np.int64],
    team_names: tuple[str, ...],
    team_codes: npt.NDArray[np.int64],
    labels: npt.NDArray[Any],
) -> npt.NDArray[np.int64]:
    """Each manager's team: the first customer's fixes it, any other team is an error."""
    team_of = np.full(len(managers), _NONE, dtype=np.int64)
    first_row = np.full(len(managers), -1, dtype=np.int64)
    has = codes >= 0
    rows = np.flatnonzero(has)
    first = np.full(len(managers), len(codes), dtype=np.int64)
    np.minimum.at(first, codes[rows], rows)  # each manager's first row, counted: no sort
    firsts = first[first < len(codes)]
    team_of[codes[firsts]], first_row[codes[firsts]] = team_codes[firsts], firsts
    clash = has & (team_codes != np.append(team_of, _NONE)[codes])
    if clash.any():
        i = int(np.argmax(clash))
        j = int(first_row[codes[i]])
        names = (*team_names, "")
        raise InvalidInput(
            f"manager {managers[codes[i]]!r} is in two teams: {names[team_codes[j]]!r} "
            f"(customer {labels[j].item()!r}) and {names[team_codes[i]]!r} "
            f"(customer {labels[i].item()!r})"
        )
    return team_of
