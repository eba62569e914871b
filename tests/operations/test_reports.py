"""Managers' books, the action log and the five reports."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, strategies as st

import telcare as tc

TZ = ZoneInfo("Asia/Shanghai")
DAY0 = date(2010, 11, 1)
MOMENTS = ["credit_alert", "usage_anomaly", "cancellation_request", "contract_expiry",
           "new_subscriber_callback", "first_bill", "birthday"]  # fmt: skip
OUTCOMES = ["", "retained", "lost", "genuine", "reached", "suspicious"]
MANAGERS = ["", "li", "wang", "zhao"]
TEAM = {"": "", "li": "north", "wang": "north", "zhao": "south"}


@st.composite
def operations(draw: Any) -> tuple[tc.ManagerBook, list[tuple[Any, ...]], tc.ActionLog]:
    n = draw(st.integers(1, 12))
    owners = draw(st.lists(st.sampled_from(MANAGERS), min_size=n, max_size=n))
    book = tc.manager_book([f"c{i}" for i in range(n)], owners, team=[TEAM[m] for m in owners])
    actions = draw(st.lists(st.tuples(
        st.integers(0, n - 1), st.sampled_from(MOMENTS), st.integers(0, 40), st.integers(0, 10),
        st.one_of(st.none(), st.integers(0, 20)), st.sampled_from(OUTCOMES), st.booleans(),
    ), max_size=40))  # fmt: skip
    rows = [(r, m, DAY0 + timedelta(o), DAY0 + timedelta(o + d),
             None if c is None else DAY0 + timedelta(o + c), out, ok)
            for r, m, o, d, c, out, ok in actions]  # fmt: skip
    log = tc.action_log([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows],
                        [r[3] for r in rows], closed_on=[r[4] for r in rows],
                        outcome=[r[5] for r in rows], compliant=[r[6] for r in rows])  # fmt: skip
    return book, rows, log


def _state(row: tuple[Any, ...], day: date) -> str:
    _, _, opened, due, closed, _, _ = row
    if opened > day:
        return ""
    if closed is not None and closed <= day:
        return "done"
    return "overdue" if day > due else "open"


def _adds_up(report: tc.Report) -> None:
    for name, col in report.counts.items():
        levels = np.array(report.levels)
        programme = int(col[levels == "programme"][0])
        assert int(col[levels == "manager"].sum()) == programme, name
        assert int(col[levels == "team"].sum()) == programme, name


WEEKS = st.sampled_from(["2010-W44", "2010-W45", "2010-W46", "2010-W47", "2010-W48"])


@given(operations(), WEEKS)
def test_execution_report_matches_counting_by_hand(ops: Any, week: str) -> None:
    book, rows, log = ops
    period = tc.Period.parse(week)
    report = tc.execution_report(log, book, period)
    _adds_up(report)
    end = period.end
    for m_code, name in enumerate([*book.managers, "(none)"]):
        mine = [r for r in rows if book.manager[r[0]] == (m_code if name != "(none)" else -1)]
        due = [r for r in mine if period.start <= r[3] <= end]
        done = [r for r in due if r[4] is not None and r[4] <= end]
        expect = {
            "due": len(due),
            "on_time": sum(r[4] <= r[3] for r in done),
            "late": sum(r[4] > r[3] for r in done),
            "overdue": len(due) - len(done),
            "open": sum(_state(r, end) == "open" for r in mine),
            "overdue_all": sum(_state(r, end) == "overdue" for r in mine),
        }
        got = {k: report.count(k, name, level="manager") for k in expect}
        assert got == expect
    # every action open at the end appears in exactly one manager's row
    open_all = sum(_state(r, end) == "open" for r in rows)
    assert (
        sum(report.count("open", g, level="manager") for g in [*book.managers, "(none)"])
        == open_all
    )


@given(operations(), WEEKS)
def test_retention_indicators_match_counting_by_hand(ops: Any, week: str) -> None:
    book, rows, log = ops
    period = tc.Period.parse(week)
    report = tc.retention_indicators(log, book, week)
    _adds_up(report)
    watched = [r for r in rows if r[1] in {m.value for m in tc.RETENTION_MOMENTS}]
    handled = [r for r in watched if r[4] is not None and period.start <= r[4] <= period.end]
    assert report.count("opened") == sum(period.start <= r[2] <= period.end for r in watched)
    assert report.count("handled") == len(handled)
    assert report.count("on_time") == sum(r[4] <= r[3] for r in handled)
    assert report.count("retained") == sum(r[5] == "retained" for r in handled)
    assert report.count("decided") == sum(r[5] in ("retained", "lost") for r in handled)
    pending = {r[0] for r in watched if _state(r, period.end) in ("open", "overdue")}
    assert report.count("at_risk") == len(pending)


@given(operations(), WEEKS)
def test_callback_report_matches_counting_by_hand(ops: Any, week: str) -> None:
    book, rows, log = ops
    period = tc.Period.parse(week)
    report = tc.callback_report(log, book, week)
    _adds_up(report)
    required = [
        r for r in rows if r[1] == "new_subscriber_callback" and period.start <= r[3] <= period.end
    ]
    completed = [r for r in required if r[4] is not None and r[4] <= period.end]
    reached = [r for r in completed if r[5] in ("genuine", "reached")]
    assert report.rate("completion") == tc.Rate(len(completed), len(required))
    assert report.rate("timeliness") == tc.Rate(
        sum(r[4] <= r[3] for r in completed), len(completed)
    )
    assert report.rate("success") == tc.Rate(len(reached), len(completed))
    assert report.rate("authenticity") == tc.Rate(
        sum(r[5] == "genuine" for r in reached), len(reached)
    )
    assert report.rate("compliance") == tc.Rate(sum(r[6] for r in reached), len(reached))
    prev = tc.callback_report(log, book, period.previous())
    assert report.previous is not None
    assert report.previous.counts["required"].tolist() == prev.counts["required"].tolist()


def test_callback_report_without_compliance_has_no_compliance_rate() -> None:
    book = tc.manager_book(["a"], ["li"])
    log = tc.action_log([0], ["new_subscriber_callback"], ["2010-11-29"], ["2010-12-01"])
    report = tc.callback_report(log, book, "2010-W48")
    assert "compliance" not in report.rates and report.rate("completion") == tc.Rate(0, 1)


@given(st.integers(1, 10), st.data())
def test_retention_service_matches_counting_by_hand(n: int, data: Any) -> None:
    owners = data.draw(st.lists(st.sampled_from(MANAGERS), min_size=n, max_size=n))
    book = tc.manager_book([f"c{i}" for i in range(n)], owners, team=[TEAM[m] for m in owners])
    active = np.array(data.draw(st.lists(st.lists(st.booleans(), min_size=16, max_size=16),
                                         min_size=n, max_size=n)))  # fmt: skip
    months = [tc.Period.parse("2009-08").shifted(i).label for i in range(16)]  # 2009-08 .. 2010-11
    report = tc.retention_service(active, months, book, "2010-11")
    _adds_up(report)

    def rate(col: int) -> tc.Rate:
        base = active[:, col - 1]
        return tc.Rate(int((base & active[:, col]).sum()), int(base.sum()))

    assert report.rate("retention") == rate(15)
    assert report.rate("retention_year_before") == rate(3)
    assert report.rate("retention_3") == rate(15) + rate(14) + rate(13)
    assert report.rate("retention_3_year_before") == rate(3) + rate(2) + rate(1)
    assert report.previous is not None and report.previous.rate("retention") == rate(14)
    if rate(15).denominator and rate(3).denominator:
        assert report.change("retention_pp") == pytest.approx(
            (rate(15).value - rate(3).value) * 100
        )


def test_retention_service_refuses_bad_months_and_shapes() -> None:
    book = tc.manager_book(["a"], ["li"])
    with pytest.raises(tc.InvalidInput, match="consecutive"):
        tc.retention_service([[True, True]], ["2010-10", "2010-12"], book, "2010-12")
    with pytest.raises(tc.InvalidInput, match="one row per customer"):
        tc.retention_service([[True, True, True]], ["2010-10", "2010-11"], book, "2010-11")
    with pytest.raises(tc.InvalidInput, match="monthly"):
        tc.retention_service([[True]], ["2010-11"], book, "2010-W48")
    with pytest.raises(tc.InvalidInput, match="booleans"):
        tc.retention_service([[2]], ["2010-11"], book, "2010-11")
    # months the matrix does not hold count 0
    empty = tc.retention_service([[True]], [date(2010, 11, 3)], book, "2010-11")
    assert empty.rate("retention") == tc.Rate(0, 0) and "nothing to report" in empty.headline()


@given(st.lists(st.tuples(st.sampled_from(MANAGERS), st.integers(0, 3), st.booleans(),
                          st.integers(0, 3), st.booleans()), min_size=1, max_size=20))  # fmt: skip
def test_credit_bulletin_matches_counting_by_hand(rows: list[Any]) -> None:
    owners = [r[0] for r in rows]
    book = tc.manager_book(
        [f"c{i}" for i in range(len(rows))], owners, team=[TEAM[m] for m in owners]
    )
    report = tc.credit_bulletin([r[1] for r in rows], [r[2] for r in rows], book, "2010-11",
                                previous_colour=[r[3] for r in rows],
                                previous_suspended=[r[4] for r in rows])  # fmt: skip
    _adds_up(report)
    assert report.count("red") == sum(r[1] == 3 for r in rows)
    assert report.count("recovered") == sum(r[4] and not r[2] for r in rows)
    assert report.count("newly_suspended") == sum(r[2] and not r[4] for r in rows)
    assert report.previous is not None and report.previous.count("red") == sum(
        r[3] == 3 for r in rows
    )
    for m in {o for o in owners if o}:
        assert report.count("yellow", m) == sum(r[1] == 1 and r[0] == m for r in rows)
    alone = tc.credit_bulletin([r[1] for r in rows], [r[2] for r in rows], book, "2010-11")
    assert "recovery" not in alone.rates and alone.previous is None
    with pytest.raises(tc.InvalidInput, match="together"):
        tc.credit_bulletin(
            [0], [False], tc.manager_book(["a"], [""]), "2010-11", previous_colour=[0]
        )


@given(st.lists(st.tuples(st.sampled_from(MANAGERS), st.integers(0, 3), st.booleans(),
                          st.sampled_from([3_800, 9_600, 12_800]), st.integers(0, 2), st.integers(0, 2),
                          st.one_of(st.none(), st.integers(-10, 0))), min_size=1, max_size=25))  # fmt: skip
def test_the_service_list_follows_the_benefit_rule(rows: list[Any]) -> None:
    as_of = date(2010, 12, 1)
    owners = [r[0] for r in rows]
    book = tc.manager_book([f"c{i}" for i in range(len(rows))], owners)
    since = [None if r[6] is None else as_of + timedelta(r[6]) for r in rows]
    cols = [[r[j] for r in rows] for j in range(1, 6)]
    sl = tc.service_list(book, *cols, eligible_since=since, as_of=as_of)
    rule = tc.check_benefits(*cols)[:, tc.BENEFIT_CODES.index("service_manager")]
    assert sl.eligible.tolist() == rule.tolist()
    # a suspicious customer is never on a book nor waiting: at most to withdraw
    suspicious = np.array(cols[3]) == int(tc.Verification.SUSPICIOUS)
    assert not (sl.on_book & suspicious).any() and not (sl.waiting & suspicious).any()
    # each customer is in at most one state; an eligible one is on a book or waiting
    states = sl.on_book.astype(int) + sl.waiting.astype(int) + sl.withdraw.astype(int)
    assert (states <= 1).all() and (states[sl.eligible] == 1).all()
    for i, r in enumerate(rows):
        late = r[6] is not None and r[6] < -2
        assert sl.overdue[i] == (bool(sl.waiting[i]) and late)
        assert ("does not qualify" in sl.reason(i)) == (r[3] < 9_600)
    counts = sl.counts()
    assert sum(v.get("on_book", 0) for v in counts.values()) == int(sl.on_book.sum())
    for name in book.managers:
        assert len(sl.manager_rows(name)) == counts[name]["on_book"]
    assert len(sl.waiting_rows()) == counts[""]["waiting"]


def test_manager_book_checks_its_labels() -> None:
    with pytest.raises(tc.InvalidInput, match="'a' appears twice"):
        tc.manager_book(["a", "a"], ["li", "li"])
    with pytest.raises(tc.InvalidInput, match="two teams"):
        tc.manager_book(["a", "b"], ["li", "li"], team=["n", "s"])
    with pytest.raises(tc.InvalidInput, match="text labels"):
        tc.manager_book(["a"], [3])
    with pytest.raises(tc.InvalidInput, match="has 1 rows for 2"):
        tc.manager_book(["a", "b"], ["li"])
    book = tc.manager_book(
        ["b", "a", "c"], ["li", None, float("nan")], since=["2010-01-01", None, None]
    )
    assert book.rows(["a", "c", "b"]).tolist() == [1, 2, 0]
    assert book.sizes() == {"li": 1} and book.team().tolist() == [-1, -1, -1]
    with pytest.raises(tc.InvalidInput, match=r"'x' \(index 1\) is not in the book"):
        book.rows(["a", "x"])
    assert str(book.since[1]) == "NaT" and str(book.since[0]) == "2010-01-01"


def test_the_log_agrees_with_due_actions() -> None:
    """A log of due_actions' actions gives each action the state due_actions gave it."""
    as_of = date(2010, 12, 1)
    customers, events = [], []
    for i in range(30):
        cid = f"c{i}"
        day = as_of - timedelta(days=i % 9)
        customers.append(tc.Customer(cid, activated_on=day, plan_fee=12_800))
        at = datetime(day.year, day.month, day.day, 10, tzinfo=TZ)
        events.append(tc.Activated(cid, at, plan_fee=12_800))
        if i % 3:
            reached = datetime.combine(
                day + timedelta(days=i % 4), datetime.min.time(), TZ
            ).replace(hour=11)
            events.append(tc.CallbackAttempt(cid, reached, reached=True))
            events.append(tc.Verified(cid, reached, genuine=i % 5 != 0))
    actions = [a for c in customers for a in tc.due_actions(c, events, as_of=as_of)]
    book = tc.manager_book([c.id for c in customers], ["li" if i % 2 else "" for i in range(30)])
    genuine = {e.customer_id for e in events if isinstance(e, tc.Verified) and e.genuine}
    log = tc.ActionLog.from_actions(actions, book, genuine=genuine)
    assert log.status_on(as_of).tolist() == [a.status for a in actions]
    assert {a.status for a in actions} == {"open", "done", "overdue"}
    assert Counter(log.outcomes[c] for c in log.outcome if c >= 0) == Counter(
        "genuine" if a.outcome == "reached" and a.customer_id in genuine else a.outcome
        for a in actions if a.outcome
    )  # fmt: skip


def test_a_report_renders_every_way() -> None:
    book = tc.manager_book(["a", "b", "c"], ["li", "wang", ""], team=["north", "south", ""])
    log = tc.action_log([0, 1, 2, 0], ["first_bill"] * 4,
                        ["2010-11-22", "2010-11-29", "2010-11-29", "2010-11-30"],
                        ["2010-11-25", "2010-12-02", "2010-12-02", "2010-12-03"],
                        closed_on=["2010-11-24", "2010-12-01", None, "2010-12-03"])  # fmt: skip
    report = tc.execution_report(log, book, "2010-W48")
    text = str(report)
    assert text.splitlines()[0] == ("Service-manager execution, week 2010-W48 (2010-11-29 to 2010-12-05); "
                                    "changes against 2010-W47")  # fmt: skip
    assert (
        len(text.splitlines()) == 2 + 3 + 3 + 1
    )  # caption, header, 3 managers, 3 teams, programme
    assert "66.67% [20.8, 93.9] -33.3 pp" in text  # 2 of 3 on time against 1 of 1 the week before
    md = report.to_markdown().splitlines()
    assert md[2].startswith("| level | group | due") and md[3].startswith("|---|---|---:")
    html = report._repr_html_()
    assert html.count("<tr>") == 1 + 7 and "<caption>" in html
    d = report.to_dict()
    json.dumps(d)
    programme = d["rows"][-1]
    assert programme["on_time_pct"] == pytest.approx(66.6667) and programme[
        "on_time_vs_previous_pp"
    ] == pytest.approx(-33.3333)
    assert programme["on_time_ci_pct"] == [
        pytest.approx(20.77, abs=0.01),
        pytest.approx(93.85, abs=0.01),
    ]
    frame = report.to_frame()
    assert list(frame["group"]) == ["li", "wang", "(none)", "north", "south", "(none)", "programme"]
    assert {"on_time_low_pct", "on_time_high_pct"} <= set(frame.columns)
    assert report.headline() == "Service-manager execution 2010-W48: on_time 66.7% (-33.3 pp)"
    assert [r["group"] for r in report.rows("team")] == ["north", "south", "(none)"]
    with pytest.raises(tc.InvalidInput, match="no group 'x'"):
        report.rate("on_time", "x")
    with pytest.raises(tc.InvalidInput, match="no rate 'speed'"):
        report.rate("speed")
    with pytest.raises(tc.InvalidInput, match="no count 'speed'"):
        report.count("speed")
    with pytest.raises(tc.InvalidInput, match="no change"):
        report.change("speed")
    with pytest.raises(tc.InvalidInput, match="weekly"):
        tc.retention_indicators(log, book, "2010-11")
    with pytest.raises(tc.InvalidInput, match="beyond the book"):
        tc.execution_report(
            tc.action_log([5], ["first_bill"], ["2010-11-01"], ["2010-11-01"]), book, "2010-11"
        )
    with pytest.raises(tc.InvalidInput, match="needs a ManagerBook"):
        tc.execution_report(log, "book", "2010-11")  # type: ignore[arg-type]
    assert set(tc.REPORTS) == {"retention_indicators", "callback_report", "retention_service",
                               "execution_report", "credit_bulletin"}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [("2010-W48", date(2010, 11, 29), date(2010, 12, 5)), ("2009-W53", date(2009, 12, 28), date(2010, 1, 3)),
     ("2010-02", date(2010, 2, 1), date(2010, 2, 28)), ("2012-02", date(2012, 2, 1), date(2012, 2, 29)),
     ("2010-12", date(2010, 12, 1), date(2010, 12, 31))],
)  # fmt: skip
def test_periods(text: str, start: date, end: date) -> None:
    p = tc.Period.parse(text)
    assert (p.start, p.end, p.label, str(p)) == (start, end, text, text)
    assert p.shifted(1).start == end + timedelta(days=1) and p.previous().end == start - timedelta(
        days=1
    )
    assert start in p and end in p and start - timedelta(days=1) not in p and "x" not in p
    assert tc.Period.containing(end, p.kind) == p and p.days == (end - start).days + 1


def test_periods_refuse_what_is_not_a_period() -> None:
    for bad in ("2010-W54", "2010-13", "2010/11", 2010, "2011-W53"):
        with pytest.raises(tc.InvalidInput):
            tc.Period.parse(bad)
    with pytest.raises(tc.InvalidInput, match="kind"):
        tc.Period.containing(date(2010, 1, 1), "year")  # type: ignore[arg-type]
    assert tc.Period.parse("2010-W48").year_before().label == "2009-W48"
    assert tc.Period.parse("2010-W52").year_before().label == "2009-W52"
    assert tc.Period.parse("2015-W53").year_before().label == "2014-W52"


def test_books_logs_and_lists_show_themselves_and_refuse_bad_columns() -> None:
    book = tc.manager_book(["a", "b", "c"], ["li", "", "li"], team=["n", "", "n"],
                           since=["2010-01-01", None, "2010-02-01"])  # fmt: skip
    assert list(book.to_frame()["manager"]) == ["li", "", "li"] and "li" in book._repr_html_()
    assert tc.manager_book([3, 1], ["x", "y"]).rows([1]).tolist() == [1]
    assert book.rows([]).tolist() == []
    with pytest.raises(tc.InvalidInput, match=r"customer 1 \(index 0\) is not in the book"):
        book.rows([1])
    with pytest.raises(
        tc.InvalidInput, match=r"ids\[0\] must be a text or integer label, got float 1.5"
    ):
        tc.manager_book([1.5], ["x"])
    with pytest.raises(tc.InvalidInput, match="since must hold dates"):
        tc.manager_book(["a"], ["x"], since=["soon"])
    with pytest.raises(tc.InvalidInput, match="got 3 at index 0"):
        tc.manager_book(["a"], np.array([3], dtype=object))
    sl = tc.service_list(book, [0, 0, 0], [False] * 3, [12_800] * 3, [1, 1, 1], [0, 0, 0],
                         eligible_since=[None] * 3, as_of=date(2010, 12, 1))  # fmt: skip
    assert sl.manager_rows("li").tolist() == [0, 2] and "waiting" in sl._repr_html_()
    assert list(sl.to_frame()["state"]) == ["on_book", "waiting", "on_book"]
    with pytest.raises(tc.InvalidInput, match="no manager 'x'"):
        sl.manager_rows("x")
    with pytest.raises(tc.InvalidInput, match="needs a ManagerBook"):
        tc.service_list(
            "book", [0], [False], [0], [0], [0], eligible_since=[None], as_of=date(2010, 1, 1)
        )  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match="eligible_since must hold dates"):
        tc.service_list(book, [0] * 3, [False] * 3, [0] * 3, [0] * 3, [0] * 3, eligible_since=["x"] * 3,
                        as_of=date(2010, 1, 1))  # fmt: skip
    log = tc.action_log([0, 1], ["first_bill", "birthday"], ["2010-11-01"] * 2, ["2010-11-02"] * 2,
                        outcome=["", "odd"])  # fmt: skip
    assert list(log.to_frame()["outcome"]) == ["", "odd"] and "birthday" in log._repr_html_()
    assert tc.action_log([], [], [], []).status_on("2010-01-01").tolist() == []
    for bad, match in [
        ({"moment": [1]}, "text labels"), ({"opened_on": ["x"]}, "opened_on must hold dates"),
        ({"opened_on": [None]}, "opened_on is missing at index 0"), ({"due_by": ["2010-11-01", "2010-11-02"]}, "has 2 rows"),
        ({"closed_on": ["2010-10-01"]}, "closed_on 2010-10-01 is before"), ({"compliant": [True, False]}, "equal lengths"),
    ]:  # fmt: skip
        args = {"moment": ["m"], "opened_on": ["2010-11-01"], "due_by": ["2010-11-01"]} | bad
        with pytest.raises(tc.InvalidInput, match=match):
            tc.action_log(
                [0], args.pop("moment"), args.pop("opened_on"), args.pop("due_by"), **args
            )
    with pytest.raises(tc.InvalidInput, match="needs a ManagerBook"):
        tc.ActionLog.from_actions([], "book")  # type: ignore[arg-type]
    assert len(tc.ActionLog.from_actions([], book)) == 0
    with pytest.raises(tc.InvalidInput, match="needs an ActionLog"):
        tc.execution_report("log", book, "2010-11")  # type: ignore[arg-type]
