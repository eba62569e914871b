"""What attacking the marketing surface found (#28 class 5): each is now a correct
answer or an InvalidInput naming the value, never a bare TypeError or IndexError."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

import telcare as tc

MON = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
CATALOGUE = tc.OfferCatalogue.model_validate({"products": {"bfd": "B"}, "offers": [
    {"code": "data_pack", "name": "D", "project_type": "promotion", "channels": ["sms", "phone"],
     "value": 3000, "cost": 500, "valid_from": "2010-01-01", "valid_to": "2010-12-31"}]})  # fmt: skip
CUSTOMER = tc.Customer("c1", date(2008, 1, 1), tc.yuan(88))


@pytest.mark.parametrize(
    "refused",
    [float("nan"), pd.NA, pd.NaT, True, np.int8(1), 10**30, np.array(1), date(2010, 1, 1), "dm"],
    ids=repr,
)
def test_refused_channels_must_be_a_collection(refused: Any) -> None:
    """A number, a date or pandas NA raised a bare TypeError (not iterable); one str
    was read letter by letter."""
    with pytest.raises(tc.InvalidInput, match="refused_channels"):
        tc.Prospect(CUSTOMER, refused_channels=refused)


def test_do_not_call_keeps_a_python_bool() -> None:
    """A numpy bool was kept as np.bool_ in the frozen value."""
    who = tc.Prospect(CUSTOMER, do_not_call=np.bool_(True))
    assert who.do_not_call is True
    with pytest.raises(tc.InvalidInput, match=r"Prospect\.do_not_call must be a bool, got int 1"):
        tc.Prospect(CUSTOMER, do_not_call=1)


@pytest.mark.parametrize(
    "offer", [pd.NA, np.array([]), pd.Series([1, None]), np.array(["data_pack"]), None, 7], ids=repr
)
def test_an_offer_code_that_is_not_text_is_refused_by_name(offer: Any) -> None:
    """offer_conflicts(offer=pd.NA) raised 'boolean value of NA is ambiguous', an array
    numpy's ambiguous truth value."""
    with pytest.raises(tc.InvalidInput, match="unknown offer"):
        tc.offer_conflicts({"bfd"}, offer, CATALOGUE)
    with pytest.raises(tc.InvalidInput, match="unknown offer"):
        CATALOGUE[offer]


@pytest.mark.parametrize("response", [[], np.array([]), [0.5], np.array([0.5, 0.2])], ids=repr)
def test_one_customers_response_is_one_number(response: Any) -> None:
    """match_offer(response=[]) raised IndexError."""
    who = tc.Prospect(CUSTOMER)
    with pytest.raises(tc.InvalidInput, match="response for 'data_pack' must be one number"):
        tc.match_offer(who, "data_pack", CATALOGUE, at=MON, response=response)


@pytest.mark.parametrize("hours", [-12, 14])
def test_an_aware_time_in_any_zone_is_read_in_the_policys_zone(hours: int) -> None:
    """The same instant gives the same decision whatever zone it is written in."""
    who = tc.Prospect(CUSTOMER)
    there = MON.astimezone(timezone(timedelta(hours=hours)))
    a = tc.match_offer(who, "data_pack", CATALOGUE, at=there)
    b = tc.match_offer(who, "data_pack", CATALOGUE, at=MON)
    assert (a.allowed_now, a.next_allowed_at) == (b.allowed_now, b.next_allowed_at)
    late = datetime(2010, 11, 22, 21, tzinfo=ZoneInfo("Asia/Shanghai"))  # closed in Shanghai
    c = tc.contact_allowed("c1", None, late.astimezone(timezone(timedelta(hours=hours))), [])
    assert not c.allowed and str(c.next_allowed_at) == "2010-11-23 08:00:00+08:00"
