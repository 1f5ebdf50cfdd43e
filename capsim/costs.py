"""What staff and tooling cost, in the scenario's currency.

**Staff**, per team with a ``costs.teams.<team>`` entry, in the lines a finance officer keeps
(:data:`LINES`; FTE are analysts on the team's contract, part-time posts as fractions):

* salaries: ``annual_cost`` per FTE (one analyst full time on the team's contract) for a year of
  365.25 days (the project's year, as for annual volumes), pro rata by the second. A seat in
  post is :func:`~capsim.workforce.seat_fte` FTE (its roster's or shift pattern's hours a week
  over ``contracted_hours``, or the pattern's ``fte``), whichever way the roster is written: a
  Monday-to-Friday seat for all of a 365-day calendar year costs 365/365.25 of ``annual_cost``,
  a 24/7 seat 4.2 times that by default;
* on-costs: ``on_costs`` × salaries (employer's social insurance and pension);
* recruitment and vetting: ``hire_cost``, and training: ``training_cost``, once per new person
  (a planned new seat's people, or a leaver's replacement's: the seat's FTE, but at least one
  person, since a person is at most one FTE: 1.25 for a 50 h seat, 1 for a part-time one),
  charged when they start;
* overtime: each hour of overtime worked costs ``overtime_premium`` × the hourly rate,
  ``annual_cost`` over the contracted hours a year (``contracted_hours`` × 52.18);
* wellbeing: ``wellbeing_hours`` × ``wellbeing_hourly_cost`` per FTE-year in post;
* licences: ``licence_cost`` per FTE-year in post.

**Management and quality assurance** (``costs.roles``): one FTE of a role per ``per`` analyst
FTE of its teams, pro rata, at its ``annual_cost`` × (1 + ``on_costs``).

**Overheads** (``costs.overheads``): that share of every other line.

Analysts in post are counted whether present or absent (shrinkage is paid time).

**Tooling**: each enabled tool's ``annual_cost`` pro rata, plus its ``per_item_cost`` for
every item it processed — hash matching processes every arrival; the classifier, detector,
clustering and wellbeing tooling process the items that reach a human.

**Inflation** (``costs.inflation``, a rate per year of pay and prices): every cost is at the
prices of ``costs.price_year`` (default: the calendar year in which the run starts); a cost
falling in the ``n``-th calendar year after that is multiplied by ``(1 + inflation) ** n``.

:func:`staff_cost` and :func:`tooling_cost` (the ``cost_total`` metric) include their share
of overheads; :func:`cost_lines` shows every line apart.

Without the realised shift plans (``shifts``), staff costs are those of the plan as written:
every seat filled (no attrition), new seats hired on their dates.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from capsim.scenario import RoleCost, Scenario, Team
from capsim.units import SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_YEAR
from capsim.workforce import ShiftPlan, Tenures, contracted_hours_per_year, people_per_seat, planned_tenures, shift_starts

LINES = {
    "salaries": "Salaries",
    "on_costs": "Employer on-costs",
    "overtime": "Overtime",
    "management": "Management and quality assurance",
    "recruitment": "Recruitment and vetting",
    "training": "Training of new staff",
    "wellbeing": "Wellbeing (counselling)",
    "licences": "Licences and equipment per analyst",
    "tooling": "Tooling (annual and per item)",
    "overheads": "Overheads",
}
"""Budget lines, in the order a budget shows them, with their labels."""
TEAM_LINES = ["salaries", "on_costs", "overtime", "recruitment", "training", "wellbeing", "licences"]
"""The lines charged per team (:func:`team_staff_cost`)."""


def salary_label(team: str) -> str:
    """A team's salary line as a budget names it: "Analysts' salaries", "Victim id team's salaries"."""
    name = team.replace("_", " ")
    name = name[:1].upper() + name[1:]
    return f"{name}' salaries" if name.endswith("s") else f"{name} team's salaries"


def shown_lines(teams: list[str]) -> list[tuple[str, str]]:
    """(column of a budget table, label) of each line as a budget shows it: salaries per team (the
    ``salaries_<team>`` columns when there are several teams), tooling as ``tooling_cost``."""
    out = []
    for key, label in LINES.items():
        if key == "salaries":
            out += [("salaries" if len(teams) == 1 else f"salaries_{t}", salary_label(t)) for t in teams]
        else:
            out.append(("tooling_cost" if key == "tooling" else key, label))
    return out


def line_shown(scenario: Scenario, column: str, values: np.ndarray) -> bool:
    """Whether a budget shows the line in ``column`` (of :func:`shown_lines`) with these ``values`` per
    year: where it costs something in some year, and the tooling line wherever a tool is enabled, at 0
    too (a tool given no price is then named under the table, :func:`unpriced_note`)."""
    return bool(values.any()) or (column == "tooling_cost" and bool(scenario.tooling.enabled()))


ITEMS_PROCESSED_BY = {"hash_matching": "arrivals", "classifier": "reviewed", "synthetic_detector": "reviewed",
                      "clustering": "reviewed", "wellbeing": "reviewed"}
"""Which items each tool's per-item cost applies to."""


def price_year(scenario: Scenario) -> int:
    """The calendar year whose prices the scenario's costs are written in."""
    return scenario.costs.price_year if scenario.costs.price_year is not None else scenario.clock.start.year


def price_index(scenario: Scenario, year: int) -> float:
    """Multiplier on costs falling in calendar ``year`` (1 in :func:`price_year`)."""
    return (1.0 + scenario.costs.inflation) ** (year - price_year(scenario))


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


def _in_post_seconds(tenures: Tenures, a: float, b: float, weights: np.ndarray | float = 1.0) -> float:
    """Seconds in post within [a, b), summed over tenures, each × its weight (its FTE)."""
    return float((np.clip(np.minimum(tenures.end, b) - np.maximum(tenures.start, a), 0, None) * weights).sum())


def team_staff_cost(scenario: Scenario, team: Team, t0: float, t1: float, plan: ShiftPlan | None = None) -> dict[str, float]:
    """Staff cost of one team over [t0, t1): each of :data:`TEAM_LINES`, ``fte_years`` (FTE in post
    × years, at no price) and ``total`` (the lines, before overheads).

    With ``plan`` (a replication's shift plan) the analysts actually in post, hired and
    present count; without it, the plan as written (every seat filled, no attrition, the
    expected share of shifts worked).
    """
    rates = scenario.costs.teams.get(team.team)
    parts = dict.fromkeys(TEAM_LINES, 0.0)
    tenures = plan.tenures if plan is not None and plan.tenures is not None else planned_tenures(team, scenario.clock)
    # FTE per tenure: its seat's contracted FTE (capsim.workforce.seat_fte), from the plan, else the roster's
    weights = plan.fte[tenures.seat] if plan is not None and plan.fte is not None and plan.tenures is not None \
        else people_per_seat(team)
    # people recruited per new analyst in a seat: its FTE, at least one (a person is at most one FTE)
    recruits = np.broadcast_to(np.maximum(weights, 1.0), tenures.new.shape)
    fte_years = 0.0
    if rates is None:
        for _, a, b in calendar_years(scenario, t0, t1):
            fte_years += _in_post_seconds(tenures, a, b, weights) / SECONDS_PER_YEAR
        return {**parts, "fte_years": fte_years, "total": 0.0}
    hourly = rates.annual_cost / contracted_hours_per_year(team)
    overtime_hours = (team.overtime or 0.0) / SECONDS_PER_HOUR
    starts = plan.start if plan is not None else shift_starts(team, scenario.clock)
    for year, a, b in calendar_years(scenario, t0, t1):
        index = price_index(scenario, year)
        fte = _in_post_seconds(tenures, a, b, weights) / SECONDS_PER_YEAR  # FTE-years in [a, b)
        fte_years += fte
        parts["salaries"] += fte * rates.annual_cost * index
        parts["on_costs"] += fte * rates.annual_cost * rates.on_costs * index
        parts["wellbeing"] += fte * rates.wellbeing_hours * rates.wellbeing_hourly_cost * index
        parts["licences"] += fte * rates.licence_cost * index
        recruited = float(recruits[tenures.new & (tenures.start >= a) & (tenures.start < b)].sum())  # people
        parts["recruitment"] += recruited * rates.hire_cost * index
        parts["training"] += recruited * rates.training_cost * index
        if overtime_hours:
            if plan is not None:
                worked = plan.present_shifts_between(a, b)
            else:
                k0, k1 = np.searchsorted(starts, [a, b], side="left")
                in_post = sum(int(((tenures.start <= s) & (tenures.end > s)).sum()) for s in starts[k0:k1])
                worked = in_post * (1 - team.shrinkage)
            parts["overtime"] += worked * overtime_hours * hourly * rates.overtime_premium * index
    return {**parts, "fte_years": fte_years, "total": sum(parts.values())}


def role_teams(scenario: Scenario, role: RoleCost) -> list[str]:
    """The teams whose analyst FTE a management or QA role (``costs.roles``) is reckoned on: its
    ``teams``, or every team where it names none."""
    return role.teams or [t.team for t in scenario.workforce]


def role_cost(scenario: Scenario, fte_years: dict[str, dict[int, float]]) -> float:
    """Management and quality assurance (``costs.roles``) for the analyst FTE-years given per team
    and calendar year (``fte_years[team][year]``), at each year's prices."""
    total = 0.0
    for role in scenario.costs.roles:
        for team in role_teams(scenario, role):
            for year, fte in fte_years.get(team, {}).items():
                total += fte / role.per * role.annual_cost * (1 + role.on_costs) * price_index(scenario, year)
    return total


def staff_lines(scenario: Scenario, t0: float, t1: float, shifts: list[ShiftPlan] | None = None
                ) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """Staff lines of every team over [t0, t1), management included and overheads not, the
    FTE-years in post per team and the salaries per team (``shifts``: a replication's plans, by team)."""
    lines = dict.fromkeys(TEAM_LINES + ["management"], 0.0)
    fte_by_year: dict[str, dict[int, float]] = {}
    fte_years: dict[str, float] = {}
    salaries = dict.fromkeys((t.team for t in scenario.workforce), 0.0)
    for i, team in enumerate(scenario.workforce):
        plan = shifts[i] if shifts is not None else None
        by_year = {}
        for year, a, b in calendar_years(scenario, t0, t1):
            part = team_staff_cost(scenario, team, a, b, plan)
            for line in TEAM_LINES:
                lines[line] += part[line]
            salaries[team.team] += part["salaries"]
            by_year[year] = part["fte_years"]
        fte_by_year[team.team] = by_year
        fte_years[team.team] = sum(by_year.values())
    lines["management"] = role_cost(scenario, fte_by_year)
    return lines, fte_years, salaries


def staff_cost_between(scenario: Scenario, t0: float, t1: float, shifts: list[ShiftPlan] | None = None) -> float:
    """Staff cost over [t0, t1), management and its share of overheads included (``shifts``: a
    replication's plans, by team)."""
    return sum(staff_lines(scenario, t0, t1, shifts)[0].values()) * (1 + scenario.costs.overheads)


def staff_cost(scenario: Scenario, years: float, shifts: list[ShiftPlan] | None = None) -> float:
    """Staff cost over the measured period: the last ``years`` (of 365.25 days) before the horizon.

    With no planned changes, attrition, hiring, overtime, on-costs, roles, overheads or
    inflation, this is headcount × ``annual_cost`` × ``years`` per team. ``shifts`` (a
    replication's shift plans, by team) counts the analysts actually in post instead of the
    plan as written.
    """
    horizon = scenario.clock.horizon
    return staff_cost_between(scenario, max(0.0, horizon - years * SECONDS_PER_YEAR), horizon, shifts)


def tooling_cost(scenario: Scenario, years: float, arrivals: float, reviewed: float, index: float = 1.0) -> float:
    """Cost of the enabled tools over ``years``, with ``arrivals`` and ``reviewed`` items processed,
    and its share of overheads.

    ``index`` multiplies the result (the price index of the period, see :func:`price_index`).
    """
    return tooling_lines(scenario, years, arrivals, reviewed, index) * (1 + scenario.costs.overheads)


def tooling_lines(scenario: Scenario, years: float, arrivals: float, reviewed: float, index: float = 1.0) -> float:
    """Cost of the enabled tools over ``years`` before overheads: annual costs pro rata and per-item costs."""
    processed = {"arrivals": arrivals, "reviewed": reviewed}
    return index * sum(
        tool.annual_cost * years + tool.per_item_cost * processed[ITEMS_PROCESSED_BY[name]]
        for name, tool in scenario.tooling.enabled().items()
    )


def uncosted_teams(scenario: Scenario) -> list[str]:
    """The teams with no ``costs.teams.<team>`` entry: their staff cost is unknown, not 0, so the
    scenario's staff and total cost are unknown (NaN in a run; a budget or grant refuses it)."""
    return [team.team for team in scenario.workforce if team.team not in scenario.costs.teams]


def unpriced_tools(scenario: Scenario) -> list[str]:
    """The enabled tools the scenario gives no price (``annual_cost`` and ``per_item_cost`` both
    0): their tooling cost is 0 because nobody set one, not because they are free."""
    return [name for name, tool in scenario.tooling.enabled().items()
            if tool.annual_cost == 0 and tool.per_item_cost == 0]


def unpriced_note(scenarios: list[Scenario]) -> str | None:
    """One sentence naming, per scenario, the tools costed at 0 for want of a price; None when
    every enabled tool has one."""
    parts = [f"{s.name}: {', '.join(tools)}" for s in scenarios if (tools := unpriced_tools(s))]
    if not parts:
        return None
    return ("Tools with no price, costed at 0 (set tooling.<tool>.annual_cost or per_item_cost to cost them): "
            + "; ".join(parts) + ".")


def cost_lines(scenario: Scenario, t0: float, t1: float, shifts: list[ShiftPlan] | None,
               processed: dict[int, tuple[float, float]]) -> dict[str, float]:
    """Every budget line (:data:`LINES`) over [t0, t1) and their ``total``, at each calendar year's prices,
    and each team's salaries (``salaries_<team>``, part of ``salaries``).

    ``processed`` gives, per calendar year of [t0, t1), the (arrivals, reviewed) items the tools
    processed there (:data:`ITEMS_PROCESSED_BY`).
    """
    lines = dict.fromkeys(LINES, 0.0)
    staff, _, salaries = staff_lines(scenario, t0, t1, shifts)
    lines.update(staff)
    for year, a, b in calendar_years(scenario, t0, t1):
        arrivals, reviewed = processed.get(year, (0.0, 0.0))
        lines["tooling"] += tooling_lines(scenario, (b - a) / SECONDS_PER_YEAR, arrivals, reviewed,
                                          price_index(scenario, year))
    lines["overheads"] = scenario.costs.overheads * sum(v for k, v in lines.items() if k != "overheads")
    lines["total"] = sum(lines[k] for k in LINES)
    lines.update({f"salaries_{team}": value for team, value in salaries.items()})
    return lines
