"""``telcare run`` hashes the extract on a thread of its own: the same digest as made in
line, its failure raised by the run, no thread left once a run ends, and the columns it
reads read-only while it reads them."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from tests.cli._helpers import SAMPLE, run_base, sample_rows, tables, write_rows

from telcare._core.errors import InvalidInput
from telcare.cli import _run_read
from telcare.cli._run import run_month_into
from telcare.cli._run_digest import Pending, digest_columns, later


def _in_line(digest: Any, columns: dict[str, Any]) -> Pending:
    """:func:`later` without a thread: the digest made at once, in this one."""
    future: Future[str] = Future()
    future.set_result(digest(dict(columns)))
    return Pending((future,), (), lambda got: got[0])


def _digest_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "telcare-digest"]


def _typed(tmp_path: Path) -> Path:
    import duckdb

    out = tmp_path / "typed.parquet"
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{SAMPLE}')) TO '{out}' (FORMAT parquet)")
    con.close()
    return out


@pytest.mark.parametrize("typed", [False, True], ids=["csv", "parquet"])
def test_the_digest_made_on_a_thread_is_the_one_made_in_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typed: bool
) -> None:
    base = _typed(tmp_path) if typed else SAMPLE
    assert run_base(tmp_path / "thread.duckdb", "2010-11", base) == 0
    monkeypatch.setattr(_run_read, "later", _in_line)
    assert run_base(tmp_path / "line.duckdb", "2010-11", base) == 0
    threaded, in_line = tables(tmp_path / "thread.duckdb"), tables(tmp_path / "line.duckdb")
    assert threaded["runs"][0][3].startswith("sha256:")
    assert threaded == in_line  # the runs row's digest with every other row


def test_a_pending_digest_is_the_digest_of_its_columns() -> None:
    cols = {"n": np.arange(5), "t": pa.array(["a", "", "bc", "a", "d"]),
            "c": (pa.array(["x", "yy"]), np.array([0, 1, 1, 0, 0]))}  # fmt: skip
    assert later(digest_columns, cols).value() == digest_columns(cols)


def test_the_columns_are_read_only_while_hashed_and_writeable_again_after() -> None:
    gate = threading.Event()
    values = np.arange(4)

    def slow(columns: dict[str, Any]) -> str:
        gate.wait()
        return digest_columns(columns)

    pending = later(slow, {"v": values})
    try:
        with pytest.raises(ValueError, match="read-only"):
            values[0] = 9
    finally:
        gate.set()
    assert pending.value() == digest_columns({"v": np.arange(4)})
    values[0] = 9  # writeable again once hashed
    assert values[0] == 9


def test_a_failing_digest_is_raised_by_the_run_and_leaves_no_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(columns: dict[str, Any]) -> str:
        raise MemoryError("no room to hash")

    monkeypatch.setattr(_run_read, "digest_columns", failing)
    store = tmp_path / "s.duckdb"
    with pytest.raises(MemoryError, match="no room to hash"):
        run_month_into(str(store), "2010-11", base=str(SAMPLE))
    assert not store.exists()
    assert _digest_threads() == []


def test_a_failing_digest_is_raised_by_a_rerun_that_compares_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "s.duckdb"
    run_month_into(str(store), "2010-11", base=str(SAMPLE))
    again = tmp_path / "again.csv"  # the same rows in another file: read, then compared
    again.write_text(SAMPLE.read_text() + "\n")

    def failing(columns: dict[str, Any]) -> str:
        raise MemoryError("no room to hash")

    monkeypatch.setattr(_run_read, "digest_columns", failing)
    with pytest.raises(MemoryError, match="no room to hash"):
        run_month_into(str(store), "2010-11", base=str(again))
    assert _digest_threads() == []


def test_a_refused_run_leaves_no_digest_thread_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "s.duckdb"
    run_month_into(str(store), "2010-11", base=str(SAMPLE))
    gate = threading.Event()
    real = _run_read.digest_columns

    def slow(columns: dict[str, Any]) -> str:
        threading.Timer(0.05, gate.set).start()  # still hashing when the run is refused
        gate.wait()
        return real(columns)

    monkeypatch.setattr(_run_read, "digest_columns", slow)
    with pytest.raises(InvalidInput, match="2011-01"):
        run_month_into(str(store), "2011-01", base=str(SAMPLE))  # a gap: 2010-12 missing
    assert gate.is_set()  # the run waited for the thread it started
    assert _digest_threads() == []


def test_a_rerun_of_other_rows_is_refused_by_the_digest_of_the_thread(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    run_month_into(str(store), "2010-11", base=str(SAMPLE))
    rows = sample_rows()
    rows[0]["bill"] = str(int(rows[0]["bill"]) + 1)
    other = write_rows(tmp_path / "other.csv", rows)
    with pytest.raises(InvalidInput, match="another extract"):
        run_month_into(str(store), "2010-11", base=other)
    assert _digest_threads() == []
