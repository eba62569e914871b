"""The optional files beside the extract of ``telcare run`` (docs/run.md): the month's
action log (``--actions``), the managers' teams (``--managers``) and the life-cycle
events (``--events``).

Each is a table of :class:`~telcare.cli._run_schema.Col` like the extract, read and
checked by the same functions (:mod:`telcare.cli._run_sides`), and has its JSON Schema
(:func:`side_schema`, ``docs/run_actions_schema.json``,
``docs/run_managers_schema.json`` and ``docs/run_events_schema.json``).  An event's
row holds the fields of its kind (:data:`EVENT_KINDS`: the ``telcare`` event class,
the fields it needs, those it may have) and leaves the others empty.

>>> [c.name for c in ACTION_COLUMNS][:4]
['customer_id', 'moment', 'opened_on', 'due_by']
>>> side_schema("managers")["required"]
['manager', 'team']
>>> EVENT_KINDS["callback_attempt"].needs, side_schema("events")["properties"]["at"]["format"]
(('reached',), 'date-time')
"""

from __future__ import annotations

from typing import Any

import attrs

from telcare._core.limits import MAX_FEN
from telcare.cli._run_schema import Col, table_schema
from telcare.moments import (
    MOMENTS,
    Activated,
    BillIssued,
    CallbackAttempt,
    CancellationRequested,
    ContactMade,
    ContractEnding,
    ManagerAssigned,
    SpendReading,
    TierChanged,
    TutoringDone,
    UsageReading,
    Verified,
)
from telcare.policy import Channel, Policy

__all__ = ["ACTION_COLUMNS", "EVENT_CODES", "EVENT_COLUMNS", "EVENT_KINDS", "MANAGER_COLUMNS",
           "MOMENT_CODES", "SIDES", "EventKind", "side_schema"]  # fmt: skip

#: The moments an action may be of: the registry's codes.
MOMENT_CODES = tuple(spec.code for spec in MOMENTS)

#: The action log: one row per action open at some time in the month.
ACTION_COLUMNS: tuple[Col, ...] = (
    Col("customer_id", "text", True, "the customer's id (a customer of the month's extract)"),
    Col("moment", "code", True, "the key moment the action serves", codes=MOMENT_CODES),
    Col("opened_on", "date", True, "the day the action was opened (not after the month)"),
    Col("due_by", "date", True, "the action's deadline, inclusive (not before opened_on)"),
    Col("closed_on", "date", False, "the day it was done (empty: not done by the month's end)"),
    Col("outcome", "text", False, "retained or lost (a retention moment); genuine, reached or suspicious (a callback); empty: none"),
    Col("compliant", "flag", False, "a quality check found the contact kept the policy (the callback report; default true)"),
)  # fmt: skip

#: The managers' teams: one row per service manager.
MANAGER_COLUMNS: tuple[Col, ...] = (
    Col("manager", "text", True, "the service manager, as the extract's manager column names them (unique)"),
    Col("team", "text", True, "the manager's team"),
)  # fmt: skip


@attrs.frozen(slots=True)
class EventKind:
    """One code of the events file's ``event`` column: the ``telcare`` event class, the
    fields a row of it needs and those it may leave empty (their defaults)."""

    event: type
    needs: tuple[str, ...] = ()
    may: tuple[str, ...] = ()


#: The events file's codes, each with its event class and fields.
EVENT_KINDS: dict[str, EventKind] = {
    "activated": EventKind(Activated, ("plan_fee",), ("device", "postpaid")),
    "callback_attempt": EventKind(CallbackAttempt, ("reached",)),
    "verified": EventKind(Verified, (), ("genuine",)),
    "manager_assigned": EventKind(ManagerAssigned),
    "tutoring_done": EventKind(TutoringDone),
    "bill_issued": EventKind(BillIssued, ("amount",)),
    "usage_reading": EventKind(UsageReading, ("used", "allowance")),
    "spend_reading": EventKind(SpendReading, ("month_spend",), ("forwarded_share",)),
    "contract_ending": EventKind(ContractEnding, ("ends_on",)),
    "cancellation_requested": EventKind(CancellationRequested),
    "tier_changed": EventKind(TierChanged, ("previous", "tier")),
    "contact_made": EventKind(ContactMade, (), ("moment", "channel", "project")),
}
EVENT_CODES = tuple(EVENT_KINDS)

#: The events file: one row per life-cycle event (docs/run.md).
EVENT_COLUMNS: tuple[Col, ...] = (
    Col("customer_id", "text", True, "the customer's id (a customer of the month's extract)"),
    Col("event", "code", True, "what happened", codes=EVENT_CODES),
    Col("at", "text", True, "when: ISO 8601 with its UTC offset, such as 2010-11-04T09:30:00+08:00 (not after the month, in the policy's time zone)"),
    Col("plan_fee", "int", False, "activated: the plan's monthly fee, fen", 0, MAX_FEN),
    Col("device", "text", False, "activated: the handset (empty: unknown)"),
    Col("postpaid", "flag", False, "activated: a postpaid line (default true)"),
    Col("reached", "flag", False, "callback_attempt: the call got through"),
    Col("genuine", "flag", False, "verified: a genuine user (default true)"),
    Col("amount", "int", False, "bill_issued: the bill, fen", 0, MAX_FEN),
    Col("used", "int", False, "usage_reading: arrears or unbilled usage, fen", 0, MAX_FEN),
    Col("allowance", "int", False, "usage_reading: the credit allowance, fen", 0, MAX_FEN),
    Col("month_spend", "int", False, "spend_reading: the month's spend, fen", 0, MAX_FEN),
    Col("forwarded_share", "share", False, "spend_reading: share of calls forwarded (default 0)"),
    Col("ends_on", "date", False, "contract_ending: the contract's or offer's last day"),
    Col("previous", "text", False, "tier_changed: the tier before"),
    Col("tier", "text", False, "tier_changed: the tier after"),
    Col("moment", "code", False, "contact_made: the moment the contact was about (this closes its action)", codes=MOMENT_CODES),
    Col("channel", "code", False, "contact_made: how (default phone)", codes=tuple(c.value for c in Channel)),
    Col("project", "text", False, "contact_made: the marketing project (a contact needs a moment or a project)"),
)  # fmt: skip

#: Each optional file: its option and columns and its schema's title.
SIDES: dict[str, tuple[str, tuple[Col, ...], str]] = {
    "actions": ("--actions", ACTION_COLUMNS, "telcare run: one action of the month's action log"),
    "managers": ("--managers", MANAGER_COLUMNS, "telcare run: one service manager and the team"),
    "events": ("--events", EVENT_COLUMNS, "telcare run: one life-cycle event"),
}  # fmt: skip


def side_schema(name: str, policy: Policy | None = None) -> dict[str, Any]:
    """The JSON Schema of one row of the optional file ``name`` (``actions``, ``managers``,
    ``events``)."""
    _, columns, title = SIDES[name]
    schema = table_schema(columns, title, policy)
    if name == "events":
        schema["properties"]["at"]["format"] = "date-time"
    return schema
