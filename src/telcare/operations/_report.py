"""The value every report is: counts and rates for one period, a row per manager,
per team and for the programme, and the same report for the period before.

A report renders as text (``str``), Markdown, HTML (Jupyter) and a frame, and
:meth:`Report.to_dict` gives machine values.  Every rate is a
:class:`~telcare.Rate` with its counts and 95% Wilson interval, and shows its
change against the previous period in percentage points.

>>> import numpy as np
>>> r = Report("demo", "Demo", Period.parse("2010-11"), ("manager", "programme"), ("li", "programme"),
...            {"done": np.array([1, 1]), "due": np.array([2, 2])}, {"done": ("done", "due")})
>>> r.headline()
'Demo 2010-11: done 50.0%'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

import telcare.operations._report_text as _text
from telcare._core.checks import field, instance, int_column, mapping, one_of, text
from telcare._core.dates import Period
from telcare._core.display import frame_from_columns
from telcare._core.errors import InvalidInput
from telcare.metrics import Rate
from telcare.operations._labels import no_bools

__all__ = ["I64", "Report"]

I64 = npt.NDArray[np.int64]


def _row_labels(value: Any) -> Any:
    """A list of row labels as a tuple (anything else is left to the check)."""
    return tuple(value) if isinstance(value, list) else value


def _labels(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    name = f"Report.{attribute.name}"
    instance(value, tuple, name + " must be a tuple of row labels, got {got} {value!r}")
    for i, v in enumerate(value):
        text(v, f"{name}[{i}]")


def _counts(value: Any) -> dict[str, I64]:
    """Each count column as checked ``int64`` (a NaN or a bool would show as a count)."""
    given = mapping(value, "Report.counts must be a mapping of names to columns, got {got}")
    return {
        text(k, "Report.counts key"): int_column(v, f"Report.counts[{k!r}]")
        for k, v in given.items()
    }


def _pairs(value: Any, what: str) -> dict[str, tuple[str, str]]:
    """A mapping of names to pairs of names (a rate's counts, a change's rates), checked."""
    given = mapping(value, f"Report.{what} must be a mapping of names to pairs, got {{got}}")
    out = {}
    for k, pair in given.items():
        key = text(k, f"Report.{what} key")
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise InvalidInput(f"Report.{what}[{key!r}] must be a pair of names, got {pair!r}")
        out[key] = (text(pair[0], f"Report.{what}[{key!r}][0]"),
                    text(pair[1], f"Report.{what}[{key!r}][1]"))  # fmt: skip
    return out


def _rates(value: Any) -> dict[str, tuple[str, str]]:
    return _pairs(value, "rates")


def _changes(value: Any) -> dict[str, tuple[str, str]]:
    return _pairs(value, "changes")


def _of(value: Any, attribute: attrs.Attribute[Any], kind: type, *, alone: str = "") -> object:
    return instance(
        value, kind, f"Report.{attribute.name} must be a {kind.__name__}{alone}, got {{got}}"
    )


@attrs.frozen(slots=True, eq=False)
class Report:
    """One report for one period: counts and rates per group (see the module).

    ``levels`` and ``groups`` name each row (``"manager"``, ``"team"`` or
    ``"programme"``, and the label); ``counts`` holds a column per figure;
    ``rates`` names each rate's numerator and denominator columns;
    ``changes`` names pairs of rates reported as a difference in percentage
    points (this month against the same month a year before); ``previous`` is
    the same report for the period before (``None`` inside it).
    """

    name: str = attrs.field(validator=field(text))
    title: str = attrs.field(validator=field(text))
    period: Period = attrs.field(validator=lambda _, a, v: _of(v, a, Period))
    levels: tuple[str, ...] = attrs.field(converter=_row_labels, validator=_labels)
    groups: tuple[str, ...] = attrs.field(converter=_row_labels, validator=_labels)
    counts: Mapping[str, I64] = attrs.field(converter=_counts)
    rates: Mapping[str, tuple[str, str]] = attrs.field(converter=_rates)
    changes: Mapping[str, tuple[str, str]] = attrs.field(factory=dict, converter=_changes)
    previous: Report | None = attrs.field(
        default=None, validator=lambda _, a, v: v is None or _of(v, a, Report, alone=" or None")
    )
    #: Each group's rows as (level, position), and the levels once each: a lookup of a
    #: row is one dict access, not a scan of every row (a report of 4,000 managers
    #: looked up each of its rows' rates by scanning them all: 31 s at 10^7 customers).
    _where: dict[str, list[tuple[str, int]]] = attrs.field(init=False, repr=False)
    _level_names: tuple[str, ...] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        rows = list(zip(self.levels, self.groups, strict=False))
        where: dict[str, list[tuple[str, int]]] = {}
        for i, (lv, g) in enumerate(rows):
            where.setdefault(g, []).append((lv, i))
        object.__setattr__(self, "_where", where)
        object.__setattr__(self, "_level_names", tuple(dict.fromkeys(self.levels)))
        if len(self.levels) != len(self.groups) or len(set(rows)) != len(rows):
            twice = sorted({r for r in rows if rows.count(r) > 1})
            raise InvalidInput(
                f"report {self.name!r} needs one row per (level, group): "
                + (
                    f"{twice} repeat"
                    if twice
                    else f"{len(self.levels)} levels for {len(self.groups)} groups"
                )
            )
        self._check_names()

    def _check_names(self) -> None:
        """Every count column has a row per group; rates name counts, changes rates."""
        for name, values in self.counts.items():
            if len(values) != len(self.groups):
                raise InvalidInput(
                    f"Report.counts[{name!r}] has {len(values)} rows for {len(self.groups)} groups"
                )
        for what, pairs, among, known in (("rates", self.rates, "counts", self.counts),
                                          ("changes", self.changes, "rates", self.rates)):  # fmt: skip
            unknown = sorted({n for pair in pairs.values() for n in pair if n not in known})
            if unknown:
                raise InvalidInput(
                    f"Report.{what} name {unknown}, which Report.{among} does not have"
                    f" (it has {sorted(known)})"
                )

    def _index(self, group: str | None, level: str | None) -> int:
        """The row of ``group`` at ``level``: no group is the programme; a group that
        names rows at two levels (a manager called like a team, or ``"programme"``)
        needs its level, rather than answering with whichever row comes first."""
        if level is not None:
            one_of(level if isinstance(level, str) else repr(level), "level",
                   options=self._level_names)  # fmt: skip
        if group is None:
            if level not in (None, "programme"):
                raise InvalidInput(f"{self.name}: give the group of level {level!r}")
            group, level = "programme", "programme"
        else:
            instance(group, str, "a group is a str, got {got} {value!r}")
        found = [i for lv, i in self._where.get(group, ()) if level is None or lv == level]
        if len(found) == 1:
            return found[0]
        if found:
            at = sorted({self.levels[i] for i in found})
            raise InvalidInput(
                f"{self.name} has a group {group!r} at the levels {at}; give level= one of them"
            )
        raise InvalidInput(
            f"{self.name} has no group {group!r}"
            + (f" at level {level!r}" if level else "")
            + f"; groups: {sorted(set(self.groups))}"
        )

    def count(self, name: str, group: str | None = None, *, level: str | None = None) -> int:
        """The count ``name`` of ``group`` (the programme by default); ``level``
        (``"manager"``, ``"team"``, ``"programme"``) picks the row of a group named at
        more than one level.

        >>> import telcare as tc
        >>> book = tc.manager_book(["a", "b"], ["programme", "li"])
        >>> r = tc.credit_bulletin([3, 0], [False, False], book, "2010-11")
        >>> r.count("accounts"), r.count("accounts", "programme", level="manager")
        (2, 1)
        """
        if not isinstance(name, str) or name not in self.counts:
            raise InvalidInput(f"{self.name} has no count {name!r}; counts: {list(self.counts)}")
        return int(self.counts[name][self._index(group, level)])

    def rate(self, name: str, group: str | None = None, *, level: str | None = None) -> Rate:
        """The rate ``name`` of ``group`` as a :class:`~telcare.Rate`."""
        if not isinstance(name, str) or name not in self.rates:
            raise InvalidInput(f"{self.name} has no rate {name!r}; rates: {list(self.rates)}")
        num, den = self.rates[name]
        i = self._index(group, level)
        return Rate(int(self.counts[num][i]), int(self.counts[den][i]))

    def change(self, name: str, group: str | None = None, *, level: str | None = None) -> float:
        """A named change in percentage points (NaN where either rate is empty)."""
        if not isinstance(name, str) or name not in self.changes:
            raise InvalidInput(f"{self.name} has no change {name!r}; changes: {list(self.changes)}")
        a, b = self.changes[name]
        return _pp(self.rate(a, group, level=level), self.rate(b, group, level=level))

    def vs_previous(
        self, name: str, group: str | None = None, *, level: str | None = None
    ) -> float:
        """Rate ``name`` minus the previous period's, in percentage points (NaN where unknown)."""
        now = self.rate(name, group, level=level)  # an unknown rate or group is refused
        if self.previous is None:
            return math.nan
        try:
            before = self.previous.rate(name, group, level=level)
        except InvalidInput:  # the period before has no such rate or row
            return math.nan
        return _pp(now, before)

    def only(self, rows: Any) -> Report:
        """The report restricted to the row positions ``rows`` (its previous report too).

        >>> import telcare as tc
        >>> r = tc.credit_bulletin([3], [True], tc.manager_book(["a"], ["li"]), "2010-11")
        >>> r.only([r.levels.index("programme")]).groups
        ('programme',)
        """
        keep = int_column(no_bools(rows, "rows"), "rows", maximum=len(self.groups) - 1)
        if len(np.unique(keep)) != len(keep):
            raise InvalidInput(f"rows must name each row once, got {keep.tolist()!r}")
        return Report(
            self.name, self.title, self.period, tuple(self.levels[i] for i in keep),
            tuple(self.groups[i] for i in keep), {k: v[keep] for k, v in self.counts.items()},
            self.rates, self.changes, None if self.previous is None else self.previous.only(keep),
        )  # fmt: skip

    def headline(self, *, lang: str = "en") -> str:
        """The programme's line: each rate with its change against the previous period
        (a rate that is only the reference of a change is left to the change), in
        ``lang`` (``"en"`` or ``"zh_CN"``)."""
        return _text.headline(self, lang)

    def rows(self, level: str | None = None) -> list[dict[str, Any]]:
        """One dict of machine values per row (counts; rates as ``_pct`` with ``_ci_pct``
        pairs and ``_vs_previous_pp``; changes as ``_pp``)."""
        if level is not None:
            one_of(level if isinstance(level, str) else repr(level), "level",
                   options=self._level_names)  # fmt: skip
        out = []
        for i, (lv, g) in enumerate(zip(self.levels, self.groups, strict=True)):
            if level is not None and lv != level:
                continue
            row: dict[str, Any] = {"level": lv, "group": g}
            row.update({name: int(col[i]) for name, col in self.counts.items()})
            now, before = self._row_rates(g, lv)
            for name in self.rates:
                r = now[name]
                low, high = r.ci()
                row[f"{name}_pct"] = _round(r.percent)
                row[f"{name}_ci_pct"] = [_round(low * 100), _round(high * 100)]
                was = before.get(name)
                row[f"{name}_vs_previous_pp"] = _round(math.nan if was is None else _pp(r, was))
            for name, (a, b) in self.changes.items():
                row[f"{name}_pp"] = _round(_pp(now[a], now[b]))
            out.append(row)
        return out

    def _row_rates(self, group: str, level: str) -> tuple[dict[str, Rate], dict[str, Rate]]:
        """Each rate of the row (``group``, ``level``) and the previous report's where it
        has one: :meth:`rate` and :meth:`vs_previous`'s, each made once per row."""
        i = self._index(group, level)
        now = {n: Rate(int(self.counts[a][i]), int(self.counts[b][i])) for n, (a, b) in self.rates.items()}  # fmt: skip
        before: dict[str, Rate] = {}
        if self.previous is not None:
            for name in self.rates:
                try:
                    before[name] = self.previous.rate(name, group, level=level)
                except InvalidInput:  # the period before has no such rate or row
                    continue
        return now, before

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready values: name, period and :meth:`rows`."""
        return {
            "name": self.name, "title": self.title,
            "period": {"label": self.period.label, "start": self.period.start.isoformat(),
                       "end": self.period.end.isoformat()},
            "previous": None if self.previous is None else self.previous.period.label,
            "rows": self.rows(),
        }  # fmt: skip

    def to_frame(self) -> Any:
        """One row per group (pandas must be installed); intervals as ``_low_pct``/``_high_pct``."""
        rows = self.rows()
        columns: dict[str, list[Any]] = {}
        for row in rows:
            for key, value in row.items():
                if key.endswith("_ci_pct"):
                    stem = key[: -len("_ci_pct")]
                    columns.setdefault(f"{stem}_low_pct", []).append(value[0])
                    columns.setdefault(f"{stem}_high_pct", []).append(value[1])
                else:
                    columns.setdefault(key, []).append(value)
        return frame_from_columns(columns)

    def to_text(self, *, lang: str = "en") -> str:
        """The report as a text table under its caption, in ``lang`` (``"en"`` or
        ``"zh_CN"``); ``str(report)`` is the English."""
        return _text.text(self, lang)

    def __str__(self) -> str:
        return _text.text(self)

    def to_markdown(self, *, lang: str = "en") -> str:
        """The report as a Markdown table under its caption, in ``lang``."""
        return _text.markdown(self, lang)

    def to_html(self, *, lang: str = "en") -> str:
        """The report as an HTML table, in ``lang`` (Jupyter shows the English)."""
        return _text.html(self, lang)

    def _repr_html_(self) -> str:
        return _text.html(self)


def _round(x: float) -> float | None:
    return None if math.isnan(x) else round(x, 4)


def _pp(a: Rate, b: Rate) -> float:
    if a.denominator == 0 or b.denominator == 0:
        return math.nan
    return (a.value - b.value) * 100
