"""Life-cycle events: frozen values, each about one customer at one aware instant.

Events are facts the operator's systems report; :func:`telcare.due_actions`
replays them to find which contacts are due.  Every event carries
``customer_id`` and ``at`` (a timezone-aware ``datetime``: a naive one is
refused, since "within 3 days" depends on the time zone).

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> at = datetime(2010, 10, 4, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
>>> Activated("13800000001", at, plan_fee=12_600, device="iphone")
Activated(customer_id='13800000001', at=datetime.datetime(2010, 10, 4, 9, 30, tzinfo=zoneinfo.ZoneInfo(key='Asia/Shanghai')), plan_fee=12600, device='iphone')
>>> Activated("13800000001", datetime(2010, 10, 4, 9, 30), plan_fee=12_600)
Traceback (most recent call last):
...
telcare.core.errors.InvalidInput: Activated.at must be timezone-aware, got the naive datetime 2010-10-04 09:30:00; attach a tzinfo such as ZoneInfo('Asia/Shanghai')
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from telcare.core.dates import require_aware
from telcare.core.errors import InvalidInput
from telcare.policy.catalogue import Channel, Moment

__all__ = [
    "Activated",
    "BillIssued",
    "CallbackAttempt",
    "CancellationRequested",
    "ContactMade",
    "ContractEnding",
    "Event",
    "ManagerAssigned",
    "SpendReading",
    "TierChanged",
    "TutoringDone",
    "UsageReading",
    "Verified",
]


def _customer_id(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(
            f"{type(instance).__name__}.customer_id must be a non-empty str, got {value!r}"
        )


def _aware(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    require_aware(value, f"{type(instance).__name__}.at")


def _fen(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(
            f"{type(instance).__name__}.{attribute.name} must be a non-negative int of fen, got {value!r}"
        )


def _flag(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidInput(
            f"{type(instance).__name__}.{attribute.name} must be a bool, got {value!r}"
        )


def _share(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    ok = (
        isinstance(value, int | float | Decimal) and not isinstance(value, bool) and 0 <= value <= 1
    )
    if not ok:
        raise InvalidInput(
            f"{type(instance).__name__}.{attribute.name} must be a share in [0, 1], got {value!r}"
        )


def _plain_date(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidInput(
            f"{type(instance).__name__}.{attribute.name} must be a datetime.date, got {value!r}"
        )


def _to_moment(value: Any) -> Moment | str:
    """A built-in moment by member or code; a registered moment by its ``MomentSpec``."""
    from telcare.rules.registry import MomentSpec

    if isinstance(value, MomentSpec):
        try:
            return Moment(value.code)
        except ValueError:
            return value.code
    try:
        return Moment(value)
    except ValueError:
        raise InvalidInput(
            f"unknown moment {value!r}; expected one of {[m.value for m in Moment]}"
        ) from None


def _to_channel(value: Any) -> Channel:
    try:
        return Channel(value)
    except ValueError:
        raise InvalidInput(
            f"unknown channel {value!r}; expected one of {[c.value for c in Channel]}"
        ) from None


@attrs.frozen(slots=True)
class Event:
    """Base of every life-cycle event: whose, and when."""

    customer_id: str = attrs.field(validator=_customer_id)
    at: datetime = attrs.field(validator=_aware)


@attrs.frozen(slots=True)
class Activated(Event):
    """A new subscriber was activated on a plan (``plan_fee`` in fen), with a device."""

    plan_fee: int = attrs.field(validator=_fen)
    device: str | None = attrs.field(default=None)


@attrs.frozen(slots=True)
class CallbackAttempt(Event):
    """A verification callback was tried; ``reached`` tells whether it got through."""

    reached: bool = attrs.field(validator=_flag)


@attrs.frozen(slots=True)
class Verified(Event):
    """The callback's verdict: a genuine user, or not."""

    genuine: bool = attrs.field(default=True, validator=_flag)


@attrs.frozen(slots=True)
class ManagerAssigned(Event):
    """A service manager was assigned to the customer."""


@attrs.frozen(slots=True)
class TutoringDone(Event):
    """The first business tutoring took place."""


@attrs.frozen(slots=True)
class BillIssued(Event):
    """A bill of ``amount`` fen was issued."""

    amount: int = attrs.field(validator=_fen)


@attrs.frozen(slots=True)
class UsageReading(Event):
    """Arrears or unbilled usage (``used``, fen) against the credit ``allowance`` (fen)."""

    used: int = attrs.field(validator=_fen)
    allowance: int = attrs.field(validator=_fen)


@attrs.frozen(slots=True)
class SpendReading(Event):
    """A month's spend (fen) and the share of calls forwarded elsewhere."""

    month_spend: int = attrs.field(validator=_fen)
    forwarded_share: float = attrs.field(default=0.0, validator=_share)


@attrs.frozen(slots=True)
class ContractEnding(Event):
    """A contract or offer ends on ``ends_on`` (a later notice replaces an earlier one)."""

    ends_on: date = attrs.field(validator=_plain_date)


@attrs.frozen(slots=True)
class CancellationRequested(Event):
    """The customer asked to leave or to port out."""


@attrs.frozen(slots=True)
class TierChanged(Event):
    """The customer's tier moved (from a tier evaluation)."""

    previous: str = attrs.field(validator=attrs.validators.instance_of(str))
    tier: str = attrs.field(validator=attrs.validators.instance_of(str))


@attrs.frozen(slots=True)
class ContactMade(Event):
    """The customer was contacted about ``moment`` (this closes that moment's action)."""

    moment: Moment | str = attrs.field(converter=_to_moment)
    channel: Channel = attrs.field(default=Channel.PHONE, converter=_to_channel)
