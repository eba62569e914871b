"""``telcare run --store`` given an operator's own DuckDB database (tables of its own,
none of telcare's) refuses it by name (``run.store.foreign``) and leaves it as it was,
where it added telcare's tables beside the operator's; an empty DuckDB file and a store
telcare wrote (with a table of the operator's added since) are still run into."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from tests.cli._helpers import SAMPLE, query

from telcare.cli import main
from telcare.cli._run import run_month_into
from telcare.cli._run_refusals import RunRefused


def _database(path: Path, *statements: str) -> Path:
    con = duckdb.connect(str(path))
    try:
        for sql in statements:
            con.execute(sql)
    finally:
        con.close()
    return path


def _tables(path: Path) -> list[tuple[object, ...]]:
    return query(path, "SELECT schema_name, table_name FROM duckdb_tables() "
                       "UNION ALL SELECT schema_name, view_name FROM duckdb_views() "
                       "WHERE NOT internal ORDER BY 1, 2")  # fmt: skip


def test_a_database_of_the_operators_own_tables_is_refused_by_name_and_kept(
    tmp_path: Path,
) -> None:
    store = _database(tmp_path / "operator.duckdb",
                      "CREATE TABLE subscribers (msisdn VARCHAR, plan VARCHAR)",
                      "INSERT INTO subscribers VALUES ('13800000001', 'A')",
                      "CREATE VIEW plans AS SELECT DISTINCT plan FROM subscribers")  # fmt: skip
    before = _tables(store)
    with pytest.raises(RunRefused) as info:
        run_month_into(str(store), "2010-10", base=str(SAMPLE))
    exc = info.value
    assert exc.code == "run.store.foreign"
    assert dict(exc.params) == {"path": str(store), "count": 2, "tables": "plans, subscribers"}
    assert str(exc) == (
        f"--store: {str(store)!r} is a DuckDB database of 2 other table(s) (plans, "
        "subscribers), not a telcare store: nothing changed; give a new path or a store "
        "telcare run wrote"
    )
    assert _tables(store) == before  # no telcare table was added beside them
    assert query(store, "SELECT * FROM subscribers") == [("13800000001", "A")]


def test_the_refusal_names_a_few_of_many_tables_and_those_of_other_schemas(
    tmp_path: Path,
) -> None:
    made = [f"CREATE TABLE t{i} (a INTEGER)" for i in range(7)]
    store = _database(tmp_path / "many.duckdb", *made, "CREATE SCHEMA ops",
                      "CREATE TABLE ops.orders (a INTEGER)")  # fmt: skip
    with pytest.raises(RunRefused) as info:
        run_month_into(str(store), "2010-10", base=str(SAMPLE))
    assert info.value.params["count"] == 8
    assert info.value.params["tables"] == "ops.orders, t0, t1, t2, t3, ..."


def test_a_table_of_the_operators_in_another_schema_alone_is_refused(tmp_path: Path) -> None:
    store = _database(tmp_path / "schemas.duckdb", "CREATE SCHEMA ops",
                      "CREATE TABLE ops.orders (a INTEGER)")  # fmt: skip
    with pytest.raises(RunRefused, match=r"1 other table\(s\) \(ops\.orders\)"):
        run_month_into(str(store), "2010-10", base=str(SAMPLE))
    assert _tables(store) == [("ops", "orders")]


def test_the_run_prints_the_refusal_in_either_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _database(tmp_path / "operator.duckdb", "CREATE TABLE mine (a INTEGER)")
    args = ["run", "--base", str(SAMPLE), "--month", "2010-10", "--store", str(store)]
    assert main(args) == 1
    assert "is a DuckDB database of 1 other table(s) (mine), not a telcare store" in (
        capsys.readouterr().err
    )
    assert main([*args, "--lang", "zh_CN"]) == 1
    assert "不是telcare存储" in capsys.readouterr().err
    assert _tables(store) == [("main", "mine")]


def test_an_empty_duckdb_file_is_run_into(tmp_path: Path) -> None:
    store = _database(tmp_path / "empty.duckdb")
    run_month_into(str(store), "2010-10", base=str(SAMPLE))
    assert query(store, "SELECT month, customers FROM runs") == [("2010-10", 12)]


def test_a_telcare_store_with_a_table_of_the_operators_added_is_still_run_into(
    tmp_path: Path,
) -> None:
    store = tmp_path / "s.duckdb"
    run_month_into(str(store), "2010-10", base=str(SAMPLE))
    _database(store, "CREATE TABLE notes (month VARCHAR, note VARCHAR)",
              "INSERT INTO notes VALUES ('2010-10', 'checked')")  # fmt: skip
    run_month_into(str(store), "2010-11", base=str(SAMPLE))
    assert query(store, "SELECT month FROM runs ORDER BY month") == [("2010-10",), ("2010-11",)]
    assert query(store, "SELECT * FROM notes") == [("2010-10", "checked")]
