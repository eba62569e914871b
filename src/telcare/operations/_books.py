"""Managers' books and the service list (seed 001's second name list).

A :class:`ManagerBook` says which manager (service or phone manager) and team
each customer of a base belongs to, and since when.  Actions, contacts and
callbacks are attributed to a manager through it: the reports in
:mod:`telcare.operations._reports` group by it.

:func:`service_list` is each service manager's book as the rules see it: the
customers the ``service_manager`` benefit rule entitles to a manager (plans of
96 yuan and more, confirmed genuine), who serves them since when, who is still
waiting for one beyond the assignment deadline (``moments.assign_days``, 2 days
by seed 001), and who holds a manager the rule no longer grants (to withdraw).

>>> from datetime import date
>>> import telcare as tc
>>> book = tc.manager_book(["a", "b", "c"], ["li", "", "li"], team=["north", "", "north"])
>>> book.managers, book.teams, book.manager_of(["c", "b"]).tolist()
(('li',), ('north',), [0, -1])
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import (
    bool_column,
    code_column,
    instance,
    int_column,
    integer,
    same_length,
    text,
)
from telcare._core.display import summary_html
from telcare._core.errors import InvalidInput
from telcare._core.label_checks import label_column, local_day
from telcare._core.limits import MAX_FEN
from telcare._core.reasons import language
from telcare.benefits import check_benefit, check_benefits
from telcare.customers import STATUS_LABELS, VERIFICATION_LABELS, Customer
from telcare.operations._book_columns import book_ids, book_names, teams_of
from telcare.operations._labels import JsonColumns, day_column, list_text, no_bools
from telcare.policy import BENEFIT_CODES, Policy, PolicySchedule, as_policy, resolve

__all__ = ["ManagerBook", "ServiceList", "manager_book", "service_list"]

_NONE = -1
_SERVICE = BENEFIT_CODES.index("service_manager")


@attrs.frozen(slots=True, eq=False)
class ManagerBook(JsonColumns):
    """Which manager and team serve each customer of a base, and since when.

    ``manager`` holds a code per customer into ``managers`` (-1: no manager);
    ``team_of`` a code per manager into ``teams`` (-1: no team).  Build it with
    :func:`manager_book`.
    """

    ids: npt.NDArray[Any]
    manager: npt.NDArray[np.int64]
    managers: tuple[str, ...]
    team_of: npt.NDArray[np.int64]
    teams: tuple[str, ...]
    since: npt.NDArray[np.datetime64]
    _order: npt.NDArray[np.int64]
    _sorted: npt.NDArray[Any]  # ids[_order], kept so each lookup does not sort-gather again

    def __len__(self) -> int:
        return len(self.ids)

    def rows(self, ids: Any) -> npt.NDArray[np.int64]:
        """The base row of each customer id; an unknown id raises ``InvalidInput`` naming it."""
        listed = label_column(ids, "ids")
        if not listed:
            return np.zeros(0, dtype=np.int64)
        keys = self._sorted
        wanted = np.array(listed, dtype=object if keys.dtype.kind == "O" else None)
        if not len(keys) or (wanted.dtype.kind in "iu") != (keys.dtype.kind in "iu"):
            raise InvalidInput(
                f"ids: customer {listed[0]!r} (index 0) is not in the book"
                + ("" if not len(keys) else "; ids must be of the same kind as the book's ids")
            )
        try:
            at = np.searchsorted(keys, wanted)
        except TypeError:
            raise InvalidInput("ids must be of the same kind as the book's ids") from None
        at = np.minimum(at, len(keys) - 1)
        missing = keys[at] != wanted
        if missing.any():
            i = int(np.argmax(missing))
            raise InvalidInput(f"ids: customer {wanted[i].item()!r} (index {i}) is not in the book")
        out: npt.NDArray[np.int64] = self._order[at]
        return out

    def manager_of(self, ids: Any) -> npt.NDArray[np.int64]:
        """The manager code of each customer id (-1: none)."""
        return self.manager[self.rows(ids)]

    def team(self) -> npt.NDArray[np.int64]:
        """Each customer's team code (-1: no manager or no team)."""
        teams = np.append(self.team_of, _NONE)
        out: npt.NDArray[np.int64] = teams[self.manager]
        return out

    def sizes(self) -> dict[str, int]:
        """Customers per manager, in ``managers`` order."""
        counts = np.bincount(self.manager[self.manager >= 0], minlength=len(self.managers))
        return {name: int(c) for name, c in zip(self.managers, counts, strict=True)}

    def _columns(self) -> dict[str, Any]:
        """One row per customer: id, manager, team, since (pandas must be installed)."""
        names = np.array([*self.managers, ""], dtype=object)
        teams = np.array([*self.teams, ""], dtype=object)
        return {"id": self.ids, "manager": names[self.manager],
                                   "team": teams[self.team()], "since": self.since}  # fmt: skip

    def _repr_html_(self) -> str:
        rows = [(name, f"{size:,} customers") for name, size in self.sizes().items()]
        rows.append(("no manager", f"{int((self.manager < 0).sum()):,} customers"))
        return summary_html(f"ManagerBook of {len(self):,} customers", rows)


def manager_book(
    ids: Any, manager: Any, *, team: Any = None, since: Any = None, policy: Policy | None = None
) -> ManagerBook:
    """The managers' book of a base from label columns.

    ``ids`` are unique text or integer labels, never missing.  ``manager`` and
    ``team`` are text labels per customer; ``""`` or a missing value (``None``,
    NaN, pandas ``NA``) means none, and ``"(none)"``, the reports' row of the
    customers without one, is no name.  Every manager belongs to one team.
    ``since`` is the assignment date (NaT/``None`` where unknown or unassigned;
    an aware datetime is its day in the policy's time zone).

    >>> import telcare as tc
    >>> tc.manager_book(["a", "b"], ["li", "li"], team=["north", "south"])
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: manager 'li' is in two teams: 'north' (customer 'a') and 'south' (customer 'b')
    >>> tc.manager_book(["a", float("nan")], ["li", "li"])
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: ids is missing at index 1 (got nan); give every row a label
    """
    tz = as_policy(policy).timezone
    keys, position = book_ids(ids)
    n = len(position)
    labels = keys[position]
    managers, codes = book_names(manager, "manager", n)
    team_names, team_codes = (
        book_names(team, "team", n) if team is not None else ((), np.full(n, _NONE, dtype=np.int64))
    )
    if since is None:
        started = np.full(n, np.datetime64("NaT", "D"), dtype="datetime64[D]")
    else:
        started = day_column(since, "since", tz, n, optional=True)
    team_of = teams_of(managers, codes, team_names, team_codes, labels)
    started = np.where(codes >= 0, started, np.datetime64("NaT", "D"))
    order = np.empty(n, dtype=np.int64)  # the ids are unique: position is a permutation,
    order[position] = np.arange(n, dtype=np.int64)  # and this its inverse, without a sort
    return ManagerBook(labels, codes, managers, team_of, team_names, started, order, keys)


@attrs.frozen(slots=True, eq=False)
class ServiceList(JsonColumns):
    """The service list as of a date (see :func:`service_list`).

    ``eligible`` marks the customers the rule entitles to a service manager;
    ``on_book`` those of them a manager serves; ``waiting`` those without one,
    with ``waiting_since`` (the date the customer became eligible), ``due_by``
    (the assignment deadline) and ``overdue``; ``withdraw`` those who hold a
    manager the rule no longer grants (a suspicious customer, a cheaper plan).
    """

    as_of: date
    book: ManagerBook
    eligible: npt.NDArray[np.bool_]
    waiting_since: npt.NDArray[np.datetime64]
    due_by: npt.NDArray[np.datetime64]
    _inputs: tuple[npt.NDArray[Any], ...]
    _policy: Policy

    @property
    def on_book(self) -> npt.NDArray[np.bool_]:
        """Eligible and served by a manager."""
        out: npt.NDArray[np.bool_] = self.eligible & (self.book.manager >= 0)
        return out

    @property
    def waiting(self) -> npt.NDArray[np.bool_]:
        """Eligible and still without a manager."""
        out: npt.NDArray[np.bool_] = self.eligible & (self.book.manager < 0)
        return out

    @property
    def overdue(self) -> npt.NDArray[np.bool_]:
        """Waiting beyond the assignment deadline."""
        out: npt.NDArray[np.bool_] = self.waiting & (self.due_by < np.datetime64(self.as_of, "D"))
        return out

    @property
    def withdraw(self) -> npt.NDArray[np.bool_]:
        """Served by a manager the rule no longer grants."""
        out: npt.NDArray[np.bool_] = ~self.eligible & (self.book.manager >= 0)
        return out

    def counts(self) -> dict[str, dict[str, int]]:
        """Per manager: customers on the book and to withdraw; then the waiting totals."""
        k = len(self.book.managers)
        m = self.book.manager
        book = np.bincount(m[self.on_book], minlength=k)
        gone = np.bincount(m[self.withdraw], minlength=k)
        out = {name: {"on_book": int(book[j]), "withdraw": int(gone[j])}
               for j, name in enumerate(self.book.managers)}  # fmt: skip
        out[""] = {"waiting": int(self.waiting.sum()), "overdue": int(self.overdue.sum())}
        return out

    def reason(self, row: int, *, lang: str = "en") -> str:
        """Why the customer at ``row`` is (or is not) entitled, from the benefit rule itself:
        the reasons of :func:`~telcare.check_benefit` in ``lang`` (``"en"``, ``"zh_CN"``)."""
        lang = language(lang)
        row = integer(row, "row", maximum=len(self.book) - 1)
        tier, member, fee, verification, status = (int(col[row]) for col in self._inputs)
        segment = self._policy.segment.code  # the segment as this policy names it
        customer = Customer(
            str(self.book.ids[row]), activated_on=self.as_of, plan_fee=fee,
            tier=self._policy.tiers.codes[tier], segments={segment} if member else (),
            verification=verification, status=status,
        )  # fmt: skip
        decision = check_benefit(customer, "service_manager", policy=self._policy)
        return ("；" if lang == "zh_CN" else "; ").join(r.text(lang) for r in decision.reasons)

    def manager_rows(self, manager: str) -> npt.NDArray[np.int64]:
        """The rows on ``manager``'s book, longest served first."""
        manager = text(manager, "manager")
        if manager not in self.book.managers:
            raise InvalidInput(
                f"no manager {manager!r} in the book; managers: {self.book.managers}"
            )
        rows = np.flatnonzero(
            self.on_book & (self.book.manager == self.book.managers.index(manager))
        )
        since = self.book.since[rows].astype(np.int64)
        out: npt.NDArray[np.int64] = rows[np.lexsort((rows, since))]
        return out

    def waiting_rows(self) -> npt.NDArray[np.int64]:
        """The rows waiting for a manager, longest waiting first."""
        rows = np.flatnonzero(self.waiting)
        out: npt.NDArray[np.int64] = rows[
            np.lexsort((rows, self.waiting_since[rows].astype(np.int64)))
        ]
        return out

    def _columns(self) -> dict[str, Any]:
        """One row per customer on a book, waiting or to withdraw (pandas must be installed)."""
        rows = np.flatnonzero(self.eligible | (self.book.manager >= 0))
        names = np.array([*self.book.managers, ""], dtype=object)
        state = np.where(self.on_book, "on_book", np.where(self.waiting, "waiting", "withdraw"))
        return {
            "id": self.book.ids[rows], "manager": names[self.book.manager[rows]],
            "since": self.book.since[rows], "state": state[rows],
            "waiting_since": self.waiting_since[rows], "due_by": self.due_by[rows],
            "overdue": self.overdue[rows],
        }  # fmt: skip

    def to_text(self, *, lang: str = "en") -> str:
        """The first rows as a text table in ``lang`` (``"en"`` or ``"zh_CN"``): each
        customer's state by its name, days ISO.

        >>> from datetime import date
        >>> import telcare as tc
        >>> book = tc.manager_book(["13800000021", "13800000022"], ["li", ""], since=["2010-10-02", None])
        >>> sl = tc.service_list(book, [0, 0], [False] * 2, [12_800, 9_600], [1, 1], [0, 0],
        ...                      eligible_since=["2010-09-30", "2010-11-25"], as_of=date(2010, 12, 1))
        >>> print(sl.to_text(lang="zh_CN"))
        服务名单：共2行
          客户         服务经理  服务起始    状态    等待起始    截止日期    超时
          13800000021  li        2010-10-02  在册    2010-09-30  2010-10-02  否
          13800000022            -           待分配  2010-11-25  2010-11-27  是
        """
        return list_text(self, lang, self._columns(), {"state": "ui_state"})

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        c = self.counts()
        waiting = c.pop("")
        rows = [(name, f"{v['on_book']:,} on the book, {v['withdraw']:,} to withdraw")
                for name, v in c.items()]  # fmt: skip
        rows.append(
            ("waiting", f"{waiting['waiting']:,} ({waiting['overdue']:,} beyond the deadline)")
        )
        return summary_html(f"Service list as of {self.as_of}", rows)


def service_list(
    book: ManagerBook,
    tier: Any,
    segment_member: Any,
    plan_fee: Any,
    verification: Any,
    status: Any,
    *,
    eligible_since: Any,
    as_of: date,
    policy: Policy | PolicySchedule | None = None,
) -> ServiceList:
    """The service list of a base (see the module).

    Columns align with ``book``.  ``tier``, ``segment_member``, ``plan_fee``,
    ``verification`` and ``status`` are read by the ``service_manager`` benefit
    rule exactly as :func:`~telcare.check_benefits` reads them;
    ``eligible_since`` is the day each customer became entitled (the day the
    callback confirmed a genuine user; NaT where unknown, read as ``as_of``).
    ``as_of`` and the days may be aware datetimes, read as their days in the
    policy's time zone.

    >>> from datetime import date
    >>> import telcare as tc
    >>> book = tc.manager_book(["a", "b", "c", "d"], ["li", "", "", "li"])
    >>> sl = tc.service_list(book, [0] * 4, [False] * 4, [12_800, 12_800, 12_800, 5_800],
    ...                      [1, 1, 2, 1], [0] * 4,
    ...                      eligible_since=["2010-11-20", "2010-11-28", None, None], as_of=date(2010, 12, 1))
    >>> sl.on_book.tolist(), sl.waiting.tolist(), sl.overdue.tolist(), sl.withdraw.tolist()
    ([True, False, False, False], [False, True, False, False], [False, True, False, False], [False, False, False, True])
    >>> sl.reason(3)
    'does not qualify: plan fee ¥58.00 < ¥96.00; account active'
    >>> sl.reason(3, lang="zh_CN")
    '不符合条件：套餐费¥58.00低于¥96.00；账户状态：正常'
    """
    policy = resolve(policy, "service_list", as_of=as_of)
    book = instance(book, ManagerBook, "service_list() needs a ManagerBook, got {got}")
    as_of = local_day(as_of, "as_of", policy.timezone)
    inputs = (
        code_column(no_bools(tier, "tier"), "tier", policy.tiers.codes),
        bool_column(segment_member, "segment_member"),
        int_column(no_bools(plan_fee, "plan_fee"), "plan_fee", maximum=MAX_FEN),
        code_column(no_bools(verification, "verification"), "verification", VERIFICATION_LABELS),
        code_column(no_bools(status, "status"), "status", STATUS_LABELS),
    )
    since = day_column(eligible_since, "eligible_since", policy.timezone, optional=True)
    same_length(book=book.ids, tier=inputs[0], segment_member=inputs[1], plan_fee=inputs[2],
                verification=inputs[3], status=inputs[4], eligible_since=since)  # fmt: skip
    eligible = check_benefits(*inputs, policy=policy)[:, _SERVICE]
    today = np.datetime64(as_of, "D")
    since = np.where(np.isnat(since), today, since)
    due: npt.NDArray[np.datetime64] = since + np.timedelta64(policy.moments.assign_days, "D")
    return ServiceList(as_of, book, eligible, since, due, inputs, policy)
