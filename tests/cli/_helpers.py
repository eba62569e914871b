"""Helpers the CLI's end-to-end tests share (tests/cli/test_run*.py, tests/review/test_review_run.py).

One definition each: the sample extract's rows, writing rows back as a CSV extract,
running ``telcare run`` on a synthetic or a given base, and reading a store back.
Imported as ``from tests.cli._helpers import ...`` (pytest's ``pythonpath`` puts the
repository root on the path).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import duckdb

from telcare.cli import _store as store_module, main

DOCS = Path(__file__).parents[2] / "docs"
SAMPLE = DOCS / "run_sample.csv"


def sample_rows() -> list[dict[str, str]]:
    """The rows of docs/run_sample.csv, as text."""
    return list(csv.DictReader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))))


def write_rows(path: Path, rows: list[dict[str, str]]) -> str:
    """Write ``rows`` to ``path`` as a CSV extract (the header from the first row); its path."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def run_synthetic(store: Path, month: str, *extra: str, n: int = 300) -> int:
    """``telcare run --synthetic n --month month --store store ...``: its exit status."""
    return main(["run", "--synthetic", str(n), "--month", month, "--store", str(store), *extra])


def run_base(store: Path, month: str, base: Path | str, *extra: str) -> int:
    """``telcare run --base base --month month --store store ...``: its exit status."""
    return main(["run", "--base", str(base), "--month", month, "--store", str(store), *extra])


def tables(store: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the store at ``store``, its rows in key order (read-only)."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        return store_module.table_rows(con)
    finally:
        con.close()


def query(store: Path, sql: str) -> list[tuple[object, ...]]:
    """The rows ``sql`` returns from the store at ``store`` (read-only)."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
