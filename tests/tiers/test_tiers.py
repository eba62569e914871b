from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st

import telcare as tc
from telcare import strategies as tcs

POLICY = tc.default_policy()


def customer(spend: list[int], tier: str = "ordinary", missed: int = 0) -> tc.Customer:
    return tc.Customer(
        "c1",
        activated_on=date(2015, 1, 1),
        plan_fee=tc.yuan(128),
        monthly_spend=spend,
        tier=tier,
        missed_evaluations=missed,
    )


def as_columns(customers: list[tc.Customer], policy: tc.Policy) -> dict[str, Any]:
    w = policy.tiers.window_months
    windows = [c.monthly_spend[-w:] for c in customers]
    return {
        "avg_spend": [sum(x) // len(x) if x else 0 for x in windows],
        "months": [len(x) for x in windows],
        "current": [policy.tiers.index(c.tier) for c in customers],
        "missed": [c.missed_evaluations for c in customers],
    }


@pytest.mark.parametrize(
    ("monthly", "tier"),
    [
        (19_999, "ordinary"),
        (20_000, "vip"),
        (29_999, "vip"),
        (30_000, "silver"),
        (49_999, "silver"),
        (50_000, "gold"),
        (99_999, "gold"),
        (100_000, "diamond"),
        (0, "ordinary"),
    ],
)
def test_domain_thresholds_per_month(monthly: int, tier: str) -> None:
    assert tc.evaluate_tier(customer([monthly] * 12), policy=POLICY).tier == tier


def test_six_billed_months_are_needed_for_any_vip_tier() -> None:
    five = tc.evaluate_tier(customer([200_000] * 5), policy=POLICY)
    six = tc.evaluate_tier(customer([200_000] * 6), policy=POLICY)
    assert five.tier == "ordinary"
    assert "5 billed months < 6 needed for vip" in five.reasons[0]
    assert six.tier == "diamond"


def test_only_the_trailing_window_counts() -> None:
    old_big = [500_000] * 12 + [10_000] * 12
    d = tc.evaluate_tier(customer(old_big), policy=POLICY)
    assert (d.tier, d.avg_monthly_spend, d.months_counted) == ("ordinary", 10_000, 12)


def test_upgrade_takes_effect_at_once_several_steps() -> None:
    d = tc.evaluate_tier(customer([120_000] * 12, tier="vip", missed=1), policy=POLICY)
    assert (d.tier, d.previous, d.direction, d.missed_evaluations, d.changed) == (
        "diamond",
        "vip",
        "up",
        0,
        True,
    )
    assert "up from vip to diamond" in d.reasons[1]
    assert d.next_tier is None and d.to_next_tier is None


def test_downgrade_waits_for_two_missed_evaluations() -> None:
    gold = customer([42_000] * 12, tier="gold")
    first = tc.evaluate_tier(gold, policy=POLICY)
    assert (first.tier, first.direction, first.missed_evaluations) == ("gold", "same", 1)
    assert "missed evaluation 1 of 2" in first.reasons[1]
    second = tc.evaluate_tier(first.apply(gold), policy=POLICY)
    assert (second.tier, second.direction, second.missed_evaluations) == ("silver", "down", 0)
    assert "down to silver" in second.reasons[1]


def test_meeting_the_threshold_again_resets_the_count() -> None:
    recovered = customer([52_000] * 12, tier="gold", missed=1)
    d = tc.evaluate_tier(recovered, policy=POLICY)
    assert (d.tier, d.missed_evaluations) == ("gold", 0)


def test_downgrade_goes_straight_to_the_qualifying_tier() -> None:
    d = tc.evaluate_tier(customer([5_000] * 12, tier="diamond", missed=1), policy=POLICY)
    assert (d.tier, d.direction) == ("ordinary", "down")


def test_grace_length_follows_the_policy() -> None:
    policy = POLICY.model_copy(
        update={"tiers": POLICY.tiers.model_copy(update={"downgrade_after": 1})}
    )
    d = tc.evaluate_tier(customer([42_000] * 12, tier="gold"), policy=policy)
    assert d.tier == "silver"


def test_reasons_carry_the_numbers() -> None:
    d = tc.evaluate_tier(customer([55_000] * 12, tier="gold"), policy=POLICY)
    assert (
        d.reasons[0] == "average ¥550.00 over 12 months >= gold threshold ¥500.00 (6 months needed)"
    )
    assert "¥450.00 more per month on average reaches diamond (¥1,000.00)" in d.reasons
    # Window full: dropping the oldest 550 needs 500*12 - 550*11 = -50 -> nothing more is needed.
    assert d.spend_to_keep == 0


def test_spend_to_keep_answers_the_phone_manager() -> None:
    spend = [60_000] + [45_000] * 11  # average 462.50: gold by grace only
    d = tc.evaluate_tier(customer(spend, tier="gold"), policy=POLICY)
    assert d.tier == "gold"
    # next window drops 600 and keeps 11 x 450 = 4,950; gold needs 6,000 over 12 months.
    assert d.spend_to_keep == 50_000 * 12 - 45_000 * 11
    assert d.spend_to_keep == 105_000


def test_apply_refuses_another_customer() -> None:
    d = tc.evaluate_tier(customer([0]), policy=POLICY)
    with pytest.raises(tc.InvalidInput, match="'c1'"):
        d.apply(attrs.evolve(customer([0]), id="c2"))


@pytest.mark.parametrize(
    ("bad", "fragment"),
    [
        (customer([0], tier="platinum"), "unknown tier 'platinum'"),
        ("c1", "needs a telcare.Customer"),
    ],
)
def test_evaluate_tier_bad_inputs(bad: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput, match=fragment):
        tc.evaluate_tier(bad, policy=POLICY)


def test_batch_worked_example() -> None:
    b = tc.evaluate_tiers(
        [55_000, 42_000, 42_000, 0], [12, 12, 12, 0], current=[2, 3, 3, 4], missed=[0, 0, 1, 5]
    )
    assert b.tier_codes().tolist() == ["gold", "gold", "silver", "ordinary"]
    assert b.missed.tolist() == [0, 1, 0, 0]
    assert b.changed.tolist() == [True, False, True, True]
    assert len(b) == 4


def test_batch_without_current_is_a_first_evaluation() -> None:
    b = tc.evaluate_tiers(np.array([0, 25_000, 100_000]), np.array([12, 12, 3]))
    assert b.tier_codes().tolist() == ["ordinary", "vip", "ordinary"]


def test_batch_handles_non_monotone_month_requirements() -> None:
    ladder = [
        {"code": "ordinary", "min_avg_spend": 0, "min_months": 0},
        {"code": "vip", "min_avg_spend": 100, "min_months": 6},
        {"code": "star", "min_avg_spend": 200, "min_months": 2},
    ]
    policy = tc.Policy.model_validate(
        {"tiers": {"ladder": ladder}, "points": {"tier_multipliers": {}}, "benefits": {"rules": {}}}
    )
    b = tc.evaluate_tiers([150, 250, 250], [3, 3, 12], policy=policy)
    assert b.tier_codes().tolist() == ["ordinary", "star", "star"]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"avg_spend": [-1], "months": [1]}, "avg_spend must be >= 0, got -1 at index 0"),
        ({"avg_spend": [1.5], "months": [1]}, "avg_spend must hold whole numbers, got 1.5"),
        ({"avg_spend": [float("nan")], "months": [1]}, "avg_spend must be finite"),
        ({"avg_spend": ["100"], "months": [1]}, "avg_spend must hold integers"),
        ({"avg_spend": [True], "months": [1]}, "avg_spend must hold integers"),
        ({"avg_spend": [10**18], "months": [1]}, "avg_spend must be <="),
        ({"avg_spend": [[1, 2]], "months": [1]}, "1-D"),
        ({"avg_spend": [1, 2], "months": [1]}, "equal lengths, got avg_spend=2, months=1"),
        ({"avg_spend": [1], "months": [1], "current": [5]}, "current must be <= 4, got 5"),
        ({"avg_spend": [1], "months": [1], "current": [-1]}, "current must be >= 0"),
        ({"avg_spend": [1], "months": [1], "missed": [-2]}, "missed must be >= 0, got -2"),
        ({"avg_spend": [1], "months": [1], "current": [0, 0]}, "equal lengths"),
    ],
)
def test_evaluate_tiers_bad_columns(kwargs: dict[str, Any], fragment: str) -> None:
    arrays = {k: np.array(v) for k, v in kwargs.items()}
    before = {k: v.copy() for k, v in arrays.items()}
    with pytest.raises(tc.InvalidInput) as info:
        tc.evaluate_tiers(**arrays)
    assert fragment in str(info.value)
    for k in arrays:
        np.testing.assert_array_equal(arrays[k], before[k])


def test_evaluate_tiers_accepts_empty_columns_and_never_writes_inputs() -> None:
    assert len(tc.evaluate_tiers([], [])) == 0
    avg = np.array([60_000, 10_000])
    avg.flags.writeable = False
    months = np.array([12, 12])
    months.flags.writeable = False
    b = tc.evaluate_tiers(avg, months, current=np.array([0, 3]), missed=np.array([0, 1]))
    assert b.tier.tolist() == [3, 0]


@given(st.data())
def test_batch_equals_scalar_for_every_customer(data: st.DataObject) -> None:
    policy = data.draw(tcs.policies())
    people = data.draw(st.lists(tcs.customers(policy=policy), max_size=20))
    batch = tc.evaluate_tiers(**as_columns(people, policy), policy=policy)
    for i, person in enumerate(people):
        d = tc.evaluate_tier(person, policy=policy)
        assert policy.tiers.codes[batch.tier[i]] == d.tier
        assert batch.missed[i] == d.missed_evaluations
        assert bool(batch.changed[i]) == d.changed
        assert policy.tiers.codes[batch.qualified[i]] == d.qualified


@given(
    tcs.policies(),
    tcs.spend_histories(min_months=0, max_months=24),
    st.integers(0, 300_000),
    st.data(),
)
def test_more_spend_never_gives_a_lower_tier(
    policy: tc.Policy, spend: tuple[int, ...], bonus: int, data: st.DataObject
) -> None:
    tier = data.draw(st.sampled_from(policy.tiers.codes))
    missed = data.draw(st.integers(0, 3))
    base = customer(list(spend), tier=tier, missed=missed)
    if not spend:
        return
    i = data.draw(st.integers(0, len(spend) - 1))
    richer = attrs.evolve(base, monthly_spend=(*spend[:i], spend[i] + bonus, *spend[i + 1 :]))
    low = policy.tiers.index(tc.evaluate_tier(base, policy=policy).tier)
    high = policy.tiers.index(tc.evaluate_tier(richer, policy=policy).tier)
    assert high >= low


@given(tcs.customers())
def test_decision_is_consistent(person: tc.Customer) -> None:
    d = tc.evaluate_tier(person, policy=POLICY)
    codes = POLICY.tiers.codes
    assert d.direction == (
        "up"
        if codes.index(d.tier) > codes.index(d.previous)
        else "down"
        if codes.index(d.tier) < codes.index(d.previous)
        else "same"
    )
    assert 0 <= d.missed_evaluations < POLICY.tiers.downgrade_after
    assert d.months_counted == min(len(person.monthly_spend), POLICY.tiers.window_months)
    assert codes.index(d.tier) >= codes.index(d.qualified)
    assert all(isinstance(r, str) and r for r in d.reasons)


def test_apply_carries_the_new_tier_and_count() -> None:
    d = tc.evaluate_tier(customer([120_000] * 12, tier="vip", missed=1), policy=POLICY)
    applied = d.apply(customer([120_000] * 12, tier="vip", missed=1))
    assert (applied.tier, applied.missed_evaluations) == ("diamond", 0)


@pytest.mark.parametrize("months", [(0, 6, 6, 6, 6), (0, 6, 3, 6, 6)])  # prefix ladders, and not
def test_batch_is_the_same_across_its_internal_blocks(months: tuple[int, ...]) -> None:
    """evaluate_tiers works block by block; a base of several blocks gives the piecewise answer."""
    ladder = [
        r.model_copy(update={"min_months": m})
        for r, m in zip(POLICY.tiers.ladder, months, strict=True)
    ]
    policy = POLICY.model_copy(
        update={"tiers": POLICY.tiers.model_copy(update={"ladder": tuple(ladder)})}
    )
    rng = np.random.default_rng(3)
    n = 2 * (1 << 15) + 41
    cols = [
        rng.integers(0, 120_000, n),
        rng.integers(0, 13, n),
        rng.integers(0, 5, n),
        rng.integers(0, 3, n),
    ]
    whole = tc.evaluate_tiers(*cols, policy=policy)
    parts = [
        tc.evaluate_tiers(*(c[i : i + 999] for c in cols), policy=policy) for i in range(0, n, 999)
    ]
    for name in ("tier", "missed", "changed", "qualified"):
        np.testing.assert_array_equal(
            getattr(whole, name), np.concatenate([getattr(p, name) for p in parts])
        )
    for i in (0, (1 << 15) - 1, 1 << 15, n - 1):  # the block edges against the scalar rule
        person = tc.Customer(
            "c", activated_on=date(2015, 1, 1), plan_fee=0, monthly_spend=(int(cols[0][i]),) * int(cols[1][i]),
            tier=POLICY.tiers.codes[cols[2][i]], missed_evaluations=int(cols[3][i]),
        )  # fmt: skip
        decision = tc.evaluate_tier(person, policy=policy)
        assert (decision.tier, decision.missed_evaluations) == (
            whole.tier_codes()[i],
            whole.missed[i],
        )


def test_column_bounds_are_named_in_refusals() -> None:
    with pytest.raises(tc.InvalidInput, match=r"^months must be <= 10000, got 10001 at index 0$"):
        tc.evaluate_tiers([0], [10_001])
    with pytest.raises(
        tc.InvalidInput, match=r"^missed must be <= 1000000000, got 1000000001 at index 0$"
    ):
        tc.evaluate_tiers([0], [12], [0], [10**9 + 1])
    with pytest.raises(
        tc.InvalidInput,
        match=r"^columns must have equal lengths, got avg_spend=1, months=1, current=2, missed=1$",
    ):
        tc.evaluate_tiers([0], [12], [0, 0], [0])
    batch = tc.evaluate_tiers([0], [12])
    assert batch.missed.dtype == np.int64 and batch.changed.dtype == np.bool_


# ------------------------------------------------------ hostile arguments (#28)


@pytest.mark.parametrize("customer", [float("nan"), "c1", None, np.array([1, 2, 3])])
def test_applying_a_decision_refuses_what_is_not_a_customer(customer: Any) -> None:
    c = tc.Customer("c1", activated_on=date(2010, 1, 4), plan_fee=9_600, tier="gold")
    with pytest.raises(tc.InvalidInput, match=r"^customer must be a telcare\.Customer, got "):
        tc.evaluate_tier(c).apply(customer)


@pytest.mark.parametrize("index", [0, np.int64(3), "abc", np.ones((3, 2)), [1, 2]])
def test_tier_batch_to_frame_refuses_an_index_that_cannot_label_its_rows(index: Any) -> None:
    batch = tc.evaluate_tiers([55_000, 25_000, 8_000], [12] * 3)
    with pytest.raises(tc.InvalidInput, match=r"^index "):
        batch.to_frame(index)
    assert batch.to_frame(pd.Index([7, 8, 9])).index.tolist() == [7, 8, 9]
