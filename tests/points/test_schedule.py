"""Points under a PolicySchedule: a bill earns under the policy in force on its month's
last day; a ledger and a book post each posting under the policy in force on its own
day, so a cycle that straddles a change keeps each posting's lot, pending period and
reversal rule as they were when it was made."""

from __future__ import annotations

import copy
import json
import pickle
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings, strategies as st

import telcare as tc
from telcare import strategies as tcs

D = date
CUSTOMER = tc.Customer("c", D(2008, 5, 15), 0)


def with_points(**points: object) -> tc.Policy:
    return tc.Policy.model_validate({"points": points})


# ---------------------------------------------------------------- a bill's month


RATE_CHANGE = tc.PolicySchedule(
    {D(2010, 1, 1): with_points(), D(2010, 3, 15): with_points(per_yuan=2)}
)


@pytest.mark.parametrize(
    ("month", "total"),
    [
        (D(2010, 2, 1), 102),  # February: wholly under the first policy
        (D(2010, 3, 1), 202),  # March: its last day is after the change on the 15th
        (D(2010, 3, 14), 202),  # any day of the month names the month
        (D(2010, 4, 30), 202),
    ],
)
def test_a_bill_earns_under_the_policy_in_force_on_its_months_last_day(
    month: date, total: int
) -> None:
    assert tc.points_for_bill(CUSTOMER, month, tc.yuan(100), policy=RATE_CHANGE).total == total
    batch = tc.points_for_bills([10_000], [0], [True], [0], [0], policy=RATE_CHANGE, month=month)
    assert batch.tolist() == [total]


def test_a_change_on_the_first_of_a_month_applies_to_that_months_bill_and_not_the_one_before() -> (
    None
):
    schedule = tc.PolicySchedule(
        {D(2010, 1, 1): with_points(), D(2010, 3, 1): with_points(per_yuan=2)}
    )
    totals = [
        tc.points_for_bill(CUSTOMER, D(2010, m, 1), tc.yuan(100), policy=schedule).total
        for m in (2, 3)
    ]
    assert totals == [102, 202]


def test_a_schedule_without_a_month_or_before_its_first_day_is_refused_by_name() -> None:
    with pytest.raises(tc.InvalidInput, match=r"points_for_bills\(\) was given .* no month="):
        tc.points_for_bills([10_000], [0], [True], [0], [0], policy=RATE_CHANGE)
    with pytest.raises(tc.InvalidInput, match="the last day of month 2009-12-31 is before"):
        tc.points_for_bill(CUSTOMER, D(2009, 12, 1), 100, policy=RATE_CHANGE)
    with pytest.raises(tc.InvalidInput, match="month"):
        tc.points_for_bills([1], [0], [True], [0], [0], month="2010-03")  # type: ignore[arg-type]


# ---------------------------------------------------------------- a ledger and a book


def scheduled(*changes: tuple[date, dict[str, object]]) -> tc.PolicySchedule:
    return tc.PolicySchedule([(day, {"points": points}) for day, points in changes])


#: Cycle 2010 (1 Dec 2009 - 30 Nov 2010) straddles a change on 1 Jun 2010.
LONGER = scheduled((D(2009, 1, 1), {}), (D(2010, 6, 1), {"expire_after_cycles": 2}))
WAITING = scheduled((D(2009, 1, 1), {"pending_days": 30}), (D(2010, 6, 1), {"pending_days": 5}))


def test_a_cycle_straddling_a_change_of_expiry_keeps_each_postings_lot() -> None:
    ledger = tc.PointsLedger.empty("c1", policy=LONGER)
    ledger = ledger.accrue("b1", D(2010, 5, 31), 100, "consumption")
    ledger = ledger.accrue("b2", D(2010, 6, 1), 40, "consumption")
    assert [(lot.expires_on, lot.points) for lot in ledger.lots(D(2010, 6, 1))] == [
        (D(2011, 11, 30), 100),  # earned under expire_after_cycles = 1
        (D(2012, 11, 30), 40),  # earned under 2
    ]
    assert ledger.balance(D(2011, 12, 1)) == 40
    assert ledger.expiry_for(D(2010, 5, 31)) == D(2011, 11, 30)
    assert ledger.expiry_for(D(2010, 6, 1)) == D(2012, 11, 30)
    book = tc.PointsBook.empty(["c1"], policy=LONGER)
    book = book.post(D(2010, 5, 31), [100]).post(D(2010, 6, 1), [40])
    assert book.lots_of("c1", D(2010, 6, 1)) == ledger.lots(D(2010, 6, 1))
    assert book.balance(D(2011, 12, 1)).tolist() == [40]


def test_a_reversal_after_the_change_takes_from_the_lot_its_accrual_was_earned_in() -> None:
    ledger = tc.PointsLedger.empty("c1", policy=LONGER).accrue("b1", D(2010, 5, 31), 100, "data")
    ledger = ledger.accrue("b2", D(2010, 6, 2), 40, "data").reverse("b1", D(2010, 7, 1))
    assert [(lot.expires_on, lot.points) for lot in ledger.lots(D(2010, 7, 1))] == [
        (D(2012, 11, 30), 40)
    ]
    book = tc.PointsBook.empty(["c1"], policy=LONGER).post(D(2010, 5, 31), [100])
    book = book.post(D(2010, 6, 2), [40]).reverse(D(2010, 7, 1), [100], D(2010, 5, 31))
    assert book.lots_of("c1", D(2010, 7, 1)) == ledger.lots(D(2010, 7, 1))


def test_a_change_of_pending_days_mid_cycle_keeps_each_accruals_wait() -> None:
    ledger = tc.PointsLedger.empty("c1", policy=WAITING)
    ledger = ledger.accrue("b1", D(2010, 5, 20), 100, "consumption")  # waits 30 days
    ledger = ledger.accrue("b2", D(2010, 6, 2), 40, "consumption")  # waits 5
    book = tc.PointsBook.empty(["c1"], policy=WAITING)
    book = book.post(D(2010, 5, 20), [100]).post(D(2010, 6, 2), [40])
    for day, spendable in [(D(2010, 6, 6), 0), (D(2010, 6, 7), 40), (D(2010, 6, 19), 140)]:
        assert ledger.spendable(day) == spendable
        assert book.spendable(day).tolist() == [spendable]
    with pytest.raises(tc.InsufficientPoints) as refused:
        ledger.redeem("r1", D(2010, 6, 10), 41)
    # b1's 100 points are held, under b1's wait (this once asserted the day's 5)
    assert refused.value.__notes__ == [
        "100 more points are pending (points.pending_days = 30); the first are released on "
        "2010-06-19"
    ]


def test_the_pending_note_names_the_waits_of_the_accruals_that_hold_points_back() -> None:
    """Under a schedule each held accrual's points wait its own day's pending_days: the
    note names those waits, for a redemption and a transfer alike, and only those."""
    ledger = tc.PointsLedger.empty("c1", policy=WAITING)
    ledger = ledger.accrue("b1", D(2010, 5, 20), 100, "consumption")  # waits 30: 19 June
    ledger = ledger.accrue("b2", D(2010, 6, 2), 40, "consumption")  # waits 5: 7 June
    with pytest.raises(tc.InsufficientPoints) as both:
        ledger.redeem("r1", D(2010, 6, 5), 1)
    assert both.value.__notes__[-1] == (
        "140 more points are pending (points.pending_days = 5 and 30); the first are "
        "released on 2010-06-07"
    )
    ledger = ledger.accrue("b3", D(2010, 6, 14), 10, "consumption")  # waits 5: 19 June too
    with pytest.raises(tc.InsufficientPoints) as one_day:
        ledger.transfer("t1", D(2010, 6, 15), 41, tc.PointsLedger.empty("c2"))
    assert one_day.value.__notes__[-1] == (
        "110 more points are pending (points.pending_days = 5 and 30); the first are "
        "released on 2010-06-19"
    )
    gone = ledger.reverse("b3", D(2010, 6, 15))  # b3's own pending points go first
    with pytest.raises(tc.InsufficientPoints) as left:
        gone.redeem("r2", D(2010, 6, 15), 41)
    assert left.value.__notes__[-1].startswith(
        "100 more points are pending (points.pending_days = 30);"
    )


#: Every 15 days from 1 Dec 2009 for four years, a wait of 30, 0 or 7 days in turn.
THREE_WAITS = scheduled(
    *((D(2009, 12, 1) + timedelta(days=15 * i), {"pending_days": (30, 0, 7)[i % 3]})
      for i in range(100))
)  # fmt: skip


@given(tcs.ledgers(policy=THREE_WAITS, max_postings=12), st.integers(0, 40))
def test_a_refusal_for_pending_points_names_only_waits_that_hold_points(
    ledger: tc.PointsLedger, later: int
) -> None:
    last = ledger.history()[-1].posting.on if len(ledger) else D(2009, 12, 1)
    day = last + timedelta(days=later)
    if not ledger.pending(day):
        return
    with pytest.raises(tc.InsufficientPoints) as refused:
        ledger.redeem("r-more", day, ledger.spendable(day) + 1)
    note = refused.value.__notes__[-1]
    named = note.split("points.pending_days = ")[1].split(")")[0].split(" and ")
    assert set(named) <= {"7", "30"} and named  # never the 0 in force on some days
    for wait in map(int, named):  # an accrual under that wait still holds points back
        assert any(
            e.posting.kind == "accrue"
            and THREE_WAITS.policy_on(e.posting.on).points.pending_days == wait
            and e.posting.on + timedelta(days=wait) > day
            for e in ledger.history()
        )
    assert note.startswith(f"{ledger.pending(day):,} more points are pending")


def test_two_days_accruals_released_on_one_day_stay_in_their_lots() -> None:
    """30 days from 25 Nov and 20 from 5 Dec are both 25 Dec, in two cycles' lots."""
    schedule = scheduled(
        (D(2009, 1, 1), {"pending_days": 30}), (D(2010, 12, 1), {"pending_days": 20})
    )
    ledger = tc.PointsLedger.empty("c1", policy=schedule)
    ledger = ledger.accrue("b1", D(2010, 11, 25), 100, "consumption")
    ledger = ledger.accrue("b2", D(2010, 12, 5), 40, "consumption")
    book = tc.PointsBook.empty(["c1"], policy=schedule)
    book = book.post(D(2010, 11, 25), [100]).post(D(2010, 12, 5), [40])
    for day in (D(2010, 12, 24), D(2010, 12, 25), D(2011, 12, 1)):
        assert (ledger.pending(day), ledger.spendable(day)) == (
            book.pending(day).item(), book.spendable(day).item(),
        )  # fmt: skip
    assert ledger.pending(D(2010, 12, 24)) == 140
    assert ledger.reverse("b1", D(2010, 12, 6)).pending(D(2010, 12, 24)) == 40


def test_a_reversal_follows_the_mode_in_force_on_its_own_day() -> None:
    schedule = scheduled((D(2009, 1, 1), {"reversal": "refuse"}), (D(2010, 6, 1), {}))
    ledger = tc.PointsLedger.empty("c1", policy=schedule).accrue("b1", D(2010, 5, 1), 100, "data")
    ledger, _ = ledger.redeem("r1", D(2010, 5, 2), 80)
    with pytest.raises(tc.InsufficientPoints):
        ledger.reverse("b1", D(2010, 5, 31))  # refuse, in force until 31 May
    clawed = ledger.reverse("b1", D(2010, 6, 1))  # claw_back from 1 Jun
    assert clawed.summary(D(2010, 6, 1)).unrecovered == 80
    assert (ledger.reversal_mode, clawed.reversal_mode) == ("refuse", "claw_back")


def test_a_redemption_and_the_liability_are_valued_at_the_rate_of_their_day() -> None:
    schedule = scheduled((D(2009, 1, 1), {}), (D(2010, 6, 1), {"fen_per_point": 3}))
    ledger = tc.PointsLedger.empty("c1", policy=schedule).accrue("b1", D(2010, 5, 1), 100, "data")
    assert ledger.redeem("r1", D(2010, 5, 31), 10)[1].value == 20
    assert ledger.redeem("r1", D(2010, 6, 1), 10)[1].value == 30
    book = tc.PointsBook.empty(["c1"], policy=schedule).post(D(2010, 5, 1), [100])
    assert (book.liability(D(2010, 5, 31)), book.liability(D(2010, 6, 1))) == (200, 300)
    assert (book.fen_per_point, book.post(D(2010, 6, 1), [0]).fen_per_point) == (2, 3)


def test_an_aware_datetime_is_read_in_the_zone_of_the_policy_in_force() -> None:
    utc_then_shanghai = tc.PolicySchedule(
        {D(2009, 1, 1): tc.Policy(timezone="UTC"), D(2010, 7, 1): tc.Policy()}
    )
    late = datetime(2010, 6, 30, 20, 0, tzinfo=UTC)  # 30 Jun in UTC, 1 Jul in Shanghai
    later = datetime(2010, 7, 1, 20, 0, tzinfo=UTC)  # 2 Jul in Shanghai
    ledger = tc.PointsLedger.empty("c1", policy=utc_then_shanghai).accrue("b1", late, 5, "data")
    ledger = ledger.accrue("b2", later, 5, "data")
    assert [p.on for p in (ledger.posting("b1"), ledger.posting("b2"))] == [
        D(2010, 6, 30),
        D(2010, 7, 2),
    ]
    book = tc.PointsBook.empty(["c1"], policy=utc_then_shanghai).post(late, [5])
    assert book.post(later, [5]).summary_of("c1", later) == ledger.summary(later)
    with pytest.raises(tc.InvalidInput, match=r"naive|aware"):
        ledger.balance(datetime(2010, 7, 3))


def _zone_move(zone: str) -> tc.PolicySchedule:
    moved = tc.Policy.model_validate({"timezone": zone, "points": {"expire_after_cycles": 2}})
    return tc.PolicySchedule({D(2010, 1, 1): tc.Policy(timezone="UTC"), D(2010, 7, 1): moved})


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Shanghai"])
@pytest.mark.parametrize("hour", range(-30, 31, 2))
def test_a_posting_at_an_instant_follows_the_policy_index_on_gives_across_a_zone_move(
    zone: str, hour: int
) -> None:
    """A move west put the hours after the change, still 30 Jun in the new zone, under the
    new policy by index_on but under the old one in the ledger (the review's defect)."""
    schedule = _zone_move(zone)
    instant = datetime(2010, 7, 1, tzinfo=UTC) + timedelta(hours=hour)
    ledger = tc.PointsLedger.empty("c1", policy=schedule).accrue("b1", instant, 100, "data")
    on = ledger.posting("b1").on
    assert schedule.policy_on(on) is schedule.policy_on(instant)
    cycles = schedule.policy_on(instant).points.expire_after_cycles
    expected = tc.Lot(expires_on=D(2010 + cycles, 11, 30), points=100)
    assert ledger.lots(D(2010, 7, 3)) == (expected,)
    book = tc.PointsBook.empty(["c1"], policy=schedule).post(instant, [100])
    assert book.lots_of("c1", D(2010, 7, 3)) == (expected,)
    again = tc.PointsLedger.empty("c1", policy=schedule).replay(ledger.history())
    assert tc.PointsLedger.from_dict(ledger.to_dict()) == again == ledger


def test_the_hours_a_move_west_gives_the_new_policy_early_are_its_first_day() -> None:
    schedule = _zone_move("America/New_York")
    ledger = tc.PointsLedger.empty("c1", policy=schedule)
    for n, (day, hour) in enumerate([(30, 23), (1, 2), (1, 3), (1, 4), (1, 20)]):
        instant = datetime(2010, 6 + (day == 1), day, hour, tzinfo=UTC)
        ledger = ledger.accrue(f"b{n}", instant, 1, "data")
    days = [ledger.posting(f"b{n}").on for n in range(5)]
    # 23:00 UTC is the old policy's 30 Jun; from midnight UTC (20:00 in New York on 30 Jun)
    # to midnight in New York is the new policy's 1 Jul, then 1 Jul runs on in New York
    assert days == [D(2010, 6, 30), D(2010, 7, 1), D(2010, 7, 1), D(2010, 7, 1), D(2010, 7, 1)]


def test_a_posting_before_the_schedules_first_day_is_refused_by_name() -> None:
    with pytest.raises(tc.InvalidInput, match="on 2008-12-31 is before the schedule's first date"):
        tc.PointsLedger.empty("c1", policy=LONGER).accrue("b1", D(2008, 12, 31), 1, "data")
    with pytest.raises(tc.InvalidInput, match="on 2008-12-31 is before the schedule's first date"):
        tc.PointsBook.empty(["c1"], policy=LONGER).post(D(2008, 12, 31), [1])
    assert tc.PointsLedger.empty("c1", policy=LONGER).balance(D(2008, 12, 31)) == 0


def _scheduled_ledger() -> tc.PointsLedger:
    ledger = tc.PointsLedger.empty("c1", policy=WAITING).accrue("b1", D(2010, 5, 20), 100, "data")
    ledger = ledger.accrue("b2", D(2010, 6, 2), 40, "data")
    ledger, _ = ledger.redeem("r1", D(2010, 7, 1), 120)
    return ledger.reverse("b2", D(2010, 7, 2))


def test_a_ledger_under_a_schedule_keeps_it_through_dict_json_replay_and_pickle() -> None:
    ledger = _scheduled_ledger()
    data = ledger.to_dict()
    assert data["schedule"] == WAITING.to_dict()
    assert json.loads(json.dumps(data)) == data
    for back in (
        tc.PointsLedger.from_dict(data),
        tc.PointsLedger.from_json(ledger.to_json()),
        tc.PointsLedger.empty("c1", policy=WAITING).replay(ledger.history()),
        pickle.loads(pickle.dumps(ledger)),
        copy.deepcopy(ledger),
    ):
        assert back == ledger and back.schedule == WAITING
        assert back.spendable(D(2010, 7, 2)) == ledger.spendable(D(2010, 7, 2))
    assert ledger != tc.PointsLedger.empty("c1", policy=WAITING.policies[0]).replay(
        ledger.history()[:0]
    )


def test_restoring_a_scheduled_ledger_at_any_step_and_going_on_is_as_if_never_stopped() -> None:
    ledger = _scheduled_ledger()
    history = ledger.history()
    for k in range(len(history) + 1):
        restored = tc.PointsLedger.from_dict(
            tc.PointsLedger.empty("c1", policy=WAITING).replay(history[:k]).to_dict()
        )
        assert restored.replay(history[k:]) == ledger


def test_a_dict_without_a_schedule_still_loads_and_a_changed_schedule_is_refused() -> None:
    plain = tc.PointsLedger.empty("c1").accrue("b1", D(2010, 5, 20), 100, "data")
    assert "schedule" not in plain.to_dict()
    assert tc.PointsLedger.from_dict(plain.to_dict()) == plain
    data = _scheduled_ledger().to_dict()
    data["pending_days"] = 7
    with pytest.raises(tc.InvalidInput, match="pending_days is recorded as 7, but the schedule"):
        tc.PointsLedger.from_dict(data)
    data = _scheduled_ledger().to_dict()
    data["schedule"] = LONGER.to_dict()  # the first policy's settings differ
    with pytest.raises(tc.InvalidInput, match="pending_days is recorded as 30"):
        tc.PointsLedger.from_dict(data)
    data["schedule"] = {"schedule": "no"}
    with pytest.raises(tc.InvalidInput, match=r"^schedule: "):
        tc.PointsLedger.from_dict(data)


def test_a_book_under_a_schedule_writes_it_and_compares_it() -> None:
    book = tc.PointsBook.empty(["c1"], policy=WAITING).post(D(2010, 5, 20), [100])
    assert book.to_dict()["schedule"] == WAITING.to_dict()
    assert json.loads(json.dumps(book.to_dict())) == book.to_dict()
    assert book.schedule == WAITING and tc.PointsBook.empty(["c1"]).schedule is None
    assert pickle.loads(pickle.dumps(book)) == book
    assert book != tc.PointsBook.empty(["c1"], policy=WAITING.policies[0]).post(
        D(2010, 5, 20), [100]
    )


# ---------------------------------------------------------------- drawn schedules

SCHEDULES = st.one_of(
    tcs.schedules(start=D(2009, 12, 1), max_gap_days=300),
    st.sampled_from([LONGER, WAITING, scheduled(
        (D(2009, 1, 1), {"reversal": "allow_negative", "pending_days": 20}),
        (D(2010, 4, 1), {"reversal": "refuse", "pending_days": 3, "expire_after_cycles": 0}),
        (D(2011, 1, 1), {"expire_after_cycles": 2}),
    )]),
)  # fmt: skip


@settings(max_examples=30)
@given(SCHEDULES.flatmap(lambda s: tcs.ledgers(policy=s, max_postings=20)))
def test_a_scheduled_ledger_restored_at_any_step_goes_on_as_if_never_stopped(
    ledger: tc.PointsLedger,
) -> None:
    assert ledger.schedule is not None
    history = ledger.history()
    empty = tc.PointsLedger.empty(ledger.customer_id, policy=ledger.schedule)
    assert tc.PointsLedger.from_dict(ledger.to_dict()) == ledger
    for k in range(len(history) + 1):
        restored = tc.PointsLedger.from_json(empty.replay(history[:k]).to_json())
        assert restored.replay(history[k:]) == ledger
        assert pickle.loads(pickle.dumps(restored)) == restored
