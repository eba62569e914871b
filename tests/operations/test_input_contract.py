"""The input contract of issue #28 in the weekly operation: labels never missing (or an
explicit none), aware datetimes read as their day in the policy's zone, moments known,
the programme row unshadowed, figures bounded, results JSON-ready; and every public
callable of operations attacked with one catalogue of hostile values."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st

import telcare as tc

UTC = UTC
SHANGHAI = ZoneInfo("Asia/Shanghai")
MISSING = [None, float("nan"), np.float32("nan"), pd.NA, pd.NaT, np.datetime64("NaT", "D")]
ZONES = ["Asia/Shanghai", "Etc/GMT+12", "Pacific/Kiritimati", "UTC"]  # UTC+8, UTC-12, UTC+14


def _policy(**changes: Any) -> tc.Policy:
    return tc.Policy.model_validate({**tc.default_policy().model_dump(mode="json"), **changes})


# ------------------------------------------------------------ 1. missing labels


def test_manager_book_refuses_a_nan_id_instead_of_making_the_customer_nan() -> None:
    with pytest.raises(tc.InvalidInput, match=r"ids is missing at index 1 \(got nan\)"):
        tc.manager_book(["a", float("nan")], ["li", "li"])


def test_manager_book_refuses_a_none_id_by_row_not_with_a_type_error() -> None:
    with pytest.raises(tc.InvalidInput, match=r"ids is missing at index 1 \(got None\)"):
        tc.manager_book(["a", None], ["li", "li"])


@pytest.mark.parametrize("missing", MISSING, ids=repr)
@pytest.mark.parametrize(
    ("column", "call"),
    [
        ("ids", lambda v: tc.manager_book(["a", v, "c"], ["li", "li", "li"])),
        ("ids", lambda v: tc.manager_book(pd.Series(["a", v, "c"], dtype=object), ["li"] * 3)),
        ("moment", lambda v: tc.action_log([0, 0], ["first_bill", v], ["2010-11-29"] * 2,
                                           ["2010-11-30"] * 2)),
        ("outcome", lambda v: tc.action_log([0, 0], ["first_bill"] * 2, ["2010-11-29"] * 2,
                                            ["2010-11-30"] * 2, outcome=["", v])),
        ("ids", lambda v: tc.retention_warning_list(
            tc.scan_moments(date(2010, 12, 1), used=[0, 0], allowance=[15_000] * 2),
            ["a", v], monthly_spend=[1, 1])),
        ("owner", lambda v: tc.retention_warning_list(
            tc.scan_moments(date(2010, 12, 1), used=[0, 0], allowance=[15_000] * 2),
            ["a", "b"], monthly_spend=[1, 1], owner=["li", v])),
        ("ids", lambda v: tc.manager_book(["a", "b"], ["li", "li"]).rows(["a", v])),
        ("moments", lambda v: tc.action_log([0], ["first_bill"], ["2010-11-29"],
                                            ["2010-11-30"]).of_moments(["first_bill", v])),
    ],
)  # fmt: skip
def test_a_missing_label_is_refused_naming_its_column_and_row(
    column: str, call: Callable[[Any], Any], missing: Any
) -> None:
    with pytest.raises(tc.InvalidInput, match=rf"^{column}\b.*(missing at index 1|\[1\])"):
        call(missing)


@pytest.mark.parametrize("missing", [*MISSING, ""], ids=repr)
def test_a_missing_manager_is_the_documented_none_never_a_manager_called_so(
    missing: Any,
) -> None:
    book = tc.manager_book(["a", "b"], ["li", missing], team=["north", missing])
    assert book.managers == ("li",) and book.teams == ("north",)
    assert book.manager.tolist() == [0, -1] and book.team().tolist() == [0, -1]
    report = tc.credit_bulletin([0, 3], [False, False], book, "2010-11")
    assert report.count("red", "(none)", level="manager") == 1 and "nan" not in report.groups


@pytest.mark.parametrize("column", ["manager", "team"])
def test_no_manager_or_team_may_be_called_like_the_none_row(column: str) -> None:
    kwargs = {"manager": ["li", "(none)"], "team": ["north", "north"]}
    kwargs[column] = ["li" if column == "manager" else "north", "(none)"]
    if column == "team":
        kwargs["manager"] = ["li", "wang"]
    with pytest.raises(tc.InvalidInput, match=rf"{column} '\(none\)' at index 1 is the reports'"):
        tc.manager_book(["a", "b"], kwargs["manager"], team=kwargs["team"])


# ------------------------------------------------------------ 2. aware datetimes


def test_action_log_reads_01_00_in_shanghai_as_that_day_not_the_utc_day_before() -> None:
    one_am = datetime(2010, 11, 29, 1, tzinfo=SHANGHAI)  # 28 November 17:00 UTC
    log = tc.action_log([0], ["first_bill"], [one_am], [one_am + timedelta(days=3)])
    assert log.opened_on.tolist() == [date(2010, 11, 29)] and log.due_by.tolist() == [
        date(2010, 12, 2)
    ]


def test_an_action_due_2_december_is_overdue_at_04_00_on_3_december_in_shanghai() -> None:
    log = tc.action_log([0], ["first_bill"], ["2010-11-29"], ["2010-12-02"])
    four_am = datetime(2010, 12, 3, 4, tzinfo=SHANGHAI)  # 2 December 20:00 UTC
    assert log.status_on(four_am).tolist() == ["overdue"]
    assert log.status_on(four_am.astimezone(UTC)).tolist() == ["overdue"]


def test_manager_book_since_is_the_day_in_the_policy_zone() -> None:
    at = datetime(2010, 11, 28, 17, tzinfo=UTC)
    assert tc.manager_book(["a"], ["li"], since=[at]).since.tolist() == [date(2010, 11, 29)]
    west = _policy(timezone="Etc/GMT+12")
    assert tc.manager_book(["a"], ["li"], since=[at], policy=west).since.tolist() == [
        date(2010, 11, 28)
    ]


def test_a_cancellation_due_2_december_is_overdue_on_the_3rd_in_shanghai() -> None:
    scan = tc.scan_moments(date(2010, 12, 3), used=[0], allowance=[15_000])
    due = datetime(2010, 12, 2, 20, tzinfo=UTC)  # 3 December 04:00 in Shanghai: due the 3rd
    wl = tc.retention_warning_list(scan, ["a"], monthly_spend=[1], cancellation_due_by=[due])
    assert wl.due_by.tolist() == [date(2010, 12, 3)] and wl.overdue.tolist() == [False]
    wl = tc.retention_warning_list(
        scan, ["a"], monthly_spend=[1], cancellation_due_by=[due - timedelta(hours=6)]
    )
    assert wl.due_by.tolist() == [date(2010, 12, 2)] and wl.overdue.tolist() == [True]


@given(
    st.datetimes(min_value=datetime(2010, 1, 1), max_value=datetime(2013, 12, 31),
                 timezones=st.sampled_from([UTC, SHANGHAI, ZoneInfo("Etc/GMT+12"),
                                            ZoneInfo("Pacific/Kiritimati")])),
    st.sampled_from(ZONES),
)  # fmt: skip
def test_every_day_in_operations_is_the_instant_s_day_in_the_policy_zone(
    at: datetime, zone: str
) -> None:
    policy = _policy(timezone=zone)
    day = at.astimezone(ZoneInfo(zone)).date()
    log = tc.action_log([0], ["first_bill"], [at], [at], closed_on=[at], policy=policy)
    assert log.opened_on.tolist() == log.due_by.tolist() == log.closed_on.tolist() == [day]
    assert log.status_on(at).tolist() == ["done"]
    book = tc.manager_book(["a"], ["li"], since=[at], policy=policy)
    assert book.since.tolist() == [day]
    sl = tc.service_list(book, [0], [False], [12_800], [1], [0], eligible_since=[at], as_of=at,
                         policy=policy)  # fmt: skip
    assert sl.as_of == day and sl.waiting_since.tolist() == [day]


@pytest.mark.parametrize("day", [date(2010, 11, 30), date(2010, 12, 1), date(2012, 2, 29)])
def test_the_edge_days_of_a_month_and_a_leap_day_are_read_as_given(day: date) -> None:
    log = tc.action_log([0], ["first_bill"], [day], [day.isoformat()])
    assert log.opened_on.tolist() == log.due_by.tolist() == [day]
    assert log.status_on(day).tolist() == ["open"]
    assert log.status_on(day + timedelta(days=1)).tolist() == ["overdue"]


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (datetime(2010, 11, 29, 9), "must be timezone-aware"),
        ("2010-11-29T09:00", "clock time"),
        (np.datetime64("2010-11-29T09:00"), "naive timestamp 2010-11-29T09:00"),
        (20101129, "must hold dates, got 20101129"),
        (True, "must hold dates, got True"),
        ("2010-02-29", "must hold dates"),
    ],
)
def test_a_day_that_is_not_one_is_refused_by_name(value: Any, match: str) -> None:
    with pytest.raises(tc.InvalidInput, match=rf"^opened_on\b.*{match}"):
        tc.action_log([0], ["first_bill"], [value], ["2010-11-30"])


# ------------------------------------------------------------ 3. unknown moments


def test_action_log_refuses_an_unknown_moment_by_name() -> None:
    with pytest.raises(tc.InvalidInput, match="moment 'frist_bill' at index 1 is no moment"):
        tc.action_log([0, 0], ["first_bill", "frist_bill"], ["2010-11-29"] * 2, ["2010-11-30"] * 2)


def test_every_builtin_moment_is_accepted_and_counted_by_the_execution_report() -> None:
    codes = [spec.code for spec in tc.MOMENTS]
    n = len(codes)
    log = tc.action_log(list(range(n)), codes, ["2010-11-29"] * n, ["2010-11-30"] * n)
    book = tc.manager_book([f"c{i}" for i in range(n)], ["li"] * n)
    assert tc.execution_report(log, book, "2010-W48").count("due") == n


def test_a_moment_of_a_registry_of_your_own_is_accepted_with_moments() -> None:
    spec = tc.MomentSpec("roaming_abroad", "Roaming abroad", number=8, events=(),
                         actions=lambda replay: [], channel=tc.Channel.PHONE, priority=3)  # fmt: skip
    registry = tc.MOMENTS.with_moment(spec)
    log = tc.action_log([0], ["roaming_abroad"], ["2010-11-29"], ["2010-11-30"], moments=registry)
    assert log.moments == ("roaming_abroad",)
    with pytest.raises(tc.InvalidInput, match="no moment of the registry"):
        tc.action_log([0], ["roaming_abroad"], ["2010-11-29"], ["2010-11-30"])
    with pytest.raises(tc.InvalidInput, match="moments must be a MomentRegistry"):
        tc.action_log([0], ["first_bill"], ["2010-11-29"], ["2010-11-30"], moments=["first_bill"])  # type: ignore[arg-type]


# ------------------------------------------------------------ 4. counting the right things


def test_a_manager_called_programme_does_not_shadow_the_programme_total() -> None:
    book = tc.manager_book(["a", "b", "c"], ["programme", "li", "li"])
    report = tc.credit_bulletin([3, 3, 0], [False] * 3, book, "2010-11")
    assert report.count("red") == 2 and report.count("accounts") == 3
    assert report.count("red", "programme", level="programme") == 2
    assert report.count("red", "programme", level="manager") == 1
    with pytest.raises(
        tc.InvalidInput, match=r"group 'programme' at the levels \['manager', 'programme'\]"
    ):
        report.count("red", "programme")
    assert [r["accounts"] for r in report.rows("programme")] == [3]


@given(st.lists(st.sampled_from(["programme", "li", "north", "(x)", ""]), min_size=1, max_size=8))
def test_the_programme_row_is_every_customer_whatever_the_managers_are_called(
    owners: list[str],
) -> None:
    n = len(owners)
    book = tc.manager_book([f"c{i}" for i in range(n)], owners,
                           team=["north" if o else "" for o in owners])  # fmt: skip
    report = tc.credit_bulletin([3] * n, [False] * n, book, "2010-11")
    assert report.count("red") == report.count("accounts") == n
    for level in ("manager", "team"):
        assert sum(r["red"] for r in report.rows(level)) == n


def test_the_service_list_names_the_segment_as_the_policy_calls_it() -> None:
    renamed = json.loads(
        json.dumps(tc.default_policy().model_dump(mode="json")).replace(
            '"mid_high_end"', '"premium"'
        )
    )
    renamed["benefits"]["rules"]["service_manager"].update(segments=["premium"], min_plan_fee=None)
    policy = tc.Policy.model_validate(renamed)
    book = tc.manager_book(["a", "b"], ["li", ""])
    sl = tc.service_list(book, [0, 0], [True, False], [5_800] * 2, [1, 1], [0, 0],
                         eligible_since=[None] * 2, as_of=date(2010, 12, 1), policy=policy)  # fmt: skip
    assert sl.eligible.tolist() == [True, False]
    assert sl.reason(0) == "qualifies: member of the premium segment; account active"
    assert sl.reason(1) == "does not qualify: not in the premium segment; account active"


def test_a_confirmed_case_without_its_reverification_date_is_refused() -> None:
    with pytest.raises(tc.InvalidInput, match="SuspiciousCase 'c1': confirmed needs reverified_on"):
        tc.SuspiciousCase("c1", date(2010, 10, 4), "op17", "own",
                          tc.CallbackFacts(signature_ok=False), confirmed=True)  # fmt: skip


@given(
    st.integers(0, 20),
    st.one_of(st.none(), st.integers(-3, 20)),
    st.sampled_from([None, True, False]),
    st.sampled_from(["own", "agent"]),
)
def test_a_case_is_accepted_exactly_when_suspicious_follow_up_accepts_its_facts(
    flag_day: int, reverify_day: int | None, confirmed: bool | None, channel: str
) -> None:
    flagged = date(2010, 10, 1) + timedelta(days=flag_day)
    reverified = None if reverify_day is None else flagged + timedelta(days=reverify_day)
    as_of = max(flagged, reverified or flagged)
    try:
        follow = tc.suspicious_follow_up(flagged, as_of=as_of, reverified_on=reverified,
                                         confirmed=confirmed, channel=channel)  # type: ignore[arg-type]  # fmt: skip
    except tc.InvalidInput:
        with pytest.raises(tc.InvalidInput):
            tc.SuspiciousCase("c1", flagged, "op", channel, tc.CallbackFacts(signature_ok=False),
                              reverified_on=reverified, confirmed=confirmed)  # fmt: skip
        return
    case = tc.SuspiciousCase("c1", flagged, "op", channel, tc.CallbackFacts(signature_ok=False),
                             reverified_on=reverified, confirmed=confirmed)  # fmt: skip
    row = tc.suspicious_list([case], as_of=as_of).rows[0]
    assert row.follow_up == follow
    assert tc.suspicious_list([case], as_of=as_of).penalty_by_developer == (
        {"op": follow.penalty} if follow.penalty else {}
    )


# ------------------------------------------------------------ 5. bounds and JSON


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("row", lambda: tc.action_log([10**30], ["first_bill"], ["2010-11-29"], ["2010-11-30"])),
        ("row", lambda: tc.action_log([2**40], ["first_bill"], ["2010-11-29"], ["2010-11-30"])),
        ("row", lambda: tc.action_log([0, True], ["first_bill"] * 2, ["2010-11-29"] * 2,
                                      ["2010-11-30"] * 2)),
        ("remaining_months", lambda: tc.retention_warning_list(
            tc.scan_moments(date(2010, 12, 1), used=[0], allowance=[15_000]), ["a"],
            monthly_spend=[1], remaining_months=10**30)),
        ("monthly_spend", lambda: tc.retention_warning_list(
            tc.scan_moments(date(2010, 12, 1), used=[0], allowance=[15_000]), ["a"],
            monthly_spend=[np.uint64(2**64 - 1)])),
        ("colour", lambda: tc.credit_bulletin([0, True], [False] * 2,
                                              tc.manager_book(["a", "b"], ["li"] * 2), "2010-11")),
        ("row", lambda: tc.service_list(
            tc.manager_book(["a"], ["li"]), [0], [False], [0], [1], [0], eligible_since=[None],
            as_of=date(2010, 12, 1)).reason(-1)),
        ("rows", lambda: tc.credit_bulletin([0], [False], tc.manager_book(["a"], ["li"]),
                                            "2010-11").only([0, 10**30])),
    ],
)  # fmt: skip
def test_a_figure_beyond_its_bound_or_a_bool_for_a_number_is_refused_by_name(
    name: str, call: Callable[[], Any]
) -> None:
    with pytest.raises(tc.InvalidInput, match=rf"^{name}\b"):
        call()


def test_every_result_of_operations_dumps_to_json_with_python_values() -> None:
    book = tc.manager_book(np.array(["a", "b"]), ["li", ""], since=[date(2010, 1, 1), None])
    log = tc.action_log(np.array([0, 1], dtype=np.int32), ["first_bill"] * 2, ["2010-11-29"] * 2,
                        ["2010-11-30"] * 2, closed_on=[None, "2010-11-30"])  # fmt: skip
    scan = tc.scan_moments(date(2010, 12, 1), used=[14_000, 0], allowance=[15_000] * 2)
    at = datetime(2010, 10, 4, 9, tzinfo=SHANGHAI)
    results = [
        book, log,
        tc.service_list(book, [0, 0], [False] * 2, np.array([12_800] * 2, dtype=np.int16), [1, 1],
                        [0, 0], eligible_since=[None] * 2, as_of=date(2010, 12, 1)),
        tc.retention_warning_list(scan, ["a", "b"], monthly_spend=np.array([5, 6], dtype=np.uint8)),
        tc.suspicious_list([tc.SuspiciousCase("c1", date(2010, 10, 4), "op", "own",
                                              tc.CallbackFacts(sms_failures=np.int64(3)))],
                           as_of=date(2010, 10, 12)),
        tc.complaint_book([tc.Complaint("k1", "c1", at, "billing", refund=np.int64(5))],
                          as_of=date(2010, 10, 8)),
        tc.selection_funnel(np.full((2, 7), 80, dtype=np.int8)),
        tc.execution_report(log, book, "2010-W48"),
    ]  # fmt: skip
    for result in results:
        assert json.loads(json.dumps(result.to_dict(), allow_nan=False)) == result.to_dict()
    assert tc.manager_book(["a"], ["li"], since=["2010-01-01"]).to_dict()["since"] == ["2010-01-01"]
    assert log.to_dict()["closed_on"] == [None, "2010-11-30"]
    assert all(type(v) is int for v in log.to_dict()["row"])


# ------------------------------------------------------------ 6. the attack table

HOSTILE: dict[str, Any] = {
    "None": None, "nan": float("nan"), "pd.NA": pd.NA, "pd.NaT": pd.NaT,
    "np.NaT": np.datetime64("NaT", "D"), "int8": np.int8(1), "int16": np.int16(1),
    "int32": np.int32(1), "int64": np.int64(1), "uint64": np.uint64(2**63 + 1),
    "float16": np.float16(1.5), "float32": np.float32(1), "bool": True, "np.bool": np.bool_(False),
    "str": "wang", "0-d": np.array(5), "0-d str": np.array("li"), "empty": np.array([]),
    "huge": 10**30, "-huge": -(10**30),
    "UTC-12": datetime(2010, 11, 30, 23, tzinfo=timezone(timedelta(hours=-12))),
    "UTC+14": datetime(2010, 12, 1, 1, tzinfo=timezone(timedelta(hours=14))),
    "naive": datetime(2010, 11, 30, 12), "30 Nov": date(2010, 11, 30), "1 Dec": date(2010, 12, 1),
    "29 Feb": date(2012, 2, 29), "float": 1.5, "dict": {"a": 1}, "bytes": b"li", "object": object(),
}  # fmt: skip

_BOOK = tc.manager_book(["a", "b", "c"], ["li", "", "wang"], team=["n", "", "s"])
_LOG = tc.action_log([0, 1, 2], ["first_bill", "credit_alert", "new_subscriber_callback"],
                     ["2010-11-29"] * 3, ["2010-12-02"] * 3, closed_on=["2010-11-30", None, None],
                     outcome=["", "retained", "genuine"])  # fmt: skip
_SCAN = tc.scan_moments(date(2010, 12, 1), used=[14_000, 0, 0], allowance=[15_000] * 3)
_AT = datetime(2010, 10, 4, 9, tzinfo=UTC)
_FACTS = tc.CallbackFacts(failed_attempt_slots=3)
_REPORT = tc.execution_report(_LOG, _BOOK, "2010-W48")
_SERVICE = {"book": _BOOK, "tier": [0] * 3, "segment_member": [False] * 3, "plan_fee": [12_800] * 3,
                "verification": [1] * 3, "status": [0] * 3, "eligible_since": [None] * 3,
                "as_of": date(2010, 12, 1)}  # fmt: skip

#: Every public callable of operations with a valid call; each argument is replaced in
#: turn by each hostile value (and, for a column, by a column holding it at row 1, and
#: by a column one row short).
CALLS: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {
    "manager_book": (tc.manager_book, {"ids": ["a", "b", "c"], "manager": ["li", "", "wang"],
                                           "team": ["n", "", "s"], "since": ["2010-01-01", None, None]}),
    "action_log": (tc.action_log, {"row": [0, 1], "moment": ["first_bill", "credit_alert"],
                                       "opened_on": ["2010-11-29"] * 2, "due_by": ["2010-12-02"] * 2,
                                       "closed_on": [None, "2010-11-30"], "outcome": ["", "retained"],
                                       "compliant": [True, False]}),
    "ManagerBook.rows": (_BOOK.rows, {"ids": ["a", "c"]}),
    "ManagerBook.manager_of": (_BOOK.manager_of, {"ids": ["a", "c"]}),
    "ActionLog.status_on": (_LOG.status_on, {"day": "2010-12-02"}),
    "ActionLog.of_moments": (_LOG.of_moments, {"moments": ["first_bill", "birthday"]}),
    "ActionLog.from_actions": (tc.ActionLog.from_actions, {"actions": [], "book": _BOOK, "genuine": ()}),
    "service_list": (tc.service_list, _SERVICE),
    "ServiceList.reason": (tc.service_list(**_SERVICE).reason, {"row": 0}),
    "ServiceList.manager_rows": (tc.service_list(**_SERVICE).manager_rows, {"manager": "li"}),
    "retention_warning_list": (tc.retention_warning_list, {
        "scan": _SCAN, "ids": ["a", "b", "c"], "monthly_spend": [1, 2, 3], "remaining_months": 12,
        "cancellation_due_by": [None, "2010-12-02", None], "owner": ["li", "", "wang"]}),
    "execution_report": (tc.execution_report, {"log": _LOG, "book": _BOOK, "period": "2010-W48"}),
    "retention_indicators": (tc.retention_indicators, {"log": _LOG, "book": _BOOK, "week": "2010-W48"}),
    "callback_report": (tc.callback_report, {"log": _LOG, "book": _BOOK, "week": "2010-W48"}),
    "retention_service": (tc.retention_service, {"active": np.ones((3, 2), bool),
                                                     "months": ["2010-10", "2010-11"], "book": _BOOK,
                                                     "month": "2010-11"}),
    "credit_bulletin": (tc.credit_bulletin, {"colour": [0, 1, 3], "suspended": [False, True, False],
                                                 "book": _BOOK, "period": "2010-W48",
                                                 "previous_colour": [0, 0, 0],
                                                 "previous_suspended": [False] * 3}),
    "grouped_report": (tc.grouped_report, {"name": "vip", "title": "VIP", "book": _BOOK, "period": "2010-11",
                                               "counter": lambda p: {"vip": [0, 2], "all": [0, 1, 2]},
                                               "rates": {"share": ("vip", "all")}}),
    "Report.count": (_REPORT.count, {"name": "due", "group": "li", "level": "manager"}),
    "Report.rate": (_REPORT.rate, {"name": "on_time", "group": "li"}),
    "Report.vs_previous": (_REPORT.vs_previous, {"name": "on_time", "group": "li"}),
    "Report.only": (_REPORT.only, {"rows": [0, 1]}),
    "Report.rows": (_REPORT.rows, {"level": "manager"}),
    "SuspiciousCase": (tc.SuspiciousCase, {"customer_id": "c1", "flagged_on": date(2010, 10, 4),
                                               "developer": "op", "channel": "own", "facts": _FACTS,
                                               "reverified_on": date(2010, 10, 6), "confirmed": True}),
    "suspicious_list": (tc.suspicious_list, {
        "cases": [tc.SuspiciousCase("c1", date(2010, 10, 4), "op", "own", _FACTS)],
        "as_of": date(2010, 10, 12)}),
    "Complaint": (tc.Complaint, {"id": "k1", "customer_id": "c1", "at": _AT, "type": "billing", "owner": "li",
                                     "resolved_at": _AT, "resolution": "ok", "refund": 5}),
    "complaint_status": (tc.complaint_status, {"complaint": tc.Complaint("k1", "c1", _AT, "billing"),
                                                   "as_of": date(2010, 10, 8)}),
    "complaint_book": (tc.complaint_book, {
        "complaints": [tc.Complaint("k1", "c1", _AT, "billing", owner="li")], "as_of": date(2010, 10, 8)}),
    "coaching_scorecard": (tc.coaching_scorecard, {
        "agent": "li", "stage_scores": dict.fromkeys(tc.CALL_STAGES, 80),
        "skill_scores": dict.fromkeys(tc.CALL_SKILLS, 90)}),
    "selection_funnel": (tc.selection_funnel, {"scores": [[80] * 7]}),
    "Funnel.pass_rate": (tc.selection_funnel([[80] * 7]).pass_rate,
                         {"step": tc.SELECTION_STEPS[0]}),
}  # fmt: skip


def _variants(base: Any) -> list[tuple[str, Callable[[Any], Any]]]:
    out: list[tuple[str, Callable[[Any], Any]]] = [("as the argument", lambda h: h)]
    if isinstance(base, list) and base:
        out.append(("at row 1", lambda h: [base[0], h, *base[2:]] if len(base) > 1 else [h]))
        out.append(("one row short", lambda h: base[:-1]))
    return out


@pytest.mark.parametrize("callable_name", sorted(CALLS))
def test_every_hostile_value_gets_an_answer_or_an_invalid_input(callable_name: str) -> None:
    """A correct answer (one that dumps to JSON) or ``InvalidInput``; never a bare
    TypeError, KeyError, IndexError, OverflowError, ZeroDivisionError or a warning."""
    fn, kwargs = CALLS[callable_name]
    fn(**kwargs)  # the valid call answers
    failures = []
    for argument, base in kwargs.items():
        for where, place in _variants(base):
            for hostile_name, hostile in HOSTILE.items():
                try:
                    result = fn(**{**kwargs, argument: place(hostile)})
                    if hasattr(result, "to_dict"):
                        json.dumps(result.to_dict(), allow_nan=False)
                except tc.InvalidInput:
                    continue
                except Exception as exc:
                    failures.append(
                        f"{argument}={hostile_name} {where}: {type(exc).__name__}: {exc}"
                    )
    assert failures == []


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: tc.manager_book(["a", "b"], np.array(["li", ""])).sizes(), {"li": 1}),
        (lambda: tc.manager_book(np.array([3, 1], dtype=np.uint16), ["x", "y"]).rows(
            [np.int8(1)]).tolist(), [1]),
        (lambda: tc.action_log(np.array([0], dtype=np.uint8), ["first_bill"], ["2010-11-29"],
                               ["2010-11-30"]).row.dtype, np.dtype(np.int64)),
        (lambda: tc.retention_warning_list(
            tc.scan_moments(date(2010, 12, 1), used=[15_000], allowance=[15_000]), [np.int64(7)],
            monthly_spend=[np.int32(10)], remaining_months=np.int8(3)).to_dict()["value_at_risk"],
         [30]),
        (lambda: tc.action_log([0], ["first_bill"], ["2010-11-29"], ["2010-11-30"]).of_moments(
            np.array(["first_bill"])).tolist(), [True]),
    ],
)  # fmt: skip
def test_numpy_values_of_any_width_read_as_their_python_values(
    call: Callable[[], Any], expected: Any
) -> None:
    assert call() == expected


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("ids", lambda: tc.manager_book("abc", ["x"] * 3)),
        ("manager", lambda: tc.manager_book(["a", "b", "c"], "abc")),
        ("moments", lambda: tc.action_log([0], ["first_bill"], ["2010-11-29"],
                                          ["2010-11-30"]).of_moments("first_bill")),
        ("moment", lambda: tc.action_log([0], "first_bill", ["2010-11-29"], ["2010-11-30"])),
        ("opened_on", lambda: tc.action_log([0], ["first_bill"], "2010-11-29", ["2010-11-30"])),
        ("ids", lambda: tc.retention_warning_list(
            tc.scan_moments(date(2010, 12, 1), used=[0], allowance=[15_000]), "a",
            monthly_spend=[1])),
        ("months", lambda: tc.retention_service(np.ones((1, 1), bool), "2010-11",
                                                tc.manager_book(["a"], ["li"]), "2010-11")),
        ("ids", lambda: tc.manager_book(["a", "b"], ["li", "li"]).rows("ab")),
    ],
)  # fmt: skip
def test_one_str_where_a_column_belongs_is_refused_not_read_letter_by_letter(
    name: str, call: Callable[[], Any]
) -> None:
    with pytest.raises(tc.InvalidInput, match=rf"^{name}\b"):
        call()


def test_an_unknown_rate_asked_against_the_period_before_is_refused_not_nan() -> None:
    with pytest.raises(tc.InvalidInput, match="no rate 'speed'"):
        _REPORT.vs_previous("speed")
    with pytest.raises(tc.InvalidInput, match="no group 'x'"):
        _REPORT.vs_previous("on_time", "x")


@pytest.mark.parametrize("odd", [pd.NA, np.array(["manager"]), ["manager"], 3])
def test_an_odd_level_or_step_name_is_refused_by_name(odd: Any) -> None:
    with pytest.raises(tc.InvalidInput, match="level must be one of"):
        _REPORT.rows(odd)
    with pytest.raises(tc.InvalidInput, match="unknown step"):
        tc.selection_funnel([[80] * 7]).pass_rate(odd)


@pytest.mark.parametrize(
    ("ids", "match"),
    [
        (np.array(["a", ""]), r"ids\[1\] must be a label without edge whitespace, got ''"),
        (np.array(["a", " b"]), r"ids\[1\] must be a label without edge whitespace, got ' b'"),
        (np.array([3, 3], dtype=np.int16), "customer 3 appears twice"),
        (["a", "a"], "customer 'a' appears twice"),
        (np.array([2**64 - 1], dtype=np.uint64), "ids holds 18446744073709551615 at index 0"),
        (["a", 1], "ids must hold text or integer labels, not both"),
    ],
)
def test_a_numpy_or_list_id_column_is_checked_alike(ids: Any, match: str) -> None:
    with pytest.raises(tc.InvalidInput, match=match):
        tc.manager_book(ids, ["x"] * len(ids))


def test_a_mismatched_column_is_refused_naming_it() -> None:
    with pytest.raises(tc.InvalidInput, match="since has 1 rows for 2"):
        tc.manager_book(["a", "b"], ["li", "li"], since=["2010-01-01"])
    with pytest.raises(tc.InvalidInput, match="manager has 1 rows for 2 customers"):
        tc.manager_book(["a", "b"], ["li"])
    with pytest.raises(tc.InvalidInput, match="cancellation_due_by has 2 rows for 1"):
        tc.retention_warning_list(tc.scan_moments(date(2010, 12, 1), used=[0], allowance=[15_000]),
                                  ["a"], monthly_spend=[1], cancellation_due_by=[None, None])  # fmt: skip
    with pytest.raises(tc.InvalidInput, match="closed_on has 1 rows for 2"):
        tc.action_log([0, 0], ["first_bill"] * 2, ["2010-11-29"] * 2, ["2010-11-30"] * 2,
                      closed_on=[None])  # fmt: skip


def test_a_channel_or_type_given_as_an_array_is_refused_not_taken_as_its_element() -> None:
    with pytest.raises(tc.InvalidInput, match=r"SuspiciousCase\.channel must be one of"):
        tc.SuspiciousCase("c1", date(2010, 10, 4), "op", np.array(["own"]), _FACTS)  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match=r"Complaint\.type must be one of"):
        tc.Complaint("k1", "c1", _AT, np.array(["billing"]))  # type: ignore[arg-type]
