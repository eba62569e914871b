"""Complaints: deadlines per type, owners' books, and the conflict behind a complaint."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, strategies as st

import telcare as tc

SH = ZoneInfo("Asia/Shanghai")
AT = datetime(2010, 10, 4, 9, tzinfo=SH)
CATALOGUE = tc.OfferCatalogue.model_validate({
    "products": {"basic_fee_discount": "Basic call-fee discount"},
    "offers": [{"code": "deposit_talk_time", "name": "Deposit and get talk time", "project_type": "promotion",
                "channels": ["phone"], "value": 5_000, "cost": 3_000, "valid_from": "2010-10-01",
                "valid_to": "2010-12-31",
                "conflicts": {"basic_fee_discount": "replaces the basic call-fee discount for its term"}}]})  # fmt: skip


@pytest.mark.parametrize(("kind", "days"), [("billing", 3), ("offer_not_applied", 3), ("subscriptions", 2),
                                            ("suspension", 1), ("network", 5), ("service", 3)])  # fmt: skip
def test_each_type_has_its_deadline(kind: str, days: int) -> None:
    c = tc.Complaint("k", "c", AT, kind)
    due = AT.date() + timedelta(days=days)
    assert tc.complaint_status(c, as_of=due).status == "open"
    late = tc.complaint_status(c, as_of=due + timedelta(days=1))
    assert (late.due_by, late.status, late.on_time) == (due, "overdue", None)


def test_resolution_on_time_or_late_and_the_refund() -> None:
    late = tc.Complaint(
        "k", "c", AT, "suspension", resolved_at=AT + timedelta(days=3), refund=1_200
    )
    s = tc.complaint_status(late, as_of=AT.date() + timedelta(days=10))
    assert (s.status, s.on_time) == ("done", False)
    assert s.reason.endswith("resolved on 2010-10-07 (late), refund ¥12.00")
    # not resolved yet on as_of, even if it will be
    assert tc.complaint_status(late, as_of=AT.date()).status == "open"
    strict = tc.Policy.model_validate(
        {"complaints": {"deadlines": {**dict.fromkeys(tc.COMPLAINT_TYPES, 0)}}}
    )
    assert tc.complaint_status(tc.Complaint("k", "c", AT, "billing"), as_of=AT.date() + timedelta(days=1),
                               policy=strict).status == "overdue"  # fmt: skip


def test_a_conflict_complaint_names_the_conflict() -> None:
    # seed 003: the deposit offer silently cancelled the basic call-fee discount
    c = tc.conflict_complaint(
        "k9", "c9", AT, "deposit_talk_time", "basic_fee_discount", CATALOGUE, owner="li"
    )
    s = tc.complaint_status(c, as_of=AT.date())
    assert s.reason == ("offer_not_applied complaint of 2010-10-04, due by 2010-10-07 (offer deposit_talk_time "
                        "conflicts with basic_fee_discount: replaces the basic call-fee discount for its term): open")  # fmt: skip
    with pytest.raises(tc.InvalidInput, match="declares no conflict with 'family_plan'"):
        tc.conflict_complaint("k", "c", AT, "deposit_talk_time", "family_plan", CATALOGUE)


@given(st.lists(st.tuples(st.sampled_from(tc.COMPLAINT_TYPES), st.sampled_from(["li", "wang", None]),
                          st.integers(0, 20), st.one_of(st.none(), st.integers(0, 10)), st.integers(0, 5_000)),
                max_size=40),
       st.integers(0, 30))  # fmt: skip
def test_the_book_adds_up_per_owner(rows: list[Any], day: int) -> None:
    complaints = [
        tc.Complaint(f"k{i}", f"c{i}", AT + timedelta(days=opened), kind, owner=owner,
                     resolved_at=None if took is None else AT + timedelta(days=opened + took), refund=refund)
        for i, (kind, owner, opened, took, refund) in enumerate(rows)
    ]  # fmt: skip
    as_of = AT.date() + timedelta(days=day)
    book = tc.complaint_book(complaints, as_of=as_of)
    complaints = [c for c in complaints if c.at.date() <= as_of]  # made by as_of
    statuses = [tc.complaint_status(c, as_of=as_of) for c in complaints]
    assert sum(book.open.values()) + sum(book.overdue.values()) + sum(book.done.values()) == len(
        complaints
    )
    for owner in book.owners:
        mine = [s for s in statuses if (s.owner or "") == owner]
        assert book.done[owner] == sum(s.status == "done" for s in mine)
        assert book.on_time[owner].numerator == sum(bool(s.on_time) for s in mine)
        assert book.refunds[owner] == sum(c.refund for c, s in zip(complaints, statuses, strict=True)
                                          if (s.owner or "") == owner and s.status == "done")  # fmt: skip


def test_the_book_renders_and_refuses_duplicates() -> None:
    book = tc.complaint_book(
        [tc.Complaint("k1", "c1", AT, "billing", owner="li")], as_of=date(2010, 10, 5)
    )
    assert "li" in str(book) and list(book.to_frame()["open"]) == [1]
    with pytest.raises(tc.InvalidInput, match="complaint id 'k1' appears twice"):
        tc.complaint_book([tc.Complaint("k1", "c1", AT, "billing")] * 2, as_of=date(2010, 10, 5))


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: tc.Complaint("k", "c", AT, "weather"), "Complaint.type must be one of"),
        (lambda: tc.Complaint("k", "c", AT.replace(tzinfo=None), "billing"), "timezone-aware"),
        (lambda: tc.Complaint("k", "c", AT, "billing", resolved_at=AT - timedelta(hours=1)), "before it was made"),
        (lambda: tc.Complaint("k", "c", AT, "billing", refund=-1), "refund must be >= 0"),
        (lambda: tc.Complaint("k", "c", AT, "billing", conflict=("a",)), "(offer, holding) pair"),
        (lambda: tc.Complaint("k", "c", AT, "billing", conflict=np.array(0)), "(offer, holding) pair"),
        (lambda: tc.complaint_status("k", as_of=date(2010, 1, 1)), "needs a Complaint"),
        (lambda: tc.complaint_book([1], as_of=date(2010, 1, 1)), "complaints[0] must be a Complaint"),
    ],
)  # fmt: skip
def test_complaint_refusals(call: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    assert fragment in str(info.value)


def test_a_complaint_made_after_as_of_counts_nowhere_in_the_book() -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    at = datetime(2010, 10, 4, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    later = tc.Complaint("k9", "c9", at + timedelta(days=10), "billing", owner="li")
    book = tc.complaint_book([tc.Complaint("k1", "c1", at, "billing", owner="li"), later],
                             as_of=at.date() + timedelta(days=1))  # fmt: skip
    assert book.open == {"li": 1}
    assert book.overdue == {"li": 0} and book.done == {"li": 0}
