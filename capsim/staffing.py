"""How many analysts: Erlang C / Erlang A estimates, and the simulation-based solver.

**Erlang estimates** (:func:`erlang_c_staffing`, :func:`erlang_a_staffing`) are for one
stationary period: Poisson arrivals at a constant rate, exponential review times, agents on
duty all the time, FIFO. They give the smallest number of agents *on duty* that meets every
target given — a service level ``P(time <= within) >= target``, a mean wait, and for
Erlang A a largest abandonment probability — then

* raise it to meet an occupancy cap: agents >= carried load / ``max_occupancy``;
* gross it up for shrinkage: rostered = ceil(agents / (1 - shrinkage)).

The service level is measured ``until="start"`` of service (the call-centre convention,
P(wait <= T)) or ``until="end"`` of service (capsim's SLA: an item *assessed*, i.e. its review
finished, within T of arriving). In Erlang A an arrival that abandons is a miss; one served
at once is a hit. Times and rates may be in any one unit (seconds throughout capsim).

Numerics: Erlang B/C by the stable recursion in :mod:`capsim.queueing` (hundreds or
thousands of agents are fine); Erlang A from the exact birth-death distribution, and its
service level from the tagged customer's absorbing chain solved with a sparse matrix
exponential. A load at or above capacity (Erlang C, or a bound on agents at or below the
load) has no steady state: the formulas do not apply and a :class:`ValueError` says that
the simulation (``capsim staff``) is needed there.

**The simulation solver** (:func:`solve_staffing`) plans a team's headcount period by period
(months, quarters or years from the end of the warm-up) so that every SLA of the team is met,
for the items *arriving in each period*, in at least ``confidence`` of the replications:

1. *Needed*: per period, the smallest constant headcount that does so. Every candidate runs
   the same replications under the same seed (common random numbers), over only the teams
   the planned team's queue depends on (:func:`planned_team`); one run answers for every
   period it covers, and runs as far as the periods it is predicted to be asked about (the
   need found so far per Erlang of work, :meth:`_Runner.horizon`), so a candidate tried for
   one period is reused for the next. The search starts just below a workload estimate
   (Erlang C for a round-the-clock team) or the previous period's answer scaled by the growth
   of the work arriving (never below one fewer than that answer), steps up while
   cheap failures come, then brackets and bisects, relying on more analysts never doing
   worse: also replication by replication, so a replication a smaller team met a period in
   is not run again for a larger one (:meth:`_Runner.known`). The replications still unknown
   run hardest first, and stop as soon as the verdict cannot change (curtailed sampling: the
   same verdict as running them all). A parametric early pass (a normal tolerance bound from
   a few replications) was tried and left out: attainment across replications is far from
   normal (docs/examples/hotline-growing.yaml, quarter 6 at 10 analysts: 99.8–100% in the first
   five replications, 65–72% in three of the next five), so a few good replications say little
   about the rest: it passed 10 analysts there, which meet the quarter in 7 of 10, not 9.
2. *The plan*: seats in post never fall while the need rises (reductions only when asked,
   and then, on a period's first day, never seats that the next period, or one whose hires are due
   within a hiring lead time after the cut, needs back: :func:`_cut_reach`, nor a lasting hire that
   has not served a lead time: :func:`_cut_served`, nor seats a later period needs back with too little
   more work per available analyst-hour to explain its need: :func:`_noise_hold`), within the limits (:class:`Limits`): hires
   per period, budget, smallest and largest team.
3. *The check*: the plan is replayed as a whole, hardest replications first; the earliest
   period it misses gets the fewest *temporary* analysts that meet it (within the limits),
   and the plan is replayed again, while that still adds seats (:func:`_catch_up`); a replay
   that misses stops as soon as that is certain. Temporary seats clear the work earlier
   periods (late hires) leave, or the work in hand that fewer seats before a rise leave (a need is
   found with its headcount in post from the start: :func:`_cover_words`), and close on the first day of the first later period met with
   fewer, or at the first month's end within their period by which the replay with them closing
   then still meets every period it met (:func:`_shorten_cover`): the need-based seats never fall,
   temporary cover does. The plan's attainment is that
   of the replay on every replication, and ``plan.yaml`` (its :meth:`StaffingPlan.fragment`)
   reproduces it.

New seats start their training (``ramp.training_weeks`` and ``ramp.weeks``) so as to be trained when their period begins,
and must be recruited ``hiring.lead_time`` before that: the hire-by date, the day recruiting must
start, shown as it is even before the plan starts (its first period's first day, when recruiting can
begin). A hire already late says by how many weeks; the plan then has it start when it can (the
plan's start plus the lead time: :attr:`PeriodPlan.starts`), and that plan, not the ideal one, is
replayed, reported and written to ``plan.yaml``, with the service level it would have had with every
hire on time beside it. Where no headcount up to
the bound meets the target it says why (the roster leaves items waiting longer than the SLA
window, the exposure cap leaves too few review hours, or a shift pattern hires never join stays
too small) and the best attainable level; an SLA the roster alone makes impossible is left out
and the period planned for the others.

Why it is one module (over 1,000 lines): the Erlang estimates seed and bound the simulation-
based solver, and the solver's period-by-period search, its limits and the replay share one
plan object; together they answer one question, how many analysts and when.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import pandas as pd

from capsim import engine
from capsim.demand import STAGES, StreamSource, cell_seconds, cleared_share, rate_at
from capsim.kernel import refer_rows
from capsim.memory import check_run, default_workers
from capsim.metric_names import items_words, sla_words
from capsim.metrics import eventual_waits, metric_range, sla_attainment, sla_attainment_by_group, team_priorities
from capsim.queueing import _erlang_a_distribution, erlang_c, mmc_service_level, mmc_wait_mean
from capsim.passes import group_values, reachable_in_time
from capsim.periods import calendar_periods, too_short
from capsim.pool import worker_pool
from capsim.records import ItemTable, Replication
from capsim.results import mean_ci
from capsim.scenario import HeadcountChange, Roster, Scenario, Team
from capsim.units import (SECONDS_PER_DAY, SECONDS_PER_HOUR, duration_text, durations_words, format_duration,
                          percent, percent_against, target_percent)
from capsim.workforce import (affordable_headcount, exposure_cap, contracted_hours, headcount_fte, leave_share,
                               pattern_headcounts, pattern_team, seat_steps, shift_seconds, shift_starts,
                               usable_shift_seconds)

Until = Literal["start", "end"]


# =========================================================================== Erlang


@dataclass(frozen=True)
class ErlangStaffing:
    """An Erlang staffing estimate for one stationary period (times in the inputs' unit).

    ``agents`` is on duty at every moment and meets every target; ``rostered`` grosses it up
    for shrinkage. ``agents_for_service`` meets the service targets alone and
    ``agents_for_occupancy`` the occupancy cap alone. The measures are those at ``agents``.
    """

    model: str
    offered_load: float
    agents_for_service: int
    agents_for_occupancy: int
    agents: int
    rostered: int
    service_level: float
    p_wait: float
    wait_mean: float
    p_abandon: float
    occupancy: float


def _capacity_message(load: float, agents: int, model: str = "Erlang C") -> str:
    return (f"offered load {load:g} Erlangs is at or above capacity ({agents} agents): the {model} formula has "
            "no steady state there and does not apply; use the simulation (capsim staff) instead")


def _check_rate(name: str, value: float) -> float:
    value = float(value)
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{name} must be a finite number above 0, got {value!r}")
    return value


def _check_share(name: str, value: float, low_open: bool = True) -> float:
    value = float(value)
    if not ((0 < value if low_open else 0 <= value) and value <= 1):
        raise ValueError(f"{name} must be between 0 and 1, got {value!r}")
    return value


def _tail_sum_of_two(alpha: float, mu: float, t: float) -> float:
    """P(A + B > t) for independent A ~ Exp(alpha), B ~ Exp(mu), stable when alpha ≈ mu."""
    d = mu - alpha
    x = d * t
    h = -math.expm1(-x) / x if abs(x) > 1e-12 else 1.0 - x / 2  # (1 - e^{-x}) / x
    return math.exp(-mu * t) + mu * t * math.exp(-alpha * t) * h


def erlang_c_service_level(arrival_rate: float, mean_service: float, agents: int, within: float,
                           until: Until = "start") -> float:
    """Share of arrivals served (``until="start"``) or finished (``"end"``) within ``within`` in M/M/c.

    ``"start"``: 1 - C exp(-(c mu - lambda) T). ``"end"``: the wait W (0 with probability
    1 - C, else Exp(c mu - lambda)) plus an independent Exp(mu) service:
    P(W + S <= T) = (1 - C)(1 - e^{-mu T}) + C (1 - P(Exp(c mu - lambda) + Exp(mu) > T)).
    Raises ``ValueError`` at or above capacity (the simulation is needed there).
    """
    lam, es = _check_rate("arrival_rate", arrival_rate), _check_rate("mean_service", mean_service)
    if lam * es >= agents:
        raise ValueError(_capacity_message(lam * es, agents))
    if until == "start":
        return mmc_service_level(lam, es, agents, within)
    if until != "end":
        raise ValueError(f"until must be 'start' or 'end', got {until!r}")
    mu = 1.0 / es
    c = erlang_c(agents, lam * es)
    if math.isinf(within):
        return 1.0
    no_wait = -math.expm1(-mu * within)
    return (1 - c) * no_wait + c * (1 - _tail_sum_of_two(agents * mu - lam, mu, within))


def _absorbed_by(rates: np.ndarray, t: float) -> np.ndarray:
    """Pure-death chain: from stage i (1..n) to i - 1 at ``rates[i - 1]``; 0 absorbs.

    Returns P(absorbed by ``t`` | start at stage i) for i = 0..n (the sum of i independent
    exponential stage times is at most ``t``), by a sparse matrix exponential.
    """
    from scipy.sparse import diags
    from scipy.sparse.linalg import expm_multiply

    n = len(rates)
    if math.isinf(t):
        return np.ones(n + 1)
    diagonal = -np.concatenate([[0.0], rates])
    q = diags([diagonal, rates], [0, -1], shape=(n + 1, n + 1), format="csr")
    e0 = np.zeros(n + 1)
    e0[0] = 1.0
    return np.clip(expm_multiply(q * t, e0), 0.0, 1.0)


@dataclass(frozen=True)
class _ErlangA:
    p_wait: float
    p_abandon: float
    wait_mean_served: float
    occupancy: float
    pi: np.ndarray


def _erlang_a_state(lam: float, es: float, agents: int, patience: float) -> _ErlangA:
    mu, theta = 1.0 / es, 1.0 / patience
    pi = _erlang_a_distribution(lam, mu, agents, theta)
    queue = pi[agents:]
    j = np.arange(1, len(queue) + 1, dtype=float)
    lq = float(np.dot(j - 1, queue))
    p_abandon = min(max(theta * lq / lam, 0.0), 1.0)
    cmu = agents * mu
    served_j = cmu / (cmu + j * theta)
    served_wait = float(np.dot(queue, served_j * np.cumsum(1.0 / (cmu + j * theta))))
    p_served = float(pi[:agents].sum()) + float(np.dot(queue, served_j))
    return _ErlangA(p_wait=float(queue.sum()), p_abandon=p_abandon,
                    wait_mean_served=served_wait / p_served if p_served > 0 else 0.0,
                    occupancy=lam * (1 - p_abandon) * es / agents, pi=pi)


def erlang_a_service_level(arrival_rate: float, mean_service: float, agents: int, mean_patience: float,
                           within: float, until: Until = "start") -> float:
    """Share of arrivals served (``"start"``) or finished (``"end"``) within ``within`` in M/M/c+M.

    An arrival finding ``j - 1`` waiting ahead of it (j >= 1) moves up at rate
    c mu + k theta with k ahead and abandons at rate theta, so it is served with probability
    c mu / (c mu + j theta), and, given that, its wait is a sum of independent
    Exp(c mu + i theta), i = 1..j. Abandoners are misses; arrivals finding a free agent
    wait 0. Stable at any load (abandonment bounds the queue).
    """
    lam, es = _check_rate("arrival_rate", arrival_rate), _check_rate("mean_service", mean_service)
    patience = _check_rate("mean_patience", mean_patience)
    if until not in ("start", "end"):
        raise ValueError(f"until must be 'start' or 'end', got {until!r}")
    state = _erlang_a_state(lam, es, agents, patience)
    mu, theta = 1.0 / es, 1.0 / patience
    queue = state.pi[agents:]
    j = np.arange(1, len(queue) + 1, dtype=float)
    stages = agents * mu + j * theta
    if until == "start":
        reached = _absorbed_by(stages, within)[1:]
        at_once = 1.0
    else:  # one more stage: the review itself
        reached = _absorbed_by(np.concatenate([[mu], stages]), within)[2:]
        at_once = -math.expm1(-mu * within)
    served = agents * mu / (agents * mu + j * theta)
    return float(state.pi[:agents].sum() * at_once + np.dot(queue, served * reached))


def smallest_passing(ok: Callable[[int], bool], guess: int, low: int, high: int) -> int | None:
    """Smallest n in [low, high] with ok(n), for ok monotone (false, then true); None if ok(high) fails.

    Brackets outward from ``guess`` by doubling steps, then bisects: about 2 log₂ of the
    distance from the guess evaluations, not one per candidate.
    """
    if low > high:
        return None
    guess = min(max(guess, low), high)
    if ok(guess):
        good, bad, step = guess, low - 1, 1
        while good > low:
            candidate = max(good - step, low)
            if not ok(candidate):
                bad = candidate
                break
            good, step = candidate, step * 2
    else:
        bad, step = guess, 1
        while True:
            if bad >= high:
                return None
            candidate = min(bad + step, high)
            if ok(candidate):
                good = candidate
                break
            bad, step = candidate, step * 2
    while good - bad > 1:
        middle = (good + bad) // 2
        if ok(middle):
            good = middle
        else:
            bad = middle
    return good


def _gross_up(agents: int, shrinkage: float) -> int:
    shrinkage = float(shrinkage)
    if not 0 <= shrinkage < 1:
        raise ValueError(f"shrinkage must be at least 0 and below 1, got {shrinkage!r}")
    raw = agents / (1 - shrinkage)
    return math.ceil(raw - 1e-9 * max(raw, 1.0))


def _occupancy_floor(carried: float, max_occupancy: float) -> int:
    raw = carried / _check_share("max_occupancy", max_occupancy)
    return max(1, math.ceil(raw - 1e-9 * max(raw, 1.0)))


def _default_bound(load: float) -> int:
    return math.ceil(load + 50 * math.sqrt(load) + 100)


def erlang_c_staffing(arrival_rate: float, mean_service: float, *, target: float | None = None,
                      within: float | None = None, until: Until = "start", max_wait_mean: float | None = None,
                      max_occupancy: float = 1.0, shrinkage: float = 0.0, max_agents: int | None = None) -> ErlangStaffing:
    """Smallest M/M/c staffing meeting a service level and/or a mean wait (Erlang C).

    ``target`` and ``within``: P(time <= within) >= target (``until`` "start": the wait;
    "end": wait plus review). ``max_wait_mean``: mean wait in queue at most that. Then
    agents >= load / ``max_occupancy``, and rostered = agents / (1 - ``shrinkage``), rounded up.
    ``max_agents`` bounds the search (default: load + 50 √load + 100); a bound at or below
    the load is refused (no steady state: the simulation is needed).

    Example: 360 calls per half hour (0.2/s), 240 s each, 80% answered within 20 s needs 54
    agents; with an 85% occupancy cap, 57 (48 Erlangs / 0.85 = 56.5).
    """
    lam, es = _check_rate("arrival_rate", arrival_rate), _check_rate("mean_service", mean_service)
    load = lam * es
    if (target is None) != (within is None):
        raise ValueError("give target and within together (P(time <= within) >= target)")
    if target is not None:
        _check_share("target", target)
    bound = _default_bound(load) if max_agents is None else int(max_agents)
    if bound <= load:
        raise ValueError(_capacity_message(load, bound))
    low = math.floor(load) + 1

    def ok(c: int) -> bool:
        if target is not None and erlang_c_service_level(lam, es, c, within, until) < target:
            return False
        return max_wait_mean is None or mmc_wait_mean(lam, es, c) <= max_wait_mean

    service = smallest_passing(ok, low, low, bound)
    if service is None:
        raise ValueError(f"no number of agents up to {bound} meets the targets (load {load:g} Erlangs)")
    occupancy = _occupancy_floor(load, max_occupancy)
    agents = max(service, occupancy)
    return ErlangStaffing(
        model="erlang_c", offered_load=load, agents_for_service=service, agents_for_occupancy=occupancy,
        agents=agents, rostered=_gross_up(agents, shrinkage),
        service_level=erlang_c_service_level(lam, es, agents, within, until) if within is not None else math.nan,
        p_wait=erlang_c(agents, load), wait_mean=mmc_wait_mean(lam, es, agents), p_abandon=0.0,
        occupancy=load / agents,
    )


def erlang_a_staffing(arrival_rate: float, mean_service: float, mean_patience: float, *,
                      target: float | None = None, within: float | None = None, until: Until = "start",
                      max_wait_mean: float | None = None, max_abandon: float | None = None,
                      max_occupancy: float = 1.0, shrinkage: float = 0.0, max_agents: int | None = None) -> ErlangStaffing:
    """Smallest M/M/c+M staffing meeting a service level, a mean wait and/or an abandonment cap (Erlang A).

    As :func:`erlang_c_staffing`, with exponential patience of mean ``mean_patience``
    (an item that waits longer expires). ``max_abandon``: P(abandon) at most that.
    ``max_wait_mean`` bounds the mean wait of the items served. Occupancy is the carried
    load lambda (1 - P(abandon)) E[S] over the agents.
    """
    lam, es = _check_rate("arrival_rate", arrival_rate), _check_rate("mean_service", mean_service)
    patience = _check_rate("mean_patience", mean_patience)
    load = lam * es
    if (target is None) != (within is None):
        raise ValueError("give target and within together (P(time <= within) >= target)")
    if target is not None:
        _check_share("target", target)
    if max_abandon is not None:
        _check_share("max_abandon", max_abandon, low_open=False)
    _check_share("max_occupancy", max_occupancy)
    bound = _default_bound(load) if max_agents is None else int(max_agents)
    if bound < 1:
        raise ValueError("max_agents must be at least 1")
    states: dict[int, _ErlangA] = {}

    def state(c: int) -> _ErlangA:
        if c not in states:
            states[c] = _erlang_a_state(lam, es, c, patience)
        return states[c]

    def ok_service(c: int) -> bool:
        s = state(c)
        if max_abandon is not None and s.p_abandon > max_abandon:
            return False
        if max_wait_mean is not None and s.wait_mean_served > max_wait_mean:
            return False
        return target is None or erlang_a_service_level(lam, es, c, patience, within, until) >= target

    service = smallest_passing(ok_service, 1, 1, bound)
    occupancy = smallest_passing(lambda c: state(c).occupancy <= max_occupancy * (1 + 1e-12), 1, 1, bound)
    if service is None or occupancy is None:
        raise ValueError(f"no number of agents up to {bound} meets the targets (load {load:g} Erlangs)")
    agents = max(service, occupancy)
    s = state(agents)
    return ErlangStaffing(
        model="erlang_a", offered_load=load, agents_for_service=service, agents_for_occupancy=occupancy,
        agents=agents, rostered=_gross_up(agents, shrinkage),
        service_level=erlang_a_service_level(lam, es, agents, patience, within, until) if within is not None else math.nan,
        p_wait=s.p_wait, wait_mean=s.wait_mean_served, p_abandon=s.p_abandon, occupancy=s.occupancy,
    )


# =========================================================================== periods

PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}

DAYS_A_MONTH = 30.4375
"""Days in a calendar month on average (365.25 / 12): a period's nominal length is its months × this."""


@dataclass(frozen=True)
class Period:
    """One planning period: [t0, t1) seconds from the start; ``first`` its first day, ``last`` its last."""

    index: int
    first: dt.date
    last: dt.date
    t0: float
    t1: float


def add_months(date: dt.date, months: int) -> dt.date:
    """``date`` moved by whole calendar months (the day clipped to the month's length)."""
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def plan_periods(scenario: Scenario, period: str, calendar: bool = False, shortest_days: float = 0.0) -> list[Period]:
    """The planning periods: calendar ``period``s (month, quarter, year) from the first midnight
    after the warm-up; the last ends at the horizon, and a last piece shorter than a third
    of a period joins the one before. With ``calendar`` (year or quarter), cut instead where the
    run's results per period are cut (:func:`capsim.periods.calendar_periods`: at each 1 January,
    or each quarter's first day): a first and last part period stay periods of their own, so a plan
    is solved in the very periods its run is reported and checked in, but one shorter than
    ``shortest_days`` days (unless every period is: :func:`capsim.periods.too_short`, the rule the
    report judges its years by) joins its neighbour, the period after a first, before a last: less
    than four weeks is too short to plan seats for on its own."""
    if period not in PERIOD_MONTHS:
        raise ValueError(f"period must be one of {', '.join(PERIOD_MONTHS)}, got {period!r}")
    clock = scenario.clock
    first_day = math.ceil(clock.warmup / SECONDS_PER_DAY)
    if first_day * SECONDS_PER_DAY >= clock.horizon:
        raise ValueError("the horizon ends before the first whole day after the warm-up: nothing to plan")
    start = clock.start + dt.timedelta(days=first_day)
    if calendar:
        cuts = [p.start for p in calendar_periods(scenario, period) if p.start > first_day * SECONDS_PER_DAY]
        bounds = [start] + [clock.start + dt.timedelta(days=round(t / SECONDS_PER_DAY)) for t in cuts]
        times = [first_day * SECONDS_PER_DAY, *cuts, clock.horizon]
        short = too_short(list(zip(times, times[1:])), shortest_days)
        if short[-1]:  # a last stub joins the period before it
            del times[-2], bounds[-1]
        if short[0]:  # a first stub, the period after it
            del times[1], bounds[1]
    else:
        months = PERIOD_MONTHS[period]
        bounds = [start]
        while (bounds[-1] - clock.start).days * SECONDS_PER_DAY < clock.horizon:
            bounds.append(add_months(start, months * len(bounds)))
        times = [(d - clock.start).days * SECONDS_PER_DAY for d in bounds]
        times[-1] = clock.horizon
        nominal = months * DAYS_A_MONTH * SECONDS_PER_DAY
        if len(times) > 2 and times[-1] - times[-2] < nominal / 3:
            del times[-2], bounds[-2]
    periods = []
    for i in range(len(times) - 1):
        last = clock.start + dt.timedelta(days=math.ceil(times[i + 1] / SECONDS_PER_DAY) - 1)
        periods.append(Period(i, bounds[i], last, times[i], times[i + 1]))
    return periods


# =========================================================================== per-period outcomes


def planned_team(scenario: Scenario, team: str) -> tuple[Scenario, int]:
    """``scenario`` cut down to what ``team``'s queue depends on, and the team's index in it.

    Kept: the team, every team that refers items to it (directly or through others), their
    streams and the routing among them. Teams it refers to, and teams beside it, change
    nothing in its queue, and every random stream is drawn by name
    (:func:`capsim.engine.process_rng`), so the team sees the very same items and analysts'
    absences as in the whole scenario, at a fraction of the cost.
    """
    keep = {team} | scenario.referral_reach({team}, upstream=True)
    workforce = [t for t in scenario.workforce if t.team in keep]
    demand = [s.model_copy(update={"team": scenario.team_of(s)}) for s in scenario.demand if scenario.team_of(s) in keep]
    if not demand:
        raise ValueError(f"team {team!r} receives no work: no stream goes to it, and no team refers items to it")
    routing = [r for r in scenario.routing if r.source in keep and r.to in keep]
    reduced = scenario.model_copy(update={"workforce": workforce, "demand": demand, "routing": routing})
    return reduced, [t.team for t in workforce].index(team)


def team_slas(scenario: Scenario, team_index: int) -> list:
    """The SLAs that apply to a team: those of the priorities its items can have
    (:func:`capsim.metrics.team_priorities`), measured as ``sla_<priority>_<team>``."""
    handled = team_priorities(scenario)[scenario.workforce[team_index].team]
    return [s for s in scenario.sla if s.priority in handled]


def period_attainment(scenario: Scenario, rep: Replication, t0: float, t1: float,
                      team_index: int = 0) -> dict[str, float]:
    """Per SLA priority of the team: the share of its items *arriving in [t0, t1)* assessed within
    the SLA window — ``sla_<priority>_<team>`` of :mod:`capsim.metrics` restricted to arrivals in the
    period (:func:`capsim.metrics.sla_attainment`; eventual ends known from the run-out, expired
    items are misses). NaN where no such item arrived."""
    return {s.priority: sla_attainment(scenario, rep, s.priority, s.within, team_index, (t0, t1))
            for s in team_slas(scenario, team_index)}


def roster_bounds(scenario: Scenario, rep: Replication, which: np.ndarray, windows: int,
                  team_index: int = 0) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Per SLA priority of the team, per period: the largest share of the period's items that
    *could* be assessed in time (NaN where no such item arrived), and the largest share that could
    *start* in time (the roster alone), from one pass each. ``which`` gives the period of
    each of the team's items (0 .. ``windows`` - 1) and -1 for every other item, as
    :func:`_replication_outcomes` builds it from :func:`window_of`.

    An item can start no sooner than the first moment at which its team has someone on
    shift (nights, weekends, holidays and absences push it later), and end no sooner than its
    review time after that (with ``carry_over``, the review stops at the shift's end and goes on
    at the next shift's start); if that is already ``within`` after it arrived, no headcount can
    assess it in time (:func:`capsim.passes.reachable_in_time`). The review time is the one
    recorded: as it took, for an item started (a new analyst's slower pace included), so where
    new analysts took many items the bound is a little low. A priority none of the team's shift
    patterns serves (``serves``) has bounds of 0: no analyst ever takes its items.
    """
    items, plan = rep.items, rep.shifts[team_index]
    staffed = plan.on_duty > 0
    starts, ends = plan.start[staffed], plan.end[staffed]
    assessed, started = {}, {}
    team = scenario.workforce[team_index]
    for sla in team_slas(scenario, team_index):  # one compiled pass over the items per priority
        count, *hits = reachable_in_time(items.arrival, which, items.priority, scenario.priorities.index(sla.priority),
                                         starts, ends, sla.within, windows, items.service, team.carry_over)
        served = team.serves(sla.priority)  # else no analyst on any shift takes one: none can be in time
        started[sla.priority], assessed[sla.priority] = (np.divide(h if served else np.zeros_like(h), count,
                                                                   out=np.full(windows, np.nan), where=count > 0)
                                                         for h in hits)
    return assessed, started


def window_of(arrival: np.ndarray, windows: list[tuple[float, float]]) -> np.ndarray:
    """Index of the window [t0, t1) (sorted, not overlapping) each arrival falls in, -1 for none.

    Arrivals in time order (a team's own streams: the usual case) are cut at the windows'
    bounds, two binary searches a window, rather than one per arrival."""
    if len(arrival) > 1 and bool(np.all(arrival[1:] >= arrival[:-1])):
        out = np.full(len(arrival), -1, dtype=np.int64)
        for k, (t0, t1) in enumerate(windows):
            out[np.searchsorted(arrival, t0, side="left"):np.searchsorted(arrival, t1, side="left")] = k
        return out
    starts = np.array([t0 for t0, _ in windows])
    ends = np.array([t1 for _, t1 in windows])
    k = np.searchsorted(starts, arrival, side="right") - 1
    return np.where((k >= 0) & (arrival < ends[np.clip(k, 0, None)]), k, -1)


def _team_cap(scenario: Scenario, team_index: int) -> float:
    return exposure_cap(scenario, scenario.workforce[team_index])


def _wait_known(rep: Replication) -> np.ndarray:
    """Per item, whether :func:`capsim.metrics.eventual_waits` gives it a wait (it started, by the
    horizon or in the run-out, or was in hand when the run-out stopped: :func:`capsim.passes.waits_of`)."""
    return np.isfinite(np.where(rep.censored, rep.after.stopped, rep.eventual_start))


def _replication_outcomes(scenario: Scenario, seed: int, replication: int, team_index: int,
                          windows: list[tuple[float, float]]) -> list[dict]:
    """One replication's outcomes in each planning period (picklable, for worker processes):
    SLA attainment (:func:`period_attainment`, every period in one pass) and its roster bounds
    (:func:`roster_bounds`: assessed and started in time) per priority, mean eventual wait (hours),
    hours of work arriving and of review time on shift (hours)."""
    rep = engine.simulate_replication(scenario, seed, replication)
    items, plan = rep.items, rep.shifts[team_index]
    cap = _team_cap(scenario, team_index)
    n = len(windows)
    which = np.where(items.team == team_index, window_of(items.arrival, windows), -1)
    sla = {}
    for s in team_slas(scenario, team_index):  # as period_attainment: the priority's items after the warm-up
        key = np.where((items.priority == scenario.priorities.index(s.priority)) & (items.arrival >= rep.warmup),
                       which, -1)
        sla[s.priority] = sla_attainment_by_group(rep, key, n, s.within)
    bounds, starts = roster_bounds(scenario, rep, which, n, team_index)
    # every period's work and eventual waits in one pass each, grouped by period in row order: each
    # group the very values (so the very sums and means) of that period's mask
    work, work_at = group_values(which, n, items.service)
    in_window = which >= 0
    waits = eventual_waits(rep, in_window)[0]  # the waits known, in row order
    waits, waits_at = group_values(which[in_window & _wait_known(rep)], n, waits)
    outcomes = []
    for i, (t0, t1) in enumerate(windows):
        mine = waits[waits_at[i]:waits_at[i + 1]]
        outcomes.append({
            "sla": {p: float(v[i]) for p, v in sla.items()},
            "bound": {p: float(v[i]) for p, v in bounds.items()},
            "start_bound": {p: float(v[i]) for p, v in starts.items()},
            "wait_mean": float(mine.mean()) if len(mine) else math.nan,
            "work_hours": float(work[work_at[i]:work_at[i + 1]].sum()) / SECONDS_PER_HOUR,
            "review_hours": plan.usable_seconds(t0, t1, cap) / SECONDS_PER_HOUR,
            "rostered_hours": plan.available_seconds(t0, t1) / SECONDS_PER_HOUR,
        })
    return outcomes


# =========================================================================== the solver


@dataclass
class Evaluation:
    """One staffing tried, in one period: per-replication attainment and whether every SLA was met.

    ``headcount`` is the seats in post in the period; ``sla`` per priority the attainment in
    each replication run (a share); ``met`` per replication, every SLA at its target;
    ``wait_mean`` the mean eventual wait in hours; ``work_hours``, ``review_hours`` and
    ``rostered_hours`` the hours of work arriving, of usable review time (present analysts'
    time on shift up to the exposure cap, less mentoring) and of rostered time on shift, means
    over replications.
    """

    headcount: int
    sla: dict[str, np.ndarray]
    met: np.ndarray
    bound: dict[str, float]
    wait_mean: float
    work_hours: float
    review_hours: float
    rostered_hours: float = math.nan
    start_bound: dict[str, float] = field(default_factory=dict)
    """Per priority, as ``bound`` (the share of the items that could be assessed in time,
    :func:`roster_bounds`) but for starting in time: the roster alone, without the review's time."""

    @property
    def share_met(self) -> float:
        """Share of the replications run in which every SLA was met."""
        return float(self.met.mean()) if len(self.met) else math.nan

    @property
    def replications(self) -> int:
        return len(self.met)


def _evaluation(outcomes: list[dict], headcount: int, slas: list, planned: list | None = None) -> Evaluation:
    """An :class:`Evaluation` from one period's outcomes in each replication: attainment of every SLA
    of ``slas``, and met where each of ``planned`` (default: all of them) is at its target."""
    sla = {s.priority: np.array([o["sla"][s.priority] for o in outcomes]) for s in slas}
    met = np.ones(len(outcomes), dtype=bool)
    for s in slas if planned is None else planned:
        met &= np.isnan(sla[s.priority]) | (sla[s.priority] >= s.target)

    def mean(values: list[float]) -> float:
        values = [v for v in values if not math.isnan(v)]
        return float(np.mean(values)) if values else math.nan

    return Evaluation(
        headcount=headcount, sla=sla, met=met,
        bound={s.priority: mean([o["bound"][s.priority] for o in outcomes]) for s in slas},
        start_bound={s.priority: mean([o["start_bound"][s.priority] for o in outcomes]) for s in slas},
        wait_mean=mean([o["wait_mean"] for o in outcomes]),
        work_hours=mean([o["work_hours"] for o in outcomes]),
        review_hours=mean([o["review_hours"] for o in outcomes]),
        rostered_hours=mean([o["rostered_hours"] for o in outcomes]),
    )


@dataclass
class PeriodPlan:
    """The plan for one period.

    ``needed``: the smallest headcount meeting every SLA in the period in ``confidence`` of
    the replications with a constant headcount (None: none up to the bound does);
    ``headcount``: seats in post in the plan (never below the period before unless reductions
    are allowed); ``change``: against the period before (the first period: against the seats in
    post today); ``hire_by``: when recruiting the hires must start for them to be trained by the
    period's first day (that day less the training and the hiring lead time: :func:`_ideal_hire_by`),
    even where that is before the plan starts (the first period's first day, when recruiting can
    begin); ``late_weeks``: how far it is before then (0: in time); ``evaluation`` and ``met``: the
    plan itself replayed as it can happen (hires late start the lead time after the plan starts:
    :attr:`StaffingPlan.staffing`, and :attr:`starts`);
    ``decided_run`` and ``decided_inferred``: of the replications that showed ``needed`` meeting
    the period in ``required`` of them (or, for ``needed`` - 1, missing), how many it ran and how
    many were inferred from other headcounts (:meth:`_Runner.known`).
    """

    period: Period
    needed: int | None
    headcount: int
    change: int
    hire_by: dt.date | None
    late_weeks: int
    evaluation: Evaluation
    met: bool
    note: str = ""
    decided_run: int = 0
    decided_inferred: int = 0
    left_out: tuple[str, ...] = ()
    """Priorities whose SLAs the period is not planned for, as no headcount can meet them (the roster
    leaves too few of their items reachable in time): ``needed`` is for the others, the evaluation's
    ``met`` too, and ``met`` false."""
    short: tuple[int, dt.date | None] | None = None
    """Where hires are late, the seats in post on the period's first day in the plan as it can happen
    (:attr:`StaffingPlan.staffing`, fewer than ``headcount``) and the day ``headcount`` are all in
    post (None: not within the period); None when they are in post from its first day."""

    hires: int = 0
    """New seats started for the period: permanent ones where the need-based seats rise, and temporary
    ones where :attr:`temporary` rises (more than ``change`` where temporary seats close as others start)."""
    temporary: int = 0
    """Seats of ``headcount`` that are temporary cover above the need-based plan (step 3 of
    :func:`solve_staffing`): hired to clear the work earlier periods leave, they close on the first day
    of the first later period with fewer."""
    temporary_until: dt.date | None = None
    """The last day of :attr:`temporary` where the seats close before the period's last day (the plan
    replayed meets every period it met without them after it: :func:`_shorten_cover`); None: they stay
    to its end at least."""
    cover_ended: int = 0
    """Temporary seats of the period before that close on this period's first day (those closing
    within the period before are its :attr:`temporary_until`)."""
    cut: int = 0
    """Need-based seats cut at this period (reductions allowed: :func:`_cut_words`)."""
    alone: str = ""
    """Where the period's need alone asks for seats and the work arriving in it does not explain them
    (:func:`lone_rise`), or it cuts seats an earlier period needed with too little more work to explain
    the fall (:func:`lone_fall`): why that rise (or cut) rests on little evidence and how to check it
    (:func:`_lone_rise_words`, :func:`_lone_fall_words`, also in :attr:`note`); "" otherwise."""
    starts: dt.date | None = None
    """The day the period's new analysts start (training begins) in the plan as it can happen, the date
    ``plan.yaml`` and its replay give them: :attr:`hire_by` plus the hiring lead time when that is in time,
    else the plan's first day plus the lead time (:func:`_realistic`); None where the period hires none."""
    cover_stopped: int | None = None
    """Where the check adding temporary cover (step 3 of :func:`solve_staffing`) stopped at this period,
    the seats in post that still did not meet it with the work left from earlier periods; None otherwise."""
    met_planned: bool = False
    """Whether the plan replayed meets every SLA it is planned for (those not :attr:`left_out`) in enough
    replications: :attr:`met` where none is left out."""
    left_out_reasons: tuple[str, ...] = ()
    """Why each SLA of :attr:`left_out` is left out, in its order (:func:`_roster_words`: the roster's reason,
    or no shift pattern serving its priority); the note opens with them."""

    @property
    def short_words(self) -> str:
        """:attr:`short` for a table cell beside the period's dates: "5 until 3 May", "5 all period";
        "" when none."""
        if self.short is None:
            return ""
        seats, full = self.short
        return f"{seats} until {full:%-d %b}" if full else f"{seats} all period"


@dataclass
class StaffingPlan:
    """The solver's answer, period by period."""

    scenario: Scenario
    team: str
    confidence: float
    replications: int
    seed: int
    baseline: int
    max_headcount: int
    periods: list[PeriodPlan] = field(default_factory=list)
    evaluations: int = 0
    """Distinct staffings simulated (each a headcount or a plan, over as many replications as it took)."""
    runs: float = 0.0
    """Replications simulated, in whole-horizon equivalents."""
    tried: dict[int, dict[int, Evaluation]] = field(default_factory=dict)
    """The constant headcounts the search ran: period index → headcount → evaluation."""
    staffing: Staffing = ()
    """The plan as dated headcounts: the first in post from the start, each later one from its date;
    hires that are late start when they can (:func:`_realistic`): what ``plan.yaml`` replays."""
    workers: int = 1
    """Worker processes that made it (the plan is the same on any number)."""

    @property
    def attainable(self) -> bool:
        """True if every period met its targets as planned."""
        return all(p.met for p in self.periods)

    def promised(self, k: int) -> bool:
        """Whether the plan must meet period ``k``: a headcount meets its SLAs (none left out), the plan
        gives it at least that many seats (limits on hires, budget or headcount may hold it below), all
        of them in post on its first day in the plan as it can happen (no hires late: ``short`` None),
        and the check adding temporary cover did not stop there. A period not promised that the plan
        misses says why in its note; one promised is met (``met``)."""
        p = self.periods[k]
        return (p.needed is not None and p.headcount >= p.needed and not p.left_out and p.short is None
                and p.cover_stopped is None)

    def table(self) -> pd.DataFrame:
        """The plan as written to ``staffing_plan.csv``: per period, the headcount needed (empty
        where no headcount meets the targets), in post (``headcount``: seats of one roster, or
        analysts on shift patterns; ``fte``: their contracted full-time equivalents, one FTE being
        ``fte_weekly_hours`` a week, :func:`capsim.staff_notes.fte_basis`; ``temporary``: how many of them
        are temporary cover, :attr:`PeriodPlan.temporary`), hires (:attr:`PeriodPlan.hires`), hire-by date, weeks late, SLA attainment of the plan replayed (mean and 95%
        CI across replications), and the work arriving as a share of the usable review hours
        (``workload_usable``: 1 means every hour analysts may review is needed) and of the
        rostered hours (``workload_rostered``, lower by the exposure cap and mentoring: the rest of
        a shift is not idle time). How sure: ``replications_met``, the share of the plan's
        replications meeting every SLA planned for, and ``met_chance_low``, a 95% lower bound on the
        chance that the period is met (:func:`met_chance_low`); ``needed_replications``, the replications
        that decided the need (run for that headcount, or inferred from others: ``needed_inferred``).
        ``left_out``: the SLAs (``sla_<priority>``) no headcount can meet, so the period is planned for
        the others (:attr:`PeriodPlan.left_out`), and ``met`` false; ``met_planned``, whether it meets those
        others (:attr:`PeriodPlan.met_planned`). ``in_post_at_start``: the seats in
        post on its first day in the plan as it can happen (fewer than ``headcount`` where hires are
        late), and ``all_in_post_from`` the day all ``headcount`` are (empty: from its first day, or
        not within the period while ``in_post_at_start`` is below ``headcount``: :attr:`PeriodPlan.short`);
        ``temporary_until`` the last day of the ``temporary`` seats where they close before the period's end
        (empty: they stay to it; :attr:`PeriodPlan.temporary_until`); ``hires_start`` the day its hires start
        as replayed (:attr:`PeriodPlan.starts`; later than ``hire_by`` plus the lead time where they are late)."""
        rows = []
        for p in self.periods:
            row = {"period": p.period.index + 1, "period_start": p.period.first.isoformat(),
                   "period_end": p.period.last.isoformat(), "headcount": p.headcount, "change": p.change,
                   "hire_by": p.hire_by.isoformat() if p.hire_by else "",
                   "needed": p.needed if p.needed is not None else math.nan,
                   "hires": p.hires, "temporary": p.temporary, "late_weeks": p.late_weeks}
            for s in team_slas(self.scenario, self._index):
                mean, low, high = mean_ci(p.evaluation.sla[s.priority], bounds=metric_range(f"sla_{s.priority}"))
                row[f"sla_{s.priority}"] = mean
                row[f"sla_{s.priority}_ci_low"] = low
                row[f"sla_{s.priority}_ci_high"] = high
                row[f"sla_{s.priority}_target"] = s.target
            row["wait_mean"] = p.evaluation.wait_mean
            row["fte"] = headcount_fte(self.scenario.workforce[self._index], p.headcount)
            row["fte_weekly_hours"] = contracted_hours(self.scenario.workforce[self._index])
            row["workload_usable"] = _ratio(p.evaluation.work_hours, p.evaluation.review_hours)
            row["workload_rostered"] = _ratio(p.evaluation.work_hours, p.evaluation.rostered_hours)
            row["replications"] = p.evaluation.replications
            row["replications_met"] = p.evaluation.share_met
            row["met_chance_low"] = met_chance_low(round(p.evaluation.share_met * p.evaluation.replications),
                                                   p.evaluation.replications)
            row["needed_replications"] = p.decided_run + p.decided_inferred
            row["needed_inferred"] = p.decided_inferred
            row["confidence"] = self.confidence
            row["met"] = p.met
            row["left_out"] = " ".join(f"sla_{s}" for s in p.left_out)
            row["met_planned"] = p.met_planned
            row["in_post_at_start"] = p.short[0] if p.short else p.headcount
            row["all_in_post_from"] = p.short[1].isoformat() if p.short and p.short[1] else ""
            row["temporary_until"] = p.temporary_until.isoformat() if p.temporary_until else ""
            row["hires_start"] = p.starts.isoformat() if p.starts else ""
            row["note"] = p.note
            rows.append(row)
        return pd.DataFrame(rows)

    @property
    def _index(self) -> int:
        return [t.team for t in self.scenario.workforce].index(self.team)

    def changes(self) -> list[dict]:
        """The plan as the team's ``changes:`` (dated headcounts, the first in force from the start)."""
        return [{"date": d.isoformat(), "headcount": h} for d, h in self.staffing]

    def temporary_lines(self) -> list[str]:
        """The plan's temporary seats (:attr:`PeriodPlan.temporary`) in words, a line a period that has
        them (for ``plan.yaml``'s comments, whose ``changes:`` close them): how many, and when they
        close: within the period (:attr:`PeriodPlan.temporary_until`), on the next period's first day
        (its :attr:`PeriodPlan.cover_ended`, the rest going on into it), or at the plan's end."""
        lines = []
        for k, p in enumerate(self.periods):
            if not p.temporary:
                continue
            after = self.periods[k + 1] if k + 1 < len(self.periods) else None
            if p.temporary_until:
                closing = f"closed on {p.temporary_until + dt.timedelta(days=1)}"
            elif after is None:
                closing = "kept to the plan's end"
            elif after.cover_ended == p.temporary:
                closing = f"closed on {after.period.first}"
            elif after.cover_ended:
                closing = f"{after.cover_ended} of them closed on {after.period.first}, the rest kept into the next period"
            else:
                closing = "kept into the next period"
            before = self.periods[k - 1].headcount if k else self.baseline
            labels = [f"period {j + 1}" for j in range(k)]
            cover = ("the work earlier periods leave" if _left_behind(self.periods[:k], labels) else
                     f"the work in hand the {before} seats before it leave (no earlier period left a backlog)")
            lines.append(f"period {k + 1} ({p.period.first} to {p.period.last}): {p.temporary} of its {p.headcount} "
                         f"seats {'is' if p.temporary == 1 else 'are'} temporary cover for {cover}, {closing}")
        return lines

    def lone_rise_lines(self) -> list[str]:
        """A line a period whose need alone asks for seats its work does not explain, or that cuts seats
        its work does not explain letting go (:attr:`PeriodPlan.alone`), for ``plan.yaml``'s comments."""
        return [f"period {k + 1} ({p.period.first} to {p.period.last}): {p.alone}"
                for k, p in enumerate(self.periods) if p.alone]

    def fragment(self) -> dict:
        """The plan as a scenario fragment: the team's headcount and ``changes:``, to merge into the
        scenario (teams merge by name, so a file ``extends:``-ing the scenario may hold just this)."""
        (_, first), *rest = self.staffing
        return {"workforce": [{"team": self.team, "headcount": first,
                               "changes": [{"date": d, "headcount": h} for d, h in rest]}]}

    def scenario_with_plan(self, made_by: str = "capsim staff") -> Scenario:
        """The scenario with the plan written into the team's headcount and ``changes`` (and named
        among its :attr:`~capsim.scenario.Scenario.overrides`, for footers and reports, with
        ``made_by``: the command or step that made the plan)."""
        (_, first), *rest = self.staffing
        steps = "".join(f", {h} from {d}" for d, h in rest)
        return with_changes(self.scenario, self._index, self.staffing).with_override(
            f"plan: workforce.{self.team} headcount {first}{steps} ({made_by})")


def met_chance_low(met: int, replications: int, level: float = 0.95) -> float:
    """One-sided ``level`` lower confidence bound on the chance that a period is met, from ``met``
    of ``replications`` replications meeting it (Clopper–Pearson; 10 of 10: 0.74). NaN for none."""
    from scipy.stats import beta

    if replications < 1:
        return math.nan
    return float(beta.ppf(1 - level, met, replications - met + 1)) if met else 0.0


def _ratio(a: float, b: float) -> float:
    """a / b, NaN where b is zero or unknown."""
    return a / b if b and not math.isnan(b) else math.nan


def with_changes(scenario: Scenario, team_index: int, changes: list[tuple[dt.date, int]],
                 horizon: float | None = None) -> Scenario:
    """``scenario`` with the team's headcount plan replaced (and the horizon cut to ``horizon``).

    ``changes`` are (date, headcount): the first is in post, experienced, from time zero (its
    date is not used); each later one is a planned change on its date (new analysts start and
    ramp up then, surplus seats close).
    """
    team = scenario.workforce[team_index]
    planned = [HeadcountChange(date=d, headcount=h) for d, h in changes[1:]]
    workforce = list(scenario.workforce)
    workforce[team_index] = team.model_copy(update={"headcount": changes[0][1], "changes": planned})
    update: dict = {"workforce": workforce}
    if horizon is not None and horizon < scenario.clock.horizon:
        update["clock"] = scenario.clock.model_copy(update={"horizon": horizon})
    return scenario.model_copy(update=update)


REACH_SAMPLE = 1 << 16
"""Items of a stream drawn to estimate the share of them each team reviews (:func:`reach_shares`): a
share p is then within two standard errors, 2 √(p (1 - p) / 65,536), at most 0.4 percentage points."""


def reach_shares(scenario: Scenario, stream_index: int) -> np.ndarray:
    """Per team (by index), the reviews per item of a stream that reaches a human (a share): 1 at the
    team the stream goes to and, at each team the routing rules refer its items to (directly or
    through others), the share referred there.

    Estimated from :data:`REACH_SAMPLE` items with the engine's own attributes
    (:class:`capsim.demand.StreamSource`, known items as left by hash matching), referred by the
    engine's own rules (:func:`capsim.engine.referrals_of`, :func:`capsim.kernel.refer_rows`) team by
    team in referral order; drawn under a fixed seed, so the same for any run's seed."""
    stream = scenario.demand[stream_index]

    def rng(name: str) -> np.random.Generator:
        return engine.process_rng(0, 0, f"{name}:{stream.stream}")

    source = StreamSource(scenario, stream_index, {stage: rng(stage) for stage in STAGES})
    cleared = cleared_share(scenario, stream)
    known = (stream.mix.known - cleared) / (1 - cleared) if cleared < 1 else 0.0  # among the items reaching a human
    n = REACH_SAMPLE
    items = ItemTable(n)
    items.append(arrival=np.zeros(n), service=0.0, deadline=np.inf, priority=0, stream=stream_index,
                 team=[t.team for t in scenario.workforce].index(scenario.team_of(stream)),
                 flags=source.item_flags(np.array([n]), np.array([known])))
    referrals = engine.referrals_of(scenario, rng)
    for i in scenario.team_order():
        finished = np.flatnonzero(items.team[:len(items)] == i)
        for referral in referrals[i]:
            draws = referral.uniforms(len(finished)) if referral.draws else engine.NO_DRAWS
            first = items.room(len(finished))
            referred, _ = refer_rows(finished, referral.bits, referral.wanted, referral.shares, draws, referral.own,
                                     referral.to, first, items.arrival, items.deadline, items.end, items.flags,
                                     items.stream, items.team, items.priority, items.parent)
            items.add(referred)
    return np.bincount(items.team[:len(items)], minlength=len(scenario.workforce)) / n


def work_shares(scenario: Scenario, team_index: int) -> np.ndarray:
    """Per stream, the reviews a team does per item of it that reaches a human, in the team's
    review times for the item's unit: 1 for the team's own streams; for the others, the share the
    routing rules refer to it (:func:`reach_shares`) × the tools' factor at a receiving team
    (:meth:`capsim.tooling.Tooling.time_factor`); 0 without routing."""
    team = scenario.workforce[team_index].team
    referred_factor = scenario.tooling.time_factor(screening=False)
    return np.array([1.0 if scenario.team_of(stream) == team else
                     float(reach_shares(scenario, i)[team_index]) * referred_factor if scenario.routing else 0.0
                     for i, stream in enumerate(scenario.demand)])


def expected_work(scenario: Scenario, team_index: int, t0: float, t1: float, shares: np.ndarray | None = None) -> float:
    """Expected analyst-seconds of review arriving for a team in [t0, t1): the items of every stream
    that reach a human × the team's reviews of each (``shares``: :func:`work_shares`, worked out here
    if not given), at the team's review time for the item's unit. A referral is counted when its
    item arrives, not when the team referring it finishes it (a lag of its wait there)."""
    team = scenario.workforce[team_index]
    clock = scenario.clock
    width = cell_seconds(clock)
    total = 0.0
    shares = work_shares(scenario, team_index) if shares is None else shares
    for stream, share in zip(scenario.demand, shares.tolist()):
        if not share:
            continue
        edges = np.arange(t0, t1, width, dtype=float)
        ends = np.minimum(edges + width, t1)
        count = float((rate_at(stream, clock, (edges + ends) / 2) * (ends - edges)).sum())
        if stream.initial_backlog and t0 <= 0 < t1:
            count += stream.initial_backlog
        review = scenario.review_time(team.team, stream.unit)
        total += count * (1 - cleared_share(scenario, stream)) * share * review.mean_seconds
    return total


def workload_estimate(scenario: Scenario, team_index: int, period: Period, occupancy: float = 0.85,
                      shares: np.ndarray | None = None) -> int:
    """A first guess at the headcount a period needs, from the work arriving in it (``shares``: the
    team's :func:`work_shares`, worked out here if not given).

    For a round-the-clock team without an exposure cap: Erlang C for its strictest SLA
    (until the end of review), grossed up for shrinkage. Otherwise: the load spread over
    the hours analysts can review (rostered share of the week, exposure cap, shrinkage)
    at ``occupancy`` (1: just keeping up, a lower bound). Only a starting point for the
    simulation search.
    """
    team = scenario.workforce[team_index]
    span = period.t1 - period.t0
    work = expected_work(scenario, team_index, period.t0, period.t1, shares)
    load = work / span if span > 0 else 0.0
    if load <= 0:
        return max(1, seat_steps(team, scenario.clock)[0])
    cap = _team_cap(scenario, team_index)
    roster = team.roster
    streams = [s for s in scenario.demand if scenario.team_of(s) == team.team]
    slas = [s for s in scenario.sla if s.priority in {p for st in streams for p in st.own_priorities}]
    if roster.round_the_clock and math.isinf(cap) and slas and streams:
        rate = sum(float(rate_at(s, scenario.clock, np.array([(period.t0 + period.t1) / 2]))[0]) for s in streams)
        try:
            strictest = min(slas, key=lambda s: (s.within, -s.target))
            estimate = erlang_c_staffing(rate, load / rate, target=strictest.target, within=strictest.within,
                                         until="end", shrinkage=team.shrinkage)
            return estimate.rostered
        except (ValueError, ZeroDivisionError):
            pass
    shift = sum(shift_seconds(team))
    duty = shift * len(set(roster.days)) / (7 * SECONDS_PER_DAY)  # share of the week on shift
    available = duty * min(1.0, cap / shift) * (1 - team.shrinkage)
    return max(1, math.ceil(load / (available * occupancy) - 1e-9))


def seat_availability(scenario: Scenario, team_index: int, periods: Sequence[Period]) -> list[float]:
    """Per period, the share of its time one seat of the team is expected to be available to review
    (analyst-seconds per second, so the period's Erlangs of work over it are the work per available
    analyst-hour, in seats: :attr:`_Runner.busy`): its shifts starting in the period (after ``holidays`` and
    ``public_holidays``), each as long as the shift with overtime up to the exposure cap, times the chance
    the analyst is present (less ``shrinkage`` and that day's seasonal ``leave``). With ``shifts:``, the
    patterns' shares weighted by their analysts at the team's headcount (equally where none has any).
    Ramp-up and mentoring, which depend on the plan's hires, are left out."""
    team = scenario.workforce[team_index]
    cap = exposure_cap(scenario, team)
    patterns = [pattern_team(team, p) for p in range(len(team.shifts))] if team.shifts else [team]
    counts = pattern_headcounts(team, team.headcount) if team.shifts else [1]
    weights = np.array(counts, dtype=float) if sum(counts) > 0 else np.ones(len(patterns))
    bounds = np.array([p.t0 for p in periods] + [periods[-1].t1])
    shares = np.zeros(len(periods))
    for pattern, weight in zip(patterns, weights / weights.sum()):
        start = shift_starts(pattern, scenario.clock, periods[-1].t1)
        start = start[start >= bounds[0]]
        hours = usable_shift_seconds(pattern, cap)
        present = (1 - pattern.shrinkage) * (1 - leave_share(pattern, scenario.clock, start))
        seconds = np.bincount(np.searchsorted(bounds, start, side="right") - 1, present * hours,
                              minlength=len(periods) + 1)[:len(periods)]
        shares += weight * seconds / np.diff(bounds)
    return shares.tolist()


Staffing = tuple[tuple[dt.date, int], ...]
"""A team's headcount over the run: (date, seats), the first in force from time zero."""

Progress = Callable[[float, float, str], None]
"""Called as progress(done, total, what): replications run and expected, in whole-horizon runs."""

BATCH = 2
"""Replications a candidate runs at least at a time while its verdict is open (more when the verdict
needs more): a constant, not the number of workers, so that the replications run, and so every
figure of the plan (down to the replications that decided each need), are the same on any number
of workers; 2, the cores the speed goal is set on (one worker runs the two in turn)."""


class _Runner:
    """Runs replications of staffings, caches their per-period outcomes, and decides periods.

    Every staffing runs replication r under the same seed (common random numbers), so two
    candidates differ only by their headcount, and a replication that is hard for one (a run of
    leavers, a busy month) is hard for the others. The search uses that three ways
    (:meth:`passes`): a replication a smaller team met a period in is met by a larger one, and
    one a larger team missed is missed by a smaller one (more analysts never do worse), so
    neither is run again; the replications still unknown run hardest first (those other
    candidates came closest to missing), at least ``batch`` at a time (:data:`BATCH`, whatever the
    workers, so that what is run, and so the plan, is the same on any number of them); and they
    stop as soon as the verdict is certain (curtailed sampling: the same verdict as running them all).
    """

    def __init__(self, scenario: Scenario, team_index: int, periods: list[Period], seed: int, replications: int,
                 confidence: float, batch: int, executor: Executor | None, progress: Progress | None,
                 shares: np.ndarray | None = None):
        """``shares``: the team's :func:`work_shares`, if already worked out."""
        self.scenario, self.team_index, self.periods, self.seed = scenario, team_index, periods, seed
        shares = work_shares(scenario, team_index) if shares is None else shares
        self.load = [expected_work(scenario, team_index, p.t0, p.t1, shares) / (p.t1 - p.t0)  # Erlangs
                     for p in periods]
        # the seats the work would keep busy all their available hours: the work per available analyst-hour
        self.busy = [load / share if share > 0 else math.inf
                     for load, share in zip(self.load, seat_availability(scenario, team_index, periods))]
        # analysts needed per Erlang of work: at first the workload estimate at full occupancy, then
        # the need found in the latest period decided over its load (for :meth:`horizon`)
        self.scale = workload_estimate(scenario, team_index, periods[0], 1.0, shares) / max(self.load[0], 1e-9)
        self.window = max(s.within for s in scenario.sla)
        self.replications, self.confidence = replications, confidence
        self.required = max(1, math.ceil(confidence * replications - 1e-9))
        self.batch, self.executor, self.progress = max(1, batch), executor, progress
        self.slas = team_slas(scenario, team_index)
        self.cache: dict[tuple[Staffing, float], dict[int, list[dict]]] = {}  # replication → outcome per period
        self.decided: dict[tuple[int, int], tuple[int, int]] = {}  # (heads, period) → replications run, inferred
        self.left_out: dict[int, tuple[str, ...]] = {}  # period → priorities whose SLAs it is not planned for
        self.runs = 0.0  # replications run, in whole-horizon equivalents
        self.expected = 0.0

    def outcomes(self, staffing: Staffing, reps: int | list[int], horizon: float | None = None) -> dict[int, list[dict]]:
        """Outcomes per period of the replications ``reps`` (a number n: the first n), running those
        not run yet; replication number → its outcomes."""
        horizon = self.scenario.clock.horizon if horizon is None else horizon
        have = self.cache.setdefault((staffing, horizon), {})
        wanted = list(range(min(reps, self.replications))) if isinstance(reps, int) else list(reps)
        todo = [r for r in wanted if r not in have]
        if todo:
            candidate = with_changes(self.scenario, self.team_index, list(staffing), horizon)
            windows = [(p.t0, p.t1) for p in self.periods if p.t1 <= horizon]
            args = [(candidate, self.seed, r, self.team_index, windows) for r in todo]
            if self.executor is None:
                results = (_replication_outcomes(*a) for a in args)
            else:
                results = self.executor.map(_replication_outcomes, *zip(*args))
            for r, result in zip(todo, results):
                have[r] = result
                self.runs += horizon / self.scenario.clock.horizon
                if self.progress:
                    self.expected = max(self.expected, self.runs)
                    self.progress(self.runs, self.expected, f"{staffing[0][1]}" if len(staffing) == 1 else "plan")
        return {r: have[r] for r in wanted}

    def planned(self, k: int) -> list:
        """The SLAs planned for in period ``k``: the team's, but those :meth:`leave_out` took out."""
        return [s for s in self.slas if s.priority not in self.left_out.get(k, ())]

    def leave_out(self, k: int, priorities: tuple[str, ...]) -> None:
        """Plan period ``k`` without the SLAs of ``priorities`` (no headcount can meet them), forgetting
        the verdicts reached with them."""
        self.left_out[k] = priorities
        self.decided = {key: v for key, v in self.decided.items() if key[1] != k}

    def met(self, outcome: dict, k: int) -> bool:
        """Whether one replication's period ``k`` meets every SLA planned for (:meth:`planned`)."""
        return all(math.isnan(outcome["sla"][s.priority]) or outcome["sla"][s.priority] >= s.target
                   for s in self.planned(k))

    def margin(self, outcome: dict, k: int) -> float:
        """How far one replication's period ``k`` is above its targets: the smallest attainment less its
        target, over the SLAs planned for."""
        return min([outcome["sla"][s.priority] - s.target for s in self.planned(k)
                    if not math.isnan(outcome["sla"][s.priority])], default=math.inf)

    def horizon(self, staffing: Staffing, k: int) -> float:
        """How far to run a constant headcount asked about period ``k``: a run already made that
        covers the period, else to the end of the last period whose predicted need is at most that
        many analysts and two more, and at least period ``k + 1``, plus the longest SLA window. The
        prediction is the period's load (Erlangs of work arriving) times :attr:`scale`, the need
        found in the latest period decided over its load: a candidate is usually asked about the
        next period or two as well (the one below the need first, then the need), and a run that
        stops short of them must be made again from the start, while one that covers them tells
        the next candidate up which replications it meets (:meth:`known`). Runs stop short of the
        periods a candidate clearly cannot staff, so a too-small candidate costs little."""
        full = self.scenario.clock.horizon
        covering = [h for (st, h), have in self.cache.items() if st == staffing and h >= self.periods[k].t1]
        if covering:
            return max(covering, key=lambda h: (len(self.cache[(staffing, h)]), h))
        heads = staffing[-1][1]
        reach = max([min(k + 1, len(self.periods) - 1)]
                    + [j for j, load in enumerate(self.load) if load * self.scale <= heads + 2])
        return full if reach == len(self.periods) - 1 else min(full, self.periods[reach].t1 + self.window)

    def known(self, staffing: Staffing, k: int, horizon: float) -> tuple[dict[int, bool], int]:
        """Which replications meet period ``k``, as far as known: those ``staffing`` ran to
        ``horizon``, and for a constant headcount those inferred from other constant headcounts
        (met by fewer analysts: met; missed by more: missed; where two disagree, unknown). Also
        how many of them were inferred."""
        own = {r: self.met(o[k], k) for r, o in self.cache.get((staffing, horizon), {}).items() if len(o) > k}
        if len(staffing) != 1:
            return own, 0
        heads = staffing[0][1]
        inferred: dict[int, set[bool]] = {}
        for (other, _), have in self.cache.items():
            if len(other) != 1 or other[0][1] == heads:
                continue
            for r, o in have.items():
                if r not in own and len(o) > k:
                    met = self.met(o[k], k)
                    if met == (other[0][1] < heads):
                        inferred.setdefault(r, set()).add(met)
        inferred = {r: next(iter(v)) for r, v in inferred.items() if len(v) == 1}
        return {**inferred, **own}, len(inferred)

    def verdict(self, known: dict[int, bool]) -> bool | None:
        """A period's verdict from the replications known to meet it or not: True once
        ``required`` meet it, False once too few can (even if every unknown one did), else None."""
        met = sum(known.values())
        if met >= self.required:
            return True
        return False if met + self.replications - len(known) < self.required else None

    def until_verdict(self, known: dict[int, bool], misses_only: bool = False) -> int:
        """The fewest more replications before :meth:`verdict` can change from None: enough misses
        to fail or (unless ``misses_only``) enough meets to pass. They run at once, keeping every
        worker busy, with the same verdict and the same replications run as one batch at a time."""
        met = sum(known.values())
        to_fail = self.replications - self.required + 1 - (len(known) - met)
        return to_fail if misses_only else min(self.required - met, to_fail)

    def hardest_first(self, ks: list[int], reps: list[int]) -> list[int]:
        """``reps`` in order of how close the staffings run so far came to missing periods ``ks``
        in them (their mean margin, :meth:`margin`): the likeliest misses first, replications
        never run (margin taken as 0) between the known hard and the known easy."""
        margins: dict[int, list[float]] = {}
        for have in self.cache.values():
            for r, o in have.items():
                margins.setdefault(r, []).extend(self.margin(o[k], k) for k in ks if len(o) > k)
        score = {r: float(np.mean([m for m in v if math.isfinite(m)] or [0.0])) for r, v in margins.items()}
        return sorted(reps, key=lambda r: (score.get(r, 0.0), r))

    def passes(self, staffing: Staffing, k: int) -> bool:
        """Whether period ``k`` meets every SLA in at least ``required`` of the replications,
        running only the replications not known (:meth:`known`), hardest first
        (:meth:`hardest_first`), a batch at a time, until the verdict is certain (:meth:`verdict`)."""
        horizon = self.horizon(staffing, k)
        while True:
            known, inferred = self.known(staffing, k, horizon)
            answer = self.verdict(known)
            if answer is not None:
                if len(staffing) == 1:
                    self.decided.setdefault((staffing[0][1], k), (len(known) - inferred, inferred))
                return answer
            unknown = self.hardest_first([k], [r for r in range(self.replications) if r not in known])
            self.outcomes(staffing, unknown[:max(self.batch, self.until_verdict(known))], horizon)

    def replay(self, staffing: Staffing, checked: list[int]) -> list[int]:
        """Run a plan over the whole horizon, a batch of replications at a time (hardest first),
        and return the periods of ``checked`` it misses (fewer than ``required`` replications meet
        them) as soon as one is certain to: a plan that misses is dropped after a few
        replications, not run on all of them; [] once every replication has run and none misses.
        Expects (:meth:`expect`) the runs it may still need: the replications not yet run."""
        horizon = self.scenario.clock.horizon
        self.expect(self.replications - len(self.cache.get((staffing, horizon), [])))
        while True:
            have = self.cache.get((staffing, horizon), {})
            missed = [k for k in checked if self.verdict(self.known(staffing, k, horizon)[0]) is False]
            if missed or len(have) >= self.replications:
                return missed
            unknown = self.hardest_first(checked, [r for r in range(self.replications) if r not in have])
            least = min([self.until_verdict(self.known(staffing, k, horizon)[0], misses_only=True) for k in checked],
                        default=len(unknown))
            self.outcomes(staffing, unknown[:max(self.batch, least)])

    def evaluation(self, staffing: Staffing, k: int, headcount: int, horizon: float | None = None) -> Evaluation:
        have = self.cache[(staffing, self.scenario.clock.horizon if horizon is None else horizon)]
        return _evaluation([have[r][k] for r in sorted(have)], headcount, self.slas, self.planned(k))

    def best(self, k: int, high: int) -> Evaluation:
        """Period ``k`` at the largest headcount allowed, ``high``, over all the replications: the best
        attainable there."""
        top: Staffing = ((self.scenario.clock.start, high),)
        horizon = self.horizon(top, k)
        self.outcomes(top, self.replications, horizon)
        return self.evaluation(top, k, high, horizon)

    def expect(self, more: float) -> None:
        """Expect ``more`` whole-horizon runs still to come (for the time left shown)."""
        self.expected = self.runs + more
        if self.progress:
            self.progress(self.runs, self.expected, "")


@dataclass(frozen=True)
class Limits:
    """What a plan may do: ``never_reduce`` (headcount never falls; the default), at most
    ``max_hires`` new seats a period, at least ``min_headcount`` and at most ``max_headcount``
    seats (``budget``: a yearly salary budget for the team in the scenario's currency, at
    today's prices, which caps the seats at those whose FTE it pays at ``annual_cost`` an FTE,
    new seats at the FTE of the pattern hires join: :func:`capsim.workforce.affordable_headcount`))."""

    never_reduce: bool = True
    max_hires: int | None = None
    min_headcount: int = 1
    max_headcount: int | None = None
    budget: float | None = None


def solve_staffing(scenario: Scenario, team: str | None = None, *, period: str = "quarter", confidence: float = 0.9,
                   max_headcount: int | None = None, replications: int | None = None, seed: int | None = None,
                   workers: int | None = 1, progress: Progress | None = None, limits: Limits | None = None,
                   executor: Executor | None = None, labels: Sequence[str] | None = None,
                   calendar: bool = False, shortest_days: float = 0.0) -> StaffingPlan:
    """A staffing plan for ``team``, period by period, meeting every SLA in ``confidence`` of replications.

    1. *Needed*: per period, the smallest constant headcount whose replications meet every SLA
       of the team (``sla_<priority>_<team>`` for the items arriving in the period) in at least
       ``confidence`` of them. All candidates run the same replications (common random numbers);
       a run covers the periods it is predicted to be asked about, so one candidate answers for
       several; the search brackets from the previous period's answer scaled by the work's growth
       (the first: an Erlang C or workload estimate) and relies on more analysts never doing
       worse, per replication too (one met by fewer analysts is not run again); replications
       run hardest first and stop once the verdict is certain.
    2. *The plan*: the seats in post per period, from today's (``baseline``): never falling
       (unless ``limits.never_reduce`` is off; then a period cuts, on its first day, only down to the
       most that the next period and every period whose hires would be due within a hiring lead time
       after the cut must have in post, their needs or, with ``max_hires``, the seats that reach a later
       need in time, :func:`_cut_reach`, and not below the seats hired for a period that
       began less than a lead time before, :func:`_cut_served`, nor below the need of a later period (within three lead times) whose
       work per available analyst-hour does not explain that need against the seats the cut would leave, :func:`_noise_hold`,
       so a need that dips for one period and comes back, or comes back later with no more work, holds the
       seats, a hire is never let go as soon as it starts, a cut the work does not explain says that it
       rests on one period's replications (:func:`lone_fall`), and a cut's note says
       how many analysts the team's attrition frees a period and that those not freed by the cut's date
       are let go then, as ``plan.yaml`` closes them), at most ``max_hires`` more a period (hiring
       ahead of need where that cap binds), within the minimum, maximum and budget. A period
       no headcount up to the bound can staff keeps the seats before it; where that is because
       the roster makes some SLAs impossible (:func:`_roster_impossible`) but not all, the period
       is planned for the others and says which it left out (:attr:`PeriodPlan.left_out`; not met).
    3. *The check*: the plan itself is replayed (all replications) as it can happen, late hires
       starting when they can (:func:`_realistic`); the earliest period it misses whose hires can
       be in time gets the fewest temporary analysts that meet it (within the limits, so perhaps
       hired earlier), and the whole plan is replayed again, until it meets every such period or
       a period's most allowed seats do not meet it (its note says so, and the check goes on past
       it): :func:`_catch_up`. A replay that misses stops as soon as that is certain. Temporary
       seats are what a manager hires to clear a backlog: fixed-term cover, let go on the first
       day of the first later period that the replay meets with fewer (:attr:`PeriodPlan.temporary`;
       ``never_reduce`` holds the need-based seats of step 2, not them), or sooner: cover that ends
       with its period closes at the first of the period's month ends (a month, two months, ...
       from its first day) with which the plan replayed still meets every period it met with the
       cover to the period's end (:func:`_shorten_cover`; :attr:`PeriodPlan.temporary_until`, and
       the note says until when). Every plan the check settles on has been replayed whole, so it
       meets what its replay shows.

    New seats start the training time (``ramp.training_weeks`` and ``ramp.weeks``) before their period begins,
    so they are trained by then; they must be recruited ``hiring.lead_time`` earlier: the
    hire-by date. A hire-by date before the plan starts (the first period's first day) is late:
    the plan then says by how many weeks, has the hires start when they can (the plan's start
    plus the lead time: :attr:`StaffingPlan.staffing`) and reports every period as that plan
    replays, with what it would have been with every hire on time beside it.

    ``max_headcount`` (or ``limits.max_headcount``) bounds the search (default: 4 × the
    largest workload estimate, :func:`workload_estimate`, which counts the work referred to the
    team, at least twice the current headcount and at least 10).
    ``replications`` and ``seed`` default to the scenario's ``experiment``; ``workers`` None: as
    many as :func:`capsim.memory.default_workers` (the usable cores, within memory). The plan is the same on any
    number of workers (:data:`BATCH`). ``executor``: worker processes kept by the caller (the web
    page's, :mod:`capsim.web.workers`), used, and left running, instead of ``workers`` processes
    started for this plan. The team's own planned ``changes`` are replaced by the plan. ``labels``: what
    the notes call each period, as the caller's table names it (capsim grant's "2027/28"); default
    "period 1", "period 2", ... as ``staffing_plan.csv`` numbers them. ``calendar``: plan in the calendar
    years (or quarters) the run's per-period results are cut at, part years their own periods
    (:func:`plan_periods`), not in ``period``s from the end of the warm-up; but one shorter than
    ``shortest_days`` days (:func:`capsim.periods.too_short`) joins its neighbour. Raises ``ValueError`` for input
    that cannot be planned (no SLA for the team, an unknown team, a confidence outside (0, 1), not one
    label a period).
    """
    limits = limits or Limits()
    names = [t.team for t in scenario.workforce]
    team = names[0] if team is None else team
    if team not in names:
        raise ValueError(f"no team {team!r}; teams are {', '.join(names)}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (exclusive), e.g. 0.9; got {confidence:g}")
    index = names.index(team)
    if not team_slas(scenario, index):
        raise ValueError(f"the scenario has no SLA for team {team}'s priorities (sla: [{{priority, within, target}}]): "
                         "there is nothing to staff for")
    replications = scenario.experiment.replications if replications is None else replications
    seed = scenario.experiment.seed if seed is None else seed
    if replications < 1:
        raise ValueError("replications must be at least 1")
    workers = default_workers(scenario, replications) if workers is None else workers
    check_run(scenario, replications, min(workers, replications))
    periods = plan_periods(scenario, period, calendar, shortest_days)
    labels = [f"period {p.index + 1}" for p in periods] if labels is None else list(labels)
    if len(labels) != len(periods):
        raise ValueError(f"{len(labels)} period labels for {len(periods)} periods")
    member = scenario.workforce[index]
    baseline = seat_steps(member, scenario.clock)[0]
    reduced, reduced_index = planned_team(scenario, team)
    shares = work_shares(reduced, reduced_index)  # drawn once: the same for every period
    estimates = [workload_estimate(reduced, reduced_index, p, shares=shares) for p in periods]
    high = max_headcount if max_headcount is not None else limits.max_headcount
    if high is None:
        high = max(4 * max(estimates), 2 * baseline, 10)
    if limits.budget is not None:
        annual = scenario.costs.teams.get(team)
        if annual is None:
            raise ValueError(f"--budget needs the team's cost: costs.teams.{team}.annual_cost")
        high = min(high, affordable_headcount(member, limits.budget / annual.annual_cost))
    low = max(limits.min_headcount, 0)
    if high < max(low, 1):
        raise ValueError(f"the largest headcount allowed ({high}) is below the smallest ({max(low, 1)})")
    plan = StaffingPlan(scenario, team, confidence, replications, seed, baseline, high, workers=workers)
    own = ExitStack()  # the workers started for this plan alone, if any
    if workers > 1 and executor is None:
        executor = own.enter_context(worker_pool(min(workers, replications)))
    with own:
        runner = _Runner(reduced, reduced_index, periods, seed, replications, confidence, BATCH, executor, progress,
                         shares)
        start = scenario.clock.start

        def constant(h: int) -> Staffing:
            return ((start, h),)

        def still_to_come(k: int) -> float:
            """Whole-horizon runs expected after period ``k`` is decided (for the time left shown):
            about ``replications`` for each period to come, run to just past it, and the replay."""
            return replications * (1 + sum(min(1.0, (j + 2) / len(periods)) for j in range(k + 1, len(periods))))

        runner.expect(still_to_come(-1))
        needs: list[int | None] = []
        guess = workload_estimate(reduced, reduced_index, periods[0], 1.0, shares) - 1  # just below the need
        for k in range(len(periods)):
            needs.append(_search(lambda h: runner.passes(constant(h), k), guess, max(low, 1), high))
            impossible = _roster_impossible(runner.slas, runner.best(k, high)) if needs[-1] is None else []
            if 0 < len(impossible) < len(runner.slas):  # plan for the SLAs a headcount can meet
                runner.leave_out(k, tuple(s.priority for s in impossible))
                needs[-1] = _search(lambda h: runner.passes(constant(h), k), guess, max(low, 1), high)
            if needs[-1] is not None:
                runner.scale = needs[-1] / max(runner.load[k], 1e-9)
                guess = needs[-1] - 1  # demand grows: try one fewer first
                if k + 1 < len(periods) and runner.load[k] > 0:  # or the need scaled by the work's growth, less one:
                    # a failing candidate costs its first misses, a passing one nearly every replication
                    guess = max(guess, round(runner.load[k + 1] * runner.scale) - 1)
            runner.expect(still_to_come(k))
        for (staffing, _), outcomes in runner.cache.items():  # the constant headcounts tried
            for k in range(min(map(len, outcomes.values()), default=0) if len(staffing) == 1 else 0):
                tried = plan.tried.setdefault(k, {})
                if staffing[0][1] not in tried or tried[staffing[0][1]].replications < len(outcomes):
                    tried[staffing[0][1]] = _evaluation([o[k] for o in outcomes.values()], staffing[0][1],
                                                        runner.slas, runner.planned(k))
        # the seats the needs ask for, within the limits
        reach, served = _cut_reach(periods, member), _cut_served(periods, member)
        base, holds = _held_levels(needs, baseline, low, high, limits, reach, served,
                                   (runner.busy, _cut_reach(periods, member, leads=NOISE_LEADS)))
        now = periods[0].first  # hiring starts with the plan: nobody is recruited before its first day
        cover, stopped = _catch_up(runner, needs, base, periods, member, start, now, (baseline, low, high), limits)
        levels = _with_cover(base, cover, baseline, low, high, limits)
        temporary = [level - b for level, b in zip(levels, base)]
        closes = _shorten_cover(runner, base, levels, periods, member, start, now, baseline, high)
        staffing = _staffing(base, levels, periods, member, start, high, closes)
        runner.expect(replications - len(runner.cache.get((staffing, scenario.clock.horizon), [])))
        runner.outcomes(staffing, replications)  # the plan as made, on every replication
        plan.staffing = _realistic(staffing, baseline, member, now)
        if plan.staffing != staffing:  # hires late or out of the warm-up: the plan as it can happen, on every replication
            runner.expect(replications)
            runner.outcomes(plan.staffing, replications)
        required = runner.required / replications
        previous, previous_base = baseline, baseline
        for k, current in enumerate(periods):
            on_time = runner.evaluation(staffing, k, levels[k])
            evaluation = runner.evaluation(plan.staffing, k, levels[k])
            met = evaluation.share_met >= required and k not in runner.left_out
            change = levels[k] - previous
            permanent = base[k] - previous_base
            hires = max(permanent, 0) + max(temporary[k] - (temporary[k - 1] if k else 0), 0)
            hire_by = _ideal_hire_by(current, member) if hires > 0 else None  # even before the plan starts
            late = max(0, math.ceil((now - hire_by).days / 7)) if hire_by is not None else 0
            # as _realistic moves them: no new seat before the plan's start plus the lead time
            starts = max(_change_date(current, member, start) if k else start,
                         now + whole_days(member.hiring.lead_time)) if hires > 0 else None
            notes = []
            if needs[k] is None:  # the best attainable: the largest headcount, over all the replications
                best = plan.tried.setdefault(k, {})[high] = runner.best(k, high)
                notes.append(_why_not(scenario, index, runner.planned(k), best, high, runner.required,
                                      replications))
            reasons = _left_out_reasons(scenario, runner, k, runner.best(k, high)) if k in runner.left_out else ()
            if reasons:
                notes.append(_left_out_words(scenario, runner, k, reasons, evaluation))
            if permanent < 0:  # on the period's first day: a cut needs no training
                notes.append(_cut_words(-permanent, previous_base, current.first, now, member, period))
            ended = max(temporary[k - 1] - temporary[k], 0) if k and k - 1 not in closes else 0  # (else closed before)
            if ended:
                notes.append(f"{_count(ended, 'temporary seat')} of {labels[k - 1]} close on "
                             f"{current.first}" + (": the plan replayed as it can happen meets this period without "
                                                   "them" if met else ""))
            if needs[k] is not None and base[k] > needs[k]:
                held = _held_words(holds[k], needs, periods, labels, member, limits.max_hires) if k in holds else ""
                notes.append(_above_need(base[k] - needs[k], base[k] == previous_base, k == 0, limits, held))
            if temporary[k]:
                notes.append(_cover_words(temporary, k, periods, _left_behind(plan.periods, labels),
                                          (needs[k], base[k], previous), closes.get(k), period,
                                          whole_days(member.hiring.lead_time).days))
            if k in stopped:
                notes.append(f"the check stopped adding temporary analysts here: even {stopped[k]} in post do not "
                             f"meet it with the work left from earlier periods; {_bound_reason(stopped[k], high, limits)}")
            if needs[k] is not None and on_time.share_met < required:
                notes.append(f"{_not_met_words(on_time.share_met, required, on_time.replications)}: "
                             f"{_bound_reason(levels[k], high, limits)}")
            rise = lone_rise(k, needs, baseline, runner.busy)
            alone = _lone_rise_words(scenario, needs[k], max(n for j, n in enumerate(needs) if j != k and n is not None),
                                     plan.tried.get(k, {}).get(needs[k] - 1), current, period, runner.required,
                                     replications, confidence) if rise else ""
            fall = lone_fall(k, needs, base[k], runner.busy) if permanent < 0 else None
            if fall is not None:
                alone = _lone_fall_words(base[k], labels[fall], needs[fall], work_rise(runner.busy[fall], runner.busy[k]),
                                         plan.tried.get(k, {}).get(base[k]), replications)
            if alone:
                notes.append(alone)
            run, inferred = runner.decided.get((needs[k], k), (0, 0))
            plan.periods.append(PeriodPlan(current, needs[k], levels[k], change, hire_by, late, evaluation, met,
                                           "; ".join(notes), run, inferred, runner.left_out.get(k, ()),
                                           _short(plan.staffing, current, levels[k]), hires, temporary[k],
                                           closes[k] - dt.timedelta(days=1) if k in closes else None, ended,
                                           max(-permanent, 0), alone, starts, stopped.get(k),
                                           evaluation.share_met >= required, reasons))
            if late or on_time.share_met >= required > evaluation.share_met:
                notes.append(_explain_lateness(scenario, plan.periods[-1], labels[k], on_time, member, now))
                plan.periods[-1].note = "; ".join(notes)
            previous, previous_base = levels[k], base[k]
        runner.expect(0)  # done
        plan.evaluations = len(runner.cache)
        plan.runs = runner.runs
    return plan


def _search(ok: Callable[[int], bool], guess: int, low: int, high: int) -> int | None:
    """Smallest n in [low, high] with ok(n) (monotone), from a guess usually just below it.

    A failing candidate is cheap (its replications stop after the first few misses) and a
    passing one dear (it must show the target met in ``confidence`` of them), so the search
    steps up one at a time a few times before bracketing by doubling steps; from a guess that
    passes it brackets downwards (:func:`smallest_passing`). None if ``high`` fails.
    """
    guess = min(max(guess, low), high)
    if ok(guess):
        return smallest_passing(ok, guess, low, guess)
    for n in range(guess + 1, min(guess + 3, high) + 1):
        if ok(n):
            return n
    return smallest_passing(ok, min(guess + 4, high), min(guess + 4, high), high) if guess + 3 < high else None


def whole_days(seconds: float) -> dt.timedelta:
    """A duration in seconds as whole days, rounded up (a lead time of 90.2 days is 91 days)."""
    return dt.timedelta(days=math.ceil(seconds / SECONDS_PER_DAY - 1e-9))


@dataclass(frozen=True)
class Hold:
    """Why :func:`_held_levels` (reductions allowed) cuts a period's seats less than what it must have
    in post itself asks, or not at all: ``period`` (an index) needs ``seats`` back (``hired`` False: a
    later period within the cut's reach, :func:`_cut_reach`; its own need, or, where ``toward`` is a
    later period, the seats it must have in post to reach ``toward``'s need at ``max_hires`` new seats
    a period), or (``hired`` True) a rise at ``period`` less than one hiring lead time before
    (:func:`_cut_served`) hired its ``seats`` (``toward`` is then ``period``). ``work``: where
    ``period`` is past the cut's reach and held as the work does not explain its need
    (:func:`_noise_hold`), how little more work it has; None otherwise."""

    period: int
    seats: int
    toward: int
    hired: bool = False
    work: Unexplained | None = None


@dataclass(frozen=True)
class Unexplained:
    """A later period's ``need`` (analysts) that the work does not explain against the ``seats`` a cut would
    leave (:func:`_noise_hold`): its work per available analyst-hour is ``rise`` (a share: the ratio less 1,
    :func:`work_rise`) above the cutting period's, under the ``explains`` (a share, :func:`explaining_rise`)
    that would explain it."""

    rise: float
    explains: float
    need: int
    seats: int


def _ahead(needs: Sequence[int | None], max_hires: int | None) -> list[tuple[int, int] | None]:
    """Per period the seats (analysts) it must have in post, and the period whose need asks for them: its
    own need, or, with at most ``max_hires`` new seats a period, a later period's need less ``max_hires``
    for each period in between where that is more (hiring ahead; the earliest such period where two
    ask the same); None where neither it nor (with ``max_hires``) any later period has a need."""
    out: list[tuple[int, int] | None] = []
    for k in range(len(needs)):
        asking = range(k, len(needs)) if max_hires is not None else [k]
        floors = [(n - (max_hires or 0) * (j - k), j) for j in asking if (n := needs[j]) is not None]
        out.append(max(floors, key=lambda floor: floor[0]) if floors else None)
    return out


def _hold(k: int, ahead: Sequence[tuple[int, int] | None], levels: Sequence[int], baseline: int, previous: int,
          reach: int, served: int) -> tuple[int, Hold] | None:
    """The most seats a cut at period ``k`` (from ``previous`` seats) keeps, and why (:func:`_held_levels`):
    those period ``k + 1`` to ``reach`` must have in post (``ahead``: :func:`_ahead`), and those of every
    rise (above the period before, or the ``baseline`` seats in post today) among ``levels`` from
    ``served`` on, never more than ``previous``; the period named is the first asking for that many, a
    later period before a hire. None where nothing holds the cut."""
    back = [(floor[0], j, floor[1]) for j, floor in enumerate(ahead[k + 1:reach + 1], k + 1) if floor is not None]
    rises = [(levels[h], h) for h in range(served, k) if levels[h] > (levels[h - 1] if h else baseline)]
    if not back and not rises:
        return None
    kept = min(previous, max([seats for seats, *_ in back] + [seats for seats, _ in rises]))
    hold = next((Hold(j, seats, toward) for seats, j, toward in back if seats >= kept), None)
    return kept, hold or next(Hold(h, seats, h, hired=True) for seats, h in rises if seats >= kept)


def _noise_hold(k: int, cut_to: int, ahead: Sequence[tuple[int, int] | None], needs: Sequence[int | None],
                busy: Sequence[float] | None, reach: int, far: int, previous: int) -> tuple[int, Hold] | None:
    """The most seats a cut at period ``k`` to ``cut_to`` seats (from ``previous``) keeps for the later
    periods past ``reach`` (:func:`_cut_reach`) up to ``far`` (the same with :data:`NOISE_LEADS` hiring lead times) that would
    hire them back (``ahead``: :func:`_ahead`, the seats each must have in post and the period whose need asks
    for them, always one with a need) though the work does not explain that need against ``cut_to``
    (:func:`work_explains`; ``busy``: per period, the work per available analyst-hour, :attr:`_Runner.busy`):
    such a need may be the replications' noise or a small real rise rounded up to a whole seat, and either way
    the cut would let seats go only to recruit them again. Never more than ``previous``; the period
    named is the first asking for that many. None where no such period asks for more than ``cut_to``, or
    without ``busy``."""
    if busy is None:
        return None
    holds = []
    for j, floor in enumerate(ahead[reach + 1:far + 1], reach + 1):
        if floor is None or floor[0] <= cut_to:
            continue
        seats, toward = floor
        need = needs[toward]
        if need is not None and not work_explains(busy[toward], busy[k], need, cut_to):
            holds.append(Hold(j, seats, toward, work=Unexplained(work_rise(busy[toward], busy[k]),
                                                                 explaining_rise(need, cut_to), need, cut_to)))
    if not holds:
        return None
    kept = min(previous, max(hold.seats for hold in holds))
    return kept, next(hold for hold in holds if hold.seats >= kept)


def _levels(needs: list[int | None], baseline: int, low: int, high: int, limits: Limits,
            reach: Sequence[int] | None = None, served: Sequence[int] | None = None,
            noise: tuple[Sequence[float], Sequence[int]] | None = None) -> list[int]:
    """The seats in post per period of :func:`_held_levels` (the same arguments), without the holds."""
    return _held_levels(needs, baseline, low, high, limits, reach, served, noise)[0]


def _held_levels(needs: list[int | None], baseline: int, low: int, high: int, limits: Limits,
                 reach: Sequence[int] | None = None, served: Sequence[int] | None = None,
                 noise: tuple[Sequence[float], Sequence[int]] | None = None) -> tuple[list[int], dict[int, Hold]]:
    """Seats in post per period from the headcounts needed, within the plan's limits, and per period
    whose seats a hold keeps above what it would otherwise have (reductions allowed), the hold.

    Every period has at least what it must have in post (:func:`_ahead`: its need, or more with
    ``max_hires``, hiring ahead of a later need), never fewer than the period before (unless
    reductions are allowed), at most ``max_hires`` above the period before, within [low, high]. A
    period no headcount meets (need None) asks for nothing of its own.

    Where reductions are allowed, a period cuts seats only down to the most that the periods up to
    ``reach[k]`` must have in post (:func:`_cut_reach`: those a seat cut at period ``k`` could not be
    rehired in time for; None: no such hold), hiring ahead included, so that no seat is cut and
    recruited again within a cut's reach, and not below the seats of a rise at any period from
    ``served[k]`` on (:func:`_cut_served`: lasting hires that have not yet served a hiring lead time;
    None: no such hold), nor below what a later period past that reach, whose recruiting would start within
    :data:`NOISE_LEADS` hiring lead times after the cut, must have in post where the work per available analyst-hour in the period whose need asks for it
    does not explain that need against the seats the cut would otherwise leave (``noise``: per period, that
    work, :attr:`_Runner.busy`, and the last period such a hold looks to, :func:`_cut_reach` with
    :data:`NOISE_LEADS`; :func:`_noise_hold`; None: no such hold), never above the seats before (:func:`_hold`,
    :func:`_cut_to`): a need that dips for a period and comes back holds the seats rather than cutting and
    rehiring, one that comes back soon after with no more work per available hour than now does too (the
    replications' noise, not the work, asks for it), and one that rises for a period alone keeps the hire
    rather than letting it go as soon as it has started.
    """
    ahead = _ahead(needs, limits.max_hires)
    reach = range(len(needs)) if reach is None else reach  # each period's own need alone
    served = range(len(needs)) if served is None else served  # no hire held
    levels: list[int] = []
    holds: dict[int, Hold] = {}
    previous = baseline
    for k, floor in enumerate(ahead):
        want = previous if floor is None else floor[0]
        if limits.never_reduce:
            want = max(want, previous)
        elif want < previous:  # a cut only as far as the coming needs allow
            want = _cut_to(k, want, ahead, levels, needs, noise, baseline, previous, reach[k], served[k], holds)
        if limits.max_hires is not None:
            want = min(want, previous + limits.max_hires)
        level = min(max(want, low), high)
        if level != want:  # the minimum or the maximum, not a hold, sets it
            holds.pop(k, None)
        levels.append(level)
        previous = level
    return levels, holds


def _cut_to(k: int, want: int, ahead: Sequence[tuple[int, int] | None], levels: Sequence[int],
            needs: Sequence[int | None], noise: tuple[Sequence[float], Sequence[int]] | None, baseline: int,
            previous: int, reach: int, served: int, holds: dict[int, Hold]) -> int:
    """The seats a cut at period ``k`` from ``previous`` toward ``want`` leaves (:func:`_held_levels`, the same
    arguments; ``reach`` and ``served`` period ``k``'s): the most of ``want``, what :func:`_hold` keeps, and
    what :func:`_noise_hold` keeps against that; the hold that sets it, if any, is recorded in ``holds``."""
    held = _hold(k, ahead, levels, baseline, previous, reach, served)
    cut_to = max(want, held[0]) if held else want
    busy, far = noise if noise is not None else (None, [reach] * len(needs))
    kept = _noise_hold(k, cut_to, ahead, needs, busy, reach, far[k], previous)
    setting = kept if kept and kept[0] > cut_to else held
    if setting and setting[0] > want:
        want, holds[k] = setting
    return want


def _cut_reach(periods: list[Period], team: Team, leads: int = 1) -> list[int]:
    """Per period ``k``, the last period whose need a seat cut at ``k`` must still meet (:func:`_levels`
    with reductions allowed): the next period, and every later one whose hires would have to be
    recruited (:func:`_ideal_hire_by`: its first day less the training and the hiring lead time) no
    more than one hiring lead time (``leads`` of them: :data:`NOISE_LEADS` for the reach of :func:`_noise_hold`) after the cut,
    which takes effect on ``k``'s first day (a cut needs no training): the plan never lets a seat go and
    starts recruiting it again within the time recruiting takes."""
    lead = whole_days(team.hiring.lead_time) * leads
    return [max([min(k + 1, len(periods) - 1)]
                + [j for j in range(k + 1, len(periods)) if _ideal_hire_by(periods[j], team) <= period.first + lead])
            for k, period in enumerate(periods)]


def _cut_served(periods: list[Period], team: Team) -> list[int]:
    """Per period ``k``, the first period whose lasting hires a cut at ``k`` may not let go (:func:`_levels`
    with reductions allowed): those hired for a period that began less than one hiring lead time before
    ``k``'s first day, so that a hire serves at least as long as recruiting it took before its seat is
    cut (``k`` itself when there are none)."""
    lead = whole_days(team.hiring.lead_time)
    return [next((h for h in range(k) if periods[h].first + lead > period.first), k)
            for k, period in enumerate(periods)]


def _short(staffing: Staffing, period: Period, planned: int) -> tuple[int, dt.date | None] | None:
    """:attr:`PeriodPlan.short` of ``period``, whose plan has ``planned`` seats, in ``staffing`` (the
    plan as it can happen)."""
    at_start = staffing[0][1]
    for d, h in staffing:
        if d <= period.first:
            at_start = h
    if at_start >= planned:
        return None
    full = next((d for d, h in staffing if d > period.first and h >= planned), None)
    return at_start, full if full is not None and full <= period.last else None


def _above_need(extra: int, kept: bool, first: bool, limits: Limits, held: str = "") -> str:
    """Why a period's need-based seats are ``extra`` above its own need: ``kept`` from the period
    before (or, the ``first``, the seats in post today) as the plan never cuts, ``held`` (reductions
    allowed: why a cut would come too soon, :func:`_held_words`), else hired (or, reductions allowed,
    ``kept``) ahead of a later period's need (``max_hires``) or the minimum headcount. (Temporary seats
    above them: :func:`_cover_words`.)"""
    if held:
        why = held
    elif kept and limits.never_reduce:
        why = "the seats in post today, which the plan never cuts" if first else \
            f"kept from the period before ({_NEVER_CUT})"
    elif limits.max_hires is not None:
        why = (f"{'kept' if kept else 'hired'} ahead of a later period's need (at most "
               f"{_count(limits.max_hires, 'hire')} a period)")
    else:
        why = "the minimum headcount (--min)"
    return f"{_count(extra, 'analyst')} above its own need: {why}"


def _held_words(hold: Hold, needs: Sequence[int | None], periods: Sequence[Period], labels: Sequence[str],
                team: Team, max_hires: int | None) -> str:
    """Why a period (reductions allowed) keeps need-based seats above its need: the ``hold``
    :func:`_held_levels` applied (``needs``: per period; ``labels``: the periods as the notes name them;
    ``max_hires``: the most new seats a period, where a later need asks for seats ahead)."""
    lead = whole_days(team.hiring.lead_time).days
    if hold.hired:
        return (f"held as hired for {labels[hold.period]}, from {periods[hold.period].first}, less than the hiring "
                f"lead time of {lead} days before this period ({_SERVED})")
    asks = f"which needs {hold.seats} again" if hold.toward == hold.period else (
        f"which needs {hold.seats} in post to reach the need of {needs[hold.toward]} in {labels[hold.toward]} at "
        f"{_count(max_hires or 0, 'hire')} a period")
    if hold.work is None:
        return f"held for {labels[hold.period]}, {asks} ({_held_rule(lead)})"
    work = hold.work
    return (f"held for {labels[hold.period]}, {asks}, though the work per available analyst-hour in "
            f"{labels[hold.toward]} is {_more_work(work.rise, work.explains)} this period's, under the "
            f"{percent(work.explains, 1)} rise that would explain a need of {work.need} against the {work.seats} a "
            f"cut would leave ({_NOISE})")


def _more_work(rise: float, explains: float) -> str:
    """How one period's work per available analyst-hour compares with another's (``rise``: :func:`work_rise`),
    to be followed by the other's: the rise quoted beside the rise that would explain its need (``explains``,
    :func:`work_explains`) and never rounded up to it: "0.3% above", "12.8% below", "about the same as"
    (within 0.05%)."""
    if abs(rise) < 0.0005:
        return "about the same as"
    return f"{percent_against(rise, explains, 1)} above" if rise > 0 else f"{percent(-rise, 1)} below"


_NEVER_CUT = "the plan never cuts seats for a smaller need"
NOISE_LEADS = 3
"""Hiring lead times after a cut within which a later period's need the work does not explain holds it
(:func:`_noise_hold`): far enough that a dip between two such needs is not cut and rehired, near enough that
a rare rise far ahead does not keep a team above its need for most of a long plan."""
_NOISE = ("the plan does not let a seat go that a period whose recruiting would start within three hiring lead "
          "times needs again unless that period's work per available analyst-hour (after holidays, leave and "
          "shrinkage) is above this period's by at least half the relative rise in seats: a need its work does not "
          "explain may be noise in the replications or a small real rise rounded up to a whole seat, and letting "
          "the seat go would mean recruiting it again")
_SERVED = "the plan does not cut a lasting hire before it has served that long"


def _held_rule(lead_days: int) -> str:
    """The rule a held seat's note explains in brackets (:func:`_held_words`), for a hiring lead time
    of ``lead_days`` days."""
    return ("the plan does not cut a seat that the next period needs back, or a later one whose hires would have "
            f"to be recruited within the hiring lead time of {lead_days} days after the cut")


def note_lines(notes: Sequence[tuple[int, str]], team: Team, labels: Sequence[str] | None = None) -> list[str]:
    """A plan's notes as the terminal lists them under its table, from ``notes``: (period number from 1,
    its note, "" for none) for ``team``'s plan, in period order. Consecutive periods with the same note are
    given once ("periods 16–22: 1 analyst above its own need: held for period 23, which needs 5
    again"), and a rule a note explains in brackets (a held seat's, a kept one's) is said the first
    time only; the roster's reasons for leaving an SLA out, alike in consecutive periods but for their
    percentages, are given once, before those periods' own lines, the percentages as ranges
    (:func:`_shared_reasons`): staffing_plan.csv keeps each period's whole note, as a row is read alone. Where the
    periods have ``labels`` (period n is ``labels[n - 1]``: a grant's years), a run is named by them:
    "2027/28: ...", "2027/28–2029/30: ..." (:func:`_run_words`)."""
    rules = (_held_rule(whole_days(team.hiring.lead_time).days), _SERVED, _NEVER_CUT, _NOISE)
    said: set[str] = set()
    shared, notes = _shared_reasons(notes)
    lines = [(first, 0, f"{_run_words(first, last, labels)}: {reason}") for first, last, reason in shared]
    for first, last, note in _note_runs(notes):
        for rule in rules:
            if f" ({rule})" in note:
                note = note.replace(f" ({rule})", "") if rule in said else note
                said.add(rule)
        if note:
            lines.append((first, 1, f"{_run_words(first, last, labels)}: {note}"))
    return [line for *_, line in sorted(lines)]


_LEFT_OUT = re.compile(r"^(?P<why>(?:(?:the roster makes the target for .+? impossible: .+?"
                       r"(?:add shifts or lengthen the SLA window|lengthen the SLA window, or add shifts)"
                       r"|no shift pattern of team .+? \(it then serves every priority\)); )+)"
                       r"(?=so the plan leaves )")
"""The reasons that open a note of SLAs the roster makes impossible, left out of the plan (:func:`_left_out_words`:
one :func:`_roster_words` each), up to "so the plan leaves"."""
_FIGURE = re.compile(r"\d+(?:\.\d+)?%")
"""A percentage in a note."""


def _shared_reasons(notes: Sequence[tuple[int, str]]) -> tuple[list[tuple[int, int, str]], list[tuple[int, str]]]:
    """The roster's reasons for leaving SLAs out (:data:`_LEFT_OUT`) that consecutive ``notes`` (period number,
    note) give alike but for their percentages, said once for the run (first period, last period, reasons;
    each percentage that differs as the range over the run: "75.8–78.0%"), and the notes without them (each
    still starting "so the plan leaves ..."). A reason a single period gives stays in its note."""
    runs: list[list[tuple[int, str]]] = []  # per run: (period number, reasons)
    for number, note in notes:
        if not (match := _LEFT_OUT.match(note)):
            continue
        why = match["why"]
        if runs and runs[-1][-1][0] == number - 1 and _FIGURE.sub("%", runs[-1][-1][1]) == _FIGURE.sub("%", why):
            runs[-1].append((number, why))
        else:
            runs.append([(number, why)])
    shared = [run for run in runs if len(run) > 1]
    cut = {number: len(why) for run in shared for number, why in run}
    return ([(run[0][0], run[-1][0], _figure_ranges([why for _, why in run]).removesuffix("; ")) for run in shared],
            [(number, note[cut.get(number, 0):]) for number, note in notes])


def _figure_ranges(texts: Sequence[str]) -> str:
    """``texts`` alike but for their percentages (:data:`_FIGURE`) as one, each percentage that differs among
    them given as its range, lowest to highest: "75.8–78.0%"."""
    figures = list(zip(*(_FIGURE.findall(text) for text in texts)))
    pieces = _FIGURE.split(texts[0])
    out = pieces[0]
    for values, piece in zip(figures, pieces[1:]):
        low, high = min(values, key=lambda v: float(v[:-1])), max(values, key=lambda v: float(v[:-1]))
        out += (low if low == high else f"{low[:-1]}–{high}") + piece
    return out


@dataclass(frozen=True)
class RosterLimit:
    """SLAs of a plan's team that no headcount meets in some of its periods, the roster making them
    impossible (:attr:`~capsim.staffing.PeriodPlan.left_out`): their ``priorities``, the ``periods``
    (indices into the plan's), and ``reason``, the roster's reason as those periods' notes open with it
    (``capsim staff``'s words, :func:`_roster_words`), each percentage that differs
    among them given as its range over them ("70.7–75.7%")."""

    priorities: tuple[str, ...]
    periods: tuple[int, ...]
    reason: str


def roster_limits(plan: StaffingPlan) -> list[RosterLimit]:
    """The SLAs ``plan`` leaves out because the roster makes them impossible, one :class:`RosterLimit` per
    set of priorities and reason alike but for its percentages (as ``capsim staff`` lists them once for
    the run); [] where it leaves none out."""
    said: dict[tuple[tuple[str, ...], str], list[tuple[int, str]]] = {}
    for k, p in enumerate(plan.periods):
        if p.left_out_reasons:
            why = "; ".join(p.left_out_reasons)
            said.setdefault((p.left_out, _FIGURE.sub("%", why)), []).append((k, why))
    return [RosterLimit(priorities, tuple(k for k, _ in why), _figure_ranges([w for _, w in why]))
            for (priorities, _), why in said.items()]


def _run_words(first: int, last: int, labels: Sequence[str] | None) -> str:
    """Periods ``first`` to ``last`` (numbers from 1) as :func:`note_lines` names them: "period 16",
    "periods 16–22"; with ``labels`` (period n is ``labels[n - 1]``), "2027/28", "2027/28–2029/30"."""
    if labels is None:
        return f"period {first}" if first == last else f"periods {first}–{last}"
    return labels[first - 1] if first == last else f"{labels[first - 1]}–{labels[last - 1]}"


def _note_runs(notes: Sequence[tuple[int, str]]) -> list[tuple[int, int, str]]:
    """``notes`` (period number, note), in period order, as runs of consecutive periods with the same
    note: (first period, last period, note)."""
    runs: list[tuple[int, int, str]] = []
    for number, note in notes:
        if runs and runs[-1][2] == note and runs[-1][1] == number - 1:
            runs[-1] = (runs[-1][0], number, note)
        else:
            runs.append((number, number, note))
    return runs


def _cover_words(temporary: list[int], k: int, periods: list[Period], behind: str, step: tuple[int, int, int],
                 close: dt.date | None = None, period: str = "period", lead_days: int = 0) -> str:
    """Why period ``k`` has ``temporary[k]`` temporary seats (:func:`_catch_up`): the plan replayed as
    it can happen missed it with fewer, for the work earlier periods left (``behind``: what left it,
    :func:`_left_behind`) or, where they left no backlog, as its need (``step``: the need, the plan's
    seats from its first day and the seats before it) was found with that many in post from the start,
    which leaves less work in hand on its first day than the seats before it do; and until when they
    all stay: the day before ``close`` where they close within the period (:func:`_shorten_cover`, the
    ``period`` named as a word: "quarter"), else the last day before the first later period with fewer
    (and how many of them stay longer). Cover that lasts fewer days from the period's first day than
    the hiring lead time (``lead_days``) it is recruited over says so (:func:`short_cover_words`)."""
    t = temporary[k]
    fewer = next((j for j in range(k + 1, len(periods)) if temporary[j] < t), None)
    until = periods[-1].last if fewer is None else periods[fewer - 1].last
    longer = f" ({temporary[fewer]} of them longer)" if fewer is not None and temporary[fewer] else ""
    if close is not None:
        until, longer = close - dt.timedelta(days=1), (
            f", not to the {period}'s end: the plan replayed with them closing on {close} still meets every period "
            f"it meets with them to {periods[k].last}")
    short = short_cover_words(periods[k].first, until, lead_days)
    short = f" ({short})" if short else ""
    if not behind:
        need, seats, before = step
        return (f"{_count(t, 'temporary analyst')} above its own need: no earlier period left a backlog (each met its "
                f"target with at least its need in post, on time), but the need of {need} was found with {need} in "
                f"post from the start, not the plan's {before} before it, which leave more work in hand on its first "
                f"day; with {seats} from then, the plan replayed as it can happen missed this period: +{t} temporary "
                f"to meet it, until {until}{longer}" + short)
    return (f"{_count(t, 'temporary analyst')} above its own need: with fewer, the plan replayed as it can happen "
            f"missed this period (work left from earlier periods{behind}): +{t} temporary to clear that backlog, "
            f"until {until}{longer}" + short)


def short_cover_words(first: dt.date, until: dt.date, lead_days: int) -> str:
    """Where temporary cover from ``first`` to ``until`` (its last day) lasts fewer days than the hiring
    lead time it is recruited over (``lead_days``), that in words, and what may meet it better, for the
    period's note and the chart's title alike: "31 days of cover, recruited over a hiring lead time of
    120 days; overtime or agency staff may meet it better"; else ""."""
    days = (until - first).days + 1
    if days >= lead_days:
        return ""
    return (f"{days} days of cover, recruited over a hiring lead time of {lead_days} days; overtime or agency staff "
            "may meet it better")



def _left_behind(earlier: Sequence[PeriodPlan], labels: Sequence[str]) -> str:
    """The backlog the periods ``earlier`` (as the notes name them, ``labels``) leave the one after them,
    in the plan as it can happen, worded to follow "work left from earlier periods": ", where hires
    were late" (some period's hires start after its first day), else ": period 2 was not met" (each
    period missed, joined); "" where none left one: each met its targets with at least its need in
    post on time, so what it leaves is the work in hand of a team that keeps up (:func:`_cover_words`)."""
    if any(p.late_weeks for p in earlier):
        return ", where hires were late"
    missed = [f"{label} was not met" for p, label in zip(earlier, labels) if not p.met]
    return ": " + ", ".join(missed) if missed else ""


def lone_rise(k: int, needs: Sequence[int | None], baseline: int, load: Sequence[float]) -> int:
    """The seats (analysts) a plan adds for period ``k`` alone where the work does not explain them: its
    need less the most that the seats in post today (``baseline``) and every other period's need ask
    for, where that is above 0 and its work (``load``: per period, the work per available analyst-hour,
    :attr:`_Runner.busy`, so that a leave season or a holiday period, whose need rises with the same work
    arriving, is explained as :func:`_noise_hold` and :func:`lone_fall` explain it) does
    not explain it: it is not above that of some other period, which needs ``n`` seats, by at
    least half the relative rise in seats (``load[k] < load[j] × (1 + (need − n) / (2n))``); else 0. Seats grow
    more slowly than the work they serve (square-root staffing: ``n ≈ a + β√a`` for ``a`` Erlangs),
    so a relative rise in seats comes with a larger one in work: asking only half of it flags a
    rise no plausible growth explains, and leaves growth's hires alone (the period with the most
    work needs the most). A rise it gives rests on one period's replications
    (docs/writing-scenarios.md, "Plan the staff")."""
    need = needs[k]
    others = {j: n for j, n in enumerate(needs) if j != k and n is not None}
    if need is None or not others:
        return 0
    rise = need - max(baseline, *others.values())
    explained = all(work_explains(load[k], load[j], need, n) for j, n in others.items() if n > 0)
    return rise if rise > 0 and not explained else 0


def work_explains(more_load: float, fewer_load: float, more: int, fewer: int) -> bool:
    """Whether the work explains that a period needs ``more`` seats (analysts) than another needs
    ``fewer``: its work (``more_load``: Erlangs arriving, or the work per available analyst-hour,
    :attr:`_Runner.busy`, as long as both are the same measure) is above the other's (``fewer_load``) by at
    least half the relative rise in seats, :func:`explaining_rise`. Seats grow more slowly than the work they
    serve (square-root staffing), so real growth brings more than that: a rise in need with less, or a fall
    with less fall in the work, is more likely the replications' noise, though a small real change rounded to
    whole seats can also give it (:func:`lone_rise`, :func:`lone_fall`, and the holds of :func:`_held_levels`)."""
    return more_load >= fewer_load * (1 + explaining_rise(more, fewer))


def explaining_rise(more: int, fewer: int) -> float:
    """The least rise in work (a share) that explains a need of ``more`` seats against ``fewer`` (counted as
    at least 1): half the relative rise in seats, ``(more − fewer) / (2 × fewer)`` (:func:`work_explains`)."""
    return (more - fewer) / (2 * max(fewer, 1))


def work_rise(more_load: float, fewer_load: float) -> float:
    """How far one period's work (``more_load``) is above another's (``fewer_load``), as a share: their
    ratio less 1 (below 0 for less work), the latter counted as at least 1e-12."""
    return more_load / max(fewer_load, 1e-12) - 1


def lone_fall(k: int, needs: Sequence[int | None], seats: int, load: Sequence[float]) -> int | None:
    """Where a cut at period ``k`` to ``seats`` rests on this period's replications alone, the earlier period
    whose need the work does not explain the fall from: one that needs more than ``seats`` though its work
    (``load``: per period, the work per available analyst-hour, :attr:`_Runner.busy`) is not above this
    period's by half the relative rise in seats (:func:`work_explains`); of those, the one needing most, the
    latest of equals. None where every earlier need above ``seats`` had that much more work, or none was above
    it. (A later such need within :data:`NOISE_LEADS` hiring lead times holds the cut: :func:`_noise_hold`.)"""
    falls = [j for j in range(k) if (n := needs[j]) is not None and n > seats
             and not work_explains(load[j], load[k], n, seats)]
    return max(falls, key=lambda j: (needs[j], j)) if falls else None


def _lone_fall_words(seats: int, earlier: str, need: int, rise: float, tried: Evaluation | None,
                     replications: int) -> str:
    """Why a cut to ``seats`` (:func:`lone_fall`) rests on little evidence, and how to check it: ``earlier``
    (a period as the notes name it) needs ``need`` with ``rise`` (a share, :func:`work_rise`) more work per
    available analyst-hour, too little to explain it; ``tried`` (``seats`` analysts over this period, if run) met it in so many of the
    replications run, which bounds the chance they meet it from below (:func:`met_chance_low`, 95%
    confidence); four times the ``replications`` halve the sampling error."""
    explains = explaining_rise(need, seats)
    text = (f"the cut to {seats} rests on this period alone: {earlier} needs {need} though the work per available "
            f"analyst-hour in it is {_more_work(rise, explains)} this period's, under the {percent(explains, 1)} rise that would "
            f"explain {need} against {seats}")
    if tried is not None:
        met = int(tried.met.sum())
        text += (f"; {_count(seats, 'analyst')} met this period in {met} of {tried.replications} replications run, "
                 f"which shows only that the chance they meet it is at least "
                 f"{percent(met_chance_low(met, tried.replications))} (95% confidence)")
    return (text + f". Check it with four times the replications (--replications {4 * replications}, half the "
            f"sampling error): if {seats} fail it then, it needs more than {seats}")


def _lone_rise_words(scenario: Scenario, need: int, most: int, below: Evaluation | None, period: Period,
                     word: str, required: int, replications: int, confidence: float) -> str:
    """Why a :func:`lone_rise` to ``need`` seats rests on little evidence, and how to check it: no other
    period needs more than ``most`` though the work per available analyst-hour does not grow; ``below`` (the ``need`` - 1 analysts
    tried, if they were run over the period) missed it in so many of the replications run, how far;
    a team meeting a ``word`` (month, quarter, year) in exactly ``confidence`` of the replications still
    fails the test of ``required`` of ``replications`` met in so many plans (the binomial chance of
    more than ``replications`` - ``required`` misses); a period shorter than any whole calendar ``word``
    (under 90% of its average length: a 28-day February is 92% of a month) has fewer items, so its
    share's spread is √(average days / its days) times a whole one's; and four times the replications
    halve that sampling error."""
    from scipy.stats import binom

    text = (f"the rise to {need} rests on this period alone: no other {word} needs more than {most}, though the "
            "work per available analyst-hour in it is too little above that of one that needs fewer to explain it")
    if below is not None and not below.met.all():
        misses = ~below.met
        short = {s: below.sla[s.priority][misses & (below.sla[s.priority] < s.target)]
                 for s in scenario.sla if s.priority in below.sla}
        lows = [f"{percent_against(float(v.min()), s.target, 1)} of {sla_words(scenario, s.priority)} against "
                f"{target_percent(s.target)}"
                for s, v in short.items() if v.size]
        text += (f"; {need - 1} analysts failed it on {_count(int(misses.sum()), 'missed replication')} ("
                 + "".join(f"{low}; " for low in lows) + f"{below.replications} run, as the test stops once its "
                 "verdict is certain)")
    chance = float(binom.sf(replications - required, replications, 1 - confidence))
    text += (f"; a team that meets a {word} in exactly {confidence:.0%} of replications still fails this test "
             f"({required} of {replications} replications met) {chance:.0%} of the time")
    days, average = (period.last - period.first).days + 1, PERIOD_MONTHS[word] * DAYS_A_MONTH
    if days < 0.9 * average:
        text += (f", and this period's {days} days are {days / average:.0%} of a {word}: fewer items, so its "
                 f"share varies about {math.sqrt(average / days):.1f} times as much")
    return (text + f". Check it with four times the replications (--replications {4 * replications}, half the "
            f"sampling error): if {need - 1} meet it then, it needs no more than {need - 1}")


def _cut_words(cut: int, seats: int, when: dt.date, now: dt.date, team: Team, period: str) -> str:
    """A cut of ``cut`` need-based seats (of ``seats`` before it) on ``when`` (the period's first day;
    ``now``: the plan's first day), as a manager would make it: the team's attrition (a share a
    year) frees seats as analysts leave, about ``attrition × seats`` a year (so many a ``period``,
    month, quarter or year); a leaver within the hiring lead time before the cut would be refilled
    only after it, so not refilling them costs nothing, and the expected number of them is said.
    The seats attrition has not freed by ``when`` are let go (redeployed) then, when ``plan.yaml``
    (and its replay) closes them."""
    window = max(0, min(whole_days(team.hiring.lead_time).days, (when - now).days))  # days before the cut
    what = f"plan.yaml closes the {_count(cut, 'seat')} that day"
    if not team.attrition or not window:
        why = ("the team has no attrition (workforce." + team.team + ".attrition)" if not team.attrition
               else "a leaver before then would be refilled before the cut (no hiring lead time left to it)")
        return f"{cut} fewer from {when}: {why}, so let {_count(cut, 'analyst')} go (redeploy) on {when}; {what}"
    yearly = team.attrition * seats
    before = _expected(yearly * window / 365.25)
    return (f"{cut} fewer from {when}: at the team's attrition of {team.attrition:.0%} a year, "
            f"{_leavers_words(yearly, seats, period)}, {before} in the {window} days before {when} (whose refills "
            f"would start after it): do not refill those leavers from {when - dt.timedelta(days=window)}, and let go "
            f"(redeploy) on {when} "
            + ("the seat if attrition has not freed it" if cut == 1 else f"those of the {cut} attrition has not freed")
            + f" by then; {what}")


def _expected(count: float) -> str:
    """An expected number of analysts, to one decimal, never "0.0" for a number above 0: "about 0.6",
    "fewer than 0.1", "none"."""
    return "none" if count <= 0 else "fewer than 0.1" if count < 0.05 else f"about {count:.1f}"


def _leavers_words(yearly: float, seats: int, period: str) -> str:
    """How many of ``seats`` analysts leave (``yearly`` a year, more than 0), a ``period`` (month, quarter,
    year) where that is at least 0.05, else a year: "about 0.6 of its 16 analysts leave a quarter",
    "about 0.5 of its 5 analysts leave a year"."""
    per_period = yearly * PERIOD_MONTHS[period] / 12
    count, word = (per_period, period) if per_period >= 0.05 else (yearly, "year")
    return f"{_expected(count)} of its {seats} analysts leave a {word}"


def training_time(team: Team) -> dt.timedelta:
    """How long a new analyst takes to reach full output: the training of zero output
    (``ramp.training_weeks``) and then the ramp (``ramp.weeks``)."""
    return whole_days((team.ramp.training_weeks + team.ramp.weeks) * 7 * SECONDS_PER_DAY)


def _change_date(period: Period, team: Team, start: dt.date) -> dt.date:
    """When a period's new seats start: the training time (:func:`training_time`) before the period, not before the run's first day."""
    return max(period.first - training_time(team), start + dt.timedelta(days=1))


def _staffing(base: list[int], levels: list[int], periods: list[Period], team: Team, start: dt.date,
              high: int, closes: dict[int, dt.date] | None = None) -> Staffing:
    """The plan as dated headcounts (seats). The need-based seats ``base``: the first period's in post
    from the start, each later rise on its :func:`_change_date` (the hires trained by the period's first
    day) and each later cut on the period's first day (a cut needs no training), a later change on the
    same date replacing an earlier one (a period with the seats of the one before changes nothing). On
    top of them the temporary seats, ``levels`` less ``base``: a period's start on its change date
    (trained by its first day, as any hire) and stay to its end, so they close on the first day of the
    first later period with fewer, or on the day ``closes`` gives the period (:func:`_shorten_cover`:
    within it); where two periods' overlap (new seats training before their period while the last
    period's cover still works), the more of them. At most ``high`` seats at any time. The need-based
    changes must come in date order: no rise's hires start training before an earlier period's cut, as
    :func:`_levels` never rises within a cut's reach (:func:`_cut_reach`), which holds every period
    whose hires start before the cut."""
    hired = [start] + [_change_date(p, team, start) for p in periods[1:]]
    begins = [start]
    for k in range(1, len(periods)):
        begins.append(hired[k] if base[k] > base[k - 1] else periods[k].first if base[k] < base[k - 1] else begins[-1])
    assert begins == sorted(begins), f"a rise's hires start before an earlier cut: {list(zip(begins, base))}"
    ends = [(closes or {}).get(k, p.first) for k, p in enumerate(periods[1:])]
    ends.append((closes or {}).get(len(periods) - 1, dt.date.max))
    temporary = [level - b for level, b in zip(levels, base)]
    out: list[tuple[dt.date, int]] = []
    for day in sorted({*begins, *hired, *ends} - {dt.date.max}):
        seats = base[max(k for k, d in enumerate(begins) if d <= day)]
        seats = min(high, seats + max([t for t, b, e in zip(temporary, hired, ends) if b <= day < e], default=0))
        if not out or seats != out[-1][1]:
            out.append((day, seats))
    return tuple(out)


def _with_cover(base: list[int], cover: list[int], baseline: int, low: int, high: int, limits: Limits) -> list[int]:
    """Seats in post per period: the need-based seats ``base`` (:func:`_levels` of the needs) and
    ``cover`` temporary seats more in each period, within the limits (:func:`_levels` again, hiring
    ahead where ``max_hires`` binds) but free to fall when the cover ends: ``never_reduce`` and the hold
    of a cut for the coming needs (:func:`_cut_reach`) are for the need-based seats, not temporary cover."""
    return _levels([b + c for b, c in zip(base, cover)], baseline, low, high, replace(limits, never_reduce=False))


def _catch_up(runner: _Runner, needs: list[int | None], base: list[int], periods: list[Period], team: Team,
              start: dt.date, now: dt.date, bounds: tuple[int, int, int], limits: Limits
              ) -> tuple[list[int], dict[int, int]]:
    """Step 3 of :func:`solve_staffing`, the check: the temporary seats (analysts) each period needs
    above the need-based seats ``base``, so that the plan replayed as it can happen (hires late
    starting when they can, :func:`_realistic`, recruiting from ``now``) meets every period it is
    checked on: those with a need that ``base`` covers and whose hires can be in time (more hired
    late would not help them). ``start``: the run's first day; ``bounds``: the seats in post today and
    the fewest and most allowed.

    Each round replays the whole plan (:meth:`_Runner.replay`); the earliest period it misses gets
    the fewest temporary seats that meet it given those before it (:func:`smallest_passing` over
    replays that stop once the verdict is certain: more seats never do worse, and seats in a
    period help only it and the periods after); then the whole plan is replayed again, as the
    later periods may now be met without any, and any period may be missed by new seats' training.
    The rounds go on while they make progress: each either adds seats (at most the most allowed in
    every period) or gives up on a period that even the most allowed in it do not meet (it is
    left missed, and the check goes on past it); they end when the replay meets every period
    still checked. Returns the temporary seats per period, and the periods given up on with the
    seats in post at the most allowed."""
    baseline, low, high = bounds
    cover = [0] * len(periods)
    stopped: dict[int, int] = {}

    def replayed(seats: list[int]) -> Staffing:
        levels = _with_cover(base, seats, baseline, low, high, limits)
        return _realistic(_staffing(base, levels, periods, team, start, high), baseline, team, now)

    while True:
        levels = _with_cover(base, cover, baseline, low, high, limits)
        checked = [k for k in range(len(periods)) if k not in stopped and needs[k] is not None
                   and needs[k] <= levels[k] and _ideal_hire_by(periods[k], team) >= now]
        plan = replayed(cover)
        missed = runner.replay(plan, checked)
        if not missed:
            return cover, stopped
        k = missed[0]

        def meets(seats: int, k: int = k) -> bool:
            return runner.passes(replayed(cover[:k] + [seats] + cover[k + 1:]), k)

        found = smallest_passing(meets, cover[k] + 1, cover[k] + 1, high - base[k])
        if found is None:
            stopped[k] = _with_cover(base, cover[:k] + [high - base[k]] + cover[k + 1:], baseline, low, high, limits)[k]
        else:
            cover[k] = found


def _shorten_cover(runner: _Runner, base: list[int], levels: list[int], periods: list[Period], team: Team,
                   start: dt.date, now: dt.date, baseline: int, high: int) -> dict[int, dt.date]:
    """Temporary cover no longer than it is needed: per period whose temporary seats (``levels`` less
    ``base``, :func:`_catch_up`) all close with it (the next period has none), the first of its month
    ends (its first day plus one, two, ... calendar months, before its last day) on which they can
    close so that the plan replayed as it can happen (:func:`_realistic`; ``start``: the run's first day,
    ``now``: the plan's, ``baseline``: the seats in post today, ``high``: the most allowed) still
    meets every period the plan with the whole period's cover meets (in ``required`` of the
    replications: :meth:`_Runner.replay`); periods in order, each with the closes found before it.
    Closing later never does worse, so the month ends are bisected (:func:`smallest_passing`); a
    period none of whose month ends passes keeps its cover to its end, as does a month plan's.
    Returns period index → the day its temporary seats close."""
    temporary = [level - b for level, b in zip(levels, base)]
    horizon = runner.scenario.clock.horizon

    def plan(closes: dict[int, dt.date]) -> Staffing:
        return _realistic(_staffing(base, levels, periods, team, start, high, closes), baseline, team, now)

    whole = plan({})
    runner.outcomes(whole, runner.replications)
    kept = [k for k in range(len(periods)) if runner.verdict(runner.known(whole, k, horizon)[0])]
    closes: dict[int, dt.date] = {}
    for k, period in enumerate(periods):
        if not temporary[k] or (k + 1 < len(periods) and temporary[k + 1]):
            continue
        ends = [d for d in (add_months(period.first, m) for m in range(1, 12)) if d <= period.last]
        if not ends:
            continue

        def meets(i: int, k: int = k, ends: list[dt.date] = ends) -> bool:
            return not runner.replay(plan({**closes, k: ends[i]}), kept)

        found = smallest_passing(meets, 0, 0, len(ends) - 1)
        if found is not None:
            closes[k] = ends[found]
    return closes


def _ideal_hire_by(period: Period, team: Team) -> dt.date:
    """The last day to recruit a period's new analysts so that they are in post and trained on its
    first day: that day less the training (:func:`training_time`) and the hiring lead time. May be before
    the plan starts (the hires are then late)."""
    return period.first - training_time(team) - whole_days(team.hiring.lead_time)


def _realistic(staffing: Staffing, baseline: int, team: Team, now: dt.date) -> Staffing:
    """The plan as it can happen: the warm-up before ``now`` (the plan's first day, when
    recruiting can begin) runs with the ``baseline`` seats in post today (it stands for the queue
    the plan starts with); from ``now`` the plan's seats, except that until ``now`` plus the hiring
    lead time (the first day a hire recruited from ``now`` can start) only the analysts in post
    today and never cut since are: a seat the plan cuts is let go, so one it has again before then
    waits for a hire as a new seat does. So the first level's seats above those in post are hires
    starting on that day at the earliest, even with no lead time (a change on the run's first day
    when ``now`` is that day: still new analysts, not ones in post), a first level below them is a
    cut on ``now``, every cut before that day is made on its date, and on that day the plan's own
    level is reached. The days new analysts start are those :attr:`PeriodPlan.starts` gives. The same
    as ``staffing`` when no change is moved."""
    arrive = now + whole_days(team.hiring.lead_time)
    (start, _), *_ = staffing

    def planned(day: dt.date) -> int:
        return next(h for d, h in reversed(staffing) if d <= day)

    out: list[tuple[dt.date, int]] = [(start, baseline)]
    kept = baseline  # analysts in post today that the plan has not cut by the day
    for day in sorted({now, arrive, *(d for d, _ in staffing if d > now)}):
        kept = min(kept, planned(day))
        seats = planned(day) if day >= arrive else kept
        if seats != out[-1][1]:
            out.append((day, seats))
    return tuple(out)


def _explain_lateness(scenario: Scenario, period: PeriodPlan, label: str, on_time: Evaluation, team: Team,
                      now: dt.date) -> str:
    """Why a period (called ``label``, as the table names it) has an attainment below what the plan
    would have with every hire on time (``on_time``): its own hires late (by how much, when they can
    start and be trained, from recruiting on ``now``, the plan's first day), or the backlog of hires
    late before it; and its attainment (each SLA named as the tables name it,
    :func:`~capsim.metric_names.sla_words`) and mean wait as they can happen against on time, both
    waits in one unit (:func:`~capsim.units.durations_words`: "9.2 days (0.99 days on time)")."""
    actual = period.evaluation
    attained = ", ".join(f"{np.nanmean(actual.sla[s]):.0%} of {sla_words(scenario, s)} "
                         f"({np.nanmean(on_time.sla[s]):.0%} with every hire on time)" for s in actual.sla)
    wait, wait_on_time = durations_words(actual.wait_mean, on_time.wait_mean)
    level = (f"{attained} and a mean wait of {wait} ({wait_on_time} on time), met in "
             f"{round(actual.share_met * actual.replications)} of {actual.replications} replications")
    if not period.late_weeks:
        return f"not met with earlier hires late: {label} has {level}"
    return (f"late by {period.late_weeks} weeks: the {_count(period.hires, 'new analyst')} should have been "
            f"recruited by {period.hire_by}, before the plan starts ({now}); recruited from "
            f"then, they start on {period.starts} and are trained by {period.starts + training_time(team)}. With them "
            f"late, {label} has {level}")


def _count(n: int, noun: str) -> str:
    """``n`` and ``noun``, plural unless ``n`` is 1: "1 new analyst", "2 new analysts"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _not_met_words(share: float, required: float, replications: int) -> str:
    """That a period is not met as planned, in ``share`` of its ``replications`` (a share below the ``required``
    one, never rounded up to it: :func:`percent_against`)."""
    return f"not met as planned (met in {percent_against(share, required)} of {replications} replications)"


def _bound_reason(level: int, high: int, limits: Limits) -> str:
    if level >= high:
        return f"{high} analysts is the most allowed (--max, --budget); raise it"
    if limits.max_hires is not None:
        return f"at most {limits.max_hires} hires a period (--max-hires) keep the team below what it needs"
    return "more analysts are needed than the search found; rerun with more replications"


def _roster_impossible(slas: list, evaluation: Evaluation) -> list:
    """The SLAs of ``slas`` the roster makes impossible in a period: fewer than their target share of
    their items arrive less than their window before someone is on shift (the mean over the
    replications of ``evaluation``'s bound, :func:`roster_bounds`), so no headcount can meet them."""
    return [s for s in slas if evaluation.bound.get(s.priority, math.nan) < s.target]


def _roster_words(scenario: Scenario, team: Team, sla, evaluation: Evaluation) -> str:
    """Why the roster of ``team`` makes ``sla`` impossible (:func:`_roster_impossible`), in words, the SLA
    named as the tables name it (:func:`~capsim.metric_names.sla_words`): no shift pattern serves its
    priority (:meth:`~capsim.scenario.Team.serves`), too few of its items arrive in time before someone
    is on shift, or too few of them can then be assessed within the window."""
    bound, start = evaluation.bound[sla.priority], evaluation.start_bound.get(sla.priority, math.nan)
    within = duration_text(sla.within)
    if not team.serves(sla.priority):
        return (f"no shift pattern of team {team.team} serves {sla.priority} ({team.serving_words()}), so the team's "
                f"{items_words(scenario, sla.priority, team.team)} are never assessed and no headcount can meet the target for "
                f"{sla_words(scenario, sla.priority)}: "
                f"hires join {team.shifts[0].name}; add {sla.priority} to a pattern's serves "
                f"(workforce.{team.team}.shifts), or leave serves out of one (it then serves every priority)")
    if start >= sla.target:  # enough could start in time: the reviews' own time is what makes them late
        return (f"the roster makes the target for {sla_words(scenario, sla.priority)} impossible: "
                f"{percent_against(start, sla.target, 1)} of them arrive less than {within} before someone is on "
                f"shift, but only {percent_against(bound, sla.target, 1)} could be "
                f"assessed within {within} of arriving: a case takes longer than the window leaves once someone "
                f"is on shift to start it, below the target {target_percent(sla.target)}; no headcount can meet it: lengthen "
                "the SLA window, or add shifts")
    return (f"the roster makes the target for {sla_words(scenario, sla.priority)} impossible: only "
            f"{percent_against(bound, sla.target, 1)} of them arrive less than {within} before "
            "someone is on shift (nights, weekends, "
            f"holidays), below the target {target_percent(sla.target)}; no headcount can meet it: add shifts or lengthen the "
            "SLA window")


def _left_out_reasons(scenario: Scenario, runner: _Runner, k: int, best: Evaluation) -> tuple[str, ...]:
    """Why each SLA period ``k`` is planned without is left out (:func:`_roster_words`, at the largest
    headcount allowed, ``best``), in the order of the runner's SLAs (:attr:`PeriodPlan.left_out_reasons`)."""
    team = runner.scenario.workforce[runner.team_index]
    return tuple(_roster_words(scenario, team, s, best) for s in runner.slas if s.priority in runner.left_out[k])


def _left_out_words(scenario: Scenario, runner: _Runner, k: int, reasons: tuple[str, ...],
                    evaluation: Evaluation) -> str:
    """A period planned without the SLAs no headcount can meet: why (``reasons``, :func:`_left_out_reasons`),
    which, what the headcount is planned for, and how often the plan (``evaluation``) meets it; each SLA
    named as ``scenario``'s tables name it (:func:`~capsim.metric_names.sla_words`)."""
    kept = ", ".join(sla_words(scenario, s.priority) for s in runner.planned(k))
    met = round(evaluation.share_met * evaluation.replications)
    left = ", ".join(sla_words(scenario, s.priority) for s in runner.slas if s.priority in runner.left_out[k])
    return ("; ".join(reasons) + f"; so the plan leaves {left} out and plans "
            f"the headcount for {kept}, met in {met} of {evaluation.replications} replications")


def _fixed_patterns(team: Team) -> list:
    """The shift patterns that hires never join (they join the first) and that work hours the first
    does not: a day it does not work, or a start or an end outside its shift."""
    if team.shifts is None:
        return []
    first = team.shifts[0]

    def span(p: Roster) -> tuple[float, float]:  # minutes after midnight
        hours, minutes = map(int, p.start.split(":"))
        return hours * 60 + minutes, hours * 60 + minutes + p.hours_per_day * 60

    (a, b) = span(first)
    return [p for p in team.shifts[1:] if p.headcount and (set(p.days) - set(first.days) or span(p)[0] < a
                                                           or span(p)[1] > b)]


def _why_not(scenario: Scenario, team_index: int, slas: list, evaluation: Evaluation, high: int, required: int,
             replications: int) -> str:
    """Why no headcount up to ``high`` met the SLAs ``slas`` in a period, and the best attainable there,
    from the evaluation at ``high``; each SLA named as the tables name it (:func:`~capsim.metric_names.sla_words`)."""
    team = scenario.workforce[team_index]
    reasons = [_roster_words(scenario, team, s, evaluation) for s in _roster_impossible(slas, evaluation)]
    if not reasons and evaluation.work_hours > evaluation.review_hours:
        cap = _team_cap(scenario, team_index)
        what = (f"the exposure cap of {format_duration(cap)} a shift" if math.isfinite(cap) else "the roster")
        reasons.append(
            f"too few review hours: at {high} analysts {what} leaves {evaluation.review_hours:,.0f} h of review "
            f"time in the period against {evaluation.work_hours:,.0f} h of work arriving; raise --max "
            "(or the cap)")
    fixed = _fixed_patterns(team)
    if not reasons and fixed:
        names = " and ".join(f"{p.name} ({_count(p.headcount, 'analyst')}, {', '.join(p.days)} from {p.start})"
                             for p in fixed)
        reasons.append(
            f"not met even at {high} analysts, but hires join the {team.shifts[0].name} pattern only: {names} never "
            f"grow{'s' if len(fixed) == 1 else ''}, and the items arriving when only they are on shift wait for "
            f"them; add analysts to {' and '.join(p.name for p in fixed)} (workforce.{team.team}.shifts) rather "
            "than raise --max")
    if not reasons:
        reasons.append(f"not met even at {high} analysts; raise --max")
    attained = ", ".join(f"{np.nanmean(v):.1%} of {sla_words(scenario, p)}" for p, v in evaluation.sla.items())
    best = (f"best attainable: {attained} at {high} analysts (met in {int(evaluation.met.sum())} of "
            f"{evaluation.replications} replications run, {required} of {replications} needed)")
    return "; ".join(reasons) + f" (team {team.team}); {best}"
