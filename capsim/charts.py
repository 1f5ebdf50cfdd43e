"""Evidence charts: honest, sourced, reproducible figures from a run's tables.

Every chart is a function from results DataFrames (and the scenario where it needs one) to
a :class:`matplotlib.figure.Figure`. No chart touches pyplot's global state: figures are
built directly, so charts can be made in worker processes, tests and servers alike, and
saved with the non-interactive backends (Agg for PNG).

All charts share one style, applied by :func:`apply_style`:

- the Okabe–Ito colour-blind-safe palette (:data:`OKABE_ITO`);
- no text smaller than 11 pt at the figure's own size (10 in wide), so that a chart shrunk
  onto a slide stays readable;
- a title that states the finding in words, computed from the numbers drawn;
- a footer naming the scenario, seed, replications, capsim version and the published
  figures the scenario used (id and organisation).

:func:`save` writes PNG (300 dpi), SVG (text kept as text) and PDF, each atomically.

What the charts can and cannot show: results hold per-replication statistics (a median, a
90th percentile over all items of one replication), not per-item records. Where a chart
shows the spread of such statistics across replications it says so: that spread is
run-to-run variation, not the spread of single items' waits.
"""

from __future__ import annotations

import contextlib
import inspect
import math
import os
import re
import tempfile
import textwrap
import warnings
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from capsim.metrics import metric_range
from capsim.results import mean_ci
from capsim.scenario import Scenario, load_scenario
from capsim.units import SECONDS_PER_DAY, SECONDS_PER_HOUR
from capsim.version import version

if TYPE_CHECKING:  # pragma: no cover
    from capsim.experiment import SimulationResult

# --------------------------------------------------------------------------- style

OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
"""The Okabe–Ito palette (Okabe & Ito 2008), distinguishable with the common colour-vision deficiencies."""

PALETTE = [OKABE_ITO[c] for c in ("blue", "orange", "bluish_green", "vermillion", "reddish_purple", "sky_blue", "black")]
"""Colours in the order series are drawn (yellow is left out: too pale on white for lines)."""

MIN_FONT_PT = 11
"""No text on a chart is smaller than this, in points at the figure's own size."""

WIDTH_IN = 10.0
"""Width of every chart in inches."""

TEXT = "#222222"
MUTED = "#444444"

STYLE: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans", "sans-serif"],
    "font.size": 12,
    "axes.titlesize": 12,
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "legend.title_fontsize": 11,
    "figure.titlesize": 15,
    "text.color": TEXT,
    "axes.labelcolor": TEXT,
    "axes.edgecolor": "#555555",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.8,
    "axes.axisbelow": True,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "savefig.dpi": 300,
    "figure.dpi": 100,
}
"""Matplotlib settings shared by every chart (see :func:`styled`)."""

TITLE_CHARS = 78
"""Characters per line of a title (15 pt bold across 10 in)."""
FOOTER_CHARS = 112
"""Characters per line of the footer (11 pt across 10 in)."""


@contextlib.contextmanager
def styled() -> Iterator[None]:
    """Build a chart inside this block so that every artist takes the shared style."""
    with matplotlib.rc_context(STYLE):
        yield


def new_figure(height: float) -> Figure:
    """An empty figure of the standard width (inches), laid out by constrained layout."""
    return Figure(figsize=(WIDTH_IN, height), layout="constrained")


def apply_style(fig: Figure, title: str, footer: str) -> Figure:
    """Give ``fig`` the shared finish: the finding as its title, and the provenance footer.

    Call it inside :func:`styled`, after the axes are drawn. The title (15 pt bold) is
    wrapped to fit; the footer (11 pt: scenario, seed, replications, version, sources) is
    wrapped at the bottom, and the layout keeps the axes clear of both.
    """
    fig.suptitle("\n".join(textwrap.wrap(title, TITLE_CHARS)) or " ", x=0.012, ha="left", fontweight="bold",
                 fontsize=STYLE["figure.titlesize"], color=TEXT).set_gid("chart-title")
    lines: list[str] = []
    for paragraph in footer.split("\n"):
        lines += textwrap.wrap(paragraph, FOOTER_CHARS) or [""]
    height_in = fig.get_figheight()
    footer_in = (len(lines) * 1.3 * MIN_FONT_PT + 12) / 72
    foot = fig.text(0.012, 5 / 72 / height_in, "\n".join(lines), ha="left", va="bottom", fontsize=MIN_FONT_PT,
                    color=MUTED, linespacing=1.3)
    foot.set_in_layout(False)
    foot.set_gid("chart-footer")
    fig.get_layout_engine().set(rect=(0, footer_in / height_in, 1, 1 - footer_in / height_in))
    return fig


# --------------------------------------------------------------------------- provenance


@cache
def figure_origin(fid: str) -> tuple[str, tuple[str, ...]]:
    """(organisation, underlying figure ids) of a figure id or derived-parameter id.

    A derived parameter (``capsim.calibration.DERIVED``) is traced to the published figures
    its function reads; its organisation is theirs, joined with "/" when several.
    """
    from capsim import calibration
    from capsim import figures as table
    from capsim.figures import UnknownFigureError

    try:
        return table.figure(fid).organisation, (fid,)
    except UnknownFigureError:
        pass
    func = calibration.DERIVED.get(fid)
    if func is None:
        return "unknown source", ()
    known = table.ids()
    year = re.search(r"(?<!\d)(?:19|20)\d{2}(?!\d)", fid)
    found: list[str] = []
    seen: set[str] = set()

    def same_year(i: str) -> bool:  # a series read for one year cites that year's figure only
        return year is None or table.figure(i).year == int(year.group(0))

    def trace(f: Any) -> None:
        if f.__name__ in seen:
            return
        seen.add(f.__name__)
        try:
            src = inspect.getsource(f)
        except (OSError, TypeError):
            return
        prefixes = []
        for name in re.findall(r"\b([A-Z][A-Z0-9_]{3,})\b", src):
            value = getattr(calibration, name, None)
            if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
                prefixes += list(value)
        for lit in re.findall(r"[\"']([A-Za-z0-9_]+)[\"']", src):
            if lit in known:
                found.append(lit)  # read directly: cited whatever its year
            else:
                prefixes.append(lit)
        for prefix in prefixes:
            found.extend(i for i in known if (i == prefix or (i.startswith(prefix) and re.match(r"^\d{4}", i[len(prefix):])))
                         and same_year(i))
        for name in re.findall(r"\b([a-z_][a-z0-9_]*)\(", src):
            g = getattr(calibration, name, None)
            if inspect.isfunction(g) and g.__module__ == calibration.__name__:
                trace(g)

    trace(func)
    ids = tuple(dict.fromkeys(found))
    orgs = list(dict.fromkeys(table.figure(i).organisation for i in ids))
    return (" and ".join(orgs) if orgs else "capsim.calibration"), ids


def source_label(fid: str) -> str:
    """How a figure id is cited on a chart: ``id (organisation)``; derived ids say so."""
    from capsim import calibration

    org, _ = figure_origin(fid)
    if fid in calibration.DERIVED:
        return f"{fid} (derived from {org} figures)"
    return f"{fid} ({org})"


def _short_org(org: str) -> str:
    """An organisation as a footer names it: the name before any parenthesis."""
    return org.split(" (")[0].strip()


def footer_text(scenarios: Sequence[Scenario], seed: int, replications: int) -> str:
    """The provenance footer: scenario(s), seed, replications, capsim version, figure sources.

    Published figures are grouped by organisation; derived parameters name the
    organisations of the figures they are made from. The report's assumptions table gives
    each source in full.
    """
    from capsim import calibration

    names = ", ".join(s.name for s in scenarios)
    label = "Scenario" if len(scenarios) == 1 else "Scenarios"
    used = list(dict.fromkeys(fid for s in scenarios for fid in s.figures))
    first = (f"{label}: {names} · seed {seed} · {replications} replication{'s' if replications != 1 else ''}"
             f" · capsim {version()}")
    if not used:
        return first + "\nSources: no published figures; every input is an assumption."
    published: dict[str, list[str]] = {}
    derived: list[str] = []
    for fid in used:
        org, ids = figure_origin(fid)
        if fid in calibration.DERIVED:
            orgs = " and ".join(dict.fromkeys(_short_org(figure_origin(i)[0]) for i in ids)) or "capsim"
            derived.append(f"{fid} ({orgs})")
        else:
            published.setdefault(_short_org(org), []).append(fid)
    parts = ["; ".join(f"{org}: {', '.join(ids)}" for org, ids in published.items())] if published else []
    if derived:
        parts.append("Derived from published figures: " + ", ".join(derived))
    return first + "\nSources — " + ". ".join(parts) + ". Other inputs are assumptions."


def _nanmean(values: Any) -> float:
    """Mean of the finite values, NaN (quietly) when there are none."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    return float(values.mean()) if len(values) else float("nan")


def _replications(frame: pd.DataFrame) -> int:
    return int(frame["replication"].nunique()) if "replication" in frame else len(frame)


# --------------------------------------------------------------------------- words and numbers


def round_sig(x: float, digits: int = 2) -> float:
    """``x`` rounded to ``digits`` significant figures (whole numbers stay whole above 100)."""
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, -int(math.floor(math.log10(abs(x)))) + digits - 1)


def count_words(x: float) -> str:
    """A count for a title: 2,100; 9,800; 47; 1.2 million."""
    if not math.isfinite(x):
        return "n/a"
    if abs(x) >= 1e6:
        return f"{round_sig(x / 1e6, 2):g} million"
    if abs(x) >= 1000:
        return f"{round_sig(x, 2):,.0f}"
    return f"{x:,.0f}"


def hours_words(h: float) -> str:
    """A duration given in hours, in the unit a reader would use: 40 min, 26 h, 3.1 days."""
    if not math.isfinite(h):
        return "n/a"
    if h < 1:
        return f"{h * 60:.0f} min"
    if h < 72:
        return f"{h:.3g} h"
    return f"{h / 24:.2g} days"


def span_words(days: float) -> str:
    """A length of time in words: 30 days, 11 months, one year, three years."""
    numbers = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}
    if days >= 350:
        years = round(days / 365.25 * 2) / 2
        if years.is_integer():
            n = int(years)
            return f"{numbers.get(n, n)} year{'s' if n != 1 else ''}"
        return f"{years:g} years"
    if days >= 60:
        return f"{round(days / 30.44):.0f} months"
    return f"{days:.0f} days"


def percent(x: float, digits: int = 0) -> str:
    """A share as a percentage: 0.937 → 94%."""
    if not math.isfinite(x):
        return "n/a"
    return f"{100 * x:.{digits}f}%"


def duration_text(seconds: float) -> str:
    """A scenario duration for labels: 72 h, 30 min, 2 d."""
    if seconds > 4 * SECONDS_PER_DAY and seconds % SECONDS_PER_DAY == 0:
        return f"{seconds / SECONDS_PER_DAY:g} d"
    if seconds >= SECONDS_PER_HOUR:
        return f"{seconds / SECONDS_PER_HOUR:g} h"
    return f"{seconds / 60:g} min"


METRIC_LABELS: dict[str, str] = {
    "arrivals": "Items arriving",
    "assessed": "Items assessed",
    "auto_cleared": "Items cleared automatically",
    "expired": "Items expired unassessed",
    "waiting": "Items still waiting at the end",
    "backlog_end": "Items waiting at the end",
    "backlog_max": "Largest backlog",
    "wait_mean": "Mean wait before assessment (h)",
    "wait_p90": "90th percentile wait (h)",
    "p_wait": "Share of items that waited",
    "time_to_assessment_mean": "Mean time to assessment (h)",
    "time_to_assessment_p50": "Median time to assessment (h)",
    "time_to_assessment_p90": "90th percentile time to assessment (h)",
    "time_to_assessment_p95": "95th percentile time to assessment (h)",
    "assessed_criminal": "Criminal items assessed",
    "assessed_realistic": "Realistic AI items assessed",
    "analyst_hours": "Analyst review hours",
    "exposure_hours_per_analyst_day": "Review hours per analyst-shift",
    "utilisation": "Utilisation of shift time",
    "cost_total": "Staff cost",
    "cost_per_assessed": "Staff cost per assessed item",
}
"""Plain-words labels of metrics for axes and titles (``sla_<p>`` labels come from :func:`metric_label`)."""


def metric_label(metric: str) -> str:
    """Plain words for a metric name."""
    if metric.startswith("sla_"):
        return f"Share of {metric[4:]} items within their deadline"
    return METRIC_LABELS.get(metric, metric.replace("_", " "))


def is_share(metric: str) -> bool:
    """True for metrics shown as percentages: shares between 0 and 1, and utilisation (of
    rostered or usable hours, in all or per team; it can pass 1 with overtime)."""
    return metric.startswith(("sla_", "utilisation")) or metric == "p_wait"


def value_text(metric: str, value: float) -> str:
    """A metric value in words fit for a title (share → %, hours → h, counts with commas)."""
    if not math.isfinite(value):
        return "n/a"
    if is_share(metric):
        return percent(value, 1 if 0.99 < value < 1 else 0)
    if metric.startswith(("wait_", "time_to_assessment")) or metric == "exposure_hours_per_analyst_day":
        return hours_words(value)
    if metric == "analyst_hours":
        return f"{count_words(value)} h"
    if metric.startswith("cost"):
        return f"{value:,.2f}" if abs(value) < 100 else count_words(value)
    return count_words(value)


# --------------------------------------------------------------------------- backlog fan


def backlog_fan(timeseries: pd.DataFrame, scenario: Scenario, seed: int, team: str | None = None) -> Figure:
    """Items waiting over time: median across replications, with 50% and 90% bands.

    ``timeseries`` is :attr:`SimulationResult.timeseries` (or ``timeseries.csv``); ``team``
    picks one team's backlog (default: all teams). Over a run of eight weeks or more sampled
    daily or finer, each replication is first averaged over a centred 7-day window, so that
    the weekly rhythm of rosters does not hide the trend (the daily median stays as a faint
    line). A lower panel shows capacity: analyst-hours on shift per day (median across
    replications, averaged the same way), with the teams' settings in a note.
    """
    column = f"backlog_{team}" if team else "backlog"
    if column not in timeseries:
        raise KeyError(f"no column {column!r} in the time series")
    reps = _replications(timeseries)
    # samples after the horizon (a last step running past it) describe no simulated time
    timeseries = timeseries[timeseries["time"] <= scenario.clock.horizon / SECONDS_PER_HOUR + 1e-6]
    wide = timeseries.pivot_table(index="time", columns="replication", values=column, aggfunc="first").sort_index()
    duty = timeseries.pivot_table(index="time", columns="replication", values="on_duty", aggfunc="first").sort_index()
    dates = pd.to_datetime(timeseries.drop_duplicates("time").set_index("time")["date"]).reindex(wide.index)
    hours = wide.index.to_numpy(dtype=float)
    step_h = float(np.median(np.diff(hours))) if len(hours) > 1 else 24.0
    span_h = hours[-1] - hours[0] if len(hours) > 1 else 0.0
    window = int(round(7 * 24 / step_h)) if step_h <= 24 and span_h >= 8 * 7 * 24 else 1
    raw_median = np.nanmedian(wide.to_numpy(dtype=float), axis=1)
    teams = [t.team for t in scenario.workforce if f"backlog_{t.team}" in timeseries] if not team else []
    per_team = {}
    if len(teams) > 1:
        for name in teams:
            one = timeseries.pivot_table(index="time", columns="replication", values=f"backlog_{name}",
                                         aggfunc="first").sort_index()
            if window > 1:
                one = one.rolling(window, center=True, min_periods=window).mean()
            per_team[name] = one.median(axis=1).to_numpy(dtype=float)
    if window > 1:
        wide = wide.rolling(window, center=True, min_periods=window).mean()
        duty = duty.rolling(window, center=True, min_periods=window).mean()
    with warnings.catch_warnings():  # the ends of a rolling average are empty on purpose
        warnings.simplefilter("ignore", RuntimeWarning)
        q = np.nanquantile(wide.to_numpy(dtype=float), [0.05, 0.25, 0.5, 0.75, 0.95], axis=1)
    x = dates.to_numpy()
    hours_per_day = duty.median(axis=1) * 24  # analyst-hours at work per day, averaged over the step
    duty_x = x
    if step_h < 24 and window == 1:  # a short hourly series: one point per calendar day
        hours_per_day = hours_per_day.groupby(dates.dt.floor("D").to_numpy()).mean()
        duty_x = hours_per_day.index.to_numpy()
    valid = np.isfinite(q[2])
    title = _backlog_finding(q[2][valid], hours[valid], team)

    note = _capacity_note(scenario, team)
    note_lines = note.count("\n") + 1
    with styled():
        fig = new_figure(6.6 + 0.25 * (note_lines - 1))
        grid = fig.add_gridspec(2, 1, height_ratios=[3.2, 1 + 0.3 * (note_lines - 1)])
        ax = fig.add_subplot(grid[0])
        cap = fig.add_subplot(grid[1], sharex=ax)
        blue = OKABE_ITO["blue"]
        if window > 1:
            ax.plot(x, raw_median, color=OKABE_ITO["sky_blue"], linewidth=0.7, alpha=0.6, label="daily value (median)")
        ax.fill_between(x, q[0], q[4], color=blue, alpha=0.18, linewidth=0, label="90% of replications")
        ax.fill_between(x, q[1], q[3], color=blue, alpha=0.38, linewidth=0, label="50% of replications")
        ax.plot(x, q[2], color=blue, linewidth=2.4, label="median" + (", 7-day average" if window > 1 else ""))
        team_colours = [OKABE_ITO["vermillion"], OKABE_ITO["bluish_green"], OKABE_ITO["reddish_purple"],
                        OKABE_ITO["orange"], OKABE_ITO["black"]]
        for i, (name, line) in enumerate(per_team.items()):
            ax.plot(x, line, color=team_colours[i % len(team_colours)], linewidth=1.4, linestyle=(0, (4, 2)),
                    label=f"{name} (median)")
        ax.set_ylabel("Items waiting")
        entries = 3 + (window > 1) + len(per_team)
        rows_of_legend = -(-entries // 4)
        ax.set_ylim(bottom=0, top=max(1.0, float(np.nanmax([np.nanmax(q[4]), np.nanmax(raw_median)])))
                    * (1.12 + 0.1 * rows_of_legend))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.legend(loc="upper left", ncols=min(entries, 4), fontsize=11, handlelength=1.6, columnspacing=1.2)
        what = f"team {team}" if team else "all teams"
        ax.set_title(f"Items waiting ({what}) across {reps} replications" +
                     (": 7-day averages" if window > 1 else ""), loc="left", fontsize=12, color=MUTED)
        ax.tick_params(labelbottom=False)
        finite_duty = hours_per_day.to_numpy(dtype=float)
        cap.plot(duty_x, finite_duty, color=OKABE_ITO["bluish_green"], linewidth=1.8,
                 drawstyle="steps-mid" if window == 1 else "default")
        cap.set_ylabel("Analyst-hours\non shift a day", fontsize=11)
        peak = float(np.nanmax(finite_duty)) if np.isfinite(finite_duty).any() else 1.0
        cap.set_ylim(0, max(1.0, peak) * (1.3 + 0.3 * note_lines))
        cap.text(0.005, 0.97, note, transform=cap.transAxes, ha="left", va="top", fontsize=11, color=MUTED,
                 linespacing=1.15).set_in_layout(False)
        locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
        cap.xaxis.set_major_locator(locator)
        cap.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        apply_style(fig, title, footer_text([scenario], seed, reps))
    return fig


def _backlog_finding(median: np.ndarray, hours: np.ndarray, team: str | None) -> str:
    """The backlog's finding in words, from the (averaged) median line drawn."""
    what = f"The {team} team's backlog" if team else "The backlog"
    if len(median) == 0:
        return f"{what}: too short a run to show"
    start, end = float(median[0]), float(median[-1])
    span = span_words((hours[-1] - hours[0]) / 24)
    if start > 0.5 and end <= 0.5:
        zero = np.nonzero(median <= 0.5)[0]
        stay = next((i for i in zero if np.all(median[i:] <= 0.5)), zero[0])  # reaches zero and stays
        took = (hours[stay] - hours[0]) / 24
        return f"{what} of {count_words(start)} items is cleared in about {round_sig(took, 2):g} days"
    if start <= 0.5 and end <= 0.5:
        return f"{what} stays small: at most {count_words(float(np.max(median)))} items waiting (median) over {span}"
    if start <= 0.5 or end >= 1.1 * start:
        return f"{what} grows from {count_words(start)} to {count_words(end)} items over {span}"
    if end <= start / 1.1:
        return f"{what} falls from {count_words(start)} to {count_words(end)} items over {span}"
    return f"{what} stays near {count_words((start + end) / 2)} items over {span}"


def _capacity_note(scenario: Scenario, team: str | None) -> str:
    parts = []
    for t in scenario.workforce:
        if team and t.team != team:
            continue
        days = t.roster.days
        if t.roster.round_the_clock:
            shifts = "24/7"
        else:
            span = "weekdays" if days == ["mon", "tue", "wed", "thu", "fri"] else ", ".join(days)
            shifts = f"{t.roster.hours_per_day:g} h shifts, {span}"
        cap = f", cap {t.exposure_cap / SECONDS_PER_HOUR:g} h/day" if t.exposure_cap is not None else ""
        shrink = f", {t.shrinkage:.0%} shrinkage" if t.shrinkage else ""
        parts.append(f"{t.team}: {t.headcount} analysts, {shifts}{cap}{shrink}")
    return "\n".join(parts)


# --------------------------------------------------------------------------- time to assessment


TIME_METRICS = [
    ("wait_mean", "Wait to start, mean"),
    ("wait_p90", "Wait to start, 90th pct"),
    ("time_to_assessment_p50", "Time to assessment, median"),
    ("time_to_assessment_p90", "Time to assessment, 90th pct"),
    ("time_to_assessment_p95", "Time to assessment, 95th pct"),
]
"""Time metrics drawn by :func:`time_to_assessment`, in hours, with their row labels."""


def legend_above(ax, handles: list, labels: list[str], ncols: int) -> None:
    """A legend in a band just above the axes (clear of its title and of the data)."""
    from matplotlib.transforms import blended_transform_factory, offset_copy

    # x from the figure's left edge (so a legend wider than the axes still fits), y just above the axes
    above = offset_copy(ax.transAxes, fig=ax.figure, y=24, units="points")
    anchor = blended_transform_factory(ax.figure.transFigure, above)
    ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0.012, 1), bbox_transform=anchor, ncols=ncols,
              fontsize=11, borderaxespad=0, handlelength=1.8, columnspacing=1.4)


def _strip(ax, rows: list[tuple[str, np.ndarray]], color: str) -> None:
    """One row per statistic: a dot per replication, the mean as a diamond with its 95% CI."""
    rng = np.random.default_rng(0)  # fixed jitter: the same chart every time
    for i, (label, values) in enumerate(rows):
        y = len(rows) - 1 - i
        values = values[np.isfinite(values)]
        if len(values) == 0:
            ax.text(0.5, y, "no items assessed", transform=ax.get_yaxis_transform(), ha="center", va="center",
                    fontsize=11, color=MUTED)
            continue
        jitter = rng.uniform(-0.16, 0.16, len(values))
        ax.scatter(values, y + jitter, s=26, color=color, alpha=0.55, linewidths=0, zorder=3,
                   label="one replication" if i == 0 else None)
        mean, low, high = mean_ci(values, bounds=(0.0, np.inf))  # hours: never below zero
        if math.isfinite(low):
            ax.plot([low, high], [y, y], color="black", linewidth=2.4, zorder=4, solid_capstyle="butt",
                    label="mean and 95% CI" if i == 0 else None)
        ax.scatter([mean], [y], marker="D", s=44, color="black", zorder=5,
                   label=None if math.isfinite(low) or i else "mean")
    ax.set_yticks(range(len(rows)), [label for label, _ in rows][::-1])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.grid(axis="y", visible=False)


def time_to_assessment(per_replication: pd.DataFrame, scenario: Scenario, seed: int) -> Figure:
    """Time to assessment: each replication's wait and time-to-assessment statistics, in hours,
    with the SLA deadlines marked; beside it, SLA attainment by priority against its target.

    ``per_replication`` is :attr:`SimulationResult.per_replication` (``replications.csv``).
    The statistics pool all priorities (results hold no per-item records): each dot is one
    replication's median or percentile, so the spread is run-to-run variation, not the
    spread of single items' waits. Per priority, only SLA attainment is measured.
    """
    reps = _replications(per_replication)
    rows = [(label, per_replication[m].to_numpy(dtype=float)) for m, label in TIME_METRICS if m in per_replication]
    finite = np.concatenate([v[np.isfinite(v)] for _, v in rows]) if rows else np.zeros(0)
    positive = finite[finite > 0]
    slas = [s for s in scenario.sla if f"sla_{s.priority}" in per_replication]
    deadlines = [s.within / SECONDS_PER_HOUR for s in slas]
    log = len(positive) > 0 and (max(positive.max(), *deadlines) if deadlines else positive.max()) / max(positive.min(), 1e-9) > 60

    p50 = _nanmean(per_replication.get("time_to_assessment_p50", []))
    p90 = _nanmean(per_replication.get("time_to_assessment_p90", []))
    title = f"Half of all items are assessed within {hours_words(p50)}, nine in ten within {hours_words(p90)}"
    if slas:
        s = slas[0]
        got = _nanmean(per_replication[f"sla_{s.priority}"])
        verdict = "meeting" if got >= s.target else "short of"
        title += (f"; {percent(got, 1 if 0.99 < got < 1 else 0)} of {s.priority} items meet the "
                  f"{duration_text(s.within)} deadline, {verdict} the {percent(s.target)} target")
    if not np.isfinite(p50):
        title = "No items were assessed in this run"

    with styled():
        fig = new_figure(6.2 if slas else 5.6)
        if slas:
            grid = fig.add_gridspec(1, 2, width_ratios=[2.1, 1])
            ax = fig.add_subplot(grid[0])
            sla_ax = fig.add_subplot(grid[1])
        else:
            ax = fig.add_subplot(1, 1, 1)
        _strip(ax, rows, OKABE_ITO["blue"])
        top = max([*(finite.tolist() or [1.0]), *deadlines])
        if log:
            ax.set_xscale("log")
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ax.set_xlim(positive.min() / 1.5 if len(positive) else 0.01, top * 1.5)
        else:
            ax.set_xlim(0, top * 1.06)  # every deadline in view, even one no statistic reaches
        colours = [OKABE_ITO["vermillion"], OKABE_ITO["orange"], OKABE_ITO["reddish_purple"], OKABE_ITO["bluish_green"]]
        for i, (s, d) in enumerate(zip(slas, deadlines)):
            ax.axvline(d, color=colours[i % len(colours)], linestyle="--", linewidth=1.8,
                       label=f"{s.priority} deadline {duration_text(s.within)}")
        ax.set_xlabel("Hours from arrival" + (" (log scale)" if log else ""))
        ax.set_title(f"Each dot: one replication ({reps} in all); all priorities pooled", loc="left", fontsize=12,
                     color=MUTED)
        handles, labels = ax.get_legend_handles_labels()
        if slas:
            sla_rows = [(s.priority, per_replication[f"sla_{s.priority}"].to_numpy(dtype=float)) for s in slas]
            _strip(sla_ax, sla_rows, OKABE_ITO["bluish_green"])
            for i, s in enumerate(slas):
                y = len(slas) - 1 - i
                sla_ax.plot([s.target, s.target], [y - 0.35, y + 0.35], color=OKABE_ITO["vermillion"], linewidth=3,
                            label="target" if i == 0 else None, zorder=6)
            values = np.concatenate([v[np.isfinite(v)] for _, v in sla_rows] + [np.array([s.target for s in slas])])
            low = max(0.0, min(values.min() - 0.05, 0.8)) if len(values) else 0.0
            sla_ax.set_xlim(low, 1.005)
            sla_ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            sla_ax.set_xlabel("Share within deadline")
            sla_ax.set_title("Within deadline, by priority", loc="left", fontsize=12, color=MUTED)
            more = [(h, lab) for h, lab in zip(*sla_ax.get_legend_handles_labels()) if lab == "target"]
            handles += [h for h, _ in more]
            labels += ["SLA target" for _ in more]
        legend_above(ax, handles, labels, ncols=2)
        apply_style(fig, title, footer_text([scenario], seed, reps))
    return fig


# --------------------------------------------------------------------------- exposure


def exposure(per_replication: pd.DataFrame, scenario: Scenario, seed: int) -> Figure:
    """Hours of review per analyst-shift (on shifts with any review), across replications,
    against each team's daily exposure cap and shift length.

    The metric is a mean over analyst-shifts: single shifts can pass the cap by at most one
    review, since the cap is checked when a review would start.
    """
    reps = _replications(per_replication)
    values = per_replication["exposure_hours_per_analyst_day"].to_numpy(dtype=float)
    mean = _nanmean(values)
    caps = [(t.team, t.exposure_cap / SECONDS_PER_HOUR) for t in scenario.workforce if t.exposure_cap is not None]
    wellbeing = getattr(getattr(scenario, "tooling", None), "wellbeing", None)
    if wellbeing is not None and getattr(wellbeing, "enabled", False) and getattr(wellbeing, "exposure_cap", None) is not None:
        caps = [(t.team, wellbeing.exposure_cap / SECONDS_PER_HOUR) for t in scenario.workforce]
    if not math.isfinite(mean):
        title = "No review took place, so no exposure was measured"
    elif caps:
        cap = min(c for _, c in caps)
        share = mean / cap if cap else float("inf")
        where = "within" if mean <= cap else "above"
        title = (f"Analysts review {mean:.2g} h of material a shift on average, {where} the "
                 f"{cap:g} h/day exposure cap ({percent(share)} of it)")
    else:
        title = f"Analysts review {mean:.2g} h of material a shift on average; no exposure cap is set"

    with styled():
        fig = new_figure(4.6)
        ax = fig.add_subplot(1, 1, 1)
        _strip(ax, [("Review hours per\nanalyst-shift", values)], OKABE_ITO["blue"])
        colours = [OKABE_ITO["vermillion"], OKABE_ITO["orange"], OKABE_ITO["reddish_purple"]]
        top = float(np.nanmax(values)) if np.isfinite(values).any() else 1.0
        several = len(scenario.workforce) > 1
        by_cap: dict[float, list[str]] = {}
        for name, cap in caps:
            by_cap.setdefault(cap, []).append(name)
        for i, (cap, names) in enumerate(sorted(by_cap.items())):
            whose = "" if not several else (" (all teams)" if len(names) == len(scenario.workforce) else f" ({', '.join(names)})")
            ax.axvline(cap, color=colours[i % len(colours)], linestyle="--", linewidth=2,
                       label=f"exposure cap {cap:g} h/day{whose}")
            top = max(top, cap)
        shifts = sorted({t.roster.hours_per_day for t in scenario.workforce if t.roster.hours_per_day <= 2 * top})
        for i, h in enumerate(shifts):
            ax.axvline(h, color=MUTED, linestyle=":", linewidth=1.6,
                       label=(f"shift length{'s' if len(shifts) > 1 else ''} {', '.join(f'{v:g}' for v in shifts)} h"
                              if i == 0 else None))
            top = max(top, h)
        ax.set_xlim(0, top * 1.08)
        ax.set_xlabel("Hours of review per analyst on a shift with any review (one review can overrun the cap)")
        ax.set_title(f"Mean per analyst-shift{', all teams' if several else ''}; one dot per replication ({reps})",
                     loc="left", fontsize=12, color=MUTED)
        handles, labels = ax.get_legend_handles_labels()
        legend_above(ax, handles, labels, ncols=2)
        apply_style(fig, title, footer_text([scenario], seed, reps))
    return fig


# --------------------------------------------------------------------------- headcount sweep


def headcount_sweep(
    scenario: str | Path | Scenario,
    team: str,
    headcounts: Sequence[int],
    replications: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
    workers: int = 1,
) -> pd.DataFrame:
    """Run the scenario at each headcount of ``team``, all under one seed (common random
    numbers), and return the summaries stacked.

    ``scenario`` is a path (loaded with ``overrides`` then ``workforce.<team>.headcount=N``)
    or a loaded :class:`Scenario` (re-loaded from its resolved source with the same).
    Columns: ``scenario``, ``team``, ``headcount``, ``metric``, ``mean``, ``ci_low``,
    ``ci_high``, ``p10``, ``p50``, ``p90``, ``seed``, ``replications``.
    """
    from capsim.experiment import simulate

    source: Any = scenario.source if isinstance(scenario, Scenario) else scenario
    base = scenario if isinstance(scenario, Scenario) else load_scenario(source, list(overrides))
    if team not in [t.team for t in base.workforce]:
        from capsim.scenario import ScenarioError

        raise ScenarioError(f"{base.name}: no team {team!r}; teams are {', '.join(t.team for t in base.workforce)}")
    seed = base.experiment.seed if seed is None else seed
    replications = base.experiment.replications if replications is None else replications
    frames = []
    for n in headcounts:
        extra = [] if isinstance(scenario, Scenario) else list(overrides)
        s = load_scenario(source, [*extra, f"workforce.{team}.headcount={int(n)}"])
        result = simulate(s, replications, seed, workers)
        frame = result.summary.copy()
        frame.insert(1, "team", team)
        frame.insert(2, "headcount", int(n))
        frame["seed"] = seed
        frame["replications"] = replications
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _headcount_column(sweep: pd.DataFrame) -> str:
    if "headcount" in sweep:
        return "headcount"
    found = [c for c in sweep.columns if str(c).endswith(".headcount")]
    if not found:
        raise KeyError("the sweep needs a 'headcount' column (or a 'workforce.<team>.headcount' grid column)")
    return found[0]


def sla_vs_headcount(sweep: pd.DataFrame, scenario: Scenario, metric: str | None = None,
                     seed: int | None = None, replications: int | None = None) -> Figure:
    """SLA attainment (or another metric) against headcount, with 95% CIs and the target line.

    ``sweep`` is :func:`headcount_sweep`'s table (or a ``capsim sweep`` summary with a
    ``workforce.<team>.headcount`` column). ``metric`` defaults to the first SLA's.
    """
    if metric is None:
        if not scenario.sla:
            raise ValueError(f"{scenario.name} has no SLA: name the metric to draw against headcount")
        metric = f"sla_{scenario.sla[0].priority}"
    column = _headcount_column(sweep)
    rows = sweep[sweep.metric == metric].sort_values(column)
    if rows.empty:
        raise KeyError(f"no metric {metric!r} in the sweep")
    seed = int(rows["seed"].iloc[0]) if seed is None and "seed" in rows else (seed or scenario.experiment.seed)
    replications = int(rows["replications"].iloc[0]) if replications is None and "replications" in rows else (
        replications or scenario.experiment.replications)
    team = str(rows["team"].iloc[0]) if "team" in rows else column.split(".")[1]
    x = rows[column].to_numpy(dtype=float)
    mean = rows["mean"].to_numpy(dtype=float)
    low = rows["ci_low"].to_numpy(dtype=float)
    high = rows["ci_high"].to_numpy(dtype=float)
    sla = next((s for s in scenario.sla if f"sla_{s.priority}" == metric), None)
    share = is_share(metric)
    low, high = np.clip(low, *metric_range(metric)), np.clip(high, *metric_range(metric))  # as in summary.csv
    current = next((t.headcount for t in scenario.workforce if t.team == team), None)

    if sla is not None:
        meets = x[mean >= sla.target]
        sure = x[np.nan_to_num(low, nan=-1) >= sla.target]
        what = f"the {percent(sla.target)} target for {sla.priority} items within {duration_text(sla.within)}"
        if len(meets):
            title = f"At least {int(meets.min())} in team {team} are needed to meet {what}"
            if len(sure) and sure.min() != meets.min():
                title += f" ({int(sure.min())} to be 95% sure)"
        else:
            title = f"Even {int(x.max())} in team {team} fall short of {what} (best: {percent(mean.max())})"
        if current is not None and current in x:
            title += f"; today's {current} reach {value_text(metric, float(mean[x == current][0]))}"
    else:
        title = (f"{metric_label(metric)} goes from {value_text(metric, mean[0])} with {int(x[0])} analysts "
                 f"to {value_text(metric, mean[-1])} with {int(x[-1])}")

    with styled():
        fig = new_figure(5.8)
        ax = fig.add_subplot(1, 1, 1)
        blue = OKABE_ITO["blue"]
        ax.fill_between(x, np.where(np.isfinite(low), low, mean), np.where(np.isfinite(high), high, mean),
                        color=blue, alpha=0.25, linewidth=0, label="95% CI of the mean")
        ax.plot(x, mean, "o-", color=blue, label="mean over replications")
        if sla is not None:
            ax.axhline(sla.target, color=OKABE_ITO["vermillion"], linestyle="--", linewidth=2,
                       label=f"target {percent(sla.target)}")
        if current is not None:
            ax.axvline(current, color=MUTED, linestyle=":", linewidth=1.6, label=f"today: {current}")
        ax.set_xlabel(f"Analysts in team {team}")
        ax.set_ylabel(metric_label(metric) if not share else f"Share within {duration_text(sla.within)}" if sla else metric_label(metric))
        if share:
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            ax.set_ylim(max(0.0, min(np.nanmin(low) if np.isfinite(low).any() else 0, np.nanmin(mean)) - 0.05), 1.02)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.set_title(f"Each headcount run with the same seed (common random numbers), {replications} replications each",
                     loc="left", fontsize=12, color=MUTED)
        ax.legend(loc="lower right")
        apply_style(fig, title, footer_text([scenario], seed, replications))
    return fig


# --------------------------------------------------------------------------- comparison

COMPARE_METRICS = ["backlog_end", "wait_mean", "time_to_assessment_p90", "expired", "utilisation"]
"""Metrics compared by default (each SLA metric is added after ``time_to_assessment_p90``)."""


def default_comparison_metrics(results: Sequence[SimulationResult]) -> list[str]:
    """The metrics :func:`comparison` draws by default: headline metrics every result has."""
    names = list(COMPARE_METRICS)
    slas = [m for m in results[0].summary.metric if m.startswith("sla_")]
    at = names.index("time_to_assessment_p90") + 1
    names = names[:at] + slas + names[at:]
    common = set.intersection(*(set(r.per_replication.columns) for r in results))
    informative = [m for m in names if m in common
                   and not all((r.per_replication[m].fillna(0) == 0).all() for r in results)]
    return informative or [m for m in names if m in common]


def paired_differences(results: Sequence[SimulationResult], metrics: Sequence[str] | None = None) -> pd.DataFrame:
    """Each metric of each scenario with its CI, and its paired difference against the first.

    The runs must share seed and replications (common random numbers: replication r of
    every run saw the same arrivals); the difference is taken per replication and its 95%
    CI is the Student-t interval of those differences (:func:`capsim.compare.compare`).
    Columns: ``scenario``, ``metric``, ``mean``, ``ci_low``, ``ci_high``, ``diff``,
    ``diff_ci_low``, ``diff_ci_high``. Raises ``ValueError`` if seeds or replications differ.
    """
    from capsim.compare import compare

    if not results:
        raise ValueError("nothing to compare")
    metrics = list(metrics) if metrics is not None else default_comparison_metrics(results)
    table = compare(list(results)).rename(columns={
        "difference": "diff", "difference_ci_low": "diff_ci_low", "difference_ci_high": "diff_ci_high"})
    labels = scenario_labels(results)
    table["scenario"] = np.repeat(labels, len(table) // len(results))  # compare() lists result by result
    table = table[table.metric.isin(metrics)]
    order = {m: i for i, m in enumerate(metrics)}
    table = table.assign(_s=table.scenario.map({n: i for i, n in enumerate(labels)}), _o=table.metric.map(order))
    return table.sort_values(["_s", "_o"], kind="mergesort").drop(columns=["_s", "_o"]).reset_index(drop=True)[
        ["scenario", "metric", "mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high"]]


def scenario_labels(results: Sequence[SimulationResult]) -> list[str]:
    """Scenario names, made unique (``base``, ``base (2)``) when runs share a name."""
    labels, seen = [], {}
    for r in results:
        name = r.scenario.name
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return labels


def comparison(results: Sequence[SimulationResult], metrics: Sequence[str] | None = None) -> Figure:
    """Scenario comparison: each metric per scenario with its 95% CI (left), and the paired
    difference against the first scenario with its 95% CI (right)."""
    table = paired_differences(results, metrics)
    metrics = list(dict.fromkeys(table.metric))
    names = scenario_labels(results)
    first = names[0]
    colours = {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(names)}
    lead = metrics[0]
    title = _comparison_finding(table, names, lead)

    with styled():
        fig = new_figure(1.6 + 1.15 * len(metrics) + 0.3 * len(names))
        grid = fig.add_gridspec(len(metrics), 2, width_ratios=[1, 1])
        for i, m in enumerate(metrics):
            left = fig.add_subplot(grid[i, 0])
            right = fig.add_subplot(grid[i, 1])
            rows = table[table.metric == m].set_index("scenario").loc[names]
            ys = np.arange(len(names))[::-1]
            for y, name in zip(ys, names):
                row = rows.loc[name]
                _interval(left, y, row["mean"], row.ci_low, row.ci_high, colours[name])
                if name != first:
                    _interval(right, y, row["diff"], row.diff_ci_low, row.diff_ci_high, colours[name])
            right.axvline(0, color=MUTED, linewidth=1.2)
            for ax in (left, right):
                ax.set_yticks(ys, names)
                ax.set_ylim(-0.7, len(names) - 0.3)
                ax.grid(axis="y", visible=False)
                if is_share(m) and ax is right:
                    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{100 * v:+.3g}".replace("-", "\u2212")
                                                               if v else "0"))
                elif is_share(m):
                    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=None))
                else:
                    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.4g}".replace("-", "\u2212")))
            right.tick_params(labelleft=False)
            for ax in (left, right):
                ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=5))
            right.set_xlim(*_symmetric(rows.loc[names[1:], ["diff_ci_low", "diff_ci_high", "diff"]].to_numpy(dtype=float)))
            left.set_title(metric_label(m), loc="left", fontsize=12)
            right.set_title(f"difference from {first}, paired" + (" (percentage points)" if is_share(m) else ""),
                            loc="left", fontsize=12, color=MUTED)
        apply_style(fig, title, footer_text([r.scenario for r in results], results[0].seed, results[0].replications))
    return fig


def _interval(ax, y: float, mean: float, low: float, high: float, colour: str) -> None:
    if math.isfinite(low) and math.isfinite(high):
        ax.plot([low, high], [y, y], color=colour, linewidth=3, solid_capstyle="butt")
    ax.scatter([mean], [y], s=50, color=colour, zorder=3, marker="D")


def _symmetric(values: np.ndarray) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    span = float(np.abs(finite).max()) if len(finite) else 0.0
    span = span * 1.15 if span > 0 else 1.0
    return -span, span


def _comparison_finding(table: pd.DataFrame, names: list[str], lead: str) -> str:
    label = metric_label(lead)
    if len(names) < 2:
        row = table[(table.metric == lead)].iloc[0]
        return f"{names[0]}: {label.lower()} {value_text(lead, row['mean'])}"
    other = names[1]
    row = table[(table.metric == lead) & (table.scenario == other)].iloc[0]
    d, lo, hi = row["diff"], row.diff_ci_low, row.diff_ci_high
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return f"{label}: {_signed(lead, d)} with {other} against {names[0]} (one replication: no interval)"
    if lo <= 0 <= hi:
        return (f"{label}: no clear difference between {other} and {names[0]} "
                f"(95% CI {_signed(lead, lo)} to {_signed(lead, hi)})")
    counted = not is_share(lead) and not lead.startswith(("wait", "time_to", "exposure", "cost", "analyst_hours"))
    more = ("more" if d > 0 else "fewer") if counted else ("higher" if d > 0 else "lower")
    return (f"{label}: {_signed(lead, abs(d)).lstrip('+')} {more} with {other} than with {names[0]} "
            f"(paired 95% CI {_signed(lead, lo)} to {_signed(lead, hi)})")


def _signed(metric: str, value: float) -> str:
    """A difference with its sign (a true minus sign), in points for shares."""
    if is_share(metric):
        text = f"{100 * value:+.1f} points"
    else:
        text = f"{value:+,.0f}" if abs(value) >= 100 else f"{value:+.3g}"
    return text.replace("-", "\u2212")


# --------------------------------------------------------------------------- tornado


def tornado(sensitivity: pd.DataFrame, scenario: Scenario) -> Figure:
    """One-at-a-time sensitivity: the metric at each parameter's low and high value, as bars
    from the base run's value, largest effect at the top.

    ``sensitivity`` is :func:`capsim.sensitivity.sensitivity`'s table (``sensitivity.csv``).
    """
    table = order_by_effect(sensitivity)
    metric = str(table["metric"].iloc[0])
    base = float(table["base_mean"].iloc[0])
    swing = float(table["swing"].iloc[0]) if "swing" in table else float("nan")
    seed = int(table["seed"].iloc[0]) if "seed" in table else scenario.experiment.seed
    reps = int(table["replications"].iloc[0]) if "replications" in table else scenario.experiment.replications
    top = table.iloc[0]
    if not math.isfinite(top.effect) or top.effect == 0:
        title = f"None of the {len(table)} parameters moves {metric_label(metric).lower()} at ±{swing:.0%}"
    else:
        title = (f"{metric_label(metric)} depends most on {top.parameter}: "
                 f"{value_text(metric, top.low_mean)} at {top.low_value} vs {value_text(metric, top.high_mean)} at {top.high_value}")
    n = len(table)
    low_colour, high_colour = OKABE_ITO["blue"], OKABE_ITO["orange"]
    low_name = f"× {1 - swing:g}" if math.isfinite(swing) else "low"
    high_name = f"× {1 + swing:g}" if math.isfinite(swing) else "high"
    with styled():
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        fig = new_figure(2.6 + 0.72 * n)
        ax = fig.add_subplot(1, 1, 1)
        ys = np.arange(n)[::-1]
        for y, (_, row) in zip(ys, table.iterrows()):
            for value, colour, offset in ((row.low_mean, low_colour, 0.19), (row.high_mean, high_colour, -0.19)):
                if math.isfinite(value):
                    ax.barh(y + offset, value - base, left=base, height=0.36, color=colour, edgecolor="none")
            if row.low_mean == base and row.high_mean == base:
                ax.text(base, y, "no change  ", ha="right", va="center", fontsize=11, color=MUTED)
        ax.axvline(base, color="black", linewidth=1.4)
        labels = [f"{row.parameter}\nlow {row.low_value} · high {row.high_value}" for _, row in table.iterrows()]
        ax.set_yticks(ys, labels)
        ax.grid(axis="y", visible=False)
        values = table[["low_mean", "high_mean"]].to_numpy(dtype=float)
        finite = np.concatenate([values[np.isfinite(values)], [base]])
        lo, hi = float(finite.min()), float(finite.max())
        pad = max((hi - lo) * 0.08, abs(base) * 0.01, 1e-9)
        if is_share(metric):
            ax.set_xlim(max(lo - pad, -0.02), min(hi + pad, 1.02))
            ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0 if hi - lo > 0.05 else 1))
        else:
            ax.set_xlim(lo - pad, hi + pad)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.4g}"))
        ax.set_xlabel(metric_label(metric))
        ax.set_title("One parameter at a time; every run with the same seed", loc="left", fontsize=12, color=MUTED)
        handles = [Patch(color=low_colour, label=f"parameter {low_name} (low)"),
                   Patch(color=high_colour, label=f"parameter {high_name} (high)"),
                   Line2D([], [], color="black", linewidth=1.4, label=f"base run: {value_text(metric, base)}")]
        legend_above(ax, handles, [h.get_label() for h in handles], ncols=3)
        apply_style(fig, title, footer_text([scenario], seed, reps))
    return fig


def order_by_effect(sensitivity: pd.DataFrame) -> pd.DataFrame:
    """Rows by decreasing absolute effect (high − low); zero and undefined effects last, in
    their original order."""
    key = sensitivity["effect"].abs().fillna(-1.0)
    return sensitivity.assign(_key=-key).sort_values("_key", kind="mergesort").drop(columns="_key").reset_index(drop=True)


# --------------------------------------------------------------------------- a run's charts, saving


def run_charts(result: SimulationResult) -> dict[str, Figure]:
    """The charts of one run, by file stem: ``backlog``, ``time_to_assessment``, ``exposure``."""
    s, seed = result.scenario, result.seed
    return {
        "backlog": backlog_fan(result.timeseries, s, seed),
        "time_to_assessment": time_to_assessment(result.per_replication, s, seed),
        "exposure": exposure(result.per_replication, s, seed),
    }


FORMATS = ("png", "svg", "pdf")
"""Formats :func:`save` writes."""


def _save_settings(fig: Figure, fmt: str) -> dict[str, Any]:
    if fmt == "png":
        return {"dpi": 300, "metadata": {"Software": None}}
    if fmt == "svg":
        return {"metadata": {"Date": None}}
    return {"metadata": {"CreationDate": None, "ModDate": None}}


def _salt(fig: Figure) -> str:
    title = fig._suptitle.get_text() if fig._suptitle is not None else ""
    return re.sub(r"\W+", "", title)[:24] or "capsim"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def save(fig: Figure, path_stem: str | Path, formats: Sequence[str] = FORMATS) -> list[Path]:
    """Write ``fig`` as ``<path_stem>.png`` (300 dpi), ``.svg`` (text kept as text) and
    ``.pdf``, each atomically (a temporary file in the same folder, then ``os.replace``).

    Returns the paths written. The files carry no timestamps: the same chart gives the same bytes.
    """
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": _salt(fig), "pdf.fonttype": 42}):
        for fmt in formats:
            final = stem.with_name(f"{stem.name}.{fmt}")
            fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    fig.savefig(handle, format=fmt, **_save_settings(fig, fmt))
                os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes owner-only files; give the usual mode
                os.replace(tmp, final)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
            written.append(final)
    return written


def strip_svg_prolog(svg: str) -> str:
    """SVG text without the ``<?xml ...?>`` line and doctype, for inline HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


# --------------------------------------------------------------------------- staffing plan


def _plan_dates(values: pd.Series) -> pd.Series:
    """A plan's date column (ISO strings; empty or NaN for none) as timestamps, NaT for none."""
    return pd.to_datetime(values.replace("", np.nan), errors="coerce")


def _period_word(starts: pd.Series) -> str | None:
    """month, quarter or year, from the spacing of the periods' first days (None for one period)."""
    if len(starts) < 2:
        return None
    days = float(np.median(np.diff(starts.to_numpy()) / np.timedelta64(1, "D")))
    return "month" if days <= 31 else "quarter" if days <= 92 else "year" if days <= 366 else None


NBSP = "\u00a0"
"""A no-break space: keeps a number and its unit on one line of a wrapped title."""


def _sla_words(slas: Sequence[Any]) -> tuple[str, str]:
    """The SLAs in words for a title: (what to do, the target as a noun)."""
    if len(slas) == 1:
        s = slas[0]
        share = f"{percent(s.target)} of {s.priority} items within {duration_text(s.within).replace(' ', NBSP)}"
        return f"assess {share}", f"the target of {share}"
    return "meet every SLA target", "every SLA target"


def staffing_plan(plan_table: pd.DataFrame, scenario: Scenario, seed: int, replications: int,
                  team: str | None = None) -> Figure:
    """A staffing plan: headcount planned per period as steps, with hire-by dates (top), and
    SLA attainment per period of the plan replayed, with its 95% CI against the target (bottom).

    ``plan_table`` is :meth:`capsim.staffing.StaffingPlan.table` (or ``staffing_plan.csv``):
    per period, the seats in post in the plan, meeting every SLA in at least ``confidence``
    of the replications. A hire-by date (the day the new analysts start training, less the
    team's hiring lead time) is drawn as a dashed line with an arrow to the day the new
    analysts start; a period that no headcount up to the solver's bound could staff is marked,
    labelled "—" (``needed`` empty). ``team`` is the team planned (default: the scenario's
    first team, as :func:`~capsim.staffing.solve_staffing`).
    """
    if plan_table.empty:
        raise ValueError("the staffing plan has no periods")
    table = plan_table.sort_values("period").reset_index(drop=True)
    team = team or scenario.workforce[0].team
    member = next((t for t in scenario.workforce if t.team == team), None)
    in_post = member.headcount if member is not None else None
    lead = member.hiring.lead_time if member is not None else 0.0
    training = member.ramp.weeks * 7 * SECONDS_PER_DAY if member is not None else 0.0
    ahead = (f"{duration_text(lead)} lead time" if not training else
             f"{lead / SECONDS_PER_DAY:.0f} d lead + {training / SECONDS_PER_DAY:.0f} d training")
    starts = pd.to_datetime(table["period_start"])
    ends = pd.to_datetime(table["period_end"]) + pd.Timedelta(days=1)  # period_end is the period's last day
    heads = table["headcount"].to_numpy(dtype=int)
    changes = (table["change"].to_numpy(dtype=int) if "change" in table
               else np.diff(heads, prepend=in_post if in_post is not None else heads[0]))
    hire_by = _plan_dates(table["hire_by"]) if "hire_by" in table else pd.Series(pd.NaT, index=table.index)
    met = table["met"].astype(bool).to_numpy() if "met" in table else np.ones(len(table), dtype=bool)
    confidence = float(table["confidence"].iloc[0]) if "confidence" in table else None
    slas = [s for s in scenario.sla if f"sla_{s.priority}" in table]
    run_start = pd.Timestamp(scenario.clock.start)
    period = _period_word(starts)

    doing, target_words = _sla_words(slas)
    hires = sorted((d, int(c), k) for k, (d, c) in enumerate(zip(hire_by, changes)) if c > 0 and pd.notna(d))
    impossible = table["needed"].isna().to_numpy() if "needed" in table else np.zeros(len(table), dtype=bool)
    if not met.any():
        title = f"The {team} team cannot meet {target_words} in any period" + (
            " at any headcount tried (—)" if impossible.all() else f", even with {heads.max()} analysts")
    else:
        lo, hi = int(heads[met].min()), int(heads[met].max())
        every = f" in every {period}" if period and len(table) > 1 else ""
        title = (f"The {team} team needs {lo} analysts{every} to {doing}" if lo == hi
                 else f"The {team} team needs {lo} to {hi} analysts to {doing}")
        if hires:
            first_date, first_n, first_k = hires[0]
            title += (f"; hire {first_n} {'analyst' if first_n == 1 else 'analysts'} by {first_date:%Y-%m-%d}"
                      + (f" (the first of {len(hires)} hiring dates)" if len(hires) > 1 else ""))
            late = int(table["late_weeks"].iloc[first_k]) if "late_weeks" in table else 0
            if late > 0:
                title += f" (already late by {late} weeks)"
            elif first_date < run_start:
                title += ", before the run starts"
        elif in_post is not None and hi <= in_post:
            title += f"; the {in_post} in post suffice"
        if (~met).any():
            title += f"; not met in {int((~met).sum())} of {len(table)} periods"

    vermillion, blue = OKABE_ITO["vermillion"], OKABE_ITO["blue"]
    with styled():
        fig = new_figure(8.0 if slas else 5.2)
        if slas:
            grid = fig.add_gridspec(2, 1, height_ratios=[1.35, 1])
            ax = fig.add_subplot(grid[0])
            sla_ax = fig.add_subplot(grid[1], sharex=ax)
        else:
            ax, sla_ax = fig.add_subplot(1, 1, 1), None
        x = np.append(starts.to_numpy(), ends.to_numpy()[-1])
        ax.step(x, np.append(heads, heads[-1]), where="post", color=blue, linewidth=2.6,
                label="headcount planned (seats in post)")
        mids = starts + (ends - starts) / 2
        top = max(int(heads.max()), in_post or 0, 1)
        if len(table) <= 16:
            for m, h, none in zip(mids, heads, impossible):  # "—": no headcount meets the target there
                ax.text(m, h + 0.03 * top, "—" if none else f"{h}", ha="center", va="bottom", fontsize=11, color=blue)
        if in_post is not None:
            ax.axhline(in_post, color=MUTED, linestyle=":", linewidth=1.6, label=f"in post at the start: {in_post}")
        if (~met).any():
            ax.scatter(mids[~met], heads[~met] + 0.17 * top, marker="X", s=90, color=vermillion, zorder=5,
                       label="SLA not met even at this headcount")
        for i, (date, count, k) in enumerate(hires):
            begins = starts.iloc[k] if k else run_start
            y = top * 1.2  # in a band above the steps, clear of the labels
            ax.axvline(date, color=vermillion, linestyle="--", linewidth=1.4,
                       label=(f"hire-by date → start ({ahead})" if not training else f"hire by → start ({ahead})")
                       if i == 0 and lead + training > 0
                       else "hire-by date" if i == 0 else None)
            if begins > date:
                ax.annotate("", xy=(begins, y), xytext=(date, y),
                            arrowprops={"arrowstyle": "->", "color": vermillion, "linewidth": 1.4})
            ax.text(date, 0.04 * top, f" hire {count} by {date:%Y-%m-%d}", rotation=90, ha="right", va="bottom",
                    fontsize=11, color=vermillion)
        left = min([starts.iloc[0], *(d for d, _, _ in hires)])
        span = ends.iloc[-1] - left
        ax.set_xlim(left - span * 0.03, ends.iloc[-1] + span * 0.02)
        ax.set_ylim(0, top * 1.3)
        ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.set_ylabel(f"Analysts in team {team}")
        share = f"≥ {confidence:.0%} of " if confidence is not None else ""
        ax.set_title(f"Headcount planned per {period or 'period'} to meet every SLA in {share}{replications} replications",
                     loc="left", fontsize=12, color=MUTED)
        handles, labels = ax.get_legend_handles_labels()
        if sla_ax is not None:
            ax.tick_params(labelbottom=False)
            colours = [OKABE_ITO["bluish_green"], OKABE_ITO["reddish_purple"], OKABE_ITO["orange"], OKABE_ITO["sky_blue"]]
            width = (ends - starts).min()
            values = []
            for i, s in enumerate(slas):
                colour = colours[i % len(colours)]
                shift = width * 0.12 * (i - (len(slas) - 1) / 2)
                mean = table[f"sla_{s.priority}"].to_numpy(dtype=float)
                low = table.get(f"sla_{s.priority}_ci_low", pd.Series(np.nan, index=table.index)).to_numpy(dtype=float)
                high = table.get(f"sla_{s.priority}_ci_high", pd.Series(np.nan, index=table.index)).to_numpy(dtype=float)
                at = (mids + shift).to_numpy()
                for xi, lo_i, hi_i in zip(at, low, high):
                    if math.isfinite(lo_i) and math.isfinite(hi_i):
                        sla_ax.plot([xi, xi], [lo_i, hi_i], color=colour, linewidth=3, solid_capstyle="butt")
                sla_ax.scatter(at, mean, marker="D", s=46, color=colour, zorder=4,
                               label=f"{s.priority}: mean and 95% CI")
                values += [v for v in (*mean, *low, s.target) if math.isfinite(v)]
            for j, target in enumerate(sorted({s.target for s in slas})):
                whose = "" if len({s.target for s in slas}) == 1 else \
                    " (" + ", ".join(s.priority for s in slas if s.target == target) + ")"
                sla_ax.axhline(target, color=vermillion, linestyle="--", linewidth=2,
                               label=f"target {percent(target)}{whose}")
            low_y = max(0.0, min(min(values, default=0.8) - 0.05, 0.8))
            sla_ax.set_ylim(low_y, 1.02)
            sla_ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            within = sorted({duration_text(s.within) for s in slas})
            sla_ax.set_ylabel(f"Share within\n{', '.join(within)}", fontsize=11)
            sla_ax.set_title("At the planned headcount: items arriving in each period assessed within their deadline",
                             loc="left", fontsize=12, color=MUTED)
            sla_ax.legend(loc="lower left", ncols=min(3, len(slas) + 1), fontsize=11)
            bottom = sla_ax
        else:
            bottom = ax
        locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
        bottom.xaxis.set_major_locator(locator)
        bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        legend_above(ax, handles, labels, ncols=min(len(handles), 3))
        apply_style(fig, title, footer_text([scenario], seed, replications))
    return fig


# --------------------------------------------------------------------------- budget per year


def _money(currency: str, value: float) -> str:
    """An amount for a title: GBP 1.2 million, GBP 93,000."""
    return f"{currency} {count_words(value)}".strip()


def budget_per_year(budget_table: pd.DataFrame, scenarios: Scenario | Sequence[Scenario], seed: int,
                    replications: int, team: str | None = None) -> Figure:
    """Per scenario and calendar year: total cost with its 95% CI (top), and FTE with its 95% CI (bottom).

    ``budget_table`` is :attr:`capsim.budget.BudgetResult.table` (or ``budget.csv``); the
    ``all`` rows are left out. Costs are at each year's prices; a partial year (the first,
    after the warm-up, or the last) is labelled with its days and is not annualised. FTE is
    the mean number of analysts in post over the year, all teams (``team``: one team's
    ``fte_<team>``). The title compares the scenarios in the last year shown (the last
    covering at least half as many days as the longest): with two, the paired difference.
    """
    scenarios = [scenarios] if isinstance(scenarios, Scenario) else list(scenarios)
    table = budget_table[budget_table["year"].astype(str) != "all"].copy()
    if table.empty:
        raise ValueError("the budget table has no calendar years")
    table["year"] = table["year"].astype(str)
    fte = f"fte_{team}" if team else "fte"
    if fte not in table:
        raise KeyError(f"no column {fte!r} in the budget table (per-team FTE is given when a scenario has several teams)")
    names = list(dict.fromkeys(table["scenario"]))
    years = sorted(dict.fromkeys(table["year"]), key=lambda y: int(y) if y.isdigit() else y)
    days = table.groupby("year")["days"].max()
    currency = scenarios[0].costs.currency if scenarios else ""
    key = [y for y in years if days[y] >= 0.5 * days.max()][-1]
    year_words = key if days[key] >= 360 else f"{key} ({days[key]:.0f} days)"
    rows = table[table.year == key].set_index("scenario").reindex(names)

    def fte_words(v: float) -> str:
        return f"{v:.3g}" if math.isfinite(v) else "n/a"

    if len(names) == 1:
        first, last = (table[(table.year == y)].iloc[0] for y in (years[0], key))
        if first.year == last.year:
            title = (f"{names[0]}: total cost {_money(currency, last.total_cost)} in {year_words}, "
                     f"with {fte_words(last[fte])} FTE")
        else:
            title = (f"{names[0]}: total cost goes from {_money(currency, first.total_cost)} in {first.year} to "
                     f"{_money(currency, last.total_cost)} in {year_words}; FTE from {fte_words(first[fte])} "
                     f"to {fte_words(last[fte])}")
    elif len(names) == 2 and "total_cost_vs_first" in rows and math.isfinite(rows.total_cost_vs_first.iloc[1]):
        other = rows.iloc[1]
        d, lo, hi = other.total_cost_vs_first, other.total_cost_vs_first_ci_low, other.total_cost_vs_first_ci_high
        sure = math.isfinite(lo) and math.isfinite(hi) and not (lo <= 0 <= hi)
        if d == 0 and not sure:
            title = f"In {year_words}, {names[1]} and {names[0]} cost the same: {_money(currency, other.total_cost)}"
        else:
            ci = (f" (paired 95% CI {_money(currency, lo)} to {_money(currency, hi)})"
                  if math.isfinite(lo) and math.isfinite(hi) else "")
            if ci and hi - lo <= 1e-9 * max(1.0, abs(d)):
                ci = " (the same in every replication)"
            elif ci and _money(currency, lo) == _money(currency, hi):  # a narrow interval: whole units
                ci = f" (paired 95% CI {currency} {lo:,.0f} to {hi:,.0f})"
            title = (f"In {year_words}, {names[1]} costs {_money(currency, abs(d))} {'more' if d > 0 else 'less'} "
                     f"than {names[0]}{ci}{'' if sure or not ci else ', not a clear difference'}; "
                     f"{fte_words(other[fte])} FTE against {fte_words(rows.iloc[0][fte])}")
    else:
        cheap, dear = rows.total_cost.idxmin(), rows.total_cost.idxmax()
        if rows.total_cost.loc[cheap] == rows.total_cost.loc[dear]:
            title = (f"In {year_words}, every scenario costs {_money(currency, rows.total_cost.loc[cheap])}, "
                     f"with {fte_words(rows[fte].iloc[0])} FTE: they staff the same, whatever their demand")
        else:
            title = (f"In {year_words}, total cost ranges from {_money(currency, rows.total_cost.loc[cheap])} "
                     f"({cheap}) to {_money(currency, rows.total_cost.loc[dear])} ({dear}); "
                     f"FTE from {fte_words(rows[fte].min())} to {fte_words(rows[fte].max())}")

    peak = float(np.nanmax(table[["total_cost", "total_cost_ci_high"]].to_numpy(dtype=float))) \
        if "total_cost_ci_high" in table else float(np.nanmax(table["total_cost"]))
    scale, unit = (1e6, " million") if peak >= 1e6 else (1e3, " thousand") if peak >= 1e4 else (1.0, "")
    n = len(names)
    width = 0.8 / n
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}
    with styled():
        fig = new_figure(7.6)
        grid = fig.add_gridspec(2, 1, height_ratios=[1.5, 1])
        ax = fig.add_subplot(grid[0])
        fte_ax = fig.add_subplot(grid[1], sharex=ax)
        for i, name in enumerate(names):
            mine = table[table.scenario == name].set_index("year").reindex(years)
            xs = np.arange(len(years)) + (i - (n - 1) / 2) * width
            mean = mine["total_cost"].to_numpy(dtype=float)
            err = None
            if "total_cost_ci_low" in mine:
                low = np.nan_to_num(mean - mine["total_cost_ci_low"].to_numpy(dtype=float), nan=0.0)
                high = np.nan_to_num(mine["total_cost_ci_high"].to_numpy(dtype=float) - mean, nan=0.0)
                err = np.vstack([low, high]) / scale
            ax.bar(xs, mean / scale, width=width * 0.92, color=colours[name], edgecolor="none", label=name)
            if err is not None:
                ax.errorbar(xs, mean / scale, yerr=err, fmt="none", ecolor="black", elinewidth=1.6, capsize=3)
            f_mean = mine[fte].to_numpy(dtype=float)
            if f"{fte}_ci_low" in mine:
                for xi, lo_i, hi_i in zip(xs, mine[f"{fte}_ci_low"], mine[f"{fte}_ci_high"]):
                    if math.isfinite(lo_i) and math.isfinite(hi_i):
                        fte_ax.plot([xi, xi], [lo_i, hi_i], color=colours[name], linewidth=3, solid_capstyle="butt")
            fte_ax.scatter(xs, f_mean, marker="D", s=50, color=colours[name], zorder=4)
        ax.set_ylabel(f"Total cost\n({currency}{unit})")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.4g}"))
        ax.set_ylim(0, peak / scale * 1.12 if peak > 0 else 1)
        ax.grid(axis="x", visible=False)
        ax.tick_params(labelbottom=False)
        ax.set_title(f"Total cost per calendar year at that year's prices, of the staff each scenario writes (not "
                     f"sized to its SLAs): mean and 95% CI across {replications} replications",
                     loc="left", fontsize=12, color=MUTED)
        labels = [y if days[y] >= 360 else f"{y}\n({days[y]:.0f} days)" for y in years]
        fte_ax.set_xticks(np.arange(len(years)), labels)
        fte_ax.set_xlim(-0.6, len(years) - 0.4)
        fte_ax.grid(axis="x", visible=False)
        fte_values = table[[c for c in (fte, f"{fte}_ci_low", f"{fte}_ci_high") if c in table]].to_numpy(dtype=float)
        finite = fte_values[np.isfinite(fte_values)]
        if len(finite):
            lo_f, hi_f = float(finite.min()), float(finite.max())
            pad = max((hi_f - lo_f) * 0.15, 0.5)
            fte_ax.set_ylim(max(0.0, lo_f - pad), hi_f + pad)
        fte_ax.set_ylabel("FTE" + (f" ({team})" if team else ""))
        fte_ax.set_title(f"FTE: mean analysts in post over the year, {'team ' + team if team else 'all teams'} "
                         "(95% CI); partial years are not annualised", loc="left", fontsize=12, color=MUTED)
        handles, texts = ax.get_legend_handles_labels()
        legend_above(ax, handles, texts, ncols=min(n, 3))
        apply_style(fig, title, footer_text(scenarios, seed, replications))
    return fig
