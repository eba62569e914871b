"""An action log's refusals word for word (each names its column and the row), its
columns by name, and the most outcome labels it holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import telcare as tc

DAY, NEXT, BEFORE = "2010-11-29", "2010-11-30", "2010-11-28"


def _refusal(call: Callable[[], Any]) -> str:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    return str(info.value)


def _log(n: int = 1, **columns: Any) -> tc.ActionLog:
    cols: dict[str, Any] = {"row": list(range(n)), "moment": ["first_bill"] * n,
                            "opened_on": [DAY] * n, "due_by": [NEXT] * n, **columns}  # fmt: skip
    return tc.action_log(cols.pop("row"), cols.pop("moment"), cols.pop("opened_on"),
                         cols.pop("due_by"), **cols)  # fmt: skip


def test_dates_out_of_order_are_refused_at_their_own_index() -> None:
    assert _refusal(lambda: _log(2, due_by=[NEXT, BEFORE])) == (
        "due_by 2010-11-28 is before opened_on 2010-11-29 at index 1"
    )
    assert _refusal(lambda: _log(2, closed_on=[None, "2010-11-01"])) == (
        "closed_on 2010-11-01 is before opened_on 2010-11-29 at index 1"
    )


def test_each_column_is_named_in_its_refusal() -> None:
    assert _refusal(lambda: _log(due_by=["nope"])) == (
        "due_by must hold dates, got 'nope' at index 0; write them as '2010-11-29'"
    )
    assert _refusal(lambda: _log(2, moment=["first_bill"])) == (
        "columns must have equal lengths, got row=2, moment=1, outcome=2"
    )
    assert _refusal(lambda: _log(2, outcome=["a"])) == (
        "columns must have equal lengths, got row=2, moment=2, outcome=1"
    )
    assert _refusal(lambda: _log(compliant=[2])) == (
        "compliant must hold booleans (0 or 1), got 2 at index 0"
    )
    assert _refusal(lambda: _log(moments="x")) == "moments must be a MomentRegistry, got str"
    assert _refusal(lambda: _log().state_codes("nope")) == (
        "day must hold dates, got 'nope'; write them as '2010-11-29'"
    )


def test_from_actions_names_what_it_refuses_and_takes_no_actions() -> None:
    book = tc.manager_book(["c1"], ["li"])
    assert _refusal(lambda: tc.ActionLog.from_actions([], "x")) == (  # type: ignore[arg-type]
        "from_actions() needs a ManagerBook, got str"
    )
    assert _refusal(lambda: tc.ActionLog.from_actions(5, book)) == (  # type: ignore[arg-type]
        "actions must be an iterable of Action, got int 5"
    )
    assert _refusal(lambda: tc.ActionLog.from_actions([], book, genuine=5)) == (  # type: ignore[arg-type]
        "genuine must be an iterable of str, got int 5"
    )
    empty = tc.ActionLog.from_actions([], book)
    assert len(empty) == 0 and empty.row.tolist() == []


def test_the_columns_are_named_as_the_arguments() -> None:
    assert list(_log().to_dict()) == [
        "row",
        "moment",
        "opened_on",
        "due_by",
        "closed_on",
        "outcome",
    ]


def test_a_log_holds_at_most_32767_outcome_labels() -> None:
    n = 32_767
    assert len(_log(n, outcome=[f"o{i}" for i in range(n)]).outcomes) == n
    assert _refusal(lambda: _log(n + 1, outcome=[f"o{i}" for i in range(n + 1)])) == (
        "outcome has 32768 distinct labels; at most 32767"
    )
