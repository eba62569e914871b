"""The time each step of ``telcare run`` took, for ``--verbose``.

:class:`StepTimer` is the run's progress callback: each step it is told of ends the
one before, and :meth:`StepTimer.table` gives the wall and CPU seconds of each (CPU
counts every thread, DuckDB's too, so on a busy machine it is the steadier figure)
and the process's peak memory.

>>> timer = StepTimer()
>>> timer("reading the extract")
>>> timer.table().splitlines()[0].split()
['step', 'wall', 's', 'cpu', 's']
>>> timer.table("zh_CN").splitlines()[0].split()
['步骤', '耗时秒', 'CPU秒']
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from telcare._core.catalogue import language
from telcare._core.ui import ljust, rjust, words

__all__ = ["StepTimer", "peak_rss_mib"]


def peak_rss_mib() -> float | None:
    """The process's peak resident memory in MiB (None where the system does not say)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (2**20 if sys.platform == "darwin" else 2**10)


class StepTimer:
    """A progress callback that times the steps (and passes them on to ``then``)."""

    def __init__(self, then: Callable[[str], None] | None = None) -> None:
        self._then = then
        self._marks: list[tuple[str, float, float]] = [
            ("checking the store", time.perf_counter(), time.process_time())
        ]

    def __call__(self, step: str) -> None:
        self._marks.append((step, time.perf_counter(), time.process_time()))
        if self._then is not None:
            self._then(step)

    def steps(self) -> list[tuple[str, float, float]]:
        """(step, wall seconds, CPU seconds) of each step, up to now."""
        ends = [*self._marks[1:], ("", time.perf_counter(), time.process_time())]
        return [
            (s, w2 - w1, c2 - c1)
            for (s, w1, c1), (_, w2, c2) in zip(self._marks, ends, strict=True)
        ]

    def table(self, lang: str = "en") -> str:
        """The steps as a table, with the total and the peak memory, in ``lang``."""
        say = words(language(lang), "ui_run")
        rows = self.steps()
        lines = [f"{ljust(say('step'), 44)} {rjust(say('wall s'), 8)} {rjust(say('cpu s'), 8)}"]
        lines += [f"{ljust(say(s), 44)} {w:8.2f} {c:8.2f}" for s, w, c in rows]
        wall, cpu = sum(r[1] for r in rows), sum(r[2] for r in rows)
        lines.append(f"{ljust(say('total'), 44)} {wall:8.2f} {cpu:8.2f}")
        peak = peak_rss_mib()
        if peak is not None:
            lines.append(say("peak memory {mib:,.0f} MiB").format(mib=peak))
        return "\n".join(lines)
