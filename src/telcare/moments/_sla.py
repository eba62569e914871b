"""How well the key moments were served: completion and timeliness per moment.

>>> import telcare as tc
>>> sla_report([]).rows
()
"""

from collections.abc import Iterable
from typing import Any

import attrs

from telcare._core.checks import instance, items
from telcare._core.display import Displayable, Tabular, summary_html
from telcare.metrics import Rate
from telcare.moments._actions import Action
from telcare.policy import Moment

__all__ = ["MomentSla", "SlaReport", "sla_report"]


@attrs.frozen(slots=True)
class MomentSla(Displayable):
    """Service-level figures of one moment.

    ``completion`` is done / all actions; ``timeliness`` is done by ``due_by`` /
    actions already decided (done, or overdue), so actions still inside their
    deadline do not count against it.
    """

    moment: str
    total: int
    done: int
    on_time: int
    open: int
    overdue: int

    @property
    def completion(self) -> Rate:
        """Done out of all."""
        return Rate(self.done, self.total)

    @property
    def timeliness(self) -> Rate:
        """Done on time out of those decided (done or overdue)."""
        return Rate(self.on_time, self.done + self.overdue)


@attrs.frozen(slots=True)
class SlaReport(Tabular):
    """:class:`MomentSla` per moment that has any action, in moment order."""

    rows: tuple[MomentSla, ...]

    def _columns(self) -> dict[str, Any]:
        """One row per moment: counts, completion and timeliness."""
        return {
            "moment": [str(r.moment) for r in self.rows],
            "total": [r.total for r in self.rows],
            "done": [r.done for r in self.rows],
            "on_time": [r.on_time for r in self.rows],
            "open": [r.open for r in self.rows],
            "overdue": [r.overdue for r in self.rows],
            "completion": [r.completion.value for r in self.rows],
            "timeliness": [r.timeliness.value for r in self.rows],
        }

    def _repr_html_(self) -> str:
        rows = [(str(r.moment), f"{r.done}/{r.total} done, {r.overdue} overdue, on time {r.timeliness}")
                for r in self.rows]  # fmt: skip
        return summary_html("SLA report", rows)

    def __getitem__(self, moment: str) -> MomentSla:
        for row in self.rows:
            if row.moment == moment:
                return row
        try:
            return MomentSla(Moment(moment), 0, 0, 0, 0, 0)
        except ValueError:
            return MomentSla(str(getattr(moment, "value", moment)), 0, 0, 0, 0, 0)


def sla_report(actions: Iterable[Action]) -> SlaReport:
    """Completion, timeliness and overdue counts per moment, for the weekly reports.

    >>> import telcare as tc
    >>> from datetime import date
    >>> a = tc.Action(tc.Moment.FIRST_BILL, "c1", date(2010, 1, 1), date(2010, 1, 4), "done",
    ...               tc.Channel.PHONE, 4, "first bill", closed_on=date(2010, 1, 5))
    >>> row = tc.sla_report([a])[tc.Moment.FIRST_BILL]
    >>> row.done, row.on_time, str(row.timeliness)
    (1, 0, '0.00% [0.0, 79.3]')
    """
    counts: dict[str, list[int]] = {}
    for action in items(actions, "sla_report() actions", of=object):
        action = instance(action, Action, "sla_report() needs Actions, got {got}")
        c = counts.setdefault(action.moment, [0, 0, 0, 0, 0])
        c[0] += 1
        c[1] += action.status == "done"
        c[2] += bool(action.on_time)
        c[3] += action.status == "open"
        c[4] += action.status == "overdue"
    order = {m: i for i, m in enumerate(Moment)}
    ranked = sorted(counts, key=lambda m: (order.get(m, len(order)), str(m)))  # type: ignore[call-overload]
    return SlaReport(tuple(MomentSla(m, *counts[m]) for m in ranked))
