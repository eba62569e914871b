"""A rate that keeps its counts: ``Rate(numerator, denominator)``.

Every rate telcare reports carries what it was computed from, and a
confidence interval: Wilson's score interval by default (good coverage even
near 0 and 1 and for small counts), Clopper-Pearson's exact interval on request
(for audits and very small samples).

>>> r = Rate(878, 1000)
>>> r.value
0.878
>>> str(r)
'87.80% [85.6, 89.7]'
>>> tuple(round(x, 4) for x in r.ci(method="clopper-pearson"))
(0.8561, 0.8976)
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any, Literal

import attrs

from telcare._core.checks import instance, integer, one_of, proportion
from telcare._core.display import Displayable
from telcare._core.errors import InvalidInput
from telcare.metrics._intervals import wilson

__all__ = ["Rate", "observed_rate", "z_value"]

Method = Literal["wilson", "clopper-pearson"]


def z_value(level: float) -> float:
    """The two-sided standard-normal quantile for a confidence ``level`` in (0, 1)."""
    level = proportion(level, "level", open_low=True, open_high=True)
    return NormalDist().inv_cdf(0.5 + level / 2)


def _count(value: object, name: str) -> int:
    return integer(value, f"Rate {name}", minimum=None)


def _numerator(value: object) -> int:
    return _count(value, "numerator")


def _denominator(value: object) -> int:
    return _count(value, "denominator")


def _beta_ppf(q: float, a: float, b: float) -> float:
    """Quantile of the Beta(a, b) distribution by bisection on the regularised incomplete beta."""
    low, high = 0.0, 1.0
    for _ in range(200):
        mid = (low + high) / 2
        if _betainc(a, b, mid) < q:
            low = mid
        else:
            high = mid
        if high - low < 1e-15:
            break
    return (low + high) / 2


def _betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta I_x(a, b), by Lentz's continued fraction."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x > (a + 1) / (a + b + 2):
        return 1.0 - _betainc(b, a, 1 - x)
    tiny = 1e-300
    f, c, d = 1.0, 1.0, 0.0
    for i in range(10_000):
        m = i // 2
        if i == 0:
            numerator = 1.0
        elif i % 2 == 0:
            numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        else:
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1.0 + numerator * d
        d = tiny if abs(d) < tiny else d
        d = 1.0 / d
        c = 1.0 + numerator / c
        c = tiny if abs(c) < tiny else c
        f *= c * d
        if abs(c * d - 1.0) < 1e-15:
            break
    return math.exp(log_front) * (f - 1.0) / a


@attrs.frozen(slots=True)
class Rate(Displayable):
    """``numerator`` successes out of ``denominator`` trials.

    Impossible counts (negative, or more successes than trials) raise
    :class:`~telcare._core.errors.InvalidInput`.  An empty rate (0 of 0) has value
    NaN and the uninformative interval (0, 1).
    """

    numerator: int = attrs.field(converter=_numerator)
    denominator: int = attrs.field(converter=_denominator)

    def __attrs_post_init__(self) -> None:
        if self.numerator < 0 or self.denominator < 0:
            raise InvalidInput(f"Rate counts must be >= 0, got {self.numerator}/{self.denominator}")
        if self.numerator > self.denominator:
            raise InvalidInput(
                f"Rate numerator {self.numerator} exceeds its denominator {self.denominator}"
            )

    @property
    def value(self) -> float:
        """The proportion, or NaN for 0 of 0."""
        return self.numerator / self.denominator if self.denominator else math.nan

    @property
    def percent(self) -> float:
        """The proportion in percent."""
        return self.value * 100

    def ci(self, level: float = 0.95, *, method: Method = "wilson") -> tuple[float, float]:
        """The two-sided confidence interval, as proportions (``method``: ``"wilson"`` or
        ``"clopper-pearson"``; checked first, so an empty rate refuses a bad one too)."""
        method = one_of(method, "method", options=("wilson", "clopper-pearson"))
        z = z_value(level)
        n, k = self.denominator, self.numerator
        if n == 0:
            return (0.0, 1.0)
        if method == "wilson":
            low, high = wilson(k, n, z)
            return (float(low), float(high))
        alpha = 1 - level
        low = 0.0 if k == 0 else _beta_ppf(alpha / 2, k, n - k + 1)
        high = 1.0 if k == n else _beta_ppf(1 - alpha / 2, k + 1, n - k)
        return (low, high)

    def __str__(self) -> str:
        if self.denominator == 0:
            return "n/a (0 of 0)"
        low, high = self.ci()
        return f"{self.percent:.2f}% [{low * 100:.1f}, {high * 100:.1f}]"

    def to_dict(self) -> dict[str, Any]:
        """Counts, value and the 95% Wilson interval."""
        low, high = self.ci()
        return {"numerator": self.numerator, "denominator": self.denominator, "value": self.value,
                "low": low, "high": high}  # fmt: skip

    def __add__(self, other: Rate) -> Rate:
        """Pool two rates: counts add."""
        if not isinstance(other, Rate):
            return NotImplemented
        return Rate(self.numerator + other.numerator, self.denominator + other.denominator)


def observed_rate(value: object, name: str) -> Rate:
    """``value`` if it is a :class:`Rate` with at least one observation, else ``InvalidInput``."""
    value = instance(
        value, Rate, f"{name} must be a Rate(numerator, denominator), got {{got}} {{value!r}}"
    )
    if value.denominator == 0:
        raise InvalidInput(f"{name} has no observations (0 of 0)")
    return value
