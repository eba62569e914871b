"""What a points ledger answers: balances, lots, pending and spendable points, the
summary and the history on any date, each a binary search over the postings' dates and
a look at a few lots.

A day is read as the points book reads it (:func:`~telcare._core.label_checks.local_day`,
the one rule): a ``date``, or an aware ``datetime`` read as its calendar day in the
ledger's time zone (the policy's); a naive ``datetime`` is refused.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from telcare._core.checks import integer, text
from telcare._core.errors import InvalidInput
from telcare._core.label_checks import local_day
from telcare._core.limits import MAX_DATE, MAX_DAYS, MAX_POINTS, MIN_DATE
from telcare.points._pending import Pending, next_release, pending_on
from telcare.points._postings import HistoryEntry, LedgerSummary, Lot, Posting
from telcare.points._store import EMPTY, Entry, State, Store, Tally, held_on, pairs, state_view
from telcare.points._terms import Rules, Terms

if TYPE_CHECKING:
    from telcare.policy import PolicySchedule

__all__ = ["LedgerQueries", "check_date", "check_points", "check_ref"]


def check_ref(ref: object, name: str = "ref") -> str:
    checked = text(ref, name)
    return checked if type(checked) is str else str(checked)  # numpy's str_ becomes a str


def check_points(points: object) -> int:
    if type(points) is int and 1 <= points <= MAX_POINTS:
        return points  # the common case, without the general check's cost
    return integer(points, "points", minimum=1, maximum=MAX_POINTS)


def check_date(on: object, name: str, tz: str) -> date:
    """``on`` as a day: a ``date``, or an aware ``datetime``'s day in ``tz``."""
    if type(on) is date and MIN_DATE <= on <= MAX_DATE:
        return on  # the common case, without the general check's cost
    return local_day(on, name, tz)


def _held_waits(store: Store, n: int, rules: Rules, pending: Pending, on: date) -> set[int]:
    """The ``pending_days`` of the accruals among the first ``n`` postings whose points
    ``pending`` still holds back on ``on``: each an accrual of the last pending period,
    released on its day plus its day's wait into its lot, not wholly reversed."""
    entries = {(r, (e,)) for r, e, p in pending if r > on and e >= on and p > 0}
    gaps = [timedelta(days=t.pending_days) for t in rules.terms]
    earliest = min(r for r, _ in entries) - max(gaps)
    waits: set[int] = set()
    k = len(gaps) - 1
    for i in range(n - 1, -1, -1):  # the latest first
        row = store.rows[i]
        day = row[2]
        if day < earliest:
            break
        if row[1] != "accrue":
            continue
        while rules.starts[k] > day:  # the policy in force on the day (no posting comes
            k -= 1  # before the schedule's first day)
        if (day + gaps[k], row[7][:1]) in entries and store.reversed_of(row[0], n) < row[3]:
            waits.add(rules.terms[k].pending_days)
    return waits


class LedgerQueries:
    """The queries of :class:`~telcare.PointsLedger`, over its ``(store, length)``."""

    __slots__ = ()
    _store: Store
    _length: int

    @property
    def customer_id(self) -> str:
        """The customer whose points these are."""
        return self._store.settings.customer_id

    @property
    def schedule(self) -> PolicySchedule | None:
        """The :class:`~telcare.PolicySchedule` the ledger follows, if it was made with one."""
        rules = self._store.rules
        return None if rules is None else rules.schedule

    @property
    def expire_after_cycles(self) -> int:
        """Points earned in cycle Y expire at the end of cycle Y + this.

        Under a schedule this and the figures below are those of the policy in force on
        the last posting's day (the first policy's before any); each posting follows the
        policy in force on its own day."""
        return self._now().expire_after_cycles

    @property
    def fen_per_point(self) -> int:
        """What a point is worth when redeemed, in fen."""
        return self._now().fen_per_point

    @property
    def reversal_mode(self) -> str:
        """What reversing spent points does: ``claw_back``, ``allow_negative`` or ``refuse``."""
        return self._now().reversal_mode

    @property
    def pending_days(self) -> int:
        """Days an accrual's points wait before they can be spent (``points.pending_days``)."""
        return self._now().pending_days

    @property
    def timezone(self) -> str:
        """The zone an aware ``datetime`` is read in (its calendar day there is the day)."""
        return self._now().timezone

    def _now(self) -> Terms:
        rules = self._store.rules
        if rules is None:
            return self._store.terms
        n = self._length
        return rules.on(self._store.dates[n - 1] if n else rules.starts[0])

    def _terms(self, on: date) -> Terms:
        """The rules a posting on ``on`` follows (a schedule's policy in force then)."""
        rules = self._store.rules
        return self._store.terms if rules is None else rules.on(on)

    def _day(self, value: object, name: str) -> date:
        rules = self._store.rules
        if rules is None:
            return check_date(value, name, self._store.settings.timezone)
        return rules.day(value, name)

    def _pending_note(self, pending: Pending, on: date) -> str:
        """The note of a refusal on ``on`` that ``pending`` held points back: how many, the
        wait they are under (the ``pending_days`` of the accruals that credited them,
        under a schedule each one's day's) and the first day some are released."""
        rules = self._store.rules
        waits = (
            {self._store.settings.pending_days}
            if rules is None
            else _held_waits(self._store, self._length, rules, pending, on)
        )
        shown = " and ".join(str(w) for w in sorted(waits))
        return (
            f"{pending_on(pending, on):,} more points are pending (points.pending_days"
            f"{' = ' if shown else ''}{shown}); the first are released on "
            f"{next_release(pending, on)}"
        )

    def _settings(self) -> dict[str, Any]:
        return self._store.settings._asdict()

    def _rows(self) -> list[Entry]:
        return self._store.rows[: self._length]

    def _head(self) -> State:
        """The state after the last posting (its named view)."""
        return self._store.state(self._length)

    def _state(self, as_of: date) -> Tally:
        """The state after the last posting on or before ``as_of``: a binary search."""
        n = self._length
        store = self._store
        if not n:
            return EMPTY
        if as_of >= store.dates[n - 1]:
            return store.states[n - 1]
        i = bisect_right(store.dates, as_of, 0, n)
        return store.states[i - 1] if i else EMPTY

    def balance(self, as_of: date) -> int:
        """Points that can be spent on ``as_of`` (negative only under ``allow_negative``).

        Any date, past or future, costs a binary search over the postings' dates.
        """
        day = self._day(as_of, "as_of")
        state = self._state(day)
        return held_on(state[0], day) - state[2]

    def pending(self, as_of: date) -> int:
        """Points in the balance on ``as_of`` that cannot be redeemed or transferred yet
        (``points.pending_days``): accruals' points not released by that day.

        >>> from datetime import date
        >>> import telcare as tc
        >>> policy = tc.Policy.model_validate({"points": {"pending_days": 10}})
        >>> ledger = tc.PointsLedger.empty("c1", policy=policy)
        >>> ledger = ledger.accrue("b1", date(2010, 1, 31), 300, "consumption")
        >>> ledger.pending(date(2010, 2, 9)), ledger.pending(date(2010, 2, 10))
        (300, 0)
        """
        day = self._day(as_of, "as_of")
        return pending_on(self._state(day)[9], day)

    def spendable(self, on: date) -> int:
        """The most that can be redeemed or transferred on ``on``: the balance less the
        pending points, never below 0.

        >>> from datetime import date
        >>> import telcare as tc
        >>> policy = tc.Policy.model_validate({"points": {"pending_days": 10}})
        >>> ledger = tc.PointsLedger.empty("c1", policy=policy)
        >>> ledger = ledger.accrue("b1", date(2010, 1, 31), 300, "consumption")
        >>> ledger = ledger.accrue("b2", date(2010, 2, 5), 100, "credit")
        >>> ledger.balance(date(2010, 2, 10)), ledger.spendable(date(2010, 2, 10))
        (400, 300)
        """
        day = self._day(on, "on")
        state = self._state(day)
        held = pending_on(state[9], day) if state[9] else 0
        return max(0, held_on(state[0], day) - state[2] - held)

    def lots(self, as_of: date) -> tuple[Lot, ...]:
        """The live lots on ``as_of``, earliest expiry first (pending points included)."""
        day = self._day(as_of, "as_of")
        return tuple(Lot(e, p) for e, p in pairs(self._state(day)[0]) if e >= day and p > 0)

    def expiring(self, as_of: date, within_days: int) -> tuple[Lot, ...]:
        """Live lots that expire within ``within_days`` days of ``as_of`` (inclusive).

        This is what the points-expiry reminder of the key moments tells the customer.
        """
        day = self._day(as_of, "as_of")
        within_days = integer(within_days, "within_days", maximum=MAX_DAYS)
        horizon = day + timedelta(days=within_days)
        return tuple(lot for lot in self.lots(day) if lot.expires_on <= horizon)

    def summary(self, as_of: date) -> LedgerSummary:
        """Every term of the accounting identity on ``as_of``."""
        day = self._day(as_of, "as_of")
        s = state_view(self._state(day))
        return LedgerSummary(
            as_of=day,
            earned=s.earned,
            reversed=s.reversed,
            balance=sum(p for e, p in s.live if e >= day) - s.debt,
            redeemed=s.redeemed,
            expired=s.expired + sum(p for e, p in s.live if e < day),
            transferred_out=s.sent,
            transferred_in=s.received,
            unrecovered=s.unrecovered,
        )

    def history(self) -> tuple[HistoryEntry, ...]:
        """Every posting, in date order and posting order within a day, each with the
        balance right after it."""
        return self._store.history(self._length)

    def posting(self, ref: str) -> Posting:
        """The posting recorded under ``ref`` (``InvalidInput`` if there is none)."""
        row = self._store.find(ref, self._length) if isinstance(ref, str) else None
        if row is None:
            raise InvalidInput(f"no posting {ref!r} for customer {self.customer_id!r}")
        return Posting(*row)  # the named view: its lots as pairs
