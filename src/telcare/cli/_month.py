"""One month of the programme for ``telcare run``: pure, from the extract's columns, the
store's previous month and the points book, through the rules as a library user calls them.

Nothing here reads or writes: :func:`run_month` returns the month's tables as numpy
columns (:class:`Month`), which :mod:`telcare.cli._store` writes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.dates import Period, points_cycle, zone
from telcare._core.object_codes import object_slots
from telcare.benefits import credit_allowances
from telcare.cli._run_reports import has_text, month_book, month_reports
from telcare.cli._run_rules import ONE_PROCESS, Rules
from telcare.marketing import call_lists, match_offers
from telcare.moments import STATUS_NAMES, scan_moments
from telcare.operations import ManagerBook
from telcare.points import PointsBook, exact_sum
from telcare.policy import BENEFIT_CODES, OfferCatalogue, Policy

__all__ = ["Days", "Month", "Previous", "days_of", "run_month"]

Columns = dict[str, Any]
Progress = Callable[[str], None]


@attrs.frozen(slots=True)
class Days:
    """The days a month's points are posted: bills earn on the 28th, redemptions are
    taken on the last day, and lots past their date are closed the day after."""

    accrue_on: date
    redeem_on: date
    expire_on: date


def days_of(month: Period) -> Days:
    """The posting days of ``month``."""
    return Days(month.start.replace(day=28), month.end, month.end + timedelta(days=1))


@attrs.frozen(slots=True, eq=False)
class Previous:
    """What the store's previous month left for this month's customers (row-aligned):
    the tier index held (-1 where the store does not know the customer), the
    consecutive missed evaluations, and the credit colour and suspension (None in the
    store's first month; green and not suspended for a customer new to it)."""

    tier: npt.NDArray[np.int64]
    missed: npt.NDArray[np.int64]
    colour: npt.NDArray[np.int8] | None = None
    suspended: npt.NDArray[np.bool_] | None = None


@attrs.frozen(slots=True, eq=False)
class Tiers:
    """The tier evaluation's columns: the tier, the missed evaluations, the tier qualified."""

    tier: npt.NDArray[np.int64]
    missed: npt.NDArray[np.int64]
    qualified: npt.NDArray[np.int64]


@attrs.frozen(slots=True, eq=False)
class Month:
    """The month's tables (columns, without the month), its figures and the book after it.

    A table's ``row`` column is the extract row of each of its rows (the store writes
    the customer's id there); ``labels`` names, per table, the columns held as indices
    into a list of labels (the tier codes, the offers, the agents); ``managers`` is the
    managers' book of the extract (keyed by row), which the reports of the store's
    history read too."""

    tables: dict[str, Columns]
    figures: dict[str, int]
    book: PointsBook
    labels: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    managers: ManagerBook | None = None


def _tier_of(values: Any, policy: Policy) -> Any:
    """Each row's tier index from the extract's tier codes ('' is the lowest tier); a
    column of objects (a file's) is looked up once per distinct object."""
    found = object_slots(values)
    if found is not None and len(found[0]) < len(values):
        reps, slots = found
        return _tier_of(values[reps], policy)[slots]
    codes = np.asarray(policy.tiers.codes, dtype=str)
    order = np.argsort(codes)
    given_text = np.asarray(values, dtype=str)
    at = np.minimum(np.searchsorted(codes[order], given_text), len(codes) - 1)
    return np.where(given_text == "", 0, order[at])


def _months_since(day: date, days: Any) -> Any:
    """The calendar months from each of ``days`` to ``day``'s month (its month's index
    subtracted): each day's month read from a table over the days' span, not worked
    out per row (numpy's calendar conversion is the slow part)."""
    at = np.asarray(days).astype("datetime64[D]", copy=False).view(np.int64)
    start = np.datetime64(day, "M").astype(np.int64)
    if not len(at):
        return np.zeros(0, np.int64)
    low, high = int(at.min()), int(at.max())
    if low == np.iinfo(np.int64).min or high - low > 1 << 20:  # NaT, or a span too wide
        return (np.datetime64(day, "M") - np.asarray(days).astype("datetime64[M]")).astype(np.int64)
    table = np.arange(low, high + 1).view("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    months = table[np.subtract(at, low, dtype=np.int32)]  # an int32 offset: half the memory
    return np.subtract(start, months, out=months)


def _anniversaries(start: date, activated: Any) -> Any:
    """The tenure years each activation day completes in ``start``'s month (0 for none),
    read from a table over the days' span: one int32 offset and one gather per row."""
    at = np.asarray(activated).astype("datetime64[D]", copy=False).view(np.int64)
    low, high = (int(at.min()), int(at.max())) if len(at) else (0, -1)
    if low == np.iinfo(np.int64).min or high - low > 1 << 20:  # NaT, or a span too wide
        since = _months_since(start, activated)
        return np.where((since > 0) & (since % 12 == 0), since // 12, 0)
    months = _months_since(start, np.arange(low, high + 1).view("datetime64[D]"))
    by_day = np.where((months > 0) & (months % 12 == 0), months // 12, 0)  # per day of the span
    return by_day[np.subtract(at, low, dtype=np.int32)]


def _tiers(cols: Columns, prev: Previous, policy: Policy, rules: Rules) -> tuple[Any, Tiers]:
    given = _tier_of(cols["tier"], policy)
    held = np.where(prev.tier >= 0, prev.tier, given).astype(np.int64)
    missed = np.where(prev.tier >= 0, prev.missed, 0).astype(np.int64)
    tier, missed, qualified = rules.tiers(cols["avg_spend"], cols["months_counted"], held, missed,
                                          policy)  # fmt: skip
    return held, Tiers(np.asarray(tier), np.asarray(missed), np.asarray(qualified))


def _total(points: Any) -> int:
    """The exact sum of a column of points (an int64 sum of a base's can wrap)."""
    return exact_sum(points, int(points.max(initial=0)))


def _points(
    cols: Columns, held: Any, rows: Any, book: PointsBook, days: Days, month: Period,
    policy: Policy, rules: Rules,
) -> tuple[PointsBook, Columns, dict[str, int]]:  # fmt: skip
    """Post the month's bills at the tier held during the month, take the redemptions
    (clipped to what each can spend) and close the lapsed lots."""
    years = _anniversaries(month.start, cols["activated_on"])
    earned = rules.points(
        cols["bill"], cols["data_bill"], cols["paid_on_time"], held, years, policy
    )
    full = np.zeros(len(book), dtype=np.int64)
    full[rows] = earned
    full[np.asarray(rows)[np.asarray(cols["bill"]) <= 0]] = 0  # no bill, no points
    book = book.post(days.accrue_on, full)
    asked = np.zeros(len(book), dtype=np.int64)
    asked[rows] = cols["points_redeemed"]
    spendable = book.spendable(days.redeem_on)  # a column of our own: taken is written there
    taken = np.minimum(asked, spendable, out=spendable)
    book = book.redeem(days.redeem_on, taken).expire(days.expire_on)
    figures = {"points.earned": _total(full), "points.redeemed": _total(taken),
               "points.redemptions_short": int((taken < asked).sum()),
               "points.liability_fen": int(book.liability(days.expire_on))}  # fmt: skip
    postings = {"accrued": full, "redeemed": taken}
    return book, postings, figures


def _moments(cols: Columns, book: PointsBook, rows: Any, as_of: date, policy: Policy) -> Any:
    expiring = book.expiring(as_of, policy.moments.points_expiry_days)[rows]
    cycle_end = np.datetime64(points_cycle(as_of).end, "D")
    return scan_moments(
        as_of, policy=policy, used=cols["arrears"],
        allowance=credit_allowances(cols["credit_level"], policy=policy),
        month_spend=cols["bill"], trailing_mean=cols["trailing_mean"],
        forwarded_share=cols["forwarded_share"], contract_ends_on=cols["contract_ends_on"],
        birthday=cols["birthday"], expiring_points=expiring,
        expires_on=np.broadcast_to(cycle_end, (len(rows),)),  # one day for all: no column
    )  # fmt: skip


def _moment_rows(scan: Any) -> Columns:
    """One row per customer and moment with an action (open, done or overdue)."""
    parts: dict[str, list[Any]] = {
        k: [] for k in ("row", "moment", "status", "opened_on", "due_by")
    }
    names = np.array(STATUS_NAMES, dtype=object)
    for m in scan.status:
        rows = np.flatnonzero(scan.status[m] > 0)
        parts["row"].append(rows)
        parts["moment"].append(np.full(len(rows), str(m), dtype=object))
        parts["status"].append(names[scan.status[m][rows]])  # the rows with an action only
        parts["opened_on"].append(scan.opened_on[m][rows])
        parts["due_by"].append(scan.due_by[m][rows])
    return {k: np.concatenate(v) if v else np.array([], dtype=object) for k, v in parts.items()}


def _offers(cols: Columns, tier: Any, members: Any, catalogue: OfferCatalogue, as_of: date,
            policy: Policy) -> tuple[Columns, dict[str, int]]:  # fmt: skip
    """The month's best offers and the first day's call lists (managers from the extract)."""
    at = datetime.combine(as_of, time(10, 0), tzinfo=zone(policy.timezone))
    tenure = _months_since(as_of, cols["activated_on"])
    match = match_offers(
        catalogue, at=at, tier=tier, segment_member=members, avg_spend=cols["avg_spend"],
        plan_fee=cols["plan_fee"], tenure_months=tenure, credit_level=cols["credit_level"],
        policy=policy,
    )  # fmt: skip
    best = match.best
    chosen = np.bincount(best[best >= 0], minlength=len(match.codes)).tolist()
    counts = dict(zip(match.codes, chosen, strict=True))
    figures = {f"offers.best.{c}": counts.get(c, 0) for c in catalogue.codes}
    if not has_text(cols["manager"]):
        return _no_calls(), figures
    lists = call_lists(match, cols["manager"], policy=policy)
    figures |= {"calls.listed": len(lists), "calls.overflow": int(lists.overflow)}
    calls = {
        "agent": np.asarray(lists.agents, dtype=object)[lists.agent], "position": lists.position,
        "row": np.asarray(lists.customer, dtype=np.int64),
        "offer": np.asarray(lists.codes, dtype=object)[lists.offer], "score": lists.score,
    }  # fmt: skip
    return calls, figures


def _no_calls() -> Columns:
    empty = np.array([], dtype=object)
    return {"agent": empty, "position": np.array([], np.int64), "row": np.array([], np.int64),
            "offer": empty, "score": np.array([], np.float64)}  # fmt: skip


def run_month(
    cols: Columns, month: Period, prev: Previous, book: PointsBook, rows: Any, *,
    policy: Policy, catalogue: OfferCatalogue | None, say: Progress, rules: Rules = ONE_PROCESS,
) -> Month:  # fmt: skip
    """The month through every rule (the partitioned ones in ``rules``' engine): ``rows``
    places each extract row in ``book``."""
    days = days_of(month)
    as_of = days.expire_on
    ids = cols["customer_id"]
    say("evaluating tiers")
    held, batch = _tiers(cols, prev, policy, rules)
    tier = batch.tier
    eligible = np.isin(tier, [policy.tiers.index(c) for c in policy.segment.eligible_tiers])
    tenure_days = (np.datetime64(as_of, "D") - cols["activated_on"]).astype(np.int64)
    members = np.asarray(rules.segment(cols["avg_spend"], eligible, tenure_days, ids,
                                       policy.segment.share))  # fmt: skip
    say("posting points")
    book, postings, figures = _points(cols, held, rows, book, days, month, policy, rules)
    say("granting benefits")
    matrix = np.asarray(rules.benefits(tier, members, cols["plan_fee"], cols["verification"],
                                       cols["status"], cols["credit_level"], policy))  # fmt: skip
    delayed = matrix[:, BENEFIT_CODES.index("delayed_suspension")]
    suspend = np.asarray(rules.suspensions(cols["arrears"], cols["credit_level"],
                                           cols["sms_last_hour"], delayed, cols["days_over"], policy))  # fmt: skip
    say("scanning the key moments")
    scan = _moments(cols, book, rows, as_of, policy)
    calls, offer_figures = _no_calls(), dict[str, int]()
    if catalogue is not None:
        say("matching offers and building call lists")
        calls, offer_figures = _offers(cols, tier, members, catalogue, as_of, policy)
    say("writing the bulletin and the warning list")
    colour = scan.colour if scan.colour is not None else np.zeros(len(ids), np.int8)
    said = None if prev.colour is None else (prev.colour, prev.suspended)
    managers = month_book(cols, policy)
    reports = month_reports(cols, managers, scan, suspend, colour, month.label, said, policy)
    customers: Columns = {
        "row": np.arange(len(ids)), "tier_held": held, "tier": tier,
        "missed": batch.missed, "qualified": batch.qualified, "segment": members,
        "points_earned": postings["accrued"][rows], "points_redeemed": postings["redeemed"][rows],
        "points_balance": book.balance(as_of)[rows], "suspend": suspend,
        "credit_colour": colour,
        **{f"benefit_{c}": matrix[:, j] for j, c in enumerate(BENEFIT_CODES)},
    }  # fmt: skip
    figures |= _figures(tier, held, batch, members, matrix, suspend, scan, len(calls["agent"]))
    tiers = {c: list(policy.tiers.codes) for c in ("tier_held", "tier", "qualified")}
    return Month({"customers": customers, "moments": _moment_rows(scan), "calls": calls,
                  **reports}, figures | offer_figures, book, {"customers": tiers}, managers)  # fmt: skip


def _figures(tier: Any, held: Any, batch: Any, members: Any, matrix: Any, suspend: Any,
             scan: Any, calls: int) -> dict[str, int]:  # fmt: skip
    granted = matrix.sum(axis=0)
    out = {"customers": len(tier), "tiers.up": int((tier > held).sum()),
           "tiers.down": int((tier < held).sum()),
           "tiers.kept_by_grace": int((batch.qualified < tier).sum()),
           "segment.members": int(members.sum()), "suspend": int(suspend.sum()), "calls": calls}  # fmt: skip
    out |= {f"benefits.{c}": int(granted[j]) for j, c in enumerate(BENEFIT_CODES)}
    for m, counts in scan.counts().items():
        out |= {f"moments.{m}.{k}": v for k, v in counts.items()}
    return out
