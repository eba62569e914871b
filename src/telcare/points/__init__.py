"""Loyalty points: accrual, the yearly cycle with expiry, value in fen, redemption,
transfer, reversal, the customer's ledger and the programme's economics.
"""

from __future__ import annotations

from telcare.points._accrual import (
    PointsBreakdown,
    points_for_bill,
    points_for_bills,
    points_needed,
    points_value,
    qualifies_for_plan,
)
from telcare.points._book import PointsBook
from telcare.points._book_columns import exact_sum as exact_sum
from telcare.points._book_frame import (
    BookBalances,
    BookTotals,
    add_book_totals,
    book_balances,
    book_from_columns,
    book_to_columns,
    book_totals,
)
from telcare.points._economics import Economics, programme_economics
from telcare.points._ledger import PointsLedger
from telcare.points._postings import SOURCES, HistoryEntry, LedgerSummary, Lot, Posting, Redemption

# Second names the contract fixed before the naming rule (docs/contributing.md).
accrue_batch = points_for_bills

__all__ = [
    "SOURCES",
    "BookBalances",
    "BookTotals",
    "Economics",
    "HistoryEntry",
    "LedgerSummary",
    "Lot",
    "PointsBook",
    "PointsBreakdown",
    "PointsLedger",
    "Posting",
    "Redemption",
    "accrue_batch",
    "add_book_totals",
    "book_balances",
    "book_from_columns",
    "book_to_columns",
    "book_totals",
    "points_for_bill",
    "points_for_bills",
    "points_needed",
    "points_value",
    "programme_economics",
    "qualifies_for_plan",
]
