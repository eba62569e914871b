"""How many customers a test needs, what a given size can detect, and its power.

The two-proportion z-test as statsmodels plans it (``samplesize_proportions_2indep_onetail``
and ``power_proportions_2indep``, checked against both in the test suite): the
treated arm's size ``n`` is the unknown, the control arm holds ``ratio * n``
customers (``ratio`` is control size over treated size), the variance under the
null is the pooled one and under the alternative the unpooled one.  ``alternative``
takes statsmodels' words: ``"two-sided"`` (alpha split over both tails),
``"larger"`` (the treated rate is higher) or ``"smaller"``.

>>> sample_size(0.02, 0.01)                          # per arm, two-sided 5%, power 80%
3826
>>> sample_size(0.02, 0.01, ratio=0.25)              # a control group a quarter the size
9980
>>> round(power(0.02, 0.01, 3826), 3)
0.8
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Literal

from telcare._core.checks import integer, number, one_of, proportion
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_COUNT

__all__ = ["Alternative", "minimum_detectable_effect", "power", "sample_size"]

Alternative = Literal["two-sided", "larger", "smaller"]
_ALTERNATIVES: tuple[Alternative, ...] = ("two-sided", "larger", "smaller")
_NORMAL = NormalDist()
#: Control over treated: a control group a million times the treated one (or a
#: millionth of it) is no design; the bound keeps ``p * (1 - p) / ratio`` finite.
_MAX_RATIO = 1e6


def _proportion(value: object, name: str) -> float:
    return proportion(value, name, open_low=True, open_high=True)


def _ratio(value: object) -> float:
    return number(value, "ratio", above=0, maximum=_MAX_RATIO)


def _critical(alpha: object, alternative: Alternative) -> tuple[float, Alternative]:
    """The test's critical z (alpha halved for a two-sided test) and its alternative."""
    side = one_of(alternative, "alternative", options=_ALTERNATIVES)
    a = _proportion(alpha, "alpha")
    return _NORMAL.inv_cdf(1 - (a / 2 if side == "two-sided" else a)), side


def _spreads(p_control: float, p_treated: float, ratio: float) -> tuple[float, float]:
    """The difference's standard deviation for one treated customer, under the null
    (pooled rate) and under the alternative (each arm its own rate)."""
    pooled = (p_treated + p_control * ratio) / (1 + ratio)
    null = math.sqrt(pooled * (1 - pooled) * (1 + 1 / ratio))
    alt = math.sqrt(p_treated * (1 - p_treated) + p_control * (1 - p_control) / ratio)
    return null, alt


def _root(p_control: float, p_treated: float, ratio: float, z_alpha: float, z_beta: float) -> float:
    null, alt = _spreads(p_control, p_treated, ratio)
    return z_alpha * null + z_beta * alt


def _direction(mde: float, given: object, side: Alternative) -> None:
    if (side == "larger" and mde < 0) or (side == "smaller" and mde > 0):
        raise InvalidInput(
            f"mde {given!r} points the other way: alternative={side!r} cannot detect it"
        )


def _control_fits(n: int, ratio: float, what: str) -> None:
    if ratio * n > MAX_COUNT:
        raise InvalidInput(
            f"{what} needs a control arm of {ratio * n:,.0f} customers (ratio {ratio!r} x {n:,}), "
            f"more than {MAX_COUNT:,}"
        )


def sample_size(
    baseline: float,
    mde: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
    alternative: Alternative = "two-sided",
) -> int:
    """Treated customers needed to detect ``baseline`` -> ``baseline + mde``; the
    control arm needs ``math.ceil(ratio * n)`` (``ratio=1``: ``n`` customers per arm).

    Pooled variance under the null, unpooled under the alternative, rounded up:
    statsmodels' ``samplesize_proportions_2indep_onetail(mde, baseline, power,
    ratio=ratio, alpha=alpha, alternative=alternative)``.  A one-sided test must
    point the way of ``mde`` (``"larger"`` for a rise, ``"smaller"`` for a fall).

    >>> sample_size(0.02, 0.01), sample_size(0.02, 0.01, alternative="larger")
    (3826, 3013)
    >>> n = sample_size(0.10, -0.02, ratio=2, alternative="smaller")
    >>> n, math.ceil(2 * n)                              # treated, control
    (1918, 3836)
    """
    p1 = _proportion(baseline, "baseline")
    given = mde
    mde = number(mde, "mde", above=-1, below=1)  # a float from here: Decimal + float fails
    if mde == 0:
        raise InvalidInput(f"mde must be a non-zero difference of proportions, got {given!r}")
    p2 = _proportion(p1 + mde, "baseline + mde")
    ratio = _ratio(ratio)
    z_alpha, side = _critical(alpha, alternative)
    _direction(mde, given, side)
    z_beta = _NORMAL.inv_cdf(_proportion(power, "power"))
    root = _root(p1, p2, ratio, z_alpha, z_beta)
    if root <= 0:
        raise InvalidInput(
            f"power {power!r} is no more than the test reaches by chance at alpha {alpha!r}: "
            "it needs no customers"
        )
    size = root / abs(mde)  # a tiny mde would underflow mde * mde to 0
    if not size <= math.sqrt(MAX_COUNT):
        raise InvalidInput(
            f"mde {given!r} is too small to detect: it needs more than {MAX_COUNT:,} customers per arm"
        )
    n = math.ceil(size * size - 1e-9)
    _control_fits(n, ratio, f"mde {given!r}")
    return n


def minimum_detectable_effect(
    baseline: float,
    n: int,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
    alternative: Alternative = "two-sided",
) -> float:
    """The smallest difference ``n`` treated customers (and ``ratio * n`` control ones)
    can detect: the inverse of :func:`sample_size`.  Upward for ``"two-sided"`` and
    ``"larger"``, downward (a negative difference) for ``"smaller"``.

    >>> round(minimum_detectable_effect(0.02, 3826), 4)
    0.01
    >>> round(minimum_detectable_effect(0.10, 1918, ratio=2, alternative="smaller"), 4)
    -0.02
    """
    p1 = _proportion(baseline, "baseline")
    n = integer(n, "n", minimum=2, maximum=MAX_COUNT)
    ratio = _ratio(ratio)
    _control_fits(n, ratio, f"n = {n:,}")
    z_alpha, side = _critical(alpha, alternative)
    z_beta = _NORMAL.inv_cdf(_proportion(power, "power"))
    sign = -1.0 if side == "smaller" else 1.0

    def needed(size: float) -> float:
        root = max(_root(p1, p1 + sign * size, ratio, z_alpha, z_beta), 0.0)
        return root * root / (size * size)

    low, high = 1e-12, (p1 if side == "smaller" else 1 - p1) - 1e-12
    if needed(high) > n:
        way = "fall" if side == "smaller" else "rise"
        raise InvalidInput(f"{n} customers per arm cannot detect any {way} from {p1}")
    for _ in range(200):
        mid = (low + high) / 2
        if needed(mid) > n:
            low = mid
        else:
            high = mid
    return sign * high


def _tail(x: float) -> float:
    """P(Z > x), exact in the far tails (``erfc``, not ``1 - cdf``)."""
    return math.erfc(x / math.sqrt(2)) / 2


def power(
    baseline: float,
    mde: float,
    n: int,
    *,
    ratio: float = 1.0,
    alpha: float = 0.05,
    alternative: Alternative = "two-sided",
) -> float:
    """The chance that a test on ``n`` treated customers (and ``ratio * n`` control
    ones) finds the difference ``mde`` from ``baseline``: statsmodels'
    ``power_proportions_2indep(mde, baseline, n, ratio=ratio, alpha=alpha,
    alternative=alternative)``.  A two-sided test counts both tails; ``mde = 0``
    gives the test's size, ``alpha``.

    >>> round(power(0.02, 0.01, 3826, alternative="larger"), 3)
    0.876
    >>> round(power(0.10, -0.02, 1918, ratio=2, alternative="smaller"), 3)
    0.8
    """
    p1 = _proportion(baseline, "baseline")
    d = number(mde, "mde", above=-1, below=1)
    p2 = _proportion(p1 + d, "baseline + mde")
    n = integer(n, "n", minimum=1, maximum=MAX_COUNT)
    ratio = _ratio(ratio)
    _control_fits(n, ratio, f"n = {n:,}")
    z_alpha, side = _critical(alpha, alternative)
    null, alt = _spreads(p1, p2, ratio)
    shift = d * math.sqrt(n) / alt
    result = 0.0
    if side != "smaller":
        result += _tail(z_alpha * null / alt - shift)
    if side != "larger":
        result += _tail(z_alpha * null / alt + shift)
    return min(result, 1.0)
