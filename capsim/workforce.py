"""Who is at work, when: rosters, shrinkage, and the workforce over time.

A team's roster gives one shift a day on its working days: ``hours_per_day`` from
``start`` (a ``24/7`` roster is a 24-hour shift starting at midnight, every day), plus any
``overtime`` (extra hours added to the end of every shift). Times are **seconds** after
midnight of the scenario's start date.

**Seats and people.** A seat is one position on the roster, covered on every shift; it
is :func:`seat_fte` FTE: the hours a week it is covered over one analyst's full-time week,
:func:`contracted_hours` (by default the longest roster's hours a week up to 40, so one person
per seat for any roster of at most 40 hours a week, and 4.2 for a 24/7 one). The queue sees
seats (one analyst per seat on each shift); FTE, salaries and budgets count FTE. Below,
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

**Shift patterns** (``shifts:``). A team may have several patterns (early and late, a weekend
rota, on-call cover), each its own roster and analysts, sharing the team's queues. Each pattern
is planned as a team of its own (:func:`pattern_team`: the first takes the team's headcount
less the others', and its planned changes and hires) from its own sub-stream, and the plans are
merged (:func:`_merge`): shifts in order of start, each pattern's seats a block of columns.
Shifts of different patterns may overlap; a shift concerns only its own pattern's seats.

**Leave and holidays.** A roster's ``holidays`` and ``public_holidays`` (a country's calendar,
from the ``holidays`` package) are days without a shift. ``leave:`` seasons take each analyst
away from each shift in them with probability ``share``, drawn like shrinkage but from a
stream of their own.

**Training** (``ramp.training_weeks``): a new analyst is in post but absent from the queue for
that long (zero output), then ramps up; ``ramp.mentor_hours`` a week per trainee are taken
from the start of the present analysts' shifts (:attr:`ShiftPlan.busy`).

**FTE.** Each seat has a contracted FTE (:attr:`ShiftPlan.fte`), by one rule however the roster is
written (:func:`seat_fte`, through :func:`people_per_seat` on one roster and :func:`pattern_fte` on a
shift pattern): not capped at 1, so 8 seats of 10 h × Mon–Fri are 10 FTE of a 40 h week both as a
``roster:`` and as a ``shifts:`` pattern. :func:`fte` and :func:`headcount_fte` count it.

**Random numbers.** Everything here is drawn from the team's stream (the ``rng`` given),
split into one sub-stream per seat and purpose, so that seat 3's absences and leaving times
are the same whatever the team's size and the horizon: two runs that differ only in
headcount share them (common random numbers).

Why it is one module (about 600 lines): rosters, absences, attrition, hiring and ramps all
build the one per-seat shift plan that the engine, costs and staffing read, from random
streams split from one generator per team.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import zlib
from dataclasses import dataclass, field

import numpy as np

from capsim.scenario import WEEKDAYS, Clock, PublicHolidays, Roster, Scenario, Team
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
    busy: np.ndarray | None = None
    """(shifts × seats) seconds at the start of each shift an analyst spends mentoring trainees
    (not reviewing); None for none."""
    pattern: np.ndarray | None = None
    """Shift pattern of each shift (row), for a team with several patterns; None for one."""
    bounds: np.ndarray | None = None
    """Seat columns of each pattern: pattern ``p`` owns columns [bounds[p], bounds[p + 1])."""
    fte: np.ndarray | None = None
    """Contracted FTE of the analyst in each seat (column); None: 1 each."""

    @property
    def busy_or_zero(self) -> np.ndarray:
        """:attr:`busy`, or zeros of the shape of :attr:`present`."""
        return np.zeros(self.present.shape) if self.busy is None else self.busy

    def columns(self, shift: int) -> slice:
        """The seats (columns) that shift ``shift`` concerns: its pattern's, or all of them."""
        if self.pattern is None:
            return slice(None)
        p = self.pattern[shift]
        return slice(int(self.bounds[p]), int(self.bounds[p + 1]))

    @property
    def on_duty(self) -> np.ndarray:
        """Analysts present at each shift."""
        return self.present.sum(axis=1)

    def available_seconds(self, t0: float, t1: float) -> float:
        """Analyst-seconds at work within [t0, t1): present analysts × time on shift."""
        return float(np.diff(self.cumulative_seconds(np.array([t0, t1])))[0])

    def usable_seconds(self, t0: float, t1: float, cap: float) -> float:
        """Analyst-seconds present analysts could review within [t0, t1): on each shift, its time
        within the window up to ``cap`` (the daily exposure cap, seconds; +inf for none), less
        the time they spend mentoring trainees on the shifts starting in the window."""
        within = np.clip(np.minimum(self.end, t1) - np.maximum(self.start, t0), 0, None)
        usable = float((self.on_duty * np.minimum(within, cap)).sum())
        if self.busy is not None:
            k0, k1 = np.searchsorted(self.start, [t0, t1], side="left")
            usable -= float(self.busy[k0:k1].sum())
        return usable

    def cumulative_seconds(self, times: np.ndarray) -> np.ndarray:
        """Analyst-seconds at work from time zero up to each of ``times`` (shifts of one pattern
        do not overlap; those of several patterns may)."""
        times = np.asarray(times, dtype=float)
        if len(self.start) == 0:
            return np.zeros(len(times))
        if self.pattern is not None:  # overlapping shifts: ∑ on_duty × (t − start) over started, less over ended
            def ramp(at: np.ndarray) -> np.ndarray:
                order = np.argsort(at, kind="stable")
                count, weighted = np.cumsum(self.on_duty[order]), np.cumsum(self.on_duty[order] * at[order])
                k = np.searchsorted(at[order], times, side="right") - 1
                safe = np.clip(k, 0, None)
                return np.where(k >= 0, times * count[safe] - weighted[safe], 0.0)
            return ramp(self.start) - ramp(self.end)
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

    def fte_seconds(self, t0: float, t1: float) -> float:
        """FTE-seconds in post within [t0, t1): the mean contracted FTE × (t1 - t0) (heads × their FTE)."""
        t = self._tenures()
        fte = np.ones(len(t)) if self.fte is None else self.fte[t.seat]
        return float((np.clip(np.minimum(t.end, t1) - np.maximum(t.start, t0), 0, None) * fte).sum())

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


def shift_plan(team: Team, clock: Clock, rng: np.random.Generator, until: float | None = None,
               kept: dict | None = None) -> ShiftPlan:
    """The shifts of ``team`` starting before ``until`` (default: the horizon), with its workforce over time.

    Seats, attrition, hiring, the ramp and shrinkage are drawn from ``rng`` (the team's
    stream) as the module docstring describes. A plan to a later ``until`` (the run-out
    after the horizon, :meth:`capsim.engine.Simulation.run`) has the same shifts, absences
    and analysts before the horizon; after it the seats stay as they are at the horizon
    (planned changes dated on or after the horizon are ignored) while attrition, refills,
    the ramp and shrinkage carry on. ``kept``: a dict the caller keeps between plans of the
    same team to later and later ``until`` (:func:`_seat_uniforms`), or None.
    """
    if team.shifts is not None:
        return _merge([shift_plan(pattern_team(team, p), clock, _substream(rng, "pattern", p), until, kept)
                       for p in range(len(team.shifts))], [pattern_fte(team, p) for p in range(len(team.shifts))])
    until = clock.horizon if until is None else until
    start = shift_starts(team, clock, until)
    rostered, overtime = shift_seconds(team)
    end = start + rostered + overtime  # in this order: start + their sum can differ in the last bit
    tenures = draw_tenures(team, clock, rng, until)
    seats = seat_count(team, clock)
    in_post, pace, training = _in_post_and_pace(start, tenures, seats, team)
    present = in_post
    if team.shrinkage > 0 and seats:
        present = in_post & (_seat_uniforms(rng, "shrinkage", seats, len(start), kept) >= team.shrinkage)
    if team.leave and seats:
        away = leave_share(team, clock, start)
        present = present & (_seat_uniforms(rng, "leave", seats, len(start), kept) >= away[:, None])
    busy = None
    if training is not None:
        present = present & ~training
        busy = _mentoring(team, training, present)
    return ShiftPlan(start=start, end=end, present=present, pace=pace, in_post=in_post, tenures=tenures,
                     overtime=overtime, horizon=clock.horizon, busy=busy,
                     fte=np.full(seats, people_per_seat(team)))


def shift_seconds(team: Team) -> tuple[float, float]:
    """Each of ``team``'s shifts in seconds, as (rostered, overtime): its roster's ``hours_per_day``, and the
    ``overtime`` added to its end (0 for none); the shift lasts their sum (:func:`shift_plan`; a team with
    ``shifts:`` has one per pattern, :func:`pattern_team`)."""
    return team.roster.hours_per_day * SECONDS_PER_HOUR, team.overtime or 0.0


def usable_shift_seconds(team: Team, cap: float) -> float:
    """The seconds of each of ``team``'s shifts (:func:`shift_seconds`, overtime included) an analyst may
    review: at most ``cap``, the daily exposure cap in seconds (:func:`exposure_cap`; +inf for none)."""
    rostered, overtime = shift_seconds(team)
    return min(rostered + overtime, cap)


def pattern_team(team: Team, p: int) -> Team:
    """Shift pattern ``p`` of ``team`` as a team of its own with one roster (the engine's unit).

    The first pattern takes the team's headcount and planned changes less the other patterns'
    analysts (hires go to it, :func:`pattern_headcounts`); the others keep their own headcount,
    with no changes. Each
    carries the team's attrition, hiring, ramp, shrinkage and leave, and its own FTE.
    """
    pattern = team.shifts[p]
    others = sum(q.headcount for q in team.shifts[1:])
    roster = Roster.model_construct(**{k: getattr(pattern, k) for k in Roster.model_fields})
    headcount = pattern_headcounts(team, team.headcount)[p]
    changes = [c.model_copy(update={"headcount": max(c.headcount - others, 0)}) for c in team.changes] if p == 0 else []
    return team.model_copy(update={"roster": roster, "headcount": headcount, "changes": changes, "shifts": None})


def pattern_headcounts(team: Team, headcount: int) -> list[int]:
    """Analysts on each of ``team``'s shift patterns when the team has ``headcount``: the first
    pattern takes what the others' own headcounts leave (never below zero)."""
    others = [q.headcount for q in team.shifts[1:]]
    return [max(headcount - sum(others), 0), *others]


def pattern_fte(team: Team, p: int) -> float:
    """Contracted FTE of one analyst (seat) on ``team``'s shift pattern ``p``: :func:`seat_fte`."""
    return seat_fte(team, team.shifts[p])


def pattern_hours_per_week(team: Team, p: int) -> float:
    """Hours a week one analyst on ``team``'s shift pattern ``p`` is rostered (shift hours × days)."""
    return roster_hours_per_week(team.shifts[p])


def _merge(plans: list[ShiftPlan], ftes: list[float]) -> ShiftPlan:
    """One plan from the plans of a team's shift patterns: their shifts in order of start (ties:
    pattern order), each pattern's seats in a block of columns with its FTE (``ftes``)."""
    widths = [p.present.shape[1] for p in plans]
    bounds = np.concatenate([[0], np.cumsum(widths)]).astype(np.int64)
    pattern = np.concatenate([np.full(len(p.start), i, dtype=np.int64) for i, p in enumerate(plans)])
    start = np.concatenate([p.start for p in plans])
    order = np.lexsort((pattern, start))
    rows, seats = len(start), int(bounds[-1])

    def blocks(name: str, fill, dtype) -> np.ndarray:
        out = np.full((rows, seats), fill, dtype=dtype)
        row = 0
        for i, p in enumerate(plans):
            out[row:row + len(p.start), bounds[i]:bounds[i + 1]] = getattr(p, name)
            row += len(p.start)
        return out[order]

    busy = blocks("busy_or_zero", 0.0, float) if any(p.busy is not None for p in plans) else None
    tenures = [p.tenures for p in plans]
    merged = Tenures(*(np.concatenate(c) for c in zip(*((t.seat + bounds[i], t.start, t.end, t.new, t.left)
                                                         for i, t in enumerate(tenures)))))
    return ShiftPlan(start=start[order], end=np.concatenate([p.end for p in plans])[order],
                     present=blocks("present", False, bool), pace=blocks("pace", 1.0, float),
                     in_post=blocks("in_post", False, bool), tenures=merged, overtime=plans[0].overtime,
                     horizon=plans[0].horizon, busy=busy, pattern=pattern[order], bounds=bounds,
                     fte=np.concatenate([np.full(w, f) for w, f in zip(widths, ftes)]))


def leave_share(team: Team, clock: Clock, start: np.ndarray) -> np.ndarray:
    """Probability each analyst is away on seasonal leave (``team.leave``) on the shifts starting at
    ``start`` (seconds): a season's ``share`` on the days from its start to its end (inclusive),
    combined as independent chances where seasons overlap."""
    day = (start // SECONDS_PER_DAY).astype(np.int64)
    stay = np.ones(len(start))
    for season in team.leave:
        first, last = (season.start - clock.start).days, (season.end - clock.start).days
        stay *= np.where((day >= first) & (day <= last), 1 - season.share, 1.0)
    return 1 - stay


def _mentoring(team: Team, training: np.ndarray, present: np.ndarray) -> np.ndarray | None:
    """(shifts × seats) seconds each present analyst spends mentoring at the start of each shift:
    ``ramp.mentor_hours`` a week per trainee, spread over the roster's shifts of the week and
    shared equally by the analysts present (lost if nobody is)."""
    if team.ramp.mentor_hours <= 0:
        return None
    per_shift = team.ramp.mentor_hours * SECONDS_PER_HOUR / len(set(team.roster.days))
    trainees = training.sum(axis=1)
    mentors = present.sum(axis=1)
    share = np.where(mentors > 0, trainees * per_shift / np.maximum(mentors, 1), 0.0)
    return present * share[:, None]


def shift_starts(team: Team, clock: Clock, until: float | None = None) -> np.ndarray:
    """Start of every shift of ``team``'s roster before ``until`` (default the horizon; seconds, increasing)."""
    roster = team.roster
    until = clock.horizon if until is None else until
    days = np.arange(math.ceil(until / SECONDS_PER_DAY) + 1)
    weekday = (clock.start.weekday() + days) % 7
    working = np.isin(weekday, [WEEKDAYS.index(d) for d in roster.days])
    holidays = [(h - clock.start).days for h in roster.holidays]
    if roster.public_holidays is not None:
        last = clock.start + dt.timedelta(days=int(days[-1]))
        holidays += [(h - clock.start).days for h in public_holidays(roster.public_holidays, clock.start, last)]
    working &= ~np.isin(days, holidays)
    begin = days * SECONDS_PER_DAY + roster.start_seconds
    return begin[working & (begin < until)].astype(float)


@functools.lru_cache(maxsize=64)
def public_holidays(calendar: PublicHolidays, first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    """The public holidays of ``calendar`` from ``first`` to ``last`` (inclusive), as the holidays package lists them."""
    return tuple(calendar.dates(first, last))


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


def _in_post_and_pace(start: np.ndarray, tenures: Tenures, seats: int,
                      team: Team) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(shifts × seats) arrays: analyst in post at each shift's start, their pace on it, and whether
    they are in training then (None without ``ramp.training_weeks``). The ramp starts when training ends."""
    shifts = len(start)
    k0 = np.searchsorted(start, tenures.start, side="left")
    k1 = np.searchsorted(start, tenures.end, side="left")
    diff = np.zeros((shifts + 1, seats), dtype=np.int32)
    np.add.at(diff, (k0, tenures.seat), 1)
    np.add.at(diff, (k1, tenures.seat), -1)
    in_post = np.cumsum(diff[:-1], axis=0) > 0
    pace = np.ones((shifts, seats))
    ramp = team.ramp
    new = np.flatnonzero(tenures.new)
    trained = ramp.training_weeks * SECONDS_PER_WEEK
    training = None
    if trained > 0:
        training = np.zeros((shifts, seats), dtype=bool)
        k, which = _shifts_within(start, k0[new], np.minimum(k1[new], np.searchsorted(start, tenures.start[new] + trained)), new)
        training[k, tenures.seat[which]] = True
    if ramp.weeks > 0 and ramp.start < 1 and len(new):
        span = ramp.weeks * SECONDS_PER_WEEK
        begin = tenures.start[new] + trained
        first = np.maximum(k0[new], np.searchsorted(start, begin, side="left"))
        last = np.minimum(k1[new], np.searchsorted(start, begin + span, side="left"))
        k, which = _shifts_within(start, first, last, new)
        elapsed = start[k] - tenures.start[which] - trained
        productivity = ramp.start + (1 - ramp.start) * np.minimum(elapsed / span, 1.0)
        pace[k, tenures.seat[which]] = 1.0 / productivity
    return in_post, pace, training


def _shifts_within(start: np.ndarray, first: np.ndarray, last: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every shift index in [first[i], last[i]) for each i, with the tenure row ``rows[i]`` it belongs to."""
    count = np.clip(last - first, 0, None)
    which = np.repeat(rows, count)
    offsets = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    return np.repeat(first, count) + offsets, which


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


def _seat_uniforms(rng: np.random.Generator, purpose: str, seats: int, n: int, kept: dict | None) -> np.ndarray:
    """(n × seats) uniforms on [0, 1): seat ``j``'s column is the first ``n`` draws of its own stream
    for ``purpose`` (:func:`_substream`). With ``kept`` (a dict held by the caller), each seat's
    stream and what it has drawn are kept there under ``rng``'s seed, so that a plan to a later
    ``until`` draws only its new shifts' numbers (the same ones: a stream's uniforms run on)
    instead of building every seat's stream again (the run-out extends each plan about ten times)."""
    seq = getattr(rng.bit_generator, "seed_seq", None)
    if kept is None or not isinstance(seq, np.random.SeedSequence):
        return np.stack([_substream(rng, purpose, j).random(n) for j in range(seats)], axis=1)
    streams = kept.setdefault((seq.entropy, seq.spawn_key, seq.pool_size, purpose), [])
    streams.extend((_substream(rng, purpose, j), np.zeros(0)) for j in range(len(streams), seats))
    for j, (stream, drawn) in enumerate(streams[:seats]):
        if len(drawn) < n:
            streams[j] = (stream, np.concatenate([drawn, stream.random(n - len(drawn))]))
    return np.stack([drawn[:n] for _, drawn in streams[:seats]], axis=1)


def exposure_cap(scenario: Scenario, team: Team) -> float:
    """``team``'s daily exposure cap in seconds (+inf for none): wellbeing tooling's cap, if it sets one, replaces the team's."""
    wellbeing = scenario.tooling.wellbeing
    if wellbeing.enabled and wellbeing.exposure_cap is not None:
        return wellbeing.exposure_cap
    return team.exposure_cap if team.exposure_cap is not None else np.inf


def roster_hours_per_week(roster: Roster) -> float:
    """Hours a week one seat of ``roster`` (a team's roster or one of its shift patterns) is
    covered: shift hours × working days, without overtime."""
    return roster.hours_per_day * len(set(roster.days))


def rostered_hours_per_week(team: Team) -> float:
    """Hours a week one seat of ``team``'s roster is covered (its first shift pattern's, with ``shifts:``)."""
    return roster_hours_per_week(team.roster)


FULL_TIME_HOURS = 40.0
"""Hours a week of a full-time contract, the default limit of ``contracted_hours``."""


def contracted_hours(team: Team) -> float:
    """Hours a week of one FTE of ``team``: one analyst's full-time contract.

    ``contracted_hours`` if given; else the longest week its rosters cover (its roster, or its
    shift patterns that have no ``fte`` of their own) up to :data:`FULL_TIME_HOURS`, the
    analysts being taken to be contracted for the hours they work up to a full-time week
    (:data:`FULL_TIME_HOURS` if every pattern has its own ``fte``). One rule for both ways of
    writing a roster, so that one roster and the same roster written as one shift pattern have
    the same contracted week.
    """
    if team.contracted_hours is not None:
        return team.contracted_hours
    weeks = [roster_hours_per_week(r) for r in (team.shifts or [team.roster]) if getattr(r, "fte", None) is None]
    return min(max(weeks, default=FULL_TIME_HOURS), FULL_TIME_HOURS)


def seat_fte(team: Team, roster: Roster) -> float:
    """Contracted FTE of one seat of ``roster`` (``team``'s roster or one of its shift patterns): the
    pattern's own ``fte`` if it has one, else the hours a week the seat is covered
    (:func:`roster_hours_per_week`) over :func:`contracted_hours`.

    This is the one rule of FTE, whichever way the roster is written: an FTE is a week of
    contracted hours, so a seat counts the contracted hours it takes to cover it. It is not
    capped at 1: one *person* is at most one FTE, so a seat covered for more than a full-time
    week takes more than one person (10 h × Mon–Fri = 50 h is 50 / 40 = 1.25 FTE; a 24/7 seat
    168 / 40 = 4.2), whose salaries a budget must pay. A seat covered for less is a part-time
    post, a fraction (a 20 h weekend rota beside 40 h weekday seats: 0.5).
    """
    own = getattr(roster, "fte", None)
    return own if own is not None else roster_hours_per_week(roster) / contracted_hours(team)


def people_per_seat(team: Team) -> float:
    """Contracted FTE of one seat of ``team``'s roster (:func:`seat_fte`): the analysts on its
    contract it takes to cover the seat.

    1 for any roster of at most 40 hours a week by default; a 24/7 seat is 168 / 40 = 4.2
    (4.48 at ``contracted_hours: 37.5``). Shrinkage (leave, sickness, training) is paid absence
    within the contract, not extra people.

    For a team with several shift patterns (``shifts:``): the mean FTE per seat at the start
    (:func:`headcount_fte`).
    """
    if team.shifts is not None:
        return headcount_fte(team, team.headcount) / team.headcount if team.headcount else 1.0
    return seat_fte(team, team.roster)


def headcount_fte(team: Team, headcount: int) -> float:
    """Contracted FTE of ``team`` at a headcount of ``headcount`` analysts (heads).

    One roster: headcount × :func:`people_per_seat`. Several shift patterns: the first pattern
    takes the headcount less the other patterns' analysts (as hires and planned changes do),
    and each analyst counts their pattern's FTE (:func:`pattern_fte`).
    """
    if team.shifts is None:
        return headcount * people_per_seat(team)
    return sum(h * pattern_fte(team, p) for p, h in enumerate(pattern_headcounts(team, headcount)))


def affordable_headcount(team: Team, fte: float) -> int:
    """The most analysts (seats; with shift patterns, heads) ``team`` can have whose contracted
    FTE (:func:`headcount_fte`) is at most ``fte`` (e.g. a yearly salary budget over one FTE's
    annual cost): the analysts already on the patterns hires do not join priced at their own
    patterns' FTE, and every other seat at the FTE of the pattern hires join (the first,
    :func:`pattern_headcounts`; one roster: :func:`people_per_seat`). 0 when ``fte`` does not
    pay for those already on the other patterns."""
    kept = 0 if team.shifts is None else sum(pattern_headcounts(team, 0)[1:])
    joined = people_per_seat(team) if team.shifts is None else pattern_fte(team, 0)
    left = fte - headcount_fte(team, kept)
    return 0 if left < -1e-9 else kept + math.floor(left / joined + 1e-9)


def fte(plan: ShiftPlan, t0: float, t1: float) -> float:
    """Mean contracted FTE in post over [t0, t1) (seconds) in a team's shift plan: each analyst in
    post counts their FTE (a seat of one roster: :func:`people_per_seat`; a shift pattern's
    analyst: :func:`pattern_fte`), absent or not. Budgets and costs count this, not heads
    (:meth:`ShiftPlan.headcount_at`)."""
    return plan.fte_seconds(t0, t1) / (t1 - t0) if t1 > t0 else 0.0


def contracted_hours_per_year(team: Team) -> float:
    """Contracted hours a year of one analyst of ``team`` (a year of 365.25 days)."""
    return contracted_hours(team) * (SECONDS_PER_YEAR / SECONDS_PER_WEEK)


def planned_tenures(team: Team, clock: Clock) -> Tenures:
    """The tenures as planned, with no attrition: every open seat filled for all its open time."""
    seat, opens, closes, experienced, _ = seat_intervals(team, clock)
    return Tenures(seat=seat, start=opens, end=closes, new=~experienced, left=np.zeros(len(seat), dtype=bool))

