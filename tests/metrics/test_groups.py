"""Rates per group: exact counts, Wilson bounds, labels of every kind, the edges."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st

import telcare as tc
from telcare.metrics._groups import wilson_interval

rows = st.lists(st.tuples(st.sampled_from(["north", "south", "east"]), st.booleans()), max_size=80)


def test_rates_by_group_with_codes_labels_and_trials() -> None:
    g = tc.rates_by_group([0, 0, 2, 2, 2], [1, 0, 1, 1, 0])
    assert (g.keys.tolist(), g.numerator.tolist(), g.denominator.tolist()) == (
        [0, 1, 2],
        [1, 0, 2],
        [2, 0, 3],
    )
    assert (g.low[1], g.high[1]) == (0.0, 1.0)
    labels = tc.rates_by_group(["vip", "mid", "vip"], [1, 1, 0])
    assert labels.keys.tolist() == ["mid", "vip"] and labels.rate("vip") == tc.Rate(1, 2)
    weighted = tc.rates_by_group(["a", "b"], [3, 1], trials=[10, 2])
    assert weighted.rate("a") == tc.Rate(3, 10) and len(weighted) == 2
    assert len(tc.rates_by_group([], [])) == 0
    assert len(tc.rates_by_group([0], [1], n_groups=4)) == 4


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"groups": [0, 1], "successes": [1]}, "equal lengths"),
        (
            {"groups": [0], "successes": [2]},
            "successes must hold booleans (0 or 1), got 2 at index 0",
        ),
        (
            {"groups": [0], "successes": [3], "trials": [2]},
            "successes 3 exceed trials 2 at index 0",
        ),
        ({"groups": [-1], "successes": [1]}, "groups must be >= 0, got -1"),
        ({"groups": [[0]], "successes": [1]}, "1-D"),
        ({"groups": [3], "successes": [1], "n_groups": 2}, "n_groups=2"),
        ({"groups": [0], "successes": [1], "level": 2}, "level"),
    ],
)
def test_rates_by_group_bad_inputs(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        tc.rates_by_group(**kwargs)
    assert fragment in str(info.value)


@given(rows, st.randoms())
def test_group_rates_equal_scalar_rates_and_ignore_row_order(
    data: list[tuple[str, bool]], rnd: Any
) -> None:
    groups = [g for g, _ in data]
    outcomes = [int(o) for _, o in data]
    result = tc.rates_by_group(groups, outcomes)
    for i, key in enumerate(result.keys.tolist()):
        scalar = tc.Rate(sum(o for g, o in data if g == key), groups.count(key))
        assert result.rate(key) == scalar
        assert (result.low[i], result.high[i]) == pytest.approx(scalar.ci(), abs=1e-12)
    shuffled = list(data)
    rnd.shuffle(shuffled)
    again = tc.rates_by_group([g for g, _ in shuffled], [int(o) for _, o in shuffled])
    assert again.keys.tolist() == result.keys.tolist()
    assert again.numerator.tolist() == result.numerator.tolist()


def test_group_rates_messages_and_level() -> None:
    g = tc.rates_by_group([0, 0, 1], [1, 0, 1], level=0.99)
    assert g.level == 0.99
    assert (g.low[0], g.high[0]) == pytest.approx(tc.Rate(1, 2).ci(0.99), abs=1e-12)
    with pytest.raises(tc.InvalidInput, match=r"^no group 7$"):
        g.rate(7)
    with pytest.raises(tc.InvalidInput, match=r"^successes must be >= 0, got -1 at index 0$"):
        tc.rates_by_group([0], [-1], trials=[1])
    with pytest.raises(tc.InvalidInput, match=r"^trials must be >= 0, got -1 at index 0$"):
        tc.rates_by_group([0], [0], trials=[-1])
    with pytest.raises(tc.InvalidInput, match=r"^groups must be a 1-D column, got shape \(1, 1\)$"):
        tc.rates_by_group([[0]], [1])
    zeros = tc.rates_by_group(["a"], [0], trials=[0])
    assert (zeros.low[0], zeros.high[0]) == (0.0, 1.0)


def test_group_bounds_stay_inside_zero_and_one_where_rounding_would_leave() -> None:
    # Without clamping, 0 of 21 gives a lower bound of about -1e-17 and 16 of 16 an
    # upper bound just above 1.
    none = tc.rates_by_group([0] * 21, [0] * 21)
    assert none.low.tolist() == [0.0] and none.high[0] < 1
    every = tc.rates_by_group([0] * 16, [1] * 16)
    assert every.high.tolist() == [1.0] and every.low[0] > 0


def test_group_rates_show_themselves_whole() -> None:
    g = tc.rates_by_group(["b", "a", "b"], [1, 0, 0])
    assert list(g.to_dict()) == ["group", "numerator", "denominator", "value", "low", "high"]
    assert g.to_dict()["group"] == ["a", "b"]
    assert g.to_dict()["numerator"] == [0, 1] and g.to_dict()["denominator"] == [1, 2]
    assert g.to_dict()["value"] == [0.0, 0.5]
    assert g.to_dict()["low"] == g.low.tolist() and g.to_dict()["high"] == g.high.tolist()
    html = g._repr_html_()
    assert "GroupRates (2 groups)" in html and ">a</th>" in html and str(g.rate("b")) in html
    many = tc.rates_by_group(list(range(51)), [1] * 51)
    assert many._repr_html_().count("<tr>") == 50  # the first fifty groups


def test_grouped_counts_check_every_column_and_name_the_row() -> None:
    with pytest.raises(tc.InvalidInput, match="groups=3"):
        tc.rates_by_group([0, 1, 1], [1, 0], [1, 1])
    with pytest.raises(tc.InvalidInput, match="successes=1"):
        tc.rates_by_group([0, 1], [1], [1, 1])
    with pytest.raises(tc.InvalidInput, match="trials=3"):
        tc.rates_by_group([0, 1], [1, 0], [1, 1, 1])
    with pytest.raises(tc.InvalidInput, match=r"successes 5 exceed trials 3 at index 1"):
        tc.rates_by_group([0, 1, 1], [1, 5, 0], [1, 3, 2])


def test_group_labels_of_every_kind() -> None:
    floats = tc.rates_by_group([1.5, 1.5, 2.5], [1, 0, 1])
    assert floats.keys.tolist() == [1.5, 2.5] and floats.denominator.tolist() == [2, 1]
    empty = tc.rates_by_group(np.array([], dtype=float), [])
    assert empty.keys.dtype.kind == "i" and len(empty) == 0
    text = tc.rates_by_group(np.array(["a", "b", "a"], dtype=object), [1, 1, 0])
    assert text.keys.tolist() == ["a", "b"] and text.numerator.tolist() == [1, 1]
    exact = tc.rates_by_group([0, 1], [1, 0], n_groups=2)
    assert exact.keys.tolist() == [0, 1]
    counted = tc.rates_by_group([0], [1], [2], n_groups=3)
    assert counted.numerator.tolist() == [1, 0, 0] and counted.denominator.tolist() == [2, 0, 0]
    assert counted.numerator.dtype == np.int64 and counted.denominator.dtype == np.int64


def test_wilson_interval_defaults_to_95_percent() -> None:
    low, high = wilson_interval(np.array([1, 30]), np.array([2, 40]))
    assert (low[0], high[0]) == pytest.approx(tc.Rate(1, 2).ci(), abs=1e-15)
    assert (low[1], high[1]) == pytest.approx(tc.Rate(30, 40).ci(0.95), abs=1e-15)


# ---- labels that would merge silently, and other inputs refused (no silent wrong answer)


@pytest.mark.parametrize(
    ("labels", "odd"),
    [
        ([None, "None"], "groups is missing at index 0 (got None)"),
        (["1", 1], "1 at index 1"),
        (["a", float("nan")], "groups is missing at index 1 (got nan)"),
    ],
)
def test_labels_of_different_kinds_are_not_merged_by_their_text(
    labels: list[Any], odd: str
) -> None:
    with pytest.raises(tc.InvalidInput, match=re.escape(odd)):
        tc.rates_by_group(np.array(labels, dtype=object), [1] * len(labels))


@given(
    st.lists(st.one_of(st.none(), st.text(max_size=3), st.integers(-3, 3)), min_size=1, max_size=12)
)
def test_object_labels_either_group_by_identity_of_text_or_are_refused(labels: list[Any]) -> None:
    column = np.empty(len(labels), dtype=object)
    column[:] = labels
    # a label is a non-empty text without edge whitespace (#28: '' and ' a' are refused);
    # integers in an object column are group codes as they are in an int column (#28)
    text = all(type(x) is str and x and x == x.strip() for x in labels)
    codes = all(type(x) is int and x >= 0 for x in labels)
    try:
        got = tc.rates_by_group(column, [1] * len(labels))
    except tc.InvalidInput:
        assert not text and not codes
        return
    assert text or codes
    if codes:
        assert got.keys.tolist() == list(range(max(labels) + 1))
        assert got.denominator.tolist() == [labels.count(k) for k in range(max(labels) + 1)]
        return
    assert dict(zip(got.keys.tolist(), got.denominator.tolist(), strict=True)) == {
        k: labels.count(k) for k in set(labels)
    }


@pytest.mark.parametrize("n_groups", [2.5, "3", True, -1])
def test_n_groups_must_be_a_count(n_groups: Any) -> None:
    with pytest.raises(tc.InvalidInput, match="n_groups"):
        tc.rates_by_group([0, 1], [1, 0], n_groups=n_groups)


def test_a_masked_entry_is_refused_not_counted() -> None:
    groups = np.ma.masked_array([0, 1, 1], mask=[False, True, False])
    with pytest.raises(tc.InvalidInput, match="groups has a masked entry at index 1"):
        tc.rates_by_group(groups, [1, 1, 0])
    assert tc.rates_by_group(np.ma.masked_array([0, 1]), [1, 0]).denominator.tolist() == [1, 1]


# ---- exact integer sums at the int64 edge


def test_sums_up_to_int64_are_exact_and_one_more_is_refused() -> None:
    top = 2**63 - 1
    fits = tc.rates_by_group([0, 0], [top - 5, 5], [top - 5, 5])
    assert fits.numerator.tolist() == [top] and fits.denominator.tolist() == [top]
    apart = tc.rates_by_group([0, 1], [2**62, 2**62], [2**62, 2**62])
    assert apart.numerator.tolist() == [2**62, 2**62]
    with pytest.raises(
        tc.InvalidInput, match=r"^trials of group 0 sum to 9223372036854775808, beyond int64"
    ):
        tc.rates_by_group([0, 0], [0, 0], [2**62, 2**62])
    with pytest.raises(tc.InvalidInput, match="of group 1 sum to"):
        tc.rates_by_group([0, 1, 1], [0, 2**62, 2**62], [1, 2**62, 2**62])


@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2**61)), min_size=1, max_size=6))
def test_large_counts_sum_exactly_like_python_ints(rows: list[tuple[int, int]]) -> None:
    groups = [g for g, _ in rows]
    trials = [t for _, t in rows]
    exact = [sum(t for g, t in rows if g == k) for k in range(max(groups) + 1)]
    if max(exact) >= 2**63:
        with pytest.raises(tc.InvalidInput, match="beyond int64"):
            tc.rates_by_group(groups, [0] * len(rows), trials)
    else:
        assert tc.rates_by_group(groups, [0] * len(rows), trials).denominator.tolist() == exact


def test_n_groups_is_bounded_and_named() -> None:
    with pytest.raises(tc.InvalidInput, match=r"^n_groups must be <= 100000000, got 100000001$"):
        tc.rates_by_group([0], [1], n_groups=10**8 + 1)
    with pytest.raises(tc.InvalidInput, match=r"^successes of group 0 sum to "):
        tc.rates_by_group([0, 0], [2**62, 2**62], [2**62, 2**62])


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (pd.NA, "key is missing"),
        (float("nan"), "key is missing"),
        (np.array(["x", "y"]), "key must be a text or integer label, got ndarray"),
        (True, "key must be a text or integer label, got bool True"),
    ],
    ids=["NA", "nan", "array", "bool"],
)
def test_a_group_is_asked_for_by_one_label(key: Any, message: str) -> None:
    """rate(pd.NA) was a TypeError (boolean value of NA is ambiguous)."""
    rates = tc.rates_by_group(["x", "y", "x"], [1, 0, 1])
    with pytest.raises(tc.InvalidInput, match=message):
        rates.rate(key)
    assert rates.rate(np.str_("x")).numerator == 2
    assert tc.rates_by_group([1.5, 2.5], [1, 0]).rate(1.5).numerator == 1
