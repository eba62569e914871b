"""Each month of the store keeps the policy it ran under, and the points of earlier
months are rebuilt under it (cli/_run_policies.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from telcare._core.errors import InvalidInput
from telcare.cli._run import run_month_into
from telcare.policy import Policy

SAMPLE = Path(__file__).parents[2] / "docs" / "run_sample.csv"


def test_each_month_keeps_the_policy_it_ran_under(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    shorter = Policy.model_validate({"points": {"expire_after_cycles": 0}})
    run_month_into(str(store), "2010-10", base=str(SAMPLE))
    run_month_into(str(store), "2010-11", base=str(SAMPLE), policy=shorter)
    con = duckdb.connect(str(store), read_only=True)
    try:
        kept = con.execute("SELECT month, policy FROM policies ORDER BY month").fetchall()
    finally:
        con.close()
    assert [(m, Policy.model_validate_json(p)) for m, p in kept] == [
        ("2010-10", Policy()),
        ("2010-11", shorter),
    ]


def test_a_kept_policy_this_telcare_cannot_read_is_refused_by_month(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    run_month_into(str(store), "2010-10", base=str(SAMPLE))
    con = duckdb.connect(str(store))
    con.execute("""UPDATE policies SET policy = '{"points": {"per_yuan": -1}}'""")
    con.close()
    with pytest.raises(InvalidInput, match="--store: the policy month 2010-10 ran under"):
        run_month_into(str(store), "2010-11", base=str(SAMPLE))
    con = duckdb.connect(str(store), read_only=True)
    try:
        assert con.execute("SELECT month FROM runs").fetchall() == [("2010-10",)]
    finally:
        con.close()
