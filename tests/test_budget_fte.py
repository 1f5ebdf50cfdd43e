"""``capsim staff --budget`` caps a team at the analysts the budget pays for, each priced at its
own FTE: with shift patterns, new analysts at the FTE of the pattern hires join (the first), not
at the team's mean FTE at the start."""

from __future__ import annotations

from capsim.scenario import load_scenario
from capsim.staffing import Limits, solve_staffing
from capsim.workforce import affordable_headcount, headcount_fte

ANNUAL_COST = 30_000  # GBP a year for one FTE
BUDGET = 300_000  # GBP a year: 10 FTE

# Hires join the 40-hour weekday pattern (1 FTE each); the four weekend analysts work 20 hours
# (0.5 FTE each). At the start 2 + 4 × 0.5 = 4 FTE over 6 analysts: 2/3 FTE an analyst on average.
PATTERNS = {
    "name": "patterns", "clock": {"horizon": "35d", "warmup": "7d", "step": "1d", "start": "2024-01-01"},
    "priorities": ["urgent"],
    "demand": [{"stream": "items", "rate": "40/day", "priority": "urgent"}],
    "review": {"image": {"dist": "exponential", "mean": "10min"}},
    "workforce": [{"team": "analysts", "shifts": [
        {"name": "weekday", "headcount": 2, "hours_per_day": 8, "days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00"},
        {"name": "weekend", "headcount": 4, "hours_per_day": 10, "days": ["sat", "sun"], "start": "08:00"}]}],
    "sla": [{"priority": "urgent", "within": "72h", "target": 0.5}],
    "costs": {"currency": "GBP", "teams": {"analysts": {"annual_cost": ANNUAL_COST}}},
    "experiment": {"replications": 2, "seed": 5},
}


def test_new_analysts_are_priced_at_the_fte_of_the_pattern_they_join():
    # Before, every analyst was priced at the mean 2/3 FTE: 10 / (2/3) = 15 analysts, 11 of them
    # weekday (1 FTE each) beside the 4 weekend analysts: 13 FTE, GBP 390,000 on a 300,000 budget.
    scenario = load_scenario(PATTERNS)
    team = scenario.workforce[0]
    plan = solve_staffing(scenario, period="month", confidence=0.5, max_headcount=40,  # above the budget's cap
                          limits=Limits(budget=BUDGET))
    assert plan.max_headcount == 12  # the 4 weekend analysts (2 FTE) and 8 weekday analysts (8 FTE)
    assert headcount_fte(team, 12) * ANNUAL_COST <= BUDGET < headcount_fte(team, 13) * ANNUAL_COST
    assert max(p.headcount for p in plan.periods) <= 12


def test_a_budget_that_cannot_pay_the_other_patterns_affords_no_one():
    team = load_scenario(PATTERNS).workforce[0]
    assert affordable_headcount(team, 1.5) == 0  # the weekend analysts alone are 2 FTE
    assert affordable_headcount(team, 2.0) == 4  # they, and no weekday analyst


def test_one_roster_prices_every_seat_at_its_fte():
    one = dict(PATTERNS, workforce=[{"team": "analysts", "headcount": 6, "roster": {
        "hours_per_day": 10, "days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00"}}])
    team = load_scenario(one).workforce[0]
    assert affordable_headcount(team, 10.0) == 8  # a 50-hour seat is 1.25 FTE of a 40-hour week
