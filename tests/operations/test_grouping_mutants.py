"""A report of your own (``grouped_report``) pinned exactly: its rows per team, its
previous report, its integer counts, the names no figure may take, and every refusal's
message."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import telcare as tc

BOOK = tc.manager_book(["a", "b", "c", "d"], ["li", "wang", "", "zhao"],
                       team=["north", "south", "", "north"])  # fmt: skip
EVERY = {"all": [0, 1, 2, 3], "one": [1, 3]}


def _report(counter: Any = lambda p: EVERY, rates: Any = None, changes: Any = None,
            **kw: Any) -> tc.Report:  # fmt: skip
    rates = {"share": ("one", "all")} if rates is None else rates
    return tc.grouped_report("x", "X", BOOK, "2010-11", counter, rates, changes, **kw)


def test_each_team_counts_its_managers_the_first_team_too() -> None:
    r = _report()
    assert r.groups == ("li", "wang", "zhao", "(none)", "north", "south", "(none)", "programme")
    assert r.counts["all"].tolist() == [1, 1, 1, 1, 2, 1, 1, 4]
    assert r.counts["one"].tolist() == [0, 1, 1, 0, 1, 1, 0, 2]
    assert all(col.dtype == np.int64 for col in r.counts.values())
    assert r.rate("share") == tc.Rate(2, 4) and r.rate("share", "south") == tc.Rate(1, 1)


def test_the_previous_report_has_the_same_name_title_rates_and_changes() -> None:
    r = _report(changes={"pp": ("share", "share")}, kind="month")
    assert (r.name, r.title, r.period.label) == ("x", "X", "2010-11")
    assert list(r.changes) == ["pp"] and r.change("pp") == 0.0
    before = r.previous
    assert before is not None and before.previous is None
    assert (before.name, before.title, before.period.label) == ("x", "X", "2010-10")
    assert before.changes == {"pp": ("share", "share")} and before.rates == r.rates


def test_no_figure_may_take_a_name_of_the_reports_own_columns() -> None:
    with pytest.raises(tc.InvalidInput) as caught:
        _report(lambda p: {"a_pct": [0], "n": [0]}, {"a": ("n", "n"), "b": ("n", "n")})
    assert str(caught.value) == (
        "x's figures ['a_pct'] would be overwritten by the report's own columns "
        "(level, group, and each rate's _pct, _ci_pct, _vs_previous_pp and change's _pp)"
    )
    for figure in ("level", "b_ci_pct"):  # with a change, the rates' and the row's names stay taken
        with pytest.raises(
            tc.InvalidInput, match=rf"x's figures \['{figure}'\] would be overwritten"
        ):
            _report(lambda p, f=figure: {f: [0], "n": [0]}, {"a": ("n", "n"), "b": ("n", "n")},
                    {"c": ("a", "b")})  # fmt: skip


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"name": 3}, "name must be a str, got int 3"),
        ({"title": 3}, "title must be a str, got int 3"),
        ({"kind": 3}, "kind must be one of ('week', 'month'), got '3'"),
        ({"kind": "week"}, "this report is weekly, got the month 2010-11"),
        ({"changes": []}, "changes must be a mapping of names to pairs, got list"),
        ({"changes": {"pp": "x"}}, "changes['pp'] must be a pair of names, got 'x'"),
        ({"changes": {"pp": ("share", "gone")}}, "x's changes name rates it does not have: ['gone']"),
        ({"rates": {"s": ("one", "none")}}, "x's rates name figures its counter does not give: ['none']"),
        ({"counter": lambda p: [1]}, "x's counter must give a mapping, got list"),
        ({"counter": lambda p: {"all": [True]}}, "x's all must hold integers, got the bool True at index 0"),
        ({"counter": lambda p: {"all": [4]}}, "x's all must be <= 3, got 4 at index 0"),
        ({"counter": lambda p: EVERY if p.label == "2010-11" else {"all": []}},
         "x's counter gave ['all', 'one'] for 2010-11 but ['all'] for the other period: "
         "it must give the same figures for every period"),
    ],
)  # fmt: skip
def test_grouped_report_refuses_by_name(kw: dict[str, Any], message: str) -> None:
    args: dict[str, Any] = {"name": "x", "title": "X", "counter": lambda p: EVERY,
                            "rates": {"share": ("one", "all")}, "changes": None, "kind": None} | kw  # fmt: skip
    with pytest.raises(tc.InvalidInput) as caught:
        tc.grouped_report(args["name"], args["title"], BOOK, "2010-11", args["counter"],
                          args["rates"], args["changes"], kind=args["kind"])  # fmt: skip
    assert str(caught.value) == message


def test_a_log_naming_a_customer_beyond_the_book_is_refused_by_action() -> None:
    log = tc.action_log([0, 4, 5], ["first_bill"] * 3, ["2010-11-01"] * 3, ["2010-11-02"] * 3)
    with pytest.raises(tc.InvalidInput) as caught:
        tc.execution_report(log, BOOK, "2010-11")
    assert (
        str(caught.value)
        == "the log's action 1 names customer row 4, beyond the book's 4 customers"
    )
    last = tc.action_log([3], ["first_bill"], ["2010-11-01"], ["2010-11-02"])
    assert tc.execution_report(last, BOOK, "2010-11").count("due", "zhao") == 1
