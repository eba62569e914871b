"""Staffing: a manager per book, Erlang C inbound, the outbound model, and their refusals."""

from __future__ import annotations

import math
from typing import Any

import pytest

import telcare as tc


def _erlang_c_by_factorials(n: int, a: float) -> float:
    top = a**n / math.factorial(n) * n / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


OUT = {"connect_rate": 0.5, "attempts": 2, "talk_seconds": 90, "wrap_seconds": 10, "hours_per_day": 8,
       "utilisation": 0.5, "days": 1}  # fmt: skip


IN = {
    "interval_seconds": 1800,
    "aht_seconds": 180,
    "answer_within_seconds": 20,
    "service_level": 0.8,
}


def test_seed_staffing_one_manager_per_4000() -> None:
    assert tc.staffing(75_984) == 19
    assert tc.staffing(4_000) == 1 and tc.staffing(4_001) == 2 and tc.staffing(0) == 0


def test_erlang_c_golden_case() -> None:
    s = tc.inbound_staffing(100, interval_seconds=1800, aht_seconds=180, answer_within_seconds=20,
                            service_level=0.8, shrinkage=0.3)  # fmt: skip
    assert (s.agents, s.positions, round(s.service_level, 3), round(s.occupancy, 3)) == (
        14,
        20,
        0.888,
        0.714,
    )
    assert s.traffic == 10.0 and 0 < s.wait_probability < 1
    fewer = tc.erlang_c(13, 10.0)
    assert fewer > s.wait_probability
    assert tc.erlang_c(10, 10.0) == 1.0


def test_outbound_staffing_model() -> None:
    n = tc.outbound_staffing(50_000, connect_rate=0.6, attempts=3, talk_seconds=180, wrap_seconds=30,
                             hours_per_day=8, utilisation=0.75, days=20)  # fmt: skip
    assert n == 25  # 50,000 x 215.28 s over 432,000 s per agent = 24.9


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: tc.staffing(-1), "customers must be >= 0, got -1"),
        (lambda: tc.staffing(10, per_manager=0), "per_manager must be >= 1, got 0"),
        (
            lambda: tc.inbound_staffing(
                100, interval_seconds=0, aht_seconds=1, answer_within_seconds=1, service_level=0.8
            ),
            "interval_seconds",
        ),
        (
            lambda: tc.inbound_staffing(
                100, interval_seconds=1, aht_seconds=1, answer_within_seconds=1, service_level=1.2
            ),
            "service_level",
        ),
        (
            lambda: tc.inbound_staffing(
                100,
                interval_seconds=1,
                aht_seconds=1,
                answer_within_seconds=1,
                service_level=0.8,
                shrinkage=1,
            ),
            "shrinkage",
        ),
        (
            lambda: tc.outbound_staffing(
                1,
                connect_rate=0,
                attempts=1,
                talk_seconds=1,
                wrap_seconds=0,
                hours_per_day=8,
                utilisation=1,
                days=1,
            ),
            "connect_rate",
        ),
        (
            lambda: tc.outbound_staffing(
                1,
                connect_rate=0.5,
                attempts=1,
                talk_seconds=1,
                wrap_seconds=0,
                hours_per_day=25,
                utilisation=1,
                days=1,
            ),
            "24",
        ),
        (
            lambda: tc.outbound_staffing(
                1,
                connect_rate=0.5,
                attempts=1,
                talk_seconds=float("nan"),
                wrap_seconds=0,
                hours_per_day=8,
                utilisation=1,
                days=1,
            ),
            "nan",
        ),
    ],
)
def test_staffing_bad_inputs(call: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("agents", "traffic"), [(11, 10.0), (14, 10.0), (2, 1.5), (30, 25.3), (1, 0.2)]
)
def test_erlang_c_matches_the_factorial_formula(agents: int, traffic: float) -> None:
    assert tc.erlang_c(agents, traffic) == pytest.approx(
        _erlang_c_by_factorials(agents, traffic), rel=1e-12
    )


def test_inbound_staffing_reports_every_figure_exactly() -> None:
    s = tc.inbound_staffing(
        100, interval_seconds=1800, aht_seconds=180, answer_within_seconds=20, service_level=0.8
    )
    wait = _erlang_c_by_factorials(14, 10.0)
    assert s.wait_probability == pytest.approx(wait, rel=1e-12)
    assert s.service_level == pytest.approx(1 - wait * math.exp(-(14 - 10) * 20 / 180), rel=1e-12)
    assert (s.agents, s.positions, s.occupancy) == (14, 14, pytest.approx(10 / 14))
    thirteen = 1 - _erlang_c_by_factorials(13, 10.0) * math.exp(-3 * 20 / 180)
    assert thirteen < 0.8  # 13 agents would miss the target: 14 is the fewest
    idle = tc.inbound_staffing(
        0, interval_seconds=1800, aht_seconds=180, answer_within_seconds=0, service_level=1
    )
    assert (idle.agents, idle.traffic) == (1, 0.0)


def test_outbound_staffing_formula_exactly() -> None:
    # one attempt, every call connects: 3,600 targets x 100 s = 360,000 s = 100 agent-hours
    assert (
        tc.outbound_staffing(
            3_600,
            connect_rate=1,
            attempts=1,
            talk_seconds=90,
            wrap_seconds=10,
            hours_per_day=10,
            utilisation=1,
            days=10,
        )
        == 1
    )
    assert (
        tc.outbound_staffing(
            3_601,
            connect_rate=1,
            attempts=1,
            talk_seconds=90,
            wrap_seconds=10,
            hours_per_day=10,
            utilisation=1,
            days=10,
        )
        == 2
    )
    # unanswered dials cost only the wrap time: half connect, 2 attempts ->
    # reached 0.75 x 100 s + (1.5 - 0.75) x 10 s = 82.5 s per target
    assert tc.outbound_staffing(
        100_000,
        connect_rate=0.5,
        attempts=2,
        talk_seconds=90,
        wrap_seconds=10,
        hours_per_day=8,
        utilisation=0.5,
        days=1,
    ) == math.ceil(100_000 * 82.5 / 14_400)
    assert tc.outbound_staffing(0, connect_rate=0.5, attempts=2, talk_seconds=90, wrap_seconds=0,
                                hours_per_day=24, utilisation=1, days=1) == 0  # fmt: skip


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"connect_rate": 1.01}, "connect_rate must be in (0, 1], got 1.01"),
        ({"connect_rate": True}, "connect_rate must be a number in (0, 1], got bool True"),
        ({"attempts": 0}, "attempts must be >= 1, got 0"),
        ({"attempts": 1.0}, "attempts must be an int, got float 1.0"),
        ({"talk_seconds": 0}, "talk_seconds must be > 0, got 0"),
        ({"wrap_seconds": -1}, "wrap_seconds must be >= 0, got -1"),
        ({"hours_per_day": 0}, "hours_per_day must be > 0, got 0"),
        ({"hours_per_day": 24.5}, "hours_per_day must be at most 24, got 24.5"),
        ({"utilisation": 0}, "utilisation must be in (0, 1], got 0"),
        ({"days": 0}, "days must be >= 1, got 0"),
        ({"days": 1.5}, "days must be an int, got float 1.5"),
    ],
)
def test_outbound_staffing_names_each_bad_argument(change: dict[str, Any], fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        tc.outbound_staffing(10, **{**OUT, **change})
    assert str(info.value) == fragment


def test_outbound_staffing_bounds_are_inclusive_where_documented() -> None:
    tc.outbound_staffing(10, **{**OUT, "hours_per_day": 24, "utilisation": 1, "connect_rate": 1})
    with pytest.raises(tc.InvalidInput, match=r"^targets must be >= 0, got -1$"):
        tc.outbound_staffing(-1, **OUT)
    with pytest.raises(tc.InvalidInput, match=r"^targets must be an int, got float 1\.5$"):
        tc.outbound_staffing(1.5, **OUT)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("calls", "change", "fragment"),
    [
        (-1, {}, "calls must be >= 0, got -1"),
        (10, {"interval_seconds": -5}, "interval_seconds must be > 0, got -5"),
        (10, {"aht_seconds": 0}, "aht_seconds must be > 0, got 0"),
        (
            10,
            {"answer_within_seconds": -1},
            "answer_within_seconds must be >= 0, got -1",
        ),
        (10, {"service_level": 0}, "service_level must be in (0, 1], got 0"),
        (10, {"shrinkage": 1.0}, "shrinkage must be in [0, 1), got 1.0"),
        (10, {"shrinkage": -0.1}, "shrinkage must be in [0, 1), got -0.1"),
        (float("inf"), {}, "calls must be a finite number, got inf"),
    ],
)
def test_inbound_staffing_names_each_bad_argument(
    calls: float, change: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        tc.inbound_staffing(calls, **{**IN, **change})
    assert str(info.value) == fragment


def test_staffing_names_its_arguments() -> None:
    with pytest.raises(tc.InvalidInput, match=r"^customers must be an int, got float 1\.5$"):
        tc.staffing(1.5)  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match=r"^per_manager must be >= 1, got -4$"):
        tc.staffing(10, per_manager=-4)
    assert tc.staffing(8_000, per_manager=4_000) == 2


@pytest.mark.parametrize(
    ("agents", "traffic", "fragment"),
    [
        (10, float("nan"), "traffic must be a finite number, got nan"),
        (10, -1, "traffic must be >= 0, got -1"),
        (-1, 2.0, "agents must be >= 0, got -1"),
        (2.5, 2.0, "agents must be an int, got float 2.5"),
        (10, "8", "traffic must be a finite number, got str '8'"),
    ],
)
def test_erlang_c_refuses_what_it_cannot_compute(agents: Any, traffic: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        tc.erlang_c(agents, traffic)
    assert str(info.value) == fragment


def test_counts_beyond_their_bounds_are_refused() -> None:
    out = {
        "connect_rate": 0.5,
        "talk_seconds": 90,
        "wrap_seconds": 10,
        "hours_per_day": 8,
        "utilisation": 0.5,
        "days": 1,
    }
    with pytest.raises(tc.InvalidInput, match=r"^attempts must be <= 1000000000, got 1000000001$"):
        tc.outbound_staffing(10, attempts=10**9 + 1, **out)
    with pytest.raises(tc.InvalidInput, match=r"^agents must be <= 1000000, got 1000001$"):
        tc.erlang_c(10**6 + 1, 1.0)
    assert tc.erlang_c(3, 3.0) == 1.0 and tc.erlang_c(4, 3.0) < 1.0


@pytest.mark.parametrize("calls", [1_500_000_000, 1e308], ids=repr)
def test_inbound_staffing_refuses_more_traffic_than_it_can_staff_naming_calls(calls: float) -> None:
    """1.5e9 calls were refused as 'agents must be <= 1000000' (an argument nobody gave);
    1e308 calls made infinite traffic."""
    with pytest.raises(tc.InvalidInput, match=r"calls=.* Erlangs, which need more than MAX_AGENTS"):
        tc.inbound_staffing(calls, interval_seconds=1800, aht_seconds=180,
                            answer_within_seconds=20, service_level=0.8)  # fmt: skip


def test_inbound_staffing_sizes_a_large_centre_as_erlang_c_says() -> None:
    """Near the agent bound each agent more costs one step, not a sum over every agent."""
    s = tc.inbound_staffing(9_000_000, interval_seconds=1800, aht_seconds=180,
                            answer_within_seconds=20, service_level=0.99)  # fmt: skip
    assert s.traffic == 900_000 and s.wait_probability == tc.erlang_c(s.agents, s.traffic)
    below = tc.erlang_c(s.agents - 1, s.traffic)
    assert 1 - below * math.exp(-(s.agents - 1 - s.traffic) * 20 / 180) < 0.99 <= s.service_level
