"""The retention warning list pinned exactly: the policy's priorities and time zone,
overdue flags, owners (none is ``""``), its JSON columns and the refusals' messages."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

import telcare as tc

AS_OF = date(2010, 12, 1)
SCAN = tc.scan_moments(AS_OF, used=[15_000, 15_000, 0, 0], allowance=[15_000] * 4,
                       alert_since=["2010-11-20", "2010-12-01", "2010-12-01", "2010-12-01"])  # fmt: skip
IDS = ["a", "b", "c", "d"]
# 20:00 UTC on 1 Dec is 2 Dec in Shanghai; 20:00 UTC on 30 Nov is 1 Dec there
CANCEL = [datetime(2010, 12, 1, 20, tzinfo=UTC), None,
          datetime(2010, 11, 30, 20, tzinfo=UTC), None]  # fmt: skip
PRIORITIES = {m.value: v for m, v in tc.default_policy().moments.priorities.items()}
CREDIT_FIRST_IN_UTC = tc.Policy.model_validate({"timezone": "UTC", "moments": {"priorities": {
    **PRIORITIES, "credit_alert": 1, "cancellation_request": 3}}})  # fmt: skip


def _list(**kw: Any) -> tc.WarningList:
    args: dict[str, Any] = {"monthly_spend": [10_000, 20_000, 5, 7],
                            "owner": ["li", "", "wang", "li"], "cancellation_due_by": CANCEL}  # fmt: skip
    return tc.retention_warning_list(SCAN, IDS, **(args | kw))


def test_the_list_as_json_under_the_default_policy() -> None:
    assert json.loads(json.dumps(_list().to_dict())) == {
        "id": ["b", "a", "c"],
        "moment": ["credit_alert", "cancellation_request", "cancellation_request"],
        "due_by": ["2010-12-02", "2010-12-02", "2010-12-01"],
        "overdue": [False, False, False],
        "value_at_risk": [240_000, 120_000, 60],
        "owner": ["", "li", "wang"],
    }


def test_the_list_follows_the_policys_priorities_and_time_zone() -> None:
    wl = _list(policy=CREDIT_FIRST_IN_UTC)
    # a's credit alert (overdue since 21 Nov) now outranks its cancellation; in UTC
    # c's cancellation was due on 30 Nov, so it is overdue on 1 Dec
    assert json.loads(json.dumps(wl.to_dict())) == {
        "id": ["b", "a", "c"],
        "moment": ["credit_alert", "credit_alert", "cancellation_request"],
        "due_by": ["2010-12-02", "2010-11-21", "2010-11-30"],
        "overdue": [False, True, True],
        "value_at_risk": [240_000, 120_000, 60],
        "owner": ["", "li", "wang"],
    }
    assert wl.overdue.dtype == bool and wl.rows.tolist() == [1, 0, 2]


def test_an_overdue_credit_alert_is_flagged_and_an_open_one_is_not() -> None:
    wl = _list(cancellation_due_by=None)
    assert (wl.ids.tolist(), wl.overdue.tolist()) == (["b", "a"], [False, True])
    assert wl.due_by.astype(str).tolist() == ["2010-12-02", "2010-11-21"]


@pytest.mark.parametrize(
    ("owner", "expect"),
    [(None, ["", "", ""]), (["", "", "", ""], ["", "", ""]), (["", "li", "", "li"], ["li", "", ""])],
)  # fmt: skip
def test_a_customer_without_an_owner_has_the_empty_owner(owner: Any, expect: list[str]) -> None:
    wl = _list(owner=owner)
    assert wl.owner.tolist() == expect
    assert wl.to_frame()["owner"].tolist() == expect


def test_the_frame_has_the_lists_columns_in_order() -> None:
    frame = _list().to_frame()
    assert list(frame.columns) == ["id", "moment", "due_by", "overdue", "value_at_risk", "owner"]
    assert frame["overdue"].tolist() == [False, False, False]


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"monthly_spend": [1, 2]},
         "columns must have equal lengths, got ids=4, monthly_spend=2, remaining_months=4, owner=4"),
        ({"monthly_spend": [1, True, 1, 1]},
         "monthly_spend must hold integers, got the bool True at index 1"),
        ({"monthly_spend": [10**12 + 1, 1, 1, 1]},
         "monthly_spend must be <= 1000000000000, got 1000000000001 at index 0"),
        ({"remaining_months": True}, "remaining_months must hold integers, got the bool True at index 0"),
        ({"remaining_months": [1, 1, True, 1]},
         "remaining_months must hold integers, got the bool True at index 2"),
        ({"remaining_months": 1_201}, "remaining_months must be <= 1200, got 1201 at index 0"),
        ({"remaining_months": [1, 1_201, 1, 1]}, "remaining_months must be <= 1200, got 1201 at index 1"),
    ],
)  # fmt: skip
def test_the_list_refuses_bad_columns_by_name(kw: dict[str, Any], message: str) -> None:
    with pytest.raises(tc.InvalidInput) as caught:
        _list(**kw)
    assert str(caught.value) == message


def test_the_most_months_at_risk_are_a_hundred_years() -> None:
    assert _list(remaining_months=1_200).value_at_risk.tolist() == [24_000_000, 12_000_000, 6_000]
    assert _list(remaining_months=[0, 1_200, 1, 1]).value_at_risk.tolist() == [24_000_000, 5, 0]


def test_the_list_needs_a_scan() -> None:
    with pytest.raises(tc.InvalidInput) as caught:
        tc.retention_warning_list({}, ["a"], monthly_spend=[1])  # type: ignore[arg-type]
    assert str(caught.value) == "retention_warning_list() needs a MomentScan, got dict"
