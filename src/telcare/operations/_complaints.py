"""Complaints (seed 003): each with a type, a deadline per type, an owner, the
resolution and any refund, and the open and overdue complaints per owner.

Seed 003's case: a customer's "deposit and get talk time" offer silently
cancelled the basic call-fee discount for two months.  :func:`conflict_complaint`
files such a complaint naming the conflict the catalogue declares.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> import telcare as tc
>>> at = datetime(2010, 10, 4, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
>>> c = tc.Complaint("k1", "13800000001", at, "billing", owner="li")
>>> s = tc.complaint_status(c, as_of=at.date().replace(day=8))
>>> s.due_by, s.status
(datetime.date(2010, 10, 7), 'overdue')
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import attrs

from telcare._core import kernels
from telcare._core.checks import aware, field, instance, integer, items, one_of, text
from telcare._core.dates import local_date
from telcare._core.display import Explained
from telcare._core.errors import InvalidInput
from telcare._core.label_checks import local_day
from telcare._core.limits import MAX_FEN
from telcare._core.reasons import Reason
from telcare.metrics import Rate
from telcare.operations._labels import JsonColumns
from telcare.operations._reasons import COMPLAINT_HEAD, COMPLAINT_STATE
from telcare.policy import COMPLAINT_TYPES, OfferCatalogue, Policy, PolicySchedule, resolve

__all__ = [
    "Complaint",
    "ComplaintBook",
    "ComplaintStatus",
    "complaint_book",
    "complaint_status",
    "conflict_complaint",
]


def _type(instance: object, attribute: object, value: str) -> None:
    # a str first: ``in`` on an array asks for its truth value
    one_of(value if isinstance(value, str) else repr(value), "Complaint.type",
           options=COMPLAINT_TYPES)  # fmt: skip


def _pair(value: Any) -> tuple[str, str] | None:
    if value is None:
        return None
    try:
        if isinstance(value, str):
            raise TypeError
        pair = tuple(value)
    except TypeError:  # not iterable, or a 0-d array that says it is
        raise InvalidInput(
            f"Complaint.conflict must be an (offer, holding) pair, got {value!r}"
        ) from None
    if len(pair) != 2 or not all(isinstance(v, str) and v for v in pair):
        raise InvalidInput(
            f"Complaint.conflict must be an (offer, holding) pair of codes, got {value!r}"
        )
    return (pair[0], pair[1])


@attrs.frozen(slots=True)
class Complaint:
    """One complaint: who, when, what kind, whose it is, and how it ended.

    ``refund`` is in fen; ``conflict`` names the (offer, holding) pair behind a
    complaint that an offer conflict caused, with ``detail`` its reason.
    """

    id: str = attrs.field(validator=field(text))
    customer_id: str = attrs.field(validator=field(text))
    at: datetime = attrs.field(validator=field(aware))
    type: str = attrs.field(validator=_type)
    owner: str | None = attrs.field(default=None, validator=field(text, optional=True))
    resolved_at: datetime | None = attrs.field(default=None, validator=field(aware, optional=True))
    resolution: str | None = attrs.field(default=None, validator=field(text, optional=True))
    refund: int = attrs.field(default=0, validator=field(integer, maximum=MAX_FEN))
    conflict: tuple[str, str] | None = attrs.field(default=None, converter=_pair)
    detail: str | None = attrs.field(default=None, validator=field(text, optional=True))

    def __attrs_post_init__(self) -> None:
        if self.resolved_at is not None and self.resolved_at < self.at:
            raise InvalidInput(
                f"complaint {self.id!r} is resolved at {self.resolved_at} before it was made at {self.at}"
            )


@attrs.frozen(slots=True)
class ComplaintStatus(Explained):
    """A complaint's deadline (inclusive) and state on a day: open, done or overdue."""

    id: str
    type: str
    owner: str | None
    opened_on: date
    due_by: date
    status: str
    on_time: bool | None
    reason: Reason


def complaint_status(
    complaint: Complaint, *, as_of: date, policy: Policy | PolicySchedule | None = None
) -> ComplaintStatus:
    """Where one complaint stands on ``as_of`` (days in the policy's time zone; an aware
    ``as_of`` is its day there).

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> import telcare as tc
    >>> at = datetime(2010, 10, 4, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    >>> done = tc.Complaint("k2", "13800000002", at, "suspension", resolved_at=at.replace(hour=15),
    ...                     resolution="resumed; the arrears were a bank delay", refund=500)
    >>> tc.complaint_status(done, as_of=at.date()).reason
    'suspension complaint of 2010-10-04, due by 2010-10-05: resolved on 2010-10-04 (on time), refund ¥5.00'
    """
    policy = resolve(policy, "complaint_status", as_of=as_of)
    complaint = instance(complaint, Complaint, "complaint_status() needs a Complaint, got {got}")
    today = local_day(as_of, "as_of", policy.timezone)
    opened = local_date(complaint.at, policy.timezone)
    due = kernels.shift_days(opened, policy.complaints.deadlines[complaint.type])  # type: ignore[index]
    figures = {"type": complaint.type, "opened": opened, "due": due}
    if complaint.conflict is None:
        head = COMPLAINT_HEAD["plain"](**figures)
    elif complaint.detail:
        head = COMPLAINT_HEAD["conflict_detail"](
            **figures, offer=complaint.conflict[0], holding=complaint.conflict[1],
            detail=complaint.detail,
        )  # fmt: skip
    else:
        head = COMPLAINT_HEAD["conflict"](
            **figures, offer=complaint.conflict[0], holding=complaint.conflict[1]
        )
    resolved = (
        None
        if complaint.resolved_at is None
        else local_date(complaint.resolved_at, policy.timezone)
    )
    if resolved is not None and resolved <= today:
        on_time = resolved <= due
        state = "on_time" if on_time else "late"
        if complaint.refund:
            reason = COMPLAINT_STATE[f"{state}_refund"](
                head=head, resolved=resolved, refund=complaint.refund
            )
        else:
            reason = COMPLAINT_STATE[state](head=head, resolved=resolved)
        return ComplaintStatus(
            complaint.id, complaint.type, complaint.owner, opened, due, "done", on_time, reason
        )
    status = "overdue" if today > due else "open"
    return ComplaintStatus(
        complaint.id,
        complaint.type,
        complaint.owner,
        opened,
        due,
        status,
        None,
        COMPLAINT_STATE[status](head=head),
    )


def conflict_complaint(
    id: str,
    customer_id: str,
    at: datetime,
    offer: str,
    holding: str,
    catalogue: OfferCatalogue,
    *,
    owner: str | None = None,
) -> Complaint:
    """File an "offer not applied" complaint that names the conflict behind it.

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> import telcare as tc
    >>> catalogue = tc.OfferCatalogue.model_validate({
    ...     "products": {"basic_fee_discount": "Basic call-fee discount"},
    ...     "offers": [{"code": "deposit_talk_time", "name": "Deposit and get talk time",
    ...                 "project_type": "promotion", "channels": ["phone"], "value": 5_000,
    ...                 "cost": 3_000, "valid_from": "2010-10-01", "valid_to": "2010-12-31",
    ...                 "conflicts": {"basic_fee_discount": "replaces the basic call-fee discount"}}]})
    >>> at = datetime(2010, 12, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    >>> c = tc.conflict_complaint("k3", "13800000003", at, "deposit_talk_time", "basic_fee_discount", catalogue)
    >>> c.type, c.conflict, c.detail
    ('offer_not_applied', ('deposit_talk_time', 'basic_fee_discount'), 'replaces the basic call-fee discount')
    """
    catalogue = instance(
        catalogue, OfferCatalogue, "catalogue must be a telcare.OfferCatalogue, got {got}"
    )
    reason = catalogue[offer].conflicts.get(holding)
    if reason is None:
        raise InvalidInput(
            f"offer {offer!r} declares no conflict with {holding!r}; file the complaint without one"
        )
    return Complaint(
        id,
        customer_id,
        at,
        "offer_not_applied",
        owner=owner,
        conflict=(offer, holding),
        detail=reason,
    )


@attrs.frozen(slots=True, eq=False)
class ComplaintBook(JsonColumns):
    """Complaints per owner on a day: open, overdue, done, done on time, refunds."""

    as_of: date
    owners: tuple[str, ...]
    open: dict[str, int]
    overdue: dict[str, int]
    done: dict[str, int]
    on_time: dict[str, Rate]
    refunds: dict[str, int]
    statuses: tuple[ComplaintStatus, ...]

    def _columns(self) -> dict[str, Any]:
        """One row per owner ("" for complaints without one)."""
        return {
            "owner": list(self.owners),
            "open": [self.open[o] for o in self.owners],
            "overdue": [self.overdue[o] for o in self.owners],
            "done": [self.done[o] for o in self.owners],
            "on_time": [self.on_time[o].value if self.on_time[o].denominator else float("nan") for o in self.owners],
            "refunds_fen": [self.refunds[o] for o in self.owners],
        }  # fmt: skip

    def __str__(self) -> str:
        lines = [
            f"complaints on {self.as_of}: {'owner':<10} {'open':>5} {'overdue':>8} {'done':>5}  on time"
        ]
        for o in self.owners:
            lines.append(
                f"{'':<24}{o or '(none)':<10} {self.open[o]:>5} {self.overdue[o]:>8} {self.done[o]:>5}  {self.on_time[o]}"
            )
        return "\n".join(lines)


def complaint_book(
    complaints: Iterable[Complaint], *, as_of: date, policy: Policy | PolicySchedule | None = None
) -> ComplaintBook:
    """The complaints of every owner on ``as_of``, with on-time resolution rates; a
    complaint made after ``as_of`` (a day in the policy's time zone) is not counted.

    >>> from datetime import datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> import telcare as tc
    >>> at = datetime(2010, 10, 4, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    >>> book = tc.complaint_book([
    ...     tc.Complaint("k1", "c1", at, "billing", owner="li"),
    ...     tc.Complaint("k2", "c2", at, "network", owner="li", resolved_at=at + timedelta(days=1)),
    ...     tc.Complaint("k3", "c3", at, "suspension", owner="wang")], as_of=at.date() + timedelta(days=4))
    >>> book.open, book.overdue, book.done
    ({'li': 0, 'wang': 0}, {'li': 1, 'wang': 1}, {'li': 1, 'wang': 0})
    """
    policy = resolve(policy, "complaint_book", as_of=as_of)
    today = local_day(as_of, "as_of", policy.timezone)
    listed = items(complaints, "complaints", of=Complaint)
    statuses, made = [], []
    seen: set[str] = set()
    for c in listed:
        if c.id in seen:
            raise InvalidInput(f"complaint id {c.id!r} appears twice")
        seen.add(c.id)
        if local_date(c.at, policy.timezone, name=f"complaint {c.id!r}'s at") > today:
            continue  # not made yet on as_of: it counts nowhere
        made.append(c)
        statuses.append(complaint_status(c, as_of=today, policy=policy))
    owners = tuple(sorted({s.owner or "" for s in statuses}))
    count = {o: {"open": 0, "overdue": 0, "done": 0, "on_time": 0} for o in owners}
    refunds = dict.fromkeys(owners, 0)
    for c, s in zip(made, statuses, strict=True):
        key = s.owner or ""
        count[key][s.status] += 1
        count[key]["on_time"] += int(bool(s.on_time))
        if s.status == "done":
            refunds[key] += c.refund
    return ComplaintBook(
        today,
        owners,
        {o: count[o]["open"] for o in owners},
        {o: count[o]["overdue"] for o in owners},
        {o: count[o]["done"] for o in owners},
        {o: Rate(count[o]["on_time"], count[o]["done"]) for o in owners},
        refunds,
        tuple(statuses),
    )
