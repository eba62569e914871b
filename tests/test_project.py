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


def test_the_version_is_the_installed_metadata() -> None:
    import importlib.metadata

    import telcare as tc

    assert importlib.metadata.version("telcare") == tc.__version__


def test_the_sdist_carries_what_its_tests_read() -> None:
    """Every top-level file the tests and docs read is in the sdist's include list."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = set(config["tool"]["hatch"]["build"]["targets"]["sdist"]["include"])
    needed = {"src/telcare", "tests", "docs", "benchmarks", "README.md", "CHANGELOG.md", "LICENSE",
              "mkdocs.yml", ".ci/run", ".ci/highest-python"}  # fmt: skip
    assert needed <= include
    assert config["project"]["license"] == "MIT" and (ROOT / "LICENSE").read_text().startswith(
        "MIT License"
    )
    versions = {
        c.rsplit(" ", 1)[-1] for c in config["project"]["classifiers"] if "Python :: 3." in c
    }
    assert versions == {"3.11", "3.12", "3.13"} and config["project"]["requires-python"] == ">=3.11"
