"""The values a points ledger records and reports: postings, lots, redemptions,
history entries and the summary.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any, ClassVar, Literal

import attrs

from telcare._core.display import Displayable, table_text

__all__ = [
    "SOURCES",
    "HistoryEntry",
    "Kind",
    "LedgerSummary",
    "Lot",
    "Lots",
    "Posting",
    "Redemption",
    "history_html",
    "receipt",
]

#: Live lots as (expiry date, points), earliest first.
Lots = tuple[tuple[date, int], ...]

Kind = Literal["accrue", "redeem", "transfer_out", "transfer_in", "reverse"]

#: The points sources the programme knows (seed 002), plus ``bonus`` for campaigns.
SOURCES: tuple[str, ...] = ("consumption", "data", "tenure", "credit", "bonus")


@attrs.frozen(slots=True)
class Lot(Displayable):
    """Points that expire together, at the end of ``expires_on``."""

    expires_on: date
    points: int


@attrs.frozen(slots=True)
class Posting(Displayable):
    """One line of the ledger.

    ``points`` is the magnitude asked for; ``lots`` is the effect on the lots
    (expiry date, signed change); ``debt`` the change of the negative balance
    (only under ``reversal="allow_negative"``); ``unrecovered`` what a
    claw-back could not take back.
    """

    ref: str
    kind: Kind
    on: date
    points: int
    source: str | None = None
    counterparty: str | None = None
    original: str | None = None
    lots: Lots = ()
    debt: int = 0
    unrecovered: int = 0

    def request(self) -> tuple[object, ...]:
        """What was asked for: the content that decides duplicate or not."""
        return (self.kind, self.on, self.points, self.source, self.counterparty, self.original)


@attrs.frozen(slots=True)
class Redemption(Displayable):
    """The receipt of a redemption: points spent, their value and the lots they came from."""

    _units: ClassVar[dict[str, str]] = {"value": "fen"}

    ref: str
    on: date
    points: int
    value: int
    lots: tuple[Lot, ...]


@attrs.frozen(slots=True)
class HistoryEntry(Displayable):
    """A posting with the balance right after it (as of the posting's date)."""

    posting: Posting
    balance: int


@attrs.frozen(slots=True)
class LedgerSummary(Displayable):
    """Every term of the accounting identity at one date."""

    as_of: date
    earned: int
    reversed: int
    balance: int
    redeemed: int
    expired: int
    transferred_out: int
    transferred_in: int
    unrecovered: int

    @property
    def balanced(self) -> bool:
        """Whether the identity holds (it always should)."""
        left = self.earned - self.reversed
        right = (
            self.balance + self.redeemed + self.expired + self.transferred_out - self.transferred_in
        )
        return left == right


_lot_set = [vars(Lot)[name].__set__ for name in ("expires_on", "points")]
_receipt_set = [vars(Redemption)[f.name].__set__ for f in attrs.fields(Redemption)]


def receipt(ref: str, on: date, points: int, value: int, changes: tuple[Any, ...]) -> Redemption:
    """``Redemption(ref, on, points, value, lots)`` of the redemption's ``changes`` as the
    ledger stores them (flat: expiry, change, expiry, change, ...), its values set through
    the slots (they were checked as the redemption's arguments)."""
    lots = []
    for k in range(0, len(changes), 2):
        lot = object.__new__(Lot)
        _lot_set[0](lot, changes[k])
        _lot_set[1](lot, -changes[k + 1])
        lots.append(lot)
    receipt = object.__new__(Redemption)
    set_ref, set_on, set_points, set_value, set_lots = _receipt_set
    set_ref(receipt, ref)
    set_on(receipt, on)
    set_points(receipt, points)
    set_value(receipt, value)
    set_lots(receipt, tuple(lots))
    return receipt


def history_html(entries: tuple[HistoryEntry, ...], customer_id: str, fen_per_point: int) -> str:
    """A ledger's last 20 postings with the balance after each, as an HTML table."""
    shown = entries[-20:]
    head = "".join(f"<th>{h}</th>" for h in ("date", "kind", "ref", "points", "source", "balance"))
    rows = "".join(
        "<tr>" + "".join(f"<td style='text-align:{a}'>{html.escape(v)}</td>" for a, v in (
            ("left", e.posting.on.isoformat()), ("left", e.posting.kind), ("left", e.posting.ref),
            ("right", f"{e.posting.points:,}"), ("left", e.posting.source or e.posting.counterparty or ""),
            ("right", f"{e.balance:,}"))) + "</tr>"
        for e in shown
    )  # fmt: skip
    more = f" (the last {len(shown)} of {len(entries)})" if len(entries) > len(shown) else ""
    caption = html.escape(f"PointsLedger of {customer_id}: {len(entries)} postings{more}; "
                          f"1 point = {fen_per_point} fen")  # fmt: skip
    return f"<table><caption>{caption}</caption><tr>{head}</tr>{rows}</table>"


def history_text(entries: tuple[HistoryEntry, ...], customer_id: str, fen_per_point: int) -> str:
    """A ledger's last 10 postings with the balance after each, as aligned text."""
    last = entries[-10:]
    more = f", the last {len(last)} shown" if len(entries) > len(last) else ""
    return table_text("PointsLedger", {
        "date": [e.posting.on for e in last], "kind": [e.posting.kind for e in last],
        "ref": [e.posting.ref for e in last], "points": [e.posting.points for e in last],
        "source": [e.posting.source or e.posting.counterparty or "" for e in last],
        "balance": [e.balance for e in last],
    }, {}, head=f"PointsLedger of {customer_id}: {len(entries):,} postings{more}; "
                 f"1 point = {fen_per_point} fen")  # fmt: skip
