"""The month's column shortcuts give the answers of the plain numpy ways."""

from __future__ import annotations

from datetime import date

import numpy as np

from telcare.cli._month import _months_since, _tier_of
from telcare.policy import as_policy


def test_months_since_is_numpys_calendar_months() -> None:
    days = np.datetime64("1990-01-01") + np.random.default_rng(5).integers(0, 9_000, 5_000)
    days = days.astype("datetime64[D]")
    days[7] = np.datetime64("NaT", "D")
    for day in (date(2010, 10, 1), date(2010, 10, 31)):
        want = (np.datetime64(day, "M") - days.astype("datetime64[M]")).astype(np.int64)
        assert _months_since(day, days).tolist() == want.tolist()
        assert _months_since(day, days[8:]).tolist() == want[8:].tolist()
    assert _months_since(date(2010, 10, 1), days[:0]).tolist() == []


def test_a_file_column_of_tier_codes_is_read_as_its_text() -> None:
    policy = as_policy(None)
    names = np.array(["", *policy.tiers.codes], dtype=object)
    column = names[np.random.default_rng(2).integers(0, len(names), 20_000)]
    got = _tier_of(column, policy)
    want = _tier_of(column.astype(str), policy)  # numpy text: the plain way
    assert got.tolist() == want.tolist()
    assert got[column == ""].tolist() == [0] * int((column == "").sum())
