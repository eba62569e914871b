"""Tiers and the segment on a generated base."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

import telcare as tc
from benchmarks.harness import Case

POLICY = tc.default_policy()


def _base(n: int, rng: np.random.Generator) -> dict[str, Any]:
    avg = rng.lognormal(np.log(15_000), 0.9, n).astype(np.int64)
    months = rng.integers(0, 13, n)
    current = rng.integers(0, 5, n)
    missed = rng.integers(0, 2, n)
    return {"avg_spend": avg, "months": months, "current": current, "missed": missed}


def _tiers(d: dict[str, Any]) -> Any:
    b = tc.evaluate_tiers(d["avg_spend"], d["months"], d["current"], d["missed"], policy=POLICY)
    return np.stack([b.tier, b.missed])


def _tiers_baseline(d: dict[str, Any]) -> Any:
    thr = np.array([0, 20_000, 30_000, 50_000, 100_000])
    mm = np.array([0, 6, 6, 6, 6])
    q = (
        np.minimum(
            np.searchsorted(thr, d["avg_spend"], "right"), np.searchsorted(mm, d["months"], "right")
        )
        - 1
    )
    meets = q >= d["current"]
    missed = np.where(meets, 0, d["missed"] + 1)
    falls = ~meets & (missed >= 2)
    tier = np.where(meets | falls, q, d["current"])
    missed[falls] = 0
    return np.stack([tier, missed])


def _segment_base(n: int, rng: np.random.Generator) -> dict[str, Any]:
    return {
        "avg_spend": (
            rng.lognormal(np.log(150), 0.8, n).astype(np.int64) * 100
        ),  # whole yuan: many ties
        "eligible": rng.random(n) < 0.9,
        "tenure_days": rng.integers(0, 5_000, n),
        "ids": rng.permutation(n).astype(np.int64),
    }


def _segment(d: dict[str, Any]) -> Any:
    return tc.mid_high_end(
        d["avg_spend"], d["eligible"], tenure_days=d["tenure_days"], ids=d["ids"], share=0.1
    )


def _segment_baseline(d: dict[str, Any]) -> Any:
    elig = np.flatnonzero(d["eligible"])
    k = len(elig) // 10
    out = np.zeros(len(d["eligible"]), dtype=bool)
    if k == 0:
        return out
    spend = d["avg_spend"][elig]
    top = np.argpartition(-spend, k - 1)[:k]
    cut = spend[top].min()
    sure = elig[spend > cut]
    tied = elig[spend == cut]
    order = np.lexsort((d["ids"][tied], -d["tenure_days"][tied]))
    out[sure] = True
    out[tied[order[: k - len(sure)]]] = True
    return out


def _one_customer(n: int, rng: np.random.Generator) -> list[tc.Customer]:
    return [
        tc.Customer(
            f"c{i}",
            activated_on=date(2015, 1, 1),
            plan_fee=12_800,
            monthly_spend=tuple(int(x) for x in rng.integers(10_000, 80_000, 12)),
            tier="silver",
        )
        for i in range(n)
    ]


def _scalar_loop(people: list[tc.Customer]) -> list[str]:
    return [tc.evaluate_tier(p, policy=POLICY).tier for p in people]


CASES = [
    Case(
        "tiers.evaluate_tiers", 10_000_000, _base, _tiers, _tiers_baseline, per_item=True, goal=1.5
    ),
    Case(
        "segment.mid_high_end",
        10_000_000,
        _segment_base,
        _segment,
        _segment_baseline,
        per_item=True,
        goal=1.5,
    ),
    Case(
        "tiers.evaluate_tier (per call)",
        20_000,
        _one_customer,
        _scalar_loop,
        per_item=True,
        smoke_n=50,
    ),
]
