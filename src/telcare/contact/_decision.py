"""Contact rules: frequency caps per customer and contact hours.

At most ``contact.max_marketing_calls`` (2) contacts per ``contact.window_days``
(30): marketing calls (a :class:`~telcare.moments._events.ContactMade` with a
``project`` and no moment) and care contacts about the moments that count;
the new-subscriber callback, first tutoring and cancellation retention are
exempt (``contact.exempt``).  Every contact is
made inside ``contact.hours`` (Mon-Fri 08:00-20:00 in the policy's time zone).
A refusal names the next moment a contact would be allowed.

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
from datetime import datetime, timedelta

import attrs

from telcare._core.dates import local_datetime, zone
from telcare._core.display import Displayable
from telcare._core.errors import InvalidInput
from telcare.moments import ContactMade
from telcare.policy import Moment, Policy, as_policy

__all__ = ["ContactDecision", "contact_allowed"]


@attrs.frozen(slots=True)
class ContactDecision(Displayable):
    """Whether a contact may be made now; if not, when it next may."""

    allowed: bool
    reasons: tuple[str, ...]
    next_allowed_at: datetime


def contact_allowed(
    customer_id: str,
    moment: Moment | str | None,
    at: datetime,
    recent_contacts: Iterable[ContactMade],
    *,
    policy: Policy | None = None,
) -> ContactDecision:
    """May ``customer_id`` be contacted about ``moment`` at ``at``?

    ``moment=None`` asks about a marketing call (no key or care moment), which
    the cap always counts.  ``recent_contacts`` are earlier
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
    policy = as_policy(policy)
    contact = policy.contact
    if not isinstance(customer_id, str) or not customer_id:
        raise InvalidInput(f"customer_id must be a non-empty str, got {customer_id!r}")
    if moment is not None:
        try:
            moment = Moment(moment)
        except ValueError:
            raise InvalidInput(
                f"unknown moment {moment!r}; expected one of {[m.value for m in Moment]}, "
                "or None for a marketing call"
            ) from None
    local = local_datetime(at, policy.timezone, name="at")
    window = timedelta(days=contact.window_days)
    counted = []
    for c in recent_contacts:
        if not isinstance(c, ContactMade):
            raise InvalidInput(
                f"recent_contacts must be ContactMade events, got {type(c).__name__}"
            )
        if (
            c.customer_id == customer_id
            and c.moment not in contact.exempt
            and local - window < c.at <= local
        ):
            counted.append(c.at)
    counted.sort()
    reasons = []
    earliest = local
    if moment is not None and moment in contact.exempt:
        reasons.append(f"{moment.value} is exempt from the frequency cap")
    elif len(counted) >= contact.max_marketing_calls:
        leaves = counted[len(counted) - contact.max_marketing_calls] + window
        earliest = max(earliest, leaves.astimezone(zone(policy.timezone)))
        reasons.append(
            f"{len(counted)} contacts in the last {contact.window_days} days "
            f"(cap {contact.max_marketing_calls}): next one allowed from {earliest:%Y-%m-%d %H:%M}"
        )
    else:
        reasons.append(
            f"{len(counted)} of {contact.max_marketing_calls} contacts used in the last {contact.window_days} days"
        )
    hours = contact.hours
    opening = hours.next_opening(earliest)
    if hours.is_open(local):
        reasons.append(f"within contact hours {hours.describe()}")
    else:
        reasons.append(
            f"outside contact hours {hours.describe()}, next opening {hours.next_opening(local):%a %d %b %H:%M}"
        )
    allowed = opening == local
    return ContactDecision(allowed, tuple(reasons), opening)
