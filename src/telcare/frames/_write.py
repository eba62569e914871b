"""How the frames form writes a rule's result back: named series in the frame's own
library (labelled tiers as pandas categoricals, Polars enums or PyArrow dictionaries,
one boolean column per benefit), the input frame's rows and index kept."""

from __future__ import annotations

from typing import Any

import narwhals as nw
import numpy as np
import numpy.typing as npt

from telcare._core.columns import BatchRule
from telcare.engines import BookBalances
from telcare.moments import MomentScan
from telcare.policy import BENEFIT_CODES, Policy
from telcare.tiers import TierBatch

__all__ = ["attach", "outputs", "series"]


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


def series(frame: Any, name: str, values: npt.NDArray[Any]) -> Any:
    impl = frame.implementation
    if impl.is_pandas():
        import pandas as pd

        native = frame.to_native()
        return nw.from_native(
            pd.Series(values, index=native.index, name=name, copy=False), series_only=True
        )
    return nw.new_series(name, values, backend=impl)


def attach(frame: Any, outputs: list[Any]) -> Any:
    """The frame with ``outputs`` added (replacing columns of the same name), as a native frame."""
    if frame.implementation.is_pandas():
        import pandas as pd

        native = frame.to_native()
        added = pd.concat([o.to_native() for o in outputs], axis=1)  # series, or one block of them
        kept = native.drop(columns=[c for c in added.columns if c in native.columns])
        return pd.concat([kept, added], axis=1)
    return frame.with_columns(*outputs).to_native()


def outputs(rule: BatchRule, result: Any, frame: Any, policy: Policy) -> list[Any]:
    """The rule's result as named series for the frame."""
    if isinstance(result, TierBatch):
        return [_labelled(frame, "tier", result.tier, result.codes), series(frame, "missed", result.missed),
                series(frame, "changed", result.changed),
                _labelled(frame, "qualified", result.qualified, result.codes)]  # fmt: skip
    if isinstance(result, MomentScan):
        states = ("", "open", "done", "overdue")
        out = []
        for m in result.due:
            out += [series(frame, f"{m}_due", result.due[m]), series(frame, f"{m}_due_by", result.due_by[m]),
                    _labelled(frame, f"{m}_status", result.status[m].astype(np.int64), states)]  # fmt: skip
        if result.colour is not None:
            out.append(_labelled(frame, "credit_colour", result.colour.astype(np.int64),
                                 ("none", "yellow", "orange", "red")))  # fmt: skip
        return out
    if isinstance(result, BookBalances):
        return [series(frame, name, getattr(result, name)) for name in rule.outputs]
    array = np.asarray(result)
    if array.ndim == 2:  # one boolean column per benefit
        if frame.implementation.is_pandas():  # pandas keeps the matrix as one block: no copy
            import pandas as pd

            block = pd.DataFrame(
                array, index=frame.to_native().index, columns=list(BENEFIT_CODES), copy=False
            )
            return [nw.from_native(block, eager_only=True)]
        return [series(frame, code, array[:, j]) for j, code in enumerate(BENEFIT_CODES)]
    return [series(frame, rule.outputs[0], array)]
