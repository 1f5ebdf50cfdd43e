"""Headline findings in plain words, each number with its 95% CI, and paired differences as lines.

A cost is never quoted bare: it says its price basis (:func:`price_words`), whose staff it prices
(the scenario's, held constant or as planned) and, where that staff misses a target, that it is not
what meeting the targets costs (:func:`cost_findings`)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from capsim.compare import held_difference_words, unpriced_notes
from capsim.costs import price_year
from capsim.held_back import held_back_notes, summary_figures
from capsim.metric_names import backlog_words
from capsim.units import SECONDS_PER_DAY, plain_number, target_percent
from capsim.report.what_it_takes import missed_teams
from capsim.report.years import year_findings
from capsim.staff_notes import cap_words, exposure_caps, longer_than_shift, usable_limits
from capsim.stopped_runout import stopped_runout_note
from capsim.charts.by_year import (measure_staff_words, measure_words, measured_span, sla_measures, staff_words,
                                   year_means)
from capsim.charts.exposure_hours import EXPOSURE, cap_verdict, past_usable_words
from capsim.charts.compare import difference_words, level_words, team_label
from capsim.charts.waits import all_items_words
from capsim.words import (and_list, duration_text, duration_unit, how_many, is_wait, mean_text, metric_label,
                          metric_words, why_no_interval, target_verdict, wait_words, whose_analysts, with_interval)

if TYPE_CHECKING:  # pragma: no cover
    from capsim.experiment import SimulationResult
    from capsim.scenario import Scenario


def _row(result: SimulationResult, metric: str) -> pd.Series | None:
    rows = result.summary[result.summary.metric == metric]
    return None if rows.empty else rows.iloc[0]


def _with_ci(result: SimulationResult, metric: str) -> str:
    row = _row(result, metric)
    if row is None:
        return "n/a"
    cur = result.scenario.costs.currency
    return with_interval(metric, row['mean'], row.ci_low, row.ci_high, cur)


def _usable_words(s: Scenario, usable: str) -> str:
    """The end of the findings' sentence on utilisation: the share ``usable`` (with its interval) of
    the time analysts may review — time on shift up to their team's exposure cap, less mentoring —
    or nothing where neither limits them (that share is then the share of time on shift just given)."""
    limits = usable_limits(s)
    return f", and {usable} of the time they may review (on shift, {limits})" if limits else ""


def _team_exposure_words(result: SimulationResult) -> str:
    """Each team's hours of review per analyst-shift (``exposure_hours_per_analyst_day_<team>``), with
    its 95% interval, against its own daily exposure cap (:func:`capsim.charts.exposure_hours.cap_verdict`),
    for a sentence of several teams: "3.79 (95% CI 3.70 to 3.88) hours at team analysts, within its
    4 h/day exposure cap; ...; no hours at team triage (it reviewed nothing)"; where no team has a cap,
    the figures and "(no daily exposure cap is set)" once."""
    s = result.scenario
    caps = exposure_caps(s)
    capped = any(cap is not None for cap in caps.values())
    member = {t.team: t for t in s.workforce}

    def team_words(team: str) -> str:
        name = f"{EXPOSURE}_{team}"
        row = _row(result, name)
        if row is None or not math.isfinite(row["mean"]):
            return f"no hours at team {team} (it reviewed nothing)"
        said = f"{_with_ci(result, name)} hours at team {team}" + longer_than_shift(member[team], row["mean"])
        verdict = cap_verdict(member[team], caps[team], row["mean"], row.ci_low, row.ci_high)
        return f"{said}, {verdict}" if capped else said

    text = "; ".join(team_words(t.team) for t in s.workforce)
    return text if capped else f"{text} (no daily exposure cap is set)"


def _team_waits(result: SimulationResult, teams: list[str], unit: str | None = None) -> list[str]:
    """Each of ``teams``' mean wait to start, of every item that arrived there, timed from its arrival
    there (``wait_mean_<team>``, hours), with its 95% interval, in ``unit`` (else its own,
    :func:`capsim.words.wait_words`): "144 days (95% CI 135 to 152 days) at team analysts"; a team
    with no such row, or none assessed, is left out."""
    return [f"{wait_words(row['mean'], row.ci_low, row.ci_high, unit=unit)} at team {team}" for team in teams
            if (row := _row(result, f"wait_mean_{team}")) is not None and math.isfinite(row["mean"])]


def referred_waits(result: SimulationResult) -> list[str]:
    """For a scenario whose teams refer items on (``routing``), the mean wait to start at each team
    receiving referrals, of every item that arrived there, timed from its arrival there
    (:func:`_team_waits`): the run's pooled waits are of the streams' own items as they arrived,
    so a referral waiting months at the next team is in none of them. [] without routing."""
    s = result.scenario
    said = _team_waits(result, list(dict.fromkeys(rule.to for rule in s.routing)))
    if not said:
        return []
    return [f"Items referred on are not in those waits: at the teams they are referred to, every item that arrived "
            f"there waited to start on average {'; '.join(said)}, timed from its arrival there."]


def headline_findings(result: SimulationResult) -> list[str]:
    """Plain-words findings of one run, each number with its 95% CI (from ``result.summary``); a
    cost that counts a tool with no price at 0 says so (:func:`capsim.compare.unpriced_notes`)."""
    s = result.scenario
    days = (s.clock.horizon - s.clock.warmup) / SECONDS_PER_DAY
    measured = f"{days:,.0f}" if days >= 100 else f"{days:g}"  # 1,068 days, not 1067.75; 2.5 days as it is
    warm = f", after a warm-up of {s.clock.warmup / SECONDS_PER_DAY:g} days" if s.clock.warmup else ""
    m = lambda name: _with_ci(result, name)
    intake = list(dict.fromkeys(s.team_of(stream) for stream in s.demand))  # the teams the streams go to
    # one finding, so one unit: the pooled waits' and, where the streams go to several teams, each team's
    times = ("wait_mean", "time_to_assessment_p50", "time_to_assessment_p90",
             *(f"wait_mean_{team}" for team in intake if len(intake) > 1))
    spans = {name: tuple(float(_row(result, name)[k]) for k in ("mean", "ci_low", "ci_high")) for name in times
             if _row(result, name) is not None}
    unit = duration_unit(*(x for span in spans.values() for x in span))
    wait = lambda name: wait_words(*spans[name], unit=unit)
    mean = lambda name: float(_row(result, name)["mean"]) if _row(result, name) is not None else float("nan")
    found = []
    parts = [f"Over the {measured} days measured{warm}, {m('arrivals')} items arrived and {m('assessed')} were assessed"]
    if mean("auto_cleared") > 0:
        parts.append(f"{m('auto_cleared')} were cleared automatically")
    if any(st.ttl is not None for st in s.demand):
        parts.append(f"{m('expired')} expired before anyone assessed them (missed takedowns)")
    found.append("; ".join(parts) + ".")
    span = f"the {measured} days measured"
    found.append(f"{backlog_words('backlog_mean', span, starts_sentence=True)} (all teams): {m('backlog_mean')}; "
                 f"{backlog_words('backlog_max', span)}: {m('backlog_max')}.")
    if math.isfinite(mean("wait_mean")):
        span = measured_span(s)  # whole-run figures beside each year's: their span said
        began = f"{span[:1].upper() + span[1:] + ', a' if span else 'A'}ssessment began on average {wait('wait_mean')}"
        if len(s.demand) > 1:  # what is pooled, and each team's own wait: no pooled figure quoted as one kind's
            teams = _team_waits(result, intake, unit) if len(intake) > 1 else []
            began += (" after arrival (those still waiting at the end are followed until assessed), pooled over "
                      f"{all_items_words(s, mean)}"
                      + (f"; at each team alone, items waited to start on average {'; '.join(teams)}" if teams else ""))
            half = "Half of these items"
        else:
            streams = "from the streams " if s.routing else ""  # referrals passed on are timed at their team below
            began += (f" after an item arrived (every item {streams}that arrived counts: those still waiting at the "
                      "end are followed until assessed)")
            half = f"Half of {all_items_words(s)}"
        found.append(f"{began}. {half} were assessed within {wait('time_to_assessment_p50')} "
                     f"and nine in ten within {wait('time_to_assessment_p90')}"
                     + ("; the service levels below count each priority's items alone." if s.sla else "."))
        found += referred_waits(result)
        if note := stopped_runout_note(s, summary_figures(result.summary)):  # the waits above are lower bounds
            found.append(note)
    else:
        found.append("No item was assessed, so no waiting time can be given.")
    for sla, name, team in sla_measures(s):
        row = _row(result, name)
        if row is None:
            continue
        what = measure_words(s, sla, team, name)
        if not math.isfinite(row["mean"]):
            found.append(f"The outcome of no {what} is known, so the {duration_text(sla.within)} service level "
                         "cannot be judged.")
            continue
        verdict = f"the target is {target_verdict(row['mean'], row.ci_low, row.ci_high, sla.target)}"
        pooled = " over the whole run" if len(year_findings(result)) else ""
        # the level holds for the staff assumed, not today's
        staff = measure_staff_words(s, sla, team, name)
        found.append(f"{m(name)} of {what} were assessed within {duration_text(sla.within)} "
                     f"of arriving{pooled}{f', with {staff}' if staff else ''}, against a target of "
                     f"{target_percent(sla.target)}: {verdict}; "
                     f"{mean_text(name, 1 - row['mean'], 1 - row.ci_high, 1 - row.ci_low)} were not assessed "
                     f"within {duration_text(sla.within)}.")  # in the decimals of the share beside it
    # a team fed by one that is behind is starved, not safe
    found += held_back_notes(s, summary_figures(result.summary), year_means(result, summary_figures))
    if math.isfinite(mean(EXPOSURE)):
        spent = (f"spent {m('utilisation')} of their time on shift reviewing"
                 f"{_usable_words(s, m('utilisation_usable'))}.")
        if len(s.workforce) == 1:
            cap = (f", against {cap_words(s)}" if any(c is not None for c in exposure_caps(s).values())
                   else " (no daily exposure cap is set)")
            reviewed = f"{m(EXPOSURE)} hours{cap}; {whose_analysts(s)} {spent}"
        else:  # each team against its own cap: a figure pooled over the teams is measured against none
            reviewed = f"{_team_exposure_words(result)}. {whose_analysts(s, starts_sentence=True)} {spent}"
        past = past_usable_words(s, mean, m)  # a team past the time it may review that its figure does not show
        found.append(f"On shifts with any review, an analyst reviewed material for {reviewed}"
                     + (f" But {past}." if past else ""))
    found += cost_findings(result)
    if s.uncertain:
        found.append(f"These intervals are the luck of the draw only: {how_many(len(s.uncertain), 'input')} "
                     f"{'is' if len(s.uncertain) == 1 else 'are'} uncertain "
                     f"({', '.join(i.key for i in s.uncertain)}) and run here at their medians. capsim uncertainty "
                     f"{s.name} gives each year's FTE and total cost with the interval over what we don't know too, "
                     "and names the input that drives it.")
    return year_findings(result) + found


def price_words(s: Scenario, keys: bool = True) -> str:
    """The price basis of a scenario's costs: the currency, the price year (:func:`capsim.costs.price_year`;
    the run's first year where ``costs.price_year`` is not set) and, where ``costs.inflation`` is not 0,
    its rate a year (a cost is at the prices of the calendar year it falls in): "in GBP at 2024 prices plus
    3% inflation a year", with ``keys`` followed by the keys the assumptions table lists them by
    ("(costs.price_year, costs.inflation)")."""
    c = s.costs
    named = ["costs.price_year" if c.price_year is not None else "the run's first year; costs.price_year not set"]
    words = f"in {c.currency} at {price_year(s)} prices"
    if c.inflation:
        words += f" {'plus' if c.inflation > 0 else 'less'} {plain_number(100 * abs(c.inflation))}% inflation a year"
        named.append("costs.inflation")
    return f"{words} ({', '.join(named)})" if keys else words


def total_cost_words(result: SimulationResult, keys: bool = True) -> str:
    """The run's total cost (``cost_total``) over the measured window (its months where it spans calendar
    years: :func:`~capsim.charts.by_year.measured_span`), with its 95% interval and price basis
    (:func:`price_words`, ``keys`` as there), as a sentence begins: "Total cost (staff, overheads, tools)
    over Apr 2027–Mar 2030 is £8,498,491 (95% CI ...) in GBP at 2024 prices ..."; "" where nothing is
    costed (0, or NaN: a team without a ``costs.teams`` entry)."""
    row = _row(result, "cost_total")
    if row is None or not row["mean"] > 0:
        return ""
    span = measured_span(result.scenario) or "over the measured period"
    return (f"{metric_label('cost_total')} {span} is {_with_ci(result, 'cost_total')} "
            f"{price_words(result.scenario, keys)}")


GRANT_ROSTER = "names any target no number of analysts can meet on the team's roster, sizing the staff for the rest"
"""What ``capsim grant`` does where a team's roster makes a target impossible (the plan leaves it out:
:attr:`~capsim.staffing.PeriodPlan.left_out`): said in the cost finding, whose run, with its staff fixed,
cannot tell whether one is (only the solver's plans do: :func:`~capsim.report.what_it_takes.roster_findings`)."""


def cost_findings(result: SimulationResult) -> list[str]:
    """The finding on the run's cost (:func:`total_cost_words`) and its cost per assessed item; whether
    it counts a tool with no price at 0 (:func:`capsim.compare.unpriced_notes`: else two costs read as
    equal tools); whose staff it prices (all teams' staff as the scenario has them:
    :func:`~capsim.charts.by_year.staff_words`) and, where a team misses a target with them
    (:func:`~capsim.report.what_it_takes.missed_teams`), that this is not what meeting the targets costs, and
    what sizes and costs the staff that would (capsim grant), naming a target no headcount meets
    (:data:`GRANT_ROSTER`: the run cannot tell, its staff being fixed); [] where nothing is costed."""
    total = total_cost_words(result)
    if not total:
        return []
    s = result.scenario
    unpriced = unpriced_notes([result]).get("cost_total")
    missed = missed_teams(result)
    # missed_teams judges by the mean alone: said so, as every verdict on a target is (target_side)
    short = (f"; with them, {and_list([f'team {t}' for t in missed])} {'misses' if len(missed) == 1 else 'miss'} "
             "a target on average here, so this is not what meeting the targets costs: capsim grant sizes and costs "
             f"the staff that would meet them, and {GRANT_ROSTER}" if missed else "")
    return [f"{total}, {_with_ci(result, 'cost_per_assessed')} per assessed item" + (f"; it {unpriced}" if unpriced else "")
            + f". It prices {staff_words(s, [t.team for t in s.workforce])}{short}."]


def quotable_findings(result: SimulationResult) -> list[str]:
    """The sentences a brief quotes: each year's service level and the year a target is first
    missed (or, for a run within one year, the service levels), the items waiting on average and,
    where no team misses a target (:func:`~capsim.report.what_it_takes.missed_teams`), the cost
    (:func:`cost_findings`): the cost of staff who fall short would be quoted as the cost of the
    service (the brief gives the cost of the plan that would meet the targets instead)."""
    lines = headline_findings(result)
    cost = cost_findings(result)
    keep = [x for x in lines if x not in cost and ("target" in x or "not assessed within" in x)]
    keep += [x for x in lines if x.startswith(backlog_words("backlog_mean", "", starts_sentence=True))]
    return list(dict.fromkeys(keep + ([] if missed_teams(result) else cost)))


def comparison_lines(table: pd.DataFrame, scenario: Any = None) -> dict[str, list[str]]:
    """Per scenario after the first: one line per metric, its paired difference with the levels it
    moves between where the table gives the runs' ``mean`` (:func:`~capsim.charts.compare.level_words`:
    "from 81.3% to 84.5%", money in the first run's currency, hours with " h") and the 95% CI in the same
    decimals (:func:`~capsim.charts.compare.difference_words`: shares in points, waits in the unit of the
    findings' waits, counts as they are), or why there is none (:func:`~capsim.words.why_no_interval`: "no
    difference in any replication", "+265,227 (from ...; the same in every replication)"), and, where the
    metric counts different items in the two runs, why (the table's ``note``). ``scenario`` (the first
    run's) names SLA items in plain words, and a team's own figure by its team
    (:func:`~capsim.charts.compare.team_label`)."""
    names = list(dict.fromkeys(table.scenario))
    first = (table[table.scenario == names[0]].set_index("metric")["mean"] if "mean" in table
             else pd.Series(dtype=float))  # the first run's levels, where the table gives them
    currency = "GBP" if scenario is None else scenario.costs.currency
    out: dict[str, list[str]] = {}
    for other in names[1:]:
        lines = []
        for _, row in table[table.scenario == other].iterrows():
            metric, d, lo, hi = row.metric, row["diff"], row.diff_ci_low, row.diff_ci_high
            label = team_label(metric, scenario, metric_words if is_wait(metric) else metric_label)
            line = f"{label}: {_difference_said(metric, d, lo, hi, first.get(metric, math.nan), currency)}"
            note = row.get("note", "")
            if isinstance(note, str) and note:
                line += f" — note: it {note}"
            lines.append(line)
        out[other] = lines
    return out


def _difference_said(metric: str, d: float, lo: float, hi: float, before: float, currency: str) -> str:
    """A line of :func:`comparison_lines` after its label: the paired difference ``d`` of ``metric`` (95% CI
    ``lo`` to ``hi``), the levels it moves between from the first run's mean ``before`` where known, and its
    interval or why there is none: "+3.2 points (from 90.2% to 93.4%; 95% CI +1.1 to +5.3 points)", "+0.4
    (95% CI −1.0 to +1.8): no clear difference", "no difference in any replication"; an end held where a
    share would reach 0% or 100% said as the team lines say it (:func:`capsim.compare.held_difference_words`)."""
    (said, low, high), unit = difference_words(metric, d, lo, hi)
    unit = f" {unit}" if unit else ""
    if not math.isfinite(d):
        return f"{said}{unit}"
    spread = why_no_interval(d, lo, hi)
    if d == 0 and spread and math.isfinite(lo):
        return spread  # none in any replication: no levels to move between
    levels = [level_words(metric, before, d, lo, hi, currency=currency)] if math.isfinite(before) else []
    held = held_difference_words(metric, before, lo, hi)  # an end where the share would reach 0% or 100%
    said = f"{said}{unit} ({'; '.join([*levels, spread or f'95% CI {low} to {high}{unit}{held}'])})"
    return said + (": no clear difference" if spread is None and lo < 0 < hi else "")
