"""Call lists: today's outbound calls per agent, from a matched base.

:func:`call_lists` takes an :class:`~telcare.OfferMatch` and each customer's
assigned manager, keeps the customers whose best offer is allowed now and goes
by phone, and fills each agent's list up to ``contact.calls_per_agent_day``
(58 by default: seed 000's 1,620 calls a day by 28 phone managers): first the
agent's own customers, by score, then customers without a manager, shared out
round-robin by score among the agents with room left.  The lists are
deterministic: equal scores go in customer order.  Offers that go by another
channel are counted per channel (seed 000: tasks per channel).

Every row is an allowed match, so no list holds a do-not-call number, a capped
customer (the phone's own caps, ``contact.channel_caps`` and ``channel_day_caps``,
included), a call in the phone's quiet hours or on a holiday, a conflicting offer,
or a customer a limit or a holdout withholds the offer from: the programme's control
group is on no list (``held_out`` counts it).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from operator import is_
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.catalogue import language
from telcare._core.checks import column, instance, integer, items, same_length, text
from telcare._core.display import Tabular, frame_from_columns
from telcare._core.errors import InvalidInput
from telcare._core.label_checks import is_missing, label
from telcare._core.limits import MAX_COUNT
from telcare._core.object_codes import object_slots
from telcare._core.ui import columns_text, join, words
from telcare.marketing._allocate import Allocation
from telcare.marketing._base import OfferMatch
from telcare.marketing._prospect import CHANNELS
from telcare.policy import Channel, Policy, as_policy

__all__ = ["CallList", "call_lists"]

I64 = npt.NDArray[np.int64]


@attrs.frozen(slots=True, eq=False)
class CallList(Tabular):
    """Today's calls: one row per call, grouped by agent, best score first.

    ``customer`` indexes the base; ``position`` is 1-based within the agent's
    list; ``overflow`` counts allowed phone offers that found no room today;
    ``other_channels`` the best offers that go by another channel;
    ``base_size`` the customers in the matched base (the rows ``ids`` has in
    :meth:`to_frame`); ``held_out`` the customers of the programme's control
    group, whom no list reaches (reason "holdout").
    """

    agents: tuple[str, ...]
    agent: I64
    customer: I64
    offer: I64
    score: npt.NDArray[np.float64]
    position: I64
    codes: tuple[str, ...]
    overflow: int
    other_channels: dict[str, int]
    base_size: int
    held_out: int = 0

    def __len__(self) -> int:
        return len(self.customer)

    def counts(self) -> dict[str, int]:
        """Calls per agent."""
        per = np.bincount(self.agent, minlength=len(self.agents))
        return {a: int(per[i]) for i, a in enumerate(self.agents)}

    def for_agent(self, name: str) -> I64:
        """The customers on one agent's list, in calling order."""
        name = str(text(name, "name"))  # an array or NA would answer ``in`` with an error
        if name not in self.agents:
            raise InvalidInput(f"no agent {name!r}; the lists are for {list(self.agents)}")
        rows: I64 = self.customer[self.agent == self.agents.index(name)]
        return rows

    def _columns(self) -> dict[str, Any]:
        return {
            "agent": np.asarray(self.agents, dtype=object)[self.agent], "position": self.position,
            "customer": self.customer, "offer": np.asarray(self.codes, dtype=object)[self.offer],
            "score": self.score,
        }  # fmt: skip

    def to_text(self, *, lang: str = "en") -> str:
        """The first calls as a text table in ``lang`` (``"en"`` or ``"zh_CN"``), with
        what waits and what goes by another channel under it.

        >>> import numpy as np
        >>> lists = CallList(("li",), np.array([0]), np.array([3]), np.array([0]), np.array([0.5]),
        ...                  np.array([1]), ("plan_upgrade",), 2, {"sms": 4}, 5)
        >>> print(lists.to_text(lang="zh_CN"))
        外呼清单：共1行
          坐席  序号  客户  营销方案      得分
          li       1     3  plan_upgrade   0.5
          2个顺延至明天；其他渠道：短信 4
        """
        lang = language(lang)
        say, channel = words(lang, "ui_list"), words(lang, "ui_channel")
        table = columns_text("CallList", self._columns(), self._units, lang=lang)
        others = join(lang, [f"{channel(c)} {k:,}" for c, k in self.other_channels.items()])
        tail = say("{overflow:,} wait for tomorrow; other channels: {others}").format(
            overflow=self.overflow, others=others or say("none")
        )
        return f"{table}\n  {tail}"

    def __str__(self) -> str:
        return self.to_text()

    def to_frame(self, ids: Any = None) -> Any:
        """One row per call: agent, position, customer (id when ``ids`` is given: one per
        customer of the matched base), offer, score."""
        who = self.customer if ids is None else self._ids(ids)[self.customer]
        return frame_from_columns({
            "agent": np.asarray(self.agents, dtype=object)[self.agent],
            "position": self.position,
            "customer": who,
            "offer": np.asarray(self.codes, dtype=object)[self.offer],
            "score": self.score,
        })  # fmt: skip

    def _ids(self, ids: Any) -> npt.NDArray[Any]:
        """``ids`` checked: a column with one id per customer of the matched base."""
        checked = column(ids, "ids")
        if len(checked) != self.base_size:
            raise InvalidInput(
                f"ids must have one row per customer of the matched base ({self.base_size}), "
                f"got {len(checked)}"
            )
        return checked


def call_lists(
    match: OfferMatch,
    manager: Any,
    *,
    agents: Sequence[str] | None = None,
    capacity: int | None = None,
    policy: Policy | None = None,
    allocation: Allocation | None = None,
) -> CallList:
    """Split today's allowed phone offers into one list per agent (see the module).

    ``manager`` names each customer's assigned agent ("" or ``None`` for none; a
    NaN or pandas ``NA`` is refused by row, never read as an agent ``'nan'``; a
    pandas text column stores ``None`` as NaN, so write ``""`` there for none);
    ``agents`` are the agents on duty (default: every manager named), and
    ``capacity`` the calls each makes today (default ``contact.calls_per_agent_day``;
    at most ``MAX_COUNT``).
    A customer whose manager is not on duty waits (counted in ``overflow``).
    With ``allocation`` (an :class:`~telcare.Allocation` of ``match``) the lists hold
    the phone offers it chose, best expected value first, instead of each customer's
    best offer; its control group is on no list (``held_out`` counts it).

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> import telcare as tc
    >>> catalogue = tc.OfferCatalogue.model_validate({"offers": [
    ...     {"code": "plan_upgrade", "name": "Plan upgrade", "project_type": "promotion",
    ...      "channels": ["phone"], "value": 6_000, "cost": 500,
    ...      "valid_from": "2010-01-01", "valid_to": "2010-12-31"}]})
    >>> m = tc.match_offers(catalogue, at=datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
    ...                     tier=[0] * 5, segment_member=[False] * 5, avg_spend=[9_000] * 5,
    ...                     plan_fee=[5_800] * 5, tenure_months=[12] * 5, credit_level=[1] * 5,
    ...                     response=[[0.1], [0.5], [0.3], [0.2], [0.4]])
    >>> lists = tc.call_lists(m, ["wang", "wang", "li", "", ""], capacity=2)
    >>> lists.counts(), lists.for_agent("wang").tolist(), lists.for_agent("li").tolist(), lists.overflow
    ({'li': 2, 'wang': 2}, [1, 0], [2, 4], 1)
    """
    policy = as_policy(policy)
    match = instance(match, OfferMatch, "call_lists() needs an OfferMatch, got {got}")
    owner, named = _owners(manager, match)
    cap = _calls_each(capacity, policy)
    on_duty = _on_duty(agents, owner, named)
    best, chan, score, held = _chosen(match, allocation)
    calls, other_channels = _phone_calls(best, chan, score)
    agent_of = _agent_of(owner[calls], on_duty)
    kept_calls, kept_agent, kept_rank, used = _own_first(calls, agent_of, len(on_duty), cap)
    pool = calls[agent_of == -2]
    pool_agent, pool_rank = _share_out(len(pool), used, cap)
    agent = np.concatenate([kept_agent, pool_agent]).astype(np.int64)
    customer = np.concatenate([kept_calls, pool[: len(pool_agent)]]).astype(np.int64)
    position = np.concatenate([kept_rank, pool_rank]).astype(np.int64) + 1
    final = np.lexsort((position, agent))
    agent, customer, position = agent[final], customer[final], position[final]
    return CallList(
        tuple(on_duty), agent, customer, best[customer], score[customer], position,
        match.codes, len(calls) - len(customer), other_channels, len(match.best), held,
    )  # fmt: skip


def _agent_of(owner: npt.NDArray[Any], on_duty: list[str]) -> I64:
    """Each call's agent: its manager's place among those on duty, -1 for a manager
    off duty, -2 for none; looked up once per distinct manager (per distinct object
    where :func:`~telcare._core.object_codes.object_slots` can tell), then at C speed."""
    found = object_slots(owner)
    if found is not None and len(found[0]) < len(owner):
        reps, slots = found
        out: I64 = _agent_of(owner[reps], on_duty)[slots]
        return out
    owners = owner.tolist()
    lookup = {a: i for i, a in enumerate(on_duty)}
    table = {v: lookup.get(v, -1 if v else -2) for v in dict.fromkeys(owners)}
    return np.fromiter(map(table.__getitem__, owners), np.int64, len(owners))


def _calls_each(capacity: Any, policy: Policy) -> int:
    """The calls each agent makes today: ``capacity``, else the policy's."""
    if capacity is None:
        return policy.contact.calls_per_agent_day
    return integer(capacity, "capacity", maximum=MAX_COUNT)


def _on_duty(agents: Any, owner: npt.NDArray[Any], named: list[str] | None) -> list[str]:
    """The agents on duty, checked names (default: every manager named; ``named``, when
    known, is those names)."""
    on_duty = (
        sorted(named if named is not None else {a for a in owner.tolist() if a})
        if agents is None
        else items(agents, "agents", of=str)  # a str is one name, not its letters
    )
    if any(not isinstance(a, str) or not a for a in on_duty) or len(set(on_duty)) != len(on_duty):
        raise InvalidInput(f"agents must be distinct non-empty names, got {list(on_duty)!r}")
    return [str(label(a, f"agents[{i}]")) for i, a in enumerate(on_duty)]


def _owners(manager: Any, match: OfferMatch) -> tuple[npt.NDArray[Any], list[str] | None]:
    """Each customer's manager as a checked name ("" for none: "" or ``None``), and the
    distinct names when the column was plain (:func:`_plain_owners`).

    Any other missing value (NaN, pandas ``NA``, ``NaT``) is refused by row: it is
    what a failed join leaves, and reading it as a name made an agent ``'nan'``."""
    typed = isinstance(manager, np.ndarray) or hasattr(manager, "dtype")
    owner = column(manager, "manager") if typed else column(manager, "manager", dtype=object)
    same_length(best=match.best, manager=owner)
    found = object_slots(owner)
    if found is not None and len(found[0]) < len(owner):  # each distinct object checked once
        reps, slots = found
        try:
            few, _ = _owner_names(owner[reps])
        except InvalidInput:  # the rows' own check names the first bad row
            return _owner_names(owner)
        return few[slots], [a for a in dict.fromkeys(few.tolist()) if a]
    return _owner_names(owner)


def _owner_names(owner: npt.NDArray[Any]) -> tuple[npt.NDArray[Any], list[str] | None]:
    """:func:`_owners` of a checked column."""
    if owner.size and owner.dtype.kind in "US":
        names = owner.astype(str)
        for name in np.unique(names).tolist():  # each distinct name once
            if name:
                label(name, f"manager[{int(np.argmax(names == name))}]")
        return names.astype(object), None
    if owner.size and owner.dtype.kind != "O":
        raise InvalidInput(
            f"manager must hold agent names (text; '' or None for none), got dtype {owner.dtype}"
        )
    out = owner.tolist()
    plain = _plain_owners(owner, out)
    if plain is not None:
        return plain
    for i, v in enumerate(out):
        if v is None or (isinstance(v, str) and not v):
            out[i] = ""
        elif is_missing(v):
            raise InvalidInput(
                f"manager is missing at index {i} (got {v!r}); give an agent's name, "
                "or '' or None for a customer without a manager"
            )
        elif isinstance(v, str):
            out[i] = label(v, f"manager[{i}]")
        else:
            raise InvalidInput(
                f"manager[{i}] must be an agent's name (text), got {type(v).__name__} {v!r}"
            )
    return np.array(out, dtype=object).reshape(len(out)), None


def _plain_owners(owner: npt.NDArray[Any], rows: list[Any]) -> tuple[npt.NDArray[Any], list[str]] | None:  # fmt: skip
    """The row check's answer for a column of only ``str`` and ``None`` whose distinct
    names all pass :func:`label`, at C speed (managers are few: each name is checked
    once, not each row); None when in doubt, and the row check names the bad row."""
    if not set(map(type, rows)) <= {str, type(None)}:
        return None
    names = dict.fromkeys(rows)
    blank = None in names
    names.pop(None, None)
    names.pop("", None)
    for name in names:
        try:
            label(name, "manager")
        except InvalidInput:
            return None
    if blank:
        owner = owner.copy()
        owner[np.fromiter(map(is_, rows, repeat(None)), bool, len(rows))] = ""
    return owner, list(names)


def _chosen(match: OfferMatch, allocation: Allocation | None) -> tuple[I64, I64, npt.NDArray[np.float64], int]:  # fmt: skip
    """Each customer's offer (-1: none), its channel, its score, and the control group's
    size: the match's best offers, or the allocation's."""
    if allocation is None:
        best = match.best
        chan = np.where(best >= 0, match.channel[np.arange(len(best)), np.maximum(best, 0)], -1)
        return best, chan, match.best_score, int(match.held_out().sum())
    allocation = instance(allocation, Allocation, "allocation must be a telcare.Allocation, got {got}")  # fmt: skip
    if allocation.match is not match:
        raise InvalidInput("allocation must be an allocation of this match (allocate(match, ...))")
    return (allocation.offer, allocation.channel.astype(np.int64), allocation.value,
            int(allocation.held_out.sum()))  # fmt: skip


def _phone_calls(best: I64, chan: I64, score: npt.NDArray[np.float64]) -> tuple[I64, dict[str, int]]:  # fmt: skip
    """The customers whose offer (allowed now, so within the caps) goes by phone, best
    score first then in customer order; and the offers per other channel."""
    phone = CHANNELS.index(Channel.PHONE)
    counts = np.bincount(chan[(best >= 0) & (chan != phone)], minlength=len(CHANNELS))
    other_channels = {CHANNELS[c].value: int(k) for c, k in enumerate(counts) if k}
    calls = np.flatnonzero((best >= 0) & (chan == phone))
    ordered: I64 = calls[np.lexsort((calls, -score[calls]))]
    return ordered, other_channels


def _own_first(calls: I64, agent_of: I64, agents: int, cap: int) -> tuple[I64, I64, I64, I64]:
    """Each agent's own customers first, up to capacity, in score order: the calls,
    their agents and ranks, and the calls each agent has used."""
    own = calls[agent_of >= 0]
    own_agent = agent_of[agent_of >= 0]
    order = np.argsort(own_agent, kind="stable")
    sorted_agent = own_agent[order]
    starts = np.searchsorted(sorted_agent, np.arange(agents))
    rank = np.arange(len(order)) - starts[sorted_agent] if len(order) else np.zeros(0, np.int64)
    keep = rank < cap
    used = np.bincount(sorted_agent[keep], minlength=agents)
    return own[order][keep], sorted_agent[keep], rank[keep], used


def _needed_room(room: I64, pool: int) -> I64:
    """Each agent's room, cut to the fewest round-robin levels that seat the whole
    pool: the slots above them are never used, and a capacity of 10**9 must not
    make 10**9 slots per agent."""
    if int(room.sum(dtype=object)) <= pool:
        return room
    low, high = 1, pool  # the smallest level L with sum(min(room, L)) >= pool
    while low < high:
        mid = (low + high) // 2
        if int(np.minimum(room, mid).sum()) >= pool:
            high = mid
        else:
            low = mid + 1
    cut: I64 = np.minimum(room, low)
    return cut


def _share_out(pool: int, used: I64, cap: int) -> tuple[I64, I64]:
    """Customers without a manager: round-robin over the room left, in score order
    (the agent and rank of each of the first ``pool`` customers that find room)."""
    agents = len(used)
    room = _needed_room(np.maximum(cap - used, 0), pool)
    levels = np.concatenate([np.arange(r) for r in room]) if agents else np.zeros(0, np.int64)
    slot_agent = np.repeat(np.arange(agents), room)
    slots = np.lexsort((slot_agent, levels))
    placed = min(pool, len(slots))
    pool_agent = slot_agent[slots[:placed]]
    return pool_agent, used[pool_agent] + levels[slots[:placed]]
