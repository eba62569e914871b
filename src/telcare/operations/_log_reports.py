"""The reports read from the action log: the retention key indicators and the
new-subscriber callbacks (weekly), and the service managers' execution (a week
or a month).

>>> import telcare as tc
>>> book = tc.manager_book(["a", "b", "c"], ["li", "li", "wang"], team=["north", "north", "south"])
>>> log = tc.action_log([0, 1, 2], ["first_bill"] * 3, ["2010-11-29"] * 3, ["2010-12-02"] * 3,
...                     closed_on=["2010-12-01", "2010-12-04", None])
>>> r = tc.execution_report(log, book, "2010-W48")
>>> r.count("due"), r.count("on_time"), r.count("late"), r.count("overdue")
(3, 1, 1, 1)
>>> str(r.rate("on_time", "li"))
'50.00% [9.5, 90.5]'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from telcare._core.dates import Period
from telcare.operations._actionlog import ActionLog
from telcare.operations._books import ManagerBook
from telcare.operations._grouping import (
    Grouping,
    checked_book,
    checked_log,
    checked_period,
    day_bounds,
    with_previous,
)
from telcare.operations._report import I64, Report
from telcare.operations._retention import RETENTION_MOMENTS
from telcare.policy import Moment

__all__ = ["callback_report", "execution_report", "retention_indicators"]


def retention_indicators(log: ActionLog, book: ManagerBook, week: Any) -> Report:
    """Retention key indicators for a week (weekly): the retention moments' work.

    Over the actions of :data:`RETENTION_MOMENTS`: ``opened`` in the week;
    ``handled`` (closed in the week) and of those ``on_time``; ``retained`` and
    ``lost`` among the handled; ``open`` and ``overdue`` at the week's end; and
    ``at_risk``, the customers with an open or overdue retention action then.
    Rates: timeliness (on time / handled) and retention (retained / retained
    or lost).

    >>> import telcare as tc
    >>> book = tc.manager_book(["a", "b"], ["li", ""])
    >>> log = tc.action_log([0, 1, 1], ["credit_alert", "usage_anomaly", "cancellation_request"],
    ...                     ["2010-11-29", "2010-11-30", "2010-12-01"], ["2010-11-30", "2010-12-03", "2010-12-02"],
    ...                     closed_on=["2010-11-30", None, "2010-12-02"], outcome=["retained", "", "lost"])
    >>> r = tc.retention_indicators(log, book, "2010-W48")
    >>> r.count("handled"), r.count("overdue"), r.count("at_risk", "(none)", level="manager")
    (2, 1, 1)
    >>> str(r.rate("retention"))
    '50.00% [9.5, 90.5]'
    """
    book = checked_book(book)
    log = checked_log(log, book)
    period = checked_period(week, "week")
    g = Grouping(book)
    watched = log.of_moments(RETENTION_MOMENTS)
    slots = g.slot[log.row]
    retained, lost = log.with_outcome("retained"), log.with_outcome("lost")

    def counter(p: Period) -> dict[str, I64]:
        start, end = day_bounds(p)
        opened = watched & (log.opened_on >= start) & (log.opened_on <= end)
        handled = watched & (log.closed_on >= start) & (log.closed_on <= end)
        state = log.state_codes(end)
        pending = watched & ((state == 1) | (state == 3))
        customers = np.unique(log.row[pending])
        return {
            "opened": g.count(slots, opened),
            "handled": g.count(slots, handled),
            "on_time": g.count(slots, handled & (log.closed_on <= log.due_by)),
            "retained": g.count(slots, handled & retained),
            "decided": g.count(slots, handled & (retained | lost)),
            "open": g.count(slots, watched & (state == 1)),
            "overdue": g.count(slots, watched & (state == 3)),
            "at_risk": g.count(g.slot[customers]),
        }

    rates = {"timeliness": ("on_time", "handled"), "retention": ("retained", "decided")}
    return with_previous(
        "retention_indicators", "Retention key indicators", period, g, counter, rates
    )


def callback_report(log: ActionLog, book: ManagerBook, week: Any) -> Report:
    """New-subscriber callbacks for a week (weekly), as seed 001 measures them.

    The callbacks whose deadline falls in the week are ``required``; of them
    ``completed`` (closed by the week's end), ``on_time``, ``successful``
    (reached: outcome ``genuine`` or ``reached``), ``authentic`` (``genuine``)
    and, where the log has a ``compliant`` column, ``compliant`` among the
    successful.  Rates: completion, success, timeliness, authenticity and
    compliance, as :func:`~telcare.callback_kpis` defines them.

    >>> import telcare as tc
    >>> book = tc.manager_book(["a", "b", "c"], ["li", "li", "li"])
    >>> log = tc.action_log([0, 1, 2], ["new_subscriber_callback"] * 3, ["2010-11-28"] * 3,
    ...                     ["2010-12-01"] * 3, closed_on=["2010-11-29", "2010-12-03", None],
    ...                     outcome=["genuine", "reached", ""], compliant=[True, False, False])
    >>> r = tc.callback_report(log, book, "2010-W48")
    >>> [str(r.rate(k)) for k in ("completion", "timeliness", "authenticity")]
    ['66.67% [20.8, 93.9]', '50.00% [9.5, 90.5]', '50.00% [9.5, 90.5]']
    """
    book = checked_book(book)
    log = checked_log(log, book)
    period = checked_period(week, "week")
    g = Grouping(book)
    callbacks = log.of_moments([Moment.NEW_SUBSCRIBER_CALLBACK])
    slots = g.slot[log.row]
    genuine = log.with_outcome("genuine")
    reached = genuine | log.with_outcome("reached")

    def counter(p: Period) -> dict[str, I64]:
        start, end = day_bounds(p)
        required = callbacks & (log.due_by >= start) & (log.due_by <= end)
        completed = required & (log.closed_on <= end)
        success = completed & reached
        out = {
            "required": g.count(slots, required),
            "completed": g.count(slots, completed),
            "on_time": g.count(slots, completed & (log.closed_on <= log.due_by)),
            "successful": g.count(slots, success),
            "authentic": g.count(slots, success & genuine),
        }
        if log.compliant is not None:
            out["compliant"] = g.count(slots, success & log.compliant)
        return out

    rates = {"completion": ("completed", "required"), "success": ("successful", "completed"),
             "timeliness": ("on_time", "completed"), "authenticity": ("authentic", "successful")}  # fmt: skip
    if log.compliant is not None:
        rates["compliance"] = ("compliant", "successful")
    return with_previous("callback_report", "New-subscriber callbacks", period, g, counter, rates)


def execution_report(log: ActionLog, book: ManagerBook, period: Any) -> Report:
    """Service-manager execution for a week or month: every moment's actions.

    ``due``: the actions whose deadline falls in the period; of them
    ``on_time`` (done by the deadline), ``late`` (done after it, by the
    period's end) and ``overdue`` (still not done at the period's end).  At the
    period's end, ``open`` counts every action opened and not done whose
    deadline has not passed, ``overdue_all`` every one whose deadline has.
    Every action open at the end appears in exactly one manager row.  Rate:
    on time (on time / due).

    >>> import telcare as tc
    >>> book = tc.manager_book(["a", "b"], ["li", ""])
    >>> log = tc.action_log([0, 1, 1], ["first_bill", "birthday", "first_bill"],
    ...                     ["2010-11-01", "2010-11-20", "2010-11-25"], ["2010-11-04", "2010-12-01", "2010-11-28"],
    ...                     closed_on=["2010-11-03", None, "2010-11-29"])
    >>> r = tc.execution_report(log, book, "2010-11")
    >>> r.count("due"), r.count("on_time"), r.count("late"), r.count("open", "(none)", level="manager")
    (2, 1, 1, 1)
    >>> r.headline()
    'Service-manager execution 2010-11: on_time 50.0%'
    """
    book = checked_book(book)
    log = checked_log(log, book)
    p0 = checked_period(period)
    g = Grouping(book)
    slots = g.slot[log.row]

    def counter(p: Period) -> dict[str, I64]:
        start, end = day_bounds(p)
        due = (log.due_by >= start) & (log.due_by <= end)
        done = log.closed_on <= end
        state = log.state_codes(end)
        return {
            "due": g.count(slots, due),
            "on_time": g.count(slots, due & done & (log.closed_on <= log.due_by)),
            "late": g.count(slots, due & done & (log.closed_on > log.due_by)),
            "overdue": g.count(slots, due & ~done),
            "open": g.count(slots, state == 1),
            "overdue_all": g.count(slots, state == 3),
        }

    return with_previous("execution_report", "Service-manager execution", p0, g, counter,
                   {"on_time": ("on_time", "due")})  # fmt: skip
