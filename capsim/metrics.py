"""What one replication measured: headline metrics and the time series.

How the warm-up is cut: item metrics count only items that *arrive* at or after the end of
the warm-up (``clock.warmup``); hours metrics (analyst hours, utilisation, exposure) count
only assessments that *start* after it; the time series starts at the end of the warm-up.
Items that arrived during the warm-up still occupy the queue and the analysts afterwards —
that is the point of a warm-up.

Times in the metrics are **hours** (``wait_mean`` and so on); shares are between 0 and 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from capsim.costs import staff_cost, tooling_cost
from capsim.demand import FLAG_AI, FLAG_CRIMINAL, FLAG_FLAGGED_HARMFUL, FLAG_REALISTIC
from capsim.records import Replication
from capsim.scenario import Scenario
from capsim.units import SECONDS_PER_HOUR, SECONDS_PER_YEAR

METRIC_DESCRIPTIONS: dict[str, str] = {
    "arrivals": "items arriving after the warm-up (all streams, including those cleared automatically)",
    "assessed": "items whose assessment started before the horizon",
    "auto_cleared": "items cleared by automated tooling without review",
    "expired": "items that expired unassessed (missed takedowns)",
    "waiting": "items still waiting at the horizon (of those arriving after the warm-up)",
    "backlog_end": "items waiting at the horizon, all teams",
    "backlog_max": "largest number waiting at any time-series sample",
    "wait_mean": "mean hours from arrival to start of assessment (assessed items)",
    "wait_p90": "90th percentile of that wait, hours",
    "p_wait": "share of assessed items that waited at all",
    "time_to_assessment_mean": "mean hours from arrival to end of assessment",
    "time_to_assessment_p50": "median hours from arrival to end of assessment",
    "time_to_assessment_p90": "90th percentile, hours",
    "time_to_assessment_p95": "95th percentile, hours",
    "assessed_criminal": "assessed items that are criminal",
    "assessed_realistic": "assessed items that are AI-generated, criminal and realistic",
    "analyst_hours": "hours of review by analysts",
    "exposure_hours_per_analyst_day": "hours of review per analyst on each shift in which they reviewed",
    "utilisation": "share of analysts' on-shift time spent reviewing",
    "cost_staff": "staff cost over the measured period, in the scenario's currency",
    "cost_tooling": "tooling cost over the measured period",
    "cost_total": "staff and tooling cost over the measured period",
    "cost_per_assessed": "total cost per assessed item",
}
"""Metric name → what it means (sla_<priority> metrics are added per SLA)."""


VICTIM_ID_TEAM = "victim_id"
"""The team whose hours are reported as victim-identification hours."""

PER_TEAM = ("assessed", "wait_mean", "backlog_end", "analyst_hours", "utilisation")
"""Metrics reported per team (``<metric>_<team>``) when a scenario has more than one team."""


def metric_names(scenario: Scenario) -> list[str]:
    """The metrics a run of ``scenario`` reports, in report order."""
    names = list(METRIC_DESCRIPTIONS)
    at = names.index("assessed_criminal")
    extra = [f"sla_{s.priority}" for s in scenario.sla] + [f"wait_mean_{p}" for p in used_priorities(scenario)]
    if scenario.tooling.classifier.enabled:
        extra.append("wait_mean_missed_harmful")
    names = names[:at] + extra + names[at:]
    if len(scenario.workforce) > 1:
        for team in scenario.workforce:
            names += [f"{metric}_{team.team}" for metric in PER_TEAM]
            if team.team == VICTIM_ID_TEAM:
                names += ["victim_id_hours", "victim_id_hours_on_synthetic"]
    return names


def _quantile(values: np.ndarray, q: float) -> float:
    return float(np.quantile(values, q)) if len(values) else float("nan")


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if len(values) else float("nan")


def measure(scenario: Scenario, rep: Replication) -> tuple[dict[str, float], pd.DataFrame]:
    """Headline metrics (see :data:`METRIC_DESCRIPTIONS`) and the time series of one replication."""
    series = timeseries(scenario, rep)
    return replication_metrics(scenario, rep, series["backlog"].to_numpy()), series


def replication_metrics(scenario: Scenario, rep: Replication, backlog: np.ndarray) -> dict[str, float]:
    """Headline metrics of one replication; ``backlog`` is the sampled backlog after the warm-up.

    Item metrics are over items arriving from the streams (not referrals); hours and costs
    are over every team. With more than one team, per-team metrics follow.
    """
    items, horizon, warmup = rep.items, rep.horizon, rep.warmup
    scope = items.direct & (items.arrival >= warmup)
    expired_all = items.expired_by(horizon)
    waiting_all = ~items.started & ~expired_all  # still in a queue at the horizon, any team
    started = items.started & scope
    expired = expired_all & scope
    waiting = waiting_all & scope
    first_cell = int(np.ceil(warmup / rep.cell_seconds))
    cleared = int(rep.cleared_per_cell[:, first_cell:].sum())
    wait = items.wait[started] / SECONDS_PER_HOUR
    finished = started & np.isfinite(items.end)  # work carried past the horizon has no end yet
    tta = (items.end[finished] - items.arrival[finished]) / SECONDS_PER_HOUR
    worked = items.started & (items.start >= warmup)
    analyst_seconds = float(items.service[worked].sum())
    available = sum(plan.available_seconds(warmup, horizon) for plan in rep.shifts)
    exposure = exposure_per_analyst_shift(rep, worked)
    years = (horizon - warmup) / SECONDS_PER_YEAR
    arrivals = float(scope.sum() + cleared)
    staff = staff_cost(scenario, years, rep.shifts)  # analysts actually in post, hires and overtime
    tools = tooling_cost(scenario, years, arrivals, float(scope.sum()))
    assessed = int(started.sum())
    m: dict[str, float] = {
        "arrivals": arrivals,
        "assessed": float(assessed),
        "auto_cleared": float(cleared),
        "expired": float(expired.sum()),
        "waiting": float(waiting.sum()),
        "backlog_end": float(waiting_all.sum()),
        "backlog_max": float(backlog.max()) if len(backlog) else 0.0,
        "wait_mean": _mean(wait),
        "wait_p90": _quantile(wait, 0.9),
        "p_wait": _mean(wait > 0),
        "time_to_assessment_mean": _mean(tta),
        "time_to_assessment_p50": _quantile(tta, 0.5),
        "time_to_assessment_p90": _quantile(tta, 0.9),
        "time_to_assessment_p95": _quantile(tta, 0.95),
    }
    for sla in scenario.sla:
        m[f"sla_{sla.priority}"] = sla_attainment(scenario, rep, sla.priority, sla.within)
    for p in used_priorities(scenario):  # at every team: referrals can have priorities of their own
        mine = items.started & (items.arrival >= warmup) & (items.priority == scenario.priorities.index(p))
        m[f"wait_mean_{p}"] = _mean(items.wait[mine] / SECONDS_PER_HOUR)
    if scenario.tooling.classifier.enabled:
        missed = started & (items.flags & FLAG_CRIMINAL > 0) & (items.flags & FLAG_FLAGGED_HARMFUL == 0)
        m["wait_mean_missed_harmful"] = _mean(items.wait[missed] / SECONDS_PER_HOUR)
    m.update(
        {
            "assessed_criminal": float((started & (items.flags & FLAG_CRIMINAL > 0)).sum()),
            "assessed_realistic": float((started & (items.flags & FLAG_REALISTIC > 0)).sum()),
            "analyst_hours": analyst_seconds / SECONDS_PER_HOUR,
            "exposure_hours_per_analyst_day": _mean(exposure) / SECONDS_PER_HOUR,
            "utilisation": analyst_seconds / available if available else float("nan"),
            "cost_staff": staff,
            "cost_tooling": tools,
            "cost_total": staff + tools,
            "cost_per_assessed": (staff + tools) / assessed if assessed else float("nan"),
        }
    )
    if len(scenario.workforce) > 1:
        m.update(team_metrics(scenario, rep, worked, waiting_all))
    return m


def used_priorities(scenario: Scenario) -> list[str]:
    """Priorities items can have in this scenario, in service order."""
    used = {s.priority for s in scenario.demand} | {r.priority for r in scenario.routing if r.priority}
    if scenario.tooling.classifier.enabled:
        used = {scenario.tooling.classifier.positive_priority, scenario.tooling.classifier.negative_priority}
        used |= {r.priority for r in scenario.routing if r.priority}
    return [p for p in scenario.priorities if p in used]


def team_metrics(scenario: Scenario, rep: Replication, worked: np.ndarray, waiting: np.ndarray) -> dict[str, float]:
    """Per team: items assessed, mean wait, backlog at the end, hours, utilisation; and
    victim-identification hours, in all and on AI-generated items, if a ``victim_id`` team exists."""
    items, horizon, warmup = rep.items, rep.horizon, rep.warmup
    m = {}
    for t, team in enumerate(scenario.workforce):
        mine = items.team == t
        started = mine & items.started & (items.arrival >= warmup)
        hours = float(items.service[worked & mine].sum()) / SECONDS_PER_HOUR
        available = rep.shifts[t].available_seconds(warmup, horizon) / SECONDS_PER_HOUR
        m[f"assessed_{team.team}"] = float(started.sum())
        m[f"wait_mean_{team.team}"] = _mean(items.wait[started] / SECONDS_PER_HOUR)
        m[f"backlog_end_{team.team}"] = float((mine & waiting).sum())
        m[f"analyst_hours_{team.team}"] = hours
        m[f"utilisation_{team.team}"] = hours / available if available else float("nan")
        if team.team == VICTIM_ID_TEAM:
            m["victim_id_hours"] = hours
            synthetic = worked & mine & (items.flags & FLAG_AI > 0)
            m["victim_id_hours_on_synthetic"] = float(items.service[synthetic].sum()) / SECONDS_PER_HOUR
    return m


def exposure_per_analyst_shift(rep: Replication, worked: np.ndarray) -> np.ndarray:
    """Seconds of review each analyst did on each shift in which they reviewed anything.

    An item counts towards the shift in which it started (``worked`` selects the items).
    """
    items = rep.items
    totals = []
    for t, plan in enumerate(rep.shifts):
        mine = worked & (items.team == t)
        if not mine.any() or len(plan.start) == 0:
            continue
        shift = np.searchsorted(plan.start, items.start[mine], side="right") - 1
        key = shift.astype(np.int64) * plan.present.shape[1] + items.analyst[mine]
        sums = np.bincount(key, weights=items.service[mine])
        totals.append(sums[sums > 0])
    return np.concatenate(totals) if totals else np.zeros(0)


def sla_attainment(scenario: Scenario, rep: Replication, priority: str, within: float) -> float:
    """Share of ``priority`` items assessed within ``within`` seconds of arriving.

    An item still waiting (or expired) past its deadline is a miss; an item still waiting
    at the horizon whose deadline has not yet come is left out (its outcome is unknown).
    """
    items = rep.items
    p = scenario.priorities.index(priority)
    mine = (items.priority == p) & (items.arrival >= rep.warmup)
    met = mine & items.started & (items.end - items.arrival <= within)
    known = mine & ((items.started & np.isfinite(items.end)) | (items.arrival + within <= rep.horizon))
    return float(met.sum() / known.sum()) if known.sum() else float("nan")


def counts_up_to(values: np.ndarray, first: float, step: float, samples: int, strict: bool = False) -> np.ndarray:
    """How many of ``values`` are ≤ (or, if ``strict``, <) each sample time ``first + j × step``.

    A histogram on the sampling grid and a running sum: linear time, no sorting.
    """
    position = (values - first) / step
    index = np.floor(position) + 1 if strict else np.ceil(position)
    index = np.clip(index, 0, samples).astype(np.int64)  # before the first sample → 0; after the last → dropped
    return np.cumsum(np.bincount(index, minlength=samples + 1)[:samples])


def timeseries(scenario: Scenario, rep: Replication) -> pd.DataFrame:
    """The state sampled at the end of every ``clock.step`` after the warm-up, to the horizon.

    Each row describes the step [``time`` − step, ``time``): ``backlog`` (items waiting at
    ``time``, all teams) and ``backlog_<team>``; ``arrivals``, ``assessments`` (started) and
    ``expired`` during the step; ``on_duty`` (analysts at work, averaged over the step).
    ``time`` is in hours after the start, ``date`` the calendar time.
    """
    step = scenario.clock.step
    first = np.ceil(rep.warmup / step) * step + step
    times = np.arange(first, rep.horizon + 1e-6, step)  # whole steps only, none past the horizon
    n = len(times)
    items = rep.items
    started, gone = items.started, ~items.started & np.isfinite(items.deadline)
    frame = {"time": times / SECONDS_PER_HOUR,
             "date": pd.Timestamp(scenario.clock.start) + pd.to_timedelta(times, unit="s")}
    per_team = {}
    teams = [np.ones(len(items), dtype=bool)] if len(scenario.workforce) == 1 else \
        [items.team == t for t in range(len(scenario.workforce))]
    for team, mine in zip(scenario.workforce, teams):
        waiting = (counts_up_to(items.arrival[mine], first, step, n)
                   - counts_up_to(items.start[mine & started], first, step, n)
                   - counts_up_to(items.deadline[mine & gone], first, step, n))
        per_team[f"backlog_{team.team}"] = waiting
    frame["backlog"] = sum(per_team.values())
    frame.update(per_team)
    cells_per_step = int(step // rep.cell_seconds)
    arrived_cells = rep.arrived_per_cell.sum(axis=0)
    cumulative = np.concatenate([[0], np.cumsum(arrived_cells)])
    cell_index = np.minimum((times / rep.cell_seconds).astype(np.int64), len(arrived_cells))
    previous = np.maximum(cell_index - cells_per_step, 0)
    frame["arrivals"] = cumulative[cell_index] - cumulative[previous]
    for column, values in (("assessments", items.start[started]), ("expired", items.deadline[gone])):
        up_to = counts_up_to(values, first - step, step, n + 1, strict=True)  # from the step's start
        frame[column] = np.diff(up_to)
    at_work = sum(plan.cumulative_seconds(times) - plan.cumulative_seconds(np.maximum(times - step, 0))
                  for plan in rep.shifts)
    frame["on_duty"] = at_work / step
    return pd.DataFrame(frame)
