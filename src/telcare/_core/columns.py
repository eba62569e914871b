"""What a whole-base rule reads and returns: :class:`Column` and :class:`BatchRule`.

A :class:`BatchRule` says what a whole-base rule reads (columns with their
dtype and bounds) and what it returns; :data:`telcare.RULES` lists the built-in
ones, and the documentation and the engines are generated from it.  A moment's
whole-base form (:class:`telcare.SnapshotScan`) names its columns the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import attrs

__all__ = ["BatchRule", "Column"]


@attrs.frozen(slots=True)
class Column:
    """One input column of a whole-base rule: its name, kind and bounds.

    ``missing`` says the rule itself reads a missing value in this column (a key that
    matches nothing, a day where there is none) and refuses it where it must; the
    engines then hand missing values to the rule as they are, where they otherwise
    refuse one with its column and row.
    """

    name: str
    kind: Literal["int", "bool", "date", "share", "label"]
    minimum: int | None = 0
    maximum: int | None = None
    required: bool = True
    doc: str = ""
    missing: bool = False


@attrs.frozen(slots=True)
class BatchRule:
    """A whole-base rule: its function, its input columns and its outputs."""

    name: str
    function: Callable[..., Any]
    inputs: tuple[Column, ...]
    outputs: tuple[str, ...]
    doc: str
