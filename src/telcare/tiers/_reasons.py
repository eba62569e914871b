"""The reasons of a tier decision: the fixed parts built once per policy, the
figures filled in per customer."""

from __future__ import annotations

import weakref
from datetime import date

import attrs

from telcare._core.text import yuan_text
from telcare.compiled import CompiledTiers
from telcare.policy import TierPolicy

__all__ = ["TierTexts", "decision_reasons", "tier_texts"]


def decision_reasons(
    ct: CompiledTiers,
    texts: TierTexts,
    window: tuple[int, ...],
    avg: int,
    current: int,
    qualified: int,
    new: int,
    missed: int,
    floor_until: date | None = None,
) -> tuple[list[str], str | None, int | None, int]:
    """(reasons, next tier, spend to it, spend to keep): the fixed parts of the reasons
    come from the policy's texts, built once per policy.  ``floor_until`` is the last
    day of the manual floor when the floor changed this decision (it holds the
    customer at ``new``), else ``None``."""
    codes, months = ct.codes, len(window)
    head = f"average {yuan_text(avg)} over {months} months"
    if qualified or len(codes) == 1:
        qualify = head + texts.qualifies[qualified]
    elif months < ct.min_months[1] and avg >= ct.thresholds[1]:
        qualify = f"{head}: {months}{texts.too_few_months}"
    else:
        qualify = head + texts.below_first_rung
    floored = floor_until is not None
    if new > current:
        move = texts.moves[current][new]
    elif new < current:  # the rule that chose the rung, unless the floor stopped the fall
        move = texts.moves[current][new] + ("" if floored else texts.down_rule)
    elif qualified < current and not floored:
        move = f"{texts.missed[current]}{missed}{texts.missed_end[current]}"
    else:
        move = texts.stays[current]
    reasons = [qualify, move]
    if floored:
        reasons.append(f"held at {codes[new]} by a manual floor until {floor_until}")

    next_tier, to_next = None, None
    if new + 1 < len(codes):
        next_tier, to_next = codes[new + 1], max(0, ct.thresholds[new + 1] - avg)
        reasons.append(
            yuan_text(to_next)
            + (texts.to_next_and_months if months < ct.min_months[new + 1] else texts.to_next)[new]
        )
    keep = _spend_to_keep(window, ct.window_months, ct.thresholds[new])
    if keep:
        reasons.append(f"next month's spend of {yuan_text(keep)}{texts.keeps[new]}")
    return reasons, next_tier, to_next, keep


@attrs.frozen(slots=True)
class TierTexts:
    """The fixed parts of a tier decision's reasons, indexed by rung, built once per policy."""

    qualifies: tuple[str, ...]  # after the average: ">= gold threshold ... (6 months needed)"
    too_few_months: str  # after the months, when only the first rung's months are missing
    below_first_rung: str  # when the average is below the first rung
    moves: tuple[tuple[str, ...], ...]  # [current][new] for a move up or down
    missed: tuple[str, ...]  # a miss kept in grace: before the count ...
    missed_end: tuple[str, ...]  # ... and after it
    stays: tuple[str, ...]
    to_next: tuple[str, ...]  # after the amount, towards rung + 1
    to_next_and_months: tuple[str, ...]  # the same, when rung + 1 also needs more months
    keeps: tuple[str, ...]
    down_rule: str  # after a downgrade's move: which rule of tiers.downgrade chose the rung


# The texts by the identity of their compiled tiers, dropped with them (as compile_policy
# keeps compiled values by their policy): a plain dict lookup on the one-customer path.
_TEXTS: dict[int, TierTexts] = {}


def tier_texts(ct: CompiledTiers, tiers: TierPolicy) -> TierTexts:
    """The texts of ``ct``'s policy, built on first use and dropped with ``ct``."""
    return _TEXTS.get(id(ct)) or _texts(ct, tiers)


def _texts(ct: CompiledTiers, tiers: TierPolicy) -> TierTexts:
    ladder, after = tiers.ladder, tiers.downgrade_after
    first, up = ladder[0], ladder[min(1, len(ladder) - 1)]
    threshold = [f"{r.code} threshold {yuan_text(r.min_avg_spend)}" for r in ladder]
    stays = tuple(f"stays {r.code}" for r in ladder)
    texts = TierTexts(
        qualifies=tuple(
            f" >= {t} ({r.min_months} months needed)"
            for t, r in zip(threshold, ladder, strict=True)
        ),
        too_few_months=(
            f" billed months < {up.min_months} needed for {up.code}, so qualifies for {first.code}"
        ),
        below_first_rung=f": < {threshold[min(1, len(ladder) - 1)]}, so qualifies for {first.code}",
        moves=tuple(
            tuple(
                f"up from {c.code} to {n.code} at this evaluation"
                if j > i
                else f"missed the {threshold[i]} at {after} consecutive evaluations: down to {n.code}"
                for j, n in enumerate(ladder)
            )
            for i, c in enumerate(ladder)
        ),
        missed=tuple(f"below the {t}: missed evaluation " for t in threshold),
        missed_end=tuple(f" of {after} allowed before a downgrade, {s}" for s in stays),
        stays=stays,
        to_next=tuple(
            f" more per month on average reaches {r.code} ({yuan_text(r.min_avg_spend)})"
            for r in ladder[1:]
        ),
        to_next_and_months=tuple(
            f" more per month on average reaches {r.code} ({yuan_text(r.min_avg_spend)})"
            f"; and {r.min_months} billed months"
            for r in ladder[1:]
        ),
        keeps=tuple(f" keeps the {r.code} threshold met" for r in ladder),
        down_rule=(
            ", one rung (tiers.downgrade = one_down)"
            if tiers.downgrade == "one_down"
            else ", the tier its spend qualifies for"
        ),
    )
    if _TEXTS.setdefault(id(ct), texts) is texts:
        weakref.finalize(ct, _TEXTS.pop, id(ct), None)
    return texts


def _spend_to_keep(window: tuple[int, ...], window_months: int, threshold: int) -> int:
    """Next month's spend that keeps the average at ``threshold`` once the window slides."""
    if threshold == 0:
        return 0
    kept = window[1:] if len(window) >= window_months else window
    months_after = len(kept) + 1
    return max(0, threshold * months_after - sum(kept))
