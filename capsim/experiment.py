"""Replications of a scenario, run on local processes, gathered into results.

Each replication ``r`` of a run with seed ``s`` draws from the random streams of (s, r)
alone (:func:`capsim.engine.process_rng`), and results are gathered in replication order,
so the numbers are the same whether one worker ran them or many.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

import pandas as pd

from capsim.engine import simulate_replication
from capsim.metrics import measure, metric_names
from capsim.memory import check_run
from capsim.results import summarise
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

    def metric(self, name: str) -> float:
        """Mean of one metric over the replications."""
        row = self.summary[self.summary.metric == name]
        if row.empty:
            raise KeyError(f"no metric {name!r}; metrics are {', '.join(self.summary.metric)}")
        return float(row["mean"].iloc[0])


def run_one(scenario: Scenario, seed: int, replication: int) -> tuple[dict[str, float], pd.DataFrame]:
    """Simulate and measure one replication (picklable, for worker processes)."""
    metrics, series = measure(scenario, simulate_replication(scenario, seed, replication))
    series.insert(0, "replication", replication)
    return metrics, series


def check_size(scenario: Scenario, workers: int, replications: int = 1) -> None:
    """Refuse, before starting, a run whose memory would not fit on this machine (:mod:`capsim.memory`)."""
    check_run(scenario, replications, workers)


def simulate(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> SimulationResult:
    """Run ``replications`` of ``scenario`` (defaults from its ``experiment:`` section).

    ``workers`` local processes share the replications; ``progress(done, total)`` is called
    as each one finishes.
    """
    replications = scenario.experiment.replications if replications is None else replications
    seed = scenario.experiment.seed if seed is None else seed
    if replications < 1 or workers < 1:
        raise ScenarioError("replications and workers must be at least 1")
    workers = min(workers, replications)
    check_size(scenario, workers, replications)
    outcomes: dict[int, tuple[dict[str, float], pd.DataFrame]] = {}
    if workers == 1:
        for r in range(replications):
            outcomes[r] = run_one(scenario, seed, r)
            if progress:
                progress(len(outcomes), replications)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(run_one, scenario, seed, r): r for r in range(replications)}
            for future in as_completed(futures):
                outcomes[futures[future]] = future.result()
                if progress:
                    progress(len(outcomes), replications)
    per_replication = pd.DataFrame([outcomes[r][0] for r in range(replications)])
    per_replication.insert(0, "replication", range(replications))
    series = pd.concat([outcomes[r][1] for r in range(replications)], ignore_index=True)
    series.insert(0, "scenario", scenario.name)
    summary = summarise(scenario.name, per_replication, metric_names(scenario))
    return SimulationResult(scenario, seed, replications, summary, per_replication, series)
