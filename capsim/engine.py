"""The simulation of one replication: simpy for what happens over time, a compiled loop between.

simpy runs the things that really act over time — a daily arrival batch per scenario and one
roster process per team, which starts each shift. At each of these decision points the
engine first lets every team's queue move up to that moment (:func:`capsim.kernel.assign`),
then applies the change: new items join their queues, or a shift's analysts come on duty
with their exposure counter at zero. Nothing else can change what analysts do between two
decision points, so the compiled loop decides exactly what a per-item event model would.

Times are seconds from midnight of the scenario's start date.
"""

from __future__ import annotations

import zlib

import numpy as np
import simpy

from capsim.demand import STAGES, StreamSource, cell_seconds, expected_reviewed
from capsim.kernel import assign
from capsim.records import ItemTable, Replication
from capsim.scenario import Scenario
from capsim.units import SECONDS_PER_DAY
from capsim.workforce import ShiftPlan, shift_plan

BATCH_SECONDS = SECONDS_PER_DAY
"""Arrivals are drawn a day at a time (the batch is part of the model's random-number use)."""


def process_rng(seed: int, replication: int, process: str) -> np.random.Generator:
    """The random stream of one stochastic process in one replication.

    Derived from the scenario seed, the replication number and the process's name (not its
    position), so two scenarios that share a process share its draws (common random
    numbers), and a result never depends on which worker ran it.
    """
    key = (replication, zlib.crc32(process.encode()))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


class TeamQueue:
    """One team: its queues (one per priority, holding item ids) and its analysts' state."""

    def __init__(self, scenario: Scenario, index: int, plan: ShiftPlan):
        team = scenario.workforce[index]
        self.plan = plan
        self.queue = np.empty((len(scenario.priorities), 1024), dtype=np.int64)
        self.qhead = np.zeros(len(scenario.priorities), dtype=np.int64)
        self.qtail = np.zeros(len(scenario.priorities), dtype=np.int64)
        self.free_at = np.zeros(team.headcount)
        self.shift_end = np.full(team.headcount, -np.inf)
        self.exposure = np.zeros(team.headcount)
        cap = team.exposure_cap if team.exposure_cap is not None else np.inf
        self.cap = np.full(team.headcount, cap)

    def enqueue(self, priority: int, ids: np.ndarray) -> None:
        """Append item ids (in arrival order, all arriving after those queued) to a priority's queue."""
        head, tail = self.qhead[priority], self.qtail[priority]
        width = self.queue.shape[1]
        if tail + len(ids) > width:
            live = self.queue[:, :]
            if head > 0:  # drop the served prefix of this priority's row
                live[priority, : tail - head] = live[priority, head:tail]
                self.qhead[priority], self.qtail[priority] = 0, tail - head
                head, tail = 0, tail - head
            if tail + len(ids) > width:
                grown = np.empty((self.queue.shape[0], max(2 * width, tail + len(ids))), dtype=np.int64)
                grown[:, :width] = self.queue
                self.queue = grown
        self.queue[priority, tail : tail + len(ids)] = ids
        self.qtail[priority] = tail + len(ids)

    def start_shift(self, shift: int) -> None:
        """Bring the analysts present for ``shift`` on duty, exposure counters at zero."""
        present = self.plan.present[shift]
        begin, end = self.plan.start[shift], self.plan.end[shift]
        self.free_at[present] = np.maximum(self.free_at[present], begin)
        self.shift_end[present] = end
        self.exposure[present] = 0.0
        self.shift_end[~present] = -np.inf


class Simulation:
    """One replication of a scenario, from its seed to its :class:`~capsim.records.Replication`."""

    def __init__(self, scenario: Scenario, seed: int, replication: int = 0):
        self.scenario = scenario
        self.items = ItemTable(capacity=expected_reviewed(scenario))
        rng = lambda name: process_rng(seed, replication, name)  # noqa: E731
        self.sources = [
            StreamSource(scenario, i, {stage: rng(f"{stage}:{s.stream}") for stage in STAGES})
            for i, s in enumerate(scenario.demand)
        ]
        self.teams = [
            TeamQueue(scenario, i, shift_plan(t, scenario.clock, rng(f"shrinkage:{t.team}")))
            for i, t in enumerate(scenario.workforce)
        ]
        team_index = {t.team: i for i, t in enumerate(scenario.workforce)}
        self.stream_team = np.array([team_index[scenario.team_of(s)] for s in scenario.demand], dtype=np.int16)
        self.stream_priority = np.array([scenario.priorities.index(s.priority) for s in scenario.demand], dtype=np.int8)
        self.env = simpy.Environment()

    def advance(self, t: float) -> None:
        """Let every team's queue move up to time ``t`` (decisions strictly before ``t``)."""
        items = self.items
        for team in self.teams:
            assign(t, items.arrival, items.service, items.deadline, items.start, items.analyst,
                   team.queue, team.qhead, team.qtail, team.free_at, team.shift_end, team.exposure, team.cap)

    def _arrivals(self):
        horizon = self.scenario.clock.horizon
        while self.env.now < horizon:
            t0 = self.env.now
            t1 = min(t0 + BATCH_SECONDS, horizon)
            self.advance(t0)
            self._admit([source.draw(t0, t1) for source in self.sources])
            yield self.env.timeout(t1 - t0)

    def _admit(self, batches) -> None:
        """Add one batch window's items from every stream to the table and to their queues."""
        batches = [b for b in batches if len(b)]
        if not batches:
            return
        columns = {name: np.concatenate([getattr(b, name) for b in batches])
                   for name in ("arrival", "service", "deadline", "flags", "stream")}
        if len(batches) > 1:  # merge the streams' sorted runs into one arrival order
            order = np.argsort(columns["arrival"], kind="stable")
            columns = {name: column[order] for name, column in columns.items()}
        stream = columns["stream"]
        team_of, prio_of = self.stream_team[stream], self.stream_priority[stream]
        ids = self.items.append(team=team_of, priority=prio_of, **columns)
        for t, team in enumerate(self.teams):
            for p in range(team.queue.shape[0]):
                if len(batches) == 1:
                    mine = ids if (team_of[0] == t and prio_of[0] == p) else ids[:0]
                else:
                    mine = ids[(team_of == t) & (prio_of == p)]
                if len(mine):
                    team.enqueue(p, mine)

    def _roster(self, team: TeamQueue):
        for shift, begin in enumerate(team.plan.start):
            yield self.env.timeout(begin - self.env.now)
            self.advance(begin)
            team.start_shift(shift)

    def run(self) -> Replication:
        """Simulate to the horizon and return the records."""
        self.env.process(self._arrivals())
        for team in self.teams:
            self.env.process(self._roster(team))
        horizon = self.scenario.clock.horizon
        self.env.run(until=horizon)
        self.advance(horizon)
        return Replication(
            items=self.items.frozen(),
            horizon=horizon,
            warmup=self.scenario.clock.warmup,
            cell_seconds=cell_seconds(self.scenario.clock),
            arrived_per_cell=np.stack([s.arrived_per_cell for s in self.sources]),
            cleared_per_cell=np.stack([s.cleared_per_cell for s in self.sources]),
            stream_team=self.stream_team,
            shifts=[t.plan for t in self.teams],
        )


def simulate_replication(scenario: Scenario, seed: int, replication: int = 0) -> Replication:
    """Run one replication of ``scenario`` with the random streams of (seed, replication)."""
    return Simulation(scenario, seed, replication).run()
