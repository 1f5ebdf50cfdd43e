"""capsim: an analyst-hours capacity simulator.

It models how growing volumes of material — above all AI-generated child sexual abuse
imagery — strain the review capacity of hotlines and police units, and what staff, tooling
and money keep up. It models counts and durations only; it never handles content.

>>> import capsim
>>> scenario = capsim.load_scenario("scenarios/iwf-forum-2023.yaml")   # doctest: +SKIP
>>> result = capsim.simulate(scenario, replications=5, seed=1)         # doctest: +SKIP
>>> result.summary                                                     # doctest: +SKIP
"""

from capsim.experiment import SimulationResult, simulate
from capsim.scenario import Scenario, ScenarioError, load_scenario

__version__ = "0.1.0"
__all__ = ["Scenario", "ScenarioError", "SimulationResult", "load_scenario", "simulate", "__version__"]
