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

from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from telcare.core.checks import bool_column, column, fraction, int_column, integer, same_length
from telcare.core.errors import InvalidInput

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


def _ids_column(ids: Any, n: int) -> npt.NDArray[Any]:
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
    id_col = None if ids is None else _ids_column(ids, len(spend))
    columns = {"avg_spend": spend, "eligible": elig}
    if tenure is not None:
        columns["tenure_days"] = tenure
    if id_col is not None:
        columns["ids"] = id_col
    n = same_length(**columns)

    members = np.zeros(n, dtype=np.bool_)
    candidates = np.flatnonzero(elig)
    k = segment_size(len(candidates), share)
    if k == 0:
        return members
    values = spend[candidates]
    m = len(values)
    cut = np.partition(values, m - k)[m - k]  # the k-th largest spend
    above = values > cut
    members[candidates[above]] = True
    need = k - int(np.count_nonzero(above))
    tied = candidates[values == cut]
    if need == len(tied):
        members[tied] = True
        return members
    keys: list[npt.NDArray[Any]] = []
    if id_col is not None:
        keys.append(id_col[tied])
    if tenure is not None:
        keys.append(-tenure[tied])
    order = np.lexsort(keys) if keys else np.arange(len(tied))  # stable: earlier row last resort
    members[tied[order[:need]]] = True
    return members
