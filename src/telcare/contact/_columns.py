"""The whole-base form of :func:`~telcare.contact_allowed`: every customer's caps,
channel caps, quiet hours and contact calendar at once, from columns.

:func:`contact_counts` reads the contact history once into count columns (which
contacts count is decided by the one window, :mod:`telcare.contact._window`);
:func:`contacts_allowed` then decides each customer's contact by its channel with
no loop over customers.  Each row equals ``contact_allowed(...).allowed`` for that
customer, moment and channel.

>>> from datetime import datetime, timedelta
>>> from zoneinfo import ZoneInfo
>>> import telcare as tc
>>> policy = tc.Policy.model_validate({"contact": {"channel_day_caps": {"sms": 1}}})
>>> monday = datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
>>> history = [tc.ContactMade("c1", monday - timedelta(hours=1), "birthday", "sms")]
>>> counts = tc.contact_counts(["c1", "c2"], history, monday, policy=policy)
>>> counts.counted.tolist(), counts.today.sum(axis=1).tolist()
([1, 0], [1, 0])
>>> tc.contacts_allowed(monday, ["sms", "sms"], counts, policy=policy).tolist()
[False, True]
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import instance, items
from telcare._core.column_checks import bool_column, code_column, column, int_column
from telcare._core.dates import local_datetime
from telcare._core.display import Tabular
from telcare._core.errors import InvalidInput
from telcare._core.label_checks import label_column
from telcare._core.limits import MAX_COUNT
from telcare.contact._window import NO_CAP, counts, has_room, same_day
from telcare.moments import ContactMade
from telcare.policy import Channel, Policy, PolicySchedule, resolve

__all__ = [
    "CHANNELS",
    "ContactCounts",
    "channel_room",
    "channels_open",
    "contact_counts",
    "contacts_allowed",
]

#: The channels in column order (``list(telcare.Channel)``).
CHANNELS: tuple[Channel, ...] = tuple(Channel)
I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


def _table(values: Any, name: str) -> I64:
    """A customers x channels table of counts."""
    arr = column(values, name, ndim=2)
    if arr.shape[1:] != (len(CHANNELS),):
        raise InvalidInput(
            f"{name} must have one column per channel {[c.value for c in CHANNELS]}, got shape {arr.shape}"
        )
    flat = int_column(arr.reshape(-1), name, maximum=MAX_COUNT)
    return flat.reshape(arr.shape)


def _counted(values: Any) -> I64:
    return int_column(values, "counted", maximum=MAX_COUNT)


def _by_channel(values: Any) -> I64:
    return _table(values, "by_channel")


def _today(values: Any) -> I64:
    return _table(values, "today")


@attrs.frozen(slots=True, eq=False)
class ContactCounts(Tabular):
    """Count columns of a base at one moment: ``counted`` contacts per customer
    against the cap (every channel), and per channel (columns in :data:`CHANNELS`
    order) ``by_channel`` in the window and ``today`` on the moment's day."""

    counted: I64 = attrs.field(converter=_counted)
    by_channel: I64 = attrs.field(converter=_by_channel)
    today: I64 = attrs.field(converter=_today)

    def __attrs_post_init__(self) -> None:
        n = len(self.counted)
        if self.by_channel.shape[0] != n or self.today.shape[0] != n:
            raise InvalidInput(
                f"counted, by_channel and today must have one row per customer, got {n}, "
                f"{self.by_channel.shape[0]} and {self.today.shape[0]}"
            )

    def _columns(self) -> dict[str, Any]:
        by_channel = {f"{c.value}_in_window": self.by_channel[:, k] for k, c in enumerate(CHANNELS)}
        today = {f"{c.value}_today": self.today[:, k] for k, c in enumerate(CHANNELS)}
        return {"counted": self.counted, **by_channel, **today}


def contact_counts(
    customer_ids: Any,
    contacts: Iterable[ContactMade],
    at: datetime,
    *,
    policy: Policy | PolicySchedule | None = None,
) -> ContactCounts:
    """The count columns of ``customer_ids`` at ``at`` from the contact history: one
    pass over the contacts; those of other customers, after ``at``, older than the
    window or exempt do not count (as in :func:`~telcare.contact_allowed`).

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> import telcare as tc
    >>> at = datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    >>> calls = [tc.ContactMade("c2", datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("UTC")), project="p")]
    >>> c = tc.contact_counts(["c1", "c2"], calls, at)
    >>> c.counted.tolist(), c.by_channel[1].tolist(), c.today[1].tolist()
    ([0, 1], [1, 0, 0, 0, 0], [0, 0, 0, 0, 0])
    """
    policy = resolve(policy, "contact_counts", at=at)
    local = local_datetime(at, policy.timezone, name="at")
    ids = label_column(customer_ids, "customer_ids")
    row = {who: i for i, who in enumerate(ids)}
    if len(row) != len(ids):
        seen = next(who for i, who in enumerate(ids) if ids.index(who) != i)
        raise InvalidInput(f"customer_ids must be unique, got {seen!r} twice")
    where: list[tuple[int, int, bool]] = []
    for c in items(contacts, "contacts", of=object):
        c = instance(c, ContactMade, "contacts must be ContactMade events, got {got}")
        i = row.get(c.customer_id)
        if i is not None and counts(c, local, policy):
            where.append((i, CHANNELS.index(c.channel), same_day(c, local, policy)))
    cells = np.array(where, dtype=np.int64).reshape(-1, 3)
    by_channel = np.zeros((len(ids), len(CHANNELS)), dtype=np.int64)
    today = np.zeros_like(by_channel)
    np.add.at(by_channel, (cells[:, 0], cells[:, 1]), 1)
    np.add.at(today, (cells[:, 0], cells[:, 1]), cells[:, 2])
    return ContactCounts(by_channel.sum(axis=1), by_channel, today)


def channel_room(policy: Policy, by_channel: I64, today: I64) -> Bools:
    """Customers x channels: whether the channel's caps (per window and per day) leave room."""
    contact = policy.contact
    window = np.array([contact.channel_caps.get(c, NO_CAP) for c in CHANNELS], dtype=np.int64)
    day = np.array([contact.channel_day_caps.get(c, NO_CAP) for c in CHANNELS], dtype=np.int64)
    room: Bools = has_room(by_channel, window) & has_room(today, day)
    return room


def channels_open(local: datetime, policy: Policy) -> Bools:
    """Per channel: whether the contact hours are open on a working day at ``local`` and
    the channel is outside its quiet hours."""
    return np.array([policy.contact.next_opening(local, c) == local for c in CHANNELS])


def contacts_allowed(
    at: datetime,
    channel: Any,
    counts: ContactCounts,
    *,
    cap: Any = None,
    exempt: Any = None,
    policy: Policy | PolicySchedule | None = None,
) -> Bools:
    """Whether each customer may be contacted at ``at`` by its ``channel`` (a column of
    :class:`~telcare.Channel` codes or indexes): ``counts`` from :func:`contact_counts`
    (or the caller's own columns); ``cap`` each customer's cap (default
    ``contact.max_marketing_calls``, or :func:`~telcare.contact.customer_type_caps`);
    ``exempt`` flags the contacts about exempt moments, which skip every cap but
    not the hours.

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> import telcare as tc
    >>> p = tc.Policy.model_validate({"contact": {"quiet_hours": {"sms": "19:00-09:00"}}})
    >>> evening = datetime(2026, 11, 23, 19, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    >>> none = tc.contact_counts(["c1", "c2"], [], evening)
    >>> tc.contacts_allowed(evening, ["phone", "sms"], none, policy=p).tolist()
    [True, False]
    """
    policy = resolve(policy, "contacts_allowed", at=at)
    local = local_datetime(at, policy.timezone, name="at")
    counts = instance(counts, ContactCounts, "counts must be a telcare.ContactCounts, got {got}")
    ch = code_column(channel, "channel", tuple(c.value for c in CHANNELS))
    n = len(counts.counted)
    if len(ch) != n:
        raise InvalidInput(f"channel has {len(ch)} rows, counts {n}: give one per customer")
    caps = (
        np.full(n, policy.contact.max_marketing_calls, dtype=np.int64)
        if cap is None
        else int_column(cap, "cap", maximum=MAX_COUNT)
    )
    free = np.zeros(n, dtype=bool) if exempt is None else bool_column(exempt, "exempt")
    if len(caps) != n or len(free) != n:
        raise InvalidInput(f"cap and exempt must have one row per customer ({n})")
    room = has_room(counts.counted, caps)
    room &= channel_room(policy, counts.by_channel, counts.today)[np.arange(n), ch]
    allowed: Bools = channels_open(local, policy)[ch] & (free | room)
    return allowed
