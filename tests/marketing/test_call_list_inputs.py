"""Call lists' inputs (#28 classes 1 and 3): a missing manager is refused by row, never
an agent 'nan' who takes real customers; the capacity is bounded."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

import telcare as tc
from telcare._core.limits import MAX_COUNT

CATALOGUE = tc.OfferCatalogue.model_validate({"offers": [
    {"code": "plan_upgrade", "name": "Plan upgrade", "project_type": "promotion",
     "channels": ["phone"], "value": 6_000, "cost": 500,
     "valid_from": "2010-01-01", "valid_to": "2010-12-31"}]})  # fmt: skip
AT = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def _match(n: int) -> tc.OfferMatch:
    return tc.match_offers(
        CATALOGUE, at=AT, tier=[0] * n, segment_member=[False] * n, avg_spend=[9_000] * n,
        plan_fee=[5_800] * n, tenure_months=[12] * n, credit_level=[1] * n,
        response=[[0.1 * (i + 1)] for i in range(n)],
    )  # fmt: skip


@pytest.mark.parametrize("missing", [float("nan"), pd.NA, pd.NaT, np.float64("nan")], ids=repr)
@pytest.mark.parametrize("form", ["list", "object", "series"])
def test_a_missing_manager_is_refused_by_row(missing: Any, form: str) -> None:
    """A NaN or pandas NA manager was an agent 'nan' or '<NA>' who took real customers."""
    rows = ["wang", missing, ""]
    given: Any = {"list": rows, "object": np.array(rows, dtype=object), "series": pd.Series(rows)}[
        form
    ]
    with pytest.raises(tc.InvalidInput, match="manager is missing at index 1"):
        tc.call_lists(_match(3), given)


def test_none_and_empty_text_stay_the_documented_no_manager() -> None:
    lists = tc.call_lists(_match(3), ["wang", None, ""], capacity=3)
    assert lists.agents == ("wang",) and sorted(lists.customer.tolist()) == [0, 1, 2]


@pytest.mark.parametrize(
    ("manager", "fragment"),
    [
        (
            np.array([1, 2, 3]),
            "manager must hold agent names (text; '' or None for none), got dtype int64",
        ),
        (["wang", 7, ""], "manager[1] must be an agent's name (text), got int 7"),
        (["wang", " li", ""], "manager[1] must be a label without edge whitespace"),
        (np.array(["wang", "li ", ""]), "manager[1] must be a label without edge whitespace"),
        (np.array([True, False, True]), "got dtype bool"),
    ],
)
def test_managers_that_are_not_names_are_refused(manager: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        tc.call_lists(_match(3), manager)
    assert fragment in str(info.value)


@pytest.mark.parametrize("capacity", [10**30, 2**63, MAX_COUNT + 1])
def test_a_capacity_beyond_the_bound_is_refused_by_name(capacity: int) -> None:
    """call_lists(capacity=10**30) raised OverflowError."""
    with pytest.raises(tc.InvalidInput, match=f"capacity must be <= {MAX_COUNT}"):
        tc.call_lists(_match(3), ["wang", "", ""], capacity=capacity)


def test_the_largest_capacity_seats_everyone_without_a_slot_per_call() -> None:
    """At capacity 10**9 the round-robin made 10**9 slots per agent (memory, not answers)."""
    lists = tc.call_lists(_match(5), ["wang", "", "", "li", ""], capacity=MAX_COUNT)
    assert sorted(lists.customer.tolist()) == [0, 1, 2, 3, 4] and lists.overflow == 0
    small = tc.call_lists(_match(5), ["wang", "", "", "li", ""], capacity=5)
    assert lists.customer.tolist() == small.customer.tolist()
    assert lists.agent.tolist() == small.agent.tolist()


@pytest.mark.parametrize("capacity", [np.int8(2), np.uint64(2), np.int64(2)])
def test_a_numpy_capacity_is_a_count(capacity: Any) -> None:
    lists = tc.call_lists(_match(5), ["wang", "", "", "li", ""], capacity=capacity)
    assert lists.counts() == {"li": 2, "wang": 2} and type(lists.overflow) is int


@pytest.mark.parametrize("capacity", [True, 2.0, "2", -1])
def test_a_capacity_that_is_not_a_count_is_refused(capacity: Any) -> None:
    with pytest.raises(tc.InvalidInput, match="capacity must be"):
        tc.call_lists(_match(3), ["wang", "", ""], capacity=capacity)


def test_agents_are_checked_names() -> None:
    with pytest.raises(tc.InvalidInput, match="agents must be distinct non-empty names"):
        tc.call_lists(_match(3), ["wang", "", ""], agents=["wang", ""])
    with pytest.raises(
        tc.InvalidInput, match=r"agents\[0\] must be a label without edge whitespace"
    ):
        tc.call_lists(_match(3), ["wang", "", ""], agents=["wang "])
    lists = tc.call_lists(_match(3), ["wang", "", ""], agents=np.array(["wang"]))
    assert lists.agents == ("wang",) and type(lists.agents[0]) is str


@pytest.mark.parametrize(
    "name",
    [pd.Categorical(["li", "wang"]), np.array(["li"]), pd.NA, 3],
    ids=["Categorical", "array", "NA", "int"],
)
def test_for_agent_refuses_a_name_that_is_not_text_by_its_argument(name: Any) -> None:
    """A Categorical or an array asked ``name in agents`` for its truth value (ValueError)."""
    lists = tc.call_lists(_match(3), ["wang", "li", ""], capacity=2)
    with pytest.raises(tc.InvalidInput, match="name must be a str"):
        lists.for_agent(name)
    assert lists.for_agent("li").tolist() == [1, 2]


@pytest.mark.parametrize("ids", [[], ["a", "b"], ["a", "b", "c", "d"]], ids=len)
def test_to_frame_refuses_ids_that_are_not_one_per_customer_of_the_base(ids: list[str]) -> None:
    """Too few ids was an IndexError; too many were read silently."""
    lists = tc.call_lists(_match(3), ["wang", "li", ""], capacity=2)
    with pytest.raises(
        tc.InvalidInput,
        match=rf"ids must have one row per customer of the matched base \(3\), got {len(ids)}",
    ):
        lists.to_frame(ids)
    assert lists.to_frame(["a", "b", "c"])["customer"].tolist() == ["b", "c", "a"]


def test_a_padded_name_is_refused_at_its_first_row_among_many() -> None:
    """Managers are checked once per distinct name; a bad one is still named by its row."""
    rows = np.array(["wang"] * 5 + ["li "] * 2 + [None], dtype=object)
    with pytest.raises(tc.InvalidInput, match=r"manager\[5\] must be a label without edge"):
        tc.call_lists(_match(8), rows)


def test_an_object_column_with_none_gives_the_lists_of_the_list_and_is_left_as_it_was() -> None:
    rows = ["wang", None, "li", "", None, "wang"]
    given = np.array(rows, dtype=object)
    lists = tc.call_lists(_match(6), given, capacity=2)
    same = tc.call_lists(_match(6), rows, capacity=2)
    assert lists.agents == same.agents == ("li", "wang")
    assert lists.to_frame().equals(same.to_frame()) and given.tolist() == rows
