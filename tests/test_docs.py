"""Documentation that cannot drift: the scenario reference, and examples that run."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

from capsim import reference
from capsim.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]


def schema_keys(model=Scenario, prefix="") -> set[str]:
    """Every key path of the schema, independently of capsim.reference's formatting."""
    keys = set()
    for name, field in model.model_fields.items():
        path = prefix + (field.alias or name)
        keys.add(path)
        for sub in reference._models(field.annotation):
            keys |= schema_keys(sub, path + ".")
    return keys


def test_scenario_reference_is_generated_from_the_current_schema():
    written = (ROOT / "docs" / "scenario-reference.md").read_text(encoding="utf-8")
    assert written == reference.markdown(), "regenerate: python -m capsim.reference > docs/scenario-reference.md"


def test_every_schema_key_is_in_the_reference_and_nothing_else():
    documented = {path.split(" (")[0].replace("[]", "").replace(".<name>", "") for path, *_ in reference.rows()}
    assert documented == schema_keys()


def test_every_key_in_the_reference_has_a_meaning():
    missing = [path for path, _, _, meaning in reference.rows() if not meaning.strip()]
    assert missing == []


@pytest.mark.parametrize("module", ["capsim.units", "capsim.calibration", "capsim.growth_fit", "capsim.figures"])
def test_docstring_examples_run(module):
    failures, _ = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert failures == 0
