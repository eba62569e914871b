"""Labels in the metrics (#28 class 1): a missing label is refused by row, never a
group called 'nan'; keys keep their type whatever the column."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pytest

import telcare as tc

MISSING = [None, float("nan"), np.float32("nan"), pd.NA, pd.NaT, np.datetime64("NaT", "D")]


@pytest.mark.parametrize("missing", MISSING, ids=repr)
@pytest.mark.parametrize(
    "call",
    [
        lambda g: tc.rates_by_group(g, [1, 0, 1]),
        lambda g: tc.rates_by_group(g, [1, 0, 1], trials=[1, 1, 1]),
        lambda g: tc.uplift_by_cell([1, 0, 1], [1, 0, 1], g),
        lambda g: tc.reason_shares(g),
        lambda g: tc.agent_performance(g, [1, 0, 1], [1, 0, 0], [0, 0, 0], [60, 0, 30]),
    ],
    ids=["rates_by_group", "rates_with_trials", "uplift_by_cell", "reason_shares", "agents"],
)
@pytest.mark.parametrize("form", ["list", "object", "series"])
def test_a_missing_label_is_refused_by_row_in_every_form(
    call: Any, missing: Any, form: str
) -> None:
    rows = ["north", missing, "south"]
    given: Any = {"list": rows, "object": np.array(rows, dtype=object), "series": pd.Series(rows)}[
        form
    ]
    with pytest.raises(tc.InvalidInput, match="is missing at index 1"):
        call(given)


def test_nan_among_text_is_not_the_group_nan() -> None:
    """rates_by_group(["a", nan]) reported a group 'nan' (numpy writes the list as text)."""
    with pytest.raises(tc.InvalidInput, match=r"groups is missing at index 1 \(got nan\)"):
        tc.rates_by_group(["a", float("nan")], [1, 0])
    with pytest.raises(tc.InvalidInput, match=r"groups is missing at index 1 \(got nan\)"):
        tc.rates_by_group([0.0, float("nan")], [1, 0])


def test_uplift_by_cell_refuses_a_missing_cell_by_name() -> None:
    """uplift_by_cell raised a bare TypeError (np.unique of str and None)."""
    with pytest.raises(tc.InvalidInput, match=r"cell is missing at index 2 \(got None\)"):
        tc.uplift_by_cell([1, 0, 1], [1, 0, 1], np.array(["a", "a", None], dtype=object))


def test_pandas_missing_labels_are_refused() -> None:
    text = pd.Series(["a", pd.NA, "b"], dtype="string")
    with pytest.raises(tc.InvalidInput, match="groups is missing at index 1"):
        tc.rates_by_group(text, [1, 0, 1])
    codes = pd.Series([0, None, 2], dtype="Int64")
    with pytest.raises(tc.InvalidInput, match="groups is missing at index 1"):
        tc.rates_by_group(codes, [1, 0, 1])
    cat = pd.Categorical(["a", None, "b"])
    with pytest.raises(tc.InvalidInput, match="cell is missing at index 1"):
        tc.uplift_by_cell([1, 0, 1], [1, 0, 1], cat)


@pytest.mark.parametrize(
    "groups",
    [
        [0, 2, 2],
        np.array([0, 2, 2], dtype=np.int8),
        np.array([0, 2, 2], dtype=np.uint16),
        np.array([0, 2, 2], dtype=object),
        pd.Series([0, 2, 2], dtype="Int64"),
        pd.Series([0, 2, 2]),
        [np.int32(0), np.int64(2), np.uint8(2)],
    ],
    ids=["list", "int8", "uint16", "object", "Int64", "series", "numpy scalars"],
)
def test_integer_group_codes_give_python_int_keys_whatever_the_column(groups: Any) -> None:
    g = tc.rates_by_group(groups, [1, 0, 1])
    assert g.keys.tolist() == [0, 1, 2] and all(type(k) is int for k in g.keys.tolist())
    assert g.denominator.tolist() == [1, 0, 2]
    json.dumps(g.to_dict())


@pytest.mark.parametrize(
    "groups",
    [
        ["b", "a", "b"],
        np.array(["b", "a", "b"]),
        np.array(["b", "a", "b"], dtype=object),
        pd.Series(["b", "a", "b"], dtype="string"),
        pd.Categorical(["b", "a", "b"]),
        [np.str_("b"), "a", "b"],
    ],
    ids=["list", "U", "object", "string", "categorical", "np.str_"],
)
def test_text_labels_give_str_keys_whatever_the_column(groups: Any) -> None:
    g = tc.rates_by_group(groups, [1, 0, 1])
    assert g.keys.tolist() == ["a", "b"] and all(type(k) is str for k in g.keys.tolist())
    assert g.numerator.tolist() == [0, 2]
    json.dumps(g.to_dict())


def test_labels_with_a_trailing_nul_stay_apart() -> None:
    """Found by the property test: numpy's str arrays drop trailing NULs, so 'a\\x00'
    and 'a' were counted as one group."""
    g = tc.rates_by_group(np.array(["a", "a\x00"], dtype=object), [1, 0])
    assert g.keys.tolist() == ["a", "a\x00"] and g.denominator.tolist() == [1, 1]


@pytest.mark.parametrize(
    ("groups", "fragment"),
    [
        (np.array([True, False]), "groups must hold text or integer labels, got dtype bool"),
        ([True, False], "groups[0] must be a text or integer label, got bool True"),
        (["a", True], "groups[1] must be a text or integer label, got bool True"),
        (["a", " b"], "groups[1] must be a label without edge whitespace"),
        (["a", ""], "groups[1] must be a label without edge whitespace, got ''"),
        (["a", 1], "labels of one kind"),
        ([1.0, float("inf")], "groups must hold finite labels, got inf at index 1"),
    ],
)
def test_labels_that_are_not_labels_are_refused_by_name(groups: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        tc.rates_by_group(groups, [1] * len(groups))
    assert fragment in str(info.value)


@pytest.mark.parametrize("code", [10**12, 2**63 - 1, 2**64 - 1, 10**30])
def test_a_huge_group_code_is_refused_not_a_huge_table(code: int) -> None:
    """rates_by_group([10**12], [1]) asked numpy for a table of 10**12 counters."""
    with pytest.raises(tc.InvalidInput, match="groups"):
        tc.rates_by_group([0, code], [1, 0])


def test_n_groups_with_text_labels_is_refused() -> None:
    with pytest.raises(tc.InvalidInput, match="n_groups=3 counts integer group codes"):
        tc.rates_by_group(["a", "b"], [1, 0], n_groups=3)


@pytest.mark.parametrize("outcome", [[2, 0], [0.6, 0], [1.0, 0.0], ["1", "0"], [None, 1]])
def test_outcomes_other_than_booleans_or_0_1_are_refused(outcome: list[Any]) -> None:
    """The contract the Dask form follows too (it summed 2 and 0.6)."""
    with pytest.raises(tc.InvalidInput, match="successes must hold booleans"):
        tc.rates_by_group([0, 1], outcome)
