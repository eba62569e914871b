"""The five reports of the weekly operation (seed 001's "5个专项通报"), as rows of
one registry.

Each report is a table for one week or month with a row per manager, per team
and for the whole programme (:class:`~telcare.Report`), built from the rules' own
results: an :class:`~telcare.ActionLog` of the base's actions, a month-by-month
activity matrix, the credit scan's warning colours.  Customers are attributed to
managers by a :class:`~telcare.ManagerBook`; customers without a manager (or a
manager without a team) have a row of their own, ``(none)``, so the manager rows
and the team rows each add up to the programme row.

=============================  ========  ====================================================
report                         period    figures
=============================  ========  ====================================================
``retention_indicators``       week      retention actions opened, handled, on time, retained,
                                         lost, open and overdue; customers at risk
``callback_report``            week      new-subscriber callbacks due: completion, success,
                                         timeliness, authenticity, policy compliance
``retention_service``          month     month-on-month retention against the same month a
                                         year before (pp); the last three months pooled
``execution_report``           any       every action due: done on time, late, still open,
                                         overdue; open at the end
``credit_bulletin``            any       accounts at each warning level, suspended, newly
                                         suspended, recovered
=============================  ========  ====================================================

:data:`REPORTS` holds them as :class:`ReportSpec` rows of one shape: the name,
the kind of period it is built for when none is given, the inputs it reads from
an operation and the function that builds it.  ``python -m telcare report``, the
demo's headlines and :meth:`ReportRegistry.build` all dispatch through it, and
``REPORTS.with_report(spec)`` gives a registry with a report of your own
(docs/extending.md).

>>> import telcare as tc
>>> spec = tc.REPORTS["execution_report"]
>>> spec.period, spec.inputs
('week', ('log', 'book'))
>>> book = tc.manager_book(["a", "b", "c"], ["li", "li", "wang"], team=["north", "north", "south"])
>>> log = tc.action_log([0, 1, 2], ["first_bill"] * 3, ["2010-11-29"] * 3, ["2010-12-02"] * 3,
...                     closed_on=["2010-12-01", "2010-12-04", None])
>>> r = tc.REPORTS.build("execution_report", {"log": log, "book": book, "week": "2010-W48"})
>>> r.count("due"), r.count("on_time"), r.count("late"), r.count("overdue")
(3, 1, 1, 1)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from telcare._core.checks import code, field, instance, items, one_of
from telcare._core.display import Displayable, Tabular, summary_html
from telcare._core.errors import InvalidInput
from telcare.operations._log_reports import callback_report, execution_report, retention_indicators
from telcare.operations._report import Report
from telcare.operations._retention import RETENTION_MOMENTS
from telcare.operations._state_reports import credit_bulletin, retention_service

__all__ = [
    "REPORTS",
    "RETENTION_MOMENTS",
    "Report",
    "ReportRegistry",
    "ReportSpec",
    "callback_report",
    "credit_bulletin",
    "execution_report",
    "retention_indicators",
    "retention_service",
]

_MISSING = object()


def _kind(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    # a str first: ``in`` on an array asks for its truth value
    one_of(value if isinstance(value, str) else repr(value), "ReportSpec.period",
           options=("week", "month"))  # fmt: skip


def _names(value: Any) -> Any:
    if isinstance(value, str):
        return (value,)
    return tuple(value) if isinstance(value, list | tuple) else value


def _identifiers(_: object, attribute: attrs.Attribute[tuple[str, ...]], value: Any) -> None:
    value = instance(
        value, tuple, f"ReportSpec.{attribute.name} must be a tuple of names, got {{got}}"
    )
    bad = [name for name in value if not (isinstance(name, str) and name.isidentifier())]
    if bad:
        raise InvalidInput(f"ReportSpec.{attribute.name} must name inputs, got {bad!r}")


def _callable(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not callable(value):
        raise InvalidInput(f"ReportSpec.build must be callable, got {type(value).__name__}")


def _function_name(build: Callable[..., Any]) -> str:
    return str(getattr(build, "__qualname__", type(build).__name__))


@attrs.frozen(slots=True)
class ReportSpec(Displayable):
    """One report as a row of a :class:`ReportRegistry`.

    ``name`` is how ``python -m telcare report NAME`` knows it; ``period`` the
    kind of period (``"week"`` or ``"month"``) it is built for when none is given
    (the function decides whether it takes the other kind too); ``inputs`` the
    values it reads from an operation, passed to ``build`` in order before the
    period, and ``keywords`` those passed by name after it.  The operation is
    any object with those attributes, or a mapping with those keys, such as the
    synthetic year ``python -m telcare report`` builds (``book``, ``log``,
    ``active``, ``months``, ``colour``, ``suspended``, ``previous_colour``,
    ``previous_suspended``, ``week`` and ``month``).

    A spec is called like its function: ``REPORTS["callback_report"](log, book, week)``.

    >>> import telcare as tc
    >>> tc.ReportSpec("weekly", "year", ("log",), tc.execution_report)
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: ReportSpec.period must be one of ('week', 'month'), got 'year'
    """

    name: str = attrs.field(validator=field(code))
    period: str = attrs.field(validator=_kind)
    inputs: tuple[str, ...] = attrs.field(converter=_names, validator=_identifiers)
    build: Callable[..., Report] = attrs.field(validator=_callable)
    keywords: tuple[str, ...] = attrs.field(default=(), converter=_names, validator=_identifiers)

    def __attrs_post_init__(self) -> None:
        named = [*self.inputs, *self.keywords]
        repeated = sorted({n for n in named if named.count(n) > 1})
        if repeated:
            raise InvalidInput(
                f"ReportSpec {self.name!r} names {repeated} more than once among its inputs and keywords"
            )

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON-ready values (the build function by its name)."""
        return {"name": self.name, "period": self.period, "inputs": list(self.inputs),
                "keywords": list(self.keywords), "build": _function_name(self.build)}  # fmt: skip

    def _repr_html_(self) -> str:
        return summary_html("ReportSpec", [(k, str(v)) for k, v in self.to_dict().items()])

    def __call__(self, *args: Any, **kwargs: Any) -> Report:
        """The report from its inputs given directly, as its function takes them."""
        return self.build(*args, **kwargs)

    def run(self, operation: Any, period: Any = None) -> Report:
        """The report of ``period`` (by default the operation's ``week`` or ``month``,
        as :attr:`period` says), each input read from ``operation``."""
        when = self._read(operation, self.period, "; give period= ") if period is None else period
        report = self.build(
            *(self._read(operation, name) for name in self.inputs),
            when,
            **{name: self._read(operation, name) for name in self.keywords},
        )
        return instance(report, Report, f"report {self.name!r} built a {{got}}, not a Report")

    def _read(self, operation: Any, name: str, hint: str = "") -> Any:
        if isinstance(operation, Mapping):
            value = operation.get(name, _MISSING)
        else:
            value = getattr(operation, name, _MISSING)
        if value is _MISSING:
            raise InvalidInput(
                f"report {self.name!r} reads {name!r}, which the operation "
                f"({type(operation).__name__}) does not have{hint}"
            )
        return value


def _specs(value: Iterable[ReportSpec]) -> tuple[ReportSpec, ...]:
    try:
        return tuple(items(value, "reports", of=ReportSpec))
    except InvalidInput as exc:  # named as the field is, which is what a caller passed
        raise InvalidInput(f"ReportRegistry.specs: {exc}") from None


@attrs.frozen(slots=True)
class ReportRegistry(Tabular, Mapping[str, ReportSpec]):
    """An immutable, ordered collection of reports by name; ``with_report`` gives a larger one.

    It reads as a mapping of names to :class:`ReportSpec` rows: ``name in
    REPORTS``, ``list(REPORTS)`` (the names, in order), ``REPORTS[name]``; and it
    shows itself as a table of its rows (``to_frame()``, Jupyter).

    >>> import telcare as tc
    >>> "callback_report" in tc.REPORTS, len(tc.REPORTS)
    (True, 5)
    >>> tc.REPORTS["weekly"]
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: unknown report 'weekly'; reports: retention_indicators, callback_report, retention_service, execution_report, credit_bulletin
    """

    specs: tuple[ReportSpec, ...] = attrs.field(converter=_specs)

    def __attrs_post_init__(self) -> None:
        names = [s.name for s in self.specs]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise InvalidInput(f"report names must be unique, {repeated} repeat")

    def _columns(self) -> dict[str, Any]:
        """One row per report: name, period kind, inputs, keywords and build function."""
        return {
            "name": [s.name for s in self.specs],
            "period": [s.period for s in self.specs],
            "inputs": [", ".join(s.inputs) for s in self.specs],
            "keywords": [", ".join(s.keywords) for s in self.specs],
            "build": [_function_name(s.build) for s in self.specs],
        }

    def __iter__(self) -> Iterator[str]:
        return iter([s.name for s in self.specs])

    def __len__(self) -> int:
        return len(self.specs)

    def __contains__(self, name: object) -> bool:
        return self._find(name) is not None

    def __getitem__(self, name: str) -> ReportSpec:
        spec = self._find(name)
        if spec is not None:
            return spec
        raise InvalidInput(f"unknown report {name!r}; reports: {', '.join(self)}")

    def get(self, name: str, default: Any = None) -> Any:
        """The spec of ``name``, or ``default`` when there is none."""
        spec = self._find(name)
        return default if spec is None else spec

    def _find(self, name: object) -> ReportSpec | None:
        if type(name) is not str:  # numpy strings, arrays and NA name no report
            return None
        for spec in self.specs:
            if spec.name == name:
                return spec
        return None

    def with_report(self, spec: ReportSpec) -> ReportRegistry:
        """A registry with ``spec`` added after the others (its name must be new)."""
        spec = instance(spec, ReportSpec, "with_report() needs a ReportSpec, got {got}")
        if spec.name in self:
            raise InvalidInput(f"there is a report {spec.name!r} already; name yours otherwise")
        return ReportRegistry((*self.specs, spec))

    def build(self, name: str, operation: Any, period: Any = None) -> Report:
        """Report ``name`` of ``operation`` for ``period`` (see :meth:`ReportSpec.run`)."""
        return self[name].run(operation, period)


#: The five reports, as ``python -m telcare report NAME`` and the demo know them.
REPORTS = ReportRegistry((
    ReportSpec("retention_indicators", "week", ("log", "book"), retention_indicators),
    ReportSpec("callback_report", "week", ("log", "book"), callback_report),
    ReportSpec("retention_service", "month", ("active", "months", "book"), retention_service),
    ReportSpec("execution_report", "week", ("log", "book"), execution_report),
    ReportSpec("credit_bulletin", "week", ("colour", "suspended", "book"), credit_bulletin,
               keywords=("previous_colour", "previous_suspended")),
))  # fmt: skip
