"""What a reader sees in Jupyter: money in yuan, rates with intervals, no raw dicts."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

import telcare as tc

COUNTS = tc.CampaignCounts(valid_targets=1_000, dialled=2_000, connected=900, contacted=860, deals=120,
                           talk_seconds=100_000, handle_seconds=120_000, working_seconds=200_000,
                           rated=400, satisfied=390)  # fmt: skip
GOLD = tc.Customer("1", activated_on=date(2008, 3, 15), plan_fee=tc.yuan(288), monthly_spend=[42_000] * 12,
                   tier="gold")  # fmt: skip


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (tc.compare(tc.Rate(460, 1000), tc.Rate(400, 1000)), ["46.00% [42.9, 49.1]", "+6.00 pp", "(+1.66 pp, +10.31 pp)"]),
        (tc.evaluate_tier(GOLD), ["¥420.00", "¥580.00", "¥1,380.00"]),
        (tc.campaign_report(COUNTS), ["86.00% [83.7, 88.0]", "45.00% [42.8, 47.2]"]),
        (tc.programme_economics(revenue=tc.yuan(1_000_000), points_issued=1_000_000, points_outstanding=400_000,
                                other_costs=tc.yuan(3_000)), ["¥1,000,000.00", "2.00%", "2.30%", "1,000,000"]),
        (tc.campaign_value(cost=10_000, contacts=100, successes=10, unit_price=1_000, usage_months=3,
                           survival=0.9), ["¥100.00", "90.00%"]),
    ],
)  # fmt: skip
def test_html_views_show_values_as_a_reader_reads_them(value: object, shown: list[str]) -> None:
    html = value._repr_html_()  # type: ignore[attr-defined]
    for text in shown:
        assert text in html, (text, html)
    assert "{'" not in html and "0.060000" not in html


def test_the_ledger_and_the_policy_have_html_views() -> None:
    ledger = tc.PointsLedger.empty("c1")
    for i in range(25):
        ledger = ledger.accrue(f"b{i}", date(2010, 1, 1 + i), 100, "consumption")
    html = ledger._repr_html_()
    assert html.count("<tr>") == 21 and "the last 20 of 25" in html and "2,500" in html
    policy_html = tc.default_policy()._repr_html_()
    assert "moments.callback_days" in policy_html and "<table" in policy_html


def test_row_aligned_results_keep_the_callers_index() -> None:
    frame = pd.DataFrame(
        {"avg_spend": [55_000, 25_000, 8_000], "months": [12] * 3}, index=[7, 9, 11]
    )
    batch = tc.evaluate_tiers(frame["avg_spend"], frame["months"])
    out = batch.to_frame(index=frame.index)
    assert out.index.tolist() == [7, 9, 11] and frame.join(out)["tier"].tolist() == [
        "gold",
        "vip",
        "ordinary",
    ]
    scan = tc.scan_moments(date(2010, 12, 1), used=[14_000, 0, 0], allowance=[15_000] * 3)
    assert scan.to_frame(index=frame.index).index.tolist() == [7, 9, 11]
    with pytest.raises(tc.InvalidInput, match="index has 2 entries for 3 rows"):
        batch.to_frame(index=[1, 2])
    assert batch.to_frame().index.tolist() == [0, 1, 2] and np.array_equal(batch.tier, [3, 1, 0])


def test_plots_show_themselves_as_png() -> None:
    pytest.importorskip("matplotlib")
    from telcare import plot

    figure = plot.campaign_funnel(COUNTS)
    assert figure._repr_png_().startswith(b"\x89PNG")


def test_every_result_type_has_html_and_machine_values() -> None:
    """Result types (what the functions return) show themselves and give machine values;
    inputs (customers, events, cases) and the registry's own types are not results."""
    import inspect
    import json

    import attrs

    inputs = {"Customer", "Event", "Complaint", "SuspiciousCase", "Prospect", "BatchRule", "Column",
              "CompiledPolicy", "MomentRegistry", "MomentSpec", "SnapshotScan", "Benefit",
              "OfferGate", "OfferGates", "GateCase", "GateContext",
              "TierFloor", "PolicySchedule"}  # fmt: skip
    lacking = []
    for name in tc.__all__:
        obj = getattr(tc, name)
        if (
            not (inspect.isclass(obj) and attrs.has(obj))
            or name in inputs
            or issubclass(obj, tc.Event)
        ):
            continue
        if not (hasattr(obj, "_repr_html_") and hasattr(obj, "to_dict")):
            lacking.append(name)
    assert lacking == []
    book = tc.manager_book(["a", "b"], ["li", ""])
    for value in (book, tc.selection_funnel([[80] * 7, [50] + [np.nan] * 6])):
        html = value._repr_html_()
        assert "<table" in html and "{'" not in html
        json.dumps(value.to_dict())
    ledger = tc.PointsLedger.empty("c1").accrue("b1", date(2010, 1, 5), 300, "consumption")
    assert json.loads(json.dumps(ledger.to_dict()))["postings"][0]["balance"] == 300
