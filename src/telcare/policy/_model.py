"""The policy: every configurable figure of the care programme, validated.

A :class:`Policy` is one frozen pydantic model with a section per area.
:func:`default_policy` reproduces the defaults of the domain digest.  Users
change it the pydantic way, and a policy whose parts contradict each other is
refused with a :class:`pydantic.ValidationError` that names the field path.

>>> policy = default_policy()
>>> policy.tiers.codes
('ordinary', 'vip', 'silver', 'gold', 'diamond')
>>> policy.points.tier_multipliers["gold"]
Decimal('1.1')
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

from decimal import Decimal
from typing import Self

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from telcare._core.checks import text
from telcare._core.dates import zone
from telcare.policy._contact import (
    ContactPolicy,
    MomentsPolicy,
    unknown_exempt,
    unknown_type_caps,
)
from telcare.policy._document import PolicyChange, PolicyTable, describe, diff
from telcare.policy._fields import _Section
from telcare.policy._sections import (
    BenefitsPolicy,
    CreditPolicy,
    PointsPolicy,
    SegmentPolicy,
    TierPolicy,
    VerificationPolicy,
)
from telcare.policy._service import AgentsPolicy, ComplaintsPolicy

__all__ = ["Policy", "default_policy"]

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
    agents: AgentsPolicy = Field(default_factory=AgentsPolicy)
    complaints: ComplaintsPolicy = Field(default_factory=ComplaintsPolicy)
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

        named: list[tuple[tuple[str | int, ...], str]] = [
            *((("points", "tier_multipliers", c), c) for c in self.points.tier_multipliers),
            *(
                (("segment", "eligible_tiers", i), c)
                for i, c in enumerate(self.segment.eligible_tiers)
            ),
        ]
        for loc, code in named:
            if code not in codes:
                conflict(loc, code, f"{code!r} is not a tier on tiers.ladder {sorted(codes)}")
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
        for loc, code, message in (
            *unknown_exempt(self.contact, self.moments),
            *unknown_type_caps(self.contact, self.tiers.codes, self.segment.code),
        ):
            conflict(loc, code, message)
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self

    def describe(self) -> PolicyTable:
        """Every figure with its unit and where it comes from: a table that renders as
        text (``print``), as HTML in a notebook and as a frame (``.to_frame()``).

        >>> row = default_policy().describe()["moments.callback_days"]
        >>> row.value, row.unit, row.source
        ('3', 'days', 'source 001: within 3 days')
        """
        return describe(self, _DEFAULT)

    def diff(self, other: Policy) -> tuple[PolicyChange, ...]:
        """The figures ``other`` changes, each with its value here and there.

        >>> policy = default_policy()
        >>> ladder = [r.model_copy(update={"min_avg_spend": 60_000}) if r.code == "gold" else r
        ...           for r in policy.tiers.ladder]
        >>> stricter = policy.model_copy(update={"tiers": policy.tiers.model_copy(update={"ladder": ladder})})
        >>> [(c.path, c.before, c.after) for c in policy.diff(stricter)]
        [('tiers.ladder.gold.min_avg_spend', '¥500.00', '¥600.00')]
        """
        return diff(self, other)

    def _repr_html_(self) -> str:
        return describe(self, _DEFAULT)._repr_html_()

    def __str__(self) -> str:
        return str(describe(self, _DEFAULT))

    def tier_multiplier(self, code: str) -> Decimal:
        """The consumption-points multiplier of a tier (1 when none is set).

        >>> default_policy().tier_multiplier(None)
        Traceback (most recent call last):
        ...
        telcare._core.errors.InvalidInput: code must be a str, got NoneType None
        """
        return self.points.tier_multipliers.get(text(code, "code"), Decimal(1))


def default_policy() -> Policy:
    """The policy of the domain digest: every default, nothing overridden.

    >>> default_policy().credit.allowances[2]
    15000
    """
    return _DEFAULT


_DEFAULT = Policy()
