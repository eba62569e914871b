"""telcare.frames: every registered rule on pandas, Polars and PyArrow, against the numpy call."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import telcare as tc
import telcare.frames as tf
from telcare.engines import RULES

N = 400
RNG = np.random.default_rng(7)
AS_OF = date(2010, 12, 1)


def _columns() -> dict[str, dict[str, Any]]:
    r = RNG
    spend = r.integers(0, 120_000, N)
    return {
        "evaluate_tiers": {"avg_spend": spend, "months": r.integers(0, 13, N), "current": r.integers(0, 5, N),
                           "missed": r.integers(0, 3, N)},
        "mid_high_end": {"avg_spend": r.integers(0, 30, N) * 1_000, "eligible": r.random(N) < 0.8,
                         "tenure_days": r.integers(0, 5, N), "ids": np.arange(N)},
        "points_for_bills": {"spend": spend, "data_spend": spend // 3, "paid_on_time": r.random(N) < 0.9,
                             "tier": r.integers(0, 5, N), "tenure_years": r.integers(0, 3, N)},
        "check_benefits": {"tier": r.integers(0, 5, N), "segment_member": r.random(N) < 0.1,
                           "plan_fee": r.choice([3_800, 9_600, 12_800], N), "verification": r.integers(0, 3, N),
                           "status": r.integers(0, 3, N), "credit_level": r.integers(1, 6, N)},
        "check_suspensions": {"arrears": r.integers(0, 80_000, N), "credit_level": r.integers(1, 6, N),
                              "sms_last_hour": r.integers(0, 300, N)},
        "watch_list": {"id_numbers": r.integers(0, 300, N).astype(str), "contact_phones": r.integers(0, 900, N).astype(str),
                       "addresses": r.integers(0, 900, N).astype(str), "operator_ids": r.integers(0, 20, N).astype(str)},
        "scan_moments": {"used": r.integers(0, 20_000, N), "allowance": np.full(N, 15_000),
                         "month_spend": spend, "trailing_mean": spend + r.integers(-20_000, 20_000, N).clip(-spend)},
        "rates_by_group": {"groups": r.integers(0, 4, N), "successes": r.integers(0, 2, N)},
        "book_balances": _book_columns(r), "book_totals": _book_columns(r),
    }  # fmt: skip


def _book_columns(r: np.random.Generator) -> dict[str, Any]:
    """A points book's columns: a lot closed, two open, points redeemed."""
    book = tc.PointsBook.empty(np.arange(N) * 3).post(date(2009, 3, 28), r.integers(0, 500, N))
    book = book.post(date(2010, 1, 28), r.integers(0, 500, N)).expire(date(2010, 12, 1))
    book = book.post(date(2010, 12, 28), r.integers(0, 500, N))
    day = date(2011, 1, 2)
    return tc.book_to_columns(
        book.redeem(day, np.minimum(r.integers(0, 700, N), book.spendable(day)))
    )


COLUMNS = _columns()
MAKERS = {"pandas": pd.DataFrame, "polars": pl.DataFrame, "pyarrow": pa.table}


def _col(frame: Any, name: str) -> np.ndarray:
    if isinstance(frame, pa.Table):
        col = frame.column(name)
        if pa.types.is_dictionary(col.type):
            col = col.cast(pa.string())
        return np.asarray(col.to_pylist())
    values = frame[name]
    return np.asarray(values.to_list() if isinstance(values, pl.Series) else values.tolist())


def test_every_registered_rule_has_a_frames_function_and_a_case_here() -> None:
    assert set(COLUMNS) == set(RULES) and set(tf.__all__) == {*RULES, "tier_inputs"}
    for name in RULES:
        assert callable(getattr(tf, name)) and getattr(tf, name).__doc__


@pytest.mark.parametrize("library", sorted(MAKERS))
@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_rule_on_each_library_equals_the_numpy_call(rule: str, library: str) -> None:
    cols = COLUMNS[rule]
    frame = MAKERS[library](dict(cols))
    if rule == "scan_moments":
        out = tf.scan_moments(frame, as_of=AS_OF)
        scan = tc.scan_moments(AS_OF, **cols)
        for m in scan.due:
            assert _col(out, f"{m}_status").tolist() == scan.status_names(m).tolist()
            assert _col(out, f"{m}_due").tolist() == scan.due[m].tolist()
        assert scan.colour is not None
        assert (
            _col(out, "credit_colour").tolist()
            == np.array(["none", "yellow", "orange", "red"])[scan.colour].tolist()
        )
        return
    if rule == "rates_by_group":
        out = tf.rates_by_group(frame)
        expected = tc.rates_by_group(cols["groups"], cols["successes"])
        assert _col(out, "numerator").tolist() == expected.numerator.tolist()
        assert _col(out, "denominator").tolist() == expected.denominator.tolist()
        np.testing.assert_allclose(_col(out, "low"), expected.low)
        return
    if rule.startswith("book_"):  # the points book's rules answer on a date
        day = date(2011, 11, 1)
        out, expected = getattr(tf, rule)(frame, as_of=day), RULES[rule].function(**cols, as_of=day)
        if rule == "book_totals":
            assert out == expected and expected.liability > 0
            return
        for name in RULES[rule].outputs:
            assert _col(out, name).tolist() == getattr(expected, name).tolist()
        assert expected.expiring.any() and _col(out, "ids").tolist() == cols["ids"].tolist()
        return
    out = getattr(tf, rule)(frame)
    for name in set(cols) - set(RULES[rule].outputs):  # inputs are kept (an output may replace one)
        assert _col(out, name).tolist() == np.asarray(cols[name]).tolist()
    if rule == "evaluate_tiers":
        batch = tc.evaluate_tiers(**cols)
        assert _col(out, "tier").tolist() == batch.tier_codes().tolist()
        assert _col(out, "missed").tolist() == batch.missed.tolist()
        assert _col(out, "changed").tolist() == batch.changed.tolist()
    elif rule == "check_benefits":
        matrix = tc.check_benefits(**cols)
        for j, code in enumerate(tc.BENEFIT_CODES):
            assert _col(out, code).tolist() == matrix[:, j].tolist(), code
    else:
        expected = RULES[rule].function(**cols)
        assert _col(out, RULES[rule].outputs[0]).tolist() == np.asarray(expected).tolist()


def test_pandas_index_and_order_are_kept_so_joins_line_up() -> None:
    cols = COLUMNS["check_suspensions"]
    frame = pd.DataFrame(cols, index=np.arange(N) * 3 + 1000)
    picked = frame[frame["credit_level"] > 2]  # a filtered frame: a gappy index
    out = tf.check_suspensions(picked)
    assert out.index.equals(picked.index)
    joined = picked.join(out[["suspend"]])
    assert joined["suspend"].notna().all()
    assert out["suspend"].tolist() == tc.check_suspensions(picked["arrears"], picked["credit_level"],
                                                           picked["sms_last_hour"]).tolist()  # fmt: skip


def test_label_columns_and_renamed_columns() -> None:
    frame = pl.DataFrame({"level": ["gold", "vip"], "member": [False, True], "fee": [12_800, 5_800],
                          "verification": ["genuine", "suspicious"], "status": ["active", "active"]})  # fmt: skip
    frame = frame.with_columns(pl.col("level").cast(pl.Categorical))
    out = tf.check_benefits(frame, tier="level", segment_member="member", plan_fee="fee")
    expected = tc.check_benefits([3, 1], [False, True], [12_800, 5_800], [1, 2], [0, 0])
    assert (
        out["service_manager"].to_list()
        == expected[:, tc.BENEFIT_CODES.index("service_manager")].tolist()
    )
    tiers = tf.evaluate_tiers(
        pd.DataFrame({"avg_spend": [55_000], "months": [12], "current": ["silver"]})
    )
    assert tiers["tier"].tolist() == ["gold"] and tiers["qualified"].tolist() == ["gold"]


def test_missing_values_and_wrong_inputs_are_refused_by_name() -> None:
    frame = pd.DataFrame({"avg_spend": [55_000, None], "months": [12, 12]})
    with pytest.raises(tc.InvalidInput, match="column 'avg_spend' is missing a value at row 1"):
        tf.evaluate_tiers(frame)
    with pytest.raises(tc.InvalidInput, match="no column 'months'"):
        tf.evaluate_tiers(pd.DataFrame({"avg_spend": [1]}))
    with pytest.raises(
        tc.InvalidInput, match=r"needs a pandas, Polars or PyArrow table, got builtins\.dict"
    ):
        tf.evaluate_tiers({"avg_spend": [1], "months": [1]})
    with pytest.raises(tc.InvalidInput, match="names a column"):
        tf.evaluate_tiers(pd.DataFrame({"avg_spend": [1], "months": [1]}), avg_spend=3)
    with pytest.raises(tc.InvalidInput, match="needs as_of="):
        tf.scan_moments(pd.DataFrame({"used": [1], "allowance": [2]}))
    with pytest.raises(tc.InvalidInput, match="unknown arguments"):
        tf.scan_moments(pd.DataFrame({"used": [1], "allowance": [2]}), as_of=AS_OF, bogus=1)


@pytest.mark.parametrize("library", sorted(MAKERS))
def test_tier_inputs_match_customer_and_evaluate_tier(library: str) -> None:
    policy = tc.default_policy()
    rows = RNG.integers(1_000, 90_000, (60, 15))
    gaps = RNG.random((60, 15)) < 0.2  # months not billed, anywhere in the history
    history: dict[str, Any] = {f"m{j:02d}": [None if gaps[i, j] else int(rows[i, j]) for i in range(60)]
                               for j in range(15)}  # fmt: skip
    out = tf.tier_inputs(MAKERS[library](history), months=list(history))
    for i in range(60):
        billed = [int(rows[i, j]) for j in range(15) if not gaps[i, j]]
        customer = tc.Customer("c", date(2005, 1, 1), 0, monthly_spend=billed)
        decision = tc.evaluate_tier(customer, policy=policy)
        window = billed[-policy.tiers.window_months :]
        assert int(_col(out, "months")[i]) == len(window)
        assert int(_col(out, "avg_spend")[i]) == (sum(window) // len(window) if window else 0)
        assert tc.evaluate_tiers(_col(out, "avg_spend")[i : i + 1], _col(out, "months")[i : i + 1]
                                 ).tier_codes()[0] == decision.tier  # fmt: skip
    long = {"id": [], "month": [], "spend": []}  # type: ignore[var-annotated]
    for i in range(60):
        for j in range(15):
            if not gaps[i, j]:
                long["id"].append(f"c{i:02d}")
                long["month"].append(f"2009-{j + 1:02d}" if j < 12 else f"2010-{j - 11:02d}")
                long["spend"].append(int(rows[i, j]))
    by_id = tf.tier_inputs(MAKERS[library](long))
    assert (
        _col(by_id, "avg_spend").tolist()
        == _col(out, "avg_spend")[[i for i in range(60) if not gaps[i].all()]].tolist()
    )
    with pytest.raises(tc.InvalidInput, match="no column 'x'"):
        tf.tier_inputs(MAKERS[library](history), months=["x"])


@pytest.mark.parametrize("library", sorted(MAKERS))
def test_the_scan_reads_a_missing_date_as_none(library: str) -> None:
    """A contract end or a birthday may be missing (no contract): the scan reads it as NaT."""
    ends = [date(2010, 12, 20), None, date(2011, 6, 1)]
    frame = MAKERS[library]({"contract_ends_on": ends})
    out = tf.scan_moments(frame, as_of=AS_OF)
    expected = tc.scan_moments(AS_OF, contract_ends_on=ends)
    assert _col(out, "contract_expiry_due").tolist() == expected.due["contract_expiry"].tolist()


def test_tier_inputs_refuses_a_text_month_without_a_pandas_warning() -> None:
    """#28: a text spend column with a gap was filled with 0 first (Pandas4Warning:
    'int' is not supported as a fill value for str dtype); now it is refused by name."""
    wide = pd.DataFrame({"m1": ["a", None, "c"], "m2": [30_000, 60_000, 2]})
    with pytest.raises(tc.InvalidInput, match=r"^m1 must hold integers, got dtype object$"):
        tf.tier_inputs(wide, months=["m1", "m2"])
    gaps = pd.DataFrame(
        {"m1": pd.array([None, 50_000, 1], dtype="Int64"), "m2": [30_000, 60_000, 2]}
    )
    assert tf.tier_inputs(gaps, months=["m1", "m2"])[["avg_spend", "months"]].values.tolist() == [
        [30_000, 1], [55_000, 2], [1, 2]]  # fmt: skip


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        (
            {"months": float("nan")},
            "^frames.tier_inputs: months must be an iterable of str, got float nan$",
        ),
        ({"months": ["m1", 2]}, r"^frames.tier_inputs: months\[1\] must be a str, got int 2$"),
        ({"spend": None}, "^frames.tier_inputs: spend= names a column, got NoneType None$"),
    ],
)
def test_tier_inputs_refuses_column_names_that_are_not_text(
    keywords: dict[str, Any], message: str
) -> None:
    """#28: months=nan raised TypeError ('float' object is not iterable)."""
    with pytest.raises(tc.InvalidInput, match=message):
        tf.tier_inputs(pd.DataFrame({"m1": [1], "id": ["a"], "month": ["2010-11"]}), **keywords)
