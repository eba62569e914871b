"""What ``telcare run`` and ``telcare export`` accept as ``--store`` and ``--out``: a
DuckDB file with telcare's tables (or a new path), and a file in a folder that exists."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from telcare._core.errors import InvalidInput
from telcare.cli import main
from telcare.cli._run import export_table, run_month_into

SAMPLE = Path(__file__).parents[2] / "docs" / "run_sample.csv"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "s.duckdb"
    run_month_into(str(path), "2010-10", base=str(SAMPLE))
    return path


def test_a_parquet_file_as_the_store_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    data = tmp_path / "m.parquet"
    pq.write_table(pacsv.read_csv(str(SAMPLE)), str(data))
    before = data.read_bytes()
    with pytest.raises(InvalidInput, match=r"--store: .* is not a DuckDB database"):
        run_month_into(str(data), "2010-10", base=str(SAMPLE))
    assert data.read_bytes() == before


def test_export_to_a_folder_is_refused_naming_out(store: Path, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"--out: .* is a folder"):
        export_table(str(store), "customers", "2010-10", "csv", str(tmp_path))


def test_export_onto_the_store_itself_is_refused_and_the_store_kept(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = store.read_bytes()
    args = ["export", "customers", "--month", "2010-10", "--store", str(store), "--out", str(store)]
    assert main(args) == 1
    assert "--out: " in capsys.readouterr().err
    assert store.read_bytes() == before


def test_export_from_a_csv_file_is_refused_naming_the_store(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"--store: .* is not a DuckDB database"):
        export_table(str(SAMPLE), "customers", "2010-10", "csv", str(tmp_path / "x.csv"))


def _partitions(tmp_path: Path) -> str:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    folder = tmp_path / "parts"
    folder.mkdir()
    table = pacsv.read_csv(
        str(SAMPLE), convert_options=pacsv.ConvertOptions(column_types={"customer_id": "string"})
    )
    pq.write_table(table.slice(0, 6), str(folder / "a.parquet"))
    pq.write_table(table.slice(6), str(folder / "b.parquet"))
    return str(folder)


def test_a_run_that_fails_leaves_no_store_it_created(tmp_path: Path) -> None:
    pytest.importorskip("dask")
    store = tmp_path / "s.duckdb"
    # the extract is clean, so the store is created; then the month's partitions
    # cannot be written (a file is where their folder goes) and the run fails
    (tmp_path / "s-parts").write_text("in the way", encoding="utf-8")
    with pytest.raises(InvalidInput, match="--engine dask: cannot write the month's partitions"):
        run_month_into(str(store), "2010-10", base=_partitions(tmp_path), engine="dask")
    assert not store.exists() and not Path(str(store) + ".wal").exists()


def test_partitions_written_for_a_month_that_did_not_commit_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("dask")
    from telcare.cli import _store

    store = tmp_path / "s.duckdb"
    run_month_into(str(store), "2010-10", base=str(SAMPLE))

    parts = tmp_path / "s-parts"
    before_commit: list[int] = []

    @contextmanager
    def failing_commit(con: Any) -> Iterator[None]:
        con.begin()
        yield  # the partitions are written here, before the COMMIT
        before_commit.append(len(list(parts.glob("customers/month=2010-11/*/*.parquet"))))
        con.rollback()
        raise OSError("disk full at COMMIT")

    monkeypatch.setattr(_store, "transaction", failing_commit)
    base = _partitions(tmp_path)
    with pytest.raises(OSError, match="disk full"):
        run_month_into(str(store), "2010-11", base=base, engine="dask")
    assert before_commit == [2]  # the customers of each partition, before the COMMIT
    assert [p for p in parts.rglob("*") if "month=2010-11" in str(p)] == []
    monkeypatch.undo()
    run_month_into(str(store), "2010-11", base=base, engine="dask")  # the run again
    assert len(list(parts.glob("customers/month=2010-11/partition=*/*.parquet"))) == 2


def test_a_run_that_fails_keeps_the_store_it_was_given(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    run_month_into(str(store), "2010-10", base=str(SAMPLE))
    before = store.stat().st_size
    with pytest.raises(InvalidInput, match="leaves a gap"):
        run_month_into(str(store), "2010-12", base=str(SAMPLE))
    assert store.exists() and store.stat().st_size == before


@pytest.mark.parametrize("command", ["run", "export"])
def test_a_store_whose_customers_are_a_table_is_refused_by_name_and_kept(
    tmp_path: Path, command: str
) -> None:
    import duckdb

    # a store of the telcare before the views: members and customers were tables
    store = tmp_path / "old.duckdb"
    con = duckdb.connect(str(store))
    con.execute("CREATE TABLE runs (month VARCHAR PRIMARY KEY)")
    con.execute("CREATE TABLE members (month VARCHAR, customer_id VARCHAR, key BIGINT)")
    con.execute("CREATE TABLE customers (month VARCHAR, customer_id VARCHAR, key BIGINT)")
    con.close()
    before = store.read_bytes()

    def attempt() -> object:
        if command == "run":
            return run_month_into(str(store), "2010-10", base=str(SAMPLE))
        return export_table(str(store), "customers", "2010-10", "csv", str(tmp_path / "c.csv"))

    with pytest.raises(InvalidInput, match=r"--store: .* was written by an older telcare run "
                                           r"\(its members are a table"):  # fmt: skip
        attempt()
    assert store.read_bytes() == before


def test_a_keyed_tables_texts_given_as_labels_are_stored_as_the_same_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import attrs
    import duckdb
    import numpy as np

    from telcare.cli import _run

    def rows(store: Path) -> list[tuple[object, ...]]:
        con = duckdb.connect(str(store), read_only=True)
        try:
            return con.execute("SELECT * FROM moments ORDER BY ALL").fetchall()
        finally:
            con.close()

    plain = tmp_path / "plain.duckdb"
    run_month_into(str(plain), "2010-10", base=str(SAMPLE))
    real = _run.write_month

    def with_labels(con: Any, month: str, result: Any, *args: Any) -> Any:
        # the moments' status as indices into labels, as the month may give any text column
        moments = dict(result.tables["moments"])
        labels, moments["status"] = np.unique(moments["status"].astype(str), return_inverse=True)
        tables = {**result.tables, "moments": moments}
        given = {**result.labels, "moments": {"status": list(labels)}}
        return real(con, month, attrs.evolve(result, tables=tables, labels=given), *args)

    monkeypatch.setattr(_run, "write_month", with_labels)
    coded = tmp_path / "coded.duckdb"
    run_month_into(str(coded), "2010-10", base=str(SAMPLE))
    assert rows(coded) == rows(plain) and len(rows(plain)) > 0
