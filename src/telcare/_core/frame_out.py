"""``to_frame``: results as a ``pandas.DataFrame`` (pandas is optional)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from telcare._core.checks import items as checked_items
from telcare._core.display import Displayable, _pandas

__all__ = ["to_frame"]


def to_frame(items: Displayable | Iterable[Displayable]) -> Any:
    """Decisions, actions or reports as a ``pandas.DataFrame``, one row each; a result
    made of columns (a :class:`~telcare.TierBatch`, a generated base) as its own
    ``to_frame()`` gives it.

    >>> from datetime import date
    >>> import telcare as tc
    >>> c = tc.Customer("c1", activated_on=date(2010, 1, 1), plan_fee=0, tier="gold")
    >>> frame = tc.to_frame(tc.eligible_benefits(c))
    >>> frame.shape, list(frame.columns)
    ((15, 4), ['code', 'eligible', 'reasons', 'remaining'])
    """
    if isinstance(items, Displayable) or (attrs.has(type(items)) and hasattr(items, "to_frame")):
        return items.to_frame()  # a value, or columns of their own (a batch, a generated base)
    rows = checked_items(items, "to_frame() items", of=Displayable)
    return _pandas().DataFrame([row._row() for row in rows])
