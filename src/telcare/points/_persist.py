"""A ledger kept between runs: its dict and JSON forms, read back with every posting
checked, and its postings replayed (event sourcing).

The dict form is the ledger's settings, its postings in history order (each
posting's fields with the balance right after it) and a ``digest``: the SHA-256
of the rest, written canonically.  Reading it back posts every posting again
through the ledger's own operations and refuses the dict, by name, at the first
posting whose recorded effect is not what the ledger computes; the digest then
catches what no posting can show (one removed from or added at the end).  The
digest guards against corruption and hand edits, not against someone who means
to forge a ledger and recomputes it.

The settings added later (``pending_days``, ``timezone``) are written only when they
differ from their defaults, so a ledger without pending points writes, and its digest
seals, exactly the dict it wrote before they existed, and such a dict reads back.  A
ledger made with a :class:`~telcare.PolicySchedule` writes it too, as ``schedule``
(:meth:`PolicySchedule.to_dict <telcare.PolicySchedule.to_dict>`), beside the settings
of its first policy, which must agree with it; a dict without one is a ledger under one
policy, as before.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Self, cast

from telcare._core.checks import instance, integer, items, mapping, one_of, plain_date, text
from telcare._core.errors import InvalidInput, TelcareError
from telcare._core.limits import MAX_DATE, MAX_POINTS
from telcare.points._postings import HistoryEntry, Kind, Lots, Posting
from telcare.points._queries import LedgerQueries
from telcare.points._store import Entry, Request, Row, balance_of, flat, row_view
from telcare.points._terms import expiry as cycle_expiry
from telcare.policy import PolicySchedule

if TYPE_CHECKING:
    from telcare.points._ledger import PointsLedger

__all__ = ["dumps", "from_dict", "ledger_dict", "loads", "replay"]

SETTINGS = ("customer_id", "expire_after_cycles", "fen_per_point", "reversal_mode")
#: Settings added later, with their defaults: written only when they differ from them.
LATER = {"pending_days": 0, "timezone": "Asia/Shanghai"}
LEDGER_KEYS = (*SETTINGS, *LATER, "schedule", "postings", "digest")
NEEDED = (*SETTINGS, "postings", "digest")
FIELDS = Row._fields
KINDS: tuple[Kind, ...] = ("accrue", "redeem", "transfer_out", "transfer_in", "reverse")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
#: The last day a lot can expire on: 30 Nov, 100 cycles (the most ``expire_after_cycles``
#: a ledger takes) after the cycle of the calendar's last day.
LAST_EXPIRY = cycle_expiry(MAX_DATE, 100)


# ------------------------------------------------------------------ writing


def row_dict(row: Row, balance: int) -> dict[str, object]:
    """One posting as ``to_dict`` writes it (its named view, :func:`row_view`): its
    fields, then the balance after it."""
    ref, kind, on, points, source, counterparty, original, lots, debt, unrecovered = row
    return {
        "ref": ref, "kind": kind, "on": on.isoformat(), "points": points,
        "source": source, "counterparty": counterparty, "original": original,
        "lots": [[e.isoformat(), p] for e, p in lots], "debt": debt,
        "unrecovered": unrecovered, "balance": balance,
    }  # fmt: skip


def _digest(body: Mapping[str, object]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def ledger_dict(
    settings: Mapping[str, object],
    rows: Iterable[Entry],
    balances: Iterable[int],
    schedule: PolicySchedule | None = None,
) -> dict[str, object]:
    """The dict form: settings (and schedule), postings with their balances, and the
    digest of all."""
    body: dict[str, object] = {k: v for k, v in settings.items() if k not in LATER or v != LATER[k]}
    if schedule is not None:
        body["schedule"] = schedule.to_dict()
    body["postings"] = [row_dict(row_view(r), b) for r, b in zip(rows, balances, strict=True)]
    body["digest"] = _digest(body)
    return body


def dumps(data: Mapping[str, object]) -> str:
    return json.dumps(data)


# ------------------------------------------------------------------ reading


def loads(source: object) -> object:
    """The value of JSON text, or ``InvalidInput`` saying why it is not JSON."""
    source = instance(source, str, "from_json() needs JSON text (a str), got {got}")
    try:
        return json.loads(source)
    except (ValueError, RecursionError) as exc:
        raise InvalidInput(f"from_json() cannot read the text as JSON: {exc}") from None


def _keys(
    value: Mapping[Any, object], allowed: tuple[str, ...], needed: Iterable[str], where: str
) -> None:
    unknown = [k for k in value if k not in allowed]
    if unknown:
        raise InvalidInput(
            f"{where} has the unknown key {unknown[0]!r}; the keys are {list(allowed)}"
        )
    missing = [k for k in needed if k not in value]
    if missing:
        raise InvalidInput(f"{where} lacks the key {missing[0]!r}")


def _parsed(value: object, name: str) -> object:
    """ISO text (``YYYY-MM-DD``) as the ``date`` it writes; any other value as it is."""
    if isinstance(value, str):
        if not _ISO_DAY.fullmatch(value):
            raise InvalidInput(f"{name} must be a date written YYYY-MM-DD, got {value!r}")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"{name} must be a real date, got {value!r}") from None
    return value


def _day(value: object, name: str) -> date:
    return plain_date(_parsed(value, name), name)


def _lot_day(value: object, name: str) -> date:
    """A lot's expiry, read as :func:`_day` reads a day but up to :data:`LAST_EXPIRY`: points
    earned in the calendar's last cycles expire after its last day."""
    day = _parsed(value, name)
    if type(day) is date and MAX_DATE < day <= LAST_EXPIRY:
        return day
    return plain_date(day, name)


def _optional_text(value: object, name: str) -> str | None:
    return None if value is None else text(value, name)


def _lots(value: object, name: str) -> Lots:
    pairs: list[Sequence[object]] = items(value, name, of=(list, tuple))
    lots = []
    for i, pair in enumerate(pairs):
        if len(pair) != 2:
            raise InvalidInput(f"{name}[{i}] must be a [date, points] pair, got {pair!r}")
        delta = integer(pair[1], f"{name}[{i}] points", minimum=-MAX_POINTS, maximum=MAX_POINTS)
        lots.append((_lot_day(pair[0], f"{name}[{i}] date"), delta))
    return tuple(lots)


def _parse(item: object, where: str, *, need_balance: bool) -> tuple[Row, int | None]:
    """A posting in any public form, its fields checked, and its balance if it has one."""
    if isinstance(item, HistoryEntry):
        posting = item.posting
        if isinstance(posting, Posting):
            item = {name: getattr(posting, name) for name in FIELDS} | {"balance": item.balance}
    elif isinstance(item, Posting):
        item = {name: getattr(item, name) for name in FIELDS}
    item = mapping(item, where + " must be a Posting, a HistoryEntry or a dict, got {got}")
    needed = (*FIELDS, "balance") if need_balance else FIELDS
    _keys(item, (*FIELDS, "balance"), needed, where)
    row = Row(
        text(item["ref"], f"{where}.ref"),
        one_of(item["kind"], f"{where}.kind", options=KINDS),
        _day(item["on"], f"{where}.on"),
        integer(item["points"], f"{where}.points", minimum=1, maximum=MAX_POINTS),
        _optional_text(item["source"], f"{where}.source"),
        _optional_text(item["counterparty"], f"{where}.counterparty"),
        _optional_text(item["original"], f"{where}.original"),
        _lots(item["lots"], f"{where}.lots"),
        integer(item["debt"], f"{where}.debt", minimum=-MAX_POINTS, maximum=MAX_POINTS),
        integer(item["unrecovered"], f"{where}.unrecovered", maximum=MAX_POINTS),
    )
    balance = item.get("balance")
    if balance is not None:
        balance = integer(balance, f"{where}.balance", minimum=-MAX_POINTS, maximum=MAX_POINTS)
    return row, balance


# ------------------------------------------------------------------ posting again


def _receive(ledger: PointsLedger, row: Row, where: str) -> PointsLedger:
    """A transfer in as recorded: the sender's lots, checked to be live cycle ends that,
    with the negative balance they paid off, add up to the points."""
    sender = text(row.counterparty, f"{where}.counterparty")
    if sender == ledger.customer_id:
        raise InvalidInput(f"{where}: customer {sender!r} cannot receive points from itself")
    for expiry, points in row.lots:
        if points <= 0 or expiry < row.on or (expiry.month, expiry.day) != (11, 30):
            raise InvalidInput(
                f"{where}.lots: a transfer in brings live lots ending on 30 Nov, got "
                f"{points} points ending on {expiry}"
            )
    request: Request = ("transfer_in", row.on, row.points, None, sender, None)
    received = ledger._receive(row.ref, request, ())  # the order, the bound and the repayment
    debt = received[8]
    if sum(p for _, p in row.lots) != row.points + debt:
        raise InvalidInput(
            f"{where}.lots: the lots hold {sum(p for _, p in row.lots):,} points, but "
            f"{row.points:,} received less {-debt:,} paid off is {row.points + debt:,}"
        )
    return ledger._with((*received[:7], flat(row.lots), *received[8:]))


def _post(ledger: PointsLedger, row: Row, where: str) -> PointsLedger:
    """``row`` posted again by the operation of its kind."""
    if row.kind == "accrue":
        return ledger.accrue(row.ref, row.on, row.points, row.source)  # type: ignore[arg-type]
    if row.kind == "redeem":
        return ledger.redeem(row.ref, row.on, row.points)[0]
    if row.kind == "reverse":
        original = text(row.original, f"{where}.original")
        return ledger.reverse(original, row.on, row.points, adjustment=row.ref)
    if row.kind == "transfer_out":
        receiver = type(ledger)(text(row.counterparty, f"{where}.counterparty"))
        return ledger.transfer(row.ref, row.on, row.points, receiver)[0]
    return _receive(ledger, row, where)


def _step(ledger: PointsLedger, row: Row, balance: int | None, where: str) -> PointsLedger:
    if ledger._store.find(row.ref, len(ledger)) is not None:
        raise InvalidInput(
            f"{where}: {row.ref!r} is already posted in the ledger of customer "
            f"{ledger.customer_id!r}; a ledger records a reference once"
        )
    try:
        after = _post(ledger, row, where)
    except TelcareError as exc:
        raise InvalidInput(f"{where} ({row.ref!r}) cannot be posted: {exc}") from exc
    computed = row_view(after._rows()[-1]) if len(after) > len(ledger) else None
    if computed is None:  # pragma: no cover - an unknown ref always posts or raises
        raise InvalidInput(f"{where} ({row.ref!r}) posted nothing")
    for name, given, got in zip(FIELDS, row, computed, strict=True):
        if given != got:
            shown, wanted = row_dict(row, 0)[name], row_dict(computed, 0)[name]
            raise InvalidInput(
                f"{where} ({row.ref!r}): {name} is recorded as {shown!r}, "
                f"but the ledger computes {wanted!r}"
            )
    if balance is not None and balance != after._head().balance:
        raise InvalidInput(
            f"{where} ({row.ref!r}): balance is recorded as {balance!r}, "
            f"but the postings give {after._head().balance!r}"
        )
    return after


def replay(ledger: PointsLedger, postings: object) -> PointsLedger:
    """``ledger`` with ``postings`` posted again in turn (``PointsLedger.replay``)."""
    found: list[object] = items(postings, "replay() postings", of=(Posting, HistoryEntry, Mapping))
    for i, item in enumerate(found):
        where = f"postings[{i}]"
        row, balance = _parse(item, where, need_balance=False)
        ledger = _step(ledger, row, balance, where)
    return ledger


def from_dict(cls: Any, data: object) -> PointsLedger:
    """The ledger ``data`` (``to_dict``'s form) holds, or ``InvalidInput`` at its first flaw."""
    data = mapping(data, "PointsLedger.from_dict() needs the dict to_dict() writes, got {got}")
    _keys(data, LEDGER_KEYS, NEEDED, "the ledger dict")
    postings = data["postings"]
    postings = instance(postings, list, "postings must be a list, got {got}")
    digest = text(data["digest"], "digest")
    ledger: PointsLedger = cls(
        *(data[k] for k in SETTINGS), *(data.get(k, v) for k, v in LATER.items())
    )
    if "schedule" in data:
        ledger = _scheduled(cls, ledger, data["schedule"])
    for i, item in enumerate(postings):
        where = f"postings[{i}]"
        row, balance = _parse(item, where, need_balance=True)
        ledger = _step(ledger, row, balance, where)
    if ledger.to_dict()["digest"] != digest:
        raise InvalidInput(
            f"digest {digest!r} does not match the ledger's postings: the dict was changed "
            "after to_dict() wrote it (a posting removed, added or edited, or a setting); "
            "replay() posts postings that carry no digest"
        )
    return ledger


def _scheduled(cls: Any, ledger: PointsLedger, document: object) -> PointsLedger:
    """The empty ledger under the schedule ``document`` holds, whose first policy must
    give the settings the dict wrote beside it (``ledger``'s)."""
    try:
        schedule = PolicySchedule.from_dict(document)
    except InvalidInput as exc:
        raise InvalidInput(f"schedule: {exc}") from exc
    scheduled: PointsLedger = cls.empty(ledger.customer_id, policy=schedule)
    for name, given in ledger._settings().items():
        if scheduled._settings()[name] != given:
            raise InvalidInput(
                f"{name} is recorded as {given!r}, but the schedule's first policy gives "
                f"{scheduled._settings()[name]!r}"
            )
    return scheduled


class LedgerPersistence(LedgerQueries):
    """The dict, JSON and replay forms of :class:`~telcare.PointsLedger`."""

    __slots__ = ()

    def to_dict(self) -> dict[str, object]:
        """The ledger's settings and every posting with the balance after it, as
        JSON-ready values, sealed by a ``digest`` that :meth:`from_dict` checks."""
        states = self._store.states[: self._length]
        balances = [balance_of(s) for s in states]
        return ledger_dict(self._settings(), self._rows(), balances, self.schedule)

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text."""
        return dumps(self.to_dict())

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Self:
        """The ledger :meth:`to_dict` wrote, checked posting by posting (``docs/points.md``).

        Anything :meth:`to_dict` would not have written for this ledger (a key
        unknown or missing, a wrong type, a posting edited, added or removed, a
        balance that disagrees with the postings, a digest that does not match)
        is refused by name with :class:`~telcare._core.errors.InvalidInput`.
        """
        return cast(Self, from_dict(cls, data))

    @classmethod
    def from_json(cls, text: str) -> Self:
        """The ledger :meth:`to_json` wrote (checked as :meth:`from_dict` checks)."""
        return cast(Self, from_dict(cls, loads(text)))

    def replay(self, postings: Iterable[Posting | HistoryEntry | Mapping[str, object]]) -> Self:
        """This ledger with ``postings`` posted in turn, each checked as it goes.

        ``postings`` are what :meth:`history` returns (entries or their
        :class:`Posting`) or their dicts as in ``to_dict()["postings"]``
        (``balance`` optional).  Each is posted again by the operation of its
        kind, and what the ledger computes must be what the posting records (its
        lots, debt, unrecovered points and, when given, the balance after it);
        a reference already in the ledger is refused.  A transfer in brings the
        sender's lots, which the receiver cannot recompute: they are checked to
        be live cycle ends adding up to the points.
        """
        return cast(Self, replay(cast("PointsLedger", self), postings))
