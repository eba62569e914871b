"""Contact rules: frequency caps per customer and contact hours.

At most ``contact.max_marketing_calls`` (2) contacts per ``contact.window_days``
(30): marketing calls (a :class:`~telcare.moments._events.ContactMade` with a
``project`` and no moment) and care contacts about the moments that count;
the new-subscriber callback, first tutoring and cancellation retention are
exempt (``contact.exempt``).  Every contact is
made inside ``contact.hours`` (Mon-Fri 08:00-20:00 in the policy's time zone).
A refusal names the next moment a contact would be allowed.  The cap window
itself (which contacts count, the caps by customer and project type) is written
once in :mod:`telcare.contact._window`, which the offer matchers read too.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> import telcare as tc
>>> saturday = datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
>>> d = tc.contact_allowed("c1", tc.Moment.CONTRACT_EXPIRY, saturday, [])
>>> d.allowed, d.next_allowed_at.isoformat()
(False, '2026-11-23T08:00:00+08:00')
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

import attrs

import telcare.contact._reasons as why
from telcare._core.checks import instance
from telcare._core.dates import local_datetime
from telcare._core.display import Explained
from telcare._core.errors import InvalidInput
from telcare._core.reasons import Reason
from telcare.contact._window import (
    CapWindow,
    cap_window,
    counted_contacts,
    customer_type_cap,
    is_exempt,
    next_allowed,
    of_channel,
    of_project_type,
    project_type_cap,
)
from telcare.customers import Customer
from telcare.moments import MOMENTS, ContactMade, MomentRegistry, MomentSpec
from telcare.policy import Channel, Moment, OfferCatalogue, Policy, PolicySchedule, resolve

if TYPE_CHECKING:
    from telcare.marketing import Prospect

__all__ = ["ContactDecision", "contact_allowed"]


@attrs.frozen(slots=True)
class ContactDecision(Explained):
    """Whether a contact may be made now; if not, when it next may (``None``: never
    under this policy, a cap of 0 or a do-not-call number for a marketing call).
    Each reason is a :class:`~telcare.Reason` (``contact.*`` codes, docs/reasons.md)."""

    allowed: bool
    reasons: tuple[Reason, ...]
    next_allowed_at: datetime | None


def _moment(value: object, moments: MomentRegistry | None) -> str | None:
    """A moment's code: a built-in member, or a registered moment's code."""
    if moments is not None and not isinstance(moments, MomentRegistry):
        raise InvalidInput(f"moments must be a telcare.MomentRegistry, got {moments!r}")
    if value is None:
        return None
    if isinstance(value, MomentSpec):  # a spec names itself: no registry needed
        return Moment(value.code) if value.code in {m.value for m in Moment} else value.code
    if isinstance(value, str):
        try:
            return Moment(value)
        except ValueError:
            pass
        if moments is not None and value in moments:
            return value
    known = [m.value for m in Moment] if moments is None else [s.code for s in moments]
    raise InvalidInput(
        f"unknown moment {value!r}; expected one of {known}, or None for a marketing call"
    )


def _who(customer: object) -> tuple[str, Customer | None, bool]:
    """The id, the customer when given (its type's cap applies) and the do-not-call flag."""
    if isinstance(customer, Customer):
        return customer.id, customer, False
    inner = getattr(customer, "customer", None)
    if isinstance(inner, Customer):  # a telcare.Prospect
        return inner.id, inner, bool(getattr(customer, "do_not_call", False))
    if not isinstance(customer, str) or not customer:
        raise InvalidInput(
            "customer_id must be a non-empty str (or the customer: a telcare.Customer or "
            f"a telcare.Prospect), got {customer!r}"
        )
    return customer, None, False


def _project_window(
    counted: tuple[ContactMade, ...],
    local: datetime,
    offer: str | None,
    catalogue: OfferCatalogue | None,
    policy: Policy,
) -> tuple[CapWindow, str] | None:
    if offer is None:
        return None
    catalogue = instance(
        catalogue, OfferCatalogue, "offer= needs catalogue= a telcare.OfferCatalogue, got {got}"
    )
    kind = catalogue[offer].project_type
    types = {o.code: o.project_type for o in catalogue}
    own = of_project_type(counted, types, kind)
    return cap_window(own, local, project_type_cap(policy, kind), policy), kind


def _cap_reasons(w: CapWindow, project: tuple[CapWindow, str] | None, days: int) -> list[Reason]:
    if not w.room:
        reasons = [why.cap_full(w.count, days, w.cap, w.room_at)]
    else:
        reasons = [why.CAP_ROOM(count=w.count, cap=w.cap, days=days)]
    if project is not None and not project[0].room:
        full = project[0]
        reasons.append(why.PROJECT_FULL(count=full.count, project_type=project[1], cap=full.cap))
    return reasons


def _channel(
    channel: object,
    code: str | None,
    moment: object,
    moments: MomentRegistry | None,
    policy: Policy,
) -> Channel:
    """The channel of the contact: the one given, else the moment's (``moments.channels``,
    else its spec's), else the phone for a marketing call (as :class:`ContactMade`)."""
    if channel is not None:
        return Channel(
            instance(
                channel, str, "channel must be a telcare.Channel or its code, got {got} {value!r}"
            )
        )
    if code is None:
        return Channel.PHONE
    found = policy.moments.channels.get(code)
    if found is not None:
        return found
    spec = moment if isinstance(moment, MomentSpec) else (moments or MOMENTS)[code]
    return spec.channel


def _channel_windows(
    counted: tuple[ContactMade, ...], local: datetime, channel: Channel, policy: Policy
) -> list[tuple[CapWindow, int | None]]:
    """The channel's caps, per window and per day, over its counted contacts (the one
    window), each with its days (``None``: per day)."""
    contact, own = policy.contact, of_channel(counted, channel)
    windows: list[tuple[CapWindow, int | None]] = []
    cap = contact.channel_caps.get(channel)
    if cap is not None:
        windows.append((cap_window(own, local, cap, policy), contact.window_days))
    day_cap = contact.channel_day_caps.get(channel)
    if day_cap is not None:
        windows.append((cap_window(own, local, day_cap, policy, per_day=True), None))
    return windows


def _channel_reasons(windows: list[tuple[CapWindow, int | None]], channel: Channel) -> list[Reason]:
    return [
        why.channel_reason(channel, w.cap, days, w.count, w.room_at, room=w.room)
        for w, days in windows
    ]


def _hours_reasons(policy: Policy, local: datetime, channel: Channel) -> list[Reason]:
    """Why the clock allows the contact or not: hours, holidays, the channel's quiet hours."""
    contact = policy.contact
    hours, day = contact.hours.describe(), local.date()
    opening = contact.next_opening(local)
    if day in contact.holidays:
        reasons = [why.HOLIDAY(day=day, opening=opening)]
    elif opening == local:
        made_up = day in contact.workdays
        reasons = [why.OPEN_WORKDAY(hours=hours, day=day) if made_up else why.OPEN(hours=hours)]
    else:
        reasons = [why.CLOSED(hours=hours, opening=opening)]
    quiet = contact.quiet_hours.get(channel)
    if quiet is not None and quiet.covers(local.time().replace(tzinfo=None)):
        after = contact.next_opening(local, channel)
        reasons.append(why.QUIET(channel=channel, quiet=quiet.describe(), after=after))
    return reasons


def _cap(person: Customer | None, policy: Policy) -> int:
    """The customer's cap: its type's, or ``max_marketing_calls`` for a bare id."""
    if person is None:
        return policy.contact.max_marketing_calls
    return customer_type_cap(policy, person.tier, policy.segment.code in person.segments)


def _capped(
    counted: tuple[ContactMade, ...],
    local: datetime,
    cap: int,
    project: tuple[CapWindow, str] | None,
    channel: Channel,
    policy: Policy,
) -> tuple[datetime | None, list[Reason]]:
    """The earliest allowed moment under every cap, and the reasons of the caps."""
    w = cap_window(counted, local, cap, policy)
    by_channel = _channel_windows(counted, local, channel, policy)
    windows = [w, *([] if project is None else [project[0]]), *(c for c, _ in by_channel)]
    earliest = next_allowed(local, windows, policy, channel)
    reasons = _cap_reasons(w, project, policy.contact.window_days)
    return earliest, reasons + _channel_reasons(by_channel, channel)


def contact_allowed(
    customer: str | Customer | Prospect,
    moment: Moment | MomentSpec | str | None,
    at: datetime,
    recent_contacts: Iterable[ContactMade],
    *,
    policy: Policy | PolicySchedule | None = None,
    moments: MomentRegistry | None = None,
    offer: str | None = None,
    catalogue: OfferCatalogue | None = None,
    channel: Channel | str | None = None,
) -> ContactDecision:
    """May ``customer`` be contacted about ``moment`` at ``at``?

    ``customer`` is an id, which gets ``contact.max_marketing_calls``, or a
    :class:`~telcare.Customer` or :class:`~telcare.Prospect`, which gets the cap
    of its type (its tier's, else its segment's) exactly as the offer matchers
    apply it; a prospect on the do-not-call list gets no marketing call.
    ``moment`` is a built-in :class:`~telcare.Moment` or its code, a registered
    moment's :class:`~telcare.MomentSpec` (or its code, with ``moments=`` the
    registry), or ``None`` for a marketing call, which the cap always counts;
    with ``offer=`` (a code of ``catalogue=``) the call also meets the cap of
    the offer's project type.  ``recent_contacts`` are earlier
    :class:`~telcare.moments._events.ContactMade` events, care contacts and
    marketing calls alike; those of other customers and those after ``at`` are
    ignored.  A contact counts against the cap while it is less than
    ``window_days`` old, unless its moment is exempt.  ``channel`` (default:
    the moment's channel, ``moments.channels``; the phone for a marketing call)
    meets its caps (``contact.channel_caps`` per window, ``channel_day_caps`` per
    day, counting the contacts made by that channel) and its quiet hours; every
    contact, exempt or not, waits for the contact hours of a working day
    (``contact.holidays`` off, ``contact.workdays`` worked).

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> import telcare as tc
    >>> saturday = datetime(2010, 10, 9, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    >>> d = tc.contact_allowed("c1", "usage_anomaly", saturday, [])
    >>> d.allowed, str(d.next_allowed_at)
    (False, '2010-10-11 08:00:00+08:00')
    """
    policy = resolve(policy, "contact_allowed", at=at)
    customer_id, person, do_not_call = _who(customer)
    code = _moment(moment, moments)
    local = local_datetime(at, policy.timezone, name="at")
    counted = counted_contacts(customer_id, recent_contacts, local, policy)
    if code is None and do_not_call:
        return ContactDecision(False, (why.DO_NOT_CALL(),), None)
    by = _channel(channel, code, moment, moments, policy)
    if is_exempt(code, policy):
        reasons = [why.EXEMPT(moment=code)]
        earliest: datetime | None = policy.contact.next_opening(local, by)
    else:
        project = (
            _project_window(counted, local, offer, catalogue, policy) if code is None else None
        )
        earliest, reasons = _capped(counted, local, _cap(person, policy), project, by, policy)
    reasons.extend(_hours_reasons(policy, local, by))
    return ContactDecision(earliest == local, tuple(reasons), earliest)
