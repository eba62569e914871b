"""Each column of a base reaches the rule that reads it: missed evaluations, the
segment's tie-breaks, credit gates, data bills and anniversaries, the balance,
the policy's economics and moments, and the usage that suspends."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

import telcare as tc

AS_OF = date(2010, 12, 1)
HALF = {"segment": {"share": "0.5"}}


def _codes(cmp: tc.PolicyComparison) -> list[str]:
    return [cmp.before_codes[t] for t in cmp.before.tier.tolist()]


def test_a_second_missed_evaluation_moves_a_gold_customer_down() -> None:
    base = tc.CustomerBase(["a", "b"], [42_000, 42_000], [12, 12], tier=["gold", "gold"],
                           missed=[0, 1])  # fmt: skip
    assert _codes(tc.compare_policies(base, None, None, as_of=AS_OF)) == ["gold", "silver"]


@pytest.mark.parametrize(
    ("ids", "tenure", "member"),
    [
        (["a", "b"], [100, 200], [False, True]),  # longer tenure first, whatever the id
        (["b", "a"], [100, 100], [False, True]),  # then the smaller id, whatever the row
    ],
)
def test_a_tie_at_the_segment_cut_goes_to_tenure_then_to_the_smaller_id(
    ids: list[str], tenure: list[int], member: list[bool]
) -> None:
    base = tc.CustomerBase(ids, [10_000, 10_000], [12, 12], tenure_days=tenure)
    cmp = tc.compare_policies(base, None, HALF, as_of=AS_OF)
    assert cmp.after.member.tolist() == member
    assert cmp.after.segment_cut == 10_000 and cmp.before.segment_cut == 0


def test_revenue_is_the_sum_of_the_bills_and_nothing_without_them() -> None:
    billed = tc.CustomerBase(["a", "b"], [1, 1], [1, 1], bills=[[3, 4], [5, 6]])
    assert tc.compare_policies(billed, None, None, as_of=AS_OF).before.revenue == 18
    plain = tc.compare_policies(tc.CustomerBase(["a"], [1], [1]), None, None, as_of=AS_OF)
    assert plain.before.revenue == 0 and np.isnan(plain.before.return_rate)
    assert np.isnan(plain.before.cost_ratio)


def test_without_revenue_the_liability_is_the_balance_at_the_policys_price() -> None:
    base = tc.CustomerBase(["a", "b"], [1, 1], [1, 1], points_balance=[100, 7])
    cmp = tc.compare_policies(base, None, {"points": {"fen_per_point": 3}}, as_of=AS_OF)
    assert (cmp.before.liability, cmp.after.liability) == (107 * 2, 107 * 3)


def test_the_economics_are_the_policys_own() -> None:
    policy = tc.Policy.model_validate({"points": {"fen_per_point": 3}})
    base = tc.CustomerBase(["a", "b"], [55_000, 9_000], [12, 12], bills=[[55_000], [9_000]],
                           points_balance=[100, 0])  # fmt: skip
    side = tc.compare_policies(base, None, policy, as_of=AS_OF).after
    econ = tc.programme_economics(64_000, 607 + 92, 607 + 92 + 100, policy=policy)
    assert side.points.tolist() == [607, 92]
    assert (side.return_rate, side.cost_ratio, side.liability) == (
        econ.return_rate, econ.cost_ratio, econ.liability)  # fmt: skip
    assert side.liability == (607 + 92 + 100) * 3


def test_data_bills_and_anniversaries_earn_their_points_month_by_month() -> None:
    policy = tc.Policy.model_validate({"points": {"data_per_yuan": 1}})
    cols = {"bills": [[55_000, 50_000]], "data_bills": [[10_000, 20_000]],
            "anniversary_years": [[0, 3]]}  # fmt: skip
    base = tc.CustomerBase(["a"], [55_000], [12], **cols)
    cmp = tc.compare_policies(base, None, policy, as_of=AS_OF)
    for side, pol in ((cmp.before, tc.default_policy()), (cmp.after, policy)):
        by_hand = sum(
            tc.points_for_bills([cols["bills"][0][m]], [cols["data_bills"][0][m]], [True], [3],
                                [cols["anniversary_years"][0][m]], policy=pol)
            for m in range(2)
        )  # fmt: skip
        np.testing.assert_array_equal(side.points, by_hand)
    plain = tc.compare_policies(tc.CustomerBase(["a"], [55_000], [12], bills=cols["bills"]),
                                None, policy, as_of=AS_OF)  # fmt: skip
    # 20 for the anniversary; 300 for 300 yuan of data, under the policy that pays for data
    assert cmp.before.points.tolist() == [plain.before.points[0] + 20]
    assert cmp.after.points.tolist() == [plain.after.points[0] + 20 + 300]


def test_a_credit_gate_reads_the_bases_credit_levels() -> None:
    default = tc.default_policy()
    rules = dict(default.benefits.rules)
    rules["club_magazine"] = rules["club_magazine"].model_copy(update={"min_credit_level": 3})
    gated = default.model_copy(
        update={"benefits": default.benefits.model_copy(update={"rules": rules})}
    )
    base = tc.CustomerBase(["a", "b"], [55_000, 55_000], [12, 12], credit_level=[2, 3])
    after = tc.compare_policies(base, None, gated, as_of=AS_OF).after
    assert after.benefits[:, tc.BENEFIT_CODES.index("club_magazine")].tolist() == [False, True]


def test_credit_levels_without_usage_open_no_moment_and_suspend_nobody() -> None:
    base = tc.CustomerBase(["a", "b"], [1, 1], [1, 1], credit_level=[1, 5])
    side = tc.compare_policies(base, None, None, as_of=AS_OF).before
    assert side.moments == {} and side.suspend.tolist() == [False, False]
    dated = tc.CustomerBase(["a"], [1], [1], credit_level=[1],
                            moment_columns={"contract_ends_on": [date(2010, 12, 20)]})  # fmt: skip
    assert tc.compare_policies(dated, None, None, as_of=AS_OF).before.moments == {
        "contract_expiry": 1
    }


@pytest.mark.parametrize("credit_level", [None, [5]])
def test_an_allowance_given_is_used_as_given(credit_level: list[int] | None) -> None:
    """Level 5 would allow 1,000 yuan; the given allowance of 1.10 yuan is 91% used."""
    extra = {} if credit_level is None else {"credit_level": credit_level}
    base = tc.CustomerBase(["a"], [1], [1], moment_columns={"used": [100], "allowance": [110]},
                           **extra)  # fmt: skip
    assert tc.compare_policies(base, None, None, as_of=AS_OF).before.moments == {"credit_alert": 1}


def test_an_empty_base_with_usage_has_nothing_due() -> None:
    base = tc.CustomerBase([], [], [], credit_level=[], moment_columns={"used": []})
    side = tc.compare_policies(base, None, None, as_of=AS_OF).before
    assert side.moments == {"credit_alert": 0} and side.suspend.tolist() == []


def test_the_moments_follow_each_policys_thresholds() -> None:
    """90 of a 150-yuan allowance is 60%: an alert at a yellow line of 50%, not of 80%."""
    base = tc.CustomerBase(["a"], [1], [1], credit_level=[2], moment_columns={"used": [9_000]})
    cmp = tc.compare_policies(base, None, {"moments": {"credit_yellow": "0.5"}}, as_of=AS_OF)
    assert (cmp.before.moments, cmp.after.moments) == ({"credit_alert": 0}, {"credit_alert": 1})


def test_usage_over_its_bound_is_refused_by_name_and_the_bound_itself_suspends() -> None:
    def base(used: int) -> tc.CustomerBase:
        return tc.CustomerBase(["a"], [1], [1], credit_level=[1], moment_columns={"used": [used]})

    at_bound = tc.compare_policies(base(10**13), None, None, as_of=AS_OF).before
    assert at_bound.suspend.tolist() == [True]
    with pytest.raises(tc.InvalidInput) as info:
        tc.compare_policies(base(10**13 + 1), None, None, as_of=AS_OF)
    assert str(info.value) == "used must be <= 10000000000000, got 10000000000001 at index 0"
