"""Key moment 6: the contract or offer expiry, contacted ``contract_days_before`` (30)
days before the end, opening ``contract_lead_days`` (7) earlier.  The whole-base
form takes ``contract_ends_on``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from telcare._core import kernels
from telcare._core.columns import Column
from telcare.moments._actions import Action
from telcare.moments._events import ContractEnding
from telcare.moments._reasons import CONTRACT
from telcare.moments._scan import Columns, When
from telcare.moments._spec import ScanResult, SnapshotScan, builtin
from telcare.policy import Moment, MomentsPolicy, Policy

if TYPE_CHECKING:
    from telcare.moments._forms import Replay

__all__ = ["CONTRACT_EXPIRY", "contract_window"]


def contract_window(ends_on: When, m: MomentsPolicy) -> tuple[When, When]:
    """(opened_on, due_by) of the contact about a contract ending on ``ends_on``
    (a date, or a column of them for the whole-base form).

    >>> from datetime import date
    >>> import telcare as tc
    >>> contract_window(date(2010, 12, 31), tc.default_policy().moments)
    (datetime.date(2010, 11, 24), datetime.date(2010, 12, 1))
    """
    opened, due = kernels.window_before(ends_on, m.contract_days_before, m.contract_lead_days)
    return opened, due


def _contract(r: Replay) -> list[Action]:
    notices = r.of(ContractEnding)
    if not notices:
        return []
    _, notice = notices[-1]
    opened, due = contract_window(notice.ends_on, r.m)
    if r.as_of < opened:
        return []
    reason = CONTRACT(ends=notice.ends_on, days=r.m.contract_days_before)
    return [
        r.action(
            Moment.CONTRACT_EXPIRY,
            opened,
            due,
            reason,
            closed=r.closed(Moment.CONTRACT_EXPIRY, opened),
        )
    ]


def _scan(columns: Columns, today: np.datetime64, policy: Policy) -> ScanResult:
    ends = columns["contract_ends_on"]
    opened, due_by = contract_window(ends, policy.moments)
    return ~np.isnat(ends) & (opened <= today), opened, due_by


CONTRACT_EXPIRY = builtin(
    Moment.CONTRACT_EXPIRY, "Contract expiry", (ContractEnding,),
    ("contract_days_before", "contract_lead_days"), _contract,
    SnapshotScan(
        (Column("contract_ends_on", "date", doc="the contract's or offer's last day"),), _scan
    ),
)  # fmt: skip
