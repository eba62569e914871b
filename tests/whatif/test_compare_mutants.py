"""What a comparison says, word for word: the reasons, the summary, the text, the
HTML, the dict and the frame of a small base (each figure checked by hand)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import telcare as tc

AS_OF = date(2010, 12, 1)
DEFAULT = tc.default_policy()
#: Half the ordinary customers join the segment; level 1 may owe 100 yuan, not 50.
LOOSER = tc.Policy.model_validate({
    "segment": {"share": "0.5"},
    "credit": {"allowances": {"1": 10_000, "2": 15_000, "3": 30_000, "4": 60_000, "5": 100_000}},
})  # fmt: skip
#: a: gold, level 1, owes 60 yuan (suspended under the default, alerted); b..e: ordinary.
COLS: dict[str, Any] = {
    "ids": ["a", "b", "c", "d", "e"], "avg_spend": [55_000, 12_000, 15_000, 18_000, 9_000],
    "months": [12] * 5, "credit_level": [1, 2, 2, 2, 2],
    "bills": [[55_000], [12_000], [15_000], [18_000], [9_000]],
    "moment_columns": {"used": [6_000, 0, 0, 0, 0]},
}  # fmt: skip
SEGMENT_BENEFITS = (
    "phone_manager, green_channel, priority_promotions, hotline_seat, free_sim_replacement, "
    "remote_suspend_resume, new_service_trial, international_activation, merchant_alliance"
)


def _gold_at(fen: int) -> tc.Policy:
    ladder = [r.model_copy(update={"min_avg_spend": fen}) if r.code == "gold" else r
              for r in DEFAULT.tiers.ladder]  # fmt: skip
    return DEFAULT.model_copy(update={"tiers": DEFAULT.tiers.model_copy(update={"ladder": ladder})})


@pytest.fixture(scope="module")
def looser() -> tc.PolicyComparison:
    return tc.compare_policies(COLS, DEFAULT, LOOSER, as_of=AS_OF)


def test_reasons_name_joining_the_segment_its_benefits_and_lifting_a_suspension(
    looser: tc.PolicyComparison,
) -> None:
    assert looser.reasons() == [
        "a: no longer suspended",
        f"c: joins the segment; gained {SEGMENT_BENEFITS}",
        f"d: joins the segment; gained {SEGMENT_BENEFITS}",
    ]


def test_reasons_the_other_way_name_leaving_losing_and_a_new_suspension() -> None:
    cmp = tc.compare_policies(COLS, LOOSER, DEFAULT, as_of=AS_OF)
    assert cmp.reasons() == [
        "a: now suspended",
        f"c: leaves the segment; lost {SEGMENT_BENEFITS}",
        f"d: leaves the segment; lost {SEGMENT_BENEFITS}",
    ]
    assert cmp.summary()[-1] == ("moment credit_alert", "0", "1")


def test_reasons_name_a_tier_move_with_its_points_and_nothing_that_did_not_move() -> None:
    cols = {"ids": ["a", "b", "c"], "avg_spend": [55_000, 42_000, 9_000], "months": [12] * 3,
            "bills": [[55_000], [42_000], [9_000]]}  # fmt: skip
    cmp = tc.compare_policies(cols, DEFAULT, _gold_at(60_000), as_of=AS_OF)
    assert cmp.reasons() == ["a: tier gold -> silver; points 607 -> 579"]


def test_a_lost_benefit_alone_is_the_whole_reason() -> None:
    rules = dict(DEFAULT.benefits.rules)
    rules["club_magazine"] = rules["club_magazine"].model_copy(update={"min_credit_level": 3})
    gated = DEFAULT.model_copy(
        update={"benefits": DEFAULT.benefits.model_copy(update={"rules": rules})}
    )
    base = tc.CustomerBase(["a", "b"], [55_000, 55_000], [12, 12], credit_level=[2, 3])
    cmp = tc.compare_policies(base, DEFAULT, gated, as_of=AS_OF)
    assert cmp.reasons() == ["a: lost club_magazine"]  # b's level 3 keeps it


def test_reasons_stop_at_100_by_default() -> None:
    n = 101
    cols = {"ids": [f"c{i:03d}" for i in range(n)], "avg_spend": [55_000] * n, "months": [12] * n}
    cmp = tc.compare_policies(cols, DEFAULT, _gold_at(60_000), as_of=AS_OF)
    assert int(cmp.changed.sum()) == n
    assert len(cmp.reasons()) == 100 and cmp.reasons()[-1] == "c099: tier gold -> silver"
    assert len(cmp.reasons(limit=None)) == n and len(cmp.reasons(limit=101)) == n


TOTALS = [
    ("segment size", "0", "2"),
    ("segment cut", "¥0.00", "¥150.00"),  # the smallest member's spend: c's 150 yuan
    ("points issued", "1,155", "1,155"),
    ("liability", "¥23.10", "¥23.10"),
    ("return rate", "2.12%", "2.12%"),
    ("cost ratio", "2.42%", "2.42%"),
    ("suspensions", "1", "0"),
]
BENEFIT_ROWS = [
    (f"benefit {code}", "1", "3" if code in SEGMENT_BENEFITS.split(", ") else "1")
    for code in tc.BENEFIT_CODES
    if code != "service_manager"
] + [("benefit service_manager", "0", "0")]


def test_the_summary_gives_every_total_each_benefit_and_each_moment(
    looser: tc.PolicyComparison,
) -> None:
    assert [r[0] for r in BENEFIT_ROWS] == [f"benefit {c}" for c in tc.BENEFIT_CODES]
    assert looser.summary() == [*TOTALS, *BENEFIT_ROWS, ("moment credit_alert", "1", "0")]


def test_rates_without_revenue_show_as_a_dash() -> None:
    cols = {k: v for k, v in COLS.items() if k != "bills"}
    rows = tc.compare_policies(cols, DEFAULT, LOOSER, as_of=AS_OF).summary()
    assert rows[2:6] == [
        ("points issued", "0", "0"),
        ("liability", "¥0.00", "¥0.00"),
        ("return rate", "-", "-"),
        ("cost ratio", "-", "-"),
    ]


def test_the_text_is_the_migration_table_then_the_summary(looser: tc.PolicyComparison) -> None:
    migration = [
        "before/after      ordinary           vip        silver          gold       diamond",
        "    ordinary             4             0             0             0             0",
        "         vip             0             0             0             0             0",
        "      silver             0             0             0             0             0",
        "        gold             0             0             0             1             0",
        "     diamond             0             0             0             0             0",
    ]
    summary = [f"{n:<34} {b:>16} {a:>16}" for n, b, a in looser.summary()]
    assert summary[1] == "segment cut                                   ¥0.00          ¥150.00"
    assert str(looser) == "\n".join(["5 customers; 3 change", "", *migration, "", *summary])


def test_the_text_pads_columns_to_the_longest_tier_code() -> None:
    policy = tc.Policy.model_validate({"tiers": {"ladder": [
        {"code": "ordinary", "min_avg_spend": 0, "min_months": 0},
        {"code": "very_important_customer", "min_avg_spend": 40_000, "min_months": 3},
    ]}, "benefits": {"rules": {}}, "points": {"tier_multipliers": {}}})  # fmt: skip
    cols = {"ids": ["a", "b"], "avg_spend": [55_000, 9_000], "months": [12, 12]}
    lines = str(tc.compare_policies(cols, policy, policy, as_of=AS_OF)).splitlines()
    w = len("very_important_customer")
    assert lines[2:5] == [
        f"{'before/after':>{w}}{'ordinary':>{w + 2}}{'very_important_customer':>{w + 2}}",
        f"{'ordinary':>{w}}{'1':>{w + 2}}{'0':>{w + 2}}",
        f"{'very_important_customer':>{w}}{'0':>{w + 2}}{'1':>{w + 2}}",
    ]


def test_the_html_is_the_migration_table_then_before_and_after(looser: tc.PolicyComparison) -> None:
    codes = ("ordinary", "vip", "silver", "gold", "diamond")
    counts = {("ordinary", "ordinary"): 4, ("gold", "gold"): 1}
    head = "<tr><th></th>" + "".join(f"<th>{c}</th>" for c in codes) + "</tr>"
    body = "".join(
        f"<tr><th>{r}</th>" + "".join(f"<td>{counts.get((r, c), 0)}</td>" for c in codes) + "</tr>"
        for r in codes
    )
    totals = "".join(
        f"<tr><th style='text-align:left'>{n}</th><td>{b}</td><td>{a}</td></tr>"
        for n, b, a in looser.summary()
    )
    assert totals.startswith(
        "<tr><th style='text-align:left'>segment size</th><td>0</td><td>2</td></tr>"
    )
    assert looser._repr_html_() == (
        f"<table><caption>Tier migration (3 of 5 customers change)</caption>{head}{body}</table>"
        "<table><caption>Before and after</caption><tr><th></th><th>before</th><th>after</th></tr>"
        f"{totals}</table>"
    )


def test_one_outcome_shows_as_a_two_column_html_table(looser: tc.PolicyComparison) -> None:
    cell = "<tr><th style='text-align:left'>{}</th><td style='text-align:left'>{}</td></tr>"
    rows = [
        ("segment", "2 customers, cut at ¥150.00"), ("points issued", "1,155"),
        ("liability", "¥23.10"), ("return rate", "2.12%"), ("cost ratio", "2.42%"),
        ("suspensions", "0"), ("moment credit_alert", "0 due"),
    ]  # fmt: skip
    expected = "".join(cell.format(k, v) for k, v in rows)
    assert (
        looser.after._repr_html_() == f"<table><caption>PolicyOutcome</caption>{expected}</table>"
    )
    assert "<td style='text-align:left'>1 due</td>" in looser.before._repr_html_()


def test_the_dict_gives_counts_codes_migration_and_both_totals(
    looser: tc.PolicyComparison,
) -> None:
    codes = ["ordinary", "vip", "silver", "gold", "diamond"]
    migration = [[0] * 5 for _ in range(5)]
    migration[0][0], migration[3][3] = 4, 1
    assert looser.to_dict() == {
        "customers": 5,
        "changed": 3,
        "changed_ids": ["a", "c", "d"],
        "before_codes": codes,
        "after_codes": codes,
        "migration": migration,
        "before": looser.before.totals(),
        "after": looser.after.totals(),
    }
    after = looser.to_dict()["after"]
    assert (after["segment_size"], after["segment_cut"], after["suspensions"]) == (2, 15_000, 0)
    assert after["moments"] == {"credit_alert": 0} and after["points_issued"] == 1_155


def test_the_frame_counts_each_changed_customers_benefits(looser: tc.PolicyComparison) -> None:
    frame = looser.to_frame()
    assert frame.to_dict("records") == [
        {"id": "a", "tier_before": "gold", "tier_after": "gold", "segment_before": False,
         "segment_after": False, "points_before": 607, "points_after": 607, "benefits_before": 15,
         "benefits_after": 15, "suspended_before": True, "suspended_after": False},
        {"id": "c", "tier_before": "ordinary", "tier_after": "ordinary", "segment_before": False,
         "segment_after": True, "points_before": 152, "points_after": 152, "benefits_before": 0,
         "benefits_after": 9, "suspended_before": False, "suspended_after": False},
        {"id": "d", "tier_before": "ordinary", "tier_after": "ordinary", "segment_before": False,
         "segment_after": True, "points_before": 182, "points_after": 182, "benefits_before": 0,
         "benefits_after": 9, "suspended_before": False, "suspended_after": False},
    ]  # fmt: skip


def test_without_bills_or_usage_the_frame_still_holds_whole_points_and_flags() -> None:
    cols = {"ids": ["a", "b"], "avg_spend": [9_000, 12_000], "months": [12, 12]}
    frame = tc.compare_policies(cols, None, {"segment": {"share": "0.5"}}, as_of=AS_OF).to_frame()
    kinds = {c: frame[c].dtype.kind for c in ("points_before", "suspended_after", "segment_after")}
    assert kinds == {"points_before": "i", "suspended_after": "b", "segment_after": "b"}
    assert frame.to_dict("records")[0]["id"] == "b"


def test_a_base_that_is_not_a_mapping_and_a_day_that_is_not_a_date_are_refused_by_name() -> None:
    with pytest.raises(tc.InvalidInput) as info:
        tc.compare_policies([1], None, None, as_of=AS_OF)  # type: ignore[arg-type]
    assert str(info.value) == "base must be a CustomerBase or a mapping of its columns, got list"
    with pytest.raises(tc.InvalidInput) as info:
        tc.compare_policies(COLS, None, None, as_of="2010-12-01")  # type: ignore[arg-type]
    assert str(info.value) == "as_of must be a datetime.date, got str '2010-12-01'"
