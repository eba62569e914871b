"""Budgets, limits and holdouts in both matchers: the whole base enforces them first
come by score, and each customer's answer is the one-customer form's given the usage
of the customers before it."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, strategies as st
from pydantic import ValidationError

import telcare as tc
from telcare._core.limits import MAX_FEN

MONDAY = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
POLICY = tc.default_policy()
_OFFER = {"project_type": "promotion", "channels": ["sms"], "valid_from": "2010-01-01",
          "valid_to": "2010-12-31"}  # fmt: skip
GOLD = tc.Customer("c", date(2007, 1, 1), tc.yuan(88), monthly_spend=(30_000,), tier="gold")


def catalogue(offers: list[dict[str, Any]], **kw: Any) -> tc.OfferCatalogue:
    return tc.OfferCatalogue.model_validate(
        {"offers": [{**_OFFER, "name": o["code"], **o} for o in offers], **kw}
    )


def base(n: int, **kw: Any) -> dict[str, Any]:
    """``n`` gold customers every offer of ``_OFFER`` fits (the columns of ``GOLD``)."""
    return {"tier": [POLICY.tiers.index("gold")] * n, "segment_member": [False] * n,
            "avg_spend": [30_000] * n, "plan_fee": [8_800] * n, "tenure_months": [46] * n,
            "credit_level": [1] * n, **kw}  # fmt: skip


def who(i: int | str, dnc: bool = False) -> tc.Prospect:
    cid = i if isinstance(i, str) else f"c{i}"
    customer = tc.Customer(
        cid, GOLD.activated_on, GOLD.plan_fee, monthly_spend=(30_000,), tier="gold"
    )
    return tc.Prospect(customer, do_not_call=dnc)


# ---- the catalogue


def test_the_catalogue_validates_campaigns_and_limits() -> None:
    cat = catalogue(
        [{"code": "a", "value": 1, "cost": 1, "campaign": "autumn", "max_customers": 5, "points": 10}],
        campaigns=[{"code": "autumn", "name": "Autumn", "budget": 100, "points_budget": 50,
                    "holdout": "0.05"}],
        control_group={"share": 0.1, "salt": "programme-2010"}, max_offers_per_customer=2,
    )  # fmt: skip
    assert tc.OfferCatalogue.model_validate_json(cat.model_dump_json()) == cat
    assert cat.campaign_of(cat["a"]) == cat.campaigns[0] and cat.offer_period_days == 30
    assert "Campaign" in tc.OfferCatalogue.model_json_schema()["$defs"]
    bad = [
        ({"campaigns": [{"code": "x", "name": "X"}] * 2}, "campaign codes must be unique"),
        ({"offers": [{**_OFFER, "code": "a", "name": "A", "value": 1, "cost": 1, "campaign": "x"}]},
         "names the campaign 'x', which the catalogue does not define"),
        ({"campaigns": [{"code": "x", "name": "X", "budget": -1}]}, "greater than or equal to 0"),
        ({"campaigns": [{"code": "x", "name": "X", "budget": MAX_FEN + 1}]}, "less than or equal"),
        ({"campaigns": [{"code": "x", "name": "X", "holdout": 1}]}, "less than 1"),
        ({"control_group": {"share": 0.1, "salt": ""}}, "at least 1 character"),
        ({"max_offers_per_customer": 10**10}, "less than or equal to 1000000000"),
        ({"offer_period_days": 0}, "greater than or equal to 1"),
    ]  # fmt: skip
    for data, message in bad:
        with pytest.raises(ValidationError, match=message):
            tc.OfferCatalogue.model_validate(data)


def test_usage_is_checked_and_plain() -> None:
    u = tc.Usage(spent={"autumn": np.int64(5)}, customers={"a": 2})
    assert type(u.spent["autumn"]) is int and json.dumps(dict(u.spent)) == '{"autumn": 5}'
    for kw, message in [
        ({"spent": {"autumn": -1}}, r"Usage.spent\['autumn'\] must be >= 0"),
        ({"points": {"autumn": True}}, r"Usage.points\['autumn'\] must be an int"),
        ({"customers": [("a", 1)]}, "Usage.customers must map codes to counts"),
        ({"spent": {"": 1}}, "Usage.spent key must not be empty"),
        ({"spent": {"autumn": MAX_FEN + 1}}, "must be <= 100000000000000"),
    ]:
        with pytest.raises(tc.InvalidInput, match=message):
            tc.Usage(**kw)
    cat = catalogue([{"code": "a", "value": 1, "cost": 1}])
    with pytest.raises(tc.InvalidInput, match=r"Usage.spent names \['autumn'\], not campaigns"):
        tc.match_offers(cat, at=MONDAY, **base(1), usage=u)
    with pytest.raises(tc.InvalidInput, match=r"usage must be a telcare\.Usage, got dict"):
        tc.match_offer(who(0), "a", cat, at=MONDAY, usage={"spent": {}})  # type: ignore[arg-type]


# ---- examples


def test_a_budget_is_spent_first_come_by_score_and_named() -> None:
    cat = catalogue(
        [{"code": "big", "value": 5_000, "cost": 400, "campaign": "autumn"},
         {"code": "small", "value": 1_000, "cost": 100, "campaign": "autumn"}],
        campaigns=[{"code": "autumn", "name": "Autumn", "budget": 1_000}],
    )  # fmt: skip
    response = [[0.2, 1.0], [0.9, 1.0], [0.5, 1.0], [0.8, 1.0]]
    m = tc.match_offers(cat, at=MONDAY, **base(4), response=response)
    # the order by best score: rows 1 (4,100 fen), 3 (3,600), 2 (2,100), 0 (900, small)
    assert m.best_codes().tolist() == ["small", "big", "small", "big"]
    assert m.usage().spent == {"autumn": 1_000}  # 400 + 400 + 100 + 100
    # row 2 met 800 spent: big no longer fits, small does
    assert m.limit_reasons(2) == {
        "big": ("budget spent: 800 fen of 1,000 (campaign autumn; the offer costs 400)",)
    }
    assert m.limit_reasons(0) == {
        "big": ("budget spent: 900 fen of 1,000 (campaign autumn; the offer costs 400)",)
    }
    d = tc.match_offer(who(2), "big", cat, at=MONDAY, response=0.5, usage=m.usage_before(2))
    assert not d.allowed_now and d.next_allowed_at is None
    assert d.reasons[-1] == "budget spent: 800 fen of 1,000 (campaign autumn; the offer costs 400)"


def test_a_full_offer_passes_the_customer_on_to_its_next_best() -> None:
    cat = catalogue([{"code": "top", "value": 5_000, "cost": 0, "max_customers": 2},
                     {"code": "next", "value": 1_000, "cost": 0}])  # fmt: skip
    used = tc.Usage(customers={"top": 1})
    m = tc.match_offers(cat, at=MONDAY, **base(3), usage=used)
    assert m.best_codes().tolist() == ["top", "next", "next"]
    assert m.limit_reasons(1) == {"top": ("offer top limit 2 reached",)}
    assert m.limit_reasons(0) == {} and m.usage().customers == {"top": 2}
    assert m.withheld is not None and m.withheld[:, 0].tolist() == [False, True, True]
    assert not m.allowed[1, 0] and m.allowed[1, 1]


def test_a_points_budget_and_the_customer_limit() -> None:
    cat = catalogue(
        [{"code": "bonus", "value": 2_000, "cost": 0, "points": 300, "campaign": "club"}],
        campaigns=[{"code": "club", "name": "Club", "points_budget": 700}],
        max_offers_per_customer=2, offer_period_days=28,
    )  # fmt: skip
    m = tc.match_offers(cat, at=MONDAY, **base(4), offers_in_period=[0, 2, 1, 0])
    assert m.best_codes().tolist() == ["bonus", None, "bonus", None]
    # row 1 comes last (it has no offer to rank by) and meets both limits
    assert m.limit_reasons(1) == {"bonus": (
        "customer limit reached: 2 offers in 28 days (limit 2)",
        "points budget spent: 600 points of 700 (campaign club; the offer gives 300)",
    )}  # fmt: skip
    assert m.limit_reasons(3) == {
        "bonus": ("points budget spent: 600 points of 700 (campaign club; the offer gives 300)",)
    }
    d = tc.match_offer(who(1), "bonus", cat, at=MONDAY, offers_in_period=2)
    assert d.reasons[-1] == "customer limit reached: 2 offers in 28 days (limit 2)"
    with pytest.raises(tc.InvalidInput, match="offers_in_period must be >= 0"):
        tc.match_offers(cat, at=MONDAY, **base(1), offers_in_period=[-1])
    with pytest.raises(tc.InvalidInput, match="offers_in_period must be an int"):
        tc.match_offer(who(1), "bonus", cat, at=MONDAY, offers_in_period=1.5)  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match="equal lengths"):
        tc.match_offers(cat, at=MONDAY, **base(2), offers_in_period=[0])


def test_the_control_group_is_on_no_call_list_and_a_campaign_holdout_on_none_of_its_offers() -> (
    None
):
    cat = catalogue(
        [{"code": "call", "value": 5_000, "cost": 0, "channels": ["phone"], "campaign": "autumn"},
         {"code": "text", "value": 1_000, "cost": 0}],
        campaigns=[{"code": "autumn", "name": "Autumn", "holdout": "0.3"}],
        control_group={"share": "0.2", "salt": "programme-2010"},
    )  # fmt: skip
    ids = [f"1380000{i:04d}" for i in range(400)]
    m = tc.match_offers(cat, at=MONDAY, **base(400), ids=ids)
    group = tc.holdout(ids, share=0.2, salt="programme-2010")
    autumn = tc.holdout(ids, share=0.3, salt="campaign:autumn")
    assert m.held_out().tolist() == group.tolist()
    assert (m.best[group] == -1).all()
    assert m.best_codes()[~group & autumn].tolist() == ["text"] * int((~group & autumn).sum())
    assert m.best_codes()[~group & ~autumn].tolist() == ["call"] * int((~group & ~autumn).sum())
    row = int(np.flatnonzero(group & autumn)[0])
    assert m.limit_reasons(row) == {
        "call": ("holdout: in the programme's control group", "holdout: in campaign autumn's holdout"),
        "text": ("holdout: in the programme's control group",),
    }  # fmt: skip
    lists = tc.call_lists(m, [""] * 400, agents=["wang"], capacity=1_000)
    assert not group[lists.customer].any() and not autumn[lists.customer].any()
    assert lists.held_out == int(group.sum()) and len(lists) == int((~group & ~autumn).sum())
    d = tc.match_offer(who(ids[row]), "text", cat, at=MONDAY)
    assert not d.allowed_now and d.reasons[-1] == "holdout: in the programme's control group"
    with pytest.raises(tc.InvalidInput, match="pass ids=, one customer id per row"):
        tc.match_offers(cat, at=MONDAY, **base(3))
    with pytest.raises(
        tc.InvalidInput, match=r"ids must have one id per customer \(3 rows\), got 2"
    ):
        tc.match_offers(cat, at=MONDAY, **base(3), ids=ids[:2])
    with pytest.raises(tc.InvalidInput, match="ids is missing at index 1"):
        tc.match_offers(cat, at=MONDAY, **base(3), ids=["a", None, "c"])


def test_budgets_at_the_bounds_neither_overflow_nor_drift() -> None:
    """Running sums of costs up to MAX_FEN over a long order stay exact (no int64 wrap)."""
    from telcare.marketing._allot import _running

    costs = np.full(300_000, MAX_FEN, dtype=np.int64)
    run = _running(costs)
    assert run[:10].tolist() == [MAX_FEN * (i + 1) for i in range(10)]
    assert (np.diff(run) >= 0).all() and int(run[-1]) > 4 * 10**15  # saturated, still ordered
    cat = catalogue(
        [{"code": "a", "value": MAX_FEN, "cost": MAX_FEN, "campaign": "x"}],
        campaigns=[{"code": "x", "name": "X", "budget": MAX_FEN}],
    )  # fmt: skip
    m = tc.match_offers(cat, at=MONDAY, **base(3))
    assert m.best_codes().tolist() == ["a", None, None] and m.usage().spent == {"x": MAX_FEN}


def test_a_catalogue_without_limits_matches_as_before() -> None:
    cat = catalogue([{"code": "a", "value": 2, "cost": 1}])
    m = tc.match_offers(cat, at=MONDAY, **base(2))
    assert m.withheld is None and m.allotment is None and m.usage() == tc.Usage()
    assert m.limit_reasons(0) == {} and m.usage_before(1) == tc.Usage()
    with pytest.raises(tc.InvalidInput, match="row must be <= 1"):
        m.limit_reasons(2)


# ---- the agreement property


def hundreds(most: int) -> st.SearchStrategy[int]:
    """Budgets and usage in the costs' own steps, so a budget is often met exactly."""
    return st.integers(0, most).map(lambda k: 100 * k)


@st.composite
def limited(draw: Any) -> tuple[tc.OfferCatalogue, dict[str, Any], list[tc.Prospect], list[dict[str, float]], list[int], tc.Usage]:  # fmt: skip
    maybe = lambda s: draw(st.none() | s)  # noqa: E731
    campaigns = [
        {"code": code, "name": code, "budget": maybe(hundreds(30)),
         "points_budget": maybe(hundreds(9)),
         "holdout": draw(st.sampled_from(["0", "0", "0.3"]))}
        for code in ("c1", "c2")
    ]  # fmt: skip
    offers = [
        {"code": code, "value": draw(st.sampled_from([1_000, 2_000, 5_000])),
         "cost": draw(st.sampled_from([0, 100, 400, 1_000])), "points": draw(st.sampled_from([0, 200])),
         "max_customers": maybe(st.integers(0, 4)), "campaign": draw(st.sampled_from([None, "c1", "c2"]))}
        for code in ("a", "b", "c")
    ]  # fmt: skip
    cat = catalogue(
        offers, campaigns=campaigns, max_offers_per_customer=maybe(st.integers(0, 2)),
        control_group=maybe(st.builds(lambda s: {"share": "0.25", "salt": s}, st.sampled_from(["p", "q"]))),
    )  # fmt: skip
    n = draw(st.integers(1, 10))
    people = [who(i, dnc=draw(st.integers(0, 9)) == 0) for i in range(n)]
    responses = [{c: draw(st.sampled_from([0.1, 0.5, 1.0])) for c in cat.codes} for _ in people]
    period = [draw(st.integers(0, 3)) for _ in people]
    usage = tc.Usage(
        spent={c: draw(hundreds(15)) for c in ("c1", "c2") if draw(st.booleans())},
        points={c: draw(hundreds(4)) for c in ("c1", "c2") if draw(st.booleans())},
        customers={c: draw(st.integers(0, 3)) for c in cat.codes if draw(st.booleans())},
    )
    cols = base(n, do_not_call=[p.do_not_call for p in people], offers_in_period=period,
                response=[[r[c] for c in cat.codes] for r in responses], ids=[p.customer.id for p in people])  # fmt: skip
    return cat, cols, people, responses, period, usage


@given(limited())
def test_the_whole_base_is_the_one_customer_form_given_the_usage_before_each(case: Any) -> None:
    cat, cols, people, responses, period, usage = case
    m = tc.match_offers(cat, at=MONDAY, **cols, usage=usage, policy=POLICY)
    for i, p in enumerate(people):
        before = m.usage_before(i)
        kw = {"at": MONDAY, "usage": before, "offers_in_period": period[i]}
        ranked = tc.best_offers(p, cat, responses=responses[i], **kw)
        allowed = [d for d in ranked if d.allowed_now]
        assert m.best_codes()[i] == (allowed[0].code if allowed else None)
        reasons = m.limit_reasons(i)
        for j, code in enumerate(cat.codes):
            d = tc.match_offer(p, code, cat, response=responses[i][code], **kw)
            assert bool(m.allowed[i, j]) == d.allowed_now, (code, d.reasons, reasons)
            if code in reasons:
                assert d.reasons[-len(reasons[code]) :] == reasons[code]
            elif d.eligible:
                assert not any(r.startswith(("budget", "points budget", "holdout", "offer ", "customer limit"))
                               for r in d.reasons)  # fmt: skip
    # and the limits hold over the whole base
    after = m.usage()
    for o in cat:
        got = int((m.best == cat.codes.index(o.code)).sum())
        if o.max_customers is not None:
            assert usage.customers.get(o.code, 0) + got == after.customers[o.code]
            assert got == 0 or after.customers[o.code] <= o.max_customers
    for c in cat.campaigns:
        mine = [j for j, o in enumerate(cat) if o.campaign == c.code]
        cost = sum(int((m.best == j).sum()) * cat.offers[j].cost for j in mine)
        points = sum(int((m.best == j).sum()) * cat.offers[j].points for j in mine)
        if c.budget is not None:
            assert cost == 0 or usage.spent.get(c.code, 0) + cost <= c.budget
        if c.points_budget is not None:
            assert points == 0 or usage.points.get(c.code, 0) + points <= c.points_budget
    assert not m.held_out()[m.best >= 0].any()
