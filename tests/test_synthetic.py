"""The synthetic base refuses what it cannot generate from, by name (#28)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pytest

import telcare as tc
import telcare.synthetic as ts


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
