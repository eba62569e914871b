"""Every benchmark case, gathered from the per-area modules."""

from __future__ import annotations

from benchmarks import (
    bench_benefits,
    bench_book,
    bench_frames,
    bench_labels,
    bench_ledger,
    bench_marketing,
    bench_metrics,
    bench_moments,
    bench_money,
    bench_monthly,
    bench_points,
    bench_reports,
    bench_tiers,
    bench_whatif,
)
from benchmarks.harness import Case


def all_cases() -> list[Case]:
    return [
        *bench_money.CASES,
        *bench_tiers.CASES,
        *bench_points.CASES,
        *bench_ledger.CASES,
        *bench_book.CASES,
        *bench_benefits.CASES,
        *bench_moments.CASES,
        *bench_metrics.CASES,
        *bench_whatif.CASES,
        *bench_marketing.CASES,
        *bench_reports.CASES,
        *bench_frames.CASES,
        *bench_labels.CASES,
        *bench_monthly.CASES,
    ]
