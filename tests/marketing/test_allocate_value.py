"""The value an allocation is given (``allocate(value=)``): per customer or customers x
offers, both forms checked once, with the money bound of a column of fen."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest

import telcare as tc

MONDAY = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
_OFFER = {"project_type": "promotion", "valid_from": "2010-01-01", "valid_to": "2010-12-31",
          "channels": ["sms"]}  # fmt: skip


def _match(n: int = 3) -> tc.OfferMatch:
    cat = tc.OfferCatalogue.model_validate({"offers": [
        {**_OFFER, "code": "x", "name": "X", "value": 1_000, "cost": 100},
        {**_OFFER, "code": "y", "name": "Y", "value": 500, "cost": 0}]})  # fmt: skip
    return tc.match_offers(
        cat, at=MONDAY, tier=[0] * n, segment_member=[False] * n, avg_spend=[9_000] * n,
        plan_fee=[5_800] * n, tenure_months=[12] * n, credit_level=[1] * n,
    )  # fmt: skip


def test_a_table_of_values_takes_amounts_above_a_response_bound_like_a_column() -> None:
    # the review's defect 5: 2,000,000 fen per cell was refused as "within +/-1e+06"
    m = _match()
    column = tc.allocate(m, value=[2_000_000] * 3)
    table = tc.allocate(m, value=[[2_000_000, 2_000_000]] * 3)
    assert table.expected_value == column.expected_value == 3 * 2_000_000  # y costs nothing
    assert tc.allocate(m, value=np.full((3, 2), 10**14)).expected_value == 3 * 10**14


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (
            [[10**15, 1]] * 3,
            "value[0, 0] must be a finite amount of fen within 100,000,000,000,000",
        ),
        ([10**15, 1, 1], "value[0] must be a finite amount of fen within 100,000,000,000,000"),
        ([[1, float("inf")]] * 3, "value[0, 1] must be a finite amount of fen"),
        ([[1, 2], [1, float("nan")], [1, 2]], "value[1, 1] must be a finite amount of fen"),
        ([[1, True]] * 3, "value[0, 1] must be a finite number, got bool True"),
        ([[1, None]] * 3, "value[0, 1] must be a finite number, got NoneType None"),
        ([[1, 2, 3]] * 3, "value must have one row per customer (3) or shape (3, 2)"),
    ],
)
def test_both_forms_of_value_are_refused_by_position(value: Any, words: str) -> None:
    with pytest.raises(tc.InvalidInput, match=re.escape(words)):
        tc.allocate(_match(), value=value)
