"""The reports read from the action log, at their boundaries: actions opened, due or
closed on a week's first and last day, closed on their deadline, and the moments
and outcomes each report counts or leaves out.

Week 2010-W48 runs from Monday 29 Nov to Sunday 5 Dec.
"""

from __future__ import annotations

from typing import Any

import pytest

import telcare as tc

WEEK = "2010-W48"
BOOK = tc.manager_book(["a", "b", "c", "d", "e"], ["li", "li", "wang", "wang", ""],
                       team=["north", "north", "south", "south", ""])  # fmt: skip


def _log(rows: list[tuple[Any, ...]], **extra: Any) -> tc.ActionLog:
    return tc.action_log([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows],
                         [r[3] for r in rows], closed_on=[r[4] for r in rows],
                         outcome=[r[5] for r in rows], **extra)  # fmt: skip


RETENTION = _log([
    (0, "credit_alert", "2010-12-05", "2010-12-07", None, ""),  # opened on the last day: open
    (1, "usage_anomaly", "2010-11-20", "2010-11-29", "2010-11-29", "retained"),  # closed on day 1, on its deadline
    (2, "cancellation_request", "2010-11-25", "2010-11-28", "2010-12-05", "lost"),  # closed on the last day, late
    (3, "credit_alert", "2010-11-20", "2010-11-25", None, ""),  # overdue at the end
    (4, "first_bill", "2010-11-29", "2010-11-30", None, ""),  # no retention moment: overdue, not counted
    (4, "birthday", "2010-12-05", "2010-12-09", None, ""),  # no retention moment: open, not counted
])  # fmt: skip


def test_retention_indicators_count_the_weeks_first_and_last_days() -> None:
    r = tc.retention_indicators(RETENTION, BOOK, WEEK)
    assert (r.name, r.title) == ("retention_indicators", "Retention key indicators")
    assert list(r.rates) == ["timeliness", "retention"]
    got = {k: r.count(k) for k in r.counts}
    assert got == {"opened": 1, "handled": 2, "on_time": 1, "retained": 1, "decided": 2,
                   "open": 1, "overdue": 1, "at_risk": 2}  # fmt: skip
    assert r.count("open", "li") == 1 and r.count("overdue", "wang") == 1
    assert r.count("overdue", "li") == 0 and r.count("open", "(none)", level="manager") == 0
    assert r.rate("timeliness") == tc.Rate(1, 2) and r.rate("retention") == tc.Rate(1, 2)


CALLBACKS = _log([
    (0, "new_subscriber_callback", "2010-11-26", "2010-11-29", "2010-11-29", "genuine"),  # due day 1, done then
    (1, "new_subscriber_callback", "2010-12-01", "2010-12-05", "2010-12-05", "reached"),  # due and done on the last day
    (2, "new_subscriber_callback", "2010-11-28", "2010-11-30", "2010-12-02", ""),  # done late, not reached
    (3, "new_subscriber_callback", "2010-12-01", "2010-12-03", None, ""),  # not done
    (4, "new_subscriber_callback", "2010-11-20", "2010-11-28", "2010-11-28", "genuine"),  # due the week before
    (4, "first_bill", "2010-11-29", "2010-12-01", "2010-12-01", "genuine"),  # no callback
], compliant=[True, False, True, False, True, True])  # fmt: skip


def test_callback_report_counts_the_weeks_first_and_last_days() -> None:
    r = tc.callback_report(CALLBACKS, BOOK, WEEK)
    assert (r.name, r.title) == ("callback_report", "New-subscriber callbacks")
    got = {k: r.count(k) for k in r.counts}
    assert got == {"required": 4, "completed": 3, "on_time": 2, "successful": 2, "authentic": 1,
                   "compliant": 1}  # fmt: skip
    assert r.rate("authenticity") == tc.Rate(1, 2) and r.rate("compliance") == tc.Rate(1, 2)
    assert r.count("successful", "li") == 2 and r.count("successful", "wang") == 0
    assert r.previous is not None and r.previous.count("authentic") == 1


def test_callback_report_is_weekly() -> None:
    with pytest.raises(tc.InvalidInput) as caught:
        tc.callback_report(CALLBACKS, BOOK, "2010-11")
    assert str(caught.value) == "this report is weekly, got the month 2010-11"


EXECUTION = _log([
    (0, "first_bill", "2010-11-25", "2010-11-29", "2010-11-29", ""),  # due day 1, done on its deadline
    (1, "birthday", "2010-12-01", "2010-12-05", "2010-12-05", ""),  # due and done on the last day
    (2, "first_bill", "2010-11-28", "2010-12-01", "2010-12-05", ""),  # done late, on the last day
    (3, "first_bill", "2010-11-29", "2010-12-02", None, ""),  # overdue
    (4, "birthday", "2010-12-03", "2010-12-10", None, ""),  # open, due next week
    (4, "birthday", "2010-11-20", "2010-11-28", "2010-11-30", ""),  # due the week before
])  # fmt: skip


def test_execution_report_counts_the_weeks_first_and_last_days() -> None:
    r = tc.execution_report(EXECUTION, BOOK, WEEK)
    assert (r.name, r.title) == ("execution_report", "Service-manager execution")
    got = {k: r.count(k) for k in r.counts}
    assert got == {"due": 4, "on_time": 2, "late": 1, "overdue": 1, "open": 1, "overdue_all": 1}
    assert r.count("late", "wang") == 1 and r.count("on_time", "li") == 2
    # at the end of the week before, the action due on its last day is open, not overdue
    assert r.previous is not None
    assert {k: r.previous.count(k) for k in ("due", "overdue", "open", "overdue_all")} == {
        "due": 1,
        "overdue": 1,
        "open": 3,
        "overdue_all": 0,
    }
