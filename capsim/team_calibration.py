"""Review time per item from a team's own numbers (``capsim calibrate team``).

A hotline rarely measures its time per report, but it knows its yearly volume, its headcount,
its shifts and its exposure cap. If the team keeps up with its volume today, spending a share
``utilisation`` of its usable review hours on review, then

    seconds per item = utilisation × usable review seconds a year / items a year,

where a seat's usable review time is, per working day, its shift (plus overtime) capped at the
exposure cap, less shrinkage (leave, sickness, training): days a week × 52.18 weeks ×
min(shift, cap) × (1 − shrinkage). Items a year are the team's streams' ``rate`` as written
(the volume on its ``rate_date``: the year the team handled with its headcount; a growth
table's first year), after hash matching clears known items; referrals from other teams are
not counted. Public holidays and rota gaps are not taken off: the figure is an upper bound on the
time per item that keeps up, and a team with a growing backlog is slower than it.

The utilisation is an assumption (default 85%): a team that is fully busy at the cap has
less left for breaks, quality checks and surges; one with a backlog was above 100%.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from capsim.demand import cell_means
from capsim.scenario import Scenario
from capsim.units import SECONDS_PER_HOUR, SECONDS_PER_YEAR
from capsim.workforce import exposure_cap, people_per_seat, seat_steps

WEEKS_PER_YEAR = 365.25 / 7
"""Weeks in a year of 365.25 days (52.18)."""
DEFAULT_UTILISATION = 0.85
"""Share of usable review hours assumed spent on review when none is given."""


@dataclass(frozen=True)
class TeamCalibration:
    """The review time a team's own numbers imply, and what it means.

    ``items_per_year``: items a year reaching the team at the rates as written; ``seats``: seats in post at
    the start; ``usable_hours_per_seat``: review hours a seat has in a year (capped, after
    shrinkage; ``usable_hours_per_day`` on a working day); ``seconds_per_item``: the derived mean review time; ``yearly_items``: items in
    each of the first ``len(yearly_items)`` years, from the scenario's growth.
    """

    team: str
    unit: str
    items_per_year: float
    seats: int
    fte: float
    usable_hours_per_seat: float
    usable_hours_per_day: float
    utilisation: float
    seconds_per_item: float
    yearly_items: tuple[float, ...]

    @property
    def items_per_seat_day(self) -> float:
        """Items one seat assesses on a working day at the derived time (capped review hours)."""
        return self.items_per_year / self.seats / (self.usable_hours_per_seat / self.usable_hours_per_day)

    def fte_needed(self, items: float) -> float:
        """FTE that keep up with ``items`` a year at the derived time and the same utilisation."""
        seats = items * self.seconds_per_item / (self.usable_hours_per_seat * SECONDS_PER_HOUR * self.utilisation)
        return seats * self.fte / self.seats

    def fragment(self) -> dict:
        """The review time as a scenario fragment (cv 1: an assumption, as in base.yaml)."""
        return {"review": {self.unit: {"dist": "lognormal", "mean": f"{self.seconds_per_item:.0f}s", "cv": 1.0}}}

    def summary(self) -> str:
        """What was derived, from what, under which assumption, and what it implies."""
        lines = [
            f"Team {self.team}: {self.items_per_year:,.0f} {self.unit}s a year (the rate as written), {self.seats} analysts "
            f"({self.fte:.2f} FTE), {self.usable_hours_per_seat:,.0f} usable review hours each a year "
            f"({self.usable_hours_per_day:.2f} h a working day after the exposure cap and shrinkage).",
            f"Assumption: the team keeps up today, spending {self.utilisation:.0%} of those hours on review "
            "(--utilisation). A team with a growing backlog is slower than this; one often idle, faster.",
            f"Review time: {self.utilisation:.2f} × {self.usable_hours_per_seat:,.0f} h × {self.seats} / "
            f"{self.items_per_year:,.0f} = {self.seconds_per_item:.0f} s per {self.unit} "
            f"({self.items_per_seat_day:.0f} a working day per analyst).",
            "What it implies, at this time per item and the scenario's growth (volume × time ÷ usable hours ÷ "
            "utilisation, before waits and SLAs, which capsim staff and capsim grant add):",
        ]
        for k, items in enumerate(self.yearly_items):
            lines.append(f"  year {k + 1} of the run: {items:,.0f} {self.unit}s, {self.fte_needed(items):.1f} FTE to keep up")
        return "\n".join(lines)


def calibrate_team(scenario: Scenario, team: str | None = None, utilisation: float = DEFAULT_UTILISATION,
                   years: int = 3) -> TeamCalibration:
    """Derive ``team``'s (default: the first) mean review time from the scenario's own volume,
    headcount, roster, exposure cap and shrinkage (see the module). Raises ``ValueError`` for a
    team that is unknown, has no streams, streams of several units, no seats or no volume, or a
    utilisation outside (0, 1]."""
    if not 0 < utilisation <= 1:
        raise ValueError(f"--utilisation must be above 0 and at most 1, e.g. 0.85; got {utilisation:g}")
    names = [t.team for t in scenario.workforce]
    name = names[0] if team is None else team
    if name not in names:
        raise ValueError(f"no team {name!r}; teams are {', '.join(names)}")
    member = scenario.workforce[names.index(name)]
    streams = [s for s in scenario.demand if scenario.team_of(s) == name]
    if not streams:
        raise ValueError(f"team {name!r} receives no stream: nothing to derive a review time from")
    units = sorted({s.unit for s in streams})
    if len(units) > 1:
        raise ValueError(f"team {name!r} receives {' and '.join(units)} streams: one review time per team can be "
                         "derived only from streams of one unit")
    seats = seat_steps(member, scenario.clock)[0]
    if seats < 1:
        raise ValueError(f"team {name!r} has no analysts (headcount 0): nothing to derive a review time from")
    shift = member.roster.hours_per_day * SECONDS_PER_HOUR + (member.overtime or 0.0)
    per_day = min(shift, exposure_cap(scenario, member)) * (1 - member.shrinkage) / SECONDS_PER_HOUR
    usable = per_day * len(set(member.roster.days)) * WEEKS_PER_YEAR
    yearly = _yearly_items(scenario, streams, years)
    hashing = scenario.tooling.hash_matching
    written = sum((s.rate * SECONDS_PER_YEAR if s.rate is not None else math.nan)
                  * (1 - (s.mix.known * hashing.match_rate if hashing.enabled else 0.0)) for s in streams)
    items = written if math.isfinite(written) else yearly[0]
    if items <= 0:
        raise ValueError(f"team {name!r} receives no items in the first year: nothing to derive a review time from")
    seconds = utilisation * usable * SECONDS_PER_HOUR * seats / items
    return TeamCalibration(name, units[0], items, seats, seats * people_per_seat(member), usable, per_day,
                           utilisation, seconds, tuple(yearly))


def _yearly_items(scenario: Scenario, streams: list, years: int) -> list[float]:
    """Expected items of ``streams`` reaching a human in each of the first ``years`` years of the
    run (after hash matching), growth continued past the horizon."""
    clock = scenario.clock.model_copy(update={"horizon": years * SECONDS_PER_YEAR})
    hashing = scenario.tooling.hash_matching
    totals = np.zeros(years)
    for stream in streams:
        means = cell_means(stream, clock)
        edges = np.arange(len(means)) * (clock.horizon / len(means))
        cleared = stream.mix.known * hashing.match_rate if hashing.enabled else 0.0
        year = np.minimum((edges // SECONDS_PER_YEAR).astype(int), years - 1)
        totals += np.bincount(year, weights=means, minlength=years) * (1 - cleared)
    return [float(t) for t in totals if math.isfinite(t)]
