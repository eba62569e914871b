"""The sections of the policy about customers' standing: tiers, segment, points,
benefits, credit and verification (the key moments and contact are in
``_contact.py``, the agents and complaints in ``_service.py``).
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import Field, field_validator, model_validator

from telcare._core.errors import InvalidInput
from telcare._core.frozen import FrozenDict
from telcare._core.limits import MAX_COUNT, MAX_FEN_PER_POINT, MAX_POINTS
from telcare.policy._catalogue import BENEFIT_CODES
from telcare.policy._fields import (
    Bonus,
    Code,
    CostShare,
    Count,
    Days,
    Fen,
    Multiplier,
    PerYuan,
    ServiceHours,
    Share,
    StatusName,
    Unit,
    VerificationName,
    _Section,
)

__all__ = [
    "BenefitRule",
    "BenefitsPolicy",
    "CreditPolicy",
    "PointsPolicy",
    "SegmentPolicy",
    "TierPolicy",
    "TierRule",
    "VerificationPolicy",
]

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
    window_months: Annotated[int, Field(ge=1, le=120, strict=True), Unit("months")] = 12
    downgrade_after: Annotated[int, Field(ge=1, le=120, strict=True), Unit("evaluations")] = 2
    downgrade: Literal["to_qualifying", "one_down"] = Field(
        default="to_qualifying",
        description=(
            "where a customer goes once the grace is used up: straight to the tier its spend "
            "qualifies for, or one rung down (then a fresh grace on the new tier)"
        ),
    )

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

    fen_per_point: Annotated[
        int, Field(ge=1, le=MAX_FEN_PER_POINT, strict=True), Unit("fen per point")
    ] = 2
    per_yuan: PerYuan = 1
    data_per_yuan: PerYuan = 0
    tenure_per_year: Bonus = 20
    credit_per_month: Bonus = 2
    tier_multipliers: FrozenDict[Code, Multiplier] = Field(
        default_factory=lambda: FrozenDict(
            silver=Decimal("1.05"), gold=Decimal("1.1"), diamond=Decimal("1.2")
        )
    )
    plan_threshold: Annotated[int, Field(ge=0, le=MAX_POINTS, strict=True), Unit("points")] = 3500
    expire_after_cycles: Annotated[int, Field(ge=0, le=100, strict=True), Unit("cycles")] = 1
    other_costs: FrozenDict[Code, CostShare] = Field(
        default_factory=lambda: FrozenDict(
            club_services=Decimal("0.002"), operations=Decimal("0.001")
        ),
        description=(
            "the programme's costs besides the points, each a share of the revenue it "
            "rewards: with a 2% return they make the 2.3% of revenue seed 002 forecasts"
        ),
    )
    pending_days: Days = Field(
        default=0,
        description=(
            "days an accrual waits before its points can be redeemed or transferred: they "
            "count in the balance and the liability at once and are released at the start of "
            "the day this many days after the accrual (0: spendable at once)"
        ),
    )
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
    min_credit_level: Annotated[int, Field(ge=1, le=1000, strict=True)] | None = None
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
            # Seed 000: the phone manager serves the mid-to-high-end segment and the
            # VIPs, Mon-Fri 08:00-20:00 (a suspicious user gets no manager of any kind).
            "phone_manager": BenefitRule(
                tiers=_VIP,
                segments=("mid_high_end",),
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
            # Seed 002: the merchant alliance covers all high-value customers.
            "merchant_alliance": BenefitRule(tiers=_VIP, segments=("mid_high_end",)),
            "airport_boarding": BenefitRule(tiers=_SILVER_UP),
            "club_magazine": BenefitRule(tiers=_VIP),
            # Seed 001: a service manager for plans >= 96 yuan, once the callback has
            # confirmed a genuine user (an unverified or suspicious one waits).
            "service_manager": BenefitRule(
                min_plan_fee=9600, deny_verification=("unverified", "suspicious")
            ),
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


def _default_delays() -> FrozenDict[int, int]:
    return FrozenDict({4: 3, 5: 7})


class CreditPolicy(_Section):
    """How far each credit level may run into arrears (fen), the delayed suspension
    of high credit levels (days) and the spam guard."""

    allowances: FrozenDict[Annotated[int, Field(ge=1, le=1000)], Fen] = Field(
        default_factory=_default_allowances
    )
    suspension_delay_days: FrozenDict[Annotated[int, Field(ge=1, le=1000)], Days] = Field(
        default_factory=_default_delays,
        description=(
            "delayed suspension for high credit (高信用度延迟停机): for the credit levels "
            "named, the days an account holding the delayed_suspension benefit may stay "
            "over its allowance before it is suspended"
        ),
    )
    spam_sms_per_hour: Count = 200

    @model_validator(mode="after")
    def _delays_name_levels(self) -> Self:
        # The default delays name levels 4 and 5; a policy with other levels that
        # leaves the delays alone simply has none that apply, so only delays the
        # policy sets itself must name its levels.
        if "suspension_delay_days" not in self.model_fields_set:
            return self
        unknown = sorted(set(self.suspension_delay_days) - set(self.allowances))
        if unknown:
            raise ValueError(
                f"credit.suspension_delay_days names levels {unknown} that credit.allowances "
                f"does not define ({sorted(self.allowances)})"
            )
        return self

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

    shared_threshold: Annotated[int, Field(ge=2, le=MAX_COUNT, strict=True)] = 3
    operator_threshold: Annotated[int, Field(ge=2, le=MAX_COUNT, strict=True)] = 20
    failed_slots: Annotated[int, Field(ge=1, le=MAX_COUNT, strict=True)] = 3
    sms_failures: Annotated[int, Field(ge=1, le=MAX_COUNT, strict=True)] = 3
    reverify_days: Days = Field(
        default=5,
        description="seed 001: the developer re-verifies a suspicious user's papers within 5 days",
    )
    developer_penalty: Fen = Field(
        default=15_000,
        description=(
            "fined per confirmed suspicious user opened by the operator's own channel "
            "(seed 001: 100-200 yuan per case; an agent channel gets no commission instead)"
        ),
    )
