"""Scenario comparison: each metric per scenario with its CI, and paired differences against the first.

The chart (:func:`comparison`) draws each metric's level (left; a share's axis stops at 0% and
100%) and its paired difference (right, in points for a share); its title states the finding, a
tool's side effect beside its saving. :func:`year_difference_lines` says, for the terminal and the
report, each service level and mean wait (all teams', each team's own) whose difference turns
between calendar years.

Why it is one module: the chart's title, its panels and the year lines all read the one table of
paired differences (:func:`paired_differences`, :func:`capsim.compare.compare_by_year`) and word
a difference the same way (points for shares, one unit of time a line, a difference and its bounds
in the same decimals: :func:`difference_words`, which the report's and the terminal's comparison
lines use too) and name a team's own figure alike ("at team victim_id": :func:`team_label`); split,
the wording of a difference in the chart and in the sentences beside it would drift apart.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from capsim.charts.by_year import covered_text, measured_span, moment, year_labels
from capsim.charts.footer import footer_text
from capsim.charts.growth_words import GROWTH_LABEL, volume_and_growth
from capsim.charts.parts import PercentTicks, scenario_colours
from capsim.charts.style import MUTED, apply_style, footer_height, new_figure, styled, title_height
from capsim.compare import (COUNT_DIGITS, POINT_DIGITS, UNIT_DIGITS, TeamChange, alike_places, from_to,
                             held_difference_words, metric_team, scenario_labels, signed_alike, share_levels,
                             team_changes)
from capsim.costs import unpriced_tools
from capsim.metric_names import BACKLOG_WORDS, backlog_words, metric_range
from capsim.named_lists import element_name
from capsim.scenario import SLA, Scenario, step_into
from capsim.side_effects import DETECTOR_METRICS, SIDE_EFFECT_DESCRIPTIONS, missed_still_assessed
from capsim.sources import figure_origin, short_org
from capsim.tooling import ToolSection, Tooling
from capsim.units import SHARE_DECIMALS, UNIT_HOURS, duration_text, duration_unit, target_percent
from capsim.words import (count_words, how_many, is_share, is_wait, metric_label, metric_words, why_no_interval,
                          fmt, percent, plain_number, seconds_text, sla_label, value_text, wait_words)

if TYPE_CHECKING:  # pragma: no cover
    from capsim.experiment import SimulationResult


COMPARE_METRICS = ["backlog_mean", "wait_mean", "time_to_assessment_p90", "expired", "utilisation_usable",
                   "utilisation", "victim_id_hours", *SIDE_EFFECT_DESCRIPTIONS]
"""Metrics compared by default (each SLA metric is added after ``time_to_assessment_p90``; the
tools' side effects come last, beside what they save). The backlog is the time average
(``backlog_mean``), never the end-of-run snapshot, which depends on the weekday a run ends.
Utilisation of usable hours (up to the exposure cap) comes before that of rostered hours, which
alone would read as analysts half idle when they work at the cap (:func:`usable_first`)."""


TOOL_SETTINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "synthetic_detector": (("fpr", "the detector flags {} of real items as AI-generated"),
                           ("tpr", "{} of AI-generated items")),
    "classifier": (("recall", "the classifier flags {} of criminal items"),),
}
"""Per tool whose side effect can headline a comparison (:func:`headline_tool`): the settings
that side effect follows from (shares between 0 and 1), each with the words its share fills in.
The detector's false positives are the real-victim referrals it loses (and most of the hours it
saves); its true positives the synthetic referrals it avoids. The classifier's recall sets the
criminal items it misses."""


def default_comparison_metrics(results: Sequence[SimulationResult]) -> list[str]:
    """The metrics :func:`comparison` draws by default: headline metrics every result has (or
    means: :func:`capsim.compare.like_for_like`). An SLA share whose items a classifier relabels
    in some run is compared by the items' own priority (``sla_<p>_original``) instead."""
    from capsim.compare import definition_notes, like_for_like

    names = list(COMPARE_METRICS)
    notes = definition_notes([r.scenario for r in results])
    slas = [f"{m}_original" if m in notes else m for m in results[0].summary.metric
            if m.startswith("sla_") and not m.endswith("_original") and m.count("_") == 1]
    at = names.index("time_to_assessment_p90") + 1
    names = names[:at] + slas + names[at:]
    tables = like_for_like(list(results))
    common = set.intersection(*(set(t.columns) for t in tables))
    informative = [m for m in names if m in common and not all((t[m].fillna(0) == 0).all() for t in tables)]
    return informative or [m for m in names if m in common]


def paired_differences(results: Sequence[SimulationResult], metrics: Sequence[str] | None = None,
                       changes: dict[str, list[TeamChange]] | None = None) -> pd.DataFrame:
    """Each metric of each scenario with its CI, and its paired difference against the first.

    The runs must share seed and replications (common random numbers: replication r of
    every run saw the same arrivals); the difference is taken per replication and its 95%
    CI is the Student-t interval of those differences (:func:`capsim.compare.compare`).
    Columns: ``scenario`` (:func:`scenario_labels`), ``metric``, ``mean``, ``ci_low``, ``ci_high``, ``diff``,
    ``diff_ci_low``, ``diff_ci_high``, ``note`` (where the metric counts different items in
    different runs). ``changes``: :func:`capsim.compare.team_changes` of ``results``, where already
    made. Raises ``ValueError`` if seeds or replications differ.
    """
    from capsim.compare import compare

    if not results:
        raise ValueError("nothing to compare")
    metrics = list(metrics) if metrics is not None else default_comparison_metrics(results)
    table = compare(list(results), changes).rename(columns={
        "difference": "diff", "difference_ci_low": "diff_ci_low", "difference_ci_high": "diff_ci_high"})
    labels = scenario_labels(results)  # compare()'s scenario column
    table = table[table.metric.isin(metrics)]
    order = {m: i for i, m in enumerate(metrics)}
    table = table.assign(_s=table.scenario.map({n: i for i, n in enumerate(labels)}), _o=table.metric.map(order))
    return table.sort_values(["_s", "_o"], kind="mergesort").drop(columns=["_s", "_o"]).reset_index(drop=True)[
        ["scenario", "metric", "mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high", "note"]]


def _difference_scale(metric: str, difference: float, low: float, high: float, unit: str | None = None
                      ) -> tuple[str, float, int, int | None]:
    """How :func:`difference_words` writes a paired difference of ``metric``: its unit ("points", a
    wait's ``unit`` or :func:`duration_unit` of the three given in hours, or "" for the metric's own),
    that unit's size in the metric's units, its significant figures and its most decimals (None: any)."""
    if is_share(metric):
        return "points", 0.01, POINT_DIGITS, SHARE_DECIMALS
    if is_wait(metric):
        unit = unit or duration_unit(difference, low, high)
        return unit, UNIT_HOURS[unit], UNIT_DIGITS[unit], None
    return "", 1.0, COUNT_DIGITS, None


def difference_places(metric: str, values: np.ndarray, unit: str | None = None) -> int | None:
    """The decimals one sentence writes every paired difference of ``metric`` in ``values`` with (rows
    of difference, 95% CI low and high, in the metric's units; waits in ``unit``): the most any of
    them needs written alone (:func:`capsim.compare.alike_places`), so that no interval's bounds
    merge; None where none was measured."""
    places = []
    for difference, low, high in values:
        if math.isfinite(difference):
            _, scale, digits, most = _difference_scale(metric, difference, low, high, unit)
            places.append(alike_places(difference / scale, low / scale, high / scale, digits=digits, most=most))
    return max(places, default=None)


def difference_words(metric: str, difference: float, low: float, high: float, unit: str | None = None,
                     places: int | None = None) -> tuple[list[str], str]:
    """A paired difference of ``metric`` and its 95% interval's bounds as every comparison line
    writes them, signed and sharing their decimals (:func:`capsim.compare.signed_alike`), with the
    unit they are in: a share's in percentage points ("points", to :data:`~capsim.compare.POINT_DIGITS`
    significant figures and at most :data:`~capsim.units.SHARE_DECIMALS` decimals, the shares' own),
    a wait's (given in hours) in ``unit`` (default: :func:`duration_unit` of the three;
    :data:`~capsim.compare.UNIT_DIGITS`), anything else in its own unit ("", to
    :data:`~capsim.compare.COUNT_DIGITS`): (["+26.3", "−2.8", "+55.4"], ""), (["+17", "+3", "+30"],
    "days"), (["+3.1", "+<0.1", "+6.2"], "points"). The interval's half-width bounds the decimals
    (:func:`capsim.compare.alike`): a narrow interval keeps its ends apart, a difference near 0 reads
    as precisely as a wide one allows, and a figure that is not 0 never reads 0. A value not measured
    reads "n/a". ``places`` sets the decimals instead, for a sentence of several differences
    (:func:`difference_places`)."""
    unit, scale, digits, most = _difference_scale(metric, difference, low, high, unit)
    values = [x / scale for x in (difference, low, high)]
    words = signed_alike(*values, digits=digits, most=most, places=places)
    return [text if math.isfinite(x) else "n/a" for x, text in zip(values, words)], unit


LEVEL_UNITS = {"analyst_hours": " h", "victim_id_hours": " h", "exposure_hours_per_analyst_day": " h",
               "runout_days": " days"}
"""The unit after each level of a metric (by the start of its name: a team's own ``analyst_hours_<team>``
too) that the run writes as a bare number under a label naming its unit ("Victim-identification hours"),
so that a level quoted alone keeps it: "from 2,711 h to 13,078 h"."""


def level_words(metric: str, before: float, difference: float, low: float, high: float, unit: str | None = None,
                places: int | None = None, currency: str = "GBP") -> str:
    """The levels a paired difference of ``metric`` (with its 95% interval ``low`` to ``high``) moves
    between, from the first run's mean ``before`` (in the metric's units; the comparison table's, as
    :func:`capsim.compare.first_level` gives it), the later the earlier as written plus the difference
    rounded to the levels' decimals, so that the sentence's arithmetic holds. A share's in percentages
    with the decimals of the difference in points beside them, more only where one would read 100% or
    0% for a share that is not (:func:`capsim.compare.share_levels`): "from 90.2% to 87.0%" beside
    "−3.2 points"; a wait's in the unit and decimals :func:`difference_words` writes the difference in
    (``unit`` and ``places`` as there; :func:`capsim.compare.from_to`): "from 10 days to 93 days" beside
    "+83 days"; anything else as the run writes the metric (:func:`_as_run_writes`: money in
    ``currency``, hours with " h"), with the difference's decimals at most: "from £1.52 to £1.55" beside
    "+0.0310", "from 2,711 h to 13,078 h" beside "+10,367", "from 5,123 to 273,600" beside "+268,477"."""
    unit, scale, digits, most = _difference_scale(metric, difference, low, high, unit)
    if places is None:
        places = alike_places(difference / scale, low / scale, high / scale, digits=digits, most=most)
    if is_share(metric):
        return share_levels(before, difference, places)
    if is_wait(metric):
        return from_to(before / scale, difference / scale, places, f" {unit}")
    prefix, run_places, suffix = _as_run_writes(metric, before, currency)
    return from_to(before, difference, min(places, run_places), suffix, prefix)


def _as_run_writes(metric: str, value: float, currency: str) -> tuple[str, int, str]:
    """How the run writes ``value`` of ``metric`` (:func:`~capsim.words.fmt`, in ``currency``): what comes
    before the number (a currency's symbol, "£"), its decimals, and what comes after it (a currency
    without a symbol, " NOK"; an hour, :data:`LEVEL_UNITS`): ("£", 2, "") for £1.52, ("", 0, " h") for
    2,711 hours (a value not known as 0 would be)."""
    text = fmt(metric, abs(value) if math.isfinite(value) else 0.0, currency)
    prefix, decimals, suffix = re.fullmatch(r"(\D*?)[\d,]+(?:\.(\d+))?(\D*)", text).groups()
    unit = next((u for family, u in LEVEL_UNITS.items() if metric.startswith(family)), "")
    return prefix, len(decimals or ""), suffix + unit


def team_label(metric: str, scenario: Scenario | None, label=metric_label) -> str:
    """``label`` of ``metric`` (:func:`metric_label`, or :func:`metric_words` for a line whose
    values carry their unit), a team's own figure (:func:`capsim.compare.metric_team`) named by its
    team as the team lines and findings name it, once and without the whole run's scope: "Mean
    wait before assessment at team victim_id (h)", "Share of reports assessed within 72 h at team
    analysts", "Items waiting at the end of the run at team graders" (not "(victim id)", nor "all
    teams"). Its unit is what ``label`` gives beyond :func:`metric_words`."""
    team = None if scenario is None else metric_team(metric, scenario)
    if team is None:
        return label(metric, scenario)
    rest = metric.removesuffix(f"_{team}")
    words = (sla_label(scenario, rest.removeprefix("sla_"), team) if rest.startswith("sla_")
             else backlog_words(rest, "the run", starts_sentence=True) if rest in BACKLOG_WORDS
             else metric_words(rest, scenario))
    unit = label(rest, scenario).removeprefix(metric_words(rest, scenario))
    return f"{words} at team {team}{unit}"


def year_difference_lines(results: Sequence[SimulationResult], by_year: pd.DataFrame | None = None
                          ) -> dict[str, list[str]]:
    """Per run after the first: one line per service level and mean wait (all teams', and with
    several teams each team's own) whose paired difference changes sign or significance between
    calendar years (:func:`capsim.compare.turning_metrics` of ``by_year``, default
    :func:`capsim.compare.compare_by_year` of ``results``), each year by its label in the run's tables
    (:func:`~capsim.charts.by_year.year_labels`) with its difference, the levels it moves between
    (:func:`level_words`, from the first run's mean that year) and its paired 95% CI in alike decimals
    (:func:`difference_words`): "Share of reports assessed within 72 h at team analysts, by calendar
    year: 2027 (Apr–Dec) +0.10 points (from 95.10% to 95.20%; 95% CI −0.20 to +0.40 points: no clear
    difference); 2028 +3.20 points (from 90.10% to 93.30%; 95% CI +1.10 to +5.30 points)"; a team's
    own figure is named by its team (:func:`team_label`: "Mean wait before assessment at team
    victim_id"). Shares in percentage
    points; waits in one unit for the line (:func:`duration_unit`); a year with nothing
    measured "n/a (not measured)"; every year with the decimals the most precise needs
    (:func:`difference_places`), one precision a sentence; an end held where a share would reach 0% or
    100% said as the team lines say it (:func:`capsim.compare.held_difference_words`). No line where the years agree with
    each other (and so with the whole run). Part years shorter than :data:`~capsim.periods.SHORTEST_PERIOD_DAYS` (an
    8-day stub) are left out, as the charts leave them out (unless every year is that short);
    ``by_year`` keeps them."""
    from capsim.compare import clear_sign, compare_by_year, turning_metrics

    results = list(results)
    by_year = compare_by_year(results) if by_year is None else by_year
    first = results[0].scenario
    labels = year_labels(results[0])  # a stub of a few days is no year to turn in
    first_label = by_year.scenario.iloc[0] if len(by_year) else None  # whose yearly means differences move from
    by_year = by_year[by_year.period.isin(labels)]
    out: dict[str, list[str]] = {}
    for name, metrics in turning_metrics(by_year, [r.scenario for r in results]).items():
        out[name] = []
        for metric in metrics:
            rows = by_year[(by_year.scenario == name) & (by_year.metric == metric)]
            before = by_year[(by_year.scenario == first_label) & (by_year.metric == metric)].set_index("period")["mean"]
            values = rows[["difference", "difference_ci_low", "difference_ci_high"]].to_numpy(dtype=float)
            unit = None if is_share(metric) else duration_unit(*values.ravel())  # one unit for the line
            places = difference_places(metric, values, unit)  # and one precision
            parts = []
            for period, (d, low, high) in zip(rows.period, values):
                if not math.isfinite(d):
                    parts.append(f"{labels[period]} n/a (not measured)")
                    continue
                (said, *bounds), unit = difference_words(metric, d, low, high, unit, places)
                held = held_difference_words(metric, before.get(period, math.nan), low, high)
                spread = why_no_interval(d, low, high) or (f"95% CI {bounds[0]} to {bounds[1]} {unit}{held}"
                                                     + (": no clear difference" if clear_sign(d, low, high) == 0 else ""))
                levels = level_words(metric, before.get(period, math.nan), d, low, high, unit, places)
                parts.append(f"{labels[period]} {said} {unit} ({levels}; {spread})")  # as the team lines: "; " in brackets
            out[name].append(f"{team_label(metric, first, metric_words)}, by calendar year: " + "; ".join(parts))
    return out


def comparison(results: Sequence[SimulationResult], metrics: Sequence[str] | None = None) -> Figure:
    """Scenario comparison: each metric per scenario with its 95% CI (left), and the paired
    difference against the first scenario with its 95% CI (right).

    Beside ``metrics`` (default: :func:`default_comparison_metrics`) it always draws, for each team
    the comparison's text calls worse off, every figure of the team's own that the text gives as
    changed, a better one too (:func:`team_side_effects`), and its footer names every setting that
    differs between the runs (:func:`settings_line`: headcounts, dates, demand, review times, service
    levels, tools): the chart lifted alone shows what a tool costs beside what it saves, what the
    saving assumes, and what else differs besides the setting compared. A run that does not measure a
    metric (a team it lacks) has no marks in that metric's panels: "not measured" in its row, and
    the panel's title names it ("...; not measured in one-team")."""
    changes = team_changes(list(results))
    if metrics is None:
        metrics = default_comparison_metrics(results)
    else:
        metrics = usable_first(metrics, set.intersection(*(set(r.per_replication.columns) for r in results)))
    table = paired_differences(results, with_side_effects(metrics, team_side_effects(changes)), changes)
    metrics = list(dict.fromkeys(table.metric))
    names = scenario_labels(results)
    first = names[0]
    colours = scenario_colours(names)
    lead = metrics[0]
    title = _comparison_finding(table, names, lead, results)
    spans = {measured_span(r.scenario) for r in results}  # a whole run of several years: say which
    if len(spans) == 1 and (span := spans.pop()):
        title += f", {span}"
    tool = headline_tool(table, names)
    if tool is not None:
        title += ", " + tool_assumptions(results[1].scenario, tool)

    with styled():
        footer = footer_text([r.scenario for r in results], results[0].seed, results[0].replications)
        footer = _with_settings(footer, settings_line([r.scenario for r in results], names,  # growth said once
                                                      growth_said=f"\n{GROWTH_LABEL}" in footer))
        fig = new_figure(PANEL_IN * len(metrics) + 0.3 * len(names)
                         + max(1.6, title_height(title) + footer_height(footer)))  # a long footer: panels keep room
        grid = fig.add_gridspec(len(metrics), 2, width_ratios=[1, 1])
        titles = []
        for i, m in enumerate(metrics):
            left = fig.add_subplot(grid[i, 0])
            right = fig.add_subplot(grid[i, 1])
            rows = table[table.metric == m].set_index("scenario")
            ys = np.arange(len(names))[::-1]
            _draw_runs(left, right, rows, dict(zip(names, ys)), colours)
            right.axvline(0, color=MUTED, linewidth=1.2)
            for ax in (left, right):
                ax.set_yticks(ys, names)
                ax.set_ylim(-0.7, len(names) - 0.3)
                ax.grid(axis="y", visible=False)
                if is_share(m) and ax is right:
                    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{100 * v:+.3g}".replace("-", "\u2212")
                                                               if v else "0"))
                elif is_share(m):
                    ax.xaxis.set_major_formatter(PercentTicks())  # the decimals the ticks' step needs
                else:
                    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: plain_number(v, 4).replace("-", "\u2212")))
            right.tick_params(labelleft=False)
            for ax in (left, right):
                ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=TICK_BINS))
            right.set_xlim(*_symmetric(rows.loc[rows.index != first, ["diff_ci_low", "diff_ci_high", "diff"]]
                                       .to_numpy(dtype=float), is_share(m)))
            left.set_xlim(*_within_range(left.get_xlim(), metric_range(m)))
            titles += [left.set_title(_panel_title(panel_label(m, results[0].scenario, metrics)
                                                   + _unmeasured_words([n for n in names if n not in rows.index])),
                                      loc="left", fontsize=12),
                       right.set_title(_panel_title(f"paired difference from {first}"
                                                    + (", % points" if is_share(m) else "")),
                                       loc="left", fontsize=12, color=MUTED)]
        apply_style(fig, title, footer)
        _fit_titles(fig, titles)
        _thin_ticks(fig)
    return fig


def _draw_runs(left, right, rows: pd.DataFrame, heights: dict[str, float], colours: dict[str, str]) -> None:
    """Each run's mean and 95% CI (``left``) and, after the first, its paired difference (``right``)
    at its height on the y axis (``heights``: by the run's label, the first run first); ``rows``:
    one metric's rows of :func:`paired_differences` by run. A run with no row (it does not measure
    the metric) reads "not measured" in its row on the left."""
    first = next(iter(heights))
    for name, y in heights.items():
        if name not in rows.index:
            left.text(0.02, y, NOT_MEASURED, transform=left.get_yaxis_transform(), color=MUTED, va="center")
            continue
        row = rows.loc[name]
        _interval(left, y, row["mean"], row.ci_low, row.ci_high, colours[name])
        if name != first:
            _interval(right, y, row["diff"], row.diff_ci_low, row.diff_ci_high, colours[name])


NOT_MEASURED = "not measured"
"""What a panel says of a run that does not measure its metric, in the run's row and in its title
(:func:`_unmeasured_words`)."""


def _unmeasured_words(names: Sequence[str]) -> str:
    """The end of a panel's title naming the runs that do not measure its metric ("; not measured in
    one-team"), or "" where every run does."""
    return f"; {NOT_MEASURED} in {', '.join(names)}" if names else ""


def team_side_effects(changes: dict[str, list[TeamChange]]) -> list[str]:
    """The metrics of each team worse off in some run after the first (``changes``:
    :func:`capsim.compare.team_changes`, whose :func:`~capsim.compare.team_lines` the terminal and
    the report print): each figure the line gives, a better one beside the worse ones too: "team
    victim_id: mean wait 83 days longer ..." is drawn as ``wait_mean_victim_id`` and
    ``backlog_end_victim_id``, the worse team first, each once. A run that lacks the team does not
    measure them (:func:`comparison` says so in their panels)."""
    return list(dict.fromkeys(m for runs in changes.values() for c in runs if c.worse for m in c.metrics))


def with_side_effects(metrics: Sequence[str], side: Sequence[str]) -> list[str]:
    """``metrics`` with each of ``side`` (teams' own metrics, :func:`team_side_effects`) they lack,
    before the tools' side effects (:data:`~capsim.side_effects.SIDE_EFFECT_DESCRIPTIONS`), or last:
    beside the hours a team worked, its queue."""
    metrics = list(metrics)
    missing = [m for m in side if m not in metrics]
    at = next((i for i, m in enumerate(metrics) if m in SIDE_EFFECT_DESCRIPTIONS), len(metrics))
    return metrics[:at] + missing + metrics[at:]


EXPECTED_FALL: dict[str, tuple[str, ...]] = {"synthetic_referred": ("referrals_avoided_synthetic",),
                                            "referred": DETECTOR_METRICS}
"""Counts drawn in the runs, each with the detector's expected counts (:data:`capsim.compare.DETECTOR_NOTE`)
that predict its fall: ``referred`` falls by the real referrals lost plus the synthetic ones avoided
(:func:`capsim.compare.referral_balance`), ``synthetic_referred`` by the synthetic ones avoided. Each
referral is a random draw, so the drawn fall matches the expected one only up to chance."""


def panel_label(metric: str, scenario: Scenario, shown: Sequence[str]) -> str:
    """The title of ``metric``'s panel: its label (:func:`team_label`: a team's own figure "at team
    victim_id"). A count of
    :data:`EXPECTED_FALL` shown beside all the expected counts that predict its fall (each in
    ``shown``) says it is drawn, and that the two agree only up to chance: a fall of 0 beside
    "1 synthetic referral avoided" is then no contradiction. Harmful items a classifier did not
    flag are said to be still assessed, later."""
    label = team_label(metric, scenario)
    if metric == "harmful_missed":  # not flagged, not unreviewed: the title gives their wait
        return f"{label}: {missed_still_assessed(scenario)}"
    expected = EXPECTED_FALL.get(metric)
    if expected is None or not set(expected) <= set(shown):
        return label
    return (f"{label}: drawn in the runs, so its fall matches the "
            + " plus the ".join(metric_label(e).lower() for e in expected) + " only up to chance")


def usable_first(metrics: Sequence[str], available: set[str]) -> list[str]:
    """``metrics`` with the utilisation of usable hours (``utilisation_usable``, per team
    ``utilisation_usable_<team>``) just before each utilisation of rostered hours, where
    ``available`` has it: the rostered share alone reads "half idle" for analysts at the cap."""
    out: list[str] = []
    for m in metrics:
        usable = m.replace("utilisation", "utilisation_usable", 1)
        if m.startswith("utilisation") and not m.startswith("utilisation_usable") and usable in available:
            out.append(usable)
        out.append(m)
    return list(dict.fromkeys(out))


def headline_tool(table: pd.DataFrame, names: list[str]) -> str | None:
    """The tool whose side effect headlines the comparison of two runs (:func:`_side_effect_finding`):
    ``synthetic_detector`` where the second run loses real-victim referrals, ``classifier`` where it
    misses harmful items; None otherwise (or with more than two runs)."""
    if len(names) != 2:
        return None
    rows = table[table.scenario == names[1]].set_index("metric")
    if "referrals_lost_real" in rows.index and rows.loc["referrals_lost_real", "diff"] > 0:
        return "synthetic_detector"
    if "harmful_missed" in rows.index and rows.loc["harmful_missed", "diff"] > 0:
        return "classifier"
    return None


def tool_assumptions(scenario: Scenario, tool: str) -> str:
    """The settings of ``scenario``'s ``tool`` that its side effect follows from
    (:data:`TOOL_SETTINGS`), in words and with where each comes from: "assuming the detector flags
    25% of real items as AI-generated (fpr 0.25, an assumption) and 75% of AI-generated items
    (tpr 0.75, from arXiv 2602.07814)" — the publisher of the figure it was read from (of those it
    is derived from) where the scenario writes ``{figure: id}`` (the report's assumptions table
    gives the figure), else an assumption. Shares in %, settings as written (0 to 1)."""
    section = getattr(scenario.tooling, tool)
    points = getattr(section, "operating_points", None)
    chosen, at = (section, ["tooling", tool]) if points is None else (
        points[section.threshold], ["tooling", tool, "operating_points", str(section.threshold)])
    parts = []
    for name, words in TOOL_SETTINGS[tool]:
        value = getattr(chosen, name)
        org = setting_origin(scenario, [*at, name])
        source = f", from {org}" if org else ", an assumption"
        parts.append(f"{words.format(percent(value))} ({name} {value:g}{source})")
    return "assuming " + " and ".join(parts)


def setting_origin(scenario: Scenario, at: Sequence[str]) -> str | None:
    """The publisher of the figure ``scenario``'s file gives the setting at ``at`` (its path of keys,
    ``["tooling", "classifier", "recall"]``) as, where it writes ``{figure: id}`` ("IWF"; of those a
    derived figure is made from); None for a value written as a number (an assumption) or not written."""
    raw = scenario.source
    for part in at:
        raw = step_into(raw, part)[1]
    return short_org(figure_origin(str(raw["figure"]))[0]) if isinstance(raw, dict) and "figure" in raw else None


def tool_settings(section: ToolSection) -> dict[str, object]:
    """A tool's settings by their names in the scenario file, what it does first and its costs last,
    ``enabled`` aside and those not set (None) left out; a classifier's operating point in use (where
    it is on: one that is off may list points and pick none, or one beyond them) gives its
    ``recall`` and ``fpr``."""
    values = section.model_dump(exclude={"enabled"})
    points = values.pop("operating_points", None)
    if points and section.enabled:
        values.update(points[values["threshold"]])
    return {name: values[name] for name in sorted(values, key=lambda n: n in ToolSection.model_fields)
            if values[name] is not None}


def settings_not_set(section: ToolSection) -> set[str]:
    """The settings of a tool (names as in :func:`tool_settings`) that its scenario leaves at their
    defaults: not written in the file, a file it ``extends:``, nor by a ``--set``. A classifier's
    ``recall`` and ``fpr`` read from its operating point in use are written (in the point)."""
    given = set(section.model_fields_set)
    if getattr(section, "operating_points", None) and section.enabled:
        given |= {"recall", "fpr"}
    return set(type(section).model_fields) - given


def _setting_words(name: str, value: object, currency: str, given: bool = True, default: bool = False) -> str:
    """One setting as the footer writes it: its name and value as in the scenario file (shares 0 to
    1), a cost with its currency ("annual_cost 50,000 GBP"), or where not ``given`` (nor any price of
    its tool, :func:`costs_not_given`) as the 0 assumed for it ("annual_cost not given (0 assumed)":
    not "0 GBP", read as a free tool); a daily cap in hours ("exposure_cap 5h/day"). A ``default``
    (the scenario does not set it, :func:`settings_not_set`) says so ("time_factor 1 (default)"),
    lest it read as a choice; a cost not given says so already."""
    if name.endswith("_cost") and not given:
        return f"{name} not given (0 assumed)"
    return _value_words(name, value, currency) + (" (default)" if default else "")


def _value_words(name: str, value: object, currency: str) -> str:
    """A setting's name and value (:func:`_setting_words`): a cost in ``currency``, a daily cap in
    hours (``value`` in seconds a day), a number as written, anything else as it reads."""
    if name.endswith("_cost"):
        return f"{name} {f'{value:,.10f}'.rstrip('0').rstrip('.')} {currency}"
    if name == "exposure_cap":
        return f"{name} {value / 3600:g}h/day"
    return f"{name} {value:g}" if isinstance(value, float) else f"{name} {value}"


def tool_settings_line(scenarios: Sequence[Scenario], names: Sequence[str]) -> str | None:
    """Every tool setting that differs between the runs (``names``: their labels), for the chart's
    footer: "Tools set differently: classifier off in growth-central, on in growth-classifier (recall
    0.9, fpr 0.1, positive_priority high, negative_priority normal, time_factor 0.8, annual_cost 50,000
    GBP, per_item_cost not given (0 assumed)); none of these is a published figure". A tool on in some
    runs only gives all its settings where it is on; one on in every run the settings that differ, in
    each run. A cost not given reads so (:func:`costs_not_given`); another setting the scenario does
    not set (through ``extends:`` and ``--set`` too) reads as its default ("time_factor 1 (default)",
    :func:`settings_not_set`), not as a choice. A setting the file gives as a
    published figure names its publisher ("recall 0.9 from IWF"). None where the runs set their tools
    alike (or differ only in a tool none switches on)."""
    phrases, origins = [], []
    for tool in Tooling.model_fields:
        sections = [getattr(s.tooling, tool) for s in scenarios]
        if not any(x.enabled for x in sections) or len({x.model_dump_json() for x in sections}) == 1:
            continue
        settings = [tool_settings(x) for x in sections]
        keys = list(dict.fromkeys(k for x, on in zip(settings, sections) if on.enabled for k in x))
        if len({x.enabled for x in sections}) == 1:  # on in every run: the settings that differ
            keys = [k for k in keys if len({repr(x.get(k)) for x in settings}) > 1]
        runs = []
        for scenario, name, section, values in zip(scenarios, names, sections, settings):
            if not section.enabled:
                runs.append(f"off in {name}")
                continue
            said, unpriced, defaults = [], costs_not_given(scenario, tool), settings_not_set(section)
            for key in (k for k in keys if k in values):
                org = setting_origin(scenario, ["tooling", tool, key])
                origins.append(org)
                said.append(_setting_words(key, values[key], scenario.costs.currency, key not in unpriced,
                                           key in defaults) + (f" from {org}" if org else ""))
            runs.append(f"on in {name}" + (f" ({', '.join(said)})" if said else ""))
        phrases.append(f"{tool} " + ", ".join(runs))
    if not phrases:
        return None
    rest = ("" if all(origins) else "; none of these is a published figure" if not any(origins)
            else "; the others are not published figures")
    return "Tools set differently: " + "; ".join(phrases) + rest


SET_APART = {"name", "title", "description", "experiment", "targets", "tooling"}
"""Scenario sections :func:`setting_differences` leaves out: the run's names, its seed and
replications (one for every run compared), calibration targets (no part of a run), and the tools
(:func:`tool_settings_line` says those)."""

MOST_PHRASES = 4
"""Settings :func:`setting_differences` says in words for one run at most; it counts the rest."""

MOST_KEYS = 3
"""Settings the count of the rest names by key (``--set`` keys: ``workforce.analysts.shrinkage``)."""


def changed_keys(first: object, other: object, at: tuple = ()) -> list[tuple]:
    """The keys (tuples of their parts; a list's element by its name where its elements have names:
    ``("workforce", "analysts", "headcount")``) at which two dumped scenario trees differ, each as
    deep as both have it: a team only one has is the key ``("workforce", "graders")``."""
    if isinstance(first, dict) and isinstance(other, dict):
        return [k for key in dict.fromkeys([*first, *other]) for k in
                changed_keys(first.get(key), other.get(key), (*at, key))]
    if isinstance(first, list) and isinstance(other, list) and _named(first) and _named(other):
        mine, theirs = ({element_name(e): e for e in x} for x in (first, other))
        return [k for name in dict.fromkeys([*mine, *theirs])
                for k in (changed_keys(mine[name], theirs[name], (*at, name)) if name in mine and name in theirs
                          else [(*at, name)])]
    return [] if first == other else [at]


def _named(elements: list) -> bool:
    """Whether each of a list's elements has a name (a team, stream, SLA), each its own."""
    names = [element_name(e) for e in elements]
    return None not in names and len(set(names)) == len(names)


def _window(scenario: Scenario) -> str:
    """The dates and times a run measures (after its warm-up), with their years: "Apr 2027–Mar 2030"."""
    clock = scenario.clock
    return covered_text(moment(scenario, clock.warmup), moment(scenario, clock.horizon), years=True)


def _team_phrase(first: Scenario, other: Scenario, first_name: str, key: tuple) -> str | None:
    """A team's headcount, or a team one run lacks, in words (:func:`setting_differences`)."""
    teams = [{t.team: t for t in s.workforce} for s in (first, other)]
    if len(key) == 2:
        mine, theirs = (t.get(key[1]) for t in teams)
        return (f"has team {key[1]} ({how_many(theirs.headcount, 'analyst')}), which {first_name} lacks" if mine is None
                else f"has no team {key[1]} ({how_many(mine.headcount, 'analyst')} in {first_name})")
    if key[2:] == ("headcount",):
        return (f"has {how_many(teams[1][key[1]].headcount, 'analyst')} (team {key[1]}) against {first_name}'s "
                f"{teams[0][key[1]].headcount:,}")
    return None


def _stream_phrase(first: Scenario, other: Scenario, first_name: str, key: tuple) -> str | None:
    """A stream's volume and growth (:func:`~capsim.charts.growth_words.volume_and_growth`), or a
    stream one run lacks, in words (:func:`setting_differences`)."""
    streams = [{st.stream: st for st in s.demand} for s in (first, other)]
    mine, theirs = (x.get(key[1]) for x in streams)
    if len(key) == 2:
        return (f"has stream {key[1]} ({volume_and_growth(theirs, other)}), which {first_name} lacks" if mine is None
                else f"has no stream {key[1]} ({first_name}: {volume_and_growth(mine, first)})")
    said = volume_and_growth(mine, first), volume_and_growth(theirs, other)
    if key[2] in ("rate", "rate_date", "growth") and said[0] != said[1]:
        return f"has stream {key[1]} arriving at {said[1]}, against {first_name}'s {said[0]}"
    return None


def _review_phrase(first: Scenario, other: Scenario, first_name: str, key: tuple) -> str | None:
    """A unit's mean review time in words (:func:`setting_differences`)."""
    means = [s.review[key[1]].mean if key[1] in s.review else None for s in (first, other)]
    if key[2:] != ("mean",) or None in means:
        return None
    return (f"takes {seconds_text(means[1])} on average to review a {key[1]} against {first_name}'s "
            f"{seconds_text(means[0])}")


def _sla_phrase(first: Scenario, other: Scenario, first_name: str, key: tuple) -> str | None:
    """A priority's service level, or one a run does not set, in words (:func:`setting_differences`)."""
    levels = [next((x for x in s.sla if x.priority == key[1]), None) for s in (first, other)]

    def said(sla: SLA) -> str:
        return f"{target_percent(sla.target)} within {duration_text(sla.within)}"

    if levels[0] is None:
        return f"sets {key[1]}-priority items a target of {said(levels[1])}, which {first_name} does not"
    if levels[1] is None:
        return f"sets {key[1]}-priority items no target ({first_name}: {said(levels[0])})"
    return f"sets {key[1]}-priority items a target of {said(levels[1])} against {first_name}'s {said(levels[0])}"


WINDOW_KEYS = (("clock", "start"), ("clock", "warmup"), ("clock", "horizon"))
"""The clock's settings that move the dates a run measures (:func:`_window`): said as those dates."""

SECTION_ORDER = ("clock", "workforce", "demand", "review", "sla")
"""The sections whose differences :func:`setting_differences` says first, in this order: the dates
measured, the teams, the work arriving, how long it takes, the targets; any other after them."""

SETTING_PHRASES = {"workforce": _team_phrase, "demand": _stream_phrase, "review": _review_phrase, "sla": _sla_phrase}
"""Per scenario section, what says a setting of it that differs in words (None where it cannot:
the key is then named, :func:`setting_differences`)."""


def said_by_growth(first: Scenario, other: Scenario, key: tuple) -> bool:
    """Whether the growth sentence of the two runs (:func:`~capsim.charts.growth_words.growth_sentence`,
    which gives each growing stream's volume and growth in each run, "no growth" for a run where it does
    not grow) states their difference at ``key`` (:func:`changed_keys`): a stream's growth, and the date its
    rate is given for, where it grows in either run; its rate where it grows in both; and only where
    the sentence can show it: the runs named apart (it gives each scenario's growth after its name) and
    the stream's volume and growth differing in words (:func:`volume_and_growth`; to its figures, a rate
    of 1,240 a day reads as 1,200's, a growth of 22.51% a year as 22.55%'s)."""
    if key[0] != "demand" or len(key) < 3 or key[2] not in ("rate", "rate_date", "growth") or first.name == other.name:
        return False
    grows = [any(st.stream == key[1] and st.growth.model != "none" for st in s.demand) for s in (first, other)]
    words = [next((volume_and_growth(st, s) for st in s.demand if st.stream == key[1]), None) for s in (first, other)]
    return (all(grows) if key[2] == "rate" else any(grows)) and words[0] != words[1]


def setting_differences(first: Scenario, other: Scenario, first_name: str, growth_said: bool = False) -> list[str]:
    """What ``other`` sets differently from ``first`` (named ``first_name``), besides its name, seed,
    replications and tools (:data:`SET_APART`), and, with ``growth_said``, the growth a growth sentence
    beside it states (:func:`said_by_growth`), each as a phrase whose subject is ``other``: the
    dates it measures ("measures Apr 2027–Mar 2030 against base's 29 Jan 2024–30 Dec 2024"), a team's
    headcount ("has 25 analysts (team analysts) against base's 13"), a stream's volume and growth,
    a mean review time, a service level (:data:`SETTING_PHRASES`), at most :data:`MOST_PHRASES` of
    them; then every other setting that differs counted, the first :data:`MOST_KEYS` named by their
    ``--set`` keys ("and sets 5 more settings differently: costs.inflation, workforce.analysts.shrinkage,
    routing, ..."). [] where nothing differs."""
    keys = sorted((k for k in changed_keys(*(s.model_dump(mode="json", exclude=SET_APART) for s in (first, other)))
                   if not (growth_said and said_by_growth(first, other, k))),
                  key=lambda k: SECTION_ORDER.index(k[0]) if k[0] in SECTION_ORDER else len(SECTION_ORDER))
    said: dict[str, list[str]] = {}  # phrase -> the keys it says
    for key in keys:
        if key[:2] in WINDOW_KEYS and _window(first) != _window(other):
            phrase = f"measures {_window(other)} against {first_name}'s {_window(first)}"
        else:
            phrase = SETTING_PHRASES[key[0]](first, other, first_name, key) if key[0] in SETTING_PHRASES else None
        said.setdefault(phrase, []).append(".".join(map(str, key)))
    phrases = [p for p in said if p is not None][:MOST_PHRASES]
    rest = [k for p, ks in said.items() if p not in phrases for k in ks]
    if rest:
        named = ", ".join(rest[:MOST_KEYS]) + (", ..." if len(rest) > MOST_KEYS else "")
        counted = how_many(len(rest), "more setting" if phrases else "setting")
        phrases.append(f"{'and ' if phrases else ''}sets {counted} differently: {named}")
    return phrases


def settings_line(scenarios: Sequence[Scenario], names: Sequence[str], growth_said: bool = False) -> str | None:
    """Every setting that differs between the runs (``names``: their labels), for the chart's footer:
    each run after the first against the first (:func:`setting_differences`): "growth-high differs
    from base: it measures Apr 2027–Mar 2030 against base's 29 Jan 2024–30 Dec 2024; has 25 analysts
    (team analysts) against base's 13; ...", then the tools (:func:`tool_settings_line`), each part
    after " · ", so that a paired difference is never read as one setting's doing where others differ
    too. None where the runs differ in nothing but their names."""
    runs = [f"{name} differs from {names[0]}: it " + "; ".join(said) for scenario, name in zip(scenarios[1:], names[1:])
            if (said := setting_differences(scenarios[0], scenario, names[0], growth_said))]
    return " · ".join([*runs, *filter(None, [tool_settings_line(scenarios, names)])]) or None


WHAT_DIFFERS = "What differs between the scenarios: "
"""The words before :func:`settings_line` where a comparison's lines are given (``capsim compare``, the
report's Differences, the web page's comparison): :func:`what_differs`."""

WHAT_ELSE_DIFFERS = "Besides the growth assumed above, what differs between the scenarios: "
""":data:`WHAT_DIFFERS` where a growth sentence comes first and says the growth (:func:`what_differs`)."""


def what_differs(scenarios: Sequence[Scenario], names: Sequence[str], growth_said: bool = False) -> str | None:
    """The sentence said before a comparison's lines: every setting that differs between the runs
    (:func:`settings_line`, ``names`` their labels) after :data:`WHAT_DIFFERS`, so that a paired
    difference is not read as one setting's doing: "What differs between the scenarios: growth-high
    differs from base: it measures ..."; with ``growth_said`` (a growth sentence,
    :func:`~capsim.charts.growth_words.growth_sentence`, said just before), not the growth it states
    (:func:`said_by_growth`), after :data:`WHAT_ELSE_DIFFERS`, so that neither the growth is said twice
    nor the sentence quoted alone reads as all that differs. None where the runs differ in nothing else."""
    line = settings_line(scenarios, names, growth_said)
    return None if line is None else (WHAT_ELSE_DIFFERS if growth_said else WHAT_DIFFERS) + line


def costs_not_given(scenario: Scenario, tool: str) -> set[str]:
    """The costs of ``scenario``'s ``tool`` (on) that the footer says are not given, each 0 for want
    of one: both where the tool has no price (:func:`capsim.costs.unpriced_tools`, whose "tool cost
    not given: 0 assumed" the comparison's notes write, though the file may write each as 0), else
    each the file does not set."""
    section = getattr(scenario.tooling, tool)
    costs = {"annual_cost", "per_item_cost"}
    return costs if tool in unpriced_tools(scenario) else costs - section.model_fields_set


def _with_settings(footer: str, line: str | None) -> str:
    """``footer`` (:func:`~capsim.charts.footer.footer_text`) with ``line`` (:func:`settings_line`)
    at the end of its first paragraph, after the scenarios, seed and replications: the paragraph the
    chart's description reads out (:func:`capsim.charts.describe.describe`), as it does the title."""
    if line is None:
        return footer
    first, newline, rest = footer.partition("\n")
    return f"{first} · {line}{newline}{rest}"


PANEL_CHARS = 42
"""Characters per line of a panel's title (12 pt across half of the chart's 10 in): a longer
one wraps instead of running off the figure's edge (:func:`_fit_titles` narrows it further
where the panels are narrower)."""


def _panel_title(text: str, chars: int = PANEL_CHARS) -> str:
    """A panel's title wrapped at ``chars`` characters a line."""
    return "\n".join(textwrap.wrap(" ".join(text.split()), chars))


def _fit_titles(fig: Figure, titles: list) -> None:
    """Re-wrap each panel title that runs past its panel's right edge (long scenario names on the
    left take width from the panels), a few characters a line fewer at a time."""
    fig.draw_without_rendering()
    for text in titles:
        right = text.axes.get_window_extent().x1
        chars = PANEL_CHARS
        while text.get_window_extent().x1 > right and chars > 12:
            chars -= 3
            text.set_text(_panel_title(text.get_text(), chars))


PANEL_IN = 1.15
"""Inches of height of each row of panels, besides the title's and the footer's: a footer naming
many ``--set`` changes once took the rows' room until constrained layout gave up and drew the
runs' names over each other."""

TICK_BINS = 5
"""Intervals between x ticks a panel aims for (:class:`~matplotlib.ticker.MaxNLocator`); fewer where
its tick labels would touch (:func:`_thin_ticks`)."""

TICK_GAP_PT = 6.0
"""The least space between two tick labels of one panel, in points: "−5,000,000" and "−2,500,000"
once ran together into "−5,000,000–2,500,000"."""


def _crowded(ax) -> bool:
    """Whether two of ``ax``'s x tick labels within its limits, as last drawn, are closer than
    :data:`TICK_GAP_PT` (or overlap)."""
    low, high = sorted(ax.get_xlim())
    boxes = sorted((t.get_window_extent() for t in ax.get_xticklabels()
                    if t.get_visible() and t.get_text() and low <= t.get_position()[0] <= high), key=lambda b: b.x0)
    gap = TICK_GAP_PT * ax.figure.dpi / 72
    return any(a.x1 + gap > b.x0 for a, b in zip(boxes, boxes[1:]))


def _thin_ticks(fig: Figure) -> None:
    """Fewer x ticks, one interval fewer at a time (down to 1), on each panel whose tick labels are
    crowded (:func:`_crowded`): large counts' labels are wide ("5,000,000") and a panel half the chart."""
    bins = dict.fromkeys(fig.axes, TICK_BINS)
    while True:
        fig.draw_without_rendering()
        crowded = [ax for ax in fig.axes if bins[ax] > 1 and _crowded(ax)]
        if not crowded:
            return
        for ax in crowded:
            bins[ax] -= 1
            ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=bins[ax]))


def _interval(ax, y: float, mean: float, low: float, high: float, colour: str) -> None:
    """A mean (diamond) and its interval (bar) at height ``y``, unclipped: a marker at the edge of an
    axis that stops at the end of the metric's range (:func:`_within_range`) stays whole."""
    if math.isfinite(low) and math.isfinite(high):
        ax.plot([low, high], [y, y], color=colour, linewidth=3, solid_capstyle="butt", clip_on=False)
    ax.scatter([mean], [y], s=50, color=colour, zorder=3, marker="D", clip_on=False)


def _within_range(limits: tuple[float, float], allowed: tuple[float, float]) -> tuple[float, float]:
    """Axis limits kept within the values a metric can take: a share's axis stops at 0% and 100%,
    a count's at 0, so that no tick reads "100.02%" or "−0.8 items" (the marks are drawn unclipped,
    :func:`_interval`)."""
    low, high = limits
    return max(low, allowed[0]), min(high, allowed[1])


NO_DIFFERENCE_SPAN = 1.0
"""Half the width of a difference axis where every difference and interval end is 0 (or none is
known), in the metric's own unit: one item, one hour."""

NO_SHARE_DIFFERENCE_SPAN = 0.01
"""The same for a share: one percentage point (as a share, 0.01), not 100 points for nothing."""


def _symmetric(values: np.ndarray, share: bool = False) -> tuple[float, float]:
    """Limits of a difference axis, symmetric about 0: the largest finite difference or interval
    end in ``values`` with 15% to spare, or, where all are 0, :data:`NO_SHARE_DIFFERENCE_SPAN`
    for a ``share`` (values as shares, 0.01 = one point) and :data:`NO_DIFFERENCE_SPAN` otherwise."""
    finite = values[np.isfinite(values)]
    span = float(np.abs(finite).max()) if len(finite) else 0.0
    span = span * 1.15 if span > 0 else NO_SHARE_DIFFERENCE_SPAN if share else NO_DIFFERENCE_SPAN
    return -span, span


def _comparison_finding(table: pd.DataFrame, names: list[str], lead: str,
                        results: Sequence[SimulationResult] | None = None) -> str:
    side = _side_effect_finding(table, names, results)
    if side:
        return side
    label = team_label(lead, None if results is None else results[0].scenario, metric_words)
    if len(names) < 2:
        row = table[(table.metric == lead)].iloc[0]
        return f"{names[0]}: {label.lower()} {value_text(lead, row['mean'])}"
    other = names[1]
    row = table[(table.metric == lead) & (table.scenario == other)].iloc[0]
    d, lo, hi = row["diff"], row.diff_ci_low, row.diff_ci_high
    (said, low, high), unit = difference_words(lead, d, lo, hi)  # a wait in its unit, the bounds in its decimals
    before = table[(table.metric == lead) & (table.scenario == names[0])]["mean"].iloc[0]
    currency = "GBP" if results is None else results[0].scenario.costs.currency
    levels = level_words(lead, before, d, lo, hi, unit or None, currency=currency)  # the levels it moves between
    unit = f" {unit}" if unit else ""
    spread = why_no_interval(d, lo, hi)  # one replication, or the same difference in every one: no interval to give
    if not math.isfinite(lo):
        return f"{label}: {said}{unit} with {other} against {names[0]} ({levels}; {spread})"
    if d == 0 and spread:
        return f"{label}: {value_text(lead, before)} with both {other} and {names[0]}: {spread}"
    if spread is None and lo <= 0 <= hi:
        return f"{label}: no clear difference between {other} and {names[0]} ({levels}; 95% CI {low} to {high}{unit})"
    counted = not is_share(lead) and not lead.startswith(("wait", "time_to", "exposure", "cost", "analyst_hours"))
    more = ("more" if d > 0 else "fewer") if counted else ("higher" if d > 0 else "lower")
    return (f"{label}: {said.lstrip('+−')}{unit} {more} with {other} than with {names[0]} "
            f"({levels}; {spread or f'paired 95% CI {low} to {high}{unit}'})")


def _side_effect_finding(table: pd.DataFrame, names: list[str],
                         results: Sequence[SimulationResult] | None = None) -> str | None:
    """With two runs where the second's tool has a side effect (:func:`headline_tool`), the title
    names the saving and the side effect together (paired means): a tool's saving never stands
    alone. :func:`comparison` adds the tool's settings it follows from (:func:`tool_assumptions`).

    With the ``results``, a detector's fall in victim-identification hours says how many of them
    are work on real items not done (:func:`capsim.compare.real_work_not_done`), and the harmful
    items a classifier does not flag their mean wait (``wait_mean_missed_harmful``): not items
    never reviewed."""
    from capsim.compare import real_work_not_done

    tool = headline_tool(table, names)
    if tool is None:
        return None
    rows = table[table.scenario == names[1]].set_index("metric")
    second = None if results is None else results[1]

    given: list[str] = []  # the intervals written: the title says "95% CI" only if it gives one

    def ci(metric: str, sign: int = 1) -> str:  # the paired 95% CI of a count, in brackets
        low, high = sorted(sign * rows.loc[metric, ["diff_ci_low", "diff_ci_high"]].to_numpy(dtype=float))
        words = [count_words(low), count_words(high)]
        if not (math.isfinite(low) and math.isfinite(high)) or words[0] == words[1]:
            return ""
        given.append(metric)
        return f" ({words[0]}–{words[1]})"

    if tool == "synthetic_detector":
        lost = rows.loc["referrals_lost_real", "diff"]
        text = (f"{names[1]}: {count_words(lost)}{ci('referrals_lost_real')} real-victim referrals lost to the "
                "detector's false positives")
        if "victim_id_hours" in rows.index and rows.loc["victim_id_hours", "diff"] < 0:
            fewer = (f"{names[1]}: {count_words(-rows.loc['victim_id_hours', 'diff'])}{ci('victim_id_hours', -1)} "
                     "fewer victim-identification hours")
            text = f"{fewer}, but {count_words(lost)}{ci('referrals_lost_real')} real-victim referrals are lost to its " \
                   "false positives"
            real = {} if second is None else real_work_not_done(list(results))
            if names[1] in real:  # the fall is mostly real work not done
                d, low, high = real[names[1]][:3]
                words = [count_words(-high), count_words(-low)]
                spread = f" ({words[0]}–{words[1]})" if math.isfinite(low) and words[0] != words[1] else ""
                given.extend(["real"] if spread else [])
                text = (f"{fewer}, {count_words(-d)}{spread} of them work on real items not done: "
                        f"{count_words(lost)}{ci('referrals_lost_real')} real-victim referrals are lost to its false "
                        "positives")
        if "referrals_avoided_synthetic" in rows.index:
            avoided = rows.loc["referrals_avoided_synthetic", "diff"]
            n = count_words(avoided)
            text += (f"; {n}{ci('referrals_avoided_synthetic')} synthetic referral{'' if n == '1' else 's'} avoided"
                     if avoided >= 0.5 else "; fewer than one synthetic referral avoided")
        return text + (" (paired means, 95% CIs)" if given else " (paired means)")
    missed = ci("harmful_missed")
    text = (f"{names[1]}: the classifier does not flag {count_words(rows.loc['harmful_missed', 'diff'])}{missed} "
            f"harmful items (paired mean{', 95% CI' if missed else ''}); they are "
            + (missed_still_assessed(second.scenario) if second is not None else "still assessed, later")
            + ", waiting behind every item it flags")
    waits = None if second is None else second.summary[second.summary.metric == "wait_mean_missed_harmful"]
    if waits is not None and not waits.empty:
        w = waits.iloc[0]
        text += f": on average {wait_words(w['mean'], w.ci_low, w.ci_high)}"
    return text
