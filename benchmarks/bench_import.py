"""What ``import telcare`` costs beyond its dependencies, each in a fresh interpreter.

The baseline imports numpy, attrs and pydantic and touches ``pydantic.BaseModel``
(pydantic loads its model machinery on first use, and any pydantic user pays
that).  Each row then adds one step: ``import telcare`` alone, the first rule
(``from telcare import evaluate_tier``: the policy, its compiled tables, the
tiers), and every public name.  Bytecode is written and read as in an installed
package (a first run warms the cache).  The goal (issue 27): ``import telcare``
at most 0.1 s beyond the dependencies.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

DEPENDENCIES = "import numpy, attrs, pydantic; pydantic.BaseModel"
STEPS = (
    ("import telcare", "import telcare"),
    ("the first rule (evaluate_tier)", "from telcare import evaluate_tier"),
    ("every public name", "import telcare as tc; [getattr(tc, n) for n in tc.__all__]"),
)
GOAL_S = 0.1


def _seconds(code: str, repeat: int) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)  # warm the bytecode
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(repeat: int = 9) -> list[tuple[str, float, float]]:
    """(step, seconds beyond the dependencies, ratio to the dependencies alone)."""
    base = _seconds(DEPENDENCIES, repeat)
    rows = [("numpy + attrs + pydantic (baseline)", base, 1.0)]
    for label, code in STEPS:
        total = _seconds(f"{DEPENDENCIES}; {code}", repeat)
        rows.append((label, total - base, total / base))
    return rows


def render(rows: list[tuple[str, float, float]]) -> str:
    lines = ["| what is imported | seconds (beyond the baseline) | ratio to the baseline |",
             "| --- | ---: | ---: |"]  # fmt: skip
    for label, seconds, ratio in rows:
        lines.append(f"| {label} | {seconds:.3f} | {ratio:.2f}x |")
    own = rows[1][1]
    verdict = "met" if own <= GOAL_S else "NOT met"
    lines.append(
        f"\n`import telcare`: {own:.3f} s beyond its dependencies (goal <= {GOAL_S} s: {verdict})"
    )
    return "\n".join(lines)
