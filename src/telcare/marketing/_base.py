"""Matching a whole base: :func:`match_offers` gives the decisions of
:func:`~telcare.match_offer` for every customer and offer as columns, running the
same gate table's terms block by block, and the best offer allowed now; the
catalogue's limits and holdouts are then enforced first come by score
(:mod:`telcare.marketing._allot`).

An offer goes by its channel (the customer's preferred one when the offer has it), and
is allowed now only when that channel is open (the contact hours of a working day, out
of the channel's quiet hours) and its caps leave room: ``channel_contacts`` and
``channel_today`` count each customer's contacts per channel in the window and on the
day (customers x 5, ``list(telcare.Channel)`` order; not given: none), as
:func:`~telcare.contact_counts` does; the customer's cap and the project type's cap
count ``counted_contacts`` and ``project_contacts`` (not given: none either).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import (
    bool_column,
    code_column,
    column,
    instance,
    int_column,
    integer,
    number,
    row_blocks,
    same_length,
)
from telcare._core.dates import local_datetime
from telcare._core.display import Tabular, frame_from_columns
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_AVG_SPEND, MAX_COUNT, MAX_FEN
from telcare.contact import ContactCounts
from telcare.marketing._allot import Allotment, allot
from telcare.marketing._caps import ChannelClock, room_by_project
from telcare.marketing._columns import Columns, prepare
from telcare.marketing._gates import OfferGates, eligible
from telcare.marketing._inputs import bools_among_numbers, extra_column, responses
from telcare.marketing._one import extra_columns
from telcare.marketing._prospect import CHANNELS
from telcare.marketing._rows import CHANNEL_GATE, OFFER_GATES
from telcare.marketing._tables import OfferTables, compile_offers
from telcare.marketing._usage import (
    Usage,
    held_out,
    limit_reasons,
    limit_tables,
    usage_of,
)
from telcare.policy import PROJECT_TYPES, OfferCatalogue, Policy, PolicySchedule, resolve

__all__ = ["OfferMatch", "match_offers"]

Bools = npt.NDArray[np.bool_]
I64 = npt.NDArray[np.int64]


@attrs.frozen(slots=True, eq=False)
class OfferMatch(Tabular):
    """A whole base against a catalogue: ``[customer, offer]`` tables and the best offer.

    ``channel`` holds indexes into :class:`~telcare.Channel` (-1: none);
    ``best`` the index of the best offer allowed now (-1: none), and
    ``best_score`` its score (NaN where none).  ``allowed`` leaves out what a
    limit or a holdout withholds; ``withheld`` (``None`` when the catalogue sets
    neither) marks those offers, and :meth:`limit_reasons` says why.
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
    withheld: Bools | None = None
    allotment: Allotment | None = None

    def held_out(self) -> Bools:
        """Each customer's place in the programme's control group (all False without one)."""
        group = None if self.allotment is None else self.allotment.programme
        return np.zeros(len(self.best), bool) if group is None else group

    def usage(self) -> Usage:
        """The usage after this match (the start usage plus what its best offers use),
        for the next match of the same campaigns; empty when the catalogue sets no limit."""
        return Usage() if self.allotment is None else self.allotment.used(self.best)

    def usage_before(self, row: int) -> Usage:
        """The usage the customer at ``row`` met: the start usage plus what the
        customers before it in the order used (the one-customer form's ``usage=``)."""
        row = integer(row, "row", maximum=len(self.best) - 1)
        if self.allotment is None:
            return Usage()
        return self.allotment.used(self.best, before=int(self.allotment.position[row]))

    def limit_reasons(self, row: int) -> dict[str, tuple[str, ...]]:
        """Why each offer allowed by the gates, caps and hours was withheld from the
        customer at ``row``, by offer code (what :func:`match_offer` says too)."""
        row = integer(row, "row", maximum=len(self.best) - 1)
        if self.withheld is None or self.allotment is None:
            return {}
        a, used = self.allotment, self.usage_before(row)
        return {
            self.codes[j]: tuple(limit_reasons(a.limits, j, used, int(a.offers_in_period[row]), a.held(row, j)))
            for j in np.flatnonzero(self.withheld[row]).tolist()
        }  # fmt: skip

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

    def to_frame(self, index: Any = None, ids: Any = None) -> Any:
        """One row per customer: the best offer, its channel and score, on ``index``
        when given, with the customers' ``ids`` as a first column ``id`` when given."""
        return frame_from_columns(self._columns(), index, ids=ids)


def _matrix(value: Any, name: str, shape: tuple[int, int], kind: str) -> Any:
    if kind == "float" and isinstance(value, list | tuple) and bools_among_numbers(value):
        rows = [list(r) if isinstance(r, list | tuple) else [r] for r in value]
        if len({len(r) for r in rows}) == 1:  # numpy would read True as 1.0
            value = np.array(rows, dtype=object)
    arr = column(value, name, ndim=2)
    if arr.shape != shape:
        raise InvalidInput(f"{name} must have shape {shape}, got {arr.shape}")
    flat = arr.reshape(-1)
    if kind == "bool":
        return bool_column(flat, name).reshape(shape)
    if kind == "int":
        return int_column(flat, name, maximum=MAX_COUNT).reshape(shape)
    return responses(flat, name).reshape(shape)  # the one check match_offer makes too


def _contacts(given: dict[str, Any], n: int) -> tuple[I64, I64, I64]:
    """The contacts counted against the cap per customer, and per channel in the window
    and today (customers x channels): from ``counts=`` or the three columns (0 when not
    given: no contact in the window)."""
    opt, shape = given.get, (n, len(CHANNELS))
    if opt("counts") is not None:
        counts = instance(given["counts"], ContactCounts, "counts must be a telcare.ContactCounts, got {got}")  # fmt: skip
        if any(opt(k) is not None for k in ("counted_contacts", "channel_contacts", "channel_today")):  # fmt: skip
            raise InvalidInput(
                "give counts= or counted_contacts=, channel_contacts=, channel_today=, not both "
                "(counts= holds all three)"
            )
        if len(counts.counted) != n:
            raise InvalidInput(f"counts has {len(counts.counted)} rows, the base {n}: give one per customer")  # fmt: skip
        return counts.counted, counts.by_channel, counts.today
    counted = (np.zeros(n, dtype=np.int64) if opt("counted_contacts") is None
               else int_column(given["counted_contacts"], "counted_contacts", maximum=MAX_COUNT))  # fmt: skip
    by_channel, today = (
        np.zeros(shape, np.int64) if opt(k) is None else _matrix(given[k], k, shape, "int")
        for k in ("channel_contacts", "channel_today")
    )
    return counted, by_channel, today


def _base(t: OfferTables, policy: Policy, gates: OfferGates, given: dict[str, Any]) -> tuple[Columns, list[Bools], I64, I64]:  # fmt: skip
    """The base's columns, checked, its room under the caps per project type, and its
    contacts per channel in the window and today."""
    tiers = code_column(given["tier"], "tier", policy.tiers.codes)
    n, m, opt = len(tiers), len(t.codes), given.get
    cols: dict[str, Any] = {
        "tier": tiers, "segment_member": bool_column(given["segment_member"], "segment_member"),
        "avg_spend": int_column(given["avg_spend"], "avg_spend", maximum=MAX_AVG_SPEND),
        "plan_fee": int_column(given["plan_fee"], "plan_fee", maximum=MAX_FEN),
        "tenure_months": int_column(given["tenure_months"], "tenure_months", maximum=12_000),
        "credit_level": int_column(given["credit_level"], "credit_level", minimum=1, maximum=1_000),
    }  # fmt: skip
    same_length(**cols)
    pref = (np.full(n, -1, dtype=np.int64) if opt("preferred_channel") is None else
            int_column(given["preferred_channel"], "preferred_channel", minimum=-1, maximum=len(CHANNELS) - 1))  # fmt: skip
    dnc = (
        np.zeros(n, bool)
        if opt("do_not_call") is None
        else bool_column(given["do_not_call"], "do_not_call")
    )
    counted, by_channel, today = _contacts(given, n)
    extra = {k: extra_column(v, k) for k, v in extra_columns(gates, opt("columns")).items()}
    same_length(
        tier=tiers, preferred_channel=pref, do_not_call=dnc, counted_contacts=counted, **extra
    )
    by_project = (np.zeros((n, len(PROJECT_TYPES)), np.int64) if opt("project_contacts") is None
                  else _matrix(given["project_contacts"], "project_contacts", (n, len(PROJECT_TYPES)), "int"))  # fmt: skip
    prepared = prepare(
        t.words, **cols, preferred=pref, do_not_call=dnc, extra=extra,
        holds=np.zeros((n, len(t.holdings)), bool) if opt("holds") is None else _matrix(given["holds"], "holds", (n, len(t.holdings)), "bool"),
        refused=np.zeros((n, len(CHANNELS)), bool) if opt("refused") is None else _matrix(given["refused"], "refused", (n, len(CHANNELS)), "bool"),
        response=None if opt("response") is None else _matrix(given["response"], "response", (n, m), "float"),
    )  # fmt: skip
    room = room_by_project(policy, tiers, cols["segment_member"], counted, by_project)
    return prepared, room, by_channel, today


def _run(
    t: OfferTables, cols: Columns, room: list[Bools], clock: ChannelClock, floor: float
) -> OfferMatch:
    """Every offer for every customer, block by block, and the best allowed offer."""
    n, m = len(cols), len(t.codes)
    # Offer-major tables, so each offer's column is contiguous; exposed transposed.
    ok_all = np.zeros((m, n), dtype=bool)
    allowed = np.zeros((m, n), dtype=bool)
    channel = np.full((m, n), -1, dtype=np.int8)
    best = np.full(n, -1, dtype=np.int64)
    best_score = np.full(n, floor)
    # Block by block, every offer per block: the customer columns stay in the CPU
    # cache across the offers instead of streaming through memory once per offer.
    lanes = [np.unique(t.channel[j]).tolist() for j in range(m)]  # the channels per offer
    for part in row_blocks(n):
        block = cols.rows(part)
        leader, top_score = best[part], best_score[part]
        for j in range(m):
            chan = channel[j, part] = t.channel[j][block.profile]
            ok = eligible(
                t.gates, t.params, j, block, ok_all[j, part], {id(CHANNEL_GATE): chan >= 0}
            )
            now = allowed[j, part]
            np.logical_and(ok, room[int(t.project[j])][part], out=now)
            clock.allows(now, chan, part, lanes[j])  # channel caps, quiet hours, working days
            if block.response is None:
                score: Any = float(t.value[j] - t.cost[j])
            else:
                score = block.response[:, j] * t.value[j] - t.cost[j]
            better = now & (score > top_score)  # ties keep the earlier offer
            leader[better] = j
            top_score[better] = score if isinstance(score, float) else score[better]
    best_score[best < 0] = np.nan
    return OfferMatch(t.codes, ok_all.T, allowed.T, channel.T, best, best_score, cols.response,
                      t.value, t.cost)  # fmt: skip


def _holdouts(catalogue: OfferCatalogue, ids: Any, n: int) -> tuple[Bools | None, list[Bools | None]]:  # fmt: skip
    """The control group and campaign holdouts among the base's ``ids``."""
    if catalogue.control_group is None and not any(c.holdout for c in catalogue.campaigns):
        return None, [None] * len(catalogue.campaigns)
    if ids is None:
        raise InvalidInput(
            "the catalogue holds customers out (a control group or a campaign holdout): "
            "pass ids=, one customer id per row"
        )
    programme, campaigns = held_out(catalogue, ids)
    rows = len(programme) if programme is not None else len(next(c for c in campaigns if c is not None))  # fmt: skip
    if rows != n:
        raise InvalidInput(f"ids must have one id per customer ({n} rows), got {rows}")
    return programme, campaigns


def _limited(match: OfferMatch, catalogue: OfferCatalogue, given: dict[str, Any], floor: float) -> OfferMatch:  # fmt: skip
    """``match`` with the catalogue's holdouts and limits enforced (see ``_allot``)."""
    lim = limit_tables(catalogue)
    usage = usage_of(given["usage"], catalogue)
    n = len(match.best)
    period = (np.zeros(n, np.int64) if given["offers_in_period"] is None else
              int_column(given["offers_in_period"], "offers_in_period", maximum=MAX_COUNT))  # fmt: skip
    same_length(tier=match.best, offers_in_period=period)
    if not lim.any:
        return match
    programme, campaigns = _holdouts(catalogue, given["ids"], n)
    most = catalogue.max_offers_per_customer
    everyone = np.zeros(n, bool) if most is None else period >= most
    if programme is not None:
        everyone |= programme
    pre = match.allowed.T  # [offer, customer], contiguous
    allowed = pre & ~everyone
    for j, k in enumerate(lim.campaign.tolist()):
        if k >= 0 and campaigns[k] is not None:
            allowed[j] &= ~campaigns[k]
    best, score, position, closed_at = allot(
        lim, usage, allowed, match.response, match.value, floor
    )
    allowed &= position[None, :] < closed_at[:, None]  # an offer closes for the rest of the order
    return attrs.evolve(
        match, allowed=allowed.T, best=best, best_score=score, withheld=(pre & ~allowed).T,
        allotment=Allotment(lim, usage, position, closed_at, programme, tuple(campaigns), period),
    )  # fmt: skip


def _match(given: dict[str, Any]) -> OfferMatch:
    """:func:`match_offers` on its arguments by name: the gates, the caps, then the limits."""
    policy = resolve(given["policy"], "match_offers", at=given["at"])
    gates, catalogue = given["gates"], given["catalogue"]
    local = local_datetime(given["at"], policy.timezone, name="at")
    t = compile_offers(catalogue, policy, local.date(), gates)
    cols, room, by_channel, today = _base(t, policy, gates, given)
    floor = -np.inf if given["min_score"] is None else number(given["min_score"], "min_score")  # fmt: skip
    match = _run(t, cols, room, ChannelClock(policy, local, by_channel, today), floor)
    return _limited(match, catalogue, given, floor)


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
    channel_contacts: Any = None,
    channel_today: Any = None,
    counts: ContactCounts | None = None,
    response: Any = None,
    min_score: float | None = None,
    policy: Policy | PolicySchedule | None = None,
    gates: OfferGates = OFFER_GATES,
    columns: Mapping[str, Any] | None = None,
    ids: Any = None,
    usage: Usage | None = None,
    offers_in_period: Any = None,
) -> OfferMatch:
    """Match a whole base against every offer: the batch twin of :func:`match_offer`.

    ``tier`` indexes ``policy.tiers.codes``; ``avg_spend`` averages the tier
    window; ``holds`` is a customers x ``catalogue.holdings`` bool table;
    ``preferred_channel`` :class:`~telcare.Channel` indexes (-1 for none),
    ``refused`` a customers x channels bool table; ``counted_contacts`` the
    contacts counted against the cap in the window, ``project_contacts`` the
    marketing calls per project type (customers x 4, ``PROJECT_TYPES`` order);
    ``channel_contacts`` and ``channel_today`` those per channel (see the module), or
    ``counts`` all three from :func:`~telcare.contact_counts`; ``response`` customers x offers (default 1); ``gates`` the gate table,
    ``columns`` the extra columns it reads.  ``usage`` (:class:`~telcare.Usage`),
    ``offers_in_period`` (per customer) and ``ids`` (the holdouts hash them) feed
    the catalogue's limits, enforced first come by score (``marketing._allot``).
    Each cell equals :func:`match_offer` on that customer given the usage before
    it; ``best`` is the allowed offer scoring highest (above ``min_score``).

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
    return _match(dict(locals()))  # the arguments as passed, by name
