"""Agents (seed 004): the coaching scorecard and the seven-step selection funnel."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, strategies as st
from pydantic import ValidationError

import telcare as tc

STAGES = dict(zip(tc.CALL_STAGES, [90, 60, 80, 85, 55, 75], strict=True))
SKILLS = dict(zip(tc.CALL_SKILLS, [80, 70, 90, 65, 60, 85], strict=True))


def test_the_form_has_seed_004s_six_stages_and_six_skills() -> None:
    # 热情开篇, 需求辨识, 定位推荐, 检查核定, 化解分歧, 成交谢客
    assert tc.CALL_STAGES == (
        "opening",
        "needs",
        "recommendation",
        "checking",
        "objections",
        "closing",
    )
    assert len(tc.CALL_SKILLS) == 6 and len(tc.SELECTION_STEPS) == 7


def test_the_scorecard_weighs_stages_and_skills_as_the_policy_says() -> None:
    w = tc.default_policy().agents
    stage = sum(float(w.stage_weights[k]) * v for k, v in STAGES.items())
    skill = sum(float(w.skill_weights[k]) * v for k, v in SKILLS.items())
    card = tc.coaching_scorecard("li", STAGES, SKILLS)
    assert (card.stage_score, card.skill_score) == (round(stage, 1), round(skill, 1))
    assert card.total == round(0.6 * stage + 0.4 * skill, 1)
    assert card.coach_on == ("objections", "needs", "questioning", "listening")  # weakest first
    assert card.reasons[1] == "coach on objections: 55 < 70"
    only_skills = tc.Policy.model_validate({"agents": {"stage_share": "0"}})
    assert tc.coaching_scorecard("li", STAGES, SKILLS, policy=only_skills).total == round(skill, 1)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: tc.coaching_scorecard("li", {**STAGES, "small_talk": 50}, SKILLS), "unknown ['small_talk']"),
        (lambda: tc.coaching_scorecard("li", {"opening": 1}, SKILLS), "missing ['needs'"),
        (lambda: tc.coaching_scorecard("li", {**STAGES, "needs": 101}, SKILLS), "stage_scores['needs'] must be <= 100"),
        (lambda: tc.coaching_scorecard("", STAGES, SKILLS), "agent must not be empty"),
        (lambda: tc.coaching_scorecard("li", [1, 2], SKILLS), "stage_scores must map"),
    ],
)  # fmt: skip
def test_scorecard_refusals(call: Any, fragment: str) -> None:
    with pytest.raises(tc.InvalidInput) as info:
        call()
    assert fragment in str(info.value)


def test_weights_must_cover_and_sum_to_one() -> None:
    with pytest.raises(ValidationError, match=r"must sum to 1, got 1\.1 "):
        tc.Policy.model_validate({"agents": {"stage_weights": {**dict.fromkeys(tc.CALL_STAGES, "0.1"),
                                                               "closing": "0.6"}}})  # fmt: skip
    with pytest.raises(ValidationError, match="missing \\['notes'\\]"):
        tc.Policy.model_validate({"agents": {"skill_weights": {"customer_experience": "0.2", "control": "0.2",
                                                               "voice": "0.2", "listening": "0.2",
                                                               "questioning": "0.2"}}})  # fmt: skip


steps = st.one_of(st.just(np.nan), st.integers(0, 100).map(float))


@given(st.lists(st.lists(steps, min_size=7, max_size=7), min_size=1, max_size=40))
def test_the_funnel_narrows_step_by_step(rows: list[list[float]]) -> None:
    f = tc.selection_funnel(rows)
    assert (f.passed <= f.entered).all()
    assert (f.entered[1:] <= f.passed[:-1]).all()
    assert int(f.hired.sum()) == int(f.passed[-1])
    for i, row in enumerate(rows):
        # a candidate is hired exactly when every step reached its pass mark (60)
        assert bool(f.hired[i]) == all(v == v and v >= 60 for v in row)


def test_the_funnel_reports_pass_rates() -> None:
    f = tc.selection_funnel(
        [[80, 70, 65, 75, 72, 100, 90], [90, 40] + [np.nan] * 5, [70, 80, 55] + [np.nan] * 4]
    )
    assert f.pass_rate("listening_test") == tc.Rate(2, 3)
    assert "resume" in str(f) and len(f.to_frame()) == 7
    strict = tc.Policy.model_validate(
        {"agents": {"pass_marks": {**dict.fromkeys(tc.SELECTION_STEPS, "60"), "resume": "85"}}}
    )
    assert tc.selection_funnel([[80] * 7], policy=strict).reached.tolist() == [0]
    with pytest.raises(tc.InvalidInput, match="unknown step 'lunch'"):
        f.pass_rate("lunch")
    with pytest.raises(tc.InvalidInput, match="must have 7 columns"):
        tc.selection_funnel([[1, 2]])
    with pytest.raises(
        tc.InvalidInput, match=r"within 0-100, got 120\.0 for candidate 0 at resume"
    ):
        tc.selection_funnel([[120] * 7])
    with pytest.raises(tc.InvalidInput, match="must hold numbers"):
        tc.selection_funnel([["a"] * 7])


def test_selection_scores_are_numbers_not_passes() -> None:
    import numpy as np

    with pytest.raises(tc.InvalidInput, match="got booleans"):
        tc.selection_funnel(np.ones((2, len(tc.SELECTION_STEPS)), dtype=bool))
    mixed = np.array([[True, *[80.0] * (len(tc.SELECTION_STEPS) - 1)]], dtype=object)
    with pytest.raises(tc.InvalidInput, match="got booleans"):
        tc.selection_funnel(mixed)
