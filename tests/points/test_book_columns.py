"""The points book's columns carry its pending points (review defect 3: a book read back
from its columns let them be spent), and the columns' totals must keep the accounting
identity (an explicit ``earned`` broke it without a word)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import telcare as tc
import telcare.frames as tf

D = date
JAN31 = D(2010, 1, 31)
PENDING = tc.Policy.model_validate({"points": {"pending_days": 10}})


def waiting() -> tc.PointsBook:
    return tc.PointsBook.empty(["a", "b"], policy=PENDING).post(JAN31, [120, 30])


def read_back(book: tc.PointsBook, policy: Any = PENDING, **columns: Any) -> tc.PointsBook:
    last = D.fromisoformat(book.to_dict()["last_posting"])
    given = tc.book_to_columns(book) | columns
    return tc.book_from_columns(given, policy=policy, last_posting=last, issued=book.issued)


def test_pending_points_read_back_from_the_columns_cannot_be_spent() -> None:
    book = waiting()
    back = read_back(book)
    assert back == book
    day = D(2010, 2, 1)
    assert back.pending(day).tolist() == [120, 30] and back.spendable(day).tolist() == [0, 0]
    with pytest.raises(tc.InsufficientPoints, match="only 0 are available"):
        back.redeem(day, [100, 0])
    assert back.spendable(D(2010, 2, 10)).tolist() == [120, 30]


def test_the_rules_over_the_columns_see_the_pending_points() -> None:
    frame = pd.DataFrame(tc.book_to_columns(waiting()))
    assert "pending_2010_02_10_lot_2011_11_30" in frame
    out = tf.book_balances(frame, as_of=D(2010, 2, 1))
    assert out["spendable"].tolist() == [0, 0] and out["balance"].tolist() == [120, 30]
    got = tc.book_balances(**tc.book_to_columns(waiting()), as_of=D(2010, 2, 1))
    assert got.spendable.tolist() == [0, 0]


def test_two_lots_released_on_one_day_keep_their_own_columns() -> None:
    schedule = tc.PolicySchedule(
        [
            (D(2009, 1, 1), {"points": {"pending_days": 30}}),
            (D(2010, 6, 1), {"points": {"pending_days": 5, "expire_after_cycles": 2}}),
        ]
    )
    book = tc.PointsBook.empty(["a"], policy=schedule).post(D(2010, 5, 31), [100])
    book = book.post(D(2010, 6, 25), [40])
    columns = tc.book_to_columns(book)
    assert [n for n in columns if n.startswith("pending_")] == [
        "pending_2010_06_30_lot_2011_11_30",
        "pending_2010_06_30_lot_2012_11_30",
    ]
    assert read_back(book, schedule) == book


def test_a_default_earned_keeps_the_identity_when_a_reversal_went_unrecovered() -> None:
    book = tc.PointsBook.empty(["a"]).post(JAN31, [100]).redeem(D(2010, 2, 1), [90])
    book = book.reverse(D(2010, 2, 2), [100], JAN31)  # 10 taken back, 90 unrecovered
    columns = tc.book_to_columns(book)
    assert columns["unrecovered"].tolist() == [90]
    del columns["earned"]
    back = tc.book_from_columns(columns, last_posting=D(2010, 2, 2), issued=book.issued)
    assert back == book and back.summary(D(2010, 2, 2)).balanced


def test_an_earned_that_breaks_the_identity_is_refused_naming_the_row_and_terms() -> None:
    book = waiting().redeem(D(2010, 2, 20), [20, 0])
    with pytest.raises(tc.InvalidInput) as info:
        read_back(book, earned=np.array([120, 0]))
    assert str(info.value) == (
        "the columns break the accounting identity earned - reversed = lots - debt + "
        "redeemed + expired_closed at row 1 (customer 'b'): earned 0, with lot_2011_11_30 30, "
        "reversed 0, debt 0, redeemed 0, expired_closed 0 (the identity needs earned 30)"
    )
    with pytest.raises(tc.InvalidInput, match=r"row 0 \(customer 'a'\)"):
        tc.book_totals(**tc.book_to_columns(book) | {"earned": [0, 30]}, as_of=D(2010, 3, 1))
    with pytest.raises(tc.InvalidInput, match="earned must be 0 to"):
        tc.book_from_columns({"ids": ["a"], "redeemed": [10**18], "reversed": [10**18]})


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("pending_2010_02_10", [1, 0], "does not name a release day and a lot"),
        ("pending_2010_02_30_lot_2011_11_30", [1, 0], "does not name a date"),
        ("pending_2010_02_10_lot_2011_10_31", [1, 0], "a lot expires on 30 Nov"),
        ("pending_2010_02_10_lot_2012_11_30", [1, 0], "there is no 'lot_2012_11_30' column"),
        ("pending_2010_01_31_lot_2011_11_30", [1, 0], "no longer pending after the last posting"),
        ("pending_2010_02_11_lot_2011_11_30", [1, 0], "hold 121 points at row 0 (customer 'a')"),
        ("pending_2010_02_11_lot_2011_11_30", [-1, 0], "pending_2010_02_11_lot_2011_11_30"),
        ("pending_2010_02_11_lot_2011_11_30", [1], "equal lengths"),
    ],
)
def test_a_bad_pending_column_is_refused_by_name(name: str, value: Any, message: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        read_back(waiting(), **{name: np.array(value)})
    assert message in str(info.value)


# ---- the round trip, for drawn books

POLICIES = [
    tc.Policy.model_validate({"points": {"pending_days": days, "reversal": mode}})
    for days, mode in ((10, "claw_back"), (45, "allow_negative"), (1, "refuse"))
] + [
    tc.PolicySchedule(
        [
            (D(2009, 1, 1), {"points": {"pending_days": 30}}),
            (D(2010, 3, 1), {"points": {"pending_days": 3, "expire_after_cycles": 2}}),
        ]
    )
]
OPERATION = st.tuples(
    st.integers(0, 40),
    st.sampled_from(["post", "post", "redeem", "reverse"]),
    st.lists(st.integers(0, 300), min_size=3, max_size=3),
)


def _apply(book: tc.PointsBook, day: date, kind: str, points: list[int]) -> tc.PointsBook:
    if kind == "post":
        return book.post(day, points)
    if kind == "redeem":
        return book.redeem(day, np.minimum(points, book.spendable(day)))
    earned_on = D.fromisoformat(book.to_dict()["last_posting"] or str(day))
    try:
        return book.reverse(day, np.asarray(points) // 3, earned_on)
    except (tc.InvalidInput, tc.InsufficientPoints):  # more than that day earned, or refused
        return book


@settings(max_examples=60, deadline=None)
@given(
    policy=st.sampled_from(POLICIES),
    operations=st.lists(OPERATION, min_size=1, max_size=8),
    ahead=st.integers(0, 60),
)
def test_a_drawn_book_with_pending_points_round_trips_and_the_rules_agree(
    policy: Any, operations: list[tuple[int, str, list[int]]], ahead: int
) -> None:
    book = tc.PointsBook.empty(["a", "b", "c"], policy=policy)
    day = D(2009, 11, 1)
    for step, kind, points in operations:
        day += timedelta(days=step)
        book = _apply(book, day, kind, points)
    if book.to_dict()["last_posting"] is None:
        return
    assert read_back(book, policy) == book
    columns = tc.book_to_columns(book)
    for as_of in (day, day + timedelta(days=ahead)):
        got = tc.book_balances(**columns, as_of=as_of, policy=policy)
        assert got.spendable.tolist() == book.spendable(as_of).tolist()
        assert got.balance.tolist() == book.balance(as_of).tolist()
        totals = tc.book_totals(**columns, as_of=as_of, policy=policy)
        assert totals.summary == book.summary(as_of) and totals.summary.balanced
        assert totals.liability == book.liability(as_of)


def test_a_book_closed_by_expire_reads_back_equal_from_its_columns() -> None:
    """Regression: ``expire()`` kept the day it closed the lots, which the columns cannot
    hold, so the book read back from them was unequal to the one written, though it
    answered every query the same; a reversal into a closed lot is refused by both, by
    the same words."""
    book = tc.PointsBook.empty(["a", "b"]).post(JAN31, [120, 30]).post(D(2011, 1, 31), [5, 6])
    closed = book.expire(D(2011, 12, 1)).post(D(2011, 12, 5), [1, 2])
    back = read_back(closed, policy=None)
    assert back == closed
    assert back.expired(D(2011, 12, 5)).tolist() == closed.expired(D(2011, 12, 5)).tolist()
    for either in (closed, back):
        with pytest.raises(tc.InvalidInput, match=r"expiring 2011-11-30\) was closed by expire"):
            either.reverse(D(2011, 12, 5), [100, 0], JAN31)


@pytest.mark.parametrize(
    ("lots", "wanted", "taken", "left"),
    [
        ([[5, 0], [5, 9]], [7, 3], [[0, 0], [3, 6]], [0, 0]),
        ([[0, 0], [2, 1], [4, 4]], [3, 9], [[0, 0], [0, 0], [3, 0]], [0, 4]),
        ([[0, 0]], [1, 0], [[0, 0]], [1, 0]),
        ([], [2, 0], [], [2, 0]),
    ],
)
def test_taking_the_earliest_lots_first_leaves_the_asked_column_as_it_was(
    lots: list[list[int]], wanted: list[int], taken: list[list[int]], left: list[int]
) -> None:
    from telcare.points._book_columns import take_earliest

    asked = np.array(wanted, dtype=np.int64)
    columns = [np.array(lot, dtype=np.int64) for lot in lots]
    new, short = take_earliest(columns, asked)
    assert [c.tolist() for c in new] == taken
    assert short.tolist() == left
    assert asked.tolist() == wanted
    assert short is not asked and not np.shares_memory(short, asked)


NEGATIVE = tc.Policy.model_validate({"points": {"reversal": "allow_negative"}})


def in_debt(schedule: tc.PolicySchedule, disputed: date) -> tc.PointsBook:
    """'a' owes 100 after a reversal on ``disputed`` (under allow_negative), then 'b'
    earns 5 on 30 Jul 2010."""
    book = tc.PointsBook.empty(["a", "b"], policy=schedule).post(D(2010, 1, 5), [100, 100])
    book = book.redeem(D(2010, 2, 1), [100, 0]).reverse(disputed, [100, 0], D(2010, 1, 5))
    return book.post(D(2010, 7, 30), [0, 5])


@pytest.mark.parametrize(
    ("first", "second", "disputed"),
    [
        (NEGATIVE, tc.default_policy(), D(2010, 3, 1)),
        (tc.default_policy(), NEGATIVE, D(2010, 7, 1)),
    ],
    ids=["allow_negative-then-claw_back", "claw_back-then-allow_negative"],
)
def test_a_debt_run_up_under_either_policy_of_a_schedule_reads_back_from_the_columns(
    first: tc.Policy, second: tc.Policy, disputed: date
) -> None:
    schedule = tc.PolicySchedule({D(2009, 12, 1): first, D(2010, 6, 1): second})
    book = in_debt(schedule, disputed)
    day = D(2010, 7, 30)
    assert book.balance(day).tolist() == [-100, 105]
    assert read_back(book, policy=schedule) == book
    columns = tc.book_to_columns(book)
    totals = tc.book_totals(as_of=day, policy=schedule, **columns)
    assert (totals.balance, totals.summary.balanced) == (5, True)
    assert totals.liability == book.liability(day)
    frame = pd.DataFrame(columns)
    got = tf.book_balances(frame, as_of=day, policy=schedule)
    assert got["balance"].tolist() == book.balance(day).tolist() == [-100, 105]
    assert tf.book_totals(frame, as_of=day, policy=schedule) == totals
    dd = pytest.importorskip("dask.dataframe")
    from telcare import on_dask

    parts = dd.from_pandas(frame, npartitions=2)
    assert on_dask.book_totals(parts, as_of=day, policy=schedule) == totals


def test_a_debt_is_refused_where_no_policy_in_force_allowed_one() -> None:
    """Only allow_negative keeps a debt: a plain policy that is not allow_negative still
    refuses one (and says a schedule can be passed); a schedule refuses one when none of
    its policies in force by the last posting (or a rule's as_of) allowed it."""
    schedule = tc.PolicySchedule({D(2009, 12, 1): tc.default_policy(), D(2010, 6, 1): NEGATIVE})
    book = in_debt(schedule, D(2010, 7, 1))
    columns = tc.book_to_columns(book)
    with pytest.raises(tc.InvalidInput) as plain:
        tc.book_from_columns(columns, policy=tc.default_policy())
    assert str(plain.value) == (
        "debt holds 100 at row 0, but points.reversal is 'claw_back': only 'allow_negative' "
        "keeps a debt (a book posted under a PolicySchedule that allowed one reads back with "
        "policy=schedule)"
    )
    assert tc.book_from_columns(columns, policy=NEGATIVE).balance(D(2010, 7, 30)).tolist() == [
        -100,
        105,
    ]
    early = "no policy of the schedule in force on or before 2010-05-31 has points.reversal"
    with pytest.raises(tc.InvalidInput, match=early):
        tc.book_from_columns(columns, policy=schedule, last_posting=D(2010, 5, 31))
    with pytest.raises(tc.InvalidInput, match=early):
        tc.book_totals(as_of=D(2010, 5, 31), policy=schedule, **columns)
    with pytest.raises(tc.InvalidInput, match=early):
        tc.book_balances(as_of=D(2010, 5, 31), policy=schedule, **columns)
    never = tc.PolicySchedule({D(2009, 12, 1): tc.default_policy(), D(2010, 6, 1): PENDING})
    with pytest.raises(tc.InvalidInput, match=r"no policy of the schedule has points\.reversal"):
        tc.book_from_columns(columns, policy=never)
    # every other check still holds: a debt with an earned that breaks the identity
    with pytest.raises(tc.InvalidInput, match="earned"):
        tc.book_from_columns(columns | {"earned": np.array([5, 205])}, policy=schedule)
