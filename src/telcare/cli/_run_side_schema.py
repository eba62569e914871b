"""The optional files beside the extract of ``telcare run`` (docs/run.md): the month's
action log (``--actions``) and the managers' teams (``--managers``).

Each is a table of :class:`~telcare.cli._run_schema.Col` like the extract, read and
checked by the same functions (:mod:`telcare.cli._run_sides`), and has its JSON Schema
(:func:`side_schema`, ``docs/run_actions_schema.json`` and
``docs/run_managers_schema.json``).

>>> [c.name for c in ACTION_COLUMNS][:4]
['customer_id', 'moment', 'opened_on', 'due_by']
>>> side_schema("managers")["required"]
['manager', 'team']
"""

from __future__ import annotations

from typing import Any

from telcare.cli._run_schema import Col, table_schema
from telcare.moments import MOMENTS
from telcare.policy import Policy

__all__ = ["ACTION_COLUMNS", "MANAGER_COLUMNS", "MOMENT_CODES", "SIDES", "side_schema"]

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

#: Each optional file: its option and columns and its schema's title.
SIDES: dict[str, tuple[str, tuple[Col, ...], str]] = {
    "actions": ("--actions", ACTION_COLUMNS, "telcare run: one action of the month's action log"),
    "managers": ("--managers", MANAGER_COLUMNS, "telcare run: one service manager and the team"),
}  # fmt: skip


def side_schema(name: str, policy: Policy | None = None) -> dict[str, Any]:
    """The JSON Schema of one row of the optional file ``name`` (``actions``, ``managers``)."""
    _, columns, title = SIDES[name]
    return table_schema(columns, title, policy)
