"""When a customer may be contacted: the frequency caps (per customer, project
type and channel), the contact hours on working days, the channels' quiet hours and
the exempt care moments, for one customer and a whole base.  The cap window is written once here (``_window``), and the
offer matchers read it through this face.
"""

from __future__ import annotations

from telcare.contact import _decision
from telcare.contact._columns import (
    CHANNELS as CHANNELS,
    ContactCounts,
    channel_room as channel_room,
    channels_open as channels_open,
    contact_counts,
    contacts_allowed,
)
from telcare.contact._decision import ContactDecision, contact_allowed
from telcare.contact._reasons import (
    CHANNEL as CHANNEL,
    DO_NOT_CALL as DO_NOT_CALL,
    PROJECT_FULL as PROJECT_FULL,
    PROJECT_TYPE as PROJECT_TYPE,
)

# For telcare's other packages; not part of the public surface (not in __all__).
from telcare.contact._window import (
    NO_CAP as NO_CAP,
    CapWindow as CapWindow,
    cap_window as cap_window,
    counted_contacts as counted_contacts,
    counts as counts,
    customer_type_cap as customer_type_cap,
    customer_type_caps as customer_type_caps,
    has_room as has_room,
    is_exempt as is_exempt,
    next_allowed as next_allowed,
    of_channel as of_channel,
    of_project_type as of_project_type,
    project_type_cap as project_type_cap,
    project_type_caps as project_type_caps,
    same_day as same_day,
)

# The channel caps' windows and reasons, as contact_allowed reads them (the matchers too).
channel_windows = _decision._channel_windows
channel_reasons = _decision._channel_reasons

__all__ = [
    "ContactCounts",
    "ContactDecision",
    "contact_allowed",
    "contact_counts",
    "contacts_allowed",
]
