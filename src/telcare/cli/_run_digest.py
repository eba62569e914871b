"""The digest of the checked extract's columns, and whether an id repeats.

The digest is the SHA-256 of the columns in the order of their names, each its name
then its values: a number's, a day's or a flag's numpy bytes, a text column's
lengths in bytes (int64, one a row) then its UTF-8 bytes.  The same rows give the
same digest whatever file they came from and whichever reading read them (a text
column held as distinct values and an index a row is hashed as its rows would be):

>>> import pyarrow as pa
>>> h, k = hashlib.sha256(), hashlib.sha256()
>>> text_bytes(h, pa.array(["ab", "c", "ab"]))
>>> coded_text_bytes(k, pa.array(["c", "ab"]), np.array([1, 0, 1]))
>>> h.hexdigest() == k.hexdigest()
True
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["coded_text_bytes", "digest_columns", "repeats", "text_bytes"]

#: Rows hashed at a time: the lengths are made a piece at a time, not a column at once.
CHUNK = 1 << 20
#: The widest range of numeric ids checked for repeats in a table of flags (ids a row).
DENSE = 8


def _ends(arr: Any) -> Any:
    """The value offsets of an Arrow text array, as numpy (int32 or int64)."""
    import pyarrow as pa

    wide = pa.types.is_large_string(arr.type) or pa.types.is_large_binary(arr.type)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64 if wide else np.int32)
    return offsets[arr.offset : arr.offset + len(arr) + 1]


def text_bytes(h: Any, arr: Any) -> None:
    """Feed an Arrow text column to ``h``: each value's length in bytes, then the bytes."""
    import pyarrow as pa

    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if len(arr) == 0:
        return
    ends = _ends(arr)
    for at in range(0, len(arr), CHUNK):
        h.update(np.diff(ends[at : at + CHUNK + 1].astype(np.int64)).data)
    data = arr.buffers()[2]
    if data is not None and ends[-1] > ends[0]:
        h.update(memoryview(data)[int(ends[0]) : int(ends[-1])])


def coded_text_bytes(h: Any, values: Any, rows: Any) -> None:
    """Feed ``h`` the text column whose row ``i`` is ``values[rows[i]]``, as
    :func:`text_bytes` feeds the column itself."""
    import pyarrow as pa

    lengths = np.diff(_ends(values).astype(np.int64))
    for at in range(0, len(rows), CHUNK):
        h.update(np.ascontiguousarray(lengths[rows[at : at + CHUNK]]).data)
    if not lengths.any():
        return
    for at in range(0, len(rows), CHUNK):
        part = values.take(pa.array(rows[at : at + CHUNK]))
        ends = _ends(part)
        h.update(memoryview(part.buffers()[2])[int(ends[0]) : int(ends[-1])])


def digest_columns(columns: dict[str, Any]) -> str:
    """The digest of ``columns`` (numpy, Arrow text, or (distinct values, rows))."""
    h = hashlib.sha256()
    for name in sorted(columns):
        h.update(name.encode())
        values = columns[name]
        if isinstance(values, tuple):
            coded_text_bytes(h, *values)
        elif isinstance(values, np.ndarray):
            h.update(np.ascontiguousarray(values).view(np.uint8).data)
        else:
            text_bytes(h, values)
    return "sha256:" + h.hexdigest()


def _numbers(ids: Any) -> Any:
    """The Arrow text ``ids`` as int64 where every one is a whole number written the
    one way (digits, no leading zero, at most 18 of them): two ids are then the same
    text exactly when they are the same number; else None."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ends = _ends(ids)
    lengths = np.diff(ends)
    if not len(ids) or lengths.min() < 1 or lengths.max() > 18:
        return None
    if not pc.all(pc.ascii_is_decimal(ids)).as_py():
        return None
    first = np.frombuffer(ids.buffers()[2], dtype=np.uint8)[ends[:-1]]
    if ((first == ord("0")) & (lengths > 1)).any():
        return None
    return pc.cast(ids, pa.int64()).to_numpy()


def repeats(con: DuckDBPyConnection, ids: Any) -> bool:
    """Whether an id of the Arrow text ``ids`` (none empty) is there twice or more."""
    import pyarrow as pa

    numbers = _numbers(ids)
    if numbers is not None:
        low = int(numbers.min())
        if int(numbers.max()) - low < DENSE * len(numbers):
            seen = np.zeros(int(numbers.max()) - low + 1, np.bool_)
            seen[numbers - low] = True
            return int(np.count_nonzero(seen)) != len(numbers)
    con.register("telcare_ids", pa.table({"k": ids if numbers is None else numbers}))
    try:
        got = con.execute("SELECT count(*) - count(DISTINCT k) FROM telcare_ids").fetchall()
    finally:
        con.unregister("telcare_ids")
    return bool(got != [(0,)])
