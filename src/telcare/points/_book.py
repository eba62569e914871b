"""The points book: a whole base's points as numpy columns, by the ledger's rule.

A :class:`PointsBook` holds, for every customer of a base, what a
:class:`~telcare.PointsLedger` holds for one: lots of points keyed by the date
they expire (30 Nov of the cycle ``points.expire_after_cycles`` after the
earning cycle), a debt (only under ``points.reversal = "allow_negative"``) and the
running totals of the accounting identity.  Each lot is one ``int64`` column with
a row per customer; a month's accrual, a batch of redemptions or reversals and
the cycle-end expiry are a few numpy operations over those columns, never a loop
over customers.  Every operation returns a new book and leaves the old one as it
was, also when it fails; the columns it did not change are shared, read-only,
between the two books.

>>> from datetime import date
>>> import telcare as tc
>>> book = tc.PointsBook.empty(["13800000001", "13800000002"])
>>> book = book.post(date(2010, 1, 31), [1200, 300])
>>> book = book.redeem(date(2010, 3, 2), [500, 0])
>>> book.balance(date(2010, 3, 2)).tolist(), book.liability(date(2010, 3, 2))
([700, 300], 2000)
>>> book.balance(date(2011, 12, 1)).tolist()    # earned in cycle 2010, gone after 30 Nov 2011
[0, 0]
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import field, integer, one_of, python_scalar
from telcare._core.dates import zone
from telcare._core.errors import InvalidInput
from telcare._core.frozen import FrozenDict
from telcare._core.limits import MAX_DAYS, MAX_FEN_PER_POINT, MAX_POINTS
from telcare.points._book_columns import (
    Column,
    capped,
    customer_ids,
    exact_sum,
    frozen,
    points_column,
    take_earliest,
    zeros,
)
from telcare.points._book_pending import (
    PendingColumns,
    add_column,
    free_columns,
    held_by_lot,
    open_columns,
    settle_columns,
)
from telcare.points._book_queries import EARNED_LIMIT
from telcare.points._book_value import TOTALS, BookValue
from telcare.points._ledger import REVERSAL_MODES, ReversalMode
from telcare.points._postings import SOURCES
from telcare.points._terms import Rules, expiry, terms_of
from telcare.policy import Policy, PolicySchedule, as_policy

__all__ = ["PointsBook"]


def _ids(values: Any) -> npt.NDArray[Any]:
    return customer_ids(values, "ids")


def _zone_name(value: object, name: str) -> None:
    zone(value)  # type: ignore[arg-type]  # zone() refuses anything but a known name


@attrs.frozen(slots=True, eq=False, repr=False)
class PointsBook(BookValue):
    """A whole base's points as columns: immutable; every operation returns a new book.

    ``ids`` are the customers' ids, one row each (text or integers, none missing or
    repeated); every points column given to or returned by the book is in that order.
    """

    ids: npt.NDArray[Any] = attrs.field(converter=_ids)
    expire_after_cycles: int = attrs.field(
        default=1, converter=python_scalar, validator=field(integer, maximum=100)
    )
    fen_per_point: int = attrs.field(
        default=2,
        converter=python_scalar,
        validator=field(integer, minimum=1, maximum=MAX_FEN_PER_POINT),
    )
    reversal_mode: ReversalMode = attrs.field(
        default="claw_back", validator=field(one_of, options=REVERSAL_MODES)
    )
    timezone: str = attrs.field(default="Asia/Shanghai", validator=field(_zone_name))
    pending_days: int = attrs.field(
        default=0, converter=python_scalar, validator=field(integer, maximum=MAX_DAYS)
    )
    _last: date | None = attrs.field(init=False, default=None)
    _pending: PendingColumns = attrs.field(init=False, default=())
    _expiries: tuple[date, ...] = attrs.field(init=False, default=None)
    _lots: tuple[Column, ...] = attrs.field(init=False, default=None)
    _reversible: tuple[Column, ...] = attrs.field(init=False, default=None)
    _lot_bounds: tuple[int, ...] = attrs.field(init=False, default=None)
    _earned_bound: int = attrs.field(init=False, default=None)
    _debt_bound: int = attrs.field(init=False, default=None)
    _issued: FrozenDict[str, int] = attrs.field(init=False, default=None)
    _debt: Column = attrs.field(init=False, default=None)
    _earned: Column = attrs.field(init=False, default=None)
    _reversed: Column = attrs.field(init=False, default=None)
    _redeemed: Column = attrs.field(init=False, default=None)
    _expired: Column = attrs.field(init=False, default=None)
    _unrecovered: Column = attrs.field(init=False, default=None)
    _rules: Rules | None = attrs.field(init=False, default=None)

    def __attrs_post_init__(self) -> None:
        blank = zeros(len(self.ids))
        for name in TOTALS:
            object.__setattr__(self, name, blank)
        for name in ("_expiries", "_lots", "_reversible", "_lot_bounds"):
            object.__setattr__(self, name, ())
        object.__setattr__(self, "_earned_bound", 0)
        object.__setattr__(self, "_debt_bound", 0)
        object.__setattr__(self, "_issued", FrozenDict())

    @classmethod
    def empty(cls, ids: Any, *, policy: Policy | PolicySchedule | None = None) -> PointsBook:
        """A book of ``ids`` with no postings, following ``policy``'s expiry, value,
        reversal and pending rules and time zone.

        With a :class:`~telcare.PolicySchedule` each operation follows the policy in force
        on its own day, as ``PointsLedger`` does (``docs/points.md``, "Points under a
        schedule")."""
        first = policy.policies[0] if isinstance(policy, PolicySchedule) else as_policy(policy)
        t = terms_of(first)
        book = cls(
            ids, t.expire_after_cycles, t.fen_per_point, t.reversal_mode,  # type: ignore[arg-type]
            t.timezone, t.pending_days,
        )  # fmt: skip
        if isinstance(policy, PolicySchedule):
            object.__setattr__(book, "_rules", Rules(policy))  # a new book, shared by none
        return book

    # ------------------------------------------------------------ operations

    def post(self, on: object, points: Any, *, source: str = "consumption") -> PointsBook:
        """Credit a column of ``points`` (one row per customer, 0 for none) earned on ``on``.

        This is a month's accrual from :func:`~telcare.points_for_bills`' column, posted
        as ``source`` (one of :data:`~telcare.SOURCES`; the bill totals are consumption
        points).  Under ``allow_negative`` a customer's debt is paid off first, as
        ``PointsLedger.accrue`` does.

        >>> from datetime import date
        >>> import telcare as tc
        >>> earned = tc.points_for_bills([42080, 2000], [6000, 0], [True, False], [3, 2], [2, 0])
        >>> book = tc.PointsBook.empty(["c1", "c2"]).post(date(2010, 3, 31), earned)
        >>> book.balance(date(2010, 3, 31)).tolist(), book.issued["consumption"]
        ([484, 21], 505)
        """
        on = self._posting_day(on)
        terms = self._terms(on)
        source = one_of(source, "source", options=SOURCES)  # the option: a plain str
        points, high = points_column(points, "points", self.ids)
        book, k = self._with_lot(expiry(on, terms.expire_after_cycles))
        empty = book._lot_bounds[k] == 0  # a lot of no points (a new one): its zeros unread
        lot = np.array(points, dtype=np.int64) if empty else book._lots[k] + points
        bound = capped(lot, book._lot_bounds[k] + high, MAX_POINTS, lambda i, v: (
            f"points at index {i} would leave customer {self._customer(i)!r} {v} points "
            f"in the lot expiring {book._expiries[k]} (at most {MAX_POINTS})"))  # fmt: skip
        # a book that never earned, posting into an empty lot: what it earned is the lot
        shared = empty and not self._earned_bound and not self._debt_bound
        earned = lot if shared else self._earned + points
        earned_bound = capped(earned, self._earned_bound + high, EARNED_LIMIT, lambda i, v: (
            f"points at index {i} would take customer {self._customer(i)!r}'s points earned "
            f"to {v} (at most {EARNED_LIMIT} over the book's life)"))  # fmt: skip
        changes: dict[str, Any] = {}
        landed = points
        if self._debt_bound:  # only under allow_negative: pay the debt off first
            repay = np.minimum(points, self._debt)
            lot -= repay
            landed = points - repay
            changes["_debt"] = frozen(self._debt - repay)
        # a lot whose reversible points are its points (one column) keeps one for both
        fresh = book._reversible[k] is book._lots[k] and not changes
        reversible = frozen(lot) if fresh else frozen(book._reversible[k] + points)
        pending = open_columns(self._pending, on)
        if terms.pending_days:  # what lands in the lot waits; what paid a debt off does not
            release = on + timedelta(days=terms.pending_days)
            pending = add_column(pending, release, book._expiries[k], landed)
        issued = dict(self._issued)
        issued[source] = issued.get(source, 0) + exact_sum(points, MAX_POINTS)
        return book._replace(
            _last=on,
            _lots=_put(book._lots, k, frozen(lot)),
            _reversible=_put(book._reversible, k, reversible),
            _lot_bounds=_put(book._lot_bounds, k, bound),
            _earned=frozen(earned), _earned_bound=earned_bound,
            _issued=FrozenDict(issued), _pending=pending, **changes,
        )  # fmt: skip

    def redeem(self, on: object, points: Any) -> PointsBook:
        """Spend a column of ``points`` on ``on`` (0 for none), earliest-expiring lots first.

        All or nothing: if any customer asks for more than it can spend, the whole batch
        is refused with :class:`~telcare._core.errors.InsufficientPoints` naming the first
        such customer (its row in a note), and the book is unchanged.  Clip the batch with
        :meth:`spendable` first to serve what can be served.

        >>> from datetime import date
        >>> import telcare as tc
        >>> book = tc.PointsBook.empty(["a", "b"]).post(date(2010, 1, 31), [120, 30])
        >>> book.redeem(date(2010, 2, 1), [100, 50])
        Traceback (most recent call last):
        ...
        telcare._core.errors.InsufficientPoints: customer 'b' asked for 50 points but only 30 are available
        row 1 of points; nothing in the batch was redeemed (spendable(on) is what each can redeem)
        >>> asked = np.array([100, 50])
        >>> book.redeem(date(2010, 2, 1), np.minimum(asked, book.spendable(date(2010, 2, 1)))).balance(date(2010, 2, 1)).tolist()
        [20, 0]
        """
        on = self._posting_day(on)
        points, _ = points_column(points, "points", self.ids)
        pending = open_columns(self._pending, on)
        held = held_by_lot(pending, on)
        live = [k for k, e in enumerate(self._expiries) if e >= on]
        expiries = [self._expiries[k] for k in live]
        free = free_columns([self._lots[k] for k in live], expiries, held)  # not pending ones
        taken, short = take_earliest(free, points)
        if self._debt_bound:  # what a customer may spend is its live points less its debt
            available = self._total(free) - self._debt
            short = np.where(points > 0, np.maximum(short, points - available), 0)
        self._refuse_short(
            short, points, on, "redeemed (spendable(on) is what each can redeem)", pending
        )
        lots = list(self._lots)
        for k, e, before, lot in zip(live, expiries, free, taken, strict=True):
            if lot is not before:
                lots[k] = frozen(lot + held[e]) if e in held else lot
        return self._replace(
            _last=on, _lots=tuple(lots), _redeemed=frozen(self._redeemed + points),
            _pending=pending,
        )  # fmt: skip

    def expire(self, on: object) -> PointsBook:
        """Close every lot that has expired by ``on`` (the cycle-end run, e.g. on 1 Dec):
        its points move to the expired totals and its column is dropped.

        Balances do not change (expired points never count), and every query already
        treats a lot past its date as expired; closing is bookkeeping that frees the
        column.  A lot, once closed, can no longer take a reversal back from it
        (:meth:`reverse` refuses one), so close a cycle once its bills are settled.

        >>> from datetime import date
        >>> import telcare as tc
        >>> book = tc.PointsBook.empty(["a"]).post(date(2010, 1, 31), [120])
        >>> closed = book.expire(date(2011, 12, 1))
        >>> closed, closed.expired(date(2011, 12, 1)).tolist()
        (PointsBook(customers=1, lots=[], last=2011-12-01), [120])
        """
        on = self._posting_day(on)
        gone = [k for k, e in enumerate(self._expiries) if e < on]
        expired = self._expired
        if gone:
            expired = self._expired.copy()
            for k in gone:
                expired += self._lots[k]
            frozen(expired)

        def keep(items: tuple[Any, ...]) -> tuple[Any, ...]:
            return tuple(x for k, x in enumerate(items) if k not in gone)

        return self._replace(
            _last=on, _expiries=keep(self._expiries),
            _pending=open_columns(self._pending, on),
            _lots=keep(self._lots), _reversible=keep(self._reversible),
            _lot_bounds=keep(self._lot_bounds), _expired=expired,
        )  # fmt: skip

    def reverse(self, on: object, points: Any, earned_on: object) -> PointsBook:
        """Take back a column of ``points`` (0 for none) that were earned on ``earned_on``,
        by the ledger's rule for reversing an accrual of that many points.

        They come from their own lot first (the lot of ``earned_on``'s cycle, live or
        expired: an expired part moves from expired to reversed and leaves the balance
        alone), then from the other live lots, earliest expiry first.  What those cannot
        give follows ``points.reversal``: ``claw_back`` records it as unrecovered,
        ``allow_negative`` makes it a debt that later accruals pay off, ``refuse`` refuses
        the whole batch with :class:`~telcare._core.errors.InsufficientPoints`.  A customer
        cannot lose more than it earned in that cycle and was not reversed yet
        (``InvalidInput`` naming the row), nor anything from a lot :meth:`expire` closed.

        >>> from datetime import date
        >>> import telcare as tc
        >>> book = tc.PointsBook.empty(["a", "b"]).post(date(2010, 1, 5), [300, 300])
        >>> book = book.redeem(date(2010, 2, 1), [250, 0])
        >>> s = book.reverse(date(2010, 3, 1), [300, 100], date(2010, 1, 5)).summary(date(2010, 3, 1))
        >>> s.balance, s.reversed, s.unrecovered, s.balanced
        (200, 150, 250, True)
        """
        on = self._posting_day(on)
        earned_on = self._read(earned_on, "earned_on")
        if earned_on > on:
            raise InvalidInput(f"earned_on {earned_on} is after the reversal's date on {on}")
        earned = self._terms(earned_on, "earned_on")  # the rules its accrual followed
        mode = self._terms(on).reversal_mode
        points, _ = points_column(points, "points", self.ids)
        k = self._reversal_lot(expiry(earned_on, earned.expire_after_cycles), earned_on, points)
        if k is None:  # nothing to take back; the day still releases what waited until it
            return self._replace(_last=on, _pending=open_columns(self._pending, on))
        own_take = np.minimum(points, self._lots[k])
        others = [j for j, e in enumerate(self._expiries) if e >= on and j != k]
        taken, short = take_earliest([self._lots[j] for j in others], points - own_take)
        if mode == "refuse":
            self._refuse_short(short, points, on, "reversed")
        lots = list(self._lots)
        lots[k] = frozen(self._lots[k] - own_take)
        for j, lot in zip(others, taken, strict=True):
            lots[j] = lot
        own = earned_on + timedelta(days=earned.pending_days)  # its accruals' pending go first
        pending = open_columns(self._pending, on)
        pending = settle_columns(pending, self._expiries, self._lots, lots, own)
        changes: dict[str, Any] = {"_pending": pending}
        if mode == "allow_negative":
            changes["_reversed"] = frozen(self._reversed + points)
            if short.any():
                changes["_debt"] = frozen(self._debt + short)
                changes["_debt_bound"] = self._debt_bound + int(short.max())
        else:
            changes["_reversed"] = frozen(self._reversed + (points - short))
            if short.any():
                changes["_unrecovered"] = frozen(self._unrecovered + short)
        return self._replace(
            _last=on, _lots=tuple(lots),
            _reversible=_put(self._reversible, k, frozen(self._reversible[k] - points)),
            **changes,
        )  # fmt: skip


def _put(items: tuple[Any, ...], k: int, item: Any) -> tuple[Any, ...]:
    return (*items[:k], item, *items[k:][1:])
