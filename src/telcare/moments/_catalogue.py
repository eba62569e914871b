"""The catalogue of built-in moments, built above the modules that define them.

Each built-in moment is one module holding its :class:`~telcare.MomentSpec` and
both its forms (``_callback`` holds the callback and the first tutoring it
opens); :data:`MOMENTS` lists them in catalogue order, and is the registry
:func:`~telcare.due_actions`, :func:`~telcare.scan_moments` and the lists and
reports read when given none.  :data:`SNAPSHOT_MOMENTS` are the moments of it
that have a whole-base form.  The old path ``telcare.rules.moments`` answers with
this module, so it re-exports the helpers that path named (``credit_colour``, ...).

>>> [m.value for m in SNAPSHOT_MOMENTS]
['credit_alert', 'usage_anomaly', 'contract_expiry', 'birthday', 'points_expiry']
"""

from __future__ import annotations

from telcare.moments._birthday import BIRTHDAY
from telcare.moments._callback import CALLBACK, FIRST_TUTORING, fast_device as fast_device
from telcare.moments._cancellation import CANCELLATION_REQUEST
from telcare.moments._contract import CONTRACT_EXPIRY, contract_window as contract_window
from telcare.moments._credit_alert import (
    COLOURS as COLOURS,
    CREDIT_ALERT,
    credit_colour as credit_colour,
)
from telcare.moments._first_bill import FIRST_BILL
from telcare.moments._points_expiry import (
    POINTS_EXPIRY,
    points_expiry_window as points_expiry_window,
)
from telcare.moments._spec import MomentRegistry
from telcare.moments._tier_change import TIER_CHANGE
from telcare.moments._usage_anomaly import (
    USAGE_ANOMALY,
    anomaly_drop as anomaly_drop,
    trailing_mean as trailing_mean,
)
from telcare.policy import Moment

__all__ = ["BUILTIN_MOMENTS", "MOMENTS", "SNAPSHOT_MOMENTS"]

#: The built-in moments, in catalogue order: the seven key moments, then the care moments.
BUILTIN_MOMENTS = (
    CALLBACK, FIRST_TUTORING, FIRST_BILL, CREDIT_ALERT, USAGE_ANOMALY, CONTRACT_EXPIRY,
    CANCELLATION_REQUEST, BIRTHDAY, POINTS_EXPIRY, TIER_CHANGE,
)  # fmt: skip

#: The built-in moments, in catalogue order.
MOMENTS = MomentRegistry(BUILTIN_MOMENTS)
#: The built-in moments with a whole-base form, in catalogue order.
SNAPSHOT_MOMENTS: tuple[Moment, ...] = tuple(Moment(spec.code) for spec in MOMENTS.snapshot)
