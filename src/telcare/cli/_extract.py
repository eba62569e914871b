"""Reading the operator's extract (CSV or Parquet) with DuckDB, every bad row named.

The file is loaded as text into a temporary table (``raw``, a row number per data
row in file order), every column is checked in SQL against :data:`COLUMNS`, and
every bad value is collected as a :class:`BadRow` (file, column, 1-based data row,
value, why) before anything else runs: :class:`ExtractRefused` carries them all.
Only a clean extract is turned into numpy columns (:func:`typed_columns`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_DATE, MIN_DATE
from telcare.cli._run_schema import COLUMNS, STATUS_CODES, VERIFICATION_CODES, Col, bounds, codes
from telcare.policy import Policy

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["BadRow", "ExtractRefused", "as_text", "bad_when", "checked_columns", "fetch_bad", "load_columns", "load_raw", "quote", "typed_columns",
           "validate"]  # fmt: skip

#: Bad rows shown in the message (all of them are on the exception).
SHOWN = 50


@attrs.frozen(slots=True)
class BadRow:
    """One refused value: the file, the column, the data row (1-based) and why."""

    file: str
    column: str
    row: int
    value: str | None
    why: str

    def __str__(self) -> str:
        shown = "(empty)" if self.value is None else repr(self.value)
        return f"{self.file}: row {self.row}, column {self.column}: {shown} {self.why}"


class ExtractRefused(InvalidInput):
    """An extract with bad rows: ``bad`` lists every one; nothing was written."""

    def __init__(self, source: str, bad: list[BadRow]) -> None:
        self.source = source
        self.bad = bad
        lines = [f"{source}: {len(bad)} bad value(s); nothing was written"]
        lines += [f"  {b}" for b in bad[:SHOWN]]
        if len(bad) > SHOWN:
            lines.append(f"  ... and {len(bad) - SHOWN} more")
        super().__init__("\n".join(lines))


#: White space as Python's ``str.isspace`` has it, as an RE2 class (DuckDB's ``trim``
#: strips spaces only): an id with any of it at an edge is refused, as a label is.
WHITE = r"[\t\n\v\f\r\x{1c}-\x{1f}\x{85}\p{Z}]"
#: Why an id with white space at an edge is refused.
EDGE_WHITE = "has white space at its start or end"


def stripped(v: str) -> str:
    """SQL: the text ``v`` without white space of any kind at its edges."""
    return f"regexp_replace({v}, '^{WHITE}+|{WHITE}+$', '', 'g')"


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def as_text(name: str, typ: str, ints: frozenset[str]) -> str:
    """SQL: the column ``name`` of DuckDB type ``typ`` as text; a decimal of an integer
    column (``ints``) whose value is whole as the integer (3800.00 as '3800'), any
    other value as DuckDB writes it ('3800.50' is then refused, as in a CSV)."""
    v = f'"{name}"'
    if name in ints and typ.startswith("DECIMAL"):
        return (f"CASE WHEN {v} = trunc({v}) THEN CAST(CAST({v} AS HUGEINT) AS VARCHAR) "
                f"ELSE CAST({v} AS VARCHAR) END")  # fmt: skip
    return f"CAST({v} AS VARCHAR)"


def load_raw(con: DuckDBPyConnection, path: str, option: str = "--base",
             columns: tuple[Col, ...] = COLUMNS) -> None:  # fmt: skip
    """The file at ``path`` (given as ``option``, its table's ``columns``) as the
    temporary table ``raw``: text columns and ``_row``."""
    p = Path(path)
    if not p.is_file():
        raise InvalidInput(f"{option}: no file {path!r}")
    suffix = p.suffix.lower()
    if suffix == ".parquet":
        reader = f"read_parquet({quote(str(p))})"
    elif suffix in (".csv", ".txt"):
        reader = f"read_csv({quote(str(p))}, all_varchar=true, header=true)"
    else:
        raise InvalidInput(f"{option}: {path!r} must be a .csv or .parquet file, got {suffix!r}")
    import duckdb

    try:
        rel = con.sql(f"SELECT * FROM {reader}")
        ints = frozenset(c.name for c in columns if c.kind == "int")
        cast = ", ".join(f'{as_text(n, str(t), ints)} AS "{n}"'
                         for n, t in zip(rel.columns, rel.types, strict=True))  # fmt: skip
        # the file in insertion order, then its row numbers (rowid follows that order)
        con.execute(f"CREATE OR REPLACE TEMP TABLE raw_text AS SELECT {cast} FROM {reader}")
        con.execute("CREATE OR REPLACE TEMP TABLE raw AS SELECT rowid + 1 AS _row, * FROM raw_text")
        con.execute("DROP TABLE raw_text")
    except duckdb.Error as exc:
        raise InvalidInput(f"{option}: cannot read {path!r}: {exc}") from None


def load_columns(con: DuckDBPyConnection, columns: dict[str, Any]) -> None:
    """Numpy ``columns`` (days as ``datetime64``, NaT for none) as the table ``raw``, as
    text like a file's, so they pass the same checks."""
    ready = {k: v.astype("datetime64[s]") if v.dtype.kind == "M" else v for k, v in columns.items()}
    con.register("telcare_columns", ready)
    try:
        cast = ", ".join(
            f'CAST(CAST("{k}" AS DATE) AS VARCHAR) AS "{k}"' if v.dtype.kind == "M"
            else f'CAST("{k}" AS VARCHAR) AS "{k}"' for k, v in ready.items()
        )  # fmt: skip
        con.execute(f"CREATE OR REPLACE TEMP TABLE raw_text AS SELECT {cast} FROM telcare_columns")
    finally:
        con.unregister("telcare_columns")
    con.execute("CREATE OR REPLACE TEMP TABLE raw AS SELECT rowid + 1 AS _row, * FROM raw_text")
    con.execute("DROP TABLE raw_text")


def bad_when(col: Col, policy: Policy, v: str = "v") -> tuple[str, str]:
    """(SQL true for a bad non-empty text value ``v``, what the column takes)."""
    # a column left empty is written NULL by the CSV reader: the checks read non-empty text
    if col.kind == "int":
        low, high = bounds(col, policy)
        test = (f"NOT regexp_full_match({v}, '-?[0-9]{{1,20}}') OR TRY_CAST({v} AS HUGEINT) "
                f"NOT BETWEEN {low} AND {high}")  # fmt: skip
        return test, f"is not a whole number from {low:,} to {high:,}"
    if col.kind == "date":
        test = (f"NOT regexp_full_match({v}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') OR TRY_CAST({v} AS DATE) "
                f"IS NULL OR TRY_CAST({v} AS DATE) NOT BETWEEN DATE '{MIN_DATE}' AND DATE '{MAX_DATE}'")  # fmt: skip
        return test, f"is not a date written YYYY-MM-DD from {MIN_DATE} to {MAX_DATE}"
    if col.kind == "flag":
        return f"lower({v}) NOT IN ('true', 'false', '1', '0')", "is not true, false, 1 or 0"
    if col.kind == "share":
        d = f"TRY_CAST({v} AS DOUBLE)"
        return (
            f"{d} IS NULL OR NOT isfinite({d}) OR {d} NOT BETWEEN 0 AND 1",
            "is not a number from 0 to 1",
        )
    if col.name == "customer_id":
        return f"regexp_matches({v}, '^{WHITE}|{WHITE}$')", EDGE_WHITE
    if col.kind == "code":
        options = codes(col, policy)
        return f"{v} NOT IN ({', '.join(map(quote, options))})", f"is not one of {list(options)}"
    return "false", ""


def fetch_bad(con: DuckDBPyConnection, sql: str, source: str, name: str, why: str) -> list[BadRow]:
    """The rows ``sql`` selects (``_row``, the value) as bad values of column ``name``."""
    return [BadRow(source, name, int(r), v, why) for r, v in con.execute(sql).fetchall()]


def _column_rows(con: DuckDBPyConnection, col: Col, source: str, policy: Policy) -> list[BadRow]:
    """The bad rows of one column present in ``raw``."""
    v = f'"{col.name}"'
    bad: list[BadRow] = []
    if col.required:
        empty = f"SELECT _row, {v} FROM raw WHERE {v} IS NULL OR trim({v}) = '' ORDER BY _row"
        bad += fetch_bad(con, empty, source, col.name, "is empty: the column is required")
    test, why = bad_when(col, policy)
    sql = (f"SELECT _row, v FROM (SELECT _row, {v} AS v FROM raw) "
           f"WHERE v IS NOT NULL AND trim(v) <> '' AND ({test}) ORDER BY _row")  # fmt: skip
    bad += fetch_bad(con, sql, source, col.name, why)
    return bad


def _cross_rows(
    con: DuckDBPyConnection, names: list[str], source: str, last_day: str
) -> list[BadRow]:
    """Rows bad across columns or rows: a repeated id, a data bill above the bill, a line
    activated after the month."""
    # an id with white space at an edge is refused, and named as the id it repeats:
    # ' a' and 'a\t' repeat 'a'
    bad = fetch_bad(con, f"""SELECT _row, customer_id FROM (SELECT _row, customer_id,
        row_number() OVER (PARTITION BY {stripped("customer_id")} ORDER BY _row) AS k FROM raw
        WHERE {stripped("customer_id")} <> '') WHERE k > 1 ORDER BY _row""", source,
        "customer_id", "repeats an id of an earlier row")  # fmt: skip
    if "data_bill" in names:
        bad += fetch_bad(con, """SELECT _row, data_bill FROM raw WHERE TRY_CAST(data_bill AS HUGEINT)
            > TRY_CAST(bill AS HUGEINT) ORDER BY _row""", source, "data_bill",
            "is more than the row's bill")  # fmt: skip
    bad += fetch_bad(con, f"""SELECT _row, activated_on FROM raw WHERE TRY_CAST(activated_on AS DATE)
        > DATE '{last_day}' ORDER BY _row""", source, "activated_on",
        f"is after the month's last day {last_day}")  # fmt: skip
    return bad


def checked_columns(con: DuckDBPyConnection, source: str, columns: tuple[Col, ...],
                    policy: Policy, what: str = "the extract") -> list[BadRow]:  # fmt: skip
    """Every bad value of ``raw`` against ``columns`` (a table called ``what``): an
    unknown or missing column, an empty file, or each column's bad rows."""
    names = [n for n in con.sql("SELECT * FROM raw").columns if n != "_row"]
    known = {c.name for c in columns}
    bad = [BadRow(source, n, 0, None, f"is not a column of {what} (see docs/run.md)")
           for n in names if n not in known]  # fmt: skip
    bad += [BadRow(source, c.name, 0, None, "is missing: the column is required")
            for c in columns if c.required and c.name not in names]  # fmt: skip
    if bad:
        return bad
    if con.execute("SELECT count(*) FROM raw").fetchall() == [(0,)]:
        return [BadRow(source, columns[0].name, 0, None, "the file has no rows")]
    for col in columns:
        if col.name in names:
            bad += _column_rows(con, col, source, policy)
    return bad


def validate(con: DuckDBPyConnection, source: str, policy: Policy, last_day: str) -> None:
    """Refuse ``raw`` with every bad value named (:class:`ExtractRefused`), or pass."""
    bad = checked_columns(con, source, COLUMNS, policy)
    if bad and bad[0].row == 0:
        raise ExtractRefused(source, bad)
    names = [n for n in con.sql("SELECT * FROM raw").columns if n != "_row"]
    bad += _cross_rows(con, names, source, last_day)
    if bad:
        raise ExtractRefused(source, sorted(bad, key=lambda b: (b.row, b.column)))


#: Code columns read as the integer values of their enums.
_LOOKUPS = {"verification": VERIFICATION_CODES, "status": STATUS_CODES}


def _typed_sql(col: Col, present: bool) -> str:
    v = f"NULLIF(trim(\"{col.name}\"), '')"
    if col.kind == "int":
        return f"COALESCE(CAST({v} AS BIGINT), 0)" if present else "CAST(0 AS BIGINT)"
    if col.kind == "date":
        return f"CAST({v} AS DATE)" if present else "CAST(NULL AS DATE)"
    if col.kind == "flag":
        return f"COALESCE(lower({v}) IN ('true', '1'), true)" if present else "true"
    if col.kind == "share":
        return f"COALESCE(CAST({v} AS DOUBLE), 0.0)" if present else "0.0"
    if col.name in _LOOKUPS:  # the integer value of the code (the enum's)
        options = ", ".join(map(quote, _LOOKUPS[col.name]))
        return f"CAST(list_position([{options}], {v}) - 1 AS BIGINT)"
    return f"COALESCE({v}, '')" if present else "''"


def typed_columns(con: DuckDBPyConnection) -> dict[str, Any]:
    """The clean ``raw`` as numpy columns in file order: ints as int64, dates as
    ``datetime64[D]`` (NaT for none), flags as bool, codes as their integer values
    (``tier`` stays text: it is read against the ladder)."""
    names = set(con.sql("SELECT * FROM raw").columns)
    select = ", ".join(f'{_typed_sql(c, c.name in names)} AS "{c.name}"' for c in COLUMNS)
    got = con.sql(f"SELECT {select} FROM raw ORDER BY _row").fetchnumpy()
    out: dict[str, Any] = {}
    for col in COLUMNS:
        values = got[col.name]
        if col.kind == "date":
            values = np.ma.filled(values, np.datetime64("NaT", "D")).astype("datetime64[D]")
        elif col.kind == "text" or col.name == "tier":
            values = np.asarray(values, dtype=object)
        else:
            values = np.asarray(values)
        out[col.name] = values
    return out
