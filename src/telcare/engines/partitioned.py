"""The pieces that let batch rules run per partition on a distributed engine.

Most batch functions are pure over columns, so an engine can apply them to
each partition on its own (see :mod:`telcare.on_dask`, :mod:`telcare.on_spark`).
The mid-to-high-end segment cannot: its top 10% is a cut across the whole
base.  It is done here in passes, exactly, with the kernels
:func:`telcare.mid_high_end` itself runs in one process:

1. each partition reports a histogram of its eligible customers' spend
   (:func:`segment_histogram`, bins of 2.56 yuan); added up, they give the
   segment size and the bin that holds the cut (:func:`segment_cut`);
2. each partition reports its eligible customers in that bin
   (:func:`segment_candidates`, few: spend, tenure and id); ranked by higher
   spend, longer tenure, then smaller id, the first ones fill the places the
   customers above the bin leave (:func:`segment_admit`), which fixes the cut
   value and the ids admitted at exactly that value;
3. each partition marks its members (:func:`segment_assign`).

Each pass is linear in the partition's rows (no sort of a partition).  The
answer equals :func:`telcare.mid_high_end` on the whole base, provided the
customer ids are unique (they break the last ties).

>>> import numpy as np
>>> spend = np.array([900, 500, 500, 100, 700, 500])
>>> parts = [slice(0, 3), slice(3, 6)]
>>> eligible, tenure, ids = np.ones(6, bool), np.array([1, 9, 2, 3, 4, 9]), np.arange(6)
>>> found = segment_cut([segment_histogram(spend[p], eligible[p]) for p in parts], share="0.5")
>>> found.k, found.low, found.high, found.from_bin
(3, 256, 512, 1)
>>> cut = segment_admit(
...     [segment_candidates(spend[p], eligible[p], tenure[p], ids[p], found) for p in parts], found)
>>> cut.value, cut.admitted.tolist()
(500, [1])
>>> np.concatenate([segment_assign(spend[p], eligible[p], ids[p], cut) for p in parts]).tolist()
[True, True, False, False, True, False]
>>> from telcare import mid_high_end   # the single-process answer
>>> mid_high_end(spend, eligible, tenure_days=tenure, ids=ids, share="0.5").tolist()
[True, True, False, False, True, False]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import bool_column, instance, int_column, same_length
from telcare._core.errors import InvalidInput
from telcare.tiers import (
    BinCut,
    at_or_above,
    cut_bin,
    ids_column,
    in_cut_bin,
    rank_ties,
    spend_histogram,
)

__all__ = [
    "BinCut",
    "Candidates",
    "SegmentCut",
    "add_group_counts",
    "segment_admit",
    "segment_assign",
    "segment_candidates",
    "segment_cut",
    "segment_histogram",
    "segment_passes",
]

#: A partition's customers in the cut's bin: (spend, tenure, ids).
Candidates = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[Any]]


@attrs.frozen(slots=True, eq=False)
class SegmentCut:
    """The global cut: members spend more than ``value``, or exactly ``value`` and
    their id is in ``admitted``.  ``value`` is ``None`` when the segment is empty.

    ``k`` is the segment size, ``need`` how many of those spending exactly
    ``value`` get in (``len(admitted)``).
    """

    k: int
    eligible: int
    value: int | None
    admitted: npt.NDArray[Any]

    @property
    def need(self) -> int:
        """How many customers at exactly the cut value are members."""
        return len(self.admitted)


def segment_histogram(avg_spend: Any, eligible: Any) -> npt.NDArray[np.int64]:
    """Pass 1, per partition: eligible customers per spend bin (histograms add up)."""
    spend = int_column(avg_spend, "avg_spend")
    elig = bool_column(eligible, "eligible")
    same_length(avg_spend=spend, eligible=elig)
    return spend_histogram(spend, elig)


def segment_cut(histograms: Iterable[Any], share: Any = 0.10) -> BinCut:
    """Add the partitions' histograms: the segment size and the bin holding the cut."""
    pieces = list(histograms)
    if not pieces:
        raise InvalidInput("segment_cut() needs the histogram of at least one partition")
    return cut_bin(pieces, share)


def segment_candidates(
    avg_spend: Any, eligible: Any, tenure_days: Any, ids: Any, cut: BinCut
) -> Candidates:
    """Pass 2, per partition: (spend, tenure, id) of the eligible customers in the cut's bin."""
    spend = int_column(avg_spend, "avg_spend")
    elig = bool_column(eligible, "eligible")
    tenure = int_column(tenure_days, "tenure_days")
    id_col = ids_column(ids, len(spend))
    same_length(avg_spend=spend, eligible=elig, tenure_days=tenure, ids=id_col)
    rows = in_cut_bin(spend, elig, _bin_cut(cut, "segment_candidates"))
    return spend[rows], tenure[rows], id_col[rows]


def segment_admit(parts: Iterable[Candidates], cut: BinCut) -> SegmentCut:
    """Rank all the bin's candidates and fill the places left: the cut value and the
    ids admitted at exactly that value."""
    cut = _bin_cut(cut, "segment_admit")
    pieces = list(parts)
    if cut.k == 0:  # otherwise at least one place comes from the bin (see cut_bin)
        return SegmentCut(0, cut.eligible, None, np.zeros(0, dtype=np.int64))
    none = np.zeros(0, dtype=np.int64)
    spend = np.concatenate([none, *(np.asarray(s, dtype=np.int64) for s, _, _ in pieces)])
    tenure = np.concatenate([none, *(np.asarray(t, dtype=np.int64) for _, t, _ in pieces)])
    ids = np.concatenate([np.asarray(i) for _, _, i in pieces]) if pieces else none
    if not len(spend) == len(tenure) == len(ids):
        raise InvalidInput(
            f"candidates' spend, tenure and ids differ in length: {len(spend)}, {len(tenure)}, {len(ids)}"
        )
    if len(spend) < cut.from_bin:
        raise InvalidInput(
            f"{cut.from_bin} places to fill from the cut's bin but only {len(spend)} candidates "
            "came back: every partition must report its candidates"
        )
    if len(np.unique(ids)) != len(ids):
        raise InvalidInput(
            "the customers in the cut's bin share ids; the segment over partitions needs unique ids"
        )
    chosen = rank_ties(spend, tenure, ids)[: cut.from_bin]
    value = int(spend[chosen[-1]])
    at_value = chosen[spend[chosen] == value]
    return SegmentCut(cut.k, cut.eligible, value, ids[at_value])


def segment_assign(
    avg_spend: Any, eligible: Any, ids: Any, cut: SegmentCut
) -> npt.NDArray[np.bool_]:
    """Pass 3, per partition: membership from the global cut."""
    cut = instance(
        cut, SegmentCut, "segment_assign() needs the SegmentCut from segment_admit(), got {got}"
    )
    spend = int_column(avg_spend, "avg_spend")
    elig = bool_column(eligible, "eligible")
    id_col = ids_column(ids, len(spend))
    same_length(avg_spend=spend, eligible=elig, ids=id_col)
    if cut.value is None:
        return np.zeros(len(spend), dtype=np.bool_)
    members = at_or_above(spend, elig, cut.value + 1)
    if cut.need:  # the ids are looked up among the few customers at the cut value only
        tied = np.flatnonzero(elig & (spend == cut.value))
        members[tied[np.isin(id_col[tied], cut.admitted)]] = True
    return members


#: One partition's columns for the segment: (avg_spend, eligible, tenure_days, ids).
SegmentColumns = tuple[Any, Any, Any, Any]


def segment_passes(
    each: Callable[[Callable[[SegmentColumns], Any]], list[Any]], share: Any = 0.10
) -> SegmentCut:
    """The first two passes, run by an engine: ``each(step)`` applies ``step`` to every
    partition's :data:`SegmentColumns` (in parallel, wherever the partitions are) and
    returns the results; the driver merges them.  Assign with :func:`segment_assign`.

    >>> spend, eligible = np.array([900, 500, 500, 100]), np.ones(4, bool)
    >>> parts = [(spend[p], eligible[p], np.arange(4)[p], np.arange(4)[p])
    ...          for p in (slice(0, 2), slice(2, 4))]
    >>> cut = segment_passes(lambda step: [step(part) for part in parts], share="0.5")
    >>> cut.value, cut.admitted.tolist()   # of the two at 500, the longer tenure (id 2)
    (500, [2])
    """
    found = segment_cut(each(lambda c: segment_histogram(c[0], c[1])), share)
    return segment_admit(each(lambda c: segment_candidates(*c, found)), found)


def _bin_cut(cut: Any, caller: str) -> BinCut:
    return instance(cut, BinCut, f"{caller}() needs the BinCut from segment_cut(), got {{got}}")


def add_group_counts(parts: list[Any]) -> tuple[Any, Any, Any]:
    """The partitions' (keys, successes, trials) added up per key, keys sorted as the
    single-process function sorts them; integer codes and text never mix."""
    filled = [p for p in parts if len(p[0])] or parts[:1]
    kinds = {p[0].dtype.kind in "iu" for p in filled}
    if len(kinds) > 1:
        raise InvalidInput("groups mixes integer codes and text labels across partitions")
    keys = np.unique(np.concatenate([p[0] for p in filled]))
    totals = []
    for which in (1, 2):
        exact = np.zeros(len(keys), dtype=object)  # Python ints: no int64 wrap across partitions
        for p in filled:
            np.add.at(exact, np.searchsorted(keys, p[0]), p[which].astype(object))
        big = [i for i, v in enumerate(exact.tolist()) if v >= 2**63]
        if big:
            what = "successes" if which == 1 else "trials"
            raise InvalidInput(
                f"{what} of group {keys[big[0]].item()!r} sum to {exact[big[0]]}, beyond int64"
            )
        totals.append(exact.astype(np.int64))
    return keys, totals[0], totals[1]
