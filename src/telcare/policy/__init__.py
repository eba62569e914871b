"""The policy: the validated parameters a care team writes (:class:`Policy` and its
sections, offers, and :class:`PolicySchedule`, policies each in force from a date)
and the reference catalogues they name (benefits, moments, channels).  Pure data:
no numpy, no caches; the rules read it through the tables
:func:`telcare.compile_policy` builds from it.
"""

from __future__ import annotations

from telcare.policy._catalogue import (
    BENEFIT_CODES,
    BENEFITS,
    BENEFITS_BY_CODE as BENEFITS_BY_CODE,
    Benefit,
    Channel,
    Moment,
)
from telcare.policy._contact import ContactPolicy, MomentsPolicy
from telcare.policy._fields import ServiceHours
from telcare.policy._model import Policy, default_policy
from telcare.policy._offers import PROJECT_TYPES, Campaign, ControlGroup, Offer, OfferCatalogue

# For telcare's other packages; not part of the public surface (not in __all__).
from telcare.policy._resolve import as_policy as as_policy, resolve as resolve
from telcare.policy._schedule import PolicySchedule, ScheduleChange
from telcare.policy._sections import (
    BenefitRule,
    BenefitsPolicy,
    CreditPolicy,
    PointsPolicy,
    SegmentPolicy,
    TierPolicy,
    TierRule,
    VerificationPolicy,
)
from telcare.policy._service import (
    CALL_SKILLS,
    CALL_STAGES,
    COMPLAINT_TYPES,
    SELECTION_STEPS,
    AgentsPolicy,
    ComplaintsPolicy,
)

__all__ = [
    "BENEFITS",
    "BENEFIT_CODES",
    "CALL_SKILLS",
    "CALL_STAGES",
    "COMPLAINT_TYPES",
    "PROJECT_TYPES",
    "SELECTION_STEPS",
    "AgentsPolicy",
    "Benefit",
    "BenefitRule",
    "BenefitsPolicy",
    "Campaign",
    "Channel",
    "ComplaintsPolicy",
    "ContactPolicy",
    "ControlGroup",
    "CreditPolicy",
    "Moment",
    "MomentsPolicy",
    "Offer",
    "OfferCatalogue",
    "PointsPolicy",
    "Policy",
    "PolicySchedule",
    "ScheduleChange",
    "SegmentPolicy",
    "ServiceHours",
    "TierPolicy",
    "TierRule",
    "VerificationPolicy",
    "default_policy",
]
