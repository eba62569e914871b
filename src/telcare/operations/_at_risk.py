"""The value at risk of the retention warning list: monthly spend x the months you
expect to keep the customer, or, from a fitted :class:`~telcare.RetentionCurve`, the
customer's discounted expected residual value at its tenure.

With ``curve=``, a customer of ``tenure`` periods (the curve's periods, months for a
monthly cohort) paying ``margin x monthly_spend`` a period is worth
``curve.discounted_value(margin x monthly_spend, rate, tenure=tenure)``: the longer a
customer has stayed, the likelier it stays on, so a long-tenured customer puts more
at risk than a new one of the same spend.  The series is summed once per distinct
tenure (at most 1,201), never once per customer.

>>> import numpy as np
>>> import telcare as tc
>>> curve = tc.RetentionCurve(alpha=0.704, beta=1.182)
>>> spend, ids, owner = np.array([10_000, 10_000]), ["a", "b"], ["", ""]
>>> value_at_risk(spend, ids, owner, curve=curve, tenure=[0, 4], rate=0.1).tolist()
[36951, 63586]
>>> round(curve.discounted_value(10_000, 0.1, tenure=4))
63586
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.checks import instance, int_column, number, same_length
from telcare._core.column_checks import no_bools
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_FEN
from telcare.metrics import RetentionCurve

__all__ = ["MAX_MONTHS", "value_at_risk"]

#: The most months of spend a customer can put at risk, and the longest tenure a
#: curve reads (a hundred years).
MAX_MONTHS = 1_200
I64 = npt.NDArray[np.int64]


def _months(remaining_months: Any, n: int) -> I64:
    """The months of spend at risk per customer, from a number or a column."""
    if np.ndim(remaining_months) == 0:
        one = no_bools([remaining_months], "remaining_months")
        return np.repeat(int_column(one, "remaining_months", maximum=MAX_MONTHS), n)
    values = no_bools(remaining_months, "remaining_months")
    return int_column(values, "remaining_months", maximum=MAX_MONTHS)


def _per_period(curve: RetentionCurve, rate: float, tenure: I64) -> npt.NDArray[np.float64]:
    """Each customer's discounted expected residual periods (the value of a margin of 1),
    summed once per distinct tenure."""
    kinds, where = np.unique(tenure, return_inverse=True)
    periods = np.array([curve.discounted_value(1, rate, tenure=int(t)) for t in kinds.tolist()])
    if not np.isfinite(periods).all():
        raise InvalidInput(
            f"rate=0 needs a curve with a finite expected lifetime (alpha > 1), got alpha="
            f"{curve.alpha!r}: give a discount rate above 0"
        )
    out: npt.NDArray[np.float64] = periods[where.reshape(-1)]
    return out


def _tenure(tenure: Any, n: int) -> I64:
    """Each customer's periods so far, from a number or a column."""
    if np.ndim(tenure) == 0:
        return np.repeat(int_column(no_bools([tenure], "tenure"), "tenure", maximum=MAX_MONTHS), n)
    return int_column(no_bools(tenure, "tenure"), "tenure", maximum=MAX_MONTHS)


def _from_curve(spend: I64, ages: I64, curve: RetentionCurve, rate: float, share: float) -> I64:
    """Each customer's ``curve.discounted_value(share x spend, rate, tenure=age)``, in fen."""
    value = (spend * share) * _per_period(curve, rate, ages)
    over = np.abs(value) > MAX_FEN
    if over.any():
        i = int(np.argmax(over))
        raise InvalidInput(
            f"the value at risk from curve= at row {i} is {value[i]:.4g} fen, over {MAX_FEN:,}: "
            "check monthly_spend, tenure and rate"
        )
    out: I64 = np.rint(value).astype(np.int64)
    return out


def value_at_risk(
    spend: I64,
    ids: Any,
    owner: Any,
    *,
    remaining_months: Any = None,
    curve: Any = None,
    tenure: Any = None,
    rate: Any = None,
    margin: Any = None,
) -> I64:
    """Per customer, in fen: ``spend x remaining_months`` (12 when not given), or the
    discounted residual value from ``curve`` (see the module); every column checked
    to have one row per id."""
    n = len(ids)
    if curve is None:
        given = [k for k, v in (("tenure", tenure), ("rate", rate), ("margin", margin)) if v is not None]  # fmt: skip
        if given:
            raise InvalidInput(f"{', '.join(given)} value customers by a curve: pass curve= too")
        months = _months(12 if remaining_months is None else remaining_months, n)
        same_length(ids=ids, monthly_spend=spend, remaining_months=months, owner=owner)
        out: I64 = spend * months
        return out
    curve = instance(curve, RetentionCurve, "curve must be a telcare.RetentionCurve, got {got}")
    if remaining_months is not None:
        raise InvalidInput(
            "give remaining_months= or curve=, not both: the curve says how long each "
            "customer is expected to stay"
        )
    if tenure is None or rate is None:
        raise InvalidInput(
            "curve= needs tenure= (each customer's periods so far) and rate= (the discount "
            "rate per period: 0, or at least 0.0001, e.g. 0.01 a month)"
        )
    share = number(1 if margin is None else margin, "margin", minimum=0, maximum=1)
    rate = number(rate, "rate", minimum=0, maximum=100)
    ages = _tenure(tenure, n)
    same_length(ids=ids, monthly_spend=spend, tenure=ages, owner=owner)
    return _from_curve(spend, ages, curve, rate, share)
