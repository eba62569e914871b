"""The sections of the policy about the care team itself: how agents are scored and
selected, and the deadlines of complaints.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from telcare._core.frozen import FrozenDict
from telcare.policy._fields import DECIMAL_PLACES, Days, Unit, _Section

__all__ = [
    "CALL_SKILLS",
    "CALL_STAGES",
    "COMPLAINT_TYPES",
    "SELECTION_STEPS",
    "AgentsPolicy",
    "ComplaintsPolicy",
]

# -------------------------------------------------------------------- agents

StageName = Literal["opening", "needs", "recommendation", "checking", "objections", "closing"]
SkillName = Literal["customer_experience", "control", "voice", "listening", "questioning", "notes"]
StepName = Literal[
    "resume", "listening_test", "written_test", "interview_1", "interview_2", "checking",
    "comparison",
]  # fmt: skip
#: The six stages of an outbound sales call on seed 004's coaching form:
#: 热情开篇, 需求辨识, 定位推荐, 检查核定, 化解分歧, 成交谢客.
CALL_STAGES: tuple[StageName, ...] = (
    "opening", "needs", "recommendation", "checking", "objections", "closing",
)  # fmt: skip
#: The call skills the form scores across the stages: 客户体验, 对沟通过程的控制,
#: 声音魅力, 倾听, 提问技巧, 结束电话后的记录.
CALL_SKILLS: tuple[SkillName, ...] = (
    "customer_experience", "control", "voice", "listening", "questioning", "notes",
)  # fmt: skip
#: The seven scored steps of seed 004's selection of new agents: résumé, listening
#: test, written test, two interviews, checking, comparison.
SELECTION_STEPS: tuple[StepName, ...] = (
    "resume", "listening_test", "written_test", "interview_1", "interview_2", "checking",
    "comparison",
)  # fmt: skip
Score = Annotated[Decimal, Field(ge=0, le=100, decimal_places=DECIMAL_PLACES), Unit("points")]
Weight = Annotated[Decimal, Field(ge=0, le=1, decimal_places=DECIMAL_PLACES), Unit("share")]


def _stage_weights() -> FrozenDict[StageName, Decimal]:
    return FrozenDict({"opening": Decimal("0.10"), "needs": Decimal("0.20"),
                       "recommendation": Decimal("0.25"), "checking": Decimal("0.10"),
                       "objections": Decimal("0.20"), "closing": Decimal("0.15")})  # fmt: skip


def _skill_weights() -> FrozenDict[SkillName, Decimal]:
    return FrozenDict({"customer_experience": Decimal("0.20"), "control": Decimal("0.15"),
                       "voice": Decimal("0.15"), "listening": Decimal("0.20"),
                       "questioning": Decimal("0.20"), "notes": Decimal("0.10")})  # fmt: skip


def _pass_marks() -> FrozenDict[StepName, Decimal]:
    return FrozenDict(dict.fromkeys(SELECTION_STEPS, Decimal(60)))


class AgentsPolicy(_Section):
    """How agents are scored: the coaching form's weights and the selection's pass marks.

    A coaching scorecard weighs the six call stages (``stage_weights``) and the
    six call skills (``skill_weights``), each set summing to 1, and combines
    them with ``stage_share`` for the stages; a stage or skill below
    ``coach_below`` is what to coach on.  A candidate passes a selection step
    with a score at or above its ``pass_marks`` entry.  The figures are telcare
    defaults: the source names the stages, skills and steps, not their weights.
    """

    stage_weights: FrozenDict[StageName, Weight] = Field(default_factory=_stage_weights)
    skill_weights: FrozenDict[SkillName, Weight] = Field(default_factory=_skill_weights)
    stage_share: Weight = Decimal("0.6")
    coach_below: Score = Decimal(70)
    pass_marks: FrozenDict[StepName, Score] = Field(default_factory=_pass_marks)

    @model_validator(mode="after")
    def _complete(self) -> Self:
        for name, weights, names in (("stage_weights", self.stage_weights, CALL_STAGES),
                                     ("skill_weights", self.skill_weights, CALL_SKILLS)):  # fmt: skip
            missing = [n for n in names if n not in weights]
            if missing:
                raise ValueError(
                    f"agents.{name} must weigh every one of {list(names)}; missing {missing}"
                )
            total = sum(weights.values(), Decimal(0))
            if total != 1:
                raise ValueError(f"agents.{name} must sum to 1, got {total}")
        unmarked = [s for s in SELECTION_STEPS if s not in self.pass_marks]
        if unmarked:
            raise ValueError(f"agents.pass_marks must give every step a mark; missing {unmarked}")
        return self


# ---------------------------------------------------------------- complaints

ComplaintType = Literal[
    "billing", "offer_not_applied", "subscriptions", "suspension", "network", "service"
]
#: Seed 003's kinds of complaint: billing, an offer not applied, service
#: subscriptions the customer did not order, suspension, network, service.
COMPLAINT_TYPES: tuple[ComplaintType, ...] = (
    "billing", "offer_not_applied", "subscriptions", "suspension", "network", "service",
)  # fmt: skip


def _complaint_days() -> FrozenDict[ComplaintType, int]:
    return FrozenDict({"billing": 3, "offer_not_applied": 3, "subscriptions": 2,
                       "suspension": 1, "network": 5, "service": 3})  # fmt: skip


class ComplaintsPolicy(_Section):
    """Days to resolve each type of complaint (inclusive; telcare defaults)."""

    deadlines: FrozenDict[ComplaintType, Days] = Field(default_factory=_complaint_days)

    @model_validator(mode="after")
    def _every_type(self) -> Self:
        missing = [t for t in COMPLAINT_TYPES if t not in self.deadlines]
        if missing:
            raise ValueError(f"complaints.deadlines must cover every type; missing {missing}")
        return self
