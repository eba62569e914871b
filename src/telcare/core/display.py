"""How decisions and reports show themselves: dicts, pandas frames, HTML tables.

pandas is optional: ``to_frame()`` imports it when called and says how to get
it when it is missing; nothing else in telcare needs it.
"""

from __future__ import annotations

import enum
import html
import importlib
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import numpy as np

from telcare.core.checks import items as checked_items

__all__ = ["Displayable", "frame_from_columns", "plain", "summary_html", "to_frame"]


def plain(value: Any) -> Any:
    """``value`` as JSON-ready Python: enums by value, dates as ISO text, arrays as lists."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        items = sorted(value, key=str) if isinstance(value, frozenset | set) else value
        return [plain(v) for v in items]
    if attrs.has(type(value)):
        return {f.name: plain(getattr(value, f.name)) for f in attrs.fields(type(value))}
    return value


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError:  # pragma: no cover - exercised only without pandas
        raise ImportError("to_frame() needs pandas: pip install pandas") from None


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | tuple) and value and all(isinstance(v, str) for v in value):
        return "<br>".join(html.escape(v) for v in value)
    return html.escape(str(value))


class Displayable:
    """Mixin for attrs values: ``to_dict``, ``to_frame`` and a Jupyter table."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """Every field as JSON-ready Python values."""
        out: dict[str, Any] = plain(self)
        return out

    def to_frame(self) -> Any:
        """A one-row ``pandas.DataFrame`` (pandas must be installed)."""
        return _pandas().DataFrame([self.to_dict()])

    def _repr_html_(self) -> str:
        return summary_html(type(self).__name__, self.to_dict().items())


def frame_from_columns(columns: dict[str, Any]) -> Any:
    """A ``pandas.DataFrame`` from equal-length columns (pandas must be installed)."""
    return _pandas().DataFrame(columns)


def summary_html(title: str, rows: Iterable[tuple[str, Any]]) -> str:
    """A two-column HTML table for Jupyter."""
    body = "".join(
        f"<tr><th style='text-align:left'>{html.escape(str(k))}</th><td style='text-align:left'>{_cell(v)}</td></tr>"
        for k, v in rows
    )
    return f"<table><caption>{html.escape(title)}</caption>{body}</table>"


def to_frame(items: Displayable | Iterable[Displayable]) -> Any:
    """Decisions, actions or reports as a ``pandas.DataFrame``, one row each.

    >>> from datetime import date
    >>> import telcare as tc
    >>> c = tc.Customer("c1", activated_on=date(2010, 1, 1), plan_fee=0, tier="gold")
    >>> frame = tc.to_frame(tc.eligible_benefits(c))
    >>> frame.shape, list(frame.columns)
    ((15, 4), ['code', 'eligible', 'reasons', 'remaining'])
    """
    if isinstance(items, Displayable):
        return items.to_frame()
    rows = checked_items(items, "to_frame() items", of=Displayable)
    return _pandas().DataFrame([row.to_dict() for row in rows])
