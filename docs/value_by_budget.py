"""Draw docs/img/value_by_budget.png: the demo's base allocated under budgets from
nothing to a quarter of what every best offer would cost (``python docs/value_by_budget.py``;
the tests run it at a small size into a temporary folder)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import matplotlib
import numpy as np

import telcare as tc
from telcare import plot
from telcare.cli._marketing import DEMO_CATALOGUE


def draw(n: int, out: Path) -> list[float]:
    """Allocate ``n`` generated customers at 11 budgets; write the figure to ``out``."""
    matplotlib.use("Agg")
    rng = np.random.default_rng(2010)
    m = tc.match_offers(
        DEMO_CATALOGUE, at=datetime(2010, 12, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
        tier=rng.choice(5, n, p=[0.7, 0.12, 0.1, 0.05, 0.03]), segment_member=rng.random(n) < 0.1,
        avg_spend=(rng.lognormal(np.log(150), 0.8, n) * 100).astype(np.int64),
        plan_fee=rng.choice([3_800, 5_800, 9_600], n), tenure_months=rng.integers(0, 120, n),
        credit_level=np.ones(n, np.int64), response=rng.random((n, len(DEMO_CATALOGUE))) * 0.3,
    )  # fmt: skip
    full = int(m.cost[m.best[m.best >= 0]].sum())
    budgets = np.linspace(0, full // 4, 11).astype(np.int64).tolist()
    runs = [tc.allocate(m, budget=b, capacity={"phone": max(1, n // 100)}) for b in budgets]
    fig = plot.value_by_budget(budgets, [a.expected_value for a in runs],
                               bounds_fen=[a.bound for a in runs])  # fmt: skip
    fig.savefig(out, dpi=100)
    return [a.expected_value for a in runs]


if __name__ == "__main__":
    draw(
        int(sys.argv[1]) if len(sys.argv) > 1 else 50_000,
        Path(__file__).parent / "img" / "value_by_budget.png",
    )
