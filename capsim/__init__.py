"""capsim: an analyst-hours capacity simulator.

It models how growing volumes of material — above all AI-generated child sexual abuse
imagery — strain the review capacity of hotlines and police units, and what staff, tooling
and money keep up. It models counts and durations only; it never handles content.

>>> import capsim
>>> scenario = capsim.load_scenario(capsim.bundled_scenario("iwf-forum-2023"))  # doctest: +SKIP
>>> result = capsim.simulate(scenario, replications=5, seed=1)         # doctest: +SKIP
>>> result.summary                                                     # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from capsim.version import version

if TYPE_CHECKING:
    from capsim.bundled import path as bundled_scenario
    from capsim.experiment import SimulationResult, simulate
    from capsim.scenario import Scenario, ScenarioError, load_scenario

_LAZY = {
    "Scenario": ("capsim.scenario", "Scenario"),
    "ScenarioError": ("capsim.scenario", "ScenarioError"),
    "SimulationResult": ("capsim.experiment", "SimulationResult"),
    "bundled_scenario": ("capsim.bundled", "path"),
    "load_scenario": ("capsim.scenario", "load_scenario"),
    "simulate": ("capsim.experiment", "simulate"),
}
"""Public name → (module, attribute), imported on first use, so that ``import capsim`` (and
``capsim --help``) does not pay for pandas, scipy and numba until something needs them."""

__version__ = version()
__all__ = ["Scenario", "ScenarioError", "SimulationResult", "bundled_scenario", "load_scenario", "simulate",
           "__version__"]


def __getattr__(name: str):
    """Import a public name of :data:`_LAZY` when it is first used (PEP 562)."""
    if name not in _LAZY:
        raise AttributeError(f"module 'capsim' has no attribute {name!r}")
    module, attribute = _LAZY[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
