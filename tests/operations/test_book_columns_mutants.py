"""A managers' book's columns pinned exactly: numpy id columns at int64's edge, repeats
anywhere in a column, the reports' own "(none)" refused, and each manager's one team."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import telcare as tc

NONE_HINT = (
    'is the reports\' row of customers without one; give "" or None for none, or another name'
)


def test_a_numpy_column_of_bytes_is_a_column_of_text_ids() -> None:
    book = tc.manager_book(np.array([b"b", b"a"]), ["x", "y"])
    assert book.ids.tolist() == ["b", "a"] and book.rows(["a"]).tolist() == [1]


def test_the_largest_int64_id_is_an_id() -> None:
    book = tc.manager_book(np.array([2**63 - 1, 5], dtype=np.uint64), ["x", "y"])
    assert book.ids.tolist() == [2**63 - 1, 5] and book.rows([5]).tolist() == [1]


@pytest.mark.parametrize(
    ("ids", "manager", "team", "message"),
    [
        (["a", "b"], ["li", "(none)"], None, f"manager '(none)' at index 1 {NONE_HINT}"),
        (["a", "b"], ["li", "li"], ["n", "(none)"], f"team '(none)' at index 1 {NONE_HINT}"),
        (np.array(["a", " b"]), ["x", "y"], None, "ids[1] must be a label without edge whitespace, got ' b'"),
        (np.array([["a", "b"]]), ["x", "y"], None, "ids must be a 1-D column, got shape (1, 2)"),
        (["a", "b", "b"], ["x", "y", "z"], None, "customer 'b' appears twice in the book"),
        (["a", "b", "c", "c"], ["x"] * 4, None, "customer 'c' appears twice in the book"),
        (np.array([1, 2**63], dtype=np.uint64), ["x", "y"], None,
         "ids holds 9223372036854775808 at index 1, beyond int64"),
        (np.array([1, 2, 3, 3]), ["x"] * 4, None, "customer 3 appears twice in the book"),
        (np.array([1, 2, 2]), ["x"] * 3, None, "customer 2 appears twice in the book"),
        (["a", "b", "c"], ["x", "li", "li"], ["n", "n", "s"],
         "manager 'li' is in two teams: 'n' (customer 'b') and 's' (customer 'c')"),
        (["a", "b"], ["li", "li"], ["n", ""],
         "manager 'li' is in two teams: 'n' (customer 'a') and '' (customer 'b')"),
    ],
)  # fmt: skip
def test_the_book_refuses_bad_columns_by_name(
    ids: Any, manager: Any, team: Any, message: str
) -> None:
    with pytest.raises(tc.InvalidInput) as caught:
        tc.manager_book(ids, manager, team=team)
    assert str(caught.value) == message


def test_an_id_with_a_trailing_nul_is_its_own_customer() -> None:
    # numpy text drops a trailing NUL: the book keyed 'a\x00' and 'a' both as 'a'
    book = tc.manager_book(["a\x00", "a"], ["li", "wang"])
    assert book.ids.tolist() == ["a\x00", "a"]
    assert book.rows(["a", "a\x00"]).tolist() == [1, 0]
    assert book.manager_of(["a\x00"]).tolist() == [book.managers.index("li")]


def test_a_file_column_of_managers_is_coded_as_its_names() -> None:
    names = np.array(["", "li", "wang", "li\x00"], dtype=object)
    column = names[np.random.default_rng(3).integers(0, 4, 30_000)]
    book = tc.manager_book(np.arange(len(column)), column)
    assert book.managers == ("li", "li\x00", "wang")
    shown = np.array([*book.managers, ""], dtype=object)[book.manager]
    assert shown.tolist() == column.tolist()
