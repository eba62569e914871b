"""The reports read from the base's state pinned exactly: retention service from an
integer or aware-dated activity matrix, the credit bulletin's every count, names and
titles, and the refusals' messages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pytest

import telcare as tc

BOOK = tc.manager_book(["a", "b"], ["li", "wang"])
MONTHS = ["2010-09", "2010-10", "2010-11"]


def test_retention_service_reads_a_matrix_of_zeros_and_ones_as_booleans() -> None:
    ints = tc.retention_service(np.array([[1, 1, 0], [1, 0, 0]]), MONTHS, BOOK, "2010-11")
    bools = tc.retention_service(np.array([[True, True, False], [True, False, False]]), MONTHS,
                                 BOOK, "2010-11")  # fmt: skip
    assert ints.rows() == bools.rows()
    assert (ints.name, ints.title) == ("retention_service", "Retention service")
    assert list(ints.changes) == ["retention_pp", "retention_3_pp"]
    # November: a was active at October's end and left; October: both, b left
    assert {k: v.tolist() for k, v in ints.counts.items() if "year" not in k} == {
        "base": [1, 0, 0, 1, 1], "retained": [0, 0, 0, 0, 0],
        "base_3": [2, 1, 0, 3, 3], "retained_3": [1, 0, 0, 1, 1],
    }  # fmt: skip


def test_retention_service_reads_aware_months_in_the_policys_time_zone() -> None:
    # 20:00 UTC on the last day of a month is the first of the next in Shanghai
    months = [datetime(2010, 9, 30, 20, tzinfo=UTC),
              datetime(2010, 10, 31, 20, tzinfo=UTC)]  # fmt: skip
    r = tc.retention_service([[True, True], [True, False]], months, BOOK, "2010-11")
    assert r.rate("retention") == tc.Rate(1, 2)
    assert tc.retention_service([[True, True], [True, False]], months, BOOK, "2010-10").rate(
        "retention"
    ) == tc.Rate(0, 0)


@pytest.mark.parametrize(
    ("active", "months", "message"),
    [
        ([True, True], ["2010-11"], "active must be a 2-D column, got shape (2,)"),
        ([[1.0], [0.0]], ["2010-11"], "active must hold booleans, got dtype float64"),
        ([[0, 2], [1, 1]], ["2010-10", "2010-11"], "active must hold booleans, got dtype int64"),
        ([[True] * 3] * 2, ["2010-09", "2010-10", "2010-12"],
         "months must be consecutive, oldest first: 2010-10 then 2010-12"),
        ([[True] * 2] * 2, [date(2010, 10, 1), 5], "months[1] must be a date, got int 5"),
        ([[True] * 2] * 2, 5, "months must be a 1-D column, got shape ()"),
    ],
)  # fmt: skip
def test_retention_service_refuses_by_name(active: Any, months: Any, message: str) -> None:
    with pytest.raises(tc.InvalidInput) as caught:
        tc.retention_service(active, months, BOOK, "2010-11")
    assert str(caught.value) == message


def test_the_credit_bulletin_counts_every_level_and_flow() -> None:
    book = tc.manager_book(["a", "b", "c", "d", "e"], ["li", "li", "wang", "wang", "wang"])
    r = tc.credit_bulletin([2, 2, 3, 1, 0], [True, False, True, False, False], book, "2010-11",
                           previous_colour=[0, 2, 3, 3, 0],
                           previous_suspended=[False, True, True, True, False])  # fmt: skip
    assert (r.name, r.title) == ("credit_bulletin", "Credit-control warning bulletin")
    assert list(r.rates) == ["red_share", "recovery"]
    assert {k: r.count(k) for k in r.counts} == {
        "accounts": 5, "yellow": 1, "orange": 2, "red": 1, "suspended": 2,
        "newly_suspended": 1, "recovered": 2, "suspended_before": 3,
    }  # fmt: skip
    assert r.count("orange", "li") == 2 and r.count("suspended", "wang") == 1
    assert r.count("suspended_before", "wang") == 2 and r.rate("recovery") == tc.Rate(2, 3)
    before = r.previous
    assert before is not None
    assert (before.name, before.title, before.period.label) == (
        "credit_bulletin",
        "Credit-control warning bulletin",
        "2010-10",
    )
    assert list(before.rates) == ["red_share"]
    assert {k: before.count(k) for k in before.counts} == {
        "accounts": 5,
        "yellow": 0,
        "orange": 1,
        "red": 2,
        "suspended": 3,
    }


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"colour": [0, 4]}, "colour must be <= 3, got 4 at index 1"),
        ({"suspended": [False, 3]}, "suspended must hold booleans (0 or 1), got 3 at index 1"),
        ({"suspended": [False]}, "columns must have equal lengths, got book=2, colour=2, suspended=1"),
        ({"previous_colour": [0, 4], "previous_suspended": [False] * 2},
         "previous_colour must be <= 3, got 4 at index 1"),
        ({"previous_colour": [0, 1], "previous_suspended": [False]},
         "columns must have equal lengths, got book=2, previous_colour=2, previous_suspended=1"),
        ({"previous_suspended": [False] * 2}, "give previous_colour and previous_suspended together"),
    ],
)  # fmt: skip
def test_the_credit_bulletin_refuses_by_name(kw: dict[str, Any], message: str) -> None:
    args: dict[str, Any] = {"colour": [0, 3], "suspended": [False, True]} | kw
    with pytest.raises(tc.InvalidInput) as caught:
        tc.credit_bulletin(args.pop("colour"), args.pop("suspended"), BOOK, "2010-11", **args)
    assert str(caught.value) == message
