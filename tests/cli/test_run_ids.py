"""How ``telcare run`` reads ``customer_id``: an id is text or a whole number, with no
white space of any kind at its edges (the label rule), so one customer has one id."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from tests.cli._helpers import SAMPLE, sample_rows as _rows, write_rows as _write

from telcare.cli import main
from telcare.cli._extract import ExtractRefused
from telcare.cli._run import run_month_into


@pytest.mark.parametrize("pad", ["\t", "\u3000", "\xa0", " "])
def test_an_id_with_white_space_at_an_edge_is_refused_by_row(tmp_path: Path, pad: str) -> None:
    rows = _rows()
    rows[4] = {**rows[4], "customer_id": pad + "A-1"}  # unique: no other row repeats it
    store = tmp_path / "s.duckdb"
    with pytest.raises(ExtractRefused) as info:
        run_month_into(str(store), "2010-10", base=_write(tmp_path / "m.csv", rows))
    assert [(b.row, b.column, b.value, b.why) for b in info.value.bad] == [
        (5, "customer_id", pad + "A-1", "has white space at its start or end")
    ]
    assert not store.exists()


def test_the_refusal_of_a_padded_id_is_written_in_chinese_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _rows()
    rows[0] = {**rows[0], "customer_id": rows[0]["customer_id"] + "\t"}
    base = _write(tmp_path / "m.csv", rows)
    args = ["run", "--base", base, "--month", "2010-10", "--store", str(tmp_path / "s.duckdb")]
    assert main([*args, "--lang", "zh_CN"]) == 1
    assert "首尾含有空白字符" in capsys.readouterr().err


def test_decimal_ids_in_parquet_are_refused_naming_the_column(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    table = pacsv.read_csv(str(SAMPLE))
    ids = pa.array(
        [Decimal(v) for v in table.column("customer_id").to_pylist()], pa.decimal128(18, 2)
    )
    path = tmp_path / "m.parquet"
    pq.write_table(table.set_column(0, "customer_id", ids), str(path))
    with pytest.raises(ExtractRefused, match="customer_id: 'DECIMAL") as info:
        run_month_into(str(tmp_path / "s.duckdb"), "2010-10", base=str(path))
    assert info.value.bad[0].why.startswith("is a column of numbers with fractions")


def test_integer_ids_in_parquet_are_the_ids_of_the_csv(tmp_path: Path) -> None:
    import duckdb
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    path = tmp_path / "m.parquet"
    pq.write_table(pacsv.read_csv(str(SAMPLE)), str(path))  # ids read as int64
    store = tmp_path / "s.duckdb"
    run_month_into(str(store), "2010-10", base=str(path))
    con = duckdb.connect(str(store), read_only=True)
    try:
        got = [r[0] for r in con.execute("SELECT customer_id FROM members ORDER BY key").fetchall()]
    finally:
        con.close()
    assert got == [r["customer_id"] for r in _rows()]
