"""Channel caps, quiet hours and holidays in the matchers and the allocation (#30 item 4):
one customer (``match_offer``) and a whole base (``match_offers``, ``allocate``,
``call_lists``) read the one cap window of :mod:`telcare.contact`."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest

import telcare as tc

SH = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2010, 11, 22, 10, tzinfo=SH)
_OFFER = {"cost": 500, "valid_from": "2010-01-01", "valid_to": "2010-12-31",
          "project_type": "promotion"}  # fmt: skip
CATALOGUE = tc.OfferCatalogue.model_validate({"offers": [
    {**_OFFER, "code": "data_pack", "name": "D", "channels": ["sms"], "value": 4_000},
    {**_OFFER, "code": "plan_upgrade", "name": "P", "channels": ["phone"], "value": 3_000,
     "project_type": "retention"},
]})  # fmt: skip
WHO = tc.Prospect(tc.Customer("c1", date(2008, 1, 1), tc.yuan(88)))


def policy(**contact: Any) -> tc.Policy:
    return tc.Policy.model_validate({"contact": contact})


def base(n: int, **kw: Any) -> dict[str, Any]:
    cols: dict[str, Any] = {
        "tier": [0] * n, "segment_member": [False] * n, "avg_spend": [9_000] * n,
        "plan_fee": [8_800] * n, "tenure_months": [12] * n, "credit_level": [1] * n,
    }  # fmt: skip
    return {**cols, **kw}


def sms(when: datetime, who: str = "c1") -> tc.ContactMade:
    return tc.ContactMade(who, when, tc.Moment.BIRTHDAY, tc.Channel.SMS)


# ---- holidays


def test_a_holiday_closes_the_matcher_for_one_customer_and_the_whole_base() -> None:
    p = policy(holidays=["2010-11-22"])
    d = tc.match_offer(WHO, "plan_upgrade", CATALOGUE, at=MONDAY, policy=p)
    assert d.eligible and not d.allowed_now
    assert d.next_allowed_at == datetime(2010, 11, 23, 8, tzinfo=SH)
    assert d.reasons[-1] == "holiday 2010-11-22: no contact hours"
    m = tc.match_offers(CATALOGUE, at=MONDAY, **base(2), policy=p)
    assert m.eligible.all() and not m.allowed.any() and m.best.tolist() == [-1, -1]


def test_a_make_up_working_day_opens_the_matcher() -> None:
    p = policy(workdays=["2010-11-20"])
    saturday = datetime(2010, 11, 20, 10, tzinfo=SH)
    assert tc.match_offer(WHO, "plan_upgrade", CATALOGUE, at=saturday, policy=p).allowed_now
    m = tc.match_offers(CATALOGUE, at=saturday, **base(1), policy=p)
    assert m.allowed.tolist() == [[True, True]]


# ---- quiet hours


def test_quiet_hours_hold_back_only_the_offers_by_that_channel() -> None:
    p = policy(quiet_hours={"sms": "19:00-11:00"})
    text = tc.match_offer(WHO, "data_pack", CATALOGUE, at=MONDAY, policy=p)
    assert text.eligible and not text.allowed_now and text.channel is tc.Channel.SMS
    assert text.next_allowed_at == datetime(2010, 11, 22, 11, tzinfo=SH)
    assert text.reasons[-1] == "quiet hours for sms 19:00-11:00"
    assert tc.match_offer(WHO, "plan_upgrade", CATALOGUE, at=MONDAY, policy=p).allowed_now
    m = tc.match_offers(CATALOGUE, at=MONDAY, **base(1), policy=p)
    assert m.allowed.tolist() == [[False, True]] and m.best_codes().tolist() == ["plan_upgrade"]


# ---- caps per channel


def test_a_channel_cap_holds_back_the_offers_by_that_channel() -> None:
    p = policy(channel_caps={"sms": 1})
    history = [sms(MONDAY - timedelta(days=3))]
    text = tc.match_offer(WHO, "data_pack", CATALOGUE, at=MONDAY, contacts=history, policy=p)
    assert text.eligible and not text.allowed_now
    assert (
        text.reasons[-1] == "sms cap 1 per 30 days reached: next one allowed from 2010-12-19 10:00"
    )
    # the SMS leaves the window on Sun 19 Dec: the next opening is Mon 20 Dec
    assert text.next_allowed_at == datetime(2010, 12, 20, 8, tzinfo=SH)
    phone = tc.match_offer(WHO, "plan_upgrade", CATALOGUE, at=MONDAY, contacts=history, policy=p)
    assert phone.allowed_now
    counts = tc.contact_counts(["c1", "c2"], history, MONDAY, policy=p)
    m = tc.match_offers(CATALOGUE, at=MONDAY, **base(2), counts=counts, policy=p)
    assert m.allowed.tolist() == [[False, True], [True, True]]
    by_hand = tc.match_offers(
        CATALOGUE, at=MONDAY, **base(2), policy=p, counted_contacts=[1, 0],
        channel_contacts=[[0, 1, 0, 0, 0], [0] * 5],
    )  # fmt: skip
    assert by_hand.allowed.tolist() == m.allowed.tolist()


def test_a_channel_cap_per_day_holds_back_until_the_next_day() -> None:
    p = policy(channel_day_caps={"sms": 1})
    history = [sms(MONDAY - timedelta(hours=1))]
    text = tc.match_offer(WHO, "data_pack", CATALOGUE, at=MONDAY, contacts=history, policy=p)
    assert not text.allowed_now
    assert text.reasons[-1] == "sms cap 1 per day reached: next one allowed from 2010-11-23 00:00"
    assert text.next_allowed_at == datetime(2010, 11, 23, 8, tzinfo=SH)
    counts = tc.contact_counts(["c1"], history, MONDAY, policy=p)
    m = tc.match_offers(CATALOGUE, at=MONDAY, **base(1), counts=counts, policy=p)
    assert m.allowed.tolist() == [[False, True]]
    # yesterday's SMS leaves today's room
    tuesday = MONDAY + timedelta(days=1)
    assert tc.match_offer(
        WHO, "data_pack", CATALOGUE, at=tuesday, contacts=history, policy=p
    ).allowed_now
    by_hand = tc.match_offers(
        CATALOGUE, at=MONDAY, **base(1), policy=p, channel_today=[[0, 1, 0, 0, 0]]
    )
    assert by_hand.allowed.tolist() == [[False, True]]


def test_a_channel_cap_of_zero_never_opens() -> None:
    p = policy(channel_caps={"sms": 0})
    d = tc.match_offer(WHO, "data_pack", CATALOGUE, at=MONDAY, policy=p)
    assert not d.allowed_now and d.next_allowed_at is None
    assert d.reasons[-1] == "sms cap 0 per 30 days reached: next one allowed never"
    m = tc.match_offers(CATALOGUE, at=MONDAY, **base(1), policy=p)
    assert m.allowed.tolist() == [[False, True]]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"channel_contacts": [[0, 1, 0, 0]]}, "channel_contacts must have shape (1, 5), got (1, 4)"),
        ({"channel_today": [[0, -1, 0, 0, 0]]}, "channel_today must be >= 0"),
        ({"counts": [1, 2]}, "counts must be a telcare.ContactCounts, got list"),
        ({"counts": tc.contact_counts(["a", "b"], [], MONDAY)},
         "counts has 2 rows, the base 1: give one per customer"),
        ({"counts": tc.contact_counts(["a"], [], MONDAY), "counted_contacts": [0]},
         "give counts= or counted_contacts=, channel_contacts=, channel_today=, not both"),
    ],
)  # fmt: skip
def test_the_channel_counts_are_refused_by_name(given: dict[str, Any], message: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        tc.match_offers(CATALOGUE, at=MONDAY, **base(1), **given)
    assert message in str(info.value)


# ---- what follows the match: call lists and the allocation


def test_call_lists_hold_no_call_in_the_phones_quiet_hours_or_over_its_cap() -> None:
    phone_first = base(2, response=[[0.1, 1.0], [0.1, 1.0]])  # the phone offer scores best
    assert (
        len(tc.call_lists(tc.match_offers(CATALOGUE, at=MONDAY, **phone_first), ["li", "li"])) == 2
    )
    quiet = policy(quiet_hours={"phone": "19:00-11:00"})
    m = tc.match_offers(CATALOGUE, at=MONDAY, **phone_first, policy=quiet)
    assert len(tc.call_lists(m, ["li", "li"], policy=quiet)) == 0
    capped = policy(channel_caps={"phone": 1})
    calls = [tc.ContactMade("c1", MONDAY - timedelta(days=2), tc.Moment.CONTRACT_EXPIRY)]
    counts = tc.contact_counts(["c1", "c2"], calls, MONDAY, policy=capped)
    m = tc.match_offers(CATALOGUE, at=MONDAY, **phone_first, counts=counts, policy=capped)
    lists = tc.call_lists(m, ["li", "li"], policy=capped)
    # c1's phone cap is reached: its best allowed offer goes by SMS, off the lists
    assert lists.customer.tolist() == [1] and lists.other_channels == {"sms": 1}


def test_the_allocation_chooses_another_offer_when_a_channel_is_capped() -> None:
    p = policy(channel_caps={"sms": 1})
    counts = tc.contact_counts(["c1", "c2"], [sms(MONDAY - timedelta(days=3))], MONDAY, policy=p)
    m = tc.match_offers(CATALOGUE, at=MONDAY, **base(2), counts=counts, policy=p)
    a = tc.allocate(m)
    # the SMS offer is worth more, but c1's SMS cap is reached: it gets the phone offer
    assert a.to_dict()["offer"] == ["plan_upgrade", "data_pack"]
    assert a.to_dict()["channel"] == ["phone", "sms"]
    closed = tc.match_offers(
        CATALOGUE, at=MONDAY, **base(1), policy=policy(holidays=["2010-11-22"])
    )
    assert tc.allocate(closed).left_out() == {"cap": 1}
    assert np.all(tc.allocate(closed).offer == -1)
