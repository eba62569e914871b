"""PolicySchedule: policies each in force from a date (issue #29 item 5)."""

from __future__ import annotations

import copy
import json
import pickle
import tomllib
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

import telcare as tc
from telcare.policy import as_policy, resolve

JAN, JUL = date(2010, 1, 1), date(2010, 7, 1)
SPRING = tc.default_policy()
SUMMER = SPRING.model_copy(update={"points": SPRING.points.model_copy(update={"per_yuan": 2})})


def schedule() -> tc.PolicySchedule:
    return tc.PolicySchedule({JAN: SPRING, JUL: SUMMER})


# ------------------------------------------------------------------ building


def test_a_mapping_and_pairs_build_the_same_schedule() -> None:
    assert tc.PolicySchedule([(JAN, SPRING), (JUL, SUMMER)]) == schedule()
    assert tc.PolicySchedule(schedule()) == schedule()
    assert dict(schedule()) == {JAN: SPRING, JUL: SUMMER}
    assert schedule().starts == (JAN, JUL) and len(schedule()) == 2


def test_a_mapping_entry_is_validated_into_a_policy_and_iso_text_into_a_date() -> None:
    s = tc.PolicySchedule({"2010-01-01": {}, "2010-07-01": {"points": {"per_yuan": 2}}})
    assert s == schedule()
    assert isinstance(s.policies[1], tc.Policy)


def test_an_empty_schedule_is_refused() -> None:
    with pytest.raises(tc.InvalidInput, match="at least one policy"):
        tc.PolicySchedule({})


def test_dates_out_of_order_are_refused_naming_both() -> None:
    with pytest.raises(tc.InvalidInput, match="entry 1: 2010-01-01 comes after 2010-07-01"):
        tc.PolicySchedule([(JUL, SUMMER), (JAN, SPRING)])


def test_two_policies_on_one_date_are_refused_even_written_two_ways() -> None:
    with pytest.raises(tc.InvalidInput, match="two policies from 2010-07-01"):
        tc.PolicySchedule({JUL: SPRING, "2010-07-01": SUMMER})


def test_an_invalid_policy_is_refused_naming_its_date_and_field() -> None:
    with pytest.raises(tc.InvalidInput) as err:
        tc.PolicySchedule({JAN: {}, JUL: {"points": {"per_yuan": -1}}})
    assert "the policy from 2010-07-01 is not a valid policy" in str(err.value)
    assert "points.per_yuan" in str(err.value) and "-1" in str(err.value)


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ("2010-01-01", "needs a mapping of first days"),
        (7, "needs a mapping of first days"),
        ([(JAN,)], r"entry 0 must be a \(day, policy\) pair"),
        (
            {datetime(2010, 1, 1, tzinfo=UTC): SPRING},
            "entry 0: from must be a datetime.date",
        ),
        ({"1 July": SPRING}, "from must be an ISO date, got '1 July'"),
        ({date(1800, 1, 1): SPRING}, "must be between"),
        (
            {JAN: None},
            "the policy from 2010-01-01 must be a telcare.Policy or a mapping, got NoneType",
        ),
        ({JAN: schedule()}, "must be a telcare.Policy or a mapping, got PolicySchedule"),
    ],
)
def test_a_malformed_schedule_is_refused_by_name(entries: object, message: str) -> None:
    with pytest.raises(tc.InvalidInput, match=message):
        tc.PolicySchedule(entries)  # type: ignore[arg-type]


def test_a_schedule_is_frozen_hashable_and_survives_pickle_and_copy() -> None:
    s = schedule()
    with pytest.raises(AttributeError):
        s.starts = (JUL,)  # type: ignore[misc]
    assert hash(s) == hash(schedule()) and {s, schedule()} == {s}
    for other in (pickle.loads(pickle.dumps(s)), copy.deepcopy(s), copy.copy(s)):
        assert other == s and hash(other) == hash(s)
    assert s != tc.PolicySchedule({JAN: SPRING})
    assert repr(s) == "PolicySchedule(from 2010-01-01, 2010-07-01)"


# ---------------------------------------------------------------- policy_on


def test_the_policy_in_force_changes_on_the_date_and_holds_until_the_next() -> None:
    s = schedule()
    assert s.policy_on(JAN) is SPRING
    assert s.policy_on(JUL - timedelta(days=1)) is SPRING
    assert s.policy_on(JUL) is SUMMER
    assert s.policy_on(date(2999, 12, 31)) is SUMMER


def test_a_day_before_the_first_date_is_refused_never_the_first_policy() -> None:
    with pytest.raises(
        tc.InvalidInput, match="as_of 2009-12-31 is before the schedule's first date 2010-01-01"
    ):
        schedule().policy_on(date(2009, 12, 31), name="as_of")


def test_an_aware_datetime_is_read_as_its_day_in_the_policys_zone_not_utc() -> None:
    # 17:00 UTC on 30 June is 01:00 on 1 July in Shanghai, the default policy's zone
    assert schedule().policy_on(datetime(2010, 6, 30, 17, tzinfo=UTC)) is SUMMER
    assert schedule().policy_on(datetime(2010, 6, 30, 15, 59, tzinfo=UTC)) is SPRING
    with pytest.raises(tc.InvalidInput, match="before the schedule's first date"):
        schedule().policy_on(datetime(2009, 12, 31, 15, 59, tzinfo=UTC))


@pytest.mark.parametrize(
    ("zones", "instant", "index"),
    [
        # moving east (UTC -> Hong Kong): the change waits for UTC's midnight
        (("UTC", "Asia/Hong_Kong"), datetime(2010, 6, 30, 23, 59, tzinfo=UTC), 0),
        (("UTC", "Asia/Hong_Kong"), datetime(2010, 7, 1, 0, 0, tzinfo=UTC), 1),
        # moving west (Hong Kong -> UTC): it comes at Hong Kong's midnight, 16:00 UTC
        (("Asia/Hong_Kong", "UTC"), datetime(2010, 6, 30, 15, 59, tzinfo=UTC), 0),
        (("Asia/Hong_Kong", "UTC"), datetime(2010, 6, 30, 16, 0, tzinfo=UTC), 1),
    ],
)
def test_when_the_zone_changes_the_earlier_policys_zone_decides(
    zones: tuple[str, str], instant: datetime, index: int
) -> None:
    s = tc.PolicySchedule({JAN: tc.Policy(timezone=zones[0]), JUL: tc.Policy(timezone=zones[1])})
    assert s.index_on(instant) == index
    assert s.policy_on(instant).timezone == zones[index]


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (datetime(2010, 7, 1, 9), "at must be timezone-aware"),
        ("2010-07-01", "at must be a date or an aware datetime, got str '2010-07-01'"),
        (np.datetime64("2010-07-01"), "at must be a date or an aware datetime, got datetime64"),
        (None, "at must be a date or an aware datetime, got NoneType"),
        (date(3000, 1, 1), "at must be between"),
    ],
)
def test_a_day_that_is_not_a_day_is_refused_by_name(day: object, message: str) -> None:
    with pytest.raises(tc.InvalidInput, match=message):
        schedule().policy_on(day, name="at")  # type: ignore[arg-type]


# --------------------------------------------------------------------- diff


def test_diff_lists_what_changes_on_each_date_as_policy_diff_does() -> None:
    autumn = SUMMER.model_copy(update={"timezone": "Asia/Hong_Kong"})
    s = tc.PolicySchedule(
        {JAN: SPRING, JUL: SUMMER, date(2010, 10, 1): autumn, date(2011, 1, 1): autumn}
    )
    changes = s.diff()
    assert [c.on for c in changes] == [JUL, date(2010, 10, 1), date(2011, 1, 1)]
    assert [(c.path, c.before, c.after) for c in changes[0].changes] == [
        ("points.per_yuan", "1", "2")
    ]
    assert changes[1].changes == SUMMER.diff(autumn)
    assert changes[2].changes == ()
    assert str(changes[0]) == "2010-07-01:\n  points.per_yuan: 1 -> 2"
    assert str(changes[2]) == "2011-01-01: no figure changes"
    assert tc.PolicySchedule({JAN: SPRING}).diff() == ()


# ------------------------------------------------------------------ documents


def test_to_dict_is_strict_json_and_reads_back() -> None:
    s = tc.PolicySchedule({JAN: SPRING, JUL: SUMMER.model_copy(update={"timezone": "UTC"})})
    text = json.dumps(s.to_dict(), allow_nan=False)
    assert tc.PolicySchedule.from_dict(json.loads(text)) == s
    assert tc.PolicySchedule.from_dict(s.to_dict()["schedule"]) == s
    assert s.to_dict()["schedule"][1]["from"] == "2010-07-01"


def test_a_toml_document_reads_with_native_dates() -> None:
    text = """
[[schedule]]
from = 2010-01-01
[schedule.policy]

[[schedule]]
from = 2010-07-01
[schedule.policy.points]
per_yuan = 2
"""
    assert tc.PolicySchedule.from_dict(tomllib.loads(text)) == schedule()


def test_a_yaml_document_reads_with_native_dates() -> None:
    yaml = pytest.importorskip("yaml")
    text = "- from: 2010-01-01\n  policy: {}\n- from: 2010-07-01\n  policy:\n    points: {per_yuan: 2}\n"
    assert tc.PolicySchedule.from_dict(yaml.safe_load(text)) == schedule()


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"schedules": []}, "holds one key, 'schedule', got \\['schedules'\\]"),
        ({"schedule": [], 1: 2}, "holds one key"),
        ("[]", "a list of {from, policy} entries, got str"),
        ([["2010-01-01", {}]], "schedule entry 0 must be a mapping, got list"),
        ([{"from": "2010-01-01"}], "must have the keys 'from' and 'policy', got \\['from'\\]"),
        ([{"from": "2010-01-01", "policy": {}, "to": "2010-02-01"}], "must have the keys"),
        ([], "at least one policy"),
    ],
)
def test_a_malformed_document_is_refused_by_name(document: object, message: str) -> None:
    with pytest.raises(tc.InvalidInput, match=message):
        tc.PolicySchedule.from_dict(document)


# ------------------------------------------------------------------ resolve


def test_resolve_gives_the_policy_in_force_or_the_policy_itself() -> None:
    assert resolve(schedule(), "scan_moments", as_of=JUL) is SUMMER
    assert resolve(SUMMER, "scan_moments", as_of=None) is SUMMER
    assert resolve(None, "scan_moments", as_of=JUL) is tc.default_policy()
    assert resolve({"points": {"per_yuan": 2}}, "scan_moments", as_of=JUL) == SUMMER


def test_a_schedule_without_its_date_is_refused_naming_the_rule() -> None:
    with pytest.raises(
        tc.InvalidInput, match=r"check_benefit\(\) was given PolicySchedule\(from .*\) but no at="
    ):
        resolve(schedule(), "check_benefit", at=None)


@pytest.mark.parametrize(
    ("call", "rule"),
    [
        (lambda p: tc.credit_allowance(2, policy=p), "credit_allowance"),
        (lambda p: tc.compile_policy(p), "compile_policy"),
        (lambda p: as_policy(p, "frames.evaluate_tiers"), "frames.evaluate_tiers"),
    ],
)
def test_a_rule_without_a_date_refuses_a_schedule_naming_itself(call: object, rule: str) -> None:
    with pytest.raises(
        tc.InvalidInput, match=rf"^{rule}\(\) takes no date, so it cannot choose a policy"
    ):
        call(schedule())  # type: ignore[operator]


def test_a_frames_rule_without_a_date_refuses_a_schedule_naming_itself() -> None:
    pd = pytest.importorskip("pandas")
    tf = pytest.importorskip("telcare.frames")
    frame = pd.DataFrame({"avg_spend": [55_000], "months": [12]})
    with pytest.raises(tc.InvalidInput, match=r"^frames.evaluate_tiers\(\) takes no date"):
        tf.evaluate_tiers(frame, policy=schedule())


def test_a_value_that_claims_to_iterate_but_cannot_is_refused_by_name() -> None:
    with pytest.raises(tc.InvalidInput, match=r"a PolicySchedule needs a mapping .* got ndarray"):
        tc.PolicySchedule(np.array(5))  # type: ignore[arg-type]
