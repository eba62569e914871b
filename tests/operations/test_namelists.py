"""The retention warning list: who is at risk, why, by when, and how much."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import given, strategies as st

import telcare as tc

AS_OF = date(2010, 12, 1)


@given(st.lists(st.tuples(st.integers(0, 20_000), st.integers(0, 50_000), st.integers(0, 50_000),
                          st.one_of(st.none(), st.integers(-3, 3)), st.integers(0, 24)),
                min_size=1, max_size=40))  # fmt: skip
def test_every_customer_at_risk_is_listed_once_by_value(rows: list[Any]) -> None:
    used, month, mean, cancel, months = (list(x) for x in zip(*rows, strict=True))
    scan = tc.scan_moments(AS_OF, used=used, allowance=[15_000] * len(rows), month_spend=month,
                           trailing_mean=mean)  # fmt: skip
    cancels = [None if c is None else AS_OF + timedelta(days=c) for c in cancel]
    ids = [f"c{i}" for i in range(len(rows))]
    wl = tc.retention_warning_list(scan, ids, monthly_spend=mean, remaining_months=months,
                                   cancellation_due_by=cancels)  # fmt: skip
    at_risk = {
        ids[i] for i in range(len(rows))
        if cancel[i] is not None
        or scan.status["credit_alert"][i] in (1, 3) or scan.status["usage_anomaly"][i] in (1, 3)
    }  # fmt: skip
    assert sorted(wl.ids.tolist()) == sorted(at_risk) and len(set(wl.ids.tolist())) == len(wl)
    assert list(wl.value_at_risk) == sorted(wl.value_at_risk, reverse=True)
    for i, row in enumerate(wl.rows.tolist()):
        assert wl.value_at_risk[i] == mean[row] * months[row]
        if cancel[row] is not None:  # the most urgent moment (priority 1)
            assert wl.moment[i] == "cancellation_request" and wl.overdue[i] == (cancel[row] < 0)


def test_the_list_as_a_frame_and_its_refusals() -> None:
    scan = tc.scan_moments(AS_OF, used=[15_000], allowance=[15_000])
    frame = tc.retention_warning_list(scan, ["a"], monthly_spend=[10_000], owner=["li"]).to_frame()
    assert frame.to_dict("records")[0]["moment"] == "credit_alert"
    assert frame.to_dict("records")[0]["value_at_risk"] == 120_000
    with pytest.raises(tc.InvalidInput, match="needs a MomentScan"):
        tc.retention_warning_list({}, ["a"], monthly_spend=[1])  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match="the scan has 1 rows for 2 ids"):
        tc.retention_warning_list(scan, ["a", "b"], monthly_spend=[1, 1])
    with pytest.raises(tc.InvalidInput, match="remaining_months must be >= 0"):
        tc.retention_warning_list(scan, ["a"], monthly_spend=[1], remaining_months=-1)
    empty = tc.retention_warning_list(tc.scan_moments(AS_OF, used=[0], allowance=[15_000]), ["a"],
                                      monthly_spend=[1])  # fmt: skip
    assert len(empty) == 0 and empty.moment.tolist() == [] and np.asarray(empty.ids).size == 0


def test_the_warning_moments_are_the_retention_moments_less_the_scheduled_one() -> None:
    from telcare.operations import _log_reports, _namelists, _retention

    assert (
        tuple(m for m in tc.RETENTION_MOMENTS if m not in _retention.SCHEDULED_RETENTION)
        == tc.WARNING_MOMENTS
    )
    assert set(tc.RETENTION_MOMENTS) - set(tc.WARNING_MOMENTS) == {tc.Moment.CONTRACT_EXPIRY}
    # both lists are read from the one module that names them, not written again
    assert _namelists.WARNING_MOMENTS is _retention.WARNING_MOMENTS is tc.WARNING_MOMENTS
    assert _log_reports.RETENTION_MOMENTS is _retention.RETENTION_MOMENTS is tc.RETENTION_MOMENTS


def test_an_expiring_contract_is_retention_work_but_no_warning() -> None:
    scan = tc.scan_moments(AS_OF, used=[0, 15_000], allowance=[15_000] * 2,
                           contract_ends_on=["2010-12-20", "2010-12-20"])  # fmt: skip
    assert scan.status["contract_expiry"].tolist() == [3, 3]  # overdue for both
    wl = tc.retention_warning_list(scan, ["a", "b"], monthly_spend=[10_000, 10_000])
    assert wl.ids.tolist() == ["b"] and wl.moment.tolist() == ["credit_alert"]
    book = tc.manager_book(["a", "b"], ["li", "li"])
    log = tc.action_log([0, 1], ["contract_expiry", "credit_alert"], ["2010-11-30"] * 2,
                        ["2010-12-20", "2010-12-02"], closed_on=["2010-12-01", None],
                        outcome=["retained", ""])  # fmt: skip
    report = tc.retention_indicators(log, book, "2010-W48")
    assert report.count("opened") == 2 and report.count("retained") == 1


def test_a_full_tie_goes_to_the_moment_watched_first() -> None:
    """Equal priority and deadline: the order of WARNING_MOMENTS settles it
    (cancellation before credit alert, as the list always had it)."""
    priorities = {m.value: v for m, v in tc.default_policy().moments.priorities.items()}
    policy = tc.Policy.model_validate({"moments": {"priorities": {
        **priorities, "cancellation_request": priorities["credit_alert"]}}})  # fmt: skip
    scan = tc.scan_moments(AS_OF, used=[15_000], allowance=[15_000])
    due = scan.due_by["credit_alert"][0]
    wl = tc.retention_warning_list(scan, ["a"], monthly_spend=[1], cancellation_due_by=[due],
                                   policy=policy)  # fmt: skip
    assert tc.WARNING_MOMENTS.index(tc.Moment.CANCELLATION_REQUEST) < tc.WARNING_MOMENTS.index(
        tc.Moment.CREDIT_ALERT
    )
    assert wl.moment.tolist() == ["cancellation_request"]


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint64])
def test_an_integer_id_column_lists_the_python_ints_a_list_of_them_lists(dtype: Any) -> None:
    """The warning list of a numpy integer id column keeps the ids as codes and makes a
    Python int only for the customers listed: the same list as from a list of ints."""
    scan = tc.scan_moments(AS_OF, used=[15_000, 0, 15_000], allowance=[15_000] * 3)
    top = 2**64 - 1 if dtype is np.uint64 else 7
    ids = np.array([top, 5, 3], dtype=dtype)
    wl = tc.retention_warning_list(scan, ids, monthly_spend=[10_000, 20_000, 30_000],
                                   owner=["li", "", "wang"])  # fmt: skip
    listed = tc.retention_warning_list(scan, [top, 5, 3], monthly_spend=[10_000, 20_000, 30_000],
                                       owner=["li", "", "wang"])  # fmt: skip
    assert wl.ids.tolist() == listed.ids.tolist() == [3, top]
    assert [type(i) for i in wl.ids.tolist()] == [int, int] and wl.ids.dtype == object
    assert wl.owner.tolist() == ["wang", "li"] and wl.to_dict() == listed.to_dict()
    json.dumps(wl.to_dict())


def test_a_list_without_owners_gives_each_listed_customer_an_empty_owner() -> None:
    scan = tc.scan_moments(AS_OF, used=[15_000, 0, 15_000], allowance=[15_000] * 3)
    wl = tc.retention_warning_list(scan, np.arange(3), monthly_spend=[1, 2, 3])
    assert wl.rows.tolist() == [2, 0] and wl.owner.tolist() == ["", ""]
