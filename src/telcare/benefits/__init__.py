"""Benefit eligibility with a reason per gate, the credit levels and suspension,
and real-name verification with the suspicious-user rules.
"""

from __future__ import annotations

from telcare.benefits._credit import (
    Suspension,
    check_suspension,
    check_suspensions,
    credit_allowance,
    credit_allowances,
)
from telcare.benefits._decide import (
    BenefitDecision,
    check_benefit,
    check_benefits,
    eligible_benefits,
)

# For telcare's other packages; not part of the public surface (not in __all__).
from telcare.benefits._verification import (
    CallbackFacts,
    FollowUp,
    Suspicion,
    busy_keys as busy_keys,
    is_suspicious,
    shared_counts as shared_counts,
    shared_flags as shared_flags,
    suspicious_follow_up,
    watch_list,
)

# Second names the contract fixed before the naming rule (docs/contributing.md).
benefit_matrix = check_benefits
suspension_check = check_suspension

__all__ = [
    "BenefitDecision",
    "CallbackFacts",
    "FollowUp",
    "Suspension",
    "Suspicion",
    "benefit_matrix",
    "check_benefit",
    "check_benefits",
    "check_suspension",
    "check_suspensions",
    "credit_allowance",
    "credit_allowances",
    "eligible_benefits",
    "is_suspicious",
    "suspension_check",
    "suspicious_follow_up",
    "watch_list",
]
