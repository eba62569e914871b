"""The points book as plain columns, and back: what a data frame, a Dask partition or a
Spark batch holds of a :class:`~telcare.PointsBook`, and the whole-base queries over
those columns (the registered rules ``book_balances`` and ``book_totals``).

One row per customer: ``ids``, one column per lot named by its expiry date
(``lot_2011_11_30``), what each lot may still give back to a reversal
(``reversible_2011_11_30``), the points still pending in a lot by release day
(``pending_2010_02_10_lot_2011_11_30``, under ``points.pending_days``), and the running
totals (``debt``, ``earned``, ``reversed``, ``redeemed``, ``expired_closed``,
``unrecovered``).  A book read back from its columns answers every query as the book
itself does.

>>> from datetime import date
>>> import telcare as tc
>>> book = tc.PointsBook.empty(["a", "b"]).post(date(2010, 1, 31), [120, 30])
>>> columns = tc.book_to_columns(book)
>>> sorted(columns)
['debt', 'earned', 'expired_closed', 'ids', 'lot_2011_11_30', 'redeemed', 'reversed', 'reversible_2011_11_30', 'unrecovered']
>>> tc.book_from_columns(columns).balance(date(2010, 2, 1)).tolist()
[120, 30]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import instance, int_column, items, plain_date, same_length
from telcare._core.display import Displayable, Tabular
from telcare._core.errors import InvalidInput
from telcare.points._book import PointsBook
from telcare.points._book_columns import Column, frozen, zeros
from telcare.points._book_queries import EARNED_LIMIT
from telcare.points._book_read import (
    PREFIXES,
    column_names,
    earned_column,
    issued_of,
    lot_column,
    lot_columns,
    pending_column,
    pending_columns,
)
from telcare.points._postings import LedgerSummary
from telcare.policy import Policy, PolicySchedule

__all__ = [
    "BOOK_TOTALS",
    "BookBalances",
    "BookTotals",
    "add_book_totals",
    "book_balances",
    "book_from_columns",
    "book_to_columns",
    "book_totals",
    "lot_column",
]

#: The running totals' columns, as :func:`book_to_columns` names them.
BOOK_TOTALS = ("debt", "earned", "reversed", "redeemed", "expired_closed", "unrecovered")
_PRIVATE = {"expired_closed": "_expired"}


def book_to_columns(book: PointsBook) -> dict[str, npt.NDArray[Any]]:
    """The book's columns, one row per customer (read-only arrays, shared with the book):
    ``pandas.DataFrame(tc.book_to_columns(book))`` is the book as a frame, and
    :func:`book_from_columns` reads it back.

    >>> from datetime import date
    >>> import pandas as pd
    >>> import telcare as tc
    >>> book = tc.PointsBook.empty(["a", "b"]).post(date(2010, 1, 31), [120, 30])
    >>> frame = pd.DataFrame(tc.book_to_columns(book))
    >>> frame[["ids", "lot_2011_11_30", "earned"]].values.tolist()
    [['a', 120, 120], ['b', 30, 30]]
    >>> tc.book_from_columns(frame, last_posting=date(2010, 1, 31), issued=book.issued) == book
    True
    """
    book = instance(book, PointsBook, "book_to_columns() needs a PointsBook, got {got}")
    out: dict[str, npt.NDArray[Any]] = {"ids": book.ids}
    for expiry, lot, back in zip(book._expiries, book._lots, book._reversible, strict=True):
        out[lot_column(expiry)] = lot
        out[lot_column(expiry, "reversible")] = back
    for release, expiry, points in book._pending:
        out[pending_column(release, expiry)] = points
    for name in BOOK_TOTALS:
        out[name] = getattr(book, _PRIVATE.get(name, f"_{name}"))
    return out


def book_from_columns(
    columns: Any,
    *,
    policy: Policy | PolicySchedule | None = None,
    last_posting: object = None,
    issued: Mapping[str, int] | None = None,
) -> PointsBook:
    """A :class:`~telcare.PointsBook` from its columns (a mapping of columns, or a pandas
    or Polars frame), each checked and refused by name: ``ids`` (none missing or
    repeated), the ``lot_YYYY_MM_DD`` columns (0 to ``MAX_POINTS``; a lot expires on 30
    Nov), and optional ``reversible_YYYY_MM_DD`` (default: the lot itself),
    ``pending_YYYY_MM_DD_lot_YYYY_MM_DD`` (points of that lot released on that day; none
    more than the lot) and running totals (default 0; ``earned`` defaults to what the
    accounting identity needs, and one that breaks it is refused).  Other columns are
    left alone.  The settings are ``policy``'s; ``last_posting`` and ``issued`` (by
    source) are the book's own when it wrote the columns (the columns cannot hold them).
    A debt needs ``points.reversal = "allow_negative"``: under a
    :class:`~telcare.PolicySchedule`, in a policy in force on or before ``last_posting``
    (any of its policies without one), so a debt run up before a change reads back.

    >>> from datetime import date
    >>> import telcare as tc
    >>> tc.book_from_columns({"ids": ["a"], "lot_2011_11_31": [5]})
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: column 'lot_2011_11_31' does not name a date (lot_YYYY_MM_DD)
    """
    return _read_book(columns, policy, last_posting, issued)


def _read_book(
    columns: Any,
    policy: Policy | PolicySchedule | None,
    last_posting: object,
    issued: Mapping[str, int] | None,
    as_of: object = None,
) -> PointsBook:
    """:func:`book_from_columns`; a rule's ``as_of`` (without ``last_posting``) bounds the
    schedule's policies that may have left a debt."""
    names = column_names(columns)
    if "ids" not in names:
        raise InvalidInput(f"book_from_columns() needs an 'ids' column; columns: {names}")
    ids = columns["ids"]
    if hasattr(ids, "to_numpy"):  # a frame's column: checked as a whole, not row by row
        ids = np.asarray(ids.to_numpy())
    book = PointsBook.empty(ids, policy=policy)
    n = len(book.ids)
    expiries, lots, backs = lot_columns(columns, names)
    totals = {
        name: frozen(int_column(columns[name], name, maximum=EARNED_LIMIT).copy())
        for name in BOOK_TOTALS if name in names
    }  # fmt: skip
    named = {lot_column(e): c for e, c in zip(expiries, lots, strict=True)}
    same_length(ids=book.ids, **named, **totals)
    last = None if last_posting is None else plain_date(last_posting, "last_posting")
    pending = pending_columns(columns, names, (expiries, lots), last, book._customer)
    debt = _debt(totals.get("debt", zeros(n)), book, last if as_of is None else as_of)
    totals["earned"] = earned_column(named, totals, n, book._customer)
    changes: dict[str, Any] = {_PRIVATE.get(k, f"_{k}"): v for k, v in totals.items()}
    return book._replace(
        _last=last, _expiries=tuple(expiries), _lots=tuple(lots), _reversible=tuple(backs),
        _pending=pending, _lot_bounds=tuple(int(c.max(initial=0)) for c in lots),
        _earned_bound=int(totals["earned"].max(initial=0)), _debt_bound=int(debt.max(initial=0)),
        _issued=issued_of(issued), **changes,
    )  # fmt: skip


def _debt(debt: Column, book: PointsBook, until: object) -> Column:
    """The ``debt`` column: only ``allow_negative`` keeps a debt; under a schedule, one of
    its policies in force on or before ``until`` (the last posting or a rule's ``as_of``;
    any of them when None) must be, since a debt outlives a change of policy."""
    if not debt.any():
        return debt
    rules = book._rules
    if rules is None:
        if book.reversal_mode == "allow_negative":
            return debt
        why = (
            f"points.reversal is {book.reversal_mode!r}: only 'allow_negative' keeps a debt "
            "(a book posted under a PolicySchedule that allowed one reads back with "
            "policy=schedule)"
        )
    else:
        day = None if until is None else book._read(until, "as_of")
        if any(
            t.reversal_mode == "allow_negative"
            for start, t in zip(rules.starts, rules.terms, strict=True)
            if day is None or start <= day
        ):
            return debt
        when = "" if day is None else f" in force on or before {day}"
        why = (
            f"no policy of the schedule{when} has points.reversal 'allow_negative': only "
            "'allow_negative' keeps a debt"
        )
    i = int(np.argmax(debt > 0))
    raise InvalidInput(f"debt holds {int(debt[i])} at row {i}, but {why}")


# ------------------------------------------------------------------ the rules over columns


@attrs.frozen(slots=True, eq=False)
class BookBalances(Tabular):
    """Each customer's figures on one date, as the book's own queries give them."""

    balance: Column
    spendable: Column
    expiring: Column
    expired: Column

    def _columns(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in attrs.fields(BookBalances)}


@attrs.frozen(slots=True)
class BookTotals(Displayable):
    """A base's (or a partition's) points on one date: the terms of the identity
    (:meth:`~telcare.PointsBook.summary`) and the liability in fen.  Exact Python ints:
    the totals of partitions add up (:func:`add_book_totals`) to the whole base's."""

    _units = {"liability": "fen"}  # noqa: RUF012  # a ClassVar of Displayable

    as_of: date
    customers: int
    earned: int
    reversed: int
    balance: int
    redeemed: int
    expired: int
    unrecovered: int
    liability: int

    @property
    def summary(self) -> LedgerSummary:
        """The terms as a :class:`~telcare.LedgerSummary` (no transfers)."""
        return LedgerSummary(self.as_of, self.earned, self.reversed, self.balance, self.redeemed,
                             self.expired, 0, 0, self.unrecovered)  # fmt: skip


def _lots_only(lots: dict[str, Any], function: str) -> dict[str, Any]:
    """The lot columns given as keywords (and, to ``book_balances``, any running total:
    ``**book_to_columns(book)`` is a valid call)."""
    for name in lots:
        if name not in BOOK_TOTALS and not name.startswith(PREFIXES):
            raise InvalidInput(
                f"{function}() got an unexpected column {name!r}; lots are lot_YYYY_MM_DD"
            )
    return lots


def book_balances(
    ids: Any,
    *,
    as_of: object,
    within_days: object = 30,
    debt: Any = None,
    expired_closed: Any = None,
    policy: Policy | PolicySchedule | None = None,
    **lots: Any,
) -> BookBalances:
    """Balance, spendable, expiring (within ``within_days`` of ``as_of``) and expired
    points per customer, from the book's columns (``lot_YYYY_MM_DD=`` keywords): what
    :meth:`~telcare.PointsBook.balance` and its siblings answer on the book itself.

    >>> from datetime import date
    >>> import telcare as tc
    >>> got = tc.book_balances(["a", "b"], lot_2011_11_30=[120, 30], lot_2012_11_30=[5, 0],
    ...                        as_of=date(2011, 11, 1))
    >>> got.balance.tolist(), got.expiring.tolist(), got.expired.tolist()
    ([125, 30], [120, 30], [0, 0])
    """
    columns = {"ids": ids, **_lots_only(lots, "book_balances")}
    columns |= {
        k: v for k, v in (("debt", debt), ("expired_closed", expired_closed)) if v is not None
    }
    if debt is not None and not {"earned", "reversed"} & set(columns):
        # A debt is reversed points the lots could not give: the earned the identity
        # defaults (the balances do not read it) is not negative for want of them.
        columns["reversed"] = debt
    book = _read_book(columns, policy, None, None, as_of)
    return BookBalances(book.balance(as_of), book.spendable(as_of),
                        book.expiring(as_of, within_days), book.expired(as_of))  # fmt: skip


def book_totals(
    ids: Any,
    *,
    as_of: object,
    debt: Any = None,
    earned: Any = None,
    reversed: Any = None,
    redeemed: Any = None,
    expired_closed: Any = None,
    unrecovered: Any = None,
    policy: Policy | PolicySchedule | None = None,
    **lots: Any,
) -> BookTotals:
    """The base's terms of the identity and its liability in fen on ``as_of``, from the
    book's columns: :meth:`~telcare.PointsBook.summary` and
    :meth:`~telcare.PointsBook.liability` of the book they hold.

    >>> from datetime import date
    >>> import telcare as tc
    >>> t = tc.book_totals(["a", "b"], lot_2011_11_30=[120, 30], redeemed=[10, 0],
    ...                    as_of=date(2011, 12, 1))
    >>> t.earned, t.redeemed, t.expired, t.balance, t.liability, t.summary.balanced
    (160, 10, 150, 0, 0, True)
    """
    given = {"debt": debt, "earned": earned, "reversed": reversed, "redeemed": redeemed,
             "expired_closed": expired_closed, "unrecovered": unrecovered}  # fmt: skip
    columns = {"ids": ids, **_lots_only(lots, "book_totals")}
    columns |= {k: v for k, v in given.items() if v is not None}
    book = _read_book(columns, policy, None, None, as_of)
    s = book.summary(as_of)
    return BookTotals(s.as_of, len(book), s.earned, s.reversed, s.balance, s.redeemed,
                      s.expired, s.unrecovered, book.liability(as_of))  # fmt: skip


def add_book_totals(parts: Iterable[BookTotals], as_of: object) -> BookTotals:
    """The partitions' totals added up (exact ints): the whole base's on ``as_of``.

    >>> from datetime import date
    >>> import telcare as tc
    >>> day = date(2011, 1, 1)
    >>> one = tc.book_totals(["a"], lot_2011_11_30=[120], as_of=day)
    >>> two = tc.book_totals(["b"], lot_2011_11_30=[30], as_of=day)
    >>> tc.add_book_totals([one, two], day).liability
    300
    """
    day = plain_date(as_of, "as_of")
    pieces = items(parts, "parts", of=BookTotals)
    for p in pieces:
        if p.as_of != day:
            raise InvalidInput(f"add_book_totals(): a part is as of {p.as_of}, not {day}")
    names = [f.name for f in attrs.fields(BookTotals)][1:]
    return BookTotals(day, *(sum(getattr(p, n) for p in pieces) for n in names))
