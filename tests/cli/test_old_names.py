"""An old public name warns once per use, however it is imported (issue #28)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "statement",
    [
        "from telcare import suspensions",
        "from telcare import suspensions, check_suspensions",
        "import telcare as tc; tc.suspensions",
    ],
)
def test_a_renamed_name_warns_once(statement: str) -> None:
    done = subprocess.run(
        [sys.executable, "-W", "always::DeprecationWarning", "-c",
         f"{statement}\nimport telcare as tc\nassert suspensions is tc.check_suspensions"
         if statement.startswith("from") else statement],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    warned = [line for line in done.stderr.splitlines() if "DeprecationWarning" in line]
    assert warned == [
        "<string>:1: DeprecationWarning: telcare.suspensions is now telcare.check_suspensions; "
        "the old name goes in the next release"
    ]


def test_each_use_of_the_old_name_warns() -> None:
    done = subprocess.run(
        [sys.executable, "-W", "always::DeprecationWarning", "-c",
         "import telcare as tc\ntc.suspensions\ntc.suspensions"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert done.stderr.count("DeprecationWarning: telcare.suspensions is now") == 2
