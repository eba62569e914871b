"""Key moment 4: the credit alert, in three warning levels (seed 000: 三色亮灯, 三级预警).

Usage reaching ``credit_yellow``, ``credit_orange`` or ``credit_red`` (80%, 90%,
100%) of the allowance opens a contact due in ``credit_alert_days`` (1); red
adds the suspension risk and priority 1.  The alert opens at the first reading
of the current level or above.  The whole-base form takes ``used``,
``allowance`` and optionally ``alert_since``, and returns the colour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from telcare._core import kernels
from telcare._core.checks import row_blocks
from telcare._core.columns import Column
from telcare._core.limits import MAX_FEN
from telcare.compiled import CREDIT_LEVEL_FIELDS, compile_policy, credit_levels
from telcare.moments._actions import Action
from telcare.moments._deadlines import due_after
from telcare.moments._events import UsageReading
from telcare.moments._reasons import CREDIT_ALERTS
from telcare.moments._scan import Columns, or_today
from telcare.moments._spec import ScanResult, SnapshotScan, builtin
from telcare.policy import Moment, MomentsPolicy, Policy

if TYPE_CHECKING:
    from telcare.moments._forms import Replay

__all__ = ["COLOURS", "CREDIT_ALERT", "credit_colour"]

#: The three warning levels of the credit alert, after none.
COLOURS = ("none", "yellow", "orange", "red")


def credit_colour(used: int, allowance: int, policy: MomentsPolicy) -> int:
    """The warning level, 0 (none), 1 (yellow), 2 (orange) or 3 (red): usage as an
    exact share of the allowance against ``credit_yellow``, ``credit_orange`` and
    ``credit_red`` (80%, 90%, 100% by default).

    >>> import telcare as tc
    >>> [credit_colour(used, 15_000, tc.default_policy().moments) for used in (11_000, 12_000, 13_500, 15_000)]
    [0, 1, 2, 3]
    """
    return int(kernels.credit_colour(used, allowance, credit_levels(policy)))


def _credit_alert(r: Replay) -> list[Action]:
    readings = r.of(UsageReading)
    if not readings:
        return []
    colours = [credit_colour(e.used, e.allowance, r.m) for _, e in readings]
    colour = colours[-1]
    if colour == 0:
        return []
    start = len(readings) - 1
    while start > 0 and colours[start - 1] >= colour:
        start -= 1
    opened = readings[start][0].date()
    _, last = readings[-1]
    threshold = getattr(r.m, CREDIT_LEVEL_FIELDS[colour - 1])
    red = colour == len(COLOURS) - 1
    share = {"share": last.used / last.allowance} if last.allowance else {}
    reason = CREDIT_ALERTS[bool(share), red](
        used=last.used, allowance=last.allowance, colour=COLOURS[colour], level=colour,
        threshold=threshold, **share,
    )  # fmt: skip
    priority = 1 if red else None
    return [
        r.action(
            Moment.CREDIT_ALERT,
            opened,
            due_after(opened, r.m.credit_alert_days, Moment.CREDIT_ALERT, r.policy),
            reason,
            closed=r.closed(Moment.CREDIT_ALERT, opened),
            outcome=COLOURS[colour],
            priority=priority,
        )
    ]


def _scan(columns: Columns, today: np.datetime64, policy: Policy) -> ScanResult:
    cm = compile_policy(policy).moments
    used, allowance = columns["used"], columns["allowance"]
    colour = np.empty(len(used), dtype=np.int8)
    for rows in row_blocks(len(used)):  # the kernel's int64 temporaries stay in the cache
        colour[rows] = kernels.credit_colour(used[rows], allowance[rows], cm.credit_levels)
    opened = or_today(columns, "alert_since", today, "used")
    due_by = due_after(opened, policy.moments.credit_alert_days, Moment.CREDIT_ALERT, policy)
    return colour, opened, due_by


CREDIT_ALERT = builtin(
    Moment.CREDIT_ALERT, "Credit alert", (UsageReading,),
    (*CREDIT_LEVEL_FIELDS, "credit_alert_days"), _credit_alert,
    SnapshotScan(
        (Column("used", "int", 0, MAX_FEN, doc="usage or arrears in fen"),
         Column("allowance", "int", 0, MAX_FEN, doc="the credit allowance in fen"),
         Column("alert_since", "date", required=False, doc="first reading of the alert")),
        _scan,
    ),
)  # fmt: skip
