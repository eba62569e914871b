"""Reasons as codes: every reason a decision carries is a :class:`Reason`, a ``str``
(the English sentence, as before) with a stable ``code``, its parameters as machine
values and its text in each language.

A producer defines each code once, with its English template (the gettext msgid) and
the kind of each parameter; the Simplified Chinese text comes from the package's
catalogue (``telcare/locale/zh_CN/LC_MESSAGES/telcare.po``), each entry under its
code as the context (``msgctxt``).  docs/reasons.md is the
one table of every code.

>>> from datetime import date
>>> MOVED = define("example.moved", "up from {previous} to {tier} on {day}",
...                previous=TIER, tier=TIER, day=DATE)
>>> r = MOVED(previous="vip", tier="gold", day=date(2010, 12, 1))
>>> r, r.code, r.params["day"]
('up from vip to gold on 2010-12-01', 'example.moved', datetime.date(2010, 12, 1))
>>> r == "up from vip to gold on 2010-12-01", "gold" in r
(True, True)
>>> r.to_dict()["params"]
{'previous': 'vip', 'tier': 'gold', 'day': '2010-12-01'}
>>> MOVED(previous="vip")
Traceback (most recent call last):
...
telcare._core.errors.InvalidInput: reason 'example.moved' needs the parameters ['day', 'previous', 'tier']; missing ['day', 'tier']
>>> del REGISTRY["example.moved"]  # an example, not one of telcare's codes
"""

from __future__ import annotations

import importlib
import operator
import re
import string
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NoReturn

import attrs

from telcare._core.catalogue import LANGS, language, translation
from telcare._core.errors import InvalidInput
from telcare._core.frozen import FrozenDict
from telcare._core.money import format_yuan

__all__ = [
    "CODE",
    "COUNT",
    "DATE",
    "DATETIME",
    "FEN",
    "HOURS",
    "LANGS",
    "NUMBER",
    "PRODUCERS",
    "REASON",
    "REASONS",
    "REGISTRY",
    "TEXT",
    "TIER",
    "TIERS",
    "Kind",
    "Reason",
    "ReasonCode",
    "define",
    "label",
    "labels",
    "language",
    "lookup",
    "placeholders",
    "vocabulary",
]


@attrs.frozen(slots=True)
class Kind:
    """What a parameter holds: ``check`` makes a value machine-plain (or raises),
    ``show`` renders it in a language, ``json`` makes it strict JSON."""

    name: str
    check: Callable[[Any], Any]
    show: Callable[[Any, str], Any]
    json: Callable[[Any], Any] = attrs.field(default=lambda v: v)


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError("a bool is not a count")
    return operator.index(value)


def _number(value: Any) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        value = float(value)  # numpy floats; anything else raises
    return value if isinstance(value, int) else float(value)


def _date(value: Any) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError("a date is needed")
    return value


def _datetime(value: Any) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError("a datetime is needed")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("text is needed")
    return str(value)


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        raise TypeError("a sequence of codes is needed, not one text")
    return tuple(_text(v) for v in value)


def _reason(value: Any) -> Reason:
    if not isinstance(value, Reason):
        raise TypeError("a Reason is needed")
    return value


def _reasons(value: Any) -> tuple[Reason, ...]:
    return tuple(_reason(v) for v in value)


_WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_DAY_NAMES = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b")
_DAY_INDEX = {d: i for i, d in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))}


def _show_datetime(value: datetime, lang: str) -> str:
    if lang == "zh_CN":
        return f"{value.month}月{value.day}日{_WEEKDAYS_ZH[value.weekday()]} {value:%H:%M}"
    return f"{value:%a %d %b %H:%M}"


def _show_hours(value: str, lang: str) -> str:
    if lang == "zh_CN":
        days = _DAY_NAMES.sub(lambda m: _WEEKDAYS_ZH[_DAY_INDEX[m.group(1)]], value)
        return re.sub(r"(周.)-(周.)", r"\1至\2", days)
    return value


def label(context: str) -> Kind:
    """A code from a vocabulary (a tier, a status, ...), shown by its name in the
    language: the catalogue's entry in ``context``, else the code itself."""
    return Kind(context, _text, lambda v, lang: translation(lang).pgettext(context, v))


def vocabulary(name: str, names: Callable[[str, str], str]) -> Kind:
    """A code of a package's own vocabulary, shown as ``names(code, lang)`` (the
    benefit catalogue's names, for instance)."""
    return Kind(name, _text, names)


def labels(context: str, *, en: str = ", ", zh: str = "、") -> Kind:
    """Several codes of one vocabulary, each shown as :func:`label` shows it, joined."""

    def show(values: tuple[str, ...], lang: str) -> str:
        found = translation(lang)
        return (zh if lang == "zh_CN" else en).join(found.pgettext(context, v) for v in values)

    return Kind(f"{context}s", _texts, show, list)


#: Money: an int of fen, shown as ``¥1,234.56`` in every language.
FEN = Kind("fen", _int, lambda v, lang: format_yuan(v))
#: A whole number (months, uses, a credit level), shown as digits.
COUNT = Kind("count", _int, lambda v, lang: str(v))
#: A score or share; the template may format it (``{total:.1f}``, ``{share:.0%}``).
NUMBER = Kind(
    "number", _number, lambda v, lang: v, lambda v: str(v) if isinstance(v, Decimal) else v
)
#: A day, shown in ISO form (``2010-12-01``) in every language.
DATE = Kind("date", _date, lambda v, lang: v.isoformat(), lambda v: v.isoformat())
#: A moment, shown as ``Mon 23 Nov 08:00`` (``11月23日周一 08:00``).
DATETIME = Kind("datetime", _datetime, _show_datetime, lambda v: v.isoformat())
#: Free text that is data, not telcare's words (a catalogue's detail): shown as given.
TEXT = Kind("text", _text, lambda v, lang: v)
#: A code shown as itself in every language (an offer's code).
CODE = Kind("code", _text, lambda v, lang: v)
#: Service hours as the policy describes them (``Mon-Fri 08:00-20:00``).
HOURS = Kind("hours", _text, _show_hours)
#: A tier code, shown by its name (``gold``; 金卡).
TIER = label("tier")
#: Tier codes, joined (``vip, silver``; 贵宾卡、银卡).
TIERS = labels("tier")
#: A reason inside a reason (a complaint's head), rendered in the same language.
REASON = Kind("reason", _reason, lambda v, lang: v.text(lang), lambda v: v.machine())
#: Reasons inside a reason, joined by ``; `` (``；``).
REASONS = Kind(
    "reasons",
    _reasons,
    lambda v, lang: ("；" if lang == "zh_CN" else "; ").join(r.text(lang) for r in v),
    lambda v: [r.machine() for r in v],
)

_CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")


@attrs.frozen(slots=True)
class ReasonCode:
    """One code: its English template (the msgid) and the kind of each parameter.
    Calling it makes the :class:`Reason`."""

    code: str
    template: str
    kinds: FrozenDict[str, Kind]

    def __call__(self, **params: Any) -> Reason:
        return Reason._make(self, params)

    def render(self, values: Mapping[str, Any], lang: str) -> str:
        """The template in ``lang`` with checked ``values`` shown in it."""
        # the code is the entry's context: two codes may share an English sentence
        template = (
            self.template if lang == "en" else translation(lang).pgettext(self.code, self.template)
        )
        return template.format_map({k: self.kinds[k].show(v, lang) for k, v in values.items()})


#: Every code defined so far, by code (each package defines its own on import).
REGISTRY: dict[str, ReasonCode] = {}
#: The packages that define reason codes: loaded when a code not yet defined is asked
#: for (a reason rebuilt from its code alone, in a fresh process).
PRODUCERS: tuple[str, ...] = ("telcare.tiers", "telcare.benefits", "telcare.operations")


def lookup(code: object) -> ReasonCode:
    """The definition of ``code``, or :class:`InvalidInput` naming it."""
    spec = REGISTRY.get(code) if isinstance(code, str) else None
    if spec is None:
        for module in PRODUCERS:
            importlib.import_module(module)
        spec = REGISTRY.get(code) if isinstance(code, str) else None
    if spec is None:
        _unknown(code)
    return spec


def placeholders(template: str) -> set[str]:
    """The parameter names a template uses.

    >>> sorted(placeholders("{a} of {b:.1f}"))
    ['a', 'b']
    """
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def define(code: str, template: str, **kinds: Kind) -> ReasonCode:
    """Define ``code`` with its English ``template`` and the kind of each parameter.
    The same definition twice is the same code; a different one under a used code is
    a telcare bug, refused."""
    if not _CODE.fullmatch(code):
        raise InvalidInput(f"a reason code is dotted lower-case words, got {code!r}")
    names = placeholders(template)
    if names != set(kinds) or not all(isinstance(k, Kind) for k in kinds.values()):
        raise InvalidInput(
            f"reason {code!r}: the template uses {sorted(names)}, the kinds name {sorted(kinds)}"
        )
    made = ReasonCode(code, template, FrozenDict(kinds))
    known = REGISTRY.setdefault(code, made)
    if known.template != template or set(known.kinds) != set(kinds):
        raise InvalidInput(f"reason {code!r} is already defined as {known.template!r}")
    return known


class Reason(str):
    """A reason: the English sentence (``str(r)``), its stable ``code``, its
    parameters as machine values (``params``: fen, dates, counts, codes) and its text
    in each language (``text("zh_CN")``).  Compares, hashes and serialises as its
    English text, so it is used wherever a reason was a ``str``.

    >>> import telcare as tc
    >>> r = tc.check_suspension(tc.yuan(200), 2, 0, delayed=True).reasons[1]
    >>> r, r.text("zh_CN"), r.to_dict(lang="zh_CN")
    ('level 2 has no delayed suspension', '2级无延迟停机', {'code': 'credit.delay.none', 'params': {'level': 2}, 'text': '2级无延迟停机'})
    >>> Reason("credit.delay.nope")
    Traceback (most recent call last):
    ...
    telcare._core.errors.InvalidInput: unknown reason code 'credit.delay.nope'; codes of credit.delay: ['credit.delay.held', 'credit.delay.none', 'credit.delay.used_up']
    """

    code: str
    params: FrozenDict[str, Any]
    _spec: ReasonCode

    def __new__(cls, code: str, /, **params: Any) -> Reason:
        return cls._make(lookup(code), params)

    @classmethod
    def _make(cls, spec: ReasonCode, params: Mapping[str, Any]) -> Reason:
        kinds = spec.kinds
        if params.keys() != kinds.keys():
            _mismatch(spec, params)
        values = {}
        for name, value in params.items():
            kind = kinds[name]
            try:
                values[name] = kind.check(value)
            except (TypeError, ValueError):
                raise InvalidInput(
                    f"reason {spec.code!r}: parameter {name} is a {kind.name}, got {value!r}"
                ) from None
        self = str.__new__(cls, spec.render(values, "en"))
        object.__setattr__(self, "code", spec.code)
        object.__setattr__(self, "params", FrozenDict(values))
        object.__setattr__(self, "_spec", spec)
        return self

    def text(self, lang: str = "en") -> str:
        """The reason in ``lang`` (``"en"`` or ``"zh_CN"``)."""
        if lang == "en":
            return str.__str__(self)
        return self._spec.render(self.params, language(lang))

    def machine(self) -> dict[str, Any]:
        """The code and the parameters as strict JSON values (no text)."""
        kinds = self._spec.kinds
        return {"code": self.code, "params": {k: kinds[k].json(v) for k, v in self.params.items()}}

    def to_dict(self, *, lang: str = "en") -> dict[str, Any]:
        """The code, the parameters (strict JSON) and the text in ``lang``."""
        return {**self.machine(), "text": self.text(lang)}

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"a Reason cannot change: {name}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"a Reason cannot change: {name}")

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (self.code, dict(self.params))

    def __copy__(self) -> Reason:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Reason:
        return self


def _rebuild(code: str, params: dict[str, Any]) -> Reason:
    return Reason(code, **params)


def _unknown(code: object) -> NoReturn:
    head = code.rsplit(".", 1)[0] if isinstance(code, str) else ""
    near = sorted(c for c in REGISTRY if head and c.startswith(head + "."))
    also = f"; codes of {head}: {near}" if near else "; docs/reasons.md lists every code"
    raise InvalidInput(f"unknown reason code {code!r}{also}")


def _mismatch(spec: ReasonCode, params: Iterable[str]) -> NoReturn:
    given, needed = set(params), set(spec.kinds)
    parts = [f"reason {spec.code!r} needs the parameters {sorted(needed)}"]
    if needed - given:
        parts.append(f"missing {sorted(needed - given)}")
    if given - needed:
        parts.append(f"unknown {sorted(given - needed)}")
    raise InvalidInput("; ".join(parts))
