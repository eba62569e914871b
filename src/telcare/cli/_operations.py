"""A synthetic year of the weekly operation: managers' books, a year of actions,
who stayed month by month and the credit warnings, for the demo, ``python -m
telcare report`` and the benchmarks.

Pure and reproducible like :mod:`telcare.synthetic`: the same base and seed
give the same year.  The figures are plausible, not real: service managers
serve the customers the ``service_manager`` rule entitles (about 5% still wait
for one), each moment opens at a yearly rate per customer, most actions are
closed within their deadline and most retention contacts keep the customer.
The credit state (warning colours and suspensions) is the base's on its
``as_of`` day and, for each day before it, the arrears of that day (88% to
110% of today's, drawn from the seed and the day: about as many accounts over
their allowance as today), so a report of any period
in the year reads the state at that period's end.  A period outside the year
has no data: :func:`build_report` refuses it with :class:`NoData` (:func:`no_data`
says why).

>>> from telcare.synthetic import generate_base
>>> ops = operation_year(generate_base(2_000, seed=3), seed=3)
>>> len(ops.book) == 2_000 and len(ops.log) > 2_000, ops.months[-1], ops.week.label
(True, '2010-11', '2010-W48')
>>> print(no_data(ops, "credit_bulletin", "2008-W01"))
no data for 2008-W01: the synthetic year runs from 2009-12-06 to 2010-12-05
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import instance, integer
from telcare._core.dates import Period
from telcare._core.errors import InvalidInput
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

__all__ = ["NOTES", "NoData", "Operation", "build_report", "no_data", "operation_year"]

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
    as_of: date
    #: the first and last day of the year of actions and credit states
    first_day: date
    last_day: date
    arrears: npt.NDArray[np.int64]
    credit_level: npt.NDArray[np.int64]
    policy: Policy
    seed: int

    def credit_state(self, day: date) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.bool_]]:
        """(warning colour, suspended) of every customer at the end of ``day``: today's
        from ``as_of`` on, before it from that day's arrears (the same for a seed)."""
        arrears = self.arrears
        if day < self.as_of:
            rng = np.random.default_rng([self.seed + 7, day.toordinal()])
            arrears = (arrears * rng.uniform(0.88, 1.1, len(arrears))).astype(np.int64)
        return _credit(arrears, self.credit_level, self.as_of, self.policy)

    def at(self, period: Period) -> dict[str, Any]:
        """The inputs of the reports for ``period``: the credit state at its end (today's
        for the period of today) and at the end of the period before."""
        now, before = self.credit_state(period.end), self.credit_state(period.start - timedelta(1))
        fields = {a.name: getattr(self, a.name) for a in attrs.fields(Operation)}
        return {**fields, "colour": now[0], "suspended": now[1],
                "previous_colour": before[0], "previous_suspended": before[1]}  # fmt: skip


def _credit(
    arrears: npt.NDArray[np.int64], level: npt.NDArray[np.int64], day: date, policy: Policy
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.bool_]]:
    """Warning colours from the credit scan and suspensions over the credit allowance
    (credit control alone: no spam guard, no account held by delayed suspension)."""
    allowance = credit_allowances(level, policy=policy)
    scan = scan_moments(day, used=arrears, allowance=allowance, policy=policy)
    assert scan.colour is not None
    sms = np.zeros(len(arrears), dtype=np.int64)
    return scan.colour, check_suspensions(arrears, level, sms, policy=policy)


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
    # the credit state at the end of the week and of the week before: the reports' default
    labels = tuple(f"{d.year:04d}-{d.month:02d}" for d in months)
    ops = Operation(
        book, log, active, labels, np.zeros(n, np.int8), np.zeros(n, bool), np.zeros(n, np.int8),
        np.zeros(n, bool), week, month, base.as_of, week.end - timedelta(days=364), week.end,
        base.arrears, base.credit_level, policy, seed,
    )  # fmt: skip
    state = ops.at(week)
    return attrs.evolve(ops, **{k: state[k] for k in _STATE})


#: What a report's figures count, where a reader could take them for another figure.
NOTES: dict[str, str] = {
    "credit_bulletin": (
        "suspended: accounts over their credit allowance at the period's end (credit "
        'control alone). The demo\'s "accounts to suspend now" also counts the spam '
        "guard and leaves out accounts held by delayed suspension for high credit."
    ),
}

#: The inputs that are the credit state at a period's end.
_STATE = ("colour", "suspended", "previous_colour", "previous_suspended")


def _spans(ops: Operation) -> Mapping[str, tuple[date, date, str]]:
    """The days each input holds data for, and what to call them."""
    year = (ops.first_day, ops.last_day, "the synthetic year")
    first, last = Period.parse(ops.months[0]), Period.parse(ops.months[-1])
    history = (first.start, last.end, "the months of activity")
    return {"log": year, **dict.fromkeys(_STATE, year), "active": history, "months": history}


def no_data(
    ops: Operation, name: str, period: Period | str, *, reports: ReportRegistry = REPORTS
) -> str | None:
    """Why report ``name`` has no data for ``period`` in ``ops`` (``None`` when it has):
    the period must lie wholly inside the days of every input the report reads."""
    period = Period.parse(period)
    spec = instance(reports, ReportRegistry, "reports= must be a ReportRegistry, got {got}")[name]
    spans = _spans(ops)
    for key in (*spec.inputs, *spec.keywords):
        if key in spans:
            first, last, what = spans[key]
            if not first <= period.start <= period.end <= last:
                part = (
                    "partly outside" if period.start <= last and period.end >= first else "outside"
                )
                return (f"no data for {period.label}: {what} runs from {first} to {last}"
                        + ("" if part == "outside" else f" ({period.label} is {part} it)"))  # fmt: skip
    return None


def build_report(
    ops: Operation,
    name: str,
    period: Period | str | None = None,
    *,
    reports: ReportRegistry = REPORTS,
) -> Report:
    """Report ``name`` (a key of ``reports``, :data:`telcare.REPORTS` by default) for
    ``period`` (by default the operation's week or month, as the report's row says),
    from the operation's state at that period's end; a period outside the operation's
    data is refused.

    >>> from telcare.synthetic import generate_base
    >>> ops = operation_year(generate_base(500, seed=3), seed=3)
    >>> build_report(ops, "retention_service").period.label
    '2010-11'
    >>> build_report(ops, "credit_bulletin", "2010-W40").period.label
    '2010-W40'
    """
    reports = instance(
        reports, ReportRegistry, "build_report() needs reports= a ReportRegistry, got {got}"
    )
    spec = reports[name]
    when = (ops.week if spec.period == "week" else ops.month) if period is None else period
    when = Period.parse(when)
    reads_state = any(key in _STATE for key in (*spec.inputs, *spec.keywords))
    report = spec.run(ops.at(when) if reads_state else ops, when)  # the report's own refusals first
    why = no_data(ops, name, when, reports=reports)
    if why is not None:
        raise NoData(why)
    return report


class NoData(InvalidInput):
    """A period the operation holds no data for (the message says which days it holds)."""
