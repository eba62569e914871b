"""The points book's side of points that wait (``points.pending_days``) and partial
reversals: the figures by hand (the agreement machines in ``test_book.py`` check them
against the ledger)."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest

import telcare as tc

D = date
JAN31 = D(2010, 1, 31)


def book(pending_days: int = 10, reversal: str = "claw_back") -> tc.PointsBook:
    section = {"pending_days": pending_days, "reversal": reversal}
    policy = tc.Policy.model_validate({"points": section})
    return tc.PointsBook.empty(["a", "b"], policy=policy).post(JAN31, [300, 40])


def test_pending_points_count_in_the_balance_and_liability_and_wait_for_their_day() -> None:
    waiting = book()
    before, release = D(2010, 2, 9), D(2010, 2, 10)
    assert waiting.balance(before).tolist() == [300, 40]
    assert waiting.liability(before) == 680
    assert (waiting.pending(before).tolist(), waiting.spendable(before).tolist()) == (
        [300, 40], [0, 0],
    )  # fmt: skip
    assert (waiting.pending(release).tolist(), waiting.spendable(release).tolist()) == (
        [0, 0], [300, 40],
    )  # fmt: skip


def test_a_redemption_of_pending_points_refuses_the_batch_naming_them() -> None:
    with pytest.raises(tc.InsufficientPoints, match="only 0 are available") as info:
        book().redeem(D(2010, 2, 9), [0, 1])
    assert info.value.__notes__[1] == (
        "40 more points are pending (points.pending_days); the first are released on 2010-02-10"
    )
    served = book().post(D(2010, 2, 12), [100, 0]).redeem(D(2010, 2, 12), [300, 40])
    assert served.balance(D(2010, 2, 12)).tolist() == [100, 0]
    assert served.spendable(D(2010, 2, 22)).tolist() == [100, 0]


def test_a_reversal_in_the_period_takes_its_own_pending_points_first() -> None:
    waiting = book().post(D(2010, 2, 5), [200, 0])  # released 15 Feb
    on = D(2010, 2, 12)
    partly = waiting.reverse(on, [50, 0], D(2010, 2, 5))
    assert partly.pending(on).tolist() == [150, 0]
    assert partly.spendable(on).tolist() == [300, 40]
    both = partly.reverse(on, [300, 0], JAN31)  # spendable points first, then pending
    assert (both.pending(on).tolist(), both.spendable(on).tolist()) == ([150, 0], [0, 40])


def test_pending_points_expire_with_their_lot() -> None:
    policy = tc.Policy.model_validate({"points": {"pending_days": 10, "expire_after_cycles": 0}})
    late = tc.PointsBook.empty(["a"], policy=policy).post(D(2010, 11, 25), [300])
    assert late.spendable(D(2010, 11, 30)).tolist() == [0]
    closed = late.expire(D(2010, 12, 1))
    assert (closed.pending(D(2010, 12, 5)).tolist(), closed.expired(D(2010, 12, 5)).tolist()) == (
        [0], [300],
    )  # fmt: skip


def test_the_books_dict_lists_the_pending_columns() -> None:
    data = book().to_dict()
    assert data["pending"] == [
        {"released_on": "2010-02-10", "lot": "2011-11-30", "points": [300, 40]}
    ]
    json.dumps(data)
    assert book() == book() and book() != book(pending_days=11)


def test_a_partial_reversal_by_column_takes_no_more_than_asked() -> None:
    spent = book(0).redeem(D(2010, 2, 1), [250, 0])
    s = spent.reverse(D(2010, 2, 2), [100, 10], JAN31).summary(D(2010, 2, 2))
    assert (s.balance, s.reversed, s.unrecovered, s.balanced) == (30, 60, 50, True)
    assert np.array_equal(book(0).pending(JAN31), [0, 0])
