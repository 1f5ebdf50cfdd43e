"""Replications of a scenario, run on local processes, gathered into results.

Each replication ``r`` of a run with seed ``s`` draws from the random streams of (s, r)
alone (:func:`capsim.engine.process_rng`), and results are gathered in replication order,
so the numbers are the same whether one worker ran them or many.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, as_completed
from contextlib import nullcontext
from dataclasses import dataclass, field

import pandas as pd

from capsim.engine import simulate_replication
from capsim.metrics import analyst_shifts, backlogs, measure, metric_names, replication_metrics, window_counts
from capsim.pool import worker_pool
from capsim.periods import WHOLE_RUN, Granularity, Measures, boundaries, calendar_periods, period_metrics
from capsim.memory import check_run
from capsim.records import Replication
from capsim.results import summarise, summarise_periods
from capsim.scenario import Scenario, ScenarioError


@dataclass
class SimulationResult:
    """What a run produced: tidy tables, as written to ``summary.csv`` and ``timeseries.csv``."""

    scenario: Scenario
    seed: int
    replications: int
    summary: pd.DataFrame
    per_replication: pd.DataFrame
    timeseries: pd.DataFrame
    per_period: pd.DataFrame = field(default_factory=pd.DataFrame)
    """(replication, period) × metric: each replication's metrics per calendar period (empty if none were asked for)."""
    period_summary: pd.DataFrame = field(default_factory=pd.DataFrame)
    """:data:`~capsim.results.PERIOD_SUMMARY_COLUMNS`: the summary of each calendar period (no ``all`` rows)."""

    def metric(self, name: str) -> float:
        """Mean of one metric over the replications."""
        row = self.summary[self.summary.metric == name]
        if row.empty:
            raise KeyError(f"no metric {name!r}; metrics are {', '.join(self.summary.metric)}")
        return float(row["mean"].iloc[0])

    def summary_by_period(self) -> pd.DataFrame:
        """The summary of the whole run (period ``all``) then of each calendar period, with a
        ``period`` column (:data:`~capsim.results.PERIOD_SUMMARY_COLUMNS`): summary.csv."""
        whole = self.summary.copy()
        whole.insert(1, "period", WHOLE_RUN)
        return pd.concat([whole, self.period_summary], ignore_index=True) if len(self.period_summary) else whole


def run_one(scenario: Scenario, seed: int, replication: int) -> tuple[dict[str, float], pd.DataFrame]:
    """Simulate and measure one replication (picklable, for worker processes)."""
    metrics, series, _ = run_measured(scenario, seed, replication)
    return metrics, series


def run_measured(scenario: Scenario, seed: int, replication: int, periods: Granularity | None = None,
                 series: bool = True, measures: Measures = "all"
                 ) -> tuple[dict[str, float], pd.DataFrame, dict[str, dict[str, float]]]:
    """Simulate one replication: its metrics, its time series and, with ``periods``, its metrics
    per calendar period (:func:`measure_replication`; picklable, for worker processes)."""
    return measure_replication(scenario, simulate_replication(scenario, seed, replication), replication, periods,
                               series, measures)


def measure_replication(scenario: Scenario, rep: Replication, replication: int = 0,
                        periods: Granularity | None = None, series: bool = True, measures: Measures = "all"
                        ) -> tuple[dict[str, float], pd.DataFrame, dict[str, dict[str, float]]]:
    """Measure replication number ``replication``, ``rep``: its metrics, its time series and, with
    ``periods``, its metrics per calendar period (:func:`capsim.periods.period_metrics`, every metric
    or, with ``measures`` ``"staffing"``, the staffing ones). Without ``series`` the time series is not
    built (an empty frame in its place)."""
    # the whole run's item counts and every period's, in one pass (one period is the whole run: not counted again)
    several = calendar_periods(scenario, periods) if periods else []
    bounds = boundaries(several) if len(several) > 1 else ()
    tallies, rows = window_counts(scenario, rep, bounds)  # and where each period's rows are
    backlog = backlogs(rep, bounds)  # and every backlog at the start and at most, in one pass
    # the analyst-shifts with review, found once for the whole run's exposure and every period's
    reviewed = analyst_shifts(rep) if len(several) > 1 and measures == "all" else None
    if series:
        metrics, frame = measure(scenario, rep, tallies[0], backlog[0], reviewed)
        frame.insert(0, "replication", replication)
    else:
        metrics = replication_metrics(scenario, rep, tallies=tallies[0], backlog=backlog[0], reviewed=reviewed)
        frame = pd.DataFrame()
    by_period = (tallies[1:], backlog[1:], rows) if len(several) > 1 else (None, None, None)
    return metrics, frame, period_metrics(scenario, rep, periods, metrics, *by_period,
                                          measures=measures, reviewed=reviewed) if periods else {}


def check_size(scenario: Scenario, workers: int, replications: int = 1) -> None:
    """Refuse, before starting, a run whose memory would not fit on this machine (:mod:`capsim.memory`)."""
    check_run(scenario, replications, workers)


def simulate(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    periods: Granularity | None = "year",
    executor: Executor | None = None,
) -> SimulationResult:
    """Run ``replications`` of ``scenario`` (defaults from its ``experiment:`` section).

    ``workers`` local processes share the replications; ``progress(done, total)`` is called
    as each one finishes. ``periods`` ("year", "quarter" or None) also measures each
    calendar period (:mod:`capsim.periods`): ``per_period`` and ``period_summary``.
    ``executor``: worker processes kept by the caller (the web page's, :mod:`capsim.web.workers`),
    used, and left running, instead of ``workers`` processes started for this run alone.
    """
    replications = scenario.experiment.replications if replications is None else replications
    seed = scenario.experiment.seed if seed is None else seed
    if replications < 1 or workers < 1:
        raise ScenarioError("replications and workers must be at least 1")
    workers = min(workers, replications)
    check_size(scenario, workers, replications)
    outcomes: dict[int, tuple[dict[str, float], pd.DataFrame, dict[str, dict[str, float]]]] = {}
    if workers == 1:
        for r in range(replications):
            outcomes[r] = run_measured(scenario, seed, r, periods)
            if progress:
                progress(len(outcomes), replications)
    else:
        with nullcontext(executor) if executor is not None else worker_pool(workers) as pool:
            futures = {pool.submit(run_measured, scenario, seed, r, periods): r for r in range(replications)}
            for future in as_completed(futures):
                outcomes[futures[future]] = future.result()
                if progress:
                    progress(len(outcomes), replications)
    per_replication = pd.DataFrame([outcomes[r][0] for r in range(replications)])
    per_replication.insert(0, "replication", range(replications))
    series = pd.concat([outcomes[r][1] for r in range(replications)], ignore_index=True)
    series.insert(0, "scenario", scenario.name)
    names = metric_names(scenario)
    summary = summarise(scenario.name, per_replication, names)
    per_period = pd.DataFrame([{"replication": r, "period": label, **values}
                               for r in range(replications) for label, values in outcomes[r][2].items()])
    return SimulationResult(scenario, seed, replications, summary, per_replication, series, per_period,
                            summarise_periods(scenario.name, per_period, names))
