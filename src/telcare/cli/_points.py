"""The demo's points section: a year of bills issued, redeemed, lapsed and reversed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np

from telcare.points import PointsLedger, points_for_bills, programme_economics
from telcare.policy import Policy
from telcare.synthetic import SyntheticBase, month_starts

__all__ = ["points_section"]


def _issued(
    base: SyntheticBase, tier: Any, policy: Policy, rng: np.random.Generator
) -> tuple[list[date], Any, Any, dict[str, Any]]:
    """Points issued per customer in the previous and this cycle, in each month of this
    cycle, and this cycle's bills as the what-if reads them (a bill of nothing earns
    nothing): a loop over the 24 months of bills, never over customers."""
    spend = base.monthly_spend
    act_month = base.activated_on.astype("datetime64[M]").astype(np.int64)
    bills = month_starts(base.as_of, 24)
    issued = np.zeros((len(base), 2), dtype=np.int64)  # previous cycle, this cycle
    monthly = np.zeros(12, dtype=np.int64)  # points issued in each month of this cycle
    paid_on_time = np.zeros((len(base), 12), dtype=bool)
    anniversary = np.zeros((len(base), 12), dtype=np.int64)
    for col, month in enumerate(bills):
        billed = spend[:, col]
        since = np.datetime64(month, "M").astype(np.int64) - act_month
        years = np.where((since > 0) & (since % 12 == 0), since // 12, 0)
        paid = rng.random(len(base)) < base.on_time
        data = (billed * base.data_share).astype(np.int64)
        points = points_for_bills(billed, data, paid, tier, years, policy=policy)
        bill_points = np.where(billed > 0, points, 0)
        issued[:, col // 12] += bill_points
        if col >= 12:
            monthly[col - 12] = bill_points.sum()
            paid_on_time[:, col - 12] = paid & (billed > 0)
            anniversary[:, col - 12] = np.where(billed > 0, years, 0)
    this_cycle = spend[:, 12:]
    whatif = {"bills": this_cycle, "data_bills": (this_cycle * base.data_share[:, None]).astype(np.int64),
              "paid_on_time": paid_on_time, "anniversary_years": anniversary}  # fmt: skip
    return bills, issued, monthly, whatif


def _sample_ledger(
    base: SyntheticBase, tier: Any, policy: Policy, bills: list[date], earned_any: bool
) -> PointsLedger:
    """The first customer's ledger over the 24 bills, with one redemption."""
    spend = base.monthly_spend
    ledger = PointsLedger.empty(str(base.ids[0]), policy=policy)
    for col, month in enumerate(bills):
        if spend[0, col] > 0 and earned_any:
            earned = int(
                points_for_bills([spend[0, col]], [0], [True], [tier[0]], [0], policy=policy)[0]
            )
            ledger = ledger.accrue(
                f"bill-{month:%Y-%m}", month.replace(day=28), earned, "consumption"
            )
    balance_day = base.as_of - timedelta(days=1)
    spendable = ledger.balance(balance_day)
    if spendable > 0:
        ledger, _ = ledger.redeem("demo-topup", balance_day, max(1, spendable // 3))
    return ledger


def _liability_by_month(
    previous: Any, from_previous: Any, redeemed: Any, monthly: Any, outstanding: Any, policy: Policy
) -> list[int]:
    """Liability month by month: this cycle's points so far and what is left of the
    previous cycle's (until it lapses on 30 Nov), less redemptions spread evenly."""
    share = np.arange(1, 13) / 12
    left_previous = previous.sum() - from_previous.sum() * share
    left_current = np.cumsum(monthly) - (redeemed - from_previous).sum() * share
    by_month = (left_previous + left_current) * policy.points.fen_per_point
    by_month[-1] = outstanding.sum() * policy.points.fen_per_point  # the previous cycle has lapsed
    return [int(v) for v in by_month]


def points_section(
    base: SyntheticBase,
    tier: Any,
    policy: Policy,
    rng: np.random.Generator,
    out: dict[str, dict[str, Any]],
    whatif: dict[str, Any],
) -> None:
    spend = base.monthly_spend
    bills, issued, monthly, bill_columns = _issued(base, tier, policy, rng)
    # The cycle opens with the previous cycle's points; redemption spends them first,
    # whatever is left of them lapses on 30 Nov, and a disputed bill (1 in 100
    # customers) reverses the points of this cycle's last bill that are still unspent.
    previous, current = issued[:, 0], issued[:, 1]
    redeemed = (rng.beta(1.0, 3.0, len(base)) * (previous + current)).astype(np.int64)
    from_previous = np.minimum(redeemed, previous)
    expired = previous - from_previous
    unspent = current - (redeemed - from_previous)
    last_bill = points_for_bills(
        spend[:, -1], np.zeros(len(base), np.int64), np.zeros(len(base), bool), tier,
        np.zeros(len(base), np.int64), policy=policy,
    )  # fmt: skip
    disputed = rng.random(len(base)) < 0.01
    reversed_ = np.where(disputed, np.minimum(last_bill, unspent), 0)
    outstanding = unspent - reversed_
    whatif.update(
        bill_columns, points_balance=previous, points_spent=previous + current - outstanding
    )
    revenue = int(spend[:, 12:].sum())
    econ = programme_economics(revenue, int(current.sum()), int(outstanding.sum()), policy=policy)
    ledger = _sample_ledger(base, tier, policy, bills, bool(issued[0].sum() > 0))
    summary = ledger.summary(base.as_of)
    by_month = _liability_by_month(previous, from_previous, redeemed, monthly, outstanding, policy)
    out["points"] = {
        "months": [f"{m:%Y-%m}" for m in bills[12:]],
        "liability_by_month": by_month,
        "opening": int(previous.sum()),
        "issued": int(current.sum()),
        "redeemed": int(redeemed.sum()),
        "expired": int(expired.sum()),
        "reversed": int(reversed_.sum()),
        "outstanding": int(outstanding.sum()),
        "liability_fen": int(econ.liability),
        "revenue_fen": int(revenue),
        "return_rate_pct": econ.return_rate * 100,
        "cost_ratio_pct": econ.cost_ratio * 100,
        "other_costs_fen": int(econ.other_costs),
        "plan_members": int((current > policy.points.plan_threshold).sum()),
        "sample_ledger": {
            "customer": ledger.customer_id,
            "postings": len(ledger),
            "balance": summary.balance,
            "expired": summary.expired,
            "balanced": summary.balanced,
        },
    }
