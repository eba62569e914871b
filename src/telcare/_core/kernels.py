"""Each rule's arithmetic, written once for one customer and for a whole base.

Every kernel here is built from operators that Python numbers and numpy arrays
both accept (``+ - * // >= & |``, indexing a numpy table), the way a numpy
ufunc is one definition for a scalar and an array.  The one-customer form of a
rule calls its kernel with Python ints and adds the reasons; the whole-base
form calls the same kernel on columns (or on the few representative values of
each band, see :func:`band_table`).  So the two forms cannot drift apart.

Comparisons give ``bool`` for numbers and boolean arrays for columns; ``1 *
flag`` turns either into an integer, since numpy adds booleans as logical or.

>>> import numpy as np
>>> from fractions import Fraction
>>> LEVELS = (Fraction(4, 5), Fraction(9, 10), Fraction(1))
>>> credit_colour(13_000, 15_000, LEVELS)
1
>>> credit_colour(np.array([13_000, 13_500, 15_000, 0]), np.array([15_000, 15_000, 15_000, 0]),
...               LEVELS).tolist()
[1, 2, 3, 0]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

__all__ = [
    "BenefitGates",
    "GateOutcome",
    "band_index",
    "band_table",
    "benefit_gates",
    "bill_points",
    "birthday_key",
    "birthday_lookup",
    "credit_colour",
    "forwarding_high",
    "points_expiry_window",
    "qualified_tier",
    "shift_days",
    "suspension",
    "tier_transition",
    "usage_drop",
    "window_after",
    "window_before",
]

#: A Python int or bool, or a numpy array of them: what the kernels compute on.
Num = Any
_T = TypeVar("_T")


# ---------------------------------------------------------------- bands


def band_index(values: Num, edges: npt.NDArray[np.int64]) -> Num:
    """The band of each value: how many ``edges`` (sorted) are ``<= value``, minus one.

    A rule that reads a value only through ``value >= edge`` comparisons gives
    the same answer for every value of a band, so a whole base needs the rule
    only at one representative per band (the band's lower edge).
    """
    if len(edges) <= 3:  # a comparison or two is cheaper than a binary search per value
        band = values * 0
        for edge in edges[1:]:
            band = band + (values >= edge)
        return band
    return np.searchsorted(edges, values, side="right") - 1


def band_table(rule: Callable[..., _T], *axes: Sequence[int]) -> npt.NDArray[Any]:
    """``rule`` evaluated on every combination of the axes' representatives, as a table.

    The table has one dimension per axis; entry ``[i, j, ...]`` is
    ``rule(axes[0][i], axes[1][j], ...)``, computed by calling the rule once on
    columns (the grid, flattened), so the rule's own arithmetic builds it.
    """
    grids = np.meshgrid(*(np.asarray(a, dtype=np.int64) for a in axes), indexing="ij")
    flat = rule(*(g.ravel() for g in grids))
    table = np.asarray(flat).reshape(grids[0].shape if grids else ())
    table.flags.writeable = False
    return table


# ---------------------------------------------------------------- tiers


def qualified_tier(
    avg: Num, months: Num, thresholds: Sequence[int], min_months: Sequence[int]
) -> Num:
    """The highest rung whose spend threshold *and* months the customer meets (0 at least)."""
    q = avg * 0
    for i in range(1, len(thresholds)):
        q = q + (i - q) * ((avg >= thresholds[i]) & (months >= min_months[i]))
    return q


def tier_transition(
    current: Num, qualified: Num, missed: Num, downgrade_after: int, *, one_down: bool = False
) -> tuple[Num, Num]:
    """(tier, missed) after an evaluation: up at once, down after ``downgrade_after`` misses.

    Meeting the current tier resets the count; missing it for the
    ``downgrade_after``-th time in a row moves to the qualified tier, or one rung
    down with ``one_down``; either way the count starts again at 0.
    """
    below = qualified < current
    missed_now = (missed + 1) * below
    move = (qualified >= current) | (missed_now >= downgrade_after)
    target = qualified + (current - 1 - qualified) * below if one_down else qualified
    return current + (target - current) * move, missed_now * (missed_now < downgrade_after)


# ---------------------------------------------------------------- points


def bill_points(
    spend: Num,
    data_spend: Num,
    paid_on_time: Num,
    anniversary: Num,
    numerator: Num,
    denominator: int,
    *,
    per_yuan: int,
    data_per_yuan: int,
    credit_per_month: int,
    tenure_per_year: int,
) -> tuple[Num, Num, Num, Num]:
    """Points of one bill by source: (consumption, data, credit, tenure).

    The tier multiplier is the exact ratio ``numerator / denominator``; the
    fraction of a point is floored once, after multiplying.
    """
    consumption = spend // 100 * per_yuan * numerator // denominator
    data = data_spend // 100 * data_per_yuan
    return consumption, data, paid_on_time * credit_per_month, anniversary * tenure_per_year


# -------------------------------------------------------------- benefits


@attrs.frozen(slots=True, eq=False)
class BenefitGates:
    """The gates of every benefit as tables indexed ``[benefit, ...]``, catalogue order.

    ``min_fee`` is above any valid plan fee where a benefit has no plan-fee
    route; ``min_credit`` is 0 and ``quota`` is -1 where there is no such gate.
    """

    offered: npt.NDArray[np.bool_]
    tier_ok: npt.NDArray[np.bool_]
    segment_ok: npt.NDArray[np.bool_]
    min_fee: npt.NDArray[np.int64]
    verification_ok: npt.NDArray[np.bool_]
    status_ok: npt.NDArray[np.bool_]
    min_credit: npt.NDArray[np.int64]
    quota: npt.NDArray[np.int64]


@attrs.frozen(slots=True, eq=False)
class GateOutcome:
    """Each gate of one benefit, passed or not, and the verdict."""

    by_tier: Num
    by_segment: Num
    by_fee: Num
    verification: Num
    status: Num
    credit: Num
    quota: Num
    eligible: Num


def benefit_gates(
    g: BenefitGates,
    j: int,
    tier: Num,
    member: Num,
    plan_fee: Num,
    verification: Num,
    status: Num,
    credit_level: Num,
    used: Num,
) -> GateOutcome:
    """Benefit ``j``'s gates: qualify by tier, segment *or* plan fee, then pass every restriction.

    ``tier``, ``verification`` and ``status`` are integer codes; a quota of 0
    leaves nothing to use.
    """
    by_tier = g.tier_ok[j, tier]
    by_segment = g.segment_ok[j] & member
    by_fee = plan_fee >= g.min_fee[j]
    ver = g.verification_ok[j, verification]
    sta = g.status_ok[j, status]
    credit = credit_level >= g.min_credit[j]
    quota = (g.quota[j] < 0) | (used < g.quota[j])
    eligible = g.offered[j] & (by_tier | by_segment | by_fee) & ver & sta & credit & quota
    return GateOutcome(by_tier, by_segment, by_fee, ver, sta, credit, quota, eligible)


# ---------------------------------------------------------------- credit


def suspension(
    arrears: Num, allowance: Num, sms_last_hour: Num, spam_limit: int
) -> tuple[Num, Num]:
    """(over, spam): arrears beyond the allowance; more SMS than the limit while in arrears."""
    return arrears > allowance, (sms_last_hour > spam_limit) & (arrears > 0)


def suspension_held(over: Num, delayed: Num, days_over: Num, delay_days: Num) -> Num:
    """Whether delayed suspension holds an account that is over its allowance.

    ``delayed``: the account holds the delayed-suspension benefit; ``delay_days``:
    its credit level's delay (0 where the level has none); ``days_over``: how
    long the arrears have been over the allowance.
    """
    return over & delayed & (days_over < delay_days)


# --------------------------------------------------------------- moments


def credit_colour(used: Num, allowance: Num, levels: Sequence[Fraction]) -> Num:
    """How many of the increasing warning ``levels`` usage reaches, as an exact share
    of the allowance: 0 none, then 1 yellow, 2 orange, 3 red by default.

    With no allowance at all, any usage reaches every level.
    """
    reached: Any = 0
    for level in levels:
        reached = reached + 1 * (used * level.denominator >= allowance * level.numerator)
    return reached * ((allowance > 0) | (used > 0))


def usage_drop(month_spend: Num, trailing_mean: Num, drop: Fraction) -> Num:
    """Whether the month's spend fell by at least ``drop`` below a positive trailing mean."""
    return (trailing_mean > 0) & (
        month_spend * drop.denominator <= trailing_mean * (drop.denominator - drop.numerator)
    )


def forwarding_high(share: Num, threshold: float) -> Num:
    """Whether the share of forwarded calls reaches the threshold."""
    return share >= threshold


def shift_days(day: Any, days: int) -> Any:
    """``day`` moved by ``days`` (a ``date``, or a ``datetime64[D]`` column keeping NaT)."""
    if isinstance(day, date):
        return day + timedelta(days=days)
    if _constant(day):  # one day for every row (a broadcast fill): shifted once
        return np.broadcast_to(day[:1] + np.timedelta64(days, "D"), day.shape)
    return day + np.timedelta64(days, "D")


def _constant(days: Any) -> bool:
    """Whether ``days`` is a column repeating one stored day (stride 0: a broadcast).

    >>> _constant(np.broadcast_to(np.datetime64("2010-10-01"), (3,))), _constant(np.zeros(3))
    (True, False)
    """
    return (
        isinstance(days, np.ndarray) and days.ndim == 1 and days.size > 1 and days.strides[0] == 0
    )


def window_after(opened: Any, days: int) -> tuple[Any, Any]:
    """(opened_on, due_by) of an action due ``days`` after it opens."""
    return opened, shift_days(opened, days)


def window_before(ends: Any, days_before: int, lead_days: int) -> tuple[Any, Any]:
    """(opened_on, due_by) of a contact due ``days_before`` an end, opening ``lead_days`` earlier."""
    due = shift_days(ends, -days_before)
    return shift_days(due, -lead_days), due


def points_expiry_window(expires: Any, window_days: int, contact_days: int) -> tuple[Any, Any]:
    """(opened_on, due_by) of the reminder about points lapsing on ``expires``."""
    opened = shift_days(expires, -window_days)
    return opened, _earlier(expires, shift_days(opened, contact_days))


def _earlier(a: Any, b: Any) -> Any:
    """The earlier of two dates, element by element for columns (NaT stays NaT).

    Columns are compared as their day counts, written over ``b`` (a temporary of the
    caller's): NaT is the smallest int64, so it wins the minimum as numpy's datetime
    minimum lets it, at a fraction of the cost and with no new column.

    >>> a = np.array(["2010-10-05", "NaT", "2010-10-09"], dtype="datetime64[D]")
    >>> _earlier(a, np.array(["2010-10-07", "2010-10-01", "NaT"], dtype="datetime64[D]")).tolist()
    [datetime.date(2010, 10, 5), None, None]
    """
    if not isinstance(a, np.ndarray):
        return min(a, b)
    if _constant(a) and _constant(b) and a.shape == b.shape:
        return np.broadcast_to(np.minimum(a[:1], b[:1]), a.shape)
    if a.dtype != b.dtype or a.dtype.kind != "M" or not b.flags.writeable:
        return np.minimum(a, b)
    np.minimum(a.view(np.int64), b.view(np.int64), out=b.view(np.int64))
    return b


def birthday_key(month: Num, day: Num) -> Num:
    """A month-day key, ``(month - 1) * 32 + day - 1``, for calendar months 1-12."""
    return (month - 1) * 32 + day - 1


def birthday_lookup(as_of: date, days_before: int) -> dict[int, date]:
    """Month-day key -> the date in ``[as_of, as_of + days_before]`` a birthday falls on.

    The earliest date of the window wins; a 29 February birthday falls on 28
    February in a year without one.
    """
    lookup: dict[int, date] = {}
    for offset in range(days_before, -1, -1):
        day = as_of + timedelta(days=offset)
        lookup[birthday_key(day.month, day.day)] = day
        if (day.month, day.day) == (2, 28) and (day + timedelta(days=1)).month == 3:
            lookup[birthday_key(2, 29)] = day
    return lookup
