"""Contact pressure per channel: caps per window and per day, quiet hours, holidays and
make-up working days, one customer and a whole base alike (#30 item 4)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pydantic
import pytest
from hypothesis import given, settings, strategies as st

import telcare as tc

SH = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")
M = tc.Moment
MON = datetime(2026, 11, 23, 10, 0, tzinfo=SH)
ALL_WEEK = {
    "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    "start": "00:00",
    "end": "23:59:59",
}


def policy(**contact: Any) -> tc.Policy:
    return tc.Policy.model_validate({"contact": {"max_marketing_calls": 50, **contact}})


def sms(when: datetime, who: str = "c1", moment: tc.Moment = M.BIRTHDAY) -> tc.ContactMade:
    return tc.ContactMade(who, when, moment, tc.Channel.SMS)


def base_allowed(
    p: tc.Policy, at: datetime, channels: list[str], history: list[tc.ContactMade], **kw: Any
) -> list[bool]:
    ids = [f"c{i + 1}" for i in range(len(channels))]
    counts = tc.contact_counts(ids, history, at, policy=p)
    return [bool(x) for x in tc.contacts_allowed(at, channels, counts, policy=p, **kw)]


# ---- caps per channel


def test_a_channel_cap_counts_only_that_channels_contacts_in_the_window() -> None:
    p = policy(channel_caps={"sms": 2})
    history = [
        sms(MON - timedelta(days=10)),
        sms(MON - timedelta(days=3)),
        sms(MON - timedelta(days=31)),
    ]
    history += [tc.ContactMade("c1", MON - timedelta(days=1), M.FIRST_BILL)]  # by phone
    d = tc.contact_allowed("c1", M.POINTS_EXPIRY, MON, history, policy=p)  # an SMS moment
    assert not d.allowed
    assert "sms cap 2 per 30 days reached: next one allowed from 2026-12-13 10:00" in d.reasons
    # the older SMS leaves the window on Sun 13 Dec: the next opening is Mon 14 Dec
    assert d.next_allowed_at == datetime(2026, 12, 14, 8, tzinfo=SH)
    phone = tc.contact_allowed("c1", M.POINTS_EXPIRY, MON, history, policy=p, channel="phone")
    assert phone.allowed
    assert base_allowed(p, MON, ["sms", "phone"], history) == [False, True]


def test_a_channel_cap_per_day_counts_the_policy_zones_day() -> None:
    p = policy(channel_day_caps={"sms": 1})
    # 16:30 UTC on Sunday is 00:30 on Monday in Shanghai: it is today's SMS
    early = sms(datetime(2026, 11, 22, 16, 30, tzinfo=UTC))
    d = tc.contact_allowed("c1", M.BIRTHDAY, MON, [early], policy=p)
    assert (
        not d.allowed
        and "sms cap 1 per day reached: next one allowed from 2026-11-24 00:00" in d.reasons
    )
    assert d.next_allowed_at == datetime(2026, 11, 24, 8, tzinfo=SH)
    # 15:30 UTC on Sunday is 23:30 on Sunday in Shanghai: yesterday's
    late = sms(datetime(2026, 11, 22, 15, 30, tzinfo=UTC))
    assert tc.contact_allowed("c1", M.BIRTHDAY, MON, [late], policy=p).allowed
    assert base_allowed(
        p, MON, ["sms", "sms"], [early, late.__class__("c2", late.at, M.BIRTHDAY, "sms")]
    ) == [False, True]


def test_an_exempt_moment_skips_the_channel_caps_and_does_not_count() -> None:
    p = policy(channel_caps={"sms": 1}, channel_day_caps={"sms": 1})
    history = [sms(MON - timedelta(hours=1))]
    d = tc.contact_allowed("c1", M.CANCELLATION_REQUEST, MON, history, policy=p, channel="sms")
    assert d.allowed and d.reasons[0] == "cancellation_request is exempt from the frequency cap"
    exempt_history = [sms(MON - timedelta(hours=1), moment=M.CANCELLATION_REQUEST)] * 3
    assert tc.contact_allowed("c1", M.BIRTHDAY, MON, exempt_history, policy=p).allowed
    assert base_allowed(p, MON, ["sms"], history, exempt=[True]) == [True]
    assert base_allowed(p, MON, ["sms"], exempt_history) == [True]


def test_a_channel_cap_of_zero_never_has_room() -> None:
    p = policy(channel_caps={"email": 0})
    d = tc.contact_allowed("c1", None, MON, [], policy=p, channel="email")
    assert not d.allowed and d.next_allowed_at is None
    assert "email cap 0 per 30 days reached: next one allowed never" in d.reasons


# ---- quiet hours


@pytest.mark.parametrize(
    ("at", "allowed", "next_at"),
    [
        (
            datetime(2026, 11, 23, 15, 59, tzinfo=UTC),
            False,
            datetime(2026, 11, 24, 8, tzinfo=SH),
        ),  # 23:59
        (
            datetime(2026, 11, 23, 16, 0, tzinfo=UTC),
            False,
            datetime(2026, 11, 24, 8, tzinfo=SH),
        ),  # 00:00
        (
            datetime(2026, 11, 23, 12, 59, tzinfo=UTC),
            True,
            datetime(2026, 11, 23, 20, 59, tzinfo=SH),
        ),
        (
            datetime(2026, 11, 24, 0, 0, tzinfo=UTC),
            True,
            datetime(2026, 11, 24, 8, tzinfo=SH),
        ),  # 08:00
    ],
)
def test_quiet_hours_across_midnight_read_the_policys_wall_clock(
    at: datetime, allowed: bool, next_at: datetime
) -> None:
    p = policy(hours=ALL_WEEK, quiet_hours={"sms": "21:00-08:00"})
    d = tc.contact_allowed("c1", M.BIRTHDAY, at, [], policy=p)
    assert d.allowed is allowed and d.next_allowed_at == next_at
    assert ("quiet hours for sms 21:00-08:00, next Tue 24 Nov 08:00" in d.reasons) is (not allowed)
    assert tc.contact_allowed("c1", M.BIRTHDAY, at, [], policy=p, channel="phone").allowed
    assert base_allowed(p, at, ["sms", "phone"], []) == [allowed, True]


def test_quiet_hours_hold_back_exempt_moments_too() -> None:
    p = policy(quiet_hours={"sms": "18:00-09:00"})
    evening = MON.replace(hour=19)
    d = tc.contact_allowed("c1", M.NEW_SUBSCRIBER_CALLBACK, evening, [], policy=p, channel="sms")
    assert not d.allowed and d.next_allowed_at == datetime(2026, 11, 24, 9, tzinfo=SH)
    assert base_allowed(p, evening, ["sms"], [], exempt=[True]) == [False]


def test_quiet_hours_that_close_a_channel_for_good_are_refused() -> None:
    with pytest.raises(pydantic.ValidationError, match="sms could never be used"):
        policy(quiet_hours={"sms": "07:00-21:00"})
    with pytest.raises(pydantic.ValidationError, match="sms could never be used"):
        policy(quiet_hours={"sms": "19:00-20:00"}, hours={"start": "19:00", "end": "20:00"})
    with pytest.raises(pydantic.ValidationError, match="are empty"):
        policy(quiet_hours={"sms": "21:00-21:00"})
    with pytest.raises(pydantic.ValidationError, match="HH:MM-HH:MM"):
        policy(quiet_hours={"sms": "21:00"})


# ---- holidays and make-up days

GOLDEN_WEEK = {
    "holidays": [f"2026-10-0{d}" for d in range(1, 8)],
    "workdays": ["2026-09-27", "2026-10-10"],
}


def test_no_contact_on_a_holiday() -> None:
    p = policy(**GOLDEN_WEEK)
    at = datetime(2026, 10, 1, 10, tzinfo=SH)
    d = tc.contact_allowed("c1", M.CONTRACT_EXPIRY, at, [], policy=p)
    assert not d.allowed and d.next_allowed_at == datetime(2026, 10, 8, 8, tzinfo=SH)
    assert d.reasons[-1] == "holiday 2026-10-01, next opening Thu 08 Oct 08:00"
    # exempt moments wait for the working day too
    assert not tc.contact_allowed("c1", M.CANCELLATION_REQUEST, at, [], policy=p).allowed
    assert base_allowed(p, at, ["phone", "sms"], [], exempt=[True, False]) == [False, False]


def test_a_make_up_saturday_opens_the_contact_hours() -> None:
    p = policy(**GOLDEN_WEEK)
    saturday = datetime(2026, 10, 10, 10, tzinfo=SH)
    d = tc.contact_allowed("c1", M.CONTRACT_EXPIRY, saturday, [], policy=p)
    assert d.allowed
    assert (
        d.reasons[-1] == "within contact hours Mon-Fri 08:00-20:00 (make-up working day 2026-10-10)"
    )
    friday_night = datetime(2026, 10, 9, 21, tzinfo=SH)
    late = tc.contact_allowed("c1", M.CONTRACT_EXPIRY, friday_night, [], policy=p)
    assert late.next_allowed_at == datetime(2026, 10, 10, 8, tzinfo=SH)
    assert base_allowed(p, saturday, ["phone"], []) == [True]
    assert base_allowed(tc.default_policy(), saturday, ["phone"], []) == [False]


def test_a_day_both_off_and_worked_is_refused() -> None:
    with pytest.raises(
        pydantic.ValidationError, match="2026-10-01 is both in holidays and in workdays"
    ):
        policy(holidays=["2026-10-01"], workdays=["2026-10-01"])
    with pytest.raises(pydantic.ValidationError, match="already a working day"):
        policy(workdays=["2026-10-05"])  # a Monday
    with pytest.raises(pydantic.ValidationError, match="from 1900-01-01 to 2999-12-31"):
        policy(holidays=["3000-01-01"])


def test_the_defaults_keep_the_old_answers() -> None:
    d = tc.contact_allowed("c1", M.POINTS_EXPIRY, MON, [sms(MON - timedelta(hours=1))] * 1)
    assert d.allowed and d.reasons == (
        "1 of 2 contacts used in the last 30 days",
        "within contact hours Mon-Fri 08:00-20:00",
    )


# ---- refusals


def test_a_bad_channel_or_column_is_refused_by_name() -> None:
    with pytest.raises(tc.InvalidInput, match="unknown Channel 'fax'"):
        tc.contact_allowed("c1", None, MON, [], channel="fax")
    with pytest.raises(
        tc.InvalidInput, match=r"channel must be a telcare\.Channel or its code, got int 3"
    ):
        tc.contact_allowed("c1", None, MON, [], channel=3)  # type: ignore[arg-type]
    counts = tc.contact_counts(["c1"], [], MON)
    with pytest.raises(tc.InvalidInput, match="channel has the unknown label 'fax'"):
        tc.contacts_allowed(MON, ["fax"], counts)
    with pytest.raises(tc.InvalidInput, match="channel has 2 rows, counts 1"):
        tc.contacts_allowed(MON, ["sms", "sms"], counts)
    with pytest.raises(tc.InvalidInput, match="customer_ids is missing at index 1"):
        tc.contact_counts(["c1", None], [], MON)
    with pytest.raises(tc.InvalidInput, match="customer_ids must be unique, got 'c1' twice"):
        tc.contact_counts(["c1", "c1"], [], MON)
    with pytest.raises(tc.InvalidInput, match="by_channel must have one column per channel"):
        tc.ContactCounts([0], [[0, 0]], [[0] * 5])


def test_the_count_columns_are_python_friendly() -> None:
    counts = tc.contact_counts(["c1"], [sms(MON - timedelta(hours=2))], MON)
    assert counts.counted.dtype == np.int64 and counts.today.tolist() == [[0, 1, 0, 0, 0]]
    assert all(type(x) is bool for x in tc.contacts_allowed(MON, ["sms"], counts).tolist())


# ---- agreement: one customer against the whole base

CHANNEL_CODES = [c.value for c in tc.Channel]
#: Contacts and asks crowd on two channels, so the channel caps fill up.
BUSY = ["sms", "sms", "sms", "phone", "phone", "email"]
MOMENT_CHOICES = [None, M.BIRTHDAY, M.POINTS_EXPIRY, M.CONTRACT_EXPIRY, M.CANCELLATION_REQUEST]
START = datetime(2026, 9, 1, tzinfo=SH)

caps = st.dictionaries(st.sampled_from(["sms", "phone", "email"]), st.integers(0, 3), max_size=3)
quiet = st.dictionaries(
    st.sampled_from(CHANNEL_CODES),
    st.sampled_from(["21:00-08:00", "12:00-14:00", "19:30-09:30", "00:00-08:30"]),
    max_size=2,
)
#: Mostly inside the default contact hours, so the caps decide; sometimes anywhere.
moments_at = st.one_of(
    st.tuples(st.integers(0, 12), st.integers(0, 4), st.integers(8 * 4, 20 * 4 - 1)).map(
        lambda w: START + timedelta(weeks=w[0], days=w[1], minutes=15 * w[2])  # 1 Sep 2026: a Tue
    ),
    st.integers(0, 90 * 24 * 4).map(lambda q: START + timedelta(minutes=15 * q)),
)
#: A contact (who, minutes before ``at``, moment, channel): most within a day of
#: ``at``, so the day caps bite, some in the month, a few after ``at``.
contacts = st.tuples(
    st.integers(1, 4),
    st.one_of(st.integers(0, 26 * 60), st.integers(-600, 35 * 24 * 60)),
    st.sampled_from(MOMENT_CHOICES),
    st.sampled_from(BUSY),
)


@settings(max_examples=120, deadline=None)
@given(
    window=caps,
    day=caps,
    quiet_hours=quiet,
    holidays=st.sets(st.dates(date(2026, 9, 1), date(2026, 12, 1)), max_size=6),
    cap=st.one_of(st.integers(0, 3), st.just(50)),
    history=st.lists(contacts, min_size=4, max_size=30),
    at=moments_at,
    asked=st.lists(
        st.tuples(st.sampled_from(MOMENT_CHOICES), st.sampled_from(BUSY + CHANNEL_CODES)),
        min_size=4,
        max_size=4,
    ),
)
def test_one_customer_and_the_whole_base_agree(
    window: dict[str, int],
    day: dict[str, int],
    quiet_hours: dict[str, str],
    holidays: set[date],
    cap: int,
    history: list[tuple[int, int, tc.Moment | None, str]],
    at: datetime,
    asked: list[tuple[tc.Moment | None, str]],
) -> None:
    p = tc.Policy.model_validate(
        {
            "contact": {
                "max_marketing_calls": cap,
                "channel_caps": window,
                "channel_day_caps": day,
                "quiet_hours": quiet_hours,
                "holidays": sorted(holidays),
            }
        }
    )
    ids = [f"c{i}" for i in range(1, 5)]
    made = [
        tc.ContactMade(f"c{who}", at - timedelta(minutes=before), moment, channel, project="p")
        for who, before, moment, channel in history
    ]
    one = [
        tc.contact_allowed(who, moment, at, made, policy=p, channel=channel).allowed
        for who, (moment, channel) in zip(ids, asked, strict=True)
    ]
    counts = tc.contact_counts(ids, made, at, policy=p)
    exempt = [m is not None and m in p.contact.exempt for m, _ in asked]
    batch = tc.contacts_allowed(at, [c for _, c in asked], counts, exempt=exempt, policy=p)
    assert batch.tolist() == one


def test_the_calendar_methods_refuse_what_is_not_a_day_or_an_aware_time() -> None:
    contact = tc.default_policy().contact
    with pytest.raises(tc.InvalidInput, match="day must be a date"):
        contact.is_working_day(float("nan"))  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match="local must be timezone-aware"):
        contact.next_opening(datetime(2026, 11, 23, 10))
    with pytest.raises(tc.InvalidInput, match=r"channel must be a telcare\.Channel, got ndarray"):
        contact.next_opening(MON, np.array(3))  # type: ignore[arg-type]
    assert contact.next_opening(MON, "sms") == MON  # type: ignore[arg-type]
