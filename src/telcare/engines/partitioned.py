"""The pieces that let batch rules run per partition on a distributed engine.

Most batch functions are pure over columns, so an engine can apply them to
each partition on its own (see :mod:`telcare.on_dask`, :mod:`telcare.on_spark`).
The mid-to-high-end segment cannot: its top 10% is a cut across the whole
base.  It is done here in two passes, exactly:

1. each partition reports the value counts of its eligible customers' spend
   (:func:`segment_value_counts`); merged, they fix the cut value and how many
   customers tied at it are admitted (:func:`segment_cut`);
2. each partition reports its rows tied at the cut (:func:`segment_ties`, few);
   ordered by longer tenure then smaller id, the first ``need`` are admitted
   (:func:`segment_admit`);
3. each partition assigns membership (:func:`segment_assign`).

The answer equals :func:`telcare.mid_high_end` on the whole base, provided the
customer ids are unique (they break the last ties).

>>> import numpy as np
>>> spend = np.array([900, 500, 500, 100, 700, 500])
>>> parts = [slice(0, 3), slice(3, 6)]
>>> eligible, tenure, ids = np.ones(6, bool), np.array([1, 9, 2, 3, 4, 9]), np.arange(6)
>>> cut = segment_cut([segment_value_counts(spend[p], eligible[p]) for p in parts], share="0.5")
>>> cut.value, cut.need
(500, 1)
>>> cut = segment_admit([segment_ties(spend[p], eligible[p], tenure[p], ids[p], cut) for p in parts], cut)
>>> np.concatenate([segment_assign(spend[p], eligible[p], ids[p], cut) for p in parts]).tolist()
[True, True, False, False, True, False]
>>> from telcare import mid_high_end   # the single-process answer
>>> mid_high_end(spend, eligible, tenure_days=tenure, ids=ids, share="0.5").tolist()
[True, True, False, False, True, False]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare.core.checks import bool_column, int_column, same_length
from telcare.core.errors import InvalidInput
from telcare.rules.segment import _ids_column, segment_size

__all__ = [
    "SegmentCut",
    "segment_admit",
    "segment_assign",
    "segment_cut",
    "segment_ties",
    "segment_value_counts",
]

ValueCounts = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]
Ties = tuple[npt.NDArray[np.int64], npt.NDArray[Any]]


@attrs.frozen(slots=True, eq=False)
class SegmentCut:
    """The global cut: members spend more than ``value``, or exactly ``value`` and were admitted.

    ``k`` is the segment size, ``need`` how many of those tied at ``value`` get in;
    ``admitted`` the ids of the tied customers admitted (after :func:`segment_admit`).
    ``value`` is ``None`` when the segment is empty.
    """

    k: int
    eligible: int
    value: int | None
    need: int
    admitted: npt.NDArray[Any] | None = None


def segment_value_counts(avg_spend: Any, eligible: Any) -> ValueCounts:
    """Pass 1, per partition: distinct spend values of the eligible customers, with counts."""
    spend = int_column(avg_spend, "avg_spend")
    elig = bool_column(eligible, "eligible")
    same_length(avg_spend=spend, eligible=elig)
    values, counts = np.unique(spend[elig], return_counts=True)
    return values.astype(np.int64), counts.astype(np.int64)


def segment_cut(parts: Iterable[ValueCounts], share: Any = 0.10) -> SegmentCut:
    """Merge the partitions' value counts and find the cut value and the ties to admit."""
    pieces = list(parts)
    if not pieces:
        raise InvalidInput("segment_cut() needs the value counts of at least one partition")
    values = np.concatenate([np.asarray(v, dtype=np.int64) for v, _ in pieces])
    counts = np.concatenate([np.asarray(c, dtype=np.int64) for _, c in pieces])
    if values.shape != counts.shape:
        raise InvalidInput(f"values and counts differ in length: {values.shape} and {counts.shape}")
    eligible = int(counts.sum())
    k = segment_size(eligible, share)
    if k == 0:
        return SegmentCut(0, eligible, None, 0)
    distinct, inverse = np.unique(values, return_inverse=True)
    totals = np.bincount(inverse, weights=counts, minlength=len(distinct)).astype(np.int64)
    high_first = totals[::-1].cumsum()  # customers at or above each value, highest value first
    i = int(np.searchsorted(high_first, k))  # first value whose running total reaches k
    above = int(high_first[i - 1]) if i else 0
    return SegmentCut(k, eligible, int(distinct[::-1][i]), k - above)


def segment_ties(
    avg_spend: Any, eligible: Any, tenure_days: Any, ids: Any, cut: SegmentCut
) -> Ties:
    """Pass 2, per partition: (tenure, id) of the eligible customers tied at the cut value."""
    spend = int_column(avg_spend, "avg_spend")
    elig = bool_column(eligible, "eligible")
    tenure = int_column(tenure_days, "tenure_days")
    id_col = _ids_column(ids, len(spend))
    same_length(avg_spend=spend, eligible=elig, tenure_days=tenure, ids=id_col)
    if cut.value is None:
        return tenure[:0], id_col[:0]
    tied = elig & (spend == cut.value)
    return tenure[tied], id_col[tied]


def segment_admit(parts: Iterable[Ties], cut: SegmentCut) -> SegmentCut:
    """Order all tied customers (longer tenure, then smaller id) and admit the first ``need``."""
    pieces = list(parts)
    if cut.value is None:
        return attrs.evolve(cut, admitted=np.zeros(0, dtype=np.int64))
    tenure = np.concatenate([np.asarray(t, dtype=np.int64) for t, _ in pieces])
    ids = np.concatenate([np.asarray(i) for _, i in pieces])
    if len(np.unique(ids)) != len(ids):
        raise InvalidInput(
            "the customers tied at the cut share ids; the two-pass segment needs unique ids"
        )
    order = np.lexsort((ids, -tenure))
    return attrs.evolve(cut, admitted=ids[order[: cut.need]])


def segment_assign(
    avg_spend: Any, eligible: Any, ids: Any, cut: SegmentCut
) -> npt.NDArray[np.bool_]:
    """Pass 3, per partition: membership from the global cut."""
    spend = int_column(avg_spend, "avg_spend")
    elig = bool_column(eligible, "eligible")
    id_col = _ids_column(ids, len(spend))
    same_length(avg_spend=spend, eligible=elig, ids=id_col)
    if cut.value is None:
        return np.zeros(len(spend), dtype=np.bool_)
    if cut.admitted is None:
        raise InvalidInput(
            "segment_assign() needs the cut from segment_admit(), which names the admitted ties"
        )
    tied = elig & (spend == cut.value)
    admitted: npt.NDArray[np.bool_] = tied & np.isin(id_col, cut.admitted)
    return (elig & (spend > cut.value)) | admitted
