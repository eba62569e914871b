"""A customer as the rules see one: identity, plan, spend history, verification and
account status; and what the history measures (average spend, tenure), written once.
"""

from __future__ import annotations

# For telcare's other packages; not part of the public surface (not in __all__).
from telcare.customers._customer import (
    STATUS_LABELS as STATUS_LABELS,
    VERIFICATION_LABELS as VERIFICATION_LABELS,
    AccountStatus,
    Customer,
    TierFloor,
    Verification,
)
from telcare.customers._measures import (
    anniversary_years as anniversary_years,
    average_spend as average_spend,
    floor_mean as floor_mean,
    mean_spend as mean_spend,
    spend_window as spend_window,
    tenure_months as tenure_months,
    tenure_years as tenure_years,
)

__all__ = [
    "AccountStatus",
    "Customer",
    "TierFloor",
    "Verification",
]
