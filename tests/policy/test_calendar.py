"""The contact calendar's next opening: it ends for every valid calendar, even when a
holiday falls on the only weekday of the contact hours, and it is the first open
moment (review defect 2: a bare AssertionError)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st

import telcare as tc

SH = ZoneInfo("Asia/Shanghai")
TUESDAY = datetime(2026, 11, 24, 10, tzinfo=SH)
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def sundays_only(**contact: object) -> tc.Policy:
    hours = {"days": ["sun"], "start": "08:00", "end": "20:00"}
    return tc.Policy.model_validate({"contact": {"hours": hours, **contact}})


def test_a_holiday_on_the_only_weekday_of_the_hours_waits_a_week() -> None:
    p = sundays_only(holidays=["2026-11-29"])
    d = tc.contact_allowed("c1", None, TUESDAY, [], policy=p)
    assert not d.allowed
    assert d.next_allowed_at == datetime(2026, 12, 6, 8, tzinfo=SH)


def test_the_whole_base_answers_the_same_calendar_without_an_error() -> None:
    p = sundays_only(holidays=["2026-11-29"])
    counts = tc.contact_counts(["c1", "c2"], [], TUESDAY, policy=p)
    assert tc.contacts_allowed(TUESDAY, ["phone", "sms"], counts, policy=p).tolist() == [
        False,
        False,
    ]
    sunday = datetime(2026, 12, 6, 9, tzinfo=SH)
    counts = tc.contact_counts(["c1"], [], sunday, policy=p)
    assert tc.contacts_allowed(sunday, ["phone"], counts, policy=p).tolist() == [True]


def test_a_monday_holiday_on_monday_only_hours_skips_to_the_next_monday() -> None:
    p = tc.Policy.model_validate(
        {"contact": {"hours": {"days": ["mon"]}, "holidays": ["2026-11-30", "2026-12-07"]}}
    )
    assert p.contact.next_opening(TUESDAY) == datetime(2026, 12, 14, 8, tzinfo=SH)


def test_holidays_on_every_opening_for_years_still_find_the_first_one() -> None:
    first = date(2026, 11, 29)
    holidays = [str(first + timedelta(weeks=w)) for w in range(520)]
    p = sundays_only(holidays=holidays)
    after = first + timedelta(weeks=520)
    assert after == date(2036, 11, 16)
    assert p.contact.next_opening(TUESDAY) == datetime.combine(after, time(8), tzinfo=SH)


def test_a_make_up_day_before_the_next_hours_day_opens_first() -> None:
    p = sundays_only(holidays=["2026-11-29"], workdays=["2026-11-28"])
    assert p.contact.next_opening(TUESDAY) == datetime(2026, 11, 28, 8, tzinfo=SH)


START = date(2026, 11, 1)
WINDOW = [START + timedelta(days=d) for d in range(42)]


@st.composite
def calendars(draw: st.DrawFn) -> tc.ContactPolicy:
    days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True))
    start = draw(st.integers(0, 22))
    end = draw(st.integers(start + 1, 23))
    holidays = draw(st.sets(st.sampled_from(WINDOW), max_size=12))
    off = [d for d in WINDOW if WEEKDAYS[d.weekday()] not in days and d not in holidays]
    workdays = draw(st.sets(st.sampled_from(off), max_size=4)) if off else set()
    contact = {
        "hours": {"days": days, "start": time(start), "end": time(end)},
        "holidays": sorted(holidays),
        "workdays": sorted(workdays),
    }
    return tc.Policy.model_validate({"contact": contact}).contact


def is_open(contact: tc.ContactPolicy, moment: datetime) -> bool:
    wall = moment.time().replace(tzinfo=None)
    hours = contact.hours
    return contact.is_working_day(moment.date()) and hours.start <= wall < hours.end


@settings(max_examples=200, deadline=None)
@given(contact=calendars(), minutes=st.integers(0, 40 * 24 * 60))
def test_the_next_opening_is_open_and_nothing_open_comes_before_it(
    contact: tc.ContactPolicy, minutes: int
) -> None:
    local = datetime.combine(START, time(0), tzinfo=SH) + timedelta(minutes=minutes)
    opening = contact.next_opening(local)
    assert opening >= local
    assert is_open(contact, opening)
    day = local.date()
    while day <= opening.date():  # no open moment in [local, opening)
        if contact.is_working_day(day):
            opens = datetime.combine(day, contact.hours.start, tzinfo=SH)
            closes = datetime.combine(day, contact.hours.end, tzinfo=SH)
            assert not (max(opens, local) < min(closes, opening)), day
        day += timedelta(days=1)
