"""Small helpers that put numbers into reasons the same way everywhere."""

from __future__ import annotations

from decimal import Decimal

from telcare._core.money import format_yuan

__all__ = ["percent", "yuan_text"]


def yuan_text(fen: int) -> str:
    """Money in a reason, written as everywhere else (:func:`format_yuan`).

    >>> yuan_text(55000), yuan_text(-150)
    ('¥550.00', '-¥1.50')
    """
    return format_yuan(int(fen))


def percent(share: Decimal | float) -> str:
    """``Decimal('0.8')`` -> ``'80%'``; keeps decimals only when they matter."""
    value = Decimal(str(share)) * 100
    text = f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"
    return f"{text}%"
