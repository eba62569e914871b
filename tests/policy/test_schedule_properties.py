"""Properties of every valid schedule, drawn by ``telcare.strategies.schedules()``."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings, strategies as st

import telcare as tc
from telcare import strategies as tcs


@settings(max_examples=40, deadline=None)
@given(tcs.schedules(), st.integers(0, 1_400))
def test_policy_on_a_day_is_the_entry_whose_span_holds_it(
    schedule: tc.PolicySchedule, offset: int
) -> None:
    day = schedule.starts[0] + timedelta(days=offset)
    i = max(k for k, start in enumerate(schedule.starts) if start <= day)
    assert schedule.policy_on(day) is schedule.policies[i]
    assert i == len(schedule.starts) - 1 or day < schedule.starts[i + 1]


@settings(max_examples=40, deadline=None)
@given(tcs.schedules())
def test_diff_lists_exactly_the_figures_that_change_on_each_date(
    schedule: tc.PolicySchedule,
) -> None:
    changes = schedule.diff()
    assert [c.on for c in changes] == list(schedule.starts[1:])
    for change, before, after in zip(
        changes, schedule.policies, schedule.policies[1:], strict=False
    ):
        assert change.changes == before.diff(after)
        assert (change.changes == ()) == (before == after)
        shown = {row.path: row.value for row in after.describe()}
        for c in change.changes:
            assert c.after == shown.get(c.path, "-") or c.after == "-"


@settings(max_examples=25, deadline=None)
@given(tcs.schedules())
def test_every_schedule_reads_back_from_its_json(schedule: tc.PolicySchedule) -> None:
    text = json.dumps(schedule.to_dict(), allow_nan=False)
    again = tc.PolicySchedule.from_dict(json.loads(text))
    assert again == schedule and hash(again) == hash(schedule)


@given(st.from_type(tc.PolicySchedule))
@settings(max_examples=10, deadline=None)
def test_the_type_strategy_is_registered(schedule: tc.PolicySchedule) -> None:
    assert schedule.policy_on(schedule.starts[-1]) is schedule.policies[-1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_policies": 0}, "max_policies must be >= 1"),
        ({"max_gap_days": 0}, "max_gap_days must be >= 1"),
        ({"start": "2010-01-01"}, "start must be a datetime.date"),
        ({"start": date(2999, 1, 1)}, "start plus"),
    ],
)
def test_schedules_refuses_bad_arguments_at_once(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(tc.InvalidInput, match=message):
        tcs.schedules(**kwargs)  # type: ignore[arg-type]
