"""What a points ledger answers: balances, lots, the summary and the history on any
date, each a binary search over the postings' dates and a look at a few lots.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta
from typing import Any

from telcare._core.checks import integer, plain_date, text
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_DATE, MAX_DAYS, MAX_POINTS, MIN_DATE
from telcare.points._postings import HistoryEntry, LedgerSummary, Lot, Posting
from telcare.points._store import EMPTY, Row, State, Store

__all__ = ["LedgerQueries", "check_date", "check_points", "check_ref"]


def check_ref(ref: object) -> str:
    checked = text(ref, "ref")
    return checked if type(checked) is str else str(checked)  # numpy's str_ becomes a str


def check_points(points: object) -> int:
    if type(points) is int and 1 <= points <= MAX_POINTS:
        return points  # the common case, without the general check's cost
    return integer(points, "points", minimum=1, maximum=MAX_POINTS)


def check_date(on: object, name: str) -> date:
    if type(on) is date and MIN_DATE <= on <= MAX_DATE:
        return on
    return plain_date(on, name)


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
    def expire_after_cycles(self) -> int:
        """Points earned in cycle Y expire at the end of cycle Y + this."""
        return self._store.settings.expire_after_cycles

    @property
    def fen_per_point(self) -> int:
        """What a point is worth when redeemed, in fen."""
        return self._store.settings.fen_per_point

    @property
    def reversal_mode(self) -> str:
        """What reversing spent points does: ``claw_back``, ``allow_negative`` or ``refuse``."""
        return self._store.settings.reversal_mode

    def _settings(self) -> dict[str, Any]:
        return self._store.settings._asdict()

    def _rows(self) -> list[Row]:
        return self._store.rows[: self._length]

    def _head(self) -> State:
        return self._store.states[self._length - 1] if self._length else EMPTY

    def _state(self, as_of: date) -> State:
        """The state after the last posting on or before ``as_of``: a binary search."""
        n = self._length
        dates = self._store.dates
        if not n or as_of >= dates[n - 1]:
            return self._head()
        i = bisect_right(dates, as_of, 0, n)
        return self._store.states[i - 1] if i else EMPTY

    def balance(self, as_of: date) -> int:
        """Points that can be spent on ``as_of`` (negative only under ``allow_negative``).

        Any date, past or future, costs a binary search over the postings' dates.
        """
        state = self._state(check_date(as_of, "as_of"))
        return sum(p for e, p in state.live if e >= as_of) - state.debt

    def lots(self, as_of: date) -> tuple[Lot, ...]:
        """The live lots on ``as_of``, earliest expiry first."""
        state = self._state(check_date(as_of, "as_of"))
        return tuple(Lot(e, p) for e, p in state.live if e >= as_of and p > 0)

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
        s = self._state(check_date(as_of, "as_of"))
        return LedgerSummary(
            as_of=as_of,
            earned=s.earned,
            reversed=s.reversed,
            balance=sum(p for e, p in s.live if e >= as_of) - s.debt,
            redeemed=s.redeemed,
            expired=s.expired + sum(p for e, p in s.live if e < as_of),
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
        return Posting(*row)
