"""Matching for one customer: :func:`match_offer` decides one offer with a reason
per failed gate, :func:`best_offers` ranks every offer of a catalogue, and
:func:`offer_conflicts` names what an offer would break.

Both run the gate table's whole-base terms on the customer's one row, so they
cannot drift from :func:`~telcare.match_offers`; the caps come from the one
frequency-cap window of :mod:`telcare.contact`.

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

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import attrs
import numpy as np

from telcare._core.checks import instance, items
from telcare._core.dates import local_datetime
from telcare._core.display import Explained
from telcare._core.errors import InvalidInput
from telcare._core.label_checks import is_missing
from telcare._core.reasons import Reason
from telcare.contact import next_allowed
from telcare.customers import average_spend, tenure_months
from telcare.marketing._caps import OneCustomerCaps, clock_reasons, lane_windows, offer_windows
from telcare.marketing._columns import BUILTIN_COLUMNS, Columns, prepare
from telcare.marketing._gates import GateCase, OfferGates, eligible, reasons
from telcare.marketing._inputs import extra_column, responses as response_values
from telcare.marketing._prospect import CHANNELS, Prospect, codes
from telcare.marketing._reasons import ELIGIBLE, ELIGIBLE_NO_CHANNEL
from telcare.marketing._rows import OFFER_GATES
from telcare.marketing._tables import OfferTables, compile_offers
from telcare.marketing._usage import (
    LimitTables,
    Usage,
    customer_holdouts,
    limit_reasons,
    limit_tables,
    period_offers,
    usage_of,
)
from telcare.moments import ContactMade
from telcare.policy import Channel, OfferCatalogue, Policy, PolicySchedule, resolve

__all__ = ["OfferDecision", "best_offers", "match_offer", "offer_conflicts"]


@attrs.frozen(slots=True)
class OfferDecision(Explained):
    """One offer for one customer: eligible, allowed now, channel, score, and why.

    ``next_allowed_at`` is the first moment the contact may be made (equal to
    ``at`` when allowed now; ``None`` when not eligible, withheld by a limit or a
    holdout, or never under a cap of 0); ``score`` is ``response x value - cost`` in fen.
    Each reason is a :class:`~telcare.Reason` (``offer.*`` codes, docs/reasons.md).
    """

    code: str
    eligible: bool
    allowed_now: bool
    channel: Channel | None
    score: float
    next_allowed_at: datetime | None
    reasons: tuple[Reason, ...]


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
    catalogue = instance(
        catalogue, OfferCatalogue, "catalogue must be a telcare.OfferCatalogue, got {got}"
    )
    held = codes(holds)
    chosen = catalogue[offer]
    unknown = sorted(held - set(catalogue.holdings))
    if unknown:  # as match_offer refuses them: a typo must not read as "no conflict"
        raise InvalidInput(f"holds names {unknown}, which the catalogue does not know")
    return tuple((code, reason) for code, reason in chosen.conflicts.items() if code in held)


def extra_columns(gates: OfferGates, given: Mapping[str, Any] | None) -> dict[str, Any]:
    """The extra customer columns the gates read, each checked to be given."""
    if given is not None and not isinstance(given, Mapping):
        raise InvalidInput(f"columns must map column names to values, got {type(given).__name__}")
    given = given or {}
    taken = sorted(set(given) & set(BUILTIN_COLUMNS))
    if taken:
        raise InvalidInput(
            f"columns= gives {taken}, which the built-in gates read from their own arguments; "
            "an extra column needs a name of its own"
        )
    for gate in gates:
        for name in gate.columns:
            if name not in given:
                raise InvalidInput(
                    f"the offer gate {gate.name!r} reads the column {name!r}; pass it in columns="
                )
    return dict(given)


def _responses(
    tables: OfferTables, catalogue: OfferCatalogue, responses: Mapping[str, float] | None
) -> Any:
    response = np.ones((1, len(tables.codes)))
    if responses is not None and not isinstance(responses, Mapping):
        raise InvalidInput(
            f"responses must map offer codes to numbers, got {type(responses).__name__}"
        )
    for code, value in (responses or {}).items():
        catalogue[code]  # an unknown code is refused by name
        if np.ndim(value) != 0:
            raise InvalidInput(
                f"response for {code!r} must be one number, got {type(value).__name__} {value!r}"
            )
        # the one check match_offers makes of its response table
        response[0, tables.codes.index(code)] = response_values([value], f"response for {code!r}")[
            0
        ]
    return response


def _one_value(value: Any, name: str) -> Any:
    """This customer's value of an extra column, as the one-row column both forms check."""
    if np.ndim(value) != 0:
        raise InvalidInput(
            f"columns[{name!r}] must be this customer's one value, got {type(value).__name__} {value!r}"
        )
    row = np.empty(1, dtype=object)
    row[0] = value
    if not isinstance(value, str | bytes) and not is_missing(value):
        row = np.array([value])  # a number or bool keeps its dtype
    return extra_column(row, name)


@attrs.frozen(slots=True)
class _One:
    prospect: Prospect
    catalogue: OfferCatalogue
    tables: OfferTables
    columns: Columns
    local: datetime
    caps: OneCustomerCaps
    policy: Policy
    limits: _Limits


@attrs.frozen(slots=True)
class _Limits:
    """One customer's limits: the tables, the usage it meets, its period count and holdouts."""

    tables: LimitTables
    usage: Usage
    offers_in_period: int
    programme: bool
    campaigns: list[bool]

    def reasons(self, j: int) -> list[Reason]:
        if not self.tables.any:
            return []
        k = int(self.tables.campaign[j])
        held = (self.programme, self.campaigns[k] if k >= 0 else False)
        return limit_reasons(self.tables, j, self.usage, self.offers_in_period, held)


def _limits(catalogue: OfferCatalogue, customer_id: str, usage: Any, period: Any) -> _Limits:
    tables = limit_tables(catalogue)
    used = usage_of(usage, catalogue)
    count = period_offers(period, "offers_in_period")
    programme, campaigns = customer_holdouts(tables, customer_id) if tables.any else (False, [])
    return _Limits(tables, used, count, programme, campaigns)


def _one(prospect: Prospect, catalogue: OfferCatalogue, at: datetime, contacts: Iterable[ContactMade],
         responses: Mapping[str, float] | None, policy: Policy, gates: OfferGates,
         columns: Mapping[str, Any] | None, usage: Any = None, period: Any = 0) -> _One:  # fmt: skip
    prospect = instance(prospect, Prospect, "match_offer() needs a telcare.Prospect, got {got}")
    local = local_datetime(at, policy.timezone, name="at")
    tables = compile_offers(catalogue, policy, local.date(), gates)
    cust = prospect.customer
    member = policy.segment.code in cust.segments
    unknown = sorted(prospect.holds - set(tables.holdings))
    if unknown:
        raise InvalidInput(f"holds names {unknown}, which the catalogue does not know")
    caps = OneCustomerCaps(
        cust.id,
        items(contacts, "contacts", of=(object,)),  # each checked by the caps
        local,
        catalogue,
        policy,
        tier=cust.tier,
        member=member,
    )
    cols = prepare(
        tables.words,
        tier=np.array([policy.tiers.index(cust.tier)]),
        segment_member=np.array([member]),
        avg_spend=np.array([average_spend(cust.monthly_spend, policy.tiers.window_months)]),
        plan_fee=np.array([cust.plan_fee]),
        tenure_months=np.array([tenure_months(cust.activated_on, local.date())]),
        credit_level=np.array([cust.credit_level]),
        holds=np.array([[h in prospect.holds for h in tables.holdings]], dtype=bool).reshape(1, -1),
        preferred=np.array([-1 if prospect.preferred_channel is None else CHANNELS.index(prospect.preferred_channel)]),
        refused=np.array([[ch in prospect.refused_channels for ch in CHANNELS]]),
        do_not_call=np.array([prospect.do_not_call]),
        response=_responses(tables, catalogue, responses),
        extra={k: _one_value(v, k) for k, v in extra_columns(gates, columns).items()},
    )  # fmt: skip
    limits = _limits(catalogue, cust.id, usage, period)
    return _One(prospect, catalogue, tables, cols, local, caps, policy, limits)


def _decide(one: _One, j: int) -> OfferDecision:
    offer, t, cols = one.catalogue.offers[j], one.tables, one.columns
    ok = bool(eligible(t.gates, t.params, j, cols, np.empty(1, dtype=bool))[0])
    code = int(t.channel[j][cols.profile[0]])
    channel = CHANNELS[code] if code >= 0 else None
    response = 1.0 if cols.response is None else float(cols.response[0, j])
    score = float(response * t.value[j] - t.cost[j])
    if not ok:
        why = reasons(t.gates, t.params, j, GateCase(offer, one.prospect, one.local.date(), cols))
        return OfferDecision(offer.code, False, False, channel, score, None, tuple(why))
    worth = {"project_type": offer.project_type, "value": offer.value, "cost": offer.cost}
    why = [
        ELIGIBLE(**worth, channel=channel, score=score)
        if channel
        else ELIGIBLE_NO_CHANNEL(**worth, score=score)
    ]
    customer, project, full = offer_windows(one.caps, offer)
    lanes, lanes_full = lane_windows(one.caps, channel)
    windows = (customer, project, *lanes)
    clock = clock_reasons(one.policy, one.local, channel)
    why.extend([*full, *lanes_full, *clock])
    opening = next_allowed(one.local, windows, one.policy, channel)
    open_now = one.policy.contact.next_opening(one.local, channel) == one.local
    allowed = all(w.room for w in windows) and open_now
    limited = one.limits.reasons(j)
    if limited:
        why.extend(limited)
        allowed, opening = False, None
    return OfferDecision(offer.code, True, allowed, channel, score, opening, tuple(why))


def match_offer(
    prospect: Prospect,
    code: str,
    catalogue: OfferCatalogue,
    *,
    at: datetime,
    contacts: Iterable[ContactMade] = (),
    response: float = 1.0,
    policy: Policy | PolicySchedule | None = None,
    gates: OfferGates = OFFER_GATES,
    columns: Mapping[str, Any] | None = None,
    usage: Usage | None = None,
    offers_in_period: int = 0,
) -> OfferDecision:
    """Decide one offer for one customer, with a reason per failed gate (see the module).

    ``gates`` is the gate table (``OFFER_GATES.with_gate(...)`` for one's own);
    ``columns`` gives this customer's value of each extra column its gates read;
    ``usage`` what earlier customers used of the catalogue's limits and
    ``offers_in_period`` the offers this customer got in the period: an eligible
    offer a limit or a holdout withholds is not allowed now, with the limit named.

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
    policy = resolve(policy, "match_offer", at=at)
    code = instance(code, str, "code must be an offer code (str), got {got} {value!r}")
    one = _one(prospect, catalogue, at, contacts, {code: response}, policy, gates, columns,
               usage, offers_in_period)  # fmt: skip
    return _decide(one, one.tables.codes.index(code))


def best_offers(
    prospect: Prospect,
    catalogue: OfferCatalogue,
    *,
    at: datetime,
    contacts: Iterable[ContactMade] = (),
    responses: Mapping[str, float] | None = None,
    policy: Policy | PolicySchedule | None = None,
    gates: OfferGates = OFFER_GATES,
    columns: Mapping[str, Any] | None = None,
    usage: Usage | None = None,
    offers_in_period: int = 0,
) -> tuple[OfferDecision, ...]:
    """The eligible offers for one customer, best score first (ties in catalogue order).

    ``responses`` maps offer codes to the customer's response probability or
    uplift (1 when absent); ``gates``, ``columns``, ``usage`` and
    ``offers_in_period`` as for :func:`match_offer`.

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
    policy = resolve(policy, "best_offers", at=at)
    one = _one(prospect, catalogue, at, contacts, responses, policy, gates, columns,
               usage, offers_in_period)  # fmt: skip
    decisions = [_decide(one, j) for j in range(len(one.tables.codes))]
    return tuple(sorted((d for d in decisions if d.eligible), key=lambda d: -d.score))
