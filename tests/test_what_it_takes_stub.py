"""A few-day stub at the run's end judges no team: --what-it-takes neither plans it nor names it.

one-team with 9 analysts and a horizon of 370 days measures 2 Feb 2026 to 9 Jan 2027: the nine
days of 2027 are shorter than SHORTEST_PERIOD_DAYS, the part years the year lines and staff notes
already leave out. A burst of 1,500 reports on 4 Jan 2027 leaves that stub far below its 90%
target while the whole run and 2026 meet it: the report planned nine more analysts from November
2026 on the strength of nine days, and its cost sentence said the team missed a target.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from capsim import bundled
from capsim.charts.by_year import year_labels
from capsim.experiment import simulate
from capsim.periods import SHORTEST_PERIOD_DAYS, calendar_periods
from capsim.report.findings import cost_findings
from capsim.report.what_it_takes import WhatItTakes, missed_teams, plan_check, what_it_takes, what_it_takes_findings
from capsim.scenario import load_scenario
from capsim.staffing import plan_periods
from capsim.units import SECONDS_PER_DAY

BURST = "demand.reports.bursts=[{at: 2027-01-04, items: 1500}]"
"""1,500 reports at once in the run's last days: far more than 9 analysts assess within 72 h."""


def _run(horizon: str, analysts: int = 9):
    """one-team with ``analysts`` analysts and the burst, over ``horizon``: 3 replications at seed 1."""
    scenario = load_scenario(bundled.path("one-team"), [f"clock.horizon={horizon}",
                                                         f"workforce.analysts.headcount={analysts}", BURST])
    return simulate(scenario, replications=3, seed=1)


def _sla(result, period: str) -> float:
    table = result.summary_by_period()
    return float(table[(table.metric == "sla_normal") & (table.period == period)]["mean"].iloc[0])


def _days(result) -> dict[str, float]:
    return {p.label: (p.end - p.start) / SECONDS_PER_DAY for p in calendar_periods(result.scenario)}


@pytest.fixture(scope="module")
def stub():
    return _run("370d")


def test_a_team_missing_a_target_only_in_a_few_day_stub_is_not_planned(stub):
    assert _days(stub)["2027"] < SHORTEST_PERIOD_DAYS and "2027" not in year_labels(stub)  # the premise: a stub
    # far below target there by the burst, as its tables show; met over the run and in the year before
    assert _sla(stub, "2027") < 0.6 and _sla(stub, "all") >= 0.9 and _sla(stub, "2026") >= 0.9
    assert missed_teams(stub) == []
    assert what_it_takes(stub) is None  # no plan, no what-if run


def test_the_cost_sentence_does_not_say_the_team_misses_a_target_on_a_stub(stub):
    text = " ".join(cost_findings(stub))
    assert "It prices the 9 analysts the scenario holds constant (no posts added)." in text
    assert "misses a target" not in text


def test_a_part_year_of_four_weeks_or_more_still_judges_the_team():
    """The same burst in a last part year of 32 days (horizon 393 d, to 1 Feb 2027): that is a year the
    tables and staff notes judge, and the team missing it there is planned."""
    longer = _run("393d")
    assert _days(longer)["2027"] >= SHORTEST_PERIOD_DAYS and _sla(longer, "2027") < 0.9
    assert missed_teams(longer) == ["analysts"]


@pytest.fixture(scope="module")
def six():
    """The stub with 6 analysts: 2026 (2 Feb–31 Dec), eleven months, misses the target too (87%)."""
    return _run("370d", analysts=6)


def test_a_stub_is_planned_with_the_year_before_it_not_given_seats_of_its_own(six):
    """Planned as a year of its own, the nine days of the burst took 17 analysts (+11) from 6 Nov 2026,
    where 2026 needed 7. Nine analysts meet 2026 and the whole run with the burst in it (the first
    test): a plan of more is the stub's doing."""
    assert _sla(six, "2026") < 0.9 and missed_teams(six) == ["analysts"]  # the premise: a year that misses
    answer = what_it_takes(six)
    (plan,) = answer.plans
    assert [(p.period.first, p.period.last) for p in plan.periods] == [(dt.date(2026, 2, 2), dt.date(2027, 1, 9))]
    assert plan.periods[-1].headcount <= 9
    text = " ".join(what_it_takes_findings(six, answer))
    assert "To meet every target of team analysts in 2026 (2 Feb–31 Dec)," in text
    assert "2026 (2 Feb–31 Dec) meets the target of 90%" in text
    assert ("2027 (1–9 Jan) is shorter than 28 days, too short to judge a team by: that plan counts it with the "
            "year beside it, with no analysts for it alone, and no target here judges it") in text
    assert "fall short" not in text


def test_the_plans_check_judges_no_stub(six):
    """A what-if run far below target in the stub alone (the run itself, 4% there) was told it "still falls
    short ... in 2027 (1–9 Jan)": the check judges the years missed_teams judges, 2026 here."""
    assert _sla(six, "2027") < 0.1
    (check,) = plan_check(six.scenario, WhatItTakes([SimpleNamespace(team="analysts")], six), SimpleNamespace(team="analysts"))
    assert list(check.rows.period) == list(check.short.period) == ["2026"]


@pytest.mark.parametrize("horizon, periods", [
    ("400d", [(dt.date(2025, 12, 20), dt.date(2027, 1, 23))]),  # 12 days, 2026, 23 days: both stubs join 2026
    ("30d", [(dt.date(2025, 12, 20), dt.date(2025, 12, 31)), (dt.date(2026, 1, 1), dt.date(2026, 1, 18))]),
], ids=["stubs-at-both-ends", "every-period-short"])
def test_plan_years_join_a_stub_to_its_neighbour_unless_every_period_is_one(horizon, periods):
    """A first stub joins the year after it, a last the year before; a run of a few weeks keeps its
    periods, as the report's tables and year_labels do."""
    scenario = load_scenario(bundled.path("one-team"), ["clock.start=2025-12-20", "clock.warmup=0d",
                                                         f"clock.horizon={horizon}"])
    planned = plan_periods(scenario, "year", calendar=True, shortest_days=SHORTEST_PERIOD_DAYS)
    assert [(p.first, p.last) for p in planned] == periods
    assert len(plan_periods(scenario, "year", calendar=True)) == (3 if horizon == "400d" else 2)  # none joined by default
