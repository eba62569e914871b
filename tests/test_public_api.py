"""The public surface: exactly what ``telcare.__all__`` promises, no more, no less."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import warnings
from pathlib import Path
from types import ModuleType

import pytest

import telcare as tc
from telcare import _moved

FOUNDATION = {
    "BENEFITS", "AccountStatus", "Benefit", "BenefitRule", "BenefitsPolicy", "Channel",
    "ContactPolicy", "CreditPolicy", "Customer", "DuplicatePosting", "InsufficientPoints",
    "InvalidInput", "Moment", "MomentsPolicy", "PointsCycle", "PointsPolicy", "Policy",
    "SegmentPolicy", "ServiceHours", "TelcareError", "TierFloor", "TierPolicy", "TierRule", "Verification",
    "VerificationPolicy", "__version__", "default_policy", "format_yuan", "local_date",
    "points_cycle", "to_fen", "yuan", "PolicySchedule", "ScheduleChange", "Reason",
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
    "points_value", "programme_economics", "qualifies_for_plan", "PointsBook",
    "BookBalances", "BookTotals", "add_book_totals", "book_balances", "book_from_columns",
    "book_to_columns", "book_totals",
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
    "ContactCounts", "contact_counts", "contacts_allowed",
}  # fmt: skip
METRICS = {
    "CallbackCounts", "CallbackKpis", "CampaignCounts", "CampaignReport", "Figure", "Retention",
    "Uplift", "ValueReport", "callback_kpis", "campaign_report", "campaign_value", "compare",
    "minimum_detectable_effect", "retention", "RetentionAverage", "retention_average", "revenue_forecast", "sample_size", "GroupRates", "power",
    "rates_by_group", "Staffing", "erlang_c", "inbound_staffing", "outbound_staffing", "staffing",
    "RetentionCurve", "retention_curve",
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
    "OFFER_GATES", "GateCase", "GateContext", "OfferGate", "OfferGates",
    "Campaign", "ControlGroup", "Usage", "holdout", "SampleRatio", "sample_ratio_check",
    "ALLOCATION_REASONS", "Allocation", "allocate",
    "CellUplift", "UpliftByPercentile", "qini_auc_score", "qini_curve", "uplift_at_k",
    "uplift_by_cell", "uplift_by_percentile", "uplift_auc_score", "uplift_curve",
    "BootstrapInterval", "bootstrap_interval",
}  # fmt: skip
OPERATIONS = {
    "ActionLog", "action_log", "ManagerBook", "ServiceList", "manager_book", "service_list",
    "Period", "REPORTS", "RETENTION_MOMENTS", "Report", "callback_report", "credit_bulletin",
    "execution_report", "retention_indicators", "retention_service",
    "ReportRegistry", "ReportSpec", "WARNING_MOMENTS", "grouped_report",
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
    target = _moved.MOVED[old]
    for name in [
        n for n in sys.modules if n == f"telcare.{old}" or n.startswith(f"telcare.{old}.")
    ]:
        sys.modules.pop(name)
    if "." in old:  # the parent's own warning is another test's business: import it first
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            importlib.import_module(f"telcare.{old.rpartition('.')[0]}")
    home = re.escape(_moved.home(old))
    with pytest.warns(
        DeprecationWarning, match=rf"telcare\.{re.escape(old)} moved: import its names from {home} "
    ):
        module = importlib.import_module(f"telcare.{old}")
    if target:
        assert module is importlib.import_module(
            "telcare" if target == "telcare" else f"telcare.{target}"
        )
    else:  # an old layer: a stand-in package whose modules the hook answers
        assert module.__path__ == []
    assert not [name for name in tc.__all__ if isinstance(getattr(tc, name), ModuleType)]


def test_an_old_path_answers_with_the_same_objects_as_the_new_one() -> None:
    for old in ("telcare.rules", "telcare.rules.tiers", "telcare.app", "telcare.app.synthetic"):
        sys.modules.pop(old, None)
    for layer in ("rules", "app"):
        with pytest.warns(DeprecationWarning, match=rf"telcare\.{layer} moved"):
            importlib.import_module(f"telcare.{layer}")
    with pytest.warns(DeprecationWarning, match=r"telcare\.rules\.tiers moved"):
        from telcare.rules.tiers import evaluate_tier  # type: ignore[import-not-found]
    with pytest.warns(DeprecationWarning, match=r"telcare\.app\.synthetic moved"):
        from telcare.app.synthetic import generate_base  # type: ignore[import-not-found]
    assert evaluate_tier is tc.evaluate_tier
    assert generate_base is importlib.import_module("telcare.synthetic").generate_base


def test_the_top_level_is_the_union_of_the_package_faces() -> None:
    union: set[str] = set()
    for package, names in tc.FACES.items():
        face = importlib.import_module(f"telcare.{package}")
        assert tuple(face.__all__) == names, package
        assert not set(names) & union, f"{package} repeats {set(names) & union}"
        union |= set(names)
        for name in names:
            assert getattr(tc, name) is getattr(face, name)
    assert set(tc.__all__) == union | {"__version__"}


def test_dir_shows_the_public_names_and_the_packages_and_nothing_stray() -> None:
    shown = set(dir(tc))
    assert set(tc.__all__) <= shown
    assert set(tc.SUBMODULES) <= shown
    assert not {"annotations", "importlib", "Any", "_moved", "_core"} & shown
    assert shown - set(tc.__all__) == set(tc.SUBMODULES)


def test_an_unknown_name_is_an_attribute_error_naming_it() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'evaluate_tierz'"):
        tc.evaluate_tierz  # noqa: B018


def test_the_type_checkers_view_lists_every_face() -> None:
    stub = (Path(tc.__file__).parent / "__init__.pyi").read_text()
    for package in tc.FACES:
        assert f"from telcare.{package} import *" in stub
    for module in tc.SUBMODULES:
        assert f"    {module} as {module}," in stub


def test_a_module_named_like_a_function_does_not_replace_the_function() -> None:
    sys.modules.pop("telcare.staffing", None)
    with pytest.warns(DeprecationWarning, match=r"telcare\.staffing moved"):
        import telcare.staffing
    import telcare.metrics.staffing  # noqa: F401

    assert tc.staffing(8001) == 3
    assert tc.metrics.staffing(8001) == 3
    assert sys.modules["telcare.staffing"] is importlib.import_module("telcare.metrics._staffing")
    assert sys.modules["telcare.metrics.staffing"] is sys.modules["telcare.staffing"]


def test_the_public_submodules_did_not_move() -> None:
    import telcare.on_dask
    import telcare.plot
    import telcare.strategies

    assert telcare.strategies.customers is telcare.strategies.customers
    assert telcare.plot.__all__ == telcare.plot.__all__
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


def test_the_package_pickles_by_name_like_any_module() -> None:
    import pickle

    assert pickle.loads(pickle.dumps(tc)) is tc
