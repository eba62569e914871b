"""Key moment 5: the usage anomaly, a churn-warning care call.

A bill ``anomaly_drop`` (50%) or more below the mean of the previous
``anomaly_months`` (3), or ``forwarding_share`` (30%) or more of calls
forwarded, opens a contact due in ``anomaly_days`` (3).  The whole-base form
takes ``month_spend``, ``trailing_mean`` (:func:`trailing_mean` of the previous
months) and optionally ``forwarded_share`` and ``reading_on``.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from telcare._core import kernels
from telcare._core.checks import row_blocks
from telcare._core.columns import Column
from telcare._core.limits import MAX_FEN
from telcare.compiled import compile_policy
from telcare.moments._actions import Action
from telcare.moments._deadlines import due_after
from telcare.moments._events import SpendReading
from telcare.moments._reasons import ANOMALY_BOTH, ANOMALY_DROP, ANOMALY_FORWARDING
from telcare.moments._scan import Columns, or_today
from telcare.moments._spec import ScanResult, SnapshotScan, builtin
from telcare.policy import Moment, MomentsPolicy, Policy

if TYPE_CHECKING:
    from telcare.moments._forms import Replay

__all__ = ["USAGE_ANOMALY", "anomaly_drop", "trailing_mean"]


def anomaly_drop(month_spend: int, trailing_mean: int, policy: MomentsPolicy) -> bool:
    """Whether ``month_spend`` fell by at least ``anomaly_drop`` below a positive mean.

    >>> import telcare as tc
    >>> anomaly_drop(5_000, 10_000, tc.default_policy().moments)
    True
    """
    return bool(kernels.usage_drop(month_spend, trailing_mean, Fraction(policy.anomaly_drop)))


def trailing_mean(previous: Sequence[int], months: int) -> int:
    """The floored mean of the last ``months`` spends, or 0 with fewer months of history."""
    if len(previous) < months:
        return 0
    window = previous[-months:]
    return sum(window) // months


def _usage_anomaly(r: Replay) -> list[Action]:
    readings = r.of(SpendReading)
    if not readings:
        return []
    t, last = readings[-1]
    m = r.m
    mean = trailing_mean([e.month_spend for _, e in readings[:-1]], m.anomaly_months)
    parts: dict[str, Any] = {}
    if anomaly_drop(last.month_spend, mean, m):
        fall = (mean - last.month_spend) / mean
        parts.update(bill=last.month_spend, fall=fall, months=m.anomaly_months, mean=mean)
    if kernels.forwarding_high(float(last.forwarded_share), float(m.forwarding_share)):
        parts.update(forwarded=float(last.forwarded_share), minimum=m.forwarding_share)
    if not parts:
        return []
    opened = t.date()
    code = (
        ANOMALY_BOTH if len(parts) == 6 else ANOMALY_DROP if "bill" in parts else ANOMALY_FORWARDING
    )
    reason = code(**parts)
    return [
        r.action(
            Moment.USAGE_ANOMALY,
            opened,
            due_after(opened, m.anomaly_days, Moment.USAGE_ANOMALY, r.policy),
            reason,
            closed=r.closed(Moment.USAGE_ANOMALY, opened),
        )
    ]


def _scan(columns: Columns, today: np.datetime64, policy: Policy) -> ScanResult:
    cm = compile_policy(policy).moments
    spend, mean = columns["month_spend"], columns["trailing_mean"]
    hit = np.empty(len(spend), dtype=np.bool_)
    for rows in row_blocks(len(spend)):  # the kernel's int64 temporaries stay in the cache
        hit[rows] = kernels.usage_drop(spend[rows], mean[rows], cm.anomaly_drop)
    if "forwarded_share" in columns:
        hit |= kernels.forwarding_high(columns["forwarded_share"], cm.forwarding_share)
    opened = or_today(columns, "reading_on", today, "month_spend")
    due_by = due_after(opened, policy.moments.anomaly_days, Moment.USAGE_ANOMALY, policy)
    return hit, opened, due_by


USAGE_ANOMALY = builtin(
    Moment.USAGE_ANOMALY, "Usage anomaly", (SpendReading,),
    ("anomaly_drop", "anomaly_months", "forwarding_share", "anomaly_days"), _usage_anomaly,
    SnapshotScan(
        (Column("month_spend", "int", 0, MAX_FEN, doc="this month's spend in fen"),
         Column("trailing_mean", "int", 0, MAX_FEN, doc="floored mean of the previous months"),
         Column("forwarded_share", "share", required=False, doc="share of calls forwarded"),
         Column("reading_on", "date", required=False, doc="day of the reading")),
        _scan,
    ),
)  # fmt: skip
