"""telcare on Dask (extra ``telcare[dask]``): every whole-base rule on a Dask DataFrame.

Every rule of the registry (:data:`telcare.RULES`) has a function
here of the same name, generated from its row: the row-wise rules run the
DataFrame layer's function (:mod:`telcare.frames`) on each partition, so the
keywords, the labelled outputs (categorical tiers, a boolean column per benefit)
and the checks are those of the frames layer, and no partition builds a Python
object per row.  The global rules are exact: the segment's cut in the two passes
of :mod:`telcare.engines.partitioned`, ``rates_by_group`` as a tree reduction of
per-partition counts.

>>> import pandas as pd, dask.dataframe as dd
>>> frame = pd.DataFrame({"avg_spend": [55_000, 25_000, 8_000, 31_000], "months": [12] * 4})
>>> tiers = evaluate_tiers(dd.from_pandas(frame, npartitions=2))
>>> tiers.compute(scheduler="sync")["tier"].tolist()
['gold', 'vip', 'ordinary', 'silver']
>>> benefits = check_benefits(dd.from_pandas(pd.DataFrame({"tier": ["gold", "vip"], "segment_member": [False] * 2,
...     "plan_fee": [12_800, 5_800], "verification": ["genuine"] * 2, "status": ["active"] * 2}), npartitions=2))
>>> benefits.compute(scheduler="sync")["airport_boarding"].tolist()
[True, False]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

try:
    import dask.dataframe as dd
    from dask.base import compute
    from dask.delayed import delayed
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError("telcare.on_dask needs Dask: pip install 'telcare[dask]'") from exc

import numpy as np
import numpy.typing as npt
import pandas as pd

import telcare.frames as _frames
from telcare._core.checks import bool_column, int_column, same_length
from telcare._core.errors import InvalidInput
from telcare._core.label_checks import label
from telcare.benefits import busy_keys, shared_counts, shared_flags
from telcare.engines import RULES, BookTotals, add_book_totals
from telcare.engines.partitioned import (
    SegmentCut,
    add_group_counts,
    segment_admit,
    segment_assign,
    segment_cut,
    segment_histogram,
)
from telcare.metrics import GroupRates, label_values, rates_from_counts
from telcare.policy import Policy, as_policy
from telcare.tiers import BinCut, ids_column, in_cut_bin

__all__ = sorted(RULES)


def _dask_frame(frame: object, function: str) -> dd.DataFrame:
    """``frame`` if it is a Dask DataFrame, else ``InvalidInput`` saying how to make one."""
    if not isinstance(frame, dd.DataFrame):
        hint = (
            "; wrap it with dask.dataframe.from_pandas(frame, npartitions=...), "
            f"or call telcare.{function} on its columns"
            if isinstance(frame, pd.DataFrame)
            else ""
        )
        raise InvalidInput(
            f"on_dask.{function} needs a dask DataFrame, got {type(frame).__module__}."
            f"{type(frame).__name__}{hint}"
        )
    return frame


def _row_rule(name: str) -> Any:
    """The Dask form of a row-wise rule: the frames layer's function on each partition."""
    function = getattr(_frames, name)

    def each(part: pd.DataFrame, partition_info: Any = None, **kwargs: Any) -> pd.DataFrame:
        number = (partition_info or {}).get("number")
        return cast("pd.DataFrame", _in_partition(number, name, lambda: function(part, **kwargs)))

    def run(frame: dd.DataFrame, /, **kwargs: Any) -> dd.DataFrame:
        frame = _dask_frame(frame, name)
        meta = function(
            frame._meta, **kwargs
        )  # the empty frame gives the output's columns and dtypes
        return cast("dd.DataFrame", frame.map_partitions(each, **kwargs, meta=meta))  # type: ignore[no-untyped-call]

    run.__name__ = run.__qualname__ = name
    run.__doc__ = (
        f"Dask form of :func:`telcare.frames.{name}`: the same keywords and added columns, "
        "per partition.\n\n" + (function.__doc__ or "")
    )
    return run


def _in_partition(number: int | None, name: str, step: Callable[[], Any]) -> Any:
    """``step()``, a refusal in it naming the partition (its row is the partition's)."""
    try:
        return step()
    except InvalidInput as exc:
        said = str(exc).removeprefix(f"on_dask.{name}: ")
        raise InvalidInput(f"on_dask.{name}, partition {number}: {said}") from None


def _inputs(
    part: pd.DataFrame, rule: str, names: dict[str, str | None]
) -> dict[str, npt.NDArray[Any]]:
    """A partition's (or the meta's) input columns, read as the frames layer reads them."""
    given = {k: v for k, v in names.items() if v is not None}
    return _frames.read_inputs(part, rule, given, f"on_dask.{rule}")


def _first_missing(part: pd.DataFrame, columns: Iterable[str]) -> tuple[str, int, Any] | None:
    """(column, row in the partition, value) of the first missing value, or ``None``."""
    for name in columns:
        missing = part[name].isna().to_numpy()
        if missing.any():
            row = int(np.argmax(missing))
            return name, row, part[name].iloc[row]
    return None


def rates_by_group(
    frame: dd.DataFrame,
    /,
    *,
    groups: str = "groups",
    successes: str = "successes",
    trials: str | None = None,
    level: float = 0.95,
    n_groups: int | None = None,
) -> GroupRates:
    """:func:`telcare.rates_by_group` over a Dask frame: each partition is counted by the
    single-process function itself (so it refuses what that refuses: outcomes other than
    0/1, a missing group named with its row in the whole frame, mixed labels), the
    counts are added per group, and the intervals are computed once on the totals, so
    the answer (keys of the same type, every integer code up to the largest) is the
    single-process one exactly."""
    frame = _dask_frame(frame, "rates_by_group")
    names = {"groups": groups, "successes": successes, "trials": trials}
    read = _inputs(frame._meta, "rates_by_group", names)  # a missing column is refused now
    sources = [names[k] or k for k in read]  # a trials column is read when there, as in frames
    options: dict[str, Any] = {"level": level} | (
        {} if n_groups is None else {"n_groups": n_groups}
    )
    count = RULES["rates_by_group"].function
    group_column = sources[0]  # the rule's first input

    def partial(part: pd.DataFrame) -> tuple[int, Any, str, Any, Any]:
        """(rows, a problem with the groups, their kind, another problem, the counts): the
        groups are judged first, over every partition, as one process reads them first."""
        problem: Any = _first_missing(part, [group_column])
        kind = ""
        if problem is None:
            valid = part.assign(**{c: 0 for c in sources if c != group_column})  # groups alone
            try:
                found = label_values(_inputs(valid, "rates_by_group", names)["groups"], "groups")
                kind = "" if not len(found) else "text" if found.dtype.kind in "OUS" else "number"
            except InvalidInput as exc:
                problem = exc
        other = _first_missing(part, [c for c in sources if c != group_column])
        if problem is not None or other is not None:
            return len(part), problem, kind, other, None
        try:
            got = count(**_inputs(part, "rates_by_group", names), **options)
        except InvalidInput as exc:
            return len(part), None, kind, exc, None
        return len(part), None, kind, None, (got.keys, got.numerator, got.denominator)

    parts = _gather(delayed(partial)(p) for p in frame[sources].to_delayed())
    _refuse_first([(rows, problem) for rows, problem, _, _, _ in parts], group_column)
    if len({kind for _, _, kind, _, _ in parts} - {""}) > 1:
        raise InvalidInput(
            "on_dask.rates_by_group: groups must be labels of one kind (all text, or all "
            "numbers), got text in one partition and numbers in another"
        )
    _refuse_first([(rows, other) for rows, _, _, other, _ in parts], group_column)
    keys, num, den = add_group_counts([counts for _, _, _, _, counts in parts])
    return rates_from_counts(keys, num, den, level=level)


def _refuse_first(problems: list[tuple[int, Any]], groups: str) -> None:
    """Raise the first partition's problem: an ``InvalidInput`` as it was, naming the
    partition, or a missing value (column, row in the partition, value) with its row in
    the whole frame."""
    offset = 0
    for number, (rows, problem) in enumerate(problems):
        if isinstance(problem, InvalidInput):
            raise InvalidInput(f"on_dask.rates_by_group, partition {number}: {problem}")
        if problem is not None:
            name, row, value = problem
            where = f"on_dask.rates_by_group: column {name!r}"
            if name == groups:
                label(value, f"{where} at row {offset + row}")  # refuses it, as a label
            raise InvalidInput(f"{where} is missing a value at row {offset + row}")
        offset += rows


_WATCH_KEYS = ("id_numbers", "contact_phones", "addresses", "operator_ids")


def watch_list(
    frame: dd.DataFrame,
    /,
    *,
    id_numbers: str = "id_numbers",
    contact_phones: str = "contact_phones",
    addresses: str = "addresses",
    operator_ids: str = "operator_ids",
    batch_entered: str | None = None,
    handset_bundled: str | None = None,
    policy: Policy | None = None,
) -> dd.DataFrame:
    """:func:`telcare.watch_list` over a Dask frame, with a ``watch`` column added.

    Sharing is counted across the whole base, not per partition: one pass of value
    counts per key column (tree-reduced), then each partition flags its rows whose
    key is over the threshold, so the answer is the single-process one; the signal
    columns are read as it reads them (0/1 or booleans, anything else refused).
    """
    frame = _dask_frame(frame, "watch_list")
    rules = as_policy(policy).verification
    names = {"id_numbers": id_numbers, "contact_phones": contact_phones, "addresses": addresses,
             "operator_ids": operator_ids, "batch_entered": batch_entered,
             "handset_bundled": handset_bundled}  # fmt: skip
    read = _inputs(frame._meta, "watch_list", names)  # a bad name or missing column: now
    signals = [n for n in ("batch_entered", "handset_bundled") if n in read]  # named or there
    # (input, its column, threshold): a keyword of None names the default column, as in
    # frames, and two inputs may read one column
    keys = [(k, names[k] or k, rules.operator_threshold if k == "operator_ids"
             else rules.shared_threshold) for k in _WATCH_KEYS]  # fmt: skip
    parts = frame[list(dict.fromkeys(c for _, c, _ in keys))].to_delayed()
    count = delayed(lambda p, c, k: shared_counts(_keys_of(p[c]), k))
    counted = _gather(count(p, c, k) for k, c, _ in keys for p in parts)
    n = len(parts)
    busy = [(k, c, busy_keys(counted[i * n : (i + 1) * n], threshold))
            for i, (k, c, threshold) in enumerate(keys)]  # fmt: skip

    def flag(part: pd.DataFrame, partition_info: Any = None) -> pd.DataFrame:
        def step() -> pd.DataFrame:
            out = np.zeros(len(part), dtype=bool)
            for key, column, values in busy:
                out |= shared_flags(_keys_of(part[column]), key, values)
            read = _inputs(part, "watch_list", names) if signals else {}
            for name in signals:
                out |= bool_column(read[name], name)
            return part.assign(watch=out)

        return cast(
            "pd.DataFrame", _in_partition((partition_info or {}).get("number"), "watch_list", step)
        )

    meta = frame._meta.assign(watch=pd.Series(dtype=bool))
    return cast("dd.DataFrame", frame.map_partitions(flag, meta=meta))  # type: ignore[no-untyped-call]


def _keys_of(values: pd.Series) -> Any:
    """A key column as numpy; pandas' own string and nullable types give missing as ``None``."""
    if isinstance(values.dtype, np.dtype):
        return values.to_numpy()
    return values.to_numpy(dtype=object, na_value=None)


def _gather(tasks: Iterable[Any]) -> tuple[Any, ...]:
    """Compute delayed tasks together with Dask's configured scheduler."""
    return cast(tuple[Any, ...], compute(*tasks))  # type: ignore[no-untyped-call]


def mid_high_end(
    frame: dd.DataFrame,
    /,
    *,
    share: Any = 0.10,
    avg_spend: str | None = None,
    eligible: str | None = None,
    tenure_days: str | None = None,
    ids: str | None = None,
) -> dd.DataFrame:
    """The frame with a boolean ``mid_high_end`` column, cut across the whole frame:
    :func:`telcare.frames.mid_high_end` over partitions.

    The same columns as the frames form (``avg_spend``, ``eligible``, and
    ``tenure_days`` and ``ids`` when the frame has them or a keyword names them; a
    missing one is refused by name), the same answer as :func:`telcare.mid_high_end`
    on the collected columns, ties included (longer tenure, smaller id, then the
    earlier row of the whole frame).  Computes twice before returning (the spend
    histograms, then the customers in the bin that holds the cut), with Dask's
    configured scheduler; only histograms and those few customers travel.
    """
    frame = _dask_frame(frame, "mid_high_end")
    names = {"avg_spend": avg_spend, "eligible": eligible, "tenure_days": tenure_days, "ids": ids}
    read = _inputs(frame._meta, "mid_high_end", names)  # a missing column is refused now
    sources = [names[k] or k for k in read]
    parts = frame[sources].to_delayed()

    def columns(number: int, part: pd.DataFrame) -> dict[str, Any]:
        return cast(
            dict[str, Any],
            _in_partition(number, "mid_high_end", lambda: _segment_columns(part, names)),
        )

    def histogram(number: int, part: pd.DataFrame) -> tuple[int, str, Any]:
        c = columns(number, part)
        kind = c["ids"].dtype.kind if "ids" in c and len(c["ids"]) else ""
        return len(part), kind, segment_histogram(c["avg_spend"], c["eligible"])

    first = _gather(delayed(histogram)(i, p) for i, p in enumerate(parts))
    if len({kind for _, kind, _ in first} - {""}) > 1:
        raise InvalidInput("on_dask.mid_high_end: ids must be all str or all int, got a mix")
    starts = np.cumsum([0] + [rows for rows, _, _ in first]).tolist()
    found = segment_cut([h for _, _, h in first], share)

    def candidates(number: int, part: pd.DataFrame) -> Any:
        c = columns(number, part)
        at = np.arange(starts[number], starts[number] + len(part))
        rows = in_cut_bin(c["avg_spend"], c["eligible"], found)
        return c["avg_spend"][rows], c["tenure_days"][rows], c.get("ids", at)[rows], at[rows]

    cut = _admit(_gather(delayed(candidates)(i, p) for i, p in enumerate(parts)), found)

    def assign(part: pd.DataFrame, partition_info: Any = None) -> pd.DataFrame:
        number = (partition_info or {}).get("number", 0)
        c = columns(number, part)
        at = np.arange(starts[number], starts[number] + len(part))
        return part.assign(mid_high_end=segment_assign(c["avg_spend"], c["eligible"], at, cut))

    meta = frame._meta.assign(mid_high_end=pd.Series(dtype=bool))
    return cast("dd.DataFrame", frame.map_partitions(assign, meta=meta))  # type: ignore[no-untyped-call]


def _segment_columns(part: pd.DataFrame, names: dict[str, str | None]) -> dict[str, Any]:
    """A partition's segment columns, checked as :func:`telcare.mid_high_end` checks them;
    no tenure reads as equal tenure."""
    read = _inputs(part, "mid_high_end", names)
    out = {"avg_spend": int_column(read["avg_spend"], "avg_spend"),
           "eligible": bool_column(read["eligible"], "eligible")}  # fmt: skip
    n = same_length(**out)
    tenure = read.get("tenure_days")
    out["tenure_days"] = (
        np.zeros(n, np.int64) if tenure is None else int_column(tenure, "tenure_days")
    )
    if "ids" in read:
        out["ids"] = ids_column(read["ids"], n)
    return out


def _admit(parts: Iterable[tuple[Any, Any, Any, Any]], found: BinCut) -> SegmentCut:
    """:func:`segment_admit` on the bin's candidates of every partition, ranked by spend,
    tenure, id, then row in the whole frame; the admitted come back as rows of the
    whole frame (so ids need not be unique, as in one process)."""
    pieces = list(parts)
    none = np.zeros(0, np.int64)
    spend, tenure, at = (np.concatenate([none, *(p[i] for p in pieces)]) for i in (0, 1, 3))
    ids = np.concatenate([p[2] for p in pieces]) if pieces else none
    order = np.lexsort((at, ids))  # the id, then the row, as one unique key
    key = np.empty(len(order), np.int64)
    key[order] = np.arange(len(order))
    cut = segment_admit([(spend, tenure, key)], found)
    return SegmentCut(cut.k, cut.eligible, cut.value, at[order[cut.admitted]])


def book_totals(frame: dd.DataFrame, /, *, as_of: Any, **kwargs: Any) -> BookTotals:
    """:func:`telcare.book_totals` over a Dask frame of the points book's columns: each
    partition's book is summed by the frames form (exact ints), the totals added up,
    so the liability and every term of the identity are the whole frame's.  The same
    keywords as :func:`telcare.frames.book_totals`; ids are checked within a partition."""
    frame = _dask_frame(frame, "book_totals")
    function = _frames.book_totals
    empty = function(frame._meta, as_of=as_of, **kwargs)  # a bad column or keyword: now

    def total(number: int, part: pd.DataFrame) -> BookTotals:
        step = lambda: function(part, as_of=as_of, **kwargs)  # noqa: E731
        return cast(BookTotals, _in_partition(number, "book_totals", step))

    pieces = frame.to_delayed()  # type: ignore[no-untyped-call]
    parts = _gather(delayed(total)(i, p) for i, p in enumerate(pieces))
    return add_book_totals([empty, *parts], empty.as_of)


_GLOBAL = ("book_totals", "mid_high_end", "rates_by_group", "watch_list")  # defined above
for _name in RULES:
    if _name not in _GLOBAL:  # the global ones are above
        globals()[_name] = _row_rule(_name)


def __getattr__(name: str) -> Any:  # pragma: no cover - for type checkers
    raise AttributeError(f"module 'telcare.on_dask' has no attribute {name!r}")
