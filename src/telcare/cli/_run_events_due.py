"""The due actions of the event-driven moments, for ``telcare run --events FILE``
(docs/run.md).

The events (:class:`~telcare.cli._run_events.EventFile`) are grouped by customer with
numpy (a stable argsort of their extract rows, split where the row changes), and
:func:`telcare.due_actions` runs once per customer that has events, as of the month's
last day under the run's policy, on the :class:`~telcare.Customer` of the extract row
(its id, activation, plan fee, the month's tier, verification, status and credit
level; the birthday and the points are the snapshot scan's, in ``moments``).  Events
are sparse, so the loop is over the customers with events, never over the base.  The
``due`` table has one row per action, its reason as the code and its parameters (JSON).

>>> rows, starts = customer_groups(np.array([4, 1, 4, 2, 1]))
>>> rows.tolist(), [g.tolist() for g in np.split(np.array([1, 4, 3, 0, 2]), starts)]
([1, 2, 4], [[1, 4], [3], [0, 2]])
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare.cli._month import Month
from telcare.cli._run_events import EventFile
from telcare.customers import Customer
from telcare.moments import Action, due_actions
from telcare.policy import Policy

__all__ = ["DUE_COLUMNS", "SKIPPED_EVENTS", "customer_groups", "due_rows", "due_tables"]

#: The ``due`` table's columns (besides ``month``), as :func:`due_rows` gives them.
DUE_COLUMNS = ("row", "moment", "opened_on", "due_by", "status", "channel", "priority",
               "closed_on", "outcome", "reason", "reason_params")  # fmt: skip
#: Why the due actions were not written without ``--events``.
SKIPPED_EVENTS = {"due_actions": "run.skipped.no_events"}


def customer_groups(rows: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], Any]:
    """The customers with events (their extract rows, ascending) and where each one's
    events start in the stable argsort of ``rows`` (for ``np.split``)."""
    order = np.argsort(rows, kind="stable")
    ordered = rows[order]
    starts = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
    return ordered[np.r_[0, starts]] if len(rows) else ordered, starts


def _customer(cols: dict[str, Any], tier: str, r: int) -> Customer:
    """The extract row ``r`` as the rules' :class:`Customer` (Python values, not numpy's)."""
    return Customer(
        str(cols["customer_id"][r]), cols["activated_on"][r].item(), int(cols["plan_fee"][r]),
        tier=tier, verification=int(cols["verification"][r]), status=int(cols["status"][r]),
        credit_level=int(cols["credit_level"][r]),
    )  # fmt: skip


def due_rows(actions: list[tuple[int, Action]]) -> dict[str, Any]:
    """The ``due`` table's columns from (extract row, action) pairs."""
    nat = np.datetime64("NaT", "D")

    def days(values: list[date | None]) -> Any:
        return np.array([nat if d is None else np.datetime64(d, "D") for d in values],
                        dtype="datetime64[D]")  # fmt: skip

    def text(values: list[Any]) -> Any:
        return np.array(values, dtype=object)

    acts = [a for _, a in actions]
    return {
        "row": np.array([r for r, _ in actions], dtype=np.int64),
        "moment": text([str(a.moment) for a in acts]),
        "opened_on": days([a.opened_on for a in acts]), "due_by": days([a.due_by for a in acts]),
        "status": text([a.status for a in acts]), "channel": text([a.channel.value for a in acts]),
        "priority": np.array([a.priority for a in acts], dtype=np.int64),
        "closed_on": days([a.closed_on for a in acts]), "outcome": text([a.outcome for a in acts]),
        "reason": text([a.reason.code for a in acts]),
        "reason_params": text([json.dumps(a.reason.to_dict()["params"], sort_keys=True)
                               for a in acts]),
    }  # fmt: skip


def due_tables(result: Month, cols: dict[str, Any], events: EventFile | None, as_of: date,
               policy: Policy, say: Callable[[str], None]) -> tuple[Month, dict[str, str]]:  # fmt: skip
    """The month with its ``due`` table (empty without events), and what was skipped."""
    if events is None:
        return attrs.evolve(result, tables={**result.tables, "due": due_rows([])}), SKIPPED_EVENTS
    say("finding the due actions")
    customers, starts = customer_groups(events.rows)
    order = np.split(np.argsort(events.rows, kind="stable"), starts) if len(events) else []
    tiers = result.tables["customers"]["tier"]
    codes = policy.tiers.codes
    found: list[tuple[int, Action]] = []
    for r, at in zip(customers.tolist(), order, strict=True):
        customer = _customer(cols, codes[int(tiers[r])], r)
        mine = [events.events[i] for i in at.tolist()]
        found += [(r, a) for a in due_actions(customer, mine, as_of=as_of, policy=policy)]
    figures = dict(result.figures)
    figures["due.customers"] = len(customers)
    figures["due.actions"] = len(found)
    tables = {**result.tables, "due": due_rows(found)}
    return attrs.evolve(result, tables=tables, figures=figures), {}
