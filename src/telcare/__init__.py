"""telcare: the rules and scores of a mobile operator's high-value customer care.

Tiers and the mid-to-high-end segment, loyalty points, benefit eligibility,
the key moments of the customer life cycle and campaign-effect metrics, as
pure functions over frozen values (one customer) and numpy columns (a whole
base).  No I/O, no clock, no global state: callers pass ``as_of`` and the
:class:`Policy`.

Each domain concept is a package with its own public face (``telcare.tiers``,
``telcare.points``, ``telcare.benefits``, ``telcare.contact``,
``telcare.moments``, ``telcare.marketing``, ``telcare.operations``,
``telcare.whatif``, ``telcare.metrics``, ``telcare.policy``, ...); this module's
``__all__`` is their union.  Every package loads on first use (PEP 562), so
``import telcare`` costs little until a name is used.

>>> import telcare as tc
>>> tc.yuan("96")
9600
>>> tc.format_yuan(tc.points_value(5000, policy=tc.default_policy()))
'¥100.00'
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any

from telcare import _moved

__version__ = "0.1.0.dev0"

#: Each domain package and the names its face exports (its ``__all__``), foundation
#: first.  ``tests/test_public_api.py`` keeps this equal to the faces themselves.
FACES: dict[str, tuple[str, ...]] = {
    "_core": (
        "DuplicatePosting",
        "InsufficientPoints",
        "InvalidInput",
        "Period",
        "PointsCycle",
        "Reason",
        "TelcareError",
        "format_yuan",
        "local_date",
        "points_cycle",
        "to_fen",
        "to_frame",
        "yuan",
    ),
    "policy": (
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
    ),
    "compiled": (
        "CompiledPolicy",
        "compile_policy",
    ),
    "customers": (
        "AccountStatus",
        "Customer",
        "TierFloor",
        "Verification",
    ),
    "tiers": (
        "TierBatch",
        "TierDecision",
        "evaluate_tier",
        "evaluate_tiers",
        "mid_high_end",
        "segment_size",
    ),
    "points": (
        "SOURCES",
        "BookBalances",
        "BookTotals",
        "Economics",
        "HistoryEntry",
        "LedgerSummary",
        "Lot",
        "PointsBook",
        "PointsBreakdown",
        "PointsLedger",
        "Posting",
        "Redemption",
        "accrue_batch",
        "add_book_totals",
        "book_balances",
        "book_from_columns",
        "book_to_columns",
        "book_totals",
        "points_for_bill",
        "points_for_bills",
        "points_needed",
        "points_value",
        "programme_economics",
        "qualifies_for_plan",
    ),
    "benefits": (
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
    ),
    "contact": (
        "ContactCounts",
        "ContactDecision",
        "contact_allowed",
        "contact_counts",
        "contacts_allowed",
    ),
    "moments": (
        "MOMENTS",
        "SNAPSHOT_MOMENTS",
        "Action",
        "Activated",
        "BillIssued",
        "CallbackAttempt",
        "CancellationRequested",
        "ContactMade",
        "ContractEnding",
        "Event",
        "ManagerAssigned",
        "MomentRegistry",
        "MomentScan",
        "MomentSla",
        "MomentSpec",
        "Replay",
        "SlaReport",
        "SnapshotScan",
        "SpendReading",
        "TierChanged",
        "TutoringDone",
        "UsageReading",
        "Verified",
        "due_actions",
        "scan_moments",
        "simple_moment",
        "sla_report",
    ),
    "marketing": (
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
    ),
    "operations": (
        "REPORTS",
        "RETENTION_MOMENTS",
        "WARNING_MOMENTS",
        "ActionLog",
        "Complaint",
        "ComplaintBook",
        "ComplaintStatus",
        "Funnel",
        "ManagerBook",
        "Report",
        "ReportRegistry",
        "ReportSpec",
        "Scorecard",
        "ServiceList",
        "SuspiciousCase",
        "SuspiciousList",
        "SuspiciousRow",
        "WarningList",
        "action_log",
        "callback_report",
        "coaching_scorecard",
        "complaint_book",
        "complaint_status",
        "conflict_complaint",
        "credit_bulletin",
        "execution_report",
        "grouped_report",
        "manager_book",
        "retention_indicators",
        "retention_service",
        "retention_warning_list",
        "selection_funnel",
        "service_list",
        "suspicious_list",
    ),
    "whatif": (
        "CustomerBase",
        "PolicyComparison",
        "PolicyOutcome",
        "compare_policies",
    ),
    "metrics": (
        "AgentPerformance",
        "BootstrapInterval",
        "CallbackCounts",
        "CallbackKpis",
        "CampaignCounts",
        "CampaignReport",
        "CellUplift",
        "Figure",
        "GroupRates",
        "Rate",
        "Retention",
        "RetentionAverage",
        "RetentionCurve",
        "Staffing",
        "TrialForecast",
        "Uplift",
        "UpliftByPercentile",
        "ValueReport",
        "agent_performance",
        "bootstrap_interval",
        "callback_kpis",
        "campaign_report",
        "campaign_value",
        "compare",
        "erlang_c",
        "inbound_staffing",
        "list_utilisation",
        "minimum_detectable_effect",
        "outbound_staffing",
        "power",
        "qini_auc_score",
        "qini_curve",
        "rates_by_group",
        "reason_shares",
        "retention",
        "retention_average",
        "retention_curve",
        "revenue_forecast",
        "sample_size",
        "staffing",
        "trial_forecast",
        "uplift_at_k",
        "uplift_auc_score",
        "uplift_by_cell",
        "uplift_by_percentile",
        "uplift_curve",
        "value_by",
    ),
    "engines": (
        "RULES",
        "BatchRule",
        "Column",
    ),
}
#: Submodules that load on first use as attributes (``tc.frames``, ``tc.plot``, ...).
SUBMODULES = (
    "benefits", "cli", "compiled", "contact", "customers", "engines", "frames", "marketing",
    "metrics", "moments", "on_dask", "on_spark", "operations", "plot", "points", "policy",
    "strategies", "synthetic", "tiers", "whatif",
)  # fmt: skip

_EXPORTS = {name: package for package, names in FACES.items() for name in names}
__all__ = sorted(["__version__", *_EXPORTS], key=lambda n: (not n.isupper(), n))

_moved.install()


class _Telcare(ModuleType):
    """The package, guarding its public names: importing an old module of the same
    name (``import telcare.staffing``) must not bind the module over the function."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, ModuleType) and name in _EXPORTS:
            return
        super().__setattr__(name, value)

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # pickled by name, as a plain module is (cloudpickle, Dask's tokenizer)
        return importlib.import_module, (self.__name__,)


sys.modules[__name__].__class__ = _Telcare


def __getattr__(name: str) -> Any:
    package = _EXPORTS.get(name)
    if package is not None:
        value = getattr(importlib.import_module(f"telcare.{package}"), name)
    elif name in SUBMODULES:
        value = importlib.import_module(f"telcare.{name}")
    elif name in _moved.RENAMED:
        import warnings

        new = _moved.RENAMED[name]
        # ``from telcare import old`` asks twice: importlib's hasattr probe, then the
        # name itself; warn once, on the second
        caller = sys._getframe(1)
        if caller.f_code.co_name != "_handle_fromlist" or not caller.f_globals.get(
            "__name__", ""
        ).startswith("importlib"):
            warnings.warn(
                f"telcare.{name} is now telcare.{new}; the old name goes in the next release",
                DeprecationWarning,
                stacklevel=2,
            )
        return __getattr__(new)
    else:
        raise AttributeError(f"module 'telcare' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*__all__, *SUBMODULES})
