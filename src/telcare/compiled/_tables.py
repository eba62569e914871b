"""The compiled policy: every table the rules need, built once per policy.

:class:`~telcare.Policy` holds the parameters users write, validate and read;
it imports no numpy and keeps no caches.  :func:`compile_policy` turns it into
a :class:`CompiledPolicy`, a frozen value with the lookup tables of every rule
(the tier ladder and its band table, multipliers as exact integer ratios, the
benefit gates, the moment thresholds as fractions, the segment), the way a
scikit-learn estimator keeps its parameters apart from its fitted state.  The
compiled value is kept for as long as the policy object lives, so a rule called
a million times compiles the policy once.

>>> import telcare as tc
>>> compiled = compile_policy(tc.default_policy())
>>> compiled.tiers.codes, compiled.tiers.multiplier_numerators, compiled.tiers.multiplier_denominator
(('ordinary', 'vip', 'silver', 'gold', 'diamond'), (20, 20, 21, 22, 24), 20)
>>> compile_policy(tc.default_policy()) is compiled
True
"""

from __future__ import annotations

import functools
import math
import threading
import weakref
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.kernels import (
    BenefitGates,
    band_index,
    band_table,
    benefit_gates,
    qualified_tier,
)
from telcare._core.limits import MAX_FEN
from telcare.customers import AccountStatus, Verification
from telcare.policy import BENEFITS, MomentsPolicy, Policy, as_policy

__all__ = [
    "CompiledBenefits",
    "CompiledMoments",
    "CompiledPolicy",
    "CompiledSegment",
    "CompiledTiers",
    "compile_policy",
]


def _frozen_array(values: Any, dtype: Any) -> npt.NDArray[Any]:
    out = np.array(values, dtype=dtype)
    out.flags.writeable = False
    return out


@attrs.frozen(slots=True, eq=False)
class CompiledTiers:
    """The ladder as plain tuples, its band table, and the multipliers as integer ratios.

    ``qualified[i, j]`` is the tier of a customer whose average spend is in
    band ``i`` of ``spend_edges`` and whose months are in band ``j`` of
    ``month_edges``: :func:`~telcare._core.kernels.qualified_tier` at the bands'
    lower edges.
    """

    codes: tuple[str, ...]
    thresholds: tuple[int, ...]
    min_months: tuple[int, ...]
    window_months: int
    downgrade_after: int
    spend_edges: npt.NDArray[np.int64]
    month_edges: npt.NDArray[np.int64]
    qualified: npt.NDArray[np.int64]
    multiplier_numerators: tuple[int, ...]
    multiplier_denominator: int
    multiplier_array: npt.NDArray[np.int64]

    def qualified_batch(
        self, avg: npt.NDArray[np.int64], months: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.int64]:
        """The qualified tier of each row, through the band table."""
        out: npt.NDArray[np.int64] = self.qualified[
            band_index(avg, self.spend_edges), band_index(months, self.month_edges)
        ]
        return out


@attrs.frozen(slots=True, eq=False)
class CompiledBenefits:
    """The benefit gates in catalogue order, and the eligibility table of a whole base.

    A row's eligibility depends on its tier, verification, status, segment
    membership, and on its plan fee and credit level only through which gate
    thresholds they reach (their bands).  ``table`` holds
    :func:`~telcare._core.kernels.benefit_gates` for every combination, with nothing
    used of any quota; ``profile_strides`` turn a row's five codes into a row of it.
    """

    segment_code: str
    gates: BenefitGates
    fee_edges: npt.NDArray[np.int64]
    credit_edges: npt.NDArray[np.int64]
    table: npt.NDArray[np.bool_]
    profile_strides: tuple[int, ...]
    credit_gated: npt.NDArray[np.bool_]
    #: A tier code's index in the ladder (read-only).
    tier_index: Mapping[str, int]


@attrs.frozen(slots=True, eq=False)
class CompiledMoments:
    """Moment thresholds as exact fractions and floats, windows in days."""

    credit_levels: tuple[Fraction, ...]
    anomaly_drop: Fraction
    forwarding_share: float


@attrs.frozen(slots=True, eq=False)
class CompiledSegment:
    """The segment's share as a fraction and which tiers may join it."""

    code: str
    share: Fraction
    eligible_tiers: npt.NDArray[np.bool_]


@attrs.frozen(slots=True, eq=False)
class CompiledPolicy:
    """Every table the rules need, for one :class:`~telcare.Policy`."""

    tiers: CompiledTiers
    benefits: CompiledBenefits
    moments: CompiledMoments
    segment: CompiledSegment


def _tiers(policy: Policy) -> CompiledTiers:
    ladder = policy.tiers.ladder
    thresholds = tuple(r.min_avg_spend for r in ladder)
    min_months = tuple(r.min_months for r in ladder)
    month_edges = sorted(set(min_months))
    table = band_table(
        lambda a, m: qualified_tier(a, m, thresholds, min_months), thresholds, month_edges
    )
    fractions = [Fraction(policy.tier_multiplier(code)) for code in policy.tiers.codes]
    denominator = math.lcm(*(f.denominator for f in fractions))
    numerators = tuple(int(f * denominator) for f in fractions)
    return CompiledTiers(
        codes=policy.tiers.codes,
        thresholds=thresholds,
        min_months=min_months,
        window_months=policy.tiers.window_months,
        downgrade_after=policy.tiers.downgrade_after,
        spend_edges=_frozen_array(thresholds, np.int64),
        month_edges=_frozen_array(month_edges, np.int64),
        qualified=table.astype(np.int64),
        multiplier_numerators=numerators,
        multiplier_denominator=denominator,
        multiplier_array=_frozen_array(numerators, np.int64),
    )


#: ``min_fee`` of a benefit without a plan-fee route: above any valid plan fee.
NO_FEE_ROUTE = MAX_FEN + 1


def _gates(policy: Policy) -> BenefitGates:
    """Each benefit's gates as arrays, in catalogue order (a benefit the policy does not
    offer has none open)."""
    codes = policy.tiers.codes
    rules = [policy.benefits.rules.get(b.code) for b in BENEFITS]
    nb = len(BENEFITS)
    tier_ok = np.zeros((nb, len(codes)), dtype=np.bool_)
    ver_ok = np.zeros((nb, len(Verification)), dtype=np.bool_)
    status_ok = np.zeros((nb, len(AccountStatus)), dtype=np.bool_)
    for j, rule in enumerate(rules):
        if rule is None:
            continue
        tier_ok[j] = [code in rule.tiers for code in codes]
        ver_ok[j] = [v.name.lower() not in rule.deny_verification for v in Verification]
        status_ok[j] = [s.name.lower() in rule.statuses for s in AccountStatus]
    return BenefitGates(
        offered=_frozen_array([r is not None for r in rules], np.bool_),
        tier_ok=_frozen_array(tier_ok, np.bool_),
        segment_ok=_frozen_array([r is not None and bool(r.segments) for r in rules], np.bool_),
        min_fee=_frozen_array(
            [
                NO_FEE_ROUTE if r is None or r.min_plan_fee is None else r.min_plan_fee
                for r in rules
            ],
            np.int64,
        ),
        verification_ok=_frozen_array(ver_ok, np.bool_),
        status_ok=_frozen_array(status_ok, np.bool_),
        min_credit=_frozen_array([(r.min_credit_level or 0) if r else 0 for r in rules], np.int64),
        quota=_frozen_array(
            [-1 if r is None or r.quota_per_cycle is None else r.quota_per_cycle for r in rules],
            np.int64,
        ),
    )


def _benefits(policy: Policy) -> CompiledBenefits:
    codes = policy.tiers.codes
    nb = len(BENEFITS)
    gates = _gates(policy)
    fee_edges = sorted({0, *(int(f) for f in gates.min_fee if f != NO_FEE_ROUTE)})
    credit_edges = sorted({1, *(int(c) for c in gates.min_credit if c > 0)})
    axes = (
        range(len(codes)),
        range(len(Verification)),
        range(len(AccountStatus)),
        (0, 1),
        fee_edges,
        credit_edges,
    )
    columns = [
        band_table(
            lambda t, v, s, m, f, c, j=j: (
                benefit_gates(gates, j, t, m == 1, f, v, s, c, 0).eligible
            ),
            *axes,
        )
        for j in range(nb)
    ]
    table = np.stack(columns, axis=-1).reshape(-1, nb)
    table.flags.writeable = False
    shape = [len(a) for a in axes]
    strides = tuple(math.prod(shape[i + 1 :]) for i in range(len(shape)))
    return CompiledBenefits(
        segment_code=policy.segment.code,
        gates=gates,
        fee_edges=_frozen_array(fee_edges, np.int64),
        credit_edges=_frozen_array(credit_edges, np.int64),
        table=table,
        profile_strides=strides,
        credit_gated=_frozen_array(gates.min_credit > 0, np.bool_),
        tier_index=MappingProxyType({code: i for i, code in enumerate(policy.tiers.codes)}),
    )


#: The credit alert's three warning levels, lowest first: the policy fields of the
#: yellow, orange and red alerts (seed 000: 三色亮灯, 三级预警).
CREDIT_LEVEL_FIELDS = ("credit_yellow", "credit_orange", "credit_red")


def credit_levels(m: MomentsPolicy) -> tuple[Fraction, ...]:
    """The warning levels as exact fractions, yellow first.

    >>> import telcare as tc
    >>> [str(f) for f in credit_levels(tc.default_policy().moments)]
    ['4/5', '9/10', '1']
    """
    return tuple(Fraction(getattr(m, name)) for name in CREDIT_LEVEL_FIELDS)


def _moments(policy: Policy) -> CompiledMoments:
    m = policy.moments
    return CompiledMoments(
        credit_levels=credit_levels(m),
        anomaly_drop=Fraction(m.anomaly_drop),
        forwarding_share=float(m.forwarding_share),
    )


def _segment(policy: Policy) -> CompiledSegment:
    eligible = set(policy.segment.eligible_tiers)
    return CompiledSegment(
        code=policy.segment.code,
        share=Fraction(policy.segment.share),
        eligible_tiers=_frozen_array([c in eligible for c in policy.tiers.codes], np.bool_),
    )


def _build(policy: Policy) -> CompiledPolicy:
    return CompiledPolicy(
        tiers=_tiers(policy),
        benefits=_benefits(policy),
        moments=_moments(policy),
        segment=_segment(policy),
    )


# Compiled values by the identity of their (immutable) policy, dropped with it.
_CACHE: dict[int, tuple[weakref.ref[Policy], CompiledPolicy]] = {}
_LOCK = threading.Lock()


def compile_policy(policy: Policy | None = None) -> CompiledPolicy:
    """The :class:`CompiledPolicy` of ``policy`` (the default policy for ``None``).

    Built on the first call for a policy object and reused for as long as that
    object lives; a policy is immutable, so its tables never go stale.

    >>> compile_policy().tiers.codes[-1], compile_policy().benefits.table.shape
    ('diamond', (180, 16))
    """
    policy = as_policy(policy)
    key = id(policy)
    found = _CACHE.get(key)
    if found is not None and found[0]() is policy:
        return found[1]
    compiled = _build(policy)
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None and found[0]() is policy:
            return found[1]
        _CACHE[key] = (weakref.ref(policy, functools.partial(_forget, key)), compiled)
    return compiled


def _forget(key: int, _: object = None) -> None:
    with _LOCK:
        _CACHE.pop(key, None)
