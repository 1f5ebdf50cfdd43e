"""Every notebook runs, end to end, on a small setting (so that none of them rots).

A notebook's first code cell is tagged ``parameters``; the test replaces its values with
small ones from SMALL before running the notebook in a real Jupyter kernel. The planning
notebooks also run where their plans cannot meet everything (LATE_HIRES), so that their checks
are tried against what a plan promises there, not only where every period is met.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
SMALL = {"REPLICATIONS": "3", "HORIZON": "'60d'", "YEARS": "1", "SEED": "20231025"}
"""Values that keep each notebook to a few seconds (``YEARS``: grant years, for the grant notebook)."""

LATE_HIRES = {"REPLICATIONS": "4", "HORIZON": "'300d'", "WORKERS": "2", "GROWTH": "['growth-high']",
              "SEED": "20240101"}
"""On top of SMALL, for the planning notebooks, at their own seed: a first period whose hires are
late (the 90-day lead time falls before the plan starts), missed in one of the 4 replications,
and for the staffing plan temporary cover after it that closes, so that the seats in post fall
(the trial's failures at 4 replications and 2 workers). One growth scenario keeps the grant
notebook to two cases (about 45 s on 2 cores; the staffing plan's about 15 s)."""

SETTINGS = {"small": SMALL, "late-hires": {**SMALL, **LATE_HIRES}}
GRANT, PLAN = "03-grant-sizing.ipynb", "04-staffing-plan.ipynb"
RUNS = [(path, "small") for path in NOTEBOOKS] + [(path, "late-hires") for path in NOTEBOOKS if path.name in (GRANT, PLAN)]
"""Each notebook at SMALL (the grant notebook's six cases, its table and notes included), and the
planning notebooks at LATE_HIRES too."""

EXERCISED = {GRANT: ["late by"], PLAN: ["late by", "temporary cover"]}
"""What a planning notebook prints at LATE_HIRES, so that the setting still reaches the cases its
checks must allow for."""


def parameters_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "a notebook needs exactly one code cell tagged 'parameters'"
    return tagged[0]


def executed(path: Path, setting: dict[str, str]) -> nbformat.NotebookNode:
    """The notebook at ``path`` run in a Jupyter kernel with its parameters' values replaced by those
    ``setting`` names (others as stored); raises where a cell fails."""
    nb = nbformat.read(path, as_version=4)
    cell = parameters_cell(nb)
    lines = []
    for line in cell.source.splitlines():
        name = line.split("=")[0].strip()
        lines.append(f"{name} = {setting[name]}" if name in setting else line)
    cell.source = "\n".join(lines)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return nb


def printed(nb: nbformat.NotebookNode) -> str:
    """Everything the executed notebook's cells printed."""
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def test_there_are_notebooks():
    assert NOTEBOOKS
    assert {GRANT, PLAN} <= {p.name for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize(("path", "setting"), RUNS, ids=[f"{p.name}-{s}" for p, s in RUNS])
def test_notebook_runs(path, setting):
    nb = executed(path, SETTINGS[setting])
    if setting == "late-hires":
        text = printed(nb)
        assert all(words in text for words in EXERCISED[path.name]), (path.name, EXERCISED[path.name])
