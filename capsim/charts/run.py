"""The charts of one run, by file stem (the set a run's folder and its report hold)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from capsim.charts.ai_share import ai_share
from capsim.charts.backlog import backlog_fan
from capsim.charts.by_year import by_year
from capsim.charts.exposure_hours import exposure
from capsim.charts.waits import time_to_assessment

if TYPE_CHECKING:  # pragma: no cover
    from capsim.experiment import SimulationResult


def run_charts(result: SimulationResult) -> dict[str, Figure]:
    """The charts of one run, by file stem: ``backlog``, ``time_to_assessment``, ``exposure``;
    with results per calendar year, ``by_year``, and ``ai_share`` if any stream has
    AI-generated items."""
    s, seed = result.scenario, result.seed
    figs = {
        "backlog": backlog_fan(result.timeseries, s, seed),
        "time_to_assessment": time_to_assessment(result.per_replication, s, seed),
        "exposure": exposure(result.per_replication, s, seed),
    }
    if not result.period_summary.empty:
        figs["by_year"] = by_year(result)
        if any(stream.mix.ai_generated > 0 for stream in s.demand):
            figs["ai_share"] = ai_share(result)
    return figs
