"""The column checks: a batch function validates its columns once, with
:func:`int_column`, :func:`bool_column`, :func:`code_column` and
:func:`same_length`, then works on plain numpy arrays, block by block
(:func:`row_blocks`, :func:`checked_blocks`); it never modifies what it was given.
Every refusal names the column and quotes the value and its row.
:mod:`telcare._core.checks` is their face, with the scalar checks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from telcare._core.errors import InvalidInput

__all__ = [
    "BLOCK_ROWS",
    "bool_column",
    "check_bounds",
    "checked_blocks",
    "code_column",
    "column",
    "int_column",
    "is_missing",
    "no_bools",
    "row_blocks",
    "same_length",
]


#: Rows per block in the batch functions: small enough that a block's temporaries
#: stay in the CPU cache, large enough that numpy's per-call cost is noise.
BLOCK_ROWS = 1 << 15


def is_missing(value: object) -> bool:
    """Whether ``value`` is one of the ways a table writes "no value".

    >>> [is_missing(v) for v in (None, float("nan"), np.datetime64("NaT", "D"), "", 0)]
    [True, True, True, False, False]
    """
    if value is None:
        return True
    if isinstance(value, float | np.floating):
        return bool(value != value)
    if isinstance(value, np.datetime64 | np.timedelta64):
        return bool(np.isnat(value))
    kind = type(value).__name__
    return kind in ("NAType", "NaTType")  # pandas' NA and NaT, without importing pandas


def no_bools(values: Any, name: str) -> Any:
    """``values`` unless a list or tuple of numbers holds a bool, which numpy would read
    as 1 or 0 (``[0, True]`` is ``[0, 1]``); the column checks see only the array.

    >>> no_bools([3, True], "row")
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: row must hold integers, got the bool True at index 1
    """
    if isinstance(values, list | tuple):
        for i, v in enumerate(values):
            if isinstance(v, bool | np.bool_):
                raise InvalidInput(f"{name} must hold integers, got the bool {v!r} at index {i}")
    return values


def row_blocks(n: int, size: int = BLOCK_ROWS) -> Iterator[slice]:
    """Slices of at most ``size`` rows covering ``range(n)``, in order.

    Batch functions work block by block so their temporaries stay in the CPU
    cache instead of streaming whole columns through memory once per operation.

    >>> [(s.start, s.stop) for s in row_blocks(5, size=2)]
    [(0, 2), (2, 4), (4, 6)]
    """
    return (slice(start, start + size) for start in range(0, n, size))


def column(values: Any, name: str, *, dtype: Any = None, ndim: int | None = 1) -> npt.NDArray[Any]:
    """``values`` as a numpy array (1-D unless ``ndim`` says otherwise), refusing
    masked entries: a masked array's mask would otherwise be dropped silently.

    >>> column(np.ma.masked_array([1, 2], mask=[False, True]), "spend")
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: spend has a masked entry at index 1; fill or drop the masked rows first
    """
    if isinstance(values, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(values)
        if mask.any():
            i = int(np.argmax(mask.reshape(-1)))
            raise InvalidInput(
                f"{name} has a masked entry at index {i}; fill or drop the masked rows first"
            )
        values = values.data
    try:
        arr = np.asarray(values, dtype=dtype)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidInput(f"{name} cannot be read as an array: {exc}") from None
    if ndim is not None and arr.ndim != ndim:
        raise InvalidInput(f"{name} must be a {ndim}-D column, got shape {arr.shape}")
    return arr


def int_column(
    values: Any,
    name: str,
    *,
    minimum: int | None = 0,
    maximum: int | None = None,
    bounds: bool = True,
) -> npt.NDArray[np.int64]:
    """``values`` as a 1-D ``int64`` array, checked against the bounds (``bounds=False``
    leaves that to the caller, who checks block by block with :func:`check_bounds`).

    Integer dtypes pass; floats are accepted only when every value is whole
    and finite (pandas turns int columns with gaps into floats); booleans,
    strings and objects are refused.  A missing value (``None`` in a list, a gap of a
    pandas nullable column, whose gaps numpy reads as NaN) is refused as missing, by
    its row; a NaN of a plain float column is a number that is not finite, as
    :func:`~telcare._core.checks.number` calls it.  The returned array may share memory
    with the input and must not be written to.

    >>> int_column([3, None], "months")
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: months is missing at index 1 (got None); give every row an integer
    """
    arr = column(no_bools(values, name), name)
    if arr.size == 0:  # ``[]`` arrives as float64; an empty column of any dtype is just empty
        return np.zeros(0, dtype=np.int64)
    kind = arr.dtype.kind
    if kind in "fO":  # a gap of a pandas nullable column arrives as NaN, of a list as None
        _refuse_gap(
            _nullable_gap(values) or _object_gap(arr, (int, np.integer)),
            name,
            "give every row an integer",
        )
    if kind == "b" or kind not in "iuf":
        raise InvalidInput(f"{name} must hold integers, got dtype {arr.dtype}")
    if kind == "f":
        out = _whole(arr, name)
    elif (
        kind == "u" and arr.dtype.itemsize == 8 and arr.size and arr.max() > np.iinfo(np.int64).max
    ):
        raise InvalidInput(f"{name} holds {arr.max().item()!r}, too large for int64")
    else:
        out = arr.astype(np.int64, copy=False)
    if bounds:
        check_bounds(out, name, minimum, maximum)
    return out


def _whole(arr: npt.NDArray[np.floating[Any]], name: str) -> npt.NDArray[np.int64]:
    """A float column as ``int64``: every value finite, whole and within ``int64``."""
    finite = np.isfinite(arr)
    if not finite.all():
        raise InvalidInput(
            f"{name} must be finite, got {arr[~finite][0].item()!r} at index {int(np.argmin(finite))}"
        )
    whole = arr == np.floor(arr)
    if not whole.all():
        i = int(np.argmin(whole))
        raise InvalidInput(f"{name} must hold whole numbers, got {arr[i].item()!r} at index {i}")
    if arr.size and float(np.abs(arr).max()) >= 2.0**63:  # a Python float: no 2**63 in float16
        raise InvalidInput(f"{name} holds {np.abs(arr).max().item()!r}, too large for int64")
    return arr.astype(np.int64)


def check_bounds(
    block: npt.NDArray[np.int64],
    name: str,
    minimum: int | None,
    maximum: int | None,
    offset: int = 0,
) -> None:
    """``InvalidInput`` naming the first value of ``block`` outside the bounds; ``offset``
    is the block's first row in the whole column, so a batch rule that checks block by
    block (its columns read once, while in the CPU cache) names the same row.

    >>> check_bounds(np.array([1, 7]), "months", 0, 6, offset=10)
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: months must be <= 6, got 7 at index 11
    """
    if not block.size:
        return
    if minimum is not None:
        low = block.min()
        if low < minimum:
            i = int(np.argmin(block)) + offset
            raise InvalidInput(f"{name} must be >= {minimum}, got {int(low)} at index {i}")
    if maximum is not None:
        high = block.max()
        if high > maximum:
            i = int(np.argmax(block)) + offset
            raise InvalidInput(f"{name} must be <= {maximum}, got {int(high)} at index {i}")


def checked_blocks(
    n: int, bounds: Mapping[str, tuple[npt.NDArray[np.int64], int | None, int | None]]
) -> Iterator[slice]:
    """:func:`row_blocks` of ``n`` rows, each yielded once every named column's values in
    it are within their ``(column, minimum, maximum)`` bounds (:func:`check_bounds`): a
    batch rule reads each column from memory once, checks and arithmetic on the same
    cache-resident block, and still names the first bad row.

    >>> [(s.start, s.stop) for s in checked_blocks(3, {"months": (np.array([3, 4, 6]), 0, 6)})]
    [(0, 32768)]
    >>> list(checked_blocks(3, {"months": (np.array([3, 4, 9]), 0, 6)}))
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: months must be <= 6, got 9 at index 2
    """
    for rows in row_blocks(n):
        for name, (values, minimum, maximum) in bounds.items():
            check_bounds(values[rows], name, minimum, maximum, rows.start)
        yield rows


def code_column(values: Any, name: str, labels: tuple[str, ...]) -> npt.NDArray[np.int64]:
    """A column of codes into ``labels``: integer codes as :func:`int_column` reads
    them (0 to ``len(labels) - 1``), or the labels themselves (text, or a pandas
    categorical), mapped to their positions.

    >>> code_column(["gold", "vip"], "tier", ("ordinary", "vip", "gold")).tolist()
    [2, 1]
    >>> code_column(["gold", "platinum"], "tier", ("ordinary", "vip", "gold"))
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: tier has the unknown label 'platinum' at index 1; labels: ordinary, vip, gold

    A missing label (``None``, NaN, pandas ``NA``, ``NaT``) is refused as missing, by
    its row, never read as the label ``'nan'``:

    >>> code_column(["gold", float("nan")], "tier", ("ordinary", "vip", "gold"))
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: tier is missing at index 1 (got nan); give a label (ordinary, vip, gold) or a code
    """
    wanted = f"give a label ({', '.join(labels)}) or a code"
    values = no_bools(values, name)
    if isinstance(values, list | tuple):  # before numpy reads a NaN among texts as 'nan'
        _refuse_gap(_object_gap(values, str), name, wanted)
    arr = column(values, name)
    if arr.dtype.kind in "fO":
        _refuse_gap(_nullable_gap(values) or _object_gap(arr, str) or _nan_gap(arr), name, wanted)
    if arr.dtype.kind not in "OUS" or arr.size == 0:
        return int_column(arr, name, maximum=len(labels) - 1)
    if arr.dtype.kind == "O":
        for i, v in enumerate(arr.tolist()):
            if not isinstance(v, str):
                raise InvalidInput(f"{name} holds {v!r} at index {i}; {wanted}")
    names, inverse = np.unique(arr.astype(str), return_inverse=True)
    lookup = {label: i for i, label in enumerate(labels)}
    codes = np.array([lookup.get(str(n), -1) for n in names], dtype=np.int64)
    if (codes < 0).any():
        bad = names[int(np.argmax(codes < 0))]
        i = int(np.argmax(arr.astype(str) == bad))
        raise InvalidInput(
            f"{name} has the unknown label {str(bad)!r} at index {i}; labels: {', '.join(labels)}"
        )
    out: npt.NDArray[np.int64] = codes[inverse.reshape(-1)]
    return out


Gap = tuple[int, object] | None


def _refuse_gap(gap: Gap, name: str, wanted: str) -> None:
    """``InvalidInput`` naming the column and the row of a missing value, if any."""
    if gap is not None:
        row, value = gap
        raise InvalidInput(f"{name} is missing at index {row} (got {value!r}); {wanted}")


def _object_gap(values: Any, fine: type | tuple[type, ...]) -> Gap:
    """The first row of a list, a tuple or an object array that is not ``fine``, and
    its value, when that row is missing (a first row of the wrong kind is left to the
    dtype check); a column of only ``fine`` rows is told at C speed, with no row loop.

    >>> _object_gap(["gold", float("nan")], str)
    (1, nan)
    >>> _object_gap(["gold", 7, None], str) is None
    True
    """
    if isinstance(values, np.ndarray):
        if values.dtype.kind != "O":
            return None
        values = values.tolist()
    if all(issubclass(kind, fine) for kind in set(map(type, values))):
        return None
    i, v = next((i, v) for i, v in enumerate(values) if not isinstance(v, fine))
    return (i, v) if is_missing(v) else None


def _nullable_gap(values: Any) -> Gap:
    """The first gap of a pandas column with a nullable dtype (``Int64``, ``string``,
    ``category``...), whose gaps numpy reads as NaN, and pandas' own missing value."""
    dtype = getattr(values, "dtype", None)
    if dtype is None or isinstance(dtype, np.dtype) or not hasattr(values, "isna"):
        return None
    gaps = np.asarray(values.isna(), dtype=np.bool_)
    if gaps.ndim != 1 or not gaps.any():
        return None
    return int(np.argmax(gaps)), getattr(dtype, "na_value", None)


def _nan_gap(arr: npt.NDArray[Any]) -> Gap:
    """The first NaN of a float column of codes: a code column with gaps, as pandas
    writes one (a code is a label, so a NaN is a missing label, not a bad number)."""
    if arr.dtype.kind != "f":
        return None
    gaps = np.isnan(arr)
    return (int(np.argmax(gaps)), arr[int(np.argmax(gaps))].item()) if gaps.any() else None


def bool_column(values: Any, name: str) -> npt.NDArray[np.bool_]:
    """``values`` as a 1-D ``bool`` array; integers must be 0 or 1."""
    arr = column(values, name)
    if arr.size == 0:
        return np.zeros(0, dtype=np.bool_)
    if arr.dtype == np.bool_:
        return arr
    if arr.dtype.kind in "iu":
        bad = (arr != 0) & (arr != 1)
        if bad.any():
            i = int(np.argmax(bad))
            raise InvalidInput(
                f"{name} must hold booleans (0 or 1), got {arr[i].item()!r} at index {i}"
            )
        return arr.astype(np.bool_)
    raise InvalidInput(f"{name} must hold booleans, got dtype {arr.dtype}")


def same_length(**columns: npt.NDArray[Any]) -> int:
    """The common length of the columns, or ``InvalidInput`` naming the odd ones."""
    lengths = {name: len(col) for name, col in columns.items()}
    distinct = set(lengths.values())
    if len(distinct) > 1:
        shown = ", ".join(f"{k}={v}" for k, v in lengths.items())
        raise InvalidInput(f"columns must have equal lengths, got {shown}")
    return distinct.pop() if distinct else 0
