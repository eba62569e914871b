"""The snapshot moments for a whole base at once.

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

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core import kernels
from telcare._core.checks import column, int_column, row_blocks
from telcare._core.columns import Column
from telcare._core.dates import local_date
from telcare._core.display import frame_from_columns, summary_html
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_DATE, MAX_FEN, MAX_POINTS, MIN_DATE
from telcare.compiled import compile_policy
from telcare.moments._spec import ScanResult, SnapshotScan
from telcare.policy import Moment, Policy

__all__ = ["SCANS", "MomentScan"]

_STATUS = np.array(["", "open", "done", "overdue"])
Dates = npt.NDArray[np.datetime64]
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
        """``status`` of ``moment`` as strings (``''`` where no action)."""
        return _STATUS[self.status[moment]]

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

    def to_frame(self, index: Any = None) -> Any:
        """A ``pandas.DataFrame`` with one row per customer (pandas must be installed),
        on ``index`` when given (pass the input frame's index so a join lines up)."""
        return frame_from_columns(self.to_dict(), index)

    def _repr_html_(self) -> str:
        rows = [
            (str(m), ", ".join(f"{k} {v:,}" for k, v in c.items()))
            for m, c in self.counts().items()
        ]
        return summary_html(f"MomentScan as of {self.as_of}", rows)

    def counts(self) -> dict[str, dict[str, int]]:
        """Open, done and overdue counts per evaluated moment."""
        return {
            m: {name: int((codes == i).sum()) for i, name in enumerate(_STATUS) if name}
            for m, codes in self.status.items()
        }


_FIRST, _LAST = np.datetime64(MIN_DATE, "D"), np.datetime64(MAX_DATE, "D")


def _local_days(values: Any, name: str, tz: str) -> Any:
    """Dates as ``due_actions`` sees them: an aware timestamp becomes its calendar date in
    the policy's time zone; a naive one with a time of day is refused, being ambiguous."""
    if isinstance(values, np.ma.MaskedArray):
        return values  # the column check refuses a masked entry by name
    dtype = getattr(values, "dtype", None)
    if getattr(dtype, "tz", None) is not None:  # a tz-aware pandas Series or Index
        if hasattr(values, "dt"):  # a Series
            values = values.dt.tz_convert(tz).dt.tz_localize(None)
        else:  # an Index
            values = values.tz_convert(tz).tz_localize(None)
        return np.asarray(values, dtype="datetime64[D]")
    if getattr(dtype, "kind", None) == "M" or (
        isinstance(values, np.ndarray) and values.dtype.kind != "O"
    ):  # numpy dates or timestamps, or a naive pandas datetime column
        arr = np.asarray(values)
    elif isinstance(values, str | bytes) or not isinstance(values, Iterable):
        return values  # a scalar: the column check refuses it by name
    else:
        items = list(values)
        if any(isinstance(x, datetime) for x in items):
            return np.array(
                [local_date(x, tz, name=f"{name}[{i}]") if isinstance(x, datetime) else x
                 for i, x in enumerate(items)],
                dtype="datetime64[D]",
            )  # fmt: skip
        return values
    # Units of a day or coarser cannot hold a time of day: no pass over them is needed.
    if arr.dtype.kind == "M" and np.datetime_data(arr.dtype)[0] not in ("D", "W", "M", "Y"):
        days = arr.astype("datetime64[D]")
        timed = ~np.isnat(arr) & (days != arr)
        if timed.any():
            i = int(np.argmax(timed))
            raise InvalidInput(
                f"{name} holds the naive timestamp {arr[i]} at index {i}; give dates, or "
                "timezone-aware timestamps that telcare reads in the policy's time zone"
            )
        return days
    return arr


def _dates(values: Any, name: str, tz: str = "Asia/Shanghai") -> Dates:
    raw = column(_local_days(values, name, tz), name)  # a mask or a shape is refused by name
    try:
        arr = raw.astype("datetime64[D]")
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidInput(f"{name} must hold dates, got {exc}") from None
    outside = (arr < _FIRST) | (arr > _LAST)  # NaT compares False: a missing date stays
    if outside.any():
        i = int(np.argmax(outside))
        raise InvalidInput(
            f"{name} must hold dates between {MIN_DATE} and {MAX_DATE}, got {arr[i]} at index {i}"
        )
    return arr


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


def _or_today(columns: Columns, name: str, today: np.datetime64, like: str) -> Dates:
    if name in columns:
        return columns[name]
    return np.full(len(columns[like]), today, dtype="datetime64[D]")


# ------------------------------------------------------- built-in snapshot moments


def _credit_alert(columns: Columns, today: np.datetime64, policy: Policy) -> ScanResult:
    cm = compile_policy(policy).moments
    used, allowance = columns["used"], columns["allowance"]
    colour = np.empty(len(used), dtype=np.int8)
    for rows in row_blocks(len(used)):  # the kernel's int64 temporaries stay in the cache
        colour[rows] = kernels.credit_colour(used[rows], allowance[rows], cm.credit_levels)
    opened, due_by = kernels.window_after(
        _or_today(columns, "alert_since", today, "used"), policy.moments.credit_alert_days
    )
    return colour, opened, due_by


def _usage_anomaly(columns: Columns, today: np.datetime64, policy: Policy) -> ScanResult:
    cm = compile_policy(policy).moments
    hit = kernels.usage_drop(columns["month_spend"], columns["trailing_mean"], cm.anomaly_drop)
    if "forwarded_share" in columns:
        hit = hit | kernels.forwarding_high(columns["forwarded_share"], cm.forwarding_share)
    opened, due_by = kernels.window_after(
        _or_today(columns, "reading_on", today, "month_spend"), policy.moments.anomaly_days
    )
    return hit, opened, due_by


def _contract_expiry(columns: Columns, today: np.datetime64, policy: Policy) -> ScanResult:
    ends = columns["contract_ends_on"]
    m = policy.moments
    opened, due_by = kernels.window_before(ends, m.contract_days_before, m.contract_lead_days)
    return ~np.isnat(ends) & (opened <= today), opened, due_by


#: Birthdays are looked up by month and day; days spanning more than this are
#: converted one by one instead of through a table of the whole span.
_SPAN_TABLE_DAYS = 200 * 366


def _month_day_keys(days: Dates) -> npt.NDArray[np.int64]:
    """:func:`~telcare._core.kernels.birthday_key` of each date.

    Calendar conversions in numpy are slow, so when the dates span at most
    two centuries only the distinct days of the span are converted and gathered.
    """
    as_int = days.astype(np.int64)
    low, high = int(as_int.min()), int(as_int.max())
    span = (
        days if high - low > _SPAN_TABLE_DAYS else np.arange(low, high + 1).astype("datetime64[D]")
    )
    months = span.astype("datetime64[M]")
    keys = kernels.birthday_key(
        months.astype(np.int64) % 12 + 1,
        (span - months.astype("datetime64[D]")).astype(np.int64) + 1,
    )
    if high - low > _SPAN_TABLE_DAYS:
        direct: npt.NDArray[np.int64] = keys
        return direct
    gathered: npt.NDArray[np.int64] = keys[as_int - low]
    return gathered


def _birthday(columns: Columns, today: np.datetime64, policy: Policy) -> ScanResult:
    birthday = columns["birthday"]
    days_before = policy.moments.birthday_days_before
    when = np.full(len(birthday), np.datetime64("NaT", "D"), dtype="datetime64[D]")
    present = ~np.isnat(birthday)
    if present.any():
        table = np.full(12 * 32, np.datetime64("NaT", "D"), dtype="datetime64[D]")
        for key, day in kernels.birthday_lookup(today.astype(date), days_before).items():
            table[key] = day
        when[present] = table[_month_day_keys(birthday[present])]
    return ~np.isnat(when), kernels.shift_days(when, -days_before), when


def _points_expiry(columns: Columns, today: np.datetime64, policy: Policy) -> ScanResult:
    expires = columns["expires_on"]
    m = policy.moments
    window = kernels.shift_days(today, m.points_expiry_days)
    due = (columns["expiring_points"] > 0) & (today <= expires) & (expires <= window)
    opened, due_by = kernels.points_expiry_window(
        expires, m.points_expiry_days, m.points_expiry_contact_days
    )
    return due, opened, due_by


SCANS: Mapping[Moment, SnapshotScan] = {
    Moment.CREDIT_ALERT: SnapshotScan(
        (Column("used", "int", 0, MAX_FEN, doc="usage or arrears in fen"),
         Column("allowance", "int", 0, MAX_FEN, doc="the credit allowance in fen"),
         Column("alert_since", "date", required=False, doc="first reading of the alert")),
        _credit_alert,
    ),
    Moment.USAGE_ANOMALY: SnapshotScan(
        (Column("month_spend", "int", 0, MAX_FEN, doc="this month's spend in fen"),
         Column("trailing_mean", "int", 0, MAX_FEN, doc="floored mean of the previous months"),
         Column("forwarded_share", "share", required=False, doc="share of calls forwarded"),
         Column("reading_on", "date", required=False, doc="day of the reading")),
        _usage_anomaly,
    ),
    Moment.CONTRACT_EXPIRY: SnapshotScan(
        (Column("contract_ends_on", "date", doc="the contract's or offer's last day"),),
        _contract_expiry,
    ),
    Moment.BIRTHDAY: SnapshotScan((Column("birthday", "date", doc="date of birth"),), _birthday),
    Moment.POINTS_EXPIRY: SnapshotScan(
        (Column("expiring_points", "int", minimum=0, maximum=MAX_POINTS,
                doc="points lapsing within the window"),
         Column("expires_on", "date", doc="the first lot's expiry")),
        _points_expiry,
    ),
}  # fmt: skip
