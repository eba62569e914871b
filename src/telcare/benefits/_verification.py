"""Is a new subscriber real?  The callback's suspicious-user rules and the watch list.

Seed 001 lists what makes a new subscriber suspicious (疑问用户): a missing or
unclear ID copy or signature, a wrong address or contact number, callbacks
failed in three different time slots, a user who does not know the holder, a
group-account user unrelated to the group, three undelivered SMS.  Across the
base, six signals put an account on the watch list: one ID number, contact
phone or address behind many accounts, batch-entered accounts, accounts bound
to a bundled handset (such as an iPhone) and one operator opening very many.
A user found suspicious goes back to the developer, who re-verifies the papers
within 5 days; a confirmed case costs the developer a penalty (own channel) or
the commission (agent channel): :func:`suspicious_follow_up`.

>>> import telcare as tc
>>> tc.is_suspicious(tc.CallbackFacts(failed_attempt_slots=2)).suspicious
False
>>> tc.is_suspicious(tc.CallbackFacts(failed_attempt_slots=3)).reasons
('callbacks failed in 3 different time slots (>= 3)',)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, ClassVar, Literal

import attrs
import numpy as np
import numpy.typing as npt

import telcare.benefits._reasons as why
from telcare._core import kernels
from telcare._core.checks import (
    bool_column,
    field,
    flag,
    instance,
    int_column,
    integer,
    one_of,
    plain_date,
    python_scalar,
    same_length,
)
from telcare._core.display import Displayable, Explained
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_COUNT
from telcare._core.reasons import Reason
from telcare.benefits._keys import key_text, keys as key_column
from telcare.policy import Policy, PolicySchedule, as_policy, resolve

__all__ = [
    "CallbackFacts",
    "FollowUp",
    "Suspicion",
    "busy_keys",
    "is_suspicious",
    "shared_counts",
    "shared_flags",
    "suspicious_follow_up",
    "watch_list",
]


_tally = field(integer, maximum=MAX_COUNT)


@attrs.frozen(slots=True)
class CallbackFacts(Displayable):
    """What the callback and the paperwork showed about a new subscriber.

    The defaults describe a clean subscriber.  ``knows_holder`` is ``None``
    when the question was not asked; ``group_related`` is ``None`` for an
    account that is not on a group.
    """

    id_copy_ok: bool = attrs.field(default=True, converter=python_scalar, validator=field(flag))
    signature_ok: bool = attrs.field(default=True, converter=python_scalar, validator=field(flag))
    address_ok: bool = attrs.field(default=True, converter=python_scalar, validator=field(flag))
    contact_phone_ok: bool = attrs.field(
        default=True, converter=python_scalar, validator=field(flag)
    )
    failed_attempt_slots: int = attrs.field(default=0, converter=python_scalar, validator=_tally)
    knows_holder: bool | None = attrs.field(
        default=True, converter=python_scalar, validator=field(flag, optional=True)
    )
    group_related: bool | None = attrs.field(
        default=None, converter=python_scalar, validator=field(flag, optional=True)
    )
    sms_failures: int = attrs.field(default=0, converter=python_scalar, validator=_tally)


@attrs.frozen(slots=True)
class Suspicion(Explained):
    """Whether the subscriber is suspicious, with one reason per rule that fired (each
    a :class:`~telcare.Reason`)."""

    suspicious: bool
    reasons: tuple[Reason, ...]


def is_suspicious(facts: CallbackFacts, *, policy: Policy | None = None) -> Suspicion:
    """Apply every suspicious-user rule of seed 001 to the callback's facts.

    >>> import telcare as tc
    >>> facts = tc.CallbackFacts(id_copy_ok=True, signature_ok=True, address_ok=False,
    ...                          contact_phone_ok=True, failed_attempt_slots=0, knows_holder=True,
    ...                          group_related=True, sms_failures=0)
    >>> tc.is_suspicious(facts).reasons
    ('address wrong or incomplete',)
    """
    facts = instance(facts, CallbackFacts, "is_suspicious() needs CallbackFacts, got {got}")
    rules = as_policy(policy).verification
    fired = [
        code()
        for ok, code in (
            (facts.id_copy_ok, why.ID_COPY),
            (facts.signature_ok, why.SIGNATURE),
            (facts.address_ok, why.ADDRESS),
            (facts.contact_phone_ok, why.CONTACT_PHONE),
        )
        if not ok
    ]
    if facts.failed_attempt_slots >= rules.failed_slots:
        fired.append(why.FAILED_SLOTS(slots=facts.failed_attempt_slots, minimum=rules.failed_slots))
    if facts.knows_holder is False:
        fired.append(why.UNKNOWN_HOLDER())
    if facts.group_related is False:
        fired.append(why.GROUP_UNRELATED())
    if facts.sms_failures >= rules.sms_failures:
        fired.append(why.SMS_FAILURES(failures=facts.sms_failures, minimum=rules.sms_failures))
    if fired:
        return Suspicion(True, tuple(fired))
    return Suspicion(False, (why.CLEAN(rules=8),))


def shared_counts(
    values: Any, name: str, counts: Any = None
) -> tuple[npt.NDArray[Any], npt.NDArray[np.int64]]:
    """The watch list's first pass over one part of a base: each present key of a column
    (blank and missing ones never count) with how many accounts hold it.  With
    ``counts``, ``values`` are already distinct keys with their counts (an engine's
    ``groupBy``), and only the presence rule and the comparison form are applied.

    >>> keys, counts = shared_counts(["A", "B", "A", "", None], "id_numbers")
    >>> keys.tolist(), counts.tolist()
    (['A', 'B'], [2, 1])
    >>> shared_counts(["A", "  ", 7], "id_numbers", counts=[2, 9, 1])[0].tolist()
    ['7', 'A']
    """
    arr, present = key_column(values, name)
    weights = np.ones(len(arr), dtype=np.int64) if counts is None else int_column(counts, "counts")
    same_length(**{name: arr, "counts": weights})
    keys, inverse = np.unique(key_text(arr[present], name), return_inverse=True)
    total = np.bincount(inverse.reshape(-1), weights=weights[present], minlength=len(keys))
    return keys, total.astype(np.int64)


def busy_keys(
    parts: Iterable[tuple[npt.NDArray[Any], npt.NDArray[np.int64]]], threshold: int
) -> npt.NDArray[Any]:
    """The keys held by ``threshold`` or more accounts across every part's counts.

    >>> busy_keys([shared_counts(["A", "B"], "x"), shared_counts(["A", "A"], "x")], 3).tolist()
    ['A']
    """
    listed = list(parts)
    if not listed:
        return np.zeros(0, dtype=object)
    keys = np.concatenate([k for k, _ in listed])
    counts = np.concatenate([c for _, c in listed])
    if keys.dtype.kind == "O" or len({k.dtype.kind for k, _ in listed}) > 1:
        keys = keys.astype(str)
    names, inverse = np.unique(keys, return_inverse=True)
    total = np.bincount(inverse.reshape(-1), weights=counts, minlength=len(names)).astype(np.int64)
    out: npt.NDArray[Any] = names[_busy(total, threshold)]
    return out


def shared_flags(values: Any, name: str, busy: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """Which accounts hold one of the ``busy`` keys (the watch list's second pass)."""
    arr, present = key_column(values, name)
    out = np.zeros(len(arr), dtype=np.bool_)
    if present.any() and len(busy):
        keys = key_text(arr[present], name)
        if keys.dtype.kind != busy.dtype.kind:
            keys, busy = keys.astype(str), busy.astype(str)
        out[present] = np.isin(keys, busy)
    return out


def _busy(counts: npt.NDArray[np.int64], threshold: int) -> npt.NDArray[np.bool_]:
    """The watch list's sharing rule: a key held by ``threshold`` or more accounts."""
    out: npt.NDArray[np.bool_] = counts >= threshold
    return out


def _shared(values: Any, name: str, threshold: int) -> npt.NDArray[np.bool_]:
    """Accounts holding a shared key, in one pass over a whole column (the engines split
    the same rule into :func:`shared_counts`, :func:`busy_keys` and :func:`shared_flags`)."""
    arr, present = key_column(values, name)
    out = np.zeros(len(arr), dtype=np.bool_)
    if present.any():
        _, inverse, counts = np.unique(
            key_text(arr[present], name), return_inverse=True, return_counts=True
        )
        out[present] = _busy(counts, threshold)[inverse.reshape(-1)]
    return out


def watch_list(
    id_numbers: Any,
    contact_phones: Any,
    addresses: Any,
    operator_ids: Any,
    *,
    batch_entered: Any = None,
    handset_bundled: Any = None,
    policy: Policy | None = None,
) -> npt.NDArray[np.bool_]:
    """Accounts to watch, on seed 001's six signals.

    Flags every account whose ID number, contact phone or address appears on
    ``verification.shared_threshold`` (3) or more accounts, whose operator
    opened ``verification.operator_threshold`` (20) or more, and, when the
    optional boolean columns are given, every batch-entered account
    (``batch_entered``) and every account bound to a bundled handset such as an
    iPhone (``handset_bundled``).  Keys are strings or integers (a whole float
    is its integer); empty strings and missing values (``None``, NaN, pandas
    ``NA``, ``NaT``) are no key and never match each other, in every form
    (numpy, frames, Dask, Spark); anything else is refused naming the column.

    >>> import telcare as tc
    >>> ids = ["A", "A", "A", "B", ""]
    >>> phones = ["p1", "p2", "p3", "p4", ""]
    >>> addresses = ["x", "y", "z", "w", ""]
    >>> operators = ["op1"] * 5
    >>> tc.watch_list(ids, phones, addresses, operators).tolist()
    [True, True, True, False, False]
    >>> tc.watch_list(["A", "B"], ["p1", "p2"], ["x", "y"], ["op1", "op2"],
    ...               batch_entered=[False, True], handset_bundled=[True, False]).tolist()
    [True, True]
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
    for name, values in (("batch_entered", batch_entered), ("handset_bundled", handset_bundled)):
        if values is not None:
            signal = bool_column(values, name)
            same_length(id_numbers=out, **{name: signal})
            out |= signal
    return out


@attrs.frozen(slots=True)
class FollowUp(Explained):
    """A suspicious user's re-verification by the developer, and what it costs them.

    ``status`` is ``"open"``, ``"done"`` or ``"overdue"``; ``penalty`` is in
    fen (own channel, confirmed cases); ``commission_withheld`` is true for a
    confirmed case from an agent channel.
    """

    _units: ClassVar[dict[str, str]] = {"penalty": "fen"}

    flagged_on: date
    due_by: date
    status: str
    confirmed: bool | None
    penalty: int
    commission_withheld: bool
    reasons: tuple[Reason, ...]


def suspicious_follow_up(
    flagged_on: date,
    *,
    as_of: date,
    reverified_on: date | None = None,
    confirmed: bool | None = None,
    channel: Literal["own", "agent"] = "own",
    policy: Policy | PolicySchedule | None = None,
) -> FollowUp:
    """The developer's re-verification of a suspicious user (seed 001).

    The developer re-verifies the papers within ``verification.reverify_days``
    (5) of ``flagged_on``; the user then goes back into the callback.  A user
    still suspicious after it (``confirmed=True``) costs an own-channel
    developer ``verification.developer_penalty`` (150 yuan by default, seed
    001: 100-200 yuan a case) and an agent channel its commission.

    >>> from datetime import date
    >>> import telcare as tc
    >>> f = tc.suspicious_follow_up(date(2010, 10, 4), as_of=date(2010, 10, 12))
    >>> f.due_by, f.status, f.reasons[0]
    (datetime.date(2010, 10, 9), 'overdue', 'flagged on 2010-10-04: re-verify the papers by 2010-10-09 (5 days)')
    >>> done = tc.suspicious_follow_up(date(2010, 10, 4), as_of=date(2010, 10, 12),
    ...                                reverified_on=date(2010, 10, 8), confirmed=True)
    >>> done.status, tc.format_yuan(done.penalty), done.commission_withheld
    ('done', '¥150.00', False)
    """
    rules = resolve(policy, "suspicious_follow_up", as_of=as_of).verification
    flagged = plain_date(flagged_on, "flagged_on")
    today = plain_date(as_of, "as_of")
    one_of(channel, "channel", options=("own", "agent"))
    if confirmed is not None:
        confirmed = flag(confirmed, "confirmed")  # numpy's bool becomes Python's
    if today < flagged:
        raise InvalidInput(f"as_of {today} is before flagged_on {flagged}")
    due = kernels.shift_days(flagged, rules.reverify_days)
    reasons = [why.DUE(flagged=flagged, due=due, days=rules.reverify_days)]
    if reverified_on is None:
        if confirmed is not None:
            raise InvalidInput(
                "confirmed needs reverified_on: a verdict comes from the re-verification"
            )
        status = "overdue" if today > due else "open"
        return FollowUp(flagged, due, status, None, 0, False, tuple(reasons))
    done = plain_date(reverified_on, "reverified_on")
    if not flagged <= done <= today:
        raise InvalidInput(
            f"reverified_on {done} must fall between flagged_on {flagged} and as_of {today}"
        )
    reasons.append((why.REVERIFIED_LATE if done > due else why.REVERIFIED)(on=done))
    penalty, withheld, verdict = _verdict(confirmed, channel, rules.developer_penalty)
    if verdict is not None:
        reasons.append(verdict)
    return FollowUp(flagged, due, "done", confirmed, penalty, withheld, tuple(reasons))


def _verdict(
    confirmed: bool | None, channel: str, developer_penalty: int
) -> tuple[int, bool, Reason | None]:
    """(penalty, commission withheld, reason) of a re-verification's verdict."""
    if confirmed is None:
        return 0, False, None
    if not confirmed:
        return 0, False, why.CORRECTED()
    if channel == "own":
        return developer_penalty, False, why.FINED(penalty=developer_penalty)
    return 0, True, why.NO_COMMISSION()
