"""What ``telcare run`` prints, in each language (``--lang``): the line saying what the
run did, the month's figures and the names of its steps, through the one catalogue
(:func:`telcare._core.ui.words`, context ``ui_run``).

A figure is printed by its name in English (the name the store's ``figures`` table
keeps); in another language by its label there, the name after the figure so that a
reader finds it in the store.  The tables in the store stay language-neutral: codes
and numbers only.

>>> figure_label("tiers.up", "zh_CN"), figure_label("tiers.up", "en")
('升级', 'tiers.up')
>>> figure_label("moments.credit_alert.open", "zh_CN")
'信控预警（处理中）'
>>> figure_label("benefits.service_manager", "zh_CN"), figure_label("offers.best.winback", "zh_CN")
('权益：服务经理', '最优推荐：winback')
>>> print("\\n".join(figure_lines({"customers": 1234}, "zh_CN")))
  客户数                                              1,234  customers
"""

from __future__ import annotations

from collections.abc import Mapping

from telcare._core.catalogue import language
from telcare._core.ui import ljust, words
from telcare.policy import BENEFITS_BY_CODE

__all__ = ["figure_label", "figure_lines", "outcome_line", "step_name"]


def outcome_line(month: str, changed: bool, customers: int, store: str, lang: str = "en") -> str:
    """The line saying what the run did (or that the month was already in the store).

    >>> outcome_line("2010-11", False, 0, "s.duckdb", "zh_CN")
    '月份2010-11已在存储中：未作任何更改'
    """
    say = words(language(lang), "ui_run")
    if not changed:
        return say("month {month} already in the store: nothing changed").format(month=month)
    return say("month {month}: {customers:,} customers run into {store}").format(
        month=month, customers=customers, store=store
    )


def figure_label(name: str, lang: str) -> str:
    """A figure's label in ``lang``: its name in English, else a label of the catalogue
    (the benefits by their names, the moments and their states, the offers by code)."""
    if language(lang) == "en":
        return name
    say = words(lang, "ui_run")
    head, _, rest = name.partition(".")
    if head == "benefits" and rest in BENEFITS_BY_CODE:
        return say("benefit: {benefit}").format(benefit=BENEFITS_BY_CODE[rest].name_zh)
    if head == "moments" and rest.count(".") == 1:
        moment, state = rest.split(".")
        return say("{moment} ({state})").format(
            moment=words(lang, "ui_moment")(moment), state=words(lang, "ui_state")(state)
        )
    if name.startswith("offers.best."):
        return say("best offer: {offer}").format(offer=name.removeprefix("offers.best."))
    return say(name)


def figure_lines(figures: Mapping[str, int], lang: str) -> list[str]:
    """The month's figures, one a line: the name and the value in English; the label,
    the value and the name in another language."""
    if language(lang) == "en":
        return [f"  {name:<44} {value:>12,}" for name, value in figures.items()]
    return [
        f"  {ljust(figure_label(name, lang), 44)} {value:>12,}  {name}"
        for name, value in figures.items()
    ]


def step_name(step: str, lang: str) -> str:
    """A step of the run (the progress line, ``--verbose``'s table) in ``lang``.

    >>> step_name("evaluating tiers", "zh_CN")
    '评定等级'
    """
    return words(language(lang), "ui_run")(step)
