"""programme_economics read from a points book (issue #29 item 3): on the demo's base its
figures are the old arithmetic on totals where the two should agree, and the book's
redeemed, expired and reversed points come too."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

import telcare as tc
from telcare.cli._demo import _tiers, run_demo
from telcare.cli._points import _post_bills, _redeem_and_reverse
from telcare.synthetic import generate_base

CUSTOMERS, SEED = 2_000, 4


def test_on_the_demos_base_the_book_gives_the_old_arithmetic() -> None:
    """The demo's year, rebuilt as run_demo builds it: the book after the previous cycle's
    last bill and at the year's end, read by programme_economics(book=...)."""
    policy = tc.default_policy()
    line = run_demo(CUSTOMERS, seed=SEED).sections["points"]
    base = generate_base(CUSTOMERS, seed=SEED)
    rng = np.random.default_rng(SEED + 1)
    tier, _ = _tiers(base, policy, {}, {})
    bills, issued, _, (opening_book, book), _ = _post_bills(base, tier, policy, rng)
    book = _redeem_and_reverse(book, base, tier, policy, rng, bills, issued.sum(axis=1))
    revenue = int(base.monthly_spend[:, 12:].sum())
    old = tc.programme_economics(revenue, int(issued[:, 1].sum()),
                                 int(book.balance(base.as_of).sum()), policy=policy)  # fmt: skip
    new = tc.programme_economics(revenue, book=book, as_of=base.as_of,
                                 opening=opening_book.summary(bills[12]), policy=policy)  # fmt: skip
    fields = ("revenue", "points_issued", "points_outstanding", "other_costs", "issued_value",
              "liability", "return_rate", "cost_ratio")  # fmt: skip
    assert {f: getattr(new, f) for f in fields} == {f: getattr(old, f) for f in fields}
    assert (new.points_redeemed, new.points_expired, new.points_reversed) == (
        line["redeemed"], line["expired"], line["reversed"])  # fmt: skip
    assert (
        new.return_rate * 100 == line["return_rate_pct"] and new.liability == line["liability_fen"]
    )
    assert new.points_redeemed > 0 and new.points_expired > 0 and new.points_reversed > 0
    assert old.points_redeemed is None  # the totals say nothing of what was redeemed


def test_without_an_opening_the_figures_are_the_books_whole_life() -> None:
    book = tc.PointsBook.empty(["a", "b"]).post(date(2010, 1, 31), [600, 400])
    book = book.redeem(date(2010, 6, 1), [500, 100]).reverse(
        date(2010, 7, 1), [0, 50], date(2010, 1, 31)
    )
    e = tc.programme_economics(100_000, book=book, as_of=date(2011, 12, 1), other_costs=0)
    s = book.summary(date(2011, 12, 1))
    assert (e.points_issued, e.points_redeemed, e.points_expired, e.points_reversed) == (
        s.earned, s.redeemed, s.expired, s.reversed) == (1000, 600, 350, 50)  # fmt: skip
    assert (e.points_outstanding, e.liability, e.cost_ratio) == (0, 0, 0.02)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"book": "book", "as_of": date(2011, 1, 1)}, "needs book= a PointsBook, got str"),
        ({"book": "BOOK"}, "needs as_of="),
        ({"book": "BOOK", "as_of": date(2010, 1, 1)}, "as_of 2010-01-01 is before"),
        (
            {"book": "BOOK", "as_of": date(2011, 1, 1), "opening": 5},
            "opening must be the book's summary",
        ),
        ({"book": "BOOK", "as_of": date(2011, 1, 1), "opening": "LATER"}, "not an earlier summary"),
        ({"book": "BOOK", "as_of": date(2011, 1, 1), "points_issued": 5}, "give one or the other"),
    ],
)
def test_a_book_call_is_refused_by_name(kwargs: dict[str, object], message: str) -> None:
    book = tc.PointsBook.empty(["a"]).post(date(2010, 1, 31), [600])
    later = book.post(date(2010, 12, 31), [5]).summary(date(2011, 1, 1))
    given = {k: book if v == "BOOK" else later if v == "LATER" else v for k, v in kwargs.items()}
    with pytest.raises(tc.InvalidInput, match=message):
        tc.programme_economics(100_000, **given)  # type: ignore[arg-type]


def test_the_old_call_still_takes_its_totals() -> None:
    e = tc.programme_economics(tc.yuan(1_000_000), 1_000_000, 400_000)
    assert (e.return_rate, e.cost_ratio, e.liability) == (0.02, 0.023, 800_000)
    with pytest.raises(tc.InvalidInput, match="points_issued"):
        tc.programme_economics(100)


def test_a_debt_is_not_netted_against_another_customers_points() -> None:
    negative = tc.Policy.model_validate({"points": {"reversal": "allow_negative"}})
    book = tc.PointsBook.empty(["a", "b"], policy=negative).post(date(2010, 1, 5), [100, 300])
    book = book.redeem(date(2010, 2, 1), [100, 0])
    book = book.reverse(date(2010, 3, 1), [100, 0], date(2010, 1, 5))  # 'a' owes 100
    day = date(2010, 3, 1)
    e = tc.programme_economics(10_000, book=book, as_of=day, policy=negative, other_costs=0)
    assert book.summary(day).balance == 200  # the net, which the operator does not owe
    assert (e.points_outstanding, e.liability) == (300, 600) == (300, book.liability(day))
    assert (e.points_issued, e.points_reversed, e.issued_value) == (400, 100, 800)


def _rising() -> tc.PolicySchedule:
    """2 fen a point until 30 June 2010, 3 from 1 July; other costs 0.3% of revenue, then
    0.4% (the change's ``other_costs`` replaces the mapping)."""
    return tc.PolicySchedule(
        {date(2009, 12, 1): tc.default_policy(),
         date(2010, 7, 1): {"points": {"fen_per_point": 3,
                                       "other_costs": {"operations": "0.004"}}}}
    )  # fmt: skip


def test_under_a_schedule_every_point_is_valued_at_the_price_in_force_on_as_of() -> None:
    schedule = _rising()
    book = tc.PointsBook.empty(["a"], policy=schedule).post(date(2010, 6, 28), [1000])
    june = tc.programme_economics(100_000, book=book, as_of=date(2010, 6, 30), other_costs=0)
    assert (june.issued_value, june.liability, june.return_rate) == (2000, 2000, 0.02)
    for later in (book, book.expire(date(2010, 7, 2)), book.post(date(2010, 8, 31), [0])):
        e = tc.programme_economics(100_000, book=later, as_of=date(2010, 11, 30), other_costs=0)
        assert (e.issued_value, e.liability, e.return_rate) == (3000, 3000, 0.03)
        assert e.liability == later.liability(date(2010, 11, 30))


def test_a_schedule_as_policy_gives_the_policy_in_force_on_as_of() -> None:
    schedule = _rising()
    book = tc.PointsBook.empty(["a"], policy=schedule).post(date(2010, 6, 28), [1000])
    june = tc.programme_economics(100_000, book=book, as_of=date(2010, 6, 30), policy=schedule)
    autumn = tc.programme_economics(100_000, book=book, as_of=date(2010, 11, 30), policy=schedule)
    assert (june.other_costs, autumn.other_costs) == (300, 400)  # 0.3%, then 0.4%
    totals = tc.programme_economics(100_000, 1000, 400, as_of=date(2010, 11, 30), policy=schedule)
    assert (totals.issued_value, totals.liability, totals.other_costs) == (3000, 1200, 400)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "was given PolicySchedule.* but no as_of="),
        ({"as_of": date(2009, 11, 30)}, "as_of.* 2009-11-30 is before the schedule's first date"),
        ({"as_of": "2010-11-30"}, "as_of.*'2010-11-30'"),
    ],
)
def test_a_schedule_without_a_good_as_of_is_refused_by_name(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(tc.InvalidInput, match=message):
        tc.programme_economics(100_000, 1000, 400, policy=_rising(), **kwargs)  # type: ignore[arg-type]


def test_without_a_book_as_of_is_still_read() -> None:
    with pytest.raises(tc.InvalidInput, match="as_of"):
        tc.programme_economics(100_000, 1000, 400, as_of="2010-11-30")
