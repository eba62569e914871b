"""The price of a point (``points.fen_per_point``) is bounded so that the worth of a whole
balance (``MAX_POINTS`` points) fits int64: at the highest price the policy, the book and
the ledger accept, ``points_value``, the book's liability and a reason's value of a
maximal balance are exact and fit a numpy int64 column; a higher price is refused by name.
(It was bounded at 10,000 fen: 10**15 points were worth 10**19 fen, past 2**63 - 1.)"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

import telcare as tc
from telcare._core.limits import MAX_FEN_PER_POINT, MAX_POINTS

INT64_MAX = 2**63 - 1
JAN = date(2010, 1, 31)


def _highest_price() -> int:
    """The highest ``points.fen_per_point`` the policy's own schema accepts."""
    schema = tc.Policy.model_json_schema()
    return int(schema["$defs"]["PointsPolicy"]["properties"]["fen_per_point"]["maximum"])


def _priced(fen: int) -> tc.Policy:
    return tc.Policy.model_validate({"points": {"fen_per_point": fen}})


def _fits_int64(value: int) -> None:
    assert type(value) is int and 0 <= value <= INT64_MAX
    assert np.array([value], dtype=np.int64)[0] == value  # a numpy column holds it exactly


def test_the_worth_of_a_whole_balance_at_the_highest_price_fits_int64() -> None:
    policy = _priced(_highest_price())
    worth = tc.points_value(MAX_POINTS, policy=policy)
    assert worth == MAX_POINTS * policy.points.fen_per_point
    _fits_int64(worth)


def test_the_book_liability_of_a_whole_balance_at_the_highest_price_fits_int64() -> None:
    policy = _priced(_highest_price())
    book = tc.PointsBook.empty(["a"], policy=policy).post(JAN, [MAX_POINTS])
    _fits_int64(book.liability(JAN))
    _fits_int64(tc.book_totals(**tc.book_to_columns(book), as_of=JAN, policy=policy).liability)


def test_a_balance_column_times_the_highest_price_is_exact_in_numpy() -> None:
    """numpy's int64 product wraps without a word: 10**15 * 10,000 came back negative."""
    policy = _priced(_highest_price())
    book = tc.PointsBook.empty(["a", "b"], policy=policy).post(JAN, [MAX_POINTS, 7])
    worth = book.balance(JAN) * book.fen_per_point
    assert worth.dtype == np.int64
    assert worth.tolist() == [MAX_POINTS * book.fen_per_point, 7 * book.fen_per_point]


def test_the_highest_price_keeps_every_realistic_one() -> None:
    assert _highest_price() == MAX_FEN_PER_POINT >= 100  # a yuan a point; the default is 2
    assert tc.default_policy().points.fen_per_point == 2


@pytest.mark.parametrize("fen", [MAX_FEN_PER_POINT + 1, 10_000, 10**30])
def test_a_policy_pricing_a_point_above_the_bound_is_refused_naming_the_field(fen: int) -> None:
    with pytest.raises(ValidationError) as info:
        _priced(fen)
    assert any(
        tuple(e["loc"]) == ("points", "fen_per_point")
        and f"less than or equal to {MAX_FEN_PER_POINT}" in e["msg"]
        for e in info.value.errors()
    ), info.value.errors()


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda fen: tc.PointsBook(["a"], fen_per_point=fen), "PointsBook.fen_per_point"),
        (lambda fen: tc.PointsLedger("a", fen_per_point=fen), "PointsLedger.fen_per_point"),
    ],
    ids=["book", "ledger"],
)
def test_a_book_or_ledger_pricing_a_point_above_the_bound_is_refused_by_name(
    make: Any, name: str
) -> None:
    with pytest.raises(tc.InvalidInput, match=rf"{name} must be <= {MAX_FEN_PER_POINT}, got"):
        make(MAX_FEN_PER_POINT + 1)
    assert make(MAX_FEN_PER_POINT).fen_per_point == MAX_FEN_PER_POINT
