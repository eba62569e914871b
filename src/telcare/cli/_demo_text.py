"""The demo's report as text, in English or Simplified Chinese
(``python -m telcare demo --lang zh_CN``).

Every line is a template of the catalogue (context ``ui_demo``; the English is the
msgid), filled with the section's figures; the codes a line names (tiers, benefits,
moments, channels, the campaign's figures) are shown by their names in the language.
Money is ``¥1,234.56`` and dates ISO in both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telcare._core.money import format_yuan
from telcare._core.ui import join, ljust, rjust, words
from telcare.metrics import CampaignCounts, campaign_report
from telcare.policy import BENEFIT_CODES, BENEFITS_BY_CODE

__all__ = ["campaign_text", "figures_text", "marketing_text", "points_text", "tiers_text"]

Say = Callable[[str], str]


def _interval(ci: list[float | None] | None) -> str:
    if ci is None or ci[0] is None or ci[1] is None:
        return ""
    return f" [{ci[0]:.1f}, {ci[1]:.1f}]"


def _pct(say: Say, section: dict[str, Any], name: str) -> str:
    value = section[f"{name}_pct"]
    if value is None:
        return say("n/a")
    return f"{value:.2f}%" + _interval(section.get(f"{name}_ci_pct"))


def tiers_text(t: dict[str, Any], seg: dict[str, Any], lang: str) -> list[str]:
    """The tier migration matrix and the mid-to-high-end segment."""
    say, tier = words(lang, "ui_demo"), words(lang, "tier")
    names = [tier(c) for c in t["codes"]]
    lines = [
        say("Tiers (start of year -> end of year, two evaluations with the downgrade grace)"),
        "  " + " ".join(rjust(c, 9) for c in [say("from/to"), *names]),
    ]
    for name, row in zip(names, t["migration"], strict=True):
        lines.append("  " + rjust(name, 9) + "".join(f"{v:>10,}" for v in row))
    return [
        *lines,
        say("  up {up:,}, down {down:,}, kept by the grace rule {kept:,}").format(
            up=t["up"], down=t["down"], kept=t["kept_by_grace"]
        ),
        "",
        say("Mid-to-high-end segment (top 10% of non-VIP customers by average monthly spend)"),
        say("  {members:,} of {eligible:,} eligible; cut at {cut} a month").format(
            members=seg["members"], eligible=seg["eligible"], cut=format_yuan(seg["cut_fen"])
        ),
    ]


def points_text(pts: dict[str, Any], lang: str) -> list[str]:
    """The points cycle: the balance's movement, the economics, the sample ledger."""
    say = words(lang, "ui_demo")
    ledger = pts["sample_ledger"]
    return [
        say("Points (cycle ending 30 Nov)"),
        say("  opening {opening:,} + issued {issued:,} - redeemed {redeemed:,} - expired "
            "{expired:,} - reversed {reversed:,} = closing {closing:,}").format(
            opening=pts["opening"], issued=pts["issued"], redeemed=pts["redeemed"],
            expired=pts["expired"], reversed=pts["reversed"], closing=pts["outstanding"]),
        say("  return rate {rate:.2f}% of {revenue} revenue (seed 002: 2%); cost ratio "
            "{cost:.2f}% with {other} of other costs (seed 002 forecast: 2.3%)").format(
            rate=pts["return_rate_pct"], revenue=format_yuan(pts["revenue_fen"]),
            cost=pts["cost_ratio_pct"], other=format_yuan(pts["other_costs_fen"])),
        say("  liability {liability}; {members:,} qualify for the points plan").format(
            liability=format_yuan(pts["liability_fen"]), members=pts["plan_members"]),
        say("  sample ledger {customer}: balance {balance:,}, identity holds: {holds}").format(
            customer=ledger["customer"], balance=ledger["balance"],
            holds=say(str(ledger["balanced"]))),
    ]  # fmt: skip


def _benefit(code: str, lang: str) -> str:
    known = BENEFITS_BY_CODE.get(code)
    return code if lang == "en" or known is None else known.name_zh


def figures_text(ben: dict[str, Any], mom: dict[str, Any], as_of: object, lang: str) -> list[str]:
    """The benefits granted, the suspensions, and the key moments' work."""
    say, moment = words(lang, "ui_demo"), words(lang, "ui_moment")
    lines = [say("Benefits granted (active accounts)")]
    lines += [
        f"  {ljust(_benefit(code, lang), 26)} {ben['granted'][code]:>10,}" for code in BENEFIT_CODES
    ]
    lines += [
        say("  accounts to suspend now (credit or spam guard): {suspend:,}; held by delayed "
            "suspension for high credit: {held:,}").format(suspend=ben["suspend"], held=ben["held"]),
        *_suspensions_apart(ben, say),
        "",
        say("Key moments on {as_of} (open / overdue / done)").format(as_of=as_of),
    ]  # fmt: skip
    for name, c in mom["scan"].items():
        lines.append(
            f"  {ljust(moment(name), 26)} {c['open']:>8,} {c['overdue']:>8,} {c['done']:>8,}"
        )
    for name, row in mom["new_subscribers"].items():
        lines.append(
            f"  {ljust(moment(name), 26)} {row['open']:>8,} {row['overdue']:>8,} {row['done']:>8,}"
            + say("   on time {rate}").format(rate=_pct(say, row, "timeliness"))
        )
    return lines


def _suspensions_apart(ben: dict[str, Any], say: Say) -> list[str]:
    """How the accounts to suspend add up, the credit bulletin's "suspended" among them."""
    if "over_allowance" not in ben:
        return []
    return [
        say('    = {over:,} over their credit allowance (the credit bulletin\'s "suspended") '
            "- {held:,} of them held + {spam:,} by the spam guard alone").format(
            over=ben["over_allowance"], held=ben["held"], spam=ben["spam_guard_only"])
    ]  # fmt: skip


def campaign_text(camp: dict[str, Any], lang: str) -> list[str]:
    """The care campaign: the seed's figures, retention by arm, uplift and value."""
    say, label = words(lang, "ui_demo"), words(lang, "ui_campaign")
    lines = [
        say("Care campaign on the segment ({treated:,} treated, {control:,} control)").format(
            treated=camp["treated"], control=camp["control"]
        )
    ]
    report = campaign_report(CampaignCounts(**camp["counts"]))
    units = [f.unit for f in (report.avg_talk_seconds, report.avg_talk_seconds_per_dial,
                              report.utilisation) if f is not None and f.unit]  # fmt: skip
    for name, value in report.rows():
        for unit in units:  # a figure's unit, as the language says it
            value = value.replace(f" {unit} (", f" {label(unit)} (")
        lines.append(f"  {ljust(label(name), 26)} {value}")
    uplift = (
        say("n/a (no control group)") if camp["uplift_pp"] is None else
        say("{pp:+.2f} pp{ci}, p = {p:.3g}").format(
            pp=camp["uplift_pp"], ci=_interval(camp["uplift_ci_pp"]), p=camp["uplift_p_value"])
    )  # fmt: skip
    return [
        *lines,
        say("  retention treated {treated}, control {control}").format(
            treated=_pct(say, camp, "retention_treated"), control=_pct(say, camp, "retention_control")),
        say("  uplift {uplift}").format(uplift=uplift),
        say("  customers per arm to detect 3 points: {n:,}").format(n=camp["sample_size_3pp"]),
        say("  value: cost {cost}, value {value}, ").format(
            cost=format_yuan(camp["cost_fen"]), value=format_yuan(camp["value_fen"])) + _roi(camp, say),
        say("  phone managers for {book:,} customers: {managers}; inbound agents {agents} "
            "({positions} positions)").format(
            book=camp["book"], managers=camp["phone_managers"], agents=camp["inbound"]["agents"],
            positions=camp["inbound"]["positions"]),
    ]  # fmt: skip


def _roi(camp: dict[str, Any], say: Say) -> str:
    """The ROI line, saying what it is computed on (recomputable from the figures shown)."""
    if camp["roi_pct"] is None:
        return say("ROI n/a (no cost)")
    gain = camp.get("incremental_value_fen")
    if gain is None:
        return say("ROI {roi:.1f}% (on the value created)").format(roi=camp["roi_pct"])
    return say("incremental value (over the control group) {gain}, ROI on it {roi:.1f}%").format(
        gain=format_yuan(gain), roi=camp["roi_pct"]
    )


def marketing_text(mkt: dict[str, Any], as_of: object, lang: str) -> list[str]:
    """The offers matched, the call lists, the allocation and the pilot's targeting."""
    say, channel = words(lang, "ui_demo"), words(lang, "ui_channel")
    tgt = mkt["targeting"]
    others = (
        say("other channels: {channels}").format(channels=join(
            lang, [f"{channel(k)} {v:,}" for k, v in mkt["other_channels"].items()]))
        if mkt["other_channels"]
        else say("no other channels")
    )  # fmt: skip
    return [
        say("Precision marketing on {as_of} ({offers} offers)").format(
            as_of=as_of, offers=len(mkt["catalogue"])),
        say("  best offer allowed now: {offers}").format(
            offers=join(lang, [f"{code} {count:,}" for code, count in mkt["matched"].items()])),
        say("  call lists: {calls:,} calls for {agents} phone managers (at most {most} each), "
            "{overflow:,} wait for tomorrow; {others}").format(
            calls=mkt["calls"], agents=len(mkt["agents"]),
            most=max(mkt["agents"].values(), default=0), overflow=mkt["overflow"], others=others),
        *_allocation_text(mkt.get("allocation"), lang),
        say("  last quarter's pilot, ranked by cell uplift: uplift in the top 30% {uplift}, "
            "Qini {qini}").format(
            uplift=_figure(tgt, "uplift_at_30pct_pp", say("{:+.2f} pp"), say),
            qini=_figure(tgt, "qini", "{:.3f}", say)),
    ]  # fmt: skip


def _allocation_text(alloc: dict[str, Any] | None, lang: str) -> list[str]:
    """The allocation's lines: its value, what the budget bought, the split's check."""
    if alloc is None:
        return []
    say = words(lang, "ui_demo")
    bought = join(lang, [f"{code} {k:,}" for code, k in alloc["bought"].items()]) or say("nothing")
    split = (
        say("no customers") if alloc["sample_ratio_p"] is None else
        say("p = {p:.4f}, {verdict}").format(p=alloc["sample_ratio_p"], verdict=say(
            "MISMATCH: check the split" if alloc["sample_ratio_mismatch"] else "as drawn"))
    )  # fmt: skip
    return [
        say("  one allocation within {budget} and {calls:,} phone calls: expected value {value} "
            "({gap:.3f}% below the bound {bound})").format(
            budget=format_yuan(alloc["budget_fen"]), calls=alloc["phone_calls"],
            value=format_yuan(alloc["expected_value_fen"]), gap=alloc["gap_pct"],
            bound=format_yuan(alloc["bound_fen"])),
        say("  the budget bought {bought} for {spent}").format(
            bought=bought, spent=format_yuan(alloc["spent_fen"])),
        say("  control group {control:,} of {customers:,} customers; sample-ratio check {split}").format(
            control=alloc["control"], customers=alloc["control"] + alloc["treated"], split=split),
    ]  # fmt: skip


def _figure(section: dict[str, Any], name: str, form: str, say: Say) -> str:
    """A figure as text, or "n/a" with the reason it could not be computed."""
    value = section[name]
    if value is None:
        why = {row["figure"]: row["reason"] for row in section.get("not_computed", [])}
        return say("n/a ({why})").format(why=why.get(name, say("not computed")))
    return form.format(value)
