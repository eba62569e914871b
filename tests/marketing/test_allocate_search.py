"""An allocation that leaves no value behind on small instances (the review's defect
1): the reviewer's two customers, and every assignment of many tiny instances
enumerated by brute force, from the instances' own terms."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest

import telcare as tc
import telcare.marketing._allocate_exact as exact_module

MONDAY = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
CHANNELS = [c.value for c in tc.Channel]
_VALID = {"valid_from": "2010-01-01", "valid_to": "2010-12-31", "project_type": "promotion"}


def _match(offers: list[dict[str, Any]], response: list[list[float]]) -> tc.OfferMatch:
    cat = tc.OfferCatalogue.model_validate(
        {"offers": [{**_VALID, "name": o["code"], "channels": ["sms"], **o} for o in offers]}
    )
    n = len(response)
    return tc.match_offers(
        cat, at=MONDAY, tier=[0] * n, segment_member=[False] * n, avg_spend=[9_000] * n,
        plan_fee=[5_800] * n, tenure_months=[12] * n, credit_level=[1] * n, response=response,
    )  # fmt: skip


@pytest.mark.parametrize("exact", [True, False])
@pytest.mark.parametrize("through", ["limits", "max_customers"])
def test_an_offer_closed_by_a_limit_of_0_passes_its_customer_to_the_next_best(
    exact: bool, through: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # customer 0 values x at 10,000 and y at 1,000; customer 1 values y at 500; x may
    # go to no one, y to one: y goes to customer 0 (it gave [None, 'y'], worth 500,
    # with a bound of 1,500)
    if not exact:
        monkeypatch.setattr(exact_module, "EXACT", 0)  # the priced path and its moves
    most = {"x": 0, "y": 1}
    offers = [{"code": "x", "value": 10_000, "cost": 0}, {"code": "y", "value": 1_000, "cost": 0}]
    if through == "max_customers":
        offers = [{**o, "max_customers": most[o["code"]]} for o in offers]
    m = _match(offers, [[1, 1], [0, 0.5]])
    a = tc.allocate(m, limits=most if through == "limits" else None)
    assert a.to_dict()["offer"] == ["y", None] and a.expected_value == 1_000.0
    assert a.bound == pytest.approx(1_000, rel=1e-5)  # x's value no longer enters it
    assert a.left_out() == {"offer limit": 1}


def test_a_limited_offer_is_exchanged_to_the_customer_worth_more_at_scale() -> None:
    # 40 customers (too many to try every assignment): the one x goes to the customer
    # worth the most by it, the others keep y
    n = 40
    response = [[0.5, 0.3]] * n
    response[17] = [1.0, 0.3]
    m = _match(
        [{"code": "x", "value": 2_000, "cost": 100, "max_customers": 1},
         {"code": "y", "value": 1_000, "cost": 100}], response,
    )  # fmt: skip
    a = tc.allocate(m, budget=100 * n)
    assert a.offer[17] == 0 and a.counts == {"x": 1, "y": n - 1}
    assert a.expected_value == pytest.approx(1_900 + (n - 1) * 200)


def _tiny(rng: np.random.Generator) -> tuple[tc.OfferMatch, dict[str, Any], list[dict[str, Any]], np.ndarray]:  # fmt: skip
    n, k = int(rng.integers(2, 7)), int(rng.integers(1, 4))
    offers = []
    for j in range(k):
        o: dict[str, Any] = {
            **_VALID, "code": f"o{j}", "name": f"O{j}", "value": int(rng.integers(0, 5_000)),
            "cost": int(rng.integers(0, 2_000)), "points": int(rng.integers(0, 200)),
            "channels": [str(rng.choice(["sms", "phone", "email"]))],
        }  # fmt: skip
        if rng.random() < 0.5:
            o["campaign"] = "c"
        if rng.random() < 0.3:
            o["max_customers"] = int(rng.integers(0, 4))
        offers.append(o)
    budgets = {"budget": int(rng.integers(0, 3_000)), "points_budget": int(rng.integers(0, 300))}
    campaign = {
        "code": "c",
        "name": "C",
        **{b: v for b, v in budgets.items() if rng.random() < 0.5},
    }
    cat = tc.OfferCatalogue.model_validate({"campaigns": [campaign], "offers": offers})
    response = np.round(rng.random((n, k)), 2)
    m = tc.match_offers(
        cat, at=MONDAY, tier=[0] * n, segment_member=[False] * n, avg_spend=[9_000] * n,
        plan_fee=[5_800] * n, tenure_months=[12] * n, credit_level=[1] * n, response=response,
    )  # fmt: skip
    kw: dict[str, Any] = {"budget": int(rng.integers(0, 4_000)) if rng.random() < 0.6 else None}
    if rng.random() < 0.4:
        kw["capacity"] = {str(rng.choice(["sms", "phone", "email"])): int(rng.integers(0, 3))}
    if rng.random() < 0.4:
        kw["limits"] = {f"o{int(rng.integers(0, k))}": int(rng.integers(0, 3))}
    if rng.random() < 0.3:
        kw["holdout"] = rng.random(n) < 0.25
    return m, kw, [{**campaign, **o} for o in offers], response


def _optimum(m: tc.OfferMatch, kw: dict[str, Any], offers: list[dict[str, Any]], response: np.ndarray) -> float:  # fmt: skip
    """The best value over every assignment (each customer: one offer or none) that
    keeps every term, read from the offers and the arguments."""
    n, k = response.shape
    value = response * [o["value"] for o in offers] - np.array([o["cost"] for o in offers])
    held = np.zeros(n, bool) if kw.get("holdout") is None else kw["holdout"]
    gates = np.asarray(m.allowed) | (False if m.withheld is None else np.asarray(m.withheld))
    ok = gates & (value > 0) & ~held[:, None]  # the first-come withholding is the match's own
    best = 0.0
    for choice in itertools.product(range(-1, k), repeat=n):
        got = [(i, j) for i, j in enumerate(choice) if j >= 0]
        if not all(ok[i, j] for i, j in got):
            continue
        mine = [offers[j] for _, j in got]
        inside = [o for o in mine if o.get("campaign") == "c"]
        count = [sum(1 for _, j in got if j == t) for t in range(k)]
        chans = [CHANNELS[int(np.asarray(m.channel)[i, j])] for i, j in got]
        if (
            (kw["budget"] is not None and sum(o["cost"] for o in mine) > kw["budget"])
            or sum(o["cost"] for o in inside) > offers[0].get("budget", np.inf)
            or sum(o["points"] for o in inside) > offers[0].get("points_budget", np.inf)
            or any(count[t] > o.get("max_customers", n) for t, o in enumerate(offers))
            or any(count[int(c[1:])] > v for c, v in kw.get("limits", {}).items())
            or any(chans.count(c) > v for c, v in kw.get("capacity", {}).items())
        ):
            continue
        best = max(best, float(sum(value[i, j] for i, j in got)))
    return best


@pytest.mark.parametrize("exact", [True, False])
def test_tiny_instances_reach_the_brute_force_optimum(exact: bool, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """300 instances of 2-6 customers x 1-3 offers with budgets, campaign and points
    budgets, offers' most customers, limits, capacity and holdouts.  Tried exactly
    (at most 65,536 assignments) every one is optimal; by the prices and moves alone
    (how a larger base is solved) every one was too (before the moves and the closing
    of full offers: 297 of 300, the worst at 0.71).  The moves exchange one unit
    between two customers: a chain of three (the review's brute force found 4 in 600,
    the worst at 0.73) is beyond them, and tiny bases are tried exactly for that."""
    if not exact:
        monkeypatch.setattr(exact_module, "EXACT", 0)
    rng = np.random.default_rng(30)
    ratios = []
    for _ in range(300):
        m, kw, offers, response = _tiny(rng)
        a = tc.allocate(m, **kw)
        best = _optimum(m, kw, offers, response)
        assert a.expected_value <= best + 1e-6, "an allocation above the optimum breaks a term"
        assert a.bound >= best - 1e-6
        ratios.append(a.expected_value / best if best else 1.0)
    worst = np.array(ratios)
    assert worst.min() >= (1 - 1e-5 if exact else 0.99), sorted(worst)[:5]
