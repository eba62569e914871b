"""The building blocks of the policy: bounded field types, the frozen section
base every part of the policy derives from, and service hours.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from telcare._core.checks import aware
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_COUNT, MAX_DAYS, MAX_FEN, MAX_POINTS_PER_YUAN

__all__ = ["DECIMAL_PLACES", "WEEKDAYS", "ServiceHours", "Unit"]

#: Shares and multipliers carry at most this many decimal places, so each is an
#: exact ratio over a denominator of at most ``10**4``; with money bounded by
#: :data:`telcare._core.limits.MAX_FEN` every product the rules form stays inside int64.
DECIMAL_PLACES = 4


class Unit(str):
    """The unit of a policy figure, carried in its type for ``Policy.describe()``.

    pydantic keeps unknown ``Annotated`` metadata and ignores it in validation.
    """

    __slots__ = ()


Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Fen = Annotated[int, Field(ge=0, le=MAX_FEN, strict=True), Unit("yuan")]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT, strict=True), Unit("count")]
PerYuan = Annotated[int, Field(ge=0, le=MAX_POINTS_PER_YUAN, strict=True), Unit("points per yuan")]
Bonus = Annotated[int, Field(ge=0, le=10**6, strict=True), Unit("points")]
Days = Annotated[int, Field(ge=0, le=MAX_DAYS, strict=True), Unit("days")]
Share = Annotated[Decimal, Field(gt=0, le=1, decimal_places=DECIMAL_PLACES), Unit("%")]
CostShare = Annotated[
    Decimal, Field(ge=0, le=1, decimal_places=DECIMAL_PLACES), Unit("% of revenue")
]
Multiplier = Annotated[Decimal, Field(ge=1, le=100, decimal_places=DECIMAL_PLACES), Unit("x")]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
VerificationName = Literal["unverified", "genuine", "suspicious"]
StatusName = Literal["active", "suspended", "closed"]


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy; with ``update``, a new model validated like any other.

        pydantic's own ``model_copy(update=...)`` skips validation, so an update
        could build a policy whose parts contradict each other (a ladder out of
        order, a benefit naming an unknown tier) that no validator ever saw.
        """
        if not update:
            return super().model_copy(deep=deep)
        unknown = sorted(set(update) - set(type(self).model_fields))
        if unknown:
            raise InvalidInput(f"{type(self).__name__} has no field {unknown[0]!r}")
        # Only the fields this model was given: the rest take their defaults again,
        # so the copy knows which figures were set, as the original did.
        data = {name: getattr(self, name) for name in self.model_fields_set}
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
        """Whether an aware datetime, read on its own wall clock (callers convert it to the
        policy's time zone first), falls inside the hours.

        >>> ServiceHours().is_open(datetime(2010, 11, 22, 10))
        Traceback (most recent call last):
        ...
        telcare._core.errors.InvalidInput: local must be timezone-aware, got the naive datetime 2010-11-22 10:00:00; attach a tzinfo such as ZoneInfo('Asia/Shanghai')
        """
        local = aware(local, "local")
        return local.weekday() in self._weekday_numbers and self.start <= local.time() < self.end

    def next_opening(self, local: datetime) -> datetime:
        """The first moment at or after the aware ``local`` when the hours are open."""
        local = aware(local, "local")
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
