"""The demo's marketing section: a small offer catalogue, the matched base, today's
call lists, one allocation under a budget, the agents' capacity and a control group
(with the sample-ratio check of the split), and how well last quarter's pilot
targeted (on the generated base).

>>> from telcare.synthetic import generate_base
>>> import numpy as np
>>> base = generate_base(2_000, seed=3)
>>> tier = np.zeros(2_000, dtype=np.int64)
>>> section = marketing_section(base, tier, np.zeros(2_000, bool), None, np.random.default_rng(0))
>>> sorted(section)
['agents', 'allocation', 'calls', 'catalogue', 'matched', 'other_channels', 'overflow', 'targeting']
>>> section["allocation"]["spent_fen"] <= section["allocation"]["budget_fen"]
True
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

import numpy as np

from telcare._core.dates import zone
from telcare._core.errors import InvalidInput
from telcare.customers import mean_spend
from telcare.marketing import (
    CHANNELS,
    OfferMatch,
    allocate,
    call_lists,
    holdout,
    match_offers,
    sample_ratio_check,
)
from telcare.metrics import CellUplift, qini_auc_score, staffing, uplift_at_k, uplift_by_cell
from telcare.policy import Channel, OfferCatalogue, Policy, as_policy
from telcare.synthetic import SyntheticBase

__all__ = ["DEMO_CATALOGUE", "marketing_section"]

#: The demo's control group: a tenth of the base, by a hash of each id.
CONTROL_SHARE = 0.1
_VALID = {"valid_from": "2010-10-01", "valid_to": "2011-03-31"}

#: Four offers of the era: a promotion, a data offer, a retention bonus, a rescue call.
DEMO_CATALOGUE = OfferCatalogue.model_validate({
    "products": {"basic_fee_discount": "Basic call-fee discount"},
    "offers": [
        {**_VALID, "code": "deposit_talk_time", "name": "Deposit 300 yuan, get 100 yuan of talk time",
         "project_type": "promotion", "channels": ["phone", "sms"], "value": 10_000, "cost": 1_500,
         "min_plan_fee": 5_800,
         "conflicts": {"basic_fee_discount": "replaces the basic call-fee discount for its term"}},
        {**_VALID, "code": "data_pack", "name": "Mobile data pack, 3 months half price",
         "project_type": "promotion", "channels": ["sms", "phone"], "value": 3_000, "cost": 150,
         "max_spend": 40_000},
        {**_VALID, "code": "loyalty_bonus", "name": "Loyalty bonus points",
         "project_type": "retention", "channels": ["phone"], "value": 5_000, "cost": 500,
         "tiers": ["vip", "silver", "gold", "diamond"]},
        {**_VALID, "code": "winback", "name": "Win-back call with a plan review",
         "project_type": "rescue", "channels": ["phone"], "value": 8_000, "cost": 800,
         "segments": ["mid_high_end"], "min_tenure_months": 12},
    ],
})  # fmt: skip


def _pilot(
    tier: Any, members: Any, policy: Policy, rng: np.random.Generator
) -> tuple[Any, Any, CellUplift, Any]:
    """A pilot last quarter called half of every cell (tier x segment) and held half
    out. Its treated response rate per cell is today's response probability (the
    score returned per customer); its uplift per cell ranks the list for the
    targeting metrics."""
    n = len(tier)
    cell = np.char.add(np.asarray(policy.tiers.codes)[tier], np.where(members, "+segment", ""))
    pilot_treated = rng.integers(0, 2, n)
    lift = np.where(tier >= 2, 0.12, np.where(members, 0.08, 0.01))
    responded = (rng.random(n) < 0.06 + pilot_treated * lift).astype(np.int64)
    cells = uplift_by_cell(responded, pilot_treated, cell)
    treated_rate = np.array([r.value if r.denominator else 0.0 for r in cells.treated])
    _, cell_of = np.unique(cell, return_inverse=True)
    return responded, pilot_treated, cells, treated_rate[cell_of]


def marketing_section(
    base: SyntheticBase, tier: Any, members: Any, policy: Policy | None, rng: np.random.Generator
) -> dict[str, Any]:
    """Match the base to the catalogue, build today's call lists, score last quarter's pilot."""
    policy = as_policy(policy)
    n = len(base)
    at = datetime.combine(base.as_of, time(10, 0), tzinfo=zone(policy.timezone))
    window = policy.tiers.window_months
    spend = base.monthly_spend[:, -window:]
    avg = mean_spend(spend.sum(axis=1), np.minimum(base.months_billed, window))
    tenure = (np.datetime64(base.as_of, "M") - base.activated_on.astype("datetime64[M]")).astype(
        np.int64
    )
    responded, pilot_treated, cells, score = _pilot(tier, members, policy, rng)
    match = match_offers(
        DEMO_CATALOGUE,
        at=at,
        tier=tier,
        segment_member=members,
        avg_spend=avg,
        plan_fee=base.plan_fee,
        tenure_months=tenure,
        credit_level=base.credit_level,
        holds=np.c_[rng.random(n) < 0.2, np.zeros((n, len(DEMO_CATALOGUE)), bool)],
        preferred_channel=np.where(rng.random(n) < 0.3, CHANNELS.index(Channel.SMS), -1),
        do_not_call=rng.random(n) < 0.02,
        counted_contacts=rng.integers(0, 3, n),
        response=np.repeat(score[:, None], len(DEMO_CATALOGUE), axis=1),
        min_score=0,
        policy=policy,
    )
    agents = max(1, staffing(int(((tier > 0) | members).sum())))
    names = np.array([f"pm{i + 1:02d}" for i in range(agents)])
    book = (tier > 0) | members
    manager = np.where(book, names[np.arange(n) % agents], "")
    lists = call_lists(match, manager, policy=policy)
    best = match.best_codes()
    return {
        "catalogue": list(DEMO_CATALOGUE.codes),
        "matched": {code: int((best == code).sum()) for code in DEMO_CATALOGUE.codes},
        "agents": lists.counts(),
        "calls": len(lists),
        "overflow": lists.overflow,
        "other_channels": lists.other_channels,
        "allocation": _allocation(match, base.ids, agents * policy.contact.calls_per_agent_day),
        "targeting": _targeting(responded, cells, pilot_treated),
    }


def _allocation(match: OfferMatch, ids: Any, phone: int) -> dict[str, Any]:
    """One allocation of the matched base: a budget of a third of what every best offer
    would cost, the phone agents' calls today, a control group of ``CONTROL_SHARE``;
    what it is expected to earn, what the budget bought, and the split's check."""
    control = holdout(ids, share=CONTROL_SHARE, salt="demo-2010")
    budget = int(match.cost[match.best[match.best >= 0]].sum()) // 3
    a = allocate(match, budget=budget, capacity={"phone": phone}, holdout=control)
    treated, held = int((~a.held_out).sum()), int(a.held_out.sum())
    check = sample_ratio_check(treated, held, share=CONTROL_SHARE) if treated + held else None
    return {
        "budget_fen": budget, "spent_fen": a.spent, "phone_calls": phone,
        "expected_value_fen": round(a.expected_value), "bound_fen": int(a.bound),
        "gap_pct": round(100 * a.gap, 3),
        "bought": {code: k for code, k in a.counts.items() if k}, "by_channel": dict(a.by_channel),
        "left_out": a.left_out(), "treated": treated, "control": held,
        "sample_ratio_p": None if check is None else round(check.p_value, 4),
        "sample_ratio_mismatch": None if check is None else check.mismatch,
    }  # fmt: skip


def _targeting(responded: Any, cells: CellUplift, treated: Any) -> dict[str, Any]:
    """uplift@30% and the Qini coefficient of the pilot's ranking, each ``None`` with the
    reason in ``not_computed`` (rows ``{"figure": name, "reason": text}``) where the pilot
    is too small to give it (a base of a few customers has no treated customer in its
    top 30%, or a Qini curve with no area)."""
    out: dict[str, Any] = {"not_computed": []}
    figures: dict[str, Callable[[], float]] = {
        "uplift_at_30pct_pp": lambda: round(
            100 * uplift_at_k(responded, cells.score, treated, k=0.3), 2
        ),
        "qini": lambda: round(qini_auc_score(responded, cells.score, treated), 3),
    }
    for name, figure in figures.items():
        try:
            out[name] = figure()
        except InvalidInput as why:
            out[name] = None
            out["not_computed"].append({"figure": name, "reason": str(why)})
    out["cells"] = {
        str(c): round(u.pp, 2) for c, u in zip(cells.cells.tolist(), cells.uplift, strict=True) if u
    }
    return out
