"""The front door for notebooks and terminals (#31 item 5): the generator in public, a
generated base and every column result as a frame with the customers' ids, and a
readable ``print()`` of every result."""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

import telcare as tc
from telcare.synthetic import SyntheticBase, customer_base, generate_base

AT = datetime(2010, 11, 22, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
CATALOGUE = tc.OfferCatalogue.model_validate({"offers": [
    {"code": "data_pack", "name": "Data pack", "project_type": "promotion",
     "channels": ["sms", "phone"], "value": 2_000, "cost": 500, "min_plan_fee": 5_800,
     "valid_from": "2010-01-01", "valid_to": "2010-12-31"}]})  # fmt: skip
PHONE = tc.OfferCatalogue.model_validate({"offers": [
    {"code": "plan_upgrade", "name": "Plan upgrade", "project_type": "promotion",
     "channels": ["phone"], "value": 6_000, "cost": 500,
     "valid_from": "2010-01-01", "valid_to": "2010-12-31"}]})  # fmt: skip
COUNTS = tc.CampaignCounts(valid_targets=1_000, dialled=2_000, connected=900, contacted=860, deals=120,
                           talk_seconds=100_000, handle_seconds=120_000, working_seconds=200_000,
                           rated=400, satisfied=390)  # fmt: skip
GOLD = tc.Customer("1", activated_on=date(2008, 3, 15), plan_fee=tc.yuan(288),
                   monthly_spend=[42_000] * 12, tier="gold")  # fmt: skip

#: What a raw repr leaves in a terminal: numpy reprs, HTML, dicts, object addresses.
JUNK = re.compile(r"array\(|np\.\w+\(|<[A-Za-z/]|\{'|object at 0x|datetime\.date\(|Decimal\(")


def _match(n: int = 5, catalogue: tc.OfferCatalogue = CATALOGUE) -> tc.OfferMatch:
    return tc.match_offers(catalogue, at=AT, tier=[0] * n, segment_member=[False] * n,
                           avg_spend=[9_000] * n, plan_fee=[5_800] * n, tenure_months=[12] * n,
                           credit_level=[1] * n, response=[[0.1], [0.5], [0.3], [0.2], [0.4]][:n])  # fmt: skip


def _ledger(postings: int) -> tc.PointsLedger:
    ledger = tc.PointsLedger.empty("c1")
    for i in range(postings):
        ledger = ledger.accrue(f"b{i}", date(2010, 1, 1 + i), 100, "consumption")
    return ledger


def _comparison() -> tc.PolicyComparison:
    base = tc.CustomerBase(ids=["a", "b", "c"], avg_spend=[55_000, 42_000, 9_000], months=[12] * 3)
    return tc.compare_policies(base, None, {"segment": {"share": "0.5"}}, as_of=date(2010, 12, 1))


def _sla() -> tc.SlaReport:
    action = tc.Action(tc.Moment.FIRST_BILL, "c1", date(2010, 1, 1), date(2010, 1, 4), "done",
                       tc.Channel.PHONE, 4, "first bill", closed_on=date(2010, 1, 5))  # fmt: skip
    return tc.sla_report([action])


#: (what, how to make it, what its text must say)
PRINTED: list[tuple[str, Callable[[], object], list[str]]] = [
    ("TierBatch", lambda: tc.evaluate_tiers([55_000, 42_000, 42_000], [12] * 3, current=[2, 3, 3],
                                            missed=[0, 0, 1]),
     ["TierBatch", "customers      3", "changed        2", "tier gold      2", "tier silver    1"]),
    ("MomentScan", lambda: tc.scan_moments(date(2010, 12, 1), used=[0, 14_000], allowance=[0, 15_000]),
     ["MomentScan as of 2010-12-01", "customers      2", "credit_alert   open 1, done 0, overdue 0",
      "orange 1"]),
    ("CampaignReport", lambda: tc.campaign_report(COUNTS),
     ["Campaign report", "contact rate", "86.00% [83.7, 88.0]", "success rate (per target)",
      "12.00% [10.1, 14.2]", "97.50% [95.5, 98.6]"]),
    ("OfferMatch", _match,
     ["OfferMatch: 5 rows", "best_offer", "data_pack", "sms", "500"]),
    ("CallList", lambda: tc.call_lists(_match(catalogue=PHONE), ["wang", "wang", "li", "", ""], capacity=2),
     ["CallList: 4 rows", "agent", "wang", "li", "plan_upgrade"]),
    ("GroupRates", lambda: tc.rates_by_group(["a", "b", "a"], [True, False, True]),
     ["GroupRates (2 groups)", "a  100.00% [34.2, 100.0]", "b  0.00% [0.0, 79.3]"]),
    ("TierDecision", lambda: tc.evaluate_tier(GOLD),
     ["TierDecision", "tier", "gold", "¥420.00", "¥580.00"]),
    ("BenefitDecision", lambda: tc.check_benefit(GOLD, "service_manager"),
     ["BenefitDecision", "service_manager", "eligible"]),
    ("Uplift", lambda: tc.compare(tc.Rate(460, 1_000), tc.Rate(400, 1_000)), ["+6.00 pp"]),
    ("PointsLedger", lambda: _ledger(25),
     ["PointsLedger of c1: 25 postings, the last 10 shown", "balance", "2,500", "2010-01-25"]),
    ("PointsBook", lambda: tc.PointsBook.empty(["a", "b"]).post(date(2010, 1, 31), [1_200, 300]),
     ["PointsBook", "customers", "2", "liability", "¥30.00"]),
    ("PolicyOutcome", lambda: _comparison().after,
     ["PolicyOutcome", "customers", "3", "segment", "points issued", "liability"]),
    ("PolicyComparison", _comparison, ["segment"]),
    ("SlaReport", _sla, ["SlaReport: 1 rows", "first_bill", "done"]),
    ("ManagerBook", lambda: tc.manager_book(["a", "b"], ["li", ""]),
     ["ManagerBook: 2 rows", "id", "manager", "li"]),
    ("Funnel", lambda: tc.selection_funnel([[80] * 7, [50] + [np.nan] * 6]),
     ["resume               2 entered      1 passed  50.00% [9.5, 90.5]"]),
    ("SyntheticBase", lambda: generate_base(1_000, seed=7),
     ["SyntheticBase: 1,000 customers as of 2010-12-01", "average spend", "¥"]),
    ("Policy", tc.default_policy, ["tiers.ladder.gold.min_avg_spend", "¥500.00"]),
]  # fmt: skip


@pytest.mark.parametrize(("what", "make", "figures"), PRINTED, ids=[p[0] for p in PRINTED])
def test_a_printed_result_reads_as_aligned_text_with_its_key_figures(
    what: str, make: Callable[[], object], figures: list[str]
) -> None:
    value = make()
    assert type(value).__name__ == what
    text = str(value)
    assert not JUNK.search(text), text
    assert text != repr(value)
    for figure in figures:
        assert figure in text, (figure, text)


def test_every_result_with_a_table_in_jupyter_has_a_text_of_its_own() -> None:
    """Whatever shows an HTML table in Jupyter prints its own text in a terminal: a
    telcare ``__str__``, never object's, attrs' repr or pydantic's field list."""
    lacking = []
    for name in tc.__all__:
        obj = getattr(tc, name)
        if inspect.isclass(obj) and hasattr(obj, "_repr_html_"):
            owner = next(c for c in obj.__mro__ if "__str__" in vars(c))
            if not owner.__module__.startswith("telcare."):
                lacking.append(f"{name} ({owner.__module__}.{owner.__name__})")
    assert lacking == []


def test_a_long_table_prints_its_size_and_its_first_rows_only() -> None:
    book = tc.manager_book([f"c{i}" for i in range(500)], ["li"] * 500)
    lines = str(book).splitlines()
    assert lines[0] == "ManagerBook: 500 rows, the first 10 shown"
    assert len(lines) == 12 and "c9" in lines[-1] and "c10" not in str(book)


def test_a_batch_of_a_million_prints_counts_not_columns() -> None:
    n = 1_000_000
    batch = tc.evaluate_tiers(np.full(n, 55_000), np.full(n, 12))
    text = str(batch)
    assert "customers      1000000" in text.replace(",", "") and len(text.splitlines()) == 8


def test_a_nested_value_prints_its_fields_in_text_and_html() -> None:
    """A value inside a value (the follow-up of a suspicious case) shows as
    ``field value`` pairs on one line, in a terminal and in Jupyter, never as its repr."""
    case = tc.SuspiciousCase("13800000001", date(2010, 10, 4), developer="op17", channel="own",
                             facts=tc.CallbackFacts(failed_attempt_slots=3))  # fmt: skip
    row = tc.suspicious_list([case], as_of=date(2010, 10, 12)).rows[0]
    fields = "flagged_on 2010-10-04, due_by 2010-10-09, status overdue, confirmed -"
    assert f"follow_up    {fields}" in str(row) and not JUNK.search(str(row))
    assert fields in row._repr_html_() and "FollowUp(" not in row._repr_html_()


# --------------------------------------------------------------- frames with ids


def test_a_tier_batch_frame_carries_the_ids_first() -> None:
    batch = tc.evaluate_tiers([55_000, 25_000, 8_000], [12] * 3)
    frame = batch.to_frame(ids=["c1", "c2", "c3"])
    assert list(frame.columns) == ["id", "tier", "missed", "changed", "qualified"]
    assert frame.values.tolist()[0] == ["c1", "gold", 0, True, "gold"]
    assert "id" not in batch.to_frame().columns  # without ids, as before


def test_a_tier_batch_frame_takes_ids_and_the_index_together() -> None:
    frame = pd.DataFrame({"id": ["a", "b"], "avg_spend": [55_000, 8_000], "months": [12, 12]},
                         index=[7, 9])  # fmt: skip
    batch = tc.evaluate_tiers(frame["avg_spend"], frame["months"])
    out = batch.to_frame(index=frame.index, ids=frame["id"])
    assert out.index.tolist() == [7, 9] and out["id"].tolist() == ["a", "b"]


def test_a_moment_scan_frame_carries_the_ids_first() -> None:
    scan = tc.scan_moments(date(2010, 12, 1), used=[0, 14_000], allowance=[0, 15_000])
    frame = scan.to_frame(ids=np.array([13800000001, 13800000002]))
    assert frame.columns[0] == "id" and frame["id"].tolist() == [13800000001, 13800000002]
    assert frame["credit_alert_status"].tolist() == ["", "open"]


def test_an_offer_match_frame_carries_the_ids_first() -> None:
    frame = _match(3).to_frame(ids=["a", "b", "c"])
    assert list(frame.columns) == ["id", "best_offer", "channel", "score", "eligible_offers"]
    assert (
        frame["id"].tolist() == ["a", "b", "c"]
        and frame["best_offer"].tolist() == ["data_pack"] * 3
    )


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (["c1", None, "c3"], r"^ids is missing at index 1 \(got None\); give every row an id"),
        ([1.0, float("nan"), 3.0], r"^ids is missing at index 1 \(got .*nan\)"),
        (pd.Series(["a", pd.NA, "c"], dtype="string"), r"^ids is missing at index 1 \(got <NA>\)"),
        (["c1", "c2"], r"^ids must have one id per row \(3 rows\), got 2"),
        ([["c1"], ["c2"], ["c3"]], r"^ids must be a 1-D column, got shape \(3, 1\)"),
    ],
)
def test_a_frame_refuses_ids_it_cannot_line_up(ids: object, message: str) -> None:
    for result in (tc.evaluate_tiers([1, 2, 3], [12] * 3),
                   tc.scan_moments(date(2010, 12, 1), used=[0] * 3, allowance=[0] * 3), _match(3)):  # fmt: skip
        with pytest.raises(tc.InvalidInput, match=message):
            result.to_frame(ids=ids)


def test_tc_to_frame_takes_a_column_result_as_it_is() -> None:
    batch = tc.evaluate_tiers([55_000, 8_000], [12, 12])
    assert tc.to_frame(batch).equals(batch.to_frame())


# --------------------------------------------------------------- the generated base


def test_a_generated_base_becomes_a_pandas_frame_through_tc_to_frame() -> None:
    base = generate_base(200, seed=3)
    frame = tc.to_frame(base)
    assert isinstance(frame, pd.DataFrame) and frame.shape == (200, 15 + 24)
    assert frame["ids"].tolist() == base.ids.tolist()
    assert frame.columns[-1] == "spend_2010_11" and frame.columns[15] == "spend_2008_12"
    assert (frame["spend_2010_11"].to_numpy() == base.monthly_spend[:, -1]).all()
    assert frame["birthday"].isna().sum() == int(np.isnat(base.birthday).sum())


@pytest.mark.parametrize("backend", ["pandas", "polars", "pyarrow"])
def test_a_generated_base_frame_is_the_callers_library_with_the_same_values(backend: str) -> None:
    pytest.importorskip(backend)
    base = generate_base(300, seed=5)
    frame = base.to_frame(backend)
    assert type(frame).__module__.split(".")[0] == backend
    import narwhals as nw

    df = nw.from_native(frame, eager_only=True)
    assert df.columns[0] == "ids" and df["ids"].to_list() == base.ids.tolist()
    assert df["plan_fee"].to_list() == base.plan_fee.tolist()
    assert df["contract_ends_on"].null_count() == int(np.isnat(base.contract_ends_on).sum())


@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_the_whole_base_rules_read_a_generated_frame_as_the_numpy_columns_give(
    backend: str,
) -> None:
    pytest.importorskip(backend)
    import telcare.frames as tf

    base = generate_base(2_000, seed=11)
    cb = customer_base(base)
    direct = tc.evaluate_tiers(cb.avg_spend, cb.months).tier_codes().tolist()
    framed = tf.evaluate_tiers(base.to_frame(backend))["tier"]
    assert [str(t) for t in framed.to_list()] == direct


@pytest.mark.parametrize("backend", ["dask", "Pandas", 3, None])
def test_a_generated_base_refuses_a_backend_it_does_not_know(backend: object) -> None:
    with pytest.raises(
        tc.InvalidInput, match=r"^backend must be one of \('pandas', 'polars', 'pyarrow'\)"
    ):
        generate_base(10).to_frame(backend)  # type: ignore[arg-type]


def test_the_columns_of_a_generated_base_are_plain_json_once_listed() -> None:
    columns = generate_base(5, seed=1).columns()
    assert list(columns)[:2] == ["ids", "activated_on"] and len(columns) == 39
    json.dumps({k: np.asarray(v).astype(str).tolist() for k, v in columns.items()})
    assert isinstance(generate_base(5), SyntheticBase)


def test_the_generator_is_a_public_module_of_the_top_level() -> None:
    assert tc.synthetic.generate_base is generate_base
    assert "synthetic" in dir(tc)
