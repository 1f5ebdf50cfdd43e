"""Cost per assessed item divides by the work the money paid for: the streams' items whose
assessment started in the window, whenever they arrived (capsim.metrics.staffing_metrics).

A trial of growth-central found 2030's cost per assessed item at twice other years' (3.07
against 1.5): its items arrived into a backlog months long, so few that *arrived* in 2030 were
assessed in it while the analysts' hours, and the money, went to earlier ones."""

from __future__ import annotations

import math

from capsim import bundled
from capsim.budget import replication_budget
from capsim.engine import simulate_replication
from capsim.experiment import measure_replication
from capsim.scenario import load_scenario


def test_run_and_budget_give_one_cost_per_assessed_item_each_year():
    scenario = load_scenario(bundled.path("growth-central"))
    rep = simulate_replication(scenario, 20240101, 0)
    whole, _, years = measure_replication(scenario, rep, 0, "year", series=False)
    budget = replication_budget(scenario, rep).set_index("year")
    assert list(years) == [y for y in budget.index if y != "all"]
    for year, metrics in years.items():
        # the same money and the same items; the budget adds its lines in another order (last-digit rounding)
        assert math.isclose(metrics["cost_total"], budget.loc[year, "total_cost"], rel_tol=1e-12)
        assert math.isclose(metrics["cost_per_assessed"], budget.loc[year, "cost_per_assessed"], rel_tol=1e-12)
    assert math.isclose(whole["cost_per_assessed"], budget.loc["all", "cost_per_assessed"], rel_tol=1e-12)
    # the last year's backlog leaves most of its own arrivals unassessed: per arrival assessed its cost per
    # item would double (3.07 against 1.52). Per item assessed in it, it moves only with prices, +3% a year
    # (costs.inflation) over the run's three years: at most 1.03³ ≈ 1.093 times the run's, so 1.1 bounds it
    last = years[list(years)[-1]]
    assert last["assessed"] < 0.6 * budget.loc[list(years)[-1], "assessed"]
    assert last["cost_per_assessed"] < 1.1 * whole["cost_per_assessed"]
