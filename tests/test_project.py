"""The project's own promises: CI runs the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.*?)\n```", text, flags=re.S)


def test_ci_runs_exactly_the_readme_test_command() -> None:
    commands = _readme_commands()
    assert len(commands) == 2, commands
    test_command = commands[1].strip()
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert script.startswith("#!/usr/bin/env bash\nset -euo pipefail\n")
    body = [line for line in script.splitlines()[2:] if line.strip() and not line.startswith("#")]
    assert body == [test_command]


def test_readme_demo_command_runs_the_demo() -> None:
    assert _readme_commands()[0].strip().endswith("-m telcare demo")


def test_changelog_has_an_unreleased_section() -> None:
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
