"""One column of :func:`telcare.cli._run_arrow.arrow_pass`, gathered batch by batch.

A number, a day or a flag is checked in each batch (its nulls, its least and
greatest value) and copied into the one numpy column made for the whole file, so a
batch's buffers are freed before the next is read; the ids and the text columns are
kept as Arrow pieces and checked when all are in: the ids' edges, and a text
column's distinct values with the one-pass reading's own SQL, run by DuckDB on those
few values (:func:`~telcare.cli._run_arrow.text_sql`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from telcare._core.limits import MAX_DATE, MIN_DATE
from telcare.cli._extract import WHITE, bad_when, quote
from telcare.cli._run_schema import STATUS_CODES, VERIFICATION_CODES, Col, bounds
from telcare.policy import Policy

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["EDGE", "Gathering", "absent", "edge_white", "is_text", "text_sql"]

#: An id with white space at an edge (the one-pass reading's test, RE2 in both).
EDGE = f"^{WHITE}|{WHITE}$"

_LOOKUPS = {"verification": VERIFICATION_CODES, "status": STATUS_CODES}
_DTYPES: dict[str, Any] = {
    "int": np.int64,
    "date": "datetime64[D]",
    "flag": np.bool_,
    "share": np.float64,
}
#: The bytes an id's first (last) byte is when white space (``_extract.WHITE``) may
#: start (end) it: ASCII white space, and the lead (last) bytes of the UTF-8 of
#: U+0085 and of the Unicode separators (Z); only ids at such a byte meet the regex.
_FIRST = bytes([*range(9, 14), *range(0x1C, 0x21), 0xC2, 0xE1, 0xE2, 0xE3])
_LAST = bytes([*range(9, 14), *range(0x1C, 0x21), 0x80, *range(0x80, 0x8B), 0x85, 0x9F, 0xA0,
               0xA8, 0xA9, 0xAF])  # fmt: skip


def _table(of: bytes) -> Any:
    lut = np.zeros(256, np.bool_)
    lut[list(of)] = True
    return lut


_FIRSTS, _LASTS = _table(_FIRST), _table(_LAST)


def edge_white(ids: Any, pattern: str) -> bool:
    """Whether an id of the Arrow text ``ids`` (none empty) matches ``pattern`` (white
    space at an edge), the regex run only on the ids whose edge bytes could."""
    import pyarrow as pa
    import pyarrow.compute as pc

    wide = pa.types.is_large_string(ids.type)
    ends = np.frombuffer(ids.buffers()[1], np.int64 if wide else np.int32)
    ends = ends[ids.offset : ids.offset + len(ids) + 1]
    data = np.frombuffer(ids.buffers()[2], np.uint8)
    maybe = _FIRSTS[data[ends[:-1]]] | _LASTS[data[ends[1:] - 1]]
    if not maybe.any():
        return False
    return bool(pc.any(pc.match_substring_regex(ids.filter(pa.array(maybe)), pattern)).as_py())


def is_text(t: Any) -> bool:
    """Whether the Arrow type ``t`` is UTF-8 text."""
    import pyarrow as pa

    return bool(pa.types.is_string(t) or pa.types.is_large_string(t))


def absent(col: Col, n: int) -> Any:
    """The column of a left-out optional ``col``: its default in every row."""
    import pyarrow as pa

    if col.kind in _DTYPES:
        fill = {"int": 0, "date": np.datetime64("NaT", "D"), "flag": True, "share": 0.0}
        return np.full(n, fill[col.kind], dtype=_DTYPES[col.kind])
    return pa.array([""], pa.string()), np.zeros(n, np.int32)


class Gathering:
    """One column's batches: :meth:`add` checks and keeps one, :meth:`done` gives the
    column (as :func:`~telcare.cli._run_arrow.arrow_pass` does) or ``"bad"``."""

    __slots__ = ("col", "high", "low", "out", "pieces", "policy")

    def __init__(self, col: Col, n: int, policy: Policy) -> None:
        self.col, self.policy = col, policy
        self.low: Any = MIN_DATE
        self.high: Any = MAX_DATE
        if col.kind == "int":
            self.low, self.high = bounds(col, policy)
        self.out: Any = np.empty(n, dtype=_DTYPES[col.kind]) if col.kind in _DTYPES else None
        self.pieces: list[Any] = []

    def add(self, values: Any, at: int) -> bool:
        """Check and keep the batch ``values`` of rows ``at`` on; False where one is bad."""
        import pyarrow as pa
        import pyarrow.compute as pc

        col, out = self.col, self.out
        if col.required and values.null_count:
            return False
        if out is None:
            if col.name != "customer_id":
                self.pieces.append(values)
                return True
            if pa.types.is_dictionary(values.type):
                values = values.dictionary_decode()
            self.pieces.append(values)
            return _good_ids(values)
        if col.kind == "int" and pa.types.is_decimal(values.type):
            try:  # a whole decimal is its integer (3800.00 is 3800); a fraction is refused
                values = values.cast(pa.int64())
            except pa.ArrowInvalid:  # a fraction, or past int64: the careful reading names it
                return False
        if col.kind in ("int", "date"):
            got = pc.min_max(values)
            try:
                low, high = got["min"].as_py(), got["max"].as_py()
            except OverflowError:  # a date32 before year 1 or after 9999: the careful
                return False  # reading names its row
            if low is not None and (low < self.low or high > self.high):
                return False
        if col.kind == "date":
            out[at : at + len(values)] = values.to_numpy(zero_copy_only=False)
            return True
        if values.null_count:
            values = values.fill_null({"int": 0, "flag": True, "share": 0.0}[col.kind])
        x = values.to_numpy(zero_copy_only=False)
        if (
            col.kind == "share"
            and len(x)
            and not (np.isfinite(x).all() and 0 <= x.min() <= x.max() <= 1)
        ):
            return False
        out[at : at + len(x)] = x
        return True

    def done(self, con: DuckDBPyConnection) -> Any:
        """The whole column: numpy, the ids as one Arrow array, or (distinct values, rows)."""
        import pyarrow as pa

        if self.out is not None:
            return self.out
        if self.col.name == "customer_id":
            ids = pa.concat_arrays(self.pieces)
            self.pieces.clear()
            ids.validate(full=True)  # UTF-8, as DuckDB checks it (ArrowInvalid: not read here)
            return ids.cast(pa.string()) if ids.nbytes < 1 << 31 else ids
        return _coded(con, self.col, self.pieces, self.policy)


def _good_ids(values: Any) -> bool:
    """Whether no id of the batch is empty or has white space at an edge; trim (DuckDB's
    strips spaces, Unicode's Zs) then leaves every id whole."""
    import pyarrow.compute as pc

    if pc.any(pc.equal(pc.binary_length(values), 0)).as_py():
        return False
    return not edge_white(values, EDGE)


def _coded(con: DuckDBPyConnection, col: Col, pieces: list[Any], policy: Policy) -> Any:
    """(the typed distinct values, each row's index into them) of a text column, the
    codes' integer values for ``verification`` and ``status``, or ``"bad"``."""
    import pyarrow as pa

    pieces = [p if pa.types.is_dictionary(p.type) else p.dictionary_encode() for p in pieces]
    pieces = pa.table({"v": pa.chunked_array(pieces)}).unify_dictionaries().column("v").chunks
    values = pieces[0].dictionary
    values.validate(full=True)
    entries = pa.concat_arrays([values.cast(pa.large_string()), pa.nulls(1, pa.large_string())])
    value, bad = text_sql(col, policy, f'"{col.name}"')
    con.register("telcare_entries", pa.table({col.name: entries}))
    try:  # in the registered table's order: DuckDB keeps it (preserve_insertion_order)
        got = con.sql(f"SELECT {value} AS v, COALESCE({bad}, false) AS b FROM telcare_entries")
        typed = got.to_arrow_table()
    finally:
        con.unregister("telcare_entries")
    rows = np.empty(sum(len(p) for p in pieces), np.int32)
    at = 0
    for piece in pieces:
        rows[at : at + len(piece)] = piece.indices.fill_null(len(values)).to_numpy()
        at += len(piece)
    refused = typed.column("b").to_numpy()
    if refused.any() and refused[rows].any():
        return "bad"
    if col.name in _LOOKUPS:
        return typed.column("v").fill_null(-1).to_numpy()[rows]
    return typed.column("v").combine_chunks().cast(pa.string()), rows


def _text_value(col: Col, s: str) -> str:
    v = f"NULLIF(trim({s}), '')"
    if col.kind == "int":
        return f"COALESCE(TRY_CAST({v} AS BIGINT), 0)"
    if col.kind == "date":
        return f"TRY_CAST({v} AS DATE)"
    if col.kind == "flag":
        return f"COALESCE(lower({v}) IN ('true', '1'), true)"
    if col.kind == "share":
        return f"COALESCE(TRY_CAST({v} AS DOUBLE), 0.0)"
    if col.name in _LOOKUPS:
        options = ", ".join(map(quote, _LOOKUPS[col.name]))
        return f"CAST(list_position([{options}], {v}) - 1 AS BIGINT)"
    return f"COALESCE({v}, '')"


def text_sql(col: Col, policy: Policy, s: str) -> tuple[str, str]:
    """(the typed value, SQL true where the value is refused) of ``col`` read from the
    text ``s``: the one-pass reading's, and this module's for a text column's values."""
    empty = f"({s} IS NULL OR trim({s}) = '')"
    test, _ = bad_when(col, policy, s)
    bad = f"(NOT {empty} AND ({test}))"
    return _text_value(col, s), f"{empty} OR {bad}" if col.required else bad
