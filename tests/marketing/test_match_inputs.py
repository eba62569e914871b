"""The whole-base and one-customer matchers check responses and extra columns with
one check (#28 class 2): what one refuses, the other refuses too, by name."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

import telcare as tc

MON = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
CATALOGUE = tc.OfferCatalogue.model_validate({"offers": [
    {"code": "data_pack", "name": "D", "project_type": "retention", "channels": ["phone"],
     "value": 3000, "cost": 500, "valid_from": "2010-01-01", "valid_to": "2010-12-31"}]})  # fmt: skip
WHO = tc.Prospect(tc.Customer("c1", date(2008, 1, 1), tc.yuan(88)))
BASE: dict[str, Any] = {"tier": [0], "segment_member": [False], "avg_spend": [0],
                        "plan_fee": [8800], "tenure_months": [34], "credit_level": [1]}  # fmt: skip
RISK = tc.OfferGate(
    "churn_risk", lambda offer, ctx: 0.5, lambda floor, c: c["churn_risk"] >= floor,
    lambda floor, case: f"churn risk below {floor}", columns=("churn_risk",),
)  # fmt: skip
GATES = tc.OFFER_GATES.with_gate(RISK)


def _both(response: Any) -> tuple[Any, Any]:
    outcomes = []
    for call in (
        lambda: tc.match_offer(WHO, "data_pack", CATALOGUE, at=MON, response=response).score,
        lambda: float(
            tc.match_offers(CATALOGUE, at=MON, response=[[response]], **BASE).score[0, 0]
        ),
    ):
        try:
            outcomes.append(("ok", call()))
        except tc.InvalidInput as exc:
            outcomes.append(("refused", "response" in str(exc)))
    return outcomes[0], outcomes[1]


@pytest.mark.parametrize(
    "response",
    [
        True,
        False,
        np.bool_(True),
        "0.5",
        "x",
        None,
        float("nan"),
        np.nan,
        pd.NA,
        float("inf"),
        1e7,
        -1e7,
        b"1",
    ],
    ids=repr,
)
def test_both_matchers_refuse_the_same_responses_by_name(response: Any) -> None:
    """match_offers read True as 1.0 and "0.5" as 0.5, which match_offer refused."""
    one, base = _both(response)
    assert one == base == ("refused", True)


@pytest.mark.parametrize(
    "response",
    [0.3, 0, 1, np.float16(0.5), np.float32(0.25), np.int8(1), np.uint64(1), Decimal("0.5"), -1e6],
    ids=repr,
)
def test_both_matchers_take_the_same_responses(response: Any) -> None:
    one, base = _both(response)
    assert one == base and one[0] == "ok" and type(one[1]) is float


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (None, "columns['churn_risk'] is missing at index 0 (got None)"),
        (pd.NA, "columns['churn_risk'] is missing at index 0"),
        (float("nan"), "columns['churn_risk'] is missing at index 0 (got nan)"),
        ("high", "columns['churn_risk'] must hold numbers or booleans"),
        ([0.2, 0.3], "columns['churn_risk'] must be this customer's one value"),
    ],
    ids=repr,
)
def test_an_extra_column_value_is_refused_by_name_for_one_customer(
    value: Any, fragment: str
) -> None:
    """None, pandas NA and text gave bare TypeErrors from inside the gate."""
    with pytest.raises(tc.InvalidInput) as info:
        tc.match_offer(
            WHO, "data_pack", CATALOGUE, at=MON, gates=GATES, columns={"churn_risk": value}
        )
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ([None], "columns['churn_risk'] is missing at index 0 (got None)"),
        (pd.Series([0.3, None]), "columns['churn_risk'] is missing at index 1 (got nan)"),
        (pd.Series([0.3, pd.NA], dtype="Float64"), "columns['churn_risk'] is missing at index 1"),
        (["high"], "columns['churn_risk'] must hold numbers or booleans"),
    ],
    ids=repr,
)
def test_an_extra_column_is_refused_by_name_for_the_whole_base(value: Any, fragment: str) -> None:
    base = {k: v * len(value) for k, v in BASE.items()}
    with pytest.raises(tc.InvalidInput) as info:
        tc.match_offers(CATALOGUE, at=MON, gates=GATES, columns={"churn_risk": value}, **base)
    assert fragment in str(info.value)


@pytest.mark.parametrize("risk", [0.9, np.float32(0.2), 1, np.int64(0), True])
def test_an_extra_column_of_numbers_gives_the_same_answer_in_both_forms(risk: Any) -> None:
    one = tc.match_offer(
        WHO, "data_pack", CATALOGUE, at=MON, gates=GATES, columns={"churn_risk": risk}
    )
    base = tc.match_offers(CATALOGUE, at=MON, gates=GATES, columns={"churn_risk": [risk]}, **BASE)
    assert one.eligible == bool(base.eligible[0, 0]) == (float(risk) >= 0.5)


@pytest.mark.parametrize("contacts", [float("nan"), None, np.array(3)], ids=repr)
@pytest.mark.parametrize("form", ["best_offers", "match_offer"])
def test_contacts_that_are_not_a_collection_are_refused_by_name(contacts: Any, form: str) -> None:
    """contacts=nan was a bare TypeError ('float' object is not iterable)."""
    call = {
        "best_offers": lambda: tc.best_offers(WHO, CATALOGUE, at=MON, contacts=contacts),
        "match_offer": lambda: tc.match_offer(
            WHO, "data_pack", CATALOGUE, at=MON, contacts=contacts
        ),
    }[form]
    with pytest.raises(tc.InvalidInput, match="contacts must be an iterable"):
        call()


@pytest.mark.parametrize("day", [float("nan"), None, "2010-11-22", MON], ids=repr)
def test_an_offer_is_valid_on_a_date_only(day: Any) -> None:
    """valid_on(nan) was a TypeError ('<=' not supported between date and float)."""
    offer = CATALOGUE["data_pack"]
    with pytest.raises(tc.InvalidInput, match=r"day must be a datetime\.date"):
        offer.valid_on(day)
    assert offer.valid_on(date(2010, 12, 31)) and not offer.valid_on(date(2011, 1, 1))


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (float("nan"), "rows must be an iterable of object, got float nan"),
        ([[["data_pack"]]], r"rows\[0\]\[0\] must be a str, got list"),
        ([float("nan")], r"rows\[0\] must be an iterable of str, got float nan"),
        (["1", "2"], r"row 0 of holds must be a collection of codes, got the str '1' as rows\[0\]"),
        ([["gym"]], r"row 0 holds 'gym', which is neither .* \(rows\[0\]\)"),
    ],
)
def test_a_holds_table_refuses_rows_that_are_not_collections_of_codes(
    rows: Any, message: str
) -> None:
    """rows=nan and an unhashable code were bare TypeErrors; a str row did not name rows."""
    with pytest.raises(tc.InvalidInput, match=message):
        CATALOGUE.holds_table(rows)


def test_a_bool_among_numbers_in_a_response_table_is_refused_not_read_as_one() -> None:
    two = {k: v * 2 for k, v in BASE.items()}
    with pytest.raises(
        tc.InvalidInput, match=r"^response\[0\] must be a finite number, got bool True"
    ):
        tc.match_offers(CATALOGUE, at=MON, response=[[True], [0.5]], **two)
    assert tc.match_offers(CATALOGUE, at=MON, response=[[0.25], [0.5]], **two).score.shape == (2, 1)
