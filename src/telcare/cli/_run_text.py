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

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from telcare._core.catalogue import language
from telcare._core.errors import InvalidInput
from telcare._core.ui import ljust, words
from telcare.cli._run_refusals import RunRefused, Why, read_why
from telcare.policy import BENEFITS_BY_CODE

if TYPE_CHECKING:
    from telcare.cli._extract import BadRow

__all__ = ["SKIP_REASONS", "figure_label", "figure_lines", "outcome_line", "refusal_message",
           "refusal_text", "skipped_lines", "step_name", "why_text"]  # fmt: skip

#: Why a report or list was not written, by reason code (the English; context ``ui_run``).
SKIP_REASONS = {
    "run.skipped.no_actions": "no --actions file",
    "run.skipped.no_identity": "no identity columns",
    "run.skipped.no_events": "no --events file",
}


def outcome_line(month: str, changed: bool, customers: int, store: str, lang: str = "en",
                 skipped: Mapping[str, str] | None = None) -> str:  # fmt: skip
    """The line saying what the run did (or that the month was already in the store),
    with the reports and lists it did not write, grouped by why.

    >>> outcome_line("2010-11", False, 0, "s.duckdb", "zh_CN")
    '月份2010-11已在存储中：未作任何更改'
    >>> outcome_line("2010-11", True, 3, "s.duckdb", "en", {"watch_list": "run.skipped.no_identity"})
    'month 2010-11: 3 customers run into s.duckdb; not written: watch_list (no identity columns)'
    """
    say = words(language(lang), "ui_run")
    if not changed:
        return say("month {month} already in the store: nothing changed").format(month=month)
    line = say("month {month}: {customers:,} customers run into {store}").format(
        month=month, customers=customers, store=store
    )
    if not skipped:
        return line
    why: dict[str, list[str]] = {}
    for name, code in skipped.items():
        why.setdefault(code, []).append(name)
    comma = "、" if lang == "zh_CN" else ", "
    parts = [say("{names} ({why})").format(names=comma.join(names), why=say(SKIP_REASONS[code]))
             for code, names in why.items()]  # fmt: skip
    return line + say("; not written: {parts}").format(parts=comma.join(parts))


def skipped_lines(skipped: Mapping[str, str], lang: str = "en") -> list[str]:
    """``--verbose``'s lines on what was not written: each report or list, its reason
    code and why.

    >>> skipped_lines({"execution_report": "run.skipped.no_actions"}, "zh_CN")
    ['  execution_report  run.skipped.no_actions  未提供--actions文件']
    """
    say = words(language(lang), "ui_run")
    return [f"  {name}  {code}  {say(SKIP_REASONS[code])}" for name, code in skipped.items()]


def why_text(why: str, lang: str) -> str:
    """A bad value's explanation in ``lang``, from its code: a
    :class:`~telcare.cli._run_refusals.Why`, or the English of one of the run's
    templates read back into its code (a reader that gives no code yet); any other
    text, which no template of telcare's wrote, as it is.

    >>> why_text("is not a whole number from 0 to 12", "zh_CN")
    '不是0到12之间的整数'
    >>> from telcare.cli._run_refusals import why
    >>> why_text(why("run.bad.not_a_customer"), "zh_CN")
    '不是本月底表中的客户'
    """
    coded = why if isinstance(why, Why) else read_why(why)
    return str(why) if coded is None else coded.text(lang)


def refusal_message(exc: InvalidInput, lang: str) -> str:
    """A refusal of the run in ``lang``: from its code (a
    :class:`~telcare.cli._run_refusals.RunRefused`), else its English as it came.

    >>> from telcare.cli._run_refusals import refused
    >>> refusal_message(refused("run.month.before_last", month="2010-10", last="2010-11"), "zh_CN")
    '月份2010-10早于存储中的最后一个月份2010-11：未作任何更改'
    """
    return exc.text(lang) if isinstance(exc, RunRefused) else str(exc)


def refusal_text(source: str, bad: Sequence[BadRow], shown: int, lang: str) -> str:
    """An extract's (or optional file's) refusal in ``lang``: the count, then each bad
    value (a :class:`~telcare.cli._extract.BadRow`) with its file, row, column and value."""
    refuse = words(language(lang), "ui_refusal")
    lines = [refuse("{source}: {count} bad value(s); nothing was written").format(
        source=source, count=len(bad))]  # fmt: skip
    for b in bad[:shown]:
        lines.append("  " + refuse("{file}: row {row}, column {column}: {value} {why}").format(
            file=b.file, row=b.row, column=b.column,
            value=refuse("(empty)") if b.value is None else repr(b.value),
            why=why_text(b.why, lang)))  # fmt: skip
    if len(bad) > shown:
        lines.append("  " + refuse("... and {count} more").format(count=len(bad) - shown))
    return "\n".join(lines)


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
