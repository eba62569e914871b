"""The reasons of the what-if comparison, as codes (docs/reasons.md): what changed for
one customer between the two policies.

>>> r = CHANGED(customer="a", changes=[MOVED(before="gold", after="silver"), POINTS(before=607, after=579)])
>>> r, r.text("zh_CN")
('a: tier gold -> silver; points 607 -> 579', '客户a：客户等级金卡 -> 银卡；积分607 -> 579')
"""

from __future__ import annotations

from typing import Any

from telcare._core.reason_kinds import text_value
from telcare._core.reasons import COUNT, REASONS, TEXT, TIER, Kind, define
from telcare.policy import BENEFITS_BY_CODE

__all__ = [
    "CHANGED",
    "GAINED",
    "JOINS",
    "LEAVES",
    "LOST",
    "MOVED",
    "POINTS",
    "RESUMED",
    "SUSPENDED",
]


def _codes(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        raise TypeError("a sequence of codes is needed, not one text")
    return tuple(text_value(v) for v in value)


def _names(codes: tuple[str, ...], lang: str) -> str:
    if lang == "en":
        return ", ".join(codes)
    return "、".join(BENEFITS_BY_CODE[c].name_zh if c in BENEFITS_BY_CODE else c for c in codes)


#: Benefit codes, joined (``phone_manager, green_channel``); in Chinese their names.
BENEFITS = Kind("benefits", _codes, _names, list)

MOVED = define("whatif.tier", "tier {before} -> {after}", before=TIER, after=TIER)
JOINS = define("whatif.segment.joins", "joins the segment")
LEAVES = define("whatif.segment.leaves", "leaves the segment")
POINTS = define("whatif.points", "points {before} -> {after}", before=COUNT, after=COUNT)
GAINED = define("whatif.gained", "gained {benefits}", benefits=BENEFITS)
LOST = define("whatif.lost", "lost {benefits}", benefits=BENEFITS)
SUSPENDED = define("whatif.suspended", "now suspended")
RESUMED = define("whatif.resumed", "no longer suspended")
CHANGED = define("whatif.changed", "{customer}: {changes}", customer=TEXT, changes=REASONS)
