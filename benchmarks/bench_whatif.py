"""What-if: one base under two policies, against evaluating both by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

import telcare as tc
from benchmarks.harness import Case

BEFORE = tc.default_policy()
_LADDER = [r.model_copy(update={"min_avg_spend": 60_000}) if r.code == "gold" else r
           for r in BEFORE.tiers.ladder]  # fmt: skip
AFTER = BEFORE.model_copy(update={"tiers": BEFORE.tiers.model_copy(update={"ladder": _LADDER})})
AS_OF = date(2010, 12, 1)


def _base(n: int, rng: np.random.Generator) -> tc.CustomerBase:
    spend = (rng.lognormal(np.log(150), 0.8, n) * 100).astype(np.int64)
    return tc.CustomerBase(
        np.arange(n),
        spend,
        rng.integers(6, 13, n),
        tenure_days=rng.integers(0, 5_000, n),
        plan_fee=rng.choice(np.array([3_800, 5_800, 9_600, 12_600, 28_800]), n),
        verification=rng.choice(3, n, p=[0.05, 0.92, 0.03]),
        status=rng.choice(3, n, p=[0.95, 0.04, 0.01]),
        credit_level=rng.integers(1, 6, n),
        bills=spend[:, None],
        moment_columns={"used": (rng.beta(0.6, 2.0, n) * 60_000).astype(np.int64)},
    )


def _compare(base: tc.CustomerBase) -> Any:
    return tc.compare_policies(base, BEFORE, AFTER, as_of=AS_OF).changed


def _side(base: tc.CustomerBase, policy: tc.Policy) -> tuple[Any, ...]:
    """What a programme analyst writes with the batch functions for one policy."""
    n = len(base)
    tiers = tc.evaluate_tiers(base.avg_spend, base.months, policy=policy)
    eligible = np.isin(tiers.tier, [policy.tiers.index(c) for c in policy.segment.eligible_tiers])
    member = tc.mid_high_end(base.avg_spend, eligible, tenure_days=base.tenure_days, ids=base.ids,
                             share=policy.segment.share)  # fmt: skip
    benefits = tc.check_benefits(tiers.tier, member, base.plan_fee, base.verification, base.status,
                                 credit_level=base.credit_level, policy=policy)  # fmt: skip
    zeros = np.zeros(n, dtype=np.int64)
    assert base.bills is not None and base.credit_level is not None
    points = tc.points_for_bills(base.bills[:, 0], zeros, np.ones(n, bool), tiers.tier, zeros,
                                 policy=policy)  # fmt: skip
    used = base.moment_columns["used"]
    tc.scan_moments(
        AS_OF,
        policy=policy,
        used=used,
        allowance=tc.credit_allowances(base.credit_level, policy=policy),
    )
    suspend = tc.check_suspensions(used, base.credit_level, zeros, policy=policy)
    return np.asarray(policy.tiers.codes)[tiers.tier], member, benefits, points, suspend


def _by_hand(base: tc.CustomerBase) -> Any:
    (t0, m0, b0, p0, s0), (t1, m1, b1, p1, s1) = _side(base, BEFORE), _side(base, AFTER)
    return (t0 != t1) | (m0 != m1) | (p0 != p1) | (s0 != s1) | (b0 != b1).any(axis=1)


CASES = [
    Case(
        "whatif.compare_policies",
        10_000_000,
        _base,
        _compare,
        _by_hand,
        per_item=True,
        goal=1.2,
        notes="both policies' batch rules by hand and the changed mask, against one call",
    ),
]
