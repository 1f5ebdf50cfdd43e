"""Every notebook runs, end to end, on a small setting (so that none of them rots).

A notebook's first code cell is tagged ``parameters``; the test replaces its values with
small ones from SMALL before running the notebook in a real Jupyter kernel.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
SMALL = {"REPLICATIONS": "3", "HORIZON": "'60d'", "YEARS": "1", "SEED": "20231025"}
"""Values that keep each notebook to a few seconds (``YEARS``: grant years, for the grant notebook)."""


def parameters_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "a notebook needs exactly one code cell tagged 'parameters'"
    return tagged[0]


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_on_a_small_setting(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    cell = parameters_cell(nb)
    lines = []
    for line in cell.source.splitlines():
        name = line.split("=")[0].strip()
        lines.append(f"{name} = {SMALL[name]}" if name in SMALL else line)
    cell.source = "\n".join(lines)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute()
