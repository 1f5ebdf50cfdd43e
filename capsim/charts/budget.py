"""The budget chart: total cost and FTE per calendar year, per scenario, with 95% CIs."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from capsim.charts.by_year import is_whole_year
from capsim.charts.footer import footer_text
from capsim.charts.parts import cost_bars, cost_panels, cost_peak, money_scale, scenario_colours, side_by_side
from capsim.charts.style import MUTED, apply_style, legend_above, styled
from capsim.scenario import Scenario
from capsim.words import NBSP, money, period_words


def budget_per_year(budget_table: pd.DataFrame, scenarios: Scenario | Sequence[Scenario], seed: int,
                    replications: int, team: str | None = None) -> Figure:
    """Per scenario and calendar year: total cost with its 95% CI (top), and FTE with its 95% CI (bottom).

    ``budget_table`` is :attr:`capsim.budget.BudgetResult.table` (or ``budget.csv``); the
    ``all`` rows are left out. Costs are at each year's prices; a partial year (the first,
    after the warm-up, or the last) is labelled with its days and is not annualised. FTE is
    the mean number of staff in post over the year, all teams, named in its panel's title
    (``team``: one team's ``fte_<team>``). The title speaks of whole years only (:func:`capsim.charts.by_year.is_whole_year`,
    the rule of every headline): it compares the scenarios in the last whole year (with two,
    the paired difference), and one scenario's first and last whole years. A run without a
    whole calendar year is spoken of by the last period covering at least half as many days as
    the longest, named by its dates and days ("1 Jan–27 Feb 2025 (58 days)"), never as a year. It
    speaks only of years every scenario has: scenarios with none in common are named with their
    years, not compared (:func:`_no_shared_year`).
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
    title = _title(table, names, years, days, fte, currency)
    peak = cost_peak(table)
    scale, unit = money_scale(peak)
    n = len(names)
    colours = scenario_colours(names)
    with styled():
        fig, ax, fte_ax = cost_panels(7.6)
        for name, mine, xs, width in side_by_side(table, names, years):
            cost_bars(ax, mine, xs, width, colours[name], name, scale)
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
        ax.set_title(f"Total cost per calendar year at that year's prices, of the staff each scenario writes\n"
                     f"(not sized to its SLAs): mean and 95% CI across {replications} replications",
                     loc="left", fontsize=12, color=MUTED)
        labels = [y if is_whole_year(days[y]) else f"{y}\n({days[y]:.0f} days)" for y in years]
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
        teams = ", ".join(dict.fromkeys(t.team for s in scenarios for t in s.workforce))
        fte_ax.set_title(f"FTE: mean staff in post over the year, {'team ' + team if team else f'all teams ({teams})'}"
                         "\n(95% CI); partial years are not annualised", loc="left", fontsize=12, color=MUTED)
        handles, texts = ax.get_legend_handles_labels()
        legend_above(ax, handles, texts, ncols=min(n, 3))
        apply_style(fig, title, footer_text(scenarios, seed, replications))
    return fig


def _title(table: pd.DataFrame, names: list[str], years: list[str], days: pd.Series, fte: str, currency: str) -> str:
    """The title of :func:`budget_per_year`, of the last whole year every scenario has over as many days (money in
    ``currency``, FTE from the ``fte`` column)."""
    # a year every scenario has over as many days (as budget.csv pairs them): never 134 days against 365
    shared = [y for y in years if (sub := table[table.year == y]).scenario.nunique() == len(names)
              and sub.days.nunique() == 1]
    if not shared:
        return _no_shared_year(table, names)
    whole = [y for y in shared if is_whole_year(days[y])]
    key = whole[-1] if whole else [y for y in shared if days[y] >= 0.5 * days[shared].max()][-1]
    if whole:
        year_words = f"in {key}"
    else:
        dated = table[table.year == key].iloc[0]
        year_words = "over " + period_words(dt.date.fromisoformat(str(dated.first_day)),
                                            dt.date.fromisoformat(str(dated.last_day)), float(days[key]))
    opening = year_words[0].upper() + year_words[1:]  # the title's first words
    rows = table[table.year == key].set_index("scenario").reindex(names)

    def fte_words(v: float) -> str:
        return f"{v:.3g}" if math.isfinite(v) else "n/a"

    if len(names) == 1:
        first, last = (table[(table.year == y)].iloc[0] for y in ((whole or [key])[0], key))
        if first.year == last.year:
            title = (f"{names[0]}: total cost {money(currency, last.total_cost)} {year_words}, "
                     f"with {fte_words(last[fte])}{NBSP}FTE")
        else:
            title = (f"{names[0]}: total cost goes from {money(currency, first.total_cost)} in {first.year} to "
                     f"{money(currency, last.total_cost)} {year_words}; FTE from {fte_words(first[fte])} "
                     f"to {fte_words(last[fte])}")
    elif len(names) == 2 and "total_cost_vs_first" in rows and math.isfinite(rows.total_cost_vs_first.iloc[1]):
        other = rows.iloc[1]
        d, lo, hi = other.total_cost_vs_first, other.total_cost_vs_first_ci_low, other.total_cost_vs_first_ci_high
        sure = math.isfinite(lo) and math.isfinite(hi) and not (lo <= 0 <= hi)
        if d == 0 and not sure:
            title = f"{opening}, {names[1]} and {names[0]} cost the same: {money(currency, other.total_cost)}"
        else:
            ci = (f" (paired 95% CI {money(currency, lo)} to {money(currency, hi)})"
                  if math.isfinite(lo) and math.isfinite(hi) else "")
            if ci and hi - lo <= 1e-9 * max(1.0, abs(d)):
                ci = " (the same in every replication)"
            elif ci and money(currency, lo) == money(currency, hi):  # a narrow interval: whole units
                ci = f" (paired 95% CI {currency} {lo:,.0f} to {hi:,.0f})"
            title = (f"{opening}, {names[1]} costs {money(currency, abs(d))} {'more' if d > 0 else 'less'} "
                     f"than {names[0]}{ci}{'' if sure or not ci else ', not a clear difference'}; "
                     f"{fte_words(other[fte])}{NBSP}FTE against {fte_words(rows.iloc[0][fte])}")
    else:
        cheap, dear = rows.total_cost.idxmin(), rows.total_cost.idxmax()
        if rows.total_cost.loc[cheap] == rows.total_cost.loc[dear]:
            title = (f"{opening}, every scenario costs {money(currency, rows.total_cost.loc[cheap])}, "
                     f"with {fte_words(rows[fte].iloc[0])}{NBSP}FTE: they staff the same, whatever their demand")
        else:
            title = (f"{opening}, total cost ranges from {money(currency, rows.total_cost.loc[cheap])} "
                     f"({cheap}) to {money(currency, rows.total_cost.loc[dear])} ({dear}); "
                     f"FTE from {fte_words(rows[fte].min())} to {fte_words(rows[fte].max())}")
    return title


def _no_shared_year(table: pd.DataFrame, names: list[str]) -> str:
    """The title of scenarios that have no calendar year in common: each one's years, and that its
    bars are not compared year by year ("base (2024) and growth-high (2027–2030) share no calendar
    year ...")."""
    spans = []
    for name in names:
        mine = list(table[table.scenario == name].year)
        span = mine[0] if len(mine) == 1 else f"{mine[0]}\u2013{mine[-1]}"
        spans.append(f"{name} ({span})")
    return (f"{', '.join(spans[:-1])} and {spans[-1]} share no calendar year: their costs are not compared "
            "year by year")

