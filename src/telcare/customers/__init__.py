"""A customer as the rules see one: identity, plan, spend history, verification and
account status.
"""

from __future__ import annotations

# For telcare's other packages; not part of the public surface (not in __all__).
from telcare.customers._customer import (
    STATUS_LABELS as STATUS_LABELS,
    VERIFICATION_LABELS as VERIFICATION_LABELS,
    AccountStatus,
    Customer,
    Verification,
)

__all__ = [
    "AccountStatus",
    "Customer",
    "Verification",
]
