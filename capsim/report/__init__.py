"""The HTML report: one self-contained file a reader can open offline.

:func:`write_report` writes ``report.html`` and the charts (``charts/``, PNG and SVG) of
one or several runs into a folder. The report holds, in order, each section made in its
own module:

1. headline findings in plain words, each with its 95% confidence interval, taken from the
   runs' summary tables (the same numbers as ``summary.csv``): ``findings``;
2. the charts, inline as SVG (text stays text, so figure ids can be searched): ``page``
   with :mod:`capsim.charts`;
3. a diagram of the modelled flow, drawn from the scenario (inline SVG): ``flow``;
4. an assumptions table: every parameter of the resolved scenario with its value, unit and
   source (the published figure and its organisation, or "assumption"): ``assumptions``;
5. a methods section answering the STRESS-DES reporting checklist (objectives, logic,
   data, experimentation, implementation, code access): ``stress_des``;
6. limitations; and the reminder that capsim models counts and durations only: ``caveats``.

``page`` assembles the HTML (sections, CSS, inline charts) and writes the files. Numbers are
written by :mod:`capsim.words`, citations by :mod:`capsim.sources`. Nothing is fetched from
elsewhere: no scripts, fonts, styles or images outside the file.
"""

from __future__ import annotations

from capsim.report.assumptions import assumptions_table
from capsim.report.caveats import limitations
from capsim.report.findings import comparison_lines, headline_findings
from capsim.report.flow import flow_svg, routing_rules
from capsim.report.page import (
    CAPTIONS,
    CHART_FORMATS,
    COUNTS_ONLY,
    CSS,
    SECTIONS,
    render_report,
    report_charts,
    write_report,
)
from capsim.report.stress_des import methods
from capsim.sources import figure_source
from capsim.words import fmt, interval, seconds_text

__all__ = [
    "CAPTIONS", "CHART_FORMATS", "COUNTS_ONLY", "CSS", "SECTIONS", "assumptions_table", "comparison_lines",
    "figure_source", "flow_svg", "fmt", "headline_findings", "interval", "limitations", "methods", "render_report",
    "report_charts", "routing_rules", "seconds_text", "write_report",
]
