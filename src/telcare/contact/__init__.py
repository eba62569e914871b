"""When a customer may be contacted: the frequency caps, service hours and the
exempt care moments.  The cap window is written once here (``_window``), and the
offer matchers read it through this face.
"""

from __future__ import annotations

from telcare.contact._decision import ContactDecision, contact_allowed

# For telcare's other packages; not part of the public surface (not in __all__).
from telcare.contact._window import (
    NO_CAP as NO_CAP,
    CapWindow as CapWindow,
    cap_window as cap_window,
    counted_contacts as counted_contacts,
    customer_type_cap as customer_type_cap,
    customer_type_caps as customer_type_caps,
    has_room as has_room,
    is_exempt as is_exempt,
    next_allowed as next_allowed,
    of_project_type as of_project_type,
    project_type_cap as project_type_cap,
    project_type_caps as project_type_caps,
)

__all__ = [
    "ContactDecision",
    "contact_allowed",
]
