"""The shifted-beta-geometric retention curve: the 2007 paper's fits, projections
and values, checked against direct sums; and its refusals."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest

import telcare as tc

#: Fader and Hardie (2007): customers still active at the start of years 0-12, per 1,000.
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394]
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]


@pytest.mark.parametrize(
    ("alive", "alpha", "beta"), [(HIGH_END, 0.668, 3.806), (REGULAR, 0.704, 1.182)]
)
def test_the_fit_on_years_0_to_7_reproduces_the_published_parameters(
    alive: list[int], alpha: float, beta: float
) -> None:
    curve = tc.retention_curve(alive[:8])
    assert (round(curve.alpha, 3), round(curve.beta, 3)) == (alpha, beta)
    assert type(curve.alpha) is float and type(curve.beta) is float


@pytest.mark.parametrize(("alive", "worst"), [(HIGH_END, 16.5), (REGULAR, 3.5)])
def test_the_projection_of_years_8_to_12_stays_near_the_published_counts(
    alive: list[int], worst: float
) -> None:
    """Measured: high end -7.6, -9.2, -12.8, -13.9, -16.0; regular -2.9, -2.6, -2.8,
    -3.1, -3.0 per 1,000 (the model slightly under-projects both cohorts)."""
    curve = tc.retention_curve(alive[:8])
    errors = [1000 * curve.survival(t) - alive[t] for t in range(8, 13)]
    assert max(abs(e) for e in errors) < worst
    assert all(e < 0 for e in errors)


@pytest.mark.parametrize(("alpha", "beta"), [(0.3, 0.8), (0.668, 3.806), (2.5, 7.0), (12.0, 40.0)])
def test_the_fit_recovers_the_parameters_of_exact_expected_counts(
    alpha: float, beta: float
) -> None:
    """Expected counts (floats) maximise the likelihood at the true parameters."""
    truth = tc.RetentionCurve(alpha, beta)
    alive = [10_000 * truth.survival(t) for t in range(12)]
    fitted = tc.retention_curve(alive)
    assert fitted.alpha == pytest.approx(alpha, rel=1e-6)
    assert fitted.beta == pytest.approx(beta, rel=1e-6)
    # shares or counts per thousand: only the proportions matter
    scaled = tc.retention_curve(np.array(alive) / 10_000)
    assert scaled.alpha == pytest.approx(alpha, rel=1e-6)


def test_survival_is_the_product_of_the_retention_rates() -> None:
    curve = tc.RetentionCurve(alpha=0.704, beta=1.182)
    assert curve.survival(0) == 1.0
    running = 1.0
    for t in range(1, 60):
        running *= curve.retention(t)
        assert curve.survival(t) == pytest.approx(running, rel=1e-12)
    assert tc.RetentionCurve(1, 1).survival(9) == pytest.approx(0.1)  # Beta(1, 1): 1 / (t + 1)
    assert curve.retention(1) == pytest.approx(1.182 / 1.886)
    assert curve.retention(2) < curve.retention(10) < 1  # retention rises with tenure


def _direct(curve: tc.RetentionCurve, rate: float, tenure: int, periods: int) -> float:
    s = np.array([curve.survival(tenure + k) for k in range(periods)]) / curve.survival(tenure)
    return float(np.sum(s / (1 + rate) ** np.arange(periods)))


@pytest.mark.parametrize(("alpha", "beta"), [(0.704, 1.182), (0.668, 3.806), (3.0, 4.0)])
@pytest.mark.parametrize("tenure", [0, 5])
def test_the_discounted_value_is_the_long_direct_sum(
    alpha: float, beta: float, tenure: int
) -> None:
    curve = tc.RetentionCurve(alpha, beta)
    for rate in (0.1, 0.01):
        periods = 6_000 if rate == 0.1 else 8_000
        direct = _direct(curve, rate, tenure, periods)
        tail = curve.survival(tenure + periods) / curve.survival(tenure) / (1 + rate) ** periods
        value = curve.discounted_value(1, rate, tenure=tenure)
        assert abs(value - direct) <= tail / (1 - 1 / (1 + rate)) + 1e-12 * value
        assert curve.discounted_value(250, rate, tenure=tenure) == pytest.approx(250 * value)


def test_the_discounted_value_has_a_closed_form_for_beta_1_1() -> None:
    """S(t) = 1 / (t + 1): the value is sum z^t / (t + 1) = -ln(1 - z) / z, z = 1 / (1 + d)."""
    for rate in (0.0001, 0.05, 1.0, 100.0):
        z = 1 / (1 + rate)
        expected = -math.log1p(-z) / z
        assert tc.RetentionCurve(1, 1).discounted_value(1, rate) == pytest.approx(
            expected, rel=1e-12
        )


def test_the_expected_lifetime_counts_the_current_period_and_may_be_infinite() -> None:
    curve = tc.RetentionCurve(3.0, 4.0)
    assert curve.expected_lifetime() == pytest.approx(_direct(curve, 0.0, 0, 200_000), rel=1e-4)
    assert curve.expected_lifetime(tenure=10) == pytest.approx(8.0)
    assert curve.discounted_value(2, 0, tenure=10) == 16.0  # rate 0: margin x lifetime
    paper = tc.retention_curve(REGULAR[:8])
    assert paper.alpha < 1 and paper.expected_lifetime() == math.inf
    assert paper.discounted_value(100, 0) == math.inf
    assert paper.discounted_value(0, 0) == 0.0
    assert math.isfinite(paper.discounted_value(100, 0.1))


def test_a_curve_is_a_plain_value() -> None:
    curve = tc.RetentionCurve(np.float64(0.5), np.int64(2))
    assert (type(curve.alpha), type(curve.beta)) == (float, float)
    assert json.loads(json.dumps(curve.to_dict())) == {"alpha": 0.5, "beta": 2.0}
    for value in (
        curve.survival(np.int32(3)),
        curve.retention(np.uint8(2)),
        curve.discounted_value(np.float32(10), np.float64(0.1)),
        curve.expected_lifetime(),
    ):
        assert type(value) is float


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: tc.retention_curve([1000, 900, 950]), "alive must never rise (a cohort only loses customers), got 950 at period 2 after 900"),
        (lambda: tc.retention_curve([0, 0, 0]), "alive must start with a cohort of customers, got 0"),
        (lambda: tc.retention_curve([100, 90]), "alive must hold 3 to 3660 counts"),
        (lambda: tc.retention_curve([100, -1, -2]), "got -1 at period 1"),
        (lambda: tc.retention_curve([100, float("nan"), 50]), "got nan at period 1"),
        (lambda: tc.retention_curve([100, 90, 10**12]), "alive must hold counts in [0, 1,000,000,000]"),
        (lambda: tc.retention_curve(["100", "90", "80"]), "alive must hold counts (ints or floats), got <U3"),
        (lambda: tc.retention_curve([True, False, False]), "got bool values"),
        (lambda: tc.retention_curve([[100, 90, 80]]), "alive must be a 1-D column"),
        (lambda: tc.retention_curve([100, 100, 100]), "alive never falls from 100: no churn"),
        (lambda: tc.retention_curve([1000, 900, 810, 729]), "does not pin down a shifted-beta-geometric curve"),
        (lambda: tc.retention_curve([100, 0, 0]), "the fit runs to the edge"),
        (lambda: tc.RetentionCurve(0, 1), "RetentionCurve.alpha must be > 0, got 0"),
        (lambda: tc.RetentionCurve(1, float("inf")), "RetentionCurve.beta must be a finite number"),
        (lambda: tc.RetentionCurve(1, "2"), "RetentionCurve.beta must be a finite number, got str '2'"),
        (lambda: tc.RetentionCurve(1, 1).survival(-1), "t must be >= 0, got -1"),
        (lambda: tc.RetentionCurve(1, 1).survival(1.5), "t must be an int, got float 1.5"),
        (lambda: tc.RetentionCurve(1, 1).retention(0), "t must be >= 1, got 0"),
        (lambda: tc.RetentionCurve(1, 1).survival(10**10), "t must be <= 1000000000"),
        (lambda: tc.RetentionCurve(1, 1).expected_lifetime(tenure=-2), "tenure must be >= 0, got -2"),
        (lambda: tc.RetentionCurve(1, 1).discounted_value(10, -0.1), "rate must be >= 0, got -0.1"),
        (lambda: tc.RetentionCurve(1, 1).discounted_value(10, 1e-6), "rate must be 0 or at least 0.0001 per period, got 1e-06"),
        (lambda: tc.RetentionCurve(1, 1).discounted_value(10, 1000), "rate must be <= 100"),
        (lambda: tc.RetentionCurve(1, 1).discounted_value(None, 0.1), "margin must be a finite number, got NoneType None"),
        (lambda: tc.RetentionCurve(1, 1).discounted_value(10**15, 0.1), "margin must be <="),
    ],
)  # fmt: skip
def test_survival_refusals_name_the_value(call: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    assert fragment in str(info.value)
