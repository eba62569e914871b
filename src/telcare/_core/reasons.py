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
import re
import string
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NoReturn

import attrs

from telcare._core.catalogue import LANGS, language, translation
from telcare._core.errors import InvalidInput
from telcare._core.frozen import FrozenDict
from telcare._core.reason_kinds import (
    CODE as CODE,
    COUNT as COUNT,
    DATE as DATE,
    DATETIME as DATETIME,
    FEN as FEN,
    HOURS as HOURS,
    NUMBER as NUMBER,
    TEXT as TEXT,
    TIER as TIER,
    TIERS as TIERS,
    Kind as Kind,
    label as label,
    labels as labels,
    vocabulary as vocabulary,
)

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


def _one_reason(value: Any) -> Reason:
    if not isinstance(value, Reason):
        raise TypeError("a Reason is needed")
    return value


def _reasons(value: Any) -> tuple[Reason, ...]:
    return tuple(_one_reason(v) for v in value)


#: A reason inside a reason (a complaint's head), rendered in the same language.
REASON = Kind("reason", _one_reason, lambda v, lang: v.text(lang), lambda v: v.machine())
#: Reasons inside a reason, joined by ``; `` (``；``).
REASONS = Kind(
    "reasons",
    _reasons,
    lambda v, lang: ("；" if lang == "zh_CN" else "; ").join(r.text(lang) for r in v),
    lambda v: [r.machine() for r in v],
)


_CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")


@attrs.frozen(slots=True, eq=False)
class ReasonCode:
    """One code: its English template (the msgid) and the kind of each parameter.
    Calling it makes the :class:`Reason`."""

    code: str
    template: str
    kinds: Mapping[str, Kind]
    names: frozenset[str] = attrs.field(init=False)
    checks: tuple[tuple[str, Callable[[Any], Any]], ...] = attrs.field(init=False)
    english: tuple[tuple[str, Callable[[Any, str], Any]], ...] = attrs.field(init=False)

    @names.default
    def _names(self) -> frozenset[str]:
        return frozenset(self.kinds)

    @checks.default
    def _checks(self) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
        return tuple((name, kind.check) for name, kind in self.kinds.items())

    @english.default
    def _english(self) -> tuple[tuple[str, Callable[[Any, str], Any]], ...]:
        return tuple((name, kind.show) for name, kind in self.kinds.items() if not kind.plain_en)

    def __call__(self, **params: Any) -> Reason:
        if params.keys() != self.names:
            _mismatch(self, params)
        try:
            values = {name: check(params[name]) for name, check in self.checks}
        except (TypeError, ValueError):
            _refuse(self, params)
        made = str.__new__(Reason, self.render(values, "en"))
        made.__dict__.update(_spec=self, _values=values)  # set once: a Reason cannot change
        return made

    def render(self, values: Mapping[str, Any], lang: str) -> str:
        """The template in ``lang`` with checked ``values`` shown in it."""
        if lang == "en":  # every reason's own text: only the kinds that need it are shown
            shown = dict(values)
            for name, show in self.english:
                shown[name] = show(shown[name], lang)
            return self.template.format_map(shown)
        # the code is the entry's context: two codes may share an English sentence
        template = (
            self.template if lang == "en" else translation(lang).pgettext(self.code, self.template)
        )
        return template.format_map({k: self.kinds[k].show(v, lang) for k, v in values.items()})


#: Every code defined so far, by code (each package defines its own on import).
REGISTRY: dict[str, ReasonCode] = {}
#: The packages that define reason codes: loaded when a code not yet defined is asked
#: for (a reason rebuilt from its code alone, in a fresh process).
PRODUCERS: tuple[str, ...] = (
    "telcare.tiers", "telcare.benefits", "telcare.moments", "telcare.contact",
    "telcare.marketing", "telcare.whatif", "telcare.operations",
)  # fmt: skip


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
    made = ReasonCode(code, template, dict(kinds))
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

    _spec: ReasonCode
    _values: dict[str, Any]

    def __new__(cls, code: str = "", /, **params: Any) -> Reason:
        return lookup(code)(**params)

    @property
    def code(self) -> str:
        """The stable code (docs/reasons.md lists every one)."""
        return self._spec.code

    @property
    def params(self) -> FrozenDict[str, Any]:
        """The parameters as machine values (ints of fen, dates, counts, codes)."""
        return FrozenDict(self._values)

    def text(self, lang: str = "en") -> str:
        """The reason in ``lang`` (``"en"`` or ``"zh_CN"``)."""
        lang = language(lang)  # first: a hostile lang must not be compared
        if lang == "en":
            return str.__str__(self)
        return self._spec.render(self._values, lang)

    def machine(self) -> dict[str, Any]:
        """The code and the parameters as strict JSON values (no text)."""
        kinds = self._spec.kinds
        return {"code": self.code, "params": {k: kinds[k].json(v) for k, v in self._values.items()}}

    def to_dict(self, *, lang: str = "en") -> dict[str, Any]:
        """The code, the parameters (strict JSON) and the text in ``lang``."""
        return {**self.machine(), "text": self.text(lang)}

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"a Reason cannot change: {name}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"a Reason cannot change: {name}")

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (self.code, dict(self._values))

    def __copy__(self) -> Reason:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Reason:
        return self


def _rebuild(code: str, params: dict[str, Any]) -> Reason:
    return Reason(code, **params)


def _unknown(code: object) -> NoReturn:
    if code == "":
        raise InvalidInput("Reason() needs a code: Reason('tier.move.stays', tier='gold')")
    head = code.rsplit(".", 1)[0] if isinstance(code, str) else ""
    near = sorted(c for c in REGISTRY if head and c.startswith(head + "."))
    also = f"; codes of {head}: {near}" if near else "; docs/reasons.md lists every code"
    raise InvalidInput(f"unknown reason code {code!r}{also}")


def _refuse(spec: ReasonCode, params: Mapping[str, Any]) -> NoReturn:
    """Name the first parameter its kind refuses."""
    for name, value in params.items():
        kind = spec.kinds[name]
        try:
            kind.check(value)
        except (TypeError, ValueError) as exc:  # a ValueError says what the value lacks
            why = f" ({exc})" if isinstance(exc, ValueError) and str(exc) else ""
            raise InvalidInput(
                f"reason {spec.code!r}: parameter {name} is a {kind.name}, got {_shown(value)}{why}"
            ) from None
    raise AssertionError("unreachable: a check refused and then accepted")  # pragma: no cover


def _shown(value: object) -> str:
    """``repr(value)``, but not of an integer of more than a hundred digits (Python will
    not print one of more than 4,300, and a refusal must not fail itself).

    >>> _shown(7), _shown(-(10**5000))
    ('7', 'an integer of more than 100 digits')
    """
    if isinstance(value, int) and not -(10**100) < value < 10**100:
        return "an integer of more than 100 digits"
    return repr(value)


def _mismatch(spec: ReasonCode, params: Iterable[str]) -> NoReturn:
    given, needed = set(params), set(spec.kinds)
    parts = [f"reason {spec.code!r} needs the parameters {sorted(needed)}"]
    if needed - given:
        parts.append(f"missing {sorted(needed - given)}")
    if given - needed:
        parts.append(f"unknown {sorted(given - needed)}")
    raise InvalidInput("; ".join(parts))
