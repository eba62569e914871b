"""``telcare run`` reading a Parquet integer column typed DECIMAL: a whole value (3800.00)
is the integer 3800 on every reading (Arrow's, DuckDB's one pass, the careful one); a
value with a fraction (3800.50) is refused naming its column, row and value."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from tests.cli._helpers import DOCS, SAMPLE, tables

from telcare.cli import _run_arrow, _run_read, main
from telcare.cli._extract import ExtractRefused
from telcare.policy import as_policy

#: The integer columns written as decimals (fen with two places, a count with none).
AS_DECIMAL = {"plan_fee": pa.decimal128(12, 2), "bill": pa.decimal128(14, 2),
              "months_counted": pa.decimal128(4, 0), "arrears": pa.decimal256(30, 2)}  # fmt: skip


def _sample() -> pa.Table:
    """The sample as Arrow columns of their own types (the ids as text): Arrow reads it."""
    con = duckdb.connect()
    try:
        table = con.sql(f"SELECT * FROM read_csv('{SAMPLE}')").to_arrow_table()
    finally:
        con.close()
    return table.set_column(0, "customer_id", table.column(0).cast(pa.string()))


def _parquet(path: Path, fraction: tuple[str, int, str] | None = None) -> str:
    """The sample as Parquet, the columns of :data:`AS_DECIMAL` as decimals; ``fraction``
    (column, row, value) writes that one value instead."""
    table = _sample()
    for name, kind in AS_DECIMAL.items():
        values = [Decimal(v) for v in table.column(name).to_pylist()]
        if fraction is not None and fraction[0] == name:
            values[fraction[1]] = Decimal(fraction[2])
        i = table.schema.get_field_index(name)
        table = table.set_column(i, name, pa.array(values, kind))
    pq.write_table(table, str(path), row_group_size=5)
    return str(path)


def _read(path: str, arrow: bool, monkeypatch: pytest.MonkeyPatch) -> _run_read.Extract:
    """The extract read by Arrow first, or (``arrow`` False) by DuckDB's readings only."""
    with monkeypatch.context() as m:
        if not arrow:
            m.setattr(_run_read, "parquet_source", lambda _path: None)
        con = duckdb.connect()
        try:
            return _run_read.read_extract(con, path, None, as_policy(None), "2010-11-30")
        finally:
            con.close()


def _integers(tmp_path: Path) -> _run_read.Extract:
    path = tmp_path / "ints.parquet"
    pq.write_table(_sample(), str(path))
    con = duckdb.connect()
    try:
        return _run_read.read_extract(con, str(path), None, as_policy(None), "2010-11-30")
    finally:
        con.close()


@pytest.mark.parametrize("arrow", [True, False], ids=["arrow", "duckdb"])
def test_whole_decimals_are_read_as_the_integers_they_are(
    tmp_path: Path, arrow: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _parquet(tmp_path / "m.parquet")
    con = duckdb.connect()
    try:
        assert isinstance(
            _run_arrow.arrow_pass(con, _run_arrow.parquet_source(path), as_policy(None),  # type: ignore[arg-type]
                                  "2010-11-30"), dict)  # fmt: skip
    finally:
        con.close()
    got, want = _read(path, arrow, monkeypatch), _integers(tmp_path)
    for name in AS_DECIMAL:
        assert got.columns[name].dtype == np.int64, name
        assert got.columns[name].tolist() == want.columns[name].tolist(), name
    assert got.digest == want.digest  # the same extract as the file of integers


def test_the_bill_of_a_whole_decimal_is_its_integer_in_fen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _parquet(tmp_path / "m.parquet", ("bill", 2, "3800.00"))
    for arrow in (True, False):
        bill = _read(path, arrow, monkeypatch).columns["bill"]
        assert bill[2] == 3800 and isinstance(bill.tolist()[2], int)


@pytest.mark.parametrize("arrow", [True, False], ids=["arrow", "duckdb"])
@pytest.mark.parametrize(("column", "value"), [("bill", "13800.50"), ("months_counted", "13"),
                                               ("arrears", "-0.01")])  # fmt: skip
def test_a_decimal_with_a_fraction_or_out_of_bounds_is_refused_by_column_row_and_value(
    tmp_path: Path, arrow: bool, column: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _parquet(tmp_path / "m.parquet", (column, 3, value))
    with pytest.raises(ExtractRefused) as info:
        _read(path, arrow, monkeypatch)
    # the one bad value only: the whole decimals of every other row are not named
    assert [(b.column, b.row, b.value) for b in info.value.bad] == [(column, 4, value)]
    assert info.value.bad[0].why.startswith("is not a whole number from ")


@pytest.mark.parametrize("arrow", [True, False], ids=["arrow", "duckdb"])
def test_a_decimal_wider_than_duckdb_reads_is_refused_by_both_readings(
    tmp_path: Path, arrow: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = pq.read_table(_parquet(tmp_path / "m.parquet"))
    i = table.schema.get_field_index("arrears")
    wide = table.set_column(i, "arrears", table.column(i).cast(pa.decimal256(40, 2)))
    path = tmp_path / "wide.parquet"
    pq.write_table(wide, str(path))
    with pytest.raises(ExtractRefused) as info:  # DuckDB reads it as a float: 998.0
        _read(str(path), arrow, monkeypatch)
    assert {b.column for b in info.value.bad} == {"arrears"} and len(info.value.bad) == 12


def test_a_run_of_whole_decimals_keeps_the_store_of_the_integers(tmp_path: Path) -> None:
    store_a, store_b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    base = _parquet(tmp_path / "m.parquet")
    assert main(["run", "--base", base, "--month", "2010-11", "--store", str(store_a)]) == 0
    assert main(["run", "--base", str(SAMPLE), "--month", "2010-11", "--store", str(store_b)]) == 0
    assert _kept(store_a) == _kept(store_b)
    digests = [tables(s)["runs"][0][3] for s in (store_a, store_b)]
    assert digests[0] == digests[1]  # the extract's digest: the same checked columns


def _kept(store: Path) -> dict[str, Any]:
    """The store's tables but the runs' log (it names the files, their digests and times)."""
    return {k: v for k, v in tables(store).items() if k != "runs"}


def test_an_events_file_of_whole_decimal_amounts_is_read_as_its_csv(tmp_path: Path) -> None:
    csv = DOCS / "run_events_sample.csv"
    table = pacsv.read_csv(str(csv))
    for name in ("plan_fee", "amount"):
        i = table.schema.get_field_index(name)
        values = [None if v is None else Decimal(v) for v in table.column(name).to_pylist()]
        table = table.set_column(i, name, pa.array(values, pa.decimal128(12, 2)))
    events = tmp_path / "events.parquet"
    pq.write_table(table, str(events))
    stores = []
    for i, given in enumerate((events, csv)):
        store = tmp_path / f"s{i}.duckdb"
        args = ["run", "--base", str(SAMPLE), "--month", "2010-11", "--store", str(store)]
        assert main([*args, "--events", str(given)]) == 0
        stores.append(_kept(store))
    assert stores[0] == stores[1]
