"""The Wilson score interval, written once over operators that Python floats and
numpy arrays both accept: :class:`~telcare.metrics._rates.Rate` calls it with one
count, :func:`~telcare.metrics._groups.rates_by_group` with a column per group.

>>> low, high = wilson(45, 100, 1.959963984540054)
>>> round(low, 4), round(high, 4)
(0.3561, 0.5476)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["wilson"]

#: A Python number or a numpy array of them.
Num = Any


def wilson(successes: Num, trials: Num, z: float) -> tuple[Num, Num]:
    """The Wilson score interval for ``trials > 0``, clamped to contain the estimate.

    Rounding must not put a bound on the wrong side of the estimate (for 0
    successes ``centre - half`` is 3e-17, not 0), so the bounds are clamped to
    ``[0, p]`` and ``[p, 1]``.
    """
    p = successes / trials
    z2n = z * z / trials
    centre = (p + z2n / 2) / (1 + z2n)
    # sqrt, not ** 0.5: numpy turns ``** 0.5`` into a correctly rounded sqrt while
    # Python's float pow may differ in the last bit, and the two forms must agree.
    root = np.sqrt if isinstance(trials, np.ndarray) else math.sqrt
    half = z * root(p * (1 - p) / trials + z2n / (4 * trials)) / (1 + z2n)
    low, high = centre - half, centre + half
    low = low + (p - low) * (low > p)
    low = low - low * (low < 0)
    high = high + (p - high) * (high < p)
    high = high + (1 - high) * (high > 1)
    return low, high
