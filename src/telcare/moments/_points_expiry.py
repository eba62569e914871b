"""The points-expiry care moment: points lapsing within ``points_expiry_days`` (30)
open a reminder due ``points_expiry_contact_days`` (7) later.  The one-customer
form reads the customer's :class:`~telcare.PointsLedger`; the whole-base form takes
``expiring_points`` and ``expires_on``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from telcare._core import kernels
from telcare._core.columns import Column
from telcare._core.limits import MAX_POINTS
from telcare.moments._actions import Action
from telcare.moments._reasons import POINTS
from telcare.moments._scan import Columns, When
from telcare.moments._spec import ScanResult, SnapshotScan, builtin
from telcare.policy import Moment, MomentsPolicy, Policy

if TYPE_CHECKING:
    from telcare.moments._forms import Replay

__all__ = ["POINTS_EXPIRY", "points_expiry_window"]


def points_expiry_window(expires_on: When, m: MomentsPolicy) -> tuple[When, When]:
    """(opened_on, due_by) of the reminder about points expiring on ``expires_on``
    (a date, or a column of them for the whole-base form).

    >>> from datetime import date
    >>> import telcare as tc
    >>> points_expiry_window(date(2010, 11, 30), tc.default_policy().moments)
    (datetime.date(2010, 10, 31), datetime.date(2010, 11, 7))
    """
    opened, due = kernels.points_expiry_window(
        expires_on, m.points_expiry_days, m.points_expiry_contact_days
    )
    return opened, due


def _points_expiry(r: Replay) -> list[Action]:
    ledger = r.ledger
    if ledger is None:
        return []
    lots = ledger.expiring(r.as_of, r.m.points_expiry_days)
    if not lots:
        return []
    expires = lots[0].expires_on
    points = sum(lot.points for lot in lots)
    opened, due = points_expiry_window(expires, r.m)
    value = points * ledger.fen_per_point
    reason = POINTS(points=points, value=value, last=lots[-1].expires_on, first=expires)
    return [
        r.action(
            Moment.POINTS_EXPIRY, opened, due, reason, closed=r.closed(Moment.POINTS_EXPIRY, opened)
        )
    ]


def _scan(columns: Columns, today: np.datetime64, policy: Policy) -> ScanResult:
    expires = columns["expires_on"]
    m = policy.moments
    window = kernels.shift_days(today, m.points_expiry_days)
    due = (columns["expiring_points"] > 0) & (today <= expires) & (expires <= window)
    opened, due_by = points_expiry_window(expires, m)
    return due, opened, due_by


POINTS_EXPIRY = builtin(
    Moment.POINTS_EXPIRY, "Points expiry", (),
    ("points_expiry_days", "points_expiry_contact_days"), _points_expiry,
    SnapshotScan(
        (Column("expiring_points", "int", minimum=0, maximum=MAX_POINTS,
                doc="points lapsing within the window"),
         Column("expires_on", "date", doc="the first lot's expiry")),
        _scan,
    ),
)  # fmt: skip
