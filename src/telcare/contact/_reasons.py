"""The reasons of the contact rules, as codes (docs/reasons.md): the frequency caps
(per customer, project type and channel), the contact hours, holidays and quiet
hours, the exempt moments and the do-not-call list.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> at = datetime(2010, 11, 22, 8, tzinfo=ZoneInfo("Asia/Shanghai"))
>>> r = cap_full(2, 30, 2, at)
>>> r, r.text("zh_CN")
('2 contacts in the last 30 days (cap 2): next one allowed from 2010-11-22 08:00', '近30天已接触2次（上限2次）：2010-11-22 08:00起方可再次接触')
"""

from __future__ import annotations

from datetime import datetime

from telcare._core.reason_kinds import aware_datetime
from telcare._core.reasons import COUNT, DATE, DATETIME, HOURS, Kind, Reason, define, label

__all__ = [
    "CHANNEL",
    "DO_NOT_CALL",
    "MOMENT",
    "PROJECT_TYPE",
    "TIME",
    "cap_full",
    "channel_reason",
]


#: A moment the template formats itself (``{at:%Y-%m-%d %H:%M}``): an aware datetime.
TIME = Kind("time", aware_datetime, lambda v, lang: v, lambda v: v.isoformat(), plain_en=True)
#: A moment's code (``usage_anomaly``), shown by its name in Chinese (异动预警).
MOMENT = label("moment")
#: A contact channel (``phone``; 电话).
CHANNEL = label("channel")
#: An offer's project type (``promotion``; 促销).
PROJECT_TYPE = label("project_type")

DO_NOT_CALL = define("contact.do_not_call", "on the do-not-call list: no marketing contact")
EXEMPT = define("contact.exempt", "{moment} is exempt from the frequency cap", moment=MOMENT)

_FULL = "{count} contacts in the last {days} days (cap {cap}): next one allowed "
CAP_FULL = define(
    "contact.cap.full",
    _FULL + "from {at:%Y-%m-%d %H:%M}",
    count=COUNT,
    days=COUNT,
    cap=COUNT,
    at=TIME,
)
CAP_NEVER = define("contact.cap.full_never", _FULL + "never", count=COUNT, days=COUNT, cap=COUNT)
CAP_ROOM = define(
    "contact.cap.room", "{count} of {cap} contacts used in the last {days} days",
    count=COUNT, cap=COUNT, days=COUNT,
)  # fmt: skip
PROJECT_FULL = define(
    "contact.cap.project_full", "{count} {project_type} calls in the window (cap {cap})",
    count=COUNT, project_type=PROJECT_TYPE, cap=COUNT,
)  # fmt: skip

_WINDOW = "{channel} cap {cap} per {days} days"
_DAY = "{channel} cap {cap} per day"
_PER = {"channel": CHANNEL, "cap": COUNT}
CHANNEL_REASONS = {
    "window_room": define("contact.channel.window.room", _WINDOW + ": {count} used",
                          **_PER, days=COUNT, count=COUNT),
    "window_full": define("contact.channel.window.full",
                          _WINDOW + " reached: next one allowed from {at:%Y-%m-%d %H:%M}",
                          **_PER, days=COUNT, at=TIME),
    "window_never": define("contact.channel.window.full_never",
                           _WINDOW + " reached: next one allowed never", **_PER, days=COUNT),
    "day_room": define("contact.channel.day.room", _DAY + ": {count} used", **_PER, count=COUNT),
    "day_full": define("contact.channel.day.full",
                       _DAY + " reached: next one allowed from {at:%Y-%m-%d %H:%M}", **_PER, at=TIME),
    "day_never": define("contact.channel.day.full_never",
                        _DAY + " reached: next one allowed never", **_PER),
}  # fmt: skip

HOLIDAY = define(
    "contact.hours.holiday", "holiday {day}, next opening {opening}", day=DATE, opening=DATETIME
)
OPEN = define("contact.hours.open", "within contact hours {hours}", hours=HOURS)
OPEN_WORKDAY = define(
    "contact.hours.open_workday", "within contact hours {hours} (make-up working day {day})",
    hours=HOURS, day=DATE,
)  # fmt: skip
CLOSED = define(
    "contact.hours.closed", "outside contact hours {hours}, next opening {opening}",
    hours=HOURS, opening=DATETIME,
)  # fmt: skip
QUIET = define(
    "contact.hours.quiet", "quiet hours for {channel} {quiet}, next {after}",
    channel=CHANNEL, quiet=HOURS, after=DATETIME,
)  # fmt: skip


def cap_full(count: int, days: int, cap: int, at: datetime | None) -> Reason:
    """The customer's cap is reached: the next contact is allowed ``at`` (``None``: never)."""
    if at is None:
        return CAP_NEVER(count=count, days=days, cap=cap)
    return CAP_FULL(count=count, days=days, cap=cap, at=at)


def channel_reason(
    channel: str, cap: int, days: int | None, count: int, at: datetime | None, *, room: bool
) -> Reason:
    """A channel's cap per window (``days``) or per day (``days=None``): its use, or
    when it next has room."""
    per = "window" if days is not None else "day"
    window = {} if days is None else {"days": days}
    if room:
        return CHANNEL_REASONS[f"{per}_room"](channel=channel, cap=cap, count=count, **window)
    if at is None:
        return CHANNEL_REASONS[f"{per}_never"](channel=channel, cap=cap, **window)
    return CHANNEL_REASONS[f"{per}_full"](channel=channel, cap=cap, at=at, **window)
