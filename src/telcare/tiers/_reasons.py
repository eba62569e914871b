"""The reasons of a tier decision, as codes (docs/reasons.md): what the spend qualifies
for, the move, a manual floor, the way to the next rung and the spend that keeps it."""

from __future__ import annotations

from datetime import date

from telcare._core.reasons import COUNT, DATE, FEN, TIER, Reason, define
from telcare.compiled import CompiledTiers

__all__ = ["decision_reasons"]

_HEAD = "average {avg} over {months} months"
QUALIFIES = define(
    "tier.qualify.meets",
    _HEAD + " >= {tier} threshold {threshold} ({min_months} months needed)",
    avg=FEN, months=COUNT, tier=TIER, threshold=FEN, min_months=COUNT,
)  # fmt: skip
TOO_FEW_MONTHS = define(
    "tier.qualify.too_few_months",
    _HEAD + ": {months} billed months < {needed} needed for {next}, so qualifies for {tier}",
    avg=FEN, months=COUNT, needed=COUNT, next=TIER, tier=TIER,
)  # fmt: skip
BELOW_FIRST_RUNG = define(
    "tier.qualify.below_first_rung",
    _HEAD + ": < {next} threshold {threshold}, so qualifies for {tier}",
    avg=FEN, months=COUNT, next=TIER, threshold=FEN, tier=TIER,
)  # fmt: skip
UP = define(
    "tier.move.up", "up from {previous} to {tier} at this evaluation", previous=TIER, tier=TIER
)
_DOWN = (
    "missed the {previous} threshold {threshold} at {after} consecutive evaluations: down to {tier}"
)
DOWN = {
    "qualified": define(
        "tier.move.down.qualified", _DOWN + ", the tier its spend qualifies for",
        previous=TIER, threshold=FEN, after=COUNT, tier=TIER,
    ),
    "one_down": define(
        "tier.move.down.one_down", _DOWN + ", one rung (tiers.downgrade = one_down)",
        previous=TIER, threshold=FEN, after=COUNT, tier=TIER,
    ),
    "floored": define(
        "tier.move.down.floored", _DOWN, previous=TIER, threshold=FEN, after=COUNT, tier=TIER
    ),
}  # fmt: skip
GRACE = define(
    "tier.move.grace",
    "below the {tier} threshold {threshold}: missed evaluation {missed} of {after} allowed "
    "before a downgrade, stays {tier}",
    tier=TIER, threshold=FEN, missed=COUNT, after=COUNT,
)  # fmt: skip
STAYS = define("tier.move.stays", "stays {tier}", tier=TIER)
FLOOR = define(
    "tier.floor.held", "held at {tier} by a manual floor until {until}", tier=TIER, until=DATE
)
_NEXT = "{amount} more per month on average reaches {next} ({threshold})"
TO_NEXT = define("tier.next.spend", _NEXT, amount=FEN, next=TIER, threshold=FEN)
TO_NEXT_AND_MONTHS = define(
    "tier.next.spend_and_months", _NEXT + "; and {months} billed months",
    amount=FEN, next=TIER, threshold=FEN, months=COUNT,
)  # fmt: skip
KEEP = define(
    "tier.keep", "next month's spend of {amount} keeps the {tier} threshold met",
    amount=FEN, tier=TIER,
)  # fmt: skip


def decision_reasons(
    ct: CompiledTiers,
    window: tuple[int, ...],
    avg: int,
    current: int,
    qualified: int,
    new: int,
    missed: int,
    floor_until: date | None = None,
    *,
    one_down: bool = False,
) -> tuple[list[Reason], str | None, int | None, int]:
    """(reasons, next tier, spend to it, spend to keep).  ``floor_until`` is the last
    day of the manual floor when the floor changed this decision (it holds the
    customer at ``new``), else ``None``; ``one_down`` says how the ladder falls."""
    codes, thresholds, months = ct.codes, ct.thresholds, len(window)
    if qualified or len(codes) == 1:
        qualify = QUALIFIES(avg=avg, months=months, tier=codes[qualified],
                            threshold=thresholds[qualified], min_months=ct.min_months[qualified])  # fmt: skip
    elif months < ct.min_months[1] and avg >= thresholds[1]:
        qualify = TOO_FEW_MONTHS(avg=avg, months=months, needed=ct.min_months[1], next=codes[1],
                                 tier=codes[0])  # fmt: skip
    else:
        qualify = BELOW_FIRST_RUNG(avg=avg, months=months, next=codes[1],
                                   threshold=thresholds[1], tier=codes[0])  # fmt: skip
    floored = floor_until is not None
    reasons = [
        qualify,
        _move(ct, current, qualified, new, missed, floored=floored, one_down=one_down),
    ]
    if floor_until is not None:
        reasons.append(FLOOR(tier=codes[new], until=floor_until))

    next_tier, to_next = None, None
    if new + 1 < len(codes):
        next_tier, to_next = codes[new + 1], max(0, thresholds[new + 1] - avg)
        figures = {"amount": to_next, "next": next_tier, "threshold": thresholds[new + 1]}
        if months < ct.min_months[new + 1]:
            reasons.append(TO_NEXT_AND_MONTHS(**figures, months=ct.min_months[new + 1]))
        else:
            reasons.append(TO_NEXT(**figures))
    keep = _spend_to_keep(window, ct.window_months, thresholds[new])
    if keep:
        reasons.append(KEEP(amount=keep, tier=codes[new]))
    return reasons, next_tier, to_next, keep


def _move(
    ct: CompiledTiers,
    current: int,
    qualified: int,
    new: int,
    missed: int,
    *,
    floored: bool,
    one_down: bool,
) -> Reason:
    """The move: up, down (by the rule that chose the rung, unless the floor stopped the
    fall), a miss kept in grace, or staying."""
    codes, threshold = ct.codes, ct.thresholds[current]
    if new > current:
        return UP(previous=codes[current], tier=codes[new])
    if new < current:
        rule = "floored" if floored else "one_down" if one_down else "qualified"
        return DOWN[rule](previous=codes[current], threshold=threshold,
                          after=ct.downgrade_after, tier=codes[new])  # fmt: skip
    if qualified < current and not floored:
        return GRACE(tier=codes[current], threshold=threshold, missed=missed,
                     after=ct.downgrade_after)  # fmt: skip
    return STAYS(tier=codes[current])


def _spend_to_keep(window: tuple[int, ...], window_months: int, threshold: int) -> int:
    """Next month's spend that keeps the average at ``threshold`` once the window slides."""
    if threshold == 0:
        return 0
    kept = window[1:] if len(window) >= window_months else window
    months_after = len(kept) + 1
    return max(0, threshold * months_after - sum(kept))
