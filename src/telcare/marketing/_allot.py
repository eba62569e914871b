"""The limits over a whole base: :func:`allot` withholds offers first come, first
served, in one deterministic order, so that each customer's answer is the one
customer form's given the usage of the customers before it.

The order: customers by the score of their best offer once the holdouts and the
customer limit are applied (highest first), equal scores by row.  Going down that
order, each customer gets its best allowed offer whose limits still have room
(the offer's customers, its campaign's cost and points budgets); a full offer
passes the customer on to its next best.  An offer, once full, stays full (the
counts only grow), so the walk is computed in at most one pass per offer: assign
everyone with the offers still open, find the first customer who would meet a
full one, keep the assignments before it, close that offer, and go on from there.

This greedy by score is not the best allocation under a budget (a costly offer
early can spend what several cheaper ones later would have earned more with).
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare.marketing._usage import LimitTables, Usage

__all__ = ["Allotment", "allot", "best_of"]

Bools = npt.NDArray[np.bool_]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

#: Above every budget (fen <= 10**14, points <= 10**15) with one more offer on top.
_SATURATED = 4 * 10**15
_BLOCK = 4096  # 4096 x 10**15 plus _SATURATED stays inside int64


@attrs.frozen(slots=True, eq=False)
class Allotment:
    """How a whole-base match enforced the limits: each customer's ``position`` in
    the order, the position from which each offer was closed (``n + 1``: never), the
    usage before the first customer, and each customer's holdouts and period count."""

    limits: LimitTables
    start: Usage
    position: I64
    closed_at: I64
    programme: Bools | None
    campaigns: tuple[Bools | None, ...]
    offers_in_period: I64

    def used(self, best: I64, before: int | None = None) -> Usage:
        """The start usage plus what the customers placed before ``before`` (a position;
        ``None``: everyone) consumed, for the limits that read it."""
        got = best >= 0
        if before is not None:
            got &= self.position < before
        counts = np.bincount(best[got], minlength=len(self.limits.cost)).tolist()
        lim, cat = self.limits, self.limits.catalogue
        spent, points = dict(self.start.spent), dict(self.start.points)
        for k, c in enumerate(cat.campaigns):
            mine = [j for j in range(len(counts)) if lim.campaign[j] == k]
            if c.budget is not None:
                spent[c.code] = spent.get(c.code, 0) + sum(
                    counts[j] * int(lim.cost[j]) for j in mine
                )
            if c.points_budget is not None:
                points[c.code] = points.get(c.code, 0) + sum(
                    counts[j] * int(lim.points[j]) for j in mine
                )
        customers = dict(self.start.customers)
        for j, o in enumerate(cat.offers):
            if o.max_customers is not None:
                customers[o.code] = customers.get(o.code, 0) + counts[j]
        return Usage(spent, points, customers)

    def held(self, row: int, j: int) -> tuple[bool, bool]:
        """Whether the customer at ``row`` is in the programme's control group, and in
        the holdout of offer ``j``'s campaign."""
        k = int(self.limits.campaign[j])
        campaign = self.campaigns[k] if k >= 0 else None
        return (
            bool(self.programme[row]) if self.programme is not None else False,
            bool(campaign[row]) if campaign is not None else False,
        )


def best_of(
    allowed: Bools, offers: Any, response: F64 | None, value: I64, cost: I64, floor: float
) -> tuple[I64, F64]:
    """The best of ``offers`` per column of ``allowed`` (``[offer, customer]``), scored
    as the whole-base match scores (ties keep the earlier offer), above ``floor``."""
    n = allowed.shape[1]
    leader = np.full(n, -1, dtype=np.int64)
    top = np.full(n, floor)
    for j in offers:
        if response is None:
            score: Any = float(value[j] - cost[j])
        else:
            score = response[:, j] * value[j] - cost[j]
        better = allowed[j] & (score > top)
        leader[better] = j
        top[better] = score if isinstance(score, float) else score[better]
    return leader, top


def _running(values: I64) -> I64:
    """Running sums of non-negative values, exact until they pass every budget."""
    if not len(values) or int(values.max()) * len(values) < 2**62:
        out: I64 = np.cumsum(values)
        return out
    out = np.empty(len(values), np.int64)
    carry = 0
    for start in range(0, len(values), _BLOCK):
        if carry > _SATURATED:
            out[start:] = carry
            break
        run = np.cumsum(values[start : start + _BLOCK]) + carry
        out[start : start + len(run)] = run
        carry = int(run[-1])
    return out


def _closing(lim: LimitTables, a: I64, state: list[list[int]], open_: Bools) -> I64:
    """For each open offer, the first position of the segment whose customer would
    find it full given the assignments ``a`` (``len(a) + 1``: none)."""
    length = len(a)
    count, spent, points = state
    r = np.full(len(lim.cost), length + 1, dtype=np.int64)
    for j in np.flatnonzero(open_ & (lim.max_customers >= 0)).tolist():
        room = int(lim.max_customers[j]) - count[j]
        hits = np.flatnonzero(a == j)
        if len(hits) >= room:
            r[j] = int(hits[room - 1]) + 1
    safe = np.maximum(a, 0)
    for per, budgets, used in (
        (lim.cost, lim.budget, spent),
        (lim.points, lim.points_budget, points),
    ):
        for k in np.flatnonzero(budgets >= 0).tolist():
            mine = np.flatnonzero(open_ & (lim.campaign == k))
            if not len(mine):
                continue
            run = _running(np.where((a >= 0) & (lim.campaign[safe] == k), per[safe], 0))
            for j in mine.tolist():
                t = int(np.searchsorted(run, int(budgets[k]) - used[k] - int(per[j]), side="right"))
                if t < length:
                    r[j] = min(int(r[j]), t + 1)
    return r


def _closed_from_start(lim: LimitTables, state: list[list[int]]) -> Bools:
    count, spent, points = state
    closed = np.zeros(len(lim.cost), dtype=bool)
    for j in range(len(lim.cost)):
        k = int(lim.campaign[j])
        closed[j] = (
            (lim.max_customers[j] >= 0 and count[j] >= lim.max_customers[j])
            or (k >= 0 and lim.budget[k] >= 0 and spent[k] + lim.cost[j] > lim.budget[k])
            or (
                k >= 0
                and lim.points_budget[k] >= 0
                and points[k] + lim.points[j] > lim.points_budget[k]
            )
        )
    return closed


def _state(lim: LimitTables, usage: Usage) -> list[list[int]]:
    cat = lim.catalogue
    return [
        [usage.customers.get(c, 0) for c in cat.codes],
        [usage.spent.get(c.code, 0) for c in cat.campaigns],
        [usage.points.get(c.code, 0) for c in cat.campaigns],
    ]


def _consume(lim: LimitTables, state: list[list[int]], kept: I64) -> None:
    counts = np.bincount(kept[kept >= 0], minlength=len(lim.cost)).tolist()
    for j, k in enumerate(counts):
        state[0][j] += k
        g = int(lim.campaign[j])
        if g >= 0:
            state[1][g] += k * int(lim.cost[j])
            state[2][g] += k * int(lim.points[j])


def allot(
    lim: LimitTables,
    usage: Usage,
    allowed: Bools,
    response: F64 | None,
    value: I64,
    floor: float,
) -> tuple[I64, F64, I64, I64]:
    """Walk the base in order under the limits (see the module): each customer's
    offer and score, its position in the order, and where each offer closed.

    ``allowed`` is ``[offer, customer]``, the holdouts and customer limit applied."""
    m, n = allowed.shape
    top, top_score = best_of(allowed, range(m), response, value, lim.cost, floor)
    order = np.lexsort((np.arange(n), -np.where(top >= 0, top_score, -np.inf)))
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n)
    seq = order[: int((top >= 0).sum())]
    ordered = np.ascontiguousarray(allowed[:, seq])
    resp = None if response is None else response[seq]
    state = _state(lim, usage)
    closed_at = np.full(m, n + 1, dtype=np.int64)
    open_ = ~_closed_from_start(lim, state)
    closed_at[~open_] = 0
    best = np.full(len(seq), -1, dtype=np.int64)
    score = np.full(len(seq), np.nan)
    start = 0
    while True:
        part = slice(start, len(seq))
        a, s = best_of(ordered[:, part], np.flatnonzero(open_).tolist(),
                       None if resp is None else resp[part], value, lim.cost, floor)  # fmt: skip
        r = _closing(lim, a, state, open_)
        stop = int(r[open_].min()) if open_.any() else len(a) + 1
        keep = min(stop, len(a))
        best[start : start + keep], score[start : start + keep] = a[:keep], s[:keep]
        if stop > len(a):
            break
        _consume(lim, state, a[:keep])
        shut = open_ & (r == stop)
        closed_at[shut] = start + stop
        open_ &= ~shut
        start += keep
    out_best = np.full(n, -1, dtype=np.int64)
    out_score = np.full(n, np.nan)
    out_best[seq], out_score[seq] = best, score
    out_score[out_best < 0] = np.nan
    return out_best, out_score, position, closed_at
