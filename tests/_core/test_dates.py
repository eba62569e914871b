from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st

import telcare as tc
from telcare._core.checks import aware as require_aware
from telcare._core.dates import due_within, local_date
from telcare._core.limits import MAX_DATE, MIN_DATE

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("day", "label", "start", "end"),
    [
        (date(2009, 12, 1), "2010", date(2009, 12, 1), date(2010, 11, 30)),
        (date(2010, 11, 30), "2010", date(2009, 12, 1), date(2010, 11, 30)),
        (date(2010, 12, 1), "2011", date(2010, 12, 1), date(2011, 11, 30)),
        (date(2012, 2, 29), "2012", date(2011, 12, 1), date(2012, 11, 30)),
    ],
)
def test_points_cycle_runs_from_december_to_november(
    day: date, label: str, start: date, end: date
) -> None:
    cycle = tc.points_cycle(day)
    assert (cycle.label, cycle.start, cycle.end, cycle.year) == (label, start, end, int(label))
    assert day in cycle


@given(st.dates(min_value=MIN_DATE, max_value=date(MAX_DATE.year - 1, 11, 30)))
def test_every_day_is_in_exactly_one_cycle(day: date) -> None:
    cycle = tc.points_cycle(day)
    assert cycle.start <= day <= cycle.end
    assert cycle.shifted(1).start == cycle.end + timedelta(days=1)
    assert cycle.shifted(-1).end == cycle.start - timedelta(days=1)
    assert day not in cycle.shifted(1)


@pytest.mark.parametrize(
    "bad", [datetime(2010, 1, 1, tzinfo=SHANGHAI), "2010-01-01", 20100101, None]
)
def test_points_cycle_refuses_non_dates(bad: Any) -> None:
    with pytest.raises(tc.InvalidInput, match="points_cycle"):
        tc.points_cycle(bad)


def test_deadline_is_inclusive() -> None:
    assert due_within(date(2026, 10, 4), 3) == date(2026, 10, 7)


def test_local_date_uses_the_policy_zone() -> None:
    late_utc = datetime(2026, 10, 3, 17, 30, tzinfo=UTC)
    assert local_date(late_utc) == date(2026, 10, 4)
    assert local_date(late_utc, "UTC") == date(2026, 10, 3)


@pytest.mark.parametrize(
    ("bad", "quoted"),
    [
        (datetime(2026, 1, 1, 9), "naive datetime 2026-01-01 09:00:00"),
        (date(2026, 1, 1), "date"),
        ("2026-01-01", "str"),
    ],
)
def test_naive_or_non_datetimes_are_refused(bad: Any, quoted: str) -> None:
    with pytest.raises(tc.InvalidInput, match="at must be") as info:
        require_aware(bad, "at")
    assert quoted in str(info.value)


def test_unknown_zone_is_refused() -> None:
    with pytest.raises(tc.InvalidInput, match="Mars/Olympus"):
        local_date(datetime(2026, 1, 1, tzinfo=SHANGHAI), "Mars/Olympus")


@pytest.mark.parametrize(
    "call",
    [
        lambda: tc.points_cycle(date.max),
        lambda: tc.points_cycle(date(1899, 12, 31)),
        lambda: tc.local_date(datetime.max.replace(tzinfo=UTC)),
        lambda: tc.local_date(datetime.min.replace(tzinfo=UTC)),
        lambda: tc.contact_allowed("c", tc.Moment.FIRST_BILL, datetime.max.replace(tzinfo=UTC), []),
        lambda: tc.Customer("c", activated_on=date(3000, 1, 1), plan_fee=0),
    ],
)
def test_dates_outside_the_calendar_are_refused_by_name_not_overflowed(call: Any) -> None:
    with pytest.raises(tc.InvalidInput, match="must be between 1900-01-01 and 2999-12-31"):
        call()


def test_the_calendar_edges_themselves_work() -> None:
    assert tc.points_cycle(MIN_DATE).label == "1900"
    assert tc.local_date(datetime(2999, 12, 31, 12, tzinfo=UTC)) == MAX_DATE


def test_a_period_takes_whole_numbers_of_any_width_and_never_a_bool() -> None:
    import numpy as np

    assert tc.Period.month(np.int64(2010), np.int64(11)).label == "2010-11"
    assert tc.Period.week(np.int32(2010), np.int8(48)).label == "2010-W48"
    with pytest.raises(tc.InvalidInput, match="week must be an int, got bool True"):
        tc.Period.week(2010, True)
    with pytest.raises(tc.InvalidInput, match="month must be an int, got bool True"):
        tc.Period.month(2010, True)


def test_a_period_stays_within_the_years_telcare_reads() -> None:
    with pytest.raises(tc.InvalidInput, match="year must be <= 2999, got 3000"):
        tc.Period.week(2999, 52).shifted(1)
    with pytest.raises(tc.InvalidInput, match="year must be >= 1900, got 1899"):
        tc.Period.parse("1900-01").previous()
    with pytest.raises(tc.InvalidInput, match="year must be >= 1900, got 1"):
        tc.Period.parse("0001-W01")
    with pytest.raises(tc.InvalidInput, match="year must be <= 2999, got 9999"):
        tc.Period.week(9999, 52)
    assert tc.Period.parse("1900-02").previous().label == "1900-01"


# ------------------------------------------------------ hostile arguments (#28)


@pytest.mark.parametrize("periods", [np.int32(1_500_000_000), 10**30, -(2**63) - 1])
def test_shifting_a_period_out_of_range_names_periods(periods: int) -> None:
    with pytest.raises(
        tc.InvalidInput, match=rf"^periods={int(periods)} takes 2010-11 out of range"
    ):
        tc.Period.month(2010, 11).shifted(periods)
    with pytest.raises(
        tc.InvalidInput, match=rf"^periods={int(periods)} takes 2010-W48 out of range"
    ):
        tc.Period.week(2010, 48).shifted(periods)


@pytest.mark.parametrize(
    "kind", [pd.Categorical(["gold", "vip"]), np.array([]), np.ones((3, 2)), pd.NA, "year"]
)
def test_period_containing_refuses_a_kind_that_is_not_week_or_month(kind: object) -> None:
    with pytest.raises(tc.InvalidInput, match=r"^kind must be one of \('week', 'month'\)"):
        tc.Period.containing(date(2010, 12, 1), kind)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cycles", "message"),
    [
        (None, "^cycles must be an int, got NoneType None"),
        (np.float64(0.5), "^cycles must be an int"),
        (np.array([1, 2]), "^cycles must be an int"),
        (np.uint8(3), None),
        (10**30, f"^cycles={10**30} takes cycle 2010 out of range"),
    ],
)
def test_shifting_a_points_cycle_checks_cycles(cycles: object, message: str | None) -> None:
    cycle = tc.points_cycle(date(2010, 5, 1))
    if message is None:
        assert cycle.shifted(cycles).label == "2013"  # type: ignore[arg-type]
        return
    with pytest.raises(tc.InvalidInput, match=message):
        cycle.shifted(cycles)  # type: ignore[arg-type]
