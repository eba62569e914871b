"""The scorecard and the selection funnel, word for word and at their edges."""

from __future__ import annotations

import json

import numpy as np
import pytest

import telcare as tc
from telcare.operations import coaching_scorecard, selection_funnel

STAGES = {"opening": 90, "needs": 60, "recommendation": 80, "checking": 85, "objections": 55,
          "closing": 75}  # fmt: skip
SKILLS = {"customer_experience": 80, "control": 70, "voice": 90, "listening": 65,
          "questioning": 60, "notes": 85}  # fmt: skip
NAN = float("nan")


def test_the_scorecard_names_its_agent_and_spells_out_the_weighing() -> None:
    card = coaching_scorecard("li", STAGES, SKILLS)
    assert (card.agent, card.stage_score, card.skill_score, card.total) == ("li", 71.8, 73.5, 72.5)
    assert card.reasons[0] == "stages 71.8 x 60% + skills 73.5 x 40% = 72.5"


def test_the_skill_score_is_rounded_to_a_tenth() -> None:
    card = coaching_scorecard("li", STAGES, {**SKILLS, "voice": 60.5})  # 69.075
    assert card.skill_score == 69.1


def test_a_score_of_zero_counts_and_below_zero_is_refused_by_name() -> None:
    assert coaching_scorecard("li", {**STAGES, "opening": 0}, SKILLS).stage_score == 62.8
    with pytest.raises(tc.InvalidInput) as info:
        coaching_scorecard("li", {**STAGES, "opening": -1}, SKILLS)
    assert str(info.value) == "stage_scores['opening'] must be >= 0, got -1"
    with pytest.raises(tc.InvalidInput) as info:
        coaching_scorecard("li", STAGES, {**SKILLS, "x": 1})
    assert str(info.value) == (
        "skill_scores must score exactly ['customer_experience', 'control', 'voice', "
        "'listening', 'questioning', 'notes']; unknown ['x'], missing []"
    )


#: One candidate stops untested at the last step, one fails the listening test.
SCORES = [[80, 70, 65, 75, 72, 100, NAN], [90, 40, NAN, NAN, NAN, NAN, NAN]]


def test_a_step_never_taken_is_not_entered_even_the_last() -> None:
    f = selection_funnel(SCORES)
    assert f.reached.tolist() == [6, 1]
    assert f.entered.tolist() == [2, 2, 1, 1, 1, 1, 0]
    assert f.passed.tolist() == [2, 1, 1, 1, 1, 1, 0]


def test_the_funnel_as_text_and_as_json() -> None:
    f = selection_funnel(SCORES)
    assert str(f).splitlines() == [
        "resume               2 entered      2 passed  100.00% [34.2, 100.0]",
        "listening_test       2 entered      1 passed  50.00% [9.5, 90.5]",
        *[f"{s:<15}      1 entered      1 passed  100.00% [20.7, 100.0]"
          for s in ("written_test", "interview_1", "interview_2", "checking")],
        "comparison           0 entered      0 passed",
    ]  # fmt: skip
    assert json.dumps(f.to_dict()) == (
        '{"step": ["resume", "listening_test", "written_test", "interview_1", "interview_2", '
        '"checking", "comparison"], "entered": [2, 2, 1, 1, 1, 1, 0], '
        '"passed": [2, 1, 1, 1, 1, 1, 0], "pass_rate": [1.0, 0.5, 1.0, 1.0, 1.0, 1.0, null]}'
    )


def test_the_pass_mark_itself_passes_and_100_is_the_top() -> None:
    assert selection_funnel([[60] * 7, [100] * 7]).hired.tolist() == [True, True]
    with pytest.raises(tc.InvalidInput) as info:
        selection_funnel([[100.5] + [80] * 6])
    assert str(info.value) == "scores must be within 0-100, got 100.5 for candidate 0 at resume"


def test_scores_are_refused_word_for_word_and_numbers_in_objects_are_read() -> None:
    with pytest.raises(tc.InvalidInput) as info:
        selection_funnel([80] * 7)
    assert str(info.value) == "scores must be a 2-D column, got shape (7,)"
    with pytest.raises(tc.InvalidInput) as info:
        selection_funnel([[True] * 7])
    assert str(info.value) == "scores must hold numbers or NaN, got booleans (a pass is a score)"
    assert selection_funnel(np.array([[80.0] * 7], dtype=object)).hired.tolist() == [True]
