"""A report and its registry built from hostile values (#28 fuzz rows Report, Report.only,
ReportRegistry, ReportSpec.run, ManagerBook.rows/manager_of): each is refused by name,
never a bare TypeError from deep inside, and a wrong row selection never reads as a
broken report."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import telcare as tc

NOV = tc.Period.parse("2010-11")
LEVELS, GROUPS = ("manager", "programme"), ("li", "programme")
COUNTS = {"done": np.array([1, 1]), "due": np.array([2, 2])}
RATES = {"done": ("done", "due")}


def _report(**changed: Any) -> tc.Report:
    fields: dict[str, Any] = {"name": "demo", "title": "Demo", "period": NOV, "levels": LEVELS,
                              "groups": GROUPS, "counts": COUNTS, "rates": RATES} | changed  # fmt: skip
    return tc.Report(**fields)


def test_a_report_built_from_its_fields_checks_each() -> None:
    assert _report(levels=list(LEVELS)).levels == LEVELS  # a list of labels is read as a tuple
    assert _report().counts["done"].dtype == np.int64


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({"levels": math.nan}, "Report.levels must be a tuple of row labels, got float nan"),
        ({"groups": ("li", None)}, r"Report.groups\[1\] must be a str, got NoneType None"),
        ({"period": "2010-11"}, "Report.period must be a Period, got str"),
        ({"name": None}, "Report.name must be a str, got NoneType None"),
        ({"counts": [1, 2]}, "Report.counts must be a mapping of names to columns, got list"),
        ({"counts": {"done": [1.0, math.nan], "due": [2, 2]}},
         r"Report.counts\['done'\] must be finite, got nan at index 1"),
        ({"counts": {"done": [True, False], "due": [2, 2]}}, r"Report.counts\['done'\]"),
        ({"counts": {"done": [1], "due": [2, 2]}}, r"Report.counts\['done'\] has 1 rows for 2 groups"),
        ({"rates": {"done": "done"}}, r"Report.rates\['done'\] must be a pair of names, got 'done'"),
        ({"rates": {"done": ("done", "gone")}}, r"Report.rates name \['gone'\], which Report.counts does not have \(it has \['done', 'due'\]\)"),
        ({"changes": {"pp": ("done", "gone")}}, r"Report.changes name \['gone'\], which Report.rates does not"),
        ({"counts": {}}, r"Report.rates name \['done', 'due'\], which Report.counts does not have"),
        ({"previous": 3}, "Report.previous must be a Report or None, got int"),
    ],
)  # fmt: skip
def test_a_hostile_report_field_is_refused_by_name(changed: dict[str, Any], message: str) -> None:
    """levels=nan was a TypeError ('float' object is not iterable) from the row check."""
    with pytest.raises(tc.InvalidInput, match=message):
        _report(**changed)


def test_only_refuses_a_row_named_twice_by_the_rows_argument() -> None:
    """only([1, 1]) was refused as a broken report ('needs one row per (level, group)')."""
    r = _report()
    with pytest.raises(tc.InvalidInput, match=r"rows must name each row once, got \[1, 1\]"):
        r.only([1, 1])
    assert r.only([1, 0]).groups == ("programme", "li")


def test_a_registry_names_its_field_when_a_spec_is_not_one() -> None:
    with pytest.raises(
        tc.InvalidInput, match=r"ReportRegistry.specs: reports\[0\] must be a ReportSpec, got int 1"
    ):
        tc.ReportRegistry([1, math.nan])  # type: ignore[list-item]


def test_run_without_a_period_says_to_give_one_when_the_operation_has_none() -> None:
    book = tc.manager_book(["a"], ["li"])
    log = tc.action_log([0], ["first_bill"], ["2010-11-29"], ["2010-12-02"])
    with pytest.raises(tc.InvalidInput, match="does not have; give period="):
        tc.REPORTS["execution_report"].run({"log": log, "book": book})
    assert (
        tc.REPORTS["execution_report"].run({"log": log, "book": book}, "2010-W48").count("due") == 1
    )


@pytest.mark.parametrize("lookup", ["rows", "manager_of"])
def test_an_unknown_customer_is_refused_naming_the_ids_argument(lookup: str) -> None:
    book = tc.manager_book(["a", "b"], ["li", ""])
    with pytest.raises(tc.InvalidInput, match=r"ids: customer '1' \(index 0\) is not in the book"):
        getattr(book, lookup)(["1", "2"])


def test_each_row_of_a_report_of_thousands_of_groups_is_found_by_group_and_level() -> None:
    """Rows are looked up by (group, level) in a table built with the report: each row's
    rate is its own, a group named at two levels still needs its level, and a report
    that comes back from pickle finds its rows the same way."""
    import pickle

    n = 3_000
    levels = ("manager",) * n + ("team", "team", "programme")
    groups = (*(f"m{i}" for i in range(n)), "m7", "north", "programme")
    done, due = np.arange(n + 3), np.full(n + 3, 10_000)
    r = _report(levels=levels, groups=groups, counts={"done": done, "due": due}, previous=None)
    again = pickle.loads(pickle.dumps(r))
    for report in (r, again):
        assert [row["done"] for row in report.rows()] == done.tolist()
        assert report.rate("done", "m2999").numerator == 2999
        assert report.rate("done", "m7", level="team").numerator == n
        assert report.count("done") == n + 2 and report.count("done", "north") == n + 1
        with pytest.raises(
            tc.InvalidInput, match=r"a group 'm7' at the levels \['manager', 'team'\]"
        ):
            report.rate("done", "m7")
        with pytest.raises(tc.InvalidInput, match="has no group 'south'"):
            report.count("done", "south")
        assert len(report.rows("team")) == 2 and report.only([0, n + 2]).groups == (
            "m0",
            "programme",
        )
