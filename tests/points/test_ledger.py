"""The points ledger: expiry, redemption, idempotent postings, transfers, reversals, history."""

from __future__ import annotations

import copy
import pickle
import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, note, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

import telcare as tc

D = date


def policy_with(reversal: str, pending_days: int = 0) -> tc.Policy:
    return tc.Policy.model_validate(
        {"points": {"reversal": reversal, "pending_days": pending_days}}
    )


LEDGER = tc.PointsLedger.empty("c1").accrue("b1", D(2010, 3, 1), 100, "consumption")


class LedgerMachine(RuleBasedStateMachine):
    """Random accruals, redemptions, transfers, reversals, duplicates and expiry on two ledgers."""

    reversal = "claw_back"
    pending_days = 0

    def __init__(self) -> None:
        super().__init__()
        policy = policy_with(self.reversal, self.pending_days)
        self.ledgers = {name: tc.PointsLedger.empty(name, policy=policy) for name in ("a", "b")}
        self.today = D(2009, 11, 20)
        self.counter = 0
        self.reversible: dict[str, list[str]] = {"a": [], "b": []}
        self.calls: dict[str, list[Any]] = {"a": [], "b": []}

    def _ref(self) -> str:
        self.counter += 1
        return f"p{self.counter}"

    @initialize()
    def start(self) -> None:
        pass

    @rule(days=st.integers(0, 200))
    def advance(self, days: int) -> None:
        self.today += timedelta(days=days)

    @rule(
        who=st.sampled_from("ab"), points=st.integers(1, 1_000), source=st.sampled_from(tc.SOURCES)
    )
    def accrue(self, who: str, points: int, source: str) -> None:
        ref = self._ref()
        self.ledgers[who] = self.ledgers[who].accrue(ref, self.today, points, source)
        self.reversible[who].append(ref)
        self.calls[who].append(("accrue", ref, self.today, points, source))

    @rule(who=st.sampled_from("ab"), points=st.integers(1, 1_500))
    def redeem(self, who: str, points: int) -> None:
        before = self.ledgers[who]
        live_before = before.lots(self.today)
        ref = self._ref()
        try:
            after, receipt = before.redeem(ref, self.today, points)
        except tc.InsufficientPoints:
            assert before.spendable(self.today) < points
            if not self.pending_days:
                assert before.balance(self.today) < points
            assert self.ledgers[who] is before
            return
        assert before.spendable(self.today) >= points
        assert sum(lot.points for lot in receipt.lots) == points
        left = list(after.lots(self.today))
        if receipt.lots and left:
            assert max(lot.expires_on for lot in receipt.lots) <= min(
                lot.expires_on for lot in left
            )
        assert sum(lot.points for lot in live_before) >= points
        self.ledgers[who] = after
        self.reversible[who].append(ref)
        self.calls[who].append(("redeem", ref, self.today, points))

    @rule(who=st.sampled_from("ab"), points=st.integers(1, 1_500))
    def transfer(self, who: str, points: int) -> None:
        other = "b" if who == "a" else "a"
        ref = self._ref()
        try:
            sent, got = self.ledgers[who].transfer(ref, self.today, points, self.ledgers[other])
        except tc.InsufficientPoints:
            return
        self.ledgers[who], self.ledgers[other] = sent, got

    @precondition(lambda self: self.reversible["a"] or self.reversible["b"])
    @rule(who=st.sampled_from("ab"), data=st.data())
    def reverse(self, who: str, data: st.DataObject) -> None:
        if not self.reversible[who]:
            return
        ref = data.draw(st.sampled_from(self.reversible[who]))
        points = data.draw(st.none() | st.integers(1, 400), label="points")
        adjustment = data.draw(st.none() | st.just(f"{ref}#{self.counter}"), label="adjustment")
        self.counter += 1
        try:
            self.ledgers[who] = self.ledgers[who].reverse(
                ref, self.today, points, adjustment=adjustment
            )
        except tc.InsufficientPoints:
            assert self.reversal == "refuse"
        except tc.DuplicatePosting:
            pass  # reversed before under that reference, on another day or another part
        except tc.InvalidInput as exc:  # asked for more than is left of the posting
            message = str(exc)
            assert "not reversed yet" in message or "wholly reversed" in message, message

    @precondition(lambda self: self.calls["a"] or self.calls["b"])
    @rule(who=st.sampled_from("ab"), data=st.data())
    def repost_is_a_no_op(self, who: str, data: st.DataObject) -> None:
        if not self.calls[who]:
            return
        call = data.draw(st.sampled_from(self.calls[who]))
        before = self.ledgers[who]
        after = before.accrue(*call[1:]) if call[0] == "accrue" else before.redeem(*call[1:])[0]
        assert after == before

    @precondition(lambda self: self.calls["a"] or self.calls["b"])
    @rule(who=st.sampled_from("ab"), data=st.data())
    def conflicting_repost_is_refused(self, who: str, data: st.DataObject) -> None:
        if not self.calls[who]:
            return
        call = data.draw(st.sampled_from(self.calls[who]))
        before = self.ledgers[who]
        try:
            before.accrue(call[1], call[2], call[3] + 1, "bonus")
        except tc.DuplicatePosting:
            pass
        else:  # pragma: no cover - the assertion below is the point
            raise AssertionError("a conflicting repost was accepted")
        assert self.ledgers[who] == before

    @invariant()
    def identity_holds(self) -> None:
        for ledger in self.ledgers.values():
            for when in (self.today, self.today + timedelta(days=800)):
                s = ledger.summary(when)
                assert s.balanced, s
                if self.reversal != "allow_negative":
                    assert s.balance >= 0

    @invariant()
    def pending_points_are_in_the_balance_and_not_spendable(self) -> None:
        for ledger in self.ledgers.values():
            for when in (self.today, self.today + timedelta(days=3)):
                balance, held = ledger.balance(when), ledger.pending(when)
                assert 0 <= held <= max(0, balance)
                assert ledger.spendable(when) == max(0, balance - held)
                if not self.pending_days:
                    assert held == 0

    @invariant()
    def transfers_net_out(self) -> None:
        a, b = (self.ledgers[k].summary(self.today) for k in "ab")
        assert a.transferred_out == b.transferred_in
        assert b.transferred_out == a.transferred_in

    @invariant()
    def history_never_shows_a_balance_the_policy_forbids(self) -> None:
        for ledger in self.ledgers.values():
            for entry in ledger.history():
                if self.reversal != "allow_negative" or entry.posting.kind in (
                    "redeem", "transfer_out",
                ):  # fmt: skip
                    assert entry.balance >= 0, entry

    @invariant()
    def a_debt_and_live_points_never_coexist(self) -> None:
        for ledger in self.ledgers.values():
            for when in (self.today, self.today + timedelta(days=800)):
                if ledger.balance(when) < 0:
                    assert ledger.lots(when) == (), (when, ledger.lots(when))

    @invariant()
    def a_ledger_survives_pickle_and_deepcopy(self) -> None:
        ledger = self.ledgers["a"]
        assert pickle.loads(pickle.dumps(ledger)) == ledger
        assert copy.deepcopy(ledger) == ledger

    @invariant()
    def history_ends_at_the_balance(self) -> None:
        for ledger in self.ledgers.values():
            history = ledger.history()
            if history:
                last = history[-1]
                assert last.balance == ledger.balance(last.posting.on)


class ClawBackLedger(LedgerMachine):
    reversal = "claw_back"


class NegativeLedger(LedgerMachine):
    reversal = "allow_negative"


class RefusingLedger(LedgerMachine):
    reversal = "refuse"


class PendingLedger(LedgerMachine):
    """Accruals wait a week before they can be spent (``points.pending_days``)."""

    reversal = "allow_negative"
    pending_days = 7


# ---- expiry


def test_points_expire_at_the_end_of_the_next_cycle() -> None:
    ledger = tc.PointsLedger.empty("c1").accrue("b1", D(2009, 12, 1), 100, "consumption")
    assert ledger.expiry_for(D(2009, 12, 1)) == D(2011, 11, 30)
    assert ledger.balance(D(2011, 11, 30)) == 100
    assert ledger.balance(D(2011, 12, 1)) == 0
    assert ledger.summary(D(2011, 12, 1)).expired == 100


def test_redemption_spends_the_earliest_expiring_first() -> None:
    ledger = (
        tc.PointsLedger.empty("c1")
        .accrue("b1", D(2010, 1, 5), 300, "consumption")  # cycle 2010 -> expires 2011-11-30
        .accrue("b2", D(2010, 12, 5), 500, "consumption")  # cycle 2011 -> expires 2012-11-30
    )
    ledger, receipt = ledger.redeem("r1", D(2011, 1, 10), 400)
    assert receipt.lots == (tc.Lot(D(2011, 11, 30), 300), tc.Lot(D(2012, 11, 30), 100))
    assert receipt.value == 800
    assert ledger.lots(D(2011, 1, 10)) == (tc.Lot(D(2012, 11, 30), 400),)


def test_expired_points_cannot_be_redeemed() -> None:
    ledger = tc.PointsLedger.empty("c1").accrue("b1", D(2010, 1, 5), 300, "consumption")
    with pytest.raises(tc.InsufficientPoints):
        ledger.redeem("r1", D(2011, 12, 1), 1)


def test_expiring_lists_what_lapses_soon() -> None:
    ledger = (
        tc.PointsLedger.empty("c1")
        .accrue("b1", D(2010, 1, 5), 300, "consumption")
        .accrue("b2", D(2010, 12, 5), 40, "consumption")
    )
    assert ledger.expiring(D(2011, 11, 1), 30) == (tc.Lot(D(2011, 11, 30), 300),)
    assert ledger.expiring(D(2011, 10, 1), 30) == ()


# ---- redemption


def test_insufficient_points_leave_the_ledger_as_it_was() -> None:
    ledger = tc.PointsLedger.empty("c1").accrue("b1", D(2010, 1, 5), 300, "consumption")
    with pytest.raises(tc.InsufficientPoints) as info:
        ledger.redeem("r1", D(2010, 2, 1), 301)
    assert (info.value.requested, info.value.available) == (301, 300)
    assert ledger.balance(D(2010, 2, 1)) == 300
    assert len(ledger) == 1


def test_short_balances_say_who_asked_for_what_and_what_there_is() -> None:
    ledger = tc.PointsLedger.empty("c9").accrue("b1", D(2010, 1, 5), 300, "consumption")
    with pytest.raises(tc.InsufficientPoints) as short:
        ledger.redeem("r1", D(2010, 2, 1), 301)
    assert (short.value.requested, short.value.available, short.value.customer_id) == (
        301,
        300,
        "c9",
    )
    with pytest.raises(tc.InsufficientPoints) as empty:
        tc.PointsLedger.empty("c8").redeem("r1", D(2010, 2, 1), 5)
    assert (empty.value.requested, empty.value.available, empty.value.customer_id) == (5, 0, "c8")
    other = tc.PointsLedger.empty("c7")
    with pytest.raises(tc.InsufficientPoints) as sent:
        ledger.transfer("t1", D(2010, 2, 1), 301, other)
    assert (sent.value.requested, sent.value.available, sent.value.customer_id) == (301, 300, "c9")
    debtor = tc.PointsLedger.empty("c6", policy=policy_with("allow_negative"))
    debtor = debtor.accrue("b1", D(2010, 1, 5), 100, "consumption")
    debtor, _ = debtor.redeem("r1", D(2010, 1, 6), 100)
    debtor = debtor.reverse("b1", D(2010, 1, 7))  # balance -100
    with pytest.raises(tc.InsufficientPoints) as owing:
        debtor.transfer("t1", D(2010, 1, 8), 1, other)
    assert owing.value.available == 0


# ---- idempotent postings


def test_same_ref_same_content_is_a_no_op() -> None:
    once = tc.PointsLedger.empty("c1").accrue("bill-2010-01", D(2010, 1, 31), 120, "consumption")
    twice = once.accrue("bill-2010-01", D(2010, 1, 31), 120, "consumption")
    assert twice == once
    assert twice.balance(D(2010, 2, 1)) == 120
    again, receipt = once.redeem("r", D(2010, 2, 1), 20)
    same, receipt2 = again.redeem("r", D(2010, 2, 1), 20)
    assert same == again and receipt2 == receipt


def test_same_ref_other_content_is_refused() -> None:
    ledger = tc.PointsLedger.empty("c1").accrue("bill-2010-01", D(2010, 1, 31), 120, "consumption")
    with pytest.raises(tc.DuplicatePosting, match="bill-2010-01"):
        ledger.accrue("bill-2010-01", D(2010, 1, 31), 121, "consumption")
    with pytest.raises(tc.DuplicatePosting):
        ledger.redeem("bill-2010-01", D(2010, 2, 1), 10)


@given(
    st.lists(st.integers(1, 500), min_size=1, max_size=6),
    st.lists(st.integers(1, 100), max_size=6),
    st.randoms(),
)
def test_same_day_postings_in_any_order_give_the_same_ledger(
    accruals: list[int], redemptions: list[int], rnd: Any
) -> None:
    start = tc.PointsLedger.empty("c1").accrue("seed", D(2010, 1, 1), 1_000, "consumption")
    day = D(2010, 6, 1)
    ops: list[tuple[str, int]] = [(f"a{i}", p) for i, p in enumerate(accruals)]
    ops += [
        (f"r{i}", p)
        for i, p in enumerate(redemptions[: len(redemptions)])
        if sum(redemptions[: i + 1]) <= 1_000
    ]

    def apply(order: list[tuple[str, int]]) -> tc.PointsLedger:
        ledger = start
        for ref, points in order:
            if ref.startswith("a"):
                ledger = ledger.accrue(ref, day, points, "bonus")
            else:
                ledger, _ = ledger.redeem(ref, day, points)
        return ledger

    shuffled = list(ops)
    rnd.shuffle(shuffled)
    note(f"order: {shuffled}")
    assert apply(ops) == apply(shuffled)


def test_equal_ledgers_hash_alike_and_serve_as_keys() -> None:
    def build() -> tc.PointsLedger:
        return tc.PointsLedger.empty("c1").accrue("b1", date(2010, 1, 5), 300, "consumption")

    one, two = build(), build()
    other = two.accrue("b2", date(2010, 2, 5), 1, "consumption")
    assert one == two and hash(one) == hash(two)
    assert {one: "seen"}[two] == "seen"
    assert len({one, two, other}) == 2


# ---- transfers


def test_transfer_moves_points_with_their_expiry() -> None:
    alice = tc.PointsLedger.empty("alice").accrue("b1", D(2010, 1, 5), 300, "consumption")
    bob = tc.PointsLedger.empty("bob")
    alice2, bob2 = alice.transfer("t1", D(2010, 6, 1), 120, bob)
    assert alice2.balance(D(2010, 6, 1)) == 180
    assert bob2.lots(D(2010, 6, 1)) == (tc.Lot(D(2011, 11, 30), 120),)
    # retrying the transfer changes nothing on either side
    assert alice2.transfer("t1", D(2010, 6, 1), 120, bob2) == (alice2, bob2)
    # the receiver missing the posting gets it from the sender's record
    assert alice2.transfer("t1", D(2010, 6, 1), 120, bob) == (alice2, bob2)


def test_transfer_failures_change_neither_side() -> None:
    alice = tc.PointsLedger.empty("alice").accrue("b1", D(2010, 1, 5), 300, "consumption")
    bob = tc.PointsLedger.empty("bob").accrue("b9", D(2010, 7, 1), 10, "bonus")
    with pytest.raises(tc.InsufficientPoints):
        alice.transfer("t1", D(2010, 7, 1), 301, bob)
    with pytest.raises(tc.InvalidInput, match="date order"):
        alice.transfer("t1", D(2010, 6, 1), 10, bob)  # bob has a later posting
    with pytest.raises(tc.InvalidInput, match="to itself"):
        alice.transfer("t1", D(2010, 7, 1), 10, alice)
    assert alice.balance(D(2010, 7, 1)) == 300 and bob.balance(D(2010, 7, 1)) == 10


def test_transfers_cannot_be_reversed_directly() -> None:
    alice, _ = LEDGER.transfer("t1", D(2010, 3, 2), 10, tc.PointsLedger.empty("bob"))
    with pytest.raises(tc.InvalidInput, match="transfer back"):
        alice.reverse("t1", D(2010, 3, 3))


def test_a_transfer_of_the_whole_balance_names_both_sides() -> None:
    giver = tc.PointsLedger.empty("c1").accrue("b1", D(2010, 1, 5), 300, "consumption")
    taker = tc.PointsLedger.empty("c2")
    giver, taker = giver.transfer("t1", D(2010, 2, 1), 300, taker)
    assert giver.balance(D(2010, 2, 1)) == 0 and taker.balance(D(2010, 2, 1)) == 300
    assert giver.posting("t1").counterparty == "c2" and taker.posting("t1").counterparty == "c1"
    assert taker.lots(D(2010, 2, 1)) == (tc.Lot(D(2011, 11, 30), 300),)  # expiry kept
    with pytest.raises(tc.InvalidInput, match="to must be a PointsLedger, got str"):
        giver.transfer("t2", D(2010, 2, 2), 1, "c2")  # type: ignore[arg-type]


def test_a_transfer_into_debt_repays_it_first() -> None:
    debtor = tc.PointsLedger.empty("c2", policy=policy_with("allow_negative"))
    debtor = debtor.accrue("b1", D(2010, 1, 5), 100, "consumption")
    debtor, _ = debtor.redeem("r1", D(2010, 1, 6), 100)
    debtor = debtor.reverse("b1", D(2010, 1, 7))
    assert debtor.balance(D(2010, 1, 7)) == -100
    giver = tc.PointsLedger.empty("c1").accrue("g1", D(2010, 1, 5), 300, "consumption")
    giver, debtor = giver.transfer("t1", D(2010, 2, 1), 300, debtor)
    assert debtor.balance(D(2010, 2, 1)) == 200
    assert debtor.posting("t1").debt == -100
    assert debtor.lots(D(2010, 2, 1)) == (tc.Lot(D(2011, 11, 30), 200),)
    s = debtor.summary(D(2010, 2, 1))
    assert (s.transferred_in, s.balance, s.balanced) == (300, 200, True)
    again_giver, again = giver.transfer("t1", D(2010, 2, 1), 300, debtor)  # the same request
    assert again == debtor and again_giver == giver


# ---- reversals


def test_reversing_a_redemption_restores_its_lots() -> None:
    ledger = tc.PointsLedger.empty("c1").accrue("b1", D(2010, 1, 5), 300, "consumption")
    ledger, _ = ledger.redeem("r1", D(2010, 2, 1), 200)
    ledger = ledger.reverse("r1", D(2010, 2, 3))
    assert ledger.balance(D(2010, 2, 3)) == 300
    s = ledger.summary(D(2010, 2, 3))
    assert (s.redeemed, s.balanced) == (0, True)
    assert ledger.posting("r1#reversal").original == "r1"


@pytest.mark.parametrize(
    ("mode", "balance", "unrecovered", "reversed_"),
    [("claw_back", 0, 250, 50), ("allow_negative", -250, 0, 300)],
)
def test_reversing_a_spent_accrual_follows_the_policy(
    mode: str, balance: int, unrecovered: int, reversed_: int
) -> None:
    ledger = tc.PointsLedger.empty("c1", policy=policy_with(mode)).accrue(
        "b1", D(2010, 1, 5), 300, "consumption"
    )
    ledger, _ = ledger.redeem("r1", D(2010, 2, 1), 250)
    ledger = ledger.reverse("b1", D(2010, 3, 1))
    s = ledger.summary(D(2010, 3, 1))
    assert (s.balance, s.unrecovered, s.reversed, s.balanced) == (
        balance,
        unrecovered,
        reversed_,
        True,
    )
    assert ledger.posting("b1#reversal").unrecovered == unrecovered


def test_refuse_mode_refuses_to_reverse_spent_points() -> None:
    ledger = tc.PointsLedger.empty("c1", policy=policy_with("refuse")).accrue(
        "b1", D(2010, 1, 5), 300, "consumption"
    )
    spent, _ = ledger.redeem("r1", D(2010, 2, 1), 250)
    with pytest.raises(tc.InsufficientPoints):
        spent.reverse("b1", D(2010, 3, 1))
    assert ledger.reverse("b1", D(2010, 3, 1)).balance(D(2010, 3, 1)) == 0


def test_negative_balance_is_paid_off_by_the_next_accrual() -> None:
    ledger = tc.PointsLedger.empty("c1", policy=policy_with("allow_negative"))
    ledger = ledger.accrue("b1", D(2010, 1, 5), 300, "consumption")
    ledger, _ = ledger.redeem("r1", D(2010, 2, 1), 300)
    ledger = ledger.reverse("b1", D(2010, 3, 1)).accrue("b2", D(2010, 4, 1), 500, "consumption")
    assert ledger.balance(D(2010, 4, 1)) == 200
    assert ledger.summary(D(2010, 4, 1)).balanced


# ---- the model-based state machine


# A program runs up to 50 steps, each checking the invariants: a third of the profile's
# examples (50 programs, 2,500 steps, under ci; 500 programs nightly) keeps the run short.
STATEFUL = settings(settings.default, max_examples=max(10, settings.default.max_examples // 3))

TestClawBackLedger = ClawBackLedger.TestCase
TestClawBackLedger.settings = STATEFUL


TestNegativeLedger = NegativeLedger.TestCase
TestNegativeLedger.settings = STATEFUL


TestRefusingLedger = RefusingLedger.TestCase
TestRefusingLedger.settings = STATEFUL


TestPendingLedger = PendingLedger.TestCase
TestPendingLedger.settings = STATEFUL


# ---- history and balances


def test_history_carries_a_running_balance() -> None:
    ledger = tc.PointsLedger.empty("c1").accrue("b1", D(2010, 1, 5), 300, "consumption")
    ledger, _ = ledger.redeem("r1", D(2010, 2, 1), 100)
    ledger = ledger.accrue("b2", D(2010, 3, 1), 50, "credit")
    assert [(h.posting.ref, h.balance) for h in ledger.history()] == [
        ("b1", 300),
        ("r1", 200),
        ("b2", 250),
    ]


def test_balance_in_the_past_replays_up_to_that_date() -> None:
    ledger = tc.PointsLedger.empty("c1").accrue("b1", D(2010, 1, 5), 300, "consumption")
    ledger, _ = ledger.redeem("r1", D(2010, 2, 1), 100)
    assert ledger.balance(D(2010, 1, 31)) == 300
    assert ledger.balance(D(2009, 1, 1)) == 0
    assert ledger.summary(D(2010, 1, 31)).redeemed == 0


def test_repr_names_the_customer_the_count_and_the_last_date() -> None:
    ledger = tc.PointsLedger.empty("c1")
    assert repr(ledger) == "PointsLedger('c1', postings=0, last=-)"
    ledger = ledger.accrue("b1", D(2010, 1, 5), 10, "consumption").accrue(
        "b2", D(2010, 2, 5), 10, "consumption"
    )
    assert repr(ledger) == "PointsLedger('c1', postings=2, last=2010-02-05)"


# ---- refusals


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: tc.PointsLedger.empty(""), "customer_id"),
        (lambda: LEDGER.accrue("", D(2010, 3, 2), 1, "bonus"), "ref"),
        (lambda: LEDGER.accrue("x", D(2010, 3, 2), 0, "bonus"), "points must be >= 1, got 0"),
        (lambda: LEDGER.accrue("x", D(2010, 3, 2), -5, "bonus"), "-5"),
        (lambda: LEDGER.accrue("x", D(2010, 3, 2), 1.5, "bonus"), "1.5"),
        (lambda: LEDGER.accrue("x", D(2010, 3, 2), True, "bonus"), "True"),
        (lambda: LEDGER.accrue("x", D(2010, 3, 2), 10**16, "bonus"), "points must be <= 10"),
        (lambda: LEDGER.accrue("x", D(2010, 3, 2), 1, "lottery"), "'lottery'"),
        (lambda: LEDGER.accrue("x", "2010-03-02", 1, "bonus"), "'2010-03-02'"),
        (lambda: LEDGER.accrue("x", D(2010, 2, 1), 1, "bonus"), "date order: 2010-02-01"),
        (lambda: LEDGER.redeem("x", D(2010, 2, 1), 1), "date order"),
        (lambda: LEDGER.reverse("nope", D(2010, 3, 2)), "'nope'"),
        (lambda: LEDGER.expiring(D(2010, 3, 2), -1), "-1"),
        (lambda: LEDGER.balance("today"), "'today'"),
        (lambda: LEDGER.posting("nope"), "'nope'"),
        (lambda: LEDGER.transfer("t", D(2010, 3, 2), 1, "bob"), "PointsLedger"),
    ],
)
def test_ledger_bad_inputs(call: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    assert fragment in str(info.value)
    assert LEDGER.balance(D(2010, 3, 2)) == 100


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda ledger: ledger.redeem("r", "2010-01-01", 1), "on"),
        (lambda ledger: ledger.transfer("t", "2010-01-01", 1, tc.PointsLedger.empty("x")), "on"),
        (lambda ledger: ledger.balance("2010-01-01"), "as_of"),
        (lambda ledger: ledger.lots("2010-01-01"), "as_of"),
        (lambda ledger: ledger.expiring("2010-01-01", 5), "as_of"),
        (lambda ledger: ledger.summary("2010-01-01"), "as_of"),
    ],
)
def test_dates_are_checked_and_named(call: Any, name: str) -> None:
    ledger = tc.PointsLedger.empty("c1").accrue("b1", D(2009, 12, 5), 10, "consumption")
    with pytest.raises(tc.InvalidInput, match=rf"^{name} "):
        call(ledger)


# ---- reversal semantics (docs/points.md) and constructors


def test_reversing_a_redemption_pays_off_the_debt_its_accrual_reversal_left() -> None:
    ledger = tc.PointsLedger.empty("c", policy=policy_with("allow_negative"))
    ledger = ledger.accrue("a", D(2010, 1, 5), 100, "consumption")
    ledger, _ = ledger.redeem("r", D(2010, 1, 6), 100)
    ledger = ledger.reverse("a", D(2010, 1, 7))
    assert ledger.balance(D(2010, 1, 7)) == -100
    ledger = ledger.reverse("r", D(2010, 1, 8))
    assert ledger.balance(D(2010, 1, 8)) == 0
    assert ledger.balance(D(2012, 1, 1)) == 0  # was -100 once the returned lot expired
    assert ledger.summary(D(2012, 1, 1)).balanced


@given(st.integers(1, 500), st.integers(1, 500), st.integers(0, 500))
def test_reversing_redemptions_under_debt_never_leaves_debt_beside_live_points(
    accrued: int, redeemed: int, extra: int
) -> None:
    redeemed = min(redeemed, accrued)
    ledger = tc.PointsLedger.empty("c", policy=policy_with("allow_negative"))
    ledger = ledger.accrue("a", D(2010, 1, 5), accrued, "consumption")
    ledger, _ = ledger.redeem("r", D(2010, 1, 6), redeemed)
    ledger = ledger.reverse("a", D(2010, 1, 7))
    ledger = ledger.reverse("r", D(2010, 1, 8))
    if extra:
        ledger = ledger.accrue("b", D(2010, 1, 9), extra, "bonus")
    for day in (D(2010, 1, 9), D(2012, 1, 1)):
        assert ledger.balance(day) >= 0 or ledger.lots(day) == ()
        assert ledger.summary(day).balanced
    assert ledger.balance(D(2010, 1, 9)) == extra
    assert ledger.balance(D(2013, 1, 1)) == 0  # everything undone: no debt outlives the lots


def test_reversing_an_accrual_whose_lot_expired_takes_no_valid_points() -> None:
    ledger = tc.PointsLedger.empty("c").accrue("old", D(2010, 1, 5), 100, "consumption")
    ledger = ledger.accrue("new", D(2011, 12, 5), 100, "consumption")
    ledger = ledger.reverse("old", D(2012, 1, 1))
    s = ledger.summary(D(2012, 1, 1))
    assert (s.balance, s.expired, s.reversed, s.unrecovered) == (100, 0, 100, 0)
    assert s.balanced


@given(
    st.integers(1, 1_000), st.integers(0, 1_000), st.integers(0, 1_000),
    st.sampled_from(["claw_back", "allow_negative"]),
)  # fmt: skip
def test_only_the_spent_part_of_an_expired_accrual_is_taken_from_live_points(
    accrued: int, spent: int, later: int, mode: str
) -> None:
    spent = min(spent, accrued)
    ledger = tc.PointsLedger.empty("c", policy=policy_with(mode))
    ledger = ledger.accrue("old", D(2010, 1, 5), accrued, "consumption")
    if spent:
        ledger, _ = ledger.redeem("r", D(2010, 2, 1), spent)
    if later:
        ledger = ledger.accrue("new", D(2011, 12, 5), later, "consumption")
    ledger = ledger.reverse("old", D(2012, 1, 1))
    s = ledger.summary(D(2012, 1, 1))
    clawed = min(spent, later)
    assert s.expired == 0  # what was left of "old" counts as reversed, not also as expired
    if mode == "claw_back":
        assert (s.balance, s.unrecovered) == (later - clawed, spent - clawed)
    else:
        assert (s.balance, s.unrecovered) == (later - spent, 0)
    assert s.balanced


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fen_per_point": 1.5}, "PointsLedger.fen_per_point must be an int, got float 1.5"),
        ({"fen_per_point": 0}, "PointsLedger.fen_per_point must be >= 1, got 0"),
        ({"expire_after_cycles": -1}, "PointsLedger.expire_after_cycles must be >= 0, got -1"),
        ({"reversal_mode": "bogus"}, "PointsLedger.reversal_mode must be one of"),
        ({"customer_id": " "}, "PointsLedger.customer_id must not start or end with whitespace"),
    ],
)
def test_the_constructor_checks_what_empty_would(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(tc.InvalidInput, match=re.escape(message)):
        tc.PointsLedger(**{"customer_id": "c", **kwargs})


def test_history_is_in_posting_order_within_a_day() -> None:
    ledger = tc.PointsLedger.empty("c").accrue("z-bill", D(2010, 3, 1), 100, "consumption")
    ledger, _ = ledger.redeem("a-gift", D(2010, 3, 1), 100)
    assert [(e.posting.ref, e.balance) for e in ledger.history()] == [
        ("z-bill", 100),
        ("a-gift", 0),
    ]


# ---- reversals at their edges: the day a lot expires, repayments and their sign


def _negative() -> tc.PointsLedger:
    return tc.PointsLedger.empty("c", policy=policy_with("allow_negative"))


def test_a_returned_lot_expiring_on_the_reversal_day_still_pays_the_debt() -> None:
    ledger = _negative().accrue("a", D(2010, 1, 5), 100, "consumption")  # lot ends 2011-11-30
    ledger, _ = ledger.redeem("r", D(2011, 11, 1), 100)
    ledger = ledger.reverse("a", D(2011, 11, 2))
    assert ledger.balance(D(2011, 11, 2)) == -100
    ledger = ledger.reverse("r", D(2011, 11, 30))  # the returned lot's last day: it is live
    assert ledger.balance(D(2011, 11, 30)) == 0
    assert ledger.balance(D(2011, 12, 1)) == 0
    late = _negative().accrue("a", D(2010, 1, 5), 100, "consumption")
    late, _ = late.redeem("r", D(2011, 11, 1), 100)
    late = late.reverse("a", D(2011, 11, 2)).reverse("r", D(2011, 12, 1))  # expired: no repayment
    assert late.balance(D(2011, 12, 1)) == -100
    assert late.summary(D(2011, 12, 1)).balanced


def test_a_returned_redemption_repays_across_its_lots_earliest_first() -> None:
    ledger = _negative().accrue("a", D(2010, 1, 5), 60, "consumption")  # ends 2011-11-30
    ledger = ledger.accrue("b", D(2010, 12, 5), 60, "consumption")  # ends 2012-11-30
    ledger, receipt = ledger.redeem("r", D(2011, 1, 1), 120)
    assert [(lot.expires_on, lot.points) for lot in receipt.lots] == [
        (D(2011, 11, 30), 60), (D(2012, 11, 30), 60),
    ]  # fmt: skip
    ledger = ledger.reverse("a", D(2011, 1, 2)).reverse("b", D(2011, 1, 2))
    assert ledger.balance(D(2011, 1, 2)) == -120
    ledger = ledger.accrue("c", D(2011, 1, 3), 30, "bonus")  # repays 30 of the 120
    assert ledger.balance(D(2011, 1, 3)) == -90
    ledger = ledger.reverse("r", D(2011, 1, 4))  # returns 120: 90 repay, 30 stay, in the later lot
    assert [(lot.expires_on, lot.points) for lot in ledger.lots(D(2011, 1, 4))] == [
        (D(2012, 11, 30), 30)
    ]
    assert ledger.balance(D(2011, 1, 4)) == 30
    assert ledger.summary(D(2013, 1, 1)).balanced


def test_reversing_an_accrual_that_repaid_a_debt_brings_the_debt_back() -> None:
    ledger = _negative().accrue("a", D(2010, 1, 5), 100, "consumption")
    ledger, _ = ledger.redeem("r", D(2010, 1, 6), 100)
    ledger = ledger.reverse("a", D(2010, 1, 7))
    ledger = ledger.accrue("b", D(2010, 1, 8), 60, "consumption")  # repays 60
    assert ledger.balance(D(2010, 1, 8)) == -40
    ledger = ledger.reverse("b", D(2010, 1, 9))
    assert ledger.balance(D(2010, 1, 9)) == -100
    s = ledger.summary(D(2010, 1, 9))
    assert (s.reversed, s.unrecovered, s.balanced) == (160, 0, True)


def test_a_refused_reversal_names_the_points_and_what_is_available() -> None:
    ledger = tc.PointsLedger.empty("c9", policy=policy_with("refuse"))
    ledger = ledger.accrue("a", D(2010, 1, 5), 100, "consumption")
    ledger, _ = ledger.redeem("r", D(2010, 1, 6), 70)
    with pytest.raises(tc.InsufficientPoints) as info:
        ledger.reverse("a", D(2010, 1, 7))
    assert (info.value.requested, info.value.available, info.value.customer_id) == (100, 30, "c9")


def test_reversing_an_accrual_that_repaid_a_debt_is_as_if_it_never_happened() -> None:
    base = _negative().accrue("a", D(2010, 1, 5), 100, "consumption")
    base, _ = base.redeem("r", D(2010, 1, 6), 100)
    base = base.reverse("a", D(2010, 1, 7)).accrue("s", D(2010, 1, 7), 60, "bonus")  # debt 40
    with_b = base.accrue("b", D(2010, 1, 8), 100, "consumption")  # repays 40, keeps 60
    with_b = with_b.accrue("c", D(2010, 12, 8), 100, "consumption")  # a later cycle
    undone = with_b.reverse("b", D(2010, 12, 9))
    never = base.accrue("c", D(2010, 12, 8), 100, "consumption")
    for day in (D(2010, 12, 9), D(2011, 12, 1), D(2013, 1, 1)):
        assert undone.balance(day) == never.balance(day), day
        assert undone.lots(day) == never.lots(day), day
        assert undone.summary(day).balanced


def test_a_lot_is_spendable_on_its_last_day_and_not_after() -> None:
    ledger = tc.PointsLedger.empty("c").accrue(
        "a", D(2010, 1, 5), 100, "consumption"
    )  # ends 2011-11-30
    assert ledger.balance(D(2011, 11, 30)) == 100
    _, receipt = ledger.redeem("r", D(2011, 11, 30), 100)
    assert [(lot.expires_on, lot.points) for lot in receipt.lots] == [(D(2011, 11, 30), 100)]
    with pytest.raises(tc.InsufficientPoints):
        ledger.redeem("r", D(2011, 12, 1), 1)


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (float("nan"), r"^on must be a date, got float nan"),
        ("2010-01-05", r"^on must be a date, got str '2010-01-05'"),
        (0, r"^on must be a date, got int 0"),
        (datetime(2010, 1, 5, 9, 0), r"^on must be timezone-aware, got the naive datetime"),
    ],
)
def test_expiry_for_refuses_what_is_not_a_date(on: Any, message: str) -> None:
    ledger = tc.PointsLedger.empty("c1")
    with pytest.raises(tc.InvalidInput, match=message):
        ledger.expiry_for(on)
    assert ledger.expiry_for(date(2010, 1, 5)) == date(2011, 11, 30)


def test_a_redemption_receipt_is_the_value_its_fields_make() -> None:
    """The receipt set through the slots equals, hashes and shows as the one built by
    its constructor, across a lapsed lot and a lot taken in part."""
    ledger = tc.PointsLedger.empty("c1")
    ledger = ledger.accrue("b1", date(2010, 1, 5), 300, "consumption")  # expires 30 Nov 2011
    ledger = ledger.accrue("b2", date(2010, 12, 5), 400, "consumption")  # expires 30 Nov 2012
    ledger = ledger.accrue("b3", date(2011, 12, 5), 500, "consumption")  # expires 30 Nov 2013
    after, receipt = ledger.redeem("r1", date(2012, 1, 2), 600)  # b1 lapsed; b2 all, b3 part
    lots = (tc.Lot(date(2012, 11, 30), 400), tc.Lot(date(2013, 11, 30), 200))
    built = tc.Redemption("r1", date(2012, 1, 2), 600, 1200, lots)
    assert receipt == built and hash(receipt) == hash(built) and repr(receipt) == repr(built)
    assert receipt.to_dict() == built.to_dict()
    assert after.lots(date(2012, 1, 2)) == (tc.Lot(date(2013, 11, 30), 300),)
    assert after.summary(date(2012, 1, 2)).expired == 300
    assert after.redeem("r1", date(2012, 1, 2), 600) == (after, built)  # a retry


def test_a_posting_onto_a_value_whose_end_is_being_appended_copies_it() -> None:
    """An append claims the store's end; a posting onto the same value meanwhile (another
    thread's) branches into a copy instead of appending after it."""
    ledger = tc.PointsLedger.empty("c1").accrue("b1", date(2010, 1, 5), 300, "consumption")
    store = ledger._store
    assert store.claims.pop(len(ledger))  # as an append under way holds it
    other, _ = ledger.redeem("r1", date(2010, 2, 1), 100)
    more = ledger.accrue("b2", date(2010, 2, 1), 50, "credit")
    assert other._store is not store and more._store is not store and len(store.rows) == 1
    assert (other.balance(date(2010, 2, 1)), more.balance(date(2010, 2, 1))) == (200, 350)
    store.claims[len(store.rows)] = True
    assert ledger.accrue("b3", date(2010, 3, 1), 10, "credit")._store is store
