"""telcare on Dask (extra ``telcare[dask]``): every whole-base rule on a Dask DataFrame.

Every rule of the registry (:data:`telcare.RULES`) has a function
here of the same name, generated from its row: the row-wise rules run the
DataFrame layer's function (:mod:`telcare.frames`) on each partition, so the
keywords, the labelled outputs (categorical tiers, a boolean column per benefit)
and the checks are those of the frames layer, and no partition builds a Python
object per row.  The global rules are exact: the segment's cut in the two passes
of :mod:`telcare.engines.partitioned`, ``rates_by_group`` as a tree reduction of
per-partition counts.

>>> import pandas as pd, dask.dataframe as dd
>>> frame = pd.DataFrame({"avg_spend": [55_000, 25_000, 8_000, 31_000], "months": [12] * 4})
>>> tiers = evaluate_tiers(dd.from_pandas(frame, npartitions=2))
>>> tiers.compute(scheduler="sync")["tier"].tolist()
['gold', 'vip', 'ordinary', 'silver']
>>> benefits = check_benefits(dd.from_pandas(pd.DataFrame({"tier": ["gold", "vip"], "segment_member": [False] * 2,
...     "plan_fee": [12_800, 5_800], "verification": ["genuine"] * 2, "status": ["active"] * 2}), npartitions=2))
>>> benefits.compute(scheduler="sync")["airport_boarding"].tolist()
[True, False]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

try:
    import dask.dataframe as dd
    from dask.base import compute
    from dask.delayed import delayed
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError("telcare.on_dask needs Dask: pip install 'telcare[dask]'") from exc

import numpy as np
import pandas as pd

import telcare.frames as _frames
from telcare._core.errors import InvalidInput
from telcare.benefits import busy_keys, shared_counts, shared_flags
from telcare.engines import RULES
from telcare.engines.partitioned import (
    SegmentColumns,
    segment_assign,
    segment_passes,
)
from telcare.metrics import GroupRates, rates_from_counts
from telcare.policy import Policy, as_policy

__all__ = sorted(RULES)


def _dask_frame(frame: object, function: str) -> dd.DataFrame:
    """``frame`` if it is a Dask DataFrame, else ``InvalidInput`` saying how to make one."""
    if not isinstance(frame, dd.DataFrame):
        hint = (
            "; wrap it with dask.dataframe.from_pandas(frame, npartitions=...), "
            f"or call telcare.{function} on its columns"
            if isinstance(frame, pd.DataFrame)
            else ""
        )
        raise InvalidInput(
            f"on_dask.{function} needs a dask DataFrame, got {type(frame).__module__}."
            f"{type(frame).__name__}{hint}"
        )
    return frame


def _row_rule(name: str) -> Any:
    """The Dask form of a row-wise rule: the frames layer's function on each partition."""
    function = getattr(_frames, name)

    def run(frame: dd.DataFrame, /, **kwargs: Any) -> dd.DataFrame:
        frame = _dask_frame(frame, name)
        meta = function(
            frame._meta, **kwargs
        )  # the empty frame gives the output's columns and dtypes
        return cast("dd.DataFrame", frame.map_partitions(function, **kwargs, meta=meta))  # type: ignore[no-untyped-call]

    run.__name__ = run.__qualname__ = name
    run.__doc__ = (
        f"Dask form of :func:`telcare.frames.{name}`: the same keywords and added columns, "
        "per partition.\n\n" + (function.__doc__ or "")
    )
    return run


def rates_by_group(
    frame: dd.DataFrame,
    /,
    *,
    groups: str = "groups",
    successes: str = "successes",
    trials: str | None = None,
    level: float = 0.95,
) -> GroupRates:
    """:func:`telcare.rates_by_group` over a Dask frame: per-partition sums per group,
    added in a tree; the intervals are computed once on the totals, so the answer is
    the single-process one exactly."""
    frame = _dask_frame(frame, "rates_by_group")
    columns = [groups, successes] + ([trials] if trials else [])
    part = frame[columns].assign(_trials=1 if trials is None else frame[trials])
    sums = part.groupby(groups).agg({successes: "sum", "_trials": "sum"}).compute()
    sums = sums.sort_index()
    return rates_from_counts(
        sums.index.to_numpy(), sums[successes].to_numpy(np.int64), sums["_trials"].to_numpy(np.int64),
        level=level,
    )  # fmt: skip


def watch_list(
    frame: dd.DataFrame,
    /,
    *,
    id_numbers: str = "id_numbers",
    contact_phones: str = "contact_phones",
    addresses: str = "addresses",
    operator_ids: str = "operator_ids",
    batch_entered: str | None = None,
    handset_bundled: str | None = None,
    policy: Policy | None = None,
) -> dd.DataFrame:
    """:func:`telcare.watch_list` over a Dask frame, with a ``watch`` column added.

    Sharing is counted across the whole base, not per partition: one pass of value
    counts per key column (tree-reduced), then each partition flags its rows whose
    key is over the threshold, so the answer is the single-process one.
    """
    frame = _dask_frame(frame, "watch_list")
    rules = as_policy(policy).verification
    keys = {id_numbers: rules.shared_threshold, contact_phones: rules.shared_threshold,
            addresses: rules.shared_threshold, operator_ids: rules.operator_threshold}  # fmt: skip
    parts = frame[list(keys)].to_delayed()
    count = delayed(lambda p, c: shared_counts(_keys_of(p[c]), c))
    counted = _gather(count(p, c) for c in keys for p in parts)
    k = len(parts)
    busy = {c: busy_keys(counted[i * k : (i + 1) * k], threshold)
            for i, (c, threshold) in enumerate(keys.items())}  # fmt: skip
    signals = [c for c in (batch_entered, handset_bundled) if c is not None]

    def flag(part: pd.DataFrame) -> pd.DataFrame:
        out = np.zeros(len(part), dtype=bool)
        for column, values in busy.items():
            out |= shared_flags(_keys_of(part[column]), column, values)
        for column in signals:
            out |= part[column].to_numpy(dtype=bool)
        return part.assign(watch=out)

    meta = frame._meta.assign(watch=pd.Series(dtype=bool))
    return cast("dd.DataFrame", frame.map_partitions(flag, meta=meta))  # type: ignore[no-untyped-call]


def _keys_of(values: pd.Series) -> Any:
    """A key column as numpy; pandas' own string and nullable types give missing as ``None``."""
    if isinstance(values.dtype, np.dtype):
        return values.to_numpy()
    return values.to_numpy(dtype=object, na_value=None)


def _gather(tasks: Iterable[Any]) -> tuple[Any, ...]:
    """Compute delayed tasks together with Dask's configured scheduler."""
    return cast(tuple[Any, ...], compute(*tasks))  # type: ignore[no-untyped-call]


def mid_high_end(
    frame: dd.DataFrame,
    /,
    *,
    share: Any = 0.10,
    avg_spend: str = "avg_spend",
    eligible: str = "eligible",
    tenure_days: str = "tenure_days",
    ids: str = "id",
) -> dd.DataFrame:
    """The frame with a boolean ``mid_high_end`` column, cut across the whole frame.

    The same answers as :func:`telcare.mid_high_end` on the collected columns,
    provided the ids are unique; the column is added inside each partition, like every
    other rule's, so no alignment of two Dask collections is needed.  Computes twice before returning (the spend
    histograms, then the customers in the bin that holds the cut), with Dask's
    configured scheduler; only histograms and those few customers travel.
    """
    frame = _dask_frame(frame, "mid_high_end")
    parts = frame[[avg_spend, eligible, tenure_days, ids]].to_delayed()
    names = (avg_spend, eligible, tenure_days, ids)

    def each(step: Callable[[SegmentColumns], Any]) -> list[Any]:
        task = delayed(lambda p: step(tuple(p[name].to_numpy() for name in names)))
        return list(_gather(task(p) for p in parts))

    cut = segment_passes(each, share)
    members = frame.map_partitions(  # type: ignore[no-untyped-call]
        lambda p: p.assign(mid_high_end=segment_assign(
            p[avg_spend].to_numpy(), p[eligible].to_numpy(), p[ids].to_numpy(), cut)),
        meta=frame._meta.assign(mid_high_end=pd.Series(dtype=bool)),
    )  # fmt: skip
    return cast("dd.DataFrame", members)


for _name in RULES:
    if _name not in ("mid_high_end", "rates_by_group", "watch_list"):  # the global ones are above
        globals()[_name] = _row_rule(_name)


def __getattr__(name: str) -> Any:  # pragma: no cover - for type checkers
    raise AttributeError(f"module 'telcare.on_dask' has no attribute {name!r}")
