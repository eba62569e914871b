"""The public surface: exactly what ``telcare.__all__`` promises, no more, no less."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from types import ModuleType

import pytest

import telcare as tc
from telcare import _moved

FOUNDATION = {
    "BENEFITS", "AccountStatus", "Benefit", "BenefitRule", "BenefitsPolicy", "Channel",
    "ContactPolicy", "CreditPolicy", "Customer", "DuplicatePosting", "InsufficientPoints",
    "InvalidInput", "Moment", "MomentsPolicy", "PointsCycle", "PointsPolicy", "Policy",
    "SegmentPolicy", "ServiceHours", "TelcareError", "TierPolicy", "TierRule", "Verification",
    "VerificationPolicy", "__version__", "default_policy", "format_yuan", "local_date",
    "points_cycle", "to_fen", "yuan",
}  # fmt: skip
TIERS = {
    "TierBatch",
    "TierDecision",
    "evaluate_tier",
    "evaluate_tiers",
    "mid_high_end",
    "segment_size",
}
POINTS = {
    "SOURCES", "HistoryEntry", "LedgerSummary", "Lot", "PointsLedger", "Posting", "Redemption",
    "Economics", "PointsBreakdown", "points_for_bills", "points_for_bill", "points_needed",
    "points_value", "programme_economics", "qualifies_for_plan",
}  # fmt: skip
BENEFITS = {
    "BENEFIT_CODES", "BenefitDecision", "check_benefits", "check_benefit", "eligible_benefits",
    "Suspension", "credit_allowance", "credit_allowances", "check_suspension", "check_suspensions",
    "accrue_batch", "benefit_matrix", "suspension_check",
    "CallbackFacts", "Suspicion", "is_suspicious", "watch_list", "FollowUp", "suspicious_follow_up",
}  # fmt: skip
MOMENTS = {
    "Activated", "BillIssued", "CallbackAttempt", "CancellationRequested", "ContactMade",
    "ContractEnding", "Event", "ManagerAssigned", "SpendReading", "TierChanged", "TutoringDone",
    "UsageReading", "Verified", "Action", "MomentSla", "SlaReport", "due_actions", "sla_report",
    "ContactDecision", "contact_allowed", "SNAPSHOT_MOMENTS", "MomentScan", "scan_moments", "Rate",
}  # fmt: skip
METRICS = {
    "CallbackCounts", "CallbackKpis", "CampaignCounts", "CampaignReport", "Figure", "Retention",
    "Uplift", "ValueReport", "callback_kpis", "campaign_report", "campaign_value", "compare",
    "minimum_detectable_effect", "retention", "RetentionAverage", "retention_average", "revenue_forecast", "sample_size", "GroupRates",
    "rates_by_group", "Staffing", "erlang_c", "inbound_staffing", "outbound_staffing", "staffing",
}  # fmt: skip
REGISTRY = {
    "MOMENTS", "RULES", "BatchRule", "Column", "MomentRegistry", "MomentSpec", "SnapshotScan",
    "Replay", "simple_moment", "CompiledPolicy", "compile_policy",
}  # fmt: skip
TARGETING = {
    "SuspiciousCase", "SuspiciousList", "SuspiciousRow", "suspicious_list",
    "WarningList", "retention_warning_list",
    "COMPLAINT_TYPES", "ComplaintsPolicy", "Complaint", "ComplaintBook", "ComplaintStatus",
    "complaint_book", "complaint_status", "conflict_complaint",
    "CALL_SKILLS", "CALL_STAGES", "SELECTION_STEPS", "AgentsPolicy", "Funnel", "Scorecard",
    "coaching_scorecard", "selection_funnel",
    "AgentPerformance", "TrialForecast", "agent_performance", "list_utilisation",
    "reason_shares", "trial_forecast", "value_by",
    "PROJECT_TYPES", "Offer", "OfferCatalogue", "OfferDecision", "OfferMatch", "Prospect",
    "best_offers", "match_offer", "match_offers", "offer_conflicts", "CallList", "call_lists",
    "CellUplift", "UpliftByPercentile", "qini_auc_score", "qini_curve", "uplift_at_k",
    "uplift_by_cell", "uplift_by_percentile",
}  # fmt: skip
OPERATIONS = {
    "ActionLog", "action_log", "ManagerBook", "ServiceList", "manager_book", "service_list",
    "Period", "REPORTS", "RETENTION_MOMENTS", "Report", "callback_report", "credit_bulletin",
    "execution_report", "retention_indicators", "retention_service",
}  # fmt: skip
WHATIF = {"CustomerBase", "PolicyComparison", "PolicyOutcome", "compare_policies"}
EXPECTED = (
    FOUNDATION
    | TIERS
    | POINTS
    | BENEFITS
    | MOMENTS
    | METRICS
    | REGISTRY
    | WHATIF
    | TARGETING
    | OPERATIONS
    | {"to_frame"}
)


def test_all_is_exactly_the_public_surface() -> None:
    assert set(tc.__all__) == EXPECTED
    assert len(tc.__all__) == len(set(tc.__all__))
    star: dict[str, object] = {}
    exec("from telcare import *", star)
    assert set(star) - {"__builtins__"} == EXPECTED


def test_every_public_function_has_a_runnable_example() -> None:
    import inspect

    missing = [
        name
        for name in tc.__all__
        if inspect.isfunction(getattr(tc, name)) and ">>>" not in (getattr(tc, name).__doc__ or "")
    ]
    assert missing == []


def test_every_exported_name_exists() -> None:
    missing = [name for name in tc.__all__ if not hasattr(tc, name)]
    assert missing == []


def test_public_callables_have_docstrings() -> None:
    undocumented = [
        name
        for name in tc.__all__
        if callable(getattr(tc, name)) and not (getattr(tc, name).__doc__ or "").strip()
    ]
    assert undocumented == []


def test_core_imports_without_hypothesis_or_pandas() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None; sys.modules['pandas'] = None; "
        "import telcare; telcare.default_policy(); print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


@pytest.mark.parametrize("old", sorted(set(_moved.MOVED) - set(_moved.SHADOWED)))
def test_an_old_module_path_still_imports_and_names_its_new_home(old: str) -> None:
    new = f"telcare.{_moved.MOVED[old]}"
    sys.modules.pop(f"telcare.{old}", None)
    with pytest.warns(DeprecationWarning, match=rf"telcare\.{old} moved to {re.escape(new)}"):
        module = importlib.import_module(f"telcare.{old}")
    assert module is importlib.import_module(new)
    assert not [name for name in tc.__all__ if isinstance(getattr(tc, name), ModuleType)]


def test_a_module_named_like_a_function_does_not_replace_the_function() -> None:
    import telcare.staffing  # noqa: F401

    assert tc.staffing(8001) == 3
    assert sys.modules["telcare.staffing"] is importlib.import_module("telcare.metrics.staffing")


def test_the_public_submodules_did_not_move() -> None:
    import telcare.kit.plot
    import telcare.kit.strategies
    import telcare.on_dask
    import telcare.plot
    import telcare.strategies

    assert telcare.strategies.customers is telcare.kit.strategies.customers
    assert telcare.plot.__all__ == telcare.kit.plot.__all__
    assert "evaluate_tiers" in telcare.on_dask.__all__


def test_the_contract_names_are_the_rule_following_functions() -> None:
    assert tc.accrue_batch is tc.points_for_bills
    assert tc.benefit_matrix is tc.check_benefits
    assert tc.suspension_check is tc.check_suspension


@pytest.mark.parametrize(("old", "new"), sorted(_moved.RENAMED.items()))
def test_a_renamed_function_still_answers_with_a_warning(old: str, new: str) -> None:
    with pytest.warns(DeprecationWarning, match=rf"telcare\.{old} is now telcare\.{new}"):
        function = getattr(tc, old)
    assert function is getattr(tc, new)
    assert old not in tc.__all__
