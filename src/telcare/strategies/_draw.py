"""The composite strategies behind :mod:`telcare.strategies`: each draws only valid
telcare objects and shrinks towards small, readable examples.  The face checks a
strategy's arguments at once and hands over to these."""

from __future__ import annotations

import contextlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from telcare._core.errors import InsufficientPoints, InvalidInput
from telcare._core.limits import MIN_DATE
from telcare.customers import AccountStatus, Customer, Verification
from telcare.metrics import CampaignCounts
from telcare.moments import (
    Activated,
    BillIssued,
    CallbackAttempt,
    CancellationRequested,
    ContactMade,
    ContractEnding,
    Event,
    ManagerAssigned,
    SpendReading,
    TierChanged,
    TutoringDone,
    UsageReading,
    Verified,
)
from telcare.points import SOURCES, PointsLedger
from telcare.policy import Moment, Policy, PolicySchedule, TierPolicy, TierRule, default_policy

__all__ = ["event_histories", "money", "policies", "spend_histories"]

_MIN_DAY = date(2000, 1, 1)
_MAX_DAY = date(2035, 12, 31)
#: The most days :func:`_ledgers` puts between one posting and the next.
LEDGER_GAP_DAYS = 90


def _check_range(name: str, low: int, high: int) -> None:
    if low > high:
        raise InvalidInput(f"{name}: min {low} must not exceed max {high}")


def money(min_value: int = 0, max_value: int = 500_000) -> st.SearchStrategy[int]:
    """Amounts of fen in ``[min_value, max_value]`` (default up to 5,000 yuan)."""
    _check_range("money()", min_value, max_value)
    return st.integers(min_value=min_value, max_value=max_value)


def spend_histories(
    *, min_months: int = 0, max_months: int = 24, max_spend: int = 300_000
) -> st.SearchStrategy[tuple[int, ...]]:
    """Billed months, oldest first, each an amount of fen."""
    _check_range("spend_histories() months", min_months, max_months)
    return st.lists(money(0, max_spend), min_size=min_months, max_size=max_months).map(tuple)


#: Both ways a tier falls after its grace, the default first (shrinking towards it).
_DOWNGRADES = st.sampled_from(["to_qualifying", "one_down"])


@st.composite
def _tier_policies(draw: st.DrawFn, *, max_rungs: int = 6) -> TierPolicy:
    """Valid tier sections: a floor, then strictly increasing thresholds."""
    window = draw(st.integers(1, 24))
    extra = draw(st.integers(0, max_rungs - 1))
    steps = draw(st.lists(st.integers(1, 200_000), min_size=extra, max_size=extra))
    months = draw(st.lists(st.integers(0, window), min_size=extra, max_size=extra))
    ladder = [TierRule(code="ordinary", min_avg_spend=0, min_months=0)]
    threshold = 0
    for i, (step, need) in enumerate(zip(steps, months, strict=True)):
        threshold += step
        ladder.append(TierRule(code=f"tier{i + 1}", min_avg_spend=threshold, min_months=need))
    return TierPolicy(
        ladder=tuple(ladder), window_months=window, downgrade_after=draw(st.integers(1, 4)),
        downgrade=draw(_DOWNGRADES),
    )  # fmt: skip


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    """Valid policies: the default (now and then falling ``one_down``), or one with
    another ladder and other rates, either ``tiers.downgrade``.

    Benefit rules and multipliers are kept consistent with the drawn ladder.
    """
    base = default_policy()
    if draw(st.booleans()):
        downgrade = draw(_DOWNGRADES)  # shrinks to the default's
        if downgrade == base.tiers.downgrade:
            return base
        return base.model_copy(
            update={"tiers": base.tiers.model_copy(update={"downgrade": downgrade})}
        )
    tiers = draw(_tier_policies())
    codes = tiers.codes
    multipliers = {
        code: draw(st.decimals(min_value=1, max_value=3, places=2))
        for code in draw(st.lists(st.sampled_from(codes), unique=True, max_size=len(codes)))
    }
    points = base.points.model_copy(
        update={
            "fen_per_point": draw(st.integers(1, 10)),
            "per_yuan": draw(st.integers(0, 5)),
            "tier_multipliers": multipliers,
            "expire_after_cycles": draw(st.integers(0, 3)),
        }
    )
    segment = base.segment.model_copy(
        update={
            "share": draw(
                st.sampled_from([Decimal("0.05"), Decimal("0.10"), Decimal("0.2"), Decimal("1")])
            ),
            "eligible_tiers": (codes[0],),
        }
    )
    vip = codes[1:]
    rules = {
        code: rule.model_copy(update={"tiers": tuple(t for t in rule.tiers if t in codes) or vip})
        for code, rule in base.benefits.rules.items()
    }
    data: dict[str, Any] = base.model_dump()
    data.update(
        tiers=tiers.model_dump(),
        points=points.model_dump(),
        segment=segment.model_dump(),
        benefits={"rules": {k: v.model_dump() for k, v in rules.items()}},
    )
    return Policy.model_validate(data)


@st.composite
def _customers(
    draw: st.DrawFn,
    *,
    policy: Policy | None = None,
    tier: str | None = None,
    min_months: int = 0,
    max_months: int = 24,
    activated_between: tuple[date, date] = (_MIN_DAY, _MAX_DAY),
) -> Customer:
    """Valid customers for ``policy`` (default policy if omitted).

    ``tier`` fixes the current tier; ``min_months``/``max_months`` bound the
    spend history; ``activated_between`` bounds the activation date.
    """
    policy = policy or default_policy()
    start, end = activated_between
    codes = policy.tiers.codes
    return Customer(
        id=draw(st.from_regex(r"\A1[3-9][0-9]{9}\Z")),
        activated_on=draw(st.dates(min_value=start, max_value=end)),
        plan_fee=draw(st.sampled_from([0, 3_800, 5_800, 9_600, 12_600, 18_600, 28_800])),
        monthly_spend=draw(spend_histories(min_months=min_months, max_months=max_months)),
        tier=tier if tier is not None else draw(st.sampled_from(codes)),
        missed_evaluations=draw(st.integers(0, policy.tiers.downgrade_after)),
        segments=draw(st.sets(st.just(policy.segment.code), max_size=1)),
        verification=draw(st.sampled_from(Verification)),
        status=draw(st.sampled_from(AccountStatus)),
        credit_level=draw(st.sampled_from(sorted(policy.credit.allowances))),
        birthday=draw(
            st.none() | st.dates(min_value=date(1930, 1, 1), max_value=date(2010, 12, 31))
        ),
        device=draw(st.none() | st.sampled_from(["iphone", "android", "feature"])),
    )


_SHANGHAI = ZoneInfo("Asia/Shanghai")


def _instants(start: date, days: int) -> st.SearchStrategy[datetime]:
    return st.builds(
        lambda d, minute: (
            datetime.combine(start + timedelta(days=d), time(0), tzinfo=_SHANGHAI)
            + timedelta(minutes=minute)
        ),
        st.integers(0, days),
        st.integers(0, 24 * 60 - 1),
    )


def event_histories(
    customer_id: str = "13800000001",
    *,
    start: date = date(2010, 1, 1),
    days: int = 365,
    max_events: int = 30,
    other_customers: bool = False,
) -> st.SearchStrategy[list[Event]]:
    """Lists of life-cycle events for ``customer_id`` within ``days`` of ``start``.

    Every kind of event can appear, in any order and with duplicates, as a
    real feed delivers them; ``other_customers`` mixes in events of another id.
    """
    if days < 0 or max_events < 0:
        raise InvalidInput(
            f"event_histories(): days and max_events must be >= 0, got {days} and {max_events}"
        )
    ids = st.sampled_from([customer_id, "19900000000"]) if other_customers else st.just(customer_id)
    at = _instants(start, days)
    fee = st.sampled_from([3_800, 9_600, 12_600, 28_800])
    kinds = st.one_of(
        st.builds(Activated, ids, at, plan_fee=fee, device=st.sampled_from([None, "iphone", "android"])),
        st.builds(CallbackAttempt, ids, at, reached=st.booleans()),
        st.builds(Verified, ids, at, genuine=st.booleans()),
        st.builds(ManagerAssigned, ids, at),
        st.builds(TutoringDone, ids, at),
        st.builds(BillIssued, ids, at, amount=money(0, 100_000)),
        st.builds(UsageReading, ids, at, used=money(0, 40_000), allowance=st.sampled_from([0, 5_000, 15_000, 30_000])),
        st.builds(SpendReading, ids, at, month_spend=money(0, 60_000),
                  forwarded_share=st.sampled_from([0.0, 0.1, 0.3, 0.5])),
        st.builds(ContractEnding, ids, at, ends_on=st.dates(start, start + timedelta(days=days + 60))),
        st.builds(CancellationRequested, ids, at),
        st.builds(TierChanged, ids, at, previous=st.just("silver"), tier=st.just("gold")),
        st.builds(ContactMade, ids, at, moment=st.sampled_from(Moment)),
        st.builds(ContactMade, ids, at, project=st.sampled_from(["data-pack", "plan-upgrade"])),
    )  # fmt: skip
    events = st.lists(kinds, max_size=max_events)
    return events.flatmap(
        lambda evs: (
            st.lists(st.sampled_from(evs), max_size=5).map(lambda dup: evs + dup)
            if evs
            else st.just(evs)
        )
    )


@st.composite
def _ledgers(
    draw: st.DrawFn,
    customer_id: str = "13800000001",
    *,
    policy: Policy | PolicySchedule | None = None,
    max_postings: int = 20,
    start: date = date(2009, 12, 1),
    pending_days: int | None = None,
) -> PointsLedger:
    """Ledgers built by valid operations in date order: accruals, redemptions within what
    is spendable, whole and partial reversals and transfers out and in, so every ledger is
    one a real feed could produce.  Without a ``policy`` the pending period is drawn too;
    under a schedule the postings start on its first day at the earliest."""
    if isinstance(policy, PolicySchedule):
        ledger = PointsLedger.empty(customer_id, policy=policy)
        start = max(start, policy.starts[0])
    else:
        if pending_days is None and policy is None:
            pending_days = draw(st.sampled_from([0, 7, 30]))
        policy = policy or default_policy()
        if pending_days is not None:
            points = policy.points.model_copy(update={"pending_days": pending_days})
            policy = policy.model_copy(update={"points": points})
        ledger = PointsLedger.empty(customer_id, policy=policy)
    day = start
    for i in range(draw(st.integers(0, max_postings))):
        day += timedelta(days=draw(st.integers(0, LEDGER_GAP_DAYS)))
        kind = draw(st.sampled_from(["accrue", "accrue", "redeem", "reverse", "transfer"]))
        spendable = ledger.spendable(day)
        if kind == "redeem" and spendable > 0:
            ledger, _ = ledger.redeem(f"r{i}", day, draw(st.integers(1, spendable)))
        elif kind == "reverse":
            ledger = _reverse(draw, ledger, f"a{i}-part", day)
        elif kind == "transfer":
            ledger = _transfer(draw, ledger, f"t{i}", day)
        else:
            ledger = ledger.accrue(
                f"a{i}", day, draw(st.integers(1, 5_000)), draw(st.sampled_from(SOURCES))
            )
    return ledger


def _reverse(draw: st.DrawFn, ledger: PointsLedger, adjustment: str, day: date) -> PointsLedger:
    """``ledger`` after a reversal of what is left of a posting, or of part of it under
    its own ``adjustment`` reference."""
    posted = [h.posting for h in ledger.history()]
    left = {p.ref: p.points for p in posted if p.kind in ("accrue", "redeem")}
    for p in posted:
        if p.kind == "reverse" and p.original is not None:
            left[p.original] -= p.points
    open_refs = sorted(ref for ref, points in left.items() if points > 0)
    if not open_refs:
        return ledger
    ref = draw(st.sampled_from(open_refs))
    part = draw(st.none() | st.integers(1, left[ref]))
    # under points.reversal="refuse" reversing spent points raises: then skip it
    with contextlib.suppress(InsufficientPoints):
        return ledger.reverse(ref, day, part, adjustment=adjustment)
    return ledger


def _transfer(draw: st.DrawFn, ledger: PointsLedger, ref: str, day: date) -> PointsLedger:
    """``ledger`` after a transfer out (within its balance) or in from another customer,
    whose points come with the expiry dates they were earned with."""
    other = "13900000000" if ledger.customer_id != "13900000000" else "13900000001"
    balance = ledger.spendable(day)
    if balance > 0 and draw(st.booleans()):
        sent, _ = ledger.transfer(
            ref, day, draw(st.integers(1, balance)), PointsLedger.empty(other)
        )
        return sent
    earned = day - timedelta(days=draw(st.integers(0, 400)))
    sender = PointsLedger.empty(other).accrue(
        f"{ref}-earned", max(earned, MIN_DATE), draw(st.integers(1, 5_000)), "bonus"
    )
    if sender.balance(day) <= 0:  # earned too long ago: expired before the day
        return ledger
    _, received = sender.transfer(ref, day, draw(st.integers(1, sender.balance(day))), ledger)
    return received


@st.composite
def _campaign_counts(draw: st.DrawFn, *, max_targets: int = 100_000) -> CampaignCounts:
    """Consistent campaign counts: connected <= dialled, deals <= contacts <= targets, ..."""
    targets = draw(st.integers(0, max_targets))
    contacted = draw(st.integers(0, targets))
    dialled = draw(st.integers(0, 4 * max_targets))
    working = draw(st.integers(0, 10**9))
    rated = draw(st.integers(0, contacted))
    return CampaignCounts(
        valid_targets=targets,
        dialled=dialled,
        connected=draw(st.integers(0, dialled)),
        contacted=contacted,
        deals=draw(st.integers(0, contacted)),
        talk_seconds=draw(st.integers(0, 10**8)),
        handle_seconds=draw(st.integers(0, working)),
        working_seconds=working,
        rated=rated,
        satisfied=draw(st.integers(0, rated)),
    )


@st.composite
def _customer_columns(
    draw: st.DrawFn, n: int | None = None, *, policy: Policy | None = None, max_n: int = 50
) -> dict[str, npt.NDArray[Any]]:
    """Columns for the batch functions, built on ``hypothesis.extra.numpy``.

    Keys: ``avg_spend``, ``months``, ``tier``, ``missed``, ``segment_member``,
    ``plan_fee``, ``verification``, ``status``, ``credit_level``, ``arrears``,
    ``sms_last_hour``; all of length ``n`` (drawn up to ``max_n`` when omitted).
    """
    policy = policy or default_policy()
    size = draw(st.integers(0, max_n)) if n is None else n
    top = len(policy.tiers.codes) - 1
    levels = sorted(policy.credit.allowances)

    def column(dtype: Any, elements: st.SearchStrategy[Any]) -> npt.NDArray[Any]:
        return draw(hnp.arrays(dtype, size, elements=elements))

    return {
        "avg_spend": column(np.int64, money(0, 300_000)),
        "months": column(np.int64, st.integers(0, policy.tiers.window_months)),
        "tier": column(np.int64, st.integers(0, top)),
        "missed": column(np.int64, st.integers(0, policy.tiers.downgrade_after)),
        "segment_member": column(np.bool_, st.booleans()),
        "plan_fee": column(np.int64, st.sampled_from([0, 3_800, 9_600, 12_600, 28_800])),
        "verification": column(np.int64, st.sampled_from([int(v) for v in Verification])),
        "status": column(np.int64, st.sampled_from([int(s) for s in AccountStatus])),
        "credit_level": column(np.int64, st.sampled_from(levels)),
        "arrears": column(np.int64, money(0, 200_000)),
        "sms_last_hour": column(np.int64, st.integers(0, 400)),
    }
