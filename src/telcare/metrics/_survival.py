"""Value from a survival curve: the shifted-beta-geometric (sBG) model of a cohort's
retention (Fader and Hardie, "How to Project Customer Retention", Journal of
Interactive Marketing 2007).

Each customer renews at the end of every period with their own probability
``1 - theta`` and leaves for good with probability ``theta``; across customers
``theta`` follows a Beta(alpha, beta) distribution.  The cohort's retention rate
then rises with tenure (the customers who leave easily go first):

- survival ``S(t) = B(alpha, beta + t) / B(alpha, beta)``, the share still active
  at the start of period ``t`` (``S(0) = 1``);
- retention ``r(t) = S(t) / S(t - 1) = (beta + t - 1) / (alpha + beta + t - 1)``.

:func:`retention_curve` fits alpha and beta by maximum likelihood to the counts
still active at the start of each period: those who left in period ``t``
contribute ``P(T = t) = S(t - 1) - S(t)`` each, and those still active at the end
``S(T)`` each.  The paper's two cohorts, fitted on years 0-7 as it does:

>>> high_end = retention_curve([1000, 869, 743, 653, 593, 551, 517, 491])
>>> round(high_end.alpha, 3), round(high_end.beta, 3)
(0.668, 3.806)
>>> regular = retention_curve([1000, 631, 468, 382, 326, 289, 262, 241])
>>> round(regular.alpha, 3), round(regular.beta, 3)
(0.704, 1.182)
>>> round(1000 * regular.survival(12))       # the paper's data: 173
170
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import column, integer, number
from telcare._core.display import Displayable
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_COUNT, MAX_DAYS, MAX_FEN

__all__ = ["RetentionCurve", "retention_curve"]

#: The search range of alpha and beta.  A fit that runs to its edge has no
#: heterogeneity to find (or none left to keep), and is refused.
_LOW, _HIGH = 1e-4, 1e4
#: Discount rates per period below this need over a million terms of the series.
_MIN_RATE = 1e-4
_TERMS = 4096


def _parameter(name: str) -> Any:
    def convert(value: object) -> float:
        return number(value, f"RetentionCurve.{name}", above=0, maximum=_HIGH)

    return attrs.field(converter=convert)


def _hypergeometric(b: float, c: float, z: float) -> float:
    """``2F1(1, b; c; z)`` for ``0 < b < c`` and ``0 < z < 1``: the sum of
    ``(b)_k / (c)_k z^k``, in blocks until the tail (each ratio < z) is negligible."""
    total, term, k = 0.0, 1.0, 0
    while True:
        ks = np.arange(k, k + _TERMS, dtype=np.float64)
        terms = term * np.cumprod(np.r_[1.0, z * (b + ks[:-1]) / (c + ks[:-1])])
        total += float(terms.sum())
        last = float(terms[-1])
        term = last * z * (b + ks[-1]) / (c + ks[-1])
        k += _TERMS
        if term * z / (1 - z) <= 1e-15 * total:
            return float(total + term)  # the rest is below 1e-15 of the total


@attrs.frozen(slots=True)
class RetentionCurve(Displayable):
    """A cohort's shifted-beta-geometric retention: churn probabilities follow
    Beta(``alpha``, ``beta``).  Periods are the cohort's (months, years).

    >>> curve = RetentionCurve(alpha=0.704, beta=1.182)
    >>> round(curve.survival(1), 3), round(curve.retention(1), 3), round(curve.retention(7), 3)
    (0.627, 0.627, 0.911)
    """

    alpha: float = _parameter("alpha")
    beta: float = _parameter("beta")

    def survival(self, t: int) -> float:
        """The share of the cohort still active at the start of period ``t`` (``S(0) = 1``).

        >>> round(RetentionCurve(1, 1).survival(3), 4)   # Beta(1, 1): S(t) = 1 / (t + 1)
        0.25
        """
        t = integer(t, "t", maximum=MAX_COUNT)
        a, b = self.alpha, self.beta
        return math.exp(
            math.lgamma(b + t) - math.lgamma(b) + math.lgamma(a + b) - math.lgamma(a + b + t)
        )

    def retention(self, t: int) -> float:
        """The share of those active at the start of period ``t - 1`` still active at
        the start of ``t``: ``(beta + t - 1) / (alpha + beta + t - 1)``, for ``t >= 1``.

        >>> RetentionCurve(1, 1).retention(1)
        0.5
        """
        t = integer(t, "t", minimum=1, maximum=MAX_COUNT)
        return (self.beta + t - 1) / (self.alpha + self.beta + t - 1)

    def expected_lifetime(self, *, tenure: int = 0) -> float:
        """The expected number of periods a customer active at the start of period
        ``tenure`` stays, that period included: ``sum S(tenure + k) / S(tenure)`` over
        ``k >= 0``, which is ``(alpha + beta + tenure - 1) / (alpha - 1)``.

        For ``alpha <= 1`` the sum diverges (enough customers almost never leave) and
        the answer is ``math.inf``; :meth:`discounted_value` is finite all the same.

        >>> RetentionCurve(3, 4).expected_lifetime(), RetentionCurve(3, 4).expected_lifetime(tenure=2)
        (3.0, 4.0)
        >>> RetentionCurve(0.704, 1.182).expected_lifetime()
        inf
        """
        tenure = integer(tenure, "tenure", maximum=MAX_COUNT)
        if self.alpha <= 1:
            return math.inf
        return (self.alpha + self.beta + tenure - 1) / (self.alpha - 1)

    def discounted_value(self, margin: float, rate: float, *, tenure: int = 0) -> float:
        """The expected discounted value of a customer active at the start of period
        ``tenure``, paying ``margin`` at the start of every period while active:

        ``margin * sum_k S(tenure + k) / S(tenure) / (1 + rate)^k`` over ``k >= 0``
        (the current period's margin undiscounted), Fader and Hardie's discounted
        expected residual lifetime ``2F1(1, beta + tenure; alpha + beta + tenure;
        1 / (1 + rate))``, summed until the tail is below 1e-15 of the total.
        ``rate`` is per period, 0 (the undiscounted :meth:`expected_lifetime`) or at
        least 0.0001.

        >>> curve = RetentionCurve(alpha=0.704, beta=1.182)
        >>> round(curve.discounted_value(100, 0.1), 2), round(curve.discounted_value(100, 0.1, tenure=4), 2)
        (369.51, 635.86)
        """
        margin = number(margin, "margin", minimum=-MAX_FEN, maximum=MAX_FEN)
        rate = number(rate, "rate", minimum=0, maximum=100)
        tenure = integer(tenure, "tenure", maximum=MAX_COUNT)
        if rate == 0:
            return margin * self.expected_lifetime(tenure=tenure) if margin else 0.0
        if rate < _MIN_RATE:
            raise InvalidInput(f"rate must be 0 or at least {_MIN_RATE} per period, got {rate!r}")
        b = self.beta + tenure
        return float(margin * _hypergeometric(b, self.alpha + b, 1 / (1 + rate)))


def _alive(values: Any) -> npt.NDArray[np.float64]:
    arr = column(values, "alive")
    if arr.dtype.kind not in "iuf" or arr.dtype == np.bool_:
        raise InvalidInput(f"alive must hold counts (ints or floats), got {arr.dtype} values")
    out = arr.astype(np.float64)
    if not 3 <= out.size <= MAX_DAYS:
        raise InvalidInput(
            f"alive must hold 3 to {MAX_DAYS} counts (the cohort and at least two renewals: "
            f"two parameters need two retention rates), got {out.size}"
        )
    bad = ~np.isfinite(out) | (out < 0) | (out > MAX_COUNT)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidInput(
            f"alive must hold counts in [0, {MAX_COUNT:,}], got {arr[i].item()!r} at period {i}"
        )
    if not out[0] > 0:
        raise InvalidInput(f"alive must start with a cohort of customers, got {arr[0].item()!r}")
    rises = np.diff(out) > 0
    if rises.any():
        i = int(np.argmax(rises)) + 1
        raise InvalidInput(
            f"alive must never rise (a cohort only loses customers), got {arr[i].item()!r} "
            f"at period {i} after {arr[i - 1].item()!r}"
        )
    if out[-1] == out[0]:
        raise InvalidInput(f"alive never falls from {arr[0].item()!r}: no churn to fit a curve to")
    return out


def _golden(f: Any, low: float, high: float, tolerance: float) -> float:
    """The maximum of a unimodal ``f`` on ``[low, high]`` (golden-section search)."""
    g = (math.sqrt(5) - 1) / 2
    c, d = high - g * (high - low), low + g * (high - low)
    fc, fd = f(c), f(d)
    while high - low > tolerance:
        if fc > fd:
            high, d, fd = d, c, fc
            c = high - g * (high - low)
            fc = f(c)
        else:
            low, c, fc = c, d, fd
            d = low + g * (high - low)
            fd = f(d)
    return (low + high) / 2


def _newton(loglik: Any, data: tuple[Any, ...], log_a: float, log_b: float) -> tuple[float, float]:
    """Newton steps on (alpha, beta) from a point near the maximum, each step halved
    until the likelihood does not fall; the gradient and Hessian are sums of
    ``1 / (x + t)`` terms, as the log-likelihood is a sum of logs."""
    churned, later, earlier, t = data
    for _ in range(50):
        a, b = math.exp(log_a), math.exp(log_b)
        s, u = 1 / (a + b + t), 1 / (b + t)
        grad = np.array([churned / a - earlier @ s, later @ u - earlier @ s])
        both = float(earlier @ (s * s))
        hess = np.array([[both - churned / a**2, both], [both, both - later @ (u * u)]])
        if not np.linalg.det(hess) > 0 or not hess[0, 0] < 0:
            break  # not concave here: the golden-section point stands
        step = np.linalg.solve(hess, -grad)
        here = loglik(log_a, log_b)
        for _ in range(30):
            a_new, b_new = a + step[0], b + step[1]
            if a_new > 0 and b_new > 0 and loglik(math.log(a_new), math.log(b_new)) >= here:
                break
            step = step / 2
        else:
            break
        log_a, log_b = math.log(a_new), math.log(b_new)
        if abs(step[0]) <= 1e-13 * a and abs(step[1]) <= 1e-13 * b:
            break
    return log_a, log_b


def retention_curve(alive: Any) -> RetentionCurve:
    """Fit the shifted-beta-geometric model by maximum likelihood to a cohort's
    counts still active at the start of each period (``alive[0]`` the cohort).

    The log-likelihood, with ``n_t = alive[t]`` and ``T`` the last period, is
    ``(n_0 - n_T) log alpha + sum_t n_{t+1} log(beta + t) - sum_t n_t log(alpha + beta + t)``
    (``t`` from 0 to ``T - 1``), maximised over log alpha and log beta by a
    golden-section search per parameter (beta profiled out for each alpha).
    Counts may be floats (shares, or per thousand).  A cohort whose retention does
    not rise with tenure sends the fit to the edge of its range and is refused:
    without heterogeneity a constant retention rate describes it.

    >>> curve = retention_curve([1000, 631, 468, 382, 326, 289, 262, 241])
    >>> round(curve.retention(8), 3)
    0.921
    """
    n = _alive(alive)
    churned, later, earlier = n[0] - n[-1], n[1:], n[:-1]
    t = np.arange(n.size - 1, dtype=np.float64)

    def loglik(log_a: float, log_b: float) -> float:
        a, b = math.exp(log_a), math.exp(log_b)
        return float(churned * log_a + later @ np.log(b + t) - earlier @ np.log(a + b + t))

    low, high = math.log(_LOW), math.log(_HIGH)

    def best_beta(log_a: float) -> float:
        return _golden(lambda log_b: loglik(log_a, log_b), low, high, 1e-3)

    log_a = _golden(lambda la: loglik(la, best_beta(la)), low, high, 1e-3)
    start = (log_a, best_beta(log_a))
    log_a, log_b = _newton(loglik, (churned, later, earlier, t), *start)
    if min(*(x - low for x in start), *(high - x for x in start)) < 0.01 or not (
        low < log_a < high and low < log_b < high
    ):
        raise InvalidInput(
            f"alive {n.tolist()!r} does not pin down a shifted-beta-geometric curve: the fit "
            f"runs to the edge (alpha {math.exp(log_a):.4g}, beta {math.exp(log_b):.4g}); "
            "a retention rate that does not rise with tenure is a constant rate"
        )
    return RetentionCurve(math.exp(log_a), math.exp(log_b))
