"""The column checks refuse a missing value as missing: by column and row, never as
the text ``'nan'`` nor as a number that is "not finite"."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import telcare as tc
from telcare._core.column_checks import code_column, int_column

TIERS = ("ordinary", "vip", "gold")

MISSING = [
    None,
    float("nan"),
    np.float32("nan"),
    np.float64("nan"),
    pd.NA,
    pd.NaT,
    np.datetime64("NaT", "s"),
    np.datetime64("NaT", "D"),
    np.timedelta64("NaT", "s"),
]


def shapes(gap: Any) -> list[Any]:
    """The ways a column of labels with one gap at row 1 reaches a batch function."""
    return [
        ["gold", gap],
        ("gold", gap),
        np.array(["gold", gap], dtype=object),
        pd.Series(["gold", gap], dtype=object),
    ]


@pytest.mark.parametrize("gap", MISSING, ids=repr)
def test_code_column_refuses_a_missing_label_as_missing_by_row(gap: Any) -> None:
    for values in shapes(gap):
        with pytest.raises(tc.InvalidInput) as caught:
            code_column(values, "tier", TIERS)
        message = str(caught.value)
        assert message.startswith("tier is missing at index 1 (got "), (type(values), message)
        assert "unknown label" not in message


@pytest.mark.parametrize(
    "values",
    [
        pd.Series(["gold", None], dtype="string"),
        pd.Categorical(["gold", None]),
        pd.Series(["gold", None], dtype="category"),
        pd.array(["vip", None, "gold"], dtype="string")[::-1],
    ],
    ids=["string", "categorical", "category-series", "string-array"],
)
def test_code_column_refuses_the_gaps_of_pandas_text_columns_as_missing(values: Any) -> None:
    with pytest.raises(tc.InvalidInput, match=r"^tier is missing at index 1 \(got "):
        code_column(values, "tier", TIERS)


def test_code_column_still_names_a_label_that_is_the_text_nan() -> None:
    with pytest.raises(tc.InvalidInput, match="tier has the unknown label 'nan' at index 1"):
        code_column(["gold", "nan"], "tier", TIERS)


def test_code_column_reads_a_list_of_labels_as_before() -> None:
    assert code_column(["gold", "vip", "ordinary"], "tier", TIERS).tolist() == [2, 1, 0]
    assert code_column(("gold",), "tier", TIERS).tolist() == [2]


@pytest.mark.parametrize(
    "values",
    [
        [1, pd.NA],
        [1, None],
        np.array([1, pd.NA], dtype=object),
        np.array([1, None], dtype=object),
        pd.array([1, None], dtype="Int64"),
        pd.Series([1, None], dtype="Int64"),
        pd.Series([1.5, None], dtype="Float64"),
        pd.Series([1, None], dtype="UInt8"),
    ],
    ids=[
        "list-NA",
        "list-None",
        "object-NA",
        "object-None",
        "Int64",
        "Int64-series",
        "Float64",
        "UInt8",
    ],
)
def test_int_column_refuses_a_missing_value_as_missing_by_row(values: Any) -> None:
    with pytest.raises(tc.InvalidInput, match=r"^months is missing at index 1 \(got ") as caught:
        int_column(values, "months")
    assert "finite" not in str(caught.value)


def test_int_column_keeps_calling_nan_and_infinity_in_a_float_column_not_finite() -> None:
    with pytest.raises(tc.InvalidInput, match=r"months must be finite, got nan at index 1"):
        int_column([1.0, float("nan")], "months")
    with pytest.raises(tc.InvalidInput, match=r"months must be finite, got inf at index 0"):
        int_column(np.array([np.inf, 1.0]), "months")


def test_int_column_reads_a_nullable_column_without_gaps() -> None:
    got = int_column(pd.Series([3, 1], dtype="Int64"), "months")
    assert got.dtype == np.int64
    assert got.tolist() == [3, 1]


def test_int_column_still_refuses_an_object_column_of_numbers_by_dtype() -> None:
    with pytest.raises(tc.InvalidInput, match="months must hold integers, got dtype object"):
        int_column(np.array([1, 2], dtype=object), "months")
