"""The catalogue of built-in moments, built above the modules that define them.

:data:`MOMENTS` is the registry :func:`~telcare.due_actions`, :func:`~telcare.scan_moments`
and the lists and reports read when given none; :data:`SNAPSHOT_MOMENTS` are the
moments of it that have a whole-base form.

>>> [m.value for m in SNAPSHOT_MOMENTS]
['credit_alert', 'usage_anomaly', 'contract_expiry', 'birthday', 'points_expiry']
"""

from __future__ import annotations

from telcare.moments._builtin import BUILTIN_MOMENTS
from telcare.moments._spec import MomentRegistry
from telcare.policy import Moment

__all__ = ["MOMENTS", "SNAPSHOT_MOMENTS"]

#: The built-in moments, in catalogue order.
MOMENTS = MomentRegistry(BUILTIN_MOMENTS)
#: The built-in moments with a whole-base form, in catalogue order.
SNAPSHOT_MOMENTS: tuple[Moment, ...] = tuple(Moment(spec.code) for spec in MOMENTS.snapshot)
