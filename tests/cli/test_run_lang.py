"""``telcare run --lang zh_CN`` (issue #31): what the run prints in Chinese, through the
one catalogue; the store the same in either language (codes and numbers only)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import duckdb
import pytest
from tests.cli._helpers import run_synthetic, tables as _tables

from telcare.cli._run_cli import STEPS, progress_line
from telcare.cli._run_text import figure_label, step_name
from telcare.cli._run_timing import StepTimer

CJK = re.compile(r"[\u4e00-\u9fff]")


def _run(store: Path, *extra: str) -> int:  # the month and size every test here runs
    return run_synthetic(store, "2010-11", *extra, n=40)


def _figures(text: str) -> dict[str, int]:
    """The figures printed under the first line: name -> value (the name is the last
    word of a Chinese line, the first of an English one)."""
    out = {}
    for line in text.splitlines()[1:]:
        words = line.split()
        if CJK.search(line):
            out[words[-1]] = int(words[-2].replace(",", ""))
        else:
            out[words[0]] = int(words[-1].replace(",", ""))
    return out


def test_run_prints_its_summary_in_chinese_and_stores_the_same_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    en, zh = tmp_path / "en.duckdb", tmp_path / "zh.duckdb"
    assert _run(en) == 0
    english = capsys.readouterr().out
    assert _run(zh, "--lang", "zh_CN") == 0
    chinese = capsys.readouterr().out
    not_written = "retention_indicators, callback_report, execution_report (no --actions file), "
    assert english.splitlines()[0] == (f"month 2010-11: 40 customers run into {en}; not written: "
                                       f"{not_written}watch_list (no identity columns), "
                                       "due_actions (no --events file)")  # fmt: skip
    assert chinese.splitlines()[0] == (
        f"月份2010-11：40户客户已运行并写入{zh}；未写入：retention_indicators、callback_report、"
        "execution_report（未提供--actions文件）、watch_list（底表无身份信息列）、"
        "due_actions（未提供--events文件）"
    )
    assert not CJK.search(english)
    # every figure, the same values, each line labelled in Chinese and named by its code
    assert _figures(chinese) == _figures(english) and len(_figures(english)) > 20
    lines = chinese.splitlines()[1:]
    assert all(CJK.search(line.rsplit(None, 2)[0]) for line in lines)
    assert "  升级 " in chinese and "tiers.up" in chinese
    # the store keeps codes and numbers: the same rows whatever the language
    assert _tables(zh) == _tables(en)
    assert _run(zh, "--lang", "zh_CN") == 0
    assert capsys.readouterr().out == "月份2010-11已在存储中：未作任何更改\n"


def test_every_figure_a_run_makes_has_a_chinese_label(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A figure without a catalogue entry would print its English name: refused here."""
    store = tmp_path / "s.duckdb"
    assert _run(store) == 0
    capsys.readouterr()
    con = duckdb.connect(str(store), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT DISTINCT figure FROM figures").fetchall()]
    finally:
        con.close()
    assert len(names) > 20
    untranslated = [n for n in names if not CJK.search(figure_label(n, "zh_CN"))]
    assert untranslated == []
    assert all(figure_label(n, "en") == n for n in names)


def test_the_steps_are_named_in_chinese_on_the_progress_line_and_in_verbose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert [s for s in STEPS if not CJK.search(step_name(s, "zh_CN"))] == []

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    progress_line(screen, "zh_CN")("evaluating tiers")
    assert "[3/8] 评定等级" in screen.getvalue()
    assert _run(tmp_path / "s.duckdb", "--verbose", "--lang", "zh_CN") == 0
    err = capsys.readouterr().err
    assert err.splitlines()[0].split() == ["步骤", "耗时秒", "CPU秒"]
    assert "写入存储" in err and "合计" in err and "writing the store" not in err
    table = StepTimer().table("zh_CN")
    assert "检查存储" in table


def test_run_refuses_a_language_it_does_not_speak(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        _run(tmp_path / "s.duckdb", "--lang", "fr")
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--lang" in err and "invalid choice: 'fr'" in err
    assert not (tmp_path / "s.duckdb").exists()


def test_every_reason_a_run_skips_a_table_is_documented_and_has_a_chinese_text() -> None:
    from telcare.cli._run_text import SKIP_REASONS, skipped_lines

    page = (Path(__file__).parents[2] / "docs" / "run.md").read_text(encoding="utf-8")
    assert sorted(code for code in SKIP_REASONS if f"`{code}`" not in page) == []
    for code, english in SKIP_REASONS.items():
        (line,) = skipped_lines({"a_table": code}, "zh_CN")
        assert code in line and english not in line and re.search(r"[\u4e00-\u9fff]", line)
