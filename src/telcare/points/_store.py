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

The lots in a stored posting and in a stored state are flat, ``(expiry, points,
expiry, points, ...)`` (:data:`Flat`), not pairs: a tuple that holds only dates and
numbers stops being tracked by the garbage collector at its first young collection,
but one that holds a pair only once the pair has stopped, a pass later, and the
collector's pass visits the outer tuple first.  With pairs, a posting's row and state
reached the oldest generation still tracked, and a long ledger's postings pushed the
collector into full collections of the whole heap (the process's, not the ledger's);
flat, they drop out young.  :class:`Row` and :class:`State` (:func:`row_view`,
:meth:`Store.state`) give the lots as pairs again, as :class:`~telcare.Posting` has
them.  The store also lists each posting's lots and the state's live lots
(``kept``): the collector keeps an object it reaches from an older one where it
is, in the order it was made (the lots before the posting that holds them), and
moves one reached only from young objects behind them, so without the list a
posting's row would still be looked at before its lots and stay tracked one pass
longer.  For the same reason a branch's copy lists the lots it took over, before
anything else (the collector walks a store's lists in the order of its slots, and
``kept`` comes before ``rows`` and ``states``), and a posting made before it is stored
(a transfer out, while the receiver's side is worked out; any posting while a branch
is copied) has its lots in a local meanwhile.  With it, a plain posting (nothing
pending) leaves nothing tracked after its first young collection, on a branch too.
This is the collector's business only: no answer depends on it.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, NamedTuple

from telcare._core.dates import CYCLE_START_MONTH
from telcare.points._pending import Pending, add_pending, open_pending, settle_pending
from telcare.points._postings import HistoryEntry, Kind, Lots, Posting
from telcare.points._terms import Rules, Terms, expiry as cycle_expiry

__all__ = ["EMPTY", "Entry", "Request", "Row", "Settings", "State", "Store", "Tally"]
__all__ += ["Flat", "balance_of", "flat", "held_on", "make_row", "pairs", "row_view"]
__all__ += ["state_view"]

#: Lots stored flat: ``(expiry, points, expiry, points, ...)``, earliest expiry first
#: (see the module's docstring).
Flat = tuple[Any, ...]
#: What a posting asks for: (kind, on, points, source, counterparty, original).
Request = tuple[Kind, date, int, str | None, str | None, str | None]
#: A posting as the store keeps it: :class:`Row`'s fields, in order, as a plain tuple,
#: built in a third of a NamedTuple's time; the garbage collector stops tracking it once
#: it holds only dates, numbers and strings (never a tuple subclass), so kept postings
#: cost its walks nothing.
Entry = tuple[str, Kind, date, int, str | None, str | None, str | None, Flat, int, int]
#: The ledger right after a posting: :class:`State`'s fields, in order, as a plain tuple
#: (its live lots :data:`Flat`).
Tally = tuple[Flat, int, int, int, int, int, int, int, int, Pending]


class Settings(NamedTuple):
    """What every ledger value of one line of postings shares besides the postings."""

    customer_id: str
    expire_after_cycles: int
    fen_per_point: int
    reversal_mode: str
    pending_days: int
    timezone: str


class Row(NamedTuple):
    """The named view of an :data:`Entry` (the fields of :class:`~telcare.Posting`, in
    order, the lots as pairs), for the paths that are not a posting's: :func:`row_view`."""

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
    """The named view of a :data:`Tally` (the live lots as pairs): the ledger right after
    a posting on ``on``."""

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


def balance_of(state: Tally) -> int:
    """The balance on the date of the posting ``state`` follows."""
    return sum(state[0][1::2]) - state[2]


def flat(lots: Iterable[tuple[date, int]]) -> Flat:
    """``lots`` as stored: ``((e1, p1), (e2, p2))`` -> ``(e1, p1, e2, p2)``."""
    return tuple([x for lot in lots for x in lot])


def pairs(lots: Flat) -> Lots:
    """Stored lots as pairs again: ``(e1, p1, e2, p2)`` -> ``((e1, p1), (e2, p2))``."""
    return tuple(zip(lots[::2], lots[1::2], strict=True))


def held_on(live: Flat, day: date) -> int:
    """What the stored live lots ``live`` hold in lots expiring on or after ``day``."""
    return sum(live[k + 1] for k in range(0, len(live), 2) if live[k] >= day)


def row_view(entry: Entry) -> Row:
    """The named view of a stored posting, its lots as pairs."""
    return Row(*entry[:7], pairs(entry[7]), entry[8], entry[9])


def state_view(state: Tally) -> State:
    """The named view of a stored state, its live lots as pairs."""
    return State(pairs(state[0]), *state[1:])


EMPTY: Tally = ((), 0, 0, 0, 0, 0, 0, 0, 0, ())


def make_row(ref: str, request: Request, lots: Lots, debt: int, unrecovered: int) -> Entry:
    """The :data:`Entry` of a posting of the changes ``lots`` (pairs, stored flat)."""
    return (ref, *request, flat(lots), debt, unrecovered)


#: The running total each kind of posting adds its points to (see :class:`State`).
_TOTAL = {"accrue": 3, "redeem": 5, "transfer_out": 6, "transfer_in": 7}


def _next_state(
    prev: Tally, row: Entry, live: Flat, expired: int, original_kind: str | None, pending: Pending
) -> Tally:
    """The state after ``row``, given its live lots, expired and pending points."""
    values: list[Any] = list(prev)
    values[0], values[1], values[9] = live, expired, pending
    values[2] += row[8]
    kind, points = row[1], row[3]
    if kind != "reverse":
        values[_TOTAL[kind]] += points
    elif original_kind == "redeem":
        values[5] -= points
    else:
        values[4] += points - row[9]
        values[8] += row[9]
    return tuple(values)


class Store:
    """Postings and states, appended to and never changed."""

    __slots__ = (
        "claims", "cycles", "dates", "entries", "expiries", "kept", "lock", "lot_log", "refs",
        "reversals", "rows", "rules", "settings", "states", "terms",
    )  # fmt: skip

    def __init__(self, settings: Settings, rules: Rules | None = None) -> None:
        self.settings = settings
        self.rules = rules  # a schedule's terms by day; None: the settings' all along
        self.terms = Terms(*settings[1:])  # the settings' terms (the first policy's)
        self.rows: list[Entry] = []
        self.dates: list[date] = []
        self.states: list[Tally] = []
        self.kept: list[Flat] = []  # lots and live lots, for the collector (see above)
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
        self.expiries: dict[date, date] = {}  # under a schedule: an accrual's day, its expiry
        self.cycles: dict[int, date] = {}  # under one policy: a cycle's year, its expiry

    def _claim(self, length: int) -> Store:
        """The store a value of ``length`` entries appends to: this one when ``length``
        is its end (claimed until :meth:`_release`), else a copy of that prefix (the
        older value branched)."""
        return self if self.claims.pop(length, False) else self._prefix(length)

    def _release(self) -> None:
        self.claims[len(self.rows)] = True

    def append(self, length: int, row: Entry) -> Store:
        """The store holding the first ``length`` entries and then ``row``: this one when
        ``length`` is its end, else a copy of that prefix (the older value branched)."""
        lots = row[7]  # in a local for the collector while a branch is copied (see above)
        store = self._claim(length)
        try:
            store._push(row)
        finally:
            store._release()
        del lots
        return store

    def expiry_on(self, on: date) -> date:
        """When the points of an accrual on ``on`` expire (the policy in force then),
        remembered by cycle (by day under a schedule): the store's rules never change."""
        rules = self.rules
        if rules is None:
            year = on.year + (on.month >= CYCLE_START_MONTH)
            found = self.cycles.get(year)
            if found is None:
                found = self.cycles[year] = cycle_expiry(on, self.settings.expire_after_cycles)
            return found
        found = self.expiries.get(on)
        if found is None:
            found = self.expiries[on] = cycle_expiry(on, rules.on(on).expire_after_cycles)
        return found

    def _push(self, row: Entry) -> None:
        index = len(self.rows)
        ref, kind, on, _, _, _, original_ref, lots, _, _ = row
        prev = self.states[-1] if index else EMPTY
        original = None
        if original_ref is not None:
            original = self.rows[self.refs[original_ref]]
            self.reversals.setdefault(original_ref, []).append(index)
        live, expired, pending = prev[0], prev[1], prev[9]
        if live and live[0] < on:
            live, expired = self._lapse(live, expired, on, index)
        if pending:
            pending = open_pending(pending, on)
        if lots:
            before = live
            live, expired = self._apply(live, expired, row, index)
            if kind == "accrue":
                days = self.pending_days(on)
                if days:
                    lot = (lots[0], lots[1])
                    pending = add_pending(pending, on + timedelta(days=days), lot)
            elif pending and original is not None and original[1] == "accrue":
                own = original[2] + timedelta(days=self.pending_days(original[2]))
                pending = settle_pending(pending, pairs(before), pairs(lots), own)
        original_kind = original[1] if original is not None else None
        self.states.append(_next_state(prev, row, live, expired, original_kind, pending))
        self.rows.append(row)
        self.kept.append(row[7])
        self.kept.append(live)
        self.dates.append(on)
        self.refs[ref] = index

    def pending_days(self, on: date) -> int:
        """``points.pending_days`` for an accrual on ``on`` (the policy in force then)."""
        rules = self.rules
        return self.settings.pending_days if rules is None else rules.on(on).pending_days

    def _lapse(self, live: Flat, expired: int, on: date, index: int) -> tuple[Flat, int]:
        """Lots that lapsed before ``on`` move from live to expired, and to the log."""
        keep = 0
        while keep < len(live) and live[keep] < on:
            points = live[keep + 1]
            expired += points
            self._log(live[keep], index, points)
            keep += 2
        return live[keep:], expired

    def _apply(self, live: Flat, expired: int, row: Entry, index: int) -> tuple[Flat, int]:
        """``row``'s changes to the lots: to the live ones, or to lapsed ones (a reversal
        takes from them or gives back to them)."""
        changes, on = row[7], row[2]
        if len(changes) == 2 and changes[1] and changes[0] >= on:
            expiry, delta = changes  # one live lot, as most postings change
            if not live or expiry > live[-2]:
                return live + changes, expired
            if expiry == live[-2]:
                points = live[-1] + delta
                return live[:-2] + (expiry, points) if points else live[:-2], expired  # noqa: RUF005
        merged: dict[date, int] = dict(pairs(live))
        for expiry, delta in pairs(changes):
            if expiry < on:
                expired += delta
                log = self.lot_log.get(expiry)
                self._log(expiry, index, (log[1][-1] if log else 0) + delta)
            else:
                merged[expiry] = merged.get(expiry, 0) + delta
        return flat(sorted([(e, p) for e, p in merged.items() if p])), expired

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
        copy.cycles = self.cycles  # a function of the cycle and the settings, shared
        copy.kept = self.kept[: 2 * length]  # first, for the collector (see above)
        copy.rows = self.rows[:length]
        copy.dates = self.dates[:length]
        copy.states = self.states[:length]
        copy.entries = self.entries[:length]
        copy.refs = {row[0]: i for i, row in enumerate(copy.rows)}
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
        """The posting under ``ref`` among the first ``length``, if any (its named view)."""
        index = self.refs.get(ref)
        return row_view(self.rows[index]) if index is not None and index < length else None

    def state(self, length: int) -> State:
        """The state after the first ``length`` postings (its named view)."""
        return state_view(self.states[length - 1] if length else EMPTY)

    def reversed_of(self, ref: str, length: int) -> int:
        """The points of the posting ``ref`` that reversals among the first ``length``
        postings undid (a posting has a reversal or a few, never many)."""
        return sum(self.rows[i][3] for i in self.reversals.get(ref, ()) if i < length)

    def lot(self, expiry: date, length: int) -> int:
        """What the lot expiring on ``expiry`` holds after the first ``length`` postings."""
        if not length:
            return 0
        if expiry >= self.dates[length - 1]:
            return dict(pairs(self.states[length - 1][0])).get(expiry, 0)
        log = self.lot_log.get(expiry)
        last = bisect_left(log[0], length) - 1 if log else -1
        return log[1][last] if log and last >= 0 else 0

    def history(self, length: int) -> tuple[HistoryEntry, ...]:
        """The first ``length`` postings with the balance after each."""
        with self.lock:
            for i in range(len(self.entries), length):
                entry = HistoryEntry(Posting(*row_view(self.rows[i])), balance_of(self.states[i]))
                self.entries.append(entry)
        return tuple(self.entries[:length])
