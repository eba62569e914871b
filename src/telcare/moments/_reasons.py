"""The reasons of the key and care moments, as codes (docs/reasons.md): why each
built-in moment's action is due, and how far the callback and the first tutoring
have come.  A moment of one's own may give plain text: it becomes the reason
``moment.own`` with the text as given (:func:`own_reason`).

>>> from datetime import date
>>> r = BILL(amount=8_800, on=date(2010, 11, 3))
>>> r.code, r.text("zh_CN")
('moment.first_bill', '首次账单¥88.00已于2010-11-03出账：解释费用构成、账单查询方法和银行代扣')
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from telcare._core.reason_kinds import finite_number, text_value
from telcare._core.reasons import (
    COUNT,
    DATE,
    FEN,
    NUMBER,
    REASON,
    TEXT,
    TIER,
    Kind,
    Reason,
    ReasonCode,
    define,
    label,
    labels,
)
from telcare._core.text import percent

__all__ = ["own_reason"]


def _share(value: Any) -> Decimal | float:
    checked = finite_number(value)  # a number, finite: strict JSON has no NaN
    return value if isinstance(value, Decimal) else float(checked)


#: A share from the policy (``Decimal('0.8')``), shown as ``80%`` in every language.
SHARE = Kind("share", _share, lambda v, lang: percent(v), float)
#: A count the template groups itself (``{points:,}``), in every language.
FIGURE = Kind("figure", COUNT.check, lambda v, lang: v, plain_en=True)
#: The callback's time slots (``morning, afternoon``; 上午、下午).
SLOTS = labels("slot")
#: A credit alert's colour (``yellow``; 黄色).
COLOUR = label("colour")

OWN = define("moment.own", "{text}", text=TEXT)

# ---- key moment 1: the new-subscriber callback
_OPENED = "activated on {opened} (plan {fee}"
_WITHIN = "): first callback within {days} days"
CALLBACK = define("moment.callback", _OPENED + _WITHIN, opened=DATE, fee=FEN, days=COUNT)
CALLBACK_DEVICE = define(
    "moment.callback.device", _OPENED + ", device {device}" + _WITHIN,
    opened=DATE, fee=FEN, device=TEXT, days=COUNT,
)  # fmt: skip
REACHED = define("moment.callback.reached", "{head}; reached on {on}", head=REASON, on=DATE)
SUSPICIOUS = define(
    "moment.callback.suspicious",
    "{head}; callbacks failed in {slots} different time slots: suspicious user, no tutoring",
    head=REASON, slots=COUNT,
)  # fmt: skip
RETRY = define(
    "moment.callback.retry",
    "{head}; {count} failed time slot(s) so far ({failed}): retry by {due} in another slot "
    "({untried}), calling the contact number first and the subscriber's own number only "
    "without one",
    head=REASON, count=COUNT, failed=SLOTS, due=DATE, untried=SLOTS,
)  # fmt: skip

# ---- key moment 2: the first tutoring
_GENUINE = "genuine user confirmed on {start}, plan {fee} >= {minimum}"
_TUTOR = {"start": DATE, "fee": FEN, "minimum": FEN, "due": DATE}
ASSIGN = define(
    "moment.tutoring.assign", _GENUINE + ": assign a service manager by {due}", **_TUTOR
)
TUTORING = {
    late: define(
        f"moment.tutoring.assigned{'_late' if late else ''}",
        _GENUINE + "; manager assigned on {assigned}" + (" (late)" if late else "")
        + ": first tutoring by {due}",
        **_TUTOR, assigned=DATE,
    )
    for late in (False, True)
}  # fmt: skip

# ---- key moments 3-7 and the care moments
BILL = define(
    "moment.first_bill",
    "first bill of {amount} issued on {on}: explain the charges, how to check the bill and "
    "bank auto-pay",
    amount=FEN, on=DATE,
)  # fmt: skip
_ALERT = " of the {allowance} allowance: {colour} alert, level {level} of 3 (>= {threshold})"
_COLOURED = {"used": FEN, "allowance": FEN, "colour": COLOUR, "level": COUNT, "threshold": SHARE}
#: The credit alert by (an allowance to share, red); usage over no allowance is always red.
CREDIT_ALERTS: dict[tuple[bool, bool], ReasonCode] = {
    (shared, red): define(
        f"moment.credit_alert{'' if shared else '.no_allowance'}{'.red' if red else ''}",
        "usage {used} is " + ("{share:.0%}" if shared else "all") + _ALERT
        + ("; suspension risk" if red else ""),
        **_COLOURED, **({"share": NUMBER} if shared else {}),
    )
    for shared, red in ((True, False), (True, True), (False, True))
}  # fmt: skip
_DROP = "bill {bill} is {fall:.0%} below the {months}-month mean {mean}"
_FORWARDED = "{forwarded:.0%} of calls forwarded (>= {minimum})"
_CARE = ": churn-warning care call"
_DROPPED = {"bill": FEN, "fall": NUMBER, "months": COUNT, "mean": FEN}
_FORWARDS = {"forwarded": NUMBER, "minimum": SHARE}
ANOMALY_DROP = define("moment.usage_anomaly.drop", _DROP + _CARE, **_DROPPED)
ANOMALY_FORWARDING = define("moment.usage_anomaly.forwarding", _FORWARDED + _CARE, **_FORWARDS)
ANOMALY_BOTH = define(
    "moment.usage_anomaly.both", _DROP + "; " + _FORWARDED + _CARE, **_DROPPED, **_FORWARDS
)
CONTRACT = define(
    "moment.contract_expiry",
    "contract or offer ends on {ends}: contact {days} days before the end", ends=DATE, days=COUNT,
)  # fmt: skip
CANCELLATION = define(
    "moment.cancellation_request",
    "asked to leave on {on}: retention call by the exit-point chief service representative",
    on=DATE,
)  # fmt: skip
BIRTHDAY = define("moment.birthday", "birthday on {day}: birthday care", day=DATE)
POINTS = define(
    "moment.points_expiry",
    "{points:,} points worth {value} expire by {last} (first lot on {first})",
    points=FIGURE, value=FEN, last=DATE, first=DATE,
)  # fmt: skip
TIER_CHANGE = define(
    "moment.tier_change",
    "tier moved from {previous} to {tier} on {on}: tell the customer what changes",
    previous=TIER, tier=TIER, on=DATE,
)  # fmt: skip


def own_reason(why: object) -> Reason:
    """A moment of one's own gave ``why``: a :class:`~telcare.Reason` as it is, plain
    text as the reason ``moment.own`` (raises ``TypeError`` for anything else)."""
    if isinstance(why, Reason):
        return why
    return OWN(text=text_value(why))
