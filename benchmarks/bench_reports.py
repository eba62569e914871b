"""The five reports over a base and a year of its actions, against the obvious pandas
groupby of the same figures (per manager, per team, programme; this period and the one
before)."""

from __future__ import annotations

from typing import Any

import numpy as np

import telcare as tc
from benchmarks.harness import Case
from telcare.cli._operations import build_report, operation_year
from telcare.synthetic import generate_base

RETENTION = [str(m) for m in tc.RETENTION_MOMENTS]


def _setup(n: int, rng: np.random.Generator) -> dict[str, Any]:
    import pandas as pd

    seed = int(rng.integers(0, 2**31))
    ops = operation_year(generate_base(n, seed=seed), seed=seed)
    book, log = ops.book, ops.log
    managers = [*book.managers, "(none)"]
    teams = [*book.teams, "(none)"]
    manager = pd.Categorical.from_codes(np.where(book.manager < 0, len(managers) - 1, book.manager),
                                        categories=managers)  # fmt: skip
    team_codes = np.append(np.where(book.team_of < 0, len(teams) - 1, book.team_of), len(teams) - 1)
    team = pd.Categorical.from_codes(team_codes[np.where(book.manager < 0, len(managers) - 1, book.manager)],
                                     categories=teams)  # fmt: skip
    customers = pd.DataFrame({"manager": manager, "team": team, "colour": ops.colour,
                              "suspended": ops.suspended, "previous_colour": ops.previous_colour,
                              "previous_suspended": ops.previous_suspended})  # fmt: skip
    outcomes = np.array([*log.outcomes, ""], dtype=object)
    actions = pd.DataFrame({
        "row": log.row,
        "moment": pd.Categorical.from_codes(log.moment, categories=list(log.moments)),
        "opened_on": log.opened_on, "due_by": log.due_by, "closed_on": log.closed_on,
        "outcome": pd.Categorical(outcomes[log.outcome]), "compliant": log.compliant,
    })  # fmt: skip
    active = pd.DataFrame(ops.active, columns=list(ops.months))
    return {"ops": ops, "pd": pd, "customers": customers, "actions": actions, "active": active}


def _telcare(d: dict[str, Any]) -> dict[tuple[str, str, str], Any]:
    out = {}
    for name in tc.REPORTS:
        report = build_report(d["ops"], name)
        for r in (report, report.previous):
            assert r is not None
            for column, values in r.counts.items():
                out[(name, r.period.label, column)] = values
    return out


def _pandas(d: dict[str, Any]) -> dict[tuple[str, str, str], Any]:
    """What an analyst writes with pandas: join the owner onto the actions, mask, group, sum."""
    pd = d["pd"]
    customers, active, ops = d["customers"], d["active"], d["ops"]
    actions = d["actions"].join(customers[["manager", "team"]], on="row")
    out: dict[tuple[str, str, str], Any] = {}

    def grouped(name: str, label: str, masks: dict[str, Any], frame: Any) -> None:
        table = pd.DataFrame(masks)
        by_manager = table.groupby(frame["manager"], observed=False).sum()
        by_team = table.groupby(frame["team"], observed=False).sum()
        for column in masks:
            out[(name, label, column)] = np.concatenate(
                [by_manager[column].to_numpy(), by_team[column].to_numpy(), [table[column].sum()]]
            ).astype(np.int64)

    def state(end: Any) -> tuple[Any, Any]:
        started = actions["opened_on"] <= end
        done = actions["closed_on"] <= end
        return started & ~done & (actions["due_by"] >= end), started & ~done & (
            actions["due_by"] < end
        )

    watched = actions["moment"].isin(RETENTION)
    callbacks = actions["moment"] == "new_subscriber_callback"
    for period in (ops.week, ops.week.previous()):
        start, end = np.datetime64(period.start), np.datetime64(period.end)
        is_open, is_overdue = state(end)
        closed, due = actions["closed_on"], actions["due_by"]
        handled = watched & (closed >= start) & (closed <= end)
        pending_rows = actions.loc[watched & (is_open | is_overdue), "row"].unique()
        at_risk = customers.iloc[pending_rows]
        masks = {
            "opened": watched & (actions["opened_on"] >= start) & (actions["opened_on"] <= end),
            "handled": handled, "on_time": handled & (closed <= due),
            "retained": handled & (actions["outcome"] == "retained"),
            "decided": handled & actions["outcome"].isin(["retained", "lost"]),
            "open": watched & is_open, "overdue": watched & is_overdue,
        }  # fmt: skip
        grouped("retention_indicators", period.label, masks, actions)
        grouped("retention_indicators", period.label, {"at_risk": np.ones(len(at_risk), dtype=bool)},
                at_risk.reset_index(drop=True))  # fmt: skip
        required = callbacks & (due >= start) & (due <= end)
        completed = required & (closed <= end)
        success = completed & actions["outcome"].isin(["genuine", "reached"])
        grouped("callback_report", period.label, {
            "required": required, "completed": completed, "on_time": completed & (closed <= due),
            "successful": success, "authentic": success & (actions["outcome"] == "genuine"),
            "compliant": success & actions["compliant"],
        }, actions)  # fmt: skip
        in_period = (due >= start) & (due <= end)
        done = closed <= end
        grouped("execution_report", period.label, {
            "due": in_period, "on_time": in_period & done & (closed <= due),
            "late": in_period & done & (closed > due), "overdue": in_period & ~done,
            "open": is_open, "overdue_all": is_overdue,
        }, actions)  # fmt: skip
    months = list(active.columns)
    for period in (ops.month, ops.month.previous()):
        masks = {}
        for suffix, month in (("", period), ("_year_before", period.year_before())):
            pooled_base, pooled_kept = 0, 0
            for j in range(3):
                label = month.shifted(-j).label
                i = months.index(label) if label in months else 0
                base = active.iloc[:, i - 1] if i > 0 else np.zeros(len(active), dtype=bool)
                kept = base & active.iloc[:, i] if i > 0 else base
                if j == 0:
                    masks[f"base{suffix}"], masks[f"retained{suffix}"] = base, kept
                pooled_base = pooled_base + np.asarray(base, dtype=np.int64)
                pooled_kept = pooled_kept + np.asarray(kept, dtype=np.int64)
            masks[f"base_3{suffix}"], masks[f"retained_3{suffix}"] = pooled_base, pooled_kept
        grouped(
            "retention_service",
            period.label,
            {k: np.asarray(v) for k, v in masks.items()},
            customers,
        )
    c = customers
    grouped("credit_bulletin", ops.week.label, {
        "accounts": np.ones(len(c), dtype=bool), "yellow": c["colour"] == 1, "orange": c["colour"] == 2,
        "red": c["colour"] == 3, "suspended": c["suspended"],
        "newly_suspended": c["suspended"] & ~c["previous_suspended"],
        "recovered": c["previous_suspended"] & ~c["suspended"], "suspended_before": c["previous_suspended"],
    }, c)  # fmt: skip
    grouped("credit_bulletin", ops.week.previous().label, {
        "accounts": np.ones(len(c), dtype=bool), "yellow": c["previous_colour"] == 1,
        "orange": c["previous_colour"] == 2, "red": c["previous_colour"] == 3,
        "suspended": c["previous_suspended"],
    }, c)  # fmt: skip
    return out


def _same(got: dict[Any, Any], expected: dict[Any, Any]) -> None:
    assert set(got) == set(expected), set(got) ^ set(expected)
    for key, values in expected.items():
        np.testing.assert_array_equal(np.asarray(got[key]), values, err_msg=str(key))


CASES = [
    Case(
        "reports.five (a year of actions)",
        1_000_000,
        _setup,
        _telcare,
        _pandas,
        check=_same,
        goal=1.0,
        notes="the five reports, this period and the one before, per manager, team and programme, "
        "over 10^6 customers and about 2.3 million actions of a year",
    ),
]
