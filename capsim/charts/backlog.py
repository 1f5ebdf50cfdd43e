"""The backlog fan chart: items waiting over time, with capacity on shift below."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from capsim.charts.footer import footer_text
from capsim.charts.parts import DateTicks, replications_in
from capsim.charts.style import MUTED, OKABE_ITO, apply_style, legend_above, new_figure, styled
from capsim.scenario import Scenario
from capsim.staff_notes import roster_words
from capsim.units import SECONDS_PER_HOUR
from capsim.words import count_words, how_many, round_sig, span_words

NOTE_CHARS = 110
"""Characters per line of the capacity note (11 pt across the 10 in panel), so that no line is cut."""

PANEL_TITLE_CHARS = 100
"""Characters per line of the upper panel's title (12 pt across the 10 in figure)."""

BAND_90_REPLICATIONS = 20
"""Fewest replications whose 5th to 95th percentiles are drawn as the band of 90% of them: from 20,
at least one replication lies outside it at each end. With fewer, the outer band is their range
(lowest to highest), and says so."""

BAND_50_REPLICATIONS = 4
"""Fewest replications whose 25th to 75th percentiles are drawn as the band of 50% of them: one
replication in each quarter. With fewer, the range alone is drawn."""


def backlog_fan(timeseries: pd.DataFrame, scenario: Scenario, seed: int, team: str | None = None) -> Figure:
    """Items waiting over time: median across replications, with 50% and 90% bands.

    With fewer than :data:`BAND_90_REPLICATIONS` replications the outer band is their range, and
    with fewer than :data:`BAND_50_REPLICATIONS` the 50% band is left out (:func:`band_words`); the
    legend and the panel's title name the bands drawn.

    ``timeseries`` is :attr:`SimulationResult.timeseries` (or ``timeseries.csv``); ``team``
    picks one team's backlog (default: all teams). The backlog drawn is the number waiting
    averaged over each time-series step (``backlog_mean``: exact, so it does not depend on the
    hour or weekday a sample falls on; a ``timeseries.csv`` without it falls back to the
    samples, and the chart says so). Over a run of eight weeks or more sampled daily or
    finer, each replication is then averaged over a centred 7-day window, so that the weekly
    rhythm of rosters does not hide the trend (the step's median stays as a faint line). A lower panel shows capacity: analyst-hours on shift per day (median across
    replications, averaged the same way), with the teams' settings in a note.

    The series runs to the horizon: each row covers its own step (``step_hours``, the last
    shorter where the horizon falls within a step; a ``timeseries.csv`` without it has whole
    steps), the step the chart names is the whole one, and averages over rows (the title's
    whole months and run mean, the 7-day averages, an hourly series' day on shift) weight each
    row by its length.
    Drawn step by step, the hours on shift stop at the last whole step: a shorter one holds
    another mix of weekdays.
    """
    averaged = "backlog_mean" in timeseries
    prefix = "backlog_mean" if averaged else "backlog"
    column = f"{prefix}_{team}" if team else prefix
    if column not in timeseries:
        raise KeyError(f"no column {column!r} in the time series")
    reps = replications_in(timeseries)
    # samples after the horizon (a last step running past it) describe no simulated time
    timeseries = timeseries[timeseries["time"] <= scenario.clock.horizon / SECONDS_PER_HOUR + 1e-6]
    teams = [t.team for t in scenario.workforce if f"{prefix}_{t.team}" in timeseries] if not team else []
    by_time = timeseries.pivot_table(  # time × (column, replication), every column wanted at once
        index="time", columns="replication", aggfunc="first",
        values=list(dict.fromkeys([column, "on_duty", *(f"{prefix}_{name}" for name in teams)]))).sort_index()
    wide, duty = by_time[column], by_time["on_duty"]
    per_time = timeseries.drop_duplicates("time").set_index("time").reindex(wide.index)
    dates = pd.to_datetime(per_time["date"])
    hours = wide.index.to_numpy(dtype=float)
    if "step_hours" in per_time:  # each row's own step: whole, but the last may be shorter (it ends at the horizon)
        lengths = per_time["step_hours"].to_numpy(dtype=float)
        step_h = float(lengths.max()) if len(lengths) else 24.0
    else:  # a timeseries.csv written before step_hours: every step whole
        step_h = float(np.median(np.diff(hours))) if len(hours) > 1 else 24.0
        lengths = np.full(len(hours), step_h)
    span_h = hours[-1] - hours[0] if len(hours) > 1 else 0.0
    window = int(round(7 * 24 / step_h)) if step_h <= 24 and span_h >= 8 * 7 * 24 else 1
    step_words = {1.0: "hour", 24.0: "day", 168.0: "7 days"}.get(step_h, f"{step_h:g} h")
    raw_median = np.nanmedian(wide.to_numpy(dtype=float), axis=1)
    per_team = {}
    if len(teams) > 1:
        for name in teams:
            one = by_time[f"{prefix}_{name}"]
            if window > 1:
                one = _rolling_mean(one, lengths, window)
            per_team[name] = one.median(axis=1).to_numpy(dtype=float)
    if window > 1:
        wide = _rolling_mean(wide, lengths, window)
        duty = _rolling_mean(duty, lengths, window)
    outer = 0.05 if reps >= BAND_90_REPLICATIONS else 0.0
    q = row_quantiles(wide.to_numpy(dtype=float), [outer, 0.25, 0.5, 0.75, 1 - outer])
    x = dates.to_numpy()
    hours_per_day = duty.median(axis=1) * 24  # analyst-hours at work per day, averaged over the step
    duty_x = x
    if step_h < 24 and window == 1:  # a short hourly series: one point per calendar day, each step by its length
        hours_per_day = _weighted_means(hours_per_day.to_numpy(dtype=float), lengths, dates.dt.floor("D").to_numpy())
        duty_x = hours_per_day.index.to_numpy()
    elif window == 1 and len(lengths) > 1 and lengths[-1] < step_h:
        # a shorter last step holds another mix of weekdays and hours than a whole one: its hours on shift
        # a day would read as a change of capacity, so this panel stops at the last whole step
        hours_per_day, duty_x = hours_per_day.iloc[:-1], x[:-1]
    valid = np.isfinite(q[2])
    # the exact average after the warm-up over every replication: the run's backlog_mean, as the report quotes it
    after = hours > scenario.clock.warmup / SECONDS_PER_HOUR
    measured = by_time[column].to_numpy(dtype=float)[after]
    known = np.isfinite(measured)
    weight = np.where(known, lengths[after][:, None], 0.0)  # each step by its length: the last may be shorter
    run_mean = (float((np.where(known, measured, 0.0) * weight).sum() / weight.sum())
                if averaged and known.any() else None)
    title = _backlog_finding(q[2][valid], hours[valid], team, _whole_month_means(raw_median, dates, lengths),
                             run_mean, _covered_hours(hours, lengths, averaged))

    note = _capacity_note(scenario, team)
    note_lines = note.count("\n") + 1
    outer_label, inner_label, bands = band_words(reps)
    entries = (outer_label is not None) + (inner_label is not None) + 1 + (window > 1) + len(per_team)
    legend_rows = -(-entries // 4)  # the bands, the median, the step's line, the teams
    with styled():
        fig = new_figure(6.6 + 0.25 * (note_lines - 1) + 0.3 * legend_rows)  # the legend above: the panel keeps its height
        grid = fig.add_gridspec(2, 1, height_ratios=[3.2, 1 + 0.3 * (note_lines - 1)])
        ax = fig.add_subplot(grid[0])
        cap = fig.add_subplot(grid[1], sharex=ax)
        blue = OKABE_ITO["blue"]
        if window > 1:
            ax.plot(x, raw_median, color=OKABE_ITO["sky_blue"], linewidth=0.7, alpha=0.6,
                    label=f"{step_words} {'average' if averaged else 'sample'} (median)")
        if outer_label is not None:
            ax.fill_between(x, q[0], q[4], color=blue, alpha=0.18, linewidth=0, label=outer_label)
        if inner_label is not None:
            ax.fill_between(x, q[1], q[3], color=blue, alpha=0.38, linewidth=0, label=inner_label)
        ax.plot(x, q[2], color=blue, linewidth=2.4, label="median" + (", 7-day average" if window > 1 else ""))
        team_colours = [OKABE_ITO["vermillion"], OKABE_ITO["bluish_green"], OKABE_ITO["reddish_purple"],
                        OKABE_ITO["orange"], OKABE_ITO["black"]]
        for i, (name, line) in enumerate(per_team.items()):
            ax.plot(x, line, color=team_colours[i % len(team_colours)], linewidth=1.4, linestyle=(0, (4, 2)),
                    label=f"{name} (median)")
        ax.set_ylabel("Items waiting")
        ax.set_ylim(bottom=0, top=max(1.0, float(np.nanmax([np.nanmax(q[4]), np.nanmax(raw_median)]))) * 1.05)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        what = f"team {team}" if team else "all teams"
        measure = (f"averaged over each {'7 days' if window > 1 else step_words} (exact)" if averaged else
                   f"sampled at the end of each {step_words}" + (", then 7-day averages" if window > 1 else ""))
        ax.set_title("\n".join(textwrap.wrap(f"Items waiting ({what}), {measure}; {bands}", PANEL_TITLE_CHARS)),
                     loc="left", fontsize=12, color=MUTED)
        handles, labels = ax.get_legend_handles_labels()  # above the panel and its title: never over a line
        legend_above(ax, handles, labels, ncols=min(len(labels), 4))
        ax.tick_params(labelbottom=False)
        finite_duty = hours_per_day.to_numpy(dtype=float)
        cap.plot(duty_x, finite_duty, color=MUTED, linewidth=1.8,  # grey: no team's or band's colour above
                 drawstyle="steps-mid" if window == 1 else "default")
        cap.set_ylabel(duty_label(step_h, window), fontsize=11)
        peak = float(np.nanmax(finite_duty)) if np.isfinite(finite_duty).any() else 1.0
        cap.set_ylim(0, max(1.0, peak) * (1.3 + 0.45 * note_lines))  # the line below the note
        cap.text(0.005, 0.97, note, transform=cap.transAxes, ha="left", va="top", fontsize=11, color=MUTED,
                 linespacing=1.15).set_in_layout(False)
        locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
        cap.xaxis.set_major_locator(locator)
        cap.xaxis.set_major_formatter(DateTicks())
        apply_style(fig, title, footer_text([scenario], seed, reps))
    return fig


def duty_label(step_h: float, window: int) -> str:
    """The capacity panel's axis label: analyst-hours on shift a day, and the days each point averages over
    where more than one (``step_h``: the series' step, hours; ``window``: steps in the rolling average, 1 for
    none): "(7-day average)", weekends and holidays counted as days. Unsaid, such an average (about 41 h)
    was read as a working day's hours (57 h on shift; trial 17)."""
    days = 7.0 if window > 1 else step_h / 24
    return "Analyst-hours\non shift a day" + (f"\n({days:g}-day average)" if days > 1 else "")


def band_words(replications: int) -> tuple[str | None, str | None, str]:
    """What the backlog chart shades for ``replications`` runs: the outer band's legend label, the
    inner band's (None where it is not drawn) and the panel title's words for them all. From
    :data:`BAND_90_REPLICATIONS`: "90% of replications" and "50% of replications"; with fewer, the
    outer band is "range of N replications" (a 5th to 95th percentile of a few runs is no band of
    90% of them), with the 50% band from :data:`BAND_50_REPLICATIONS`; one replication has no band."""
    runs = how_many(replications, "replication")
    if replications >= BAND_90_REPLICATIONS:
        return "90% of replications", "50% of replications", f"median, 50% and 90% bands of {runs}"
    if replications >= BAND_50_REPLICATIONS:
        return f"range of {runs}", "50% of replications", f"median, 50% band and range of {runs}"
    if replications > 1:
        return f"range of {runs}", None, f"median and range of {runs}"
    return None, None, f"{runs}, no band"


def _rolling_mean(values: pd.DataFrame, lengths: np.ndarray, window: int) -> pd.DataFrame:
    """Each column's centred mean over ``window`` rows (NaN where the window runs past an end or
    holds a NaN), each row weighted by its step's length ``lengths`` (any unit): a shorter last
    step counts for the time it covers."""
    weight = pd.Series(lengths, index=values.index)
    weighted = values.mul(weight, axis=0).rolling(window, center=True, min_periods=window).sum()
    return weighted.div(weight.rolling(window, center=True, min_periods=window).sum(), axis=0)


def _weighted_means(values: np.ndarray, weights: np.ndarray, keys: np.ndarray) -> pd.Series:
    """Per key (in key order), the mean of its ``values`` weighted by ``weights`` (a step's length, any
    unit), NaN values left out: a shorter step counts for the time it covers."""
    known = np.isfinite(values)
    weight = np.where(known, weights, 0.0)
    sums = pd.DataFrame({"weighted": np.where(known, values, 0.0) * weight, "weight": weight}).groupby(keys).sum()
    return sums["weighted"] / sums["weight"]


def row_quantiles(values: np.ndarray, quantiles: list[float]) -> np.ndarray:
    """``np.nanquantile(values, quantiles, axis=1)`` (NaN for a row of NaNs: the empty ends of a
    rolling average), the same numbers computed a whole block at a time for the rows without NaN
    (numpy's nanquantile takes rows one by one: on base at 5 replications it was a third of the
    chart's data work)."""
    finite = np.isfinite(values)
    whole = finite.all(axis=1)
    out = np.full((len(quantiles), len(values)), np.nan)
    out[:, whole] = np.quantile(values[whole], quantiles, axis=1)
    partial = finite.any(axis=1) & ~whole
    if partial.any():
        out[:, partial] = np.nanquantile(values[partial], quantiles, axis=1)
    return out


def _whole_month_means(median: np.ndarray, dates: pd.Series, lengths: np.ndarray | None = None
                       ) -> tuple[str, float, str, float] | None:
    """The median backlog averaged over the first and the last whole calendar month of the series
    (month, mean, month, mean), or None with fewer than two whole months: a headline compares
    these rather than two single points (the last may be a one-week spike). ``lengths``: each
    row's step length (any unit; default: all equal), its weight in its month's mean, so that a
    shorter last step counts for the time it covers."""
    step = dates.diff().median() if len(dates) > 1 else pd.Timedelta(days=1)
    weights = np.ones(len(median)) if lengths is None else lengths
    months = _weighted_means(median, weights, dates.dt.to_period("M").to_numpy()).to_frame("mean")
    # a month is whole when the series covers it from its first step to its last
    inside = [m.start_time >= dates.min() - step and m.end_time <= dates.max() + step for m in months.index]
    whole = months[inside]
    if len(whole) < 2:
        return None
    first, last = whole.index[0], whole.index[-1]
    # strftime, not an f-string format: a pandas Period takes one only from pandas 2.2
    return (first.strftime("%b %Y"), float(whole.loc[first, "mean"]), last.strftime("%b %Y"),
            float(whole.loc[last, "mean"]))


def _covered_hours(hours: np.ndarray, lengths: np.ndarray, averaged: bool) -> float:
    """The hours a backlog series covers, from its rows' ``hours`` (each at its step's end, hours
    after the start) and their steps' ``lengths`` (hours): averages over steps (``averaged``) cover
    the first step too, from its start to the last step's end (a run measured for 2 days, day by
    day, covers 2 days, as the report's "the 2 days measured", not the 1 day between its two
    rows); samples at the steps' ends cover the time from the first to the last."""
    if len(hours) == 0:
        return 0.0
    return float(hours[-1] - hours[0] + (lengths[0] if averaged else 0.0))


def _backlog_finding(median: np.ndarray, hours: np.ndarray, team: str | None,
                     months: tuple[str, float, str, float] | None = None, run_mean: float | None = None,
                     span_hours: float | None = None) -> str:
    """The backlog's finding in words, from the (averaged) median line drawn; with ``months``
    (:func:`_whole_month_means`), growth and decline compare the first and last whole months'
    averages. A backlog that stays level is quoted at ``run_mean`` where given (the items waiting
    averaged over the measured run and the replications: the ``backlog_mean`` the findings quote),
    so that the title and the report give one number. Without whole months, the change is said
    over ``span_hours``, the hours the series covers (:func:`_covered_hours`; default: from the
    first of ``hours`` to the last)."""
    what = f"The {team} team's backlog" if team else "The backlog"
    if len(median) == 0:
        return f"{what}: too short a run to show"
    start, end = float(median[0]), float(median[-1])
    if months is not None and months[1] > 0.5 and months[3] > 0.5:
        first, start, last, end = months
        if end >= 1.1 * start or end <= start / 1.1:
            verb = "grows" if end > start else "falls"
            return (f"{what} {verb} from {count_words(start)} items waiting on average in {first} to "
                    f"{count_words(end)} in {last} (median of replications)")
        level = (start + end) / 2 if run_mean is None else run_mean
        return f"{what} stays near {count_words(level)} items waiting on average, {first} to {last}"
    span = span_words((hours[-1] - hours[0] if span_hours is None else span_hours) / 24)
    if start > 0.5 and end <= 0.5:
        zero = np.nonzero(median <= 0.5)[0]
        stay = next((i for i in zero if np.all(median[i:] <= 0.5)), zero[0])  # reaches zero and stays
        took = round_sig((hours[stay] - hours[0]) / 24, 2)  # days
        return f"{what} of {count_words(start)} items is cleared in about {took:g} day{'' if took == 1 else 's'}"
    if start <= 0.5 and end <= 0.5:
        return f"{what} stays small: at most {count_words(float(np.max(median)))} items waiting (median) over {span}"
    if start <= 0.5 or end >= 1.1 * start:
        return f"{what} grows from {count_words(start)} to {count_words(end)} items over {span}"
    if end <= start / 1.1:
        return f"{what} falls from {count_words(start)} to {count_words(end)} items over {span}"
    return f"{what} stays near {count_words((start + end) / 2 if run_mean is None else run_mean)} items over {span}"


def _capacity_note(scenario: Scenario, team: str | None) -> str:
    parts = []
    for t in scenario.workforce:
        if team and t.team != team:
            continue
        days = t.roster.days
        if t.shifts is not None:
            shifts = roster_words(t)
        elif t.roster.round_the_clock:
            shifts = "24/7"
        else:
            span = "weekdays" if days == ["mon", "tue", "wed", "thu", "fri"] else ", ".join(days)
            shifts = f"{t.roster.hours_per_day:g} h shifts, {span}"
        cap = f", cap {t.exposure_cap / SECONDS_PER_HOUR:g} h/day" if t.exposure_cap is not None else ""
        shrink = f", {t.shrinkage:.0%} shrinkage" if t.shrinkage else ""
        parts.append(f"{t.team}: {t.headcount} {'person' if t.headcount == 1 else 'people'}, {shifts}{cap}{shrink}")
    return "\n".join(line for part in parts for line in textwrap.wrap(part, NOTE_CHARS, subsequent_indent="  "))
