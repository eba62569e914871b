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
([True, True, False], [1, 2, 0])
>>> scan.status_names(tc.Moment.CREDIT_ALERT).tolist()
['open', 'open', '']
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._arrays import int_column, same_length
from telcare._display import frame_from_columns, summary_html
from telcare.catalogue import Moment
from telcare.dates import require_date
from telcare.errors import InvalidInput
from telcare.policy import MomentsPolicy, Policy, as_policy

__all__ = ["SNAPSHOT_MOMENTS", "MomentScan", "scan_moments"]

SNAPSHOT_MOMENTS = (
    Moment.CREDIT_ALERT,
    Moment.USAGE_ANOMALY,
    Moment.CONTRACT_EXPIRY,
    Moment.BIRTHDAY,
    Moment.POINTS_EXPIRY,
)
_STATUS = np.array(["", "open", "done", "overdue"])
Dates = npt.NDArray[np.datetime64]

_VALUE_COLUMNS = {
    "used", "allowance", "alert_since", "month_spend", "trailing_mean", "forwarded_share",
    "reading_on", "contract_ends_on", "birthday", "expiring_points", "expires_on",
}  # fmt: skip
_CONTACT_COLUMNS = {f"contacted_{m.value}": m for m in SNAPSHOT_MOMENTS}


@attrs.frozen(slots=True, eq=False)
class MomentScan:
    """Per snapshot moment: which customers are due, since when, by when, and the state.

    ``status`` codes are 0 (no action), 1 open, 2 done, 3 overdue; ``colour`` is
    the credit alert's 0 none, 1 yellow, 2 red (``None`` when not evaluated).
    """

    as_of: date
    due: dict[Moment, npt.NDArray[np.bool_]]
    opened_on: dict[Moment, Dates]
    due_by: dict[Moment, Dates]
    status: dict[Moment, npt.NDArray[np.int8]]
    colour: npt.NDArray[np.int8] | None

    def status_names(self, moment: Moment) -> npt.NDArray[np.str_]:
        """``status`` of ``moment`` as strings (``''`` where no action)."""
        return _STATUS[self.status[moment]]

    def to_dict(self) -> dict[str, list[Any]]:
        """One column per moment and field: ``<moment>_due``, ``_opened_on``, ``_due_by``, ``_status``."""
        out: dict[str, list[Any]] = {}
        for m in self.due:
            out[f"{m.value}_due"] = self.due[m].tolist()
            out[f"{m.value}_opened_on"] = self.opened_on[m].tolist()
            out[f"{m.value}_due_by"] = self.due_by[m].tolist()
            out[f"{m.value}_status"] = self.status_names(m).tolist()
        if self.colour is not None:
            out["credit_colour"] = self.colour.tolist()
        return out

    def to_frame(self) -> Any:
        """A ``pandas.DataFrame`` with one row per customer (pandas must be installed)."""
        return frame_from_columns(self.to_dict())

    def _repr_html_(self) -> str:
        rows = [
            (m.value, ", ".join(f"{k} {v:,}" for k, v in c.items()))
            for m, c in self.counts().items()
        ]
        return summary_html(f"MomentScan as of {self.as_of}", rows)

    def counts(self) -> dict[Moment, dict[str, int]]:
        """Open, done and overdue counts per evaluated moment."""
        return {
            m: {name: int((codes == i).sum()) for i, name in enumerate(_STATUS) if name}
            for m, codes in self.status.items()
        }


def _dates(values: Any, name: str) -> Dates:
    try:
        arr = np.asarray(values, dtype="datetime64[D]")
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{name} must hold dates, got {exc}") from None
    if arr.ndim != 1:
        raise InvalidInput(f"{name} must be a 1-D column, got shape {arr.shape}")
    return arr


def _share_column(values: Any, name: str) -> npt.NDArray[np.float64]:
    arr = np.asarray(values)
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


def _colours(
    used: npt.NDArray[np.int64], allowance: npt.NDArray[np.int64], m: MomentsPolicy
) -> npt.NDArray[np.int8]:
    out = np.zeros(len(used), dtype=np.int8)
    for code, share in ((1, m.credit_yellow), (2, m.credit_red)):
        f = Fraction(share)
        reached = used * f.denominator >= allowance * f.numerator
        out[(allowance > 0) & reached] = code
    out[(allowance <= 0) & (used > 0)] = 2
    return out


def _month_day_keys(days: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """``month0 * 32 + day0`` of each day (days since 1970-01-01).

    Calendar conversions in numpy are slow, so only the distinct days of the
    range are converted (a few tens of thousands for birthdays) and gathered.
    """
    low, high = int(days.min()), int(days.max())
    span = np.arange(low, high + 1).astype("datetime64[D]")
    months = span.astype("datetime64[M]")
    table = (months.astype(np.int64) % 12) * 32 + (span - months.astype("datetime64[D]")).astype(
        np.int64
    )
    keys: npt.NDArray[np.int64] = table[days - low]
    return keys


def _birthdays(
    birthday: Dates, as_of: date, days_before: int
) -> tuple[npt.NDArray[np.bool_], Dates]:
    """Customers whose birthday falls in [as_of, as_of + days_before], and that date."""
    when = np.full(len(birthday), np.datetime64("NaT"), dtype="datetime64[D]")
    present = ~np.isnat(birthday)
    if present.any():
        lookup = np.full(12 * 32, np.datetime64("NaT"), dtype="datetime64[D]")
        for offset in range(days_before, -1, -1):  # a loop over days of the window; earliest wins
            day = as_of + timedelta(days=offset)
            lookup[(day.month - 1) * 32 + day.day - 1] = day
            if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
                lookup[1 * 32 + 28] = day  # 29 February birthdays fall on 28 February
        when[present] = lookup[_month_day_keys(birthday[present].astype(np.int64))]
    return ~np.isnat(when), when


def scan_moments(as_of: date, *, policy: Policy | None = None, **columns: Any) -> MomentScan:
    """Evaluate the snapshot moments for a whole base; see the module documentation."""
    policy = as_policy(policy)
    require_date(as_of, "as_of")
    unknown = sorted(set(columns) - _VALUE_COLUMNS - set(_CONTACT_COLUMNS))
    if unknown:
        known = sorted(_VALUE_COLUMNS | set(_CONTACT_COLUMNS))
        raise InvalidInput(f"unknown columns {unknown}; scan_moments() takes {known}")
    m = policy.moments
    today = np.datetime64(as_of, "D")
    ints = {k: int_column(columns[k], k) for k in ("used", "allowance", "month_spend", "trailing_mean",
                                                   "expiring_points") if k in columns}  # fmt: skip
    dates = {k: _dates(columns[k], k) for k in ("alert_since", "reading_on", "contract_ends_on", "birthday",
                                                "expires_on") if k in columns}  # fmt: skip
    contacts = {
        _CONTACT_COLUMNS[k]: _dates(v, k) for k, v in columns.items() if k in _CONTACT_COLUMNS
    }
    shares = (
        {"forwarded_share": _share_column(columns["forwarded_share"], "forwarded_share")}
        if "forwarded_share" in columns
        else {}
    )
    n = same_length(
        **ints, **dates, **shares, **{f"contacted_{k.value}": v for k, v in contacts.items()}
    )

    def need(*names: str) -> None:
        missing = [x for x in names if x not in columns]
        if missing:
            raise InvalidInput(
                f"scan_moments() needs {missing} together with {[x for x in names if x in columns]}"
            )

    def dated(name: str) -> Dates:
        if name in dates:
            return dates[name]
        return np.full(n, today, dtype="datetime64[D]")

    due: dict[Moment, npt.NDArray[np.bool_]] = {}
    opened: dict[Moment, Dates] = {}
    deadline: dict[Moment, Dates] = {}
    colour = None
    if "used" in columns or "allowance" in columns:
        need("used", "allowance")
        colour = _colours(ints["used"], ints["allowance"], m)
        due[Moment.CREDIT_ALERT] = colour > 0
        opened[Moment.CREDIT_ALERT] = dated("alert_since")
        deadline[Moment.CREDIT_ALERT] = opened[Moment.CREDIT_ALERT] + np.timedelta64(
            m.credit_alert_days, "D"
        )
    if "month_spend" in columns or "trailing_mean" in columns:
        need("month_spend", "trailing_mean")
        drop = Fraction(m.anomaly_drop)
        mean = ints["trailing_mean"]
        hit = (mean > 0) & (
            ints["month_spend"] * drop.denominator <= mean * (drop.denominator - drop.numerator)
        )
        if "forwarded_share" in shares:
            hit |= shares["forwarded_share"] >= float(m.forwarding_share)
        due[Moment.USAGE_ANOMALY] = hit
        opened[Moment.USAGE_ANOMALY] = dated("reading_on")
        deadline[Moment.USAGE_ANOMALY] = opened[Moment.USAGE_ANOMALY] + np.timedelta64(
            m.anomaly_days, "D"
        )
    if "contract_ends_on" in columns:
        ends = dates["contract_ends_on"]
        deadline[Moment.CONTRACT_EXPIRY] = ends - np.timedelta64(m.contract_days_before, "D")
        opened[Moment.CONTRACT_EXPIRY] = deadline[Moment.CONTRACT_EXPIRY] - np.timedelta64(
            m.contract_lead_days, "D"
        )
        due[Moment.CONTRACT_EXPIRY] = ~np.isnat(ends) & (opened[Moment.CONTRACT_EXPIRY] <= today)
    if "birthday" in columns:
        hit, when = _birthdays(dates["birthday"], as_of, m.birthday_days_before)
        due[Moment.BIRTHDAY] = hit
        deadline[Moment.BIRTHDAY] = when
        opened[Moment.BIRTHDAY] = when - np.timedelta64(m.birthday_days_before, "D")
    if "expiring_points" in columns or "expires_on" in columns:
        need("expiring_points", "expires_on")
        expires = dates["expires_on"]
        window = np.timedelta64(m.points_expiry_days, "D")
        due[Moment.POINTS_EXPIRY] = (
            (ints["expiring_points"] > 0) & (today <= expires) & (expires <= today + window)
        )
        opened[Moment.POINTS_EXPIRY] = expires - window
        deadline[Moment.POINTS_EXPIRY] = np.minimum(
            expires,
            opened[Moment.POINTS_EXPIRY] + np.timedelta64(m.points_expiry_contact_days, "D"),
        )
    stray = sorted(k.value for k in contacts if k not in due)
    if stray:
        raise InvalidInput(f"contact columns given for moments not evaluated: {stray}")

    status: dict[Moment, npt.NDArray[np.int8]] = {}
    for moment, flags in due.items():
        codes = np.where(flags, np.where(today > deadline[moment], 3, 1), 0).astype(np.int8)
        if moment in contacts:
            codes[flags & (contacts[moment] >= opened[moment])] = 2
        status[moment] = codes
    return MomentScan(as_of, due, opened, deadline, status, colour)
