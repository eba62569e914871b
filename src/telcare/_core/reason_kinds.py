"""The kinds of a reason's parameters: what each holds as a machine value and how it
is shown in each language (docs/reasons.md, "Parameters").

>>> FEN.show(123456, "zh_CN"), TIERS.show(("vip", "gold"), "zh_CN"), DATE.check(date(2010, 12, 1))
('¥1,234.56', '贵宾卡、金卡', datetime.date(2010, 12, 1))
"""

from __future__ import annotations

import math
import numbers
import operator
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from telcare._core.catalogue import translation
from telcare._core.limits import MAX_DENOMINATOR, MAX_POINTS

__all__ = [
    "CODE",
    "COUNT",
    "DATE",
    "DATETIME",
    "FEN",
    "HOURS",
    "MAX_REASON_COUNT",
    "MAX_REASON_FEN",
    "NUMBER",
    "TEXT",
    "TIER",
    "TIERS",
    "Kind",
    "aware_datetime",
    "finite_number",
    "label",
    "labels",
    "plural",
    "text_value",
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
    #: The checked value formats as its English text by itself (a count, a date, a code):
    #: the English rendering, made for every reason, skips ``show``.
    plain_en: bool = False


#: The largest count a reason carries: a points balance (``whatif.points``; the
#: contacts, days and levels of the other codes are far smaller).
MAX_REASON_COUNT = MAX_POINTS
#: The largest money a reason carries, either sign: ten times the worth of a whole points
#: balance at the policy's highest price of a point (``points.fen_per_point`` is at most
#: :data:`~telcare._core.limits.MAX_FEN_PER_POINT`, 1,000 fen), in ``moment.points_expiry``.
MAX_REASON_FEN = MAX_POINTS * MAX_DENOMINATOR


def _int(value: Any) -> int:
    if type(value) is int:
        return value
    if isinstance(value, bool):
        raise TypeError("a bool is not a count")
    return operator.index(value)


def _count(value: Any) -> int:
    """A count: an ``int`` (numpy's become Python's) from 0 to :data:`MAX_REASON_COUNT`.

    >>> _count(-1)
    Traceback (most recent call last):
    ...
    ValueError: a count from 0 to 1,000,000,000,000,000 is needed
    """
    out = _int(value)
    if not 0 <= out <= MAX_REASON_COUNT:
        raise ValueError(f"a count from 0 to {MAX_REASON_COUNT:,} is needed")
    return out


def _fen(value: Any) -> int:
    """Money: an ``int`` of fen within :data:`MAX_REASON_FEN` either side of zero."""
    out = _int(value)
    if not -MAX_REASON_FEN <= out <= MAX_REASON_FEN:
        raise ValueError(f"fen from -{MAX_REASON_FEN:,} to {MAX_REASON_FEN:,} is needed")
    return out


def finite_number(value: Any) -> float | int:
    """``value`` as a Python ``int`` or a finite ``float``: numbers only (numpy ones too,
    a ``Decimal``), never a bool, a text or NaN and infinity, which strict JSON lacks.

    >>> finite_number(3), finite_number(0.5), finite_number(Decimal("0.8"))
    (3, 0.5, 0.8)
    >>> finite_number("1.5")
    Traceback (most recent call last):
    ...
    TypeError: a number is needed
    >>> finite_number(float("inf"))
    Traceback (most recent call last):
    ...
    ValueError: a finite number is needed
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        raise TypeError("a number is needed")  # a text, a bool (numpy's is no Real either)
    try:
        out = float(value)  # a template formats an int as a float too ({share:.0%})
    except OverflowError:  # an int or a Fraction too large for a float
        out = math.inf
    if not math.isfinite(out):
        raise ValueError("a finite number is needed")
    return operator.index(value) if isinstance(value, numbers.Integral) else out


def _date(value: Any) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError("a date is needed")
    return value


def aware_datetime(value: Any) -> datetime:
    """``value`` if it is a ``datetime`` with a time zone: a naive one names no moment.

    >>> aware_datetime(datetime(2010, 11, 23, 8, 0))
    Traceback (most recent call last):
    ...
    ValueError: a naive datetime names no moment: give it a time zone
    """
    if not isinstance(value, datetime):
        raise TypeError("a datetime is needed")
    if value.utcoffset() is None:
        raise ValueError("a naive datetime names no moment: give it a time zone")
    return value


def text_value(value: Any) -> str:
    """``value`` if it is text (a ``str`` subclass becomes a plain ``str``)."""
    if type(value) is str:
        return value
    if not isinstance(value, str):
        raise TypeError("text is needed")
    return str(value)


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        raise TypeError("a sequence of codes is needed, not one text")
    return tuple(text_value(v) for v in value)


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
    return Kind(
        context,
        text_value,
        lambda v, lang: v if lang == "en" else translation(lang).pgettext(context, v),
        plain_en=True,
    )


def vocabulary(name: str, names: Callable[[str, str], str]) -> Kind:
    """A code of a package's own vocabulary, shown as ``names(code, lang)`` (the
    benefit catalogue's names, for instance)."""
    return Kind(name, text_value, names)


def labels(context: str, *, en: str = ", ", zh: str = "、") -> Kind:
    """Several codes of one vocabulary, each shown as :func:`label` shows it, joined."""

    def show(values: tuple[str, ...], lang: str) -> str:
        found = translation(lang)
        return (zh if lang == "zh_CN" else en).join(found.pgettext(context, v) for v in values)

    return Kind(plural(context), _texts, show, list)


def plural(word: str) -> str:
    """The English plural of a vocabulary's name, the kind of several of its codes.

    >>> [plural(w) for w in ("tier", "status", "box", "batch", "category", "day")]
    ['tiers', 'statuses', 'boxes', 'batches', 'categories', 'days']
    """
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return f"{word}es"
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return f"{word[:-1]}ies"
    return f"{word}s"


def _yuan(fen: int, lang: str) -> str:
    """``format_yuan`` of a checked int (the same text, without checking it again)."""
    whole, cents = divmod(-fen if fen < 0 else fen, 100)
    return f"{'-' if fen < 0 else ''}¥{whole:,}.{cents:02d}"


#: Money: an int of fen (at most :data:`MAX_REASON_FEN` either side of zero), shown as
#: ``¥1,234.56`` in every language (as ``format_yuan``).
FEN = Kind("fen", _fen, _yuan)
#: A whole number from 0 to :data:`MAX_REASON_COUNT` (months, uses, a credit level, a
#: points balance), shown as digits.
COUNT = Kind("count", _count, lambda v, lang: str(v), plain_en=True)
#: A score or share; the template may format it (``{total:.1f}``, ``{share:.0%}``).
NUMBER = Kind("number", finite_number, lambda v, lang: v)
#: A day, shown in ISO form (``2010-12-01``) in every language.
DATE = Kind("date", _date, lambda v, lang: v.isoformat(), lambda v: v.isoformat(), True)
#: A moment, shown as ``Mon 23 Nov 08:00`` (``11月23日周一 08:00``).
DATETIME = Kind("datetime", aware_datetime, _show_datetime, lambda v: v.isoformat())
#: Free text that is data, not telcare's words (a catalogue's detail): shown as given.
TEXT = Kind("text", text_value, lambda v, lang: v, plain_en=True)
#: A code shown as itself in every language (an offer's code).
CODE = Kind("code", text_value, lambda v, lang: v, plain_en=True)
#: Service hours as the policy describes them (``Mon-Fri 08:00-20:00``).
HOURS = Kind("hours", text_value, _show_hours)
#: A tier code, shown by its name (``gold``; 金卡).
TIER = label("tier")
#: Tier codes, joined (``vip, silver``; 贵宾卡、银卡).
TIERS = labels("tier")
