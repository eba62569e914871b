"""The demo's report: plain numbers per section, rendered as text or HTML by the
command line, or dumped as JSON."""

from __future__ import annotations

import html
from typing import Any

import attrs

from telcare.policy.catalogue import BENEFIT_CODES

__all__ = ["DemoReport"]


@attrs.frozen(slots=True)
class DemoReport:
    """The year's figures by section, as plain JSON-ready values."""

    customers: int
    seed: int
    as_of: str
    sections: dict[str, dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        """Everything, for ``--json`` and other tools."""
        return {
            "customers": self.customers,
            "seed": self.seed,
            "as_of": self.as_of,
            "sections": self.sections,
        }

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(self.render())}</pre>"

    def render(self) -> str:
        """The report as text for a terminal."""
        s = self.sections
        t, seg, pts, ben, mom, camp = (
            s[k] for k in ("tiers", "segment", "points", "benefits", "moments", "campaign")
        )
        codes = t["codes"]
        lines = [
            f"telcare demo: {self.customers:,} generated customers (seed {self.seed}), year to {self.as_of}",
            "",
            "Tiers (start of year -> end of year, two evaluations with the downgrade grace)",
            "  " + " ".join(f"{c:>9}" for c in ["from/to", *codes]),
        ]
        for code, row in zip(codes, t["migration"], strict=True):
            lines.append("  " + f"{code:>9}" + "".join(f"{v:>10,}" for v in row))
        lines += [
            f"  up {t['up']:,}, down {t['down']:,}, kept by the grace rule {t['kept_by_grace']:,}",
            "",
            "Mid-to-high-end segment (top 10% of non-VIP customers by average monthly spend)",
            f"  {seg['members']:,} of {seg['eligible']:,} eligible; cut at {seg['cut_yuan']} a month",
            "",
            "Points (cycle ending 30 Nov)",
            f"  opening {pts['opening']:,} + issued {pts['issued']:,} - redeemed {pts['redeemed']:,} "
            f"- expired {pts['expired']:,} - reversed {pts['reversed']:,} = closing {pts['outstanding']:,}",
            f"  return rate {pts['return_rate']:.2%} of {pts['revenue_yuan']} revenue (seed 002: 2%); "
            f"cost ratio {pts['cost_ratio']:.2%} with {pts['other_costs_yuan']} of other costs "
            "(seed 002 forecast: 2.3%)",
            f"  liability {pts['liability_yuan']}; {pts['plan_members']:,} qualify for the points plan",
            f"  sample ledger {pts['sample_ledger']['customer']}: balance {pts['sample_ledger']['balance']:,}, "
            f"identity holds: {pts['sample_ledger']['balanced']}",
            "",
            "Benefits granted (active accounts)",
        ]
        for code in BENEFIT_CODES:
            lines.append(f"  {code:<26} {ben['granted'][code]:>10,}")
        lines += [
            f"  accounts to suspend now (credit or spam guard): {ben['suspend']:,}; "
            f"held by delayed suspension for high credit: {ben['held']:,}",
            "",
            f"Key moments on {self.as_of} (open / overdue / done)",
        ]
        for name, c in mom["scan"].items():
            lines.append(f"  {name:<26} {c['open']:>8,} {c['overdue']:>8,} {c['done']:>8,}")
        for name, row in mom["new_subscribers"].items():
            lines.append(
                f"  {name:<26} {row['open']:>8,} {row['overdue']:>8,} {row['done']:>8,}"
                f"   on time {row['timeliness']}"
            )
        lines += [
            "",
            f"Care campaign on the segment ({camp['treated']:,} treated, {camp['control']:,} control)",
        ]
        lines += [f"  {label:<26} {value}" for label, value in camp["report"]]
        lines += [
            f"  retention treated {camp['retention_treated']}, control {camp['retention_control']}",
            f"  uplift {camp['uplift']}",
            f"  customers per arm to detect 3 points: {camp['sample_size_3pp']:,}",
            f"  value: {camp['value']}",
            f"  phone managers for {camp['book']:,} customers: {camp['phone_managers']}; inbound agents "
            f"{camp['inbound']['agents']} ({camp['inbound']['positions']} positions)",
        ]
        mkt = s.get("marketing")
        if mkt:
            tgt = mkt["targeting"]
            lines += [
                "",
                f"Precision marketing on {self.as_of} ({len(mkt['catalogue'])} offers)",
                "  best offer allowed now: "
                + ", ".join(f"{code} {count:,}" for code, count in mkt["matched"].items()),
                f"  call lists: {mkt['calls']:,} calls for {len(mkt['agents'])} phone managers "
                f"(at most {max(mkt['agents'].values(), default=0)} each), {mkt['overflow']:,} wait for tomorrow; "
                + (
                    "other channels: "
                    + ", ".join(f"{k} {v:,}" for k, v in mkt["other_channels"].items())
                    if mkt["other_channels"]
                    else "no other channels"
                ),
                f"  last quarter's pilot, ranked by cell uplift: uplift in the top 30% "
                f"{tgt['uplift_at_30pct_pp']:+.2f} pp, Qini {tgt['qini']:.3f}",
            ]
        reports = s.get("reports")
        if reports:
            lines += ["", "The five reports (python -m telcare report NAME for the tables)"]
            lines += [f"  {r['headline']}" for r in reports.values()]
        return "\n".join(lines)
