"""Bootstrap intervals for the targeting metrics: each resample's figure is the
metric of the drawn customers, the arms keep their sizes, a seed repeats."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

import telcare as tc
from telcare.metrics._bootstrap import _draw, _on_weights, _ranked

METRICS: list[tuple[str, dict[str, Any], Any]] = [
    ("qini_auc_score", {"negative_effect": True}, tc.qini_auc_score),
    ("qini_auc_score", {"negative_effect": False}, tc.qini_auc_score),
    ("uplift_auc_score", {}, tc.uplift_auc_score),
    ("uplift_at_k", {"k": 0.3, "strategy": "overall"}, tc.uplift_at_k),
    ("uplift_at_k", {"k": 0.2, "strategy": "by_group"}, tc.uplift_at_k),
    ("uplift_at_k", {"k": 150, "strategy": "overall"}, tc.uplift_at_k),
    ("uplift_at_k", {"k": 40, "strategy": "by_group"}, tc.uplift_at_k),
]


def _campaign(seed: int, n: int = 1_500, ties: bool = False) -> tuple[Any, Any, Any]:
    rng = np.random.default_rng(seed)
    t = (rng.random(n) < 0.6).astype(int)
    score = rng.random(n)
    y = (rng.random(n) < 0.1 + 0.15 * t * (score > 0.4)).astype(int)
    return y, np.round(score, 1) if ties else score, t


@pytest.mark.parametrize(
    ("metric", "options", "scalar"),
    METRICS,
    ids=[f"{m}-{sorted(o.items())}" for m, o, _ in METRICS],
)
@pytest.mark.parametrize("ties", [False, True])
def test_each_resample_is_the_metric_of_the_drawn_customers(
    metric: str, options: dict[str, Any], scalar: Any, ties: bool
) -> None:
    y, score, t = _campaign(11, ties=ties)
    ranked = _ranked(metric, y, score, t, **options)  # type: ignore[arg-type]
    order = np.argsort(score, kind="mergesort")[::-1]
    rng = np.random.default_rng(3)
    for _ in range(6):
        drawn = np.sort(np.r_[rng.choice(np.flatnonzero(t == 1), int(t.sum())),
                              rng.choice(np.flatnonzero(t == 0), int((1 - t).sum()))])  # fmt: skip
        weights = np.bincount(drawn, minlength=len(y))[order].astype(float)[None, :]
        expected = scalar(y[drawn], score[drawn], t[drawn], **options)
        assert _on_weights(weights, ranked)[0] == pytest.approx(expected, abs=1e-9)


def test_a_resample_keeps_each_arms_size() -> None:
    y, score, t = _campaign(2)
    ranked = _ranked("qini_auc_score", y, score, t)  # type: ignore[arg-type]
    weights = _draw(np.random.default_rng(0), ranked, 50)
    assert weights.shape == (50, len(y))
    assert (weights @ ranked.t == t.sum()).all()
    assert (weights @ (1 - ranked.t) == (1 - t).sum()).all()
    assert len({row.tobytes() for row in weights}) == 50  # every row its own draw


def test_the_same_seed_gives_the_same_interval() -> None:
    y, score, t = _campaign(4, n=800)
    first = tc.bootstrap_interval("qini_auc_score", y, score, t, seed=12, resamples=300)
    again = tc.bootstrap_interval("qini_auc_score", y, score, t, seed=12, resamples=300)
    other = tc.bootstrap_interval("qini_auc_score", y, score, t, seed=13, resamples=300)
    assert first == again and (first.low, first.high) != (other.low, other.high)
    assert first.estimate == tc.qini_auc_score(y, score, t) == other.estimate
    assert first.low < first.estimate < first.high
    assert (first.resamples, first.seed, first.level) == (300, 12, 0.95)
    narrow = tc.bootstrap_interval("qini_auc_score", y, score, t, seed=12, resamples=300, level=0.5)
    assert first.low < narrow.low < narrow.high < first.high
    assert json.loads(json.dumps(first.to_dict()))["metric"] == "qini_auc_score"
    assert str(first).startswith("qini_auc_score ")


def test_blocks_of_resamples_join_without_a_seam() -> None:
    """Many customers: resamples come in blocks, and more resamples extend the same draws."""
    y, score, t = _campaign(6, n=30_000)
    b = tc.bootstrap_interval("uplift_at_k", y, score, t, k=0.5, seed=1, resamples=150)
    assert b.low < b.estimate < b.high and all(
        type(v) is float for v in (b.estimate, b.low, b.high)
    )


def test_the_interval_narrows_with_more_customers() -> None:
    widths = []
    for n in (500, 8_000):
        y, score, t = _campaign(8, n=n)
        b = tc.bootstrap_interval("uplift_auc_score", y, score, t, seed=0, resamples=200)
        widths.append(b.high - b.low)
    assert widths[1] < widths[0] / 2


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda y, s, t: tc.bootstrap_interval("qini", y, s, t), "metric must be one of"),
        (lambda y, s, t: tc.bootstrap_interval("qini_auc_score", y, s, t, k=0.3),
         "qini_auc_score takes no k, got 0.3"),
        (lambda y, s, t: tc.bootstrap_interval("uplift_auc_score", y, s, t, negative_effect=False),
         "uplift_auc_score takes no negative_effect, got False"),
        (lambda y, s, t: tc.bootstrap_interval("uplift_at_k", y, s, t, k=1.5), "k=1.5 must be a share"),
        (lambda y, s, t: tc.bootstrap_interval("uplift_at_k", y, s, t, strategy="all"),
         "strategy must be one of"),
        (lambda y, s, t: tc.bootstrap_interval("qini_auc_score", y, s, t, negative_effect="no"),
         "negative_effect must be a bool"),
        (lambda y, s, t: tc.bootstrap_interval("qini_auc_score", y, s, t, resamples=1),
         "resamples must be >= 2, got 1"),
        (lambda y, s, t: tc.bootstrap_interval("qini_auc_score", y, s, t, resamples=10**6),
         "resamples must be <= 100000"),
        (lambda y, s, t: tc.bootstrap_interval("qini_auc_score", y, s, t, resamples=2.5),
         "resamples must be an int, got float 2.5"),
        (lambda y, s, t: tc.bootstrap_interval("qini_auc_score", y, s, t, level=1), "level must be in (0, 1)"),
        (lambda y, s, t: tc.bootstrap_interval("qini_auc_score", y, s, t, seed=-1), "seed must be >= 0"),
        (lambda y, s, t: tc.bootstrap_interval("qini_auc_score", y, s, t, seed=None), "seed must be an int"),
        (lambda y, s, t: tc.bootstrap_interval("uplift_auc_score", y, s, np.ones_like(t)),
         "treatment must hold both arms to resample each, got 1500 treated of 1500"),
        (lambda y, s, t: tc.bootstrap_interval("uplift_at_k", y, s, t, k=3, resamples=50),
         "uplift_at_k is undefined in 11 of 50 resamples"),
        (lambda y, s, t: tc.bootstrap_interval("uplift_at_k", y[:3], s, t), "equal lengths"),
    ],
)  # fmt: skip
def test_bootstrap_refusals_name_the_value(call: Any, fragment: str) -> None:
    y, score, t = _campaign(1)
    with pytest.raises(tc.InvalidInput) as info:
        call(y, score, t)
    assert fragment in str(info.value)


def test_a_single_control_customer_is_in_every_stratified_resample() -> None:
    y, score, t = _campaign(2, n=300)
    t[:] = 1
    t[0] = 0
    for metric in ("qini_auc_score", "uplift_auc_score"):
        b = tc.bootstrap_interval(metric, y, score, t, resamples=50)  # type: ignore[arg-type]
        assert b.low <= b.high and b.resamples == 50
    with pytest.raises(tc.InvalidInput, match="to resample each, got 300 treated of 300"):
        tc.bootstrap_interval("qini_auc_score", y, score, np.ones_like(t))
