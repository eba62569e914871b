"""Shared test set-up: Hypothesis profiles.

``ci`` (the default under CI=true) is derandomized so a run is reproducible;
``dev`` is the default elsewhere; ``nightly`` runs many more examples:
``pytest --hypothesis-profile=nightly``; ``mutation`` is for mutmut, which runs
the tests once per mutant: derandomized (a verdict must not depend on luck) and
with fewer examples and no shrinking (``HYPOTHESIS_PROFILE=mutation mutmut run``).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

settings.register_profile(
    "ci",
    max_examples=150,
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
settings.register_profile(
    "nightly", max_examples=5_000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
