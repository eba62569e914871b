"""The agreement property with channel caps, quiet hours and holidays drawn: the whole-base
matcher equals the one-customer matcher on every cell, which equals
``contact_allowed`` for the offer's channel; no allocated cell breaks a channel cap,
a quiet hour or a holiday (#30 item 4)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, strategies as st

import telcare as tc

SH = ZoneInfo("Asia/Shanghai")
CHANNELS = list(tc.Channel)
_OFFER = {"cost": 500, "valid_from": "2010-01-01", "valid_to": "2010-12-31"}
CATALOGUE = tc.OfferCatalogue.model_validate({"offers": [
    {**_OFFER, "code": "call_up", "name": "A", "project_type": "promotion",
     "channels": ["phone", "sms"], "value": 5_000},
    {**_OFFER, "code": "text_pack", "name": "B", "project_type": "promotion",
     "channels": ["sms", "email"], "value": 2_000},
    {**_OFFER, "code": "keep", "name": "C", "project_type": "retention",
     "channels": ["phone"], "value": 3_000},
    {**_OFFER, "code": "letter", "name": "D", "project_type": "rescue",
     "channels": ["dm", "web", "email"], "value": 1_500},
]})  # fmt: skip
QUIET = ["21:00-09:00", "19:00-11:00", "12:00-13:00", "08:00-10:00"]
#: Sat 20 Nov (a make-up working day when drawn) to Tue 23 Nov 2010, 07:00-21:30.
DAYS = [date(2010, 11, d) for d in (20, 21, 22, 23)]


@st.composite
def policies(draw: Any, holidays: list[date]) -> tc.Policy:
    caps = st.dictionaries(st.sampled_from(CHANNELS), st.integers(0, 3), max_size=3)
    quiet = st.dictionaries(st.sampled_from(CHANNELS), st.sampled_from(QUIET), max_size=2)
    return tc.Policy.model_validate({"contact": {
        "max_marketing_calls": draw(st.integers(1, 6)),
        "customer_type_caps": draw(st.sampled_from([{}, {"gold": 1}, {"gold": 4}])),
        "channel_caps": {c.value: k for c, k in draw(caps).items()},
        "channel_day_caps": {c.value: k for c, k in draw(caps).items()},
        "quiet_hours": {c.value: q for c, q in draw(quiet).items()},
        "holidays": [str(d) for d in draw(st.sets(st.sampled_from(holidays)))],
        "workdays": ["2010-11-20"] if draw(st.booleans()) else [],
    }})  # fmt: skip


@st.composite
def moments(draw: Any, days: list[date], hours: tuple[int, int]) -> datetime:
    day = draw(st.sampled_from(days))
    minutes = draw(st.integers(hours[0] * 60, hours[1] * 60))
    local = datetime(day.year, day.month, day.day, tzinfo=SH) + timedelta(minutes=minutes)
    return local.astimezone(ZoneInfo("UTC")) if draw(st.booleans()) else local


@st.composite
def prospects(draw: Any, i: int, at: datetime) -> tuple[tc.Prospect, list[tc.ContactMade]]:
    customer = tc.Customer(f"c{i}", date(2008, 1, 1), 8_800, tier="gold" if i % 2 else "ordinary")
    who = tc.Prospect(
        customer,
        preferred_channel=draw(st.sampled_from([None, *CHANNELS])),
        refused_channels=draw(st.sets(st.sampled_from(CHANNELS), max_size=2)),
    )
    ago = st.one_of(st.integers(0, 30), st.integers(0, 40 * 24))  # hours: today's, the window's
    contacts = [
        tc.ContactMade(customer.id, at - timedelta(hours=draw(ago), minutes=1),
                       draw(st.sampled_from([None, tc.Moment.BIRTHDAY, tc.Moment.FIRST_TUTORING])),
                       draw(st.sampled_from(CHANNELS)), project=draw(st.sampled_from(CATALOGUE.codes)))
        for _ in range(draw(st.integers(0, 4)))
    ]  # fmt: skip
    return who, contacts


@st.composite
def cases(draw: Any, open_day: bool = False) -> tuple[tc.Policy, datetime, list[Any], bool]:
    """A policy, a moment, a base and which form its counts take; ``open_day``: a
    moment inside the contact hours of a working day, where the caps decide."""
    days, hours = ([DAYS[2]], (8, 19)) if open_day else (DAYS, (7, 21))
    at = draw(moments(days, hours))
    rows = [draw(prospects(i, at)) for i in range(draw(st.integers(1, 8)))]
    return draw(policies(DAYS[3:] if open_day else DAYS[2:])), at, rows, draw(st.booleans())


def _match(p: tc.Policy, at: datetime, rows: list[Any], by_hand: bool) -> tc.OfferMatch:
    """The base's match, its counts from ``contact_counts`` given whole or as columns."""
    ids = [who.customer.id for who, _ in rows]
    history = [c for _, contacts in rows for c in contacts]
    counts = tc.contact_counts(ids, history, at, policy=p)
    window = timedelta(days=p.contact.window_days)
    types = {o.code: tc.PROJECT_TYPES.index(o.project_type) for o in CATALOGUE}
    by_project = [[0] * len(tc.PROJECT_TYPES) for _ in rows]
    for c in history:
        if c.moment is None and at - window < c.at <= at:
            by_project[ids.index(c.customer_id)][types[str(c.project)]] += 1
    columns: dict[str, Any] = {
        "tier": [p.tiers.index(who.customer.tier) for who, _ in rows],
        "segment_member": [False] * len(rows), "avg_spend": [0] * len(rows),
        "plan_fee": [8_800] * len(rows), "tenure_months": [34] * len(rows),
        "credit_level": [1] * len(rows),
        "preferred_channel": [-1 if w.preferred_channel is None else CHANNELS.index(w.preferred_channel) for w, _ in rows],
        "refused": [[ch in w.refused_channels for ch in CHANNELS] for w, _ in rows],
        "project_contacts": by_project,
    }  # fmt: skip
    if by_hand:
        columns |= {"counted_contacts": counts.counted, "channel_contacts": counts.by_channel,
                    "channel_today": counts.today}  # fmt: skip
    else:
        columns["counts"] = counts
    return tc.match_offers(CATALOGUE, at=at, policy=p, **columns)


@given(cases())
def test_the_whole_base_equals_the_one_customer_rule_under_channel_caps(case: Any) -> None:
    p, at, rows, by_hand = case
    batch = _match(p, at, rows, by_hand)
    for i, (who, contacts) in enumerate(rows):
        for j, code in enumerate(CATALOGUE.codes):
            d = tc.match_offer(who, code, CATALOGUE, at=at, contacts=contacts, policy=p)
            assert bool(batch.eligible[i, j]) == d.eligible, (code, d.reasons)
            assert bool(batch.allowed[i, j]) == d.allowed_now, (code, d.reasons)
            if not d.eligible:
                continue
            # the one cap window: contact_allowed says the same for the offer's channel
            c = tc.contact_allowed(
                who,
                None,
                at,
                contacts,
                policy=p,
                offer=code,
                catalogue=CATALOGUE,
                channel=d.channel,
            )
            assert (c.allowed, c.next_allowed_at) == (d.allowed_now, d.next_allowed_at), (
                code, d.reasons, c.reasons,
            )  # fmt: skip


@given(cases(open_day=True))
def test_no_allocated_cell_breaks_a_channel_cap_a_quiet_hour_or_a_holiday(case: Any) -> None:
    p, at, rows, by_hand = case
    a = tc.allocate(_match(p, at, rows, by_hand))
    for i, (who, contacts) in enumerate(rows):
        if a.offer[i] < 0:
            continue
        channel = CHANNELS[int(a.channel[i])]
        code = CATALOGUE.codes[int(a.offer[i])]
        d = tc.contact_allowed(
            who, None, at, contacts, policy=p, offer=code, catalogue=CATALOGUE, channel=channel
        )
        assert d.allowed, (code, channel, d.reasons)
        assert p.contact.next_opening(at.astimezone(SH), channel) == at
