"""Results across replications: tidy tables with confidence intervals.

``summary`` has one row per scenario × metric: the mean over replications, a 95% confidence
interval for that mean (Student t on the replication means — replications are independent
and identically distributed), and the 10th, 50th and 90th percentiles across replications
(the spread of outcomes one run could show). With one replication the interval is not
defined and is left empty (NaN).

**Intervals respect the range.** A metric's interval is clipped to the values it can take
(:func:`capsim.metrics.metric_range`): at 0 below for counts, hours, costs and times, and
at 1 above for shares (``p_wait``, ``sla_*``). Near a bound the Student-t interval is then
one-sided there; every output with intervals (summary, comparison, budget, staffing plan)
clips the same way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import stdtrit  # the t quantile scipy.stats uses; scipy.stats itself takes a second to import

from capsim.metrics import metric_range

SUMMARY_COLUMNS = ["scenario", "metric", "mean", "ci_low", "ci_high", "p10", "p50", "p90"]
PERIOD_SUMMARY_COLUMNS = ["scenario", "period", "metric", "mean", "ci_low", "ci_high", "p10", "p50", "p90"]
"""summary.csv: the summary of the whole run (period ``all``) and of each calendar period (:mod:`capsim.periods`)."""


def mean_ci(values: np.ndarray, level: float = 0.95,
            bounds: tuple[float, float] = (-np.inf, np.inf)) -> tuple[float, float, float]:
    """Mean of ``values`` and the two-sided Student-t confidence interval for it (NaNs ignored),
    clipped to ``bounds`` (the values the quantity can take). Values all the same (a cost fixed by
    the scenario, say) give that value three times, exactly: their float mean and spread would
    differ from it in the last bits and read as an interval."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return float("nan"), float("nan"), float("nan")
    if len(values) > 1 and values.min() == values.max():
        same = float(np.clip(values[0], *bounds))
        return same, same, same
    mean = float(values.mean())
    if len(values) < 2:
        return mean, float("nan"), float("nan")
    half = stdtrit(len(values) - 1, 0.5 + level / 2) * values.std(ddof=1) / np.sqrt(len(values))
    low, high = np.clip([mean - half, mean + half], *bounds)
    return mean, float(low), float(high)


def summarise(scenario: str, per_replication: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """The summary table from a (replication × metric) table of one scenario (intervals within each metric's range)."""
    rows = []
    for metric in metrics:
        values = per_replication[metric].to_numpy(dtype=float)
        finite = values[~np.isnan(values)]
        mean, low, high = mean_ci(values, bounds=metric_range(metric))
        p10, p50, p90 = np.percentile(finite, [10, 50, 90]) if len(finite) else (np.nan,) * 3
        rows.append([scenario, metric, mean, low, high, p10, p50, p90])
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def summarise_periods(scenario: str, per_period: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """:func:`summarise` of each period, in order of first appearance, from a ((replication,
    period) × metric) table: :data:`PERIOD_SUMMARY_COLUMNS` (empty table for no periods)."""
    if per_period.empty:
        return pd.DataFrame(columns=PERIOD_SUMMARY_COLUMNS)
    tables = []
    for label, rows in per_period.groupby("period", sort=False):
        table = summarise(scenario, rows, metrics)
        table.insert(1, "period", label)
        tables.append(table)
    return pd.concat(tables, ignore_index=True)
