"""Shared test set-up: Hypothesis profiles and the fuzz table's counts.

``ci`` (what the README's test command and .ci/run set, and the default under
CI=true) is derandomized so a run is reproducible, and draws as many examples as
``dev`` so that CI costs the same whether or not its machine sets CI;
``dev`` is the default elsewhere; ``nightly`` runs ten times as many examples as
``ci``, derandomized too (a fixed seed: a nightly failure reproduces):
``pytest --hypothesis-profile=nightly``; ``mutation`` is for mutmut, which runs
the tests once per mutant: derandomized (a verdict must not depend on luck) and
with fewer examples and no shrinking (``HYPOTHESIS_PROFILE=mutation mutmut run``);
``compat`` is the second interpreter's run in CI (.ci/highest-python): 10 examples,
derandomized, since that run asks whether the suite passes on 3.13, not for more
counterexamples.

``pytest tests/test_fuzz.py --fuzz-counts=FILE`` writes the examples each row of
the fuzz table ran, as JSON, and prints the totals (docs/testing.md).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings

CI_EXAMPLES = 60

settings.register_profile(
    "ci",
    max_examples=CI_EXAMPLES,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "mutation",
    max_examples=30,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a verdict needs no shrunk example
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(  # the second interpreter's run (.ci/highest-python): does it pass?
    "compat",
    max_examples=10,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "nightly",
    max_examples=10 * CI_EXAMPLES,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

_COUNTS: dict[str, int] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz-counts",
        metavar="FILE",
        default=None,
        help="write the examples run per row of the fuzz table (tests/test_fuzz.py) as JSON",
    )


@pytest.fixture
def fuzz_counts() -> dict[str, int]:
    """The examples run per fuzz row, filled by tests/test_fuzz.py."""
    return _COUNTS


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    path = config.getoption("--fuzz-counts")
    if path is None or not _COUNTS:
        return
    Path(path).write_text(json.dumps(dict(sorted(_COUNTS.items())), indent=1) + "\n")
    terminalreporter.write_line(
        f"fuzz table: {len(_COUNTS)} rows, {sum(_COUNTS.values())} examples "
        f"(min {min(_COUNTS.values())}, max {max(_COUNTS.values())} per row), written to {path}"
    )
