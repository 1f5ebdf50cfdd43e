"""Grant sizing: the staff a scenario's SLAs need over a grant period, and what it costs in full.

For each scenario, over ``years`` grant years from ``start`` (each exactly twelve months, the
first on ``start``, which must be a fiscal-year start):

1. *Re-clock* (:func:`grant_scenario`): the run starts the scenario's warm-up before the grant
   start, so the warm-up ends on ``start``, and ends with the last grant year. The warm-up
   fills the queues and is neither planned nor costed (it is said, as ``warmup_days``). Volumes
   keep their calendar dates (each stream's ``rate`` stays pinned to the day it was written for,
   ``rate_date``, by default the scenario's own start), as do prices (``costs.price_year``). A
   scenario that starts after ``start`` is refused: its volumes are not known before then.
2. *Plan* each team that has SLAs, year by year (:func:`capsim.staffing.solve_staffing` with
   ``period="year"``: hires only, never on noise, the plan replayed as it can happen: no new
   seat starts before the grant start, the plan's first day, plus the hiring lead time, so a
   year whose hires are late is replayed, costed and written with them late), teams that refer work
   first, each later team seeing the plans of those before it. Other teams stay as written.
3. *Cost* the planned scenario per grant year (:func:`capsim.budget.replication_budget`: FTE in
   post, hires, every budget line), with each year's SLA attainment (items arriving that year,
   :func:`capsim.staffing.period_attainment`) and mean backlog (:func:`capsim.metrics.backlog_mean`)
   beside its cost; every scenario runs the same replications under one seed, so the
   differences against the first are paired.

``fte_needed`` per year is the SLA-planned teams' smallest headcount meeting their SLAs that
year (NaN where none does), and ``fte_as_written`` the other teams' seats as written, which no
target sizes (:func:`unplanned_teams`), both in contracted FTE (:func:`capsim.workforce.headcount_fte`:
part-time contracts count as fractions); ``fte``, the FTE in post, counts every team. ``management_fte``
is the management and QA posts ``costs.roles`` adds to them, as costed. ``hires_late_weeks_<team>``
is, per planned team, the weeks its hires that year come after the year's first day (0 where on time
or none).

Beside each year's cost, each replication also measures what no SLA column shows: the items waiting
and mean wait of each team with no SLA (:func:`unplanned_teams`, which the grant does not plan), and
the items a classifier puts in a queue with a deadline their stream's priority has none of, or takes
out of one (:func:`deadline_moves`), since the plan sizes a team for its queues' deadlines.

Why it is one module (over 400 lines): re-clocking, planning, costing and the replications'
measures make one result, :class:`GrantResult`, in one pass: each step reads the grant years and
the planned scenarios the step before it made, and nothing else uses them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from capsim import engine
from capsim.budget import check_comparable, replication_budget, stacked, summarise_budget
from capsim.costs import role_teams
from capsim.metrics import backlog_mean, eventual_waits
from capsim.passes import queue_seconds
from capsim.records import Replication
from capsim.output import OutputError, safe_name
from capsim.pool import worker_pool
from capsim.scenario import Scenario, ScenarioError, Team
from capsim.memory import default_workers
from capsim.metric_names import sla_words
from capsim.staffing import Limits, StaffingPlan, add_months, period_attainment, solve_staffing, team_slas, with_changes
from capsim.units import SECONDS_PER_DAY
from capsim.workforce import headcount_fte, seat_steps

Progress = Callable[[float, float, str], None]
"""Called as progress(done, total, what): whole-horizon runs done and expected so far."""


@dataclass(frozen=True)
class GrantYear:
    """One grant year: ``label`` (e.g. 2027/28), its first and last day, and [t0, t1) in seconds
    from the start of the re-clocked run."""

    label: str
    first: dt.date
    last: dt.date
    t0: float
    t1: float


def parse_month_day(text: str) -> tuple[int, int]:
    """A fiscal-year start written MM-DD (``04-01``); raises ``ValueError`` naming what is allowed."""
    try:
        month, day = (int(part) for part in text.strip().split("-"))
        dt.date(2000, month, day)  # a leap year: 02-29 is a date
    except ValueError:
        raise ValueError(f"--fiscal-year-start {text!r} is not a month and day written MM-DD, e.g. 04-01") from None
    return month, day


def year_label(first: dt.date) -> str:
    """A grant year's name: the calendar year if it starts on 1 January, else e.g. 2027/28."""
    return str(first.year) if (first.month, first.day) == (1, 1) else f"{first.year}/{(first.year + 1) % 100:02d}"


def grant_years(start: dt.date, years: int, run_start: dt.date,
                fiscal_year_start: tuple[int, int] | None = None) -> list[GrantYear]:
    """The ``years`` grant years from ``start`` (twelve months each, none shorter), timed from ``run_start``.

    Raises ``ValueError`` if ``years`` is below 1 or ``start`` is not on ``fiscal_year_start``
    (month, day; default: ``start``'s own).
    """
    if years < 1:
        raise ValueError(f"--years must be at least 1, got {years}")
    if fiscal_year_start is not None and (start.month, start.day) != fiscal_year_start:
        month, day = fiscal_year_start
        raise ValueError(f"--from {start} is not the start of a fiscal year ({month:02d}-{day:02d}): grant years are "
                         f"whole fiscal years; give --from {start.year}-{month:02d}-{day:02d} or "
                         f"--fiscal-year-start {start.month:02d}-{start.day:02d}")
    out = []
    for k in range(years):
        first, following = add_months(start, 12 * k), add_months(start, 12 * (k + 1))
        out.append(GrantYear(year_label(first), first, following - dt.timedelta(days=1),
                             (first - run_start).days * SECONDS_PER_DAY, (following - run_start).days * SECONDS_PER_DAY))
    return out


def warmup_days(scenario: Scenario) -> int:
    """The scenario's warm-up in whole days (rounded up)."""
    return math.ceil(scenario.clock.warmup / SECONDS_PER_DAY - 1e-9)


def grant_scenario(scenario: Scenario, start: dt.date, years: int) -> Scenario:
    """``scenario`` re-clocked for a grant period: the warm-up ends on ``start`` and the run ends
    ``years`` × twelve months later, with volumes and prices kept on their calendar dates.

    Each stream's ``rate`` is pinned to the day it was written for (``rate_date``, by default
    the scenario's start), and bursts timed from the start keep their day (those before the
    new run's start are dropped); ``costs.price_year`` is pinned to the scenario's start year.
    Raises :class:`~capsim.scenario.ScenarioError` if the scenario starts after ``start``.
    """
    clock = scenario.clock
    if clock.start > start:
        raise ScenarioError(f"{scenario.name}: clock.start is {clock.start}, after the grant start {start}: its "
                            f"volumes are not known before then. Start the grant on or after {clock.start} (--from), "
                            "or set clock.start (and the rates for that date) no later than the grant start")
    warmup = warmup_days(scenario)
    run_start = start - dt.timedelta(days=warmup)
    shift = (clock.start - run_start).days * SECONDS_PER_DAY  # seconds from the new start to the old one
    demand = []
    for stream in scenario.demand:
        update: dict = {}
        if stream.rate is not None and stream.rate_date is None:
            update["rate_date"] = clock.start
        if stream.bursts:
            update["bursts"] = [b if isinstance(b.at, dt.date) else b.model_copy(update={"at": b.at + shift})
                                for b in stream.bursts
                                if (b.at if isinstance(b.at, dt.date) else clock.start) >= run_start
                                and (isinstance(b.at, dt.date) or b.at + shift >= 0)]
        demand.append(stream.model_copy(update=update) if update else stream)
    horizon = (add_months(start, 12 * years) - run_start).days * SECONDS_PER_DAY
    costs = scenario.costs
    if costs.price_year is None:
        costs = costs.model_copy(update={"price_year": clock.start.year})
    new_clock = clock.model_copy(update={"start": run_start, "warmup": warmup * SECONDS_PER_DAY, "horizon": horizon,
                                         "step": min(clock.step, horizon)})
    return scenario.model_copy(update={"clock": new_clock, "demand": demand, "costs": costs}).with_override(
        f"clock: from {run_start}, warm-up {warmup} days to the grant start {start}, {years} grant years (capsim grant)")


def planned_teams(scenario: Scenario) -> list[str]:
    """The teams with SLAs to plan, in referral order (a team before those it refers to)."""
    return [scenario.workforce[i].team for i in scenario.team_order() if team_slas(scenario, i)]


def plan_files(scenarios: list[Scenario]) -> dict[str, str]:
    """Per scenario name, the file its plan is written to: ``plans/<safe name>.yaml``
    (:func:`capsim.output.safe_name`: one plain file name, never a path out of ``plans/``).

    Raises :class:`~capsim.scenario.ScenarioError` for a name with no letter or digit, and
    when two names give one file (``a/b`` and ``a b``), so that no plan overwrites another.
    """
    files: dict[str, str] = {}
    for scenario in scenarios:
        try:
            file = f"plans/{safe_name(scenario.name)}.yaml"
        except OutputError:
            raise ScenarioError(f"scenario name {scenario.name!r}: gives no usable file name for its plan "
                                "(plans/<name>.yaml, which needs a letter or a digit); rename the scenario") from None
        if (other := next((name for name, taken in files.items() if taken == file), None)) is not None:
            raise ScenarioError(f"scenario names {other!r} and {scenario.name!r}: both give the plan file {file} "
                                "(a name keeps only letters, digits, '-', '_' and '.'); rename one of them")
        files[scenario.name] = file
    return files


@dataclass
class GrantResult:
    """Grant sizing of one or more scenarios under one seed."""

    scenarios: list[Scenario]
    """The re-clocked scenarios with their plans written in."""
    plans: dict[str, list[StaffingPlan]]
    """Per scenario name, the plan of each team with SLAs."""
    years: list[GrantYear]
    seed: int
    replications: int
    warmup_days: list[int]
    workers: int
    """Worker processes used (the plans and numbers are the same on any number)."""
    per_replication: pd.DataFrame
    table: pd.DataFrame

    @property
    def attainable(self) -> bool:
        """True if every plan, as costed (hires late included), met every SLA in every year."""
        return all(p.attainable for plans in self.plans.values() for p in plans)


def unplanned_teams(scenario: Scenario) -> list[str]:
    """The teams with no SLA, in referral order: the grant plans none of their staff (their seats
    stay as written), so no target shows what the plans of the others do to them."""
    return [scenario.workforce[i].team for i in scenario.team_order() if not team_slas(scenario, i)]


def deadline_moves(scenario: Scenario) -> dict[str, tuple[list[str], list[str]]]:
    """Per team, the streams (arriving there) whose items ``scenario``'s classifier can put in a queue
    with an SLA deadline their stream's priority has none of (first list), and those whose items it
    can take out of one (second): the classifier sets every item's queue to its ``positive_priority``
    or ``negative_priority`` (a stream with a classifier has one priority of its own). Teams with
    neither are left out; {} without a classifier."""
    classifier = scenario.tooling.classifier
    if not classifier.enabled:
        return {}
    timed = {s.priority for s in scenario.sla}
    queues = {classifier.positive_priority, classifier.negative_priority}
    moves: dict[str, tuple[list[str], list[str]]] = {}
    for stream in scenario.demand:
        added, removed = moves.setdefault(scenario.team_of(stream), ([], []))
        if stream.priority not in timed and queues & timed:
            added.append(stream.stream)
        elif stream.priority in timed and queues - timed:
            removed.append(stream.stream)
    return {team: lists for team, lists in moves.items() if any(lists)}


def _team_waits(scenario: Scenario, rep: Replication, years: list[GrantYear]) -> dict[str, list[float]]:
    """Per team with no SLA (:func:`unplanned_teams`), per grant year and then over the whole grant:
    ``backlog_mean_<team>``, its items waiting on average (:func:`capsim.passes.queue_seconds` of its
    rows, as :func:`capsim.metrics.backlog_mean` counts all teams'), and ``wait_mean_<team>``, the mean
    wait in hours to the start of assessment of the items arriving at it then (eventual waits,
    :func:`capsim.metrics.eventual_waits`)."""
    items = rep.items
    spans = [(y.t0, y.t1) for y in years] + [(years[0].t0, years[-1].t1)]
    out: dict[str, list[float]] = {}
    for team in unplanned_teams(scenario):
        mine = items.team == [t.team for t in scenario.workforce].index(team)
        out[f"backlog_mean_{team}"] = [
            queue_seconds(items.arrival[mine], items.start[mine], items.deadline[mine], float(rep.horizon), t0, t1,
                          math.inf, -math.inf) / (t1 - t0) for t0, t1 in spans]
        waits = [eventual_waits(rep, mine & (items.arrival >= t0) & (items.arrival < t1))[0] for t0, t1 in spans]
        out[f"wait_mean_{team}"] = [float(w.mean()) if len(w) else math.nan for w in waits]
    return out


def _moved_under_deadline(scenario: Scenario, rep: Replication, years: list[GrantYear]) -> dict[str, list[float]]:
    """Per team of :func:`deadline_moves`, per grant year and then over the whole grant: its streams'
    items arriving then that the classifier put in a queue with a deadline their stream's priority has
    none of (``deadline_added_<team>``) and those it took out of one (``deadline_removed_<team>``); counts."""
    items = rep.items
    timed = np.isin(scenario.priorities, [s.priority for s in scenario.sla])  # per priority: has an SLA
    spans = [(y.t0, y.t1) for y in years] + [(years[0].t0, years[-1].t1)]
    out: dict[str, list[float]] = {}
    for team, (added, removed) in deadline_moves(scenario).items():
        for name, streams, timed_now in (("added", added, True), ("removed", removed, False)):
            index = [i for i, s in enumerate(scenario.demand) if s.stream in streams]  # their own priority: the other
            moved = items.direct & np.isin(items.stream, index) & (timed[items.priority] == timed_now)
            out[f"deadline_{name}_{team}"] = [float((moved & (items.arrival >= t0) & (items.arrival < t1)).sum())
                                              for t0, t1 in spans]
    return out


def _grant_replication(scenario: Scenario, seed: int, replication: int, years: list[GrantYear],
                       needed: tuple[list[float], list[float]]) -> pd.DataFrame:
    """One replication's grant budget (picklable): budget rows per grant year and ``all``, with
    each year's SLA attainment per team SLA, mean backlog, FTE needed and as written (``needed``,
    :func:`_fte_needed`), the management and QA posts
    (``management_fte``: FTE of ``costs.roles``, as costed), the items waiting and mean wait of each
    team with no SLA (:func:`_team_waits`) and the items a classifier moves under a deadline or out
    of one (:func:`_moved_under_deadline`)."""
    rep = engine.simulate_replication(scenario, seed, replication)
    frame = replication_budget(scenario, rep, [(y.label, y.t0, y.t1) for y in years])
    spans = np.array([y.t1 - y.t0 for y in years])
    for i, team in enumerate(scenario.workforce):
        whole = period_attainment(scenario, rep, years[0].t0, years[-1].t1, i)  # the row "all"
        for sla in team_slas(scenario, i):
            frame[sla_column(scenario, sla.priority, team.team)] = [
                *(period_attainment(scenario, rep, y.t0, y.t1, i)[sla.priority] for y in years), whole[sla.priority]]
    for column, values in (("backlog_mean", [backlog_mean(rep, (y.t0, y.t1)) for y in years]),
                           ("fte_needed", needed[0]), ("fte_as_written", needed[1])):
        values = np.asarray(values, dtype=float)
        frame[column] = [*values, float(np.dot(values, spans) / spans.sum())]  # "all": time-weighted
    team_fte = {t.team: frame[f"fte_{t.team}" if len(scenario.workforce) > 1 else "fte"] for t in scenario.workforce}
    frame["management_fte"] = 0.0
    for role in scenario.costs.roles:  # one FTE of the role per role.per analyst FTE of its teams, as costed
        for team in role_teams(scenario, role):
            frame["management_fte"] += team_fte[team] / role.per
    for column, values in {**_team_waits(scenario, rep, years), **_moved_under_deadline(scenario, rep, years)}.items():
        frame[column] = values
    frame.insert(0, "replication", replication)
    return frame


def sla_column(scenario: Scenario, priority: str, team: str) -> str:
    """The column of a team's SLA: ``sla_<priority>``, with ``_<team>`` when there are several teams."""
    return f"sla_{priority}_{team}" if len(scenario.workforce) > 1 else f"sla_{priority}"


def sla_columns(scenario: Scenario) -> dict[str, tuple[str, str]]:
    """Each SLA column of the grant table (:func:`sla_column`) and its (priority, team)."""
    return {sla_column(scenario, s.priority, team.team): (s.priority, team.team)
            for i, team in enumerate(scenario.workforce) for s in team_slas(scenario, i)}


NO_SPREAD = ("the same in every replication: the staff in post did not vary between replications (no workforce "
             "attrition set, or no leaver in so short a time)")
"""Said instead of a 95% CI of cost when every replication costs the same."""


def no_spread(low: float, high: float, replications: int) -> bool:
    """True when an interval from ``replications`` (more than one) runs has no width (all runs agree)."""
    return replications > 1 and math.isfinite(low) and math.isfinite(high) and high - low <= 1e-9 * max(abs(high), 1)


def cost_fixed(table: pd.DataFrame, replications: int) -> bool:
    """True where every replication costs every plan the same in every row of a grant table
    (:attr:`GrantResult.table` or ``grant.csv``: each row's ``total_cost`` interval, in the
    currency's units, has no width by :func:`no_spread`): the cost then has no interval to give."""
    return all(no_spread(lo, hi, replications) for lo, hi in zip(table.total_cost_ci_low, table.total_cost_ci_high))


def sla_column_words(scenarios: Sequence[Scenario], column: str) -> dict[str, str]:
    """What SLA ``column`` of the grant table (:func:`sla_columns`) measures in each scenario that has
    it, in plain words (:func:`capsim.metric_names.sla_words`: "reports within 72 h"), by scenario name,
    in the scenarios' order: where they differ, the grant's notes and chart give each scenario's."""
    return {s.name: sla_words(s, *sla_columns(s)[column]) for s in scenarios if column in sla_columns(s)}


def grant(scenarios: list[Scenario], start: dt.date, years: int, *, fiscal_year_start: tuple[int, int] | None = None,
          confidence: float = 0.9, replications: int | None = None, seed: int | None = None,
          workers: int | None = 1, progress: Progress | None = None) -> GrantResult:
    """Plan and cost ``scenarios`` over ``years`` grant years from ``start`` (see the module).

    ``workers`` None: the usable cores, within memory, for the largest of the scenarios
    (:func:`capsim.memory.default_workers`); the result is the same on any number.

    Raises :class:`~capsim.scenario.ScenarioError` for input that cannot be sized: no scenario,
    two with one name or one plan file (:func:`plan_files`), different currencies, a scenario
    starting after ``start``, a ``start`` off the fiscal-year start; ``ValueError`` from the
    solver (e.g. a team with no work).
    """
    check_comparable(scenarios)
    plan_files(scenarios)
    names = [s.name for s in scenarios]
    replications = scenarios[0].experiment.replications if replications is None else replications
    seed = scenarios[0].experiment.seed if seed is None else seed
    clocked = [grant_scenario(s, start, years) for s in scenarios]
    workers = min(default_workers(s, replications) for s in clocked) if workers is None else workers
    try:
        periods = [grant_years(start, years, s.clock.start, fiscal_year_start) for s in clocked]
    except ValueError as err:
        raise ScenarioError(str(err)) from None
    done = 0.0
    planned: list[Scenario] = []
    plans: dict[str, list[StaffingPlan]] = {}
    needs: list[tuple[list[float], list[float]]] = []
    budget_tasks = len(scenarios) * replications
    for n, scenario in enumerate(clocked):
        team_plans = []
        for team in planned_teams(scenario):
            def report(runs: float, total: float, what: str, base: float = done) -> None:
                if progress:
                    progress(base + runs, base + total + budget_tasks, f"{scenario.name}: planning {team}"
                             + (f", trying {what}" if what else ""))

            plan = solve_staffing(scenario, team, period="year", confidence=confidence, replications=replications,
                                  seed=seed, workers=workers, progress=report, limits=Limits(),
                                  labels=[y.label for y in periods[n]])  # the notes name the years as the table
            done += plan.runs
            _check_periods(plan, periods[n])
            team_plans.append(plan)
            team_index = [t.team for t in scenario.workforce].index(team)
            steps = ", ".join(f"{h} from {d}" for d, h in plan.staffing[1:])
            scenario = with_changes(scenario, team_index, list(plan.staffing)).with_override(
                f"plan: workforce.{team} headcount {plan.staffing[0][1]}" + (f", then {steps}" if steps else "")
                + f" (capsim grant, SLAs met in at least {confidence:.0%} of replications)")
        plans[scenario.name] = team_plans
        planned.append(scenario)
        needs.append(_fte_needed(scenario, team_plans, periods[n]))
    tasks = [(i, r) for i in range(len(planned)) for r in range(replications)]
    outcomes: dict[tuple[int, int], pd.DataFrame] = {}

    def record(key: tuple[int, int], frame: pd.DataFrame) -> None:
        outcomes[key] = frame
        if progress:
            progress(done + len(outcomes), done + len(tasks), "costing the plans")

    args = [(planned[i], seed, r, periods[i], needs[i]) for i, r in tasks]
    if workers > 1:
        with worker_pool(min(workers, len(tasks))) as pool:
            for key, frame in zip(tasks, pool.map(_grant_replication, *zip(*args))):
                record(key, frame)
    else:
        for key, a in zip(tasks, args):
            record(key, _grant_replication(*a))
    per_replication = stacked(outcomes, tasks, names)
    extra = [c for c in per_replication if c.startswith(("sla_", "backlog_mean", "wait_mean_", "deadline_"))] + [
        "management_fte"]
    table = summarise_budget(per_replication, names, extra=extra)
    for i, name in enumerate(names):  # the grant years as planned: seats per team, and the SLA targets
        mine = table.scenario == name
        for plan in plans[name]:
            headcounts = [p.headcount for p in plan.periods]
            table.loc[mine, f"seats_{plan.team}"] = headcounts + [float(np.mean(headcounts))]
            for s in team_slas(planned[i], [t.team for t in planned[i].workforce].index(plan.team)):
                table.loc[mine, f"{sla_column(planned[i], s.priority, plan.team)}_target"] = s.target
            late = [p.late_weeks for p in plan.periods]  # this team's own hires: weeks after each year's first day
            table.loc[mine, f"hires_late_weeks_{plan.team}"] = late + [max(late)]
        table.loc[mine, "warmup_days"] = warmup_days(planned[i])
    table["cost_note"] = [NO_SPREAD if no_spread(lo, hi, replications) else ""
                          for lo, hi in zip(table.total_cost_ci_low, table.total_cost_ci_high)]
    return GrantResult(planned, plans, periods[0], seed, replications, [warmup_days(s) for s in planned],
                       workers, per_replication, table)


def _check_periods(plan: StaffingPlan, years: list[GrantYear]) -> None:
    """The solver's yearly periods must be the grant years exactly (no stub year)."""
    got = [(p.period.first, p.period.last) for p in plan.periods]
    want = [(y.first, y.last) for y in years]
    if got != want:  # a bug, not bad input
        raise RuntimeError(f"planning years {got} differ from the grant years {want}")


def _seats_at(team: Team, scenario: Scenario, t: float) -> int:
    """Seats a team has as written at time ``t`` (seconds from the run's start)."""
    seats, steps = seat_steps(team, scenario.clock)
    for when, count in steps:
        if when <= t:
            seats = count
    return seats


def _fte_needed(scenario: Scenario, plans: list[StaffingPlan],
                years: list[GrantYear]) -> tuple[list[float], list[float]]:
    """Per grant year, in contracted FTE: the planned teams' need for their SLAs (NaN where no
    headcount meets them), and the other teams' seats as written at the year's start (which no
    target sizes: 0 where every team is planned)."""
    by_team = {p.team: p for p in plans}
    needed, written = [], []
    for k, year in enumerate(years):
        need = kept = 0.0
        for team in scenario.workforce:
            plan = by_team.get(team.team)
            if plan is None:
                kept += headcount_fte(team, _seats_at(team, scenario, year.t0))
            else:
                seats = plan.periods[k].needed
                need += math.nan if seats is None else headcount_fte(team, seats)
        needed.append(need)
        written.append(kept)
    return needed, written
