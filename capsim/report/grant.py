"""The grant section of the report: FTE and full cost per grant year, with service levels beside
each cost, the budget lines, the chart, the prices the costs rest on, the limitations, and every
change made to the scenario files."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from capsim.costs import line_shown, shown_lines, unpriced_note
from capsim.metric_names import backlog_words
from capsim.report.assumptions import assumptions_table, table_html
from capsim.report.caveats import limitations
from capsim.grant_notes import (COST, COST_PRECISION, costs_shown, grant_notes, nil_cost, no_lead_time_teams,
                                no_lead_time_clause)
from capsim.report.page import COUNTS_ONLY, CSS, _inline_svg
from capsim.report.stress_des import RUN_TO_RUN_ONLY, at_medians
from capsim.scenario import Scenario
from capsim.units import target_percent
from capsim.version import version
from capsim.words import (MINUS, fmt, how_many, interval, late_teams, late_words, mean_words, need_words,
                          sla_words, with_interval)

if TYPE_CHECKING:  # pragma: no cover
    from capsim.grant import GrantResult
    from capsim.staffing import StaffingPlan


FIXED_COST = "fixed by the plan and the prices: the same in every replication"
"""Said inline beside a cost (or a difference of costs) the replications agree on, in place of its interval."""


def _cost(currency: str, shown: pd.Series) -> str:
    """A cost as the report writes money (:func:`~capsim.words.fmt`), rounded as every grant output gives
    it (``shown``: its row of :func:`~capsim.grant_notes.costs_shown`), with its 95% CI where the
    replications differ, :data:`FIXED_COST` where they agree, or why there is none: "€553,000 (95% CI
    €530,000 to €576,000)", "£2,750,000 (fixed by the plan and the prices: the same in every
    replication)", "£2,750,000 (one replication: no interval)"."""
    mean, low, high = shown["mean"], shown["low"], shown["high"]
    if shown["fixed"]:
        return f"{fmt(COST, mean, currency)} ({FIXED_COST})"
    if not (math.isfinite(low) and math.isfinite(high)):
        return with_interval(COST, mean, low, high, currency)
    return f"{fmt(COST, mean, currency)} (95% CI {fmt(COST, low, currency)} to {fmt(COST, high, currency)})"


def _hires(row: dict, scenario: Scenario, unled: Sequence[str], replications: int) -> str:
    """A grant table's ``hires`` in words: the analysts who started that year (or over the whole grant,
    "in all"), in every team, in new seats and, where a team loses analysts (``attrition``) and refills
    their seats, as replacements of leavers; "on average" where it is a mean over replications that
    differ; and, where the scenario's planned teams ``unled`` hire with no hiring lead time
    (:func:`~capsim.grant_notes.no_lead_time_clause`), that their hires start the day the plan
    needs them: "3.5 hires on average, counting new seats and replacements of leavers"; "0 hires"."""
    from capsim.grant import no_spread

    hires = float(row["hires"])  # people, whole unless replacements of leavers differ between replications
    words = how_many(int(hires), "hire") if hires.is_integer() else f"{hires:.1f} hires"
    low, high = row.get("hires_ci_low", math.nan), row.get("hires_ci_high", math.nan)
    varies = replications > 1 and math.isfinite(low) and not no_spread(low, high, replications)
    refills = any(t.attrition > 0 and t.hiring.replace_leavers for t in scenario.workforce)
    words += f"{' in all' if row['year'] == 'all' else ''}{' on average' if varies else ''}"
    if hires == 0:
        return words
    words += f", counting new seats{' and replacements of leavers' if refills else ''}"
    return f"{words}; {no_lead_time_clause(unled)}" if unled else words


def _signed_cost(currency: str, value: float) -> str:
    """A difference of cost as the report writes money, with a true minus where it is negative: −£12,000;
    unsigned where it is nil to the cent (:func:`~capsim.grant_notes.nil_cost`): £0.00."""
    return (MINUS if value < 0 and not nil_cost(value) else "") + fmt(COST, abs(value), currency)


def _with_interval(row: dict, column: str, aside: str = "") -> str:
    """A grant table's mean in ``column`` (:func:`mean_words`) and its 95% CI (``<column>_ci_low``,
    ``_ci_high``), written as the report writes every metric (:func:`~capsim.words.interval`), with
    ``aside`` in the same brackets: "95.5% (95% CI 84.9% to 100%; target 90%)",
    "1,835 (95% CI 1,595 to 2,075)"."""
    mean = row[column]
    bounds = interval(column, row[f"{column}_ci_low"], row[f"{column}_ci_high"], ref=mean)
    return f"{mean_words(row, column)} ({bounds}{'; ' + aside if aside else ''})"


def plan_notes(result: GrantResult) -> dict[str, list[str]]:
    """Per scenario, the staffing solver's notes on each team's grant years that have one (hires late,
    with the date they should have been recruited by; a year no headcount meets), as ``capsim grant``
    prints them under its table (:func:`_year_notes`): "one-team, team analysts, 2027/28: late by 21
    weeks: ...", "one-team, team analysts, 2028/29–2029/30: ..."."""
    labels = [year.label for year in result.years]
    return {name: [f"{name}, team {plan.team}, {line}" for plan in plans for line in _year_notes(plan, labels)]
            for name, plans in result.plans.items()}


def _year_notes(plan: StaffingPlan, labels: Sequence[str]) -> list[str]:
    """A team's grant plan's notes as ``capsim staff`` lists its periods' (:func:`~capsim.staffing.note_lines`),
    each period named by its grant year (``labels``): consecutive years with the same note once, a
    bracketed rule the first time only: "2027/28–2029/30: ..."."""
    from capsim.staffing import note_lines

    team = next(t for t in plan.scenario.workforce if t.team == plan.team)
    return note_lines([(k, period.note) for k, period in enumerate(plan.periods, start=1)], team, labels)


def grant_findings(result: GrantResult) -> dict[str, list[str]]:
    """Per scenario, one plain sentence per grant year (and the whole grant): analyst FTE needed for the
    planned teams' SLAs and, apart, the seats as written of the teams no target sizes (:func:`need_words`),
    those in post (all teams), the management and QA posts beside them (``management_fte``), hires
    (:func:`_hires`), full cost (:func:`_cost`: rounded, with its interval or why it has none), each SLA's
    attainment against its target and the items waiting on average over the year, each with its
    interval as the terminal gives it, each planned team whose
    hires are late that year named (:func:`late_words`), and the paired difference from the first
    scenario ("the same cost as" it where nil to the cent, never signed). The whole grant's FTE are the
    average over its years, the peak year of the need named."""
    table = result.table
    currency = result.scenarios[0].costs.currency
    first = result.scenarios[0].name
    slas = [c[:-len("_target")] for c in table.columns if c.startswith("sla_") and c.endswith("_target")]
    from capsim.grant import planned_teams, sla_columns, unplanned_teams

    costs = costs_shown(table, "total_cost", result.replications)
    apart = costs_shown(table, "total_cost_vs_first", result.replications) if "total_cost_vs_first" in table else None

    out: dict[str, list[str]] = {}
    for scenario in result.scenarios:
        named = {c: sla_words(scenario, *where) for c, where in sla_columns(scenario).items()}
        planned, unplanned = planned_teams(scenario), unplanned_teams(scenario)
        rows = table[table.scenario == scenario.name]
        years = rows[rows.year != "all"]
        unled = no_lead_time_teams([scenario], result.plans)
        lines = []
        for index, row in zip(rows.index, rows.to_dict("records")):
            whole = row["year"] == "all"
            over = "the whole grant" if whole else row["year"]
            when = "Over the whole grant" if whole else f"In {row['year']}"
            aside = ""
            if whole and math.isfinite(row["fte_needed"]) and len(years) > 1:
                peak = years.loc[years.fte_needed.idxmax()]
                aside = f" on average over its {len(years)} years (the most, {peak.fte_needed:.1f}, in {peak.year})"
            needed = need_words(f"{row['fte_needed']:.1f} analyst FTE" if math.isfinite(row["fte_needed"]) else None,
                                f"{row['fte_as_written']:.1f}", planned, unplanned, aside)
            levels = "; ".join(
                f"{named.get(s, s.removeprefix('sla_'))}: {_with_interval(row, s, 'target ' + target_percent(row[s + '_target']))}"
                for s in slas if math.isfinite(row.get(s, math.nan)))
            if late := late_words(late_teams(row, planned)):
                levels += (f" ({late}: recruited from the grant start, they are not in post and trained on the "
                           "year's first day)")
            posts = (f", and {row['management_fte']:.1f} FTE of management and QA posts (costs.roles)"
                     if row.get("management_fte", 0) > 0 else "")
            cost = _cost(currency, costs.loc[index])
            staff = "on average, all teams" if unplanned else "on average"
            text = (f"{when}: {needed} ({row['fte']:.1f} in post {staff}{posts}; "
                    f"{_hires(row, scenario, unled, result.replications)}); "
                    f"full cost {cost}; "
                    f"{levels}; {backlog_words('backlog_mean', over)} (all teams): {_with_interval(row, 'backlog_mean')}.")
            if scenario.name != first and math.isfinite(row.get("total_cost_vs_first", math.nan)):
                nil = nil_cost(row["total_cost_vs_first"])
                d, lo, hi, fixed = apart.loc[index]  # a difference not nil never reads as none
                mean = "no difference on average" if nil else ("+" if d > 0 else "") + _signed_cost(currency, d)
                if fixed:
                    text += f" The same cost as {first}." if nil else f" Against {first}: {mean} ({FIXED_COST})."
                else:
                    text += (f" Against {first}: {mean} (paired 95% CI {_signed_cost(currency, lo)} to "
                             f"{_signed_cost(currency, hi)}).")
            lines.append(text)
        out[scenario.name] = lines
    return out


def medians_notes(result: GrantResult) -> list[str]:
    """Per scenario with uncertain inputs, that its plan is sized and costed with them at their medians
    (:func:`~capsim.report.stress_des.at_medians`, as capsim run says it), so that every interval is
    the simulation's run-to-run spread only, and how to see what they do to the plan: capsim
    uncertainty on the scenario with its plan file (:func:`capsim.grant.plan_files`) merged in."""
    from capsim.grant import plan_files

    files = plan_files(result.scenarios)
    return [f"{s.name}: {at_medians(s)}: its plan is sized and costed with them there, so every interval given "
            f"for it is {RUN_TO_RUN_ONLY}. To see "
            f"what they do to this plan, run capsim uncertainty on a scenario file that extends {s.name}'s file and "
            f"holds {files[s.name]} (teams merge by name)." for s in result.scenarios if s.uncertain]


def cost_key(key: str) -> bool:
    """True for a key of :func:`~capsim.report.assumptions.assumptions_table` that prices the plan: the
    ``costs:`` section, and each enabled tool's annual and per-item cost."""
    return key.startswith("costs.") or (key.startswith("tooling.") and key.endswith((".annual_cost",
                                                                                      ".per_item_cost")))


def cost_assumptions(scenarios: Sequence[Scenario]) -> list[tuple[list[str], pd.DataFrame]]:
    """The prices the plans are costed with, as the main report's assumptions table gives them
    (:func:`~capsim.report.assumptions.assumptions_table`, rows of :func:`cost_key`: value, unit
    and source, a published figure where the scenario cites one, else "assumption", "assumption
    (--set)" or "default (assumption)"): one table per group of scenarios that share every row,
    with the group's names, in the scenarios' order."""
    groups: list[tuple[list[str], pd.DataFrame]] = []
    for scenario in scenarios:
        table = assumptions_table(scenario, [o.removeprefix("--set ") for o in scenario.overrides])
        table = table[table.key.map(cost_key)].reset_index(drop=True)
        same = next((names for names, known in groups if known.equals(table)), None)
        if same is None:
            groups.append(([scenario.name], table))
        else:
            same.append(scenario.name)
    return groups


def cost_assumptions_html(result: GrantResult) -> str:
    """What the costs rest on: the prices of each plan (:func:`cost_assumptions`), and the tools
    costed at 0 for want of a price (:func:`capsim.costs.unpriced_note`, as capsim budget says it)."""
    out = ["<h3>What the costs rest on</h3><p class='small'>Every price the plans are costed with, as the "
           "scenario gives it: a published figure where it cites one; otherwise an assumption, the scenario's own "
           "or capsim's default. Costs are at the prices of costs.price_year and rise by costs.inflation each "
           "calendar year.</p>"]
    groups = cost_assumptions(result.scenarios)
    for names, table in groups:
        if len(result.scenarios) > 1:
            out.append(f"<h4>{html.escape(', '.join(names))}</h4>")
        out.append(table_html(table))
    if (unpriced := unpriced_note(result.scenarios)) is not None:
        out.append(f"<p class='notice'>{html.escape(unpriced)}</p>")
    return "\n".join(out)


def budget_lines_html(result: GrantResult) -> str:
    """Per scenario, a table of the budget lines (rows) by grant year (columns), means."""
    table = result.table
    currency = result.scenarios[0].costs.currency
    parts = []
    for scenario in result.scenarios:
        mine = table[table.scenario == scenario.name]
        head = "".join(f"<th>{html.escape(str(y))}</th>" for y in mine.year)
        rows = []
        for column, label in shown_lines([t.team for t in scenario.workforce]):
            values = mine[column].to_numpy(dtype=float)
            if line_shown(scenario, column, values):
                rows.append(f"<tr><td>{html.escape(label)}</td>"
                            + "".join(f"<td class='value'>{v:,.0f}</td>" for v in values) + "</tr>")
        rows.append("<tr><td><strong>Total</strong></td>"
                    + "".join(f"<td class='value'><strong>{v:,.0f}</strong></td>" for v in mine.total_cost) + "</tr>")
        parts.append(f"<h3>{html.escape(scenario.name)}: budget lines ({html.escape(currency)}, means)</h3>"
                     f"<table><thead><tr><th>line</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    return "".join(parts)


def grant_section(result: GrantResult, chart_svg: str) -> str:
    """The grant section: findings, the uncertain inputs' note (:func:`medians_notes`), the plan's notes
    (:func:`plan_notes`), the chart, the budget lines, the prices they rest on
    (:func:`cost_assumptions_html`), the limitations, what was changed and how it was made."""
    years = result.years
    out = [f'<section id="grant"><h2>Grant: {how_many(len(years), "year")} from {years[0].first} ({years[0].label} to '
           f"{years[-1].label})</h2>",
           "<p class='small'>For each scenario, every team with SLAs is planned year by year (hires only, the SLAs met "
           "in at least the required share of replications, the plan replayed), and the plan is costed in full. "
           "Means over the replications with 95% confidence intervals; costs at each year's prices, rounded in "
           f"these lines, the notes and the chart {COST_PRECISION}; FTE are "
           "analysts' (the management and QA posts they call for are given beside them), counting contracted hours. "
           f"The warm-up ({', '.join(str(d) for d in sorted(set(result.warmup_days)))} days) runs "
           "before the grant start to fill the queues and is neither planned nor costed.</p>"]
    out.extend(f"<p class='notice'>{html.escape(note)}</p>" for note in medians_notes(result) + grant_notes(result))
    notes = plan_notes(result)
    for name, lines in grant_findings(result).items():
        if len(result.scenarios) > 1:
            out.append(f"<h3>{html.escape(name)}</h3>")
        out.append("<ul class='findings'>" + "".join(f"<li>{html.escape(x)}</li>" for x in lines) + "</ul>")
        out.extend(f"<p class='notice'>{html.escape(note)}</p>" for note in notes.get(name, []))
    out.append(f'<figure id="chart-grant">{_inline_svg(chart_svg, "grant")}<figcaption>Full cost per grant year '
               "with its 95% CI where the replications differ, and the share assessed in time; analyst FTE needed "
               "(for the SLAs of the planned teams, plus the seats as written of any team no target sizes) and in post "
               "(all teams). Files: charts/grant.png, "
               "charts/grant.svg.</figcaption></figure>")
    out.append(budget_lines_html(result))
    out.append(cost_assumptions_html(result))
    out.append("<h3>Limitations</h3><ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in
                                                    limitations(result.scenarios, result.replications)) + "</ul>")
    out.append("<h3>Changed from the scenario files</h3><ul class='small'>")
    for scenario in result.scenarios:
        for note in scenario.overrides or ["nothing"]:
            out.append(f"<li>{html.escape(scenario.name)}: {html.escape(note)}</li>")
    out.append("</ul></section>")
    return "\n".join(out)


def render_grant_report(result: GrantResult, chart_svg: str) -> str:
    """A self-contained HTML page holding the grant section."""
    title = "Grant sizing: " + " · ".join(s.name for s in result.scenarios)
    out = ['<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>capsim report: {html.escape(title)}</title>",
           f"<style>{CSS}</style></head><body><main>",
           f"<header><p class='meta'>capsim report</p><h1>{html.escape(title)}</h1>"]
    for s in result.scenarios:
        out.append(f"<p class='lede'><strong>{html.escape(s.name)}</strong>"
                   f"{': ' + html.escape(s.title) if s.title else ''}.</p>")
    out.append(f"<p class='meta'>{result.replications} replications · seed {result.seed} · capsim "
               f"{html.escape(version())}</p><p class='notice'>{html.escape(COUNTS_ONLY)}</p></header>")
    out.append(grant_section(result, chart_svg))
    out.append("</main></body></html>\n")
    return "\n".join(out)
