"""Where the modules of telcare 0.1's flat layout went, and the import hook that
keeps ``import telcare.tiers`` working for one release with a DeprecationWarning.

The public surface is ``import telcare as tc``; the submodules users import by
name are :mod:`telcare.strategies`, :mod:`telcare.plot`, :mod:`telcare.on_dask`
and :mod:`telcare.on_spark`, which did not move.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import warnings
from collections.abc import Sequence
from types import ModuleType

#: Old module (under ``telcare.``) -> where it lives now.
MOVED: dict[str, str] = {
    "errors": "core.errors",
    "money": "core.money",
    "dates": "core.dates",
    "limits": "core.limits",
    "compiled": "rules.compiled",
    "catalogue": "policy.catalogue",
    "kernels": "rules.kernels",
    "customers": "rules.customers",
    "tiers": "rules.tiers",
    "segment": "rules.segment",
    "points": "rules.points",
    "ledger": "rules.ledger",
    "benefits": "rules.benefits",
    "credit": "rules.credit",
    "verification": "rules.verification",
    "contact": "rules.contact",
    "events": "rules.events",
    "moments": "rules.moments",
    "scan": "rules.scan",
    "registry": "rules.registry",
    "rates": "metrics.rates",
    "groups": "metrics.groups",
    "staffing": "metrics.staffing",
    "campaigns": "metrics.campaigns",
    "partitioned": "engines.partitioned",
    "demo": "app.demo",
    "synthetic": "app.synthetic",
}


#: Old public function name -> its name under the naming rule (docs/contributing.md).
#: ``telcare.<old>`` still works for one release, with a DeprecationWarning.
RENAMED: dict[str, str] = {
    "suspensions": "check_suspensions",
}


class _Alias(importlib.abc.Loader):
    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(self.target)

    def exec_module(self, module: ModuleType) -> None:
        """The target module ran when it was imported."""


class MovedModules(importlib.abc.MetaPathFinder):
    """Answers ``import telcare.<old>`` with the module's new home, and warns."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        package, _, name = fullname.partition(".")
        if package != "telcare" or name not in MOVED:
            return None
        new = f"telcare.{MOVED[name]}"
        warnings.warn(
            f"{fullname} moved to {new}; import names from telcare itself "
            f"(import telcare as tc). The old path goes in the next release.",
            DeprecationWarning,
            stacklevel=2,
        )
        return importlib.machinery.ModuleSpec(fullname, _Alias(new))


#: Old modules named like a public function of ``telcare`` (``tc.staffing``).  The
#: import system would bind the module over the function when the hook loads it,
#: so these are registered as already imported instead, without a warning.
SHADOWED = ("staffing",)


def install() -> None:
    """Put the hook on ``sys.meta_path`` once, and register the shadowed modules."""
    for name in SHADOWED:
        sys.modules.setdefault(f"telcare.{name}", importlib.import_module(f"telcare.{MOVED[name]}"))
    if not any(isinstance(finder, MovedModules) for finder in sys.meta_path):
        sys.meta_path.append(MovedModules())
