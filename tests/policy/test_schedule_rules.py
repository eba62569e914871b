"""Every rule that takes ``policy=`` with a date runs a PolicySchedule's policy in force
on that date: the same answer as given that policy, and not the other policy's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import telcare as tc

SH = ZoneInfo("Asia/Shanghai")
CHANGE = date(2010, 7, 1)
BEFORE = tc.default_policy()
_m, _v, _c = BEFORE.moments, BEFORE.verification, BEFORE.complaints
# From 1 July: the programme's clock in UTC (so 21:00 in Shanghai is 13:00, inside the
# hours), faster callbacks and assignments, a longer contract notice, a shorter
# re-verification, a longer suspension deadline and a wider segment.
AFTER = BEFORE.model_copy(
    update={
        "timezone": "UTC",
        "moments": _m.model_copy(
            update={
                "callback_days": 1,
                "callback_fast_days": 1,
                "assign_days": 0,
                "contract_days_before": 60,
            }
        ),
        "verification": _v.model_copy(update={"reverify_days": 2}),
        "complaints": _c.model_copy(update={"deadlines": {**_c.deadlines, "suspension": 3}}),
        "segment": BEFORE.segment.model_copy(update={"share": "0.5"}),
    }
)
SCHEDULE = tc.PolicySchedule({date(2010, 1, 1): BEFORE, CHANGE: AFTER})
#: A Monday on each side of the change.
DAYS = (date(2010, 6, 28), date(2010, 7, 5))

VIP = tc.Customer("13800000002", activated_on=date(2009, 6, 1), plan_fee=tc.yuan(128), tier="vip")


def _evening(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 21, tzinfo=SH)


def _suspicious(day: date) -> list[tc.SuspiciousCase]:
    return [
        tc.SuspiciousCase(
            "c1", day - timedelta(days=3), "op17", "own", tc.CallbackFacts(signature_ok=False)
        )
    ]


def _complaint(day: date) -> tc.Complaint:
    return tc.Complaint(
        "k1",
        "c1",
        datetime(day.year, day.month, day.day, 9, tzinfo=SH) - timedelta(days=2),
        "suspension",
    )


def _service_list(day: date, policy: Any) -> Any:
    book = tc.manager_book(["a"], [""])
    sl = tc.service_list(book, [0], [False], [12_800], [1], [0],
                         eligible_since=[day - timedelta(days=1)], as_of=day, policy=policy)  # fmt: skip
    return sl.overdue.tolist()


def _frames_scan(day: date, policy: Any) -> Any:
    pd = pytest.importorskip("pandas")
    tf = pytest.importorskip("telcare.frames")
    frame = pd.DataFrame({"contract_ends_on": [day + timedelta(days=45)]})
    return tf.scan_moments(frame, as_of=day, policy=policy)["contract_expiry_due"].tolist()


CATALOGUE = tc.OfferCatalogue.model_validate({"offers": [
    {"code": "data_pack", "name": "Data pack", "project_type": "promotion",
     "channels": ["sms", "phone"], "value": 2_000, "cost": 500, "min_plan_fee": 5_800,
     "valid_from": "2010-01-01", "valid_to": "2010-12-31"}]})  # fmt: skip
PROSPECT = tc.Prospect(
    tc.Customer("13800000002", date(2009, 1, 1), tc.yuan(88)), preferred_channel="phone"
)


def _match_offers(day: date, policy: Any) -> Any:
    m = tc.match_offers(CATALOGUE, at=_evening(day), tier=["ordinary"], segment_member=[False],
                        avg_spend=[8_800], plan_fee=[8_800], tenure_months=[18], credit_level=[3],
                        response=[[0.3]], policy=policy)  # fmt: skip
    return m.allowed.tolist()


BASE = {"ids": ["a", "b", "c", "d", "e"], "months": [12] * 5,
        "avg_spend": [9_000, 12_000, 15_000, 18_000, 30_000]}  # fmt: skip

#: (rule, what the rule answers on a day under a policy or a schedule)
RULES: list[tuple[str, Callable[[date, Any], Any]]] = [
    ("check_benefit", lambda d, p: tc.check_benefit(VIP, "phone_manager", policy=p, at=_evening(d)).eligible),
    ("eligible_benefits", lambda d, p: [b.code for b in tc.eligible_benefits(VIP, policy=p, at=_evening(d))]),
    ("contact_allowed", lambda d, p: tc.contact_allowed("c1", "usage_anomaly", _evening(d), [], policy=p).allowed),
    ("suspicious_follow_up", lambda d, p: tc.suspicious_follow_up(d - timedelta(days=3), as_of=d, policy=p).due_by),
    ("suspicious_list", lambda d, p: [r.follow_up.due_by for r in tc.suspicious_list(_suspicious(d), as_of=d, policy=p).rows]),
    ("due_actions", lambda d, p: [(a.moment, a.due_by) for a in tc.due_actions(
        VIP, [tc.Activated(VIP.id, _evening(d) - timedelta(days=1), plan_fee=tc.yuan(128))], as_of=d, policy=p)]),
    ("Replay", lambda d, p: tc.Replay(VIP, [], d, p).policy),
    ("scan_moments", lambda d, p: tc.scan_moments(d, policy=p, contract_ends_on=[d + timedelta(days=45)])
        .due["contract_expiry"].tolist()),
    ("service_list", _service_list),
    ("complaint_status", lambda d, p: tc.complaint_status(_complaint(d), as_of=d, policy=p).reason),
    ("complaint_book", lambda d, p: tc.complaint_book([_complaint(d)], as_of=d, policy=p).overdue),
    ("compare_policies", lambda d, p: tc.compare_policies(BASE, None, p, as_of=d).changed_ids.tolist()),
    ("frames.scan_moments", _frames_scan),
    ("match_offer", lambda d, p: tc.match_offer(PROSPECT, "data_pack", CATALOGUE, at=_evening(d), response=0.3,
                                               policy=p).allowed_now),
    ("best_offers", lambda d, p: [o.allowed_now for o in tc.best_offers(
        PROSPECT, CATALOGUE, at=_evening(d), responses={"data_pack": 0.3}, policy=p)]),
    ("match_offers", _match_offers),
    ("contacts_allowed", lambda d, p: tc.contacts_allowed(
        _evening(d), ["phone"], tc.contact_counts(["c1"], [], _evening(d), policy=p), policy=p).tolist()),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "answer"), RULES, ids=[r for r, _ in RULES])
def test_a_rule_given_a_schedule_runs_the_policy_in_force_on_its_date(
    rule: str, answer: Callable[[date, Any], Any]
) -> None:
    before, after = DAYS
    assert answer(before, SCHEDULE) == answer(before, BEFORE)
    assert answer(after, SCHEDULE) == answer(after, AFTER)
    # the change shows: the schedule did not run the first policy on the later day
    assert answer(after, AFTER) != answer(after, BEFORE)


def test_the_day_before_the_first_date_is_refused_by_the_rule_naming_its_argument() -> None:
    with pytest.raises(
        tc.InvalidInput, match="as_of 2009-12-31 is before the schedule's first date"
    ):
        tc.scan_moments(date(2009, 12, 31), policy=SCHEDULE, contract_ends_on=["2010-01-15"])
    with pytest.raises(tc.InvalidInput, match=r"at .* is before the schedule's first date"):
        tc.contact_allowed("c1", None, datetime(2009, 12, 31, 12, tzinfo=SH), [], policy=SCHEDULE)


@pytest.mark.parametrize(
    "call",
    [
        lambda: tc.check_benefit(VIP, "phone_manager", policy=SCHEDULE),
        lambda: tc.eligible_benefits(VIP, policy=SCHEDULE),
    ],
)
def test_a_rule_whose_date_is_optional_refuses_a_schedule_without_it(
    call: Callable[[], Any],
) -> None:
    with pytest.raises(tc.InvalidInput, match=r"\(\) was given PolicySchedule\(.*\) but no at="):
        call()


def test_the_tier_evaluation_given_a_schedule_runs_the_ladder_in_force_on_its_as_of() -> None:
    ladder = [r.model_dump() for r in BEFORE.tiers.ladder]
    for rule in ladder[1:]:  # from 1 July every card needs ten times the spend
        rule["min_avg_spend"] *= 10
    later = BEFORE.model_copy(update={"tiers": tc.TierPolicy.model_validate({"ladder": ladder})})
    schedule = tc.PolicySchedule({date(2010, 1, 1): BEFORE, CHANGE: later})
    customer = tc.Customer("c1", date(2008, 1, 1), tc.yuan(128), monthly_spend=(30_000,) * 12)
    before, after = DAYS
    for policy, day in ((BEFORE, before), (later, after)):
        expected = tc.evaluate_tier(customer, policy=policy, as_of=day)
        assert tc.evaluate_tier(customer, policy=schedule, as_of=day) == expected
        batch = tc.evaluate_tiers([30_000], [12], policy=schedule, as_of=day)
        assert batch.tier.tolist() == tc.evaluate_tiers([30_000], [12], policy=policy).tier.tolist()
    assert (
        tc.evaluate_tier(customer, policy=BEFORE, as_of=after).qualified
        != tc.evaluate_tier(customer, policy=later, as_of=after).qualified
    )
    with pytest.raises(
        tc.InvalidInput, match=r"evaluate_tiers\(\) was given PolicySchedule.* no as_of="
    ):
        tc.evaluate_tiers([0], [0], policy=schedule)
