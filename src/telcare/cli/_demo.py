"""A year of a synthetic operator through every rule: the ``python -m telcare demo`` job.

:func:`run_demo` is pure: it generates a seeded base, runs the year and returns a
:class:`DemoReport` of plain numbers; only the command line prints it.

>>> report = run_demo(2_000, seed=1)
>>> sorted(report.sections)
['benefits', 'campaign', 'marketing', 'moments', 'points', 'reports', 'segment', 'tiers']
>>> report.sections["segment"]["members"] == report.sections["segment"]["expected_size"]
True
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import numpy as np
import numpy.typing as npt

from telcare.benefits import check_benefits, check_suspensions, credit_allowances
from telcare.cli._marketing import marketing_section
from telcare.cli._operations import build_report, operation_year
from telcare.cli._report import DemoReport, rate_fields, uplift_fields
from telcare.customers import Customer
from telcare.metrics import (
    CampaignCounts,
    Rate,
    campaign_value,
    compare,
    inbound_staffing,
    retention,
    sample_size,
    staffing,
)
from telcare.moments import (
    Action,
    Activated,
    CallbackAttempt,
    Event,
    ManagerAssigned,
    TutoringDone,
    Verified,
    due_actions,
    scan_moments,
    sla_report,
)
from telcare.operations import REPORTS
from telcare.points import PointsLedger, points_for_bills, programme_economics
from telcare.policy import BENEFIT_CODES, Policy, as_policy
from telcare.synthetic import SyntheticBase, generate_base, month_starts
from telcare.tiers import evaluate_tiers, mid_high_end, segment_size

__all__ = ["DemoReport", "run_demo"]

Progress = Callable[[str], None]


def _window(
    spend: npt.NDArray[np.int64], months: npt.NDArray[np.int64], end: int
) -> tuple[Any, Any]:
    """Average monthly spend and months counted over the 12 billed months ending before column ``end``."""
    cols = spend[:, end - 12 : end]
    first_real = 24 - months  # columns before this hold no bill
    counted = np.clip(end - np.maximum(first_real, end - 12), 0, 12)
    with np.errstate(invalid="ignore", divide="ignore"):
        avg = np.where(counted > 0, cols.sum(axis=1) // np.maximum(counted, 1), 0)
    return avg, counted


def run_demo(
    customers: int = 100_000,
    *,
    seed: int = 2010,
    policy: Policy | None = None,
    progress: Progress | None = None,
) -> DemoReport:
    """Generate a base and run a year of the programme through every rule."""
    policy = as_policy(policy)
    say = progress or (lambda _step: None)
    say("generating the base...")
    base = generate_base(customers, seed=seed)
    rng = np.random.default_rng(seed + 1)
    sections: dict[str, dict[str, Any]] = {}
    say("evaluating tiers...")
    start, end = _tiers(base, policy, sections)
    say("cutting the mid-to-high-end segment...")
    members = _segment(base, end, policy, sections)
    say("issuing, redeeming and expiring points...")
    _points(base, start, policy, rng, sections)
    say("granting benefits...")
    _benefits(base, end, members, policy, rng, sections)
    say("finding the key moments...")
    _moments(base, policy, rng, sections)
    say("measuring the care campaign...")
    _campaign(base, end, members, policy, rng, sections)
    say("matching offers and building call lists...")
    sections["marketing"] = marketing_section(base, end, members, policy, rng)
    say("building the five reports...")
    ops = operation_year(base, seed=seed, policy=policy)
    sections["reports"] = {
        name: {
            "headline": r.headline(),
            "period": r.period.label,
            "programme": r.rows("programme")[0],
        }
        for name, r in ((name, build_report(ops, name)) for name in REPORTS)
    }
    return DemoReport(customers, seed, base.as_of.isoformat(), sections)


def _tiers(base: SyntheticBase, policy: Policy, out: dict[str, dict[str, Any]]) -> tuple[Any, Any]:
    spend, months = base.monthly_spend, base.months_billed
    first = evaluate_tiers(*_window(spend, months, 12), policy=policy)
    mid = evaluate_tiers(*_window(spend, months, 18), first.tier, first.missed, policy=policy)
    last = evaluate_tiers(*_window(spend, months, 24), mid.tier, mid.missed, policy=policy)
    k = len(policy.tiers.codes)
    migration = np.bincount(first.tier * k + last.tier, minlength=k * k).reshape(k, k)
    out["tiers"] = {
        "codes": list(policy.tiers.codes),
        "migration": migration.tolist(),
        "up": int((last.tier > first.tier).sum()),
        "down": int((last.tier < first.tier).sum()),
        "kept_by_grace": int((last.qualified < last.tier).sum()),
    }
    return first.tier, last.tier


def _segment(base: SyntheticBase, tier: Any, policy: Policy, out: dict[str, dict[str, Any]]) -> Any:
    avg, _ = _window(base.monthly_spend, base.months_billed, 24)
    eligible = np.isin(tier, [policy.tiers.index(c) for c in policy.segment.eligible_tiers])
    tenure = (np.datetime64(base.as_of, "D") - base.activated_on).astype(np.int64)
    members = mid_high_end(
        avg, eligible, tenure_days=tenure, ids=base.ids, share=policy.segment.share
    )
    cut = int(avg[members].min()) if members.any() else 0
    out["segment"] = {
        "eligible": int(eligible.sum()),
        "members": int(members.sum()),
        "expected_size": segment_size(int(eligible.sum()), policy.segment.share),
        "cut_fen": int(cut),
    }
    return members


def _issued(
    base: SyntheticBase, tier: Any, policy: Policy, rng: np.random.Generator
) -> tuple[list[date], Any, Any]:
    """Points issued per customer in the previous and this cycle, and in each month of
    this cycle: a loop over the 24 months of bills, never over customers."""
    spend = base.monthly_spend
    act_month = base.activated_on.astype("datetime64[M]").astype(np.int64)
    bills = month_starts(base.as_of, 24)
    issued = np.zeros((len(base), 2), dtype=np.int64)  # previous cycle, this cycle
    monthly = np.zeros(12, dtype=np.int64)  # points issued in each month of this cycle
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
    return bills, issued, monthly


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


def _points(
    base: SyntheticBase,
    tier: Any,
    policy: Policy,
    rng: np.random.Generator,
    out: dict[str, dict[str, Any]],
) -> None:
    spend = base.monthly_spend
    bills, issued, monthly = _issued(base, tier, policy, rng)
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
    revenue = int(spend[:, 12:].sum())
    econ = programme_economics(revenue, int(current.sum()), int(outstanding.sum()), policy=policy)
    ledger = _sample_ledger(base, tier, policy, bills, bool(issued[0].sum() > 0))
    summary = ledger.summary(base.as_of)
    # Liability month by month: this cycle's points so far and what is left of the
    # previous cycle's (until it lapses on 30 Nov), less redemptions spread evenly.
    share = np.arange(1, 13) / 12
    left_previous = previous.sum() - from_previous.sum() * share
    left_current = np.cumsum(monthly) - (redeemed - from_previous).sum() * share
    by_month = (left_previous + left_current) * policy.points.fen_per_point
    by_month[-1] = outstanding.sum() * policy.points.fen_per_point  # the previous cycle has lapsed
    out["points"] = {
        "months": [f"{m:%Y-%m}" for m in bills[12:]],
        "liability_by_month": [int(v) for v in by_month],
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


def _benefits(
    base: SyntheticBase,
    tier: Any,
    members: Any,
    policy: Policy,
    rng: np.random.Generator,
    out: dict[str, dict[str, Any]],
) -> None:
    matrix = check_benefits(
        tier, members, base.plan_fee, base.verification, base.status, policy=policy
    )
    granted = matrix.sum(axis=0)
    sms = np.where(base.forwarded_share > 0.5, 250, 20)
    delayed = matrix[:, BENEFIT_CODES.index("delayed_suspension")]
    days_over = rng.integers(0, 10, len(base))  # how long each account has been over
    without = check_suspensions(base.arrears, base.credit_level, sms, policy=policy)
    suspend = check_suspensions(
        base.arrears, base.credit_level, sms, delayed=delayed, days_over=days_over, policy=policy
    )
    out["benefits"] = {
        "granted": {code: int(granted[j]) for j, code in enumerate(BENEFIT_CODES)},
        "suspend": int(suspend.sum()),
        "held": int((without & ~suspend).sum()),
    }


def _moments(
    base: SyntheticBase, policy: Policy, rng: np.random.Generator, out: dict[str, dict[str, Any]]
) -> None:
    allowance = credit_allowances(base.credit_level, policy=policy)
    spend = base.monthly_spend
    scan = scan_moments(
        base.as_of,
        policy=policy,
        used=base.arrears,
        allowance=allowance,
        month_spend=spend[:, -1],
        trailing_mean=np.where(base.months_billed >= 4, spend[:, -4:-1].sum(axis=1) // 3, 0),
        forwarded_share=base.forwarded_share,
        contract_ends_on=base.contract_ends_on,
        birthday=base.birthday,
    )
    scan_counts = {str(m): c for m, c in scan.counts().items()}

    # New subscribers of the last 30 days: replay their events one customer at a time.
    tz = ZoneInfo(policy.timezone)
    recent = np.flatnonzero(
        base.activated_on >= np.datetime64(base.as_of - timedelta(days=30), "D")
    )
    actions: list[Action] = []
    for i in recent[:3_000]:
        cid = str(base.ids[i])
        day = base.activated_on[i].astype(object)
        customer = Customer(cid, activated_on=day, plan_fee=int(base.plan_fee[i]))
        events = _new_subscriber_events(cid, day, int(base.plan_fee[i]), rng, tz)
        actions.extend(due_actions(customer, events, as_of=base.as_of, policy=policy))
    report = sla_report(actions)
    out["moments"] = {
        "scan": scan_counts,
        "new_subscribers": {
            str(row.moment): {
                "open": row.open,
                "overdue": row.overdue,
                "done": row.done,
                **rate_fields("timeliness", row.timeliness),
            }
            for row in report.rows
        },
        "new_subscribers_replayed": int(min(len(recent), 3_000)),
    }


def _new_subscriber_events(
    cid: str, day: date, fee: int, rng: np.random.Generator, tz: ZoneInfo
) -> list[Event]:
    def at(offset: int, hour: int) -> datetime:
        return datetime.combine(day + timedelta(days=offset), time(hour), tzinfo=tz)

    events: list[Event] = [Activated(cid, at(0, 10), plan_fee=fee)]
    offset = 0
    for hour in (11, 15, 19):
        offset += int(rng.integers(0, 2))
        reached = bool(rng.random() < 0.7)
        events.append(CallbackAttempt(cid, at(offset, hour), reached=reached))
        if reached:
            events.append(Verified(cid, at(offset, hour), genuine=bool(rng.random() < 0.97)))
            if rng.random() < 0.85:
                assigned = offset + int(rng.integers(0, 4))
                events.append(ManagerAssigned(cid, at(assigned, 9)))
                if rng.random() < 0.8:
                    events.append(TutoringDone(cid, at(assigned + int(rng.integers(1, 9)), 14)))
            break
    return events


def _campaign_counts(
    n_targets: int, n_t: int, rng: np.random.Generator
) -> tuple[CampaignCounts, npt.NDArray[np.bool_]]:
    """The outbound campaign to ``n_t`` treated targets: its counts, and who was contacted."""
    attempts = rng.integers(1, 4, n_t)
    connected = rng.random(n_t) < 1 - 0.4**attempts
    contacted = connected & (rng.random(n_t) < 0.9)
    deals = contacted & (rng.random(n_t) < 0.15)
    talk = int((rng.normal(180, 40, int(connected.sum())).clip(30)).sum())
    managers = max(1, staffing(n_targets))
    counts = CampaignCounts(
        valid_targets=n_t,
        dialled=int(attempts.sum()),
        connected=int(connected.sum()),
        contacted=int(contacted.sum()),
        deals=int(deals.sum()),
        talk_seconds=talk,
        handle_seconds=int(talk * 1.2),
        working_seconds=max(int(talk * 1.2), managers * 22 * 8 * 3600),
        rated=int(contacted.sum() // 2),
        satisfied=int(contacted.sum() // 2 * 0.9794),
    )
    return counts, contacted


def _campaign(
    base: SyntheticBase, tier: Any, members: Any, policy: Policy, rng: np.random.Generator,
    out: dict[str, dict[str, Any]],
) -> None:  # fmt: skip
    targets = np.flatnonzero(members & (base.status == 0))
    treated = rng.random(len(targets)) < 0.8
    n_t = int(treated.sum())
    counts, contacted = _campaign_counts(len(targets), n_t, rng)
    keep_control = 0.822
    kept_t = rng.random(n_t) < keep_control + 0.06 * contacted
    kept_c = rng.random(len(targets) - n_t) < keep_control
    treated_rate = Rate(int(kept_t.sum()), n_t)
    control_rate = Rate(int(kept_c.sum()), len(targets) - n_t)
    value = campaign_value(
        cost=counts.dialled * 150,
        contacts=counts.contacted,
        successes=counts.deals,
        unit_price=1_000,
        usage_months=12,
        survival=0.8,
        targets=n_t,
        control=Rate(int(control_rate.denominator * 0.02), max(1, control_rate.denominator)),
    )
    book = int((tier > 0).sum() + members.sum())
    inbound = inbound_staffing(max(1, round(4_177 * len(base) / 75_984 / 22 / 24)), interval_seconds=1800,
                               aht_seconds=180, answer_within_seconds=20, service_level=0.8, shrinkage=0.3)  # fmt: skip
    has_control = control_rate.denominator > 0 and n_t > 0
    out["campaign"] = {
        "counts": attrs.asdict(counts),
        "retained": {
            "treated": [int(kept_t.sum()), n_t],
            "control": [int(kept_c.sum()), len(targets) - n_t],
        },
        "treated": n_t,
        "control": len(targets) - n_t,
        **rate_fields("retention_treated", treated_rate),
        **rate_fields("retention_control", control_rate),
        **uplift_fields(compare(treated_rate, control_rate) if has_control else None),
        "retention_pp": retention(n_t, int(kept_t.sum()), baseline=control_rate.value).pp_change
        if has_control
        else None,
        "sample_size_3pp": sample_size(1 - keep_control, 0.03),
        "cost_fen": value.cost,
        "value_fen": value.value_created,
        "roi_pct": value.roi * 100,
        "book": book,
        "phone_managers": staffing(book),
        "inbound": {"agents": inbound.agents, "positions": inbound.positions},
    }
