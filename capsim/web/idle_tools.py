"""Tools switched on that change nothing at their settings, in words a visitor can act on (no Streamlit here).

A tool switched on is read as a tool at work: a detector that flags no item, or clustering whose
further items take as long as the first, would let a comparison of the tool on and off say "no
clear difference" about a tool that never ran. The page says which tool, why, and what to change.
Only settings that make a tool inert are named: a tool that does something, however little, is not.
"""

from __future__ import annotations

from capsim.scenario import Scenario


def idle_tools(scenario: Scenario) -> list[str]:
    """One sentence per tool switched on in ``scenario`` that changes nothing: which, why, what to change."""
    tools = scenario.tooling
    found = []
    if tools.hash_matching.enabled:
        found.append(_hash_matching(scenario))
    if tools.synthetic_detector.enabled:
        found.append(_detector(scenario))
    if tools.clustering.enabled:
        found.append(_clustering(scenario))
    if tools.wellbeing.enabled:
        found.append(_wellbeing(scenario))
    return [line for line in found if line]


def _hash_matching(scenario: Scenario) -> str:
    if scenario.tooling.hash_matching.match_rate == 0:
        return ("Hash matching is on but changes nothing: it matches 0% of known items, so it clears none. "
                "Under Tools, raise the share of known items matched.")
    if not any(s.mix.known > 0 or s.recirculation > 0 for s in scenario.demand):
        return ("Hash matching is on but changes nothing: no stream has known items (mix.known is 0) or copies of "
                "earlier items (recirculation is 0), so it has nothing to clear.")
    return ""


def _detector(scenario: Scenario) -> str:
    detector = scenario.tooling.synthetic_detector
    if detector.tpr == 0 and detector.fpr == 0:
        return ("The synthetic detector is on but changes nothing: it flags no item (0% of AI-generated items and "
                "0% of the others). Under Tools, set the share of AI-generated items it flags.")
    if not any("flagged_synthetic" in rule.when for rule in scenario.routing):
        return ("The synthetic detector is on but changes nothing: no routing rule reads its flag "
                "(flagged_synthetic), so every item goes where it would go without it.")
    return ""


def _clustering(scenario: Scenario) -> str:
    if scenario.tooling.clustering.follow_fraction == 1:
        return ("Clustering is on but changes nothing: each further item of a cluster takes as long as the first "
                "(1 × its time). Under Tools, set a smaller multiple.")
    if all(s.cluster_size <= 1 for s in scenario.demand):
        return ("Clustering is on but changes nothing: no stream has near-duplicate clusters (every stream's "
                "cluster_size is 1).")
    return ""


def _wellbeing(scenario: Scenario) -> str:
    wellbeing = scenario.tooling.wellbeing
    if wellbeing.time_factor == 1 and wellbeing.exposure_cap is None:
        return ("Wellbeing tooling is on but changes nothing: review takes 1 × the usual time and it sets no daily "
                "exposure cap of its own. Under Tools, set its review time or its daily exposure cap.")
    return ""
