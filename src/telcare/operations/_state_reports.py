"""The reports read from the state of the base at each period's end: retention
service (who was still a subscriber, month by month) and the credit-control
warning bulletin (warning colours and suspensions).

>>> import telcare as tc
>>> r = tc.credit_bulletin([3, 0], [True, False], tc.manager_book(["a", "b"], ["li", "li"]), "2010-11")
>>> r.count("red"), str(r.rate("red_share"))
(1, '50.00% [9.5, 90.5]')
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.checks import bool_column, column, int_column, same_length
from telcare._core.dates import Period
from telcare._core.errors import InvalidInput
from telcare._core.label_checks import local_day
from telcare.operations._books import ManagerBook
from telcare.operations._grouping import (
    Counter,
    Grouping,
    checked_book,
    checked_period,
    with_previous,
)
from telcare.operations._labels import no_bools
from telcare.operations._report import I64, Report
from telcare.policy import as_policy

__all__ = ["credit_bulletin", "retention_service"]


def retention_service(active: Any, months: Any, book: ManagerBook, month: Any) -> Report:
    """Retention service for a month (monthly): month-on-month retention per group.

    ``active`` is a boolean matrix, one row per customer of ``book`` and one
    column per month, labelled by ``months`` (``"2010-11"`` or a date in the
    month, oldest first, consecutive; an aware datetime is its day in the default
    policy's time zone): whether the customer was a subscriber at
    the month's end.  A month's ``base`` is the customers active at the end of
    the month before and ``retained`` those of them still active at its end.
    The same figures a year before, and both pooled over the last three months
    (seed 000 reports retention as a three-period average against the year
    before), are read from the same matrix; months it does not hold count 0.
    Changes: ``retention_pp`` (month against the month a year before) and
    ``retention_3_pp`` (three months against the same three a year before).

    >>> import numpy as np
    >>> import telcare as tc
    >>> book = tc.manager_book(["a", "b", "c", "d"], ["li"] * 4)
    >>> active = np.ones((4, 14), dtype=bool)
    >>> active[3, 1:] = False; active[2, 13] = False
    >>> r = tc.retention_service(active, [f"2009-{m:02d}" for m in range(11, 13)] +
    ...                          [f"2010-{m:02d}" for m in range(1, 13)], book, "2010-12")
    >>> str(r.rate("retention")), str(r.rate("retention_year_before")), round(r.change("retention_pp"), 2)
    ('66.67% [20.8, 93.9]', '75.00% [30.1, 95.4]', -8.33)
    """
    book = checked_book(book)
    period = checked_period(month, "month")
    g = Grouping(book)
    rates = {"retention": ("retained", "base"),
             "retention_year_before": ("retained_year_before", "base_year_before"),
             "retention_3": ("retained_3", "base_3"),
             "retention_3_year_before": ("retained_3_year_before", "base_3_year_before")}  # fmt: skip
    changes = {"retention_pp": ("retention", "retention_year_before"),
               "retention_3_pp": ("retention_3", "retention_3_year_before")}  # fmt: skip
    counter = _retention_counter(g, *_active_months(active, months, book))
    return with_previous(
        "retention_service", "Retention service", period, g, counter, rates, changes
    )


def _active_months(
    active: Any, months: Any, book: ManagerBook
) -> tuple[npt.NDArray[np.bool_], dict[str, int]]:
    """The activity matrix as booleans, and each month's column by its label."""
    matrix = column(active, "active", ndim=2)
    if matrix.dtype != np.bool_:
        if matrix.dtype.kind not in "iu" or ((matrix != 0) & (matrix != 1)).any():
            raise InvalidInput(f"active must hold booleans, got dtype {matrix.dtype}")
        matrix = matrix.astype(bool)
    tz = as_policy(None).timezone
    labels = [Period.containing(Period.parse(m).start if isinstance(m, str)
                                else local_day(m, f"months[{i}]", tz), "month")
              for i, m in enumerate(_month_rows(months))]  # fmt: skip
    if matrix.shape != (len(book), len(labels)):
        raise InvalidInput(
            f"active must have one row per customer ({len(book)}) and one column per month "
            f"({len(labels)}), got shape {matrix.shape}"
        )
    for i in range(1, len(labels)):
        if labels[i] != labels[i - 1].shifted(1):
            raise InvalidInput(
                f"months must be consecutive, oldest first: {labels[i - 1].label} then {labels[i].label}"
            )
    return matrix, {p.label: i for i, p in enumerate(labels)}


def _month_rows(months: Any) -> list[Any]:
    """The month labels as Python values (one str is one month, not a column of letters)."""
    if isinstance(months, str | bytes):
        raise InvalidInput(f"months must be a column of months, got the str {months!r}")
    return list(column(months, "months").tolist())


def _retention_counter(
    g: Grouping, matrix: npt.NDArray[np.bool_], index: dict[str, int]
) -> Counter:
    """A month's base and retained, a year before, and both pooled over three months."""

    def month_counts(p: Period) -> tuple[I64, I64]:
        i = index.get(p.label)
        if i is None or i == 0:
            zero = g.count(np.zeros(0, dtype=np.int64))
            return zero, zero
        before = matrix[:, i - 1]
        return g.count(g.slot, before), g.count(g.slot, before & matrix[:, i])

    def counter(p: Period) -> dict[str, I64]:
        out: dict[str, I64] = {}
        for suffix, q in (("", p), ("_year_before", p.year_before())):
            base, kept = month_counts(q)
            out[f"base{suffix}"], out[f"retained{suffix}"] = base, kept
            pooled = [month_counts(q.shifted(-j)) for j in range(3)]
            out[f"base_3{suffix}"] = np.sum([b for b, _ in pooled], axis=0)
            out[f"retained_3{suffix}"] = np.sum([k for _, k in pooled], axis=0)
        return out

    return counter


def credit_bulletin(
    colour: Any,
    suspended: Any,
    book: ManagerBook,
    period: Any,
    *,
    previous_colour: Any = None,
    previous_suspended: Any = None,
) -> Report:
    """The credit-control warning bulletin for a week or month.

    ``colour`` is each customer's warning level at the period's end (0 none,
    1 yellow, 2 orange, 3 red, as :func:`~telcare.scan_moments` gives it) and
    ``suspended`` whether the account is suspended then
    (:func:`~telcare.check_suspensions`); the ``previous_`` columns give the
    same at the end of the period before.  Counts: ``accounts``, ``yellow``,
    ``orange``, ``red``, ``suspended``, ``newly_suspended`` and ``recovered``
    (suspended before, not now).  Rates: red share and recovery (recovered /
    suspended before).  Without the previous columns there are no flows (newly
    suspended, recovered), no recovery rate and no changes.

    >>> import telcare as tc
    >>> book = tc.manager_book(["a", "b", "c"], ["li", "li", "wang"])
    >>> r = tc.credit_bulletin([1, 3, 0], [False, True, False], book, "2010-W48",
    ...                        previous_colour=[0, 3, 3], previous_suspended=[False, False, True])
    >>> r.count("red"), r.count("newly_suspended"), r.count("recovered", "wang")
    (1, 1, 1)
    """
    book = checked_book(book)
    p0 = checked_period(period)
    now = _credit_state(book, colour, suspended, "")
    if (previous_colour is None) != (previous_suspended is None):
        raise InvalidInput("give previous_colour and previous_suspended together")
    before = None
    if previous_colour is not None:
        before = _credit_state(book, previous_colour, previous_suspended, "previous_")
    g = Grouping(book)
    title = "Credit-control warning bulletin"
    rates = {"red_share": ("red", "accounts")}
    prev = None
    if before is not None:
        # the period before is known only at its end: no flows into it
        prev = Report("credit_bulletin", title, p0.previous(), g.levels, g.groups,
                      _credit_counts(g, before, None), dict(rates))  # fmt: skip
        rates["recovery"] = ("recovered", "suspended_before")
    return Report("credit_bulletin", title, p0, g.levels, g.groups,
                  _credit_counts(g, now, before), rates, {}, prev)  # fmt: skip


_State = tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]


def _credit_state(book: ManagerBook, colour: Any, suspended: Any, prefix: str) -> _State:
    """The warning levels and suspensions as checked columns, one per customer of ``book``."""
    state = (int_column(no_bools(colour, f"{prefix}colour"), f"{prefix}colour", maximum=3),
             bool_column(suspended, f"{prefix}suspended"))  # fmt: skip
    same_length(**{"book": book.ids, f"{prefix}colour": state[0], f"{prefix}suspended": state[1]})
    return state


def _credit_counts(g: Grouping, state: _State, prior: _State | None) -> dict[str, I64]:
    """Accounts at each level and suspended; with ``prior``, the flows since then."""
    level, off = state
    out = {
        "accounts": g.count(g.slot),
        "yellow": g.count(g.slot, level == 1),
        "orange": g.count(g.slot, level == 2),
        "red": g.count(g.slot, level == 3),
        "suspended": g.count(g.slot, off),
    }
    if prior is not None:
        was = prior[1]
        out["newly_suspended"] = g.count(g.slot, off & ~was)
        out["recovered"] = g.count(g.slot, was & ~off)
        out["suspended_before"] = g.count(g.slot, was)
    return out
