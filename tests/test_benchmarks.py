"""The benchmark harness's own logic: answers checked, goals read off correctly.

Timing itself is not tested (figures live in benchmarks/README.md); the test
command runs ``python -m benchmarks --smoke``, which runs every case and peer.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from benchmarks import harness, peers
from benchmarks.harness import Case, run_case


@pytest.fixture(autouse=True)
def _no_full_collection(monkeypatch: pytest.MonkeyPatch) -> None:
    """These runs check answers, not times: skip the collection before each timed run
    (a second apiece in a process holding the whole suite's objects)."""
    monkeypatch.setattr(harness, "COLLECT", False)


def _row(case: str, contender: str, n: int, seconds: float, baseline: float) -> peers.Row:
    return peers.Row(case, contender, n, seconds, baseline, None, 0)


def test_goals_compare_the_largest_batch_size_and_zen_at_its_largest_size() -> None:
    rows = [
        _row("tiers", "numpy (hand-written)", 10, 1.0, 1.0),
        _row("tiers", "telcare evaluate_tiers", 10, 9.0, 1.0),  # small n does not count
        _row("tiers", "ZEN per record", 10, 50.0, 1.0),
        _row("tiers", "numpy (hand-written)", 100, 2.0, 2.0),
        _row("tiers", "telcare evaluate_tiers", 100, 2.8, 2.0),
        _row("tiers", "ZEN per record", 100, 280.0, 2.0),
        _row("tiers", "numpy (hand-written)", 1000, 4.0, 4.0),
        _row("tiers", "telcare evaluate_tiers", 1000, 6.4, 4.0),
        _row("ledger postings", "telcare PointsLedger", 1000, 9.0, 1.0),
    ]
    assert peers.goals(rows) == [
        "tiers: telcare 1.60x numpy at n=1,000 (goal 1.5x): MISSED",
        "tiers: telcare batch 100x faster per customer than ZEN per record at n=100 (goal 100x): met",
    ]


def test_goals_say_whether_one_customer_at_a_time_beats_zen_per_record() -> None:
    rows = [
        _row("tiers", "numpy (hand-written)", 100, 2.0, 2.0),
        _row("tiers", "telcare evaluate_tiers", 100, 2.0, 2.0),
        _row("tiers", "telcare evaluate_tier per record", 100, 0.0009, 2.0),
        _row("tiers", "ZEN per record", 100, 0.0010, 2.0),
        _row("accrual", "numpy (hand-written)", 100, 2.0, 2.0),
        _row("accrual", "telcare points_for_bills", 100, 2.0, 2.0),
        _row("accrual", "telcare points_for_bill per record", 100, 0.0012, 2.0),
        _row("accrual", "ZEN per record", 100, 0.0010, 2.0),
    ]
    lines = [line for line in peers.goals(rows) if "(goal: faster)" in line]
    assert lines == [
        "tiers: evaluate_tier per record 9.0 us vs ZEN 10.0 us per record at n=100 (goal: faster): met",
        "accrual: points_for_bill per record 12.0 us vs ZEN 10.0 us per record at n=100 "
        "(goal: faster): MISSED",
    ]


def test_a_contender_with_a_different_answer_stops_the_run() -> None:
    case = peers.PeerCase(
        "toy",
        lambda n, rng: {"x": np.arange(n)},
        (
            peers.Contender("numpy", lambda d: d["x"] * 2),
            peers.Contender("wrong", lambda d: d["x"] * 2 + (d["x"] == 3)),
        ),
    )
    with pytest.raises(AssertionError):
        peers.run_case(case, [10], per_record_max=10, repeat=1, memory=False)


def test_per_record_contenders_stop_at_their_cap_and_growth_is_a_slope() -> None:
    case = peers.PeerCase(
        "toy",
        lambda n, rng: {"x": np.arange(n)},
        (
            peers.Contender("numpy", lambda d: d["x"] + 1),
            peers.Contender(
                "loop", lambda d: np.array([v + 1 for v in d["x"].tolist()]), per_record=True
            ),
        ),
    )
    rows = peers.run_case(case, [1_000, 10_000, 100_000], per_record_max=10_000, repeat=1)
    assert [(r.contender, r.n) for r in rows] == [
        ("numpy", 1_000), ("loop", 1_000), ("numpy", 10_000), ("loop", 10_000), ("numpy", 100_000),
    ]  # fmt: skip
    assert rows[0].growth is None
    # growth is the slope of log(time) over log(n) between a contender's two sizes (the
    # figure itself is timing, so it is read in the benchmark table, not asserted here)
    loop = [r for r in rows if r.contender == "loop"]
    slope = math.log(loop[1].seconds / loop[0].seconds) / math.log(10)
    assert rows[3].growth == pytest.approx(slope)
    assert all(r.peak is not None for r in rows)


def test_the_harness_refuses_a_fast_wrong_answer() -> None:
    case = Case("toy", 10, lambda n, rng: np.arange(n), lambda a: a + 1, lambda a: a + 2)
    with pytest.raises(AssertionError):
        run_case(case, n=10, repeat=1)


@pytest.mark.slow
def test_the_scale_run_checks_every_contender_against_one_process() -> None:
    """Small n: every rule on 1..cores threads gives the one-process checksum (the run
    stops on a difference); without dask.distributed the process rows say so."""
    pytest.importorskip("dask")
    from benchmarks import scale

    rows = scale.run(20_000, repeat=1)
    rules = {r["rule"] for r in rows}
    assert rules == set(scale.RULES)
    threads = [r for r in rows if r["contender"] == "dask threads"]
    assert threads and all(r["seconds"] > 0 for r in threads)
    assert "scale run: 20,000 customers" in scale.render(rows, 20_000)


@pytest.mark.slow
def test_the_monthly_run_on_dask_gives_the_one_process_answers() -> None:
    pytest.importorskip("dask")
    from benchmarks import bench_monthly

    report = bench_monthly.growth(100_000, repeat=1)
    assert "same answers" in report and "100,000" in report


# PySpark 4 warns about pandas 3 even for mapInArrow; the answers are what count.
@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_the_scale_run_on_spark_counts_the_segment_like_one_process() -> None:
    """The Spark contender of the segment (on_spark.mid_high_end over a DataFrame made
    on the executors) must give the one-process member count, or the run stops."""
    pytest.importorskip("pyspark", reason="telcare[spark] is not installed")
    import shutil

    if shutil.which("java") is None:
        pytest.skip("Spark needs Java, and no java is on PATH")
    from benchmarks import scale

    rows = scale.run(20_000, repeat=1, spark=True, rules=["segment"], workers=[2])
    spark = [r for r in rows if r["contender"] == "spark local"]
    assert spark and all(r["seconds"] > 0 for r in spark)


def test_the_ledger_benchmark_agrees_with_its_baseline_at_every_length() -> None:
    """The feed is valid where it stands, the ledger and the hand-written dict of lots
    give the same postings and balances, and the table has a row per length."""
    from benchmarks import bench_ledger

    ops = bench_ledger.feed(400, np.random.default_rng(3))
    assert len(ops) == 400 and {op[0] for op in ops} == {"accrue", "redeem", "reverse"}
    assert bench_ledger.by_telcare(ops) == bench_ledger.by_hand(ops)
    table = bench_ledger.table((100, 200), repeat=1)
    rows = [line.split() for line in table.splitlines()[1:]]
    assert [row[0] for row in rows] == ["100", "200"]
    held, held_by_hand = (int(v.rstrip("B")) for v in rows[1][-2:])  # bytes a posting
    assert held > held_by_hand > 0  # the ledger keeps every value; the dict keeps less
    cold = bench_ledger.table((100,), repeat=1, cold=True)  # the old method still runs
    assert [line.split()[0] for line in cold.splitlines()[1:]] == ["100"]


def test_the_ledger_feed_makes_more_postings_than_ten_centuries_of_months_hold() -> None:
    """Past 25,000 postings a month holds several steps, so the feed reaches lengths
    (here 40,000; the README's 10^5) whose months would run past the ledger's last date."""
    from benchmarks import bench_ledger

    ops = bench_ledger.feed(40_000, np.random.default_rng(3))
    days = [op[2] for op in ops]
    assert len(ops) == 40_000 and days == sorted(days) and days[-1].year < 3000


@pytest.mark.slow
def test_the_import_benchmark_measures_each_step_beyond_the_dependencies() -> None:
    from benchmarks import bench_import

    rows = bench_import.measure(repeat=1)
    assert [r[0] for r in rows[1:]] == [label for label, _ in bench_import.STEPS]
    assert rows[0][2] == 1.0 and all(r[2] > 0 for r in rows)
    table = bench_import.render(rows)
    assert "`import telcare`:" in table and "goal <= 0.1 s" in table


@pytest.mark.slow
def test_the_run_benchmark_gives_one_answer_from_one_process_and_dask() -> None:
    """A month from Parquet into DuckDB both ways at a smoke size; the figures agree or
    the benchmark stops, and the table has a row per engine."""
    pytest.importorskip("dask")
    pytest.importorskip("duckdb")
    from benchmarks import bench_run

    rows = bench_run.measure([300], partitions=3, child=False)
    assert [r["engine"] for r in rows] == ["numpy", "dask"]
    assert rows[0]["figures"] == rows[1]["figures"] and rows[0]["customers"] > 250
    assert "same figures" in bench_run.render(rows)
