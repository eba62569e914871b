"""The whole-base match's results, figure by figure (written for mutation testing's
survivors: each test pins a value a small edit of ``_base`` or ``_tables`` changes)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

import telcare as tc
from telcare.marketing._rows import OFFER_GATES
from telcare.marketing._tables import compile_offers

AT = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
_OFFER = {"cost": 500, "valid_from": "2010-01-01", "valid_to": "2010-12-31",
          "project_type": "promotion"}  # fmt: skip
# data_pack goes by sms (channel index 1), plan_upgrade by phone (channel index 0)
CATALOGUE = tc.OfferCatalogue.model_validate({"offers": [
    {**_OFFER, "code": "data_pack", "name": "D", "channels": ["sms"], "value": 4_000,
     "min_plan_fee": 5_800},
    {**_OFFER, "code": "plan_upgrade", "name": "P", "channels": ["phone"], "value": 3_000},
]})  # fmt: skip


def _base(n: int, **kw: Any) -> dict[str, Any]:
    cols: dict[str, Any] = {
        "tier": [0] * n, "segment_member": [False] * n, "avg_spend": [9_000] * n,
        "plan_fee": [5_800] * n, "tenure_months": [12] * n, "credit_level": [1] * n,
    }  # fmt: skip
    return {**cols, **kw}


def _three() -> tc.OfferMatch:
    """Best offer 0 by sms, best offer 1 by phone, and a do-not-call number with none."""
    return tc.match_offers(
        CATALOGUE, at=AT, **_base(3, plan_fee=[5_800, 3_800, 5_800], do_not_call=[False, False, True])
    )  # fmt: skip


def test_each_row_shows_its_best_offer_its_channel_and_how_many_offers_fit() -> None:
    m = _three()
    assert m.to_dict() == {
        "best_offer": ["data_pack", "plan_upgrade", None],
        "channel": ["sms", "phone", None],
        "score": [3500.0, 2500.0, None],
        "eligible_offers": [2, 1, 0],
    }
    json.dumps(m.to_dict())
    frame = m.to_frame()
    assert frame["channel"].tolist()[:2] == ["sms", "phone"] and frame["channel"].isna().tolist() == [False, False, True]  # fmt: skip
    assert frame["eligible_offers"].tolist() == [2, 1, 0]


def test_the_tables_are_per_customer_and_offer() -> None:
    m = _three()
    assert m.eligible.tolist() == [[True, True], [False, True], [False, False]]
    assert m.allowed.tolist() == [[True, True], [False, True], [False, False]]
    assert m.channel.tolist() == [[1, 0], [1, 0], [1, 0]]
    assert m.best.tolist() == [0, 1, -1]
    # the documented column types: bool tables, int8 channel indexes, int64 offer indexes
    assert (m.eligible.dtype, m.allowed.dtype) == (np.bool_, np.bool_)
    assert (m.channel.dtype, m.best.dtype) == (np.int8, np.int64)
    assert m.value.tolist() == [4_000, 3_000] and m.cost.tolist() == [500, 500]
    assert m.score.tolist() == [[3500.0, 2500.0]] * 3
    assert m.best_codes().tolist() == ["data_pack", "plan_upgrade", None]


def test_a_compiled_catalogue_gives_each_gates_parameter_per_offer() -> None:
    t = compile_offers(CATALOGUE, tc.default_policy(), date(2010, 11, 22), OFFER_GATES)
    assert t.param("plan_fee") == ((5_800, 2**63 - 1), None)
    assert t.param("tier") == (None, None)
    assert t.param("valid") == (True, True)
    assert t.codes == ("data_pack", "plan_upgrade") and t.words == 1
    assert t.project.tolist() == [tc.PROJECT_TYPES.index("promotion")] * 2
    assert np.asarray(t.param("channel")[1]).shape == t.channel[1].shape
