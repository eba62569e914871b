"""The policy each month of the store ran under, for rebuilding its points.

A run keeps its policy (its JSON) in the store's ``policies`` table, and the points
book is rebuilt under a :class:`~telcare.PolicySchedule` of the stored months'
policies, each from its month's first day, then this run's: so a change of
``points.expire_after_cycles`` (or ``pending_days``, or the value of a point) between
two months gives this month's postings the new terms and leaves the earlier months'
lots as they were made (docs/points.md, "Points under a schedule").  A month run
before the store kept its policy is rebuilt under this run's.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from pydantic import ValidationError

from telcare.cli._run_refusals import refused
from telcare.policy import Policy, PolicySchedule

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

__all__ = ["book_policy"]


def _kept(text: str, month: str) -> Policy:
    try:
        return Policy.model_validate_json(text)
    except ValidationError as exc:
        raise refused("run.store.kept_policy", month=month, errors=exc.error_count()) from None


def book_policy(
    con: DuckDBPyConnection, months: list[str], policy: Policy, start: date
) -> Policy | PolicySchedule:
    """What the book of the store's ``months`` (oldest first) and of a month from
    ``start`` run under ``policy`` follows: ``policy`` when every month ran under it,
    else the schedule of each month's policy from its first day.

    >>> import duckdb
    >>> con = duckdb.connect()
    >>> _ = con.execute("CREATE TABLE policies (month VARCHAR, policy VARCHAR)")
    >>> _ = con.execute("INSERT INTO policies VALUES ('2010-10', ?)", [Policy().model_dump_json()])
    >>> book_policy(con, ["2010-10"], Policy(), date(2010, 11, 1)) == Policy()
    True
    >>> short = Policy.model_validate({"points": {"expire_after_cycles": 0}})
    >>> book_policy(con, ["2010-10"], short, date(2010, 11, 1))
    PolicySchedule(from 2010-10-01, 2010-11-01)
    >>> book_policy(con, ["2010-09", "2010-10"], short, date(2010, 11, 1))  # 09 kept none
    PolicySchedule(from 2010-09-01, 2010-10-01, 2010-11-01)
    """
    kept = dict(con.execute("SELECT month, policy FROM policies").fetchall())
    entries: list[tuple[date, Policy]] = []
    for month in months:
        ran = _kept(kept[month], month) if kept.get(month) else policy
        if not entries or ran != entries[-1][1]:
            entries.append((date.fromisoformat(f"{month}-01"), ran))
    if not entries or policy != entries[-1][1]:
        entries.append((start, policy))
    return policy if len(entries) == 1 else PolicySchedule(entries)
