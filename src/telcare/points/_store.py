"""The storage under :class:`~telcare.PointsLedger`: append-only lists that every
ledger value of one line of postings shares.

A ledger value is a ``(store, length)`` pair and reads only the first ``length``
entries, so deriving a new ledger appends one entry and leaves every older
value answering exactly as before.  Deriving from a value that is no longer the
store's newest (a branch: two ledgers made from one) copies that value's prefix
into a fresh store first, so no value ever sees another's postings.

Each entry keeps the posting (:class:`Row`) and the ledger's state right after
it (:class:`State`): the live lots (those expiring on or after the posting's
date, at most ``expire_after_cycles + 1`` of them), the points already expired,
the negative balance and the running totals of the accounting identity.  A
query on a date is a binary search for the last posting on or before it, then a
look at that state's few lots: ``O(log n)``.  A posting is ``O(1)`` amortised.
The lapsed lots' log (``lot_log``: for each lot that lapsed, the positions that
set what it holds and the amount) answers what an expired lot still holds,
which a reversal needs, in ``O(log n)``; it grows by one entry a cycle, and by
one for each reversal that reaches a lapsed lot.

Pending points (``points.pending_days``) are one more part of the state: for each
day on which points are released, the lot they are in and how many
(:mod:`telcare.points._pending`).  They are in the lots already (they count in the
balance); the entries only say which of a lot's points cannot be spent yet, and
there are at most as many as accrual days in one pending period, however long the
ledger.  The reversals of each posting are indexed too, so a partial reversal
finds what is left of its posting without a scan.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from datetime import date, timedelta
from typing import Any, NamedTuple

from telcare.points._pending import Pending, add_pending, open_pending, settle_pending
from telcare.points._postings import HistoryEntry, Kind, Lots, Posting
from telcare.points._terms import Rules, Terms, expiry as cycle_expiry

__all__ = ["EMPTY", "Request", "Row", "Settings", "State", "Store", "make_row"]

#: What a posting asks for: (kind, on, points, source, counterparty, original).
Request = tuple[Kind, date, int, str | None, str | None, str | None]


class Settings(NamedTuple):
    """What every ledger value of one line of postings shares besides the postings."""

    customer_id: str
    expire_after_cycles: int
    fen_per_point: int
    reversal_mode: str
    pending_days: int
    timezone: str


class Row(NamedTuple):
    """A posting as the store keeps it (the fields of :class:`~telcare.Posting`, in order)."""

    ref: str
    kind: Kind
    on: date
    points: int
    source: str | None
    counterparty: str | None
    original: str | None
    lots: Lots
    debt: int
    unrecovered: int

    def request(self) -> Request:
        """What was asked for: the content that decides duplicate or not."""
        return (self.kind, self.on, self.points, self.source, self.counterparty, self.original)


class State(NamedTuple):
    """The ledger right after a posting on ``on``."""

    live: Lots  # lots expiring on or after ``on``, earliest first, none zero
    expired: int  # points in lots that expire before ``on``
    debt: int
    earned: int
    reversed: int  # what reversals of accruals took back
    redeemed: int  # net of reversed redemptions
    sent: int
    received: int
    unrecovered: int
    pending: Pending  # (release day, lot, points) released after ``on``, by release day

    @property
    def balance(self) -> int:
        """The balance on the posting's own date."""
        return sum(p for _, p in self.live) - self.debt


EMPTY = State((), 0, 0, 0, 0, 0, 0, 0, 0, ())


_new = tuple.__new__  # builds a NamedTuple without its Python-level __new__


def make_row(ref: str, request: Request, lots: Lots, debt: int, unrecovered: int) -> Row:
    """A :class:`Row`, built the fast way (a posting builds one)."""
    return _new(Row, (ref, *request, lots, debt, unrecovered))


#: The running total each kind of posting adds its points to (see :class:`State`).
_TOTAL = {"accrue": 3, "redeem": 5, "transfer_out": 6, "transfer_in": 7}


def _next_state(
    prev: State, row: Row, live: Lots, expired: int, original_kind: str | None, pending: Pending
) -> State:
    """The state after ``row``, given its live lots, expired and pending points."""
    values: list[Any] = list(prev)
    values[0], values[1], values[9] = live, expired, pending
    values[2] += row.debt
    if row.kind != "reverse":
        values[_TOTAL[row.kind]] += row.points
    elif original_kind == "redeem":
        values[5] -= row.points
    else:
        values[4] += row.points - row.unrecovered
        values[8] += row.unrecovered
    return _new(State, values)


class Store:
    """Postings and states, appended to and never changed."""

    __slots__ = (
        "claims", "dates", "entries", "expiries", "lock", "lot_log", "refs", "reversals", "rows",
        "rules", "settings", "states", "terms",
    )  # fmt: skip

    def __init__(self, settings: Settings, rules: Rules | None = None) -> None:
        self.settings = settings
        self.rules = rules  # a schedule's terms by day; None: the settings' all along
        self.terms = Terms(*settings[1:])  # the settings' terms (the first policy's)
        self.rows: list[Row] = []
        self.dates: list[date] = []
        self.states: list[State] = []
        self.refs: dict[str, int] = {}
        self.reversals: dict[str, list[int]] = {}  # a posting's ref: its reversals' positions
        # For each lot that lapsed: the positions that set what it holds, and the amount.
        self.lot_log: dict[date, tuple[list[int], list[int]]] = {}
        self.entries: list[HistoryEntry] = []  # history entries, built when first asked for
        self.lock = threading.Lock()  # for the history entries
        # The length a value may append at without a copy: the store's end while no
        # append is under way.  Popping it is atomic, so of two values of that length
        # posted to at once (from two threads) one appends and the other copies, as a
        # lock would have it, at a fifth of a lock's cost.
        self.claims: dict[int, bool] = {0: True}
        self.expiries: dict[date, date] = {}  # an accrual's day: its lot's expiry

    def _claim(self, length: int) -> Store:
        """The store a value of ``length`` entries appends to: this one when ``length``
        is its end (claimed until :meth:`_release`), else a copy of that prefix (the
        older value branched)."""
        return self if self.claims.pop(length, False) else self._prefix(length)

    def _release(self) -> None:
        self.claims[len(self.rows)] = True

    def append(self, length: int, row: Row) -> Store:
        """The store holding the first ``length`` entries and then ``row``: this one when
        ``length`` is its end, else a copy of that prefix (the older value branched)."""
        store = self._claim(length)
        try:
            store._push(row)
        finally:
            store._release()
        return store

    def append_accrual(self, length: int, row: Row, prev: State) -> Store:
        """:meth:`append` for an accrual onto ``prev`` (the state after ``length``
        entries), which takes the short way: at most one lot gains, no reversal to look
        up, one running total moves (the most common posting, so it is written out)."""
        store = self if self.claims.pop(length, False) else self._prefix(length)
        try:
            store._push_accrual(row, prev)
        finally:
            store.claims[len(store.rows)] = True
        return store

    def append_spend(self, length: int, row: Row, prev: State) -> Store:
        """:meth:`append` for a redemption or a transfer out onto ``prev`` with nothing
        pending: its changes take the earliest live lots, the last perhaps in part."""
        store = self if self.claims.pop(length, False) else self._prefix(length)
        try:
            store._push_spend(row, prev)
        finally:
            store.claims[len(store.rows)] = True
        return store

    def _push_spend(self, row: Row, prev: State) -> None:
        index = len(self.rows)
        on, changes = row.on, row.lots
        live, expired = prev.live, prev.expired
        if live and live[0][0] < on:
            live, expired = self._lapse(live, expired, on, index)
        k = len(changes)
        if k <= len(live) and all(c[0] == lot[0] for c, lot in zip(changes, live, strict=False)):
            rest = live[k - 1][1] + changes[-1][1]
            live = ((live[k - 1][0], rest), *live[k:]) if rest else live[k:]
        else:  # pragma: no cover - a spend takes the earliest live lots (none is zero)
            live, expired = self._apply(live, expired, row, index)
        values: list[Any] = list(prev)
        values[0], values[1] = live, expired
        values[_TOTAL[row.kind]] += row.points
        self.states.append(_new(State, values))
        self.rows.append(row)
        self.dates.append(on)
        self.refs[row.ref] = index

    def expiry_on(self, on: date) -> date:
        """When the points of an accrual on ``on`` expire (the policy in force then),
        remembered by day: the store's rules never change."""
        found = self.expiries.get(on)
        if found is None:
            rules = self.rules
            cycles = (
                self.settings.expire_after_cycles
                if rules is None
                else rules.on(on).expire_after_cycles
            )
            found = self.expiries[on] = cycle_expiry(on, cycles)
        return found

    def _push_accrual(self, row: Row, prev: State) -> None:
        index = len(self.rows)
        on, lots = row.on, row.lots
        live, expired, pending = prev.live, prev.expired, prev.pending
        if live and live[0][0] < on:
            live, expired = self._lapse(live, expired, on, index)
        if pending:
            pending = open_pending(pending, on)
        if lots:
            lot = lots[0]
            if not live or lot[0] > live[-1][0]:
                live = (*live, lot)
            elif lot[0] == live[-1][0] and live[-1][1] + lot[1]:
                live = (*live[:-1], (lot[0], live[-1][1] + lot[1]))
            else:
                live, expired = self._apply(live, expired, row, index)
            rules = self.rules
            days = self.settings.pending_days if rules is None else rules.on(on).pending_days
            if days:
                pending = add_pending(pending, on + timedelta(days=days), lot)
        self.states.append(_new(State, (
            live, expired, prev[2] + row.debt, prev[3] + row.points, prev[4], prev[5],
            prev[6], prev[7], prev[8], pending,
        )))  # fmt: skip
        self.rows.append(row)
        self.dates.append(on)
        self.refs[row.ref] = index

    def _push(self, row: Row) -> None:
        index = len(self.rows)
        prev = self.states[-1] if index else EMPTY
        original = None
        if row.original is not None:
            original = self.rows[self.refs[row.original]]
            self.reversals.setdefault(row.original, []).append(index)
        live, expired, pending = prev.live, prev.expired, prev.pending
        if live and live[0][0] < row.on:
            live, expired = self._lapse(live, expired, row.on, index)
        if pending:
            pending = open_pending(pending, row.on)
        if row.lots:
            before = live
            live, expired = self._apply(live, expired, row, index)
            if row.kind == "accrue":
                days = self.pending_days(row.on)
                if days:
                    pending = add_pending(pending, row.on + timedelta(days=days), row.lots[0])
            elif pending and original is not None and original.kind == "accrue":
                own = original.on + timedelta(days=self.pending_days(original.on))
                pending = settle_pending(pending, before, row.lots, own)
        kind = original.kind if original is not None else None
        self.states.append(_next_state(prev, row, live, expired, kind, pending))
        self.rows.append(row)
        self.dates.append(row.on)
        self.refs[row.ref] = index

    def pending_days(self, on: date) -> int:
        """``points.pending_days`` for an accrual on ``on`` (the policy in force then)."""
        rules = self.rules
        return self.settings.pending_days if rules is None else rules.on(on).pending_days

    def _lapse(self, live: Lots, expired: int, on: date, index: int) -> tuple[Lots, int]:
        """Lots that lapsed before ``on`` move from live to expired, and to the log."""
        keep = 0
        for expiry, points in live:
            if expiry >= on:
                break
            expired += points
            keep += 1
            self._log(expiry, index, points)
        return live[keep:], expired

    def _apply(self, live: Lots, expired: int, row: Row, index: int) -> tuple[Lots, int]:
        """``row``'s changes to the lots: to the live ones, or to lapsed ones (a reversal
        takes from them or gives back to them)."""
        changes, on = row.lots, row.on
        if len(changes) == 1 and changes[0][1] and changes[0][0] >= on:
            expiry, delta = changes[0]  # one live lot, as most postings change
            if not live or expiry > live[-1][0]:
                return (*live, (expiry, delta)), expired
            if expiry == live[-1][0]:
                points = live[-1][1] + delta
                return (*live[:-1], (expiry, points)) if points else live[:-1], expired
        merged = dict(live)
        for expiry, delta in changes:
            if expiry < on:
                expired += delta
                log = self.lot_log.get(expiry)
                self._log(expiry, index, (log[1][-1] if log else 0) + delta)
            else:
                merged[expiry] = merged.get(expiry, 0) + delta
        return tuple(sorted([(e, p) for e, p in merged.items() if p])), expired

    def _log(self, expiry: date, index: int, amount: int) -> None:
        log = self.lot_log.get(expiry)
        if log is None:
            self.lot_log[expiry] = ([index], [amount])
        else:
            log[0].append(index)
            log[1].append(amount)

    def _prefix(self, length: int) -> Store:
        """A store of this one's first ``length`` entries, claimed by its caller.  This
        one may be appended to meanwhile (by the value that claimed it): its lists and
        dicts only grow, and the dicts are read through a snapshot of their items."""
        copy = Store(self.settings, self.rules)
        copy.claims = {}
        copy.expiries = self.expiries  # a function of the day and the rules, shared
        copy.rows = self.rows[:length]
        copy.dates = self.dates[:length]
        copy.states = self.states[:length]
        copy.entries = self.entries[:length]
        copy.refs = {row.ref: i for i, row in enumerate(copy.rows)}
        for ref, positions in list(self.reversals.items()):
            kept = [i for i in positions if i < length]
            if kept:
                copy.reversals[ref] = kept
        for day, (positions, amounts) in list(self.lot_log.items()):
            keep = bisect_left(positions, length)
            if keep:
                copy.lot_log[day] = (positions[:keep], amounts[:keep])
        return copy

    def find(self, ref: str, length: int) -> Row | None:
        """The posting under ``ref`` among the first ``length``, if any."""
        index = self.refs.get(ref)
        return self.rows[index] if index is not None and index < length else None

    def reversed_of(self, ref: str, length: int) -> int:
        """The points of the posting ``ref`` that reversals among the first ``length``
        postings undid (a posting has a reversal or a few, never many)."""
        return sum(self.rows[i].points for i in self.reversals.get(ref, ()) if i < length)

    def lot(self, expiry: date, length: int) -> int:
        """What the lot expiring on ``expiry`` holds after the first ``length`` postings."""
        if not length:
            return 0
        if expiry >= self.dates[length - 1]:
            return dict(self.states[length - 1].live).get(expiry, 0)
        log = self.lot_log.get(expiry)
        last = bisect_left(log[0], length) - 1 if log else -1
        return log[1][last] if log and last >= 0 else 0

    def history(self, length: int) -> tuple[HistoryEntry, ...]:
        """The first ``length`` postings with the balance after each."""
        with self.lock:
            for i in range(len(self.entries), length):
                self.entries.append(HistoryEntry(Posting(*self.rows[i]), self.states[i].balance))
        return tuple(self.entries[:length])
