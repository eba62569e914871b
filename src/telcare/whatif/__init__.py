"""What if the policy changed: one base under two policies, compared."""

from __future__ import annotations

from telcare.whatif._compare import CustomerBase, PolicyComparison, PolicyOutcome, compare_policies

__all__ = [
    "CustomerBase",
    "PolicyComparison",
    "PolicyOutcome",
    "compare_policies",
]
