"""One policy's outcome on a customer base: every whole-base rule run once (tiers,
the segment, benefits, points and their economics, the snapshot moments,
suspensions), as :func:`~telcare.compare_policies` runs it per side."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import numpy as np

from telcare._core.checks import int_column
from telcare._core.display import summary_html, summary_text
from telcare._core.errors import InvalidInput
from telcare._core.money import format_yuan
from telcare.benefits import check_benefits, check_suspensions, credit_allowances
from telcare.moments import scan_moments
from telcare.points import points_for_bills, programme_economics
from telcare.policy import BENEFIT_CODES, Policy
from telcare.tiers import evaluate_tiers, mid_high_end
from telcare.whatif._base import I64, Bools, CustomerBase

__all__ = ["PolicyOutcome", "evaluate"]


@attrs.frozen(slots=True, eq=False)
class PolicyOutcome:
    """One policy's results on the base: columns per customer and the totals."""

    policy: Policy
    tier: I64
    member: Bools
    benefits: Bools
    points: I64
    suspend: Bools
    segment_cut: int
    revenue: int
    return_rate: float
    cost_ratio: float
    liability: int
    moments: dict[str, int]

    def totals(self) -> dict[str, Any]:
        """The base-wide figures of this policy as plain values."""
        return {
            "segment_size": int(self.member.sum()),
            "segment_cut": self.segment_cut,
            "benefits": {
                c: int(v) for c, v in zip(BENEFIT_CODES, self.benefits.sum(axis=0), strict=True)
            },
            "points_issued": int(self.points.sum()),
            "liability": self.liability,
            "return_rate": self.return_rate,
            "cost_ratio": self.cost_ratio,
            "suspensions": int(self.suspend.sum()),
            "moments": dict(self.moments),
        }

    def to_dict(self) -> dict[str, Any]:
        """The totals as JSON-ready values (the per-customer columns stay numpy attributes)."""
        return self.totals()

    def _repr_html_(self) -> str:
        t = self.totals()
        rows = [("segment", f"{t['segment_size']:,} customers, cut at {format_yuan(t['segment_cut'])}"),
                ("points issued", f"{t['points_issued']:,}"), ("liability", format_yuan(t["liability"])),
                ("return rate", f"{t['return_rate']:.2%}"), ("cost ratio", f"{t['cost_ratio']:.2%}"),
                ("suspensions", f"{t['suspensions']:,}")]  # fmt: skip
        rows += [(f"moment {m}", f"{c:,} due") for m, c in t["moments"].items()]
        return summary_html("PolicyOutcome", rows)

    def __str__(self) -> str:
        t = self.totals()
        rows = [("customers", f"{len(self.member):,}"),
                ("segment", f"{t['segment_size']:,} customers, cut at {format_yuan(t['segment_cut'])}"),
                ("points issued", f"{t['points_issued']:,}"), ("liability", format_yuan(t["liability"])),
                ("return rate", f"{t['return_rate']:.2%}"), ("cost ratio", f"{t['cost_ratio']:.2%}"),
                ("suspensions", f"{t['suspensions']:,}")]  # fmt: skip
        rows += [(f"moment {m}", f"{c:,} due") for m, c in t["moments"].items()]
        return summary_text("PolicyOutcome", rows)


def evaluate(base: CustomerBase, policy: Policy, as_of: date) -> PolicyOutcome:
    """Every whole-base rule on ``base`` under ``policy``."""
    n = len(base)
    tiers = evaluate_tiers(
        base.avg_spend, base.months, _current_tiers(base, policy), base.missed, policy=policy
    )
    eligible_codes = [policy.tiers.index(c) for c in policy.segment.eligible_tiers]
    spend = base.avg_spend if base.segment_spend is None else base.segment_spend
    member = mid_high_end(
        spend,
        np.isin(tiers.tier, eligible_codes),
        tenure_days=base.tenure_days,
        ids=base.ids,
        share=policy.segment.share,
    )
    cut = int(spend[member].min()) if member.any() else 0
    zeros = np.zeros(n, dtype=np.int64)
    benefits = check_benefits(
        tiers.tier,
        member,
        zeros if base.plan_fee is None else base.plan_fee,
        zeros if base.verification is None else base.verification,
        zeros if base.status is None else base.status,
        credit_level=base.credit_level,
        policy=policy,
    )
    earning = tiers.tier
    if base.points_tier is not None:
        earning = _tier_indices(base.points_tier, "points_tier", policy)
    points, revenue = _points(base, earning, policy)
    return_rate, cost_ratio, liability = _economics(base, points, revenue, policy)
    delayed = benefits[:, BENEFIT_CODES.index("delayed_suspension")]
    opened, suspend = _moments_and_suspensions(base, as_of, delayed, policy)
    return PolicyOutcome(
        policy, tiers.tier, member, benefits, points, suspend, cut, revenue,
        return_rate, cost_ratio, liability, opened,
    )  # fmt: skip


def _current_tiers(base: CustomerBase, policy: Policy) -> I64:
    """The base's present tiers as indices on the policy's ladder (its floor when none)."""
    if base.tier is None:
        return np.zeros(len(base), dtype=np.int64)
    return _tier_indices(base.tier, "tier", policy)


def _tier_indices(codes: Any, name: str, policy: Policy) -> I64:
    """Tier codes as indices on the policy's ladder; a code not on it is refused."""
    lookup = {code: i for i, code in enumerate(policy.tiers.codes)}
    labels, inverse = np.unique(codes.astype(str), return_inverse=True)
    unknown = [x for x in labels.tolist() if x not in lookup]
    if unknown:
        raise InvalidInput(
            f"{name} codes {unknown} are not on the ladder {list(policy.tiers.codes)}"
        )
    indices: I64 = np.array([lookup[x] for x in labels.tolist()], dtype=np.int64)[inverse]
    return indices


def _points(base: CustomerBase, tier: I64, policy: Policy) -> tuple[I64, int]:
    """(points per customer over the bills, the bills' revenue)."""
    n = len(base)
    points = np.zeros(n, dtype=np.int64)
    if base.bills is None:
        return points, 0
    zeros = np.zeros(n, dtype=np.int64)
    for month in range(base.bills.shape[1]):
        points += points_for_bills(
            base.bills[:, month],
            zeros if base.data_bills is None else base.data_bills[:, month],
            np.ones(n, bool) if base.paid_on_time is None else base.paid_on_time[:, month],
            tier,
            zeros if base.anniversary_years is None else base.anniversary_years[:, month],
            policy=policy,
        )
    return points, int(base.bills.sum())


def _economics(
    base: CustomerBase, points: I64, revenue: int, policy: Policy
) -> tuple[float, float, int]:
    """(return rate, cost ratio, liability); the rates are NaN without revenue.

    Outstanding per customer: the balance before the period plus the points
    issued, less the points spent in it (never below nothing).
    """
    outstanding = points.copy()
    if base.points_balance is not None:
        outstanding += base.points_balance
    if base.points_spent is not None:
        outstanding = np.maximum(outstanding - base.points_spent, 0)
    issued, left = int(points.sum()), int(outstanding.sum())
    if revenue:
        econ = programme_economics(revenue, issued, left, policy=policy)
        return econ.return_rate, econ.cost_ratio, econ.liability
    return float("nan"), float("nan"), left * policy.points.fen_per_point


def _moments_and_suspensions(
    base: CustomerBase, as_of: date, delayed: Bools, policy: Policy
) -> tuple[dict[str, int], Bools]:
    """(moments opened per moment, who is suspended) from the base's moment columns;
    with ``days_over``, the accounts granted delayed suspension (``delayed``) are held
    as :func:`check_suspensions` holds them."""
    columns = dict(base.moment_columns)
    if "used" in columns and "allowance" not in columns and base.credit_level is not None:
        top = max(policy.credit.allowances)
        if int(base.credit_level.max(initial=0)) > top:
            raise InvalidInput(f"credit levels above {top} are not in the policy")
        # a level the policy skips is refused by name, not read as no allowance
        columns["allowance"] = credit_allowances(base.credit_level, policy=policy)
    opened: dict[str, int] = {}
    if columns:
        scan = scan_moments(as_of, policy=policy, **columns)
        opened = {str(m): int(d.sum()) for m, d in scan.due.items()}
    suspend = np.zeros(len(base), dtype=bool)
    if "used" in columns and base.credit_level is not None:
        sms = (
            np.zeros(len(base), dtype=np.int64)
            if base.sms_last_hour is None
            else base.sms_last_hour
        )
        held = {} if base.days_over is None else {"delayed": delayed, "days_over": base.days_over}
        suspend = check_suspensions(
            int_column(columns["used"], "used", maximum=10**13), base.credit_level, sms,
            policy=policy, **held,
        )  # fmt: skip
    return opened, suspend
