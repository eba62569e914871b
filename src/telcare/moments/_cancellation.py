"""Key moment 7: the cancellation request, a retention call within
``cancellation_days`` (1) by the exit-point chief service representative."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telcare.moments._actions import Action, opened_by_latest
from telcare.moments._events import CancellationRequested
from telcare.moments._reasons import CANCELLATION
from telcare.moments._spec import builtin
from telcare.policy import Moment

if TYPE_CHECKING:
    from telcare.moments._forms import Replay

__all__ = ["CANCELLATION_REQUEST"]


def _cancellation(r: Replay) -> list[Action]:
    return opened_by_latest(
        r, CancellationRequested, Moment.CANCELLATION_REQUEST, r.m.cancellation_days,
        lambda on, event: CANCELLATION(on=on),
    )  # fmt: skip


CANCELLATION_REQUEST = builtin(
    Moment.CANCELLATION_REQUEST, "Cancellation request", (CancellationRequested,),
    ("cancellation_days",), _cancellation,
)  # fmt: skip
