"""How the frames form reads a rule's input columns from a pandas, Polars or PyArrow
table: every column through one reader, a missing value refused with its column and
row unless the rule's row lets the column hold it (:attr:`telcare.Column.missing`)."""

from __future__ import annotations

from typing import Any

import narwhals as nw
import numpy as np
import numpy.typing as npt

from telcare._core.checks import instance
from telcare._core.columns import BatchRule
from telcare._core.errors import InvalidInput
from telcare.engines import RULES
from telcare.policy import as_policy

__all__ = ["LOTS", "Frame", "arguments", "as_frame", "read_column", "read_inputs"]

Frame = Any


def as_frame(native: object, function: str) -> Any:
    try:
        return nw.from_native(native, eager_only=True)
    except TypeError:
        raise InvalidInput(
            f"frames.{function} needs a pandas, Polars or PyArrow table, got "
            f"{type(native).__module__}.{type(native).__name__}"
        ) from None


def read_column(
    frame: Any,
    column: str,
    function: str,
    *,
    dates: bool = False,
    missing: bool = False,
    tz: str | None = None,
    needs: str = "",
) -> Any:
    """A frame column as numpy, refusing missing values by row unless ``missing`` (the
    rule reads them: a missing key is kept as ``None``, a missing day as the rule's
    own check reads it).  With ``tz`` the column holds days, read as the rule reads
    days (:func:`_days`); ``dates=True`` (the snapshot scan's columns) reads it as
    ``datetime64[D]``, a missing date as NaT.  ``function`` is the caller's qualified
    name (``frames.evaluate_tiers``), ``needs`` the columns it reads, for the message
    when ``column`` is not there."""
    if column not in frame.columns:
        raise InvalidInput(
            f"{_qualified(function)}: the frame has no column {column!r}"
            + (f"; needs {needs}" if needs else "")
            + f"; columns: {frame.columns}"
        )
    series = frame[column]
    native = series.to_native()
    # a numpy-backed pandas column of ints or booleans cannot hold a missing value
    plain = (
        frame.implementation.is_pandas()
        and getattr(native.dtype, "kind", "") in "iub"
        and not hasattr(native.dtype, "na_value")
    )
    if dates:
        return np.asarray(series.to_numpy()).astype("datetime64[D]")
    if not missing and not plain and series.null_count():
        row = int(np.argmax(series.is_null().to_numpy()))
        raise InvalidInput(
            f"{_qualified(function)}: column {column!r} is missing a value at row {row}"
        )
    if tz is not None:
        return _days(frame, series, tz)
    values: npt.NDArray[Any] = np.asarray(series.to_numpy())
    if missing and not plain and series.null_count():  # a missing key: kept as None
        out = values.astype(object)
        out[series.is_null().to_numpy()] = None
        return out
    if series.dtype in (nw.Categorical, nw.Enum) and values.dtype.kind not in "iuf":
        labels: npt.NDArray[Any] = series.cast(nw.String).to_numpy().astype(object)
        return labels
    return values  # a categorical of codes (pandas, PyArrow) reads as the codes themselves


def _days(frame: Any, series: Any, tz: str) -> Any:
    """A column of days for the rule's own check of days, which reads it as the numpy
    form does: pandas' column itself (a tz-aware one is read in ``tz`` there), else
    numpy, an aware timestamp taken first to its day in ``tz`` (never its UTC day)."""
    if frame.implementation.is_pandas():
        return series.to_native()
    dtype = series.dtype
    if isinstance(dtype, nw.Datetime) and dtype.time_zone is not None:
        series = series.dt.convert_time_zone(tz).dt.replace_time_zone(None).dt.date()
    return np.asarray(series.to_numpy())


def _qualified(function: str) -> str:
    return function if "." in function else f"frames.{function}"


LOTS = ("lot_", "reversible_", "pending_")  # the book's lot columns (tc.book_to_columns)


def _needs(rule: BatchRule) -> str:
    """The rule's input columns, for a message: ``avg_spend, eligible (optional: ids)``."""
    required = [c.name for c in rule.inputs if c.required]
    optional = [c.name for c in rule.inputs if not c.required]
    return ", ".join(required) + (f" (optional: {', '.join(optional)})" if optional else "")


def arguments(
    rule: BatchRule, df: Any, kwargs: dict[str, Any], function: str = "", tz: str | None = None
) -> dict[str, Any]:
    """The rule's input columns read from the frame; a keyword names a column that differs
    (taken out of ``kwargs``), an optional column is read when present or named.  Days
    are read in ``tz`` (the policy's time zone; by default the default policy's)."""
    function = function or f"frames.{rule.name}"
    days = tz or as_policy(None).timezone
    args: dict[str, Any] = {}
    for col in rule.inputs:
        given = kwargs.pop(col.name, None)
        source = given if given is not None else col.name
        source = instance(source, str, f"{function}: {col.name}= names a column, got {{value!r}}")
        if col.required or given is not None or source in df.columns:
            args[col.name] = read_column(
                df, source, function, missing=col.missing, needs=_needs(rule),
                tz=days if col.kind == "date" else None,
            )  # fmt: skip
    return args


def read_inputs(frame: Frame, rule: str, kwargs: dict[str, Any], function: str) -> dict[str, Any]:
    """The input columns of the registered ``rule`` read from a native ``frame`` exactly as
    the frames form reads them (the engines read each partition with it); the keywords
    naming columns are taken out of ``kwargs``.  ``function`` names the caller in messages."""
    return arguments(RULES[rule], as_frame(frame, rule), kwargs, function)
