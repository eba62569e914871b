"""The default policy against seed 002's economics, on the synthetic base.

Seed 002: "积分回报率为2%, 预计年度总成本支出占全球通比例的2.3%": points return 2%
of spend, and the programme was forecast to cost 2.3% of GoTone revenue.
"""

from __future__ import annotations

import pytest

import telcare as tc
from telcare.cli._demo import run_demo


@pytest.mark.parametrize("seed", [2010, 7])
def test_default_policy_returns_two_percent_of_spend(seed: int) -> None:
    points = run_demo(50_000, seed=seed).sections["points"]
    assert 1.9 <= points["return_rate_pct"] <= 2.1  # seed 002: 2%, +/- 0.1 pp
    assert abs(points["cost_ratio_pct"] - 2.3) <= 0.1  # seed 002: 2.3% of revenue
    # the costs the policy names (0.3% of revenue) are what separates the two
    assert points["cost_ratio_pct"] - points["return_rate_pct"] == pytest.approx(0.3, abs=1e-4)


def test_first_round_rates_overshot_the_seed_return() -> None:
    generous = tc.Policy.model_validate({"points": {
        "data_per_yuan": 1, "tenure_per_year": 100, "credit_per_month": 50,
        "tier_multipliers": {"silver": "1.1", "gold": "1.25", "diamond": "1.5"}}})  # fmt: skip
    assert run_demo(50_000, policy=generous).sections["points"]["return_rate_pct"] > 3


def test_the_points_line_adds_up() -> None:
    p = run_demo(20_000, seed=3).sections["points"]
    assert p["reversed"] > 0 and p["opening"] > 0
    assert (
        p["opening"] + p["issued"] - p["redeemed"] - p["expired"] - p["reversed"]
        == p["outstanding"]
    )


def test_the_points_line_is_the_points_books_lots() -> None:
    """The demo keeps the year's points in a PointsBook (issue #29): the closing balance
    is its live lots, the liability their value, the expiry what lapsed on 30 Nov."""
    p = run_demo(2_000, seed=4).sections["points"]
    fen = tc.default_policy().points.fen_per_point
    assert p["liability_fen"] == p["outstanding"] * fen == p["liability_by_month"][-1]
    assert p["expired"] > 0 and p["redeemed"] > 0
    assert len(p["liability_by_month"]) == 12 and min(p["liability_by_month"][:-1]) > 0
