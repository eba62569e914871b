"""The people who make the calls (seed 004): an agent's scorecard from the coaching
form, and the seven-step selection funnel for new agents.

The coaching form scores a call's six stages (opening, needs, recommendation,
checking, objections, closing) and six call skills (customer experience,
control, voice, listening, questioning, notes) from 0 to 100; the policy's
``agents`` section weighs them and says below which score to coach.

>>> import telcare as tc
>>> stages = {"opening": 90, "needs": 60, "recommendation": 80, "checking": 85,
...           "objections": 55, "closing": 75}
>>> skills = {"customer_experience": 80, "control": 70, "voice": 90, "listening": 65,
...           "questioning": 60, "notes": 85}
>>> card = coaching_scorecard("li", stages, skills)
>>> card.total, card.coach_on
(72.5, ('objections', 'needs', 'questioning', 'listening'))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import column, mapping, number, text
from telcare._core.display import Explained
from telcare._core.errors import InvalidInput
from telcare._core.reasons import Reason
from telcare.metrics import Rate
from telcare.operations._labels import JsonColumns
from telcare.operations._reasons import AGENT_COACH, AGENT_NOTHING, AGENT_SCORE
from telcare.policy import CALL_SKILLS, CALL_STAGES, SELECTION_STEPS, Policy, as_policy

__all__ = ["Funnel", "Scorecard", "coaching_scorecard", "selection_funnel"]


@attrs.frozen(slots=True)
class Scorecard(Explained):
    """One agent's coaching scorecard: weighted stage and skill scores, the total
    (``stage_share`` of the stages, the rest skills), and what to coach on, weakest
    first."""

    agent: str
    stage_score: float
    skill_score: float
    total: float
    coach_on: tuple[str, ...]
    reasons: tuple[Reason, ...]


def _scores(values: object, name: str, names: tuple[str, ...]) -> dict[str, float]:
    values = mapping(values, f"{name} must map each of {list(names)} to a score, got {{got}}")
    unknown = sorted(set(map(str, values)) - set(names))
    missing = [n for n in names if n not in values]
    if unknown or missing:
        raise InvalidInput(
            f"{name} must score exactly {list(names)}; unknown {unknown}, missing {missing}"
        )
    return {n: number(values[n], f"{name}[{n!r}]", minimum=0, maximum=100) for n in names}


def coaching_scorecard(
    agent: str,
    stage_scores: Mapping[str, float],
    skill_scores: Mapping[str, float],
    *,
    policy: Policy | None = None,
) -> Scorecard:
    """Score one agent's coaching form (see the module); totals are rounded to 0.1.

    >>> import telcare as tc
    >>> even = dict.fromkeys(tc.CALL_STAGES, 80)
    >>> card = coaching_scorecard("wang", even, dict.fromkeys(tc.CALL_SKILLS, 90))
    >>> card.total, card.coach_on, card.reasons[-1]
    (84.0, (), 'nothing below 70')
    """
    a = as_policy(policy).agents
    name = text(agent, "agent")
    stages = _scores(stage_scores, "stage_scores", CALL_STAGES)
    skills = _scores(skill_scores, "skill_scores", CALL_SKILLS)
    stage = sum(float(a.stage_weights[s]) * stages[s] for s in CALL_STAGES)
    skill = sum(float(a.skill_weights[s]) * skills[s] for s in CALL_SKILLS)
    share = float(a.stage_share)
    total = round(share * stage + (1 - share) * skill, 1)
    bar = float(a.coach_below)
    weak = sorted(((v, k) for k, v in (*stages.items(), *skills.items()) if v < bar))
    reasons = [AGENT_SCORE(stages=stage, stage_share=share, skills=skill, skill_share=1 - share,
                           total=total)]  # fmt: skip
    reasons += [AGENT_COACH(item=k, score=v, bar=bar) for v, k in weak] or [AGENT_NOTHING(bar=bar)]
    return Scorecard(
        name, round(stage, 1), round(skill, 1), total, tuple(k for _, k in weak), tuple(reasons)
    )


@attrs.frozen(slots=True, eq=False)
class Funnel(JsonColumns):
    """The selection funnel: per step, candidates who took it and who passed.

    ``reached[i]`` is the step each candidate stopped at (its index, or 7 for
    a candidate who passed every step: ``hired``).
    """

    steps: tuple[str, ...]
    entered: npt.NDArray[np.int64]
    passed: npt.NDArray[np.int64]
    reached: npt.NDArray[np.int64]

    @property
    def hired(self) -> npt.NDArray[np.bool_]:
        """Candidates who passed every step."""
        out: npt.NDArray[np.bool_] = self.reached == len(self.steps)
        return out

    def pass_rate(self, step: str) -> Rate:
        """Passed / entered at one step, with its interval."""
        if not isinstance(step, str) or step not in self.steps:
            raise InvalidInput(f"unknown step {step!r}; the funnel has {list(self.steps)}")
        i = self.steps.index(step)
        return Rate(int(self.passed[i]), int(self.entered[i]))

    def _columns(self) -> dict[str, Any]:
        """One row per step: entered, passed and the pass rate."""
        return {
            "step": list(self.steps), "entered": self.entered, "passed": self.passed,
            "pass_rate": [self.pass_rate(s).value if self.entered[i] else np.nan
                          for i, s in enumerate(self.steps)],
        }  # fmt: skip

    def __str__(self) -> str:
        return "\n".join(
            f"{step:<15} {int(self.entered[i]):>6,} entered {int(self.passed[i]):>6,} passed"
            + (f"  {self.pass_rate(step)}" if self.entered[i] else "")
            for i, step in enumerate(self.steps)
        )


def selection_funnel(scores: Any, *, policy: Policy | None = None) -> Funnel:
    """Run candidates through the seven selection steps in order.

    ``scores`` is a candidates x 7 table (steps in ``SELECTION_STEPS`` order)
    of 0-100 scores, NaN where a candidate did not take a step; a candidate
    goes on only while it reaches each step's pass mark, and a later score
    after a failure is ignored.

    >>> import numpy as np
    >>> f = selection_funnel([[80, 70, 65, 75, 72, 100, 90],
    ...                       [90, 40, np.nan, np.nan, np.nan, np.nan, np.nan],
    ...                       [70, 80, 55, np.nan, np.nan, np.nan, np.nan]])
    >>> f.entered.tolist(), f.passed.tolist(), f.hired.tolist()
    ([3, 3, 2, 1, 1, 1, 1], [3, 2, 1, 1, 1, 1, 1], [True, False, False])
    """
    marks = as_policy(policy).agents.pass_marks
    table = column(scores, "scores", ndim=2)
    if table.shape[1:] != (len(SELECTION_STEPS),):
        raise InvalidInput(
            f"scores must have {len(SELECTION_STEPS)} columns ({list(SELECTION_STEPS)}), got shape {table.shape}"
        )
    if table.dtype == np.bool_ or (
        table.dtype == object and any(isinstance(v, bool | np.bool_) for v in table.flat)
    ):
        raise InvalidInput("scores must hold numbers or NaN, got booleans (a pass is a score)")
    try:
        values = table.astype(np.float64)
    except (TypeError, ValueError):
        raise InvalidInput(f"scores must hold numbers or NaN, got {table.dtype}") from None
    bad = ~np.isnan(values) & ((values < 0) | (values > 100))
    if bad.any():
        row, col = map(int, np.argwhere(bad)[0])
        raise InvalidInput(
            f"scores must be within 0-100, got {values[row, col].item()!r} for candidate {row} at {SELECTION_STEPS[col]}"
        )
    mark = np.array([float(marks[s]) for s in SELECTION_STEPS])
    with np.errstate(invalid="ignore"):
        ok = values >= mark  # NaN (not taken) fails
    n = len(values)
    reached = np.full(n, len(SELECTION_STEPS), dtype=np.int64)
    failed = ~ok
    any_fail = failed.any(axis=1)
    reached[any_fail] = np.argmax(failed[any_fail], axis=1)
    steps = np.arange(len(SELECTION_STEPS))
    entered = (reached[:, None] >= steps[None, :]).sum(axis=0).astype(np.int64)
    passed = (reached[:, None] > steps[None, :]).sum(axis=0).astype(np.int64)
    untaken = (
        np.isnan(values[np.arange(n), np.minimum(reached, len(SELECTION_STEPS) - 1)]) & any_fail
    )
    # a candidate who never took the step it stopped at did not "enter" it
    if untaken.any():
        np.subtract.at(entered, reached[untaken], 1)
    return Funnel(SELECTION_STEPS, entered, passed, reached)
