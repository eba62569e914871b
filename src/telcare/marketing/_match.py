"""Precision marketing: which offer to make to whom, through which channel, when,
and whether the frequency caps allow it (seed 000's C-B-C-T-F: customer, business
(offer), channel, timing, frequency).

For one customer, :func:`match_offer` decides one offer with a reason per gate
and :func:`best_offers` ranks every offer of an :class:`~telcare.OfferCatalogue`;
for a whole base, :func:`match_offers` gives the same decisions as columns.  Both
forms run the same gate function over the catalogue's compiled tables, so they
cannot drift apart.

Gates, all of which must pass: the offer is valid on the day; the customer is not
on the do-not-call list (no marketing contact reaches a sensitive number); its
tier and segment, spend band, plan fee band, tenure and credit level fit; it
holds every product the offer requires and nothing the offer conflicts with; a
channel is left (the customer's preferred one among the offer's, else the
offer's first that the customer did not refuse).  An eligible offer is *allowed
now* when the contact hours are open and the frequency caps (the customer
type's cap over all counted contacts, and the cap of the offer's project type)
have room.  The score is ``response x value - cost`` in fen, with ``response``
the caller's response probability or uplift (default 1: rank by net value).

>>> from datetime import date, datetime
>>> from zoneinfo import ZoneInfo
>>> import telcare as tc
>>> catalogue = tc.OfferCatalogue.model_validate({
...     "products": {"basic_fee_discount": "Basic call-fee discount"},
...     "offers": [{"code": "deposit_talk_time", "name": "Deposit and get talk time",
...                 "project_type": "promotion", "channels": ["phone"], "value": 5_000, "cost": 3_000,
...                 "valid_from": "2010-10-01", "valid_to": "2010-12-31",
...                 "conflicts": {"basic_fee_discount": "replaces the basic call-fee discount"}}]})
>>> who = tc.Prospect(tc.Customer("13800000001", date(2008, 1, 1), tc.yuan(58)),
...                   holds={"basic_fee_discount"})
>>> monday = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
>>> d = tc.match_offer(who, "deposit_talk_time", catalogue, at=monday)
>>> d.eligible, d.reasons[-1]
(False, 'conflicts with basic_fee_discount: replaces the basic call-fee discount')
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import (
    bool_column,
    code_column,
    column,
    field,
    flag,
    int_column,
    number,
    row_blocks,
    same_length,
)
from telcare._core.dates import local_datetime, zone
from telcare._core.display import Displayable, Tabular
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_AVG_SPEND, MAX_COUNT, MAX_FEN
from telcare._core.text import yuan_text
from telcare.customers import Customer
from telcare.moments import ContactMade, to_channel
from telcare.policy import PROJECT_TYPES, Channel, OfferCatalogue, Policy, as_policy

__all__ = [
    "OfferDecision",
    "OfferMatch",
    "Prospect",
    "best_offers",
    "match_offer",
    "match_offers",
    "offer_conflicts",
]

CHANNELS: tuple[Channel, ...] = tuple(Channel)
Bools = npt.NDArray[np.bool_]
I64 = npt.NDArray[np.int64]


def _channels(value: Any) -> frozenset[Channel]:
    try:
        return frozenset(Channel(v) for v in (value or ()))
    except ValueError:
        raise InvalidInput(
            f"refused_channels must name channels of {[c.value for c in Channel]}, got {value!r}"
        ) from None


def _preferred(value: Any) -> Channel | None:
    return None if value is None else to_channel(value)


def _codes(value: Any) -> frozenset[str]:
    try:
        if isinstance(value, str):
            raise TypeError
        out = frozenset(value)
    except TypeError:
        raise InvalidInput(
            f"holds must be a collection of product or offer codes, got {value!r}"
        ) from None
    if not all(isinstance(v, str) for v in out):
        raise InvalidInput(f"holds must hold str codes, got {sorted(map(repr, out))}")
    return out


def _customer(value: object) -> None:
    if not isinstance(value, Customer):
        raise InvalidInput(
            f"Prospect.customer must be a telcare.Customer, got {type(value).__name__}"
        )


@attrs.frozen(slots=True)
class Prospect:
    """A customer as marketing sees it: the customer, what it holds (product and
    offer codes), its channel preference and refusals, and the do-not-call flag."""

    customer: Customer = attrs.field(validator=lambda _i, _a, v: _customer(v))
    holds: frozenset[str] = attrs.field(default=frozenset(), converter=_codes)
    preferred_channel: Channel | None = attrs.field(default=None, converter=_preferred)
    refused_channels: frozenset[Channel] = attrs.field(default=frozenset(), converter=_channels)
    do_not_call: bool = attrs.field(default=False, validator=field(flag))


# ---------------------------------------------------------------- compiled tables


_PROFILES = (len(CHANNELS) + 1) << len(CHANNELS)  # preferred (or none) x refused subsets


@functools.lru_cache(maxsize=256)
def _channel_table(channels: tuple[Channel, ...]) -> npt.NDArray[np.int8]:
    """The channel an offer uses for every customer profile, -1 when none is left.

    A profile is ``(preferred + 1) << 5 | refused bits``: the customer's preferred
    channel when the offer uses it and the customer did not refuse it, else the
    offer's first channel the customer did not refuse.  Kept per channel list
    (read-only): building it took 85% of a one-customer ``best_offers`` call.
    """
    table = np.full(_PROFILES, -1, dtype=np.int8)
    for profile in range(_PROFILES):
        preferred, refused = (profile >> len(CHANNELS)) - 1, profile & ((1 << len(CHANNELS)) - 1)
        usable = [CHANNELS.index(ch) for ch in channels if not refused >> CHANNELS.index(ch) & 1]
        if preferred in usable:
            table[profile] = preferred
        elif usable:
            table[profile] = usable[0]
    table.flags.writeable = False
    return table


def _bits(indexes: Iterable[int], words: int) -> npt.NDArray[np.uint64]:
    out = np.zeros(words, dtype=np.uint64)
    for i in indexes:
        out[i // 64] |= np.uint64(1) << np.uint64(i % 64)
    return out


@attrs.frozen(slots=True, eq=False)
class _Tables:
    """The catalogue's gates as arrays indexed ``[offer, ...]``, for one policy and day.

    ``None`` marks a gate an offer does not have, which every customer passes.
    """

    codes: tuple[str, ...]
    holdings: tuple[str, ...]
    words: int  # 64-bit words of the holdings bit sets
    valid: Bools
    tier_ok: list[Bools | None]  # per offer: ok by tier index
    needs_segment: Bools
    spend: list[tuple[int, int] | None]
    fee: list[tuple[int, int] | None]
    min_tenure: list[int | None]
    min_credit: list[int | None]
    requires: list[npt.NDArray[np.uint64] | None]
    conflicts: list[npt.NDArray[np.uint64] | None]
    channel: npt.NDArray[np.int8]  # [offer, profile]
    value: I64
    cost: I64
    project: I64  # index into PROJECT_TYPES
    project_cap: I64


def _compile(catalogue: OfferCatalogue, policy: Policy, day: date) -> _Tables:
    if not isinstance(catalogue, OfferCatalogue):
        raise InvalidInput(
            f"catalogue must be a telcare.OfferCatalogue, got {type(catalogue).__name__}"
        )
    codes, holdings = catalogue.codes, catalogue.holdings
    tiers = policy.tiers.codes
    big = np.iinfo(np.int64).max
    words = max(1, -(-len(holdings) // 64))
    for offer in catalogue:
        unknown = [t for t in offer.tiers if t not in tiers]
        if unknown:
            raise InvalidInput(
                f"offer {offer.code!r} names tiers {unknown} not on the ladder {list(tiers)}"
            )
        bad = [s for s in offer.segments if s != policy.segment.code]
        if bad:
            raise InvalidInput(
                f"offer {offer.code!r} names segments {bad}; the policy defines {policy.segment.code!r}"
            )
    caps = policy.contact.project_type_caps
    offers = catalogue.offers

    def band(low: int | None, high: int | None) -> tuple[int, int] | None:
        return None if low is None and high is None else (low or 0, big if high is None else high)

    def codes_bits(names: Iterable[str]) -> npt.NDArray[np.uint64] | None:
        found = [holdings.index(c) for c in names]
        return _bits(found, words) if found else None

    return _Tables(
        codes=codes,
        holdings=holdings,
        words=words,
        valid=np.array([o.valid_on(day) for o in offers], dtype=bool),
        tier_ok=[np.array([t in o.tiers for t in tiers]) if o.tiers else None for o in offers],
        needs_segment=np.array([bool(o.segments) for o in offers], dtype=bool),
        spend=[band(o.min_spend, o.max_spend) for o in offers],
        fee=[band(o.min_plan_fee, o.max_plan_fee) for o in offers],
        min_tenure=[o.min_tenure_months for o in offers],
        min_credit=[o.min_credit_level for o in offers],
        requires=[codes_bits(o.requires) for o in offers],
        conflicts=[codes_bits(o.conflicts) for o in offers],
        channel=np.array([_channel_table(o.channels) for o in offers], dtype=np.int8).reshape(
            len(offers), _PROFILES
        ),
        value=np.array([o.value for o in offers], dtype=np.int64),
        cost=np.array([o.cost for o in offers], dtype=np.int64),
        project=np.array([PROJECT_TYPES.index(o.project_type) for o in offers], dtype=np.int64),
        project_cap=np.array([caps.get(o.project_type, big) for o in offers], dtype=np.int64),
    )


# ------------------------------------------------------------------- the kernel


@attrs.frozen(slots=True, eq=False)
class _Columns:
    """Customer columns prepared once for every offer, one row per customer.

    ``holds`` is each customer's holdings as a bit set (``[word, customer]``),
    ``profile`` its channel preference and refusals as one small int, and
    ``room`` whether its counted contacts leave room under its type's cap and,
    per project type, whether its marketing calls of that type do.
    """

    tier: I64
    member: Bools
    avg_spend: I64
    plan_fee: I64
    tenure_months: I64
    credit_level: I64
    holds: npt.NDArray[np.uint64]
    profile: npt.NDArray[np.intp]
    callable: Bools
    room_by_project: list[Bools]
    response: npt.NDArray[np.float64] | None  # [customer, offer]; None: 1 everywhere

    def rows(self, part: slice) -> _Columns:
        """The same columns for a block of rows (views, no copies)."""
        return _Columns(
            self.tier[part], self.member[part], self.avg_spend[part], self.plan_fee[part],
            self.tenure_months[part], self.credit_level[part], self.holds[:, part],
            self.profile[part], self.callable[part], [r[part] for r in self.room_by_project],
            None if self.response is None else self.response[part],
        )  # fmt: skip


def _prepare(
    t: _Tables,
    *,
    tier: I64,
    member: Bools,
    avg_spend: I64,
    plan_fee: I64,
    tenure_months: I64,
    credit_level: I64,
    holds: Bools,
    preferred: I64,
    refused: Bools,
    do_not_call: Bools,
    counted: I64,
    by_project: I64,
    cap: I64,
    response: npt.NDArray[np.float64] | None,
) -> _Columns:
    """The one preparation of customer columns both forms of the rule use."""
    n = len(tier)
    # Holdings as bit sets, 64 to a word: np.packbits, then the bytes read as words.
    packed = np.packbits(holds, axis=1, bitorder="little")
    padded = np.zeros((n, 8 * t.words), dtype=np.uint8)
    padded[:, : packed.shape[1]] = packed
    bits = np.ascontiguousarray(padded.view("<u8").T)
    refused_bits = np.packbits(refused, axis=1, bitorder="little")[:, 0]
    # numpy gathers fastest with intp indexes, so the profile is stored as one
    profile = ((preferred + 1) << len(CHANNELS)) | refused_bits.astype(np.intp)
    room_total = counted < cap
    caps = {int(p): int(c) for p, c in zip(t.project, t.project_cap, strict=True)}
    room = [room_total & (by_project[:, p] < caps.get(p, np.iinfo(np.int64).max))
            for p in range(len(PROJECT_TYPES))]  # fmt: skip
    return _Columns(
        tier=tier, member=member, avg_spend=avg_spend, plan_fee=plan_fee,
        tenure_months=tenure_months, credit_level=credit_level, holds=bits,
        profile=profile,
        callable=~do_not_call, room_by_project=room, response=response,
    )  # fmt: skip


def _gates(t: _Tables, j: int, c: _Columns, out: Bools | None = None) -> dict[str, Any]:
    """Every gate of offer ``j`` for every customer, then the channel and the score.

    A gate the offer does not have is ``True`` for everyone (a scalar), so it
    costs nothing.
    """
    yes = np.True_
    spend, fee = t.spend[j], t.fee[j]
    tiers, needs = t.tier_ok[j], t.requires[j]
    conflicts, tenure, credit = t.conflicts[j], t.min_tenure[j], t.min_credit[j]
    channel = t.channel[j][c.profile]
    gates: dict[str, Any] = {
        "valid": np.bool_(t.valid[j]),
        "callable": c.callable,
        "tier": yes if tiers is None else tiers[c.tier],
        "segment": c.member if t.needs_segment[j] else yes,
        "spend": yes if spend is None else (c.avg_spend >= spend[0]) & (c.avg_spend <= spend[1]),
        "plan_fee": yes if fee is None else (c.plan_fee >= fee[0]) & (c.plan_fee <= fee[1]),
        "tenure": yes if tenure is None else c.tenure_months >= tenure,
        "credit": yes if credit is None else c.credit_level >= credit,
        "requires": yes,
        "conflicts": yes,
        "channel": channel >= 0,
    }
    if needs is not None:
        ok = (c.holds[0] & needs[0]) == needs[0]
        for w in range(1, t.words):
            ok &= (c.holds[w] & needs[w]) == needs[w]
        gates["requires"] = ok
    if conflicts is not None:
        ok = (c.holds[0] & conflicts[0]) == 0
        for w in range(1, t.words):
            ok &= (c.holds[w] & conflicts[w]) == 0
        gates["conflicts"] = ok
    eligible = np.empty(len(c.tier), dtype=bool) if out is None else out
    np.copyto(eligible, c.callable)
    for name, passed in gates.items():
        if passed is not yes and name != "callable":
            np.logical_and(eligible, passed, out=eligible)
    if c.response is None:
        score: Any = float(t.value[j] - t.cost[j])
    else:
        score = c.response[:, j] * t.value[j] - t.cost[j]
    return {
        "gates": gates,
        "eligible": eligible,
        "channel": channel,
        "caps_ok": c.room_by_project[int(t.project[j])],
        "score": score,
    }


# --------------------------------------------------------------- one customer


@attrs.frozen(slots=True)
class OfferDecision(Displayable):
    """One offer for one customer: eligible, allowed now, channel, score, and why.

    ``next_allowed_at`` is the first moment the contact may be made (equal to
    ``at`` when allowed now); ``score`` is ``response x value - cost`` in fen.
    """

    code: str
    eligible: bool
    allowed_now: bool
    channel: Channel | None
    score: float
    next_allowed_at: datetime | None
    reasons: tuple[str, ...]


def offer_conflicts(
    holds: Iterable[str], offer: str, catalogue: OfferCatalogue
) -> tuple[tuple[str, str], ...]:
    """What a customer holding ``holds`` (product and offer codes) would lose or
    break by taking ``offer``: each conflicting holding with the reason; empty
    when the offer can be added.

    Seed 003's case: a "deposit and get talk time" offer silently cancelled the
    customer's basic call-fee discount for two months.

    >>> import telcare as tc
    >>> catalogue = tc.OfferCatalogue.model_validate({
    ...     "products": {"basic_fee_discount": "Basic call-fee discount"},
    ...     "offers": [{"code": "deposit_talk_time", "name": "Deposit and get talk time",
    ...                 "project_type": "promotion", "channels": ["phone"], "value": 5_000,
    ...                 "cost": 3_000, "valid_from": "2010-10-01", "valid_to": "2010-12-31",
    ...                 "conflicts": {"basic_fee_discount": "replaces the basic call-fee discount"}}]})
    >>> tc.offer_conflicts({"basic_fee_discount"}, "deposit_talk_time", catalogue)
    (('basic_fee_discount', 'replaces the basic call-fee discount'),)
    >>> tc.offer_conflicts(set(), "deposit_talk_time", catalogue)
    ()
    """
    if not isinstance(catalogue, OfferCatalogue):
        raise InvalidInput(
            f"catalogue must be a telcare.OfferCatalogue, got {type(catalogue).__name__}"
        )
    held = _codes(holds)
    chosen = catalogue[offer]
    return tuple((code, reason) for code, reason in chosen.conflicts.items() if code in held)


def _counts(
    customer_id: str,
    contacts: Iterable[ContactMade],
    at: datetime,
    catalogue: OfferCatalogue,
    policy: Policy,
) -> tuple[list[datetime], dict[int, list[datetime]]]:
    window = timedelta(days=policy.contact.window_days)
    counted: list[datetime] = []
    by_project: dict[int, list[datetime]] = {}
    types = {o.code: PROJECT_TYPES.index(o.project_type) for o in catalogue}
    for c in contacts:
        if not isinstance(c, ContactMade):
            raise InvalidInput(f"contacts must be ContactMade events, got {type(c).__name__}")
        if c.customer_id != customer_id or not at - window < c.at <= at:
            continue
        if c.moment is not None and c.moment in policy.contact.exempt:
            continue
        counted.append(c.at)
        if c.moment is None and c.project in types:
            by_project.setdefault(types[c.project], []).append(c.at)
    return counted, by_project


def _type_cap(policy: Policy, tier: str, member: bool) -> int:
    caps = policy.contact.customer_type_caps
    if tier in caps:
        return caps[tier]
    if member and policy.segment.code in caps:
        return caps[policy.segment.code]
    return policy.contact.max_marketing_calls


def _one(prospect: Prospect, catalogue: OfferCatalogue, at: datetime, contacts: Iterable[ContactMade],
         responses: Mapping[str, float] | None, policy: Policy) -> tuple[_Tables, _Columns, datetime, list[datetime], dict[int, list[datetime]]]:  # fmt: skip
    if not isinstance(prospect, Prospect):
        raise InvalidInput(f"match_offer() needs a telcare.Prospect, got {type(prospect).__name__}")
    local = local_datetime(at, policy.timezone, name="at")
    tables = _compile(catalogue, policy, local.date())
    cust = prospect.customer
    tier = policy.tiers.index(cust.tier)
    member = policy.segment.code in cust.segments
    spend = cust.monthly_spend
    unknown = sorted(prospect.holds - set(tables.holdings))
    if unknown:
        raise InvalidInput(f"holds names {unknown}, which the catalogue does not know")
    counted, by_project = _counts(cust.id, list(contacts), local, catalogue, policy)
    response = np.ones((1, len(tables.codes)))
    if responses is not None and not isinstance(responses, Mapping):
        raise InvalidInput(
            f"responses must map offer codes to numbers, got {type(responses).__name__}"
        )
    for code, value in (responses or {}).items():
        catalogue[code]  # an unknown code is refused by name
        response[0, tables.codes.index(code)] = number(
            value, f"response for {code!r}", minimum=-1e6, maximum=1e6
        )
    months = (
        (local.date().year - cust.activated_on.year) * 12
        + local.date().month
        - cust.activated_on.month
    )
    cols = _prepare(
        tables,
        tier=np.array([tier]),
        member=np.array([member]),
        avg_spend=np.array([sum(spend) // len(spend) if spend else 0]),
        plan_fee=np.array([cust.plan_fee]),
        tenure_months=np.array([max(0, months)]),
        credit_level=np.array([cust.credit_level]),
        holds=np.array([[h in prospect.holds for h in tables.holdings]], dtype=bool).reshape(1, -1),
        preferred=np.array([-1 if prospect.preferred_channel is None else CHANNELS.index(prospect.preferred_channel)]),
        refused=np.array([[ch in prospect.refused_channels for ch in CHANNELS]]),
        do_not_call=np.array([prospect.do_not_call]),
        counted=np.array([len(counted)]),
        by_project=np.array([[len(by_project.get(i, [])) for i in range(len(PROJECT_TYPES))]]),
        cap=np.array([_type_cap(policy, cust.tier, member)]),
        response=response,
    )  # fmt: skip
    return tables, cols, local, counted, by_project


def _outside(what: str, fen: int, low: int | None, high: int | None) -> str:
    top = "any" if high is None else yuan_text(high)
    return f"{what} {yuan_text(fen)} outside the offer's band {yuan_text(low or 0)} to {top}"


def _decide(prospect: Prospect, offer_index: int, catalogue: OfferCatalogue, tables: _Tables, cols: _Columns,
            local: datetime, counted: list[datetime], by_project: dict[int, list[datetime]], policy: Policy) -> OfferDecision:  # fmt: skip
    offer = catalogue.offers[offer_index]
    out = _gates(tables, offer_index, cols)
    g = {k: bool(np.asarray(v).reshape(-1)[0]) for k, v in out["gates"].items()}
    cust = prospect.customer
    reasons: list[str] = []
    if not g["valid"]:
        reasons.append(
            f"not valid on {local.date()} (valid {offer.valid_from} to {offer.valid_to})"
        )
    if not g["callable"]:
        reasons.append("on the do-not-call list: no marketing contact")
    if not g["tier"]:
        reasons.append(f"tier {cust.tier} is not one of {', '.join(offer.tiers)}")
    if not g["segment"]:
        reasons.append(f"not in the {' or '.join(offer.segments)} segment")
    if not g["spend"]:
        reasons.append(
            _outside("average spend", int(cols.avg_spend[0]), offer.min_spend, offer.max_spend)
        )
    if not g["plan_fee"]:
        reasons.append(_outside("plan fee", cust.plan_fee, offer.min_plan_fee, offer.max_plan_fee))
    if not g["tenure"]:
        reasons.append(f"tenure {int(cols.tenure_months[0])} months < {offer.min_tenure_months}")
    if not g["credit"]:
        reasons.append(f"credit level {cust.credit_level} < {offer.min_credit_level}")
    if not g["requires"]:
        missing = sorted(set(offer.requires) - prospect.holds)
        reasons.append(f"does not hold {', '.join(missing)}, which the offer requires")
    if not g["channel"]:
        reasons.append(
            f"no channel left: the offer uses {', '.join(c.value for c in offer.channels)}, "
            f"the customer refused {', '.join(sorted(c.value for c in prospect.refused_channels))}"
        )
    if not g["conflicts"]:
        for code, reason in offer.conflicts.items():
            if code in prospect.holds:
                reasons.append(f"conflicts with {code}: {reason}")
    eligible = bool(out["eligible"][0])
    channel = CHANNELS[int(out["channel"][0])] if int(out["channel"][0]) >= 0 else None
    score = float(np.asarray(out["score"]).reshape(-1)[0])
    if not eligible:
        return OfferDecision(offer.code, False, False, channel, score, None, tuple(reasons))
    reasons.append(
        f"eligible: {offer.project_type} offer worth {yuan_text(offer.value)}, costs {yuan_text(offer.cost)}, "
        f"by {channel.value if channel else '-'}; score {score:,.0f} fen"
    )
    member = policy.segment.code in prospect.customer.segments
    cap = _type_cap(policy, prospect.customer.tier, member)
    project_cap = int(tables.project_cap[offer_index])
    window = timedelta(days=policy.contact.window_days)
    earliest = local
    if len(counted) >= cap:
        counted.sort()
        earliest = max(earliest, counted[len(counted) - cap] + window)
        reasons.append(
            f"{len(counted)} contacts in the last {policy.contact.window_days} days (cap {cap})"
        )
    own = sorted(by_project.get(int(tables.project[offer_index]), []))
    if len(own) >= project_cap:
        earliest = max(earliest, own[len(own) - project_cap] + window)
        reasons.append(f"{len(own)} {offer.project_type} calls in the window (cap {project_cap})")
    hours = policy.contact.hours
    opening = hours.next_opening(earliest.astimezone(zone(policy.timezone)))
    if not hours.is_open(local):
        reasons.append(f"outside contact hours {hours.describe()}")
    allowed = bool(out["caps_ok"][0]) and hours.is_open(local)
    return OfferDecision(offer.code, True, allowed, channel, score, opening, tuple(reasons))


def match_offer(
    prospect: Prospect,
    code: str,
    catalogue: OfferCatalogue,
    *,
    at: datetime,
    contacts: Iterable[ContactMade] = (),
    response: float = 1.0,
    policy: Policy | None = None,
) -> OfferDecision:
    """Decide one offer for one customer, with a reason per failed gate (see the module).

    >>> from datetime import date, datetime
    >>> from zoneinfo import ZoneInfo
    >>> import telcare as tc
    >>> catalogue = tc.OfferCatalogue.model_validate({"offers": [
    ...     {"code": "data_pack", "name": "Data pack", "project_type": "promotion",
    ...      "channels": ["sms", "phone"], "value": 2_000, "cost": 500, "min_plan_fee": 5_800,
    ...      "valid_from": "2010-01-01", "valid_to": "2010-12-31"}]})
    >>> who = tc.Prospect(tc.Customer("13800000002", date(2009, 1, 1), tc.yuan(88)),
    ...                   preferred_channel="phone")
    >>> saturday = datetime(2010, 11, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    >>> d = tc.match_offer(who, "data_pack", catalogue, at=saturday, response=0.3)
    >>> d.eligible, d.allowed_now, d.channel.value, d.score, str(d.next_allowed_at)
    (True, False, 'phone', 100.0, '2010-11-22 08:00:00+08:00')
    """
    policy = as_policy(policy)
    if not isinstance(code, str):
        raise InvalidInput(f"code must be an offer code (str), got {type(code).__name__} {code!r}")
    tables, cols, local, counted, by_project = _one(
        prospect, catalogue, at, contacts, {code: response}, policy
    )
    return _decide(
        prospect,
        tables.codes.index(code),
        catalogue,
        tables,
        cols,
        local,
        counted,
        by_project,
        policy,
    )


def best_offers(
    prospect: Prospect,
    catalogue: OfferCatalogue,
    *,
    at: datetime,
    contacts: Iterable[ContactMade] = (),
    responses: Mapping[str, float] | None = None,
    policy: Policy | None = None,
) -> tuple[OfferDecision, ...]:
    """The eligible offers for one customer, best score first (ties in catalogue order).

    ``responses`` maps offer codes to the customer's response probability or
    uplift (1 when absent).

    >>> from datetime import date, datetime
    >>> from zoneinfo import ZoneInfo
    >>> import telcare as tc
    >>> offer = {"project_type": "promotion", "channels": ["phone"], "cost": 500,
    ...          "valid_from": "2010-01-01", "valid_to": "2010-12-31"}
    >>> catalogue = tc.OfferCatalogue.model_validate({"offers": [
    ...     {**offer, "code": "data_pack", "name": "Data pack", "value": 2_000},
    ...     {**offer, "code": "plan_upgrade", "name": "Plan upgrade", "value": 6_000}]})
    >>> who = tc.Prospect(tc.Customer("13800000003", date(2009, 1, 1), tc.yuan(88)))
    >>> monday = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    >>> [(d.code, d.score) for d in tc.best_offers(who, catalogue, at=monday,
    ...                                             responses={"plan_upgrade": 0.1, "data_pack": 0.4})]
    [('data_pack', 300.0), ('plan_upgrade', 100.0)]
    """
    policy = as_policy(policy)
    tables, cols, local, counted, by_project = _one(
        prospect, catalogue, at, contacts, responses, policy
    )
    decisions = [
        _decide(prospect, j, catalogue, tables, cols, local, list(counted), by_project, policy)
        for j in range(len(tables.codes))
    ]
    eligible = [d for d in decisions if d.eligible]
    return tuple(sorted(eligible, key=lambda d: -d.score))


# ----------------------------------------------------------------- whole base


@attrs.frozen(slots=True, eq=False)
class OfferMatch(Tabular):
    """A whole base against a catalogue: ``[customer, offer]`` tables and the best offer.

    ``channel`` holds indexes into :class:`~telcare.Channel` (-1: none);
    ``best`` the index of the best offer allowed now (-1: none), and
    ``best_score`` its score (NaN where none).
    """

    codes: tuple[str, ...]
    eligible: Bools
    allowed: Bools
    channel: npt.NDArray[np.int8]
    best: I64
    best_score: npt.NDArray[np.float64]
    response: npt.NDArray[np.float64] | None
    value: I64
    cost: I64

    @property
    def score(self) -> npt.NDArray[np.float64]:
        """``response x value - cost`` per customer and offer (built when asked: at
        10^7 customers x 20 offers it is 1.6 GB, which the match itself never holds)."""
        n = len(self.best)
        response = np.ones((n, len(self.codes))) if self.response is None else self.response
        out: npt.NDArray[np.float64] = response * self.value[None, :] - self.cost[None, :]
        return out

    def best_codes(self) -> npt.NDArray[np.object_]:
        """The best offer's code per customer (``None`` where none)."""
        codes = np.array([*self.codes, None], dtype=object)
        return codes[np.where(self.best >= 0, self.best, len(self.codes))]

    def _columns(self) -> dict[str, Any]:
        """One row per customer: the best offer, its channel and score (on ``index`` when given)."""
        names = np.array([*(c.value for c in CHANNELS), None], dtype=object)
        rows = np.arange(len(self.best))
        chan = np.where(self.best >= 0, self.channel[rows, np.maximum(self.best, 0)], -1)
        return {
            "best_offer": self.best_codes(),
            "channel": names[np.where(chan >= 0, chan, len(CHANNELS))],
            "score": self.best_score,
            "eligible_offers": self.eligible.sum(axis=1),
        }  # fmt: skip


def _matrix(value: Any, name: str, shape: tuple[int, int], kind: str) -> Any:
    arr = column(value, name, ndim=2)
    if arr.shape != shape:
        raise InvalidInput(f"{name} must have shape {shape}, got {arr.shape}")
    flat = arr.reshape(-1)
    if kind == "bool":
        return bool_column(flat, name).reshape(shape)
    if kind == "int":
        return int_column(flat, name, maximum=MAX_COUNT).reshape(shape)
    try:
        out = np.asarray(flat, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidInput(f"{name} must hold numbers, got {arr.dtype} values") from None
    bad = ~(np.abs(out) <= 1e6)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidInput(
            f"{name} must be finite and within +/-1e6, got {out[i]!r} at flat index {i}"
        )
    return out.reshape(shape)


def match_offers(
    catalogue: OfferCatalogue,
    *,
    at: datetime,
    tier: Any,
    segment_member: Any,
    avg_spend: Any,
    plan_fee: Any,
    tenure_months: Any,
    credit_level: Any,
    holds: Any = None,
    preferred_channel: Any = None,
    refused: Any = None,
    do_not_call: Any = None,
    counted_contacts: Any = None,
    project_contacts: Any = None,
    response: Any = None,
    min_score: float | None = None,
    policy: Policy | None = None,
) -> OfferMatch:
    """Match a whole base against every offer: the batch twin of :func:`match_offer`.

    ``tier`` indexes ``policy.tiers.codes``; ``holds`` is a customers x
    ``catalogue.holdings`` bool table; ``preferred_channel`` a column of
    :class:`~telcare.Channel` indexes (-1 for none) and ``refused`` a customers x
    channels bool table; ``counted_contacts`` the contacts counted against the
    cap in the window and ``project_contacts`` the marketing calls per project
    type (customers x 4, in ``PROJECT_TYPES`` order); ``response`` customers x
    offers (default 1).  Each cell equals :func:`match_offer` on that customer.
    ``best`` is the allowed offer with the highest score, above ``min_score``
    when given (an offer expected to lose money is better not made).

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> import telcare as tc
    >>> catalogue = tc.OfferCatalogue.model_validate({"offers": [
    ...     {"code": "data_pack", "name": "Data pack", "project_type": "promotion",
    ...      "channels": ["sms", "phone"], "value": 2_000, "cost": 500, "min_plan_fee": 5_800,
    ...      "valid_from": "2010-01-01", "valid_to": "2010-12-31"}]})
    >>> m = tc.match_offers(catalogue, at=datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
    ...                     tier=[0, 0, 0], segment_member=[False] * 3, avg_spend=[9_000] * 3,
    ...                     plan_fee=[3_800, 5_800, 8_800], tenure_months=[12] * 3, credit_level=[1] * 3,
    ...                     do_not_call=[False, False, True])
    >>> m.best_codes().tolist(), m.channel[:, 0].tolist()
    ([None, 'data_pack', None], [1, 1, 1])
    """
    policy = as_policy(policy)
    local = local_datetime(at, policy.timezone, name="at")
    t = _compile(catalogue, policy, local.date())
    tiers = code_column(tier, "tier", policy.tiers.codes)
    n, m = len(tiers), len(t.codes)
    member = bool_column(segment_member, "segment_member")
    spend = int_column(avg_spend, "avg_spend", maximum=MAX_AVG_SPEND)
    fee = int_column(plan_fee, "plan_fee", maximum=MAX_FEN)
    tenure = int_column(tenure_months, "tenure_months", maximum=12_000)
    credit = int_column(credit_level, "credit_level", minimum=1, maximum=1_000)
    same_length(tier=tiers, segment_member=member, avg_spend=spend, plan_fee=fee,
                tenure_months=tenure, credit_level=credit)  # fmt: skip
    zeros = np.zeros(n, dtype=np.int64)
    pref = (
        np.full(n, -1, dtype=np.int64)
        if preferred_channel is None
        else int_column(
            preferred_channel, "preferred_channel", minimum=-1, maximum=len(CHANNELS) - 1
        )
    )
    dnc = np.zeros(n, bool) if do_not_call is None else bool_column(do_not_call, "do_not_call")
    counted = (
        zeros
        if counted_contacts is None
        else int_column(counted_contacts, "counted_contacts", maximum=MAX_COUNT)
    )
    same_length(tier=tiers, preferred_channel=pref, do_not_call=dnc, counted_contacts=counted)
    caps_by_tier = np.array(
        [_type_cap(policy, code, False) for code in policy.tiers.codes], dtype=np.int64
    )
    caps_member = np.array(
        [_type_cap(policy, code, True) for code in policy.tiers.codes], dtype=np.int64
    )
    cols = _prepare(
        t, tier=tiers, member=member, avg_spend=spend, plan_fee=fee, tenure_months=tenure,
        credit_level=credit,
        holds=np.zeros((n, len(t.holdings)), bool) if holds is None else _matrix(holds, "holds", (n, len(t.holdings)), "bool"),
        preferred=pref,
        refused=np.zeros((n, len(CHANNELS)), bool) if refused is None else _matrix(refused, "refused", (n, len(CHANNELS)), "bool"),
        do_not_call=dnc, counted=counted,
        by_project=np.zeros((n, len(PROJECT_TYPES)), np.int64) if project_contacts is None
        else _matrix(project_contacts, "project_contacts", (n, len(PROJECT_TYPES)), "int"),
        cap=np.where(member, caps_member[tiers], caps_by_tier[tiers]),
        response=None if response is None else _matrix(response, "response", (n, m), "float"),
    )  # fmt: skip
    open_now = policy.contact.hours.is_open(local)
    floor = -np.inf if min_score is None else number(min_score, "min_score")
    # Offer-major tables, so each offer's column is contiguous; exposed transposed.
    eligible = np.zeros((m, n), dtype=bool)
    allowed = np.zeros((m, n), dtype=bool)
    channel = np.full((m, n), -1, dtype=np.int8)
    best = np.full(n, -1, dtype=np.int64)
    best_score = np.full(n, floor)
    # Block by block, every offer per block: the customer columns stay in the CPU
    # cache across the offers instead of streaming through memory once per offer.
    for part in row_blocks(n):
        block = cols.rows(part)
        leader, top_score = best[part], best_score[part]
        for j in range(m):
            out = _gates(t, j, block, out=eligible[j, part])
            ok = allowed[j, part]
            np.logical_and(out["eligible"], out["caps_ok"], out=ok)
            if not open_now:
                ok[:] = False
            channel[j, part] = out["channel"]
            better = ok & (out["score"] > top_score)  # ties keep the earlier offer
            leader[better] = j
            if isinstance(out["score"], float):
                top_score[better] = out["score"]
            else:
                top_score[better] = out["score"][better]
    best_score[best < 0] = np.nan
    return OfferMatch(
        t.codes, eligible.T, allowed.T, channel.T, best, best_score, cols.response, t.value,
        t.cost,
    )  # fmt: skip
