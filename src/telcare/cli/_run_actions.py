"""The month's reports and lists that read the store's history and the optional files,
for ``telcare run`` (docs/run.md).

After the rules have run the month (:mod:`telcare.cli._month`), :func:`side_tables`
adds, on the managers' book of the extract (``manager``; ``team`` from ``--managers``
or the extract):

* with the action log (``--actions``): the month's ``execution_report`` and the
  weekly ``retention_indicators`` and ``callback_report`` of the month's last whole
  week (the ISO week ending on its last Sunday, :func:`last_week`), each with the
  period before, into ``reports``;
* ``retention_service``: who was a subscriber at each month's end, from the store's
  months (a customer of a month's extract whose status was not ``closed``, the
  ``closed`` table keeping those who were) and this month's;
* the service list (``service``): each customer the ``service_manager`` rule entitles
  or a manager serves, waiting since the first month the store holds the customer
  entitled (read from ``customers``, not asked of the extract);
* with the identity columns, the accounts the watch list flags (``watch``).

What is skipped is said by the reason codes of
:data:`telcare.cli._run_text.SKIP_REASONS`.  The book and the log are
keyed by extract row, as in :mod:`telcare.cli._run_reports`.

>>> from telcare._core.dates import Period
>>> last_week(Period.parse("2010-11")).label, last_week(Period.parse("2010-10")).label
('2010-W47', '2010-W43')
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from telcare._core.dates import Period
from telcare.benefits import watch_list
from telcare.cli._month import Month, days_of
from telcare.cli._run_reports import has_text, long_rows
from telcare.cli._run_schema import IDENTITY, STATUS_CODES
from telcare.cli._run_sides import Sides
from telcare.cli._store_schema import FLAGS, month_day
from telcare.operations import (
    callback_report,
    execution_report,
    manager_book,
    retention_indicators,
    retention_service,
    service_list,
)
from telcare.policy import Policy

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["LOG_REPORTS", "last_week", "side_tables"]

#: The reports read from the action log.
LOG_REPORTS = ("retention_indicators", "callback_report", "execution_report")
_CLOSED = STATUS_CODES.index("closed")


def last_week(month: Period) -> Period:
    """The month's last whole ISO week: the one ending on its last Sunday."""
    sunday = month.end - timedelta(days=month.end.isoweekday() % 7)
    return Period.containing(sunday, "week")


def _active(
    con: DuckDBPyConnection, period: Period, row_of: Any, now: Any
) -> tuple[Any, list[str]]:
    """Who was a subscriber at the end of each stored month of the 15 before ``period``
    and of ``period`` (``now``): one row per extract row, one column per month."""
    first = period.shifted(-15).label
    months = [r[0] for r in con.execute("SELECT month FROM runs WHERE month >= ? AND month < ? "
                                        "ORDER BY month", [first, period.label]).fetchall()]  # fmt: skip
    matrix = np.zeros((len(now), len(months) + 1), dtype=bool)
    for j, month in enumerate(months):
        # customer_rows, not the customers view: no join of every id (cli/_store_schema.py)
        got = con.execute("SELECT c.key FROM customer_rows c WHERE c.month = ? AND NOT EXISTS "
                          "(SELECT 1 FROM closed_rows d WHERE d.month = c.month AND d.key = "
                          "c.key)", [month_day(month)]).fetchnumpy()  # fmt: skip
        rows = row_of[np.asarray(got["key"], dtype=np.int64)]
        matrix[rows[rows >= 0], j] = True
    matrix[:, -1] = now
    return matrix, [*months, period.label]


def _entitled_since(con: DuckDBPyConnection, row_of: Any, now: Any, as_of: Any) -> Any:
    """The day each extract row was first entitled to a service manager: the evaluation
    day of the first stored month that entitled it, else this month's (NaT: never)."""
    bit = 1 << FLAGS.index("benefit_service_manager")  # customer_rows.flags
    got = con.execute("SELECT c.key, min(r.expire_on) AS since FROM customer_rows c JOIN runs r "
                      "ON c.month = CAST(r.month || '-01' AS DATE) WHERE c.flags & "
                      f"{bit} <> 0 GROUP BY c.key").fetchnumpy()  # fmt: skip
    since = np.where(now, np.datetime64(as_of, "D"), np.datetime64("NaT", "D"))
    rows = row_of[np.asarray(got["key"], dtype=np.int64)]
    days = np.asarray(got["since"]).astype("datetime64[D]")
    since[rows[rows >= 0]] = days[rows >= 0]
    return since


def _service(cols: dict[str, Any], customers: dict[str, Any], book: Any, since: Any, as_of: Any,
             policy: Policy) -> dict[str, Any]:  # fmt: skip
    sl = service_list(book, customers["tier"], customers["segment"], cols["plan_fee"],
                      cols["verification"], cols["status"], eligible_since=since, as_of=as_of,
                      policy=policy)  # fmt: skip
    on_book, waiting = sl.on_book, sl.waiting
    rows = np.flatnonzero(on_book | waiting | sl.withdraw)
    on_book, waiting, overdue = on_book[rows], waiting[rows], sl.overdue[rows]
    code = np.select([on_book, overdue, waiting], [0, 1, 2], 3)  # the listed rows only
    status = np.array(["on_book", "overdue", "waiting", "withdraw"], dtype=object)[code]
    nat = np.datetime64("NaT", "D")
    return {"row": rows, "manager": cols["manager"][rows], "status": status,
            "eligible_since": np.where(sl.eligible[rows], sl.waiting_since[rows], nat),
            "due_by": np.where(waiting, sl.due_by[rows], nat)}  # fmt: skip


def _watch(cols: dict[str, Any], policy: Policy) -> dict[str, Any] | None:
    if not any(has_text(cols[c]) for c in IDENTITY):
        return None
    flagged = watch_list(*(cols[c] for c in IDENTITY), policy=policy)
    return {"row": np.flatnonzero(flagged), "operator": cols["operator"][flagged]}


def _reports(log: Any, book: Any, active: Any, months: list[str], period: Period) -> dict[str, Any]:
    """The long rows of the reports this month can build."""
    built = {"retention_service": retention_service(active, months, book, period)}
    if log is not None:
        week = last_week(period)
        built |= {"retention_indicators": retention_indicators(log, book, week),
                  "callback_report": callback_report(log, book, week),
                  "execution_report": execution_report(log, book, period)}  # fmt: skip
    parts = [long_rows(name, report.to_frame()) for name, report in built.items()]
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def side_tables(con: DuckDBPyConnection, result: Month, cols: dict[str, Any], sides: Sides,
                key_rows: Any, period: Period, policy: Policy) -> tuple[Month, dict[str, str]]:  # fmt: skip
    """The month with its reports and lists added, and what was skipped (report or list
    -> reason code); see the module."""
    n = len(cols["manager"])
    row_of = np.full(max(int(key_rows.max()) + 1 if n else 0, _max_key(con) + 1), -1, np.int64)
    row_of[key_rows] = np.arange(n)
    customers = result.tables["customers"]
    as_of = days_of(period).expire_on
    book = result.managers  # the month's, built once (telcare.cli._run_reports.month_book)
    if book is None:
        teams = cols["team"] if has_text(cols["team"]) else None
        book = manager_book(np.arange(n), cols["manager"], team=teams, policy=policy)
    active, months = _active(con, period, row_of, cols["status"] != _CLOSED)
    since = _entitled_since(con, row_of, customers["benefit_service_manager"], as_of)
    reports = _reports(sides.log, book, active, months, period)
    stored = result.tables["reports"]
    tables = dict(result.tables)
    tables["reports"] = {k: np.concatenate([stored[k], reports[k]]) for k in stored}
    tables["service"] = _service(cols, customers, book, since, as_of, policy)
    tables["closed"] = {"row": np.flatnonzero(cols["status"] == _CLOSED)}
    watch = _watch(cols, policy)
    empty = np.array([], dtype=np.int64)
    tables["watch"] = watch or {"row": empty, "operator": np.array([], dtype=object)}
    skipped = {} if sides.log is not None else dict.fromkeys(LOG_REPORTS, "run.skipped.no_actions")
    if watch is None:
        skipped["watch_list"] = "run.skipped.no_identity"
    return attrs.evolve(result, tables=tables, managers=None), skipped  # the book is let go


def _max_key(con: DuckDBPyConnection) -> int:
    got = con.execute("SELECT max(key) FROM members").fetchall()[0][0]
    return -1 if got is None else int(got)
