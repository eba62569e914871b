"""The retention moments, named once: the moments the retention reports follow and,
of them, the ones the retention warning list watches.

A retention moment is one whose action ends ``retained`` or ``lost``.  Three of
them are warnings, signs that a customer may leave: a usage anomaly (the bill
drops or calls are forwarded), a credit alert (arrears near the allowance) and a
cancellation request.  The fourth, a contract's expiry, is a date every
contract customer reaches: the renewal call is retention work, so
:func:`~telcare.retention_indicators` counts it, but reaching the date is no
sign of leaving, so it does not put a customer on
:func:`~telcare.retention_warning_list`.

>>> [m.value for m in WARNING_MOMENTS]
['cancellation_request', 'usage_anomaly', 'credit_alert']
>>> set(RETENTION_MOMENTS) - set(WARNING_MOMENTS) == set(SCHEDULED_RETENTION)
True
"""

from __future__ import annotations

from telcare.policy import Moment

__all__ = ["RETENTION_MOMENTS", "SCHEDULED_RETENTION", "WARNING_MOMENTS"]

#: The moments the retention reports follow, most urgent first by the default
#: priorities (cancellation 1; usage anomaly and credit alert 2; contract expiry 3).
RETENTION_MOMENTS: tuple[Moment, ...] = (
    Moment.CANCELLATION_REQUEST,
    Moment.USAGE_ANOMALY,
    Moment.CREDIT_ALERT,
    Moment.CONTRACT_EXPIRY,
)
#: The retention moments that are a date on the calendar, not a warning.
SCHEDULED_RETENTION: tuple[Moment, ...] = (Moment.CONTRACT_EXPIRY,)
#: The moments the retention warning list watches: the retention moments less the
#: scheduled ones, in the same order (which settles a tie of priority and deadline).
WARNING_MOMENTS: tuple[Moment, ...] = tuple(
    m for m in RETENTION_MOMENTS if m not in SCHEDULED_RETENTION
)
