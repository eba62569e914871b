"""Session 13 hostile review of the points programme (issue #29): the defects it
reproduced in the ledger, the points book, their schedules and the economics.

Each test shows one defect.  One marked ``xfail(strict=True)`` asserts the right
behaviour and fails today for the reason given; it turns red (an unexpected pass) once
the defect is fixed, and then becomes a regression test.  The ones not marked were fixed
in this session and stay as regression tests (a comment says what was wrong).
"""

from __future__ import annotations

from datetime import date

import pytest

import telcare as tc
from telcare._core.errors import InvalidInput


# Was: a transfer into a scheduled ledger before the schedule's first day was accepted
# (docs/points.md: a posting before it is refused by name); the receiver's fen_per_point
# and str() then raised InvalidInput
def test_a_transfer_in_before_the_receivers_schedule_is_refused() -> None:
    schedule = tc.PolicySchedule({date(2011, 1, 1): tc.default_policy()})
    receiver = tc.PointsLedger.empty("r", policy=schedule)
    sender = tc.PointsLedger.empty("s").accrue("b", date(2010, 1, 5), 100, "consumption")
    with pytest.raises(InvalidInput, match="before the schedule's first date 2011-01-01"):
        sender.transfer("t", date(2010, 2, 1), 50, receiver)
    received = {"ref": "t", "kind": "transfer_in", "on": "2010-02-01", "points": 50,
                "source": None, "counterparty": "s", "original": None,
                "lots": [["2011-11-30", 50]], "debt": 0, "unrecovered": 0}  # fmt: skip
    with pytest.raises(InvalidInput, match="before the schedule's first date 2011-01-01"):
        receiver.replay([received])  # nor can a replay post one


# Was: an accrual from 1 Dec 2998 on expires after MAX_DATE (3000-11-30 and later): the
# ledger posted it, but from_dict and replay refused its own to_dict (a lot's date beyond
# 2999-12-31), and so did the receiver of a transfer of those points
def test_a_ledger_that_accrued_in_the_last_cycles_reads_back() -> None:
    day = date(2999, 12, 1)
    ledger = tc.PointsLedger.empty("c").accrue("b", day, 5, "consumption")
    assert ledger.lots(day) == (tc.Lot(date(3001, 11, 30), 5),)
    assert tc.PointsLedger.from_dict(ledger.to_dict()) == ledger
    assert tc.PointsLedger.empty("c").replay(ledger.history()) == ledger
    longest = tc.Policy.model_validate({"points": {"expire_after_cycles": 100}})
    far = tc.PointsLedger.empty("c", policy=longest).accrue("b", date(2999, 12, 31), 5, "bonus")
    assert far.lots(date(2999, 12, 31)) == (tc.Lot(date(3100, 11, 30), 5),)
    assert tc.PointsLedger.from_json(far.to_json()) == far
    sender, receiver = ledger.transfer("t", day, 2, tc.PointsLedger.empty("r"))
    assert tc.PointsLedger.from_dict(receiver.to_dict()) == receiver
    assert tc.PointsLedger.from_dict(sender.to_dict()) == sender
    data = far.to_dict()
    data["postings"][0]["lots"][0][0] = "3101-11-30"  # past the last a lot can expire on
    with pytest.raises(InvalidInput, match=r"postings\[0\]\.lots\[0\] date"):
        tc.PointsLedger.from_dict(data)


# Was: programme_economics(book=) under allow_negative netted one customer's debt against
# another's live points in points_outstanding (0) while liability counted the live points
# (200 fen): outstanding x fen_per_point != liability
def test_economics_from_a_book_in_debt_values_the_points_it_reports_outstanding() -> None:
    negative = tc.Policy.model_validate({"points": {"reversal": "allow_negative"}})
    book = tc.PointsBook.empty(["a", "b"], policy=negative).post(date(2010, 1, 5), [100, 100])
    book = book.redeem(date(2010, 2, 1), [100, 0])
    book = book.reverse(date(2010, 3, 1), [100, 0], date(2010, 1, 5))  # 'a' owes 100
    day = date(2010, 3, 1)
    assert book.liability(day) == 200  # docs: a debt is not netted off
    e = tc.programme_economics(tc.yuan(1000), book=book, as_of=day, policy=negative)
    assert e.points_outstanding * book.fen_per_point == e.liability


# Was: telcare.strategies.ledgers() did not check start when called (docs/testing.md: every
# strategy checks its arguments when it is called); start='2010-01-01' failed only at draw
# time, with a bare TypeError, and a start too late for its postings failed at draw time too
def test_the_ledgers_strategy_checks_its_start_when_called() -> None:
    from telcare import strategies as tcs

    with pytest.raises(InvalidInput, match=r"start must be a datetime\.date, got str '2010-01-01'"):
        tcs.ledgers(start="2010-01-01")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match=r"start datetime\.date\(2999, 11, 1\)"):
        tcs.ledgers(start=date(2999, 11, 1))


# Was: PointsBook.reverse of an all-zero batch for a cycle without a lot moved the last
# posting without releasing the pending columns, so book_from_columns refused the book's
# own columns ('no longer pending after the last posting')
def test_a_book_after_an_empty_reversal_batch_reads_back_from_its_columns() -> None:
    waiting = tc.Policy.model_validate({"points": {"pending_days": 10}})
    book = tc.PointsBook.empty(["a", "b"], policy=waiting).post(date(2010, 1, 31), [100, 50])
    later = book.reverse(date(2010, 3, 1), [0, 0], date(2009, 1, 5))  # nobody disputes 2009
    back = tc.book_from_columns(
        tc.book_to_columns(later), policy=waiting, last_posting=date(2010, 3, 1),
        issued=later.issued,
    )  # fmt: skip
    assert back == later
    assert later == book.expire(date(2010, 3, 1))  # the same book as any posting that day


# Was: the frames (and Dask, Spark) book_balances rule reads only ids, debt, expired_closed
# and the lots, so the earned it defaulted was -debt for a customer in debt: every book
# under allow_negative with a debt was refused ('break the accounting identity')
def test_frames_book_balances_answer_for_a_customer_in_debt() -> None:
    pd = pytest.importorskip("pandas")
    from telcare import frames as tf

    negative = tc.Policy.model_validate({"points": {"reversal": "allow_negative"}})
    book = tc.PointsBook.empty(["a", "b"], policy=negative).post(date(2010, 1, 5), [100, 100])
    book = book.redeem(date(2010, 2, 1), [100, 0])
    book = book.reverse(date(2010, 3, 1), [100, 0], date(2010, 1, 5))  # 'a' owes 100
    day = date(2010, 3, 1)
    frame = pd.DataFrame(tc.book_to_columns(book))
    got = tf.book_balances(frame, as_of=day, policy=negative)
    assert got["balance"].tolist() == book.balance(day).tolist() == [-100, 100]
    assert got["spendable"].tolist() == book.spendable(day).tolist() == [0, 100]
    columns = tc.book_to_columns(book)
    only = tc.book_balances(columns["ids"], debt=columns["debt"], as_of=day, policy=negative,
                            lot_2011_11_30=columns["lot_2011_11_30"])  # fmt: skip
    assert only.balance.tolist() == [-100, 100]
    dd = pytest.importorskip("dask.dataframe")
    from telcare import on_dask

    parts = on_dask.book_balances(dd.from_pandas(frame, npartitions=2), as_of=day, policy=negative)
    assert parts.compute(scheduler="sync")["balance"].tolist() == [-100, 100]


# Was: under a schedule programme_economics(book=) valued the points issued at the
# fen_per_point of the book's last posting day: an expire() that closes nothing (same
# summary, same liability) moved the return rate from 2% to 3%; now the price in force on
# as_of values every point, as book.liability(as_of) does
def test_economics_under_a_schedule_do_not_move_with_a_bookkeeping_posting() -> None:
    schedule = tc.PolicySchedule(
        {date(2009, 12, 1): tc.default_policy(), date(2010, 7, 1): {"points": {"fen_per_point": 3}}}
    )
    book = tc.PointsBook.empty(["a"], policy=schedule).post(date(2010, 6, 28), [1000])
    closed = book.expire(date(2010, 7, 2))  # no lot has lapsed: nothing changes
    day = date(2010, 11, 30)
    assert closed.summary(day) == book.summary(day)
    assert closed.liability(day) == book.liability(day)
    before = tc.programme_economics(tc.yuan(1000), book=book, as_of=day)
    after = tc.programme_economics(tc.yuan(1000), book=closed, as_of=day)
    assert (after.issued_value, after.return_rate) == (before.issued_value, before.return_rate)


# Was: book_from_columns (and so the book_totals/book_balances rules) refused a debt unless
# the schedule's first policy (or its one policy) was allow_negative, so a book under a
# schedule that ran a debt up under allow_negative after a change from claw_back had its own
# columns refused with its own schedule ('only allow_negative keeps a debt').  The review
# expected the policy in force (claw_back) to read them too; it still refuses, since a
# claw_back policy never leaves a debt and the columns cannot say where one came from, but
# it now says the schedule can be passed, and the schedule is read in either order.
def test_a_debt_from_an_earlier_policy_reads_back_from_the_books_columns() -> None:
    negative = {"points": {"reversal": "allow_negative"}}
    for first, second, disputed in (
        (negative, tc.default_policy(), date(2010, 3, 1)),
        (tc.default_policy(), negative, date(2010, 7, 1)),
    ):
        schedule = tc.PolicySchedule({date(2009, 12, 1): first, date(2010, 6, 1): second})
        book = tc.PointsBook.empty(["a", "b"], policy=schedule).post(date(2010, 1, 5), [100, 100])
        book = book.redeem(date(2010, 2, 1), [100, 0])
        book = book.reverse(disputed, [100, 0], date(2010, 1, 5))  # 'a' owes 100
        last = date(2010, 7, 30)
        book = book.post(last, [0, 5])  # the debt lives on
        assert book.balance(last).tolist() == [-100, 105]
        columns = tc.book_to_columns(book)
        back = tc.book_from_columns(columns, policy=schedule, last_posting=last)
        assert back.balance(last).tolist() == [-100, 105]
        assert tc.book_totals(as_of=last, policy=schedule, **columns).balance == 5
        now = schedule.policy_on(last)
        if now.points.reversal != "allow_negative":
            with pytest.raises(InvalidInput, match="reads back with policy=schedule"):
                tc.book_from_columns(columns, policy=now, last_posting=last)


# Was: programme_economics(book=, as_of=, policy=schedule) refused the schedule saying it
# 'takes no date' (docs/policy.md: every rule that takes policy= with a date takes one)
def test_economics_from_a_book_take_a_schedule_with_their_as_of() -> None:
    schedule = tc.PolicySchedule(
        {date(2009, 12, 1): tc.default_policy(), date(2010, 7, 1): {"points": {"fen_per_point": 3}}}
    )
    book = tc.PointsBook.empty(["a"], policy=schedule).post(date(2010, 6, 28), [1000])
    day = date(2010, 11, 30)
    e = tc.programme_economics(tc.yuan(1000), book=book, as_of=day, policy=schedule)
    assert e.liability == book.liability(day) == 3000


# Was: the ledger's module docstring (its API page) said postings of one day are kept
# "sorted by date, then reference"; they are kept in the order they were made
# (docs/points.md, rule 4), so history() shows balances the customer really had
def test_the_ledgers_docstring_says_postings_of_a_day_keep_their_order() -> None:
    import sys

    day = date(2010, 1, 5)
    ledger = tc.PointsLedger.empty("c").accrue("b", day, 10, "consumption")
    ledger = ledger.accrue("a", day, 5, "consumption")
    assert [(e.posting.ref, e.balance) for e in ledger.history()] == [("b", 10), ("a", 15)]
    doc = sys.modules[tc.PointsLedger.__module__].__doc__ or ""
    assert "sorted by date, then reference" not in doc
    assert "kept in the order they were" in doc


# Was: under a schedule the ledger's InsufficientPoints note named the pending_days of the
# redemption's day: 100 points held back 30 days were reported as pending
# '(points.pending_days = 0)'; it names the wait of the accrual that credited them
def test_the_pending_note_names_the_wait_the_points_are_under() -> None:
    schedule = tc.PolicySchedule(
        {date(2009, 12, 1): {"points": {"pending_days": 30}}, date(2010, 6, 1): tc.default_policy()}
    )
    ledger = tc.PointsLedger.empty("c", policy=schedule)
    ledger = ledger.accrue("b", date(2010, 5, 20), 100, "consumption")  # released 19 June
    with pytest.raises(tc.InsufficientPoints) as refused:
        ledger.redeem("r", date(2010, 6, 5), 50)
    notes = " ".join(refused.value.__notes__)
    assert "released on 2010-06-19" in notes
    assert "points.pending_days = 0" not in notes
    assert "100 more points are pending (points.pending_days = 30)" in notes


# Was: PointsBook.post kept a numpy str_ source as the key of book.issued (a numpy scalar in
# a result, issue #28); PointsLedger.accrue already made it a str
def test_the_books_issued_points_are_keyed_by_plain_strings() -> None:
    np = pytest.importorskip("numpy")
    book = tc.PointsBook.empty(["a"]).post(date(2010, 1, 5), [5], source=np.str_("bonus"))
    assert [type(k) for k in book.issued] == [str]
    assert book.issued == {"bonus": 5}
