"""Precision marketing: prospects matched to offers (one customer and the whole
base) through one table of offer gates, offer conflicts, and the agents' call
lists (seed 000's C-B-C-T-F: customer, business (offer), channel, timing,
frequency).

Gates, all of which must pass (:data:`OFFER_GATES`, one row each): the offer is
valid on the day; the customer is not on the do-not-call list (no marketing
contact reaches a sensitive number); its tier and segment, spend band, plan fee
band, tenure and credit level fit; it holds every product the offer requires and
nothing the offer conflicts with; a channel is left (the customer's preferred one
among the offer's, else the offer's first that the customer did not refuse).  An
eligible offer is *allowed now* when its channel is open (the contact hours of a
working day: ``contact.holidays`` off, ``contact.workdays`` worked; out of the
channel's ``contact.quiet_hours``) and the frequency caps (the customer type's cap
over all counted contacts, the cap of the offer's project type, and the channel's
caps per window and per day; one window, :mod:`telcare.contact`) have room.  The score
is ``response x value - cost`` in fen, with ``response`` the caller's response
probability or uplift (default 1: rank by net value).

The catalogue's budgets and limits (a campaign's cost and points budgets, an
offer's most customers, a customer's most offers per period) and its holdouts
(the programme's control group, a campaign's own, drawn by :func:`holdout`)
withhold offers in both forms with the limit named; the whole base enforces them
first come by score, given the :class:`Usage` of earlier matches.
"""

from __future__ import annotations

# For telcare's other packages; not part of the public surface (not in __all__).
from telcare.marketing._allocate import ALLOCATION_REASONS, Allocation, allocate
from telcare.marketing._base import OfferMatch, match_offers
from telcare.marketing._calllists import CallList, call_lists
from telcare.marketing._gates import GateCase, GateContext, OfferGate, OfferGates
from telcare.marketing._holdout import SampleRatio, holdout, sample_ratio_check
from telcare.marketing._one import OfferDecision, best_offers, match_offer, offer_conflicts
from telcare.marketing._prospect import CHANNELS as CHANNELS, Prospect
from telcare.marketing._rows import OFFER_GATES
from telcare.marketing._usage import Usage

__all__ = [
    "ALLOCATION_REASONS",
    "OFFER_GATES",
    "Allocation",
    "CallList",
    "GateCase",
    "GateContext",
    "OfferDecision",
    "OfferGate",
    "OfferGates",
    "OfferMatch",
    "Prospect",
    "SampleRatio",
    "Usage",
    "allocate",
    "best_offers",
    "call_lists",
    "holdout",
    "match_offer",
    "match_offers",
    "offer_conflicts",
    "sample_ratio_check",
]
