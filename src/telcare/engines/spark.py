"""telcare on Spark (extra ``telcare[spark]``): batch rules per partition with ``mapInArrow``.

The batch functions are pure over columns, so each Arrow record batch of a
Spark DataFrame goes through them unchanged, on the executors, with no pandas
conversion.  The segment needs a global cut and runs in the passes of
:mod:`telcare.engines.partitioned`: Spark's ``groupBy`` gives the value counts, only the
customers tied at the cut value come to the driver, and the assignment runs per
batch again.  Columns are named by keyword arguments.

Spark needs Java; PySpark 4 warns (``FutureWarning``) when pandas 3 is installed,
even for ``mapInArrow``.  The example needs a Spark session, so it is not run here::

    from pyspark.sql import SparkSession
    from telcare import on_spark

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    frame = spark.createDataFrame(
        [("a", 55_000, 12), ("b", 25_000, 12), ("c", 8_000, 12)], "id string, avg_spend long, months long"
    )
    on_spark.evaluate_tiers(frame).select("id", "tier").show()
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

try:
    import pyarrow as pa
    from pyspark.sql import DataFrame, functions
    from pyspark.sql.types import BooleanType, LongType, StringType, StructField, StructType
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "telcare.on_spark needs PySpark and PyArrow: pip install 'telcare[spark]'"
    ) from exc

import numpy as np
import numpy.typing as npt

from telcare.engines.partitioned import segment_admit, segment_assign, segment_cut
from telcare.policy.model import Policy, as_policy
from telcare.rules.tiers import evaluate_tiers as _evaluate_tiers

__all__ = ["evaluate_tiers", "mid_high_end"]

_TIER_COLUMNS = {
    "tier": StringType(),
    "tier_index": LongType(),
    "missed": LongType(),
    "changed": BooleanType(),
}


def _column(batch: pa.RecordBatch, name: str) -> npt.NDArray[Any]:
    return np.asarray(batch.column(name).to_numpy(zero_copy_only=False))


def _with_columns(batch: pa.RecordBatch, added: dict[str, Any]) -> pa.RecordBatch:
    kept = [name for name in batch.schema.names if name not in added]
    arrays = [batch.column(name) for name in kept] + [pa.array(values) for values in added.values()]
    return pa.RecordBatch.from_arrays(arrays, names=[*kept, *added])


def evaluate_tiers(
    frame: DataFrame,
    *,
    policy: Policy | None = None,
    avg_spend: str = "avg_spend",
    months: str = "months",
    current: str | None = None,
    missed: str | None = None,
) -> DataFrame:
    """The frame with ``tier``, ``tier_index``, ``missed`` and ``changed`` added (or replaced).

    The same answers as :func:`telcare.evaluate_tiers` on the collected columns.
    """
    policy = as_policy(policy)
    kept = [field for field in frame.schema.fields if field.name not in _TIER_COLUMNS]
    schema = StructType([*kept, *(StructField(name, kind) for name, kind in _TIER_COLUMNS.items())])

    def apply(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            result = _evaluate_tiers(
                _column(batch, avg_spend), _column(batch, months),
                None if current is None else _column(batch, current),
                None if missed is None else _column(batch, missed),
                policy=policy,
            )  # fmt: skip
            yield _with_columns(
                batch,
                {"tier": result.tier_codes(), "tier_index": result.tier, "missed": result.missed,
                 "changed": result.changed},
            )  # fmt: skip

    return frame.mapInArrow(apply, schema)


def mid_high_end(
    frame: DataFrame,
    *,
    share: Any = 0.10,
    avg_spend: str = "avg_spend",
    eligible: str = "eligible",
    tenure_days: str = "tenure_days",
    ids: str = "id",
) -> DataFrame:
    """The frame with a boolean ``mid_high_end`` column, cut across the whole frame.

    The same answers as :func:`telcare.mid_high_end` on the collected columns, provided
    the ids are unique.  Runs two Spark jobs before the returned frame is evaluated.
    """
    counted = frame.where(functions.col(eligible)).groupBy(avg_spend).count().collect()
    values = np.array([row[avg_spend] for row in counted], dtype=np.int64)
    counts = np.array([row["count"] for row in counted], dtype=np.int64)
    cut = segment_cut([(values, counts)], share)
    tied: list[Any] = []
    if cut.value is not None:
        at_cut = functions.col(eligible) & (functions.col(avg_spend) == cut.value)
        tied = frame.where(at_cut).select(tenure_days, ids).collect()
    tenure = np.array([row[tenure_days] for row in tied], dtype=np.int64)
    cut = segment_admit([(tenure, np.array([row[ids] for row in tied]))], cut)
    schema = StructType([*(f for f in frame.schema.fields if f.name != "mid_high_end"),
                         StructField("mid_high_end", BooleanType())])  # fmt: skip

    def apply(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            flags = segment_assign(
                _column(batch, avg_spend), _column(batch, eligible), _column(batch, ids), cut
            )
            yield _with_columns(batch, {"mid_high_end": flags})

    return frame.mapInArrow(apply, schema)
