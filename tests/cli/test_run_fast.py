"""``telcare run`` at scale: a rerun found before any row is read, one-pass reading that
agrees with the careful one, the store's keys, bulk writes and ``--verbose``."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import duckdb
import pytest

from telcare.cli import _run as run_module, _store as store_module, main

SAMPLE = Path(__file__).parents[2] / "docs" / "run_sample.csv"


def _tables(store: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return store_module.table_rows(con)
    finally:
        con.close()


def _base(extract: Path, month: str, store: Path, *extra: str) -> int:
    return main(["run", "--base", str(extract), "--month", month, "--store", str(store), *extra])


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
    assert _base(SAMPLE, "2010-11", store) == 0
    before = _tables(store)

    def no_reading(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the extract was read again")

    monkeypatch.setattr(run_module, "read_extract", no_reading)
    capsys.readouterr()
    assert _base(SAMPLE, "2010-11", store) == 0
    assert "month 2010-11 already in the store: nothing changed" in capsys.readouterr().out
    assert _tables(store) == before


def test_the_same_rows_in_another_file_change_nothing_and_other_rows_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "s.duckdb"
    assert _base(SAMPLE, "2010-11", store) == 0
    before = _tables(store)
    assert _base(_typed_parquet(tmp_path), "2010-11", store) == 0  # read in full, same digest
    assert "already in the store: nothing changed" in capsys.readouterr().out
    changed = tmp_path / "changed.csv"
    changed.write_text(SAMPLE.read_text().replace(",18600,14394,", ",18600,14395,", 1))
    assert _base(changed, "2010-11", store) == 1
    assert "already in the store from another extract" in capsys.readouterr().err
    assert _tables(store) == before


def test_a_typed_parquet_extract_gives_the_rows_of_the_text_one(tmp_path: Path) -> None:
    text, typed = tmp_path / "text.duckdb", tmp_path / "typed.duckdb"
    assert _base(SAMPLE, "2010-11", text) == 0
    assert _base(_typed_parquet(tmp_path), "2010-11", typed) == 0
    a, b = _tables(text), _tables(typed)
    assert a["customers"] == b["customers"] and a["moments"] == b["moments"]
    assert [r[3] for r in a["runs"]] == [r[3] for r in b["runs"]]  # the columns' digest


def _rows() -> list[dict[str, str]]:
    return list(csv.DictReader(SAMPLE.read_text().splitlines()))


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue())
    return path


def test_an_id_repeated_with_spaces_around_it_is_refused_by_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _rows()
    rows[3]["customer_id"] = f" {rows[0]['customer_id']} "  # read trimmed: the same id
    store = tmp_path / "s.duckdb"
    assert _base(_write(tmp_path / "x.csv", rows), "2010-11", store) == 1
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
    assert _base(bad, "2010-11", tmp_path / "s.duckdb") == 1
    assert f"row 3, column {column}: {why}" in capsys.readouterr().err


def test_a_customer_away_for_a_month_comes_back_with_its_key_and_points(tmp_path: Path) -> None:
    rows = _rows()
    store = tmp_path / "s.duckdb"
    assert _base(_write(tmp_path / "a.csv", rows), "2010-11", store) == 0
    assert _base(_write(tmp_path / "b.csv", rows[1:]), "2010-12", store) == 0
    back = [dict(r, points_redeemed="0") for r in rows[::-1]]  # another order, the first back
    assert _base(_write(tmp_path / "c.csv", back), "2011-01", store) == 0
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
    assert _base(SAMPLE, "2010-11", store) == 1
    assert "was written by an older telcare run" in capsys.readouterr().err
    con = duckdb.connect(str(store), read_only=True)
    tables = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    con.close()
    assert tables == [("customers",)]  # refused before anything was added


def test_verbose_prints_the_time_of_each_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _base(SAMPLE, "2010-11", tmp_path / "s.duckdb", "--verbose") == 0
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
    assert _base(_typed_parquet(tmp_path), "2010-11", whole) == 0
    monkeypatch.setattr(_run_read, "_BATCH", 2)
    small = tmp_path / "small.duckdb"
    assert _base(_typed_parquet(tmp_path), "2010-11", small) == 0
    assert _tables(whole) == _tables(small)  # the digests too: the runs table holds them


@pytest.mark.parametrize("row", [2, 11])
def test_a_bad_row_in_any_batch_is_named_by_the_careful_reading(
    tmp_path: Path, row: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from telcare.cli import _run_read

    monkeypatch.setattr(_run_read, "_BATCH", 2)  # the reading stops with batches still to come
    rows = _rows()
    rows[row - 1]["plan_fee"] = "12.5"
    assert _base(_write(tmp_path / "x.csv", rows), "2010-11", tmp_path / "s.duckdb") == 1
    assert f"row {row}, column plan_fee: '12.5' is not a whole number" in capsys.readouterr().err
