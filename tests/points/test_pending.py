"""Points that wait (``points.pending_days``), partial reversals and aware days in the
ledger (#29 item 4); the book's side of each is in ``test_book_pending.py``."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

import telcare as tc

D = date
JAN31 = D(2010, 1, 31)


def policy(pending_days: int = 10, reversal: str = "claw_back", **points: Any) -> tc.Policy:
    section = {"pending_days": pending_days, "reversal": reversal, **points}
    return tc.Policy.model_validate({"points": section})


def waiting(**kwargs: Any) -> tc.PointsLedger:
    """300 points accrued on 31 Jan 2010, pending 10 days (released on 10 Feb)."""
    ledger = tc.PointsLedger.empty("c1", policy=policy(**kwargs))
    return ledger.accrue("b1", JAN31, 300, "consumption")


# ---- points that wait


def test_the_default_policy_has_no_pending_period() -> None:
    assert tc.default_policy().points.pending_days == 0
    ledger = tc.PointsLedger.empty("c1").accrue("b1", JAN31, 300, "consumption")
    assert (ledger.pending(JAN31), ledger.spendable(JAN31)) == (0, 300)


def test_pending_points_are_released_at_the_start_of_the_day_the_period_ends() -> None:
    ledger = waiting()
    day_before, release = D(2010, 2, 9), D(2010, 2, 10)
    assert (ledger.balance(day_before), ledger.pending(day_before)) == (300, 300)
    assert ledger.spendable(day_before) == 0
    assert (ledger.pending(release), ledger.spendable(release)) == (0, 300)
    assert ledger.redeem("r", release, 300)[0].balance(release) == 0


def test_pending_points_cannot_be_redeemed_and_the_refusal_names_them_and_the_release() -> None:
    ledger = waiting().accrue("b0", D(2010, 2, 12), 50, "bonus")
    with pytest.raises(tc.InsufficientPoints) as info:
        ledger.redeem("r", D(2010, 2, 12), 301)
    error = info.value
    assert (error.requested, error.available) == (301, 300)
    assert error.__notes__ == [
        "50 more points are pending (points.pending_days = 10); the first are released on "
        "2010-02-22"
    ]
    with pytest.raises(tc.InsufficientPoints, match="only 0 are available") as info:
        waiting().redeem("r", D(2010, 2, 1), 1)
    assert "300 more points are pending" in info.value.__notes__[0]
    assert "released on 2010-02-10" in info.value.__notes__[0]


def test_pending_points_cannot_be_transferred_and_what_arrives_is_spendable_at_once() -> None:
    receiver = tc.PointsLedger.empty("c2", policy=policy())
    with pytest.raises(tc.InsufficientPoints, match="only 0 are available"):
        waiting().transfer("t", D(2010, 2, 9), 10, receiver)
    sender, receiver = waiting().transfer("t", D(2010, 2, 10), 120, receiver)
    assert (receiver.pending(D(2010, 2, 10)), receiver.spendable(D(2010, 2, 10))) == (0, 120)
    assert sender.spendable(D(2010, 2, 10)) == 180


def test_a_redemption_spends_around_the_pending_points_of_a_lot() -> None:
    ledger = waiting().accrue("b2", D(2010, 2, 20), 200, "consumption")  # same lot, pending
    ledger, receipt = ledger.redeem("r", D(2010, 2, 21), 300)
    assert receipt.lots == (tc.Lot(D(2011, 11, 30), 300),)
    assert (ledger.balance(D(2010, 2, 21)), ledger.pending(D(2010, 2, 21))) == (200, 200)
    assert ledger.spendable(D(2010, 3, 2)) == 200


def test_pending_points_expire_with_their_lot_if_its_cycle_ends_first() -> None:
    ledger = tc.PointsLedger.empty("c1", policy=policy(expire_after_cycles=0))
    ledger = ledger.accrue("b1", D(2010, 11, 25), 300, "consumption")  # lot ends 30 Nov
    assert (ledger.balance(D(2010, 11, 30)), ledger.spendable(D(2010, 11, 30))) == (300, 0)
    s = ledger.summary(D(2010, 12, 1))
    assert (s.balance, s.expired, ledger.pending(D(2010, 12, 1))) == (0, 300, 0)
    assert ledger.spendable(D(2010, 12, 5)) == 0  # never released: gone with the lot


def test_a_reversal_inside_the_period_takes_the_accruals_own_pending_points_first() -> None:
    ledger = waiting().accrue("b2", D(2010, 2, 5), 200, "consumption")  # released 15 Feb
    on = D(2010, 2, 12)  # b1 released, b2 still pending
    partly = ledger.reverse("b2", on, points=50)
    assert (partly.pending(on), partly.spendable(on), partly.balance(on)) == (150, 300, 450)
    # reversing b1 (released) takes the lot's spendable points before b2's pending ones
    both = partly.reverse("b1", on)
    assert (both.pending(on), both.spendable(on), both.balance(on)) == (150, 0, 150)
    assert both.summary(on).balanced


def test_a_reversal_may_take_other_pending_points_when_the_spendable_ones_are_spent() -> None:
    ledger = waiting()
    ledger, _ = ledger.redeem("r", D(2010, 2, 10), 280)
    ledger = ledger.accrue("b2", D(2010, 2, 11), 100, "consumption")  # pending to 21 Feb
    on = D(2010, 2, 12)
    back = ledger.reverse("b1", on)  # 20 spendable, then 100 pending, 180 unrecovered
    s = back.summary(on)
    assert (s.balance, back.pending(on), s.unrecovered, s.reversed) == (0, 0, 180, 120)


def test_a_pending_accrual_pays_a_debt_off_at_once_and_only_the_rest_waits() -> None:
    ledger = waiting(reversal="allow_negative")
    ledger, _ = ledger.redeem("r", D(2010, 2, 10), 300)
    ledger = ledger.reverse("b1", D(2010, 2, 11))  # debt 300
    ledger = ledger.accrue("b2", D(2010, 2, 12), 400, "consumption")
    on = D(2010, 2, 12)
    assert (ledger.balance(on), ledger.pending(on), ledger.spendable(on)) == (100, 100, 0)
    assert ledger.spendable(D(2010, 2, 22)) == 100


def test_pending_days_is_bounded_and_named() -> None:
    with pytest.raises(tc.InvalidInput, match=r"PointsLedger\.pending_days must be <= 3660"):
        tc.PointsLedger("c1", pending_days=3661)
    with pytest.raises(Exception, match="pending_days"):
        policy(pending_days=-1)


# ---- partial reversal


def test_a_partial_reversal_undoes_part_of_an_accrual_and_a_retry_undoes_nothing_more() -> None:
    ledger = tc.PointsLedger.empty("c1").accrue("b1", JAN31, 300, "consumption")
    once = ledger.reverse("b1", D(2010, 2, 1), points=100)
    assert once.balance(D(2010, 2, 1)) == 200
    assert once.reverse("b1", D(2010, 2, 1), points=100) == once  # a retried call
    assert once.posting("b1#reversal").points == 100
    with pytest.raises(tc.DuplicatePosting, match="b1#reversal"):
        once.reverse("b1", D(2010, 2, 1), points=60)  # another reversal needs its own name
    with pytest.raises(tc.DuplicatePosting, match="b1#reversal"):
        once.reverse("b1", D(2010, 2, 1))  # the rest, under the name the first one took
    twice = once.reverse("b1", D(2010, 2, 2), points=150, adjustment="cn-2")
    assert twice.reverse("b1", D(2010, 2, 2), points=150, adjustment="cn-2") == twice
    with pytest.raises(tc.InvalidInput, match="points: 60 is more than the 50 points of 'b1'"):
        twice.reverse("b1", D(2010, 2, 3), points=60, adjustment="cn-3")
    rest = twice.reverse("b1", D(2010, 2, 3), adjustment="cn-3")
    assert rest.posting("cn-3").points == 50
    assert rest.reverse("b1", D(2010, 2, 3), adjustment="cn-3") == rest  # the rest, retried
    with pytest.raises(tc.InvalidInput, match="'b1' is already wholly reversed"):
        rest.reverse("b1", D(2010, 2, 4), adjustment="cn-4")
    s = rest.summary(D(2010, 2, 3))
    assert (s.balance, s.reversed, s.balanced) == (0, 300, True)


def test_a_whole_reversal_is_one_posting_as_before() -> None:
    ledger = tc.PointsLedger.empty("c1").accrue("b1", JAN31, 300, "consumption")
    whole = ledger.reverse("b1", D(2010, 2, 1))
    assert whole.reverse("b1", D(2010, 2, 1), points=300) == whole
    assert whole.posting("b1#reversal").points == 300
    with pytest.raises(tc.DuplicatePosting):
        whole.reverse("b1", D(2010, 2, 2))  # reversed before, on another day


@pytest.mark.parametrize(
    ("mode", "balance", "unrecovered"),
    [("claw_back", 0, 50), ("allow_negative", -50, 0)],
)
def test_a_partial_reversal_of_spent_points_follows_the_policy(
    mode: str, balance: int, unrecovered: int
) -> None:
    ledger = tc.PointsLedger.empty("c1", policy=policy(0, mode))
    ledger = ledger.accrue("b1", JAN31, 300, "consumption")
    ledger, _ = ledger.redeem("r", D(2010, 2, 1), 250)
    s = ledger.reverse("b1", D(2010, 2, 2), points=100).summary(D(2010, 2, 2))
    assert (s.balance, s.unrecovered, s.balanced) == (balance, unrecovered, True)


def test_a_refused_partial_reversal_changes_nothing() -> None:
    ledger = tc.PointsLedger.empty("c1", policy=policy(0, "refuse"))
    ledger = ledger.accrue("b1", JAN31, 300, "consumption")
    ledger, _ = ledger.redeem("r", D(2010, 2, 1), 250)
    assert ledger.reverse("b1", D(2010, 2, 2), points=50).balance(D(2010, 2, 2)) == 0
    with pytest.raises(tc.InsufficientPoints, match="asked for 51 points but only 50"):
        ledger.reverse("b1", D(2010, 2, 2), points=51)


def test_a_partial_reversal_of_a_redemption_gives_back_the_last_points_taken_first() -> None:
    ledger = tc.PointsLedger.empty("c1").accrue("b1", JAN31, 100, "consumption")
    ledger = ledger.accrue("b2", D(2010, 12, 31), 100, "consumption")
    ledger, _ = ledger.redeem("r", D(2011, 1, 5), 150)  # 100 of 2011's lot, 50 of 2012's
    day = D(2011, 1, 6)
    one = ledger.reverse("r", day, points=60)
    assert one.posting("r#reversal").lots == ((D(2011, 11, 30), 10), (D(2012, 11, 30), 50))
    two = one.reverse("r", day, points=90, adjustment="refund-2")
    assert two.posting("refund-2").lots == ((D(2011, 11, 30), 90),)
    assert two.lots(day) == ledger.reverse("r", day).lots(day)
    assert two.summary(day).redeemed == 0


@pytest.mark.parametrize("points", [0, -1, 1.5, True, "5", 10**16])
def test_partial_points_are_checked_and_named(points: Any) -> None:
    ledger = tc.PointsLedger.empty("c1").accrue("b1", JAN31, 300, "consumption")
    with pytest.raises(tc.InvalidInput, match=r"^points "):
        ledger.reverse("b1", D(2010, 2, 1), points=points)
    with pytest.raises(tc.InvalidInput, match=r"^adjustment must not be empty"):
        ledger.reverse("b1", D(2010, 2, 1), adjustment="")


# ---- aware days, as the book reads them


def test_an_aware_datetime_is_its_day_in_the_policys_zone_as_in_the_book() -> None:
    late = datetime(2010, 11, 30, 17, 0, tzinfo=UTC)  # 1 Dec in Shanghai: cycle 2011
    ledger = tc.PointsLedger.empty("c1").accrue("b1", late, 10, "consumption")
    book = tc.PointsBook.empty(["c1"]).post(late, [10])
    assert ledger.posting("b1").on == D(2010, 12, 1)
    assert ledger.lots(late) == book.lots_of("c1", late) == (tc.Lot(D(2012, 11, 30), 10),)
    assert ledger.expiry_for(late) == book.expiry_for(late) == D(2012, 11, 30)
    assert ledger.summary(late).as_of == D(2010, 12, 1)
    utc = tc.PointsLedger.empty("c1", policy=tc.Policy.model_validate({"timezone": "UTC"}))
    assert utc.accrue("b1", late, 10, "consumption").posting("b1").on == D(2010, 11, 30)
    with pytest.raises(tc.InvalidInput, match=r"^on must be timezone-aware"):
        ledger.accrue("b2", datetime(2010, 12, 5, 9, 0), 1, "bonus")
    with pytest.raises(tc.InvalidInput, match=r"^as_of must be timezone-aware"):
        ledger.balance(datetime(2010, 12, 5, 9, 0))


def test_the_ledgers_time_zone_is_checked_and_kept() -> None:
    with pytest.raises(tc.InvalidInput, match="Mars/Olympus"):
        tc.PointsLedger("c1", timezone="Mars/Olympus")
    ledger = tc.PointsLedger.empty("c1", policy=tc.Policy.model_validate({"timezone": "UTC"}))
    assert tc.PointsLedger.from_dict(ledger.to_dict()).timezone == "UTC"


# ---- persistence


def test_a_ledger_with_pending_points_and_partial_reversals_round_trips() -> None:
    ledger = waiting().accrue("b2", D(2010, 2, 5), 200, "consumption")
    ledger = ledger.reverse("b2", D(2010, 2, 6), points=20)
    ledger = ledger.reverse("b2", D(2010, 2, 7), points=30, adjustment="cn-2")
    data = json.loads(ledger.to_json())
    assert (data["pending_days"], "timezone" in data) == (10, False)
    back = tc.PointsLedger.from_dict(data)
    assert back == ledger and back.pending(D(2010, 2, 7)) == ledger.pending(D(2010, 2, 7)) == 450
    assert tc.PointsLedger.empty("c1", policy=policy()).replay(ledger.history()) == ledger
    data["pending_days"] = 11
    with pytest.raises(tc.InvalidInput, match="digest"):
        tc.PointsLedger.from_dict(data)


def test_a_ledger_without_pending_points_writes_the_dict_it_wrote_before() -> None:
    ledger = tc.PointsLedger.empty("c1").accrue("b1", JAN31, 300, "consumption")
    data = ledger.to_dict()
    assert set(data) == {
        "customer_id", "expire_after_cycles", "fen_per_point", "reversal_mode", "postings",
        "digest",
    }  # fmt: skip
    assert tc.PointsLedger.from_dict(data) == ledger


def test_a_release_day_past_the_calendar_is_no_overflow() -> None:
    ledger = tc.PointsLedger("c1", pending_days=3660)
    ledger = ledger.accrue("b1", D(2999, 12, 31), 5, "bonus")
    assert (ledger.pending(D(2999, 12, 31)), ledger.spendable(D(2999, 12, 31))) == (5, 0)
    assert ledger.balance(D(2999, 12, 31) - timedelta(days=1)) == 0
