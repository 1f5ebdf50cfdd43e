"""The assumptions table (the report's, and the grant page's) gives every number its unit: a year
reads 2024, not the count 2,024; a new analyst's training, a licence and a counselling hour are
priced per what they buy; a supporting role's salary is per post of that role, not per analyst;
and no bundled scenario leaves a number without a unit."""

from __future__ import annotations

import re

import pytest

from capsim import bundled
from capsim.report.assumptions import assumptions_table
from capsim.scenario import load_scenario

CHECKED = ("base", "growth-central", "police-unit", "tooling-classifier")
"""Scenarios with costs and roles (base and its extensions), with growth written both ways
(growth-central) and with no costs section to speak of (police-unit)."""


def table(name: str):
    return assumptions_table(load_scenario(bundled.path(name))).set_index("key")


@pytest.mark.parametrize("name", CHECKED)
def test_every_number_has_its_unit(name):
    t = table(name)
    bare = [k for k, row in t.iterrows() if re.fullmatch(r"[-+]?[\d,]*\.?\d+(e[-+]?\d+)?", row.value) and not row.unit]
    assert bare == []


def test_the_costs_say_what_each_amount_buys():
    t = table("base")
    assert (t.loc["costs.price_year", "value"], t.loc["costs.price_year", "unit"]) == ("2024", "calendar year")
    units = {k.rsplit(".", 1)[1]: u for k, u in t.unit.items() if k.startswith("costs.teams.analysts.")}
    assert units["annual_cost"] == "GBP per analyst-year"
    assert units["training_cost"] == "GBP per new analyst"
    assert units["licence_cost"] == "GBP per analyst (FTE) a year"
    assert units["wellbeing_hourly_cost"] == "GBP per counselling hour"
    assert units["wellbeing_hours"] == "h per analyst (FTE) a year"
    assert t.loc["costs.roles.0.role", "value"] == "team leader"
    assert t.loc["costs.roles.0.annual_cost", "unit"] == "GBP per full-time post a year"  # a team leader's, not an analyst's
    assert t.loc["costs.roles.0.per", "unit"] == "analyst FTE per FTE of the role"


def test_growth_and_shares_written_bare_have_their_units():
    t = table("growth-central")  # the reports' growth is uncertain (its median shown); the AI stream's a doubling time
    assert t.loc["demand.reports.growth.per_year", "unit"] == "share per year"
    assert t.loc["demand.ai-generated.growth.per_year", "unit"] == "share per year"
    police = table("police-unit")  # no overheads written: the default 0 is a share of the other costs
    assert (police.loc["costs.overheads", "value"], police.loc["costs.overheads", "unit"]) == ("0", "share of other costs")
    assert police.loc["workforce.triage.ramp.training_weeks", "unit"] == "weeks"
    assert police.loc["workforce.triage.ramp.mentor_hours", "unit"] == "h a week per trainee"


def test_an_empty_setting_reads_as_what_the_model_does_with_it():
    # Trial 11: a role's empty `teams` read "none" (it means every team), and an unset price year
    # "none" (the costs are in the prices of the year the run starts).
    growth = table("growth-central").value
    assert growth["costs.roles.0.teams"] == growth["costs.roles.1.teams"] == "all teams"
    police = table("police-unit").value
    assert police["costs.price_year"] == "2024 (not set: the year the run starts)"
    named = assumptions_table(load_scenario(bundled.path("growth-central"), ["costs.roles.0.teams=[graders]"]))
    assert named.set_index("key").value["costs.roles.0.teams"] == "graders"
