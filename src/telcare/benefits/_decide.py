"""Benefit eligibility: which exclusive services a customer may use, and why.

A customer *qualifies* for a benefit through its tier, a segment it belongs to
or a plan fee high enough (any one will do).  Then every restriction must
pass: verification state, account status, credit level, the quota per points
cycle and, when a time is given, the service hours.  The decision names every
gate it checked, passed or failed, with the numbers.  Ineligibility is a
result, never an exception.

>>> from datetime import date
>>> import telcare as tc
>>> c = tc.Customer("13800000001", activated_on=date(2009, 6, 1), plan_fee=tc.yuan(58),
...                 segments={"mid_high_end"})
>>> d = tc.check_benefit(c, "free_sim_replacement", used=2, policy=tc.default_policy())
>>> d.eligible, d.remaining
(False, 0)
>>> d.reasons[-1]
'used 2 of 2 free SIM replacements in the cycle, none left'
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

import telcare.benefits._reasons as why
from telcare._core.checks import (
    BLOCK_ROWS,
    bool_column,
    code_column,
    instance,
    int_column,
    integer,
    row_blocks,
    same_length,
)
from telcare._core.dates import local_datetime
from telcare._core.display import Explained
from telcare._core.errors import InvalidInput
from telcare._core.kernels import band_index, benefit_gates
from telcare._core.limits import MAX_FEN, MAX_POINTS
from telcare._core.reasons import Reason
from telcare.benefits._memo import MEMOS, Memo, memo_of, remember
from telcare.compiled import CompiledBenefits, compile_policy
from telcare.customers import STATUS_LABELS, VERIFICATION_LABELS, Customer
from telcare.policy import (
    BENEFIT_CODES,
    BENEFITS,
    BENEFITS_BY_CODE,
    Policy,
    PolicySchedule,
    as_policy,
    resolve,
)

__all__ = ["BenefitDecision", "check_benefit", "check_benefits", "eligible_benefits"]


@attrs.frozen(slots=True)
class BenefitDecision(Explained):
    """Whether one customer may use one benefit now, with a reason per gate.

    ``remaining`` is what is left of the quota this cycle for quota benefits
    (``None`` for benefits without a quota).  Each of the ``reasons`` is a
    :class:`~telcare.Reason` (code, parameters, ``text("zh_CN")``).
    """

    code: str
    eligible: bool
    reasons: tuple[Reason, ...]
    remaining: int | None = None

    @property
    def name(self) -> str:
        """The benefit's English name."""
        return BENEFITS_BY_CODE[self.code].name


def _known_code(code: object) -> str:
    if not isinstance(code, str) or code not in BENEFITS_BY_CODE:
        raise InvalidInput(
            f"unknown benefit code {code!r}; known codes: {', '.join(BENEFIT_CODES)}"
        )
    return code


def check_benefit(
    customer: Customer,
    code: str,
    *,
    policy: Policy | PolicySchedule | None = None,
    at: datetime | None = None,
    used: int = 0,
) -> BenefitDecision:
    """Decide whether ``customer`` may use the benefit ``code``.

    ``used`` is how often the benefit was already used in the current points
    cycle (for quota benefits); ``at`` an aware datetime to check service hours
    against (hours are not checked without it).

    >>> from datetime import date, datetime
    >>> from zoneinfo import ZoneInfo
    >>> import telcare as tc
    >>> c = tc.Customer("13800000002", activated_on=date(2009, 6, 1), plan_fee=tc.yuan(128), tier="vip")
    >>> saturday = datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    >>> d = tc.check_benefit(c, "phone_manager", at=saturday)
    >>> d.eligible
    False
    >>> d.reasons[0], d.reasons[-1]
    ('qualifies: tier vip is one of vip, silver, gold, diamond', 'outside service hours Mon-Fri 08:00-20:00, next opening Mon 23 Nov 08:00')
    """
    policy = resolve(policy, "check_benefit", at=at)
    code = _known_code(code)
    customer = instance(customer, Customer, "check_benefit() needs a telcare.Customer, got {got}")
    compiled = compile_policy(policy).benefits
    used = integer(used, "used", maximum=MAX_POINTS)
    local = local_datetime(at, policy.timezone, name="at") if at is not None else None
    j = BENEFIT_CODES.index(code)
    memo = MEMOS.get(id(compiled)) or memo_of(compiled)
    return _decide(policy, compiled, memo, customer, code, j, used, local)


def _tier_of(customer: Customer, policy: Policy, compiled: CompiledBenefits) -> int:
    found = compiled.tier_index.get(customer.tier)
    return policy.tiers.index(customer.tier) if found is None else found  # the latter raises


def _decide(
    policy: Policy,
    compiled: CompiledBenefits,
    memo: Memo,
    customer: Customer,
    code: str,
    j: int,
    used: int,
    local: datetime | None,
) -> BenefitDecision:
    """One benefit's decision for checked inputs.  The gates and their reasons are a pure
    function of the customer's tier, segments, plan fee, verification, status, credit
    level and uses, so they are remembered per compiled policy: a service deciding for
    customers alike (the same plan, tier and standing) pays for the reasons once.  The
    tier is checked on the first decision for it (an unknown one is never remembered)."""
    key = (j, customer.tier, customer.segments, customer.plan_fee, customer.verification, customer.status,
           customer.credit_level, used)  # fmt: skip
    known = memo.decisions.get(key)
    if known is None:
        tier = _tier_of(customer, policy, compiled)
        known = _gates_and_reasons(policy, compiled, customer, tier, code, j, used)
        remember(memo.decisions, key, known)
    ok, reasons, remaining = known
    rule = policy.benefits.rules.get(code)
    if rule is None or rule.service_hours is None:
        return BenefitDecision(code, ok, reasons, remaining)
    hours = rule.service_hours.describe()
    if local is None:
        extra = why.HOURS_UNCHECKED(hours=hours)
    elif rule.service_hours.is_open(local):
        extra = why.HOURS_OPEN(hours=hours)
    else:
        ok = False
        extra = why.HOURS_CLOSED(hours=hours, opening=rule.service_hours.next_opening(local))
    return BenefitDecision(code, ok, (*reasons, extra), remaining)


def _gates_and_reasons(
    policy: Policy,
    compiled: CompiledBenefits,
    customer: Customer,
    tier: int,
    code: str,
    j: int,
    used: int,
) -> tuple[bool, tuple[Reason, ...], int | None]:
    rule = policy.benefits.rules.get(code)
    if rule is None:
        return False, (why.NOT_OFFERED(benefit=code),), None
    member = compiled.segment_code in customer.segments
    gates = benefit_gates(
        compiled.gates,
        j,
        tier,
        member,
        customer.plan_fee,
        int(customer.verification),
        int(customer.status),
        customer.credit_level,
        used,
    )
    ok = bool(gates.eligible)
    reasons = [why.qualify_reason(rule, customer, gates)]
    verification = customer.verification.name.lower()
    if not gates.verification:
        reasons.append(why.WITHHELD(verification=verification, benefit=code))
    status = customer.status.name.lower()
    if gates.status:
        reasons.append(why.STATUS_OK(status=status))
    else:
        reasons.append(why.STATUS_REFUSED(status=status, statuses=tuple(rule.statuses)))
    if rule.min_credit_level is not None:
        level = {"level": customer.credit_level, "minimum": rule.min_credit_level}
        reasons.append((why.CREDIT_OK if gates.credit else why.CREDIT_LOW)(**level))
    remaining = None
    if rule.quota_per_cycle is not None:
        remaining = max(0, rule.quota_per_cycle - used)
        reasons.append(
            why.quota_reason(code, used, rule.quota_per_cycle, remaining, ok=bool(gates.quota))
        )
    return ok, tuple(reasons), remaining


def eligible_benefits(
    customer: Customer,
    *,
    policy: Policy | PolicySchedule | None = None,
    at: datetime | None = None,
    usage: Mapping[str, int] | None = None,
) -> tuple[BenefitDecision, ...]:
    """The decisions of every benefit the customer may use, in catalogue order.

    ``usage`` maps benefit codes to their uses in the current cycle.

    >>> from datetime import date
    >>> import telcare as tc
    >>> gold = tc.Customer("c3", activated_on=date(2009, 6, 1), plan_fee=tc.yuan(288), tier="gold")
    >>> len(tc.eligible_benefits(gold)), len(tc.BENEFITS)   # all but the service manager
    (15, 16)
    """
    if usage is not None and not isinstance(usage, Mapping):
        raise InvalidInput(f"usage must map benefit codes to uses, got {type(usage).__name__}")
    usage = dict(usage or {})
    for code in usage:
        _known_code(code)
    policy = resolve(policy, "eligible_benefits", at=at)
    customer = instance(
        customer, Customer, "eligible_benefits() needs a telcare.Customer, got {got}"
    )
    compiled = compile_policy(policy).benefits
    local = local_datetime(at, policy.timezone, name="at") if at is not None else None
    uses = {code: integer(n, "used", maximum=MAX_POINTS) for code, n in usage.items()}
    memo = MEMOS.get(id(compiled)) or memo_of(compiled)
    key = None
    if local is None:  # without a time the whole answer is a pure function of these
        key = (customer.tier, customer.segments, customer.plan_fee, customer.verification, customer.status,
               customer.credit_level, tuple(sorted(uses.items())))  # fmt: skip
        known = memo.eligible.get(key)
        if known is not None:
            return known
    decisions = (
        _decide(policy, compiled, memo, customer, code, j, uses.get(code, 0), local)
        for j, code in enumerate(BENEFIT_CODES)
    )
    answer = tuple(d for d in decisions if d.eligible)
    if key is not None:
        remember(memo.eligible, key, answer)
    return answer


def check_benefits(
    tier: Any,
    segment_member: Any,
    plan_fee: Any,
    verification: Any,
    status: Any,
    *,
    credit_level: Any = None,
    policy: Policy | None = None,
    order: Literal["C", "F"] = "C",
) -> npt.NDArray[np.bool_]:
    """Eligibility of a whole base for every benefit: ``bool`` of shape ``(n, len(BENEFITS))``.

    Columns follow :data:`~telcare.BENEFITS`.  ``tier`` indexes
    ``policy.tiers.codes``; ``verification`` and ``status`` carry the integer
    values of :class:`~telcare.Verification` and :class:`~telcare.AccountStatus`;
    ``credit_level`` is needed only when a rule gates on it.  Quotas and service
    hours depend on usage and time and are left to :func:`check_benefit`: each
    cell equals ``check_benefit(...).eligible`` with ``used=0`` and no ``at``.
    ``order="F"`` lays the matrix out column by column, so each benefit's column
    is contiguous (what a data frame of one column per benefit wants).

    >>> import telcare as tc
    >>> m = tc.check_benefits([0, 0, 3], [False, True, False], [12_800, 5_800, 5_800], [1, 2, 0], [0, 0, 0])
    >>> [tc.BENEFITS[j].code for j in m[0].nonzero()[0]]
    ['service_manager']
    >>> int(m[1].sum()), int(m[2].sum())   # a suspicious segment member: 7 of the eight + merchants
    (8, 15)
    """
    policy = as_policy(policy)
    compiled = compile_policy(policy).benefits
    t, seg, fee, ver, sta, credit = _profile_columns(
        policy, compiled, tier, segment_member, plan_fee, verification, status, credit_level
    )
    if order not in ("C", "F"):
        raise InvalidInput(f"order must be 'C' or 'F', got {order!r}")
    out = np.empty((len(t), len(BENEFITS)), dtype=np.bool_, order=order)
    block = BLOCK_ROWS // 2
    buffer = np.empty((min(block, len(t)), len(BENEFITS)), dtype=np.bool_) if order == "F" else None
    st = compiled.profile_strides
    # Block by block, so the profile codes and the gathers stay in the CPU cache.
    for rows in row_blocks(len(t), size=block):  # 16 output columns per row
        profile = t[rows] * st[0]
        profile += ver[rows] * st[1]
        profile += sta[rows] * st[2]
        profile += seg[rows] * st[3]
        if len(compiled.fee_edges) > 1:
            profile += band_index(fee[rows], compiled.fee_edges) * st[4]
        if credit is not None and len(compiled.credit_edges) > 1:
            profile += band_index(credit[rows], compiled.credit_edges)
        if buffer is None:
            np.take(compiled.table, profile, axis=0, out=out[rows])
        else:  # gather rows into a cache-sized buffer, then write it out column by column
            part = buffer[: len(profile)]
            np.take(compiled.table, profile, axis=0, out=part)
            out[rows] = part
    return out


Col = npt.NDArray[Any]


def _profile_columns(
    policy: Policy,
    compiled: CompiledBenefits,
    tier: Any,
    segment_member: Any,
    plan_fee: Any,
    verification: Any,
    status: Any,
    credit_level: Any,
) -> tuple[Col, Col, Col, Col, Col, npt.NDArray[np.int64] | None]:
    """The columns :func:`check_benefits` reads, checked and of one length (the credit
    level ``None`` when not given and no rule gates on it)."""
    t = code_column(tier, "tier", policy.tiers.codes)
    seg = bool_column(segment_member, "segment_member")
    fee = int_column(plan_fee, "plan_fee", maximum=MAX_FEN)
    ver = code_column(verification, "verification", VERIFICATION_LABELS)
    sta = code_column(status, "status", STATUS_LABELS)
    columns: dict[str, npt.NDArray[Any]] = {
        "tier": t, "segment_member": seg, "plan_fee": fee, "verification": ver, "status": sta,
    }  # fmt: skip
    credit: npt.NDArray[np.int64] | None = None
    if credit_level is not None:
        credit = columns["credit_level"] = int_column(
            credit_level, "credit_level", minimum=1, maximum=10**6
        )
    elif compiled.credit_gated.any():
        names = [BENEFITS[j].code for j in np.flatnonzero(compiled.credit_gated)]
        raise InvalidInput(f"the policy gates {names} on the credit level: pass credit_level")
    same_length(**columns)
    return t, seg, fee, ver, sta, credit
