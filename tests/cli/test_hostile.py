"""Every command of ``python -m telcare`` with hostile arguments: a clear message and exit
2 for a usage error, 1 for refused input, never a traceback (issue #28)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from telcare.cli import main

HUGE = str(10**30)


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(args)
    except SystemExit as exc:  # argparse's usage errors and parser.exit
        code = exc.code if isinstance(exc.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["demo", "--customers", HUGE], 2, f"--customers must be from 1 to 50,000,000, got {HUGE}"),
        (["report", "credit_bulletin", "--customers", HUGE], 2, "--customers must be from 1 to 50,000,000"),
        (["report", "callback_report", "--customers", str(10**11)], 2, "got 100000000000"),
        (["demo", "--customers", "-1"], 2, "--customers must be from 1"),
        (["report", "credit_bulletin", "--customers", "0"], 2, "--customers must be from 1"),
        (["demo", "--customers", "ten"], 2, "invalid int value: 'ten'"),
        (["report", "credit_bulletin", "--seed", "text"], 2, "invalid int value: 'text'"),
        (["report", "credit_bulletin", "--week", "2008-W53"], 2, "--week: no ISO week 53 in year 2008"),
        (["report", "credit_bulletin", "--month", "2026-13"], 2, "--month: month must be <= 12, got 13"),
        (["report", "execution_report", "--week", "9999-W52"], 2, "--week: year must be <= 2999, got 9999"),
        (["report", "callback_report", "--week", "2010-w48"], 2, "a period is an ISO week such as"),
        (["report", "retention_service", "--week", "2010-W40"], 2, "this report is monthly"),
        (["report", "credit_bulletin", "--week", "2008-W01"], 1, "no data for 2008-W01"),
        (["report", "retention_service", "--month", "2026-01"], 1, "no data for 2026-01"),
    ],
)  # fmt: skip
def test_a_bad_argument_is_a_message_and_an_exit_status(
    args: list[str], code: int, fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    small = [] if "--customers" in args else ["--customers", "60"]
    got, out, err = _run([*args, *small, *(["--quiet"] if args[0] == "demo" else [])], capsys)
    assert (got, out) == (code, "")
    assert fragment in err and "Traceback" not in err


def test_a_huge_seed_is_a_seed(capsys: pytest.CaptureFixture[str]) -> None:
    seed = str(10**32)
    got, out, _ = _run(["report", "credit_bulletin", "--customers", "60", "--seed", seed, "--format", "json"], capsys)  # fmt: skip
    assert got == 0 and json.loads(out)["rows"]
    got, out, _ = _run(["demo", "--customers", "40", "--seed", seed, "--json", "--quiet"], capsys)
    assert got == 0 and json.loads(out)["seed"] == 10**32


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe{}")
    (tmp_path / "bad.json").write_text('{"segment": {"share": 2}}', encoding="utf-8")
    (tmp_path / "ladder.json").write_text(json.dumps({
        "tiers": {"ladder": [{"code": "ordinary", "min_avg_spend": 0, "min_months": 0},
                             {"code": "gold", "min_avg_spend": 40_000, "min_months": 3}]},
        "benefits": {"rules": {}}, "points": {"tier_multipliers": {"gold": "1.3"}},
        "segment": {"eligible_tiers": ["ordinary", "gold"]}}), encoding="utf-8")  # fmt: skip
    return {p.stem: str(p) for p in tmp_path.iterdir()}


@pytest.mark.parametrize("command", [["policy", "check"], ["policy", "show"], ["demo", "--customers", "30", "--quiet", "--compare"]])  # fmt: skip
def test_a_file_that_is_not_text_is_refused_input(
    command: list[str], files: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    got, out, err = _run([*command, files["binary"]], capsys)
    assert (got, out) == (1, "")
    assert f"{files['binary']} is not UTF-8 text (byte 0xff at 0)" in err


def test_an_invalid_policy_to_compare_is_refused_input_as_policy_check_refuses_it(
    files: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["policy", "check", files["bad"]], capsys)[0] == 1
    got, out, err = _run(
        ["demo", "--customers", "30", "--quiet", "--compare", files["bad"]], capsys
    )
    assert (got, out) == (1, "") and "demo: --compare:" in err and "is not a valid policy" in err


def test_a_policy_on_another_ladder_is_compared_and_says_what_differs(
    files: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    got, out, err = _run(["demo", "--customers", "120", "--quiet", "--compare", files["ladder"]], capsys)  # fmt: skip
    assert got == 0 and "Traceback" not in err
    assert "(before: not the figures above; the other ladder has no vip, silver, diamond:" in out
    got, out, _ = _run(["demo", "--customers", "120", "--quiet", "--json", "--compare", files["ladder"]], capsys)  # fmt: skip
    assert got == 0 and "the other ladder has no vip" in json.loads(out)["comparison"]["note"]


@pytest.mark.parametrize(
    "args",
    [
        ["report", "credit_bulletin", "--customers", "200", "--format", "json"],
        ["report", "callback_report", "--customers", "200", "--format", "html"],
        ["policy", "schema"],
        ["policy", "show"],
        ["demo", "--schema"],
    ],
)
def test_a_reader_that_stops_early_gets_no_traceback(args: list[str]) -> None:
    """``telcare ... | head -1`` on every command that writes more than a line."""
    with subprocess.Popen(
        [sys.executable, "-m", "telcare", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=120) in (0, 1)
    assert "Traceback" not in err and "Error" not in err
