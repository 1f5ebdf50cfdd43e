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

if TYPE_CHECKING:  # pragma: no cover
    from capsim.experiment import SimulationResult


@dataclass(frozen=True)
class Answer:
    """What the page shows of one run."""

    findings: list[str]
    """The headline findings, one sentence each, with their 95% intervals (:func:`capsim.report.findings.headline_findings`)."""
    yearly: str
    """The report's year-by-year table as HTML (:func:`capsim.report.years.year_table_html`: its
    measures, units and words); "" for a run with no calendar periods."""
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
    from capsim.report.years import year_table_html

    stems = run_chart_stems(result)
    if executor is None:
        charts = {stem: chart_svg(result, stem) for stem in stems}
        return Answer(headline_findings(result), year_table_html(result), charts)
    drawing = {stem: executor.submit(chart_svg, result, stem) for stem in stems}
    findings, yearly = headline_findings(result), year_table_html(result)
    return Answer(findings, yearly, {stem: chart.result() for stem, chart in drawing.items()})


def chart_svg(result: SimulationResult, stem: str) -> str:
    """The chart ``stem`` of ``result`` (:func:`capsim.charts.run.run_chart`) as SVG text, as the report inlines it."""
    from capsim.charts.files import svg_text
    from capsim.charts.run import run_chart

    return svg_text(run_chart(result, stem))

