"""Precision marketing: prospects matched to offers (one customer and the whole
base), offer conflicts, and the agents' call lists.
"""

from __future__ import annotations

from telcare.marketing._calllists import CallList, call_lists

# For telcare's other packages; not part of the public surface (not in __all__).
from telcare.marketing._match import (
    CHANNELS as CHANNELS,
    OfferDecision,
    OfferMatch,
    Prospect,
    best_offers,
    match_offer,
    match_offers,
    offer_conflicts,
)

__all__ = [
    "CallList",
    "OfferDecision",
    "OfferMatch",
    "Prospect",
    "best_offers",
    "call_lists",
    "match_offer",
    "match_offers",
    "offer_conflicts",
]
