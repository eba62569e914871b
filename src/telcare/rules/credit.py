"""Credit levels: how far an account may run into arrears, and the spam guard.

Seed 003: a level-2 account may run 150 yuan into arrears before suspension;
an account that sends more than 200 SMS in an hour while in arrears is
suspended at once, whatever its credit level.  The other levels' allowances
are defaults (level 1: 50 yuan, 3: 300, 4: 600, 5: 1,000).

>>> import telcare as tc
>>> tc.credit_allowance(2)
15000
>>> tc.check_suspension(tc.yuan("150.00"), 2, 0).suspend, tc.check_suspension(tc.yuan("150.01"), 2, 0).suspend
(False, True)
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare.core.checks import int_column, integer, same_length
from telcare.core.display import Displayable
from telcare.core.errors import InvalidInput
from telcare.core.limits import MAX_COUNT
from telcare.core.text import yuan_text
from telcare.policy.model import Policy, as_policy
from telcare.rules import kernels

__all__ = ["Suspension", "check_suspension", "check_suspensions", "credit_allowance"]

_MAX_ARREARS = 10**13


@attrs.frozen(slots=True)
class Suspension(Displayable):
    """Whether to suspend the account now, and why, with the allowance left."""

    suspend: bool
    reasons: tuple[str, ...]
    allowance: int
    headroom: int


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


def check_suspension(
    arrears: int, credit_level: int, sms_last_hour: int, *, policy: Policy | None = None
) -> Suspension:
    """Suspend when arrears exceed the level's allowance, or on spam while in arrears.

    ``arrears`` is what the account owes, in fen (0 when it is in credit).

    >>> import telcare as tc
    >>> s = tc.check_suspension(tc.yuan(20), 5, 201)
    >>> s.suspend, s.reasons[1]
    (True, 'sent 201 SMS in the last hour (> 200) while in arrears: the spam guard suspends at once, whatever the credit level')
    """
    policy = as_policy(policy)
    arrears = integer(arrears, "arrears", maximum=_MAX_ARREARS)
    sms = integer(sms_last_hour, "sms_last_hour", maximum=MAX_COUNT)
    allowance = credit_allowance(credit_level, policy=policy)
    limit = policy.credit.spam_sms_per_hour
    reasons = []
    over, spam = kernels.suspension(arrears, allowance, sms, limit)
    if over:
        reasons.append(
            f"arrears {yuan_text(arrears)} exceed the level-{credit_level} allowance of {yuan_text(allowance)}"
        )
    else:
        reasons.append(
            f"arrears {yuan_text(arrears)} within the level-{credit_level} allowance of "
            f"{yuan_text(allowance)} ({yuan_text(allowance - arrears)} left)"
        )
    if spam:
        reasons.append(
            f"sent {sms} SMS in the last hour (> {limit}) while in arrears: "
            "the spam guard suspends at once, whatever the credit level"
        )
    elif sms > limit:
        reasons.append(
            f"sent {sms} SMS in the last hour (> {limit}) but not in arrears: no spam suspension"
        )
    return Suspension(over or spam, tuple(reasons), allowance, allowance - arrears)


def check_suspensions(
    arrears: Any, credit_level: Any, sms_last_hour: Any, *, policy: Policy | None = None
) -> npt.NDArray[np.bool_]:
    """Batch twin of :func:`check_suspension`: which accounts to suspend now.

    >>> import telcare as tc
    >>> tc.check_suspensions([15_000, 15_001, 2_000], [2, 2, 5], [0, 0, 201]).tolist()
    [False, True, True]
    """
    policy = as_policy(policy)
    allowances = policy.credit.allowances
    arr = int_column(arrears, "arrears", maximum=_MAX_ARREARS)
    lvl = int_column(credit_level, "credit_level", minimum=1, maximum=max(allowances))
    sms = int_column(sms_last_hour, "sms_last_hour", maximum=MAX_COUNT)
    same_length(arrears=arr, credit_level=lvl, sms_last_hour=sms)
    table = np.full(max(allowances) + 1, -1, dtype=np.int64)
    for level, fen in allowances.items():
        table[level] = fen
    allowed = table[lvl]
    unknown = allowed < 0
    if unknown.any():
        i = int(np.argmax(unknown))
        raise InvalidInput(
            f"unknown credit level {int(lvl[i])} at index {i}; the policy defines levels {sorted(allowances)}"
        )
    over, spam = kernels.suspension(arr, allowed, sms, policy.credit.spam_sms_per_hour)
    out: npt.NDArray[np.bool_] = over | spam
    return out
