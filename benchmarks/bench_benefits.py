"""Benefits and verification on a generated base."""

from __future__ import annotations

from typing import Any

import numpy as np

import telcare as tc
from benchmarks.harness import Case

POLICY = tc.default_policy()


def _base(n: int, rng: np.random.Generator) -> dict[str, Any]:
    return {
        "tier": rng.choice(5, n, p=[0.8, 0.08, 0.06, 0.04, 0.02]),
        "segment_member": rng.random(n) < 0.08,
        "plan_fee": rng.choice(np.array([3_800, 5_800, 9_600, 12_600, 18_600, 28_800]), n),
        "verification": rng.choice(3, n, p=[0.2, 0.75, 0.05]),
        "status": rng.choice(3, n, p=[0.9, 0.07, 0.03]),
    }


def _matrix(d: dict[str, Any]) -> Any:
    return tc.check_benefits(**d, policy=POLICY)


def _matrix_baseline(d: dict[str, Any]) -> Any:
    tier, seg, fee, ver, status = (
        d["tier"],
        d["segment_member"],
        d["plan_fee"],
        d["verification"],
        d["status"],
    )
    active = status == 0
    vip = (tier >= 1) & active
    silver = (tier >= 2) & active
    trusted = ver != 2
    eight = vip | (seg & active)
    out = np.empty((len(tier), 16), dtype=bool)
    out[:, 0] = eight & trusted  # the phone manager
    out[:, 1:8] = eight[:, None]
    out[:, 8] = silver & trusted  # the account manager
    out[:, 9:12] = vip[:, None]
    out[:, 12] = eight  # the merchant alliance covers the segment too
    out[:, 13] = silver
    out[:, 14] = vip
    out[:, 15] = (fee >= 9_600) & active & (ver == 1)  # the service manager: genuine users
    return out


def _accounts(n: int, rng: np.random.Generator) -> dict[str, Any]:
    def column(prefix: str, spread: int) -> Any:
        values = rng.integers(0, spread, n).astype(str)
        col = np.char.add(prefix, values)
        col[rng.random(n) < 0.01] = ""
        return col

    return {
        "id_numbers": column("44010", n),
        "contact_phones": column("139", n),
        "addresses": column("road ", n // 2),
        "operator_ids": column("op", max(1, n // 50)),
    }


def _watch(d: dict[str, Any]) -> Any:
    return tc.watch_list(**d, policy=POLICY)


def _watch_baseline(d: dict[str, Any]) -> Any:
    out = np.zeros(len(d["id_numbers"]), dtype=bool)
    for name, threshold in (
        ("id_numbers", 3),
        ("contact_phones", 3),
        ("addresses", 3),
        ("operator_ids", 20),
    ):
        col = d[name]
        present = col != ""
        _, inverse, counts = np.unique(col[present], return_inverse=True, return_counts=True)
        out[present] |= counts[inverse] >= threshold
    return out


CASES = [
    Case(
        "benefits.check_benefits",
        10_000_000,
        _base,
        _matrix,
        _matrix_baseline,
        per_item=True,
        goal=1.5,
    ),
    Case(
        "verification.watch_list",
        10_000_000,
        _accounts,
        _watch,
        _watch_baseline,
        per_item=True,
        goal=1.5,
    ),
]
