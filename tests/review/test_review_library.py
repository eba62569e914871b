"""Defects the hostile review of the library's newer surfaces reproduced (reasons, the
front door's ``to_frame(ids=)``, holdouts, the points ledger under a schedule).

Each test shows one defect.  One still marked ``xfail(strict=True)`` fails today for
the reason given, and passes (so strict xfail turns it red) once the defect is fixed;
the others are fixed and stay as their regression tests.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

import telcare as tc
from telcare._core.errors import InvalidInput


def _credit_alert(**change: object) -> tc.Reason:
    params: dict[str, object] = {"used": 12_345, "allowance": 12_345, "colour": "red",
                                 "level": 3, "threshold": 0.8, "share": 1.0}  # fmt: skip
    return tc.Reason("moment.credit_alert", **{**params, **change})


def test_to_frame_refuses_a_nan_id_among_text_ids() -> None:
    batch = tc.evaluate_tiers(avg_spend=[25_000, 60_000], months=[12, 12])
    with pytest.raises(InvalidInput, match="ids is missing at index 1"):
        batch.to_frame(ids=["13800000001", float("nan")])


def test_a_reason_refuses_a_share_that_is_not_a_finite_number() -> None:
    with pytest.raises(InvalidInput, match="share"):
        _credit_alert(share=float("nan"))
    json.dumps(_credit_alert(share=2.0).to_dict(), allow_nan=False)  # a finite share stays


def test_a_reason_refuses_text_for_a_number() -> None:
    with pytest.raises(InvalidInput, match="share"):
        _credit_alert(share="1.5")


def test_a_reason_refuses_a_naive_datetime() -> None:
    with pytest.raises(InvalidInput, match="opening"):
        tc.Reason("benefit.hours.closed", hours="Mon-Fri 08:00-20:00",
                  opening=datetime(2010, 11, 23, 8, 0))  # fmt: skip


def test_holdout_refuses_an_id_that_is_not_valid_text_by_name() -> None:
    with pytest.raises(InvalidInput, match="ids"):
        tc.holdout(["13800000001", "\ud800"], share=0.1, salt="programme-2010")
    with pytest.raises(InvalidInput, match=r"ids\[1\] must be valid text .*'b\\udfff'"):
        tc.holdout(("a", "b\udfff"), share=0.1, salt="s")  # the row is named


def test_an_accrual_across_a_zone_change_follows_the_policy_index_on_gives() -> None:
    west = tc.Policy.model_validate(
        {"timezone": "America/New_York", "points": {"expire_after_cycles": 2}}
    )
    schedule = tc.PolicySchedule({date(2010, 1, 1): tc.Policy(timezone="UTC"),
                                  date(2010, 7, 1): west})  # fmt: skip
    instant = datetime(2010, 7, 1, 2, 0, tzinfo=UTC)  # 30 Jun 22:00 in New York
    assert schedule.index_on(instant) == 1
    ledger = tc.PointsLedger.empty("c", policy=schedule).accrue("b", instant, 100, "consumption")
    # docs/points.md: "an aware datetime is read as PolicySchedule.index_on reads it", so the
    # new policy's expire_after_cycles = 2 makes the lot of cycle 2010 expire in 2012
    assert ledger.lots(date(2010, 7, 2)) == (tc.Lot(expires_on=date(2012, 11, 30), points=100),)
