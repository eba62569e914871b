"""Matching a base against an offer catalogue, against hand-written numpy; and one
allocation of the matched base under a budget, a campaign budget, an offer limit and
the phone agents' capacity, against ``match_offers`` alone on the same base (the
issue's goal: at most 3x its time; peak memory at most 3x the input).  The check
prints the allocation's gap to its dual bound (an upper bound on any allocation)."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

import telcare as tc
from benchmarks.harness import Case

POLICY = tc.default_policy()
AT = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
CHANNELS = list(tc.Channel)
PRODUCTS = ("basic_fee_discount", "family_plan", "data_addon")


def _catalogue() -> tc.OfferCatalogue:
    rng = np.random.default_rng(20)
    offers = []
    for j in range(20):
        offer: dict[str, Any] = {
            "code": f"offer_{j:02d}", "name": f"Offer {j}",
            "project_type": tc.PROJECT_TYPES[j % 4],
            "channels": [CHANNELS[(j + k) % len(CHANNELS)].value for k in range(1 + j % 3)],
            "value": int(rng.integers(1_000, 10_000)), "cost": int(rng.integers(100, 2_000)),
            "valid_from": "2010-01-01", "valid_to": "2010-12-31",
        }  # fmt: skip
        if j % 5 == 0:
            offer["tiers"] = ["silver", "gold", "diamond"]
        if j % 4 == 1:
            offer["min_plan_fee"] = 5_800
        if j % 6 == 2:
            offer["max_spend"] = 30_000
        if j % 7 == 3:
            offer["min_tenure_months"] = 24
        if j % 3 == 0:
            offer["conflicts"] = {"basic_fee_discount": "replaces the basic discount"}
        if j == 4:
            offer["requires"] = ["family_plan"]
        offers.append(offer)
    return tc.OfferCatalogue.model_validate(
        {"products": {p: p for p in PRODUCTS}, "offers": offers}
    )


CATALOGUE = _catalogue()


def _base(n: int, rng: np.random.Generator) -> dict[str, Any]:
    return {
        "tier": rng.choice(5, n, p=[0.8, 0.08, 0.06, 0.04, 0.02]),
        "segment_member": rng.random(n) < 0.08,
        "avg_spend": (rng.lognormal(np.log(150), 0.8, n) * 100).astype(np.int64),
        "plan_fee": rng.choice(np.array([3_800, 5_800, 9_600, 12_600, 28_800]), n),
        "tenure_months": rng.integers(0, 120, n),
        "credit_level": rng.integers(1, 6, n),
        "holds": rng.random((n, len(CATALOGUE.holdings))) < 0.05,
        "preferred_channel": rng.integers(-1, len(CHANNELS), n),
        "do_not_call": rng.random(n) < 0.02,
        "counted_contacts": rng.integers(0, 3, n),
    }


def _match(d: dict[str, Any]) -> Any:
    return tc.match_offers(CATALOGUE, at=AT, **d, policy=POLICY).best


def _by_hand(d: dict[str, Any]) -> Any:
    """The same gates written directly in numpy for this catalogue and the default policy."""
    n = len(d["tier"])
    holds = d["holds"]
    codes = list(CATALOGUE.holdings)
    best = np.full(n, -1, dtype=np.int64)
    best_score = np.full(n, -np.inf)
    tier_codes = POLICY.tiers.codes
    caps = POLICY.contact.project_type_caps
    cap_ok_total = d["counted_contacts"] < POLICY.contact.max_marketing_calls
    for j, o in enumerate(CATALOGUE):
        ok = ~d["do_not_call"] & cap_ok_total
        if o.tiers:
            ok &= np.isin(d["tier"], [tier_codes.index(t) for t in o.tiers])
        if o.min_spend is not None:
            ok &= d["avg_spend"] >= o.min_spend
        if o.max_spend is not None:
            ok &= d["avg_spend"] <= o.max_spend
        if o.min_plan_fee is not None:
            ok &= d["plan_fee"] >= o.min_plan_fee
        if o.min_tenure_months is not None:
            ok &= d["tenure_months"] >= o.min_tenure_months
        for code in o.requires:
            ok &= holds[:, codes.index(code)]
        for code in o.conflicts:
            ok &= ~holds[:, codes.index(code)]
        if caps.get(o.project_type, 1) < 1:
            ok[:] = False
        score = float(o.value - o.cost)
        better = ok & (score > best_score)
        best[better] = j
        best_score[better] = score
    return best


def _campaign_catalogue(budget: int) -> tc.OfferCatalogue:
    """The same offers, the first ten in a campaign with ``budget``, offer_03 limited."""
    data = CATALOGUE.model_dump(mode="json")
    for j, offer in enumerate(data["offers"]):
        if j < 10:
            offer["campaign"] = "autumn"
        if j == 3:
            offer["max_customers"] = 1_000
    data["campaigns"] = [{"code": "autumn", "name": "Autumn", "budget": budget}]
    return tc.OfferCatalogue.model_validate(data)


def _allocation_base(n: int, rng: np.random.Generator) -> dict[str, Any]:
    """The base with responses, matched once before the clock starts; the budget buys
    about 5% of the base an offer, the campaign's 2%, the phone agents call 2%."""
    d = {**_base(n, rng), "response": rng.random((n, len(CATALOGUE))) * 0.3}
    mean_cost = float(np.mean([o.cost for o in CATALOGUE]))
    catalogue = _campaign_catalogue(int(mean_cost * n * 0.02))
    match = tc.match_offers(catalogue, at=AT, **d, policy=POLICY)
    return {**d, "catalogue": catalogue, "match": match, "budget": int(mean_cost * n * 0.05),
            "phone": max(1, n // 50)}  # fmt: skip


def _allocate(d: dict[str, Any]) -> Any:
    a = tc.allocate(d["match"], budget=d["budget"], capacity={"phone": d["phone"]})
    assert a.spent <= d["budget"] and a.by_channel.get("phone", 0) <= d["phone"]
    assert a.by_campaign.get("autumn", 0) <= d["catalogue"].campaigns[0].budget
    return a


def _match_alone(d: dict[str, Any]) -> Any:
    cols = {k: v for k, v in d.items() if k not in ("catalogue", "match", "budget", "phone")}
    return tc.match_offers(d["catalogue"], at=AT, **cols, policy=POLICY)


def _check_allocation(got: Any, _match: Any) -> None:
    """The allocation against its dual bound (the limits are asserted in ``_allocate``)."""
    print(
        f"  allocate: value {got.expected_value:,.0f} fen, bound {got.bound:,.0f}, "
        f"gap {100 * got.gap:.3f}%, spent {got.spent:,}, left out {got.left_out()}",
        file=sys.stderr,
    )


CASES = [
    Case(
        "marketing.match_offers (20 offers)",
        10_000_000,
        _base,
        _match,
        _by_hand,
        per_item=True,
        goal=2.0,
        notes="every gate and the channel of 20 offers per customer, the best offer allowed now",
    ),
    Case(
        "marketing.allocate vs match_offers (20)",
        10_000_000,
        _allocation_base,
        _allocate,
        _match_alone,
        check=_check_allocation,
        per_item=True,
        goal=3.0,
        notes="one offer per customer under a budget, a campaign budget, an offer limit and "
        "the phone capacity; the baseline is match_offers alone on the same base",
    ),
]
