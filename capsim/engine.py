"""The simulation of one replication: simpy for what happens over time, a compiled loop between.

simpy runs the things that really act over time — a daily arrival batch and a roster process
for each team whose work carries over a shift's end, which starts each of its shifts. At each
of these decision points the engine lets every team's queue move up to that moment
(:func:`capsim.kernel.assign`), team by team in referral order (a team off duty since its
shifts ended has nothing to decide: it is passed over, :meth:`Simulation.advance`), and then
applies the change: new items join their queues, or a shift's analysts come on duty with their
exposure counter at zero. The other teams' shifts come on duty inside the compiled loop, on its
way to the next decision point (:func:`capsim.kernel.assign_through_shifts`), with the same
numbers, where they cannot depend on the decision points (:meth:`Simulation._decision_points_free`);
elsewhere they too have a roster process.

Referrals: once a team has *finished* assessing an item, the routing rules may send it on
to another team (a police unit, victim identification) as a new row whose arrival is that
finishing time. Teams move in referral order at every decision point, so a receiving team
always knows every referral that reached it before it decides anything.

Times are seconds from midnight of the scenario's start date.

Why it is one module (over 400 lines): the simpy processes, the decision points and the
hand-over to the compiled loop share one replication's state; split, that state would have
to be exposed between modules.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import simpy

from capsim.demand import (FLAG_CRIMINAL, FLAGS, STAGES, Stockpile, StreamSource, cell_seconds, draw_review_times,
                           expected_reviewed, review_times_in_turn)
from capsim.heap import plain_pages, reuse_freed_memory
from capsim.kernel import (assign, assign_through_shifts, come_on_duty, finished_by, merge_windows, refer_rows,
                           referred_count, seat_heap, still_pending)
from capsim.records import CARRIED_PIECE, ItemTable, Replication
from capsim.scenario import Clock, Route, Scenario, Team
from capsim.units import SECONDS_PER_DAY
from capsim.workforce import ShiftPlan, exposure_cap, shift_plan

BATCH_SECONDS = SECONDS_PER_DAY
"""Arrivals are admitted a day at a time, and drawn as if a day at a time (the batch is part of
the model's random-number use: hash matching draws day by day)."""

DRAW_AHEAD_SECONDS = 28 * SECONDS_PER_DAY
"""Streams whose draws do not depend on the run's state (no recirculated copies for a learning
hash list) are drawn this far ahead in one vectorized call each, with the same numbers as day
by day (:meth:`capsim.demand.StreamSource.draw`), then admitted a day at a time."""

ADMITTED = ("arrival", "service", "deadline", "flags", "stream", "priority")
"""The item columns drawn for arriving items (the table fills in the rest)."""


@dataclass
class DrawnAhead:
    """Arrivals of [start, end) drawn ahead (:meth:`Simulation._draw_ahead`): the streams'
    ``columns`` (with each item's ``team``), one stream after another, and the ``order`` in
    which they are admitted (None: as they are, for one stream). In that order, batch ``k``'s
    rows are ``bounds[k]:bounds[k + 1]``, and ``rows`` maps each queue key (team × number of
    priorities + priority) to its rows in order, of which batch ``k``'s are ``cuts[key][k]:cuts[key][k + 1]``."""

    start: float
    end: float
    columns: dict[str, np.ndarray]
    order: np.ndarray | None
    bounds: np.ndarray
    rows: dict[int, np.ndarray]
    cuts: dict[int, list[int]] = field(init=False)

    def __post_init__(self):
        self.cuts = {key: np.searchsorted(rows, self.bounds).tolist() for key, rows in self.rows.items()}


QUEUE_ROOM = 1024
"""Ids each of a team's queues has room for at first (it grows as needed, :meth:`TeamQueue.enqueue`)."""

UNIFORMS_AHEAD = 1 << 16
"""Uniforms a referral draws at once (:class:`~capsim.demand.Stockpile`): a national team finishes
a few thousand items between decision points."""

NO_DRAWS = np.zeros(0)
"""The draws of a referral whose every rule has share 1: none (:func:`capsim.kernel.refer_rows`)."""


@dataclass
class Referral:
    """The routing rules from one team to one other, as :func:`capsim.kernel.refer_rows` reads them:
    per rule, in order, the flag ``bits`` it looks at and the values it ``wanted`` there, its
    ``share`` and its ``own`` priority (-1: the item keeps its own); ``draws`` says whether any
    share is below 1 (then one uniform per finished item decides, in turn from its random stream:
    ``uniforms(n)`` gives the next ``n``, drawn :data:`UNIFORMS_AHEAD` at a time)."""

    source: str
    to: int
    to_name: str
    bits: np.ndarray
    wanted: np.ndarray
    shares: np.ndarray
    own: np.ndarray
    draws: bool
    uniforms: Callable[[int], np.ndarray]

    @classmethod
    def of(cls, rules: list[Route], scenario: Scenario, team_index: dict[str, int], rng) -> "Referral":
        """The referral of ``rules`` (all from one team to one other); ``rng(name)`` gives its random stream."""
        first = rules[0]
        shares = np.array([r.share for r in rules], dtype=np.float64)
        return cls(
            source=first.source, to=team_index[first.to], to_name=first.to,
            bits=np.array([sum(FLAGS[a] for a in r.when) for r in rules], dtype=np.int64),
            wanted=np.array([sum(FLAGS[a] for a, value in r.when.items() if value) for r in rules], dtype=np.int64),
            shares=shares,
            own=np.array([-1 if r.priority is None else scenario.priorities.index(r.priority) for r in rules],
                         dtype=np.int64),
            draws=bool((shares < 1).any()),
            uniforms=Stockpile(rng(f"routing:{first.source}->{first.to}").random, UNIFORMS_AHEAD).take,
        )


def referrals_of(scenario: Scenario, rng: Callable[[str], np.random.Generator]) -> dict[int, list[Referral]]:
    """Per team index (in :meth:`~capsim.scenario.Scenario.team_order`), its :class:`Referral` to each
    team it refers items to, the rules in their order; ``rng(name)`` gives a referral's random stream."""
    team_index = {t.team: i for i, t in enumerate(scenario.workforce)}
    routes: dict[int, dict[str, list[Route]]] = {i: {} for i in scenario.team_order()}  # receiving team → rules
    for r in scenario.routing:
        routes[team_index[r.source]].setdefault(r.to, []).append(r)
    return {i: [Referral.of(rules, scenario, team_index, rng) for rules in by_team.values()]
            for i, by_team in routes.items()}


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
        sources = [None] + sorted({r.source for r in scenario.routing if r.to == team.team})
        self.queue_of = {(p, src): q for q, (p, src) in
                         enumerate((p, src) for p in range(len(scenario.priorities)) for src in sources)}
        self.qroom = np.full(len(self.queue_of), QUEUE_ROOM, dtype=np.int64)  # each queue's room, ids
        self.qbase = np.arange(len(self.queue_of), dtype=np.int64) * QUEUE_ROOM  # where it starts in ``queue``
        self.queue = np.empty(int(self.qroom.sum()), dtype=np.int64)
        self.qhead = np.zeros(len(self.queue_of), dtype=np.int64)
        self.qtail = np.zeros(len(self.queue_of), dtype=np.int64)
        self.qrank = np.array([p for (p, _) in self.queue_of], dtype=np.int64)
        headcount = plan.present.shape[1]
        self.free_at = np.zeros(headcount)
        self.heap = seat_heap(headcount)  # room for the kernel's heap of seats deciding (None: it scans them)
        self.shift_end = np.full(headcount, -np.inf)
        self.exposure = np.zeros(headcount)
        self.cap = np.full(headcount, exposure_cap(scenario, team))
        self.pace = np.ones(headcount)
        self.carry_over = team.carry_over
        self.serves = serves_masks(scenario, team, plan)
        self.earliest_deadline = team.order == "earliest_deadline"
        self.qdue = due_windows(scenario)[self.qrank]
        self.remaining = np.zeros(headcount)  # seconds of work carried to the next shift
        self.carried = np.full(headcount, -1, dtype=np.int64)  # the item that work belongs to
        self.last_shift = np.full(headcount, -1, dtype=np.int64)  # each analyst's latest shift on duty
        self.pieces: list[tuple[int, int, float]] = []  # (item, shift, seconds) of each carried item's work
        self.unfinished = np.zeros(0, dtype=np.int64)  # started, not yet known to have finished
        self.duty_end = -np.inf  # the latest end of a shift on duty (seconds): none yet
        self.off_duty = False  # whether the queue has moved past ``duty_end``: nothing to decide until a shift starts
        self.folded = False  # whether the kernel starts its shifts (:meth:`Simulation.advance`), not a roster process
        self.next_shift = 0  # folded: the first shift not yet on duty
        self.set_plan(plan)

    def set_plan(self, plan: ShiftPlan) -> None:
        """Take ``plan`` (the same shifts, perhaps extended: the run-out) and, per shift, the seats of
        its pattern ``seat_lo[k]:seat_hi[k]`` (the others carry on) and the seconds each seat
        mentors at its start (``busy``, zeros without trainees), as :func:`come_on_duty` reads them."""
        self.plan = plan
        seats = np.array([plan.columns(shift).indices(len(self.free_at))[:2] for shift in range(len(plan.start))],
                         dtype=np.int64).reshape(-1, 2)
        self.seat_lo, self.seat_hi = seats[:, 0].copy(), seats[:, 1].copy()
        self.busy = plan.busy_or_zero

    def shifts_before(self, t: float) -> bool:
        """Whether a shift the kernel starts (:attr:`folded`) starts before ``t`` (seconds)."""
        return self.folded and self.next_shift < len(self.plan.start) and self.plan.start[self.next_shift] < t

    def enqueue(self, queue: int, ids: np.ndarray) -> None:
        """Append item ids (in arrival order, none earlier than those queued) to one queue.

        Queue ``q`` holds ``queue[qbase[q] + qhead[q]:qbase[q] + qtail[q]]`` in a room of
        ``qroom[q]`` ids. When the ids do not fit, the served prefix is dropped if that leaves
        a quarter of the room free, and otherwise the room doubles; so each id is moved a
        bounded number of times on average, however long a backlog is held (dropping the
        prefix whenever it frees any room would move a backlog just short of the room every batch).
        """
        head, tail, room, n = int(self.qhead[queue]), int(self.qtail[queue]), int(self.qroom[queue]), len(ids)
        if tail + n > room:
            live = tail - head
            if live + n > room - room // 4:
                self._grow(queue, max(2 * room, live + n))
            else:  # drop the served prefix of this queue
                base = int(self.qbase[queue])
                self.queue[base:base + live] = self.queue[base + head:base + tail]
                self.qhead[queue], self.qtail[queue] = 0, live
            tail = live
        base = int(self.qbase[queue])
        self.queue[base + tail:base + tail + n] = ids
        self.qtail[queue] = tail + n

    def _grow(self, queue: int, room: int) -> None:
        """Give queue ``queue`` a room of ``room`` ids; every queue's waiting ids move to the start of its room."""
        rooms = self.qroom.copy()
        rooms[queue] = room
        bases = np.concatenate([[0], np.cumsum(rooms)[:-1]]).astype(np.int64)
        grown = np.empty(int(rooms.sum()), dtype=np.int64)
        for q, (head, tail, base) in enumerate(zip(self.qhead.tolist(), self.qtail.tolist(), self.qbase.tolist())):
            grown[bases[q]:bases[q] + tail - head] = self.queue[base + head:base + tail]
        self.queue, self.qbase, self.qroom = grown, bases, rooms
        self.qtail -= self.qhead
        self.qhead[:] = 0

    def start_shift(self, shift: int, item_start: np.ndarray, item_end: np.ndarray) -> None:
        """Bring the analysts present for ``shift`` on duty, exposure counters at zero.

        Work carried over from an earlier shift comes first: it ends this shift if it fits
        (``item_end`` of its item is set then), and otherwise fills it and carries on. Each
        piece of a carried item's work goes in :attr:`pieces` with the shift it was done on
        (the first piece, from ``item_start`` to the end of its shift, as the item is carried on).
        """
        plan = self.plan
        begin, end = plan.start[shift], plan.end[shift]
        present, self.duty_end = come_on_duty(self.seat_lo[shift], self.seat_hi[shift], plan.present[shift],
                                              self.busy[shift], plan.pace[shift], begin, end, self.free_at,
                                              self.shift_end, self.exposure, self.pace)
        self.off_duty = False
        for a in present[self.remaining[present] > 0] if self.carry_over else ():  # work carried over
            item, before = int(self.carried[a]), int(self.last_shift[a])
            if item_start[item] >= self.plan.start[before]:  # first carried on: its piece on the shift it started
                self.pieces.append((item, before, float(self.plan.end[before] - item_start[item])))
            work = min(self.remaining[a], end - begin)
            self.pieces.append((item, shift, float(work)))
            self.remaining[a] -= work
            self.exposure[a] = work
            self.free_at[a] = begin + work
            if self.remaining[a] == 0:
                item_end[item] = begin + work
                self.carried[a] = -1
        self.last_shift[present] = shift

    def carried_pieces(self, rows: int) -> np.ndarray:
        """The log of carried work (:meth:`start_shift`) on the first ``rows`` items, as
        :data:`~capsim.records.CARRIED_PIECE` rows of (item, shift, seconds)."""
        pieces = np.array(self.pieces, dtype=CARRIED_PIECE).reshape(-1)
        return pieces[pieces["item"] < rows]


def serves_masks(scenario: Scenario, team: Team, plan: ShiftPlan) -> np.ndarray:
    """Per analyst (seat), a bit mask of the priority ranks they take: every one (-1), or, on a
    shift pattern with ``serves:``, the bits of those priorities."""
    masks = np.full(plan.present.shape[1], -1, dtype=np.int64)
    for p, pattern in enumerate(team.shifts or []):
        if pattern.serves is not None:
            masks[plan.bounds[p]:plan.bounds[p + 1]] = sum(1 << scenario.priorities.index(n) for n in pattern.serves)
    return masks


def due_windows(scenario: Scenario) -> np.ndarray:
    """Per priority rank, its SLA window in seconds (the shortest if several; +inf without an SLA):
    an item's due time in earliest-deadline order is its arrival plus this."""
    due = np.full(len(scenario.priorities), np.inf)
    for sla in scenario.sla:
        rank = scenario.priorities.index(sla.priority)
        due[rank] = min(due[rank], sla.within)
    return due


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
        self.plan_draws: dict = {}  # each seat's absence draws, kept for the run-out's longer plans (shift_plan)
        self.teams = [
            TeamQueue(scenario, i, shift_plan(t, scenario.clock, self.rng(f"shrinkage:{t.team}"), kept=self.plan_draws))
            for i, t in enumerate(scenario.workforce)
        ]
        self.team_index = {t.team: i for i, t in enumerate(scenario.workforce)}
        self.order = scenario.team_order()
        self.stream_team = np.array([self.team_index[scenario.team_of(s)] for s in scenario.demand], dtype=np.int16)
        self.unit_names = sorted({s.unit for s in scenario.demand})
        self.stream_unit = np.array([self.unit_names.index(s.unit) for s in scenario.demand], dtype=np.int64)
        self.referrals = referrals_of(scenario, self.rng)  # team → its referrals to each other team
        self.confirmed = np.zeros(len(scenario.demand), dtype=np.int64)  # criminal items confirmed, per stream
        self.task_rng = {t.team: self.rng(f"task:{t.team}") for t in scenario.workforce}
        self.task_reviews = {t.team: [scenario.review_time(t.team, unit) for unit in self.unit_names]
                             for t in scenario.workforce}  # per team, its time for each unit code
        self.task_factor = scenario.tooling.time_factor(screening=False)  # the tools' factor at a receiving team
        self.learning = scenario.tooling.hash_matching.enabled and any(s.recirculation > 0 for s in scenario.demand)
        self.follow_up = {i: self.learning or bool(self.referrals[i]) for i in self.order}  # what finishing feeds
        self.referred_unit = self._referred_units()
        free = self._decision_points_free()
        for team in self.teams:
            team.folded = free and not team.carry_over
        self.referred_times = {team: review_times_in_turn(self.task_reviews[team][unit], self.task_rng[team],
                                                          self.task_factor)
                               for team, unit in self.referred_unit.items() if unit is not None}
        self.env = simpy.Environment()

    def _decision_points_free(self) -> bool:
        """Whether the results cannot depend on which decision points there are (then a team without
        carry-over needs none at its shifts' starts: :attr:`TeamQueue.folded`). A team's own
        decisions never do; what finishing passes on may, through the order of the rows it adds: so
        at most one referral (one team to one other) and one unit it can carry (referrals from
        several teams would interleave their rows by decision point, and with several units each
        decision point's referrals draw their times unit by unit)."""
        referrals = [r for rs in self.referrals.values() for r in rs]
        return len(referrals) <= 1 and all(self.referred_unit[r.to_name] is not None for r in referrals)

    def _referred_units(self) -> dict[str, int | None]:
        """Per team (by name), the one unit code of every item that can be referred to it, or None
        if several can be (then :meth:`_task_times` looks at each item's)."""
        reaching = {i: set(self.stream_unit[self.stream_team == i].tolist()) for i in self.order}
        referred: dict[int, set[int]] = {i: set() for i in self.order}
        for i in self.order:  # in referral order: every referral into a team is known before it refers on
            for referral in self.referrals[i]:
                referred[referral.to] |= reaching[i] | referred[i]
        names = self.scenario.workforce
        return {names[i].team: next(iter(units)) if len(units) == 1 else None for i, units in referred.items()}

    # ------------------------------------------------------------------ decision points

    def advance(self, t: float) -> None:
        """Let every team's queue move up to time ``t`` (decisions strictly before ``t``).

        A team off duty (its queue moved past the end of every shift on duty) has nothing to
        decide until a shift starts: every item it could still take, arriving before that end,
        was in its queue when it moved past it. The compiled loop is not called for it then
        (it would change nothing), unless it starts one of the team's shifts (:attr:`TeamQueue.folded`);
        the items it has in hand may still finish."""
        for index in self.order:
            team = self.teams[index]
            follow_up = self.follow_up[index]
            if team.off_duty and not team.shifts_before(t):
                if follow_up and len(team.unfinished):
                    self._finish(index, team, team.qhead, t)  # nothing taken since the last decision point
                continue
            heads = team.qhead.copy() if follow_up else None  # where the queues stood: what is taken from here on
            items = self.items
            columns = (items.arrival, items.service, items.deadline, items.start, items.end, items.analyst,
                       team.queue, team.qbase, team.qhead, team.qtail, team.qrank, team.free_at, team.shift_end,
                       team.exposure, team.cap, team.pace, team.carry_over, team.remaining, team.carried,
                       team.serves, team.earliest_deadline, team.qdue, team.heap)
            if team.folded:
                plan = team.plan
                team.next_shift, team.duty_end = assign_through_shifts(
                    t, plan.start, plan.end, plan.present, team.busy, plan.pace, team.seat_lo, team.seat_hi,
                    team.next_shift, team.duty_end, *columns)
            else:  # its roster process starts its shifts
                assign(t, *columns)
            team.off_duty = t >= team.duty_end
            if follow_up:
                self._finish(index, team, heads, t)

    def _finish(self, index: int, team: TeamQueue, heads: np.ndarray, t: float) -> None:
        """Pass on what the team finished by ``t``: hash-list learning and referrals."""
        items = self.items
        finished, team.unfinished = finished_by(t, team.unfinished, team.queue, team.qbase, heads, team.qhead,
                                                items.start, items.end)
        if not len(finished):
            return
        if self.learning:
            direct = finished[items.parent[finished] < 0]  # a referral confirmed again is not listed twice
            confirmed = direct[(items.flags[direct] & FLAG_CRIMINAL) > 0]
            self.confirmed += np.bincount(items.stream[confirmed], minlength=len(self.confirmed))
        for referral in self.referrals[index]:
            self._refer(referral, finished)

    def _refer(self, referral: "Referral", finished: np.ndarray) -> None:
        """Send the finished items (in end order) that match one of a referral's rules to its
        team, arriving when they finished.

        Each item is decided by the first rule it matches (so it is referred at most once), and
        all the rules' referrals join the receiving queues in one batch, in end order, so that
        every queue stays in arrival order.
        """
        items = self.items
        draws = referral.uniforms(len(finished)) if referral.draws else NO_DRAWS
        most = len(finished)
        if len(items) + most > items.capacity:  # count them first rather than grow the table for rows never written
            most = referred_count(finished, referral.bits, referral.wanted, referral.shares, draws, items.flags)
        first = items.room(most)  # the referrals' rows, written in place
        n, level = refer_rows(finished, referral.bits, referral.wanted, referral.shares, draws, referral.own,
                              referral.to, first, items.arrival, items.deadline, items.end, items.flags,
                              items.stream, items.team, items.priority, items.parent)
        if not n:
            return
        rows = slice(first, first + n)
        items.service[rows] = self._task_times(referral.to_name, items.stream[rows])
        ids = items.add(n)
        receiving = self.teams[referral.to]
        if level >= 0:  # one priority: one queue
            receiving.enqueue(receiving.queue_of[(level, referral.source)], ids)
            return
        priority = items.priority[rows]
        for p in np.unique(priority):
            receiving.enqueue(receiving.queue_of[(int(p), referral.source)], ids[priority == p])

    def _task_times(self, team: str, streams: np.ndarray) -> np.ndarray:
        """Time per referred item at ``team`` (seconds, at standard pace): the team's time for each
        item's unit (:meth:`~capsim.scenario.Scenario.review_time`) × the tools' factor at a
        receiving team (:meth:`~capsim.tooling.Tooling.time_factor`)."""
        if team in self.referred_times:  # one unit can reach the team: the draws of the loop below, drawn ahead
            return self.referred_times[team](len(streams))
        rng, reviews = self.task_rng[team], self.task_reviews[team]
        units = self.stream_unit[streams]
        if units.min() == units.max():  # one unit among these items: likewise
            return draw_review_times(reviews[units[0]], len(units), rng) * self.task_factor
        service = np.empty(len(streams))
        for code in np.unique(units):  # units in name order, as the codes are
            mine = units == code
            service[mine] = draw_review_times(reviews[code], int(mine.sum()), rng)
        return service * self.task_factor

    # ------------------------------------------------------------------ processes

    def _arrivals(self):
        horizon = self.scenario.clock.horizon
        ahead = all(source.stateless for source in self.sources)  # draw many batches at once
        drawn = None
        while self.env.now < horizon:
            t0 = self.env.now
            t1 = min(t0 + BATCH_SECONDS, horizon)
            if ahead and (drawn is None or t0 >= drawn.end):
                drawn = self._draw_ahead(t0, min(t0 + DRAW_AHEAD_SECONDS, horizon))
            self.advance(t0)
            if ahead:
                self._admit_drawn(drawn, int((t0 - drawn.start) // BATCH_SECONDS))
            else:
                self._admit([source.draw(t0, t1, self._listed_share(source)) for source in self.sources])
            yield self.env.timeout(t1 - t0)

    def _draw_ahead(self, t0: float, t1: float) -> "DrawnAhead":
        """Every stream's batches of [t0, t1) (all :attr:`~capsim.demand.StreamSource.stateless`), drawn
        at once and ordered as :meth:`_admit` would merge each batch: by batch, then arrival, then stream."""
        batches = [source.draw(t0, t1, 0.0, BATCH_SECONDS) for source in self.sources]
        sizes = np.stack([b.sizes for b in batches])  # streams × batches
        bounds = np.concatenate([[0], np.cumsum(sizes.sum(axis=0))])  # rows of each batch, merged
        if len(batches) == 1:  # one stream: already in order
            columns = {name: getattr(batches[0], name) for name in ADMITTED}
            order = None
        else:
            columns = {name: np.concatenate([getattr(b, name) for b in batches]) for name in ADMITTED}
            starts = np.concatenate([[0], np.cumsum([len(b) for b in batches])[:-1]]).astype(np.int64)
            order = merge_windows(columns["arrival"], starts, sizes.astype(np.int64))
        columns["team"] = self.stream_team[columns["stream"]]
        key = columns["team"] * np.int16(len(self.scenario.priorities)) + columns["priority"]
        key = key if order is None else key[order]
        if len(key) and key.min() == key.max():  # one queue
            return DrawnAhead(t0, t1, columns, order, bounds, {int(key[0]): np.arange(len(key))})
        present = np.flatnonzero(np.bincount(key))  # the few queues used: one pass each, faster than a sort
        return DrawnAhead(t0, t1, columns, order, bounds, {k: np.flatnonzero(key == k) for k in present.tolist()})

    def _admit_drawn(self, drawn: "DrawnAhead", batch: int) -> None:
        """Admit batch number ``batch`` of ``drawn``, as :meth:`_admit` admits one batch window."""
        a, b = int(drawn.bounds[batch]), int(drawn.bounds[batch + 1])
        if a == b:
            return
        if drawn.order is None:
            base = int(self.items.append(**{name: values[a:b] for name, values in drawn.columns.items()})[0])
        else:
            base = int(self.items.append(take=drawn.order[a:b], **drawn.columns)[0])
        priorities = len(self.scenario.priorities)
        for key, rows in drawn.rows.items():
            lo, hi = drawn.cuts[key][batch], drawn.cuts[key][batch + 1]
            if hi > lo:
                team = self.teams[key // priorities]
                team.enqueue(team.queue_of[(key % priorities, None)], rows[lo:hi] + (base - a))

    def _listed_share(self, source: StreamSource) -> float:
        """Share of a stream's earlier items now on the hash list (cleared ones and confirmed ones)."""
        arrived = source.arrived_total
        return (source.cleared_total + int(self.confirmed[source.index])) / arrived if arrived else 0.0

    def _admit(self, batches) -> None:
        """Add one batch window's items from every stream to the table and to their queues."""
        batches = [b for b in batches if len(b)]
        if not batches:
            return
        if len(batches) == 1:
            columns = {name: getattr(batches[0], name) for name in ADMITTED}
        else:  # merge the streams' sorted runs into one arrival order
            order = np.argsort(np.concatenate([b.arrival for b in batches]), kind="stable")
            columns = {name: np.concatenate([getattr(b, name) for b in batches])[order] for name in ADMITTED}
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

    def _roster(self, team: TeamQueue, first: int = 0):
        for shift in range(first, len(team.plan.start)):
            begin = team.plan.start[shift]
            yield self.env.timeout(begin - self.env.now)
            self.advance(begin)
            team.start_shift(shift, self.items.start, self.items.end)

    def run(self) -> Replication:
        """Simulate to the horizon, run out the work already arrived, and return the records.

        The records describe the system at the horizon; when the items still waiting then
        were eventually assessed is in ``Replication.runout`` (:meth:`_run_out`).
        """
        self.env.process(self._arrivals())
        for team in self.teams:
            if not team.folded:  # the others' shifts start in the kernel, at the next decision point
                self.env.process(self._roster(team))
        horizon = self.scenario.clock.horizon
        self.env.run(until=horizon)
        self.advance(horizon)
        shifts = [t.plan for t in self.teams]
        rows = len(self.items)
        waiting = self.items.waiting_rows()
        in_hand, left = self._work_in_hand(horizon)
        stopped, complete = self._run_out(horizon, rows)
        runout = self.items.close_at_horizon(rows, waiting, in_hand, left, horizon, stopped, complete)
        return Replication(
            runout=runout,
            items=self.items.frozen(),
            horizon=horizon,
            warmup=self.scenario.clock.warmup,
            cell_seconds=cell_seconds(self.scenario.clock),
            arrived_per_cell=np.stack([s.arrived_per_cell for s in self.sources]),
            cleared_per_cell=np.stack([s.cleared_per_cell for s in self.sources]),
            stream_team=self.stream_team,
            shifts=shifts,
            carried=[t.carried_pieces(rows) for t in self.teams],
        )

    def _work_in_hand(self, t: float) -> tuple[np.ndarray, np.ndarray]:
        """Rows in assessment at ``t`` and the seconds of their work still to do then."""
        items = self.items
        n = len(items)
        in_hand = np.flatnonzero(np.isfinite(items.start[:n]) & ~(items.end[:n] <= t))
        left = items.end[in_hand] - t
        for i in np.flatnonzero(~np.isfinite(left)):  # work carried over: at most one item per analyst
            team, analyst = self.teams[items.team[in_hand[i]]], items.analyst[in_hand[i]]
            left[i] = team.remaining[analyst] + max(team.free_at[analyst] - t, 0.0)
        return in_hand, left

    def _run_out(self, horizon: float, rows: int) -> tuple[float, bool]:
        """After the horizon: no new arrivals, the same rosters (each team's shift plan extended,
        :func:`capsim.workforce.shift_plan`), referrals still made, until every one of the
        first ``rows`` items has started and ended or expired — or until the run-out limit
        (:func:`runout_limit`), where the rest are censored. Returns (when it stopped, complete).
        """
        items, clock = self.items, self.scenario.clock
        limit = horizon + runout_limit(clock)
        pending = np.flatnonzero(~(items.end[:rows] < np.inf))
        t, span = horizon, RUNOUT_FIRST_STEP
        while True:
            pending = still_pending(pending, items.start, items.end, items.deadline, t)
            if not len(pending) or t >= limit:
                return t, not len(pending)
            until = min(t + span, limit)
            span *= 2  # a long run-out takes few plan extensions
            for team, spec in zip(self.teams, self.scenario.workforce):
                first = len(team.plan.start)
                team.set_plan(shift_plan(spec, clock, self.rng(f"shrinkage:{spec.team}"), until, self.plan_draws))
                if not team.folded:
                    self.env.process(self._roster(team, first))
            self.env.run(until=until)
            self.advance(until)
            t = until


RUNOUT_FIRST_STEP = SECONDS_PER_DAY
"""The run-out extends the rosters by this much first, then by twice as much each time (seconds)."""

RUNOUT_WINDOWS = 3
"""The run-out lasts at most this many measured windows (horizon − warm-up) ..."""

RUNOUT_MIN_SECONDS = 28 * SECONDS_PER_DAY
"""... or this long, whichever is longer (seconds)."""


def runout_limit(clock: Clock) -> float:
    """Longest run-out after the horizon, seconds: enough to clear a backlog built up at up to
    ``RUNOUT_WINDOWS + 1`` times a team's capacity; past it (a team with no analysts, or a
    heavier overload) the waits still unknown are censored."""
    return max(RUNOUT_WINDOWS * (clock.horizon - clock.warmup), RUNOUT_MIN_SECONDS)


def simulate_replication(scenario: Scenario, seed: int, replication: int = 0) -> Replication:
    """Run one replication of ``scenario`` with the random streams of (seed, replication).

    The process keeps freed memory for the next replication's arrays (:func:`capsim.heap.reuse_freed_memory`),
    and its arrays take ordinary pages (:func:`capsim.heap.plain_pages`)."""
    reuse_freed_memory()
    plain_pages()
    return Simulation(scenario, seed, replication).run()
