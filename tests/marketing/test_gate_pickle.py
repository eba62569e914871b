"""The gate table pickles (#28 class 3): the gates are sent to Dask workers."""

from __future__ import annotations

import pickle
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

import telcare as tc
from telcare.marketing._rows import CHANNEL_GATE

MON = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
CATALOGUE = tc.OfferCatalogue.model_validate({"offers": [
    {"code": "data_pack", "name": "D", "project_type": "promotion", "channels": ["sms", "phone"],
     "value": 3000, "cost": 500, "min_spend": 1_000, "max_plan_fee": 9_000, "tiers": ["gold"],
     "min_tenure_months": 6, "min_credit_level": 2,
     "valid_from": "2010-01-01", "valid_to": "2010-12-31"}]})  # fmt: skip


def _floor(offer: Any, ctx: Any) -> float:
    return 0.5


def _risky(floor: float, columns: Any) -> Any:
    return columns["churn_risk"] >= floor


def _why(floor: float, case: Any) -> str:
    return f"risk below {floor}"


def test_the_built_in_table_pickles_and_unpickles_as_itself() -> None:
    """pickle.dumps(OFFER_GATES) failed on the rows' lambdas."""
    again = pickle.loads(pickle.dumps(tc.OFFER_GATES))
    assert [g.name for g in again] == [g.name for g in tc.OFFER_GATES]
    assert all(a is b for a, b in zip(again, tc.OFFER_GATES, strict=True))
    assert again["channel"] is CHANNEL_GATE


def test_a_table_with_a_gate_of_ones_own_pickles_and_matches_the_same() -> None:
    gates = tc.OFFER_GATES.with_gate(
        tc.OfferGate("churn", _floor, _risky, _why, columns=("churn_risk",))
    )
    again = pickle.loads(pickle.dumps(gates))
    rng = np.random.default_rng(3)
    n = 200
    base = {"tier": rng.integers(0, 5, n), "segment_member": rng.random(n) < 0.3,
            "avg_spend": rng.integers(0, 3_000, n), "plan_fee": rng.integers(5_000, 12_000, n),
            "tenure_months": rng.integers(0, 12, n), "credit_level": rng.integers(1, 4, n),
            "columns": {"churn_risk": rng.random(n)}}  # fmt: skip
    one = tc.match_offers(CATALOGUE, at=MON, gates=gates, **base)
    two = tc.match_offers(CATALOGUE, at=MON, gates=again, **base)
    assert one.eligible.any() and not one.eligible.all()
    assert (one.eligible == two.eligible).all() and (one.best == two.best).all()
