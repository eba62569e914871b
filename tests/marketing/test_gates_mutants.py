"""The gate table's refusals, word for word, and the one-customer extra columns
(written for mutation testing's survivors: tests matched these messages in part)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest

import telcare as tc

MON = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
CATALOGUE = tc.OfferCatalogue.model_validate({"offers": [
    {"code": "data_pack", "name": "D", "project_type": "promotion", "channels": ["phone"],
     "value": 3_000, "cost": 500, "valid_from": "2010-01-01", "valid_to": "2010-12-31"}]})  # fmt: skip
WHO = tc.Prospect(tc.Customer("c1", date(2008, 1, 1), tc.yuan(88)))
RISK = tc.OfferGate(
    "risk", lambda o, c: 0.5, lambda f, c: c["risk"] >= f, lambda f, k: "low", columns=("risk",)
)
GATES = tc.OFFER_GATES.with_gate(RISK)


def _refusal(call: Any) -> str:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    return str(info.value)


def test_a_gate_table_and_a_gate_row_name_themselves_when_refused() -> None:
    assert _refusal(lambda: tc.OfferGate("x", len, len, len, columns="ab")) == (
        "OfferGate.columns must be an iterable of str, got str 'ab'"
    )
    assert _refusal(lambda: tc.OfferGates("tier")) == (
        "OfferGates gates must be an iterable of OfferGate, got str 'tier'"
    )
    assert _refusal(lambda: tc.OFFER_GATES.with_gate("tier")) == (  # type: ignore[arg-type]
        "with_gate() needs an OfferGate, got str"
    )


def test_an_unknown_gate_is_refused_listing_every_gate() -> None:
    assert _refusal(lambda: tc.OFFER_GATES["nope"]) == (
        "unknown offer gate 'nope'; gates: valid, do_not_call, tier, segment, spend, plan_fee, "
        "tenure, credit, requires, channel, conflicts"
    )


def test_one_customers_extra_value_is_one_number_or_bool() -> None:
    def decide(value: Any) -> Any:
        return tc.match_offer(WHO, "data_pack", CATALOGUE, at=MON, gates=GATES,
                              columns={"risk": value})  # fmt: skip

    assert _refusal(lambda: decide("high")) == (
        "columns['risk'] must hold numbers or booleans, got object values such as 'high'"
    )
    assert _refusal(lambda: decide([0.1, 0.2])) == (
        "columns['risk'] must be this customer's one value, got list [0.1, 0.2]"
    )
    assert _refusal(lambda: decide(None)) == "columns['risk'] is missing at index 0 (got None)"
    assert decide(0.1).reasons == ("low",) and decide(0.9).eligible


def _base(n: int) -> dict[str, Any]:
    return {"tier": [0] * n, "segment_member": [False] * n, "avg_spend": [0] * n,
            "plan_fee": [8_800] * n, "tenure_months": [34] * n, "credit_level": [1] * n}  # fmt: skip


def test_a_gate_may_pass_a_column_of_one_wide_rows_or_a_plain_bool() -> None:
    wide = tc.OfferGate("wide", lambda o, c: 1, lambda f, c: np.array([[True], [False]]), lambda f, k: "w")  # fmt: skip
    m = tc.match_offers(CATALOGUE, at=MON, gates=tc.OFFER_GATES.with_gate(wide), **_base(2))
    assert m.eligible[:, 0].tolist() == [True, False]
    never = tc.OfferGate("never", lambda o, c: 1, lambda f, c: False, lambda f, k: "never")
    d = tc.match_offer(WHO, "data_pack", CATALOGUE, at=MON, gates=tc.OFFER_GATES.with_gate(never))
    assert not d.eligible and d.reasons == ("never",)


def test_an_offer_no_gate_applies_to_is_eligible() -> None:
    silent = tc.OfferGates([tc.OfferGate("silent", lambda o, c: None, lambda f, c: False, lambda f, k: "")])  # fmt: skip
    m = tc.match_offers(CATALOGUE, at=MON, gates=silent, **_base(2))
    assert m.eligible.tolist() == [[True], [True]]
