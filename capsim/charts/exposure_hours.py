"""The exposure chart: hours of review per analyst-shift, each team's against its own daily
exposure cap, and the words every output names a team's review past the time it may review by."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from capsim.charts.by_year import measured_span
from capsim.charts.footer import footer_text
from capsim.charts.parts import nanmean, replication_strip, replications_in
from capsim.charts.style import MUTED, OKABE_ITO, apply_style, legend_above, new_figure, styled
from capsim.results import mean_ci
from capsim.scenario import Scenario, Team
from capsim.staff_notes import against_cap, exposure_caps, longer_than_shift, usable_limits
from capsim.units import SECONDS_PER_HOUR
from capsim.words import and_list, fmt, percent, seconds_text

EXPOSURE = "exposure_hours_per_analyst_day"
"""Hours of review per analyst-shift, every team's; ``<EXPOSURE>_<team>`` each team's."""


def past_usable_words(scenario: Scenario, mean: Callable[[str], float], said: Callable[[str], str]) -> str:
    """The teams of a scenario of several that reviewed for more than the time they may review
    (``utilisation_usable_<team>``, analyst hours over usable hours, above 1; ``mean`` gives a
    metric's mean over the replications, NaN where it has none, and ``said`` writes it, with its
    interval or not) where their own exposure figure does not already show it, being above their
    cap (``exposure_hours_per_analyst_day_<team>``): a team with no cap that overran its shifts' ends,
    or one whose mentoring takes from the time it may review. "team triage reviewed for 103.1% of the
    time it may review (on shift, less mentoring), finishing reviews begun within it". "" for one
    team, for no such team, or where nothing but time on shift limits review."""
    limits = usable_limits(scenario)
    if len(scenario.workforce) < 2 or not limits:
        return ""
    caps = exposure_caps(scenario)
    shown = lambda team: caps[team] is not None and mean(f"{EXPOSURE}_{team}") > caps[team]
    over = [t.team for t in scenario.workforce if mean(f"utilisation_usable_{t.team}") > 1 and not shown(t.team)]
    if not over:
        return ""
    shares = and_list([said(f"utilisation_usable_{team}") for team in over])
    who = f"team {over[0]}" if len(over) == 1 else f"teams {and_list(over)}"
    return (f"{who} reviewed for {shares} of the time {'it' if len(over) == 1 else 'they'} may review "
            f"(on shift, {limits}), finishing reviews begun within it")


AT_CAP_SHARE = 0.01
"""A team's mean hours of review per analyst-shift above its daily exposure cap by less than this
share of the cap (2.4 min of a 4 h cap) is at the cap: no more than some shifts' last review
finished past it, as the cap rule allows (:func:`over_cap_words`)."""


def over_cap_words(team: Team, cap: float | None, mean: float) -> str:
    """Where a team's mean hours of review per analyst-shift (``mean``, hours) are above its daily
    exposure ``cap`` (hours), by how much and why, for a figure quoted beside its cap: "36 s over on
    average: items begun before the cap are finished" (the cap is checked when an item would start),
    with ``carry_over`` "...; work carried over from an earlier shift is not stopped by it"; "" within
    the cap or with none."""
    if cap is None or not mean > cap:
        return ""
    carried = "; work carried over from an earlier shift is not stopped by it" if team.carry_over else ""
    over = seconds_text((mean - cap) * SECONDS_PER_HOUR)
    return f"{over} over on average: items begun before the cap are finished{carried}"


def cap_place(cap: float, mean: float) -> str:
    """Where a mean of hours of review per analyst-shift lies against a daily exposure ``cap`` (both in
    hours): "within", "at" (above by less than :data:`AT_CAP_SHARE` of it) or "above"."""
    return "within" if mean <= cap else "at" if mean - cap < AT_CAP_SHARE * cap else "above"


def cap_verdict(team: Team, cap: float | None, mean: float, low: float, high: float) -> str:
    """A team's hours of review per analyst-shift (``mean`` and 95% interval ``low`` to ``high``,
    hours) against its daily exposure ``cap`` (hours; None for none) as
    :func:`capsim.staff_notes.against_cap` says it, but a mean above the cap says by how much and
    why (:func:`over_cap_words`), and one above it by a few seconds that it is at the cap
    (:func:`cap_place`): "at its 4 h/day exposure cap (36 s over on average: items begun before the
    cap are finished)", "above its 4 h/day exposure cap (56.3 min over on average: ...)". Quoted
    alone, neither reads as more, nor less, review than the analysts did."""
    verdict = against_cap(cap, mean, low, high)
    over = over_cap_words(team, cap, mean)
    if cap is None or not over:
        return verdict
    if cap_place(cap, mean) == "at":
        return f"at its {cap:g} h/day exposure cap ({over})"
    return f"{verdict} ({over})"


def exposure(per_replication: pd.DataFrame, scenario: Scenario, seed: int) -> Figure:
    """Hours of review per analyst-shift (on shifts with any review), across replications,
    against the daily exposure cap (:func:`capsim.staff_notes.exposure_caps`) and shift length.

    One team: its figure, the title measuring its mean against its cap. Several teams: one row
    per team (``exposure_hours_per_analyst_day_<team>``), each against its own cap and shift
    lengths, the title each team's mean against its cap (:func:`cap_verdict`,
    from its 95% interval, as drawn) and any team past the time it may review that its figure does
    not show (:func:`past_usable_words`). The figure pooled over every team is not drawn: no one
    cap measures it.

    The metric is a mean over analyst-shifts: single shifts can pass the cap by at most one
    review, since the cap is checked when a review would start.
    """
    if len(scenario.workforce) > 1:
        return _by_team(per_replication, scenario, seed)
    reps = replications_in(per_replication)
    values = per_replication[EXPOSURE].to_numpy(dtype=float)
    mean = nanmean(values)
    cap = exposure_caps(scenario)[scenario.workforce[0].team]
    span = measured_span(scenario)  # a whole-run mean beside calendar years' figures says its span
    average = f"Analysts review {mean:.2g} h of material a shift on average{' ' + span if span else ''}"
    if not math.isfinite(mean):
        title = "No review took place, so no exposure was measured"
    elif cap is not None:
        share = mean / cap if cap else float("inf")
        over = over_cap_words(scenario.workforce[0], cap, mean)
        title = (f"{average}, {cap_place(cap, mean)} the {cap:g} h/day exposure cap ({percent(share)} of it"
                 f"{'; ' + over if over else ''})")
    else:
        title = f"{average}; no exposure cap is set"

    with styled():
        fig = new_figure(4.6)
        ax = fig.add_subplot(1, 1, 1)
        replication_strip(ax, [("Review hours per\nanalyst-shift", values)], OKABE_ITO["blue"])
        top = float(np.nanmax(values)) if np.isfinite(values).any() else 1.0
        if cap is not None:
            ax.axvline(cap, color=OKABE_ITO["vermillion"], linestyle="--", linewidth=2, label=f"exposure cap {cap:g} h/day")
            top = max(top, cap)
        shifts = _shift_lengths(scenario.workforce[0], top)
        for i, h in enumerate(shifts):
            ax.axvline(h, color=MUTED, linestyle=":", linewidth=1.6,
                       label=(f"shift length{'s' if len(shifts) > 1 else ''} {', '.join(f'{v:g}' for v in shifts)} h"
                              if i == 0 else None))
            top = max(top, h)
        _finish(fig, ax, top, f"Mean per analyst-shift; one dot per replication ({reps})", title,
                footer_text([scenario], seed, reps))
    return fig


def _by_team(per_replication: pd.DataFrame, scenario: Scenario, seed: int) -> Figure:
    """:func:`exposure` of a scenario of several teams: a row per team against its own cap."""
    reps = replications_in(per_replication)
    caps = exposure_caps(scenario)
    rows = [(t.team, per_replication[f"{EXPOSURE}_{t.team}"].to_numpy(dtype=float)) for t in scenario.workforce]
    stats = {team: mean_ci(values, bounds=(0.0, np.inf)) for team, values in rows}
    span = measured_span(scenario)
    reviewed = {team: ci for team, ci in stats.items() if math.isfinite(ci[0])}
    if not reviewed:
        title = "No review took place, so no exposure was measured"
    else:
        capped = any(caps[team] is not None for team in caps)
        member = {t.team: t for t in scenario.workforce}
        hours = {team: f"{team} {fmt(f'{EXPOSURE}_{team}', ci[0])} h{longer_than_shift(member[team], ci[0])}"
                 for team, ci in reviewed.items()}  # 4.01 h, not 4 h
        verdicts = {team: cap_verdict(member[team], caps[team], *ci) for team, ci in reviewed.items()} if capped else {}
        if len(reviewed) == len(stats) and len(set(verdicts.values())) == 1:  # every team the same: said once
            teams = ", ".join(hours.values()) + f"; each {next(iter(verdicts.values()))}"
        else:
            teams = "; ".join(hours[team] + (f", {verdicts[team]}" if capped else "") if team in reviewed
                              else f"{team} reviewed nothing" for team in stats)
        title = (f"Hours of review per analyst-shift on average{' ' + span if span else ''}, team by team: {teams}"
                 + ("" if capped else "; no exposure cap is set"))
        team_mean = lambda name: (nanmean(per_replication[name].to_numpy(dtype=float)) if name in per_replication
                                  else math.nan)
        past = past_usable_words(scenario, team_mean, lambda name: fmt(name, team_mean(name)))
        title += f"; but {past}" if past else ""

    with styled():
        fig = new_figure(3.7 + 0.9 * len(rows))  # the one-team chart's room for its row, and as much for each more
        ax = fig.add_subplot(1, 1, 1)
        replication_strip(ax, [(team if caps[team] is not None else f"{team}\n(no cap)", values)
                               for team, values in rows], OKABE_ITO["blue"])
        top = max([v for _, values in rows for v in values if math.isfinite(v)]
                  + [cap for cap in caps.values() if cap is not None], default=1.0)
        shifts = [_shift_lengths(team, top) for team in scenario.workforce]
        for i, team in enumerate(scenario.workforce):
            y = len(rows) - 1 - i  # replication_strip's rows, first at the top
            if caps[team.team] is not None:
                ax.vlines(caps[team.team], y - 0.42, y + 0.42, color=OKABE_ITO["vermillion"], linestyle="--",
                          linewidth=2, label="the team's daily exposure cap", zorder=2)
            if shifts[i]:
                ax.vlines(shifts[i], y - 0.42, y + 0.42, color=MUTED, linestyle=":", linewidth=1.6,
                          label="the team's shift length", zorder=2)
        top = max([top, *(h for lengths in shifts for h in lengths)])
        ax.set_ylabel("Team")
        _finish(fig, ax, top, f"Mean per analyst-shift of each team's analysts; one dot per replication ({reps})",
                title, footer_text([scenario], seed, reps))
    return fig


def _shift_lengths(team: Team, top: float) -> list[float]:
    """The lengths (hours) of ``team``'s shifts, its roster's or each pattern's, short enough to draw
    on an axis reaching ``top`` hours (at most twice it: a 24 h roster would squash the dots)."""
    return sorted(h for h in {p.hours_per_day for p in (team.shifts or [team.roster])} if h <= 2 * top)


def _finish(fig: Figure, ax: Axes, top: float, subtitle: str, title: str, footer: str) -> None:
    """The exposure chart's axis to ``top`` hours, its labels, legend, title and footer."""
    ax.set_xlim(0, top * 1.08)
    ax.set_xlabel("Hours of review per analyst on a shift with any review (one review can overrun the cap)")
    ax.set_title(subtitle, loc="left", fontsize=12, color=MUTED)
    handles, labels = ax.get_legend_handles_labels()
    once = dict(zip(labels, handles))  # a line drawn on every team's row is one entry
    legend_above(ax, list(once.values()), list(once), ncols=2)
    apply_style(fig, title, footer)
