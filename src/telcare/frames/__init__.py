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

try:
    import narwhals as nw
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError("telcare.frames needs narwhals: pip install 'telcare[frames]'") from exc


from telcare._core.checks import instance
from telcare._core.columns import BatchRule
from telcare._core.errors import InvalidInput
from telcare.engines import RULES, BookTotals
from telcare.frames._history import tier_inputs
from telcare.frames._read import (
    LOTS,
    Frame,
    arguments,
    as_frame,
    read_column,
    read_inputs as read_inputs,
)
from telcare.frames._write import attach, outputs
from telcare.policy import Policy, PolicySchedule, as_policy, resolve

__all__ = [*sorted(RULES), "tier_inputs"]


def _make(rule: BatchRule) -> Callable[..., Frame]:
    parameters = inspect.signature(rule.function).parameters
    takes_policy, takes_order = "policy" in parameters, "order" in parameters

    def run(frame: Frame, /, **kwargs: Any) -> Frame:
        df = as_frame(frame, rule.name)
        if rule.name == "scan_moments":
            policy = resolve(
                kwargs.pop("policy", None), "frames.scan_moments", as_of=kwargs.get("as_of")
            )
            return _scan(rule, df, kwargs, policy)
        given = kwargs.pop("policy", None)
        if isinstance(given, PolicySchedule) and rule.name.startswith("book_"):
            # a book rule takes a schedule with its as_of, as the book itself does
            policy = resolve(given, f"frames.{rule.name}", as_of=kwargs.get("as_of"))
        else:
            policy = given = as_policy(given, f"frames.{rule.name}")
        args = arguments(rule, df, kwargs, tz=policy.timezone)
        if rule.name == "rates_by_group":
            result = rule.function(**args, **kwargs)
            return nw.from_dict(
                {"group": result.keys, "numerator": result.numerator, "denominator": result.denominator,
                 "value": result.value, "low": result.low, "high": result.high},
                backend=df.implementation,
            ).to_native()  # fmt: skip
        if rule.name.startswith("book_"):  # the points book's lots, however many columns
            args |= {c: read_column(df, c, rule.name) for c in df.columns if c.startswith(LOTS)}
        extra: dict[str, Any] = {"policy": given} if takes_policy else {}
        if takes_order and not df.implementation.is_pandas():
            extra["order"] = "F"  # contiguous columns for Polars and PyArrow
        result = rule.function(**args, **kwargs, **extra)
        if isinstance(result, BookTotals):
            return result
        return attach(df, outputs(rule, result, df, policy))

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
    cols = {name: read_column(df, rename.get(name, name), "scan_moments", dates=kind == "date")
            for name, kind in sorted(kinds.items()) if rename.get(name, name) in df.columns}  # fmt: skip
    result = rule.function(as_of, policy=policy, moments=moments, **cols)
    return attach(df, outputs(rule, result, df, policy))


_GENERATED = {name: _make(rule) for name, rule in RULES.items()}
globals().update(_GENERATED)


def __getattr__(name: str) -> Callable[..., Frame]:  # pragma: no cover - for type checkers
    raise AttributeError(f"module 'telcare.frames' has no attribute {name!r}")
