"""Results per calendar period: every metric of a replication, year by year or quarter by quarter.

A run pooled over three years hides the year a target is first missed. Here the measured
window (from the end of the warm-up to the horizon) is cut at each new year (or quarter),
and each piece is measured with :func:`capsim.metrics.replication_metrics` as if the run had
been measured over it alone (the copied window of tests/window_reference.py): the warm-up ending
at the period's start and the horizon at its end — read from the replication's own columns,
not copied (:mod:`capsim.measured`). So, for a period [t0, t1):

* item metrics (``arrivals``, ``assessed``, waits, ``sla_*``, …) count the items that
  *arrived* in it; waits and SLA shares are eventual (after the horizon too), as for the
  whole run; ``assessed``, ``expired`` and ``waiting`` are as at t1, so
  ``arrivals = assessed + auto_cleared + expired + waiting`` holds in each period, ``waiting``
  being what it carries into the next;
* backlogs are the items waiting at t0 (``backlog_start``), at t1 (``backlog_end``), at most
  and on average within it; staff and costs are those of the period's own time;
* but hours (``analyst_hours``, ``utilisation``, ``victim_id_hours``) are the work done in it,
  not as if measured alone: the review done within [t0, t1), by the clock, on every assessment
  started after the run's warm-up, whenever it started (a review in hand at t1 counts up to t1
  here and the rest in the next period; one carried over shifts counts on the shifts it was
  worked: :mod:`capsim.measured`), so the periods' hours add up to the whole run's; and
  exposure is over the whole run's analyst-shifts that started in it (the first period's also
  over those begun in the warm-up).

With ``measures="staffing"`` a period gets only its counts, hours, staff in post and costs
(:func:`capsim.metrics.staffing_metrics`: the same values, bit for bit, at a small part of the
cost), all that the uncertainty run's per-year table reads.

The period labels are ``"2025"`` (a calendar year; the first and last may be part years) or
``"2025-Q1"``; :data:`WHOLE_RUN` (``"all"``) labels the whole measured window. A part period
shorter than :data:`SHORTEST_PERIOD_DAYS` (four weeks) is too short to judge a team by
(:func:`too_short`): the year charts and the checks of a plan leave it out, and a plan in calendar
years plans it with the period beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from capsim.costs import calendar_years
from capsim.measured import periods as period_windows
from capsim.metrics import (AnalystShifts, PeriodRows, Tallies, analyst_shifts, backlogs, replication_metrics,
                            staffing_metrics, staffing_names, window_counts)
from capsim.records import Replication
from capsim.scenario import Scenario
from capsim.units import SECONDS_PER_DAY

WHOLE_RUN = "all"
"""The period label of the whole measured window (the run's ordinary metrics)."""

SHORTEST_PERIOD_DAYS = 28
"""Part periods shorter than this many days (four weeks) are too short to judge a team by
(:func:`too_short`): left out of the year charts and the checks that judge a year
(:func:`capsim.charts.by_year.year_labels`), planned with the period beside them
(:func:`capsim.staffing.plan_periods`)."""

Granularity = Literal["year", "quarter"]

Measures = Literal["all", "staffing"]
"""What is measured in each period: every metric (:func:`capsim.metrics.replication_metrics`), or only
the counts, hours, staff and costs (:func:`capsim.metrics.staffing_metrics`: no waits, backlog over
time or exposure; what a per-year staffing table reads, at a small part of the cost)."""


@dataclass(frozen=True)
class Period:
    """A calendar period within the measured window: its label and [start, end) in seconds from the clock's start."""

    label: str
    start: float
    end: float


def calendar_periods(scenario: Scenario, by: Granularity = "year") -> list[Period]:
    """The measured window (warm-up's end to horizon) cut at each new calendar year, or quarter,
    in time order; the first and last periods may be part periods."""
    clock = scenario.clock
    years = calendar_years(scenario, clock.warmup, clock.horizon)
    if by == "year":
        return [Period(str(year), a, b) for year, a, b in years]
    if by != "quarter":
        raise ValueError(f"periods: {by!r} is not one of 'year', 'quarter'")
    periods = []
    for year, a, b in years:
        for quarter in range(4):
            q0 = (dt.date(year, 3 * quarter + 1, 1) - clock.start).days * SECONDS_PER_DAY
            q1 = (dt.date(year + (quarter == 3), (3 * quarter + 3) % 12 + 1, 1) - clock.start).days * SECONDS_PER_DAY
            if min(q1, b) > max(q0, a):
                periods.append(Period(f"{year}-Q{quarter + 1}", max(q0, a), min(q1, b)))
    return periods


def too_short(spans: Sequence[tuple[float, float]], shortest_days: float = SHORTEST_PERIOD_DAYS) -> list[bool]:
    """For each of ``spans``, periods [start, end) in seconds, whether it is shorter than ``shortest_days``
    days, too short to judge a team by on its own; none is where every one is (a run of a few weeks
    keeps its periods)."""
    short = [(end - start) / SECONDS_PER_DAY < shortest_days for start, end in spans]
    return [False] * len(short) if all(short) else short


def boundaries(periods: list[Period]) -> np.ndarray:
    """The boundaries of ``periods`` (consecutive, in time order), seconds: period ``k`` is
    [``b[k]``, ``b[k + 1]``) (:func:`capsim.metrics.window_counts` counts them all in one pass)."""
    if any(a.end != b.start for a, b in zip(periods, periods[1:])):
        raise ValueError("periods: not consecutive")
    return np.array([p.start for p in periods[:1]] + [p.end for p in periods], dtype=np.float64)


def over_period(scenario: Scenario, period: Period) -> Scenario:
    """``scenario`` with its clock's warm-up ending at the period's start and its horizon at the
    period's end (what the costs read), nothing else changed."""
    clock = scenario.clock.model_copy(update={"warmup": period.start, "horizon": period.end})
    return scenario.model_copy(update={"clock": clock})


def period_metrics(scenario: Scenario, rep: Replication, by: Granularity = "year",
                   whole: dict[str, float] | None = None,
                   tallies: list[Tallies] | None = None,
                   backlog: list[tuple[float, float]] | None = None,
                   rows: PeriodRows | None = None, measures: Measures = "all",
                   reviewed: AnalystShifts | None = None) -> dict[str, dict[str, float]]:
    """Every metric of :func:`capsim.metrics.replication_metrics` (with ``measures="staffing"``, only
    those of :func:`capsim.metrics.staffing_metrics`), per calendar period of
    :func:`calendar_periods`: period label → metric → value (see the module docstring).

    ``whole`` (the replication's own metrics, if already measured) stands for a period that
    is the whole measured window, instead of measuring it again; ``tallies``
    (the periods' part of :func:`capsim.metrics.window_counts` over their :func:`boundaries`, if
    already counted with the whole run's) their item counts, else they are counted here, in one
    pass for every period; ``backlog`` (the periods' part of :func:`capsim.metrics.backlogs`, if
    already counted with the whole run's) their backlogs at the start and at most, else they are
    counted here, in one pass for every period; ``rows`` (where each period's rows are, counted with
    ``tallies``, if given) go with ``tallies``; ``reviewed`` (the whole run's
    :func:`capsim.metrics.analyst_shifts`, if already found) gives each period's exposure."""
    periods = calendar_periods(scenario, by)
    if whole is not None and len(periods) == 1 and (periods[0].start, periods[0].end) == (rep.warmup, rep.horizon):
        return {periods[0].label: dict(whole) if measures == "all" else {n: whole[n] for n in staffing_names(scenario)}}
    bounds = boundaries(periods)
    if tallies is None:
        tallies, rows = window_counts(scenario, rep, bounds)
        tallies = tallies[1:]
    windows = period_windows(rep, bounds, *rows)
    if measures == "staffing":
        return {p.label: staffing_metrics(over_period(scenario, p), rep, windows[k], tallies[k])
                for k, p in enumerate(periods)}
    backlog = backlogs(rep, bounds)[1:] if backlog is None else backlog
    reviewed = analyst_shifts(rep) if reviewed is None else reviewed  # each period's exposure: those started in it
    return {p.label: replication_metrics(over_period(scenario, p), rep, windows[k], tallies[k], backlog[k], reviewed)
            for k, p in enumerate(periods)}
