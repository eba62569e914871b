"""Complaints pinned exactly: each status's fields and reason, the policy's time zone
read everywhere, the book's table and text, and the refusals' messages."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import telcare as tc

SH = ZoneInfo("Asia/Shanghai")
AT = datetime(2010, 10, 4, 9, tzinfo=SH)
UTC_POLICY = tc.Policy.model_validate({"timezone": "UTC"})
# 01:00 on 4 Oct in Shanghai is still 3 Oct in UTC
LATE_NIGHT = datetime(2010, 10, 4, 1, tzinfo=SH)
EVENING_UTC = datetime(2010, 10, 6, 20, tzinfo=UTC)  # 7 Oct in Shanghai


def _four() -> list[tc.Complaint]:
    return [
        tc.Complaint("k1", "c1", AT, "billing", owner="li", resolved_at=AT + timedelta(days=3),
                     refund=250),  # resolved on its last day
        tc.Complaint("k2", "c2", AT, "suspension", owner="li"),
        tc.Complaint("k3", "c3", AT, "network"),
        tc.Complaint("k4", "c4", AT, "billing", owner="wang", resolved_at=AT + timedelta(days=5),
                     refund=100),  # resolved late, on as_of itself
    ]  # fmt: skip


def test_each_status_carries_the_complaints_fields_and_says_why() -> None:
    book = tc.complaint_book(_four(), as_of=date(2010, 10, 9))
    day = date(2010, 10, 4)
    assert book.as_of == date(2010, 10, 9)
    assert book.statuses == (
        tc.ComplaintStatus("k1", "billing", "li", day, date(2010, 10, 7), "done", True,
                           "billing complaint of 2010-10-04, due by 2010-10-07: "
                           "resolved on 2010-10-07 (on time), refund ¥2.50"),
        tc.ComplaintStatus("k2", "suspension", "li", day, date(2010, 10, 5), "overdue", None,
                           "suspension complaint of 2010-10-04, due by 2010-10-05: overdue"),
        tc.ComplaintStatus("k3", "network", None, day, date(2010, 10, 9), "open", None,
                           "network complaint of 2010-10-04, due by 2010-10-09: open"),
        tc.ComplaintStatus("k4", "billing", "wang", day, date(2010, 10, 7), "done", False,
                           "billing complaint of 2010-10-04, due by 2010-10-07: "
                           "resolved on 2010-10-09 (late), refund ¥1.00"),
    )  # fmt: skip


def test_the_book_prints_one_line_per_owner_under_its_header() -> None:
    book = tc.complaint_book(_four(), as_of=date(2010, 10, 9))
    assert str(book).split("\n") == [
        "complaints on 2010-10-09: owner       open  overdue  done  on time",
        "                        (none)         1        0     0  n/a (0 of 0)",
        "                        li             0        1     1  100.00% [20.7, 100.0]",
        "                        wang           0        0     1  0.00% [0.0, 79.3]",
    ]


def test_the_book_as_a_frame_has_a_row_per_owner_and_nan_where_nothing_is_done() -> None:
    frame = tc.complaint_book(_four(), as_of=date(2010, 10, 9)).to_frame()
    assert list(frame.columns) == ["owner", "open", "overdue", "done", "on_time", "refunds_fen"]
    got = frame.to_dict("list")
    assert math.isnan(got["on_time"][0]) and got["on_time"][1:] == [1.0, 0.0]
    assert {k: v for k, v in got.items() if k != "on_time"} == {
        "owner": ["", "li", "wang"], "open": [1, 0, 0], "overdue": [0, 1, 0], "done": [0, 1, 1],
        "refunds_fen": [0, 250, 100],
    }  # fmt: skip


def test_a_status_reads_every_day_in_the_policys_time_zone() -> None:
    made = tc.Complaint("k", "c", LATE_NIGHT, "billing", resolved_at=EVENING_UTC)
    s = tc.complaint_status(made, as_of=EVENING_UTC, policy=UTC_POLICY)
    # in UTC: made on 3 Oct, due by 6 Oct, resolved on 6 Oct, on time
    assert (s.opened_on, s.due_by, s.status, s.on_time) == (
        date(2010, 10, 3),
        date(2010, 10, 6),
        "done",
        True,
    )
    # in Shanghai the same complaint is made on 4 Oct and resolved on 7 Oct
    sh = tc.complaint_status(made, as_of=EVENING_UTC)
    assert (sh.opened_on, sh.due_by, sh.status, sh.on_time) == (
        date(2010, 10, 4),
        date(2010, 10, 7),
        "done",
        True,
    )
    pending = tc.Complaint("k", "c", LATE_NIGHT, "billing")
    # an aware as_of is its day in the policy's zone: 6 Oct in UTC (open), 7 Oct in Shanghai
    assert tc.complaint_status(pending, as_of=EVENING_UTC, policy=UTC_POLICY).status == "open"
    assert (
        tc.complaint_status(
            pending, as_of=EVENING_UTC + timedelta(hours=4), policy=UTC_POLICY
        ).status
        == "overdue"
    )


def test_the_book_reads_every_day_in_the_policys_time_zone() -> None:
    early = tc.Complaint("k1", "c1", LATE_NIGHT, "billing", owner="li")
    evening = tc.Complaint("k2", "c2", EVENING_UTC, "billing", owner="li")  # 6 Oct in UTC
    book = tc.complaint_book([early, evening], as_of=EVENING_UTC, policy=UTC_POLICY)
    assert book.as_of == date(2010, 10, 6)
    assert [s.opened_on for s in book.statuses] == [date(2010, 10, 3), date(2010, 10, 6)]
    assert [s.due_by for s in book.statuses] == [date(2010, 10, 6), date(2010, 10, 9)]
    # in Shanghai, on 6 Oct, the evening complaint is not made yet
    sh = tc.complaint_book([early, evening], as_of=date(2010, 10, 6))
    assert [s.id for s in sh.statuses] == ["k1"] and sh.statuses[0].opened_on == date(2010, 10, 4)


def test_a_conflict_without_a_detail_closes_its_bracket() -> None:
    c = tc.Complaint("k", "c", AT, "offer_not_applied", conflict=("deposit", "discount"))
    assert tc.complaint_status(c, as_of=AT.date()).reason == (
        "offer_not_applied complaint of 2010-10-04, due by 2010-10-07 "
        "(offer deposit conflicts with discount): open"
    )


def test_a_conflict_complaint_keeps_its_owner() -> None:
    catalogue = tc.OfferCatalogue.model_validate({
        "products": {"basic_fee_discount": "Basic call-fee discount"},
        "offers": [{"code": "deposit_talk_time", "name": "Deposit", "project_type": "promotion",
                    "channels": ["phone"], "value": 5_000, "cost": 3_000,
                    "valid_from": "2010-10-01", "valid_to": "2010-12-31",
                    "conflicts": {"basic_fee_discount": "replaces it"}}]})  # fmt: skip
    c = tc.conflict_complaint("k", "c", AT, "deposit_talk_time", "basic_fee_discount", catalogue,
                              owner="li")  # fmt: skip
    assert (c.owner, c.conflict, c.detail) == ("li", ("deposit_talk_time", "basic_fee_discount"),
                                               "replaces it")  # fmt: skip
    with pytest.raises(tc.InvalidInput) as caught:
        tc.conflict_complaint("k", "c", AT, "x", "y", {"offers": []})  # type: ignore[arg-type]
    assert str(caught.value) == "catalogue must be a telcare.OfferCatalogue, got dict"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: tc.Complaint("k", "c", AT, 3),  # type: ignore[arg-type]
         "Complaint.type must be one of ('billing', 'offer_not_applied', 'subscriptions', "
         "'suspension', 'network', 'service'), got '3'"),
        (lambda: tc.Complaint("k", "c", AT, "billing", conflict=("deposit", 5)),
         "Complaint.conflict must be an (offer, holding) pair of codes, got ('deposit', 5)"),
        (lambda: tc.Complaint("k", "c", AT, "billing", conflict=("deposit", "")),
         "Complaint.conflict must be an (offer, holding) pair of codes, got ('deposit', '')"),
        (lambda: tc.complaint_status("k", as_of=date(2010, 1, 1)),  # type: ignore[arg-type]
         "complaint_status() needs a Complaint, got str"),
        (lambda: tc.complaint_status(tc.Complaint("k", "c", AT, "billing"), as_of="soon"),
         "as_of must be a date, got str 'soon'"),
        (lambda: tc.complaint_book([], as_of="soon"), "as_of must be a date, got str 'soon'"),
    ],
)  # fmt: skip
def test_complaint_refusals_say_exactly_what_is_wrong(call: Any, message: str) -> None:
    with pytest.raises(tc.InvalidInput) as caught:
        call()
    assert str(caught.value) == message
