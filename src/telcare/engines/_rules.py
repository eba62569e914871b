"""The built-in whole-base rules, as rows of the registry (:data:`telcare.RULES`).

Each row names the function, its input columns with their kind and bounds, and
its outputs.  The API reference's table of batch rules and the engines are
generated from these rows, so a new whole-base rule is one function and one row.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from telcare._core.columns import BatchRule, Column
from telcare._core.limits import MAX_AVG_SPEND, MAX_BILL, MAX_COUNT, MAX_DAYS, MAX_FEN, MAX_POINTS
from telcare.benefits import check_benefits, check_suspensions, watch_list
from telcare.customers import AccountStatus, Verification
from telcare.metrics import rates_by_group
from telcare.moments import scan_moments
from telcare.points import book_balances, book_totals, points_for_bills
from telcare.tiers import evaluate_tiers, mid_high_end

__all__ = ["BUILTIN_RULES", "RULES"]

_TIER = Column("tier", "int", doc="index into policy.tiers.codes")
_IDS = Column("ids", "label", doc="customer id, one row each (the book's ids)")
_BOOK_TOTAL = 1000 * MAX_POINTS  # what one customer may earn over a book's life


def _total(name: str, doc: str) -> Column:
    return Column(name, "int", maximum=_BOOK_TOTAL, required=False, doc=doc)


BUILTIN_RULES: tuple[BatchRule, ...] = (
    BatchRule(
        "evaluate_tiers",
        evaluate_tiers,
        (
            Column("avg_spend", "int", maximum=MAX_AVG_SPEND, doc="average monthly spend, fen"),
            Column("months", "int", maximum=10_000, doc="billed months in the window"),
            Column("current", "int", required=False, doc="present tier index (default 0)"),
            Column("missed", "int", maximum=MAX_COUNT, required=False, doc="missed evaluations"),
            Column(
                "floor", "int", required=False, doc="a manager's floor: tier index or code, 0 none"
            ),
            Column(
                "floor_until",
                "date",
                required=False,
                missing=True,
                doc="the floor's last day (with as_of=); missing where floor is 0",
            ),
        ),
        ("tier", "missed", "changed", "qualified"),
        "the tier ladder with its downgrade grace (one_down as the policy says) and "
        "a manager's floor",
    ),
    BatchRule(
        "mid_high_end",
        mid_high_end,
        (
            Column("avg_spend", "int", doc="last year's average monthly spend, fen"),
            Column("eligible", "bool", doc="may join the segment (not VIP)"),
            Column("tenure_days", "int", required=False, doc="breaks ties: longer first"),
            Column("ids", "label", required=False, doc="breaks ties: smaller first"),
        ),
        ("mid_high_end",),
        "the top share of eligible customers by spend, exactly floor(share * n)",
    ),
    BatchRule(
        "points_for_bills",
        points_for_bills,
        (
            Column("spend", "int", maximum=MAX_BILL, doc="the bill, fen"),
            Column("data_spend", "int", maximum=MAX_BILL, doc="the data part of the bill, fen"),
            Column("paid_on_time", "bool", doc="earns the credit points"),
            _TIER,
            Column("tenure_years", "int", maximum=10_000, doc="years at an anniversary, or 0"),
        ),
        ("points",),
        "points earned per bill",
    ),
    BatchRule(
        "check_benefits",
        check_benefits,
        (
            _TIER,
            Column("segment_member", "bool", doc="member of the policy's segment"),
            Column("plan_fee", "int", maximum=MAX_FEN, doc="monthly plan fee, fen"),
            Column("verification", "int", maximum=len(Verification) - 1, doc="Verification value"),
            Column("status", "int", maximum=len(AccountStatus) - 1, doc="AccountStatus value"),
            Column("credit_level", "int", minimum=1, required=False, doc="when a rule gates on it"),
        ),
        ("eligible[benefit]",),
        "eligibility for every benefit of the catalogue",
    ),
    BatchRule(
        "check_suspensions",
        check_suspensions,
        (
            Column("arrears", "int", maximum=10**13, doc="what the account owes, fen"),
            Column("credit_level", "int", minimum=1, doc="a level of credit.allowances"),
            Column("sms_last_hour", "int", maximum=MAX_COUNT, doc="SMS sent in the last hour"),
            Column("delayed", "bool", required=False, doc="holds the delayed-suspension benefit"),
            Column(
                "days_over", "int", maximum=MAX_DAYS, required=False, doc="days over the allowance"
            ),
        ),
        ("suspend",),
        "arrears beyond the allowance (after any delayed suspension), or spam while in arrears",
    ),
    BatchRule(
        "watch_list",
        watch_list,
        (
            Column("id_numbers", "label", doc="ID document number", missing=True),
            Column("contact_phones", "label", doc="contact phone", missing=True),
            Column("addresses", "label", doc="address", missing=True),
            Column("operator_ids", "label", doc="staff id that opened the account", missing=True),
            Column("batch_entered", "bool", required=False, doc="entered in a batch"),
            Column("handset_bundled", "bool", required=False, doc="bound to a bundled handset"),
        ),
        ("watch",),
        "accounts sharing an ID, phone or address, batch-entered or handset-bound, or opened by a busy operator",
    ),
    BatchRule(
        "scan_moments",
        scan_moments,
        (),
        ("due[moment]", "opened_on[moment]", "due_by[moment]", "status[moment]", "colour"),
        "the snapshot moments; its columns are those of each moment's whole-base form",
    ),
    BatchRule(
        "rates_by_group",
        rates_by_group,
        (
            Column("groups", "label", doc="group of each row"),
            Column("successes", "int", doc="0/1 outcomes, or counts with trials"),
            Column("trials", "int", required=False, doc="trials per row"),
        ),
        ("numerator", "denominator", "low", "high"),
        "a rate with its Wilson interval per group",
    ),
    BatchRule(
        "book_balances",
        book_balances,
        (
            _IDS,
            _total("debt", "points owed (allow_negative only)"),
            _total("expired_closed", "points of the lots expire() closed"),
        ),
        ("balance", "spendable", "expiring", "expired"),
        "each customer's points on a date from the points book's columns: its lots are "
        "the lot_YYYY_MM_DD columns, however many, with their pending_YYYY_MM_DD_lot_YYYY_MM_DD",
    ),
    BatchRule(
        "book_totals",
        book_totals,
        (
            _IDS,
            _total("debt", "points owed (allow_negative only)"),
            _total("earned", "points earned over the book's life"),
            _total("reversed", "points reversed"),
            _total("redeemed", "points redeemed"),
            _total("expired_closed", "points of the lots expire() closed"),
            _total("unrecovered", "reversals the lots could not give"),
        ),
        ("earned", "reversed", "balance", "redeemed", "expired", "unrecovered", "liability"),
        "the base's terms of the accounting identity and its liability in fen, from the "
        "points book's columns (exact ints: partitions add up)",
    ),
)

#: The built-in whole-base rules by name.
RULES: Mapping[str, BatchRule] = MappingProxyType({r.name: r for r in BUILTIN_RULES})
