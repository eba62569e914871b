"""A gate of one's own is run like a built-in one, in both forms, and is checked."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest

import telcare as tc

MON = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
_OFFER = {"channels": ["phone"], "value": 3000, "cost": 500,
          "valid_from": "2010-01-01", "valid_to": "2010-12-31"}  # fmt: skip
CATALOGUE = tc.OfferCatalogue.model_validate({"offers": [
    {**_OFFER, "code": "loyalty_bonus", "name": "L", "project_type": "retention", "min_spend": 10000},
    {**_OFFER, "code": "data_pack", "name": "D", "project_type": "promotion"},
]})  # fmt: skip
WHO = tc.Prospect(tc.Customer("c1", date(2008, 1, 1), tc.yuan(88)))
BASE: dict[str, Any] = {"tier": [0], "segment_member": [False], "avg_spend": [0],
                        "plan_fee": [8800], "tenure_months": [34], "credit_level": [1]}  # fmt: skip


def _flag_gate(name: str) -> tc.OfferGate:
    return tc.OfferGate(
        name, lambda offer, ctx: True, lambda _, cols: cols["ok"], lambda _, case: "not ok",
        columns=("ok",),
    )  # fmt: skip


def test_a_gate_named_like_a_built_in_one_is_run_in_both_forms() -> None:
    """The whole-base match has the built-in channel term already; a gate of one's own
    named "channel" must still be run, not replaced by it (the forms disagreed)."""
    gates = tc.OfferGates(
        [g for g in tc.OFFER_GATES if g.name != "channel"] + [_flag_gate("channel")]
    )
    one = tc.match_offer(WHO, "data_pack", CATALOGUE, at=MON, gates=gates, columns={"ok": False})
    base = tc.match_offers(CATALOGUE, at=MON, gates=gates, columns={"ok": [False]}, **BASE)
    assert one.eligible is False and "not ok" in one.reasons
    assert base.eligible.tolist() == [[False, False]]


def test_an_extra_column_cannot_replace_a_built_in_one() -> None:
    with pytest.raises(tc.InvalidInput, match=r"columns= gives \['avg_spend'\]"):
        tc.match_offer(WHO, "loyalty_bonus", CATALOGUE, at=MON, columns={"avg_spend": 20000})
    with pytest.raises(tc.InvalidInput, match=r"columns= gives \['avg_spend', 'tier'\]"):
        tc.match_offers(CATALOGUE, at=MON, columns={"avg_spend": [1], "tier": [0]}, **BASE)


@pytest.mark.parametrize(
    ("passes", "message"),
    [
        (lambda f, c: "no", r"'risk' must pass a bool or 1 bools, got str"),
        (lambda f, c: None, r"'risk' must pass a bool or 1 bools, got NoneType"),
        (lambda f, c: np.ones(5, bool), r"'risk' must pass a bool or 1 bools, .* shape \(5,\)"),
    ],
)
def test_what_a_gate_passes_is_checked(passes: Any, message: str) -> None:
    gate = tc.OfferGate("risk", lambda o, c: 0.5, passes, lambda f, k: "r", columns=("risk",))
    with pytest.raises(tc.InvalidInput, match=message):
        tc.match_offer(WHO, "data_pack", CATALOGUE, at=MON, gates=tc.OFFER_GATES.with_gate(gate),
                       columns={"risk": 0.9})  # fmt: skip


def test_a_gate_gives_its_reason_as_text() -> None:
    gate = tc.OfferGate("risk", lambda o, c: 0.5, lambda f, c: c["risk"] >= f, lambda f, k: None,
                        columns=("risk",))  # fmt: skip
    with pytest.raises(tc.InvalidInput, match="'risk' must give its reason as text, got None"):
        tc.match_offer(WHO, "data_pack", CATALOGUE, at=MON, gates=tc.OFFER_GATES.with_gate(gate),
                       columns={"risk": 0.1})  # fmt: skip


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: tc.OfferGate("x", None, None, None),
            r"OfferGate\.bound must be callable, got None",
        ),  # type: ignore[arg-type]
        (
            lambda: tc.OfferGate("Tier", len, len, len),
            r"OfferGate\.name must be a snake_case str, got 'Tier'",
        ),
        (
            lambda: tc.OfferGate("x", len, len, len, columns=("",)),
            r"OfferGate\.columns must be a snake_case",
        ),
        (
            lambda: tc.OfferGate("x", len, len, len, columns=("a", "a")),
            r"each column once, \['a'\] repeat",
        ),
    ],
)
def test_a_gate_row_refuses_what_cannot_run(make: Any, message: str) -> None:
    with pytest.raises(tc.InvalidInput, match=message):
        make()


def test_the_gate_table_reads_like_the_report_registry() -> None:
    assert "tier" in tc.OFFER_GATES and "teatime" not in tc.OFFER_GATES
    assert np.array(["tier"]) not in tc.OFFER_GATES
    assert tc.OFFER_GATES["tier"].name == "tier"
    with pytest.raises(tc.InvalidInput, match="unknown offer gate 'teatime'; gates: "):
        tc.OFFER_GATES["teatime"]


def test_offer_conflicts_refuses_a_holding_the_catalogue_does_not_know() -> None:
    """A typo read as "no conflict"; match_offer refuses the same holding."""
    with pytest.raises(tc.InvalidInput, match=r"holds names \['basic_fee_discont'\]"):
        tc.offer_conflicts({"basic_fee_discont"}, "data_pack", CATALOGUE)
