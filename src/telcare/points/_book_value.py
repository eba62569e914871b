"""The points book as a value: copies with changes, equality, the rules a posting
follows (under a :class:`~telcare.PolicySchedule`, those in force on its day) and the
lot columns it opens.  A mixin of :class:`~telcare.PointsBook`, over its fields.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Self

import attrs
import numpy as np

from telcare._core.errors import InvalidInput
from telcare._core.frozen import FrozenDict
from telcare.points._book_columns import zeros
from telcare.points._book_queries import BookQueries
from telcare.points._terms import Terms, expiry

__all__ = ["TOTALS", "BookValue"]

#: The columns of the running totals, one row per customer.
TOTALS = ("_debt", "_earned", "_reversed", "_redeemed", "_expired", "_unrecovered")


class BookValue(BookQueries):
    """Value semantics and the rules by day of :class:`~telcare.PointsBook`."""

    __slots__ = ()

    expire_after_cycles: int
    reversal_mode: str
    pending_days: int
    _issued: FrozenDict[str, int]
    _lot_bounds: tuple[int, ...]

    def _replace(self, **changes: Any) -> Self:
        """A copy with ``changes``: the ids were checked once, so no check runs again.

        Under a schedule a new last posting day brings the figures of the policy in force
        then (``expire_after_cycles``, ``fen_per_point``, ...), as the ledger reports them.
        """
        if self._rules is not None and changes.get("_last") is not None:
            changes = self._rules.on(changes["_last"])._asdict() | changes
        cls = type(self)
        new = object.__new__(cls)
        for a in attrs.fields(cls):  # type: ignore[arg-type]  # PointsBook, an attrs class
            object.__setattr__(new, a.name, changes.pop(a.name, getattr(self, a.name)))
        assert not changes, changes
        return new

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BookValue):
            return NotImplemented
        scalars = ("expire_after_cycles", "fen_per_point", "reversal_mode", "timezone",
                   "pending_days", "_last", "_expiries", "_issued",
                   "schedule")  # fmt: skip
        if any(getattr(self, n) != getattr(other, n) for n in scalars):
            return False
        if [p[:2] for p in self._pending] != [p[:2] for p in other._pending]:
            return False
        columns = [(self.ids, other.ids), *zip(self._lots, other._lots, strict=True),
                   *((a[2], b[2]) for a, b in zip(self._pending, other._pending, strict=True)),
                   *zip(self._reversible, other._reversible, strict=True),
                   *((getattr(self, n), getattr(other, n)) for n in TOTALS)]  # fmt: skip
        return all(a.dtype.kind == b.dtype.kind and np.array_equal(a, b) for a, b in columns)

    __hash__ = None  # type: ignore[assignment]  # equal books compare their columns

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        lots = ", ".join(e.isoformat() for e in self._expiries)
        last = self._last.isoformat() if self._last else "-"
        return f"PointsBook(customers={len(self.ids):,}, lots=[{lots}], last={last})"

    @property
    def issued(self) -> FrozenDict[str, int]:
        """Points posted over the book's life, by source, for the whole base."""
        return self._issued

    def expiry_for(self, on: object) -> date:
        """When points earned on ``on`` expire: 30 Nov of the cycle ``expire_after_cycles``
        later (under a schedule, the ``expire_after_cycles`` in force on ``on``)."""
        day = self._read(on, "on")
        return expiry(day, self._terms(day).expire_after_cycles)

    # ------------------------------------------------------------ internals

    def _terms(self, day: date, name: str = "on") -> Terms:
        """The rules a posting on ``day`` follows (a schedule's policy in force then)."""
        if self._rules is not None:
            return self._rules.on(day, name)
        return Terms(
            self.expire_after_cycles, self.fen_per_point, self.reversal_mode,
            self.pending_days, self.timezone,
        )  # fmt: skip

    def _posting_day(self, on: object) -> date:
        day = self._read(on, "on")
        if self._last is not None and day < self._last:
            raise InvalidInput(
                f"postings must come in date order: on {day} is before the book's last "
                f"posting on {self._last}"
            )
        self._terms(day)  # a day before a schedule's first is refused, by name
        return day

    def _with_lot(self, expiry: date) -> tuple[Self, int]:
        """This book with a lot column for ``expiry`` (zeros if new), and its position."""
        if expiry in self._expiries:
            return self, self._expiries.index(expiry)
        at = sum(e < expiry for e in self._expiries)
        blank = zeros(len(self.ids))

        def put(items: tuple[Any, ...], item: Any) -> tuple[Any, ...]:
            return (*items[:at], item, *items[at:])

        book = self._replace(
            _expiries=put(self._expiries, expiry), _lots=put(self._lots, blank),
            _reversible=put(self._reversible, blank), _lot_bounds=put(self._lot_bounds, 0),
        )  # fmt: skip
        return book, at
