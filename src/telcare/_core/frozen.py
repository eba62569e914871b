"""A read-only, hashable mapping, and the pydantic type that validates into one.

The policy is deeply immutable: its mappings are :class:`FrozenDict` values, so
``default_policy().points.tier_multipliers["gold"] = 3`` raises instead of
changing every later caller, and a policy hashes, pickles and deep-copies.

>>> d = FrozenDict({"b": 2, "a": 1})
>>> d["a"], len(d), d == {"a": 1, "b": 2}, hash(d) == hash(FrozenDict(a=1, b=2))
(1, 2, True, True)
>>> d["a"] = 3
Traceback (most recent call last):
...
TypeError: 'FrozenDict' object does not support item assignment
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Generic, TypeVar

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

__all__ = ["FrozenDict"]

K = TypeVar("K")
V = TypeVar("V")


class FrozenDict(Mapping[K, V], Generic[K, V]):
    """A mapping that cannot change after it is built; equal to a dict with the same items."""

    __slots__ = ("_data", "_hash")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._data: dict[K, V] = dict(*args, **kwargs)
        self._hash: int | None = None

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenDict):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenDict({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenDict, (self._data,))

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """Validate as ``dict[K, V]`` (the type arguments of ``source``), then freeze."""
        args = getattr(source, "__args__", None)
        dict_schema = handler.generate_schema(dict[args[0], args[1]] if args else dict)  # type: ignore[valid-type]
        return core_schema.no_info_after_validator_function(
            cls,
            dict_schema,
            serialization=core_schema.wrap_serializer_function_ser_schema(
                lambda value, serialize: serialize(dict(value)), schema=dict_schema
            ),
        )
