"""The tier-change care moment: a tier evaluation moved the tier; tell the customer
what changes within ``tier_change_days`` (7)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from telcare._core.reasons import Reason
from telcare.moments._actions import Action, opened_by_latest
from telcare.moments._events import Event, TierChanged
from telcare.moments._reasons import TIER_CHANGE as MOVED
from telcare.moments._spec import builtin
from telcare.policy import Moment

if TYPE_CHECKING:
    from telcare.moments._forms import Replay

__all__ = ["TIER_CHANGE"]


def _moved(on: date, event: Event) -> Reason:
    assert isinstance(event, TierChanged)
    return MOVED(previous=event.previous, tier=event.tier, on=on)


def _tier_change(r: Replay) -> list[Action]:
    return opened_by_latest(r, TierChanged, Moment.TIER_CHANGE, r.m.tier_change_days, _moved)


TIER_CHANGE = builtin(
    Moment.TIER_CHANGE, "Tier change", (TierChanged,), ("tier_change_days",), _tier_change
)
