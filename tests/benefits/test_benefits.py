"""Benefit eligibility: who gets which exclusive service, quotas, hours, reasons, the whole-base matrix."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import numpy as np
import pytest
from hypothesis import given, strategies as st

import telcare as tc
from telcare import strategies as tcs
from telcare._core.limits import MAX_FEN

POLICY = tc.default_policy()


SH = ZoneInfo("Asia/Shanghai")


EIGHT = (
    "phone_manager", "green_channel", "priority_promotions", "hotline_seat",
    "free_sim_replacement", "remote_suspend_resume", "new_service_trial", "international_activation",
)  # fmt: skip


THREE_A = ("account_manager", "delayed_suspension", "website_zone", "club_community",
           "merchant_alliance", "airport_boarding", "club_magazine")  # fmt: skip


def person(**changes: Any) -> tc.Customer:
    base = tc.Customer("13800000001", activated_on=date(2009, 6, 1), plan_fee=tc.yuan(58))
    return attrs.evolve(base, **changes)


def codes(c: tc.Customer, **kw: Any) -> set[str]:
    return {d.code for d in tc.eligible_benefits(c, policy=POLICY, **kw)}


GOOD = {"tier": [0], "segment_member": [False], "plan_fee": [0], "verification": [0], "status": [0]}


def _with_rules(**changes: dict[str, Any] | None) -> tc.Policy:
    """The default policy with some benefit rules changed (a dict of fields) or removed (None)."""
    rules = {k: v.model_dump() for k, v in POLICY.benefits.rules.items()}
    for code, change in changes.items():
        if change is None:
            del rules[code]
        else:
            rules[code].update(change)
    return tc.Policy.model_validate({**POLICY.model_dump(), "benefits": {"rules": rules}})


# ---- the catalogue and who gets what


def test_catalogue_has_the_eight_the_3a_and_the_service_manager() -> None:
    assert tuple(b.code for b in tc.BENEFITS) == (*EIGHT, *THREE_A, "service_manager")
    assert all(b.name and b.name_zh for b in tc.BENEFITS)


def test_an_ordinary_customer_gets_nothing() -> None:
    assert codes(person()) == set()


def test_the_segment_gets_the_eight_and_the_merchant_alliance() -> None:
    # seed 002: the merchant alliance "覆盖所有高价值客户" (covers all high-value customers)
    assert codes(person(segments={"mid_high_end"})) == {*EIGHT, "merchant_alliance"}


def test_vip_card_gets_the_eight_and_most_3a() -> None:
    assert codes(person(tier="vip")) == set(EIGHT + THREE_A) - {
        "account_manager",
        "airport_boarding",
    }


@pytest.mark.parametrize("tier", ["silver", "gold", "diamond"])
def test_silver_and_up_get_everything(tier: str) -> None:
    assert codes(person(tier=tier)) == set(EIGHT + THREE_A)
    genuine_96 = person(tier=tier, plan_fee=tc.yuan(96), verification="genuine")
    assert codes(genuine_96) == {*EIGHT, *THREE_A, "service_manager"}


def test_the_phone_manager_and_the_service_manager_are_two_services() -> None:
    # seed 000: the phone manager is for the mid-to-high-end segment and VIPs;
    # seed 001: the service manager for plans >= 96 yuan, confirmed genuine.
    assert codes(person(plan_fee=tc.yuan(96), verification="genuine")) == {"service_manager"}
    assert codes(person(plan_fee=tc.yuan(96))) == set()  # unverified: waits for the callback
    assert codes(person(plan_fee=tc.yuan(96), verification="suspicious")) == set()
    assert codes(person(plan_fee=tc.yuan("95.99"), verification="genuine")) == set()
    assert "phone_manager" not in codes(person(plan_fee=tc.yuan(588), verification="genuine"))
    d = tc.check_benefit(person(plan_fee=tc.yuan(96)), "service_manager", policy=POLICY)
    assert d.reasons[:2] == (
        "qualifies: plan fee ¥96.00 >= ¥96.00",
        "unverified subscriber: service_manager is withheld until the identity is confirmed",
    )


def test_suspicious_customers_get_no_manager() -> None:
    got = codes(person(tier="gold", verification=tc.Verification.SUSPICIOUS))
    assert got == set(EIGHT + THREE_A) - {"phone_manager", "account_manager"}
    d = tc.check_benefit(
        person(tier="gold", verification="suspicious"), "account_manager", policy=POLICY
    )
    assert "suspicious subscriber" in d.reasons[1]


@pytest.mark.parametrize("status", [tc.AccountStatus.SUSPENDED, tc.AccountStatus.CLOSED])
def test_suspended_or_closed_accounts_get_nothing(status: tc.AccountStatus) -> None:
    assert codes(person(tier="diamond", status=status)) == set()
    d = tc.check_benefit(person(tier="diamond", status=status), "green_channel", policy=POLICY)
    assert f"account {status.name.lower()}: served only when active" in d.reasons


def test_credit_level_gate_and_unoffered_benefits() -> None:
    rules = dict(POLICY.benefits.rules)
    rules["delayed_suspension"] = rules["delayed_suspension"].model_copy(
        update={"min_credit_level": 3}
    )
    del rules["club_magazine"]
    policy = tc.Policy.model_validate(
        {
            **POLICY.model_dump(),
            "benefits": {"rules": {k: v.model_dump() for k, v in rules.items()}},
        }
    )
    low = tc.check_benefit(person(tier="gold", credit_level=2), "delayed_suspension", policy=policy)
    high = tc.check_benefit(
        person(tier="gold", credit_level=3), "delayed_suspension", policy=policy
    )
    assert (low.eligible, high.eligible) == (False, True)
    assert "credit level 2 < 3 required" in low.reasons
    gone = tc.check_benefit(person(tier="gold"), "club_magazine", policy=policy)
    assert (gone.eligible, gone.reasons) == (
        False,
        ("club_magazine is not offered under this policy",),
    )
    with pytest.raises(tc.InvalidInput, match="credit_level"):
        tc.check_benefits([3], [False], [0], [1], [0], policy=policy)
    m = tc.check_benefits(
        [3, 3], [False, False], [0, 0], [1, 1], [0, 0], credit_level=[2, 3], policy=policy
    )
    j = tc.BENEFIT_CODES.index("delayed_suspension")
    assert m[:, j].tolist() == [False, True]
    assert not m[:, tc.BENEFIT_CODES.index("club_magazine")].any()


def test_eligible_benefits_passes_policy_time_and_usage_through() -> None:
    gold = person(tier="gold")
    saturday = datetime(2026, 11, 21, 10, 0, tzinfo=SH)
    assert "phone_manager" not in codes(gold, at=saturday)
    assert "free_sim_replacement" not in codes(gold, usage={"free_sim_replacement": 2})
    left = {
        d.code: d.remaining
        for d in tc.eligible_benefits(gold, policy=POLICY, usage={"free_sim_replacement": 1})
    }
    assert left["free_sim_replacement"] == 1
    rules = dict(POLICY.benefits.rules)
    rules["green_channel"] = rules["green_channel"].model_copy(
        update={"tiers": ("diamond",), "segments": ()}
    )
    narrow = POLICY.model_copy(update={"benefits": tc.BenefitsPolicy(rules=rules)})
    assert "green_channel" not in {d.code for d in tc.eligible_benefits(gold, policy=narrow)}


# ---- quotas


@pytest.mark.parametrize(
    ("used", "eligible", "remaining"), [(0, True, 2), (1, True, 1), (2, False, 0), (5, False, 0)]
)
def test_quota_of_free_sim_replacements(used: int, eligible: bool, remaining: int) -> None:
    d = tc.check_benefit(person(tier="gold"), "free_sim_replacement", used=used, policy=POLICY)
    assert (d.eligible, d.remaining) == (eligible, remaining)
    assert f"used {used} of 2 free SIM replacements" in d.reasons[-1]


def test_benefits_without_quota_have_no_remaining() -> None:
    assert tc.check_benefit(person(tier="gold"), "green_channel", policy=POLICY).remaining is None


@given(st.integers(0, 10), st.integers(0, 20))
def test_quota_arithmetic(quota: int, used: int) -> None:
    rules = dict(POLICY.benefits.rules)
    rules["free_sim_replacement"] = rules["free_sim_replacement"].model_copy(
        update={"quota_per_cycle": quota}
    )
    policy = POLICY.model_copy(update={"benefits": tc.BenefitsPolicy(rules=rules)})
    d = tc.check_benefit(person(tier="gold"), "free_sim_replacement", used=used, policy=policy)
    assert d.remaining == max(0, quota - used)
    assert d.eligible == (used < quota)


# ---- service hours


@pytest.mark.parametrize(
    ("at", "eligible", "fragment"),
    [
        (datetime(2026, 11, 23, 8, 0, tzinfo=SH), True, "within service hours Mon-Fri 08:00-20:00"),
        (datetime(2026, 11, 23, 19, 59, tzinfo=SH), True, "within"),
        (datetime(2026, 11, 23, 20, 0, tzinfo=SH), False, "next opening Tue 24 Nov 08:00"),
        (datetime(2026, 11, 21, 10, 0, tzinfo=SH), False, "next opening Mon 23 Nov 08:00"),
        (datetime(2026, 11, 23, 1, 0, tzinfo=UTC), True, "within"),  # 09:00 in Shanghai
        (None, True, "no time given, not checked"),
    ],
)
def test_phone_manager_only_in_service_hours(
    at: datetime | None, eligible: bool, fragment: str
) -> None:
    d = tc.check_benefit(person(tier="gold"), "phone_manager", at=at, policy=POLICY)
    assert d.eligible is eligible
    assert fragment in d.reasons[-1]


def test_service_hours_are_read_in_the_policy_timezone() -> None:
    london = POLICY.model_copy(update={"timezone": "Europe/London"})
    at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday: 09:00 in London, 17:00 in Shanghai
    late = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # 13:00 in London, 21:00 in Shanghai
    assert tc.check_benefit(person(tier="gold"), "phone_manager", at=late, policy=london).eligible
    assert not tc.check_benefit(person(tier="gold"), "phone_manager", at=late).eligible
    assert tc.check_benefit(person(tier="gold"), "phone_manager", at=at).eligible


# ---- reasons


def test_every_gate_is_named_even_after_a_failure() -> None:
    c = person(status="suspended", verification="suspicious")
    d = tc.check_benefit(
        c, "phone_manager", at=datetime(2026, 11, 21, 10, tzinfo=SH), policy=POLICY
    )
    assert not d.eligible
    assert d.reasons[0].startswith(
        "does not qualify: tier ordinary is not one of vip, silver, gold, diamond"
    )
    assert len(d.reasons) == 4
    sm = tc.check_benefit(c, "service_manager", policy=POLICY)
    assert sm.reasons[0] == "does not qualify: plan fee ¥58.00 < ¥96.00"
    assert d.name == "One-to-one phone manager"


def test_every_reason_reads_in_full() -> None:
    gold = tc.check_benefit(person(tier="gold"), "free_sim_replacement")
    assert gold.reasons == (
        "qualifies: tier gold is one of vip, silver, gold, diamond",
        "account active",
        "used 0 of 2 free SIM replacements in the cycle, 2 left",
    )
    both = tc.check_benefit(person(tier="gold", segments={"mid_high_end"}), "green_channel")
    assert both.reasons[0] == (
        "qualifies: tier gold is one of vip, silver, gold, diamond; member of the mid_high_end segment"
    )
    closed = tc.check_benefit(person(tier="gold", status=tc.AccountStatus.CLOSED), "club_magazine")
    assert closed.reasons[1] == "account closed: served only when active"
    two = _with_rules(club_magazine={"statuses": ("active", "suspended")})
    closed = tc.check_benefit(person(tier="gold", status=2), "club_magazine", policy=two)
    assert closed.reasons[1] == "account closed: served only when active or suspended"
    credit = _with_rules(club_magazine={"min_credit_level": 2})
    ok = tc.check_benefit(person(tier="gold", credit_level=5), "club_magazine", policy=credit)
    assert ok.reasons == (
        "qualifies: tier gold is one of vip, silver, gold, diamond", "account active", "credit level 5 >= 2",
    )  # fmt: skip
    nothing = _with_rules(club_magazine={"tiers": (), "segments": ()})
    empty = tc.check_benefit(person(tier="gold"), "club_magazine", policy=nothing)
    assert empty.reasons[0] == "does not qualify: the rule names no tier, segment or plan fee"
    quota = _with_rules(hotline_seat={"quota_per_cycle": 3})
    seat = tc.check_benefit(person(tier="gold"), "hotline_seat", policy=quota, used=1)
    assert (
        seat.reasons[-1] == "used 1 of 3 uses of dedicated 10086 hotline seat in the cycle, 2 left"
    )
    gone = tc.check_benefit(
        person(tier="gold"), "club_magazine", policy=_with_rules(club_magazine=None)
    )
    assert gone.code == "club_magazine" and not gone.eligible


# ---- the whole-base matrix


def test_benefit_matrix_on_an_empty_base() -> None:
    assert tc.check_benefits([], [], [], [], [], policy=POLICY).shape == (0, len(tc.BENEFITS))


@given(tcs.policies(), st.data())
def test_matrix_equals_check_benefit_on_every_cell(policy: tc.Policy, data: st.DataObject) -> None:
    people = data.draw(st.lists(tcs.customers(policy=policy, max_months=0), max_size=12))
    m = tc.check_benefits(
        [policy.tiers.index(p.tier) for p in people],
        [policy.segment.code in p.segments for p in people],
        [p.plan_fee for p in people],
        [int(p.verification) for p in people],
        [int(p.status) for p in people],
        policy=policy,
    )
    assert m.shape == (len(people), len(tc.BENEFITS))
    for i, p in enumerate(people):
        for j, code in enumerate(tc.BENEFIT_CODES):
            assert m[i, j] == tc.check_benefit(p, code, policy=policy).eligible, (p, code)


def test_matrix_equals_check_benefit_on_every_profile() -> None:
    """Every tier, verification, status and membership, at fees around the gate: no sampling."""
    tiers, members, fees, verifications, statuses, people = [], [], [], [], [], []
    for t, tier in enumerate(POLICY.tiers.codes):
        for v in tc.Verification:
            for s in tc.AccountStatus:
                for member in (False, True):
                    for fee in (9_599, 9_600, 9_601):
                        tiers.append(t)
                        members.append(member)
                        fees.append(fee)
                        verifications.append(int(v))
                        statuses.append(int(s))
                        people.append(
                            person(tier=tier, plan_fee=fee, verification=v, status=s,
                                   segments={"mid_high_end"} if member else ())
                        )  # fmt: skip
    for policy in (
        POLICY,
        _with_rules(green_channel=None, hotline_seat={"statuses": ("suspended",)}),
    ):
        m = tc.check_benefits(tiers, members, fees, verifications, statuses, policy=policy)
        expected = [
            [tc.check_benefit(p, code, policy=policy).eligible for code in tc.BENEFIT_CODES]
            for p in people
        ]
        assert m.tolist() == expected


def test_matrix_credit_gates() -> None:
    gated = _with_rules(
        delayed_suspension={"min_credit_level": 1}, club_magazine={"min_credit_level": 4}
    )
    with pytest.raises(
        tc.InvalidInput,
        match=r"the policy gates \['delayed_suspension', 'club_magazine'\] on the credit level",
    ):
        tc.check_benefits([3], [False], [0], [1], [0], policy=gated)
    m = tc.check_benefits([0, 3, 3], [False] * 3, [0] * 3, [1] * 3, [0] * 3,
                          credit_level=[9, 1, 4], policy=gated)  # fmt: skip
    j, k = tc.BENEFIT_CODES.index("delayed_suspension"), tc.BENEFIT_CODES.index("club_magazine")
    assert m[:, j].tolist() == [False, True, True]  # a high credit level alone gives nothing
    assert m[:, k].tolist() == [False, False, True]
    for bad in (0, 10**6 + 1):
        with pytest.raises(tc.InvalidInput, match="credit_level"):
            tc.check_benefits([3], [False], [0], [1], [0], credit_level=[bad], policy=gated)
    assert tc.check_benefits([3], [False], [0], [1], [0], credit_level=[10**6], policy=gated).any()


def test_matrix_is_the_same_across_its_internal_blocks() -> None:
    """check_benefits works block by block; a base of several blocks gives the row-by-row answer."""
    rng = np.random.default_rng(11)
    n = 2 * (1 << 14) + 99
    columns = {
        "tier": rng.integers(0, 5, n),
        "segment_member": rng.random(n) < 0.3,
        "plan_fee": rng.choice(np.array([5_800, 9_599, 9_600, 12_800]), n),
        "verification": rng.integers(0, 3, n),
        "status": rng.integers(0, 3, n),
        "credit_level": rng.integers(1, 6, n),
    }
    gated = _with_rules(delayed_suspension={"min_credit_level": 3})
    whole = tc.check_benefits(**columns, policy=gated)
    pieces = [
        tc.check_benefits(**{k: v[i : i + 700] for k, v in columns.items()}, policy=gated)
        for i in range(0, n, 700)
    ]
    np.testing.assert_array_equal(whole, np.concatenate(pieces))
    for i in (0, (1 << 14) - 1, 1 << 14, n - 1):  # rows at the block edges, one by one
        row = {k: v[i : i + 1] for k, v in columns.items()}
        np.testing.assert_array_equal(whole[i], tc.check_benefits(**row, policy=gated)[0])


# ---- refusals


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (
            lambda: tc.check_benefit(person(), "spa_day"),
            "unknown benefit code 'spa_day'; known codes: phone_manager",
        ),
        (
            lambda: tc.check_benefit(person(), "green_channel", used=-1),
            "used must be >= 0, got -1",
        ),
        (lambda: tc.check_benefit(person(), "green_channel", used=1.0), "1.0"),
        (lambda: tc.check_benefit(person(), "phone_manager", at=datetime(2026, 1, 1, 9)), "naive"),
        (lambda: tc.check_benefit(person(tier="platinum"), "phone_manager"), "'platinum'"),
        (lambda: tc.check_benefit("c1", "phone_manager"), "telcare.Customer"),
        (lambda: tc.eligible_benefits(person(), usage={"spa_day": 1}), "'spa_day'"),
    ],
)
def test_benefit_bad_inputs(call: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"tier": [5]}, "tier must be <= 4, got 5"),
        ({"tier": [-1]}, "tier must be >= 0"),
        ({"segment_member": [3]}, "segment_member must hold booleans"),
        ({"plan_fee": [-100]}, "plan_fee must be >= 0, got -100"),
        ({"plan_fee": [float("inf")]}, "plan_fee must be finite"),
        ({"verification": [3]}, "verification must be <= 2, got 3"),
        ({"status": [9]}, "status must be <= 2, got 9"),
        ({"status": [0, 0]}, "equal lengths"),
        ({"tier": ["platinum"]}, "tier has the unknown label 'platinum' at index 0"),
    ],
)
def test_benefit_matrix_bad_columns(change: dict[str, Any], fragment: str) -> None:
    columns = {k: np.array(v) for k, v in {**GOOD, **change}.items()}
    with pytest.raises(tc.InvalidInput) as info:
        tc.check_benefits(**columns, policy=POLICY)
    assert fragment in str(info.value)


def test_matrix_refusals_name_their_column() -> None:
    with pytest.raises(tc.InvalidInput, match="plan_fee"):
        tc.check_benefits([0], [False], [MAX_FEN + 1], [1], [0])
    assert tc.check_benefits([0], [False], [MAX_FEN], [1], [0])[0, -1]  # the service manager
    with pytest.raises(
        tc.InvalidInput,
        match="tier=2, segment_member=2, plan_fee=2, verification=2, status=1",
    ):
        tc.check_benefits([0, 1], [False, True], [0, 0], [1, 1], [0])


def test_check_benefit_refusals_name_what_is_wrong() -> None:
    with pytest.raises(tc.InvalidInput, match="known codes: phone_manager, green_channel, "):
        tc.check_benefit(person(), "valet_parking")
    with pytest.raises(tc.InvalidInput, match=r"needs a telcare\.Customer, got str"):
        tc.check_benefit("13800000001", "phone_manager")  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match=r"\bat\b"):
        tc.check_benefit(person(tier="gold"), "phone_manager", at=datetime(2026, 11, 23, 10, 0))


def test_uses_beyond_the_points_bound_are_refused() -> None:
    c = tc.Customer("c", activated_on=date(2010, 1, 1), plan_fee=0, tier="gold")
    with pytest.raises(
        tc.InvalidInput, match=r"^used must be <= 1000000000000000, got 1000000000000001$"
    ):
        tc.check_benefit(c, "free_sim_replacement", used=10**15 + 1)


def test_label_columns_are_read_like_codes() -> None:
    """Tier, verification and status columns may hold labels (text or a pandas categorical)."""
    import pandas as pd

    codes = tc.check_benefits(
        [3, 1, 0], [False, True, False], [12_800, 5_800, 9_600], [1, 2, 0], [0, 0, 1]
    )
    labels = tc.check_benefits(pd.Series(["gold", "vip", "ordinary"], dtype="category"), [False, True, False],
                               [12_800, 5_800, 9_600], ["genuine", "suspicious", "unverified"],
                               np.array(["active", "active", "suspended"], dtype=object))  # fmt: skip
    assert (codes == labels).all()
    assert tc.evaluate_tiers([55_000], [12], ["silver"]).tier_codes().tolist() == ["gold"]
    with pytest.raises(tc.InvalidInput, match="verification is missing at index 1"):
        tc.check_benefits([0, 0], [0, 0], [0, 0], ["genuine", None], [0, 0])


def test_the_compiled_benefits_hold_only_tables_and_their_memo_goes_with_them() -> None:
    """The remembered decisions live beside the frozen compiled value, keyed by it: the
    value holds no mutable field, and its memo is dropped when the value is."""
    import gc

    import attrs

    import telcare.benefits._memo as benefits_module

    policy = tc.Policy()
    compiled = tc.compile_policy(policy).benefits
    for field in attrs.fields(type(compiled)):
        assert not isinstance(getattr(compiled, field.name), dict | list | set), field.name
    with pytest.raises(TypeError):
        compiled.tier_index["gold"] = 0  # type: ignore[index]
    tc.eligible_benefits(tc.Customer("a", date(2009, 1, 1), 12_800, tier="gold"), policy=policy)
    key = id(compiled)
    assert benefits_module.MEMOS[key].eligible
    del compiled, policy
    gc.collect()
    assert key not in benefits_module.MEMOS


def test_remembered_decisions_equal_fresh_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    """Decisions are remembered per compiled policy by their inputs; what comes back from
    memory equals a fresh decision, for another customer alike, and after the memory is
    emptied at its bound.  A time (service hours) is always checked afresh."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import telcare.benefits._memo as benefits_module

    policy = tc.Policy()
    compiled = tc.compile_policy(policy).benefits
    a = tc.Customer("a", date(2009, 1, 1), 12_800, tier="gold", verification="genuine")
    b = tc.Customer("b", date(2011, 5, 1), 12_800, tier="gold", verification="genuine")
    first = tc.eligible_benefits(a, policy=policy)
    memo = benefits_module.memo_of(compiled)
    assert memo.eligible and memo.decisions
    assert tc.eligible_benefits(b, policy=policy) == first
    fresh = tuple(
        d for d in (tc.check_benefit(a, x, policy=policy) for x in tc.BENEFIT_CODES) if d.eligible
    )
    assert fresh == first
    monkeypatch.setattr(benefits_module, "_MEMO_LIMIT", 2)
    for tier in policy.tiers.codes:
        c = tc.Customer("c", date(2009, 1, 1), 5_800, tier=tier)
        once, again = tc.eligible_benefits(c, policy=policy), tc.eligible_benefits(c, policy=policy)
        assert once == again and len(memo.decisions) <= 2 and len(memo.eligible) <= 2
        assert once == tuple(d for d in (tc.check_benefit(c, x, policy=policy) for x in tc.BENEFIT_CODES)
                             if d.eligible)  # fmt: skip
    saturday = datetime(2026, 11, 21, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    weekday = datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    on_saturday = {d.code for d in tc.eligible_benefits(a, policy=policy, at=saturday)}
    on_weekday = {d.code for d in tc.eligible_benefits(a, policy=policy, at=weekday)}
    assert "phone_manager" in on_weekday and "phone_manager" not in on_saturday
