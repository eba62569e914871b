"""``telcare run --engine dask`` over a folder of Parquet partitions: the answers of one
process over the same rows, every table, and the month's rows partitioned."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

pytest.importorskip("dask.dataframe")

from telcare.cli import _store as store_module, main
from telcare.cli._marketing import DEMO_CATALOGUE
from telcare.cli._synthetic_run import synthetic_extract

MONTHS = ("2010-10", "2010-11")
SIZES = (37, 160, 83)  # three uneven partitions


def _tables(store: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        got = store_module.table_rows(con)
        # the runs differ only in where the rows came from (a file or a folder)
        got["runs"] = sorted(con.execute("SELECT month, customers, accrue_on, redeem_on, "
                                         "expire_on FROM runs").fetchall())  # fmt: skip
        return got
    finally:
        con.close()


def _extracts(tmp: Path) -> dict[str, tuple[Path, Path]]:
    """Each month's extract as one Parquet file and as a folder of three partitions."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = {}
    for month in MONTHS:
        cols = synthetic_extract(sum(SIZES), month, seed=7)
        table = pa.table({k: pa.array(v, from_pandas=True) for k, v in cols.items()})
        one, folder = tmp / f"{month}.parquet", tmp / month
        pq.write_table(table, one)
        folder.mkdir()
        start = 0
        for k, size in enumerate(SIZES):
            pq.write_table(table.slice(start, size), folder / f"part-{k}.parquet")
            start += size
        assert start >= len(table) - 10  # the base may lose a few not active yet
        out[month] = (one, folder)
    return out


def _catalogue(tmp: Path) -> Path:
    """The demo's catalogue as a file under ``tmp``."""
    catalogue = tmp / "catalogue.json"
    catalogue.write_text(DEMO_CATALOGUE.model_dump_json())
    return catalogue


def _run(base: Path, month: str, store: Path, catalogue: Path, *extra: str) -> int:
    return main(["run", "--base", str(base), "--month", month, "--store", str(store),
                 "--catalogue", str(catalogue), *extra])  # fmt: skip


def test_dask_over_three_uneven_partitions_gives_every_table_of_one_process(
    tmp_path: Path,
) -> None:
    catalogue = _catalogue(tmp_path)
    extracts = _extracts(tmp_path)
    one, parted = tmp_path / "one.duckdb", tmp_path / "dask.duckdb"
    for month in MONTHS:
        assert _run(extracts[month][0], month, one, catalogue) == 0
        assert _run(extracts[month][1], month, parted, catalogue, "--engine", "dask") == 0
    a, b = _tables(one), _tables(parted)
    assert set(a) == set(b)
    for table in a:
        assert a[table] == b[table], table
    assert len(a["customers"]) > 500 and a["calls"] and a["moments"]
    con = duckdb.connect()
    parts = tmp_path / "dask-parts"
    got = con.execute(f"SELECT month, partition, count(*) FROM read_parquet('{parts}/customers/*/*/*.parquet', "
                      "hive_partitioning=true) GROUP BY ALL ORDER BY ALL").fetchall()  # fmt: skip
    con.close()
    import pyarrow.parquet as pq

    sizes = [pq.read_metadata(extracts[m][1] / f"part-{k}.parquet").num_rows
             for m in MONTHS for k in range(3)]  # fmt: skip
    assert got == [(m, k, n) for (m, k), n in zip(
        [(m, k) for m in MONTHS for k in range(3)], sizes, strict=True)]  # fmt: skip
    assert sizes[:2] == [37, 160]  # uneven


def test_dask_reruns_change_nothing_and_an_id_in_two_partitions_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyarrow.parquet as pq

    catalogue = _catalogue(tmp_path)
    folder = _extracts(tmp_path)["2010-10"][1]
    store = tmp_path / "s.duckdb"
    assert _run(folder, "2010-10", store, catalogue, "--engine", "dask") == 0
    before = _tables(store)
    assert _run(folder, "2010-10", store, catalogue, "--engine", "dask") == 0
    assert "already in the store: nothing changed" in capsys.readouterr().out
    assert _tables(store) == before
    first = pq.read_table(folder / "part-0.parquet").slice(0, 1)
    again = tmp_path / "again"
    again.mkdir()
    for f in folder.iterdir():
        (again / f.name).write_bytes(f.read_bytes())
    pq.write_table(first, again / "part-3.parquet")
    assert _run(again, "2010-10", tmp_path / "t.duckdb", catalogue, "--engine", "dask") == 1
    err = capsys.readouterr().err
    assert "part-3.parquet: row 1, column customer_id:" in err
    assert "repeats an id of an earlier row or partition" in err
    assert not (tmp_path / "t.duckdb").exists()


def test_a_partition_write_that_fails_names_its_own_error_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # At 10^7 customers the partitioned COPY ran out of DuckDB's memory, and the error
    # said only "Current transaction is aborted": the unregister after the failed COPY
    # raised again and hid the COPY's own error.  Any failing COPY shows it: here the
    # customers' folder is a file.
    catalogue = _catalogue(tmp_path)
    folder = _extracts(tmp_path)["2010-10"][1]
    (tmp_path / "dask-parts").mkdir()
    (tmp_path / "dask-parts" / "customers").write_text("not a folder")
    store = tmp_path / "dask.duckdb"  # its partitions go to dask-parts/
    assert _run(folder, "2010-10", store, catalogue, "--engine", "dask") == 1
    err = capsys.readouterr().err
    assert "cannot write the month's partitions" in err
    assert "transaction is aborted" not in err.lower()
    assert not store.exists()
    assert (tmp_path / "dask-parts" / "customers").read_text() == "not a folder"
