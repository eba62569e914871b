"""The reasons of the benefits package, as codes (docs/reasons.md): a benefit's gates,
credit and suspension, and the suspicious-user rules with their follow-up."""

from __future__ import annotations

from telcare._core.kernels import GateOutcome
from telcare._core.reasons import (
    COUNT,
    DATE,
    DATETIME,
    FEN,
    HOURS,
    REASONS,
    TIER,
    TIERS,
    Reason,
    define,
    label,
    labels,
    vocabulary,
)
from telcare.customers import Customer
from telcare.policy import BENEFITS_BY_CODE, BenefitRule

__all__ = ["qualify_reason", "quota_reason"]


def _benefit_name(code: str, lang: str) -> str:
    known = BENEFITS_BY_CODE.get(code)
    return code if lang == "en" or known is None else known.name_zh


def _uses(code: str, lang: str) -> str:
    known = BENEFITS_BY_CODE.get(code)
    if known is None:
        return code
    if lang != "en":
        return known.name_zh
    if code == "free_sim_replacement":
        return "free SIM replacements"
    return f"uses of {known.name[0].lower()}{known.name[1:]}"


#: A benefit's code (``phone_manager``), shown by its catalogue name in Chinese.
BENEFIT = vocabulary("benefit", _benefit_name)
#: What a benefit's quota counts (``free SIM replacements``).
BENEFIT_USES = vocabulary("benefit_uses", _uses)
STATUS = label("status")
STATUSES = labels("status", en=" or ", zh="或")
VERIFICATION = label("verification")
SEGMENT = label("segment")

# ---- benefits: how the customer qualifies, then each restriction
QUALIFIES = define("benefit.qualify.routes", "qualifies: {routes}", routes=REASONS)
MISSES = define("benefit.qualify.misses", "does not qualify: {misses}", misses=REASONS)
NO_ROUTE = define(
    "benefit.qualify.no_route", "does not qualify: the rule names no tier, segment or plan fee"
)
BY_TIER = define("benefit.route.tier", "tier {tier} is one of {tiers}", tier=TIER, tiers=TIERS)
NOT_TIER = define("benefit.miss.tier", "tier {tier} is not one of {tiers}", tier=TIER, tiers=TIERS)
BY_SEGMENT = define("benefit.route.segment", "member of the {segment} segment", segment=SEGMENT)
NOT_SEGMENT = define("benefit.miss.segment", "not in the {segment} segment", segment=SEGMENT)
BY_FEE = define("benefit.route.plan_fee", "plan fee {fee} >= {minimum}", fee=FEN, minimum=FEN)
LOW_FEE = define("benefit.miss.plan_fee", "plan fee {fee} < {minimum}", fee=FEN, minimum=FEN)
NOT_OFFERED = define(
    "benefit.not_offered", "{benefit} is not offered under this policy", benefit=BENEFIT
)
WITHHELD = define(
    "benefit.verification.withheld",
    "{verification} subscriber: {benefit} is withheld until the identity is confirmed",
    verification=VERIFICATION, benefit=BENEFIT,
)  # fmt: skip
STATUS_OK = define("benefit.status.served", "account {status}", status=STATUS)
STATUS_REFUSED = define(
    "benefit.status.refused", "account {status}: served only when {statuses}",
    status=STATUS, statuses=STATUSES,
)  # fmt: skip
CREDIT_OK = define(
    "benefit.credit.meets", "credit level {level} >= {minimum}", level=COUNT, minimum=COUNT
)
CREDIT_LOW = define(
    "benefit.credit.below", "credit level {level} < {minimum} required", level=COUNT, minimum=COUNT
)
_QUOTA = "used {used} of {quota} {uses} in the cycle"
QUOTA_LEFT = define(
    "benefit.quota.left", _QUOTA + ", {left} left",
    used=COUNT, quota=COUNT, uses=BENEFIT_USES, left=COUNT,
)  # fmt: skip
QUOTA_GONE = define(
    "benefit.quota.none_left", _QUOTA + ", none left", used=COUNT, quota=COUNT, uses=BENEFIT_USES
)
HOURS_UNCHECKED = define(
    "benefit.hours.unchecked", "service hours {hours} (no time given, not checked)", hours=HOURS
)
HOURS_OPEN = define("benefit.hours.open", "within service hours {hours}", hours=HOURS)
HOURS_CLOSED = define(
    "benefit.hours.closed", "outside service hours {hours}, next opening {opening}",
    hours=HOURS, opening=DATETIME,
)  # fmt: skip

# ---- credit: the allowance, the delay for high credit, the spam guard
WITHIN = define(
    "credit.within",
    "arrears {arrears} within the level-{level} allowance of {allowance} ({headroom} left)",
    arrears=FEN, level=COUNT, allowance=FEN, headroom=FEN,
)  # fmt: skip
OVER = define(
    "credit.over", "arrears {arrears} exceed the level-{level} allowance of {allowance}",
    arrears=FEN, level=COUNT, allowance=FEN,
)  # fmt: skip
_DELAY = "delayed suspension for high credit: "
HELD = define(
    "credit.delay.held",
    _DELAY + "level {level} may stay {delay} days over its allowance, {used} used, {left} left",
    level=COUNT, delay=COUNT, used=COUNT, left=COUNT,
)  # fmt: skip
USED_UP = define(
    "credit.delay.used_up",
    _DELAY + "the {delay} days of level {level} are used ({days} days over)",
    delay=COUNT, level=COUNT, days=COUNT,
)  # fmt: skip
NO_DELAY = define("credit.delay.none", "level {level} has no delayed suspension", level=COUNT)
_SMS = "sent {sms} SMS in the last hour (> {limit})"
SPAM = define(
    "credit.spam.suspend",
    _SMS + " while in arrears: the spam guard suspends at once, whatever the credit level",
    sms=COUNT, limit=COUNT,
)  # fmt: skip
NOT_SPAM = define(
    "credit.spam.not_in_arrears", _SMS + " but not in arrears: no spam suspension",
    sms=COUNT, limit=COUNT,
)  # fmt: skip

# ---- verification: the suspicious-user rules (seed 001) and the follow-up
ID_COPY = define("verification.id_copy", "ID copy missing or unclear")
SIGNATURE = define("verification.signature", "signature missing or unclear")
ADDRESS = define("verification.address", "address wrong or incomplete")
CONTACT_PHONE = define("verification.contact_phone", "contact number wrong or empty")
FAILED_SLOTS = define(
    "verification.failed_slots", "callbacks failed in {slots} different time slots (>= {minimum})",
    slots=COUNT, minimum=COUNT,
)  # fmt: skip
UNKNOWN_HOLDER = define(
    "verification.unknown_holder", "the number's user does not know the account holder"
)
GROUP_UNRELATED = define(
    "verification.group_unrelated", "group-account user unrelated to the group"
)
SMS_FAILURES = define(
    "verification.sms_failures", "{failures} SMS not delivered (>= {minimum})",
    failures=COUNT, minimum=COUNT,
)  # fmt: skip
CLEAN = define("verification.clean", "none of the {rules} suspicious-user rules fired", rules=COUNT)
DUE = define(
    "verification.follow_up.due", "flagged on {flagged}: re-verify the papers by {due} ({days} days)",
    flagged=DATE, due=DATE, days=COUNT,
)  # fmt: skip
REVERIFIED = define("verification.follow_up.reverified", "re-verified on {on}", on=DATE)
REVERIFIED_LATE = define(
    "verification.follow_up.reverified_late", "re-verified on {on} (late)", on=DATE
)
CORRECTED = define(
    "verification.verdict.corrected", "papers corrected: back into the new-subscriber callback"
)
FINED = define(
    "verification.verdict.fined",
    "confirmed suspicious: the developer is fined {penalty} (own channel)", penalty=FEN,
)  # fmt: skip
NO_COMMISSION = define(
    "verification.verdict.no_commission",
    "confirmed suspicious: no commission for the agent channel",
)


def qualify_reason(rule: BenefitRule, customer: Customer, gates: GateOutcome) -> Reason:
    """Why the customer qualifies or not, gate by gate, from the kernel's outcome."""
    routes: list[Reason] = []
    misses: list[Reason] = []
    if rule.tiers:
        seen = {"tier": customer.tier, "tiers": tuple(rule.tiers)}
        (routes if gates.by_tier else misses).append(
            (BY_TIER if gates.by_tier else NOT_TIER)(**seen)
        )
    for segment in rule.segments:
        if segment in customer.segments:
            routes.append(BY_SEGMENT(segment=segment))
        else:
            misses.append(NOT_SEGMENT(segment=segment))
    if rule.min_plan_fee is not None:
        fee = {"fee": customer.plan_fee, "minimum": rule.min_plan_fee}
        (routes if gates.by_fee else misses).append((BY_FEE if gates.by_fee else LOW_FEE)(**fee))
    if routes:
        return QUALIFIES(routes=routes)
    return MISSES(misses=misses) if misses else NO_ROUTE()


def quota_reason(code: str, used: int, quota: int, remaining: int, *, ok: bool) -> Reason:
    """The quota's reason: how many of the ``quota`` uses are gone, and what is left."""
    if ok:
        return QUOTA_LEFT(used=used, quota=quota, uses=code, left=remaining)
    return QUOTA_GONE(used=used, quota=quota, uses=code)
