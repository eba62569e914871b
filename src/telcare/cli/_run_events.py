"""Reading the events file of ``telcare run --events FILE`` (docs/run.md).

The file is loaded and its columns checked like the other optional files
(:mod:`telcare.cli._run_sides`: :func:`~telcare.cli._extract.checked_columns`, the
same kinds, bounds and messages); :func:`event_rows` then names what ties a row to its
kind and to the month: a customer not of the extract, an ``at`` that is not an instant
with its UTC offset, a field the row's kind needs and lacks or does not take, a
contact with neither moment nor project, and an event after the month's last day in
the policy's time zone (the local day of the instant, not its UTC day).

A clean file becomes :class:`EventFile`: one ``telcare`` event value per row (the
classes of :data:`~telcare.cli._run_side_schema.EVENT_KINDS`, their ``at`` in the
policy's time zone) and the extract row of each.  The events are sparse (a few per
hundred customers), so they are built one by one; nothing here loops over the base.

>>> from datetime import date
>>> local_days([0, 16 * 3600 * 10**6], "Asia/Shanghai")
[datetime.date(1970, 1, 1), datetime.date(1970, 1, 2)]
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.dates import zone
from telcare._core.errors import InvalidInput
from telcare._core.limits import MIN_DATE
from telcare.cli._extract import BadRow, ExtractRefused, fetch_bad, quote
from telcare.cli._run_side_schema import EVENT_COLUMNS, EVENT_KINDS
from telcare.moments import Event
from telcare.policy import Policy

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["AT_WHY", "EventFile", "event_rows", "events_of", "local_days"]

#: An ``at`` that is not an ISO 8601 instant with its offset (a naive time is refused:
#: its day would depend on a time zone the file does not say).
AT_WHY = "is not a time written YYYY-MM-DDTHH:MM[:SS] with its UTC offset (+08:00 or Z)"
_AT = r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)"
_INSTANT = 'TRY_CAST(trim("at") AS TIMESTAMPTZ)'
_KIND = 'trim("event")'
#: The per-kind fields: every column but the three every row has.
FIELDS = tuple(c for c in EVENT_COLUMNS if c.name not in ("customer_id", "event", "at"))
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@attrs.frozen(slots=True, eq=False)
class EventFile:
    """The checked events: each row's extract row and its ``telcare`` event, in file order."""

    rows: npt.NDArray[np.int64]
    events: tuple[Event, ...]

    def __len__(self) -> int:
        return len(self.events)


def local_days(micros: Iterable[int], tz: str) -> list[date]:
    """The calendar day in ``tz`` of each instant (microseconds since 1970 UTC)."""
    where = zone(tz)
    return [(_EPOCH + timedelta(microseconds=int(us))).astimezone(where).date() for us in micros]


def _listed(name: str, takes: bool) -> str:
    """The SQL list of the kinds that need the field ``name`` (or, ``takes``, may have it)."""
    found = [k for k, kind in EVENT_KINDS.items()
             if name in kind.needs or (takes and name in kind.may)]  # fmt: skip
    return ", ".join(map(quote, found))


def _field_rows(con: DuckDBPyConnection, source: str, names: set[str]) -> list[BadRow]:
    """A field the row's kind needs and lacks, or one it does not take."""
    bad: list[BadRow] = []
    empty = "({v} IS NULL OR trim({v}) = '')"
    for col in FIELDS:
        v = f'"{col.name}"'
        needs, takes = _listed(col.name, False), _listed(col.name, True)
        if needs:
            lacking = empty.format(v=v) if col.name in names else "true"
            bad += fetch_bad(con, f"SELECT _row, NULL FROM raw WHERE {_KIND} IN ({needs}) AND "
                             f"{lacking} ORDER BY _row", source, col.name,
                             "is empty: the row's event needs it")  # fmt: skip
        if col.name in names:
            bad += fetch_bad(con, f"""SELECT _row, {v} FROM raw WHERE NOT {empty.format(v=v)}
                AND {_KIND} NOT IN ({takes}) ORDER BY _row""", source, col.name,
                "is not a field of the row's event: leave it empty")  # fmt: skip
    present = [f'"{n}"' for n in ("moment", "project") if n in names]
    filled = " OR ".join(f"NOT {empty.format(v=v)}" for v in present) or "false"
    bad += fetch_bad(con, f"""SELECT _row, NULL FROM raw WHERE {_KIND} = 'contact_made'
        AND NOT ({filled}) ORDER BY _row""", source, "moment",
        "is empty: a contact needs a moment or a project")  # fmt: skip
    return bad


def event_rows(con: DuckDBPyConnection, source: str, last_day: str, tz: str) -> list[BadRow]:
    """The events file's rows bad across columns or against the extract and the month
    (``raw`` holds the file, ``telcare_ids`` the extract's ids)."""
    names = {n for n in con.sql("SELECT * FROM raw").columns if n != "_row"}
    bad = unknown_customers(con, source)
    bad += fetch_bad(con, f"""SELECT _row, "at" FROM raw WHERE trim("at") <> '' AND (NOT
        regexp_full_match(trim("at"), '{_AT}') OR {_INSTANT} IS NULL) ORDER BY _row""",
        source, "at", AT_WHY)  # fmt: skip
    timed = con.execute(f"""SELECT _row, "at", epoch_us({_INSTANT}) FROM raw WHERE
        regexp_full_match(trim("at"), '{_AT}') AND {_INSTANT} IS NOT NULL ORDER BY _row""").fetchall()  # fmt: skip
    last = date.fromisoformat(last_day)
    for (row, value, _), day in zip(timed, local_days((t[2] for t in timed), tz), strict=True):
        if day > last:
            why = f"is after the month's last day {last_day}"
            bad.append(BadRow(source, "at", int(row), value, why))
        elif day < MIN_DATE:
            bad.append(BadRow(source, "at", int(row), value, AT_WHY))
    return bad + _field_rows(con, source, names)


def unknown_customers(con: DuckDBPyConnection, source: str) -> list[BadRow]:
    """The rows of ``raw`` whose ``customer_id`` is not one of ``telcare_ids``."""
    return fetch_bad(con, """SELECT _row, customer_id FROM raw r WHERE trim(customer_id) <> ''
        AND NOT EXISTS (SELECT 1 FROM telcare_ids e WHERE e.customer_id = trim(r.customer_id))
        ORDER BY _row""", source, "customer_id", "is not a customer of the month's extract")  # fmt: skip


def _typed(name: str, names: set[str]) -> str:
    """A field's typed value (NULL where empty or absent)."""
    kind = next(c.kind for c in FIELDS if c.name == name)
    if name not in names:
        return "NULL"
    v = f"NULLIF(trim(\"{name}\"), '')"
    cast = {"int": "BIGINT", "date": "DATE", "share": "DOUBLE"}.get(kind)
    if kind == "flag":
        return f"lower({v}) IN ('true', '1')"
    return f"CAST({v} AS {cast})" if cast else v


def events_of(con: DuckDBPyConnection, source: str, policy: Policy) -> EventFile:
    """The clean events file as :class:`EventFile` (``at`` in the policy's time zone)."""
    names = {n for n in con.sql("SELECT * FROM raw").columns if n != "_row"}
    fields = ", ".join(f'{_typed(c.name, names)} AS "{c.name}"' for c in FIELDS)
    got = con.execute(f"""SELECT r._row, e.pos, e.customer_id, trim(r."event"), epoch_us({_INSTANT}),
        {fields} FROM raw r JOIN telcare_ids e ON e.customer_id = trim(r.customer_id)
        ORDER BY r._row""").fetchall()  # fmt: skip
    where = zone(policy.timezone)
    events: list[Event] = []
    bad: list[BadRow] = []
    for row, _, customer, code, micros, *values in got:
        kind = EVENT_KINDS[code]
        given = {c.name: v for c, v in zip(FIELDS, values, strict=True) if v is not None}
        at = (_EPOCH + timedelta(microseconds=micros)).astimezone(where)
        try:
            events.append(kind.event(customer, at, **{k: given[k] for k in (*kind.needs, *kind.may)
                                                      if k in given}))  # fmt: skip
        except InvalidInput as exc:  # the checks above should leave none: named all the same
            bad.append(BadRow(source, "event", int(row), code, f"cannot be built: {exc}"))
    if bad:
        raise ExtractRefused(source, bad)
    rows = np.fromiter((r[1] for r in got), dtype=np.int64, count=len(got))
    return EventFile(rows, tuple(events))
