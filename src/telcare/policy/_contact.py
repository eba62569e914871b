"""The sections of the policy about reaching customers: the key and care moments'
deadlines, channels and priorities, and the contact rules (frequency caps, hours,
exemptions).

The moment maps (``moments.channels``, ``moments.priorities``) and
``contact.exempt`` are keyed by moment code: a built-in code validates to its
:class:`~telcare.Moment` member as before, and the code of a moment a care team
registers from outside (``MOMENTS.with_moment(spec)``) may be named too once the
policy declares it in ``moments.registered`` (a typo is still refused).

>>> policy = MomentsPolicy(registered=("roaming_abroad",), priorities={
...     **MomentsPolicy().priorities, "roaming_abroad": 3})
>>> policy.priorities["roaming_abroad"], type(next(iter(policy.priorities))).__name__
(3, 'Moment')
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, Field, model_validator

from telcare._core.checks import aware, instance, plain_date
from telcare._core.frozen import FrozenDict
from telcare._core.limits import MAX_DAYS
from telcare.policy._calendar import (
    CalendarDay,
    QuietHours,
    calendar_problems,
    is_working_day,
    next_opening,
    next_unquiet_opening,
)
from telcare.policy._catalogue import Channel, Moment
from telcare.policy._fields import Code, Count, Days, Fen, ServiceHours, Share, Unit, _Section

__all__ = [
    "WORKING_DAY_MOMENTS",
    "ContactPolicy",
    "MomentCode",
    "MomentsPolicy",
    "moment_codes_unknown",
    "unknown_exempt",
    "unknown_type_caps",
]


def _builtin(code: str) -> str:
    """A built-in code as its :class:`~telcare.Moment` member, any other code as it is."""
    try:
        return Moment(code)
    except ValueError:
        return code


#: A moment's code in a policy map: a built-in one (as its ``Moment`` member) or the
#: snake_case code of a registered moment.
MomentCode = Annotated[Code, AfterValidator(_builtin)]


def moment_codes_unknown(codes: tuple[str, ...], registered: tuple[str, ...]) -> list[str]:
    """The codes that are neither built-in moments nor declared in ``registered``.

    >>> moment_codes_unknown(("birthday", "roaming_abroad", "teatime"), ("roaming_abroad",))
    ['teatime']
    """
    known = {m.value for m in Moment} | set(registered)
    return [c for c in codes if c not in known]


# ------------------------------------------------------------------- moments

#: The moments whose deadline is a number of days after the moment opens, which
#: ``moments.working_day_deadlines`` may count in working days instead.
WORKING_DAY_MOMENTS: tuple[Moment, ...] = (
    Moment.NEW_SUBSCRIBER_CALLBACK, Moment.FIRST_TUTORING, Moment.FIRST_BILL,
    Moment.CREDIT_ALERT, Moment.USAGE_ANOMALY, Moment.CANCELLATION_REQUEST, Moment.TIER_CHANGE,
)  # fmt: skip


def _default_channels() -> FrozenDict[MomentCode, Channel]:
    channels: dict[str, Channel] = dict.fromkeys(Moment, Channel.PHONE)
    channels.update(
        dict.fromkeys(
            (Moment.CREDIT_ALERT, Moment.BIRTHDAY, Moment.POINTS_EXPIRY, Moment.TIER_CHANGE),
            Channel.SMS,
        )
    )
    return FrozenDict(channels)


def _default_priorities() -> FrozenDict[MomentCode, int]:
    return FrozenDict(
        {
            Moment.CANCELLATION_REQUEST: 1,
            Moment.NEW_SUBSCRIBER_CALLBACK: 2,
            Moment.CREDIT_ALERT: 2,
            Moment.USAGE_ANOMALY: 2,
            Moment.FIRST_TUTORING: 3,
            Moment.CONTRACT_EXPIRY: 3,
            Moment.FIRST_BILL: 4,
            Moment.TIER_CHANGE: 4,
            Moment.POINTS_EXPIRY: 5,
            Moment.BIRTHDAY: 5,
        }
    )


class MomentsPolicy(_Section):
    """Deadlines (days, inclusive) and thresholds of the key and care moments.

    A deadline counts calendar days, or working days of the contact calendar for
    the moments named in ``working_day_deadlines`` (a deadline of N working days
    is the N-th working day after the moment opens: holidays are skipped, make-up
    working days count).
    """

    callback_days: Days = 3
    callback_fast_days: Days = 2
    callback_fast_plan_fee: Fen = 12_600
    callback_fast_devices: tuple[str, ...] = ("iphone",)
    callback_slots: tuple[time, ...] = Field(
        default=(time(12, 0), time(18, 0)),
        description="boundaries that cut the day into callback time slots (morning, afternoon, evening)",
    )
    tutoring_plan_fee: Fen = 9_600
    assign_days: Days = 2
    tutoring_days: Days = 7
    first_bill_days: Days = 3
    credit_yellow: Share = Decimal("0.8")
    credit_orange: Share = Decimal("0.9")
    credit_red: Share = Decimal("1")
    credit_alert_days: Days = 1
    anomaly_drop: Share = Decimal("0.5")
    anomaly_months: Annotated[int, Field(ge=1, le=24, strict=True), Unit("months")] = 3
    forwarding_share: Share = Decimal("0.3")
    anomaly_days: Days = 3
    contract_days_before: Days = 30
    contract_lead_days: Days = 7
    cancellation_days: Days = 1
    birthday_days_before: Days = 0
    points_expiry_days: Days = 30
    points_expiry_contact_days: Days = 7
    tier_change_days: Days = 7
    channels: FrozenDict[MomentCode, Channel] = Field(default_factory=_default_channels)
    priorities: FrozenDict[MomentCode, Annotated[int, Field(ge=1, le=9, strict=True)]] = Field(
        default_factory=_default_priorities
    )
    working_day_deadlines: tuple[MomentCode, ...] = Field(
        default=(),
        description=(
            "moments whose deadline counts working days of the contact calendar "
            "(contact.hours.days, contact.holidays, contact.workdays) instead of calendar days"
        ),
    )
    registered: tuple[Code, ...] = Field(
        default=(),
        description=(
            "codes of moments registered from outside (MomentRegistry.with_moment) that "
            "moments.channels, moments.priorities and contact.exempt may name"
        ),
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.callback_fast_days > self.callback_days:
            raise ValueError(
                f"callback_fast_days {self.callback_fast_days} must not exceed callback_days {self.callback_days}"
            )
        if not self.credit_yellow < self.credit_orange < self.credit_red:
            raise ValueError(
                f"credit_yellow {self.credit_yellow}, credit_orange {self.credit_orange} and "
                f"credit_red {self.credit_red} must increase: the three warning levels"
            )
        if list(self.callback_slots) != sorted(set(self.callback_slots)):
            raise ValueError(
                f"callback_slots must be strictly increasing times, got {list(self.callback_slots)}"
            )
        missing = [m.value for m in Moment if m not in self.channels or m not in self.priorities]
        if missing:
            raise ValueError(f"channels and priorities must cover every moment; missing {missing}")
        counted_after = [m for m in self.working_day_deadlines if m not in WORKING_DAY_MOMENTS]
        if counted_after:
            raise ValueError(
                f"working_day_deadlines {counted_after}: only the deadlines counted after a "
                f"moment opens can count working days, those of {[m.value for m in WORKING_DAY_MOMENTS]}"
            )
        unknown = moment_codes_unknown((*self.channels, *self.priorities), self.registered)
        if unknown:
            raise ValueError(
                f"unknown moments {sorted(set(unknown))} in channels or priorities; expected "
                f"built-in ones {[m.value for m in Moment]} or codes in moments.registered"
            )
        return self


# ------------------------------------------------------------------- contact


ProjectTypeName = Literal["promotion", "retention", "rescue", "telemarketing"]


def _default_project_caps() -> FrozenDict[ProjectTypeName, int]:
    return FrozenDict({"promotion": 1, "retention": 2, "rescue": 2, "telemarketing": 1})


class ContactPolicy(_Section):
    """Outbound frequency caps and contact hours.

    A customer may get ``max_marketing_calls`` counted contacts per
    ``window_days``, or the cap of its customer type (``customer_type_caps``,
    keyed by tier code, then by segment code; seed 000 sets a frequency per
    type of customer); marketing calls of one project type are further capped
    by ``project_type_caps`` (seed 000: per project type).  Contacts by one
    channel may be capped per window (``channel_caps``) and per day
    (``channel_day_caps``), and a channel kept out of its ``quiet_hours``.  The
    contact hours open on working days only: ``holidays`` are days off,
    ``workdays`` make-up working days on a weekend (see
    :mod:`telcare.policy._calendar`).
    """

    max_marketing_calls: Count = 2
    window_days: Annotated[int, Field(ge=1, le=MAX_DAYS, strict=True), Unit("days")] = 30
    customer_type_caps: FrozenDict[Code, Count] = Field(default_factory=FrozenDict)
    project_type_caps: FrozenDict[ProjectTypeName, Count] = Field(
        default_factory=_default_project_caps
    )
    calls_per_agent_day: Count = Field(
        default=58,
        description="outbound calls one agent makes a day (seed 000: 1,620 a day by 28 phone managers)",
    )
    hours: ServiceHours = Field(default_factory=ServiceHours)
    exempt: tuple[MomentCode, ...] = (
        Moment.NEW_SUBSCRIBER_CALLBACK,
        Moment.FIRST_TUTORING,
        Moment.CANCELLATION_REQUEST,
    )
    channel_caps: FrozenDict[Channel, Count] = Field(
        default_factory=FrozenDict,
        description="channel -> most counted contacts by that channel per window_days",
    )
    channel_day_caps: FrozenDict[Channel, Count] = Field(
        default_factory=FrozenDict,
        description="channel -> most counted contacts by that channel per day (policy's zone)",
    )
    quiet_hours: FrozenDict[Channel, QuietHours] = Field(
        default_factory=FrozenDict,
        description="channel -> wall-clock range it is not used in, e.g. 'sms': '21:00-08:00'",
    )
    holidays: Annotated[tuple[CalendarDay, ...], Field(max_length=MAX_DAYS)] = Field(
        default=(), description="dates off: no contact hours, no working day for deadlines"
    )
    workdays: Annotated[tuple[CalendarDay, ...], Field(max_length=MAX_DAYS)] = Field(
        default=(), description="make-up working days on days off (a weekend) of contact.hours"
    )

    @model_validator(mode="after")
    def _calendar(self) -> Self:
        problems = calendar_problems(self.hours, self.holidays, self.workdays, self.quiet_hours)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def is_working_day(self, day: date) -> bool:
        """A day of ``hours.days`` not in ``holidays``, or a day in ``workdays``.

        >>> from datetime import date
        >>> c = ContactPolicy(holidays=("2026-10-01",), workdays=("2026-10-10",))
        >>> [c.is_working_day(date(2026, 10, d)) for d in (1, 2, 9, 10, 11)]
        [False, True, True, True, False]
        """
        day = plain_date(day, "day")
        return is_working_day(day, self.hours, frozenset(self.holidays), frozenset(self.workdays))

    def next_opening(self, local: datetime, channel: Channel | None = None) -> datetime:
        """The first moment at or after the aware ``local`` (on its own wall clock: convert
        it to the policy's zone first) inside the hours of a working day and, for
        ``channel``, outside its quiet hours."""
        local = aware(local, "local")
        if channel is not None:
            channel = Channel(
                instance(channel, str, "channel must be a telcare.Channel, got {got}")
            )
        quiet = None if channel is None else self.quiet_hours.get(channel)
        days = (frozenset(self.holidays), frozenset(self.workdays))
        if quiet is None:
            return next_opening(local, self.hours, *days)
        return next_unquiet_opening(local, self.hours, *days, quiet)


def unknown_type_caps(
    contact: ContactPolicy, tiers: tuple[str, ...], segment: str
) -> list[tuple[tuple[str | int, ...], str, str]]:
    """(location, code, message) of each ``contact.customer_type_caps`` key that is
    neither a tier of the ladder nor the segment's code: a typo ("glod") would
    otherwise be a cap that never applies.

    >>> unknown_type_caps(ContactPolicy(customer_type_caps={"glod": 1}), ("gold",), "mid_high_end")[0][2]
    "'glod' is neither a tier on tiers.ladder ['gold'] nor the segment 'mid_high_end'"
    """
    return [
        (
            ("contact", "customer_type_caps", code),
            code,
            f"{code!r} is neither a tier on tiers.ladder {list(tiers)} nor the segment {segment!r}",
        )
        for code in contact.customer_type_caps
        if code not in tiers and code != segment
    ]


def unknown_exempt(
    contact: ContactPolicy, moments: MomentsPolicy
) -> list[tuple[tuple[str | int, ...], str, str]]:
    """(location, code, message) of each exempt moment that is neither built-in nor
    declared in ``moments.registered`` (a check across two sections, run by the policy).

    >>> unknown_exempt(ContactPolicy(exempt=("birthday", "teatime")), MomentsPolicy())[0][:2]
    (('contact', 'exempt', 1), 'teatime')
    """
    return [
        (
            ("contact", "exempt", i),
            code,
            f"unknown moment {code!r}; expected one of {[m.value for m in Moment]} "
            "or a code declared in moments.registered",
        )
        for i, code in enumerate(contact.exempt)
        if moment_codes_unknown((code,), moments.registered)
    ]
