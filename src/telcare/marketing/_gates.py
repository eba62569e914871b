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

The built-in rows are in :mod:`telcare.marketing._rows`: a new built-in gate is
one field of :class:`~telcare.Offer` (``policy/_offers.py``) and one row there.
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
from telcare._core.reasons import Reason
from telcare.marketing._columns import Columns
from telcare.marketing._prospect import Prospect
from telcare.marketing._reasons import own_reason
from telcare.policy import Offer, OfferCatalogue, Policy

__all__ = ["GateCase", "GateContext", "OfferGate", "OfferGates", "eligible", "reasons"]

Bools = npt.NDArray[np.bool_]


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
    """Why one customer fails: a :class:`~telcare.Reason` or plain text, or several
    (plain text becomes the reason ``offer.gate.own``)."""
    columns: tuple[str, ...] = attrs.field(default=(), converter=_names)

    def __reduce__(self) -> Any:
        """A built-in row pickles by name and unpickles as that very row, so a table
        sent to a Dask worker keeps the whole-base match's shortcut for it; a gate of
        one's own pickles by value (its functions must be module-level to pickle)."""
        if BUILTIN_GATES.get(self.name) is self:
            return (builtin_gate, (self.name,))
        return (OfferGate, (self.name, self.bound, self.passes, self.reason, self.columns))


#: The built-in rows by name (filled by ``_rows``), for unpickling.
BUILTIN_GATES: dict[str, OfferGate] = {}


def builtin_gate(name: str) -> OfferGate:
    """The built-in row called ``name`` (what a pickled built-in row unpickles to)."""
    return BUILTIN_GATES[name]


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
) -> list[Reason]:
    """Why one customer (the one row of ``case.columns``) fails offer ``j``: a reason
    per failed gate, in the table's order (a gate's plain text becomes the reason
    ``offer.gate.own``)."""
    out: list[Reason] = []
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
        out.extend(own_reason(w) for w in texts)
    return out
