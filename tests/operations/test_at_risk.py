"""The warning list's value at risk from a retention curve (#30 item 6): each customer's
discounted expected residual value at its tenure, the curve's own numbers."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given, strategies as st

import telcare as tc

AS_OF = date(2010, 12, 1)
CURVE = tc.RetentionCurve(alpha=0.704, beta=1.182)


def at_risk(n: int) -> tc.MomentScan:
    """A scan where every one of ``n`` customers has an open credit alert."""
    return tc.scan_moments(AS_OF, used=[15_000] * n, allowance=[15_000] * n)


@given(
    st.lists(st.tuples(st.integers(0, 80_000), st.integers(0, 1_200)), min_size=1, max_size=30),
    st.sampled_from([0.0001, 0.01, 0.1, 2.0]),
    st.sampled_from([None, 0.0, 0.35, 1]),
)
def test_the_value_at_risk_is_the_curves_discounted_value(
    rows: list[tuple[int, int]], rate: float, margin: float | None
) -> None:
    spend, tenure = (list(x) for x in zip(*rows, strict=True))
    ids = [f"c{i}" for i in range(len(rows))]
    wl = tc.retention_warning_list(
        at_risk(len(rows)), ids, monthly_spend=spend, curve=CURVE, tenure=tenure, rate=rate,
        margin=margin,
    )  # fmt: skip
    assert sorted(wl.rows.tolist()) == list(range(len(rows)))
    share = 1 if margin is None else margin
    for i, row in enumerate(wl.rows.tolist()):
        expected = CURVE.discounted_value(spend[row] * share, rate, tenure=tenure[row])
        assert wl.value_at_risk[i] == round(expected)
    assert list(wl.value_at_risk) == sorted(wl.value_at_risk, reverse=True)
    assert all(type(v) is int for v in wl.to_dict()["value_at_risk"])
    json.dumps(wl.to_dict(), default=str)


def test_a_long_tenured_customer_puts_more_at_risk_than_a_new_one_of_the_same_spend() -> None:
    flat = tc.retention_warning_list(at_risk(2), ["new", "old"], monthly_spend=[10_000, 10_000])
    assert flat.value_at_risk.tolist() == [120_000, 120_000] and flat.ids.tolist() == ["new", "old"]
    wl = tc.retention_warning_list(
        at_risk(2), ["new", "old"], monthly_spend=[10_000, 10_000], curve=CURVE, tenure=[0, 24],
        rate=0.01,
    )  # fmt: skip
    assert wl.ids.tolist() == ["old", "new"]
    assert wl.value_at_risk.tolist() == [
        round(CURVE.discounted_value(10_000, 0.01, tenure=24)),
        round(CURVE.discounted_value(10_000, 0.01, tenure=0)),
    ]


def test_a_fitted_curve_undiscounted_is_spend_times_the_expected_lifetime() -> None:
    curve = tc.RetentionCurve(alpha=3, beta=4)  # expected lifetime (3 + 4 + t - 1) / 2
    wl = tc.retention_warning_list(
        at_risk(2), ["a", "b"], monthly_spend=[1_000, 1_000], curve=curve, tenure=2, rate=0
    )
    assert wl.value_at_risk.tolist() == [4_000, 4_000]
    fitted = tc.retention_curve([1_000, 631, 468, 382, 326])
    wl = tc.retention_warning_list(
        at_risk(1), ["a"], monthly_spend=[5_000], curve=fitted, tenure=[3], rate=0.01, margin=0.4
    )
    assert wl.value_at_risk.tolist() == [round(fitted.discounted_value(2_000, 0.01, tenure=3))]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"curve": CURVE, "rate": 0.01},
         "curve= needs tenure= (each customer's periods so far) and rate= (the discount rate"),
        ({"curve": CURVE, "tenure": [1]}, "curve= needs tenure="),
        ({"curve": CURVE, "tenure": [1], "rate": 0.01, "remaining_months": 12},
         "give remaining_months= or curve=, not both"),
        ({"tenure": [1], "rate": 0.01}, "tenure, rate value customers by a curve: pass curve= too"),
        ({"margin": 0.5}, "margin value customers by a curve: pass curve= too"),
        ({"curve": (0.7, 1.2), "tenure": [1], "rate": 0.01},
         "curve must be a telcare.RetentionCurve, got tuple"),
        ({"curve": CURVE, "tenure": [1, 2], "rate": 0.01},
         "columns must have equal lengths, got ids=1, monthly_spend=1, tenure=2, owner=1"),
        ({"curve": CURVE, "tenure": [1_201], "rate": 0.01}, "tenure must be <= 1200, got 1201"),
        ({"curve": CURVE, "tenure": [-1], "rate": 0.01}, "tenure must be >= 0"),
        ({"curve": CURVE, "tenure": [True], "rate": 0.01}, "tenure must hold integers, got the bool"),
        ({"curve": CURVE, "tenure": [1], "rate": 0.01, "margin": 1.5}, "margin must be <= 1"),
        ({"curve": CURVE, "tenure": [1], "rate": float("nan")}, "rate must be"),
        ({"curve": CURVE, "tenure": [1], "rate": 0.00001}, "rate must be 0 or at least 0.0001"),
        ({"curve": CURVE, "tenure": [1], "rate": 0},
         "rate=0 needs a curve with a finite expected lifetime (alpha > 1), got alpha=0.704"),
    ],
)  # fmt: skip
def test_a_curve_value_is_refused_by_name(given: dict[str, Any], message: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        tc.retention_warning_list(at_risk(1), ["a"], monthly_spend=[10_000], **given)
    assert message in str(info.value)


def test_a_value_over_the_fen_limit_is_refused_not_overflowed() -> None:
    with pytest.raises(tc.InvalidInput, match=r"at row 0 is .* fen, over 100,000,000,000,000"):
        tc.retention_warning_list(
            at_risk(1), ["a"], monthly_spend=[10**12], curve=CURVE, tenure=[1_200], rate=0.0001
        )
