"""What the points book answers: balances, what is spendable, expiring and expired, the
liability in fen and the accounting identity, for the whole base or one customer; and
the refusals its operations share.

Every query is at a date on or after the book's last posting: the book keeps the
lots, not the history (keep the earlier book to ask about earlier dates).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from telcare._core.checks import integer
from telcare._core.display import plain, summary_html, summary_text
from telcare._core.errors import InsufficientPoints, InvalidInput
from telcare._core.label_checks import label, local_day
from telcare._core.limits import MAX_DAYS, MAX_POINTS
from telcare._core.money import format_yuan
from telcare.points._book_columns import Column, exact_sum, first, zeros
from telcare.points._book_pending import PendingColumns, total
from telcare.points._postings import LedgerSummary, Lot
from telcare.points._terms import Rules

if TYPE_CHECKING:
    from telcare.policy import PolicySchedule

__all__ = ["EARNED_LIMIT", "BookQueries"]

#: The most points one customer may earn over the book's life (a thousand full
#: balances): every total stays far inside int64 (``docs/points.md``).
EARNED_LIMIT = 1000 * MAX_POINTS


class BookQueries:
    """The queries of :class:`~telcare.PointsBook` (a mixin over its columns)."""

    __slots__ = ()

    ids: npt.NDArray[Any]
    fen_per_point: int
    timezone: str
    _last: date | None
    _reversible: tuple[Column, ...]
    _expiries: tuple[date, ...]
    _lots: tuple[Column, ...]
    _pending: PendingColumns
    _debt: Column
    _debt_bound: int
    _earned: Column
    _reversed: Column
    _redeemed: Column
    _expired: Column
    _unrecovered: Column
    _rules: Rules | None

    # ------------------------------------------------------------ helpers

    @property
    def schedule(self) -> PolicySchedule | None:
        """The :class:`~telcare.PolicySchedule` the book follows, if it was made with one.

        Under a schedule the book's figures (``expire_after_cycles``, ``fen_per_point``,
        ``reversal_mode``, ``pending_days``, ``timezone``) are those of the policy in
        force on its last posting's day (the first policy's before any); each operation
        follows the policy in force on its own day."""
        return None if self._rules is None else self._rules.schedule

    def _read(self, value: object, name: str) -> date:
        """``value`` as a day: an aware ``datetime`` in the zone of the policy in force."""
        if self._rules is None:
            return local_day(value, name, self.timezone)
        return self._rules.day(value, name)

    def _as_of(self, as_of: object, name: str = "as_of") -> date:
        day = self._read(as_of, name)
        if self._last is not None and day < self._last:
            raise InvalidInput(
                f"{name} {day} is before the book's last posting on {self._last}; the book "
                "keeps its lots, not its history (keep the earlier book to ask about earlier dates)"
            )
        return day

    def _total(self, lots: list[Column]) -> Column:
        out = np.zeros(len(self.ids), dtype=np.int64)
        for lot in lots:
            out += lot
        return out

    def _live(self, as_of: date) -> list[Column]:
        return [lot for e, lot in zip(self._expiries, self._lots, strict=True) if e >= as_of]

    def _row(self, customer_id: object) -> int:
        cid = label(customer_id, "customer_id")
        if isinstance(cid, str) == (self.ids.dtype.kind == "U"):
            hits = np.flatnonzero(self.ids == cid)
            if hits.size:
                return int(hits[0])
        raise InvalidInput(f"no customer {cid!r} in the points book")

    def _balance_at(self, as_of: date) -> Column:
        out = self._total(self._live(as_of))
        if self._debt_bound:  # no debt outside allow_negative: its zeros are not read
            out -= self._debt
        return out

    def _customer(self, i: int) -> str:
        return str(self.ids[i].item())

    # ------------------------------------------------------------ refusals

    def _refuse_short(
        self, short: Column, asked: Column, on: date, what: str, pending: PendingColumns = ()
    ) -> None:
        """``InsufficientPoints`` for the first customer the lots cannot serve (less the
        ``pending`` points, which a redemption cannot take)."""
        i = first(short > 0)
        if i is None:
            return
        live = sum(
            int(lot[i]) for e, lot in zip(self._expiries, self._lots, strict=True) if e >= on
        )
        held = [(r, int(c[i])) for r, e, c in pending if r > on and e >= on and c[i] > 0]
        free = live - sum(p for _, p in held) - int(self._debt[i])
        error = InsufficientPoints(int(asked[i]), max(0, free), self._customer(i))
        error.add_note(f"row {i} of points; nothing in the batch was {what}")
        if held:
            error.add_note(
                f"{sum(p for _, p in held):,} more points are pending (points.pending_days); "
                f"the first are released on {min(r for r, _ in held)}"
            )
        raise error

    def _reversal_lot(self, own: date, earned_on: date, points: Column) -> int | None:
        """The position of the lot a reversal of ``points`` earned on ``earned_on`` takes
        from (``None`` when it takes nothing), or ``InvalidInput`` naming the first row
        that asks for more than its cycle earned and has not had reversed."""
        k = self._expiries.index(own) if own in self._expiries else None
        if k is None and not points.any():
            return None
        # A lot past its date that the book does not hold was closed by expire() (or never
        # opened): told from what the book holds, so a book read back from its columns,
        # which cannot say when its lots were closed, refuses it in the same words.
        if k is None and self._last is not None and own < self._last:
            raise InvalidInput(
                f"the lot of points earned on {earned_on} (expiring {own}) was closed by "
                "expire() or never opened; reverse an accrual before its cycle is closed"
            )
        reversible = self._reversible[k] if k is not None else zeros(len(self.ids))
        over = first(points > reversible)
        if over is not None:
            raise InvalidInput(
                f"points at index {over} asks to take back {int(points[over])} points of "
                f"customer {self._customer(over)!r} earned in the cycle of {earned_on}, but "
                f"only {int(reversible[over])} of them are not reversed yet"
            )
        return k

    # ------------------------------------------------------------ columns

    def balance(self, as_of: object) -> Column:
        """Each customer's points that can be spent on ``as_of`` (negative only under
        ``allow_negative``): the live lots less any debt.

        >>> from datetime import date
        >>> import telcare as tc
        >>> book = tc.PointsBook.empty(["a", "b"]).post(date(2010, 1, 31), [120, 0])
        >>> book.balance(date(2010, 2, 1)).tolist(), book.balance(date(2011, 12, 1)).tolist()
        ([120, 0], [0, 0])
        """
        return self._balance_at(self._as_of(as_of))

    def spendable(self, on: object) -> Column:
        """The most each customer can redeem on ``on`` (the balance, never below 0):
        ``np.minimum(asked, book.spendable(on))`` is a batch :meth:`redeem` accepts.

        >>> from datetime import date
        >>> import telcare as tc
        >>> book = tc.PointsBook.empty(["a", "b"]).post(date(2010, 1, 31), [120, 30])
        >>> book.spendable(date(2010, 2, 1)).tolist()
        [120, 30]
        """
        day = self._as_of(on, "on")
        out = self._balance_at(day)
        if self._pending:
            out -= total(self._pending, day, len(self.ids))
        return np.maximum(out, 0, out=out)

    def pending(self, as_of: object) -> Column:
        """Each customer's points in the balance on ``as_of`` that cannot be redeemed yet
        (``points.pending_days``): accruals' points not released by that day.

        >>> from datetime import date
        >>> import telcare as tc
        >>> policy = tc.Policy.model_validate({"points": {"pending_days": 10}})
        >>> book = tc.PointsBook.empty(["a", "b"], policy=policy).post(date(2010, 1, 31), [120, 30])
        >>> book.pending(date(2010, 2, 9)).tolist(), book.pending(date(2010, 2, 10)).tolist()
        ([120, 30], [0, 0])
        >>> book.balance(date(2010, 2, 9)).tolist(), book.spendable(date(2010, 2, 9)).tolist()
        ([120, 30], [0, 0])
        """
        return total(self._pending, self._as_of(as_of), len(self.ids))

    def expiring(self, as_of: object, within_days: object) -> Column:
        """Each customer's live points that expire within ``within_days`` days of
        ``as_of`` (inclusive): the points-expiry reminder's figure.

        >>> from datetime import date
        >>> import telcare as tc
        >>> book = tc.PointsBook.empty(["a"]).post(date(2010, 1, 31), [120])
        >>> book.post(date(2010, 12, 31), [80]).expiring(date(2011, 11, 1), 30).tolist()
        [120]
        """
        day = self._as_of(as_of)
        days = integer(within_days, "within_days", maximum=MAX_DAYS)
        horizon = day + timedelta(days=days)
        return self._total(
            [lot for e, lot in zip(self._expiries, self._lots, strict=True) if day <= e <= horizon]
        )

    def expired(self, as_of: object) -> Column:
        """Each customer's points that expired unused by ``as_of``: the lots closed by
        :meth:`expire` and the open lots whose date has passed.

        >>> from datetime import date
        >>> import telcare as tc
        >>> book = tc.PointsBook.empty(["a"]).post(date(2010, 1, 31), [120])
        >>> book.expired(date(2011, 11, 30)).tolist(), book.expired(date(2011, 12, 1)).tolist()
        ([0], [120])
        """
        day = self._as_of(as_of)
        out = self._expired.copy()
        for e, lot in zip(self._expiries, self._lots, strict=True):
            if e < day:
                out += lot
        return out

    # ------------------------------------------------------------ figures

    def liability(self, as_of: object) -> int:
        """What the live points are worth on ``as_of``, in fen (1 point = 2 fen by default).

        Under a schedule every live point is valued at the ``fen_per_point`` in force on
        ``as_of`` (what it would fetch if redeemed that day), whenever it was earned.
        A debt (``allow_negative``) is not netted off: a customer in debt holds no live
        points, so this is the sum of the positive balances times ``fen_per_point``.

        >>> from datetime import date
        >>> import telcare as tc
        >>> book = tc.PointsBook.empty(["a", "b"]).post(date(2010, 1, 31), [120, 30])
        >>> tc.format_yuan(book.liability(date(2010, 2, 1)))
        '¥3.00'
        """
        day = self._as_of(as_of)
        fen = (
            self.fen_per_point
            if self._rules is None
            else self._rules.on(day, "as_of").fen_per_point
        )
        return sum(exact_sum(lot, MAX_POINTS) for lot in self._live(day)) * fen

    def summary(self, as_of: object) -> LedgerSummary:
        """Every term of the ledger's accounting identity, summed over the base
        (no transfers: the book holds none).

        >>> from datetime import date
        >>> import telcare as tc
        >>> book = tc.PointsBook.empty(["a", "b"]).post(date(2010, 1, 31), [120, 30])
        >>> s = book.redeem(date(2010, 3, 1), [100, 0]).summary(date(2011, 12, 1))
        >>> s.earned, s.redeemed, s.expired, s.balance, s.balanced
        (150, 100, 50, 0, True)
        """
        day = self._as_of(as_of)
        expired = exact_sum(self._expired, EARNED_LIMIT)
        lots = 0
        for e, lot in zip(self._expiries, self._lots, strict=True):
            total = exact_sum(lot, MAX_POINTS)
            expired += total if e < day else 0
            lots += total if e >= day else 0
        return LedgerSummary(
            as_of=day,
            earned=exact_sum(self._earned, EARNED_LIMIT),
            reversed=exact_sum(self._reversed, EARNED_LIMIT),
            balance=lots - exact_sum(self._debt, EARNED_LIMIT),
            redeemed=exact_sum(self._redeemed, EARNED_LIMIT),
            expired=expired,
            transferred_out=0,
            transferred_in=0,
            unrecovered=exact_sum(self._unrecovered, EARNED_LIMIT),
        )

    def summary_of(self, customer_id: object, as_of: object) -> LedgerSummary:
        """One customer's terms of the identity: what its ``PointsLedger.summary`` says.

        >>> from datetime import date
        >>> import telcare as tc
        >>> book = tc.PointsBook.empty(["a", "b"]).post(date(2010, 1, 31), [120, 30])
        >>> book.summary_of("b", date(2010, 2, 1)).balance
        30
        """
        day = self._as_of(as_of)
        i = self._row(customer_id)
        lots = [(e, int(lot[i])) for e, lot in zip(self._expiries, self._lots, strict=True)]
        return LedgerSummary(
            as_of=day,
            earned=int(self._earned[i]),
            reversed=int(self._reversed[i]),
            balance=sum(p for e, p in lots if e >= day) - int(self._debt[i]),
            redeemed=int(self._redeemed[i]),
            expired=int(self._expired[i]) + sum(p for e, p in lots if e < day),
            transferred_out=0,
            transferred_in=0,
            unrecovered=int(self._unrecovered[i]),
        )

    def lots_of(self, customer_id: object, as_of: object) -> tuple[Lot, ...]:
        """One customer's live lots on ``as_of``, earliest expiry first (as
        ``PointsLedger.lots`` lists them).

        >>> from datetime import date
        >>> import telcare as tc
        >>> book = tc.PointsBook.empty(["a"]).post(date(2010, 1, 31), [120])
        >>> [(lot.expires_on.isoformat(), lot.points) for lot in book.lots_of("a", date(2010, 2, 1))]
        [('2011-11-30', 120)]
        """
        day = self._as_of(as_of)
        i = self._row(customer_id)
        return tuple(
            Lot(e, int(lot[i]))
            for e, lot in zip(self._expiries, self._lots, strict=True)
            if e >= day and lot[i] > 0
        )

    # ------------------------------------------------------------ machine values and views

    def to_dict(self) -> dict[str, Any]:
        """The book's state as JSON-ready values: the ids, the settings, one list of points
        per lot (by expiry date) and each customer's running totals.

        >>> import telcare as tc
        >>> from datetime import date
        >>> book = tc.PointsBook.empty(["a", "b"]).post(date(2010, 1, 31), [100, 0])
        >>> book.to_dict()["lots"]
        {'2011-11-30': [100, 0]}
        """
        state: dict[str, Any] = {
            "ids": self.ids,
            "fen_per_point": self.fen_per_point,
            "timezone": self.timezone,
            "last_posting": self._last,
            "lots": {e.isoformat(): lot for e, lot in zip(self._expiries, self._lots, strict=True)},
            "pending": [{"released_on": r, "lot": e, "points": c} for r, e, c in self._pending],
            "debt": self._debt,
            "earned": self._earned,
            "reversed": self._reversed,
            "redeemed": self._redeemed,
            "expired_closed": self._expired,
            "unrecovered": self._unrecovered,
        }
        out: dict[str, Any] = plain(state)
        if self._rules is not None:
            out["schedule"] = self._rules.schedule.to_dict()
        return out

    def _summary_rows(self) -> list[tuple[str, Any]]:
        as_of = self._last
        rows: list[tuple[str, Any]] = [("customers", f"{len(self.ids):,}"),
                                       ("lots (expiry)", ", ".join(e.isoformat() for e in self._expiries) or "-"),
                                       ("last posting", as_of.isoformat() if as_of else "-")]  # fmt: skip
        if as_of is not None:
            rows.append(("liability", format_yuan(self.liability(as_of))))
        return rows

    def _repr_html_(self) -> str:
        return summary_html("PointsBook", self._summary_rows())

    def __str__(self) -> str:
        return summary_text("PointsBook", self._summary_rows())
