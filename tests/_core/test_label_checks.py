"""The label and day checks every newer surface enters through (issue #28, classes 1 and 3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pytest
from hypothesis import given, strategies as st

from telcare._core.errors import InvalidInput
from telcare._core.label_checks import (
    _checked_rows,
    _rows,
    factorize,
    is_missing,
    label,
    label_column,
    local_day,
    local_days,
)

pd = pytest.importorskip("pandas")
SHANGHAI = "Asia/Shanghai"


@pytest.mark.parametrize(
    "missing",
    [None, float("nan"), np.float32("nan"), np.datetime64("NaT", "D"), pd.NA, pd.NaT],
    ids=["None", "nan", "float32-nan", "numpy-NaT", "pandas-NA", "pandas-NaT"],
)
def test_every_missing_value_is_refused_with_its_row_never_becoming_a_name(missing: object) -> None:
    assert is_missing(missing)
    with pytest.raises(InvalidInput, match=r"^manager is missing at index 1 "):
        label_column(["wang", missing, "li"], "manager")
    with pytest.raises(InvalidInput, match=r"^manager is missing at index 1 "):
        label_column(pd.Series(["wang", missing, "li"], dtype=object), "manager")


def test_pandas_columns_with_missing_labels_are_refused_whatever_their_dtype() -> None:
    for column in (
        pd.Series(["a", None], dtype="string"),
        pd.Series([1, None], dtype="Int64"),
        pd.Series(pd.Categorical(["a", None])),
        pd.Series(["a", float("nan")]),
    ):
        with pytest.raises(InvalidInput, match=r"is missing at index 1"):
            label_column(column, "group")


def test_numpy_labels_become_python_values() -> None:
    out = label_column(np.array([3, 1], dtype=np.int16), "cell")
    assert out == [3, 1] and all(type(v) is int for v in out)
    out = label_column(np.array(["a", "b"]), "cell")
    assert out == ["a", "b"] and all(type(v) is str for v in out)
    assert label_column(pd.Series([1, 2], dtype="Int64"), "cell") == [1, 2]


@pytest.mark.parametrize("bad", [True, np.bool_(False), 1.5, "", " wang", b"wang", (1,)])
def test_a_label_that_is_not_text_or_an_integer_is_refused(bad: object) -> None:
    with pytest.raises(InvalidInput, match=r"^group"):
        label(bad, "group")


def test_one_text_is_not_a_column_of_labels() -> None:
    with pytest.raises(
        InvalidInput, match=r"^agents must be a column of labels, got the str 'wang'"
    ):
        label_column("wang", "agents")
    with pytest.raises(InvalidInput, match=r"masked entry at index 0"):
        label_column(np.ma.masked_array([1, 2], mask=[True, False]), "cell")


def test_an_aware_datetime_is_its_day_in_the_policy_zone_not_in_utc() -> None:
    one_am_shanghai = datetime(2026, 11, 29, 1, 0, tzinfo=timezone(timedelta(hours=8)))
    assert local_day(one_am_shanghai, "since", SHANGHAI) == date(2026, 11, 29)
    assert local_day(one_am_shanghai.astimezone(UTC), "since", SHANGHAI) == date(2026, 11, 29)
    assert local_day(date(2026, 2, 28), "since", SHANGHAI) == date(2026, 2, 28)
    with pytest.raises(InvalidInput, match=r"^since must be timezone-aware"):
        local_day(datetime(2026, 11, 29), "since", SHANGHAI)
    with pytest.raises(InvalidInput, match=r"^since must be a date, got str"):
        local_day("2026-11-29", "since", SHANGHAI)
    with pytest.raises(InvalidInput, match=r"^since must be between"):
        local_day(date(1, 1, 1), "since", SHANGHAI)


def test_aware_columns_read_in_the_policy_zone_in_every_form() -> None:
    utc = [datetime(2026, 11, 28, 17, 0, tzinfo=UTC), None]
    expected = ["2026-11-29", "NaT"]
    assert local_days(utc, "due", SHANGHAI).astype(str).tolist() == expected
    assert local_days(np.array(utc, dtype=object), "due", SHANGHAI).astype(str).tolist() == expected
    series = pd.Series(pd.to_datetime(["2026-11-28 17:00", None]).tz_localize("UTC"))
    assert local_days(series, "due", SHANGHAI).astype(str).tolist() == expected
    assert local_days(pd.DatetimeIndex(series), "due", SHANGHAI).astype(str).tolist() == expected
    with_nat = [datetime(2026, 11, 28, 17, 0, tzinfo=UTC), pd.NaT]  # NaT is missing, not naive
    assert local_days(with_nat, "due", SHANGHAI).astype(str).tolist() == expected
    with pytest.raises(InvalidInput, match=r"naive timestamp 2026-11-28T17:00.* at index 0"):
        local_days(np.array(["2026-11-28T17:00"], dtype="datetime64[m]"), "due", SHANGHAI)
    with pytest.raises(InvalidInput, match=r"^due must hold dates between .* at index 0"):
        local_days(np.array(["1800-01-01"], dtype="datetime64[D]"), "due", SHANGHAI)


# ------------------------------------------------- the fast check of a plain column


def _factorize_by_row(
    values: Any, name: str, *, text: bool = True, empty: bool = False, missing: bool = False
) -> tuple[tuple[Any, ...], Any]:
    """``factorize`` as it was before the fast path (issue #31): a Python loop per row,
    kept here as the oracle the fast one must agree with, refusals included."""
    rows = _rows(values, name)
    if not text:
        for i, v in enumerate(rows):
            if isinstance(v, bool | np.bool_ | float | np.floating) and not is_missing(v):
                label(v, f"{name}[{i}]")
    index: dict[Any, int] = {}
    try:
        codes = np.fromiter((index.setdefault(v, len(index)) for v in rows), np.int64, len(rows))
    except TypeError:
        _checked_rows(rows, name)
        raise
    firsts = np.unique(codes, return_index=True)[1] if len(rows) else np.zeros(0, np.int64)
    checked: list[Any] = []
    for key, row in zip(index, firsts.tolist(), strict=True):
        if (empty and isinstance(key, str) and key == "") or (missing and is_missing(key)):
            checked.append(None)
            continue
        if is_missing(key):
            raise InvalidInput(
                f"{name} is missing at index {row} (got {key!r}); give every row a label"
            )
        value = label(key, f"{name}[{row}]")
        if text and not isinstance(value, str):
            raise InvalidInput(f"{name} must hold text labels, got {key!r} at index {row}")
        checked.append(str(value) if isinstance(value, str) else value)
    present = [v for v in checked if v is not None]
    if len({type(v) for v in present}) > 1:
        row = next(r for v, r in zip(checked, firsts.tolist(), strict=True) if type(v) is int)
        raise InvalidInput(
            f"{name} must hold text or integer labels, not both: {rows[row]!r} at index {row}"
        )
    names = sorted(set(present))
    rank = {v: i for i, v in enumerate(names)}
    lookup = np.array([-1 if v is None else rank[v] for v in checked], dtype=np.int64)
    return tuple(names), lookup[codes] if len(rows) else np.zeros(0, dtype=np.int64)


def _outcome(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """What a call gives: its value with each element's type, or its refusal's text."""
    try:
        out = call(*args, **kwargs)
    except InvalidInput as exc:
        return "refused", str(exc)
    if isinstance(out, tuple):  # factorize: the names (with their types) and the codes
        names, codes = out
        return [(type(v), v) for v in names], codes.dtype, codes.tolist()
    return [(type(v), v) for v in out]


#: Texts near the edges the fast check must see: empty, padded with ASCII or Unicode
#: whitespace, the scan's own separator inside or at an edge.
TEXTS = st.text(alphabet=["a", "b", " ", "\t", "\n", "\x1f", "\u3000", "\xa0", "é"], max_size=4)
PLAIN_INTS = st.integers(min_value=-(2**70), max_value=2**70)
ODD = st.sampled_from(
    [None, float("nan"), np.float64("nan"), pd.NA, pd.NaT, np.datetime64("NaT", "D"), True,
     False, np.bool_(True), 1.0, 0.5, np.float32(2), np.int64(7), np.uint8(1), np.int32(-3),
     np.str_("a"), np.str_(" a"), b"a", "", " "]
)  # fmt: skip
#: Texts one edge away from a label: padded at one end, empty, the separator at an edge
#: or inside before a space (a false alarm: the row check must then accept it).
EDGE_TEXTS = [
    "a ",
    " a",
    "",
    " ",
    "a\t",
    "\na",
    "a\x1f",
    "\x1fa",
    "a\u3000",
    "\xa0a",
    "a\x1f b",
    "a b",
]
EDGES = st.sampled_from(EDGE_TEXTS)
CLEAN = st.one_of(
    st.lists(st.text(alphabet="ab\u00e9 \x1f", max_size=3).map(lambda t: f"x{t}x"), min_size=1),
    st.lists(PLAIN_INTS, min_size=1),
)


@st.composite
def _one_odd_row(draw: st.DrawFn) -> list[Any]:
    """A clean column with one drawn value (padded, empty, missing, a bool...) at a drawn row:
    the fast check must find it wherever it is."""
    rows = draw(CLEAN)
    at = draw(st.integers(0, len(rows)))
    return [*rows[:at], draw(st.one_of(EDGES, ODD)), *rows[at:]]


COLUMNS = st.one_of(
    st.lists(TEXTS, max_size=8),
    st.lists(st.sampled_from(["wang", "li", "zhao", ""]), max_size=8),
    st.lists(PLAIN_INTS, max_size=8),
    st.lists(st.one_of(TEXTS, PLAIN_INTS, ODD), max_size=8),
    st.lists(st.one_of(st.sampled_from(["wang", "li"]), ODD), max_size=8),
    st.lists(st.one_of(st.integers(-3, 3), ODD), max_size=8),
)
FORMS: dict[str, Callable[[list[Any]], Any]] = {
    "list": list,
    "tuple": tuple,
    "object array": lambda rows: np.array([*rows, None], dtype=object)[:-1],
    "object Series": lambda rows: pd.Series(rows, dtype=object),
}


@given(st.one_of(_one_odd_row(), COLUMNS), st.sampled_from(sorted(FORMS)))
def test_the_fast_label_column_gives_the_row_by_row_answer_or_refusal(
    rows: list[Any], form: str
) -> None:
    values = FORMS[form](rows)
    fast = _outcome(label_column, values, "ids")
    by_row = _outcome(_checked_rows, _rows(values, "ids"), "ids")
    assert fast == by_row


@given(
    st.one_of(_one_odd_row(), COLUMNS),
    st.sampled_from(sorted(FORMS)),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_the_fast_factorize_gives_the_row_by_row_answer_or_refusal(
    rows: list[Any], form: str, text: bool, empty: bool, missing: bool
) -> None:
    values = FORMS[form](rows)
    flags = {"text": text, "empty": empty, "missing": missing}
    fast = _outcome(factorize, values, "ids", **flags)
    assert fast == _outcome(_factorize_by_row, values, "ids", **flags)


@pytest.mark.parametrize("at", [0, 1, 2], ids=["first", "middle", "last"])
def test_a_text_one_edge_away_is_found_at_every_row(at: int) -> None:
    for edge in EDGE_TEXTS:
        rows = ["xa", "xb"]
        rows.insert(at, edge)
        fast = _outcome(label_column, rows, "ids")
        assert fast == _outcome(_checked_rows, rows, "ids"), rows
        for empty in (False, True):
            fast = _outcome(factorize, rows, "ids", empty=empty)
            assert fast == _outcome(_factorize_by_row, rows, "ids", empty=empty), (rows, empty)


@pytest.mark.parametrize(
    "rows",
    [[3, 1, 3, 2**63 + 5], [7], [], [-2, 0]],
    ids=["with-repeats-and-uint64", "one", "empty", "negative"],
)
def test_factorize_reads_an_integer_array_as_its_rows_would_be_read(rows: list[int]) -> None:
    dtype = np.uint64 if any(v >= 2**63 for v in rows) else np.int64
    arr = np.array(rows, dtype=dtype)
    names, codes = factorize(arr, "ids", text=False)
    assert (names, codes.tolist()) == (
        tuple(sorted(set(rows))),
        [sorted(set(rows)).index(v) for v in rows],
    )
    assert all(type(v) is int for v in names) and codes.dtype == np.int64
    if rows:  # a text column refuses the first integer, as the row check does
        with pytest.raises(
            InvalidInput, match=rf"^ids must hold text labels, got {rows[0]} at index 0$"
        ):
            factorize(arr, "ids")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["a", "b", " c"], r"^ids\[2\] must be a label without edge whitespace, got ' c'$"),
        (
            ["a", "b\u3000", "c"],
            r"^ids\[1\] must be a label without edge whitespace, got 'b\\u3000'$",
        ),
        (["a", "", "c"], r"^ids\[1\] must be a label without edge whitespace, got ''$"),
        ([""], r"^ids\[0\] must be a label without edge whitespace, got ''$"),
        (["a", pd.NA], r"^ids is missing at index 1 \(got <NA>\); give every row a label$"),
        ([1, True], r"^ids\[1\] must be a text or integer label, got bool True$"),
    ],
    ids=["leading-space", "ideographic-space", "empty", "only-empty", "pandas-NA", "bool"],
)
def test_a_plain_looking_column_with_one_bad_row_is_refused_at_that_row(
    rows: list[Any], message: str
) -> None:
    for values in (rows, np.array(rows, dtype=object), pd.Series(rows, dtype=object)):
        with pytest.raises(InvalidInput, match=message):
            label_column(values, "ids")


def test_a_plain_column_comes_back_as_python_labels_in_every_form() -> None:
    ids = ["13800000001", "13800000002"]
    for values in (ids, tuple(ids), np.array(ids), pd.Series(ids), pd.Series(ids, dtype="string")):
        out = label_column(values, "ids")
        assert out == ids and all(type(v) is str for v in out)
    for ints in ([5, 6], np.array([5, 6], dtype=np.uint32), [np.int64(5), 6], pd.Series([5, 6])):
        out = label_column(ints, "ids")
        assert out == [5, 6] and all(type(v) is int for v in out)
    names, codes = factorize(np.array(ids[::-1]), "ids", text=False)
    assert names == tuple(ids) and codes.tolist() == [1, 0] and type(names[0]) is str


def test_local_days_never_hands_back_the_callers_own_column() -> None:
    given = np.array(["2010-10-01", "NaT", "2010-10-03"], dtype="datetime64[D]")
    for values in (given, given[::1], pd.Series(given)):
        days = local_days(values, "due", SHANGHAI)
        days[0] = np.datetime64("2011-01-01")
        assert given[0] == np.datetime64("2010-10-01")


def test_local_days_refuses_a_day_outside_the_calendar_beside_a_missing_one() -> None:
    with pytest.raises(InvalidInput, match="at index 2"):
        local_days(np.array(["NaT", "2010-10-01", "1800-01-01"], dtype="datetime64[D]"), "due",
                   SHANGHAI)  # fmt: skip
