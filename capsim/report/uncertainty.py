"""The report of an uncertainty run: findings with their three intervals, the input ranking, methods.

:func:`year_findings` says, for each calendar year, the FTE of review work and the staff cost
with their combined 95% interval and the input that drives it; :func:`uncertainty_findings`
the same for each headline result of the whole run; :func:`year_table_html` is the per-year
table and :func:`inputs_table_html` that of the uncertain inputs; :func:`methods_text`
describes the two-level design; :func:`write_uncertainty_report` writes ``uncertainty.html``
(with the ranking charts inline) and ``charts/uncertainty_*.*`` into the folder it is given: the
staging folder of :func:`capsim.uncertainty.run_uncertainty`'s ``report``, whose files capsim
moves into the run's folder, each listed and all or nothing, before its manifest says complete.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd

from capsim.charts.by_year import year_labels
from capsim.charts.uncertainty_words import SAME_IN_EVERY_RUN, part_span
from capsim.metric_names import backlog_words
from capsim.report.page import CSS
from capsim.report.stress_des import uncertain_inputs_text
from capsim.scenario import Scenario
from capsim.uncertain_inputs import unknowns
from capsim.uncertainty import (FLAT_OUT, NEGLIGIBLE_SHARE, RANKED_BY, REVIEW_FTE, REVIEW_FTE_TEXT, SAMPLER_NAMES,
                                SETS_OPTION, estimated_share, inputs_shown, NOT_NAMED, why_no_input_named)
from capsim.words import amount_text, duration_unit, fmt, interval, metric_words, percent, year_metric_label

HEADLINE = ("backlog_end", "wait_mean", "analyst_hours", "utilisation", "cost_total")
"""Results the findings speak of, when the run has them."""


def same_in_every_run(head: str, metric: str) -> str:
    """The finding for a result :data:`SAME_IN_EVERY_RUN`: ``head`` (its name and mean, "Total
    cost ..., 2028: GBP 410,000 on average"), then why nothing moves it; a cost prices the staff
    the scenario writes."""
    return (f"{head}, {SAME_IN_EVERY_RUN}: the inputs sampled and the luck of the draw do not change it"
            + (" (it prices the staff the scenario writes; capsim grant sizes the staff to the demand)."
               if metric.startswith("cost") else "."))


def alike_in_most_runs(value: str) -> str:
    """The words of a result whose total 95% interval has equal ends (``value``, as its finding writes
    it) though some runs differ (its input share known): one value, not "between 0 and 0", nor its
    mean: "and 0 in 95% of runs: the inputs sampled and the luck of the draw move it only in the
    other runs"."""
    return (f"and {value} in 95% of runs: the inputs sampled and the luck of the draw move it only in the "
            "other runs")


def uncertainty_findings(summary: pd.DataFrame, ranking: pd.DataFrame, scenario: Scenario,
                         metrics: Sequence[str] = HEADLINE) -> list[str]:
    """One plain sentence per metric: mean, total interval, the inputs' share, and the input that drives it;
    a total interval whose ends are equal as one value (:func:`alike_in_most_runs`)."""
    rows = summary.set_index("metric")
    lines = []
    for metric in metrics:
        if metric not in rows.index or not math.isfinite(rows.loc[metric, "mean"]):
            continue
        row = rows.loc[metric]
        mine = ranking[ranking.metric == metric].sort_values("first_order", ascending=False)

        unit = duration_unit(*(row[k] for k in ("mean", "total_low", "total_high", "run_low", "run_high")))

        def say(value: float) -> str:
            return amount_text(metric, value, scenario.costs.currency, unit)

        def span(part: str, joiner: str) -> str:
            return part_span(row, metric, part, scenario.costs.currency, unit, joiner)

        head = f"{metric_words(metric, scenario)}: {say(row['mean'])} on average"
        if not math.isfinite(row.input_share):
            lines.append(same_in_every_run(head, metric))
            continue
        if row.total_low == row.total_high:  # not "between 0 and 0"
            lines.append(f"{head}, {alike_in_most_runs(say(row.total_low))}.")
            continue
        line = (f"{head}; 95% of runs between {span('total', ' and ')}, of which the luck of the draw alone spans "
                f"{span('run', ' to ')}.")
        why = why_no_input_named(row)
        if why == "negligible":
            line += (f" The uncertain inputs sampled barely move it over this run (under {percent(NEGLIGIBLE_SHARE)} "
                     "of its variance): its spread is the luck of the draw.")
        elif why == "unclear":
            line += (f" The uncertain inputs may cause {percent(estimated_share(row.input_share))} of its spread, but "
                     "with this many parameter sets that cannot be told from Monte Carlo noise: run more sets "
                     f"({SETS_OPTION}) before naming an input to collect.")
        elif not mine.empty and math.isfinite(mine.first_order.iloc[0]):
            line += (f" {percent(estimated_share(row.input_share))} of the spread is what we don't know; of that "
                     f"input part, {percent(estimated_share(mine.first_order.iloc[0]))} is the {mine.input.iloc[0]}: "
                     "collect that first.")
        elif not mine.empty:
            line += f" Which input drives it cannot be said: {mine.not_ranked.iloc[0]}."
        lines.append(line)
    return lines


def unknown_text(metric: str) -> str:
    """A table's cell for a result unknown in every run (its mean NaN), said once and plainly: a cost
    of a scenario with a team not costed is "n/a (not costed: a team has no costs.teams entry)",
    any other result "n/a (no item measured in any replication)" (:func:`capsim.words.interval`'s words)."""
    return f"n/a ({interval(metric, math.nan, math.nan, ref=math.nan)})"


def year_cells(row: Any, by_year: pd.DataFrame, scenario: Scenario) -> list[str]:
    """A row of the per-year table (``row``: one of ``by_year``, :func:`capsim.uncertainty.summarise_by_year`)
    as the command line and uncertainty.html show it: the year, the result, its mean, its run-to-run,
    input and total 95% intervals (money in the scenario's currency, FTE, counts, shares:
    :func:`capsim.words.amount_text`; two ends that differ never alike,
    :func:`~capsim.charts.uncertainty_words.part_span`), the input share and the input that matters
    most (:func:`driver_text`).
    A result unknown in every run says so once, in its mean's cell (:func:`unknown_text`), the
    other cells left empty; one the same in every run (its input share NaN) once, in the last
    ("none: the same in every run"), its interval cells left empty rather than "41.0 – 41.0" three times."""
    head = [period_text(scenario, row.period), year_metric_label(row.metric, scenario)]
    if not math.isfinite(row.mean):
        return [*head, unknown_text(row.metric), "", "", "", "", ""]
    currency = scenario.costs.currency
    mean = amount_text(row.metric, row.mean, currency)
    if not math.isfinite(row.input_share):
        return [*head, mean, "", "", "", "n/a", driver_text(row, by_year)]
    share = percent(estimated_share(row.input_share))
    spans = [part_span(row, row.metric, part, currency, joiner=" – ") for part in ("run", "input", "total")]
    return [*head, mean, *spans, share, driver_text(row, by_year)]


def period_text(scenario: Scenario, period: str) -> str:
    """A calendar year of ``scenario``'s run as the tables and findings name it, as every other
    capsim table does (:func:`capsim.charts.by_year.year_labels`, however short the part year):
    "2028" where the run covers all of it, else what it covers: "2027 (Apr–Dec)", "2030 (Jan–Mar)",
    "2025 (1 Jan–31 Dec 12:00)" (a ``2y`` horizon ends at noon)."""
    return year_labels(SimpleNamespace(scenario=scenario), shortest_days=0).get(period, period)


def driver_text(row: Any, by_year: pd.DataFrame) -> str:
    """The input that matters most for a by-year row (:func:`capsim.uncertainty.summarise_by_year`),
    with its share of the input part, or why none is named (its ``not_ranked`` when the inputs are
    not ranked); where the inputs barely move it, why, if work piled up (:func:`piled_up` in
    ``by_year``, the whole by-year table). The intervals' ends: :func:`year_cells`."""
    if not math.isfinite(row.input_share):
        return f"none: {SAME_IN_EVERY_RUN}"
    if not row.driver:
        why = why_no_input_named(pd.Series(row._asdict()))
        caveat = piled_up(by_year, row.metric, row.period) if why == "negligible" else ""
        return (f"none: {NOT_NAMED[why]}" + (f", {caveat}" if caveat else "") if why
                else f"n/a: {row.not_ranked}")
    return f"{row.driver} ({percent(estimated_share(row.driver_share))})"


BACKLOG_GROWTH = 1.25
"""A backlog ending a year at more than this multiple of the year before's end has grown: work
arrived faster than it was cleared, and the FTE of review work is what was done, not what arrived. (A steady
national backlog of a few thousand items swings by about 15% either way run to run.)"""


def backlog_growth(by_year: pd.DataFrame, period: str) -> tuple[float, float] | None:
    """The mean backlog at the end of the year before ``period`` and at the end of ``period``, when it
    grew by more than :data:`BACKLOG_GROWTH` times (None otherwise, or for the first year)."""
    ends = by_year[by_year.metric == "backlog_end"].set_index("period")["mean"]
    labels = list(ends.index)
    if period not in labels or labels.index(period) == 0:
        return None
    before, after = float(ends.iloc[labels.index(period) - 1]), float(ends.loc[period])
    return (before, after) if after > BACKLOG_GROWTH * max(before, 1.0) else None


def flat_out(by_year: pd.DataFrame, period: str) -> str:
    """Where the backlog grew over ``period`` (:func:`backlog_growth`), the sentence saying so (the means
    whole, as the year's own finding of the backlog gives them: :func:`capsim.words.amount_text`) and that
    work arrived faster than it was cleared (at one team at least: the backlog counts every team), so
    the FTE of review work is the work done, not the work that arrived; else ""."""
    grew = backlog_growth(by_year, period)
    return (f"The {backlog_words('backlog_end', 'the year')} grew from {fmt('backlog_end', grew[0])} the year before to "
            f"{fmt('backlog_end', grew[1])}: work arrived faster than the staff cleared it, so the FTE of review work is the "
            "work they did, not the work that arrived, which was more." if grew else "")


def piled_up(by_year: pd.DataFrame, metric: str, period: str) -> str:
    """Why the inputs barely move ``metric`` in ``period``, wherever a finding, a table cell or a
    ranking chart says they do (:func:`year_findings`, :func:`driver_text`,
    :func:`write_uncertainty_report`): :data:`~capsim.uncertainty.FLAT_OUT` ("not because the
    demand is known but because work piled up ...") for the FTE of review work of a year whose
    backlog grew (:func:`flat_out`), so that none can be quoted as certainty; else ""."""
    return FLAT_OUT if metric == REVIEW_FTE and flat_out(by_year, period) else ""


def year_findings(by_year: pd.DataFrame, scenario: Scenario,
                  metrics: Sequence[str] = (REVIEW_FTE, "cost_total", "backlog_end")) -> list[str]:
    """One sentence per metric and calendar year: its mean, the combined (total) 95% interval, the
    input and run-to-run parts (:func:`~capsim.charts.uncertainty_words.part_span`), and the input
    that drives it; for the FTE of review work in a year whose backlog grew (:func:`backlog_growth`),
    that it is the work done, not the work that arrived, and, wherever it says the inputs barely
    move it (95% of runs alike included), why (:func:`piled_up`). Only a total interval whose ends
    are equal reads as one value ("0 in 95% of runs"); ends that differ, however little, are given
    apart ("18.96 and 19.02")."""
    lines = []
    for metric in metrics:
        for row in by_year[by_year.metric == metric].itertuples():
            if not math.isfinite(row.mean):
                continue

            unit = duration_unit(row.mean, row.total_low, row.total_high, row.input_low, row.input_high, row.run_low,
                                 row.run_high)

            def say(value: float) -> str:
                return amount_text(metric, value, scenario.costs.currency, unit)

            def span(part: str, joiner: str = " to ") -> str:
                return part_span(row, metric, part, scenario.costs.currency, unit, joiner)

            head = f"{year_metric_label(metric, scenario)}, {period_text(scenario, row.period)}: {say(row.mean)} on average"
            if not math.isfinite(row.input_share):
                lines.append(same_in_every_run(head, metric))
                continue
            caveat = piled_up(by_year, metric, row.period)
            after = f" {flat_out(by_year, row.period)}" if caveat else ""
            if row.total_low == row.total_high:  # ends that differ are given, however close (:func:`part_span`)
                lines.append(f"{head}, {alike_in_most_runs(say(row.total_low))}{', ' + caveat if caveat else ''}."
                             f"{after}")
                continue
            line = (f"{head}; 95% of runs between {span('total', ' and ')} (what we don't know alone: "
                    f"{span('input')}; the luck of the draw alone: {span('run')}).")
            why = "" if row.driver else why_no_input_named(pd.Series(row._asdict()))
            if row.driver:
                line += (f" {'Most' if row.driver_share > 0.5 else 'The largest share'} of the input part "
                         f"({percent(estimated_share(row.driver_share))}) comes from the {row.driver}: collect that "
                         "first.")
            elif why == "negligible" and caveat:
                line += f" The uncertain inputs barely move it, {caveat}."
            elif why == "negligible":
                line += " The uncertain inputs barely move it: its spread is the luck of the draw."
            elif why == "unclear":
                line += (" With this many parameter sets the inputs' part cannot be told from Monte Carlo noise: "
                         "run more sets before naming an input to collect.")
            else:
                line += f" Which input drives it cannot be said: {row.not_ranked}."
            lines.append(line + after)
    return lines


def year_table_html(by_year: pd.DataFrame, scenario: Scenario) -> str:
    """The per-year table: year × metric, mean, the three 95% intervals, the inputs' share and the input that matters most."""
    head = "".join(f"<th>{c}</th>" for c in ("year", "result", "mean", "run-to-run", "what we don't know", "total",
                                             "input share", "matters most (share of the input part)"))
    rows = ["<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in year_cells(row, by_year, scenario)) + "</tr>"
            for row in by_year.itertuples()]
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def inputs_table_html(scenario: Scenario) -> str:
    """The uncertain inputs, one row per unknown (:func:`capsim.uncertainty.inputs_shown`): its
    short name (as the findings and the ranking charts name it), the scenario keys it sets, its
    distribution, median and central 95% in the input's own unit (days, percent a year ...), and
    its source."""
    head = "".join(f"<th>{c}</th>" for c in ("input", "what it is (scenario key)", "distribution", "median",
                                             "central 95%", "source"))
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in (
        i.input, i.keys, i.distribution, i.median, f"{i.low} – {i.high}", i.source)) + "</tr>"
        for i in inputs_shown(unknowns(scenario.uncertain)).itertuples())
    return f"<table><tr>{head}</tr>{rows}</table>"


def chart_year(by_year: pd.DataFrame) -> tuple[str, str] | None:
    """The (year, metric) whose input ranking the report charts, among the whole years (all the
    years when none is whole): the first of the FTE of review work, the staff cost and the backlog
    at the year's end that the inputs move in some year (an input named as its driver), in the year
    where they cause most of its variance (``input_share``); if they move none, the FTE of review
    work in the year where the inputs cause most of its variance all the same (named or not: too
    few sets to rank, say), the latest of equals."""
    years = by_year[by_year.days >= 365] if (by_year.days >= 365).any() else by_year
    for metric in (REVIEW_FTE, "cost_total", "backlog_end"):
        named = years[(years.metric == metric) & (years.driver != "")]
        if len(named):
            return str(named.loc[named.input_share.idxmax()].period), metric
    rows = years[years.metric == REVIEW_FTE].iloc[::-1]  # latest first: idxmax keeps the first of equals
    if rows.empty:
        return None
    return str(rows.loc[rows.input_share.fillna(-1.0).idxmax()].period), REVIEW_FTE


def methods_text(scenario: Scenario, sets: int, replications: int, sampler: str) -> str:
    """The two-level design in a paragraph, with this run's sizes."""
    return (uncertain_inputs_text(scenario, sampled=True).strip()
            + f" This run: {sets} parameter sets ({SAMPLER_NAMES[sampler]}) × "
            f"{replications} replications. The input interval is the 2.5% to 97.5% range of the set means, shrunk "
            "towards the grand mean so that each mean's own run-to-run noise does not widen it; the run-to-run "
            "interval pools the deviations within sets; the total interval is the range of every run. The Monte Carlo "
            "error of each is in uncertainty_summary.csv and uncertainty_by_year.csv (bootstrap over sets). Inputs "
            f"are ranked by {RANKED_BY} of the set means"
            + ("; with the Sobol sequence, each input's first-order Sobol index is also estimated by SALib's RBD-FAST "
               "(sobol_first_order in uncertainty_ranking.csv), a check for answers that are not monotone: at a few "
               "dozen sets it is too noisy to rank by" if sampler == "sobol" else "")
            + f". Each run is also measured per calendar year "
            f"(part years at the ends). {REVIEW_FTE_TEXT}")


def write_uncertainty_report(folder: Path, scenario: Scenario, summary: pd.DataFrame, ranking: pd.DataFrame,
                             seed: int, sets: int, replications: int, sampler: str,
                             metric: str = "backlog_end", by_year: pd.DataFrame | None = None,
                             ranking_by_year: pd.DataFrame | None = None) -> Path:
    """Write ``uncertainty.html``, the ranking chart of ``metric`` over the whole run and, with the
    by-year tables, that of the year and metric of :func:`chart_year`, into ``folder``; return the page's path."""
    from capsim.charts.files import save, strip_svg_prolog
    from capsim.charts.input_ranking import input_ranking

    def chart(rank: pd.DataFrame, summ: pd.DataFrame, name: str, stem: str, period: str | None = None,
              saturated: str = "") -> str:
        fig = input_ranking(rank, summ, scenario, name, seed, sets, replications, sampler, period, saturated)
        paths = save(fig, folder / "charts" / stem, ("png", "svg"))
        return strip_svg_prolog(next(p for p in paths if p.suffix == ".svg").read_text(encoding="utf-8"))

    svg = chart(ranking, summary, metric, f"uncertainty_{metric}")
    by_year = by_year if by_year is not None else pd.DataFrame()
    charted = chart_year(by_year) if len(by_year) else None
    yearly = ""
    if charted is not None and ranking_by_year is not None:
        year, name = charted
        named = period_text(scenario, year)
        year_svg = chart(ranking_by_year[ranking_by_year.period == year], by_year[by_year.period == year], name,
                         f"uncertainty_{name}_{year}", named,
                         flat_out(by_year, year) if piled_up(by_year, name, year) else "")
        yearly = (f"<h2>Year by year</h2>{year_table_html(by_year, scenario)}<p>{html.escape(REVIEW_FTE_TEXT)}</p>"
                  f"<h2>Which unknown matters: {html.escape(year_metric_label(name, scenario))}, {html.escape(named)}</h2>"
                  f"{year_svg}")
    lines = year_findings(by_year, scenario) if len(by_year) else []
    findings = "".join(f"<li>{html.escape(line)}</li>"
                       for line in lines + uncertainty_findings(summary, ranking, scenario))
    inputs = inputs_table_html(scenario)
    page = (f"<!doctype html><html lang=en><meta charset=utf-8><title>{html.escape(scenario.name)}: what we don't "
            f"know</title><style>{CSS}</style><body><main><h1>{html.escape(scenario.name)}: what we don't know</h1>"
            f"<h2>Findings</h2><ul>{findings}</ul>{yearly}<h2>Which unknown matters over the whole run</h2>{svg}"
            f"<h2>Uncertain inputs</h2>{inputs}<h2>Methods</h2><p>{html.escape(methods_text(scenario, sets, replications, sampler))}</p>"
            "<p>capsim models counts and durations only; it never handles content.</p></main></body></html>\n")
    target = folder / "uncertainty.html"
    target.write_text(page, encoding="utf-8")
    return target
