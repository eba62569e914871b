"""Staffing: phone managers for a book of customers, outbound and inbound agents.

Seed 000: one phone manager per 4,000 customers (the pilot's 75,984 customers
needed 19).  Outbound work is sized from the targets, the connect rate and the
handling time; inbound work with Erlang C, the standard queueing model for
call centres.

>>> staffing(75_984)
19
>>> s = inbound_staffing(100, interval_seconds=1800, aht_seconds=180, answer_within_seconds=20,
...                      service_level=0.8, shrinkage=0.3)
>>> s.agents, s.positions, round(s.service_level, 3), round(s.occupancy, 3)
(14, 20, 0.888, 0.714)
"""

from __future__ import annotations

import math

import attrs

from telcare._core.checks import integer, number, proportion
from telcare._core.display import Displayable
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_COUNT, MAX_DAYS

#: The most agents an Erlang C sum runs over (its cost grows with the count).
MAX_AGENTS = 10**6

__all__ = ["Staffing", "erlang_c", "inbound_staffing", "outbound_staffing", "staffing"]


def staffing(customers: int, *, per_manager: int = 4000) -> int:
    """Phone managers for a book of ``customers`` (rounded up).

    >>> staffing(75_984), staffing(4_000)
    (19, 1)
    """
    book = integer(customers, "customers", maximum=MAX_COUNT)  # a Python int: np.int8 overflowed
    per = integer(per_manager, "per_manager", minimum=1, maximum=MAX_COUNT)
    return -(-book // per)


def outbound_staffing(
    targets: int,
    *,
    connect_rate: float,
    attempts: int,
    talk_seconds: float,
    wrap_seconds: float,
    hours_per_day: float,
    utilisation: float,
    days: int,
) -> int:
    """Agents to work ``targets`` within ``days``.

    Each target is dialled until connected, at most ``attempts`` times; each
    dial connects with probability ``connect_rate``.  A connected call costs
    ``talk_seconds + wrap_seconds``; an unanswered dial costs ``wrap_seconds``.
    An agent delivers ``hours_per_day x utilisation`` productive hours a day.

    >>> outbound_staffing(50_000, connect_rate=0.6, attempts=3, talk_seconds=180, wrap_seconds=30,
    ...                   hours_per_day=8, utilisation=0.75, days=20)
    25
    """
    targets = integer(targets, "targets", maximum=MAX_COUNT)
    c = proportion(connect_rate, "connect_rate", open_low=True)
    n = integer(attempts, "attempts", minimum=1, maximum=MAX_COUNT)
    talk = number(talk_seconds, "talk_seconds", above=0)
    wrap = number(wrap_seconds, "wrap_seconds", minimum=0)
    hours = number(hours_per_day, "hours_per_day", above=0)
    if hours > 24:
        raise InvalidInput(f"hours_per_day must be at most 24, got {hours_per_day!r}")
    use = proportion(utilisation, "utilisation", open_low=True)
    span = integer(days, "days", minimum=1, maximum=MAX_DAYS)
    reached = 1 - (1 - c) ** n  # share of targets connected within the attempts
    dials = sum((1 - c) ** k for k in range(n))  # expected dials per target
    per_target = reached * (talk + wrap) + (dials - reached) * wrap
    capacity = hours * 3600 * use * span
    return math.ceil(targets * per_target / capacity - 1e-9)


def erlang_c(agents: int, traffic: float) -> float:
    """Probability that a call waits (Erlang C), for ``agents`` and ``traffic`` in Erlangs.

    >>> round(erlang_c(10, 8.0), 3), erlang_c(8, 8.0)
    (0.409, 1.0)
    >>> erlang_c(10, float("nan"))
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: traffic must be a finite number, got nan
    """
    agents = integer(agents, "agents", maximum=MAX_AGENTS)
    traffic = number(traffic, "traffic", minimum=0)
    if agents <= traffic:
        return 1.0
    b = 1.0  # Erlang B, built up one agent at a time (numerically stable)
    for k in range(1, agents + 1):
        b = traffic * b / (k + traffic * b)
    return agents * b / (agents - traffic * (1 - b))


def _fewest_agents(
    traffic: float, within: float, aht: float, target: float, too_many: str
) -> tuple[int, float, float]:
    """The fewest agents whose service level (answered within ``within`` seconds, calls of
    ``aht`` seconds) reaches ``target``, with that level and the wait probability.  Erlang B is built up one
    agent at a time as :func:`erlang_c` builds it, so each agent more costs one step
    rather than a sum over every agent (a million agents took minutes)."""
    agents = max(1, math.floor(traffic) + 1)
    b = 1.0
    for k in range(1, agents + 1):
        b = traffic * b / (k + traffic * b)
    while True:
        wait = agents * b / (agents - traffic * (1 - b))  # erlang_c(agents, traffic)
        level = 1 - wait * math.exp(-(agents - traffic) * within / aht)
        if level >= target or agents > traffic + 10_000:
            return agents, level, wait
        if agents >= MAX_AGENTS:
            raise InvalidInput(too_many)
        agents += 1
        b = traffic * b / (agents + traffic * b)


@attrs.frozen(slots=True)
class Staffing(Displayable):
    """Erlang C staffing of one interval.

    ``agents`` on the phones, ``positions`` to schedule after shrinkage,
    ``service_level`` the share answered within the target time,
    ``occupancy`` traffic / agents, ``wait_probability`` the chance a call queues.
    """

    traffic: float
    agents: int
    positions: int
    service_level: float
    occupancy: float
    wait_probability: float


def inbound_staffing(
    calls: float,
    *,
    interval_seconds: float,
    aht_seconds: float,
    answer_within_seconds: float,
    service_level: float,
    shrinkage: float = 0.0,
) -> Staffing:
    """The fewest agents that answer ``service_level`` of calls within the target (Erlang C).

    >>> s = inbound_staffing(300, interval_seconds=1800, aht_seconds=180,
    ...                      answer_within_seconds=20, service_level=0.8)
    >>> s.agents
    35
    """
    calls = number(calls, "calls", minimum=0)
    interval = number(interval_seconds, "interval_seconds", above=0)
    aht = number(aht_seconds, "aht_seconds", above=0)
    within = number(answer_within_seconds, "answer_within_seconds", minimum=0)
    target = proportion(service_level, "service_level", open_low=True)
    lost = proportion(shrinkage, "shrinkage", open_high=True)
    traffic = calls * aht / interval
    too_many = (
        f"calls={calls!r} of aht_seconds={aht!r} in interval_seconds={interval!r} are "
        f"{traffic:,.6g} Erlangs, which need more than MAX_AGENTS ({MAX_AGENTS:,}) agents"
    )
    if not traffic < MAX_AGENTS:  # inf too
        raise InvalidInput(too_many)
    agents, level, wait = _fewest_agents(traffic, within, aht, target, too_many)
    return Staffing(
        traffic=traffic,
        agents=agents,
        positions=math.ceil(agents / (1 - lost) - 1e-9),
        service_level=level,
        occupancy=traffic / agents,
        wait_probability=wait,
    )
