"""Results across replications: tidy tables with confidence intervals.

``summary`` has one row per scenario × metric: the mean over replications, a 95% confidence
interval for that mean (Student t on the replication means — replications are independent
and identically distributed), and the 10th, 50th and 90th percentiles across replications
(the spread of outcomes one run could show). With one replication the interval is not
defined and is left empty (NaN).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

SUMMARY_COLUMNS = ["scenario", "metric", "mean", "ci_low", "ci_high", "p10", "p50", "p90"]


def mean_ci(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean of ``values`` and the two-sided Student-t confidence interval for it (NaNs ignored)."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(values.mean())
    if len(values) < 2:
        return mean, float("nan"), float("nan")
    half = stats.t.ppf(0.5 + level / 2, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
    return mean, float(mean - half), float(mean + half)


def summarise(scenario: str, per_replication: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """The summary table from a (replication × metric) table of one scenario."""
    rows = []
    for metric in metrics:
        values = per_replication[metric].to_numpy(dtype=float)
        finite = values[~np.isnan(values)]
        mean, low, high = mean_ci(values)
        p10, p50, p90 = np.percentile(finite, [10, 50, 90]) if len(finite) else (np.nan,) * 3
        rows.append([scenario, metric, mean, low, high, p10, p50, p90])
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
