"""What the five reports share: a book's grouping into managers, teams and the
programme, the checks of their inputs, and a report built with the one before.

Customers without a manager (or a manager without a team) are counted in a row
of their own, ``(none)``, so the manager rows and the team rows each add up to
the programme row.

>>> import numpy as np
>>> import telcare as tc
>>> g = Grouping(tc.manager_book(["a", "b", "c"], ["li", "", "li"], team=["north", "", "north"]))
>>> g.groups, g.count(g.slot).tolist()
(('li', '(none)', 'north', '(none)', 'programme'), [2, 1, 2, 1, 3])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.dates import Period
from telcare._core.errors import InvalidInput
from telcare.operations._actionlog import ActionLog
from telcare.operations._books import ManagerBook
from telcare.operations._report import I64, Report

__all__ = ["NONE", "Counter", "Grouping", "checked_book", "checked_log", "checked_period",
           "day_bounds", "with_previous"]  # fmt: skip

#: The label of the customers without a manager (or the managers without a team).
NONE = "(none)"


class Grouping:
    """Attribute rows to managers, teams and the programme, and count by them."""

    def __init__(self, book: ManagerBook) -> None:
        self.book = book
        k, t = len(book.managers), len(book.teams)
        self.k = k
        self.slot = np.where(book.manager < 0, k, book.manager)  # per customer, 0..k
        self.team_slot = np.append(
            np.where(book.team_of < 0, t, book.team_of), t
        )  # per manager slot
        self.t = t
        self.levels = ("manager",) * (k + 1) + ("team",) * (t + 1) + ("programme",)
        self.groups = (*book.managers, NONE, *book.teams, NONE, "programme")

    def count(self, slots: I64, mask: npt.NDArray[np.bool_] | None = None) -> I64:
        """Counts per group of the rows ``slots`` (manager slot per row) where ``mask``."""
        picked = slots if mask is None else slots[mask]
        per_manager = np.bincount(picked, minlength=self.k + 1)
        per_team = np.bincount(self.team_slot, weights=per_manager, minlength=self.t + 1)
        out: I64 = np.concatenate(
            [per_manager, per_team.astype(np.int64), [per_manager.sum()]]
        ).astype(np.int64)
        return out


def checked_book(book: Any) -> ManagerBook:
    """``book`` if it is a :class:`~telcare.ManagerBook`."""
    if not isinstance(book, ManagerBook):
        raise InvalidInput(f"a report needs a ManagerBook, got {type(book).__name__}")
    return book


def checked_log(log: Any, book: ManagerBook) -> ActionLog:
    """``log`` if it is an :class:`~telcare.ActionLog` of the customers of ``book``."""
    if not isinstance(log, ActionLog):
        raise InvalidInput(f"a report needs an ActionLog, got {type(log).__name__}")
    if len(log) and int(log.row.max()) >= len(book):
        i = int(np.argmax(log.row >= len(book)))
        raise InvalidInput(
            f"the log's action {i} names customer row {int(log.row[i])}, beyond the book's {len(book)} customers"
        )
    return log


def checked_period(value: Any, kind: str | None = None) -> Period:
    """``value`` as a :class:`~telcare.Period`, of ``kind`` (``"week"``, ``"month"``) if given."""
    period = Period.parse(value)
    if kind is not None and period.kind != kind:
        raise InvalidInput(f"this report is {kind}ly, got the {period.kind} {period.label}")
    return period


#: Counts per group of a period, by figure.
Counter = Callable[[Period], dict[str, I64]]


def with_previous(
    name: str,
    title: str,
    period: Period,
    grouping: Grouping,
    counter: Counter,
    rates: dict[str, tuple[str, str]],
    changes: dict[str, tuple[str, str]] | None = None,
    *,
    previous: bool = True,
) -> Report:
    """The report of ``period`` from ``counter``, carrying the one of the period before."""
    before = None
    if previous:
        before = with_previous(name, title, period.previous(), grouping, counter, rates, changes,
                         previous=False)  # fmt: skip
    return Report(name, title, period, grouping.levels, grouping.groups, counter(period), rates,
                  changes or {}, before)  # fmt: skip


def day_bounds(period: Period) -> tuple[np.datetime64, np.datetime64]:
    """The first and last day of ``period`` as numpy days."""
    return np.datetime64(period.start, "D"), np.datetime64(period.end, "D")
