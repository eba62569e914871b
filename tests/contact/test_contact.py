"""Contact caps and service hours."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pydantic
import pytest
from hypothesis import given, strategies as st

import telcare as tc

SH = ZoneInfo("Asia/Shanghai")


POLICY = tc.default_policy()


M = tc.Moment


MON = datetime(2026, 11, 23, 10, 0, tzinfo=SH)


def made(when: datetime, moment: tc.Moment = M.CONTRACT_EXPIRY, who: str = "c1") -> tc.ContactMade:
    return tc.ContactMade(who, when, moment)


# ---- frequency caps


def test_two_calls_per_thirty_days() -> None:
    history = [made(MON - timedelta(days=20)), made(MON - timedelta(days=5))]
    d = tc.contact_allowed("c1", M.USAGE_ANOMALY, MON, history, policy=POLICY)
    assert not d.allowed
    # the older contact leaves the window 30 days after it was made: Thu 3 Dec 10:00
    assert d.next_allowed_at == MON + timedelta(days=10)
    assert "2 contacts in the last 30 days (cap 2)" in d.reasons[0]


def test_exempt_moments_ignore_the_cap_and_do_not_count() -> None:
    history = [made(MON - timedelta(days=20)), made(MON - timedelta(days=5))]
    for moment in (M.NEW_SUBSCRIBER_CALLBACK, M.FIRST_TUTORING, M.CANCELLATION_REQUEST):
        d = tc.contact_allowed("c1", moment, MON, history, policy=POLICY)
        assert d.allowed and "exempt" in d.reasons[0]
    exempt_history = [made(MON - timedelta(days=1), M.CANCELLATION_REQUEST)] * 5
    assert tc.contact_allowed("c1", M.FIRST_BILL, MON, exempt_history, policy=POLICY).allowed


def test_marketing_calls_count_against_the_cap() -> None:
    # seed 000 caps outbound marketing calls ("外呼频次"): a call in a project counts
    calls = [tc.ContactMade("c1", MON - timedelta(days=d), project="data-pack") for d in (3, 9)]
    care = tc.contact_allowed("c1", M.USAGE_ANOMALY, MON, calls, policy=POLICY)
    assert not care.allowed and "2 contacts in the last 30 days (cap 2)" in care.reasons[0]
    third = tc.contact_allowed("c1", None, MON, calls, policy=POLICY)
    assert not third.allowed and third.next_allowed_at == MON + timedelta(days=21)
    one = tc.contact_allowed("c1", None, MON, calls[:1], policy=POLICY)
    assert one.allowed and one.reasons[0] == "1 of 2 contacts used in the last 30 days"
    # an exempt moment is still allowed, and a care call inside a project keeps its exemption
    assert tc.contact_allowed("c1", M.CANCELLATION_REQUEST, MON, calls, policy=POLICY).allowed
    exempt = [tc.ContactMade("c1", MON - timedelta(days=1), M.FIRST_TUTORING, project="onboard")]
    assert tc.contact_allowed("c1", None, MON, calls[:1] + exempt, policy=POLICY).allowed


def test_a_contact_names_a_moment_or_a_project() -> None:
    with pytest.raises(tc.InvalidInput, match=r"needs a moment .* or a project"):
        tc.ContactMade("c1", MON)
    with pytest.raises(tc.InvalidInput, match="project must not be empty"):
        tc.ContactMade("c1", MON, project="")
    marketing = tc.ContactMade("c1", MON, project="data-pack")
    assert marketing.moment is None and marketing.channel is tc.Channel.PHONE
    # a marketing call closes no key-moment action
    c = tc.Customer("c1", MON.date() - timedelta(days=400), tc.yuan(58))
    events = [tc.CancellationRequested("c1", MON), marketing]
    (action,) = tc.due_actions(c, events, as_of=MON.date(), policy=POLICY)
    assert action.status == "open"


def test_contacts_of_others_and_after_at_are_ignored() -> None:
    history = [made(MON - timedelta(days=1), who="c2")] * 3 + [made(MON + timedelta(hours=1))] * 3
    assert tc.contact_allowed("c1", M.FIRST_BILL, MON, history, policy=POLICY).allowed


@given(st.lists(st.tuples(st.integers(0, 90 * 24 * 60), st.sampled_from(list(M))), max_size=60))
def test_caps_are_never_exceeded_by_allowed_contacts(attempts: list[tuple[int, tc.Moment]]) -> None:
    start = datetime(2026, 1, 1, tzinfo=SH)
    made_so_far: list[tc.ContactMade] = []
    for minutes, moment in sorted(attempts):
        when = start + timedelta(minutes=minutes)
        d = tc.contact_allowed("c1", moment, when, made_so_far, policy=POLICY)
        if d.allowed:
            assert POLICY.contact.hours.is_open(when)
            made_so_far.append(tc.ContactMade("c1", when, moment))
        else:
            assert d.next_allowed_at > when
            assert tc.contact_allowed(
                "c1", moment, d.next_allowed_at, made_so_far, policy=POLICY
            ).allowed
    counted = [c.at for c in made_so_far if c.moment not in POLICY.contact.exempt]
    window = timedelta(days=POLICY.contact.window_days)
    for t in counted:
        assert sum(1 for u in counted if t - window < u <= t) <= POLICY.contact.max_marketing_calls


def test_a_contact_exactly_window_days_old_no_longer_counts() -> None:
    history = [made(MON - timedelta(days=30)), made(MON - timedelta(days=1))]
    d = tc.contact_allowed("c1", M.FIRST_BILL, MON, history, policy=POLICY)
    assert d.allowed and d.reasons == (
        "1 of 2 contacts used in the last 30 days",
        "within contact hours Mon-Fri 08:00-20:00",
    )
    just_inside = [
        made(MON - timedelta(days=30) + timedelta(seconds=1)),
        made(MON - timedelta(days=1)),
    ]
    assert not tc.contact_allowed("c1", M.FIRST_BILL, MON, just_inside, policy=POLICY).allowed


# ---- service hours


def test_outside_hours_names_the_next_opening() -> None:
    saturday = datetime(2026, 11, 21, 10, 0, tzinfo=SH)
    d = tc.contact_allowed("c1", M.CANCELLATION_REQUEST, saturday, [], policy=POLICY)
    assert (d.allowed, d.next_allowed_at) == (False, datetime(2026, 11, 23, 8, 0, tzinfo=SH))
    assert "next opening Mon 23 Nov 08:00" in d.reasons[-1]


def test_a_cap_release_at_night_waits_for_the_morning() -> None:
    history = [
        made(datetime(2026, 11, 1, 19, 30, tzinfo=SH)),
        made(datetime(2026, 11, 2, 9, 0, tzinfo=SH)),
    ]
    evening = datetime(2026, 11, 30, 19, 0, tzinfo=SH)
    d = tc.contact_allowed("c1", M.FIRST_BILL, evening, history, policy=POLICY)
    # the first contact leaves the window on 1 Dec 19:30, inside hours
    assert d.next_allowed_at == datetime(2026, 12, 1, 19, 30, tzinfo=SH)


def test_hours_are_taken_in_the_policy_time_zone() -> None:
    utc = tc.Policy.model_validate({"timezone": "UTC"})
    monday_9_shanghai = datetime(2026, 11, 23, 9, 0, tzinfo=SH)  # Monday 01:00 UTC
    assert tc.contact_allowed("c1", M.BIRTHDAY, monday_9_shanghai, [], policy=POLICY).allowed
    d = tc.contact_allowed("c1", M.BIRTHDAY, monday_9_shanghai, [], policy=utc)
    assert not d.allowed and d.next_allowed_at == datetime(
        2026, 11, 23, 8, 0, tzinfo=ZoneInfo("UTC")
    )


# ---- refusals


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: tc.contact_allowed("c1", "teatime", MON, []), "unknown moment 'teatime'"),
        (lambda: tc.contact_allowed("", M.BIRTHDAY, MON, []), "customer_id"),
        (lambda: tc.contact_allowed("c1", M.BIRTHDAY, datetime(2026, 1, 1, 9), []), "naive"),
        (lambda: tc.contact_allowed("c1", M.BIRTHDAY, MON, [MON]), "ContactMade"),
    ],
)
def test_contact_bad_inputs(call: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    assert fragment in str(info.value)


def test_contact_messages() -> None:
    with pytest.raises(
        tc.InvalidInput, match=r"^recent_contacts must be ContactMade events, got datetime$"
    ):
        tc.contact_allowed("c1", M.BIRTHDAY, MON, [MON])
    with pytest.raises(tc.InvalidInput, match=r"^at must be timezone-aware"):
        tc.contact_allowed("c1", M.BIRTHDAY, datetime(2026, 1, 1, 9), [])
    looser = tc.Policy.model_validate({"contact": {"max_marketing_calls": 3}})
    history = [made(MON - timedelta(days=20)), made(MON - timedelta(days=5))]
    assert tc.contact_allowed("c1", M.USAGE_ANOMALY, MON, history, policy=looser).reasons[0] == (
        "2 of 3 contacts used in the last 30 days"
    )


# ---- one cap window: contact_allowed and the offer matchers agree

_OFFER = {"channels": ["phone"], "value": 1_000, "cost": 100,
          "valid_from": "2000-01-01", "valid_to": "2040-12-31"}  # fmt: skip
#: One offer per project type, open to everyone: only the caps and the hours decide.
OPEN_CATALOGUE = tc.OfferCatalogue.model_validate(
    {"offers": [{**_OFFER, "code": f"{p}_offer", "name": p, "project_type": p}
                for p in tc.PROJECT_TYPES]}
)  # fmt: skip
CAP = st.integers(0, 3)


@st.composite
def cap_policies(draw: Any) -> tc.Policy:
    types = [*POLICY.tiers.codes, POLICY.segment.code]
    return tc.Policy.model_validate({"contact": {
        "max_marketing_calls": draw(CAP),
        "window_days": draw(st.integers(1, 40)),
        "customer_type_caps": draw(st.dictionaries(st.sampled_from(types), CAP, max_size=3)),
        "project_type_caps": draw(st.dictionaries(st.sampled_from(tc.PROJECT_TYPES), CAP)),
    }})  # fmt: skip


@st.composite
def histories(draw: Any, who: str) -> list[tc.ContactMade]:
    moments = st.sampled_from([None, M.CONTRACT_EXPIRY, M.FIRST_TUTORING, M.CANCELLATION_REQUEST])
    projects = st.sampled_from([*OPEN_CATALOGUE.codes, "not_an_offer"])
    out = []
    for minutes in draw(st.lists(st.integers(-60 * 24, 50 * 24 * 60), max_size=8)):
        moment = draw(moments)
        project = draw(projects) if moment is None else draw(st.none() | projects)
        out.append(
            tc.ContactMade(
                draw(st.sampled_from([who, "other"])),
                MON - timedelta(minutes=minutes),
                moment,
                project=project,
            )
        )
    return out  # fmt: skip


@given(
    cap_policies(),
    st.sampled_from(POLICY.tiers.codes),
    st.booleans(),
    st.integers(0, 7 * 24 * 60),
    st.data(),
)
def test_contact_allowed_and_the_matcher_agree_on_the_cap(
    policy: tc.Policy, tier: str, member: bool, minutes: int, data: Any
) -> None:
    customer = tc.Customer("c1", datetime(2005, 1, 1).date(), tc.yuan(88), tier=tier,
                           segments={"mid_high_end"} if member else set())  # fmt: skip
    who = tc.Prospect(customer)
    contacts = data.draw(histories("c1"))
    at = MON + timedelta(minutes=minutes)  # inside and outside the contact hours
    for code in OPEN_CATALOGUE.codes:
        offer = tc.match_offer(who, code, OPEN_CATALOGUE, at=at, contacts=contacts, policy=policy)
        assert offer.eligible
        for person in (who, customer):
            call = tc.contact_allowed(person, None, at, contacts, policy=policy,
                                      offer=code, catalogue=OPEN_CATALOGUE)  # fmt: skip
            assert call.allowed == offer.allowed_now, (call.reasons, offer.reasons)
            assert call.next_allowed_at == offer.next_allowed_at
    # without the offer, a marketing call meets the customer type's cap alone, as a care
    # contact that counts does
    plain = tc.contact_allowed(customer, None, at, contacts, policy=policy)
    care = tc.contact_allowed(customer, M.FIRST_BILL, at, contacts, policy=policy)
    assert (plain.allowed, plain.next_allowed_at) == (care.allowed, care.next_allowed_at)


def test_a_customer_type_cap_of_one_refuses_the_second_call_in_both() -> None:
    # issue 27: contact_allowed said "1 of 2" while match_offer said "cap 1"
    policy = tc.Policy.model_validate({"contact": {"customer_type_caps": {"ordinary": 1}}})
    customer = tc.Customer("c1", datetime(2005, 1, 1).date(), tc.yuan(88))
    calls = [tc.ContactMade("c1", MON - timedelta(days=3), project="retention_offer")]
    d = tc.contact_allowed(customer, None, MON, calls, policy=policy)
    assert not d.allowed
    assert (
        d.reasons[0]
        == "1 contacts in the last 30 days (cap 1): next one allowed from 2026-12-20 10:00"
    )
    assert d.next_allowed_at == datetime(
        2026, 12, 21, 8, tzinfo=SH
    )  # Sunday's release waits for Monday
    offer = tc.match_offer(tc.Prospect(customer), "promotion_offer", OPEN_CATALOGUE, at=MON,
                           contacts=calls, policy=policy)  # fmt: skip
    assert not offer.allowed_now and "1 contacts in the last 30 days (cap 1)" in offer.reasons
    assert offer.next_allowed_at == d.next_allowed_at
    # by id, the default cap applies as before
    by_id = tc.contact_allowed("c1", None, MON, calls, policy=policy)
    assert by_id.allowed and by_id.reasons[0] == "1 of 2 contacts used in the last 30 days"


def test_a_cap_of_zero_never_allows_and_says_so() -> None:
    policy = tc.Policy.model_validate({"contact": {"customer_type_caps": {"gold": 0}}})
    gold = tc.Customer("c1", datetime(2005, 1, 1).date(), tc.yuan(88), tier="gold")
    d = tc.contact_allowed(gold, M.FIRST_BILL, MON, [], policy=policy)
    assert (d.allowed, d.next_allowed_at) == (False, None)
    assert d.reasons[0] == "0 contacts in the last 30 days (cap 0): next one allowed never"
    offer = tc.match_offer(
        tc.Prospect(gold), "promotion_offer", OPEN_CATALOGUE, at=MON, policy=policy
    )
    assert offer.eligible and not offer.allowed_now and offer.next_allowed_at is None
    # an exempt moment still goes through
    assert tc.contact_allowed(gold, M.CANCELLATION_REQUEST, MON, [], policy=policy).allowed


def test_a_prospect_on_the_do_not_call_list_gets_no_marketing_call_but_care() -> None:
    who = tc.Prospect(tc.Customer("c1", datetime(2005, 1, 1).date(), tc.yuan(88)), do_not_call=True)
    d = tc.contact_allowed(who, None, MON, [])
    assert (d.allowed, d.next_allowed_at) == (False, None)
    assert d.reasons == ("on the do-not-call list: no marketing contact",)
    assert tc.contact_allowed(who, M.CONTRACT_EXPIRY, MON, []).allowed
    with pytest.raises(tc.InvalidInput, match="offer= needs catalogue="):
        tc.contact_allowed("c1", None, MON, [], offer="promotion_offer")


# ---- a moment registered from outside


def test_a_registered_moment_gets_its_policy_channel_priority_and_exemption() -> None:
    roaming = tc.MomentSpec("roaming_abroad", "Roaming abroad", number=8)
    moments = tc.MOMENTS.with_moment(roaming)
    base = tc.default_policy()
    policy = tc.Policy.model_validate({
        "moments": {"registered": ["roaming_abroad"],
                    "channels": {**base.moments.channels, "roaming_abroad": "sms"},
                    "priorities": {**base.moments.priorities, "roaming_abroad": 1}},
        "contact": {"exempt": [*base.contact.exempt, "roaming_abroad"]},
    })  # fmt: skip
    calls = [tc.ContactMade("c1", MON - timedelta(days=d), project="data-pack") for d in (2, 4)]
    # by default the registered moment is a counted contact like any other: capped
    capped = tc.contact_allowed("c1", roaming, MON, calls)
    assert not capped.allowed and "2 contacts in the last 30 days (cap 2)" in capped.reasons[0]
    # the policy exempts it: by its spec, or by its code with the registry
    for moment, kw in ((roaming, {}), ("roaming_abroad", {"moments": moments})):
        d = tc.contact_allowed("c1", moment, MON, calls, policy=policy, **kw)
        assert d.allowed and d.reasons[0] == "roaming_abroad is exempt from the frequency cap"
    # an exempt registered contact does not count against the cap either
    made = [*calls[:1], tc.ContactMade("c1", MON - timedelta(days=1), roaming)]
    assert tc.contact_allowed("c1", None, MON, made, policy=policy).reasons[0] == (
        "1 of 2 contacts used in the last 30 days"
    )
    with pytest.raises(tc.InvalidInput, match="unknown moment 'roaming_abroad'"):
        tc.contact_allowed("c1", "roaming_abroad", MON, calls, policy=policy)  # no registry
    # the policy's channel and priority reach its actions
    spec = tc.MomentSpec(
        "roaming_abroad", "Roaming abroad", number=8, events=(tc.CancellationRequested,),
        actions=lambda r: tc.simple_moment(r, tc.CancellationRequested, "roaming_abroad", 1, "call"),
    )  # fmt: skip
    customer = tc.Customer("c1", MON.date() - timedelta(days=400), tc.yuan(58))
    events = [tc.CancellationRequested("c1", MON - timedelta(hours=1))]
    actions = tc.due_actions(customer, events, as_of=MON.date(), policy=policy,
                             moments=tc.MOMENTS.with_moment(spec))  # fmt: skip
    (roam,) = [a for a in actions if a.moment == "roaming_abroad"]
    assert (roam.channel, roam.priority) == (tc.Channel.SMS, 1)


def test_contact_allowed_refuses_a_registry_that_is_not_one() -> None:
    with pytest.raises(
        tc.InvalidInput, match=r"moments must be a telcare\.MomentRegistry, got False"
    ):
        tc.contact_allowed("c1", None, MON, [], moments=False)  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match="unknown offer 'nope'"):
        tc.contact_allowed("c1", None, MON, [], offer="nope", catalogue=OPEN_CATALOGUE)


def test_recent_contacts_must_be_a_collection_of_contacts() -> None:
    at = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    with pytest.raises(
        tc.InvalidInput, match="recent_contacts must be an iterable of object, got NoneType None"
    ):
        tc.contact_allowed("c1", None, at, None)  # type: ignore[arg-type]
    one = tc.ContactMade("c1", at, project="x")
    with pytest.raises(tc.InvalidInput, match="recent_contacts must be an iterable"):
        tc.contact_allowed("c1", None, at, one)  # type: ignore[arg-type]


def test_a_customer_of_a_tier_the_policy_does_not_have_is_refused_as_the_matcher_refuses() -> None:
    # a cap for the unknown tier is itself refused now (#28), so the default policy
    with pytest.raises(pydantic.ValidationError, match="'platinum' is neither a tier"):
        tc.Policy.model_validate({"contact": {"customer_type_caps": {"platinum": 9}}})
    policy = tc.default_policy()
    plat = tc.Customer("c1", date(2008, 1, 1), tc.yuan(88), tier="platinum")
    at = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    with pytest.raises(tc.InvalidInput, match="platinum"):
        tc.contact_allowed(plat, None, at, [], policy=policy)
