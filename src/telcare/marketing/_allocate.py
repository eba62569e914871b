"""One allocation for the whole base: :func:`allocate` chooses one offer (or none)
per customer to maximise the expected incremental value, ``response (or uplift) x
value - cost``, within a budget, the catalogue's campaign and points budgets and
offers' most customers, the channels' contacts today (the agents' capacity), the
frequency caps, the channel caps, quiet hours and holidays (what the match allows
now: each customer gets one contact at most, so a channel with room for one more
contact takes it) and the holdouts; and says why each customer left out was left out.

How: the cells that cannot fit even alone (an offer with a limit of 0, a channel
with no contact left) are shut; a tiny problem (at most 65,536 assignments) is
solved exactly (:mod:`telcare.marketing._allocate_exact`).  Otherwise each limited
resource is priced (:mod:`telcare.marketing._lagrange`), every customer takes its
best offer net of the prices, the few over a room are dropped, the room left is
filled best value first (:mod:`telcare.marketing._fill`), and moves that keep every
room raise the value: a customer switches to a better cell that fits, or takes a
unit of a full resource from a holder who loses less
(:mod:`telcare.marketing._allocate_search`).  The prices also give an upper bound
on any allocation (the dual bound; the optimum itself when solved exactly);
``gap`` is how far below it the allocation is.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import instance
from telcare._core.display import Tabular
from telcare._core.frozen import FrozenDict
from telcare.marketing._allocate_exact import exact
from telcare.marketing._allocate_search import close, improve
from telcare.marketing._base import OfferMatch
from telcare.marketing._fill import blocked, fill, repair
from telcare.marketing._lagrange import TIE, Problem, choose, dual_bound, search, untie, used
from telcare.marketing._prospect import CHANNELS
from telcare.marketing._resources import (
    CAPACITY,
    NO_VALUE,
    REASONS,
    Resources,
    candidates,
    channel_rooms,
    resources,
    value_table,
)
from telcare.marketing._usage import Usage

__all__ = ["ALLOCATION_REASONS", "Allocation", "allocate"]

Bools = npt.NDArray[np.bool_]
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

#: The reason codes of :attr:`Allocation.reason` (0, ``""``: the customer got an offer).
ALLOCATION_REASONS = REASONS


@attrs.frozen(slots=True, eq=False)
class Allocation(Tabular):
    """One offer (or none) per customer, and what the whole allocation adds up to.

    Per customer: ``offer`` (an index into ``codes``; -1: none), ``channel`` (an
    index into :class:`~telcare.Channel`; -1: none), ``value`` (its expected
    incremental value in fen; 0 without an offer), ``reason`` (a code into
    :data:`ALLOCATION_REASONS`: why a customer got none; 0 for one that got an
    offer), ``held_out`` (the control group: the programme's and the one given).
    Totals: ``expected_value`` (fen), ``spent`` (fen), ``counts`` per offer,
    ``by_channel`` contacts, ``by_campaign`` spent and ``points`` given per campaign,
    ``prices`` of each limited resource (the expected value one more unit of it
    would add: fen per fen of a budget, per customer of an offer's limit, per
    contact of a channel), and ``bound``, an upper bound on any allocation's value.
    """

    codes: tuple[str, ...]
    offer: I64
    channel: npt.NDArray[np.int8]
    value: F64
    reason: npt.NDArray[np.int8]
    held_out: Bools
    expected_value: float
    bound: float
    spent: int
    counts: FrozenDict[str, int]
    by_channel: FrozenDict[str, int]
    by_campaign: FrozenDict[str, int]
    points: FrozenDict[str, int]
    prices: FrozenDict[str, float]
    match: OfferMatch = attrs.field(repr=False)

    def __len__(self) -> int:
        return len(self.offer)

    @property
    def gap(self) -> float:
        """How far the allocation's value is below the bound, as a share of the bound."""
        return 0.0 if self.bound <= 0 else max(0.0, 1.0 - self.expected_value / self.bound)

    def reasons(self) -> npt.NDArray[np.object_]:
        """Why each customer got no offer (``None`` where it got one): each a
        :class:`~telcare.Reason` (``allocation.*`` codes, docs/reasons.md)."""
        texts = np.array([None, *REASONS[1:]], dtype=object)
        out: npt.NDArray[np.object_] = texts[self.reason]
        return out

    def left_out(self) -> dict[str, int]:
        """The customers left out, by reason."""
        per = np.bincount(self.reason, minlength=len(REASONS))
        return {REASONS[k]: int(per[k]) for k in range(1, len(REASONS)) if per[k]}

    def usage(self) -> Usage:
        """The match's start usage plus what this allocation uses, for the next match."""
        a = self.match.allotment
        return Usage() if a is None else a.used(self.offer)

    def _columns(self) -> dict[str, Any]:
        codes = np.array([*self.codes, None], dtype=object)
        names = np.array([*(c.value for c in CHANNELS), None], dtype=object)
        return {
            "offer": codes[np.where(self.offer >= 0, self.offer, len(self.codes))],
            "channel": names[np.where(self.channel >= 0, self.channel, len(CHANNELS))],
            "value": self.value,
            "reason": self.reasons(),
        }


def _problem(match: OfferMatch, rows: I64, values: F64, res: Resources, capacity: Any) -> Problem:
    m = len(match.codes)
    use = np.array(res.uses, np.float64).reshape(len(res.uses), m)
    channel = np.asarray(match.channel[rows], np.int8)
    return Problem(values, channel, use, np.array(res.rooms, np.float64), channel_rooms(capacity))


def _most_valuable(values: F64) -> I64:
    """Each row's most valuable offer, before any is shut (what a reason names)."""
    out: I64 = values.argmax(axis=1) if values.shape[1] else np.zeros(len(values), np.int64)
    return out


def _solve(p: Problem) -> tuple[I64, I64, F64, float]:
    """The assignment (offer, channel per candidate customer), the prices and the
    bound: exact when tiny, else priced, repaired, filled and improved by moves."""
    close(p)
    prices = search(p)
    offer, channel, reduced = choose(p, prices)
    at_zero = float(np.where(np.isfinite(p.value), p.value, 0.0).max(axis=1, initial=0.0).sum())
    bound = min(dual_bound(p, prices, reduced), at_zero)
    tiny = exact(p)
    if tiny is None:
        offer, channel = fill(p, *repair(p, offer, channel, reduced), prices)
        improve(p, offer, channel)
    else:
        offer, channel, best = tiny
        bound = min(bound, best)  # the optimum itself
    # the values were lowered by at most TIE (untie): the bound of the true values
    return offer, channel, prices, bound / (1 - TIE)


def _why_left_out(p: Problem, res: Resources, reason: npt.NDArray[np.int8], rows: I64, got: I64, chan: I64, top: I64) -> None:  # fmt: skip
    """Fill in ``reason`` for the candidates left out (the resource that shuts their
    most valuable offer, ``top``) and the customers with no candidate of positive value."""
    reason[(reason == 0) & ~np.isin(np.arange(len(reason)), rows)] = NO_VALUE
    out = got < 0
    left = p.rooms - used(p, got, chan)
    kinds = np.array([*res.kinds, *[CAPACITY] * len(CHANNELS)], np.int64)
    reason[rows[out]] = blocked(p, top[out], np.flatnonzero(out), left, kinds)


def _totals(match: OfferMatch, offer: I64, channel: I64) -> dict[str, Any]:
    counts = np.bincount(offer[offer >= 0], minlength=len(match.codes)).tolist()
    per_channel = np.bincount(channel[channel >= 0], minlength=len(CHANNELS)).tolist()
    cost = match.cost.tolist()
    by_campaign: dict[str, int] = {}
    points: dict[str, int] = {}
    if match.allotment is not None:
        lim = match.allotment.limits
        for j, k in enumerate(lim.campaign.tolist()):
            if k >= 0:
                code = lim.catalogue.campaigns[k].code
                by_campaign[code] = by_campaign.get(code, 0) + counts[j] * int(cost[j])
                points[code] = points.get(code, 0) + counts[j] * int(lim.points[j])
    return {
        "spent": sum(k * c for k, c in zip(counts, cost, strict=True)),
        "counts": FrozenDict(zip(match.codes, counts, strict=True)),
        "by_channel": FrozenDict((CHANNELS[c].value, k) for c, k in enumerate(per_channel) if k),
        "by_campaign": FrozenDict(by_campaign),
        "points": FrozenDict(points),
    }


def allocate(
    match: OfferMatch,
    *,
    budget: int | None = None,
    capacity: Any = None,
    limits: Any = None,
    holdout: Any = None,
    value: Any = None,
    uplift: Any = None,
) -> Allocation:
    """One offer (or none) per customer of ``match``, maximising the expected value
    within every limit (see the module); deterministic, ties to the earlier row.

    ``budget`` bounds the fen spent over every offer (the catalogue's campaign budgets
    and points budgets and offers' ``max_customers``, less the match's ``usage``,
    hold as well); ``capacity`` maps channels to the contacts they take today (e.g.
    ``{"phone": agents x calls_per_agent_day}``); ``limits`` maps offer codes to
    their most customers in this allocation; ``holdout`` marks customers to keep out
    (a control group, e.g. from :func:`~telcare.holdout`) besides the catalogue's.
    The value of a cell is ``response x value - cost``: ``uplift`` (customers x offers,
    the response rate each offer adds, -1 to 1) replaces the match's response, ``value``
    (per customer, or customers x offers, in fen: e.g. what keeping the customer is
    worth, from ``RetentionCurve.discounted_value``) replaces the offers' value.

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> import telcare as tc
    >>> catalogue = tc.OfferCatalogue.model_validate({"offers": [
    ...     {"code": "big", "name": "Big", "project_type": "promotion", "channels": ["phone"],
    ...      "value": 10_000, "cost": 3_000, "valid_from": "2010-01-01", "valid_to": "2010-12-31"},
    ...     {"code": "small", "name": "Small", "project_type": "promotion", "channels": ["sms"],
    ...      "value": 3_000, "cost": 500, "valid_from": "2010-01-01", "valid_to": "2010-12-31"}]})
    >>> m = tc.match_offers(catalogue, at=datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
    ...                     tier=[0] * 4, segment_member=[False] * 4, avg_spend=[9_000] * 4,
    ...                     plan_fee=[5_800] * 4, tenure_months=[12] * 4, credit_level=[1] * 4,
    ...                     response=[[0.9, 0.5], [0.4, 0.6], [0.5, 0.5], [0.8, 0.3]])
    >>> a = tc.allocate(m, budget=3_500, holdout=[False, False, True, False])
    >>> a.to_dict()["offer"], a.expected_value, a.spent, a.left_out()
    (['big', 'small', None, None], 7300.0, 3500, {'holdout': 1, 'budget spent': 1})
    """
    match = instance(match, OfferMatch, "allocate() needs an OfferMatch, got {got}")
    n = len(match.best)
    cand, held, reason = candidates(match, holdout)
    rows, values = value_table(match, cand, value, uplift)
    res = resources(match, budget, limits)
    factor, top = untie(values), _most_valuable(values)
    p = _problem(match, rows, values, res, capacity)
    got, chan, prices, bound = _solve(p)
    offer, channel, worth = np.full(n, -1, np.int64), np.full(n, -1, np.int8), np.zeros(n)
    offer[rows], channel[rows] = got, chan
    taken = got >= 0
    at = np.flatnonzero(taken)
    worth[rows[taken]] = values[at, got[taken]] / factor[at]
    _why_left_out(p, res, reason, rows, got, chan, top)
    labels = [*res.labels, *(f"{c.value} capacity" for c in CHANNELS)]
    return Allocation(
        match.codes, offer, channel, worth, reason, held, float(worth.sum()), bound,
        prices=FrozenDict((labels[r], float(prices[r])) for r in np.flatnonzero(np.isfinite(p.rooms)).tolist()),
        match=match, **_totals(match, offer, channel.astype(np.int64)),
    )  # fmt: skip
