"""The message catalogues: telcare's words in each language, through the standard
library's :mod:`gettext`.

English is the source (the msgids); each other language has a ``.po`` catalogue
shipped in the package (``telcare/locale/<lang>/LC_MESSAGES/telcare.po``).  It is read
from source at first use and compiled in memory to the ``.mo`` form that
:class:`gettext.GNUTranslations` loads: there is no build step, and no compiled file
that could fall behind its source.  An entry without a translation (or marked
``fuzzy``) falls back to the English.

>>> translation("zh_CN").pgettext("tier", "gold"), translation("en").pgettext("tier", "gold")
('金卡', 'gold')
>>> language("fr")
Traceback (most recent call last):
...
telcare._core.errors.InvalidInput: lang must be one of ('en', 'zh_CN'), got 'fr'
"""

from __future__ import annotations

import ast
import functools
import gettext
import io
import struct
from importlib import resources

from telcare._core.errors import InvalidInput

__all__ = ["DOMAIN", "LANGS", "catalogue_entries", "language", "mo_bytes", "translation"]

#: The languages telcare speaks: English (the source) and Simplified Chinese.
LANGS: tuple[str, ...] = ("en", "zh_CN")
#: The gettext domain: the catalogue's file name.
DOMAIN = "telcare"


def language(lang: object) -> str:
    """``lang`` if telcare speaks it, else :class:`InvalidInput` naming it."""
    if isinstance(lang, str) and lang in LANGS:
        return lang
    raise InvalidInput(f"lang must be one of {LANGS}, got {lang!r}")


def catalogue_text(lang: str) -> str:
    """The ``.po`` source of ``lang``'s catalogue, as shipped in the package.

    Found from this subpackage (``telcare._core``), not from ``telcare`` itself: a
    caller that has replaced the top-level module in ``sys.modules`` (the public-API
    tests do, to check the import of old names) must not lose the catalogues.
    """
    path = resources.files(__package__).joinpath(
        "..", "locale", lang, "LC_MESSAGES", f"{DOMAIN}.po"
    )
    return path.read_text(encoding="utf-8")


def catalogue_entries(source: str) -> dict[tuple[str | None, str], str]:
    """The translated entries of a ``.po`` text: ``(msgctxt, msgid) -> msgstr``, the
    header (msgid ``""``) included; fuzzy and untranslated entries are left out.

    >>> po = 'msgctxt "tier"\\nmsgid "gold"\\nmsgstr ""\\n"金卡"\\n\\n#, fuzzy\\nmsgid "a"\\nmsgstr "b"\\n'
    >>> catalogue_entries(po)
    {('tier', 'gold'): '金卡'}
    """
    entries: dict[tuple[str | None, str], str] = {}
    fields: dict[str, str] = {}
    key = ""
    fuzzy = False

    def close() -> None:
        nonlocal fuzzy
        if "msgid" in fields and fields.get("msgstr") and not fuzzy:
            entries[(fields.get("msgctxt"), fields["msgid"])] = fields["msgstr"]
        fields.clear()
        fuzzy = False

    for number, raw in enumerate(source.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                close()
                fuzzy = True
            continue
        word, _, rest = line.partition(" ")
        if word in ("msgctxt", "msgid", "msgstr"):
            if word != "msgstr" and ("msgstr" in fields or word in fields):
                close()  # the next entry begins
            key, line = word, rest.strip()
        if not (line.startswith('"') and line.endswith('"') and len(line) >= 2):
            raise InvalidInput(f"{DOMAIN}.po line {number} is not a quoted string: {raw!r}")
        fields[key] = fields.get(key, "") + ast.literal_eval(line)
    close()
    return entries


def mo_bytes(entries: dict[tuple[str | None, str], str]) -> bytes:
    """The entries in the GNU ``.mo`` form (as ``msgfmt`` writes it): a context is
    joined to its msgid by ``\\x04``, the ids sorted."""
    keyed = sorted(
        ((msgid if ctxt is None else f"{ctxt}\x04{msgid}").encode(), text.encode())
        for (ctxt, msgid), text in entries.items()
    )
    ids = strs = b""
    offsets = []
    for k, v in keyed:
        offsets.append((len(ids), len(k), len(strs), len(v)))
        ids += k + b"\0"
        strs += v + b"\0"
    n = len(keyed)
    key_start = 7 * 4 + 16 * n
    value_start = key_start + len(ids)
    table = []
    for o1, l1, _, _ in offsets:
        table += [l1, o1 + key_start]
    for _, _, o2, l2 in offsets:
        table += [l2, o2 + value_start]
    head = struct.pack("<7I", 0x950412DE, 0, n, 7 * 4, 7 * 4 + n * 8, 0, 0)
    return head + struct.pack(f"<{len(table)}I", *table) + ids + strs


@functools.cache
def translation(lang: str) -> gettext.NullTranslations:
    """The translations of ``lang`` (English: the msgids themselves), loaded once."""
    if language(lang) == "en":
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(mo_bytes(catalogue_entries(catalogue_text(lang)))))
