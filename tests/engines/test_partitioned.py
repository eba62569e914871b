"""Batch rules per partition, and the two-pass segment, give the single-process answers."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import telcare as tc
from telcare.engines.partitioned import (
    segment_admit,
    segment_assign,
    segment_cut,
    segment_ties,
    segment_value_counts,
)


def two_pass(
    spend: Any, eligible: Any, tenure: Any, ids: Any, bounds: list[int], share: Any
) -> np.ndarray:
    parts = [slice(a, b) for a, b in zip([0, *bounds], [*bounds, len(spend)], strict=True)]
    cut = segment_cut([segment_value_counts(spend[p], eligible[p]) for p in parts], share)
    cut = segment_admit(
        [segment_ties(spend[p], eligible[p], tenure[p], ids[p], cut) for p in parts], cut
    )
    return np.concatenate([segment_assign(spend[p], eligible[p], ids[p], cut) for p in parts])


bases = st.integers(0, 80).flatmap(
    lambda n: st.tuples(
        hnp.arrays(np.int64, n, elements=st.integers(0, 30)),
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
    cut = segment_cut([(np.array([5, 7]), np.array([2, 1])), (np.array([5]), np.array([3]))], "0.5")
    assert (cut.k, cut.eligible, cut.value, cut.need) == (3, 6, 5, 2)
    empty = segment_cut([(np.array([], dtype=np.int64), np.array([], dtype=np.int64))])
    assert (empty.k, empty.value) == (0, None)
    assert not segment_assign([1, 2], [True, True], [1, 2], segment_admit([], empty)).any()
    with pytest.raises(tc.InvalidInput, match="at least one partition"):
        segment_cut([])
    with pytest.raises(tc.InvalidInput, match="differ in length"):
        segment_cut([(np.array([1, 2]), np.array([1]))])
    with pytest.raises(tc.InvalidInput, match="unique ids"):
        segment_admit([(np.array([1, 1]), np.array([7, 7]))], cut)
    with pytest.raises(tc.InvalidInput, match="segment_admit"):
        segment_assign([5], [True], [1], cut)


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
    members = on_dask.mid_high_end(ddf, share=0.1).compute(scheduler="sync")
    single = tc.mid_high_end(frame["avg_spend"], frame["eligible"], tenure_days=frame["tenure_days"],
                             ids=frame["id"], share=0.1)  # fmt: skip
    assert members.tolist() == single.tolist()
    assert int(members.sum()) == tc.segment_size(int(frame["eligible"].sum()))
    nobody = on_dask.mid_high_end(dd.from_pandas(frame.assign(eligible=False), npartitions=3))
    assert not nobody.compute(scheduler="sync").any()


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
    members = on_spark.mid_high_end(sdf, share=0.1).toArrow().to_pandas().set_index("id")
    single = tc.mid_high_end(frame["avg_spend"], frame["eligible"], tenure_days=frame["tenure_days"],
                             ids=frame["id"], share=0.1)  # fmt: skip
    assert members.loc[frame["id"], "mid_high_end"].tolist() == single.tolist()
    assert tiers.loc[frame["id"], "missed"].tolist() == expected.missed.tolist()
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
    from telcare.rules.registry import RULES

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
