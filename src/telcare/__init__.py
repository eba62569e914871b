"""telcare: the rules and scores of a mobile operator's high-value customer care.

Tiers and the mid-to-high-end segment, loyalty points, benefit eligibility,
the key moments of the customer life cycle and campaign-effect metrics, as
pure functions over frozen values (one customer) and numpy columns (a whole
base).  No I/O, no clock, no global state: callers pass ``as_of`` and the
:class:`Policy`.

>>> import telcare as tc
>>> tc.yuan("96")
9600
>>> tc.format_yuan(tc.points_value(5000, policy=tc.default_policy()))
'¥100.00'
"""

from __future__ import annotations

from telcare.benefits import BenefitDecision, benefit_matrix, check_benefit, eligible_benefits
from telcare.catalogue import BENEFIT_CODES, BENEFITS, Benefit, Channel, Moment
from telcare.credit import Suspension, credit_allowance, suspension_check, suspensions
from telcare.customers import AccountStatus, Customer, Verification
from telcare.dates import PointsCycle, local_date, points_cycle
from telcare.errors import DuplicatePosting, InsufficientPoints, InvalidInput, TelcareError
from telcare.ledger import (
    SOURCES,
    HistoryEntry,
    LedgerSummary,
    Lot,
    PointsLedger,
    Posting,
    Redemption,
)
from telcare.money import format_yuan, to_fen, yuan
from telcare.points import (
    Economics,
    PointsBreakdown,
    accrue_batch,
    points_for_bill,
    points_needed,
    points_value,
    programme_economics,
    qualifies_for_plan,
)
from telcare.policy import (
    BenefitRule,
    BenefitsPolicy,
    ContactPolicy,
    CreditPolicy,
    MomentsPolicy,
    PointsPolicy,
    Policy,
    SegmentPolicy,
    ServiceHours,
    TierPolicy,
    TierRule,
    VerificationPolicy,
    default_policy,
)
from telcare.segment import mid_high_end, segment_size
from telcare.tiers import TierBatch, TierDecision, evaluate_tier, evaluate_tiers
from telcare.verification import CallbackFacts, Suspicion, is_suspicious, watch_list

__version__ = "0.1.0.dev0"

__all__ = [
    "BENEFITS",
    "BENEFIT_CODES",
    "SOURCES",
    "AccountStatus",
    "Benefit",
    "BenefitDecision",
    "BenefitRule",
    "BenefitsPolicy",
    "CallbackFacts",
    "Channel",
    "ContactPolicy",
    "CreditPolicy",
    "Customer",
    "DuplicatePosting",
    "Economics",
    "HistoryEntry",
    "InsufficientPoints",
    "InvalidInput",
    "LedgerSummary",
    "Lot",
    "Moment",
    "MomentsPolicy",
    "PointsBreakdown",
    "PointsCycle",
    "PointsLedger",
    "PointsPolicy",
    "Policy",
    "Posting",
    "Redemption",
    "SegmentPolicy",
    "ServiceHours",
    "Suspension",
    "Suspicion",
    "TelcareError",
    "TierBatch",
    "TierDecision",
    "TierPolicy",
    "TierRule",
    "Verification",
    "VerificationPolicy",
    "__version__",
    "accrue_batch",
    "benefit_matrix",
    "check_benefit",
    "credit_allowance",
    "default_policy",
    "eligible_benefits",
    "evaluate_tier",
    "evaluate_tiers",
    "format_yuan",
    "is_suspicious",
    "local_date",
    "mid_high_end",
    "points_cycle",
    "points_for_bill",
    "points_needed",
    "points_value",
    "programme_economics",
    "qualifies_for_plan",
    "segment_size",
    "suspension_check",
    "suspensions",
    "to_fen",
    "watch_list",
    "yuan",
]
