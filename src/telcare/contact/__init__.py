"""When a customer may be contacted: the frequency caps, service hours and the
exempt care moments.
"""

from __future__ import annotations

from telcare.contact._decision import ContactDecision, contact_allowed

__all__ = [
    "ContactDecision",
    "contact_allowed",
]
