"""The exposure chart: hours of review per analyst-shift against the daily exposure cap, and
the words every output names a team's review past the time it may review by."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from capsim.charts.by_year import measured_span
from capsim.charts.footer import footer_text
from capsim.charts.parts import nanmean, replication_strip, replications_in
from capsim.charts.style import MUTED, OKABE_ITO, apply_style, legend_above, new_figure, styled
from capsim.scenario import Scenario
from capsim.staff_notes import cap_words, exposure_caps, usable_limits
from capsim.words import and_list, fmt, percent


def past_usable_words(scenario: Scenario, mean: Callable[[str], float], said: Callable[[str], str]) -> str:
    """The teams of a scenario of several that reviewed for more than the time they may review
    (``utilisation_usable_<team>``, analyst hours over usable hours, above 1; ``mean`` gives a
    metric's mean over the replications, NaN where it has none, and ``said`` writes it, with its
    interval or not): "team victim_id reviewed for 123.5% of the time it may review (on shift, up
    to the cap), finishing reviews begun within it". A figure over every team (its exposure per
    analyst-shift, its share of usable hours) pools them and hides such a team. "" for one team,
    for no team above 1, or where nothing but time on shift limits review."""
    limits = usable_limits(scenario)
    if len(scenario.workforce) < 2 or not limits:
        return ""
    over = [t.team for t in scenario.workforce if mean(f"utilisation_usable_{t.team}") > 1]
    if not over:
        return ""
    shares = and_list([said(f"utilisation_usable_{team}") for team in over])
    who = f"team {over[0]}" if len(over) == 1 else f"teams {and_list(over)}"
    return (f"{who} reviewed for {shares} of the time {'it' if len(over) == 1 else 'they'} may review "
            f"(on shift, {limits}), finishing reviews begun within it")


def exposure(per_replication: pd.DataFrame, scenario: Scenario, seed: int) -> Figure:
    """Hours of review per analyst-shift (on shifts with any review), across replications,
    against each team's daily exposure cap (:func:`capsim.staff_notes.exposure_caps`) and shift
    length. The title measures the mean against the cap where every team has the same one, and
    otherwise names each team's (:func:`capsim.staff_notes.cap_words`). With several teams the mean
    pools them, and says so; the title then names any team that reviewed for more than the time it
    may review (:func:`past_usable_words`, from the replications' ``utilisation_usable_<team>``).

    The metric is a mean over analyst-shifts: single shifts can pass the cap by at most one
    review, since the cap is checked when a review would start.
    """
    reps = replications_in(per_replication)
    values = per_replication["exposure_hours_per_analyst_day"].to_numpy(dtype=float)
    mean = nanmean(values)
    caps = [(team, cap) for team, cap in exposure_caps(scenario).items() if cap is not None]
    span = measured_span(scenario)  # a whole-run mean beside calendar years' figures says its span
    several = len(scenario.workforce) > 1
    average = (f"Analysts review {mean:.2g} h of material a shift on average{' ' + span if span else ''}"
               + (", all teams pooled" if several else ""))
    if not math.isfinite(mean):
        title = "No review took place, so no exposure was measured"
    elif len(caps) == len(scenario.workforce) and len({c for _, c in caps}) == 1:  # one cap, every team's
        cap = caps[0][1]
        share = mean / cap if cap else float("inf")
        where = "within" if mean <= cap else "above"
        title = f"{average}, {where} the {cap:g} h/day exposure cap ({percent(share)} of it)"
    elif not caps:
        title = f"{average}; no exposure cap is set"
    else:  # the mean is over every team's analysts: no one cap to measure it against
        title = f"{average}; {cap_words(scenario)}"
    team_mean = lambda name: (nanmean(per_replication[name].to_numpy(dtype=float)) if name in per_replication
                              else math.nan)
    past = past_usable_words(scenario, team_mean, lambda name: fmt(name, team_mean(name)))
    if past and math.isfinite(mean):  # the pooled mean hides a team past its cap
        title += f"; but {past}"

    with styled():
        fig = new_figure(4.6)
        ax = fig.add_subplot(1, 1, 1)
        replication_strip(ax, [("Review hours per\nanalyst-shift", values)], OKABE_ITO["blue"])
        colours = [OKABE_ITO["vermillion"], OKABE_ITO["orange"], OKABE_ITO["reddish_purple"]]
        top = float(np.nanmax(values)) if np.isfinite(values).any() else 1.0
        by_cap: dict[float, list[str]] = {}
        for name, cap in caps:
            by_cap.setdefault(cap, []).append(name)
        for i, (cap, names) in enumerate(sorted(by_cap.items())):
            whose = "" if not several else (" (all teams)" if len(names) == len(scenario.workforce) else f" ({', '.join(names)})")
            ax.axvline(cap, color=colours[i % len(colours)], linestyle="--", linewidth=2,
                       label=f"exposure cap {cap:g} h/day{whose}")
            top = max(top, cap)
        lengths = {p.hours_per_day for t in scenario.workforce for p in (t.shifts or [t.roster])}
        shifts = sorted(h for h in lengths if h <= 2 * top)
        for i, h in enumerate(shifts):
            ax.axvline(h, color=MUTED, linestyle=":", linewidth=1.6,
                       label=(f"shift length{'s' if len(shifts) > 1 else ''} {', '.join(f'{v:g}' for v in shifts)} h"
                              if i == 0 else None))
            top = max(top, h)
        ax.set_xlim(0, top * 1.08)
        ax.set_xlabel("Hours of review per analyst on a shift with any review (one review can overrun the cap)")
        ax.set_title(f"Mean per analyst-shift{', all teams pooled' if several else ''}; one dot per replication "
                     f"({reps})", loc="left", fontsize=12, color=MUTED)
        handles, labels = ax.get_legend_handles_labels()
        legend_above(ax, handles, labels, ncols=2)
        apply_style(fig, title, footer_text([scenario], seed, reps))
    return fig
