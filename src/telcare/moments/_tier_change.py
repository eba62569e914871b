"""The tier-change care moment: a tier evaluation moved the tier; tell the customer
what changes within ``tier_change_days`` (7)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telcare.moments._actions import Action, opened_by_latest
from telcare.moments._events import TierChanged
from telcare.moments._spec import builtin
from telcare.policy import Moment

if TYPE_CHECKING:
    from telcare.moments._forms import Replay

__all__ = ["TIER_CHANGE"]


def _tier_change(r: Replay) -> list[Action]:
    return opened_by_latest(
        r, TierChanged, Moment.TIER_CHANGE, r.m.tier_change_days,
        "tier moved from {event.previous} to {event.tier} on {on}: tell the customer what changes",
    )  # fmt: skip


TIER_CHANGE = builtin(
    Moment.TIER_CHANGE, "Tier change", (TierChanged,), ("tier_change_days",), _tier_change
)
