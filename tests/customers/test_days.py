"""The tenure readings take days (#28 class 4): numpy days are read, a datetime is
refused by name (these readings know no zone), never a bare TypeError."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pandas as pd
import pytest

import telcare as tc
from telcare.customers import anniversary_years, tenure_months, tenure_years

READINGS = [tenure_years, tenure_months, anniversary_years]
UTC_MINUS_12 = timezone(timedelta(hours=-12))
UTC_PLUS_14 = timezone(timedelta(hours=14))


@pytest.mark.parametrize("reading", READINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    "as_of",
    [np.datetime64("2021-02-28"), np.datetime64("2021-02-28T00:00:00"),
     np.datetime64("2021-02-28T00:00:00.000000000")],
    ids=repr,
)  # fmt: skip
def test_numpy_days_read_as_their_date(reading: Any, as_of: Any) -> None:
    assert reading(np.datetime64("2020-02-29"), as_of) == reading(
        date(2020, 2, 29), date(2021, 2, 28)
    )
    assert type(reading(date(2020, 2, 29), as_of)) is int


@pytest.mark.parametrize("reading", READINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    ("as_of", "fragment"),
    [
        (datetime(2021, 3, 1, 9, 30), "as_of must be a datetime.date, got datetime"),
        (datetime(2021, 3, 1, 9, 30, tzinfo=UTC_MINUS_12), "use local_date()"),
        (datetime(2021, 3, 1, 0, 30, tzinfo=UTC_PLUS_14), "use local_date()"),
        (pd.Timestamp("2021-03-01"), "as_of must be a datetime.date"),
        (np.datetime64("2021-03-01T09:30"), "as_of must be a day, got the timestamp"),
        (np.datetime64("NaT", "D"), "as_of is missing"),
        (None, "as_of must be a datetime.date, got NoneType"),
        ("2021-03-01", "as_of must be a datetime.date, got str"),
        (date(1, 1, 1), "as_of must be between 1900-01-01 and 2999-12-31"),
        (np.datetime64("99999-01-01"), "as_of must be between"),
    ],
    ids=repr,
)
def test_anything_but_a_day_is_refused_by_name(reading: Any, as_of: Any, fragment: str) -> None:
    """A datetime raised a bare TypeError (comparing it with a date) or read its UTC day."""
    name = "month" if reading is anniversary_years else "as_of"
    with pytest.raises(tc.InvalidInput) as info:
        reading(date(2020, 2, 29), as_of)
    assert fragment.replace("as_of", name) in str(info.value)
    with pytest.raises(tc.InvalidInput, match="activated_on"):
        reading(as_of, date(2021, 3, 1))


def test_a_customers_credit_level_is_bounded_as_the_offers_are() -> None:
    with pytest.raises(tc.InvalidInput, match=r"Customer\.credit_level must be <= 1000"):
        tc.Customer("c1", date(2010, 1, 1), 0, credit_level=10**30)


@pytest.mark.parametrize(
    "width", [np.int8, np.uint16, np.int64, np.uint64], ids=lambda w: w.__name__
)
def test_a_customer_built_from_numpy_values_holds_python_ints(width: Any) -> None:
    """Customer kept np.int8 plan fees and credit levels (checked, never converted)."""
    c = tc.Customer("c1", date(2008, 1, 1), width(100), monthly_spend=[width(1), width(2)],
                    credit_level=width(2), missed_evaluations=width(1))  # fmt: skip
    values = (c.plan_fee, c.credit_level, c.missed_evaluations, *c.monthly_spend)
    assert all(type(v) is int for v in values)
    assert c == tc.Customer("c1", date(2008, 1, 1), 100, monthly_spend=[1, 2], credit_level=2,
                            missed_evaluations=1)  # fmt: skip


@pytest.mark.parametrize("value", [np.bool_(True), True, 1.0, np.float64(100)])
def test_a_customer_refuses_bools_and_floats_as_counts(value: Any) -> None:
    with pytest.raises(tc.InvalidInput, match=r"Customer\.plan_fee must be an int"):
        tc.Customer("c1", date(2008, 1, 1), value)
