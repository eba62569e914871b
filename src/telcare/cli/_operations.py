"""A synthetic year of the weekly operation: managers' books, a year of actions,
who stayed month by month and the credit warnings, for the demo, ``python -m
telcare report`` and the benchmarks.

Pure and reproducible like :mod:`telcare.synthetic`: the same base and seed
give the same year.  The figures are plausible, not real: service managers
serve the customers the ``service_manager`` rule entitles (about 5% still wait
for one), each moment opens at a yearly rate per customer, most actions are
closed within their deadline and most retention contacts keep the customer.

>>> from telcare.synthetic import generate_base
>>> ops = operation_year(generate_base(2_000, seed=3), seed=3)
>>> len(ops.book) == 2_000 and len(ops.log) > 2_000, ops.months[-1], ops.week.label
(True, '2010-11', '2010-W48')
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import instance, integer
from telcare._core.dates import Period
from telcare.benefits import check_suspensions, credit_allowances
from telcare.moments import scan_moments
from telcare.operations import (
    REPORTS,
    ActionLog,
    ManagerBook,
    Report,
    ReportRegistry,
    action_log,
    manager_book,
    service_list,
)
from telcare.policy import Moment, Policy, as_policy
from telcare.synthetic import SyntheticBase, month_starts

__all__ = ["Operation", "build_report", "operation_year"]

#: Customers per service manager (seed 001 does not say; a telcare figure for the demo).
BOOK_SIZE = 400
#: Managers per team.
TEAM_SIZE = 8

# moment -> (openings per customer per year, deadline in days, share closed, outcome labels, weights)
_MOMENTS: dict[str, tuple[float, int, float, tuple[str, ...], tuple[float, ...]]] = {
    Moment.CREDIT_ALERT: (0.60, 1, 0.90, ("retained", "lost"), (0.85, 0.15)),
    Moment.USAGE_ANOMALY: (0.25, 3, 0.85, ("retained", "lost"), (0.75, 0.25)),
    Moment.CANCELLATION_REQUEST: (0.05, 1, 0.95, ("retained", "lost"), (0.45, 0.55)),
    Moment.CONTRACT_EXPIRY: (0.20, 7, 0.90, ("retained", "lost"), (0.80, 0.20)),
    Moment.BIRTHDAY: (0.50, 0, 0.80, ("",), (1.0,)),
    Moment.POINTS_EXPIRY: (0.30, 7, 0.70, ("",), (1.0,)),
}


@attrs.frozen(slots=True, eq=False)
class Operation:
    """What the five reports read for one synthetic base (see the module)."""

    book: ManagerBook
    log: ActionLog
    active: npt.NDArray[np.bool_]
    months: tuple[str, ...]
    colour: npt.NDArray[np.int8]
    suspended: npt.NDArray[np.bool_]
    previous_colour: npt.NDArray[np.int8]
    previous_suspended: npt.NDArray[np.bool_]
    week: Period
    month: Period


def _book(base: SyntheticBase, policy: Policy, rng: np.random.Generator) -> ManagerBook:
    n = len(base)
    today = np.datetime64(base.as_of, "D")
    plan_fee, verification = base.plan_fee, base.verification
    entitled = service_list(
        manager_book(base.ids, np.full(n, "", dtype=object)),
        np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool), plan_fee, verification,
        np.zeros(n, dtype=np.int64), eligible_since=base.activated_on, as_of=base.as_of, policy=policy,
    ).eligible  # fmt: skip
    served = entitled & (rng.random(n) < 0.95)
    managers = max(1, -(-int(served.sum()) // BOOK_SIZE))
    which = rng.integers(0, managers, n)
    names = np.array([f"m{j:03d}" for j in range(managers)], dtype=object)
    teams = np.array([f"t{j // TEAM_SIZE:02d}" for j in range(managers)], dtype=object)
    owner = np.where(served, names[which], "")
    team = np.where(served, teams[which], "")
    since = base.activated_on + rng.integers(1, 5, n).astype("timedelta64[D]")
    since = np.where(served, np.minimum(since, today), np.datetime64("NaT", "D"))
    return manager_book(base.ids, owner, team=team, since=since)


def _actions(
    base: SyntheticBase,
    policy: Policy,
    rng: np.random.Generator,
    start: np.datetime64,
    end: np.datetime64,
) -> ActionLog:
    n = len(base)
    span = int((end - start).astype(np.int64)) + 1
    parts: list[tuple[Any, ...]] = []
    for moment, (per_year, days, closed_share, outcomes, weights) in _MOMENTS.items():
        count = rng.poisson(per_year * span / 365, n)
        rows = np.repeat(np.arange(n, dtype=np.int64), count)
        opened = start + rng.integers(0, span, len(rows)).astype("timedelta64[D]")
        parts.append((rows, moment, opened, days, closed_share, outcomes, weights))
    # new subscribers: a callback from activation, then the first bill
    new = np.flatnonzero(base.activated_on >= start)
    act = base.activated_on[new]
    fast = base.plan_fee[new] >= policy.moments.callback_fast_plan_fee
    parts.append((new, Moment.NEW_SUBSCRIBER_CALLBACK, act,
                  np.where(fast, policy.moments.callback_fast_days, policy.moments.callback_days),
                  0.93, ("genuine", "reached", "suspicious"), (0.88, 0.07, 0.05)))  # fmt: skip
    billed = act + np.timedelta64(30, "D")
    keep = billed <= end
    parts.append((new[keep], Moment.FIRST_BILL, billed[keep], policy.moments.first_bill_days, 0.9,
                  ("",), (1.0,)))  # fmt: skip
    rows_, moments_, opened_, due_, closed_, outcome_ = [], [], [], [], [], []
    for rows, moment, opened, days, closed_share, outcomes, weights in parts:
        m = len(rows)
        due = opened + np.asarray(days).astype("timedelta64[D]")
        done = rng.random(m) < closed_share
        delay = np.minimum(rng.geometric(0.6, m) - 1, 20).astype("timedelta64[D]")
        closed = np.where(done, opened + delay, np.datetime64("NaT", "D"))
        closed = np.where(closed > end, np.datetime64("NaT", "D"), closed)
        label = np.asarray(outcomes, dtype=object)[rng.choice(len(outcomes), m, p=weights)]
        rows_.append(rows)
        moments_.append(np.full(m, str(moment), dtype=object))
        opened_.append(opened)
        due_.append(due)
        closed_.append(closed)
        outcome_.append(np.where(np.isnat(closed), "", label))
    rows, moments, outcome = (
        np.concatenate(rows_),
        np.concatenate(moments_),
        np.concatenate(outcome_),
    )
    # the callback's verdict is the customer's verification: a suspicious customer's callback
    # failed, a genuine one's confirmed the data (or only reached), an unverified one's reached
    callback = (moments == str(Moment.NEW_SUBSCRIBER_CALLBACK)) & (outcome != "")
    verdict = np.array(["reached", "genuine", "suspicious"], dtype=object)[base.verification[rows]]
    outcome = np.where(
        callback & ((verdict != "genuine") | (outcome == "suspicious")), verdict, outcome
    )
    return action_log(
        rows, moments, np.concatenate(opened_), np.concatenate(due_),
        closed_on=np.concatenate(closed_), outcome=outcome,
        compliant=rng.random(len(outcome)) < 0.96,
    )  # fmt: skip


def operation_year(
    base: SyntheticBase, *, seed: int = 2010, policy: Policy | None = None
) -> Operation:
    """A year of operations for ``base``, ending with the week of ``base.as_of``."""
    policy = as_policy(policy)
    seed = integer(seed, "seed")
    rng = np.random.default_rng(seed + 7)
    n = len(base)
    week = Period.containing(base.as_of, "week")
    month = Period.containing(base.as_of - timedelta(days=1), "month")
    end = np.datetime64(week.end, "D")
    start = np.datetime64(week.end - timedelta(days=364), "D")
    book = _book(base, policy, rng)
    log = _actions(base, policy, rng, start, end)
    # who stayed: a subscriber from the first billed month until a churn month (hazard
    # 1.2% a month in the first year of the history, 1.0% in the second)
    months = month_starts(base.as_of, base.monthly_spend.shape[1])
    k = len(months)
    hazard = np.where(np.arange(k) < k - 12, 0.012, 0.010)
    leaves = rng.random((n, k)) < hazard[None, :]
    gone = np.cumsum(leaves, axis=1) > 0
    joined = np.arange(k)[None, :] >= (k - base.months_billed)[:, None]
    active = joined & ~gone
    # credit warnings now and a week before, suspensions from them
    allowance = credit_allowances(base.credit_level, policy=policy)
    before_arrears = (base.arrears * rng.uniform(0.6, 1.1, n)).astype(np.int64)
    colours = []
    for arrears in (base.arrears, before_arrears):
        scan = scan_moments(base.as_of, used=arrears, allowance=allowance, policy=policy)
        assert scan.colour is not None
        colours.append(scan.colour)
    sms = np.zeros(n, dtype=np.int64)
    off = check_suspensions(base.arrears, base.credit_level, sms, policy=policy)
    off_before = check_suspensions(before_arrears, base.credit_level, sms, policy=policy)
    return Operation(
        book, log, active, tuple(f"{d.year:04d}-{d.month:02d}" for d in months), colours[0], off,
        colours[1], off_before, week, month,
    )  # fmt: skip


def build_report(
    ops: Operation,
    name: str,
    period: Period | str | None = None,
    *,
    reports: ReportRegistry = REPORTS,
) -> Report:
    """Report ``name`` (a key of ``reports``, :data:`telcare.REPORTS` by default) for
    ``period`` (by default the operation's week or month, as the report's row says).

    >>> from telcare.synthetic import generate_base
    >>> ops = operation_year(generate_base(500, seed=3), seed=3)
    >>> build_report(ops, "retention_service").period.label
    '2010-11'
    """
    reports = instance(
        reports, ReportRegistry, "build_report() needs reports= a ReportRegistry, got {got}"
    )
    return reports.build(name, ops, period)
