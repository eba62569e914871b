"""The policy layer: the validated :class:`Policy` users write, the reference
catalogues it names, and the frozen tables the rules read
(:func:`~telcare.policy.compiled.compile_policy`).
"""

from telcare.policy.model import (
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

__all__ = [
    "BenefitRule",
    "BenefitsPolicy",
    "ContactPolicy",
    "CreditPolicy",
    "MomentsPolicy",
    "PointsPolicy",
    "Policy",
    "SegmentPolicy",
    "ServiceHours",
    "TierPolicy",
    "TierRule",
    "VerificationPolicy",
    "default_policy",
]
