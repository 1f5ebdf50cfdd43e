"""Year-by-year budgets: FTE, hires and money per calendar year, with confidence intervals.

For each replication of a scenario, the measured period (warm-up to horizon) is cut at
each new year, and for each calendar year (or part of one) capsim counts:

* ``fte``: mean contracted FTE in post, all teams (:func:`capsim.workforce.fte`): seats in
  post, from the replication's shift plans (attrition, vacancies while a seat is refilled,
  planned changes; absent analysts count), each × its FTE (its roster's hours a week over
  ``contracted_hours``, 1 for a roster of up to 40 h a week by default, 4.2 for a 24/7 seat;
  a part-time shift pattern's analyst a fraction);
* ``hires`` and ``leavers``: analysts who started (new seats and replacements) and who left
  by attrition;
* the budget lines of :data:`capsim.costs.LINES` (``salaries``, ``on_costs``, ``overtime``,
  ``management``, ``recruitment``, ``training``, ``wellbeing``, ``licences``, ``overheads``),
  at that year's prices;
* ``staff_cost``: the staff lines (all but tooling and overheads); ``tooling_cost``: each
  enabled tool's annual cost pro rata and its per-item cost; ``overheads``: their share;
* ``total_cost`` (staff, tooling and overheads), ``assessed`` (items from the streams whose assessment started that year)
  and ``cost_per_assessed`` = total_cost / assessed;
* with more than one team, ``fte_<team>`` and ``salaries_<team>`` per team;
* per SLA, ``sla_<priority>``: the share of the streams' items of that priority arriving that
  year assessed within its deadline (as in summary.csv), the service the money bought: with
  the same staff, a cost per assessed item that falls as demand grows is work queueing up,
  not efficiency, and this column shows it.

A row ``all`` covers the whole measured period (FTE time-weighted). Each measure is the mean
across replications with a 95% Student-t interval. When several scenarios are compared,
they run under the same seed (common random numbers), and each one's difference from the
first (``<measure>_vs_first``: FTE and money) is the mean of the paired per-replication
differences, with its interval; empty for a year the first scenario does not have over as many
days (nothing to pair it with: ``all`` of runs of different lengths included).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import as_completed
from dataclasses import dataclass

import numpy as np
import pandas as pd

from capsim import engine
from capsim.costs import LINES, calendar_years, cost_lines, uncosted_teams
from capsim.experiment import check_size
from capsim.records import Replication
from capsim.metrics import metric_range, sla_attainment
from capsim.pool import worker_pool
from capsim.results import mean_ci
from capsim.scenario import Scenario, ScenarioError
from capsim.units import SECONDS_PER_DAY
from capsim.workforce import fte

STAFF_LINES = [line for line in LINES if line not in ("tooling", "overheads")]
"""The budget lines that make up ``staff_cost``."""
MEASURES = ["fte", "hires", "leavers", *STAFF_LINES, "staff_cost", "tooling_cost", "overheads", "total_cost",
            "assessed", "cost_per_assessed"]
"""Measures per year, in ``budget.csv`` order."""
SUMMED = [m for m in MEASURES if m not in ("fte", "cost_per_assessed")]
"""Measures that add up over the years (the ``all`` row is their sum)."""

COMPARED = ["fte", "staff_cost", "tooling_cost", "total_cost"]
"""Measures compared with the first scenario (``<measure>_vs_first``)."""


def replication_budget(scenario: Scenario, rep: Replication,
                       periods: list[tuple[str, float, float]] | None = None) -> pd.DataFrame:
    """One replication's budget: one row per calendar year of the measured period (or per
    ``periods``: label, start and end in seconds from the run's start), and ``all``."""
    clock = scenario.clock
    items = rep.items
    direct = items.direct
    arrived = rep.arrived_per_cell.sum(axis=0)
    cell_edges = np.arange(len(arrived) + 1) * rep.cell_seconds
    rows = []
    if periods is None:
        periods = [(str(year), a, b) for year, a, b in calendar_years(scenario, rep.warmup, rep.horizon)]
    for label, a, b in periods:
        row: dict = {"year": label, **_dates(clock.start, a, b)}
        row.update(_piece(scenario, rep, a, b, arrived, cell_edges, direct))
        rows.append(row)
    first, last = (periods[0][1], periods[-1][2]) if periods else (rep.warmup, rep.horizon)
    total = {"year": "all", **_dates(clock.start, first, last)}
    span = last - first
    for measure in SUMMED:
        total[measure] = sum(r[measure] for r in rows)
    for key in (k for k in (rows[0] if rows else {}) if k.startswith("salaries_")):
        total[key] = sum(r[key] for r in rows)
    for key in (k for k in (rows[0] if rows else {}) if k.startswith("fte")):
        total[key] = sum(r[key] * r["_seconds"] for r in rows) / span if span else np.nan
    total["cost_per_assessed"] = total["total_cost"] / total["assessed"] if total["assessed"] else np.nan
    total["_seconds"] = span
    frame = pd.DataFrame(rows + [total])
    return frame.drop(columns="_seconds")


def _dates(start: dt.date, a: float, b: float) -> dict:
    """First and last day of [a, b) (seconds from midnight of ``start``) and its length in days."""
    base = dt.datetime.combine(start, dt.time())
    first = (base + dt.timedelta(seconds=a)).date()
    last = (base + dt.timedelta(seconds=b) - dt.timedelta(microseconds=1)).date()
    return {"first_day": first.isoformat(), "last_day": last.isoformat(), "days": (b - a) / SECONDS_PER_DAY}


def _piece(scenario: Scenario, rep: Replication, a: float, b: float, arrived: np.ndarray,
           cell_edges: np.ndarray, direct: np.ndarray) -> dict:
    items = rep.items
    row: dict = {"_seconds": b - a}
    fte_by_team = {team.team: fte(rep.shifts[t], a, b) for t, team in enumerate(scenario.workforce)}
    row["fte"] = sum(fte_by_team.values())
    row["hires"] = sum(plan.hires_between(a, b) for plan in rep.shifts)
    row["leavers"] = sum(plan.leavers_between(a, b) for plan in rep.shifts)
    processed = {}
    for calendar_year, c0, c1 in calendar_years(scenario, a, b):
        cells = (cell_edges[:-1] >= c0) & (cell_edges[:-1] < c1)
        processed[calendar_year] = (float(arrived[cells].sum()),
                                    float((direct & (items.arrival >= c0) & (items.arrival < c1)).sum()))
    lines = cost_lines(scenario, a, b, rep.shifts, processed)
    row.update({line: lines[line] for line in STAFF_LINES})
    row["staff_cost"] = sum(lines[line] for line in STAFF_LINES)
    row["tooling_cost"] = lines["tooling"]
    row["overheads"] = lines["overheads"]
    row["total_cost"] = lines["total"]
    row["assessed"] = float((direct & items.started & (items.start >= a) & (items.start < b)).sum())
    row["cost_per_assessed"] = row["total_cost"] / row["assessed"] if row["assessed"] else np.nan
    if len(scenario.workforce) > 1:
        row.update({f"fte_{name}": value for name, value in fte_by_team.items()})
        row.update({f"salaries_{t.team}": lines[f"salaries_{t.team}"] for t in scenario.workforce})
    return row


def run_budget(scenario: Scenario, seed: int, replication: int) -> pd.DataFrame:
    """Simulate one replication and return its budget rows with the service each year bought
    (:func:`with_service`; picklable, for worker processes)."""
    rep = engine.simulate_replication(scenario, seed, replication)
    frame = with_service(replication_budget(scenario, rep), scenario, rep)
    frame.insert(0, "replication", replication)
    return frame


def with_service(frame: pd.DataFrame, scenario: Scenario, rep: Replication) -> pd.DataFrame:
    """``frame`` (one replication's rows of :func:`replication_budget`, calendar years then ``all``)
    with a share column ``sla_<priority>`` per SLA: of the streams' items of that priority arriving
    in the year (``all``: after the warm-up), the share assessed within the SLA's deadline, as
    ``sla_<priority>`` of summary.csv (:func:`capsim.metrics.sla_attainment`; NaN where none is known)."""
    years = calendar_years(scenario, rep.warmup, rep.horizon)
    for sla in scenario.sla:
        frame[f"sla_{sla.priority}"] = [
            *(sla_attainment(scenario, rep, sla.priority, sla.within, window=(a, b)) for _, a, b in years),
            sla_attainment(scenario, rep, sla.priority, sla.within)]
    return frame


@dataclass
class BudgetResult:
    """Budgets of one or more scenarios run under one seed: the table and its per-replication rows."""

    scenarios: list[Scenario]
    seed: int
    replications: int
    per_replication: pd.DataFrame
    table: pd.DataFrame


def check_comparable(scenarios: list[Scenario]) -> None:
    """Raise :class:`~capsim.scenario.ScenarioError` unless ``scenarios`` can be costed side by
    side: at least one, distinct names, one currency, every team with its costs
    (:func:`capsim.costs.uncosted_teams`)."""
    if not scenarios:
        raise ScenarioError("give at least one scenario")
    for s in scenarios:
        if missing := uncosted_teams(s):
            raise ScenarioError(f"{s.name}: costs.teams: no costs for {'team' if len(missing) == 1 else 'teams'} "
                                f"{', '.join(missing)}, so the staff cannot be priced; give each team its costs "
                                "(costs.teams.<team>.annual_cost, e.g. 42000)")
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ScenarioError(f"two scenarios share a name ({', '.join(names)}): give each a distinct name")
    currencies = sorted({s.costs.currency for s in scenarios})
    if len(currencies) > 1:
        raise ScenarioError(f"the scenarios use different currencies ({', '.join(currencies)}): "
                            "their costs cannot be compared; set costs.currency alike")


def budget(scenarios: list[Scenario], replications: int | None = None, seed: int | None = None, workers: int = 1,
           progress: Callable[[int, int], None] | None = None) -> BudgetResult:
    """Year-by-year budgets of ``scenarios`` (defaults: the first one's ``experiment`` section).

    Every scenario runs the same replications under the same seed; the table compares each
    with the first. Raises :class:`~capsim.scenario.ScenarioError` if the scenarios do not
    share a currency or two share a name.
    """
    check_comparable(scenarios)
    names = [s.name for s in scenarios]
    replications = scenarios[0].experiment.replications if replications is None else replications
    seed = scenarios[0].experiment.seed if seed is None else seed
    if replications < 1 or workers < 1:
        raise ScenarioError("replications and workers must be at least 1")
    workers = min(workers, replications * len(scenarios))
    for s in scenarios:
        check_size(s, workers, replications)
    tasks = [(i, r) for i in range(len(scenarios)) for r in range(replications)]
    outcomes: dict[tuple[int, int], pd.DataFrame] = {}
    if workers == 1:
        for i, r in tasks:
            outcomes[(i, r)] = run_budget(scenarios[i], seed, r)
            if progress:
                progress(len(outcomes), len(tasks))
    else:
        with worker_pool(workers) as pool:
            futures = {pool.submit(run_budget, scenarios[i], seed, r): (i, r) for i, r in tasks}
            for future in as_completed(futures):
                outcomes[futures[future]] = future.result()
                if progress:
                    progress(len(outcomes), len(tasks))
    per_replication = stacked(outcomes, tasks, names)
    service = [c for c in per_replication if c.startswith("sla_")]
    return BudgetResult(list(scenarios), seed, replications, per_replication,
                        summarise_budget(per_replication, names, service))


def stacked(outcomes: dict[tuple[int, int], pd.DataFrame], tasks: list[tuple[int, int]],
            names: list[str]) -> pd.DataFrame:
    """The per-replication frames ``outcomes[(scenario index, replication)]`` in ``tasks`` order,
    one table with the scenario's name as its first column."""
    frames = []
    for i, r in tasks:
        frame = outcomes[(i, r)].copy()
        frame.insert(0, "scenario", names[i])
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def summarise_budget(per_replication: pd.DataFrame, names: list[str], extra: list[str] = ()) -> pd.DataFrame:
    """The ``budget.csv`` table: per scenario and year, each measure's mean and 95% CI (and those
    of the ``extra`` columns, clipped to :func:`~capsim.metrics.metric_range`), and the paired
    differences from the first scenario."""
    measures = [m for m in MEASURES if m in per_replication] + sorted(
        c for c in per_replication if c.startswith(("fte_", "salaries_"))) + list(extra)
    reference = per_replication[per_replication.scenario == names[0]].set_index(["year", "replication"])
    days = {year: r.days for (year, _), r in reference.iterrows()}  # the first's measured days, per year
    rows = []
    for name in names:
        mine = per_replication[per_replication.scenario == name]
        for year, group in mine.groupby("year", sort=False):
            first = group.iloc[0]
            row = {"scenario": name, "year": year, "first_day": first.first_day, "last_day": first.last_day,
                   "days": first.days}
            for m in measures:
                mean, low, high = mean_ci(group[m].to_numpy(dtype=float), bounds=metric_range(m))  # counts, money, shares
                row[m], row[f"{m}_ci_low"], row[f"{m}_ci_high"] = mean, low, high
            for m in COMPARED:
                diff = np.nan, np.nan, np.nan
                if name != names[0] and days.get(year) == first.days:  # the same length of time
                    mine_values = group.set_index("replication")[m]
                    keys = [(year, r) for r in mine_values.index if (year, r) in reference.index]
                    if keys:
                        paired = mine_values.loc[[r for _, r in keys]].to_numpy(dtype=float) - \
                            reference.loc[keys, m].to_numpy(dtype=float)
                        diff = mean_ci(paired)
                row[f"{m}_vs_first"], row[f"{m}_vs_first_ci_low"], row[f"{m}_vs_first_ci_high"] = diff
            rows.append(row)
    return pd.DataFrame(rows)
