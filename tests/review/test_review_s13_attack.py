"""Hostile inputs against session 13's new surfaces: the defects reproduced, each as a
strict xfail asserting the right behaviour (it passes once the defect is fixed)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

import telcare as tc
from telcare._core.limits import MAX_FEN_PER_POINT

JAN = date(2010, 1, 31)
FEB = date(2010, 2, 1)

#: numpy integer scalars of every width that can hold the highest price of a point.
WIDE_ENOUGH = [np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64]


@pytest.mark.xfail(
    strict=True,
    reason="PointsBook's fen_per_point is only validated, not converted: a numpy scalar "
    "stays one (PointsLedger's becomes an int)",
)
@pytest.mark.parametrize("kind", WIDE_ENOUGH, ids=lambda k: k.__name__)
def test_a_book_priced_by_a_numpy_scalar_keeps_a_python_int_as_the_ledger_does(
    kind: type[np.integer],
) -> None:
    fen = kind(MAX_FEN_PER_POINT)
    assert type(tc.PointsLedger("a", fen_per_point=fen).fen_per_point) is int
    assert type(tc.PointsBook(["a"], fen_per_point=fen).fen_per_point) is int


@pytest.mark.xfail(
    strict=True,
    reason="PointsBook(fen_per_point=np.int16(1000)).liability() multiplies in int16: "
    "a bare OverflowError (np.int8/np.uint16 too); with np.int64 it returns np.int64",
)
@pytest.mark.parametrize("kind", [np.int16, np.uint16, np.int64], ids=lambda k: k.__name__)
def test_the_liability_of_a_book_priced_by_a_numpy_scalar_is_the_exact_python_int(
    kind: type[np.integer],
) -> None:
    book = tc.PointsBook(["a"], fen_per_point=kind(MAX_FEN_PER_POINT)).post(JAN, [10**6])
    liability = book.liability(FEB)
    assert type(liability) is int and liability == 10**6 * MAX_FEN_PER_POINT
    economics = tc.programme_economics(tc.yuan(10**6), book=book, as_of=FEB)
    assert type(economics.liability) is int and economics.liability == liability
