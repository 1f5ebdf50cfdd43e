"""What would it take: for a run that misses a target, the analysts that would meet it, from when.

When a team's own items miss an SLA target — over the whole run or in any calendar year (a part
year shorter than :data:`~capsim.periods.SHORTEST_PERIOD_DAYS`, four weeks, judges no team),
a priority only referrals have counted at the team they are referred to (:func:`missed_teams`) —
the simulation-based staffing solver (:func:`capsim.staffing.solve_staffing`) plans that team's
headcount calendar year by calendar year — the very periods the report's tables and charts give, a
first and last part year ("2030 (Jan–Mar)") each planned on its own, but one shorter than four
weeks planned with the year beside it — so that every SLA of that team is met in most replications
(its ``confidence``). Several such teams, and
the teams they refer work to (:func:`teams_to_plan`), are planned in referral order, each with
the plans before it in place (as ``capsim grant`` plans them). The scenario with the plans is
run again under the same seed and replications: the what-if run, shown beside the original and
written to :data:`WHAT_IF_CSV` (:func:`write_what_if`). Its sentences say, team by team, how many
more analysts, from when, and when they must be hired, counted against the staff the scenario
assumes (:func:`~capsim.charts.by_year.staff_words`): a scenario's headcount is its assumption,
never to be quoted as the staff in post today. It says "to meet every target" only where the
what-if run meets every target of the team in every calendar year it judges (its mean, as the
report judges a year; no part year shorter than four weeks); the sentence after it gives the lowest
year, or each year still short and by how many points (:func:`plan_check`), and a last one says which
part years are too short to judge (:func:`unjudged_words`). Where the roster makes a target of the team
impossible in some years (:attr:`~capsim.staffing.PeriodPlan.left_out`: no headcount meets it), its
sentences say so, why, in which years, and that the plan is for the team's other targets, as ``capsim
staff`` and ``capsim grant`` plan it (:func:`roster_findings`); a year that target still falls short in
is said to be the roster's, not the headcount's. Where the team sets no hiring lead time, a sentence says that
its hire-by dates allow no time to recruit or vet, as ``capsim staff`` says it
(:func:`~capsim.staff_notes.hire_by_words`), and how to set one (:func:`no_lead_time_words`).

Why it is one module (a little over 400 lines): the plans, the what-if run that checks them and every
sentence on them read the same plan periods and calendar years (:func:`plan_check`, :func:`_every_year`);
the roster's sentences qualify the check's ("the roster, not the headcount"). Split, each sentence would
be a module away from the check it reports.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from capsim.charts.by_year import (measure_words, metric_means, sla_measures, sla_teams, staff_words, stub_labels,
                                     year_labels, year_means, year_rows)
from capsim.metric_names import sla_words
from capsim.output import MANIFEST, write_json
from capsim.periods import SHORTEST_PERIOD_DAYS
from capsim.scenario import Scenario, Team
from capsim.staff_notes import exposure_caps, hire_by_words
from capsim.staffing import StaffingPlan, plan_periods, roster_limits, solve_staffing, team_slas
from capsim.units import target_percent
from capsim.workforce import seat_steps
from capsim.words import (and_list, count_words, duration_text, durations_words, signed,
                          target_side, with_interval)

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
    """The plans that would meet the missed targets, one per team that misses one, in referral order
    (each solved with the earlier teams' plans in place), and their run (``result`` None: for the last
    plan's team no headcount up to the bound does)."""

    plans: list[StaffingPlan]
    result: SimulationResult | None


def _plan_years(result: SimulationResult, plan: StaffingPlan, periods: tuple[int, ...]) -> str:
    """The calendar years of ``plan``'s ``periods`` (indices) as the tables name them (:func:`year_labels`:
    "2027 (Feb–Dec)", a part year too short to judge being planned with the year beside it), "in 2028 and
    2029"; "in every year" where they are all of the plan's (:func:`_every_year`)."""
    if len(periods) == len(plan.periods):
        return _every_year(result)
    labels = year_labels(result)
    names = [next((labels[str(y)] for y in range(p.first.year, p.last.year + 1) if str(y) in labels), str(p.first.year))
             for p in (plan.periods[k].period for k in periods)]
    return f"in {and_list(names)}"


def _limit_years(plan: StaffingPlan, priority: str) -> set[str]:
    """The calendar years (period labels: "2027") of ``plan``'s periods that leave ``priority`` out, the
    roster making its SLA impossible."""
    return {str(y) for p in plan.periods if priority in p.left_out
            for y in range(p.period.first.year, p.period.last.year + 1)}


def roster_findings(result: SimulationResult, plan: StaffingPlan) -> list[str]:
    """Sentences on the targets of ``plan``'s team the roster makes impossible (:func:`roster_limits`), two
    per reason: where and why, in ``capsim staff``'s words ("In every year, at team triage, the roster
    makes the target for urgent reports within 24 h impossible: only 70.7–75.7% of them arrive ...; no
    headcount can meet it: add shifts or lengthen the SLA window."), and that the plan is for the team's
    other targets only, as ``capsim grant`` plans it: more analysts do not meet those; [] for none."""
    s = result.scenario
    index = [t.team for t in s.workforce].index(plan.team)
    found = []
    for limit in roster_limits(plan):
        when = _plan_years(result, plan, limit.periods)
        left = and_list([sla_words(s, priority) for priority in limit.priorities])
        others = [sla_words(s, sla.priority) for sla in team_slas(s, index) if sla.priority not in limit.priorities]
        found.append(f"{when[:1].upper()}{when[1:]}, at team {plan.team}, {limit.reason}.")
        where = "" if len(limit.periods) == len(plan.periods) else f" {when}"
        found.append(f"The plan for team {plan.team} is for {and_list(others)} only, not for {left}{where}, which no "
                     "number of analysts meets (capsim grant plans for the same targets)." if others else
                     f"No target of team {plan.team} is left to plan for{where}: no number of analysts meets {left}.")
    return found


def team_measures(s: Scenario, team: str) -> list[tuple[Any, str]]:
    """Each SLA of ``team`` in scenario ``s`` with the metric that measures it at that team: the
    team's items, referrals included, as the solver plans them (``sla_<priority>_<team>``; with one
    team ``sla_<priority>``, all of them)."""
    index = [t.team for t in s.workforce].index(team)
    return [(sla, f"sla_{sla.priority}_{team}" if len(s.workforce) > 1 else f"sla_{sla.priority}")
            for sla in team_slas(s, index)]


def missed_teams(result: SimulationResult) -> list[str]:
    """The teams, in referral order, with an SLA target their own items miss on average (:func:`team_measures`),
    over the whole run or in a calendar year, and the intake teams of a priority whose streams' items miss
    it as the findings measure them (:func:`~capsim.charts.by_year.sla_measures`): those a plan is needed
    for. A priority only referrals have (police-unit's high-priority referrals to investigation) counts at
    the team they are referred to. A part year shorter than :data:`~capsim.periods.SHORTEST_PERIOD_DAYS`
    (four weeks, at either end of the run) judges no team (:func:`~capsim.charts.by_year.year_means`): a team
    missing a target there alone is neither planned nor said to miss one."""
    s = result.scenario
    means = [metric_means(result.summary), *year_means(result).values()]  # the whole run, then each year
    missed = lambda sla, metric: any(mean(metric) < sla.target for mean in means)
    # the findings' own measures too: the streams' items of a priority (sla_<priority>), at their intake teams
    intake = {team for sla, metric, at in sla_measures(s) if not at and missed(sla, metric)
              for team in sla_teams(s, [sla.priority])}
    return [s.workforce[i].team for i in s.team_order() if s.workforce[i].team in intake
            or any(missed(sla, metric) for sla, metric in team_measures(s, s.workforce[i].team))]


def teams_to_plan(result: SimulationResult) -> list[str]:
    """The teams a what-if plan covers, in referral order: those that miss a target (:func:`missed_teams`)
    and every team they refer work to (:meth:`~capsim.scenario.Scenario.referral_reach`) that has an SLA — staffed to plan, a team
    assesses more and refers more, and a team downstream that met its target on the work it got may
    no longer (the solver never plans a team below its seats, so one that still meets it gets none)."""
    s = result.scenario
    missed = set(missed_teams(result))
    fed = s.referral_reach(missed)
    return [s.workforce[i].team for i in s.team_order()
            if s.workforce[i].team in missed or (s.workforce[i].team in fed and team_slas(s, i))]


def what_it_takes(result: SimulationResult, workers: int = 1) -> WhatItTakes | None:
    """The staffing plans meeting every target a run misses, and the what-if run of them (None if none is missed)."""
    from capsim.experiment import simulate

    scenario, plans = result.scenario, []
    for team in teams_to_plan(result):  # each team planned with the plans of the teams before it in place
        # in the calendar years the report gives and checks it in: a plan solved in years from the warm-up's
        # end (1 April) can miss a calendar year, or the part year its last plan year hid; a part year too
        # short to judge (SHORTEST_PERIOD_DAYS) is planned with the year beside it, not given seats of its own
        plan = solve_staffing(scenario, team, period="year", calendar=True, shortest_days=SHORTEST_PERIOD_DAYS,
                              replications=result.replications, seed=result.seed, workers=workers)
        plans.append(plan)
        if any(p.needed is None for p in plan.periods):  # not hires late: no headcount meets some year
            return WhatItTakes(plans, None)
        scenario = plan.scenario_with_plan(WHAT_IT_TAKES_STEP)
    if not plans:
        return None
    planned = scenario.model_copy(update={"name": f"{result.scenario.name} with the plan",
                                          "title": f"{result.scenario.title or result.scenario.name}, staffed to plan"})
    return WhatItTakes(plans, simulate(planned, result.replications, result.seed, workers))


NO_LEAD_TIME = "These hire-by dates allow no time to recruit or vet new analysts."
"""The first sentence of :func:`no_lead_time_words` in full: said once in a run's findings."""


def no_lead_time_words(team: Team, short: bool = False) -> str:
    """The sentence under a plan's hire-by dates for a team with no hiring lead time (``hiring.lead_time``
    0 s, the default): they allow no time to recruit or vet, why (:func:`~capsim.staff_notes.hire_by_words`,
    as ``capsim staff`` says it), and the option that sets a lead time in days (91d: 13 weeks); ``short``
    (the brief, or a team after one whose sentence said why): that they allow none, and the option only."""
    option = f"--set workforce.{team.team}.hiring.lead_time=91d"
    if short:
        return f"The hire-by dates of team {team.team} allow no time to recruit or vet: no hiring lead time is set ({option})."
    how = hire_by_words(team)
    return f"{NO_LEAD_TIME} {how[:1].upper()}{how[1:]} On the command line: {option}."


@dataclass(frozen=True)
class Check:
    """One SLA of the planned team in the what-if run: its judged calendar years' rows of ``period_summary``
    (:func:`~capsim.charts.by_year.year_rows`: no part year shorter than four weeks; ``sla_<priority>_<team>``, the team's items arriving in the year, as the solver plans them, or with
    one team ``sla_<priority>``, all of them; means over the replications), those below target in ``short``;
    ``team``: the team its words name ("" for a scenario's one team)."""

    sla: Any
    metric: str
    team: str
    rows: Any
    short: Any


def plan_check(s: Scenario, answer: WhatItTakes, plan: StaffingPlan) -> list[Check]:
    """Each SLA of ``plan``'s team in scenario ``s`` (:func:`team_measures`) as the what-if run attains it,
    calendar year by calendar year, as :func:`missed_teams` judges a year (:func:`~capsim.charts.by_year.year_rows`:
    no part year shorter than :data:`~capsim.periods.SHORTEST_PERIOD_DAYS`); years no item of it
    arrived in left out; an SLA with none, left out."""
    table = answer.result.period_summary
    team = plan.team if len(s.workforce) > 1 else ""  # one team: no per-team metrics, its items are all
    checks = []
    for sla, metric in team_measures(s, plan.team):
        rows = year_rows(answer.result, metric).reset_index() if len(table) else table
        rows = rows[rows["mean"].map(math.isfinite)] if len(rows) else rows
        if len(rows):
            checks.append(Check(sla, metric, team, rows, rows[rows["mean"] < sla.target]))
    return checks


def _every_year(result: SimulationResult) -> str:
    """"in every year", or for a run with one calendar period to judge (:func:`plan_check`) "in" that period
    as the tables name it."""
    labels = year_labels(result)
    return f"in {next(iter(labels.values()))}" if len(labels) == 1 else "in every year"


def _check_words(result: SimulationResult, answer: WhatItTakes, check: Check,
                 roster: set[str] | frozenset[str] = frozenset()) -> str:
    """The sentence on one SLA of the what-if run: every year meets it (the lowest year), or each year
    short of it, with its level, interval and the points it is short by; part years named as the tables
    name them (:func:`~capsim.charts.by_year.year_labels`). A year met or missed on average only, its
    interval reaching across the target, is said to be (:func:`~capsim.charts.by_year.target_side`), and so
    is the clause naming the years short (:func:`_fall_short_words`). ``roster``: the calendar years (period
    labels) in which the roster makes the target impossible (:func:`_limit_years`); the years short among them
    are said to be the roster's, not the headcount's (:func:`_roster_short_words`)."""
    labels = year_labels(result, shortest_days=0)  # the what-if run's years: its clock is the run's
    name, sla = check.metric, check.sla
    items = f"{measure_words(result.scenario, sla, check.team)} assessed within {duration_text(sla.within)}"

    def level(row: Any) -> str:
        return with_interval(name, row['mean'], row.ci_low, row.ci_high)

    plans = "that plan" if len(answer.plans) == 1 else "these plans"
    where = f"With {plans} (the what-if run beside this one; its figures are in {WHAT_IF_CSV})"

    def side(row: Any) -> tuple[str, str]:  # met or missed, as far as its interval allows, and the hedge
        return target_side(row["mean"], row.ci_low, row.ci_high, sla.target)

    def hedge(row: Any) -> str:  # a year met or missed on average only: " on average", and its interval says so
        said = side(row)[1]
        return f" on average, but {said}" if said else ""

    if check.short.empty:
        worst = check.rows.loc[check.rows["mean"].idxmin()]
        reaching = [labels[row.period] for _, row in check.rows.iterrows() if hedge(row)]
        average = " on average" if reaching else ""
        below = f", but the 95% CI reaches below the target in {and_list(reaching)}" if reaching else ""
        if len(check.rows) == 1:  # a run within one calendar year, or the one year its items arrived in
            return (f"{where}, {labels[worst.period]} meets the target of {target_percent(sla.target)} of {items}{average}: "
                    f"{level(worst)}{below}.")
        return (f"{where}, every year meets the target of {target_percent(sla.target)} of {items}{average}; the lowest is "
                f"{labels[worst.period]}: {level(worst)}{below}.")

    def shortfall(row: Any) -> str:
        return (f"{labels[row.period]}: {level(row)}, "
                f"{signed(sla.target - row['mean'], share=True).removeprefix('+')} points short{hedge(row)}")

    rows = [row for _, row in check.short.iterrows()]
    surely = [shortfall(row) for row in rows if side(row)[0] == "missed"]  # the whole interval below the target
    average = [shortfall(row) for row in rows if side(row)[0] != "missed"]
    held = [labels[row.period] for row in rows if row.period in roster]  # short where no headcount meets it
    return (f"{where}, {items} {_fall_short_words(target_percent(sla.target), surely, average)}"
            f"{_roster_short_words(held, len(rows))}.")


def _roster_short_words(held: list[str], short: int) -> str:
    """The clause after a target's years short (:func:`_check_words`) naming those of them (``held``, as the
    tables name them, of ``short`` years short) the roster makes it impossible in: "; in those years the
    roster, not the headcount, keeps it short: no number of analysts meets it there (above)", the years
    named where they are not all of them ("in 2029"); "" for none."""
    if not held:
        return ""
    which = ("that year" if short == 1 else "those years") if len(held) == short else and_list(held)
    return f"; in {which} the roster, not the headcount, keeps it short: no number of analysts meets it there (above)"


def _fall_short_words(target: str, surely: list[str], average: list[str]) -> str:
    """"still fall short of the 90% target in one year: …" (``target``: the target as said), naming the
    years ``surely`` short (their whole 95% interval below it), then "; and fall short on average only in
    one more year: …", the years ``average`` short on their mean only; with none surely short, "still fall
    short on average of the 90% target in …": no clause says a year falls short that only its mean does."""
    if not surely:
        return f"still fall short on average of the {target} target in {_years(len(average))}: {and_list(average)}"
    also = (f"; and fall short on average only in {_years(len(average), more=True)}: {and_list(average)}"
            if average else "")
    return f"still fall short of the {target} target in {_years(len(surely))}: {and_list(surely)}{also}"


def _years(n: int, more: bool = False) -> str:
    """"one year", "2 years"; ``more``: "one more year", "2 more years"."""
    return f"{'one' if n == 1 else n}{' more' if more else ''} year{'' if n == 1 else 's'}"


def write_what_if(folder: str | Path, answer: WhatItTakes | None) -> list[str]:
    """Write the what-if run's figures to ``folder``/:data:`WHAT_IF_CSV` (as ``summary.csv``), and record
    the plans (calendar-year periods, confidence, each team's dated headcounts) and that file in the
    folder's ``manifest.json`` where it has one (the web page's folders have none); return the files
    written (none: no plan, or no headcount meets the targets, so no what-if run)."""
    if answer is None or answer.result is None:
        return []
    folder = Path(folder)
    answer.result.summary_by_period().to_csv(folder / WHAT_IF_CSV, index=False)
    manifest = folder / MANIFEST
    if manifest.exists():
        record = json.loads(manifest.read_text(encoding="utf-8"))
        record["what_it_takes"] = {"periods": "calendar years", "confidence": answer.plans[0].confidence,
                                   "plans": [{"team": plan.team, "changes": plan.changes()} for plan in answer.plans],
                                   "files": [WHAT_IF_CSV]}
        write_json(manifest, record)
    return [WHAT_IF_CSV]


def _temporary_words(plan: StaffingPlan, k: int) -> str:
    """"2 of them temporary cover to 31 Jan 2030": the seats of period ``k`` of ``plan`` that are temporary
    cover (:attr:`~capsim.staffing.PeriodPlan.temporary`), always with their end: their last day where they
    close within a period (:attr:`~capsim.staffing.PeriodPlan.temporary_until`), else the day before the
    first later period that closes some of them (:attr:`~capsim.staffing.PeriodPlan.cover_ended`), else
    "to the end of the run": the seats in post fall when they close."""
    for j, p in enumerate(plan.periods[k:], start=k):
        if p.temporary_until:
            end = f"{p.temporary_until:%-d %b %Y}"
            break
        if j + 1 < len(plan.periods) and plan.periods[j + 1].cover_ended:
            end = f"{p.period.last:%-d %b %Y}"
            break
    else:
        end = "the end of the run"
    return f"{plan.periods[k].temporary} of them temporary cover to {end}"


def what_it_takes_findings(result: SimulationResult, answer: WhatItTakes, brief: bool = False) -> list[str]:
    """Sentences, team by team: how many more analysts from when (and hire by when), and what the what-if
    run attains; ``brief``: for the brief's first page, why hire-by dates with no lead time allow no time
    to recruit said in short (:func:`no_lead_time_words`), as the report says it in full."""
    found: list[str] = []
    for plan in answer.plans:  # why hire-by dates with no lead time allow no time to recruit: said once in full
        found += _plan_findings(result, answer, plan, brief or any(x.startswith(NO_LEAD_TIME) for x in found))
    return found + unjudged_words(result, answer) + unplanned_worse(result, answer)


def unjudged_words(result: SimulationResult, answer: WhatItTakes) -> list[str]:
    """Where a plan was run and the run has a part year shorter than :data:`~capsim.periods.SHORTEST_PERIOD_DAYS`
    (kept in its tables, :func:`~capsim.charts.by_year.year_labels`), the sentence saying so: the plans count it
    with the year beside it (:func:`what_it_takes`), with no analysts for it alone, and no target here judges it
    (:func:`missed_teams`, :func:`plan_check`), though the what-if run's tables give it; else []."""
    if answer.result is None or result.period_summary.empty:
        return []
    stubs = stub_labels(result)
    if not stubs:
        return []
    plans = "that plan counts" if len(answer.plans) == 1 else "these plans count"
    is_, it = ("is", "it") if len(stubs) == 1 else ("are", "them")
    return [f"{and_list(stubs)} {is_} shorter than {SHORTEST_PERIOD_DAYS} days, too short to judge a team by: {plans} "
            f"{it} with the year beside {it}, with no analysts for {it} alone, and no target here judges {it} "
            f"(the what-if run's tables still give {it})."]


def unplanned_worse(result: SimulationResult, answer: WhatItTakes) -> list[str]:
    """For each team the plans' teams refer work to (:meth:`~capsim.scenario.Scenario.referral_reach`)
    that is not planned itself (it has no SLA): where the what-if run leaves more items waiting there
    at the end, or a longer mean wait, than the run's 95% interval reaches (``backlog_end_<team>``,
    ``wait_mean_<team>``), a sentence saying so with both means, since no target of its own flags it;
    [] where none does so."""
    if answer.result is None:
        return []
    s = result.scenario
    planned = {p.team for p in answer.plans}
    fed = s.referral_reach(planned) - planned
    if not fed:
        return []
    before, after = (r.summary.set_index("metric") for r in (result, answer.result))
    said = {"backlog_end": ("the items waiting there at the end rise", lambda *x: [count_words(v) for v in x]),
            "wait_mean": ("the mean wait to start there rises", durations_words)}  # means, both in one unit
    found = []
    for i in s.team_order():
        team = s.workforce[i].team
        if team not in fed:
            continue
        worse = [f"{words} from {' to '.join(say(before.loc[name, 'mean'], after.loc[name, 'mean']))}"
                 for metric, (words, say) in said.items()
                 if (name := f"{metric}_{team}") in before.index and name in after.index
                 and after.loc[name, "mean"] > before.loc[name, "ci_high"]]
        if worse:
            plans = "that plan" if len(answer.plans) == 1 else "these plans"
            found.append(f"With {plans}, team {team}, which has no target of its own, receives more referred work: "
                         f"{' and '.join(worse)} (beyond this run's 95% interval; the what-if run's "
                         f"figures are in {WHAT_IF_CSV}).")
    return found


def _plan_findings(result: SimulationResult, answer: WhatItTakes, plan: StaffingPlan, short: bool) -> list[str]:
    """:func:`what_it_takes_findings` of one team's plan (``short``: why hire-by dates with no lead time
    allow no time to recruit said in short, :func:`no_lead_time_words`)."""
    s = result.scenario
    team = plan.team
    roster = roster_findings(result, plan)  # targets no headcount meets: the plan is for the others
    if answer.result is None:
        if plan is not answer.plans[-1]:  # an earlier team's plan: the run that would check it was never made
            return roster
        limits = "the roster" + (" or the exposure cap" if exposure_caps(s)[team] is not None else "")
        before = [f"team {p.team}" for p in answer.plans[:-1]]
        given = f"With {and_list(before)} staffed to plan, no" if before else "No"
        return roster + [f"{given} headcount of team {team} up to {plan.max_headcount} meets every target in every "
                         f"year: more analysts alone do not fix it (see the staffing plan's notes: {limits})."]
    steps = []
    for k, p in enumerate(plan.periods):
        if p.change > 0:  # from the day the new analysts start, as the what-if run has them (late ones later)
            cover = f"; {_temporary_words(plan, k)}" if p.temporary else ""
            hire = (f"; hire by {p.hire_by:%-d %b %Y}" if not p.late_weeks else
                    f"; {p.late_weeks} weeks late: to be in post on {p.period.first:%-d %b %Y} they had to be "
                    f"recruited by {p.hire_by:%-d %b %Y}, before the plan starts on {plan.periods[0].period.first:%-d %b %Y}"
                    ) if p.hire_by else ""  # its first day, when recruiting can begin
            steps.append(f"{count_words(p.headcount)} from {p.starts or p.period.first:%-d %b %Y} "
                         f"({p.change:+d}{cover}{hire})")
    if not steps:
        return roster
    # the years: calendar years, as the tables; capsim staff --period year's start where the warm-up ends
    years = [p.first for p in plan_periods(s, "year")]
    when = ("" if plan is not answer.plans[0] or years == [p.first for p in plan_periods(s, "year", calendar=True,
                                                                                       shortest_days=SHORTEST_PERIOD_DAYS)]
            else f", by calendar year (capsim staff --period year plans years from {years[0]:%-d %B}, the "
            "warm-up's end, so its figures can differ),")
    last = plan.periods[-1]
    today = plan.baseline
    extra = last.headcount - today
    # the plan's seats, not the fewest that would do: a plan keeps the seats it has; against the
    # staff the scenario assumes, never "in post today" (a scenario's headcount is its assumption)
    assumed = staff_words(s, [team])
    member = next(t for t in s.workforce if t.team == team)
    changes = seat_steps(member, s.clock)[1]
    against = f"the {today} the scenario starts with, in place of {assumed}" if changes else assumed
    checks = plan_check(s, answer, plan)
    # "to meet every target" only above a what-if run that meets them all, year by year
    lead = (f"The staffing plan for team {team}{when} has " if any(not c.short.empty for c in checks) else
            f"To meet every target of team {team} {_every_year(result)}, the staffing plan{when} has ")
    cover = f", {last.temporary} of them temporary" if last.temporary else ""  # not all lasting seats
    found = [lead + ", then ".join(steps) + f": {extra} more than {against}{cover}.", *roster]
    before = [f"team {p.team}" for p in answer.plans[:answer.plans.index(plan)]]
    if before and team not in missed_teams(result):  # planned for the work the teams before it refer once staffed
        found[0] = (f"Team {team} met its targets in this run, but with {and_list(before)} staffed to plan it "
                    f"receives more referred work. {found[0]}")
    if member.hiring.lead_time == 0:  # every step has a hire-by date, reckoned with no time to recruit
        found.append(no_lead_time_words(member, short=short))
    found += [_check_words(result, answer, check, _limit_years(plan, check.sla.priority)) for check in checks]
    return found
