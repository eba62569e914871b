"""What-if: compare_policies against evaluating each policy by hand, row by row."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest
from hypothesis import given, strategies as st

import telcare as tc

AS_OF = date(2010, 12, 1)
DEFAULT = tc.default_policy()


def _gold_at(fen: int) -> tc.Policy:
    ladder = [r.model_copy(update={"min_avg_spend": fen}) if r.code == "gold" else r
              for r in DEFAULT.tiers.ladder]  # fmt: skip
    return DEFAULT.model_copy(update={"tiers": DEFAULT.tiers.model_copy(update={"ladder": ladder})})


POLICIES = [
    DEFAULT,
    _gold_at(60_000),
    tc.Policy.model_validate({"segment": {"share": "0.3"}}),
    tc.Policy.model_validate({"points": {"credit_per_month": 50, "data_per_yuan": 1}}),
    tc.Policy.model_validate(
        {"credit": {"allowances": {"1": 1_000, "2": 2_000, "3": 40_000, "4": 70_000, "5": 90_000}}}
    ),
    tc.Policy.model_validate(
        {
            "tiers": {
                "ladder": [
                    {"code": "ordinary", "min_avg_spend": 0, "min_months": 0},
                    {"code": "gold", "min_avg_spend": 40_000, "min_months": 3},
                ]
            },
            "benefits": {"rules": {}},
            "points": {"tier_multipliers": {"gold": "1.3"}},
        }
    ),
]


@st.composite
def bases(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 25))
    ints = lambda lo, hi: draw(st.lists(st.integers(lo, hi), min_size=n, max_size=n))  # noqa: E731
    months = 3
    return {
        "ids": [f"c{i:03d}" for i in range(n)],
        "avg_spend": ints(0, 150_000),
        "months": ints(0, 12),
        "missed": ints(0, 3),
        "segment_spend": ints(0, 150_000),
        "tenure_days": ints(0, 5_000),
        "plan_fee": ints(0, 60_000),
        "verification": ints(0, 2),
        "status": ints(0, 2),
        "credit_level": ints(1, 5),
        "bills": [draw(st.lists(st.integers(0, 200_000), min_size=months, max_size=months)) for _ in range(n)],
        "paid_on_time": [draw(st.lists(st.booleans(), min_size=months, max_size=months)) for _ in range(n)],
        "points_balance": ints(0, 10_000),
        "moment_columns": {"used": ints(0, 120_000), "contract_ends_on": [
            date(2010, 12, 1 + i % 28) if i % 3 else None for i in range(n)]},
    }  # fmt: skip


def _by_hand(cols: dict[str, Any], policy: tc.Policy) -> dict[str, Any]:
    n = len(cols["ids"])
    tiers = tc.evaluate_tiers(
        cols["avg_spend"], cols["months"], None, cols["missed"], policy=policy
    )
    eligible = np.isin(tiers.tier, [policy.tiers.index(c) for c in policy.segment.eligible_tiers])
    member = tc.mid_high_end(cols["segment_spend"], eligible, tenure_days=cols["tenure_days"],
                             ids=cols["ids"], share=policy.segment.share)  # fmt: skip
    benefits = tc.check_benefits(tiers.tier, member, cols["plan_fee"], cols["verification"],
                                 cols["status"], credit_level=cols["credit_level"], policy=policy)  # fmt: skip
    bills = np.array(cols["bills"]).reshape(n, -1)
    paid = np.array(cols["paid_on_time"]).reshape(n, -1)
    points = sum(
        tc.points_for_bills(bills[:, m], [0] * n, paid[:, m], tiers.tier, [0] * n, policy=policy)
        for m in range(bills.shape[1])
    )
    allowance = [policy.credit.allowances[level] for level in cols["credit_level"]]
    scan = tc.scan_moments(AS_OF, policy=policy, used=cols["moment_columns"]["used"],
                           allowance=allowance, contract_ends_on=cols["moment_columns"]["contract_ends_on"])  # fmt: skip
    suspend = tc.check_suspensions(
        cols["moment_columns"]["used"], cols["credit_level"], [0] * n, policy=policy
    )
    return {"tier": tiers.tier, "member": member, "benefits": benefits, "points": points,
            "moments": {str(m): int(d.sum()) for m, d in scan.due.items()}, "suspend": suspend}  # fmt: skip


@given(cols=bases(), pair=st.tuples(st.sampled_from(POLICIES), st.sampled_from(POLICIES)))
def test_each_side_equals_the_batch_rules_by_hand(
    cols: dict[str, Any], pair: tuple[tc.Policy, tc.Policy]
) -> None:
    before, after = pair
    cmp = tc.compare_policies(cols, before, after, as_of=AS_OF)
    for side, policy in ((cmp.before, before), (cmp.after, after)):
        hand = _by_hand(cols, policy)
        np.testing.assert_array_equal(side.tier, hand["tier"])
        np.testing.assert_array_equal(side.member, hand["member"])
        np.testing.assert_array_equal(side.benefits, hand["benefits"])
        np.testing.assert_array_equal(side.points, hand["points"])
        np.testing.assert_array_equal(side.suspend, hand["suspend"])
        assert side.moments == hand["moments"]
        revenue = int(np.sum(cols["bills"]))
        if revenue:
            econ = tc.programme_economics(revenue, int(hand["points"].sum()),
                                          int(hand["points"].sum()) + sum(cols["points_balance"]), policy=policy)  # fmt: skip
            assert (side.return_rate, side.cost_ratio, side.liability) == (
                econ.return_rate, econ.cost_ratio, econ.liability)  # fmt: skip
    old_codes, new_codes = np.array(before.tiers.codes), np.array(after.tiers.codes)
    expected_changed = (
        (old_codes[cmp.before.tier] != new_codes[cmp.after.tier])
        | (cmp.before.member != cmp.after.member)
        | (cmp.before.points != cmp.after.points)
        | (cmp.before.suspend != cmp.after.suspend)
        | (cmp.before.benefits != cmp.after.benefits).any(axis=1)
    )
    np.testing.assert_array_equal(cmp.changed, expected_changed)
    assert cmp.migration.sum() == len(cols["ids"])
    for i, j in zip(cmp.before.tier, cmp.after.tier, strict=True):
        assert cmp.migration[i, j] >= 1
    if before is after:
        assert not cmp.changed.any()
    assert len(cmp.reasons(limit=None)) == int(cmp.changed.sum()) == len(cmp.changed_ids)


def test_raising_gold_to_600_yuan_moves_only_gold_customers_down() -> None:
    from telcare.synthetic import customer_base, generate_base

    base = customer_base(generate_base(20_000, seed=5))
    cmp = tc.compare_policies(base, DEFAULT, _gold_at(60_000), as_of=date(2010, 12, 1))
    gold = DEFAULT.tiers.index("gold")
    moved = cmp.migration - np.diag(np.diag(cmp.migration))
    assert moved.sum() == moved[gold].sum() > 0  # only gold customers move...
    assert moved[gold, gold + 1 :].sum() == 0  # ...and only down
    assert cmp.after.totals()["points_issued"] < cmp.before.totals()["points_issued"]
    assert all("tier gold -> " in r for r in cmp.reasons(limit=None) if "tier" in r)


def test_the_comparison_renders_every_way() -> None:
    cols = {"ids": ["a", "b", "c"], "avg_spend": [55_000, 42_000, 9_000], "months": [12] * 3,
            "bills": [[55_000], [42_000], [9_000]]}  # fmt: skip
    cmp = tc.compare_policies(cols, DEFAULT, _gold_at(60_000), as_of=AS_OF)
    text = str(cmp)
    assert text.startswith("3 customers; 1 change") and "before/after" in text
    assert "points issued" in text and "benefit service_manager" in text
    html = cmp._repr_html_()
    assert "Tier migration (1 of 3 customers change)" in html and "<th>before</th>" in html
    frame = cmp.to_frame()
    assert frame.to_dict("records") == [{
        "id": "a", "tier_before": "gold", "tier_after": "silver", "segment_before": False,
        "segment_after": False, "points_before": 607, "points_after": 579, "benefits_before": 15,
        "benefits_after": 15, "suspended_before": False, "suspended_after": False}]  # fmt: skip
    d = cmp.to_dict()
    assert d["changed_ids"] == ["a"] and d["before"]["points_issued"] == 607 + 443 + 92
    assert cmp.reasons(limit=0) == []


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"colour": [1]}, "CustomerBase has no column 'colour'"),
        ({"tier": ["platinum"]}, "tier codes ['platinum'] are not on the ladder"),
        ({"bills": [1, 2]}, "bills must be a 2-D table"),
        ({"data_bills": [[1]]}, "['data_bills'] describe bills: give bills too"),
        ({"bills": [[1], [2]]}, "bills must have shape (1, 1) like bills"),
        ({"bills": [[1, 2]], "paid_on_time": [[True]]}, "paid_on_time must have shape (1, 2)"),
        ({"plan_fee": [-1]}, "plan_fee must be >= 0"),
        ({"credit_level": [0]}, "credit_level must be >= 1"),
        ({"moment_columns": [1]}, "moment_columns must map"),
        ({"months": [1, 2]}, "equal lengths"),
    ],
)
def test_bad_bases_are_refused_by_name(change: dict[str, Any], fragment: str) -> None:
    cols = {"ids": ["a"], "avg_spend": [1], "months": [1], **change}
    with pytest.raises(tc.InvalidInput) as info:
        tc.compare_policies(cols, None, None, as_of=AS_OF)
    assert fragment in str(info.value)


def test_a_base_is_immutable_and_other_arguments_are_checked() -> None:
    base = tc.CustomerBase(["a"], [1], [1])
    with pytest.raises(AttributeError, match="immutable"):
        base.months = np.array([2])  # type: ignore[misc]
    assert repr(base) == "CustomerBase(1 customers; columns: ids, avg_spend, months, )"
    with pytest.raises(tc.InvalidInput, match="base must be a CustomerBase or a mapping"):
        tc.compare_policies([1], None, None, as_of=AS_OF)  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match="as_of"):
        tc.compare_policies(base, None, None, as_of="2010-12-01")  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match="credit levels above 5"):
        tc.compare_policies(tc.CustomerBase(["a"], [1], [1], credit_level=[9], moment_columns={"used": [1]}),
                            None, None, as_of=AS_OF)  # fmt: skip


def test_a_year_as_it_was_earns_at_the_held_tier_spends_points_and_guards_spam() -> None:
    """The columns the demo's year gives a base: each side is still the batch rules by hand."""
    n = 6
    cols: dict[str, Any] = {
        "ids": [f"c{i}" for i in range(n)],
        "avg_spend": [60_000, 45_000, 20_000, 9_000, 52_000, 30_000],
        "months": [12] * n, "tier": ["gold", "silver", "vip", "ordinary", "gold", "silver"],
        "points_tier": ["silver", "silver", "ordinary", "ordinary", "gold", "vip"],
        "plan_fee": [12_800] * n, "verification": [1] * n, "credit_level": [5, 5, 2, 1, 5, 3],
        "bills": [[60_000, 58_000]] * n, "points_balance": [100, 0, 50, 0, 10, 0],
        "points_spent": [400, 20, 10_000, 0, 5, 0],
        "sms_last_hour": [0, 250, 0, 250, 0, 0], "days_over": [1, 0, 0, 0, 30, 0],
        "moment_columns": {"used": [200_000, 10, 90_000, 0, 200_000, 0]},
    }  # fmt: skip
    policy = _gold_at(55_000)
    cmp = tc.compare_policies(cols, DEFAULT, policy, as_of=AS_OF)
    for side, pol in ((cmp.before, DEFAULT), (cmp.after, policy)):
        held = np.array([pol.tiers.index(c) for c in cols["points_tier"]])
        points = sum(
            tc.points_for_bills(np.array(cols["bills"])[:, m], [0] * n, [True] * n, held, [0] * n,
                                policy=pol)
            for m in range(2)
        )  # fmt: skip
        np.testing.assert_array_equal(side.points, points)  # the held tier, not the evaluated one
        left = np.maximum(points + np.array(cols["points_balance"]) - cols["points_spent"], 0)
        econ = tc.programme_economics(int(np.sum(cols["bills"])), int(points.sum()), int(left.sum()),
                                      policy=pol)  # fmt: skip
        assert side.liability == econ.liability and left[2] == 0  # never below nothing
        delayed = side.benefits[:, tc.BENEFIT_CODES.index("delayed_suspension")]
        suspend = tc.check_suspensions(
            cols["moment_columns"]["used"], cols["credit_level"], cols["sms_last_hour"],
            delayed=delayed, days_over=cols["days_over"], policy=pol,
        )  # fmt: skip
        np.testing.assert_array_equal(side.suspend, suspend)
    assert cmp.before.suspend[1] and not cmp.before.suspend[3]  # the spam guard, in arrears only
    assert not cmp.before.suspend[0] and cmp.before.suspend[4]  # held for a day, not for 30
    with pytest.raises(tc.InvalidInput, match=r"points_tier codes \['platinum'\]"):
        tc.compare_policies({**cols, "points_tier": ["platinum"] * n}, None, None, as_of=AS_OF)
    with pytest.raises(tc.InvalidInput, match="points_spent must be >= 0"):
        tc.compare_policies({**cols, "points_spent": [-1] * n}, None, None, as_of=AS_OF)


@pytest.mark.parametrize(
    ("limit", "shown"),
    [(float("nan"), "float nan"), (-1, "-1"), (True, "bool True"), ("3", "str '3'")],
)
def test_reasons_refuses_a_limit_that_is_not_a_count(limit: Any, shown: str) -> None:
    """#28: reasons(nan) raised a bare ValueError (int(nan)); -1 silently meant 0."""
    cmp = tc.compare_policies({"ids": ["a"], "avg_spend": [55_000], "months": [12]},
                              DEFAULT, _gold_at(60_000), as_of=AS_OF)  # fmt: skip
    with pytest.raises(tc.InvalidInput, match=f"^limit must be .*{shown}"):
        cmp.reasons(limit)
    assert cmp.reasons(np.int64(1)) == cmp.reasons(None) == cmp.reasons(10**6)


def test_customer_base_needs_a_synthetic_base() -> None:
    """#28: customer_base(nan) raised AttributeError ('float' has no 'monthly_spend')."""
    import telcare.synthetic as ts

    with pytest.raises(
        tc.InvalidInput, match=r"^base must be a SyntheticBase \(from generate_base\), got float$"
    ):
        ts.customer_base(float("nan"))  # type: ignore[arg-type]
