"""The policy: every configurable figure of the care programme, validated.

A :class:`Policy` is one frozen pydantic model with a section per area.
:func:`default_policy` reproduces the defaults of the domain digest.  Users
change it the pydantic way, and a policy whose parts contradict each other is
refused with a :class:`pydantic.ValidationError` that names the field path.

>>> policy = default_policy()
>>> policy.tiers.codes
('ordinary', 'vip', 'silver', 'gold', 'diamond')
>>> policy.points.tier_multipliers["gold"]
Decimal('1.25')
>>> Policy.model_validate_json(policy.model_dump_json()) == policy
True
>>> Policy.model_validate({"tiers": {"ladder": [
...     {"code": "ordinary", "min_avg_spend": 0, "min_months": 0},
...     {"code": "gold", "min_avg_spend": 50000, "min_months": 6},
...     {"code": "silver", "min_avg_spend": 30000, "min_months": 6}]}})
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for Policy
tiers.ladder
  Value error, tiers.ladder[2] ('silver') has min_avg_spend 30000, which must be above ...

Money is in fen, shares and multipliers are exact ``Decimal`` values (a float
is read through its shortest decimal form, so ``1.1`` means ``Decimal("1.1")``).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from telcare.core.dates import zone
from telcare.core.errors import InvalidInput
from telcare.core.frozen import FrozenDict
from telcare.core.limits import MAX_DAYS, MAX_FEN, MAX_POINTS, MAX_POINTS_PER_YUAN
from telcare.policy.catalogue import BENEFIT_CODES, Channel, Moment

__all__ = [
    "BenefitRule",
    "BenefitsPolicy",
    "ContactPolicy",
    "CreditPolicy",
    "MomentsPolicy",
    "PointsPolicy",
    "Policy",
    "SegmentPolicy",
    "ServiceHours",
    "TierPolicy",
    "TierRule",
    "VerificationPolicy",
    "default_policy",
]

#: Shares and multipliers carry at most this many decimal places, so each is an
#: exact ratio over a denominator of at most ``10**4``; with money bounded by
#: :data:`telcare.core.limits.MAX_FEN` every product the rules form stays inside int64.
DECIMAL_PLACES = 4

Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Fen = Annotated[int, Field(ge=0, le=MAX_FEN, strict=True)]
Count = Annotated[int, Field(ge=0, strict=True)]
PerYuan = Annotated[int, Field(ge=0, le=MAX_POINTS_PER_YUAN, strict=True)]
Bonus = Annotated[int, Field(ge=0, le=10**6, strict=True)]
Days = Annotated[int, Field(ge=0, le=MAX_DAYS, strict=True)]
Share = Annotated[Decimal, Field(gt=0, le=1, decimal_places=DECIMAL_PLACES)]
Multiplier = Annotated[Decimal, Field(ge=1, le=100, decimal_places=DECIMAL_PLACES)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
VerificationName = Literal["unverified", "genuine", "suspicious"]
StatusName = Literal["active", "suspended", "closed"]


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy; with ``update``, a new model validated like any other.

        pydantic's own ``model_copy(update=...)`` skips validation and carries
        over what the original cached (ladder codes, thresholds, the compiled
        batch tables), which would no longer match the updated fields.
        """
        if not update:
            return super().model_copy(deep=deep)
        unknown = sorted(set(update) - set(type(self).model_fields))
        if unknown:
            raise InvalidInput(f"{type(self).__name__} has no field {unknown[0]!r}")
        data = {name: getattr(self, name) for name in type(self).model_fields}
        data.update(update)
        return type(self).model_validate(data)


# --------------------------------------------------------------------- hours


class ServiceHours(_Section):
    """Weekly opening hours in the policy's time zone: days, then [start, end).

    >>> hours = ServiceHours()
    >>> hours.describe()
    'Mon-Fri 08:00-20:00'
    """

    days: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")
    start: time = time(8, 0)
    end: time = time(20, 0)

    @field_validator("days")
    @classmethod
    def _days_unique(cls, days: tuple[Weekday, ...]) -> tuple[Weekday, ...]:
        if not days:
            raise ValueError("days must name at least one weekday")
        if len(set(days)) != len(days):
            raise ValueError(f"days must not repeat a weekday, got {list(days)}")
        return tuple(sorted(days, key=WEEKDAYS.index))

    @model_validator(mode="after")
    def _start_before_end(self) -> Self:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError(
                "start and end are wall-clock times in the policy's time zone; drop the tzinfo"
            )
        if not self.start < self.end:
            raise ValueError(f"start {self.start:%H:%M} must be before end {self.end:%H:%M}")
        return self

    @property
    def _weekday_numbers(self) -> frozenset[int]:
        return frozenset(WEEKDAYS.index(d) for d in self.days)

    def is_open(self, local: datetime) -> bool:
        """Whether the local wall-clock datetime falls inside the hours."""
        return local.weekday() in self._weekday_numbers and self.start <= local.time() < self.end

    def next_opening(self, local: datetime) -> datetime:
        """The first moment at or after ``local`` when the hours are open."""
        if self.is_open(local):
            return local
        day = local.date()
        for offset in range(8):
            candidate_day = day + timedelta(days=offset)
            if candidate_day.weekday() not in self._weekday_numbers:
                continue
            opening = datetime.combine(candidate_day, self.start, tzinfo=local.tzinfo)
            if opening >= local:
                return opening
        raise AssertionError("unreachable: a week always contains an opening")  # pragma: no cover

    def describe(self) -> str:
        """A short human form such as ``'Mon-Fri 08:00-20:00'``."""
        numbers = sorted(self._weekday_numbers)
        names = [WEEKDAYS[n].capitalize() for n in numbers]
        contiguous = numbers == list(range(numbers[0], numbers[-1] + 1))
        days = f"{names[0]}-{names[-1]}" if contiguous and len(names) > 2 else ",".join(names)
        return f"{days} {self.start:%H:%M}-{self.end:%H:%M}"


# --------------------------------------------------------------------- tiers


class TierRule(_Section):
    """One rung of the tier ladder: a code, a spend threshold and the months needed."""

    code: Code
    min_avg_spend: Fen = Field(description="average monthly spend in fen that qualifies")
    min_months: Count = Field(description="billed months needed in the window")


def _default_ladder() -> tuple[TierRule, ...]:
    return (
        TierRule(code="ordinary", min_avg_spend=0, min_months=0),
        TierRule(code="vip", min_avg_spend=20_000, min_months=6),
        TierRule(code="silver", min_avg_spend=30_000, min_months=6),
        TierRule(code="gold", min_avg_spend=50_000, min_months=6),
        TierRule(code="diamond", min_avg_spend=100_000, min_months=6),
    )


class TierPolicy(_Section):
    """The tier ladder, lowest first, and how evaluations move customers on it."""

    ladder: tuple[TierRule, ...] = Field(default_factory=_default_ladder)
    window_months: Annotated[int, Field(ge=1, le=120, strict=True)] = 12
    downgrade_after: Annotated[int, Field(ge=1, le=120, strict=True)] = 2

    @field_validator("ladder")
    @classmethod
    def _ladder_increasing(cls, ladder: tuple[TierRule, ...]) -> tuple[TierRule, ...]:
        if not ladder:
            raise ValueError("tiers.ladder must have at least one rung")
        if ladder[0].min_avg_spend != 0 or ladder[0].min_months != 0:
            raise ValueError(
                f"tiers.ladder[0] ({ladder[0].code!r}) is the floor every customer stands on; "
                f"its min_avg_spend and min_months must be 0, got "
                f"{ladder[0].min_avg_spend} and {ladder[0].min_months}"
            )
        seen: set[str] = set()
        for i, rung in enumerate(ladder):
            if rung.code in seen:
                raise ValueError(f"tiers.ladder[{i}] repeats the code {rung.code!r}")
            seen.add(rung.code)
            if i and rung.min_avg_spend <= ladder[i - 1].min_avg_spend:
                raise ValueError(
                    f"tiers.ladder[{i}] ({rung.code!r}) has min_avg_spend {rung.min_avg_spend}, "
                    f"which must be above tiers.ladder[{i - 1}] ({ladder[i - 1].code!r}) "
                    f"min_avg_spend {ladder[i - 1].min_avg_spend}: thresholds increase up the ladder"
                )
        return ladder

    @model_validator(mode="after")
    def _months_fit_window(self) -> Self:
        for i, rung in enumerate(self.ladder):
            if rung.min_months > self.window_months:
                raise ValueError(
                    f"tiers.ladder[{i}] ({rung.code!r}) needs {rung.min_months} months, "
                    f"more than the window of {self.window_months}"
                )
        return self

    @property
    def codes(self) -> tuple[str, ...]:
        """The tier codes, lowest first; batch columns index into this."""
        return tuple(r.code for r in self.ladder)

    def index(self, code: str) -> int:
        """The position of ``code`` on the ladder (``InvalidInput`` if unknown)."""
        try:
            return self.codes.index(code)
        except ValueError:
            raise InvalidInput(
                f"unknown tier {code!r}; the ladder has {list(self.codes)}"
            ) from None


# ------------------------------------------------------------------- segment


class SegmentPolicy(_Section):
    """The mid-to-high-end segment: the top ``share`` of eligible customers by spend."""

    code: Code = "mid_high_end"
    share: Share = Decimal("0.10")
    eligible_tiers: tuple[Code, ...] = ("ordinary",)


# -------------------------------------------------------------------- points


class PointsPolicy(_Section):
    """Accrual rates, conversion to money, the plan threshold and expiry."""

    fen_per_point: Annotated[int, Field(ge=1, le=10_000, strict=True)] = 2
    per_yuan: PerYuan = 1
    data_per_yuan: PerYuan = 1
    tenure_per_year: Bonus = 100
    credit_per_month: Bonus = 50
    tier_multipliers: FrozenDict[Code, Multiplier] = Field(
        default_factory=lambda: FrozenDict(
            silver=Decimal("1.1"), gold=Decimal("1.25"), diamond=Decimal("1.5")
        )
    )
    plan_threshold: Annotated[int, Field(ge=0, le=MAX_POINTS, strict=True)] = 3500
    expire_after_cycles: Annotated[int, Field(ge=0, le=100, strict=True)] = 1
    reversal: Literal["claw_back", "allow_negative", "refuse"] = Field(
        default="claw_back",
        description=(
            "what reversing an accrual whose points were already spent does: claw back what "
            "is left and report the rest, let the balance go negative, or refuse"
        ),
    )


# ------------------------------------------------------------------ benefits


class BenefitRule(_Section):
    """The gates of one benefit.

    A customer *qualifies* through any of ``tiers``, ``segments`` or a plan fee
    of at least ``min_plan_fee``; then every restriction must pass: the
    verification state is not in ``deny_verification``, the account status is in
    ``statuses``, the credit level is at least ``min_credit_level``, the quota per
    points cycle is not used up and, when the time is given, it is within
    ``service_hours``.
    """

    tiers: tuple[Code, ...] = ()
    segments: tuple[Code, ...] = ()
    min_plan_fee: Fen | None = None
    deny_verification: tuple[VerificationName, ...] = ()
    statuses: tuple[StatusName, ...] = ("active",)
    min_credit_level: Annotated[int, Field(ge=1, strict=True)] | None = None
    quota_per_cycle: Count | None = None
    service_hours: ServiceHours | None = None


_VIP = ("vip", "silver", "gold", "diamond")
_SILVER_UP = ("silver", "gold", "diamond")


def _default_benefit_rules() -> FrozenDict[str, BenefitRule]:
    eight = dict.fromkeys(
        (
            "green_channel",
            "priority_promotions",
            "hotline_seat",
            "remote_suspend_resume",
            "new_service_trial",
            "international_activation",
        ),
        BenefitRule(tiers=_VIP, segments=("mid_high_end",)),
    )
    return FrozenDict(
        {
            "phone_manager": BenefitRule(
                tiers=_VIP,
                segments=("mid_high_end",),
                min_plan_fee=9600,
                deny_verification=("suspicious",),
                service_hours=ServiceHours(),
            ),
            **eight,
            "free_sim_replacement": BenefitRule(
                tiers=_VIP, segments=("mid_high_end",), quota_per_cycle=2
            ),
            "account_manager": BenefitRule(tiers=_SILVER_UP, deny_verification=("suspicious",)),
            "delayed_suspension": BenefitRule(tiers=_VIP),
            "website_zone": BenefitRule(tiers=_VIP),
            "club_community": BenefitRule(tiers=_VIP),
            "merchant_alliance": BenefitRule(tiers=_VIP),
            "airport_boarding": BenefitRule(tiers=_SILVER_UP),
            "club_magazine": BenefitRule(tiers=_VIP),
        }
    )


class BenefitsPolicy(_Section):
    """The gates of each catalogue benefit; a benefit with no rule is not offered."""

    rules: FrozenDict[str, BenefitRule] = Field(default_factory=_default_benefit_rules)

    @field_validator("rules")
    @classmethod
    def _known_codes(cls, rules: FrozenDict[str, BenefitRule]) -> FrozenDict[str, BenefitRule]:
        unknown = sorted(set(rules) - set(BENEFIT_CODES))
        if unknown:
            raise ValueError(
                f"unknown benefit codes {unknown}; the catalogue has {list(BENEFIT_CODES)}"
            )
        return rules


# -------------------------------------------------------------------- credit


def _default_allowances() -> FrozenDict[int, int]:
    return FrozenDict({1: 5_000, 2: 15_000, 3: 30_000, 4: 60_000, 5: 100_000})


class CreditPolicy(_Section):
    """How far each credit level may run into arrears (fen), and the spam guard."""

    allowances: FrozenDict[Annotated[int, Field(ge=1, le=1000)], Fen] = Field(
        default_factory=_default_allowances
    )
    spam_sms_per_hour: Count = 200

    @field_validator("allowances")
    @classmethod
    def _increasing(cls, allowances: FrozenDict[int, int]) -> FrozenDict[int, int]:
        if not allowances:
            raise ValueError("credit.allowances must name at least one level")
        levels = sorted(allowances)
        for low, high in itertools.pairwise(levels):
            if allowances[high] <= allowances[low]:
                raise ValueError(
                    f"credit.allowances[{high}] = {allowances[high]} must be above "
                    f"credit.allowances[{low}] = {allowances[low]}: a higher level may run further"
                )
        return FrozenDict(sorted(allowances.items()))


# -------------------------------------------------------------- verification


class VerificationPolicy(_Section):
    """Suspicious-user rules for callbacks and the base-wide watch list."""

    shared_threshold: Annotated[int, Field(ge=2, strict=True)] = 3
    operator_threshold: Annotated[int, Field(ge=2, strict=True)] = 20
    failed_slots: Annotated[int, Field(ge=1, strict=True)] = 3
    sms_failures: Annotated[int, Field(ge=1, strict=True)] = 3


# ------------------------------------------------------------------- moments


def _default_channels() -> FrozenDict[Moment, Channel]:
    channels = dict.fromkeys(Moment, Channel.PHONE)
    channels.update(
        dict.fromkeys(
            (Moment.CREDIT_ALERT, Moment.BIRTHDAY, Moment.POINTS_EXPIRY, Moment.TIER_CHANGE),
            Channel.SMS,
        )
    )
    return FrozenDict(channels)


def _default_priorities() -> FrozenDict[Moment, int]:
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
    """Deadlines (days, inclusive) and thresholds of the key and care moments."""

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
    credit_red: Share = Decimal("1")
    credit_alert_days: Days = 1
    anomaly_drop: Share = Decimal("0.5")
    anomaly_months: Annotated[int, Field(ge=1, le=24, strict=True)] = 3
    forwarding_share: Share = Decimal("0.3")
    anomaly_days: Days = 3
    contract_days_before: Days = 30
    contract_lead_days: Days = 7
    cancellation_days: Days = 1
    birthday_days_before: Days = 0
    points_expiry_days: Days = 30
    points_expiry_contact_days: Days = 7
    tier_change_days: Days = 7
    channels: FrozenDict[Moment, Channel] = Field(default_factory=_default_channels)
    priorities: FrozenDict[Moment, Annotated[int, Field(ge=1, le=9)]] = Field(
        default_factory=_default_priorities
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.callback_fast_days > self.callback_days:
            raise ValueError(
                f"callback_fast_days {self.callback_fast_days} must not exceed callback_days {self.callback_days}"
            )
        if self.credit_yellow >= self.credit_red:
            raise ValueError(
                f"credit_yellow {self.credit_yellow} must be below credit_red {self.credit_red}"
            )
        if list(self.callback_slots) != sorted(set(self.callback_slots)):
            raise ValueError(
                f"callback_slots must be strictly increasing times, got {list(self.callback_slots)}"
            )
        missing = [m.value for m in Moment if m not in self.channels or m not in self.priorities]
        if missing:
            raise ValueError(f"channels and priorities must cover every moment; missing {missing}")
        return self


# ------------------------------------------------------------------- contact


class ContactPolicy(_Section):
    """Outbound frequency caps and contact hours."""

    max_marketing_calls: Count = 2
    window_days: Annotated[int, Field(ge=1, le=MAX_DAYS, strict=True)] = 30
    hours: ServiceHours = Field(default_factory=ServiceHours)
    exempt: tuple[Moment, ...] = (
        Moment.NEW_SUBSCRIBER_CALLBACK,
        Moment.FIRST_TUTORING,
        Moment.CANCELLATION_REQUEST,
    )


# -------------------------------------------------------------------- policy


class Policy(_Section):
    """Every configurable figure of the programme, one validated frozen object."""

    tiers: TierPolicy = Field(default_factory=TierPolicy)
    segment: SegmentPolicy = Field(default_factory=SegmentPolicy)
    points: PointsPolicy = Field(default_factory=PointsPolicy)
    benefits: BenefitsPolicy = Field(default_factory=BenefitsPolicy)
    credit: CreditPolicy = Field(default_factory=CreditPolicy)
    verification: VerificationPolicy = Field(default_factory=VerificationPolicy)
    moments: MomentsPolicy = Field(default_factory=MomentsPolicy)
    contact: ContactPolicy = Field(default_factory=ContactPolicy)
    timezone: str = "Asia/Shanghai"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        zone(name)
        return name

    @model_validator(mode="after")
    def _parts_agree(self) -> Self:
        codes = set(self.tiers.codes)
        errors: list[InitErrorDetails] = []

        def conflict(loc: tuple[str | int, ...], value: object, message: str) -> None:
            errors.append(
                InitErrorDetails(
                    type=PydanticCustomError("policy_conflict", message),
                    loc=loc,
                    input=value,
                )
            )

        for code in self.points.tier_multipliers:
            if code not in codes:
                conflict(
                    ("points", "tier_multipliers", code),
                    code,
                    f"{code!r} is not a tier on tiers.ladder {sorted(codes)}",
                )
        for i, code in enumerate(self.segment.eligible_tiers):
            if code not in codes:
                conflict(
                    ("segment", "eligible_tiers", i),
                    code,
                    f"{code!r} is not a tier on tiers.ladder {sorted(codes)}",
                )
        for name, rule in self.benefits.rules.items():
            for i, code in enumerate(rule.tiers):
                if code not in codes:
                    conflict(
                        ("benefits", "rules", name, "tiers", i),
                        code,
                        f"benefit {name!r} names the unknown tier {code!r}; tiers.ladder has {sorted(codes)}",
                    )
            for i, code in enumerate(rule.segments):
                if code != self.segment.code:
                    conflict(
                        ("benefits", "rules", name, "segments", i),
                        code,
                        f"benefit {name!r} names the unknown segment {code!r}; "
                        f"the policy defines {self.segment.code!r}",
                    )
            if (
                rule.min_credit_level is not None
                and rule.min_credit_level not in self.credit.allowances
            ):
                conflict(
                    ("benefits", "rules", name, "min_credit_level"),
                    rule.min_credit_level,
                    f"benefit {name!r} names credit level {rule.min_credit_level}, "
                    f"not one of credit.allowances {sorted(self.credit.allowances)}",
                )
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self

    def tier_multiplier(self, code: str) -> Decimal:
        """The consumption-points multiplier of a tier (1 when none is set)."""
        return self.points.tier_multipliers.get(code, Decimal(1))


def default_policy() -> Policy:
    """The policy of the domain digest: every default, nothing overridden.

    >>> default_policy().credit.allowances[2]
    15000
    """
    return _DEFAULT


_DEFAULT = Policy()


def as_policy(value: Policy | Mapping[str, Any] | None) -> Policy:
    """Accept a :class:`Policy`, a mapping to validate into one, or ``None`` for the default."""
    if value is None:
        return _DEFAULT
    if isinstance(value, Policy):
        return value
    if isinstance(value, Mapping):
        return Policy.model_validate(dict(value))

    raise InvalidInput(f"policy must be a telcare.Policy, got {type(value).__name__} {value!r}")
