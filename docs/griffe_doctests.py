"""A griffe extension for the API reference: docstrings as Markdown, and where to import.

telcare's docstrings hold plain ``>>>`` examples, which pytest runs as
doctests, and Sphinx-style roles (``:func:`~telcare.due_actions```) that read
well in ``help()``.  Markdown would read ``>>>`` as nested quotes and
``['x']`` as a link, and shows a role as it is typed, so when the site is built
this extension fences each example block as ``pycon``, writes each role as a
code span, and opens every function's and class's entry with where it is
imported from (``tc.X`` for the top-level names, the module otherwise).  The
source stays as it is.

>>> fence(">>> 1 + 1\\n2\\n\\ntext").splitlines()
['```pycon', '>>> 1 + 1', '2', '```', '', 'text']
>>> roles("see :func:`~telcare.due_actions` and :class:`telcare.Policy`")
'see `due_actions` and `telcare.Policy`'
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|data|mod|attr|exc|obj|const):`(~?)([^`]+)`")


def roles(text: str) -> str:
    """Sphinx roles as Markdown code spans (``~`` keeps the last name only)."""
    return _ROLE.sub(lambda m: f"`{m[2].rsplit('.', 1)[-1] if m[1] else m[2]}`", text)


def _top_level() -> frozenset[str]:
    import telcare

    return frozenset(telcare.__all__)


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
        if obj.docstring is None:
            return
        text = roles(fence(obj.docstring.value))
        if (
            obj.kind in (griffe.Kind.FUNCTION, griffe.Kind.CLASS)
            and obj.parent is not None
            and obj.parent.is_module
        ):
            module = obj.parent.path
            if (
                obj.name in _top_level()
                and module.startswith("telcare.")
                and not module.startswith(
                    (
                        "telcare.on_",
                        "telcare.engines",
                        "telcare.strategies",
                        "telcare.plot",
                        "telcare.cli",
                        "telcare.synthetic",
                        "telcare.frames",
                    )
                )
            ):
                where = f"Import: `import telcare as tc`, then `tc.{obj.name}`."
            else:
                where = f"Import: `from {module} import {obj.name}` (not at the top level)."
            text = f"{where}\n\n{text}"
        obj.docstring.value = text
