"""The tier options loyalty systems have (#29 item 6): a downgrade one rung at a time
(``tiers.downgrade = "one_down"``) and a manager's floor (``Customer.floor``)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pydantic
import pytest
from hypothesis import given, strategies as st

import telcare as tc
from telcare import strategies as tcs

POLICY = tc.default_policy()
END = date(2026, 12, 31)
NAT = np.datetime64("NaT", "D")


def with_downgrade(policy: tc.Policy, mode: str) -> tc.Policy:
    return policy.model_copy(update={"tiers": policy.tiers.model_copy(update={"downgrade": mode})})


ONE_DOWN = with_downgrade(POLICY, "one_down")


def customer(
    monthly: int,
    tier: str,
    missed: int = 0,
    floor: tc.TierFloor | None = None,
) -> tc.Customer:
    return tc.Customer(
        "c1",
        activated_on=date(2015, 1, 1),
        plan_fee=0,
        monthly_spend=[monthly] * 12,
        tier=tier,
        missed_evaluations=missed,
        floor=floor,
    )


def run(person: tc.Customer, days: list[date], policy: tc.Policy) -> list[tuple[str, int]]:
    """(tier, missed) after each evaluation, each decision applied before the next."""
    out = []
    for day in days:
        d = tc.evaluate_tier(person, policy=policy, as_of=day)
        out.append((d.tier, d.missed_evaluations))
        person = d.apply(person)
    return out


# ------------------------------------------------------------------ one rung at a time


def test_to_qualifying_is_the_default_and_its_reason_says_so() -> None:
    assert POLICY.tiers.downgrade == "to_qualifying"
    d = tc.evaluate_tier(customer(5_000, "diamond", missed=1), policy=POLICY)
    assert (d.tier, d.direction) == ("ordinary", "down")
    assert d.reasons[1] == (
        "missed the diamond threshold ¥1,000.00 at 2 consecutive evaluations: "
        "down to ordinary, the tier its spend qualifies for"
    )


def test_one_down_falls_one_rung_when_the_grace_is_used_up() -> None:
    d = tc.evaluate_tier(customer(5_000, "diamond", missed=1), policy=ONE_DOWN)
    assert (d.tier, d.direction, d.missed_evaluations, d.qualified) == (
        "gold",
        "down",
        0,
        "ordinary",
    )
    assert d.reasons[1] == (
        "missed the diamond threshold ¥1,000.00 at 2 consecutive evaluations: "
        "down to gold, one rung (tiers.downgrade = one_down)"
    )


def test_one_down_gives_a_fresh_grace_on_each_new_rung() -> None:
    """After a one-rung fall the count starts again: the new card has its own grace."""
    steps = run(customer(5_000, "diamond"), [END] * 9, ONE_DOWN)
    assert steps == [
        ("diamond", 1),
        ("gold", 0),
        ("gold", 1),
        ("silver", 0),
        ("silver", 1),
        ("vip", 0),
        ("vip", 1),
        ("ordinary", 0),
        ("ordinary", 0),
    ]
    assert run(customer(5_000, "diamond"), [END] * 2, POLICY) == [("diamond", 1), ("ordinary", 0)]


def test_one_down_still_keeps_the_grace_and_upgrades_at_once() -> None:
    first = tc.evaluate_tier(customer(5_000, "diamond"), policy=ONE_DOWN)
    assert (first.tier, first.missed_evaluations) == ("diamond", 1)
    up = tc.evaluate_tier(customer(120_000, "vip", missed=1), policy=ONE_DOWN)
    assert (up.tier, up.missed_evaluations) == ("diamond", 0)
    kept = tc.evaluate_tier(customer(52_000, "gold", missed=1), policy=ONE_DOWN)
    assert (kept.tier, kept.missed_evaluations) == ("gold", 0)


def test_one_down_with_a_one_evaluation_grace_falls_at_every_evaluation() -> None:
    policy = ONE_DOWN.model_copy(
        update={"tiers": ONE_DOWN.tiers.model_copy(update={"downgrade_after": 1})}
    )
    assert run(customer(5_000, "diamond"), [END] * 4, policy) == [
        ("gold", 0),
        ("silver", 0),
        ("vip", 0),
        ("ordinary", 0),
    ]


def test_one_down_in_the_batch_form() -> None:
    b = tc.evaluate_tiers(
        [5_000, 5_000, 42_000, 120_000], [12] * 4, current=[4, 4, 3, 1], missed=[1, 0, 1, 1],
        policy=ONE_DOWN,
    )  # fmt: skip
    assert b.tier_codes().tolist() == ["gold", "diamond", "silver", "diamond"]
    assert b.missed.tolist() == [0, 1, 0, 0]
    assert b.qualified.tolist() == [0, 0, 2, 4]


def test_an_unknown_downgrade_mode_is_refused_by_the_policy() -> None:
    with pytest.raises(pydantic.ValidationError, match=r"tiers\.downgrade"):
        tc.Policy.model_validate({"tiers": {"downgrade": "two_down"}})
    assert tc.Policy.model_validate({"tiers": {"downgrade": "one_down"}}).tiers.downgrade == (
        "one_down"
    )
    schema = tc.Policy.model_json_schema()["$defs"]["TierPolicy"]["properties"]["downgrade"]
    assert schema["enum"] == ["to_qualifying", "one_down"]
    assert schema["default"] == "to_qualifying"


# ------------------------------------------------------------------- a manager's floor


def test_a_floor_holds_the_tier_through_its_last_day_and_not_after() -> None:
    gold = customer(42_000, "gold", floor=tc.TierFloor("gold", until=END))
    on_the_day = tc.evaluate_tier(gold, policy=POLICY, as_of=END)
    assert (on_the_day.tier, on_the_day.missed_evaluations) == ("gold", 0)
    assert on_the_day.reasons[2] == "held at gold by a manual floor until 2026-12-31"
    day_after = tc.evaluate_tier(gold, policy=POLICY, as_of=END + timedelta(days=1))
    assert (day_after.tier, day_after.missed_evaluations) == ("gold", 1)
    assert not any("floor" in r for r in day_after.reasons)


def test_the_grace_starts_when_the_floor_ends() -> None:
    """The floor counts no missed evaluation; after it a customer below the threshold
    has the full grace, as any holder of the card."""
    gold = customer(42_000, "gold", floor=tc.TierFloor("gold", until=END))
    days = [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)]  # fmt: skip
    assert run(gold, days, POLICY) == [
        ("gold", 0),
        ("gold", 0),
        ("gold", 0),
        ("gold", 1),
        ("silver", 0),
    ]


def test_a_floor_lifts_a_customer_below_it_at_once() -> None:
    vip = customer(42_000, "vip", floor=tc.TierFloor("gold", until=END))
    d = tc.evaluate_tier(vip, policy=POLICY, as_of=date(2026, 6, 1))
    assert (d.tier, d.direction, d.qualified) == ("gold", "up", "silver")
    assert d.reasons[1:3] == (
        "up from vip to gold at this evaluation",
        "held at gold by a manual floor until 2026-12-31",
    )


def test_a_floor_stops_a_fall_at_its_tier() -> None:
    diamond = customer(5_000, "diamond", missed=1, floor=tc.TierFloor("silver", until=END))
    d = tc.evaluate_tier(diamond, policy=POLICY, as_of=END)
    assert (d.tier, d.direction, d.missed_evaluations) == ("silver", "down", 0)
    assert d.reasons[1] == (
        "missed the diamond threshold ¥1,000.00 at 2 consecutive evaluations: down to silver"
    )
    assert d.reasons[2] == "held at silver by a manual floor until 2026-12-31"


def test_a_floor_never_lowers_a_tier_and_says_nothing_when_it_changes_nothing() -> None:
    rich = customer(120_000, "diamond", floor=tc.TierFloor("vip", until=END))
    d = tc.evaluate_tier(rich, policy=POLICY, as_of=END)
    assert (d.tier, d.direction) == ("diamond", "same")
    grace = customer(5_000, "diamond", floor=tc.TierFloor("silver", until=END))
    first = tc.evaluate_tier(grace, policy=POLICY, as_of=END)  # in grace: the floor holds nothing
    assert (first.tier, first.missed_evaluations) == ("diamond", 1)
    assert not any("floor" in r for r in (*d.reasons, *first.reasons))


def test_a_floor_and_one_down_together() -> None:
    diamond = customer(5_000, "diamond", floor=tc.TierFloor("silver", until=END))
    assert run(diamond, [END] * 6, ONE_DOWN) == [
        ("diamond", 1),
        ("gold", 0),
        ("gold", 1),
        ("silver", 0),
        ("silver", 0),  # the floor holds: no miss counted
        ("silver", 0),
    ]


def test_an_aware_as_of_is_read_as_its_day_in_the_policy_time_zone() -> None:
    gold = customer(42_000, "gold", floor=tc.TierFloor("gold", until=END))
    # 15:00 UTC on the 31st is 23:00 in Shanghai: the floor's last day.
    late = datetime(2026, 12, 31, 15, tzinfo=UTC)
    assert tc.evaluate_tier(gold, policy=POLICY, as_of=late).missed_evaluations == 0
    # 17:00 UTC on the 31st is 01:00 on 1 January in Shanghai: the floor is over.
    past = datetime(2026, 12, 31, 17, tzinfo=UTC)
    assert tc.evaluate_tier(gold, policy=POLICY, as_of=past).missed_evaluations == 1
    batch = tc.evaluate_tiers(
        [42_000] * 2, [12] * 2, [3, 3], floor=["gold"] * 2, floor_until=[END, END], as_of=past
    )
    assert batch.missed.tolist() == [1, 1]


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda: tc.TierFloor("gold", until=None), "TierFloor.until must be a datetime.date"),
        (
            lambda: tc.TierFloor("gold", until=datetime(2026, 12, 31, tzinfo=UTC)),
            "TierFloor.until must be a datetime.date, got datetime",
        ),
        (lambda: tc.TierFloor("", until=END), "TierFloor.tier must"),
        (lambda: tc.TierFloor(None, until=END), "TierFloor.tier must be a str, got"),
        (
            lambda: customer(0, "gold", floor="gold"),  # type: ignore[arg-type]
            "Customer.floor must be None or a telcare.TierFloor, got 'gold'",
        ),
    ],
)
def test_a_bad_floor_is_refused_by_name(make: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput, match=fragment.replace(".", r"\.")):
        make()


def test_a_floor_of_a_tier_the_ladder_lacks_is_refused_naming_it() -> None:
    person = customer(0, "gold", floor=tc.TierFloor("platinum", until=END))
    with pytest.raises(
        tc.InvalidInput, match=r"^Customer\.floor\.tier is the unknown tier 'platinum'"
    ):
        tc.evaluate_tier(person, policy=POLICY, as_of=END)


def test_a_floor_needs_the_day_of_the_evaluation() -> None:
    person = customer(0, "gold", floor=tc.TierFloor("gold", until=END))
    with pytest.raises(tc.InvalidInput, match=r"needs as_of=, the day of the evaluation"):
        tc.evaluate_tier(person, policy=POLICY)
    assert tc.evaluate_tier(customer(0, "gold"), policy=POLICY).tier == "gold"  # no floor: no day


@pytest.mark.parametrize(
    ("as_of", "fragment"),
    [
        ("2026-12-31", "as_of must be a date, got str '2026-12-31'"),
        (datetime(2026, 12, 31, 9), "as_of must be timezone-aware"),
        (20261231, "as_of must be a date, got int 20261231"),
    ],
)
def test_a_bad_as_of_is_refused_in_both_forms(as_of: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput, match=fragment):
        tc.evaluate_tier(customer(0, "gold"), policy=POLICY, as_of=as_of)
    with pytest.raises(tc.InvalidInput, match=fragment):
        tc.evaluate_tiers([0], [12], floor=[3], floor_until=[END], as_of=as_of)


# ---------------------------------------------------------------------- batch floors


def test_batch_floors_worked_example() -> None:
    b = tc.evaluate_tiers(
        [42_000, 42_000, 42_000, 5_000, 120_000],
        [12] * 5,
        current=[3, 3, 1, 4, 4],
        missed=[1, 1, 0, 1, 0],
        floor=["gold", "gold", "gold", "silver", "ordinary"],
        floor_until=[END, END - timedelta(days=1), END, END, None],
        as_of=END,
    )
    assert b.tier_codes().tolist() == ["gold", "silver", "gold", "silver", "diamond"]
    assert b.missed.tolist() == [0, 0, 0, 0, 0]
    assert b.changed.tolist() == [False, True, True, True, False]
    assert b.qualified.tolist() == [2, 2, 2, 0, 4]  # the spend alone, as documented
    json.dumps(b.to_dict())


def test_batch_floor_columns_take_codes_labels_numpy_and_pandas() -> None:
    until = np.array([END, "NaT"], dtype="datetime64[D]")
    by_code = tc.evaluate_tiers(
        [0, 0], [12, 12], floor=np.array([3, 0]), floor_until=until, as_of=END
    )
    by_label = tc.evaluate_tiers(
        pd.Series([0, 0]), pd.Series([12, 12]),
        floor=pd.Series(["gold", "ordinary"], dtype="category"),
        floor_until=pd.Series([pd.Timestamp(END), pd.NaT]), as_of=END,
    )  # fmt: skip
    assert by_code.tier_codes().tolist() == by_label.tier_codes().tolist() == ["gold", "ordinary"]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"floor": [3], "as_of": END}, "got floor without floor_until"),
        ({"floor_until": [END], "as_of": END}, "got floor_until without floor"),
        ({"floor": [3], "floor_until": [END]}, "needs as_of=, the day of the evaluation"),
        ({"floor": [9], "floor_until": [END], "as_of": END}, "floor must be <= 4, got 9 at index 0"),
        ({"floor": ["platinum"], "floor_until": [END], "as_of": END}, "floor has the unknown label 'platinum' at index 0"),
        ({"floor": [None], "floor_until": [END], "as_of": END}, "floor is missing at index 0"),
        ({"floor": [3], "floor_until": [None], "as_of": END}, "floor_until is missing at index 0, where floor is 'gold'"),
        ({"floor": [3], "floor_until": [20261231], "as_of": END}, "floor_until must hold dates, got 20261231 at index 0"),
        ({"floor": [3, 3], "floor_until": [END, END], "as_of": END}, "floor=2, floor_until=2"),
        ({"floor": [3], "floor_until": [END, END], "as_of": END}, "floor=1, floor_until=2"),
    ],
)  # fmt: skip
def test_batch_floor_refusals_name_the_column_and_value(
    kwargs: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        tc.evaluate_tiers([0], [12], **kwargs)
    assert fragment in str(info.value)


def test_batch_floors_are_the_same_across_the_internal_blocks() -> None:
    rng = np.random.default_rng(5)
    n = 2 * (1 << 15) + 17
    cols = [rng.integers(0, 120_000, n), rng.integers(0, 13, n), rng.integers(0, 5, n), rng.integers(0, 3, n)]  # fmt: skip
    floor = rng.integers(0, 5, n)
    until = np.datetime64(END, "D") + rng.integers(-3, 3, n)
    whole = tc.evaluate_tiers(*cols, policy=ONE_DOWN, floor=floor, floor_until=until, as_of=END)
    parts = [
        tc.evaluate_tiers(
            *(c[i : i + 999] for c in cols), policy=ONE_DOWN, floor=floor[i : i + 999],
            floor_until=until[i : i + 999], as_of=END,
        )
        for i in range(0, n, 999)
    ]  # fmt: skip
    for name in ("tier", "missed", "changed", "qualified"):
        np.testing.assert_array_equal(
            getattr(whole, name), np.concatenate([getattr(p, name) for p in parts])
        )
    active = until >= np.datetime64(END, "D")
    assert (whole.tier[active] >= floor[active]).all()


# ------------------------------------------------------------------- the two forms agree


def floors(policy: tc.Policy) -> st.SearchStrategy[tc.TierFloor | None]:
    return st.none() | st.builds(
        tc.TierFloor,
        st.sampled_from(policy.tiers.codes),
        st.dates(END - timedelta(days=3), END + timedelta(days=3)),
    )


@given(st.data())
def test_the_batch_and_the_scalar_agree_with_downgrade_modes_and_floors(
    data: st.DataObject,
) -> None:
    policy = with_downgrade(
        data.draw(tcs.policies()), data.draw(st.sampled_from(["to_qualifying", "one_down"]))
    )
    people = [
        attrs.evolve(p, floor=data.draw(floors(policy)))
        for p in data.draw(st.lists(tcs.customers(policy=policy), max_size=12))
    ]
    w, codes = policy.tiers.window_months, policy.tiers.codes
    windows = [p.monthly_spend[-w:] for p in people]
    batch = tc.evaluate_tiers(
        [sum(x) // len(x) if x else 0 for x in windows],
        [len(x) for x in windows],
        [codes.index(p.tier) for p in people],
        [p.missed_evaluations for p in people],
        policy=policy,
        floor=[p.floor.tier if p.floor else codes[0] for p in people],
        floor_until=[p.floor.until if p.floor else None for p in people],
        as_of=END,
    )
    for i, person in enumerate(people):
        d = tc.evaluate_tier(person, policy=policy, as_of=END)
        plain = tc.evaluate_tier(attrs.evolve(person, floor=None), policy=policy)
        assert (codes[batch.tier[i]], batch.missed[i], bool(batch.changed[i])) == (
            d.tier,
            d.missed_evaluations,
            d.changed,
        )
        assert codes[batch.qualified[i]] == d.qualified == plain.qualified
        assert codes.index(d.tier) >= codes.index(plain.tier)  # a floor never lowers
        if person.floor and person.floor.until >= END:
            assert codes.index(d.tier) >= codes.index(person.floor.tier)
        else:
            assert (d.tier, d.missed_evaluations, d.reasons) == (
                plain.tier,
                plain.missed_evaluations,
                plain.reasons,
            )
        held = (d.tier, d.missed_evaluations) != (plain.tier, plain.missed_evaluations)
        assert held == any("manual floor" in r for r in d.reasons)
