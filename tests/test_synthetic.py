"""The synthetic base refuses what it cannot generate from, by name (#28)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pytest

import telcare as tc
import telcare.synthetic as ts
from telcare._core.limits import MAX_DATE, MIN_DATE


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        (float("nan"), r"^as_of must be a datetime\.date, got float nan"),
        ("wang", r"^as_of must be a datetime\.date, got str 'wang'"),
        (-(2**63) - 1, r"^as_of must be a datetime\.date, got int"),
        (np.array([1, 2, 3], np.uint64), r"^as_of must be a datetime\.date, got ndarray"),
        (
            datetime(2010, 12, 1, 0, 30, tzinfo=UTC),
            r"^as_of must be a datetime\.date, got datetime",
        ),
    ],
)
def test_generate_base_refuses_an_as_of_that_is_not_a_date(as_of: Any, message: str) -> None:
    with pytest.raises(tc.InvalidInput, match=message):
        ts.generate_base(10, as_of=as_of)


def test_generate_base_takes_a_date() -> None:
    assert ts.generate_base(10, as_of=date(2010, 12, 1)).as_of == date(2010, 12, 1)


@pytest.mark.parametrize("as_of", [date(1900, 1, 2), date(1915, 12, 28), date(1968, 1, 1)])
def test_generate_base_refuses_an_as_of_too_early_for_its_history_naming_the_earliest(
    as_of: date,
) -> None:
    """A base's customers were activated up to 16 years and born up to 68 years before
    as_of: from 1900-01-02 that put activation days before the library's first day,
    MIN_DATE, and until 1968-01-01 birthdays (the ages need 68 years of calendar)."""
    with pytest.raises(
        tc.InvalidInput, match=r"^as_of must be on or after 1968-01-02 .*1900-01-01"
    ):
        ts.generate_base(10, as_of=as_of)


def _age(birthday: date, on: date) -> int:
    return on.year - birthday.year - ((on.month, on.day) < (birthday.month, birthday.day))


@pytest.mark.parametrize(
    "as_of", [date(1968, 1, 2), date(1990, 6, 1), date(2010, 12, 1), date(2060, 3, 1)]
)
def test_generated_customers_are_18_to_68_years_old_whatever_the_as_of(as_of: date) -> None:
    """The birthdays were drawn from 1950-1999 whatever as_of: a base for 2060 had only
    60- to 110-year-olds, one for 1990 customers not yet born."""
    base = ts.generate_base(5_000, seed=3, as_of=as_of)
    known = base.birthday[~np.isnat(base.birthday)].astype("datetime64[D]").tolist()
    ages = [_age(b, as_of) for b in known]
    assert 0.7 * len(base) < len(ages) < 0.9 * len(base)  # a fifth have no birthday
    assert min(ages) == 18 and max(ages) in (67, 68)
    assert 38 <= sum(ages) / len(ages) <= 48  # uniform over the 50 years: about 43


def test_the_ages_leave_every_other_column_of_a_base_as_it_was() -> None:
    """The age is drawn where the birthday was (one draw a customer), so the rest of a
    base comes out of the generator as before: these figures are the generator's of
    before the change, for this seed."""
    b = ts.generate_base(2_000, seed=11)
    ends = b.contract_ends_on[~np.isnat(b.contract_ends_on)].astype(np.int64)
    assert [int(b.credit_level.sum()), int(b.arrears.sum()), int(b.status.sum())] == [
        4453, 13_083_027, 128]  # fmt: skip
    assert [int(b.verification.sum()), int(b.monthly_spend.sum())] == [1971, 553_538_952]
    assert [int(np.isnat(b.contract_ends_on).sum()), int(ends.sum())] == [1216, 11_999_806]
    assert int(np.isnat(b.birthday).sum()) == 437
    assert round(float(b.forwarded_share.sum()), 9) == 121.736542551


def test_generate_base_refuses_an_as_of_too_late_for_its_contracts_naming_the_latest() -> None:
    with pytest.raises(tc.InvalidInput, match=r"^as_of must be on or before 2998-01-01 "):
        ts.generate_base(10, as_of=date(2998, 1, 2))


def test_a_base_at_either_end_of_its_days_stays_in_the_calendar() -> None:
    low, high = np.datetime64(MIN_DATE, "D"), np.datetime64(MAX_DATE, "D")
    for as_of in (ts.EARLIEST_AS_OF, ts.LATEST_AS_OF):
        base = ts.generate_base(20_000, seed=1, as_of=as_of)
        assert base.activated_on.min() >= low and base.activated_on.max() <= high
        ends = base.contract_ends_on[~np.isnat(base.contract_ends_on)]
        assert ends.min() >= low and ends.max() <= high
        assert ts.month_starts(as_of, 24)[0] >= MIN_DATE
        born = base.birthday[~np.isnat(base.birthday)]
        assert born.min() >= low and born.max() <= np.datetime64(as_of, "D")
