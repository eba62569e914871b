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


_RESAMPLES = 200


def _campaign(n: int, rng: np.random.Generator) -> dict[str, Any]:
    t = (rng.random(n) < 0.6).astype(np.int64)
    score = rng.random(n)
    y = (rng.random(n) < 0.1 + 0.1 * t * (score > 0.5)).astype(np.int64)
    return {"y": y, "score": score, "t": t}


def _bootstrap(d: dict[str, Any]) -> Any:
    b = tc.bootstrap_interval("qini_auc_score", d["y"], d["score"], d["t"], seed=3,
                              resamples=_RESAMPLES)  # fmt: skip
    return np.array([b.low, b.high])


def _bootstrap_loop(d: dict[str, Any]) -> Any:
    """The same stratified resamples, one scalar qini_auc_score call per resample."""
    from telcare.metrics._bootstrap import _BLOCK_CELLS, _draw, _ranked

    y, score, t = d["y"], d["score"], d["t"]
    ranked = _ranked("qini_auc_score", y, score, t)
    order = np.argsort(score, kind="mergesort")[::-1]
    rng, rows, values = np.random.default_rng(3), max(1, _BLOCK_CELLS // len(y)), []
    for start in range(0, _RESAMPLES, rows):
        for w in _draw(rng, ranked, min(rows, _RESAMPLES - start)):
            drawn = np.sort(np.repeat(order, w.astype(np.int64)))
            values.append(tc.qini_auc_score(y[drawn], score[drawn], t[drawn]))
    return np.quantile(values, [0.025, 0.975])


CASES.append(
    Case(
        "metrics.bootstrap_interval",
        20_000,
        _campaign,
        _bootstrap,
        _bootstrap_loop,
        check=lambda got, expected: np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9),
        smoke_n=500,
        notes=f"qini_auc_score, {_RESAMPLES} stratified resamples; baseline loops over them",
    )
)
