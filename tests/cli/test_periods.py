"""``python -m telcare report`` for the period asked, and the suspensions the demo and the
credit bulletin count (issue #28's command-line findings)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

import telcare as tc
from telcare.cli import main
from telcare.cli._demo import run_demo
from telcare.cli._operations import NoData, build_report, no_data, operation_year
from telcare.synthetic import generate_base

N, SEED = 600, 11


@pytest.fixture(scope="module")
def ops() -> object:
    return operation_year(generate_base(N, seed=SEED), seed=SEED)


def _programme(report: tc.Report) -> dict[str, object]:
    return report.rows("programme")[0]


def test_the_credit_bulletin_reads_the_state_at_the_end_of_the_period_asked(ops: object) -> None:
    base = generate_base(N, seed=SEED)
    today = build_report(ops, "credit_bulletin")  # type: ignore[arg-type]
    over = tc.check_suspensions(base.arrears, base.credit_level, np.zeros(N, np.int64))
    assert today.count("suspended") == int(over.sum())  # today's: the base's own arrears
    rows = {}
    for label in ("2010-W10", "2010-W30", "2010-W47", "2010-03", "2010-11"):
        report = build_report(ops, "credit_bulletin", label)  # type: ignore[arg-type]
        period = tc.Period.parse(label)
        colour, suspended = ops.credit_state(period.end)  # type: ignore[attr-defined]
        assert report.period.label == label
        assert report.count("suspended") == int(suspended.sum())
        assert report.count("red") == int((colour == 3).sum())
        before = ops.credit_state(period.start - timedelta(days=1))  # type: ignore[attr-defined]
        assert report.count("recovered") == int((before[1] & ~suspended).sum())
        rows[label] = _programme(report)
    # not one row for every period: the state of each period's end
    assert len({repr(sorted(r.items(), key=str)) for r in rows.values()}) == len(rows)
    assert len({r["suspended"] for r in rows.values()}) > 1


def test_a_day_before_today_has_its_own_arrears_the_same_for_the_seed(ops: object) -> None:
    day = date(2010, 6, 30)
    a, b = ops.credit_state(day), ops.credit_state(day)  # type: ignore[attr-defined]
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    again = operation_year(generate_base(N, seed=SEED), seed=SEED)
    assert np.array_equal(again.credit_state(day)[1], a[1])


@pytest.mark.parametrize(
    ("name", "period", "fragment"),
    [
        ("credit_bulletin", "2008-W01", "no data for 2008-W01: the synthetic year runs from"),
        ("credit_bulletin", "2011-W10", "no data for 2011-W10"),
        ("credit_bulletin", "2009-12", "2009-12 is partly outside it"),
        ("callback_report", "2008-W01", "no data for 2008-W01"),
        ("execution_report", "2012-01", "no data for 2012-01"),
        ("retention_service", "2008-01", "the months of activity runs from 2008-12-01"),
    ],
)
def test_a_period_outside_the_data_is_refused_not_given_todays_row(
    ops: object, name: str, period: str, fragment: str
) -> None:
    assert fragment in str(no_data(ops, name, period))  # type: ignore[arg-type]
    with pytest.raises(NoData, match=fragment):
        build_report(ops, name, period)  # type: ignore[arg-type]


def test_a_period_inside_the_data_has_some(ops: object) -> None:
    assert no_data(ops, "credit_bulletin", "2010-W48") is None  # type: ignore[arg-type]
    assert no_data(ops, "retention_service", "2009-01") is None  # type: ignore[arg-type]


def test_the_command_line_says_there_is_no_data_and_exits_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["report", "credit_bulletin", "--customers", "300"]
    assert main([*args, "--week", "2008-W01"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        "report credit_bulletin: no data for 2008-W01: the synthetic year runs from" in captured.err
    )
    assert main([*args, "--week", "2010-W40"]) == 0
    w40 = capsys.readouterr().out
    assert main([*args, "--week", "2010-W20"]) == 0
    w20 = capsys.readouterr().out
    assert "2010-W40" in w40 and "2010-W20" in w20
    programme = [line for line in w40.splitlines() if line.startswith("programme")]
    assert programme and programme != [l for l in w20.splitlines() if l.startswith("programme")]  # noqa: E741


def test_the_bulletin_and_the_demo_say_what_their_suspensions_count(
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = run_demo(N, seed=SEED)
    ben = report.sections["benefits"]
    bulletin = build_report(
        operation_year(generate_base(N, seed=SEED), seed=SEED), "credit_bulletin"
    )
    # the same base and day: the bulletin's "suspended" is the demo's "over the allowance"
    assert ben["over_allowance"] == bulletin.count("suspended")
    assert ben["suspend"] == ben["over_allowance"] - ben["held"] + ben["spam_guard_only"]
    assert (
        f"= {ben['over_allowance']:,} over their credit allowance (the credit bulletin's "
        f'"suspended") - {ben["held"]:,} of them held + {ben["spam_guard_only"]:,} by the spam '
        "guard alone" in report.render()
    )
    assert main(["report", "credit_bulletin", "--customers", str(N), "--seed", str(SEED)]) == 0
    out = capsys.readouterr().out
    assert "suspended: accounts over their credit allowance at the period's end" in out
    assert "spam guard" in out and "delayed suspension" in out
