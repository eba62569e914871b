"""Life-cycle events: frozen values, each about one customer at one aware instant.

Events are facts the operator's systems report; :func:`telcare.due_actions`
replays them to find which contacts are due.  Every event carries
``customer_id`` and ``at`` (a timezone-aware ``datetime``: a naive one is
refused, since "within 3 days" depends on the time zone).

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> at = datetime(2010, 10, 4, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
>>> Activated("13800000001", at, plan_fee=12_600, device="iphone")
Activated(customer_id='13800000001', at=datetime.datetime(2010, 10, 4, 9, 30, tzinfo=zoneinfo.ZoneInfo(key='Asia/Shanghai')), plan_fee=12600, device='iphone', postpaid=True)
>>> Activated("13800000001", datetime(2010, 10, 4, 9, 30), plan_fee=12_600)
Traceback (most recent call last):
...
telcare._core.errors.InvalidInput: Activated.at must be timezone-aware, got the naive datetime 2010-10-04 09:30:00; attach a tzinfo such as ZoneInfo('Asia/Shanghai')
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import attrs

from telcare._core.checks import aware, field, flag, integer, plain_date, proportion, text
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_FEN
from telcare.policy import Channel, Moment

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


_fen = field(integer, maximum=MAX_FEN)


def _to_moment(value: Any) -> Moment | str:
    """A built-in moment by member or code; a registered moment by its ``MomentSpec``."""
    from telcare.moments._spec import MomentSpec

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


def to_channel(value: Any) -> Channel:
    try:
        return Channel(value)
    except ValueError:
        raise InvalidInput(
            f"unknown channel {value!r}; expected one of {[c.value for c in Channel]}"
        ) from None


@attrs.frozen(slots=True)
class Event:
    """Base of every life-cycle event: whose, and when."""

    customer_id: str = attrs.field(validator=field(text))
    at: datetime = attrs.field(validator=field(aware))


@attrs.frozen(slots=True)
class Activated(Event):
    """A new subscriber was activated on a plan (``plan_fee`` in fen), with a device.

    Only postpaid activations get the new-subscriber callback (seed 001:
    "3G后付费用户新入网回访"); ``postpaid=False`` marks a prepaid one.
    """

    plan_fee: int = attrs.field(validator=_fen)
    device: str | None = attrs.field(default=None)
    postpaid: bool = attrs.field(default=True, kw_only=True, validator=field(flag))


@attrs.frozen(slots=True)
class CallbackAttempt(Event):
    """A verification callback was tried; ``reached`` tells whether it got through."""

    reached: bool = attrs.field(validator=field(flag))


@attrs.frozen(slots=True)
class Verified(Event):
    """The callback's verdict: a genuine user, or not."""

    genuine: bool = attrs.field(default=True, validator=field(flag))


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
    forwarded_share: float = attrs.field(default=0.0, validator=field(proportion))


@attrs.frozen(slots=True)
class ContractEnding(Event):
    """A contract or offer ends on ``ends_on`` (a later notice replaces an earlier one)."""

    ends_on: date = attrs.field(validator=field(plain_date))


@attrs.frozen(slots=True)
class CancellationRequested(Event):
    """The customer asked to leave or to port out."""


@attrs.frozen(slots=True)
class TierChanged(Event):
    """The customer's tier moved (from a tier evaluation)."""

    previous: str = attrs.field(validator=field(text))
    tier: str = attrs.field(validator=field(text))


def _to_optional_moment(value: Any) -> Moment | str | None:
    return None if value is None else _to_moment(value)


@attrs.frozen(slots=True)
class ContactMade(Event):
    """The customer was contacted: about a key or care ``moment`` (this closes that
    moment's action), or in a marketing ``project`` (a campaign or offer code), or both.

    Every contact counts against the frequency cap unless its moment is exempt
    (``contact.exempt``); a marketing call, with no moment, always counts.

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> at = datetime(2010, 10, 4, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    >>> ContactMade("13800000001", at, project="data-pack-2010q4").moment is None
    True
    """

    moment: Moment | str | None = attrs.field(default=None, converter=_to_optional_moment)
    channel: Channel = attrs.field(default=Channel.PHONE, converter=to_channel)
    project: str | None = attrs.field(
        default=None, kw_only=True, validator=field(text, optional=True)
    )

    def __attrs_post_init__(self) -> None:
        if self.moment is None and self.project is None:
            raise InvalidInput(
                "ContactMade needs a moment (a care contact) or a project (a marketing call)"
            )
