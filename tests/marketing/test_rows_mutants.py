"""The built-in gates at their edges (written for mutation testing's survivors): a band
includes both ends, a minimum includes itself, and holdings past the first 64-bit word
count like the first ones."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import telcare as tc

AT = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
_OFFER = {"cost": 500, "valid_from": "2010-01-01", "valid_to": "2010-12-31", "value": 3_000,
          "project_type": "promotion", "channels": ["phone"]}  # fmt: skip
# 70 products: p01 and p02 sit in the first word of the bit sets, p66 and p67 in the second
PRODUCTS = {f"p{i:02d}": f"Product {i}" for i in range(70)}
WIDE = tc.OfferCatalogue.model_validate({"products": PRODUCTS, "offers": [
    {**_OFFER, "code": "bundle", "name": "B", "requires": ["p01", "p66"]},
    {**_OFFER, "code": "switch", "name": "S", "conflicts": {"p02": "replaces it", "p67": "replaces it"}},
]})  # fmt: skip
BANDS = tc.OfferCatalogue.model_validate({"offers": [
    {**_OFFER, "code": "spend", "name": "S", "min_spend": 10_000, "max_spend": 20_000},
    {**_OFFER, "code": "fee", "name": "F", "min_plan_fee": 5_800, "max_plan_fee": 8_800},
    {**_OFFER, "code": "tenure", "name": "T", "min_tenure_months": 24},
    {**_OFFER, "code": "credit", "name": "C", "min_credit_level": 3},
]})  # fmt: skip


def _match(catalogue: tc.OfferCatalogue, n: int, **kw: Any) -> tc.OfferMatch:
    cols: dict[str, Any] = {
        "tier": [0] * n, "segment_member": [False] * n, "avg_spend": [15_000] * n,
        "plan_fee": [6_800] * n, "tenure_months": [30] * n, "credit_level": [4] * n,
    }  # fmt: skip
    return tc.match_offers(catalogue, at=AT, **{**cols, **kw})


def test_a_band_includes_both_of_its_ends() -> None:
    m = _match(BANDS, 4, avg_spend=[10_000, 20_000, 9_999, 20_001],
               plan_fee=[5_800, 8_800, 5_799, 8_801])  # fmt: skip
    assert m.eligible[:, 0].tolist() == [True, True, False, False]
    assert m.eligible[:, 1].tolist() == [True, True, False, False]


def test_a_minimum_tenure_or_credit_level_includes_itself() -> None:
    m = _match(BANDS, 3, tenure_months=[24, 23, 25], credit_level=[3, 2, 4])
    assert m.eligible[:, 2].tolist() == [True, False, True]
    assert m.eligible[:, 3].tolist() == [True, False, True]


def test_requirements_in_every_word_of_the_holdings_must_be_held() -> None:
    held = [{"p01", "p66"}, {"p01"}, {"p66"}, {"p01", "p66", "p67"}, set()]
    m = _match(WIDE, len(held), holds=WIDE.holds_table(held))
    assert m.eligible[:, 0].tolist() == [True, False, False, True, False]


def test_conflicts_in_every_word_of_the_holdings_refuse() -> None:
    held = [set(), {"p67"}, {"p02"}, {"p02", "p67"}, {"p01", "p66"}]
    m = _match(WIDE, len(held), holds=WIDE.holds_table(held))
    assert m.eligible[:, 1].tolist() == [True, False, False, False, True]


def test_one_customer_reads_the_second_word_too() -> None:
    customer = tc.Customer("c1", date(2008, 1, 1), tc.yuan(68))
    lacking = tc.match_offer(tc.Prospect(customer, holds={"p01"}), "bundle", WIDE, at=AT)
    assert lacking.reasons == ("does not hold p66, which the offer requires",)
    nothing = tc.match_offer(tc.Prospect(customer), "bundle", WIDE, at=AT)
    assert nothing.reasons == ("does not hold p01, p66, which the offer requires",)
    both = tc.match_offer(tc.Prospect(customer, holds={"p02", "p67"}), "switch", WIDE, at=AT)
    assert both.reasons == ("conflicts with p02: replaces it", "conflicts with p67: replaces it")
