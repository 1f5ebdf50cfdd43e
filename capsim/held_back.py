"""Teams whose work is held back by a team upstream of them.

A team fed by referrals receives an item only once the team before it has assessed it. When
the team before it is behind (one of its service levels missed on average), what it has not
assessed yet has not been referred yet: the team downstream looks better served than it will
be once the team before it catches up — for instance with the analysts a staffing plan adds
there. This note says so wherever a run's per-team figures are shown, so that nobody reads a
downstream team's level as safe while it is only starved of work.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Callable

from capsim.metric_names import sla_words, team_priorities
from capsim.words import percent

if TYPE_CHECKING:  # pragma: no cover
    from capsim.scenario import Scenario


def behind(scenario: Scenario, team: str, mean: Callable[[str], float]) -> list[str]:
    """The service levels ``team`` misses on average (``mean``: a metric's mean over the
    replications, NaN if not measured), each in words: "normal-priority reports within 72 h:
    61% against a target of 90%"; empty if it misses none."""
    handled = team_priorities(scenario)[team]
    missed = []
    for sla in scenario.sla:
        if sla.priority not in handled:
            continue
        share = mean(f"sla_{sla.priority}_{team}")
        if math.isfinite(share) and share < sla.target:
            missed.append(f"{sla_words(scenario, sla.priority)}: {percent(share)} against a target of "
                          f"{percent(sla.target)}")
    return missed


def held_back_notes(scenario: Scenario, mean: Callable[[str], float]) -> list[str]:
    """One sentence per team that receives referrals from a team that is behind (:func:`behind`),
    naming both, what the team upstream misses and the items waiting there at the end
    (``backlog_end_<team>``: a count); empty for a scenario of one team or with no team behind."""
    if len(scenario.workforce) < 2:
        return []
    senders: dict[str, dict[str, None]] = {}  # receiving team → the teams referring to it, in rule order
    for rule in scenario.routing:
        senders.setdefault(rule.to, {})[rule.source] = None
    notes = []
    for team, sources in senders.items():
        for source in sources:
            missed = behind(scenario, source, mean)
            if not missed:
                continue
            waiting = mean(f"backlog_end_{source}")
            at_end = f"; {waiting:,.0f} items waiting there at the end" if math.isfinite(waiting) else ""
            notes.append(f"Team {team}'s figures hold only for the work team {source} has passed on: {source} is "
                         f"behind ({'; '.join(missed)}{at_end}), and what it has not yet assessed has not yet been "
                         f"referred. If {source} catches up (more analysts there, or a plan for it), {team} receives "
                         "more work than in this run.")
    return notes
