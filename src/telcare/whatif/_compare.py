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

from telcare._core.checks import bool_column, column, int_column, plain_date, same_length
from telcare._core.display import frame_from_columns, summary_html
from telcare._core.errors import InvalidInput
from telcare._core.limits import MAX_AVG_SPEND, MAX_BILL, MAX_COUNT, MAX_FEN, MAX_POINTS
from telcare._core.money import format_yuan
from telcare.benefits import check_benefits, check_suspensions, credit_allowances
from telcare.customers import AccountStatus, Verification
from telcare.moments import scan_moments
from telcare.points import points_for_bills, programme_economics
from telcare.policy import BENEFIT_CODES, Policy, as_policy
from telcare.tiers import evaluate_tiers, mid_high_end

__all__ = ["CustomerBase", "PolicyComparison", "PolicyOutcome", "compare_policies"]

I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


_SCALAR_LIMITS: dict[str, tuple[int, int]] = {
    "missed": (0, MAX_COUNT),
    "segment_spend": (0, MAX_AVG_SPEND),
    "tenure_days": (0, 10**6),
    "plan_fee": (0, MAX_FEN),
    "verification": (0, len(Verification) - 1),
    "status": (0, len(AccountStatus) - 1),
    "credit_level": (1, 1_000),
    "points_balance": (0, MAX_POINTS),
}
_TABLE_LIMITS: dict[str, int] = {
    "bills": MAX_BILL,
    "data_bills": MAX_BILL,
    "anniversary_years": 10_000,
}


def _table(value: Any, name: str, maximum: int | None) -> Any:
    array = column(value, name, ndim=None)
    if array.ndim != 2:
        raise InvalidInput(
            f"{name} must be a 2-D table (customers x months), got {array.ndim} dimension(s)"
        )
    flat = array.reshape(-1)
    if maximum is None:
        return bool_column(flat, name).reshape(array.shape)
    return int_column(flat, name, maximum=maximum).reshape(array.shape)


class CustomerBase:
    """The columns of a customer base that the whole-base rules read, aligned by row.

    Required: ``ids``, ``avg_spend`` (average monthly spend over the tier window,
    fen) and ``months`` (billed months in it).  Optional, each with the default
    a new base would have: ``tier`` (present tier codes; the ladder's floor),
    ``missed`` (0), ``segment_spend`` (last year's average for the segment;
    ``avg_spend``), ``tenure_days``, ``plan_fee`` (0), ``verification`` and
    ``status`` (integer codes; unverified, active), ``credit_level``; the
    period's bills for points as customers x months tables: ``bills`` (fen),
    ``data_bills`` (0), ``paid_on_time`` (all), ``anniversary_years`` (0);
    ``points_balance`` (points outstanding before the period, 0); and
    ``moment_columns``, the snapshot columns :func:`scan_moments` takes (an
    ``allowance`` column is derived from ``credit_level`` per policy when
    ``used`` is given without one).  Every column is checked on the way in;
    the base is immutable.
    """

    __slots__ = (
        "anniversary_years", "avg_spend", "bills", "credit_level", "data_bills", "ids", "missed",
        "moment_columns", "months", "paid_on_time", "plan_fee", "points_balance",
        "segment_spend", "status", "tenure_days", "tier", "verification",
    )  # fmt: skip
    ids: npt.NDArray[Any]
    avg_spend: I64
    months: I64
    tier: npt.NDArray[Any] | None
    missed: I64 | None
    segment_spend: I64 | None
    tenure_days: I64 | None
    plan_fee: I64 | None
    verification: I64 | None
    status: I64 | None
    credit_level: I64 | None
    bills: I64 | None
    data_bills: I64 | None
    paid_on_time: Bools | None
    anniversary_years: I64 | None
    points_balance: I64 | None
    moment_columns: Mapping[str, Any]

    def __init__(
        self,
        ids: Any,
        avg_spend: Any,
        months: Any,
        *,
        tier: Any = None,
        moment_columns: Mapping[str, Any] | None = None,
        **optional: Any,
    ) -> None:
        unknown = sorted(
            set(optional) - set(_SCALAR_LIMITS) - set(_TABLE_LIMITS) - {"paid_on_time"}
        )
        if unknown:
            raise InvalidInput(f"CustomerBase has no column {unknown[0]!r}")
        values: dict[str, Any] = {
            "ids": column(ids, "ids"),
            "avg_spend": int_column(avg_spend, "avg_spend", maximum=MAX_AVG_SPEND),
            "months": int_column(months, "months", maximum=10_000),
            "tier": None if tier is None else column(tier, "tier"),
        }
        for name, (low, high) in _SCALAR_LIMITS.items():
            given = optional.get(name)
            values[name] = (
                None if given is None else int_column(given, name, minimum=low, maximum=high)
            )
        tables_to_read: list[tuple[str, int | None]] = [
            *_TABLE_LIMITS.items(),
            ("paid_on_time", None),
        ]
        for name, most in tables_to_read:
            given = optional.get(name)
            values[name] = None if given is None else _table(given, name, most)
        n = same_length(**{k: v for k, v in values.items() if v is not None and v.ndim == 1})
        tables = {k: v for k, v in values.items() if v is not None and v.ndim == 2}
        if tables and values["bills"] is None:
            raise InvalidInput(f"{sorted(tables)} describe bills: give bills too")
        for name, table in tables.items():
            if table.shape != (n, values["bills"].shape[1]):
                raise InvalidInput(
                    f"{name} must have shape {(n, values['bills'].shape[1])} like bills, got {table.shape}"
                )
        if moment_columns is None:
            moment_columns = {}
        if not isinstance(moment_columns, Mapping):
            raise InvalidInput(
                "moment_columns must map scan_moments() column names to columns, "
                f"got {type(moment_columns).__name__}"
            )
        values["moment_columns"] = dict(moment_columns)
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"CustomerBase is immutable; build a new one to change {name}")

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        required = ("ids", "avg_spend", "months", "moment_columns")
        given = [n for n in self.__slots__ if n not in required and getattr(self, n) is not None]
        return f"CustomerBase({len(self):,} customers; columns: ids, avg_spend, months, {', '.join(given)})"


@attrs.frozen(slots=True, eq=False)
class PolicyOutcome:
    """One policy's results on the base: columns per customer and the totals."""

    policy: Policy
    tier: I64
    member: Bools
    benefits: Bools
    points: I64
    suspend: Bools
    segment_cut: int
    revenue: int
    return_rate: float
    cost_ratio: float
    liability: int
    moments: dict[str, int]

    def totals(self) -> dict[str, Any]:
        """The base-wide figures of this policy as plain values."""
        return {
            "segment_size": int(self.member.sum()),
            "segment_cut": self.segment_cut,
            "benefits": {
                c: int(v) for c, v in zip(BENEFIT_CODES, self.benefits.sum(axis=0), strict=True)
            },
            "points_issued": int(self.points.sum()),
            "liability": self.liability,
            "return_rate": self.return_rate,
            "cost_ratio": self.cost_ratio,
            "suspensions": int(self.suspend.sum()),
            "moments": dict(self.moments),
        }

    def to_dict(self) -> dict[str, Any]:
        """The totals as JSON-ready values (the per-customer columns stay numpy attributes)."""
        return self.totals()

    def _repr_html_(self) -> str:
        t = self.totals()
        rows = [("segment", f"{t['segment_size']:,} customers, cut at {format_yuan(t['segment_cut'])}"),
                ("points issued", f"{t['points_issued']:,}"), ("liability", format_yuan(t["liability"])),
                ("return rate", f"{t['return_rate']:.2%}"), ("cost ratio", f"{t['cost_ratio']:.2%}"),
                ("suspensions", f"{t['suspensions']:,}")]  # fmt: skip
        rows += [(f"moment {m}", f"{c:,} due") for m, c in t["moments"].items()]
        return summary_html("PolicyOutcome", rows)


def _evaluate(base: CustomerBase, policy: Policy, as_of: date) -> PolicyOutcome:
    codes = policy.tiers.codes
    n = len(base)
    if base.tier is None:
        current = np.zeros(n, dtype=np.int64)
    else:
        lookup = {code: i for i, code in enumerate(codes)}
        labels, inverse = np.unique(base.tier.astype(str), return_inverse=True)
        unknown = [x for x in labels.tolist() if x not in lookup]
        if unknown:
            raise InvalidInput(f"tier codes {unknown} are not on the ladder {list(codes)}")
        current = np.array([lookup[x] for x in labels.tolist()], dtype=np.int64)[inverse]
    tiers = evaluate_tiers(base.avg_spend, base.months, current, base.missed, policy=policy)
    eligible_codes = [policy.tiers.index(c) for c in policy.segment.eligible_tiers]
    spend = base.avg_spend if base.segment_spend is None else base.segment_spend
    member = mid_high_end(
        spend,
        np.isin(tiers.tier, eligible_codes),
        tenure_days=base.tenure_days,
        ids=base.ids,
        share=policy.segment.share,
    )
    cut = int(spend[member].min()) if member.any() else 0
    zeros = np.zeros(n, dtype=np.int64)
    benefits = check_benefits(
        tiers.tier,
        member,
        zeros if base.plan_fee is None else base.plan_fee,
        zeros if base.verification is None else base.verification,
        zeros if base.status is None else base.status,
        credit_level=base.credit_level,
        policy=policy,
    )
    points = np.zeros(n, dtype=np.int64)
    revenue = 0
    if base.bills is not None:
        for month in range(base.bills.shape[1]):
            bill = base.bills[:, month]
            points += points_for_bills(
                bill,
                zeros if base.data_bills is None else base.data_bills[:, month],
                np.ones(n, bool) if base.paid_on_time is None else base.paid_on_time[:, month],
                tiers.tier,
                zeros if base.anniversary_years is None else base.anniversary_years[:, month],
                policy=policy,
            )
        revenue = int(base.bills.sum())
    balance = 0 if base.points_balance is None else int(base.points_balance.sum())
    issued = int(points.sum())
    if revenue:
        econ = programme_economics(revenue, issued, balance + issued, policy=policy)
        return_rate, cost_ratio, liability = econ.return_rate, econ.cost_ratio, econ.liability
    else:
        return_rate = cost_ratio = float("nan")
        liability = (balance + issued) * policy.points.fen_per_point
    columns = dict(base.moment_columns)
    if "used" in columns and "allowance" not in columns and base.credit_level is not None:
        top = max(policy.credit.allowances)
        if int(base.credit_level.max(initial=0)) > top:
            raise InvalidInput(f"credit levels above {top} are not in the policy")
        # a level the policy skips is refused by name, not read as no allowance
        columns["allowance"] = credit_allowances(base.credit_level, policy=policy)
    opened: dict[str, int] = {}
    if columns:
        scan = scan_moments(as_of, policy=policy, **columns)
        opened = {str(m): int(d.sum()) for m, d in scan.due.items()}
    suspend = np.zeros(n, dtype=bool)
    if "used" in columns and base.credit_level is not None:
        suspend = check_suspensions(
            int_column(columns["used"], "used", maximum=10**13), base.credit_level, zeros,
            policy=policy,
        )  # fmt: skip
    return PolicyOutcome(
        policy, tiers.tier, member, benefits, points, suspend, cut, revenue,
        return_rate, cost_ratio, liability, opened,
    )  # fmt: skip


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

    def reasons(self, limit: int | None = 100) -> list[str]:
        """Why each changed customer changed (the first ``limit``, all with ``None``)."""
        rows = np.flatnonzero(self.changed)
        if limit is not None:
            rows = rows[: max(0, int(limit))]
        b, a = self.before, self.after
        out = []
        for i in rows.tolist():
            parts = []
            tb, ta = self.before_codes[b.tier[i]], self.after_codes[a.tier[i]]
            if tb != ta:
                parts.append(f"tier {tb} -> {ta}")
            if b.member[i] != a.member[i]:
                parts.append("joins the segment" if a.member[i] else "leaves the segment")
            if b.points[i] != a.points[i]:
                parts.append(f"points {b.points[i]} -> {a.points[i]}")
            gained = [
                c for j, c in enumerate(BENEFIT_CODES) if a.benefits[i, j] and not b.benefits[i, j]
            ]
            lost = [
                c for j, c in enumerate(BENEFIT_CODES) if b.benefits[i, j] and not a.benefits[i, j]
            ]
            if gained:
                parts.append("gained " + ", ".join(gained))
            if lost:
                parts.append("lost " + ", ".join(lost))
            if b.suspend[i] != a.suspend[i]:
                parts.append("now suspended" if a.suspend[i] else "no longer suspended")
            out.append(f"{self.ids[i]}: " + "; ".join(parts))
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
    before: Policy | Mapping[str, Any] | None,
    after: Policy | Mapping[str, Any] | None,
    *,
    as_of: date,
) -> PolicyComparison:
    """Evaluate one base under two policies and compare them, customer by customer.

    ``base`` is a :class:`CustomerBase` or a mapping of its columns; ``before``
    and ``after`` are policies (or mappings validated into one; ``None`` for the
    default); ``as_of`` is the day the snapshot moments are evaluated.  Each
    side equals running the batch rules with that policy by hand.

    >>> from datetime import date
    >>> import telcare as tc
    >>> base = {"ids": ["a", "b", "c", "d", "e"], "months": [12] * 5,
    ...         "avg_spend": [9_000, 12_000, 15_000, 18_000, 30_000]}
    >>> cmp = tc.compare_policies(base, None, {"segment": {"share": "0.5"}}, as_of=date(2010, 12, 1))
    >>> cmp.changed_ids.tolist(), cmp.reasons()[0]
    (['c', 'd'], 'c: joins the segment; gained phone_manager, green_channel, priority_promotions, hotline_seat, free_sim_replacement, remote_suspend_resume, new_service_trial, international_activation, merchant_alliance')
    """
    if not isinstance(base, CustomerBase):
        if not isinstance(base, Mapping):
            raise InvalidInput(
                f"base must be a CustomerBase or a mapping of its columns, got {type(base).__name__}"
            )
        base = CustomerBase(**base)
    plain_date(as_of, "as_of")
    old, new = _evaluate(base, as_policy(before), as_of), _evaluate(base, as_policy(after), as_of)
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
