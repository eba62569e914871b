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

from telcare.core.errors import InvalidInput
from telcare.kit.display import Displayable

__all__ = ["Staffing", "erlang_c", "inbound_staffing", "outbound_staffing", "staffing"]


def _positive(
    value: object, name: str, *, integer: bool = False, allow_zero: bool = False
) -> float:
    kinds = (int,) if integer else (int, float)
    ok = isinstance(value, kinds) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or value < 0 or (value == 0 and not allow_zero):  # type: ignore[operator]
        need = "a non-negative" if allow_zero else "a positive"
        raise InvalidInput(f"{name} must be {need} {'int' if integer else 'number'}, got {value!r}")
    return float(value)  # type: ignore[arg-type]


def _share(value: object, name: str, *, closed: bool = True) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or not (0 < value <= 1 if closed else 0 <= value < 1):  # type: ignore[operator]
        interval = "(0, 1]" if closed else "[0, 1)"
        raise InvalidInput(f"{name} must be a share in {interval}, got {value!r}")
    return float(value)  # type: ignore[arg-type]


def staffing(customers: int, *, per_manager: int = 4000) -> int:
    """Phone managers for a book of ``customers`` (rounded up).

    >>> staffing(75_984), staffing(4_000)
    (19, 1)
    """
    _positive(customers, "customers", integer=True, allow_zero=True)
    _positive(per_manager, "per_manager", integer=True)
    return -(-customers // per_manager)


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
    _positive(targets, "targets", integer=True, allow_zero=True)
    c = _share(connect_rate, "connect_rate")
    n = int(_positive(attempts, "attempts", integer=True))
    talk = _positive(talk_seconds, "talk_seconds")
    wrap = _positive(wrap_seconds, "wrap_seconds", allow_zero=True)
    hours = _positive(hours_per_day, "hours_per_day")
    if hours > 24:
        raise InvalidInput(f"hours_per_day must be at most 24, got {hours_per_day!r}")
    use = _share(utilisation, "utilisation")
    span = _positive(days, "days", integer=True)
    reached = 1 - (1 - c) ** n  # share of targets connected within the attempts
    dials = sum((1 - c) ** k for k in range(n))  # expected dials per target
    per_target = reached * (talk + wrap) + (dials - reached) * wrap
    capacity = hours * 3600 * use * span
    return math.ceil(targets * per_target / capacity - 1e-9)


def erlang_c(agents: int, traffic: float) -> float:
    """Probability that a call waits (Erlang C), for ``agents`` and ``traffic`` in Erlangs.

    >>> round(erlang_c(10, 8.0), 3), erlang_c(8, 8.0)
    (0.409, 1.0)
    """
    if agents <= traffic:
        return 1.0
    b = 1.0  # Erlang B, built up one agent at a time (numerically stable)
    for k in range(1, agents + 1):
        b = traffic * b / (k + traffic * b)
    return agents * b / (agents - traffic * (1 - b))


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
    calls = _positive(calls, "calls", allow_zero=True)
    interval = _positive(interval_seconds, "interval_seconds")
    aht = _positive(aht_seconds, "aht_seconds")
    within = _positive(answer_within_seconds, "answer_within_seconds", allow_zero=True)
    target = _share(service_level, "service_level")
    lost = _share(shrinkage, "shrinkage", closed=False) if shrinkage else 0.0
    traffic = calls * aht / interval
    agents = max(1, math.floor(traffic) + 1)
    while True:
        wait = erlang_c(agents, traffic)
        level = 1 - wait * math.exp(-(agents - traffic) * within / aht)
        if level >= target or agents > traffic + 10_000:
            break
        agents += 1
    return Staffing(
        traffic=traffic,
        agents=agents,
        positions=math.ceil(agents / (1 - lost) - 1e-9),
        service_level=level,
        occupancy=traffic / agents,
        wait_probability=wait,
    )
