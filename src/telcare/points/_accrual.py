"""Earning points on a bill, what points are worth, and the programme's economics.

Defaults: 1 consumption point per whole yuan billed (seed 002), times the tier
multiplier (silver 1.05, gold 1.1, diamond 1.2, exact decimals, fractions
floored per posting); 2 credit points for a bill paid on time; 20 tenure points
in the month of each anniversary; no data-service bonus on top of the
consumption points data spend already earns (``points.data_per_yuan`` turns it
on).  1 point = 2 fen, so 50 points = 1 yuan, and the defaults are calibrated
so that the whole programme returns seed 002's 2% of spend on a representative
base (``docs/points.md`` shows the computation).

>>> from datetime import date
>>> import telcare as tc
>>> policy = tc.default_policy()
>>> gold = tc.Customer("c1", activated_on=date(2008, 3, 15), plan_fee=tc.yuan(288), tier="gold")
>>> p = tc.points_for_bill(gold, date(2010, 3, 1), spend=tc.yuan("420.80"), data_spend=tc.yuan(60), policy=policy)
>>> p.consumption, p.data, p.credit, p.tenure, p.total
(462, 0, 2, 20, 484)
>>> tc.points_value(50, policy=policy), tc.points_needed(tc.yuan(100), policy=policy)
(100, 5000)
"""

from __future__ import annotations

import calendar
import math
from datetime import date
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import (
    bool_column,
    checked_blocks,
    code_column,
    flag,
    fraction,
    instance,
    int_column,
    integer,
    plain_date,
    same_length,
)
from telcare._core.display import Displayable
from telcare._core.errors import InvalidInput
from telcare._core.kernels import bill_points
from telcare._core.limits import MAX_BILL, MAX_POINTS
from telcare.compiled import compile_policy
from telcare.customers import Customer, anniversary_years
from telcare.policy import Policy, PolicySchedule, as_policy, resolve

__all__ = [
    "PointsBreakdown",
    "points_for_bill",
    "points_for_bills",
    "points_needed",
    "points_value",
    "qualifies_for_plan",
]


@attrs.frozen(slots=True)
class PointsBreakdown(Displayable):
    """The points one bill earns, by source."""

    consumption: int
    data: int
    credit: int
    tenure: int

    @property
    def total(self) -> int:
        """All sources together."""
        return self.consumption + self.data + self.credit + self.tenure


def _number(value: object, name: str, *, maximum: int = MAX_BILL) -> int:
    return integer(value, name, maximum=maximum)


def _bill_policy(policy: Policy | PolicySchedule | None, rule: str, month: object) -> Policy:
    """The policy a bill for ``month`` earns under: with a :class:`~telcare.PolicySchedule`,
    the one in force on the month's last day (the day the bill closes and its points are
    posted, so the rates and the ledger's accrual of them follow one policy)."""
    if not isinstance(policy, PolicySchedule):
        return as_policy(policy, rule)
    if month is None:
        return resolve(policy, rule, month=None)  # refused, naming month=
    day = plain_date(month, "month")
    last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return policy.policy_on(last, name="the last day of month")


def points_for_bill(
    customer: Customer,
    month: date,
    spend: int,
    data_spend: int = 0,
    paid_on_time: bool = True,
    *,
    policy: Policy | PolicySchedule | None = None,
) -> PointsBreakdown:
    """The points a customer's bill for ``month`` earns.

    ``spend`` is the billed amount in fen, ``data_spend`` the part of it spent on
    data (which earns the data-service bonus on top).  Tenure points come in the
    month of each anniversary of activation (29 Feb anniversaries fall in Feb).
    The tier multiplier is exact: 1.15 on 20 yuan gives 23 points, not 22.

    >>> from datetime import date
    >>> import telcare as tc
    >>> c = tc.Customer("c", date(2008, 3, 15), 0)
    >>> tc.points_for_bill(c, date(2010, 3, 1), tc.yuan(100)).total   # 100 + 2 credit + 20 tenure
    122

    With a :class:`~telcare.PolicySchedule`, the bill earns under the policy in force on
    the last day of ``month`` (a change on the 15th already applies to that month's bill).
    """
    policy = _bill_policy(policy, "points_for_bill", month)
    customer = instance(customer, Customer, "points_for_bill() needs a telcare.Customer, got {got}")
    plain_date(month, "month")
    spend = _number(spend, "spend")
    data_spend = _number(data_spend, "data_spend")
    if data_spend > spend:
        raise InvalidInput(
            f"data_spend {data_spend} is part of spend and cannot exceed it ({spend})"
        )
    paid_on_time = flag(paid_on_time, "paid_on_time")
    ct = compile_policy(policy).tiers
    tier = policy.tiers.index(customer.tier)
    parts = bill_points(
        spend,
        data_spend,
        bool(paid_on_time),
        anniversary_years(customer.activated_on, month) >= 1,
        ct.multiplier_numerators[tier],
        ct.multiplier_denominator,
        **_rates(policy),
    )
    return PointsBreakdown(*(int(x) for x in parts))


def _rates(policy: Policy) -> dict[str, int]:
    pts = policy.points
    return {
        "per_yuan": pts.per_yuan,
        "data_per_yuan": pts.data_per_yuan,
        "credit_per_month": pts.credit_per_month,
        "tenure_per_year": pts.tenure_per_year,
    }


def points_for_bills(
    spend: Any,
    data_spend: Any,
    paid_on_time: Any,
    tier: Any,
    tenure_years: Any,
    *,
    policy: Policy | PolicySchedule | None = None,
    month: date | None = None,
) -> npt.NDArray[np.int64]:
    """Total points per bill for a whole base; the batch twin of :func:`points_for_bill`.

    ``tier`` is an index into ``policy.tiers.codes``; ``tenure_years`` the full
    years reached at an anniversary inside the bill month (0 when none).  ``month``
    (a day in the bills' month) is needed with a :class:`~telcare.PolicySchedule`,
    which is read as :func:`points_for_bill` reads it (the month's last day); with one
    policy it is checked and changes nothing.

    >>> import telcare as tc
    >>> tc.points_for_bills([42080, 2000], [6000, 0], [True, False], [3, 2], [2, 0]).tolist()
    [484, 21]
    """
    if month is not None:
        plain_date(month, "month")
    policy = _bill_policy(policy, "points_for_bills", month)
    ct = compile_policy(policy).tiers
    rates = _rates(policy)
    spend_c, data_c, paid_c, tier_c, years_c = _bill_columns(
        spend, data_spend, paid_on_time, tier, tenure_years, ct.codes
    )
    top = len(ct.codes) - 1
    total = np.empty(len(spend_c), dtype=np.int64)
    # Block by block, so the temporaries stay in the CPU cache: half the time of
    # the same arithmetic over whole columns at 10 million bills.
    bounds = {"spend": (spend_c, 0, MAX_BILL), "data_spend": (data_c, 0, MAX_BILL),
              "tier": (tier_c, 0, top), "tenure_years": (years_c, 0, 10_000)}  # fmt: skip
    for rows in checked_blocks(len(total), bounds):
        first = rows.start
        over = data_c[rows] > spend_c[rows]
        if over.any():
            i = int(np.argmax(over)) + first
            raise InvalidInput(
                f"data_spend {int(data_c[i])} exceeds spend {int(spend_c[i])} at index {i}; it is part of spend"
            )
        consumption, data, credit, tenure = bill_points(
            spend_c[rows],
            data_c[rows],
            paid_c[rows],
            years_c[rows] > 0,
            ct.multiplier_array[tier_c[rows]],
            ct.multiplier_denominator,
            **rates,
        )
        out = total[rows]
        np.add(consumption, data, out=out)
        out += credit
        out += tenure
    return total


def _bill_columns(
    spend: Any,
    data_spend: Any,
    paid_on_time: Any,
    tier: Any,
    tenure_years: Any,
    codes: tuple[str, ...],
) -> tuple[npt.NDArray[Any], ...]:
    """The five columns of :func:`points_for_bills`, of one length; their bounds are
    checked block by block as they are used."""
    # The bounds are checked block by block by the caller, so each column is read from memory
    # once (checks and arithmetic on the same cache-resident block): it is what lets
    # two threads or processes share the memory bandwidth (docs/distributed.md).
    spend_c = int_column(spend, "spend", bounds=False)
    data_c = int_column(data_spend, "data_spend", bounds=False)
    paid_c = bool_column(paid_on_time, "paid_on_time")
    tier_c = (
        int_column(tier, "tier", bounds=False)
        if _plain_codes(tier)
        else code_column(tier, "tier", codes)
    )
    years_c = int_column(tenure_years, "tenure_years", bounds=False)
    same_length(
        spend=spend_c, data_spend=data_c, paid_on_time=paid_c, tier=tier_c, tenure_years=years_c
    )
    return spend_c, data_c, paid_c, tier_c, years_c


def _plain_codes(values: Any) -> bool:
    """Integer codes (checked by block), as opposed to labels (mapped by ``code_column``)."""
    return isinstance(values, np.ndarray) and values.dtype.kind in "iu"


def points_value(points: int, *, policy: Policy | None = None) -> int:
    """What ``points`` are worth, in fen (1 point = 2 fen by default).

    >>> import telcare as tc
    >>> tc.format_yuan(tc.points_value(3500))
    '¥70.00'
    """
    policy = as_policy(policy)
    return _number(points, "points", maximum=MAX_POINTS) * policy.points.fen_per_point


def _discount(value: object) -> Fraction:
    return fraction(value, "discount", open_high=True)


def points_needed(price: int, *, discount: object = 0, policy: Policy | None = None) -> int:
    """Points that pay ``price`` fen after a merchant ``discount``, rounded up.

    The operator never gives value away by rounding: a price that is not a whole
    number of points costs the next whole point.

    >>> import telcare as tc
    >>> tc.points_needed(tc.yuan(100)), tc.points_needed(tc.yuan(100), discount="0.2")
    (5000, 4000)
    >>> tc.points_needed(3)   # 1.5 points' worth costs 2 points
    2
    """
    policy = as_policy(policy)
    price = _number(price, "price", maximum=MAX_POINTS)
    after = Fraction(price) * (1 - _discount(discount))
    return math.ceil(after / policy.points.fen_per_point)


def qualifies_for_plan(qualifying_points: int, *, policy: Policy | None = None) -> bool:
    """Whether a customer's qualifying points admit it to the points plan (> 3500).

    >>> import telcare as tc
    >>> tc.qualifies_for_plan(3500), tc.qualifies_for_plan(3501)
    (False, True)
    """
    policy = as_policy(policy)
    return (
        _number(qualifying_points, "qualifying_points", maximum=MAX_POINTS)
        > policy.points.plan_threshold
    )
