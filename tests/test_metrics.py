"""Campaign metrics, checked against statsmodels as an outside oracle."""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
    samplesize_proportions_2indep_onetail,
)

import telcare as tc
from telcare.metrics.groups import wilson_interval

counts = st.integers(1, 5_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


@given(counts, st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_wilson_and_clopper_pearson_match_statsmodels(kn: tuple[int, int], level: float) -> None:
    k, n = kn
    r = tc.Rate(k, n)
    assert r.ci(level) == pytest.approx(
        proportion_confint(k, n, alpha=1 - level, method="wilson"), abs=1e-12
    )
    exact = proportion_confint(k, n, alpha=1 - level, method="beta")
    assert r.ci(level, method="clopper-pearson") == pytest.approx(
        tuple(np.nan_to_num(exact, nan=0.0)), abs=1e-9
    )


@given(counts)
def test_rates_are_proportions_and_intervals_contain_them(kn: tuple[int, int]) -> None:
    r = tc.Rate(*kn)
    low, high = r.ci()
    assert 0 <= low <= r.value <= high <= 1


def test_rate_string_and_empty_rate() -> None:
    assert str(tc.Rate(878, 1000)) == "87.80% [85.6, 89.7]"
    empty = tc.Rate(0, 0)
    assert math.isnan(empty.value) and empty.ci() == (0.0, 1.0) and str(empty) == "n/a (0 of 0)"
    assert tc.Rate(1, 2) + tc.Rate(3, 4) == tc.Rate(4, 6)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: tc.Rate(5, 4), "numerator 5 exceeds its denominator 4"),
        (lambda: tc.Rate(-1, 4), "must be >= 0"),
        (lambda: tc.Rate(1.0, 4), "must be an int, got float 1.0"),
        (lambda: tc.Rate(True, 4), "True"),
        (lambda: tc.Rate(1, 4).ci(1.5), "level must be in (0, 1), got 1.5"),
        (lambda: tc.Rate(1, 4).ci(method="bayes"), "'bayes'"),
    ],
)
def test_rate_bad_inputs(call: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    assert fragment in str(info.value)


@given(counts, counts, st.sampled_from([0.9, 0.95]))
def test_compare_matches_statsmodels(a: tuple[int, int], b: tuple[int, int], level: float) -> None:
    u = tc.compare(tc.Rate(*a), tc.Rate(*b), level=level)
    low, high = confint_proportions_2indep(
        a[0], a[1], b[0], b[1], method="newcomb", compare="diff", alpha=1 - level
    )
    assert u.ci == pytest.approx((low, high), abs=1e-9)
    assert u.difference == pytest.approx(a[0] / a[1] - b[0] / b[1])
    pooled = (a[0] + b[0]) / (a[1] + b[1])
    if 0 < pooled < 1:
        _, p = proportions_ztest([a[0], b[0]], [a[1], b[1]])
        assert u.p_value == pytest.approx(p, abs=1e-9)
    assert u.ci[0] <= u.difference <= u.ci[1]


def test_compare_reports_points_and_relative_lift() -> None:
    u = tc.compare(tc.Rate(460, 1000), tc.Rate(400, 1000))
    assert (round(u.pp, 6), round(u.relative, 6), u.significant) == (6.0, 0.15, True)
    assert str(u) == "+6.00 pp [+1.66, +10.31], p = 0.00673"
    none = tc.compare(tc.Rate(0, 10), tc.Rate(0, 10))
    assert (none.p_value, math.isnan(none.relative)) == (1.0, True)
    with pytest.raises(tc.InvalidInput, match="no observations"):
        tc.compare(tc.Rate(0, 0), tc.Rate(1, 2))
    with pytest.raises(tc.InvalidInput, match="must be a Rate"):
        tc.compare(0.5, tc.Rate(1, 2))  # type: ignore[arg-type]


def test_seed_retention_in_percentage_points() -> None:
    r = tc.retention(10_000, 8_780, baseline=0.8235)
    assert (r.rate.value, round(r.pp_change or 0, 2), r.comparison) == (0.878, 5.45, None)
    with_rate = tc.retention(10_000, 8_780, baseline=tc.Rate(8_235, 10_000))
    assert with_rate.comparison is not None and with_rate.comparison.significant
    assert tc.retention(100, 90).pp_change is None
    with pytest.raises(tc.InvalidInput, match=r"1\.5"):
        tc.retention(100, 90, baseline=1.5)
    with pytest.raises(tc.InvalidInput, match="exceeds"):
        tc.retention(100, 101)


@given(
    st.floats(0.01, 0.5),
    st.floats(0.005, 0.2),
    st.sampled_from([0.01, 0.05, 0.1]),
    st.sampled_from([0.8, 0.9]),
)
def test_sample_size_matches_statsmodels(
    baseline: float, mde: float, alpha: float, power: float
) -> None:
    if baseline + mde >= 0.99:
        return
    n = tc.sample_size(baseline, mde, alpha=alpha, power=power)
    oracle = samplesize_proportions_2indep_onetail(
        mde, baseline, power, alpha=alpha, alternative="two-sided"
    )
    assert n == math.ceil(oracle - 1e-9)
    assert tc.minimum_detectable_effect(baseline, n, alpha=alpha, power=power) <= mde + 1e-9


def test_seed_sample_size_two_to_three_percent() -> None:
    assert tc.sample_size(0.02, 0.01) == 3826


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: tc.sample_size(0, 0.01), "baseline must be in (0, 1)"),
        (lambda: tc.sample_size(0.5, 0), "mde must be a non-zero"),
        (lambda: tc.sample_size(0.5, 0.6), "baseline + mde"),
        (lambda: tc.sample_size(0.5, 0.1, power=1), "power"),
        (lambda: tc.minimum_detectable_effect(0.5, 1), "n must be >= 2"),
        (lambda: tc.minimum_detectable_effect(0.98, 2), "cannot detect"),
    ],
)
def test_sample_size_bad_inputs(call: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    assert fragment in str(info.value)


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


def test_campaign_value_and_roi() -> None:
    v = tc.campaign_value(cost=5_000_000, contacts=8_600, successes=1_200, unit_price=1_000, usage_months=12,
                          survival=0.8, targets=10_000, control=tc.Rate(400, 10_000))  # fmt: skip
    assert (v.value_created, v.incremental_value, v.abandonment) == (
        11_520_000,
        7_680_000,
        pytest.approx(0.2),
    )
    assert v.cost_per_success == pytest.approx(5_000_000 / 1_200)
    assert v.roi == pytest.approx((7_680_000 - 5_000_000) / 5_000_000)
    plain = tc.campaign_value(cost=100, contacts=10, successes=1, unit_price=100, usage_months=2)
    assert (plain.value_created, plain.roi, plain.incremental_value) == (200, 1.0, None)
    with pytest.raises(tc.InvalidInput, match="targets"):
        tc.campaign_value(
            cost=1, contacts=1, successes=1, unit_price=1, usage_months=1, control=tc.Rate(1, 2)
        )
    with pytest.raises(tc.InvalidInput, match="survival"):
        tc.campaign_value(cost=1, contacts=1, successes=1, unit_price=1, usage_months=1, survival=2)


def test_seed_golf_forecast_is_16_million_yuan() -> None:
    assert tc.revenue_forecast((50_000, tc.yuan(200), 1), (100_000, tc.yuan(5), 12)) == tc.yuan(
        16_000_000
    )
    with pytest.raises(tc.InvalidInput, match="stream 0"):
        tc.revenue_forecast((1, 2))  # type: ignore[arg-type]


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


# ------------------------------------------------------------ grouped rates


def test_rates_by_group_with_codes_labels_and_trials() -> None:
    g = tc.rates_by_group([0, 0, 2, 2, 2], [1, 0, 1, 1, 0])
    assert (g.keys.tolist(), g.numerator.tolist(), g.denominator.tolist()) == (
        [0, 1, 2],
        [1, 0, 2],
        [2, 0, 3],
    )
    assert (g.low[1], g.high[1]) == (0.0, 1.0)
    labels = tc.rates_by_group(["vip", "mid", "vip"], [1, 1, 0])
    assert labels.keys.tolist() == ["mid", "vip"] and labels.rate("vip") == tc.Rate(1, 2)
    weighted = tc.rates_by_group(["a", "b"], [3, 1], trials=[10, 2])
    assert weighted.rate("a") == tc.Rate(3, 10) and len(weighted) == 2
    assert len(tc.rates_by_group([], [])) == 0
    assert len(tc.rates_by_group([0], [1], n_groups=4)) == 4


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"groups": [0, 1], "successes": [1]}, "equal lengths"),
        (
            {"groups": [0], "successes": [2]},
            "successes must hold booleans (0 or 1), got 2 at index 0",
        ),
        (
            {"groups": [0], "successes": [3], "trials": [2]},
            "successes 3 exceed trials 2 at index 0",
        ),
        ({"groups": [-1], "successes": [1]}, "groups must be >= 0, got -1"),
        ({"groups": [[0]], "successes": [1]}, "1-D"),
        ({"groups": [3], "successes": [1], "n_groups": 2}, "n_groups=2"),
        ({"groups": [0], "successes": [1], "level": 2}, "level"),
    ],
)
def test_rates_by_group_bad_inputs(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        tc.rates_by_group(**kwargs)
    assert fragment in str(info.value)


rows = st.lists(st.tuples(st.sampled_from(["north", "south", "east"]), st.booleans()), max_size=80)


@given(rows, st.randoms())
def test_group_rates_equal_scalar_rates_and_ignore_row_order(
    data: list[tuple[str, bool]], rnd: Any
) -> None:
    groups = [g for g, _ in data]
    outcomes = [int(o) for _, o in data]
    result = tc.rates_by_group(groups, outcomes)
    for i, key in enumerate(result.keys.tolist()):
        scalar = tc.Rate(sum(o for g, o in data if g == key), groups.count(key))
        assert result.rate(key) == scalar
        assert (result.low[i], result.high[i]) == pytest.approx(scalar.ci(), abs=1e-12)
    shuffled = list(data)
    rnd.shuffle(shuffled)
    again = tc.rates_by_group([g for g, _ in shuffled], [int(o) for _, o in shuffled])
    assert again.keys.tolist() == result.keys.tolist()
    assert again.numerator.tolist() == result.numerator.tolist()


# ------------------------------------------------------------ sharper checks (mutation testing)


def _erlang_c_by_factorials(n: int, a: float) -> float:
    top = a**n / math.factorial(n) * n / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


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


OUT = {"connect_rate": 0.5, "attempts": 2, "talk_seconds": 90, "wrap_seconds": 10, "hours_per_day": 8,
       "utilisation": 0.5, "days": 1}  # fmt: skip


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


IN = {
    "interval_seconds": 1800,
    "aht_seconds": 180,
    "answer_within_seconds": 20,
    "service_level": 0.8,
}


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


def test_campaign_value_every_field() -> None:
    v = tc.campaign_value(
        cost=1_000, contacts=50, successes=10, unit_price=200, usage_months=3, survival=0.5
    )
    assert (v.cost, v.contacts, v.successes) == (1_000, 50, 10)
    assert (v.cost_per_contact, v.cost_per_success, v.survival, v.abandonment) == (
        20.0,
        100.0,
        0.5,
        0.5,
    )
    assert (v.value_created, v.incremental_successes, v.incremental_value) == (3_000, None, None)
    assert v.roi == 2.0
    assert str(v) == "cost 10.00 yuan, value 30.00 yuan, ROI 200.0%"
    free = tc.campaign_value(
        cost=0, contacts=0, successes=0, unit_price=0, usage_months=0, survival=0
    )
    assert (
        math.isnan(free.cost_per_contact)
        and math.isnan(free.cost_per_success)
        and math.isnan(free.roi)
    )
    edge = tc.campaign_value(cost=10, contacts=5, successes=5, unit_price=1, usage_months=1, targets=5,
                             control=tc.Rate(1, 5))  # fmt: skip
    assert edge.incremental_successes == pytest.approx(4.0) and edge.incremental_value == 4


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"cost": -1}, "cost must be >= 0, got -1"),
        ({"unit_price": 1.5}, "unit_price must be an int, got float 1.5"),
        ({"contacts": -1}, "contacts must be >= 0, got -1"),
        ({"successes": True}, "successes must be an int, got bool True"),
        ({"usage_months": -2}, "usage_months must be >= 0, got -2"),
        ({"successes": 51}, "successes (51) cannot exceed contacts (50)"),
        ({"survival": -0.1}, "survival must be in [0, 1], got -0.1"),
        (
            {"control": tc.Rate(1, 10)},
            "targets (>= contacts) must be given with a control group, got None",
        ),
        ({"control": tc.Rate(1, 10), "targets": 49}, "got 49"),
        ({"control": tc.Rate(0, 0), "targets": 60}, "control has no observations"),
    ],
)
def test_campaign_value_names_each_bad_argument(change: dict[str, Any], fragment: str) -> None:
    base = {"cost": 1_000, "contacts": 50, "successes": 10, "unit_price": 200, "usage_months": 3}
    with pytest.raises(tc.InvalidInput) as info:
        tc.campaign_value(**{**base, **change})
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


def test_retention_baselines_at_the_limits() -> None:
    assert tc.retention(10, 10, baseline=1).pp_change == 0.0
    assert tc.retention(10, 0, baseline=0).pp_change == 0.0
    with pytest.raises(
        tc.InvalidInput, match=r"^baseline must be a proportion in \[0, 1\] or a Rate, got True$"
    ):
        tc.retention(10, 5, baseline=True)


def test_compare_exactly() -> None:
    u = tc.compare(tc.Rate(30, 100), tc.Rate(20, 100), level=0.9)
    assert u.level == 0.9 and u.treated == tc.Rate(30, 100) and u.control == tc.Rate(20, 100)
    assert u.difference == pytest.approx(0.1) and u.relative == pytest.approx(0.5)
    pooled = 0.25
    z = 0.1 / math.sqrt(pooled * 0.75 * (2 / 100))
    assert u.p_value == pytest.approx(2 * (1 - NormalDist().cdf(z)), rel=1e-12)
    all_in = tc.compare(tc.Rate(10, 10), tc.Rate(9, 10))
    assert 0 < all_in.p_value < 1
    certain = tc.compare(tc.Rate(10, 10), tc.Rate(10, 10))
    assert certain.p_value == 1.0 and not certain.significant
    assert (
        tc.compare(tc.Rate(0, 10), tc.Rate(5, 10)).ci[1] < 0
        and tc.compare(tc.Rate(0, 10), tc.Rate(5, 10)).significant
    )
    with pytest.raises(tc.InvalidInput, match=r"^treated must be a Rate"):
        tc.compare("0.3", tc.Rate(1, 2))  # type: ignore[arg-type]


def test_sample_size_details() -> None:
    # one-sided power terms: a larger alpha or lower power needs fewer customers
    base = tc.sample_size(0.1, 0.02)
    assert tc.sample_size(0.1, 0.02, alpha=0.1) < base < tc.sample_size(0.1, 0.02, power=0.9)
    assert tc.sample_size(0.1, -0.02) > 0  # a fall is detectable too
    with pytest.raises(tc.InvalidInput, match=r"^alpha must be in \(0, 1\), got 0$"):
        tc.sample_size(0.1, 0.02, alpha=0)
    with pytest.raises(tc.InvalidInput, match=r"^mde must be a finite number, got bool True$"):
        tc.sample_size(0.1, True)  # type: ignore[arg-type]
    mde = tc.minimum_detectable_effect(0.1, base)
    assert 0.0195 < mde <= 0.02 + 1e-9
    assert (
        tc.minimum_detectable_effect(0.1, base, alpha=0.1)
        < mde
        < tc.minimum_detectable_effect(0.1, base, power=0.9)
    )
    with pytest.raises(tc.InvalidInput, match=r"^n must be an int, got float 2\.0$"):
        tc.minimum_detectable_effect(0.1, 2.0)  # type: ignore[arg-type]


def test_revenue_forecast_names_the_stream() -> None:
    assert tc.revenue_forecast() == 0 and tc.revenue_forecast((2, 3, 4)) == 24
    with pytest.raises(tc.InvalidInput, match=r"^stream 1 unit_price must be >= 0, got -1$"):
        tc.revenue_forecast((1, 1, 1), (1, -1, 1))
    with pytest.raises(
        tc.InvalidInput, match=r"^stream 0 must be \(users, unit_price, periods\), got \[1, 1, 1\]$"
    ):
        tc.revenue_forecast([1, 1, 1])  # type: ignore[arg-type]


@pytest.mark.parametrize("a", [0.5, 1.0, 3.0, 40.0, 900.0])
@pytest.mark.parametrize("b", [0.7, 1.0, 5.0, 120.0])
@pytest.mark.parametrize("x", [0.0, 1e-6, 0.05, 0.3, 0.5, 0.77, 0.999, 1.0])
def test_incomplete_beta_matches_scipy(a: float, b: float, x: float) -> None:
    from scipy.special import betainc

    from telcare.metrics.rates import _betainc

    assert _betainc(a, b, x) == pytest.approx(betainc(a, b, x), rel=1e-10, abs=1e-13)


@pytest.mark.parametrize(
    ("q", "a", "b"), [(0.025, 1, 10), (0.975, 5, 6), (0.5, 878, 123), (0.005, 2, 99_999)]
)
def test_beta_quantile_matches_scipy(q: float, a: float, b: float) -> None:
    from scipy.stats import beta

    from telcare.metrics.rates import _beta_ppf

    assert _beta_ppf(q, a, b) == pytest.approx(beta.ppf(q, a, b), rel=1e-9, abs=1e-14)


def test_group_rates_messages_and_level() -> None:
    g = tc.rates_by_group([0, 0, 1], [1, 0, 1], level=0.99)
    assert g.level == 0.99
    assert (g.low[0], g.high[0]) == pytest.approx(tc.Rate(1, 2).ci(0.99), abs=1e-12)
    with pytest.raises(tc.InvalidInput, match=r"^no group 7$"):
        g.rate(7)
    with pytest.raises(tc.InvalidInput, match=r"^successes must be >= 0, got -1 at index 0$"):
        tc.rates_by_group([0], [-1], trials=[1])
    with pytest.raises(tc.InvalidInput, match=r"^trials must be >= 0, got -1 at index 0$"):
        tc.rates_by_group([0], [0], trials=[-1])
    with pytest.raises(tc.InvalidInput, match=r"^groups must be a 1-D column, got shape \(1, 1\)$"):
        tc.rates_by_group([[0]], [1])
    zeros = tc.rates_by_group(["a"], [0], trials=[0])
    assert (zeros.low[0], zeros.high[0]) == (0.0, 1.0)


# --- rates_by_group at its edges (mutation testing found these unpinned) -------------------


def test_group_bounds_stay_inside_zero_and_one_where_rounding_would_leave() -> None:
    # Without clamping, 0 of 21 gives a lower bound of about -1e-17 and 16 of 16 an
    # upper bound just above 1.
    none = tc.rates_by_group([0] * 21, [0] * 21)
    assert none.low.tolist() == [0.0] and none.high[0] < 1
    every = tc.rates_by_group([0] * 16, [1] * 16)
    assert every.high.tolist() == [1.0] and every.low[0] > 0


def test_group_rates_show_themselves_whole() -> None:
    g = tc.rates_by_group(["b", "a", "b"], [1, 0, 0])
    assert list(g.to_dict()) == ["group", "numerator", "denominator", "value", "low", "high"]
    assert g.to_dict()["group"] == ["a", "b"]
    assert g.to_dict()["numerator"] == [0, 1] and g.to_dict()["denominator"] == [1, 2]
    assert g.to_dict()["value"] == [0.0, 0.5]
    assert g.to_dict()["low"] == g.low.tolist() and g.to_dict()["high"] == g.high.tolist()
    html = g._repr_html_()
    assert "GroupRates (2 groups)" in html and ">a</th>" in html and str(g.rate("b")) in html
    many = tc.rates_by_group(list(range(51)), [1] * 51)
    assert many._repr_html_().count("<tr>") == 50  # the first fifty groups


def test_grouped_counts_check_every_column_and_name_the_row() -> None:
    with pytest.raises(tc.InvalidInput, match="groups=3"):
        tc.rates_by_group([0, 1, 1], [1, 0], [1, 1])
    with pytest.raises(tc.InvalidInput, match="successes=1"):
        tc.rates_by_group([0, 1], [1], [1, 1])
    with pytest.raises(tc.InvalidInput, match="trials=3"):
        tc.rates_by_group([0, 1], [1, 0], [1, 1, 1])
    with pytest.raises(tc.InvalidInput, match=r"successes 5 exceed trials 3 at index 1"):
        tc.rates_by_group([0, 1, 1], [1, 5, 0], [1, 3, 2])


def test_group_labels_of_every_kind() -> None:
    floats = tc.rates_by_group([1.5, 1.5, 2.5], [1, 0, 1])
    assert floats.keys.tolist() == [1.5, 2.5] and floats.denominator.tolist() == [2, 1]
    empty = tc.rates_by_group(np.array([], dtype=float), [])
    assert empty.keys.dtype.kind == "i" and len(empty) == 0
    mixed = tc.rates_by_group(np.array(["a", None, "a"], dtype=object), [1, 1, 0])
    assert mixed.keys.tolist() == ["None", "a"] and mixed.numerator.tolist() == [1, 1]
    exact = tc.rates_by_group([0, 1], [1, 0], n_groups=2)
    assert exact.keys.tolist() == [0, 1]
    counted = tc.rates_by_group([0], [1], [2], n_groups=3)
    assert counted.numerator.tolist() == [1, 0, 0] and counted.denominator.tolist() == [2, 0, 0]
    assert counted.numerator.dtype == np.int64 and counted.denominator.dtype == np.int64


def test_wilson_interval_defaults_to_95_percent() -> None:
    low, high = wilson_interval(np.array([1, 30]), np.array([2, 40]))
    assert (low[0], high[0]) == pytest.approx(tc.Rate(1, 2).ci(), abs=1e-15)
    assert (low[1], high[1]) == pytest.approx(tc.Rate(30, 40).ci(0.95), abs=1e-15)


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
