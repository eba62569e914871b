"""Reading an extract whose columns are of their own types with Arrow, checked in numpy.

A Parquet file (or the generator's columns) whose every column has its kind's own
Arrow type (integers, ``date32``, booleans, floats, UTF-8 text) is read with pyarrow,
the text columns as dictionaries, and checked column by column: an integer's or a
date's least and greatest values against the bounds, a share's values, the ids'
edges, and a text column's distinct values (not its rows) with the very SQL of the
one-pass reading (:func:`~telcare.cli._run_arrow_cols.text_sql`), run by DuckDB on
those few values; a batch at a time (:data:`BATCH` rows), each number copied into
the one numpy column made for it.
:func:`arrow_pass` gives :data:`OTHER` for any other file (a column of another type,
an unknown or missing column, no rows) and :data:`BAD` where a row is refused: the
DuckDB readings of :mod:`telcare.cli._run_read` then take over and name the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from telcare.cli._run_arrow_cols import Gathering, absent, is_text
from telcare.cli._run_schema import COLUMNS, Col
from telcare.policy import Policy

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["BAD", "OTHER", "Source", "arrow_pass", "parquet_source", "table_source"]

#: :func:`arrow_pass`'s answers for a file it does not read, and for a refused row.
OTHER, BAD = "other", "bad"
_TEXTS = tuple(c.name for c in COLUMNS if c.kind in ("text", "code") and c.name != "customer_id")
#: Rows a batch (the file is read and checked a batch at a time).
BATCH = 1 << 17


@attrs.frozen(slots=True, eq=False)
class Source:
    """An extract read by Arrow: its schema, its rows, its batches and what closes it."""

    schema: Any
    rows: int
    batches: Iterator[Any]
    close: Callable[[], None]


def parquet_source(path: str) -> Source | None:
    """The Parquet file ``path`` as a :class:`Source` (text columns as dictionaries),
    or None where pyarrow cannot open it (DuckDB's reading then says why)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
        texts = [n for n in _TEXTS if n in schema.names]
        f = pq.ParquetFile(path, read_dictionary=texts)
        return Source(f.schema_arrow, f.metadata.num_rows, f.iter_batches(BATCH), f.close)
    except (pa.ArrowException, OSError, ValueError):
        return None


def table_source(table: Any) -> Source:
    """The Arrow ``table`` (the generator's columns) as a :class:`Source`."""
    return Source(table.schema, table.num_rows, iter(table.to_batches(BATCH)), lambda: None)


def _decimal(t: Any) -> bool:
    """Whether ``t`` is a decimal DuckDB reads as one (at most 38 digits; a wider one it
    reads as a float, refused in an integer column: both readings give that answer)."""
    import pyarrow as pa

    return bool(pa.types.is_decimal(t) and t.precision <= 38)


def _native(col: Col, t: Any) -> bool:
    """Whether the Arrow type ``t`` is ``col``'s own (read here, not as text by DuckDB)."""
    import pyarrow as pa

    if col.kind in ("text", "code"):
        return is_text(t.value_type if pa.types.is_dictionary(t) else t)
    own = {"int": lambda t: pa.types.is_integer(t) or _decimal(t), "date": pa.types.is_date32, "flag": pa.types.is_boolean,
           "share": lambda t: pa.types.is_float32(t) or pa.types.is_float64(t)}  # fmt: skip
    return bool(own[col.kind](t))


def arrow_pass(con: DuckDBPyConnection, source: Source, policy: Policy, last_day: str) -> Any:
    """The typed columns of ``source`` (numpy, the ids as Arrow, the text columns as
    their distinct values and each row's index), or :data:`OTHER` or :data:`BAD`
    (see the module)."""
    import pyarrow as pa

    names, n = source.schema.names, source.rows
    cols = {c.name: c for c in COLUMNS}
    if len(set(names)) != len(names) or not set(cols) >= set(names) or n == 0:
        return OTHER
    if any(c.required and c.name not in names for c in COLUMNS):
        return OTHER
    if not all(_native(cols[f.name], f.type) for f in source.schema):
        return OTHER
    columns = {name: Gathering(cols[name], n, policy) for name in names}
    try:
        at = 0
        for batch in source.batches:
            for name, gathering in columns.items():
                if not gathering.add(batch.column(name), at):
                    return BAD
            at += batch.num_rows
        if at != n:
            return OTHER
        out = {c.name: columns[c.name].done(con) if c.name in names else absent(c, n)
               for c in COLUMNS}  # fmt: skip
    except (pa.ArrowException, OSError):  # not UTF-8, a damaged page: DuckDB says which
        return OTHER
    finally:
        source.close()
    if any(isinstance(v, str) for v in out.values()):
        return BAD
    if (out["data_bill"] > out["bill"]).any():
        return BAD
    return BAD if (out["activated_on"] > np.datetime64(last_day, "D")).any() else out
