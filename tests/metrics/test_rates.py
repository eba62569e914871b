"""Rates and their intervals, checked against statsmodels and scipy as outside oracles."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st
from statsmodels.stats.proportion import (
    proportion_confint,
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


@pytest.mark.parametrize("a", [0.5, 1.0, 3.0, 40.0, 900.0])
@pytest.mark.parametrize("b", [0.7, 1.0, 5.0, 120.0])
@pytest.mark.parametrize("x", [0.0, 1e-6, 0.05, 0.3, 0.5, 0.77, 0.999, 1.0])
def test_incomplete_beta_matches_scipy(a: float, b: float, x: float) -> None:
    from scipy.special import betainc

    from telcare.metrics._rates import _betainc

    assert _betainc(a, b, x) == pytest.approx(betainc(a, b, x), rel=1e-10, abs=1e-13)


@pytest.mark.parametrize(
    ("q", "a", "b"), [(0.025, 1, 10), (0.975, 5, 6), (0.5, 878, 123), (0.005, 2, 99_999)]
)
def test_beta_quantile_matches_scipy(q: float, a: float, b: float) -> None:
    from scipy.stats import beta

    from telcare.metrics._rates import _beta_ppf

    assert _beta_ppf(q, a, b) == pytest.approx(beta.ppf(q, a, b), rel=1e-9, abs=1e-14)


def test_counts_are_named_in_refusals() -> None:
    with pytest.raises(tc.InvalidInput, match=r"^Rate numerator must be an int, got str '1'$"):
        tc.Rate("1", 2)  # type: ignore[arg-type]
    with pytest.raises(
        tc.InvalidInput, match=r"^Rate denominator must be an int, got NoneType None$"
    ):
        tc.Rate(1, None)  # type: ignore[arg-type]


@pytest.mark.parametrize("method", [pd.Categorical(["wilson"]), np.array(["wilson"]), None, "exact"],
                         ids=["Categorical", "array", "None", "exact"])  # fmt: skip
@pytest.mark.parametrize("rate", [tc.Rate(3, 10), tc.Rate(0, 0)], ids=str)
def test_an_interval_method_is_one_of_the_two_by_name(method: Any, rate: tc.Rate) -> None:
    """A Categorical method asked its truth value (ValueError); an empty rate took any method."""
    with pytest.raises(
        tc.InvalidInput, match=r"method must be one of \('wilson', 'clopper-pearson'\)"
    ):
        rate.ci(method=method)
