"""Pieces several charts share: tick labels of shares and dates, replication strips and NaN-aware
summaries of per-replication columns."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.ticker import Formatter

from capsim.charts.style import MUTED, PALETTE, new_figure
from capsim.results import mean_ci


class PercentTicks(Formatter):
    """Tick labels of shares (0-1) as percentages, with as many decimals as the step between ticks
    needs: 0.005%, 0.010%, 0.015% or 85.0%, 87.5%, 90.0%, so that no two ticks read alike and
    none is rounded to a neighbour's value (a fixed number of decimals gives 0.01%, 0.01% or 98%
    for 97.5%). Zero reads "0%"."""

    def format_ticks(self, values) -> list[str]:
        decimals = step_decimals(100 * np.diff(np.sort(np.asarray(values, dtype=float))))
        return [self.percent(x, decimals) for x in values]

    def __call__(self, x: float, pos: int | None = None) -> str:
        return self.percent(x, step_decimals(np.array([100 * abs(x)])))

    @staticmethod
    def percent(x: float, decimals: int) -> str:
        return "0%" if x == 0 else f"{100 * x:.{decimals}f}%"


class DateTicks(Formatter):
    """Tick labels of a date axis that each say which year they are in: the first tick, and the
    first of each new year, carry the year; the others are as short as the ticks' spacing allows.

    Ticks on the 1st of months read "Jul 2027", "2028" (a January), "Jul"; ticks on other days at
    midnight "5 Mar 2024", "12 Mar", "1 Jan 2025"; ticks within days "5 Mar 2024 12:00", "18:00",
    "6 Mar" (midnight). Matplotlib's concise formatter put the year only at Januaries and in an
    offset beside the axis, so that a run from April began at a bare "Jul" and a short run's
    "Dec" was dated by the offset of the year after it. Positions are matplotlib date numbers
    (days)."""

    def format_ticks(self, values) -> list[str]:
        return self._labels(values, short=True)

    def spelled(self, values) -> list[str]:
        """Each tick's label in full, with its year whatever the ticks before it ("Jan 2030",
        "1 Jan 2030", "5 Mar 2024 12:00"), the ticks' spacing read from all of ``values``."""
        return self._labels(values, short=False)

    def __call__(self, x: float, pos: int | None = None) -> str:
        return self.spelled([x])[0]

    @staticmethod
    def _labels(values, short: bool) -> list[str]:
        dates = [mdates.num2date(v).replace(tzinfo=None) for v in values]
        months = all(d.day == 1 and d.time() == dt.time() for d in dates)
        labels = []
        for i, d in enumerate(dates):
            new_year = not short or i == 0 or d.year != dates[i - 1].year
            if months:
                labels.append(f"{d:%Y}" if short and d.month == 1 else f"{d:%b %Y}" if new_year else f"{d:%b}")
                continue
            day = f"{d.day} {d:%b}" + (f" {d:%Y}" if new_year else "")
            new_day = not short or i == 0 or d.date() != dates[i - 1].date()
            labels.append(day if d.time() == dt.time() else f"{day} {d:%H:%M}" if new_day else f"{d:%H:%M}")
        return labels


def headroom(rows: pd.DataFrame) -> float:
    """The top of a y axis from 0 that shows every mean and the whole of its 95% interval
    (``rows``: ``mean``, ``ci_high``) with room above for the marker: 12% over the highest;
    1 when there is nothing above 0."""
    values = rows[["mean", "ci_high"]].to_numpy(dtype=float)
    peak = float(np.nanmax(values)) if np.isfinite(values).any() else 0.0
    return 1.12 * peak if peak > 0 else 1.0


def step_decimals(steps: np.ndarray) -> int:
    """The fewest decimals (0-6) that write each of ``steps`` (the gaps between ticks, in the
    labels' unit) exactly, so that ticks that far apart read differently."""
    steps = steps[steps > 0]
    for decimals in range(7):
        scaled = steps * 10**decimals
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-6 * np.maximum(scaled, 1)):
            return decimals
    return 6


def nanmean(values: Any) -> float:
    """Mean of the finite values, NaN (quietly) when there are none."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    return float(values.mean()) if len(values) else float("nan")


def replications_in(frame: pd.DataFrame) -> int:
    return int(frame["replication"].nunique()) if "replication" in frame else len(frame)


def replication_strip(ax, rows: list[tuple[str, np.ndarray]], color: str) -> None:
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


def scenario_colours(names: Sequence[str]) -> dict[str, str]:
    """Each scenario's colour on a chart comparing them: the palette's, in the scenarios' order."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def cost_peak(table: pd.DataFrame) -> float:
    """The largest total cost a cost chart draws (in the table's currency): the means, or the
    upper ends of their 95% intervals where the table has them (``total_cost_ci_high``)."""
    columns = ["total_cost", "total_cost_ci_high"] if "total_cost_ci_high" in table else ["total_cost"]
    return float(np.nanmax(table[columns].to_numpy(dtype=float)))


def money_scale(peak: float) -> tuple[float, str]:
    """Divisor and unit words for a money axis whose largest value is ``peak``: millions from
    1,000,000, thousands from 10,000, plain below."""
    return (1e6, " million") if peak >= 1e6 else (1e3, " thousand") if peak >= 1e4 else (1.0, "")


def cost_bars(ax, mine: pd.DataFrame, xs: np.ndarray, width: float, color: str, label: str,
              scale: float) -> np.ndarray | None:
    """Bars of ``mine.total_cost`` (money, divided by ``scale``) at ``xs`` with their 95% CI as error
    bars when ``mine`` has ``total_cost_ci_low``/``_high``; returns the (2, n) error array in money
    (below, above the mean), or None without intervals. The budget and grant charts share it."""
    mean = mine["total_cost"].to_numpy(dtype=float)
    ax.bar(xs, mean / scale, width=width * 0.92, color=color, edgecolor="none", label=label)
    if "total_cost_ci_low" not in mine:
        return None
    err = np.vstack([np.nan_to_num(mean - mine["total_cost_ci_low"].to_numpy(dtype=float), nan=0.0),
                     np.nan_to_num(mine["total_cost_ci_high"].to_numpy(dtype=float) - mean, nan=0.0)])
    ax.errorbar(xs, mean / scale, yerr=err / scale, fmt="none", ecolor="black", elinewidth=1.6, capsize=3)
    return err


def cost_panels(height: float):
    """A figure of two panels sharing the x axis: money above (taller), FTE below; returns
    (figure, money axes, FTE axes). Call inside ``styled()``."""
    fig = new_figure(height)
    grid = fig.add_gridspec(2, 1, height_ratios=[1.5, 1])
    ax = fig.add_subplot(grid[0])
    return fig, ax, fig.add_subplot(grid[1], sharex=ax)


def side_by_side(table: pd.DataFrame, names: list[str], years: list[str]):
    """For bars of several scenarios per year: (name, its rows indexed by year, x positions,
    bar width) for each scenario in ``names``, the years at 0, 1, 2, ..."""
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        mine = table[table.scenario == name].set_index("year").reindex(years)
        yield name, mine, np.arange(len(years)) + (i - (len(names) - 1) / 2) * width, width
