"""Evidence charts: honest, sourced, reproducible figures from a run's tables.

Every chart is a function from results DataFrames (and the scenario where it needs one) to
a :class:`matplotlib.figure.Figure`. No chart touches pyplot's global state: figures are
built directly, so charts can be made in worker processes, tests and servers alike, and
saved with the non-interactive backends (Agg for PNG).

Where things are made:

- ``style``: palette, fonts, sizes, title and footer placement (:func:`apply_style`);
- ``footer``: the provenance footer (scenario, seed, replications, version, sources);
- ``parts``: pieces several charts share (replication strips);
- one module per chart, each making its title from the numbers it draws, in the words of
  :mod:`capsim.words`: ``backlog`` (backlog fan), ``waits`` (time to assessment),
  ``exposure_hours`` (exposure), ``headcount`` (headcount sweep and SLA against headcount),
  ``compare`` (scenario comparison), ``sensitivity`` (tornado), ``plan`` (staffing plan),
  ``budget`` (cost and FTE per year), ``grant`` (full cost and FTE per grant year),
  ``by_year`` (service levels and backlog year by year), ``ai_share`` (AI-generated items and
  their share of the workload, year by year);
- ``describe``: each chart in words (alt text, and the ``.txt`` beside each PNG);
- ``run``: the charts of one run; ``files``: saving PNG (300 dpi), SVG (text kept as text)
  and PDF, each atomically.

Citations come from :mod:`capsim.sources`, numbers in words from :mod:`capsim.words`.

What the charts can and cannot show: results hold per-replication statistics (a median, a
90th percentile over all items of one replication), not per-item records. Where a chart
shows the spread of such statistics across replications it says so: that spread is
run-to-run variation, not the spread of single items' waits.
"""

from __future__ import annotations

from capsim.charts.ai_share import ai_share
from capsim.charts.backlog import _backlog_finding, backlog_fan
from capsim.charts.by_year import by_year
from capsim.charts.budget import budget_per_year
from capsim.charts.compare import (
    COMPARE_METRICS,
    comparison,
    default_comparison_metrics,
    paired_differences,
    scenario_labels,
)
from capsim.charts.describe import describe
from capsim.charts.exposure_hours import exposure
from capsim.charts.files import FORMATS, _umask, save, save_all, strip_svg_prolog
from capsim.charts.footer import footer_text
from capsim.charts.grant import grant_per_year
from capsim.charts.headcount import headcount_sweep, sla_vs_headcount
from capsim.charts.plan import staffing_plan
from capsim.charts.run import run_charts
from capsim.charts.sensitivity import order_by_effect, tornado
from capsim.charts.style import (
    FOOTER_CHARS,
    MIN_FONT_PT,
    MUTED,
    OKABE_ITO,
    PALETTE,
    STYLE,
    TEXT,
    TITLE_CHARS,
    WIDTH_IN,
    apply_style,
    legend_above,
    new_figure,
    styled,
)
from capsim.charts.waits import TIME_METRICS, time_to_assessment
from capsim.sources import figure_origin, source_label
from capsim.words import (
    METRIC_LABELS,
    NBSP,
    count_words,
    duration_text,
    hours_words,
    is_share,
    metric_label,
    percent,
    round_sig,
    span_words,
    value_text,
)

__all__ = [
    "COMPARE_METRICS", "FOOTER_CHARS", "FORMATS", "METRIC_LABELS", "MIN_FONT_PT", "MUTED", "NBSP", "OKABE_ITO",
    "PALETTE", "STYLE", "TEXT", "TIME_METRICS", "TITLE_CHARS", "WIDTH_IN", "_backlog_finding", "_umask",
    "ai_share", "apply_style", "backlog_fan", "budget_per_year", "by_year", "comparison", "count_words",
    "default_comparison_metrics", "describe", "grant_per_year",
    "duration_text", "exposure", "figure_origin", "footer_text", "headcount_sweep", "hours_words", "is_share",
    "legend_above", "metric_label", "new_figure", "order_by_effect", "paired_differences", "percent", "round_sig",
    "run_charts", "save", "save_all", "scenario_labels", "sla_vs_headcount", "source_label", "span_words", "staffing_plan",
    "strip_svg_prolog", "styled", "time_to_assessment", "tornado", "value_text",
]
