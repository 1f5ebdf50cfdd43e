"""The tornado chart of one-at-a-time sensitivity."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from capsim.charts.compare import difference_words
from capsim.charts.footer import footer_text
from capsim.charts.style import MUTED, OKABE_ITO, apply_style, legend_above, new_figure, styled
from capsim.scenario import Scenario
from capsim.sensitivity import DECLARED, order_by_effect, tied_with_first
from capsim.words import (and_list, duration_unit, is_share, metric_label, metric_words, why_no_interval, plain_number,
                          value_text)

_WRITTEN = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")
UNIT_WORDS = {"/year": " a year", "/week": " a week", "/day": " a day", "/h": " an hour", "/s": " a second",
              "s": " s", "min": " min", "h": " h", "d": " d", "h/day": " h a day"}
"""A unit as ``--set`` writes it (``339237.6/year``, ``72s``) → as a label writes it (``339,238 a year``,
``72 s``); any other unit (``%``) stays as written."""


CI_STYLE = {"color": MUTED, "linewidth": 1.2, "marker": "|", "markersize": 9, "solid_capstyle": "butt"}
"""How a tornado draws a mean's 95% CI, and its legend shows it: a thin grey line with an end mark at
each bound, unlike the base run's black line."""


def setting_text(value: Any) -> str:
    """A parameter's value as ``--set`` writes it (``low_value`` of :mod:`capsim.sensitivity`:
    ``339237.6/year``, ``125.891d``, ``0.8``) as a label writes it: from 1,000 up whole with thousands separators, below
    to four significant figures, then its unit in words where it has some (:data:`UNIT_WORDS`):
    ``339,238 a year``, ``125.9 d``, ``0.8``, ``17.89%``."""
    match = _WRITTEN.match(str(value))
    if not match:
        return str(value)
    number, unit = float(match.group(1)), match.group(2)
    text = f"{number:,.0f}" if abs(number) >= 1000 else plain_number(number, 4)
    return text + UNIT_WORDS.get(unit, unit)


def effect_text(metric: str, row: Any) -> str:
    """A parameter's effect (high − low) with its 95% CI, in the metric's unit as comparisons write a
    paired difference (:func:`capsim.charts.compare.difference_words`): "−64.1 points, 95% CI −76.2 to
    −52.0 points"; where it has none, why (:func:`capsim.words.why_no_interval`), so that no interval reads
    as one number: "−64.1 points (one replication: no interval)", "+100 points (the same in every
    replication)", not "95% CI +100 to +100 points"."""
    (said, low, high), unit = difference_words(metric, row.effect, row.effect_ci_low, row.effect_ci_high)
    unit = f" {unit}" if unit else ""
    why = why_no_interval(row.effect, row.effect_ci_low, row.effect_ci_high)
    return f"{said}{unit} ({why})" if why else f"{said}{unit}, 95% CI {low} to {high}{unit}"


def _effect_alone(metric: str, row: Any) -> str:
    """A parameter's effect (high − low) in the metric's unit, without its interval: "+2.1 points"."""
    (said, _, _), unit = difference_words(metric, row.effect, math.nan, math.nan)
    return f"{said} {unit}" if unit else said


def end_texts(row: Any) -> tuple[str, str]:
    """A parameter's low and high values (:func:`setting_text`) as its tick label and the command
    line's table write them: ("339,238 a year", "508,856 a year"); where a ±swing would take an end
    past the values the parameter allows (``low_clipped``, ``high_clipped``), that end says it is
    that limit and the other how far it moved: ("0.8 (−20%)", "1 (its upper limit, not +20%)")."""
    low, high = setting_text(row.low_value), setting_text(row.high_value)
    if not any(_clipped(row)):
        return low, high
    swing = f"{100 * row.swing:g}%"
    low += f" (its lower limit, not \u2212{swing})" if row.low_clipped else f" (\u2212{swing})"
    high += f" (its upper limit, not +{swing})" if row.high_clipped else f" (+{swing})"
    return low, high


def _clipped(row: Any) -> tuple[bool, bool]:
    """Whether ``row``'s low and high ends were clipped (False in a table without those columns)."""
    return bool(getattr(row, "low_clipped", False)), bool(getattr(row, "high_clipped", False))


def ends_label(row: Any, varied: str) -> str:
    """A parameter's tick label: its name, then its low and high values (:func:`end_texts`) and what
    they span (``varied``: "±20%", "declared 95%"), or, where an end is clipped, how far each moved:
    "low 0.8 (−20%) · high 1 (its upper limit, not +20%)"."""
    low, high = end_texts(row)
    return f"{row.parameter}\nlow {low} · high {high}" + ("" if any(_clipped(row)) else f" ({varied})")


def tornado_title(table: pd.DataFrame, scenario: Scenario, spans: str) -> str:
    """The tornado's finding (``table`` in :func:`capsim.sensitivity.order_by_effect`'s order): the
    parameter the metric depends most on, with the metric at its low and high values and, where the
    table gives it, its effect with its 95% CI (:func:`effect_text`); "about equally on" every
    parameter whose effect cannot be told from the largest by those CIs
    (:func:`capsim.sensitivity.tied_with_first`); that none moves it, or none clearly (every effect's CI
    reaching 0), or which only do where the largest effect's does ("Only X clearly moves ..."), ``spans``
    saying how far each was moved ("at ±20%")."""
    top, metric = table.iloc[0], str(table["metric"].iloc[0])
    what = metric_words(metric, scenario)
    inline = what[0].lower() + what[1:]
    if not math.isfinite(top.effect) or top.effect == 0:
        return f"None of the {len(table)} parameters moves {inline} {spans}"
    known = "effect_ci_low" in table  # a table without intervals gives the effect alone
    if known and top.effect_ci_low <= 0 <= top.effect_ci_high:
        clear = table[(table.effect_ci_low > 0) | (table.effect_ci_high < 0)]  # smaller effects may be clear
        if clear.empty:
            return (f"None of the {len(table)} parameters clearly moves {inline} {spans}: the largest effect "
                    f"(high − low), {top.parameter}'s, is {effect_text(metric, top)}")
        first = clear.iloc[0]
        return (f"Only {and_list(list(clear.parameter))} clearly move{'s' if len(clear) == 1 else ''} {inline} "
                f"{spans}: {first.parameter}'s effect (high − low) is {effect_text(metric, first)}; the largest, "
                f"{top.parameter}'s, is {effect_text(metric, top)}, its 95% CI reaching no change")
    tied = tied_with_first(table) if known else table.iloc[:1]
    if len(tied) > 1:
        return (f"{what} depends about equally on {and_list(list(tied.parameter))}: their effects (high − low) "
                "overlap within their 95% CIs")
    unit = duration_unit(top.low_mean, top.high_mean)  # one title, one unit
    return (f"{what} depends most on {top.parameter}: {value_text(metric, top.low_mean, unit)} at "
            f"{setting_text(top.low_value)} vs {value_text(metric, top.high_mean, unit)} at "
            f"{setting_text(top.high_value)}" + (f"; high − low {effect_text(metric, top)}" if known else ""))


def tornado_finding(sensitivity: pd.DataFrame, scenario: Scenario) -> str:
    """The tornado's title (:func:`tornado_title`) of :func:`capsim.sensitivity.sensitivity`'s table,
    which the report gives as its sentence on sensitivity (:func:`capsim.report.page.render_report`), so
    that the two say the same: the table ranked (:func:`capsim.sensitivity.order_by_effect`), how far
    each parameter was moved said as its ``varied_over`` says it (:func:`spans_text`)."""
    table = order_by_effect(sensitivity)
    return tornado_title(table, scenario, spans_text(table))


def varied_over(table: pd.DataFrame) -> pd.Series:
    """How far each parameter of ``table`` was moved: its ``varied_over`` ("±20%", "declared 95%"),
    or, in a table without that column, ``swing`` as "±20%"."""
    if "varied_over" in table:
        return table.varied_over
    return pd.Series([f"±{100 * swing_of(table):g}%"] * len(table), index=table.index)


def swing_of(table: pd.DataFrame) -> float:
    """The relative swing of ``table``'s ±swing parameters (0.2 for ±20%); NaN where it has no ``swing``."""
    return float(table["swing"].iloc[0]) if "swing" in table else float("nan")


def spans_text(table: pd.DataFrame) -> str:
    """How far the parameters were moved, for a title: "at ±20%", "over their declared 95%", or both
    joined by "or"."""
    return " or ".join(dict.fromkeys("over their declared 95%" if v == DECLARED else f"at {v}"
                                     for v in varied_over(table)))


UNSEEN = 0.005
"""A bar shorter than this share of the tornado's axis cannot be seen at the chart's size: its parameter's
row says its effect in words instead (:func:`_say_unseen_effects`)."""


def _say_unseen_effects(ax: Any, table: pd.DataFrame, ys: np.ndarray, base: float, metric: str) -> None:
    """Beside the base run's line, on each row of ``table`` (drawn at ``ys``) whose low and high bars both
    moved the metric but are too short to see (:data:`UNSEEN` of the axis), its effect (:func:`_effect_alone`;
    its interval is the title's and the table's): "high − low −0.03 points: too small to draw", on the side of
    the line with more room; so that no row reads as blank, neither a bar nor "no change"."""
    left, right = ax.get_xlim()
    tiny = UNSEEN * (right - left)
    room_right = right - base >= base - left
    for y, (_, row) in zip(ys, table.iterrows()):
        moves = [abs(row[f"{end}_mean"] - base) for end in ("low", "high") if math.isfinite(row[f"{end}_mean"])]
        if not moves or max(moves) == 0 or max(moves) >= tiny:
            continue
        said = f"high \u2212 low {_effect_alone(metric, row)}: too small to draw"
        ax.text(base, y, f"  {said}  ", ha="left" if room_right else "right", va="center", fontsize=9, color=MUTED)


def tornado(sensitivity: pd.DataFrame, scenario: Scenario) -> Figure:
    """One-at-a-time sensitivity: the metric at each parameter's low and high value, as bars
    from the base run's value, largest effect at the top, each with its mean's 95% CI as a thin
    line where the table gives it (none on a parameter that changes nothing: it would be the base
    run's). Each parameter's label gives its low and high values with their
    units and what they span (:func:`ends_label`: ``varied_over``, ±20% or an uncertain input's
    declared 95%, or the limit an end is held at); the title (:func:`tornado_finding`, the report's
    sentence too), the low and high bars' legend and that of the base run say the same, the metric
    named as capsim's words name it (:func:`capsim.words.metric_label`: "Share of reports assessed
    within 72 h").

    ``sensitivity`` is :func:`capsim.sensitivity.sensitivity`'s table (``sensitivity.csv``).
    """
    table = order_by_effect(sensitivity)
    metric = str(table["metric"].iloc[0])
    base = float(table["base_mean"].iloc[0])
    swing = swing_of(table)
    seed = int(table["seed"].iloc[0]) if "seed" in table else scenario.experiment.seed
    reps = int(table["replications"].iloc[0]) if "replications" in table else scenario.experiment.replications
    over = varied_over(table)
    title = tornado_finding(table, scenario)
    n = len(table)
    low_colour, high_colour = OKABE_ITO["blue"], OKABE_ITO["orange"]
    swung = math.isfinite(swing) and DECLARED not in set(over)  # every parameter scaled by the swing
    low_name = f"parameter × {1 - swing:g} (low)" if swung else "low value"
    high_name = f"parameter × {1 + swing:g} (high)" if swung else "high value"
    whiskers = {"low_ci_low", "low_ci_high", "high_ci_low", "high_ci_high"} <= set(table.columns)
    with styled():
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        fig = new_figure(2.6 + 0.9 * n)  # inches: each parameter two lines of label, clear of the next
        ax = fig.add_subplot(1, 1, 1)
        ys = np.arange(n)[::-1]
        for y, (_, row) in zip(ys, table.iterrows()):
            unchanged = row.low_mean == base and row.high_mean == base  # its whiskers would be the base run's
            for end, colour, offset in (("low", low_colour, 0.19), ("high", high_colour, -0.19)):
                value = row[f"{end}_mean"]
                if math.isfinite(value):
                    ax.barh(y + offset, value - base, left=base, height=0.36, color=colour, edgecolor="none")
                if whiskers and not unchanged and np.isfinite([row[f"{end}_ci_low"], row[f"{end}_ci_high"]]).all():
                    ax.plot([row[f"{end}_ci_low"], row[f"{end}_ci_high"]], [y + offset] * 2, **CI_STYLE)
            if unchanged:
                ax.text(base, y, "no change  ", ha="right", va="center", fontsize=11, color=MUTED)
        ax.axvline(base, color="black", linewidth=1.4)
        ax.set_yticks(ys, [ends_label(row, varied) for row, varied in zip(table.itertuples(), over)])
        ax.grid(axis="y", visible=False)
        drawn = ["low_mean", "high_mean"] + (["low_ci_low", "low_ci_high", "high_ci_low", "high_ci_high"]
                                             if whiskers else [])
        values = table[drawn].to_numpy(dtype=float)
        finite = np.concatenate([values[np.isfinite(values)], [base]])
        lo, hi = float(finite.min()), float(finite.max())
        pad = max((hi - lo) * 0.08, abs(base) * 0.01, 1e-9)
        if is_share(metric):
            ax.set_xlim(max(lo - pad, -0.02), min(hi + pad, 1.02))
            ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0 if hi - lo > 0.05 else 1))
        else:
            ax.set_xlim(lo - pad, hi + pad)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: plain_number(v, 4)))
        _say_unseen_effects(ax, table, ys, base, metric)
        ax.set_xlabel(metric_label(metric, scenario))
        ax.set_title("One parameter at a time; every run with the same seed", loc="left", fontsize=12, color=MUTED)
        handles = [Patch(color=low_colour, label=low_name), Patch(color=high_colour, label=high_name),
                   Line2D([], [], color="black", linewidth=1.4, label=f"base run: {value_text(metric, base)}")]
        handles += [Line2D([], [], label="95% CI of a mean", **CI_STYLE)] if whiskers else []
        legend_above(ax, handles, [h.get_label() for h in handles], ncols=len(handles))
        apply_style(fig, title, footer_text([scenario], seed, reps))
    return fig
