"""Targeting metrics against scikit-uplift 0.5 (an outside oracle), and their refusals."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
import sklift.metrics as sk

import telcare as tc

SEEDS = range(60)


def _data(seed: int) -> tuple[Any, Any, Any]:
    """A generated campaign: treatment share, base rate, a real effect and a noisy score."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(400, 3_000))
    t = (rng.random(n) < rng.uniform(0.3, 0.8)).astype(int)
    effect = rng.normal(0.05, 0.1, n)
    y = (rng.random(n) < np.clip(rng.uniform(0.05, 0.4) + effect * t, 0, 1)).astype(int)
    score = effect + rng.normal(0, rng.uniform(0.01, 0.3), n)
    if seed % 3 == 0:
        score = np.round(score, 1)  # many ties: the ranking's ties must break alike
    return y, score, t


def _quiet(call: Any, *args: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call(*args, **kwargs)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_metrics_equal_scikit_uplift(seed: int) -> None:
    y, score, t = _data(seed)
    for strategy in ("overall", "by_group"):
        for k in (0.1, 0.3, 0.5, 100):
            ours = tc.uplift_at_k(y, score, t, strategy=strategy, k=k)
            assert ours == pytest.approx(
                _quiet(sk.uplift_at_k, y, score, t, strategy=strategy, k=k), abs=1e-9
            )
    x, q = tc.qini_curve(y, score, t)
    sx, sq = _quiet(sk.qini_curve, y, score, t)
    np.testing.assert_array_equal(x, sx)
    np.testing.assert_allclose(q, sq, rtol=0, atol=1e-9)
    ux, uq = tc.uplift_curve(y, score, t)
    sux, suq = _quiet(sk.uplift_curve, y, score, t)
    np.testing.assert_array_equal(ux, sux)
    np.testing.assert_allclose(uq, suq, rtol=0, atol=1e-9)
    assert tc.uplift_auc_score(y, score, t) == pytest.approx(
        _quiet(sk.uplift_auc_score, y, score, t), abs=1e-9
    )
    for negative in (True, False):
        try:
            theirs = _quiet(sk.qini_auc_score, y, score, t, negative_effect=negative)
        except ValueError:  # no positive overall uplift: scikit-uplift's curve runs backwards
            with pytest.raises(tc.InvalidInput, match="the perfect curve is undefined"):
                tc.qini_auc_score(y, score, t, negative_effect=negative)
            continue
        assert tc.qini_auc_score(y, score, t, negative_effect=negative) == pytest.approx(
            theirs, abs=1e-9
        )
    for strategy in ("overall", "by_group"):
        for bins in (5, 10):
            table = tc.uplift_by_percentile(y, score, t, strategy=strategy, bins=bins, total=True)
            theirs = _quiet(sk.uplift_by_percentile, y, score, t, strategy=strategy, bins=bins,
                            std=True, total=True)  # fmt: skip
            ours = table.to_frame(std=True)
            assert list(ours.index) == [str(i) for i in theirs.index]
            for name in theirs.columns:
                np.testing.assert_allclose(ours[name].to_numpy(float), theirs[name].to_numpy(float),
                                           rtol=0, atol=1e-9, err_msg=name)  # fmt: skip


@pytest.mark.parametrize("seed", range(20))
def test_the_area_under_the_uplift_curve_equals_scikit_uplift_on_tied_scores(seed: int) -> None:
    """Cell scores tie whole segments: a tie enters the curve as one step, in any order."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(50, 2_000))
    t = rng.integers(0, 2, n)
    y = (rng.random(n) < 0.1 + 0.1 * t * (seed % 2)).astype(int)
    score = rng.integers(0, int(rng.integers(1, 6)), n).astype(float)  # 1 to 5 distinct values
    ours = tc.uplift_auc_score(y, score, t)
    assert ours == pytest.approx(_quiet(sk.uplift_auc_score, y, score, t), abs=1e-9)
    shuffled = rng.permutation(n)
    assert tc.uplift_auc_score(y[shuffled], score[shuffled], t[shuffled]) == pytest.approx(
        ours, abs=1e-12
    )
    perfect = 2 * (y == t) + t
    assert tc.uplift_auc_score(y, perfect, t) <= 1 + 1e-12


def test_the_uplift_curve_refuses_what_the_other_metrics_refuse() -> None:
    with pytest.raises(tc.InvalidInput, match="y_true must hold 0 and 1, got 2 at index 1"):
        tc.uplift_auc_score([1, 2], [0.1, 0.2], [0, 1])
    with pytest.raises(tc.InvalidInput, match="uplift must be finite"):
        tc.uplift_curve([1, 0], [0.1, float("inf")], [0, 1])
    with pytest.raises(tc.InvalidInput, match="equal lengths"):
        tc.uplift_curve([1, 0], [0.1, 0.2], [0, 1, 1])
    with pytest.raises(tc.InvalidInput, match="the perfect uplift curve has no area above random"):
        tc.uplift_auc_score([0, 0], [0.1, 0.2], [1, 0])
    assert type(tc.uplift_auc_score([1, 0, 0, 1], [4, 3, 2, 1], [1, 1, 0, 0])) is float


ONE_ARM_METRICS = {
    "uplift_auc_score": tc.uplift_auc_score,
    "qini_auc_score": tc.qini_auc_score,
    "qini_auc_score-no-negative": lambda y, s, t: tc.qini_auc_score(y, s, t, negative_effect=False),
    "uplift_curve": tc.uplift_curve,
    "qini_curve": tc.qini_curve,
    "uplift_at_k": lambda y, s, t: tc.uplift_at_k(y, s, t, k=0.5),
}


@pytest.mark.parametrize("metric", ONE_ARM_METRICS)
@pytest.mark.parametrize(("arm", "missing"), [(1, "control"), (0, "treated")])
def test_one_arm_only_is_refused_naming_treatment(metric: str, arm: int, missing: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        ONE_ARM_METRICS[metric]([1, 0, 0, 1], [0.9, 0.1, 0.6, 0.5], np.full(4, arm))
    assert str(info.value) == (
        f"treatment must hold both arms to measure uplift, got {4 * arm} treated of 4 "
        f"customers: with no {missing} customers the uplift is undefined"
    )


def test_one_customer_in_an_arm_is_enough() -> None:
    y, score, t = np.array([1, 0, 0, 1]), np.array([0.9, 0.1, 0.6, 0.5]), np.array([1, 1, 1, 0])
    theirs = _quiet(sk.uplift_auc_score, y, score, t)
    assert tc.uplift_auc_score(y, score, t) == pytest.approx(theirs, abs=1e-9)
    x, _ = tc.qini_curve([1, 0, 0, 1], [0.9, 0.1, 0.6, 0.5], [0, 0, 0, 1])
    assert x.tolist() == [0, 1, 2, 3, 4]


def test_a_cell_table_is_a_model_free_ranking() -> None:
    rng = np.random.default_rng(3)
    n = 20_000
    cell = rng.choice(["gold", "silver", "vip", "ordinary"], n)
    t = rng.integers(0, 2, n)
    lift = {"gold": 0.15, "silver": 0.08, "vip": 0.02, "ordinary": 0.0}
    y = (rng.random(n) < 0.1 + t * np.vectorize(lift.get)(cell)).astype(int)
    u = tc.uplift_by_cell(y, t, cell)
    assert u.cells.tolist() == ["gold", "ordinary", "silver", "vip"]
    pp = dict(zip(u.cells.tolist(), [x.pp for x in u.uplift if x], strict=True))
    assert pp["gold"] > pp["silver"] > pp["vip"] > pp["ordinary"] - 2
    gold = u.uplift[0]
    assert gold is not None and gold.ci[0] < 0.15 < gold.ci[1]
    # the cells' uplift ranks the list better than a random score does
    assert tc.qini_auc_score(y, u.score, t) > 0.1 > abs(tc.qini_auc_score(y, rng.random(n), t))
    frame = u.to_frame()
    assert frame["treated"].sum() + frame["control"].sum() == n
    lonely = tc.uplift_by_cell([1, 0], [1, 1], ["a", "a"])
    assert lonely.uplift == (None,) and lonely.score.tolist() == [0.0, 0.0]


def test_uplift_by_percentile_prints() -> None:
    y, score, t = _data(1)
    text = str(tc.uplift_by_percentile(y, score, t, bins=4))
    assert text.splitlines()[0].split() == [
        "percentile",
        "treated",
        "control",
        "rate",
        "t",
        "rate",
        "c",
        "uplift",
    ]
    assert len(text.splitlines()) == 5


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: tc.uplift_at_k([1, 2], [0.1, 0.2], [0, 1]), "y_true must hold 0 and 1, got 2 at index 1"),
        (lambda: tc.uplift_at_k([1, 0], [0.1, float("nan")], [0, 1]), "uplift must be finite"),
        (lambda: tc.uplift_at_k([1, 0], ["a", "b"], [0, 1]), "uplift must hold numbers"),
        (lambda: tc.uplift_at_k([1, 0], [0.1, 0.2], [0, 1, 1]), "equal lengths"),
        (lambda: tc.uplift_at_k([], [], []), "empty"),
        (lambda: tc.uplift_at_k([1, 0], [0.1, 0.2], [0, 1], k=1.0), "k=1.0 must be a share in (0, 1)"),
        (lambda: tc.uplift_at_k([1, 0], [0.1, 0.2], [0, 1], k=2), "a count between 1 and 1"),
        (lambda: tc.uplift_at_k([1, 0], [0.1, 0.2], [0, 1], k=True), "k must be a share"),
        (lambda: tc.uplift_at_k([1, 0, 1], [3, 2, 1], [1, 1, 0], k=1), "no control customers among the top 1"),
        (lambda: tc.uplift_at_k([1, 0, 1], [3, 2, 1], [1, 1, 0], strategy="best"), "strategy must be one of"),
        (lambda: tc.uplift_at_k([1, 0, 1, 0], [4, 3, 2, 1], [1, 1, 1, 0], strategy="by_group", k=2),
         "more than a group holds"),
        (lambda: tc.qini_auc_score([1, 1], [0.1, 0.2], [1, 1], negative_effect=False), "no control customers"),
        (lambda: tc.qini_auc_score([0, 0], [0.1, 0.2], [1, 0]), "no area above random"),
        (lambda: tc.uplift_by_percentile([1, 0, 1], [3, 2, 1], [1, 0, 1], bins=3), "bins = 3 must be smaller"),
        (lambda: tc.uplift_by_percentile([1, 0, 1, 0], [4, 3, 2, 1], [1, 1, 0, 0], bins=2), "bin 2 of 2 has no treated"),
        (lambda: tc.uplift_by_cell([1], [1], [["a"]]), "cell must be a 1-D column"),
    ],
)  # fmt: skip
def test_targeting_refusals_name_the_problem(call: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    assert fragment in str(info.value)


@pytest.mark.parametrize("std", [pd.Series([1, 2]), 1, "yes", None], ids=repr)
def test_to_frame_takes_std_as_a_flag(std: Any) -> None:
    """A Series for std asked its truth value (ValueError: ambiguous)."""
    table = tc.uplift_by_percentile([1, 0, 1, 0] * 5, [i / 20 for i in range(20, 0, -1)],
                                    [1, 0, 0, 1] * 5, bins=2)  # fmt: skip
    with pytest.raises(tc.InvalidInput, match="std must be a bool"):
        table.to_frame(std=std)
    assert "std_uplift" in table.to_frame(std=np.bool_(True)).columns
