"""What notebook users see: dicts, pandas frames, HTML tables."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import matplotlib
import pandas as pd
import pytest

import telcare as tc

matplotlib.use("Agg")


GOLD = tc.Customer(
    "c1",
    activated_on=date(2010, 1, 1),
    plan_fee=tc.yuan(288),
    monthly_spend=[52_000] * 12,
    tier="gold",
)


def test_decisions_convert_to_plain_dicts_and_frames() -> None:
    d = tc.evaluate_tier(GOLD)
    as_dict = d.to_dict()
    assert as_dict["tier"] == "gold" and isinstance(as_dict["reasons"], list)
    json.dumps(as_dict)
    frame = d.to_frame()
    assert isinstance(frame, pd.DataFrame) and frame.loc[0, "tier"] == "gold"
    asked = tc.CancellationRequested(
        "c1", datetime(2010, 5, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    )
    actions = tc.due_actions(GOLD, [asked], as_of=date(2010, 5, 1))
    table = tc.to_frame(actions)
    assert list(table["moment"]) == ["cancellation_request"] and list(table["status"]) == ["open"]


def test_rates_and_uplifts_carry_their_derived_figures() -> None:
    r = tc.Rate(878, 1000).to_dict()
    assert r["value"] == 0.878 and r["low"] < r["value"] < r["high"]
    u = tc.compare(tc.Rate(460, 1000), tc.Rate(400, 1000)).to_dict()
    assert u["pp"] == pytest.approx(6.0) and u["treated"]["numerator"] == 460


def test_html_tables_escape_and_name_the_type() -> None:
    html = tc.check_benefit(GOLD, "phone_manager")._repr_html_()
    assert html.startswith("<table><caption>BenefitDecision</caption>") and "phone_manager" in html
    report = tc.campaign_report(
        tc.CampaignCounts(valid_targets=10, dialled=10, connected=5, contacted=4, deals=1)
    )
    assert "contact_rate" in report._repr_html_()


def test_batch_results_become_frames() -> None:
    tiers = tc.evaluate_tiers([55_000, 0], [12, 12])
    frame = tiers.to_frame()
    assert list(frame["tier"]) == ["gold", "ordinary"] and "TierBatch" in tiers._repr_html_()
    groups = tc.rates_by_group(["a", "b", "a"], [1, 0, 0])
    assert list(groups.to_frame()["group"]) == ["a", "b"] and "GroupRates" in groups._repr_html_()
    scan = tc.scan_moments(date(2010, 1, 1), used=[100, 90], allowance=[100, 100])
    f = scan.to_frame()
    assert list(f["credit_alert_status"]) == ["open", "open"] and list(f["credit_colour"]) == [3, 2]
    assert "MomentScan" in scan._repr_html_()
    sla = tc.sla_report(tc.due_actions(GOLD, [], as_of=date(2010, 1, 1)))
    assert sla.to_frame().empty and "SLA report" in sla._repr_html_()


def test_demo_report_renders_in_a_notebook() -> None:
    from telcare.cli._demo import run_demo

    html = run_demo(500, seed=1)._repr_html_()
    assert html.startswith("<table><caption>telcare demo</caption>") and html.count("<tr>") >= 8


@pytest.mark.parametrize(
    ("ids", "got"),
    [
        (pd.array([1, None, 3], dtype="Int64"), "<NA>"),
        (pd.Series([1, None, 3], dtype="Int64"), "<NA>"),
        ([1.0, float("nan"), 3.0], "nan"),
    ],
    ids=["Int64-array", "Int64-series", "float-list"],
)
def test_a_missing_id_is_quoted_as_the_column_holds_it_not_as_numpy_read_it(
    ids: object, got: str
) -> None:
    """numpy reads a pandas Int64 column with a gap as floats, so pandas' NA was quoted as
    ``np.float64(nan)``: the message must show the value the caller's column holds."""
    with pytest.raises(tc.InvalidInput, match=rf"^ids is missing at index 1 \(got {got}\); "):
        tc.evaluate_tiers([1, 2, 3], [12] * 3).to_frame(ids=ids)
