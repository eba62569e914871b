"""The demo's points section: a year of bills issued, redeemed, lapsed and reversed, kept
in the whole base's points book."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np

from telcare.points import PointsBook, PointsLedger, points_for_bills, programme_economics
from telcare.policy import Policy
from telcare.synthetic import SyntheticBase, month_starts

__all__ = ["points_section"]


def _post_bills(
    base: SyntheticBase, tier: Any, policy: Policy, rng: np.random.Generator
) -> tuple[list[date], Any, dict[str, Any], list[PointsBook], list[int]]:
    """Post the 24 months of bills into the whole base's points book, a month at a time
    (a loop over months, never over customers): the bill dates, the points issued per
    customer in the previous and this cycle, this cycle's bills as the what-if reads
    them (a bill of nothing earns nothing), the book at the end of the previous cycle
    and at the last bill, and the liability after each bill of this cycle."""
    spend = base.monthly_spend
    act_month = base.activated_on.astype("datetime64[M]").astype(np.int64)
    bills = month_starts(base.as_of, 24)
    issued = np.zeros((len(base), 2), dtype=np.int64)  # previous cycle, this cycle
    paid_on_time = np.zeros((len(base), 12), dtype=bool)
    anniversary = np.zeros((len(base), 12), dtype=np.int64)
    book = PointsBook.empty(base.ids, policy=policy)
    books: list[PointsBook] = []
    by_month: list[int] = []
    for col, month in enumerate(bills):
        billed = spend[:, col]
        since = np.datetime64(month, "M").astype(np.int64) - act_month
        years = np.where((since > 0) & (since % 12 == 0), since // 12, 0)
        paid = rng.random(len(base)) < base.on_time
        data = (billed * base.data_share).astype(np.int64)
        points = points_for_bills(billed, data, paid, tier, years, policy=policy)
        bill_points = np.where(billed > 0, points, 0)
        book = book.post(_billed_on(month), bill_points)
        issued[:, col // 12] += bill_points
        if col == 11:
            books.append(book)  # the previous cycle's last bill: the year opens here
        if col >= 12:
            by_month.append(book.liability(_billed_on(month)))
            paid_on_time[:, col - 12] = paid & (billed > 0)
            anniversary[:, col - 12] = np.where(billed > 0, years, 0)
    this_cycle = spend[:, 12:]
    whatif = {"bills": this_cycle, "data_bills": (this_cycle * base.data_share[:, None]).astype(np.int64),
              "paid_on_time": paid_on_time, "anniversary_years": anniversary}  # fmt: skip
    return bills, issued, whatif, [*books, book], by_month


def _billed_on(month: date) -> date:
    """The day a month's bill earns its points (the 28th: in every month)."""
    return month.replace(day=28)


def _sample_ledger(
    base: SyntheticBase, tier: Any, policy: Policy, bills: list[date], earned_any: bool
) -> PointsLedger:
    """The first customer's ledger over the 24 bills, with one redemption."""
    spend = base.monthly_spend
    ledger = PointsLedger.empty(str(base.ids[0]), policy=policy)
    for col, month in enumerate(bills):
        if spend[0, col] > 0 and earned_any:
            earned = int(
                points_for_bills([spend[0, col]], [0], [True], [tier[0]], [0], policy=policy)[0]
            )
            ledger = ledger.accrue(
                f"bill-{month:%Y-%m}", month.replace(day=28), earned, "consumption"
            )
    balance_day = base.as_of - timedelta(days=1)
    spendable = ledger.spendable(balance_day)  # pending points (points.pending_days) wait
    if spendable > 0:
        ledger, _ = ledger.redeem("demo-topup", balance_day, max(1, spendable // 3))
    return ledger


def _redeem_and_reverse(
    book: PointsBook,
    base: SyntheticBase,
    tier: Any,
    policy: Policy,
    rng: np.random.Generator,
    bills: list[date],
    earned: Any,
) -> PointsBook:
    """A customer redeems a share of what the two cycles earned (beta-distributed) the
    day before the previous cycle lapses, earliest-expiring points first; 1 in 100
    disputes this cycle's last bill, whose points still unspent are reversed."""
    spend = base.monthly_spend
    cycle_end = (bills[-1] + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    day = cycle_end - timedelta(days=1)
    asked = (rng.beta(1.0, 3.0, len(base)) * earned).astype(np.int64)
    book = book.redeem(day, np.minimum(asked, book.spendable(day)))
    last_bill = points_for_bills(
        spend[:, -1], np.zeros(len(base), np.int64), np.zeros(len(base), bool), tier,
        np.zeros(len(base), np.int64), policy=policy,
    )  # fmt: skip
    disputed = rng.random(len(base)) < 0.01
    unspent = book.balance(base.as_of)  # this cycle's points left: the previous cycle's lapse
    return book.reverse(cycle_end, np.where(disputed, np.minimum(last_bill, unspent), 0),
                        _billed_on(bills[-1]))  # fmt: skip


def points_section(
    base: SyntheticBase,
    tier: Any,
    policy: Policy,
    rng: np.random.Generator,
    out: dict[str, dict[str, Any]],
    whatif: dict[str, Any],
) -> None:
    """The year's points from the whole base's :class:`~telcare.PointsBook`: the bills
    posted month by month, one redemption before the previous cycle lapses on 30 Nov
    (earliest-expiring points first), the disputed bills reversed, and every figure
    (opening, issued, redeemed, expired, reversed, outstanding, the liability month by
    month) read from the book's lots."""
    spend = base.monthly_spend
    bills, issued, bill_columns, books, by_month = _post_bills(base, tier, policy, rng)
    previous, current = issued[:, 0], issued[:, 1]
    opening_book, book = books
    book = _redeem_and_reverse(book, base, tier, policy, rng, bills, previous + current)
    opening = opening_book.summary(bills[12])
    closing = book.summary(base.as_of)
    outstanding = book.balance(base.as_of)
    whatif.update(
        bill_columns, points_balance=previous, points_spent=previous + current - outstanding
    )
    revenue = int(spend[:, 12:].sum())
    econ = programme_economics(revenue, book=book, as_of=base.as_of, opening=opening, policy=policy)
    ledger = _sample_ledger(base, tier, policy, bills, bool(issued[0].sum() > 0))
    summary = ledger.summary(base.as_of)
    by_month[-1] = book.liability(base.as_of)  # after the redemption, the reversals and the lapse
    out["points"] = {
        "months": [f"{m:%Y-%m}" for m in bills[12:]],
        "liability_by_month": by_month,
        "opening": int(opening.balance),
        "issued": int(closing.earned - opening.earned),
        "redeemed": int(closing.redeemed - opening.redeemed),
        "expired": int(closing.expired - opening.expired),
        "reversed": int(closing.reversed - opening.reversed),
        "outstanding": int(closing.balance),
        "liability_fen": int(book.liability(base.as_of)),
        "revenue_fen": int(revenue),
        "return_rate_pct": econ.return_rate * 100,
        "cost_ratio_pct": econ.cost_ratio * 100,
        "other_costs_fen": int(econ.other_costs),
        "plan_members": int((current > policy.points.plan_threshold).sum()),
        "sample_ledger": {
            "customer": ledger.customer_id,
            "postings": len(ledger),
            "balance": summary.balance,
            "expired": summary.expired,
            "balanced": summary.balanced,
        },
    }
