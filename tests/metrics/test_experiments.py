"""Uplift against a control, retention in points, and sample sizes, checked against statsmodels."""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import pytest
from hypothesis import given, strategies as st
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportions_ztest,
    samplesize_proportions_2indep_onetail,
)

import telcare as tc

counts = st.integers(1, 5_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


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


def test_sample_size_takes_decimals_like_floats() -> None:
    """Found by the nightly fuzz: Decimal('0.5') + a float mde raised a TypeError."""
    from decimal import Decimal

    assert tc.sample_size(Decimal("0.02"), Decimal("0.01")) == tc.sample_size(0.02, 0.01)
    with pytest.raises(tc.InvalidInput, match="baseline \\+ mde"):
        tc.sample_size(Decimal("0.5"), Decimal("0.5"))


def test_a_vanishing_mde_is_refused_not_divided_by() -> None:
    """Found by the fuzz: an mde of 3e-282 squared to 0.0 and the call raised
    ZeroDivisionError; an mde needing more customers than any base is refused by name."""
    with pytest.raises(tc.InvalidInput, match=r"mde 3\.27e-282 is too small to detect"):
        tc.sample_size(0.5, 3.27e-282)
    with pytest.raises(tc.InvalidInput, match="more than 1,000,000,000 customers per arm"):
        tc.sample_size(0.5, 1e-6)
    assert tc.sample_size(0.5, 0.0001) == 392_443_982  # as statsmodels: large n stays an answer


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


def test_experiment_arguments_are_named_and_bounded() -> None:
    with pytest.raises(tc.InvalidInput, match=r"^control has no observations \(0 of 0\)$"):
        tc.compare(tc.Rate(1, 2), tc.Rate(0, 0))
    for mde in (-1, 1, 1.5):
        with pytest.raises(tc.InvalidInput, match=r"^mde must be [<>] "):
            tc.sample_size(0.5, mde)
    with pytest.raises(tc.InvalidInput, match=r"^baseline must be in \(0, 1\), got 0$"):
        tc.minimum_detectable_effect(0, 100)
    with pytest.raises(tc.InvalidInput, match=r"^alpha must be in \(0, 1\), got 1$"):
        tc.minimum_detectable_effect(0.1, 100, alpha=1)
    kept = tc.retention(100, 90, baseline=tc.Rate(80, 100))
    assert kept.rate == tc.Rate(90, 100) and kept.baseline == 0.8 and kept.comparison is not None
    plain = tc.retention(100, 90, baseline=0.8)
    assert (plain.rate, plain.baseline, plain.comparison) == (tc.Rate(90, 100), 0.8, None)
    assert tc.retention(100, 90).rate == tc.Rate(90, 100)


# ---- retention over several periods (seed 000)


def test_seed_retention_averages_three_quarters() -> None:
    # seed 000: "拍照中高端客户保有率连续三个季度平均值为87.8%, 高于08年同期水平5.45PP"
    quarters = [tc.Rate(8_770, 10_000), tc.Rate(8_790, 10_000), tc.Rate(8_780, 10_000)]
    before = [tc.Rate(8_200, 10_000), tc.Rate(8_240, 10_000), tc.Rate(8_265, 10_000)]
    r = tc.retention_average(quarters, baselines=before)
    assert r.average == pytest.approx(0.878) and r.baseline == pytest.approx(0.8235)
    assert r.pp_change == pytest.approx(5.45)
    assert r.pp_ci is not None and r.pp_ci[0] < 5.45 < r.pp_ci[1]
    assert r.ci[0] < 0.878 < r.ci[1]


def test_every_period_weighs_the_same() -> None:
    # a small quarter counts as much as a large one: the mean of rates, not the pooled rate
    r = tc.retention_average([tc.Rate(1, 2), tc.Rate(900, 1_000)])
    assert r.average == pytest.approx(0.7) and r.baseline is None and r.pp_change is None
    one = tc.retention_average([tc.Rate(878, 1_000)])
    half = 1.959964 * math.sqrt(0.878 * 0.122 / 1_000)
    assert one.ci == pytest.approx((0.878 - half, 0.878 + half), abs=1e-6)
    assert str(one).startswith("87.80% over 1 periods")


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: tc.retention_average([]), "at least one period"),
        (lambda: tc.retention_average(tc.Rate(1, 2)), "sequence of Rates"),
        (lambda: tc.retention_average([tc.Rate(0, 0)]), "periods[0] has no observations"),
        (lambda: tc.retention_average([tc.Rate(1, 2)], baselines=[]), "at least one period"),
        (
            lambda: tc.retention_average([tc.Rate(1, 2)], baselines=[tc.Rate(1, 2)] * 2),
            "pair with periods",
        ),
        (lambda: tc.retention_average([(1, 2)]), "periods[0] must be a Rate"),
        (lambda: tc.retention_average([tc.Rate(1, 2)], level=1), "level must be in (0, 1)"),
    ],
)
def test_retention_average_refusals(call: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    assert fragment in str(info.value)


def test_far_tail_p_values_do_not_underflow_to_zero() -> None:
    """2 * cdf(-|z|) gives 0 beyond |z| of about 8.3; erfc keeps the tail (statsmodels agrees)."""
    from statsmodels.stats.proportion import proportions_ztest

    u = tc.compare(tc.Rate(8_820, 10_000), tc.Rate(8_220, 10_000))
    _, expected = proportions_ztest([8_820, 8_220], [10_000, 10_000])
    assert u.p_value > 0 and u.p_value == pytest.approx(expected, rel=1e-6)
