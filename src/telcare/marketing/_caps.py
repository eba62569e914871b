"""How the matchers use the frequency-cap window of :mod:`telcare.contact`: the
room of each customer under its type's cap, per project type under the cap of an
offer's project type, and per channel under the channel's caps, quiet hours and
the working days.  The window itself (which contacts count, the caps, the next
allowed time, the channel caps' reasons) is written once there, for
``contact_allowed`` too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import numpy as np
import numpy.typing as npt

from telcare._core.reasons import Reason
from telcare.contact import (
    CHANNELS,
    PROJECT_FULL,
    CapWindow,
    cap_window,
    channel_reasons,
    channel_room,
    channel_windows,
    channels_open,
    counted_contacts,
    customer_type_cap,
    customer_type_caps,
    has_room,
    of_project_type,
    project_type_cap,
    project_type_caps,
)
from telcare.marketing._reasons import CAP, CLOSED, HOLIDAY, QUIET
from telcare.moments import ContactMade
from telcare.policy import PROJECT_TYPES, Channel, Offer, OfferCatalogue, Policy

__all__ = [
    "ChannelClock",
    "OneCustomerCaps",
    "clock_reasons",
    "lane_windows",
    "offer_windows",
    "room_by_project",
]

Bools = npt.NDArray[np.bool_]
I64 = npt.NDArray[np.int64]


def room_by_project(
    policy: Policy, tier: I64, member: Bools, counted: I64, by_project: I64
) -> list[Bools]:
    """The whole-base form: per project type (``PROJECT_TYPES`` order), whether each
    customer's counted contacts leave room under its type's cap and its marketing
    calls of that type under the project type's cap."""
    total = has_room(counted, customer_type_caps(policy, tier, member))
    caps = project_type_caps(policy)
    return [total & has_room(by_project[:, p], caps[p]) for p in range(len(PROJECT_TYPES))]


class OneCustomerCaps:
    """One customer's counted contacts, read once for every offer of a catalogue."""

    __slots__ = ("counted", "local", "policy", "types", "window")

    def __init__(
        self,
        customer_id: str,
        contacts: Iterable[ContactMade],
        local: datetime,
        catalogue: OfferCatalogue,
        policy: Policy,
        *,
        tier: str,
        member: bool,
    ) -> None:
        self.counted = counted_contacts(customer_id, contacts, local, policy, name="contacts")
        self.local, self.policy = local, policy
        self.types = {o.code: o.project_type for o in catalogue}
        self.window = cap_window(
            self.counted, local, customer_type_cap(policy, tier, member), policy
        )

    def by_project(self) -> list[int]:
        """Counted marketing calls per project type (``PROJECT_TYPES`` order)."""
        return [len(of_project_type(self.counted, self.types, p)) for p in PROJECT_TYPES]


def offer_windows(caps: OneCustomerCaps, offer: Offer) -> tuple[CapWindow, CapWindow, list[Reason]]:
    """The customer type's window and the offer's project type's, with a reason per full one."""
    policy = caps.policy
    own = of_project_type(caps.counted, caps.types, offer.project_type)
    project = cap_window(own, caps.local, project_type_cap(policy, offer.project_type), policy)
    reasons = []
    w = caps.window
    if not w.room:
        reasons.append(CAP(count=w.count, days=policy.contact.window_days, cap=w.cap))
    if not project.room:
        reasons.append(
            PROJECT_FULL(count=project.count, project_type=offer.project_type, cap=project.cap)
        )
    return w, project, reasons


def lane_windows(
    caps: OneCustomerCaps, channel: Channel | None
) -> tuple[list[CapWindow], list[Reason]]:
    """The caps of the offer's ``channel`` (per window and per day) over the customer's
    counted contacts, as :func:`~telcare.contact_allowed` reads them, with a reason per
    full one (no channel: none)."""
    if channel is None:
        return [], []
    windows = channel_windows(caps.counted, caps.local, channel, caps.policy)
    full = channel_reasons([(w, days) for w, days in windows if not w.room], channel)
    return [w for w, _ in windows], full


def clock_reasons(policy: Policy, local: datetime, channel: Channel | None) -> list[Reason]:
    """Why the clock holds an offer by ``channel`` back at ``local`` (empty when it does
    not): a holiday, the contact hours, the channel's quiet hours."""
    contact, reasons = policy.contact, []
    if contact.next_opening(local) != local:
        day = local.date()
        if day in contact.holidays:
            reasons.append(HOLIDAY(day=day))
        else:
            reasons.append(CLOSED(hours=contact.hours.describe()))
    quiet = None if channel is None else contact.quiet_hours.get(channel)
    if quiet is not None and quiet.covers(local.time().replace(tzinfo=None)):
        reasons.append(QUIET(channel=channel, quiet=quiet.describe()))
    return reasons


class ChannelClock:
    """The whole-base form of the channels' caps and clock at one moment: per channel
    (:data:`~telcare.contact.CHANNELS` order, then a last one for an offer with no
    channel, which only the contact hours hold back) whether it is open now, and per
    channel and customer whether its caps leave room (``None``: no channel capped)."""

    __slots__ = ("capped", "open", "room")

    def __init__(self, policy: Policy, local: datetime, by_channel: I64, today: I64) -> None:
        contact = policy.contact
        anyone = contact.next_opening(local) == local
        self.open: Bools = np.append(channels_open(local, policy), anyone)
        self.capped = [c in contact.channel_caps or c in contact.channel_day_caps for c in CHANNELS]  # fmt: skip
        self.room: Bools | None = None
        if any(self.capped):  # channel-major, so one channel's column is contiguous
            self.room = np.ascontiguousarray(channel_room(policy, by_channel, today).T)

    def allows(self, now: Bools, chan: npt.NDArray[np.int8], rows: slice, lanes: list[int]) -> None:
        """Clear ``now`` (one block of customers, ``rows``, and their offer's channels
        ``chan``, -1 for none; ``lanes`` the distinct values ``chan`` may take) where the
        channel is closed or its caps are full."""
        for c in lanes:
            if not self.open[c]:
                now &= chan != c
            if c >= 0 and self.room is not None and self.capped[c]:
                now &= self.room[c, rows] | (chan != c)
