"""Campaign value, ROI and revenue forecasts."""

from __future__ import annotations

import math
from typing import Any

import pytest

import telcare as tc


def test_campaign_value_and_roi() -> None:
    v = tc.campaign_value(cost=5_000_000, contacts=8_600, successes=1_200, unit_price=1_000, usage_months=12,
                          survival=0.8, targets=10_000, control=tc.Rate(400, 10_000))  # fmt: skip
    assert (v.value_created, v.incremental_value, v.abandonment) == (
        11_520_000,
        7_680_000,
        pytest.approx(0.2),
    )
    assert v.cost_per_success == pytest.approx(5_000_000 / 1_200)
    assert v.roi == pytest.approx((7_680_000 - 5_000_000) / 5_000_000)
    plain = tc.campaign_value(cost=100, contacts=10, successes=1, unit_price=100, usage_months=2)
    assert (plain.value_created, plain.roi, plain.incremental_value) == (200, 1.0, None)
    with pytest.raises(tc.InvalidInput, match="targets"):
        tc.campaign_value(
            cost=1, contacts=1, successes=1, unit_price=1, usage_months=1, control=tc.Rate(1, 2)
        )
    with pytest.raises(tc.InvalidInput, match="survival"):
        tc.campaign_value(cost=1, contacts=1, successes=1, unit_price=1, usage_months=1, survival=2)


def test_seed_golf_forecast_is_16_million_yuan() -> None:
    assert tc.revenue_forecast((50_000, tc.yuan(200), 1), (100_000, tc.yuan(5), 12)) == tc.yuan(
        16_000_000
    )
    with pytest.raises(tc.InvalidInput, match="stream 0"):
        tc.revenue_forecast((1, 2))  # type: ignore[arg-type]


def test_campaign_value_every_field() -> None:
    v = tc.campaign_value(
        cost=1_000, contacts=50, successes=10, unit_price=200, usage_months=3, survival=0.5
    )
    assert (v.cost, v.contacts, v.successes) == (1_000, 50, 10)
    assert (v.cost_per_contact, v.cost_per_success, v.survival, v.abandonment) == (
        20.0,
        100.0,
        0.5,
        0.5,
    )
    assert (v.value_created, v.incremental_successes, v.incremental_value) == (3_000, None, None)
    assert v.roi == 2.0
    assert str(v) == "cost ¥10.00, value ¥30.00, ROI 200.0%"
    free = tc.campaign_value(
        cost=0, contacts=0, successes=0, unit_price=0, usage_months=0, survival=0
    )
    assert (
        math.isnan(free.cost_per_contact)
        and math.isnan(free.cost_per_success)
        and math.isnan(free.roi)
    )
    edge = tc.campaign_value(cost=10, contacts=5, successes=5, unit_price=1, usage_months=1, targets=5,
                             control=tc.Rate(1, 5))  # fmt: skip
    assert edge.incremental_successes == pytest.approx(4.0) and edge.incremental_value == 4


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"cost": -1}, "cost must be >= 0, got -1"),
        ({"unit_price": 1.5}, "unit_price must be an int, got float 1.5"),
        ({"contacts": -1}, "contacts must be >= 0, got -1"),
        ({"successes": True}, "successes must be an int, got bool True"),
        ({"usage_months": -2}, "usage_months must be >= 0, got -2"),
        ({"successes": 51}, "successes (51) cannot exceed contacts (50)"),
        ({"survival": -0.1}, "survival must be in [0, 1], got -0.1"),
        (
            {"control": tc.Rate(1, 10)},
            "targets (>= contacts) must be given with a control group, got None",
        ),
        ({"control": tc.Rate(1, 10), "targets": 49}, "got 49"),
        ({"control": tc.Rate(0, 0), "targets": 60}, "control has no observations"),
    ],
)
def test_campaign_value_names_each_bad_argument(change: dict[str, Any], fragment: str) -> None:
    base = {"cost": 1_000, "contacts": 50, "successes": 10, "unit_price": 200, "usage_months": 3}
    with pytest.raises(tc.InvalidInput) as info:
        tc.campaign_value(**{**base, **change})
    assert fragment in str(info.value)


def test_revenue_forecast_names_the_stream() -> None:
    assert tc.revenue_forecast() == 0 and tc.revenue_forecast((2, 3, 4)) == 24
    with pytest.raises(tc.InvalidInput, match=r"^stream 1 unit_price must be >= 0, got -1$"):
        tc.revenue_forecast((1, 1, 1), (1, -1, 1))
    with pytest.raises(
        tc.InvalidInput, match=r"^stream 0 must be \(users, unit_price, periods\), got \[1, 1, 1\]$"
    ):
        tc.revenue_forecast([1, 1, 1])  # type: ignore[arg-type]


def test_value_figures_are_bounded_and_named() -> None:
    base = {
        "cost": 1_000,
        "contacts": 50,
        "successes": 10,
        "unit_price": 200,
        "usage_months": 3,
        "survival": 0.5,
    }
    cases = [
        ({"cost": 10**17 + 1}, r"^cost must be <= 100000000000000000, got "),
        ({"unit_price": 10**15 + 1}, r"^unit_price must be <= 1000000000000000, got "),
        ({"usage_months": 10**9 + 1}, r"^usage_months must be <= 1000000000, got "),
        ({"control": tc.Rate(1, 10), "targets": 10}, r"^targets must be >= 50, got 10$"),
    ]
    for change, message in cases:
        with pytest.raises(tc.InvalidInput, match=message):
            tc.campaign_value(**{**base, **change})
    assert tc.campaign_value(**{**base, "cost": 10**17, "unit_price": 10**15}).cost == 10**17
