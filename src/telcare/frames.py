"""telcare's whole-base rules on data frames (extra ``telcare[frames]``, which brings narwhals).

Every rule of the registry (:data:`telcare.RULES`) has a function
here of the same name, generated from its row: it takes a pandas, Polars or
PyArrow table with named columns and returns a table of the same library with the
result columns added, rows in the same order and, for pandas, the same index.
Keyword arguments name the frame's columns where they differ from the rule's
(``evaluate_tiers(frame, avg_spend="avg_bill")``); an optional column is read
when the frame has it or a keyword names it.  Anything else (``policy``,
``share``, ``as_of``) goes to the rule.

- Tier, verification and status columns may hold labels (``"gold"``,
  ``"genuine"``, ``"active"``, text or categorical) or codes.
- Tiers come back labelled (pandas categorical, Polars enum, PyArrow dictionary),
  benefits as one boolean column per benefit.
- A missing value is refused with its column and row.

telcare names no frame library in its core: narwhals speaks to each.

>>> import pandas as pd
>>> import telcare.frames as tf
>>> frame = pd.DataFrame({"avg_spend": [55_000, 25_000, 8_000], "months": [12] * 3}, index=[7, 8, 9])
>>> out = tf.evaluate_tiers(frame)
>>> out["tier"].tolist(), out.index.tolist(), str(out["tier"].dtype)
(['gold', 'vip', 'ordinary'], [7, 8, 9], 'category')
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from telcare._core.checks import instance

try:
    import narwhals as nw
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError("telcare.frames needs narwhals: pip install 'telcare[frames]'") from exc

import numpy as np
import numpy.typing as npt

from telcare._core.checks import int_column, items
from telcare._core.columns import BatchRule
from telcare._core.errors import InvalidInput
from telcare.customers import mean_spend
from telcare.engines import RULES, BookBalances, BookTotals
from telcare.moments import MomentScan
from telcare.policy import BENEFIT_CODES, Policy, as_policy, resolve
from telcare.tiers import TierBatch

__all__ = [*sorted(RULES), "tier_inputs"]

Frame = Any


def _frame(native: object, function: str) -> Any:
    try:
        return nw.from_native(native, eager_only=True)
    except TypeError:
        raise InvalidInput(
            f"frames.{function} needs a pandas, Polars or PyArrow table, got "
            f"{type(native).__module__}.{type(native).__name__}"
        ) from None


def _read(
    frame: Any,
    column: str,
    function: str,
    *,
    dates: bool = False,
    keys: bool = False,
    needs: str = "",
) -> npt.NDArray[Any]:
    """A frame column as numpy, refusing missing values by row (a date column where the
    rule reads a missing date as "none", ``dates=True``, keeps them as NaT; a column of
    keys, ``keys=True``, keeps them as ``None``).  ``function``
    is the caller's qualified name (``frames.evaluate_tiers``), ``needs`` the columns it
    reads, for the message when ``column`` is not there."""
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
    if keys:  # a missing key is "no key" (it matches nothing): kept as None
        found = np.asarray(series.to_numpy())
        if plain or not series.null_count():
            return found
        out = found.astype(object)
        out[series.is_null().to_numpy()] = None
        return out
    if not plain and series.null_count():
        row = int(np.argmax(series.is_null().to_numpy()))
        raise InvalidInput(
            f"{_qualified(function)}: column {column!r} is missing a value at row {row}"
        )
    values: npt.NDArray[Any] = np.asarray(series.to_numpy())
    if series.dtype in (nw.Categorical, nw.Enum) and values.dtype.kind not in "iuf":
        labels: npt.NDArray[Any] = series.cast(nw.String).to_numpy().astype(object)
        return labels
    return values  # a categorical of codes (pandas, PyArrow) reads as the codes themselves


def _qualified(function: str) -> str:
    return function if "." in function else f"frames.{function}"


#: Columns whose missing values the rule reads as "no key" (never matching one another).
_KEYS = {"watch_list": ("id_numbers", "contact_phones", "addresses", "operator_ids")}
_LOTS = ("lot_", "reversible_", "pending_")  # the book's lot columns (tc.book_to_columns)


def _needs(rule: BatchRule) -> str:
    """The rule's input columns, for a message: ``avg_spend, eligible (optional: ids)``."""
    required = [c.name for c in rule.inputs if c.required]
    optional = [c.name for c in rule.inputs if not c.required]
    return ", ".join(required) + (f" (optional: {', '.join(optional)})" if optional else "")


def _labelled(frame: Any, name: str, codes: npt.NDArray[np.int64], labels: tuple[str, ...]) -> Any:
    """A categorical series of ``labels[codes]`` in the frame's own library."""
    impl = frame.implementation
    if impl.is_pandas():
        import pandas as pd

        native = frame.to_native()
        values = pd.Categorical.from_codes(codes, categories=list(labels), validate=False)
        return nw.from_native(
            pd.Series(values, index=native.index, name=name, copy=False), series_only=True
        )
    if impl.is_polars():
        import polars as pl

        enum = pl.Enum(list(labels))  # one row per label, gathered by code: no strings per row
        return nw.from_native(
            pl.Series(name, list(labels)).cast(enum).gather(codes), series_only=True
        )
    if impl.is_pyarrow():
        import pyarrow as pa

        array = pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), pa.array(list(labels)))
        return nw.from_native(pa.chunked_array([array]), series_only=True).alias(name)
    return nw.new_series(
        name, np.asarray(labels, dtype=object)[codes].tolist(), backend=impl
    )  # pragma: no cover


def _series(frame: Any, name: str, values: npt.NDArray[Any]) -> Any:
    impl = frame.implementation
    if impl.is_pandas():
        import pandas as pd

        native = frame.to_native()
        return nw.from_native(
            pd.Series(values, index=native.index, name=name, copy=False), series_only=True
        )
    return nw.new_series(name, values, backend=impl)


def _attach(frame: Any, outputs: list[Any]) -> Any:
    """The frame with ``outputs`` added (replacing columns of the same name), as a native frame."""
    if frame.implementation.is_pandas():
        import pandas as pd

        native = frame.to_native()
        added = pd.concat([o.to_native() for o in outputs], axis=1)  # series, or one block of them
        kept = native.drop(columns=[c for c in added.columns if c in native.columns])
        return pd.concat([kept, added], axis=1)
    return frame.with_columns(*outputs).to_native()


def _outputs(rule: BatchRule, result: Any, frame: Any, policy: Policy) -> list[Any]:
    """The rule's result as named series for the frame."""
    if isinstance(result, TierBatch):
        return [_labelled(frame, "tier", result.tier, result.codes), _series(frame, "missed", result.missed),
                _series(frame, "changed", result.changed),
                _labelled(frame, "qualified", result.qualified, result.codes)]  # fmt: skip
    if isinstance(result, MomentScan):
        states = ("", "open", "done", "overdue")
        out = []
        for m in result.due:
            out += [_series(frame, f"{m}_due", result.due[m]), _series(frame, f"{m}_due_by", result.due_by[m]),
                    _labelled(frame, f"{m}_status", result.status[m].astype(np.int64), states)]  # fmt: skip
        if result.colour is not None:
            out.append(_labelled(frame, "credit_colour", result.colour.astype(np.int64),
                                 ("none", "yellow", "orange", "red")))  # fmt: skip
        return out
    if isinstance(result, BookBalances):
        return [_series(frame, name, getattr(result, name)) for name in rule.outputs]
    array = np.asarray(result)
    if array.ndim == 2:  # one boolean column per benefit
        if frame.implementation.is_pandas():  # pandas keeps the matrix as one block: no copy
            import pandas as pd

            block = pd.DataFrame(
                array, index=frame.to_native().index, columns=list(BENEFIT_CODES), copy=False
            )
            return [nw.from_native(block, eager_only=True)]
        return [_series(frame, code, array[:, j]) for j, code in enumerate(BENEFIT_CODES)]
    return [_series(frame, rule.outputs[0], array)]


def _make(rule: BatchRule) -> Callable[..., Frame]:
    parameters = inspect.signature(rule.function).parameters
    takes_policy, takes_order = "policy" in parameters, "order" in parameters

    def run(frame: Frame, /, **kwargs: Any) -> Frame:
        df = _frame(frame, rule.name)
        if rule.name == "scan_moments":
            policy = resolve(
                kwargs.pop("policy", None), "frames.scan_moments", as_of=kwargs.get("as_of")
            )
            return _scan(rule, df, kwargs, policy)
        policy = as_policy(kwargs.pop("policy", None), f"frames.{rule.name}")
        args = _arguments(rule, df, kwargs)
        if rule.name == "rates_by_group":
            result = rule.function(**args, **kwargs)
            return nw.from_dict(
                {"group": result.keys, "numerator": result.numerator, "denominator": result.denominator,
                 "value": result.value, "low": result.low, "high": result.high},
                backend=df.implementation,
            ).to_native()  # fmt: skip
        if rule.name.startswith("book_"):  # the points book's lots, however many columns
            args |= {c: _read(df, c, rule.name) for c in df.columns if c.startswith(_LOTS)}
        extra: dict[str, Any] = {"policy": policy} if takes_policy else {}
        if takes_order and not df.implementation.is_pandas():
            extra["order"] = "F"  # contiguous columns for Polars and PyArrow
        result = rule.function(**args, **kwargs, **extra)
        if isinstance(result, BookTotals):
            return result
        return _attach(df, _outputs(rule, result, df, policy))

    columns = ", ".join(
        f"``{c.name}``" + ("" if c.required else " (optional)") for c in rule.inputs
    )
    run.__name__ = run.__qualname__ = rule.name
    run.__doc__ = (
        f"{rule.doc[:1].upper()}{rule.doc[1:]}, on a data frame: "
        f":func:`telcare.{rule.name}` per row.\n\n"
        + (f"Columns: {columns}; name others with keywords.  " if columns else "")
        + f"Adds: {', '.join(rule.outputs)}."
    )
    return run


def _arguments(
    rule: BatchRule, df: Any, kwargs: dict[str, Any], function: str = ""
) -> dict[str, Any]:
    """The rule's input columns read from the frame; a keyword names a column that differs
    (taken out of ``kwargs``), an optional column is read when present or named."""
    function = function or f"frames.{rule.name}"
    args: dict[str, Any] = {}
    for col in rule.inputs:
        given = kwargs.pop(col.name, None)
        source = given if given is not None else col.name
        source = instance(source, str, f"{function}: {col.name}= names a column, got {{value!r}}")
        if col.required or given is not None or source in df.columns:
            keys = col.name in _KEYS.get(rule.name, ())
            args[col.name] = _read(df, source, function, keys=keys, needs=_needs(rule))
    return args


def read_inputs(frame: Frame, rule: str, kwargs: dict[str, Any], function: str) -> dict[str, Any]:
    """The input columns of the registered ``rule`` read from a native ``frame`` exactly as
    the frames form reads them (the engines read each partition with it); the keywords
    naming columns are taken out of ``kwargs``.  ``function`` names the caller in messages."""
    return _arguments(RULES[rule], _frame(frame, rule), kwargs, function)


def _scan(rule: BatchRule, df: Any, kwargs: dict[str, Any], policy: Policy) -> Frame:
    as_of = kwargs.pop("as_of", None)
    as_of = instance(as_of, date, "frames.scan_moments needs as_of=, a date; got {value!r}")
    rename: Mapping[str, str] = kwargs.pop("columns", {}) or {}
    moments = kwargs.pop("moments", None)
    if kwargs:
        raise InvalidInput(f"frames.scan_moments: unknown arguments {sorted(kwargs)}")
    from telcare.moments import MOMENTS

    kinds = {
        c.name: c.kind for spec in (moments or MOMENTS) if spec.scan for c in spec.scan.columns
    }
    kinds |= {f"contacted_{spec.code}": "date" for spec in (moments or MOMENTS) if spec.scan}
    cols = {name: _read(df, rename.get(name, name), "scan_moments", dates=kind == "date")
            for name, kind in sorted(kinds.items()) if rename.get(name, name) in df.columns}  # fmt: skip
    result = rule.function(as_of, policy=policy, moments=moments, **cols)
    return _attach(df, _outputs(rule, result, df, policy))


_GENERATED = {name: _make(rule) for name, rule in RULES.items()}
globals().update(_GENERATED)


def __getattr__(name: str) -> Callable[..., Frame]:  # pragma: no cover - for type checkers
    raise AttributeError(f"module 'telcare.frames' has no attribute {name!r}")


def tier_inputs(
    frame: Frame,
    /,
    *,
    months: list[str] | None = None,
    id: str = "id",
    month: str = "month",
    spend: str = "spend",
    policy: Policy | None = None,
) -> Frame:
    """The two tier inputs from a monthly spend history, exactly as a
    :class:`~telcare.Customer` with that history gives them: the average of the
    last ``tiers.window_months`` billed months (floored to the fen) and how many
    there are.

    Wide: ``months`` names the spend columns oldest first; a missing value is a
    month not billed (before activation).  The frame comes back with
    ``avg_spend`` and ``months`` added.  Long: without ``months``, one row per
    ``id`` and billed ``month`` with its ``spend``; one row per id comes back, in
    order of first appearance.

    >>> import pandas as pd
    >>> import telcare.frames as tf
    >>> wide = pd.DataFrame({"m1": [None, 50_000], "m2": [30_000, 60_000], "m3": [31_000, 40_000]})
    >>> tf.tier_inputs(wide, months=["m1", "m2", "m3"])[["avg_spend", "months"]].values.tolist()
    [[30500, 2], [50000, 3]]
    >>> long = pd.DataFrame({"id": ["a", "a", "b"], "month": ["2010-10", "2010-11", "2010-11"],
    ...                      "spend": [30_000, 31_000, 9_000]})
    >>> tf.tier_inputs(long).values.tolist()
    [['a', 30500, 2], ['b', 9000, 1]]
    """
    df = _frame(frame, "tier_inputs")
    window = as_policy(policy).tiers.window_months
    if months is not None:
        return _wide_tier_inputs(df, items(months, "frames.tier_inputs: months", of=str), window)
    names = (id, month, spend)
    for key, name in zip(("id", "month", "spend"), names, strict=True):
        instance(name, str, f"frames.tier_inputs: {key}= names a column, got {{got}} {{value!r}}")
    return _long_tier_inputs(df, names, window)


def _month_spend(raw: npt.NDArray[Any], name: str, billed: npt.NDArray[np.bool_]) -> Any:
    """One wide spend column as int64, its gaps (months not billed) as 0.  Only a numeric
    column is filled (a float one writes its gaps as NaN); any other column is refused by
    :func:`int_column` as it stands, never filled with an int first (pandas warns on a
    text column and will raise)."""
    if raw.dtype.kind in "iuf":
        raw = np.where(billed, raw, 0)
    return int_column(raw, name)


def _wide_tier_inputs(df: Any, months: list[str], window: int) -> Frame:
    if not months:
        raise InvalidInput("frames.tier_inputs: months= names no column")
    for name in months:
        if name not in df.columns:
            raise InvalidInput(f"frames.tier_inputs: the frame has no column {name!r}")
    billed = np.column_stack([~df[name].is_null().to_numpy() for name in months])
    matrix = np.column_stack(
        [_month_spend(df[name].to_numpy(), name, billed[:, j]) for j, name in enumerate(months)]
    )
    # the last `window` billed months of each row, as Customer.monthly_spend[-window:]
    from_right = np.cumsum(billed[:, ::-1], axis=1)[:, ::-1]
    take = billed & (from_right <= window)
    count = take.sum(axis=1)
    total = np.where(take, matrix, 0).sum(axis=1)
    avg = mean_spend(total, count)
    return df.with_columns(_series(df, "avg_spend", avg),
                           _series(df, "months", count.astype(np.int64))).to_native()  # fmt: skip


def _long_tier_inputs(df: Any, names: tuple[str, str, str], window: int) -> Frame:
    id, _, spend = names
    ids, when, amount = (_read(df, c, "tier_inputs") for c in names)
    amount = int_column(amount, spend)
    order = np.lexsort((np.arange(len(ids)), when.astype(str), ids.astype(str)))
    sid, sam = ids[order], amount[order]
    starts = np.flatnonzero(np.r_[True, sid[1:] != sid[:-1]]) if len(sid) else np.zeros(0, np.int64)
    ends = np.r_[starts[1:], len(sid)]
    lo = np.maximum(starts, ends - window)  # each id's last `window` billed months
    cum = np.r_[0, np.cumsum(sam)]
    sums = cum[ends] - cum[lo]
    counts = ends - lo
    first: dict[Any, int] = {}
    for i, key in enumerate(ids.tolist()):
        first.setdefault(key, i)
    keys = sid[starts]
    rank = np.argsort([first[k] for k in keys.tolist()], kind="stable")
    out = {id: keys[rank], "avg_spend": mean_spend(sums, counts)[rank],
           "months": counts[rank].astype(np.int64)}  # fmt: skip
    return nw.from_dict(out, backend=df.implementation).to_native()
