"""Money conversion: ``to_fen`` on a float column of yuan."""

from __future__ import annotations

from typing import Any

import numpy as np

import telcare as tc
from benchmarks.harness import Case


def _setup(n: int, rng: np.random.Generator) -> Any:
    return np.round(rng.gamma(2.0, 80.0, n), 2)


def _baseline(yuan: Any) -> Any:
    scaled = np.round(yuan * 100, 6)
    return (np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)).astype(np.int64)


CASES = [
    Case("money.to_fen", 10_000_000, _setup, tc.to_fen, _baseline, per_item=True, goal=1.5),
]
