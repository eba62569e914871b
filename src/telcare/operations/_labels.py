"""How the weekly operation reads its labels and days: every id, manager, team,
moment, outcome and owner column through :func:`factorize`, every day through
:func:`one_day` or :func:`day_column`, both on the checks of
:mod:`telcare._core.label_checks`.

A missing label (``None``, NaN, pandas ``NA``, ``NaT``) is refused with its column
and row, never turned into a name such as ``'nan'``; where a column's docs promise
a "none" (a customer without a manager, an action without an outcome) it is the
code ``-1``, which no name can be.  An aware datetime is read as its day in the
policy's time zone, never its UTC day.

>>> names, codes = factorize(["wang", "li", "wang"], "manager")
>>> names, codes.tolist()
(('li', 'wang'), [1, 0, 1])
>>> factorize(["li", None], "manager")
Traceback (most recent call last):
...
telcare._core.errors.InvalidInput: manager is missing at index 1 (got None); give every row a label
>>> factorize(["li", None, ""], "manager", empty=True, missing=True)[1].tolist()
[0, -1, -1]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from telcare._core.catalogue import language
from telcare._core.column_checks import no_bools as no_bools
from telcare._core.day_checks import day_column as day_column, one_day as one_day
from telcare._core.display import Tabular
from telcare._core.label_checks import Codes as Codes, factorize as factorize
from telcare._core.ui import columns_text, words

__all__ = [
    "NONE",
    "Codes",
    "JsonColumns",
    "day_column",
    "factorize",
    "list_text",
    "no_bools",
    "one_day",
    "vocabulary",
]

#: The row label of the customers without a manager (or the managers without a
#: team); no manager or team may be called so.
NONE = "(none)"


#: Every operations result; ``to_dict()`` is strict JSON (the foundation's own rule).
JsonColumns = Tabular


def vocabulary(context: str, lang: str) -> Callable[[Any], str]:
    """A column's cells as the words of ``context`` in ``lang`` (an empty cell stays empty)."""
    say = words(lang, context)
    return lambda value: say(str(value)) if value != "" else ""


def list_text(
    value: Tabular,
    lang: str,
    columns: Mapping[str, Any],
    cells: Mapping[str, str] | None = None,
) -> str:
    """A name list as text in ``lang``: its ``columns`` (English names, the msgids) with
    the cells of each column of ``cells`` shown as the words of its context."""
    lang = language(lang)
    shown = {name: vocabulary(context, lang) for name, context in (cells or {}).items()}
    return columns_text(type(value).__name__, columns, value._units, lang=lang, cells=shown)
