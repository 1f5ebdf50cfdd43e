"""The report of an uncertainty run: findings with their three intervals, the input ranking, methods.

:func:`uncertainty_findings` says, for each headline result, its mean, the total 95% interval, how
much of it the inputs cause, and which input drives it; :func:`methods_text` describes the
two-level design; :func:`write_uncertainty_report` writes ``uncertainty.html`` (with the
ranking chart inline) and ``charts/uncertainty_<metric>.*`` into an uncertainty run's folder.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from capsim.report.page import CSS
from capsim.report.stress_des import uncertain_inputs_text
from capsim.scenario import Scenario
from capsim.uncertainty import NEGLIGIBLE_SHARE, estimated_share, inputs_negligible
from capsim.words import metric_label, percent, value_text

HEADLINE = ("backlog_end", "wait_mean", "analyst_hours", "utilisation", "cost_total")
"""Results the findings speak of, when the run has them."""


def uncertainty_findings(summary: pd.DataFrame, ranking: pd.DataFrame, scenario: Scenario,
                         metrics: Sequence[str] = HEADLINE) -> list[str]:
    """One plain sentence per metric: mean, total interval, the inputs' share, and the input that drives it."""
    rows = summary.set_index("metric")
    lines = []
    for metric in metrics:
        if metric not in rows.index or not math.isfinite(rows.loc[metric, "mean"]):
            continue
        row = rows.loc[metric]
        mine = ranking[ranking.metric == metric].sort_values("first_order", ascending=False)

        def say(value: float) -> str:
            return amount_text(metric, value, scenario.costs.currency)

        line = (f"{metric_label(metric, scenario)}: {say(row['mean'])} on average; 95% of runs between "
                f"{say(row.total_low)} and {say(row.total_high)}, of which the luck of "
                f"the draw alone spans {say(row.run_low)} to {say(row.run_high)}.")
        if math.isfinite(row.input_share) and inputs_negligible(row):
            line += (f" The uncertain inputs sampled barely move it over this run (under {percent(NEGLIGIBLE_SHARE)} "
                     "of its variance, or too little to tell from the Monte Carlo error): its spread is the luck of "
                     "the draw.")
        elif math.isfinite(row.input_share) and not mine.empty and math.isfinite(mine.first_order.iloc[0]):
            line += (f" {percent(estimated_share(row.input_share))} of the spread is what we don't know; of that "
                     f"input part, {percent(estimated_share(mine.first_order.iloc[0]))} is the {mine.input.iloc[0]}: "
                     "collect that first.")
        lines.append(line)
    return lines


def amount_text(metric: str, value: float, currency: str) -> str:
    """A metric's value in words (:func:`capsim.words.value_text`), money after its currency as
    :func:`capsim.words.money` writes it (GBP 410,000; GBP 12.50 per item)."""
    return f"{currency} {value_text(metric, value)}" if metric.startswith("cost") else value_text(metric, value)


def methods_text(scenario: Scenario, sets: int, replications: int, sampler: str) -> str:
    """The two-level design in a paragraph, with this run's sizes."""
    return (uncertain_inputs_text(scenario).strip()
            + f" This run: {sets} parameter sets ({'Latin hypercube' if sampler == 'lhs' else 'scrambled Sobol'}) × "
            f"{replications} replications. The input interval is the 2.5% to 97.5% range of the set means, shrunk "
            "towards the grand mean so that each mean's own run-to-run noise does not widen it; the run-to-run "
            "interval pools the deviations within sets; the total interval is the range of every run. The Monte Carlo "
            "error of each is in uncertainty_summary.csv (bootstrap over sets).")


def write_uncertainty_report(folder: Path, scenario: Scenario, summary: pd.DataFrame, ranking: pd.DataFrame,
                             seed: int, sets: int, replications: int, sampler: str,
                             metric: str = "backlog_end") -> Path:
    """Write ``uncertainty.html`` and the ranking chart of ``metric`` into ``folder``; return the page's path."""
    from capsim.charts.files import save, strip_svg_prolog
    from capsim.charts.input_ranking import input_ranking

    fig = input_ranking(ranking, summary, scenario, metric, seed, sets, replications)
    paths = save(fig, folder / "charts" / f"uncertainty_{metric}", ("png", "svg"))
    svg = strip_svg_prolog(next(p for p in paths if p.suffix == ".svg").read_text(encoding="utf-8"))
    findings = "".join(f"<li>{html.escape(line)}</li>" for line in uncertainty_findings(summary, ranking, scenario))
    inputs = "".join(f"<tr><td>{html.escape(i.key)}</td><td>{html.escape(i.spec.describe())}</td>"
                     f"<td>{html.escape(i.spec.source)}</td></tr>" for i in scenario.uncertain)
    page = (f"<!doctype html><html lang=en><meta charset=utf-8><title>{html.escape(scenario.name)}: what we don't "
            f"know</title><style>{CSS}</style><body><h1>{html.escape(scenario.name)}: what we don't know</h1>"
            f"<h2>Findings</h2><ul>{findings}</ul><h2>Which unknown matters</h2>{svg}"
            f"<h2>Uncertain inputs</h2><table><tr><th>parameter</th><th>distribution</th><th>source</th></tr>"
            f"{inputs}</table><h2>Methods</h2><p>{html.escape(methods_text(scenario, sets, replications, sampler))}</p>"
            "<p>capsim models counts and durations only; it never handles content.</p></body></html>\n")
    target = folder / "uncertainty.html"
    target.write_text(page, encoding="utf-8")
    return target
