"""Budgets and limits: what the catalogue bounds, what earlier matches used
(:class:`Usage`, an input: the core keeps no state), and the one wording of every
limit that withholds an offer, which both matchers give.

The limits: a campaign's cost budget (fen) and points budget, an offer's most
customers, and the most offers one customer may get in ``offer_period_days``; the
holdouts (the programme's control group, a campaign's own) withhold offers too.

>>> u = Usage(spent={"autumn": 999_800}, customers={"data_pack": 12})
>>> u.spent["autumn"], u.customers["data_pack"], dict(u.points)
(999800, 12, {})
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

import telcare.marketing._reasons as why
from telcare._core.checks import instance, integer, text
from telcare._core.display import Displayable
from telcare._core.errors import InvalidInput
from telcare._core.frozen import FrozenDict
from telcare._core.limits import MAX_COUNT, MAX_FEN, MAX_POINTS
from telcare._core.reasons import Reason
from telcare._core.type_checks import mapping
from telcare.marketing._holdout import campaign_salt, holdout
from telcare.policy import OfferCatalogue

__all__ = [
    "LimitTables", "Usage", "customer_holdouts", "held_out", "limit_reasons", "limit_tables",
    "period_offers", "usage_of",
]  # fmt: skip

I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


def _counts(value: object, name: str, maximum: int) -> FrozenDict[str, int]:
    given = mapping(value, f"Usage.{name} must map codes to counts, got {{got}}")
    return FrozenDict(
        (text(k, f"Usage.{name} key"), integer(v, f"Usage.{name}[{k!r}]", maximum=maximum))
        for k, v in given.items()
    )


def _spent(value: object) -> FrozenDict[str, int]:
    return _counts(value, "spent", MAX_FEN)


def _points(value: object) -> FrozenDict[str, int]:
    return _counts(value, "points", MAX_POINTS)


def _customers(value: object) -> FrozenDict[str, int]:
    return _counts(value, "customers", MAX_COUNT)


@attrs.frozen(slots=True)
class Usage(Displayable):
    """What earlier matches of the campaign already used: fen ``spent`` and
    ``points`` given per campaign code, ``customers`` who got each offer (by code).
    Absent codes used nothing.  :meth:`OfferMatch.usage` gives the usage after a
    whole-base match, to pass to the next one."""

    spent: FrozenDict[str, int] = attrs.field(factory=FrozenDict, converter=_spent)
    points: FrozenDict[str, int] = attrs.field(factory=FrozenDict, converter=_points)
    customers: FrozenDict[str, int] = attrs.field(factory=FrozenDict, converter=_customers)

    def check(self, catalogue: OfferCatalogue) -> Usage:
        """This usage, when every code it names is one of ``catalogue``'s."""
        catalogue = instance(
            catalogue, OfferCatalogue, "catalogue must be a telcare.OfferCatalogue, got {got}"
        )
        campaigns = [c.code for c in catalogue.campaigns]
        for name, known in (("spent", campaigns), ("points", campaigns)):
            unknown = sorted(set(getattr(self, name)) - set(known))
            if unknown:
                raise InvalidInput(f"Usage.{name} names {unknown}, not campaigns of the catalogue")
        unknown = sorted(set(self.customers) - set(catalogue.codes))
        if unknown:
            raise InvalidInput(f"Usage.customers names {unknown}, not offers of the catalogue")
        return self


def usage_of(value: Any, catalogue: OfferCatalogue) -> Usage:
    """``value`` (a :class:`Usage` or ``None`` for nothing used) checked against ``catalogue``."""
    if value is None:
        return Usage()
    return instance(value, Usage, "usage must be a telcare.Usage, got {got}").check(catalogue)


@attrs.frozen(slots=True, eq=False)
class LimitTables:
    """The catalogue's limits as arrays: per offer its campaign (-1: none), cost,
    points and most customers (-1: no limit); per campaign its budgets (-1: none)."""

    catalogue: OfferCatalogue
    campaign: I64
    cost: I64
    points: I64
    max_customers: I64
    budget: I64
    points_budget: I64

    @property
    def any(self) -> bool:
        """Whether the catalogue sets any limit or holdout at all."""
        c = self.catalogue
        return bool(
            (self.max_customers >= 0).any() or (self.budget >= 0).any()
            or (self.points_budget >= 0).any() or c.control_group is not None
            or c.max_offers_per_customer is not None or any(k.holdout for k in c.campaigns)
        )  # fmt: skip


def limit_tables(catalogue: OfferCatalogue) -> LimitTables:
    """The limits of ``catalogue`` as :class:`LimitTables`."""
    codes = [c.code for c in catalogue.campaigns]
    offers = catalogue.offers

    def none(v: int | None) -> int:
        return -1 if v is None else v

    return LimitTables(
        catalogue,
        np.array([-1 if o.campaign is None else codes.index(o.campaign) for o in offers], np.int64),
        np.array([o.cost for o in offers], np.int64),
        np.array([o.points for o in offers], np.int64),
        np.array([none(o.max_customers) for o in offers], np.int64),
        np.array([none(c.budget) for c in catalogue.campaigns], np.int64),
        np.array([none(c.points_budget) for c in catalogue.campaigns], np.int64),
    )


def held_out(catalogue: OfferCatalogue, ids: Any) -> tuple[Bools | None, list[Bools | None]]:
    """The programme's control group among ``ids`` and each campaign's holdout (``None``:
    no such group)."""
    group = catalogue.control_group
    programme = None if group is None else holdout(ids, share=group.share, salt=group.salt)
    campaigns = [
        holdout(ids, share=c.holdout, salt=campaign_salt(c.code)) if c.holdout else None
        for c in catalogue.campaigns
    ]
    return programme, campaigns


def limit_reasons(
    lim: LimitTables,
    j: int,
    usage: Usage,
    offers_in_period: int,
    held: tuple[bool, bool],
) -> list[Reason]:
    """Why offer ``j`` is withheld from a customer who comes after ``usage``, who got
    ``offers_in_period`` offers in the period and is held out (programme, campaign)
    or not: one reason per limit reached, empty when none is."""
    cat = lim.catalogue
    offer = cat.offers[j]
    campaign = cat.campaign_of(offer)
    out = []
    if held[0]:
        out.append(why.PROGRAMME_HOLDOUT())
    if held[1] and campaign is not None:
        out.append(why.CAMPAIGN_HOLDOUT(campaign=campaign.code))
    most = cat.max_offers_per_customer
    if most is not None and offers_in_period >= most:
        out.append(
            why.CUSTOMER_LIMIT(offers=offers_in_period, days=cat.offer_period_days, limit=most)
        )
    got = usage.customers.get(offer.code, 0)
    if offer.max_customers is not None and got >= offer.max_customers:
        out.append(why.OFFER_LIMIT(offer=offer.code, limit=offer.max_customers))
    if campaign is not None and campaign.budget is not None:
        spent = usage.spent.get(campaign.code, 0)
        if spent + offer.cost > campaign.budget:
            out.append(why.BUDGET(spent=spent, budget=campaign.budget, campaign=campaign.code,
                                  cost=offer.cost))  # fmt: skip
    if campaign is not None and campaign.points_budget is not None:
        given = usage.points.get(campaign.code, 0)
        if given + offer.points > campaign.points_budget:
            out.append(why.POINTS_BUDGET(given=given, budget=campaign.points_budget,
                                         campaign=campaign.code, points=offer.points))  # fmt: skip
    return out


def customer_holdouts(lim: LimitTables, customer_id: str) -> tuple[bool, list[bool]]:
    """One customer's place in the programme's control group and each campaign's holdout."""
    programme, campaigns = held_out(lim.catalogue, [customer_id])
    return (
        bool(programme[0]) if programme is not None else False,
        [bool(c[0]) if c is not None else False for c in campaigns],
    )


def period_offers(value: Any, name: str) -> int:
    """The offers a customer got in the catalogue's period, checked."""
    return integer(value, name, maximum=MAX_COUNT)
