"""Offers, conflicts and matching: one customer and the whole base agree on every row."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, strategies as st
from pydantic import ValidationError

import telcare as tc

SH = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2010, 11, 22, 10, tzinfo=SH)
POLICY = tc.default_policy()
CHANNELS = list(tc.Channel)

_COMMON = {"valid_from": "2010-10-01", "valid_to": "2010-12-31", "cost": 500}
CATALOGUE = tc.OfferCatalogue.model_validate({
    "products": {"basic_fee_discount": "Basic call-fee discount", "family_plan": "Family plan"},
    "offers": [
        {**_COMMON, "code": "deposit_talk_time", "name": "Deposit and get talk time",
         "project_type": "promotion", "channels": ["phone", "sms"], "value": 5_000,
         "conflicts": {"basic_fee_discount": "replaces the basic call-fee discount for its term",
                       "loyalty_bonus": "one bonus at a time"}},
        {**_COMMON, "code": "loyalty_bonus", "name": "Loyalty bonus", "project_type": "retention",
         "channels": ["phone"], "value": 3_000, "tiers": ["silver", "gold", "diamond"],
         "conflicts": {"deposit_talk_time": "one bonus at a time"}},
        {**_COMMON, "code": "data_pack", "name": "Data pack", "project_type": "promotion",
         "channels": ["sms", "email"], "value": 2_000, "min_plan_fee": 5_800, "max_spend": 40_000},
        {**_COMMON, "code": "winback", "name": "Win-back call", "project_type": "rescue",
         "channels": ["phone"], "value": 8_000, "min_tenure_months": 24, "min_credit_level": 2,
         "segments": ["mid_high_end"]},
        {**_COMMON, "code": "family_add_on", "name": "Family add-on", "project_type": "telemarketing",
         "channels": ["phone", "dm"], "value": 1_500, "requires": ["family_plan"],
         "valid_from": "2011-01-01", "valid_to": "2011-03-31"},
    ],
})  # fmt: skip


def prospect(**kw: Any) -> tc.Prospect:
    customer = kw.pop("customer", None) or tc.Customer(
        "c1", date(2007, 1, 1), tc.yuan(88), monthly_spend=(30_000,), tier="gold", credit_level=3,
        segments={"mid_high_end"},
    )  # fmt: skip
    return tc.Prospect(customer, **kw)


# ---- the catalogue


def test_the_catalogue_validates_as_a_whole() -> None:
    data = CATALOGUE.model_dump(mode="json")
    assert tc.OfferCatalogue.model_validate(data) == CATALOGUE
    assert tc.OfferCatalogue.model_validate_json(CATALOGUE.model_dump_json()) == CATALOGUE
    schema = tc.OfferCatalogue.model_json_schema()
    assert "offers" in schema["properties"] and "Offer" in schema["$defs"]
    one_sided = {**data, "offers": [{**o, "conflicts": {}} if o["code"] == "loyalty_bonus" else o
                                    for o in data["offers"]]}  # fmt: skip
    with pytest.raises(ValidationError, match="declare a conflict between offers on both sides"):
        tc.OfferCatalogue.model_validate(one_sided)
    with pytest.raises(ValidationError, match="repeat"):
        tc.OfferCatalogue.model_validate({**data, "offers": data["offers"] + data["offers"][:1]})
    with pytest.raises(ValidationError, match="neither an offer nor a product"):
        tc.OfferCatalogue.model_validate({**data, "products": {"family_plan": "Family plan"}})
    bad_dates = {**data["offers"][2], "valid_to": "2010-01-01"}
    with pytest.raises(ValidationError, match="valid_to 2010-01-01 is before valid_from"):
        tc.Offer.model_validate(bad_dates)
    with pytest.raises(ValidationError, match="min_spend 5 is above max_spend 4"):
        tc.Offer.model_validate({**data["offers"][2], "min_spend": 5, "max_spend": 4})
    with pytest.raises(tc.InvalidInput, match="unknown offer 'nope'"):
        CATALOGUE["nope"]
    assert CATALOGUE.holdings[:2] == ("basic_fee_discount", "family_plan") and len(CATALOGUE) == 5


def test_seed_003s_conflict_is_named() -> None:
    # seed 003: a "deposit and get talk time" offer cancelled the basic call-fee discount
    assert tc.offer_conflicts({"basic_fee_discount"}, "deposit_talk_time", CATALOGUE) == (
        ("basic_fee_discount", "replaces the basic call-fee discount for its term"),)  # fmt: skip
    d = tc.match_offer(
        prospect(holds={"basic_fee_discount"}), "deposit_talk_time", CATALOGUE, at=MONDAY
    )
    assert not d.eligible
    assert d.reasons == (
        "conflicts with basic_fee_discount: replaces the basic call-fee discount for its term",
    )
    assert (
        tc.offer_conflicts({"loyalty_bonus"}, "deposit_talk_time", CATALOGUE)[0][0]
        == "loyalty_bonus"
    )
    with pytest.raises(tc.InvalidInput, match="holds must be a collection"):
        tc.offer_conflicts("basic_fee_discount", "deposit_talk_time", CATALOGUE)


# ---- one customer


def test_every_gate_says_why() -> None:
    poor = tc.Customer("c2", date(2010, 6, 1), tc.yuan(38), monthly_spend=(50_000,), credit_level=1)
    d = tc.match_offer(
        prospect(customer=poor, refused_channels={"sms", "email"}),
        "data_pack",
        CATALOGUE,
        at=MONDAY,
    )
    assert d.reasons == (
        "average spend ¥500.00 outside the offer's band ¥0.00 to ¥400.00",
        "plan fee ¥38.00 outside the offer's band ¥58.00 to any",
        "no channel left: the offer uses sms, email, the customer refused email, sms",
    )
    w = tc.match_offer(prospect(customer=poor), "winback", CATALOGUE, at=MONDAY)
    assert w.reasons == (
        "not in the mid_high_end segment",
        "tenure 5 months < 24",
        "credit level 1 < 2",
    )
    f = tc.match_offer(prospect(), "family_add_on", CATALOGUE, at=MONDAY)
    assert f.reasons == ("not valid on 2010-11-22 (valid 2011-01-01 to 2011-03-31)",
                         "does not hold family_plan, which the offer requires")  # fmt: skip
    t = tc.match_offer(prospect(customer=poor), "loyalty_bonus", CATALOGUE, at=MONDAY)
    assert t.reasons == ("tier ordinary is not one of silver, gold, diamond",)


def test_do_not_call_blocks_every_marketing_contact() -> None:
    decisions = tc.best_offers(prospect(do_not_call=True), CATALOGUE, at=MONDAY)
    assert decisions == ()
    d = tc.match_offer(prospect(do_not_call=True), "loyalty_bonus", CATALOGUE, at=MONDAY)
    assert d.reasons == ("on the do-not-call list: no marketing contact",)


def test_preferred_channel_then_the_offers_order() -> None:
    assert (
        tc.match_offer(
            prospect(preferred_channel="sms"), "deposit_talk_time", CATALOGUE, at=MONDAY
        ).channel
        is tc.Channel.SMS
    )
    assert (
        tc.match_offer(
            prospect(preferred_channel="email"), "deposit_talk_time", CATALOGUE, at=MONDAY
        ).channel
        is tc.Channel.PHONE
    )
    assert (
        tc.match_offer(
            prospect(refused_channels={"phone"}), "deposit_talk_time", CATALOGUE, at=MONDAY
        ).channel
        is tc.Channel.SMS
    )


def test_caps_per_customer_type_and_project_type() -> None:
    promo = [tc.ContactMade("c1", MONDAY - timedelta(days=3), project="deposit_talk_time")]
    d = tc.match_offer(prospect(), "deposit_talk_time", CATALOGUE, at=MONDAY, contacts=promo)
    # one promotion call in the window already: the promotion cap is 1
    assert d.eligible and not d.allowed_now
    assert d.reasons[-1] == "1 promotion calls in the window (cap 1)"
    # the call leaves the window on Sat 18 Dec; the next opening is Mon 20 Dec 08:00
    assert d.next_allowed_at == datetime(2010, 12, 20, 8, tzinfo=SH)
    # a retention offer is another project type: still allowed
    assert tc.match_offer(
        prospect(), "loyalty_bonus", CATALOGUE, at=MONDAY, contacts=promo
    ).allowed_now
    # the customer type's cap: gold customers at most 1 counted contact
    strict = tc.Policy.model_validate({"contact": {"customer_type_caps": {"gold": 1}}})
    capped = tc.match_offer(
        prospect(), "loyalty_bonus", CATALOGUE, at=MONDAY, contacts=promo, policy=strict
    )
    assert not capped.allowed_now and "1 contacts in the last 30 days (cap 1)" in capped.reasons
    # exempt care contacts do not count
    care = [tc.ContactMade("c1", MONDAY - timedelta(days=1), tc.Moment.CANCELLATION_REQUEST)] * 3
    assert tc.match_offer(
        prospect(), "loyalty_bonus", CATALOGUE, at=MONDAY, contacts=care
    ).allowed_now


def test_outside_contact_hours_waits_for_the_opening() -> None:
    sunday = datetime(2010, 11, 21, 10, tzinfo=SH)
    d = tc.match_offer(prospect(), "loyalty_bonus", CATALOGUE, at=sunday)
    assert (
        d.eligible
        and not d.allowed_now
        and d.next_allowed_at == datetime(2010, 11, 22, 8, tzinfo=SH)
    )


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: tc.match_offer("c1", "data_pack", CATALOGUE, at=MONDAY), "needs a telcare.Prospect"),
        (lambda: tc.match_offer(prospect(), "nope", CATALOGUE, at=MONDAY), "unknown offer 'nope'"),
        (lambda: tc.match_offer(prospect(), "data_pack", {}, at=MONDAY), "catalogue must be a telcare.OfferCatalogue"),
        (lambda: tc.match_offer(prospect(holds={"x"}), "data_pack", CATALOGUE, at=MONDAY), "holds names ['x']"),
        (lambda: tc.match_offer(prospect(), "data_pack", CATALOGUE, at=MONDAY.replace(tzinfo=None)), "timezone-aware"),
        (lambda: tc.match_offer(prospect(), "data_pack", CATALOGUE, at=MONDAY, response=float("nan")), "response for 'data_pack'"),
        (lambda: tc.best_offers(prospect(), CATALOGUE, at=MONDAY, responses={"nope": 1}), "unknown offer 'nope'"),
        (lambda: tc.best_offers(prospect(), CATALOGUE, at=MONDAY, contacts=[1]), "ContactMade events"),
        (lambda: tc.Prospect(prospect().customer, preferred_channel="fax"), "unknown channel 'fax'"),
        (lambda: tc.Prospect(prospect().customer, refused_channels=["pigeon"]), "refused_channels must name"),
        (lambda: tc.Prospect(prospect().customer, holds=[1]), "holds must hold str codes"),
    ],
)  # fmt: skip
def test_one_customer_refusals(call: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    assert fragment in str(info.value)


# ---- the whole base equals the one-customer rule on every row


@st.composite
def prospects(draw: Any, i: int) -> tuple[tc.Prospect, list[tc.ContactMade], dict[str, float]]:
    tier = draw(st.sampled_from(POLICY.tiers.codes))
    customer = tc.Customer(
        f"c{i}", draw(st.dates(date(2000, 1, 1), date(2010, 11, 1))),
        draw(st.sampled_from([3_800, 5_800, 8_800, 12_600])),
        monthly_spend=tuple(draw(st.lists(st.integers(0, 80_000), max_size=3))),
        tier=tier, credit_level=draw(st.integers(1, 5)),
        segments={"mid_high_end"} if draw(st.booleans()) else set(),
    )  # fmt: skip
    who = tc.Prospect(
        customer,
        holds=draw(st.sets(st.sampled_from(CATALOGUE.holdings), max_size=2)),
        preferred_channel=draw(st.sampled_from([None, *CHANNELS])),
        refused_channels=draw(st.sets(st.sampled_from(CHANNELS), max_size=3)),
        do_not_call=draw(st.booleans()) and draw(st.booleans()),
    )
    contacts = [
        tc.ContactMade(customer.id, MONDAY - timedelta(days=draw(st.integers(0, 40)), hours=1),
                       draw(st.sampled_from([None, tc.Moment.CONTRACT_EXPIRY, tc.Moment.FIRST_TUTORING])),
                       project=draw(st.sampled_from(CATALOGUE.codes)))
        for _ in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    responses = {code: draw(st.sampled_from([0.0, 0.05, 0.3, 1.0])) for code in CATALOGUE.codes}
    return who, contacts, responses


def _columns(
    rows: list[tuple[tc.Prospect, list[tc.ContactMade], dict[str, float]]],
) -> dict[str, Any]:
    """The base as columns, by hand: what a caller's SQL would produce."""
    window = timedelta(days=POLICY.contact.window_days)
    types = {o.code: tc.PROJECT_TYPES.index(o.project_type) for o in CATALOGUE}
    counted, by_project = [], []
    for _who, contacts, _ in rows:
        live = [
            c
            for c in contacts
            if MONDAY - window < c.at <= MONDAY and c.moment not in POLICY.contact.exempt
        ]
        counted.append(len(live))
        per = [0] * len(tc.PROJECT_TYPES)
        for c in live:
            if c.moment is None:
                per[types[c.project]] += 1  # type: ignore[index]
        by_project.append(per)
    people = [who.customer for who, _, _ in rows]
    return {
        "tier": [POLICY.tiers.index(c.tier) for c in people],
        "segment_member": ["mid_high_end" in c.segments for c in people],
        "avg_spend": [sum(c.monthly_spend) // len(c.monthly_spend) if c.monthly_spend else 0 for c in people],
        "plan_fee": [c.plan_fee for c in people],
        "tenure_months": [(2010 - c.activated_on.year) * 12 + 11 - c.activated_on.month for c in people],
        "credit_level": [c.credit_level for c in people],
        "holds": [[h in who.holds for h in CATALOGUE.holdings] for who, _, _ in rows],
        "preferred_channel": [-1 if w.preferred_channel is None else CHANNELS.index(w.preferred_channel) for w, _, _ in rows],
        "refused": [[ch in w.refused_channels for ch in CHANNELS] for w, _, _ in rows],
        "do_not_call": [w.do_not_call for w, _, _ in rows],
        "counted_contacts": counted,
        "project_contacts": by_project,
        "response": [[r[code] for code in CATALOGUE.codes] for _, _, r in rows],
    }  # fmt: skip


@given(st.integers(1, 12).flatmap(lambda n: st.tuples(*(prospects(i) for i in range(n)))))
def test_the_whole_base_equals_the_one_customer_rule(rows: tuple[Any, ...]) -> None:
    batch = tc.match_offers(CATALOGUE, at=MONDAY, **_columns(list(rows)), policy=POLICY)
    for i, (who, contacts, responses) in enumerate(rows):
        for j, code in enumerate(CATALOGUE.codes):
            d = tc.match_offer(
                who, code, CATALOGUE, at=MONDAY, contacts=contacts, response=responses[code]
            )
            assert bool(batch.eligible[i, j]) == d.eligible, (code, d.reasons)
            assert bool(batch.allowed[i, j]) == d.allowed_now, (code, d.reasons)
            assert batch.score[i, j] == d.score
            channel = int(batch.channel[i, j])
            assert (CHANNELS[channel] if channel >= 0 else None) == d.channel
        ranked = tc.best_offers(who, CATALOGUE, at=MONDAY, contacts=contacts, responses=responses)
        allowed = [d for d in ranked if d.allowed_now]
        best = batch.best_codes()[i]
        # the best offer is the first allowed one of the ranked list (ties: catalogue order)
        assert best == (allowed[0].code if allowed else None)
        # never a do-not-call number, a capped customer or a conflicting offer
        if batch.best[i] >= 0:
            assert not who.do_not_call
            assert not tc.offer_conflicts(who.holds, str(best), CATALOGUE)
            assert batch.allowed[i, batch.best[i]]


def test_batch_refusals_name_the_column() -> None:
    base = {
        "tier": [0],
        "segment_member": [False],
        "avg_spend": [1],
        "plan_fee": [1],
        "tenure_months": [1],
        "credit_level": [1],
    }
    with pytest.raises(tc.InvalidInput, match=r"holds must have shape \(1, 7\)"):
        tc.match_offers(CATALOGUE, at=MONDAY, holds=[[True]], **base)
    with pytest.raises(tc.InvalidInput, match="response must be finite"):
        tc.match_offers(CATALOGUE, at=MONDAY, response=[[np.inf] * 5], **base)
    with pytest.raises(tc.InvalidInput, match="preferred_channel must be >= -1"):
        tc.match_offers(CATALOGUE, at=MONDAY, preferred_channel=[-2], **base)
    with pytest.raises(tc.InvalidInput, match="equal lengths"):
        tc.match_offers(CATALOGUE, at=MONDAY, do_not_call=[True, False], **base)
    frame = tc.match_offers(CATALOGUE, at=MONDAY, **base).to_frame()
    assert list(frame.columns) == ["best_offer", "channel", "score", "eligible_offers"]


# ---- call lists


def _match(n: int, seed: int) -> tuple[tc.OfferMatch, Any, Any]:
    rng = np.random.default_rng(seed)
    cols = {
        "tier": rng.integers(0, 5, n), "segment_member": rng.random(n) < 0.3,
        "avg_spend": rng.integers(0, 60_000, n), "plan_fee": rng.choice([3_800, 5_800, 12_600], n),
        "tenure_months": rng.integers(0, 60, n), "credit_level": rng.integers(1, 6, n),
        "holds": rng.random((n, len(CATALOGUE.holdings))) < 0.2,
        "preferred_channel": rng.integers(-1, len(CHANNELS), n),
        "do_not_call": rng.random(n) < 0.1, "counted_contacts": rng.integers(0, 3, n),
        "response": np.round(rng.random((n, len(CATALOGUE))), 1),
    }  # fmt: skip
    managers = rng.choice(np.array(["li", "wang", "zhao", ""]), n)
    return tc.match_offers(CATALOGUE, at=MONDAY, **cols), managers, cols


@given(st.integers(0, 10_000), st.integers(1, 15), st.integers(1, 300))
def test_call_lists_respect_capacity_assignment_and_the_match(
    seed: int, capacity: int, n: int
) -> None:
    match, managers, cols = _match(n, seed)
    lists = tc.call_lists(match, managers, capacity=capacity, agents=["li", "wang", "zhao"])
    counts = lists.counts()
    assert all(k <= capacity for k in counts.values())
    assert len(set(lists.customer.tolist())) == len(lists)  # nobody twice
    phone = CHANNELS.index(tc.Channel.PHONE)
    for agent, customer, offer, position in zip(
        lists.agent, lists.customer, lists.offer, lists.position, strict=True
    ):
        # only allowed matches by phone: never do-not-call, capped or conflicting
        assert match.allowed[customer, offer] and match.channel[customer, offer] == phone
        assert not cols["do_not_call"][customer]
        assert managers[customer] in (
            "",
            lists.agents[agent],
        )  # a customer goes to their own manager
        assert 1 <= position <= capacity
    for name in lists.agents:
        own = [c for c in lists.for_agent(name).tolist() if managers[c] == name]
        scores = match.best_score[own]
        assert list(scores) == sorted(scores, reverse=True)  # own customers by score, first
    wanted = int(
        (
            (match.best >= 0) & (match.channel[np.arange(n), np.maximum(match.best, 0)] == phone)
        ).sum()
    )
    assert len(lists) + lists.overflow == wanted
    again = tc.call_lists(match, managers, capacity=capacity, agents=["li", "wang", "zhao"])
    assert again.customer.tolist() == lists.customer.tolist()  # deterministic


def test_call_lists_default_to_the_seed_capacity_and_report_other_channels() -> None:
    match, managers, _ = _match(5_000, 1)
    lists = tc.call_lists(match, managers)
    assert lists.agents == ("li", "wang", "zhao")
    assert max(lists.counts().values()) == 58  # seed 000: 1,620 calls a day by 28 managers
    assert sum(lists.other_channels.values()) > 0 and set(lists.other_channels) <= {
        "sms",
        "email",
        "dm",
    }
    frame = lists.to_frame(ids=[f"c{i}" for i in range(5_000)])
    assert list(frame.columns) == ["agent", "position", "customer", "offer", "score"]
    assert frame["customer"].str.startswith("c").all()
    with pytest.raises(tc.InvalidInput, match="no agent 'sun'"):
        lists.for_agent("sun")
    with pytest.raises(tc.InvalidInput, match="agents must be distinct"):
        tc.call_lists(match, managers, agents=["li", "li"])
    with pytest.raises(tc.InvalidInput, match="needs an OfferMatch"):
        tc.call_lists({}, managers)  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match="equal lengths"):
        tc.call_lists(match, managers[:3])
    off_duty = tc.call_lists(match, managers, agents=["li"])
    assert set(managers[off_duty.customer].tolist()) <= {"li", ""}


def test_a_holds_table_from_held_codes() -> None:
    table = CATALOGUE.holds_table([{"family_plan", "loyalty_bonus"}, ()])
    assert table[0] == tuple(
        code in {"family_plan", "loyalty_bonus"} for code in CATALOGUE.holdings
    )
    assert table[1] == (False,) * len(CATALOGUE.holdings)
    with pytest.raises(tc.InvalidInput, match="row 0 holds 'gym', which is neither"):
        CATALOGUE.holds_table([{"gym"}])
    with pytest.raises(tc.InvalidInput, match="row 0 of holds must be a collection"):
        CATALOGUE.holds_table(["family_plan"])


def test_min_score_keeps_money_losing_offers_out_of_best() -> None:
    base = {"tier": [3, 3], "segment_member": [False, False], "avg_spend": [52_000] * 2,
            "plan_fee": [12_800] * 2, "tenure_months": [40] * 2, "credit_level": [1] * 2,
            "response": [[0.0] * 5, [1.0] * 5]}  # fmt: skip
    plain = tc.match_offers(CATALOGUE, at=MONDAY, **base)
    floor = tc.match_offers(CATALOGUE, at=MONDAY, min_score=0, **base)
    assert plain.best[0] >= 0 and plain.best_score[0] < 0  # the least bad loss
    assert floor.best[0] == -1 and np.isnan(floor.best_score[0])
    assert floor.best[1] == plain.best[1]
    with pytest.raises(tc.InvalidInput, match="min_score"):
        tc.match_offers(CATALOGUE, at=MONDAY, min_score="high", **base)  # type: ignore[arg-type]


# ---- an offer gate of one's own


AT_RISK = tc.OfferGate(
    "churn_risk",
    bound=lambda offer, ctx: 0.5 if offer.project_type == "retention" else None,
    passes=lambda floor, columns: columns["churn_risk"] >= floor,
    reason=lambda floor, case: f"churn risk {case['churn_risk']:.2f} below {floor}",
    columns=("churn_risk",),
)
GATES = tc.OFFER_GATES.with_gate(AT_RISK)


def test_a_registered_gate_refuses_with_its_reason_and_filters_the_whole_base() -> None:
    low = tc.match_offer(prospect(), "loyalty_bonus", CATALOGUE, at=MONDAY, gates=GATES,
                         columns={"churn_risk": 0.2})  # fmt: skip
    assert not low.eligible and low.reasons == ("churn risk 0.20 below 0.5",)
    high = tc.match_offer(prospect(), "loyalty_bonus", CATALOGUE, at=MONDAY, gates=GATES,
                          columns={"churn_risk": 0.7})  # fmt: skip
    assert high.eligible and high.allowed_now
    # an offer the gate sets no bound for is untouched
    assert tc.match_offer(prospect(), "deposit_talk_time", CATALOGUE, at=MONDAY, gates=GATES,
                          columns={"churn_risk": 0.0}).eligible  # fmt: skip
    ranked = tc.best_offers(
        prospect(), CATALOGUE, at=MONDAY, gates=GATES, columns={"churn_risk": 0.2}
    )
    assert "loyalty_bonus" not in [d.code for d in ranked]
    rows = [(prospect(), [], dict.fromkeys(CATALOGUE.codes, 1.0))] * 2
    base = _columns(rows)
    plain = tc.match_offers(CATALOGUE, at=MONDAY, **base)
    gated = tc.match_offers(CATALOGUE, at=MONDAY, **base, gates=GATES,
                            columns={"churn_risk": [0.2, 0.7]})  # fmt: skip
    j = CATALOGUE.codes.index("loyalty_bonus")
    assert plain.eligible[:, j].tolist() == [True, True]
    assert gated.eligible[:, j].tolist() == [False, True]
    assert gated.allowed[:, j].tolist() == [False, True] and plain.allowed[:, j].all()
    others = [k for k in range(len(CATALOGUE)) if k != j]
    assert (gated.eligible[:, others] == plain.eligible[:, others]).all()


def test_a_gate_table_refuses_what_it_cannot_run() -> None:
    with pytest.raises(tc.InvalidInput, match="reads the column 'churn_risk'; pass it in columns="):
        tc.match_offer(prospect(), "loyalty_bonus", CATALOGUE, at=MONDAY, gates=GATES)
    with pytest.raises(tc.InvalidInput, match="reads the column 'churn_risk'"):
        tc.match_offers(
            CATALOGUE,
            at=MONDAY,
            gates=GATES,
            **_columns([(prospect(), [], dict.fromkeys(CATALOGUE.codes, 1.0))]),
        )
    with pytest.raises(tc.InvalidInput, match=r"names must be unique, \['churn_risk'\] repeat"):
        GATES.with_gate(AT_RISK)
    with pytest.raises(tc.InvalidInput, match="with_gate\\(\\) needs an OfferGate"):
        tc.OFFER_GATES.with_gate("tier")  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match=r"OfferGate\.name must be a snake_case str"):
        tc.OfferGate("churn risk", AT_RISK.bound, AT_RISK.passes, AT_RISK.reason)
    with pytest.raises(tc.InvalidInput, match=r"gates must be a telcare\.OfferGates"):
        tc.match_offer(prospect(), "loyalty_bonus", CATALOGUE, at=MONDAY, gates=[AT_RISK])  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match="equal lengths"):
        tc.match_offers(CATALOGUE, at=MONDAY, gates=GATES, columns={"churn_risk": [0.1, 0.2]},
                        **_columns([(prospect(), [], dict.fromkeys(CATALOGUE.codes, 1.0))]))  # fmt: skip


def test_the_matcher_averages_spend_over_the_tier_window() -> None:
    # 12 months at 300 yuan, then a year-old 2,000 yuan month out of the window
    spend = (200_000,) + (30_000,) * 12
    rich_once = tc.Customer("c9", date(2005, 1, 1), tc.yuan(88), monthly_spend=spend, tier="gold")
    d = tc.match_offer(prospect(customer=rich_once), "data_pack", CATALOGUE, at=MONDAY)
    assert d.eligible  # the window's 300 yuan is under the offer's 400 yuan cap
    assert tc.evaluate_tier(rich_once).avg_monthly_spend == 30_000


def test_call_lists_read_one_agent_name_as_a_collection_and_refuse_it() -> None:
    """``agents="wang"`` was four agents, w, a, n and g."""
    match, managers, _ = _match(20, 1)
    with pytest.raises(tc.InvalidInput, match="agents must be an iterable of str, got str 'wang'"):
        tc.call_lists(match, managers, agents="wang")
