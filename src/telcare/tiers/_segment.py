"""The mid-to-high-end segment: the top share of eligible customers by spend.

Among the eligible customers (by default those on the ``ordinary`` tier, that
is, not VIP), rank by last year's average monthly spend; the top
``floor(share * eligible)`` form the segment, exactly.  Ties at the cut are
broken deterministically: higher spend, then longer tenure, then the smaller
customer id (then the earlier row, if ids repeat).  So every member's spend is
at least every eligible non-member's.

>>> import telcare as tc
>>> members = tc.mid_high_end([900, 500, 500, 100, 700], [True] * 5,
...                           tenure_days=[10, 30, 20, 5, 9], share="0.4")
>>> members.tolist()
[True, False, False, False, True]
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import (
    bool_column,
    column,
    fraction,
    int_column,
    integer,
    row_blocks,
    same_length,
)
from telcare._core.errors import InvalidInput

__all__ = ["mid_high_end", "segment_size"]


def _share(share: Any) -> Fraction:
    return fraction(share, "share", open_low=True)


def segment_size(eligible: int, share: Any = "0.10") -> int:
    """``floor(share * eligible)``, computed exactly (no binary-float surprises).

    >>> segment_size(75_984), segment_size(30, 0.1), segment_size(9)
    (7598, 3, 0)
    """
    count = integer(eligible, "eligible")
    exact = _share(share)
    return count * exact.numerator // exact.denominator


def ids_column(ids: Any, n: int) -> npt.NDArray[Any]:
    arr = column(ids, "ids")
    if arr.dtype.kind == "O":
        kinds = {type(x) for x in arr.tolist()}
        if kinds <= {str}:
            arr = arr.astype(str)
        elif all(issubclass(k, int) and not issubclass(k, bool) for k in kinds):
            arr = arr.astype(np.int64)
        else:
            names = sorted(k.__name__ for k in kinds)
            raise InvalidInput(f"ids must be all str or all int, got a mix of {names}")
    elif arr.dtype.kind not in "iuU" and n:
        raise InvalidInput(f"ids must be str or int, got dtype {arr.dtype}")
    return arr


def mid_high_end(
    avg_spend: Any,
    eligible: Any,
    *,
    tenure_days: Any = None,
    ids: Any = None,
    share: Any = 0.10,
) -> npt.NDArray[np.bool_]:
    """Members of the mid-to-high-end segment, as a boolean mask over the base.

    ``avg_spend`` is last year's average monthly spend in fen, ``eligible``
    whether the customer may join (not VIP).  ``tenure_days`` and ``ids`` break
    ties at the cut (longer tenure first, then smaller id); without them the
    earlier row wins.  ``share`` is read through its decimal form, so ``0.1``
    means exactly one tenth.  Exactly ``floor(share * eligible.sum())`` members.

    >>> mid_high_end([900, 500, 700, 100], [True, True, False, True], share="0.5").tolist()
    [True, False, False, False]
    """
    spend = int_column(avg_spend, "avg_spend")
    elig = bool_column(eligible, "eligible")
    tenure = None if tenure_days is None else int_column(tenure_days, "tenure_days")
    id_col = None if ids is None else ids_column(ids, len(spend))
    columns = {"avg_spend": spend, "eligible": elig}
    if tenure is not None:
        columns["tenure_days"] = tenure
    if id_col is not None:
        columns["ids"] = id_col
    same_length(**columns)

    cut = cut_bin([spend_histogram(spend, elig)], share)
    members = at_or_above(spend, elig, cut.high)
    if cut.from_bin:
        rows = np.flatnonzero(in_cut_bin(spend, elig, cut))
        first = rank_ties(
            spend[rows],
            None if tenure is None else tenure[rows],
            None if id_col is None else id_col[rows],
        )[: cut.from_bin]
        members[rows[first]] = True
    return members


# ------------------------------------------------------------------ the passes
# The segment is found the same way in one process and over partitions
# (telcare.engines.partitioned): a histogram of the eligible customers' spend
# locates the bin that holds the cut; everyone above the bin is a member; the
# bin's customers, few, are ranked to fill the remaining places.  Every pass is
# linear in the rows, and histograms of partitions add up.

#: Spend is binned by multiples of 2^8 fen (2.56 yuan); the last bin is open above
#: and holds all spend from (2^20 - 1) * 2^8 fen on (about 2.7 million yuan a month).
SPEND_BIN_SHIFT = 8
SPEND_BINS = 1 << 20


def spend_histogram(
    spend: npt.NDArray[np.int64], eligible: npt.NDArray[np.bool_]
) -> npt.NDArray[np.int64]:
    """Eligible customers per spend bin (``spend >> SPEND_BIN_SHIFT``, the last bin open).

    Histograms of disjoint parts of a base add up to the base's (see :func:`cut_bin`).

    >>> spend_histogram(np.array([0, 255, 256, 700]), np.array([True, True, True, False])).tolist()
    [2, 1]
    """
    total = np.zeros(0, dtype=np.int64)
    for rows in row_blocks(len(spend)):
        bins = spend[rows][eligible[rows]] >> SPEND_BIN_SHIFT
        np.minimum(bins, SPEND_BINS - 1, out=bins)
        total = _added(total, np.bincount(bins))
    return total


def _added(a: npt.NDArray[np.int64], b: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
    if len(a) < len(b):
        a, b = b.astype(np.int64), a
    a[: len(b)] += b
    return a


@attrs.frozen(slots=True)
class BinCut:
    """Where the segment's cut lies: members are the ``eligible`` customers spending
    ``high`` or more, and the first ``from_bin`` of those spending ``low`` up to
    ``high`` (``high`` is ``None`` when the bin is open; ``low`` is ``None`` when the
    segment is empty), in the order of :func:`rank_ties`.
    """

    k: int
    eligible: int
    low: int | None
    high: int | None
    from_bin: int


def cut_bin(histograms: Iterable[Any], share: Any = 0.10) -> BinCut:
    """Add the histograms of a base's parts and find the bin that holds the cut.

    >>> cut = cut_bin([np.array([3, 1]), np.array([0, 2, 1])], share="0.5")
    >>> cut.k, cut.low, cut.high, cut.from_bin
    (3, 256, 512, 2)
    """
    total = np.zeros(0, dtype=np.int64)
    for histogram in histograms:
        counts = int_column(histogram, "histogram")
        if len(counts) > SPEND_BINS:
            raise InvalidInput(
                f"a spend histogram has at most {SPEND_BINS} bins, got {len(counts)}"
            )
        total = _added(total, counts.copy())
    eligible = int(total.sum())
    k = segment_size(eligible, share)
    if k == 0:
        return BinCut(0, eligible, None, None, 0)
    from_top = total[::-1].cumsum()  # customers in each bin or above, top bin first
    i = int(np.searchsorted(from_top, k))  # the first bin from the top that reaches k
    b = len(total) - 1 - i
    above = int(from_top[i - 1]) if i else 0
    high = None if b == SPEND_BINS - 1 else (b + 1) << SPEND_BIN_SHIFT
    return BinCut(k, eligible, b << SPEND_BIN_SHIFT, high, k - above)


def at_or_above(
    spend: npt.NDArray[np.int64], eligible: npt.NDArray[np.bool_], high: int | None
) -> npt.NDArray[np.bool_]:
    """The eligible customers above the cut's bin: members whoever else is."""
    if high is None:
        return np.zeros(len(spend), dtype=np.bool_)
    out: npt.NDArray[np.bool_] = spend >= high
    out &= eligible
    return out


def in_cut_bin(
    spend: npt.NDArray[np.int64], eligible: npt.NDArray[np.bool_], cut: BinCut
) -> npt.NDArray[np.bool_]:
    """The eligible customers in the bin that holds the cut."""
    if cut.low is None:
        return np.zeros(len(spend), dtype=np.bool_)
    out: npt.NDArray[np.bool_] = spend >= cut.low
    out &= eligible
    if cut.high is not None:
        out &= spend < cut.high
    return out


def rank_ties(
    spend: npt.NDArray[np.int64], tenure: npt.NDArray[np.int64] | None, ids: npt.NDArray[Any] | None
) -> npt.NDArray[np.intp]:
    """The order in which customers of the cut's bin join: higher spend, then longer
    tenure, then the smaller id, then the earlier position.

    >>> rank_ties(np.array([5, 7, 5, 5]), np.array([1, 0, 3, 3]), np.array([9, 8, 6, 2])).tolist()
    [1, 3, 2, 0]
    """
    keys: list[npt.NDArray[Any]] = []
    if ids is not None:
        keys.append(ids)
    if tenure is not None:
        keys.append(-tenure)
    keys.append(-spend)
    order: npt.NDArray[np.intp] = np.lexsort(keys)  # stable: the earlier position last
    return order
