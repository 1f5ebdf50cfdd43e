"""Replications of a scenario, run on local processes, gathered into results.

Each replication ``r`` of a run with seed ``s`` draws from the random streams of (s, r)
alone (:func:`capsim.engine.process_rng`), and results are gathered in replication order,
so the numbers are the same whether one worker ran them or many.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

import pandas as pd

from capsim.demand import cell_seconds, expected_reviewed
from capsim.engine import simulate_replication
from capsim.metrics import measure, metric_names
from capsim.records import BYTES_PER_ITEM
from capsim.results import summarise
from capsim.scenario import Scenario, ScenarioError, expected_arrivals
from capsim.units import SECONDS_PER_DAY
from capsim.workforce import seat_count

MEMORY_SHARE = 0.5
"""Largest share of the machine's memory a run may plan to use."""


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


def machine_memory() -> int:
    """Bytes of physical memory on this machine."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def memory_estimate(scenario: Scenario) -> tuple[float, float]:
    """Expected items reaching a human, and bytes one replication needs for its arrays.

    Counts the item rows, each team's shift plan (one byte per analyst per day) and state
    (a few numbers per analyst), and each stream's per-cell counts.
    """
    reviewed = expected_reviewed(scenario)
    days = scenario.clock.horizon / SECONDS_PER_DAY + 2
    analysts = sum(seat_count(t, scenario.clock) for t in scenario.workforce)
    cells = scenario.clock.horizon / cell_seconds(scenario.clock) * len(scenario.demand)
    return reviewed, reviewed * BYTES_PER_ITEM + analysts * (days + 64) + cells * 24


def check_size(scenario: Scenario, workers: int) -> None:
    """Refuse, before starting, a run whose arrays would not fit in memory, with its estimate."""
    reviewed, per_replication = memory_estimate(scenario)
    budget = MEMORY_SHARE * machine_memory()
    if per_replication * workers > budget:
        raise ScenarioError(
            f"{scenario.name}: this run is too large for this machine: about {expected_arrivals(scenario):.3g} items "
            f"arrive, {reviewed:.3g} of them reach a human, {sum(seat_count(t, scenario.clock) for t in scenario.workforce):,} analysts; "
            f"it needs about {per_replication / 2**30:.3g} GiB per replication × {workers} worker(s), against "
            f"{budget / 2**30:.3g} GiB available. Shorten clock.horizon, lower the rates or headcounts, "
            f"or use fewer workers."
        )


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
    check_size(scenario, workers)
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
