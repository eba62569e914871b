"""Points under a PolicySchedule: a bill earns under the policy in force on its month's
last day; a ledger and a book post each posting under the policy in force on its own
day, so a cycle that straddles a change keeps each posting's lot, pending period and
reversal rule as they were when it was made."""

from __future__ import annotations

from datetime import date

import pytest

import telcare as tc

D = date
CUSTOMER = tc.Customer("c", D(2008, 5, 15), 0)


def with_points(**points: object) -> tc.Policy:
    return tc.Policy.model_validate({"points": points})


# ---------------------------------------------------------------- a bill's month


RATE_CHANGE = tc.PolicySchedule(
    {D(2010, 1, 1): with_points(), D(2010, 3, 15): with_points(per_yuan=2)}
)


@pytest.mark.parametrize(
    ("month", "total"),
    [
        (D(2010, 2, 1), 102),  # February: wholly under the first policy
        (D(2010, 3, 1), 202),  # March: its last day is after the change on the 15th
        (D(2010, 3, 14), 202),  # any day of the month names the month
        (D(2010, 4, 30), 202),
    ],
)
def test_a_bill_earns_under_the_policy_in_force_on_its_months_last_day(
    month: date, total: int
) -> None:
    assert tc.points_for_bill(CUSTOMER, month, tc.yuan(100), policy=RATE_CHANGE).total == total
    batch = tc.points_for_bills([10_000], [0], [True], [0], [0], policy=RATE_CHANGE, month=month)
    assert batch.tolist() == [total]


def test_a_change_on_the_first_of_a_month_applies_to_that_months_bill_and_not_the_one_before() -> (
    None
):
    schedule = tc.PolicySchedule(
        {D(2010, 1, 1): with_points(), D(2010, 3, 1): with_points(per_yuan=2)}
    )
    totals = [
        tc.points_for_bill(CUSTOMER, D(2010, m, 1), tc.yuan(100), policy=schedule).total
        for m in (2, 3)
    ]
    assert totals == [102, 202]


def test_a_schedule_without_a_month_or_before_its_first_day_is_refused_by_name() -> None:
    with pytest.raises(tc.InvalidInput, match=r"points_for_bills\(\) was given .* no month="):
        tc.points_for_bills([10_000], [0], [True], [0], [0], policy=RATE_CHANGE)
    with pytest.raises(tc.InvalidInput, match="the last day of month 2009-12-31 is before"):
        tc.points_for_bill(CUSTOMER, D(2009, 12, 1), 100, policy=RATE_CHANGE)
    with pytest.raises(tc.InvalidInput, match="month"):
        tc.points_for_bills([1], [0], [True], [0], [0], month="2010-03")  # type: ignore[arg-type]
