"""The mid-to-high-end segment: exactly the top share, ties broken as the domain says."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import telcare as tc

# Few distinct values (many ties), values across the histogram's bins, and the open last bin.
spends = st.one_of(
    st.integers(0, 30),
    st.integers(0, 3_000),
    st.sampled_from([255, 256, 511, 512, 2**28 - 1, 2**28, 2**40]),
)

bases = st.integers(0, 60).flatmap(
    lambda n: st.tuples(
        hnp.arrays(np.int64, n, elements=spends),  # small range: many ties
        hnp.arrays(np.bool_, n),
        hnp.arrays(np.int64, n, elements=st.integers(0, 5)),
        st.permutations(range(n)),
    )
)


shares = st.sampled_from(["0.1", "0.25", "0.5", "1", 0.1, 0.3])


# ---- the size and the cut


def test_segment_size_is_exact() -> None:
    assert tc.segment_size(75_984) == 7_598
    assert tc.segment_size(30, 0.1) == 3
    assert tc.segment_size(10, "1") == 10
    assert tc.segment_size(0) == 0


@given(bases, shares)
def test_segment_is_exactly_the_top_share(base: Any, share: Any) -> None:
    spend, eligible, tenure, ids = base
    ids = np.array(ids, dtype=np.int64)
    members = tc.mid_high_end(spend, eligible, tenure_days=tenure, ids=ids, share=share)
    assert members.sum() == tc.segment_size(int(eligible.sum()), share)
    assert not (members & ~eligible).any()
    outside = eligible & ~members
    if members.any() and outside.any():
        # Every member ranks at least as high as every eligible non-member.
        key = lambda i: (-spend[i], -tenure[i], ids[i])  # noqa: E731
        worst_member = max(np.flatnonzero(members), key=key)
        best_outsider = min(np.flatnonzero(outside), key=key)
        assert key(worst_member) < key(best_outsider)


def test_fractions_and_decimals_are_exact_shares() -> None:
    from decimal import Decimal
    from fractions import Fraction

    assert tc.segment_size(9, Fraction(1, 3)) == 3
    assert tc.segment_size(10, Decimal("0.3")) == 3
    with pytest.raises(tc.InvalidInput, match=r"^share must be in \(0, 1\], got Fraction\(0, 1\)$"):
        tc.segment_size(10, Fraction(0))


# ---- ties and ids


def test_ties_break_by_tenure_then_id() -> None:
    spend = [500, 500, 500, 500, 900]
    tenure = [10, 30, 30, 5, 1]
    ids = ["c9", "c5", "c2", "c1", "c7"]
    members = tc.mid_high_end(spend, [True] * 5, tenure_days=tenure, ids=ids, share="0.6")
    # 3 members: c7 (900), then among the 500s longest tenure (c5, c2 with 30), smaller id first.
    assert members.tolist() == [False, True, True, False, True]
    only_two = tc.mid_high_end(spend, [True] * 5, tenure_days=tenure, ids=ids, share="0.4")
    assert only_two.tolist() == [False, False, True, False, True]


def test_without_tie_breakers_the_earlier_row_wins() -> None:
    assert tc.mid_high_end([5, 5, 5, 5], [True] * 4, share="0.5").tolist() == [
        True,
        True,
        False,
        False,
    ]


def test_integer_ids_sort_numerically() -> None:
    members = tc.mid_high_end([5, 5], [True, True], ids=[10, 9], share="0.5")
    assert members.tolist() == [False, True]


@given(bases, shares, st.randoms())
def test_permuting_the_base_permutes_the_answer(base: Any, share: Any, rnd: Any) -> None:
    spend, eligible, tenure, ids = base
    ids = np.array(ids, dtype=np.int64)  # unique ids: the order is total
    members = tc.mid_high_end(spend, eligible, tenure_days=tenure, ids=ids, share=share)
    order = np.arange(len(spend))
    rnd.shuffle(order)
    shuffled = tc.mid_high_end(
        spend[order], eligible[order], tenure_days=tenure[order], ids=ids[order], share=share
    )
    np.testing.assert_array_equal(shuffled, members[order])


def test_object_columns_of_ids_work_as_text_or_numbers() -> None:
    text = np.array(["b", "a"], dtype=object)
    assert tc.mid_high_end([5, 5], [True, True], ids=text, share="0.5").tolist() == [False, True]
    numbers = np.array([10, 9], dtype=object)
    assert tc.mid_high_end([5, 5], [True, True], ids=numbers, share="0.5").tolist() == [False, True]
    with pytest.raises(
        tc.InvalidInput, match=r"^ids must be all str or all int, got a mix of \['bool', 'str'\]$"
    ):
        tc.mid_high_end([5, 5], [True, True], ids=np.array([True, "a"], dtype=object), share="0.5")
    empty = tc.mid_high_end([], [], ids=np.array([], dtype=object))
    assert empty.shape == (0,) and empty.dtype == np.bool_


# ---- who may join


def test_ineligible_customers_never_join() -> None:
    members = tc.mid_high_end(
        [10**6, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100], [False] + [True] * 10, share=0.1
    )
    assert members.tolist() == [False] * 10 + [True]


# ---- inputs


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        (
            {"avg_spend": [1, -1], "eligible": [True, True]},
            "avg_spend must be >= 0, got -1 at index 1",
        ),
        ({"avg_spend": [1, 2], "eligible": [True]}, "equal lengths"),
        ({"avg_spend": [1], "eligible": [2]}, "eligible must hold booleans (0 or 1), got 2"),
        ({"avg_spend": [1], "eligible": ["yes"]}, "eligible must hold booleans"),
        ({"avg_spend": [1], "eligible": [True], "share": 0}, "share must be in (0, 1], got 0"),
        ({"avg_spend": [1], "eligible": [True], "share": 1.5}, "got 1.5"),
        ({"avg_spend": [1], "eligible": [True], "share": "lots"}, "'lots'"),
        ({"avg_spend": [1], "eligible": [True], "share": True}, "True"),
        (
            {"avg_spend": [1], "eligible": [True], "tenure_days": [-3]},
            "tenure_days must be >= 0, got -3",
        ),
        ({"avg_spend": [1], "eligible": [True], "tenure_days": [1, 2]}, "equal lengths"),
        (
            {
                "avg_spend": [1, 1],
                "eligible": [True, True],
                "ids": np.array(["a", 1], dtype=object),
            },
            "mix of",
        ),
        ({"avg_spend": [1], "eligible": [True], "ids": [1.5]}, "ids must be str or int"),
        ({"avg_spend": [1], "eligible": [True], "ids": [[1]]}, "1-D"),
    ],
)
def test_mid_high_end_bad_inputs(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        tc.mid_high_end(**kwargs)
    assert fragment in str(info.value)


@pytest.mark.parametrize("bad", [-1, 1.5, True, "10"])
def test_segment_size_refuses_bad_counts(bad: Any) -> None:
    with pytest.raises(tc.InvalidInput, match="eligible must be"):
        tc.segment_size(bad)


def test_inputs_are_not_modified() -> None:
    spend = np.array([3, 1, 2, 9, 9])
    eligible = np.array([True, True, True, True, False])
    before = spend.copy(), eligible.copy()
    tc.mid_high_end(spend, eligible, share="0.5")
    np.testing.assert_array_equal(spend, before[0])
    np.testing.assert_array_equal(eligible, before[1])


def test_the_columns_are_named_in_a_length_refusal() -> None:
    with pytest.raises(
        tc.InvalidInput,
        match=r"^columns must have equal lengths, got avg_spend=2, eligible=2, tenure_days=1, ids=2$",
    ):
        tc.mid_high_end([1, 2], [True, True], tenure_days=[1], ids=["a", "b"])
    with pytest.raises(tc.InvalidInput, match=r"^ids must be a 1-D column, got shape \(\)$"):
        tc.mid_high_end([1], [True], ids="a")
    with pytest.raises(tc.InvalidInput, match=r"^ids must be str or int, got dtype float64$"):
        tc.mid_high_end([1], [True], ids=[1.5])
