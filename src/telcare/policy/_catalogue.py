"""The fixed vocabularies: the benefit catalogue, the key moments, channels.

These are the names policies and decisions speak in.  The *gates* of each
benefit (who gets it, how often, when) are configuration and live in
:class:`telcare.policy._model.BenefitsPolicy`; the catalogue only says what exists.

>>> len(BENEFITS), BENEFITS[0].code, BENEFITS[0].name_zh
(16, 'phone_manager', '一对一电话经理')
>>> Moment.CANCELLATION_REQUEST.number, Moment.BIRTHDAY.number
(7, None)
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from telcare._core.checks import StrictMembers

__all__ = [
    "BENEFITS",
    "BENEFITS_BY_CODE",
    "BENEFIT_CODES",
    "Benefit",
    "Channel",
    "Moment",
]


@attrs.frozen(slots=True)
class Benefit:
    """One service in the catalogue: a code, its names and the group it belongs to."""

    code: str
    name: str
    name_zh: str
    group: str


BENEFITS: tuple[Benefit, ...] = (
    # The eight exclusive services of the mid-to-high-end customer (seed 000).
    Benefit("phone_manager", "One-to-one phone manager", "一对一电话经理", "mid_high_end"),
    Benefit("green_channel", "Green channel in service halls", "服务厅绿色通道", "mid_high_end"),
    Benefit(
        "priority_promotions", "Priority access to promotions", "优先参与促销活动", "mid_high_end"
    ),
    Benefit("hotline_seat", "Dedicated 10086 hotline seat", "10086专席服务", "mid_high_end"),
    Benefit(
        "free_sim_replacement",
        "Free SIM replacement in the province",
        "省内本异地免费补/换卡",
        "mid_high_end",
    ),
    Benefit(
        "remote_suspend_resume",
        "Suspension and resumption from another city",
        "异地停/复机",
        "mid_high_end",
    ),
    Benefit("new_service_trial", "Free trial of new services", "新业务免费体验", "mid_high_end"),
    Benefit(
        "international_activation",
        "International roaming and long-distance activation",
        "国际漫游/国际长途开通",
        "mid_high_end",
    ),
    # The VIP club's 3A services (seed 002).
    Benefit("account_manager", "Account manager", "客户经理", "3a_customer_service"),
    Benefit(
        "delayed_suspension", "Delayed suspension for high credit", "高信用度延迟停机", "3a_network"
    ),
    Benefit("website_zone", "VIP website zone", "网站专区", "3a_customer_service"),
    Benefit("club_community", "Club community", "俱乐部社区", "3a_added"),
    Benefit("merchant_alliance", "Merchant alliance", "商家联盟", "3a_added"),
    Benefit("airport_boarding", "Airport easy boarding", "机场易登机", "3a_added"),
    Benefit("club_magazine", "Club magazine", "俱乐部杂志", "3a_added"),
    # Unicom's service manager (seed 001): a separate service from China Mobile's
    # phone manager, for genuine customers on plans of 96 yuan and above.
    Benefit("service_manager", "Service manager", "服务经理", "plan_members"),
)

BENEFIT_CODES: tuple[str, ...] = tuple(b.code for b in BENEFITS)
BENEFITS_BY_CODE: Mapping[str, Benefit] = MappingProxyType({b.code: b for b in BENEFITS})


class Moment(StrictMembers, enum.StrEnum):
    """The seven key moments of the customer life cycle, then the care moments."""

    NEW_SUBSCRIBER_CALLBACK = "new_subscriber_callback"
    FIRST_TUTORING = "first_tutoring"
    FIRST_BILL = "first_bill"
    CREDIT_ALERT = "credit_alert"
    USAGE_ANOMALY = "usage_anomaly"
    CONTRACT_EXPIRY = "contract_expiry"
    CANCELLATION_REQUEST = "cancellation_request"
    BIRTHDAY = "birthday"
    POINTS_EXPIRY = "points_expiry"
    TIER_CHANGE = "tier_change"

    @property
    def number(self) -> int | None:
        """1-7 for the seven key moments, ``None`` for the care moments."""
        return _MOMENT_NUMBERS.get(self.value)


#: The numbers of the seven key moments, written out rather than read off the enum's order.
_MOMENT_NUMBERS: Mapping[str, int] = MappingProxyType({
    "new_subscriber_callback": 1,
    "first_tutoring": 2,
    "first_bill": 3,
    "credit_alert": 4,
    "usage_anomaly": 5,
    "contract_expiry": 6,
    "cancellation_request": 7,
})  # fmt: skip


class Channel(StrictMembers, enum.StrEnum):
    """How a customer may be contacted."""

    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"
    DM = "dm"
    WEB = "web"
