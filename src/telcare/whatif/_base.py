"""The customer base a what-if runs on: the columns the whole-base rules read,
checked once and aligned by row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.checks import bool_column, column, int_column, mapping, same_length
from telcare._core.errors import InvalidInput
from telcare._core.limits import (
    MAX_AVG_SPEND,
    MAX_BILL,
    MAX_COUNT,
    MAX_DAYS,
    MAX_FEN,
    MAX_POINTS,
)
from telcare.customers import AccountStatus, Verification

__all__ = ["I64", "Bools", "CustomerBase"]

I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


_SCALAR_LIMITS: dict[str, tuple[int, int]] = {
    "missed": (0, MAX_COUNT),
    "segment_spend": (0, MAX_AVG_SPEND),
    "tenure_days": (0, 10**6),
    "plan_fee": (0, MAX_FEN),
    "verification": (0, len(Verification) - 1),
    "status": (0, len(AccountStatus) - 1),
    "credit_level": (1, 1_000),
    "points_balance": (0, MAX_POINTS),
    "points_spent": (0, MAX_POINTS),
    "sms_last_hour": (0, MAX_COUNT),
    "days_over": (0, MAX_DAYS),
}

_TABLE_LIMITS: dict[str, int] = {
    "bills": MAX_BILL,
    "data_bills": MAX_BILL,
    "anniversary_years": 10_000,
}


def _table(value: Any, name: str, maximum: int | None) -> Any:
    array = column(value, name, ndim=None)
    if array.ndim != 2:
        raise InvalidInput(
            f"{name} must be a 2-D table (customers x months), got {array.ndim} dimension(s)"
        )
    flat = array.reshape(-1)
    if maximum is None:
        return bool_column(flat, name).reshape(array.shape)
    return int_column(flat, name, maximum=maximum).reshape(array.shape)


class CustomerBase:
    """The columns of a customer base that the whole-base rules read, aligned by row.

    Required: ``ids``, ``avg_spend`` (average monthly spend over the tier window,
    fen) and ``months`` (billed months in it).  Optional, each with the default
    a new base would have: ``tier`` (present tier codes; the ladder's floor),
    ``missed`` (0), ``segment_spend`` (last year's average for the segment;
    ``avg_spend``), ``tenure_days``, ``plan_fee`` (0), ``verification`` and
    ``status`` (integer codes; unverified, active), ``credit_level``; the
    period's bills for points as customers x months tables: ``bills`` (fen),
    ``data_bills`` (0), ``paid_on_time`` (all), ``anniversary_years`` (0);
    ``points_balance`` (points outstanding before the period, 0) and
    ``points_spent`` (points redeemed, lapsed or reversed in the period, held
    fixed under both policies; 0); ``start_avg_spend`` and ``start_months``
    together (the tier window's figures at the period's start: the bills earn
    points at the tier each policy gives from them, as a year's bills earn at
    the tier held through the year; without them, at the tier evaluated now);
    ``sms_last_hour`` (the spam guard's count, 0) and ``days_over`` (days each
    account has been over its allowance: with it, the delayed-suspension
    benefit the policy grants holds an account, as :func:`check_suspensions`
    does); and ``moment_columns``, the snapshot columns :func:`scan_moments`
    takes (an ``allowance`` column is derived from ``credit_level`` per policy
    when ``used`` is given without one).  Every column is checked on the way
    in; the base is immutable.
    """

    __slots__ = (
        "anniversary_years", "avg_spend", "bills", "credit_level", "data_bills", "days_over", "ids",
        "missed", "moment_columns", "months", "paid_on_time", "plan_fee", "points_balance",
        "points_spent", "points_tier", "segment_spend", "sms_last_hour", "status", "tenure_days",
        "tier", "verification",
    )  # fmt: skip
    ids: npt.NDArray[Any]
    avg_spend: I64
    months: I64
    tier: npt.NDArray[Any] | None
    missed: I64 | None
    segment_spend: I64 | None
    tenure_days: I64 | None
    plan_fee: I64 | None
    verification: I64 | None
    status: I64 | None
    credit_level: I64 | None
    bills: I64 | None
    data_bills: I64 | None
    paid_on_time: Bools | None
    anniversary_years: I64 | None
    points_balance: I64 | None
    points_spent: I64 | None
    points_tier: npt.NDArray[Any] | None
    sms_last_hour: I64 | None
    days_over: I64 | None
    moment_columns: Mapping[str, Any]

    def __init__(
        self,
        ids: Any,
        avg_spend: Any,
        months: Any,
        *,
        tier: Any = None,
        points_tier: Any = None,
        moment_columns: Mapping[str, Any] | None = None,
        **optional: Any,
    ) -> None:
        unknown = sorted(set(optional) - {*_SCALAR_LIMITS, *_TABLE_LIMITS, "paid_on_time"})
        if unknown:
            raise InvalidInput(f"CustomerBase has no column {unknown[0]!r}")
        values: dict[str, Any] = {
            "ids": column(ids, "ids"),
            "avg_spend": int_column(avg_spend, "avg_spend", maximum=MAX_AVG_SPEND),
            "months": int_column(months, "months", maximum=10_000),
            "tier": None if tier is None else column(tier, "tier"),
            "points_tier": None if points_tier is None else column(points_tier, "points_tier"),
        }
        for name, (low, high) in _SCALAR_LIMITS.items():
            given = optional.get(name)
            values[name] = (
                None if given is None else int_column(given, name, minimum=low, maximum=high)
            )
        tables_to_read: list[tuple[str, int | None]] = [
            *_TABLE_LIMITS.items(),
            ("paid_on_time", None),
        ]
        for name, most in tables_to_read:
            given = optional.get(name)
            values[name] = None if given is None else _table(given, name, most)
        n = same_length(**{k: v for k, v in values.items() if v is not None and v.ndim == 1})
        tables = {k: v for k, v in values.items() if v is not None and v.ndim == 2}
        if tables and values["bills"] is None:
            raise InvalidInput(f"{sorted(tables)} describe bills: give bills too")
        for name, table in tables.items():
            if table.shape != (n, values["bills"].shape[1]):
                raise InvalidInput(
                    f"{name} must have shape {(n, values['bills'].shape[1])} like bills, got {table.shape}"
                )
        if moment_columns is None:
            moment_columns = {}
        moment_columns = mapping(
            moment_columns,
            "moment_columns must map scan_moments() column names to columns, got {got}",
        )
        values["moment_columns"] = dict(moment_columns)
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"CustomerBase is immutable; build a new one to change {name}")

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        required = ("ids", "avg_spend", "months", "moment_columns")
        given = [n for n in self.__slots__ if n not in required and getattr(self, n) is not None]
        return f"CustomerBase({len(self):,} customers; columns: ids, avg_spend, months, {', '.join(given)})"
