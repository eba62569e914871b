"""What the five reports share: a book's grouping into managers, teams and the
programme, the checks of their inputs, and a report built with the one before.

Customers without a manager (or a manager without a team) are counted in a row
of their own, ``(none)`` (a name no manager or team may have), so the manager rows
and the team rows each add up to the programme row.

>>> import numpy as np
>>> import telcare as tc
>>> g = Grouping(tc.manager_book(["a", "b", "c"], ["li", "", "li"], team=["north", "", "north"]))
>>> g.groups, g.count(g.slot).tolist()
(('li', '(none)', 'north', '(none)', 'programme'), [2, 1, 2, 1, 3])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.checks import code, instance, int_column, mapping, one_of, text
from telcare._core.dates import Period
from telcare._core.errors import InvalidInput
from telcare.operations._actionlog import ActionLog
from telcare.operations._books import ManagerBook
from telcare.operations._labels import NONE, no_bools
from telcare.operations._report import I64, Report

__all__ = ["NONE", "Counter", "Grouping", "checked_book", "checked_log", "checked_period",
           "day_bounds", "grouped_report", "with_previous"]  # fmt: skip


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
    return instance(book, ManagerBook, "a report needs a ManagerBook, got {got}")


def checked_log(log: Any, book: ManagerBook) -> ActionLog:
    """``log`` if it is an :class:`~telcare.ActionLog` of the customers of ``book``."""
    checked = instance(log, ActionLog, "a report needs an ActionLog, got {got}")
    if len(checked) and int(checked.row.max()) >= len(book):
        i = int(np.argmax(checked.row >= len(book)))
        raise InvalidInput(
            f"the log's action {i} names customer row {int(checked.row[i])}, beyond the book's {len(book)} customers"
        )
    return checked


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


def grouped_report(
    name: str,
    title: str,
    book: ManagerBook,
    period: Any,
    counter: Callable[[Period], Mapping[str, Any]],
    rates: Mapping[str, tuple[str, str]],
    changes: Mapping[str, tuple[str, str]] | None = None,
    *,
    kind: str | None = None,
) -> Report:
    """A report of your own with the five reports' rows: per manager, team and programme.

    ``counter`` gives, for a period, each figure as the customer rows (of
    ``book``) of the things it counts, a row once per thing: ``log.row[mask]``
    for actions, ``np.flatnonzero(mask)`` for customers.  It runs for ``period``
    and for the period before, which the report carries.  ``rates`` name each
    rate's numerator and denominator figures, ``changes`` pairs of rates shown
    as a difference in percentage points; ``kind`` (``"week"``, ``"month"``)
    refuses a period of the other kind.

    >>> import numpy as np
    >>> import telcare as tc
    >>> book = tc.manager_book(["a", "b", "c"], ["li", "li", ""])
    >>> vip = np.array([True, False, True])
    >>> r = tc.grouped_report("vip", "VIP share", book, "2010-11",
    ...                       lambda p: {"vip": np.flatnonzero(vip), "all": np.arange(3)},
    ...                       {"vip_share": ("vip", "all")})
    >>> r.count("vip", "li"), r.count("vip", "(none)", level="manager"), str(r.rate("vip_share"))
    (1, 1, '66.67% [20.8, 93.9]')
    """
    name, title = text(name, "name"), text(title, "title")
    book = checked_book(book)
    if kind is not None:  # a str first: ``in`` on an array asks for its truth value
        one_of(kind if isinstance(kind, str) else repr(kind), "kind", options=("week", "month"))
    if not callable(counter):
        raise InvalidInput(f"counter must be callable, got {type(counter).__name__}")
    rates, changes = _pairs(rates, "rates"), _pairs({} if changes is None else changes, "changes")
    g = Grouping(book)
    last = len(book) - 1

    taken = _output_keys(rates, changes)
    seen: list[tuple[str, ...]] = []
    _check_names(name, rates, changes, None)

    def counts(p: Period) -> dict[str, I64]:
        figures = _figures(name, counter(p), p, taken, seen)
        return {
            f: g.count(g.slot[_rows(rows, f"{name}'s {f}", last)]) for f, rows in figures.items()
        }

    now = checked_period(period, kind)
    # both periods counted (the one before first) and checked before a Report is built
    made = {p: counts(p) for p in (now.previous(), now)}
    _check_names(name, rates, changes, made[now])
    return with_previous(name, title, now, g, made.__getitem__, rates, changes)


def _rows(rows: Any, name: str, last: int) -> I64:
    """A figure's customer rows, checked against the book's rows."""
    return int_column(no_bools(rows, name), name, maximum=last)


def _figures(
    name: str, figures: object, p: Period, taken: set[str], seen: list[tuple[str, ...]]
) -> Mapping[str, Any]:
    """A counter's figures, checked: a mapping of snake_case names that no column of the
    report overwrites, the same names for every period (``seen`` holds the first's)."""
    figures = mapping(figures, f"{name}'s counter must give a mapping, got {{got}}")
    names = tuple(code(f, f"{name}'s figure name") for f in figures)
    clash = sorted(set(names) & taken)
    if clash:
        raise InvalidInput(
            f"{name}'s figures {clash} would be overwritten by the report's own columns "
            "(level, group, and each rate's _pct, _ci_pct, _vs_previous_pp and change's _pp)"
        )
    if seen and set(names) != set(seen[0]):
        raise InvalidInput(
            f"{name}'s counter gave {sorted(names)} for {p.label} but {sorted(seen[0])} for "
            "the other period: it must give the same figures for every period"
        )
    seen.append(names)
    return figures


def _output_keys(
    rates: Mapping[str, tuple[str, str]], changes: Mapping[str, tuple[str, str]]
) -> set[str]:
    """The columns a report writes besides its figures, which no figure may be named."""
    keys = {"level", "group"}
    for rate in rates:
        keys |= {rate, f"{rate}_pct", f"{rate}_ci_pct", f"{rate}_vs_previous_pp"}
    for change in changes:
        keys |= {change, f"{change}_pp"}
    return keys


def _check_names(
    name: str,
    rates: Mapping[str, tuple[str, str]],
    changes: Mapping[str, tuple[str, str]],
    figures: Mapping[str, Any] | None,
) -> None:
    """The changes name rates; the rates name figures the counter gave (once it has)."""
    unknown = sorted({r for pair in changes.values() for r in pair} - set(rates))
    if unknown:
        raise InvalidInput(f"{name}'s changes name rates it does not have: {unknown}")
    missing = sorted({f for pair in rates.values() for f in pair} - set(figures or {}))
    if figures is not None and missing:
        raise InvalidInput(f"{name}'s rates name figures its counter does not give: {missing}")


def _pairs(value: Any, name: str) -> dict[str, tuple[str, str]]:
    """``value`` as a dict of names to pairs of names (a rate's figures, a change's rates)."""
    value = mapping(value, f"{name} must be a mapping of names to pairs, got {{got}}")
    out = {}
    for key, pair in value.items():
        if not (isinstance(key, str) and isinstance(pair, tuple) and len(pair) == 2
                and all(isinstance(p, str) for p in pair)):  # fmt: skip
            raise InvalidInput(f"{name}[{key!r}] must be a pair of names, got {pair!r}")
        out[key] = (pair[0], pair[1])
    return out
