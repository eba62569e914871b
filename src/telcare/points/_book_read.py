"""The points book's columns read back (:func:`~telcare.book_from_columns`): what each
column's name says and the checks of its values, each refused by name.

A lot is ``lot_YYYY_MM_DD`` (its expiry, 30 Nov), with ``reversible_YYYY_MM_DD``;
points waiting to be released (``points.pending_days``) are
``pending_YYYY_MM_DD_lot_YYYY_MM_DD``: the release day, then the lot they are in, as
the book keeps them (by release day and lot: under a schedule two lots may share a
release day).

>>> from datetime import date
>>> pending_column(date(2010, 2, 10), date(2011, 11, 30))
'pending_2010_02_10_lot_2011_11_30'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import numpy as np

from telcare._core.checks import int_column, integer, mapping, same_length
from telcare._core.errors import InvalidInput
from telcare._core.frozen import FrozenDict
from telcare._core.limits import MAX_POINTS
from telcare.points._book_columns import Column, first, frozen, zeros
from telcare.points._book_pending import PendingColumns
from telcare.points._book_queries import EARNED_LIMIT
from telcare.points._postings import SOURCES

__all__ = [
    "PREFIXES",
    "column_names",
    "earned_column",
    "issued_of",
    "lot_column",
    "lot_columns",
    "pending_column",
    "pending_columns",
]

#: The prefixes of the book's columns that come in any number (one per lot or release).
PREFIXES = ("lot_", "reversible_", "pending_")
_DAY = r"(\d{4})_(\d{2})_(\d{2})"
_LOT = re.compile(rf"(lot|reversible)_{_DAY}")
_PENDING = re.compile(rf"pending_{_DAY}_lot_{_DAY}")
_PENDING_FORM = "pending_YYYY_MM_DD_lot_YYYY_MM_DD"
Who = Callable[[int], str]


def lot_column(expiry: date, kind: str = "lot") -> str:
    """The column of the lot expiring on ``expiry``: ``lot_2011_11_30``."""
    return f"{kind}_{expiry:%Y_%m_%d}"


def pending_column(release: date, expiry: date) -> str:
    """The column of the points in lot ``expiry`` released on ``release``."""
    return f"pending_{release:%Y_%m_%d}_{lot_column(expiry)}"


def column_names(columns: Any) -> list[str]:
    """The names of a mapping's or a pandas or Polars frame's columns."""
    if isinstance(columns, Mapping):
        return [str(n) for n in columns]
    names = getattr(columns, "columns", None)  # a pandas or Polars frame
    if names is None:
        raise InvalidInput(
            f"book_from_columns() needs a mapping of columns or a data frame, got "
            f"{type(columns).__name__}"
        )
    return [str(n) for n in names]


def _day(name: str, parts: tuple[str | Any, ...], form: str) -> date:
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise InvalidInput(f"column {name!r} does not name a date ({form})") from None


def _expiry(name: str, parts: tuple[str | Any, ...], form: str = "lot_YYYY_MM_DD") -> date:
    day = _day(name, parts, form)
    if (day.month, day.day) != (11, 30):
        raise InvalidInput(f"column {name!r}: a lot expires on 30 Nov, not on {day}")
    return day


def lot_columns(columns: Any, names: list[str]) -> tuple[list[date], list[Column], list[Column]]:
    """The lots (by expiry, earliest first), with what each may still give to a reversal."""
    found: dict[date, dict[str, str]] = {}
    for name in names:
        spec = _LOT.fullmatch(name)
        if spec is None:
            if name.startswith(("lot_", "reversible_")):
                raise InvalidInput(f"column {name!r} does not name a lot (lot_YYYY_MM_DD)")
            continue
        found.setdefault(_expiry(name, spec.groups()[1:]), {})[spec[1]] = name
    expiries = sorted(found)
    lots, backs = [], []
    for expiry in expiries:
        if "lot" not in found[expiry]:
            raise InvalidInput(
                f"column {found[expiry]['reversible']!r} has no {lot_column(expiry)!r}"
            )
        name = found[expiry]["lot"]
        lots.append(frozen(int_column(columns[name], name, maximum=MAX_POINTS).copy()))
        back = found[expiry].get("reversible")
        backs.append(
            lots[-1]
            if back is None
            else frozen(int_column(columns[back], back, maximum=EARNED_LIMIT).copy())
        )
    return expiries, lots, backs


def _pending_spec(name: str, expiries: list[date], last: date | None) -> tuple[date, date]:
    spec = _PENDING.fullmatch(name)
    if spec is None:
        raise InvalidInput(
            f"column {name!r} does not name a release day and a lot ({_PENDING_FORM})"
        )
    release = _day(name, spec.groups()[:3], _PENDING_FORM)
    expiry = _expiry(name, spec.groups()[3:], _PENDING_FORM)
    if expiry not in expiries:
        raise InvalidInput(
            f"column {name!r} holds points of the lot expiring {expiry}, but there is no "
            f"{lot_column(expiry)!r} column"
        )
    if last is not None and not (release > last and expiry >= last):
        raise InvalidInput(
            f"column {name!r}: points released on {release} from the lot expiring {expiry} "
            f"are no longer pending after the last posting on {last}"
        )
    return release, expiry


def pending_columns(
    columns: Any,
    names: list[str],
    lots: tuple[list[date], list[Column]],
    last: date | None,
    who: Who,
) -> PendingColumns:
    """The points waiting in each lot, by (release day, lot); none more than its lot."""
    expiries, lot_values = lots
    found: list[tuple[date, date, Column]] = []
    for name in names:
        if not name.startswith("pending_"):
            continue
        release, expiry = _pending_spec(name, expiries, last)
        values = int_column(columns[name], name, maximum=MAX_POINTS)
        lot = lot_values[expiries.index(expiry)]
        same_length(**{lot_column(expiry): lot, name: values})
        if values.any():
            found.append((release, expiry, frozen(values.copy())))
    found.sort(key=lambda entry: entry[:2])
    for expiry, lot in zip(expiries, lot_values, strict=True):
        held = sum((c for _, e, c in found if e == expiry), zeros(len(lot)))
        i = first(held > lot)
        if i is not None:
            raise InvalidInput(
                f"the pending columns of {lot_column(expiry)!r} hold {int(held[i])} points at "
                f"row {i} (customer {who(i)!r}), more than the lot's {int(lot[i])}: pending "
                "points are in their lot"
            )
    return tuple(found)


def _held(lots: list[Column], n: int, who: Who) -> Column:
    """Each customer's points in all lots: at most what one may earn over a book's life
    (checked every 1,000 lots, so the sum never leaves int64)."""
    held = np.zeros(n, dtype=np.int64)
    for k, lot in enumerate(lots, 1):
        held += lot
        if k % 1000 == 0 or k == len(lots):
            i = first(held > EARNED_LIMIT)
            if i is not None:
                raise InvalidInput(
                    f"the lot columns hold more than {EARNED_LIMIT} points in all at row {i} "
                    f"(customer {who(i)!r}): more than one customer may earn"
                )
    return held


def earned_column(lots: dict[str, Column], totals: dict[str, Column], n: int, who: Who) -> Column:
    """``earned``, given or (by default) what the accounting identity needs, per
    customer: earned - reversed = lots - debt + redeemed + expired_closed (the balance,
    redeemed and expired terms of :attr:`~telcare.LedgerSummary.balanced`; unrecovered
    points were never taken from the lots).  A given ``earned`` that breaks it is
    refused, naming the row and the terms."""
    terms = {name: totals.get(name, zeros(n)) for name in
             ("reversed", "debt", "redeemed", "expired_closed")}  # fmt: skip
    lots_total = _held(list(lots.values()), n, who)
    # each term is within 0..EARNED_LIMIT (10^18): every partial sum stays inside int64
    needed = lots_total - terms["debt"] + terms["reversed"] + terms["redeemed"]
    needed = needed + terms["expired_closed"]
    given = totals.get("earned")
    out_of_range = (needed < 0) | (needed > EARNED_LIMIT)
    i = first(out_of_range if given is None else needed != given)
    if i is None:
        return frozen(needed) if given is None else given
    shown = ", ".join(f"{k} {int(v[i])}" for k, v in {**lots, **terms}.items())
    found = f"an earned of {int(needed[i])}" if given is None else f"earned {int(given[i])}"
    raise InvalidInput(
        "the columns break the accounting identity earned - reversed = lots - debt + "
        f"redeemed + expired_closed at row {i} (customer {who(i)!r}): {found}, with {shown}"
        + (f" (earned must be 0 to {EARNED_LIMIT})" if given is None else
           f" (the identity needs earned {int(needed[i])})")
    )  # fmt: skip


def issued_of(issued: Mapping[str, int] | None) -> FrozenDict[str, int]:
    """The points issued by source, as the book keeps them."""
    if issued is None:
        return FrozenDict()
    out = {}
    given = mapping(issued, "issued must be a mapping of source to points, got {got} {value!r}")
    for source, points in given.items():
        if source not in SOURCES:
            raise InvalidInput(f"issued names source {source!r}; sources: {SOURCES}")
        out[source] = integer(points, f"issued[{source!r}]", maximum=EARNED_LIMIT * 10**9)
    return FrozenDict(out)
