"""The key moments of the customer life cycle: the events, what a moment is
(:class:`MomentSpec`) and the catalogue of built-in ones (:data:`MOMENTS`), one
customer's due actions, the whole-base scan and the SLA report.
"""

from __future__ import annotations

from telcare.moments._actions import Action
from telcare.moments._catalogue import MOMENTS, SNAPSHOT_MOMENTS

# For telcare's other packages; not part of the public surface (not in __all__).
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
    to_channel as to_channel,
)
from telcare.moments._forms import Replay, due_actions, scan_moments, simple_moment
from telcare.moments._scan import STATUS_NAMES as STATUS_NAMES, MomentScan
from telcare.moments._sla import MomentSla, SlaReport, sla_report
from telcare.moments._spec import MomentRegistry, MomentSpec, SnapshotScan

__all__ = [
    "MOMENTS",
    "SNAPSHOT_MOMENTS",
    "Action",
    "Activated",
    "BillIssued",
    "CallbackAttempt",
    "CancellationRequested",
    "ContactMade",
    "ContractEnding",
    "Event",
    "ManagerAssigned",
    "MomentRegistry",
    "MomentScan",
    "MomentSla",
    "MomentSpec",
    "Replay",
    "SlaReport",
    "SnapshotScan",
    "SpendReading",
    "TierChanged",
    "TutoringDone",
    "UsageReading",
    "Verified",
    "due_actions",
    "scan_moments",
    "simple_moment",
    "sla_report",
]
