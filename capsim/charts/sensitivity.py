"""The tornado chart of one-at-a-time sensitivity."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from capsim.charts.footer import footer_text
from capsim.charts.style import MUTED, OKABE_ITO, apply_style, legend_above, new_figure, styled
from capsim.scenario import Scenario
from capsim.sensitivity import DECLARED, order_by_effect
from capsim.words import duration_unit, is_share, metric_label, metric_words, plain_number, value_text


def tornado(sensitivity: pd.DataFrame, scenario: Scenario) -> Figure:
    """One-at-a-time sensitivity: the metric at each parameter's low and high value, as bars
    from the base run's value, largest effect at the top. Each parameter's label gives its low and
    high values with their units and what they span (``varied_over``: ±20%, or an uncertain input's
    declared 95%); the title, the low and high bars' legend and that of the base run say the same.

    ``sensitivity`` is :func:`capsim.sensitivity.sensitivity`'s table (``sensitivity.csv``).
    """
    table = order_by_effect(sensitivity)
    metric = str(table["metric"].iloc[0])
    base = float(table["base_mean"].iloc[0])
    swing = float(table["swing"].iloc[0]) if "swing" in table else float("nan")
    seed = int(table["seed"].iloc[0]) if "seed" in table else scenario.experiment.seed
    reps = int(table["replications"].iloc[0]) if "replications" in table else scenario.experiment.replications
    top = table.iloc[0]
    over = table.varied_over if "varied_over" in table else pd.Series([f"±{100 * swing:g}%"] * len(table))
    spans = " or ".join(dict.fromkeys("over their declared 95%" if v == DECLARED else f"at {v}" for v in over))
    if not math.isfinite(top.effect) or top.effect == 0:
        title = f"None of the {len(table)} parameters moves {metric_words(metric).lower()} {spans}"
    else:
        unit = duration_unit(top.low_mean, top.high_mean)  # one title, one unit
        title = (f"{metric_words(metric)} depends most on {top.parameter}: {value_text(metric, top.low_mean, unit)} "
                 f"at {top.low_value} vs {value_text(metric, top.high_mean, unit)} at {top.high_value}")
    n = len(table)
    low_colour, high_colour = OKABE_ITO["blue"], OKABE_ITO["orange"]
    swung = math.isfinite(swing) and DECLARED not in set(over)  # every parameter scaled by the swing
    low_name = f"parameter × {1 - swing:g} (low)" if swung else "low value"
    high_name = f"parameter × {1 + swing:g} (high)" if swung else "high value"
    with styled():
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        fig = new_figure(2.6 + 0.9 * n)  # inches: each parameter two lines of label, clear of the next
        ax = fig.add_subplot(1, 1, 1)
        ys = np.arange(n)[::-1]
        for y, (_, row) in zip(ys, table.iterrows()):
            for value, colour, offset in ((row.low_mean, low_colour, 0.19), (row.high_mean, high_colour, -0.19)):
                if math.isfinite(value):
                    ax.barh(y + offset, value - base, left=base, height=0.36, color=colour, edgecolor="none")
            if row.low_mean == base and row.high_mean == base:
                ax.text(base, y, "no change  ", ha="right", va="center", fontsize=11, color=MUTED)
        ax.axvline(base, color="black", linewidth=1.4)
        labels = [f"{row.parameter}\nlow {row.low_value} · high {row.high_value} ({varied})"
                  for (_, row), varied in zip(table.iterrows(), over)]
        ax.set_yticks(ys, labels)
        ax.grid(axis="y", visible=False)
        values = table[["low_mean", "high_mean"]].to_numpy(dtype=float)
        finite = np.concatenate([values[np.isfinite(values)], [base]])
        lo, hi = float(finite.min()), float(finite.max())
        pad = max((hi - lo) * 0.08, abs(base) * 0.01, 1e-9)
        if is_share(metric):
            ax.set_xlim(max(lo - pad, -0.02), min(hi + pad, 1.02))
            ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0 if hi - lo > 0.05 else 1))
        else:
            ax.set_xlim(lo - pad, hi + pad)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: plain_number(v, 4)))
        ax.set_xlabel(metric_label(metric))
        ax.set_title("One parameter at a time; every run with the same seed", loc="left", fontsize=12, color=MUTED)
        handles = [Patch(color=low_colour, label=low_name), Patch(color=high_colour, label=high_name),
                   Line2D([], [], color="black", linewidth=1.4, label=f"base run: {value_text(metric, base)}")]
        legend_above(ax, handles, [h.get_label() for h in handles], ncols=3)
        apply_style(fig, title, footer_text([scenario], seed, reps))
    return fig
