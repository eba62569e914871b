"""The frequency-cap window, written once: which contacts count, the cap that applies
to a customer type and to a project type, and when a contact is next allowed.

:func:`~telcare.contact_allowed`, :func:`~telcare.match_offer`,
:func:`~telcare.best_offers`, :func:`~telcare.match_offers` (and so
:func:`~telcare.call_lists`, which lists only allowed matches) all read the caps
here, one customer through :func:`cap_window` and a whole base through the column
kernels :func:`customer_type_caps` and :func:`has_room`.

* A contact *counts* while it is less than ``contact.window_days`` old (a contact
  exactly that old no longer does), unless its moment is exempt
  (``contact.exempt``); a marketing call, with no moment, always counts.
* The cap of a customer's type is ``contact.customer_type_caps`` of its tier,
  else of its segment code when it is a segment member, else
  ``contact.max_marketing_calls``.
* A marketing call of a project type is further capped by
  ``contact.project_type_caps``, counting the earlier marketing calls whose
  project is an offer of that type.
* A contact by a channel is further capped by ``contact.channel_caps`` (per
  window) and ``contact.channel_day_caps`` (per calendar day in the policy's
  zone), counting the counted contacts made by that channel (:func:`of_channel`,
  ``cap_window(..., per_day=True)``); the whole-base form counts the same contacts
  (:func:`counts`) in :func:`telcare.contact_counts`.
* A full window has room again when its oldest counted contact that keeps it full
  leaves it (a full day at the next midnight); a cap of 0 never has room.  The
  next allowed moment then waits for the contact hours of a working day and the
  channel's quiet hours (:meth:`telcare.ContactPolicy.next_opening`).

>>> from datetime import datetime, time, timedelta
>>> from zoneinfo import ZoneInfo
>>> import telcare as tc
>>> policy = tc.Policy.model_validate({"contact": {"customer_type_caps": {"gold": 1}}})
>>> monday = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
>>> calls = [tc.ContactMade("c1", monday - timedelta(days=3), project="data_pack")]
>>> w = cap_window(counted_contacts("c1", calls, monday, policy), monday, customer_type_cap(policy, "gold", False), policy)
>>> w.room, str(w.room_at)
(False, '2010-12-19 10:00:00+08:00')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, time, timedelta
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import instance, items
from telcare._core.dates import zone
from telcare.moments import ContactMade
from telcare.policy import PROJECT_TYPES, Channel, Policy

__all__ = [
    "NO_CAP",
    "CapWindow",
    "cap_window",
    "counted_contacts",
    "counts",
    "customer_type_cap",
    "customer_type_caps",
    "has_room",
    "is_exempt",
    "next_allowed",
    "of_channel",
    "of_project_type",
    "project_type_cap",
    "project_type_caps",
    "same_day",
]

#: The cap of a project type the policy does not cap.
NO_CAP = int(np.iinfo(np.int64).max)
I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


def is_exempt(moment: str | None, policy: Policy) -> bool:
    """Whether a contact about ``moment`` is exempt from the cap (a marketing call never is)."""
    return moment is not None and moment in policy.contact.exempt


def counted_contacts(
    customer_id: str,
    contacts: Iterable[ContactMade],
    at: datetime,
    policy: Policy,
    *,
    name: str = "recent_contacts",
) -> tuple[ContactMade, ...]:
    """The customer's contacts that count against the cap at ``at``, oldest first.

    Those of other customers, those after ``at`` and exempt ones do not count.
    """
    counted = []
    for c in items(contacts, name, of=object):
        c = instance(c, ContactMade, f"{name} must be ContactMade events, got {{got}}")
        if c.customer_id == customer_id and counts(c, at, policy):
            counted.append(c)
    return tuple(sorted(counted, key=lambda c: c.at))


def counts(contact: ContactMade, at: datetime, policy: Policy) -> bool:
    """Whether a contact counts against the caps at ``at``: less than ``window_days``
    old, not after ``at``, and not exempt (the one-customer and column forms share it)."""
    window = timedelta(days=policy.contact.window_days)
    return at - window < contact.at <= at and not is_exempt(contact.moment, policy)


def of_channel(counted: Sequence[ContactMade], channel: Channel) -> tuple[ContactMade, ...]:
    """The counted contacts made by ``channel``."""
    return tuple(c for c in counted if c.channel == channel)


def same_day(contact: ContactMade, at: datetime, policy: Policy) -> bool:
    """Whether a contact was made on ``at``'s calendar day in the policy's time zone."""
    tz = zone(policy.timezone)
    return contact.at.astimezone(tz).date() == at.astimezone(tz).date()


def of_project_type(
    counted: Sequence[ContactMade], project_types: Mapping[str, str], project_type: str
) -> tuple[ContactMade, ...]:
    """The counted marketing calls whose project (an offer code) is of ``project_type``."""
    return tuple(
        c
        for c in counted
        if c.moment is None and project_types.get(c.project or "") == project_type
    )


def customer_type_cap(policy: Policy, tier: str, member: bool) -> int:
    """The cap of a customer's type: its tier's, else its segment's, else the default.

    The tier must be one of the policy's (as the offer matchers require)."""
    policy.tiers.index(tier)  # an unknown tier is refused by name
    caps = policy.contact.customer_type_caps
    if tier in caps:
        return caps[tier]
    if member and policy.segment.code in caps:
        return caps[policy.segment.code]
    return policy.contact.max_marketing_calls


def customer_type_caps(policy: Policy, tier: I64, member: Bools) -> I64:
    """The whole-base kernel of :func:`customer_type_cap`: ``tier`` indexes
    ``policy.tiers.codes``, ``member`` flags the segment's members.

    >>> import numpy as np
    >>> import telcare as tc
    >>> p = tc.Policy.model_validate({"contact": {"customer_type_caps": {"gold": 1, "mid_high_end": 3}}})
    >>> customer_type_caps(p, np.array([0, 0, 3]), np.array([False, True, True])).tolist()
    [2, 3, 1]
    """
    table = np.array(
        [
            [customer_type_cap(policy, code, m) for code in policy.tiers.codes]
            for m in (False, True)
        ],
        dtype=np.int64,
    )
    caps: I64 = table[member.astype(np.intp), tier]
    return caps


def project_type_cap(policy: Policy, project_type: str) -> int:
    """The cap of a project type's marketing calls (:data:`NO_CAP` when none is set)."""
    return policy.contact.project_type_caps.get(project_type, NO_CAP)  # type: ignore[call-overload, no-any-return]


def project_type_caps(policy: Policy) -> I64:
    """The cap of each project type, in ``PROJECT_TYPES`` order (the kernel's columns)."""
    return np.array([project_type_cap(policy, p) for p in PROJECT_TYPES], dtype=np.int64)


def has_room(count: Any, cap: Any) -> Any:
    """Whether ``count`` counted contacts leave room under ``cap``: ints or columns alike.

    >>> import numpy as np
    >>> has_room(1, 1), has_room(np.array([0, 2]), np.array([1, 3])).tolist()
    (False, [True, True])
    """
    return count < cap


@attrs.frozen(slots=True)
class CapWindow:
    """One cap over one customer's counted contacts: how many, the cap, whether the
    window has room now, and from when it has (``None``: never, a cap of 0)."""

    count: int
    cap: int
    room: bool
    room_at: datetime | None


def cap_window(
    counted: Sequence[ContactMade],
    at: datetime,
    cap: int,
    policy: Policy,
    *,
    per_day: bool = False,
) -> CapWindow:
    """The one-customer form: ``counted`` (oldest first, see :func:`counted_contacts`)
    against ``cap`` at ``at``; ``per_day`` counts only the contacts of ``at``'s day
    (policy's zone), and a full day has room again at the next midnight."""
    tz = zone(policy.timezone)
    if per_day:
        counted = [c for c in counted if same_day(c, at, policy)]
    room = bool(has_room(len(counted), cap))
    if room:
        return CapWindow(len(counted), cap, True, at)
    if cap == 0:
        return CapWindow(len(counted), cap, False, None)
    if per_day:
        midnight = datetime.combine(at.astimezone(tz).date() + timedelta(days=1), time(), tzinfo=tz)
        return CapWindow(len(counted), cap, False, midnight)
    leaves = counted[len(counted) - cap].at + timedelta(days=policy.contact.window_days)
    return CapWindow(len(counted), cap, False, max(at, leaves.astimezone(tz)))


def next_allowed(
    at: datetime, windows: Iterable[CapWindow], policy: Policy, channel: Channel | None = None
) -> datetime | None:
    """The first moment from ``at`` when every window has room and the contact hours
    are open on a working day (for ``channel``, outside its quiet hours); ``None``:
    never under these caps."""
    earliest = at
    for w in windows:
        if w.room_at is None:
            return None
        earliest = max(earliest, w.room_at)
    return policy.contact.next_opening(earliest.astimezone(zone(policy.timezone)), channel)
