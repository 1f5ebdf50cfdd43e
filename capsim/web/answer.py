"""What the web page shows of a run, made without Streamlit: the headline findings, the
year-by-year table and the run's charts (:func:`capsim.charts.run.run_charts`, the report's own).

The page caches an :class:`Answer` by the scenario's digest beside the run, so a visitor's next
click redraws it at once; ``benchmarks/bench_web.py`` times this same function.

Charts are drawn once each, as SVG text (:func:`capsim.charts.files.svg_text`, as the report
inlines them): the browser draws their text and lines sharp at any screen resolution, and the
page saves rasterising every glyph into pixels. Measured on base at 5 replications, the five
charts as PNG at 100 dpi cost about 1.4 times the SVG's CPU, at 200 dpi with ``st.pyplot``'s
tight bounding box (a second full draw) about twice.
"""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from capsim import words

if TYPE_CHECKING:  # pragma: no cover
    from capsim.experiment import SimulationResult

YEARLY = ("arrivals", "assessed", "backlog_end", "time_to_assessment_p90", "cost_total")  # and every SLA
"""Metrics of the page's year-by-year table, besides every priority's share within its deadline."""


@dataclass(frozen=True)
class Answer:
    """What the page shows of one run."""

    findings: list[str]
    """The headline findings, one sentence each, with their 95% intervals (:func:`capsim.report.findings.headline_findings`)."""
    yearly: pd.DataFrame | None
    """The year-by-year table (:func:`yearly_table`); None for a run with no calendar periods."""
    charts: dict[str, str]
    """The run's charts as SVG text, by file stem (``backlog``, ``time_to_assessment``, ...), in the report's order."""


def answer(result: SimulationResult, executor: Executor | None = None) -> Answer:
    """The findings, the year-by-year table and the charts of ``result``, as the page shows them.

    With ``executor`` (the server's warm worker processes, :mod:`capsim.web.workers`) the charts
    are drawn on it side by side, each independent of the others, while this process writes the
    findings and the table; without, here, one after the other. The same SVG either way.
    """
    from capsim.charts.run import run_chart_stems
    from capsim.report.findings import headline_findings

    stems = run_chart_stems(result)
    if executor is None:
        charts = {stem: chart_svg(result, stem) for stem in stems}
        return Answer(headline_findings(result), yearly_table(result), charts)
    drawing = {stem: executor.submit(chart_svg, result, stem) for stem in stems}
    findings, yearly = headline_findings(result), yearly_table(result)
    return Answer(findings, yearly, {stem: chart.result() for stem, chart in drawing.items()})


def chart_svg(result: SimulationResult, stem: str) -> str:
    """The chart ``stem`` of ``result`` (:func:`capsim.charts.run.run_chart`) as SVG text, as the report inlines it."""
    from capsim.charts.files import svg_text
    from capsim.charts.run import run_chart

    return svg_text(run_chart(result, stem))


def yearly_table(result: SimulationResult) -> pd.DataFrame | None:
    """Per calendar year: the main metrics as "mean (95% CI low–high)", in the report's number format."""
    from capsim.charts.by_year import year_labels

    table = result.period_summary
    if table.empty:
        return None
    labels = year_labels(result, shortest_days=0)  # part years say so: "2030 (Jan–Mar)", as in the report
    currency = result.scenario.costs.currency
    wanted = [m for m in table.metric.unique() if m in YEARLY or (m.startswith("sla_") and m.count("_") == 1)]
    rows: dict[str, dict[str, str]] = {}
    for row in table[table.metric.isin(wanted)].itertuples():
        cell = words.fmt(row.metric, row.mean, currency)
        if pd.notna(row.ci_low) and row.ci_low != row.ci_high:
            cell += f" ({words.fmt(row.metric, row.ci_low, currency)}–{words.fmt(row.metric, row.ci_high, currency)})"
        label = labels.get(str(row.period), str(row.period))
        rows.setdefault(label, {})[words.year_metric_label(row.metric, result.scenario)] = cell
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("year").reset_index()
