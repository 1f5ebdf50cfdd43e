"""The grant chart: full cost per grant year with its 95% CI, and the FTE the SLAs need, per scenario."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from capsim.charts.footer import footer_text
from capsim.charts.parts import cost_bars, cost_panels, cost_peak, money_scale, scenario_colours, side_by_side
from capsim.charts.style import MIN_FONT_PT, MUTED, apply_style, legend_above, styled
from capsim.scenario import Scenario
from capsim.words import NBSP, grant_sla_names, money, plain_number

SUBTITLE_CHARS = 100
"""Characters per line of the cost panel's subtitle (12 pt across the chart's 10 in): a long
list of SLAs wraps, each name whole, instead of squeezing the panels."""


def _share_ci(low: float, high: float) -> str:
    """A share's 95% CI in whole percent, on a second line under the share over a bar: "(97–100)";
    nothing where there is none or it rounds to one value."""
    if not (math.isfinite(low) and math.isfinite(high)) or f"{100 * low:.0f}" == f"{100 * high:.0f}":
        return ""
    return f"\n({100 * low:.0f}–{100 * high:.0f})"


def _span(fte: pd.Series) -> str:
    """FTE of several scenarios, to three figures: "41" when they agree, else "38 to 41"."""
    low, high = (plain_number(v) for v in (fte.min(), fte.max()))
    return low if low == high else f"{low} to {high}"


def _fte_words(needed: float, in_post: float) -> str:
    """A grant year's FTE in a title, the need and the staff costed kept apart: "53 FTE needed,
    56 in post", "53 FTE needed and in post" (equal to three figures); where no headcount tried
    meets the SLAs (``needed`` NaN), the FTE in post alone. ``needed``: the SLAs' need
    (``fte_needed``); ``in_post``: the mean FTE in post over the year (``fte``), which the cost is of."""
    post = plain_number(in_post)
    if not math.isfinite(needed):
        return f"{post} FTE in post, no headcount tried meeting the SLAs"
    need = plain_number(needed)
    return f"{need} FTE needed and in post" if need == post else f"{need} FTE needed, {post} in post"


def grant_per_year(grant_table: pd.DataFrame, scenarios: Sequence[Scenario], seed: int, replications: int) -> Figure:
    """Per scenario and grant year: full cost with its 95% CI (top); FTE needed for the SLAs
    (diamonds) and in post (bars, 95% CI) (bottom); the SLA attainment of each year written
    under it.

    ``grant_table`` is :attr:`capsim.grant.GrantResult.table` (or ``grant.csv``); its ``all``
    rows are left out. The title gives the last grant year's full cost, with the FTE needed and
    in post (:func:`_fte_words`), or its range across scenarios.
    """
    table = grant_table[grant_table["year"].astype(str) != "all"].copy()
    if table.empty:
        raise ValueError("the grant table has no grant years")
    table["year"] = table["year"].astype(str)
    names = list(dict.fromkeys(table["scenario"]))
    years = list(dict.fromkeys(table["year"]))
    currency = scenarios[0].costs.currency if scenarios else ""
    last = table[table.year == years[-1]].set_index("scenario").reindex(names)
    slas = [c[:-len("_target")] for c in table.columns if c.startswith("sla_") and c.endswith("_target")]
    if len(names) == 1:
        row = last.iloc[0]
        title = (f"{names[0]} in {years[-1]}, year {len(years)} of the grant: {_fte_words(row.fte_needed, row.fte)}, "
                 f"full cost {money(currency, row.total_cost)}")
    else:
        cheap, dear = last.total_cost.idxmin(), last.total_cost.idxmax()
        if money(currency, last.total_cost[cheap]) == money(currency, last.total_cost[dear]):
            title = (f"In {years[-1]}, the full cost is about {money(currency, last.total_cost[dear])} in every "
                     f"scenario, with {_span(last.fte_needed)}{NBSP}FTE needed and {_span(last.fte)} in post")
        else:
            title = (f"In {years[-1]}, the full cost ranges from {money(currency, last.total_cost[cheap])} ({cheap}, "
                     f"{_fte_words(last.fte_needed[cheap], last.fte[cheap])}) to "
                     f"{money(currency, last.total_cost[dear])} ({dear}, "
                     f"{_fte_words(last.fte_needed[dear], last.fte[dear])})")
    peak = cost_peak(table)
    scale, unit = money_scale(peak)
    n = len(names)
    colours = scenario_colours(names)
    with styled():
        fig, ax, fte_ax = cost_panels(7.8)
        for name, mine, xs, width in side_by_side(table, names, years):
            err = cost_bars(ax, mine, xs, width, colours[name], name, scale)
            tops = (mine["total_cost"].to_numpy(dtype=float) + err[1]) / scale
            for xi, top, year in zip(xs, tops, years):
                words = [f"{mine.loc[year, s]:.0%}" + _share_ci(mine.loc[year].get(f"{s}_ci_low", math.nan),
                                                                  mine.loc[year].get(f"{s}_ci_high", math.nan))
                         for s in slas if math.isfinite(mine.loc[year, s])]
                late = mine.loc[year, "hires_late_weeks"] if "hires_late_weeks" in mine else 0
                if words and late > 0:
                    words.append(f"hires late\nby {late:.0f} weeks")
                if words and math.isfinite(top):
                    ax.text(xi, top, "\n".join(words), ha="center", va="bottom", fontsize=MIN_FONT_PT, color="black",
                            linespacing=1.1)
            fte_ax.bar(xs, mine["fte"].to_numpy(dtype=float), width=width * 0.92, color=colours[name], alpha=0.35,
                       edgecolor="none")
            fte_ax.scatter(xs, mine["fte_needed"].to_numpy(dtype=float), marker="D", s=50, color=colours[name],
                           zorder=4)
        ax.set_ylabel(f"Full cost\n({currency}{unit})")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.4g}"))
        lines = 2 * len(slas) + ("hires_late_weeks" in table and bool((table.hires_late_weeks > 0).any())) * 2
        ax.set_ylim(0, peak / scale * (1.13 + 0.12 * lines) if peak > 0 else 1)  # room for the shares above the bars
        ax.grid(axis="x", visible=False)
        ax.tick_params(labelbottom=False)
        named = grant_sla_names(scenarios)
        lines = [f"Full cost at each year's prices: mean, 95% CI ({replications} replications)",
                 "Above each bar, top down, the share in time (95% CI, %):"]
        for sla in slas:  # each SLA's name kept whole, as many to a line as fit
            name = named.get(sla, sla.removeprefix("sla_"))
            if len(lines[-1]) + 2 + len(name) <= SUBTITLE_CHARS:
                lines[-1] += (" " if lines[-1].endswith(":") else "; ") + name
            else:
                lines[-1] += ";"
                lines.append(name)
        ax.set_title("\n".join(lines), loc="left", fontsize=12, color=MUTED)
        fte_ax.set_xticks(np.arange(len(years)), years)
        fte_ax.set_xlim(-0.6, len(years) - 0.4)
        fte_ax.grid(axis="x", visible=False)
        fte_ax.set_ylim(0, float(np.nanmax(table[["fte", "fte_needed"]].to_numpy(dtype=float))) * 1.15 or 1)
        fte_ax.set_ylabel("FTE")
        fte_ax.set_title("FTE: needed for the SLAs (diamonds) and in post, mean over the year (bars); all teams",
                         loc="left", fontsize=12, color=MUTED)
        handles, texts = ax.get_legend_handles_labels()
        legend_above(ax, handles, texts, ncols=min(n, 3))
        apply_style(fig, title, footer_text(scenarios, seed, replications))
    return fig
