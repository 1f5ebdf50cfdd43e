"""Which unknown matters: the inputs of an uncertainty run ranked by their share of one result's uncertainty."""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from capsim.charts.footer import footer_text
from capsim.charts.style import MUTED, OKABE_ITO, TITLE_CHARS, apply_style, footer_height, new_figure, styled
from capsim.scenario import Scenario
from capsim.uncertainty import FLAT_OUT, RANKED_BY, SAMPLER_NAMES, estimated_share, why_no_input_named
from capsim.metric_names import BACKLOG_WORDS, backlog_words
from capsim.charts.uncertainty_words import part_span
from capsim.words import duration_unit, how_many, metric_words, percent

SUBTITLE_CHARS = 80
"""Characters per line of the subtitle (11 pt across the axes, right of the inputs' labels)."""


def input_ranking(ranking: pd.DataFrame, summary: pd.DataFrame, scenario: Scenario, metric: str, seed: int,
                  sets: int, replications: int, sampler: str = "lhs", period: str | None = None,
                  flat_out: str = "") -> Figure:
    """Bars of each uncertain input's first-order share of ``metric``'s input variance, largest at
    the top, with the metric's three 95% intervals in the subtitle (as the findings write them:
    :func:`capsim.charts.uncertainty_words.part_span`); the footer's first line names the parameter
    sets and replications (:func:`runs_footer`), a later one the sampler and the ranking method
    used (and the Sobol indices where the ranking table gives them). The
    title says what the tables' "matters most" cell says (:func:`capsim.report.uncertainty.driver_text`),
    in the same order: that the inputs barely move it, or cannot be told from Monte Carlo noise,
    before that they are not ranked (too few parameter sets, say: the ranking's ``not_ranked``);
    where they are not, each input reads "not ranked", with no bar, and the footer says so.
    ``flat_out`` is the sentence saying work piled up that year
    (:func:`capsim.report.uncertainty.flat_out`), or "": the subtitle ends with it, and where the
    inputs barely move the result the title says that is why.

    ``ranking`` and ``summary`` are :func:`capsim.uncertainty.rank_inputs` and
    :func:`capsim.uncertainty.summarise` tables (``uncertainty_ranking.csv``, ``uncertainty_summary.csv``),
    or one calendar year's rows of the by-year tables, named by ``period`` (its label:
    :func:`capsim.report.uncertainty.period_text`, "2027 (Apr–Dec)").
    """
    table = ranking[ranking.metric == metric].sort_values("first_order", ascending=False, na_position="last")
    row = summary.set_index("metric").loc[metric]
    top = table.iloc[0]
    label = (backlog_words(metric, period, starts_sentence=True) if period and metric in BACKLOG_WORDS
             else metric_words(metric, scenario) + (f" in {period}" if period else ""))
    inline = label if label.split()[0].isupper() else label[0].lower() + label[1:]  # "FTE of ..." stays "FTE"

    unit = duration_unit(*(row[k] for k in ("total_low", "total_high", "input_low", "input_high", "run_low",
                                            "run_high")))  # the title's and subtitle's durations in one unit

    def span(part: str, joiner: str = "–") -> str:  # an interval as the findings beside the chart write it
        return part_span(row, metric, part, scenario.costs.currency, unit, joiner)

    why = why_no_input_named(row) if math.isfinite(row.input_share) else ""
    if why == "negligible":
        title = (f"The uncertain inputs barely move {inline}, {FLAT_OUT}" if flat_out else
                 f"The uncertain inputs barely move {inline} over this run: its spread is the luck of the draw")
    elif why == "unclear":
        title = f"Too few parameter sets to tell which input moves {inline}: the ranking below may be noise"
    elif not math.isfinite(top.first_order):
        title = f"{label}: {top.not_ranked}"
    elif len(table) == 1:  # a share of 100% would say nothing: say what the one input does
        title = f"{top.input}, the only uncertain input declared, moves {inline} between {span('input', ' and ')} (95%)"
    else:
        title = (f"{top.input} explains {percent(estimated_share(top.first_order))} of the input part of what we "
                 f"don't know about {inline}")
    share = percent(estimated_share(row.input_share)) if math.isfinite(row.input_share) else "n/a"
    subtitle = (f"95% intervals: total {span('total')}; inputs alone {span('input')}; "
                f"run-to-run alone {span('run')}. The inputs cause {share} of the variance"
                + (f"; together they explain {percent(estimated_share(top.r_squared))} of the input part "
                   f"({RANKED_BY})" if math.isfinite(top.r_squared) else "") + "." + (f" {flat_out}" if flat_out else ""))
    subtitle_lines = textwrap.wrap(subtitle, SUBTITLE_CHARS)
    ranked = f"inputs ranked by {RANKED_BY}" if math.isfinite(top.first_order) else "inputs not ranked"
    footer = (runs_footer(scenario, seed, sets, replications)
              + f"\nParameter sets: {SAMPLER_NAMES[sampler]} (scipy.stats.qmc), common random numbers; {ranked}"
              + ("; first-order Sobol indices (SALib RBD-FAST) in the ranking table."
                 if sampler == "sobol" and table.sobol_first_order.notna().any() else "."))
    n = len(table)
    title_lines = len(textwrap.wrap(title, TITLE_CHARS))
    # inches: bars, the x axis and its label, the title (15 pt), the subtitle (11 pt), then the footer's band
    height = 0.7 * n + 0.9 + title_lines * 0.3 + len(subtitle_lines) * 0.22 + 0.3 + footer_height(footer)
    with styled():
        fig = new_figure(height)
        ax = fig.add_subplot(1, 1, 1)
        ys = np.arange(n)[::-1]
        found = table.first_order.to_numpy(dtype=float)
        shares = np.nan_to_num(found)
        ax.barh(ys, shares, color=OKABE_ITO["blue"], height=0.6)
        for y, value in zip(ys, found):
            ranked = math.isfinite(value)
            ax.text(value if ranked else 0.0, y, f"  {percent(estimated_share(value))}" if ranked else "  not ranked",
                    va="center", fontsize=11, color=None if ranked else MUTED)
        ax.set_yticks(ys, [f"{r.input}\n{r.distribution_shown}" for r in table.itertuples()])
        ax.set_ylim(-0.6, n - 0.4)
        ax.grid(axis="y", visible=False)
        ax.set_xlim(0, max(1.0, float(shares.max()) * 1.15))
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xlabel("share of the input part of the variance explained by each input alone")
        ax.set_title("\n".join(subtitle_lines), loc="left", fontsize=11, color=MUTED)
        apply_style(fig, title, footer)
    return fig


def runs_footer(scenario: Scenario, seed: int, sets: int, replications: int) -> str:
    """The provenance footer (:func:`capsim.charts.footer.footer_text`) of an uncertainty run, its first
    line giving every run: "... · seed 7 · 12 parameter sets × 2 replications · ...", which the chart's
    description reads back (:func:`capsim.charts.describe.describe`), not "2 replications" alone."""
    first, *rest = footer_text([scenario], seed, replications).split("\n")
    runs = f" · {replications} replication"  # as footer_text writes it, "s" or not
    return "\n".join([first.replace(runs, f" · {how_many(sets, 'parameter set')} ×{runs[2:]}", 1), *rest])
