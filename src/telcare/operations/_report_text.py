"""A report in words: its caption, headline and table in English or Simplified Chinese.

The labels (the report's title, its levels, counts, rates and changes, the caption's
phrases) are the catalogue's entries in the contexts ``ui_report`` (phrases and
titles), ``ui_level`` and ``ui_figure``; a label the catalogue lacks (a report of
your own) stays in English.  Rates keep their form (``50.00% [9.5, 90.5]``), periods
and dates are ISO in both languages.

>>> import numpy as np
>>> from telcare._core.dates import Period
>>> from telcare.operations._report import Report
>>> r = Report("execution_report", "Service-manager execution", Period.parse("2010-11"),
...            ("manager", "programme"), ("li", "programme"),
...            {"on_time": np.array([1, 1]), "due": np.array([2, 2])}, {"on_time": ("on_time", "due")})
>>> print(text(r, "zh_CN"))
服务经理执行情况报表，月 2010-11（2010-11-01至2010-11-30）
层级  分组  按时  到期                  按时率
经理  li       1     2  50.00% [9.5, 90.5]
全部  全部     1     2  50.00% [9.5, 90.5]
>>> headline(r, "zh_CN")
'服务经理执行情况报表 2010-11：按时率 50.0%'
"""

from __future__ import annotations

import html as html_text
import math
from typing import TYPE_CHECKING

from telcare._core.catalogue import language
from telcare._core.ui import grid, join, words

if TYPE_CHECKING:
    from telcare.operations._report import Report

__all__ = ["caption", "headline", "html", "markdown", "table", "text"]

#: The rows of the programme and of the customers without a manager, as the reports label them.
_OWN_GROUPS = ("programme", "(none)")


def _rate_name(name: str, lang: str) -> str:
    """A rate's label: ``on_time`` the rate is 按时率, where the count is 按时."""
    return words(lang, "ui_rate")(name)


def headline(report: Report, lang: str = "en") -> str:
    """The programme's line: each rate with its change against the previous period
    (a rate that is only the reference of a change is left to the change)."""
    say = words(language(lang), "ui_report")
    references = {b for _, b in report.changes.values()}
    parts = []
    for name in report.rates:
        if name in references:
            continue
        r = report.rate(name)
        if r.denominator == 0:
            continue
        d = report.vs_previous(name)
        part = say("{name} {percent:.1f}%").format(name=_rate_name(name, lang), percent=r.percent)
        parts.append(part + ("" if math.isnan(d) else say(" ({change:+.1f} pp)").format(change=d)))
    for name in report.changes:
        c = report.change(name)
        if not math.isnan(c):
            parts.append(
                say("{name} {change:+.1f} pp").format(name=_rate_name(name, lang), change=c)
            )
    return say("{title} {period}: {figures}").format(
        title=say(report.title), period=report.period.label,
        figures=join(lang, parts) if parts else say("nothing to report"),
    )  # fmt: skip


def table(report: Report, lang: str = "en") -> tuple[list[str], list[list[str]]]:
    """The header and the rows of cells, in ``lang``."""
    lang = language(lang)
    say, level, figure = words(lang, "ui_report"), words(lang, "ui_level"), words(lang, "ui_figure")
    header = [say("level"), say("group"), *map(figure, report.counts),
              *(_rate_name(n, lang) for n in report.rates),
              *(_rate_name(n, lang) for n in report.changes)]  # fmt: skip
    body = []
    for i, (lv, g) in enumerate(zip(report.levels, report.groups, strict=True)):
        own = g in _OWN_GROUPS and (lv == "programme") == (g == "programme")
        cells = [
            level(lv),
            level(g) if own else g,
            *(f"{int(col[i]):,}" for col in report.counts.values()),
        ]
        for name in report.rates:
            r = report.rate(name, g, level=lv)
            d = report.vs_previous(name, g, level=lv)
            cells.append(
                str(r) + ("" if math.isnan(d) else say(" {change:+.1f} pp").format(change=d))
            )
        for name in report.changes:
            c = report.change(name, g, level=lv)
            cells.append(say("n/a") if math.isnan(c) else say("{change:+.2f} pp").format(change=c))
        body.append(cells)
    return header, body


def caption(report: Report, lang: str = "en") -> str:
    """The title, the period with its first and last day, and the period compared."""
    say = words(language(lang), "ui_report")
    p = report.period
    made = say("{title}, {kind} {label} ({start} to {end})").format(
        title=say(report.title), kind=say(p.kind), label=p.label, start=p.start, end=p.end
    )
    if report.previous is None:
        return made
    return made + say("; changes against {previous}").format(previous=report.previous.period.label)


def text(report: Report, lang: str = "en") -> str:
    """The report as a text table under its caption (aligned by terminal columns)."""
    header, body = table(report, lang)
    right = [j >= 2 for j in range(len(header))]
    return "\n".join([caption(report, lang), *grid([header, *body], right)])


def markdown(report: Report, lang: str = "en") -> str:
    """The report as a Markdown table under its caption."""
    header, body = table(report, lang)
    lines = [f"**{caption(report, lang)}**", "", "| " + " | ".join(header) + " |",
             "|" + "|".join(["---", "---"] + ["---:"] * (len(header) - 2)) + "|"]  # fmt: skip
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in body]
    return "\n".join(lines)


def html(report: Report, lang: str = "en") -> str:
    """The report as an HTML table (what Jupyter shows, in English)."""
    header, body = table(report, lang)
    head = "".join(f"<th>{html_text.escape(h)}</th>" for h in header)
    rows = "".join(
        "<tr>" + "".join(
            f"<td style='text-align:{'left' if j < 2 else 'right'}'>{html_text.escape(c)}</td>"
            for j, c in enumerate(r)) + "</tr>"
        for r in body
    )  # fmt: skip
    title = html_text.escape(caption(report, lang))
    return f"<table><caption>{title}</caption><tr>{head}</tr>{rows}</table>"
