"""A whole base's actions as columns, for the weekly and monthly reports.

:func:`due_actions` answers for one customer with :class:`~telcare.Action`
values; a year of a base's work is millions of actions, so the reports read an
:class:`ActionLog` instead: one row per action, the customer as its row in a
:class:`~telcare.ManagerBook` (which attributes the action to a manager), the
moment and outcome as codes, and the three dates.  Build one from Action values
(:meth:`ActionLog.from_actions`) or from columns (:func:`action_log`).

An action's state on a day follows :class:`~telcare.Action`: done once its
closing date has come, overdue after its deadline (``due_by`` is inclusive),
open otherwise, and not yet there before it opened.

Outcomes the reports read: ``"retained"`` and ``"lost"`` close a retention
moment; a new-subscriber callback closes ``"genuine"`` (reached, data
confirmed), ``"reached"`` (reached, data not confirmed) or ``"suspicious"``
(not reached in three time slots).

>>> import telcare as tc
>>> log = tc.action_log([0, 1], ["credit_alert", "usage_anomaly"], ["2010-11-29", "2010-11-30"],
...                     ["2010-11-30", "2010-12-01"], closed_on=["2010-11-30", None],
...                     outcome=["retained", ""])
>>> len(log), log.moments, log.status_on("2010-12-02").tolist()
(2, ('credit_alert', 'usage_anomaly'), ['done', 'overdue'])
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import bool_column, instance, int_column, items, same_length
from telcare._core.display import summary_html
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_COUNT
from telcare.moments import MOMENTS, Action, MomentRegistry
from telcare.operations._books import ManagerBook
from telcare.operations._labels import JsonColumns, day_column, factorize, no_bools, one_day
from telcare.policy import Policy, as_policy

__all__ = ["OUTCOMES", "ActionLog", "action_log"]

#: The outcomes the reports count; any other label is kept and shown but not counted.
OUTCOMES = ("retained", "lost", "genuine", "reached", "suspicious")

Dates = npt.NDArray[np.datetime64]
_STATES = np.array(["", "open", "done", "overdue"])


def _moments(values: Any, registry: Any) -> tuple[tuple[str, ...], npt.NDArray[np.int16]]:
    """The moment column as codes into its sorted labels, each label a moment the
    registry knows (an unknown one would be counted by no report)."""
    names, codes = factorize(values, "moment")
    if len(names) > np.iinfo(np.int16).max:  # pragma: no cover - no registry is this large
        raise InvalidInput(f"moment has {len(names)} distinct labels; at most 32767")
    return names, codes.astype(np.int16)


def _registry(moments: MomentRegistry | None) -> MomentRegistry:
    return instance(
        MOMENTS if moments is None else moments, MomentRegistry,
        "moments must be a MomentRegistry, got {got}",
    )  # fmt: skip


def _known(names: tuple[str, ...], codes: npt.NDArray[np.int16], registry: MomentRegistry) -> None:
    unknown = [m for m in names if m not in registry]
    if unknown:
        i = int(np.argmax(codes == names.index(unknown[0])))
        raise InvalidInput(
            f"moment {unknown[0]!r} at index {i} is no moment of the registry; known: "
            f"{[spec.code for spec in registry]} (give moments= for a registry of your own)"
        )


def _outcomes(values: Any, n: int) -> tuple[tuple[str, ...], npt.NDArray[np.int16]]:
    """Outcome labels and codes (-1 for ``""``, no outcome); a missing one is refused."""
    if values is None:
        return (), np.full(n, -1, dtype=np.int16)
    names, codes = factorize(values, "outcome", empty=True)
    if len(names) > np.iinfo(np.int16).max:
        raise InvalidInput(f"outcome has {len(names)} distinct labels; at most 32767")
    return names, codes.astype(np.int16)


@attrs.frozen(slots=True, eq=False)
class ActionLog(JsonColumns):
    """Actions as aligned columns (see the module); build with :func:`action_log`.

    ``row`` is the customer's row in the base (and its book); ``moment`` and
    ``outcome`` are codes into ``moments`` and ``outcomes`` (outcome code of
    ``""`` where none); ``closed_on`` is NaT while the action is not done;
    ``compliant`` (optional) marks the actions a quality check found to keep
    the policy (read by the callback report); ``timezone`` is the zone an aware
    datetime given as a day is read in (the policy's, by :func:`action_log`).
    """

    row: npt.NDArray[np.int64]
    moment: npt.NDArray[np.int16]
    moments: tuple[str, ...]
    opened_on: Dates
    due_by: Dates
    closed_on: Dates
    outcome: npt.NDArray[np.int16]
    outcomes: tuple[str, ...]
    compliant: npt.NDArray[np.bool_] | None = None
    timezone: str = "Asia/Shanghai"

    def __len__(self) -> int:
        return len(self.row)

    def of_moments(self, moments: Iterable[str]) -> npt.NDArray[np.bool_]:
        """Which rows are actions of any of ``moments`` (names absent from the log match
        nothing; one str is refused, being a collection of letters)."""
        wanted = factorize(moments, "moments")[0]
        codes = [self.moments.index(m) for m in wanted if m in self.moments]
        return np.isin(self.moment, np.array(codes, dtype=np.int16))

    def with_outcome(self, *names: str) -> npt.NDArray[np.bool_]:
        """Which rows closed with any of the outcome ``names``."""
        codes = [self.outcomes.index(n) for n in names if n in self.outcomes]
        return np.isin(self.outcome, np.array(codes, dtype=np.int16))

    def state_codes(self, day: Any) -> npt.NDArray[np.int8]:
        """0 not yet opened, 1 open, 2 done, 3 overdue, on ``day`` (inclusive; an aware
        datetime is its day in the log's time zone)."""
        d = one_day(day, "day", self.timezone)
        done = self.closed_on <= d  # NaT compares False
        codes = np.where(done, 2, np.where(self.due_by < d, 3, 1)).astype(np.int8)
        codes[self.opened_on > d] = 0
        return codes

    def status_on(self, day: Any) -> npt.NDArray[np.str_]:
        """The state of each action on ``day``: ``''``, ``'open'``, ``'done'`` or ``'overdue'``."""
        return _STATES[self.state_codes(day)]

    def _columns(self) -> dict[str, Any]:
        """One row per action."""
        outcomes = np.array([*self.outcomes, ""], dtype=object)
        return {
            "row": self.row, "moment": np.array(self.moments, dtype=object)[self.moment],
            "opened_on": self.opened_on, "due_by": self.due_by, "closed_on": self.closed_on,
            "outcome": outcomes[self.outcome],
        }  # fmt: skip

    def _repr_html_(self) -> str:
        counts = np.bincount(self.moment, minlength=len(self.moments))
        rows = [(m, f"{int(c):,} actions") for m, c in zip(self.moments, counts, strict=True)]
        return summary_html(f"ActionLog of {len(self):,} actions", rows)

    @classmethod
    def from_actions(
        cls, actions: Iterable[Action], book: ManagerBook, *, genuine: Iterable[str] = ()
    ) -> ActionLog:
        """A log of :class:`~telcare.Action` values, customers located in ``book``.

        ``genuine`` names the customers whose data the callback confirmed: their
        reached callbacks count as ``"genuine"`` (``due_actions`` says only
        ``"reached"``).

        >>> from datetime import date
        >>> import telcare as tc
        >>> book = tc.manager_book(["c1"], ["li"])
        >>> a = tc.Action(tc.Moment.NEW_SUBSCRIBER_CALLBACK, "c1", date(2010, 1, 1), date(2010, 1, 4),
        ...               "done", tc.Channel.PHONE, 1, "callback", closed_on=date(2010, 1, 2), outcome="reached")
        >>> log = tc.ActionLog.from_actions([a], book, genuine={"c1"})
        >>> log.outcomes, log.row.tolist()
        (('genuine',), [0])
        """
        book = instance(book, ManagerBook, "from_actions() needs a ManagerBook, got {got}")
        listed = items(actions, "actions", of=Action)
        confirmed = {str(c) for c in items(genuine, "genuine", of=str)}
        outcome = [
            "genuine"
            if a.outcome == "reached" and a.customer_id in confirmed
            else (a.outcome or "")
            for a in listed
        ]
        return action_log(
            book.rows([a.customer_id for a in listed]) if listed else np.zeros(0, dtype=np.int64),
            [str(a.moment) for a in listed],
            [a.opened_on for a in listed],
            [a.due_by for a in listed],
            closed_on=[a.closed_on for a in listed],
            outcome=outcome,
        )


def action_log(
    row: Any,
    moment: Any,
    opened_on: Any,
    due_by: Any,
    *,
    closed_on: Any = None,
    outcome: Any = None,
    compliant: Any = None,
    moments: MomentRegistry | None = None,
    policy: Policy | None = None,
) -> ActionLog:
    """An :class:`ActionLog` from columns (see the module for the outcomes read).

    ``row`` is each action's customer row in the base; ``moment`` a moment of
    ``moments`` (the built-in :data:`~telcare.MOMENTS` by default: any other is
    refused, as no report would count it); ``outcome`` a label (``""`` for no
    outcome).  Labels are never missing.  Dates are ``date``, ``datetime64`` or
    ISO text, or aware datetimes read as their days in the policy's time zone;
    NaT/``None`` in ``closed_on`` while not done.  A closing before the opening,
    or a deadline before it, is refused with its index.

    >>> import telcare as tc
    >>> tc.action_log([0], ["first_bill"], ["2010-11-29"], ["2010-11-28"])
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: due_by 2010-11-28 is before opened_on 2010-11-29 at index 0
    >>> tc.action_log([0], ["frist_bill"], ["2010-11-29"], ["2010-11-30"])
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: moment 'frist_bill' at index 0 is no moment of the registry; known: ['new_subscriber_callback', 'first_tutoring', 'first_bill', 'credit_alert', 'usage_anomaly', 'contract_expiry', 'cancellation_request', 'birthday', 'points_expiry', 'tier_change'] (give moments= for a registry of your own)
    """
    tz = as_policy(policy).timezone
    registry = _registry(moments)
    rows = int_column(no_bools(row, "row"), "row", maximum=MAX_COUNT)
    n = len(rows)
    names, moment_codes = _moments(moment, registry)
    opened = day_column(opened_on, "opened_on", tz, n)
    due = day_column(due_by, "due_by", tz, n)
    closed = (
        np.full(n, np.datetime64("NaT", "D"), dtype="datetime64[D]")
        if closed_on is None
        else day_column(closed_on, "closed_on", tz, n, optional=True)
    )
    outcomes, outcome_codes = _outcomes(outcome, n)
    same_length(row=rows, moment=moment_codes, outcome=outcome_codes)
    for name, dates in (("due_by", due), ("closed_on", closed)):
        early = dates < opened
        if early.any():
            i = int(np.argmax(early))
            raise InvalidInput(f"{name} {dates[i]} is before opened_on {opened[i]} at index {i}")
    flags = None if compliant is None else bool_column(compliant, "compliant")
    if flags is not None:
        same_length(row=rows, compliant=flags)
    _known(names, moment_codes, registry)
    return ActionLog(
        rows, moment_codes, names, opened, due, closed, outcome_codes, outcomes, flags, tz
    )
