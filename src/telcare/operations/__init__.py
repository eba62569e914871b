"""The weekly operation: the action log, managers' books, the three name lists
(suspicious users, service list, retention warnings), complaints, agents and
the five reports.
"""

from __future__ import annotations

from telcare.operations._actionlog import ActionLog, action_log
from telcare.operations._agents import Funnel, Scorecard, coaching_scorecard, selection_funnel
from telcare.operations._books import ManagerBook, ServiceList, manager_book, service_list
from telcare.operations._complaints import (
    Complaint,
    ComplaintBook,
    ComplaintStatus,
    complaint_book,
    complaint_status,
    conflict_complaint,
)
from telcare.operations._grouping import grouped_report
from telcare.operations._log_reports import (
    callback_report,
    execution_report,
    retention_indicators,
)
from telcare.operations._namelists import WarningList, retention_warning_list
from telcare.operations._report import Report
from telcare.operations._reports import REPORTS, ReportRegistry, ReportSpec
from telcare.operations._retention import RETENTION_MOMENTS, WARNING_MOMENTS
from telcare.operations._state_reports import credit_bulletin, retention_service
from telcare.operations._suspicious import (
    SuspiciousCase,
    SuspiciousList,
    SuspiciousRow,
    suspicious_list,
)

__all__ = [
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
]
