from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given, strategies as st

import telcare as tc
from telcare._core.limits import MAX_FEN


@pytest.mark.parametrize(
    ("amount", "fen"),
    [
        ("96", 9600),
        (96, 9600),
        (Decimal("96.00"), 9600),
        ("0.01", 1),
        ("-1.5", -150),
        ("1,234.56", 123456),
        (" 7.1 ", 710),
        (0, 0),
    ],
)
def test_yuan_converts_exactly(amount: Any, fen: int) -> None:
    assert tc.yuan(amount) == fen


@pytest.mark.parametrize(
    ("bad", "quoted"),
    [
        (1.5, "1.5"),
        ("96.001", "96.001"),
        (Decimal("0.005"), "0.005"),
        ("NaN", "NaN"),
        ("inf", "inf"),
        (Decimal("-Infinity"), "Infinity"),
        ("ninety", "ninety"),
        ("", "''"),
        (True, "True"),
        (None, "None"),
        ([96], "[96]"),
    ],
)
def test_yuan_refuses_bad_amounts_naming_them(bad: Any, quoted: str) -> None:
    with pytest.raises(tc.InvalidInput, match="yuan") as info:
        tc.yuan(bad)
    assert quoted in str(info.value)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_yuan_of_a_decimal_string_round_trips_through_format(fen: int) -> None:
    text = tc.format_yuan(fen).replace("¥", "").replace(",", "")
    assert tc.yuan(text) == fen


@pytest.mark.parametrize(
    ("values", "fen"),
    [
        ([96, 2.675, -0.125], [9600, 268, -13]),
        ([0.005, -0.005, 0.004], [1, -1, 0]),
        (np.array([1, 2], dtype=np.int32), [100, 200]),
        ([], []),
        (np.array([1.1, 2.2, 3.3]), [110, 220, 330]),
    ],
)
def test_to_fen_rounds_half_away_from_zero(values: Any, fen: list[int]) -> None:
    out = tc.to_fen(values)
    assert out.dtype == np.int64
    assert out.tolist() == fen


@pytest.mark.parametrize(
    ("bad", "quoted"),
    [
        ([1.0, float("nan")], "nan"),
        ([float("inf")], "inf"),
        (["1.5"], "dtype"),
        ([True, False], "dtype"),
        ([1e300], "1e+300"),
        (np.array([2**62], dtype=np.int64), str(2**62)),
    ],
)
def test_to_fen_refuses_bad_columns(bad: Any, quoted: str) -> None:
    original = np.array(bad, copy=True) if isinstance(bad, np.ndarray) else list(bad)
    with pytest.raises(tc.InvalidInput) as info:
        tc.to_fen(bad)
    assert quoted in str(info.value)
    if isinstance(bad, np.ndarray):
        np.testing.assert_array_equal(bad, original)


@given(st.lists(st.integers(min_value=-(10**13), max_value=10**13)))
def test_to_fen_agrees_with_exact_decimal_rounding(fen_values: list[int]) -> None:
    # Any amount written with two decimals survives the trip through a float.
    yuan_floats = [f / 100 for f in fen_values]
    assert tc.to_fen(yuan_floats).tolist() == fen_values


def test_to_fen_does_not_modify_its_input() -> None:
    arr = np.array([1.234, 5.678])
    before = arr.copy()
    tc.to_fen(arr)
    np.testing.assert_array_equal(arr, before)


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (9600, "¥96.00"),
        (0, "¥0.00"),
        (1, "¥0.01"),
        (-150, "-¥1.50"),
        (123456789, "¥1,234,567.89"),
        (np.int64(5), "¥0.05"),
    ],
)
def test_format_yuan(fen: Any, text: str) -> None:
    assert tc.format_yuan(fen) == text


@pytest.mark.parametrize("bad", [1.5, "96", None, True, Decimal("1")])
def test_format_yuan_refuses_non_integers(bad: Any) -> None:
    with pytest.raises(tc.InvalidInput, match="format_yuan"):
        tc.format_yuan(bad)


def test_to_fen_across_its_internal_blocks() -> None:
    """to_fen works block by block; shapes, block edges and late bad values behave as one pass."""
    rng = np.random.default_rng(5)
    yuan = np.round(rng.normal(0, 500, 3 * (1 << 15) + 17), 2)
    scaled = np.round(yuan * 100, 6)
    expected = (np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)).astype(np.int64)
    np.testing.assert_array_equal(tc.to_fen(yuan), expected)
    assert tc.to_fen(yuan[:12].reshape(3, 4)).tolist() == expected[:12].reshape(3, 4).tolist()
    assert tc.to_fen(np.float32([1.25]))[0] == 125
    late = yuan.copy()
    late[-1] = np.nan
    with pytest.raises(tc.InvalidInput, match="needs finite amounts, got nan"):
        tc.to_fen(late)
    late[-1] = 1e300
    late[1 << 15] = np.inf  # the first bad value in the column is the one named
    with pytest.raises(tc.InvalidInput, match="needs finite amounts, got inf"):
        tc.to_fen(late)
    late[1 << 15] = 0.0
    with pytest.raises(tc.InvalidInput, match="got 1e\\+300 yuan, too large"):
        tc.to_fen(late)
    assert tc.to_fen(np.zeros((0, 3))).shape == (0, 3)


# ---- no lenient reading of money (issue: no silently wrong answer, class 7)


@pytest.mark.parametrize("text", ["1,50", "1,5", "12,3456", "1,234,56", ",5", "1,,000"])
def test_a_comma_that_is_not_a_thousands_separator_is_refused(text: str) -> None:
    with pytest.raises(tc.InvalidInput, match="comma may only separate thousands"):
        tc.yuan(text)


@given(st.integers(0, 10**9), st.integers(0, 99))
def test_thousands_separators_read_as_the_plain_amount(whole: int, cents: int) -> None:
    assert (
        tc.yuan(f"{whole:,}.{cents:02d}") == tc.yuan(f"{whole}.{cents:02d}") == whole * 100 + cents
    )


@pytest.mark.parametrize("text", ["1e999999999", "-1e40", "1e13"])
def test_amounts_beyond_the_money_bound_are_refused_not_computed(text: str) -> None:
    with pytest.raises(tc.InvalidInput, match=r"beyond|cannot read"):
        tc.yuan(text)


def test_the_bound_itself_is_accepted() -> None:
    assert tc.yuan(MAX_FEN // 100) == MAX_FEN
    with pytest.raises(tc.InvalidInput, match="beyond"):
        tc.yuan(MAX_FEN // 100 + 1)


@given(st.integers(-MAX_FEN, MAX_FEN) | st.integers(MAX_FEN // 10, MAX_FEN))
def test_every_whole_fen_amount_up_to_the_money_bound_converts_exactly(fen: int) -> None:
    amount = float(Decimal(fen) / 100)  # the float nearest the intended amount of yuan
    assert int(tc.to_fen([amount])[0]) == fen


def test_large_amounts_are_not_moved_by_the_noise_rounding() -> None:
    assert tc.to_fen([1e11 + 0.07, 123456789012.34]).tolist() == [
        10_000_000_000_007,
        12_345_678_901_234,
    ]
    with pytest.raises(tc.InvalidInput, match="too large"):
        tc.to_fen([MAX_FEN / 100 + 1])


@given(st.integers(-(10**14), 10**14))
def test_yuan_reads_back_what_format_yuan_writes(fen: int) -> None:
    assert tc.yuan(tc.format_yuan(fen)) == fen


# ---- narrow floats (issue 28, numpy scalars): a float32 column keeps the fen float64 keeps


def test_a_float32_half_fen_rounds_as_the_same_float64_amount() -> None:
    amounts = [2.675, -2.675, 1.005, 0.015, 0.125, 1234.565, 16383.995]
    narrow = np.array(amounts, dtype=np.float32)
    assert tc.to_fen(narrow).tolist() == tc.to_fen(amounts).tolist() == [
        268, -268, 101, 2, 13, 123457, 1638400,
    ]  # fmt: skip
    assert tc.to_fen(np.float32(2.675)).tolist() == 268
    assert tc.to_fen(np.array([1.005], dtype=np.float16)).tolist() == [101]


@given(st.integers(-1_638_399, 1_638_399), st.booleans())
def test_float32_amounts_of_whole_and_half_fen_agree_with_float64(fen: int, half: bool) -> None:
    """Below 16,384 yuan every amount of whole fen, and of a half fen, that a float32
    column holds converts as the float64 of the same decimals does."""
    text = f"{fen / 100:.2f}" if not half else f"{(fen + (0.5 if fen >= 0 else -0.5)) / 100:.3f}"
    wide = np.array([float(text)])
    assert tc.to_fen(wide.astype(np.float32)).tolist() == tc.to_fen(wide).tolist()


@pytest.mark.parametrize(
    ("dtype", "amount", "limit"),
    [(np.float32, 37_059.735, "16,384"), (np.float32, -16_384.0, "16,384"), (np.float16, 2.0, "2")],
)
def test_a_narrow_float_too_large_to_hold_the_fen_is_refused(
    dtype: Any, amount: float, limit: str
) -> None:
    with pytest.raises(
        tc.InvalidInput, match=f"as {np.dtype(dtype).name}, which holds .* below {limit} yuan"
    ):
        tc.to_fen(np.array([1.0, amount], dtype=dtype))


def test_a_narrow_float_that_is_not_finite_is_refused_by_value() -> None:
    with pytest.raises(tc.InvalidInput, match="needs finite amounts, got nan"):
        tc.to_fen(np.array([1.0, np.nan], dtype=np.float32))
    with pytest.raises(tc.InvalidInput, match="needs finite amounts, got inf"):
        tc.to_fen(np.array([np.inf], dtype=np.float32))


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (None, "needs numeric yuan amounts in values, got dtype object"),
        ([1, float("nan"), 1], "needs finite amounts, got nan in values"),
        (np.array([1.5, 0.5, 2.0], np.float16), "values hold 2.0 yuan as float16"),
        (
            np.array([2**63, 1, 1], np.uint64),
            r"got 9223372036854775808 yuan, too large to hold in fen \(in values\)",
        ),
    ],
)
def test_to_fen_refusals_name_the_values_argument(values: Any, message: str) -> None:
    with pytest.raises(tc.InvalidInput, match=message):
        tc.to_fen(values)
