"""Campaign metrics: grouped rates with intervals over outcome rows."""

from __future__ import annotations

from typing import Any

import numpy as np

import telcare as tc
from benchmarks.harness import Case


def _outcomes(n: int, rng: np.random.Generator) -> dict[str, Any]:
    return {
        "groups": rng.integers(0, 1_000, n),
        "successes": (rng.random(n) < 0.12).astype(np.int8),
    }


def _grouped(d: dict[str, Any]) -> Any:
    g = tc.rates_by_group(d["groups"], d["successes"])
    return np.stack([g.numerator, g.denominator, g.low, g.high])


def _grouped_baseline(d: dict[str, Any]) -> Any:
    groups, wins = d["groups"], d["successes"].astype(bool)
    size = groups.max() + 1 if len(groups) else 0
    num = np.bincount(groups[wins], minlength=size)
    den = np.bincount(groups, minlength=size)
    z = 1.959963984540054
    with np.errstate(invalid="ignore", divide="ignore"):
        return _wilson(num, den, z)


def _wilson(num: Any, den: Any, z: float) -> Any:
    p = num / den
    z2n = z * z / den
    centre = (p + z2n / 2) / (1 + z2n)
    half = z * np.sqrt(p * (1 - p) / den + z2n / (4 * den)) / (1 + z2n)
    low = np.where(den == 0, 0.0, np.clip(np.minimum(p, centre - half), 0, 1))
    high = np.where(den == 0, 1.0, np.clip(np.maximum(p, centre + half), 0, 1))
    return np.stack([num, den, low, high])


def _close(got: Any, expected: Any) -> None:
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


CASES = [
    Case(
        "metrics.rates_by_group",
        10_000_000,
        _outcomes,
        _grouped,
        _grouped_baseline,
        check=_close,
        per_item=True,
        goal=1.5,
    ),
]
