"""The SLA report: counts per moment, completion and timeliness, its views."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

import telcare as tc

STATUSES = ("open", "done", "overdue")
MOMENTS = [
    tc.Moment.FIRST_BILL,
    tc.Moment.CREDIT_ALERT,
    tc.Moment.NEW_SUBSCRIBER_CALLBACK,
    "loyalty_call",
]


def action(moment: object, status: str, late: bool = False) -> tc.Action:
    due = date(2010, 1, 4)
    closed = due + timedelta(days=1 if late else 0) if status == "done" else None
    return tc.Action(moment, "c1", date(2010, 1, 1), due, status, tc.Channel.PHONE, 4, "why",
                     closed_on=closed)  # fmt: skip


actions = st.lists(
    st.builds(action, st.sampled_from(MOMENTS), st.sampled_from(STATUSES), st.booleans()),
    max_size=30,
)


@given(actions)
def test_every_count_is_the_count_of_its_actions(found: list[tc.Action]) -> None:
    report = tc.sla_report(found)
    assert sum(row.total for row in report.rows) == len(found)
    for row in report.rows:
        mine = [a for a in found if a.moment == row.moment]
        assert row.total == len(mine)
        assert row.done == sum(a.status == "done" for a in mine)
        assert row.open == sum(a.status == "open" for a in mine)
        assert row.overdue == sum(a.status == "overdue" for a in mine)
        assert row.on_time == sum(a.status == "done" and a.closed_on <= a.due_by for a in mine)  # type: ignore[operator]
        assert (row.completion.numerator, row.completion.denominator) == (row.done, row.total)
        assert (row.timeliness.numerator, row.timeliness.denominator) == (
            row.on_time, row.done + row.overdue,
        )  # fmt: skip


def test_rows_come_in_moment_order_then_registered_moments_by_code() -> None:
    found = [action("zz_call", "open"), action("aa_call", "open"), action(tc.Moment.CREDIT_ALERT, "open"),
             action(tc.Moment.FIRST_BILL, "open")]  # fmt: skip
    assert [str(r.moment) for r in tc.sla_report(found).rows] == [
        "first_bill", "credit_alert", "aa_call", "zz_call",
    ]  # fmt: skip


def test_a_moment_without_actions_reads_as_zeros_of_that_moment() -> None:
    report = tc.sla_report([action(tc.Moment.FIRST_BILL, "done")])
    empty = report[tc.Moment.BIRTHDAY]
    assert (empty.moment, empty.total, empty.done, empty.on_time, empty.open, empty.overdue) == (
        tc.Moment.BIRTHDAY, 0, 0, 0, 0, 0,
    )  # fmt: skip
    assert report["loyalty_call"].moment == "loyalty_call" and report["loyalty_call"].total == 0
    assert report[tc.Moment.FIRST_BILL].done == 1


def test_the_report_as_a_frame_and_as_html() -> None:
    pytest.importorskip("pandas")
    found = [action(tc.Moment.FIRST_BILL, "done"), action(tc.Moment.FIRST_BILL, "overdue"),
             action(tc.Moment.CREDIT_ALERT, "done", late=True), action(tc.Moment.CREDIT_ALERT, "open")]  # fmt: skip
    report = tc.sla_report(found)
    frame = report.to_frame()
    assert frame.to_dict("list") == {
        "moment": ["first_bill", "credit_alert"],
        "total": [2, 2],
        "done": [1, 1],
        "on_time": [1, 0],
        "open": [0, 1],
        "overdue": [1, 0],
        "completion": [0.5, 0.5],
        "timeliness": [0.5, 0.0],
    }
    html = report._repr_html_()
    assert "SLA report" in html and "first_bill" in html and "1/2 done, 1 overdue" in html


def test_sla_report_refuses_what_is_not_actions() -> None:
    with pytest.raises(tc.InvalidInput, match="needs Actions, got str"):
        tc.sla_report(["x"])
    with pytest.raises(tc.InvalidInput, match="must be an iterable"):
        tc.sla_report(None)  # type: ignore[arg-type]
