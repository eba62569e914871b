"""The built-in offer gates, one row each of :data:`OFFER_GATES`, written as
module-level functions rather than lambdas so the table pickles (a Dask worker
receives it by value) and each term has a name in a traceback.

>>> [g.name for g in OFFER_GATES][:4]
['valid', 'do_not_call', 'tier', 'segment']
>>> import pickle
>>> [g.name for g in pickle.loads(pickle.dumps(OFFER_GATES))] == [g.name for g in OFFER_GATES]
True
>>> pickle.loads(pickle.dumps(OFFER_GATES))["channel"] is CHANNEL_GATE
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

import telcare.marketing._reasons as why
from telcare._core.errors import InvalidInput
from telcare._core.reasons import Reason
from telcare.contact import DO_NOT_CALL
from telcare.marketing._columns import Columns, channel_table
from telcare.marketing._gates import BUILTIN_GATES, GateCase, GateContext, OfferGate, OfferGates
from telcare.policy import Offer

__all__ = ["CHANNEL_GATE", "OFFER_GATES"]

Bools = npt.NDArray[np.bool_]
_BIG = int(np.iinfo(np.int64).max)


def _band(low: int | None, high: int | None) -> tuple[int, int] | None:
    return None if low is None and high is None else (low or 0, _BIG if high is None else high)


def _tiers(o: Offer, ctx: GateContext) -> Bools | None:
    codes = ctx.policy.tiers.codes
    unknown = [t for t in o.tiers if t not in codes]
    if unknown:
        raise InvalidInput(
            f"offer {o.code!r} names tiers {unknown} not on the ladder {list(codes)}"
        )
    return np.array([t in o.tiers for t in codes]) if o.tiers else None


def _segments(o: Offer, ctx: GateContext) -> bool | None:
    bad = [s for s in o.segments if s != ctx.policy.segment.code]
    if bad:
        raise InvalidInput(
            f"offer {o.code!r} names segments {bad}; the policy defines {ctx.policy.segment.code!r}"
        )
    return True if o.segments else None


def _bits(o: Offer, names: Iterable[str], ctx: GateContext) -> npt.NDArray[np.uint64] | None:
    found = [ctx.holdings.index(c) for c in names]
    if not found:
        return None
    out = np.zeros(max(1, -(-len(ctx.holdings) // 64)), dtype=np.uint64)
    for i in found:
        out[i // 64] |= np.uint64(1) << np.uint64(i % 64)
    return out


def _holds_all(needs: npt.NDArray[np.uint64], c: Columns) -> Bools:
    ok: Bools = (c.holds[0] & needs[0]) == needs[0]
    for w in range(1, len(needs)):
        ok &= (c.holds[w] & needs[w]) == needs[w]
    return ok


def _holds_none(bits: npt.NDArray[np.uint64], c: Columns) -> Bools:
    ok: Bools = (c.holds[0] & bits[0]) == 0
    for w in range(1, len(bits)):
        ok &= (c.holds[w] & bits[w]) == 0
    return ok


def _spend_in_band(band: tuple[int, int], c: Columns) -> Bools:
    ok: Bools = (c.avg_spend >= band[0]) & (c.avg_spend <= band[1])
    return ok


def _fee_in_band(band: tuple[int, int], c: Columns) -> Bools:
    ok: Bools = (c.plan_fee >= band[0]) & (c.plan_fee <= band[1])
    return ok


def _no_channel(_: Any, case: GateCase) -> Reason:
    used = [c.value for c in case.offer.channels]
    refused = sorted(c.value for c in case.prospect.refused_channels)
    return why.NO_CHANNEL(channels=used, refused=refused)


def _conflicting(_: Any, case: GateCase) -> list[Reason]:
    held = case.prospect.holds
    conflicts = case.offer.conflicts.items()
    return [why.CONFLICT(holding=k, detail=text) for k, text in conflicts if k in held]


# One row's three parts each: bound (the offer's parameter), passes (the term over
# customer columns), reason (why one customer fails).


def _valid_bound(o: Offer, ctx: GateContext) -> bool:
    return o.valid_on(ctx.day)


def _valid_passes(ok: bool, c: Columns) -> Any:
    return np.bool_(ok)


def _valid_reason(_: Any, k: GateCase) -> Reason:
    return why.VALID(day=k.day, valid_from=k.offer.valid_from, valid_to=k.offer.valid_to)


def _always(o: Offer, ctx: GateContext) -> bool:
    return True


def _callable(_: Any, c: Columns) -> Bools:
    return c.callable


def _do_not_call_reason(_: Any, k: GateCase) -> Reason:
    return DO_NOT_CALL()


def _tier_passes(ok: Bools, c: Columns) -> Bools:
    out: Bools = ok[c.tier]
    return out


def _tier_reason(_: Any, k: GateCase) -> Reason:
    return why.TIER_GATE(tier=k.prospect.customer.tier, tiers=k.offer.tiers)


def _member(_: Any, c: Columns) -> Bools:
    return c.segment_member


def _segment_reason(_: Any, k: GateCase) -> Reason:
    return why.SEGMENT(segments=k.offer.segments)


def _spend_bound(o: Offer, ctx: GateContext) -> tuple[int, int] | None:
    return _band(o.min_spend, o.max_spend)


def _spend_reason(_: Any, k: GateCase) -> Reason:
    return why.band_reason("spend", k["avg_spend"], k.offer.min_spend, k.offer.max_spend)


def _fee_bound(o: Offer, ctx: GateContext) -> tuple[int, int] | None:
    return _band(o.min_plan_fee, o.max_plan_fee)


def _fee_reason(_: Any, k: GateCase) -> Reason:
    return why.band_reason("plan_fee", k["plan_fee"], k.offer.min_plan_fee, k.offer.max_plan_fee)


def _tenure_bound(o: Offer, ctx: GateContext) -> int | None:
    return o.min_tenure_months


def _tenure_passes(m: int, c: Columns) -> Bools:
    ok: Bools = c.tenure_months >= m
    return ok


def _tenure_reason(m: int, k: GateCase) -> Reason:
    return why.TENURE(months=k["tenure_months"], minimum=m)


def _credit_bound(o: Offer, ctx: GateContext) -> int | None:
    return o.min_credit_level


def _credit_passes(m: int, c: Columns) -> Bools:
    ok: Bools = c.credit_level >= m
    return ok


def _credit_reason(m: int, k: GateCase) -> Reason:
    return why.CREDIT(level=k["credit_level"], minimum=m)


def _requires_bound(o: Offer, ctx: GateContext) -> npt.NDArray[np.uint64] | None:
    return _bits(o, o.requires, ctx)


def _requires_reason(_: Any, k: GateCase) -> Reason:
    return why.REQUIRES(missing=sorted(set(k.offer.requires) - k.prospect.holds))


def _channel_bound(o: Offer, ctx: GateContext) -> npt.NDArray[np.int8]:
    return channel_table(o.channels)


def _channel_passes(table: npt.NDArray[np.int8], c: Columns) -> Bools:
    ok: Bools = table[c.profile] >= 0
    return ok


def _conflicts_bound(o: Offer, ctx: GateContext) -> npt.NDArray[np.uint64] | None:
    return _bits(o, o.conflicts, ctx)


#: The built-in gates, in the order their reasons are given.
OFFER_GATES = OfferGates((
    OfferGate("valid", _valid_bound, _valid_passes, _valid_reason),
    OfferGate("do_not_call", _always, _callable, _do_not_call_reason),
    OfferGate("tier", _tiers, _tier_passes, _tier_reason),
    OfferGate("segment", _segments, _member, _segment_reason),
    OfferGate("spend", _spend_bound, _spend_in_band, _spend_reason),
    OfferGate("plan_fee", _fee_bound, _fee_in_band, _fee_reason),
    OfferGate("tenure", _tenure_bound, _tenure_passes, _tenure_reason),
    OfferGate("credit", _credit_bound, _credit_passes, _credit_reason),
    OfferGate("requires", _requires_bound, _holds_all, _requires_reason),
    OfferGate("channel", _channel_bound, _channel_passes, _no_channel),
    OfferGate("conflicts", _conflicts_bound, _holds_none, _conflicting),
))  # fmt: skip

BUILTIN_GATES.update((gate.name, gate) for gate in OFFER_GATES)

#: The built-in channel row: the whole-base match has its term already (``known``).
CHANNEL_GATE = next(gate for gate in OFFER_GATES if gate.name == "channel")
