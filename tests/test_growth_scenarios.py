"""The three AI-growth scenarios: they load, their growth is the derived interval, and order holds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import capsim
from capsim import demand
from capsim.calibration import value_of
from capsim.scenario import GrowthExponential, GrowthNone

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
LEVELS = ("low", "central", "high")
DAY = 86400.0
YEAR = 365.25 * DAY


def load(level: str) -> capsim.Scenario:
    return capsim.load_scenario(SCENARIOS / f"growth-{level}.yaml")


def ai_stream(scenario: capsim.Scenario):
    (stream,) = [s for s in scenario.demand if s.stream == "ai-generated"]
    return stream


@pytest.fixture(scope="module")
def scenarios() -> dict[str, capsim.Scenario]:
    return {level: load(level) for level in LEVELS}


@pytest.mark.parametrize("level", LEVELS)
def test_growth_scenario_loads_with_a_three_year_horizon(scenarios, level):
    scenario = scenarios[level]
    assert scenario.name == f"growth-{level}"
    assert scenario.clock.horizon == 1096 * DAY
    assert [s.stream for s in scenario.demand] == ["reports", "ai-generated", "images"]


@pytest.mark.parametrize("level", LEVELS)
def test_ai_stream_doubling_time_is_the_derived_parameter_exactly(scenarios, level):
    stream = ai_stream(scenarios[level])
    assert isinstance(stream.growth, GrowthExponential)
    assert stream.growth.doubling_time == value_of(f"iwf_ai_reports_doubling_time_{level}_days") * DAY
    assert stream.rate * YEAR == pytest.approx(value_of("iwf_ai_reports_actioned_2024"), rel=1e-12)
    assert stream.unit == "report"
    assert stream.mix.ai_generated == 1.0 and stream.mix.criminal == 1.0
    assert stream.mix.realistic == value_of("iwf_2024_ai_realistic_share")


@pytest.mark.parametrize("level", LEVELS)
def test_only_the_ai_streams_growth_and_the_clock_differ_from_base(scenarios, level):
    base = capsim.load_scenario(SCENARIOS / "base.yaml")
    scenario = scenarios[level]
    assert scenario.demand[0] == base.demand[0]
    assert isinstance(scenario.demand[0].growth, GrowthNone)
    assert ai_stream(scenario).model_copy(update={"growth": GrowthNone()}) == ai_stream(base)
    for section in ("review", "workforce", "tooling", "sla", "costs", "experiment", "priorities"):
        assert getattr(scenario, section) == getattr(base, section), section


def test_final_year_ai_rate_is_ordered_low_central_high(scenarios):
    t = np.linspace(scenarios["low"].clock.horizon - YEAR, scenarios["low"].clock.horizon, 2000)
    final_year = {
        level: float(np.mean(demand.rate_at(ai_stream(s), s.clock, t))) * YEAR for level, s in scenarios.items()
    }
    assert final_year["low"] < final_year["central"] < final_year["high"]
    # central: 245 a year doubling every ~161 d, so ~110x the starting rate after three years
    end = {level: demand.rate_at(ai_stream(s), s.clock, np.array([s.clock.horizon]))[0] * YEAR
           for level, s in scenarios.items()}
    assert end["central"] == pytest.approx(245 * 2 ** (1096 / value_of("iwf_ai_reports_doubling_time_central_days")))


def test_final_year_arrivals_are_ordered_low_central_high(scenarios):
    """One replication each under one seed: the report stream's draws are shared (common random
    numbers), so the difference in final-year arrivals is the AI stream's."""
    final = {}
    for level, scenario in scenarios.items():
        ts = capsim.simulate(scenario, replications=1, seed=20240101).timeseries
        last_year = ts["time"] > (scenario.clock.horizon - YEAR) / 3600.0
        final[level] = int(ts.loc[last_year, "arrivals"].sum())
    assert final["low"] < final["central"] < final["high"]
