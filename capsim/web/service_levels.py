"""Service levels that measure nothing, in words a visitor can act on (no Streamlit here).

A service level (SLA) applies to the items of one priority. Switching a classifier on moves every
item of a stream into the classifier's two queues (its ``positive_priority`` and
``negative_priority``), so a deadline set for the priority the items had before is left without
items, and a team can be left with no deadline to staff for. The page says so, naming the
priority and why, and what to change.
"""

from __future__ import annotations

from capsim.idle_tools import quoted_or
from capsim.metric_names import UNIT_PLURALS, team_priorities
from capsim.scenario import Scenario
from capsim.units import target_percent
from capsim.words import duration_text


def _why(scenario: Scenario, used: list[str]) -> str:
    """Why items wait only at the ``used`` priorities: the classifier's sorting, or the streams'."""
    classifier = scenario.tooling.classifier
    if classifier.enabled:
        units = {s.unit for s in scenario.demand}
        noun = UNIT_PLURALS.get(next(iter(units)), "items") if len(units) == 1 else "items"
        return (f"with the classifier on, {noun} wait in the '{classifier.positive_priority}' queue (those it "
                f"flags) or the '{classifier.negative_priority}' queue (the others)")
    return f"the scenario's streams and referrals put items at {quoted_or(used)} priority only"


def _fix(scenario: Scenario, used: list[str]) -> str:
    classifier = scenario.tooling.classifier
    text = f"Under Service levels, set a deadline for {quoted_or(used)}"
    if classifier.enabled:
        text += ", or under Tools choose which queue the classifier's other items go to"
    return text + "."


def unused_slas(scenario: Scenario) -> list[str]:
    """One sentence per service level whose priority no item has: which, why, and what to change."""
    used = sorted({p for names in team_priorities(scenario).values() for p in names}, key=scenario.priorities.index)
    return [f"The deadline for '{sla.priority}' priority ({target_percent(sla.target)} within {duration_text(sla.within)}) "
            f"measures nothing: no item waits at '{sla.priority}', because {_why(scenario, used)}. "
            + _fix(scenario, used) for sla in scenario.sla if sla.priority not in used]


def no_sla_for(scenario: Scenario, team: str) -> str | None:
    """Why ``team`` has nothing to staff for (no service level applies to its items), or None."""
    used = team_priorities(scenario)[team]
    if any(sla.priority in used for sla in scenario.sla):
        return None
    have = f"the deadlines set are for {quoted_or([s.priority for s in scenario.sla])}" if scenario.sla else \
        "the scenario sets no deadline"
    return (f"No deadline applies to the {team.replace('_', ' ')} team's items, so there is no target to plan "
            f"its staff for: {_why(scenario, used)}, and {have}. " + _fix(scenario, used))
