"""How decisions and reports show themselves: dicts, pandas frames, HTML tables, text.

pandas is optional: ``to_frame()`` imports it when called and says how to get
it when it is missing; nothing else in telcare needs it.
"""

from __future__ import annotations

import enum
import html
import importlib
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

import attrs
import numpy as np

from telcare._core.column_checks import column, is_missing
from telcare._core.errors import InvalidInput
from telcare._core.money import format_yuan
from telcare._core.reasons import Reason, language

__all__ = [
    "Displayable",
    "Explained",
    "Tabular",
    "frame_from_columns",
    "id_column",
    "plain",
    "shown",
    "summary_html",
    "summary_text",
    "table_text",
]


def plain(value: Any, *, lang: str = "en", texts: bool = False) -> Any:
    """``value`` as JSON-ready Python: enums by value, dates as ISO text, arrays as lists,
    numpy scalars as Python ones, a NaN as ``None`` (strict JSON has no NaN), a
    :class:`~telcare._core.reasons.Reason` as its code, parameters and text in ``lang``
    (only its text with ``texts=True``, as a table cell wants it).

    >>> plain([np.int64(3), float("nan"), date(2010, 11, 30), np.array(["2010-12-01"], "M8[D]")])
    [3, None, '2010-11-30', ['2010-12-01']]
    """
    if isinstance(value, Reason):
        return value.text(lang) if texts else value.to_dict(lang=lang)
    if isinstance(value, float):
        return None if value != value else value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "biu":
            return value.tolist()
        return plain(value.tolist(), lang=lang, texts=texts)  # dates, NaN, objects: each made plain
    if isinstance(value, np.generic):
        return plain(value.item())
    if isinstance(value, Mapping):  # dicts and FrozenDicts
        return {str(plain(k)): plain(v, lang=lang, texts=texts) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        items = sorted(value, key=str) if isinstance(value, frozenset | set) else value
        return [plain(v, lang=lang, texts=texts) for v in items]
    if attrs.has(type(value)):
        return {f.name: plain(getattr(value, f.name), lang=lang, texts=texts)
                for f in attrs.fields(type(value))}  # fmt: skip
    return value


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError:  # pragma: no cover - exercised only without pandas
        raise ImportError("to_frame() needs pandas: pip install pandas") from None


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | tuple) and value and all(isinstance(v, str) for v in value):
        return "<br>".join(html.escape(v) for v in value)
    if attrs.has(type(value)):  # a nested value without a text of its own: its fields
        return html.escape(_text(value))
    return html.escape(str(value))


def shown(value: Any, unit: str | None = None) -> Any:
    """A field as a reader sees it: money in yuan (``unit="fen"``), shares as
    percentages (``unit="share"``), rates and other results by their text,
    floats to four significant figures, enums by value, dates as ISO text.

    >>> shown(12_345, "fen"), shown(0.0206, "share"), shown(1 / 3)
    ('¥123.45', '2.06%', '0.3333')
    """
    if value is None:
        return "-"
    if unit == "fen" and isinstance(value, int | np.integer) and not isinstance(value, bool):
        return format_yuan(int(value))
    if unit == "share" and isinstance(value, float | int | np.floating):
        return f"{float(value):.2%}"
    if unit == "pp" and isinstance(value, float | int | np.floating):
        return f"{float(value) * 100:+.2f} pp"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float | np.floating):
        return f"{float(value):.4g}"
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return f"{int(value):,}"
    if (
        isinstance(value, tuple | list)
        and value
        and all(isinstance(v, float | int | np.number) and not isinstance(v, bool) for v in value)
    ):
        return "(" + ", ".join(str(shown(v, unit)) for v in value) + ")"
    if attrs.has(type(value)) and "__str__" in {
        k for c in type(value).__mro__[:-1] if c not in _MIXINS for k in vars(c)
    }:
        return str(value)
    return value


class Displayable:
    """Mixin for attrs values: ``to_dict`` (machine values), ``to_frame`` and a
    Jupyter table of the values as a reader wants them (``_units`` names the
    fields in fen, or shares shown as percentages)."""

    __slots__ = ()
    _units: ClassVar[dict[str, str]] = {}

    def to_dict(self) -> dict[str, Any]:
        """Every field as JSON-ready Python values."""
        out: dict[str, Any] = plain(self)
        return out

    def to_frame(self) -> Any:
        """A one-row ``pandas.DataFrame`` (pandas must be installed)."""
        return _pandas().DataFrame([self._row()])

    def _row(self) -> dict[str, Any]:
        """The value as one row of a frame."""
        return self.to_dict()

    def _repr_html_(self) -> str:
        rows = [(f.name, shown(getattr(self, f.name), self._units.get(f.name)))
                for f in attrs.fields(type(self))]  # type: ignore[arg-type]  # fmt: skip
        return summary_html(type(self).__name__, rows)

    def __str__(self) -> str:
        rows = [(f.name, shown(getattr(self, f.name), self._units.get(f.name)))
                for f in attrs.fields(type(self))]  # type: ignore[arg-type]  # fmt: skip
        return summary_text(type(self).__name__, rows)


class Explained(Displayable):
    """Mixin for decisions with :class:`~telcare._core.reasons.Reason` fields:
    ``to_dict(lang=...)`` carries each reason as ``{"code", "params", "text"}`` with the
    text in that language; a frame's cell holds the reasons' texts (``to_frame(lang=...)``).
    """

    __slots__ = ()

    def to_dict(self, *, lang: str = "en") -> dict[str, Any]:
        """Every field as JSON-ready Python values; each reason as its code, its
        parameters and its text in ``lang`` (``"en"`` or ``"zh_CN"``)."""
        out: dict[str, Any] = plain(self, lang=language(lang))
        return out

    def to_frame(self, *, lang: str = "en") -> Any:
        """A one-row ``pandas.DataFrame`` (pandas must be installed), the reasons as
        their texts in ``lang``."""
        return _pandas().DataFrame([self._row(lang)])

    def _row(self, lang: str = "en") -> dict[str, Any]:
        out: dict[str, Any] = plain(self, lang=language(lang), texts=True)
        return out


class Tabular:
    """Mixin for results that are columns (one row per customer, group or step):
    ``to_dict()`` as lists of machine values, ``to_frame(index=None)`` and a Jupyter
    table of the first rows, from the class's ``_columns()``."""

    __slots__ = ()
    _units: ClassVar[dict[str, str]] = {}
    _shown_rows: ClassVar[int] = 20

    def _columns(self) -> dict[str, Any]:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def to_dict(self) -> dict[str, list[Any]]:
        """Each column as a list of JSON-ready values."""
        return {name: plain(np.asarray(values)) for name, values in self._columns().items()}

    def to_frame(self, index: Any = None) -> Any:
        """A ``pandas.DataFrame`` with one row per entry (pandas must be installed),
        on ``index`` when given."""
        return frame_from_columns(self._columns(), index)

    def _repr_html_(self) -> str:
        columns = {k: np.asarray(v) for k, v in self._columns().items()}
        n = len(next(iter(columns.values()))) if columns else 0
        shown_n = min(n, self._shown_rows)
        head = "".join(f"<th>{html.escape(k)}</th>" for k in columns)
        body = "".join(
            "<tr>" + "".join(
                f"<td style='text-align:{'right' if v.dtype.kind in 'iuf' else 'left'}'>"
                f"{html.escape(str(shown(v[i].item() if hasattr(v[i], 'item') else v[i], self._units.get(k))))}</td>"
                for k, v in columns.items()) + "</tr>"
            for i in range(shown_n)
        )  # fmt: skip
        more = f", the first {shown_n} shown" if n > shown_n else ""
        caption = html.escape(f"{type(self).__name__}: {n:,} rows{more}")
        return f"<table><caption>{caption}</caption><tr>{head}</tr>{body}</table>"

    def __str__(self) -> str:
        return table_text(type(self).__name__, self._columns(), self._units)


_MIXINS = (Displayable, Tabular)


def frame_from_columns(columns: dict[str, Any], index: Any = None, ids: Any = None) -> Any:
    """A ``pandas.DataFrame`` from equal-length columns (pandas must be installed),
    on ``index`` when given (the index of the frame the columns came from, so a
    join lines up), with the customers' ``ids`` as a first column ``id`` when given.

    >>> frame_from_columns({"tier": ["gold", "vip"]}, ids=["c1", "c2"]).values.tolist()
    [['c1', 'gold'], ['c2', 'vip']]
    """
    pd = _pandas()
    if ids is not None:
        rows = len(next(iter(columns.values()))) if columns else 0
        columns = {"id": id_column(ids, rows), **columns}
    frame = pd.DataFrame(columns)
    if index is not None:
        frame.index = _index(pd, index, len(frame))
    return frame


def id_column(ids: Any, rows: int) -> Any:
    """``ids`` checked as one id per row (``rows`` of them); a missing id (``None``,
    NaN, pandas ``NA``, ``NaT``) is refused with its position, never written as ``'nan'``.

    >>> id_column(["c1", None], 2)
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: ids is missing at index 1 (got None); give every row an id
    >>> id_column(["c1", float("nan")], 2)
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: ids is missing at index 1 (got nan); give every row an id
    >>> id_column(["c1", "nan"], 2).tolist()  # the text 'nan' is an id like any other
    ['c1', 'nan']
    """
    out = column(ids, "ids")
    if out.dtype.kind in "US" and isinstance(ids, list | tuple):
        # numpy writes a float NaN among texts as the text 'nan': look at those rows as
        # they were given, so a NaN is refused and a real id 'nan' stays
        gaps = out == ("nan" if out.dtype.kind == "U" else b"nan")
        gaps[gaps] = [is_missing(ids[i]) for i in np.flatnonzero(gaps).tolist()]
    elif out.dtype.kind in "fMm":
        gaps = np.isnat(out) if out.dtype.kind in "Mm" else np.isnan(out)
    elif out.dtype.kind == "O":
        gaps = np.fromiter((is_missing(v) for v in out.tolist()), bool, len(out))
    else:
        gaps = np.zeros(len(out), bool)
    if gaps.any():
        i = int(np.argmax(gaps))
        held = ids if isinstance(ids, list | tuple) else getattr(ids, "tolist", out.tolist)()
        got = held[i] if len(held) == len(out) else out[i].item()  # NA as pandas holds it
        raise InvalidInput(f"ids is missing at index {i} (got {got!r}); give every row an id")
    if len(out) != rows:
        raise InvalidInput(f"ids must have one id per row ({rows:,} rows), got {len(out):,}")
    return out


def _index(pd: Any, index: Any, rows: int) -> Any:
    """``index`` as a pandas ``Index`` of ``rows`` entries, or ``InvalidInput`` naming it."""
    sequence = (
        list,
        tuple,
        range,
        np.ndarray,
        pd.Index,
        pd.Series,
        pd.api.extensions.ExtensionArray,
    )
    if not isinstance(index, sequence):
        raise InvalidInput(
            f"index must be a sequence of {rows} labels (the input frame's index), "
            f"got {type(index).__name__} {str(index)[:60]}"
        )
    try:
        out = index if isinstance(index, pd.Index) else pd.Index(index)
    except (TypeError, ValueError, NotImplementedError) as exc:  # 2-d, float16, ...
        raise InvalidInput(f"index cannot label the rows: {exc}") from None
    if len(out) != rows:
        raise InvalidInput(f"index has {len(out)} entries for {rows} rows")
    return out


def summary_html(title: str, rows: Iterable[tuple[str, Any]]) -> str:
    """A two-column HTML table for Jupyter."""
    body = "".join(
        f"<tr><th style='text-align:left'>{html.escape(str(k))}</th><td style='text-align:left'>{_cell(v)}</td></tr>"
        for k, v in rows
    )
    return f"<table><caption>{html.escape(title)}</caption>{body}</table>"


def _text(value: Any) -> str:
    """One value of a text summary: lists of text one per line, arrays and long
    sequences summarised (count and first values), nested values by their fields."""
    if isinstance(value, float | np.floating):
        return f"{float(value):.4g}"
    if isinstance(value, np.ndarray):
        value = value.tolist() if value.ndim == 1 else f"{' x '.join(map(str, value.shape))} values"
    if isinstance(value, list | tuple) and value and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    if isinstance(value, list | tuple | frozenset | set):
        items = [str(shown(v)) for v in value]
        more = f" ... ({len(items):,} in all)" if len(items) > 5 else ""
        return ", ".join(items[:5]) + more if items else "-"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_text(v)}" for k, v in value.items()) or "-"
    if attrs.has(type(value)):  # a nested value without a text of its own: its fields
        return ", ".join(f"{f.name} {_text(shown(getattr(value, f.name)))}"
                         for f in attrs.fields(type(value)))  # fmt: skip
    return str(shown(value))


def summary_text(title: str, rows: Iterable[tuple[str, Any]]) -> str:
    """The plain-text twin of :func:`summary_html`: the title, then one aligned
    ``name  value`` line per row (a value of several lines continues under itself).

    >>> print(summary_text("Example", [("customers", 1_000), ("reasons", ("a", "b"))]))
    Example
      customers  1,000
      reasons    a
                 b
    """
    pairs = [(str(k), _text(v).split("\n")) for k, v in rows]
    width = max((len(k) for k, _ in pairs), default=0)
    lines = [title]
    for key, (first, *more) in pairs:
        lines.append(f"  {key.ljust(width)}  {first}".rstrip())
        lines += [f"  {' ' * width}  {line}" for line in more]
    return "\n".join(lines)


def table_text(
    title: str,
    columns: dict[str, Any],
    units: dict[str, str],
    shown_rows: int = 10,
    head: str | None = None,
) -> str:
    """Columns as a plain-text table: ``title: N rows``, a header and the first
    ``shown_rows`` rows (``head`` replaces that first line), numbers right-aligned,
    long cells cut at 24 characters.

    >>> print(table_text("Calls", {"agent": ["li", "wang"], "spend": [12_345, 800]}, {"spend": "fen"}))
    Calls: 2 rows
      agent    spend
      li     ¥123.45
      wang     ¥8.00
    """
    arrays = {k: np.asarray(v) for k, v in columns.items()}
    n = len(next(iter(arrays.values()))) if arrays else 0
    k = min(n, shown_rows)
    cells = {name: [_cut(str(shown(v[i].item() if hasattr(v[i], "item") else v[i], units.get(name))))
                    for i in range(k)] for name, v in arrays.items()}  # fmt: skip
    widths = {name: max([len(name), *map(len, c)]) for name, c in cells.items()}
    right = {name: arrays[name].dtype.kind in "iuf" for name in arrays}

    def line(values: dict[str, str]) -> str:
        return "  " + "  ".join(v.rjust(widths[c]) if right[c] else v.ljust(widths[c])
                                for c, v in values.items()).rstrip()  # fmt: skip

    more = f", the first {k} shown" if n > k else ""
    lines = [head or f"{title}: {n:,} rows{more}"]
    if arrays:
        lines.append(line({c: c for c in arrays}))
        lines += [line({c: cells[c][i] for c in arrays}) for i in range(k)]
    return "\n".join(lines)


def _cut(cell: str, width: int = 24) -> str:
    cell = cell.replace("\n", " ")
    return cell if len(cell) <= width else cell[: width - 3] + "..."
