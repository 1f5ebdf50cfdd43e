"""What staff and tooling cost, in the scenario's currency.

Staff: each team's headcount × its ``annual_cost`` per full-time analyst, for the measured
period (the horizon after the warm-up), pro rata. Tooling: each enabled tool's
``annual_cost`` pro rata, plus its ``per_item_cost`` for every item it processed — hash
matching processes every arrival; the classifier, detector, clustering and wellbeing
tooling process the items that reach a human.
"""

from __future__ import annotations

from capsim.scenario import Scenario

ITEMS_PROCESSED_BY = {"hash_matching": "arrivals", "classifier": "reviewed", "synthetic_detector": "reviewed",
                      "clustering": "reviewed", "wellbeing": "reviewed"}
"""Which items each tool's per-item cost applies to."""


def staff_cost(scenario: Scenario, years: float) -> float:
    """Cost of every team with an ``annual_cost`` over ``years`` (full headcount, pro rata)."""
    return sum(
        team.headcount * scenario.costs.teams[team.team].annual_cost * years
        for team in scenario.workforce
        if team.team in scenario.costs.teams
    )


def tooling_cost(scenario: Scenario, years: float, arrivals: float, reviewed: float) -> float:
    """Cost of the enabled tools over ``years``, with ``arrivals`` and ``reviewed`` items processed."""
    processed = {"arrivals": arrivals, "reviewed": reviewed}
    return sum(
        tool.annual_cost * years + tool.per_item_cost * processed[ITEMS_PROCESSED_BY[name]]
        for name, tool in scenario.tooling.enabled().items()
    )
