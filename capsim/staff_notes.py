"""Plain lines printed under a run's or a staffing plan's table about the staff and their queues.

* heads and contracted FTE per team (part-time analysts and shift patterns make them differ);
* utilisation read right: the share of *usable* hours (what analysts may review after the
  exposure cap, absences and mentoring) beside the share of *rostered* hours, so that a low
  rostered share is not read as idle time;
* queue order: where one priority's SLA is missed while a priority served before it beats
  its own, strict priority order is the likely cause, and ``order: earliest_deadline`` exists.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from capsim.scenario import Roster, Scenario, Team
from capsim.workforce import headcount_fte, pattern_fte, pattern_headcounts


def staff_lines(scenario: Scenario) -> list[str]:
    """Per team: analysts in post at the start (heads) and their contracted FTE, with each shift
    pattern's heads and FTE per head."""
    lines = []
    for team in scenario.workforce:
        heads, fte = team.headcount, headcount_fte(team, team.headcount)
        line = f"{team.team}: {heads} analysts (heads) at the start, {fte:.3g} FTE contracted"
        if team.shifts is not None:
            heads = pattern_headcounts(team, team.headcount)
            parts = [f"{p.name} {heads[i]} × {pattern_fte(team, i):.2g} FTE" + (
                f" (takes {', '.join(p.serves)} only)" if p.serves else "") for i, p in enumerate(team.shifts)]
            line += ": " + "; ".join(parts)
        lines.append(line)
    return lines


def shift_words(roster: Roster) -> str:
    """One roster in words: "round the clock", or e.g. "8 h shifts from 07:00, Mon–Fri"."""
    if roster.round_the_clock:
        return "round the clock"
    days = "Mon–Fri" if roster.days == ["mon", "tue", "wed", "thu", "fri"] else ", ".join(d.capitalize() for d in roster.days)
    return f"{roster.hours_per_day:g} h shifts from {roster.start}, {days}"


def roster_words(team: Team) -> str:
    """A team's working pattern in words: its roster, or each shift pattern with its analysts."""
    if team.shifts is None:
        return shift_words(team.roster)
    heads = pattern_headcounts(team, team.headcount)
    return "; ".join(f"{p.name}: {h} on {shift_words(p)}" + (f", {', '.join(p.serves)} only" if p.serves else "")
                     for p, h in zip(team.shifts, heads))


def heads_words(team: Team) -> str:
    """"N analysts", with their contracted FTE where it differs from the heads."""
    fte = headcount_fte(team, team.headcount)
    heads = f"{team.headcount} analyst{'' if team.headcount == 1 else 's'}"
    return heads if math.isclose(fte, team.headcount) else f"{heads} ({fte:.3g} FTE)"


def utilisation_line(rostered: float, usable: float) -> str:
    """One sentence on utilisation against rostered and usable hours (shares, NaN if unknown)."""
    if math.isnan(rostered) or math.isnan(usable):
        return ""
    return (f"Analysts spent {rostered:.0%} of their rostered hours (time on shift) reviewing, which is {usable:.0%} "
            f"of their usable hours (the most they may review: time on shift up to the daily exposure cap, "
            f"less mentoring). The usable share is how busy the team is; the gap between the two is the "
            f"exposure cap, not idle time.")


def priority_conflicts(scenario: Scenario, means: Mapping[str, float], team: str | None = None) -> list[str]:
    """Lines naming each SLA missed while a priority served before it beats its own target, for
    teams served in strict priority order (``means``: metric name → mean, with ``sla_<priority>``
    and, for several teams, ``sla_<priority>_<team>``). With ``team``, that team only, its
    attainment under ``sla_<priority>`` (a staffing plan's period)."""
    lines = []
    several = len(scenario.workforce) > 1 and team is None
    rank = {p: i for i, p in enumerate(scenario.priorities)}
    slas = sorted(scenario.sla, key=lambda s: rank[s.priority])
    for member in scenario.workforce:
        if member.order != "strict_priority" or team not in (None, member.team):
            continue
        suffix = f"_{member.team}" if several else ""
        got = {s.priority: means.get(f"sla_{s.priority}{suffix}", math.nan) for s in slas}
        for low in slas:
            if not got[low.priority] < low.target:
                continue
            above = [s for s in slas if rank[s.priority] < rank[low.priority] and got[s.priority] > s.target]
            if not above:
                continue
            high = above[0]
            lines.append(
                f"{member.team}: {low.priority} items miss their SLA ({got[low.priority]:.1%} within "
                f"{_hours(low.within)} against {low.target:.0%}) while {high.priority} items, served first, beat "
                f"theirs with slack ({got[high.priority]:.1%} within {_hours(high.within)} against "
                f"{high.target:.0%}): strict priority serves every {high.priority} item before any "
                f"{low.priority} one, even when it is not yet due. Set workforce.{member.team}.order: "
                f"earliest_deadline to serve the item whose deadline comes first instead.")
    return lines


def _hours(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours:g} h" if hours < 72 else f"{hours / 24:g} days"
