"""Seed 001's suspicious-user rules and the watch list."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st

import telcare as tc

POLICY = tc.default_policy()


STRICT = tc.Policy.model_validate({"verification": {"shared_threshold": 2, "operator_threshold": 2,
                                                    "failed_slots": 2, "sms_failures": 1}})  # fmt: skip


# ---- suspicious users


def test_a_clean_subscriber_is_not_suspicious() -> None:
    s = tc.is_suspicious(tc.CallbackFacts(), policy=POLICY)
    assert (s.suspicious, s.reasons) == (False, ("none of the 8 suspicious-user rules fired",))


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        ({"id_copy_ok": False}, "ID copy missing or unclear"),
        ({"signature_ok": False}, "signature missing or unclear"),
        ({"address_ok": False}, "address wrong or incomplete"),
        ({"contact_phone_ok": False}, "contact number wrong or empty"),
        ({"failed_attempt_slots": 3}, "callbacks failed in 3 different time slots (>= 3)"),
        ({"knows_holder": False}, "the number's user does not know the account holder"),
        ({"group_related": False}, "group-account user unrelated to the group"),
        ({"sms_failures": 3}, "3 SMS not delivered (>= 3)"),
    ],
)
def test_each_seed_rule_has_its_own_reason(facts: dict[str, Any], reason: str) -> None:
    s = tc.is_suspicious(tc.CallbackFacts(**facts), policy=POLICY)
    assert (s.suspicious, s.reasons) == (True, (reason,))


def test_two_failed_slots_are_not_enough() -> None:
    assert not tc.is_suspicious(tc.CallbackFacts(failed_attempt_slots=2), policy=POLICY).suspicious
    assert not tc.is_suspicious(
        tc.CallbackFacts(sms_failures=2, knows_holder=None), policy=POLICY
    ).suspicious


def test_several_rules_give_several_reasons() -> None:
    s = tc.is_suspicious(tc.CallbackFacts(id_copy_ok=False, sms_failures=4), policy=POLICY)
    assert s.reasons == ("ID copy missing or unclear", "4 SMS not delivered (>= 3)")


def test_the_policy_sets_every_verification_threshold() -> None:
    assert tc.is_suspicious(tc.CallbackFacts(failed_attempt_slots=2), policy=STRICT).reasons == (
        "callbacks failed in 2 different time slots (>= 2)",
    )
    assert tc.is_suspicious(tc.CallbackFacts(sms_failures=1), policy=STRICT).reasons == (
        "1 SMS not delivered (>= 1)",
    )
    for column in range(4):
        cols = [["a", "b", "c"] for _ in range(4)]
        cols[column] = ["x", "x", "y"]
        expected = [True, True, False]
        assert tc.watch_list(*cols, policy=STRICT).tolist() == expected, column
        assert tc.watch_list(*cols, policy=POLICY).tolist() == [False, False, False], column


# ---- the watch list


def test_watch_list_shared_values_and_busy_operators() -> None:
    n = 25
    ids = [f"id{i}" for i in range(n)]
    ids[0] = ids[1] = ids[2] = "dup"
    phones = [f"p{i}" for i in range(n)]
    phones[3] = phones[4] = "shared-twice"  # 2 < 3: not flagged
    addresses = [f"a{i}" for i in range(n)]
    operators = ["busy"] * 20 + ["calm"] * 5
    flags = tc.watch_list(ids, phones, addresses, operators, policy=POLICY)
    assert flags.tolist() == [True] * 20 + [False] * 5
    operators = ["busy"] * 19 + ["calm"] * 6
    flags = tc.watch_list(ids, phones, addresses, operators, policy=POLICY)
    assert np.flatnonzero(flags).tolist() == [0, 1, 2]


def test_missing_values_never_match_each_other() -> None:
    col = np.array(["", None, float("nan"), "", None, float("nan")], dtype=object)
    empty = [""] * 6
    assert not tc.watch_list(col, empty, empty, [None] * 6, policy=POLICY).any()


def test_integer_columns_work() -> None:
    flags = tc.watch_list(np.array([7, 7, 7, 8]), [""] * 4, [""] * 4, [""] * 4, policy=POLICY)
    assert flags.tolist() == [True, True, True, False]


@given(st.lists(st.sampled_from(["a", "b", "c", "", None]), max_size=30))
def test_watch_list_matches_a_plain_count(values: list[str | None]) -> None:
    col = np.array(values, dtype=object)
    blank = [""] * len(values)
    flags = tc.watch_list(col, blank, blank, blank, policy=POLICY)
    expected = [v not in ("", None) and values.count(v) >= 3 for v in values]
    assert flags.tolist() == expected


def test_watch_list_column_kinds() -> None:
    blank = [""] * 4
    as_bytes = np.array([b"A", b"A", b"A", b""])
    assert tc.watch_list(as_bytes, blank, blank, blank, policy=POLICY).tolist() == [
        True,
        True,
        True,
        False,
    ]
    mixed = np.array(["7", 7, 7, None], dtype=object)  # compared as text: "7" == 7
    assert tc.watch_list(mixed, blank, blank, blank, policy=POLICY).tolist() == [
        True,
        True,
        True,
        False,
    ]
    ints = np.array([5, 5, 5, 6], dtype=np.uint32)
    assert tc.watch_list(ints, blank, blank, blank, policy=POLICY).tolist() == [
        True,
        True,
        True,
        False,
    ]
    empty = tc.watch_list([], [], [], [], policy=POLICY)
    assert empty.dtype == np.bool_ and empty.shape == (0,)
    only_missing = tc.watch_list(
        np.array([None, None, None], dtype=object), [""] * 3, [""] * 3, [""] * 3
    )
    assert only_missing.dtype == np.bool_ and not only_missing.any()


# ---- refusals


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id_copy_ok", 1),
        ("knows_holder", "no"),
        ("failed_attempt_slots", -1),
        ("sms_failures", 2.0),
        ("group_related", 0),
    ],
)
def test_callback_facts_refuse_bad_values(field: str, value: Any) -> None:
    with pytest.raises(tc.InvalidInput, match=f"CallbackFacts.{field}"):
        tc.CallbackFacts(**{field: value})


def test_is_suspicious_needs_facts() -> None:
    with pytest.raises(tc.InvalidInput, match="CallbackFacts"):
        tc.is_suspicious({"id_copy_ok": False})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("columns", "fragment"),
    [
        ((["a"], ["b", "c"], ["d"], ["e"]), "equal lengths"),
        (([["a"]], ["b"], ["d"], ["e"]), "1-D"),
        (
            ([1.5], ["b"], ["d"], ["e"]),
            "id_numbers must hold strings or integers, got float 1.5 at index 0",
        ),
    ],
)
def test_watch_list_bad_columns(columns: tuple[Any, ...], fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        tc.watch_list(*columns, policy=POLICY)
    assert fragment in str(info.value)


@pytest.mark.parametrize("position", range(4))
def test_watch_list_names_the_odd_column(position: int) -> None:
    cols: list[list[str]] = [["a", "b"] for _ in range(4)]
    cols[position] = ["a"]
    names = ["id_numbers", "contact_phones", "addresses", "operator_ids"]
    with pytest.raises(tc.InvalidInput) as info:
        tc.watch_list(*cols, policy=POLICY)
    assert f"{names[position]}=1" in str(info.value)


@pytest.mark.parametrize("position", range(4))
def test_watch_list_names_a_bad_column(position: int) -> None:
    cols: list[Any] = [["a", "b"] for _ in range(4)]
    cols[position] = [1.5, 2.5]
    names = ["id_numbers", "contact_phones", "addresses", "operator_ids"]
    with pytest.raises(
        tc.InvalidInput,
        match=f"^{names[position]} must hold strings or integers, got float 1.5 at index 0$",
    ):
        tc.watch_list(*cols, policy=POLICY)


def test_callback_fact_messages_name_the_field() -> None:
    with pytest.raises(
        tc.InvalidInput, match=r"^CallbackFacts.knows_holder must be None or a bool, got str 'no'$"
    ):
        tc.CallbackFacts(knows_holder="no")  # type: ignore[arg-type]
    with pytest.raises(
        tc.InvalidInput, match=r"^CallbackFacts.signature_ok must be a bool, got NoneType None$"
    ):
        tc.CallbackFacts(signature_ok=None)  # type: ignore[arg-type]
    with pytest.raises(tc.InvalidInput, match=r"^CallbackFacts.sms_failures must be >= 0, got -1$"):
        tc.CallbackFacts(sms_failures=-1)
    with pytest.raises(
        tc.InvalidInput,
        match=r"^CallbackFacts.failed_attempt_slots must be an int, got bool True$",
    ):
        tc.CallbackFacts(failed_attempt_slots=True)
    assert (
        tc.CallbackFacts(knows_holder=None, group_related=True, failed_attempt_slots=0).knows_holder
        is None
    )
    with pytest.raises(tc.InvalidInput, match=r"^is_suspicious\(\) needs CallbackFacts, got dict$"):
        tc.is_suspicious({})  # type: ignore[arg-type]


@pytest.mark.parametrize("blank", ["", " ", "\t", "  \n"])
def test_blank_values_are_missing_and_never_shared(blank: str) -> None:
    ids = [blank] * 4
    for column in (ids, np.array(ids, dtype=object)):
        got = tc.watch_list(
            column, ["p1", "p2", "p3", "p4"], ["a1", "a2", "a3", "a4"], [1, 2, 3, 4]
        )
        assert got.tolist() == [False] * 4
    shared = tc.watch_list(
        ["x"] * 4, ["p1", "p2", "p3", "p4"], ["a1", "a2", "a3", "a4"], [1, 2, 3, 4]
    )
    assert shared.tolist() == [True] * 4


# ---- the six watch-list signals and the developer's follow-up (seed 001)


def test_watch_list_has_seed_001s_six_signals() -> None:
    # "一证多户、同一联电、同一开户地址、批量录入用户、IPHONE等手机绑定用户、同一操作工号"
    n = 4
    distinct = {k: [f"{k}{i}" for i in range(n)] for k in ("i", "p", "a", "o")}
    clean = tc.watch_list(distinct["i"], distinct["p"], distinct["a"], distinct["o"])
    assert not clean.any()
    batch = tc.watch_list(distinct["i"], distinct["p"], distinct["a"], distinct["o"],
                          batch_entered=[True, False, False, False])  # fmt: skip
    bundled = tc.watch_list(distinct["i"], distinct["p"], distinct["a"], distinct["o"],
                            handset_bundled=np.array([False, False, True, False]))  # fmt: skip
    assert batch.tolist() == [True, False, False, False]
    assert bundled.tolist() == [False, False, True, False]
    with pytest.raises(tc.InvalidInput, match="batch_entered"):
        tc.watch_list(["a"], ["b"], ["c"], ["d"], batch_entered=[True, False])
    with pytest.raises(tc.InvalidInput, match="handset_bundled"):
        tc.watch_list(["a"], ["b"], ["c"], ["d"], handset_bundled=[2])


def test_the_developer_re_verifies_within_five_days() -> None:
    # seed 001: "发展部门对疑问用户5天内完成资料重新核实"
    flagged = date(2010, 10, 4)
    assert tc.suspicious_follow_up(flagged, as_of=date(2010, 10, 9)).status == "open"
    late = tc.suspicious_follow_up(flagged, as_of=date(2010, 10, 10))
    assert (late.status, late.due_by, late.penalty) == ("overdue", date(2010, 10, 9), 0)
    on_time = tc.suspicious_follow_up(
        flagged, as_of=date(2010, 10, 20), reverified_on=date(2010, 10, 9), confirmed=False
    )
    assert on_time.status == "done" and on_time.reasons[1:] == (
        "re-verified on 2010-10-09",
        "papers corrected: back into the new-subscriber callback",
    )
    slow = tc.suspicious_follow_up(
        flagged, as_of=date(2010, 10, 20), reverified_on=date(2010, 10, 10)
    )
    assert slow.reasons[1] == "re-verified on 2010-10-10 (late)" and slow.confirmed is None


def test_a_confirmed_case_costs_the_developer() -> None:
    # seed 001: own channel fined 100-200 yuan a case; an agent channel gets no commission
    kw: dict[str, Any] = {"as_of": date(2010, 10, 20), "reverified_on": date(2010, 10, 6)}
    own = tc.suspicious_follow_up(date(2010, 10, 4), confirmed=True, **kw)
    assert (own.penalty, own.commission_withheld) == (15_000, False)
    assert tc.yuan(100) <= own.penalty <= tc.yuan(200)
    agent = tc.suspicious_follow_up(date(2010, 10, 4), confirmed=True, channel="agent", **kw)
    assert (agent.penalty, agent.commission_withheld) == (0, True)
    stricter = tc.Policy.model_validate(
        {"verification": {"developer_penalty": 20_000, "reverify_days": 3}}
    )
    s = tc.suspicious_follow_up(date(2010, 10, 4), confirmed=True, policy=stricter, **kw)
    assert (s.penalty, s.due_by) == (20_000, date(2010, 10, 7))


@pytest.mark.parametrize(
    ("kw", "fragment"),
    [
        ({"as_of": date(2010, 10, 1)}, "as_of 2010-10-01 is before flagged_on 2010-10-04"),
        ({"as_of": date(2010, 10, 9), "confirmed": True}, "confirmed needs reverified_on"),
        ({"as_of": date(2010, 10, 9), "reverified_on": date(2010, 10, 10)}, "must fall between"),
        ({"as_of": date(2010, 10, 9), "channel": "shop"}, "channel must be one of"),
        (
            {"as_of": date(2010, 10, 9), "reverified_on": date(2010, 10, 5), "confirmed": 1},
            "confirmed must be a bool",
        ),
    ],
)
def test_follow_up_refusals(kw: dict[str, Any], fragment: str) -> None:
    with pytest.raises(tc.InvalidInput, match=re.escape(fragment)):
        tc.suspicious_follow_up(date(2010, 10, 4), **kw)


# ---- #28: one rule for a key column, in every form


@pytest.mark.parametrize(
    "missing", [None, float("nan"), pd.NA, pd.NaT], ids=["None", "nan", "pd.NA", "pd.NaT"]
)
def test_every_missing_value_is_no_key(missing: object) -> None:
    """pandas NA was refused ("got ['NAType']") where None and NaN are no key."""
    col = ["A", "A", missing, "A", missing, missing]
    blank = [""] * 6
    assert tc.watch_list(col, blank, blank, blank, policy=POLICY).tolist() == [
        True, True, False, True, False, False]  # fmt: skip


def test_a_whole_float_key_is_its_integer_and_a_fraction_is_refused() -> None:
    """pandas writes an int column with gaps as floats: [7.0, 7.0, NaN, 7.0] is [7, 7, -, 7]."""
    blank = [""] * 4
    floats = np.array([7.0, 7.0, np.nan, 7.0])
    assert tc.watch_list(floats, blank, blank, blank, policy=POLICY).tolist() == [
        True, True, False, True]  # fmt: skip
    assert tc.watch_list([7, 7, None, 7], blank, blank, blank, policy=POLICY).tolist() == [
        True, True, False, True]  # fmt: skip
    with pytest.raises(tc.InvalidInput, match=r"^operator_ids must hold strings or integers, "
                       r"got float 2\.5 at index 1$"):  # fmt: skip
        tc.watch_list(blank, blank, blank, ["a", 2.5, "a", "a"], policy=POLICY)
    with pytest.raises(
        tc.InvalidInput,
        match=r"^addresses must hold strings or integers, got bool True at index 3$",
    ):
        tc.watch_list(blank, blank, ["a", "b", "c", True], blank, policy=POLICY)
