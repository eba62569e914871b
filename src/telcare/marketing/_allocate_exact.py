"""Tiny allocations solved exactly: when the customers' choices (each candidate cell
or none) multiply to at most :data:`EXACT` assignments, :func:`exact` tries every
one at once (numpy over the assignments) and keeps the most valuable that fits every
room, the first in order on ties (none before an offer, earlier offers first).

>>> from telcare.marketing._lagrange import Problem
>>> p = Problem(np.array([[10_000.0, 1_000.0], [-np.inf, 500.0]]), np.zeros((2, 2), np.int8),
...             np.eye(2), np.array([0.0, 1.0]), np.full(5, np.inf))
>>> offer, channel, value = exact(p)
>>> offer.tolist(), value
([1, -1], 1000.0)
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from telcare.marketing._lagrange import Problem

__all__ = ["EXACT", "exact"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

#: The most assignments tried one by one (a few MB and milliseconds of work at most).
EXACT = 1 << 16
_SLACK = 1e-9


def exact(p: Problem) -> tuple[I64, I64, float] | None:
    """The best assignment (offer, channel per customer; -1: none) and its value, or
    ``None`` when there are more than :data:`EXACT` assignments to try."""
    most = EXACT
    n, m = p.value.shape
    finite = np.isfinite(p.value)
    counts = finite.sum(axis=1) + 1
    if n > most.bit_length() * 2 or float(np.prod(counts.astype(np.float64))) > most:
        return None
    total = int(np.prod(counts))
    strides = np.cumprod(np.concatenate([[1], counts[:-1]])).astype(np.int64)
    digits = (np.arange(total)[:, None] // strides[None, :]) % counts[
        None, :
    ]  # [assignment, customer]
    cells = np.full((n, m + 1), -1, np.int64)  # digit 0: none; then the candidate offers in order
    ordered = np.sort(np.where(finite, np.arange(m), m), axis=1)
    cells[:, 1:] = np.where(ordered < m, ordered, -1)
    offer = cells[np.arange(n)[None, :], digits]
    got = offer >= 0
    safe = np.maximum(offer, 0)
    rows = np.broadcast_to(np.arange(n), offer.shape)
    value = np.where(got, p.value[rows, safe], 0.0).sum(axis=1)
    ok = np.ones(total, bool)
    for r in np.flatnonzero(np.isfinite(p.room)).tolist():
        ok &= np.where(got, p.use[r][safe], 0.0).sum(axis=1) <= p.room[r] + _SLACK
    channel = np.where(got, p.channel[rows, safe].astype(np.int64), -1)
    for c in np.flatnonzero(np.isfinite(p.channel_room)).tolist():
        ok &= (channel == c).sum(axis=1) <= p.channel_room[c] + _SLACK
    value[~ok] = -np.inf
    best = int(np.argmax(value))  # the empty assignment (0) always fits
    return offer[best].copy(), channel[best].copy(), float(value[best])
