"""The checks that an argument is a value of a kind: a telcare type, a mapping, a
snake_case code.  Re-exported by :mod:`telcare._core.checks`, where every check is
imported from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from telcare._core.errors import InvalidInput

__all__ = ["code", "instance", "mapping"]

T = TypeVar("T")
_CODE = re.compile(r"[a-z][a-z0-9_]*")


def instance(value: object, kind: type[T], message: str) -> T:
    """``value`` when it is a ``kind``; otherwise :class:`InvalidInput` with ``message``,
    its ``{got}`` filled with the value's type and ``{value}`` with the value.

    The one check for "this argument must be a telcare value of this type", so every
    such refusal reads alike and names what it got.

    >>> instance(3, int, "count needs an int, got {got}")
    3
    >>> instance("3", int, "count needs an int, got {got} {value!r}")
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: count needs an int, got str '3'
    """
    if not isinstance(value, kind):
        raise InvalidInput(message.format(got=type(value).__name__, value=value))
    return value


def mapping(value: object, message: str) -> Mapping[Any, Any]:
    """``value`` when it is a mapping (a dict, a frozen one, a ``MappingProxyType``);
    otherwise :class:`InvalidInput` as :func:`instance` words it.

    >>> mapping({"a": 1}, "counts must be a mapping, got {got}")
    {'a': 1}
    """
    if not isinstance(value, Mapping):
        raise InvalidInput(message.format(got=type(value).__name__, value=value))
    return value


def code(value: object, name: str) -> str:
    """A snake_case code (lower-case letters, digits and ``_``, a letter first), as moments,
    gates and reports are named, and as the policy's codes are.

    >>> code("roaming_abroad", "MomentSpec.code")
    'roaming_abroad'
    >>> code("Roaming abroad", "MomentSpec.code")
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: MomentSpec.code must be a snake_case str, got 'Roaming abroad'
    """
    if not isinstance(value, str) or _CODE.fullmatch(value) is None:
        raise InvalidInput(f"{name} must be a snake_case str, got {value!r}")
    return value
