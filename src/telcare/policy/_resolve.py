"""The policy a rule runs under: :func:`as_policy` for a rule that takes no date,
:func:`resolve` for one that does (it also accepts a :class:`PolicySchedule`).

Every rule that takes ``policy=`` together with a date (``as_of=``, ``at=``) calls
:func:`resolve` once, at its top, and then runs on the policy in force that day;
no rule holds a second copy of itself for schedules.

>>> from datetime import date
>>> import telcare as tc
>>> schedule = tc.PolicySchedule({date(2010, 1, 1): tc.default_policy(),
...                               date(2010, 7, 1): {"points": {"per_yuan": 2}}})
>>> resolve(schedule, "scan_moments", as_of=date(2010, 7, 1)).points.per_yuan
2
>>> resolve(schedule, "check_benefit", at=None)
Traceback (most recent call last):
...
telcare._core.errors.InvalidInput: check_benefit() was given PolicySchedule(from 2010-01-01, 2010-07-01) but no at=: give the day the rule applies on, or one policy (schedule.policy_on(day))
>>> tc.credit_allowance(2, policy=schedule)
Traceback (most recent call last):
...
telcare._core.errors.InvalidInput: credit_allowance() takes no date, so it cannot choose a policy from PolicySchedule(from 2010-01-01, 2010-07-01): pass one policy, schedule.policy_on(day)
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from telcare._core.errors import InvalidInput
from telcare.policy._model import Policy, default_policy
from telcare.policy._schedule import PolicySchedule

__all__ = ["as_policy", "resolve"]


def _caller() -> str:
    """The name of the function that called :func:`as_policy` (the rule refusing)."""
    frame = inspect.currentframe()
    outer = frame.f_back.f_back if frame is not None and frame.f_back is not None else None
    return outer.f_code.co_qualname if outer is not None else "this rule"


def as_policy(value: Policy | Mapping[str, Any] | None, rule: str | None = None) -> Policy:
    """Accept a :class:`Policy`, a mapping to validate into one, or ``None`` for the default.

    A :class:`PolicySchedule` is refused naming the rule (``rule``, by default the
    function that called): without a date there is no telling which of its policies
    applies, and it is never the first one silently.
    """
    if value is None:
        return default_policy()
    if isinstance(value, Policy):
        return value
    if isinstance(value, Mapping):
        return Policy.model_validate(dict(value))
    if isinstance(value, PolicySchedule):
        raise InvalidInput(
            f"{rule or _caller()}() takes no date, so it cannot choose a policy from {value!r}: "
            "pass one policy, schedule.policy_on(day)"
        )
    raise InvalidInput(f"policy must be a telcare.Policy, got {type(value).__name__} {value!r}")


def resolve(
    policy: Policy | PolicySchedule | Mapping[str, Any] | None, rule: str, **on: object
) -> Policy:
    """The policy ``rule`` runs under: ``policy`` itself (as :func:`as_policy` reads it),
    or, for a :class:`PolicySchedule`, the policy in force on the one date given as a
    keyword named like the rule's argument (``as_of=as_of``, ``at=at``).

    A schedule with that date ``None`` is refused naming the rule and the argument.
    Only a schedule reads the date here: with one policy, the rule checks its date
    itself, as before.
    """
    if len(on) != 1:
        raise TypeError(f"resolve() takes one date keyword, got {sorted(on)}")  # a telcare bug
    ((name, day),) = on.items()
    if isinstance(policy, PolicySchedule):
        if day is None:
            raise InvalidInput(
                f"{rule}() was given {policy!r} but no {name}=: give the day the rule "
                "applies on, or one policy (schedule.policy_on(day))"
            )
        return policy.policy_on(day, name=name)  # type: ignore[arg-type]
    return as_policy(policy)
