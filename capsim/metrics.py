"""What one replication measured: headline metrics and the time series.

How the warm-up is cut: item metrics count only items that *arrive* at or after the end of
the warm-up (``clock.warmup``); hours metrics (analyst hours, utilisation, exposure) count
only assessments that *start* after it; the time series starts at the end of the warm-up.
Items that arrived during the warm-up still occupy the queue and the analysts afterwards —
that is the point of a warm-up.

**Waits describe every item that arrived in the measured window.** After the horizon the
engine runs out the work already arrived (no new arrivals, the same rosters; see
:meth:`capsim.engine.Simulation.run`), so each item's eventual wait is known: ``wait_*``,
``p_wait``, ``time_to_assessment_*``, ``sla_*`` and the per-priority and per-team waits count
every item that arrived after the warm-up, including those still waiting at the horizon.
Items that expire are left out of waits and count as SLA misses. If the run-out stops at its
limit (a team with no analysts, or a very heavy overload), the waits still unknown then count
up to that moment — a lower bound — and ``censored`` says how many there were.

**Everything else is as at the horizon:** backlogs, counts of items assessed and expired,
throughput, analyst hours (work in hand at the horizon counts only the part done by then),
exposure, utilisation and costs.

**The backlog identity** (all teams, exactly, in every replication)::

    backlog_end = backlog_start + arrivals - auto_cleared + referred - assessments - expirations

and, for the streams' own items arriving after the warm-up,
``arrivals = assessed + auto_cleared + expired + waiting``.

Times in the metrics are **hours** (``wait_mean`` and so on); shares are between 0 and 1.

Why it is one module (over 400 lines): every metric reads the same measured waits and SLA
tallies of one replication, computed once here; split, those shared tallies would have to be
passed between modules.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from capsim.costs import staff_cost, tooling_cost, uncosted_teams
from capsim.metric_names import (  # the output's vocabulary, re-exported here
    METRIC_DESCRIPTIONS,
    PATTERN_DESCRIPTIONS,
    PER_TEAM,
    SHARES,
    VICTIM_ID_TEAM,
    glossary,
    metric_names,
    metric_range,
    original_sla_priorities,
    team_priorities,
    used_priorities,
)
from capsim.passes import (ITEM_COUNTS, grouped_waits, most_waiting, quantiles, queue_seconds, series_counts,
                           shift_totals, sla_tallies, waits_of, window_tallies)
from capsim.demand import FLAG_AI, FLAG_CRIMINAL, FLAG_FLAGGED_HARMFUL, FLAG_REALISTIC
from capsim.measured import Measured, whole_run
from capsim.records import CARRIED_PIECE, Items, Replication
from capsim.side_effects import side_effect_metrics
from capsim.scenario import Scenario
from capsim.units import SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_YEAR
from capsim.workforce import exposure_cap, fte


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if len(values) else float("nan")


def _same_mean(values: np.ndarray, whole: np.ndarray, mean: float) -> float:
    """:func:`_mean` of ``values``, a group of :class:`MeasuredWaits` that is ``whole`` itself when
    it is as long (all of it: ``mean``, already taken, not taken again)."""
    return mean if len(values) == len(whole) else _mean(values)


Tallies = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""One window's counts from :func:`capsim.passes.window_tallies`: ``(counts, per_team, direct,
by_team, met, known)``."""

AnalystShifts = tuple[np.ndarray, np.ndarray, np.ndarray]
"""Analyst-shifts with any review (:func:`analyst_shifts`): the seconds reviewed on each, its team
and when its shift started (seconds)."""

PeriodRows = tuple[np.ndarray, np.ndarray]
"""Where each calendar period's rows are, from :func:`capsim.passes.window_tallies`: ``(rows, last)``."""


def measure(scenario: Scenario, rep: Replication, tallies: Tallies | None = None,
            backlog: tuple[float, float] | None = None, reviewed: AnalystShifts | None = None
            ) -> tuple[dict[str, float], pd.DataFrame]:
    """Headline metrics (see :data:`METRIC_DESCRIPTIONS`) and the time series of one replication
    (``tallies`` and ``backlog``: the whole run's :func:`window_counts` and :func:`backlogs`, if
    already counted with the periods'; ``reviewed``: its :func:`analyst_shifts`, if already found)."""
    return (replication_metrics(scenario, rep, tallies=tallies, backlog=backlog, reviewed=reviewed),
            timeseries(scenario, rep))


def window_counts(scenario: Scenario, rep: Replication, bounds: tuple[float, ...] | np.ndarray = ()
                  ) -> tuple[list[Tallies], PeriodRows]:
    """The item counts, known waits' group sizes and SLA tallies of the whole run, then of each
    calendar period [``bounds[k]``, ``bounds[k + 1]``) (seconds, in time order), measured as
    :func:`replication_metrics` measures it; and where each period's rows are (for
    :func:`capsim.measured.periods`): one compiled pass over the rows (:func:`capsim.passes.window_tallies`)."""
    items = rep.items
    within = np.full(len(scenario.priorities), np.nan)  # no SLA: never met (and never read)
    for sla in scenario.sla:
        within[scenario.priorities.index(sla.priority)] = sla.within
    *tallies, rows, lasts = window_tallies(
        items.arrival, items.start, items.deadline, items.parent, items.team, items.priority, items.stream,
        items.flags, rep.censored, rep.eventual_start, rep.eventual_end, float(rep.warmup), float(rep.horizon),
        np.asarray(bounds, dtype=np.float64), float(rep.after.stopped), len(scenario.workforce), FLAG_AI,
        FLAG_CRIMINAL, FLAG_REALISTIC, FLAG_FLAGGED_HARMFUL, _original_priority(scenario), within)
    return [tuple(part[k] for part in tallies) for k in range(len(tallies[0]))], (rows, lasts)


def staffing_metrics(scenario: Scenario, rep: Replication, w: Measured, tallies: Tallies,
                     worked: tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]] | None = None
                     ) -> dict[str, float]:
    """The counts, hours, staff in post and costs of the window ``w`` (the whole run, or a calendar
    period: :func:`capsim.measured.periods`), with ``tallies`` its :func:`window_counts`: the part of
    :func:`replication_metrics` that needs no waits, no backlog over time and no exposure — what a
    per-year staffing table reads (:mod:`capsim.uncertainty`), each value the one
    :func:`replication_metrics` gives. Keys: :data:`STAFFING`, then, with more than one team,
    :data:`STAFFING_PER_TEAM` of each team. ``worked``: :meth:`~capsim.measured.Measured.worked` of
    ``w``, if already found (else found here)."""
    horizon, warmup = w.t1, w.t0
    counts, per_team = tallies[:2]
    count = dict(zip(ITEM_COUNTS, (int(c) for c in counts)))
    several = len(scenario.workforce) > 1
    key, served, (grouped, offsets) = w.worked(per_team[:, 2], several) if worked is None else worked
    first_cell = int(np.ceil(warmup / rep.cell_seconds))
    cells = int(np.ceil(horizon / rep.cell_seconds)) if w.is_period else rep.cleared_per_cell.shape[1]
    cleared = int(rep.cleared_per_cell[:, first_cell:cells].sum())
    analyst_seconds = w.team_work_seconds(key, None, served)
    available = sum(plan.available_seconds(warmup, horizon) for plan in rep.shifts)
    usable = sum(plan.usable_seconds(warmup, horizon, exposure_cap(scenario, team))
                 for plan, team in zip(rep.shifts, scenario.workforce))
    years = (horizon - warmup) / SECONDS_PER_YEAR
    arrivals = float(count["scope"] + cleared)
    # analysts actually in post, hires and overtime; unknown (NaN), not 0, where a team has no costs
    staff = math.nan if uncosted_teams(scenario) else staff_cost(scenario, years, rep.shifts)
    tools = tooling_cost(scenario, years, arrivals, float(count["scope"]))
    assessed = count["assessed"]
    paid_for = count["own_assessments"]  # the work the window's money paid for: assessments started in it
    m = {
        "arrivals": arrivals,
        "assessed": float(assessed),
        "auto_cleared": float(cleared),
        "expired": float(count["expired"]),
        "waiting": float(count["waiting"]),
        "backlog_end": float(count["backlog_end"]),
        "analyst_hours": analyst_seconds / SECONDS_PER_HOUR,
        "utilisation": analyst_seconds / available if available else float("nan"),
        "utilisation_usable": analyst_seconds / usable if usable else float("nan"),
        "fte": sum(fte(plan, warmup, horizon) for plan in rep.shifts),
        "cost_staff": staff,
        "cost_tooling": tools,
        "cost_total": staff + tools,
        "cost_per_assessed": (staff + tools) / paid_for if paid_for else float("nan"),
    }
    if several:
        for t, team in enumerate(scenario.workforce):
            hours = w.team_work_seconds(key, t, grouped[offsets[t]:offsets[t + 1]]) / SECONDS_PER_HOUR
            plan = rep.shifts[t]
            team_available = plan.available_seconds(warmup, horizon) / SECONDS_PER_HOUR
            team_usable = plan.usable_seconds(warmup, horizon, exposure_cap(scenario, team)) / SECONDS_PER_HOUR
            m[f"assessed_{team.team}"] = float(per_team[t, 0])
            m[f"backlog_end_{team.team}"] = float(per_team[t, 1])
            m[f"analyst_hours_{team.team}"] = hours
            m[f"utilisation_{team.team}"] = hours / team_available if team_available else float("nan")
            m[f"utilisation_usable_{team.team}"] = hours / team_usable if team_usable else float("nan")
    return m


STAFFING = ("arrivals", "assessed", "auto_cleared", "expired", "waiting", "backlog_end", "analyst_hours",
            "utilisation", "utilisation_usable", "fte", "cost_staff", "cost_tooling", "cost_total",
            "cost_per_assessed")
"""The metrics of :func:`staffing_metrics` (of every team together)."""
STAFFING_PER_TEAM = ("assessed", "backlog_end", "analyst_hours", "utilisation", "utilisation_usable")
"""The per-team metrics of :func:`staffing_metrics` (``{name}_{team}``, more than one team)."""


def staffing_names(scenario: Scenario) -> list[str]:
    """The names of :func:`staffing_metrics` of ``scenario``, in its order."""
    teams = scenario.workforce if len(scenario.workforce) > 1 else []
    return [*STAFFING, *(f"{name}_{team.team}" for team in teams for name in STAFFING_PER_TEAM)]


def replication_metrics(scenario: Scenario, rep: Replication, window: Measured | None = None,
                        tallies: Tallies | None = None, backlog: tuple[float, float] | None = None,
                        reviewed: AnalystShifts | None = None) -> dict[str, float]:
    """Headline metrics of one replication.

    Item metrics are over items arriving from the streams (not referrals); hours and costs
    are over every team. With more than one team, per-team metrics follow.

    With ``window`` (a calendar period, :func:`capsim.measured.periods`), the metrics of that
    period as if the run had been measured over it alone, but for the hours and exposure, those
    of the work done in it (:mod:`capsim.periods`; ``scenario``'s clock then spans the period,
    for the costs); ``tallies`` the window's :func:`window_counts`, if already counted;
    ``backlog`` the window's :func:`backlog_start_and_max`, if already counted (:func:`backlogs`);
    ``reviewed`` the whole run's :func:`analyst_shifts`, if already found (the whole run's exposure;
    a period's is the whole run's analyst-shifts that started in it).
    """
    w = whole_run(rep) if window is None else window
    items, warmup = w.items, w.t0
    if tallies is None:  # one compiled pass: item counts, waits' group sizes, SLA tallies (the window's: the last)
        tallies = window_counts(scenario, rep, (w.t0, w.t1) if w.is_period else ())[0][-1]
    counts, per_team, *wait_counts, met, known = tallies
    count = dict(zip(ITEM_COUNTS, (int(c) for c in counts)))
    waits = MeasuredWaits(scenario, rep, w, *wait_counts)
    wait, tta = waits.direct()
    # the share waiting: a count over the number, as np.mean of the mask gives it (its sum of ones is exact)
    p_wait = waits.waiting / len(wait) if len(wait) else float("nan")
    wait_mean, tta_mean = _mean(wait), _mean(tta)
    # the streams' own items per priority (referrals count at their team)
    priority_means = {p: _same_mean(waits.direct_priority(p), wait, wait_mean) for p in used_priorities(scenario)}
    (wait_p90,) = quantiles(wait, (0.9,), waits.wait_bounds)  # exact: numpy's quantiles, bit for bit
    tta_p50, tta_p90, tta_p95 = quantiles(tta, (0.5, 0.9, 0.95), waits.total_bounds)
    # the team of each assessment started in the window and their review times, in one pass
    worked = w.worked(per_team[:, 2], len(scenario.workforce) > 1)
    s = staffing_metrics(scenario, rep, w, tallies, worked)
    backlog_start, most = backlog if backlog is not None else backlog_start_and_max(
        rep, *((w.until, w.t0) if w.is_period else ()))
    exposure, exposure_team, _ = (_period_exposure(rep, w, reviewed) if w.is_period else reviewed
                                  if reviewed is not None else _exposure(rep, worked[0], per_team[:, 2]))
    ai_generated = count["ai_generated"]
    m: dict[str, float] = {
        **{name: s[name] for name in ("arrivals", "assessed", "auto_cleared", "expired", "waiting")},
        "runout_days": w.runout_seconds / SECONDS_PER_DAY,
        "censored": float(count["censored"]),
        "backlog_start": backlog_start,
        "referred": float(count["referred"]),
        "assessments": float(count["assessments"]),
        "expirations": float(count["expirations"]),
        "backlog_end": s["backlog_end"],
        "backlog_max": most,
        "backlog_mean": _backlog_mean(w, count["queued"]),
        "wait_mean": wait_mean,
        "wait_p90": wait_p90,
        "p_wait": p_wait,
        "time_to_assessment_mean": tta_mean,
        "time_to_assessment_p50": tta_p50,
        "time_to_assessment_p90": tta_p90,
        "time_to_assessment_p95": tta_p95,
    }
    slas = SlaTallies(scenario, met, known)
    for sla in scenario.sla:
        m[f"sla_{sla.priority}"] = slas.share(sla.priority)
    for p, mean in priority_means.items():
        m[f"wait_mean_{p}"] = mean
    if scenario.tooling.classifier.enabled:
        for p in original_sla_priorities(scenario):
            m[f"sla_{p}_original"] = slas.share(p, original=True)
        missed = (items.direct & (items.arrival >= warmup) & (items.arrival < w.until)
                  & (items.flags & FLAG_CRIMINAL > 0) & (items.flags & FLAG_FLAGGED_HARMFUL == 0))
        m["wait_mean_missed_harmful"] = _mean(_eventual_waits(rep, w, missed)[0])
    m.update(
        {
            "assessed_criminal": float(count["assessed_criminal"]),
            "assessed_realistic": float(count["assessed_realistic"]),
            "ai_generated": float(ai_generated),
            "ai_generated_share": ai_generated / count["scope"] if count["scope"] else float("nan"),
            "analyst_hours": s["analyst_hours"],
            "exposure_hours_per_analyst_day": _mean(exposure) / SECONDS_PER_HOUR,
            **{name: s[name] for name in ("utilisation", "utilisation_usable", "fte", "cost_staff", "cost_tooling",
                                          "cost_total", "cost_per_assessed")},
        }
    )
    if len(scenario.workforce) > 1:
        m.update(team_metrics(scenario, w, worked[0], s, waits, slas))
        m.update({f"exposure_hours_per_analyst_day_{team.team}": _mean(exposure[exposure_team == t]) / SECONDS_PER_HOUR
                  for t, team in enumerate(scenario.workforce)})
    m.update(side_effect_metrics(scenario, rep, count, w))
    return m


def eventual_waits(rep: Replication, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hours from arrival to the start, and to the end, of assessment of the ``rows`` (a mask)
    eventually assessed — by the horizon or in the run-out; expired items are left out.

    A wait still unknown when the run-out stopped at its limit counts up to then (a lower bound).
    """
    return _eventual_waits(rep, whole_run(rep), rows)


def _eventual_waits(rep: Replication, w: Measured, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`eventual_waits` of the ``rows`` (a mask of ``w``'s rows)."""
    # one compiled pass (capsim.passes.waits_of); an end still unknown then (in hand when the
    # run-out stopped) also counts up to then
    n = np.count_nonzero(rows)
    wait, total = np.empty(n), np.empty(n)
    kept = waits_of(rows, w.censored, w.eventual_start, w.eventual_end, w.items.arrival,
                    rep.after.stopped, SECONDS_PER_HOUR, wait, total)
    return wait[:kept], total[:kept]


class MeasuredWaits:
    """The eventual waits (:func:`eventual_waits`) of every item arriving after the warm-up,
    written in one compiled pass (to arrays sized by :func:`capsim.passes.window_tallies`'
    counts), grouped as the metrics need them: the streams' own items, those
    per priority, every item per team and per team and priority. Each group holds exactly the
    waits, in the same order, that :func:`eventual_waits` gives for that group's mask, so their
    means are bit for bit the same; a group that is all of a larger one (one priority only) is
    that one, and is not written twice. The same pass finds the least and greatest of the
    streams' own waits and times to assessment (``wait_bounds``, ``total_bounds``, hours) and
    how many of them waited at all (``waiting``)."""

    def __init__(self, scenario: Scenario, rep: Replication, w: Measured, direct_counts: np.ndarray,
                 counts: np.ndarray):
        """``direct_counts`` and ``counts``: the known waits' group sizes of ``w``
        (:func:`capsim.passes.window_tallies`)."""
        items = w.items
        self.priorities, teams = list(scenario.priorities), len(scenario.workforce)
        p = len(self.priorities)
        columns = (items.arrival, w.t0, w.until, items.parent, items.team, items.priority, w.censored)
        self.direct_counts = direct_counts
        self.team_priority_counts = counts.reshape(teams, p)
        self.direct_count = int(self.direct_counts.sum())
        self.wait, self.total = np.empty(self.direct_count), np.empty(self.direct_count)
        used = (self.team_priority_counts > 0).sum(axis=1)
        self.by_priority, self.priority_at = self._grouped(self.direct_counts, (self.direct_counts > 0).sum() > 1)
        self.by_team, self.team_at = self._grouped(self.team_priority_counts.sum(axis=1), teams > 1)
        self.by_team_priority, self.team_priority_at = self._grouped(counts, teams > 1 and bool((used > 1).any()))
        *spread, self.waiting = grouped_waits(
            *columns, w.eventual_start, w.eventual_end, float(rep.after.stopped), SECONDS_PER_HOUR, p, self.wait,
            self.total, self.by_priority, self.priority_at, self.by_team, self.team_at, self.by_team_priority,
            self.team_priority_at)
        self.wait_bounds, self.total_bounds = (spread[0], spread[1]), (spread[2], spread[3])

    @staticmethod
    def _grouped(counts: np.ndarray, needed: bool) -> tuple[np.ndarray, np.ndarray]:
        """An array for groups of these sizes and where each group starts (empty if not ``needed``)."""
        at = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        return np.empty(int(at[-1]) if needed else 0), at

    def direct(self) -> tuple[np.ndarray, np.ndarray]:
        """Waits and times to assessment (hours) of the streams' own items: this object's
        arrays (take any priority's waits before reordering them)."""
        return self.wait, self.total

    def direct_priority(self, priority: str) -> np.ndarray:
        """Waits (hours) of the streams' own items of ``priority``."""
        g = self.priorities.index(priority)
        if self.direct_counts[g] in (0, self.direct_count):
            return self.wait[:self.direct_counts[g]]
        return self.by_priority[self.priority_at[g]:self.priority_at[g + 1]]

    def team(self, t: int) -> np.ndarray:
        """Waits (hours) of the items that arrived at team ``t`` (its streams' and its referrals;
        more than one team)."""
        return self.by_team[self.team_at[t]:self.team_at[t + 1]]

    def team_priority(self, t: int, priority: str) -> np.ndarray:
        """Waits (hours) of the items of ``priority`` that arrived at team ``t`` (more than one team)."""
        g = self.priorities.index(priority)
        if self.team_priority_counts[t, g] in (0, self.team_priority_counts[t].sum()):
            return self.team(t)[:self.team_priority_counts[t, g]]
        k = t * len(self.priorities) + g
        return self.by_team_priority[self.team_priority_at[k]:self.team_priority_at[k + 1]]


class SlaTallies:
    """SLA attainment (:func:`sla_attainment`) of every priority with an SLA, over the streams'
    own items, per team, and of the streams' original priorities: each a count of items that
    met their deadline over a count of items with a known outcome, tallied in one compiled pass."""

    def __init__(self, scenario: Scenario, met: np.ndarray, known: np.ndarray):
        """``met`` and ``known``: the SLA tallies of the window measured (:func:`capsim.passes.window_tallies`)."""
        self.scenario = scenario
        self.met, self.known = met, known

    def share(self, priority: str, team: int | None = None, original: bool = False) -> float:
        """SLA attainment of ``priority`` (see :func:`sla_attainment` for ``team`` and ``original``)."""
        row = 2 + team if team is not None else 1 if original else 0
        p = self.scenario.priorities.index(priority)
        met, known = self.met[row, p], self.known[row, p]
        return float(met / known) if known else float("nan")


def _original_priority(scenario: Scenario) -> np.ndarray:
    """Per stream, the index of its one priority (-1 for a stream with a ``priority_mix``)."""
    return np.array([-1 if s.priority_mix else scenario.priorities.index(s.priority) for s in scenario.demand],
                    dtype=np.int64)


def _sla_tallies(rep: Replication, key: np.ndarray, groups: int, within: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Items that met their deadline and items with a known outcome, per group of ``key``
    (:func:`capsim.passes.sla_tallies`)."""
    return sla_tallies(key.astype(np.int64, copy=False), groups, np.asarray(within, dtype=np.float64),
                       rep.items.arrival, rep.eventual_end, rep.eventual_start, rep.censored, float(rep.after.stopped))


def backlog_start_and_max(rep: Replication, until: float | None = None, since: float | None = None
                          ) -> tuple[float, float]:
    """Items waiting (all teams) just before the end of the warm-up (or ``since``), and the most
    waiting at any moment from then to the horizon (or to the arrivals before ``until``: a
    calendar period, as the copied window of tests/window_reference.py measures it), from the exact
    event times (arrival, start, expiry: :func:`capsim.passes.most_waiting`).

    The backlog rises only when an item arrives, so its maximum is at the warm-up's end or at
    an arrival (counted after every event of that moment): not sampled at the time-series step.
    A period's count needs no events of its own: rows that left the queue before it count as
    arrived and left alike, and an item expires only if it never started.
    """
    since = float(rep.warmup if since is None else since)
    return _backlogs(rep, np.array([since]), np.array([np.inf if until is None else float(until)]))[0]


def backlogs(rep: Replication, bounds: tuple[float, ...] | np.ndarray = ()) -> list[tuple[float, float]]:
    """:func:`backlog_start_and_max` of the whole run, then of each calendar period [``bounds[k]``,
    ``bounds[k + 1]``) (seconds, in time order) as :func:`replication_metrics` measures it: every
    window's in one compiled pass over the rows."""
    bounds = np.asarray(bounds, dtype=np.float64)
    return _backlogs(rep, np.concatenate([[rep.warmup], bounds[:-1]]), np.concatenate([[np.inf], bounds[1:]]))


def _backlogs(rep: Replication, lo: np.ndarray, hi: np.ndarray) -> list[tuple[float, float]]:
    """Items waiting at the start of each window [``lo[w]``, ``hi[w]``) and the most waiting in it
    (:func:`capsim.passes.most_waiting`)."""
    items = rep.items
    start, most = most_waiting(items.arrival, items.start, items.deadline, float(rep.horizon),
                               lo.astype(np.float64), hi.astype(np.float64))
    return [(float(a), float(b)) for a, b in zip(start, most)]


def backlog_mean(rep: Replication, window: tuple[float, float] | None = None) -> float:
    """Items waiting (all teams) averaged over time in ``window`` (seconds; default from the end
    of the warm-up to the horizon), exact: each item's time in a queue within the window —
    from its arrival to its start, its expiry or the horizon — summed and divided by the
    window's length. Unlike a sample at one moment, it does not depend on the weekday or hour
    at which a run or a period ends."""
    t0, t1 = window if window is not None else (rep.warmup, rep.horizon)
    return _queue_mean(rep.items, float(rep.horizon), float(t0), float(t1), np.inf, -np.inf)


def _backlog_mean(w: Measured, queued: int) -> float:
    """:func:`backlog_mean` over ``w``: its own rows, as if its end were the horizon (``queued`` of
    them: :func:`capsim.passes.window_tallies`)."""
    return _queue_mean(w.items, w.t1, w.t0, w.t1, w.until, w.since, queued)


def _queue_mean(items: Items, horizon: float, t0: float, t1: float, until: float, since: float,
                rows: int = -1) -> float:
    """Items waiting averaged over [``t0``, ``t1``] (:func:`capsim.passes.queue_seconds`, its ``rows``
    chosen by ``until`` and ``since``; -1: counted there)."""
    if t1 <= t0:
        return float("nan")
    return queue_seconds(items.arrival, items.start, items.deadline, horizon, t0, t1, until, since, rows) / (t1 - t0)


def team_metrics(scenario: Scenario, w: Measured, key: np.ndarray, staffing: dict[str, float],
                 waits: MeasuredWaits, slas: SlaTallies) -> dict[str, float]:
    """Per team, over the items that arrived at it after the warm-up (its own streams' and the
    referrals it received, timed from their arrival there): items assessed, mean wait, mean
    wait and SLA attainment per priority, backlog at the end, hours and utilisation; and
    victim-identification hours, in all and on AI-generated items, if a ``victim_id`` team exists.

    ``key`` gives the team of each assessment started in ``w`` (after the warm-up; -1 for other
    rows: :meth:`capsim.measured.Measured.worked`); ``staffing`` is :func:`staffing_metrics` of
    ``w`` (the per-team counts, hours and utilisation, taken from there)."""
    items = w.items
    handled = team_priorities(scenario)
    m = {}
    for t, team in enumerate(scenario.workforce):
        m[f"assessed_{team.team}"] = staffing[f"assessed_{team.team}"]
        team_waits = waits.team(t)
        m[f"wait_mean_{team.team}"] = team_mean = _mean(team_waits)
        for p in handled[team.team]:
            m[f"wait_mean_{p}_{team.team}"] = _same_mean(waits.team_priority(t, p), team_waits, team_mean)
        for sla in scenario.sla:
            if sla.priority in handled[team.team]:
                m[f"sla_{sla.priority}_{team.team}"] = slas.share(sla.priority, t)
        for name in STAFFING_PER_TEAM[1:]:  # backlog, hours, utilisation (assessed: first, above)
            m[f"{name}_{team.team}"] = staffing[f"{name}_{team.team}"]
        if team.team == VICTIM_ID_TEAM:
            m["victim_id_hours"] = staffing[f"analyst_hours_{team.team}"]
            synthetic = (key == t) & (items.flags & FLAG_AI > 0)
            earlier = (w.earlier.team == t) & (w.earlier.flags & FLAG_AI > 0)
            m["victim_id_hours_on_synthetic"] = w.work_seconds(synthetic, earlier) / SECONDS_PER_HOUR
    return m


def exposure_per_analyst_shift(rep: Replication, worked: np.ndarray) -> np.ndarray:
    """Seconds of review each analyst did on each shift (up to the horizon) in which they reviewed anything.

    An item (``worked`` selects the items) counts towards the shift in which it started,
    even the part that overran the shift's end; an item carried over to later shifts
    (``carry_over``) counts on each shift the part of it done there (``rep.carried``).
    """
    return analyst_shifts(rep, worked)[0]


def analyst_shifts(rep: Replication, worked: np.ndarray | None = None) -> AnalystShifts:
    """The analyst-shifts (up to the horizon) in which an analyst reviewed any of the items
    ``worked`` selects (a mask; default: every assessment started after the warm-up, as the whole
    run counts them), counted as :func:`exposure_per_analyst_shift` counts them."""
    if worked is None:
        worked = (rep.items.start >= rep.warmup) & np.isfinite(rep.items.start)
    key = np.where(worked, rep.items.team, np.int16(-1))
    return _exposure(rep, key, np.bincount(key[worked], minlength=len(rep.shifts)))


def _period_exposure(rep: Replication, w: Measured, whole: AnalystShifts | None) -> AnalystShifts:
    """The analyst-shifts of the period ``w``: those of the whole run (``whole``: :func:`analyst_shifts`,
    if already found) whose shift started in it, the first period also taking those started in the
    warm-up. Each is the whole run's: the review done on that shift, whenever the item started."""
    whole = analyst_shifts(rep) if whole is None else whole
    begun = whole[2]
    mine = (begun < w.t1) & ((begun >= w.t0) | (w.t0 <= rep.warmup))
    return whole[0][mine], whole[1][mine], begun[mine]


def _exposure(rep: Replication, key: np.ndarray, counts: np.ndarray) -> AnalystShifts:
    """:func:`exposure_per_analyst_shift` of the rows whose ``key`` is their team (-1 for rows not
    counted), ``counts`` of them per team (:func:`capsim.passes.window_tallies`' assessments per
    team): the seconds, team by team, the team of each and when its shift started (seconds)."""
    items = rep.items
    whole = key  # rows done in one shift (a copy, once, if some were carried over shifts)
    team_blocks, first, headcount, shifts, pieces_of, block_team = [0], [], [], [], [], []
    for t, plan in enumerate(rep.shifts):
        if len(plan.start) and counts[t]:
            pieces = rep.carried[t] if rep.carried else np.zeros(0, dtype=CARRIED_PIECE)
            pieces = pieces[(key[pieces["item"]] >= 0) & (pieces["shift"] < len(plan.start))]
            if len(pieces):  # items done in one shift; the others count piece by piece
                whole = key.copy() if whole is key else whole
                whole[pieces["item"][whole[pieces["item"]] == t]] = -1
            piece_analyst = items.analyst[pieces["item"]].astype(np.int64)
            for lo, hi, rows in _pattern_blocks(plan):  # several shift patterns: each analyst's own shifts
                local = np.full(len(plan.start), -1, dtype=np.int64)
                local[rows] = np.arange(len(rows))
                ours = (piece_analyst >= lo) & (piece_analyst < hi)
                first.append(lo)
                block_team.append(t)
                headcount.append(hi - lo)
                shifts.append(plan.start[rows])
                pieces_of.append((local[pieces["shift"][ours]], piece_analyst[ours] - lo, pieces["seconds"][ours]))
        team_blocks.append(len(first))
    if not first:
        return np.zeros(0), np.zeros(0, dtype=np.int64), np.zeros(0)
    sums, at = shift_totals(  # one compiled pass over every team's rows
        whole, items.start, items.analyst, items.service, np.array(team_blocks, dtype=np.int64),
        np.array(first, dtype=np.int64), np.array(headcount, dtype=np.int64),
        np.concatenate([[0], np.cumsum([len(s) for s in shifts])]).astype(np.int64),
        np.concatenate(shifts).astype(np.float64),
        np.repeat(np.arange(len(first)), [len(p[0]) for p in pieces_of]).astype(np.int64),
        *(np.concatenate([p[k] for p in pieces_of]).astype(dtype)
          for k, dtype in ((0, np.int64), (1, np.int64), (2, np.float64))))
    cells = [np.flatnonzero(sums[at[b]:at[b + 1]] > 0) for b in range(len(first))]  # shift × headcount + analyst
    return (np.concatenate([sums[at[b]:at[b + 1]][c] for b, c in enumerate(cells)]),
            np.repeat(block_team, [len(c) for c in cells]).astype(np.int64),
            np.concatenate([shifts[b][c // headcount[b]] for b, c in enumerate(cells)]).astype(np.float64))


def _pattern_blocks(plan) -> list[tuple[int, int, np.ndarray]]:
    """(first seat, end seat, shift rows) of each shift pattern of a team's plan (one block for
    a single roster): an analyst's shifts are those of their pattern."""
    if plan.pattern is None:
        return [(0, plan.present.shape[1], np.arange(len(plan.start)))]
    return [(int(plan.bounds[p]), int(plan.bounds[p + 1]), np.flatnonzero(plan.pattern == p))
            for p in range(len(plan.bounds) - 1)]


def sla_attainment(scenario: Scenario, rep: Replication, priority: str, within: float, team: int | None = None,
                   window: tuple[float, float] | None = None, original: bool = False) -> float:
    """Share of ``priority`` items arriving after the warm-up whose assessment ended within
    ``within`` seconds of their arrival: with ``team`` (an index), the items that arrived at
    that team (its streams' and its referrals, timed from their arrival there); without, the
    items from the streams at the team each stream goes to (no referrals). With ``window``
    (t0, t1 seconds), only the items arriving in [t0, t1) (a planning period, capsim staff).
    With ``original``, the items of the streams whose one priority is ``priority`` (not a
    ``priority_mix``), whatever queue a classifier put them in (streams' items only).

    Every item's eventual end is known from the run-out; an expired item is a miss. An item
    still unassessed when the run-out stopped at its limit is a miss if its deadline had
    passed by then, and left out otherwise (its outcome is unknown).
    """
    items = rep.items
    index = scenario.priorities.index(priority)
    if original:
        own = np.array([not s.priority_mix and s.priority == priority for s in scenario.demand], dtype=bool)
        mine = items.direct & own[items.stream] & (items.arrival >= rep.warmup)
    else:
        mine = (items.priority == index) & (items.arrival >= rep.warmup)
    mine &= items.direct if team is None else items.team == team
    if window is not None:
        mine &= (items.arrival >= window[0]) & (items.arrival < window[1])
    met, known = _sla_tallies(rep, np.where(mine, 0, -1), 1, np.array([within], dtype=np.float64))
    return float(met[0] / known[0]) if known[0] else float("nan")


def sla_attainment_by_group(rep: Replication, key: np.ndarray, groups: int, within: float) -> np.ndarray:
    """Per group of items (``key``: one group number per item of ``rep``, -1 for none): the share
    assessed within ``within`` seconds of arrival, counted as :func:`sla_attainment` counts it,
    in one pass (NaN where no outcome is known). capsim staff: every planning period at once."""
    met, known = _sla_tallies(rep, key, groups, np.full(groups, within, dtype=np.float64))
    return np.divide(met, known, out=np.full(groups, np.nan), where=known > 0)


def waiting_seconds_up_to(arrived: tuple[np.ndarray, np.ndarray], left: tuple[np.ndarray, np.ndarray],
                          grid: np.ndarray) -> np.ndarray:
    """Per group (``groups`` × ``samples``), item-seconds spent waiting up to each sample time
    (from any origin before the first: only differences between samples mean anything), for
    items waiting from their arrival until they left (start or expiry): ``arrived`` and ``left``
    are the per-step counts and sums of those times, in seconds after the first sample
    (:func:`capsim.passes.series_counts`), and ``grid`` the sample times in seconds after the
    first (``j × step``, the last one's the end of a shorter last step if there is one).

    The number waiting is #arrived − #left, and ∫ #{x ≤ u} du up to t is t·C(t) − S(t), with
    C and S the count and sum of the times x ≤ t: both are histograms on the sampling grid and
    running sums (linear time, no sorting). Times are taken relative to the first sample to keep
    the sums precise.
    """
    def integral(count: np.ndarray, total: np.ndarray) -> np.ndarray:
        return grid * np.cumsum(count, axis=1) - np.cumsum(total, axis=1)

    return integral(*arrived) - integral(*left)


def timeseries(scenario: Scenario, rep: Replication) -> pd.DataFrame:
    """The state sampled at the end of every ``clock.step`` after the warm-up, and at the horizon.

    The steps start at the first multiple of ``clock.step`` at or after the end of the warm-up;
    when the horizon is not a whole number of steps after that, the last step is shorter and
    ends at the horizon. Each row describes its step [``time`` − ``step_hours``, ``time``) (the
    last one up to and including the horizon): ``step_hours``, its length in hours; ``backlog``
    (items waiting at ``time``, all teams) and ``backlog_<team>``; ``backlog_mean`` and
    ``backlog_mean_<team>``, the number waiting averaged over the step (exact,
    :func:`waiting_seconds_up_to`: the measure charts draw, as it does not depend on the hour or
    weekday of the sample); ``arrivals`` (all streams, cleared items included) and
    ``arrivals_<stream>`` (each stream's), ``assessments`` (started) and ``expired`` during the
    step (counts in the step, so a shorter last step has fewer); ``on_duty`` (analysts at work,
    averaged over the step). ``time`` is in hours after the start, ``date`` the calendar time.
    """
    step = scenario.clock.step
    begin = np.ceil(rep.warmup / step) * step  # the first step's start, seconds
    # the whole steps ending before the horizon, then the last, ending at it (shorter if the span is not whole steps)
    times = np.append(np.arange(begin + step, rep.horizon, step), rep.horizon) if begin < rep.horizon else np.zeros(0)
    n = len(times)
    edges = np.append(begin, times)  # each step's start, then the last one's end
    lengths = np.diff(edges)
    items = rep.items
    frame = {"time": times / SECONDS_PER_HOUR,
             "date": pd.Timestamp(scenario.clock.start) + pd.to_timedelta(times, unit="s"),
             "step_hours": lengths / SECONDS_PER_HOUR}
    # every team and column in one compiled pass (a start of +inf, not started, is dropped)
    waiting, arrived, left, assessed, expired = series_counts(
        items.arrival, items.start, items.deadline, items.team, len(scenario.workforce), float(begin + step),
        float(step), n, float(times[-1]) if n else np.nan)
    area = waiting_seconds_up_to(arrived, left, edges - begin)
    per_team = {f"backlog_{t.team}": waiting[i] for i, t in enumerate(scenario.workforce)}
    averaged = {f"backlog_mean_{t.team}": np.diff(area[i]) / lengths for i, t in enumerate(scenario.workforce)}
    frame["backlog"] = sum(per_team.values())
    frame.update(per_team)
    frame["backlog_mean"] = sum(averaged.values())
    frame.update(averaged)
    arrived_cells = rep.arrived_per_cell.sum(axis=0)
    cumulative = np.concatenate([[0], np.cumsum(arrived_cells)])
    # the cells up to each edge (the horizon's last cell may be a part one: ceil)
    cell_index = np.minimum(np.ceil(edges / rep.cell_seconds).astype(np.int64), len(arrived_cells))
    frame["arrivals"] = np.diff(cumulative[cell_index])
    per_stream = np.concatenate([np.zeros((len(rep.arrived_per_cell), 1), dtype=np.int64),
                                 np.cumsum(rep.arrived_per_cell, axis=1)], axis=1)
    for s, stream in enumerate(scenario.demand):  # each stream's arrivals in the step, cleared ones included
        frame[f"arrivals_{stream.stream}"] = np.diff(per_stream[s, cell_index])
    frame["assessments"], frame["expired"] = assessed, expired  # started, or expired, during the step
    at_work = sum(np.diff(plan.cumulative_seconds(edges)) for plan in rep.shifts)
    frame["on_duty"] = at_work / lengths
    return pd.DataFrame(frame)

