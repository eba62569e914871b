"""The tour notebook, executed as a reader would: pictures come out as PNG, results as HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

TOUR = Path(__file__).resolve().parents[1] / "docs" / "notebooks" / "tour.ipynb"


def _is_result(line: str) -> bool:
    """A cell ending in an expression shows its value (not an assignment, a print or an import)."""
    line = line.strip()
    return (
        bool(line)
        and not line.startswith(("print(", "import ", "from ", ")", "#"))
        and " = " not in line
    )


def test_the_tour_shows_pictures_and_tables_without_magic() -> None:
    notebook = nbformat.read(TOUR, as_version=4)
    assert not any("%matplotlib" in "".join(c.source) for c in notebook.cells)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
    plots = results = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kinds = {kind for out in cell.outputs for kind in out.get("data", {})}
        source = "".join(cell.source)
        if "plot." in source.splitlines()[-1]:
            plots += 1
            assert "image/png" in kinds, (
                f"no picture from:\n{source}\noutputs: {json.dumps(cell.outputs)[:300]}"
            )
        elif _is_result(source.splitlines()[-1]):
            results += 1
            assert "text/html" in kinds, f"no HTML table from:\n{source}"
            html = next(
                out["data"]["text/html"]
                for out in cell.outputs
                if "text/html" in out.get("data", {})
            )
            assert "{'numerator'" not in html and "<table" in html
    assert plots >= 4 and results >= 6
