"""Reading a clean extract in one pass, and the careful reading only when it is not.

:func:`read_extract` reads the file (or the generator's columns) once with DuckDB,
each column from its own type (a Parquet integer or date is not turned into text
and back), computing every column's typed value and whether the row breaks any
check of :mod:`telcare.cli._extract` in the same query.  When no row does and no id
repeats, those typed columns are the extract.  Otherwise the file is read again the
careful way (:func:`~telcare.cli._extract.validate`), which names every bad value;
the one-pass checks are the same tests on the same text, so the two never disagree
on a clean file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_DATE, MIN_DATE
from telcare.cli._extract import (
    BadRow,
    ExtractRefused,
    load_columns,
    load_raw,
    quote,
    typed_columns,
    validate,
)
from telcare.cli._run_arrow import OTHER, arrow_pass, parquet_source, table_source
from telcare.cli._run_arrow_cols import text_sql
from telcare.cli._run_digest import Pending, digest_columns, later, repeats, text_bytes
from telcare.cli._run_schema import COLUMNS, Col, bounds
from telcare.policy import Policy

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["Extract", "arrow_table", "digest_of", "read_extract", "reader_of"]

_INTS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
         "UINTEGER", "UBIGINT", "UHUGEINT"}  # fmt: skip
#: Why a customer_id column of floating (or decimal) numbers is refused.
FRACTION_IDS = "is a column of numbers with fractions: give ids as text or whole numbers"
#: Rows a batch of the one-pass reading (DuckDB's vectors are 2,048 rows).
_BATCH = 1 << 17


@attrs.frozen(slots=True, eq=False)
class Extract:
    """The checked extract: numpy columns in file order (as :func:`typed_columns` gives
    them) but ``customer_id``, which is the ids as one Arrow string array (the segment
    gets integer tie codes from it and the store writes it, with no Python string per
    row), and the digest of the columns, made on a thread of its own (``pending``):
    :attr:`digest` waits for it."""

    columns: dict[str, Any]
    ids: Any
    pending: Pending

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def digest(self) -> str:
        """The digest of the checked columns (waiting for its thread)."""
        return self.pending.value()


def reader_of(path: str) -> str:
    """The DuckDB table function reading ``path`` (``read_parquet`` or ``read_csv``)."""
    p = Path(path)
    if not p.is_file():
        raise InvalidInput(f"--base: no file {path!r}")
    suffix = p.suffix.lower()
    if suffix == ".parquet":
        return f"read_parquet({quote(str(p))})"
    if suffix in (".csv", ".txt"):
        return f"read_csv({quote(str(p))}, all_varchar=true, header=true)"
    raise InvalidInput(f"--base: {path!r} must be a .csv or .parquet file, got {suffix!r}")


def arrow_table(columns: dict[str, Any]) -> Any:
    """Numpy ``columns`` as an Arrow table (NaT as null, days as dates)."""
    import pyarrow as pa

    return pa.table({k: pa.array(np.asarray(v), from_pandas=True) for k, v in columns.items()})


def _absent(col: Col) -> str:
    return {"int": "CAST(0 AS BIGINT)", "date": "CAST(NULL AS DATE)", "flag": "true",
            "share": "0.0"}.get(col.kind, "''")  # fmt: skip


def _typed_fast(col: Col, typ: str, policy: Policy) -> tuple[str, str] | None:
    """(value, bad) for a column whose own type needs no text: None where it does."""
    v = f'"{col.name}"'
    empty = f"{v} IS NULL" if col.required else "false"
    if col.kind == "int" and typ in _INTS:
        low, high = bounds(col, policy)
        return (
            f"COALESCE(TRY_CAST({v} AS BIGINT), 0)",
            f"{empty} OR {v} NOT BETWEEN {low} AND {high}",
        )
    if col.kind == "int" and typ.startswith("DECIMAL"):  # whole: 3800.00 is 3800
        low, high = bounds(col, policy)
        return (
            f"COALESCE(TRY_CAST({v} AS BIGINT), 0)",
            f"{empty} OR {v} <> trunc({v}) OR CAST({v} AS HUGEINT) NOT BETWEEN {low} AND {high}",
        )
    if col.kind == "date" and typ == "DATE":
        return v, f"{empty} OR {v} NOT BETWEEN DATE '{MIN_DATE}' AND DATE '{MAX_DATE}'"
    if col.kind == "flag" and typ == "BOOLEAN":
        return f"COALESCE({v}, true)", empty
    if col.kind == "share" and typ in ("DOUBLE", "FLOAT"):
        return (
            f"COALESCE(CAST({v} AS DOUBLE), 0.0)",
            f"{empty} OR NOT isfinite({v}) OR {v} NOT BETWEEN 0 AND 1",
        )
    return None


def _select(col: Col, typ: str | None, policy: Policy) -> tuple[str, str]:
    """(the typed value, SQL true where the row's value is refused) of one column."""
    if typ is None:
        return _absent(col), "false"
    fast = _typed_fast(col, typ, policy)
    if fast is not None:
        return fast
    s = f'"{col.name}"' if typ == "VARCHAR" else f'CAST("{col.name}" AS VARCHAR)'
    return text_sql(col, policy, s)


def _one_pass(
    con: DuckDBPyConnection, reader: str, policy: Policy, last_day: str, source: str
) -> Any:
    """The query of the typed columns and ``_bad`` per row (a DuckDB relation, not run
    yet), or None where a column is unknown or missing."""
    rel = con.sql(f"SELECT * FROM {reader} LIMIT 0")
    types = {n: str(t) for n, t in zip(rel.columns, rel.types, strict=True)}
    typ = types.get("customer_id", "VARCHAR")
    if typ in ("FLOAT", "DOUBLE") or typ.startswith("DECIMAL"):
        # as text 13800000007.0: another id than the same customer's in a CSV
        raise ExtractRefused(source, [BadRow(source, "customer_id", 0, typ, FRACTION_IDS)])
    known = {c.name for c in COLUMNS}
    if any(n not in known for n in types) or any(
        c.required and c.name not in types for c in COLUMNS
    ):
        return None
    parts = [_select(c, types.get(c.name), policy) for c in COLUMNS]
    values = ", ".join(
        f'{value} AS "{c.name}"' for c, (value, _) in zip(COLUMNS, parts, strict=True)
    )
    bad = " OR ".join(f"({b})" for _, b in parts if b != "false") or "false"
    names = ", ".join(f'"{c.name}"' for c in COLUMNS)
    return con.sql(f"""SELECT {names}, (_bad OR COALESCE(data_bill > bill, false)
        OR COALESCE(activated_on > DATE '{last_day}', false)) AS _bad
        FROM (SELECT {values}, ({bad}) AS _bad FROM {reader})""")  # fmt: skip


def _labels(values: Any) -> Any:
    """An Arrow text column as a numpy object array, one Python string per distinct value."""
    encoded = values.dictionary_encode()
    labels = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
    return labels[np.asarray(encoded.indices)] if len(labels) else np.array([], dtype=object)


def _is_text(values: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(values.type) or pa.types.is_large_string(values.type))


def _batches(rel: Any, n: int) -> dict[str, Any] | None:
    """The query's ``n`` rows batch by batch: each column copied out of DuckDB's
    batches (a batch's buffers live while any of its columns does) into one numpy
    column made at the first batch, text kept as Arrow pieces; None where a row is bad."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out: dict[str, Any] = {}
    at = 0
    with rel.to_arrow_reader(_BATCH) as reader:
        for batch in reader:
            if pc.any(batch.column("_bad")).as_py():
                return None
            for col in COLUMNS:
                values = batch.column(col.name)
                if _is_text(values):
                    out.setdefault(col.name, []).append(pa.concat_arrays([values]))  # a copy
                    continue
                got = values.to_numpy(zero_copy_only=False)
                out.setdefault(col.name, np.empty(n, dtype=got.dtype))[at : at + len(got)] = got
            at += batch.num_rows
            del batch
    return out if 0 < at == n else None


def _gathered(got: dict[str, Any]) -> tuple[dict[str, Any], Any, dict[str, Any]]:
    """The text pieces as whole columns (the ids as Arrow, the rest as labels), the
    numpy columns and the columns to hash, as :func:`digest_of` hashes them."""
    import pyarrow as pa

    for name in got:
        if isinstance(got[name], list):
            got[name] = pa.concat_arrays(got[name])
    hashed = dict(got)
    ids = got.pop("customer_id")
    for name, values in got.items():
        if not isinstance(values, np.ndarray):
            got[name] = _labels(values)
    return {c.name: got[c.name] for c in COLUMNS if c.name in got}, ids, hashed


def _coded(got: dict[str, Any]) -> tuple[dict[str, Any], Any, dict[str, Any]]:
    """:func:`_gathered` for :func:`arrow_pass`'s columns: the text ones are (distinct
    values, rows), made labels, one Python string per distinct value."""
    hashed = dict(got)
    ids = got.pop("customer_id")
    blank = None  # one column of "" for every column left out (read-only: shared)
    for name, values in got.items():
        if not isinstance(values, tuple):
            continue
        labels = np.asarray(values[0].to_pylist(), dtype=object)
        if labels.tolist() != [""]:
            got[name] = labels[values[1]]
            continue
        if blank is None:
            blank = np.full(len(ids), "", dtype=object)
            blank.flags.writeable = False
        got[name] = blank
    return got, ids, hashed


def digest_of(table: Any) -> str:
    """The SHA-256 of the checked columns of the Arrow ``table`` (names, then values)."""
    import pyarrow as pa

    h = hashlib.sha256()
    for name in sorted(c.name for c in COLUMNS):
        values = table.column(name)
        h.update(name.encode())
        if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
            text_bytes(h, values)
        else:
            h.update(np.ascontiguousarray(values.to_numpy()).tobytes())
    return "sha256:" + h.hexdigest()


def _extract(columns: dict[str, Any], ids: Any, hashed: dict[str, Any]) -> Extract:
    """The extract, its digest started on a thread (``hashed``: its columns by name)."""
    pending = later(digest_columns, hashed)
    columns["customer_id"] = ids  # Arrow: the rules get integer codes (tie_codes)
    return Extract(columns, ids, pending)


def _careful(con: DuckDBPyConnection, base: str | None, columns: dict[str, Any] | None,
             source: str, policy: Policy, last_day: str) -> dict[str, Any]:  # fmt: skip
    """The file read as text, every bad value named (raises), or its typed columns."""
    if base is not None:
        load_raw(con, base)
    else:
        assert columns is not None
        load_columns(con, columns)
    validate(con, source, policy, last_day)
    return typed_columns(con)


def read_extract(
    con: DuckDBPyConnection, base: str | None, columns: dict[str, Any] | None, policy: Policy,
    last_day: str,
) -> Extract:  # fmt: skip
    """The extract of ``base`` (a file) or ``columns`` (numpy), checked; see the module."""
    import pyarrow as pa

    source = base or "the synthetic extract"
    if base is not None:
        reader, table = reader_of(base), None
        arrow = parquet_source(base) if reader.startswith("read_parquet") else None
    else:
        assert columns is not None
        reader, table = "telcare_source", arrow_table(columns)
        arrow = table_source(table)
    got = OTHER if arrow is None else arrow_pass(con, arrow, policy, last_day)
    del arrow
    if isinstance(got, dict):
        del table
        pa.default_memory_pool().release_unused()  # the batches' pages, back to the system
        cols, ids, hashed = _coded(got)
        if not repeats(con, ids):
            return _extract(cols, ids, hashed)
        del cols, ids, hashed
    elif got == OTHER:
        cols_ids = _fast(con, reader, table, policy, last_day, source)
        if cols_ids is not None:
            return _extract(*cols_ids)
    cols = _careful(con, base, columns, source, policy, last_day)
    typed = arrow_table(cols)
    ids = typed.column("customer_id").combine_chunks()
    pending = later(lambda _cols: digest_of(typed), cols)  # typed may share cols' memory
    cols["customer_id"] = ids
    return Extract(cols, ids, pending)


def _fast(con: DuckDBPyConnection, reader: str, table: Any, policy: Policy, last_day: str,
          source: str) -> tuple[dict[str, Any], Any, dict[str, Any]] | None:  # fmt: skip
    """The one-pass reading in DuckDB (a CSV, or columns of other types): the typed
    columns, the ids and the columns to hash, or None where a row is bad or an id repeats."""
    import duckdb
    import pyarrow as pa

    if table is not None and reader == "telcare_source":
        con.register(reader, table)
    del table
    try:
        rel = _one_pass(con, reader, policy, last_day, source)
        n = 0 if rel is None else int(con.sql(f"SELECT count(*) FROM {reader}").fetchall()[0][0])
        pieces = None if rel is None else _batches(rel, n)
    except duckdb.Error as exc:
        raise InvalidInput(f"--base: cannot read {source!r}: {exc}") from None
    if pieces is None:
        return None
    cols, ids, hashed = _gathered(pieces)
    if repeats(con, ids):
        return None
    pa.default_memory_pool().release_unused()  # the batches' pages, back to the system
    return cols, ids, hashed
