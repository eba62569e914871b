"""The whole-base rules a month of ``telcare run`` calls, by engine.

:class:`Rules` holds the five rules with a form on every engine (tiers, the segment,
a bill's points, the benefit matrix, suspensions), each as a function of numpy
columns; :data:`ONE_PROCESS` calls telcare's own, and
:func:`telcare.cli._run_dask.dask_rules` the same rules through :mod:`telcare.on_dask`.
The rest of the month (the points book, the moment scan, offers and call lists) has
no partitioned form and runs on the gathered columns whatever the engine.

>>> import numpy as np
>>> tier, missed, qualified = ONE_PROCESS.tiers(np.array([55_000, 8_000]), np.array([12, 12]),
...     np.array([0, 0]), np.array([0, 0]), None)
>>> tier.tolist()
[3, 0]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import numpy as np

from telcare.benefits import check_benefits, check_suspensions
from telcare.points import points_for_bills
from telcare.policy import Policy
from telcare.tiers import evaluate_tiers, mid_high_end

__all__ = ["ONE_PROCESS", "Rules"]

Fn = Callable[..., Any]


def _tiers(
    avg: Any, months: Any, held: Any, missed: Any, policy: Policy | None
) -> tuple[Any, Any, Any]:
    batch = evaluate_tiers(avg, months, held, missed, policy=policy)
    return batch.tier, batch.missed, batch.qualified


def _segment(avg: Any, eligible: Any, tenure_days: Any, ids: Any, share: Any) -> Any:
    return mid_high_end(avg, eligible, tenure_days=tenure_days, ids=ids, share=share)


def _points(bill: Any, data_bill: Any, on_time: Any, held: Any, years: Any, policy: Policy) -> Any:
    return np.asarray(points_for_bills(bill, data_bill, on_time, held, years, policy=policy))


def _benefits(tier: Any, members: Any, fee: Any, verification: Any, status: Any, credit: Any,
              policy: Policy) -> Any:  # fmt: skip
    return check_benefits(tier, members, fee, verification, status, credit_level=credit,
                          policy=policy)  # fmt: skip


def _suspensions(arrears: Any, credit: Any, sms: Any, delayed: Any, days_over: Any,
                 policy: Policy) -> Any:  # fmt: skip
    return check_suspensions(arrears, credit, sms, delayed=delayed, days_over=days_over,
                             policy=policy)  # fmt: skip


@attrs.frozen(slots=True)
class Rules:
    """The engine's form of each partitioned rule, on numpy columns, and its name."""

    name: str
    tiers: Fn = _tiers
    segment: Fn = _segment
    points: Fn = _points
    benefits: Fn = _benefits
    suspensions: Fn = _suspensions


#: telcare's own rules, in this process.
ONE_PROCESS = Rules("one process")
