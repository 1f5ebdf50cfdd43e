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

**The simulation solver** (:func:`solve_staffing`) works period by period over a
scenario's horizon (quarters or years, from the end of the warm-up). For each period in turn,
with the earlier periods' headcounts fixed as planned headcount ``changes``, it finds the
smallest headcount at which every SLA of the scenario is met, for the items *arriving in that
period*, in at least ``confidence`` of the replications. Every candidate runs the same
replications under the same seed (common random numbers), with the team's attrition, hiring
lead time and ramp as the scenario gives them: new seats start on the period's first day
(and ramp up from then), so they must be hired ``hiring.lead_time`` earlier — the plan's
hire-by date. The first period's headcount is in post, trained, from the start of the run
(the warm-up runs with it), so its hire-by date is the run's start less the lead time. The search brackets from an estimate (workload, or Erlang C for a round-the-
clock team) by doubling steps, then bisects, relying on more analysts never making the
service level worse; so it runs a handful of headcounts per period rather than every one.
Where no headcount up to the bound meets the target it says why (the roster leaves items
waiting longer than the SLA window, or the exposure cap leaves too few review hours).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from capsim import engine
from capsim.demand import cell_seconds, rate_at
from capsim.queueing import _erlang_a_distribution, erlang_c, mmc_service_level, mmc_wait_mean
from capsim.records import Replication
from capsim.results import mean_ci
from capsim.scenario import HeadcountChange, Scenario
from capsim.units import SECONDS_PER_DAY, SECONDS_PER_HOUR, format_duration
from capsim.workforce import seat_steps

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


def plan_periods(scenario: Scenario, period: str) -> list[Period]:
    """The planning periods: calendar ``period``s (month, quarter, year) from the first midnight
    after the warm-up; the last ends at the horizon, and a last piece shorter than a third
    of a period joins the one before."""
    if period not in PERIOD_MONTHS:
        raise ValueError(f"period must be one of {', '.join(PERIOD_MONTHS)}, got {period!r}")
    clock = scenario.clock
    first_day = math.ceil(clock.warmup / SECONDS_PER_DAY)
    if first_day * SECONDS_PER_DAY >= clock.horizon:
        raise ValueError("the horizon ends before the first whole day after the warm-up: nothing to plan")
    start = clock.start + dt.timedelta(days=first_day)
    months = PERIOD_MONTHS[period]
    bounds = [start]
    while (bounds[-1] - clock.start).days * SECONDS_PER_DAY < clock.horizon:
        bounds.append(add_months(start, months * len(bounds)))
    times = [(d - clock.start).days * SECONDS_PER_DAY for d in bounds]
    times[-1] = clock.horizon
    nominal = months * 30.4375 * SECONDS_PER_DAY
    if len(times) > 2 and times[-1] - times[-2] < nominal / 3:
        del times[-2], bounds[-2]
    periods = []
    for i in range(len(times) - 1):
        last = clock.start + dt.timedelta(days=math.ceil(times[i + 1] / SECONDS_PER_DAY) - 1)
        periods.append(Period(i, bounds[i], last, times[i], times[i + 1]))
    return periods


# =========================================================================== per-period service levels


def period_attainment(scenario: Scenario, rep: Replication, t0: float, t1: float) -> dict[str, float]:
    """Per SLA priority: the share of its items *arriving in [t0, t1)* assessed within the SLA window.

    As ``sla_<priority>`` in :mod:`capsim.metrics`, restricted to arrivals in the period: an
    item still waiting or expired past its deadline is a miss; one whose outcome is not known
    by the horizon is left out. NaN where no such item arrived.
    """
    items = rep.items
    out = {}
    for sla in scenario.sla:
        p = scenario.priorities.index(sla.priority)
        mine = (items.priority == p) & (items.arrival >= t0) & (items.arrival < t1)
        met = mine & items.started & (items.end - items.arrival <= sla.within)
        known = mine & (items.started | (items.arrival + sla.within <= rep.horizon))
        out[sla.priority] = float(met.sum() / known.sum()) if known.any() else math.nan
    return out


def roster_bound(scenario: Scenario, rep: Replication, t0: float, t1: float) -> dict[str, float]:
    """Per SLA priority: the largest share of the period's items that *could* be assessed in time.

    An item can start no sooner than the first moment at which its team has someone on
    shift (nights, weekends, holidays and absences push it later); if that is already
    ``within`` after it arrived, no headcount can assess it in time.
    """
    items = rep.items
    out = {}
    for sla in scenario.sla:
        p = scenario.priorities.index(sla.priority)
        mine = np.flatnonzero((items.priority == p) & (items.arrival >= t0) & (items.arrival < t1)
                              & (items.started | (items.arrival + sla.within <= rep.horizon)))
        if not len(mine):
            out[sla.priority] = math.nan
            continue
        possible = np.zeros(len(mine), dtype=bool)
        for t, plan in enumerate(rep.shifts):
            of_team = items.team[mine] == t
            staffed = plan.on_duty > 0
            starts, ends = plan.start[staffed], plan.end[staffed]
            arrival = items.arrival[mine[of_team]]
            k = np.searchsorted(starts, arrival, side="right") - 1
            inside = (k >= 0) & (arrival < ends[np.clip(k, 0, None)]) if len(starts) else np.zeros(len(arrival), bool)
            following = np.append(starts, np.inf)[k + 1] if len(starts) else np.full(len(arrival), np.inf)
            earliest = np.where(inside, arrival, following)
            possible[of_team] = earliest - arrival < sla.within
        out[sla.priority] = float(possible.mean())
    return out


def _team_cap(scenario: Scenario, team_index: int) -> float:
    team = scenario.workforce[team_index]
    cap = team.exposure_cap if team.exposure_cap is not None else math.inf
    wellbeing = scenario.tooling.wellbeing
    if wellbeing.enabled and wellbeing.exposure_cap is not None:
        cap = wellbeing.exposure_cap
    return cap


def _period_replication(scenario: Scenario, seed: int, replication: int, team_index: int,
                        t0: float, t1: float) -> dict:
    """One replication's per-period outcomes (picklable, for worker processes)."""
    rep = engine.simulate_replication(scenario, seed, replication)
    items, plan = rep.items, rep.shifts[team_index]
    mine = (items.team == team_index) & (items.arrival >= t0) & (items.arrival < t1)
    k0, k1 = np.searchsorted(plan.start, [t0, t1], side="left")
    length = np.minimum(plan.end[k0:k1] - plan.start[k0:k1], _team_cap(scenario, team_index))
    return {
        "sla": period_attainment(scenario, rep, t0, t1),
        "bound": roster_bound(scenario, rep, t0, t1),
        "work_hours": float(items.service[mine].sum()) / SECONDS_PER_HOUR,
        "review_hours": float((plan.on_duty[k0:k1] * length).sum()) / SECONDS_PER_HOUR,
    }


# =========================================================================== the solver


@dataclass
class Evaluation:
    """One headcount tried for one period: per-replication attainment and whether all SLAs were met."""

    headcount: int
    sla: dict[str, np.ndarray]
    met: np.ndarray
    bound: dict[str, float]
    work_hours: float
    review_hours: float

    @property
    def share_met(self) -> float:
        return float(self.met.mean())


@dataclass
class PeriodPlan:
    """The plan for one period: the headcount needed and how it performs."""

    period: Period
    headcount: int
    change: int
    hire_by: dt.date | None
    evaluation: Evaluation
    met: bool
    note: str = ""


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
    tried: dict[int, dict[int, Evaluation]] = field(default_factory=dict)
    """Every evaluation the search ran: period index → headcount → evaluation."""

    def table(self) -> pd.DataFrame:
        """The plan as written to ``staffing_plan.csv`` (SLA attainment: mean and 95% CI across replications)."""
        rows = []
        for p in self.periods:
            row = {"period": p.period.index + 1, "period_start": p.period.first.isoformat(),
                   "period_end": p.period.last.isoformat(), "headcount": p.headcount, "change": p.change,
                   "hire_by": p.hire_by.isoformat() if p.hire_by else ""}
            for priority, values in p.evaluation.sla.items():
                mean, low, high = mean_ci(values)
                row[f"sla_{priority}"] = mean
                row[f"sla_{priority}_ci_low"] = max(low, 0.0) if not math.isnan(low) else low  # a share: within [0, 1]
                row[f"sla_{priority}_ci_high"] = min(high, 1.0) if not math.isnan(high) else high
                row[f"sla_{priority}_target"] = self._target(priority)
            row["replications_met"] = p.evaluation.share_met
            row["confidence"] = self.confidence
            row["met"] = p.met
            row["note"] = p.note
            rows.append(row)
        return pd.DataFrame(rows)

    def _target(self, priority: str) -> float:
        return next(s.target for s in self.scenario.sla if s.priority == priority)

    def changes(self) -> list[dict]:
        """The plan as the team's ``changes:`` (a scenario fragment): headcount from each period's first day."""
        return [{"date": p.period.first.isoformat(), "headcount": p.headcount} for p in self.periods]

    def scenario_with_plan(self) -> Scenario:
        """The scenario with the plan written into the team's ``changes``."""
        index = [t.team for t in self.scenario.workforce].index(self.team)
        return with_changes(self.scenario, index, [(p.period.first, p.headcount) for p in self.periods])


def with_changes(scenario: Scenario, team_index: int, changes: list[tuple[dt.date, int]],
                 horizon: float | None = None) -> Scenario:
    """``scenario`` with the team's headcount plan replaced (and the horizon cut to ``horizon``).

    ``changes`` are (first day, headcount) of each planning period: the first period's
    headcount is in post, experienced, from time zero (the warm-up runs with it); each later
    one is a planned change on its first day (new analysts start and ramp up then).
    """
    team = scenario.workforce[team_index]
    planned = [HeadcountChange(date=d, headcount=h) for d, h in changes[1:]]
    workforce = list(scenario.workforce)
    workforce[team_index] = team.model_copy(update={"headcount": changes[0][1], "changes": planned})
    update: dict = {"workforce": workforce}
    if horizon is not None and horizon < scenario.clock.horizon:
        update["clock"] = scenario.clock.model_copy(update={"horizon": horizon})
    return scenario.model_copy(update=update)


def expected_work(scenario: Scenario, team_index: int, t0: float, t1: float) -> float:
    """Expected analyst-seconds of review arriving for a team in [t0, t1) from its streams (not referrals)."""
    team = scenario.workforce[team_index]
    clock = scenario.clock
    width = cell_seconds(clock)
    total = 0.0
    hashing = scenario.tooling.hash_matching
    for stream in scenario.demand:
        if scenario.team_of(stream) != team.team:
            continue
        edges = np.arange(t0, t1, width, dtype=float)
        ends = np.minimum(edges + width, t1)
        count = float((rate_at(stream, clock, (edges + ends) / 2) * (ends - edges)).sum())
        if stream.initial_backlog and t0 <= 0 < t1:
            count += stream.initial_backlog
        cleared = stream.mix.known * hashing.match_rate if hashing.enabled else 0.0
        review = team.task_time or scenario.review[stream.unit]
        total += count * (1 - cleared) * review.mean_seconds
    return total


def workload_estimate(scenario: Scenario, team_index: int, period: Period) -> int:
    """A first guess at the headcount a period needs, from the work arriving in it.

    For a round-the-clock team without an exposure cap: Erlang C for its strictest SLA
    (until the end of review), grossed up for shrinkage. Otherwise: the load spread over
    the hours analysts can review (rostered share of the week, exposure cap, shrinkage)
    at 85% occupancy. Only a starting point for the simulation search.
    """
    team = scenario.workforce[team_index]
    span = period.t1 - period.t0
    work = expected_work(scenario, team_index, period.t0, period.t1)
    load = work / span if span > 0 else 0.0
    if load <= 0:
        return max(1, seat_steps(team, scenario.clock)[0])
    cap = _team_cap(scenario, team_index)
    roster = team.roster
    streams = [s for s in scenario.demand if scenario.team_of(s) == team.team]
    slas = [s for s in scenario.sla if s.priority in {st.priority for st in streams}]
    if roster.round_the_clock and math.isinf(cap) and slas and streams:
        rate = sum(float(rate_at(s, scenario.clock, np.array([(period.t0 + period.t1) / 2]))[0]) for s in streams)
        try:
            strictest = min(slas, key=lambda s: (s.within, -s.target))
            estimate = erlang_c_staffing(rate, load / rate, target=strictest.target, within=strictest.within,
                                         until="end", shrinkage=team.shrinkage)
            return estimate.rostered
        except (ValueError, ZeroDivisionError):
            pass
    shift = roster.hours_per_day * SECONDS_PER_HOUR + (team.overtime or 0.0)
    duty = shift * len(set(roster.days)) / (7 * SECONDS_PER_DAY)  # share of the week on shift
    available = duty * min(1.0, cap / shift) * (1 - team.shrinkage)
    return max(1, math.ceil(load / (available * 0.85)))


class _Runner:
    """Runs and caches the evaluation of (period, headcount) candidates."""

    def __init__(self, scenario: Scenario, team_index: int, seed: int, replications: int, confidence: float,
                 executor: Executor | None, progress: Callable[[str], None] | None):
        self.scenario, self.team_index, self.seed = scenario, team_index, seed
        self.replications, self.confidence = replications, confidence
        self.executor, self.progress = executor, progress
        self.window = max((s.within for s in scenario.sla), default=0.0)
        self.count = 0
        self.cache: dict[tuple[int, int], Evaluation] = {}

    def evaluate(self, period: Period, fixed: list[tuple[dt.date, int]], headcount: int) -> Evaluation:
        horizon = min(self.scenario.clock.horizon, period.t1 + self.window)
        candidate = with_changes(self.scenario, self.team_index, fixed + [(period.first, headcount)], horizon)
        args = [(candidate, self.seed, r, self.team_index, period.t0, period.t1) for r in range(self.replications)]
        if self.executor is None:
            outcomes = [_period_replication(*a) for a in args]
        else:
            outcomes = list(self.executor.map(_period_replication, *zip(*args)))
        self.count += 1
        sla = {p: np.array([o["sla"][p] for o in outcomes]) for p in (s.priority for s in self.scenario.sla)}
        met = np.ones(self.replications, dtype=bool)
        for s in self.scenario.sla:
            values = sla[s.priority]
            met &= np.isnan(values) | (values >= s.target)
        evaluation = Evaluation(
            headcount=headcount, sla=sla, met=met,
            bound={p: float(np.nanmean([o["bound"][p] for o in outcomes]))
                   if not all(math.isnan(o["bound"][p]) for o in outcomes) else math.nan for p in sla},
            work_hours=float(np.mean([o["work_hours"] for o in outcomes])),
            review_hours=float(np.mean([o["review_hours"] for o in outcomes])),
        )
        if self.progress:
            self.progress(f"period {period.index + 1} ({period.first}): {headcount} analysts -> "
                          f"met in {evaluation.share_met:.0%} of replications")
        return evaluation


def solve_staffing(scenario: Scenario, team: str | None = None, *, period: str = "quarter", confidence: float = 0.9,
                   max_headcount: int | None = None, replications: int | None = None, seed: int | None = None,
                   workers: int = 1, progress: Callable[[str], None] | None = None) -> StaffingPlan:
    """The smallest headcount of ``team``, period by period, meeting every SLA in ``confidence`` of replications.

    ``period``: month, quarter or year. ``max_headcount``: the largest headcount tried
    (default: 4 × the largest workload estimate, at least twice the current headcount and
    at least 10). ``replications`` and ``seed`` default to the scenario's ``experiment``.
    The team's own planned ``changes`` are replaced by the plan. Raises ``ValueError`` for
    input that cannot be planned (no SLA, an unknown team, a confidence outside (0, 1)).
    """
    names = [t.team for t in scenario.workforce]
    team = names[0] if team is None else team
    if team not in names:
        raise ValueError(f"no team {team!r}; teams are {', '.join(names)}")
    if not scenario.sla:
        raise ValueError("the scenario has no SLA (sla: [{priority, within, target}]): there is nothing to staff for")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (exclusive), e.g. 0.9; got {confidence:g}")
    replications = scenario.experiment.replications if replications is None else replications
    seed = scenario.experiment.seed if seed is None else seed
    if replications < 1:
        raise ValueError("replications must be at least 1")
    index = names.index(team)
    periods = plan_periods(scenario, period)
    baseline = seat_steps(scenario.workforce[index], scenario.clock)[0]
    estimates = [workload_estimate(scenario, index, p) for p in periods]
    if max_headcount is None:
        max_headcount = max(4 * max(estimates), 2 * baseline, 10)
    if max_headcount < 1:
        raise ValueError(f"max_headcount must be at least 1, got {max_headcount}")
    plan = StaffingPlan(scenario, team, confidence, replications, seed, baseline, max_headcount)
    executor = ProcessPoolExecutor(max_workers=min(workers, replications)) if workers > 1 else None
    try:
        runner = _Runner(scenario, index, seed, replications, confidence, executor, progress)
        fixed: list[tuple[dt.date, int]] = []
        previous = baseline
        for k, current in enumerate(periods):
            guess = estimates[k]
            if k and plan.periods[-1].met and estimates[k - 1] > 0:
                guess = round(plan.periods[-1].headcount * estimates[k] / estimates[k - 1])
            chosen = _search(runner, current, fixed, min(max(guess, 0), max_headcount), max_headcount)
            met = chosen is not None
            headcount = chosen if met else max_headcount
            evaluation = runner.cache[(current.index, headcount)]
            change = headcount - previous
            # new analysts start on the period's first day (the first period's: at the start of the run,
            # as the warm-up runs with them), so they must be hired a lead time before
            starts = current.first if k else scenario.clock.start
            lead = dt.timedelta(days=math.ceil(scenario.workforce[index].hiring.lead_time / SECONDS_PER_DAY))
            hire_by = starts - lead if change > 0 else None
            note = "" if met else _why_not(scenario, index, evaluation, max_headcount)
            if met and k == 0 and change > 0:
                note = (f"{change} more than the {baseline} in post: the first period's analysts are taken to be "
                        f"in post and trained from the start of the run ({scenario.clock.start})")
            if met and hire_by is not None and hire_by < scenario.clock.start:
                note += ("; " if note else "") + (f"hire-by date {hire_by} is before the run starts: "
                                                  "too late to recruit them in time")
            plan.periods.append(PeriodPlan(current, headcount, change, hire_by, evaluation, met, note))
            fixed.append((current.first, headcount))
            previous = headcount
        plan.evaluations = runner.count
        for (k, h), evaluation in sorted(runner.cache.items()):
            plan.tried.setdefault(k, {})[h] = evaluation
    finally:
        if executor is not None:
            executor.shutdown()
    return plan


def _search(runner: _Runner, period: Period, fixed: list[tuple[dt.date, int]], guess: int, high: int) -> int | None:
    """Smallest headcount in [0, high] that passes, bracketing from ``guess``; None if ``high`` fails."""
    def passes(h: int) -> bool:
        key = (period.index, h)
        if key not in runner.cache:
            runner.cache[key] = runner.evaluate(period, fixed, h)
        return runner.cache[key].share_met >= runner.confidence

    return smallest_passing(passes, guess, 0, high)


def _why_not(scenario: Scenario, team_index: int, evaluation: Evaluation, high: int) -> str:
    """Why no headcount up to ``high`` met the SLAs in a period, from the evaluation at ``high``."""
    team = scenario.workforce[team_index]
    reasons = []
    for s in scenario.sla:
        bound = evaluation.bound.get(s.priority, math.nan)
        if not math.isnan(bound) and bound < s.target:
            reasons.append(
                f"the roster makes sla_{s.priority} impossible: only {bound:.1%} of its items arrive less than "
                f"{format_duration(s.within)} before someone is on shift (nights, weekends, holidays), below the "
                f"target {s.target:.0%}; no headcount can meet it: add shifts or lengthen the SLA window")
    if not reasons and evaluation.work_hours > evaluation.review_hours:
        cap = _team_cap(scenario, team_index)
        what = (f"the exposure cap of {format_duration(cap)} a shift" if math.isfinite(cap) else "the roster")
        reasons.append(
            f"too few review hours: at {high} analysts {what} leaves {evaluation.review_hours:,.0f} h of review "
            f"time in the period against {evaluation.work_hours:,.0f} h of work arriving; raise --max-headcount "
            "(or the cap)")
    if not reasons:
        attained = ", ".join(f"sla_{p} {np.nanmean(v):.1%}" for p, v in evaluation.sla.items())
        reasons.append(f"not met even at {high} analysts ({attained}; met in {evaluation.share_met:.0%} of "
                       f"replications); raise --max-headcount")
    return "; ".join(reasons) + f" (team {team.team})"
