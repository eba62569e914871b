"""What a key moment is, and the registry that holds moments.

A :class:`MomentSpec` says what a moment is (its code, number, channel and
priority), which events open and close it, and its two forms: ``actions``, the
one-customer form :func:`~telcare.due_actions` runs on a replay of a
customer's events, and ``scan``, the whole-base form
:func:`~telcare.scan_moments` runs on columns.  A :class:`MomentRegistry` is an
immutable collection of them; :data:`telcare.MOMENTS` holds the built-in ten, and
``MOMENTS.with_moment(spec)`` gives a registry with a care team's own moment,
which ``due_actions``, ``scan_moments`` and ``sla_report`` then take like any
other (see ``docs/extending.md``).

>>> from telcare.moments import MOMENTS
>>> [spec.code for spec in MOMENTS][:3]
['new_subscriber_callback', 'first_tutoring', 'first_bill']
>>> MOMENTS["cancellation_request"].number
7
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import code as code_check, instance, items
from telcare._core.columns import Column
from telcare._core.errors import InvalidInput
from telcare.policy import Channel, Moment

if TYPE_CHECKING:
    from telcare.moments._actions import Action
    from telcare.moments._forms import Replay
    from telcare.policy import Policy

__all__ = ["MomentRegistry", "MomentSpec", "ScanResult", "SnapshotScan", "builtin"]

Dates = npt.NDArray[np.datetime64]
#: What a snapshot moment's whole-base form returns: due, opened_on, due_by.
ScanResult = tuple[npt.NDArray[Any], Dates, Dates]  # due: bool, or a level (int) due when > 0


@attrs.frozen(slots=True)
class SnapshotScan:
    """The whole-base form of a moment that depends on an account's state.

    ``evaluate(columns, today, policy)`` gets the columns it names (validated,
    equal length; dates as ``datetime64[D]``, optional ones only when given)
    and returns ``(due, opened_on, due_by)``.  ``due`` is a bool column, or a
    small integer level that is due when above 0 (the credit alert returns its
    colour, which the scan keeps as ``MomentScan.colour``).
    """

    columns: tuple[Column, ...]
    evaluate: Callable[[Mapping[str, npt.NDArray[Any]], np.datetime64, Policy], ScanResult]

    @property
    def required(self) -> tuple[str, ...]:
        """The columns that must be given together."""
        return tuple(c.name for c in self.columns if c.required)


def _code(instance: object, attribute: object, value: str) -> None:
    code_check(value, "MomentSpec.code")


@attrs.frozen(slots=True)
class MomentSpec:
    """One moment: its code, number, defaults and its one-customer and whole-base forms.

    ``actions(replay)`` returns the moment's actions for one customer (it may
    be ``None`` when another moment's form opens it, as the callback opens the
    first tutoring); ``scan`` is its whole-base form, for moments that depend on
    an account's state rather than on a sequence of events.  ``channel`` and
    ``priority`` are the defaults when the policy names none for the moment.
    """

    code: str = attrs.field(validator=_code)
    name: str
    number: int | None = None
    events: tuple[type, ...] = ()
    policy_fields: tuple[str, ...] = ()
    actions: Callable[[Replay], list[Action]] | None = None
    scan: SnapshotScan | None = None
    channel: Channel = Channel.PHONE
    priority: int = 5

    @property
    def value(self) -> str:
        """The code, as :class:`~telcare.Moment` members call it."""
        return self.code


def builtin(
    moment: Moment,
    name: str,
    events: tuple[type, ...],
    policy_fields: tuple[str, ...],
    actions: Callable[[Replay], list[Action]] | None,
    scan: SnapshotScan | None = None,
) -> MomentSpec:
    """A built-in moment's spec: its code and number are those of its :class:`~telcare.Moment`.

    >>> builtin(Moment.FIRST_BILL, "First bill", (), (), None).number
    3
    """
    return MomentSpec(moment.value, name, moment.number, events, policy_fields, actions, scan)


def _wanted(code: object) -> object:
    """The code a moment is looked up by: a spec's or a member's own, else ``code``."""
    return code.code if isinstance(code, MomentSpec) else code


def _specs(value: object) -> tuple[MomentSpec, ...]:
    return tuple(items(value, "MomentRegistry specs", of=MomentSpec))


@attrs.frozen(slots=True)
class MomentRegistry:
    """An immutable, ordered collection of moments; ``with_moment`` gives a larger one."""

    specs: tuple[MomentSpec, ...] = attrs.field(converter=_specs)

    def __attrs_post_init__(self) -> None:
        codes = [s.code for s in self.specs]
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise InvalidInput(f"moment codes must be unique, {repeated} repeat")

    def __iter__(self) -> Iterator[MomentSpec]:
        return iter(self.specs)

    def __len__(self) -> int:
        return len(self.specs)

    def __contains__(self, code: object) -> bool:
        wanted = _wanted(code)
        return isinstance(wanted, str) and any(s.code == wanted for s in self.specs)

    def __getitem__(self, code: object) -> MomentSpec:
        wanted = _wanted(code)
        for spec in self.specs:
            if isinstance(wanted, str) and spec.code == wanted:
                return spec
        raise InvalidInput(
            f"unknown moment {code!r}; this registry has {[s.code for s in self.specs]}"
        )

    def with_moment(self, spec: MomentSpec) -> MomentRegistry:
        """A registry with ``spec`` added after the others (its code must be new)."""
        spec = instance(spec, MomentSpec, "with_moment() needs a MomentSpec, got {got}")
        return MomentRegistry((*self.specs, spec))

    def order(self, code: object) -> int:
        """The position of a moment (a code, a :class:`~telcare.Moment` or a spec) in the
        registry, for sorting actions; a code it does not hold sorts after them all.

        >>> from telcare.moments import MOMENTS
        >>> MOMENTS.order("first_bill"), MOMENTS.order("roaming_abroad")
        (2, 10)
        >>> MOMENTS.order(None)
        Traceback (most recent call last):
        ...
        telcare._core.errors.InvalidInput: code must be a snake_case str, got None
        """
        wanted = code_check(_wanted(code), "code")
        for i, spec in enumerate(self.specs):
            if spec.code == wanted:
                return i
        return len(self.specs)

    @property
    def snapshot(self) -> tuple[MomentSpec, ...]:
        """The moments with a whole-base form."""
        return tuple(s for s in self.specs if s.scan is not None)
