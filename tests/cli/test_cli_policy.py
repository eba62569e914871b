"""``telcare policy schema | check FILE | show [FILE]``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import telcare as tc
from telcare.cli import _main as cli


def test_schema_is_the_policy_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["policy", "schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == tc.Policy.model_json_schema() and "tiers" in schema["properties"]


def test_check_prints_every_error_with_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"tiers": {"ladder": []}, "points": {"point_value": -1, "bogus": 1}}', encoding="utf-8"
    )
    assert cli.main(["policy", "check", str(bad)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{bad} is not a valid policy: 3 error(s)"
    assert [line.split(":")[0].strip() for line in err[1:]] == [
        "tiers.ladder",
        "points.point_value",
        "points.bogus",
    ]


def test_check_and_show_read_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "gold.yaml"
    good.write_text("credit:\n  suspension_delay_days: {4: 5, 5: 9}\n", encoding="utf-8")
    assert cli.main(["policy", "check", str(good)]) == 0
    assert (
        capsys.readouterr().out.strip()
        == f"{good}: a valid policy; 2 figure(s) differ from the default"
    )
    assert cli.main(["policy", "show", str(good)]) == 0
    out = capsys.readouterr().out
    assert "moments.callback_days" in out and "Differs from the default policy" in out
    broken = tmp_path / "broken.yml"
    broken.write_text("tiers: [unclosed\n", encoding="utf-8")
    assert cli.main(["policy", "check", str(broken)]) == 1
    assert "is not valid YAML" in capsys.readouterr().err
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    assert cli.main(["policy", "check", str(empty)]) == 0


def test_show_lists_each_change_from_the_default_to_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file's figure is the "after"; no raw reprs (it printed PolicyChange(...) swapped)."""
    changed = tmp_path / "points.yaml"
    changed.write_text("points:\n  fen_per_point: 3\n", encoding="utf-8")
    assert cli.main(["policy", "show", str(changed)]) == 0
    out = capsys.readouterr().out
    assert "(default -> this policy):\n  points.fen_per_point: 2 -> 3\n" in out
    assert "PolicyChange(" not in out


def test_show_without_a_file_shows_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["policy", "show"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == len(tc.default_policy().describe().rows) and "Differs" not in out


def test_a_missing_file_is_said_plainly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["policy", "check", str(tmp_path / "none.json")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_yaml_without_pyyaml_says_how_to_get_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    good = tmp_path / "p.yaml"
    good.write_text("{}", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "yaml", None)
    assert cli.main(["policy", "check", str(good)]) == 1
    assert "pip install 'telcare[yaml]'" in capsys.readouterr().err


def test_help_names_the_installed_script(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["/usr/local/bin/telcare"])
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert capsys.readouterr().out.startswith("usage: telcare ")
    monkeypatch.setattr(sys, "argv", ["/x/telcare/__main__.py"])
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert capsys.readouterr().out.startswith("usage: python -m telcare ")
