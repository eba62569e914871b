"""Customer tiers (ordinary, VIP card, silver, gold, diamond) with the downgrade
grace, and the mid-to-high-end segment.
"""

from __future__ import annotations

from telcare.tiers._evaluate import TierBatch, TierDecision, evaluate_tier, evaluate_tiers

# For telcare's other packages; not part of the public surface (not in __all__).
from telcare.tiers._segment import (
    SPEND_BIN_SHIFT as SPEND_BIN_SHIFT,
    SPEND_BINS as SPEND_BINS,
    BinCut as BinCut,
    at_or_above as at_or_above,
    cut_bin as cut_bin,
    ids_column as ids_column,
    in_cut_bin as in_cut_bin,
    mid_high_end,
    rank_ties as rank_ties,
    segment_size,
    spend_histogram as spend_histogram,
)

__all__ = [
    "TierBatch",
    "TierDecision",
    "evaluate_tier",
    "evaluate_tiers",
    "mid_high_end",
    "segment_size",
]
