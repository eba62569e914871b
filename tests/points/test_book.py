"""The points book: a whole base's lots as columns, by the ledger's rule.

The agreement machines post, redeem, reverse and expire on a small base and on one
``PointsLedger`` per customer, and check after every step that both give the same
balances, lots, expiring and expired points, liability and accounting identity at
several dates, and refuse the same things.  The tests after them pin each
operation's figures by hand.
"""

from __future__ import annotations

import copy
import json
import pickle
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import event, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

import telcare as tc
from telcare._core.limits import MAX_POINTS

D = date
CUSTOMERS = ("c1", "c2", "c3")
JAN, FEB, MAR = D(2010, 1, 31), D(2010, 2, 28), D(2010, 3, 31)


def policy_with(reversal: str, pending_days: int = 0) -> tc.Policy:
    return tc.Policy.model_validate(
        {"points": {"reversal": reversal, "pending_days": pending_days}}
    )


def book_of(*ids: str, reversal: str = "claw_back") -> tc.PointsBook:
    return tc.PointsBook.empty(list(ids or CUSTOMERS), policy=policy_with(reversal))


some_points = st.one_of(st.just(0), st.integers(1, 1_000))


class BookAgreesWithLedgers(RuleBasedStateMachine):
    """Every kind of posting on a book of three customers and on their three ledgers."""

    reversal = "claw_back"
    pending_days = 0
    schedule: tc.PolicySchedule | None = None

    def __init__(self) -> None:
        super().__init__()
        policy = self.schedule or policy_with(self.reversal, self.pending_days)
        self.book = tc.PointsBook.empty(list(CUSTOMERS), policy=policy)
        self.ledgers = {c: tc.PointsLedger.empty(c, policy=policy) for c in CUSTOMERS}
        self.today = D(2009, 11, 20)
        self.counter = 0
        self.closed_before: date | None = None
        #: (date, {customer: ref}) of each posting, less the refs already wholly reversed.
        self.accruals: list[tuple[date, dict[str, str]]] = []
        #: The points of each ref not reversed yet.
        self.left: dict[str, int] = {}

    def _ref(self, kind: str, customer: str) -> str:
        return f"{kind}{self.counter}-{customer}"

    def _unchanged_by(self, call: Any, error: type[Exception]) -> Exception:
        """``call(book)`` raises ``error`` and leaves the book exactly as it was."""
        before = copy.deepcopy(self.book)
        with pytest.raises(error) as caught:
            call(self.book)
        assert self.book == before
        return caught.value

    def _mode(self) -> str:
        """The reversal mode in force today."""
        if self.schedule is None:
            return self.reversal
        return self.schedule.policy_on(self.today).points.reversal

    @rule(days=st.integers(0, 200))
    def advance(self, days: int) -> None:
        self.today += timedelta(days=days)

    @rule(points=st.lists(some_points, min_size=3, max_size=3), source=st.sampled_from(tc.SOURCES))
    def post(self, points: list[int], source: str) -> None:
        self.counter += 1
        before = copy.deepcopy(self.book)
        after = self.book.post(self.today, points, source=source)
        assert self.book == before  # the old book is untouched
        refs = {}
        for c, p in zip(CUSTOMERS, points, strict=True):
            if p:
                refs[c] = self._ref("b", c)
                self.ledgers[c] = self.ledgers[c].accrue(refs[c], self.today, p, source)
                self.left[refs[c]] = p
        self.book = after
        self.accruals.append((self.today, refs))

    @rule(asked=st.lists(st.integers(0, 1_500), min_size=3, max_size=3), clip=st.booleans())
    def redeem(self, asked: list[int], clip: bool) -> None:
        self.counter += 1
        if clip:
            asked = np.minimum(asked, self.book.spendable(self.today)).tolist()
        ledgers, refused = dict(self.ledgers), []
        for c, p in zip(CUSTOMERS, asked, strict=True):
            if p:
                try:
                    ledgers[c], _ = ledgers[c].redeem(self._ref("r", c), self.today, p)
                except tc.InsufficientPoints as exc:
                    refused.append(exc)
        if refused:
            event("a redemption refused")
            error = self._unchanged_by(lambda b: b.redeem(self.today, asked), tc.InsufficientPoints)
            assert isinstance(error, tc.InsufficientPoints)
            assert (error.customer_id, error.requested, error.available) == (
                refused[0].customer_id, refused[0].requested, refused[0].available,
            )  # fmt: skip
            return
        self.book = self.book.redeem(self.today, asked)
        self.ledgers = ledgers

    @rule(data=st.data())
    def reverse(self, data: st.DataObject) -> None:
        candidates = [i for i, (_, refs) in enumerate(self.accruals) if refs]
        if not candidates:
            return
        i = data.draw(st.sampled_from(candidates))
        earned_on, refs = self.accruals[i]
        who = data.draw(st.lists(st.sampled_from(sorted(refs)), min_size=1, unique=True))
        who = [c for c in CUSTOMERS if c in who]
        if any(self.ledgers[c].posting(refs[c]).lots == () for c in who):
            event("a reversal of an accrual that wholly paid a debt off")
        whole = data.draw(st.booleans(), label="whole")
        parts = {c: self.left[refs[c]] if whole else data.draw(st.integers(1, self.left[refs[c]]))
                 for c in who}  # fmt: skip
        if not whole:
            event("a partial reversal")
        points = [parts.get(c, 0) for c in CUSTOMERS]
        if self.closed_before and self.book.expiry_for(earned_on) < self.closed_before:
            event("a reversal into a closed lot refused")
            self._unchanged_by(lambda b: b.reverse(self.today, points, earned_on), tc.InvalidInput)
            for c in who:  # the book can no longer reverse these; drop them
                del refs[c]
            return
        ledgers, refused = dict(self.ledgers), []
        for c in who:
            adjustment = None if whole else f"{refs[c]}-part{self.counter}"
            try:
                ledgers[c] = ledgers[c].reverse(
                    refs[c], self.today, None if whole else parts[c], adjustment=adjustment
                )
            except tc.InsufficientPoints as exc:
                refused.append(exc)
        if refused:
            event("a reversal refused")
            assert self._mode() == "refuse"
            error = self._unchanged_by(
                lambda b: b.reverse(self.today, points, earned_on), tc.InsufficientPoints
            )
            assert isinstance(error, tc.InsufficientPoints)
            assert (error.customer_id, error.requested, error.available) == (
                refused[0].customer_id, refused[0].requested, refused[0].available,
            )  # fmt: skip
            return
        self.book = self.book.reverse(self.today, points, earned_on)
        if self.book.expiry_for(earned_on) < self.today:
            event("a reversal of an accrual whose lot has expired")
        if any(ledgers[c].summary(self.today).unrecovered > 0 for c in who):
            event("a reversal that left points unrecovered")
        if (self.book.balance(self.today) < 0).any():
            event("a reversal that left a debt")
        if self.book.pending(self.today).any():
            event("a reversal with points pending")
        self.counter += 1
        self.ledgers = ledgers
        for c in who:
            self.left[refs[c]] -= parts[c]
            if not self.left[refs[c]]:
                del refs[c]

    @rule()
    def expire(self) -> None:
        balances = self.book.balance(self.today)
        self.book = self.book.expire(self.today)
        np.testing.assert_array_equal(self.book.balance(self.today), balances)
        self.closed_before = self.today

    @invariant()
    def book_and_ledgers_agree(self) -> None:
        for days in (0, 200, 800):
            when = self.today + timedelta(days=days)
            fen = (
                self.schedule.policy_on(when).points.fen_per_point
                if self.schedule
                else self.book.fen_per_point
            )
            ledgers = [self.ledgers[c] for c in CUSTOMERS]
            balances = [ledger.balance(when) for ledger in ledgers]
            assert self.book.balance(when).tolist() == balances
            assert self.book.spendable(when).tolist() == [
                ledger.spendable(when) for ledger in ledgers
            ]
            assert self.book.pending(when).tolist() == [ledger.pending(when) for ledger in ledgers]
            if not self.pending_days and self.schedule is None:
                assert self.book.spendable(when).tolist() == [max(0, b) for b in balances]
            for within in (0, 400):
                assert self.book.expiring(when, within).tolist() == [
                    sum(lot.points for lot in ledger.expiring(when, within)) for ledger in ledgers
                ]
            summaries = [ledger.summary(when) for ledger in ledgers]
            assert self.book.expired(when).tolist() == [s.expired for s in summaries]
            assert self.book.liability(when) == sum(max(0, b) for b in balances) * fen
            for c, ledger, s in zip(CUSTOMERS, ledgers, summaries, strict=True):
                assert self.book.summary_of(c, when) == s
                assert self.book.lots_of(c, when) == ledger.lots(when)
            whole = self.book.summary(when)
            assert whole.balanced
            assert (whole.earned, whole.reversed, whole.redeemed, whole.unrecovered) == (
                sum(s.earned for s in summaries), sum(s.reversed for s in summaries),
                sum(s.redeemed for s in summaries), sum(s.unrecovered for s in summaries),
            )  # fmt: skip

    @invariant()
    def a_debt_and_live_points_never_coexist(self) -> None:
        debt = self.book.balance(self.today) < 0
        assert not (debt & (self.book.expiring(self.today, 3660) > 0)).any()


class ClawBackBook(BookAgreesWithLedgers):
    reversal = "claw_back"


class NegativeBook(BookAgreesWithLedgers):
    reversal = "allow_negative"


class RefusingBook(BookAgreesWithLedgers):
    reversal = "refuse"


class PendingClawBackBook(BookAgreesWithLedgers):
    reversal = "claw_back"
    pending_days = 30


class PendingNegativeBook(BookAgreesWithLedgers):
    reversal = "allow_negative"
    pending_days = 30


def scheduled(*changes: tuple[date, dict[str, object]]) -> tc.PolicySchedule:
    return tc.PolicySchedule([(day, {"points": points}) for day, points in changes])


class ScheduledBook(BookAgreesWithLedgers):
    """A schedule that changes every rule the book follows, one cycle straddling each
    change: the expiry (2 cycles, then 0), the pending period (30 days, then 10: two
    days' accruals share a release day), the reversal mode and the value of a point."""

    schedule = scheduled(
        (D(2009, 1, 1), {}),
        (D(2010, 3, 15), {"expire_after_cycles": 2, "pending_days": 30,
                          "reversal": "allow_negative", "fen_per_point": 3}),
        (D(2010, 9, 10), {"expire_after_cycles": 0, "pending_days": 10, "reversal": "refuse",
                          "fen_per_point": 1}),
        (D(2011, 2, 1), {"pending_days": 5}),
    )  # fmt: skip


class ScheduledFromNegativeBook(BookAgreesWithLedgers):
    """A debt run up under ``allow_negative`` lives on under ``claw_back``."""

    schedule = scheduled(
        (D(2009, 1, 1), {"reversal": "allow_negative", "pending_days": 20}),
        (D(2010, 1, 10), {"reversal": "claw_back", "expire_after_cycles": 3}),
    )


# A program runs up to 50 steps, each checking the invariants: a third of the profile's
# examples (50 programs, 2,500 steps, under ci; 500 programs nightly) keeps the run short.
STATEFUL = settings(settings.default, max_examples=max(10, settings.default.max_examples // 3))

TestClawBackBook = ClawBackBook.TestCase
TestClawBackBook.settings = STATEFUL
TestScheduledBook = ScheduledBook.TestCase
TestScheduledBook.settings = STATEFUL
TestScheduledFromNegativeBook = ScheduledFromNegativeBook.TestCase
TestScheduledFromNegativeBook.settings = STATEFUL
TestPendingClawBackBook = PendingClawBackBook.TestCase
TestPendingClawBackBook.settings = STATEFUL
TestPendingNegativeBook = PendingNegativeBook.TestCase
TestPendingNegativeBook.settings = STATEFUL
TestNegativeBook = NegativeBook.TestCase
TestNegativeBook.settings = STATEFUL
TestRefusingBook = RefusingBook.TestCase
TestRefusingBook.settings = STATEFUL


# ---------------------------------------------------------------- posting a month


def test_a_month_lands_in_the_lot_of_its_cycle_and_counts_by_source() -> None:
    book = book_of().post(JAN, [100, 0, 50]).post(D(2010, 12, 31), [10, 20, 0], source="tenure")
    assert book.lots_of("c1", D(2011, 1, 1)) == (
        tc.Lot(D(2011, 11, 30), 100), tc.Lot(D(2012, 11, 30), 10),
    )  # fmt: skip
    assert book.lots_of("c2", D(2011, 1, 1)) == (tc.Lot(D(2012, 11, 30), 20),)
    assert book.balance(D(2011, 12, 1)).tolist() == [10, 20, 0]
    assert dict(book.issued) == {"consumption": 150, "tenure": 30}
    assert repr(book) == "PointsBook(customers=3, lots=[2011-11-30, 2012-11-30], last=2010-12-31)"


def test_points_for_bills_posts_as_it_comes() -> None:
    earned = tc.points_for_bills(
        [42_080, 2_000, 0], [6_000, 0, 0], [True, False, True], [3, 2, 0], [2, 0, 0]
    )
    book = book_of().post(MAR, earned)
    assert book.balance(MAR).tolist() == [484, 21, 2]


def test_an_accrual_pays_a_debt_off_first_under_allow_negative() -> None:
    book = book_of("a", reversal="allow_negative").post(JAN, [100]).redeem(FEB, [100])
    book = book.reverse(FEB, [100], JAN)  # all spent: a debt of 100
    assert book.balance(FEB).tolist() == [-100]
    book = book.post(MAR, [30])
    assert book.balance(MAR).tolist() == [-70] and book.lots_of("a", MAR) == ()
    book = book.post(D(2010, 4, 30), [90])
    assert book.balance(D(2010, 4, 30)).tolist() == [20]
    assert book.lots_of("a", D(2010, 4, 30)) == (tc.Lot(D(2011, 11, 30), 20),)
    assert book.summary_of("a", D(2010, 4, 30)).balanced


def test_a_lot_over_the_points_bound_is_refused_and_names_the_customer() -> None:
    book = book_of("a", "b").post(JAN, [0, MAX_POINTS])
    with pytest.raises(
        tc.InvalidInput, match=r"points at index 1 would leave customer 'b' 1000000000000001 points"
    ):
        book.post(FEB, [1, 1])
    assert book.post(D(2010, 12, 1), [1, 1]).balance(D(2010, 12, 1)).tolist() == [1, MAX_POINTS + 1]


def test_a_lifetime_of_points_past_the_bound_is_refused() -> None:
    book = book_of("a").post(JAN, [MAX_POINTS])
    for _ in range(999):  # a thousand full balances earned and spent: the most allowed
        book = book.redeem(JAN, [MAX_POINTS]).post(JAN, [MAX_POINTS])
    with pytest.raises(
        tc.InvalidInput, match=r"customer 'a'.s points earned to 1000000000000001000"
    ):
        book.redeem(JAN, [MAX_POINTS]).post(JAN, [1_000])


# ---------------------------------------------------------------- redeeming


def test_redemption_spends_the_earliest_expiring_lot_first() -> None:
    book = book_of("a", "b").post(JAN, [100, 40]).post(D(2010, 12, 31), [100, 40])
    book = book.redeem(D(2011, 2, 1), [150, 0])
    assert book.lots_of("a", D(2011, 2, 1)) == (tc.Lot(D(2012, 11, 30), 50),)
    assert book.lots_of("b", D(2011, 2, 1)) == (
        tc.Lot(D(2011, 11, 30), 40),
        tc.Lot(D(2012, 11, 30), 40),
    )
    assert book.summary_of("a", D(2011, 2, 1)).redeemed == 150


def test_a_short_redemption_refuses_the_whole_batch_and_changes_nothing() -> None:
    book = book_of().post(JAN, [100, 40, 10])
    before = copy.deepcopy(book)
    with pytest.raises(tc.InsufficientPoints) as caught:
        book.redeem(FEB, [100, 50, 20])
    assert (caught.value.customer_id, caught.value.requested, caught.value.available) == (
        "c2",
        50,
        40,
    )
    assert "row 1 of points" in caught.value.__notes__[0]
    assert book == before
    assert book.redeem(FEB, np.minimum([100, 50, 20], book.spendable(FEB))).balance(
        FEB
    ).tolist() == [0, 0, 0]


def test_expired_points_cannot_be_redeemed() -> None:
    book = book_of("a").post(JAN, [100])
    assert book.redeem(D(2011, 11, 30), [100]).balance(D(2011, 11, 30)).tolist() == [0]
    with pytest.raises(tc.InsufficientPoints, match="asked for 1 points but only 0"):
        book.redeem(D(2011, 12, 1), [1])


def test_a_customer_in_debt_cannot_redeem() -> None:
    book = book_of("a", "b", reversal="allow_negative").post(JAN, [100, 5]).redeem(FEB, [100, 0])
    book = book.reverse(FEB, [100, 0], JAN)
    with pytest.raises(tc.InsufficientPoints, match="'a' asked for 1 points but only 0"):
        book.redeem(FEB, [1, 0])
    assert book.redeem(FEB, [0, 5]).balance(FEB).tolist() == [-100, 0]


# ---------------------------------------------------------------- reversing


def test_a_reversal_takes_its_own_lot_first_then_the_earliest_live_ones() -> None:
    book = book_of("a").post(D(2009, 12, 31), [100]).post(D(2010, 12, 31), [300])
    book = book.redeem(D(2011, 1, 5), [350])  # lot 2011-11-30: 0, lot 2012-11-30: 50
    book = book.post(D(2011, 12, 31), [500])  # lot 2013: 500
    after = book.reverse(D(2012, 1, 2), [300], D(2010, 12, 31))
    # own lot (2012) gives 50, the rest (250) comes from the next live lot (2013)
    assert after.lots_of("a", D(2012, 1, 2)) == (tc.Lot(D(2013, 11, 30), 250),)
    s = after.summary_of("a", D(2012, 1, 2))
    assert (s.balance, s.reversed, s.unrecovered, s.balanced) == (250, 300, 0, True)


def test_an_expired_part_moves_from_expired_to_reversed_and_leaves_the_balance() -> None:
    book = book_of("a").post(JAN, [100]).post(D(2011, 12, 5), [100])
    after = book.reverse(D(2012, 1, 1), [100], JAN)
    s = after.summary_of("a", D(2012, 1, 1))
    assert (s.balance, s.expired, s.reversed) == (100, 0, 100)


@pytest.mark.parametrize(
    ("mode", "balance", "reversed_", "unrecovered"),
    [("claw_back", 0, 50, 250), ("allow_negative", -250, 300, 0)],
)
def test_reversing_a_spent_accrual_follows_the_policy(
    mode: str, balance: int, reversed_: int, unrecovered: int
) -> None:
    book = book_of("a", reversal=mode).post(D(2010, 1, 5), [300]).redeem(FEB, [250])
    s = book.reverse(MAR, [300], D(2010, 1, 5)).summary_of("a", MAR)
    assert (s.balance, s.reversed, s.unrecovered, s.balanced) == (
        balance,
        reversed_,
        unrecovered,
        True,
    )


def test_refuse_mode_refuses_the_batch_naming_the_first_short_customer() -> None:
    book = book_of(reversal="refuse").post(JAN, [300, 300, 300]).redeem(FEB, [0, 250, 250])
    before = copy.deepcopy(book)
    with pytest.raises(tc.InsufficientPoints) as caught:
        book.reverse(MAR, [300, 300, 300], JAN)
    assert (caught.value.customer_id, caught.value.requested, caught.value.available) == (
        "c2",
        300,
        50,
    )
    assert book == before
    assert book.reverse(MAR, [300, 0, 0], JAN).balance(MAR).tolist() == [0, 50, 50]


def test_a_reversal_cannot_take_back_more_than_its_cycle_earned() -> None:
    book = book_of("a", "b").post(JAN, [100, 100]).post(FEB, [0, 50])
    book = book.reverse(MAR, [0, 120], JAN)
    with pytest.raises(
        tc.InvalidInput,
        match=r"points at index 1 asks to take back 31 points of customer 'b'.*only 30",
    ):
        book.reverse(MAR, [0, 31], FEB)
    with pytest.raises(
        tc.InvalidInput, match=r"points at index 0 asks to take back 1 points .*only 0"
    ):
        book.reverse(D(2010, 12, 1), [1, 0], D(2010, 12, 1))  # nothing earned in cycle 2011


def test_a_reversal_dated_before_its_accrual_or_into_a_closed_lot_is_refused() -> None:
    book = book_of("a").post(JAN, [100])
    with pytest.raises(
        tc.InvalidInput, match="earned_on 2010-02-28 is after the reversal's date on 2010-02-01"
    ):
        book.reverse(D(2010, 2, 1), [100], FEB)
    closed = book.expire(D(2011, 12, 1))
    with pytest.raises(tc.InvalidInput, match=r"expiring 2011-11-30\) was closed by expire\(\)"):
        closed.reverse(D(2011, 12, 1), [100], JAN)
    assert closed.reverse(D(2011, 12, 1), [0], JAN).summary_of("a", D(2011, 12, 1)).expired == 100


def test_an_accrual_that_wholly_paid_a_debt_is_reversed_from_its_cycle_lot_as_in_the_book() -> None:
    """Regression (#29 item 4): an accrual that wholly paid a debt off leaves no lot of its
    own; once its cycle's lot had expired the ledger took its reversal from live points
    (here: a debt of 100 again) where the book took it from the cycle's lot.  Both now take
    it from the cycle's lot, which leaves the ledger as if the accrual had never been
    posted: the later accrual pays the debt off instead, and only the rest expires."""
    policy = policy_with("allow_negative")
    ledger = tc.PointsLedger.empty("a", policy=policy).accrue(
        "x", D(2009, 12, 5), 100, "consumption"
    )
    ledger, _ = ledger.redeem("r", D(2009, 12, 6), 100)
    ledger = ledger.reverse("x", D(2009, 12, 7))  # debt 100
    never = ledger.accrue("a2", FEB, 150, "consumption")  # as if a1 had never been posted
    ledger = ledger.accrue("a1", JAN, 100, "consumption")  # wholly pays the debt: no lot
    assert ledger.posting("a1").lots == ()
    ledger = ledger.accrue("a2", FEB, 150, "consumption")  # lot 2011-11-30: 150
    book = (
        book_of("a", reversal="allow_negative")
        .post(D(2009, 12, 5), [100])
        .redeem(D(2009, 12, 6), [100])
    )
    book = book.reverse(D(2009, 12, 7), [100], D(2009, 12, 5)).post(JAN, [100]).post(FEB, [150])
    late = D(2011, 12, 5)
    s = ledger.reverse("a1", late).summary(late)
    assert (s.balance, s.expired, s.reversed, s.balanced) == (0, 50, 200, True)
    assert book.reverse(late, [100], JAN).summary_of("a", late) == s
    assert (never.summary(late).balance, never.summary(late).expired) == (0, 50)
    # while the cycle's lot is live, both take the same points
    assert (
        ledger.reverse("a1", MAR).balance(MAR)
        == book.reverse(MAR, [100], JAN).balance(MAR)[0]
        == 50
    )


# ---------------------------------------------------------------- expiring


def test_the_cycle_end_closes_expired_lots_into_the_expired_totals() -> None:
    book = book_of("a", "b").post(JAN, [100, 40]).post(D(2010, 12, 31), [10, 0])
    book = book.redeem(D(2011, 2, 1), [30, 0])
    closed = book.expire(D(2011, 12, 1))
    assert closed.lots_of("a", D(2011, 12, 1)) == (tc.Lot(D(2012, 11, 30), 10),)
    assert (
        closed.expired(D(2011, 12, 1)).tolist() == [70, 40] == book.expired(D(2011, 12, 1)).tolist()
    )
    assert (
        closed.balance(D(2011, 12, 1)).tolist() == [10, 0] == book.balance(D(2011, 12, 1)).tolist()
    )
    assert repr(closed) == "PointsBook(customers=2, lots=[2012-11-30], last=2011-12-01)"
    assert closed.summary(D(2011, 12, 1)) == book.summary(D(2011, 12, 1))
    assert closed.expire(D(2011, 12, 2)).expired(D(2011, 12, 2)).tolist() == [70, 40]


def test_expiring_counts_live_lots_up_to_the_horizon_inclusive() -> None:
    book = book_of("a").post(JAN, [100]).post(D(2010, 12, 31), [50])
    assert book.expiring(D(2011, 11, 1), 28).tolist() == [0]
    assert book.expiring(D(2011, 11, 1), 29).tolist() == [100]
    assert book.expiring(D(2011, 11, 30), 0).tolist() == [100]
    assert book.expiring(D(2011, 12, 1), 366).tolist() == [50]


# ---------------------------------------------------------------- the figures


def test_the_liability_is_the_live_points_in_fen_and_never_overflows() -> None:
    book = book_of("a", "b").post(JAN, [120, 30])
    assert book.liability(FEB) == 300 and type(book.liability(FEB)) is int
    assert book.liability(D(2011, 12, 1)) == 0
    n = 20_000
    huge = tc.PointsBook.empty(np.arange(n)).post(JAN, np.full(n, MAX_POINTS))
    assert huge.liability(JAN) == n * MAX_POINTS * 2  # past int64: summed exactly
    assert huge.summary(JAN).earned == n * MAX_POINTS
    ten = tc.Policy.model_validate({"points": {"fen_per_point": 10}})
    assert tc.PointsBook.empty(["a"], policy=ten).post(JAN, [7]).liability(JAN) == 70


def test_summaries_are_plain_ints_and_json_ready() -> None:
    book = book_of().post(JAN, np.array([5, 6, 7], dtype=np.int32)).redeem(FEB, [1, 0, 0])
    for s in (book.summary(FEB), book.summary_of("c1", FEB)):
        assert all(type(v) is int for k, v in s.to_dict().items() if k != "as_of")
        json.dumps(s.to_dict(), default=str)
    assert all(type(lot.points) is int for lot in book.lots_of("c1", FEB))


def test_the_book_keeps_no_history_so_an_earlier_date_is_refused() -> None:
    book = book_of("a").post(FEB, [10])
    for ask in (book.balance, book.spendable, book.expired, book.liability, book.summary):
        with pytest.raises(tc.InvalidInput, match="before the book's last posting on 2010-02-28"):
            ask(JAN)
    with pytest.raises(tc.InvalidInput, match="postings must come in date order: on 2010-01-31"):
        book.post(JAN, [1])
    with pytest.raises(tc.InvalidInput, match="postings must come in date order"):
        book.expire(JAN)


def test_an_aware_datetime_is_its_day_in_the_policys_zone_and_a_naive_one_is_refused() -> None:
    late = datetime(2010, 11, 30, 17, 0, tzinfo=UTC)  # 1 Dec in Shanghai: cycle 2011
    book = book_of("a").post(late, [10])
    assert book.lots_of("a", D(2010, 12, 1)) == (tc.Lot(D(2012, 11, 30), 10),)
    assert book.expiry_for(late) == D(2012, 11, 30)
    with pytest.raises(tc.InvalidInput, match="on must be timezone-aware"):
        book.post(datetime(2010, 12, 5, 9, 0), [1])
    with pytest.raises(tc.InvalidInput, match="as_of must be a date"):
        book.balance("2010-12-05")


# ---------------------------------------------------------------- the value


def test_an_operation_shares_the_columns_it_did_not_change_and_freezes_them() -> None:
    book = book_of("a", "b").post(JAN, [100, 40]).post(D(2010, 12, 31), [10, 0])
    before = copy.deepcopy(book)
    after = book.post(D(2011, 1, 31), [5, 5])
    assert book == before and after != book
    assert after._lots[0] is book._lots[0]  # the 2011 lot is shared, not copied
    with pytest.raises(ValueError, match="read-only"):
        after._lots[1][0] = 0
    with pytest.raises(ValueError, match="read-only"):
        after.ids[0] = "z"


def test_a_book_survives_pickle_and_deepcopy_and_is_not_hashable() -> None:
    book = book_of().post(JAN, [1, 2, 3]).reverse(FEB, [1, 0, 0], JAN)
    assert pickle.loads(pickle.dumps(book)) == book == copy.deepcopy(book)
    assert len(book) == 3
    with pytest.raises(TypeError):
        hash(book)


def test_the_book_posts_what_it_was_given_without_changing_it() -> None:
    points = np.array([5, 6, 7])
    book = book_of().post(JAN, points)
    points[0] = 99
    assert book.balance(JAN).tolist() == [5, 6, 7]
    asked = np.array([1, 1, 1])
    book.redeem(FEB, asked)
    assert asked.tolist() == [1, 1, 1]


# ---------------------------------------------------------------- the inputs


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (["a", None], r"ids is missing at index 1 \(got None\)"),
        (["a", float("nan")], r"ids is missing at index 1"),
        (np.array(["a", " b"]), r"ids\[1\] must be a label without edge whitespace, got ' b'"),
        (np.array(["a", ""]), r"ids\[1\] must be a label without edge whitespace, got ''"),
        (["a", "b", "a"], r"ids repeats 'a' at index 0 and 2"),
        (np.array([4, 4]), r"ids repeats 4 at index 0 and 1"),
        (["a", 3], r"ids mixes text and integer ids \('a' at index 0, 3 at index 1\)"),
        ([2**70], r"ids holds 1180591620717411303424 at index 0, too large for int64"),
        (np.array([2**64 - 1], dtype=np.uint64), r"too large for int64"),
        ("c1", r"ids must be a column of labels, got the str 'c1'"),
        (np.array([[1, 2]]), r"ids must be a 1-D column"),
        (np.array([True, False]), r"ids\[0\] must be a text or integer label, got bool True"),
        (np.ma.masked_array([1, 2], mask=[False, True]), r"ids has a masked entry at index 1"),
    ],
)
def test_ids_are_labels_one_per_customer(ids: Any, message: str) -> None:
    with pytest.raises(tc.InvalidInput, match=message):
        tc.PointsBook.empty(ids)


def test_ids_keep_their_kind() -> None:
    assert tc.PointsBook.empty(np.array([3, 1], dtype=np.int16)).ids.dtype == np.int64
    numbered = tc.PointsBook.empty([3, 1]).post(JAN, [5, 6])
    assert numbered.lots_of(1, JAN) == (tc.Lot(D(2011, 11, 30), 6),)
    with pytest.raises(tc.InvalidInput, match="no customer '1' in the points book"):
        numbered.lots_of("1", JAN)
    with pytest.raises(tc.InvalidInput, match="customer_id is missing"):
        numbered.summary_of(None, JAN)
    assert tc.PointsBook.empty([]).post(JAN, []).liability(JAN) == 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda b: b.post(JAN, [1, 2]), r"columns must have equal lengths, got ids=3, points=2"),
        (lambda b: b.post(JAN, [1, -2, 3]), r"points must be >= 0, got -2 at index 1"),
        (lambda b: b.post(JAN, [1, MAX_POINTS + 1, 3]), r"points must be <= 1000000000000000, got"),
        (lambda b: b.post(JAN, [1.5, 2, 3]), r"points must hold whole numbers, got 1.5 at index 0"),
        (lambda b: b.post(JAN, ["1", "2", "3"]), r"points must hold integers"),
        (lambda b: b.post(JAN, [1, 2, 3], source="gift"), r"source must be one of"),
        (
            lambda b: b.redeem(JAN, [True, False, True]),
            r"points must hold integers, got the bool True at index 0",
        ),
        (lambda b: b.reverse(JAN, [0, 0, 0], "2010-01-01"), r"earned_on must be a date"),
        (lambda b: b.expiring(JAN, -1), r"within_days must be >= 0, got -1"),
        (lambda b: b.expiring(JAN, 10**6), r"within_days must be <= 3660"),
    ],
)
def test_bad_inputs_are_refused_by_name(call: Any, message: str) -> None:
    with pytest.raises(tc.InvalidInput, match=message):
        call(book_of())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"expire_after_cycles": -1}, r"PointsBook.expire_after_cycles must be >= 0"),
        ({"fen_per_point": 0}, r"PointsBook.fen_per_point must be >= 1"),
        ({"reversal_mode": "forgive"}, r"PointsBook.reversal_mode must be one of"),
        ({"timezone": "Mars/Olympus"}, r"unknown time zone 'Mars/Olympus'"),
        ({"timezone": 8}, r"unknown time zone 8"),
    ],
)
def test_the_constructor_checks_what_empty_would(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(tc.InvalidInput, match=message):
        tc.PointsBook(["a"], **kwargs)


def test_the_policy_sets_the_rule() -> None:
    policy = tc.Policy.model_validate(
        {"points": {"expire_after_cycles": 0, "fen_per_point": 3, "reversal": "refuse"},
         "timezone": "Europe/London"}
    )  # fmt: skip
    book = tc.PointsBook.empty(["a"], policy=policy)
    assert (book.expire_after_cycles, book.fen_per_point, book.reversal_mode, book.timezone) == (
        0, 3, "refuse", "Europe/London",
    )  # fmt: skip
    assert book.post(JAN, [10]).balance(D(2010, 12, 1)).tolist() == [0]  # gone at its cycle's end


def test_the_book_benchmark_compares_its_answers_with_numpy_before_timing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The benchmark's smoke run (figures in docs/points.md; no timing is asserted)."""
    from benchmarks import bench_book, harness

    monkeypatch.setattr(harness, "COLLECT", False)  # answers, not times: no full collections

    rows = bench_book.measure(3_000, repeat=1)
    assert [r["operation"] for r in rows] == ["post a month", "expire a cycle", "liability"]
    assert all(r["n"] == 3_000 and r["lots_bytes"] == 2 * 3_000 * 8 for r in rows)
    assert "goals: <= 1.5x numpy" in bench_book.render(rows)


def test_a_first_posting_keeps_earned_lot_and_reversible_apart_after_later_changes() -> None:
    book = tc.PointsBook.empty(["a", "b", "c"]).post(date(2010, 3, 31), [100, 40, 0])
    book = book.redeem(date(2010, 4, 1), [30, 0, 0]).reverse(date(2010, 4, 2), [0, 40, 0],
                                                                date(2010, 3, 31))  # fmt: skip
    book = book.post(date(2010, 4, 30), [5, 5, 5])
    assert [book.summary_of(c, date(2010, 5, 1)).earned for c in "abc"] == [105, 45, 5]
    assert book.balance(date(2010, 5, 1)).tolist() == [75, 5, 5]
    s = book.summary(date(2010, 5, 1))
    assert (s.earned, s.redeemed, s.balance, s.balanced) == (155, 30, 85, True)
