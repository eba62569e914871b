"""Seed 001's callback KPIs and their denominators."""

from __future__ import annotations

import pytest

import telcare as tc


def test_callback_kpis_denominators() -> None:
    k = tc.callback_kpis(
        tc.CallbackCounts(
            required=500, completed=480, successful=450, on_time=470, authentic=441, compliant=450
        )
    )
    assert (k.completion, k.success, k.timeliness) == (
        tc.Rate(480, 500),
        tc.Rate(450, 480),
        tc.Rate(470, 480),
    )
    assert (k.authenticity, k.compliance) == (tc.Rate(441, 450), tc.Rate(450, 450))
    with pytest.raises(tc.InvalidInput, match="authentic"):
        tc.CallbackCounts(
            required=5, completed=5, successful=3, on_time=5, authentic=4, compliant=3
        )


def test_callback_kpis_need_counts() -> None:
    with pytest.raises(
        tc.InvalidInput, match=r"^callback_kpis\(\) needs CallbackCounts, got dict$"
    ):
        tc.callback_kpis({})  # type: ignore[arg-type]
    with pytest.raises(
        tc.InvalidInput, match=r"^campaign_report\(\) needs CampaignCounts, got dict$"
    ):
        tc.campaign_report({})  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match=r"^CallbackCounts.required must be >= 0, got -1$"):
        tc.CallbackCounts(
            required=-1, completed=0, successful=0, on_time=0, authentic=0, compliant=0
        )
