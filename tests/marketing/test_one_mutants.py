"""One customer's decision and every matcher's refusals, word for word (written for
mutation testing's survivors: tests matched these texts only in part)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest

import telcare as tc

SH = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2010, 11, 22, 10, tzinfo=SH)
SUNDAY = datetime(2010, 11, 21, 10, tzinfo=SH)
_OFFER = {"cost": 500, "valid_from": "2010-01-01", "valid_to": "2010-12-31",
          "project_type": "promotion"}  # fmt: skip
CATALOGUE = tc.OfferCatalogue.model_validate({"products": {"family_plan": "Family plan"}, "offers": [
    {**_OFFER, "code": "data_pack", "name": "D", "channels": ["sms"], "value": 4_000,
     "min_plan_fee": 5_800},
    {**_OFFER, "code": "plan_upgrade", "name": "P", "channels": ["phone"], "value": 3_000},
]})  # fmt: skip
WHO = tc.Prospect(tc.Customer("c1", date(2008, 1, 1), tc.yuan(88)))
RISK = tc.OfferGate(
    "risk", lambda o, c: 0.5, lambda f, c: c["risk"] >= f, lambda f, k: "low", columns=("risk",)
)


def _case(value: object) -> str:
    """A test id of letters, digits and underscores only (mutmut selects tests by id)."""
    return (
        "call" if callable(value) else re.sub(r"\W+", "_", repr(value)).strip("_")[:40] or "empty"
    )


def _base(n: int, **kw: Any) -> dict[str, Any]:
    cols: dict[str, Any] = {
        "tier": [0] * n, "segment_member": [False] * n, "avg_spend": [9_000] * n,
        "plan_fee": [5_800] * n, "tenure_months": [12] * n, "credit_level": [1] * n,
    }  # fmt: skip
    return {**cols, **kw}


def _refusal(call: Any) -> str:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    return str(info.value)


def test_an_eligible_offer_says_its_worth_cost_channel_and_score() -> None:
    d = tc.match_offer(WHO, "data_pack", CATALOGUE, at=MONDAY, response=0.5)
    assert d.eligible and d.allowed_now and d.channel is tc.Channel.SMS and d.score == 1500.0
    assert d.next_allowed_at == MONDAY
    assert d.reasons == ("eligible: promotion offer worth ¥40.00, costs ¥5.00, by sms; score 1,500 fen",)  # fmt: skip


def test_outside_the_contact_hours_the_reason_names_the_hours() -> None:
    d = tc.match_offer(WHO, "plan_upgrade", CATALOGUE, at=SUNDAY)
    assert d.eligible and not d.allowed_now
    assert d.next_allowed_at == datetime(2010, 11, 22, 8, tzinfo=SH)
    assert d.reasons == (
        "eligible: promotion offer worth ¥30.00, costs ¥5.00, by phone; score 2,500 fen",
        "outside contact hours Mon-Fri 08:00-20:00",
    )


def test_best_offers_ranks_by_score_and_leaves_out_the_ineligible() -> None:
    ranked = tc.best_offers(WHO, CATALOGUE, at=MONDAY, responses={"data_pack": 0.5})
    assert [(d.code, d.score) for d in ranked] == [("plan_upgrade", 2500.0), ("data_pack", 1500.0)]
    poor = tc.Prospect(tc.Customer("c2", date(2008, 1, 1), tc.yuan(38)))
    assert [d.code for d in tc.best_offers(poor, CATALOGUE, at=MONDAY)] == ["plan_upgrade"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: tc.match_offer(WHO, "data_pack", CATALOGUE, at=MONDAY, response=True),
         "response for 'data_pack' must hold numbers, got bool True at index 0"),
        (lambda: tc.match_offer(WHO, "data_pack", CATALOGUE, at=MONDAY, response=[0.5]),
         "response for 'data_pack' must be one number, got list [0.5]"),
        (lambda: tc.match_offer(WHO, 5, CATALOGUE, at=MONDAY),
         "code must be an offer code (str), got int 5"),
        (lambda: tc.best_offers(WHO, CATALOGUE, at=MONDAY, responses=[0.5]),
         "responses must map offer codes to numbers, got list"),
        (lambda: tc.best_offers(WHO, CATALOGUE, at=MONDAY, columns=[1]),
         "columns must map column names to values, got list"),
        (lambda: tc.offer_conflicts({"x"}, "data_pack", CATALOGUE),
         "holds names ['x'], which the catalogue does not know"),
        (lambda: tc.offer_conflicts(set(), "data_pack", {}),
         "catalogue must be a telcare.OfferCatalogue, got dict"),
        (lambda: tc.match_offer("c1", "data_pack", CATALOGUE, at=MONDAY),
         "match_offer() needs a telcare.Prospect, got str"),
        (lambda: tc.match_offer(tc.Prospect(WHO.customer, holds={"gym"}), "data_pack", CATALOGUE, at=MONDAY),
         "holds names ['gym'], which the catalogue does not know"),
    ],
    ids=_case,
)  # fmt: skip
def test_one_customer_refusals_word_for_word(call: Any, message: str) -> None:
    assert _refusal(call) == message


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: tc.Prospect("c1"), "Prospect.customer must be a telcare.Customer, got str"),
        (lambda: tc.Prospect(WHO.customer, refused_channels="sms"),
         "refused_channels must be an iterable of str, got str 'sms'"),
        (lambda: tc.Prospect(WHO.customer, refused_channels=["fax"]),
         "refused_channels must name channels of ['phone', 'sms', 'email', 'dm', 'web'], got ['fax']"),
        (lambda: tc.Prospect(WHO.customer, holds="family_plan"),
         "holds must be a collection of product or offer codes, got 'family_plan'"),
        (lambda: tc.Prospect(WHO.customer, holds=[1, "a"]), "holds must hold str codes, got [\"'a'\", '1']"),
        (lambda: tc.Prospect(WHO.customer, do_not_call="yes"), "Prospect.do_not_call must be a bool, got str 'yes'"),
        (lambda: tc.Prospect(WHO.customer, preferred_channel="fax"),
         "unknown channel 'fax'; expected one of ['phone', 'sms', 'email', 'dm', 'web']"),
    ],
    ids=_case,
)  # fmt: skip
def test_a_prospect_refuses_word_for_word(make: Any, message: str) -> None:
    assert _refusal(make) == message


def test_a_prospect_reads_its_channels_and_flag() -> None:
    p = tc.Prospect(WHO.customer, holds=("family_plan",), preferred_channel="sms",
                    refused_channels=None, do_not_call=np.bool_(True))  # fmt: skip
    assert p.holds == frozenset({"family_plan"}) and p.preferred_channel is tc.Channel.SMS
    assert p.refused_channels == frozenset() and p.do_not_call is True
    assert tc.Prospect(WHO.customer, refused_channels=["dm", "sms"]).refused_channels == {
        tc.Channel.DM, tc.Channel.SMS}  # fmt: skip


@pytest.mark.parametrize(
    ("response", "message"),
    [
        ([[0.5, np.nan]], "response is missing at index 1 (got nan)"),
        ([[2e6, 0.1]], "response must be finite and within +/-1e+06, got 2000000.0 at index 0"),
        ([[0.1, -2e6]], "response must be finite and within +/-1e+06, got -2000000.0 at index 1"),
        (np.array([["a", "b"]]), "response must hold numbers, got <U1 values"),
        (np.array([[None, 0.1]], dtype=object), "response is missing at index 0 (got None)"),
        (np.array([[0.1, "x"]], dtype=object), "response[1] must be a finite number, got str 'x'"),
        (
            np.array([[0.1, True]], dtype=object),
            "response[1] must be a finite number, got bool True",
        ),
        (np.array([[False, True]]), "response must hold numbers, got bool False at index 0"),
        (np.array([[1 + 2j, 1]]), "response must hold numbers, got complex128 values"),
    ],
    ids=_case,
)
def test_whole_base_responses_are_refused_by_position(response: Any, message: str) -> None:
    assert _refusal(lambda: tc.match_offers(CATALOGUE, at=MONDAY, response=response, **_base(1))) == message  # fmt: skip


def test_whole_base_responses_of_any_number_type_are_floats() -> None:
    cases = [[[np.float32(0.5), 1]], np.array([[0.5, 1]], dtype=object), np.array([[1, 0]], dtype=np.uint8)]  # fmt: skip
    scores = [tc.match_offers(CATALOGUE, at=MONDAY, response=r, **_base(1)).score.tolist() for r in cases]  # fmt: skip
    assert scores == [[[1500.0, 2500.0]], [[1500.0, 2500.0]], [[3500.0, -500.0]]]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (np.array([None, 0.1], dtype=object), "columns['risk'] is missing at index 0 (got None)"),
        (np.array([0.1, None], dtype=object), "columns['risk'] is missing at index 1 (got None)"),
        (np.array(["a", "b"]), "columns['risk'] must hold numbers or booleans, got <U1 values such as 'a'"),
        ([0.1, np.nan], "columns['risk'] is missing at index 1 (got nan)"),
        (np.array([0.1, "x"], dtype=object), "columns['risk'] must hold numbers or booleans, got object values such as 0.1"),
    ],
    ids=_case,
)  # fmt: skip
def test_whole_base_extra_columns_are_refused_by_position(values: Any, message: str) -> None:
    gates = tc.OFFER_GATES.with_gate(RISK)
    call = lambda: tc.match_offers(CATALOGUE, at=MONDAY, gates=gates, columns={"risk": values}, **_base(2))  # noqa: E731  # fmt: skip
    assert _refusal(call) == message


@pytest.mark.parametrize(
    ("values", "eligible"), [([True, False], [[True, True], [False, False]]), ([1, 0], [[True, True], [False, False]])],
    ids=_case,
)  # fmt: skip
def test_whole_base_extra_columns_of_bools_and_ints_are_read_as_given(
    values: Any, eligible: Any
) -> None:
    gates = tc.OFFER_GATES.with_gate(RISK)
    m = tc.match_offers(CATALOGUE, at=MONDAY, gates=gates, columns={"risk": values}, **_base(2))
    assert m.eligible.tolist() == eligible


def test_a_gate_reading_an_unknown_column_names_the_columns_it_can_read() -> None:
    peek = tc.OfferGate("peek", lambda o, c: 1, lambda f, c: c["nope"] >= f, lambda f, k: "x")
    call = lambda: tc.match_offers(CATALOGUE, at=MONDAY, gates=tc.OFFER_GATES.with_gate(peek), **_base(1))  # noqa: E731  # fmt: skip
    assert _refusal(call) == (
        "no customer column 'nope'; the gates can read ['tier', 'segment_member', 'avg_spend', "
        "'plan_fee', 'tenure_months', 'credit_level', 'holds', 'profile', 'callable']"
    )


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"project_contacts": [[1, 2, 3]]}, "project_contacts must have shape (1, 4), got (1, 3)"),
        ({"holds": [[True]]}, "holds must have shape (1, 3), got (1, 1)"),
        ({"refused": [[1, 0, 0, 0, 2]]}, "refused must hold booleans (0 or 1), got 2 at index 4"),
        ({"project_contacts": [[1, 2, 3, -1]]}, "project_contacts must be >= 0, got -1 at index 3"),
        ({"min_score": True}, "min_score must be a finite number, got bool True"),
        (
            {"project_contacts": [1, 2, 3, 4]},
            "project_contacts must be a 2-D column, got shape (4,)",
        ),
        ({"holds": [True, False, True]}, "holds must be a 2-D column, got shape (3,)"),
        (
            {"project_contacts": [[1, 2, 3, 2 * 10**9]]},
            "project_contacts must be <= 1000000000, got 2000000000 at index 3",
        ),
        (
            {"project_contacts": [[1, 2, 3, 1.5]]},
            "project_contacts must hold whole numbers, got 1.5 at index 3",
        ),
        ({"columns": [1]}, "columns must map column names to values, got list"),
    ],
    ids=_case,
)
def test_whole_base_tables_are_refused_by_name(given: dict[str, Any], message: str) -> None:
    assert _refusal(lambda: tc.match_offers(CATALOGUE, at=MONDAY, **_base(1), **given)) == message


def test_a_band_with_one_side_names_that_side_and_any() -> None:
    offer = {**_OFFER, "channels": ["phone"], "value": 3_000}
    catalogue = tc.OfferCatalogue.model_validate({"offers": [
        {**offer, "code": "a", "name": "A", "min_spend": 20_000, "max_plan_fee": 5_800}]})  # fmt: skip
    who = tc.Prospect(tc.Customer("c1", date(2008, 1, 1), tc.yuan(88), monthly_spend=(10_000,)))
    assert tc.match_offer(who, "a", catalogue, at=MONDAY).reasons == (
        "average spend ¥100.00 outside the offer's band ¥200.00 to any",
        "plan fee ¥88.00 outside the offer's band ¥0.00 to ¥58.00",
    )


def test_a_refused_offer_keeps_its_code() -> None:
    poor = tc.Prospect(tc.Customer("c2", date(2008, 1, 1), tc.yuan(38)))
    d = tc.match_offer(poor, "data_pack", CATALOGUE, at=MONDAY)
    assert d.code == "data_pack" and not d.eligible and d.next_allowed_at is None
    assert d.reasons == ("plan fee ¥38.00 outside the offer's band ¥58.00 to any",)


def test_without_the_channel_gate_an_offer_with_no_channel_left_says_by_dash() -> None:
    gates = tc.OfferGates([g for g in tc.OFFER_GATES if g.name != "channel"])
    who = tc.Prospect(WHO.customer, refused_channels=["phone"])
    d = tc.match_offer(who, "plan_upgrade", CATALOGUE, at=MONDAY, gates=gates)
    assert d.eligible and d.channel is None
    assert d.reasons == ("eligible: promotion offer worth ¥30.00, costs ¥5.00, by -; score 2,500 fen",)  # fmt: skip


def test_best_offers_reads_the_callers_policy() -> None:
    no_calls = tc.Policy.model_validate({"contact": {"customer_type_caps": {"ordinary": 0}}})
    ranked = tc.best_offers(WHO, CATALOGUE, at=MONDAY, policy=no_calls)
    assert [d.code for d in ranked] == ["data_pack", "plan_upgrade"]
    assert [d.allowed_now for d in ranked] == [False, False]
    assert all(d.allowed_now for d in tc.best_offers(WHO, CATALOGUE, at=MONDAY))


def test_a_segment_members_cap_applies_to_one_customer() -> None:
    closed = tc.Policy.model_validate({"contact": {"customer_type_caps": {"mid_high_end": 0}}})
    member = tc.Prospect(tc.Customer("c3", date(2008, 1, 1), tc.yuan(88), segments={"mid_high_end"}))  # fmt: skip
    d = tc.match_offer(member, "plan_upgrade", CATALOGUE, at=MONDAY, policy=closed)
    assert d.eligible and not d.allowed_now and d.next_allowed_at is None
    assert d.reasons[1:] == ("0 contacts in the last 30 days (cap 0)",)
    assert tc.match_offer(WHO, "plan_upgrade", CATALOGUE, at=MONDAY, policy=closed).allowed_now


def test_the_moment_is_read_in_the_policys_time_zone() -> None:
    # 01:00 UTC on Monday is 09:00 in Shanghai: within the contact hours
    at = datetime(2010, 11, 22, 1, tzinfo=ZoneInfo("UTC"))
    d = tc.match_offer(WHO, "plan_upgrade", CATALOGUE, at=at)
    assert d.allowed_now and d.next_allowed_at == at


def test_a_customer_without_a_preference_gets_the_offers_first_channel() -> None:
    catalogue = tc.OfferCatalogue.model_validate({"offers": [
        {**_OFFER, "code": "a", "name": "A", "channels": ["phone", "web"], "value": 3_000}]})  # fmt: skip
    assert tc.match_offer(WHO, "a", catalogue, at=MONDAY).channel is tc.Channel.PHONE


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"at": datetime(2010, 11, 22, 10)},
         "at must be timezone-aware, got the naive datetime 2010-11-22 10:00:00; "
         "attach a tzinfo such as ZoneInfo('Asia/Shanghai')"),
        ({"at": MONDAY, "contacts": [1]}, "contacts must be ContactMade events, got int"),
    ],
    ids=_case,
)  # fmt: skip
def test_the_moment_and_the_contacts_are_refused_by_name(given: Any, message: str) -> None:
    assert _refusal(lambda: tc.match_offer(WHO, "data_pack", CATALOGUE, **given)) == message


def test_outside_the_contact_hours_nothing_is_allowed_for_the_whole_base() -> None:
    m = tc.match_offers(CATALOGUE, at=SUNDAY, **_base(2))
    assert m.eligible.tolist() == [[True, True]] * 2 and m.allowed.tolist() == [[False, False]] * 2
    assert m.best.tolist() == [-1, -1] and np.isnan(m.best_score).all()


def test_the_moment_is_read_in_a_policys_own_time_zone() -> None:
    # 10:00 in Shanghai is 21:00 the evening before in New York: outside the hours there
    new_york = tc.Policy.model_validate({"timezone": "America/New_York"})
    d = tc.match_offer(WHO, "plan_upgrade", CATALOGUE, at=MONDAY, policy=new_york)
    assert d.eligible and not d.allowed_now
    assert d.next_allowed_at == datetime(2010, 11, 22, 8, tzinfo=ZoneInfo("America/New_York"))
