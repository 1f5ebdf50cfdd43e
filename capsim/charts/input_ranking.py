"""Which unknown matters: the inputs of an uncertainty run ranked by their share of one result's uncertainty."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from capsim.charts.footer import footer_text
from capsim.charts.style import MUTED, OKABE_ITO, apply_style, new_figure, styled
from capsim.scenario import Scenario
from capsim.words import metric_label, percent, value_text


def input_ranking(ranking: pd.DataFrame, summary: pd.DataFrame, scenario: Scenario, metric: str, seed: int,
                  sets: int, replications: int) -> Figure:
    """Bars of each uncertain input's first-order share of ``metric``'s input variance, largest at
    the top, with the metric's three 95% intervals in the subtitle.

    ``ranking`` and ``summary`` are :func:`capsim.uncertainty.rank_inputs` and
    :func:`capsim.uncertainty.summarise` tables (``uncertainty_ranking.csv``, ``uncertainty_summary.csv``).
    """
    table = ranking[ranking.metric == metric].sort_values("first_order", ascending=False, na_position="last")
    row = summary.set_index("metric").loc[metric]
    top = table.iloc[0]
    label = metric_label(metric, scenario)
    if not math.isfinite(top.first_order):
        title = f"{label}: no input moves it in these {sets} parameter sets"
    else:
        title = f"{top.input} explains {percent(top.first_order)} of what we don't know about {label.lower()}"
    subtitle = (f"95% intervals: total {value_text(metric, row.total_low)}–{value_text(metric, row.total_high)}; "
                f"inputs alone {value_text(metric, row.input_low)}–{value_text(metric, row.input_high)}; "
                f"run-to-run alone {value_text(metric, row.run_low)}–{value_text(metric, row.run_high)}. "
                f"Inputs: {percent(row.input_share) if math.isfinite(row.input_share) else 'n/a'} of the variance"
                + (f"; all inputs together explain {percent(top.r_squared)} of it (rank regression)"
                   if math.isfinite(top.r_squared) else ""))
    n = len(table)
    with styled():
        fig = new_figure(2.4 + 0.6 * n)
        ax = fig.add_subplot(1, 1, 1)
        ys = np.arange(n)[::-1]
        shares = np.nan_to_num(table.first_order.to_numpy(dtype=float))
        ax.barh(ys, shares, color=OKABE_ITO["blue"], height=0.6)
        for y, share in zip(ys, shares):
            ax.text(share, y, f"  {percent(share)}", va="center", fontsize=11)
        ax.set_yticks(ys, [f"{r.input}\n{r.distribution}" for r in table.itertuples()])
        ax.grid(axis="y", visible=False)
        ax.set_xlim(0, max(1.0, float(shares.max()) * 1.15))
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xlabel("share of the input variance explained by the input alone")
        ax.set_title(subtitle, loc="left", fontsize=11, color=MUTED, wrap=True)
        apply_style(fig, title, footer_text([scenario], seed, replications)
                    + f"\n{sets} parameter sets (Latin hypercube) × {replications} replications, common random numbers.")
    return fig
