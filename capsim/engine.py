"""The simulation of one replication: simpy for what happens over time, a compiled loop between.

simpy runs the things that really act over time — a daily arrival batch and one roster
process per team, which starts each shift. At each of these decision points the engine lets
every team's queue move up to that moment (:func:`capsim.kernel.assign`), team by team in
referral order, and then applies the change: new items join their queues, or a shift's
analysts come on duty with their exposure counter at zero.

Referrals: once a team has *finished* assessing an item, the routing rules may send it on
to another team (a police unit, victim identification) as a new row whose arrival is that
finishing time. Teams move in referral order at every decision point, so a receiving team
always knows every referral that reached it before it decides anything.

Times are seconds from midnight of the scenario's start date.
"""

from __future__ import annotations

import zlib

import numpy as np
import simpy

from capsim.demand import FLAG_CRIMINAL, FLAGS, STAGES, StreamSource, cell_seconds, draw_review_times, expected_reviewed
from capsim.kernel import assign
from capsim.records import ItemTable, Replication
from capsim.scenario import Route, Scenario
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
    """One team: its queues and its analysts' state.

    There is one queue per priority and source (the team's own streams, and each team that
    refers items to it), so that each queue stays in arrival order; the kernel serves
    priorities in order and, within a priority, the earliest arrival across sources.
    """

    def __init__(self, scenario: Scenario, index: int, plan: ShiftPlan):
        team = scenario.workforce[index]
        self.plan = plan
        sources = [None] + sorted({r.source for r in scenario.routing if r.to == team.team})
        self.queue_of = {(p, src): q for q, (p, src) in
                         enumerate((p, src) for p in range(len(scenario.priorities)) for src in sources)}
        self.queue = np.empty((len(self.queue_of), 1024), dtype=np.int64)
        self.qhead = np.zeros(len(self.queue_of), dtype=np.int64)
        self.qtail = np.zeros(len(self.queue_of), dtype=np.int64)
        self.qrank = np.array([p for (p, _) in self.queue_of], dtype=np.int64)
        headcount = plan.present.shape[1]
        self.free_at = np.zeros(headcount)
        self.shift_end = np.full(headcount, -np.inf)
        self.exposure = np.zeros(headcount)
        cap = team.exposure_cap if team.exposure_cap is not None else np.inf
        wellbeing = scenario.tooling.wellbeing
        if wellbeing.enabled and wellbeing.exposure_cap is not None:
            cap = wellbeing.exposure_cap
        self.cap = np.full(headcount, cap)
        self.pace = np.ones(headcount)
        self.carry_over = team.carry_over
        self.remaining = np.zeros(headcount)  # seconds of work carried to the next shift
        self.carried = np.full(headcount, -1, dtype=np.int64)  # the item that work belongs to
        self.unfinished = np.zeros(0, dtype=np.int64)  # started, not yet known to have finished

    def enqueue(self, queue: int, ids: np.ndarray) -> None:
        """Append item ids (in arrival order, none earlier than those queued) to one queue."""
        head, tail = self.qhead[queue], self.qtail[queue]
        width = self.queue.shape[1]
        if tail + len(ids) > width:
            if head > 0:  # drop the served prefix of this queue
                self.queue[queue, : tail - head] = self.queue[queue, head:tail]
                self.qhead[queue], self.qtail[queue] = 0, tail - head
                head, tail = 0, tail - head
            if tail + len(ids) > width:
                grown = np.empty((self.queue.shape[0], max(2 * width, tail + len(ids))), dtype=np.int64)
                grown[:, :width] = self.queue
                self.queue = grown
        self.queue[queue, tail : tail + len(ids)] = ids
        self.qtail[queue] = tail + len(ids)

    def start_shift(self, shift: int, item_end: np.ndarray) -> None:
        """Bring the analysts present for ``shift`` on duty, exposure counters at zero.

        Work carried over from an earlier shift comes first: it ends this shift if it fits
        (``item_end`` of its item is set then), and otherwise fills it and carries on.
        """
        present = self.plan.present[shift]
        begin, end = self.plan.start[shift], self.plan.end[shift]
        self.free_at[present] = np.maximum(self.free_at[present], begin)
        self.shift_end[present] = end
        self.exposure[present] = 0.0
        self.pace[present] = self.plan.pace[shift, present]
        self.shift_end[~present] = -np.inf
        for a in np.flatnonzero(present & (self.remaining > 0)):
            work = min(self.remaining[a], end - begin)
            self.remaining[a] -= work
            self.exposure[a] = work
            self.free_at[a] = begin + work
            if self.remaining[a] == 0:
                item_end[self.carried[a]] = begin + work
                self.carried[a] = -1


class Simulation:
    """One replication of a scenario, from its seed to its :class:`~capsim.records.Replication`."""

    def __init__(self, scenario: Scenario, seed: int, replication: int = 0):
        self.scenario = scenario
        self.items = ItemTable(capacity=expected_reviewed(scenario))
        self.rng = lambda name: process_rng(seed, replication, name)
        self.sources = [
            StreamSource(scenario, i, {stage: self.rng(f"{stage}:{s.stream}") for stage in STAGES})
            for i, s in enumerate(scenario.demand)
        ]
        self.teams = [
            TeamQueue(scenario, i, shift_plan(t, scenario.clock, self.rng(f"shrinkage:{t.team}")))
            for i, t in enumerate(scenario.workforce)
        ]
        self.team_index = {t.team: i for i, t in enumerate(scenario.workforce)}
        self.order = scenario.team_order()
        self.stream_team = np.array([self.team_index[scenario.team_of(s)] for s in scenario.demand], dtype=np.int16)
        self.routes = {i: [r for r in scenario.routing if self.team_index[r.source] == i] for i in self.order}
        self.confirmed = np.zeros(len(scenario.demand), dtype=np.int64)  # criminal items confirmed, per stream
        self.route_rng = {(r.source, r.to): self.rng(f"routing:{r.source}->{r.to}") for r in scenario.routing}
        self.task_rng = {t.team: self.rng(f"task:{t.team}") for t in scenario.workforce}
        learning = scenario.tooling.hash_matching.enabled and any(s.recirculation > 0 for s in scenario.demand)
        self.follow_up = {i: learning or bool(self.routes[i]) for i in self.order}  # what finishing feeds
        self.env = simpy.Environment()

    # ------------------------------------------------------------------ decision points

    def advance(self, t: float) -> None:
        """Let every team's queue move up to time ``t`` (decisions strictly before ``t``)."""
        for index in self.order:
            team = self.teams[index]
            heads = team.qhead.copy()
            items = self.items
            assign(t, items.arrival, items.service, items.deadline, items.start, items.end, items.analyst,
                   team.queue, team.qhead, team.qtail, team.qrank, team.free_at, team.shift_end,
                   team.exposure, team.cap, team.pace, team.carry_over, team.remaining, team.carried)
            if self.follow_up[index]:
                self._finish(index, team, heads, t)

    def _finish(self, index: int, team: TeamQueue, heads: np.ndarray, t: float) -> None:
        """Pass on what the team finished by ``t``: hash-list learning and referrals."""
        taken = [team.queue[q, heads[q]:team.qhead[q]] for q in range(len(heads)) if team.qhead[q] > heads[q]]
        if not taken and not len(team.unfinished):
            return
        unfinished = np.concatenate([team.unfinished, *taken])
        items = self.items
        unfinished = unfinished[np.isfinite(items.start[unfinished])]  # drop those that expired
        done = items.end[unfinished] <= t
        finished, team.unfinished = unfinished[done], unfinished[~done]
        if not len(finished):
            return
        finished = finished[np.argsort(items.end[finished], kind="stable")]
        direct = finished[items.parent[finished] < 0]  # a referral confirmed again is not listed twice
        confirmed = direct[(items.flags[direct] & FLAG_CRIMINAL) > 0]
        np.add.at(self.confirmed, items.stream[confirmed], 1)
        for route in self.routes[index]:
            self._refer(route, finished)

    def _refer(self, route: Route, finished: np.ndarray) -> None:
        """Send the finished items that match ``route`` to its team, arriving when they finished."""
        items = self.items
        flags = items.flags[finished]
        match = np.ones(len(finished), dtype=bool)
        for attribute, wanted in route.when.items():
            match &= ((flags & FLAGS[attribute]) > 0) == wanted
        if route.share < 1:
            match &= self.route_rng[(route.source, route.to)].random(len(finished)) < route.share
        sent = finished[match]
        if not len(sent):
            return
        to = self.team_index[route.to]
        service = self._task_times(route.to, items.stream[sent])
        priorities = self.scenario.priorities
        priority = (np.full(len(sent), priorities.index(route.priority), dtype=np.int8) if route.priority
                    else items.priority[sent])
        ids = self.items.append(
            arrival=items.end[sent], service=service,
            deadline=np.full(len(sent), np.inf), flags=items.flags[sent], stream=items.stream[sent],
            team=np.full(len(sent), to, dtype=np.int16), priority=priority, parent=sent,
        )
        receiving = self.teams[to]
        for p in np.unique(priority):
            receiving.enqueue(receiving.queue_of[(int(p), route.source)], ids[priority == p])

    def _task_times(self, team: str, streams: np.ndarray) -> np.ndarray:
        """Time per referred item at ``team``: its ``task_time``, or else each item's unit's review time."""
        task = self.scenario.workforce[self.team_index[team]].task_time
        rng = self.task_rng[team]
        if task is not None:
            return draw_review_times(task, len(streams), rng)
        units = np.array([self.scenario.demand[s].unit for s in range(len(self.scenario.demand))])[streams]
        service = np.empty(len(streams))
        for unit in np.unique(units):
            mine = units == unit
            service[mine] = draw_review_times(self.scenario.review[unit], int(mine.sum()), rng)
        return service

    # ------------------------------------------------------------------ processes

    def _arrivals(self):
        horizon = self.scenario.clock.horizon
        while self.env.now < horizon:
            t0 = self.env.now
            t1 = min(t0 + BATCH_SECONDS, horizon)
            self.advance(t0)
            self._admit([source.draw(t0, t1, self._listed_share(source)) for source in self.sources])
            yield self.env.timeout(t1 - t0)

    def _listed_share(self, source: StreamSource) -> float:
        """Share of a stream's earlier items now on the hash list (cleared ones and confirmed ones)."""
        arrived = source.arrived_per_cell.sum()
        return (source.cleared_per_cell.sum() + self.confirmed[source.index]) / arrived if arrived else 0.0

    def _admit(self, batches) -> None:
        """Add one batch window's items from every stream to the table and to their queues."""
        batches = [b for b in batches if len(b)]
        if not batches:
            return
        columns = {name: np.concatenate([getattr(b, name) for b in batches])
                   for name in ("arrival", "service", "deadline", "flags", "stream", "priority")}
        if len(batches) > 1:  # merge the streams' sorted runs into one arrival order
            order = np.argsort(columns["arrival"], kind="stable")
            columns = {name: column[order] for name, column in columns.items()}
        team_of, prio_of = self.stream_team[columns["stream"]], columns["priority"]
        ids = self.items.append(team=team_of, **columns)
        if len(batches) == 1 and (prio_of == prio_of[0]).all():  # one stream, one priority: one queue
            team = self.teams[team_of[0]]
            team.enqueue(team.queue_of[(int(prio_of[0]), None)], ids)
            return
        for t, team in enumerate(self.teams):
            for p in range(len(self.scenario.priorities)):
                mine = ids[(team_of == t) & (prio_of == p)]
                if len(mine):
                    team.enqueue(team.queue_of[(p, None)], mine)

    def _roster(self, team: TeamQueue):
        for shift, begin in enumerate(team.plan.start):
            yield self.env.timeout(begin - self.env.now)
            self.advance(begin)
            team.start_shift(shift, self.items.end)

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
