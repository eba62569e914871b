"""Every count in the policy has an upper bound (#28 class 3): a figure that validates
never overflows later; a cap keyed by an unknown customer type is refused by name."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pydantic
import pytest

import telcare as tc
from telcare._core.limits import MAX_COUNT

MONDAY = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def _integers(schema: Any, path: str, defs: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every integer in a JSON schema, with its path (``$ref`` followed)."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return _integers(defs[schema["$ref"].split("/")[-1]], path, defs)
        found = [(path, schema)] if schema.get("type") == "integer" else []
        for key, sub in schema.items():
            if key in ("properties", "$defs"):
                for name, inner in sub.items():
                    found += _integers(inner, f"{path}.{name}", defs)
            elif key in ("anyOf", "items", "additionalProperties", "prefixItems"):
                subs = sub if isinstance(sub, list) else [sub]
                for inner in subs:
                    found += _integers(inner, f"{path}[]", defs)
        return found
    return []


@pytest.mark.parametrize("model", [tc.Policy, tc.OfferCatalogue])
def test_every_integer_of_the_policy_has_an_upper_bound(model: Any) -> None:
    schema = model.model_json_schema()
    found = _integers(schema, model.__name__, schema.get("$defs", {}))
    assert found  # the walk reaches the figures
    unbounded = [path for path, s in found if "maximum" not in s and "exclusiveMaximum" not in s]
    assert unbounded == []


@pytest.mark.parametrize(
    "contact",
    [
        {"customer_type_caps": {"gold": 10**30}},
        {"max_marketing_calls": 10**30},
        {"project_type_caps": {"promotion": 10**30}},
        {"calls_per_agent_day": 10**30},
        {"max_marketing_calls": MAX_COUNT + 1},
    ],
    ids=repr,
)
def test_a_cap_beyond_max_count_is_refused_when_the_policy_is_built(
    contact: dict[str, Any],
) -> None:
    """A frequency cap of 10**30 validated, then raised OverflowError in the matchers."""
    with pytest.raises(pydantic.ValidationError, match="less than or equal to 1000000000"):
        tc.Policy.model_validate({"contact": contact})


def test_the_largest_cap_works_in_every_form() -> None:
    policy = tc.Policy.model_validate({"contact": {
        "max_marketing_calls": MAX_COUNT, "customer_type_caps": {"gold": MAX_COUNT},
        "project_type_caps": {"promotion": MAX_COUNT}, "calls_per_agent_day": MAX_COUNT}})  # fmt: skip
    catalogue = tc.OfferCatalogue.model_validate({"offers": [
        {"code": "data_pack", "name": "D", "project_type": "promotion", "channels": ["phone"],
         "value": 3000, "cost": 500, "valid_from": "2010-01-01", "valid_to": "2010-12-31"}]})  # fmt: skip
    who = tc.Prospect(tc.Customer("c1", date(2008, 1, 1), tc.yuan(88), tier="gold"))
    assert tc.match_offer(who, "data_pack", catalogue, at=MONDAY, policy=policy).allowed_now
    assert tc.contact_allowed(who, None, MONDAY, [], policy=policy).allowed
    m = tc.match_offers(catalogue, at=MONDAY, tier=[3], segment_member=[False], avg_spend=[0],
                        plan_fee=[8800], tenure_months=[34], credit_level=[1],
                        counted_contacts=[MAX_COUNT - 1], policy=policy)  # fmt: skip
    assert m.allowed[0, 0]
    assert len(tc.call_lists(m, ["wang"], policy=policy)) == 1


def test_a_cap_for_an_unknown_customer_type_is_refused_listing_the_known_ones() -> None:
    """contact.customer_type_caps took 'platinum' (a typo, or a tier of another ladder)
    and the cap never applied."""
    with pytest.raises(pydantic.ValidationError) as info:
        tc.Policy.model_validate({"contact": {"customer_type_caps": {"platinum": 1, "gold": 1}}})
    text = str(info.value)
    assert "contact.customer_type_caps.platinum" in text
    assert (
        "'platinum' is neither a tier on tiers.ladder ['ordinary', 'vip', 'silver', 'gold', 'diamond'] nor the segment 'mid_high_end'"
        in text
    )
    assert "gold" not in text.split("\n")[1]  # the known tier is not flagged
    tc.Policy.model_validate({"contact": {"customer_type_caps": {"gold": 1, "mid_high_end": 3}}})


def test_a_moment_priority_is_an_int_not_a_bool() -> None:
    """priorities read True as priority 1."""
    priorities = {**{m.value: 3 for m in tc.Moment}, "birthday": True}
    with pytest.raises(pydantic.ValidationError, match=r"priorities\.birthday"):
        tc.Policy.model_validate({"moments": {"priorities": priorities}})
