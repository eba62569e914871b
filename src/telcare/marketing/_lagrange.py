"""The prices of an allocation: a Lagrangian relaxation of the choice of one offer
(or none) per customer under several knapsack rows.

Each limited resource ``r`` (a budget in fen or points, an offer's most customers,
a channel's contacts today) gets a price ``p_r >= 0``; at those prices each
customer takes the offer maximising ``value - sum_r p_r x use_r`` when that is
positive, ties to the earlier offer.  For *any* prices, the sum over customers of
that best reduced value plus ``sum_r p_r x room_r`` bounds the linear-programming
optimum, hence every allocation, from above (the dual bound; its minimum over the
prices is the LP optimum, since one choice per customer is already integral).

Equal values are common (a response per cell of customers, not per customer), and a
price cannot cut through a group of equal cells: :func:`untie` first lowers each
value by at most a millionth, more for later rows, so that a price can take part of
such a group, earlier rows first, as the LP optimum would take a share of it.

The prices are searched one resource at a time: the smallest price at which the
resource's use fits its room (a customer's use of a resource never rises with its
price), round after round until they settle.  On a large base they are searched on
an evenly spaced sample with the rooms scaled to it, then applied to everyone.

>>> p = Problem(np.array([[5.0, 3.0], [4.0, 1.0]]), np.zeros((2, 2), np.int8),
...             np.array([[3.0, 1.0]]), np.array([4.0]), np.full(5, np.inf))
>>> prices = search(p)
>>> choose(p, prices)[0].tolist()  # the budget of 4 buys offer 1 for customer 0 and offer 0 for customer 1
[1, 0]
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.column_checks import row_blocks

__all__ = ["TIE", "Problem", "choose", "dual_bound", "search", "untie", "used"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]

#: Customers in the sample the prices are searched on.
SAMPLE = 20_000
_STEPS = 40  # bisection steps per price: 2**-40 of the price that shuts the resource
#: The most a value is lowered to untie equal ones (a share of it).
TIE = 1e-6
_ROUNDS = 8


@attrs.frozen(slots=True, eq=False)
class Problem:
    """The candidates: ``value[customer, offer]`` (``-inf``: not a candidate; else
    positive), the channel of each cell, each offer's ``use`` of each resource
    (``[resource, offer]``), and the room left per resource and per channel
    (``inf``: unlimited)."""

    value: F64
    channel: I8
    use: F64
    room: F64
    channel_room: F64

    @property
    def rooms(self) -> F64:
        """Every room: the resources' then the channels'."""
        out: F64 = np.concatenate([self.room, self.channel_room])
        return out

    def sample(self, size: int = SAMPLE) -> Problem:
        """Evenly spaced customers (all when there are at most ``size``), the rooms
        scaled to their share of the base."""
        n = len(self.value)
        if n <= size:
            return self
        rows = np.linspace(0, n - 1, size).astype(np.int64)
        share = size / n
        return Problem(self.value[rows], self.channel[rows], self.use, self.room * share,
                       self.channel_room * share)  # fmt: skip


def untie(values: F64) -> F64:
    """Each row's values times ``1 - TIE x row / rows``, in place (returns the factors)."""
    n = len(values)
    factor: F64 = 1.0 - TIE * np.arange(n) / max(n, 1)
    for part in row_blocks(n):
        values[part] *= factor[part, None]
    return factor


def choose(p: Problem, prices: F64) -> tuple[I64, I64, F64]:
    """Each customer's offer at ``prices`` (resources then channels; -1: none), its
    channel, and its best reduced value (0 where none is positive)."""
    n, m = p.value.shape
    r = len(p.room)
    penalty = prices[:r] @ p.use if r else np.zeros(m)
    by_channel = prices[r:]
    offer = np.full(n, -1, np.int64)
    channel = np.full(n, -1, np.int64)
    reduced = np.zeros(n)
    for part in row_blocks(n):
        adj = p.value[part] - penalty
        if by_channel.any():
            adj -= by_channel[p.channel[part]]
        j = adj.argmax(axis=1) if m else np.zeros(len(adj), np.int64)
        rows = np.arange(len(adj))
        best = adj[rows, j] if m else np.zeros(len(adj))
        take = best > 0
        offer[part] = np.where(take, j, -1)
        channel[part] = np.where(take, p.channel[part][rows, j] if m else -1, -1)
        reduced[part] = np.where(take, best, 0.0)
    return offer, channel, reduced


def used(p: Problem, offer: I64, channel: I64) -> F64:
    """What the assignment uses of each resource, then of each channel."""
    counts = np.bincount(offer[offer >= 0], minlength=p.use.shape[1]).astype(np.float64)
    chan = np.bincount(channel[channel >= 0], minlength=len(p.channel_room)).astype(np.float64)
    out: F64 = np.concatenate([p.use @ counts, chan])
    return out


def dual_bound(p: Problem, prices: F64, reduced: F64) -> float:
    """The Lagrangian bound at ``prices`` given the best reduced values there."""
    rooms = p.rooms
    finite = prices > 0
    return float(reduced.sum() + (prices[finite] * rooms[finite]).sum())


def _use_of(p: Problem, prices: F64, r: int) -> float:
    offer, channel, _ = choose(p, prices)
    return float(used(p, offer, channel)[r])


def _ceiling(p: Problem, r: int) -> float:
    """A price at which no customer takes anything using resource ``r``."""
    top = float(p.value[np.isfinite(p.value)].max(initial=0.0))
    if r >= len(p.room):
        return top + 1.0
    amounts = p.use[r][p.use[r] > 0]
    return (top + 1.0) / float(amounts.min()) if len(amounts) else 0.0


def _smallest_price(p: Problem, prices: F64, r: int, room: float) -> float:
    """The smallest price of resource ``r`` (the others as given) at which its use fits."""
    trial = prices.copy()
    trial[r] = 0.0
    if _use_of(p, trial, r) <= room:
        return 0.0
    low, high = 0.0, _ceiling(p, r)
    for _ in range(_STEPS):
        trial[r] = (low + high) / 2
        if _use_of(p, trial, r) <= room:
            high = trial[r]
        else:
            low = trial[r]
    return high


def search(p: Problem) -> F64:
    """Prices (resources then channels) at which every use fits its room, each the
    smallest that does given the others: searched on :meth:`Problem.sample`."""
    s = p.sample()
    rooms = s.rooms
    prices = np.zeros(len(rooms))
    limited = np.flatnonzero(np.isfinite(rooms)).tolist()
    for _ in range(_ROUNDS):
        before = prices.copy()
        for r in limited:
            prices[r] = _smallest_price(s, prices, r, float(rooms[r]))
        if np.allclose(prices, before, rtol=1e-6, atol=0.0):
            break
    return prices
