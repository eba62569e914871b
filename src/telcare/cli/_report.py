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
from typing import Any

import attrs

from telcare._core.money import format_yuan
from telcare.metrics import CampaignCounts, Rate, Uplift, campaign_report
from telcare.policy import BENEFIT_CODES
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


def _interval(ci: list[float | None] | None) -> str:
    if ci is None or ci[0] is None or ci[1] is None:
        return ""
    return f" [{ci[0]:.1f}, {ci[1]:.1f}]"


def _pct(section: dict[str, Any], name: str) -> str:
    value = section[f"{name}_pct"]
    if value is None:
        return "n/a"
    return f"{value:.2f}%" + _interval(section.get(f"{name}_ci_pct"))


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
        "comparison": {"type": "object"},
    },
    "$defs": {
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

    def render(self) -> str:
        """The report as text for a terminal."""
        s = self.sections
        head = f"telcare demo: {self.customers:,} generated customers (seed {self.seed}), year to {self.as_of}"
        parts = [
            [head],
            _tiers_text(s["tiers"], s["segment"]),
            _points_text(s["points"]),
            _benefits_text(s["benefits"], s["moments"], self.as_of),
            _campaign_text(s["campaign"]),
        ]
        if s.get("marketing"):
            parts.append(_marketing_text(s["marketing"], self.as_of))
        if s.get("reports"):
            parts.append(
                ["The five reports (python -m telcare report NAME for the tables)"]
                + [f"  {r['headline']}" for r in s["reports"].values()]
            )
        return "\n\n".join("\n".join(lines) for lines in parts)


def _tiers_text(t: dict[str, Any], seg: dict[str, Any]) -> list[str]:
    codes = t["codes"]
    lines = [
        "Tiers (start of year -> end of year, two evaluations with the downgrade grace)",
        "  " + " ".join(f"{c:>9}" for c in ["from/to", *codes]),
    ]
    for code, row in zip(codes, t["migration"], strict=True):
        lines.append("  " + f"{code:>9}" + "".join(f"{v:>10,}" for v in row))
    return [
        *lines,
        f"  up {t['up']:,}, down {t['down']:,}, kept by the grace rule {t['kept_by_grace']:,}",
        "",
        "Mid-to-high-end segment (top 10% of non-VIP customers by average monthly spend)",
        f"  {seg['members']:,} of {seg['eligible']:,} eligible; cut at {format_yuan(seg['cut_fen'])} a month",
    ]


def _points_text(pts: dict[str, Any]) -> list[str]:
    return [
        "Points (cycle ending 30 Nov)",
        f"  opening {pts['opening']:,} + issued {pts['issued']:,} - redeemed {pts['redeemed']:,} "
        f"- expired {pts['expired']:,} - reversed {pts['reversed']:,} = closing {pts['outstanding']:,}",
        f"  return rate {pts['return_rate_pct']:.2f}% of {format_yuan(pts['revenue_fen'])} revenue "
        f"(seed 002: 2%); cost ratio {pts['cost_ratio_pct']:.2f}% with "
        f"{format_yuan(pts['other_costs_fen'])} of other costs (seed 002 forecast: 2.3%)",
        f"  liability {format_yuan(pts['liability_fen'])}; {pts['plan_members']:,} qualify "
        "for the points plan",
        f"  sample ledger {pts['sample_ledger']['customer']}: balance {pts['sample_ledger']['balance']:,}, "
        f"identity holds: {pts['sample_ledger']['balanced']}",
    ]


def _benefits_text(ben: dict[str, Any], mom: dict[str, Any], as_of: object) -> list[str]:
    lines = ["Benefits granted (active accounts)"]
    lines += [f"  {code:<26} {ben['granted'][code]:>10,}" for code in BENEFIT_CODES]
    lines += [
        f"  accounts to suspend now (credit or spam guard): {ben['suspend']:,}; "
        f"held by delayed suspension for high credit: {ben['held']:,}",
        *_suspensions_apart(ben),
        "",
        f"Key moments on {as_of} (open / overdue / done)",
    ]
    for name, c in mom["scan"].items():
        lines.append(f"  {name:<26} {c['open']:>8,} {c['overdue']:>8,} {c['done']:>8,}")
    for name, row in mom["new_subscribers"].items():
        lines.append(
            f"  {name:<26} {row['open']:>8,} {row['overdue']:>8,} {row['done']:>8,}"
            f"   on time {_pct(row, 'timeliness')}"
        )
    return lines


def _suspensions_apart(ben: dict[str, Any]) -> list[str]:
    """How the accounts to suspend add up, the credit bulletin's "suspended" among them."""
    if "over_allowance" not in ben:
        return []
    return [
        f"    = {ben['over_allowance']:,} over their credit allowance (the credit bulletin's "
        f'"suspended") - {ben["held"]:,} of them held + {ben["spam_guard_only"]:,} '
        "by the spam guard alone"
    ]


def _campaign_text(camp: dict[str, Any]) -> list[str]:
    lines = [
        f"Care campaign on the segment ({camp['treated']:,} treated, {camp['control']:,} control)"
    ]
    rows = campaign_report(CampaignCounts(**camp["counts"])).rows()
    lines += [f"  {label:<26} {value}" for label, value in rows]
    uplift = (
        "n/a (no control group)" if camp["uplift_pp"] is None else
        f"{camp['uplift_pp']:+.2f} pp{_interval(camp['uplift_ci_pp'])}, p = {camp['uplift_p_value']:.3g}"
    )  # fmt: skip
    return [
        *lines,
        f"  retention treated {_pct(camp, 'retention_treated')}, control {_pct(camp, 'retention_control')}",
        f"  uplift {uplift}",
        f"  customers per arm to detect 3 points: {camp['sample_size_3pp']:,}",
        f"  value: cost {format_yuan(camp['cost_fen'])}, value {format_yuan(camp['value_fen'])}, "
        + _roi(camp),
        f"  phone managers for {camp['book']:,} customers: {camp['phone_managers']}; inbound agents "
        f"{camp['inbound']['agents']} ({camp['inbound']['positions']} positions)",
    ]


def _marketing_text(mkt: dict[str, Any], as_of: object) -> list[str]:
    tgt = mkt["targeting"]
    others = (
        "other channels: " + ", ".join(f"{k} {v:,}" for k, v in mkt["other_channels"].items())
        if mkt["other_channels"]
        else "no other channels"
    )
    return [
        f"Precision marketing on {as_of} ({len(mkt['catalogue'])} offers)",
        "  best offer allowed now: "
        + ", ".join(f"{code} {count:,}" for code, count in mkt["matched"].items()),
        f"  call lists: {mkt['calls']:,} calls for {len(mkt['agents'])} phone managers "
        f"(at most {max(mkt['agents'].values(), default=0)} each), {mkt['overflow']:,} wait for tomorrow; "
        + others,
        *_allocation_text(mkt.get("allocation")),
        "  last quarter's pilot, ranked by cell uplift: uplift in the top 30% "
        + _figure(tgt, "uplift_at_30pct_pp", "{:+.2f} pp")
        + ", Qini "
        + _figure(tgt, "qini", "{:.3f}"),
    ]


def _allocation_text(alloc: dict[str, Any] | None) -> list[str]:
    """The allocation's lines: its value, what the budget bought, the split's check."""
    if alloc is None:
        return []
    bought = ", ".join(f"{code} {k:,}" for code, k in alloc["bought"].items()) or "nothing"
    split = (
        "no customers"
        if alloc["sample_ratio_p"] is None
        else f"p = {alloc['sample_ratio_p']:.4f}, "
        + ("MISMATCH: check the split" if alloc["sample_ratio_mismatch"] else "as drawn")
    )
    return [
        f"  one allocation within {format_yuan(alloc['budget_fen'])} and {alloc['phone_calls']:,} "
        f"phone calls: expected value {format_yuan(alloc['expected_value_fen'])} "
        f"({alloc['gap_pct']:.3f}% below the bound {format_yuan(alloc['bound_fen'])})",
        f"  the budget bought {bought} for {format_yuan(alloc['spent_fen'])}",
        f"  control group {alloc['control']:,} of {alloc['control'] + alloc['treated']:,} "
        f"customers; sample-ratio check {split}",
    ]


def _roi(camp: dict[str, Any]) -> str:
    """The ROI line, saying what it is computed on (recomputable from the figures shown)."""
    if camp["roi_pct"] is None:
        return "ROI n/a (no cost)"
    gain = camp.get("incremental_value_fen")
    if gain is None:
        return f"ROI {camp['roi_pct']:.1f}% (on the value created)"
    return (
        f"incremental value (over the control group) {format_yuan(gain)}, "
        f"ROI on it {camp['roi_pct']:.1f}%"
    )


def _figure(section: dict[str, Any], name: str, form: str) -> str:
    """A figure as text, or "n/a" with the reason it could not be computed."""
    value = section[name]
    if value is None:
        why = {row["figure"]: row["reason"] for row in section.get("not_computed", [])}
        return f"n/a ({why.get(name, 'not computed')})"
    return form.format(value)
