"""Benefit values built from numpy scalars hold Python values (#28 class 4)."""

from __future__ import annotations

from datetime import date

import numpy as np

import telcare as tc


def test_callback_facts_from_numpy_hold_python_bools_and_ints() -> None:
    facts = tc.CallbackFacts(id_copy_ok=np.bool_(False), failed_attempt_slots=np.int8(3),
                             knows_holder=np.bool_(True), sms_failures=np.uint64(1))  # fmt: skip
    assert facts.id_copy_ok is False and facts.knows_holder is True
    assert type(facts.failed_attempt_slots) is int and type(facts.sms_failures) is int
    assert facts == tc.CallbackFacts(id_copy_ok=False, failed_attempt_slots=3, sms_failures=1)


def test_a_follow_up_confirmed_by_a_numpy_bool_holds_a_python_bool() -> None:
    up = tc.suspicious_follow_up(date(2010, 11, 1), as_of=date(2010, 11, 3),
                                 reverified_on=date(2010, 11, 2), confirmed=np.bool_(True))  # fmt: skip
    assert up.confirmed is True
