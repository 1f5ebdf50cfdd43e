"""Checking a scenario against the published figures it declares as calibration targets.

A target passes when the mean of its metric over the replications lies within the allowed
range: ``published × (1 ± tolerance)``, or the central 95% interval of a binomial count
with ``n`` = the ``binomial_of`` figure and ``p`` = published / n (the spread a count of
that size would show by chance alone).
"""

from __future__ import annotations

import pandas as pd

from capsim.calibration import binomial_interval, value_of
from capsim.experiment import SimulationResult

TARGET_COLUMNS = ["metric", "published_id", "published", "mean", "ci_low", "ci_high", "allowed_low",
                  "allowed_high", "passed"]


def check_targets(result: SimulationResult) -> pd.DataFrame:
    """One row per calibration target of the scenario: published value, simulated mean with CI, verdict."""
    summary = result.summary.set_index("metric")
    rows = []
    for target in result.scenario.targets:
        published = value_of(target.published)
        if target.tolerance is not None:
            low, high = published * (1 - target.tolerance), published * (1 + target.tolerance)
        else:
            n = round(value_of(target.binomial_of))
            low, high = binomial_interval(n, published / n)
        row = summary.loc[target.metric]
        rows.append([target.metric, target.published, published, row["mean"], row.ci_low, row.ci_high,
                     low, high, bool(low <= row["mean"] <= high)])
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)
