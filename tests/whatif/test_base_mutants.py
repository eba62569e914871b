"""A customer base refuses each column out of its bounds, by name, when it is built
(before any rule runs), and shows which columns it holds."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import telcare as tc

#: The documented bounds of each optional per-customer column: (lowest, highest).
BOUNDS = {
    "missed": (0, 10**9),
    "segment_spend": (0, 10**15),
    "tenure_days": (0, 10**6),
    "plan_fee": (0, 10**14),
    "verification": (0, len(tc.Verification) - 1),
    "status": (0, len(tc.AccountStatus) - 1),
    "credit_level": (1, 1_000),
    "points_balance": (0, 10**15),
    "points_spent": (0, 10**15),
    "sms_last_hour": (0, 10**9),
    "days_over": (0, 3_660),
}


def _refusal(**columns: Any) -> str:
    cols = {"ids": ["a"], "avg_spend": [1], "months": [1], **columns}
    with pytest.raises(tc.InvalidInput) as info:
        tc.CustomerBase(**cols)
    return str(info.value)


@pytest.mark.parametrize("name", sorted(BOUNDS))
def test_each_column_takes_its_bounds_and_refuses_one_past_them(name: str) -> None:
    low, high = BOUNDS[name]
    for fine in (low, high):
        assert getattr(tc.CustomerBase(["a"], [1], [1], **{name: [fine]}), name).tolist() == [fine]
    assert _refusal(**{name: [high + 1]}) == f"{name} must be <= {high}, got {high + 1} at index 0"
    assert _refusal(**{name: [low - 1]}) == f"{name} must be >= {low}, got {low - 1} at index 0"


def test_the_required_columns_are_bounded_and_named() -> None:
    assert _refusal(avg_spend=[-1]) == "avg_spend must be >= 0, got -1 at index 0"
    assert _refusal(avg_spend=[10**15 + 1]) == (
        "avg_spend must be <= 1000000000000000, got 1000000000000001 at index 0"
    )
    assert tc.CustomerBase(["a"], [10**15], [10_000]).months.tolist() == [10_000]
    assert _refusal(months=[-1]) == "months must be >= 0, got -1 at index 0"
    assert _refusal(months=[10_001]) == "months must be <= 10000, got 10001 at index 0"
    assert _refusal(ids=[["a"]]) == "ids must be a 1-D column, got shape (1, 1)"


def test_tier_columns_must_be_columns() -> None:
    assert _refusal(tier=[["gold"]]) == "tier must be a 1-D column, got shape (1, 1)"
    assert _refusal(points_tier=[["gold"]]) == "points_tier must be a 1-D column, got shape (1, 1)"


def test_bill_tables_are_read_and_bounded_by_name() -> None:
    assert _refusal(bills=[["x"]]) == "bills must hold integers, got dtype <U1"
    assert _refusal(bills=[[10**12 + 1]]) == (
        "bills must be <= 1000000000000, got 1000000000001 at index 0"
    )
    assert _refusal(bills=[[1]], data_bills=[[10**12 + 1]]).startswith("data_bills must be <= ")
    assert _refusal(bills=[[1]], anniversary_years=[[10_001]]) == (
        "anniversary_years must be <= 10000, got 10001 at index 0"
    )
    assert _refusal(bills=[[1]], paid_on_time=[[2]]).startswith("paid_on_time must hold booleans")
    assert _refusal(bills=[[1], [1, 2]]).startswith("bills cannot be read as an array")
    base = tc.CustomerBase(["a", "b"], [1, 1], [1, 1], bills=[[10**12, 0, 3], [1, 2, 3]],
                           anniversary_years=[[10_000, 0, 0], [0, 0, 0]])  # fmt: skip
    np.testing.assert_array_equal(base.bills, [[10**12, 0, 3], [1, 2, 3]])
    assert base.anniversary_years is not None and base.anniversary_years[0, 0] == 10_000


def test_moment_columns_that_are_not_a_mapping_are_refused_in_full() -> None:
    assert _refusal(moment_columns=[1]) == (
        "moment_columns must map scan_moments() column names to columns, got list"
    )


def test_a_base_lists_the_optional_columns_it_holds() -> None:
    base = tc.CustomerBase(["a", "b"], [1, 2], [1, 1], missed=[0, 0], tier=["gold", "vip"],
                           bills=[[1], [2]])  # fmt: skip
    assert (
        repr(base)
        == "CustomerBase(2 customers; columns: ids, avg_spend, months, bills, missed, tier)"
    )
