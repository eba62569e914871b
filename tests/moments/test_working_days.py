"""Deadlines in working days: holidays skipped, make-up working days counted (#30 item 4)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pydantic
import pytest
from hypothesis import given, settings, strategies as st

import telcare as tc
from telcare.moments._deadlines import due_after, working_days_after

SH = ZoneInfo("Asia/Shanghai")
M = tc.Moment
#: A Golden Week: 1-7 October 2026 off (Thu to Wed), Sun 27 Sep and Sat 10 Oct worked.
GOLDEN_WEEK = {
    "holidays": [f"2026-10-0{d}" for d in range(1, 8)],
    "workdays": ["2026-09-27", "2026-10-10"],
}


def policy(*working: str, **contact: Any) -> tc.Policy:
    return tc.Policy.model_validate(
        {"contact": {**GOLDEN_WEEK, **contact}, "moments": {"working_day_deadlines": list(working)}}
    )


def first_bill_due(opened: date, p: tc.Policy) -> date:
    me = "c1"
    c = tc.Customer(me, activated_on=date(2026, 1, 1), plan_fee=tc.yuan(58))
    bill = tc.BillIssued(me, datetime.combine(opened, datetime.min.time(), tzinfo=SH), amount=100)
    (action,) = tc.due_actions(c, [bill], as_of=opened, policy=p)
    return action.due_by


def test_calendar_days_stay_the_default_even_when_the_deadline_lands_on_a_holiday() -> None:
    # 3 calendar days after Tue 29 Sep is Fri 2 Oct, a holiday: the default counts it
    assert first_bill_due(date(2026, 9, 29), policy()) == date(2026, 10, 2)
    assert first_bill_due(date(2026, 9, 29), tc.default_policy()) == date(2026, 10, 2)


def test_a_working_day_deadline_skips_the_holidays() -> None:
    # Wed 30 Sep, then Thu 8 and Fri 9 Oct: the week off does not count
    assert first_bill_due(date(2026, 9, 29), policy("first_bill")) == date(2026, 10, 9)


def test_a_make_up_saturday_counts_as_a_working_day() -> None:
    # from Thu 8 Oct: Fri 9, the make-up Sat 10, Mon 12
    assert first_bill_due(date(2026, 10, 8), policy("first_bill")) == date(2026, 10, 12)
    plain = tc.Policy.model_validate({"moments": {"working_day_deadlines": ["first_bill"]}})
    assert first_bill_due(date(2026, 10, 8), plain) == date(2026, 10, 13)


def test_a_moment_opened_on_a_holiday_counts_from_the_next_working_day() -> None:
    assert first_bill_due(date(2026, 10, 3), policy("first_bill")) == date(2026, 10, 10)


def test_the_callback_and_the_tutoring_count_working_days_when_named() -> None:
    me = "c1"
    c = tc.Customer(me, activated_on=date(2026, 9, 30), plan_fee=tc.yuan(128))
    events = [
        tc.Activated(me, datetime(2026, 9, 30, 10, tzinfo=SH), plan_fee=tc.yuan(128)),
        tc.Verified(me, datetime(2026, 9, 30, 16, tzinfo=SH), genuine=True),
    ]
    p = policy("new_subscriber_callback", "first_tutoring")
    by_moment = {a.moment: a for a in tc.due_actions(c, events, as_of=date(2026, 10, 1), policy=p)}
    # 2 working days (a 128-yuan plan is fast): Thu 8, Fri 9 Oct
    assert by_moment[M.NEW_SUBSCRIBER_CALLBACK].due_by == date(2026, 10, 9)
    assert by_moment[M.FIRST_TUTORING].due_by == date(2026, 10, 9)
    assert "assign a service manager by 2026-10-09" in by_moment[M.FIRST_TUTORING].reason


def test_the_whole_base_scan_counts_the_same_working_days() -> None:
    p = policy("credit_alert", "usage_anomaly")
    since = ["2026-09-30", "2026-10-03", "2026-10-09", None]
    scan = tc.scan_moments(
        date(2026, 10, 9), policy=p, used=[90, 90, 90, 90], allowance=[100] * 4, alert_since=since
    )
    due = scan.due_by[M.CREDIT_ALERT].tolist()
    # a missing opening day stays missing, as with calendar days
    assert due == [date(2026, 10, 8), date(2026, 10, 8), date(2026, 10, 10), None]
    me = "c1"
    c = tc.Customer(me, activated_on=date(2026, 1, 1), plan_fee=tc.yuan(58))
    for opened, expected in zip(since[:3], due[:3], strict=True):
        at = datetime.fromisoformat(opened).replace(hour=9, tzinfo=SH)
        reading = tc.UsageReading(me, at, used=90, allowance=100)
        (one,) = tc.due_actions(c, [reading], as_of=date(2026, 10, 9), policy=p)
        assert one.due_by == expected


def test_only_deadlines_counted_after_an_opening_may_count_working_days() -> None:
    with pytest.raises(pydantic.ValidationError, match="only the deadlines counted after"):
        tc.Policy.model_validate({"moments": {"working_day_deadlines": ["contract_expiry"]}})
    with pytest.raises(pydantic.ValidationError, match="working_day_deadlines"):
        tc.Policy.model_validate({"moments": {"working_day_deadlines": ["teatime"]}})


# ---- the kernel against a day-by-day count


def _naive(opened: date, days: int, p: tc.Policy) -> date:
    day, left = opened, days
    while left:
        day += timedelta(days=1)
        left -= p.contact.is_working_day(day)
    return day


calendars = st.fixed_dictionaries(
    {
        "holidays": st.sets(st.dates(date(2026, 9, 1), date(2026, 11, 30)), max_size=20),
        "workdays": st.sets(st.dates(date(2026, 9, 1), date(2026, 11, 30)), max_size=6),
        "days": st.sets(st.sampled_from(("mon", "tue", "wed", "thu", "fri", "sat")), min_size=1),
    }
)


@settings(max_examples=60, deadline=None)
@given(
    calendars,
    st.lists(st.dates(date(2026, 8, 20), date(2026, 12, 10)), min_size=1, max_size=6),
    st.integers(0, 20),
)
def test_working_days_after_agrees_with_counting_day_by_day(
    calendar: dict[str, Any], opened: list[date], days: int
) -> None:
    week = calendar["days"]
    workdays = {
        d
        for d in calendar["workdays"] - calendar["holidays"]
        if d.strftime("%a").lower() not in week
    }
    p = tc.Policy.model_validate(
        {
            "contact": {
                "hours": {"days": sorted(week)},
                "holidays": sorted(calendar["holidays"]),
                "workdays": sorted(workdays),
            },
            "moments": {"working_day_deadlines": ["first_bill"]},
        }
    )
    column = np.array([*opened, None], dtype="datetime64[D]")
    got = working_days_after(column, days, p).tolist()
    assert got[-1] is None  # a missing day stays missing
    assert got[:-1] == [_naive(d, days, p) for d in opened]
    assert [due_after(d, days, M.FIRST_BILL, p) for d in opened] == got[:-1]
