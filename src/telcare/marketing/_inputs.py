"""The two inputs both matchers take beyond the built-in columns, checked once for
the whole base and the one customer alike: responses (a probability or uplift per
customer and offer) and the extra columns a gate of one's own reads.

>>> responses([0.3, np.float32(0.5)], "response").tolist()
[0.3, 0.5]
>>> responses([True], "response")
Traceback (most recent call last):
...
telcare._core.errors.InvalidInput: response must hold numbers, got bool True at index 0
>>> extra_column(np.array([0.2, None], dtype=object), "churn_risk")
Traceback (most recent call last):
...
telcare._core.errors.InvalidInput: columns['churn_risk'] is missing at index 1 (got None)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.checks import column, number
from telcare._core.errors import InvalidInput
from telcare._core.label_checks import is_missing

__all__ = ["MAX_RESPONSE", "extra_column", "responses"]

#: The largest response (a probability, or an uplift in any unit) in absolute value.
MAX_RESPONSE = 1e6


def _first(arr: npt.NDArray[Any], bad: npt.NDArray[np.bool_]) -> tuple[int, Any]:
    i = int(np.argmax(bad))
    return i, arr[i].item() if hasattr(arr[i], "item") else arr[i]


def responses(values: Any, name: str) -> npt.NDArray[np.float64]:
    """A flat column of responses as float64: finite numbers within +/-1e6; booleans,
    text and missing values are refused by position (``number`` reads each object)."""
    if isinstance(values, list | tuple) and bools_among_numbers(values):
        values = np.array(values, dtype=object)  # numpy would read True as 1.0
    arr = column(values, name, ndim=None).reshape(-1)
    kind = arr.dtype.kind
    if kind == "O":
        for i, v in enumerate(arr.tolist()):
            if is_missing(v):
                raise InvalidInput(f"{name} is missing at index {i} (got {v!r})")
            if isinstance(v, bool | np.bool_) or not isinstance(
                v, int | float | np.integer | np.floating
            ):
                number(v, f"{name}[{i}]")  # a Decimal or Fraction passes; text is refused
        arr = np.array([float(v) for v in arr.tolist()], dtype=np.float64)
    elif kind == "b" and arr.size:
        i, v = _first(arr, np.ones(arr.shape, bool))
        raise InvalidInput(f"{name} must hold numbers, got bool {v!r} at index {i}")
    elif kind not in "iuf" and arr.size:
        raise InvalidInput(f"{name} must hold numbers, got {arr.dtype} values")
    out = arr.astype(np.float64)
    nan = np.isnan(out)
    if nan.any():
        i, v = _first(out, nan)
        raise InvalidInput(f"{name} is missing at index {i} (got {v!r})")
    bad = ~(np.abs(out) <= MAX_RESPONSE)
    if bad.any():
        i, v = _first(out, bad)
        raise InvalidInput(
            f"{name} must be finite and within +/-{MAX_RESPONSE:.0e}, got {v!r} at index {i}"
        )
    return out


def bools_among_numbers(values: list[Any] | tuple[Any, ...]) -> bool:
    items = [v for row in values for v in (row if isinstance(row, list | tuple) else [row])]
    kinds = [isinstance(v, bool | np.bool_) for v in items]
    return any(kinds) and not all(kinds)


def extra_column(values: Any, name: str) -> npt.NDArray[Any]:
    """An extra customer column a gate reads: numbers or booleans, none missing
    (a NaN would fail every comparison a gate makes, silently)."""
    shown = f"columns[{name!r}]"
    arr = column(values, shown)
    kind = arr.dtype.kind
    if kind == "O":
        missing = [i for i, v in enumerate(arr.tolist()) if is_missing(v)]
        if missing:
            raise InvalidInput(
                f"{shown} is missing at index {missing[0]} (got {arr[missing[0]]!r})"
            )
    if kind not in "biuf" and arr.size:
        first = arr[0].item() if hasattr(arr[0], "item") else arr[0]
        raise InvalidInput(
            f"{shown} must hold numbers or booleans, got {arr.dtype} values such as {first!r}"
        )
    if kind == "f":
        nan = np.isnan(arr)
        if nan.any():
            i, v = _first(arr, nan)
            raise InvalidInput(f"{shown} is missing at index {i} (got {v!r})")
    return arr
