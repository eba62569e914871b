"""The reasons of the offers and the allocation, as codes (docs/reasons.md): each
built-in gate's refusal, an eligible offer, its caps and hours, the limits and
holdouts that withhold it, and why an allocation gives a customer no offer.

A gate of one's own may give its reason as plain text: it becomes the reason
``offer.gate.own`` with the text as given (:func:`own_reason`).

>>> r = own_reason("churn risk 0.20 below 0.5")
>>> r, r.code, r.text("zh_CN")
('churn risk 0.20 below 0.5', 'offer.gate.own', '未通过自定义条件：churn risk 0.20 below 0.5')
"""

from __future__ import annotations

from telcare._core.reason_kinds import text_value
from telcare._core.reasons import (
    CODE,
    COUNT,
    DATE,
    FEN,
    HOURS,
    NUMBER,
    TEXT,
    TIER,
    TIERS,
    Kind,
    Reason,
    ReasonCode,
    define,
    labels,
)
from telcare.contact import CHANNEL, PROJECT_TYPE

__all__ = ["ALLOCATION_REASONS", "band_reason", "own_reason"]

#: Segment codes, joined by `` or `` (``或``).
SEGMENTS = labels("segment", en=" or ", zh="或")
#: Channel codes, joined (``sms, phone``; 短信、电话).
CHANNELS = labels("channel")
#: Product or offer codes, joined by ``, `` (shown as themselves).
HOLDINGS = labels("holding")
#: A count the template groups itself (``{offers:,}``), in every language.
FIGURE = Kind("figure", COUNT.check, lambda v, lang: v, plain_en=True)

# ---- the built-in gates, in their table's order
VALID = define(
    "offer.gate.valid", "not valid on {day} (valid {valid_from} to {valid_to})",
    day=DATE, valid_from=DATE, valid_to=DATE,
)  # fmt: skip
TIER_GATE = define("offer.gate.tier", "tier {tier} is not one of {tiers}", tier=TIER, tiers=TIERS)
SEGMENT = define("offer.gate.segment", "not in the {segments} segment", segments=SEGMENTS)
_BAND = " {fen} outside the offer's band {low} to "
#: A band gate's refusal by (gate, whether the band has a top).
BANDS: dict[tuple[str, bool], ReasonCode] = {
    ("spend", True): define("offer.gate.spend", "average spend" + _BAND + "{high}",
                            fen=FEN, low=FEN, high=FEN),
    ("spend", False): define("offer.gate.spend_open", "average spend" + _BAND + "any",
                             fen=FEN, low=FEN),
    ("plan_fee", True): define("offer.gate.plan_fee", "plan fee" + _BAND + "{high}",
                               fen=FEN, low=FEN, high=FEN),
    ("plan_fee", False): define("offer.gate.plan_fee_open", "plan fee" + _BAND + "any",
                                fen=FEN, low=FEN),
}  # fmt: skip
TENURE = define(
    "offer.gate.tenure", "tenure {months} months < {minimum}", months=COUNT, minimum=COUNT
)
CREDIT = define("offer.gate.credit", "credit level {level} < {minimum}", level=COUNT, minimum=COUNT)
REQUIRES = define(
    "offer.gate.requires", "does not hold {missing}, which the offer requires", missing=HOLDINGS
)
NO_CHANNEL = define(
    "offer.gate.channel",
    "no channel left: the offer uses {channels}, the customer refused {refused}",
    channels=CHANNELS, refused=CHANNELS,
)  # fmt: skip
CONFLICT = define(
    "offer.gate.conflict", "conflicts with {holding}: {detail}", holding=CODE, detail=TEXT
)
OWN = define("offer.gate.own", "{text}", text=TEXT)

# ---- an eligible offer: what it is worth, its caps and hours
_ELIGIBLE = "eligible: {project_type} offer worth {value}, costs {cost}, by "
_PARTS = {"project_type": PROJECT_TYPE, "value": FEN, "cost": FEN, "score": NUMBER}
ELIGIBLE = define(
    "offer.eligible", _ELIGIBLE + "{channel}; score {score:,.0f} fen", **_PARTS, channel=CHANNEL
)
ELIGIBLE_NO_CHANNEL = define(
    "offer.eligible.no_channel", _ELIGIBLE + "-; score {score:,.0f} fen", **_PARTS
)
CAP = define(
    "offer.cap.full", "{count} contacts in the last {days} days (cap {cap})",
    count=COUNT, days=COUNT, cap=COUNT,
)  # fmt: skip
CLOSED = define("offer.hours.closed", "outside contact hours {hours}", hours=HOURS)
HOLIDAY = define("offer.hours.holiday", "holiday {day}: no contact hours", day=DATE)
QUIET = define(
    "offer.hours.quiet", "quiet hours for {channel} {quiet}", channel=CHANNEL, quiet=HOURS
)

# ---- the limits and holdouts that withhold an eligible offer
PROGRAMME_HOLDOUT = define(
    "offer.limit.programme_holdout", "holdout: in the programme's control group"
)
CAMPAIGN_HOLDOUT = define(
    "offer.limit.campaign_holdout", "holdout: in campaign {campaign}'s holdout", campaign=CODE
)
CUSTOMER_LIMIT = define(
    "offer.limit.customer",
    "customer limit reached: {offers:,} offers in {days} days (limit {limit:,})",
    offers=FIGURE, days=COUNT, limit=FIGURE,
)  # fmt: skip
OFFER_LIMIT = define(
    "offer.limit.offer", "offer {offer} limit {limit:,} reached", offer=CODE, limit=FIGURE
)
BUDGET = define(
    "offer.limit.budget",
    "budget spent: {spent:,} fen of {budget:,} (campaign {campaign}; the offer costs {cost:,})",
    spent=FIGURE, budget=FIGURE, campaign=CODE, cost=FIGURE,
)  # fmt: skip
POINTS_BUDGET = define(
    "offer.limit.points_budget",
    "points budget spent: {given:,} points of {budget:,} (campaign {campaign}; "
    "the offer gives {points:,})",
    given=FIGURE, budget=FIGURE, campaign=CODE, points=FIGURE,
)  # fmt: skip

# ---- why an allocation gives a customer no offer (Allocation.reason indexes these)
_LEFT_OUT = (
    ("holdout", "holdout"), ("not_eligible", "not eligible"), ("customer_limit", "customer limit"),
    ("cap", "cap"), ("no_value", "no positive value"), ("budget", "budget spent"),
    ("offer_limit", "offer limit"), ("capacity", "agent capacity"),
)  # fmt: skip
#: Why a customer got no offer, by :attr:`~telcare.Allocation.reason` (0, ``""``: it got one).
ALLOCATION_REASONS: tuple[str, ...] = (
    "",
    *(define(f"allocation.{code}", text)() for code, text in _LEFT_OUT),
)


def own_reason(why: object) -> Reason:
    """What a gate of one's own gave: a :class:`~telcare.Reason` as it is, plain text
    as the reason ``offer.gate.own`` (raises ``TypeError`` for anything else)."""
    if isinstance(why, Reason):
        return why
    return OWN(text=text_value(why))


def band_reason(gate: str, fen: int, low: int | None, high: int | None) -> Reason:
    """A band gate's refusal: ``fen`` outside ``low`` (0 when none) to ``high``."""
    if high is None:
        return BANDS[gate, False](fen=fen, low=low or 0)
    return BANDS[gate, True](fen=fen, low=low or 0, high=high)
