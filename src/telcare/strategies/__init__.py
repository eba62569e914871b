"""Hypothesis strategies that build only valid telcare objects.

For users' own property-based tests (install ``telcare[strategies]``) and for
telcare's.  Every strategy shrinks towards small, readable examples: the
default policy, ordinary customers, short histories.

>>> from hypothesis import given
>>> import telcare as tc
>>> from telcare import strategies as tcs
>>> @given(tcs.customers())
... def test_tier_is_on_the_ladder(customer):
...     assert tc.evaluate_tier(customer).tier in tc.default_policy().tiers.codes
>>> test_tier_is_on_the_ladder()
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "telcare.strategies needs Hypothesis: pip install 'telcare[strategies]'"
    ) from exc

import numpy.typing as npt

from telcare._core.checks import integer, plain_date, text
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_COUNT, MAX_DATE, MAX_DAYS
from telcare.customers import Customer
from telcare.metrics import CampaignCounts
from telcare.points import PointsLedger
from telcare.policy import Policy, PolicySchedule, TierPolicy, default_policy
from telcare.strategies._draw import (
    _MAX_DAY,
    _MIN_DAY,
    LEDGER_GAP_DAYS,
    _campaign_counts,
    _check_range,
    _customer_columns,
    _customers,
    _ledgers,
    _tier_policies,
    event_histories,
    money,
    policies,
    spend_histories,
)
from telcare.strategies._schedules import _schedules

__all__ = [
    "campaign_counts",
    "customer_columns",
    "customers",
    "event_histories",
    "ledgers",
    "money",
    "policies",
    "schedules",
    "spend_histories",
    "tier_policies",
]


# Public entry points: check the arguments at once, then hand over to the composites.


def tier_policies(*, max_rungs: int = 6) -> st.SearchStrategy[TierPolicy]:
    """Valid tier sections: a floor, then up to ``max_rungs - 1`` strictly increasing rungs."""
    if max_rungs < 1:
        raise InvalidInput(f"tier_policies(): max_rungs must be >= 1, got {max_rungs}")
    return _tier_policies(max_rungs=max_rungs)


def customers(
    *,
    policy: Policy | None = None,
    tier: str | None = None,
    min_months: int = 0,
    max_months: int = 24,
    activated_between: tuple[date, date] = (_MIN_DAY, _MAX_DAY),
) -> st.SearchStrategy[Customer]:
    """Valid customers for ``policy`` (default policy if omitted).

    ``tier`` fixes the current tier; ``min_months``/``max_months`` bound the
    spend history; ``activated_between`` bounds the activation date.
    """
    if tier is not None:
        (policy or default_policy()).tiers.index(tier)
    _check_range("customers() months", min_months, max_months)
    start, end = activated_between
    if start > end:
        raise InvalidInput(f"customers(): activated_between {start} is after {end}")
    return _customers(
        policy=policy,
        tier=tier,
        min_months=min_months,
        max_months=max_months,
        activated_between=activated_between,
    )


def ledgers(
    customer_id: str = "13800000001",
    *,
    policy: Policy | PolicySchedule | None = None,
    max_postings: int = 20,
    start: date = date(2009, 12, 1),
    pending_days: int | None = None,
) -> st.SearchStrategy[PointsLedger]:
    """Ledgers built by valid operations in date order: accruals, redemptions within what
    is spendable, whole and partial reversals (each partial under its own adjustment
    reference) and transfers out and in, so every ledger is one a real feed could produce.

    ``pending_days`` sets ``points.pending_days`` (accruals' points wait that many days
    before they can be spent); left out, it is the policy's, and with no policy it is
    drawn from 0, 7 and 30 days.  With a :class:`~telcare.PolicySchedule` each posting
    follows the policy in force on its day, and the postings start on the schedule's
    first day at the earliest (``pending_days`` is then the schedule's).
    """
    text(customer_id, "ledgers(): customer_id")
    if policy is not None and not isinstance(policy, Policy | PolicySchedule):
        raise InvalidInput(
            f"ledgers(): policy must be a Policy, a PolicySchedule or None, got "
            f"{type(policy).__name__} {policy!r}"
        )
    integer(max_postings, "ledgers(): max_postings", maximum=MAX_COUNT)
    _check_ledger_span(plain_date(start, "ledgers(): start"), policy, max_postings)
    if isinstance(policy, PolicySchedule) and pending_days is not None:
        raise InvalidInput(
            "ledgers(): pending_days comes from the schedule's policies; give one or the other"
        )
    if pending_days is not None:
        integer(pending_days, "ledgers(): pending_days", maximum=MAX_DAYS)
    return _ledgers(
        customer_id, policy=policy, max_postings=max_postings, start=start,
        pending_days=pending_days,
    )  # fmt: skip


def _check_ledger_span(
    start: date, policy: Policy | PolicySchedule | None, max_postings: int
) -> None:
    """Refuse a ``start`` whose drawn postings (each up to :data:`LEDGER_GAP_DAYS` after
    the one before, from the schedule's first day at the earliest) could pass
    :data:`~telcare._core.limits.MAX_DATE`: the draw would fail, so the call does."""
    first = max(start, policy.starts[0]) if isinstance(policy, PolicySchedule) else start
    last = first.toordinal() + max_postings * LEDGER_GAP_DAYS
    if last > MAX_DATE.toordinal():
        begins = "" if first == start else f" (the schedule's first day {first})"
        raise InvalidInput(
            f"ledgers(): start {start!r}{begins} with max_postings {max_postings} could run "
            f"past {MAX_DATE} (postings up to {LEDGER_GAP_DAYS} days apart); give an earlier "
            "start or fewer postings"
        )


def campaign_counts(*, max_targets: int = 100_000) -> st.SearchStrategy[CampaignCounts]:
    """Consistent campaign counts: connected <= dialled, deals <= contacts <= targets, ..."""
    if max_targets < 0:
        raise InvalidInput(f"campaign_counts(): max_targets must be >= 0, got {max_targets}")
    return _campaign_counts(max_targets=max_targets)


def customer_columns(
    n: int | None = None, *, policy: Policy | None = None, max_n: int = 50
) -> st.SearchStrategy[dict[str, npt.NDArray[Any]]]:
    """Columns for the batch functions, built on ``hypothesis.extra.numpy``.

    Keys: ``avg_spend``, ``months``, ``tier``, ``missed``, ``segment_member``,
    ``plan_fee``, ``verification``, ``status``, ``credit_level``, ``arrears``,
    ``sms_last_hour``; all of length ``n`` (drawn up to ``max_n`` when omitted).
    """
    if (n is not None and n < 0) or max_n < 0:
        raise InvalidInput(f"customer_columns(): n must be >= 0, got {n}; max_n {max_n}")
    return _customer_columns(n, policy=policy, max_n=max_n)


st.register_type_strategy(Customer, customers())
st.register_type_strategy(PointsLedger, ledgers())
st.register_type_strategy(CampaignCounts, campaign_counts())
st.register_type_strategy(Policy, policies())


def schedules(
    *, max_policies: int = 4, start: date = date(2010, 1, 1), max_gap_days: int = 400
) -> st.SearchStrategy[PolicySchedule]:
    """Valid policy schedules: 1 to ``max_policies`` policies drawn by :func:`policies`,
    the first in force from ``start``, each next one 1 to ``max_gap_days`` days later.

    >>> from hypothesis import given
    >>> from telcare import strategies as tcs
    >>> @given(tcs.schedules())
    ... def test_the_first_date_is_the_first_policys(schedule):
    ...     assert schedule.policy_on(schedule.starts[0]) is schedule.policies[0]
    >>> test_the_first_date_is_the_first_policys()
    """
    integer(max_policies, "schedules(): max_policies", minimum=1, maximum=100)
    integer(max_gap_days, "schedules(): max_gap_days", minimum=1, maximum=MAX_DAYS)
    plain_date(start, "schedules(): start")
    last = start + timedelta(days=(max_policies - 1) * max_gap_days)
    plain_date(last, "schedules(): start plus (max_policies - 1) * max_gap_days")
    return _schedules(max_policies=max_policies, start=start, max_gap_days=max_gap_days)


st.register_type_strategy(PolicySchedule, schedules())
