"""How much memory a run or a sweep will need, estimated before anything large is allocated.

The estimate is the peak resident memory of the whole command: the ``capsim`` process with
its libraries loaded, each worker process, one replication's working arrays in each process
that runs replications, and what the main process keeps of every finished replication (or
sweep task) until the tables are written. It is computed from the scenario's numbers alone
(no time grid is built for it), so that a run too large for the machine is refused in
seconds. The constants were measured on Linux/x86-64, CPython 3.11, with ``ru_maxrss`` of
``capsim run --no-report`` (tests/test_hostile_inputs.py checks the estimate against a
measured peak, within a factor 2).
"""

from __future__ import annotations

import contextlib
import math
import os
import resource
from dataclasses import dataclass
from pathlib import Path

from capsim.demand import cell_seconds, expected_reviewed
from capsim.records import BYTES_PER_ITEM
from capsim.scenario import Scenario, ScenarioError
from capsim.units import SECONDS_PER_DAY
from capsim.workforce import seat_count

MEMORY_SHARE = 0.5
"""Largest share of the machine's memory a command may plan to use."""
PROCESS_BYTES = 255 * 2**20
"""A capsim process with numpy, numba's compiled kernel, simpy and pandas loaded (measured 255 MB)."""
WORKER_BYTES = 80 * 2**20
"""Each extra worker process (measured 73 MB), before its replication's arrays."""
ITEM_BYTES = 2 * BYTES_PER_ITEM
"""Per item reaching a human: its record row, plus the temporaries of measuring it (measured ~150 B)."""
CELL_BYTES = 70
"""Per arrival-sampling cell of each stream: expected counts and their temporaries (measured 35-68 B)."""
ROW_BYTES_WORKING = 240
"""Per time-series row while one replication is measured (measured 237 B for one team)."""
ROW_BYTES_KEPT = 160
"""Per time-series row kept for each finished replication until the tables are written (measured)."""
REPLICATION_BYTES = 20 * 2**10
"""Per finished replication kept: its metrics and its small tables (measured 20 KB)."""
TASK_BYTES = 10 * 2**10
"""Per sweep task: its place in the task list, its future and its metrics once done."""
POINT_BYTES = 50 * 2**10
"""Per sweep grid point: its validated scenario (measured 48 KB for the base scenario)."""


def machine_memory() -> int:
    """Bytes of memory this process may use: the machine's physical memory, or less where the
    process's address-space limit (``ulimit -v``) or its control group's memory limit is lower."""
    limits = [os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")]
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        limits.append(soft)
    with contextlib.suppress(OSError, ValueError):
        limits.append(int(Path("/sys/fs/cgroup/memory.max").read_text().strip()))  # "max" when unlimited
    return min(limits)


def budget() -> float:
    """Bytes a command may plan to use: :data:`MEMORY_SHARE` of the memory it may use."""
    return MEMORY_SHARE * machine_memory()


@dataclass(frozen=True)
class Estimate:
    """Bytes a command will need at its peak, and the parts that make it up."""

    total: float
    parts: dict[str, float]

    def describe(self) -> str:
        """The largest parts, e.g. "time series 2.4 GiB, items 120 MiB"."""
        shown = sorted(self.parts.items(), key=lambda kv: -kv[1])[:3]
        return ", ".join(f"{name} {size_text(size)}" for name, size in shown if size > 0)


def size_text(size: float) -> str:
    """Bytes as GiB or MiB, to three significant figures."""
    return f"{size / 2**30:.3g} GiB" if size >= 2**30 else f"{size / 2**20:.3g} MiB"


def grid_sizes(scenario: Scenario) -> tuple[float, float]:
    """(arrival-sampling cells over all streams, time-series rows) of one replication, without building either."""
    clock = scenario.clock
    cells = math.ceil(clock.horizon / cell_seconds(clock)) * len(scenario.demand)
    rows = math.floor(clock.horizon / clock.step) + 1  # at least the whole steps and a shorter last one
    return float(cells), float(rows)


def replication_parts(scenario: Scenario, with_items: bool = True) -> dict[str, float]:
    """Bytes one replication needs while it runs, by part; ``with_items=False`` leaves out the
    item rows (counting them builds the arrival grid, so it comes only once the grid is known to fit)."""
    cells, rows = grid_sizes(scenario)
    teams = len(scenario.workforce)
    days = scenario.clock.horizon / SECONDS_PER_DAY + 2
    analysts = sum(seat_count(t, scenario.clock) for t in scenario.workforce)
    return {
        "time grid": cells * CELL_BYTES,
        "time series": rows * ROW_BYTES_WORKING * (1 + teams) / 2,
        "shift plans": analysts * (days + 64.0),
        "items": expected_reviewed(scenario) * ITEM_BYTES if with_items else 0.0,
    }


def run_estimate(scenario: Scenario, replications: int, workers: int, with_items: bool = True) -> Estimate:
    """Peak bytes of running ``replications`` of ``scenario`` on ``workers`` processes.

    With one worker the capsim process runs the replications itself; with more, each worker
    process holds one replication's arrays at a time while the capsim process keeps the results.
    """
    _, rows = grid_sizes(scenario)
    teams = len(scenario.workforce)
    holders = workers if workers > 1 else 1
    parts = {"capsim process": float(PROCESS_BYTES),
             "worker processes": float(workers * WORKER_BYTES if workers > 1 else 0)}
    for name, size in replication_parts(scenario, with_items).items():
        parts[name] = holders * size
    parts["results kept"] = replications * (REPLICATION_BYTES + rows * ROW_BYTES_KEPT * (1 + teams) / 2)
    return Estimate(sum(parts.values()), parts)


def check_run(scenario: Scenario, replications: int, workers: int) -> Estimate:
    """Refuse, before starting, a run whose memory would not fit on this machine; return the estimate.

    The time grid is checked first, from its size alone, so that a horizon of 100,000 years
    or a one-second step is refused before any array is built.
    """
    for with_items in (False, True):
        estimate = run_estimate(scenario, replications, workers, with_items)
        if estimate.total > budget():
            raise ScenarioError(
                f"{scenario.name}: this run is too large for this machine: it needs about "
                f"{size_text(estimate.total)} ({estimate.describe()}; {replications:,} replication(s) × "
                f"{workers} worker(s)) against {size_text(budget())} available. Shorten clock.horizon, lengthen "
                "clock.step, lower the rates or headcounts, or use fewer replications or workers."
            )
    return estimate


def default_workers(scenario: Scenario, replications: int, most: int | None = None) -> int:
    """Worker processes for a run of many replications (a staffing plan, a grant, an uncertainty
    design) when none are asked for: the cores this process may run on
    (``os.sched_getaffinity``), at most one per replication (or at most ``most``: a sweep's
    tasks, each one replication of a grid point), and no more than fit in memory
    (:func:`run_estimate` within :func:`budget`, as :func:`check_run` checks them). At least 1."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = max(1, min(cores, replications if most is None else most))
    while workers > 1 and any(run_estimate(scenario, replications, workers, items).total > budget()
                              for items in (False, True)):  # the time grid first, as check_run
        workers -= 1
    return workers


def check_sweep(points: int, replications: int, workers: int) -> None:
    """Refuse, before any point is validated, a sweep whose task list and results would not fit."""
    parts = {"capsim process": PROCESS_BYTES, "grid points": points * POINT_BYTES,
             "tasks": points * replications * TASK_BYTES, "worker processes": max(workers - 1, 0) * WORKER_BYTES}
    estimate = Estimate(sum(parts.values()), parts)
    if estimate.total > budget():
        raise ScenarioError(
            f"this sweep is too large for this machine: {points:,} grid point(s) × {replications:,} replication(s) = "
            f"{points * replications:,} tasks need about {size_text(estimate.total)} ({estimate.describe()}) against "
            f"{size_text(budget())} available. Use fewer values per --grid key or fewer replications."
        )
