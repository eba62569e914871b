"""The shipped Hypothesis kit builds only valid objects, checks its arguments, and shrinks well."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest
from hypothesis import Phase, find, given, settings, strategies as st

import telcare as tc
from telcare import strategies as tcs


@given(tcs.policies())
def test_policies_are_valid_and_round_trip(policy: tc.Policy) -> None:
    assert tc.Policy.model_validate_json(policy.model_dump_json()) == policy


@given(st.data())
def test_customers_fit_their_policy(data: st.DataObject) -> None:
    policy = data.draw(tcs.policies())
    c = data.draw(tcs.customers(policy=policy, min_months=3, max_months=5,
                                activated_between=(date(2010, 1, 1), date(2010, 12, 31))))  # fmt: skip
    assert c.tier in policy.tiers.codes
    assert 3 <= len(c.monthly_spend) <= 5
    assert date(2010, 1, 1) <= c.activated_on <= date(2010, 12, 31)
    assert c.credit_level in policy.credit.allowances


@given(tcs.customers(tier="gold"))
def test_customers_can_fix_the_tier(c: tc.Customer) -> None:
    assert c.tier == "gold"


@given(st.from_type(tc.Customer), st.from_type(tc.PointsLedger), st.from_type(tc.CampaignCounts))
def test_types_are_registered(
    c: tc.Customer, ledger: tc.PointsLedger, counts: tc.CampaignCounts
) -> None:
    assert isinstance(c, tc.Customer) and isinstance(ledger, tc.PointsLedger)
    assert isinstance(tc.campaign_report(counts), tc.CampaignReport)


@given(tcs.ledgers(policy=tc.Policy.model_validate({"points": {"reversal": "refuse"}})))
def test_ledgers_keep_the_identity(ledger: tc.PointsLedger) -> None:
    for day in (date(2010, 1, 1), date(2013, 1, 1)):
        s = ledger.summary(day)
        assert s.balanced and s.balance >= 0


def test_ledgers_draw_pending_periods_and_partial_reversals() -> None:
    """Without a policy the pending period is drawn; partial reversals carry their own
    adjustment reference (``find`` fails the test if no such ledger is ever drawn)."""

    def partial(ledger: tc.PointsLedger) -> bool:
        return any(
            e.posting.kind == "reverse"
            and e.posting.points < ledger.posting(e.posting.original or "").points
            for e in ledger.history()
        )

    few = settings(max_examples=2_000, phases=[Phase.generate], database=None)
    assert (
        find(tcs.ledgers(), lambda ledger: ledger.pending_days == 30, settings=few).pending_days
        == 30
    )
    assert partial(find(tcs.ledgers(), partial, settings=few))
    pending = find(
        tcs.ledgers(pending_days=7), lambda ledger: ledger.pending(ledger.history()[-1].posting.on) > 0
        if len(ledger) else False, settings=few,
    )  # fmt: skip
    assert pending.pending_days == 7


@given(
    tcs.ledgers(
        pending_days=30, policy=tc.Policy.model_validate({"points": {"reversal": "allow_negative"}})
    )
)
def test_ledgers_with_pending_points_keep_the_identity(ledger: tc.PointsLedger) -> None:
    for day in (date(2010, 1, 1), date(2013, 1, 1)):
        assert ledger.summary(day).balanced
        assert ledger.spendable(day) == max(0, ledger.balance(day) - ledger.pending(day))


@given(tcs.event_histories(max_events=10, other_customers=True))
def test_event_histories_are_events(events: list[tc.Event]) -> None:
    assert all(isinstance(e, tc.Event) and e.at.tzinfo is not None for e in events)


@given(tcs.customer_columns(n=7))
def test_customer_columns_feed_every_batch_function_and_stay_untouched(
    cols: dict[str, Any],
) -> None:
    before = {k: v.copy() for k, v in cols.items()}
    tc.evaluate_tiers(cols["avg_spend"], cols["months"], cols["tier"], cols["missed"])
    tc.check_benefits(
        cols["tier"], cols["segment_member"], cols["plan_fee"], cols["verification"], cols["status"]
    )
    tc.check_suspensions(cols["arrears"], cols["credit_level"], cols["sms_last_hour"])
    tc.mid_high_end(cols["avg_spend"], cols["tier"] == 0, tenure_days=cols["months"])
    tc.points_for_bills(
        cols["arrears"], cols["arrears"] // 2, cols["segment_member"], cols["tier"], cols["missed"]
    )
    tc.scan_moments(date(2010, 1, 1), used=cols["arrears"], allowance=cols["plan_fee"])
    tc.rates_by_group(cols["tier"], cols["segment_member"])
    for k, v in cols.items():
        np.testing.assert_array_equal(v, before[k])
        assert len(v) == 7


@pytest.mark.slow
def test_small_examples_shrink_to_readable_customers() -> None:
    # This test is about shrinking, so it shrinks under every profile (mutation's skips it).
    shrinking = settings(max_examples=2_000, phases=list(Phase), database=None)
    gold = find(tcs.customers(), lambda c: c.tier == "gold", settings=shrinking)
    assert gold.monthly_spend == () and gold.missed_evaluations == 0 and gold.birthday is None


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda: tcs.money(5, 1), "min 5 must not exceed max 1"),
        (lambda: tcs.spend_histories(min_months=3, max_months=2), "min 3"),
        (lambda: tcs.customers(tier="platinum"), "'platinum'"),
        (lambda: tcs.customers(activated_between=(date(2011, 1, 1), date(2010, 1, 1))), "is after"),
        (lambda: tcs.event_histories(days=-1), "days and max_events"),
        (lambda: tcs.ledgers(max_postings=-1), "max_postings"),
        (lambda: tcs.ledgers(pending_days=-1), "pending_days must be >= 0"),
        (lambda: tcs.ledgers(max_postings="20"), "max_postings must be an int, got str '20'"),
        (lambda: tcs.ledgers(start="2010-01-01"), "start must be a datetime.date, got str"),
        (lambda: tcs.ledgers(start=date(2999, 11, 1)), "start datetime.date(2999, 11, 1)"),
        (lambda: tcs.ledgers(start=date(1899, 12, 31)), "start must be between 1900-01-01"),
        (lambda: tcs.ledgers(customer_id=""), "customer_id must not be empty"),
        (lambda: tcs.ledgers(policy="default"), "policy must be a Policy, a PolicySchedule"),
        (
            lambda: tcs.ledgers(policy=tc.PolicySchedule({date(2999, 1, 1): tc.default_policy()})),
            "(the schedule's first day 2999-01-01)",
        ),
        (lambda: tcs.campaign_counts(max_targets=-1), "max_targets"),
        (lambda: tcs.customer_columns(n=-1), "n must be >= 0"),
        (lambda: tcs.tier_policies(max_rungs=0), "max_rungs"),
    ],
)
def test_arguments_are_checked_at_once(make: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        make()
    assert fragment in str(info.value)


def test_policies_fall_both_ways_on_the_default_ladder_and_on_drawn_ones() -> None:
    """``tiers.downgrade`` is drawn: every property over policies() meets one_down too."""
    quick = settings(database=None, phases=[Phase.generate], max_examples=500)
    for default_ladder in (True, False):
        for mode in ("to_qualifying", "one_down"):
            found = find(
                tcs.policies(),
                lambda p, d=default_ladder, m=mode: (
                    p.tiers.downgrade == m
                    and (p.tiers.codes == tc.default_policy().tiers.codes) == d
                ),
                settings=quick,
            )
            assert found.tiers.downgrade == mode


def test_ledgers_from_the_latest_start_they_take_stay_in_the_calendar() -> None:
    """The latest ``start`` ``ledgers()`` accepts draws ledgers whose every posting is a
    valid date: the call refuses only what the draw could not build."""
    latest = date.fromordinal(date(2999, 12, 31).toordinal() - 3 * 90)
    quick = settings(database=None, phases=[Phase.generate], max_examples=200, derandomize=True)
    last = find(
        tcs.ledgers(start=latest, max_postings=3),
        lambda ledger: len(ledger) == 3 and ledger.history()[-1].posting.on > date(2999, 9, 1),
        settings=quick,
    )
    assert last.history()[-1].posting.on <= date(2999, 12, 31)
    with pytest.raises(tc.InvalidInput, match="start"):
        tcs.ledgers(start=latest + (date(2010, 1, 2) - date(2010, 1, 1)), max_postings=3)
