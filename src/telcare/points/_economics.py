"""The programme's economics: what the points cost against the revenue they reward,
from totals or from a :class:`~telcare.PointsBook`'s lots."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import ClassVar

import attrs

from telcare._core.checks import integer
from telcare._core.display import Displayable
from telcare._core.errors import InvalidInput
from telcare.points._book import PointsBook
from telcare.points._book_frame import economics_figures
from telcare.points._postings import LedgerSummary
from telcare.policy import Policy, as_policy

__all__ = ["Economics", "programme_economics"]


@attrs.frozen(slots=True)
class Economics(Displayable):
    """What the programme costs against the revenue it rewards.

    ``return_rate``: value of the points issued / revenue (2% by default);
    ``liability``: value in fen of the points still outstanding;
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
    policy: Policy | None = None,
    book: PointsBook | None = None,
    as_of: object = None,
    opening: LedgerSummary | None = None,
) -> Economics:
    """Return rate, outstanding liability and cost ratio of the programme.

    ``revenue`` and ``other_costs`` are fen over the period; ``points_issued`` the
    points earned in it; ``points_outstanding`` the live balance at its end.  Or
    ``book=`` a :class:`~telcare.PointsBook` and ``as_of=`` the period's end: every
    figure from its lots (``book.summary(as_of)``, ``book.liability(as_of)``), less
    ``opening=`` (its summary at the period's start) when given.  Without
    ``other_costs``, the policy's ``points.other_costs`` (shares of revenue, 0.3% by
    default) are charged: 2% plus 0.3%, against seed 002's forecast 2.3% of revenue.

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
    policy = as_policy(policy)
    revenue = integer(revenue, "revenue", maximum=10**17)
    moved: tuple[int | None, ...] = (None, None, None)
    if book is None:
        issued = integer(points_issued, "points_issued", maximum=10**17)
        outstanding = integer(points_outstanding, "points_outstanding", maximum=10**17)
        liability = outstanding * (fen := policy.points.fen_per_point)
    else:
        totals = (points_issued, points_outstanding)
        issued, outstanding, liability, moved = economics_figures(book, as_of, opening, totals)
        fen = book.fen_per_point
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
        liability=liability,
        return_rate=issued_value / revenue,
        cost_ratio=(issued_value + other) / revenue,
        **dict(zip(("points_redeemed", "points_expired", "points_reversed"), moved, strict=True)),
    )


def _other_costs(revenue: int, other_costs: object, policy: Policy) -> int:
    """``other_costs`` in fen, or the shares of revenue ``points.other_costs`` names."""
    if other_costs is None:
        share = sum((Fraction(v) for v in policy.points.other_costs.values()), Fraction(0))
        return math.floor(revenue * share)
    return integer(other_costs, "other_costs", maximum=10**17)
