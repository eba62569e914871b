"""The suspicious-user list (seed 001's first name list): who, which rules flagged
them, since when, the developer's 5-day re-verification and its status, and what
confirmed cases cost per developer and per sales channel.

>>> from datetime import date
>>> import telcare as tc
>>> case = tc.SuspiciousCase("13800000001", date(2010, 10, 4), developer="op17", channel="own",
...                          facts=tc.CallbackFacts(failed_attempt_slots=3))
>>> sl = tc.suspicious_list([case], as_of=date(2010, 10, 12))
>>> sl.rows[0].evidence, sl.rows[0].follow_up.status
(('callbacks failed in 3 different time slots (>= 3)',), 'overdue')
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, ClassVar

import attrs

from telcare._core.checks import field, flag, instance, items, one_of, plain_date, text
from telcare._core.display import Explained
from telcare._core.errors import InvalidInput
from telcare._core.label_checks import local_day
from telcare._core.reasons import Reason
from telcare._core.ui import join
from telcare.benefits import CallbackFacts, FollowUp, is_suspicious, suspicious_follow_up
from telcare.operations._labels import JsonColumns, list_text
from telcare.policy import Policy, PolicySchedule, resolve

__all__ = ["SuspiciousCase", "SuspiciousList", "SuspiciousRow", "suspicious_list"]


def _channel(instance: object, attribute: object, value: str) -> None:
    # a str first: ``in`` on an array asks for its truth value
    one_of(value if isinstance(value, str) else repr(value), "SuspiciousCase.channel",
           options=("own", "agent"))  # fmt: skip


def _facts(_: object, attribute: object, value: Any) -> None:
    instance(value, CallbackFacts, "SuspiciousCase.facts must be CallbackFacts, got {got}")


@attrs.frozen(slots=True)
class SuspiciousCase:
    """One new subscriber under suspicion: the callback's facts, who opened the
    account through which channel, and the re-verification so far."""

    customer_id: str = attrs.field(validator=field(text))
    flagged_on: date = attrs.field(validator=field(plain_date))
    developer: str = attrs.field(validator=field(text))
    channel: str = attrs.field(validator=_channel)
    facts: CallbackFacts = attrs.field(validator=_facts)
    reverified_on: date | None = attrs.field(
        default=None, validator=field(plain_date, optional=True)
    )
    confirmed: bool | None = attrs.field(default=None, validator=field(flag, optional=True))

    def __attrs_post_init__(self) -> None:
        # one check of the re-verification's facts: the rule's own, so a case the list
        # accepts is one suspicious_follow_up accepts (a verdict needs its date)
        try:
            suspicious_follow_up(
                self.flagged_on, as_of=max(self.flagged_on, self.reverified_on or self.flagged_on),
                reverified_on=self.reverified_on, confirmed=self.confirmed,
                channel=self.channel,  # type: ignore[arg-type]
            )  # fmt: skip
        except InvalidInput as exc:
            raise InvalidInput(f"SuspiciousCase {self.customer_id!r}: {exc}") from None


@attrs.frozen(slots=True)
class SuspiciousRow(Explained):
    """A case on the list: the evidence (each rule that fired, a :class:`~telcare.Reason`
    of code ``verification.*``) and the follow-up; ``to_dict(lang=...)`` carries both."""

    customer_id: str
    developer: str
    channel: str
    evidence: tuple[Reason, ...]
    follow_up: FollowUp


@attrs.frozen(slots=True, eq=False)
class SuspiciousList(JsonColumns):
    """The suspicious users on a day, and the penalties and withheld commissions
    of confirmed cases per developer and per channel (fen, counts)."""

    as_of: date
    rows: tuple[SuspiciousRow, ...]
    penalty_by_developer: dict[str, int]
    withheld_by_developer: dict[str, int]
    cases_by_channel: dict[str, int]
    confirmed_by_channel: dict[str, int]
    _units: ClassVar[dict[str, str]] = {"penalty": "fen"}

    def __len__(self) -> int:
        return len(self.rows)

    def _columns(self) -> dict[str, Any]:
        """One row per case: who, developer, channel, evidence, deadline, status, penalty."""
        return {
            "customer": [r.customer_id for r in self.rows],
            "developer": [r.developer for r in self.rows],
            "channel": [r.channel for r in self.rows],
            "evidence": ["; ".join(r.evidence) for r in self.rows],
            "flagged_on": [r.follow_up.flagged_on for r in self.rows],
            "reverify_by": [r.follow_up.due_by for r in self.rows],
            "status": [r.follow_up.status for r in self.rows],
            "penalty": [r.follow_up.penalty for r in self.rows],
            "commission_withheld": [r.follow_up.commission_withheld for r in self.rows],
        }  # fmt: skip

    def to_text(self, *, lang: str = "en") -> str:
        """The first cases as a text table in ``lang`` (``"en"`` or ``"zh_CN"``): the
        evidence in that language, penalties as ``¥1,234.56``, days ISO.

        >>> from datetime import date
        >>> import telcare as tc
        >>> case = tc.SuspiciousCase("13800000011", date(2010, 10, 4), "op17", "own",
        ...                          tc.CallbackFacts(signature_ok=False),
        ...                          reverified_on=date(2010, 10, 8), confirmed=True)
        >>> print(tc.suspicious_list([case], as_of=date(2010, 10, 12)).to_text(lang="zh_CN"))
        疑问用户名单：共1行
          客户         发展人  渠道      疑问依据          标记日期    复核截止    状态       罚款  扣发佣金
          13800000011  op17    自有渠道  签名缺失或不清晰  2010-10-04  2010-10-09  已完成  ¥150.00  否
        """
        columns = self._columns()
        columns["evidence"] = [
            join(lang, [e.text(lang) if isinstance(e, Reason) else str(e) for e in r.evidence],
                 semicolon=True)
            for r in self.rows
        ]  # fmt: skip
        cells = {"channel": "ui_channel", "status": "ui_state"}
        return list_text(self, lang, columns, cells)

    def __str__(self) -> str:
        return self.to_text()


def suspicious_list(
    cases: Iterable[SuspiciousCase], *, as_of: date, policy: Policy | PolicySchedule | None = None
) -> SuspiciousList:
    """Every case whose facts make the user suspicious, with its follow-up on ``as_of``.

    A case whose facts no longer make the user suspicious (the papers were
    corrected) drops off the list.  Cases flagged after ``as_of`` are not yet on it,
    and a re-verification after ``as_of`` has not happened yet.  ``as_of`` may be an
    aware datetime, read as its day in the policy's time zone.

    >>> from datetime import date
    >>> import telcare as tc
    >>> cases = [tc.SuspiciousCase("c1", date(2010, 10, 4), "op17", "own",
    ...                            tc.CallbackFacts(signature_ok=False),
    ...                            reverified_on=date(2010, 10, 7), confirmed=True),
    ...          tc.SuspiciousCase("c2", date(2010, 10, 5), "agent9", "agent",
    ...                            tc.CallbackFacts(sms_failures=3),
    ...                            reverified_on=date(2010, 10, 6), confirmed=True)]
    >>> sl = tc.suspicious_list(cases, as_of=date(2010, 10, 12))
    >>> sl.penalty_by_developer, sl.withheld_by_developer, sl.confirmed_by_channel
    ({'op17': 15000}, {'agent9': 1}, {'agent': 1, 'own': 1})
    """
    policy = resolve(policy, "suspicious_list", as_of=as_of)
    today = local_day(as_of, "as_of", policy.timezone)
    listed = items(cases, "cases", of=SuspiciousCase)
    seen: set[str] = set()
    rows = []
    for case in listed:
        if case.customer_id in seen:
            raise InvalidInput(f"customer {case.customer_id!r} has two cases; keep the latest")
        seen.add(case.customer_id)
        if case.flagged_on > today:
            continue
        suspicion = is_suspicious(case.facts, policy=policy)
        if not suspicion.suspicious:
            continue
        reverified = (
            case.reverified_on
            if case.reverified_on is None or case.reverified_on <= today
            else None
        )
        follow = suspicious_follow_up(
            case.flagged_on, as_of=today, reverified_on=reverified,
            confirmed=case.confirmed if reverified is not None else None,
            channel=case.channel, policy=policy,  # type: ignore[arg-type]
        )  # fmt: skip
        rows.append(
            SuspiciousRow(case.customer_id, case.developer, case.channel, suspicion.reasons, follow)
        )
    return SuspiciousList(today, tuple(rows), *_totals(rows))


_Counts = dict[str, int]


def _totals(rows: list[SuspiciousRow]) -> tuple[_Counts, _Counts, _Counts, _Counts]:
    """Penalties and withheld commissions per developer, cases and confirmed per channel."""
    penalty: dict[str, int] = {}
    withheld: dict[str, int] = {}
    by_channel: dict[str, int] = {}
    confirmed: dict[str, int] = {}
    for r in rows:
        by_channel[r.channel] = by_channel.get(r.channel, 0) + 1
        if r.follow_up.confirmed:
            confirmed[r.channel] = confirmed.get(r.channel, 0) + 1
        if r.follow_up.penalty:
            penalty[r.developer] = penalty.get(r.developer, 0) + r.follow_up.penalty
        if r.follow_up.commission_withheld:
            withheld[r.developer] = withheld.get(r.developer, 0) + 1
    return (
        dict(sorted(penalty.items())), dict(sorted(withheld.items())),
        dict(sorted(by_channel.items())), dict(sorted(confirmed.items())),
    )  # fmt: skip
