"""The month's reports and lists that a monthly extract can carry, for ``telcare run``.

From the extract's ``manager`` and ``team`` columns, the managers' book
(:func:`telcare.manager_book`); on it, the month's credit-control bulletin
(:func:`telcare.credit_bulletin`, this month's colours and suspensions against the
store's previous month) and the retention warning list of the moment scan
(:func:`telcare.retention_warning_list`, owned by each customer's manager).  The
book is keyed by extract row, not by customer id: the operations' label checks read
a text id per row in Python (12.6 s for 10^6 ids against 0.6 s for integers), and
the store writes the ids from the rows.  The reports and lists that read an action
log or weekly states are in docs/run.md.

A report is stored long: one row per level, group and measure with its value.

>>> import pandas as pd
>>> frame = pd.DataFrame({"level": ["manager"], "group": ["li"], "accounts": [3], "red_share_pct": [None]})
>>> long_rows("credit_bulletin", frame)["measure"].tolist()
['accounts', 'red_share_pct']
"""

from __future__ import annotations

from typing import Any

import numpy as np

from telcare._core.object_codes import object_slots
from telcare.operations import ManagerBook, credit_bulletin, manager_book, retention_warning_list
from telcare.policy import Policy

__all__ = ["has_text", "long_rows", "month_book", "month_reports"]

Columns = dict[str, Any]


def long_rows(report: str, frame: Any) -> Columns:
    """A report's frame (``level``, ``group``, then its measures) as long columns."""
    measures = [c for c in frame.columns if c not in ("level", "group")]
    n = len(frame)
    values = np.array(
        [[np.nan if v is None or v != v else float(v) for v in frame[m].tolist()] for m in measures],
        dtype=np.float64,
    ).T.reshape(-1) if n and measures else np.array([], np.float64)  # fmt: skip
    return {
        "report": np.full(n * len(measures), report, dtype=object),
        "level": np.repeat(np.asarray(frame["level"].tolist(), dtype=object), len(measures)),
        "group": np.repeat(np.asarray(frame["group"].tolist(), dtype=object), len(measures)),
        "measure": np.tile(np.asarray(measures, dtype=object), n),
        "value": values,
    }


def has_text(values: Any) -> bool:
    """Whether some row of a text column is not ``""``: a file's column (objects) is
    asked once per distinct object, not row by row (the first rows, first)."""
    if bool((values[:256] != "").any()):
        return True
    found = object_slots(values)
    few = values if found is None else values[found[0]]
    return bool((few != "").any())


def month_book(cols: Columns, policy: Policy) -> ManagerBook:
    """The managers' book of the extract, keyed by row; built once a month, for the
    reports here and those of :mod:`telcare.cli._run_actions`."""
    ids = np.arange(len(cols["manager"]))  # the rows: integer ids are checked at once
    teams = cols["team"] if has_text(cols["team"]) else None
    return manager_book(ids, cols["manager"], team=teams, policy=policy)


def month_reports(cols: Columns, book: ManagerBook, scan: Any, suspend: Any, colour: Any,
                  month: str, previous: tuple[Any, Any] | None, policy: Policy) -> dict[str, Columns]:  # fmt: skip
    """The ``reports`` (long) and ``warnings`` (the retention warning list) of the month
    on ``book`` (:func:`month_book`); ``previous`` is the colours and suspensions the
    store's previous month left (None for the first month).  The warning list's owner
    is each listed customer's manager in the book (the same names, without reading the
    manager column a second time)."""
    before = {} if previous is None else {"previous_colour": previous[0],
                                          "previous_suspended": previous[1]}  # fmt: skip
    bulletin = credit_bulletin(colour, suspend, book, month, **before)
    warnings = retention_warning_list(scan, np.arange(len(book)), monthly_spend=cols["bill"],
                                      policy=policy)  # fmt: skip
    managers = np.array([*book.managers, ""], dtype=object)
    listed = {
        "row": np.asarray(warnings.rows, dtype=np.int64),
        "moment": np.asarray(warnings.moment, dtype=object),
        "due_by": np.asarray(warnings.due_by).astype("datetime64[D]"),
        "overdue": np.asarray(warnings.overdue, dtype=bool),
        "value_at_risk": np.asarray(warnings.value_at_risk, dtype=np.int64),
        "owner": managers[book.manager[warnings.rows]],
    }
    return {"reports": long_rows("credit_bulletin", bulletin.to_frame()), "warnings": listed}
