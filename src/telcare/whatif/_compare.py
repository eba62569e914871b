"""What-if: one customer base under two policies, side by side.

:func:`compare_policies` runs the whole-base rules (tiers, the segment,
benefits, points and their economics, suspensions, the snapshot moments)
once per policy on the same :class:`CustomerBase` and returns a
:class:`PolicyComparison`: the tier migration between the two, the segment's
size and cut, benefits granted per code, points issued, liability, return
rate and cost ratio, moments opened per moment, and every customer whose
outcome changed, with the reason.

>>> from datetime import date
>>> import telcare as tc
>>> base = tc.CustomerBase(ids=["a", "b", "c"], avg_spend=[55_000, 42_000, 9_000],
...                        months=[12, 12, 12], plan_fee=[12_800, 9_600, 5_800],
...                        verification=[1, 1, 1], bills=[[55_000], [42_000], [9_000]])
>>> policy = tc.default_policy()
>>> ladder = [r.model_copy(update={"min_avg_spend": 60_000}) if r.code == "gold" else r
...           for r in policy.tiers.ladder]
>>> richer = policy.model_copy(update={"tiers": policy.tiers.model_copy(update={"ladder": ladder})})
>>> cmp = tc.compare_policies(base, policy, richer, as_of=date(2010, 12, 1))
>>> cmp.changed_ids.tolist(), cmp.reasons()
(['a'], ['a: tier gold -> silver; points 607 -> 579'])
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

import telcare.whatif._reasons as why
from telcare._core.checks import integer, mapping, plain_date
from telcare._core.display import frame_from_columns
from telcare._core.limits import MAX_COUNT
from telcare._core.money import format_yuan
from telcare._core.reasons import Reason
from telcare.policy import BENEFIT_CODES, Policy, PolicySchedule, resolve
from telcare.whatif._base import I64, Bools, CustomerBase
from telcare.whatif._outcome import PolicyOutcome, evaluate

__all__ = ["CustomerBase", "PolicyComparison", "PolicyOutcome", "compare_policies"]


@attrs.frozen(slots=True, eq=False)
class PolicyComparison:
    """One base under two policies: per-customer outcomes, totals and what changed.

    ``migration[i, j]`` counts customers in ``before``'s tier ``i`` and
    ``after``'s tier ``j`` (codes in ``before_codes`` and ``after_codes``);
    ``changed`` marks the customers whose tier, segment membership, benefits,
    points or suspension differ.
    """

    ids: npt.NDArray[Any]
    before: PolicyOutcome
    after: PolicyOutcome
    migration: I64
    changed: Bools

    @property
    def before_codes(self) -> tuple[str, ...]:
        """The tier codes of ``before``'s ladder (rows of ``migration``)."""
        return self.before.policy.tiers.codes

    @property
    def after_codes(self) -> tuple[str, ...]:
        """The tier codes of ``after``'s ladder (columns of ``migration``)."""
        return self.after.policy.tiers.codes

    @property
    def changed_ids(self) -> npt.NDArray[Any]:
        """The ids of the customers whose outcome changed, in base order."""
        return self.ids[self.changed]

    def reasons(self, limit: int | None = 100) -> list[Reason]:
        """Why each changed customer changed (the first ``limit``, all with ``None``):
        each a :class:`~telcare.Reason` (``whatif.changed``, the changes nested in it).

        ``limit`` is a count (an ``int`` from 0 to ``MAX_COUNT``) or ``None``; anything
        else is refused by name.
        """
        rows = np.flatnonzero(self.changed)
        if limit is not None:
            rows = rows[: integer(limit, "limit", maximum=MAX_COUNT)]
        b, a = self.before, self.after
        out = []
        for i in rows.tolist():
            parts = []
            tb, ta = self.before_codes[b.tier[i]], self.after_codes[a.tier[i]]
            if tb != ta:
                parts.append(why.MOVED(before=tb, after=ta))
            if b.member[i] != a.member[i]:
                parts.append(why.JOINS() if a.member[i] else why.LEAVES())
            if b.points[i] != a.points[i]:
                parts.append(why.POINTS(before=b.points[i], after=a.points[i]))
            gained = [
                c for j, c in enumerate(BENEFIT_CODES) if a.benefits[i, j] and not b.benefits[i, j]
            ]
            lost = [
                c for j, c in enumerate(BENEFIT_CODES) if b.benefits[i, j] and not a.benefits[i, j]
            ]
            if gained:
                parts.append(why.GAINED(benefits=gained))
            if lost:
                parts.append(why.LOST(benefits=lost))
            if b.suspend[i] != a.suspend[i]:
                parts.append(why.SUSPENDED() if a.suspend[i] else why.RESUMED())
            out.append(why.CHANGED(customer=str(self.ids[i]), changes=parts))
        return out

    def summary(self) -> list[tuple[str, str, str]]:
        """(figure, before, after) rows of the base-wide totals."""
        b, a = self.before.totals(), self.after.totals()

        def rate(x: float) -> str:
            return "-" if x != x else f"{x:.2%}"

        rows = [
            ("segment size", f"{b['segment_size']:,}", f"{a['segment_size']:,}"),
            ("segment cut", format_yuan(b["segment_cut"]), format_yuan(a["segment_cut"])),
            ("points issued", f"{b['points_issued']:,}", f"{a['points_issued']:,}"),
            ("liability", format_yuan(b["liability"]), format_yuan(a["liability"])),
            ("return rate", rate(b["return_rate"]), rate(a["return_rate"])),
            ("cost ratio", rate(b["cost_ratio"]), rate(a["cost_ratio"])),
            ("suspensions", f"{b['suspensions']:,}", f"{a['suspensions']:,}"),
        ]
        rows += [
            (f"benefit {code}", f"{b['benefits'][code]:,}", f"{a['benefits'][code]:,}")
            for code in BENEFIT_CODES
        ]
        for moment in dict.fromkeys([*b["moments"], *a["moments"]]):
            rows.append(
                (
                    f"moment {moment}",
                    f"{b['moments'].get(moment, 0):,}",
                    f"{a['moments'].get(moment, 0):,}",
                )
            )
        return rows

    def __str__(self) -> str:
        lines = [f"{len(self.ids):,} customers; {int(self.changed.sum()):,} change", ""]
        width = max(len(c) for c in (*self.before_codes, "before/after"))
        lines.append(
            f"{'before/after':>{width}}" + "".join(f"{c:>{width + 2}}" for c in self.after_codes)
        )
        for code, row in zip(self.before_codes, self.migration.tolist(), strict=True):
            lines.append(f"{code:>{width}}" + "".join(f"{v:>{width + 2},}" for v in row))
        lines.append("")
        lines += [f"{name:<34} {b:>16} {a:>16}" for name, b, a in self.summary()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        head = (
            "<tr><th></th>"
            + "".join(f"<th>{html.escape(c)}</th>" for c in self.after_codes)
            + "</tr>"
        )
        body = "".join(
            f"<tr><th>{html.escape(code)}</th>" + "".join(f"<td>{v:,}</td>" for v in row) + "</tr>"
            for code, row in zip(self.before_codes, self.migration.tolist(), strict=True)
        )
        totals = "".join(
            f"<tr><th style='text-align:left'>{html.escape(n)}</th><td>{html.escape(b)}</td>"
            f"<td>{html.escape(a)}</td></tr>"
            for n, b, a in self.summary()
        )
        return (
            f"<table><caption>Tier migration ({int(self.changed.sum()):,} of {len(self.ids):,} "
            f"customers change)</caption>{head}{body}</table>"
            f"<table><caption>Before and after</caption><tr><th></th><th>before</th>"
            f"<th>after</th></tr>{totals}</table>"
        )

    def to_dict(self) -> dict[str, Any]:
        """Totals, migration and the changed ids as plain values."""
        return {
            "customers": len(self.ids),
            "changed": int(self.changed.sum()),
            "changed_ids": self.changed_ids.tolist(),
            "before_codes": list(self.before_codes),
            "after_codes": list(self.after_codes),
            "migration": self.migration.tolist(),
            "before": self.before.totals(),
            "after": self.after.totals(),
        }

    def to_frame(self) -> Any:
        """One row per changed customer: tiers, segment, points and suspension before and after."""
        rows = self.changed
        b, a = self.before, self.after
        return frame_from_columns({
            "id": self.ids[rows],
            "tier_before": np.asarray(self.before_codes, dtype=object)[b.tier[rows]],
            "tier_after": np.asarray(self.after_codes, dtype=object)[a.tier[rows]],
            "segment_before": b.member[rows], "segment_after": a.member[rows],
            "points_before": b.points[rows], "points_after": a.points[rows],
            "benefits_before": b.benefits[rows].sum(axis=1),
            "benefits_after": a.benefits[rows].sum(axis=1),
            "suspended_before": b.suspend[rows], "suspended_after": a.suspend[rows],
        })  # fmt: skip


def compare_policies(
    base: CustomerBase | Mapping[str, Any],
    before: Policy | PolicySchedule | Mapping[str, Any] | None,
    after: Policy | PolicySchedule | Mapping[str, Any] | None,
    *,
    as_of: date,
) -> PolicyComparison:
    """Evaluate one base under two policies and compare them, customer by customer.

    ``base`` is a :class:`CustomerBase` or a mapping of its columns; ``before``
    and ``after`` are policies (or mappings validated into one; ``None`` for the
    default) or :class:`~telcare.PolicySchedule` values; ``as_of`` is the day the
    snapshot moments are evaluated.  Each side equals running the batch rules with
    that policy by hand.

    >>> from datetime import date
    >>> import telcare as tc
    >>> base = {"ids": ["a", "b", "c", "d", "e"], "months": [12] * 5,
    ...         "avg_spend": [9_000, 12_000, 15_000, 18_000, 30_000]}
    >>> cmp = tc.compare_policies(base, None, {"segment": {"share": "0.5"}}, as_of=date(2010, 12, 1))
    >>> cmp.changed_ids.tolist(), cmp.reasons()[0]
    (['c', 'd'], 'c: joins the segment; gained phone_manager, green_channel, priority_promotions, hotline_seat, free_sim_replacement, remote_suspend_resume, new_service_trial, international_activation, merchant_alliance')

    Two schedules are compared on ``as_of``: each side runs under the policy its
    schedule has in force that day, since the comparison evaluates the base on that
    one day (compare on each date of ``schedule.starts`` to see every version).  A
    schedule may also meet a plain policy, e.g. the programme as planned against
    the policy of today.

    >>> planned = tc.PolicySchedule({date(2010, 1, 1): tc.default_policy(),
    ...                              date(2010, 7, 1): {"segment": {"share": "0.5"}}})
    >>> [len(tc.compare_policies(base, None, planned, as_of=date(2010, m, 1)).changed_ids)
    ...  for m in (6, 7)]
    [0, 2]
    """
    if not isinstance(base, CustomerBase):
        base = mapping(base, "base must be a CustomerBase or a mapping of its columns, got {got}")
        base = CustomerBase(**base)
    plain_date(as_of, "as_of")
    old = evaluate(base, resolve(before, "compare_policies", as_of=as_of), as_of)
    new = evaluate(base, resolve(after, "compare_policies", as_of=as_of), as_of)
    k_old, k_new = len(old.policy.tiers.codes), len(new.policy.tiers.codes)
    migration = np.bincount(old.tier * k_new + new.tier, minlength=k_old * k_new).reshape(
        k_old, k_new
    )
    changed = (
        (
            np.asarray(old.policy.tiers.codes)[old.tier]
            != np.asarray(new.policy.tiers.codes)[new.tier]
        )
        | (old.member != new.member)
        | (old.points != new.points)
        | (old.suspend != new.suspend)
        | (old.benefits != new.benefits).any(axis=1)
    )
    return PolicyComparison(base.ids, old, new, migration, changed)
