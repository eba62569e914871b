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

from telcare._core.checks import instance
from telcare._core.dates import local_datetime
from telcare._core.display import Displayable
from telcare._core.errors import InvalidInput
from telcare.contact._window import (
    CapWindow,
    cap_window,
    counted_contacts,
    customer_type_cap,
    is_exempt,
    next_allowed,
    of_project_type,
    project_type_cap,
)
from telcare.customers import Customer
from telcare.moments import ContactMade, MomentRegistry, MomentSpec
from telcare.policy import Moment, OfferCatalogue, Policy, PolicySchedule, resolve

if TYPE_CHECKING:
    from telcare.marketing import Prospect

__all__ = ["ContactDecision", "contact_allowed"]


@attrs.frozen(slots=True)
class ContactDecision(Displayable):
    """Whether a contact may be made now; if not, when it next may (``None``: never
    under this policy, a cap of 0 or a do-not-call number for a marketing call)."""

    allowed: bool
    reasons: tuple[str, ...]
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


def _cap_reasons(w: CapWindow, project: tuple[CapWindow, str] | None, days: int) -> list[str]:
    reasons = []
    if not w.room:
        when = "never" if w.room_at is None else f"from {w.room_at:%Y-%m-%d %H:%M}"
        reasons.append(
            f"{w.count} contacts in the last {days} days (cap {w.cap}): next one allowed {when}"
        )
    else:
        reasons.append(f"{w.count} of {w.cap} contacts used in the last {days} days")
    if project is not None and not project[0].room:
        reasons.append(
            f"{project[0].count} {project[1]} calls in the window (cap {project[0].cap})"
        )
    return reasons


def _hours_reason(policy: Policy, local: datetime) -> str:
    hours = policy.contact.hours
    if hours.is_open(local):
        return f"within contact hours {hours.describe()}"
    return f"outside contact hours {hours.describe()}, next opening {hours.next_opening(local):%a %d %b %H:%M}"


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
    ``window_days`` old, unless its moment is exempt.

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
        return ContactDecision(False, ("on the do-not-call list: no marketing contact",), None)
    if is_exempt(code, policy):
        reasons = [f"{code} is exempt from the frequency cap"]
        earliest: datetime | None = policy.contact.hours.next_opening(local)
    else:
        cap = (
            policy.contact.max_marketing_calls
            if person is None
            else customer_type_cap(policy, person.tier, policy.segment.code in person.segments)
        )
        w = cap_window(counted, local, cap, policy)
        project = (
            _project_window(counted, local, offer, catalogue, policy) if code is None else None
        )
        earliest = next_allowed(local, (w,) if project is None else (w, project[0]), policy)
        reasons = _cap_reasons(w, project, policy.contact.window_days)
    reasons.append(_hours_reason(policy, local))
    return ContactDecision(earliest == local, tuple(reasons), earliest)
