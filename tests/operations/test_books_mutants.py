"""Managers' books and the service list pinned exactly: their JSON columns, their
Jupyter summaries, the benefit rule's reasons, lookups that miss, and every refusal's
message."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

import telcare as tc

AS_OF = date(2010, 12, 1)
BOOK = tc.manager_book(["a", "b", "c", "d"], ["li", "", "wang", "li"], team=["n", "", "s", "n"],
                       since=["2010-01-05", None, "2010-03-01", "2010-02-01"])  # fmt: skip
# a: on li's book; b: waiting since 20 Nov (overdue); c: suspended, to withdraw from wang;
# d: a plan below the rule's fee, to withdraw from li
COLUMNS: dict[str, Any] = {"tier": [0, 0, 4, 2], "segment_member": [False, True, False, False],
                           "plan_fee": [12_800, 12_800, 12_800, 5_800], "verification": [1, 1, 1, 1],
                           "status": [0, 0, 1, 0]}  # fmt: skip
SINCE = [None, "2010-11-20", None, None]


def _service(**kw: Any) -> tc.ServiceList:
    cols = COLUMNS | kw
    since, as_of = cols.pop("eligible_since", SINCE), cols.pop("as_of", AS_OF)
    return tc.service_list(BOOK, *cols.values(), eligible_since=since, as_of=as_of)


def test_the_book_as_json_names_no_manager_and_no_team_as_empty() -> None:
    assert json.loads(json.dumps(BOOK.to_dict())) == {
        "id": ["a", "b", "c", "d"], "manager": ["li", "", "wang", "li"], "team": ["n", "", "s", "n"],
        "since": ["2010-01-05", None, "2010-03-01", "2010-02-01"],
    }  # fmt: skip
    no_team = tc.manager_book(["a", "b"], ["li", ""])
    assert no_team.to_dict()["team"] == ["", ""]


def test_the_book_sums_itself_up_per_manager() -> None:
    assert BOOK._repr_html_() == (
        "<table><caption>ManagerBook of 4 customers</caption>"
        "<tr><th style='text-align:left'>li</th><td style='text-align:left'>2 customers</td></tr>"
        "<tr><th style='text-align:left'>wang</th><td style='text-align:left'>1 customers</td></tr>"
        "<tr><th style='text-align:left'>no manager</th><td style='text-align:left'>1 customers</td></tr>"
        "</table>"
    )


@pytest.mark.parametrize(
    ("book", "ids", "message"),
    [
        (tc.manager_book([], []), ["a"], "ids: customer 'a' (index 0) is not in the book"),
        (tc.manager_book([1, 2], ["x", "y"]), ["a"],
         "ids: customer 'a' (index 0) is not in the book; ids must be of the same kind as the book's ids"),
        (tc.manager_book(["a"], ["x"]), [1],
         "ids: customer 1 (index 0) is not in the book; ids must be of the same kind as the book's ids"),
        (tc.manager_book(["a", "c"], ["x", "y"]), ["c", "b"], "ids: customer 'b' (index 1) is not in the book"),
    ],
)  # fmt: skip
def test_a_lookup_that_misses_names_the_id(book: tc.ManagerBook, ids: Any, message: str) -> None:
    with pytest.raises(tc.InvalidInput) as caught:
        book.rows(ids)
    assert str(caught.value) == message


def test_the_service_list_as_json() -> None:
    assert json.loads(json.dumps(_service().to_dict())) == {
        "id": ["a", "b", "c", "d"], "manager": ["li", "", "wang", "li"],
        "since": ["2010-01-05", None, "2010-03-01", "2010-02-01"],
        "state": ["on_book", "waiting", "withdraw", "withdraw"],
        "waiting_since": ["2010-12-01", "2010-11-20", "2010-12-01", "2010-12-01"],
        "due_by": ["2010-12-03", "2010-11-22", "2010-12-03", "2010-12-03"],
        "overdue": [False, True, False, False],
    }  # fmt: skip


def test_the_service_list_sums_itself_up_per_manager() -> None:
    assert _service()._repr_html_() == (
        "<table><caption>Service list as of 2010-12-01</caption>"
        "<tr><th style='text-align:left'>li</th><td style='text-align:left'>1 on the book, 1 to withdraw</td></tr>"
        "<tr><th style='text-align:left'>wang</th><td style='text-align:left'>0 on the book, 1 to withdraw</td></tr>"
        "<tr><th style='text-align:left'>waiting</th><td style='text-align:left'>1 (1 beyond the deadline)</td></tr>"
        "</table>"
    )


def test_the_reason_is_the_benefit_rules_own_for_each_row() -> None:
    sl = _service()
    assert [sl.reason(i) for i in range(4)] == [
        "qualifies: plan fee ¥128.00 >= ¥96.00; account active",
        "qualifies: plan fee ¥128.00 >= ¥96.00; account active",
        "qualifies: plan fee ¥128.00 >= ¥96.00; account suspended: served only when active",
        "does not qualify: plan fee ¥58.00 < ¥96.00; account active",
    ]
    with pytest.raises(tc.InvalidInput) as caught:
        sl.reason(4)
    assert str(caught.value) == "row must be <= 3, got 4"


def test_manager_rows_needs_a_managers_name() -> None:
    with pytest.raises(tc.InvalidInput) as caught:
        _service().manager_rows(3)  # type: ignore[arg-type]
    assert str(caught.value) == "manager must be a str, got int 3"


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"tier": [True, 0, 0, 0]}, "tier must hold integers, got the bool True at index 0"),
        ({"tier": [9, 0, 0, 0]}, "tier must be <= 4, got 9 at index 0"),
        ({"segment_member": [2, 0, 0, 0]}, "segment_member must hold booleans (0 or 1), got 2 at index 0"),
        ({"plan_fee": [True, 0, 0, 0]}, "plan_fee must hold integers, got the bool True at index 0"),
        ({"plan_fee": [10**14 + 1, 0, 0, 0]},
         "plan_fee must be <= 100000000000000, got 100000000000001 at index 0"),
        ({"plan_fee": [0, -1, 0, 0]}, "plan_fee must be >= 0, got -1 at index 1"),
        ({"verification": [True, 0, 0, 0]}, "verification must hold integers, got the bool True at index 0"),
        ({"verification": [9, 0, 0, 0]}, "verification must be <= 2, got 9 at index 0"),
        ({"status": [True, 0, 0, 0]}, "status must hold integers, got the bool True at index 0"),
        ({"status": [9, 0, 0, 0]}, "status must be <= 2, got 9 at index 0"),
        ({"as_of": "soon"}, "as_of must be a date, got str 'soon'"),
    ],
)  # fmt: skip
def test_the_service_list_refuses_each_bad_column_by_name(kw: dict[str, Any], message: str) -> None:
    with pytest.raises(tc.InvalidInput) as caught:
        _service(**kw)
    assert str(caught.value) == message


@pytest.mark.parametrize("short", [*COLUMNS, "eligible_since"])
def test_the_service_list_names_the_column_of_the_wrong_length(short: str) -> None:
    cols: dict[str, Any] = COLUMNS | {"eligible_since": SINCE}
    lengths = {"book": 4} | {name: 3 if name == short else 4 for name in cols}
    with pytest.raises(tc.InvalidInput) as caught:
        _service(**{short: cols[short][:3]})
    assert str(caught.value) == "columns must have equal lengths, got " + ", ".join(
        f"{name}={n}" for name, n in lengths.items()
    )


def test_the_service_list_needs_a_book() -> None:
    with pytest.raises(tc.InvalidInput) as caught:
        tc.service_list("book", *COLUMNS.values(), eligible_since=SINCE, as_of=AS_OF)  # type: ignore[arg-type]
    assert str(caught.value) == "service_list() needs a ManagerBook, got str"
