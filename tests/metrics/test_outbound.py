"""The outbound project's evaluation: trial forecast, list use, agents, reasons, value."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import telcare as tc

TRIAL = tc.CampaignCounts(valid_targets=400, dialled=700, connected=420, contacted=360, deals=44,
                          talk_seconds=75_600)  # fmt: skip


def test_a_trial_forecasts_deals_with_their_interval_and_the_staff() -> None:
    f = tc.trial_forecast(TRIAL, targets=50_000)
    low, high = f.success_rate.ci()
    assert (
        f.deals == 5_500 and f.deals_range[0] <= low * 50_000 and f.deals_range[1] >= high * 50_000
    )
    assert f.connection_rate == tc.Rate(420, 700)
    assert f.agents == tc.outbound_staffing(50_000, connect_rate=0.6, attempts=3, talk_seconds=180,
                                            wrap_seconds=30, hours_per_day=8, utilisation=0.75, days=20)  # fmt: skip
    shorter = tc.trial_forecast(TRIAL, targets=50_000, days=10)
    assert shorter.agents > f.agents
    with pytest.raises(tc.InvalidInput, match="the trial must have valid targets"):
        tc.trial_forecast(
            tc.CampaignCounts(valid_targets=0, dialled=0, connected=0, contacted=0, deals=0), 10
        )
    with pytest.raises(tc.InvalidInput, match="trial must be CampaignCounts"):
        tc.trial_forecast({}, 10)  # type: ignore[arg-type]


def test_list_utilisation_is_worked_over_listed() -> None:
    assert tc.list_utilisation(2_000, 1_730) == tc.Rate(1_730, 2_000)
    with pytest.raises(tc.InvalidInput, match="worked \\(3\\) cannot exceed list_size \\(2\\)"):
        tc.list_utilisation(2, 3)


def test_agents_are_compared_on_their_own_calls() -> None:
    rng = np.random.default_rng(4)
    n = 3_000
    agent = rng.choice(["li", "wang", "zhao"], n)
    connected = rng.random(n) < np.select([agent == "li", agent == "wang"], [0.7, 0.5], 0.6)
    contacted = connected & (rng.random(n) < 0.9)
    deal = contacted & (rng.random(n) < np.where(agent == "zhao", 0.05, 0.15))
    talk = np.where(connected, rng.integers(60, 300, n), 0)
    p = tc.agent_performance(agent, connected, contacted, deal, talk)
    assert p.agents.tolist() == ["li", "wang", "zhao"]
    for i, name in enumerate(p.agents.tolist()):
        mine = agent == name
        assert p.calls[i] == mine.sum()
        assert p.connection.rate(name) == tc.Rate(int(connected[mine].sum()), int(mine.sum()))
        assert p.success.rate(name) == tc.Rate(int(deal[mine].sum()), int(contacted[mine].sum()))
        assert p.avg_talk()[i] == talk[mine].sum() / connected[mine].sum()
    assert p.success.high[2] < p.success.low[0]  # zhao needs coaching on closing
    assert "zhao" in str(p) and len(p.to_frame()) == 3
    quiet = tc.agent_performance(["li", "sun"], [1, 0], [1, 0], [1, 0], [60, 0])
    assert quiet.success.denominator.tolist() == [1, 0] and np.isnan(quiet.success.low[1])


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((["li"], [0], [1], [0], [0]), "contacted at index 0 without the step before it"),
        ((["li"], [1], [0], [1], [0]), "deal at index 0 without the step before it"),
        ((["li"], [1], [1], [1], [-1]), "talk_seconds must be >= 0"),
        ((["li", "wang"], [1], [1], [1], [0]), "equal lengths"),
    ],
)
def test_agent_records_are_checked(args: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        tc.agent_performance(*args)
    assert fragment in str(info.value)


def test_reason_shares_have_intervals() -> None:
    shares = tc.reason_shares(["price"] * 30 + ["no need"] * 15 + ["already has it"] * 5)
    assert shares.rate("price") == tc.Rate(30, 50)
    assert shares.low[2] < 0.6 < shares.high[2]
    with pytest.raises(tc.InvalidInput, match="reasons is empty"):
        tc.reason_shares([])


def test_value_per_channel_is_campaign_value_per_channel() -> None:
    v = tc.value_by(["phone", "sms"], cost=[500_000, 50_000], contacts=[800, 5_000], successes=[120, 150],
                    unit_price=[2_000, 2_000], usage_months=[6, 6], survival=[0.9, 0.8])  # fmt: skip
    assert v["sms"] == tc.campaign_value(cost=50_000, contacts=5_000, successes=150, unit_price=2_000,
                                         usage_months=6, survival=0.8)  # fmt: skip
    with pytest.raises(tc.InvalidInput, match="cost has 1 values for 2 keys"):
        tc.value_by(
            ["a", "b"],
            cost=[1],
            contacts=[1, 1],
            successes=[0, 0],
            unit_price=[1, 1],
            usage_months=[1, 1],
        )
    with pytest.raises(tc.InvalidInput, match="keys must be distinct"):
        tc.value_by(
            ["a", "a"],
            cost=[1, 1],
            contacts=[1, 1],
            successes=[0, 0],
            unit_price=[1, 1],
            usage_months=[1, 1],
        )


def test_service_accuracy_sits_next_to_satisfaction() -> None:
    c = tc.CampaignCounts(
        valid_targets=10, dialled=20, connected=10, contacted=8, deals=2, checked=50, accurate=48
    )
    report = tc.campaign_report(c)
    assert report.accuracy == tc.Rate(48, 50)
    assert dict(report.rows())["service accuracy"] == str(tc.Rate(48, 50))
    assert (
        tc.campaign_report(
            tc.CampaignCounts(valid_targets=1, dialled=1, connected=1, contacted=1, deals=0)
        ).accuracy
        is None
    )
    with pytest.raises(tc.InvalidInput, match="accurate"):
        tc.CampaignCounts(
            valid_targets=1, dialled=1, connected=1, contacted=1, deals=0, checked=1, accurate=2
        )


def test_numeric_labels_are_labels_not_group_codes() -> None:
    """Found by the fuzz test: rates_by_group reads non-negative integers as group codes,
    so a reason or staff id of 8,589,934,592 asked for 64 GiB."""
    shares = tc.reason_shares(np.array([8_589_934_592, 8_589_934_592, 7]))
    assert shares.keys.tolist() == [7, 8_589_934_592] and shares.numerator.tolist() == [1, 2]
    p = tc.agent_performance(
        [10_086_001, 10_086_001, 3], [1, 0, 1], [1, 0, 0], [0, 0, 0], [60, 0, 30]
    )
    assert p.agents.tolist() == [3, 10_086_001] and p.calls.tolist() == [1, 2]
    with pytest.raises(tc.InvalidInput, match=r"reasons is missing at index 1 \(got None\)"):
        tc.reason_shares(["price", None])
    with pytest.raises(tc.InvalidInput, match="labels of one kind"):
        tc.reason_shares(["price", 7])
