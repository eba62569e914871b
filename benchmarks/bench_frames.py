"""The DataFrame layer's cost over the bare batch call: the same rule on a pandas frame
(columns in, labelled columns out, index kept) against numpy columns in, arrays out."""

from __future__ import annotations

from typing import Any

import numpy as np

import telcare as tc
from benchmarks.harness import Case


def _tiers(n: int, rng: np.random.Generator) -> dict[str, Any]:
    import pandas as pd

    frame = pd.DataFrame(
        {"avg_spend": rng.integers(0, 120_000, n), "months": rng.integers(0, 13, n)}
    )
    return {
        "frame": frame,
        "avg_spend": frame["avg_spend"].to_numpy(),
        "months": frame["months"].to_numpy(),
    }


def _tiers_frames(d: dict[str, Any]) -> Any:
    import telcare.frames as tf

    return tf.evaluate_tiers(d["frame"])


def _tiers_bare(d: dict[str, Any]) -> Any:
    return tc.evaluate_tiers(d["avg_spend"], d["months"]).tier


def _benefits(n: int, rng: np.random.Generator) -> dict[str, Any]:
    import pandas as pd

    frame = pd.DataFrame({
        "tier": rng.integers(0, 5, n), "segment_member": rng.random(n) < 0.1,
        "plan_fee": rng.choice(np.array([3_800, 9_600, 12_800]), n), "verification": rng.integers(0, 3, n),
        "status": rng.integers(0, 3, n),
    })  # fmt: skip
    return {"frame": frame, **{k: frame[k].to_numpy() for k in frame.columns}}


def _benefits_frames(d: dict[str, Any]) -> Any:
    import telcare.frames as tf

    return tf.check_benefits(d["frame"])


def _benefits_bare(d: dict[str, Any]) -> Any:
    return tc.check_benefits(
        d["tier"], d["segment_member"], d["plan_fee"], d["verification"], d["status"]
    )


def _same_tiers(frame: Any, tier: Any) -> None:
    """Only the call is timed; the frame's tier column is compared here."""
    column = frame["tier"]
    codes = column.cat.codes.to_numpy() if hasattr(column, "cat") and hasattr(column.cat, "codes") else (
        column.to_physical().to_numpy())  # fmt: skip
    np.testing.assert_array_equal(codes, tier)


def _same_benefits(frame: Any, matrix: Any) -> None:
    for j, code in enumerate(tc.BENEFIT_CODES):
        np.testing.assert_array_equal(np.asarray(frame[code]), matrix[:, j], err_msg=code)


def _polars(setup: Any) -> Any:
    def build(n: int, rng: np.random.Generator) -> dict[str, Any]:
        import polars as pl

        d = setup(n, rng)
        return {**d, "frame": pl.from_pandas(d["frame"])}

    return build


def _tiers_polars(d: dict[str, Any]) -> Any:
    import telcare.frames as tf

    return tf.evaluate_tiers(d["frame"])


def _benefits_polars(d: dict[str, Any]) -> Any:
    import telcare.frames as tf

    return tf.check_benefits(d["frame"])


CASES = [
    Case("frames.evaluate_tiers (pandas)", 10_000_000, _tiers, _tiers_frames, _tiers_bare, _same_tiers, goal=1.2,
         notes="tiers on a pandas frame, labelled tier columns added, against the numpy call"),
    Case("frames.check_benefits (pandas)", 10_000_000, _benefits, _benefits_frames, _benefits_bare, _same_benefits,
         goal=1.2,
         notes="a boolean column per benefit added to a pandas frame, against the (n, 16) matrix"),
    Case("frames.evaluate_tiers (polars)", 10_000_000, _polars(_tiers), _tiers_polars, _tiers_bare, _same_tiers,
         goal=1.2,
         notes="the same on a Polars frame (an Enum tier column)"),
    Case("frames.check_benefits (polars)", 10_000_000, _polars(_benefits), _benefits_polars, _benefits_bare,
         _same_benefits, goal=1.2, notes="the same on a Polars frame: sixteen contiguous columns are written"),
]  # fmt: skip
