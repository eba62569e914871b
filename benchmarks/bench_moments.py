"""Key moments: the whole-base scan, and one customer's year of events."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

import telcare as tc
from benchmarks.harness import Case

POLICY = tc.default_policy()
AS_OF = date(2011, 11, 10)
TODAY = np.datetime64(AS_OF, "D")


def _base(n: int, rng: np.random.Generator) -> dict[str, Any]:
    allowance = rng.choice(np.array([5_000, 15_000, 30_000, 60_000, 100_000]), n)
    ends = TODAY + rng.integers(-30, 400, n).astype("timedelta64[D]")
    ends[rng.random(n) < 0.5] = np.datetime64("NaT", "D")
    birthday = np.datetime64("1960-01-01") + rng.integers(0, 365 * 40, n).astype("timedelta64[D]")
    return {
        "used": (allowance * rng.random(n) * 1.2).astype(np.int64),
        "allowance": allowance,
        "month_spend": rng.integers(0, 60_000, n),
        "trailing_mean": rng.integers(0, 60_000, n),
        "forwarded_share": rng.random(n) * 0.5,
        "contract_ends_on": ends,
        "birthday": birthday,
        "expiring_points": rng.integers(0, 3_000, n),
        "expires_on": np.full(n, np.datetime64("2011-11-30")),
    }


def _scan(d: dict[str, Any]) -> Any:
    s = tc.scan_moments(AS_OF, policy=POLICY, **d)
    return np.stack([s.due[m] for m in tc.SNAPSHOT_MOMENTS])


def _scan_baseline(d: dict[str, Any]) -> Any:
    used, allowance = d["used"], d["allowance"]
    credit = used * 5 >= allowance * 4
    mean = d["trailing_mean"]
    anomaly = ((mean > 0) & (d["month_spend"] * 2 <= mean)) | (d["forwarded_share"] >= 0.3)
    ends = d["contract_ends_on"]
    contract = ~np.isnat(ends) & (ends - np.timedelta64(37, "D") <= TODAY)
    b = d["birthday"]
    month_day = (b - b.astype("datetime64[Y]")).astype(np.int64)  # day of year
    birth = np.zeros(len(b), dtype=bool)
    # 2011 is not a leap year: day-of-year matches except for births after 28 Feb in leap years
    leap_born = (b.astype("datetime64[Y]").astype(np.int64) + 1970) % 4 == 0
    doy = month_day - (leap_born & (month_day >= 59))
    birth = doy == (TODAY - TODAY.astype("datetime64[Y]")).astype(np.int64)
    exp = d["expires_on"]
    points = (d["expiring_points"] > 0) & (exp >= TODAY) & (exp <= TODAY + np.timedelta64(30, "D"))
    return np.stack([credit, anomaly, contract, birth, points])


SH = ZoneInfo("Asia/Shanghai")


def _year(n: int, rng: np.random.Generator) -> dict[str, Any]:
    """One customer's year: activation, callbacks, tutoring, 12 bills and readings, contacts."""
    cid = "13800000001"
    start = date(2010, 11, 1)

    def at(day: int, hour: int = 10) -> datetime:
        return datetime.combine(start + timedelta(days=day), time(hour), tzinfo=SH)

    ev: list[tc.Event] = [
        tc.Activated(cid, at(0), plan_fee=12_800, device="iphone"),
        tc.CallbackAttempt(cid, at(0, 11), reached=False),
        tc.CallbackAttempt(cid, at(1, 15), reached=True),
        tc.Verified(cid, at(1, 15), genuine=True),
        tc.ManagerAssigned(cid, at(2)),
        tc.TutoringDone(cid, at(6)),
    ]
    for month in range(12):
        day = 30 * month + 28
        ev += [
            tc.BillIssued(cid, at(day), amount=int(rng.integers(5_000, 40_000))),
            tc.SpendReading(cid, at(day), month_spend=int(rng.integers(5_000, 40_000))),
            tc.UsageReading(cid, at(day + 10), used=int(rng.integers(0, 15_000)), allowance=15_000),
            tc.ContactMade(cid, at(day + 2), tc.Moment.FIRST_BILL),
        ]
    ev += [
        tc.ContractEnding(cid, at(200), ends_on=date(2011, 12, 31)),
        tc.CancellationRequested(cid, at(350)),
    ]
    customer = tc.Customer(cid, activated_on=start, plan_fee=12_800, birthday=date(1980, 11, 5))
    return {"customer": customer, "events": ev, "n": n}


def _due(d: dict[str, Any]) -> int:
    total = 0
    for _ in range(d["n"]):
        total += len(tc.due_actions(d["customer"], d["events"], as_of=AS_OF, policy=POLICY))
    return total


CASES = [
    Case("moments.scan_moments", 1_000_000, _base, _scan, _scan_baseline, per_item=True, goal=1.5),
    Case("moments.due_actions (1 customer-year)", 200, _year, _due, per_item=True, smoke_n=5),
]
