"""The benchmark harness: cases, timing, memory, and the printed table.

A :class:`Case` builds data for a size ``n`` once, then times telcare's call
and a hand-written baseline on that same data, after checking that both give
the same answer: a fast wrong answer is not a result.  Time is the best of
``repeat`` runs (the least disturbed by the rest of the machine); peak extra
memory is measured in a separate run under ``tracemalloc``, which numpy
reports its buffers to, and is shown as a multiple of the input columns.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Whether each timing and memory run starts with a full garbage collection (it does
#: when benchmarking).  The test suite's smoke runs check answers, not times, in a
#: process holding thousands of tests' objects, where one collection takes a second:
#: they turn it off (tests/test_benchmarks.py).
COLLECT = True


def settle() -> None:
    """A full collection before a timed or traced run, so that no earlier garbage is
    collected inside it (see :data:`COLLECT`)."""
    if COLLECT:
        gc.collect()


@dataclass(frozen=True)
class Case:
    """One benchmark: what to build, what to run, and what to compare with."""

    name: str
    n: int
    setup: Callable[[int, np.random.Generator], Any]
    telcare: Callable[[Any], Any]
    baseline: Callable[[Any], Any] | None = None
    check: Callable[[Any, Any], None] | None = None
    unit: str = "call"
    per_item: bool = False
    smoke_n: int = 1_000
    notes: str = ""
    goal: float | None = None  # the ratio telcare / baseline the issue asks for


@dataclass
class Result:
    name: str
    n: int
    telcare_s: float
    baseline_s: float | None
    input_bytes: int
    peak_bytes: int
    per_item: bool
    goal: float | None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline_s is None or self.baseline_s == 0:
            return None
        return self.telcare_s / self.baseline_s


def nbytes(data: Any) -> int:
    if isinstance(data, np.ndarray):
        return int(data.nbytes)
    if isinstance(data, dict):
        return sum(nbytes(v) for v in data.values())
    if isinstance(data, list | tuple):
        return sum(nbytes(v) for v in data)
    return 0


def best_of(fn: Callable[[Any], Any], data: Any, repeat: int) -> tuple[float, Any]:
    best = float("inf")
    out: Any = None
    for _ in range(repeat):
        settle()
        start = time.perf_counter()
        out = fn(data)
        best = min(best, time.perf_counter() - start)
    return best, out


def peak_extra(fn: Callable[[Any], Any], data: Any) -> int:
    settle()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        fn(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return max(0, peak - before)


def default_check(got: Any, expected: Any) -> None:
    np.testing.assert_array_equal(np.asarray(got), np.asarray(expected))


def run_case(case: Case, *, n: int, repeat: int, seed: int = 20101130) -> Result:
    rng = np.random.default_rng(seed)
    data = case.setup(n, rng)
    baseline_s = None
    if case.baseline is not None:
        expected = case.baseline(data)
        got = case.telcare(data)
        (case.check or default_check)(got, expected)
        baseline_s, _ = best_of(case.baseline, data, repeat)
    telcare_s, _ = best_of(case.telcare, data, repeat)
    peak = peak_extra(case.telcare, data)
    return Result(case.name, n, telcare_s, baseline_s, nbytes(data), peak, case.per_item, case.goal)


def _fmt_seconds(s: float) -> str:
    if s < 1e-6:
        return f"{s * 1e9:9.1f}ns"
    if s < 1e-3:
        return f"{s * 1e6:9.1f}us"
    if s < 1:
        return f"{s * 1e3:9.2f}ms"
    return f"{s:9.3f}s "


def render(results: Sequence[Result]) -> str:
    header = f"{'case':<42} {'n':>11} {'telcare':>11} {'baseline':>11} {'ratio':>6} {'goal':>5} {'peak MB':>8} {'xinput':>6}  per item"
    lines = [header, "-" * len(header)]
    for r in results:
        ratio = f"{r.ratio:6.2f}" if r.ratio is not None else "     -"
        goal = f"{r.goal:5.1f}" if r.goal is not None else "    -"
        base = _fmt_seconds(r.baseline_s) if r.baseline_s is not None else "          -"
        mult = f"{r.peak_bytes / r.input_bytes:6.2f}" if r.input_bytes else "     -"
        per = _fmt_seconds(r.telcare_s / r.n).strip() if r.per_item else ""
        lines.append(
            f"{r.name:<42} {r.n:>11,} {_fmt_seconds(r.telcare_s)} {base} {ratio} {goal} "
            f"{r.peak_bytes / 2**20:8.1f} {mult}  {per}"
        )
    return "\n".join(lines)
