"""The suspicious-user list: evidence, the 5-day re-verification, costs per developer and channel."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, strategies as st

import telcare as tc

DAY = date(2010, 10, 4)


@st.composite
def cases(draw: Any, i: int) -> tc.SuspiciousCase:
    flagged = DAY + timedelta(days=draw(st.integers(0, 10)))
    took = draw(st.one_of(st.none(), st.integers(0, 8)))
    return tc.SuspiciousCase(
        f"c{i}", flagged, draw(st.sampled_from(["op1", "op2", "agent9"])), draw(st.sampled_from(["own", "agent"])),
        tc.CallbackFacts(failed_attempt_slots=draw(st.integers(0, 3)), signature_ok=draw(st.booleans())),
        reverified_on=None if took is None else flagged + timedelta(days=took),
        confirmed=None if took is None else draw(st.booleans()),
    )  # fmt: skip


@given(
    st.integers(0, 12).flatmap(lambda n: st.tuples(*(cases(i) for i in range(n)))),
    st.integers(0, 20),
)
def test_the_list_holds_exactly_the_suspicious_and_adds_up(
    listed: tuple[Any, ...], day: int
) -> None:
    as_of = DAY + timedelta(days=day)
    sl = tc.suspicious_list(listed, as_of=as_of)
    expected = {
        c.customer_id
        for c in listed
        if c.flagged_on <= as_of and tc.is_suspicious(c.facts).suspicious
    }
    assert {r.customer_id for r in sl.rows} == expected
    assert sum(sl.cases_by_channel.values()) == len(sl)
    penalty = tc.default_policy().verification.developer_penalty
    for r in sl.rows:
        assert r.follow_up.due_by == r.follow_up.flagged_on + timedelta(days=5)  # seed 001: 5 days
        # a customer on the list never gets a service manager
        suspect = tc.Customer(r.customer_id, DAY, tc.yuan(128), verification="suspicious")
        assert not tc.check_benefit(suspect, "service_manager").eligible
    own = [r for r in sl.rows if r.follow_up.confirmed and r.channel == "own"]
    assert sum(sl.penalty_by_developer.values()) == penalty * len(own)
    agent = [r for r in sl.rows if r.follow_up.confirmed and r.channel == "agent"]
    assert sum(sl.withheld_by_developer.values()) == len(agent)


def test_a_future_reverification_does_not_count_yet() -> None:
    case = tc.SuspiciousCase("c1", DAY, "op1", "own", tc.CallbackFacts(signature_ok=False),
                             reverified_on=DAY + timedelta(days=3), confirmed=True)  # fmt: skip
    before = tc.suspicious_list([case], as_of=DAY + timedelta(days=1))
    assert before.rows[0].follow_up.status == "open" and before.penalty_by_developer == {}
    after = tc.suspicious_list([case], as_of=DAY + timedelta(days=3))
    assert after.penalty_by_developer == {"op1": 15_000}
    frame = after.to_frame()
    assert frame.to_dict("records")[0]["evidence"] == "signature missing or unclear"


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: tc.SuspiciousCase("c", DAY, "op", "shop", tc.CallbackFacts()), "channel must be one of"),
        (lambda: tc.SuspiciousCase("c", DAY, "op", "own", {}), "facts must be CallbackFacts"),
        (lambda: tc.suspicious_list([1], as_of=DAY), "cases[0] must be a SuspiciousCase"),
        (lambda: tc.suspicious_list([tc.SuspiciousCase("c", DAY, "op", "own", tc.CallbackFacts())] * 2, as_of=DAY),
         "has two cases"),
    ],
)  # fmt: skip
def test_suspicious_list_refusals(call: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    assert fragment in str(info.value)
