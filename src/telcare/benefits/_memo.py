"""The benefit decisions remembered per compiled policy, beside the frozen compiled
value rather than inside it, dropped with it
and bounded: a pure function of its key, so a remembered answer equals a fresh one."""

from __future__ import annotations

import threading
import weakref
from typing import Any

from telcare._core.reasons import Reason
from telcare.compiled import CompiledBenefits

__all__ = ["MEMOS", "Memo", "memo_of", "remember"]

#: How many one-customer decisions a compiled policy remembers before it starts over.
_MEMO_LIMIT = 1 << 16

Gated = tuple[bool, tuple[Reason, ...], int | None]


class Memo:
    """One compiled policy's remembered answers (pure functions of their keys): the
    gates and reasons of single decisions, and whole ``eligible_benefits`` answers
    without a time.  Kept beside the frozen compiled value, never inside it."""

    __slots__ = ("decisions", "eligible")

    def __init__(self) -> None:
        self.decisions: dict[tuple[object, ...], Gated] = {}
        self.eligible: dict[tuple[object, ...], tuple[Any, ...]] = {}


# Memos by the identity of their compiled value, dropped with it (as compile_policy
# keeps compiled values by their policy): a plain dict lookup on the hot path.
MEMOS: dict[int, Memo] = {}
_LOCK = threading.Lock()


def memo_of(compiled: CompiledBenefits) -> Memo:
    found = MEMOS.get(id(compiled))
    if found is not None:
        return found
    with _LOCK:
        found = MEMOS.get(id(compiled))
        if found is None:
            found = MEMOS[id(compiled)] = Memo()
            weakref.finalize(compiled, MEMOS.pop, id(compiled), None)
    return found


def remember(table: dict[tuple[object, ...], Any], key: tuple[object, ...], value: Any) -> None:
    if len(table) >= _MEMO_LIMIT:
        table.clear()
    table[key] = value
