"""The month's figures of ``telcare run`` are exact, and one past what the store's
``figures`` (BIGINT) hold is refused by name (``run.store.figure_too_large``), nothing
written: the points liability of a base is the sum of its balances times the price of a
point, which no bound on one balance keeps within int64 (it was a bare OverflowError),
and the base's points earned were summed in int64 (wrapping without a word)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.cli._helpers import sample_rows, write_rows

from telcare.cli._run import run_month_into
from telcare.cli._run_refusals import RunRefused
from telcare.policy import Policy

INT64_MAX = 2**63 - 1
#: The most points a bill earns: a bill and a data bill of 10**12 fen (MAX_BILL) at 100
#: points a yuan each (MAX_POINTS_PER_YUAN), times 100 (the highest tier multiplier).
TOP = {"per_yuan": 100, "data_per_yuan": 100,
       "tier_multipliers": dict.fromkeys(["ordinary", "vip", "silver", "gold", "diamond"], "100")}  # fmt: skip


def _month(tmp_path: Path, n: int, fen: int) -> tuple[str, Policy]:
    """(an extract of ``n`` customers each billed the most, a policy pricing points at ``fen``)."""
    rows = sample_rows()
    made = [{**rows[i % len(rows)], "customer_id": f"X{i}", "bill": str(10**12),
             "data_bill": str(10**12), "tier": "ordinary"} for i in range(n)]  # fmt: skip
    policy = Policy.model_validate({"points": {**TOP, "fen_per_point": fen}})
    return write_rows(tmp_path / "m.csv", made), policy


def _refused(tmp_path: Path, n: int, fen: int) -> RunRefused:
    base, policy = _month(tmp_path, n, fen)
    store = tmp_path / "s.duckdb"
    with pytest.raises(RunRefused) as info:
        run_month_into(str(store), "2010-11", base=base, policy=policy)
    assert not store.exists()  # nothing written: the store it would have made is gone
    return info.value


def test_a_liability_past_int64_is_refused_naming_the_figure_and_its_exact_value(
    tmp_path: Path,
) -> None:
    # 100 customers of 1.01e14 points each, at 1,000 fen a point: 1.01e19 fen
    exc = _refused(tmp_path, 100, 1_000)
    assert exc.code == "run.store.figure_too_large"
    assert exc.params["figure"] == "points.liability_fen"
    value = int(exc.params["value"].replace(",", ""))
    assert value > INT64_MAX and exc.params["most"] == f"{INT64_MAX:,}"
    assert str(exc).startswith("month 2010-11: its figure points.liability_fen is ")
    assert exc.text("zh_CN") != str(exc)


def test_the_points_earned_by_a_base_are_summed_exactly(tmp_path: Path) -> None:
    # 92,000 customers of 1.01e14 points each: 9.29e18 points, past int64 (it wrapped)
    exc = _refused(tmp_path, 92_000, 1)
    assert exc.params["figure"] == "points.earned"
    assert int(exc.params["value"].replace(",", "")) > INT64_MAX


def test_the_same_month_within_int64_is_written(tmp_path: Path) -> None:
    base, policy = _month(tmp_path, 12, 2)
    outcome = run_month_into(str(tmp_path / "s.duckdb"), "2010-11", base=base, policy=policy)
    assert outcome.figures["points.liability_fen"] <= INT64_MAX
