"""Points per bill, conversion to money, redemption prices and the programme economics."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, strategies as st

import telcare as tc
from telcare import strategies as tcs

POLICY = tc.default_policy()


def person(tier: str = "ordinary", activated: date = date(2008, 3, 15)) -> tc.Customer:
    return tc.Customer("c1", activated_on=activated, plan_fee=tc.yuan(128), tier=tier)


GOOD = {"spend": [100], "data_spend": [0], "paid_on_time": [True], "tier": [0], "tenure_years": [0]}


bills = st.tuples(
    tcs.money(0, 2_000_000),
    st.floats(0, 1),
    st.booleans(),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
)


RICH = tc.Policy.model_validate({"points": {"fen_per_point": 5, "plan_threshold": 100, "per_yuan": 2,
                                            "data_per_yuan": 3, "credit_per_month": 7, "tenure_per_year": 11}})  # fmt: skip


#: The first round's accrual rates: every source at a visible size, so the arithmetic of
#: each shows in the figures (the default returns seed 002's 2% and keeps bonuses small).
GENEROUS = tc.Policy.model_validate({"points": {
    "data_per_yuan": 1, "tenure_per_year": 100, "credit_per_month": 50,
    "tier_multipliers": {"silver": "1.1", "gold": "1.25", "diamond": "1.5"}}})  # fmt: skip


# ---- conversion and the seed figures


def test_seed_conversion_one_point_is_two_fen() -> None:
    assert tc.points_value(1, policy=POLICY) == 2
    assert tc.points_value(50, policy=POLICY) == tc.yuan(1)
    assert tc.points_needed(tc.yuan(1), policy=POLICY) == 50


def test_seed_return_rate_is_two_percent() -> None:
    bill = tc.points_for_bill(
        person(), date(2010, 5, 1), tc.yuan(100), paid_on_time=False, policy=POLICY
    )
    assert bill.consumption == 100
    assert tc.points_value(bill.total, policy=POLICY) / tc.yuan(100) == 0.02


def test_seed_plan_threshold_is_strictly_above_3500() -> None:
    assert not tc.qualifies_for_plan(3500, policy=POLICY)
    assert tc.qualifies_for_plan(3501, policy=POLICY)


def test_economics_reproduces_the_seed_forecast() -> None:
    e = tc.programme_economics(
        tc.yuan(1_000_000), 1_000_000, 400_000, other_costs=tc.yuan(3_000), policy=POLICY
    )
    assert (e.return_rate, e.cost_ratio, e.liability, e.issued_value) == (
        0.02,
        0.023,
        800_000,
        2_000_000,
    )


def test_conversion_follows_the_policy() -> None:
    assert tc.points_value(10, policy=RICH) == 50
    assert tc.points_needed(51, policy=RICH) == 11  # 10.2 points -> 11
    assert tc.points_needed(100, discount="0.5", policy=RICH) == 10
    assert (tc.qualifies_for_plan(100, policy=RICH), tc.qualifies_for_plan(101, policy=RICH)) == (
        False,
        True,
    )
    e = tc.programme_economics(10_000, 100, 40, other_costs=0, policy=RICH)
    assert (e.issued_value, e.liability, e.return_rate, e.cost_ratio, e.other_costs) == (
        500,
        200,
        0.05,
        0.05,
        0,
    )
    assert (e.revenue, e.points_issued, e.points_outstanding) == (10_000, 100, 40)


# ---- accrual per bill


def test_exact_multiplier_gives_23_not_22() -> None:
    policy = tc.Policy.model_validate({"points": {"tier_multipliers": {"gold": "1.15"}}})
    bill = tc.points_for_bill(
        person("gold"), date(2010, 5, 1), tc.yuan(20), paid_on_time=False, policy=policy
    )
    assert bill.consumption == 23
    assert tc.points_for_bills([tc.yuan(20)], [0], [False], [3], [0], policy=policy).tolist() == [
        23
    ]


@pytest.mark.parametrize(
    ("tier", "spend", "consumption"),
    [
        ("ordinary", 42_080, 420),
        ("vip", 42_080, 420),
        ("silver", 42_080, 462),
        ("gold", 42_080, 525),
        ("diamond", 42_099, 630),
    ],
)
def test_tier_multipliers_floor_per_posting(tier: str, spend: int, consumption: int) -> None:
    bill = tc.points_for_bill(person(tier), date(2010, 5, 1), spend, policy=GENEROUS)
    assert bill.consumption == consumption


def test_every_source_of_a_bill() -> None:
    bill = tc.points_for_bill(
        person("gold"), date(2010, 3, 1), tc.yuan("420.80"), data_spend=tc.yuan(60), policy=GENEROUS
    )
    assert (bill.consumption, bill.data, bill.credit, bill.tenure, bill.total) == (
        525,
        60,
        50,
        100,
        735,
    )
    late = tc.points_for_bill(
        person("gold"), date(2010, 4, 1), tc.yuan("420.80"), paid_on_time=False, policy=GENEROUS
    )
    assert (late.credit, late.tenure) == (0, 0)


def test_no_tenure_points_in_the_activation_month_itself() -> None:
    bill = tc.points_for_bill(
        person(activated=date(2010, 3, 15)), date(2010, 3, 31), 0, policy=POLICY
    )
    assert bill.tenure == 0


def test_every_rate_of_a_bill_follows_the_policy() -> None:
    c = tc.Customer("c1", activated_on=date(2008, 3, 1), plan_fee=0, tier="gold")
    bill = tc.points_for_bill(c, date(2010, 3, 9), tc.yuan(10), data_spend=tc.yuan(4), policy=RICH)
    assert (bill.consumption, bill.data, bill.credit, bill.tenure) == (
        22,
        12,
        7,
        11,
    )  # 10 x 2 x 1.1
    assert tc.points_for_bills(
        [tc.yuan(10)], [tc.yuan(4)], [True], [3], [2], policy=RICH
    ).tolist() == [bill.total]


# ---- redemption prices


def test_points_needed_rounds_up_and_applies_the_discount() -> None:
    assert tc.points_needed(3) == 2
    assert tc.points_needed(tc.yuan(100), discount="0.2") == 4000
    assert tc.points_needed(tc.yuan(1), discount="0.33") == 34  # 33.5 -> 34
    assert tc.points_needed(0) == 0


@given(tcs.money(0, 10**9), st.sampled_from(["0", "0.1", "0.25", "0.5", "0.99"]))
def test_points_needed_never_gives_value_away(price: int, discount: str) -> None:
    needed = tc.points_needed(price, discount=discount, policy=POLICY)
    from fractions import Fraction

    due = Fraction(price) * (1 - Fraction(discount))
    assert tc.points_value(needed, policy=POLICY) >= due
    assert needed == 0 or tc.points_value(needed - 1, policy=POLICY) < due


# ---- the whole-base form


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"spend": [-1]}, "spend must be >= 0, got -1"),
        ({"spend": [float("nan")]}, "spend must be finite"),
        ({"spend": [10**13]}, "spend must be <="),
        ({"data_spend": [200]}, "data_spend 200 exceeds spend 100 at index 0"),
        ({"paid_on_time": [2]}, "paid_on_time must hold booleans"),
        ({"tier": [5]}, "tier must be <= 4, got 5"),
        ({"tenure_years": [-1]}, "tenure_years must be >= 0"),
        ({"spend": [100, 200]}, "equal lengths"),
        ({"spend": ["100"]}, "spend must hold integers"),
    ],
)
def test_accrue_batch_bad_columns(change: dict[str, Any], fragment: str) -> None:
    columns = {k: np.array(v) for k, v in {**GOOD, **change}.items()}
    before = {k: v.copy() for k, v in columns.items()}
    with pytest.raises(tc.InvalidInput) as info:
        tc.points_for_bills(**columns, policy=POLICY)
    assert fragment in str(info.value)
    for k, v in columns.items():
        np.testing.assert_array_equal(v, before[k])


@given(tcs.policies(), st.data())
def test_batch_accrual_equals_the_scalar_bill(policy: tc.Policy, data: st.DataObject) -> None:
    people = data.draw(
        st.lists(tcs.customers(policy=policy, max_months=0), min_size=1, max_size=15)
    )
    rows = data.draw(st.lists(bills, min_size=len(people), max_size=len(people)))
    expected, cols = [], {k: [] for k in GOOD}  # type: ignore[var-annotated]
    for p, (spend, data_share, paid, month) in zip(people, rows, strict=True):
        data_spend = int(spend * data_share)
        expected.append(tc.points_for_bill(p, month, spend, data_spend, paid, policy=policy).total)
        # full years reached at an anniversary inside the bill month (0 when there is none);
        # the anniversary may fall after the 28th, so count years, not days to the 28th
        years = (
            max(0, month.year - p.activated_on.year) if p.activated_on.month == month.month else 0
        )
        cols["spend"].append(spend)
        cols["data_spend"].append(data_spend)
        cols["paid_on_time"].append(paid)
        cols["tier"].append(policy.tiers.index(p.tier))
        cols["tenure_years"].append(years)
    assert tc.points_for_bills(**cols, policy=policy).tolist() == expected


def test_batch_accrual_is_the_same_across_its_internal_blocks() -> None:
    """points_for_bills works block by block; a base of several blocks gives the row-by-row answer."""
    rng = np.random.default_rng(7)
    n = 3 * (1 << 15) + 123  # three whole blocks and a remainder
    spend = rng.integers(0, 200_000, n)
    columns = {
        "spend": spend,
        "data_spend": (spend * rng.random(n)).astype(np.int64),
        "paid_on_time": rng.random(n) < 0.9,
        "tier": rng.integers(0, 5, n),
        "tenure_years": rng.integers(0, 3, n),
    }
    whole = tc.points_for_bills(**columns, policy=GENEROUS)
    pieces = [
        tc.points_for_bills(**{k: v[i : i + 1_000] for k, v in columns.items()}, policy=GENEROUS)
        for i in range(0, n, 1_000)
    ]
    np.testing.assert_array_equal(whole, np.concatenate(pieces))
    multiplier = np.array([1, 1, 1.1, 1.25, 1.5])[columns["tier"]]
    expected = (
        np.round((spend // 100) * multiplier * 1_000).astype(np.int64) // 1_000
        + columns["data_spend"] // 100
        + columns["paid_on_time"] * 50
        + (columns["tenure_years"] > 0) * 100
    )
    np.testing.assert_array_equal(whole, expected)


# ---- refusals and limits


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: tc.points_value(-1), "points must be >= 0"),
        (lambda: tc.points_value(1.5), "points must be an int, got float 1.5"),
        (lambda: tc.points_value(10**16), "points must be <= "),
        (lambda: tc.points_needed(-100), "price must be >= 0"),
        (lambda: tc.points_needed(100, discount="1"), "discount must be in [0, 1), got '1'"),
        (lambda: tc.points_needed(100, discount=-0.1), "-0.1"),
        (lambda: tc.points_needed(100, discount="much"), "'much'"),
        (lambda: tc.points_needed(100, discount=True), "True"),
        (lambda: tc.qualifies_for_plan("3600"), "'3600'"),
        (lambda: tc.programme_economics(0, 1, 1), "revenue must be positive"),
        (lambda: tc.programme_economics(100, -1, 1), "points_issued"),
        (lambda: tc.points_for_bill(person(), date(2010, 1, 1), -1), "spend must be >= 0"),
        (
            lambda: tc.points_for_bill(person(), date(2010, 1, 1), 100, data_spend=200),
            "cannot exceed",
        ),
        (lambda: tc.points_for_bill(person(), "2010-01", 100), "'2010-01'"),
        (lambda: tc.points_for_bill(person(), date(2010, 1, 1), 100, paid_on_time="yes"), "'yes'"),
        (lambda: tc.points_for_bill(person("platinum"), date(2010, 1, 1), 100), "'platinum'"),
        (lambda: tc.points_for_bill("c1", date(2010, 1, 1), 100), "telcare.Customer"),
    ],
)
def test_points_bad_inputs(call: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: tc.points_value(10**15 + 1),
            "points must be <= 1000000000000000, got 1000000000000001",
        ),
        (
            lambda: tc.points_needed(10**15 + 1),
            "price must be <= 1000000000000000, got 1000000000000001",
        ),
        (
            lambda: tc.qualifies_for_plan(10**15 + 1),
            "qualifying_points must be <= 1000000000000000, got 1000000000000001",
        ),
        (
            lambda: tc.qualifies_for_plan(-1),
            "qualifying_points must be >= 0, got -1",
        ),
        (
            lambda: tc.programme_economics(10**17 + 1, 0, 0),
            "revenue must be <= 100000000000000000, got 100000000000000001",
        ),
        (
            lambda: tc.programme_economics(1, 0, -1),
            "points_outstanding must be >= 0, got -1",
        ),
        (
            lambda: tc.programme_economics(1, 0, 0, other_costs=-1),
            "other_costs must be >= 0, got -1",
        ),
        (
            lambda: tc.points_for_bill(person(), date(2010, 1, 1), 10**12 + 1),
            "spend must be <= 1000000000000, got 1000000000001",
        ),
        (
            lambda: tc.points_for_bill(person(), date(2010, 1, 1), 5, data_spend=-1),
            "data_spend must be >= 0, got -1",
        ),
        (
            lambda: tc.points_for_bill(person(), date(2010, 1, 1), 100, data_spend=200),
            "data_spend 200 is part of spend and cannot exceed it (100)",
        ),
        (
            lambda: tc.points_for_bill(person(), date(2010, 1, 1), 100, paid_on_time=1),
            "paid_on_time must be a bool, got int 1",
        ),
        (
            lambda: tc.points_needed(10, discount=Fraction(1, 1)),
            "discount must be in [0, 1), got Fraction(1, 1)",
        ),
        (
            lambda: tc.points_needed(10, discount=None),
            "discount must be a number in [0, 1) such as '0.2', got NoneType None",
        ),
    ],
)
def test_points_messages_name_the_argument_and_the_limit(call: Any, message: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    assert str(info.value) == message


def test_limits_themselves_are_accepted() -> None:
    assert tc.points_value(10**15) == 2 * 10**15
    assert tc.points_needed(10**15) == 5 * 10**14
    assert tc.qualifies_for_plan(10**15)
    assert tc.points_needed(10, discount=Fraction(1, 2)) == 3  # 5 fen -> 2.5 points -> 3
    assert (
        tc.points_for_bill(
            person(),
            date(2010, 1, 1),
            10**12,
            data_spend=10**12,
            paid_on_time=np.True_,
            policy=GENEROUS,
        ).credit
        == 50
    )
    e = tc.programme_economics(10**17, 10**17, 10**17, other_costs=10**17)
    assert e.cost_ratio == 3.0


def test_every_column_and_figure_is_named_with_its_bound() -> None:
    good = {
        "spend": [100],
        "data_spend": [0],
        "paid_on_time": [True],
        "tier": [0],
        "tenure_years": [0],
    }
    cases = [
        ({"data_spend": [10**12 + 1], "spend": [10**12]}, r"^data_spend must be <= 1000000000000, got 1000000000001 at index 0$"),
        ({"tenure_years": [10_001]}, r"^tenure_years must be <= 10000, got 10001 at index 0$"),
        ({"paid_on_time": [True, False]},
         r"^columns must have equal lengths, got spend=1, data_spend=1, paid_on_time=2, tier=1, tenure_years=1$"),
    ]  # fmt: skip
    for change, message in cases:
        with pytest.raises(tc.InvalidInput, match=message):
            tc.points_for_bills(**{**good, **change})
    with pytest.raises(tc.InvalidInput, match=r"^month must be a datetime\.date, got str"):
        tc.points_for_bill(
            tc.Customer("c", activated_on=date(2010, 1, 1), plan_fee=0), "2010-01", 100
        )  # type: ignore[arg-type]
    for name in ("points_issued", "points_outstanding", "other_costs"):
        args = {"revenue": 100, "points_issued": 0, "points_outstanding": 0, name: 10**17 + 1}
        with pytest.raises(tc.InvalidInput, match=rf"^{name} must be <= 100000000000000000, got "):
            tc.programme_economics(**args)
