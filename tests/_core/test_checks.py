"""The one module of input checks: what each check accepts, and how it refuses."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, strategies as st

import telcare as tc
from telcare._core import checks

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.fractions(),
    st.text(max_size=5),
    st.dates(),
    st.datetimes(),
)


@given(anything, st.integers(-5, 5), st.integers(-5, 5))
def test_integer_accepts_exactly_the_ints_inside_its_bounds(
    value: Any, low: int, high: int
) -> None:
    is_int = isinstance(value, int) and not isinstance(value, bool)
    try:
        got: int | str = checks.integer(value, "n", minimum=low, maximum=high)
    except tc.InvalidInput as exc:
        got = str(exc)
    if isinstance(got, str):
        assert got.startswith("n must be")
        assert not (is_int and low <= value <= high)
    else:
        assert is_int and low <= value <= high and got == value and type(got) is int


def _finite_as_float(value: Any) -> bool:
    try:
        return math.isfinite(float(value))
    except (OverflowError, ValueError):  # beyond float range, or a signalling NaN
        return False


@given(anything | st.integers(min_value=2**1030) | st.just(Decimal("sNaN")))
def test_number_accepts_exactly_the_finite_reals(value: Any) -> None:
    real = isinstance(value, int | float | Decimal | Fraction) and not isinstance(value, bool)
    try:
        got: float | str = checks.number(value, "x")
    except tc.InvalidInput as exc:
        got = str(exc)
    if isinstance(got, str):
        assert got.startswith("x must be a finite number")
        assert not real or not _finite_as_float(value)
    else:
        assert real and math.isfinite(got) and got == float(value)


@pytest.mark.parametrize(
    ("value", "open_low", "open_high", "ok"),
    [(0, False, False, True), (0, True, False, False), (1, False, True, False), (1, True, False, True),
     (0.5, True, True, True), (-0.0, False, False, True), (1.0000001, False, False, False)],
)  # fmt: skip
def test_proportion_honours_open_and_closed_ends(
    value: float, open_low: bool, open_high: bool, ok: bool
) -> None:
    if ok:
        assert checks.proportion(value, "p", open_low=open_low, open_high=open_high) == value
    else:
        with pytest.raises(tc.InvalidInput, match=r"^p must be in [\[(]0, 1[\])], got "):
            checks.proportion(value, "p", open_low=open_low, open_high=open_high)


@given(st.decimals(0, 1, places=4))
def test_fraction_reads_decimal_text_exactly(value: Decimal) -> None:
    assert checks.fraction(str(value), "share") == Fraction(value)


@pytest.mark.parametrize("bad", ["inf", "nan", "1e999999", "0.1.2", "1,5", None, True, [0.1]])
def test_fraction_refuses_what_is_not_a_finite_number(bad: Any) -> None:
    with pytest.raises(tc.InvalidInput, match=r"^share must be (a number )?in"):
        checks.fraction(bad, "share")


@pytest.mark.parametrize("bad", ["", " ", " c1", "c1\n", 7, None])
def test_text_refuses_blank_padded_or_non_strings(bad: Any) -> None:
    with pytest.raises(tc.InvalidInput, match=r"^id must"):
        checks.text(bad, "id")


def test_dates_and_datetimes_are_told_apart() -> None:
    aware = datetime(2026, 1, 1, tzinfo=UTC)
    assert checks.aware(aware, "at") is aware
    assert checks.plain_date(date(2026, 1, 1), "on") == date(2026, 1, 1)
    with pytest.raises(tc.InvalidInput, match="timezone-aware"):
        checks.aware(datetime(2026, 1, 1), "at")
    with pytest.raises(tc.InvalidInput, match="use local_date"):
        checks.plain_date(aware, "on")


def test_an_attrs_field_is_named_by_class_and_field_and_may_be_optional() -> None:
    @attrs.frozen
    class Visit:
        count: int = attrs.field(validator=checks.field(checks.integer, maximum=9))
        note: str | None = attrs.field(
            default=None, validator=checks.field(checks.text, optional=True)
        )

    assert Visit(9).count == 9 and Visit(0, None).note is None
    with pytest.raises(tc.InvalidInput, match=r"^Visit\.count must be <= 9, got 10$"):
        Visit(10)
    with pytest.raises(tc.InvalidInput, match=r"^Visit\.note must be None or a str, got int 3$"):
        Visit(1, 3)  # type: ignore[arg-type]


@given(st.lists(st.booleans(), min_size=1, max_size=20))
def test_a_masked_entry_anywhere_is_refused_by_every_column_check(mask: list[bool]) -> None:
    values = np.ma.masked_array(np.arange(len(mask)), mask=mask)
    for check in (checks.int_column, checks.bool_column, checks.column):
        if any(mask):
            with pytest.raises(tc.InvalidInput, match=f"masked entry at index {mask.index(True)}"):
                check(
                    np.ma.masked_array(values % 2 if check is checks.bool_column else values), "c"
                )
        else:
            assert len(check(values % 2, "c")) == len(mask)


def test_rules_refuse_masked_columns_instead_of_reading_the_hidden_values() -> None:
    spend = np.ma.masked_array([50_000, 0], mask=[True, False])
    with pytest.raises(tc.InvalidInput, match="avg_spend has a masked entry at index 0"):
        tc.evaluate_tiers(spend, [12, 12])


def test_telcare_enums_name_every_member_when_a_value_is_unknown() -> None:
    with pytest.raises(
        tc.InvalidInput,
        match=r"^unknown Moment 'teatime'; expected one of \['new_subscriber_callback'",
    ):
        tc.Moment("teatime")
    with pytest.raises(
        tc.InvalidInput, match=r"^unknown Verification 7; expected one of \[0, 1, 2\]$"
    ):
        tc.Verification(7)
    with pytest.raises(
        ValueError, match="unknown AccountStatus"
    ):  # still a ValueError, as enums raise
        tc.AccountStatus(-1)
    assert tc.Channel("phone") is tc.Channel.PHONE
