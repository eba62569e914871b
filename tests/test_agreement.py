"""One rule, two forms: the one-customer and whole-base forms agree element by element.

Each property draws inputs from the full range the validators accept (the
bounds of ``telcare._core.limits``, thresholds exactly, empty and one-row bases)
and any valid policy the strategies build, and checks the whole-base answer
against the one-customer answer row by row, and against exact arithmetic
where the rule is arithmetic.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings, strategies as st

import telcare as tc
from telcare import strategies as tcs
from telcare._core import kernels
from telcare._core.limits import MAX_AVG_SPEND, MAX_BILL, MAX_FEN
from telcare.compiled import compile_policy
from telcare.moments._contract import contract_window
from telcare.moments._credit_alert import credit_colour
from telcare.moments._points_expiry import points_expiry_window
from telcare.moments._usage_anomaly import anomaly_drop

POLICY = tc.default_policy()


def _edges(high: int, *marks: int) -> st.SearchStrategy[int]:
    """Any value in [0, high], drawn often at the edges and at the policy's marks."""
    specials = sorted(
        {0, 1, high - 1, high, *(m for mark in marks for m in (mark - 1, mark, mark + 1))}
    )
    return st.one_of(st.sampled_from([v for v in specials if 0 <= v <= high]), st.integers(0, high))


def _columns(strategy: st.SearchStrategy[Any], size: int = 20) -> st.SearchStrategy[list[Any]]:
    return st.lists(strategy, min_size=0, max_size=size)


def _quota_zero_policy() -> tc.Policy:
    rules = dict(POLICY.benefits.rules)
    rules["free_sim_replacement"] = rules["free_sim_replacement"].model_copy(
        update={"quota_per_cycle": 0}
    )
    return POLICY.model_copy(update={"benefits": tc.BenefitsPolicy(rules=rules)})


POLICIES = st.one_of(st.just(POLICY), st.just(_quota_zero_policy()), tcs.policies())


# ------------------------------------------------------------------- tiers


@given(policy=POLICIES, data=st.data())
def test_tiers_agree_row_by_row(policy: tc.Policy, data: st.DataObject) -> None:
    mode = data.draw(st.sampled_from(["to_qualifying", "one_down"]))
    policy = policy.model_copy(
        update={"tiers": policy.tiers.model_copy(update={"downgrade": mode})}
    )
    ct = compile_policy(policy).tiers
    top = len(ct.codes) - 1
    rows = data.draw(
        _columns(
            st.tuples(
                _edges(MAX_AVG_SPEND, *ct.thresholds),
                _edges(10_000, *ct.min_months),
                st.integers(0, top),
                _edges(10**9, policy.tiers.downgrade_after),
            )
        )
    )
    avg, months, current, missed = (
        (np.array(c, dtype=np.int64) for c in zip(*rows, strict=True))
        if rows
        else (np.zeros(0, np.int64),) * 4
    )
    batch = tc.evaluate_tiers(avg, months, current, missed, policy=policy)
    for i, (a, m, c, k) in enumerate(rows):
        q = kernels.qualified_tier(a, m, ct.thresholds, ct.min_months)
        reference = max(
            j for j in range(top + 1) if a >= ct.thresholds[j] and m >= ct.min_months[j]
        )
        assert q == reference == batch.qualified[i]
        tier, after = kernels.tier_transition(
            c, q, k, ct.downgrade_after, one_down=mode == "one_down"
        )
        falls = q < c and k + 1 >= ct.downgrade_after
        expected = (
            (q, 0) if q >= c else ((c - 1 if mode == "one_down" else q), 0) if falls else (c, k + 1)
        )
        assert (tier, after) == expected == (batch.tier[i], batch.missed[i])


@given(policy=POLICIES, data=st.data())
def test_evaluate_tier_agrees_with_evaluate_tiers(policy: tc.Policy, data: st.DataObject) -> None:
    ct = compile_policy(policy).tiers
    spend = data.draw(st.lists(_edges(10**9, *ct.thresholds), max_size=policy.tiers.window_months))
    tier = data.draw(st.sampled_from(ct.codes))
    missed = data.draw(st.integers(0, 5))
    c = tc.Customer(
        "c", date(2010, 1, 1), 0, monthly_spend=spend, tier=tier, missed_evaluations=missed
    )
    one = tc.evaluate_tier(c, policy=policy)
    avg = sum(spend) // len(spend) if spend else 0
    many = tc.evaluate_tiers([avg], [len(spend)], [ct.codes.index(tier)], [missed], policy=policy)
    assert (one.tier, one.missed_evaluations) == (many.tier_codes()[0], many.missed[0])


# ------------------------------------------------------------------ points


@st.composite
def _bound_policies(draw: st.DrawFn) -> tc.Policy:
    """Policies at the limits: the largest rates and multipliers the validators accept."""
    multiplier = draw(st.sampled_from(["1", "1.0001", "99.9999", "100", "1.1", "1.25"]))
    return tc.Policy(
        points=tc.PointsPolicy(
            per_yuan=draw(st.sampled_from([0, 1, 100])),
            data_per_yuan=draw(st.sampled_from([0, 1, 100])),
            tier_multipliers={"gold": multiplier, "diamond": "99.9999"},
        )
    )


@given(policy=st.one_of(POLICIES, _bound_policies()), data=st.data())
def test_accrual_agrees_and_is_exact_at_the_bounds(policy: tc.Policy, data: st.DataObject) -> None:
    codes = policy.tiers.codes
    bills = data.draw(
        _columns(
            st.tuples(
                _edges(MAX_BILL, 99, 100, 101),
                st.booleans(),
                st.sampled_from(range(len(codes))),
                st.integers(0, 3),
            ),
            size=8,
        )
    )
    rows = [
        (s, s // 3 if half else 0, bool(k % 2), t, y)
        for s, half, t, y, k in ((*b, i) for i, b in enumerate(bills))
    ]
    if rows:
        spend, data_spend, paid, tier, years = (list(c) for c in zip(*rows, strict=True))
    else:
        spend = data_spend = paid = tier = years = []
    batch = tc.points_for_bills(spend, data_spend, paid, tier, years, policy=policy)
    assert batch.dtype == np.int64 and len(batch) == len(rows)
    pts = policy.points
    for i, (s, d, p, t, y) in enumerate(rows):
        month = date(2010, 3, 1)
        activated = date(2010 - y, 3 if y else 4, 15)
        c = tc.Customer("c", activated, 0, tier=codes[t])
        one = tc.points_for_bill(c, month, s, d, p, policy=policy)
        exact = (
            int(Fraction(s // 100 * pts.per_yuan) * Fraction(policy.tier_multiplier(codes[t])))
            + d // 100 * pts.data_per_yuan
            + (pts.credit_per_month if p else 0)
            + (pts.tenure_per_year if y else 0)
        )
        assert one.total == exact == batch[i]


# ---------------------------------------------------------------- benefits


@given(policy=POLICIES, data=st.data())
def test_benefits_agree_for_every_benefit(policy: tc.Policy, data: st.DataObject) -> None:
    codes = policy.tiers.codes
    gated = any(r.min_credit_level for r in policy.benefits.rules.values())
    levels = sorted(policy.credit.allowances)
    rows = data.draw(
        _columns(
            st.tuples(
                st.sampled_from(range(len(codes))),
                st.booleans(),
                _edges(MAX_FEN, 9_600, 12_600),
                st.sampled_from(list(tc.Verification)),
                st.sampled_from(list(tc.AccountStatus)),
                st.sampled_from(levels),
            ),
            size=10,
        )
    )
    cols = [list(c) for c in zip(*rows, strict=True)] if rows else [[]] * 6
    matrix = tc.check_benefits(
        cols[0], cols[1], cols[2], [int(v) for v in cols[3]], [int(s) for s in cols[4]],
        credit_level=cols[5] if gated else None, policy=policy,
    )  # fmt: skip
    assert matrix.shape == (len(rows), len(tc.BENEFITS))
    for i, (t, member, fee, ver, status, level) in enumerate(rows):
        segments = {policy.segment.code} if member else set()
        c = tc.Customer(
            "c", date(2009, 1, 1), fee, tier=codes[t], segments=segments,
            verification=ver, status=status, credit_level=level,
        )  # fmt: skip
        for j, benefit in enumerate(tc.BENEFITS):
            assert tc.check_benefit(c, benefit.code, policy=policy).eligible == matrix[i, j]


def test_a_quota_of_zero_is_ineligible_in_both_forms() -> None:
    policy = _quota_zero_policy()
    gold = tc.Customer("c", date(2009, 1, 1), 0, tier="gold")
    j = tc.BENEFIT_CODES.index("free_sim_replacement")
    assert not tc.check_benefit(gold, "free_sim_replacement", policy=policy).eligible
    assert not tc.check_benefits([3], [False], [0], [0], [0], policy=policy)[0, j]
    assert tc.check_benefits([3], [False], [0], [0], [0])[0, j]


# ----------------------------------------------------------------- moments


@given(
    rows=_columns(st.tuples(_edges(MAX_FEN, 12_000, 15_000), _edges(MAX_FEN, 15_000))),
    levels=st.sampled_from(
        [("0.8", "0.9"), ("0.0001", "0.0002"), ("0.9998", "0.9999"), ("0.5", "0.8")]
    ),
)
def test_credit_colours_agree_and_are_exact(
    rows: list[tuple[int, int]], levels: tuple[str, str]
) -> None:
    yellow, orange = levels
    policy = tc.Policy(moments=tc.MomentsPolicy(credit_yellow=yellow, credit_orange=orange))
    used = [u for u, _ in rows]
    allowance = [a for _, a in rows]
    scan = tc.scan_moments(date(2010, 1, 1), used=used, allowance=allowance, policy=policy)
    for i, (u, a) in enumerate(rows):
        one = credit_colour(u, a, policy.moments)
        share = Fraction(u, a) if a else None
        exact = (
            (3 if u else 0)
            if share is None
            else sum(share >= Fraction(level) for level in (yellow, orange, "1"))
        )
        assert one == exact == scan.colour[i]  # type: ignore[index]


@given(
    rows=_columns(st.tuples(_edges(MAX_FEN, 5_000), _edges(MAX_FEN, 10_000))),
    drop=st.sampled_from(["0.5", "0.0001", "0.9999", "1"]),
)
def test_usage_drops_agree_and_are_exact(rows: list[tuple[int, int]], drop: str) -> None:
    policy = tc.Policy(moments=tc.MomentsPolicy(anomaly_drop=drop))
    spend = [s for s, _ in rows]
    mean = [m for _, m in rows]
    scan = tc.scan_moments(date(2010, 1, 1), month_spend=spend, trailing_mean=mean, policy=policy)
    for i, (s, m) in enumerate(rows):
        exact = m > 0 and Fraction(m - s, m) >= Fraction(drop)
        assert anomaly_drop(s, m, policy.moments) == exact == scan.due["usage_anomaly"][i]


DAYS = st.dates(date(1900, 1, 1), date(2100, 12, 31))


@given(ends=_columns(DAYS), as_of=DAYS, before=st.integers(0, 3660), lead=st.integers(0, 3660))
def test_contract_windows_agree(ends: list[date], as_of: date, before: int, lead: int) -> None:
    m = tc.MomentsPolicy(contract_days_before=before, contract_lead_days=lead)
    scan = tc.scan_moments(
        as_of, contract_ends_on=np.array(ends, dtype="datetime64[D]"), policy=tc.Policy(moments=m)
    )
    for i, end in enumerate(ends):
        opened, due = contract_window(end, m)
        assert (opened, due) == (end - timedelta(days=before + lead), end - timedelta(days=before))
        assert scan.opened_on["contract_expiry"][i] == np.datetime64(opened)
        assert scan.due_by["contract_expiry"][i] == np.datetime64(due)
        assert scan.due["contract_expiry"][i] == (opened <= as_of)


@given(expires=_columns(DAYS), as_of=DAYS, window=st.integers(0, 400), contact=st.integers(0, 400))
def test_points_expiry_windows_agree(
    expires: list[date], as_of: date, window: int, contact: int
) -> None:
    m = tc.MomentsPolicy(points_expiry_days=window, points_expiry_contact_days=contact)
    scan = tc.scan_moments(
        as_of, expiring_points=[1] * len(expires),
        expires_on=np.array(expires, dtype="datetime64[D]"), policy=tc.Policy(moments=m),
    )  # fmt: skip
    for i, day in enumerate(expires):
        opened, due = points_expiry_window(day, m)
        assert due == min(day, opened + timedelta(days=contact))
        assert scan.due_by["points_expiry"][i] == np.datetime64(due)
        assert scan.due["points_expiry"][i] == (as_of <= day <= as_of + timedelta(days=window))


@settings(max_examples=60)
@given(births=_columns(DAYS, size=10), as_of=DAYS, before=st.integers(0, 40))
def test_birthdays_agree(births: list[date], as_of: date, before: int) -> None:
    policy = tc.Policy(moments=tc.MomentsPolicy(birthday_days_before=before))
    scan = tc.scan_moments(as_of, birthday=np.array(births, dtype="datetime64[D]"), policy=policy)
    for i, born in enumerate(births):
        c = tc.Customer("c", date(2000, 1, 1), 0, birthday=born)
        actions = tc.due_actions(c, [], as_of=as_of, policy=policy)
        assert scan.due["birthday"][i] == bool(actions)
        if actions:
            assert scan.due_by["birthday"][i] == np.datetime64(actions[0].due_by)


def test_birthdays_far_outside_the_calendar_are_refused_at_once() -> None:
    far = np.array(["2000-03-01", "-200000-01-01", "200000-03-01"], dtype="datetime64[D]")
    with pytest.raises(tc.InvalidInput, match=r"birthday must hold dates between .* at index 1"):
        tc.scan_moments(date(2010, 3, 1), birthday=far)
    near = np.array(["1900-01-01", "2999-12-31", "NaT"], dtype="datetime64[D]")
    assert tc.scan_moments(date(2010, 1, 1), birthday=near).due["birthday"].tolist() == [
        True, False, False,
    ]  # fmt: skip


# ------------------------------------------------------ credit and metrics


@given(
    rows=_columns(
        st.tuples(_edges(10**13, 5_000, 15_000), st.integers(1, 5), _edges(10**9, 200)),
    )
)
def test_suspensions_agree(rows: list[tuple[int, int, int]]) -> None:
    cols = [list(c) for c in zip(*rows, strict=True)] if rows else [[]] * 3
    batch = tc.check_suspensions(*cols)
    for i, (arrears, level, sms) in enumerate(rows):
        assert tc.check_suspension(arrears, level, sms).suspend == batch[i]


@given(
    rows=_columns(st.tuples(_edges(10**12), _edges(10**12))),
    level=st.sampled_from([0.8, 0.95, 0.99]),
)
@example(rows=[(1, 371907)], level=0.8)  # Python's float ** 0.5 was one bit off numpy's sqrt
def test_wilson_intervals_agree(rows: list[tuple[int, int]], level: float) -> None:
    rates = [tc.Rate(min(a, b), max(a, b)) for a, b in rows]
    groups = tc.rates_by_group(
        list(range(len(rates))), [r.numerator for r in rates], [r.denominator for r in rates],
        level=level,
    )  # fmt: skip
    for i, rate in enumerate(rates):
        assert rate.ci(level) == (groups.low[i], groups.high[i])
