"""telcare beside what users would otherwise pick, on the same generated base.

For each case every contender gets the same rows (its own natural input is
built from them before the clock starts: a DataFrame for pandas, JSON-like
records for ZEN, ``Customer`` objects for telcare's scalar API) and must give
the numpy baseline's answer before any time is printed.  Sizes run from 10^4
to 10^7 rows; contenders that loop in Python or call an engine per record run
only up to ``--per-record-max`` rows (10^5 by default) since their cost per row
does not change with n.  ``growth`` is the slope of log(time) over log(n)
against the previous size: 1.0 is linear.

    python -m benchmarks --peers                 # the whole table (about ten minutes)
    python -m benchmarks --peers -k 'tiers*'     # one case
    python -m benchmarks --peers --smoke         # tiny sizes: proves every contender runs
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

import telcare as tc
from benchmarks import bench_benefits, bench_metrics, bench_moments, bench_points, bench_tiers
from benchmarks.harness import best_of, default_check, nbytes, peak_extra

POLICY = tc.default_policy()
CODES = POLICY.tiers.codes
SIZES = (10_000, 100_000, 1_000_000, 10_000_000)
SMOKE_SIZES = (300, 1_000)

try:  # GoRules ZEN: an optional peer (pip install zen-engine)
    import zen
except ImportError:  # pragma: no cover - the test extra installs it
    zen = None


def _identity(data: Any) -> Any:
    return data


@dataclass(frozen=True)
class Contender:
    """One way to get the answer: ``prepare`` builds its input (untimed), ``run`` is timed."""

    name: str
    run: Callable[[Any], Any]
    prepare: Callable[[dict[str, Any]], Any] = _identity
    per_record: bool = False  # loops over rows: run only up to the per-record cap
    memory: bool = True  # peak memory is meaningful (numpy buffers are traced; Rust's are not)


@dataclass(frozen=True)
class PeerCase:
    name: str
    setup: Callable[[int, np.random.Generator], dict[str, Any]]
    contenders: tuple[Contender, ...]  # the first is the reference answer and the baseline
    check: Callable[[Any, Any], None] = default_check
    sizes: tuple[int, ...] = SIZES
    left_out: str = ""


@dataclass
class Row:
    case: str
    contender: str
    n: int
    seconds: float
    baseline: float
    peak: int | None
    input_bytes: int
    growth: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- the contenders' inputs


def _pandas() -> Any:
    import pandas as pd

    return pd


def _frame(data: dict[str, Any]) -> Any:
    return _pandas().DataFrame(data)


def _python(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _records(data: dict[str, Any], rename: dict[str, Callable[[Any], Any]]) -> list[dict[str, Any]]:
    columns = {name: data[name].tolist() for name in rename}
    n = len(next(iter(columns.values())))
    return [{name: rename[name](columns[name][i]) for name in rename} for i in range(n)]


# ------------------------------------------------------------------------------ ZEN graphs


def _graph(*tables: dict[str, Any]) -> dict[str, Any]:
    """A JDM decision graph: input -> table -> ... -> output, each table passing data through."""
    nodes: list[dict[str, Any]] = [{"id": "in", "type": "inputNode", "name": "input"}]
    edges = []
    previous = "in"
    for i, table in enumerate(tables):
        node = f"t{i}"
        content = {"passThrough": True, "inputField": None, "outputPath": None,
                   "executionMode": "single", **table}  # fmt: skip
        nodes.append({"id": node, "type": "decisionTableNode", "name": node, "content": content})
        edges.append({"id": f"e{i}", "sourceId": previous, "targetId": node, "type": "edge"})
        previous = node
    nodes.append({"id": "out", "type": "outputNode", "name": "output"})
    edges.append({"id": "e-out", "sourceId": previous, "targetId": "out", "type": "edge"})
    return {"contentType": "application/vnd.gorules.decision", "nodes": nodes, "edges": edges}


def _zen_tiers_graph() -> dict[str, Any]:
    """The tier ladder as a first-hit table, then the up/down/hold move as a second one."""
    ladder = POLICY.tiers.ladder
    qualify = {
        "hitPolicy": "first",
        "inputs": [{"id": "s", "name": "average spend", "field": "avg_spend"},
                   {"id": "m", "name": "months", "field": "months"}],
        "outputs": [{"id": "q", "name": "qualified", "field": "q"}],
        "rules": [{"_id": f"rung{i}", "s": f">= {r.min_avg_spend}", "m": f">= {r.min_months}",
                   "q": str(i)} for i, r in reversed(list(enumerate(ladder)))],
    }  # fmt: skip
    move = {
        "hitPolicy": "first",
        "inputs": [{"id": "c", "name": "condition", "field": ""}],
        "outputs": [{"id": "t", "name": "tier", "field": "tier"},
                    {"id": "x", "name": "missed", "field": "new_missed"}],
        "rules": [
            {"_id": "meets", "c": "q >= current", "t": "q", "x": "0"},
            {"_id": "falls", "c": f"missed + 1 >= {POLICY.tiers.downgrade_after}", "t": "q", "x": "0"},
            {"_id": "holds", "c": "", "t": "current", "x": "missed + 1"},
        ],
    }  # fmt: skip
    return _graph(qualify, move)


def _quoted(values: Sequence[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _zen_benefits_graph() -> dict[str, Any]:
    """Every benefit gate of the policy as rows of one collect table (one row per way in)."""
    verifications = [v.name.lower() for v in tc.Verification]
    rules = []
    for benefit in tc.BENEFITS:
        rule = POLICY.benefits.rules.get(benefit.code)
        if rule is None:
            continue
        common = {
            "t": "", "g": "", "f": "",
            "v": _quoted([v for v in verifications if v not in rule.deny_verification]),
            "st": _quoted(rule.statuses), "b": f"'{benefit.code}'",
        }  # fmt: skip
        # An empty cell matches anything in a decision table, so a rule with no tier
        # route (the service manager) must not get a tier row.
        ways: list[dict[str, str]] = [{"t": _quoted(rule.tiers)}] if rule.tiers else []
        if rule.segments:
            ways.append({"g": "true"})
        if rule.min_plan_fee is not None:
            ways.append({"f": f">= {rule.min_plan_fee}"})
        rules += [{"_id": f"{benefit.code}-{k}", **common, **way} for k, way in enumerate(ways)]
    table = {
        "hitPolicy": "collect", "passThrough": False, "outputPath": "benefits",
        "inputs": [{"id": "t", "name": "tier", "field": "tier"},
                   {"id": "g", "name": "segment member", "field": "segment_member"},
                   {"id": "f", "name": "plan fee", "field": "plan_fee"},
                   {"id": "v", "name": "verification", "field": "verification"},
                   {"id": "st", "name": "status", "field": "status"}],
        "outputs": [{"id": "b", "name": "benefit", "field": "code"}],
        "rules": rules,
    }  # fmt: skip
    return _graph(table)


def _zen_accrual_graph() -> dict[str, Any]:
    """A bill's points as a first-hit table on the tier, each row one expression with
    that tier's multiplier (numerator over the common denominator, floored once)."""
    compiled = tc.compile_policy(POLICY).tiers
    pts = POLICY.points
    rest = (f"floor(data_spend / 100) * {pts.data_per_yuan}"
            f" + (paid_on_time ? {pts.credit_per_month} : 0)"
            f" + (tenure_years > 0 ? {pts.tenure_per_year} : 0)")  # fmt: skip
    table = {
        "hitPolicy": "first",
        "inputs": [{"id": "t", "name": "tier", "field": "tier"}],
        "outputs": [{"id": "p", "name": "points", "field": "points"}],
        "rules": [{"_id": f"tier{i}", "t": str(i),
                   "p": f"floor(floor(spend / 100) * {pts.per_yuan} * {num} / "
                        f"{compiled.multiplier_denominator}) + {rest}"}
                  for i, num in enumerate(compiled.multiplier_numerators)],
    }  # fmt: skip
    return _graph(table)


_ENGINES: dict[str, Any] = {}


def _zen_contenders(
    key: str, records: Callable[[dict[str, Any]], Any], answer: Callable[[list[Any]], Any]
) -> list[Contender]:
    """ZEN on graph ``key``, per record and batched: ``records`` builds its input from the
    case's columns, ``answer`` turns its results into the case's answer."""

    def each(rows: list[dict[str, Any]]) -> Any:
        engine = _engine()
        return answer([engine.evaluate(key, r)["result"] for r in rows])

    def batch(rows: list[dict[str, Any]]) -> Any:
        requests = [{"key": key, "context": r} for r in rows]
        return answer([r["data"]["result"] for r in _engine().evaluate_batch(requests)])

    return [
        Contender("ZEN per record", each, records, per_record=True, memory=False),
        Contender("ZEN evaluate_batch", batch, records, per_record=True, memory=False),
    ]


def _engine() -> Any:
    """One ZEN engine holding both graphs, looked up by key.

    ``engine.evaluate(key, context)`` is ZEN's fastest path per record here: in
    zen-engine 2.1.3 a ``ZenDecision``'s own ``evaluate`` took 1 to 4 ms a call,
    against about 15 us through the engine, which keeps the compiled graph.
    """
    if "engine" not in _ENGINES:
        content = {"tiers": _zen_tiers_graph(), "benefits": _zen_benefits_graph(),
                   "accrual": _zen_accrual_graph(), "credit": _zen_credit_graph()}  # fmt: skip
        _ENGINES["engine"] = zen.ZenEngine({"loader": {"type": "static", "content": content}})
    return _ENGINES["engine"]


# ---------------------------------------------------------------------------------- tiers


def _tier_records(d: dict[str, Any]) -> list[dict[str, Any]]:
    return _records(d, {"avg_spend": int, "months": int, "current": int, "missed": int})


def _tier_customers(d: dict[str, Any]) -> list[tc.Customer]:
    rows = zip(d["avg_spend"].tolist(), d["months"].tolist(), d["current"].tolist(),
               d["missed"].tolist(), strict=True)  # fmt: skip
    return [
        tc.Customer(
            f"c{i}",
            activated_on=date(2015, 1, 1),
            plan_fee=0,
            monthly_spend=(avg,) * m,
            tier=CODES[cur],
            missed_evaluations=missed,
        )
        for i, (avg, m, cur, missed) in enumerate(rows)
    ]


def _tiers_each(people: list[tc.Customer]) -> Any:
    decisions = [tc.evaluate_tier(p, policy=POLICY) for p in people]
    return np.array([[CODES.index(d.tier) for d in decisions],
                     [d.missed_evaluations for d in decisions]])  # fmt: skip


def _tiers_pandas(df: Any) -> Any:
    pd = _pandas()
    ladder = POLICY.tiers.ladder
    edges = [-np.inf, *(r.min_avg_spend for r in ladder[1:]), np.inf]
    q = pd.cut(df["avg_spend"], bins=edges, right=False, labels=False).astype("int64")
    q = q.where(df["months"] >= ladder[1].min_months, 0)
    meets = q >= df["current"]
    missed = (df["missed"] + 1).where(~meets, 0)
    falls = ~meets & (missed >= POLICY.tiers.downgrade_after)
    tier = q.where(meets | falls, df["current"])
    return np.stack([tier.to_numpy(), missed.mask(falls, 0).to_numpy()])


# -------------------------------------------------------------------------------- segment


def _segment_pandas(df: Any) -> Any:
    eligible = df[df["eligible"]]
    k = tc.segment_size(len(eligible), 0.1)
    top = eligible.sort_values(["avg_spend", "tenure_days", "ids"], ascending=[False, False, True])
    out = np.zeros(len(df), dtype=bool)
    out[top.index[:k].to_numpy()] = True
    return out


# -------------------------------------------------------------------------------- accrual

BILL_MONTH = date(2011, 11, 1)


def _bill_customers(d: dict[str, Any]) -> list[tuple[tc.Customer, int, int, bool]]:
    rows = zip(d["spend"].tolist(), d["data_spend"].tolist(), d["paid_on_time"].tolist(),
               d["tier"].tolist(), d["tenure_years"].tolist(), strict=True)  # fmt: skip
    out = []
    for i, (spend, data, paid, tier, years) in enumerate(rows):
        # an anniversary inside the bill month exactly when the batch column says so
        since = date(BILL_MONTH.year - years, 11, 5) if years else date(2005, 3, 1)
        person = tc.Customer(f"c{i}", activated_on=since, plan_fee=0, tier=CODES[tier])
        out.append((person, spend, data, paid))
    return out


def _accrue_each(bills: list[tuple[tc.Customer, int, int, bool]]) -> Any:
    return np.array([
        tc.points_for_bill(p, BILL_MONTH, spend, data, paid, policy=POLICY).total
        for p, spend, data, paid in bills
    ])  # fmt: skip


def _bill_records(d: dict[str, Any]) -> list[dict[str, Any]]:
    return _records(d, {"spend": int, "data_spend": int, "paid_on_time": bool, "tier": int,
                        "tenure_years": int})  # fmt: skip


def _accrue_pandas(df: Any) -> Any:
    pd = _pandas()
    pts = POLICY.points
    multiplier = pd.Series([POLICY.tier_multiplier(c) for c in CODES])
    # Exact like telcare: multipliers as numerators over a common denominator, no floats.
    numerators = (multiplier * 40).round().astype("int64")
    consumption = (df["spend"] // 100) * pts.per_yuan * df["tier"].map(numerators) // 40
    total = consumption + (df["data_spend"] // 100) * pts.data_per_yuan
    total += df["paid_on_time"].astype("int64") * pts.credit_per_month
    total += (df["tenure_years"] > 0).astype("int64") * pts.tenure_per_year
    return total.to_numpy()


# -------------------------------------------------------------------------------- credit


def _credit_base(n: int, rng: np.random.Generator) -> dict[str, Any]:
    """Accounts by credit level, arrears around their allowance, SMS counts with a spam
    tail, and the delayed-suspension benefit with days already over."""
    level = rng.choice(np.arange(1, 6), n, p=[0.35, 0.3, 0.2, 0.1, 0.05])
    allowance = np.array([0, 5_000, 15_000, 30_000, 60_000, 100_000])[level]
    return {
        "arrears": (allowance * rng.uniform(0, 1.6, n)).astype(np.int64) * (rng.random(n) < 0.7),
        "credit_level": level,
        "sms_last_hour": np.where(
            rng.random(n) < 0.02, rng.integers(150, 400, n), rng.poisson(2, n)
        ),
        "delayed": level >= 4,
        "days_over": rng.integers(0, 10, n),
    }


def _credit_baseline(d: dict[str, Any]) -> Any:
    # The default policy by hand: allowances by level, a 200-SMS spam guard while in
    # arrears, levels 4 and 5 held 3 and 7 days over their allowance.
    allowance = np.array([0, 5_000, 15_000, 30_000, 60_000, 100_000])[d["credit_level"]]
    delay = np.array([0, 0, 0, 0, 3, 7])[d["credit_level"]]
    over = d["arrears"] > allowance
    held = over & d["delayed"] & (d["days_over"] < delay)
    return (over & ~held) | ((d["sms_last_hour"] > 200) & (d["arrears"] > 0))


def _credit(d: dict[str, Any]) -> Any:
    return tc.check_suspensions(**d, policy=POLICY)


def _credit_pandas(df: Any) -> Any:
    pd = _pandas()
    allowance = df["credit_level"].map(pd.Series(dict(POLICY.credit.allowances)))
    delay = df["credit_level"].map(pd.Series(dict(POLICY.credit.suspension_delay_days))).fillna(0)
    over = df["arrears"] > allowance
    held = over & df["delayed"] & (df["days_over"] < delay)
    spam = (df["sms_last_hour"] > POLICY.credit.spam_sms_per_hour) & (df["arrears"] > 0)
    return ((over & ~held) | spam).to_numpy()


def _credit_rows(d: dict[str, Any]) -> list[tuple[int, int, int, bool, int]]:
    return list(zip(d["arrears"].tolist(), d["credit_level"].tolist(), d["sms_last_hour"].tolist(),
                    d["delayed"].tolist(), d["days_over"].tolist(), strict=True))  # fmt: skip


def _credit_each(rows: list[tuple[int, int, int, bool, int]]) -> Any:
    return np.array([
        tc.check_suspension(arrears, level, sms, delayed=delayed, days_over=days, policy=POLICY).suspend
        for arrears, level, sms, delayed, days in rows
    ])  # fmt: skip


def _zen_credit_graph() -> dict[str, Any]:
    """The credit level's allowance and delay as a first-hit table, then the verdict as
    an expression: over and not held, or spam while in arrears."""
    credit = POLICY.credit
    levels = {
        "hitPolicy": "first",
        "inputs": [{"id": "l", "name": "credit level", "field": "credit_level"}],
        "outputs": [{"id": "a", "name": "allowance", "field": "allowance"},
                    {"id": "d", "name": "delay", "field": "delay"}],
        "rules": [{"_id": f"level{lv}", "l": str(lv), "a": str(allowance),
                   "d": str(credit.suspension_delay_days.get(lv, 0))}
                  for lv, allowance in sorted(credit.allowances.items())],
    }  # fmt: skip
    verdict = {
        "hitPolicy": "first",
        "inputs": [{"id": "c", "name": "condition", "field": ""}],
        "outputs": [{"id": "s", "name": "suspend", "field": "suspend"}],
        "rules": [
            {"_id": "spam", "c": f"sms_last_hour > {credit.spam_sms_per_hour} and arrears > 0", "s": "true"},
            {"_id": "held", "c": "arrears > allowance and delayed and days_over < delay", "s": "false"},
            {"_id": "over", "c": "arrears > allowance", "s": "true"},
            {"_id": "within", "c": "", "s": "false"},
        ],
    }  # fmt: skip
    return _graph(levels, verdict)


def _credit_records(d: dict[str, Any]) -> list[dict[str, Any]]:
    return _records(d, {"arrears": int, "credit_level": int, "sms_last_hour": int,
                        "delayed": bool, "days_over": int})  # fmt: skip


# ------------------------------------------------------------------------------- benefits

VERIFICATIONS = [v.name.lower() for v in tc.Verification]
STATUSES = [s.name.lower() for s in tc.AccountStatus]


def _benefit_records(d: dict[str, Any]) -> list[dict[str, Any]]:
    return _records(d, {
        "tier": lambda t: CODES[t], "segment_member": bool, "plan_fee": int,
        "verification": lambda v: VERIFICATIONS[v], "status": lambda s: STATUSES[s],
    })  # fmt: skip


_COLUMN = {b.code: j for j, b in enumerate(tc.BENEFITS)}


def _benefits_zen(results: list[dict[str, Any]]) -> Any:
    out = np.zeros((len(results), len(tc.BENEFITS)), dtype=bool)
    for i, result in enumerate(results):
        for row in result["benefits"]:
            out[i, _COLUMN[row["code"]]] = True
    return out


def _benefit_customers(d: dict[str, Any]) -> list[tc.Customer]:
    rows = zip(d["tier"].tolist(), d["segment_member"].tolist(), d["plan_fee"].tolist(),
               d["verification"].tolist(), d["status"].tolist(), strict=True)  # fmt: skip
    return [
        tc.Customer(
            f"c{i}",
            activated_on=date(2015, 1, 1),
            plan_fee=fee,
            tier=CODES[t],
            segments={"mid_high_end"} if member else (),
            verification=v,
            status=s,
        )
        for i, (t, member, fee, v, s) in enumerate(rows)
    ]


def _benefits_each(people: list[tc.Customer]) -> Any:
    out = np.zeros((len(people), len(tc.BENEFITS)), dtype=bool)
    for i, person in enumerate(people):
        for decision in tc.eligible_benefits(person, policy=POLICY):
            out[i, _COLUMN[decision.code]] = True
    return out


def _benefit_frame(d: dict[str, Any]) -> Any:
    pd = _pandas()
    return pd.DataFrame({
        "tier": pd.Categorical.from_codes(d["tier"], CODES),
        "segment_member": d["segment_member"], "plan_fee": d["plan_fee"],
        "verification": pd.Categorical.from_codes(d["verification"], VERIFICATIONS),
        "status": pd.Categorical.from_codes(d["status"], STATUSES),
    })  # fmt: skip


def _benefits_pandas(df: Any) -> Any:
    out = np.zeros((len(df), len(tc.BENEFITS)), dtype=bool)
    for j, benefit in enumerate(tc.BENEFITS):
        rule = POLICY.benefits.rules.get(benefit.code)
        if rule is None:
            continue
        way_in = df["tier"].isin(rule.tiers)
        if rule.segments:
            way_in |= df["segment_member"]
        if rule.min_plan_fee is not None:
            way_in |= df["plan_fee"] >= rule.min_plan_fee
        allowed = ~df["verification"].isin(rule.deny_verification) & df["status"].isin(
            rule.statuses
        )
        out[:, j] = (way_in & allowed).to_numpy()
    return out


# ---------------------------------------------------------------------------- moment scan


def _scan_pandas(df: Any) -> Any:
    pd = _pandas()
    today = pd.Timestamp(bench_moments.AS_OF)
    mom = POLICY.moments
    credit = df["used"] * 5 >= df["allowance"] * 4
    mean = df["trailing_mean"]
    anomaly = ((mean > 0) & (df["month_spend"] * 2 <= mean)) | (df["forwarded_share"] >= 0.3)
    ends = df["contract_ends_on"]
    lead = pd.Timedelta(days=mom.contract_days_before + mom.contract_lead_days)
    contract = ends.notna() & (ends - lead <= today)
    born = df["birthday"]
    same_day = (born.dt.month == today.month) & (born.dt.day == today.day)
    # 29 Feb birthdays are kept on 28 Feb in other years
    leap_day = (born.dt.month == 2) & (born.dt.day == 29)
    if today.month == 2 and today.day == 28 and not today.is_leap_year:
        same_day |= leap_day
    expires = df["expires_on"]
    points = (df["expiring_points"] > 0) & (expires >= today)
    points &= expires <= today + pd.Timedelta(days=30)
    return np.stack([s.to_numpy() for s in (credit, anomaly, contract, same_day, points)])


# ------------------------------------------------------------------------ grouped metrics


def _grouped_pandas(df: Any) -> Any:
    counts = df.groupby("groups")["successes"].agg(["sum", "count"])
    full = counts.reindex(range(int(df["groups"].max()) + 1), fill_value=0)
    num, den = full["sum"].to_numpy(), full["count"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        return bench_metrics._wilson(num, den, 1.959963984540054)


def _grouped_each(d: dict[str, Any]) -> Any:
    groups, wins = d["groups"].tolist(), d["successes"].tolist()
    size = max(groups) + 1
    num, den = [0] * size, [0] * size
    for g, w in zip(groups, wins, strict=True):
        num[g] += w
        den[g] += 1
    rates = [tc.Rate(a, b) for a, b in zip(num, den, strict=True)]
    cis = [r.ci() for r in rates]
    return np.array([num, den, [lo for lo, _ in cis], [hi for _, hi in cis]])


# ------------------------------------------------------------------------ ledger postings


def _postings(n: int, rng: np.random.Generator) -> dict[str, Any]:
    """``n`` postings over ``n // 160`` customers, each ten years of monthly bills and redemptions."""
    per = 160
    return {"customers": [bench_points._postings(per, rng) for _ in range(max(1, n // per))]}


def _ledgers_telcare(d: dict[str, Any]) -> Any:
    return np.array([bench_points._build(ops).balance(date(2020, 1, 1)) for ops in d["customers"]])


def _ledgers_by_hand(d: dict[str, Any]) -> Any:
    """The practical limit for a mutable ledger: a dict of lots by expiry, no history kept."""
    after = POLICY.points.expire_after_cycles
    expiry_of: dict[date, date] = {}
    balances = []
    for ops in d["customers"]:
        lots: dict[date, int] = {}
        for kind, day, points in ops:
            if kind == "accrue":
                expires = expiry_of.get(day)
                if expires is None:
                    expires = expiry_of[day] = tc.points_cycle(day).shifted(after).end
                lots[expires] = lots.get(expires, 0) + points
                continue
            live = sorted(e for e in lots if e >= day)
            if sum(lots[e] for e in live) < points:
                continue  # refused: not enough points
            for e in live:
                take = min(points, lots[e])
                lots[e] -= take
                points -= take
                if not points:
                    break
        end = date(2020, 1, 1)
        balances.append(sum(p for e, p in lots.items() if e >= end))
    return np.array(balances)


# ------------------------------------------------------------------------------ the cases


def _cases() -> list[PeerCase]:
    have_zen = zen is not None
    tiers = [
        Contender("numpy (hand-written)", bench_tiers._tiers_baseline),
        Contender("telcare evaluate_tiers", bench_tiers._tiers),
        Contender("pandas pd.cut + where", _tiers_pandas, _frame),
        Contender(
            "telcare evaluate_tier per record", _tiers_each, _tier_customers, per_record=True
        ),
    ]
    benefits = [
        Contender("numpy (hand-written)", bench_benefits._matrix_baseline),
        Contender("telcare check_benefits", bench_benefits._matrix),
        Contender("pandas isin per gate", _benefits_pandas, _benefit_frame),
        Contender(
            "telcare eligible_benefits per record",
            _benefits_each,
            _benefit_customers,
            per_record=True,
        ),
    ]
    accrual = [
        Contender("numpy (hand-written)", bench_points._accrue_baseline),
        Contender("telcare points_for_bills", bench_points._accrue),
        Contender("pandas Series arithmetic", _accrue_pandas, _frame),
        Contender(
            "telcare points_for_bill per record", _accrue_each, _bill_customers, per_record=True
        ),
    ]
    credit = [
        Contender("numpy (hand-written)", _credit_baseline),
        Contender("telcare check_suspensions", _credit),
        Contender("pandas map + masks", _credit_pandas, _frame),
        Contender(
            "telcare check_suspension per record", _credit_each, _credit_rows, per_record=True
        ),
    ]
    if have_zen:
        tiers += _zen_contenders("tiers", _tier_records, lambda out: np.array(
            [[r["tier"] for r in out], [r["new_missed"] for r in out]]))  # fmt: skip
        accrual += _zen_contenders("accrual", _bill_records,
                                   lambda out: np.array([r["points"] for r in out]))  # fmt: skip
        benefits += _zen_contenders("benefits", _benefit_records, _benefits_zen)
        credit += _zen_contenders("credit", _credit_records,
                                  lambda out: np.array([r["suspend"] for r in out]))  # fmt: skip
    return [
        PeerCase("tiers", bench_tiers._base, tuple(tiers)),
        PeerCase(
            "segment",
            bench_tiers._segment_base,
            (
                Contender("numpy argpartition + lexsort", bench_tiers._segment_baseline),
                Contender("telcare mid_high_end", bench_tiers._segment),
                Contender("pandas sort_values", _segment_pandas, _frame),
            ),
            left_out="per record and ZEN: the top 10% is a ranking of the whole base, "
            "not a rule one record can decide",
        ),
        PeerCase("accrual", bench_points._bills, tuple(accrual)),
        PeerCase("benefit matrix", bench_benefits._base, tuple(benefits)),
        PeerCase("credit suspension", _credit_base, tuple(credit)),
        PeerCase(
            "moment scan",
            bench_moments._base,
            (
                Contender("numpy (hand-written)", bench_moments._scan_baseline),
                Contender("telcare scan_moments", bench_moments._scan),
                Contender("pandas .dt accessors", _scan_pandas, _frame),
            ),
            left_out="per record: the scan's twin is due_actions over event histories "
            "(timed in the main table, per customer-year)",
        ),
        PeerCase(
            "grouped metrics",
            bench_metrics._outcomes,
            (
                Contender("numpy bincount + Wilson", bench_metrics._grouped_baseline),
                Contender("telcare rates_by_group", bench_metrics._grouped),
                Contender("pandas groupby + Wilson", _grouped_pandas, _frame),
                Contender("python loop + telcare Rate", _grouped_each, per_record=True),
            ),
            check=bench_metrics._close,
        ),
        PeerCase(
            "ledger postings",
            _postings,
            (
                Contender("python dict of lots (mutable)", _ledgers_by_hand, per_record=True),
                Contender("telcare PointsLedger", _ledgers_telcare, per_record=True),
            ),
            sizes=(10_000, 100_000),
            left_out="no batch form: postings are sequential per customer; 10^7 postings "
            "would take about five minutes",
        ),
    ]


# ----------------------------------------------------------------------------- the runner


def run_case(
    case: PeerCase,
    sizes: Sequence[int],
    *,
    per_record_max: int,
    repeat: int,
    memory: bool = True,
    seed: int = 20101130,
) -> list[Row]:
    rows: list[Row] = []
    last: dict[str, tuple[int, float]] = {}
    for n in sizes:
        data = case.setup(n, np.random.default_rng(seed))
        reference, *_ = case.contenders
        expected = reference.run(reference.prepare(data))
        baseline = None
        for contender in case.contenders:
            if contender.per_record and n > per_record_max and contender is not reference:
                continue
            given = contender.prepare(data)
            case.check(contender.run(given), expected)  # the same answer, before any timing
            times = repeat if n < 10_000_000 else max(1, repeat - 1)
            seconds, _ = best_of(
                contender.run, given, 1 if contender.per_record and n > 10_000 else times
            )
            baseline = seconds if baseline is None else baseline
            peak = peak_extra(contender.run, given) if memory and contender.memory else None
            row = Row(case.name, contender.name, n, seconds, baseline, peak, nbytes(data))
            if contender.name in last:
                n0, s0 = last[contender.name]
                with contextlib.suppress(ValueError, ZeroDivisionError):
                    row.growth = math.log(seconds / s0) / math.log(n / n0)
            last[contender.name] = (n, seconds)
            rows.append(row)
            del given
    return rows


def _fmt_seconds(s: float) -> str:
    if s < 1e-6:
        return f"{s * 1e9:.1f} ns"
    if s < 1e-3:
        return f"{s * 1e6:.1f} us"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.2f} s"


def render(rows: Sequence[Row], *, markdown: bool = False) -> str:
    head = ["case", "contender", "n", "time", "per row", "vs first", "growth", "peak MB", "x input"]
    body = []
    for r in rows:
        body.append([
            r.case, r.contender, f"{r.n:,}", _fmt_seconds(r.seconds), _fmt_seconds(r.seconds / r.n),
            f"{r.seconds / r.baseline:.2f}" if r.baseline else "-",
            f"{r.growth:.2f}" if r.growth is not None else "",
            f"{r.peak / 2**20:.1f}" if r.peak is not None else "-",
            f"{r.peak / r.input_bytes:.2f}" if r.peak is not None and r.input_bytes else "-",
        ])  # fmt: skip
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
        lines += ["| " + " | ".join(cells) + " |" for cells in body]
        return "\n".join(lines)
    widths = [max(len(str(c)) for c in col) for col in zip(head, *body, strict=True)]
    fmt = "  ".join(f"{{:{'<' if i < 2 else '>'}{w}}}" for i, w in enumerate(widths))
    return "\n".join([fmt.format(*head), "-" * (sum(widths) + 2 * len(widths)),
                      *(fmt.format(*cells) for cells in body)])  # fmt: skip


def goals(rows: Sequence[Row]) -> list[str]:
    """The goals, read off the rows: batch within 1.5x of numpy; 100x ZEN per record;
    and one customer at a time faster per call than ZEN per record."""
    batch = {
        (r.case, r.n): r
        for r in rows
        if r.contender.startswith("telcare") and "per record" not in r.contender
        and r.case != "ledger postings"
    }  # fmt: skip
    lines = []
    for case in dict.fromkeys(c for c, _ in batch):
        r = batch[case, max(n for c, n in batch if c == case)]
        ratio = r.seconds / r.baseline
        verdict = "met" if ratio <= 1.5 else "MISSED"
        lines.append(f"{case}: telcare {ratio:.2f}x numpy at n={r.n:,} (goal 1.5x): {verdict}")
    for z in rows:
        ours = batch.get((z.case, z.n))
        if z.contender != "ZEN per record" or ours is None:
            continue
        if any(o.case == z.case and o.contender == z.contender and o.n > z.n for o in rows):
            continue  # the largest n ZEN ran at
        speedup = z.seconds / ours.seconds
        verdict = "met" if speedup >= 100 else "MISSED"
        lines.append(f"{z.case}: telcare batch {speedup:,.0f}x faster per customer than ZEN per "
                     f"record at n={z.n:,} (goal 100x): {verdict}")  # fmt: skip
        one = next((o for o in rows if o.case == z.case and o.n == z.n
                    and o.contender.startswith("telcare") and "per record" in o.contender), None)  # fmt: skip
        if one is not None:
            verdict = "met" if one.seconds < z.seconds else "MISSED"
            lines.append(f"{z.case}: {one.contender.removeprefix('telcare ')} "
                         f"{1e6 * one.seconds / z.n:.1f} us vs ZEN {1e6 * z.seconds / z.n:.1f} us "
                         f"per record at n={z.n:,} (goal: faster): {verdict}")  # fmt: skip
    return lines


def main(*, pattern: str, smoke: bool, per_record_max: int, repeat: int, markdown: bool) -> int:
    import fnmatch
    import sys

    cases = [c for c in _cases() if fnmatch.fnmatch(c.name, pattern)]
    if not cases:
        print(f"no peer case matches {pattern!r}", file=sys.stderr)
        return 2
    if zen is None:
        print("zen-engine is not installed: the ZEN contenders are left out", file=sys.stderr)
    rows: list[Row] = []
    for case in cases:
        sizes = SMOKE_SIZES if smoke else case.sizes
        cap = max(SMOKE_SIZES) if smoke else per_record_max
        rows += run_case(case, sizes, per_record_max=cap, repeat=1 if smoke else repeat,
                         memory=not smoke)  # fmt: skip
        print(f"  done {case.name}", file=sys.stderr, flush=True)
    print(render(rows, markdown=markdown))
    left_out = [f"- {c.name}: {c.left_out}" for c in cases if c.left_out]
    if left_out:
        print("\nleft out:\n" + "\n".join(left_out))
    if not smoke:
        print("\ngoals:\n" + "\n".join(f"- {line}" for line in goals(rows)))
    return 0
