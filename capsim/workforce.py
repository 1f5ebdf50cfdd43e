"""Who is at work, when: rosters, shrinkage, and the workforce over time.

A team's roster gives one shift a day on its working days: ``hours_per_day`` from
``start`` (a ``24/7`` roster is a 24-hour shift starting at midnight, every day), plus any
``overtime`` (extra hours added to the end of every shift). Times are **seconds** after
midnight of the scenario's start date.

**Seats and people.** A seat is one position on the roster, covered on every shift; it
takes :func:`people_per_seat` people to cover it: the roster's hours a week over one
analyst's ``contracted_hours`` (by default the roster's hours a week up to 40, so one person
per seat for any roster of at most 40 hours a week, and 4.2 for a 24/7 one). The queue sees
seats (one analyst per seat on each shift); FTE, salaries and budgets count people. Below,
"analyst" means the occupant of a seat.

**Seats and analysts.** A team has a number of *seats* over time: ``headcount`` at the
start, then each planned change (``changes: [{date, headcount}]``) sets the number of seats
from its date. The shift plan has one column per seat, as many as the most seats the team
ever has before the horizon; an empty seat is never present.

* An analyst in a seat at time zero is experienced (full productivity). A change dated
  before the start date is already in force at time zero (the latest such change sets the
  starting seats, which ``headcount`` then does not).
* A change on or after the start date is the day the new analysts **start**: new seats are
  filled that day by new analysts (who ramp up), having been hired a lead time earlier; the
  scenario gives the start date, not the hiring date. Fewer seats close the highest-numbered
  seats that day: their analysts leave the team (redeployed), and no refill is made for them.
* **Attrition** (``attrition``, a rate per year between 0 and 1): every analyst leaves after
  an exponential time with that hazard, counted from when they started (mean 1/rate years).
  Without refills, a share exp(-rate × years) of a cohort is still in post after ``years``;
  with refills, leavers per year are ``rate`` × headcount.
* **Hiring**: a leaver's seat is refilled by a new analyst who starts exactly
  ``hiring.lead_time`` after the leaver left (``replace_leavers: false``: never), unless the
  seat has closed by then.
* **Ramp** (``ramp: {weeks, start}``): a new analyst's productivity on a shift that starts
  ``d`` after their first day is ``start + (1 - start) × min(d / weeks, 1)``; their review
  times are multiplied by ``pace = 1 / productivity``. Analysts in post at time zero do not
  ramp.
* An analyst is in post on a shift if they are in post when it starts.

**Shrinkage** (leave, sickness, training) is drawn per analyst per rostered shift: each
analyst in post misses each shift independently with probability ``shrinkage``, so on
average a share ``shrinkage`` of rostered analyst-shifts is lost, and the absences fall at
random. An absent analyst does nothing that shift. The daily exposure counter starts again
at every shift.

**Random numbers.** Everything here is drawn from the team's stream (the ``rng`` given),
split into one sub-stream per seat and purpose, so that seat 3's absences and leaving times
are the same whatever the team's size and the horizon: two runs that differ only in
headcount share them (common random numbers).
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field

import numpy as np

from capsim.scenario import WEEKDAYS, Clock, Scenario, Team
from capsim.units import SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_YEAR

SECONDS_PER_WEEK = 7 * SECONDS_PER_DAY


@dataclass(frozen=True)
class Tenures:
    """Each analyst's time in one seat: ``seat``, ``start`` and ``end`` (seconds, end exclusive).

    ``new`` is True for analysts who started after time zero (hires, who ramp up);
    ``left`` is True for those who left by attrition before the end of their seat's open
    time (otherwise their tenure ends when the seat closes or at the horizon).
    """

    seat: np.ndarray
    start: np.ndarray
    end: np.ndarray
    new: np.ndarray
    left: np.ndarray

    def __len__(self) -> int:
        return len(self.seat)


@dataclass(frozen=True)
class ShiftPlan:
    """Every shift of one team over the horizon.

    ``start`` and ``end`` are seconds (shift ``k`` runs over [start[k], end[k])); ``present``
    is a (shifts × seats) boolean array: which analysts turn up for each shift; ``pace``
    (same shape) multiplies each analyst's review times on that shift (1 at full
    productivity, more while new). ``in_post`` (same shape) says which seats have an analyst
    in post at the shift's start, absent or not; ``tenures`` lists every analyst's time in
    post. Plans built without them treat every seat as filled throughout.
    """

    start: np.ndarray
    end: np.ndarray
    present: np.ndarray
    pace: np.ndarray
    in_post: np.ndarray | None = None
    tenures: Tenures | None = None
    overtime: float = 0.0
    """Seconds of overtime included at the end of every shift."""
    horizon: float = field(default=math.inf)

    @property
    def on_duty(self) -> np.ndarray:
        """Analysts present at each shift."""
        return self.present.sum(axis=1)

    def available_seconds(self, t0: float, t1: float) -> float:
        """Analyst-seconds at work within [t0, t1): present analysts × time on shift."""
        return float(np.diff(self.cumulative_seconds(np.array([t0, t1])))[0])

    def usable_seconds(self, t0: float, t1: float, cap: float) -> float:
        """Analyst-seconds present analysts could review within [t0, t1): on each shift, its time
        within the window up to ``cap`` (the daily exposure cap, seconds; +inf for none)."""
        within = np.clip(np.minimum(self.end, t1) - np.maximum(self.start, t0), 0, None)
        return float((self.on_duty * np.minimum(within, cap)).sum())

    def cumulative_seconds(self, times: np.ndarray) -> np.ndarray:
        """Analyst-seconds at work from time zero up to each of ``times`` (shifts do not overlap)."""
        times = np.asarray(times, dtype=float)
        if len(self.start) == 0:
            return np.zeros(len(times))
        length = self.end - self.start
        before = np.concatenate([[0.0], np.cumsum(self.on_duty * length)])
        k = np.searchsorted(self.start, times, side="right") - 1
        safe = np.clip(k, 0, None)
        partial = np.where(k >= 0, self.on_duty[safe] * np.clip(times - self.start[safe], 0, length[safe]), 0.0)
        return before[np.clip(k, 0, None)] + partial

    # ------------------------------------------------------------------ workforce over time

    def _tenures(self) -> Tenures:
        if self.tenures is not None:
            return self.tenures
        seats = self.present.shape[1]
        return Tenures(seat=np.arange(seats), start=np.zeros(seats), end=np.full(seats, math.inf),
                       new=np.zeros(seats, dtype=bool), left=np.zeros(seats, dtype=bool))

    def headcount_at(self, times: np.ndarray) -> np.ndarray:
        """Analysts in post at each of ``times`` (seconds), absent or not."""
        t = self._tenures()
        times = np.asarray(times, dtype=float)
        started = np.searchsorted(np.sort(t.start), times, side="right")
        ended = np.searchsorted(np.sort(t.end), times, side="right")
        return started - ended

    def in_post_seconds(self, t0: float, t1: float) -> float:
        """Analyst-seconds in post within [t0, t1): the mean headcount × (t1 - t0)."""
        t = self._tenures()
        return float(np.clip(np.minimum(t.end, t1) - np.maximum(t.start, t0), 0, None).sum())

    def hires_between(self, t0: float, t1: float) -> int:
        """New analysts who started within [t0, t1)."""
        t = self._tenures()
        return int((t.new & (t.start >= t0) & (t.start < t1)).sum())

    def leavers_between(self, t0: float, t1: float) -> int:
        """Analysts who left by attrition within [t0, t1)."""
        t = self._tenures()
        return int((t.left & (t.end >= t0) & (t.end < t1)).sum())

    def present_shifts_between(self, t0: float, t1: float) -> int:
        """Analyst-shifts worked (present analysts) on shifts starting within [t0, t1)."""
        k0, k1 = np.searchsorted(self.start, [t0, t1], side="left")
        return int(self.on_duty[k0:k1].sum())


# --------------------------------------------------------------------------- the plan


def shift_plan(team: Team, clock: Clock, rng: np.random.Generator, until: float | None = None) -> ShiftPlan:
    """The shifts of ``team`` starting before ``until`` (default: the horizon), with its workforce over time.

    Seats, attrition, hiring, the ramp and shrinkage are drawn from ``rng`` (the team's
    stream) as the module docstring describes. A plan to a later ``until`` (the run-out
    after the horizon, :meth:`capsim.engine.Simulation.run`) has the same shifts, absences
    and analysts before the horizon; after it the seats stay as they are at the horizon
    (planned changes dated on or after the horizon are ignored) while attrition, refills,
    the ramp and shrinkage carry on.
    """
    until = clock.horizon if until is None else until
    start = shift_starts(team, clock, until)
    overtime = team.overtime or 0.0
    end = start + team.roster.hours_per_day * SECONDS_PER_HOUR + overtime
    tenures = draw_tenures(team, clock, rng, until)
    seats = seat_count(team, clock)
    in_post, pace = _in_post_and_pace(start, tenures, seats, team)
    present = in_post
    if team.shrinkage > 0 and seats:
        draws = np.stack([_substream(rng, "shrinkage", j).random(len(start)) for j in range(seats)], axis=1)
        present = in_post & (draws >= team.shrinkage)
    return ShiftPlan(start=start, end=end, present=present, pace=pace, in_post=in_post, tenures=tenures,
                     overtime=overtime, horizon=clock.horizon)


def shift_starts(team: Team, clock: Clock, until: float | None = None) -> np.ndarray:
    """Start of every shift of ``team``'s roster before ``until`` (default the horizon; seconds, increasing)."""
    roster = team.roster
    until = clock.horizon if until is None else until
    days = np.arange(math.ceil(until / SECONDS_PER_DAY) + 1)
    weekday = (clock.start.weekday() + days) % 7
    working = np.isin(weekday, [WEEKDAYS.index(d) for d in roster.days])
    holidays = [(h - clock.start).days for h in roster.holidays]
    working &= ~np.isin(days, holidays)
    begin = days * SECONDS_PER_DAY + roster.start_seconds
    return begin[working & (begin < until)].astype(float)


def seat_steps(team: Team, clock: Clock) -> tuple[int, list[tuple[float, int]]]:
    """Seats at time zero (experienced analysts), and the planned changes as (time, seats).

    A change dated before the start is in force at time zero; one on or after the horizon
    is dropped. Times are seconds; a change on the start date has time 0.
    """
    initial = team.headcount
    steps: list[tuple[float, int]] = []
    for change in team.changes:
        t = (change.date - clock.start).days * SECONDS_PER_DAY
        if t < 0:
            initial = change.headcount
        elif t < clock.horizon:
            steps.append((t, change.headcount))
    return initial, steps


def seat_count(team: Team, clock: Clock) -> int:
    """Columns of the shift plan: the most seats the team has before the horizon."""
    initial, steps = seat_steps(team, clock)
    return max([initial] + [h for _, h in steps])


def seat_intervals(team: Team, clock: Clock, until: float | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """When each seat is open: arrays (seat, opens, closes, experienced, segment).

    A seat is open over [opens, closes) (closes is ``until``, default the horizon, if it stays open);
    ``experienced`` is True for a seat filled at time zero by an analyst already in post;
    ``segment`` numbers the step of the plan at which the interval opened (0: time zero).
    """
    initial, steps = seat_steps(team, clock)
    times = np.array([0.0] + [t for t, _ in steps] + [clock.horizon if until is None else until])
    levels = np.array([initial] + [h for _, h in steps])
    seats = int(levels.max()) if len(levels) else 0
    if seats == 0:
        empty = np.zeros(0)
        return empty.astype(int), empty, empty, empty.astype(bool), empty.astype(int)
    open_ = np.arange(seats)[:, None] < levels[None, :]  # seats × segments
    padded = np.pad(open_, ((0, 0), (1, 1)))
    opens = padded[:, 1:-1] & ~padded[:, :-2]
    closes = padded[:, 1:-1] & ~padded[:, 2:]
    seat_o, seg_o = np.nonzero(opens)  # row-major: runs of one seat in order
    _, seg_c = np.nonzero(closes)
    start, stop = times[seg_o], times[seg_c + 1]
    keep = stop > start  # a seat closed at the very moment it opens is never filled
    return seat_o[keep], start[keep], stop[keep], (seg_o == 0)[keep], seg_o[keep]


def draw_tenures(team: Team, clock: Clock, rng: np.random.Generator, until: float | None = None) -> Tenures:
    """Every analyst's time in post to ``until`` (default the horizon): seats filled as planned,
    leavers, and refills after the lead time."""
    seat, opens, closes, experienced, segment = seat_intervals(team, clock, until)
    rate = team.attrition / SECONDS_PER_YEAR  # hazard per second
    lead = team.hiring.lead_time
    refill = team.hiring.replace_leavers
    rows: list[tuple[np.ndarray, ...]] = []
    # one stream of exponential draws per seat interval, consumed one tenure at a time
    draws = [_substream(rng, "attrition", int(j), int(g)) for j, g in zip(seat, segment)] if rate > 0 else []
    block = 8
    cache = np.zeros((len(seat), block))
    if rate > 0 and len(seat):
        cache = np.stack([d.standard_exponential(block) for d in draws])
    used = np.zeros(len(seat), dtype=int)
    active = np.arange(len(seat))
    begin = opens.copy()
    new = ~experienced
    while len(active):
        if rate > 0:
            short = used[active] >= cache.shape[1]
            if short.any():  # a seat with very many tenures: draw more from its own stream
                more = np.stack([draws[r].standard_exponential(block) for r in range(len(seat))])
                cache = np.concatenate([cache, more], axis=1)
            leave = begin[active] + cache[active, used[active]] / rate
            used[active] += 1
        else:
            leave = np.full(len(active), math.inf)
        stop = closes[active]
        end = np.minimum(leave, stop)
        left = leave < stop
        rows.append((seat[active], begin[active], end, new[active], left))
        again = left & refill & (leave + lead < stop)
        begin[active[again]] = leave[again] + lead
        new[active[again]] = True
        active = active[again]
    if not rows:
        empty = np.zeros(0)
        return Tenures(empty.astype(int), empty, empty, empty.astype(bool), empty.astype(bool))
    columns = [np.concatenate(c) for c in zip(*rows)]
    order = np.lexsort((columns[1], columns[0]))
    return Tenures(*(c[order] for c in columns))


def _in_post_and_pace(start: np.ndarray, tenures: Tenures, seats: int, team: Team) -> tuple[np.ndarray, np.ndarray]:
    """(shifts × seats) arrays: analyst in post at each shift's start, and their pace on it."""
    shifts = len(start)
    k0 = np.searchsorted(start, tenures.start, side="left")
    k1 = np.searchsorted(start, tenures.end, side="left")
    diff = np.zeros((shifts + 1, seats), dtype=np.int32)
    np.add.at(diff, (k0, tenures.seat), 1)
    np.add.at(diff, (k1, tenures.seat), -1)
    in_post = np.cumsum(diff[:-1], axis=0) > 0
    pace = np.ones((shifts, seats))
    ramp = team.ramp
    if ramp.weeks > 0 and ramp.start < 1 and tenures.new.any():
        span = ramp.weeks * SECONDS_PER_WEEK
        new = np.flatnonzero(tenures.new)
        first = k0[new]
        last = np.minimum(k1[new], np.searchsorted(start, tenures.start[new] + span, side="left"))
        count = np.clip(last - first, 0, None)
        which = np.repeat(new, count)
        offsets = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
        k = np.repeat(first, count) + offsets
        elapsed = start[k] - tenures.start[which]
        productivity = ramp.start + (1 - ramp.start) * np.minimum(elapsed / span, 1.0)
        pace[k, tenures.seat[which]] = 1.0 / productivity
    return in_post, pace


def ramp_pace(team: Team, elapsed: np.ndarray | float) -> np.ndarray:
    """Pace (review-time multiplier) of a new analyst ``elapsed`` seconds after their first day."""
    ramp = team.ramp
    elapsed = np.asarray(elapsed, dtype=float)
    if ramp.weeks <= 0:
        return np.ones_like(elapsed)
    return 1.0 / (ramp.start + (1 - ramp.start) * np.clip(elapsed / (ramp.weeks * SECONDS_PER_WEEK), 0, 1))


def _substream(rng: np.random.Generator, purpose: str, *key: int) -> np.random.Generator:
    """An independent stream derived from ``rng``'s seed for one purpose and key (a seat).

    It does not consume draws from ``rng``, and depends only on ``rng``'s seed sequence,
    the purpose and the key: seat 3's stream is the same whatever the number of seats.
    """
    seq = getattr(rng.bit_generator, "seed_seq", None)
    if not isinstance(seq, np.random.SeedSequence):  # a generator built without a SeedSequence
        seq = np.random.SeedSequence(int(rng.bit_generator.random_raw()))
    child = np.random.SeedSequence(seq.entropy, spawn_key=(*seq.spawn_key, zlib.crc32(purpose.encode()), *key),
                                   pool_size=seq.pool_size)
    return np.random.Generator(np.random.PCG64(child))


def exposure_cap(scenario: Scenario, team: Team) -> float:
    """``team``'s daily exposure cap in seconds (+inf for none): wellbeing tooling's cap, if it sets one, replaces the team's."""
    wellbeing = scenario.tooling.wellbeing
    if wellbeing.enabled and wellbeing.exposure_cap is not None:
        return wellbeing.exposure_cap
    return team.exposure_cap if team.exposure_cap is not None else np.inf


def rostered_hours_per_week(team: Team) -> float:
    """Hours a week one seat of ``team``'s roster is covered (shift hours × working days; no overtime)."""
    return team.roster.hours_per_day * len(set(team.roster.days))


FULL_TIME_HOURS = 40.0
"""Hours a week of a full-time contract, the default limit of ``contracted_hours``."""


def contracted_hours(team: Team) -> float:
    """Hours a week one analyst of ``team`` is contracted for: ``contracted_hours`` if given, else
    the roster's hours a week up to :data:`FULL_TIME_HOURS` (one analyst per seat unless the
    roster covers more than a full-time week)."""
    if team.contracted_hours is not None:
        return team.contracted_hours
    return min(rostered_hours_per_week(team), FULL_TIME_HOURS)


def people_per_seat(team: Team) -> float:
    """Analysts (people on ``team``'s contract) it takes to cover one seat of its roster: the
    roster's hours a week over :func:`contracted_hours`.

    1 for any roster of at most 40 hours a week by default; a 24/7 seat is 168 / 40 = 4.2
    (4.48 at ``contracted_hours: 37.5``). Shrinkage (leave, sickness, training) is paid absence
    within the contract, not extra people.
    """
    return rostered_hours_per_week(team) / contracted_hours(team)


def contracted_hours_per_year(team: Team) -> float:
    """Contracted hours a year of one analyst of ``team`` (a year of 365.25 days)."""
    return contracted_hours(team) * (SECONDS_PER_YEAR / SECONDS_PER_WEEK)


def planned_tenures(team: Team, clock: Clock) -> Tenures:
    """The tenures as planned, with no attrition: every open seat filled for all its open time."""
    seat, opens, closes, experienced, _ = seat_intervals(team, clock)
    return Tenures(seat=seat, start=opens, end=closes, new=~experienced, left=np.zeros(len(seat), dtype=bool))

