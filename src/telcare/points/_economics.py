"""The programme's economics: what the points cost against the revenue they reward,
from totals or from a :class:`~telcare.PointsBook`'s lots."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import ClassVar

import attrs

from telcare._core.checks import instance, integer
from telcare._core.display import Displayable
from telcare._core.errors import InvalidInput
from telcare._core.label_checks import local_day
from telcare._core.limits import MAX_POINTS
from telcare.points._book import PointsBook
from telcare.points._book_columns import exact_sum
from telcare.points._postings import LedgerSummary
from telcare.policy import Policy, PolicySchedule, resolve

__all__ = ["Economics", "programme_economics"]


@attrs.frozen(slots=True)
class Economics(Displayable):
    """What the programme costs against the revenue it rewards.

    ``return_rate``: value of the points issued / revenue (2% by default);
    ``points_outstanding``: the live points (a customer's debt is not netted against
    another's points); ``liability``: their value in fen, ``points_outstanding *
    fen_per_point``;
    ``cost_ratio``: (value of points issued + other costs) / revenue.  Read from a
    points book, the period's points redeemed, expired and reversed come too (``None``
    when the economics were computed from totals).
    """

    _units: ClassVar[dict[str, str]] = {
        "revenue": "fen",
        "other_costs": "fen",
        "issued_value": "fen",
        "liability": "fen",
        "return_rate": "share",
        "cost_ratio": "share",
    }

    revenue: int
    points_issued: int
    points_outstanding: int
    other_costs: int
    issued_value: int
    liability: int
    return_rate: float
    cost_ratio: float
    points_redeemed: int | None = None
    points_expired: int | None = None
    points_reversed: int | None = None


def programme_economics(
    revenue: int,
    points_issued: int | None = None,
    points_outstanding: int | None = None,
    *,
    other_costs: int | None = None,
    policy: Policy | PolicySchedule | None = None,
    book: PointsBook | None = None,
    as_of: object = None,
    opening: LedgerSummary | None = None,
) -> Economics:
    """Return rate, outstanding liability and cost ratio of the programme.

    ``revenue`` and ``other_costs`` are fen over the period; ``points_issued`` the
    points earned in it; ``points_outstanding`` the live points at its end.  Or
    ``book=`` a :class:`~telcare.PointsBook` and ``as_of=`` the period's end: every
    figure from its lots (``book.summary(as_of)``, ``book.liability(as_of)``), less
    ``opening=`` (its summary at the period's start) when given.  Without
    ``other_costs``, the policy's ``points.other_costs`` (shares of revenue, 0.3% by
    default) are charged: 2% plus 0.3%, against seed 002's forecast 2.3% of revenue.

    Every point is valued at the ``fen_per_point`` in force on ``as_of`` and a debt is not
    netted off; ``policy=`` may be a :class:`~telcare.PolicySchedule` (the one in force then).

    >>> import telcare as tc
    >>> e = tc.programme_economics(tc.yuan(1_000_000), 1_000_000, 400_000)
    >>> e.return_rate, e.cost_ratio, tc.format_yuan(e.liability), tc.format_yuan(e.other_costs)
    (0.02, 0.023, '¥8,000.00', '¥3,000.00')
    >>> tc.programme_economics(tc.yuan(1_000_000), 1_000_000, 0, other_costs=0).cost_ratio
    0.02
    >>> from datetime import date
    >>> book = tc.PointsBook.empty(["a", "b"]).post(date(2010, 1, 31), [600_000, 400_000])
    >>> book = book.redeem(date(2010, 6, 1), [500_000, 100_000])
    >>> e = tc.programme_economics(tc.yuan(1_000_000), book=book, as_of=date(2010, 11, 30))
    >>> e.points_issued, e.points_redeemed, e.points_outstanding, tc.format_yuan(e.liability)
    (1000000, 600000, 400000, '¥8,000.00')
    """
    policy = resolve(policy, "programme_economics", as_of=as_of)
    revenue = integer(revenue, "revenue", maximum=10**17)
    totals = (points_issued, points_outstanding)
    moved: tuple[int | None, ...] = (None, None, None)
    if book is None:
        issued, outstanding, fen = _from_totals(totals, as_of, policy)
    else:
        issued, outstanding, fen, moved = _from_book(book, as_of, opening, totals)
    other = _other_costs(revenue, other_costs, policy)
    if revenue == 0:
        raise InvalidInput("revenue must be positive to compute rates, got 0")
    issued_value = issued * fen
    return Economics(
        revenue=revenue,
        points_issued=issued,
        points_outstanding=outstanding,
        other_costs=other,
        issued_value=issued_value,
        liability=outstanding * fen,
        return_rate=issued_value / revenue,
        cost_ratio=(issued_value + other) / revenue,
        **dict(zip(("points_redeemed", "points_expired", "points_reversed"), moved, strict=True)),
    )


def _from_totals(
    totals: tuple[object, object], as_of: object, policy: Policy
) -> tuple[int, int, int]:
    """(issued, outstanding, the price of a point in fen) from the totals given."""
    if as_of is not None:
        local_day(as_of, "as_of", policy.timezone)  # read, though only a schedule needs it
    issued = integer(totals[0], "points_issued", maximum=10**17)
    outstanding = integer(totals[1], "points_outstanding", maximum=10**17)
    return issued, outstanding, policy.points.fen_per_point


def _from_book(
    book: object, as_of: object, opening: object, totals: tuple[object, object]
) -> tuple[int, int, int, tuple[int, int, int]]:
    """(issued, outstanding, the price of a point in fen, (redeemed, expired, reversed))
    of the period ending ``as_of``, from the book's lots, less the ``opening`` summary.

    The points outstanding are the live ones (a debt is not netted off) and the price is
    the one in force on ``as_of``: ``outstanding * price`` is ``book.liability(as_of)``,
    and a posting that changes no figure (an ``expire`` that closes nothing) changes no
    economics, under a schedule too.
    """
    if any(t is not None for t in totals):
        raise InvalidInput(
            "programme_economics() reads points_issued and points_outstanding from "
            "book=; give one or the other"
        )
    book = instance(book, PointsBook, "programme_economics() needs book= a PointsBook, got {got}")
    if as_of is None:
        raise InvalidInput("programme_economics(book=...) needs as_of=, the period's end")
    closing = book.summary(as_of)
    start = closing if opening is None else instance(
        opening, LedgerSummary, "opening must be the book's summary at the period's start "
        "(book.summary(day)), got {got}",
    )  # fmt: skip
    names = ("earned", "redeemed", "expired", "reversed")
    moved = [getattr(closing, n) - (getattr(start, n) if opening is not None else 0) for n in names]
    if start.as_of > closing.as_of or min(moved) < 0:
        raise InvalidInput(
            f"opening is not an earlier summary of this book: as of {start.as_of}, "
            f"{dict(zip(names, (getattr(start, n) for n in names), strict=True))} against "
            f"{closing.as_of}, {dict(zip(names, (getattr(closing, n) for n in names), strict=True))}"
        )
    day = closing.as_of
    live = sum(exact_sum(lot, MAX_POINTS) for lot in book._live(day))
    rules = book._rules
    fen = book.fen_per_point if rules is None else rules.on(day, "as_of").fen_per_point
    return moved[0], live, fen, (moved[1], moved[2], moved[3])


def _other_costs(revenue: int, other_costs: object, policy: Policy) -> int:
    """``other_costs`` in fen, or the shares of revenue ``points.other_costs`` names."""
    if other_costs is None:
        share = sum((Fraction(v) for v in policy.points.other_costs.values()), Fraction(0))
        return math.floor(revenue * share)
    return integer(other_costs, "other_costs", maximum=10**17)
