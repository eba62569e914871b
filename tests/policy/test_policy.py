from __future__ import annotations

import json
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

import telcare as tc
from telcare.compiled import compile_policy
from telcare.policy import as_policy

DEFAULT = tc.default_policy()


def _with(section: str, **changes: Any) -> dict[str, Any]:
    data = DEFAULT.model_dump(mode="json")
    data[section] = {**data[section], **changes}
    return data


def test_default_policy_reproduces_the_domain_defaults() -> None:
    p = DEFAULT
    assert p.tiers.codes == ("ordinary", "vip", "silver", "gold", "diamond")
    assert [r.min_avg_spend for r in p.tiers.ladder] == [0, 20_000, 30_000, 50_000, 100_000]
    assert [r.min_months for r in p.tiers.ladder] == [0, 6, 6, 6, 6]
    assert (p.tiers.window_months, p.tiers.downgrade_after) == (12, 2)
    assert (p.segment.code, p.segment.share, p.segment.eligible_tiers) == (
        "mid_high_end",
        Decimal("0.10"),
        ("ordinary",),
    )
    pts = p.points
    assert (
        pts.fen_per_point,
        pts.per_yuan,
        pts.data_per_yuan,
        pts.tenure_per_year,
        pts.credit_per_month,
    ) == (2, 1, 0, 20, 2)  # calibrated to seed 002's 2% return: tests/cli/test_calibration.py
    assert pts.tier_multipliers == {
        "silver": Decimal("1.05"),
        "gold": Decimal("1.1"),
        "diamond": Decimal("1.2"),
    }
    assert pts.other_costs == {"club_services": Decimal("0.002"), "operations": Decimal("0.001")}
    assert (pts.plan_threshold, pts.expire_after_cycles, pts.reversal) == (3500, 1, "claw_back")
    assert p.credit.allowances == {1: 5000, 2: 15000, 3: 30000, 4: 60000, 5: 100000}
    assert p.credit.spam_sms_per_hour == 200
    assert (p.verification.shared_threshold, p.verification.operator_threshold) == (3, 20)
    m = p.moments
    assert (m.callback_days, m.callback_fast_days, m.callback_fast_plan_fee) == (3, 2, 12_600)
    assert (m.assign_days, m.tutoring_days, m.first_bill_days, m.cancellation_days) == (2, 7, 3, 1)
    assert (m.credit_yellow, m.credit_red, m.anomaly_drop, m.forwarding_share) == (
        Decimal("0.8"),
        Decimal("1"),
        Decimal("0.5"),
        Decimal("0.3"),
    )
    assert m.contract_days_before == 30
    assert (p.contact.max_marketing_calls, p.contact.window_days) == (2, 30)
    assert p.contact.hours.describe() == "Mon-Fri 08:00-20:00"
    assert set(p.contact.exempt) == {
        tc.Moment.NEW_SUBSCRIBER_CALLBACK,
        tc.Moment.FIRST_TUTORING,
        tc.Moment.CANCELLATION_REQUEST,
    }
    assert p.timezone == "Asia/Shanghai"
    assert set(p.benefits.rules) == {b.code for b in tc.BENEFITS}


def test_policy_round_trips_through_dump_and_json() -> None:
    assert tc.Policy.model_validate(DEFAULT.model_dump()) == DEFAULT
    text = DEFAULT.model_dump_json()
    assert tc.Policy.model_validate_json(text) == DEFAULT
    assert tc.Policy.model_validate(json.loads(text)) == DEFAULT


def test_multipliers_are_exact_decimals_in_json() -> None:
    dumped = json.loads(DEFAULT.model_dump_json())
    assert dumped["points"]["tier_multipliers"] == {
        "silver": "1.05",
        "gold": "1.1",
        "diamond": "1.2",
    }
    from_float = tc.Policy.model_validate(_with("points", tier_multipliers={"gold": 1.1}))
    assert from_float.points.tier_multipliers["gold"] == Decimal("1.1")


def test_json_schema_describes_every_section() -> None:
    schema = tc.Policy.model_json_schema()
    assert set(schema["properties"]) == {
        "tiers",
        "segment",
        "points",
        "benefits",
        "credit",
        "verification",
        "moments",
        "contact",
        "agents",
        "complaints",
        "timezone",
    }
    json.dumps(schema)  # serialisable as a file users can validate against


def test_policy_is_frozen() -> None:
    with pytest.raises(ValidationError):
        DEFAULT.tiers.window_months = 6  # type: ignore[misc]


def _ladder(*rungs: tuple[str, int, int]) -> list[dict[str, Any]]:
    return [{"code": c, "min_avg_spend": s, "min_months": m} for c, s, m in rungs]


@pytest.mark.parametrize(
    ("data", "path", "fragment"),
    [
        (
            _with(
                "tiers",
                ladder=_ladder(("ordinary", 0, 0), ("gold", 50000, 6), ("silver", 30000, 6)),
            ),
            ("tiers", "ladder"),
            "thresholds increase",
        ),
        (
            _with(
                "tiers", ladder=_ladder(("ordinary", 0, 0), ("gold", 50000, 6), ("gold2", 50000, 6))
            ),
            ("tiers", "ladder"),
            "must be above",
        ),
        (
            _with(
                "tiers", ladder=_ladder(("ordinary", 0, 0), ("gold", 50000, 6), ("gold", 60000, 6))
            ),
            ("tiers", "ladder"),
            "repeats the code 'gold'",
        ),
        (_with("tiers", ladder=_ladder(("base", 100, 0))), ("tiers", "ladder"), "must be 0"),
        (_with("tiers", ladder=[]), ("tiers", "ladder"), "at least one"),
        (
            _with("tiers", ladder=_ladder(("ordinary", 0, 0), ("vip", 100, 13))),
            ("tiers",),
            "more than the window",
        ),
        (_with("tiers", window_months=0), ("tiers", "window_months"), "greater than or equal to 1"),
        (
            _with("tiers", ladder=_ladder(("ordinary", 0, 0), ("Gold!", 100, 1))),
            ("tiers", "ladder", 1, "code"),
            "pattern",
        ),
        (_with("segment", share="0"), ("segment", "share"), "greater than 0"),
        (_with("segment", share="1.5"), ("segment", "share"), "less than or equal to 1"),
        (
            _with("segment", eligible_tiers=["platinum"]),
            ("segment", "eligible_tiers", 0),
            "platinum",
        ),
        (
            _with("points", tier_multipliers={"gold": "0.9"}),
            ("points", "tier_multipliers", "gold"),
            "greater than or equal to 1",
        ),
        (
            _with("points", tier_multipliers={"platinum": "2"}),
            ("points", "tier_multipliers", "platinum"),
            "platinum",
        ),
        (
            _with("points", fen_per_point=0),
            ("points", "fen_per_point"),
            "greater than or equal to 1",
        ),
        (_with("points", reversal="forgive"), ("points", "reversal"), "claw_back"),
        (
            _with("credit", allowances={"1": 5000, "2": 5000}),
            ("credit", "allowances"),
            "must be above",
        ),
        (
            _with("credit", allowances={"1": -1}),
            ("credit", "allowances", "1"),
            "greater than or equal to 0",
        ),
        (_with("benefits", rules={"teleport": {}}), ("benefits", "rules"), "teleport"),
        (
            _with("benefits", rules={"phone_manager": {"tiers": ["platinum"]}}),
            ("benefits", "rules", "phone_manager", "tiers", 0),
            "platinum",
        ),
        (
            _with("benefits", rules={"phone_manager": {"segments": ["youth"]}}),
            ("benefits", "rules", "phone_manager", "segments", 0),
            "youth",
        ),
        (
            _with("benefits", rules={"delayed_suspension": {"min_credit_level": 9}}),
            ("benefits", "rules", "delayed_suspension", "min_credit_level"),
            "credit level 9",
        ),
        (_with("moments", credit_yellow="1", credit_red="0.8"), ("moments",), "credit_yellow"),
        (_with("moments", callback_fast_days=5), ("moments",), "callback_fast_days"),
        (
            _with("contact", hours={"days": ["mon"], "start": "20:00", "end": "08:00"}),
            ("contact", "hours"),
            "before end",
        ),
        (_with("contact", hours={"days": ["mon", "mon"]}), ("contact", "hours", "days"), "repeat"),
        (_with("contact", hours={"days": ["funday"]}), ("contact", "hours", "days", 0), "mon"),
        (_with("contact", exempt=["teatime"]), ("contact", "exempt", 0), "new_subscriber_callback"),
        (
            {**DEFAULT.model_dump(mode="json"), "timezone": "Mars/Olympus"},
            ("timezone",),
            "Mars/Olympus",
        ),
        ({**DEFAULT.model_dump(mode="json"), "colour": "red"}, ("colour",), "Extra inputs"),
    ],
)
def test_contradictory_policies_are_refused_naming_the_field(
    data: dict[str, Any], path: tuple[str | int, ...], fragment: str
) -> None:
    with pytest.raises(ValidationError) as info:
        tc.Policy.model_validate(data)
    errors = info.value.errors()
    assert any(tuple(e["loc"])[: len(path)] == path and fragment in e["msg"] for e in errors), (
        errors
    )


def test_service_hours_know_the_next_opening() -> None:
    hours = tc.ServiceHours()
    tz = DEFAULT.timezone
    from zoneinfo import ZoneInfo

    z = ZoneInfo(tz)
    saturday = datetime(2026, 11, 21, 10, 0, tzinfo=z)
    assert not hours.is_open(saturday)
    assert hours.next_opening(saturday) == datetime(2026, 11, 23, 8, 0, tzinfo=z)
    friday_late = datetime(2026, 11, 20, 20, 0, tzinfo=z)
    assert hours.next_opening(friday_late) == datetime(2026, 11, 23, 8, 0, tzinfo=z)
    monday_early = datetime(2026, 11, 23, 7, 59, tzinfo=z)
    assert hours.next_opening(monday_early) == datetime(2026, 11, 23, 8, 0, tzinfo=z)
    open_now = datetime(2026, 11, 23, 19, 59, tzinfo=z)
    assert hours.is_open(open_now) and hours.next_opening(open_now) == open_now


def test_service_hours_describe_odd_days() -> None:
    assert (
        tc.ServiceHours(days=("sat", "mon"), start=time(9), end=time(12)).describe()
        == "Mon,Sat 09:00-12:00"
    )


def test_as_policy_accepts_mappings_and_refuses_other_things() -> None:
    assert as_policy(None) is DEFAULT
    assert as_policy({"timezone": "UTC"}).timezone == "UTC"
    with pytest.raises(tc.InvalidInput, match="policy must be"):
        as_policy("gold")  # type: ignore[arg-type]


def test_tier_index_names_unknown_codes() -> None:
    assert DEFAULT.tiers.index("gold") == 3
    with pytest.raises(tc.InvalidInput, match="'platinum'"):
        DEFAULT.tiers.index("platinum")


def test_model_copy_with_an_update_validates_and_forgets_what_the_original_cached() -> None:
    """pydantic's model_copy(update=...) kept cached ladder codes and compiled batch tables.

    Found while benchmarking: a copy with widened benefit rules kept the original's
    compiled matrix, so check_benefits and check_benefit disagreed on the copy.
    """
    policy = tc.Policy()
    magazine = tc.BENEFIT_CODES.index("club_magazine")
    assert not tc.check_benefits([0], [False], [0], [1], [0], policy=policy)[0, magazine]
    rules = dict(policy.benefits.rules)
    rules["club_magazine"] = rules["club_magazine"].model_copy(
        update={"tiers": ("ordinary", "vip", "silver", "gold", "diamond")}
    )
    wider = policy.model_copy(update={"benefits": tc.BenefitsPolicy(rules=rules)})
    assert tc.check_benefits([0], [False], [0], [1], [0], policy=wider)[0, magazine]
    assert compile_policy(policy).tiers.thresholds == (0, 20_000, 30_000, 50_000, 100_000)
    short = policy.tiers.model_copy(update={"ladder": policy.tiers.ladder[:3]})
    assert short.codes == ("ordinary", "vip", "silver")
    shorter = tc.Policy(
        tiers=short,
        benefits=tc.BenefitsPolicy(rules={}),
        points=tc.PointsPolicy(tier_multipliers={"silver": "1.1"}),
    )
    assert compile_policy(shorter).tiers.thresholds == (0, 20_000, 30_000)
    with pytest.raises(ValidationError, match="benefit 'club_magazine' names the unknown tier"):
        wider.model_copy(update={"tiers": short})
    with pytest.raises(tc.InvalidInput, match="TierPolicy has no field 'ladders'"):
        policy.tiers.model_copy(update={"ladders": ()})
    same = policy.model_copy()
    assert same == policy and same is not policy


def test_the_moment_maps_take_a_declared_registered_moment_and_refuse_a_typo() -> None:
    data = DEFAULT.model_dump(mode="json")
    data["moments"] = {
        **data["moments"],
        "registered": ["roaming_abroad"],
        "channels": {**data["moments"]["channels"], "roaming_abroad": "sms"},
        "priorities": {**data["moments"]["priorities"], "roaming_abroad": 2},
    }
    data["contact"] = {**data["contact"], "exempt": ["roaming_abroad", "birthday"]}
    policy = tc.Policy.model_validate(data)
    assert policy.moments.channels["roaming_abroad"] is tc.Channel.SMS
    assert policy.moments.priorities["roaming_abroad"] == 2
    # a built-in code still validates to its member; the registered one stays a plain str
    assert policy.contact.exempt == ("roaming_abroad", tc.Moment.BIRTHDAY)
    assert type(policy.contact.exempt[1]) is tc.Moment
    assert tc.Policy.model_validate_json(policy.model_dump_json()) == policy
    undeclared = {**data, "moments": {**data["moments"], "registered": []}}
    with pytest.raises(ValidationError, match="roaming_abroad"):
        tc.Policy.model_validate(undeclared)
    with pytest.raises(ValidationError, match="String should match pattern"):
        tc.Policy.model_validate({"contact": {"exempt": ["Roaming Abroad"]}})


# ------------------------------------------------------ hostile arguments (#28)


@pytest.mark.parametrize("code", [[1, 2], {}, None, 3, ""])
def test_tier_multiplier_refuses_a_code_that_is_not_text(code: Any) -> None:
    with pytest.raises(tc.InvalidInput, match=r"^code must "):
        DEFAULT.tier_multiplier(code)


def test_tier_multiplier_is_one_for_a_tier_with_none_set() -> None:
    assert DEFAULT.tier_multiplier("no_such_tier") == Decimal(1)


@pytest.mark.parametrize(
    ("local", "message"),
    [
        (float("nan"), "^local must be a datetime, got float nan"),
        (datetime(2010, 11, 22, 10).date(), "^local must be a datetime, got date"),
        (datetime(2010, 11, 22, 10), "^local must be timezone-aware"),
        (datetime.max.replace(tzinfo=UTC), "^local must be between"),
    ],
)
def test_service_hours_refuse_what_is_not_an_aware_datetime(local: Any, message: str) -> None:
    hours = tc.ServiceHours()
    with pytest.raises(tc.InvalidInput, match=message):
        hours.is_open(local)
    with pytest.raises(tc.InvalidInput, match=message):
        hours.next_opening(local)
