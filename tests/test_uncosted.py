"""A scenario whose teams have no costs: its staff cost is unknown, never 0.

police-unit gives no ``costs:`` section. A run reports its staff and total cost as unknown
(NaN, with the reason in words) rather than £0.00, which a reader would quote; a budget or a
grant, whose whole answer is a price, refuses it with one message naming the teams and the key.
"""

from __future__ import annotations

import math

import pytest
from typer.testing import CliRunner

from capsim import bundled
from capsim.budget import budget
from capsim.cli import app
from capsim.engine import simulate_replication
from capsim.metrics import replication_metrics
from capsim.scenario import ScenarioError, load_scenario
from capsim.words import interval

SHORT = ["clock.horizon=60d"]


def test_a_run_of_teams_without_costs_gives_no_staff_or_total_cost():
    scenario = load_scenario(bundled.path("police-unit"), SHORT)
    m = replication_metrics(scenario, simulate_replication(scenario, 1, 0))
    assert math.isnan(m["cost_staff"]) and math.isnan(m["cost_total"]) and math.isnan(m["cost_per_assessed"])
    assert m["cost_tooling"] == 0.0  # no tool enabled: known, and nothing
    assert interval("cost_total", math.nan, math.nan, ref=math.nan) == "not costed: a team has no costs.teams entry"
    assert interval("sla_high", math.nan, math.nan, ref=math.nan) == "no item measured in any replication"
    costed = load_scenario(bundled.path("base"), SHORT)
    assert math.isfinite(replication_metrics(costed, simulate_replication(costed, 1, 0))["cost_total"])


def test_budget_and_grant_refuse_teams_without_costs():
    scenario = load_scenario(bundled.path("police-unit"), SHORT)
    with pytest.raises(ScenarioError, match=r"^police-unit: costs.teams: no costs for teams triage, investigation, "
                                            r"so the staff cannot be priced; give each team its costs "
                                            r"\(costs.teams.<team>.annual_cost, e.g. 42000\)$"):
        budget([scenario], replications=1, seed=1)
    one = load_scenario(bundled.path("police-unit"), [*SHORT, "costs.teams.triage.annual_cost=40000"])
    with pytest.raises(ScenarioError, match="no costs for team investigation,"):
        budget([one], replications=1, seed=1)
    result = CliRunner().invoke(app, ["grant", "police-unit", "--from", "2024-03-01", "--years", "1", "-r", "1",
                                      "--set", SHORT[0]])
    assert result.exit_code == 2 and "no costs for teams triage, investigation" in result.output
    assert "Traceback" not in result.output
