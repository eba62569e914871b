"""telcare on Dask (extra ``telcare[dask]``): batch rules per partition of a Dask DataFrame.

The batch functions are pure over columns, so ``map_partitions`` runs them
unchanged; the segment needs a global cut and runs in the passes of
:mod:`telcare.engines.partitioned`.  Columns are named by keyword arguments.

>>> import pandas as pd, dask.dataframe as dd
>>> frame = pd.DataFrame({"avg_spend": [55_000, 25_000, 8_000, 31_000], "months": [12] * 4})
>>> tiers = evaluate_tiers(dd.from_pandas(frame, npartitions=2))
>>> tiers.compute(scheduler="sync")["tier"].tolist()
['gold', 'vip', 'ordinary', 'silver']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

try:
    import dask.dataframe as dd
    from dask.base import compute
    from dask.delayed import delayed
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError("telcare.on_dask needs Dask: pip install 'telcare[dask]'") from exc

import numpy as np
import pandas as pd

from telcare.core.errors import InvalidInput
from telcare.engines.partitioned import (
    segment_admit,
    segment_assign,
    segment_cut,
    segment_ties,
    segment_value_counts,
)
from telcare.policy.model import Policy, as_policy
from telcare.rules.tiers import evaluate_tiers as _evaluate_tiers

__all__ = ["evaluate_tiers", "mid_high_end"]


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


def _tiers_of(part: pd.DataFrame, policy: Policy, cols: dict[str, str | None]) -> pd.DataFrame:
    batch = _evaluate_tiers(
        part[cols["avg_spend"]].to_numpy(),
        part[cols["months"]].to_numpy(),
        None if cols["current"] is None else part[cols["current"]].to_numpy(),
        None if cols["missed"] is None else part[cols["missed"]].to_numpy(),
        policy=policy,
    )
    out = part.copy()
    out["tier"] = batch.tier_codes()
    out["tier_index"] = batch.tier
    out["missed"] = batch.missed
    out["changed"] = batch.changed
    return out


def evaluate_tiers(
    frame: dd.DataFrame,
    *,
    policy: Policy | None = None,
    avg_spend: str = "avg_spend",
    months: str = "months",
    current: str | None = None,
    missed: str | None = None,
) -> dd.DataFrame:
    """The frame with ``tier``, ``tier_index``, ``missed`` and ``changed`` added, per partition."""
    frame = _dask_frame(frame, "evaluate_tiers")
    policy = as_policy(policy)
    cols = {"avg_spend": avg_spend, "months": months, "current": current, "missed": missed}
    meta = frame._meta.assign(
        tier=pd.Series(dtype=object), tier_index=pd.Series(dtype=np.int64),
        missed=pd.Series(dtype=np.int64), changed=pd.Series(dtype=bool),
    )  # fmt: skip
    return cast("dd.DataFrame", frame.map_partitions(_tiers_of, policy, cols, meta=meta))  # type: ignore[no-untyped-call]


def _gather(tasks: Iterable[Any]) -> tuple[Any, ...]:
    """Compute delayed tasks together with Dask's configured scheduler."""
    return cast(tuple[Any, ...], compute(*tasks))  # type: ignore[no-untyped-call]


def mid_high_end(
    frame: dd.DataFrame,
    *,
    share: Any = 0.10,
    avg_spend: str = "avg_spend",
    eligible: str = "eligible",
    tenure_days: str = "tenure_days",
    ids: str = "id",
) -> dd.Series:
    """Segment membership as a boolean Series, cut across the whole frame.

    The same answers as :func:`telcare.mid_high_end` on the collected columns,
    provided the ids are unique.  Computes twice before returning (the value
    counts, then the rows tied at the cut), with Dask's configured scheduler;
    only value counts and tied rows travel.
    """
    frame = _dask_frame(frame, "mid_high_end")
    parts = frame[[avg_spend, eligible, tenure_days, ids]].to_delayed()
    count = delayed(lambda p: segment_value_counts(p[avg_spend].to_numpy(), p[eligible].to_numpy()))
    cut = segment_cut(_gather(count(p) for p in parts), share)
    tied = delayed(
        lambda p: segment_ties(p[avg_spend].to_numpy(), p[eligible].to_numpy(), p[tenure_days].to_numpy(),
                               p[ids].to_numpy(), cut)
    )  # fmt: skip
    cut = segment_admit(_gather(tied(p) for p in parts), cut)
    members = frame.map_partitions(  # type: ignore[no-untyped-call]
        lambda p: pd.Series(
            segment_assign(p[avg_spend].to_numpy(), p[eligible].to_numpy(), p[ids].to_numpy(), cut),
            index=p.index, name="mid_high_end",
        ),
        meta=pd.Series(dtype=bool, name="mid_high_end"),
    )  # fmt: skip
    return cast("dd.Series", members)
