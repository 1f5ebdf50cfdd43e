"""An uncertain number at a key that takes whole numbers only (a headcount, a count of items) is
rounded to the nearest whole number, its central value and every sampled value alike; a sampled
value the scenario refuses is refused for what it is (below zero), not for a fraction.

Before: ``--set workforce.analysts.headcount={uncertain: {dist: uniform, low: 9, high: 14}}`` could
not load (its median, 11.5, is not a whole number), and ``capsim uncertainty`` refused every
parameter set "base: --set workforce.analysts.headcount={uncertain: ...}: Input should be a valid
integer, got a number with a fractional part (got -4.173341940985587)".
"""

from __future__ import annotations

import re

import pytest

from capsim import bundled
from capsim.scenario import apply_overrides, resolve_raw, validate, whole_number_key
from capsim.uncertain_inputs import UncertainError, unknowns
from capsim.uncertainty import UncertaintyError, plan_uncertainty

HEADCOUNT = "workforce.analysts.headcount={uncertain: {dist: uniform, low: 9, high: 14, source: assumption}}"


@pytest.mark.parametrize("key, whole", [
    ("workforce.analysts.headcount", True), ("workforce.0.headcount", True),
    ("workforce.analysts.changes.0.headcount", True), ("demand.reports.initial_backlog", True),
    ("demand.reports.bursts.0.items", True), ("experiment.replications", True),
    ("demand.reports.rate", False), ("review.report.mean", False), ("tooling.classifier.recall", False),
    ("costs.teams.analysts.annual_cost", False), ("workforce.analysts", False), ("no.such.key", False),
])
def test_whole_number_keys_are_read_from_the_schema(key, whole):
    assert whole_number_key(key) is whole


def test_an_uncertain_headcount_runs_at_its_median_rounded():
    raw, origin = resolve_raw(bundled.path("base"))
    scenario = validate(apply_overrides(raw, [HEADCOUNT], origin), origin, [HEADCOUNT])
    team = next(t for t in scenario.workforce if t.team == "analysts")
    assert team.headcount == 12  # the median 11.5, to even
    (found,) = scenario.uncertain
    assert found.whole and found.describe("workforce.analysts.headcount").endswith(", rounded to a whole number")


def test_every_sampled_headcount_is_a_whole_number():
    plan = plan_uncertainty(bundled.path("base"), sets=8, replications=2, overrides=[HEADCOUNT])
    values = plan.values[:, 0]
    assert (values == values.round()).all() and values.min() >= 9 and values.max() <= 14
    settings = [point.values["workforce.analysts.headcount"] for point in plan.sweep.points]
    assert all(text.isdigit() for text in settings)
    assert {t.headcount for p in plan.sweep.points for t in p.scenario.workforce if t.team == "analysts"} == set(
        values.astype(int))


def test_a_sampled_headcount_below_zero_is_refused_as_such_not_as_a_fraction():
    """The set names the sampled whole number, the line the distribution's writer (tests/test_grid_errors.py)."""
    negative = "workforce.analysts.headcount={uncertain: {dist: normal, mean: 3, sd: 5, source: assumption}}"
    with pytest.raises(UncertaintyError) as err:
        plan_uncertainty(bundled.path("base"), sets=4, replications=2, overrides=[negative])
    message = str(err.value)
    assert re.search(r"parameter set \d \(workforce\.analysts\.headcount=-\d+\):", message), message
    assert "is too small; allowed: a whole number from 0 to 100,000" in message and "whole number;" not in message


def test_one_name_cannot_join_a_whole_number_and_a_fraction():
    shared = ("name: staff", "source: assumption")
    overrides = [f"workforce.analysts.headcount={{uncertain: {{dist: uniform, low: 9, high: 14, {', '.join(shared)}}}}}",
                 f"workforce.analysts.roster.hours_per_day={{uncertain: {{dist: uniform, low: 9, high: 14, "
                 f"{', '.join(shared)}}}}}"]
    raw, origin = resolve_raw(bundled.path("base"))
    validated = validate(apply_overrides(raw, overrides, origin), origin, overrides)
    with pytest.raises(UncertainError, match="only some of their keys take whole numbers"):
        unknowns(validated.uncertain)
