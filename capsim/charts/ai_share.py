"""The AI-share chart: AI-generated items reaching staff, and their share of the workload, year by year.

The inquiry's topic made visible: per calendar year (:mod:`capsim.periods`), the number of
AI-generated items from the streams that reached a human, after hash matching where the scenario has it on
(:func:`after_tools`; ``ai_generated``, top, per day of the year so that part years compare) and their share of all
items reaching a human
(``ai_generated_share``: of all items from the streams reaching staff in any team, referrals
between teams not counted; bottom), each the mean over the replications with its 95% interval.
What the streams' growth projects beyond the last published year is a projection, and the
chart says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import math

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from capsim.charts.by_year import whole_years, year_labels, year_rows
from capsim.charts.footer import footer_text
from capsim.charts.parts import PercentTicks, headroom
from capsim.charts.style import MUTED, OKABE_ITO, apply_style, footer_height, new_figure, styled, title_height
from capsim.periods import calendar_periods
from capsim.units import SECONDS_PER_DAY
from capsim.words import count_words, items_words, percent, plain_number

if TYPE_CHECKING:  # pragma: no cover
    from capsim.experiment import SimulationResult
    from capsim.scenario import Scenario


def per_day(x: float) -> str:
    """A count a day: whole from 10 up, else to two significant figures (0.67, 4.5)."""
    return count_words(x) if x >= 10 else plain_number(x, 2)


def after_tools(s: Scenario) -> str:
    """" after hash matching" where ``s`` has hash matching on (known items cleared before they reach staff); ""
    where it is off: a chart never names a tool that did not run."""
    return " after hash matching" if s.tooling.hash_matching.enabled else ""


def share_text(x: float) -> str:
    """A small share with enough digits to read: 0.06%, 1.3%, 24%."""
    return percent(x, 2 if x < 0.01 else 1 if x < 0.1 else 0)


def ai_share(result: SimulationResult) -> Figure:
    """Per calendar year: AI-generated items reaching staff (bars, 95% CI) and their share of
    all items from the streams reaching staff in any team (diamonds, 95% CI); the title compares
    whole years, then gives a part year after the last of them (the run's end: with growth, the line's
    highest point) on its own."""
    s = result.scenario
    labels = year_labels(result)
    periods = list(labels)
    days = {p.label: (p.end - p.start) / SECONDS_PER_DAY for p in calendar_periods(s)}
    count = year_rows(result, "ai_generated")[["mean", "ci_low", "ci_high"]]
    count = count.div(count.index.map(days), axis=0)  # a day's average: part years compare with whole ones
    share = year_rows(result, "ai_generated_share")
    x = np.arange(len(periods))
    whole = [p for p in whole_years(result) if p in labels]
    of_all = f"of all {items_words(s)} from the streams reaching staff (every team)"
    if len(whole) > 1:
        first, last = whole[0], whole[-1]
        title = (f"AI-generated items reaching staff: {per_day(count.loc[first, 'mean'])} a day in {labels[first]}, "
                 f"{per_day(count.loc[last, 'mean'])} in {labels[last]}; from {share_text(share.loc[first, 'mean'])} to "
                 f"{share_text(share.loc[last, 'mean'])} {of_all}")
    elif whole:
        title = (f"AI-generated items reaching staff in {labels[whole[0]]}: {per_day(count.loc[whole[0], 'mean'])} a "
                 f"day, {share_text(share.loc[whole[0], 'mean'])} {of_all}")
    else:
        title = f"AI-generated items reaching staff, and their share {of_all}, by calendar year"
    after = periods[periods.index(whole[-1]) + 1:] if whole else []  # a part year after the last whole one:
    if after and math.isfinite(count.loc[after[-1], "mean"]):  # the run's end, where growth takes the line furthest
        title += (f"; in the part year {labels[after[-1]]}, {per_day(count.loc[after[-1], 'mean'])} a day, "
                  f"{share_text(share.loc[after[-1], 'mean'])}")
    growing = any(getattr(x.growth, "model", "none") != "none" for x in s.demand)
    footer = footer_text([s], result.seed, result.replications)
    with styled():  # the panels keep their height however long title and footer wrap: no label beside the next
        fig = new_figure(5.4 + title_height(title) + footer_height(footer))
        grid = fig.add_gridspec(2, 1, height_ratios=[1.2, 1])
        top, bottom = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
        mean = count["mean"].to_numpy(dtype=float)
        err = np.vstack([np.nan_to_num(mean - count["ci_low"].to_numpy(dtype=float)),
                         np.nan_to_num(count["ci_high"].to_numpy(dtype=float) - mean)])
        top.bar(x, mean, width=0.6, color=OKABE_ITO["reddish_purple"], edgecolor="none")
        top.errorbar(x, mean, yerr=err, fmt="none", ecolor="black", elinewidth=1.6, capsize=3)
        top.set_ylabel("AI-generated items\na day")
        top.yaxis.set_major_formatter(FuncFormatter(lambda v, _: per_day(v)))
        top.set_title(f"AI-generated items reaching staff{after_tools(s)}, a day on average over each year"
                      + (" (projected)" if growing else ""), loc="left", fontsize=12, color=MUTED)
        values = share["mean"].to_numpy(dtype=float)
        for xi, lo, hi in zip(x, share["ci_low"], share["ci_high"]):
            bottom.plot([xi, xi], [lo, hi], color=OKABE_ITO["blue"], linewidth=3, solid_capstyle="butt")
        bottom.plot(x, values, marker="D", markersize=7, color=OKABE_ITO["blue"])
        bottom.set_ylabel("Share of items\nreaching staff")
        bottom.yaxis.set_major_formatter(PercentTicks())
        bottom.set_ylim(0, headroom(share))
        bottom.set_title(f"Their share {of_all}; mean and 95% CI, {result.replications} replications",
                         loc="left", fontsize=12, color=MUTED)
        for ax in (top, bottom):
            ax.set_xticks(x, [labels[p] for p in periods])
            ax.set_xlim(-0.5, len(periods) - 0.5)
            ax.grid(axis="x", visible=False)
        apply_style(fig, title, footer)
    return fig
