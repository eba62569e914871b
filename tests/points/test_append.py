"""An accrual's and a redemption's one-step appends (points/_append.py) record exactly
what the general append records: the same posting and the same state after it, whatever
the ledger holds (a debt, pending points, lots lapsing, a schedule)."""

from __future__ import annotations

from datetime import date

import pytest

import telcare as tc

D = date

FEED = [
    ("accrue", "b1", D(2010, 1, 31), 1200),
    ("accrue", "c1", D(2010, 2, 1), 2),
    ("redeem", "g1", D(2010, 3, 2), 1000),
    ("reverse", "b1", D(2010, 3, 3), 0),
    ("accrue", "b2", D(2010, 11, 30), 700),
    ("accrue", "b3", D(2010, 12, 1), 40),
    ("accrue", "b0", D(2011, 1, 3), 500),
    ("redeem", "g2", D(2011, 1, 4), 720),  # two lots taken, the second in part
    ("accrue", "b4", D(2012, 1, 5), 300),
]


def _policies() -> dict[str, tc.Policy | tc.PolicySchedule]:
    def points(**figures: object) -> tc.Policy:
        return tc.Policy.model_validate({"points": figures})

    return {
        "default": tc.default_policy(),
        "debt": points(reversal="allow_negative"),
        "pending": points(pending_days=20, expire_after_cycles=0),
        "schedule": tc.PolicySchedule(
            {D(2009, 1, 1): tc.default_policy(), D(2010, 6, 1): points(pending_days=5)}
        ),
    }


@pytest.mark.parametrize("name", list(_policies()))
def test_an_accrual_records_what_the_general_append_records(name: str) -> None:
    ledger = tc.PointsLedger.empty("c1", policy=_policies()[name])
    for kind, ref, on, points in FEED:
        if kind == "redeem":
            points = min(points, ledger.spendable(on))  # pending points wait
            general = ledger._with(ledger._spend(ref, ("redeem", on, points, None, None, None)))
            ledger, _ = ledger.redeem(ref, on, points)
            assert ledger._store.rows[-1] == general._store.rows[-1]
            assert ledger._store.states[-1] == general._store.states[-1]
            continue
        if kind == "reverse":
            ledger = ledger.reverse(ref, on)
            continue
        fast = ledger.accrue(ref, on, points, "consumption")
        general = ledger._accrue_generally(ref, on, points, "consumption")
        assert fast._store.rows[-1] == general._store.rows[-1]
        assert fast._store.states[-1] == general._store.states[-1]
        assert fast.to_dict() == general.to_dict()
        ledger = fast
    assert ledger.summary(D(2012, 1, 5)).balanced
