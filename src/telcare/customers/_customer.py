"""The customer as the rules see it: a frozen value, checked when it is built.

>>> from datetime import date
>>> from telcare import yuan
>>> c = Customer("13800000001", activated_on=date(2020, 3, 1), plan_fee=yuan(128),
...              monthly_spend=[52000] * 12, tier="gold")
>>> c.monthly_spend[:2], c.verification, c.status
((52000, 52000), <Verification.UNVERIFIED: 0>, <AccountStatus.ACTIVE: 0>)
>>> Customer("x", activated_on=date(2020, 3, 1), plan_fee=-1)
Traceback (most recent call last):
...
telcare._core.errors.InvalidInput: Customer.plan_fee must be >= 0, got -1
"""

from __future__ import annotations

import enum
from datetime import date
from typing import TypeVar

import attrs

from telcare._core.checks import (
    StrictMembers,
    field,
    instance,
    integer,
    items,
    plain_date,
    python_scalar,
    text,
)
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_BILL, MAX_COUNT, MAX_FEN

_E = TypeVar("_E", bound=enum.IntEnum)

__all__ = [
    "STATUS_LABELS",
    "VERIFICATION_LABELS",
    "AccountStatus",
    "Customer",
    "TierFloor",
    "Verification",
]


class Verification(StrictMembers, enum.IntEnum):
    """Whether a new subscriber's identity was confirmed by the callback."""

    UNVERIFIED = 0
    GENUINE = 1
    SUSPICIOUS = 2


class AccountStatus(StrictMembers, enum.IntEnum):
    """The account's state: only an active account is served."""

    ACTIVE = 0
    SUSPENDED = 1
    CLOSED = 2


#: The labels a column of verifications or statuses may hold instead of the codes.
VERIFICATION_LABELS = tuple(m.name.lower() for m in Verification)
STATUS_LABELS = tuple(m.name.lower() for m in AccountStatus)


def _spend_tuple(value: object) -> tuple[int, ...]:
    return tuple(
        integer(month, f"Customer.monthly_spend[{i}]", maximum=MAX_BILL)
        for i, month in enumerate(items(value, "Customer.monthly_spend", of=object))
    )


def _segments(value: object) -> frozenset[str]:
    return frozenset(
        text(code, "Customer.segments[]") for code in items(value, "Customer.segments", of=object)
    )


def _enum_member(kind: type[_E], name: str, value: object) -> _E:
    if isinstance(value, kind):
        return value
    try:
        if isinstance(value, str):
            return kind[value.upper()]
        if isinstance(value, int) and not isinstance(value, bool):
            return kind(value)
    except (KeyError, ValueError):
        pass
    choices = ", ".join(f"{m.name.lower()} ({m.value})" for m in kind)
    raise InvalidInput(f"Customer.{name} must be one of {choices}; got {value!r}")


def _to_verification(value: object) -> Verification:
    return _enum_member(Verification, "verification", value)


def _to_status(value: object) -> AccountStatus:
    return _enum_member(AccountStatus, "status", value)


@attrs.frozen(slots=True)
class TierFloor:
    """A tier granted to a customer by hand, through the day ``until`` (inclusive).

    While an evaluation's ``as_of`` is on or before ``until``, the tier evaluation
    never returns below ``tier``; from the next day it has no effect.  A floor never
    lowers a tier.  ``tier`` is a code of the policy's ladder, checked when a policy
    is applied (as :attr:`Customer.tier` is).

    >>> TierFloor("gold", until=date(2026, 12, 31))
    TierFloor(tier='gold', until=datetime.date(2026, 12, 31))
    >>> TierFloor("gold", until=None)
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: TierFloor.until must be a datetime.date, got NoneType None
    """

    tier: str = attrs.field(validator=field(text))
    until: date = attrs.field(validator=field(plain_date))


def _floor(value: object, name: str) -> None:
    instance(value, TierFloor, f"{name} must be a telcare.TierFloor, got {{value!r}}")


@attrs.frozen(slots=True)
class Customer:
    """One subscriber: identity, plan, billed spend and current standing.

    ``plan_fee`` and every ``monthly_spend`` entry are ints of fen; the spend
    history lists billed months oldest first.  ``tier`` is a code of the
    policy's ladder (checked when a policy is applied, since the ladder is
    configuration); ``floor`` a :class:`TierFloor` a manager granted, or ``None``.
    Invalid values raise :class:`~telcare._core.errors.InvalidInput`.
    """

    id: str = attrs.field(validator=field(text))
    activated_on: date = attrs.field(validator=field(plain_date))
    plan_fee: int = attrs.field(converter=python_scalar, validator=field(integer, maximum=MAX_FEN))
    monthly_spend: tuple[int, ...] = attrs.field(default=(), converter=_spend_tuple)
    tier: str = attrs.field(default="ordinary", validator=field(text))
    missed_evaluations: int = attrs.field(
        default=0, converter=python_scalar, validator=field(integer, maximum=MAX_COUNT)
    )
    segments: frozenset[str] = attrs.field(default=frozenset(), converter=_segments)
    verification: Verification = attrs.field(
        default=Verification.UNVERIFIED, converter=_to_verification
    )
    status: AccountStatus = attrs.field(default=AccountStatus.ACTIVE, converter=_to_status)
    credit_level: int = attrs.field(
        default=1, converter=python_scalar, validator=field(integer, minimum=1, maximum=1_000)
    )
    birthday: date | None = attrs.field(default=None, validator=field(plain_date, optional=True))
    device: str | None = attrs.field(default=None, validator=field(text, optional=True))
    floor: TierFloor | None = attrs.field(default=None, validator=field(_floor, optional=True))

    def tenure_days(self, as_of: date) -> int:
        """Days from activation to the ``datetime.date`` ``as_of`` (0 before activation).

        >>> Customer("c1", activated_on=date(2010, 1, 4), plan_fee=0).tenure_days(date(2010, 2, 1))
        28
        """
        return max(0, (plain_date(as_of, "as_of") - self.activated_on).days)
