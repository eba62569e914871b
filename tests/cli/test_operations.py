"""The synthetic operation year, the demo's five headlines and ``python -m telcare report``."""

from __future__ import annotations

import json

import numpy as np
import pytest

import telcare as tc
from telcare.cli import main
from telcare.cli._demo import run_demo
from telcare.cli._operations import build_report, operation_year
from telcare.synthetic import generate_base


@pytest.fixture(scope="module")
def ops() -> object:
    return operation_year(generate_base(4_000, seed=11), seed=11)


def test_the_operation_year_is_reproducible_and_consistent(ops: object) -> None:
    again = operation_year(generate_base(4_000, seed=11), seed=11)
    assert isinstance(ops, type(again))
    assert np.array_equal(ops.log.row, again.log.row) and np.array_equal(ops.active, again.active)  # type: ignore[attr-defined]
    book, log = ops.book, ops.log  # type: ignore[attr-defined]
    # the book serves only customers the service_manager rule entitles, and no suspicious one
    base = generate_base(4_000, seed=11)
    served = book.manager >= 0
    assert not (served & (base.verification == int(tc.Verification.SUSPICIOUS))).any()
    assert (base.plan_fee[served] >= 9_600).all()
    assert {"credit_alert", "new_subscriber_callback", "first_bill"} <= set(log.moments)
    # a customer whose callback found them suspicious has no service manager
    callbacks = log.of_moments(["new_subscriber_callback"])
    failed = log.row[callbacks & log.with_outcome("suspicious")]
    assert len(failed) and (book.manager[failed] == -1).all()
    confirmed = log.row[callbacks & log.with_outcome("genuine")]
    assert (base.verification[confirmed] == int(tc.Verification.GENUINE)).all()
    assert (log.closed_on[~np.isnat(log.closed_on)] <= np.datetime64(ops.week.end)).all()  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(tc.REPORTS))
def test_every_report_builds_and_adds_up(ops: object, name: str) -> None:
    report = build_report(ops, name)  # type: ignore[arg-type]
    levels = np.array(report.levels)
    for col in report.counts.values():
        assert (
            col[levels == "manager"].sum()
            == col[levels == "programme"][0]
            == col[levels == "team"].sum()
        )
    assert report.previous is not None and report.headline().startswith(report.title)
    assert json.loads(json.dumps(report.to_dict()))["rows"][-1]["group"] == "programme"


def test_build_report_refuses_an_unknown_name(ops: object) -> None:
    with pytest.raises(tc.InvalidInput, match="unknown report 'weekly'"):
        build_report(ops, "weekly")  # type: ignore[arg-type]


def test_the_demo_prints_the_five_headlines() -> None:
    report = run_demo(2_000, seed=4)
    assert list(report.sections["reports"]) == list(tc.REPORTS)
    text = report.render()
    for r in report.sections["reports"].values():
        assert r["headline"] in text


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_cli_renders_a_report(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    assert main(["report", "callback_report", "--week", "2010-W47", "--customers", "3000",
                 "--format", fmt, "--level", "team"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "2010-W47" in out
    if fmt == "json":
        rows = json.loads(out)["rows"]
        assert rows and {r["level"] for r in rows} == {"team"}
    elif fmt == "markdown":
        assert out.startswith("**New-subscriber callbacks, week 2010-W47") and "|---|---|" in out
    elif fmt == "html":
        assert out.startswith("<table>") and "manager" not in out.split("</caption>")[1]
    else:
        assert out.splitlines()[1].split()[:3] == ["level", "group", "required"]


@pytest.mark.parametrize(
    "args",
    [["report", "retention_service", "--week", "2010-W48"], ["report", "credit_bulletin", "--week", "2010-W99"],
     ["report", "nonsense"], ["report", "callback_report", "--customers", "0"],
     ["report", "callback_report", "--seed", "-2"],
     ["report", "callback_report", "--week", "2010-W48", "--month", "2010-11"]],
)  # fmt: skip
def test_cli_refuses_bad_report_arguments(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main([*args, "--customers", "500"] if "--customers" not in args else args)
    assert info.value.code == 2
