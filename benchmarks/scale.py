"""``python -m benchmarks --scale``: how far the whole-base rules scale past one core.

For each rule (tiers, accrual, the benefit matrix, the moment scan, the segment) at
``n`` customers: the single-process call, then Dask's threaded scheduler and a local
process cluster (``dask.distributed``, when installed) at 1, 2, 4, ... workers up to
the machine's cores, and Spark ``local[N]`` (``--spark``, when pyspark and Java are
there).  Every contender computes the same rule over the same rows and returns the
same small checksum (the output's sum per column), so what is timed is the rule, not
moving results back; the checksums must agree or the run stops.  The data for the
process cluster and Spark is generated where it is used, from a seed per partition,
so no input travels either.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import numpy as np

import telcare as tc

AS_OF = date(2010, 12, 1)
RULES = ("tiers", "accrual", "benefits", "scan", "segment")


def columns(n: int, seed: int) -> dict[str, np.ndarray]:
    """One partition's columns, from its own seed."""
    rng = np.random.default_rng(seed)
    avg = rng.lognormal(np.log(15_000), 0.8, n).astype(np.int64).clip(0, 2_000_000)
    allowance = rng.choice(np.array([5_000, 15_000, 30_000, 60_000, 100_000]), n)
    return {
        "avg_spend": avg, "months": rng.integers(1, 13, n), "spend": avg, "data_spend": avg // 4,
        "paid_on_time": rng.random(n) < 0.95, "tier": rng.integers(0, 5, n),
        "tenure_years": rng.integers(0, 16, n), "segment_member": rng.random(n) < 0.1,
        "plan_fee": rng.choice(np.array([3_800, 5_800, 9_600, 12_600, 28_800]), n),
        "verification": rng.choice(3, n, p=[0.05, 0.92, 0.03]), "status": rng.choice(3, n, p=[0.95, 0.04, 0.01]),
        "used": (allowance * rng.random(n) * 1.2).astype(np.int64), "allowance": allowance,
        "eligible": rng.random(n) < 0.8, "tenure_days": rng.integers(0, 6_000, n),
        "id": np.arange(n, dtype=np.int64) + seed * 10**9,
    }  # fmt: skip


#: The columns each rule reads: only those are kept, so 10^8 rows of one rule fit in memory.
READS = {
    "tiers": ("avg_spend", "months"),
    "accrual": ("spend", "data_spend", "paid_on_time", "tier", "tenure_years"),
    "benefits": ("tier", "segment_member", "plan_fee", "verification", "status"),
    "scan": ("used", "allowance", "spend", "avg_spend"),
    "segment": ("avg_spend", "eligible", "tenure_days", "id"),
}


def rule_columns(n: int, seed: int, name: str) -> dict[str, np.ndarray]:
    """One partition's columns that rule ``name`` reads (the same values as :func:`columns`)."""
    d = columns(n, seed)
    return {c: d[c] for c in READS[name]}


def rule(name: str, d: dict[str, np.ndarray]) -> np.ndarray:
    """The rule ``name`` on the columns, reduced to its checksum (a small int64 vector)."""
    if name == "tiers":
        return np.bincount(tc.evaluate_tiers(d["avg_spend"], d["months"]).tier, minlength=5)
    if name == "accrual":
        points = tc.points_for_bills(
            d["spend"], d["data_spend"], d["paid_on_time"], d["tier"], d["tenure_years"]
        )
        return np.array([points.sum()])
    if name == "benefits":
        matrix = tc.check_benefits(
            d["tier"], d["segment_member"], d["plan_fee"], d["verification"], d["status"]
        )
        return matrix.sum(axis=0)
    if name == "scan":
        scan = tc.scan_moments(AS_OF, used=d["used"], allowance=d["allowance"], month_spend=d["spend"],
                               trailing_mean=d["avg_spend"])  # fmt: skip
        return np.array([int(v.sum()) for v in scan.due.values()])
    raise ValueError(name)


def segment_passes(each: Callable[[Callable[[dict[str, Any]], Any]], list[Any]]) -> int:
    """The segment's passes (``telcare.engines.partitioned.segment_passes``), each partition's
    step run by ``each`` (threads, or a process cluster's workers); the member count."""
    from telcare.engines.partitioned import segment_assign, segment_passes as passes

    def columns_of(step: Callable[[Any], Any]) -> Callable[[dict[str, Any]], Any]:
        return lambda p: step((p["avg_spend"], p["eligible"], p["tenure_days"], p["id"]))

    cut = passes(lambda step: each(columns_of(step)))
    return sum(
        each(lambda p: int(segment_assign(p["avg_spend"], p["eligible"], p["id"], cut).sum()))
    )


def _best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def _parts(n: int, k: int) -> list[int]:
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def run(
    n: int = 10_000_000,
    *,
    repeat: int = 3,
    spark: bool = False,
    rules: Sequence[str] = RULES,
    workers: Sequence[int] | None = None,
) -> list[dict[str, Any]]:
    """Measure every rule and contender; returns the table's rows.  ``workers``: the
    thread and Spark worker counts (default: the powers of two up to the machine's
    cores, and its cores)."""
    cores = os.cpu_count() or 1
    if workers is None:
        workers = sorted({1 << i for i in range(cores.bit_length()) if 1 << i <= cores} | {cores})
    workers = list(workers)
    k = max(4, 4 * cores)  # partitions
    sizes = _parts(n, k)
    rows: list[dict[str, Any]] = []
    import dask
    from dask import delayed

    for name in rules:
        parts = [rule_columns(m, seed, name) for seed, m in enumerate(sizes)]
        whole = {c: np.concatenate([p[c] for p in parts]) for c in parts[0]}
        if name == "segment":
            single_s, expected = _best(lambda whole=whole: int(tc.mid_high_end(whole["avg_spend"], whole["eligible"],
                                       tenure_days=whole["tenure_days"], ids=whole["id"]).sum()), repeat)  # fmt: skip
        else:
            single_s, expected = _best(lambda name=name, whole=whole: rule(name, whole), repeat)
        del whole  # the threads read the partitions
        rows.append(
            {
                "rule": name,
                "contender": "one process",
                "workers": 1,
                "seconds": single_s,
                "speedup": 1.0,
            }
        )
        for w in workers:
            if name == "segment":

                def segment(parts: list[dict[str, Any]] = parts, w: int = w) -> int:
                    def each(fn: Callable[[dict[str, Any]], Any]) -> list[Any]:
                        tasks = [delayed(fn)(p) for p in parts]
                        return list(dask.compute(*tasks, scheduler="threads", num_workers=w))

                    return segment_passes(each)

                seconds, got = _best(segment, repeat)
            else:

                def threaded(
                    name: str = name, w: int = w, parts: list[dict[str, Any]] = parts
                ) -> Any:
                    tasks = [delayed(rule)(name, p) for p in parts]
                    return np.sum(dask.compute(*tasks, scheduler="threads", num_workers=w), axis=0)

                seconds, got = _best(threaded, repeat)
            if not np.array_equal(np.asarray(got), np.asarray(expected)):
                raise AssertionError(f"{name} on {w} threads: {got} != {expected}")
            rows.append({"rule": name, "contender": "dask threads", "workers": w, "seconds": seconds,
                         "speedup": single_s / seconds})  # fmt: skip
        del parts  # the process cluster and Spark generate their own
        rows += _processes(name, sizes, workers, single_s, expected, repeat)
        if spark:
            rows += _spark(name, sizes, workers, single_s, expected)
    return rows


#: The process cluster as Dask starts it, and with glibc's allocator left to keep freed
#: memory: Dask's nanny sets MALLOC_TRIM_THRESHOLD_=65536 for its workers, which also
#: fixes glibc's mmap threshold at 128 KiB, so every cache-sized block's temporaries
#: (256 KiB) are fresh pages from the kernel; the rules then run 2-3x slower per row.
ENVIRONS: dict[str, dict[str, Any]] = {
    "dask processes": {},
    "dask processes, malloc": {
        "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": 64 << 20,
        "distributed.nanny.pre-spawn-environ.MALLOC_MMAP_THRESHOLD_": 16 << 20,
    },
}


def _processes(name: str, sizes: list[int], workers: list[int], single_s: float, expected: Any,
               repeat: int) -> list[dict[str, Any]]:  # fmt: skip
    """A local process cluster (dask.distributed), each partition generated on its worker."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        return [{"rule": name, "contender": "dask processes", "workers": 0, "seconds": float("nan"),
                 "speedup": float("nan"), "note": "dask.distributed is not installed"}]  # fmt: skip
    import dask

    rows = []
    for (label, environ), w in itertools.product(ENVIRONS.items(), workers):
        with dask.config.set(environ), \
                LocalCluster(n_workers=w, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:  # fmt: skip
            # each partition is generated once, on a worker, and stays there; only the rule is timed
            data = [client.submit(rule_columns, m, seed, name) for seed, m in enumerate(sizes)]
            client.gather(data)

            def go(data: list[Any] = data) -> Any:
                if name == "segment":
                    return segment_passes(
                        lambda fn: client.gather(
                            [client.submit(fn, part, pure=False) for part in data]
                        )
                    )
                futures = [client.submit(rule, name, part, pure=False) for part in data]
                return np.sum(client.gather(futures), axis=0)

            go()  # warm the workers (imports)
            seconds, got = _best(go, repeat)
        if not np.array_equal(np.asarray(got), np.asarray(expected)):
            raise AssertionError(f"{name} on {w} processes ({label}): {got} != {expected}")
        rows.append({"rule": name, "contender": label, "workers": w, "seconds": seconds,
                     "speedup": single_s / seconds})  # fmt: skip
    return rows


def _spark(
    name: str, sizes: list[int], workers: list[int], single_s: float, expected: Any
) -> list[dict[str, Any]]:
    """Spark local[N]: each partition generated in a task, cached, then the rule timed
    (the segment through ``on_spark.mid_high_end`` on a cached DataFrame)."""
    import sys

    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable  # the workers must import this telcare
    rows = []
    for w in workers:
        spark = (SparkSession.builder.master(f"local[{w}]").appName("telcare-scale")
                 .config("spark.ui.enabled", "false").config("spark.driver.memory", "8g")
                 .config("spark.ui.showConsoleProgress", "false").getOrCreate())  # fmt: skip
        try:
            # each partition is generated once in its task and cached; only the rule is timed
            if name == "segment":
                go = _spark_segment(spark, sizes)
            else:
                rdd = spark.sparkContext.parallelize(list(enumerate(sizes)), len(sizes))
                rdd = rdd.map(lambda sm: rule_columns(sm[1], sm[0], name)).cache()
                rdd.count()

                def go(rdd: Any = rdd) -> Any:
                    return np.sum(rdd.map(lambda d: rule(name, d)).collect(), axis=0)

            go()
            seconds, got = _best(go, 2)
        finally:
            spark.stop()
        if not np.array_equal(np.asarray(got), np.asarray(expected)):
            raise AssertionError(f"{name} on Spark local[{w}]: {got} != {expected}")
        rows.append({"rule": name, "contender": "spark local", "workers": w, "seconds": seconds,
                     "speedup": single_s / seconds})  # fmt: skip
    return rows


def _spark_segment(spark: Any, sizes: list[int]) -> Callable[[], int]:
    """A cached Spark DataFrame of the segment's columns, each partition generated in its
    task; returns the timed call: ``on_spark.mid_high_end`` and the member count."""
    import pyarrow as pa
    from pyspark.sql import functions

    from telcare import on_spark

    names = ["avg_spend", "eligible", "tenure_days", "id"]
    schema = "avg_spend long, eligible boolean, tenure_days long, id long"

    def generate(batches: Any, sizes: list[int] = sizes) -> Any:
        for batch in batches:
            for seed in batch.column(0).to_pylist():
                d = columns(sizes[seed], seed)
                yield pa.RecordBatch.from_arrays([pa.array(d[c]) for c in names], names=names)

    frame = spark.range(len(sizes), numPartitions=len(sizes)).mapInArrow(generate, schema).cache()
    frame.count()

    def go() -> int:
        members = on_spark.mid_high_end(frame).agg(functions.count_if("mid_high_end")).collect()
        return int(members[0][0])

    return go


def render(rows: list[dict[str, Any]], n: int) -> str:
    lines = [f"scale run: {n:,} customers, {os.cpu_count()} cores",
             f"{'rule':<10} {'contender':<22} {'workers':>7} {'time':>10} {'speedup':>8}"]  # fmt: skip
    for r in rows:
        note = f"  ({r['note']})" if r.get("note") else ""
        lines.append(f"{r['rule']:<10} {r['contender']:<22} {r['workers']:>7} {r['seconds']:>9.3f}s "
                     f"{r['speedup']:>7.2f}x{note}")  # fmt: skip
    return "\n".join(lines)
