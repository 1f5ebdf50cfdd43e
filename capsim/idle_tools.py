"""Tools switched on that change nothing at their settings, named as scenario warnings.

A tool switched on reads as a tool at work: a detector that flags no item, or clustering whose further
items take as long as the first, would let a comparison of the tool on and off say "no clear difference"
about a tool that never ran. :func:`capsim.scenario.scenario_warnings` gives these lines with its own, so
the command line prints them on standard error and the web page above its inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from capsim.scenario import Scenario


def idle_tools(scenario: Scenario) -> list[str]:
    """One line per tool switched on in ``scenario`` that changes nothing at its settings: its key
    (``tooling.synthetic_detector``), why it changes nothing, and what to set for it to act. Only settings
    that make a tool inert are named: a tool that does something, however little, is not; the
    classifier's one exception is named for what it does (:func:`_idle_classifier`).
    """
    checks = {"hash_matching": _idle_hash_matching, "classifier": _idle_classifier,
              "synthetic_detector": _idle_detector, "clustering": _idle_clustering, "wellbeing": _idle_wellbeing}
    found = {tool: check(scenario) for tool, check in checks.items() if getattr(scenario.tooling, tool).enabled}
    return [f"tooling.{tool}: {line}" for tool, line in found.items() if line]


def _idle_hash_matching(scenario: Scenario) -> str:
    """Hash matching that clears nothing: it matches no item, or no stream has an item it could match."""
    if scenario.tooling.hash_matching.match_rate == 0:
        return ("hash matching is on but changes nothing: it matches 0% of known items, so it clears none; for it "
                "to act, set match_rate (the share of known items it matches) above 0")
    if not any(s.mix.known > 0 or s.recirculation > 0 for s in scenario.demand):
        return ("hash matching is on but changes nothing: no stream has known items (mix.known is 0) or copies of "
                "earlier items (recirculation is 0), so it has nothing to clear; for it to act, set a stream's "
                "mix.known or recirculation above 0 (demand[].mix.known, demand[].recirculation)")
    return ""


def _idle_classifier(scenario: Scenario) -> str:
    """The classifier at a setting that flags no item and leaves review time as it is. It still puts
    every item in its ``negative_priority`` queue: where each stream puts its items there already,
    nothing changes; else the line says that this move is all it does (the order of service, the
    deadline that applies and the queue a referral keeps can change with it)."""
    classifier = scenario.tooling.classifier
    flags_none = all(classifier.rates(s.mix.criminal) == (0, 0) for s in scenario.demand)
    if not flags_none or classifier.time_factor != 1:
        return ""
    queue = classifier.negative_priority
    moved = sorted({p for s in scenario.demand for p in s.own_priorities} - {queue}, key=scenario.priorities.index)
    flags = "it flags no item (0% of harmful items and 0% of the others)"
    same_time = "review of the items it scores takes 1 × the usual time (time_factor is 1)"
    recall = ("set threshold to an operating point whose recall is above 0" if classifier.operating_points is not None
              else "set recall (the share of harmful items it flags) above 0")
    fix = f"for it to flag items, {recall}; for it to change review time, set time_factor other than 1"
    if not moved:
        return (f"the classifier is on but changes nothing: {flags}, {same_time} and every item waits in the "
                f"'{queue}' queue (negative_priority), as without it; {fix}")
    return (f"the classifier is on but all it does is move the items the streams put at {quoted_or(moved)} to its "
            f"'{queue}' queue (negative_priority): {flags} and {same_time}; {fix}")


def quoted_or(names: Sequence[str]) -> str:
    """Names quoted and joined by "or": "'normal'", "'high' or 'normal'", "'urgent', 'high' or 'low'"."""
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _idle_detector(scenario: Scenario) -> str:
    """The synthetic detector flagging no item, or flagging items no routing rule reads the flag of."""
    detector = scenario.tooling.synthetic_detector
    if detector.tpr == 0 and detector.fpr == 0:
        return ("the synthetic detector is on but changes nothing: it flags no item (0% of AI-generated items and "
                "0% of the others); for it to act, set tpr (the share of AI-generated items it flags) above 0")
    if not any("flagged_synthetic" in rule.when for rule in scenario.routing):
        return ("the synthetic detector is on but changes nothing: no routing rule reads its flag, so every item "
                "goes where it would go without it; for it to act, name flagged_synthetic in a routing rule's when "
                "(routing[].when), as base.yaml's victim-identification rules do")
    return ""


def _idle_clustering(scenario: Scenario) -> str:
    """Clustering with further items at full time, or no stream with clusters."""
    if scenario.tooling.clustering.follow_fraction == 1:
        return ("clustering is on but changes nothing: each further item of a cluster takes as long as the first "
                "(1 × its time); for it to act, set follow_fraction (each further item's time, as a share of the "
                "first's) below 1")
    if all(s.cluster_size <= 1 for s in scenario.demand):
        return ("clustering is on but changes nothing: no stream has near-duplicate clusters (every stream's "
                "cluster_size is 1); for it to act, set a stream's cluster_size above 1 (demand[].cluster_size)")
    return ""


def _idle_wellbeing(scenario: Scenario) -> str:
    """Wellbeing tooling at the usual review time with no exposure cap of its own."""
    wellbeing = scenario.tooling.wellbeing
    if wellbeing.time_factor == 1 and wellbeing.exposure_cap is None:
        return ("wellbeing tooling is on but changes nothing: review takes 1 × the usual time and it sets no daily "
                "exposure cap of its own; for it to act, set time_factor other than 1 or an exposure_cap (e.g. "
                "4h/day)")
    return ""
