"""The charts of one run, by file stem (the set a run's folder and its report hold)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from capsim.charts.ai_share import ai_share
from capsim.charts.backlog import backlog_fan
from capsim.charts.by_year import by_year
from capsim.charts.exposure_hours import exposure
from capsim.charts.waits import time_to_assessment

if TYPE_CHECKING:  # pragma: no cover
    from capsim.experiment import SimulationResult


def run_chart_stems(result: SimulationResult) -> list[str]:
    """The file stems of :func:`run_charts`, in its order: ``backlog``, ``time_to_assessment``,
    ``exposure``; with results per calendar year, ``by_year``, and ``ai_share`` if any stream has
    AI-generated items."""
    stems = ["backlog", "time_to_assessment", "exposure"]
    if not result.period_summary.empty:
        stems.append("by_year")
        if any(stream.mix.ai_generated > 0 for stream in result.scenario.demand):
            stems.append("ai_share")
    return stems


MAKERS: dict[str, Callable[[SimulationResult], Figure]] = {
    "backlog": lambda r: backlog_fan(r.timeseries, r.scenario, r.seed),
    "time_to_assessment": lambda r: time_to_assessment(r.per_replication, r.scenario, r.seed),
    "exposure": lambda r: exposure(r.per_replication, r.scenario, r.seed),
    "by_year": by_year,
    "ai_share": ai_share,
}
"""How each chart of a run is made from its result, by file stem."""


def run_chart(result: SimulationResult, stem: str) -> Figure:
    """The chart of one run with file stem ``stem`` (one of :func:`run_chart_stems`)."""
    if stem not in MAKERS:
        raise ValueError(f"{stem}: no chart of a run by that name; they are {', '.join(MAKERS)}")
    return MAKERS[stem](result)


def run_charts(result: SimulationResult) -> dict[str, Figure]:
    """The charts of one run, by file stem (:func:`run_chart_stems`)."""
    return {stem: run_chart(result, stem) for stem in run_chart_stems(result)}
