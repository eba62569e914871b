"""The foundation every package stands on: argument checks and limits, money in fen,
dates and periods, errors, reasons as codes, display, the columns whole-base rules read and the
arithmetic kernels the one-customer and whole-base forms share.

Private: its public names (errors, money, dates) reach users through :mod:`telcare`.
"""

from __future__ import annotations

from telcare._core.dates import Period, PointsCycle, local_date, points_cycle
from telcare._core.errors import DuplicatePosting, InsufficientPoints, InvalidInput, TelcareError
from telcare._core.frame_out import to_frame
from telcare._core.money import format_yuan, to_fen, yuan
from telcare._core.reasons import Reason

__all__ = [
    "DuplicatePosting",
    "InsufficientPoints",
    "InvalidInput",
    "Period",
    "PointsCycle",
    "Reason",
    "TelcareError",
    "format_yuan",
    "local_date",
    "points_cycle",
    "to_fen",
    "to_frame",
    "yuan",
]
