"""A whole monthly run over a base, in one process: tiers, the segment, a month's
accrual, the benefit matrix, credit suspensions, the snapshot moment scan and the
campaign metrics (retention per tier with intervals).

The case has no baseline: its goals are absolute (10^7 customers in at most 10 s,
peak memory at most 3x the input columns, time linear in the base), so
``python -m benchmarks --monthly`` prints the run at 10^5, 10^6 and 10^7 with the
time per customer.  :func:`monthly_on_dask` is the same run on Dask with all cores.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

import telcare as tc
from benchmarks.harness import Case

AS_OF = date(2010, 12, 1)
TODAY = np.datetime64(AS_OF, "D")


def base(n: int, rng: np.random.Generator) -> dict[str, Any]:
    """The columns a month's run reads, one row per customer (money in fen)."""
    avg = (rng.lognormal(np.log(15_000), 0.8, n)).astype(np.int64).clip(0, 2_000_000)
    credit = rng.choice(np.arange(1, 6), n, p=[0.35, 0.3, 0.2, 0.1, 0.05])
    ends = TODAY + rng.integers(-30, 400, n).astype("timedelta64[D]")
    ends[rng.random(n) < 0.6] = np.datetime64("NaT", "D")
    return {
        "id": np.arange(n, dtype=np.int64),
        "avg_spend": avg,
        "months": rng.integers(1, 13, n),
        "current": rng.integers(0, 5, n),
        "missed": rng.integers(0, 2, n),
        "tenure_days": rng.integers(0, 6_000, n),
        "spend": (avg * rng.lognormal(0, 0.15, n)).astype(np.int64),
        "paid_on_time": rng.random(n) < 0.95,
        "tenure_years": rng.integers(0, 16, n),
        "plan_fee": rng.choice(
            np.array([3_800, 5_800, 8_800, 9_600, 12_600, 18_600, 28_800, 58_800]), n
        ),
        "verification": rng.choice(3, n, p=[0.05, 0.92, 0.03]),
        "status": rng.choice(3, n, p=[0.95, 0.04, 0.01]),
        "credit_level": credit,
        "arrears": (
            np.array([0, 5_000, 15_000, 30_000, 60_000, 100_000])[credit]
            * rng.beta(0.6, 2.0, n)
            * 1.15
        ).astype(np.int64),
        "sms_last_hour": rng.poisson(2, n),
        "trailing_mean": avg,
        "contract_ends_on": ends,
        "retained": rng.random(n) < 0.88,
    }


def monthly_run(d: dict[str, Any], policy: tc.Policy | None = None) -> dict[str, Any]:
    """The month's run over the columns ``d``; returns its headline figures."""
    policy = policy or tc.default_policy()
    tiers = tc.evaluate_tiers(d["avg_spend"], d["months"], d["current"], d["missed"], policy=policy)
    eligible = np.isin(tiers.tier, [policy.tiers.index(c) for c in policy.segment.eligible_tiers])
    member = tc.mid_high_end(d["avg_spend"], eligible, tenure_days=d["tenure_days"], ids=d["id"],
                             share=policy.segment.share)  # fmt: skip
    data = d["spend"] // 4
    points = tc.points_for_bills(
        d["spend"], data, d["paid_on_time"], tiers.tier, d["tenure_years"], policy=policy
    )
    benefits = tc.check_benefits(
        tiers.tier, member, d["plan_fee"], d["verification"], d["status"], policy=policy
    )
    allowance = tc.credit_allowances(d["credit_level"], policy=policy)
    suspend = tc.check_suspensions(
        d["arrears"], d["credit_level"], d["sms_last_hour"], policy=policy
    )
    scan = tc.scan_moments(AS_OF, policy=policy, used=d["arrears"], allowance=allowance,
                           month_spend=d["spend"], trailing_mean=d["trailing_mean"],
                           contract_ends_on=d["contract_ends_on"])  # fmt: skip
    retention = tc.rates_by_group(tiers.tier, d["retained"], n_groups=len(policy.tiers.codes))
    return {
        "tiers": np.bincount(tiers.tier, minlength=len(policy.tiers.codes)),
        "segment": int(member.sum()),
        "points": int(points.sum()),
        "benefits": benefits.sum(axis=0),
        "suspended": int(suspend.sum()),
        "moments": {m: int(v.sum()) for m, v in scan.due.items()},
        "retention": retention.numerator,
    }


def dask_frame(d: dict[str, Any], partitions: int) -> Any:
    """The columns as a Dask frame held in memory (what reading a stored base gives)."""
    import dask.dataframe as dd
    import pandas as pd

    return dd.from_pandas(pd.DataFrame(d), npartitions=partitions).persist(scheduler="threads")


def monthly_on_dask(frame: Any, workers: int, policy: tc.Policy | None = None) -> dict[str, Any]:
    """The same run over a Dask frame (:func:`dask_frame`) on the threaded scheduler: every
    rule per partition, the segment's cut and the retention counts across partitions (exact)."""
    import dask
    import pandas as pd

    from telcare import on_dask

    policy = policy or tc.default_policy()
    eligible_tiers = [policy.tiers.index(c) for c in policy.segment.eligible_tiers]

    def month_columns(p: pd.DataFrame) -> pd.DataFrame:
        # the columns the later rules read, added inside each partition (one step)
        tier = p["tier"].cat.codes.to_numpy()
        return p.assign(eligible=np.isin(tier, eligible_tiers), tier_code=tier,
                        data_spend=p["spend"] // 4,
                        allowance=tc.credit_allowances(p["credit_level"].to_numpy(), policy=policy))  # fmt: skip

    with dask.config.set(scheduler="threads", num_workers=workers):
        run = on_dask.evaluate_tiers(frame, policy=policy)
        run = run.map_partitions(month_columns)
        run = on_dask.mid_high_end(run, ids="id", share=policy.segment.share)
        run = on_dask.points_for_bills(run, tier="tier_code", policy=policy)
        run = on_dask.check_benefits(
            run, tier="tier_code", segment_member="mid_high_end", policy=policy
        )
        run = on_dask.check_suspensions(run, policy=policy)
        run = on_dask.scan_moments(
            run, as_of=AS_OF, policy=policy, columns={"used": "arrears", "month_spend": "spend"}
        )
        # the two reductions read the month's results once: they are kept, not recomputed
        results = run[
            ["points", "suspend", "mid_high_end", *tc.BENEFIT_CODES, "tier_code", "retained"]
        ]
        results = results.persist()
        sums = results[["points", "suspend", "mid_high_end", *tc.BENEFIT_CODES]].sum().compute()
        retention = on_dask.rates_by_group(results, groups="tier_code", successes="retained")
    return {"segment": int(sums["mid_high_end"]), "points": int(sums["points"]),
            "suspended": int(sums["suspend"]), "benefits": sums[list(tc.BENEFIT_CODES)].to_numpy(),
            "retention": retention.numerator}  # fmt: skip


def growth(n_max: int = 10_000_000, *, repeat: int = 3) -> str:
    """The run at 10^5, 10^6, ... up to ``n_max``: time, time per customer, peak memory over
    the input columns; then on Dask with every core at ``n_max``."""
    import os
    import time

    from benchmarks.harness import nbytes, peak_extra

    lines = [f"{'n':>12} {'time':>9} {'per customer':>13} {'peak / input':>13}"]
    n = 100_000
    last: dict[str, Any] = {}
    while n <= n_max:
        d = base(n, np.random.default_rng(2010))
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            last = monthly_run(d)
            best = min(best, time.perf_counter() - start)
        peak = peak_extra(monthly_run, d) / nbytes(d)
        lines.append(f"{n:>12,} {best:>8.3f}s {best / n * 1e9:>10.1f} ns {peak:>12.2f}x")
        n *= 10
    cores = os.cpu_count() or 1
    d = base(n_max, np.random.default_rng(2010))
    start = time.perf_counter()
    frame = dask_frame(d, 4 * cores)
    loading = time.perf_counter() - start
    best, on_dask = float("inf"), {}
    for _ in range(repeat):
        start = time.perf_counter()
        on_dask = monthly_on_dask(frame, cores)
        best = min(best, time.perf_counter() - start)
    same = all(np.array_equal(np.asarray(on_dask[k]), np.asarray(last[k])) for k in on_dask)
    lines.append(
        f"dask threads x{cores} at {n_max:,}: {best:.3f}s ({'same answers' if same else 'DIFFERENT answers'}; "
        f"building the Dask frame from the columns, not timed: {loading:.1f}s)"
    )
    return "\n".join(lines)


CASES = [
    Case("monthly.run (one process)", 10_000_000, base, monthly_run, None,
         notes="tiers, segment, accrual, benefits, suspensions, moment scan, retention per tier"),
]  # fmt: skip
