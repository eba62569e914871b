"""Codes of a numpy object column by the objects it holds, at C speed.

A label column read from a file holds one Python string per distinct value, each
row a reference to it (10^7 rows, a few thousand managers).  :func:`object_slots`
groups the rows by the object they reference, counting over the references' own
addresses instead of hashing or sorting the texts, so a caller checks and codes
each distinct object once (a handful of :func:`~telcare._core.label_checks.label`
calls) and reads every row's code through its slot.  Two equal texts held by two
objects get two slots: a caller that needs codes by value merges them over the
few distinct objects (:func:`label_codes`).

>>> names = np.array(["li", "", "wang"], dtype=object)
>>> column = names[[0, 1, 2, 0, 0]]
>>> found = object_slots(column)  # None where the objects lie too far apart
>>> found is None or bool((column[found[0]][found[1]] == column).all())
True
>>> label_codes(column, "manager", empty=True)
(('li', 'wang'), array([ 0, -1,  1,  0,  0]))
"""

from __future__ import annotations

import ctypes
from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.errors import InvalidInput
from telcare._core.label_checks import Codes, factorize

__all__ = ["label_codes", "object_slots"]

#: The buckets the addresses are counted in (a power of two): the 16-byte aligned
#: objects of one stretch of memory up to 64 MiB long never share one.
_BUCKETS = 1 << 22


def _addresses(values: npt.NDArray[Any]) -> npt.NDArray[np.uint64]:
    """The addresses a contiguous 1-D object array holds, as a view of its buffer (the
    array must outlive the view; no reference is taken or dropped)."""
    pointer = ctypes.cast(values.ctypes.data, ctypes.POINTER(ctypes.c_uint64))
    return np.ctypeslib.as_array(pointer, (len(values),))


def object_slots(values: Any) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.signedinteger[Any]]] | None:  # fmt: skip
    """For a 1-D numpy object array, a row holding each distinct object (``reps``) and
    each row's slot among them; None for any other column, or when two distinct
    objects fall in one bucket (objects spread over memory: many distinct values,
    which the caller codes its own way)."""
    if not isinstance(values, np.ndarray) or values.dtype != object or values.ndim != 1:
        return None
    n = len(values)
    if n == 0 or ctypes.sizeof(ctypes.c_void_p) != 8:
        return None
    held = np.ascontiguousarray(values)
    address = _addresses(held)
    if bool((address == address[0]).all()):  # one object throughout (a column of "")
        return np.zeros(1, dtype=np.int64), np.zeros(n, dtype=np.int32)
    bucket = (address >> np.uint64(4)).view(np.int64)  # CPython aligns objects on 16 bytes
    bucket &= _BUCKETS - 1
    first = np.zeros(_BUCKETS, dtype=np.uint64)  # no object lies at address 0
    first[bucket] = address
    if not bool((first[bucket] == address).all()):
        return None  # two objects in one bucket (or not 16-byte aligned)
    distinct = np.flatnonzero(first)
    del first
    table = np.empty(_BUCKETS, dtype=np.int32)
    table[distinct] = np.arange(len(distinct), dtype=np.int32)
    slots = table[bucket]
    del table, bucket
    del held
    return _rows_of(slots, len(distinct)), slots


def _rows_of(slots: npt.NDArray[Any], k: int) -> npt.NDArray[np.int64]:
    """A row of each of the ``k`` slots (any will do), read block by block until every
    slot has one: the few distinct objects of a label column all show early."""
    reps = np.full(k, -1, dtype=np.int64)
    step = 1 << 16
    for start in range(0, len(slots), step):
        block = slots[start : start + step]
        reps[block] = np.arange(start, start + len(block))
        if start % (step * 16) == 0 and not bool((reps < 0).any()):
            break
    return reps


def label_codes(values: Any, name: str, *, text: bool = True, empty: bool = False,
                missing: bool = False) -> tuple[tuple[Any, ...], Codes]:  # fmt: skip
    """:func:`~telcare._core.label_checks.factorize`'s answer (the sorted names, each
    row's code), each distinct object of a numpy object column checked once; a
    column it refuses is refused by :func:`factorize` itself, naming the first bad row."""
    found = object_slots(values)
    if found is None or len(found[0]) == len(values):
        return factorize(values, name, text=text, empty=empty, missing=missing)
    reps, slots = found
    try:
        names, codes = factorize(values[reps], name, text=text, empty=empty, missing=missing)
    except InvalidInput:
        return factorize(values, name, text=text, empty=empty, missing=missing)
    out: Codes = codes[slots]
    return names, out
