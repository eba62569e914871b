"""The policy as a document: every figure with unit and source, and diffs."""

from __future__ import annotations

import fnmatch

import pytest

import telcare as tc
from telcare.policy._document import SOURCES

POLICY = tc.default_policy()


def _gold_at(fen: int) -> tc.Policy:
    ladder = [r.model_copy(update={"min_avg_spend": fen}) if r.code == "gold" else r
              for r in POLICY.tiers.ladder]  # fmt: skip
    return POLICY.model_copy(update={"tiers": POLICY.tiers.model_copy(update={"ladder": ladder})})


def test_every_source_pattern_names_a_real_figure() -> None:
    paths = [row.path for row in POLICY.describe()]
    for pattern in SOURCES:
        assert any(fnmatch.fnmatchcase(p, pattern) for p in paths), pattern


def test_rows_carry_values_units_and_sources() -> None:
    table = POLICY.describe()
    assert len(table) == len({r.path for r in table})  # one row per figure
    fee = table["benefits.rules.service_manager.min_plan_fee"]
    assert (fee.value, fee.unit, fee.source) == (
        "¥96.00",
        "yuan",
        "source 001: plans of 96 yuan and above",
    )
    assert table["points.tier_multipliers.gold"].value == "1.1x"
    assert table["credit.allowances.2"].source == "source 003: 150 yuan into arrears"
    assert table["credit.allowances.3"].source == "telcare default"
    assert table["contact.window_days"].unit == "days"
    assert table["moments.callback_slots"].value == "12:00, 18:00"
    # a gate the rule does not have is no figure
    with pytest.raises(
        tc.InvalidInput, match=r"no figure 'benefits\.rules\.green_channel\.min_plan_fee'"
    ):
        table["benefits.rules.green_channel.min_plan_fee"]


def test_a_changed_figure_reads_set_by_this_policy() -> None:
    table = _gold_at(60_000).describe()
    assert table["tiers.ladder.gold.min_avg_spend"].source == "set by this policy"
    assert table["tiers.ladder.silver.min_avg_spend"].source == "telcare default"


def test_the_table_renders_as_text_html_and_frame() -> None:
    table = POLICY.describe()
    text = str(table)
    assert "segment.share" in text and "source 000: the top 10% of non-VIP customers" in text
    assert len(text.splitlines()) == len(table)
    html = POLICY._repr_html_()
    assert html.count("<tr>") == len(table) + 1 and "&lt;" not in html.split("<caption>")[0]
    frame = table.to_frame()
    assert list(frame.columns) == ["path", "value", "unit", "source"] and len(frame) == len(table)


def test_diff_lists_exactly_what_changed() -> None:
    assert POLICY.diff(POLICY) == ()
    (change,) = POLICY.diff(_gold_at(60_000))
    assert (change.path, change.before, change.after, change.unit) == (
        "tiers.ladder.gold.min_avg_spend", "¥500.00", "¥600.00", "yuan")  # fmt: skip
    fewer = dict(POLICY.benefits.rules)
    del fewer["club_magazine"]
    no_magazine = POLICY.model_copy(update={"benefits": tc.BenefitsPolicy(rules=fewer)})
    removed = POLICY.diff(no_magazine)
    assert {c.path for c in removed} >= {"benefits.rules.club_magazine.tiers"}
    assert all(c.after == "-" for c in removed)
    assert all(c.before == "-" for c in no_magazine.diff(POLICY))


def test_describe_and_diff_refuse_what_is_not_a_policy() -> None:
    from telcare.policy._document import describe, diff

    with pytest.raises(tc.InvalidInput, match=r"describe\(\) needs a telcare\.Policy, got dict"):
        describe({}, POLICY)  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match="after is str"):
        diff(POLICY, "x")  # type: ignore[arg-type]
