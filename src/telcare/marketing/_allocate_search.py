"""Improving a feasible allocation by moves that keep it feasible: :func:`close` shuts
the cells that cannot fit even alone (an offer whose limit is 0, a budget smaller
than its cost, a channel with no contact left), so that neither the prices nor the
bound count them; :func:`improve` then raises the value until no move is left (or
a few rounds are spent), in two kinds of move:

* a switch: a customer takes a cell worth more to it than its present one (or than
  none) whose extra use fits the rooms left, best gain first;
* an exchange through one full resource: a customer who would gain by a cell the
  resource has no room for takes it, and a holder of the resource moves to its best
  cell using less of it (or to none), when the gain is above the loss; the largest
  gains are paired with the smallest losses.

Both are computed per present offer of the customers (a group's cells that fit are
the same for every customer of it), with numpy over the customers of each group.

>>> p = Problem(np.array([[10_000.0, 1_000.0], [-np.inf, 500.0]]), np.zeros((2, 2), np.int8),
...             np.eye(2), np.array([0.0, 1.0]), np.full(5, np.inf))
>>> close(p)  # offer 0 has a limit of 0: its cells are shut
>>> offer, channel = np.array([-1, 1]), np.array([-1, 0])  # customer 1 holds the one offer 1
>>> improve(p, offer, channel)  # customer 0 values it more: they exchange it
>>> offer.tolist(), channel.tolist()
([1, -1], [0, -1])
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from telcare._core.column_checks import row_blocks
from telcare.marketing._lagrange import Problem, used

__all__ = ["close", "improve"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

#: Rounds of switches and exchanges at most (each round is a few passes over the base).
ROUNDS = 6
_SLACK = 1e-9  # rooms are whole units: a float sum may pass one by rounding only


def close(p: Problem) -> None:
    """Shut (``-inf``, in place) the cells whose offer uses more of a resource than its
    room, or whose channel has no contact left: no allocation can take them."""
    shut = (p.use > p.room[:, None] + _SLACK).any(axis=0)
    if shut.any():
        p.value[:, shut] = -np.inf
    dead = np.flatnonzero(p.channel_room < 1)
    if len(dead):
        for part in row_blocks(len(p.value)):
            block = p.value[part]
            block[np.isin(p.channel[part], dead)] = -np.inf


class _State:
    """The assignment being improved: offers and channels (changed in place), each
    customer's present value, and the room left per resource, then per channel."""

    def __init__(self, p: Problem, offer: I64, channel: I64) -> None:
        n = len(p.value)
        self.p, self.offer, self.channel = p, offer, channel
        self.k = len(p.room)
        self.use = np.concatenate([p.use, np.zeros((self.k, 1))], axis=1)  # column m: none
        self.cur = np.zeros(n)
        got = np.flatnonzero(offer >= 0)
        self.cur[got] = p.value[got, offer[got]]
        self.left = p.rooms - used(p, offer, channel)
        self.limited = np.flatnonzero(np.isfinite(self.left)).tolist()
        self.top = np.where(np.isfinite(p.value), p.value, 0.0).max(axis=1, initial=0.0)

    def deltas(self, rows: I64, to: I64) -> F64:
        """``[resource or channel, move]``: what moving ``rows`` to cells ``to`` (m: none)
        changes in each use."""
        m = self.p.value.shape[1]
        frm = np.where(self.offer[rows] >= 0, self.offer[rows], m)
        out = np.zeros((len(self.left), len(rows)))
        out[: self.k] = self.use[:, to] - self.use[:, frm]
        cto = self.channel_of(rows, to)
        cfrom = self.channel[rows]
        idx = np.arange(len(rows))
        out[self.k + cto[cto >= 0], idx[cto >= 0]] += 1
        out[self.k + cfrom[cfrom >= 0], idx[cfrom >= 0]] -= 1
        return out

    def channel_of(self, rows: I64, to: I64) -> I64:
        m = self.p.value.shape[1]
        c = self.p.channel[rows, np.minimum(to, m - 1)].astype(np.int64)
        out: I64 = np.where(to < m, c, -1)
        return out

    def apply(self, rows: I64, to: I64) -> None:
        m = self.p.value.shape[1]
        self.left -= self.deltas(rows, to).sum(axis=1)
        self.channel[rows] = self.channel_of(rows, to)
        self.offer[rows] = np.where(to < m, to, -1)
        self.cur[rows] = np.where(to < m, self.p.value[rows, np.minimum(to, m - 1)], 0.0)


def _best_moves(s: _State, rows: I64, left: F64, r: int = -1, sign: int = 0) -> tuple[I64, F64]:
    """Each of ``rows``' best move (target cell, m for none; gain, ``-inf`` for none)
    whose extra use fits ``left``; with ``sign``, only moves that raise (+1) or lower
    (-1) the use of resource or channel ``r``; a move up (``sign`` >= 0) must gain."""
    p, k = s.p, s.k
    m = p.value.shape[1]
    fits = ((s.use[:, None, :] - s.use[:, :, None]) <= left[:k, None, None] + _SLACK).all(axis=0)
    if 0 <= r < k and sign:
        change = s.use[r][None, :] - s.use[r][:, None]
        fits &= change > 0 if sign > 0 else change < 0
    target, gain = np.full(len(rows), m, np.int64), np.full(len(rows), -np.inf)
    chan_left = np.append(left[k:], np.inf)  # index -1: no channel
    frm = np.where(s.offer[rows] >= 0, s.offer[rows], m)
    for o in np.unique(frm).tolist():
        cols = np.flatnonzero(fits[o])
        if not len(cols):
            continue
        at = np.flatnonzero(frm == o)
        for part in row_blocks(len(at)):
            mine = at[part]
            who = rows[mine]
            g, ok = _gains(s, who, cols, chan_left, r - k if r >= k else -1, sign)
            g[~ok | ((g <= 0) if sign >= 0 else False)] = -np.inf
            j = g.argmax(axis=1)
            gain[mine] = g[np.arange(len(who)), j]
            target[mine] = cols[j]
    return target, gain


def _gains(s: _State, who: I64, cols: I64, chan_left: F64, c: int, sign: int) -> tuple[F64, Bools]:  # fmt: skip
    """The gain of moving each of ``who`` to each of ``cols`` (m: none), and whether its
    channel fits (and, for channel ``c`` with ``sign``, changes that way)."""
    p = s.p
    m = p.value.shape[1]
    real = np.minimum(cols, m - 1)
    values = np.where(cols < m, p.value[who][:, real], 0.0)
    cto = np.where(cols < m, p.channel[who][:, real].astype(np.int64), -1)
    cfrom = s.channel[who][:, None]
    ok = np.isfinite(values) & ((cto == cfrom) | (chan_left[cto] >= 1))
    if c >= 0 and sign:
        change = (cto == c).astype(np.int64) - (cfrom == c)
        ok &= change > 0 if sign > 0 else change < 0
    out: F64 = values - s.cur[who][:, None]
    return out, ok


def _accept(s: _State, rows: I64, to: I64) -> int:
    """Apply the longest run of the moves, in order, whose uses fit the rooms left
    together (freed room counted only after the run); how many were applied."""
    d = s.deltas(rows, to)
    lim = s.limited
    if not len(rows) or not lim:
        s.apply(rows, to)
        return len(rows)
    run = np.cumsum(np.maximum(d[lim], 0.0), axis=1) <= s.left[lim][:, None] + _SLACK
    ok = run.all(axis=0)
    stop = len(rows) if ok.all() else int(np.argmin(ok))
    s.apply(rows[:stop], to[:stop])
    return stop


def _switch(s: _State) -> int:
    """One pass of switches, best gain first: how many were made."""
    rows = np.flatnonzero(s.top > s.cur)
    to, gain = _best_moves(s, rows, s.left)
    keep = np.isfinite(gain)
    rows, to, gain = rows[keep], to[keep], gain[keep]
    order = np.lexsort((rows, -gain))
    return _accept(s, rows[order], to[order])


def _exchange(s: _State, r: int) -> int:
    """One pass of exchanges through resource (or channel) ``r``: how many were made."""
    m = s.p.value.shape[1]
    others = s.left.copy()
    others[r] = np.inf
    if r < s.k:
        holding = np.flatnonzero(s.use[r][np.where(s.offer >= 0, s.offer, m)] > 0)
    else:
        holding = np.flatnonzero(s.channel == r - s.k)
    if not len(holding):
        return 0
    h_to, h_gain = _best_moves(s, holding, others, r, -1)
    least_loss = float(-h_gain.max())
    rows = np.flatnonzero(s.top - s.cur > least_loss)
    g_to, g_gain = _best_moves(s, rows, others, r, +1)
    keep = np.isfinite(g_gain)
    rows, g_to, g_gain = rows[keep], g_to[keep], g_gain[keep]
    order = np.lexsort((rows, -g_gain))
    rows, g_to, g_gain = rows[order], g_to[order], g_gain[order]
    free = ~np.isin(holding, rows)
    holding, h_to, h_gain = holding[free], h_to[free], h_gain[free]
    order = np.lexsort((holding, -h_gain))
    holding, h_to, h_gain = holding[order], h_to[order], h_gain[order]
    pairs = min(len(rows), len(holding))
    net = g_gain[:pairs] + h_gain[:pairs]
    pairs = int(np.argmin(net > 0)) if not (net > 0).all() else pairs
    if not pairs:
        return 0
    both = s.deltas(rows[:pairs], g_to[:pairs]) + s.deltas(holding[:pairs], h_to[:pairs])
    lim = s.limited
    alone = (np.maximum(both[lim], 0.0) <= s.left[lim][:, None] + _SLACK).all(axis=0)
    idx = np.flatnonzero(alone)
    return _accept_pairs(s, rows[idx], g_to[idx], holding[idx], h_to[idx], both[:, idx])


def _accept_pairs(s: _State, g: I64, g_to: I64, h: I64, h_to: I64, both: F64) -> int:
    lim = s.limited
    run = np.cumsum(np.maximum(both[lim], 0.0), axis=1) <= s.left[lim][:, None] + _SLACK
    ok = run.all(axis=0)
    stop = len(g) if ok.all() else int(np.argmin(ok))
    s.apply(h[:stop], h_to[:stop])
    s.apply(g[:stop], g_to[:stop])
    return stop


def improve(p: Problem, offer: I64, channel: I64, rounds: int = ROUNDS) -> None:
    """Switches until none is left, then exchanges through each limited resource; again
    while an exchange was made, for at most ``rounds`` rounds (in place: ``offer`` and
    ``channel``)."""
    s = _State(p, offer, channel)
    for _ in range(rounds):
        for _ in range(rounds):
            if not _switch(s):
                break
        if not sum(_exchange(s, r) for r in s.limited):
            return
