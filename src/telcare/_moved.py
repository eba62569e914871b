"""Where telcare's earlier module paths went, and the import hook that keeps them
working for one release with a :class:`DeprecationWarning` naming the new home.

Two layouts came before this one: the flat modules of 0.1 (``telcare.tiers`` as
a module, ``telcare.ledger``, ...) and the technical layers of the second round
(``telcare.core``, ``telcare.rules``, ``telcare.app``, ``telcare.kit``, module
paths such as ``telcare.rules.tiers`` or ``telcare.metrics.rates``).  The public
surface is ``import telcare as tc`` and the domain packages (``telcare.tiers``,
``telcare.points``, ...); every old path still imports, warns once per import,
and answers with the module that now holds its names.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import warnings
from collections.abc import Sequence
from types import ModuleType

#: Old module (under ``telcare.``) -> the module that holds its names now.
MOVED: dict[str, str] = {
    # 0.1's flat modules whose names did not become a package of their own
    "errors": "_core.errors",
    "money": "_core.money",
    "dates": "_core.dates",
    "limits": "_core.limits",
    "catalogue": "policy._catalogue",
    "kernels": "_core.kernels",
    "segment": "tiers._segment",
    "ledger": "points._ledger",
    "credit": "benefits._credit",
    "verification": "benefits._verification",
    "events": "moments._events",
    "scan": "moments",
    "registry": "telcare",
    "rates": "metrics._rates",
    "groups": "metrics._groups",
    "staffing": "metrics._staffing",
    "campaigns": "metrics._campaigns",
    "partitioned": "engines.partitioned",
    "demo": "cli._demo",
    # the second round's layers
    "core": "",
    "core.checks": "_core.checks",
    "core.limits": "_core.limits",
    "core.display": "_core.display",
    "core.frozen": "_core.frozen",
    "core.text": "_core.text",
    "core.errors": "_core.errors",
    "core.money": "_core.money",
    "core.dates": "_core.dates",
    "rules": "",
    "rules.kernels": "_core.kernels",
    "rules.compiled": "compiled._tables",
    "rules.customers": "customers",
    "rules.tiers": "tiers._evaluate",
    "rules.segment": "tiers._segment",
    "rules.points": "points._accrual",
    "rules.postings": "points._postings",
    "rules.ledger": "points._ledger",
    "rules.benefits": "benefits._decide",
    "rules.credit": "benefits._credit",
    "rules.verification": "benefits._verification",
    "rules.contact": "contact._decision",
    "rules.events": "moments._events",
    "rules.actions": "moments",
    "rules.moments": "moments._catalogue",
    "rules.scan": "moments",
    "rules.sla": "moments._sla",
    "rules.registry": "telcare",
    "rules.table": "engines._rules",
    "rules.marketing": "marketing",  # split into modules one concept each
    "rules.calllists": "marketing._calllists",
    "rules.actionlog": "operations._actionlog",
    "rules.books": "operations._books",
    "rules.namelists": "operations._namelists",
    "rules.suspicious": "operations._suspicious",
    "rules.complaints": "operations._complaints",
    "rules.agents": "operations._agents",
    "rules.reports": "operations._reports",
    "rules.compare": "whatif._compare",
    **{
        f"metrics.{m}": f"metrics._{m}"
        for m in (
            "rates",
            "intervals",
            "groups",
            "campaigns",
            "experiments",
            "callbacks",
            "outbound",
            "staffing",
            "targeting",
            "value",
        )
    },
    **{
        f"policy.{m}": f"policy._{m}"
        for m in ("fields", "model", "offers", "catalogue", "document")
    },
    "policy.sections": "policy",  # split into _sections, _contact and _service
    "engines.frames": "frames",
    "engines.dask": "on_dask",
    "engines.spark": "on_spark",
    "kit": "",
    "kit.strategies": "strategies",
    "kit.plot": "plot",
    "app": "",
    "app.cli": "cli._main",
    "app.demo": "cli._demo",
    "app.marketing": "cli._marketing",
    "app.operations": "cli._operations",
    "app.report": "cli._report",
    "app.synthetic": "synthetic",
}

#: Old public function name -> its name under the naming rule (docs/contributing.md).
#: ``telcare.<old>`` still works for one release, with a DeprecationWarning.
RENAMED: dict[str, str] = {
    "suspensions": "check_suspensions",
}

#: Old modules named like a public function (``tc.staffing``, ``telcare.metrics.staffing``).
#: The import system binds a loaded submodule on its parent; ``telcare`` ignores the
#: binding for its public names, and ``telcare.metrics`` registers its old module as
#: already imported, so the function stays what the name means.
SHADOWED = ("staffing", "metrics.staffing")


def home(old: str) -> str:
    """Where to import an old module's names from now: its package's public face."""
    target = MOVED[old]
    if target in ("", "telcare") or target.startswith("_core"):
        return "telcare"
    return "telcare." + target.split(".")[0]


def _empty_package(name: str) -> ModuleType:
    module = ModuleType(name, f"{name} is gone: its modules moved to telcare's domain packages.")
    module.__path__ = []
    return module


class _Alias(importlib.abc.Loader):
    def __init__(self, fullname: str, target: str) -> None:
        self.fullname, self.target = fullname, target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        if not self.target:
            return _empty_package(self.fullname)
        return importlib.import_module(
            self.target if self.target == "telcare" else f"telcare.{self.target}"
        )

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
        warnings.warn(
            f"{fullname} moved: import its names from {home(name)} "
            f"(import telcare as tc). The old path goes in the next release.",
            DeprecationWarning,
            stacklevel=2,
        )
        return importlib.machinery.ModuleSpec(fullname, _Alias(fullname, MOVED[name]))


def install() -> None:
    """Put the hook first on ``sys.meta_path`` once.

    First, so that an old path is never found as a fresh copy of a new module by
    the ordinary path finder (``telcare.rules`` is a stand-in without files).
    """
    if not any(isinstance(finder, MovedModules) for finder in sys.meta_path):
        sys.meta_path.insert(0, MovedModules())
