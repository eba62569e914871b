"""What an allocation chooses among and what bounds it: the candidate cells of a
match (allowed before the first-come limits, outside every holdout, of positive
value), their values, and the resources (budgets, points budgets, offers' most
customers, channels' contacts today) with the room each has left.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.checks import bool_column, column, integer, number, same_length, text
from telcare._core.column_checks import row_blocks
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_COUNT, MAX_FEN
from telcare._core.type_checks import mapping
from telcare.marketing._base import OfferMatch, _matrix
from telcare.marketing._inputs import bools_among_numbers
from telcare.marketing._prospect import CHANNELS
from telcare.marketing._reasons import ALLOCATION_REASONS
from telcare.policy import Channel

__all__ = ["REASONS", "Resources", "candidates", "channel_rooms", "resources", "value_table"]

Bools = npt.NDArray[np.bool_]
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

#: Why a customer got no offer, by code (0: it got one): reasons ``allocation.*``.
REASONS = ALLOCATION_REASONS
HOLDOUT, NOT_ELIGIBLE, CUSTOMER_LIMIT, CAP, NO_VALUE, BUDGET, OFFER_LIMIT, CAPACITY = range(1, 9)


def candidates(match: OfferMatch, holdout: Any) -> tuple[Bools, Bools, npt.NDArray[np.int8]]:
    """The cells an allocation may choose (``[customer, offer]``), the customers held
    out (the programme's control group and ``holdout``), and the reason of each
    customer with no candidate (0 for the others)."""
    n = len(match.best)
    held = match.held_out().copy()
    if holdout is not None:
        given = bool_column(holdout, "holdout")
        same_length(tier=match.best, holdout=given)
        held |= given
    pre = match.allowed if match.withheld is None else match.allowed | match.withheld
    a = match.allotment
    most = None if a is None else a.limits.catalogue.max_offers_per_customer
    limited = np.zeros(n, bool) if a is None or most is None else a.offers_in_period >= most
    cand = pre & ~(held | limited)[:, None]
    if a is not None:
        for j, k in enumerate(a.limits.campaign.tolist()):
            group = a.campaigns[k] if k >= 0 else None
            if group is not None:
                cand[:, j] &= ~group
    reason = np.select(
        [held, ~match.eligible.any(axis=1), limited, ~pre.any(axis=1), ~cand.any(axis=1)],
        [HOLDOUT, NOT_ELIGIBLE, CUSTOMER_LIMIT, CAP, HOLDOUT],
        0,
    ).astype(np.int8)
    return cand, held, reason


def _fen_column(value: Any, n: int, m: int) -> F64:
    """A customer's value (``[customer]``, or ``[customer, offer]``) in fen, checked
    the same way in both forms: finite numbers within ``MAX_FEN``, no bool, no text,
    no missing value, each refused by its position."""
    if isinstance(value, list | tuple) and bools_among_numbers(value):
        value = np.array(value, dtype=object)  # numpy would read True as 1.0
    arr = column(value, "value", ndim=None)
    if arr.shape not in ((n,), (n, m)):
        raise InvalidInput(
            f"value must have one row per customer ({n}) or shape ({n}, {m}), got shape {arr.shape}"
        )
    flat = arr.reshape(-1)
    if arr.dtype.kind not in "iuf":
        spots = (f"value[{', '.join(map(str, ix))}]" for ix in np.ndindex(arr.shape))
        flat = np.array([number(v, k) for v, k in zip(flat.tolist(), spots, strict=True)])
    out = flat.astype(np.float64)
    bad = ~(np.abs(out) <= MAX_FEN)
    if bad.any():
        ix = np.unravel_index(int(np.argmax(bad)), arr.shape)
        raise InvalidInput(
            f"value[{', '.join(str(int(k)) for k in ix)}] must be a finite amount of fen "
            f"within {MAX_FEN:,}, got {arr[ix].item()!r}"
        )
    shaped: F64 = out.reshape(arr.shape)
    return shaped


def value_table(match: OfferMatch, cand: Bools, value: Any, uplift: Any) -> tuple[I64, F64]:
    """The customers with a candidate of positive value, and ``response (or uplift)
    x value - cost`` of their cells (``-inf`` where no candidate or not positive)."""
    n, m = cand.shape
    response = match.response if uplift is None else _uplift(uplift, (n, m))
    worth = None if value is None else _fen_column(value, n, m)
    rows = np.flatnonzero(cand.any(axis=1))
    out = np.empty((len(rows), m))
    for part in row_blocks(len(rows)):
        r = rows[part]
        cells = np.ones((len(r), m)) if response is None else np.array(response[r], np.float64)
        if worth is None:
            cells *= match.value
        else:
            cells *= worth[r][:, None] if worth.ndim == 1 else worth[r]
        cells -= match.cost
        cells[~cand[r] | ~(cells > 0)] = -np.inf
        out[part] = cells
    keep = np.isfinite(out).any(axis=1)
    if keep.all():
        return rows, out
    return rows[keep], out[keep]


def _uplift(uplift: Any, shape: tuple[int, int]) -> F64:
    """``uplift`` (customers x offers) checked as a response is, then as what it is: the
    treated response rate less the control's, a difference of probabilities in [-1, 1],
    so ``uplift x value`` is the value an offer adds (percentage points would be 100x).

    >>> _uplift([[0.25, -1.0], [1.0, 12.5]], (2, 2))
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: uplift[1, 1] must be a difference of probabilities, from -1 to 1, got 12.5 (an uplift of 12.5 percentage points is 0.125)
    """
    out: F64 = _matrix(uplift, "uplift", shape, "float")
    bad = ~(np.abs(out) <= 1.0)
    if bad.any():
        i, j = np.unravel_index(int(np.argmax(bad)), shape)
        v = float(out[i, j])
        hint = f" (an uplift of {v!r} percentage points is {v / 100!r})" if abs(v) <= 100 else ""
        raise InvalidInput(
            f"uplift[{i}, {j}] must be a difference of probabilities, from -1 to 1, got {v!r}"
            + hint
        )
    return out


class Resources:
    """The resources as rows: each offer's use (``[resource, offer]``), the room left,
    the reason code when it shuts a customer out, and a label."""

    __slots__ = ("kinds", "labels", "rooms", "uses")

    def __init__(self) -> None:
        self.uses: list[F64] = []
        self.rooms: list[float] = []
        self.kinds: list[int] = []
        self.labels: list[str] = []

    def add(self, use: npt.NDArray[Any], room: int, kind: int, label: str) -> None:
        self.uses.append(use.astype(np.float64))
        self.rooms.append(float(max(room, 0)))
        self.kinds.append(kind)
        self.labels.append(label)


def _offer_limits(limits: Any, codes: tuple[str, ...]) -> dict[int, int]:
    if limits is None:
        return {}
    given = mapping(limits, "limits must map offer codes to most customers, got {got}")
    out = {}
    for code, most in given.items():
        code = text(code, "limits key")
        if code not in codes:
            raise InvalidInput(f"limits names {code!r}, not an offer of the match ({list(codes)})")
        out[codes.index(code)] = integer(most, f"limits[{code!r}]", maximum=MAX_COUNT)
    return out


def resources(match: OfferMatch, budget: Any, limits: Any) -> Resources:
    """``budget`` (fen over every offer), the catalogue's campaign budgets and points
    budgets and offers' most customers less the match's start usage, and ``limits``."""
    out, m, a = Resources(), len(match.codes), match.allotment
    if budget is not None:
        out.add(match.cost, integer(budget, "budget", maximum=MAX_FEN), BUDGET, "budget")
    most = _offer_limits(limits, match.codes)
    if a is not None:
        lim, start = a.limits, a.start
        for k, c in enumerate(lim.catalogue.campaigns):
            mine = lim.campaign == k
            if c.budget is not None:
                out.add(np.where(mine, lim.cost, 0), c.budget - start.spent.get(c.code, 0),
                        BUDGET, f"campaign {c.code} budget")  # fmt: skip
            if c.points_budget is not None:
                out.add(np.where(mine, lim.points, 0), c.points_budget - start.points.get(c.code, 0),
                        BUDGET, f"campaign {c.code} points budget")  # fmt: skip
        for j, o in enumerate(lim.catalogue.offers):
            if o.max_customers is not None:
                left = o.max_customers - start.customers.get(o.code, 0)
                most[j] = min(most.get(j, left), left)
    for j in sorted(most):
        out.add(
            (np.arange(m) == j).astype(np.float64), most[j], OFFER_LIMIT, f"offer {match.codes[j]}"
        )
    return out


def channel_rooms(capacity: Any) -> F64:
    """Contacts left today per channel (``CHANNELS`` order; ``inf``: no limit)."""
    rooms = np.full(len(CHANNELS), np.inf)
    if capacity is None:
        return rooms
    given: Mapping[Any, Any] = mapping(
        capacity, "capacity must map channels to contacts today, got {got}"
    )
    for key, most in given.items():
        try:
            channel = Channel(key)
        except (ValueError, TypeError):
            raise InvalidInput(
                f"capacity names {key!r}, not a channel ({[c.value for c in CHANNELS]})"
            ) from None
        rooms[CHANNELS.index(channel)] = integer(
            most, f"capacity[{channel.value!r}]", maximum=MAX_COUNT
        )
    return rooms
