"""The codes of an object column by its objects give factorize's answer, refusals included."""

from __future__ import annotations

import numpy as np
import pytest

from telcare._core.errors import InvalidInput
from telcare._core.label_checks import factorize
from telcare._core.object_codes import label_codes, object_slots


def _column(n: int, names: list[object], seed: int = 1) -> np.ndarray:
    table = np.array(names, dtype=object)
    return table[np.random.default_rng(seed).integers(0, len(table), n)]


def test_slots_group_the_rows_by_the_object_they_hold() -> None:
    col = _column(50_000, ["", *(f"pm{i:03d}" for i in range(300))])
    found = object_slots(col)
    assert found is not None
    reps, slots = found
    assert len(reps) == len({id(v) for v in col.tolist()})
    assert all(col[reps][slots] == col)


def test_label_codes_are_factorizes_codes() -> None:
    col = _column(20_000, ["", *(f"pm{i:03d}" for i in range(300)), None])
    got = label_codes(col, "manager", empty=True, missing=True)
    want = factorize(col, "manager", empty=True, missing=True)
    assert got[0] == want[0]
    assert got[1].tolist() == want[1].tolist()


def test_equal_texts_in_two_objects_get_one_code() -> None:
    col = _column(10_000, ["li", "wang"])
    twin = "".join(["l", "i"])  # equal to "li", another object
    col[::7] = twin
    names, codes = label_codes(col, "manager")
    assert names == ("li", "wang")
    assert codes[::7].tolist() == [0] * len(codes[::7])


def test_a_trailing_nul_stays_its_own_label() -> None:
    col = _column(10_000, ["a", "a\x00", ""])
    names, codes = label_codes(col, "manager", empty=True)
    assert names == ("a", "a\x00")
    assert [names[c] if c >= 0 else "" for c in codes.tolist()] == col.tolist()


@pytest.mark.parametrize(
    ("bad", "message"),
    [(float("nan"), "manager is missing at index 3"), (" li", r"manager\[3\]"), (7, r"manager")],
)
def test_a_refused_label_is_named_by_its_first_row(bad: object, message: str) -> None:
    col = _column(10_000, ["li", "wang"])
    col[3] = bad
    col[9_000] = bad
    with pytest.raises(InvalidInput, match=message) as got:
        label_codes(col, "manager")
    with pytest.raises(InvalidInput) as want:
        factorize(col, "manager")
    assert str(got.value) == str(want.value)


def test_other_columns_go_the_plain_way() -> None:
    assert object_slots(np.array(["a", "b"])) is None
    assert object_slots(["a", "b"]) is None
    assert object_slots(np.zeros(0, dtype=object)) is None
    assert label_codes(["b", "a", "b"], "manager")[1].tolist() == [1, 0, 1]


def test_a_column_of_one_object_is_one_slot() -> None:
    col = np.array(["", ""], dtype=object)[np.zeros(5_000, dtype=np.int64)]
    found = object_slots(col)
    assert found is not None
    assert col[found[0]].tolist() == [""] and found[1].tolist() == [0] * 5_000
    names, codes = label_codes(col, "manager", empty=True)
    assert names == () and codes.tolist() == [-1] * 5_000
