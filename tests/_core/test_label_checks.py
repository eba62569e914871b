"""The label and day checks every newer surface enters through (issue #28, classes 1 and 3)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import numpy as np
import pytest

from telcare._core.errors import InvalidInput
from telcare._core.label_checks import is_missing, label, label_column, local_day, local_days

pd = pytest.importorskip("pandas")
SHANGHAI = "Asia/Shanghai"


@pytest.mark.parametrize(
    "missing",
    [None, float("nan"), np.float32("nan"), np.datetime64("NaT", "D"), pd.NA, pd.NaT],
    ids=["None", "nan", "float32-nan", "numpy-NaT", "pandas-NA", "pandas-NaT"],
)
def test_every_missing_value_is_refused_with_its_row_never_becoming_a_name(missing: object) -> None:
    assert is_missing(missing)
    with pytest.raises(InvalidInput, match=r"^manager is missing at index 1 "):
        label_column(["wang", missing, "li"], "manager")
    with pytest.raises(InvalidInput, match=r"^manager is missing at index 1 "):
        label_column(pd.Series(["wang", missing, "li"], dtype=object), "manager")


def test_pandas_columns_with_missing_labels_are_refused_whatever_their_dtype() -> None:
    for column in (
        pd.Series(["a", None], dtype="string"),
        pd.Series([1, None], dtype="Int64"),
        pd.Series(pd.Categorical(["a", None])),
        pd.Series(["a", float("nan")]),
    ):
        with pytest.raises(InvalidInput, match=r"is missing at index 1"):
            label_column(column, "group")


def test_numpy_labels_become_python_values() -> None:
    out = label_column(np.array([3, 1], dtype=np.int16), "cell")
    assert out == [3, 1] and all(type(v) is int for v in out)
    out = label_column(np.array(["a", "b"]), "cell")
    assert out == ["a", "b"] and all(type(v) is str for v in out)
    assert label_column(pd.Series([1, 2], dtype="Int64"), "cell") == [1, 2]


@pytest.mark.parametrize("bad", [True, np.bool_(False), 1.5, "", " wang", b"wang", (1,)])
def test_a_label_that_is_not_text_or_an_integer_is_refused(bad: object) -> None:
    with pytest.raises(InvalidInput, match=r"^group"):
        label(bad, "group")


def test_one_text_is_not_a_column_of_labels() -> None:
    with pytest.raises(
        InvalidInput, match=r"^agents must be a column of labels, got the str 'wang'"
    ):
        label_column("wang", "agents")
    with pytest.raises(InvalidInput, match=r"masked entry at index 0"):
        label_column(np.ma.masked_array([1, 2], mask=[True, False]), "cell")


def test_an_aware_datetime_is_its_day_in_the_policy_zone_not_in_utc() -> None:
    one_am_shanghai = datetime(2026, 11, 29, 1, 0, tzinfo=timezone(timedelta(hours=8)))
    assert local_day(one_am_shanghai, "since", SHANGHAI) == date(2026, 11, 29)
    assert local_day(one_am_shanghai.astimezone(UTC), "since", SHANGHAI) == date(2026, 11, 29)
    assert local_day(date(2026, 2, 28), "since", SHANGHAI) == date(2026, 2, 28)
    with pytest.raises(InvalidInput, match=r"^since must be timezone-aware"):
        local_day(datetime(2026, 11, 29), "since", SHANGHAI)
    with pytest.raises(InvalidInput, match=r"^since must be a date, got str"):
        local_day("2026-11-29", "since", SHANGHAI)
    with pytest.raises(InvalidInput, match=r"^since must be between"):
        local_day(date(1, 1, 1), "since", SHANGHAI)


def test_aware_columns_read_in_the_policy_zone_in_every_form() -> None:
    utc = [datetime(2026, 11, 28, 17, 0, tzinfo=UTC), None]
    expected = ["2026-11-29", "NaT"]
    assert local_days(utc, "due", SHANGHAI).astype(str).tolist() == expected
    assert local_days(np.array(utc, dtype=object), "due", SHANGHAI).astype(str).tolist() == expected
    series = pd.Series(pd.to_datetime(["2026-11-28 17:00", None]).tz_localize("UTC"))
    assert local_days(series, "due", SHANGHAI).astype(str).tolist() == expected
    assert local_days(pd.DatetimeIndex(series), "due", SHANGHAI).astype(str).tolist() == expected
    with_nat = [datetime(2026, 11, 28, 17, 0, tzinfo=UTC), pd.NaT]  # NaT is missing, not naive
    assert local_days(with_nat, "due", SHANGHAI).astype(str).tolist() == expected
    with pytest.raises(InvalidInput, match=r"naive timestamp 2026-11-28T17:00.* at index 0"):
        local_days(np.array(["2026-11-28T17:00"], dtype="datetime64[m]"), "due", SHANGHAI)
    with pytest.raises(InvalidInput, match=r"^due must hold dates between .* at index 0"):
        local_days(np.array(["1800-01-01"], dtype="datetime64[D]"), "due", SHANGHAI)
