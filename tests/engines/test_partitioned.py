"""Batch rules per partition, and the two-pass segment, give the single-process answers."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import UTC
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import telcare as tc
from telcare.engines.partitioned import (
    BinCut,
    SegmentCut,
    segment_admit,
    segment_assign,
    segment_candidates,
    segment_cut,
    segment_histogram,
)


def two_pass(
    spend: Any, eligible: Any, tenure: Any, ids: Any, bounds: list[int], share: Any
) -> np.ndarray:
    parts = [slice(a, b) for a, b in zip([0, *bounds], [*bounds, len(spend)], strict=True)]
    found = segment_cut([segment_histogram(spend[p], eligible[p]) for p in parts], share)
    cut = segment_admit(
        [segment_candidates(spend[p], eligible[p], tenure[p], ids[p], found) for p in parts], found
    )
    return np.concatenate([segment_assign(spend[p], eligible[p], ids[p], cut) for p in parts])


# Few distinct values (many ties), values across the histogram's bins, and the open last bin.
spends = st.one_of(
    st.integers(0, 30),
    st.integers(0, 3_000),
    st.sampled_from([255, 256, 511, 512, 2**28 - 1, 2**28, 2**40]),
)

bases = st.integers(0, 80).flatmap(
    lambda n: st.tuples(
        hnp.arrays(np.int64, n, elements=spends),
        hnp.arrays(np.bool_, n),
        hnp.arrays(np.int64, n, elements=st.integers(0, 4)),
        st.permutations(range(n)),
        st.lists(st.integers(0, n), max_size=4).map(sorted),
    )
)


@given(bases, st.sampled_from(["0.1", "0.25", "0.5", "1", 0.3]))
def test_two_passes_over_partitions_equal_the_whole_base(base: Any, share: Any) -> None:
    spend, eligible, tenure, order, bounds = base
    ids = np.array(order, dtype=np.int64)
    expected = tc.mid_high_end(spend, eligible, tenure_days=tenure, ids=ids, share=share)
    np.testing.assert_array_equal(two_pass(spend, eligible, tenure, ids, bounds, share), expected)


def test_cut_details_and_refusals() -> None:
    # 6 eligible, k = 3: two customers at 2,000 or more fill two places, the bin of
    # 700 (from 512 up to 768) the third: the one with the longer tenure.
    spend, eligible = np.array([700, 2_000, 700, 9_000, 5]), np.ones(5, dtype=bool)
    found = segment_cut([segment_histogram(spend[:2], eligible[:2]),
                         segment_histogram(spend[2:], eligible[2:]), np.array([1])], "0.5")  # fmt: skip
    assert (found.k, found.eligible, found.low, found.high, found.from_bin) == (3, 6, 512, 768, 1)
    tenure, ids = np.array([3, 0, 8, 0, 0]), np.array([10, 11, 12, 13, 14])
    bin_rows = segment_candidates(spend, eligible, tenure, ids, found)
    assert [c.tolist() for c in bin_rows] == [[700, 700], [3, 8], [10, 12]]
    cut = segment_admit([bin_rows], found)
    assert (cut.value, cut.need, cut.admitted.tolist()) == (700, 1, [12])
    assert segment_assign(spend, eligible, ids, cut).tolist() == [False, True, True, True, False]

    empty = segment_cut([np.zeros(0, dtype=np.int64)])
    assert (empty.k, empty.low, empty.high) == (0, None, None)
    nobody = segment_admit([], empty)
    assert (nobody.k, nobody.value, nobody.need) == (0, None, 0)
    assert not segment_assign([1, 2], [True, True], [1, 2], nobody).any()
    with pytest.raises(tc.InvalidInput, match="at least one partition"):
        segment_cut([])
    with pytest.raises(tc.InvalidInput, match="at most 1048576 bins"):
        segment_cut([np.zeros(2**20 + 1, dtype=np.int64)])
    with pytest.raises(tc.InvalidInput, match="unique ids"):
        segment_admit([(np.array([700, 700]), np.array([1, 1]), np.array([7, 7]))], found)
    with pytest.raises(tc.InvalidInput, match="only 0 candidates came back"):
        segment_admit([], found)
    with pytest.raises(tc.InvalidInput, match="differ in length: 2, 1, 2"):
        segment_admit([(np.array([700, 700]), np.array([1]), np.array([7, 8]))], found)
    with pytest.raises(
        tc.InvalidInput, match=r"segment_assign\(\) needs the SegmentCut .* got BinCut"
    ):
        segment_assign([5], [True], [1], found)  # type: ignore[arg-type]
    with pytest.raises(
        tc.InvalidInput, match=r"segment_admit\(\) needs the BinCut .* got SegmentCut"
    ):
        segment_admit([], cut)  # type: ignore[arg-type]
    assert isinstance(found, BinCut) and isinstance(cut, SegmentCut)


def test_the_open_top_bin_and_a_cut_above_every_bin_edge() -> None:
    # Spend from (2**20 - 1) * 256 fen on shares the last bin, which has no upper edge.
    spend = np.array([2**40, 2**28, 2**28 + 5, 3, 2**40 - 1])
    eligible = np.ones(5, dtype=bool)
    found = segment_cut([segment_histogram(spend, eligible)], "0.4")
    assert (found.low, found.high, found.from_bin) == (2**28 - 256, None, 2)
    got = two_pass(spend, eligible, np.zeros(5, np.int64), np.arange(5), [2], "0.4")
    assert got.tolist() == [True, False, False, False, True]


def _base(n: int = 2_000, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "id": np.char.add("c", rng.permutation(n).astype(str)),
        "avg_spend": rng.integers(0, 60, n) * 1_000,  # many ties at the cut
        "months": rng.integers(0, 13, n),
        "current": rng.integers(0, 5, n),
        "missed": rng.integers(0, 2, n),
        "eligible": rng.random(n) < 0.8,
        "tenure_days": rng.integers(0, 50, n),
    })  # fmt: skip


@pytest.fixture
def dd() -> Any:
    """dask.dataframe on the synchronous scheduler, for every compute inside the test.

    Partitions and passes are the same under any scheduler; the synchronous one
    starts no threads, so the test also runs in forked processes (mutmut's).
    """
    dataframe = pytest.importorskip("dask.dataframe", reason="telcare[dask] is not installed")
    import dask

    with dask.config.set(scheduler="sync"):
        yield dataframe


def test_dask_gives_the_single_process_answers(dd: Any) -> None:
    from telcare import on_dask

    frame = _base()
    ddf = dd.from_pandas(frame, npartitions=7)
    expected = tc.evaluate_tiers(
        frame["avg_spend"], frame["months"], frame["current"], frame["missed"]
    )
    got = on_dask.evaluate_tiers(ddf, current="current", missed="missed").compute(scheduler="sync")
    assert got["tier"].tolist() == expected.tier_codes().tolist()
    assert got["missed"].tolist() == expected.missed.tolist()
    with_members = on_dask.mid_high_end(ddf, share=0.1, ids="id").compute(scheduler="sync")
    assert list(with_members.columns) == [*frame.columns, "mid_high_end"]
    members = with_members["mid_high_end"]
    single = tc.mid_high_end(frame["avg_spend"], frame["eligible"], tenure_days=frame["tenure_days"],
                             ids=frame["id"], share=0.1)  # fmt: skip
    assert members.tolist() == single.tolist()
    assert int(members.sum()) == tc.segment_size(int(frame["eligible"].sum()))
    nobody = on_dask.mid_high_end(dd.from_pandas(frame.assign(eligible=False), npartitions=3))
    assert not nobody["mid_high_end"].compute(scheduler="sync").any()


@pytest.fixture(scope="module")
def spark() -> Any:
    pytest.importorskip("pyspark", reason="telcare[spark] is not installed")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java, and no java is on PATH")
    from pyspark.sql import SparkSession

    # The Python workers must import this telcare; PySpark starts them with PYSPARK_PYTHON.
    saved = os.environ.get("PYSPARK_PYTHON")
    os.environ["PYSPARK_PYTHON"] = sys.executable

    session = (
        SparkSession.builder.master("local[2]").appName("telcare-tests")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true").getOrCreate()
    )  # fmt: skip
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    if saved is None:
        del os.environ["PYSPARK_PYTHON"]
    else:
        os.environ["PYSPARK_PYTHON"] = saved


# PySpark 4 warns about pandas 3 even for mapInArrow; the answers below are what count.
@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_spark_gives_the_single_process_answers(spark: Any) -> None:
    pa = pytest.importorskip("pyarrow", reason="telcare[spark] is not installed")
    from telcare import on_spark

    frame = _base()
    sdf = spark.createDataFrame(pa.Table.from_pandas(frame, preserve_index=False)).repartition(5)
    tiers = (
        on_spark.evaluate_tiers(sdf, current="current", missed="missed")
        .toArrow()
        .to_pandas()
        .set_index("id")
    )
    expected = tc.evaluate_tiers(
        frame["avg_spend"], frame["months"], frame["current"], frame["missed"]
    )
    assert tiers.loc[frame["id"], "tier"].tolist() == expected.tier_codes().tolist()
    members = on_spark.mid_high_end(sdf, share=0.1, ids="id").toArrow().to_pandas().set_index("id")
    single = tc.mid_high_end(frame["avg_spend"], frame["eligible"], tenure_days=frame["tenure_days"],
                             ids=frame["id"], share=0.1)  # fmt: skip
    assert members.loc[frame["id"], "mid_high_end"].tolist() == single.tolist()
    assert tiers.loc[frame["id"], "missed"].tolist() == expected.missed.tolist()
    with pytest.raises(tc.InvalidInput, match="avg_spend must be >= 0"):
        on_spark.mid_high_end(sdf.withColumn("avg_spend", sdf["avg_spend"] - 10**9))
    nobody = on_spark.mid_high_end(sdf.withColumn("eligible", sdf["eligible"] & False)).toArrow()
    assert nobody.num_rows == len(frame)
    assert not nobody.column("mid_high_end").to_numpy().any()


def test_dask_refuses_a_pandas_frame_and_says_how_to_wrap_it() -> None:
    pytest.importorskip("dask.dataframe")
    import pandas as pd

    from telcare import on_dask

    frame = pd.DataFrame({"avg_spend": [0], "months": [12], "eligible": [True],
                          "tenure_days": [1], "id": ["a"]})  # fmt: skip
    for call in (on_dask.evaluate_tiers, on_dask.mid_high_end):
        with pytest.raises(
            tc.InvalidInput, match=r"needs a dask DataFrame, got pandas\..*from_pandas"
        ):
            call(frame)
    with pytest.raises(tc.InvalidInput, match=r"needs a dask DataFrame, got builtins\.dict$"):
        on_dask.evaluate_tiers({"avg_spend": [0]})  # type: ignore[arg-type]


@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_every_rule_on_spark_equals_one_process(spark: Any) -> None:
    """Each registered rule's Spark form against the frames layer (itself checked against
    numpy), on five partitions; the global ones against the single-process functions."""
    from datetime import date

    import pandas as pd
    import pyarrow as pa

    import telcare.frames as tf
    from telcare import on_spark
    from telcare.engines import RULES

    assert set(on_spark.__all__) == set(RULES)
    r = np.random.default_rng(5)
    n = 240
    cases = {
        "evaluate_tiers": {"avg_spend": r.integers(0, 120_000, n), "months": r.integers(0, 13, n)},
        "points_for_bills": {"spend": (spend := r.integers(0, 90_000, n)), "data_spend": spend // 3,
                             "paid_on_time": r.random(n) < 0.9, "tier": r.choice(["vip", "gold"], n),
                             "tenure_years": r.integers(0, 3, n)},
        "check_benefits": {"tier": r.integers(0, 5, n), "segment_member": r.random(n) < 0.1,
                           "plan_fee": r.choice([3_800, 9_600, 12_800], n), "verification": r.integers(0, 3, n),
                           "status": r.integers(0, 3, n)},
        "check_suspensions": {"arrears": r.integers(0, 80_000, n), "credit_level": r.integers(1, 6, n),
                              "sms_last_hour": r.integers(0, 300, n)},
        "scan_moments": {"used": r.integers(0, 20_000, n), "allowance": np.full(n, 15_000)},
        "watch_list": {"id_numbers": r.integers(0, 90, n).astype(str), "contact_phones": r.integers(0, 900, n).astype(str),
                       "addresses": r.integers(0, 900, n).astype(str), "operator_ids": r.integers(0, 15, n).astype(str)},
    }  # fmt: skip
    options = {"scan_moments": {"as_of": date(2010, 12, 1)}}
    for rule, cols in cases.items():
        frame = pd.DataFrame({"id": np.arange(n), **cols})
        sdf = spark.createDataFrame(pa.Table.from_pandas(frame, preserve_index=False)).repartition(
            5
        )
        got = (
            getattr(on_spark, rule)(sdf, **options.get(rule, {}))
            .toArrow()
            .to_pandas()
            .sort_values("id")
        )
        expected = getattr(tf, rule)(frame, **options.get(rule, {}))
        for column in expected.columns:
            if column in frame.columns and column not in RULES[rule].outputs:
                continue
            want = expected[column]
            want = want.astype(str) if isinstance(want.dtype, pd.CategoricalDtype) else want
            have = got[column].reset_index(drop=True)
            if want.dtype.kind == "M":
                have = pd.to_datetime(have)
            assert have.astype(str).tolist() == want.reset_index(drop=True).astype(str).tolist(), (
                rule,
                column,
            )
    groups, successes = r.integers(0, 6, n), r.integers(0, 2, n)
    sdf = spark.createDataFrame(
        pd.DataFrame({"groups": groups, "successes": successes})
    ).repartition(3)
    rates = on_spark.rates_by_group(sdf)
    single = tc.rates_by_group(groups, successes)
    assert (
        rates.numerator.tolist() == single.numerator.tolist()
        and rates.low.tolist() == single.low.tolist()
    )
    with pytest.raises(tc.InvalidInput, match="needs a Spark DataFrame, got pandas"):
        on_spark.check_benefits(pd.DataFrame(cases["check_benefits"]))


@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_spark_refuses_what_one_process_refuses_and_takes_the_frames_columns(spark: Any) -> None:
    """Outcomes of 2, a batch flag of 2, a missing group and a missing column are refused
    by name (they were summed, read as True, made a group, or a Spark error); integer
    group codes come back as one process gives them; the segment takes the frames form's
    columns (no ids: the frame's order breaks ties)."""
    import pandas as pd

    from telcare import on_spark

    def sdf(columns: dict[str, Any]) -> Any:
        return spark.createDataFrame(pd.DataFrame(columns)).repartition(2)

    with pytest.raises(tc.InvalidInput, match="successes must hold booleans"):
        on_spark.rates_by_group(sdf({"groups": [0, 0, 2], "successes": [2, 0, 1]}))
    with pytest.raises(tc.InvalidInput, match="column 'groups' is missing"):
        on_spark.rates_by_group(sdf({"groups": ["a", None, "b"], "successes": [1, 0, 1]}))
    with pytest.raises(tc.InvalidInput, match="no column 'successes'"):
        on_spark.rates_by_group(sdf({"groups": [0, 1]}))
    got = on_spark.rates_by_group(sdf({"groups": [3, 1, 1], "successes": [1, 0, 1]})).to_dict()
    single = tc.rates_by_group([3, 1, 1], [1, 0, 1]).to_dict()
    assert {k: v for k, v in got.items() if k != "value"} == {
        k: v for k, v in single.items() if k != "value"
    }
    assert got["group"] == [0, 1, 2, 3]
    keys = {"id_numbers": list("ABC"), "contact_phones": list("pqr"), "addresses": list("xyz"),
            "operator_ids": list("123"), "batch": [0, 2, 1]}  # fmt: skip
    with pytest.raises(tc.InvalidInput, match=r"batch must hold booleans \(0 or 1\), got 2"):
        on_spark.watch_list(sdf(keys), batch_entered="batch")
    spend = {"avg_spend": [900, 500, 500, 100], "eligible": [True] * 4}
    in_order = spark.createDataFrame(pd.DataFrame(spend))  # no shuffle: the rows in order
    members = on_spark.mid_high_end(in_order, share="0.5").toArrow()
    assert (
        members.column("mid_high_end").to_pylist()
        == tc.mid_high_end(spend["avg_spend"], spend["eligible"], share="0.5").tolist()
    )
    assert members.column_names == ["avg_spend", "eligible", "mid_high_end"]
    with pytest.raises(tc.InvalidInput, match="no column 'eligible'; needs avg_spend, eligible"):
        on_spark.mid_high_end(sdf({"avg_spend": [1]}))


@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_the_points_book_on_spark_over_uneven_partitions_is_exact(spark: Any) -> None:
    """A book's columns in partitions of 0, 1, 23 and 36 rows: book_totals adds each
    batch's exact totals to the one-process answer, book_balances gives every row's."""
    pa = pytest.importorskip("pyarrow", reason="telcare[spark] is not installed")
    from datetime import date

    import telcare.frames as tf
    from telcare import on_spark

    r = np.random.default_rng(29)
    book = tc.PointsBook.empty(np.arange(60) * 7).post(date(2010, 1, 28), r.integers(0, 10**6, 60))
    book = book.post(date(2010, 12, 28), r.integers(0, 500, 60)).expire(date(2011, 1, 1))
    frame = pd.DataFrame(tc.book_to_columns(book))
    schema = spark.createDataFrame(pa.Table.from_pandas(frame, preserve_index=False)).schema
    rows = [tuple(int(v) for v in row) for row in frame.itertuples(index=False)]
    cuts = [(0, 0), (0, 1), (1, 24), (24, 60)]  # a partition of each slice, in this order
    rdd = spark.sparkContext.parallelize(range(4), 4).flatMap(lambda i: rows[slice(*cuts[i])])
    sdf = spark.createDataFrame(rdd, schema)
    assert sdf.rdd.glom().map(len).collect() == [0, 1, 23, 36]
    for day in (date(2011, 6, 1), date(2011, 12, 1)):
        assert on_spark.book_totals(sdf, as_of=day) == tf.book_totals(frame, as_of=day)
        assert on_spark.book_totals(sdf, as_of=day).liability == book.liability(day)
        got = on_spark.book_balances(sdf, as_of=day).toArrow().to_pandas().sort_values("ids")
        assert got["balance"].tolist() == book.balance(day).tolist()
        assert got["expired"].tolist() == book.expired(day).tolist()
    with pytest.raises(tc.InvalidInput, match="no column 'ids'"):
        on_spark.book_totals(sdf.drop("ids"), as_of=date(2011, 6, 1))


@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_a_managers_floor_on_spark_equals_one_process(spark: Any) -> None:
    """floor and floor_until (dates, missing where no floor; a Spark timestamp read in the
    policy's zone) with as_of and one_down, over five partitions, against numpy."""
    from datetime import date, datetime

    import pandas as pd
    import pyarrow as pa

    from telcare import on_spark

    r = np.random.default_rng(29)
    n, day = 120, date(2026, 12, 31)
    floor = r.choice([0, 0, 1, 3, 4], n)
    aware = datetime(2026, 12, 30, 17, tzinfo=UTC)  # the 31st in Shanghai
    until = np.where(floor > 0, np.array([aware, datetime(2026, 12, 29, tzinfo=UTC)],
                                         dtype=object)[np.arange(n) % 2], None)  # fmt: skip
    cols = {"avg_spend": r.integers(0, 120_000, n), "months": r.integers(0, 13, n),
            "current": r.integers(0, 5, n), "missed": r.integers(0, 3, n), "floor": floor}  # fmt: skip
    one_down = tc.Policy.model_validate({"tiers": {"downgrade": "one_down"}})
    expected = tc.evaluate_tiers(**cols, floor_until=until, as_of=day, policy=one_down)
    table = pa.Table.from_pandas(
        pd.DataFrame({"id": np.arange(n), **cols,
                      "floor_until": pd.to_datetime(pd.Series(until), utc=True)}),
        preserve_index=False,
    )  # fmt: skip
    sdf = spark.createDataFrame(table).repartition(5)
    got = on_spark.evaluate_tiers(sdf, as_of=day, policy=one_down).toArrow().to_pandas()
    got = got.sort_values("id")
    assert got["tier"].tolist() == expected.tier_codes().tolist()
    assert got["missed"].tolist() == expected.missed.tolist()
    from pyspark.errors import PythonException
    from pyspark.sql import functions

    gap = sdf.withColumn("floor_until", functions.lit(None).cast("timestamp"))
    with pytest.raises(PythonException, match="floor_until is missing at index"):
        on_spark.evaluate_tiers(gap, as_of=day).collect()  # refused on the executor
