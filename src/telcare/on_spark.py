"""telcare on Spark (extra ``telcare[spark]``): every whole-base rule with ``mapInArrow``.

Every rule of the registry has a function here of the same name, generated from its
row: each Arrow record batch of a Spark DataFrame goes through the DataFrame layer's
function (:mod:`telcare.frames`, which takes PyArrow tables) on the executors, with
no pandas conversion and no Python object per row; the keywords are the frames
layer's, and labelled tiers come back as Spark strings.  The global rules are exact:
the segment in the passes of :mod:`telcare.engines.partitioned` (Spark's ``groupBy``
gives the spend histogram, only the customers in the bin holding the cut come to the
driver),
``watch_list`` from base-wide counts of each key, ``rates_by_group`` from Spark's
sums per group.

Spark needs Java; PySpark 4 warns (``FutureWarning``) when pandas 3 is installed,
even for ``mapInArrow``.  The example needs a Spark session, so it is not run here::

    from pyspark.sql import SparkSession
    from telcare import on_spark

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    frame = spark.createDataFrame(
        [("a", 55_000, 12), ("b", 25_000, 12), ("c", 8_000, 12)], "id string, avg_spend long, months long"
    )
    on_spark.evaluate_tiers(frame).select("id", "tier").show()
    on_spark.check_benefits(benefit_frame, tier="tier_code").show()
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from telcare._core.checks import instance

try:
    import pyarrow as pa
    from pyspark.sql import DataFrame, functions
    from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema
    from pyspark.sql.types import BooleanType, StringType, StructField, StructType
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "telcare.on_spark needs PySpark and PyArrow: pip install 'telcare[spark]'"
    ) from exc

import attrs
import numpy as np
import numpy.typing as npt

import telcare.frames as _frames
from telcare._core.checks import bool_column
from telcare._core.errors import InvalidInput
from telcare.benefits import busy_keys, shared_counts, shared_flags
from telcare.engines import RULES, BookTotals, add_book_totals
from telcare.engines.partitioned import SegmentCut, segment_admit, segment_assign, segment_cut
from telcare.metrics import GroupRates, rates_by_group as tc_rates_by_group
from telcare.policy import Policy, as_policy
from telcare.tiers import SPEND_BIN_SHIFT, SPEND_BINS

__all__ = sorted(RULES)


def _spark_frame(frame: object, function: str) -> DataFrame:
    """``frame`` if it is a Spark DataFrame, else ``InvalidInput`` saying what it is."""
    return instance(
        frame,
        DataFrame,
        f"on_spark.{function} needs a Spark DataFrame, got {type(frame).__module__}.{{got}}; make one with spark.createDataFrame(...)",
    )


def _arrow_schema(frame: DataFrame) -> pa.Schema:
    """The frame's schema in Arrow; a timestamp column in the session's time zone (Arrow
    needs one, and the batches carry one)."""
    zone = frame.sparkSession.conf.get("spark.sql.session.timeZone")
    return to_arrow_schema(frame.schema, timezone=zone)


def _plain(table: pa.Table) -> pa.Table:
    """Dictionary (labelled) columns as strings, which Spark holds natively."""
    for i, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            table = table.set_column(i, field.name, table.column(i).cast(pa.string()))
    return table


def _row_rule(name: str) -> Any:
    """The Spark form of a row-wise rule: the frames layer's function on each Arrow batch."""
    function = getattr(_frames, name)

    def run(frame: DataFrame, /, **kwargs: Any) -> DataFrame:
        frame = _spark_frame(frame, name)
        arrow = _arrow_schema(frame)
        empty = pa.Table.from_batches([], schema=arrow)
        schema = from_arrow_schema(_plain(function(empty, **kwargs)).schema)

        def apply(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
            for batch in batches:
                yield from _plain(function(pa.Table.from_batches([batch]), **kwargs)).to_batches()

        return frame.mapInArrow(apply, schema)

    run.__name__ = run.__qualname__ = name
    run.__doc__ = (
        f"Spark form of :func:`telcare.frames.{name}`: the same keywords and added columns, "
        "per Arrow batch.\n\n" + (function.__doc__ or "")
    )
    return run


def watch_list(
    frame: DataFrame,
    /,
    *,
    id_numbers: str = "id_numbers",
    contact_phones: str = "contact_phones",
    addresses: str = "addresses",
    operator_ids: str = "operator_ids",
    batch_entered: str | None = None,
    handset_bundled: str | None = None,
    policy: Policy | None = None,
) -> DataFrame:
    """:func:`telcare.watch_list` over a Spark frame, with a ``watch`` column added:
    the keys shared beyond the thresholds are counted across the whole frame
    (``groupBy``), then each batch flags its rows."""
    frame = _spark_frame(frame, "watch_list")
    rules = as_policy(policy).verification
    names = {"id_numbers": id_numbers, "contact_phones": contact_phones, "addresses": addresses,
             "operator_ids": operator_ids, "batch_entered": batch_entered,
             "handset_bundled": handset_bundled}  # fmt: skip
    read = _needs(frame, "watch_list", names)  # a bad name or a missing column, by name
    # a keyword of None names the default column, as in frames; two inputs may share one
    busy = []
    for key in ("id_numbers", "contact_phones", "addresses", "operator_ids"):
        column = names[key] or key
        threshold = rules.operator_threshold if key == "operator_ids" else rules.shared_threshold
        rows = frame.where(functions.col(column).isNotNull()).groupBy(column).count().collect()
        distinct = np.array([row[column] for row in rows], dtype=object)
        tallies = np.array([row["count"] for row in rows], dtype=np.int64)
        counted = shared_counts(distinct, key, counts=tallies)
        busy.append((key, column, busy_keys([counted], threshold)))
    # the signal columns the frames form reads: named, or there under their own name
    signals = [names[n] or n for n in ("batch_entered", "handset_bundled") if n in read]
    for column in signals:
        _refuse_non_flags(frame, column, "on_spark.watch_list")
    schema = StructType(
        [
            *(f for f in frame.schema.fields if f.name != "watch"),
            StructField("watch", BooleanType()),
        ]
    )

    def apply(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            out = np.zeros(batch.num_rows, dtype=bool)
            for key, column, values in busy:
                out |= shared_flags(_column(batch, column), key, values)
            for column in signals:
                out |= bool_column(_column(batch, column), column)
            yield _with_columns(batch, {"watch": out})

    return frame.mapInArrow(apply, schema)


def rates_by_group(
    frame: DataFrame,
    /,
    *,
    groups: str = "groups",
    successes: str = "successes",
    trials: str | None = None,
    level: float = 0.95,
) -> GroupRates:
    """:func:`telcare.rates_by_group` over a Spark frame: Spark sums per group, the
    intervals computed once on the totals (exactly the single-process answer)."""
    frame = _spark_frame(frame, "rates_by_group")
    where = "on_spark.rates_by_group"
    _needs(frame, "rates_by_group", {"groups": groups, "successes": successes, "trials": trials})
    if frame.where(functions.col(groups).isNull()).limit(1).count():
        raise InvalidInput(f"{where}: column {groups!r} is missing a value; give every row a label")
    if trials is None:
        _refuse_non_flags(frame, successes, where)
    trial = functions.lit(1) if trials is None else functions.col(trials)
    rows = (frame.groupBy(groups).agg(functions.sum(successes).alias("k"), functions.sum(trial).alias("n"))
            .orderBy(groups).collect())  # fmt: skip
    # the totals through the single-process rule: every integer code, the same refusals
    return tc_rates_by_group(
        np.array([row[groups] for row in rows]), np.array([row["k"] for row in rows], dtype=np.int64),
        np.array([row["n"] for row in rows], dtype=np.int64), level=level,
    )  # fmt: skip


def _needs(frame: DataFrame, rule: str, names: dict[str, str | None]) -> dict[str, Any]:
    """The rule's columns the frames form would read from ``frame``; a missing one refused
    by name, listing what the rule needs."""
    given = {k: v for k, v in names.items() if v is not None}
    empty = pa.Table.from_batches([], schema=_arrow_schema(frame))
    return _frames.read_inputs(empty, rule, given, f"on_spark.{rule}")


def _refuse_non_flags(frame: DataFrame, column: str, where: str) -> None:
    """``InvalidInput`` unless ``column`` holds booleans or 0/1, as ``bool_column`` reads them."""
    kind = frame.schema[column].dataType.typeName()
    if kind not in ("boolean", "byte", "short", "integer", "long"):
        raise InvalidInput(f"{where}: {column} must hold booleans (0 or 1), got {kind} values")
    value = functions.col(column)
    bad = frame.where(value.isNull() | ~value.cast("long").isin(0, 1)).select(column).limit(1)
    found = bad.collect()
    if found:
        raise InvalidInput(
            f"{where}: {column} must hold booleans (0 or 1), got {found[0][column]!r}"
        )


def _column(batch: pa.RecordBatch, name: str) -> npt.NDArray[Any]:
    return np.asarray(batch.column(name).to_numpy(zero_copy_only=False))


def _with_columns(batch: pa.RecordBatch, added: dict[str, Any]) -> pa.RecordBatch:
    kept = [name for name in batch.schema.names if name not in added]
    arrays = [batch.column(name) for name in kept] + [pa.array(values) for values in added.values()]
    return pa.RecordBatch.from_arrays(arrays, names=[*kept, *added])


def mid_high_end(
    frame: DataFrame,
    /,
    *,
    share: Any = 0.10,
    avg_spend: str | None = None,
    eligible: str | None = None,
    tenure_days: str | None = None,
    ids: str | None = None,
) -> DataFrame:
    """The frame with a boolean ``mid_high_end`` column, cut across the whole frame.

    The columns of :func:`telcare.frames.mid_high_end` (``tenure_days`` and ``ids``
    read when there or named; a missing one refused by name) and the answers of
    :func:`telcare.mid_high_end` on the collected columns, provided the ids are unique
    (without ids, the frame's order as ``monotonically_increasing_id`` gives it breaks
    the last ties).  Runs two Spark jobs before the returned frame is evaluated.
    """
    frame = _spark_frame(frame, "mid_high_end")
    names = {"avg_spend": avg_spend, "eligible": eligible, "tenure_days": tenure_days, "ids": ids}
    read = _needs(frame, "mid_high_end", names)
    avg_spend, eligible = avg_spend or "avg_spend", eligible or "eligible"
    tenure = (
        functions.col(tenure_days or "tenure_days") if "tenure_days" in read else functions.lit(0)
    )
    row = "__telcare_row"
    if "ids" not in read:
        frame = frame.withColumn(row, functions.monotonically_increasing_id())
    ids = (ids or "ids") if "ids" in read else row
    cut = _cut(frame, avg_spend, eligible, tenure, ids, share)
    kept = [f for f in frame.schema.fields if f.name not in ("mid_high_end", row)]
    schema = StructType([*kept, StructField("mid_high_end", BooleanType())])

    def apply(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            flags = segment_assign(
                _column(batch, avg_spend), _column(batch, eligible), _column(batch, ids), cut
            )
            if row in batch.schema.names:
                batch = batch.drop_columns([row])
            yield _with_columns(batch, {"mid_high_end": flags})

    return frame.mapInArrow(apply, schema)


def _cut(
    frame: DataFrame, avg_spend: str, eligible: str, tenure: Any, ids: str, share: Any
) -> SegmentCut:
    """The segment's cut: Spark's ``groupBy`` on the spend bin, then the bin's customers."""
    spend_bin = functions.least(
        functions.shiftright(functions.col(avg_spend), SPEND_BIN_SHIFT),
        functions.lit(SPEND_BINS - 1),
    )
    counted = frame.where(functions.col(eligible)).groupBy(spend_bin.alias("bin")).count().collect()
    bins = [row["bin"] for row in counted]
    if bins and min(bins) < 0:  # a negative spend would index the histogram from its end
        raise InvalidInput(f"{avg_spend} must be >= 0; an eligible row has a negative spend")
    histogram = np.zeros(1 + max(bins, default=-1), dtype=np.int64)
    histogram[bins] = [row["count"] for row in counted]
    found = segment_cut([histogram], share)
    rows: list[Any] = []
    if found.low is not None:
        in_bin = functions.col(eligible) & (functions.col(avg_spend) >= found.low)
        if found.high is not None:
            in_bin &= functions.col(avg_spend) < found.high
        rows = frame.where(in_bin).select(avg_spend, tenure.alias("t"), ids).collect()
    candidates = (
        np.array([r[avg_spend] for r in rows], dtype=np.int64),
        np.array([r["t"] for r in rows], dtype=np.int64),
        np.array([r[ids] for r in rows]),
    )
    return segment_admit([candidates], found)


def book_totals(frame: DataFrame, /, *, as_of: Any, **kwargs: Any) -> BookTotals:
    """:func:`telcare.book_totals` over a Spark frame of the points book's columns: each
    Arrow batch's book is summed on the executors by the frames form, the totals come
    to the driver as exact integers (written as text: no int64 sum) and are added up.
    The same keywords as :func:`telcare.frames.book_totals`; ids are checked within a
    batch."""
    frame = _spark_frame(frame, "book_totals")
    function = _frames.book_totals
    empty = function(pa.Table.from_batches([], schema=_arrow_schema(frame)),
                     as_of=as_of, **kwargs)  # fmt: skip  # a bad column or keyword: now
    names = [f.name for f in attrs.fields(BookTotals)][1:]
    schema = StructType([StructField(n, StringType()) for n in names])

    def apply(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            got = function(pa.Table.from_batches([batch]), as_of=as_of, **kwargs)
            yield pa.RecordBatch.from_pydict({n: [str(getattr(got, n))] for n in names})

    rows = frame.mapInArrow(apply, schema).collect()
    parts = [BookTotals(empty.as_of, *(int(row[n]) for n in names)) for row in rows]
    return add_book_totals([empty, *parts], empty.as_of)


_GLOBAL = ("book_totals", "mid_high_end", "rates_by_group", "watch_list")  # defined above
for _name in RULES:
    if _name not in _GLOBAL:  # the global ones are above
        globals()[_name] = _row_rule(_name)


def __getattr__(name: str) -> Any:  # pragma: no cover - for type checkers
    raise AttributeError(f"module 'telcare.on_spark' has no attribute {name!r}")
