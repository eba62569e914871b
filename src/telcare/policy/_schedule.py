"""Policies with dates: a :class:`PolicySchedule` holds policies each in force from a day.

A programme changes its rules on given days (a campaign version, a new points
rate from 1 July).  Each policy of a schedule is in force from its day until the
day before the next one's, so the schedule covers every day from its first on,
without a gap or an overlap; a day before the first is refused, never read as
the first policy.

>>> from datetime import date
>>> import telcare as tc
>>> spring = tc.default_policy()
>>> summer = spring.model_copy(update={"points": spring.points.model_copy(update={"per_yuan": 2})})
>>> schedule = tc.PolicySchedule({date(2010, 1, 1): spring, date(2010, 7, 1): summer})
>>> [schedule.policy_on(date(2010, d, 1)).points.per_yuan for d in (6, 7, 12)]
[1, 2, 2]
>>> [(c.path, c.before, c.after) for c in schedule.diff()[0].changes]
[('points.per_yuan', '1', '2')]
>>> schedule.policy_on(date(2009, 12, 31))
Traceback (most recent call last):
...
telcare._core.errors.InvalidInput: day 2009-12-31 is before the schedule's first date 2010-01-01: no policy is in force then
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

import attrs
from pydantic import ValidationError

from telcare._core.checks import instance, mapping, plain_date
from telcare._core.day_checks import local_day
from telcare._core.errors import InvalidInput
from telcare.policy._document import PolicyChange, _table_html, diff
from telcare.policy._model import Policy

__all__ = ["PolicySchedule", "ScheduleChange"]

#: The keys of one entry of a schedule document.
_KEYS = ("from", "policy")


def _start(value: object, where: str) -> date:
    """An entry's first day: a ``date`` (YAML and TOML give one) or ISO text (JSON's)."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"{where}: from must be an ISO date, got {value!r}") from None
    return plain_date(value, f"{where}: from")


def _policy(value: object, start: date) -> Policy:
    """An entry's policy: a :class:`Policy`, or a mapping validated into one; an error
    names the entry's date and each field."""
    if isinstance(value, Policy):
        return value
    data = mapping(
        value,
        f"the policy from {start} must be a telcare.Policy or a mapping, got {{got}} {{value!r}}",
    )
    try:
        return Policy.model_validate(dict(data))
    except ValidationError as exc:
        lines = [
            f"  {'.'.join(str(p) for p in e['loc']) or '(the policy)'}: {e['msg']} "
            f"(got {e['input']!r})"
            for e in exc.errors(include_url=False)
        ]
        raise InvalidInput(
            f"the policy from {start} is not a valid policy: {exc.error_count()} error(s)\n"
            + "\n".join(lines)
        ) from exc


def _pairs(entries: object) -> list[tuple[object, object]]:
    """(from, policy) pairs of a mapping or of an iterable of pairs."""
    if isinstance(entries, Mapping):
        return list(entries.items())
    wrong = InvalidInput(
        "a PolicySchedule needs a mapping of first days to policies or (day, policy) "
        f"pairs, got {type(entries).__name__} {entries!r}"
    )
    if isinstance(entries, str | bytes) or not isinstance(entries, Iterable):
        raise wrong
    try:
        items = list(entries)
    except TypeError:  # an Iterable that cannot iterate, e.g. a 0-d numpy array
        raise wrong from None
    pairs = []
    for i, pair in enumerate(items):
        if not (isinstance(pair, tuple | list) and len(pair) == 2):
            raise InvalidInput(
                f"entries: schedule entry {i} must be a (day, policy) pair, got {pair!r}"
            )
        pairs.append((pair[0], pair[1]))
    return pairs


def _validated(entries: object) -> tuple[tuple[date, ...], tuple[Policy, ...]]:
    pairs = _pairs(entries)
    if not pairs:
        raise InvalidInput(f"a PolicySchedule needs at least one policy, got entries {entries!r}")
    starts = [_start(day, f"schedule entry {i}") for i, (day, _) in enumerate(pairs)]
    for i in range(1, len(starts)):
        if starts[i] <= starts[i - 1]:
            problem = (
                f"two policies from {starts[i]}"
                if starts[i] == starts[i - 1]
                else f"{starts[i]} comes after {starts[i - 1]}"
            )
            raise InvalidInput(
                f"a PolicySchedule's dates must be strictly increasing (one policy from each "
                f"date): entry {i}: {problem}"
            )
    policies = tuple(_policy(p, start) for start, (_, p) in zip(starts, pairs, strict=True))
    return tuple(starts), policies


@attrs.frozen(slots=True)
class ScheduleChange:
    """What changes on day ``on``: each figure with its value the day before and from then."""

    on: date
    changes: tuple[PolicyChange, ...]

    def __str__(self) -> str:
        if not self.changes:
            return f"{self.on}: no figure changes"
        return f"{self.on}:\n" + "\n".join(
            f"  {c.path}: {c.before} -> {c.after}" for c in self.changes
        )

    def to_dict(self) -> dict[str, Any]:
        """The day as ISO text and each change as text values (strict JSON)."""
        return {"on": self.on.isoformat(), "changes": [attrs.asdict(c) for c in self.changes]}

    def _repr_html_(self) -> str:
        rows: list[tuple[str, ...]] = [(c.path, c.before, c.after, c.unit) for c in self.changes]
        return _table_html(f"from {self.on}", ("figure", "before", "after", "unit"), rows)


@attrs.frozen(slots=True, init=False, repr=False)
class PolicySchedule:
    """Policies each in force from a day, validated: at least one, dates strictly
    increasing, each a valid :class:`Policy` (a mapping is validated into one, and an
    error names the entry's date and the field).

    Built from a mapping ``{first day: policy}`` or from (day, policy) pairs, in date
    order; a day is a ``date`` or ISO text.  Frozen, hashable and comparable, like a
    policy; iterating gives the (day, policy) pairs.
    """

    starts: tuple[date, ...]
    policies: tuple[Policy, ...]

    def __init__(
        self,
        entries: Mapping[date | str, Policy | Mapping[str, Any]]
        | Iterable[tuple[date | str, Policy | Mapping[str, Any]]],
    ) -> None:
        starts, policies = _validated(entries)
        self.__attrs_init__(starts, policies)

    def __repr__(self) -> str:
        return f"PolicySchedule(from {', '.join(d.isoformat() for d in self.starts)})"

    def __len__(self) -> int:
        return len(self.starts)

    def __iter__(self) -> Iterator[tuple[date, Policy]]:
        return iter(zip(self.starts, self.policies, strict=True))

    def policy_on(self, day: date | datetime, *, name: str = "day") -> Policy:
        """The policy in force on ``day``: a ``date``, or an aware ``datetime`` read as its
        calendar day in the time zone of the policy in force (see :meth:`index_on`).

        A day before the first date is refused naming both; ``name`` is the argument
        the messages name.
        """
        return self.policies[self.index_on(day, name=name)]

    def index_on(self, day: date | datetime, *, name: str = "day") -> int:
        """The position in the schedule of the policy in force on ``day``.

        An aware ``datetime`` is read in the zone of the policy it may leave: a change
        on day ``d`` takes effect at midnight starting ``d`` in the time zone of the
        policy in force until then, since that policy decides when its own last day
        ends.  So every instant falls under exactly one policy even when the change
        moves the programme's time zone (had the new zone decided, a move west would
        put some instants under both policies and a move east under neither).  The
        rule then reads the instant in the zone of the policy it got.

        >>> from datetime import date, datetime, timezone
        >>> import telcare as tc
        >>> hk = tc.Policy(timezone="Asia/Hong_Kong")
        >>> s = tc.PolicySchedule({date(2010, 1, 1): tc.Policy(timezone="UTC"), date(2010, 7, 1): hk})
        >>> s.index_on(datetime(2010, 6, 30, 23, 30, tzinfo=timezone.utc))  # 07:30 on 1 Jul in Hong Kong
        0
        >>> s.index_on(datetime(2010, 7, 1, 0, 30, tzinfo=timezone.utc))
        1
        """
        if isinstance(day, datetime):
            first = local_day(day, name, self.policies[0].timezone)
            self._in_force(first, name, day)
            i = 0
            while i + 1 < len(self.starts) and (
                local_day(day, name, self.policies[i].timezone) >= self.starts[i + 1]
            ):
                i += 1
            return i
        instance(day, date, f"{name} must be a date or an aware datetime, got {{got}} {{value!r}}")
        self._in_force(plain_date(day, name), name, day)
        return bisect.bisect_right(self.starts, day) - 1

    def _in_force(self, local: date, name: str, value: object) -> None:
        if local < self.starts[0]:
            shown = f"{local}" if local == value else f"{value!r} (the day {local})"
            raise InvalidInput(
                f"{name} {shown} is before the schedule's first date {self.starts[0]}: "
                "no policy is in force then"
            )

    def diff(self) -> tuple[ScheduleChange, ...]:
        """What changes on each date after the first: each figure with its value under
        the policy until then and under the one from then (as :meth:`Policy.diff`)."""
        return tuple(
            ScheduleChange(on, diff(before, after))
            for on, before, after in zip(
                self.starts[1:], self.policies[:-1], self.policies[1:], strict=True
            )
        )

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        """The schedule as strict JSON values: ``{"schedule": [{"from": ISO date,
        "policy": the policy's JSON form}, ...]}``; :meth:`from_dict` reads it back."""
        return {
            "schedule": [
                {"from": start.isoformat(), "policy": policy.model_dump(mode="json")}
                for start, policy in self
            ]
        }

    @classmethod
    def from_dict(cls, document: object) -> PolicySchedule:
        """A schedule from a parsed document (``json.loads``, ``yaml.safe_load``,
        ``tomllib.loads``): a list of ``{"from": day, "policy": {...}}`` entries, or a
        mapping holding that list under ``"schedule"`` (TOML's ``[[schedule]]``)."""
        if isinstance(document, Mapping):
            if list(document) != ["schedule"]:
                raise InvalidInput(
                    f"a schedule document holds one key, 'schedule', got {list(document)}"
                )
            document = document["schedule"]
        if isinstance(document, str | bytes) or not isinstance(document, list | tuple):
            raise InvalidInput(
                f"a schedule document is a list of {{from, policy}} entries, got "
                f"{type(document).__name__} {document!r}"
            )
        pairs = []
        for i, entry in enumerate(document):
            entry = mapping(
                entry, f"document: schedule entry {i} must be a mapping, got {{got}} {{value!r}}"
            )
            if set(entry) != set(_KEYS) or len(entry) != len(_KEYS):
                raise InvalidInput(
                    f"document: schedule entry {i} must have the keys 'from' and 'policy', "
                    f"got {list(entry)}"
                )
            pairs.append((entry["from"], entry["policy"]))
        return cls(pairs)
