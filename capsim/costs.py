"""What staff and tooling cost, in the scenario's currency.

**Staff**, per team with a ``costs.teams.<team>`` entry:

* salaries: ``annual_cost`` per analyst (one person on the team's contract) for a year of
  365.25 days (the project's year, as for annual volumes), pro rata by the second. A seat in
  post is :func:`~capsim.workforce.people_per_seat` analysts (its roster's hours a week over
  ``contracted_hours``): a Monday-to-Friday seat for all of a 365-day calendar year costs
  365/365.25 of ``annual_cost``, a 24/7 seat 4.2 times that by default;
* hiring: ``hire_cost`` once per new person (a planned new seat's people, or a leaver's
  replacement's), charged when they start;
* overtime: each hour of overtime worked costs ``overtime_premium`` × the hourly rate,
  ``annual_cost`` over the contracted hours a year (``contracted_hours`` × 52.18).

Analysts in post are counted whether present or absent (shrinkage is paid time).

**Tooling**: each enabled tool's ``annual_cost`` pro rata, plus its ``per_item_cost`` for
every item it processed — hash matching processes every arrival; the classifier, detector,
clustering and wellbeing tooling process the items that reach a human.

**Inflation** (``costs.inflation``, a rate per year): every cost is at the prices of the
calendar year in which the run starts; a cost falling in the ``n``-th calendar year after
that is multiplied by ``(1 + inflation) ** n``.

Without the realised shift plans (``shifts``), staff costs are those of the plan as written:
every seat filled (no attrition), new seats hired on their dates.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from capsim.scenario import Scenario, Team
from capsim.units import SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_YEAR
from capsim.workforce import ShiftPlan, Tenures, contracted_hours_per_year, people_per_seat, planned_tenures, shift_starts

ITEMS_PROCESSED_BY = {"hash_matching": "arrivals", "classifier": "reviewed", "synthetic_detector": "reviewed",
                      "clustering": "reviewed", "wellbeing": "reviewed"}
"""Which items each tool's per-item cost applies to."""


def price_index(scenario: Scenario, year: int) -> float:
    """Multiplier on costs falling in calendar ``year`` (1 in the year the run starts)."""
    return (1.0 + scenario.costs.inflation) ** (year - scenario.clock.start.year)


def calendar_years(scenario: Scenario, t0: float, t1: float) -> list[tuple[int, float, float]]:
    """[t0, t1) cut at new year: (calendar year, start, end) in seconds from the run's start."""
    start = scenario.clock.start
    pieces = []
    year = (start + dt.timedelta(seconds=t0)).year if t1 > t0 else start.year
    while True:
        a = max(t0, (dt.date(year, 1, 1) - start).days * SECONDS_PER_DAY)
        b = min(t1, (dt.date(year + 1, 1, 1) - start).days * SECONDS_PER_DAY)
        if a >= t1:
            break
        if b > a:
            pieces.append((year, a, b))
        year += 1
    return pieces


def _in_post_seconds(tenures: Tenures, a: float, b: float) -> float:
    return float(np.clip(np.minimum(tenures.end, b) - np.maximum(tenures.start, a), 0, None).sum())


def team_staff_cost(scenario: Scenario, team: Team, t0: float, t1: float, plan: ShiftPlan | None = None) -> dict[str, float]:
    """Staff cost of one team over [t0, t1): ``salaries``, ``hiring``, ``overtime`` and ``total``.

    With ``plan`` (a replication's shift plan) the analysts actually in post, hired and
    present count; without it, the plan as written (every seat filled, no attrition, the
    expected share of shifts worked).
    """
    rates = scenario.costs.teams.get(team.team)
    parts = {"salaries": 0.0, "hiring": 0.0, "overtime": 0.0}
    if rates is None:
        return {**parts, "total": 0.0}
    tenures = plan.tenures if plan is not None and plan.tenures is not None else planned_tenures(team, scenario.clock)
    hourly = rates.annual_cost / contracted_hours_per_year(team)
    people = people_per_seat(team)
    overtime_hours = (team.overtime or 0.0) / SECONDS_PER_HOUR
    starts = plan.start if plan is not None else shift_starts(team, scenario.clock)
    for year, a, b in calendar_years(scenario, t0, t1):
        index = price_index(scenario, year)
        parts["salaries"] += _in_post_seconds(tenures, a, b) / SECONDS_PER_YEAR * people * rates.annual_cost * index
        hires = int((tenures.new & (tenures.start >= a) & (tenures.start < b)).sum())
        parts["hiring"] += hires * people * rates.hire_cost * index
        if overtime_hours:
            if plan is not None:
                worked = plan.present_shifts_between(a, b)
            else:
                k0, k1 = np.searchsorted(starts, [a, b], side="left")
                in_post = sum(int(((tenures.start <= s) & (tenures.end > s)).sum()) for s in starts[k0:k1])
                worked = in_post * (1 - team.shrinkage)
            parts["overtime"] += worked * overtime_hours * hourly * rates.overtime_premium * index
    return {**parts, "total": sum(parts.values())}


def staff_cost_between(scenario: Scenario, t0: float, t1: float, shifts: list[ShiftPlan] | None = None) -> float:
    """Staff cost of every team with costs over [t0, t1) (``shifts``: a replication's plans, by team)."""
    return sum(team_staff_cost(scenario, team, t0, t1, shifts[i] if shifts is not None else None)["total"]
               for i, team in enumerate(scenario.workforce))


def staff_cost(scenario: Scenario, years: float, shifts: list[ShiftPlan] | None = None) -> float:
    """Staff cost over the measured period: the last ``years`` (of 365.25 days) before the horizon.

    With no planned changes, attrition, hiring or overtime costs and no inflation, this is
    headcount × ``annual_cost`` × ``years`` per team. ``shifts`` (a replication's shift
    plans, by team) counts the analysts actually in post instead of the plan as written.
    """
    horizon = scenario.clock.horizon
    return staff_cost_between(scenario, max(0.0, horizon - years * SECONDS_PER_YEAR), horizon, shifts)


def tooling_cost(scenario: Scenario, years: float, arrivals: float, reviewed: float, index: float = 1.0) -> float:
    """Cost of the enabled tools over ``years``, with ``arrivals`` and ``reviewed`` items processed.

    ``index`` multiplies the result (the price index of the period, see :func:`price_index`).
    """
    processed = {"arrivals": arrivals, "reviewed": reviewed}
    return index * sum(
        tool.annual_cost * years + tool.per_item_cost * processed[ITEMS_PROCESSED_BY[name]]
        for name, tool in scenario.tooling.enabled().items()
    )
