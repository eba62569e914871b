from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, strategies as st

import telcare as tc
from telcare import strategies as tcs

SH = ZoneInfo("Asia/Shanghai")
POLICY = tc.default_policy()
ID = "13800000001"
M = tc.Moment


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SH)


def person(**kw: Any) -> tc.Customer:
    return tc.Customer(
        ID, activated_on=date(2010, 10, 4), plan_fee=kw.pop("plan_fee", tc.yuan(58)), **kw
    )


def actions(
    events: list[tc.Event], as_of: date, customer: tc.Customer | None = None, **kw: Any
) -> dict[M, tc.Action]:
    found = tc.due_actions(customer or person(), events, as_of=as_of, policy=POLICY, **kw)
    return {a.moment: a for a in found}


D0 = date(2010, 10, 4)


# ------------------------------------------------------------ 1. callback


def test_callback_within_three_days_inclusive() -> None:
    ev = [tc.Activated(ID, at(D0), plan_fee=tc.yuan(58))]
    a = actions(ev, D0 + timedelta(days=3))[M.NEW_SUBSCRIBER_CALLBACK]
    assert (a.opened_on, a.due_by, a.status) == (D0, date(2010, 10, 7), "open")
    assert actions(ev, date(2010, 10, 8))[M.NEW_SUBSCRIBER_CALLBACK].status == "overdue"


@pytest.mark.parametrize(
    ("fee", "device", "days"),
    [(tc.yuan(126), None, 2), (tc.yuan(58), "iPhone", 2), (tc.yuan(125), "android", 3),
     (tc.yuan(58), "iPhone 4", 2), (tc.yuan(58), "Apple IPHONE 3GS", 2), (tc.yuan(58), "", 3)],
)  # fmt: skip
def test_fast_callback_for_big_plans_and_iphones(fee: int, device: str | None, days: int) -> None:
    ev = [tc.Activated(ID, at(D0), plan_fee=fee, device=device)]
    assert actions(ev, D0)[M.NEW_SUBSCRIBER_CALLBACK].due_by == D0 + timedelta(days=days)


def test_only_postpaid_activations_get_a_callback() -> None:
    # seed 001: "统一开展3G后付费用户新入网回访" (callbacks for postpaid subscribers)
    prepaid = [tc.Activated(ID, at(D0), plan_fee=tc.yuan(128), postpaid=False),
               tc.Verified(ID, at(D0, 15), genuine=True)]  # fmt: skip
    assert actions(prepaid, D0 + timedelta(days=1)) == {}
    with pytest.raises(tc.InvalidInput, match="postpaid must be a bool"):
        tc.Activated(ID, at(D0), plan_fee=0, postpaid="no")  # type: ignore[arg-type]


def test_a_failed_callback_is_retried_in_another_slot_within_the_window() -> None:
    # seed 001: "优先拨打用户联系电话... 应在3天内, 开展第2次-第3次回访"
    ev = [tc.Activated(ID, at(D0), plan_fee=tc.yuan(58)),
          tc.CallbackAttempt(ID, at(D0, 10), reached=False)]  # fmt: skip
    a = actions(ev, D0 + timedelta(days=1))[M.NEW_SUBSCRIBER_CALLBACK]
    assert a.reason.endswith(
        "; 1 failed time slot(s) so far (morning): retry by 2010-10-07 in another slot "
        "(afternoon, evening), calling the contact number first and the subscriber's own "
        "number only without one"
    )
    ev.append(tc.CallbackAttempt(ID, at(D0 + timedelta(days=1), 19), reached=False))
    a = actions(ev, D0 + timedelta(days=2))[M.NEW_SUBSCRIBER_CALLBACK]
    assert (
        "2 failed time slot(s) so far (morning, evening): retry by 2010-10-07 in another slot (afternoon)"
        in a.reason
    )


def test_slots_are_numbered_when_the_policy_cuts_the_day_differently() -> None:
    policy = tc.Policy(moments=tc.MomentsPolicy(callback_slots=(time(12, 0),)))
    ev = [tc.Activated(ID, at(D0), plan_fee=tc.yuan(58)),
          tc.CallbackAttempt(ID, at(D0, 10), reached=False)]  # fmt: skip
    (a,) = tc.due_actions(person(), ev, as_of=D0, policy=policy)
    assert "(slot 1): retry by 2010-10-07 in another slot (slot 2)" in a.reason


def test_a_reached_callback_closes_it() -> None:
    ev = [tc.Activated(ID, at(D0), plan_fee=tc.yuan(58)), tc.CallbackAttempt(ID, at(D0, 15), reached=False),
          tc.CallbackAttempt(ID, at(D0 + timedelta(days=1), 9), reached=True)]  # fmt: skip
    a = actions(ev, D0 + timedelta(days=5))[M.NEW_SUBSCRIBER_CALLBACK]
    assert (a.status, a.closed_on, a.outcome, a.on_time) == (
        "done",
        D0 + timedelta(days=1),
        "reached",
        True,
    )


def test_three_failures_in_three_slots_make_a_suspicious_user_and_no_tutoring() -> None:
    ev = [
        tc.Activated(ID, at(D0), plan_fee=tc.yuan(128)),
        tc.CallbackAttempt(ID, at(D0, 10), reached=False),  # morning
        tc.CallbackAttempt(ID, at(D0, 14), reached=False),  # afternoon
        tc.CallbackAttempt(ID, at(D0 + timedelta(days=1), 19), reached=False),  # evening
        tc.Verified(ID, at(D0 + timedelta(days=2)), genuine=True),
    ]
    found = actions(ev, D0 + timedelta(days=3))
    cb = found[M.NEW_SUBSCRIBER_CALLBACK]
    assert (cb.status, cb.outcome) == ("done", "suspicious")
    assert "3 different time slots" in cb.reason
    assert M.FIRST_TUTORING not in found


def test_three_failures_in_one_slot_are_not_enough() -> None:
    ev = [tc.Activated(ID, at(D0), plan_fee=tc.yuan(58))] + [
        tc.CallbackAttempt(ID, at(D0 + timedelta(days=i), 9), reached=False) for i in range(3)
    ]
    cb = actions(ev, D0 + timedelta(days=2))[M.NEW_SUBSCRIBER_CALLBACK]
    assert cb.status == "open" and cb.outcome is None
    assert "1 failed time slot(s) so far" in cb.reason


# ------------------------------------------------------------ 2. tutoring


def test_tutoring_deadline_moves_from_assignment_to_tutoring() -> None:
    base = [tc.Activated(ID, at(D0), plan_fee=tc.yuan(128)), tc.CallbackAttempt(ID, at(D0, 11), reached=True),
            tc.Verified(ID, at(D0, 11), genuine=True)]  # fmt: skip
    waiting = actions(base, D0 + timedelta(days=1))[M.FIRST_TUTORING]
    assert (waiting.due_by, waiting.status) == (D0 + timedelta(days=2), "open")
    assert actions(base, D0 + timedelta(days=3))[M.FIRST_TUTORING].status == "overdue"
    assigned = [*base, tc.ManagerAssigned(ID, at(D0 + timedelta(days=1)))]
    a = actions(assigned, D0 + timedelta(days=3))[M.FIRST_TUTORING]
    assert (a.due_by, a.status) == (D0 + timedelta(days=8), "open")
    done = [*assigned, tc.TutoringDone(ID, at(D0 + timedelta(days=6)))]
    d = actions(done, D0 + timedelta(days=9))[M.FIRST_TUTORING]
    assert (d.status, d.closed_on, d.on_time) == ("done", D0 + timedelta(days=6), True)


def test_no_tutoring_below_96_yuan_or_for_a_fake_user() -> None:
    small = [
        tc.Activated(ID, at(D0), plan_fee=tc.yuan("95.99")),
        tc.Verified(ID, at(D0), genuine=True),
    ]
    assert M.FIRST_TUTORING not in actions(small, D0)
    fake = [tc.Activated(ID, at(D0), plan_fee=tc.yuan(128)), tc.Verified(ID, at(D0), genuine=False)]
    assert M.FIRST_TUTORING not in actions(fake, D0)


def test_tutoring_before_assignment_does_not_close_it() -> None:
    ev = [tc.Activated(ID, at(D0), plan_fee=tc.yuan(128)), tc.Verified(ID, at(D0), genuine=True),
          tc.TutoringDone(ID, at(D0, 12)), tc.ManagerAssigned(ID, at(D0, 13))]  # fmt: skip
    assert actions(ev, D0)[M.FIRST_TUTORING].status == "open"


# ------------------------------------------------------------ 3-7


def test_first_bill_only_the_first() -> None:
    ev = [tc.BillIssued(ID, at(date(2010, 11, 1)), amount=tc.yuan(88)),
          tc.BillIssued(ID, at(date(2010, 12, 1)), amount=tc.yuan(99))]  # fmt: skip
    a = actions(ev, date(2010, 12, 2))[M.FIRST_BILL]
    assert (a.opened_on, a.due_by, a.status) == (date(2010, 11, 1), date(2010, 11, 4), "overdue")
    assert "¥88.00" in a.reason


def test_credit_alert_colours() -> None:
    yellow = actions([tc.UsageReading(ID, at(D0), used=12_000, allowance=15_000)], D0)[
        M.CREDIT_ALERT
    ]
    assert (yellow.outcome, yellow.due_by, yellow.channel) == (
        "yellow",
        D0 + timedelta(days=1),
        tc.Channel.SMS,
    )
    assert "80% of the ¥150.00 allowance: yellow alert, level 1 of 3 (>= 80%)" in yellow.reason
    # seed 000: a three-colour, three-level warning (三色亮灯, 三级预警)
    orange = actions([tc.UsageReading(ID, at(D0), used=13_500, allowance=15_000)], D0)[
        M.CREDIT_ALERT
    ]
    assert (orange.outcome, orange.priority) == ("orange", 2)
    assert "orange alert, level 2 of 3 (>= 90%)" in orange.reason
    assert "suspension risk" not in orange.reason
    red = actions([tc.UsageReading(ID, at(D0), used=15_000, allowance=15_000)], D0)[M.CREDIT_ALERT]
    assert (red.outcome, red.priority) == ("red", 1)
    assert "suspension risk" in red.reason
    assert M.CREDIT_ALERT not in actions(
        [tc.UsageReading(ID, at(D0), used=11_999, allowance=15_000)], D0
    )


def test_credit_alert_opens_at_the_start_of_the_current_run() -> None:
    ev = [tc.UsageReading(ID, at(D0), used=12_500, allowance=15_000),
          tc.UsageReading(ID, at(D0 + timedelta(days=1)), used=13_000, allowance=15_000),
          tc.ContactMade(ID, at(D0 + timedelta(days=1), 11), tc.Moment.CREDIT_ALERT)]  # fmt: skip
    a = actions(ev, D0 + timedelta(days=2))[M.CREDIT_ALERT]
    assert (a.opened_on, a.status) == (D0, "done")
    escalated = [
        *ev,
        tc.UsageReading(ID, at(D0 + timedelta(days=2)), used=15_500, allowance=15_000),
    ]
    b = actions(escalated, D0 + timedelta(days=2))[M.CREDIT_ALERT]
    assert (b.outcome, b.opened_on, b.status) == ("red", D0 + timedelta(days=2), "open")


def test_usage_anomaly_drop_against_the_trailing_mean() -> None:
    months = [date(2010, m, 5) for m in (6, 7, 8, 9)]
    ev = [
        tc.SpendReading(ID, at(d), month_spend=s)
        for d, s in zip(months, [30_000, 28_000, 32_000, 14_000], strict=True)
    ]
    a = actions(ev, date(2010, 9, 6))[M.USAGE_ANOMALY]
    assert a.reason.startswith("bill ¥140.00 is 53% below the 3-month mean ¥300.00")
    assert a.due_by == date(2010, 9, 8)
    ev[-1] = tc.SpendReading(ID, at(months[-1]), month_spend=15_001)
    assert M.USAGE_ANOMALY not in actions(ev, date(2010, 9, 6))


def test_usage_anomaly_on_forwarding() -> None:
    a = actions([tc.SpendReading(ID, at(D0), month_spend=30_000, forwarded_share=0.35)], D0)[
        M.USAGE_ANOMALY
    ]
    assert "35% of calls forwarded (>= 30%)" in a.reason
    assert M.USAGE_ANOMALY not in actions(
        [tc.SpendReading(ID, at(D0), month_spend=30_000, forwarded_share=0.29)], D0
    )


def test_contract_expiry_thirty_days_ahead() -> None:
    ev = [tc.ContractEnding(ID, at(date(2010, 1, 1)), ends_on=date(2010, 12, 31))]
    assert M.CONTRACT_EXPIRY not in actions(ev, date(2010, 11, 23))
    a = actions(ev, date(2010, 11, 24))[M.CONTRACT_EXPIRY]
    assert (a.opened_on, a.due_by, a.status) == (date(2010, 11, 24), date(2010, 12, 1), "open")
    renewed = [*ev, tc.ContractEnding(ID, at(date(2010, 11, 25)), ends_on=date(2011, 12, 31))]
    assert M.CONTRACT_EXPIRY not in actions(renewed, date(2010, 11, 26))


def test_cancellation_retention_next_day() -> None:
    ev = [tc.CancellationRequested(ID, at(D0, 16))]
    a = actions(ev, D0)[M.CANCELLATION_REQUEST]
    assert (a.due_by, a.priority, a.status) == (D0 + timedelta(days=1), 1, "open")
    handled = [
        *ev,
        tc.ContactMade(ID, at(D0 + timedelta(days=1), 9), tc.Moment.CANCELLATION_REQUEST),
    ]
    assert actions(handled, D0 + timedelta(days=1))[M.CANCELLATION_REQUEST].status == "done"


# ------------------------------------------------------------ care moments


def test_birthday_care_on_the_day_leap_days_included() -> None:
    c = person(birthday=date(1980, 2, 29))
    assert actions([], date(2011, 2, 28), c)[M.BIRTHDAY].due_by == date(2011, 2, 28)
    assert M.BIRTHDAY not in actions([], date(2011, 3, 1), c)
    assert actions([], date(2012, 2, 29), c)[M.BIRTHDAY].due_by == date(2012, 2, 29)


def test_points_expiry_reminder_from_the_ledger() -> None:
    ledger = tc.PointsLedger.empty(ID).accrue("b1", date(2010, 1, 5), 1_200, "consumption")
    assert M.POINTS_EXPIRY not in actions([], date(2011, 10, 30), ledger=ledger)
    a = actions([], date(2011, 11, 1), ledger=ledger)[M.POINTS_EXPIRY]
    assert (a.opened_on, a.due_by) == (date(2011, 10, 31), date(2011, 11, 7))
    assert "1,200 points worth ¥24.00 expire by 2011-11-30" in a.reason


def test_tier_change_notice() -> None:
    a = actions([tc.TierChanged(ID, at(D0), previous="silver", tier="gold")], D0)[M.TIER_CHANGE]
    assert "from silver to gold" in a.reason and a.due_by == D0 + timedelta(days=7)


# ------------------------------------------------------------ replay rules


def test_other_customers_and_future_events_are_ignored() -> None:
    ev = [
        tc.CancellationRequested("someone-else", at(D0)),
        tc.CancellationRequested(ID, at(D0 + timedelta(days=1))),
    ]
    assert actions(ev, D0) == {}


def test_events_on_as_of_count_in_the_policy_time_zone() -> None:
    late_utc = datetime(2010, 10, 3, 17, 0, tzinfo=ZoneInfo("UTC"))  # 01:00 on 4 Oct in Shanghai
    assert M.CANCELLATION_REQUEST in actions([tc.CancellationRequested(ID, late_utc)], D0)
    assert M.CANCELLATION_REQUEST not in actions(
        [tc.CancellationRequested(ID, late_utc)], D0 - timedelta(days=1)
    )


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: tc.due_actions(person(), [], as_of="2010-10-04"), "as_of must be a datetime.date"),
        (lambda: tc.due_actions(person(), ["not an event"], as_of=D0), "telcare events"),
        (lambda: tc.due_actions("c1", [], as_of=D0), "telcare.Customer"),
        (
            lambda: tc.due_actions(person(), [], as_of=D0, ledger=tc.PointsLedger.empty("x")),
            "PointsLedger of customer",
        ),
        (lambda: tc.Activated(ID, datetime(2010, 1, 1), plan_fee=0), "timezone-aware"),
        (lambda: tc.Activated("", at(D0), plan_fee=0), "customer_id"),
        (lambda: tc.Activated(ID, at(D0), plan_fee=-1), "Activated.plan_fee must be >= 0, got -1"),
        (
            lambda: tc.CallbackAttempt(ID, at(D0), reached="yes"),
            "CallbackAttempt.reached must be a bool, got str 'yes'",
        ),
        (
            lambda: tc.SpendReading(ID, at(D0), month_spend=1, forwarded_share=1.5),
            "SpendReading.forwarded_share must be in [0, 1], got 1.5",
        ),
        (
            lambda: tc.ContractEnding(ID, at(D0), ends_on=at(D0)),
            "ContractEnding.ends_on must be a datetime.date, got datetime",
        ),
        (lambda: tc.ContactMade(ID, at(D0), "teatime"), "unknown moment 'teatime'"),
        (
            lambda: tc.ContactMade(ID, at(D0), M.BIRTHDAY, channel="pigeon"),
            "unknown channel 'pigeon'",
        ),
        (lambda: tc.sla_report(["x"]), "needs Actions"),
    ],
)
def test_moment_bad_inputs(call: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    assert fragment in str(info.value)


@given(
    tcs.event_histories(other_customers=True),
    st.randoms(),
    st.dates(date(2010, 1, 1), date(2011, 3, 1)),
)
def test_same_events_in_any_order_give_the_same_actions(
    events: list[tc.Event], rnd: Any, as_of: date
) -> None:
    shuffled = list(events)
    rnd.shuffle(shuffled)
    c = person(birthday=date(1980, 6, 1))
    first = tc.due_actions(c, events, as_of=as_of, policy=POLICY)
    assert tc.due_actions(c, shuffled, as_of=as_of, policy=POLICY) == first
    assert tc.due_actions(c, events + events[:3], as_of=as_of, policy=POLICY) == first
    for a in first:
        assert a.opened_on <= as_of
        assert a.status == ("done" if a.closed_on else "overdue" if as_of > a.due_by else "open")


@given(tcs.event_histories(), st.dates(date(2010, 1, 1), date(2011, 3, 1)))
def test_later_events_never_change_earlier_answers_they_are_after(
    events: list[tc.Event], as_of: date
) -> None:
    c = person()
    visible = [e for e in events if e.at.astimezone(SH).date() <= as_of]
    assert tc.due_actions(c, events, as_of=as_of) == tc.due_actions(c, visible, as_of=as_of)


# ------------------------------------------------------------ SLA


def test_sla_report_counts_per_moment() -> None:
    ev = [tc.Activated(ID, at(D0), plan_fee=tc.yuan(58)), tc.CallbackAttempt(ID, at(D0 + timedelta(days=1)), reached=True),
          tc.CancellationRequested(ID, at(D0))]  # fmt: skip
    found = tc.due_actions(person(), ev, as_of=D0 + timedelta(days=4))
    report = tc.sla_report(found)
    cb, cancel = report[M.NEW_SUBSCRIBER_CALLBACK], report[M.CANCELLATION_REQUEST]
    assert (cb.total, cb.done, cb.on_time, cb.open, cb.overdue) == (1, 1, 1, 0, 0)
    assert (cancel.done, cancel.overdue) == (0, 1)
    assert cb.completion.value == 1.0 and cancel.timeliness.value == 0.0
    assert report[M.BIRTHDAY].total == 0


@pytest.mark.parametrize("events", [None, 7, "events", tc.TutoringDone(ID, at(D0))])
def test_events_must_be_an_iterable_of_events(events: Any) -> None:
    with pytest.raises(tc.InvalidInput, match="events must be an iterable of telcare events"):
        tc.due_actions(person(), events, as_of=D0)


def test_replay_and_simple_moment_name_what_is_wrong_exactly() -> None:
    c = person()
    cases = [
        (lambda: tc.Replay("c", [], D0, POLICY), r"^Replay needs a telcare\.Customer, got str$"),
        (
            lambda: tc.Replay(c, [], "2010-01-01", POLICY),
            r"^as_of must be a datetime\.date, got str",
        ),
        (
            lambda: tc.Replay(c, [], D0, POLICY, ledger="l"),
            r"^ledger must be a PointsLedger, got str$",
        ),
        (
            lambda: tc.Replay(c, [], D0, POLICY, moments=[]),
            r"^moments must be a MomentRegistry, got list$",
        ),
        (lambda: tc.Replay(c, [7], D0, POLICY), r"^events must be telcare events, got int 7$"),
        (
            lambda: tc.Replay(c, 7, D0, POLICY),
            r"^events must be an iterable of telcare events, got int$",
        ),
    ]
    for call, message in cases:
        with pytest.raises(tc.InvalidInput, match=message):
            call()
    r = tc.Replay(c, [], D0, POLICY)
    assert tc.Replay(c, [], D0, POLICY, moments=tc.MOMENTS).moments is tc.MOMENTS
    with pytest.raises(tc.InvalidInput, match=r"^simple_moment\(\) needs a Replay, got str$"):
        tc.simple_moment("r", tc.BillIssued, "first_bill", 3, "x")  # type: ignore[arg-type]
    with pytest.raises(
        tc.InvalidInput, match=r"^simple_moment\(\) needs an event class, got 'bill'$"
    ):
        tc.simple_moment(r, "bill", "first_bill", 3, "x")  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match=r"^days must be <= 3660, got 3661$"):
        tc.simple_moment(r, tc.BillIssued, "first_bill", 3661, "x")
    with pytest.raises(tc.InvalidInput, match=r"^moment must not be empty"):
        tc.simple_moment(r, tc.BillIssued, "", 3, "x")
    with pytest.raises(tc.InvalidInput, match=r"^describe must be a str, got NoneType None$"):
        tc.simple_moment(r, tc.BillIssued, "first_bill", 3, None)  # type: ignore[arg-type]


def test_events_are_replayed_in_the_policy_time_zone() -> None:
    pacific = tc.Policy.model_validate({"timezone": "Pacific/Kiritimati"})  # UTC+14
    late = tc.BillIssued(
        ID, datetime(2010, 10, 4, 11, tzinfo=ZoneInfo("UTC")), amount=100
    )  # the 5th there
    shanghai = tc.due_actions(person(), [late], as_of=date(2010, 10, 20))
    kiritimati = tc.due_actions(person(), [late], as_of=date(2010, 10, 20), policy=pacific)
    assert (shanghai[0].opened_on, kiritimati[0].opened_on) == (
        date(2010, 10, 4),
        date(2010, 10, 5),
    )


def test_the_built_in_moments_are_the_enum_in_order_with_its_numbers() -> None:
    """Each built-in spec takes its code and number from its ``Moment`` member, written once."""
    assert [spec.code for spec in tc.MOMENTS] == [m.value for m in tc.Moment]
    assert [spec.number for spec in tc.MOMENTS] == [m.number for m in tc.Moment]
    assert [spec.number for spec in tc.MOMENTS][:7] == [1, 2, 3, 4, 5, 6, 7]


# ------------------------------------------------------ hostile arguments (#28)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"moment": np.array([1, 2])}, r"^moment must be a snake_case str"),
        ({"moment": ["first_bill"]}, r"^moment must be a snake_case str"),
        ({"opened": float("nan")}, r"^opened must be a datetime\.date, got float nan"),
        ({"due": "3"}, r"^due must be a datetime\.date, got str '3'"),
        ({"reason": None}, r"^reason must be a str, got NoneType None"),
        ({"closed": "2010-01-05"}, r"^closed must be a datetime\.date, got str"),
        ({"outcome": 7}, r"^outcome must be None or a str, got int 7"),
        ({"priority": 0}, r"^priority must be >= 1, got 0"),
    ],
)
def test_replay_action_refuses_each_argument_by_name(
    arguments: dict[str, Any], message: str
) -> None:
    replay = tc.Replay(person(), [], D0, POLICY)
    call = {"moment": "first_bill", "opened": D0, "due": D0, "reason": "why"} | arguments
    with pytest.raises(tc.InvalidInput, match=message):
        replay.action(**call)


def test_replay_action_keeps_what_it_is_given() -> None:
    action = tc.Replay(person(), [], D0, POLICY).action(
        tc.Moment.FIRST_BILL, D0, D0, "why", closed=D0, outcome="reached", priority=2
    )
    assert (action.moment, action.status, action.priority) == (tc.Moment.FIRST_BILL, "done", 2)


@pytest.mark.parametrize(
    ("moment", "opened", "message"),
    [
        (np.zeros(0), D0, "^moment must be a snake_case str"),
        ({}, D0, "^moment must be a snake_case str"),
        ("first_bill", float("nan"), r"^opened must be a datetime\.date, got float nan"),
    ],
)
def test_replay_closed_refuses_each_argument_by_name(
    moment: Any, opened: Any, message: str
) -> None:
    with pytest.raises(tc.InvalidInput, match=message):
        tc.Replay(person(), [], D0, POLICY).closed(moment, opened)
