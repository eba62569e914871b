"""Seed 000's campaign report: every rate keeps its counts."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import strategies as st

import telcare as tc

rows = st.lists(st.tuples(st.sampled_from(["north", "south", "east"]), st.booleans()), max_size=80)


def test_campaign_report_keeps_its_inputs() -> None:
    c = tc.CampaignCounts(valid_targets=1_000, dialled=2_400, connected=1_500, contacted=860, deals=120,
                          talk_seconds=270_000, handle_seconds=330_000, working_seconds=460_800,
                          rated=500, satisfied=489)  # fmt: skip
    r = tc.campaign_report(c)
    assert r.contact_rate == tc.Rate(860, 1000) and r.connection_rate == tc.Rate(1500, 2400)
    assert r.success_rate == tc.Rate(120, 1000) and r.success_per_contact == tc.Rate(120, 860)
    assert (
        r.avg_talk_seconds.numerator,
        r.avg_talk_seconds.denominator,
        r.avg_talk_seconds.value,
    ) == (270_000, 1_500, 180)
    assert r.utilisation.value == pytest.approx(330_000 / 460_800)
    assert r.satisfaction.value == pytest.approx(0.978)
    assert dict(r.rows())["deals"] == "120"


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"connected": 3_000}, "connected (3000) cannot exceed dialled (2400)"),
        ({"contacted": 1_001}, "contacted (1001) cannot exceed valid_targets"),
        ({"deals": 900}, "deals (900) cannot exceed contacted"),
        ({"dialled": -1}, "dialled must be >= 0, got -1"),
        ({"handle_seconds": 10, "working_seconds": 0}, "cannot exceed working_seconds"),
        ({"satisfied": 2, "rated": 1}, "satisfied"),
    ],
)
def test_campaign_counts_refuse_impossible_counts(kwargs: dict[str, Any], fragment: str) -> None:
    base = {
        "valid_targets": 1_000,
        "dialled": 2_400,
        "connected": 1_500,
        "contacted": 860,
        "deals": 120,
    }
    with pytest.raises(tc.InvalidInput) as info:
        tc.CampaignCounts(**{**base, **kwargs})
    assert fragment in str(info.value)


def test_campaign_report_rows_are_labelled() -> None:
    c = tc.CampaignCounts(valid_targets=10, dialled=20, connected=10, contacted=8, deals=2, talk_seconds=1_800,
                          handle_seconds=2_000, working_seconds=4_000, rated=4, satisfied=3)  # fmt: skip
    rows = dict(tc.campaign_report(c).rows())
    assert rows == {
        "successful contacts": "8",
        "contact rate": str(tc.Rate(8, 10)),
        "connection rate": str(tc.Rate(10, 20)),
        "deals": "2",
        "success rate (per target)": str(tc.Rate(2, 10)),
        "success per contact": str(tc.Rate(2, 8)),
        "average talk time": "180.00 s per connected call (1,800 / 10)",
        # seed 000: "平均通话时长: 每个呼出电话的平均时长" (per outbound call)
        "talk time per outbound call": "90.00 s per outbound call (1,800 / 20)",
        "labour utilisation": "0.50 (2,000 / 4,000)",
        "satisfaction": str(tc.Rate(3, 4)),
    }
    assert math.isnan(tc.Figure(1, 0).value) and str(tc.Figure(3, 4)) == "0.75 (3 / 4)"


def test_campaign_counts_accept_their_limits() -> None:
    same = tc.CampaignCounts(valid_targets=5, dialled=5, connected=5, contacted=5, deals=5,
                             handle_seconds=9, working_seconds=9, rated=5, satisfied=5)  # fmt: skip
    assert tc.campaign_report(same).success_rate.value == 1.0
    with pytest.raises(
        tc.InvalidInput, match=r"^CampaignCounts.valid_targets must be >= 0, got -1$"
    ):
        tc.CampaignCounts(valid_targets=-1, dialled=0, connected=0, contacted=0, deals=0)
    with pytest.raises(
        tc.InvalidInput, match=r"^CampaignCounts.deals must be an int, got float 1\.0$"
    ):
        tc.CampaignCounts(valid_targets=1, dialled=0, connected=0, contacted=0, deals=1.0)  # type: ignore[arg-type]
    with pytest.raises(
        tc.InvalidInput, match=r"^CampaignCounts.connected \(3\) cannot exceed dialled \(2\)$"
    ):
        tc.CampaignCounts(valid_targets=1, dialled=2, connected=3, contacted=0, deals=0)
    with pytest.raises(
        tc.InvalidInput,
        match=r"^CampaignCounts.handle_seconds \(5\) cannot exceed working_seconds \(0\)$",
    ):
        tc.CampaignCounts(
            valid_targets=1, dialled=0, connected=0, contacted=0, deals=0, handle_seconds=5
        )
