"""``telcare run`` reading a Parquet extract of typed columns with Arrow: the same
columns and digest as DuckDB's readings, every bad row still refused and named."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from telcare._core.errors import InvalidInput
from telcare.cli import _run_arrow, _run_read, main
from telcare.cli._extract import WHITE
from telcare.cli._run_arrow_cols import EDGE, edge_white
from telcare.cli._run_digest import repeats
from telcare.policy import as_policy

SAMPLE = Path(__file__).parents[2] / "docs" / "run_sample.csv"


def _typed(tmp_path: Path, change: Any = None, name: str = "typed.parquet") -> Path:
    """The sample as Parquet of typed columns (two rows a row group), some narrower than
    DuckDB's own, text as plain strings; ``change`` edits the Arrow table first."""
    con = duckdb.connect()
    table = con.sql(f"SELECT * FROM read_csv('{SAMPLE}')").to_arrow_table()
    con.close()
    narrow = {"customer_id": pa.string(), "plan_fee": pa.int32(), "months_counted": pa.uint8(),
              "forwarded_share": pa.float32()}  # fmt: skip
    for column, kind in narrow.items():
        i = table.schema.get_field_index(column)
        table = table.set_column(i, column, table.column(column).cast(kind))
    if change is not None:
        table = change(table)
    out = tmp_path / name
    pq.write_table(table, out, row_group_size=2)
    return out


def _set(column: str, row: int, value: Any, kind: Any = None) -> Any:
    def change(table: pa.Table) -> pa.Table:
        values = table.column(column).to_pylist()
        values[row] = value
        i = table.schema.get_field_index(column)
        return table.set_column(i, column, pa.array(values, kind or table.schema.field(i).type))

    return change


def _read(path: Path, arrow: bool = True) -> _run_read.Extract:
    con = duckdb.connect()
    try:
        if not arrow:
            real = _run_read.parquet_source
            _run_read.parquet_source = lambda _path: None  # type: ignore[assignment]
        try:
            return _run_read.read_extract(con, str(path), None, as_policy(None), "2010-11-30")
        finally:
            if not arrow:
                _run_read.parquet_source = real  # type: ignore[assignment]
    finally:
        con.close()


def _pass(path: Path) -> Any:
    con = duckdb.connect()
    try:
        source = _run_arrow.parquet_source(str(path))
        assert source is not None
        return _run_arrow.arrow_pass(con, source, as_policy(None), "2010-11-30")
    finally:
        con.close()


def _same(a: _run_read.Extract, b: _run_read.Extract) -> None:
    assert list(a.columns) == list(b.columns)
    for name, x in a.columns.items():
        y = b.columns[name]
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype, name
            assert (
                x.tolist() == y.tolist()
                if x.dtype == object
                else np.array_equal(x, y, equal_nan=x.dtype.kind in "fM")
            ), name
        else:
            assert x.equals(y), name
    assert a.ids.equals(b.ids) and a.digest == b.digest


def _untidy(table: pa.Table) -> pa.Table:
    """Optional values left empty, text padded with spaces (kept: trimmed as DuckDB does)."""
    for column, row, value in [("manager", 1, " Li "), ("team", 2, "\u3000east\xa0"),
                               ("tier", 3, None), ("data_bill", 4, None),
                               ("paid_on_time", 5, None), ("forwarded_share", 6, None),
                               ("birthday", 7, None), ("manager", 8, "   ")]:  # fmt: skip
        table = _set(column, row, value)(table)
    return table


@pytest.mark.parametrize("change", [None, _untidy], ids=["clean", "untidy"])
def test_the_arrow_reading_gives_the_columns_and_digest_of_the_duckdb_one(
    tmp_path: Path, change: Any
) -> None:
    path = _typed(tmp_path, change)
    assert isinstance(_pass(path), dict)  # read by Arrow, not handed on
    _same(_read(path), _read(path, arrow=False))


def test_untidy_text_is_read_trimmed_and_empty_as_its_default(tmp_path: Path) -> None:
    cols = _read(_typed(tmp_path, _untidy)).columns
    assert cols["manager"][1] == "Li" and cols["team"][2] == "east" and cols["manager"][8] == ""
    assert cols["tier"][3] == "" and cols["data_bill"][4] == 0 and cols["paid_on_time"][5]
    assert cols["forwarded_share"][6] == 0.0 and np.isnat(cols["birthday"][7])


def test_reading_in_batches_of_two_rows_gives_the_extract_of_one_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _typed(tmp_path, _untidy)
    whole = _read(path)
    monkeypatch.setattr(_run_arrow, "BATCH", 2)
    _same(_read(path), whole)


@pytest.mark.parametrize(("column", "row", "value", "why"), [
    ("plan_fee", 2, -1, "'-1' is not a whole number"),
    ("months_counted", 5, 200, "'200' is not a whole number from 0 to 12"),
    ("bill", 3, None, "(empty) is empty: the column is required"),
    ("forwarded_share", 4, 1.5, "'1.5' is not a number from 0 to 1"),
    ("forwarded_share", 4, float("inf"), "'inf' is not a number from 0 to 1"),
    ("birthday", 6, "1800-01-01", "'1800-01-01' is not a date"),
    ("activated_on", 6, "2010-12-01", "'2010-12-01' is after the month's last day"),
    ("verification", 7, "bogus", "'bogus' is not one of"),
    ("verification", 7, " genuine", "' genuine' is not one of"),
    ("tier", 1, "platinum", "'platinum' is not one of"),
    ("customer_id", 8, "13800000001\u2029", "has white space at its start or end"),
    ("customer_id", 8, "", "'' is empty: the column is required"),
    ("customer_id", 9, "13800000001", "repeats an id of an earlier row"),
    ("data_bill", 10, 10**7, "is more than the row's bill"),
])  # fmt: skip
def test_a_bad_value_read_by_arrow_is_refused_and_named_by_row(
    tmp_path: Path, column: str, row: int, value: Any, why: str,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    import datetime

    if column in ("birthday", "activated_on"):
        value = datetime.date.fromisoformat(value)
    path = _typed(tmp_path, _set(column, row, value))
    if why != "repeats an id of an earlier row":
        assert _pass(path) == _run_arrow.BAD  # found by Arrow, named by the careful reading
    store = tmp_path / "s.duckdb"
    assert main(["run", "--base", str(path), "--month", "2010-11", "--store", str(store)]) == 1
    err = capsys.readouterr().err
    assert (
        f"row {row + 1}, column {column}: " in err and why in err and "nothing was written" in err
    )
    assert not store.exists()


def test_columns_of_other_types_are_handed_to_duckdb(tmp_path: Path) -> None:
    text_fee = _set("plan_fee", 0, "18600", pa.string())
    as_text = _typed(tmp_path, lambda t: text_fee(t.set_column(
        t.schema.get_field_index("plan_fee"), "plan_fee", t.column("plan_fee").cast(pa.string())
    )))  # fmt: skip
    assert _pass(as_text) == _run_arrow.OTHER
    assert _read(as_text).digest == _read(_typed(tmp_path, name="b.parquet")).digest


def test_every_white_space_the_id_regex_finds_is_at_a_byte_the_edge_test_reads() -> None:
    points = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]
    white = pc.match_substring_regex(pa.array(points), f"^{WHITE}$").to_numpy(zero_copy_only=False)
    found = [p for p, w in zip(points, white, strict=True) if w]
    assert "\u3000" in found and "\x85" in found and "\t" in found
    for p in found:
        assert edge_white(pa.array(["a" + p]), EDGE) and edge_white(pa.array([p + "a"]), EDGE), p
    assert not edge_white(pa.array(["a\u3000b", "\u00e9", "\u4e2d\u6587"]), EDGE)


@pytest.mark.parametrize(("ids", "repeated"), [
    (["1", "2", "3"], False),
    (["1", "2", "1"], True),
    (["7", "07"], False),  # two texts, one number: not a repeat
    (["0", "00"], False),
    (["13800000000", "1", "13800000000"], True),  # far apart: not a table of flags
    (["13800000000", "1"], False),
    (["a", "b", "a"], True),
    (["1", "x1"], False),
    (["\u0661", "1"], False),  # an Arabic-Indic one is text, not the number 1
])  # fmt: skip
def test_an_id_that_repeats_is_found_whether_ids_are_numbers_or_text(
    ids: list[str], repeated: bool
) -> None:
    con = duckdb.connect()
    try:
        assert repeats(con, pa.array(ids)) is repeated
    finally:
        con.close()


def test_a_parquet_id_column_that_is_not_utf8_is_refused_by_duckdb(tmp_path: Path) -> None:
    path = _typed(tmp_path)
    table = pq.read_table(path)
    ids = table.column("customer_id").combine_chunks()
    data = bytearray(ids.buffers()[2].to_pybytes())
    data[0] = 0xFF
    raw = pa.Array.from_buffers(pa.string(), len(ids), [None, ids.buffers()[1], pa.py_buffer(data)])
    bad = tmp_path / "bad.parquet"
    pq.write_table(table.set_column(0, "customer_id", raw), bad)
    assert _pass(bad) == _run_arrow.OTHER
    with pytest.raises(InvalidInput) as info:
        _read(bad)
    assert "cannot read" in str(info.value) and "not valid UTF8" in str(info.value)
