"""What if the policy changed: one base under two policies, compared."""

from __future__ import annotations

from telcare.whatif._base import CustomerBase
from telcare.whatif._compare import PolicyComparison, compare_policies
from telcare.whatif._outcome import PolicyOutcome

__all__ = [
    "CustomerBase",
    "PolicyComparison",
    "PolicyOutcome",
    "compare_policies",
]
