"""The two tier inputs from a monthly spend history held in a frame, wide or long."""

from __future__ import annotations

from typing import Any

import narwhals as nw
import numpy as np
import numpy.typing as npt

from telcare._core.checks import instance, int_column, items
from telcare._core.errors import InvalidInput
from telcare.customers import mean_spend
from telcare.frames._read import Frame, as_frame, read_column
from telcare.frames._write import series
from telcare.policy import Policy, as_policy

__all__ = ["tier_inputs"]


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
    df = as_frame(frame, "tier_inputs")
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
    return df.with_columns(series(df, "avg_spend", avg),
                           series(df, "months", count.astype(np.int64))).to_native()  # fmt: skip


def _long_tier_inputs(df: Any, names: tuple[str, str, str], window: int) -> Frame:
    id, _, spend = names
    ids, when, amount = (read_column(df, c, "tier_inputs") for c in names)
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
