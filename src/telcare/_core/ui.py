"""The words of the text renderings (the five reports, the three name lists, the call
lists, the demo) in each language, from the one catalogue the reasons use
(:mod:`telcare._core.catalogue`): each surface asks for its labels under a context of
its own (``ui_report``, ``ui_list``, ``ui_demo``, ...), the English label being the
msgid, so a label without a translation falls back to the English.

Chinese characters take two columns of a terminal: the tables align by
:func:`width`, not by ``len``.

>>> _ = words("zh_CN", "ui_level")
>>> _("manager"), words("en", "ui_level")("manager")
('经理', 'manager')
>>> width("金卡"), rjust("金卡", 6), ljust("gold", 6) + "|"
(4, '  金卡', 'gold  |')
>>> print("\\n".join(grid([["tier", "n"], ["金卡", "12"], ["vip", "3"]], [False, True])))
tier   n
金卡  12
vip    3
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from telcare._core.catalogue import language, translation
from telcare._core.display import shown

__all__ = [
    "columns_text",
    "cut",
    "grid",
    "join",
    "ljust",
    "rjust",
    "width",
    "words",
]


def words(lang: str, context: str) -> Callable[[str], str]:
    """A gettext ``_`` for one surface: each English label (the msgid) in ``lang``."""
    if language(lang) == "en":
        return str
    found = translation(lang)
    return lambda msgid: found.pgettext(context, msgid)


def join(lang: str, parts: Sequence[str], *, semicolon: bool = False) -> str:
    """``parts`` joined as the language punctuates a list (``, `` or ``，``).

    >>> join("zh_CN", ["a", "b"]), join("en", ["a", "b"], semicolon=True)
    ('a，b', 'a; b')
    """
    if lang == "zh_CN":
        return ("；" if semicolon else "，").join(parts)
    return ("; " if semicolon else ", ").join(parts)


def width(text: str) -> int:
    """The columns ``text`` takes in a terminal (wide and full-width characters two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def ljust(text: str, n: int) -> str:
    """``text`` padded on the right to ``n`` columns."""
    return text + " " * max(0, n - width(text))


def rjust(text: str, n: int) -> str:
    """``text`` padded on the left to ``n`` columns."""
    return " " * max(0, n - width(text)) + text


def cut(cell: str, n: int = 24) -> str:
    """One line of at most ``n`` columns (``...`` where it was cut).

    >>> cut("a" * 30), cut("维系" * 20, 10)
    ('aaaaaaaaaaaaaaaaaaaaa...', '维系维...')
    """
    cell = cell.replace("\n", " ")
    if width(cell) <= n:
        return cell
    out = ""
    for c in cell:
        if width(out + c) > n - 3:
            break
        out += c
    return out + "..."


def grid(rows: Sequence[Sequence[str]], right: Sequence[bool], indent: str = "") -> list[str]:
    """Rows of cells as aligned lines (two spaces between columns; ``right`` per column)."""
    columns = len(right)
    widths = [max((width(r[j]) for r in rows), default=0) for j in range(columns)]
    return [
        (indent + "  ".join(rjust(c, w) if r else ljust(c, w)
                            for c, w, r in zip(row, widths, right, strict=True))).rstrip()
        for row in rows
    ]  # fmt: skip


def columns_text(
    title: str,
    columns: Mapping[str, Any],
    units: Mapping[str, str],
    *,
    lang: str,
    cells: Mapping[str, Callable[[Any], str]] | None = None,
    shown_rows: int = 10,
) -> str:
    """Columns as a text table in ``lang``: ``title: N rows``, a header and the first
    ``shown_rows`` rows, numbers right-aligned, long cells cut at 24 columns.  The title
    and the column names are msgids (contexts ``ui_list`` and ``ui_column``); ``cells``
    renders a column's values itself (a vocabulary), a flag is 是/否 in Chinese.

    >>> print(columns_text("CallList", {"agent": ["li"], "score": [0.5]}, {}, lang="zh_CN"))
    外呼清单：共1行
      坐席  得分
      li     0.5
    """
    lang = language(lang)
    say, column = words(lang, "ui_list"), words(lang, "ui_column")
    arrays = {k: np.asarray(v) for k, v in columns.items()}
    n = len(next(iter(arrays.values()))) if arrays else 0
    k = min(n, shown_rows)
    own = dict(cells or {})
    rendered = [[column(name) for name in arrays]]
    for i in range(k):
        row = []
        for name, v in arrays.items():
            value = v[i].item() if hasattr(v[i], "item") else v[i]
            if name in own:
                row.append(cut(own[name](value)))
            elif isinstance(value, bool | np.bool_) and lang != "en":
                row.append(say("yes") if value else say("no"))
            else:
                row.append(cut(str(shown(value, units.get(name)))))
        rendered.append(row)
    more = say(", the first {k} shown").format(k=k) if n > k else ""
    lines = [say("{title}: {n:,} rows{more}").format(title=say(title), n=n, more=more)]
    if arrays:
        lines += grid(rendered, [v.dtype.kind in "iuf" for v in arrays.values()], "  ")
    return "\n".join(lines)
