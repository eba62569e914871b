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
from telcare.tiers import evaluate_tiers, mid_high_end, segment_size

__all__ = ["ONE_PROCESS", "Rules", "tie_codes"]

Fn = Callable[..., Any]


def _tiers(
    avg: Any, months: Any, held: Any, missed: Any, policy: Policy | None
) -> tuple[Any, Any, Any]:
    batch = evaluate_tiers(avg, months, held, missed, policy=policy)
    return batch.tier, batch.missed, batch.qualified


def tie_codes(avg: Any, eligible: Any, ids: Any, share: Any) -> Any:
    """Integer ids that break the segment's ties as the Arrow text ``ids`` do.

    The segment ranks by spend, then tenure, then the smaller id: an id decides only
    among the eligible rows whose spend is the cut's, the ``k``-th highest.  Those
    rows get their rank by id (Arrow's byte order of UTF-8 is Python's order of
    text), every other row 0, so no Python string is made for the whole base.
    Numpy ``ids`` are returned as they are.

    >>> import pyarrow as pa
    >>> tie_codes(np.array([9, 5, 5, 5]), np.array([True] * 4), pa.array(["d", "c", "a", "b"]),
    ...           "0.5").tolist()
    [0, 3, 1, 2]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not isinstance(ids, pa.Array | pa.ChunkedArray):
        return ids
    codes = np.zeros(len(ids), dtype=np.int64)
    spend = np.asarray(avg)[np.asarray(eligible, dtype=bool)]
    k = segment_size(len(spend), share)
    if k == 0 or k >= len(spend):
        return codes  # everyone eligible or no one: no tie to break
    cut = np.partition(spend, len(spend) - k)[len(spend) - k]
    tied = np.flatnonzero(np.asarray(eligible, dtype=bool) & (np.asarray(avg) == cut))
    order = np.asarray(pc.sort_indices(ids.take(pa.array(tied))))
    codes[tied[order]] = np.arange(1, len(tied) + 1)
    return codes


def _segment(avg: Any, eligible: Any, tenure_days: Any, ids: Any, share: Any) -> Any:
    codes = tie_codes(avg, eligible, ids, share)
    return mid_high_end(avg, eligible, tenure_days=tenure_days, ids=codes, share=share)


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
