"""Hostile inputs against session 13's new surfaces: the defects reproduced, each as a
test asserting the right behaviour; all three were fixed in the session that found them,
and a comment above each says what was wrong."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pytest
from tests.cli._helpers import SAMPLE, query

import telcare as tc
from telcare._core.limits import MAX_FEN_PER_POINT
from telcare.cli._run import run_month_into
from telcare.cli._run_refusals import RunRefused

JAN = date(2010, 1, 31)
FEB = date(2010, 2, 1)

#: numpy integer scalars of every width that can hold the highest price of a point.
WIDE_ENOUGH = [np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64]


# Was (fixed this session): PointsBook's fen_per_point is only validated, not converted: a numpy scalar stays one (PointsLedger's becomes an int)
@pytest.mark.parametrize("kind", WIDE_ENOUGH, ids=lambda k: k.__name__)
def test_a_book_priced_by_a_numpy_scalar_keeps_a_python_int_as_the_ledger_does(
    kind: type[np.integer],
) -> None:
    fen = kind(MAX_FEN_PER_POINT)
    assert type(tc.PointsLedger("a", fen_per_point=fen).fen_per_point) is int
    assert type(tc.PointsBook(["a"], fen_per_point=fen).fen_per_point) is int


# Was (fixed this session): PointsBook(fen_per_point=np.int16(1000)).liability() multiplies in int16: a bare OverflowError (np.int8/np.uint16 too); with np.int64 it returns np.int64
@pytest.mark.parametrize("kind", [np.int16, np.uint16, np.int64], ids=lambda k: k.__name__)
def test_the_liability_of_a_book_priced_by_a_numpy_scalar_is_the_exact_python_int(
    kind: type[np.integer],
) -> None:
    book = tc.PointsBook(["a"], fen_per_point=kind(MAX_FEN_PER_POINT)).post(JAN, [10**6])
    liability = book.liability(FEB)
    assert type(liability) is int and liability == 10**6 * MAX_FEN_PER_POINT
    economics = tc.programme_economics(tc.yuan(10**6), book=book, as_of=FEB)
    assert type(economics.liability) is int and economics.liability == liability


def _database(path: Path, *statements: str) -> Path:
    con = duckdb.connect(str(path))
    try:
        for sql in statements:
            con.execute(sql)
    finally:
        con.close()
    return path


def _objects(path: Path) -> list[tuple[object, ...]]:
    return query(path, "SELECT schema_name, table_name FROM duckdb_tables() "
                       "UNION ALL SELECT schema_name, view_name FROM duckdb_views() "
                       "WHERE NOT internal ORDER BY 1, 2")  # fmt: skip


# Was (fixed this session): an operator's own table or view named postings is in OWN (telcare's view  names), so it is not foreign: the run adds its 20 tables beside it and its postings view is never made (CREATE VIEW IF NOT EXISTS)
@pytest.mark.parametrize(
    "made",
    ["CREATE TABLE postings (id INTEGER)", "CREATE VIEW postings AS SELECT 1 AS id"],
    ids=["table", "view"],
)
def test_an_operators_own_postings_alone_is_refused_as_foreign_and_kept(
    tmp_path: Path, made: str
) -> None:
    store = _database(tmp_path / "operator.duckdb", made)
    before = _objects(store)
    with pytest.raises(RunRefused) as info:
        run_month_into(str(store), "2010-10", base=str(SAMPLE))
    assert info.value.code == "run.store.foreign"
    assert _objects(store) == before


# Was (fixed this session): an operator's database (no runs table) with its own customers table is told it 'was written by an older telcare run' and to run its months into a new store
def test_an_operators_own_customers_table_is_refused_as_foreign_not_as_an_old_store(
    tmp_path: Path,
) -> None:
    store = _database(tmp_path / "operator.duckdb",
                      "CREATE TABLE customers (msisdn VARCHAR, plan VARCHAR)")  # fmt: skip
    with pytest.raises(tc.InvalidInput) as info:
        run_month_into(str(store), "2010-10", base=str(SAMPLE))
    assert "older telcare" not in str(info.value)
    assert isinstance(info.value, RunRefused) and info.value.code == "run.store.foreign"
    assert _objects(store) == [("main", "customers")]
