"""Every benchmark case, gathered from the per-area modules."""

from __future__ import annotations

from benchmarks import bench_money, bench_tiers
from benchmarks.harness import Case


def all_cases() -> list[Case]:
    return [*bench_money.CASES, *bench_tiers.CASES]
