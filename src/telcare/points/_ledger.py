"""The points ledger: an immutable record that never loses a point.

A :class:`PointsLedger` is a customer's postings (accruals, redemptions, transfers,
reversals) and the lots they leave: points grouped by the date they expire.  Points
earned in cycle Y (1 Dec - 30 Nov, labelled by the year it ends in) expire at the end of
cycle Y + ``points.expire_after_cycles``.  Redemptions and transfers spend the
earliest-expiring points first; expired points never count.  Every operation returns a
new ledger and leaves the old one as it was, also when it fails.

Accounting identity, at any date::

    earned - reversed = balance + redeemed + expired + transferred_out - transferred_in

where ``reversed`` is what reversals of accruals took back (a reversal of a
redemption simply lowers ``redeemed``).

With ``points.pending_days`` an accrual's points wait that many days before they can be
redeemed or transferred (:meth:`~PointsLedger.pending`, :meth:`~PointsLedger.spendable`);
a reversal can undo part of a posting (``reverse(ref, on, points=k)``).  A day is a
``date`` or an aware ``datetime``, read as its calendar day in the policy's time zone,
as the points book reads it.

Postings must come in date order; those of one day are kept in the order they were
made, so ``history()`` shows the balances the customer had (ledgers that differ only
in that order are equal).  Posting a reference again with the same content is a
no-op; with other content it is :class:`~telcare._core.errors.DuplicatePosting`.

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

from datetime import date
from typing import Any, Literal

import attrs

from telcare._core.checks import integer, one_of, text
from telcare._core.dates import zone
from telcare._core.errors import DuplicatePosting, InsufficientPoints, InvalidInput
from telcare._core.limits import MAX_DATE, MAX_DAYS, MAX_FEN_PER_POINT, MAX_POINTS, MIN_DATE
from telcare.points._append import post_accrual, post_redemption
from telcare.points._lots import take_earliest
from telcare.points._pending import pending_on, spendable_lots
from telcare.points._persist import LedgerPersistence
from telcare.points._postings import (
    SOURCES,
    Lots,
    Redemption,
    history_html,
    history_text,
    receipt,
)
from telcare.points._queries import check_points, check_ref
from telcare.points._reversal import reverse_posting
from telcare.points._store import EMPTY, Entry, Request, Settings, State, Store, flat, make_row
from telcare.points._terms import Rules, expiry, terms_of
from telcare.points._transfer import receive_row, transfer_points
from telcare.policy import Policy, PolicySchedule, as_policy

__all__ = ["PointsLedger"]

_SOURCES = frozenset(SOURCES)  # a source is looked up by hash

ReversalMode = Literal["claw_back", "allow_negative", "refuse"]
REVERSAL_MODES: tuple[ReversalMode, ...] = ("claw_back", "allow_negative", "refuse")


def _source(source: object) -> str:
    """``source`` as the one of :data:`SOURCES` it equals (a ``str`` subclass becomes a ``str``)."""
    if isinstance(source, str) and source in SOURCES:
        return SOURCES[SOURCES.index(source)]
    raise InvalidInput(f"unknown points source {source!r}; expected one of {list(SOURCES)}")


@attrs.frozen(slots=True, eq=False, init=False)
class PointsLedger(LedgerPersistence):
    """One customer's points: immutable; every operation returns a new ledger.

    A ledger value is a length over storage it shares with the ledgers it was
    derived from and the ones derived from it (``_store.py``): a posting appends
    one entry (the posting and the state right after it) and makes a value one
    longer, so it costs the same at the 10,000th posting as at the first, and an
    older value still reads only its own postings.  A balance, the lots or the
    summary on a date is a binary search over the postings' dates.  Deriving
    twice from one value copies that value's postings once (it is a branch).
    """

    _store: Store
    _length: int

    def __init__(
        self,
        customer_id: str,
        expire_after_cycles: int = 1,
        fen_per_point: int = 2,
        reversal_mode: ReversalMode = "claw_back",
        pending_days: int = 0,
        timezone: str = "Asia/Shanghai",
    ) -> None:
        zone(timezone)  # refuses anything but a known zone name, by name
        settings = Settings(
            str(text(customer_id, "PointsLedger.customer_id")),
            integer(expire_after_cycles, "PointsLedger.expire_after_cycles", maximum=100),
            integer(
                fen_per_point, "PointsLedger.fen_per_point", minimum=1, maximum=MAX_FEN_PER_POINT
            ),
            str(one_of(reversal_mode, "PointsLedger.reversal_mode", options=REVERSAL_MODES)),
            integer(pending_days, "PointsLedger.pending_days", maximum=MAX_DAYS),
            str(timezone),
        )
        self.__attrs_init__(Store(settings), 0)

    @classmethod
    def empty(
        cls, customer_id: str, *, policy: Policy | PolicySchedule | None = None
    ) -> PointsLedger:
        """A ledger with no postings, following ``policy``'s expiry, value, reversal and
        pending rules and reading aware datetimes in its time zone.

        With a :class:`~telcare.PolicySchedule` each posting follows the policy in force
        on its own day (``docs/points.md``, "Points under a schedule"); a posting before
        the schedule's first day is refused."""
        text(customer_id, "customer_id")
        if isinstance(policy, PolicySchedule):
            ledger = cls(customer_id, *terms_of(policy.policies[0]))  # type: ignore[arg-type]
            ledger._store.rules = Rules(policy)  # a fresh store, which no other value shares
            return ledger
        return cls(customer_id, *terms_of(as_policy(policy)))  # type: ignore[arg-type]

    # ------------------------------------------------------------ equality

    def _key(self) -> tuple[object, ...]:
        # Postings made on one day in another order give the same ledger (the same
        # lots, balances and summary); only the history's running balances differ.
        # The lots and the debt are the sums of the postings' effects.
        rows = tuple(sorted(self._rows(), key=lambda r: (r[2], r[0])))
        return (*self._store.settings, self.schedule, rows)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PointsLedger):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __len__(self) -> int:
        return self._length

    def __repr__(self) -> str:
        last = self._store.dates[self._length - 1].isoformat() if self._length else "-"
        return f"PointsLedger({self.customer_id!r}, postings={self._length}, last={last})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle (and deepcopy) this value's own postings, not the shared storage.
        settings = (*self._store.settings, self.schedule)
        return _restore, (type(self), settings, tuple(self._rows()))

    def _repr_html_(self) -> str:
        """The last postings with the balance after each, for Jupyter."""
        return history_html(self.history(), self.customer_id, self.fen_per_point)

    def __str__(self) -> str:
        return history_text(self.history(), self.customer_id, self.fen_per_point)

    # ------------------------------------------------------------ internals

    def expiry_for(self, on: date) -> date:
        """When points earned on ``on`` expire: 30 Nov of the cycle ``expire_after_cycles`` later."""
        day = self._day(on, "on")
        return expiry(day, self._terms(day).expire_after_cycles)

    def _spend(self, ref: str, request: Request) -> Entry:
        """The posting of ``request`` with the lots it takes, earliest expiry first, or
        ``InsufficientPoints``; pending points are not taken."""
        _, on, points, *_ = request
        self._check_order(on)
        state = self._head()
        available = sum(p for e, p in state.live if e >= on) - state.debt
        held = pending_on(state.pending, on) if state.pending else 0
        if points > available - held:
            error = InsufficientPoints(points, max(0, available - held), self.customer_id)
            if held:
                error.add_note(self._pending_note(state.pending, on))
            raise error
        lots = spendable_lots(state.live, state.pending, on) if held else state.live
        changes, _ = take_earliest(lots, on, points)
        return make_row(ref, request, changes, 0, 0)

    def _ready(self, ref: str, request: Request) -> State | None:
        """The state ``request`` is posted onto as ``ref``; None when ``ref`` holds this
        very request already (a retry, a no-op).  Raises when ``ref`` holds another
        request or when the date is before the last posting's."""
        if self._existing(ref, request) is not None:
            return None
        store, n = self._store, self._length
        if n and request[1] < store.dates[n - 1]:
            self._check_order(request[1])
        return store.state(n)

    def _existing(self, ref: str, request: Request) -> Entry | None:
        """The stored posting under this ref if it is the same request; raise if it differs."""
        index = self._store.refs.get(ref)
        if index is None or index >= self._length:
            return None
        if (old := self._store.rows[index])[1:7] != request:
            raise DuplicatePosting(ref, old[1:7], request)
        return old

    def _check_order(self, on: date) -> None:
        if self._length and on < (last := self._store.dates[self._length - 1]):
            raise InvalidInput(
                f"postings must come in date order: {on} is before the last posting on {last} "
                f"for customer {self.customer_id!r}"
            )

    def _check_inflow(self, points: int) -> None:
        state = self._head()
        total = state.earned + state.received + points
        if total > MAX_POINTS:
            raise InvalidInput(
                f"points: {points:,} more would bring the points customer {self.customer_id!r} "
                f"earned and received to {total:,}, beyond {MAX_POINTS:,}"
            )

    def _with(self, row: Entry) -> PointsLedger:
        """This ledger one posting longer (postings are always appended: date order,
        and posting order within a day, so the history shows the balances the
        customer really had)."""
        return self._grown(self._store.append(self._length, row))

    def _grown(self, store: Store) -> PointsLedger:
        """The value one posting longer than this one, over ``store``."""
        new = _blank(type(self))
        _set_store(new, store)
        _set_length(new, self._length + 1)
        return new

    def _receive(self, ref: str, request: Request, credit: Lots) -> Entry:
        """The transfer-in posting of ``credit`` (the sender's lots)."""
        return receive_row(self, ref, request, credit)

    # ------------------------------------------------------------ operations

    def accrue(self, ref: str, on: date, points: int, source: str) -> PointsLedger:
        """Credit ``points`` earned on ``on`` from ``source`` (one of :data:`SOURCES`).

        Under ``allow_negative`` a negative balance is paid off first.
        """
        # The common case is checked in line (a plain str, a date in range, an int in
        # bounds, a known source); anything else goes through the general check, which
        # accepts or refuses it as before.  The order of the checks is the refusals' order.
        if type(ref) is not str or not ref or ref.strip() != ref:
            ref = check_ref(ref)
        store, n = self._store, self._length
        if type(on) is not date or not MIN_DATE <= on <= MAX_DATE:
            on = self._day(on, "on")  # a plain date is the same day under any policy
        if type(points) is not int or not 1 <= points <= MAX_POINTS:
            points = check_points(points)
        if type(source) is not str or source not in _SOURCES:
            source = _source(source)
        grown = post_accrual(store, n, ref, on, points, source)
        if grown is None:  # a retry, a duplicate, out of order or over the limit
            return self._accrue_generally(ref, on, points, source)
        new = _blank(type(self))  # self._grown(...), written out on the hot path
        _set_store(new, grown)
        _set_length(new, n + 1)
        return new

    def _accrue_generally(self, ref: str, on: date, points: int, source: str) -> PointsLedger:
        """:meth:`accrue` of checked arguments the one-step append declined: a retry (a
        no-op), a ``DuplicatePosting``, a date out of order or too many points (refused
        in that order), posted through the general append otherwise."""
        request: Request = ("accrue", on, points, source, None, None)
        if self._ready(ref, request) is None:
            return self
        self._check_inflow(points)
        repay = min(points, self._head().debt)
        lots: Lots = ((self._store.expiry_on(on), points - repay),) if points > repay else ()
        return self._with(make_row(ref, request, lots, -repay, 0))

    def redeem(self, ref: str, on: date, points: int) -> tuple[PointsLedger, Redemption]:
        """Spend ``points`` on ``on``, earliest-expiring first.

        Raises :class:`~telcare._core.errors.InsufficientPoints` (ledger unchanged)
        when the balance on ``on`` is short.
        """
        if type(ref) is not str or not ref or ref.strip() != ref:
            ref = check_ref(ref)  # the common case is checked in line, as in accrue
        if type(on) is not date or not MIN_DATE <= on <= MAX_DATE:
            on = self._day(on, "on")
        if type(points) is not int or not 1 <= points <= MAX_POINTS:
            points = check_points(points)
        store, n = self._store, self._length
        rules = store.rules  # a day before a schedule's first is refused, by name
        fen = store.terms.fen_per_point if rules is None else rules.on(on).fen_per_point
        request: Request = ("redeem", on, points, None, None, None)
        index = store.refs.get(ref)
        state = store.states[n - 1] if n else EMPTY
        old: Entry | None
        if index is not None and index < n:  # a retry (a no-op) or a DuplicatePosting
            old = self._existing(ref, request)
            assert old is not None
            ledger: PointsLedger = self
        elif (
            state[9]  # pending points
            or (n and on < store.dates[n - 1])  # out of date order: refused
            or not (posted := post_redemption(store, n, ref, on, points, state))  # short
        ):
            old = self._spend(ref, request)  # the general way: pending points, or refused
            ledger = self._with(old)
        else:
            grown, old = posted
            ledger = _blank(type(self))  # self._with(old), written out on the hot path
            _set_store(ledger, grown)
            _set_length(ledger, n + 1)
        return ledger, receipt(ref, on, points, points * fen, old[7])

    def transfer(
        self, ref: str, on: date, points: int, to: PointsLedger
    ) -> tuple[PointsLedger, PointsLedger]:
        """Move ``points`` to another customer's ledger in one step.

        The receiver's lots keep the sender's expiry dates, so a transfer
        cannot extend the life of points.  Returns ``(sender, receiver)``.
        """
        return transfer_points(PointsLedger, self, ref, on, points, to)

    def reverse(
        self, ref: str, on: date, points: int | None = None, *, adjustment: str | None = None
    ) -> PointsLedger:
        """Undo ``points`` of the accrual or redemption posted as ``ref`` (all that is left
        of it when omitted), by a new posting on ``on``.

        The reversal is posted under ``adjustment``, by default ``ref + "#reversal"``;
        like every posting it is idempotent by that reference: the same call again is a
        no-op, so a retried partial reversal never undoes twice.  A second partial
        reversal of one posting therefore needs its own ``adjustment`` (a credit note's
        number, say); ``docs/points.md`` gives the reasoning.  ``points`` is 1 up to what
        earlier reversals left of the posting.

        Reversing a redemption puts the points back into the lots they came from, the
        last taken first (points whose date has passed count as expired); under
        ``allow_negative`` the live ones pay a negative balance off first, as an accrual
        would.  Reversing an accrual takes back from the lot of its cycle first, live or
        expired (an expired part stops counting as expired and counts as reversed; it
        does not touch the balance), its own pending points before any other, and the
        part that was spent from the other live lots, earliest expiry first.  What
        happens when those do not hold it follows ``points.reversal``: ``claw_back``
        takes what the balance holds and records the rest as ``unrecovered``;
        ``allow_negative`` takes it all and lets the balance go negative; ``refuse``
        raises :class:`~telcare._core.errors.InsufficientPoints` and changes nothing.

        >>> from datetime import date
        >>> import telcare as tc
        >>> ledger = tc.PointsLedger.empty("c1").accrue("b1", date(2010, 1, 5), 300, "consumption")
        >>> ledger = ledger.reverse("b1", date(2010, 2, 1), points=100)
        >>> ledger.reverse("b1", date(2010, 2, 1), points=100) == ledger   # a retry
        True
        >>> ledger = ledger.reverse("b1", date(2010, 3, 1), points=50, adjustment="cn-2")
        >>> ledger.balance(date(2010, 3, 1)), ledger.reverse("b1", date(2010, 4, 1), adjustment="cn-3").balance(date(2010, 4, 1))
        (150, 0)
        """
        return reverse_posting(self, ref, on, points, adjustment)


_blank = object.__new__


#: The slots' setters: a new value is built without attrs' frozen ``__setattr__``.
_set_store = vars(PointsLedger)["_store"].__set__
_set_length = vars(PointsLedger)["_length"].__set__


def _restore(
    cls: type[PointsLedger], settings: tuple[Any, ...], rows: tuple[Entry, ...]
) -> PointsLedger:
    """The ledger a pickle holds: its settings, schedule and postings, already checked once."""
    fields, schedule = settings[:6], settings[6] if len(settings) > 6 else None
    ledger = cls(*fields) if schedule is None else cls.empty(fields[0], policy=schedule)
    for row in rows:
        if row[7] and isinstance(row[7][0], tuple):  # an earlier telcare's pickle: pairs
            row = (*row[:7], flat(row[7]), *row[8:])
        ledger = ledger._with(tuple(row))  # type: ignore[arg-type]
    return ledger
