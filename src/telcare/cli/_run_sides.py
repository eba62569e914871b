"""Reading the optional files beside the extract (``--actions``, ``--managers``,
``--events``).

Each file is loaded as text and checked by the extract's own functions
(:func:`~telcare.cli._extract.load_raw`, :func:`~telcare.cli._extract.checked_columns`:
the same kinds, bounds and messages), then by what ties it to the month: an action's
customer must be one of the extract, its days in order and not after the month; a
manager is named once.  Every bad value of every file is collected before anything
is written (:class:`~telcare.cli._extract.ExtractRefused`).  A clean action log
becomes an :class:`~telcare.ActionLog` over the extract's rows, built from integer
codes (no Python string per action); the managers' teams replace the extract's
``team`` column; the events (:mod:`telcare.cli._run_events`: their kinds' fields, the
instant's offset, not after the month in the policy's time zone) become ``telcare``
event values.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from telcare._core.errors import InvalidInput
from telcare.cli._extract import (
    BadRow,
    ExtractRefused,
    checked_columns,
    fetch_bad,
    load_raw,
    quote,
)
from telcare.cli._run_events import EventFile, event_rows, events_of, unknown_customers
from telcare.cli._run_read import Extract
from telcare.cli._run_side_schema import MOMENT_CODES, SIDES
from telcare.operations import ActionLog
from telcare.policy import Policy

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["SideFiles", "Sides", "read_sides"]


@attrs.frozen(slots=True)
class SideFiles:
    """The optional files given to a run (None: not given)."""

    actions: str | None = None
    managers: str | None = None
    events: str | None = None

    def given(self) -> dict[str, str]:
        """The files given, by name (``actions``, ``managers``, ``events``)."""
        named = (("actions", self.actions), ("managers", self.managers), ("events", self.events))
        return {k: v for k, v in named if v}

    def digest(self) -> bytes | None:
        """The SHA-256 of the files given (each name, then its bytes); None where one cannot
        be read (the reading names the problem)."""
        h = hashlib.sha256()
        try:
            for name, path in self.given().items():
                h.update(name.encode() + b"\x00")
                with open(path, "rb") as f:
                    while chunk := f.read(1 << 22):
                        h.update(chunk)
        except OSError:
            return None
        return h.digest()


@attrs.frozen(slots=True, eq=False)
class Sides:
    """What the optional files add to the month: the action log over the extract's rows
    (None without ``--actions``), whether the teams came from ``--managers`` and the
    events (None without ``--events``)."""

    log: ActionLog | None = None
    teams_given: bool = False
    events: EventFile | None = None


def _action_rows(con: DuckDBPyConnection, source: str, last_day: str) -> list[BadRow]:
    """The action log's rows bad across columns or against the extract."""
    names = set(con.sql("SELECT * FROM raw").columns)
    bad = unknown_customers(con, source)
    for day in ("opened_on", "closed_on"):
        if day in names:
            bad += fetch_bad(con, f"""SELECT _row, {day} FROM raw WHERE TRY_CAST({day} AS DATE)
                > DATE '{last_day}' ORDER BY _row""", source, day,
                f"is after the month's last day {last_day}")  # fmt: skip
    for day in ("due_by", "closed_on"):
        if day in names:
            bad += fetch_bad(con, f"""SELECT _row, {day} FROM raw WHERE TRY_CAST({day} AS DATE)
                < TRY_CAST(opened_on AS DATE) ORDER BY _row""", source, day,
                "is before the row's opened_on")  # fmt: skip
    return bad


def _manager_rows(con: DuckDBPyConnection, source: str) -> list[BadRow]:
    """A manager named twice, or a name that is the reports' row of no manager."""
    bad = fetch_bad(con, """SELECT _row, manager FROM (SELECT _row, manager, row_number() OVER
        (PARTITION BY trim(manager) ORDER BY _row) AS k FROM raw WHERE trim(manager) <> '')
        WHERE k > 1 ORDER BY _row""", source, "manager", "repeats a manager of an earlier row")  # fmt: skip
    for name in ("manager", "team"):
        bad += fetch_bad(con, f"SELECT _row, {name} FROM raw WHERE trim({name}) = '(none)' "
                         "ORDER BY _row", source, name,
                         "is the reports' row of no one, not a name")  # fmt: skip
    return bad


def _log(con: DuckDBPyConnection, policy: Policy) -> ActionLog:
    """The clean action log as an :class:`ActionLog` over the extract's rows."""
    names = set(con.sql("SELECT * FROM raw").columns)

    def text(name: str) -> str:
        return f"COALESCE(NULLIF(trim({name}), ''), '')" if name in names else "''"

    outcomes = sorted(r[0] for r in con.execute(f"SELECT DISTINCT {text('outcome')} FROM raw")
                      .fetchall() if r[0] != "")  # fmt: skip
    moments = "[" + ", ".join(map(quote, MOMENT_CODES)) + "]"
    listed = "[" + ", ".join(map(quote, outcomes)) + "]"
    closed = "TRY_CAST(NULLIF(trim(closed_on), '') AS DATE)" if "closed_on" in names else "NULL"
    compliant = ("COALESCE(lower(NULLIF(trim(compliant), '')) IN ('true', '1'), true)"
                 if "compliant" in names else "true")  # fmt: skip
    got = con.execute(f"""SELECT e.pos AS row,
        CAST(list_position({moments}, trim(moment)) - 1 AS SMALLINT) AS moment,
        CAST(trim(opened_on) AS DATE) AS opened_on, CAST(trim(due_by) AS DATE) AS due_by,
        CAST({closed} AS DATE) AS closed_on,
        CAST(COALESCE(list_position({listed}, {text('outcome')}), 0) - 1 AS SMALLINT) AS outcome,
        {compliant} AS compliant
        FROM raw r JOIN telcare_ids e ON e.customer_id = trim(r.customer_id) ORDER BY _row""")  # fmt: skip
    cols = got.fetchnumpy()

    def day(name: str) -> Any:
        return np.ma.filled(cols[name], np.datetime64("NaT", "D")).astype("datetime64[D]")

    return ActionLog(
        np.asarray(cols["row"], dtype=np.int64), np.asarray(cols["moment"], dtype=np.int16),
        MOMENT_CODES, day("opened_on"), day("due_by"), day("closed_on"),
        np.asarray(cols["outcome"], dtype=np.int16), tuple(outcomes),
        np.asarray(cols["compliant"], dtype=bool) if "compliant" in names else None,
        policy.timezone,
    )  # fmt: skip


def _teams(con: DuckDBPyConnection, manager: Any) -> Any:
    """Each extract row's team from the managers' file (``""`` for a manager it lacks)."""
    got = con.execute("SELECT trim(manager), trim(team) FROM raw ORDER BY 1").fetchall()
    names = np.asarray([r[0] for r in got] or [""], dtype=object)
    teams = np.asarray([r[1] for r in got] or [""], dtype=object)
    labels, codes = np.unique(np.asarray(manager, dtype=object), return_inverse=True)
    at = np.minimum(np.searchsorted(names, labels), len(names) - 1)
    found = (names[at] == labels) & (labels != "")
    return np.where(found, teams[at], "").astype(object)[codes]


def read_sides(
    extract: Extract, files: SideFiles, policy: Policy, last_day: str
) -> tuple[Extract, Sides]:
    """The extract (its ``team`` from ``--managers`` where given) and the checked optional
    files, or :class:`ExtractRefused` naming every bad value of every file."""
    import duckdb

    given = files.given()
    if not given:
        return extract, Sides()
    con = duckdb.connect(":memory:")
    try:
        import pyarrow as pa

        con.register("telcare_ids", pa.table({"customer_id": extract.ids,
                                              "pos": np.arange(len(extract))}))  # fmt: skip
        bad: list[BadRow] = []
        log, teams, events = None, None, None
        for name, path in given.items():
            option, columns, _ = SIDES[name]
            load_raw(con, path, option, columns)
            found = checked_columns(con, path, columns, policy, _WHAT[name])
            if not found or found[0].row > 0:
                found += _cross_rows(con, name, path, last_day, policy)
            if found:
                bad += sorted(found, key=lambda b: (b.row, b.column))
            elif name == "actions":
                log = _log(con, policy)
            elif name == "events":
                events = events_of(con, path, policy)
            else:
                teams = _teams(con, extract.columns["manager"])
        if bad:
            raise ExtractRefused(", ".join(dict.fromkeys(b.file for b in bad)), bad)
    except duckdb.Error as exc:  # pragma: no cover - load_raw names an unreadable file
        raise InvalidInput(f"cannot read the optional files: {exc}") from None
    finally:
        con.close()
    if teams is not None:
        extract = attrs.evolve(extract, columns={**extract.columns, "team": teams})
    return extract, Sides(log, teams is not None, events)


#: How a refusal names each optional file.
_WHAT = {"actions": "the action log", "managers": "the managers' file", "events": "the events file"}


def _cross_rows(con: DuckDBPyConnection, name: str, source: str, last_day: str,
                policy: Policy) -> list[BadRow]:  # fmt: skip
    """The rows of the optional file ``name`` bad across columns or against the extract."""
    if name == "actions":
        return _action_rows(con, source, last_day)
    if name == "events":
        return event_rows(con, source, last_day, policy.timezone)
    return _manager_rows(con, source)
