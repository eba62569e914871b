"""How the matchers use the frequency-cap window of :mod:`telcare.contact`: the
room of each customer under its type's cap and, per project type, under the cap
of an offer's project type.  The window itself (which contacts count, the caps,
the next allowed time) is written once there, for ``contact_allowed`` too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import numpy as np
import numpy.typing as npt

from telcare._core.reasons import Reason
from telcare.contact import (
    PROJECT_FULL,
    CapWindow,
    cap_window,
    counted_contacts,
    customer_type_cap,
    customer_type_caps,
    has_room,
    of_project_type,
    project_type_cap,
    project_type_caps,
)
from telcare.marketing._reasons import CAP
from telcare.moments import ContactMade
from telcare.policy import PROJECT_TYPES, Offer, OfferCatalogue, Policy

__all__ = ["OneCustomerCaps", "offer_windows", "room_by_project"]

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
