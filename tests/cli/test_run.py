"""``telcare run`` and ``telcare export`` on real DuckDB files in a temporary folder."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import jsonschema
import pytest
from tests.cli._helpers import DOCS, SAMPLE, run_synthetic as _run, tables as _tables

from telcare.cli import _store as store_module, main
from telcare.cli._run_cli import progress_line
from telcare.cli._run_schema import extract_schema

MONTHS = ("2010-09", "2010-10", "2010-11")


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with three consecutive months of a generated base of 300."""
    store = tmp_path_factory.mktemp("run") / "store.duckdb"
    for month in MONTHS:
        assert _run(store, month) == 0
    return store


def test_three_months_run_again_change_nothing(
    three: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _tables(three)
    assert {m for m, *_ in before["runs"]} == set(MONTHS)
    assert all(before[t] for t in ("customers", "moments", "calls", "postings", "figures"))
    capsys.readouterr()
    for month in MONTHS:
        assert _run(three, month) == 0
        assert f"month {month} already in the store: nothing changed" in capsys.readouterr().out
    assert _tables(three) == before


def test_the_next_month_reads_what_this_month_left(three: Path) -> None:
    con = duckdb.connect(str(three), read_only=True)
    rows = con.execute("""SELECT a.tier, b.tier_held, a.points_balance, b.points_earned,
        b.points_redeemed, b.points_balance FROM customers a JOIN customers b
        ON a.customer_id = b.customer_id WHERE a.month = '2010-09' AND b.month = '2010-10'""").fetchall()
    con.close()
    assert len(rows) > 250
    assert all(tier == held for tier, held, *_ in rows)  # the grace carried: the tier held
    # the lots carried: no lot lapses between the two months, so the balance adds up
    assert all(b0 + earned - spent == b1 for *_, b0, earned, spent, b1 in rows)
    assert any(earned > 0 for *_, earned, _, _ in rows)


def test_another_extract_for_a_month_in_the_store_is_refused(
    three: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _tables(three)
    assert _run(three, "2010-10", n=301) == 1
    assert "already in the store from another extract" in capsys.readouterr().err
    assert _tables(three) == before


@pytest.mark.parametrize(("month", "said"), [
    ("2010-07", "month 2010-07 is before the last month in the store, 2010-11"),
])  # fmt: skip
def test_a_month_before_the_last_is_refused(
    three: Path, month: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(three, month) == 1
    assert said in capsys.readouterr().err


def test_a_gap_is_refused_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "s.duckdb"
    assert _run(store, "2010-08", n=50) == 0
    before = _tables(store)
    assert _run(store, "2010-10", n=50) == 1
    assert "month 2010-10 leaves a gap: 2010-09 is not in the store yet" in capsys.readouterr().err
    assert _tables(store) == before


def test_a_run_killed_between_two_writes_leaves_the_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "s.duckdb"
    assert _run(store, "2010-09", n=100) == 0
    before = _tables(store)
    real = store_module.write_table
    calls: list[str] = []

    def dies_on_the_third(con: Any, table: str, month: str, columns: dict[str, Any]) -> None:
        calls.append(table)
        if len(calls) == 3:
            raise KeyboardInterrupt("killed between two writes")
        real(con, table, month, columns)

    monkeypatch.setattr(store_module, "write_table", dies_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        _run(store, "2010-10", n=100)
    assert calls[:2] == ["customers", "moments"]  # two tables were written, then it died
    assert _tables(store) == before
    monkeypatch.setattr(store_module, "write_table", real)
    assert _run(store, "2010-10", n=100) == 0  # the month runs once the failure is gone
    assert {m for m, *_ in _tables(store)["runs"]} == {"2010-09", "2010-10"}


def _bad_sample(path: Path) -> None:
    rows = list(csv.DictReader(SAMPLE.read_text().splitlines()))
    rows[0]["plan_fee"] = "12.5"
    rows[1]["customer_id"] = ""
    rows[2]["activated_on"] = "2010-02-30"
    rows[3]["tier"] = "platinum"
    rows[4]["customer_id"] = rows[5]["customer_id"]
    rows[6]["data_bill"] = str(int(rows[6]["bill"]) + 1)
    rows[7]["forwarded_share"] = "nan"
    rows[8]["verification"] = "nan"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue())


def test_bad_rows_are_each_named_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extract, store = tmp_path / "bad.csv", tmp_path / "s.duckdb"
    _bad_sample(extract)
    assert main(["run", "--base", str(extract), "--month", "2010-11", "--store", str(store)]) == 1
    err = capsys.readouterr().err
    f = str(extract)
    for line in (
        f"{f}: row 1, column plan_fee: '12.5' is not a whole number",
        f"{f}: row 2, column customer_id: (empty) is empty: the column is required",
        f"{f}: row 3, column activated_on: '2010-02-30' is not a date",
        f"{f}: row 4, column tier: 'platinum' is not one of",
        f"{f}: row 6, column customer_id: ",  # the repeated id, on the later row
        f"{f}: row 7, column data_bill: ",
        f"{f}: row 8, column forwarded_share: 'nan' is not a number from 0 to 1",
        f"{f}: row 9, column verification: 'nan' is not one of",
    ):
        assert line in err, line
    assert "8 bad value(s); nothing was written" in err
    assert not store.exists()


def test_an_unknown_or_missing_column_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extract = tmp_path / "cols.csv"
    text = SAMPLE.read_text().replace("plan_fee", "plan_fees", 1)
    extract.write_text(text)
    assert (
        main(
            [
                "run",
                "--base",
                str(extract),
                "--month",
                "2010-11",
                "--store",
                str(tmp_path / "s.duckdb"),
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "column plan_fees: (empty) is not a column of the extract" in err
    assert "column plan_fee: (empty) is missing: the column is required" in err


def test_the_sample_extract_runs_from_csv_and_parquet(tmp_path: Path) -> None:
    parquet = tmp_path / "sample.parquet"
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT * FROM read_csv('{SAMPLE}', all_varchar=true)) TO '{parquet}' (FORMAT parquet)"
    )
    con.close()
    for name, source in (("csv", SAMPLE), ("parquet", parquet)):
        store = tmp_path / f"{name}.duckdb"
        assert (
            main(["run", "--base", str(source), "--month", "2010-11", "--store", str(store)]) == 0
        )
        assert len(_tables(store)["customers"]) == 12
    assert (
        _tables(tmp_path / "csv.duckdb")["customers"]
        == _tables(tmp_path / "parquet.duckdb")["customers"]
    )


def test_the_schema_in_the_docs_is_the_extract_schema_and_the_sample_meets_it() -> None:
    schema = json.loads((DOCS / "run_schema.json").read_text())
    assert schema == extract_schema()
    kinds = {
        name: prop.get("type") or prop["oneOf"][0]["type"]
        for name, prop in schema["properties"].items()
    }
    for row in csv.DictReader(SAMPLE.read_text().splitlines()):
        typed: dict[str, Any] = {}
        for name, value in row.items():
            kind = kinds[name]
            typed[name] = (None if value == "" and name not in schema["required"] else
                           int(value) if kind == "integer" else float(value) if kind == "number"
                           else value == "true" if kind == "boolean" else value)  # fmt: skip
        jsonschema.validate(typed, schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_gives_back_the_rows_of_the_month(three: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"customers.{fmt}"
    args = ["export", "customers", "--month", "2010-10", "--store", str(three), "--format", fmt]
    assert main([*args, "--out", str(out)]) == 0
    con = duckdb.connect(str(three), read_only=True)
    stored = con.execute("SELECT * FROM customers WHERE month = '2010-10' ORDER BY ALL").fetchall()
    reader = "read_parquet" if fmt == "parquet" else "read_csv"
    back = con.execute(f"SELECT * FROM {reader}('{out}') ORDER BY ALL").fetchall()
    con.close()
    assert [tuple(map(str, r)) for r in back] == [tuple(map(str, r)) for r in stored]
    assert len(stored) > 250


def test_export_refuses_a_month_not_in_the_store(
    three: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "calls", "--month", "2009-01", "--store", str(three)]) == 1
    assert "month 2009-01 is not in the store" in capsys.readouterr().err


def test_progress_shows_on_a_terminal_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(tmp_path / "s.duckdb", "2010-11", n=20) == 0
    assert capsys.readouterr().err == ""  # piped: nothing

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    say = progress_line(screen)
    say("evaluating tiers")
    say("writing the store")
    assert "[3/8] evaluating tiers" in screen.getvalue()
    assert screen.getvalue().endswith("[8/8] writing the store\n")


def test_the_core_imports_without_duckdb_and_run_says_how_to_install(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['duckdb'] = None\n"
        "import telcare as tc\n"
        "for face in tc.FACES: __import__(f'telcare.{face}' if face != 'telcare' else 'telcare')\n"
        "from telcare.cli import main\n"
        f"raise SystemExit(main(['run', '--synthetic', '10', '--month', '2010-11', '--store', {str(tmp_path / 's.duckdb')!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr
    assert "pip install 'telcare[run]'" in done.stderr


def test_a_month_that_is_not_a_month_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(tmp_path / "s.duckdb", "2010-W40") == 1
    assert "--month must be a month such as '2010-11', got '2010-W40'" in capsys.readouterr().err
