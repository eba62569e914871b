"""Credit levels: how far an account may run into arrears, and the spam guard.

Seed 003: a level-2 account may run 150 yuan into arrears before suspension;
an account that sends more than 200 SMS in an hour while in arrears is
suspended at once, whatever its credit level.  The other levels' allowances
are defaults (level 1: 50 yuan, 3: 300, 4: 600, 5: 1,000).

Delayed suspension for high credit (seed 002, 高信用度延迟停机): an account that
holds the ``delayed_suspension`` benefit and whose level has a delay in
``credit.suspension_delay_days`` (levels 4 and 5: 3 and 7 days by default) stays
active for that many days over its allowance before it is suspended.  The spam
guard is never delayed.

>>> import telcare as tc
>>> tc.credit_allowance(2)
15000
>>> tc.check_suspension(tc.yuan("150.00"), 2, 0).suspend, tc.check_suspension(tc.yuan("150.01"), 2, 0).suspend
(False, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

import telcare.benefits._reasons as why
from telcare._core import kernels
from telcare._core.checks import (
    bool_column,
    checked_blocks,
    flag,
    int_column,
    integer,
    same_length,
)
from telcare._core.display import Explained
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_COUNT, MAX_DAYS
from telcare._core.reasons import Reason
from telcare.policy import Policy, as_policy

__all__ = [
    "Suspension",
    "check_suspension",
    "check_suspensions",
    "credit_allowance",
    "credit_allowances",
]

_MAX_ARREARS = 10**13


@attrs.frozen(slots=True)
class Suspension(Explained):
    """Whether to suspend the account now, and why (each a :class:`~telcare.Reason`),
    with the allowance left."""

    suspend: bool
    reasons: tuple[Reason, ...]
    allowance: int
    headroom: int
    held_days: int = 0
    """Days left before a held account is suspended (0 when not held)."""


def _delay(level: int, policy: Policy) -> int:
    return policy.credit.suspension_delay_days.get(level, 0)


def credit_allowance(level: int, *, policy: Policy | None = None) -> int:
    """How far (fen) an account of credit ``level`` may run into arrears.

    >>> import telcare as tc
    >>> tc.format_yuan(tc.credit_allowance(2))
    '¥150.00'
    """
    allowances = as_policy(policy).credit.allowances
    number = integer(level, "credit level", minimum=None)
    if number not in allowances:
        raise InvalidInput(
            f"unknown credit level {level!r}; the policy defines levels {sorted(allowances)}"
        )
    return allowances[number]


def _by_level(values: Mapping[int, int], size: int, missing: int) -> npt.NDArray[np.int64]:
    """A lookup table indexed by credit level, ``missing`` where the policy names none."""
    table = np.full(size, missing, dtype=np.int64)
    for level, value in values.items():
        if level < size:
            table[level] = value
    return table


def credit_allowances(credit_level: Any, *, policy: Policy | None = None) -> npt.NDArray[np.int64]:
    """The allowance (fen) of each account's credit level: the batch twin of
    :func:`credit_allowance`, refusing a level the policy does not define by name.

    >>> import telcare as tc
    >>> tc.credit_allowances([1, 2, 5]).tolist()
    [5000, 15000, 100000]
    """
    allowances = as_policy(policy).credit.allowances
    lvl = int_column(credit_level, "credit_level", minimum=1, maximum=max(allowances))
    allowed = _by_level(allowances, max(allowances) + 1, -1)[lvl]
    _refuse_unknown_levels(allowed, lvl, allowances)
    return allowed


def check_suspension(
    arrears: int,
    credit_level: int,
    sms_last_hour: int,
    *,
    delayed: bool = False,
    days_over: int = 0,
    policy: Policy | None = None,
) -> Suspension:
    """Suspend when arrears exceed the level's allowance, or on spam while in arrears.

    ``arrears`` is what the account owes, in fen (0 when it is in credit).
    ``delayed`` says the account holds the ``delayed_suspension`` benefit (as
    :func:`check_benefit` decides); ``days_over`` how many whole days its
    arrears have been over the allowance (0 on the first day).

    >>> import telcare as tc
    >>> s = tc.check_suspension(tc.yuan(20), 5, 201)
    >>> s.suspend, s.reasons[1]
    (True, 'sent 201 SMS in the last hour (> 200) while in arrears: the spam guard suspends at once, whatever the credit level')
    >>> held = tc.check_suspension(tc.yuan(1_200), 5, 0, delayed=True, days_over=2)
    >>> held.suspend, held.held_days, held.reasons[1]
    (False, 5, 'delayed suspension for high credit: level 5 may stay 7 days over its allowance, 2 used, 5 left')
    """
    policy = as_policy(policy)
    arrears = integer(arrears, "arrears", maximum=_MAX_ARREARS)
    sms = integer(sms_last_hour, "sms_last_hour", maximum=MAX_COUNT)
    delayed = flag(delayed, "delayed")
    days = integer(days_over, "days_over", maximum=MAX_DAYS)
    allowance = credit_allowance(credit_level, policy=policy)
    limit = policy.credit.spam_sms_per_hour
    delay = _delay(int(credit_level), policy)
    over, spam = kernels.suspension(arrears, allowance, sms, limit)
    held = bool(kernels.suspension_held(over, bool(delayed), days, delay))
    if over:
        reasons = _over_reasons(arrears, credit_level, allowance, held, delayed, days, delay)
    else:
        reasons = [
            why.WITHIN(arrears=arrears, level=credit_level, allowance=allowance,
                       headroom=allowance - arrears)
        ]  # fmt: skip
    if spam:
        reasons.append(why.SPAM(sms=sms, limit=limit))
    elif sms > limit:
        reasons.append(why.NOT_SPAM(sms=sms, limit=limit))
    return Suspension(
        (over and not held) or spam,
        tuple(reasons),
        allowance,
        allowance - arrears,
        delay - days if held and not spam else 0,
    )


def _over_reasons(
    arrears: int,
    credit_level: int,
    allowance: int,
    held: bool,
    delayed: bool,
    days: int,
    delay: int,
) -> list[Reason]:
    """Why arrears over the allowance suspend the account or not: what the delay holds."""
    reasons = [why.OVER(arrears=arrears, level=credit_level, allowance=allowance)]
    if held:
        reasons.append(why.HELD(level=credit_level, delay=delay, used=days, left=delay - days))
    elif delayed and delay:
        reasons.append(why.USED_UP(delay=delay, level=credit_level, days=days))
    elif delayed:
        reasons.append(why.NO_DELAY(level=credit_level))
    return reasons


def check_suspensions(
    arrears: Any,
    credit_level: Any,
    sms_last_hour: Any,
    *,
    delayed: Any = None,
    days_over: Any = None,
    policy: Policy | None = None,
) -> npt.NDArray[np.bool_]:
    """Batch twin of :func:`check_suspension`: which accounts to suspend now.

    ``delayed`` (holds the delayed-suspension benefit) and ``days_over`` are
    optional columns, each read as :func:`check_suspension` reads its keyword:
    without ``delayed`` no account is held, without ``days_over`` every account
    is on its first day over (0).

    >>> import telcare as tc
    >>> tc.check_suspensions([15_000, 15_001, 2_000], [2, 2, 5], [0, 0, 201]).tolist()
    [False, True, True]
    >>> tc.check_suspensions([120_000] * 3, [5] * 3, [0] * 3, delayed=[True, True, False],
    ...                      days_over=[6, 7, 0]).tolist()
    [False, True, True]
    """
    policy = as_policy(policy)
    credit = policy.credit
    top = max(credit.allowances)
    # Checked block by block below, so each column is read from memory once.
    arr = int_column(arrears, "arrears", bounds=False)
    lvl = int_column(credit_level, "credit_level", bounds=False)
    sms = int_column(sms_last_hour, "sms_last_hour", bounds=False)
    same_length(arrears=arr, credit_level=lvl, sms_last_hour=sms)
    # each optional column defaults as check_suspension's keyword does (one rule, every form)
    held_by = None if delayed is None else bool_column(delayed, "delayed")
    days = None if days_over is None else int_column(days_over, "days_over", bounds=False)
    if held_by is not None:
        same_length(arrears=arr, delayed=held_by)
    if days is not None:
        same_length(arrears=arr, days_over=days)
    if held_by is not None and days is None:
        days = np.zeros(len(arr), dtype=np.int64)  # every account on its first day over
    allowances = _by_level(credit.allowances, top + 1, -1)
    delays = _by_level(credit.suspension_delay_days, top + 1, 0)
    out = np.empty(len(arr), dtype=np.bool_)
    bounds = {"arrears": (arr, 0, _MAX_ARREARS), "credit_level": (lvl, 1, top),
              "sms_last_hour": (sms, 0, MAX_COUNT)}  # fmt: skip
    if days is not None:
        bounds["days_over"] = (days, 0, MAX_DAYS)
    for rows in checked_blocks(len(arr), bounds):
        allowed = allowances[lvl[rows]]
        _refuse_unknown_levels(allowed, lvl[rows], credit.allowances, rows.start)
        over, spam = kernels.suspension(arr[rows], allowed, sms[rows], credit.spam_sms_per_hour)
        if held_by is not None and days is not None:
            over &= ~kernels.suspension_held(over, held_by[rows], days[rows], delays[lvl[rows]])
        np.logical_or(over, spam, out=out[rows])
    return out


def _refuse_unknown_levels(
    allowed: npt.NDArray[np.int64],
    levels: npt.NDArray[np.int64],
    allowances: Mapping[int, int],
    offset: int = 0,
) -> None:
    unknown = allowed < 0
    if unknown.any():
        i = int(np.argmax(unknown))
        raise InvalidInput(
            f"unknown credit level {int(levels[i])} at index {i + offset}; "
            f"the policy defines levels {sorted(allowances)}"
        )
