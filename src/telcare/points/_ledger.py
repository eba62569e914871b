"""The points ledger: an immutable record that never loses a point.

A :class:`PointsLedger` is a customer's postings (accruals, redemptions,
transfers, reversals) and the lots they leave: points grouped by the date
they expire.  Points earned in cycle Y (1 Dec - 30 Nov, labelled by the year
it ends in) expire at the end of cycle Y + ``points.expire_after_cycles``.
Redemptions and transfers spend the earliest-expiring points first; expired
points never count.  Every operation returns a new ledger and leaves the old
one as it was, also when it fails.

Accounting identity, at any date::

    earned - reversed = balance + redeemed + expired + transferred_out - transferred_in

where ``reversed`` is what reversals of accruals took back (a reversal of a
redemption simply lowers ``redeemed``).

Postings must come in date order; within a day the order of submission does
not matter (the ledger keeps them sorted by date, then reference).  Posting a
reference again with the same content is a no-op; with other content it is
:class:`~telcare._core.errors.DuplicatePosting`.

>>> from datetime import date
>>> import telcare as tc
>>> ledger = tc.PointsLedger.empty("13800000001")
>>> ledger = ledger.accrue("bill-2010-01", date(2010, 1, 31), 1200, "consumption")
>>> ledger, redemption = ledger.redeem("order-77", date(2010, 3, 2), 500)
>>> ledger.balance(date(2010, 3, 2)), redemption.value
(700, 1000)
>>> ledger.balance(date(2011, 12, 1))    # earned in cycle 2010, gone after 30 Nov 2011
0
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Literal

import attrs

from telcare._core.checks import field, instance, integer, one_of, plain_date, text
from telcare._core.dates import points_cycle
from telcare._core.errors import DuplicatePosting, InsufficientPoints, InvalidInput
from telcare._core.frozen import FrozenDict
from telcare._core.limits import MAX_DAYS, MAX_POINTS
from telcare.points._lots import merge, reverse_accrual, reverse_redemption, take_earliest
from telcare.points._postings import (
    SOURCES,
    HistoryEntry,
    LedgerSummary,
    Lot,
    Lots,
    Posting,
    Redemption,
    history_html,
)
from telcare.policy import Policy, as_policy

__all__ = ["PointsLedger"]

ReversalMode = Literal["claw_back", "allow_negative", "refuse"]
REVERSAL_MODES: tuple[ReversalMode, ...] = ("claw_back", "allow_negative", "refuse")


def _check_ref(ref: object) -> str:
    return text(ref, "ref")


def _check_points(points: object) -> int:
    return integer(points, "points", minimum=1, maximum=MAX_POINTS)


@attrs.frozen(slots=True, eq=False)
class PointsLedger:
    """One customer's points: immutable; every operation returns a new ledger."""

    customer_id: str = attrs.field(validator=field(text))
    expire_after_cycles: int = attrs.field(default=1, validator=field(integer, maximum=100))
    fen_per_point: int = attrs.field(default=2, validator=field(integer, minimum=1, maximum=10_000))
    reversal_mode: ReversalMode = attrs.field(
        default="claw_back", validator=field(one_of, options=REVERSAL_MODES)
    )
    _postings: tuple[Posting, ...] = ()
    _by_ref: Mapping[str, Posting] = attrs.field(factory=FrozenDict)
    _lots: Lots = ()
    _debt: int = 0

    @classmethod
    def empty(cls, customer_id: str, *, policy: Policy | None = None) -> PointsLedger:
        """A ledger with no postings, following ``policy``'s expiry, value and reversal rules."""
        text(customer_id, "customer_id")
        pts = as_policy(policy).points
        return cls(customer_id, pts.expire_after_cycles, pts.fen_per_point, pts.reversal)

    # ------------------------------------------------------------ equality

    def _key(self) -> tuple[object, ...]:
        return (
            self.customer_id,
            self.expire_after_cycles,
            self.fen_per_point,
            self.reversal_mode,
            # Postings made on one day in another order give the same ledger (the same
            # lots, balances and summary); only the history's running balances differ.
            tuple(sorted(self._postings, key=lambda p: (p.on, p.ref))),
            self._lots,
            self._debt,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PointsLedger):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __len__(self) -> int:
        return len(self._postings)

    def __repr__(self) -> str:
        last = self._postings[-1].on.isoformat() if self._postings else "-"
        return f"PointsLedger({self.customer_id!r}, postings={len(self._postings)}, last={last})"

    def to_dict(self) -> dict[str, object]:
        """The ledger's settings and every posting, as JSON-ready values."""
        return {
            "customer_id": self.customer_id, "expire_after_cycles": self.expire_after_cycles,
            "fen_per_point": self.fen_per_point, "reversal_mode": self.reversal_mode,
            "postings": [e.posting.to_dict() | {"balance": e.balance} for e in self.history()],
        }  # fmt: skip

    def _repr_html_(self) -> str:
        """The last postings with the balance after each, for Jupyter."""
        return history_html(self.history(), self.customer_id, self.fen_per_point)

    # ------------------------------------------------------------ internals

    def expiry_for(self, on: date) -> date:
        """When points earned on ``on`` expire: 30 Nov of the cycle ``expire_after_cycles`` later."""
        return points_cycle(on).shifted(self.expire_after_cycles).end

    def _last_date(self) -> date | None:
        return self._postings[-1].on if self._postings else None

    def _spend(self, request: Posting) -> Posting:
        """``request`` with the lots it takes, earliest expiry first, or ``InsufficientPoints``."""
        self._check_order(request.on)
        available = self._spendable(request.on)
        if request.points > available:
            raise InsufficientPoints(request.points, max(0, available), self.customer_id)
        changes, _ = take_earliest(self._lots, request.on, request.points)
        return attrs.evolve(request, lots=changes)

    def _existing(self, posting: Posting) -> Posting | None:
        """The posting already under this ref if it is the same request; raise if it differs."""
        old = self._by_ref.get(posting.ref)
        if old is None:
            return None
        if old.request() != posting.request():
            raise DuplicatePosting(posting.ref, old.request(), posting.request())
        return old

    def _check_order(self, on: date) -> None:
        last = self._last_date()
        if last is not None and on < last:
            raise InvalidInput(
                f"postings must come in date order: {on} is before the last posting on {last} "
                f"for customer {self.customer_id!r}"
            )

    def _spendable(self, on: date) -> int:
        return sum(p for e, p in self._lots if e >= on) - self._debt

    def _with(self, posting: Posting) -> PointsLedger:
        postings = list(self._postings)
        # Date order, and posting order within a day (insort puts it after its equals),
        # so the history shows the balances the customer really had.
        bisect.insort(postings, posting, key=lambda p: p.on)
        return attrs.evolve(
            self,
            postings=tuple(postings),
            by_ref=FrozenDict({**self._by_ref, posting.ref: posting}),
            lots=merge(self._lots, posting.lots),
            debt=self._debt + posting.debt,
        )

    # ------------------------------------------------------------ operations

    def accrue(self, ref: str, on: date, points: int, source: str) -> PointsLedger:
        """Credit ``points`` earned on ``on`` from ``source`` (one of :data:`SOURCES`).

        Under ``allow_negative`` a negative balance is paid off first.
        """
        _check_ref(ref)
        plain_date(on, "on")
        _check_points(points)
        if source not in SOURCES:
            raise InvalidInput(f"unknown points source {source!r}; expected one of {list(SOURCES)}")
        request = Posting(ref, "accrue", on, points, source=source)
        if self._existing(request) is not None:
            return self
        self._check_order(on)
        repay = min(points, self._debt)
        lots = ((self.expiry_for(on), points - repay),) if points > repay else ()
        return self._with(attrs.evolve(request, lots=lots, debt=-repay))

    def redeem(self, ref: str, on: date, points: int) -> tuple[PointsLedger, Redemption]:
        """Spend ``points`` on ``on``, earliest-expiring first.

        Raises :class:`~telcare._core.errors.InsufficientPoints` (ledger unchanged)
        when the balance on ``on`` is short.
        """
        _check_ref(ref)
        plain_date(on, "on")
        _check_points(points)
        request = Posting(ref, "redeem", on, points)
        old = self._existing(request)
        if old is None:
            old = self._spend(request)
            ledger = self._with(old)
        else:
            ledger = self
        receipt = Redemption(
            ref,
            on,
            points,
            points * self.fen_per_point,
            tuple(Lot(e, -d) for e, d in old.lots),
        )
        return ledger, receipt

    def transfer(
        self, ref: str, on: date, points: int, to: PointsLedger
    ) -> tuple[PointsLedger, PointsLedger]:
        """Move ``points`` to another customer's ledger in one step.

        The receiver's lots keep the sender's expiry dates, so a transfer
        cannot extend the life of points.  Returns ``(sender, receiver)``.
        """
        _check_ref(ref)
        plain_date(on, "on")
        _check_points(points)
        to = instance(to, PointsLedger, "to must be a PointsLedger, got {got}")
        if to.customer_id == self.customer_id:
            raise InvalidInput(
                f"cannot transfer points from customer {self.customer_id!r} to itself"
            )
        out_request = Posting(ref, "transfer_out", on, points, counterparty=to.customer_id)
        in_request = Posting(ref, "transfer_in", on, points, counterparty=self.customer_id)
        sent = self._existing(out_request)
        received = to._existing(in_request)
        sender = self
        if sent is None:
            sent = self._spend(out_request)
            if received is None:
                to._check_order(on)
            sender = self._with(sent)
        if received is not None:
            return sender, to
        to._check_order(on)
        credit: Lots = tuple((e, -d) for e, d in sent.lots)
        repay = min(points, to._debt)
        if repay:  # pay the receiver's negative balance off first, from the earliest lots
            paid, _ = take_earliest(credit, date.min, repay)
            credit = merge(credit, paid)
        return sender, to._with(attrs.evolve(in_request, lots=credit, debt=-repay))

    def reverse(self, ref: str, on: date) -> PointsLedger:
        """Undo the accrual or redemption posted as ``ref``, by a new posting on ``on``.

        The reversal is posted under ``ref + "#reversal"`` (``docs/points.md``
        gives the reasoning).  Reversing a redemption puts the points back into
        the lots they came from (points whose date has passed count as
        expired); under ``allow_negative`` the live ones pay a negative balance
        off first, as an accrual would.  Reversing an accrual takes back what is
        left of it in its own lot, live or expired (an expired part stops
        counting as expired and counts as reversed; it does not touch the
        balance), and the part that was spent (including any that paid a negative
        balance off) from the other live lots, earliest expiry first.  What happens when those do not hold it follows
        ``points.reversal``: ``claw_back`` takes what the balance holds and
        records the rest as ``unrecovered``; ``allow_negative`` takes it all and
        lets the balance go negative; ``refuse`` raises
        :class:`~telcare._core.errors.InsufficientPoints` and changes nothing.
        """
        _check_ref(ref)
        plain_date(on, "on")
        original = self._by_ref.get(ref)
        if original is None:
            raise InvalidInput(f"no posting {ref!r} to reverse for customer {self.customer_id!r}")
        if original.kind not in ("accrue", "redeem"):
            raise InvalidInput(
                f"{ref!r} is a {original.kind}; only accruals and redemptions are reversed "
                "(undo a transfer with a transfer back)"
            )
        request = Posting(f"{ref}#reversal", "reverse", on, original.points, original=ref)
        if self._existing(request) is not None:
            return self
        self._check_order(on)
        if original.kind == "redeem":
            return self._with(reverse_redemption(self._lots, self._debt, request, original))
        changes, short = reverse_accrual(self._lots, request, original)
        if short and self.reversal_mode == "refuse":
            raise InsufficientPoints(original.points, max(0, self._spendable(on)), self.customer_id)
        if self.reversal_mode == "allow_negative":
            return self._with(attrs.evolve(request, lots=changes, debt=short))
        return self._with(attrs.evolve(request, lots=changes, unrecovered=short))

    # ------------------------------------------------------------ queries

    def _state(self, as_of: date) -> tuple[Lots, int, tuple[Posting, ...]]:
        last = self._last_date()
        if last is None or as_of >= last:
            return self._lots, self._debt, self._postings
        upto = self._postings[: bisect.bisect_right(self._postings, as_of, key=lambda p: p.on)]
        lots: Lots = ()
        for p in upto:
            lots = merge(lots, p.lots)
        return lots, sum(p.debt for p in upto), upto

    def balance(self, as_of: date) -> int:
        """Points that can be spent on ``as_of`` (negative only under ``allow_negative``).

        For dates on or after the last posting this reads the kept lots; only a
        look into the past replays the postings up to that date.
        """
        plain_date(as_of, "as_of")
        lots, debt, _ = self._state(as_of)
        return sum(p for e, p in lots if e >= as_of) - debt

    def lots(self, as_of: date) -> tuple[Lot, ...]:
        """The live lots on ``as_of``, earliest expiry first."""
        plain_date(as_of, "as_of")
        lots, _, _ = self._state(as_of)
        return tuple(Lot(e, p) for e, p in lots if e >= as_of and p > 0)

    def expiring(self, as_of: date, within_days: int) -> tuple[Lot, ...]:
        """Live lots that expire within ``within_days`` days of ``as_of`` (inclusive).

        This is what the points-expiry reminder of the key moments tells the customer.
        """
        plain_date(as_of, "as_of")
        within_days = integer(within_days, "within_days", maximum=MAX_DAYS)
        horizon = as_of + timedelta(days=within_days)
        return tuple(lot for lot in self.lots(as_of) if lot.expires_on <= horizon)

    def summary(self, as_of: date) -> LedgerSummary:
        """Every term of the accounting identity on ``as_of``."""
        plain_date(as_of, "as_of")
        lots, debt, postings = self._state(as_of)
        totals = dict.fromkeys(("accrue", "redeem", "transfer_out", "transfer_in"), 0)
        reversed_accruals = unrecovered = 0
        for p in postings:
            if p.kind == "reverse":
                if self._by_ref[p.original or ""].kind == "redeem":
                    totals["redeem"] -= p.points
                else:
                    reversed_accruals += p.points - p.unrecovered
                    unrecovered += p.unrecovered
            else:
                totals[p.kind] += p.points
        return LedgerSummary(
            as_of=as_of,
            earned=totals["accrue"],
            reversed=reversed_accruals,
            balance=sum(p for e, p in lots if e >= as_of) - debt,
            redeemed=totals["redeem"],
            expired=sum(p for e, p in lots if e < as_of),
            transferred_out=totals["transfer_out"],
            transferred_in=totals["transfer_in"],
            unrecovered=unrecovered,
        )

    def history(self) -> tuple[HistoryEntry, ...]:
        """Every posting, in date order and posting order within a day, each with the
        balance right after it."""
        entries: list[HistoryEntry] = []
        lots: Lots = ()
        debt = 0
        for p in self._postings:
            lots = merge(lots, p.lots)
            debt += p.debt
            entries.append(HistoryEntry(p, sum(x for e, x in lots if e >= p.on) - debt))
        return tuple(entries)

    def posting(self, ref: str) -> Posting:
        """The posting recorded under ``ref`` (``InvalidInput`` if there is none)."""
        try:
            return self._by_ref[ref]
        except KeyError:
            raise InvalidInput(f"no posting {ref!r} for customer {self.customer_id!r}") from None
