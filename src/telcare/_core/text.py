"""Small helpers that put numbers into reasons the same way everywhere."""

from __future__ import annotations

from decimal import Decimal

from telcare._core.money import FEN_PER_YUAN

__all__ = ["percent", "yuan_text"]


def yuan_text(fen: int) -> str:
    """``55000`` -> ``'550.00 yuan'`` (thousands separated, sign kept)."""
    fen = int(fen)
    if fen < 0:
        return "-" + yuan_text(-fen)
    return f"{fen // FEN_PER_YUAN:,}.{fen % FEN_PER_YUAN:02d} yuan"


def percent(share: Decimal | float) -> str:
    """``Decimal('0.8')`` -> ``'80%'``; keeps decimals only when they matter."""
    value = Decimal(str(share)) * 100
    text = f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"
    return f"{text}%"
