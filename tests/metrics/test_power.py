"""Power and sample size with unequal arms and one-sided tests, against statsmodels."""

from __future__ import annotations

import itertools
import json
import math
from typing import Any

import numpy as np
import pytest

import telcare as tc

proportion = pytest.importorskip("statsmodels.stats.proportion")

RATIOS = (0.25, 0.5, 1.0, 2.0, 4.0)
ALPHAS = (0.01, 0.05, 0.1)
POWERS = (0.8, 0.9)
#: (baseline, mde): small rates, a fall, a rise from the middle.
CASES = ((0.02, 0.01), (0.1, 0.02), (0.3, -0.05), (0.5, 0.1), (0.8, -0.15))


def _sides(mde: float) -> tuple[str, ...]:
    return ("two-sided", "larger" if mde > 0 else "smaller")


def test_sample_size_equals_statsmodels_on_the_grid() -> None:
    checked = 0
    for (baseline, mde), ratio, alpha, power in itertools.product(CASES, RATIOS, ALPHAS, POWERS):
        for side in _sides(mde):
            n = tc.sample_size(baseline, mde, alpha=alpha, power=power, ratio=ratio,
                               alternative=side)  # fmt: skip
            oracle = proportion.samplesize_proportions_2indep_onetail(
                mde, baseline, power, ratio=ratio, alpha=alpha, alternative=side
            )
            assert n == math.ceil(oracle - 1e-9), (baseline, mde, ratio, alpha, power, side)
            assert type(n) is int
            checked += 1
    assert checked == len(CASES) * len(RATIOS) * len(ALPHAS) * len(POWERS) * 2


def test_power_equals_statsmodels_on_the_grid() -> None:
    for (baseline, mde), ratio, alpha, n in itertools.product(
        CASES, RATIOS, ALPHAS, (20, 500, 20_000)
    ):
        for side in ("two-sided", "larger", "smaller"):
            ours = tc.power(baseline, mde, n, ratio=ratio, alpha=alpha, alternative=side)
            theirs = proportion.power_proportions_2indep(
                mde, baseline, n, ratio=ratio, alpha=alpha, alternative=side,
                return_results=False,
            )  # fmt: skip
            assert ours == pytest.approx(float(theirs), abs=1e-12), (baseline, mde, ratio, n, side)
            assert type(ours) is float


def test_the_planned_size_reaches_the_planned_power() -> None:
    for (baseline, mde), ratio, power in itertools.product(CASES, RATIOS, POWERS):
        side = "larger" if mde > 0 else "smaller"
        n = tc.sample_size(baseline, mde, power=power, ratio=ratio, alternative=side)
        assert tc.power(baseline, mde, n, ratio=ratio, alternative=side) >= power - 1e-9
        assert tc.power(baseline, mde, n - 1, ratio=ratio, alternative=side) < power


def test_the_minimum_detectable_effect_inverts_the_sample_size() -> None:
    for (baseline, mde), ratio, alpha in itertools.product(CASES, RATIOS, ALPHAS):
        for side in _sides(mde):
            if side == "two-sided" and mde < 0:
                continue  # two-sided reads upward: the rise it detects is another figure
            n = tc.sample_size(baseline, mde, alpha=alpha, ratio=ratio, alternative=side)
            found = tc.minimum_detectable_effect(baseline, n, alpha=alpha, ratio=ratio,
                                                 alternative=side)  # fmt: skip
            assert math.copysign(1, found) == math.copysign(1, mde)
            assert abs(found) <= abs(mde) + 1e-9
            assert tc.sample_size(baseline, found, alpha=alpha, ratio=ratio,
                                  alternative=side) == n  # fmt: skip


def test_a_small_control_group_needs_more_treated_customers() -> None:
    equal = tc.sample_size(0.02, 0.01)
    small_control = tc.sample_size(0.02, 0.01, ratio=0.25)
    assert small_control > equal
    # the total is smallest with equal arms (for rates this close)
    assert small_control * 1.25 > 2 * equal
    assert tc.sample_size(0.02, 0.01, alternative="larger") < equal
    assert tc.power(0.02, 0, 1000) == pytest.approx(0.05)  # no difference: the test's size


def test_numpy_and_decimal_inputs_give_python_numbers() -> None:
    from decimal import Decimal

    n = tc.sample_size(np.float64(0.1), np.float32(0.02), ratio=np.int64(2))
    assert type(n) is int and n == tc.sample_size(0.1, 0.02, ratio=2)
    p = tc.power(Decimal("0.1"), Decimal("0.02"), np.int32(n), ratio=Decimal(2))
    assert type(p) is float and json.dumps(p)
    assert tc.minimum_detectable_effect(0.1, np.int16(500), ratio=np.float64(0.5)) > 0


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: tc.sample_size(0.1, 0.02, ratio=0), "ratio must be > 0, got 0"),
        (lambda: tc.sample_size(0.1, 0.02, ratio=-1.5), "ratio must be > 0, got -1.5"),
        (lambda: tc.power(0.1, 0.02, 100, ratio=float("nan")), "ratio must be a finite number, got nan"),
        (lambda: tc.power(0.1, 0.02, 100, ratio="2"), "ratio must be a finite number, got str '2'"),
        (lambda: tc.sample_size(0.1, 0.02, ratio=1e9), "ratio must be <= 1000000.0, got 1000000000.0"),
        (lambda: tc.minimum_detectable_effect(0.1, 100, ratio=[1, 2]), "ratio must be a finite number"),
        (lambda: tc.sample_size(0.1, 0.02, alternative="greater"),
         "alternative must be one of ('two-sided', 'larger', 'smaller'), got 'greater'"),
        (lambda: tc.power(0.1, 0.02, 100, alternative="2s"), "alternative must be one of"),
        (lambda: tc.minimum_detectable_effect(0.1, 100, alternative=None), "got None"),
        (lambda: tc.power(0, 0.02, 100), "baseline must be in (0, 1), got 0"),
        (lambda: tc.power(1, -0.02, 100), "baseline must be in (0, 1), got 1"),
        (lambda: tc.power(0.9, 0.1, 100), "baseline + mde must be in (0, 1)"),
        (lambda: tc.power(0.5, 0.1, 0), "n must be >= 1, got 0"),
        (lambda: tc.power(0.5, 0.1, 10**10), "n must be <= 1000000000"),
        (lambda: tc.power(0.5, 0.1, 10**8, ratio=100), "a control arm of 10,000,000,000 customers"),
        (lambda: tc.sample_size(0.5, 0.0002, ratio=1e5), "more than 1,000,000,000"),
        (lambda: tc.sample_size(0.1, -0.02, alternative="larger"),
         "mde -0.02 points the other way: alternative='larger' cannot detect it"),
        (lambda: tc.sample_size(0.1, 0.02, alternative="smaller"), "alternative='smaller' cannot"),
        (lambda: tc.sample_size(0.1, 0.02, alpha=0.1, power=0.01, alternative="larger"),
         "power 0.01 is no more than the test reaches by chance at alpha 0.1"),
        (lambda: tc.minimum_detectable_effect(0.02, 2, alternative="smaller"), "cannot detect any fall"),
        (lambda: tc.power(0.1, 0.02, 100, alpha=0), "alpha must be in (0, 1), got 0"),
    ],
)  # fmt: skip
def test_power_refusals_name_the_value(call: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    assert fragment in str(info.value)


def test_statsmodels_answers_zero_where_the_power_needs_no_customers() -> None:
    """The refused case above: statsmodels clips the root at 0 and plans no customers."""
    oracle = proportion.samplesize_proportions_2indep_onetail(
        0.02, 0.1, 0.01, alpha=0.1, alternative="larger"
    )
    assert oracle == 0
