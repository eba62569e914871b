"""Credit allowances and suspension, one account and a whole base."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, strategies as st

import telcare as tc

POLICY = tc.default_policy()


TIGHT = tc.Policy.model_validate(
    {"credit": {"allowances": {"1": 100, "7": 900}, "spam_sms_per_hour": 10}}
)


# ---- allowances and suspension


@pytest.mark.parametrize(
    ("level", "fen"), [(1, 5_000), (2, 15_000), (3, 30_000), (4, 60_000), (5, 100_000)]
)
def test_allowances(level: int, fen: int) -> None:
    assert tc.credit_allowance(level, policy=POLICY) == fen


def test_seed_level_2_may_run_150_yuan_into_arrears() -> None:
    ok = tc.check_suspension(tc.yuan("150.00"), 2, 0, policy=POLICY)
    over = tc.check_suspension(tc.yuan("150.01"), 2, 0, policy=POLICY)
    assert (ok.suspend, over.suspend) == (False, True)
    assert ok.reasons == ("arrears ¥150.00 within the level-2 allowance of ¥150.00 (¥0.00 left)",)
    assert over.reasons == ("arrears ¥150.01 exceed the level-2 allowance of ¥150.00",)
    assert over.headroom == -1


def test_spam_guard_suspends_whatever_the_level() -> None:
    s = tc.check_suspension(1, 5, 201, policy=POLICY)
    assert s.suspend and "spam guard" in s.reasons[1]
    assert not tc.check_suspension(1, 5, 200, policy=POLICY).suspend


def test_spam_without_arrears_does_not_suspend() -> None:
    s = tc.check_suspension(0, 1, 5_000, policy=POLICY)
    assert not s.suspend
    assert "not in arrears" in s.reasons[1]


def test_credit_follows_the_policy() -> None:
    assert tc.credit_allowance(7, policy=TIGHT) == 900
    s = tc.check_suspension(101, 1, 0, policy=TIGHT)
    assert (s.suspend, s.allowance, s.headroom) == (True, 100, -1)
    spam = tc.check_suspension(1, 7, 11, policy=TIGHT)
    assert spam.suspend and spam.reasons[1].startswith(
        "sent 11 SMS in the last hour (> 10) while in arrears"
    )
    at_limit = tc.check_suspension(1, 7, 10, policy=TIGHT)
    assert (at_limit.suspend, len(at_limit.reasons)) == (False, 1)
    assert tc.check_suspensions(
        [101, 1, 1, 0], [1, 7, 7, 7], [0, 11, 10, 50], policy=TIGHT
    ).tolist() == [
        True,
        True,
        False,
        False,
    ]
    with pytest.raises(tc.InvalidInput, match=r"^credit_level must be <= 7, got 8 at index 0$"):
        tc.check_suspensions([0], [8], [0], policy=TIGHT)


# ---- the whole-base form


def test_batch_names_a_level_missing_from_a_sparse_policy() -> None:
    policy = tc.Policy.model_validate({"credit": {"allowances": {"1": 5000, "3": 30000}}})
    with pytest.raises(tc.InvalidInput, match="unknown credit level 2 at index 1"):
        tc.check_suspensions([0, 0], [1, 2], [0, 0], policy=policy)


@given(
    st.lists(
        st.tuples(st.integers(0, 200_000), st.integers(1, 5), st.integers(0, 400)), max_size=40
    )
)
def test_batch_equals_scalar(rows: list[tuple[int, int, int]]) -> None:
    arrears, levels, sms = (list(col) for col in zip(*rows, strict=True)) if rows else ([], [], [])
    batch = tc.check_suspensions(np.array(arrears, dtype=np.int64), levels, sms, policy=POLICY)
    assert batch.tolist() == [
        tc.check_suspension(a, lv, s, policy=POLICY).suspend for a, lv, s in rows
    ]


# ---- refusals


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (
            lambda: tc.credit_allowance(6),
            "unknown credit level 6; the policy defines levels [1, 2, 3, 4, 5]",
        ),
        (lambda: tc.credit_allowance(True), "True"),
        (lambda: tc.check_suspension(-1, 2, 0), "arrears must be >= 0"),
        (lambda: tc.check_suspension(1.5, 2, 0), "arrears must be an int, got float 1.5"),
        (lambda: tc.check_suspension(0, 0, 0), "unknown credit level 0"),
        (lambda: tc.check_suspension(0, 2, -1), "sms_last_hour must be >= 0"),
        (lambda: tc.check_suspensions([1], [9], [0]), "credit_level must be <= 5, got 9"),
        (lambda: tc.check_suspensions([1, 2], [1], [0]), "equal lengths"),
        (lambda: tc.check_suspensions([-5], [1], [0]), "arrears must be >= 0, got -5"),
    ],
)
def test_credit_bad_inputs(call: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    assert fragment in str(info.value)


def test_credit_messages_and_limits() -> None:
    assert (
        tc.check_suspension(0, 1, 10**9)
        .reasons[1]
        .endswith("but not in arrears: no spam suspension")
    )
    assert tc.check_suspension(0, 1, 200).reasons == (
        "arrears ¥0.00 within the level-1 allowance of ¥50.00 (¥50.00 left)",
    )
    with pytest.raises(
        tc.InvalidInput, match=r"^sms_last_hour must be <= 1000000000, got 1000000001$"
    ):
        tc.check_suspension(0, 1, 10**9 + 1)
    with pytest.raises(
        tc.InvalidInput, match=r"^arrears must be <= 10000000000000, got 10000000000001$"
    ):
        tc.check_suspension(10**13 + 1, 1, 0)
    with pytest.raises(
        tc.InvalidInput, match=r"^sms_last_hour must be <= 1000000000, got 1000000001 at index 0$"
    ):
        tc.check_suspensions([0], [1], [10**9 + 1])
    with pytest.raises(
        tc.InvalidInput, match=r"^arrears must be <= 10000000000000, got 10000000000001 at index 0$"
    ):
        tc.check_suspensions([10**13 + 1], [1], [0])
    with pytest.raises(tc.InvalidInput, match=r"^credit_level must be >= 1, got 0 at index 0$"):
        tc.check_suspensions([0], [0], [0])
    assert tc.check_suspensions([10**13], [5], [10**9]).tolist() == [True]


def test_refusals_name_the_level_and_the_columns_exactly() -> None:
    with pytest.raises(tc.InvalidInput, match=r"^credit level must be an int, got bool True$"):
        tc.credit_allowance(True)  # type: ignore[arg-type]
    with pytest.raises(
        tc.InvalidInput, match=r"^unknown credit level -1; the policy defines levels"
    ):
        tc.credit_allowance(-1)
    with pytest.raises(
        tc.InvalidInput,
        match=r"^columns must have equal lengths, got arrears=1, credit_level=2, sms_last_hour=1$",
    ):
        tc.check_suspensions([0], [1, 2], [0])


def test_a_level_with_no_allowance_is_a_level_not_an_unknown_one() -> None:
    policy = tc.Policy.model_validate({"credit": {"allowances": {1: 0, 2: 100}}})
    assert tc.check_suspensions([0, 1], [1, 1], [0, 0], policy=policy).tolist() == [False, True]
    assert tc.check_suspension(1, 1, 0, policy=policy).suspend


# ---- delayed suspension for high credit (seed 002: 高信用度延迟停机)


def test_delayed_suspension_holds_a_high_credit_holder_for_its_days() -> None:
    over = tc.yuan(1_200)  # level 5's allowance is 1,000 yuan
    plain = tc.check_suspension(over, 5, 0, policy=POLICY)
    assert plain.suspend and plain.held_days == 0
    for days, held in [(0, 7), (6, 1), (7, 0), (30, 0)]:
        s = tc.check_suspension(over, 5, 0, delayed=True, days_over=days, policy=POLICY)
        assert (s.suspend, s.held_days) == (held == 0, held)
    used = tc.check_suspension(over, 5, 0, delayed=True, days_over=7, policy=POLICY)
    assert used.reasons[1] == (
        "delayed suspension for high credit: the 7 days of level 5 are used (7 days over)"
    )
    four = tc.check_suspension(tc.yuan(601), 4, 0, delayed=True, days_over=2, policy=POLICY)
    assert (four.suspend, four.held_days) == (False, 1)


def test_levels_without_a_delay_and_spam_are_never_held() -> None:
    low = tc.check_suspension(tc.yuan(151), 2, 0, delayed=True, policy=POLICY)
    assert low.suspend and low.reasons[1] == "level 2 has no delayed suspension"
    spam = tc.check_suspension(tc.yuan(1_200), 5, 201, delayed=True, policy=POLICY)
    assert spam.suspend and spam.held_days == 0
    within = tc.check_suspension(tc.yuan(900), 5, 0, delayed=True, days_over=0, policy=POLICY)
    assert not within.suspend and within.held_days == 0 and len(within.reasons) == 1


def test_the_delayed_suspension_benefit_feeds_the_decision() -> None:
    from datetime import date

    gold = tc.Customer("c", date(2008, 1, 1), tc.yuan(288), tier="gold", credit_level=5)
    holds = tc.check_benefit(gold, "delayed_suspension", policy=POLICY).eligible
    assert holds
    s = tc.check_suspension(tc.yuan(1_200), gold.credit_level, 0, delayed=holds, policy=POLICY)
    assert not s.suspend


@given(
    arrears=st.lists(st.integers(0, 200_000), min_size=1, max_size=20),
    data=st.data(),
)
def test_batch_delays_agree_with_the_one_account_rule(arrears: list[int], data: Any) -> None:
    n = len(arrears)
    levels = data.draw(st.lists(st.integers(1, 5), min_size=n, max_size=n))
    sms = data.draw(st.lists(st.sampled_from([0, 201]), min_size=n, max_size=n))
    delayed = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    days = data.draw(st.lists(st.integers(0, 10), min_size=n, max_size=n))
    batch = tc.check_suspensions(
        arrears, levels, sms, delayed=delayed, days_over=days, policy=POLICY
    )
    for i in range(n):
        one = tc.check_suspension(arrears[i], levels[i], sms[i], delayed=delayed[i],
                                  days_over=days[i], policy=POLICY)  # fmt: skip
        assert bool(batch[i]) == one.suspend


def test_delay_columns_default_as_the_one_customer_keywords_and_are_checked() -> None:
    """#28: one delay column alone was refused ("go together") where check_suspension
    answers with its defaults (delayed False, days_over 0): every form now reads them so."""
    over = [tc.yuan(1_200), tc.yuan(1_200), tc.yuan(151)]
    levels, sms = [5, 5, 2], [0, 0, 0]
    alone = tc.check_suspensions(over, levels, sms, delayed=[True, False, True], policy=POLICY)
    one = [tc.check_suspension(a, lv, 0, delayed=d, policy=POLICY).suspend
           for a, lv, d in zip(over, levels, [True, False, True], strict=True)]  # fmt: skip
    assert alone.tolist() == one == [False, True, True]
    days = tc.check_suspensions(over, levels, sms, days_over=[9, 9, 9], policy=POLICY)
    assert days.tolist() == [True, True, True]
    with pytest.raises(tc.InvalidInput, match="days_over must be >= 0"):
        tc.check_suspensions([1], [5], [0], days_over=[-1])
    with pytest.raises(tc.InvalidInput, match=r"got arrears=1, delayed=2$"):
        tc.check_suspensions([1], [5], [0], delayed=[True, True])
    with pytest.raises(tc.InvalidInput, match="days_over must be >= 0"):
        tc.check_suspensions([1], [5], [0], delayed=[True], days_over=[-1])
    with pytest.raises(tc.InvalidInput, match="delayed must be a bool"):
        tc.check_suspension(1, 5, 0, delayed=1)  # type: ignore[arg-type]


def test_delays_must_name_defined_levels_when_set() -> None:
    with pytest.raises(ValueError, match=r"names levels \[9\]"):
        tc.Policy.model_validate({"credit": {"suspension_delay_days": {"9": 3}}})
    # a policy with its own levels and the default delays simply has no delay that applies
    assert tc.check_suspension(101, 1, 0, delayed=True, policy=TIGHT).suspend


def test_allowances_for_a_whole_base_refuse_a_skipped_level() -> None:
    assert tc.credit_allowances([1, 7], policy=TIGHT).tolist() == [100, 900]
    with pytest.raises(
        tc.InvalidInput,
        match=r"unknown credit level 3 at index 1; the policy defines levels \[1, 7\]",
    ):
        tc.credit_allowances([1, 3], policy=TIGHT)
    # compare_policies used to read a skipped level as no allowance at all
    from datetime import date

    base = tc.CustomerBase(["a"], [1], [1], credit_level=[3], moment_columns={"used": [50]})
    with pytest.raises(tc.InvalidInput, match="unknown credit level 3"):
        tc.compare_policies(base, TIGHT, TIGHT, as_of=date(2010, 12, 1))
