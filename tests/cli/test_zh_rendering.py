"""The text renderings in Simplified Chinese (issue #31 item 2): the five reports, the
three name lists, the call lists and the demo, their labels from the zh_CN catalogue."""

from __future__ import annotations

import ast
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import telcare as tc
from telcare._core.catalogue import catalogue_entries, catalogue_text, translation
from telcare._core.display import table_text
from telcare._core.errors import InvalidInput
from telcare._core.reasons import placeholders
from telcare._core.ui import width
from telcare.cli._demo import run_demo
from telcare.cli._main import main
from telcare.cli._marketing import DEMO_CATALOGUE
from telcare.cli._operations import NOTES

SRC = Path(tc.__file__).parent
#: The modules that render text, each label a literal given to a ``words(lang, ctx)`` name.
RENDERERS = ("_core/ui.py", "operations/_report_text.py", "marketing/_calllists.py",
             "cli/_demo_text.py", "cli/_report.py", "cli/_run_text.py", "cli/_run_timing.py")  # fmt: skip
ENTRIES = catalogue_entries(catalogue_text("zh_CN"))
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def demo() -> Any:
    return run_demo(2_000, seed=3)


def _lists() -> list[Any]:
    scan = tc.scan_moments(date(2010, 12, 1), used=[14_000, 0, 2_000], allowance=[15_000] * 3,
                           month_spend=[20_000, 50_000, 8_000],
                           trailing_mean=[20_000, 50_000, 30_000])  # fmt: skip
    warning = tc.retention_warning_list(scan, ["c1", "c2", "c3"], monthly_spend=[20_000] * 3,
                                        cancellation_due_by=[None, "2010-12-02", None],
                                        owner=["li", "wang", "li"])  # fmt: skip
    cases = [tc.SuspiciousCase("c1", date(2010, 10, 4), "op17", "own",
                               tc.CallbackFacts(signature_ok=False), reverified_on=date(2010, 10, 8),
                               confirmed=True),
             tc.SuspiciousCase("c2", date(2010, 10, 5), "agent9", "agent",
                               tc.CallbackFacts(sms_failures=3))]  # fmt: skip
    suspicious = tc.suspicious_list(cases, as_of=date(2010, 10, 12))
    book = tc.manager_book(["c1", "c2", "c3"], ["li", "", "li"], since=["2010-10-02", None, None])
    service = tc.service_list(book, [0] * 3, [False] * 3, [12_800, 9_600, 5_800], [1, 1, 1],
                              [0] * 3, eligible_since=["2010-09-30", "2010-11-25", None],
                              as_of=date(2010, 12, 1))  # fmt: skip
    calls = tc.CallList(("li", "wang"), np.array([0, 1]), np.array([2, 0]), np.array([0, 0]),
                        np.array([0.5, 0.25]), np.array([1, 1]), ("plan_upgrade",), 3,
                        {"sms": 4, "email": 1}, 5)  # fmt: skip
    return [warning, suspicious, service, calls]


def _every_surface_in_chinese(demo: Any) -> str:
    texts = [demo.render(lang="zh_CN")]
    for report in demo.reports.values():
        texts += [report.to_text(lang="zh_CN"), report.to_markdown(lang="zh_CN"),
                  report.to_html(lang="zh_CN"), report.headline(lang="zh_CN")]  # fmt: skip
    texts += [x.to_text(lang="zh_CN") for x in _lists()]
    return "\n".join(texts)


def test_every_label_a_rendering_asks_for_has_chinese_text(
    demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    zh = translation("zh_CN")
    asked: set[tuple[str, str]] = set()
    known = zh.pgettext

    def recording(context: str, msgid: str) -> str:
        asked.add((context, msgid))
        return known(context, msgid)

    monkeypatch.setattr(zh, "pgettext", recording)
    _every_surface_in_chinese(demo)
    assert {c for c, _ in asked} >= {"ui_report", "ui_list", "ui_column", "ui_demo", "ui_moment"}
    missing = sorted(key for key in asked if not ENTRIES.get(key))
    assert missing == []


def _literal_labels(path: Path) -> set[tuple[str, str]]:
    """Every ``name("label")`` of a module whose ``name`` is ``words(lang, "context")``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    contexts: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets = node.targets[0]
            names = targets.elts if isinstance(targets, ast.Tuple) else [targets]
            values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
            for name, value in zip(names, values, strict=False):
                if (isinstance(name, ast.Name) and isinstance(value, ast.Call)
                        and getattr(value.func, "id", "") == "words"
                        and isinstance(value.args[1], ast.Constant)):  # fmt: skip
                    assert contexts.get(name.id, value.args[1].value) == value.args[1].value
                    contexts[name.id] = value.args[1].value
    found = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in contexts and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)):  # fmt: skip
            found.add((contexts[node.func.id], node.args[0].value))
    return found


@pytest.mark.parametrize("module", RENDERERS)
def test_every_label_in_a_renderer_is_in_the_catalogue(module: str) -> None:
    """Each literal label, those of branches the demo does not reach included."""
    labels = _literal_labels(SRC / module)
    assert labels, f"{module} names no label"
    assert sorted(key for key in labels if not ENTRIES.get(key)) == []


def test_the_ui_entries_keep_their_placeholders_and_are_chinese() -> None:
    ui = {key: text for key, text in ENTRIES.items() if key[0] and key[0].startswith("ui_")}
    assert len(ui) > 150
    for (context, msgid), text in ui.items():
        assert placeholders(text) == placeholders(msgid), (context, msgid)
        if re.search(r"[A-Za-z]{2,}", re.sub(r"\{[^}]*\}", "", msgid)):  # a label with words
            assert CHINESE.search(text), (context, msgid, text)


def test_the_notes_of_the_report_command_are_in_the_catalogue() -> None:
    assert all(ENTRIES.get(("ui_demo", note)) for note in NOTES.values())


def test_no_english_word_remains_in_the_chinese_renderings(demo: Any) -> None:
    text = _every_surface_in_chinese(demo)
    allowed = {o.code for o in DEMO_CATALOGUE.offers} | {
        "telcare", "python", "report", "NAME", "Qini", "VIP", "plan_upgrade",  # names, codes
        "table", "caption", "style", "text", "align", "left", "right",  # HTML
        "op17", "agent9", "wang",  # the lists' own labels
    }  # fmt: skip
    named = re.compile(r"W\d\d|[mt]\d{2,3}")  # ISO weeks, the demo's managers and teams
    found = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]{2,}", text)) - allowed
    english = sorted(w for w in found if not named.fullmatch(w))
    assert english == [], english
    assert CHINESE.search(text)


def test_the_demo_in_chinese_names_the_programme_s_terms(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo", "--customers", "2000", "--seed", "3", "--quiet", "--lang", "zh_CN"]) == 0
    out = capsys.readouterr().out
    for term in (
        "中高端客户",
        "积分",
        "关键时点",
        "贵宾卡",
        "金卡",
        "维系关键指标周报",
        "信控预警通报",
    ):
        assert term in out, term
    assert re.search(r"¥\d{1,3}(,\d{3})*\.\d\d", out) and "2010-12-01" in out


def test_json_is_the_same_in_either_language(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["demo", "--customers", "1000", "--seed", "4", "--quiet", "--json"]
    assert main(base) == 0
    english = json.loads(capsys.readouterr().out)
    assert main([*base, "--lang", "zh_CN"]) == 0
    assert json.loads(capsys.readouterr().out) == english


def test_the_report_command_speaks_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["report", "credit_bulletin", "--customers", "1000", "--lang", "zh_CN"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("信控预警通报，周 2010-W48（2010-11-29至2010-12-05）")
    assert "层级" in out and "红灯占比" in out and "全部" in out and "停机：" in out
    assert main([*argv[:-2], "--format", "markdown", "--lang", "zh_CN"]) == 0
    assert "| 层级 | 分组 |" in capsys.readouterr().out


def test_an_unknown_lang_is_refused(capsys: pytest.CaptureFixture[str], demo: Any) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["demo", "--customers", "10", "--lang", "fr"])
    assert exit_.value.code == 2 and "--lang" in capsys.readouterr().err
    for render in (demo.render, next(iter(demo.reports.values())).to_text, _lists()[0].to_text):
        with pytest.raises(InvalidInput, match=r"lang must be one of \('en', 'zh_CN'\), got 'fr'"):
            render(lang="fr")
        with pytest.raises(InvalidInput, match="lang must be one of"):
            render(lang=np.array(["zh_CN"]))


def test_the_english_text_is_the_same_as_before(demo: Any) -> None:
    """``str()`` is the English; a list lays out as the foundation's table_text does."""
    for report in demo.reports.values():
        assert str(report) == report.to_text() == report.to_text(lang="en")
        assert report.headline() == report.headline(lang="en")
        assert report.to_markdown() == report.to_markdown(lang="en")
    for x in _lists()[:3]:
        assert (
            str(x) == x.to_text(lang="en") == table_text(type(x).__name__, x._columns(), x._units)
        )


def test_money_in_the_lists_is_yuan_in_both_languages() -> None:
    """A regression: the warning list's value at risk and the penalties were bare fen."""
    warning, suspicious, *_ = _lists()
    for lang in ("en", "zh_CN"):
        assert "¥2,400.00" in warning.to_text(lang=lang) and "240000" not in str(warning)
        assert "¥150.00" in suspicious.to_text(lang=lang)


def test_chinese_tables_align_by_terminal_columns(demo: Any) -> None:
    """A Chinese character takes two columns: each table's right-aligned last column ends
    at one column on every line (by ``len`` it would not)."""
    for report in demo.reports.values():
        lines = report.to_text(lang="zh_CN").splitlines()[1:]
        assert len({width(line) for line in lines}) == 1, lines
        assert len({len(line) for line in lines}) > 1 or not CHINESE.search(lines[0])
    calls = _lists()[3].to_text(lang="zh_CN").splitlines()[1:-1]
    assert len({width(line) for line in calls}) == 1, calls


def test_the_suspicious_list_shows_its_evidence_in_the_language() -> None:
    suspicious = _lists()[1]
    english, chinese = suspicious.to_text(), suspicious.to_text(lang="zh_CN")
    assert "signature missing" in english and "签名缺失" in chinese  # cut at 24 columns
    assert "自有渠道" in chinese and "已完成" in chinese and "疑问用户名单" in chinese
