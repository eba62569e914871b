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

from telcare import _moved
from telcare.core.dates import Period, PointsCycle, local_date, points_cycle
from telcare.core.display import to_frame
from telcare.core.errors import DuplicatePosting, InsufficientPoints, InvalidInput, TelcareError
from telcare.core.money import format_yuan, to_fen, yuan
from telcare.metrics.callbacks import CallbackCounts, CallbackKpis, callback_kpis
from telcare.metrics.campaigns import CampaignCounts, CampaignReport, Figure, campaign_report
from telcare.metrics.experiments import (
    Retention,
    RetentionAverage,
    Uplift,
    compare,
    minimum_detectable_effect,
    retention,
    retention_average,
    sample_size,
)
from telcare.metrics.groups import GroupRates, rates_by_group
from telcare.metrics.outbound import (
    AgentPerformance,
    TrialForecast,
    agent_performance,
    list_utilisation,
    reason_shares,
    trial_forecast,
    value_by,
)
from telcare.metrics.rates import Rate
from telcare.metrics.staffing import (
    Staffing,
    erlang_c,
    inbound_staffing,
    outbound_staffing,
    staffing,
)
from telcare.metrics.targeting import (
    CellUplift,
    UpliftByPercentile,
    qini_auc_score,
    qini_curve,
    uplift_at_k,
    uplift_by_cell,
    uplift_by_percentile,
)
from telcare.metrics.value import ValueReport, campaign_value, revenue_forecast
from telcare.policy.catalogue import BENEFIT_CODES, BENEFITS, Benefit, Channel, Moment
from telcare.policy.fields import ServiceHours
from telcare.policy.model import Policy, default_policy
from telcare.policy.offers import PROJECT_TYPES, Offer, OfferCatalogue
from telcare.policy.sections import (
    CALL_SKILLS,
    CALL_STAGES,
    COMPLAINT_TYPES,
    SELECTION_STEPS,
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
from telcare.rules.actionlog import ActionLog, action_log
from telcare.rules.actions import Action, Replay, due_actions, simple_moment
from telcare.rules.agents import Funnel, Scorecard, coaching_scorecard, selection_funnel
from telcare.rules.benefits import BenefitDecision, check_benefit, check_benefits, eligible_benefits
from telcare.rules.books import ManagerBook, ServiceList, manager_book, service_list
from telcare.rules.calllists import CallList, call_lists
from telcare.rules.compare import (
    CustomerBase,
    PolicyComparison,
    PolicyOutcome,
    compare_policies,
)
from telcare.rules.compiled import CompiledPolicy, compile_policy
from telcare.rules.complaints import (
    Complaint,
    ComplaintBook,
    ComplaintStatus,
    complaint_book,
    complaint_status,
    conflict_complaint,
)
from telcare.rules.contact import ContactDecision, contact_allowed
from telcare.rules.credit import (
    Suspension,
    check_suspension,
    check_suspensions,
    credit_allowance,
    credit_allowances,
)
from telcare.rules.customers import AccountStatus, Customer, Verification
from telcare.rules.events import (
    Activated,
    BillIssued,
    CallbackAttempt,
    CancellationRequested,
    ContactMade,
    ContractEnding,
    Event,
    ManagerAssigned,
    SpendReading,
    TierChanged,
    TutoringDone,
    UsageReading,
    Verified,
)
from telcare.rules.ledger import PointsLedger
from telcare.rules.marketing import (
    OfferDecision,
    OfferMatch,
    Prospect,
    best_offers,
    match_offer,
    match_offers,
    offer_conflicts,
)
from telcare.rules.namelists import WarningList, retention_warning_list
from telcare.rules.points import (
    Economics,
    PointsBreakdown,
    points_for_bill,
    points_for_bills,
    points_needed,
    points_value,
    programme_economics,
    qualifies_for_plan,
)
from telcare.rules.postings import SOURCES, HistoryEntry, LedgerSummary, Lot, Posting, Redemption
from telcare.rules.registry import BatchRule, Column, MomentRegistry, MomentSpec, SnapshotScan
from telcare.rules.reports import (
    REPORTS,
    RETENTION_MOMENTS,
    Report,
    callback_report,
    credit_bulletin,
    execution_report,
    retention_indicators,
    retention_service,
)
from telcare.rules.scan import SNAPSHOT_MOMENTS, MomentScan, scan_moments
from telcare.rules.segment import mid_high_end, segment_size
from telcare.rules.sla import MomentSla, SlaReport, sla_report
from telcare.rules.suspicious import SuspiciousCase, SuspiciousList, SuspiciousRow, suspicious_list
from telcare.rules.tiers import TierBatch, TierDecision, evaluate_tier, evaluate_tiers
from telcare.rules.verification import (
    CallbackFacts,
    FollowUp,
    Suspicion,
    is_suspicious,
    suspicious_follow_up,
    watch_list,
)

__version__ = "0.1.0.dev0"

# Names the contract (API.md) fixed before the naming rule (docs/contributing.md):
# they stay, without a warning, as second names of the rule-following ones.
accrue_batch = points_for_bills
benefit_matrix = check_benefits
suspension_check = check_suspension

_moved.install()

__all__ = [
    "BENEFITS",
    "BENEFIT_CODES",
    "CALL_SKILLS",
    "CALL_STAGES",
    "COMPLAINT_TYPES",
    "MOMENTS",
    "PROJECT_TYPES",
    "REPORTS",
    "RETENTION_MOMENTS",
    "RULES",
    "SELECTION_STEPS",
    "SNAPSHOT_MOMENTS",
    "SOURCES",
    "AccountStatus",
    "Action",
    "ActionLog",
    "Activated",
    "AgentPerformance",
    "AgentsPolicy",
    "BatchRule",
    "Benefit",
    "BenefitDecision",
    "BenefitRule",
    "BenefitsPolicy",
    "BillIssued",
    "CallList",
    "CallbackAttempt",
    "CallbackCounts",
    "CallbackFacts",
    "CallbackKpis",
    "CampaignCounts",
    "CampaignReport",
    "CancellationRequested",
    "CellUplift",
    "Channel",
    "Column",
    "CompiledPolicy",
    "Complaint",
    "ComplaintBook",
    "ComplaintStatus",
    "ComplaintsPolicy",
    "ContactDecision",
    "ContactMade",
    "ContactPolicy",
    "ContractEnding",
    "CreditPolicy",
    "Customer",
    "CustomerBase",
    "DuplicatePosting",
    "Economics",
    "Event",
    "Figure",
    "FollowUp",
    "Funnel",
    "GroupRates",
    "HistoryEntry",
    "InsufficientPoints",
    "InvalidInput",
    "LedgerSummary",
    "Lot",
    "ManagerAssigned",
    "ManagerBook",
    "Moment",
    "MomentRegistry",
    "MomentScan",
    "MomentSla",
    "MomentSpec",
    "MomentsPolicy",
    "Offer",
    "OfferCatalogue",
    "OfferDecision",
    "OfferMatch",
    "Period",
    "PointsBreakdown",
    "PointsCycle",
    "PointsLedger",
    "PointsPolicy",
    "Policy",
    "PolicyComparison",
    "PolicyOutcome",
    "Posting",
    "Prospect",
    "Rate",
    "Redemption",
    "Replay",
    "Report",
    "Retention",
    "RetentionAverage",
    "Scorecard",
    "SegmentPolicy",
    "ServiceHours",
    "ServiceList",
    "SlaReport",
    "SnapshotScan",
    "SpendReading",
    "Staffing",
    "Suspension",
    "Suspicion",
    "SuspiciousCase",
    "SuspiciousList",
    "SuspiciousRow",
    "TelcareError",
    "TierBatch",
    "TierChanged",
    "TierDecision",
    "TierPolicy",
    "TierRule",
    "TrialForecast",
    "TutoringDone",
    "Uplift",
    "UpliftByPercentile",
    "UsageReading",
    "ValueReport",
    "Verification",
    "VerificationPolicy",
    "Verified",
    "WarningList",
    "__version__",
    "accrue_batch",
    "action_log",
    "agent_performance",
    "benefit_matrix",
    "best_offers",
    "call_lists",
    "callback_kpis",
    "callback_report",
    "campaign_report",
    "campaign_value",
    "check_benefit",
    "check_benefits",
    "check_suspension",
    "check_suspensions",
    "coaching_scorecard",
    "compare",
    "compare_policies",
    "compile_policy",
    "complaint_book",
    "complaint_status",
    "conflict_complaint",
    "contact_allowed",
    "credit_allowance",
    "credit_allowances",
    "credit_bulletin",
    "default_policy",
    "due_actions",
    "eligible_benefits",
    "erlang_c",
    "evaluate_tier",
    "evaluate_tiers",
    "execution_report",
    "format_yuan",
    "inbound_staffing",
    "is_suspicious",
    "list_utilisation",
    "local_date",
    "manager_book",
    "match_offer",
    "match_offers",
    "mid_high_end",
    "minimum_detectable_effect",
    "offer_conflicts",
    "outbound_staffing",
    "points_cycle",
    "points_for_bill",
    "points_for_bills",
    "points_needed",
    "points_value",
    "programme_economics",
    "qini_auc_score",
    "qini_curve",
    "qualifies_for_plan",
    "rates_by_group",
    "reason_shares",
    "retention",
    "retention_average",
    "retention_indicators",
    "retention_service",
    "retention_warning_list",
    "revenue_forecast",
    "sample_size",
    "scan_moments",
    "segment_size",
    "selection_funnel",
    "service_list",
    "simple_moment",
    "sla_report",
    "staffing",
    "suspension_check",
    "suspicious_follow_up",
    "suspicious_list",
    "to_fen",
    "to_frame",
    "trial_forecast",
    "uplift_at_k",
    "uplift_by_cell",
    "uplift_by_percentile",
    "value_by",
    "watch_list",
    "yuan",
]


def __getattr__(name: str) -> object:
    # The registries are built on first use: the rule modules import telcare.rules.registry.
    if name in _moved.RENAMED:
        import warnings

        new = _moved.RENAMED[name]
        warnings.warn(
            f"telcare.{name} is now telcare.{new}; the old name goes in the next release",
            DeprecationWarning,
            stacklevel=2,
        )
        return globals()[new]
    if name in ("MOMENTS", "RULES"):
        from telcare.rules import registry

        return getattr(registry, name)
    raise AttributeError(f"module 'telcare' has no attribute {name!r}")
