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

:func:`later` hashes on a thread of its own (hashlib lets go of the GIL over a large
buffer, so the run goes on meanwhile); its :class:`Pending` waits only when the value
is read, and it is the digest :func:`digest_columns` gives in line:

>>> cols = {"a": np.arange(3), "b": pa.array(["x", "yz", ""])}
>>> pending = later(digest_columns, cols)
>>> pending.value() == digest_columns(cols)
True
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["Pending", "coded_text_bytes", "digest_columns", "gather", "later", "repeats",
           "text_bytes"]  # fmt: skip

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


@attrs.frozen(slots=True, eq=False)
class Pending:
    """A digest being made on threads of its own: the ``futures``' values through
    ``make``; :meth:`value` waits for them, :meth:`close` lets them end unread."""

    futures: tuple[Future[str], ...]
    threads: tuple[threading.Thread, ...]
    make: Callable[[list[str]], str]
    #: the numpy arrays made read-only while they are hashed (writeable again once done),
    #: weakly: they are let go when the run lets go of them
    frozen: tuple[weakref.ref[Any], ...] = ()

    def then(self, step: Callable[[str], str]) -> Pending:
        """The digest ``step`` makes of this one (still waiting for nothing)."""
        make = self.make
        return attrs.evolve(self, make=lambda got: step(make(got)))

    def value(self) -> str:
        """The digest, once the threads are done; their exception if one failed."""
        self._join()
        return self.make([f.result() for f in self.futures])

    def close(self) -> None:
        """Wait for the threads to end (a run refused or failed leaves none running)."""
        self._join()

    def _join(self) -> None:
        for t in self.threads:
            t.join()
        for ref in self.frozen:
            arr = ref()
            if arr is not None:
                arr.flags.writeable = True


def gather(parts: list[Pending], make: Callable[[list[str]], str]) -> Pending:
    """The digest ``make`` makes of the ``parts``' digests (each through its own steps)."""

    def whole(got: list[str]) -> str:
        at, digests = 0, []
        for p in parts:
            digests.append(p.make(got[at : at + len(p.futures)]))
            at += len(p.futures)
        return make(digests)

    futures = tuple(f for p in parts for f in p.futures)
    threads = tuple(t for p in parts for t in p.threads)
    return Pending(futures, threads, whole, tuple(a for p in parts for a in p.frozen))


def later(digest: Callable[[dict[str, Any]], str], columns: dict[str, Any]) -> Pending:
    """``digest(columns)`` made on a thread of its own; the numpy arrays among the
    ``columns`` are read-only until it is done (nothing may change them meanwhile)."""
    columns = dict(columns)  # the caller may put other values in its own dict meanwhile
    arrays = [a for v in columns.values() for a in (v if isinstance(v, tuple) else (v,))]
    frozen = [a for a in arrays if isinstance(a, np.ndarray) and a.flags.writeable]
    for arr in frozen:
        arr.flags.writeable = False
    future: Future[str] = Future()

    def work() -> None:
        future.set_running_or_notify_cancel()
        try:
            future.set_result(digest(columns))
        except BaseException as exc:  # read where the digest is read
            future.set_exception(exc)

    thread = threading.Thread(target=work, name="telcare-digest", daemon=True)
    thread.start()
    return Pending((future,), (thread,), lambda got: got[0], tuple(map(weakref.ref, frozen)))


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
