"""The time-to-assessment chart: each replication's waits against the SLA deadlines, and SLA attainment."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.axis import Axis
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import FixedLocator, Formatter, FuncFormatter, Locator
from matplotlib.textpath import text_to_path

from capsim.charts.by_year import MOST_QUOTED, Judged, levels_verdict, measure_words, measured_span, sla_measures, streams_words
from capsim.charts.footer import footer_text
from capsim.charts.parts import PercentTicks, nanmean, replication_strip, replications_in
from capsim.charts.style import (MUTED, OKABE_ITO, apply_style, footer_height, legend_above, new_figure, styled,
                                 title_height, wrap_words)
from capsim.metrics import metric_range
from capsim.results import mean_ci
from capsim.scenario import SLA, Scenario
from capsim.units import SECONDS_PER_HOUR, target_percent
from capsim.words import (UNIT_HOURS, and_list, count_words, duration_text, duration_unit, durations_words, hours_words,
                          percent_against, target_side, target_verdict)


TIME_METRICS = [
    ("wait_mean", "Wait to start, mean"),
    ("wait_p90", "Wait to start, 90th pct"),
    ("time_to_assessment_p50", "Time to assessment, median"),
    ("time_to_assessment_p90", "Time to assessment, 90th pct"),
    ("time_to_assessment_p95", "Time to assessment, 95th pct"),
]
"""Time metrics drawn by :func:`time_to_assessment`, in hours, with their row labels."""

AXIS_UNITS = {"min": "Minutes", "h": "Hours", "days": "Days"}
"""The time axis's words for each unit of :func:`capsim.words.duration_unit`."""

ROW_CHARS = 24
"""Characters a line of an SLA row's label on the right panel (``measure_words``), wrapped beyond."""

LABEL_LINE_IN = 0.19
"""Inches one line of an SLA row's label takes (11 pt, as tick labels are set, with its spacing)."""

ROW_GAP_IN = 0.25
"""Inches kept between two SLA rows' labels on the right panel."""

PANEL_OVERHEAD_IN = 2.3
"""Inches the panels take besides the SLA rows' labels: the legend above them, their titles (of two
lines) and the time axis's label."""

PANEL_TITLE_CHARS = 62
"""Characters a line of the left panel's title (12 pt, from the panel's left edge), wrapped beyond."""


def figure_height(title: str, footer: str, row_labels: list[str], panel_title: str = "") -> float:
    """Inches of the chart: 6.2 (5.6 without SLA rows), or more where its title, footer, the left panel's
    title beyond two lines (``panel_title``) and the right panel's wrapped row labels (``row_labels``)
    need it, so that no two rows' labels overlap."""
    if not row_labels:
        return 5.6
    lines = sum(label.count("\n") + 1 for label in row_labels) + max(0, panel_title.count("\n") - 1)
    rows = LABEL_LINE_IN * lines + ROW_GAP_IN * (len(row_labels) - 1)
    return max(6.2, title_height(title) + footer_height(footer) + PANEL_OVERHEAD_IN + rows)


def all_items_words(scenario: Scenario, mean_of: Callable[[str], float] | None = None, named: bool = True) -> str:
    """The base of the pooled waits and times to assessment, in this chart's title and the findings:
    "all items" for one stream; where several streams are pooled, how many items and which, so that
    no pooled figure is quoted as one kind's: "all 6.7 million items from the streams (reports and
    ai-generated at team analysts, images at team graders)". The count is of the items whose wait
    counts: the arrivals less those hash matching cleared and those that expired, each the mean over
    the replications (``mean_of`` a metric's, NaN where not measured); none without ``mean_of`` or
    the arrivals. ``named=False``: without the streams ("all 6.7 million items from the streams"), for
    a title whose chart names them beside the figures (:func:`pooled_panel_title`)."""
    if len(scenario.demand) < 2:
        return "all items"
    arrivals = mean_of("arrivals") if mean_of is not None else np.nan
    if np.isfinite(arrivals):
        gone = (mean_of(metric) for metric in ("auto_cleared", "expired"))
        count = f"{count_words(arrivals - sum(x for x in gone if np.isfinite(x)))} "
    else:
        count = ""
    return f"all {count}items from the streams" + (f" ({streams_words(scenario)})" if named else "")


DEADLINE_GAP_PT = 4.0
"""Points of clear space kept between a deadline's label on the time axis and an ordinary tick's,
and between two deadlines' labels side by side (:class:`DeadlineLabels`)."""

LINE_SPACING = 1.2
"""A row of deadline labels below the one above it, in lines of their text (matplotlib's own spacing
of the lines of a text)."""


def text_width_pt(label: str, font: FontProperties) -> float:
    """The width of ``label`` in ``font``, in points."""
    return text_to_path.get_text_width_height_descent(label, font, ismath=False)[0]


def axis_pt(axis: Axis, x: float) -> float:
    """Where ``x`` (in data units) lies along the x ``axis`` as drawn, in points from the figure's left edge."""
    points = 72 / axis.axes.figure.dpi  # points in a pixel (a subfigure has its figure's dpi)
    return float(axis.axes.transData.transform((x, 0))[0]) * points


class DeadlineLabels(Formatter):
    """The labels of the deadlines on the time axis (``deadlines``: position on the axis → label, drawn
    as minor ticks), each on the first row below the axis where it stands :data:`DEADLINE_GAP_PT` clear
    of the labels already there, from left to right: two deadlines close together on the axis (24 h and
    72 h on an axis of weeks, or of a log scale) printed as one "2472 h". A row is a line of their text
    (:data:`LINE_SPACING`) below the one above, set as its tick's pad. Labels are measured in their own
    font, at the axis's size when drawn (a log axis too), as :class:`ClearOfDeadlines` measures them."""

    def __init__(self, deadlines: dict[float, str]) -> None:
        self.deadlines = deadlines

    def __call__(self, x: float, pos: int | None = None) -> str:
        return self.deadlines.get(x, "")

    def format_ticks(self, values: list[float]) -> list[str]:
        axis = self.axis
        labels = [self(x) for x in values]
        ticks = axis.get_minor_ticks(len(values))
        if not ticks:
            return labels
        font = ticks[0].label1.get_fontproperties()
        pad = axis.get_major_ticks(1)[0].get_pad()  # the first row: level with the ordinary ticks' labels
        line = text_to_path.get_text_width_height_descent("lp", font, ismath=False)[1] * LINE_SPACING
        ends: list[float] = []  # the right end of each row's last label so far, in points
        for i in sorted(range(len(values)), key=lambda i: axis_pt(axis, values[i])):
            middle, half = axis_pt(axis, values[i]), text_width_pt(labels[i], font) / 2
            row = next((r for r, end in enumerate(ends) if middle - half >= end + DEADLINE_GAP_PT), len(ends))
            ends[row:row + 1] = [middle + half]
            ticks[i].set_pad(pad + row * line)
        return labels


class ClearOfDeadlines(Locator):
    """The time axis's ordinary ticks (those of ``ordinary``, its own locator) but any whose label
    would come within :data:`DEADLINE_GAP_PT` of a deadline's label (``deadlines``: position on the
    axis → label, drawn as minor ticks): where a deadline sits near 0 on an axis of days, "0" and
    "72 h" would print as one "0 72 h", and an ordinary tick at the deadline itself ("3.0" at 72 h)
    would hide its label (matplotlib drops a minor tick where a major one is). Labels are measured
    in their own font, at the axis's size when drawn (a log axis too)."""

    def __init__(self, ordinary: Locator, deadlines: dict[float, str]) -> None:
        self.ordinary = ordinary
        self.deadlines = deadlines

    def __call__(self) -> list[float]:
        axis = self.axis
        ticks = list(self.ordinary())
        labels = axis.get_major_formatter().format_ticks(ticks)
        font = axis.get_major_ticks(1)[0].label1.get_fontproperties()
        return [tick for tick, label in zip(ticks, labels)
                if all(abs(axis_pt(axis, tick) - axis_pt(axis, d))
                       >= (text_width_pt(label, font) + text_width_pt(text, font)) / 2 + DEADLINE_GAP_PT
                       for d, text in self.deadlines.items())]


def team_waits(scenario: Scenario, mean_of: Callable[[str], float]) -> list[tuple[str, float]]:
    """Where the streams reach several teams, each team's mean wait to start (``wait_mean_<team>``, in
    hours, as ``mean_of`` gives a metric's mean over the replications, NaN where not measured), longest
    first: the pooled figures describe no one team's items; [] where fewer than two teams' are measured."""
    teams = list(dict.fromkeys(scenario.team_of(s) for s in scenario.demand))
    known = {team: h for team in teams if np.isfinite(h := mean_of(f"wait_mean_{team}"))}
    return sorted(known.items(), key=lambda item: -item[1]) if len(known) > 1 else []


def team_waits_words(scenario: Scenario, mean_of: Callable[[str], float], unit: str | None = None) -> str:
    """Where the streams reach several teams (:func:`team_waits`): "; items wait to start 54 days on
    average at team analysts, 1 day at team graders", longest first; else "". ``unit``: that of the
    sentence it ends (:func:`capsim.words.duration_unit`); else one unit for these waits."""
    ordered = team_waits(scenario, mean_of)
    if not ordered:
        return ""
    said = [hours_words(h, unit) for _, h in ordered] if unit else durations_words(*(h for _, h in ordered))
    return ("; items wait to start " + ", ".join(f"{w}{' on average' if i == 0 else ''} at team {team}"
                                                for i, ((team, _), w) in enumerate(zip(ordered, said))))


def sla_verdict_words(sla: SLA, got: float, low: float, high: float) -> str:
    """An SLA's share within its deadline (``got``, 0–1, its 95% CI ``low`` to ``high``) against its
    target, for a title: "92% meet the 72 h deadline: the 90% target is met on average, but the
    95% CI, 81% to 100%, reaches below the target" (:func:`~capsim.charts.by_year.target_side`);
    no share reads on the other side of the target from where it is (:func:`percent_against`)."""
    ci = f"{share_words(sla, low)} to {share_words(sla, high)}" if np.isfinite([low, high]).all() else ""
    return (f"{share_words(sla, got)} meet the {duration_text(sla.within)} deadline: the {target_percent(sla.target)} "
            f"target is {target_verdict(got, low, high, sla.target, ci)}")


def share_words(sla: SLA, share: float) -> str:
    """A share (0–1) within ``sla``'s deadline as said against its target (:func:`percent_against`): never
    on the other side of the target from where it is."""
    return percent_against(share, sla.target, 1 if 0.99 < share < 1 else 0)


def run_judged(sla: SLA, ci: tuple[float, float, float] | None) -> Judged:
    """How a level meets ``sla``'s target over the whole run (``ci``: its share, 0–1, and 95% CI; None where
    no item's outcome is known), as :func:`~capsim.charts.by_year.levels_verdict` counts it (period "all")."""
    if ci is None:
        return Judged(False, None, None, False)
    side, _ = target_side(*ci, sla.target)
    return Judged(True, "all" if side == "missed" else None, "all" if side.startswith("missed") else None, side == "met")


def row_verdict(sla: SLA, ci: tuple[float, float, float]) -> str:
    """A level's share over the run and its verdict (:func:`target_side`'s side), under its row's label
    where the title judges the levels together: "55%, target missed", "89%, target missed on average"."""
    return f"{share_words(sla, ci[0])}, target {target_side(*ci, sla.target)[0]}"


def team_wait_rows(per_replication: pd.DataFrame, scenario: Scenario, unit: str) -> list[tuple[str, np.ndarray]]:
    """The left panel's rows of each team's mean wait to start (:func:`team_waits`), where the title judging
    several levels together leaves them out: each replication's, in ``unit`` (the axis's), its label with the
    mean: "Wait to start, mean,\nat team analysts: 6.8 days"; [] where the streams reach one team."""
    ordered = team_waits(scenario, lambda metric: nanmean(per_replication.get(metric, [])))
    return [(f"Wait to start, mean,\nat team {team}: {hours_words(hours, unit)}",
             per_replication[f"wait_mean_{team}"].to_numpy(dtype=float) / UNIT_HOURS[unit]) for team, hours in ordered]


def pooled_panel_title(scenario: Scenario, reps: int, referred: bool, named: bool) -> str:
    """The left panel's title, wrapped to :data:`PANEL_TITLE_CHARS`: "Each dot: one replication (2 in all);
    all priorities pooled", and where a level is measured at its team (``referred``: the right panel judges
    referrals there) ", the streams' own items (referrals: by team, right)"; ``named``: with those streams
    (:func:`streams_words`) where the title leaves them out (:func:`all_items_words`): "..., the streams' own
    items: reports and ai-generated at team analysts, images at team graders (referrals: by team, right)"."""
    streams = f": {streams_words(scenario)}" if named else ""
    own = f", the streams' own items{streams} (referrals: by team, right)" if referred else streams
    return "\n".join(wrap_words(f"Each dot: one replication ({reps} in all); all priorities pooled{own}",
                                 PANEL_TITLE_CHARS))


def time_to_assessment(per_replication: pd.DataFrame, scenario: Scenario, seed: int) -> Figure:
    """Time to assessment: each replication's wait and time-to-assessment statistics, in hours,
    with the SLA deadlines marked; beside it, SLA attainment by priority against its target.

    ``per_replication`` is :attr:`SimulationResult.per_replication` (``replications.csv``).
    The statistics pool all priorities (results hold no per-item records): each dot is one
    replication's median or percentile, so the spread is run-to-run variation, not the
    spread of single items' waits. Per priority, only SLA attainment is measured, each level the
    findings judge (:func:`capsim.charts.by_year.sla_measures`): the streams' items, and each team's
    own where several teams serve the priority or only referrals have it (a classifier's: all the
    streams' items first); the chart is as tall as the right panel's row labels need. With more
    than :data:`~capsim.charts.by_year.MOST_QUOTED` levels the title judges them together and stays
    within three lines: the streams pooled are named in the left panel's title
    (:func:`pooled_panel_title`) and each team's mean wait is a row of that panel (:func:`team_wait_rows`).
    """
    reps = replications_in(per_replication)
    p50 = nanmean(per_replication.get("time_to_assessment_p50", []))
    p90 = nanmean(per_replication.get("time_to_assessment_p90", []))
    half, nine_in_ten = durations_words(p50, p90)  # one title, one unit: the axis's too
    unit = duration_unit(p50, p90) if np.isfinite([p50, p90]).any() else "h"
    per = UNIT_HOURS[unit]  # hours in one unit of the axis
    measures = [(s, metric, team) for s, metric, team in sla_measures(scenario) if metric in per_replication]
    together = len(measures) > MOST_QUOTED  # then judged together, each on its own row of the right panel
    rows: list[tuple[str, np.ndarray]] = []
    for m, label in TIME_METRICS:  # levels judged together: each team's wait beside the pooled one, not in the title
        rows += [(label, per_replication[m].to_numpy(dtype=float) / per)] if m in per_replication else []
        rows += team_wait_rows(per_replication, scenario, unit) if m == "wait_mean" and together else []
    finite = np.concatenate([v[np.isfinite(v)] for _, v in rows]) if rows else np.zeros(0)
    positive = finite[finite > 0]
    # the deadlines of the left panel's items, the streams' own: not those of a priority only referrals have
    # (measured at their team, right); one deadline for an SLA measured at several teams
    slas = list({s.priority: s for s, _, team in measures if not team}.values())
    # each deadline once, with the priorities it is theirs: two SLAs within 24 h are one line, one label
    sharing: dict[float, list[str]] = {}  # a deadline, in seconds → its priorities
    for s in slas:
        sharing.setdefault(s.within, []).append(s.priority)
    deadlines = [within / SECONDS_PER_HOUR / per for within in sharing]  # in units of the axis
    log = len(positive) > 0 and (max(positive.max(), *deadlines) if deadlines else positive.max()) / max(positive.min(), 1e-9) > 60

    def mean_of(metric: str) -> float:
        return nanmean(per_replication.get(metric, []))

    span = measured_span(scenario)  # a whole-run figure beside calendar years' says its span
    # levels judged together: the streams named in the left panel's title, each team's wait in its rows (≤ 3 lines)
    title = (f"{span[:1].upper() + span[1:] + ', h' if span else 'H'}alf of "
             f"{all_items_words(scenario, mean_of, named=not together)} are assessed within {half}, nine in ten within "
             f"{nine_in_ten}") + ("" if together else team_waits_words(scenario, mean_of))
    known = {(s, metric, team): mean_ci(per_replication[metric].to_numpy(dtype=float), bounds=metric_range(metric))
             for s, metric, team in measures if np.isfinite(nanmean(per_replication[metric]))}  # share, 95% CI
    # the first level measured, and any other not surely met: a title quoting one level met must not hide a miss
    quoted = [m for i, (m, ci) in enumerate(known.items()) if i == 0 or target_side(*ci, m[0].target)[0] != "met"]
    # each level quoted says it counts its own items, not the pooled ones, wherever those are another base
    alone = " alone" if len(scenario.priorities) > 1 or len(scenario.demand) > 1 else ""
    if together:
        title += "; " + levels_verdict([run_judged(m[0], known.get(m)) for m in measures], [s.target for s, _, _ in measures])
    for s, metric, team in [] if together else quoted:
        title += f"; of {measure_words(scenario, s, team, metric)}{alone}, {sla_verdict_words(s, *known[s, metric, team])}"
    if not np.isfinite(p50):
        title = "No items were assessed in this run"

    row_labels = ["\n".join(textwrap.wrap(measure_words(scenario, s, team, metric) + (":" if judged else ""), ROW_CHARS)
                            + textwrap.wrap(row_verdict(s, known[s, metric, team]) if judged else "", ROW_CHARS))
                  for s, metric, team in measures for judged in [together and (s, metric, team) in known]]
    footer = footer_text([scenario], seed, reps)
    panel_title = pooled_panel_title(scenario, reps, any(team for _, _, team in measures),
                                     together and len(scenario.demand) > 1)
    with styled():
        fig = new_figure(figure_height(title, footer, row_labels, panel_title))
        if measures:  # the right panel: every SLA measured, referral-only ones at their team
            grid = fig.add_gridspec(1, 2, width_ratios=[1.8, 1])
            ax = fig.add_subplot(grid[0])
            sla_ax = fig.add_subplot(grid[1])
        else:
            ax = fig.add_subplot(1, 1, 1)
        replication_strip(ax, rows, OKABE_ITO["blue"])
        top = max([*(finite.tolist() or [1.0]), *deadlines])
        if log:
            ax.set_xscale("log")
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ax.set_xlim(positive.min() / 1.5 if len(positive) else 0.01, top * 1.5)
        else:
            ax.set_xlim(0, top * 1.06)  # every deadline in view, even one no statistic reaches
        colours = [OKABE_ITO["vermillion"], OKABE_ITO["orange"], OKABE_ITO["reddish_purple"], OKABE_ITO["bluish_green"]]
        for i, ((within, priorities), d) in enumerate(zip(sharing.items(), deadlines)):
            ax.axvline(d, color=colours[i % len(colours)], linestyle="--", linewidth=1.8,
                       label=f"{and_list(priorities)} deadline {duration_text(within)}")
        if sharing:  # each deadline labelled on the axis where its line meets it, clear of every other label
            labelled = {d: duration_text(within) for within, d in zip(sharing, deadlines)}
            ax.xaxis.set_minor_locator(FixedLocator(deadlines))
            ax.xaxis.set_minor_formatter(DeadlineLabels(labelled))
            ax.xaxis.set_major_locator(ClearOfDeadlines(ax.xaxis.get_major_locator(), labelled))
        ax.set_xlabel(f"{AXIS_UNITS[unit]} from arrival" + (" (log scale)" if log else ""))
        ax.set_title(panel_title, loc="left", fontsize=12, color=MUTED)
        handles, labels = ax.get_legend_handles_labels()
        if measures:
            sla_rows = [(label, per_replication[metric].to_numpy(dtype=float))
                        for label, (_, metric, _) in zip(row_labels, measures)]
            replication_strip(sla_ax, sla_rows, OKABE_ITO["bluish_green"])
            for text in sla_ax.texts:  # "no items assessed" on a blank: no grid line through it
                text.set_backgroundcolor(sla_ax.get_facecolor())
                text.set_zorder(7)
            targets = [(len(measures) - 1 - i, s.target) for i, (s, _, _) in enumerate(measures)
                       if np.isfinite(sla_rows[i][1]).any()]  # a row with no items says so alone, no target across it
            for i, (y, target) in enumerate(targets):
                sla_ax.plot([target, target], [y - 0.35, y + 0.35], color=OKABE_ITO["vermillion"], linewidth=3,
                            label="target" if i == 0 else None, zorder=6)
            values = np.concatenate([v[np.isfinite(v)] for _, v in sla_rows] + [np.array([s.target for s, _, _ in measures])])
            low = max(0.0, min(values.min() - 0.05, 0.8)) if len(values) else 0.0
            sla_ax.set_xlim(low, 1.005)
            sla_ax.xaxis.set_major_formatter(PercentTicks())
            sla_ax.set_xlabel("Share within deadline")
            sla_ax.set_title("Within deadline, by SLA", loc="left", fontsize=12, color=MUTED)
            more = [(h, lab) for h, lab in zip(*sla_ax.get_legend_handles_labels()) if lab == "target"]
            handles += [h for h, _ in more]
            labels += ["SLA target" for _ in more]
        legend_above(ax, handles, labels, ncols=2)
        apply_style(fig, title, footer)
    return fig
