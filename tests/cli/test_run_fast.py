"""``telcare run`` at scale: a rerun found before any row is read, one-pass reading that
agrees with the careful one, the store's keys, bulk writes and ``--verbose``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from tests.cli._helpers import (
    SAMPLE,
    run_base,
    sample_rows as _rows,
    tables as _tables,
    write_rows as _write,
)

from telcare.cli import _run as run_module


def _typed_parquet(tmp_path: Path, source: Path = SAMPLE) -> Path:
    """The sample as Parquet with DuckDB's own column types: ids and money as BIGINT,
    days as DATE, flags as BOOLEAN, shares as DOUBLE."""
    out = tmp_path / "typed.parquet"
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{source}')) TO '{out}' (FORMAT parquet)")
    types = {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM '{out}'").fetchall()}
    con.close()
    assert types["plan_fee"] == "BIGINT" and types["activated_on"] == "DATE"
    assert types["paid_on_time"] == "BOOLEAN" and types["forwarded_share"] == "DOUBLE"
    return out


def test_a_rerun_of_the_same_file_reads_no_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "s.duckdb"
    assert run_base(store, "2010-11", SAMPLE) == 0
    before = _tables(store)

    def no_reading(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the extract was read again")

    monkeypatch.setattr(run_module, "read_extract", no_reading)
    capsys.readouterr()
    assert run_base(store, "2010-11", SAMPLE) == 0
    assert "month 2010-11 already in the store: nothing changed" in capsys.readouterr().out
    assert _tables(store) == before


def test_the_same_rows_in_another_file_change_nothing_and_other_rows_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "s.duckdb"
    assert run_base(store, "2010-11", SAMPLE) == 0
    before = _tables(store)
    assert run_base(store, "2010-11", _typed_parquet(tmp_path)) == 0  # read in full, same digest
    assert "already in the store: nothing changed" in capsys.readouterr().out
    changed = tmp_path / "changed.csv"
    changed.write_text(SAMPLE.read_text().replace(",18600,14394,", ",18600,14395,", 1))
    assert run_base(store, "2010-11", changed) == 1
    assert "already in the store from another extract" in capsys.readouterr().err
    assert _tables(store) == before


def test_a_typed_parquet_extract_gives_the_rows_of_the_text_one(tmp_path: Path) -> None:
    text, typed = tmp_path / "text.duckdb", tmp_path / "typed.duckdb"
    assert run_base(text, "2010-11", SAMPLE) == 0
    assert run_base(typed, "2010-11", _typed_parquet(tmp_path)) == 0
    a, b = _tables(text), _tables(typed)
    assert a["customers"] == b["customers"] and a["moments"] == b["moments"]
    assert [r[3] for r in a["runs"]] == [r[3] for r in b["runs"]]  # the columns' digest


def test_an_id_repeated_with_spaces_around_it_is_refused_by_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _rows()
    rows[3]["customer_id"] = f" {rows[0]['customer_id']} "  # read trimmed: the same id
    store = tmp_path / "s.duckdb"
    assert run_base(store, "2010-11", _write(tmp_path / "x.csv", rows)) == 1
    assert "row 4, column customer_id: ' 13800000007 ' repeats an id of an earlier row" in (
        capsys.readouterr().err
    )
    assert not store.exists()


@pytest.mark.parametrize(("column", "value", "why"), [
    ("plan_fee", 12.5, "'12.5' is not a whole number"),
    ("plan_fee", 12.0, "'12.0' is not a whole number"),
    ("activated_on", "2010-02-30", "'2010-02-30' is not a date"),
    ("forwarded_share", float("nan"), "'nan' is not a number from 0 to 1"),
])  # fmt: skip
def test_a_typed_parquet_column_is_refused_as_its_text_would_be(
    tmp_path: Path, column: str, value: Any, why: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(_typed_parquet(tmp_path))
    values = table.column(column).to_pylist()
    values[2] = value
    kind = pa.float64() if isinstance(value, float) else pa.string()
    table = table.set_column(table.schema.get_field_index(column), column,
                             pa.array([None if v is None else v if kind == pa.float64() else str(v)
                                       for v in values], kind))  # fmt: skip
    bad = tmp_path / "bad.parquet"
    pq.write_table(table, bad)
    assert run_base(tmp_path / "s.duckdb", "2010-11", bad) == 1
    assert f"row 3, column {column}: {why}" in capsys.readouterr().err


def test_a_customer_away_for_a_month_comes_back_with_its_key_and_points(tmp_path: Path) -> None:
    rows = _rows()
    store = tmp_path / "s.duckdb"
    assert run_base(store, "2010-11", _write(tmp_path / "a.csv", rows)) == 0
    assert run_base(store, "2010-12", _write(tmp_path / "b.csv", rows[1:])) == 0
    back = [dict(r, points_redeemed="0") for r in rows[::-1]]  # another order, the first back
    assert run_base(store, "2011-01", _write(tmp_path / "c.csv", back)) == 0
    con = duckdb.connect(str(store), read_only=True)
    first = rows[0]["customer_id"]
    got = con.execute("SELECT month, key, points_earned, points_balance FROM customers "
                      "WHERE customer_id = ? ORDER BY month", [first]).fetchall()  # fmt: skip
    members = con.execute("SELECT month, count(*) FROM members GROUP BY 1").fetchall()
    con.close()
    assert [m for m, *_ in got] == ["2010-11", "2011-01"]
    assert got[0][1] == got[1][1]  # the same key: the same row of the points book
    assert got[1][3] == got[0][3] + got[1][2]  # its lot of November kept
    assert members == [("2010-11", 12)]


def test_a_store_written_before_the_keys_is_refused_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "old.duckdb"
    con = duckdb.connect(str(store))
    con.execute("CREATE TABLE customers (month VARCHAR, customer_id VARCHAR)")
    con.close()
    assert run_base(store, "2010-11", SAMPLE) == 1
    assert "was written by an older telcare run" in capsys.readouterr().err
    con = duckdb.connect(str(store), read_only=True)
    tables = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    con.close()
    assert tables == [("customers",)]  # refused before anything was added


def test_verbose_prints_the_time_of_each_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_base(tmp_path / "s.duckdb", "2010-11", SAMPLE, "--verbose") == 0
    err = capsys.readouterr().err.splitlines()
    # the table, then what was not written: the sample has no action log, no identity
    # columns, no events
    err, skipped = err[:-5], err[-5:]
    steps = [line.split("  ")[0] for line in err[1:-2]]
    assert steps == ["checking the store", "reading the extract", "reading the previous month",
                     "evaluating tiers", "posting points", "granting benefits",
                     "scanning the key moments", "writing the bulletin and the warning list",
                     "writing the reports and lists", "writing the store"]  # fmt: skip
    assert err[-2].startswith("total") and err[-1].startswith("peak memory")
    assert [line.split() for line in skipped] == [
        ["retention_indicators", "run.skipped.no_actions", "no", "--actions", "file"],
        ["callback_report", "run.skipped.no_actions", "no", "--actions", "file"],
        ["execution_report", "run.skipped.no_actions", "no", "--actions", "file"],
        ["watch_list", "run.skipped.no_identity", "no", "identity", "columns"],
        ["due_actions", "run.skipped.no_events", "no", "--events", "file"],
    ]


def test_reading_in_batches_of_two_rows_gives_the_tables_of_one_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from telcare.cli import _run_read

    whole = tmp_path / "whole.duckdb"
    assert run_base(whole, "2010-11", _typed_parquet(tmp_path)) == 0
    monkeypatch.setattr(_run_read, "_BATCH", 2)
    small = tmp_path / "small.duckdb"
    assert run_base(small, "2010-11", _typed_parquet(tmp_path)) == 0
    assert _tables(whole) == _tables(small)  # the digests too: the runs table holds them


@pytest.mark.parametrize("row", [2, 11])
def test_a_bad_row_in_any_batch_is_named_by_the_careful_reading(
    tmp_path: Path, row: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from telcare.cli import _run_read

    monkeypatch.setattr(_run_read, "_BATCH", 2)  # the reading stops with batches still to come
    rows = _rows()
    rows[row - 1]["plan_fee"] = "12.5"
    assert run_base(tmp_path / "s.duckdb", "2010-11", _write(tmp_path / "x.csv", rows)) == 1
    assert f"row {row}, column plan_fee: '12.5' is not a whole number" in capsys.readouterr().err
