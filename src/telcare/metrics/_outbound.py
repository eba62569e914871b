"""The rest of the outbound project's evaluation (seed 000's "外呼项目评估"): a
forecast from the trial calls, list utilisation, performance per agent, the
reasons customers refuse or do not take the product, and value per channel or
product.  Every rate carries its counts and a Wilson interval.

>>> import telcare as tc
>>> trial = tc.CampaignCounts(valid_targets=400, dialled=700, connected=420, contacted=360,
...                           deals=44, talk_seconds=75_600)
>>> f = trial_forecast(trial, targets=50_000)
>>> str(f.success_rate), f.deals, f.deals_range, f.agents
('11.00% [8.3, 14.4]', 5500, (4148, 7223), 25)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import (
    bool_column,
    instance,
    int_column,
    integer,
    number,
    proportion,
    same_length,
)
from telcare._core.display import Displayable, Tabular
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_COUNT
from telcare.metrics._campaigns import CampaignCounts
from telcare.metrics._groups import GroupRates, rates_by_group, wilson_interval
from telcare.metrics._labels import factorise, label_values
from telcare.metrics._rates import Rate
from telcare.metrics._staffing import outbound_staffing
from telcare.metrics._value import ValueReport, campaign_value

__all__ = [
    "AgentPerformance",
    "TrialForecast",
    "agent_performance",
    "list_utilisation",
    "reason_shares",
    "trial_forecast",
    "value_by",
]


@attrs.frozen(slots=True)
class TrialForecast(Displayable):
    """What the trial calls predict for the whole project.

    ``success_rate`` is deals per valid target in the trial; ``deals`` the
    forecast for ``targets`` and ``deals_range`` its interval (the rate's
    interval times the targets); ``agents`` the agents to work the list in
    ``days`` at the trial's connection rate and talk time.
    """

    success_rate: Rate
    connection_rate: Rate
    targets: int
    deals: int
    deals_range: tuple[int, int]
    agents: int


def trial_forecast(
    trial: CampaignCounts,
    targets: int,
    *,
    level: float = 0.95,
    attempts: int = 3,
    wrap_seconds: float = 30,
    hours_per_day: float = 8,
    utilisation: float = 0.75,
    days: int = 20,
) -> TrialForecast:
    """Forecast a project's deals and staffing from its trial calls (试呼).

    The trial's success rate (deals per valid target) scales to ``targets``
    with its interval; the agents follow :func:`~telcare.outbound_staffing`
    with the trial's connection rate and average talk time per connected call.

    >>> import telcare as tc
    >>> trial = tc.CampaignCounts(valid_targets=200, dialled=300, connected=210, contacted=180,
    ...                           deals=30, talk_seconds=37_800)
    >>> f = trial_forecast(trial, targets=10_000, days=5)
    >>> f.deals, f.deals_range, f.agents
    (1500, (1071, 2061), 21)
    """
    trial = instance(trial, CampaignCounts, "trial must be CampaignCounts, got {got}")
    targets = integer(targets, "targets", minimum=1, maximum=MAX_COUNT)
    if trial.valid_targets == 0 or trial.dialled == 0 or trial.connected == 0:
        raise InvalidInput(
            "the trial must have valid targets, dials and connected calls to forecast from, "
            f"got {trial.valid_targets}, {trial.dialled} and {trial.connected}"
        )
    success = Rate(trial.deals, trial.valid_targets)
    connection = Rate(trial.connected, trial.dialled)
    low, high = success.ci(level)
    talk = trial.talk_seconds / trial.connected if trial.talk_seconds else 0.0
    agents = outbound_staffing(
        targets,
        connect_rate=connection.value,
        attempts=attempts,
        talk_seconds=max(talk, 1.0),
        wrap_seconds=wrap_seconds,
        hours_per_day=hours_per_day,
        utilisation=utilisation,
        days=days,
    )
    return TrialForecast(
        success,
        connection,
        targets,
        round(success.value * targets),
        (math.floor(low * targets), math.ceil(high * targets)),
        agents,
    )


def list_utilisation(list_size: int, worked: int) -> Rate:
    """The share of a call list actually worked (清单利用): dialled at least once.

    >>> str(list_utilisation(2_000, 1_730))
    '86.50% [84.9, 87.9]'
    """
    size = integer(list_size, "list_size", maximum=MAX_COUNT)
    done = integer(worked, "worked", maximum=MAX_COUNT)
    if done > size:
        raise InvalidInput(f"worked ({done}) cannot exceed list_size ({size})")
    return Rate(done, size)


@attrs.frozen(slots=True, eq=False)
class AgentPerformance(Tabular):
    """Per agent: calls, connection rate, success rate per contact and talk time."""

    agents: npt.NDArray[Any]
    calls: npt.NDArray[np.int64]
    connection: GroupRates
    success: GroupRates
    talk_seconds: npt.NDArray[np.int64]

    def avg_talk(self) -> npt.NDArray[np.float64]:
        """Average talk seconds per connected call (NaN for an agent with none)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            out: npt.NDArray[np.float64] = self.talk_seconds / self.connection.numerator
        return out

    def _columns(self) -> dict[str, Any]:
        """One row per agent, rates as proportions with their bounds."""
        return {
            "agent": self.agents, "calls": self.calls,
            "connected": self.connection.numerator, "connection_rate": self.connection.value,
            "connection_low": self.connection.low, "connection_high": self.connection.high,
            "contacted": self.success.denominator, "deals": self.success.numerator,
            "success_rate": self.success.value, "success_low": self.success.low,
            "success_high": self.success.high, "avg_talk_seconds": self.avg_talk(),
        }  # fmt: skip

    def __str__(self) -> str:
        lines = [
            f"{'agent':<12} {'calls':>7} {'connected':>20} {'success per contact':>22} {'talk':>7}"
        ]
        talk = self.avg_talk()
        for i, agent in enumerate(self.agents.tolist()):
            lines.append(
                f"{agent!s:<12} {self.calls[i]:>7,} {self.connection.value[i]:>9.1%} "
                f"[{self.connection.low[i]:.1%}, {self.connection.high[i]:.1%}] "
                f"{self.success.value[i]:>10.1%} [{self.success.low[i]:.1%}, {self.success.high[i]:.1%}] "
                f"{talk[i]:>6.0f}s"
            )
        return "\n".join(lines)


def agent_performance(
    agent: Any, connected: Any, contacted: Any, deal: Any, talk_seconds: Any, *, level: float = 0.95
) -> AgentPerformance:
    """Performance per agent from call records (one row per dial), so a team leader
    sees who needs coaching on what.

    ``connected``, ``contacted`` and ``deal`` are flags per dial (a deal is a
    contact, a contact a connected call); ``talk_seconds`` the call's talk time.

    >>> p = agent_performance(["li", "li", "li", "wang"], [1, 1, 0, 1], [1, 1, 0, 1],
    ...                       [1, 0, 0, 0], [200, 150, 0, 90])
    >>> p.agents.tolist(), p.calls.tolist(), p.success.numerator.tolist(), p.avg_talk().tolist()
    (['li', 'wang'], [3, 1], [1, 0], [175.0, 90.0])
    """
    who = label_values(agent, "agent")
    conn = bool_column(connected, "connected")
    cont = bool_column(contacted, "contacted")
    won = bool_column(deal, "deal")
    talk = int_column(talk_seconds, "talk_seconds", maximum=10**7)
    same_length(agent=who, connected=conn, contacted=cont, deal=won, talk_seconds=talk)
    for name, inner, outer in (("contacted", cont, conn), ("deal", won, cont)):
        bad = inner & ~outer
        if bad.any():
            i = int(np.argmax(bad))
            raise InvalidInput(
                f"{name} at index {i} without the step before it (a deal is a contact, a contact a connected call)"
            )
    agents, code = factorise(who)
    k = len(agents)
    connection = rates_by_group(code, conn, level=level, n_groups=k)
    success = rates_by_group(code[cont], won[cont], level=level, n_groups=k)
    talk_sum = np.bincount(code, weights=talk, minlength=k).astype(np.int64)
    connection = GroupRates(agents, connection.numerator, connection.denominator, connection.low,
                            connection.high, connection.level)  # fmt: skip
    empty = success.denominator == 0
    success = GroupRates(agents, success.numerator, success.denominator,
                         np.where(empty, np.nan, success.low), np.where(empty, np.nan, success.high),
                         success.level)  # fmt: skip
    return AgentPerformance(agents, connection.denominator, connection, success, talk_sum)


def reason_shares(reasons: Any, *, level: float = 0.95) -> GroupRates:
    """Each reason's share of all answers, with its interval: why customers refused,
    or why the product was not taken (seed 000 lists both in its evaluation).

    >>> shares = reason_shares(["price", "price", "no need", "price", "already has it"])
    >>> shares.keys.tolist(), shares.numerator.tolist(), shares.denominator.tolist()
    (['already has it', 'no need', 'price'], [1, 1, 3], [5, 5, 5])
    """
    labels = label_values(reasons, "reasons")
    if len(labels) == 0:
        raise InvalidInput("reasons is empty: no answers to share out")
    keys, inverse = factorise(labels)
    counts = np.bincount(inverse, minlength=len(keys)).astype(np.int64)
    total = np.full(len(keys), len(labels), dtype=np.int64)
    low, high = wilson_interval(counts, total, level)
    return GroupRates(keys, counts, total, low, high, float(level))


def _listed(values: Any, name: str) -> list[Any]:
    if isinstance(values, str | bytes):
        raise InvalidInput(f"{name} must be a sequence, got the str {values!r}")
    try:
        return list(values)
    except TypeError:
        raise InvalidInput(
            f"{name} must be a sequence, got {type(values).__name__} {values!r}"
        ) from None


def value_by(
    keys: Sequence[str],
    *,
    cost: Sequence[int],
    contacts: Sequence[int],
    successes: Sequence[int],
    unit_price: Sequence[int],
    usage_months: Sequence[int],
    survival: Sequence[float] | None = None,
) -> dict[str, ValueReport]:
    """:func:`~telcare.campaign_value` for each channel or product, from equal-length lists.

    >>> v = value_by(["phone", "sms"], cost=[500_000, 50_000], contacts=[800, 5_000],
    ...              successes=[120, 150], unit_price=[2_000, 2_000], usage_months=[6, 6])
    >>> {k: round(r.roi, 2) for k, r in v.items()}
    {'phone': 1.88, 'sms': 35.0}
    """
    names = _listed(keys, "keys")
    columns: dict[str, Sequence[float]] = {"cost": cost, "contacts": contacts, "successes": successes,
               "unit_price": unit_price, "usage_months": usage_months}  # fmt: skip
    if survival is not None:
        columns["survival"] = survival
    for name, values in columns.items():
        values = columns[name] = _listed(values, name)
        if len(values) != len(names):
            raise InvalidInput(f"{name} has {len(values)} values for {len(names)} keys")
    if len(set(names)) != len(names):
        raise InvalidInput(f"keys must be distinct, got {names}")
    out = {}
    for i, key in enumerate(names):
        out[key] = campaign_value(
            cost=cost[i], contacts=contacts[i], successes=successes[i], unit_price=unit_price[i],
            usage_months=usage_months[i],
            survival=1.0 if survival is None else proportion(number(survival[i], "survival"), "survival"),
        )  # fmt: skip
    return out
