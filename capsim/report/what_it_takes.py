"""What would it take: for a run that misses a target, the analysts that would meet it, from when.

When a run misses an SLA target — over the whole run or in any calendar year — the
simulation-based staffing solver (:func:`capsim.staffing.solve_staffing`) plans the team's
headcount year by year so that every SLA of that team is met in most replications (its
``confidence``), and the scenario with that plan is run again under the same seed and
replications: the what-if run, shown beside the original. Its sentence says how many more
analysts, from when, and when they must be hired, counted against the staff the scenario assumes
(:func:`~capsim.charts.by_year.staff_words`): a scenario's headcount is its assumption,
never to be quoted as the staff in post today. Where the team sets no hiring lead time, the
next sentence says that its hire-by dates allow no time to recruit or vet, as ``capsim staff``
says it (:func:`~capsim.staff_notes.hire_by_words`), and how to set one (:func:`no_lead_time_words`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from capsim.charts.by_year import staff_words
from capsim.scenario import Team
from capsim.staff_notes import exposure_caps, hire_by_words
from capsim.staffing import StaffingPlan, solve_staffing, team_slas
from capsim.workforce import seat_steps
from capsim.words import count_words, duration_text, fmt, interval, items_words, percent

if TYPE_CHECKING:  # pragma: no cover
    from capsim.experiment import SimulationResult


WHAT_IT_TAKES_STEP = "--what-it-takes: the staffing solver's plan for the missed targets"
"""What made the what-if run's plan, as its charts' footers credit it: the ``--what-it-takes`` step of
``capsim report`` and ``capsim brief`` (:func:`what_it_takes`), not ``capsim staff``."""


@dataclass
class WhatItTakes:
    """The plan that would meet the missed targets and its run (``result`` None: no headcount up to the bound does)."""

    plan: StaffingPlan
    result: SimulationResult | None


def missed_targets(result: SimulationResult) -> list[str]:
    """The SLA priorities whose target is missed on average, over the whole run or in a calendar year."""
    missed = []
    for sla in result.scenario.sla:
        name = f"sla_{sla.priority}"
        rows = [result.summary[result.summary.metric == name]]
        if not result.period_summary.empty:
            rows.append(result.period_summary[result.period_summary.metric == name])
        if any((r["mean"] < sla.target).any() for r in rows):
            missed.append(sla.priority)
    return missed


def planned_team(result: SimulationResult, priorities: list[str]) -> str | None:
    """The team whose headcount decides the missed SLAs: the first whose own SLAs include one of them."""
    s = result.scenario
    for index, team in enumerate(s.workforce):
        if any(x.priority in priorities for x in team_slas(s, index)):
            return team.team
    return None


def what_it_takes(result: SimulationResult, workers: int = 1) -> WhatItTakes | None:
    """The staffing plan meeting every target a run misses, and the what-if run of it (None if none is missed)."""
    from capsim.experiment import simulate

    missed = missed_targets(result)
    team = planned_team(result, missed)
    if not missed or team is None:
        return None
    plan = solve_staffing(result.scenario, team, period="year", replications=result.replications, seed=result.seed,
                          workers=workers)
    if any(p.needed is None for p in plan.periods):  # not hires late: no headcount meets some year
        return WhatItTakes(plan, None)
    planned = plan.scenario_with_plan(WHAT_IT_TAKES_STEP)
    planned = planned.model_copy(update={"name": f"{result.scenario.name} with the plan",
                                         "title": f"{result.scenario.title or result.scenario.name}, staffed to plan"})
    return WhatItTakes(plan, simulate(planned, result.replications, result.seed, workers))


def no_lead_time_words(team: Team) -> str:
    """The sentence under a plan's hire-by dates for a team with no hiring lead time (``hiring.lead_time``
    0 s, the default): they allow no time to recruit or vet, why (:func:`~capsim.staff_notes.hire_by_words`,
    as ``capsim staff`` says it), and the option that sets a lead time in days (91d: 13 weeks)."""
    how = hire_by_words(team)
    return (f"These hire-by dates allow no time to recruit or vet new analysts. {how[:1].upper()}{how[1:]} "
            f"On the command line: --set workforce.{team.team}.hiring.lead_time=91d.")


def what_it_takes_findings(result: SimulationResult, answer: WhatItTakes) -> list[str]:
    """Sentences: how many more analysts from when (and hire by when), and what the what-if run attains."""
    s, plan = result.scenario, answer.plan
    team = plan.team
    today = plan.baseline
    if answer.result is None:
        limits = "the roster" + (" or the exposure cap" if exposure_caps(s)[team] is not None else "")
        return [f"No headcount of team {team} up to {plan.max_headcount} meets every target in every year: "
                f"more analysts alone do not fix it (see the staffing plan's notes: {limits})."]
    steps = []
    for p in plan.periods:
        if p.change > 0:
            hire = f"; hire by {p.hire_by:%-d %b %Y}" if p.hire_by else ""
            late = f", already {p.late_weeks} weeks late" if p.late_weeks else ""
            steps.append(f"{count_words(p.headcount)} from {p.period.first:%-d %b %Y} ({p.change:+d}{hire}{late})")
    if not steps:
        return []
    extra = plan.periods[-1].headcount - today
    # the plan's seats, not the fewest that would do: a plan keeps the seats it has; against the
    # staff the scenario assumes, never "in post today" (a scenario's headcount is its assumption)
    assumed = staff_words(s, [team])
    member = next(t for t in s.workforce if t.team == team)
    changes = seat_steps(member, s.clock)[1]
    against = f"the {today} the scenario starts with, in place of {assumed}" if changes else assumed
    found = [f"To meet every target of team {team} in every year, the staffing plan has "
             + ", then ".join(steps) + f": {extra} more than {against}."]
    if member.hiring.lead_time == 0:  # every step has a hire-by date, reckoned with no time to recruit
        found.append(no_lead_time_words(member))
    what_if = answer.result
    for sla in s.sla:
        name = f"sla_{sla.priority}"
        table = what_if.period_summary
        rows = table[table.metric == name]
        if rows.empty:
            continue
        worst = rows.loc[rows["mean"].idxmin()]
        if not math.isfinite(worst["mean"]):
            continue
        found.append(f"With that plan (the what-if run beside this one), the lowest year is {worst.period}: "
                     f"{fmt(name, worst['mean'])} ({interval(name, worst.ci_low, worst.ci_high, ref=worst['mean'])}) "
                     f"of {items_words(s, sla.priority)} assessed within {duration_text(sla.within)}, against "
                     f"{percent(sla.target)}.")
    return found
