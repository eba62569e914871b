"""Bootstrap intervals for the targeting metrics: uplift at k, the Qini coefficient
and the area under the uplift curve.

Each resample draws, with replacement, as many treated customers from the treated
arm and as many control customers from the control arm as the campaign had
(stratified by arm).  The arms' sizes were fixed by the design, not drawn: a
plain resample would add the spread of arm sizes that never varied, and a small
control group could come out empty, leaving the metric undefined.

A resample is a row of counts (how often each customer was drawn), so the metric
of every resample is a weighted running sum over one ranking of the list, computed
for a block of resamples at once with no Python loop per resample.  A customer
drawn twice sits twice at its place in the ranking; tied customers keep the order
the unweighted metric gives them, so each resample's figure equals the metric of
the drawn customers listed in their original order (the test suite checks it).
The interval is the percentile interval of the resampled figures; the same
``seed`` gives the same interval.

>>> import numpy as np
>>> rng = np.random.default_rng(5)
>>> t = rng.integers(0, 2, 3_000)
>>> score = rng.random(3_000)
>>> y = (rng.random(3_000) < 0.1 + 0.1 * t * (score > 0.5)).astype(int)
>>> b = bootstrap_interval("qini_auc_score", y, score, t, seed=1, resamples=200)
>>> print(b)
qini_auc_score 0.130 [0.062, 0.190] (95%, 200 resamples, seed 1)
>>> b == bootstrap_interval("qini_auc_score", y, score, t, seed=1, resamples=200)
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import flag, integer, one_of, proportion
from telcare._core.display import Displayable
from telcare._core.errors import InvalidInput
from telcare.metrics._curves import qini_auc_score, uplift_auc_score
from telcare.metrics._targeting import F64, Strategy, _binary, _inputs, both_arms, uplift_at_k

__all__ = ["BootstrapInterval", "bootstrap_interval"]

Metric = Literal["uplift_at_k", "qini_auc_score", "uplift_auc_score"]
_METRICS: tuple[Metric, ...] = ("uplift_at_k", "qini_auc_score", "uplift_auc_score")
#: Cells of a block of resamples (resamples x customers): about 4 MB per float array.
_BLOCK_CELLS = 2**19
_MAX_RESAMPLES = 100_000


@attrs.frozen(slots=True)
class BootstrapInterval(Displayable):
    """A metric's value on the list and its bootstrap percentile interval.

    ``estimate`` is the metric on the campaign's data, ``low`` and ``high`` the
    interval's bounds at ``level``, from ``resamples`` resamples drawn with
    ``seed``.
    """

    metric: str
    estimate: float
    low: float
    high: float
    level: float
    resamples: int
    seed: int

    def __str__(self) -> str:
        return (
            f"{self.metric} {self.estimate:.3f} [{self.low:.3f}, {self.high:.3f}] "
            f"({self.level:.0%}, {self.resamples} resamples, seed {self.seed})"
        )


@attrs.frozen(slots=True)
class _Ranked:
    """The list in the order the metrics rank it, and what the metric was asked."""

    y: npt.NDArray[np.float64]
    t: npt.NDArray[np.float64]
    ends: npt.NDArray[np.intp]  # where each distinct score ends
    metric: Metric
    size: int  # uplift at k: customers (overall) or per group (by_group, treated)
    size_control: int
    strategy: str
    negative_effect: bool


def _draw(rng: np.random.Generator, ranked: _Ranked, rows: int) -> npt.NDArray[np.float64]:
    """``rows`` stratified resamples as counts per customer, in ranked order."""
    n = ranked.t.size
    weights = np.zeros((rows, n), dtype=np.float64)
    for arm in (1.0, 0.0):
        where = np.flatnonzero(ranked.t == arm)
        m = where.size
        drawn = rng.integers(0, m, size=(rows, m)) + (np.arange(rows) * m)[:, None]
        weights[:, where] = np.bincount(drawn.ravel(), minlength=rows * m).reshape(rows, m)
    return weights


def _top(weights: F64, size: int) -> F64:
    """How many copies of each customer fall in the first ``size`` of each row."""
    before = np.cumsum(weights, axis=1) - weights
    return np.clip(size - before, 0, weights)


def _rate(responses: F64, customers: F64) -> F64:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(customers > 0, responses / customers, np.nan)


def _uplift_at_k(w: F64, r: _Ranked) -> F64:
    y, t = r.y, r.t
    if r.strategy == "overall":
        taken = _top(w, r.size)
        treated, control = taken * t, taken * (1 - t)
    else:
        treated = _top(w * t, r.size)
        control = _top(w * (1 - t), r.size_control)
    return _rate(treated @ y, treated.sum(axis=1)) - _rate(control @ y, control.sum(axis=1))


def _area(x: F64, v: F64) -> F64:
    """Trapezoid areas of curves (one per row) that start at the origin."""
    x = np.concatenate([np.zeros((x.shape[0], 1)), x], axis=1)
    v = np.concatenate([np.zeros((v.shape[0], 1)), v], axis=1)
    areas: F64 = np.sum(np.diff(x, axis=1) * (v[:, 1:] + v[:, :-1]) / 2, axis=1)
    return areas


def _share(top: F64, bottom: F64) -> F64:
    return np.divide(top, bottom, out=np.zeros_like(top), where=bottom != 0)


def _values(n_all: F64, n_t: F64, y_t: F64, y_c: F64, qini: bool) -> F64:
    n_c = n_all - n_t
    if qini:
        return y_t - y_c * _share(n_t, n_c)
    return (_share(y_t, n_t) - _share(y_c, n_c)) * n_all


def _perfect(n_t: F64, y_t: F64, n_c: F64, y_c: F64, r: _Ranked) -> tuple[F64, F64]:
    """Each resample's perfect curve (x, values) from the counts of its four kinds of
    customer (treated and control, responders and not: the arms' totals)."""
    qini = r.metric == "qini_auc_score"
    tr, tn, cr, cn = y_t, n_t - y_t, y_c, n_c - y_c
    zero = np.zeros_like(tr)
    if qini and not r.negative_effect:
        top = tr - (tr + tn) * _rate(cr, cr + cn)
        x, v = np.stack([top, tr + tn + cr + cn], 1), np.stack([top, top], 1)
        return x, np.where(top[:, None] > 0, v, np.nan)
    # each kind as (customers, treated, treated responders, control responders)
    kinds = {"tr": (tr, tr, tr, zero), "tn": (tn, tn, zero, zero),
             "cr": (cr, zero, zero, cr), "cn": (cn, zero, zero, zero)}  # fmt: skip
    if qini:  # treated responders, then every non-responder, then control responders
        both = tuple(a + b for a, b in zip(kinds["tn"], kinds["cn"], strict=True))
        groups = [kinds["tr"], both, kinds["cr"]]
    else:  # scikit-uplift's: y == t first, then the more numerous other kind
        first = cr > tn
        mid = tuple(np.where(first, a, b) for a, b in zip(kinds["cr"], kinds["tn"], strict=True))
        end = tuple(np.where(first, b, a) for a, b in zip(kinds["cr"], kinds["tn"], strict=True))
        groups = [kinds["tr"], kinds["cn"], mid, end]
    n_all, n_t, y_t, y_c = (
        np.cumsum(np.stack(parts, axis=1), axis=1) for parts in zip(*groups, strict=True)
    )
    return n_all, _values(n_all, n_t, y_t, y_c, qini)


def _curve_score(w: F64, r: _Ranked) -> F64:
    qini = r.metric == "qini_auc_score"
    parts = (w, w * r.t, w * (r.y * r.t), w * (r.y * (1 - r.t)))
    n_all, n_t, y_t, y_c = (np.cumsum(part, axis=1)[:, r.ends] for part in parts)
    x_best, v_best = _perfect(n_t[:, -1], y_t[:, -1], n_all[:, -1] - n_t[:, -1], y_c[:, -1], r)
    end_x, end_v = x_best[:, -1], v_best[:, -1]
    baseline = end_x * end_v / 2
    best = _area(x_best, v_best) - baseline
    actual = _area(n_all, _values(n_all, n_t, y_t, y_c, qini)) - baseline
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(best != 0, actual / best, np.nan)


def _on_weights(w: F64, r: _Ranked) -> F64:
    """The metric of each resample (a row of counts per ranked customer); NaN where undefined."""
    return _uplift_at_k(w, r) if r.metric == "uplift_at_k" else _curve_score(w, r)


def _options(metric: Metric, k: Any, strategy: Any, negative_effect: Any) -> dict[str, Any]:
    """The metric's own keywords, refusing those of another metric."""
    given = {"k": k, "strategy": strategy, "negative_effect": negative_effect}
    own = {"uplift_at_k": ("k", "strategy"), "qini_auc_score": ("negative_effect",)}.get(metric, ())
    stray = [name for name, value in given.items() if value is not None and name not in own]
    if stray:
        raise InvalidInput(f"{metric} takes no {', '.join(stray)}, got {given[stray[0]]!r}")
    defaults = {"k": 0.3, "strategy": "overall", "negative_effect": True}
    return {name: defaults[name] if given[name] is None else given[name] for name in own}


def _ranked(metric: Metric, y_true: Any, uplift: Any, treatment: Any, **options: Any) -> _Ranked:
    y, score, t, order = _inputs(y_true, uplift, treatment)
    n, n_t = len(y), int(t.sum())
    ranked = score[order]
    ends = np.r_[np.flatnonzero(np.diff(ranked)), n - 1]
    size = size_control = 0
    if metric == "uplift_at_k":  # the count uplift_at_k takes (it has checked k)
        k = options["k"]
        count = isinstance(k, int | np.integer)
        if options["strategy"] == "overall":
            size = int(k) if count else int(n * k)
        else:
            size, size_control = (int(k) if count else int(m * k) for m in (n_t, n - n_t))
    return _Ranked(
        y[order].astype(np.float64), t[order].astype(np.float64), ends, metric, size,
        size_control, str(options.get("strategy", "")), bool(options.get("negative_effect", True)),
    )  # fmt: skip


def bootstrap_interval(
    metric: Metric,
    y_true: Any,
    uplift: Any,
    treatment: Any,
    *,
    resamples: int = 1000,
    level: float = 0.95,
    seed: int = 0,
    k: float | None = None,
    strategy: Strategy | None = None,
    negative_effect: bool | None = None,
) -> BootstrapInterval:
    """A percentile bootstrap interval for ``metric`` (``"uplift_at_k"``,
    ``"qini_auc_score"`` or ``"uplift_auc_score"``), resampling each arm on its own.

    ``k`` and ``strategy`` (uplift at k, defaults 0.3 and ``"overall"``) and
    ``negative_effect`` (the Qini coefficient, default True) are the metric's own
    keywords.  A resample where the metric is undefined (no control customer in
    the top k, say) is refused, not dropped: dropping it would shift the interval.
    The same ``seed`` gives the same interval (with the same telcare version).

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> t = rng.integers(0, 2, 2_000)
    >>> y = (rng.random(2_000) < 0.1 + 0.05 * t).astype(int)
    >>> b = bootstrap_interval("uplift_at_k", y, rng.random(2_000), t, k=0.5, seed=7)
    >>> round(b.estimate, 3), round(b.low, 3), round(b.high, 3)
    (0.06, 0.014, 0.103)
    """
    metric = one_of(metric, "metric", options=_METRICS)
    options = _options(metric, k, strategy, negative_effect)
    if "negative_effect" in options:
        options["negative_effect"] = flag(options["negative_effect"], "negative_effect")
    scalar: dict[str, Callable[..., float]] = {"uplift_at_k": uplift_at_k, "qini_auc_score": qini_auc_score,
              "uplift_auc_score": uplift_auc_score}  # fmt: skip
    both_arms(_binary(treatment, "treatment"), "to resample each")
    estimate = float(scalar[metric](y_true, uplift, treatment, **options))
    ranked = _ranked(metric, y_true, uplift, treatment, **options)
    resamples = integer(resamples, "resamples", minimum=2, maximum=_MAX_RESAMPLES)
    level = proportion(level, "level", open_low=True, open_high=True)
    seed = integer(seed, "seed", minimum=0, maximum=2**63 - 1)
    rng = np.random.default_rng(seed)
    rows = max(1, _BLOCK_CELLS // ranked.t.size)
    values = np.concatenate([
        _on_weights(_draw(rng, ranked, min(rows, resamples - start)), ranked)
        for start in range(0, resamples, rows)
    ])  # fmt: skip
    undefined = int(np.isnan(values).sum())
    if undefined:
        raise InvalidInput(
            f"{metric} is undefined in {undefined} of {resamples} resamples "
            "(an arm with no customer where the metric needs one); ask for a larger k or more data"
        )
    low, high = np.quantile(values, [(1 - level) / 2, (1 + level) / 2])
    return BootstrapInterval(metric, estimate, float(low), float(high), level, resamples, seed)
