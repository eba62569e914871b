"""The offers' and the allocation's reasons as codes (issue #31): the English of
before, a stable code, machine parameters and Chinese text; a gate of one's own may
still give plain text."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import telcare as tc

MONDAY = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
OFFER = {"project_type": "promotion", "channels": ["phone"], "value": 2_000, "cost": 500,
         "valid_from": "2010-01-01", "valid_to": "2010-12-31"}  # fmt: skip


def catalogue(**offer: object) -> tc.OfferCatalogue:
    return tc.OfferCatalogue.model_validate(
        {"offers": [{**OFFER, "code": "data_pack", "name": "Data pack", **offer}]}
    )


def test_a_failed_band_gate_gives_its_figures_in_fen() -> None:
    who = tc.Prospect(tc.Customer("c1", date(2009, 1, 1), tc.yuan(18)))
    d = tc.match_offer(who, "data_pack", catalogue(min_plan_fee=5_800), at=MONDAY)
    (r,) = d.reasons
    assert r == "plan fee ¥18.00 outside the offer's band ¥58.00 to any"
    assert (r.code, dict(r.params)) == ("offer.gate.plan_fee_open", {"fen": 1_800, "low": 5_800})
    assert r.text("zh_CN") == "套餐费¥18.00不在优惠范围（¥58.00以上）内"


def test_an_eligible_offers_reasons_speak_chinese_in_to_dict() -> None:
    who = tc.Prospect(tc.Customer("c1", date(2009, 1, 1), tc.yuan(88)))
    saturday = datetime(2010, 11, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    d = tc.match_offer(who, "data_pack", catalogue(), at=saturday, response=0.3)
    assert [r.code for r in d.reasons] == ["offer.eligible", "offer.hours.closed"]
    zh = d.to_dict(lang="zh_CN")
    assert zh["reasons"][0] == {
        "code": "offer.eligible",
        "params": {"project_type": "promotion", "value": 2_000, "cost": 500, "score": 100.0,
                   "channel": "phone"},
        "text": "符合条件：促销类优惠，价值¥20.00，成本¥5.00，渠道电话；得分100分",
    }  # fmt: skip
    assert (
        d.reasons[0]
        == "eligible: promotion offer worth ¥20.00, costs ¥5.00, by phone; score 100 fen"
    )
    json.dumps(zh, allow_nan=False, ensure_ascii=False)


def test_a_limit_keeps_its_grouped_figures_in_both_languages() -> None:
    cat = tc.OfferCatalogue.model_validate({
        "campaigns": [{"code": "autumn", "name": "Autumn", "budget": 1_000_000}],
        "offers": [{**OFFER, "code": "data_pack", "name": "Data pack", "campaign": "autumn"}],
    })  # fmt: skip
    who = tc.Prospect(tc.Customer("c1", date(2009, 1, 1), tc.yuan(88)))
    used = tc.Usage(spent={"autumn": 999_800})
    d = tc.match_offer(who, "data_pack", cat, at=MONDAY, usage=used)
    limit = d.reasons[-1]
    assert limit == "budget spent: 999,800 fen of 1,000,000 (campaign autumn; the offer costs 500)"
    assert limit.code == "offer.limit.budget" and limit.params["spent"] == 999_800
    assert limit.text("zh_CN") == (
        "预算已用完：已花费999,800分，预算1,000,000分（营销活动autumn；本优惠成本500分）"
    )


def test_a_gate_of_ones_own_may_still_give_plain_text() -> None:
    own = tc.OfferGate("far", lambda offer, ctx: True, lambda p, cols: False,
                       lambda p, case: "too far from a shop")  # fmt: skip
    who = tc.Prospect(tc.Customer("c1", date(2009, 1, 1), tc.yuan(88)))
    d = tc.match_offer(
        who, "data_pack", catalogue(), at=MONDAY, gates=tc.OFFER_GATES.with_gate(own)
    )
    (r,) = d.reasons
    assert r == "too far from a shop" and r.code == "offer.gate.own"
    assert r.to_dict(lang="zh_CN") == {"code": "offer.gate.own",
                                       "params": {"text": "too far from a shop"},
                                       "text": "未通过自定义条件：too far from a shop"}  # fmt: skip


def test_a_gate_of_ones_own_may_give_a_reason_of_its_own() -> None:
    mine = tc.Reason("offer.gate.credit", level=1, minimum=3)
    own = tc.OfferGate("strict", lambda offer, ctx: True, lambda p, cols: False,
                       lambda p, case: [mine])  # fmt: skip
    who = tc.Prospect(tc.Customer("c1", date(2009, 1, 1), tc.yuan(88)))
    d = tc.match_offer(
        who, "data_pack", catalogue(), at=MONDAY, gates=tc.OFFER_GATES.with_gate(own)
    )
    assert d.reasons == (mine,) and d.reasons[0].code == "offer.gate.credit"


def test_an_allocations_reasons_are_codes_and_its_json_carries_them() -> None:
    cat = catalogue(tiers=["diamond"])
    m = tc.match_offers(cat, at=MONDAY, tier=[0], segment_member=[False], avg_spend=[30_000],
                        plan_fee=[8_800], tenure_months=[46], credit_level=[1])  # fmt: skip
    a = tc.allocate(m)
    (r,) = a.reasons().tolist()
    assert r == "not eligible" and r.code == "allocation.not_eligible"
    assert r.text("zh_CN") == "不符合条件"
    assert a.to_dict()["reason"] == [
        {"code": "allocation.not_eligible", "params": {}, "text": "not eligible"}
    ]
    assert [getattr(r, "code", "") for r in tc.ALLOCATION_REASONS][:3] == [
        "", "allocation.holdout", "allocation.not_eligible",
    ]  # fmt: skip
