"""Every input check of telcare, in one place: scalars, attrs fields and columns
(the column checks are written in :mod:`telcare._core.column_checks`).

Public functions and constructors call these at their entry points and then
trust their values.  Every refusal is an :class:`~telcare._core.errors.InvalidInput`
whose message names the argument and quotes the value (and, for a column, the
row), so a bad input anywhere reads the same.

>>> integer(3, "months", maximum=12)
3
>>> integer(True, "months")
Traceback (most recent call last):
...
telcare._core.errors.InvalidInput: months must be an int, got bool True
>>> number(float("nan"), "level")
Traceback (most recent call last):
...
telcare._core.errors.InvalidInput: level must be a finite number, got nan
>>> proportion(1.5, "survival")
Traceback (most recent call last):
...
telcare._core.errors.InvalidInput: survival must be in [0, 1], got 1.5
>>> text(" c1", "customer_id")
Traceback (most recent call last):
...
telcare._core.errors.InvalidInput: customer_id must not start or end with whitespace, got ' c1'

Batch functions validate their columns once, with :func:`int_column`,
:func:`bool_column` and :func:`same_length`, then work on plain numpy arrays;
they never modify what they were given.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar

import numpy as np

from telcare._core.column_checks import (
    BLOCK_ROWS as BLOCK_ROWS,
    bool_column as bool_column,
    check_bounds as check_bounds,
    checked_blocks as checked_blocks,
    code_column as code_column,
    column as column,
    int_column as int_column,
    row_blocks as row_blocks,
    same_length as same_length,
)
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_DATE, MIN_DATE
from telcare._core.type_checks import code, instance, mapping

__all__ = [
    "BLOCK_ROWS",
    "StrictMembers",
    "aware",
    "bool_column",
    "code",
    "column",
    "field",
    "flag",
    "fraction",
    "instance",
    "int_column",
    "integer",
    "items",
    "mapping",
    "not_above",
    "number",
    "one_of",
    "plain_date",
    "proportion",
    "python_scalar",
    "row_blocks",
    "same_length",
    "text",
    "unknown_member",
]

T = TypeVar("T")


def _kind(value: object) -> str:
    return f"{type(value).__name__} {value!r}"


def integer(
    value: object, name: str, *, minimum: int | None = 0, maximum: int | None = None
) -> int:
    """``value`` as an ``int`` within ``[minimum, maximum]`` (numpy integers too, never a bool).

    >>> integer(np.int32(7), "n")
    7
    >>> integer(-1, "contacts")
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: contacts must be >= 0, got -1
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise InvalidInput(f"{name} must be an int, got {_kind(value)}")
    number_ = int(value)
    if minimum is not None and number_ < minimum:
        raise InvalidInput(f"{name} must be >= {minimum}, got {number_}")
    if maximum is not None and number_ > maximum:
        raise InvalidInput(f"{name} must be <= {maximum}, got {number_}")
    return number_


def number(
    value: object,
    name: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    above: float | None = None,
    below: float | None = None,
) -> float:
    """A finite real number (int, float, ``Decimal``, ``Fraction``, numpy scalar; never a
    bool or a string) as a float, within the inclusive ``minimum``/``maximum`` and the
    exclusive ``above``/``below`` bounds.

    >>> number(Decimal("0.5"), "share", above=0, maximum=1)
    0.5
    >>> number("inf", "share")
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: share must be a finite number, got str 'inf'
    """
    real = int | float | Decimal | Fraction | np.integer | np.floating
    if isinstance(value, bool | np.bool_) or not isinstance(value, real):
        raise InvalidInput(f"{name} must be a finite number, got {_kind(value)}")
    if isinstance(value, Decimal) and not value.is_finite():  # float() raises on sNaN
        raise InvalidInput(f"{name} must be a finite number, got {value!r}")
    try:
        result = float(value)
    except OverflowError:  # a Fraction or an int beyond float range
        raise InvalidInput(f"{name} must be a finite number, got {value!r}") from None
    if not math.isfinite(result):
        raise InvalidInput(f"{name} must be a finite number, got {value!r}")
    if minimum is not None and result < minimum:
        raise InvalidInput(f"{name} must be >= {minimum}, got {value!r}")
    if maximum is not None and result > maximum:
        raise InvalidInput(f"{name} must be <= {maximum}, got {value!r}")
    if above is not None and not result > above:
        raise InvalidInput(f"{name} must be > {above}, got {value!r}")
    if below is not None and not result < below:
        raise InvalidInput(f"{name} must be < {below}, got {value!r}")
    return result


def proportion(
    value: object, name: str, *, open_low: bool = False, open_high: bool = False
) -> float:
    """A number in ``[0, 1]``; ``open_low``/``open_high`` leave out 0 or 1."""
    interval = f"{'(' if open_low else '['}0, 1{')' if open_high else ']'}"
    try:
        result = number(value, name)
    except InvalidInput:
        raise InvalidInput(f"{name} must be a number in {interval}, got {_kind(value)}") from None
    inside = (result > 0 if open_low else result >= 0) and (
        result < 1 if open_high else result <= 1
    )
    if not inside:
        raise InvalidInput(f"{name} must be in {interval}, got {value!r}")
    return result


def one_of(value: T, name: str, *, options: tuple[T, ...]) -> T:
    """``value`` if it is one of ``options``.

    >>> one_of("refund", "mode", options=("claw_back", "refuse"))
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: mode must be one of ('claw_back', 'refuse'), got 'refund'
    """
    # Only a value of an option's own kind is compared (numpy's str_ and ints count):
    # an array, pandas NA or a Categorical would answer ``==`` with an error or an
    # array, and True == 1.  The option itself is returned, a plain Python value.
    for option in options:
        same_kind = isinstance(value, type(option)) or (
            isinstance(option, int) and isinstance(value, np.integer)
        )
        if (
            same_kind
            and isinstance(value, bool | np.bool_) == isinstance(option, bool)
            and value == option
        ):
            return option
    raise InvalidInput(f"{name} must be one of {options}, got {_shown(value)}")


def _shown(value: object) -> str:
    text = repr(value)
    if len(text) > 80 or "\n" in text:
        text = f"{type(value).__name__} {text.splitlines()[0][:60]}..."
    return text


def items(value: object, name: str, *, of: type[T] | tuple[type, ...]) -> list[T]:
    """The elements of an iterable (not a str, bytes or mapping), each an instance of ``of``.

    >>> items(None, "actions", of=int)
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: actions must be an iterable of int, got NoneType None
    """
    kinds = of if isinstance(of, tuple) else (of,)
    wanted = " or ".join(k.__name__ for k in kinds)
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidInput(f"{name} must be an iterable of {wanted}, got {_kind(value)}")
    try:
        found = list(value)
    except TypeError:  # a 0-d array says it is iterable and is not
        raise InvalidInput(f"{name} must be an iterable of {wanted}, got {_kind(value)}") from None
    for i, element in enumerate(found):
        if not isinstance(element, kinds):
            raise InvalidInput(f"{name}[{i}] must be a {wanted}, got {_kind(element)}")
    return found


def unknown_member(kind: type, value: object) -> InvalidInput:
    """The error an enum's ``_missing_`` raises: the value, and every member it could be."""
    members = [getattr(member, "value", member) for member in kind]  # type: ignore[attr-defined]
    return InvalidInput(f"unknown {kind.__name__} {value!r}; expected one of {members}")


class StrictMembers:
    """Mixin for telcare's enums: an unknown value is an ``InvalidInput`` naming every member.

    >>> import enum
    >>> class Colour(StrictMembers, enum.StrEnum):
    ...     RED = "red"
    >>> Colour("blue")
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: unknown Colour 'blue'; expected one of ['red']
    """

    @classmethod
    def _missing_(cls, value: object) -> None:
        raise unknown_member(cls, value)


def python_scalar(value: object) -> object:
    """A numpy scalar as the Python value it holds, anything else as it is: an attrs
    converter run before the field's check, so a frozen value built from a numpy row
    holds, compares and serialises plain ints, floats and bools (a check alone keeps
    the ``np.int8`` it accepted).

    >>> type(python_scalar(np.int8(3))), python_scalar(np.bool_(True)), python_scalar("x")
    (<class 'int'>, True, 'x')
    """
    if isinstance(value, np.integer | np.floating | np.bool_):
        return value.item()
    return value


def flag(value: object, name: str) -> bool:
    """A bool (numpy's too); 0, 1 and strings are refused, being ambiguous."""
    if not isinstance(value, bool | np.bool_):
        raise InvalidInput(f"{name} must be a bool, got {_kind(value)}")
    return bool(value)


def text(value: object, name: str) -> str:
    """A non-empty ``str`` with no whitespace at either end (ids, codes, refs)."""
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be a str, got {_kind(value)}")
    if not value:
        raise InvalidInput(f"{name} must not be empty, got {value!r}")
    if value != value.strip():
        raise InvalidInput(f"{name} must not start or end with whitespace, got {value!r}")
    return value


def aware(value: object, name: str) -> datetime:
    """A timezone-aware ``datetime``."""
    if not isinstance(value, datetime):
        raise InvalidInput(f"{name} must be a datetime, got {_kind(value)}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(
            f"{name} must be timezone-aware, got the naive datetime {value}; "
            "attach a tzinfo such as ZoneInfo('Asia/Shanghai')"
        )
    _in_calendar(value.date(), name, value)
    return value


def plain_date(value: object, name: str) -> date:
    """A ``date`` that is not a ``datetime`` (a datetime would carry a hidden clock time)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        hint = "; use local_date() to turn an aware datetime into a date"
        raise InvalidInput(
            f"{name} must be a datetime.date, got {_kind(value)}"
            + (hint if isinstance(value, datetime) else "")
        )
    return _in_calendar(value, name, value)


def _in_calendar(day: date, name: str, value: object) -> date:
    if not MIN_DATE <= day <= MAX_DATE:
        raise InvalidInput(f"{name} must be between {MIN_DATE} and {MAX_DATE}, got {value!r}")
    return day


def fraction(
    value: object,
    name: str,
    *,
    low: int = 0,
    high: int = 1,
    open_low: bool = False,
    open_high: bool = False,
) -> Fraction:
    """An exact ``Fraction`` from an int, ``Decimal``, ``Fraction``, str such as ``"0.2"``,
    or float (read through its shortest decimal form, so ``0.1`` is one tenth), within
    ``[low, high]``, leaving out an end that is open.

    >>> fraction("0.10", "share", open_low=True)
    Fraction(1, 10)
    >>> fraction("1,5", "share")
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: share must be a number in [0, 1] such as '0.2', got str '1,5'
    """
    interval = f"{'(' if open_low else '['}{low}, {high}{')' if open_high else ']'}"
    try:
        if isinstance(value, bool | np.bool_) or not isinstance(
            value, int | float | str | Decimal | Fraction | np.integer | np.floating
        ):
            raise TypeError
        exact = value if isinstance(value, Fraction) else Fraction(Decimal(str(value).strip()))
    except (ArithmeticError, ValueError, TypeError):
        raise InvalidInput(
            f"{name} must be a number in {interval} such as '0.2', got {_kind(value)}"
        ) from None
    inside = (low < exact if open_low else low <= exact) and (
        exact < high if open_high else exact <= high
    )
    if not inside:
        raise InvalidInput(f"{name} must be in {interval}, got {value!r}")
    return exact


def not_above(instance: object, pairs: tuple[tuple[str, str], ...]) -> None:
    """Refuse an attrs value whose count ``part`` exceeds the count ``whole`` it is part of.

    >>> import attrs
    >>> @attrs.frozen
    ... class Calls:
    ...     dialled: int
    ...     connected: int
    ...     def __attrs_post_init__(self) -> None:
    ...         not_above(self, (("connected", "dialled"),))
    >>> Calls(dialled=5, connected=6)
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: Calls.connected (6) cannot exceed dialled (5)
    """
    for part, whole in pairs:
        if getattr(instance, part) > getattr(instance, whole):
            raise InvalidInput(
                f"{type(instance).__name__}.{part} ({getattr(instance, part)}) cannot exceed "
                f"{whole} ({getattr(instance, whole)})"
            )


def field(
    check: Callable[..., object], /, *, optional: bool = False, **options: Any
) -> Callable[[Any, Any, Any], None]:
    """An attrs validator that runs ``check`` on the field, named ``Class.field``;
    an ``optional`` field also accepts ``None``.

    >>> import attrs
    >>> @attrs.frozen
    ... class Bill:
    ...     amount: int = attrs.field(validator=field(integer))
    >>> Bill(-5)
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: Bill.amount must be >= 0, got -5
    """

    def validate(instance: Any, attribute: Any, value: Any) -> None:
        name = f"{type(instance).__name__}.{attribute.name}"
        if not optional:
            check(value, name, **options)
        elif value is not None:
            try:
                check(value, name, **options)
            except InvalidInput as exc:
                raise InvalidInput(str(exc).replace(" must be ", " must be None or ", 1)) from None

    return validate
