"""How good is a target list?  Uplift at k, uplift by percentile, and a
response-rate table per segment cell (the curves and their areas are in
:mod:`telcare.metrics._curves`).

The names, argument order and definitions are scikit-uplift's (0.5), so its users
read them at once; telcare computes them on numpy columns without scikit-learn,
and the test suite checks them against scikit-uplift on generated data.
``y_true`` is the binary outcome (1 = responded), ``uplift`` the score that ranks
the list (higher first; a model's predicted uplift, or a cell's observed uplift
from :func:`uplift_by_cell`), ``treatment`` 1 for a contacted customer and 0 for
the control group.

>>> import numpy as np
>>> y = np.array([1, 0, 1, 0, 0, 1, 0, 0])
>>> t = np.array([1, 1, 0, 0, 1, 1, 0, 0])
>>> score = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2])
>>> round(uplift_at_k(y, score, t, strategy="overall", k=0.5), 4)
0.0
"""

from __future__ import annotations

from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import column, flag, integer, one_of, same_length
from telcare._core.display import Tabular, frame_from_columns
from telcare._core.errors import InvalidInput
from telcare.metrics._experiments import Uplift, compare
from telcare.metrics._labels import factorise, label_values
from telcare.metrics._rates import Rate

__all__ = [
    "CellUplift",
    "UpliftByPercentile",
    "uplift_at_k",
    "uplift_by_cell",
    "uplift_by_percentile",
]

F64 = npt.NDArray[np.float64]
Strategy = Literal["overall", "by_group"]


def _binary(values: Any, name: str) -> npt.NDArray[np.int64]:
    arr = column(values, name)
    if arr.dtype == np.bool_:
        return arr.astype(np.int64)
    if arr.dtype.kind not in "iuf":
        raise InvalidInput(f"{name} must hold 0 and 1, got {arr.dtype} values")
    bad = ~np.isin(arr, (0, 1))
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidInput(f"{name} must hold 0 and 1, got {arr[i].item()!r} at index {i}")
    return arr.astype(np.int64)


def _score(values: Any) -> F64:
    arr = column(values, "uplift")
    if arr.dtype.kind not in "iuf" or arr.dtype == np.bool_:
        raise InvalidInput(f"uplift must hold numbers, got {arr.dtype} values")
    out = arr.astype(np.float64)
    bad = ~np.isfinite(out)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidInput(f"uplift must be finite, got {out[i].item()!r} at index {i}")
    return out


def _inputs(y_true: Any, uplift: Any, treatment: Any) -> tuple[Any, F64, Any, Any]:
    y, score, t = _binary(y_true, "y_true"), _score(uplift), _binary(treatment, "treatment")
    same_length(y_true=y, uplift=score, treatment=t)
    if len(y) == 0:
        raise InvalidInput("y_true, uplift and treatment are empty")
    # Highest score first; ties keep a stable order (scikit-uplift's reversed mergesort).
    order = np.argsort(score, kind="mergesort")[::-1]
    return y, score, t, order


def both_arms(t: npt.NDArray[np.int64], purpose: str = "to measure uplift") -> None:
    """Refuse a ``treatment`` column with one arm only: uplift compares the treated
    with the control group, so with either group empty it is undefined.

    >>> both_arms(np.array([1, 1, 1]))
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: treatment must hold both arms to measure uplift, got 3 treated of 3 customers: with no control customers the uplift is undefined
    """
    n, n_t = len(t), int(t.sum())
    if n_t in (0, n):
        missing = "control" if n_t else "treated"
        raise InvalidInput(
            f"treatment must hold both arms {purpose}, got {n_t} treated of {n} customers: "
            f"with no {missing} customers the uplift is undefined"
        )


def _mean(values: Any, what: str) -> float:
    if len(values) == 0:
        raise InvalidInput(f"no {what}: the rate is undefined")
    return float(np.mean(values))


def uplift_at_k(
    y_true: Any, uplift: Any, treatment: Any, *, strategy: Strategy = "overall", k: float = 0.3
) -> float:
    """Response rate of the treated minus that of the control group in the top ``k``.

    ``k`` is a share in (0, 1) or a count in [1, n).  ``strategy="overall"`` takes
    the top ``k`` of the whole list, then both groups inside it;
    ``"by_group"`` takes the top ``k`` of each group separately.

    >>> import numpy as np
    >>> y, t = np.array([1, 0, 1, 0, 0, 1]), np.array([1, 0, 1, 0, 1, 0])
    >>> round(uplift_at_k(y, [6, 5, 4, 3, 2, 1], t, strategy="by_group", k=2), 4)
    1.0
    """
    y, _, t, order = _inputs(y_true, uplift, treatment)
    both_arms(t)
    one_of(strategy, "strategy", options=("overall", "by_group"))
    n = len(y)
    if isinstance(k, bool) or not isinstance(k, int | float | np.integer | np.floating):
        raise InvalidInput(f"k must be a share in (0, 1) or a count, got {k!r}")
    is_count = isinstance(k, int | np.integer)
    if (is_count and not 0 < k < n) or (not is_count and not 0 < k < 1):
        raise InvalidInput(
            f"k={k} must be a share in (0, 1) or a count between 1 and {n - 1} (n = {n})"
        )
    ys, ts = y[order], t[order]
    if strategy == "overall":
        size = int(k) if is_count else int(n * k)
        top_y, top_t = ys[:size], ts[:size]
        treated = _mean(top_y[top_t == 1], f"treated customers among the top {size}")
        control = _mean(top_y[top_t == 0], f"control customers among the top {size}")
        return treated - control
    n_ctrl, n_trmnt = int((t == 0).sum()), int((t == 1).sum())
    take_ctrl = int(k) if is_count else int(n_ctrl * k)
    take_trmnt = int(k) if is_count else int(n_trmnt * k)
    if take_ctrl > n_ctrl or take_trmnt > n_trmnt:
        raise InvalidInput(
            f"k={k} asks for more than a group holds ({n_trmnt} treated, {n_ctrl} control)"
        )
    treated = _mean(ys[ts == 1][:take_trmnt], "treated customers in the top k of their group")
    control = _mean(ys[ts == 0][:take_ctrl], "control customers in the top k of their group")
    return treated - control


@attrs.frozen(slots=True, eq=False)
class UpliftByPercentile(Tabular):
    """Per bin of the ranked list: group sizes, response rates, uplift and their spreads.

    The columns of scikit-uplift's ``uplift_by_percentile`` table; ``to_frame()``
    gives it as a DataFrame indexed by ``percentile`` (with a ``total`` row when
    asked).
    """

    percentile: tuple[str, ...]
    n_treatment: npt.NDArray[np.int64]
    n_control: npt.NDArray[np.int64]
    response_rate_treatment: F64
    response_rate_control: F64
    uplift: F64
    std_treatment: F64
    std_control: F64
    std_uplift: F64

    def _columns(self) -> dict[str, Any]:
        return {
            "percentile": list(self.percentile), "n_treatment": self.n_treatment,
            "n_control": self.n_control, "response_rate_treatment": self.response_rate_treatment,
            "response_rate_control": self.response_rate_control, "uplift": self.uplift,
        }  # fmt: skip

    def to_frame(self, *, std: bool = False) -> Any:  # type: ignore[override]
        """A ``pandas.DataFrame`` in scikit-uplift's layout (pandas must be installed)."""
        std = flag(std, "std")
        columns: dict[str, Any] = {
            "percentile": list(self.percentile),
            "n_treatment": self.n_treatment.astype(np.int32),
            "n_control": self.n_control.astype(np.int32),
            "response_rate_treatment": self.response_rate_treatment,
            "response_rate_control": self.response_rate_control,
            "uplift": self.uplift,
        }
        if std:
            columns.update(std_treatment=self.std_treatment, std_control=self.std_control,
                           std_uplift=self.std_uplift)  # fmt: skip
        return frame_from_columns(columns).set_index("percentile")

    def __str__(self) -> str:
        lines = [
            f"{'percentile':>10} {'treated':>8} {'control':>8} {'rate t':>8} {'rate c':>8} {'uplift':>8}"
        ]
        for i, label in enumerate(self.percentile):
            lines.append(
                f"{label:>10} {self.n_treatment[i]:>8,} {self.n_control[i]:>8,} "
                f"{self.response_rate_treatment[i]:>8.2%} {self.response_rate_control[i]:>8.2%} "
                f"{self.uplift[i] * 100:>+7.2f}pp"
            )
        return "\n".join(lines)


def _by_bin(y: Any, t: Any, order: Any, group: int, strategy: str, bins: int) -> tuple[Any, Any]:
    ys, ts = y[order], t[order]
    if strategy == "overall":
        parts = zip(np.array_split(ys, bins), np.array_split(ts, bins), strict=True)
        chosen = [part_y[part_t == group] for part_y, part_t in parts]
    else:
        chosen = np.array_split(ys[ts == group], bins)
    sizes = np.array([len(c) for c in chosen], dtype=np.int64)
    if (sizes == 0).any():
        i = int(np.argmax(sizes == 0))
        which = "treated" if group == 1 else "control"
        raise InvalidInput(f"bin {i + 1} of {bins} has no {which} customers; use fewer bins")
    rates = np.array([c.mean() for c in chosen], dtype=np.float64)
    return sizes, rates


def uplift_by_percentile(
    y_true: Any,
    uplift: Any,
    treatment: Any,
    *,
    strategy: Strategy = "overall",
    bins: int = 10,
    total: bool = False,
) -> UpliftByPercentile:
    """Uplift in each of ``bins`` equal slices of the list ranked by ``uplift``.

    With ``total=True`` a last row, ``"total"``, gives the whole list.

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> t = rng.integers(0, 2, 2_000)
    >>> y = (rng.random(2_000) < 0.1 + 0.1 * t).astype(int)
    >>> table = uplift_by_percentile(y, rng.random(2_000), t, bins=4)
    >>> table.percentile, table.n_treatment.sum() + table.n_control.sum()
    (('0-25', '25-50', '50-75', '75-100'), np.int64(2000))
    """
    y, _, t, order = _inputs(y_true, uplift, treatment)
    one_of(strategy, "strategy", options=("overall", "by_group"))
    bins = integer(bins, "bins", minimum=1)
    flag(total, "total")
    if bins >= len(y):
        raise InvalidInput(f"bins = {bins} must be smaller than the number of customers {len(y)}")
    n_t, rate_t = _by_bin(y, t, order, 1, strategy, bins)
    n_c, rate_c = _by_bin(y, t, order, 0, strategy, bins)
    edges = [round(p * 100 / bins) for p in range(1, bins + 1)]
    labels = [f"0-{edges[0]}"] + [f"{edges[i]}-{edges[i + 1]}" for i in range(bins - 1)]
    var_t, var_c = rate_t * (1 - rate_t) / n_t, rate_c * (1 - rate_c) / n_c
    std_t, std_c, std_u = np.sqrt(var_t), np.sqrt(var_c), np.sqrt(var_t + var_c)
    if total:
        all_t, all_rt = _by_bin(y, t, order, 1, strategy, 1)
        all_c, all_rc = _by_bin(y, t, order, 0, strategy, 1)
        n_t, n_c = np.r_[n_t, all_t], np.r_[n_c, all_c]
        rate_t, rate_c = np.r_[rate_t, all_rt], np.r_[rate_c, all_rc]
        std_t, std_c, std_u = (np.r_[s, s.sum()] for s in (std_t, std_c, std_u))
        labels.append("total")
    return UpliftByPercentile(
        tuple(labels), n_t, n_c, rate_t, rate_c, rate_t - rate_c, std_t, std_c, std_u
    )


@attrs.frozen(slots=True, eq=False)
class CellUplift(Tabular):
    """Response rates of the treated and the control group per segment cell.

    ``cells`` are the distinct cell labels (sorted); ``uplift`` each cell's
    treated minus control rate with its interval and p-value; ``score`` the
    cell's uplift for every input row, a ranking for :func:`uplift_at_k` and
    :func:`qini_curve` that needs no model.
    """

    cells: npt.NDArray[Any]
    treated: tuple[Rate, ...]
    control: tuple[Rate, ...]
    uplift: tuple[Uplift | None, ...]
    score: F64

    def _columns(self) -> dict[str, Any]:
        """One row per cell: counts, rates and uplift in percentage points."""
        return {
            "cell": self.cells,
            "treated": [r.denominator for r in self.treated],
            "treated_responses": [r.numerator for r in self.treated],
            "control": [r.denominator for r in self.control],
            "control_responses": [r.numerator for r in self.control],
            "uplift_pp": [u.pp if u else np.nan for u in self.uplift],
            "p_value": [u.p_value if u else np.nan for u in self.uplift],
        }  # fmt: skip


def uplift_by_cell(y_true: Any, treatment: Any, cell: Any) -> CellUplift:
    """The observed uplift of each segment cell (tier x plan band, say): the simplest
    uplift estimate, with intervals, and no machine-learning dependency.

    A cell without treated or control customers has no uplift (``None``) and
    scores 0.

    >>> cells = ["gold", "gold", "gold", "gold", "vip", "vip", "vip", "vip"]
    >>> u = uplift_by_cell([1, 1, 0, 0, 1, 0, 1, 0], [1, 1, 0, 0, 1, 1, 0, 0], cells)
    >>> u.cells.tolist(), [round(x.pp, 1) for x in u.uplift], u.score.tolist()[:2]
    (['gold', 'vip'], [100.0, 0.0], [1.0, 1.0])
    """
    y, t = _binary(y_true, "y_true"), _binary(treatment, "treatment")
    labels = label_values(cell, "cell")
    same_length(y_true=y, treatment=t, cell=labels)
    cells, inverse = factorise(labels)
    k = len(cells)
    n_t = np.bincount(inverse, weights=t, minlength=k).astype(np.int64)
    n_c = np.bincount(inverse, weights=1 - t, minlength=k).astype(np.int64)
    r_t = np.bincount(inverse, weights=y * t, minlength=k).astype(np.int64)
    r_c = np.bincount(inverse, weights=y * (1 - t), minlength=k).astype(np.int64)
    treated = tuple(Rate(int(a), int(b)) for a, b in zip(r_t, n_t, strict=True))
    control = tuple(Rate(int(a), int(b)) for a, b in zip(r_c, n_c, strict=True))
    uplifts = tuple(
        compare(a, b) if a.denominator and b.denominator else None
        for a, b in zip(treated, control, strict=True)
    )
    per_cell = np.array([u.difference if u else 0.0 for u in uplifts], dtype=np.float64)
    return CellUplift(cells, treated, control, uplifts, per_cell[inverse])
