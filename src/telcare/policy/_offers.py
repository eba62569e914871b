"""Offers as validated data: what a marketing call proposes, to whom, through which
channels, at what value and cost, and what it cannot stack with.

An :class:`OfferCatalogue` validates as a whole: offer codes are unique, every
code an offer names is an offer or a product of the catalogue, and conflicts
between offers are declared on both sides.  Like :class:`~telcare.Policy` it is a
frozen pydantic model with a JSON Schema (``OfferCatalogue.model_json_schema()``).

>>> from datetime import date
>>> catalogue = OfferCatalogue.model_validate({
...     "products": {"basic_fee_discount": "Basic call-fee discount"},
...     "offers": [{"code": "deposit_talk_time", "name": "Deposit and get talk time",
...                 "project_type": "promotion", "channels": ["phone", "sms"],
...                 "value": 5_000, "cost": 3_000,
...                 "valid_from": "2010-10-01", "valid_to": "2010-12-31",
...                 "conflicts": {"basic_fee_discount": "replaces the basic call-fee discount for its term"}}]})
>>> catalogue["deposit_talk_time"].project_type
'promotion'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from telcare._core.checks import items, plain_date
from telcare._core.errors import InvalidInput
from telcare._core.frozen import FrozenDict
from telcare._core.limits import MAX_DAYS, MAX_POINTS
from telcare.policy._catalogue import Channel
from telcare.policy._fields import DECIMAL_PLACES, Code, Count, Fen, Unit, _Section

__all__ = ["PROJECT_TYPES", "Campaign", "ControlGroup", "Offer", "OfferCatalogue", "ProjectType"]

#: Seed 000's outbound project types (业务分类): promotion, retention, rescue, telemarketing.
ProjectType = Literal["promotion", "retention", "rescue", "telemarketing"]
PROJECT_TYPES: tuple[ProjectType, ...] = ("promotion", "retention", "rescue", "telemarketing")

Points = Annotated[int, Field(ge=0, le=MAX_POINTS, strict=True), Unit("points")]
#: A share of customers held out: at least 0, below 1, four decimal places at most.
HeldShare = Annotated[Decimal, Field(ge=0, lt=1, decimal_places=DECIMAL_PLACES), Unit("% held out")]
PeriodDays = Annotated[int, Field(ge=1, le=MAX_DAYS, strict=True), Unit("days")]


class ControlGroup(_Section):
    """The programme-wide control group: ``share`` of the customers, chosen by a hash
    of the salt and each customer's id (``telcare.holdout``), whom no offer and no
    call list reaches, so the programme's effect can be measured against them.
    A new salt draws a new group; keep it for as long as the group must stay."""

    share: HeldShare
    salt: str = Field(min_length=1, max_length=200)


class Campaign(_Section):
    """A campaign: offers that share a cost budget (fen), a points budget for the
    points its offers give, and a holdout of their own (the salt is the campaign's
    code: ``campaign:<code>``).  ``None`` sets no budget."""

    code: Code
    name: str = Field(min_length=1)
    budget: Fen | None = None
    points_budget: Points | None = None
    holdout: HeldShare = Decimal(0)


class Offer(_Section):
    """One offer: who may get it (every gate given must pass), how it is made, what
    it is worth and costs (fen), when it is valid, and what it cannot stack with.

    ``tiers`` and ``segments`` are alternatives inside each (any listed tier; any
    listed segment); an empty tuple sets no gate.  ``requires`` are products the
    customer must hold; ``conflicts`` maps an offer or product code to the reason
    the two cannot be held together.  ``campaign`` names the catalogue's campaign
    whose budgets and holdout the offer shares; ``max_customers`` bounds the
    customers who may get it (over the campaign, counted by the caller, see
    :class:`~telcare.Usage`); ``points`` are the points it gives each customer.
    """

    code: Code
    name: str = Field(min_length=1)
    project_type: ProjectType
    campaign: Code | None = None
    max_customers: Count | None = None
    points: Points = 0
    tiers: tuple[Code, ...] = ()
    segments: tuple[Code, ...] = ()
    min_spend: Fen | None = None
    max_spend: Fen | None = None
    min_plan_fee: Fen | None = None
    max_plan_fee: Fen | None = None
    min_tenure_months: Annotated[int, Field(ge=0, le=1_200, strict=True)] | None = None
    min_credit_level: Annotated[int, Field(ge=1, le=1_000, strict=True)] | None = None
    requires: tuple[Code, ...] = ()
    conflicts: FrozenDict[Code, str] = Field(default_factory=FrozenDict)
    channels: tuple[Channel, ...] = Field(min_length=1)
    value: Fen
    cost: Fen
    valid_from: date
    valid_to: date

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        for low, high in (("min_spend", "max_spend"), ("min_plan_fee", "max_plan_fee")):
            a, b = getattr(self, low), getattr(self, high)
            if a is not None and b is not None and a > b:
                raise ValueError(f"{low} {a} is above {high} {b}")
        if len(set(self.channels)) != len(self.channels):
            raise ValueError(f"channels repeat: {[c.value for c in self.channels]}")
        if self.code in self.conflicts:
            raise ValueError(f"offer {self.code!r} names itself as a conflict")
        return self

    def valid_on(self, day: date) -> bool:
        """Whether the offer may be made on ``day`` (both ends count)."""
        return self.valid_from <= plain_date(day, "day") <= self.valid_to


class OfferCatalogue(_Section):
    """The offers a programme runs and the products they may stack with or not; the
    campaigns whose budgets the offers share, the programme's control group, and the
    most offers one customer may get in ``offer_period_days`` (``None``: no limit)."""

    products: FrozenDict[Code, str] = Field(
        default_factory=FrozenDict, description="product codes the offers may name, with names"
    )
    offers: tuple[Offer, ...] = ()
    campaigns: tuple[Campaign, ...] = ()
    control_group: ControlGroup | None = None
    max_offers_per_customer: Count | None = None
    offer_period_days: PeriodDays = 30

    @model_validator(mode="after")
    def _campaigns_named(self) -> Self:
        names = [c.code for c in self.campaigns]
        repeated = sorted({c for c in names if names.count(c) > 1})
        if repeated:
            raise ValueError(f"campaign codes must be unique; {repeated} repeat")
        for offer in self.offers:
            if offer.campaign is not None and offer.campaign not in names:
                raise ValueError(
                    f"offer {offer.code!r} names the campaign {offer.campaign!r}, which the "
                    f"catalogue does not define (campaigns: {names})"
                )
        return self

    def campaign_of(self, offer: Offer) -> Campaign | None:
        """The campaign ``offer`` belongs to (``None``: none)."""
        return next((c for c in self.campaigns if c.code == offer.campaign), None)

    @model_validator(mode="after")
    def _whole(self) -> Self:
        codes = [o.code for o in self.offers]
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise ValueError(f"offer codes must be unique; {repeated} repeat")
        clash = sorted(set(codes) & set(self.products))
        if clash:
            raise ValueError(f"{clash} are both offers and products")
        known = set(codes) | set(self.products)
        by_code = {o.code: o for o in self.offers}
        for offer in self.offers:
            for code in (*offer.requires, *offer.conflicts):
                if code not in known:
                    raise ValueError(
                        f"offer {offer.code!r} names {code!r}, which is neither an offer nor a "
                        f"product of the catalogue"
                    )
            for code in offer.conflicts:
                other = by_code.get(code)
                if other is not None and offer.code not in other.conflicts:
                    raise ValueError(
                        f"offer {offer.code!r} conflicts with {code!r} but {code!r} does not "
                        f"name {offer.code!r}: declare a conflict between offers on both sides"
                    )
            if set(offer.requires) & set(offer.conflicts):
                raise ValueError(
                    f"offer {offer.code!r} both requires and conflicts with "
                    f"{sorted(set(offer.requires) & set(offer.conflicts))}"
                )
        return self

    def __iter__(self) -> Iterator[Offer]:  # type: ignore[override]
        return iter(self.offers)

    def __len__(self) -> int:
        return len(self.offers)

    def __getitem__(self, code: str) -> Offer:
        if isinstance(code, str):  # pandas NA or an array would compare ambiguously
            for offer in self.offers:
                if offer.code == code:
                    return offer
        raise InvalidInput(
            f"unknown offer {code!r}; the catalogue has {[o.code for o in self.offers]}"
        )

    @property
    def codes(self) -> tuple[str, ...]:
        """The offer codes, in catalogue order (the columns of a whole-base match)."""
        return tuple(o.code for o in self.offers)

    @property
    def holdings(self) -> tuple[str, ...]:
        """What a customer can hold: the products, then the offers (columns of ``holds``)."""
        return (*self.products, *self.codes)

    def holds_table(self, rows: Iterable[Iterable[str]]) -> tuple[tuple[bool, ...], ...]:
        """The ``holds`` table of a whole-base match from each customer's held codes.

        >>> OfferCatalogue(products={"family_plan": "Family plan"}).holds_table([{"family_plan"}, []])
        ((True,), (False,))
        """
        columns = {code: i for i, code in enumerate(self.holdings)}
        table = []
        for i, held in enumerate(items(rows, "rows", of=object)):
            if isinstance(held, str):
                raise InvalidInput(
                    f"row {i} of holds must be a collection of codes, got the str {held!r} "
                    f"as rows[{i}]"
                )
            flags = [False] * len(columns)
            for code in items(held, f"rows[{i}]", of=str):  # a code is text (hashable)
                if code not in columns:
                    raise InvalidInput(
                        f"row {i} holds {code!r}, which is neither a product nor an offer of the "
                        f"catalogue (rows[{i}])"
                    )
                flags[columns[code]] = True
            table.append(tuple(flags))
        return tuple(table)
