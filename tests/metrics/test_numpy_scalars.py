"""numpy scalars at the boundary (#28 class 4): results hold Python ints and floats
(``json.dumps`` of ``to_dict()`` works), and a narrow numpy int never wraps."""

from __future__ import annotations

import json
from typing import Any

import attrs
import numpy as np
import pytest

import telcare as tc

WIDTHS = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]


def _no_numpy_scalars(value: Any, where: str = "result") -> None:
    assert not isinstance(value, np.generic), f"{where} is {type(value).__name__}"
    if attrs.has(type(value)):
        for f in attrs.fields(type(value)):
            _no_numpy_scalars(getattr(value, f.name), f"{where}.{f.name}")
    elif isinstance(value, tuple | list):
        for i, v in enumerate(value):
            _no_numpy_scalars(v, f"{where}[{i}]")


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: w.__name__)
def test_staffing_reads_a_narrow_numpy_int_as_a_python_int(width: Any) -> None:
    """staffing(np.int8(100)) raised OverflowError (4000 does not fit int8), and a
    uint64 book warned of an overflow in scalar negation."""
    assert tc.staffing(width(100)) == 1 and type(tc.staffing(width(100))) is int
    assert tc.staffing(width(100), per_manager=width(7)) == 15
    assert tc.outbound_staffing(width(100), connect_rate=0.5, attempts=width(3), talk_seconds=60,
                                wrap_seconds=30, hours_per_day=8, utilisation=0.75,
                                days=width(5)) == tc.outbound_staffing(
        100, connect_rate=0.5, attempts=3, talk_seconds=60, wrap_seconds=30, hours_per_day=8,
        utilisation=0.75, days=5)  # fmt: skip


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: tc.staffing(10**30), "customers must be <= 1000000000"),
        (lambda: tc.staffing(np.uint64(2**64 - 1)), "customers must be <= 1000000000"),
        (lambda: tc.staffing(10, per_manager=10**30), "per_manager must be <= 1000000000"),
        (
            lambda: tc.outbound_staffing(
                10**30,
                connect_rate=0.5,
                attempts=3,
                talk_seconds=60,
                wrap_seconds=30,
                hours_per_day=8,
                utilisation=0.75,
                days=5,
            ),
            "targets must be <= 1000000000",
        ),
        (
            lambda: tc.outbound_staffing(
                10,
                connect_rate=0.5,
                attempts=3,
                talk_seconds=60,
                wrap_seconds=30,
                hours_per_day=8,
                utilisation=0.75,
                days=10**30,
            ),
            "days must be <= 3660",
        ),
    ],
)
def test_staffing_counts_are_bounded(call: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    assert fragment in str(info.value)


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: w.__name__)
@pytest.mark.parametrize(
    "build",
    [
        lambda w: tc.Rate(w(3), w(7)),
        lambda w: tc.compare(tc.Rate(w(30), w(100)), tc.Rate(w(20), w(100))),
        lambda w: tc.retention(w(100), w(80)),
        lambda w: tc.list_utilisation(w(100), w(80)),
        lambda w: tc.campaign_value(
            cost=w(100), contacts=w(50), successes=w(5), unit_price=w(20), usage_months=w(6)
        ),
        lambda w: tc.rates_by_group(np.array([0, 1, 1], dtype=w), np.array([1, 0, 1], dtype=w)),
        lambda w: tc.reason_shares(np.array([2, 1, 2], dtype=w)),
        lambda w: tc.uplift_by_cell([1, 0, 1, 0], [1, 0, 1, 0], np.array([1, 1, 2, 2], dtype=w)),
        lambda w: tc.agent_performance(
            np.array([1, 2], dtype=w), [1, 1], [1, 0], [0, 0], np.array([60, 30], dtype=w)
        ),
        lambda w: tc.sample_size(0.1, 0.05),
    ],
    ids=[
        "Rate",
        "compare",
        "retention",
        "list_utilisation",
        "campaign_value",
        "rates_by_group",
        "reason_shares",
        "uplift_by_cell",
        "agent_performance",
        "sample_size",
    ],
)
def test_results_hold_python_numbers_whatever_the_input_width(build: Any, width: Any) -> None:
    result = build(width)
    _no_numpy_scalars(result)
    json.dumps(result.to_dict() if hasattr(result, "to_dict") else result)
    if hasattr(result, "keys") and hasattr(result.keys, "tolist"):
        assert all(type(k) is int for k in result.keys.tolist())


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: w.__name__)
def test_count_values_built_from_numpy_hold_python_ints(width: Any) -> None:
    """CampaignCounts and CallbackCounts kept the np.int8 they were given (checked,
    never converted), so their to_dict() and equality differed from plain ints'."""
    counts = tc.CampaignCounts(valid_targets=width(10), dialled=width(8), connected=width(6),
                               contacted=width(5), deals=width(1), talk_seconds=width(60))  # fmt: skip
    _no_numpy_scalars(counts)
    assert counts == tc.CampaignCounts(valid_targets=10, dialled=8, connected=6, contacted=5,
                                       deals=1, talk_seconds=60)  # fmt: skip
    callbacks = tc.CallbackCounts(*(width(1) for _ in range(6)))
    _no_numpy_scalars(callbacks)
    _no_numpy_scalars(tc.callback_kpis(callbacks))
    _no_numpy_scalars(tc.campaign_report(counts))
    json.dumps(tc.campaign_report(counts).to_dict())
