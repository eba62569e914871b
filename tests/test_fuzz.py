"""The fuzz table: every public form of every rule, fed one catalogue of hostile values.

The table (:data:`TABLE`) has one row per public callable: each name of
``telcare.__all__`` (the union of the faces), the public functions of
``telcare.synthetic`` and ``telcare.frames``, every registered whole-base rule's
frames and Dask forms (``telcare.frames.<rule>``, ``telcare.on_dask.<rule>``), and
the public methods that take data of the main value classes (:data:`RECEIVERS`:
``PointsLedger``, ``ActionLog``, ``CallList``, ``ManagerBook``, ``Report``,
``ServiceList``, ``Period``, ...).  Left out, each with its reason: exception
classes and enums (calling an enum class is the standard library's lookup),
``telcare.strategies`` (it returns Hypothesis strategies, not answers),
``telcare.plot`` (figures), ``telcare.on_spark`` (a JVM per test run) and
``telcare.cli`` (tested through its command line in tests/cli).

Each example calls one row with either a *seed* call (valid arguments, see
:func:`_seed`) in which one argument is replaced by a value of :data:`CATALOGUE`
(NaN, None, pandas NA and NaT, numpy scalars of every width, bools, text for
numbers and for collections, 0-d and empty arrays, huge ints, aware datetimes in
UTC-12 and UTC+14, 30 Nov / 1 Dec / 29 Feb, columns of the wrong length, pandas
Series, Categorical and nullable columns), or, for the frames and Dask forms, a
valid frame with one column made hostile, dropped or added.  Now and then every
argument is hostile at once.  The outcomes allowed: an answer (for a Dask form,
once computed; a ``to_dict()`` that ``json.dumps`` writes), or a
:class:`~telcare.TelcareError` (pydantic's ``ValidationError`` for the policy
models) whose message names the argument replaced or quotes its value.  Any other
exception, or a warning, fails.

Under the ``ci`` profile each row runs :data:`FUZZ_EXAMPLES` examples,
derandomized; ``--hypothesis-profile=nightly`` runs ten times as many with the same
fixed seed; ``compat`` (the second interpreter's run) :data:`COMPAT_FUZZ_EXAMPLES`.  ``pytest tests/test_fuzz.py --fuzz-counts=FILE`` writes the examples
run per row as JSON (and prints the totals).

Rows that fail today are listed in :data:`KNOWN_DEFECTS` with what is wrong
(``xfail(strict=True)``: a fixed row passes, fails the run, and its entry goes).
"""

from __future__ import annotations

import contextlib
import enum
import inspect
import json
import math
import resource
import signal
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import numpy as np
import pandas as pd
import pydantic
import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

import telcare as tc
import telcare.frames as tf
import telcare.synthetic as ts
from telcare.engines import RULES

dd = pytest.importorskip("dask.dataframe")
from telcare import on_dask  # noqa: E402

#: Examples per row under the ``ci`` profile (ten times as many under ``nightly``).
FUZZ_EXAMPLES = 40
CI_EXAMPLES = 60  # the ci profile's max_examples (tests/conftest.py)
#: Examples per row under the ``compat`` profile (the second interpreter's run).
COMPAT_FUZZ_EXAMPLES = 5

SH = ZoneInfo("Asia/Shanghai")
AT = datetime(2010, 11, 22, 10, tzinfo=SH)
AS_OF = date(2010, 12, 1)
N = 3  # rows in a seed's columns
POLICY = tc.default_policy()
WEST, EAST = timezone(timedelta(hours=-12)), timezone(timedelta(hours=14))

# --------------------------------------------------------------- the catalogue

#: One catalogue of hostile values, each with a label (the parametrize ids and reports).
SCALARS: tuple[tuple[str, Any], ...] = (
    ("nan", math.nan), ("None", None), ("pd.NA", pd.NA), ("pd.NaT", pd.NaT),
    ("inf", math.inf), ("-1", -1), ("0", 0),
    *((f"np.{t.__name__}(3)", t(3)) for t in (np.int8, np.int16, np.int32, np.int64, np.uint8,
                                               np.uint16, np.uint32, np.uint64)),
    *((f"np.{t.__name__}(0.5)", t(0.5)) for t in (np.float16, np.float32, np.float64)),
    ("np.int32(1_500_000_000)", np.int32(1_500_000_000)), ("np.uint64(2**64-1)", np.uint64(2**64 - 1)),
    ("np.bool_(True)", np.bool_(True)), ("True", True), ("False", False),
    ("'3'", "3"), ("'0.5'", "0.5"), ("'1,5'", "1,5"), ("'gold'", "gold"), ("'wang'", "wang"), ("''", ""),
    ("Decimal('NaN')", Decimal("NaN")),
    ("10**30", 10**30), ("2**63", 2**63), ("-(2**63)-1", -(2**63) - 1),
    ("np.array(3)", np.array(3)), ("np.array([])", np.array([])),
    ("np.zeros(0, int64)", np.zeros(0, np.int64)), ("[]", []), ("{}", {}),
    ("30 Nov 23:30 UTC-12", datetime(2010, 11, 30, 23, 30, tzinfo=WEST)),
    ("1 Dec 00:30 UTC+14", datetime(2010, 12, 1, 0, 30, tzinfo=EAST)),
    ("29 Feb 2012 01:00 Shanghai", datetime(2012, 2, 29, 1, tzinfo=SH)),
    ("29 Feb 2012 naive", datetime(2012, 2, 29, 12)),
    ("date(2010, 11, 30)", date(2010, 11, 30)), ("date(2010, 12, 1)", date(2010, 12, 1)),
    ("date(2012, 2, 29)", date(2012, 2, 29)), ("'2012-02-29'", "2012-02-29"),
    ("np.datetime64('NaT')", np.datetime64("NaT", "D")),
)  # fmt: skip


def _columns() -> tuple[tuple[str, Any], ...]:
    """Column-shaped hostile values: N rows unless the length is the point."""
    return (
        ("[1, nan, 1]", [1, math.nan, 1]), ("[1, None, 1]", [1, None, 1]),
        ("[None]*N", [None] * N), ("[nan]*N", [math.nan] * N),
        ("['a', None, 'c']", ["a", None, "c"]), ("['a', nan, 'c']", ["a", math.nan, "c"]),
        ("['a', pd.NA, 'c']", ["a", pd.NA, "c"]),
        ("Int64 [1, NA, 1]", pd.array([1, None, 1], dtype="Int64")),
        ("boolean [True, NA, False]", pd.array([True, None, False], dtype="boolean")),
        ("string ['gold', NA, 'vip']", pd.array(["gold", None, "vip"], dtype="string")),
        ("Categorical tier codes", pd.Categorical(["gold", "vip", "gold"])),
        ("Categorical ints", pd.Categorical([0, 1, 0])),
        ("Series [1, 2, 3]", pd.Series([1, 2, 3])), ("Series index 7..9", pd.Series([1, 2, 3], index=[7, 8, 9])),
        *((f"{t.__name__} [1, 2, 3]", np.array([1, 2, 3], dtype=t)) for t in (np.int8, np.int32, np.uint64)),
        ("float16 [1.5, 0.5, 2]", np.array([1.5, 0.5, 2.0], dtype=np.float16)),
        ("float32 [0.1, 0.2, 0.3]", np.array([0.1, 0.2, 0.3], dtype=np.float32)),
        ("uint64 [2**63, 1, 1]", np.array([2**63, 1, 1], dtype=np.uint64)),
        ("[True, False, True]", [True, False, True]), ("[2, 0, 1] (not 0/1)", [2, 0, 1]),
        ("['1', '2', '3']", ["1", "2", "3"]), ("['x', 'y', 'z']", ["x", "y", "z"]),
        ("[10**30]*N", [10**30] * N), ("[np.int32(1.5e9)]*N", [np.int32(1_500_000_000)] * N),
        ("N+1 rows", [1] * (N + 1)), ("N-1 rows", [1] * (N - 1)),
        ("2-d", np.ones((N, 2), dtype=np.int64)),
        ("datetime64 29 Feb / 30 Nov / 1 Dec", np.array(["2012-02-29", "2010-11-30", "2010-12-01"], dtype="datetime64[D]")),
        ("aware datetimes UTC+14/UTC-12", [datetime(2010, 12, 1, 0, 30, tzinfo=EAST),
                                           datetime(2010, 11, 30, 23, 30, tzinfo=WEST), AT]),
        ("[NaT]*N", pd.Series([pd.NaT] * N)),
    )  # fmt: skip


CATALOGUE: tuple[tuple[str, Any], ...] = SCALARS + _columns()

# ------------------------------------------------------------ valid values


@cache
def _fixtures() -> dict[str, Any]:
    """Valid values of the compound kinds, built once (the seeds' arguments)."""
    catalogue = tc.OfferCatalogue.model_validate({"offers": [
        {"code": "plan_upgrade", "name": "Plan upgrade", "project_type": "promotion",
         "channels": ["phone"], "value": 6_000, "cost": 500,
         "valid_from": "2010-01-01", "valid_to": "2010-12-31",
         "conflicts": {"basic_fee_discount": "replaces the basic call-fee discount"}},
        {"code": "basic_fee_discount", "name": "Discount", "project_type": "promotion",
         "channels": ["phone"], "value": 1_000, "cost": 100,
         "valid_from": "2010-01-01", "valid_to": "2010-12-31",
         "conflicts": {"plan_upgrade": "replaced by the plan upgrade"}}]})  # fmt: skip
    match = tc.match_offers(catalogue, at=AT, tier=[0] * N, segment_member=[False] * N,
                            avg_spend=[9_000] * N, plan_fee=[5_800] * N, tenure_months=[12] * N,
                            credit_level=[1] * N, response=BY_NAME["response"])  # fmt: skip
    book = tc.manager_book(["a", "b", "c"], ["li", "", "li"], team=["north", "", "north"])
    log = tc.action_log([0, 1, 2], ["first_bill", "credit_alert", "usage_anomaly"],
                        ["2010-11-29"] * N, ["2010-12-02"] * N,
                        closed_on=["2010-11-30", None, None], outcome=["retained", "", ""])  # fmt: skip
    scan = tc.scan_moments(AS_OF, used=[1_000, 1_000, 15_000], allowance=[15_000] * N,
                           month_spend=[2_000, 30_000, 40_000], trailing_mean=[20_000, 30_000, 40_000])  # fmt: skip
    customer = tc.Customer("c1", activated_on=date(2010, 1, 4), plan_fee=9_600,
                           monthly_spend=(50_000,) * 12, tier="gold", birthday=date(1980, 2, 29))  # fmt: skip
    complaint = tc.Complaint("k1", "13800000001", AT, "billing", owner="li")
    case = tc.SuspiciousCase("13800000001", date(2010, 10, 4), developer="op17", channel="own",
                             facts=tc.CallbackFacts(failed_attempt_slots=3))  # fmt: skip
    action = tc.Action(tc.Moment.NEW_SUBSCRIBER_CALLBACK, "c1", date(2010, 1, 1), date(2010, 1, 4),
                       "open", tc.Channel.PHONE, 5, "new subscriber")  # fmt: skip
    base = ts.customer_base(ts.generate_base(30, seed=3))
    return {
        "catalogue": catalogue,
        "match": match,
        "book": book,
        "log": log,
        "scan": scan,
        "customer": customer,
        "prospect": tc.Prospect(customer),
        "complaint": complaint,
        "case": case,
        "action": action,
        "base": base,
        "ledger": tc.PointsLedger.empty("c1").accrue("b1", date(2010, 1, 5), 1_200, "consumption"),
        "points_book": tc.PointsBook.empty(["c1", "c2", "c3"]).post(
            date(2010, 1, 5), [100, 200, 300]
        ),
        "report": tc.retention_service(
            BY_NAME["active"],
            [f"2009-{m:02d}" for m in (11, 12)] + [f"2010-{m:02d}" for m in range(1, 13)],
            book,
            "2010-12",
        ),
        "service_list": tc.service_list(
            book,
            [0, 3, 1],
            [False] * N,
            [12_800, 12_800, 5_800],
            [1, 1, 2],
            [0] * N,
            eligible_since=["2010-11-20", None, None],
            as_of=AS_OF,
        ),
        "call_list": tc.call_lists(match, ["wang", "li", ""], capacity=2),
        "rates": tc.rates_by_group(["x", "y", "x"], [1, 0, 1]),
        "funnel": tc.selection_funnel([[80, 70, 65, 75, 72, 100, 90]] * N),
        "tiers": tc.evaluate_tiers([55_000, 25_000, 8_000], [12] * N),
        "uplift": tc.uplift_by_percentile(
            BY_NAME["y_true"], BY_NAME["uplift"], BY_NAME["treatment"], bins=2
        ),
        "comparison": tc.compare_policies(base, POLICY, POLICY, as_of=AS_OF),
        "replay": tc.Replay(customer, [], AS_OF, POLICY),
    }


#: A valid value for a parameter, by name (columns of N rows) ...
BY_NAME: dict[str, Any] = {
    "ids": ["a", "b", "c"], "manager": ["li", "", "li"], "team": ["north", "", "north"],
    "tier": [0, 1, 3], "segment_member": [False, True, False], "plan_fee": [9_600, 12_800, 5_800],
    "verification": [1, 1, 0], "status": [0, 0, 0], "credit_level": [1, 2, 3],
    "avg_spend": [55_000, 25_000, 8_000], "months": [12, 12, 3], "current": [0, 1, 2],
    "missed": [0, 1, 0], "floor": [0, 3, 0], "floor_until": [None, "2011-01-31", None],
    "eligible": [True, True, False], "tenure_days": [10, 20, 30],
    "spend": [9_000, 12_000, 0], "data_spend": [3_000, 0, 0], "paid_on_time": [True, False, True],
    "tenure_years": [0, 1, 2], "arrears": [0, 9_000, 80_000], "sms_last_hour": [0, 250, 3],
    "delayed": [False, True, False], "days_over": [0, 2, 9],
    "id_numbers": ["A", "A", "B"], "contact_phones": ["1", "2", "3"], "addresses": ["x", "y", "z"],
    "operator_ids": ["o1", "o1", "o2"], "batch_entered": [False, True, False],
    "handset_bundled": [False, False, True], "groups": ["x", "y", "x"], "successes": [1, 0, 1],
    "trials": [1, 1, 2], "y_true": [1, 0, 1, 0] * 5, "uplift": [i / 20 for i in range(20, 0, -1)],
    "treatment": [1, 0, 0, 1] * 5, "cell": ["a", "b"] * 10, "agent": ["li", "wang", "li"],
    "connected": [True, True, False], "contacted": [True, False, False], "deal": [True, False, False],
    "talk_seconds": [60, 30, 0], "row": [0, 1, 2], "moment": ["first_bill", "credit_alert", "birthday"],
    "opened_on": ["2010-11-29"] * N, "due_by": ["2010-12-02"] * N, "closed_on": ["2010-11-30", None, None],
    "outcome": ["retained", "", ""], "colour": [3, 0, 1], "suspended": [True, False, False],
    "previous_colour": [0, 3, 3], "previous_suspended": [False, False, True],
    "monthly_spend": [20_000, 30_000, 40_000], "cancellation_due_by": [None, "2010-12-02", None],
    "owner": ["li", "wang", ""], "eligible_since": ["2010-11-20", None, None],
    "scores": [[80, 70, 65, 75, 72, 100, 90]] * N, "reasons": ["price", "service", "price"],
    "periods": [tc.Rate(3, 10), tc.Rate(4, 10)], "values": [1.5, 2, "3.01"],
    "tenure_months": [12, 3, 40], "response": [[0.1, 0.2], [0.5, 0.1], [0.3, 0.3]], "active": np.ones((N, 14), bool),
    "keys": ["a", "b"], "cost": [100, 200], "contacts": [10, 20], "unit_price": [500, 600],
    "usage_months": [12, 6], "survival": [0.9, 0.8], "week": "2010-W48", "month": "2010-12",
    "period": "2010-W48", "as_of": AS_OF, "at": AT, "day": AS_OF, "on": date(2010, 2, 1),
    "flagged_on": date(2010, 10, 4), "share": "0.10", "level": 0.95, "code": "service_manager",
    "offer": "plan_upgrade", "holding": "plan_upgrade", "holds": [], "amount": "96", "fen": 9_600,
    "points": 500, "price": 9_600, "customers": 9_000, "streams": (100, 200, 300), "name": "report",
    "title": "A report", "id": "k1", "customer_id": "c1", "baseline": 0.1, "mde": 0.02, "n": 1_000,
    "agents": 5, "traffic": 3.0, "eligible_count": 100, "list_size": 100, "worked": 50,
    "stage_scores": dict.fromkeys(tc.CALL_STAGES, 80), "skill_scores": dict.fromkeys(tc.CALL_SKILLS, 90),
    "counter": lambda p: {"vip": np.array([0]), "all": np.arange(N)},
    "rates_spec": {"vip_share": ("vip", "all")}, "start": 100, "retained": 90,
    "revenue": 1_000_000, "points_issued": 50_000, "points_outstanding": 20_000,
    "qualifying_points": 5_000, "cases": None, "complaints": None, "actions": None,
    "events": [], "recent_contacts": [], "contacts_made": [], "before": None, "after": None,
}  # fmt: skip

#: ... else by the annotation (first match wins: the longer names first).
BY_TYPE: tuple[tuple[str, Callable[[dict[str, Any]], Any]], ...] = (
    ("CustomerBase", lambda f: f["base"]), ("ManagerBook", lambda f: f["book"]),
    ("ActionLog", lambda f: f["log"]), ("OfferCatalogue", lambda f: f["catalogue"]),
    ("OfferMatch", lambda f: f["match"]), ("MomentScan", lambda f: f["scan"]),
    ("Prospect", lambda f: f["prospect"]), ("Customer", lambda f: f["customer"]),
    ("Iterable[Complaint]", lambda f: [f["complaint"]]), ("Complaint", lambda f: f["complaint"]),
    ("SuspiciousCase", lambda f: [f["case"]]), ("Action", lambda f: [f["action"]]),
    ("CampaignCounts", lambda f: tc.CampaignCounts(100, 90, 80, 70, 10)),
    ("CallbackCounts", lambda f: tc.CallbackCounts(10, 9, 8, 7, 6, 5)),
    ("CallbackFacts", lambda f: tc.CallbackFacts()), ("Rate", lambda f: tc.Rate(3, 10)),
    ("PointsLedger", lambda f: f["ledger"]), ("Replay", lambda f: f["replay"]),
    ("Policy", lambda f: POLICY), ("datetime", lambda f: AT), ("date", lambda f: AS_OF),
    ("float", lambda f: 0.5), ("int", lambda f: 3), ("bool", lambda f: True), ("str", lambda f: "gold"),
)  # fmt: skip

#: A points book's columns (telcare.book_to_columns), for the book's rules.
BOOK = tc.PointsBook.empty(["a", "b", "c"]).post(date(2010, 1, 31), [100, 0, 5])
BOOK_COLUMNS = tc.book_to_columns(BOOK)

#: Seeds written out where the name and the annotation do not say enough.
SEEDS: dict[str, Callable[[dict[str, Any]], tuple[tuple[Any, ...], dict[str, Any]]]] = {
    "grouped_report": lambda f: (("vip", "VIP", f["book"], "2010-11", BY_NAME["counter"], BY_NAME["rates_spec"]), {}),
    "match_offer": lambda f: ((f["prospect"], "plan_upgrade", f["catalogue"]), {"at": AT}),
    "best_offers": lambda f: ((f["prospect"], f["catalogue"]), {"at": AT}),
    "offer_conflicts": lambda f: (([], "plan_upgrade", f["catalogue"]), {}),
    "conflict_complaint": lambda f: (("k3", "c1", AT, "plan_upgrade", "basic_fee_discount", f["catalogue"]), {}),
    "contact_allowed": lambda f: (("c1", "credit_alert", AT, []), {}),
    "ContactCounts": lambda f: (([1, 0], [[1, 0, 0, 0, 0], [0] * 5], [[0] * 5, [0] * 5]), {}),
    "contact_counts": lambda f: ((["c1", "c2"], [tc.ContactMade("c1", AT, project="p")], AT), {}),
    "contacts_allowed": lambda f: ((AT, ["sms", "phone"], tc.contact_counts(["c1", "c2"], [], AT)), {}),
    "retention_service": lambda f: ((BY_NAME["active"], [f"2009-{m:02d}" for m in (11, 12)]
                                     + [f"2010-{m:02d}" for m in range(1, 13)], f["book"], "2010-12"), {}),
    "credit_bulletin": lambda f: (([3, 0, 1], [True, False, False], f["book"], "2010-11"), {}),
    "retention_warning_list": lambda f: ((f["scan"], ["a", "b", "c"]), {"monthly_spend": [20_000, 30_000, 40_000]}),
    "check_benefit": lambda f: ((f["customer"], "service_manager"), {}),
    "points_for_bill": lambda f: ((f["customer"], date(2010, 3, 1), 9_000), {}),
    "compare_policies": lambda f: ((f["base"], POLICY, POLICY), {"as_of": AS_OF}),
    "segment_size": lambda f: ((100,), {}),
    "local_date": lambda f: ((AT,), {}),
    "erlang_c": lambda f: ((5, 3.0), {}),
    "staffing": lambda f: ((9_000,), {}),
    "inbound_staffing": lambda f: ((100,), {"interval_seconds": 1_800, "aht_seconds": 180,
                                                "answer_within_seconds": 20, "service_level": 0.8}),
    "outbound_staffing": lambda f: ((1_000,), {"connect_rate": 0.6, "attempts": 3, "talk_seconds": 180,
                                                   "wrap_seconds": 30, "hours_per_day": 8, "utilisation": 0.75, "days": 20}),
    "trial_forecast": lambda f: ((tc.CampaignCounts(100, 90, 80, 70, 10), 1_000), {}),
    "CampaignCounts": lambda f: ((100, 90, 80, 70, 10), {}),  # its fields' annotations read 'object'
    "campaign_value": lambda f: ((), {"cost": 10_000, "contacts": 100, "successes": 10, "unit_price": 500, "usage_months": 12}),
    "retention": lambda f: ((100, 90), {}),
    "compare": lambda f: ((tc.Rate(3, 10), tc.Rate(2, 10)), {}),
    "sample_size": lambda f: ((0.1, 0.02), {}),
    "minimum_detectable_effect": lambda f: ((0.1, 1_000), {}),
    "list_utilisation": lambda f: ((100, 50), {}),
    "programme_economics": lambda f: ((1_000_000, 50_000, 20_000), {}),
    "book_to_columns": lambda f: ((BOOK,), {}),
    "book_from_columns": lambda f: ((dict(BOOK_COLUMNS),), {}),
    "book_balances": lambda f: ((), {**BOOK_COLUMNS, "as_of": AS_OF}),
    "book_totals": lambda f: ((), {**BOOK_COLUMNS, "as_of": AS_OF}),
    "add_book_totals": lambda f: (([tc.book_totals(**BOOK_COLUMNS, as_of=AS_OF)], AS_OF), {}),
    "suspicious_follow_up": lambda f: ((date(2010, 10, 4),), {"as_of": AS_OF}),
    "complaint_book": lambda f: (([f["complaint"]],), {"as_of": AS_OF}),
    "suspicious_list": lambda f: (([f["case"]],), {"as_of": AS_OF}),
    "sla_report": lambda f: (([f["action"]],), {}),
    "coaching_scorecard": lambda f: (("li", BY_NAME["stage_scores"], BY_NAME["skill_scores"]), {}),
    "due_actions": lambda f: ((f["customer"], []), {"as_of": AS_OF}),
    "eligible_benefits": lambda f: ((f["customer"],), {}),
    "evaluate_tier": lambda f: ((f["customer"],), {}),
    "scan_moments": lambda f: ((AS_OF,), {"used": [1_000, 1_000, 15_000], "allowance": [15_000] * N}),
    "match_offers": lambda f: ((f["catalogue"],), {"at": AT} | {k: BY_NAME[k] for k in (
        "tier", "segment_member", "avg_spend", "plan_fee", "tenure_months", "credit_level")}),
    "call_lists": lambda f: ((f["match"], ["wang", "li", ""]), {}),
    "generate_base": lambda f: ((10,), {"seed": 1}),
    "customer_base": lambda f: ((ts.generate_base(10, seed=1),), {}),
    "month_starts": lambda f: ((AS_OF, 3), {}),
    "frames.tier_inputs": lambda f: ((pd.DataFrame({"m1": [None, 50_000, 1], "m2": [30_000, 60_000, 2]}),),
                              {"months": ["m1", "m2"]}),
    "PointsLedger.accrue": lambda f: (("b2", date(2010, 2, 5), 300, "consumption"), {}),
    "PointsLedger.redeem": lambda f: (("r1", date(2010, 2, 5), 300), {}),
    "PointsLedger.transfer": lambda f: (("t1", date(2010, 2, 5), 300, tc.PointsLedger.empty("c2")), {}),
    "PointsLedger.reverse": lambda f: (("b1", date(2010, 2, 5)), {}),
    "PointsLedger.posting": lambda f: (("b1",), {}),
    "PointsLedger.expiring": lambda f: ((AS_OF, 30), {}),
    "PointsLedger.empty": lambda f: (("c9",), {}),
    "PointsBook": lambda f: ((["c1", "c2"],), {}),
    "PointsBook.empty": lambda f: ((["c1", "c2"],), {}),
    "PointsBook.post": lambda f: ((date(2010, 2, 5), [1, 2, 3]), {}),
    "PointsBook.redeem": lambda f: ((date(2010, 2, 5), [1, 1, 1]), {}),
    "PointsBook.reverse": lambda f: ((date(2010, 2, 5), [10, 0, 0], date(2010, 1, 5)), {}),
    "PointsBook.expire": lambda f: ((date(2011, 12, 1),), {}),
    "PointsBook.expiring": lambda f: ((AS_OF, 30), {}),
    "PointsBook.summary_of": lambda f: (("c1", AS_OF), {}),
    "PointsBook.lots_of": lambda f: (("c1", AS_OF), {}),
    "Report.count": lambda f: (("base",), {}), "Report.rate": lambda f: (("retention",), {}),
    "Report.change": lambda f: (("retention_pp",), {}), "Report.vs_previous": lambda f: (("retention",), {}),
    "Report.only": lambda f: (([0],), {}), "Report.rows": lambda f: ((), {}),
    "ReportRegistry.get": lambda f: (("execution_report",), {}),
    "ReportRegistry.build": lambda f: (("execution_report", {"log": f["log"], "book": f["book"]}, "2010-W48"), {}),
    "ReportRegistry.with_report": lambda f: ((tc.ReportSpec("mine", "week", ("log",), lambda log, week: None),), {}),
    "ReportSpec.run": lambda f: (({"log": f["log"], "book": f["book"]}, "2010-W48"), {}),
    "ActionLog.of_moments": lambda f: ((["first_bill"],), {}),
    "ActionLog.with_outcome": lambda f: ((["retained"],), {}),
    "ActionLog.from_actions": lambda f: (([f["action"]], tc.manager_book(["c1"], ["li"])), {"genuine": {"c1"}}),
    "CallList.for_agent": lambda f: (("wang",), {}), "ManagerBook.rows": lambda f: ((["a", "c"],), {}),
    "ManagerBook.manager_of": lambda f: ((["a", "c"],), {}), "GroupRates.rate": lambda f: (("x",), {}),
    "MomentScan.status_names": lambda f: (("credit_alert",), {}), "Funnel.pass_rate": lambda f: ((tc.SELECTION_STEPS[0],), {}),
    "Period.week": lambda f: ((2010, 48), {}), "Period.month": lambda f: ((2010, 11), {}),
    "Period.parse": lambda f: (("2010-W48",), {}), "Period.containing": lambda f: ((AS_OF, "week"), {}),
    "Period.shifted": lambda f: ((1,), {}), "PointsCycle.shifted": lambda f: ((1,), {}),
    "Policy.diff": lambda f: ((POLICY,), {}), "Policy.tier_multiplier": lambda f: (("gold",), {}),
    "TierPolicy.index": lambda f: (("gold",), {}), "MomentRegistry.order": lambda f: (("birthday",), {}),
    "MomentRegistry.with_moment": lambda f: ((tc.MomentSpec("mine", "Mine"),), {}),
    "OfferGates.with_gate": lambda f: ((attrs.evolve(tc.OFFER_GATES.gates[0], name="mine"),), {}),
    "Replay.action": lambda f: (("credit_alert", AS_OF, AS_OF, "a reason"), {}),
    "BillIssued": lambda f: (("c1", AT, 9_600), {}),
    "Complaint": lambda f: (("k1", "c1", AT, "billing"), {}),
    "ContactMade": lambda f: (("c1", AT), {"moment": "credit_alert"}),
    "SuspiciousCase": lambda f: (("c1", date(2010, 10, 4), "op17", "own", tc.CallbackFacts()), {}),
    "MomentRegistry": lambda f: ((tc.MOMENTS.specs,), {}), "OfferGates": lambda f: ((tc.OFFER_GATES.gates,), {}),
    "ReportRegistry": lambda f: ((tc.REPORTS.specs,), {}),
    "Offer": lambda f: ((), f["catalogue"].offers[0].model_dump()),
    "TierRule": lambda f: ((), POLICY.tiers.ladder[1].model_dump()),
    "credit_allowance": lambda f: ((2,), {}),
    "simple_moment": lambda f: ((f["replay"], tc.Activated, "first_bill", 3, "a bill"), {}),
    "to_fen": lambda f: (([1.5, 2, 3.01],), {}),
    "to_frame": lambda f: (([tc.evaluate_tier(f["customer"])],), {}),
    "value_by": lambda f: ((["a", "b"],), {"cost": [100, 200], "contacts": [10, 20], "successes": [1, 2],
                                                "unit_price": [500, 600], "usage_months": [12, 6]}),
    "ServiceList.reason": lambda f: ((0,), {}), "ServiceList.manager_rows": lambda f: (("li",), {}),
    "PolicyComparison.reasons": lambda f: ((3,), {}), "Rate.ci": lambda f: ((0.95,), {}),
    "Offer.valid_on": lambda f: ((AS_OF,), {}),
    "OfferCatalogue.holds_table": lambda f: (([["plan_upgrade"], [], []],), {}),
    "Replay.of": lambda f: ((tc.Activated,), {}),
    "PointsLedger": lambda f: (("c1",), {}),  # its __init__ is not its attrs fields
    "holdout": lambda f: ((["a", "b", "c"],), {"share": 0.1, "salt": "s"}),
    "sample_ratio_check": lambda f: ((900, 100), {"share": 0.1}),
    "bootstrap_interval": lambda f: (("qini_auc_score", [1, 0, 1, 0, 1, 0], [0.9, 0.8, 0.7, 0.6, 0.5, 0.4],
                                      [1, 1, 1, 0, 0, 0]), {"resamples": 20}),
    "PolicySchedule": lambda f: (({date(2010, 1, 1): POLICY},), {}),
    "PolicySchedule.policy_on": lambda f: ((AS_OF,), {}),
    "RetentionCurve.survival": lambda f: ((3,), {}), "RetentionCurve.retention": lambda f: ((3,), {}),
    "RetentionCurve.discounted_value": lambda f: ((1_000, 0.1), {}),
}  # fmt: skip


def _receivers() -> dict[str, Callable[[dict[str, Any]], Any]]:
    """An instance of each value class whose methods are fuzzed (a classmethod is called
    on the class)."""
    return {
        "PointsLedger": lambda f: f["ledger"], "ActionLog": lambda f: f["log"],
        "PointsBook": lambda f: f["points_book"],
        "CallList": lambda f: f["call_list"], "ManagerBook": lambda f: f["book"],
        "Report": lambda f: f["report"], "ServiceList": lambda f: f["service_list"],
        "MomentScan": lambda f: f["scan"], "GroupRates": lambda f: f["rates"],
        "Period": lambda f: tc.Period.month(2010, 11), "PointsCycle": lambda f: tc.points_cycle(AS_OF),
        "Customer": lambda f: f["customer"], "Funnel": lambda f: f["funnel"],
        "Rate": lambda f: tc.Rate(3, 10), "Policy": lambda f: POLICY, "TierPolicy": lambda f: POLICY.tiers,
        "ServiceHours": lambda f: POLICY.contact.hours, "ContactPolicy": lambda f: POLICY.contact,
        "Offer": lambda f: f["catalogue"].offers[0],
        "OfferCatalogue": lambda f: f["catalogue"], "TierBatch": lambda f: f["tiers"],
        "UpliftByPercentile": lambda f: f["uplift"], "ReportRegistry": lambda f: tc.REPORTS,
        "ReportSpec": lambda f: tc.REPORTS.get("execution_report"), "MomentRegistry": lambda f: tc.MOMENTS,
        "OfferGates": lambda f: tc.OFFER_GATES, "TierDecision": lambda f: tc.evaluate_tier(f["customer"]),
        "PolicyComparison": lambda f: f["comparison"], "Replay": lambda f: f["replay"],
        "OfferMatch": lambda f: f["match"], "Usage": lambda f: tc.Usage(),
        "WarningList": lambda f: tc.retention_warning_list(f["scan"], ["a", "b", "c"],
                                                           monthly_spend=[20_000, 30_000, 40_000]),
        "SuspiciousList": lambda f: tc.suspicious_list([f["case"]], as_of=AS_OF),
        "PolicySchedule": lambda f: tc.PolicySchedule({date(2010, 1, 1): POLICY}),
        "RetentionCurve": lambda f: tc.retention_curve([1000, 869, 743, 653, 593, 551, 517, 491]),
        "Reason": lambda f: tc.evaluate_tier(f["customer"]).reasons[0],
    }  # fmt: skip


RECEIVERS = _receivers()


def _instances(f: dict[str, Any]) -> dict[str, Any]:
    """A valid instance of each value class the library builds, by class name."""
    known = {name: make(f) for name, make in RECEIVERS.items()}
    made = {
        "Uplift": tc.compare(tc.Rate(3, 10), tc.Rate(2, 10)),
        "CellUplift": tc.uplift_by_cell(BY_NAME["y_true"], BY_NAME["treatment"], BY_NAME["cell"]),
        "AgentPerformance": tc.agent_performance(*(BY_NAME[k] for k in ("agent", "connected", "contacted", "deal", "talk_seconds"))),
        "ComplaintBook": tc.complaint_book([f["complaint"]], as_of=AS_OF),
        "SuspiciousList": tc.suspicious_list([f["case"]], as_of=AS_OF),
        "SlaReport": tc.sla_report([f["action"]]), "OfferMatch": f["match"],
        "PolicyOutcome": f["comparison"].before, "OfferGate": tc.OFFER_GATES.gates[0],
    }  # fmt: skip
    return {k: v for k, v in (known | made).items() if attrs.has(type(v))}


# ------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Row:
    """One public callable: how to reach it, and what it may raise besides TelcareError."""

    name: str
    function: Callable[..., Any]
    kind: str  # "call", "method", "frames" or "dask"
    also_allowed: tuple[type[BaseException], ...] = ()


def _methods(cls: type) -> list[str]:
    """The public methods of ``cls`` that take data (a parameter besides self/cls)."""
    out = []
    for name, value in vars(cls).items():
        raw = value.__func__ if isinstance(value, classmethod | staticmethod) else value
        if name.startswith("_") or not inspect.isfunction(raw):
            continue
        if [p for p in inspect.signature(raw).parameters if p not in ("self", "cls")]:
            out.append(name)
    return sorted(out)


def _bound(cls_name: str, method: str) -> Callable[..., Any]:
    cls = getattr(tc, cls_name)
    if isinstance(vars(cls)[method], classmethod | staticmethod):
        return getattr(cls, method)  # type: ignore[no-any-return]

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(RECEIVERS[cls_name](_fixtures()), method)(*args, **kwargs)

    signature = inspect.signature(getattr(cls, method))
    call.__signature__ = signature.replace(parameters=list(signature.parameters.values())[1:])  # type: ignore[attr-defined]
    return call


def _is_policy_model(obj: object) -> bool:
    return isinstance(obj, type) and issubclass(obj, pydantic.BaseModel)


def _table() -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for name in tc.__all__:
        obj = getattr(tc, name)
        if not callable(obj) or (
            isinstance(obj, type) and issubclass(obj, BaseException | enum.Enum)
        ):
            continue
        rows[name] = Row(
            name, obj, "call", (pydantic.ValidationError,) if _is_policy_model(obj) else ()
        )
    for name in ts.__all__:
        if inspect.isfunction(getattr(ts, name)):
            rows[name] = Row(name, getattr(ts, name), "call")
    for cls_name in RECEIVERS:
        pyd = (pydantic.ValidationError,) if _is_policy_model(getattr(tc, cls_name)) else ()
        for method in _methods(getattr(tc, cls_name)):
            key = f"{cls_name}.{method}"
            rows[key] = Row(key, _bound(cls_name, method), "method", pyd)
    for name in tf.__all__:
        rows[f"frames.{name}"] = Row(f"frames.{name}", getattr(tf, name), "frames")
    for name in on_dask.__all__:
        rows[f"on_dask.{name}"] = Row(f"on_dask.{name}", getattr(on_dask, name), "dask")
    return dict(sorted(rows.items()))


TABLE = _table()

# ----------------------------------------------------------------------- seeds


def _parameters(function: Callable[..., Any]) -> list[inspect.Parameter]:
    target = function.__init__ if isinstance(function, type) else function  # type: ignore[misc]
    return [
        p for p in inspect.signature(target).parameters.values() if p.name not in ("self", "cls")
    ]


def _valid(parameter: inspect.Parameter, fixtures: dict[str, Any]) -> Any:
    annotation = str(parameter.annotation)
    if parameter.name in BY_NAME and BY_NAME[parameter.name] is not None:
        value = BY_NAME[parameter.name]
        column = isinstance(value, list | np.ndarray)
        scalar = annotation in ("int", "float", "bool", "str", "date", "datetime")
        if not (column and scalar):
            return value
    for kind, make in BY_TYPE:
        if kind in annotation:
            return make(fixtures)
    return 1


def _seed(row: Row) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """A valid call of ``row`` (for a frames or Dask form: a valid frame)."""
    fixtures = _fixtures()
    if row.name in SEEDS:
        return SEEDS[row.name](fixtures)
    short = row.name.split(".")[-1]
    if row.kind in ("frames", "dask") and short in RULES:
        frame = _frame_for(short)
        if row.kind == "dask":
            frame = dd.from_pandas(frame, npartitions=2)
        return (frame,), (
            {"as_of": AS_OF}
            if short in ("scan_moments", "evaluate_tiers") or short.startswith("book_")
            else {}
        )
    if row.kind == "call" and short in SEEDS:
        return SEEDS[short](fixtures)
    instance = _instances(fixtures).get(row.name)
    if instance is not None:  # a value the library builds: its own fields
        return (), {
            a.alias: getattr(instance, a.name) for a in attrs.fields(type(instance)) if a.init
        }
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for p in _parameters(row.function):
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.default is not p.empty:
            continue
        if p.kind is p.KEYWORD_ONLY:
            kwargs[p.name] = _valid(p, fixtures)
        else:
            args.append(_valid(p, fixtures))
    return tuple(args), kwargs


def _frame_for(rule: str) -> pd.DataFrame:
    """A valid pandas frame of N rows holding every input column of ``rule``."""
    if rule.startswith("book_"):
        return pd.DataFrame(BOOK_COLUMNS)
    if rule == "scan_moments":
        return pd.DataFrame({"used": [1_000, 1_000, 15_000], "allowance": [15_000] * N,
                             "month_spend": [2_000, 30_000, 40_000],
                             "trailing_mean": [20_000, 30_000, 40_000]})  # fmt: skip
    columns = {c.name: BY_NAME[c.name] for c in RULES[rule].inputs}
    if rule == "mid_high_end":
        columns["id"] = columns["ids"]  # the Dask form reads ``id``
    return pd.DataFrame(columns)


# --------------------------------------------------------------------- calls


def _settle(result: Any, *, built: bool = True) -> Any:
    """A Dask answer computed (a refusal may wait until then); a to_dict() written as JSON
    when the library built the value (``built``; a value constructed from its fields as
    given holds what it was given)."""
    if isinstance(result, dd.DataFrame | dd.Series):
        return result.compute(scheduler="sync")
    to_dict = getattr(result, "to_dict", None)
    if built and callable(to_dict) and not isinstance(result, pd.DataFrame | pd.Series | dict):
        json.dumps(to_dict(), default=_iso)
    return result


def _iso(value: Any) -> str:
    """Dates are written as ISO text; anything else (a numpy scalar) is not JSON."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__module__}.{type(value).__name__} {value!r} is not JSON")


def _quotes(message: str, name: str, value: Any) -> bool:
    """Whether a refusal names the argument ``name``, quotes ``value`` or names its type
    ("needs a ManagerBook, got float")."""
    lowered = message.lower()
    if name.lower() in lowered or type(value).__name__ in message:
        return True
    try:
        shown = {repr(value), str(value), repr(value)[:20], str(value)[:20]}
    except Exception:  # a value that cannot be shown cannot be quoted
        return False
    return any(s and s in message for s in shown)


#: A call may take this long and this much memory (a hang or an allocation the size of
#: a huge argument is a defect too, and must not take the machine with it).
CALL_SECONDS = 10.0
CALL_BYTES = 6 * 2**30


class Hang(Exception):
    """A call ran past CALL_SECONDS."""


@contextlib.contextmanager
def _bounded() -> Iterator[None]:
    def stop(signum: int, frame: object) -> None:
        raise Hang(f"still running after {CALL_SECONDS:.0f} s")

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    previous = signal.signal(signal.SIGALRM, stop)
    resource.setrlimit(
        resource.RLIMIT_AS,
        (CALL_BYTES if hard == resource.RLIM_INFINITY else min(CALL_BYTES, hard), hard),
    )
    signal.setitimer(signal.ITIMER_REAL, CALL_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def outcome(
    row: Row, args: tuple[Any, ...], kwargs: dict[str, Any], named: str | None, value: Any
) -> str | None:
    """None when the call answers or refuses as the contract says; else what went wrong.

    ``named`` is the argument replaced by ``value`` (None when no single one was):
    a refusal must then name it or quote the value."""
    allowed = (tc.TelcareError, *row.also_allowed)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with _bounded():
                _settle(row.function(*args, **kwargs), built=not isinstance(row.function, type))
        except allowed as exc:
            message = str(exc)
            if (
                named is not None
                and not isinstance(exc, pydantic.ValidationError)
                and not _quotes(message, named, value)
            ):
                return f"refusal names neither {named!r} nor the value: {message[:200]}"
        except Exception as exc:
            return f"{type(exc).__name__}: {str(exc)[:200]}"
    if caught:
        return f"warning {caught[0].category.__name__}: {str(caught[0].message)[:200]}"
    return None


def _frame_cases(row: Row, frame: Any) -> list[tuple[str, Callable[[Any], Any], str | None]]:
    """Hostile edits of a valid frame: (label, edit, the column named)."""
    pandas = frame if isinstance(frame, pd.DataFrame) else frame.compute()
    cases: list[tuple[str, Callable[[Any], Any], str | None]] = []
    for column in pandas.columns:
        cases.append((f"drop {column}", lambda df, c=column: df.drop(columns=[c]), column))
        for label, value in _columns():
            if np.ndim(value) == 1 and len(value) == N:
                cases.append((f"{column} = {label}",
                              lambda df, c=column, v=value: df.assign(**{c: pd.Series(v, index=df.index) if not isinstance(v, pd.Series) else v.set_axis(df.index)}),
                              column))  # fmt: skip
    cases.append(("extra column", lambda df: df.assign(extra=["p", "q", "r"]), None))
    cases.append(("no rows", lambda df: df.iloc[:0], None))
    return cases


@st.composite
def _draws(
    draw: st.DrawFn, row: Row
) -> tuple[tuple[Any, ...], dict[str, Any], str | None, Any, str]:
    """One call of ``row``: the seed with one argument (or a frame column) made hostile,
    or now and then every argument hostile."""
    args, kwargs = _seed(row)
    parameters = [
        p for p in _parameters(row.function) if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    if row.kind in ("frames", "dask") and args and draw(st.integers(0, 2)):
        frame = args[0]
        pandas = frame.compute() if row.kind == "dask" else frame
        label, edit, column = draw(st.sampled_from(_frame_cases(row, pandas)))
        edited = edit(pandas)
        if row.kind == "dask":
            edited = dd.from_pandas(edited, npartitions=draw(st.sampled_from([1, 2])))
        return (edited, *args[1:]), kwargs, column, None, label
    if draw(st.integers(0, 9)) == 0:  # all hostile
        wild = {p.name: draw(st.sampled_from(CATALOGUE))[1] for p in parameters}
        positional = [wild[p.name] for p in parameters if p.kind is not p.KEYWORD_ONLY]
        keywords = {p.name: wild[p.name] for p in parameters if p.kind is p.KEYWORD_ONLY}
        return tuple(positional), keywords, None, None, "all hostile"
    if not parameters:
        return args, kwargs, None, None, "seed"
    parameter = draw(st.sampled_from(parameters))
    label, value = draw(st.sampled_from(CATALOGUE))
    target = row.function.__init__ if isinstance(row.function, type) else row.function  # type: ignore[misc]
    signature = inspect.signature(target)
    bound = (signature.bind_partial(None, *args, **kwargs) if isinstance(row.function, type)
             else signature.bind_partial(*args, **kwargs))  # fmt: skip
    bound.arguments[parameter.name] = value
    args_l = list(bound.args[1:] if isinstance(row.function, type) else bound.args)
    kwargs = dict(bound.kwargs)
    return tuple(args_l), kwargs, parameter.name, value, f"{parameter.name} = {label}"


# ------------------------------------------------------------ known defects

#: Rows that fail today, with what is wrong (issue #28); strict: a fixed row fails the run.
KNOWN_DEFECTS: dict[str, str] = {
}  # fmt: skip


def _examples() -> int:
    current = settings().max_examples
    if current <= settings.get_profile("compat").max_examples:
        return COMPAT_FUZZ_EXAMPLES  # .ci/highest-python asks whether the table passes there
    return FUZZ_EXAMPLES * max(1, current // CI_EXAMPLES)


def _params() -> list[Any]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_DEFECTS[name]))
        if name in KNOWN_DEFECTS
        else name
        for name in TABLE
    ]


@pytest.mark.parametrize("name", _params())
def test_every_public_form_answers_or_refuses_by_name(
    name: str, fuzz_counts: dict[str, int]
) -> None:
    row = TABLE[name]
    fuzz_counts[name] = 0

    @settings(
        max_examples=_examples(),
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(call=_draws(row))
    def fuzz(call: tuple[tuple[Any, ...], dict[str, Any], str | None, Any, str]) -> None:
        args, kwargs, named, value, label = call
        fuzz_counts[name] += 1
        wrong = outcome(row, args, kwargs, named, value)
        assert wrong is None, f"{name} with {label}: {wrong}"

    fuzz()


def test_the_table_covers_every_public_callable_and_every_engine_form() -> None:
    """A new public function, method, frames or Dask form without a row fails here."""
    names = set(TABLE)
    public = {n for n in tc.__all__ if callable(getattr(tc, n))}
    enums_and_errors = {n for n in public if isinstance(getattr(tc, n), type)
                        and issubclass(getattr(tc, n), BaseException | enum.Enum)}  # fmt: skip
    assert public - enums_and_errors <= names
    assert {f"frames.{r}" for r in RULES} | {f"on_dask.{r}" for r in RULES} <= names
    assert {f"frames.{n}" for n in tf.__all__} <= names
    with_methods = {n for n in tc.__all__ if isinstance(getattr(tc, n), type)
                    and not issubclass(getattr(tc, n), BaseException | enum.Enum)
                    and _methods(getattr(tc, n))}  # fmt: skip
    assert with_methods <= set(RECEIVERS), sorted(with_methods - set(RECEIVERS))
    assert set(KNOWN_DEFECTS) <= names


def test_the_seeds_reach_the_rules() -> None:
    """Most seeds are answered (so a hostile argument is what a refusal is about): a
    seed that stops refusing silently would turn the table into a test of the first check."""
    refused = []
    for name, row in TABLE.items():
        args, kwargs = _seed(row)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                _settle(row.function(*args, **kwargs), built=not isinstance(row.function, type))
        except Exception as exc:
            refused.append(f"{name}: {type(exc).__name__}: {str(exc)[:80]}")
    assert len(refused) <= len(TABLE) // 10, refused


def test_the_catalogue_has_every_kind() -> None:
    labels = " ".join(label for label, _ in CATALOGUE)
    for kind in ("nan", "None", "pd.NA", "pd.NaT", "int8", "int16", "int32", "int64", "uint8",
                 "uint16", "uint32", "uint64", "float16", "float32", "float64", "bool_", "True",
                 "'3'", "'wang'", "np.array(3)", "np.array([])", "10**30", "2**63", "UTC-12",
                 "UTC+14", "30 Nov", "1 Dec", "29 Feb", "N+1 rows", "Series", "Categorical",
                 "Int64", "string"):  # fmt: skip
        assert kind in labels, kind
    assert len(TABLE) >= 250, len(TABLE)
