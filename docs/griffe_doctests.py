"""A griffe extension for the API reference: show docstring examples as code.

telcare's docstrings hold plain ``>>>`` examples, which pytest runs as
doctests.  Markdown would read ``>>>`` as nested quotes and ``['x']`` as a
link, so this extension fences each example block as ``pycon`` when the site
is built; the source stays a plain doctest.

>>> fence(">>> 1 + 1\\n2\\n\\ntext").splitlines()
['```pycon', '>>> 1 + 1', '2', '```', '', 'text']
"""

from __future__ import annotations

from typing import Any

import griffe


def fence(text: str) -> str:
    """Wrap every run of lines that starts with ``>>>`` (up to a blank line) in a pycon fence."""
    out: list[str] = []
    inside = False
    indent = ""
    for line in text.splitlines():
        stripped = line.lstrip()
        if not inside and stripped.startswith(">>>"):
            inside, indent = True, line[: len(line) - len(stripped)]
            out.append(f"{indent}```pycon")
        elif inside and not stripped:
            out.append(f"{indent}```")
            inside = False
        out.append(line)
    if inside:
        out.append(f"{indent}```")
    return "\n".join(out)


class DoctestBlocks(griffe.Extension):
    """Fence the doctest examples of every documented object."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = fence(obj.docstring.value)
