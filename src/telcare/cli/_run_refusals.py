"""The refusals of ``telcare run`` as codes: each has a stable code, its English template
(the catalogue's msgid, context ``ui_refusal``) and its parameters, and its text in each
language comes from the code, as a reason's does (docs/reasons.md, "The run's
refusals").  Nothing matches on the English sentence: a template reworded without its
catalogue entry fails the test that every code has both texts, where a pattern over
the sentence lost its translation without a sound.

A whole refusal is a :class:`RunRefused` (an ``InvalidInput``: ``except InvalidInput``
still catches it), made by :func:`refused`; a bad value of a file is a
:class:`~telcare.cli._extract.BadRow` whose ``why`` is a :class:`Why`, made by
:func:`why`, a ``str`` holding the English so that every reader of ``BadRow.why``
reads it as before.

>>> exc = refused("run.month.gap", month="2011-02", expected="2011-01", last="2010-12")
>>> str(exc)
'month 2011-02 leaves a gap: 2011-01 is not in the store yet (the last month run is 2010-12); nothing changed'
>>> exc.code, exc.text("zh_CN")
('run.month.gap', '月份2011-02不连续：2011-01尚未写入存储（最后运行的月份为2010-12）；未作任何更改')
>>> w = why("run.bad.not_whole", low="0", high="12")
>>> w, w.text("zh_CN")
('is not a whole number from 0 to 12', '不是0到12之间的整数')
>>> refused("run.month.gapp")
Traceback (most recent call last):
...
KeyError: "no run refusal 'run.month.gapp': REFUSALS lists every one"
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any

from telcare._core.catalogue import language
from telcare._core.errors import InvalidInput
from telcare._core.frozen import FrozenDict
from telcare._core.ui import words

__all__ = ["REFUSALS", "TABLES", "RunRefused", "Why", "read_why", "refused", "why"]

#: Every refusal of the run, by code: its English template, the msgid of its Chinese
#: text (context ``ui_refusal``).  ``run.bad.*`` explain one bad value of a file (the
#: ``why`` of a BadRow, after the value); the others are whole refusals.
REFUSALS: Mapping[str, str] = FrozenDict({
    # a bad value of the extract or of an optional file
    "run.bad.not_whole": "is not a whole number from {low} to {high}",
    "run.bad.not_date": "is not a date written YYYY-MM-DD from {low} to {high}",
    "run.bad.not_time": "is not a time written YYYY-MM-DDTHH:MM[:SS] with its UTC offset "
                        "(+08:00 or Z)",
    "run.bad.not_flag": "is not true, false, 1 or 0",
    "run.bad.not_share": "is not a number from 0 to 1",
    "run.bad.not_one_of": "is not one of {codes}",
    "run.bad.after_month": "is after the month's last day {day}",
    "run.bad.before_opened": "is before the row's opened_on",
    "run.bad.above_bill": "is more than the row's bill",
    "run.bad.unknown_column": "is not a column of {what} (see docs/run.md)",
    "run.bad.missing_column": "is missing: the column is required",
    "run.bad.empty": "is empty: the column is required",
    "run.bad.no_rows": "the file has no rows",
    "run.bad.repeated_id": "repeats an id of an earlier row",
    "run.bad.repeated_id_partition": "repeats an id of an earlier row or partition",
    "run.bad.edge_white": "has white space at its start or end",
    "run.bad.fraction_ids": "is a column of numbers with fractions: give ids as text or "
                            "whole numbers",
    "run.bad.not_a_customer": "is not a customer of the month's extract",
    "run.bad.repeated_manager": "repeats a manager of an earlier row",
    "run.bad.no_one": "is the reports' row of no one, not a name",
    "run.bad.event_field_needed": "is empty: the row's event needs it",
    "run.bad.event_field_unused": "is not a field of the row's event: leave it empty",
    "run.bad.contact_needs": "is empty: a contact needs a moment or a project",
    "run.bad.event_not_built": "cannot be built: {why}",
    # a whole refusal: the month, the files beside the extract, the store
    "run.month.not_a_month": "--month must be a month such as '2010-11', got {value!r}",
    "run.month.other_extract": "month {month} is already in the store from another extract "
                               "(or policy): nothing changed; a month is run once",
    "run.month.before_last": "month {month} is before the last month in the store, {last}: "
                             "nothing changed",
    "run.month.gap": "month {month} leaves a gap: {expected} is not in the store yet (the "
                     "last month run is {last}); nothing changed",
    "run.synthetic.month": "--synthetic bills the months {first} to {last}, got {month!r}",
    "run.catalogue.unreadable": "--catalogue: cannot read {path}: {why}",
    "run.catalogue.invalid": "--catalogue: {path} is not a valid offer catalogue: {why}",
    "run.store.foreign": "--store: {path!r} is a DuckDB database of {count} other table(s) "
                         "({tables}), not a telcare store: nothing changed; give a new path "
                         "or a store telcare run wrote",
    "run.store.figure_too_large": "month {month}: its figure {figure} is {value}, more than "
                                  "the store's figures hold ({most}); nothing changed",
    "run.store.kept_policy": "--store: the policy month {month} ran under, kept in the "
                             "store, is not a policy this telcare reads: {errors} error(s); "
                             "nothing changed",
})  # fmt: skip

#: The files a ``run.bad.unknown_column`` names (``{what}``), each a label of its own.
TABLES = ("the extract", "the action log", "the managers' file", "the events file")


def _template(code: str) -> str:
    try:
        return REFUSALS[code]
    except KeyError:
        raise KeyError(f"no run refusal {code!r}: REFUSALS lists every one") from None


def _render(code: str, params: Mapping[str, Any], lang: str) -> str:
    """The refusal ``code`` in ``lang``, its parameters shown in it (a file's name among
    :data:`TABLES` in the language too)."""
    refuse = words(language(lang), "ui_refusal")
    shown = {k: refuse(v) if k == "what" and v in TABLES else v for k, v in params.items()}
    return refuse(_template(code)).format_map(shown)


def _checked(code: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """``params``, refused unless they are exactly the template's (a telcare bug)."""
    names = {n for _, n, _, _ in string.Formatter().parse(_template(code)) if n is not None}
    if set(params) != names:
        raise TypeError(f"run refusal {code!r} takes {sorted(names)}, got {sorted(params)}")
    return dict(params)


class RunRefused(InvalidInput):
    """A refusal of the run: its English message (``str``), its ``code`` and ``params``,
    and its text in each language (:meth:`text`)."""

    def __init__(self, code: str, params: Mapping[str, Any]) -> None:
        self.code = code
        self.params: FrozenDict[str, Any] = FrozenDict(_checked(code, params))
        super().__init__(_render(code, self.params, "en"))

    def text(self, lang: str = "en") -> str:
        """The refusal in ``lang`` (``"en"`` or ``"zh_CN"``)."""
        return _render(self.code, self.params, lang)

    def __reduce__(self) -> tuple[Any, ...]:
        return RunRefused, (self.code, dict(self.params))


def refused(code: str, **params: Any) -> RunRefused:
    """The refusal ``code`` with its parameters, to raise."""
    return RunRefused(code, params)


class Why(str):
    """Why a value of a file is bad: the English (``str``), its ``code`` and ``params``."""

    code: str
    params: FrozenDict[str, Any]

    def __new__(cls, code: str, params: Mapping[str, Any]) -> Why:
        checked: FrozenDict[str, Any] = FrozenDict(_checked(code, params))
        made = super().__new__(cls, _render(code, checked, "en"))
        made.code, made.params = code, checked
        return made

    def text(self, lang: str = "en") -> str:
        """The explanation in ``lang``."""
        return _render(self.code, self.params, lang)

    def __reduce__(self) -> tuple[Any, ...]:
        return Why, (self.code, dict(self.params))


def why(code: str, **params: Any) -> Why:
    """The explanation ``code`` of a bad value (a ``run.bad.*`` code), for a BadRow."""
    if not code.startswith("run.bad."):
        raise KeyError(f"{code!r} is no explanation of a bad value (run.bad.*)")
    return Why(code, params)


def _pattern(template: str) -> re.Pattern[str]:
    """A template as a pattern whose groups are its parameters (``{value!r}`` too)."""
    out = []
    for text, name, _, _ in string.Formatter().parse(template):
        out.append(re.escape(text))
        if name is not None:
            out.append(f"(?P<{name}>.+?)")
    return re.compile("".join(out))


_PATTERNS = tuple(
    (code, _pattern(template)) for code, template in REFUSALS.items() if code.startswith("run.bad.")
)


def read_why(text: str) -> Why | None:
    """A ``why`` that came as plain English (from a reader that does not give the code
    yet) read back into its :class:`Why`, from the same templates; ``None`` when it is
    none of them.

    >>> read_why("is not one of ['a', 'b']").code
    'run.bad.not_one_of'
    >>> read_why("something DuckDB said") is None
    True
    """
    for code, pattern in _PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            return Why(code, found.groupdict())
    return None
