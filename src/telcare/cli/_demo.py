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
from telcare.cli._points import points_section
from telcare.cli._report import DemoReport, rate_fields, uplift_fields
from telcare.customers import Customer, mean_spend
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
from telcare.policy import BENEFIT_CODES, Policy, as_policy
from telcare.synthetic import SyntheticBase, customer_base, generate_base
from telcare.tiers import evaluate_tiers, mid_high_end, segment_size
from telcare.whatif import CustomerBase, compare_policies

__all__ = ["DemoReport", "run_demo", "whatif_base"]

Progress = Callable[[str], None]


def _window(
    spend: npt.NDArray[np.int64], months: npt.NDArray[np.int64], end: int, window: int
) -> tuple[Any, Any]:
    """Average monthly spend and months counted over the ``window`` billed months (the
    policy's tier window) ending before column ``end``."""
    cols = spend[:, max(0, end - window) : end]
    first_real = 24 - months  # columns before this hold no bill
    counted = np.clip(end - np.maximum(first_real, end - window), 0, window)
    return mean_spend(cols.sum(axis=1), counted), counted


def run_demo(
    customers: int = 100_000,
    *,
    seed: int = 2010,
    policy: Policy | None = None,
    progress: Progress | None = None,
    compare: Policy | None = None,
) -> DemoReport:
    """Generate a base and run a year of the programme through every rule; with
    ``compare``, also evaluate the same base, as the year left it, under ``policy``
    and ``compare`` (the report's ``comparison``: its "before" side is this report's
    figures)."""
    policy = as_policy(policy)
    say = progress or (lambda _step: None)
    say("generating the base...")
    base = generate_base(customers, seed=seed)
    rng = np.random.default_rng(seed + 1)
    sections: dict[str, dict[str, Any]] = {}
    columns: dict[str, Any] = {}  # the base as the what-if reads it, section by section
    say("evaluating tiers...")
    start, end = _tiers(base, policy, sections, columns)
    say("cutting the mid-to-high-end segment...")
    members = _segment(base, end, policy, sections)
    say("issuing, redeeming and expiring points...")
    points_section(base, start, policy, rng, sections, columns)
    say("granting benefits...")
    _benefits(base, end, members, policy, rng, sections, columns)
    say("finding the key moments...")
    _moments(base, policy, rng, sections)
    say("measuring the care campaign...")
    _campaign(base, end, members, policy, rng, sections)
    say("matching offers and building call lists...")
    sections["marketing"] = marketing_section(base, end, members, policy, rng)
    say("building the five reports...")
    ops = operation_year(base, seed=seed, policy=policy)
    reports = {name: build_report(ops, name) for name in REPORTS}
    sections["reports"] = {
        name: {
            "headline": r.headline(),
            "period": r.period.label,
            "programme": r.rows("programme")[0],
        }
        for name, r in reports.items()
    }
    comparison, note = None, None
    if compare is not None:
        say("comparing with the other policy...")
        other = as_policy(compare)
        lacking = [code for code in policy.tiers.codes if code not in other.tiers.codes]
        if lacking:  # the tiers held cannot be placed on the other ladder
            for name in ("tier", "missed", "points_tier"):
                columns.pop(name)
            note = (f"the other ladder has no {', '.join(lacking)}: both sides evaluate tiers "
                    "afresh from the floor, so tiers, the segment, benefits, points and suspensions differ "
                    "from the figures above")  # fmt: skip
        whatif = whatif_base(base, columns)
        comparison = compare_policies(whatif, policy, other, as_of=base.as_of)
    return DemoReport(customers, seed, base.as_of.isoformat(), sections, comparison, note, reports)


def whatif_base(base: SyntheticBase, columns: dict[str, Any]) -> CustomerBase:
    """The demo's base as the year left it, as the what-if reads it: tiers evaluated
    from the mid-year ones with the grace, points earned at the start-of-year tier
    (held, as the present tiers are) on the year's bills as paid, the points spent in the year, the spam guard's
    counts and the days over the allowance; the moments from :func:`customer_base`.
    Under the demo's policy it gives the demo's own figures."""
    avg, counted = columns.pop("window")
    return CustomerBase(
        base.ids, avg, counted, segment_spend=avg,
        tenure_days=(np.datetime64(base.as_of, "D") - base.activated_on).astype(np.int64),
        plan_fee=base.plan_fee, verification=base.verification, status=base.status,
        credit_level=base.credit_level, moment_columns=customer_base(base).moment_columns,
        **columns,
    )  # fmt: skip


def _tiers(
    base: SyntheticBase, policy: Policy, out: dict[str, dict[str, Any]], whatif: dict[str, Any]
) -> tuple[Any, Any]:
    spend, months = base.monthly_spend, base.months_billed
    window = policy.tiers.window_months
    first = evaluate_tiers(*_window(spend, months, 12, window), policy=policy)
    mid = evaluate_tiers(
        *_window(spend, months, 18, window), first.tier, first.missed, policy=policy
    )
    now = _window(spend, months, 24, window)
    last = evaluate_tiers(*now, mid.tier, mid.missed, policy=policy)
    codes = np.asarray(policy.tiers.codes, dtype=object)
    whatif.update(
        window=now, tier=codes[mid.tier], missed=mid.missed, points_tier=codes[first.tier]
    )
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
    avg, _ = _window(base.monthly_spend, base.months_billed, 24, policy.tiers.window_months)
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


def _benefits(
    base: SyntheticBase,
    tier: Any,
    members: Any,
    policy: Policy,
    rng: np.random.Generator,
    out: dict[str, dict[str, Any]],
    whatif: dict[str, Any],
) -> None:
    matrix = check_benefits(
        tier, members, base.plan_fee, base.verification, base.status,
        credit_level=base.credit_level, policy=policy,
    )  # fmt: skip
    granted = matrix.sum(axis=0)
    sms = np.where(base.forwarded_share > 0.5, 250, 20)
    delayed = matrix[:, BENEFIT_CODES.index("delayed_suspension")]
    days_over = rng.integers(0, 10, len(base))  # how long each account has been over
    whatif.update(sms_last_hour=sms, days_over=days_over)
    without = check_suspensions(base.arrears, base.credit_level, sms, policy=policy)
    suspend = check_suspensions(
        base.arrears, base.credit_level, sms, delayed=delayed, days_over=days_over, policy=policy
    )
    # the reasons apart: over the credit allowance (the credit bulletin's "suspended"),
    # less those held, and the spam guard alone
    zeros = np.zeros(len(base), dtype=np.int64)
    credit = check_suspensions(base.arrears, base.credit_level, zeros, policy=policy)
    out["benefits"] = {
        "granted": {code: int(granted[j]) for j, code in enumerate(BENEFIT_CODES)},
        "suspend": int(suspend.sum()),
        "held": int((without & ~suspend).sum()),
        "over_allowance": int(credit.sum()),
        "spam_guard_only": int((without & ~credit).sum()),
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
        "incremental_value_fen": value.incremental_value,
        "roi_pct": None if value.roi != value.roi else value.roi * 100,
        "book": book,
        "phone_managers": staffing(book),
        "inbound": {"agents": inbound.agents, "positions": inbound.positions},
    }
