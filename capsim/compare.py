"""Comparing scenarios fairly: common random numbers and paired differences.

Scenarios compared under one seed share every random stream they have in common (the same
arrivals, review times and absences wherever the streams and teams have the same names), so
replication ``r`` of each sees the same world and differs only in what the scenarios change.
The difference of a metric against the first scenario is therefore taken replication by
replication, and its confidence interval is that of the mean paired difference — far
narrower than comparing two independent intervals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from capsim.experiment import SimulationResult
from capsim.metrics import metric_range
from capsim.results import mean_ci

COMPARISON_COLUMNS = ["scenario", "metric", "mean", "ci_low", "ci_high", "difference", "difference_ci_low",
                      "difference_ci_high"]


def compare(results: list[SimulationResult]) -> pd.DataFrame:
    """Each metric per scenario with its CI, and its paired difference against the first scenario.

    Every result must have the same seed and number of replications (otherwise the pairing
    would be meaningless and ``ValueError`` says so). Metrics missing from a scenario are
    left out of the comparison.
    """
    first = results[0]
    for other in results[1:]:
        if (other.seed, other.replications) != (first.seed, first.replications):
            raise ValueError(
                f"{other.scenario.name} ran with seed {other.seed} and {other.replications} replications, "
                f"{first.scenario.name} with seed {first.seed} and {first.replications}: pairs need both equal"
            )
    shared = [m for m in first.summary.metric if all(m in r.per_replication for r in results)]
    rows = []
    for result in results:
        for metric in shared:
            values = result.per_replication[metric].to_numpy(dtype=float)
            paired = values - first.per_replication[metric].to_numpy(dtype=float)
            rows.append([result.scenario.name, metric, *mean_ci(values, bounds=metric_range(metric)), *mean_ci(paired)])
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


def unpaired_ci(a: np.ndarray, b: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Welch confidence interval for mean(b) − mean(a) as if the runs were independent (for contrast)."""
    from scipy import stats

    a, b = np.asarray(a, float), np.asarray(b, float)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = np.sqrt(va + vb)
    dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1)) if se > 0 else 1
    half = stats.t.ppf(0.5 + level / 2, dof) * se
    diff = b.mean() - a.mean()
    return float(diff - half), float(diff + half)
