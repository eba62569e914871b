"""A report's renderings, headline, frame and restriction, pinned exactly.

One small report built by hand: a manager and a team that share a name (``x``),
a manager whose name holds a pipe, a rate whose denominator is zero, a rate the
period before does not have, a reference rate of a change listed first, and a
change that is undefined in one row.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import telcare as tc

LEVELS = ("manager", "manager", "team", "programme")
GROUPS = ("x", "a|b", "x", "programme")


def _report(period: str, done: list[int], due: list[int], ly_done: list[int], ly_due: list[int],
            previous: tc.Report | None = None, *, fresh: bool = True) -> tc.Report:  # fmt: skip
    rates = {"ly": ("ly_done", "ly_due"), "empty": ("zero", "zero"), "rate": ("done", "due")}
    if fresh:
        rates["fresh"] = ("done", "due")
    counts = {"done": np.array(done), "due": np.array(due), "ly_done": np.array(ly_done),
              "ly_due": np.array(ly_due), "zero": np.zeros(4, dtype=np.int64)}  # fmt: skip
    return tc.Report("demo", "Demo", tc.Period.parse(period), LEVELS, GROUPS, counts, rates,
                     {"yoy": ("rate", "ly")}, previous)  # fmt: skip


def _demo() -> tc.Report:
    before = _report("2010-10", [1, 0, 1, 1], [2, 0, 2, 2], [0] * 4, [0] * 4, fresh=False)
    return _report("2010-11", [3, 1, 3, 4], [4, 2, 4, 6], [1, 0, 1, 1], [2, 0, 2, 2], before)


CAPTION = "Demo, month 2010-11 (2010-11-01 to 2010-11-30); changes against 2010-10"


def test_a_report_prints_as_an_aligned_table_under_its_caption() -> None:
    assert str(_demo()).splitlines() == [
        CAPTION,
        "level      group      done  due  ly_done  ly_due  zero                  ly         empty"
        "                          rate                fresh        yoy",
        "manager    x             3    4        1       2     0  50.00% [9.5, 90.5]  n/a (0 of 0)"
        "  75.00% [30.1, 95.4] +25.0 pp  75.00% [30.1, 95.4]  +25.00 pp",
        "manager    a|b           1    2        0       0     0        n/a (0 of 0)  n/a (0 of 0)"
        "            50.00% [9.5, 90.5]   50.00% [9.5, 90.5]        n/a",
        "team       x             3    4        1       2     0  50.00% [9.5, 90.5]  n/a (0 of 0)"
        "  75.00% [30.1, 95.4] +25.0 pp  75.00% [30.1, 95.4]  +25.00 pp",
        "programme  programme     4    6        1       2     0  50.00% [9.5, 90.5]  n/a (0 of 0)"
        "  66.67% [30.0, 90.3] +16.7 pp  66.67% [30.0, 90.3]  +16.67 pp",
    ]


def test_a_report_without_a_previous_one_names_no_changes_against_it() -> None:
    alone = _report("2010-11", [3, 1, 3, 4], [4, 2, 4, 6], [1, 0, 1, 1], [2, 0, 2, 2])
    assert str(alone).splitlines()[0] == "Demo, month 2010-11 (2010-11-01 to 2010-11-30)"
    assert (
        str(alone).splitlines()[2].endswith("75.00% [30.1, 95.4]  75.00% [30.1, 95.4]  +25.00 pp")
    )


def test_a_report_as_markdown_escapes_pipes_and_right_aligns_the_figures() -> None:
    assert _demo().to_markdown().splitlines() == [
        f"**{CAPTION}**",
        "",
        "| level | group | done | due | ly_done | ly_due | zero | ly | empty | rate | fresh | yoy |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        "| manager | x | 3 | 4 | 1 | 2 | 0 | 50.00% [9.5, 90.5] | n/a (0 of 0) "
        "| 75.00% [30.1, 95.4] +25.0 pp | 75.00% [30.1, 95.4] | +25.00 pp |",
        "| manager | a\\|b | 1 | 2 | 0 | 0 | 0 | n/a (0 of 0) | n/a (0 of 0) "
        "| 50.00% [9.5, 90.5] | 50.00% [9.5, 90.5] | n/a |",
        "| team | x | 3 | 4 | 1 | 2 | 0 | 50.00% [9.5, 90.5] | n/a (0 of 0) "
        "| 75.00% [30.1, 95.4] +25.0 pp | 75.00% [30.1, 95.4] | +25.00 pp |",
        "| programme | programme | 4 | 6 | 1 | 2 | 0 | 50.00% [9.5, 90.5] | n/a (0 of 0) "
        "| 66.67% [30.0, 90.3] +16.7 pp | 66.67% [30.0, 90.3] | +16.67 pp |",
    ]


def test_a_report_as_html_is_one_table_with_left_labels_and_right_figures() -> None:
    html = _demo()._repr_html_()
    head = "".join(f"<th>{h}</th>" for h in ("level", "group", "done", "due", "ly_done", "ly_due",
                                              "zero", "ly", "empty", "rate", "fresh", "yoy"))  # fmt: skip
    second = (
        "<tr><td style='text-align:left'>manager</td><td style='text-align:left'>a|b</td>"
        + "".join(f"<td style='text-align:right'>{c}</td>" for c in (
            "1", "2", "0", "0", "0", "n/a (0 of 0)", "n/a (0 of 0)", "50.00% [9.5, 90.5]",
            "50.00% [9.5, 90.5]", "n/a"))
        + "</tr>"
    )  # fmt: skip
    assert html.startswith(f"<table><caption>{CAPTION}</caption><tr>{head}</tr><tr><td ")
    assert second in html and html.endswith("</tr></table>")
    assert html.count("<tr>") == 5 and html.count("</tr>") == 5
    assert html.count("text-align:left") == 8 and html.count("text-align:right") == 40


def test_the_headline_skips_references_and_empty_rates_and_joins_the_rest() -> None:
    # ``ly`` is only the reference of ``yoy`` and ``empty`` has no denominator: both come
    # before the rates shown; ``fresh`` has no previous figure, so no change after it
    assert _demo().headline() == "Demo 2010-11: rate 66.7% (+16.7 pp), fresh 66.7%, yoy +16.7 pp"


def test_a_headline_with_nothing_to_show_says_so() -> None:
    nothing = _report("2010-11", [0] * 4, [0] * 4, [0] * 4, [0] * 4)
    assert nothing.headline() == "Demo 2010-11: nothing to report"


def test_the_frame_splits_each_interval_into_low_and_high_columns() -> None:
    frame = _demo().to_frame()
    assert list(frame.columns) == [
        "level", "group", "done", "due", "ly_done", "ly_due", "zero",
        "ly_pct", "ly_low_pct", "ly_high_pct", "ly_vs_previous_pp",
        "empty_pct", "empty_low_pct", "empty_high_pct", "empty_vs_previous_pp",
        "rate_pct", "rate_low_pct", "rate_high_pct", "rate_vs_previous_pp",
        "fresh_pct", "fresh_low_pct", "fresh_high_pct", "fresh_vs_previous_pp", "yoy_pp",
    ]  # fmt: skip
    assert frame["rate_low_pct"].tolist() == [30.0642, 9.4531, 30.0642, 29.9993]
    assert frame["rate_high_pct"].tolist() == [95.4413, 90.5469, 95.4413, 90.3229]
    assert frame["empty_low_pct"].tolist() == [0.0] * 4
    assert frame["empty_high_pct"].tolist() == [100.0] * 4


def test_only_keeps_the_name_title_and_the_previous_rows_it_picks() -> None:
    report = _demo()
    part = report.only([1, 3])
    assert (part.name, part.title, part.period, part.groups) == (
        "demo",
        "Demo",
        report.period,
        ("a|b", "programme"),
    )
    assert part.previous is not None and part.previous.groups == ("a|b", "programme")
    assert part.previous.counts["done"].tolist() == [0, 1]
    assert part.vs_previous("rate") == pytest.approx(report.vs_previous("rate"))
    assert math.isnan(part.vs_previous("rate", "a|b"))
    last = report.only([3])  # the last row is a row
    assert last.groups == ("programme",) and last.previous is not None
    assert _report("2010-11", [0] * 4, [0] * 4, [0] * 4, [0] * 4).only([0]).previous is None


@pytest.mark.parametrize(
    ("rows", "message"),
    [([4], "rows must be <= 3, got 4 at index 0"), ([-1], "rows must be >= 0, got -1 at index 0"),
     ([0, True], "rows must hold integers, got the bool True at index 1")],
)  # fmt: skip
def test_only_refuses_rows_beyond_the_report_by_name(rows: list[int], message: str) -> None:
    with pytest.raises(tc.InvalidInput) as caught:
        _demo().only(rows)
    assert str(caught.value) == message


def test_each_row_is_compared_with_the_same_row_of_the_period_before() -> None:
    # the period before differs between manager x (1 of 2) and team x (2 of 2)
    before = _report("2010-10", [1, 0, 2, 1], [2, 0, 2, 2], [0] * 4, [0] * 4)
    r = _report("2010-11", [3, 1, 3, 4], [4, 2, 4, 6], [1, 0, 1, 1], [2, 0, 2, 2], before)
    assert r.vs_previous("rate", "x", level="manager") == pytest.approx(25.0)
    assert r.vs_previous("rate", "x", level="team") == pytest.approx(-25.0)
    assert r.vs_previous("rate") == pytest.approx(16.6667, abs=1e-4)
    assert [row["rate_vs_previous_pp"] for row in r.rows()] == [25.0, None, -25.0, 16.6667]


def test_rows_round_to_four_places_and_leave_undefined_figures_none() -> None:
    rows = _demo().rows()
    assert rows[3]["rate_pct"] == 66.6667 and rows[3]["rate_ci_pct"] == [29.9993, 90.3229]
    assert [row["yoy_pp"] for row in rows] == [25.0, None, 25.0, 16.6667]
    assert [row["group"] for row in _demo().rows("team")] == ["x"]


def test_the_report_as_json_names_its_period_and_the_one_before() -> None:
    d = _demo().to_dict()
    assert {k: v for k, v in d.items() if k != "rows"} == {
        "name": "demo", "title": "Demo",
        "period": {"label": "2010-11", "start": "2010-11-01", "end": "2010-11-30"},
        "previous": "2010-10",
    }  # fmt: skip
    assert d["rows"] == _demo().rows()
    assert _report("2010-11", [0] * 4, [0] * 4, [0] * 4, [0] * 4).to_dict()["previous"] is None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda r: r.rate("rate", "x", level="day"),
         "level must be one of ('manager', 'team', 'programme'), got 'day'"),
        (lambda r: r.rate("rate", "x", level=3),
         "level must be one of ('manager', 'team', 'programme'), got '3'"),
        (lambda r: r.rows("day"), "level must be one of ('manager', 'team', 'programme'), got 'day'"),
        (lambda r: r.rows(3), "level must be one of ('manager', 'team', 'programme'), got '3'"),
        (lambda r: r.rate("rate", level="team"), "demo: give the group of level 'team'"),
        (lambda r: r.rate("rate", 3), "a group is a str, got int 3"),
        (lambda r: r.rate("rate", "x"),
         "demo has a group 'x' at the levels ['manager', 'team']; give level= one of them"),
        (lambda r: r.rate("rate", "zz", level="team"),
         "demo has no group 'zz' at level 'team'; groups: ['a|b', 'programme', 'x']"),
        (lambda r: r.rate("rate", "zz"), "demo has no group 'zz'; groups: ['a|b', 'programme', 'x']"),
    ],
)  # fmt: skip
def test_a_row_is_found_by_group_and_level_or_refused_by_name(call: Any, message: str) -> None:
    with pytest.raises(tc.InvalidInput) as caught:
        call(_demo())
    assert str(caught.value) == message


def test_no_group_at_the_programme_level_is_the_programme() -> None:
    assert _demo().rate("rate", level="programme") == tc.Rate(4, 6)


@pytest.mark.parametrize(
    ("levels", "groups", "message"),
    [
        (("manager", "manager"), ("x", "x"), "[('manager', 'x')] repeat"),
        (("manager", "team", "team"), ("x", "y", "y"), "[('team', 'y')] repeat"),
        (("manager", "team"), ("x",), "2 levels for 1 groups"),
    ],
)  # fmt: skip
def test_a_report_needs_one_row_per_level_and_group(
    levels: tuple[str, ...], groups: tuple[str, ...], message: str
) -> None:
    with pytest.raises(tc.InvalidInput) as caught:
        tc.Report("demo", "Demo", tc.Period.parse("2010-11"), levels, groups, {}, {})
    assert str(caught.value) == f"report 'demo' needs one row per (level, group): {message}"
