"""An accrual's and a redemption's one-step appends (points/_append.py) record exactly
what the general append records: the same posting and the same state after it, whatever
the ledger holds (a debt, pending points, lots lapsing, a schedule)."""

from __future__ import annotations

import re
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


REVERSALS = [
    ("accrue", "b0", D(2009, 11, 15), 500),  # its lot lapses on 30 Nov 2010
    ("accrue", "b1", D(2010, 1, 31), 1200),
    ("accrue", "b2", D(2010, 2, 1), 300),
    ("redeem", "g1", D(2010, 3, 2), 1500),  # two lots: b0's and the cycle 2011 one
    ("reverse", "b2", D(2010, 3, 3), 100),  # part of an accrual
    ("reverse", "g1", D(2010, 3, 4), 400),  # part of a redemption, back to its lots
    ("reverse", "b1", D(2010, 3, 5), 0),  # what is left: more than its lot holds
    ("reverse", "g1", D(2010, 3, 6), 100),  # under allow_negative: pays the debt off
    ("accrue", "b3", D(2010, 12, 1), 900),
    ("reverse", "g1", D(2010, 12, 5), 0),  # the rest: to a live lot and a lapsed one
    ("accrue", "b4", D(2012, 1, 5), 300),
    ("reverse", "b2", D(2012, 1, 6), 0),  # its lot lapsed: taken back from expired
]


@pytest.mark.parametrize("mode", ["claw_back", "allow_negative", "refuse"])
def test_a_reversal_records_what_the_general_append_records(mode: str) -> None:
    from telcare.points._reversal import reverse_generally

    policy = tc.Policy.model_validate({"points": {"reversal": mode}})
    ledger = tc.PointsLedger.empty("c1", policy=policy)
    for kind, ref, on, points in REVERSALS:
        if kind == "accrue":
            ledger = ledger.accrue(ref, on, points, "consumption")
            continue
        if kind == "redeem":
            ledger, _ = ledger.redeem(ref, on, points)
            continue
        asked = points or None
        undo = f"{ref}@{on}"  # a second partial reversal needs its own reference
        try:
            general = reverse_generally(ledger, ref, on, asked, undo)
        except tc.InsufficientPoints as refused:  # under refuse: so is the one step
            with pytest.raises(tc.InsufficientPoints, match=re.escape(str(refused))):
                ledger.reverse(ref, on, asked, adjustment=undo)
            continue
        fast = ledger.reverse(ref, on, asked, adjustment=undo)  # a branch: a copied prefix
        assert fast._store is not general._store
        assert fast._store.rows[-1] == general._store.rows[-1]
        assert fast._store.states[-1] == general._store.states[-1]
        assert fast.to_dict() == general.to_dict()
        assert fast.reverse(ref, on, asked, adjustment=undo) is fast  # a retry: a no-op
        ledger = fast
    assert ledger.summary(D(2012, 1, 6)).balanced
    assert ledger == tc.PointsLedger.from_dict(ledger.to_dict())


def test_a_reversal_the_one_step_declines_is_refused_as_before() -> None:
    ledger = tc.PointsLedger.empty("c1").accrue("b1", D(2010, 1, 31), 100, "consumption")
    with pytest.raises(tc.InvalidInput, match="no posting 'b9' to reverse"):
        ledger.reverse("b9", D(2010, 2, 1))
    with pytest.raises(tc.InvalidInput, match="more than the 100 points"):
        ledger.reverse("b1", D(2010, 2, 1), 101)
    with pytest.raises(tc.InvalidInput, match="date order"):
        ledger.reverse("b1", D(2010, 1, 30))
    once = ledger.reverse("b1", D(2010, 2, 1), 40)
    with pytest.raises(tc.DuplicatePosting):
        once.reverse("b1", D(2010, 2, 1), 30)
    with pytest.raises(tc.InvalidInput, match="adjustment"):
        ledger.reverse("b1", D(2010, 2, 1), adjustment=" cn-1")
