"""The manual floor: a tier a manager granted a customer, through a day.

While the evaluation's day is on or before the floor's last day, the evaluation
reads the customer as qualifying for at least the floor's tier: it never returns
below it, moves up to it at once, and counts no missed evaluation while the floor
holds the tier.  From the next day the floor has no effect.  The day of an aware
datetime is its day in the policy's time zone.

>>> from datetime import date
>>> floors, day = floor_columns(["gold", "gold"], [date(2026, 12, 31), date(2026, 12, 30)],
...                             date(2026, 12, 31), ("ordinary", "gold"), "Asia/Shanghai")
>>> held_rungs(floors, day, ("ordinary", "gold")).tolist()
[1, 0]
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.checks import code_column
from telcare._core.day_checks import day_column, local_day
from telcare._core.errors import InvalidInput
from telcare.customers import Customer

__all__ = ["floor_columns", "floor_rung", "held_rungs"]


def floor_rung(
    customer: Customer, codes: tuple[str, ...], as_of: object, tz: str
) -> tuple[int, date | None]:
    """(the rung ``customer``'s floor holds it at on ``as_of``, the floor's last day):
    ``(0, None)`` without a floor or once it is over."""
    day = None if as_of is None else local_day(as_of, "as_of", tz)
    floor = customer.floor
    if floor is None:
        return 0, None
    if floor.tier not in codes:
        raise InvalidInput(
            f"Customer.floor.tier is the unknown tier {floor.tier!r}; the ladder has {list(codes)}"
        )
    if day is None:
        raise InvalidInput(
            f"customer {customer.id!r} has a manual floor ({floor.tier} until {floor.until}): "
            "evaluate_tier() needs as_of=, the day of the evaluation, to know whether it holds"
        )
    return (codes.index(floor.tier), floor.until) if day <= floor.until else (0, None)


def floor_columns(
    floor: Any, floor_until: Any, as_of: object, codes: tuple[str, ...], tz: str
) -> tuple[dict[str, npt.NDArray[Any]], np.datetime64 | None]:
    """The checked floor columns (``floor`` as rungs, ``floor_until`` as days; none
    when neither is given) and the day ``as_of`` (``None`` when not given)."""
    day = None if as_of is None else np.datetime64(local_day(as_of, "as_of", tz), "D")
    if floor is None and floor_until is None:
        return {}, day
    if floor is None or floor_until is None:
        given, lacking = (
            ("floor", "floor_until") if floor_until is None else ("floor_until", "floor")
        )
        raise InvalidInput(
            f"evaluate_tiers() got {given} without {lacking}: a floor is a tier (floor) and "
            "its last day (floor_until), given together"
        )
    if day is None:
        raise InvalidInput(
            "evaluate_tiers() needs as_of=, the day of the evaluation, with floor columns: "
            "a floor holds through its floor_until"
        )
    return {
        "floor": code_column(floor, "floor", codes),
        "floor_until": day_column(floor_until, "floor_until", tz, optional=True),
    }, day


def held_rungs(
    floors: dict[str, npt.NDArray[Any]], as_of: np.datetime64 | None, codes: tuple[str, ...]
) -> npt.NDArray[np.int64]:
    """The rung each row's floor holds it at on ``as_of`` (0 without one or once over);
    a floor above the bottom rung without a last day is refused with its row."""
    rung, last = floors["floor"], floors["floor_until"]
    gap = np.isnat(last) & (rung > 0)
    if gap.any():
        i = int(np.argmax(gap))
        raise InvalidInput(
            f"floor_until is missing at index {i}, where floor is {codes[rung[i]]!r}; give "
            f"the floor's last day, or floor 0 ({codes[0]!r}) for no floor"
        )
    held: npt.NDArray[np.int64] = rung * (last >= as_of)
    return held
