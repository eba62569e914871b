"""The whole-base form of the snapshot moments: the columns, their checks and the result.

:func:`scan_moments` evaluates the moments that depend on the state of an
account rather than on a sequence of events (credit alert, usage anomaly,
contract expiry, birthday, points expiry) from numpy columns, with the same
answers as :func:`telcare.due_actions` gives customer by customer.  Only the
moments whose columns are given are evaluated.

Columns (equal-length 1-D; dates as ``datetime64[D]`` or ``datetime.date``,
missing as NaT/``None``):

=====================  ========================================================
credit alert           ``used``, ``allowance`` (fen); ``alert_since`` (the first reading of
                       the current alert, default ``as_of``)
usage anomaly          ``month_spend``, ``trailing_mean`` (fen, the floored mean of the
                       previous months, 0 without enough history), ``forwarded_share``
                       (0..1, optional), ``reading_on`` (default ``as_of``)
contract expiry        ``contract_ends_on``
birthday               ``birthday``
points expiry          ``expiring_points`` (points lapsing within the window),
                       ``expires_on`` (the first lot's expiry)
any moment             ``contacted_<moment>``: the last contact about it (closes the action)
=====================  ========================================================

>>> import numpy as np
>>> from datetime import date, timedelta
>>> import telcare as tc
>>> scan = tc.scan_moments(date(2010, 10, 4), used=[13_000, 15_000, 1_000], allowance=[15_000] * 3)
>>> scan.due[tc.Moment.CREDIT_ALERT].tolist(), scan.colour.tolist()
([True, True, False], [1, 3, 0])
>>> scan.status_names(tc.Moment.CREDIT_ALERT).tolist()
['open', 'open', '']
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import column, int_column, one_of
from telcare._core.columns import Column
from telcare._core.display import frame_from_columns, summary_html, summary_text
from telcare._core.errors import InvalidInput
from telcare._core.label_checks import local_days

__all__ = ["Columns", "Dates", "MomentScan", "When", "or_today"]

#: The name of each ``status`` code ('' for no action).
STATUS_NAMES = ("", "open", "done", "overdue")
_STATUS = np.array(STATUS_NAMES)
Dates = npt.NDArray[np.datetime64]
#: A date, or a column of them: what a moment's window helper takes in either form.
When = TypeVar("When", date, Dates)
Columns = Mapping[str, npt.NDArray[Any]]


@attrs.frozen(slots=True, eq=False)
class MomentScan:
    """Per snapshot moment: which customers are due, since when, by when, and the state.

    ``status`` codes are 0 (no action), 1 open, 2 done, 3 overdue; ``colour`` is
    the credit alert's warning level: 0 none, 1 yellow, 2 orange, 3 red (``None``
    when not evaluated).
    """

    as_of: date
    due: dict[str, npt.NDArray[np.bool_]]
    opened_on: dict[str, Dates]
    due_by: dict[str, Dates]
    status: dict[str, npt.NDArray[np.int8]]
    colour: npt.NDArray[np.int8] | None

    def status_names(self, moment: str) -> npt.NDArray[np.str_]:
        """``status`` of ``moment`` (one the scan evaluated) as strings (``''`` where no action).

        >>> import telcare as tc
        >>> tc.scan_moments(date(2010, 10, 4), used=[0], allowance=[0]).status_names("birthday")
        Traceback (most recent call last):
        ...
        telcare._core.errors.InvalidInput: moment must be one of ('credit_alert',), got 'birthday'
        """
        keys = {str(k): k for k in self.status}  # a Moment is the str of its code
        return _STATUS[self.status[keys[one_of(moment, "moment", options=tuple(keys))]]]

    def to_dict(self) -> dict[str, list[Any]]:
        """One column per moment and field: ``<moment>_due``, ``_opened_on``, ``_due_by``, ``_status``."""
        out: dict[str, list[Any]] = {}
        for m in self.due:
            out[f"{m}_due"] = self.due[m].tolist()
            out[f"{m}_opened_on"] = self.opened_on[m].tolist()
            out[f"{m}_due_by"] = self.due_by[m].tolist()
            out[f"{m}_status"] = self.status_names(m).tolist()
        if self.colour is not None:
            out["credit_colour"] = self.colour.tolist()
        return out

    def to_frame(self, index: Any = None, ids: Any = None) -> Any:
        """A ``pandas.DataFrame`` with one row per customer (pandas must be installed),
        on ``index`` when given (pass the input frame's index so a join lines up), with
        the customers' ``ids`` as its first column ``id`` when given (one per row)."""
        return frame_from_columns(self.to_dict(), index, ids=ids)

    def _repr_html_(self) -> str:
        rows = [
            (str(m), ", ".join(f"{k} {v:,}" for k, v in c.items()))
            for m, c in self.counts().items()
        ]
        return summary_html(f"MomentScan as of {self.as_of}", rows)

    def __str__(self) -> str:
        n = len(next(iter(self.due.values()))) if self.due else 0
        rows = [("customers", n)] + [
            (str(m), ", ".join(f"{k} {v:,}" for k, v in c.items()))
            for m, c in self.counts().items()
        ]
        if self.colour is not None:
            levels = np.bincount(self.colour.astype(np.int64), minlength=4)
            rows.append(("credit colour", ", ".join(f"{name} {int(k):,}" for name, k in
                         zip(("yellow", "orange", "red"), levels[1:], strict=True))))  # fmt: skip
        return summary_text(f"MomentScan as of {self.as_of}", rows)

    def counts(self) -> dict[str, dict[str, int]]:
        """Open, done and overdue counts per evaluated moment."""
        return {
            m: {str(name): int((codes == i).sum()) for i, name in enumerate(_STATUS) if name}
            for m, codes in self.status.items()
        }


def _dates(values: Any, name: str, tz: str = "Asia/Shanghai") -> Dates:
    # no copy of a caller's column: scan_moments copies an outcome that shares its memory
    return local_days(values, name, tz, copy=False)


def _share_column(values: Any, name: str) -> npt.NDArray[np.float64]:
    arr = column(values, name, ndim=None)
    if arr.size == 0:
        return np.zeros(0)
    if arr.ndim != 1 or arr.dtype.kind not in "iuf" or arr.dtype == np.bool_:
        raise InvalidInput(
            f"{name} must be a 1-D column of shares in [0, 1], got dtype {arr.dtype}"
        )
    out = arr.astype(np.float64)
    bad = ~((out >= 0) & (out <= 1))
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidInput(f"{name} must hold shares in [0, 1], got {out[i].item()!r} at index {i}")
    return out


def _column(column: Column, values: Any, tz: str) -> npt.NDArray[Any]:
    """One input column, validated as its registry entry describes."""
    if column.kind == "date":
        return _dates(values, column.name, tz)
    if column.kind == "share":
        return _share_column(values, column.name)
    return int_column(values, column.name, minimum=column.minimum, maximum=column.maximum)


def or_today(columns: Columns, name: str, today: np.datetime64, like: str) -> Dates:
    if name in columns:
        return columns[name]
    # one stored day seen by every row (read-only, stride 0): no column of fresh memory
    return np.broadcast_to(today.astype("datetime64[D]"), (len(columns[like]),))
