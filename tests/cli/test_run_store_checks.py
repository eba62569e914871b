"""What ``telcare run`` and ``telcare export`` accept as ``--store`` and ``--out``: a
DuckDB file with telcare's tables (or a new path), and a file in a folder that exists."""

from __future__ import annotations

from pathlib import Path

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
