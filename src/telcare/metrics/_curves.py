"""The Qini and uplift curves of a ranked list, and the areas under them.

scikit-uplift's definitions (0.5), checked against it in the test suite.  Both
curves take one point per distinct score from the top: customers tied on a score
enter together, so the order of tied customers never matters.  The Qini curve
counts incremental responders (treated responders minus control responders
scaled to the treated count so far); the uplift curve the difference of the two
response rates so far times the customers targeted.  Each area is taken between
the curve and the random line (the straight line to the curve's end) and divided
by the same area for the perfect ranking: 1 is perfect, 0 random.

>>> import numpy as np
>>> y = np.array([1, 0, 1, 0, 0, 1, 0, 0])
>>> t = np.array([1, 1, 0, 0, 1, 1, 0, 0])
>>> score = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2])
>>> round(qini_auc_score(y, score, t), 4)   # worse than random: the list is badly ranked
-0.2456
>>> round(uplift_auc_score(y, score, t), 4)
-0.3915
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.checks import flag
from telcare._core.errors import InvalidInput
from telcare.metrics._targeting import F64, _inputs, both_arms

__all__ = ["qini_auc_score", "qini_curve", "uplift_auc_score", "uplift_curve"]

I64 = npt.NDArray[np.int64]


def _running(y: Any, score: F64, t: Any) -> tuple[F64, F64, F64, F64, F64]:
    """Per distinct score of the ranked list: customers, treated, treated responders,
    control customers and control responders so far (``y, score, t`` in rank order)."""
    distinct = np.flatnonzero(np.diff(score))
    thresholds = np.r_[distinct, score.size - 1]
    num_all = (thresholds + 1).astype(np.float64)
    num_trmnt = np.cumsum(t, dtype=np.float64)[thresholds]
    y_trmnt = np.cumsum(y * t, dtype=np.float64)[thresholds]
    y_ctrl = np.cumsum(y * (1 - t), dtype=np.float64)[thresholds]
    return num_all, num_trmnt, y_trmnt, num_all - num_trmnt, y_ctrl


def _from_origin(x: F64, values: F64) -> tuple[I64, F64]:
    if values[0] != 0 or x[0] != 0:
        x, values = np.r_[0.0, x], np.r_[0.0, values]
    return x.astype(np.int64), values


def _ranked(y_true: Any, uplift: Any, treatment: Any) -> tuple[Any, F64, Any]:
    y, score, t, order = _inputs(y_true, uplift, treatment)
    both_arms(t)
    return y[order], score[order], t[order]


def _ratio(top: F64, bottom: F64) -> F64:
    return np.divide(top, bottom, out=np.zeros_like(top), where=bottom != 0)


def _qini(y: Any, score: F64, t: Any) -> tuple[I64, F64]:
    num_all, num_trmnt, y_trmnt, num_ctrl, y_ctrl = _running(y, score, t)
    return _from_origin(num_all, y_trmnt - y_ctrl * _ratio(num_trmnt, num_ctrl))


def _uplift(y: Any, score: F64, t: Any) -> tuple[I64, F64]:
    num_all, num_trmnt, y_trmnt, num_ctrl, y_ctrl = _running(y, score, t)
    return _from_origin(num_all, (_ratio(y_trmnt, num_trmnt) - _ratio(y_ctrl, num_ctrl)) * num_all)


def qini_curve(y_true: Any, uplift: Any, treatment: Any) -> tuple[I64, F64]:
    """Points of the Qini curve: customers targeted (x) and incremental responses (y).

    At each distinct score from the top, ``y`` is the treated responders minus
    the control responders scaled to the treated group's size so far.  The
    curve starts at (0, 0).

    >>> x, q = qini_curve([1, 0, 1, 0], [0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0])
    >>> x.tolist(), [round(v, 3) for v in q.tolist()]
    ([0, 1, 3, 4], [0.0, 1.0, -1.0, 0.0])
    """
    return _qini(*_ranked(y_true, uplift, treatment))


def uplift_curve(y_true: Any, uplift: Any, treatment: Any) -> tuple[I64, F64]:
    """Points of the uplift curve: customers targeted (x) and the treated minus the
    control response rate so far, times x (0 for a group not yet seen).

    >>> x, u = uplift_curve([1, 0, 1, 0], [0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0])
    >>> x.tolist(), [round(v, 3) for v in u.tolist()]
    ([0, 1, 3, 4], [0.0, 1.0, -1.5, 0.0])
    """
    return _uplift(*_ranked(y_true, uplift, treatment))


def area(x: Any, y: Any) -> float:
    """The trapezoid area under a curve whose x never decreases."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2))


def _normalised(actual: tuple[Any, Any], perfect: tuple[Any, Any], curve: str) -> float:
    x_perfect, y_perfect = perfect
    baseline = area([0, x_perfect[-1]], [0, y_perfect[-1]])
    best = area(x_perfect, y_perfect) - baseline
    if best == 0:
        raise InvalidInput(
            f"the perfect {curve} curve has no area above random: nothing to compare with"
        )
    return (area(*actual) - baseline) / best


def qini_auc_score(
    y_true: Any, uplift: Any, treatment: Any, *, negative_effect: bool = True
) -> float:
    """The Qini coefficient: the area between the Qini curve and the random line,
    over the same area for the perfect ranking (1 is perfect, 0 random).

    ``negative_effect=False`` takes a perfect curve that leaves out customers the
    contact puts off, as scikit-uplift's option does.

    >>> qini_auc_score([1, 0, 0, 1], [0.9, 0.6, 0.5, 0.1], [1, 1, 0, 0])   # a perfect ranking
    1.0
    """
    y, score, t = _ranked(y_true, uplift, treatment)
    flag(negative_effect, "negative_effect")
    if negative_effect:
        perfect = y * t - y * (1 - t)
        order = np.argsort(perfect, kind="mergesort")[::-1]
        x_perfect, y_perfect = _qini(y[order], perfect[order].astype(np.float64), t[order])
    else:
        treated, control = y[t == 1], y[t == 0]  # both arms: _ranked checked
        top = treated.sum() - len(treated) * control.sum() / len(control)
        if top <= 0:
            raise InvalidInput(
                f"the treated responded no more than the control group ({top:+.2f} responses): "
                "without negative effects the perfect curve is undefined"
            )
        x_perfect, y_perfect = np.array([0, top, len(y)]), np.array([0, top, top])
    return _normalised(_qini(y, score, t), (x_perfect, y_perfect), "Qini")


def uplift_auc_score(y_true: Any, uplift: Any, treatment: Any) -> float:
    """The area under the uplift curve (AUUC), between the curve and the random line
    and over the same area for the perfect ranking: scikit-uplift's
    ``uplift_auc_score`` (1 is perfect, 0 random).

    The perfect ranking is scikit-uplift's: treated responders and control
    non-responders first, then (whichever of control responders and treated
    non-responders are more) one of those groups before the other.

    >>> uplift_auc_score([1, 0, 0, 1], [0.9, 0.1, 0.6, 0.5], [1, 1, 0, 0])   # a perfect ranking
    1.0
    """
    y, score, t = _ranked(y_true, uplift, treatment)
    control_responders = int(np.sum((y == 1) & (t == 0)))
    treated_non_responders = int(np.sum((y == 0) & (t == 1)))
    summand = y if control_responders > treated_non_responders else t
    perfect = 2 * (y == t) + summand
    order = np.argsort(perfect, kind="mergesort")[::-1]
    best = _uplift(y[order], perfect[order].astype(np.float64), t[order])
    return _normalised(_uplift(y, score, t), best, "uplift")
