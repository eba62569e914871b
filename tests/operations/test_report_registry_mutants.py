"""The report registry pinned exactly: its rows' periods, names of build functions,
keyword inputs, reading an operation's attributes, and the refusals' messages."""

from __future__ import annotations

import functools
from types import SimpleNamespace
from typing import Any

import pytest

import telcare as tc

BOOK = tc.manager_book(["a", "b"], ["li", "li"])
LOG = tc.action_log([0, 1], ["first_bill"] * 2, ["2010-11-22", "2010-11-29"],
                    ["2010-11-24", "2010-12-01"], closed_on=["2010-11-23", None])  # fmt: skip


def test_a_row_may_be_monthly_or_weekly_and_nothing_else() -> None:
    monthly = tc.ReportSpec("mine", "month", ("log", "book"), tc.execution_report)
    assert (
        monthly.period == "month"
        and tc.ReportSpec("w", "week", (), tc.execution_report).period == "week"
    )
    for bad, shown in (("day", "'day'"), (3, "'3'"), ("Month", "'Month'")):
        with pytest.raises(tc.InvalidInput) as caught:
            tc.ReportSpec("x", bad, ("log",), tc.execution_report)  # type: ignore[arg-type]
        assert (
            str(caught.value) == f"ReportSpec.period must be one of ('week', 'month'), got {shown}"
        )


def test_a_build_without_a_qualname_is_named_by_its_type() -> None:
    spec = tc.ReportSpec("mine", "week", ("log", "book"), functools.partial(tc.execution_report))
    assert spec.to_dict()["build"] == "partial"
    assert tc.REPORTS.with_report(spec).to_dict()["build"][-1] == "partial"
    assert "<caption>ReportSpec</caption>" in spec._repr_html_()
    assert "<td style='text-align:left'>partial</td>" in spec._repr_html_()


def test_the_registry_table_names_each_rows_period() -> None:
    assert tc.REPORTS.to_dict()["period"] == ["week", "week", "month", "week", "week"]
    assert list(tc.REPORTS.to_dict()) == ["name", "period", "inputs", "keywords", "build"]


def test_a_row_passes_keywords_through_when_called() -> None:
    spec = tc.REPORTS["credit_bulletin"]
    r = spec([3, 0], [False, False], BOOK, "2010-W48", previous_colour=[0, 0],
             previous_suspended=[True, False])  # fmt: skip
    assert r.count("recovered") == 1 and "recovery" in r.rates


def test_a_row_reads_an_objects_attributes_and_names_what_it_lacks() -> None:
    spec = tc.REPORTS["execution_report"]
    r = spec.run(SimpleNamespace(log=LOG, book=BOOK, week="2010-W48"))
    assert r.period.label == "2010-W48" and r.count("due") == 1
    with pytest.raises(tc.InvalidInput) as caught:
        spec.run(SimpleNamespace(book=BOOK, week="2010-W48"))
    assert str(caught.value) == (
        "report 'execution_report' reads 'log', which the operation (SimpleNamespace) does not have"
    )
    # an attribute that is None is a value, passed on: the report refuses it by name
    with pytest.raises(tc.InvalidInput, match="needs an ActionLog, got NoneType"):
        spec.run(SimpleNamespace(log=None, book=BOOK, week="2010-W48"))


def test_build_uses_the_period_given_over_the_operations() -> None:
    operation = {"log": LOG, "book": BOOK, "week": "2010-W48"}
    assert tc.REPORTS.build("execution_report", operation).period.label == "2010-W48"
    given = tc.REPORTS.build("execution_report", operation, "2010-W47")
    assert given.period.label == "2010-W47" and given.count("on_time") == 1


def test_get_gives_the_default_for_an_unknown_name() -> None:
    assert tc.REPORTS.get("weekly", "none") == "none"
    assert tc.REPORTS.get("execution_report", "none") is tc.REPORTS["execution_report"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: tc.REPORTS["weekly"],
         "unknown report 'weekly'; reports: retention_indicators, callback_report, "
         "retention_service, execution_report, credit_bulletin"),
        (lambda: tc.REPORTS.with_report("weekly"), "with_report() needs a ReportSpec, got str"),
    ],
)  # fmt: skip
def test_the_registry_refuses_by_name(call: Any, message: str) -> None:
    with pytest.raises(tc.InvalidInput) as caught:
        call()
    assert str(caught.value) == message
