"""The reasons of the weekly operation, as codes (docs/reasons.md): a complaint's
state, and an agent's coaching scorecard."""

from __future__ import annotations

from telcare._core.reasons import CODE, DATE, FEN, NUMBER, REASON, TEXT, define, label

__all__ = ["AGENT_COACH", "AGENT_NOTHING", "AGENT_SCORE", "COMPLAINT_HEAD", "COMPLAINT_STATE"]

COMPLAINT = label("complaint")
CALL_ITEM = label("call_item")

_HEAD = "{type} complaint of {opened}, due by {due}"
COMPLAINT_HEAD = {
    "plain": define("complaint.head", _HEAD, type=COMPLAINT, opened=DATE, due=DATE),
    "conflict": define(
        "complaint.head.conflict", _HEAD + " (offer {offer} conflicts with {holding})",
        type=COMPLAINT, opened=DATE, due=DATE, offer=CODE, holding=CODE,
    ),
    "conflict_detail": define(
        "complaint.head.conflict_detail",
        _HEAD + " (offer {offer} conflicts with {holding}: {detail})",
        type=COMPLAINT, opened=DATE, due=DATE, offer=CODE, holding=CODE, detail=TEXT,
    ),
}  # fmt: skip
_RESOLVED = "{head}: resolved on {resolved}"
COMPLAINT_STATE = {
    "open": define("complaint.open", "{head}: open", head=REASON),
    "overdue": define("complaint.overdue", "{head}: overdue", head=REASON),
    "on_time": define(
        "complaint.resolved.on_time", _RESOLVED + " (on time)", head=REASON, resolved=DATE
    ),
    "late": define("complaint.resolved.late", _RESOLVED + " (late)", head=REASON, resolved=DATE),
    "on_time_refund": define(
        "complaint.resolved.on_time_refund", _RESOLVED + " (on time), refund {refund}",
        head=REASON, resolved=DATE, refund=FEN,
    ),
    "late_refund": define(
        "complaint.resolved.late_refund", _RESOLVED + " (late), refund {refund}",
        head=REASON, resolved=DATE, refund=FEN,
    ),
}  # fmt: skip

AGENT_SCORE = define(
    "agent.score",
    "stages {stages:.1f} x {stage_share:.0%} + skills {skills:.1f} x {skill_share:.0%} = {total:.1f}",
    stages=NUMBER, stage_share=NUMBER, skills=NUMBER, skill_share=NUMBER, total=NUMBER,
)  # fmt: skip
AGENT_COACH = define(
    "agent.coach", "coach on {item}: {score:g} < {bar:g}", item=CALL_ITEM, score=NUMBER, bar=NUMBER
)
AGENT_NOTHING = define("agent.nothing_to_coach", "nothing below {bar:g}", bar=NUMBER)
