"""The name lists the weekly operation keeps (seed 001's "落实3个名单制").  So far:
the retention warning list, customers with an open usage-anomaly, credit-alert
or cancellation moment, ranked by the value at risk.

The value at risk is ``monthly_spend x remaining_months``, or, with ``curve=`` a
:class:`~telcare.RetentionCurve` (from :func:`~telcare.retention_curve`), each
customer's ``curve.discounted_value(margin x monthly_spend, rate, tenure=tenure)``:
``tenure`` its periods so far (the curve's periods, a number or a column), ``rate``
the discount rate per period, ``margin`` the share of spend that is margin (default
1: the spend itself); see :mod:`telcare.operations._at_risk`.

>>> from datetime import date
>>> import numpy as np
>>> import telcare as tc
>>> scan = tc.scan_moments(date(2010, 12, 1), used=[1_000, 1_000, 15_000],
...                        allowance=[15_000] * 3,
...                        month_spend=[2_000, 30_000, 40_000], trailing_mean=[20_000, 30_000, 40_000])
>>> wl = retention_warning_list(scan, ["a", "b", "c"], monthly_spend=[20_000, 30_000, 40_000])
>>> wl.ids.tolist(), wl.moment.tolist(), wl.value_at_risk.tolist()
(['c', 'a'], ['credit_alert', 'usage_anomaly'], [480000, 240000])
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import column, instance, int_column
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_BILL
from telcare.metrics import RetentionCurve
from telcare.moments import MomentScan
from telcare.operations._at_risk import value_at_risk
from telcare.operations._labels import JsonColumns, day_column, factorize, list_text, no_bools
from telcare.operations._retention import WARNING_MOMENTS
from telcare.policy import Moment, Policy, as_policy

__all__ = ["WarningList", "retention_warning_list"]

_OPEN, _OVERDUE = 1, 3
#: A watched moment's name, priority, and per customer: on the list, deadline, overdue.
_Candidate = tuple[str, int, npt.NDArray[np.bool_], npt.NDArray[Any], npt.NDArray[np.bool_]]


@attrs.frozen(slots=True, eq=False)
class WarningList(JsonColumns):
    """The customers at risk, most value first: each with its most urgent open
    moment, that moment's deadline, the value at risk (fen) and the owner."""

    rows: npt.NDArray[np.int64]
    ids: npt.NDArray[Any]
    moment: npt.NDArray[np.str_]
    due_by: npt.NDArray[np.datetime64]
    overdue: npt.NDArray[np.bool_]
    value_at_risk: npt.NDArray[np.int64]
    owner: npt.NDArray[Any]
    _units: ClassVar[dict[str, str]] = {"value_at_risk": "fen"}

    def __len__(self) -> int:
        return len(self.rows)

    def _columns(self) -> dict[str, Any]:
        """One row per customer at risk, in list order."""
        return {
            "id": self.ids, "moment": self.moment, "due_by": self.due_by, "overdue": self.overdue,
            "value_at_risk": self.value_at_risk, "owner": self.owner,
        }  # fmt: skip

    def to_text(self, *, lang: str = "en") -> str:
        """The first rows as a text table in ``lang`` (``"en"`` or ``"zh_CN"``): each
        customer's moment by its name, money as ``¥1,234.56``, days ISO.

        >>> from datetime import date
        >>> import telcare as tc
        >>> scan = tc.scan_moments(date(2010, 12, 1), used=[14_000, 0], allowance=[15_000] * 2)
        >>> wl = tc.retention_warning_list(scan, ["13800000001", "13800000002"],
        ...                                monthly_spend=[20_000, 50_000],
        ...                                cancellation_due_by=[None, "2010-12-02"], owner=["li", "wang"])
        >>> print(wl.to_text(lang="zh_CN"))
        维系预警名单：共2行
          客户         关键时点  截止日期    超时   风险价值  负责人
          13800000002  销户申请  2010-12-02  否    ¥6,000.00  wang
          13800000001  信控预警  2010-12-02  否    ¥2,400.00  li
        """
        return list_text(self, lang, self._columns(), {"moment": "ui_moment"})

    def __str__(self) -> str:
        return self.to_text()


def retention_warning_list(
    scan: MomentScan,
    ids: Any,
    *,
    monthly_spend: Any,
    remaining_months: Any = None,
    cancellation_due_by: Any = None,
    owner: Any = None,
    policy: Policy | None = None,
    curve: RetentionCurve | None = None,
    tenure: Any = None,
    rate: float | None = None,
    margin: float | None = None,
) -> WarningList:
    """The retention warning list from a whole-base scan (see the module).

    A customer is on the list when its usage-anomaly or credit-alert action is
    open or overdue in ``scan``, or ``cancellation_due_by`` gives it a pending
    cancellation request (a date; NaT when none): the moments of
    :data:`~telcare.WARNING_MOMENTS`; an aware datetime there is its day in the
    policy's time zone.  ``ids`` and ``owner`` are labels, never missing (``owner``
    ``""`` for a customer without one).  Its moment is the most urgent of those by
    the policy's priorities (then the earlier deadline, then the order of
    :data:`~telcare.WARNING_MOMENTS`); value at risk is ``monthly_spend x
    remaining_months`` (a number or a column, default 12), or with ``curve`` each
    customer's discounted residual value at its ``tenure`` (see the module).  The
    list runs by value at risk, then deadline, then base order.

    >>> from datetime import date
    >>> import numpy as np
    >>> import telcare as tc
    >>> scan = tc.scan_moments(date(2010, 12, 1), used=[14_000, 0], allowance=[15_000, 15_000])
    >>> wl = tc.retention_warning_list(scan, ["a", "b"], monthly_spend=[20_000, 50_000],
    ...                                cancellation_due_by=[None, "2010-12-02"], owner=["li", "wang"])
    >>> wl.ids.tolist(), wl.moment.tolist(), wl.owner.tolist(), wl.value_at_risk.tolist()
    (['b', 'a'], ['cancellation_request', 'credit_alert'], ['wang', 'li'], [600000, 240000])
    """
    policy = as_policy(policy)
    scan = instance(scan, MomentScan, "retention_warning_list() needs a MomentScan, got {got}")
    labels = _Labels.of(ids, "ids", text=False)
    spend = int_column(no_bools(monthly_spend, "monthly_spend"), "monthly_spend", maximum=MAX_BILL)
    n = len(labels)
    owners = _Labels.of(owner, "owner", empty=True) if owner is not None else _Labels.none(n)
    value = value_at_risk(spend, labels.codes, owners.codes, remaining_months=remaining_months,
                          curve=curve, tenure=tenure, rate=rate, margin=margin)  # fmt: skip
    candidates = _candidates(scan, n, cancellation_due_by, policy)
    rows, chosen, due_by, overdue = _most_urgent(candidates, n)
    order = np.lexsort((rows, due_by.astype(np.int64), -value[rows]))
    rows = rows[order]
    found = np.array([name for name, *_ in candidates] or [""], dtype=object)
    moment_names = found[chosen[order]].astype(str)
    return WarningList(
        rows, labels.at(rows), moment_names, due_by[order], overdue[order], value[rows],
        owners.at(rows, blank=""),
    )  # fmt: skip


@attrs.frozen(slots=True, eq=False)
class _Labels:
    """A checked label column kept as codes (an integer numpy column as itself): the
    labels are made only for the rows listed, never a Python object per customer."""

    names: tuple[Any, ...] | None  # None: ``codes`` are the labels themselves
    codes: npt.NDArray[Any]

    @classmethod
    def of(cls, values: Any, name: str, *, text: bool = True, empty: bool = False) -> _Labels:
        """``values`` through the label check (:func:`factorize`'s, whose integer numpy
        column needs no more than :func:`~telcare._core.checks.column`)."""
        if not text and isinstance(values, np.ndarray) and values.dtype.kind in "iu":
            return cls(None, column(values, name))
        return cls(*factorize(values, name, text=text, empty=empty))

    @classmethod
    def none(cls, n: int) -> _Labels:
        """A column of ``n`` rows without a label (every code -1)."""
        return cls((), np.full(n, -1, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.codes)

    def at(self, rows: npt.NDArray[np.int64], blank: Any = "") -> npt.NDArray[Any]:
        """The labels of ``rows`` as Python values (``blank`` where the code is -1)."""
        codes = self.codes[rows]
        if self.names is None:
            out: npt.NDArray[Any] = codes.astype(object)  # Python ints, as the names would be
            return out
        if not self.names:
            return np.full(len(codes), blank, dtype=object)
        labels: npt.NDArray[Any] = np.array([*self.names, blank], dtype=object)[codes]
        return labels


def _candidates(
    scan: MomentScan, n: int, cancellation_due_by: Any, policy: Policy
) -> list[_Candidate]:
    """Each watched moment the scan (or the cancellation column) holds, in watch order."""
    candidates: list[_Candidate] = []
    for moment in WARNING_MOMENTS:
        if moment == Moment.CANCELLATION_REQUEST:
            if cancellation_due_by is None:
                continue
            due = day_column(
                cancellation_due_by, "cancellation_due_by", policy.timezone, n, optional=True
            )
            hit = ~np.isnat(due)
            late = hit & (due < np.datetime64(scan.as_of, "D"))
        elif moment.value in scan.status:
            status = scan.status[moment.value]
            hit = (status == _OPEN) | (status == _OVERDUE)
            due, late = scan.due_by[moment.value], status == _OVERDUE
        else:
            continue
        if len(hit) != n:
            raise InvalidInput(f"the scan has {len(hit)} rows for {n} ids")
        candidates.append((moment.value, policy.moments.priorities[moment], hit, due, late))
    return candidates


def _most_urgent(candidates: list[_Candidate], n: int) -> tuple[
    npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.datetime64], npt.NDArray[np.bool_]
]:  # fmt: skip
    """The rows some candidate holds, in base order, and per row the chosen candidate,
    its deadline and whether overdue (worked out on those rows only, not the base)."""
    anyone = np.zeros(n, dtype=bool)
    for _, _, hit, _, _ in candidates:
        anyone |= hit
    rows = np.flatnonzero(anyone)
    m = len(rows)
    chosen = np.full(m, -1, dtype=np.int64)
    best_priority = np.full(m, np.iinfo(np.int64).max, dtype=np.int64)
    due_by = np.full(m, np.datetime64("NaT", "D"), dtype="datetime64[D]")
    overdue = np.zeros(m, dtype=bool)
    for k, (_, priority, hit, due, late) in enumerate(candidates):
        # most urgent first: priority, then the earlier deadline
        hit, due, late = hit[rows], due[rows].astype("datetime64[D]"), late[rows]
        better = hit & ((priority < best_priority) | ((priority == best_priority) & (due < due_by)))
        chosen[better], best_priority[better] = k, priority
        due_by[better], overdue[better] = due[better], late[better]
    return rows, chosen, due_by, overdue
