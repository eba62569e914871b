"""Campaign metrics, checked against statsmodels as an outside oracle."""

from __future__ import annotations

import math
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
        (lambda: tc.Rate(1.0, 4), "int count, got float 1.0"),
        (lambda: tc.Rate(True, 4), "True"),
        (lambda: tc.Rate(1, 4).ci(1.5), "level must be a number in (0, 1), got 1.5"),
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
        (lambda: tc.sample_size(0, 0.01), "baseline must be a proportion"),
        (lambda: tc.sample_size(0.5, 0), "mde must be a non-zero"),
        (lambda: tc.sample_size(0.5, 0.6), "baseline + mde"),
        (lambda: tc.sample_size(0.5, 0.1, power=1), "power"),
        (lambda: tc.minimum_detectable_effect(0.5, 1), "n must be an int >= 2"),
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
        ({"dialled": -1}, "dialled must be a non-negative int, got -1"),
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
        (lambda: tc.staffing(-1), "customers must be a non-negative int"),
        (lambda: tc.staffing(10, per_manager=0), "per_manager must be a positive int"),
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
