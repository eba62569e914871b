"""Call lists, call by call (written for mutation testing's survivors: each test pins
who calls whom, in which position, and what is left over)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

import telcare as tc

AT = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
_OFFER = {"cost": 500, "valid_from": "2010-01-01", "valid_to": "2010-12-31",
          "project_type": "promotion"}  # fmt: skip
PHONE_ONLY = tc.OfferCatalogue.model_validate({"offers": [
    {**_OFFER, "code": "plan_upgrade", "name": "P", "channels": ["phone"], "value": 6_000}]})  # fmt: skip
# offer 0 goes by sms, offer 1 by email, offer 2 by phone: the value decides the best
MIXED = tc.OfferCatalogue.model_validate({"offers": [
    {**_OFFER, "code": "sms_pack", "name": "S", "channels": ["sms"], "value": 9_000,
     "min_plan_fee": 8_000},
    {**_OFFER, "code": "mail_pack", "name": "M", "channels": ["email"], "value": 8_000,
     "min_plan_fee": 6_000},
    {**_OFFER, "code": "plan_upgrade", "name": "P", "channels": ["phone"], "value": 6_000},
]})  # fmt: skip


def _case(value: object) -> str:
    """A test id of letters, digits and underscores only (mutmut selects tests by id)."""
    return (
        "call" if callable(value) else re.sub(r"\W+", "_", repr(value)).strip("_")[:40] or "empty"
    )


def _match(catalogue: tc.OfferCatalogue, n: int, **kw: Any) -> tc.OfferMatch:
    cols: dict[str, Any] = {
        "tier": [0] * n, "segment_member": [False] * n, "avg_spend": [9_000] * n,
        "plan_fee": [5_800] * n, "tenure_months": [12] * n, "credit_level": [1] * n,
    }  # fmt: skip
    return tc.match_offers(catalogue, at=AT, **{**cols, **kw})


def _ranked(n: int) -> tc.OfferMatch:
    """Customer i's response is (i + 1) / 10: the later customer scores higher."""
    return _match(PHONE_ONLY, n, response=[[(i + 1) / 10] for i in range(n)])


def test_each_agent_gets_own_customers_first_then_a_share_of_the_rest() -> None:
    lists = tc.call_lists(_ranked(5), ["wang", "wang", "li", "", ""], capacity=2)
    assert lists.agents == ("li", "wang")
    assert lists.for_agent("wang").tolist() == [1, 0]
    assert lists.for_agent("li").tolist() == [2, 4]
    assert lists.agent.tolist() == [0, 0, 1, 1]
    assert lists.position.tolist() == [1, 2, 1, 2]
    assert lists.offer.tolist() == [0, 0, 0, 0]
    assert lists.overflow == 1 and len(lists) == 4
    assert lists.counts() == {"li": 2, "wang": 2}


def test_a_second_agents_own_customers_are_ranked_from_one() -> None:
    lists = tc.call_lists(_ranked(6), ["li", "wang", "li", "wang", "li", "wang"], capacity=2)
    assert lists.for_agent("li").tolist() == [4, 2]
    assert lists.for_agent("wang").tolist() == [5, 3]
    assert lists.position.tolist() == [1, 2, 1, 2]
    assert lists.overflow == 2  # customers 0 and 1 wait for their own managers


def test_an_agent_without_own_customers_takes_a_share_of_the_pool() -> None:
    lists = tc.call_lists(_ranked(3), ["wang", "", ""], agents=["wang", "zhao"], capacity=2)
    assert lists.for_agent("wang").tolist() == [0, 2]
    assert lists.for_agent("zhao").tolist() == [1]
    assert lists.counts() == {"wang": 2, "zhao": 1} and lists.overflow == 0


def test_the_pool_goes_round_robin_by_score() -> None:
    lists = tc.call_lists(_ranked(5), [""] * 5, agents=["a", "b"], capacity=3)
    assert lists.for_agent("a").tolist() == [4, 2, 0]
    assert lists.for_agent("b").tolist() == [3, 1]
    assert lists.position.tolist() == [1, 2, 3, 1, 2]


def test_a_customer_whose_manager_is_off_duty_waits() -> None:
    lists = tc.call_lists(_ranked(3), ["sun", "", "wang"], agents=["wang"], capacity=5)
    assert lists.for_agent("wang").tolist() == [2, 1] and lists.overflow == 1


def test_the_call_list_as_columns_and_as_a_frame() -> None:
    lists = tc.call_lists(_ranked(5), ["wang", "wang", "li", "", ""], capacity=2)
    d = lists.to_dict()
    assert d["agent"] == ["li", "li", "wang", "wang"]
    assert d["position"] == [1, 2, 1, 2] and d["customer"] == [2, 4, 1, 0]
    assert d["offer"] == ["plan_upgrade"] * 4
    assert d["score"] == pytest.approx([1300.0, 2500.0, 700.0, 100.0])
    frame = lists.to_frame()
    assert list(frame.columns) == ["agent", "position", "customer", "offer", "score"]
    assert frame["customer"].tolist() == [2, 4, 1, 0]
    assert frame["agent"].tolist() == ["li", "li", "wang", "wang"]
    named = lists.to_frame(ids=["a", "b", "c", "d", "e"])
    assert named["customer"].tolist() == ["c", "e", "b", "a"]
    assert named["offer"].tolist() == ["plan_upgrade"] * 4


def test_an_empty_call_list_keeps_text_columns_for_agents_and_offers() -> None:
    empty = tc.call_lists(_ranked(3), ["", "", ""], agents=[])
    assert len(empty) == 0 and empty.overflow == 3 and empty.counts() == {}
    frame = empty.to_frame()
    assert len(frame) == 0 and frame["agent"].dtype == object and frame["offer"].dtype == object


@pytest.mark.parametrize("ids", [5, [[1, 2]], "abcde"], ids=_case)
def test_ids_that_are_not_a_column_are_refused_by_name(ids: Any) -> None:
    lists = tc.call_lists(_ranked(5), ["wang", "wang", "li", "", ""], capacity=2)
    with pytest.raises(tc.InvalidInput, match=r"^ids must be a 1-D column, got shape"):
        lists.to_frame(ids=ids)


def test_best_offers_by_another_channel_are_counted_per_channel() -> None:
    # plan fees 9,000: sms_pack (offer 0) is best; 7,000: mail_pack; 5,800: plan_upgrade
    m = _match(MIXED, 5, plan_fee=[9_000, 9_000, 7_000, 5_800, 5_800],
               do_not_call=[False, False, False, False, True])  # fmt: skip
    assert m.best.tolist() == [0, 0, 1, 2, -1]
    lists = tc.call_lists(m, ["wang"] * 5)
    assert lists.other_channels == {"sms": 2, "email": 1}
    assert lists.customer.tolist() == [3] and lists.overflow == 0


def test_the_default_capacity_is_the_policys_calls_per_agent_day() -> None:
    one_a_day = tc.Policy.model_validate({"contact": {"calls_per_agent_day": 1}})
    lists = tc.call_lists(_ranked(4), ["wang", "wang", "", ""], policy=one_a_day)
    assert lists.for_agent("wang").tolist() == [1] and lists.overflow == 3


def test_a_call_list_needs_a_match() -> None:
    with pytest.raises(tc.InvalidInput) as info:
        tc.call_lists({}, ["wang"])  # type: ignore[arg-type]
    assert str(info.value) == "call_lists() needs an OfferMatch, got dict"


def test_positions_are_whole_numbers_in_the_json() -> None:
    lists = tc.call_lists(_ranked(5), ["wang", "wang", "li", "", ""], capacity=2)
    assert lists.position.dtype.kind == "i"
    assert '"position": [1, 2, 1, 2]' in json.dumps(lists.to_dict())


@pytest.mark.parametrize(
    ("manager", "message"),
    [
        (
            pd.Series([1, 2, 3]),
            "manager must hold agent names (text; '' or None for none), got dtype int64",
        ),
        (np.array([["a", "b", "c"]]), "manager must be a 1-D column, got shape (1, 3)"),
        ([["a", "b", "c"]], "manager must be a 1-D column, got shape (1, 3)"),
        (
            ["a", float("nan"), "b"],
            "manager is missing at index 1 (got nan); give an agent's name, "
            "or '' or None for a customer without a manager",
        ),
    ],
    ids=_case,
)
def test_managers_are_refused_word_for_word(manager: Any, message: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        tc.call_lists(_ranked(3), manager)
    assert str(info.value) == message
