"""The composite behind :func:`telcare.strategies.schedules`: valid policy schedules."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from telcare.policy import PolicySchedule
from telcare.strategies._draw import policies

__all__ = ["_schedules"]


@st.composite
def _schedules(
    draw: st.DrawFn, *, max_policies: int, start: date, max_gap_days: int
) -> PolicySchedule:
    """Valid schedules: 1 to ``max_policies`` drawn policies, the first in force from
    ``start``, each next one 1 to ``max_gap_days`` days after the one before."""
    n = draw(st.integers(1, max_policies))
    gaps = draw(st.lists(st.integers(1, max_gap_days), min_size=n - 1, max_size=n - 1))
    days = [start]
    for gap in gaps:
        days.append(days[-1] + timedelta(days=gap))
    return PolicySchedule([(day, draw(policies())) for day in days])
