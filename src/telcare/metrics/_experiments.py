"""Experiments against a control group: uplift with Newcombe's interval and a
two-sided p-value, and retention in percentage points (the sample size a test
needs is in :mod:`telcare.metrics._power`).

>>> r = retention(start=10_000, retained=8_780, baseline=Rate(8_235, 10_000))
>>> str(r.rate), round(r.pp_change, 2)
('87.80% [87.1, 88.4]', 5.45)
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any, ClassVar

import attrs

from telcare._core.checks import proportion
from telcare._core.display import Displayable
from telcare._core.errors import InvalidInput
from telcare.metrics._rates import Rate, observed_rate, z_value

__all__ = [
    "Retention",
    "RetentionAverage",
    "Uplift",
    "compare",
    "retention",
    "retention_average",
]

_NORMAL = NormalDist()


@attrs.frozen(slots=True)
class Uplift(Displayable):
    """Treated minus control.

    ``difference`` is a proportion (0.1 for ten points), ``pp`` the same in
    percentage points; ``ci`` is Newcombe's hybrid score interval of the
    difference (as proportions); ``p_value`` the two-sided pooled z-test;
    ``relative`` the lift relative to the control rate (NaN if it is 0).
    """

    _units: ClassVar[dict[str, str]] = {"difference": "pp", "ci": "pp"}

    treated: Rate
    control: Rate
    difference: float
    ci: tuple[float, float]
    p_value: float
    level: float

    @property
    def pp(self) -> float:
        """The difference in percentage points."""
        return self.difference * 100

    @property
    def relative(self) -> float:
        """Treated / control - 1."""
        return self.treated.value / self.control.value - 1 if self.control.value else math.nan

    def to_dict(self) -> dict[str, Any]:
        """The comparison as plain values, in proportions and points."""
        return {
            "treated": self.treated.to_dict(),
            "control": self.control.to_dict(),
            "difference": self.difference,
            "pp": self.pp,
            "ci": list(self.ci),
            "p_value": self.p_value,
            "relative": self.relative,
            "level": self.level,
        }

    @property
    def significant(self) -> bool:
        """Whether the interval excludes zero (at ``level``)."""
        return self.ci[0] > 0 or self.ci[1] < 0

    def __str__(self) -> str:
        low, high = self.ci
        return f"{self.pp:+.2f} pp [{low * 100:+.2f}, {high * 100:+.2f}], p = {self.p_value:.3g}"


def compare(treated: Rate, control: Rate, *, level: float = 0.95) -> Uplift:
    """Difference between a treated and a control group's rates.

    >>> u = compare(Rate(460, 1000), Rate(400, 1000))
    >>> round(u.pp, 1), tuple(round(x, 4) for x in u.ci), round(u.p_value, 4)
    (6.0, (0.0166, 0.1031), 0.0067)
    """
    treated, control = observed_rate(treated, "treated"), observed_rate(control, "control")
    p1, p2 = treated.value, control.value
    l1, u1 = treated.ci(level)
    l2, u2 = control.ci(level)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    n1, n2 = treated.denominator, control.denominator
    pooled = (treated.numerator + control.numerator) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    # two-sided p = erfc(|z| / sqrt 2): exact in the far tail, where 2 * cdf(-|z|) underflows to 0
    p_value = (1.0 if d == 0 else 0.0) if se == 0 else math.erfc(abs(d) / se / math.sqrt(2))
    return Uplift(treated, control, d, (low, high), p_value, level)


@attrs.frozen(slots=True)
class Retention(Displayable):
    """The share of a base still active, and its change in percentage points."""

    _units: ClassVar[dict[str, str]] = {"baseline": "share"}

    rate: Rate
    baseline: float | None
    comparison: Uplift | None

    @property
    def pp_change(self) -> float | None:
        """(rate - baseline) in percentage points, when a baseline is given."""
        return None if self.baseline is None else (self.rate.value - self.baseline) * 100


def retention(start: int, retained: int, *, baseline: Rate | float | None = None) -> Retention:
    """Retention of a base over a period (保有率), optionally against a baseline.

    ``baseline`` may be a proportion (last year's 0.8235) or a :class:`Rate`;
    with a Rate the change also gets an interval and p-value (``comparison``).

    >>> round(retention(1000, 878, baseline=0.8235).pp_change, 2)
    5.45
    """
    rate = Rate(retained, start)
    if baseline is None:
        return Retention(rate, None, None)
    if isinstance(baseline, Rate):
        return Retention(rate, baseline.value, compare(rate, baseline))
    try:
        return Retention(rate, proportion(baseline, "baseline"), None)
    except InvalidInput:
        raise InvalidInput(
            f"baseline must be a proportion in [0, 1] or a Rate, got {baseline!r}"
        ) from None


@attrs.frozen(slots=True)
class RetentionAverage(Displayable):
    """Retention averaged over several periods, as seed 000 reports it.

    ``average`` is the mean of the periods' rates (each period weighs the same,
    as "连续三个季度平均值" reads), with a normal-approximation interval
    ``ci`` from the periods' binomial variances; ``baseline`` the same mean for
    the comparison periods (a year before), and ``pp_change`` the difference
    in percentage points with its interval ``pp_ci``.
    """

    periods: tuple[Rate, ...]
    average: float
    ci: tuple[float, float]
    baselines: tuple[Rate, ...] | None
    baseline: float | None
    pp_change: float | None
    pp_ci: tuple[float, float] | None

    def __str__(self) -> str:
        text = f"{self.average:.2%} over {len(self.periods)} periods [{self.ci[0]:.1%}, {self.ci[1]:.1%}]"
        if self.pp_change is not None and self.pp_ci is not None:
            text += f", {self.pp_change:+.2f} pp [{self.pp_ci[0]:+.2f}, {self.pp_ci[1]:+.2f}]"
        return text


def _mean_and_variance(rates: tuple[Rate, ...]) -> tuple[float, float]:
    k = len(rates)
    mean = sum(r.value for r in rates) / k
    variance = sum(r.value * (1 - r.value) / r.denominator for r in rates) / (k * k)
    return mean, variance


def _periods(values: Any, name: str) -> tuple[Rate, ...]:
    try:
        if isinstance(values, Rate | str | bytes):
            raise TypeError
        rates = tuple(values)
    except TypeError:
        raise InvalidInput(
            f"{name} must be a sequence of Rates (retained / start), got {values!r}"
        ) from None
    if not rates:
        raise InvalidInput(f"{name} must hold at least one period")
    return tuple(observed_rate(r, f"{name}[{i}]") for i, r in enumerate(rates))


def retention_average(
    periods: Any, *, baselines: Any = None, level: float = 0.95
) -> RetentionAverage:
    """Retention averaged over periods (quarters), and its change against the
    same periods a year before, in percentage points.

    Seed 000: mid-to-high-end retention averaged 87.8% over three quarters,
    5.45 pp above 2008.

    >>> quarters = [Rate(8_770, 10_000), Rate(8_790, 10_000), Rate(8_780, 10_000)]
    >>> year_before = [Rate(8_200, 10_000), Rate(8_240, 10_000), Rate(8_265, 10_000)]
    >>> r = retention_average(quarters, baselines=year_before)
    >>> round(r.average, 4), round(r.pp_change, 2)
    (0.878, 5.45)
    >>> str(r)
    '87.80% over 3 periods [87.4%, 88.2%], +5.45 pp [+4.88, +6.02]'
    """
    rates = _periods(periods, "periods")
    z = z_value(level)
    mean, var = _mean_and_variance(rates)
    half = z * math.sqrt(var)
    ci = (max(0.0, mean - half), min(1.0, mean + half))
    if baselines is None:
        return RetentionAverage(rates, mean, ci, None, None, None, None)
    before = _periods(baselines, "baselines")
    if len(before) != len(rates):
        raise InvalidInput(
            f"baselines must pair with periods: {len(before)} baselines for {len(rates)} periods"
        )
    base_mean, base_var = _mean_and_variance(before)
    diff_half = z * math.sqrt(var + base_var) * 100
    pp = (mean - base_mean) * 100
    return RetentionAverage(
        rates, mean, ci, before, base_mean, pp, (pp - diff_half, pp + diff_half)
    )
