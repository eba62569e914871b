"""The policy as a document a programme manager reads: every figure with its unit
and where it comes from, and what changed between two policies.

>>> from telcare.policy._model import default_policy
>>> table = describe(default_policy(), default_policy())
>>> row = table["segment.share"]
>>> row.value, row.unit, row.source
('10%', '%', 'source 000: the top 10% of non-VIP customers')
>>> table["tiers.ladder.gold.min_avg_spend"].value, table["tiers.ladder.gold.min_avg_spend"].source
('¥500.00', 'telcare default')

The sources are the five operator documents named in ``docs/sources.md``; a
figure the policy changes reads ``"set by this policy"``.
"""

from __future__ import annotations

import enum
import fnmatch
import html
import importlib
import typing
from collections.abc import Iterator, Mapping
from datetime import time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs
from pydantic import BaseModel

from telcare._core.errors import InvalidInput
from telcare._core.money import format_yuan
from telcare._core.text import percent
from telcare.policy._catalogue import BENEFITS
from telcare.policy._fields import ServiceHours, Unit

if TYPE_CHECKING:
    from telcare.policy._model import Policy

__all__ = ["PolicyChange", "PolicyRow", "PolicyTable", "describe", "diff"]

#: The segment's eight exclusive services (seed 000), as the catalogue groups them.
_EIGHT = tuple(b.code for b in BENEFITS if b.group == "mid_high_end")

#: Figures the source documents fix, by path pattern (``*`` matches one name).
SOURCES: Mapping[str, str] = {
    "tiers.ladder.*.code": "source 002: ordinary, VIP card, silver, gold, diamond-gold",
    "segment.share": "source 000: the top 10% of non-VIP customers",
    "segment.eligible_tiers": "source 000: non-VIP customers only",
    "points.fen_per_point": "source 002: 1 point = 0.02 yuan, linear",
    "points.per_yuan": "source 002: a 2% return on spend",
    "points.plan_threshold": "source 002: qualifying points above 3,500",
    "points.other_costs.*": "source 002: a 2.3% programme cost with the 2% return",
    "benefits.rules.phone_manager.service_hours": "source 000: Mon-Fri 08:00-20:00",
    "benefits.rules.merchant_alliance.segments": "source 002: all high-value customers",
    "benefits.rules.service_manager.min_plan_fee": "source 001: plans of 96 yuan and above",
    "benefits.rules.service_manager.deny_verification": "source 001: genuine users only",
    "credit.allowances.2": "source 003: 150 yuan into arrears",
    "credit.spam_sms_per_hour": "source 003: over 200 SMS an hour",
    "verification.failed_slots": "source 001: three failures in three time slots",
    "verification.sms_failures": "source 001: three SMS not delivered",
    "verification.reverify_days": "source 001: re-verified within 5 days",
    "verification.developer_penalty": "source 001: 100-200 yuan a case",
    "moments.callback_days": "source 001: within 3 days",
    "moments.callback_fast_days": "source 001: within 2 days",
    "moments.callback_fast_plan_fee": "source 001: plans of 126 yuan and above",
    "moments.callback_fast_devices": "source 001: iPhone users",
    "moments.tutoring_plan_fee": "source 001: plans of 96 yuan and above",
    "moments.assign_days": "source 001: a manager within 2 days",
    "moments.tutoring_days": "source 001: first tutoring within 7 days",
    "contact.hours": "source 000: Mon-Fri 08:00-20:00",
    "contact.calls_per_agent_day": "source 000: 1,620 calls a day by 28 phone managers",
    **{
        f"benefits.rules.{code}.{gate}": "source 000: the segment's eight services"
        for code in _EIGHT
        for gate in ("tiers", "segments")
    },
}


@attrs.frozen(slots=True)
class PolicyRow:
    """One figure: its dotted path, its value as text, its unit and its source."""

    path: str
    value: str
    unit: str
    source: str


@attrs.frozen(slots=True)
class PolicyChange:
    """One figure that differs between two policies (``"-"`` where one has none)."""

    path: str
    before: str
    after: str
    unit: str


def _table_html(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    head = "".join(f"<th style='text-align:left'>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(f"<td style='text-align:left'>{html.escape(c)}</td>" for c in row)
        + "</tr>"
        for row in rows
    )
    return f"<table><caption>{html.escape(title)}</caption><tr>{head}</tr>{body}</table>"


def _frame(columns: dict[str, list[str]]) -> Any:
    try:
        pandas = importlib.import_module("pandas")
    except ImportError:  # pragma: no cover - exercised only without pandas
        raise ImportError("to_frame() needs pandas: pip install pandas") from None
    return pandas.DataFrame(columns)


@attrs.frozen(slots=True)
class PolicyTable:
    """Every figure of a policy, in the policy's own order; text, HTML and a frame."""

    rows: tuple[PolicyRow, ...]

    def __getitem__(self, path: str) -> PolicyRow:
        for row in self.rows:
            if row.path == path:
                return row
        raise InvalidInput(f"the policy has no figure {path!r}")

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[PolicyRow]:
        return iter(self.rows)

    def __str__(self) -> str:
        width = max(len(r.path) for r in self.rows)
        vwidth = min(24, max(len(r.value) for r in self.rows))
        return "\n".join(
            f"{r.path:<{width}}  {r.value:<{vwidth}}  {r.unit:<15}  {r.source}".rstrip()
            for r in self.rows
        )

    def _repr_html_(self) -> str:
        return _table_html(
            "Policy",
            ("figure", "value", "unit", "source"),
            [(r.path, r.value, r.unit, r.source) for r in self.rows],
        )

    def to_dict(self) -> dict[str, list[str]]:
        """Four equal-length columns: path, value, unit, source."""
        return {
            "path": [r.path for r in self.rows],
            "value": [r.value for r in self.rows],
            "unit": [r.unit for r in self.rows],
            "source": [r.source for r in self.rows],
        }

    def to_frame(self) -> Any:
        """A ``pandas.DataFrame``, one row per figure (pandas must be installed)."""
        return _frame(self.to_dict())


def _unit_of(annotation: Any) -> str:
    """The :class:`Unit` inside an annotation (a dict's value type, an optional's type)."""
    if typing.get_origin(annotation) is typing.Annotated:
        found = [m for m in annotation.__metadata__ if isinstance(m, Unit)]
        if found:
            return str(found[0])
        return _unit_of(typing.get_args(annotation)[0])
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if isinstance(origin, type) and issubclass(origin, Mapping):
        return _unit_of(args[-1])
    for arg in args:
        unit = _unit_of(arg)
        if unit:
            return unit
    return ""


def _text(value: Any, unit: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, ServiceHours):
        return value.describe()
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, tuple):
        return ", ".join(_text(v, unit) for v in value) or "-"
    if unit == "yuan" and isinstance(value, int):
        return format_yuan(value)
    if unit.startswith("%") and isinstance(value, Decimal):
        return percent(value)
    if unit == "x" and isinstance(value, Decimal):
        return f"{value}x"
    return str(value)


def _figures(model: BaseModel, prefix: str) -> Iterator[tuple[str, Any, str]]:
    """(path, value, unit) for every figure of ``model``, depth first, in field order."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        path = f"{prefix}{name}"
        unit = next((str(m) for m in info.metadata if isinstance(m, Unit)), "") or _unit_of(
            info.annotation
        )
        yield from _values(path, value, unit)


def _values(path: str, value: Any, unit: str) -> Iterator[tuple[str, Any, str]]:
    if isinstance(value, ServiceHours) or not isinstance(value, BaseModel | Mapping | tuple):
        yield path, value, unit
    elif isinstance(value, BaseModel):
        yield from _figures(value, f"{path}.")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _values(f"{path}.{getattr(key, 'value', key)}", item, unit)
    elif value and all(isinstance(v, BaseModel) for v in value):
        for i, item in enumerate(value):
            yield from _figures(item, f"{path}.{getattr(item, 'code', i)}.")
    else:
        yield path, value, unit


def _source(path: str) -> str:
    for pattern, source in SOURCES.items():
        if fnmatch.fnmatchcase(path, pattern):
            return source
    return "telcare default"


def describe(policy: Policy, default: Policy) -> PolicyTable:
    """Every figure of ``policy`` with its unit and source (see :meth:`Policy.describe`);
    a figure equal to ``default``'s keeps its source, any other is "set by this policy".

    Gates a benefit rule does not have (no plan fee, no quota) are left out.
    """
    if not (isinstance(policy, BaseModel) and "tiers" in type(policy).model_fields):
        raise InvalidInput(f"describe() needs a telcare.Policy, got {type(policy).__name__}")
    defaults = {path: value for path, value, _ in _figures(default, "")}
    rows = []
    for path, value, unit in _figures(policy, ""):
        if value is None or value == ():
            continue  # a gate the rule does not have
        same = path in defaults and defaults[path] == value
        source = _source(path) if same else "set by this policy"
        rows.append(PolicyRow(path, _text(value, unit), unit, source))
    return PolicyTable(tuple(rows))


def diff(before: Policy, after: Policy) -> tuple[PolicyChange, ...]:
    """The figures that differ between two policies, in ``before``'s order then ``after``'s."""
    # Policy is the one model with a ``tiers`` section (_model imports this module).
    for name, value in (("before", before), ("after", after)):
        if not (isinstance(value, BaseModel) and "tiers" in type(value).model_fields):
            raise InvalidInput(
                f"diff() needs two telcare.Policy values; {name} is {type(value).__name__}"
            )
    old = {path: (value, unit) for path, value, unit in _figures(before, "")}
    new = {path: (value, unit) for path, value, unit in _figures(after, "")}
    changes = []
    for path in [*old, *(p for p in new if p not in old)]:
        if path in old and path in new and old[path][0] == new[path][0]:
            continue
        unit = (new.get(path) or old[path])[1]
        was = _text(old[path][0], unit) if path in old else "-"
        now = _text(new[path][0], unit) if path in new else "-"
        changes.append(PolicyChange(path, was, now, unit))
    return tuple(changes)
