"""The report registry: five rows of one shape, a report of your own registered from
outside, and every dispatch (``REPORTS.build``, ``build_report``, the command line)
going through it."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

import telcare as tc
from telcare.cli import main
from telcare.cli._operations import Operation, build_report, operation_year
from telcare.synthetic import generate_base


@pytest.fixture(scope="module")
def ops() -> Operation:
    return operation_year(generate_base(1_500, seed=5), seed=5)


def care_report(log: tc.ActionLog, book: tc.ManagerBook, week: Any) -> tc.Report:
    """The care moments due in the week, and done on time (a report of a user's own)."""
    care = log.of_moments(["birthday", "points_expiry"])

    def counter(p: tc.Period) -> dict[str, Any]:
        start, end = np.datetime64(p.start), np.datetime64(p.end)
        due = care & (log.due_by >= start) & (log.due_by <= end)
        return {"due": log.row[due], "on_time": log.row[due & (log.closed_on <= log.due_by)]}

    return tc.grouped_report("care_report", "Care moments", book, week, counter,
                             {"timeliness": ("on_time", "due")}, kind="week")  # fmt: skip


CARE = tc.ReportSpec("care_report", "week", ("log", "book"), care_report)


def test_the_registry_reads_as_the_names_of_its_reports() -> None:
    names = ["retention_indicators", "callback_report", "retention_service", "execution_report",
             "credit_bulletin"]  # fmt: skip
    assert list(tc.REPORTS) == names and sorted(tc.REPORTS) == sorted(names)
    assert len(tc.REPORTS) == 5 and "callback_report" in tc.REPORTS and "weekly" not in tc.REPORTS
    assert tc.REPORTS.get("weekly") is None and tc.REPORTS.get("callback_report") is not None
    assert [spec.name for spec in tc.REPORTS.values()] == names
    # each row's build is the public function of its name
    assert all(spec.build is getattr(tc, name) for name, spec in tc.REPORTS.items())
    assert {spec.period for spec in tc.REPORTS.values()} == {"week", "month"}
    assert tc.REPORTS["retention_service"].period == "month"


def test_a_row_is_called_like_its_function() -> None:
    book = tc.manager_book(["a", "b"], ["li", ""])
    log = tc.action_log([0, 1], ["first_bill"] * 2, ["2010-11-29"] * 2, ["2010-12-01"] * 2,
                        closed_on=["2010-11-30", None])  # fmt: skip
    by_row = tc.REPORTS["execution_report"](log, book, "2010-W48")
    direct = tc.execution_report(log, book, "2010-W48")
    assert by_row.rows() == direct.rows() and by_row.count("overdue") == 1


def test_every_row_runs_from_an_operation_as_its_function_does(ops: Operation) -> None:
    week, month = ops.week, ops.month
    direct = {
        "retention_indicators": tc.retention_indicators(ops.log, ops.book, week),
        "callback_report": tc.callback_report(ops.log, ops.book, week),
        "retention_service": tc.retention_service(ops.active, list(ops.months), ops.book, month),
        "execution_report": tc.execution_report(ops.log, ops.book, week),
        "credit_bulletin": tc.credit_bulletin(
            ops.colour, ops.suspended, ops.book, week,
            previous_colour=ops.previous_colour, previous_suspended=ops.previous_suspended,
        ),
    }  # fmt: skip
    for name in tc.REPORTS:
        got = build_report(ops, name)
        assert got.to_dict() == direct[name].to_dict(), name
        assert tc.REPORTS.build(name, ops).to_dict() == got.to_dict()


def test_with_report_gives_a_new_registry_and_leaves_the_old_one() -> None:
    reports = tc.REPORTS.with_report(CARE)
    assert list(reports)[-1] == "care_report" and len(reports) == 6
    assert "care_report" not in tc.REPORTS and len(tc.REPORTS) == 5
    assert reports["care_report"] is CARE and reports != tc.REPORTS
    with pytest.raises(tc.InvalidInput, match="a report 'care_report' already"):
        reports.with_report(CARE)
    with pytest.raises(tc.InvalidInput, match="needs a ReportSpec, got function"):
        tc.REPORTS.with_report(care_report)  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match=r"names must be unique, \['care_report'\] repeat"):
        tc.ReportRegistry((CARE, CARE))
    with pytest.raises(tc.InvalidInput, match=r"reports\[0\] must be a ReportSpec, got str"):
        tc.ReportRegistry(("care_report",))  # type: ignore[arg-type]


def test_a_report_of_your_own_runs_through_build_report(ops: Operation) -> None:
    reports = tc.REPORTS.with_report(CARE)
    report = build_report(ops, "care_report", reports=reports)
    assert report.name == "care_report" and report.period == ops.week
    assert report.previous is not None and report.previous.period == ops.week.previous()
    levels = np.array(report.levels)
    for col in report.counts.values():
        assert col[levels == "manager"].sum() == col[levels == "team"].sum() == col[-1]
    care = ops.log.of_moments(["birthday", "points_expiry"])
    due = (
        care
        & (ops.log.due_by >= np.datetime64(ops.week.start))
        & (ops.log.due_by <= np.datetime64(ops.week.end))
    )
    assert report.count("due") == int(due.sum()) > 0
    assert build_report(ops, "care_report", "2010-W40", reports=reports).period.label == "2010-W40"
    with pytest.raises(tc.InvalidInput, match="unknown report 'care_report'"):
        build_report(ops, "care_report")


def test_a_report_of_your_own_runs_through_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    reports = tc.REPORTS.with_report(CARE)
    assert main(["report", "care_report", "--customers", "1500", "--seed", "5",
                 "--format", "json", "--level", "team"], reports=reports) == 0  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert out["name"] == "care_report" and out["period"]["label"] == "2010-W48"
    assert out["rows"] and {r["level"] for r in out["rows"]} == {"team"}
    ops = operation_year(generate_base(1_500, seed=5), seed=5)
    expected = build_report(ops, "care_report", reports=reports).rows("team")
    assert out["rows"] == json.loads(json.dumps(expected))
    assert main(["report", "care_report", "--customers", "1500", "--week", "2010-W40"],
                reports=reports) == 0  # fmt: skip
    assert capsys.readouterr().out.startswith("Care moments, week 2010-W40")
    with pytest.raises(SystemExit) as info:  # the built-in command line does not know it
        main(["report", "care_report", "--customers", "500"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:  # the report refuses a month
        main(["report", "care_report", "--customers", "500", "--month", "2010-11"], reports=reports)
    assert info.value.code == 2


def test_a_row_reads_its_inputs_by_name_and_says_what_is_missing() -> None:
    book = tc.manager_book(["a"], ["li"])
    log = tc.action_log([0], ["birthday"], ["2010-11-29"], ["2010-11-29"])
    assert CARE.run({"log": log, "book": book}, "2010-W48").count("due") == 1
    with pytest.raises(tc.InvalidInput, match="'care_report' reads 'log', which the operation"):
        CARE.run({"book": book}, "2010-W48")
    with pytest.raises(tc.InvalidInput, match="reads 'week', which the operation"):
        CARE.run({"log": log, "book": book})
    odd = tc.ReportSpec("odd", "week", ("book",), lambda book, week: {"rows": []})
    with pytest.raises(tc.InvalidInput, match="report 'odd' built a dict, not a Report"):
        odd.run({"book": book, "week": "2010-W48"})


def test_a_row_refuses_what_is_not_a_row() -> None:
    with pytest.raises(tc.InvalidInput, match="period must be one of"):
        tc.ReportSpec("x", "day", ("log",), care_report)
    with pytest.raises(tc.InvalidInput, match=r"inputs must name inputs, got \['log book'\]"):
        tc.ReportSpec("x", "week", ("log book",), care_report)
    with pytest.raises(tc.InvalidInput, match=r"keywords must name inputs, got \[3\]"):
        tc.ReportSpec("x", "week", ("log",), care_report, keywords=(3,))  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match="build must be callable, got str"):
        tc.ReportSpec("x", "week", ("log",), "care_report")  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match=r"ReportSpec\.name must be a snake_case str, got ''"):
        tc.ReportSpec("", "week", ("log",), care_report)
    with pytest.raises(tc.InvalidInput, match="must be a snake_case str, got '-x'"):
        tc.ReportSpec("-x", "week", ("log",), care_report)  # the command line could never name it
    with pytest.raises(tc.InvalidInput, match=r"names \['log'\] more than once"):
        tc.ReportSpec("x", "week", ("log",), care_report, keywords=("log",))
    with pytest.raises(tc.InvalidInput, match="inputs must be a tuple of names, got int"):
        tc.ReportSpec("x", "week", 3, care_report)  # type: ignore[arg-type]
    assert tc.ReportSpec("x", "week", "log", care_report).inputs == ("log",)
    assert tc.ReportSpec("x", "week", ["log", "book"], care_report).inputs == ("log", "book")


def test_grouped_report_checks_its_counter() -> None:
    book = tc.manager_book(["a", "b"], ["li", "wang"], team=["north", "south"])
    every = {"all": [0, 1], "one": [1]}
    r = tc.grouped_report("x", "X", book, "2010-11", lambda p: every, {"share": ("one", "all")})
    assert r.count("one", "south") == 1 and r.previous is not None
    with pytest.raises(tc.InvalidInput, match="x's all must be <= 1, got 2"):
        tc.grouped_report("x", "X", book, "2010-11", lambda p: {"all": [2]}, {})
    with pytest.raises(
        tc.InvalidInput, match=r"rates name figures its counter does not give: \['none'\]"
    ):
        tc.grouped_report("x", "X", book, "2010-11", lambda p: every, {"share": ("one", "none")})
    with pytest.raises(tc.InvalidInput, match=r"changes name rates it does not have: \['gone'\]"):
        tc.grouped_report("x", "X", book, "2010-11", lambda p: every, {"share": ("one", "all")},
                          {"pp": ("share", "gone")})  # fmt: skip
    with pytest.raises(tc.InvalidInput, match="counter must give a mapping, got list"):
        tc.grouped_report("x", "X", book, "2010-11", lambda p: [1], {})  # type: ignore[arg-type,return-value]
    with pytest.raises(tc.InvalidInput, match="counter must be callable, got dict"):
        tc.grouped_report("x", "X", book, "2010-11", every, {})  # type: ignore[arg-type]
    with pytest.raises(
        tc.InvalidInput, match="rates must be a mapping of names to pairs, got list"
    ):
        tc.grouped_report("x", "X", book, "2010-11", lambda p: every, [])  # type: ignore[arg-type]
    with pytest.raises(
        tc.InvalidInput, match=r"rates\['share'\] must be a pair of names, got 'one'"
    ):
        tc.grouped_report("x", "X", book, "2010-11", lambda p: every, {"share": "one"})  # type: ignore[dict-item]
    with pytest.raises(tc.InvalidInput, match="kind must be one of"):
        tc.grouped_report("x", "X", book, "2010-11", lambda p: every, {}, kind="day")
    with pytest.raises(tc.InvalidInput, match="this report is weekly, got the month 2010-11"):
        tc.grouped_report("x", "X", book, "2010-11", lambda p: every, {}, kind="week")


def test_the_registry_and_its_rows_show_themselves() -> None:
    table = tc.REPORTS.with_report(CARE).to_dict()
    assert table["name"][-1] == "care_report" and table["build"][-1] == "care_report"
    assert table["inputs"][2] == "active, months, book"
    assert table["keywords"][4] == "previous_colour, previous_suspended"
    assert "<table" in tc.REPORTS._repr_html_() and "retention_service" in tc.REPORTS._repr_html_()
    row = tc.REPORTS["credit_bulletin"].to_dict()
    assert json.loads(json.dumps(row)) == {
        "name": "credit_bulletin", "period": "week", "inputs": ["colour", "suspended", "book"],
        "keywords": ["previous_colour", "previous_suspended"], "build": "credit_bulletin",
    }  # fmt: skip
    assert "previous_colour" in tc.REPORTS["credit_bulletin"]._repr_html_()


def test_only_a_plain_str_names_a_report() -> None:
    import numpy as np
    import pandas as pd

    assert np.array(["a", "b"]) not in tc.REPORTS
    assert pd.NA not in tc.REPORTS
    assert tc.REPORTS.get(np.array(["execution_report"])) is None
    with pytest.raises(tc.InvalidInput, match="unknown report"):
        tc.REPORTS[np.array(["execution_report"])]  # type: ignore[index]


def test_the_command_line_and_build_report_need_a_registry() -> None:
    from telcare.cli import main
    from telcare.cli._operations import build_report

    with pytest.raises(
        tc.InvalidInput, match="main\\(\\) needs reports= a ReportRegistry, got dict"
    ):
        main(["report", "execution_report"], reports=dict(tc.REPORTS))  # type: ignore[arg-type]
    with pytest.raises(
        tc.InvalidInput, match="build_report\\(\\) needs reports= a ReportRegistry, got NoneType"
    ):
        build_report(None, "execution_report", reports=None)  # type: ignore[arg-type]


def test_a_grouped_report_refuses_figures_its_own_columns_would_overwrite() -> None:
    import numpy as np

    book = tc.manager_book(["a", "b", "c"], ["li", "li", ""])
    rows = np.arange(3)
    rate = {"r": ("x", "all")}
    with pytest.raises(tc.InvalidInput, match=r"figures \['r_pct'\] would be overwritten"):
        tc.grouped_report(
            "v", "V", book, "2010-11", lambda p: {"r_pct": [0], "x": [0], "all": rows}, rate
        )
    with pytest.raises(tc.InvalidInput, match=r"figures \['group', 'level'\] would be overwritten"):
        tc.grouped_report("v", "V", book, "2010-11", lambda p: {"level": [0], "group": rows}, {})
    with pytest.raises(tc.InvalidInput, match="figure name must be a snake_case str, got 1"):
        tc.grouped_report("v", "V", book, "2010-11", lambda p: {1: [0], "all": rows}, {})


def test_a_grouped_report_needs_the_same_figures_in_both_periods() -> None:
    import numpy as np

    book = tc.manager_book(["a", "b", "c"], ["li", "li", ""])
    rows = np.arange(3)

    def counter(p: tc.Period) -> dict[str, object]:
        return {"x": [0], "all": rows} if p.label == "2010-11" else {"all": rows}

    with pytest.raises(tc.InvalidInput, match="must give the same figures for every period"):
        tc.grouped_report("v", "V", book, "2010-11", counter, {"r": ("x", "all")})
