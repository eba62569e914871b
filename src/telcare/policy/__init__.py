"""The policy layer: the validated :class:`Policy` users write and the reference
catalogues it names.  Pure data: no numpy, no caches.  The rules read it through
the tables :func:`~telcare.rules.compiled.compile_policy` builds from it.
"""

from telcare.policy.fields import ServiceHours
from telcare.policy.model import Policy, default_policy
from telcare.policy.sections import (
    AgentsPolicy,
    BenefitRule,
    BenefitsPolicy,
    ComplaintsPolicy,
    ContactPolicy,
    CreditPolicy,
    MomentsPolicy,
    PointsPolicy,
    SegmentPolicy,
    TierPolicy,
    TierRule,
    VerificationPolicy,
)

__all__ = [
    "AgentsPolicy",
    "BenefitRule",
    "BenefitsPolicy",
    "ComplaintsPolicy",
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
