"""A customer as marketing sees it: what it holds, its channel preference and
refusals, and the do-not-call flag.

>>> from datetime import date
>>> import telcare as tc
>>> who = tc.Prospect(tc.Customer("c1", date(2009, 1, 1), tc.yuan(58)), holds={"family_plan"},
...                   preferred_channel="sms", refused_channels=["dm"])
>>> who.preferred_channel.value, sorted(c.value for c in who.refused_channels)
('sms', ['dm'])
"""

from __future__ import annotations

from typing import Any

import attrs

from telcare._core.checks import flag, instance, items
from telcare._core.errors import InvalidInput
from telcare.customers import Customer
from telcare.moments import to_channel
from telcare.policy import Channel

__all__ = ["CHANNELS", "Prospect", "codes"]

#: The channels in ``Channel`` order: batch columns index into this.
CHANNELS: tuple[Channel, ...] = tuple(Channel)


def _channels(value: Any) -> frozenset[Channel]:
    # a collection of channel names: one str is not its letters
    listed = items(() if value is None else value, "refused_channels", of=str)
    try:
        return frozenset(Channel(v) for v in listed)
    except ValueError:
        raise InvalidInput(
            f"refused_channels must name channels of {[c.value for c in Channel]}, got {value!r}"
        ) from None


def _flag(value: Any) -> bool:
    return flag(value, "Prospect.do_not_call")  # numpy's bool becomes Python's


def _preferred(value: Any) -> Channel | None:
    return None if value is None else to_channel(value)


def codes(value: Any) -> frozenset[str]:
    """Held product or offer codes, checked: a collection of str, never one str."""
    try:
        if isinstance(value, str):
            raise TypeError
        out = frozenset(value)
    except TypeError:
        raise InvalidInput(
            f"holds must be a collection of product or offer codes, got {value!r}"
        ) from None
    if not all(isinstance(v, str) for v in out):
        raise InvalidInput(f"holds must hold str codes, got {sorted(map(repr, out))}")
    return out


def _customer(value: object) -> None:
    value = instance(value, Customer, "Prospect.customer must be a telcare.Customer, got {got}")


@attrs.frozen(slots=True)
class Prospect:
    """A customer as marketing sees it: the customer, what it holds (product and
    offer codes), its channel preference and refusals, and the do-not-call flag."""

    customer: Customer = attrs.field(validator=lambda _i, _a, v: _customer(v))
    holds: frozenset[str] = attrs.field(default=frozenset(), converter=codes)
    preferred_channel: Channel | None = attrs.field(default=None, converter=_preferred)
    refused_channels: frozenset[Channel] = attrs.field(default=frozenset(), converter=_channels)
    do_not_call: bool = attrs.field(default=False, converter=_flag)
