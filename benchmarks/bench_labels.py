"""The label check on a base of text ids (issue #31): ``label_column`` and
``factorize`` on a million shuffled phone-number ids, ``holdout`` on them, and
``manager_book`` with 200 managers, each against the row-by-row check they replace.

The baselines are the checks as they were: every row through ``label()`` (what
``label_column`` did), a dict filled by a Python loop with every distinct value
checked (what ``factorize`` did), and holdout's hash alone, without any check (the
check's share of ``holdout``).  ``python -m benchmarks -k 'labels.*'`` runs them;
``--smoke`` at 1,000 ids.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

import telcare as tc
from benchmarks.harness import Case
from telcare._core.label_checks import factorize, label, label_column


def _ids(n: int, rng: np.random.Generator) -> dict[str, Any]:
    """``n`` distinct 11-digit ids in random order and a manager per customer (200)."""
    ids = [f"138{i:08d}" for i in rng.permutation(n).tolist()]
    names = [f"m{j:03d}" for j in range(200)]
    return {"ids": ids, "managers": [names[j] for j in rng.integers(0, 200, n).tolist()]}


def _rows_by_label(data: dict[str, Any]) -> list[Any]:
    return [label(v, f"ids[{i}]") for i, v in enumerate(data["ids"])]


def _factorize_by_row(data: dict[str, Any]) -> tuple[tuple[Any, ...], Any]:
    """The distinct ids by a Python loop per row, each checked by ``label()``."""
    rows = data["ids"]
    index: dict[Any, int] = {}
    codes = np.fromiter((index.setdefault(v, len(index)) for v in rows), np.int64, len(rows))
    names = sorted(label(k, "ids") for k in index)
    rank = {v: i for i, v in enumerate(names)}
    lookup = np.array([rank[k] for k in index], dtype=np.int64)
    return tuple(names), lookup[codes]


def _same_factorize(got: Any, expected: Any) -> None:
    assert got[0] == expected[0]
    np.testing.assert_array_equal(got[1], expected[1])


def _hash_only(data: dict[str, Any]) -> Any:
    sha = hashlib.sha256
    digests = b"".join([sha(b"s:" + t.encode()).digest()[:8] for t in data["ids"]])
    return np.frombuffer(digests, dtype=">u8") < np.uint64(int(0.1 * 2**64))


CASES = [
    Case(
        "labels.label_column (text ids)",
        1_000_000,
        _ids,
        lambda d: label_column(d["ids"], "ids"),
        _rows_by_label,
        per_item=True,
        notes="a plain column: one type set and one scan of the joined texts",
    ),
    Case(
        "labels.factorize (text ids)",
        1_000_000,
        _ids,
        lambda d: factorize(d["ids"], "ids", text=False),
        _factorize_by_row,
        check=_same_factorize,
        per_item=True,
        notes="distinct ids by a set, sorted once; the baseline loops per row",
    ),
    Case(
        "labels.holdout (text ids)",
        1_000_000,
        _ids,
        lambda d: tc.holdout(d["ids"], share=0.1, salt="s"),
        _hash_only,
        per_item=True,
        notes="the baseline is the hash alone: the ratio is the check's share",
    ),
    Case(
        "labels.manager_book (text ids, 200 managers)",
        1_000_000,
        _ids,
        lambda d: tc.manager_book(d["ids"], d["managers"]),
        per_item=True,
        notes="ids and managers through factorize",
    ),
]
