"""Rosters and shrinkage: who is at work, when.

A team's roster gives one shift a day on its working days: ``hours_per_day`` from
``start`` (a ``24/7`` roster is a 24-hour shift starting at midnight, every day). Times are
**seconds** after midnight of the scenario's start date.

Shrinkage (leave, sickness, training) is drawn per analyst per rostered shift: each analyst
misses each shift independently with probability ``shrinkage``, so on average a share
``shrinkage`` of rostered analyst-shifts is lost, and the absences fall at random. An
absent analyst does nothing that shift. The daily exposure counter starts again at every
shift.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from capsim.scenario import WEEKDAYS, Clock, Team
from capsim.units import SECONDS_PER_DAY, SECONDS_PER_HOUR


@dataclass(frozen=True)
class ShiftPlan:
    """Every shift of one team over the horizon.

    ``start`` and ``end`` are seconds (shift ``k`` runs over [start[k], end[k])); ``present``
    is a (shifts × analysts) boolean array: which analysts turn up for each shift; ``pace``
    (same shape) multiplies each analyst's review times on that shift (1 at full
    productivity).
    """

    start: np.ndarray
    end: np.ndarray
    present: np.ndarray
    pace: np.ndarray

    @property
    def on_duty(self) -> np.ndarray:
        """Analysts present at each shift."""
        return self.present.sum(axis=1)

    def available_seconds(self, t0: float, t1: float) -> float:
        """Analyst-seconds at work within [t0, t1): present analysts × time on shift."""
        return float(np.diff(self.cumulative_seconds(np.array([t0, t1])))[0])

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


def shift_plan(team: Team, clock: Clock, rng: np.random.Generator) -> ShiftPlan:
    """The shifts of ``team`` starting before the horizon, with absences drawn from ``rng``."""
    roster = team.roster
    working = {WEEKDAYS.index(d) for d in roster.days}
    holidays = set(roster.holidays)
    starts = []
    for day in range(int(math.ceil(clock.horizon / SECONDS_PER_DAY)) + 1):
        date = clock.start + dt.timedelta(days=day)
        begin = day * SECONDS_PER_DAY + roster.start_seconds
        if date.weekday() in working and date not in holidays and begin < clock.horizon:
            starts.append(begin)
    start = np.asarray(starts, dtype=float)
    end = start + roster.hours_per_day * SECONDS_PER_HOUR
    present = rng.random((len(start), team.headcount)) >= team.shrinkage
    return ShiftPlan(start=start, end=end, present=present, pace=np.ones(present.shape))
