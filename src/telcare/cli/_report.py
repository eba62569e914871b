"""The demo's report: plain numbers per section, rendered as text or HTML by the
command line, or dumped as JSON.

The JSON is for machines: numbers are numbers, each key names its unit (``_fen`` for
money, ``_pct`` for percentages, ``_pp`` for percentage points, ``_ci_pct`` /
``_ci_pp`` for a 95% interval as a ``[low, high]`` pair), and :data:`DEMO_SCHEMA`
(``python -m telcare demo --schema``) is its JSON Schema.  Only the text rendering
formats money, always as ``¥1,234.56``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import attrs

from telcare._core.catalogue import language
from telcare._core.ui import words
from telcare.cli._demo_text import (
    campaign_text,
    figures_text,
    marketing_text,
    points_text,
    tiers_text,
)
from telcare.metrics import Rate, Uplift
from telcare.operations import Report
from telcare.whatif import PolicyComparison

__all__ = ["DEMO_SCHEMA", "DemoReport", "rate_fields", "uplift_fields"]


def _number(x: float) -> float | None:
    return None if x != x else round(x, 4)  # NaN (an empty rate) is null


def rate_fields(name: str, rate: Rate) -> dict[str, Any]:
    """``{name}_pct`` and ``{name}_ci_pct`` of a rate, as JSON numbers (null when empty).

    >>> rate_fields("kept", Rate(3, 4))
    {'kept_pct': 75.0, 'kept_ci_pct': [30.0642, 95.4413]}
    """
    low, high = rate.ci()
    return {f"{name}_pct": _number(rate.percent),
            f"{name}_ci_pct": [_number(low * 100), _number(high * 100)]}  # fmt: skip


def uplift_fields(uplift: Uplift | None) -> dict[str, Any]:
    """``uplift_pp``, ``uplift_ci_pp`` and ``uplift_p_value`` (nulls without a control group)."""
    if uplift is None:
        return {"uplift_pp": None, "uplift_ci_pp": None, "uplift_p_value": None}
    low, high = uplift.ci
    return {"uplift_pp": _number(uplift.pp), "uplift_ci_pp": [_number(low * 100), _number(high * 100)],
            "uplift_p_value": None if uplift.p_value != uplift.p_value else uplift.p_value}  # fmt: skip


_PAIR = {"type": "array", "items": {"type": ["number", "null"]}, "minItems": 2, "maxItems": 2}

#: The JSON Schema of ``python -m telcare demo --json``: the sections and, for every key
#: at any depth, the type its unit suffix promises.
DEMO_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "telcare demo report",
    "type": "object",
    "required": ["customers", "seed", "as_of", "sections"],
    "properties": {
        "customers": {"type": "integer", "minimum": 1},
        "seed": {"type": "integer", "minimum": 0},
        "as_of": {"type": "string", "format": "date"},
        "sections": {
            "type": "object",
            "required": ["tiers", "segment", "points", "benefits", "moments", "campaign",
                         "marketing", "reports"],
            "additionalProperties": {"$ref": "#/$defs/figures"},
        },
        "comparison": {
            "type": "object",
            "properties": {"reasons": {"type": "array", "items": {"$ref": "#/$defs/reason"}}},
        },
    },
    "$defs": {
        # a reason as Reason.to_dict writes it: its code, its parameters (strict JSON, a
        # nested reason in the same form) and its text in --lang
        "reason": {
            "type": "object",
            "required": ["code", "params", "text"],
            "properties": {
                "code": {"type": "string", "pattern": "^[a-z][a-z0-9_]*([.][a-z][a-z0-9_]*)+$"},
                "params": {"type": "object"},
                "text": {"type": "string"},
            },
            "additionalProperties": False,
        },
        "figures": {
            "type": "object",
            "patternProperties": {
                "_fen$": {"type": ["integer", "null"]},
                "^(?!.*_ci_pct$).*_pct$": {"type": ["number", "null"]},
                "^(?!.*_ci_pp$).*_pp$": {"type": ["number", "null"]},
                "_ci_pct$": {"oneOf": [_PAIR, {"type": "null"}]},
                "_ci_pp$": {"oneOf": [_PAIR, {"type": "null"}]},
                "^(?!.*_(fen|pct|pp|ci_pct|ci_pp)$).*$": {
                    "oneOf": [{"$ref": "#/$defs/figures"}, {"type": "array"}, {"type": "string"},
                              {"type": "number"}, {"type": "boolean"}, {"type": "null"}],
                },
            },
            "additionalProperties": False,
        },
    },
}  # fmt: skip


@attrs.frozen(slots=True)
class DemoReport:
    """The year's figures by section, as plain JSON-ready values; with
    ``run_demo(compare=...)``, the same base under the other policy (``comparison``)."""

    customers: int
    seed: int
    as_of: str
    sections: dict[str, dict[str, Any]]
    comparison: PolicyComparison | None = attrs.field(default=None, eq=False, repr=False)
    #: what the comparison's "before" side does not share with the figures (None: nothing)
    comparison_note: str | None = None
    #: the five reports themselves, for their headlines in another language (not in the JSON)
    reports: Mapping[str, Report] = attrs.field(factory=dict, eq=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Everything, for ``--json`` and other tools."""
        return {
            "customers": self.customers,
            "seed": self.seed,
            "as_of": self.as_of,
            "sections": self.sections,
        }

    def _repr_html_(self) -> str:
        """The text report, one table row per section."""
        blocks = self.render().split("\n\n")
        rows = "".join(
            f"<tr><td style='text-align:left'><pre>{html.escape(b)}</pre></td></tr>" for b in blocks
        )
        return f"<table><caption>telcare demo</caption>{rows}</table>"

    def __str__(self) -> str:
        return self.render()

    def render(self, *, lang: str = "en") -> str:
        """The report as text for a terminal, in ``lang`` (``"en"`` or ``"zh_CN"``)."""
        lang = language(lang)
        say = words(lang, "ui_demo")
        s = self.sections
        head = say("telcare demo: {customers:,} generated customers (seed {seed}), year to {as_of}")
        parts = [
            [head.format(customers=self.customers, seed=self.seed, as_of=self.as_of)],
            tiers_text(s["tiers"], s["segment"], lang),
            points_text(s["points"], lang),
            figures_text(s["benefits"], s["moments"], self.as_of, lang),
            campaign_text(s["campaign"], lang),
        ]
        if s.get("marketing"):
            parts.append(marketing_text(s["marketing"], self.as_of, lang))
        if s.get("reports"):
            parts.append(
                [say("The five reports (python -m telcare report NAME for the tables)")]
                + [f"  {self._headline(name, r, lang)}" for name, r in s["reports"].items()]
            )
        return "\n\n".join("\n".join(lines) for lines in parts)

    def _headline(self, name: str, section: dict[str, Any], lang: str) -> str:
        """A report's headline in ``lang``: from the report itself where the demo kept it."""
        report = self.reports.get(name)
        return section["headline"] if report is None else report.headline(lang=lang)
