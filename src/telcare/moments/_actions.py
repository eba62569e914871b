"""Replaying one customer's events into the actions the key moments call for.

:func:`due_actions` replays a customer's events up to ``as_of`` (events on
``as_of`` count) through every moment of a registry and returns the actions
with their deadlines (inclusive dates) and status.  An action is done when its
closing event arrives.  The same events in any order give the same actions;
duplicates change nothing; other customers' events and events after ``as_of``
are ignored.  Each built-in moment is defined in its own module, listed by :mod:`telcare.moments._catalogue`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Literal, TypeVar

import attrs

from telcare._core.display import Explained
from telcare._core.reasons import Reason
from telcare.moments._deadlines import due_after
from telcare.moments._events import (
    Activated,
    BillIssued,
    CallbackAttempt,
    CancellationRequested,
    ContactMade,
    ContractEnding,
    Event,
    ManagerAssigned,
    SpendReading,
    TierChanged,
    TutoringDone,
    UsageReading,
    Verified,
)
from telcare.policy import Channel

if TYPE_CHECKING:
    from telcare.moments._forms import Replay

E = TypeVar("E", bound=Event)

__all__ = ["Action", "Status", "opened_by_latest"]

Status = Literal["open", "done", "overdue"]
_EVENT_ORDER = {
    cls: i
    for i, cls in enumerate(
        (Activated, CallbackAttempt, Verified, ManagerAssigned, TutoringDone, BillIssued, UsageReading,
         SpendReading, ContractEnding, CancellationRequested, TierChanged, ContactMade)
    )
}  # fmt: skip


@attrs.frozen(slots=True)
class Action(Explained):
    """A contact that a moment calls for, with its deadline and state.

    ``due_by`` is inclusive.  ``closed_on`` is the date of the closing event;
    ``outcome`` adds what the closing said (``"reached"`` or ``"suspicious"``
    for the callback) or the colour of a credit alert.  ``reason`` is a
    :class:`~telcare.Reason` (``moment.*`` codes, docs/reasons.md).
    """

    moment: str
    customer_id: str
    opened_on: date
    due_by: date
    status: Status
    channel: Channel
    priority: int
    reason: Reason
    closed_on: date | None = None
    outcome: str | None = None

    @property
    def on_time(self) -> bool | None:
        """Done by ``due_by`` (``None`` while not done)."""
        return None if self.closed_on is None else self.closed_on <= self.due_by


def opened_by_latest(
    r: Replay,
    kind: type[Event],
    moment: str,
    days: int,
    describe: str | Callable[[date, Event], Reason],
) -> list[Action]:
    """The work of :func:`telcare.simple_moment`, for arguments already checked;
    ``describe`` is a format (``on``, ``event``) or, for a built-in moment, makes the
    reason from the opening day and the event."""
    found = r.of(kind)
    if not found:
        return []
    t, event = found[-1]
    opened = t.date()
    reason = (
        describe.format(on=opened, event=event)
        if isinstance(describe, str)
        else describe(opened, event)
    )
    return [
        r.action(
            moment,
            opened,
            due_after(opened, days, moment, r.policy),
            reason,
            closed=r.closed(moment, opened),
        )
    ]
