"""Is a new subscriber real?  The callback's suspicious-user rules and the watch list.

Seed 001 lists what makes a new subscriber suspicious (疑问用户): a missing or
unclear ID copy or signature, a wrong address or contact number, callbacks
failed in three different time slots, a user who does not know the holder, a
group-account user unrelated to the group, three undelivered SMS.  Across the
base, one ID number, contact phone or address behind many accounts, or one
operator opening very many, puts those accounts on a watch list.

>>> import telcare as tc
>>> tc.is_suspicious(tc.CallbackFacts(failed_attempt_slots=2)).suspicious
False
>>> tc.is_suspicious(tc.CallbackFacts(failed_attempt_slots=3)).reasons
('callbacks failed in 3 different time slots (>= 3)',)
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare.core.checks import column, field, flag, integer, same_length
from telcare.core.display import Displayable
from telcare.core.errors import InvalidInput
from telcare.core.limits import MAX_COUNT
from telcare.policy.model import Policy, as_policy

__all__ = ["CallbackFacts", "Suspicion", "is_suspicious", "watch_list"]


_tally = field(integer, maximum=MAX_COUNT)


@attrs.frozen(slots=True)
class CallbackFacts(Displayable):
    """What the callback and the paperwork showed about a new subscriber.

    The defaults describe a clean subscriber.  ``knows_holder`` is ``None``
    when the question was not asked; ``group_related`` is ``None`` for an
    account that is not on a group.
    """

    id_copy_ok: bool = attrs.field(default=True, validator=field(flag))
    signature_ok: bool = attrs.field(default=True, validator=field(flag))
    address_ok: bool = attrs.field(default=True, validator=field(flag))
    contact_phone_ok: bool = attrs.field(default=True, validator=field(flag))
    failed_attempt_slots: int = attrs.field(default=0, validator=_tally)
    knows_holder: bool | None = attrs.field(default=True, validator=field(flag, optional=True))
    group_related: bool | None = attrs.field(default=None, validator=field(flag, optional=True))
    sms_failures: int = attrs.field(default=0, validator=_tally)


@attrs.frozen(slots=True)
class Suspicion(Displayable):
    """Whether the subscriber is suspicious, with one reason per rule that fired."""

    suspicious: bool
    reasons: tuple[str, ...]


def is_suspicious(facts: CallbackFacts, *, policy: Policy | None = None) -> Suspicion:
    """Apply every suspicious-user rule of seed 001 to the callback's facts.

    >>> import telcare as tc
    >>> facts = tc.CallbackFacts(id_copy_ok=True, signature_ok=True, address_ok=False,
    ...                          contact_phone_ok=True, failed_attempt_slots=0, knows_holder=True,
    ...                          group_related=True, sms_failures=0)
    >>> tc.is_suspicious(facts).reasons
    ('address wrong or incomplete',)
    """
    if not isinstance(facts, CallbackFacts):
        raise InvalidInput(f"is_suspicious() needs CallbackFacts, got {type(facts).__name__}")
    rules = as_policy(policy).verification
    fired = []
    if not facts.id_copy_ok:
        fired.append("ID copy missing or unclear")
    if not facts.signature_ok:
        fired.append("signature missing or unclear")
    if not facts.address_ok:
        fired.append("address wrong or incomplete")
    if not facts.contact_phone_ok:
        fired.append("contact number wrong or empty")
    if facts.failed_attempt_slots >= rules.failed_slots:
        fired.append(
            f"callbacks failed in {facts.failed_attempt_slots} different time slots (>= {rules.failed_slots})"
        )
    if facts.knows_holder is False:
        fired.append("the number's user does not know the account holder")
    if facts.group_related is False:
        fired.append("group-account user unrelated to the group")
    if facts.sms_failures >= rules.sms_failures:
        fired.append(f"{facts.sms_failures} SMS not delivered (>= {rules.sms_failures})")
    if fired:
        return Suspicion(True, tuple(fired))
    return Suspicion(False, ("none of the 8 suspicious-user rules fired",))


def _keys(values: Any, name: str) -> tuple[npt.NDArray[Any], npt.NDArray[np.bool_]]:
    """Values as a sortable array, and a mask of the present (non-empty, non-missing) ones."""
    arr = column(values, name)
    kind = arr.dtype.kind
    if arr.size == 0:
        return arr, np.zeros(0, dtype=np.bool_)
    if kind == "U" or kind == "S":  # blank values are missing, never shared
        return arr, np.char.strip(arr) != arr.dtype.type()
    if kind in "iu":
        return arr, np.ones(len(arr), dtype=np.bool_)
    if kind == "O":
        odd = {type(x) for x in arr.tolist()} - {str, int, float, type(None)}
        if odd:
            raise InvalidInput(
                f"{name} must hold strings or integers, got {sorted(k.__name__ for k in odd)}"
            )
        # Element-wise comparisons run in numpy's C loop: no Python loop over accounts.
        # ``v == v`` is False only for NaN.
        with np.errstate(invalid="ignore"):
            present = (arr != None) & (arr == arr)  # noqa: E711
        present &= np.char.strip(arr.astype(str)) != ""
        return arr, np.asarray(present, dtype=np.bool_)
    raise InvalidInput(f"{name} must hold strings or integers, got dtype {arr.dtype}")


def _shared(values: Any, name: str, threshold: int) -> npt.NDArray[np.bool_]:
    arr, present = _keys(values, name)
    out = np.zeros(len(arr), dtype=np.bool_)
    if not present.any():
        return out
    picked = arr[present]
    if picked.dtype.kind == "O":
        try:
            picked = picked.astype(str)  # mixed columns compare as text
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"{name} must hold str or int values: {exc}") from None
    _, inverse, counts = np.unique(picked, return_inverse=True, return_counts=True)
    out[present] = counts[inverse] >= threshold
    return out


def watch_list(
    id_numbers: Any,
    contact_phones: Any,
    addresses: Any,
    operator_ids: Any,
    *,
    policy: Policy | None = None,
) -> npt.NDArray[np.bool_]:
    """Accounts to watch: a shared ID number, contact phone or address, or a busy operator.

    Flags every account whose ID number, contact phone or address appears on
    ``verification.shared_threshold`` (3) or more accounts, or whose operator
    opened ``verification.operator_threshold`` (20) or more.  Empty strings and
    missing values (``None``, NaN) never match each other.

    >>> import telcare as tc
    >>> ids = ["A", "A", "A", "B", ""]
    >>> phones = ["p1", "p2", "p3", "p4", ""]
    >>> addresses = ["x", "y", "z", "w", ""]
    >>> operators = ["op1"] * 5
    >>> tc.watch_list(ids, phones, addresses, operators).tolist()
    [True, True, True, False, False]
    """
    rules = as_policy(policy).verification
    flags = [
        _shared(id_numbers, "id_numbers", rules.shared_threshold),
        _shared(contact_phones, "contact_phones", rules.shared_threshold),
        _shared(addresses, "addresses", rules.shared_threshold),
        _shared(operator_ids, "operator_ids", rules.operator_threshold),
    ]
    same_length(
        id_numbers=flags[0], contact_phones=flags[1], addresses=flags[2], operator_ids=flags[3]
    )
    out = flags[0]
    for more in flags[1:]:
        out |= more
    return out
