"""The policy is deeply immutable and compiles once; the compiled tables match it."""

from __future__ import annotations

import copy
import gc
import pickle
import sys
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from pydantic import ValidationError

import telcare as tc
from telcare import strategies as tcs
from telcare.compiled import _tables as compiled_module, compile_policy


@pytest.mark.parametrize(
    "mutate",
    [
        lambda p: p.points.tier_multipliers.__setitem__("gold", 3),
        lambda p: p.benefits.rules.pop("phone_manager"),
        lambda p: p.credit.allowances.clear(),
        lambda p: p.moments.channels.update({}),
        lambda p: setattr(p, "timezone", "UTC"),
        lambda p: setattr(p.tiers, "window_months", 3),
        lambda p: setattr(p.tiers.ladder[1], "min_avg_spend", 1),
    ],
)
def test_no_part_of_the_default_policy_can_be_changed(mutate: Any) -> None:
    before = tc.default_policy().model_dump()
    with pytest.raises((TypeError, AttributeError, ValueError)):
        mutate(tc.default_policy())
    assert tc.default_policy().model_dump() == before


def test_a_new_policy_equals_the_default() -> None:
    assert tc.Policy() == tc.default_policy()
    assert hash(tc.Policy()) == hash(tc.default_policy())


@given(tcs.policies())
def test_policies_used_by_the_rules_compare_hash_pickle_and_copy(policy: tc.Policy) -> None:
    tc.evaluate_tiers([0], [0], policy=policy)
    tc.check_benefits([0], [False], [0], [0], [0], credit_level=[1], policy=policy)
    for other in (pickle.loads(pickle.dumps(policy)), copy.deepcopy(policy), copy.copy(policy)):
        assert other == policy
        assert hash(other) == hash(policy)
    assert policy == tc.Policy.model_validate_json(policy.model_dump_json())


def test_the_policy_module_imports_no_numpy() -> None:
    source = sys.modules["telcare.policy._model"].__dict__
    assert "np" not in source and "numpy" not in source
    assert not hasattr(tc.TierPolicy, "thresholds")


def test_tables_are_built_once_per_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    builds: list[tc.Policy] = []
    real = compiled_module._build

    def counting(policy: tc.Policy) -> compiled_module.CompiledPolicy:
        builds.append(policy)
        return real(policy)

    monkeypatch.setattr(compiled_module, "_build", counting)
    policy = tc.Policy(timezone="UTC")
    for _ in range(3):
        tc.evaluate_tiers([50_000], [12], policy=policy)
        tc.points_for_bills([100], [0], [True], [0], [0], policy=policy)
        tc.check_benefits([0], [False], [0], [0], [0], policy=policy)
        tc.scan_moments(date(2010, 1, 1), used=[1], allowance=[1], policy=policy)
    assert builds == [policy]
    assert compile_policy(policy) is compile_policy(policy)


def test_the_compiled_tables_go_with_their_policy() -> None:
    policy = tc.Policy(timezone="Asia/Tokyo")
    compile_policy(policy)
    key = id(policy)
    assert key in compiled_module._CACHE
    del policy
    gc.collect()
    assert key not in compiled_module._CACHE


def test_an_updated_copy_compiles_its_own_tables() -> None:
    policy = tc.Policy()
    wider = policy.model_copy(
        update={"tiers": policy.tiers.model_copy(update={"downgrade_after": 1})}
    )
    assert compile_policy(wider).tiers.downgrade_after == 1
    assert compile_policy(policy).tiers.downgrade_after == 2


@pytest.mark.parametrize(
    ("section", "field", "value"),
    [
        ("points", "tier_multipliers", {"gold": "1.00001"}),
        ("moments", "credit_yellow", "0.00001"),
        ("segment", "share", "0.123456"),
        ("points", "per_yuan", 101),
        ("credit", "allowances", {1: 10**14 + 1}),
    ],
)
def test_figures_that_could_overflow_are_refused(section: str, field: str, value: Any) -> None:
    with pytest.raises(ValidationError, match=field):
        tc.Policy.model_validate({section: {field: value}})
