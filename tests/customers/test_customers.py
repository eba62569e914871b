from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, strategies as st

import telcare as tc
from telcare.customers import anniversary_years, average_spend, tenure_months, tenure_years

BASE: dict[str, Any] = {"id": "c1", "activated_on": date(2020, 3, 1), "plan_fee": 12_800}


def test_customer_defaults() -> None:
    c = tc.Customer(**BASE)
    assert c.monthly_spend == () and c.tier == "ordinary" and c.missed_evaluations == 0
    assert c.segments == frozenset() and c.verification is tc.Verification.UNVERIFIED
    assert c.status is tc.AccountStatus.ACTIVE and c.credit_level == 1
    assert c.birthday is None and c.device is None


def test_customer_converts_friendly_inputs() -> None:
    c = tc.Customer(
        **BASE, monthly_spend=[1, 2], segments=["mid_high_end"], verification="genuine", status=1
    )
    assert c.monthly_spend == (1, 2)
    assert c.segments == frozenset({"mid_high_end"})
    assert c.verification is tc.Verification.GENUINE
    assert c.status is tc.AccountStatus.SUSPENDED


def test_customer_is_frozen_and_hashable() -> None:
    c = tc.Customer(**BASE)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        c.tier = "gold"  # type: ignore[misc]
    assert hash(c) == hash(tc.Customer(**BASE))
    assert attrs.evolve(c, tier="gold").tier == "gold"


@pytest.mark.parametrize(
    ("field", "value", "quoted"),
    [
        ("id", "", "''"),
        ("id", 42, "42"),
        ("activated_on", "2020-03-01", "'2020-03-01'"),
        ("activated_on", datetime(2020, 3, 1, tzinfo=UTC), "2020"),
        ("plan_fee", -1, "-1"),
        ("plan_fee", 96.0, "96.0"),
        ("plan_fee", True, "True"),
        ("monthly_spend", [100, -5], "monthly_spend[1]"),
        ("monthly_spend", [100, 1.5], "1.5"),
        ("monthly_spend", "100", "'100'"),
        ("monthly_spend", 100, "100"),
        ("tier", "", "''"),
        ("missed_evaluations", -1, "-1"),
        ("segments", "mid_high_end", "'mid_high_end'"),
        ("segments", [""], "''"),
        ("verification", "maybe", "'maybe'"),
        ("verification", 7, "7"),
        ("status", "frozen", "'frozen'"),
        ("credit_level", 0, "0"),
        ("credit_level", 2.0, "2.0"),
        ("birthday", "1990-01-01", "'1990-01-01'"),
        ("device", "", "''"),
    ],
)
def test_bad_customer_values_are_refused_naming_the_field(
    field: str, value: Any, quoted: str
) -> None:
    with pytest.raises(tc.InvalidInput, match=f"Customer.{field}") as info:
        tc.Customer(**{**BASE, field: value})
    assert quoted in str(info.value)


@pytest.mark.parametrize(
    ("activated", "as_of", "years"),
    [
        (date(2020, 3, 1), date(2021, 2, 28), 0),
        (date(2020, 3, 1), date(2021, 3, 1), 1),
        (date(2020, 2, 29), date(2021, 2, 28), 1),
        (date(2020, 2, 29), date(2021, 2, 27), 0),
        (date(2020, 3, 1), date(2019, 3, 1), 0),
    ],
)
def test_tenure_years_counts_full_anniversaries(activated: date, as_of: date, years: int) -> None:
    assert tenure_years(activated, as_of) == years


@given(
    st.dates(date(1990, 1, 1), date(2030, 12, 31)), st.dates(date(1990, 1, 1), date(2030, 12, 31))
)
def test_the_three_tenures_agree_where_they_meet(activated: date, as_of: date) -> None:
    month = as_of.replace(day=1)
    at_anniversary = max(0, month.year - activated.year) if activated.month == month.month else 0
    assert anniversary_years(activated, month) == at_anniversary  # points' tenure bonus
    # completed years trail the calendar months' years by at most the month in progress
    assert tenure_months(activated, as_of) // 12 - tenure_years(activated, as_of) in (0, 1)


@given(st.lists(st.integers(0, 10**6), max_size=30), st.integers(6, 24))
def test_the_average_spend_reads_the_tier_window(spend: list[int], window: int) -> None:
    last = spend[-window:]
    assert average_spend(spend, window) == (sum(last) // len(last) if last else 0)
    c = tc.Customer("c", date(2000, 1, 1), 0, monthly_spend=spend)
    policy = tc.Policy.model_validate({"tiers": {"window_months": window}})
    assert tc.evaluate_tier(c, policy=policy).avg_monthly_spend == average_spend(spend, window)


@given(st.lists(st.tuples(st.integers(0, 10**12), st.integers(0, 36)), min_size=1, max_size=30))
def test_the_average_spend_is_one_rule_for_a_customer_and_for_columns(
    rows: list[tuple[int, int]],
) -> None:
    from telcare.customers import mean_spend

    totals = np.array([t for t, _ in rows], dtype=np.int64)
    months = np.array([m for _, m in rows], dtype=np.int64)
    assert mean_spend(totals, months).tolist() == [mean_spend(t, m) for t, m in rows]
    assert [mean_spend(t, m) for t, m in rows] == [t // m if m else 0 for t, m in rows]


def test_the_demo_reads_spend_over_the_policys_tier_window() -> None:
    from telcare.cli._demo import run_demo

    policy = tc.default_policy()
    short = policy.model_copy(
        update={"tiers": policy.tiers.model_copy(update={"window_months": 8})}
    )
    default, windowed = run_demo(2_000, seed=3), run_demo(2_000, seed=3, policy=short)
    assert default.sections["segment"]["cut_fen"] != windowed.sections["segment"]["cut_fen"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: tc.customers.mean_spend(301, -2), "months must be >= 0, got -2"),
        (lambda: tc.customers.mean_spend(float("nan"), 2), "total must be an int, got float nan"),
        (lambda: tc.customers.mean_spend(None, 2), "total must be an int, got NoneType None"),
        (
            lambda: tc.customers.mean_spend(np.array([1, 2, 3]), np.array([1, 2])),
            "columns must have equal lengths",
        ),
        (
            lambda: tc.customers.average_spend((100, 200, 300), 0),
            "window_months must be >= 1, got 0",
        ),
        (
            lambda: tc.customers.average_spend((100, 200), True),
            "window_months must be an int, got bool True",
        ),
        (
            lambda: tc.customers.average_spend((100, float("nan")), 12),
            "monthly_spend must be an int, got float nan",
        ),
        (lambda: tc.customers.average_spend("wang", 12), "must be a sequence of monthly bills"),
        (lambda: tc.customers.average_spend({1, 2}, 12), "must be a sequence of monthly bills"),
    ],
)
def test_the_average_spend_refuses_what_is_not_spend(call: Any, message: str) -> None:
    with pytest.raises(tc.InvalidInput, match=re.escape(message)):
        call()


def test_the_average_spend_sums_narrow_integers_without_wrapping() -> None:
    assert tc.customers.average_spend(np.full(12, 5000, dtype=np.int16), 12) == 5000
    assert (
        tc.customers.average_spend(np.full(3, 2_000_000_000, dtype=np.int32), 12) == 2_000_000_000
    )
    assert type(tc.customers.mean_spend(np.int64(301), 2)) is int


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        (float("nan"), r"^as_of must be a datetime\.date, got float nan"),
        ("2010-02-01", r"^as_of must be a datetime\.date, got str"),
        (
            datetime(2010, 2, 1, tzinfo=UTC),
            r"^as_of must be a datetime\.date, got datetime .*local_date",
        ),
        (np.zeros(0), r"^as_of must be a datetime\.date, got ndarray"),
    ],
)
def test_tenure_days_refuses_what_is_not_a_date(as_of: Any, message: str) -> None:
    c = tc.Customer("c1", activated_on=date(2010, 1, 4), plan_fee=0)
    with pytest.raises(tc.InvalidInput, match=message):
        c.tenure_days(as_of)
    assert c.tenure_days(date(2010, 2, 1)) == 28


# ------------------------------------------------------------ a manager's tier floor


def test_a_customer_has_no_floor_unless_one_is_granted() -> None:
    assert tc.Customer(**BASE).floor is None
    floor = tc.TierFloor("gold", until=date(2026, 12, 31))
    c = tc.Customer(**BASE, floor=floor)
    assert c.floor == tc.TierFloor("gold", date(2026, 12, 31)) and c.floor.until.year == 2026
    assert attrs.evolve(c, floor=None).floor is None
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        floor.tier = "diamond"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tier": "gold", "until": np.datetime64("2026-12-31")}, "TierFloor.until must be a datetime.date, got "),
        ({"tier": "gold", "until": "2026-12-31"}, "TierFloor.until must be a datetime.date, got str"),
        ({"tier": "gold", "until": date(1000, 1, 1)}, "TierFloor.until must be between"),
        ({"tier": float("nan"), "until": date(2026, 12, 31)}, "TierFloor.tier must be a str, got float"),
        ({"tier": " gold", "until": date(2026, 12, 31)}, "TierFloor.tier must"),
    ],
)  # fmt: skip
def test_a_tier_floor_is_checked_when_it_is_built(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(tc.InvalidInput, match="^" + re.escape(message)):
        tc.TierFloor(**kwargs)


@pytest.mark.parametrize("floor", ["gold", ("gold", date(2026, 12, 31)), float("nan")])
def test_a_customer_floor_must_be_a_tier_floor(floor: Any) -> None:
    with pytest.raises(
        tc.InvalidInput, match=r"^Customer\.floor must be None or a telcare\.TierFloor"
    ):
        tc.Customer(**BASE, floor=floor)
