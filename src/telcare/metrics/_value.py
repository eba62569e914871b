"""What a campaign is worth: cost per contact and per success, survival and
abandonment, value created, incremental value against a control, ROI, and
revenue forecasts of product streams (seed 002).
"""

from __future__ import annotations

import math
from typing import ClassVar

import attrs

from telcare._core.checks import integer, proportion
from telcare._core.display import Displayable
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_COUNT
from telcare._core.money import format_yuan
from telcare.metrics._rates import Rate, observed_rate

__all__ = [
    "ValueReport",
    "campaign_value",
    "revenue_forecast",
]


@attrs.frozen(slots=True)
class ValueReport(Displayable):
    """What a campaign cost and created (seed 000's value model). Money in fen."""

    _units: ClassVar[dict[str, str]] = {
        "cost": "fen",
        "cost_per_contact": "fen",
        "cost_per_success": "fen",
        "value_created": "fen",
        "incremental_value": "fen",
        "survival": "share",
        "abandonment": "share",
        "roi": "share",
    }

    cost: int
    contacts: int
    successes: int
    cost_per_contact: float
    cost_per_success: float
    survival: float
    abandonment: float
    value_created: int
    incremental_successes: float | None
    incremental_value: int | None
    roi: float

    def __str__(self) -> str:
        return (
            f"cost {format_yuan(self.cost)}, value {format_yuan(self.value_created)}, "
            f"ROI {self.roi:.1%}"
        )


def campaign_value(
    *,
    cost: int,
    contacts: int,
    successes: int,
    unit_price: int,
    usage_months: int,
    survival: float = 1.0,
    targets: int | None = None,
    control: Rate | None = None,
) -> ValueReport:
    """Cost per contact and per success, survival, value created and ROI.

    Value created is ``successes x survival x unit_price x usage_months``: the
    products sold, those still in use over the usage cycle, at their price per
    month.  With a ``control`` group's success rate and the ``targets``, only the
    successes above what the control rate predicts count as the campaign's
    (incremental value), and ROI is computed on those.

    >>> v = campaign_value(cost=5_000_000, contacts=8_600, successes=1_200, unit_price=1_000,
    ...                    usage_months=12, survival=0.8, targets=10_000, control=Rate(400, 10_000))
    >>> v.value_created, round(v.incremental_successes), v.incremental_value, round(v.roi, 3)
    (11520000, 800, 7680000, 0.536)
    """
    cost = integer(cost, "cost", maximum=10**17)
    unit_price = integer(unit_price, "unit_price", maximum=10**15)
    contacts = integer(contacts, "contacts")
    successes = integer(successes, "successes")
    usage_months = integer(usage_months, "usage_months", maximum=MAX_COUNT)
    if successes > contacts:
        raise InvalidInput(f"successes ({successes}) cannot exceed contacts ({contacts})")
    survival = proportion(survival, "survival")
    per_success = survival * unit_price * usage_months
    value = round(successes * per_success)
    incremental = incremental_value = None
    if control is not None:
        control = observed_rate(control, "control")
        if targets is None:
            raise InvalidInput("targets (>= contacts) must be given with a control group, got None")
        targets = integer(targets, "targets", minimum=contacts)
        incremental = successes - control.value * targets
        incremental_value = round(incremental * per_success)
    gain = incremental_value if incremental_value is not None else value
    return ValueReport(
        cost=cost,
        contacts=contacts,
        successes=successes,
        cost_per_contact=cost / contacts if contacts else math.nan,
        cost_per_success=cost / successes if successes else math.nan,
        survival=float(survival),
        abandonment=1 - float(survival),
        value_created=value,
        incremental_successes=incremental,
        incremental_value=incremental_value,
        roi=(gain - cost) / cost if cost else math.nan,
    )


def revenue_forecast(*streams: tuple[int, int, int]) -> int:
    """Revenue (fen) of product streams, each ``(users, unit_price_fen, periods)``.

    Seed 002's golf service: a 200-yuan yearly fee from 50,000 members plus
    100,000 users at 5 yuan a month for 12 months is 16 million yuan.

    >>> revenue_forecast((50_000, 20_000, 1), (100_000, 500, 12)) == 16_000_000 * 100
    True
    """
    total = 0
    for i, stream in enumerate(streams):
        if not isinstance(stream, tuple) or len(stream) != 3:
            raise InvalidInput(f"stream {i} must be (users, unit_price, periods), got {stream!r}")
        users, price, periods = (
            integer(part, f"stream {i} {what}")
            for part, what in zip(stream, ("users", "unit_price", "periods"), strict=True)
        )
        total += users * price * periods
    return total
