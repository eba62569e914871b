"""A month's extract made from the generator, for ``telcare run --synthetic N``.

The generated base (:func:`telcare.synthetic.generate_base`, seeded) bills the 24
months from 2008-12 to 2010-11; the extract of one of them holds the customers
active by its end, that month's bill, the tier window's average ending with it and
the tier evaluated six months before (the tier held by a customer the store does not
know yet).  The same ``n``, seed and month give the same extract.

>>> cols = synthetic_extract(500, "2010-10", seed=1)
>>> len(cols["customer_id"]) <= 500, sorted(cols)[:3]
(True, ['activated_on', 'arrears', 'avg_spend'])
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from telcare._core.dates import Period
from telcare.cli._run_refusals import refused
from telcare.cli._run_schema import STATUS_CODES, VERIFICATION_CODES
from telcare.customers import mean_spend
from telcare.policy import Policy, as_policy
from telcare.synthetic import generate_base, month_starts
from telcare.tiers import evaluate_tiers

__all__ = ["synthetic_extract"]

#: The months the generated base bills, oldest first.
MONTHS = tuple(f"{m:%Y-%m}" for m in month_starts(date(2010, 12, 1), 24))  # generate_base's as_of


def _window(spend: Any, first_real: Any, end: int, window: int) -> tuple[Any, Any]:
    counted = np.clip(end - np.maximum(first_real, end - window), 0, window)
    return mean_spend(spend[:, max(0, end - window) : end].sum(axis=1), counted), counted


def synthetic_extract(
    n: int, month: str, *, seed: int = 2010, policy: Policy | None = None
) -> dict[str, Any]:
    """The extract of ``month`` for a generated base of ``n`` customers (numpy columns)."""
    policy = as_policy(policy)
    label = Period.parse(month).label
    if label not in MONTHS:
        raise refused("run.synthetic.month", first=MONTHS[0], last=MONTHS[-1], month=label)
    col = MONTHS.index(label)
    base = generate_base(n, seed=seed)
    end = np.datetime64(Period.parse(label).end, "D")
    keep = np.flatnonzero(base.activated_on <= end)
    rng = np.random.default_rng([seed, col])
    spend, window = base.monthly_spend[keep], policy.tiers.window_months
    first_real = 24 - base.months_billed[keep]
    avg, counted = _window(spend, first_real, col + 1, window)
    before = evaluate_tiers(*_window(spend, first_real, max(col - 5, 0), window), policy=policy)
    bill = spend[:, col]
    m = len(keep)
    held = before.tier
    managers = max(1, int((held > 0).sum()) // 400)
    names = np.array([f"pm{i + 1:02d}" for i in range(managers)], dtype=object)
    teams = np.array([f"team{i + 1}" for i in range(-(-managers // 8))], dtype=object)
    trailing = np.where(col - first_real >= 3, spend[:, max(col - 3, 0) : col].sum(axis=1) // 3, 0)
    return {
        "customer_id": np.asarray(base.ids[keep], dtype=object),
        "activated_on": base.activated_on[keep],
        "plan_fee": base.plan_fee[keep],
        "bill": bill,
        "data_bill": (bill * base.data_share[keep]).astype(np.int64),
        "paid_on_time": rng.random(m) < base.on_time[keep],
        "avg_spend": avg,
        "months_counted": counted,
        "tier": np.asarray(policy.tiers.codes, dtype=object)[held],
        "verification": np.asarray(VERIFICATION_CODES, dtype=object)[base.verification[keep]],
        "status": np.asarray(STATUS_CODES, dtype=object)[base.status[keep]],
        "credit_level": base.credit_level[keep],
        "arrears": (base.arrears[keep] * rng.uniform(0.88, 1.1, m)).astype(np.int64),
        "sms_last_hour": np.where(base.forwarded_share[keep] > 0.5, 250, 20),
        "days_over": rng.integers(0, 10, m),
        "trailing_mean": trailing,
        "forwarded_share": np.round(base.forwarded_share[keep], 3),
        "contract_ends_on": base.contract_ends_on[keep],
        "birthday": base.birthday[keep],
        "manager": np.where(held > 0, names[np.arange(m) % managers], ""),
        "team": np.where(held > 0, teams[(np.arange(m) % managers) // 8], ""),
        "points_redeemed": np.where(rng.random(m) < 0.1, rng.integers(1, 2_000, m), 0),
    }
