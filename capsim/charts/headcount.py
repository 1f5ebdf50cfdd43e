"""Headcount sweeps: run a scenario at several headcounts, and chart SLA attainment against headcount."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from capsim.charts.footer import footer_text
from capsim.charts.style import MUTED, OKABE_ITO, apply_style, new_figure, styled
from capsim.metrics import metric_range
from capsim.scenario import Scenario, load_scenario
from capsim.units import target_percent
from capsim.words import duration_text, duration_unit, is_share, items_words, metric_label, metric_words, percent, value_text


def headcount_sweep(
    scenario: str | Path | Scenario,
    team: str,
    headcounts: Sequence[int],
    replications: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
    workers: int = 1,
) -> pd.DataFrame:
    """Run the scenario at each headcount of ``team``, all under one seed (common random
    numbers), and return the summaries stacked.

    ``scenario`` is a path (loaded with ``overrides`` then ``workforce.<team>.headcount=N``)
    or a loaded :class:`Scenario` (re-loaded from its resolved source with the same).
    Columns: ``scenario``, ``team``, ``headcount``, ``metric``, ``mean``, ``ci_low``,
    ``ci_high``, ``p10``, ``p50``, ``p90``, ``seed``, ``replications``.
    """
    from capsim.experiment import simulate

    source: Any = scenario.source if isinstance(scenario, Scenario) else scenario
    base = scenario if isinstance(scenario, Scenario) else load_scenario(source, list(overrides))
    if team not in [t.team for t in base.workforce]:
        from capsim.scenario import ScenarioError

        raise ScenarioError(f"{base.name}: no team {team!r}; teams are {', '.join(t.team for t in base.workforce)}")
    seed = base.experiment.seed if seed is None else seed
    replications = base.experiment.replications if replications is None else replications
    frames = []
    for n in headcounts:
        extra = [] if isinstance(scenario, Scenario) else list(overrides)
        s = load_scenario(source, [*extra, f"workforce.{team}.headcount={int(n)}"])
        result = simulate(s, replications, seed, workers)
        frame = result.summary.copy()
        frame.insert(1, "team", team)
        frame.insert(2, "headcount", int(n))
        frame["seed"] = seed
        frame["replications"] = replications
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _headcount_column(sweep: pd.DataFrame) -> str:
    if "headcount" in sweep:
        return "headcount"
    found = [c for c in sweep.columns if str(c).endswith(".headcount")]
    if not found:
        raise KeyError("the sweep needs a 'headcount' column (or a 'workforce.<team>.headcount' grid column)")
    return found[0]


def sla_vs_headcount(sweep: pd.DataFrame, scenario: Scenario, metric: str | None = None,
                     seed: int | None = None, replications: int | None = None) -> Figure:
    """SLA attainment (or another metric) against headcount, with 95% CIs and the target line.

    ``sweep`` is :func:`headcount_sweep`'s table (or a ``capsim sweep`` summary with a
    ``workforce.<team>.headcount`` column). ``metric`` defaults to the first SLA's.
    """
    if metric is None:
        if not scenario.sla:
            raise ValueError(f"{scenario.name} has no SLA: name the metric to draw against headcount")
        metric = f"sla_{scenario.sla[0].priority}"
    column = _headcount_column(sweep)
    rows = sweep[sweep.metric == metric].sort_values(column)
    if rows.empty:
        raise KeyError(f"no metric {metric!r} in the sweep")
    seed = int(rows["seed"].iloc[0]) if seed is None and "seed" in rows else (seed or scenario.experiment.seed)
    replications = int(rows["replications"].iloc[0]) if replications is None and "replications" in rows else (
        replications or scenario.experiment.replications)
    team = str(rows["team"].iloc[0]) if "team" in rows else column.split(".")[1]
    x = rows[column].to_numpy(dtype=float)
    mean = rows["mean"].to_numpy(dtype=float)
    low = rows["ci_low"].to_numpy(dtype=float)
    high = rows["ci_high"].to_numpy(dtype=float)
    sla = next((s for s in scenario.sla if f"sla_{s.priority}" == metric), None)
    share = is_share(metric)
    low, high = np.clip(low, *metric_range(metric)), np.clip(high, *metric_range(metric))  # as in summary.csv
    current = next((t.headcount for t in scenario.workforce if t.team == team), None)

    run = set(x.astype(int))
    if sla is not None:
        meets = x[mean >= sla.target]
        sure = x[np.nan_to_num(low, nan=-1) >= sla.target]
        what = (f"the {target_percent(sla.target)} target for {items_words(scenario, sla.priority)} within "
                f"{duration_text(sla.within)}")
        if len(meets):
            fewest = int(meets.min())
            if fewest - 1 in run or fewest == int(x.min()) == 0:
                title = f"At least {fewest} in team {team} are needed to meet {what}"
            else:  # the headcount below was not run: say only what was
                title = (f"Of the headcounts run, {fewest} in team {team} is the fewest that meets {what} "
                         f"({fewest - 1} was not run)")
            if len(sure) and sure.min() != meets.min():
                title += f" ({int(sure.min())} to be 95% sure)"
        else:
            title = f"Even {int(x.max())} in team {team} fall short of {what} (best: {percent(mean.max())})"
        if current is not None and current in x:
            title += f"; today's {current} reach {value_text(metric, float(mean[x == current][0]))}"
    else:
        unit = duration_unit(mean[0], mean[-1])  # a wait's two ends in one unit
        title = (f"{metric_words(metric)} goes from {value_text(metric, mean[0], unit)} with {int(x[0])} analysts "
                 f"to {value_text(metric, mean[-1], unit)} with {int(x[-1])}")

    with styled():
        fig = new_figure(5.8)
        ax = fig.add_subplot(1, 1, 1)
        blue = OKABE_ITO["blue"]
        # a line and band join only neighbouring headcounts that were both run: never across a gap
        runs = np.split(np.arange(len(x)), np.flatnonzero(np.diff(x) != 1) + 1)
        for i, part in enumerate(runs):
            if len(part) > 1:
                ax.fill_between(x[part], np.where(np.isfinite(low), low, mean)[part],
                                np.where(np.isfinite(high), high, mean)[part], color=blue, alpha=0.25, linewidth=0,
                                label="95% CI of the mean" if i == 0 else None)
                ax.plot(x[part], mean[part], "-", color=blue)
        ax.errorbar(x, mean, yerr=np.vstack([np.nan_to_num(mean - low), np.nan_to_num(high - mean)]), fmt="o",
                    color=blue, capsize=3, label="mean over replications, 95% CI")
        if sla is not None:
            ax.axhline(sla.target, color=OKABE_ITO["vermillion"], linestyle="--", linewidth=2,
                       label=f"target {target_percent(sla.target)}")
        if current is not None:
            ax.axvline(current, color=MUTED, linestyle=":", linewidth=1.6, label=f"today: {current}")
        ax.set_xlabel(f"Analysts in team {team}")
        ax.set_ylabel(metric_label(metric) if not share else f"Share within {duration_text(sla.within)}" if sla else metric_label(metric))
        if share:
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            ax.set_ylim(max(0.0, min(np.nanmin(low) if np.isfinite(low).any() else 0, np.nanmin(mean)) - 0.05), 1.02)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.set_title(f"Each headcount run with the same seed (common random numbers), {replications} replications each",
                     loc="left", fontsize=12, color=MUTED)
        ax.legend(loc="lower right")
        apply_style(fig, title, footer_text([scenario], seed, replications))
    return fig
