"""Making the priced choice feasible and using what is left: :func:`repair` drops the
customers of least reduced value from each resource over its room (later rows
first on ties) until every room holds, then :func:`fill` gives the customers left
without an offer their best offer that still fits, best value first (ties by row),
until nothing more fits: best reduced value at the prices first, so the room goes
where the prices say it earns most.  :func:`blocked` says which kind of resource stopped each
customer left out.

>>> from telcare.marketing._lagrange import Problem
>>> p = Problem(np.array([[5.0, 3.0], [4.0, 1.0]]), np.zeros((2, 2), np.int8),
...             np.array([[3.0, 1.0]]), np.array([4.0]), np.full(5, np.inf))
>>> fill(p, *repair(p, np.array([0, 0]), np.array([0, 0]), np.array([2.0, 1.0])), np.zeros(2))[0].tolist()
[0, 1]
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from telcare.marketing._lagrange import Problem, used

__all__ = ["blocked", "fill", "repair"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


def _amounts(p: Problem, r: int, offer: I64, channel: I64) -> F64:
    """What each customer's assignment uses of resource (or channel) ``r``."""
    k = len(p.room)
    if r < k:
        out: F64 = np.where(offer >= 0, p.use[r][np.maximum(offer, 0)], 0.0)
        return out
    chan: F64 = (channel == r - k).astype(np.float64)
    return chan


def repair(p: Problem, offer: I64, channel: I64, reduced: F64) -> tuple[I64, I64]:
    """The assignment with customers dropped, least reduced value first, from every
    resource over its room until each fits."""
    offer, channel = offer.copy(), channel.copy()
    rooms = p.rooms
    n = len(offer)
    order = np.lexsort((-np.arange(n), reduced))  # least reduced value, later rows first
    while True:
        over = np.flatnonzero(used(p, offer, channel) > rooms)
        if not len(over):
            return offer, channel
        r = int(over[0])
        amount = _amounts(p, r, offer, channel)[order]
        users = order[amount > 0]
        excess = float(amount.sum()) - float(rooms[r])
        cut = int(np.searchsorted(np.cumsum(amount[amount > 0]), excess, side="left")) + 1
        offer[users[:cut]] = -1
        channel[users[:cut]] = -1


def _open_cells(p: Problem, rows: I64, left: F64, prices: F64) -> F64:
    """The reduced values at ``prices`` of ``rows``' cells whose offer and channel
    still fit (``-inf``: not, or not a candidate)."""
    k = len(p.room)
    fits = (p.use <= left[:k, None]).all(axis=0)
    values = p.value[rows] - (prices[:k] @ p.use if k else 0.0)
    if prices[k:].any():
        values -= prices[k:][p.channel[rows]]
    values[:, ~fits] = -np.inf
    values[~(left[k:] >= 1)[p.channel[rows]]] = -np.inf
    return values


def _first_over(p: Problem, offer: I64, channel: I64, left: F64) -> int:
    """How many of the assignments, in order, fit the rooms ``left`` together."""
    stop = len(offer)
    for r in np.flatnonzero(np.isfinite(left)).tolist():
        amount = _amounts(p, r, offer, channel)
        if amount.any():
            over = int(np.searchsorted(np.cumsum(amount), left[r], side="right"))
            stop = min(stop, over)
    return stop


def fill(p: Problem, offer: I64, channel: I64, prices: F64) -> tuple[I64, I64]:
    """The assignment with every customer left out given its best offer that still
    fits, best reduced value at ``prices`` first (the customers the prices left at
    the margin, such as a tied group cut at the price, come first), ties by row;
    each pass closes an offer or a channel."""
    offer, channel = offer.copy(), channel.copy()
    left = p.rooms - used(p, offer, channel)
    pending = np.flatnonzero((offer < 0) & np.isfinite(p.value).any(axis=1))
    while len(pending):
        values = _open_cells(p, pending, left, prices)
        j = values.argmax(axis=1)
        best = values[np.arange(len(pending)), j]
        keep = np.isfinite(best)
        pending, j, best = pending[keep], j[keep], best[keep]
        order = np.lexsort((pending, -best))
        pending, j = pending[order], j[order]
        c = p.channel[pending, j].astype(np.int64)
        stop = _first_over(p, j, c, left)
        offer[pending[:stop]], channel[pending[:stop]] = j[:stop], c[:stop]
        left -= used(p, j[:stop], c[:stop])
        pending = pending[stop:]
    return offer, channel


def blocked(p: Problem, j: I64, rows: I64, left: F64, kinds: I64) -> I64:
    """For customers left out, the kind (``kinds``: one per resource, then per channel)
    of the first resource that shuts their most valuable offer ``j``, the smallest
    kind first."""
    k = len(p.room)
    shut = (p.use[:, j] > left[:k, None]).T  # [customer, resource]
    c = p.channel[rows, j].astype(np.int64)
    none = int(kinds.max(initial=0))  # fill leaves no customer whose best offer fits
    kind = np.where(shut, kinds[None, :k], none).min(axis=1, initial=none)
    out: I64 = np.where(left[k + c] < 1, np.minimum(kind, kinds[k + c]), kind)
    return out
