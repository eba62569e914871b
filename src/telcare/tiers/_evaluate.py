"""Tier evaluation: the VIP ladder with its downgrade grace.

A customer qualifies for the highest rung whose average monthly spend
threshold *and* minimum billed months it meets, over the trailing
``tiers.window_months`` billed months.  An upgrade takes effect at once.  A
customer below the threshold of its current tier keeps the tier until it has
missed it at ``tiers.downgrade_after`` consecutive evaluations; it then moves
straight to the tier its spend qualifies for, possibly several rungs down, or one
rung down with ``tiers.downgrade = "one_down"`` (the count starts again either
way).  Meeting the current tier's threshold resets the count.  A manager's
:class:`~telcare.TierFloor` counts as qualifying for its tier through its
``until`` day (see ``_floor.py``).

>>> from datetime import date
>>> import telcare as tc
>>> policy = tc.default_policy()
>>> gold = tc.Customer("c1", activated_on=date(2015, 1, 1), plan_fee=tc.yuan(288),
...                    monthly_spend=[42000] * 12, tier="gold")
>>> first = tc.evaluate_tier(gold, policy=policy)
>>> first.tier, first.direction, first.missed_evaluations
('gold', 'same', 1)
>>> second = tc.evaluate_tier(first.apply(gold), policy=policy)
>>> second.tier, second.direction, second.missed_evaluations
('silver', 'down', 0)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar, Literal

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import checked_blocks, code_column, instance, int_column, same_length
from telcare._core.display import Explained, frame_from_columns, summary_html, summary_text
from telcare._core.errors import InvalidInput
from telcare._core.kernels import qualified_tier, tier_transition
from telcare._core.limits import MAX_AVG_SPEND, MAX_COUNT
from telcare._core.reasons import Reason
from telcare.compiled import CompiledTiers, compile_policy
from telcare.customers import Customer, floor_mean, spend_window
from telcare.policy import Policy, PolicySchedule, resolve
from telcare.tiers._floor import floor_columns, floor_rung, held_rungs
from telcare.tiers._reasons import decision_reasons

__all__ = ["TierBatch", "TierDecision", "evaluate_tier", "evaluate_tiers"]

Direction = Literal["up", "down", "same"]


@attrs.frozen(slots=True)
class TierDecision(Explained):
    """The outcome of one tier evaluation, with the figures a phone manager needs.

    ``to_next_tier`` is how much more average monthly spend (fen) would reach
    the next rung (``None`` at the top); ``spend_to_keep`` is the spend in the
    next billed month that keeps the current tier's threshold met when the
    window slides on by one month (0 when the tier needs no spend).  Each of the
    ``reasons`` is a :class:`~telcare.Reason`: its English text, its ``code`` and its
    ``params``, and ``text("zh_CN")``; ``to_dict(lang=...)`` carries them all.
    """

    _units: ClassVar[dict[str, str]] = {
        "avg_monthly_spend": "fen",
        "to_next_tier": "fen",
        "spend_to_keep": "fen",
    }

    customer_id: str
    tier: str
    previous: str
    direction: Direction
    missed_evaluations: int
    avg_monthly_spend: int
    months_counted: int
    qualified: str
    next_tier: str | None
    to_next_tier: int | None
    spend_to_keep: int
    reasons: tuple[Reason, ...]

    @property
    def changed(self) -> bool:
        """Whether the tier moved at this evaluation."""
        return self.tier != self.previous

    def apply(self, customer: Customer) -> Customer:
        """The customer with this decision's tier and missed count."""
        customer = instance(customer, Customer, "customer must be a telcare.Customer, got {got}")
        if customer.id != self.customer_id:
            raise InvalidInput(
                f"this decision is for customer {self.customer_id!r}, not {customer.id!r}"
            )
        return attrs.evolve(customer, tier=self.tier, missed_evaluations=self.missed_evaluations)


@attrs.frozen(slots=True, eq=False)
class TierBatch:
    """Tier evaluation of a whole base: arrays aligned with the input columns.

    ``tier`` holds indices into ``codes``; ``missed`` the consecutive missed
    evaluations after this one; ``changed`` whether the tier moved;
    ``qualified`` the tier the spend alone qualifies for.
    """

    tier: npt.NDArray[np.int64]
    missed: npt.NDArray[np.int64]
    changed: npt.NDArray[np.bool_]
    qualified: npt.NDArray[np.int64]
    codes: tuple[str, ...]

    def to_dict(self) -> dict[str, list[Any]]:
        """The columns as lists, tiers by code."""
        return {
            "tier": self.tier_codes().tolist(),
            "missed": self.missed.tolist(),
            "changed": self.changed.tolist(),
            "qualified": np.asarray(self.codes)[self.qualified].tolist(),
        }

    def to_frame(self, index: Any = None, ids: Any = None) -> Any:
        """A ``pandas.DataFrame`` with one row per customer (pandas must be installed),
        on ``index`` when given (pass the input frame's index so a join lines up), with
        the customers' ``ids`` as its first column ``id`` when given (one per row)."""
        columns = {k: np.asarray(v) for k, v in self.to_dict().items()}
        return frame_from_columns(columns, index, ids=ids)

    def _repr_html_(self) -> str:
        counts = np.bincount(self.tier, minlength=len(self.codes))
        rows = [("customers", len(self)), ("changed", int(self.changed.sum()))]
        rows += [(f"tier {code}", int(n)) for code, n in zip(self.codes, counts, strict=True)]
        return summary_html("TierBatch", rows)

    def __str__(self) -> str:
        counts = np.bincount(self.tier, minlength=len(self.codes))
        rows = [("customers", len(self)), ("changed", int(self.changed.sum()))]
        rows += [(f"tier {code}", int(n)) for code, n in zip(self.codes, counts, strict=True)]
        return summary_text("TierBatch", rows)

    def tier_codes(self) -> npt.NDArray[np.str_]:
        """The tier of each customer as its code."""
        return np.asarray(self.codes)[self.tier]

    def __len__(self) -> int:
        return len(self.tier)


def evaluate_tier(
    customer: Customer, *, policy: Policy | PolicySchedule | None = None, as_of: date | None = None
) -> TierDecision:
    """Evaluate one customer's tier over the trailing window of billed months.

    ``as_of`` is the day of the evaluation (a ``date``, or an aware ``datetime``
    read as its day in ``policy.timezone``); it is needed when the customer has a
    manual :class:`~telcare.TierFloor`, which holds through its ``until`` day.

    >>> from datetime import date
    >>> import telcare as tc
    >>> c = tc.Customer("c2", activated_on=date(2019, 5, 1), plan_fee=tc.yuan(158),
    ...                 monthly_spend=[55000] * 12, tier="silver")
    >>> d = tc.evaluate_tier(c, policy=tc.default_policy())
    >>> d.tier, d.direction, d.next_tier, tc.format_yuan(d.to_next_tier)
    ('gold', 'up', 'diamond', '¥450.00')
    >>> d.reasons[0]
    'average ¥550.00 over 12 months >= gold threshold ¥500.00 (6 months needed)'
    """
    policy = resolve(policy, "evaluate_tier", as_of=as_of)
    customer = instance(customer, Customer, "evaluate_tier() needs a telcare.Customer, got {got}")
    ct = compile_policy(policy).tiers
    codes = ct.codes
    current = (
        codes.index(customer.tier) if customer.tier in codes else policy.tiers.index(customer.tier)
    )
    window = spend_window(customer.monthly_spend, ct.window_months)
    months = len(window)
    avg = floor_mean(sum(window), months)  # average_spend, the window read once
    qualified = qualified_tier(avg, months, ct.thresholds, ct.min_months)
    floor, until = floor_rung(customer, codes, as_of, policy.timezone)
    one_down = policy.tiers.downgrade == "one_down"
    grace = (customer.missed_evaluations, ct.downgrade_after)
    # The floor counts as qualifying for its tier; it has a reason of its own where it
    # changed the outcome (then the customer is at the floor's tier).
    new, missed = tier_transition(current, max(qualified, floor), *grace, one_down=one_down)
    held = floor > qualified and (new, missed) != tier_transition(
        current, qualified, *grace, one_down=one_down
    )
    direction: Direction = "up" if new > current else "down" if new < current else "same"

    reasons, next_tier, to_next, keep = decision_reasons(
        ct, window, avg, current, qualified, new, missed, until if held else None, one_down=one_down
    )
    return TierDecision(
        customer_id=customer.id,
        tier=codes[new],
        previous=codes[current],
        direction=direction,
        missed_evaluations=missed,
        avg_monthly_spend=avg,
        months_counted=months,
        qualified=codes[qualified],
        next_tier=next_tier,
        to_next_tier=to_next,
        spend_to_keep=keep,
        reasons=tuple(reasons),
    )


def evaluate_tiers(
    avg_spend: Any,
    months: Any,
    current: Any = None,
    missed: Any = None,
    *,
    policy: Policy | PolicySchedule | None = None,
    floor: Any = None,
    floor_until: Any = None,
    as_of: date | None = None,
) -> TierBatch:
    """Evaluate a whole base at once; the batch twin of :func:`evaluate_tier`.

    ``avg_spend`` is each customer's average monthly spend in fen over the
    window (``sum // months``, as :func:`evaluate_tier` takes it), ``months``
    the billed months counted; ``current`` the present tier as an index into
    ``policy.tiers.codes`` (default: all ordinary) and ``missed`` the
    consecutive missed evaluations so far (default: 0).  The manual floors, when
    any, are two columns given together with ``as_of``: ``floor`` the floor's tier
    (an index or a code; 0, the bottom rung, for none) and ``floor_until`` its last
    day (dates; missing where there is no floor).

    >>> import telcare as tc
    >>> batch = tc.evaluate_tiers([55000, 42000, 42000], [12, 12, 12],
    ...                           current=[2, 3, 3], missed=[0, 0, 1], policy=tc.default_policy())
    >>> batch.tier_codes().tolist(), batch.missed.tolist(), batch.changed.tolist()
    (['gold', 'gold', 'silver'], [0, 1, 0], [True, False, True])
    """
    policy = resolve(policy, "evaluate_tiers", as_of=as_of)
    ct = compile_policy(policy).tiers
    # Checked block by block below, so each column is read from memory once.
    avg = int_column(avg_spend, "avg_spend", bounds=False)
    mon = int_column(months, "months", bounds=False)
    n = len(avg)
    # An absent column is a zero-strided view: no memory, no pages to fault in.
    none = np.broadcast_to(np.int64(0), (n,))
    cur = none if current is None else code_column(current, "current", ct.codes)
    mis = none if missed is None else int_column(missed, "missed", bounds=False)
    floors, day = floor_columns(floor, floor_until, as_of, ct.codes, policy.timezone)
    same_length(avg_spend=avg, months=mon, current=cur, missed=mis, **floors)
    held = held_rungs(floors, day, ct.codes) if floors else None
    bounds = {"avg_spend": (avg, 0, MAX_AVG_SPEND), "months": (mon, 0, 10_000)}
    if missed is not None:
        bounds["missed"] = (mis, 0, MAX_COUNT)
    return _batch(
        ct, avg, mon, cur, mis, held, bounds, one_down=policy.tiers.downgrade == "one_down"
    )


def _batch(
    ct: CompiledTiers,
    avg: npt.NDArray[np.int64],
    mon: npt.NDArray[np.int64],
    cur: npt.NDArray[np.int64],
    mis: npt.NDArray[np.int64],
    held: npt.NDArray[np.int64] | None,
    bounds: Mapping[str, tuple[npt.NDArray[np.int64], int | None, int | None]],
    *,
    one_down: bool,
) -> TierBatch:
    """The transitions of checked columns; ``held`` the rung each row's floor holds it
    at (counted as qualifying for it), ``bounds`` the limits checked block by block."""
    n = len(avg)
    qualified = np.empty(n, dtype=np.int64)
    new_tier = np.empty(n, dtype=np.int64)
    new_missed = np.empty(n, dtype=np.int64)
    changed = np.empty(n, dtype=np.bool_)
    # Block by block, so the temporaries stay in the CPU cache.
    for rows in checked_blocks(n, bounds):
        c = cur[rows]
        q = qualified[rows] = ct.qualified_batch(avg[rows], mon[rows])
        if held is not None:
            q = np.maximum(q, held[rows])
        new_tier[rows], new_missed[rows] = tier_transition(
            c, q, mis[rows], ct.downgrade_after, one_down=one_down
        )
        np.not_equal(new_tier[rows], c, out=changed[rows])
    return TierBatch(
        tier=new_tier,
        missed=new_missed,
        changed=changed,
        qualified=qualified,
        codes=ct.codes,
    )
