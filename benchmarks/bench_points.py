"""Points: batch accrual, and the ledger's postings and balance queries."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from typing import Any

import numpy as np

import telcare as tc
from benchmarks.harness import Case

POLICY = tc.default_policy()


def _bills(n: int, rng: np.random.Generator) -> dict[str, Any]:
    spend = rng.lognormal(np.log(15_000), 0.9, n).astype(np.int64)
    return {
        "spend": spend,
        "data_spend": (spend * rng.random(n) * 0.5).astype(np.int64),
        "paid_on_time": rng.random(n) < 0.9,
        "tier": rng.integers(0, 5, n),
        "tenure_years": np.where(rng.random(n) < 1 / 12, rng.integers(1, 15, n), 0),
    }


def _accrue(d: dict[str, Any]) -> Any:
    return tc.points_for_bills(**d, policy=POLICY)


def _accrue_baseline(d: dict[str, Any]) -> Any:
    # The default policy by hand: multipliers 1, 1, 1.05, 1.1, 1.2 over 20; no data
    # bonus; 2 credit points on time; 20 tenure points at an anniversary.
    num = np.array([20, 20, 21, 22, 24])
    consumption = (d["spend"] // 100) * num[d["tier"]] // 20
    return consumption + d["paid_on_time"] * 2 + (d["tenure_years"] > 0) * 20


def _postings(n: int, rng: np.random.Generator) -> list[tuple[str, date, int]]:
    """``n`` postings of one customer: a bill a month and a redemption a quarter.

    160 postings are ten years of that life.
    """
    ops: list[tuple[str, date, int]] = []
    day = date(2010, 1, 28)
    month = 0
    while len(ops) < n:
        ops.append(("accrue", day, int(rng.integers(50, 800))))
        if month % 3 == 2 and len(ops) < n:
            ops.append(("redeem", day + timedelta(days=1), int(rng.integers(10, 200))))
        day += timedelta(days=30)
        month += 1
    return ops


def _post_all(ops: list[tuple[str, date, int]]) -> int:
    return len(_build(ops))


def _build(ops: list[tuple[str, date, int]]) -> tc.PointsLedger:
    ledger = tc.PointsLedger.empty("c1", policy=POLICY)
    for i, (kind, day, points) in enumerate(ops):
        if kind == "accrue":
            ledger = ledger.accrue(f"b{i}", day, points, "consumption")
        else:
            with contextlib.suppress(tc.InsufficientPoints):
                ledger, _ = ledger.redeem(f"r{i}", day, points)
    return ledger


def _ledger(n: int, rng: np.random.Generator) -> Any:
    ops = _postings(160, rng)
    ledger = _build(ops)
    return {
        "ledger": ledger,
        "days": [date(2020, 1, 1) + timedelta(days=k % 300) for k in range(n)],
    }


def _balances(d: dict[str, Any]) -> list[int]:
    ledger = d["ledger"]
    return [ledger.balance(day) for day in d["days"]]


CASES = [
    Case(
        "points.points_for_bills",
        10_000_000,
        _bills,
        _accrue,
        _accrue_baseline,
        per_item=True,
        goal=1.5,
    ),
    Case(
        "points.ledger 10y postings (per posting)",
        160,
        _postings,
        _post_all,
        per_item=True,
        smoke_n=160,
    ),
    Case(
        "points.ledger balance (per query)", 10_000, _ledger, _balances, per_item=True, smoke_n=50
    ),
]
