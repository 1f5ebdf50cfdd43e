"""What would it take: for a run that misses a target, the analysts that would meet it, from when.

When a run misses an SLA target — over the whole run or in any calendar year — the
simulation-based staffing solver (:func:`capsim.staffing.solve_staffing`) plans the team's
headcount calendar year by calendar year — the very periods the report's tables and charts
give, a first and last part year ("2030 (Jan–Mar)") each planned on its own — so that every
SLA of that team is met in most replications (its ``confidence``), and the scenario with that
plan is run again under the same seed and replications: the what-if run, shown beside the
original and written to :data:`WHAT_IF_CSV` (:func:`write_what_if`). Its sentence says how many
more analysts, from when, and when they must be hired, counted against the staff the scenario
assumes (:func:`~capsim.charts.by_year.staff_words`): a scenario's headcount is its assumption,
never to be quoted as the staff in post today. It says "to meet every target" only where the
what-if run meets every target of the team in every calendar year (its mean, as the report
judges a year); the sentence after it gives the lowest year, or each year still short and by how
many points (:func:`plan_check`). Where the team sets no hiring lead time, a sentence says that
its hire-by dates allow no time to recruit or vet, as ``capsim staff`` says it
(:func:`~capsim.staff_notes.hire_by_words`), and how to set one (:func:`no_lead_time_words`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from capsim.charts.by_year import measure_words, staff_words, year_labels
from capsim.output import MANIFEST, write_json
from capsim.scenario import Scenario, Team
from capsim.staff_notes import exposure_caps, hire_by_words
from capsim.staffing import PeriodPlan, StaffingPlan, solve_staffing, team_slas
from capsim.workforce import seat_steps
from capsim.words import and_list, count_words, duration_text, fmt, interval, percent, signed

if TYPE_CHECKING:  # pragma: no cover
    from capsim.experiment import SimulationResult


WHAT_IT_TAKES_STEP = "--what-it-takes: the staffing solver's plan for the missed targets"
"""What made the what-if run's plan, as its charts' footers credit it: the ``--what-it-takes`` step of
``capsim report`` and ``capsim brief`` (:func:`what_it_takes`), not ``capsim staff``."""

WHAT_IF_CSV = "what_if_summary.csv"
"""The what-if run's figures, as ``summary.csv`` gives the scenario's (the same columns: the whole
run, period ``all``, then each calendar year): every number its sentences and table quote."""


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
    # in the calendar years the report gives and checks it in: a plan solved in years from the warm-up's
    # end (1 April) can miss a calendar year, or the part year its last plan year hid
    plan = solve_staffing(result.scenario, team, period="year", calendar=True, replications=result.replications,
                          seed=result.seed, workers=workers)
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


@dataclass(frozen=True)
class Check:
    """One SLA of the planned team in the what-if run: its calendar years' rows of ``period_summary``
    (``sla_<priority>_<team>``, the team's items arriving in the year, as the solver plans them, or with
    one team ``sla_<priority>``, all of them; means over the replications), those below target in ``short``;
    ``team``: the team its words name ("" for a scenario's one team)."""

    sla: Any
    metric: str
    team: str
    rows: Any
    short: Any


def plan_check(s: Scenario, answer: WhatItTakes) -> list[Check]:
    """Each SLA of the plan's team in scenario ``s`` as the what-if run attains it, calendar year by
    calendar year (years no item of it arrived in left out; an SLA with none, left out)."""
    plan, what_if = answer.plan, answer.result
    index = [t.team for t in s.workforce].index(plan.team)
    checks = []
    team = plan.team if len(s.workforce) > 1 else ""  # one team: no per-team metrics, its items are all
    for sla in team_slas(s, index):
        metric = f"sla_{sla.priority}_{team}" if team else f"sla_{sla.priority}"
        table = what_if.period_summary
        rows = table[(table.metric == metric) & table["mean"].map(math.isfinite)] if len(table) else table
        if len(rows):
            checks.append(Check(sla, metric, team, rows, rows[rows["mean"] < sla.target]))
    return checks


def _every_year(result: SimulationResult) -> str:
    """"in every year", or for a run within one calendar period "in" that period as the tables name it."""
    labels = year_labels(result, shortest_days=0)
    return f"in {next(iter(labels.values()))}" if len(labels) == 1 else "in every year"


def _check_words(result: SimulationResult, answer: WhatItTakes, check: Check) -> str:
    """The sentence on one SLA of the what-if run: every year meets it (the lowest year), or each year
    short of it, with its level, interval and the points it is short by; part years named as the tables
    name them (:func:`~capsim.charts.by_year.year_labels`)."""
    labels = year_labels(result, shortest_days=0)  # the what-if run's years: its clock is the run's
    name, sla = check.metric, check.sla
    items = f"{measure_words(result.scenario, sla, check.team)} assessed within {duration_text(sla.within)}"

    def level(row: Any) -> str:
        return f"{fmt(name, row['mean'])} ({interval(name, row.ci_low, row.ci_high, ref=row['mean'])})"

    where = f"With that plan (the what-if run beside this one; its figures are in {WHAT_IF_CSV})"
    if check.short.empty:
        worst = check.rows.loc[check.rows["mean"].idxmin()]
        if len(check.rows) == 1:  # a run within one calendar year, or the one year its items arrived in
            return f"{where}, {labels[worst.period]} meets the target of {percent(sla.target)} of {items}: {level(worst)}."
        return (f"{where}, every year meets the target of {percent(sla.target)} of {items}; the lowest is "
                f"{labels[worst.period]}: {level(worst)}.")
    short = [f"{labels[row.period]}: {level(row)}, "
             f"{signed(sla.target - row['mean'], share=True).removeprefix('+')} points short"
             for _, row in check.short.iterrows()]
    return (f"{where}, {items} still fall short of the {percent(sla.target)} target in "
            f"{'one year' if len(short) == 1 else f'{len(short)} years'}: {and_list(short)}.")


def write_what_if(folder: str | Path, answer: WhatItTakes | None) -> list[str]:
    """Write the what-if run's figures to ``folder``/:data:`WHAT_IF_CSV` (as ``summary.csv``), and record
    the plan (its team, calendar-year periods, confidence, dated headcounts) and that file in the
    folder's ``manifest.json`` where it has one (the web page's folders have none); return the files
    written (none: no plan, or no headcount meets the targets, so no what-if run)."""
    if answer is None or answer.result is None:
        return []
    folder = Path(folder)
    answer.result.summary_by_period().to_csv(folder / WHAT_IF_CSV, index=False)
    manifest = folder / MANIFEST
    if manifest.exists():
        record = json.loads(manifest.read_text(encoding="utf-8"))
        plan = answer.plan
        record["what_it_takes"] = {"team": plan.team, "periods": "calendar years", "confidence": plan.confidence,
                                   "changes": plan.changes(), "files": [WHAT_IF_CSV]}
        write_json(manifest, record)
    return [WHAT_IF_CSV]


def _temporary_words(p: PeriodPlan) -> str:
    """"2 of them temporary cover to 31 Jan 2030": the seats of a period of the plan that are temporary
    cover (:attr:`~capsim.staffing.PeriodPlan.temporary`), and their last day where they close within
    the period (:attr:`~capsim.staffing.PeriodPlan.temporary_until`; else they stay to its end at least):
    the seats in post fall when they close."""
    until = f" to {p.temporary_until:%-d %b %Y}" if p.temporary_until else ""
    return f"{p.temporary} of them temporary cover{until}"


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
            cover = f"; {_temporary_words(p)}" if p.temporary else ""
            steps.append(f"{count_words(p.headcount)} from {p.period.first:%-d %b %Y} ({p.change:+d}{cover}{hire}{late})")
    if not steps:
        return []
    last = plan.periods[-1]
    extra = last.headcount - today
    # the plan's seats, not the fewest that would do: a plan keeps the seats it has; against the
    # staff the scenario assumes, never "in post today" (a scenario's headcount is its assumption)
    assumed = staff_words(s, [team])
    member = next(t for t in s.workforce if t.team == team)
    changes = seat_steps(member, s.clock)[1]
    against = f"the {today} the scenario starts with, in place of {assumed}" if changes else assumed
    checks = plan_check(s, answer)
    # "to meet every target" only above a what-if run that meets them all, year by year
    lead = (f"The staffing plan for team {team} has " if any(not c.short.empty for c in checks) else
            f"To meet every target of team {team} {_every_year(result)}, the staffing plan has ")
    cover = f", {last.temporary} of them temporary" if last.temporary else ""  # not all lasting seats
    found = [lead + ", then ".join(steps) + f": {extra} more than {against}{cover}."]
    if member.hiring.lead_time == 0:  # every step has a hire-by date, reckoned with no time to recruit
        found.append(no_lead_time_words(member))
    found += [_check_words(result, answer, check) for check in checks]
    return found
