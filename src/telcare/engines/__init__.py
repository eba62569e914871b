"""The whole-base rules as a registry (:data:`RULES`, rows of :class:`BatchRule`),
from which :mod:`telcare.frames`, :mod:`telcare.on_dask` and
:mod:`telcare.on_spark` are generated, and the segment's passes over partitions
(:mod:`telcare.engines.partitioned`).
"""

from __future__ import annotations

from telcare._core.columns import BatchRule, Column
from telcare.engines._rules import RULES
from telcare.points import (
    BookBalances as BookBalances,
    BookTotals as BookTotals,
    add_book_totals as add_book_totals,
)

__all__ = [
    "RULES",
    "BatchRule",
    "Column",
]
