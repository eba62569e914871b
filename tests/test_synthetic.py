"""The synthetic base refuses what it cannot generate from, by name (#28)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pytest

import telcare as tc
import telcare.synthetic as ts
from telcare._core.limits import MAX_DATE, MIN_DATE


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        (float("nan"), r"^as_of must be a datetime\.date, got float nan"),
        ("wang", r"^as_of must be a datetime\.date, got str 'wang'"),
        (-(2**63) - 1, r"^as_of must be a datetime\.date, got int"),
        (np.array([1, 2, 3], np.uint64), r"^as_of must be a datetime\.date, got ndarray"),
        (
            datetime(2010, 12, 1, 0, 30, tzinfo=UTC),
            r"^as_of must be a datetime\.date, got datetime",
        ),
    ],
)
def test_generate_base_refuses_an_as_of_that_is_not_a_date(as_of: Any, message: str) -> None:
    with pytest.raises(tc.InvalidInput, match=message):
        ts.generate_base(10, as_of=as_of)


def test_generate_base_takes_a_date() -> None:
    assert ts.generate_base(10, as_of=date(2010, 12, 1)).as_of == date(2010, 12, 1)


@pytest.mark.parametrize("as_of", [date(1900, 1, 2), date(1915, 12, 28)])
def test_generate_base_refuses_an_as_of_too_early_for_its_history_naming_the_earliest(
    as_of: date,
) -> None:
    """A base's customers were activated up to 16 years before as_of: from 1900-01-02 that
    put activation days before the library's first day, MIN_DATE."""
    with pytest.raises(
        tc.InvalidInput, match=r"^as_of must be on or after 1915-12-29 .*1900-01-01"
    ):
        ts.generate_base(10, as_of=as_of)


def test_generate_base_refuses_an_as_of_too_late_for_its_contracts_naming_the_latest() -> None:
    with pytest.raises(tc.InvalidInput, match=r"^as_of must be on or before 2998-01-01 "):
        ts.generate_base(10, as_of=date(2998, 1, 2))


def test_a_base_at_either_end_of_its_days_stays_in_the_calendar() -> None:
    low, high = np.datetime64(MIN_DATE, "D"), np.datetime64(MAX_DATE, "D")
    for as_of in (ts.EARLIEST_AS_OF, ts.LATEST_AS_OF):
        base = ts.generate_base(20_000, seed=1, as_of=as_of)
        assert base.activated_on.min() >= low and base.activated_on.max() <= high
        ends = base.contract_ends_on[~np.isnat(base.contract_ends_on)]
        assert ends.min() >= low and ends.max() <= high
        assert ts.month_starts(as_of, 24)[0] >= MIN_DATE
