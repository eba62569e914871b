"""Rates for many groups at once: by agent, by segment, by campaign.

>>> g = rates_by_group([0, 0, 1, 1, 1], [1, 0, 1, 1, 0])
>>> g.numerator.tolist(), g.denominator.tolist(), g.value.round(3).tolist()
([1, 2], [2, 3], [0.5, 0.667])
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from telcare._core.checks import bool_column, column, int_column, integer, same_length
from telcare._core.display import frame_from_columns, summary_html, summary_text
from telcare._core.errors import InvalidInput
from telcare._core.label_checks import label
from telcare.metrics._intervals import wilson
from telcare.metrics._labels import factorise, label_values
from telcare.metrics._rates import Rate, z_value

#: The most group codes ``n_groups`` may ask for (one counter each).
MAX_GROUPS = 10**8

__all__ = ["GroupRates", "rates_by_group", "rates_from_counts", "wilson_interval"]


def wilson_interval(
    successes: npt.NDArray[np.int64], trials: npt.NDArray[np.int64], level: float = 0.95
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Wilson score intervals for whole columns (empty groups get (0, 1)).

    >>> low, high = wilson_interval(np.array([0, 5]), np.array([0, 10]))
    >>> low.round(3).tolist(), high.round(3).tolist()
    ([0.0, 0.237], [1.0, 0.763])
    """
    z = z_value(level)
    empty = trials == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        low, high = wilson(successes, trials.astype(np.float64), z)
    return np.where(empty, 0.0, low), np.where(empty, 1.0, high)


@attrs.frozen(slots=True, eq=False)
class GroupRates:
    """One rate per group, aligned with ``keys``."""

    keys: npt.NDArray[Any]
    numerator: npt.NDArray[np.int64]
    denominator: npt.NDArray[np.int64]
    low: npt.NDArray[np.float64]
    high: npt.NDArray[np.float64]
    level: float

    @property
    def value(self) -> npt.NDArray[np.float64]:
        """The proportion of each group (NaN for an empty group)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            out: npt.NDArray[np.float64] = self.numerator / self.denominator
        return out

    def to_dict(self) -> dict[str, list[Any]]:
        """The columns as lists."""
        return {
            "group": self.keys.tolist(),
            "numerator": self.numerator.tolist(),
            "denominator": self.denominator.tolist(),
            "value": self.value.tolist(),
            "low": self.low.tolist(),
            "high": self.high.tolist(),
        }

    def to_frame(self) -> Any:
        """A ``pandas.DataFrame`` with one row per group (pandas must be installed)."""
        return frame_from_columns(self.to_dict())

    def _repr_html_(self) -> str:
        rows = [(str(k), str(self.rate(k))) for k in self.keys.tolist()[:50]]
        return summary_html(f"GroupRates ({len(self)} groups)", rows)

    def __str__(self) -> str:
        rows = [(str(k), str(self.rate(k))) for k in self.keys.tolist()[:20]]
        more = f", the first {len(rows)} shown" if len(self) > len(rows) else ""
        return summary_text(f"GroupRates ({len(self):,} groups{more})", rows)

    def rate(self, key: Any) -> Rate:
        """The :class:`Rate` of one group (its label: text, an integer or a finite number)."""
        hits = np.flatnonzero(self.keys == _key(key))
        if not len(hits):
            raise InvalidInput(f"no group {key!r}")
        i = int(hits[0])
        return Rate(int(self.numerator[i]), int(self.denominator[i]))

    def __len__(self) -> int:
        return len(self.keys)


def _key(key: Any) -> Any:
    """One group's label, checked before it meets ``==`` (pandas NA would answer with
    an error, an array with an array)."""
    if isinstance(key, float | np.floating) and math.isfinite(key):
        return float(key)
    return label(key, "key")


def _sum_by_group(
    codes: npt.NDArray[np.int64], values: npt.NDArray[np.int64], size: int, name: str
) -> npt.NDArray[np.int64]:
    """Exact integer sums per group (never through float64), refusing int64 overflow."""
    out = np.zeros(size, dtype=np.int64)
    if values.size and int(values.max()) * len(values) >= 2**63:
        exact = np.zeros(size, dtype=object)
        np.add.at(exact, codes, values.astype(object))
        big = [i for i, v in enumerate(exact.tolist()) if v >= 2**63]
        if big:
            raise InvalidInput(
                f"{name} of group {big[0]} sum to {exact[big[0]]}, beyond int64; split the input"
            )
        return exact.astype(np.int64)
    np.add.at(out, codes, values)
    return out


def rates_by_group(
    groups: Any,
    successes: Any,
    trials: Any = None,
    *,
    level: float = 0.95,
    n_groups: int | None = None,
) -> GroupRates:
    """Successes / trials per group, with Wilson intervals, from outcome columns.

    ``groups`` labels each row: non-negative integer codes (at most
    ``MAX_GROUPS - 1``) are counted with ``np.bincount`` directly (``keys`` are
    ``0..n_groups-1``, so empty groups show up); any other labels (text, or finite
    numbers) are factorised first, in sorted order.  ``successes`` holds 0/1
    outcomes (booleans, or the integers 0 and 1; 2 or 0.6 are refused), or counts
    when ``trials`` gives each row's trials.

    The keys keep the labels' type, whatever the column (a list, numpy, pandas,
    object or not, and the Dask form too): ``keys.tolist()`` holds Python ``int``
    for integer codes, ``str`` for text and ``float`` for other numbers.  A
    missing label (``None``, NaN, pandas ``NA``) is refused with its row, never
    counted as a group ``'nan'`` or dropped; so are booleans as groups.

    >>> g = rates_by_group(["a", "a", "b"], [1, 0, 1])
    >>> g.keys.tolist(), g.numerator.tolist(), g.denominator.tolist()
    (['a', 'b'], [1, 1], [2, 1])
    >>> rates_by_group(np.array([0, 2], dtype=np.int8), [True, False]).keys.tolist()
    [0, 1, 2]
    >>> rates_by_group(["a", float("nan")], [1, 0])
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: groups is missing at index 1 (got nan); give every row a label
    """
    z_value(level)
    labels = label_values(groups, "groups")
    if trials is None:
        # 0/1 outcomes stay narrow: no int64 copy, no column of ones.
        outcome = bool_column(successes, "successes")
        same_length(groups=labels, successes=outcome)
    else:
        wins = int_column(successes, "successes")
        tries = int_column(trials, "trials")
        same_length(groups=labels, successes=wins, trials=tries)
        _refuse_more_successes_than_trials(
            wins,
            tries,
            lambda i: f"successes {int(wins[i])} exceed trials {int(tries[i])} at index {i}",
        )
    keys, codes, size = _group_codes(labels, n_groups)
    if trials is None:
        num = np.bincount(codes[outcome], minlength=size)
        den = np.bincount(codes, minlength=size)
    else:
        num = _sum_by_group(codes, wins, size, "successes")
        den = _sum_by_group(codes, tries, size, "trials")
    return rates_from_counts(keys, num, den, level=level)


def _group_codes(
    labels: npt.NDArray[Any], n_groups: int | None
) -> tuple[npt.NDArray[Any], npt.NDArray[np.int64], int]:
    """(keys, each row's group code, number of groups): integer codes as they are,
    ``0..n_groups-1``; other labels (text, numbers) factorised in sorted order."""
    if labels.dtype.kind == "O" and not isinstance(labels[0], str):  # ints beyond int64
        raise InvalidInput(
            f"groups must be group codes from 0 to {MAX_GROUPS - 1}, got {max(labels.tolist())}"
        )
    if labels.dtype.kind in "iu":
        codes = int_column(labels, "groups", maximum=MAX_GROUPS - 1)
        size = int(codes.max()) + 1 if codes.size else 0
        if n_groups is not None:
            n_groups = integer(n_groups, "n_groups", maximum=MAX_GROUPS)
            if n_groups < size:
                raise InvalidInput(
                    f"n_groups={n_groups} is smaller than the largest group code + 1 ({size})"
                )
            size = n_groups
        keys: npt.NDArray[Any] = np.arange(size)
        return keys, codes, size
    if n_groups is not None:
        raise InvalidInput(
            f"n_groups={n_groups!r} counts integer group codes, and groups holds other labels"
        )
    keys, inverse = factorise(labels)
    return keys, inverse.astype(np.int64), len(keys)


def rates_from_counts(keys: Any, successes: Any, trials: Any, *, level: float = 0.95) -> GroupRates:
    """:class:`GroupRates` from counts already summed per group (what an engine's
    per-partition sums add up to), with the intervals computed once on the totals.

    >>> g = rates_from_counts(["a", "b"], [3, 0], [4, 0])
    >>> g.value.round(2).tolist()[0], g.low.round(3).tolist()
    (0.75, [0.301, 0.0])
    >>> rates_from_counts(["a"], [5], [4])
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: group 'a' has 5 successes out of 4 trials
    """
    z_value(level)
    labels = column(keys, "keys")
    num = int_column(successes, "successes")
    den = int_column(trials, "trials")
    same_length(keys=labels, successes=num, trials=den)
    _refuse_more_successes_than_trials(
        num,
        den,
        lambda i: (
            f"group {labels[i].item()!r} has {int(num[i])} successes out of {int(den[i])} trials"
        ),
    )
    low, high = wilson_interval(num, den, level)
    return GroupRates(labels, num, den, low, high, level)


def _refuse_more_successes_than_trials(
    successes: npt.NDArray[np.int64], trials: npt.NDArray[np.int64], where: Callable[[int], str]
) -> None:
    """A count of successes is part of its trials: refuse the first row over, as ``where`` says."""
    over = successes > trials
    if over.any():
        raise InvalidInput(where(int(np.argmax(over))))
