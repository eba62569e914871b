"""The five reports of the weekly operation (seed 001's "5个专项通报").

Each report is a table for one week or month with a row per manager, per team
and for the whole programme, built from the rules' own results: an
:class:`~telcare.ActionLog` of the base's actions, a month-by-month activity
matrix, the credit scan's warning colours.  Customers are attributed to
managers by a :class:`~telcare.ManagerBook`; customers without a manager (or a
manager without a team) have a row of their own, ``(none)``, so the manager rows
and the team rows each add up to the programme row.

=============================  ========  ====================================================
report                         period    figures
=============================  ========  ====================================================
``retention_indicators``       week      retention actions opened, handled, on time, retained,
                                         lost, open and overdue; customers at risk
``callback_report``            week      new-subscriber callbacks due: completion, success,
                                         timeliness, authenticity, policy compliance
``retention_service``          month     month-on-month retention against the same month a
                                         year before (pp); the last three months pooled
``execution_report``           any       every action due: done on time, late, still open,
                                         overdue; open at the end
``credit_bulletin``            any       accounts at each warning level, suspended, newly
                                         suspended, recovered
=============================  ========  ====================================================

Every rate is a :class:`~telcare.Rate` with its counts and 95% Wilson interval,
and every report carries the previous period's report so each rate shows its
change in percentage points.  A report renders as text (``str``), Markdown,
HTML (Jupyter) and a frame, and :meth:`Report.to_dict` gives machine values.

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

import html
import math
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import bool_column, column, int_column, same_length
from telcare._core.dates import Period
from telcare._core.display import frame_from_columns
from telcare._core.errors import InvalidInput
from telcare.metrics import Rate
from telcare.operations._actionlog import ActionLog
from telcare.operations._books import ManagerBook
from telcare.policy import Moment

__all__ = [
    "REPORTS",
    "RETENTION_MOMENTS",
    "Report",
    "callback_report",
    "credit_bulletin",
    "execution_report",
    "retention_indicators",
    "retention_service",
]

#: The moments the retention reports follow.
RETENTION_MOMENTS = (
    Moment.USAGE_ANOMALY,
    Moment.CREDIT_ALERT,
    Moment.CANCELLATION_REQUEST,
    Moment.CONTRACT_EXPIRY,
)
NONE = "(none)"
I64 = npt.NDArray[np.int64]


@attrs.frozen(slots=True, eq=False)
class Report:
    """One report for one period: counts and rates per group (see the module).

    ``levels`` and ``groups`` name each row (``"manager"``, ``"team"`` or
    ``"programme"``, and the label); ``counts`` holds a column per figure;
    ``rates`` names each rate's numerator and denominator columns;
    ``changes`` names pairs of rates reported as a difference in percentage
    points (this month against the same month a year before); ``previous`` is
    the same report for the period before (``None`` inside it).
    """

    name: str
    title: str
    period: Period
    levels: tuple[str, ...]
    groups: tuple[str, ...]
    counts: Mapping[str, I64]
    rates: Mapping[str, tuple[str, str]]
    changes: Mapping[str, tuple[str, str]] = attrs.field(factory=dict)
    previous: Report | None = None

    def _index(self, group: str, level: str | None) -> int:
        for i, (lv, g) in enumerate(zip(self.levels, self.groups, strict=True)):
            if g == group and (level is None or lv == level):
                return i
        raise InvalidInput(
            f"{self.name} has no group {group!r}"
            + (f" at level {level!r}" if level else "")
            + f"; groups: {sorted(set(self.groups))}"
        )

    def count(self, name: str, group: str = "programme", *, level: str | None = None) -> int:
        """The count ``name`` of ``group`` (the programme by default)."""
        if name not in self.counts:
            raise InvalidInput(f"{self.name} has no count {name!r}; counts: {list(self.counts)}")
        return int(self.counts[name][self._index(group, level)])

    def rate(self, name: str, group: str = "programme", *, level: str | None = None) -> Rate:
        """The rate ``name`` of ``group`` as a :class:`~telcare.Rate`."""
        if name not in self.rates:
            raise InvalidInput(f"{self.name} has no rate {name!r}; rates: {list(self.rates)}")
        num, den = self.rates[name]
        i = self._index(group, level)
        return Rate(int(self.counts[num][i]), int(self.counts[den][i]))

    def change(self, name: str, group: str = "programme", *, level: str | None = None) -> float:
        """A named change in percentage points (NaN where either rate is empty)."""
        if name not in self.changes:
            raise InvalidInput(f"{self.name} has no change {name!r}; changes: {list(self.changes)}")
        a, b = self.changes[name]
        return _pp(self.rate(a, group, level=level), self.rate(b, group, level=level))

    def vs_previous(
        self, name: str, group: str = "programme", *, level: str | None = None
    ) -> float:
        """Rate ``name`` minus the previous period's, in percentage points (NaN where unknown)."""
        if self.previous is None:
            return math.nan
        try:
            before = self.previous.rate(name, group, level=level)
        except InvalidInput:
            return math.nan
        return _pp(self.rate(name, group, level=level), before)

    def only(self, rows: Any) -> Report:
        """The report restricted to the row positions ``rows`` (its previous report too).

        >>> import telcare as tc
        >>> r = tc.credit_bulletin([3], [True], tc.manager_book(["a"], ["li"]), "2010-11")
        >>> r.only([r.levels.index("programme")]).groups
        ('programme',)
        """
        keep = int_column(rows, "rows", maximum=len(self.groups) - 1)
        return Report(
            self.name, self.title, self.period, tuple(self.levels[i] for i in keep),
            tuple(self.groups[i] for i in keep), {k: v[keep] for k, v in self.counts.items()},
            self.rates, self.changes, None if self.previous is None else self.previous.only(keep),
        )  # fmt: skip

    def headline(self) -> str:
        """The programme's line: each rate with its change against the previous period
        (a rate that is only the reference of a change is left to the change)."""
        references = {b for _, b in self.changes.values()}
        parts = []
        for name in self.rates:
            if name in references:
                continue
            r = self.rate(name)
            if r.denominator == 0:
                continue
            d = self.vs_previous(name)
            parts.append(f"{name} {r.percent:.1f}%" + ("" if math.isnan(d) else f" ({d:+.1f} pp)"))
        for name in self.changes:
            c = self.change(name)
            if not math.isnan(c):
                parts.append(f"{name} {c:+.1f} pp")
        return f"{self.title} {self.period.label}: " + (", ".join(parts) or "nothing to report")

    def rows(self, level: str | None = None) -> list[dict[str, Any]]:
        """One dict of machine values per row (counts; rates as ``_pct`` with ``_ci_pct``
        pairs and ``_vs_previous_pp``; changes as ``_pp``)."""
        out = []
        for i, (lv, g) in enumerate(zip(self.levels, self.groups, strict=True)):
            if level is not None and lv != level:
                continue
            row: dict[str, Any] = {"level": lv, "group": g}
            row.update({name: int(col[i]) for name, col in self.counts.items()})
            for name in self.rates:
                r = self.rate(name, g, level=lv)
                low, high = r.ci()
                row[f"{name}_pct"] = _round(r.percent)
                row[f"{name}_ci_pct"] = [_round(low * 100), _round(high * 100)]
                row[f"{name}_vs_previous_pp"] = _round(self.vs_previous(name, g, level=lv))
            for name in self.changes:
                row[f"{name}_pp"] = _round(self.change(name, g, level=lv))
            out.append(row)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready values: name, period and :meth:`rows`."""
        return {
            "name": self.name, "title": self.title,
            "period": {"label": self.period.label, "start": self.period.start.isoformat(),
                       "end": self.period.end.isoformat()},
            "previous": None if self.previous is None else self.previous.period.label,
            "rows": self.rows(),
        }  # fmt: skip

    def to_frame(self) -> Any:
        """One row per group (pandas must be installed); intervals as ``_low_pct``/``_high_pct``."""
        rows = self.rows()
        columns: dict[str, list[Any]] = {}
        for row in rows:
            for key, value in row.items():
                if key.endswith("_ci_pct"):
                    stem = key[: -len("_ci_pct")]
                    columns.setdefault(f"{stem}_low_pct", []).append(value[0])
                    columns.setdefault(f"{stem}_high_pct", []).append(value[1])
                else:
                    columns.setdefault(key, []).append(value)
        return frame_from_columns(columns)

    def _table(self) -> tuple[list[str], list[list[str]]]:
        header = ["level", "group", *self.counts, *self.rates, *self.changes]
        body = []
        for i, (lv, g) in enumerate(zip(self.levels, self.groups, strict=True)):
            cells = [lv, g, *(f"{int(col[i]):,}" for col in self.counts.values())]
            for name in self.rates:
                r = self.rate(name, g, level=lv)
                d = self.vs_previous(name, g, level=lv)
                cells.append(str(r) + ("" if math.isnan(d) else f" {d:+.1f} pp"))
            for name in self.changes:
                c = self.change(name, g, level=lv)
                cells.append("n/a" if math.isnan(c) else f"{c:+.2f} pp")
            body.append(cells)
        return header, body

    def _caption(self) -> str:
        p = self.period
        before = "" if self.previous is None else f"; changes against {self.previous.period.label}"
        return f"{self.title}, {p.kind} {p.label} ({p.start} to {p.end}){before}"

    def __str__(self) -> str:
        header, body = self._table()
        widths = [max(len(r[j]) for r in [header, *body]) for j in range(len(header))]
        lines = [self._caption()]
        for r in [header, *body]:
            lines.append("  ".join(c.ljust(w) if j < 2 else c.rjust(w)
                                   for j, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip())  # fmt: skip
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """The report as a Markdown table under its caption."""
        header, body = self._table()
        lines = [f"**{self._caption()}**", "", "| " + " | ".join(header) + " |",
                 "|" + "|".join(["---", "---"] + ["---:"] * (len(header) - 2)) + "|"]  # fmt: skip
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in body]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        header, body = self._table()
        head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
        rows = "".join(
            "<tr>" + "".join(
                f"<td style='text-align:{'left' if j < 2 else 'right'}'>{html.escape(c)}</td>"
                for j, c in enumerate(r)) + "</tr>"
            for r in body
        )  # fmt: skip
        return (
            f"<table><caption>{html.escape(self._caption())}</caption><tr>{head}</tr>{rows}</table>"
        )


def _round(x: float) -> float | None:
    return None if math.isnan(x) else round(x, 4)


def _pp(a: Rate, b: Rate) -> float:
    if a.denominator == 0 or b.denominator == 0:
        return math.nan
    return (a.value - b.value) * 100


class _Grouping:
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


def _book(book: Any) -> ManagerBook:
    if not isinstance(book, ManagerBook):
        raise InvalidInput(f"a report needs a ManagerBook, got {type(book).__name__}")
    return book


def _log(log: Any, book: ManagerBook) -> ActionLog:
    if not isinstance(log, ActionLog):
        raise InvalidInput(f"a report needs an ActionLog, got {type(log).__name__}")
    if len(log) and int(log.row.max()) >= len(book):
        i = int(np.argmax(log.row >= len(book)))
        raise InvalidInput(
            f"the log's action {i} names customer row {int(log.row[i])}, beyond the book's {len(book)} customers"
        )
    return log


def _period(value: Any, kind: str | None = None) -> Period:
    period = Period.parse(value)
    if kind is not None and period.kind != kind:
        raise InvalidInput(f"this report is {kind}ly, got the {period.kind} {period.label}")
    return period


Counter = Callable[[Period], dict[str, I64]]


def _report(
    name: str,
    title: str,
    period: Period,
    grouping: _Grouping,
    counter: Counter,
    rates: dict[str, tuple[str, str]],
    changes: dict[str, tuple[str, str]] | None = None,
    *,
    previous: bool = True,
) -> Report:
    before = None
    if previous:
        before = _report(name, title, period.previous(), grouping, counter, rates, changes,
                         previous=False)  # fmt: skip
    return Report(name, title, period, grouping.levels, grouping.groups, counter(period), rates,
                  changes or {}, before)  # fmt: skip


def _days(period: Period) -> tuple[np.datetime64, np.datetime64]:
    return np.datetime64(period.start, "D"), np.datetime64(period.end, "D")


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
    book = _book(book)
    log = _log(log, book)
    period = _period(week, "week")
    g = _Grouping(book)
    watched = log.of_moments(RETENTION_MOMENTS)
    slots = g.slot[log.row]
    retained, lost = log.with_outcome("retained"), log.with_outcome("lost")

    def counter(p: Period) -> dict[str, I64]:
        start, end = _days(p)
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
    return _report("retention_indicators", "Retention key indicators", period, g, counter, rates)


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
    book = _book(book)
    log = _log(log, book)
    period = _period(week, "week")
    g = _Grouping(book)
    callbacks = log.of_moments([Moment.NEW_SUBSCRIBER_CALLBACK])
    slots = g.slot[log.row]
    genuine = log.with_outcome("genuine")
    reached = genuine | log.with_outcome("reached")

    def counter(p: Period) -> dict[str, I64]:
        start, end = _days(p)
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
    return _report("callback_report", "New-subscriber callbacks", period, g, counter, rates)


def retention_service(active: Any, months: Any, book: ManagerBook, month: Any) -> Report:
    """Retention service for a month (monthly): month-on-month retention per group.

    ``active`` is a boolean matrix, one row per customer of ``book`` and one
    column per month, labelled by ``months`` (``"2010-11"`` or a date in the
    month, oldest first, consecutive): whether the customer was a subscriber at
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
    book = _book(book)
    period = _period(month, "month")
    matrix = column(active, "active", ndim=2)
    if matrix.dtype != np.bool_:
        if matrix.dtype.kind not in "iu" or ((matrix != 0) & (matrix != 1)).any():
            raise InvalidInput(f"active must hold booleans, got dtype {matrix.dtype}")
        matrix = matrix.astype(bool)
    labels = [Period.containing(Period.parse(m).start if isinstance(m, str) else m, "month")
              for m in column(months, "months").tolist()]  # fmt: skip
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
    index = {p.label: i for i, p in enumerate(labels)}
    g = _Grouping(book)

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

    rates = {"retention": ("retained", "base"),
             "retention_year_before": ("retained_year_before", "base_year_before"),
             "retention_3": ("retained_3", "base_3"),
             "retention_3_year_before": ("retained_3_year_before", "base_3_year_before")}  # fmt: skip
    changes = {"retention_pp": ("retention", "retention_year_before"),
               "retention_3_pp": ("retention_3", "retention_3_year_before")}  # fmt: skip
    return _report("retention_service", "Retention service", period, g, counter, rates, changes)


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
    book = _book(book)
    log = _log(log, book)
    p0 = _period(period)
    g = _Grouping(book)
    slots = g.slot[log.row]

    def counter(p: Period) -> dict[str, I64]:
        start, end = _days(p)
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

    return _report("execution_report", "Service-manager execution", p0, g, counter,
                   {"on_time": ("on_time", "due")})  # fmt: skip


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
    book = _book(book)
    p0 = _period(period)
    now = (int_column(colour, "colour", maximum=3), bool_column(suspended, "suspended"))
    same_length(book=book.ids, colour=now[0], suspended=now[1])
    if (previous_colour is None) != (previous_suspended is None):
        raise InvalidInput("give previous_colour and previous_suspended together")
    before = None
    if previous_colour is not None:
        before = (int_column(previous_colour, "previous_colour", maximum=3),
                  bool_column(previous_suspended, "previous_suspended"))  # fmt: skip
        same_length(book=book.ids, previous_colour=before[0], previous_suspended=before[1])
    g = _Grouping(book)

    def counts(
        state: tuple[npt.NDArray[Any], ...], prior: tuple[npt.NDArray[Any], ...] | None
    ) -> dict[str, I64]:
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

    rates = {"red_share": ("red", "accounts")}
    prev = None
    if before is not None:
        # the period before is known only at its end: no flows into it
        prev = Report("credit_bulletin", "Credit-control warning bulletin", p0.previous(), g.levels,
                      g.groups, counts(before, None), dict(rates))  # fmt: skip
        rates["recovery"] = ("recovered", "suspended_before")
    return Report("credit_bulletin", "Credit-control warning bulletin", p0, g.levels, g.groups,
                  counts(now, before), rates, {}, prev)  # fmt: skip


#: The five reports by name, as ``python -m telcare report NAME`` knows them.
REPORTS = {
    "retention_indicators": retention_indicators,
    "callback_report": callback_report,
    "retention_service": retention_service,
    "execution_report": execution_report,
    "credit_bulletin": credit_bulletin,
}
