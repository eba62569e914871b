"""The offer gates as rows of one table: what each reads from the offer, its
whole-base term over customer columns, and the reason it gives a refused customer.

Every gate of an offer must pass for the offer to be eligible.  A row is an
:class:`OfferGate`: ``bound(offer, context)`` reads the offer (and the policy and
day from ``context``) once per match and returns the gate's parameter for that
offer, or ``None`` when the offer sets no such gate (everyone passes);
``passes(parameter, columns)`` is the whole-base term, a bool per customer row
(both forms of the match run it: a whole base, or the one row of one customer);
``reason(parameter, case)`` says why one customer fails.  :data:`OFFER_GATES` is
the built-in table; ``OFFER_GATES.with_gate(gate)`` gives a table with a gate of
one's own, which the matchers take as ``gates=`` (see ``docs/extending.md``).

A new built-in gate is one field of :class:`~telcare.Offer`
(``policy/_offers.py``) and one row here.

>>> [g.name for g in OFFER_GATES][:4]
['valid', 'do_not_call', 'tier', 'segment']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import code, instance, items
from telcare._core.errors import InvalidInput
from telcare._core.text import yuan_text
from telcare.marketing._columns import Columns, channel_table
from telcare.marketing._prospect import Prospect
from telcare.policy import Offer, OfferCatalogue, Policy

__all__ = ["OFFER_GATES", "GateCase", "GateContext", "OfferGate", "OfferGates"]

Bools = npt.NDArray[np.bool_]
_BIG = int(np.iinfo(np.int64).max)


@attrs.frozen(slots=True)
class GateContext:
    """What a gate's ``bound`` may read besides the offer: the policy, the day of the
    match and the catalogue (``holdings`` are the columns of ``holds``)."""

    policy: Policy
    day: date
    catalogue: OfferCatalogue

    @property
    def holdings(self) -> tuple[str, ...]:
        return self.catalogue.holdings


@attrs.frozen(slots=True)
class GateCase:
    """One customer refused by a gate: the offer, the prospect, the day, and its row
    of the customer columns by name (``case["avg_spend"]``)."""

    offer: Offer
    prospect: Prospect
    day: date
    columns: Columns

    def __getitem__(self, name: str) -> Any:
        return self.columns[name][0].item()


def _name(instance: object, attribute: object, value: str) -> None:
    code(value, "OfferGate.name")


def _names(value: object) -> tuple[str, ...]:
    names = tuple(code(n, "OfferGate.columns") for n in items(value, "OfferGate.columns", of=str))
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InvalidInput(f"OfferGate.columns must name each column once, {repeated} repeat")
    return names


def _callable(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not callable(value):
        raise InvalidInput(f"OfferGate.{attribute.name} must be callable, got {value!r}")


def passed_by(gate: OfferGate, passed: Any, rows: int) -> Any:
    """What a gate's ``passes`` gave, checked: a bool, or a bool column of ``rows`` rows."""
    if passed is True or passed is False or passed is np.True_ or passed is np.False_:
        return passed
    arr = np.asarray(passed)
    if arr.dtype != np.bool_ or arr.shape not in ((rows,), (rows, 1), ()):
        raise InvalidInput(
            f"the offer gate {gate.name!r} must pass a bool or {rows} bools, got "
            f"{type(passed).__name__} of dtype {arr.dtype} and shape {arr.shape}"
        )
    return arr.reshape(rows) if arr.shape else arr


@attrs.frozen(slots=True)
class OfferGate:
    """One gate: its name, the offer's parameter (``bound``), its whole-base term
    (``passes``) and its reason; ``columns`` names the extra customer columns it
    reads, which the matchers then require in ``columns=``."""

    name: str = attrs.field(validator=_name)
    bound: Callable[[Offer, GateContext], Any] = attrs.field(validator=_callable)
    passes: Callable[[Any, Columns], Any] = attrs.field(validator=_callable)
    reason: Callable[[Any, GateCase], str | Iterable[str]] = attrs.field(validator=_callable)
    columns: tuple[str, ...] = attrs.field(default=(), converter=_names)


def _gates(value: object) -> tuple[OfferGate, ...]:
    return tuple(items(value, "OfferGates gates", of=OfferGate))


@attrs.frozen(slots=True)
class OfferGates:
    """An immutable, ordered table of offer gates; ``with_gate`` gives a larger one."""

    gates: tuple[OfferGate, ...] = attrs.field(converter=_gates)

    def __attrs_post_init__(self) -> None:
        names = [g.name for g in self.gates]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise InvalidInput(f"offer gate names must be unique, {repeated} repeat")

    def __iter__(self) -> Iterator[OfferGate]:
        return iter(self.gates)

    def __len__(self) -> int:
        return len(self.gates)

    def __contains__(self, name: object) -> bool:
        return type(name) is str and any(g.name == name for g in self.gates)

    def __getitem__(self, name: str) -> OfferGate:
        """The gate called ``name`` (a plain ``str``), as ``REPORTS[name]`` reads a report.

        >>> import telcare as tc
        >>> "tier" in tc.OFFER_GATES, tc.OFFER_GATES["tier"].name
        (True, 'tier')
        """
        if type(name) is str:
            for gate in self.gates:
                if gate.name == name:
                    return gate
        raise InvalidInput(
            f"unknown offer gate {name!r}; gates: {', '.join(g.name for g in self.gates)}"
        )

    def with_gate(self, gate: OfferGate) -> OfferGates:
        """A table with ``gate`` after the others (its name must be new).

        >>> import telcare as tc
        >>> quiet = tc.OfferGate("quiet", lambda offer, ctx: None, lambda p, cols: True, lambda p, case: "")
        >>> len(tc.OFFER_GATES.with_gate(quiet)) - len(tc.OFFER_GATES)
        1
        """
        gate = instance(gate, OfferGate, "with_gate() needs an OfferGate, got {got}")
        return OfferGates((*self.gates, gate))


# ----------------------------------------------------------- the built-in rows


def _band(low: int | None, high: int | None) -> tuple[int, int] | None:
    return None if low is None and high is None else (low or 0, _BIG if high is None else high)


def _outside(what: str, fen: int, low: int | None, high: int | None) -> str:
    top = "any" if high is None else yuan_text(high)
    return f"{what} {yuan_text(fen)} outside the offer's band {yuan_text(low or 0)} to {top}"


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


def _in_band(name: str) -> Callable[[tuple[int, int], Columns], Bools]:
    def passes(band: tuple[int, int], c: Columns) -> Bools:
        value = c[name]
        ok: Bools = (value >= band[0]) & (value <= band[1])
        return ok

    return passes


def _no_channel(_: Any, case: GateCase) -> str:
    used = ", ".join(c.value for c in case.offer.channels)
    refused = ", ".join(sorted(c.value for c in case.prospect.refused_channels))
    return f"no channel left: the offer uses {used}, the customer refused {refused}"


def _conflicting(_: Any, case: GateCase) -> list[str]:
    held = case.prospect.holds
    return [f"conflicts with {k}: {why}" for k, why in case.offer.conflicts.items() if k in held]


#: The built-in gates, in the order their reasons are given.
OFFER_GATES = OfferGates((
    OfferGate("valid", lambda o, ctx: o.valid_on(ctx.day), lambda ok, c: np.bool_(ok),
              lambda _, k: f"not valid on {k.day} (valid {k.offer.valid_from} to {k.offer.valid_to})"),
    OfferGate("do_not_call", lambda o, ctx: True, lambda _, c: c.callable,
              lambda _, k: "on the do-not-call list: no marketing contact"),
    OfferGate("tier", _tiers, lambda ok, c: ok[c.tier],
              lambda _, k: f"tier {k.prospect.customer.tier} is not one of {', '.join(k.offer.tiers)}"),
    OfferGate("segment", _segments, lambda _, c: c.segment_member,
              lambda _, k: f"not in the {' or '.join(k.offer.segments)} segment"),
    OfferGate("spend", lambda o, ctx: _band(o.min_spend, o.max_spend), _in_band("avg_spend"),
              lambda _, k: _outside("average spend", k["avg_spend"], k.offer.min_spend, k.offer.max_spend)),
    OfferGate("plan_fee", lambda o, ctx: _band(o.min_plan_fee, o.max_plan_fee), _in_band("plan_fee"),
              lambda _, k: _outside("plan fee", k["plan_fee"], k.offer.min_plan_fee, k.offer.max_plan_fee)),
    OfferGate("tenure", lambda o, ctx: o.min_tenure_months, lambda m, c: c.tenure_months >= m,
              lambda m, k: f"tenure {k['tenure_months']} months < {m}"),
    OfferGate("credit", lambda o, ctx: o.min_credit_level, lambda m, c: c.credit_level >= m,
              lambda m, k: f"credit level {k['credit_level']} < {m}"),
    OfferGate("requires", lambda o, ctx: _bits(o, o.requires, ctx), _holds_all,
              lambda _, k: f"does not hold {', '.join(sorted(set(k.offer.requires) - k.prospect.holds))}, which the offer requires"),
    OfferGate("channel", lambda o, ctx: channel_table(o.channels), lambda t, c: t[c.profile] >= 0,
              _no_channel),
    OfferGate("conflicts", lambda o, ctx: _bits(o, o.conflicts, ctx), _holds_none, _conflicting),
))  # fmt: skip


# ------------------------------------------------------------------ the kernel


def eligible(
    gates: OfferGates,
    params: tuple[tuple[Any, ...], ...],
    j: int,
    c: Columns,
    out: Bools,
    known: Mapping[int, Bools] | None = None,
) -> Bools:
    """Every gate of offer ``j`` for every row of ``c``, written into ``out``.

    ``params[g][j]`` is gate ``g``'s parameter for the offer (``None``: no such
    gate, which costs nothing); ``known`` holds terms the caller already has, by
    the gate row itself (the whole-base match gathers the built-in channel term
    anyway; a gate of one's own is always run, whatever its name).
    """
    first = True
    for gate, per_offer in zip(gates, params, strict=True):
        param = per_offer[j]
        if param is None:
            continue
        passed: Any = (
            known[id(gate)]
            if known and id(gate) in known
            else passed_by(gate, gate.passes(param, c), len(out))
        )
        if passed is np.True_ or passed is True:
            continue
        if first:
            np.copyto(out, passed)
            first = False
        else:
            np.logical_and(out, passed, out=out)
    if first:
        out[...] = True
    return out


def reasons(
    gates: OfferGates, params: tuple[tuple[Any, ...], ...], j: int, case: GateCase
) -> list[str]:
    """Why one customer (the one row of ``case.columns``) fails offer ``j``: a reason
    per failed gate, in the table's order."""
    out: list[str] = []
    for gate, per_offer in zip(gates, params, strict=True):
        param = per_offer[j]
        if param is None or bool(
            np.asarray(passed_by(gate, gate.passes(param, case.columns), 1)).reshape(-1)[0]
        ):
            continue
        why = gate.reason(param, case)
        texts = [why] if isinstance(why, str) else list(why) if isinstance(why, Iterable) else [why]
        if not all(isinstance(w, str) for w in texts):
            raise InvalidInput(
                f"the offer gate {gate.name!r} must give its reason as text, got {why!r}"
            )
        out.extend(texts)
    return out


#: The built-in channel row: the whole-base match has its term already (``known``).
CHANNEL_GATE = next(gate for gate in OFFER_GATES if gate.name == "channel")
