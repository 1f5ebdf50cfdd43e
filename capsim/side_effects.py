"""What the tools cost besides what they save: their side effects, counted per replication.

A tool's saving (victim-identification hours, review hours) is only half of what it does:

* the **synthetic detector** keeps what it flags from the referral rules that test
  ``flagged_synthetic: false``. Its false positives keep real children's imagery from
  victim identification (``referrals_lost_real``); its true positives spare that team
  synthetic items (``referrals_avoided_synthetic``);
* whatever reaches victim identification that is AI-generated is specialist time spent on
  synthetic material (``synthetic_referred``), with or without a detector;
* the **classifier** relabels priorities: criminal items it misses wait in the low queue
  (``harmful_missed``), and every item whose queue differs from its stream's priority is
  counted (``reprioritised``). A metric named after a priority then counts other items than
  without the classifier; ``sla_<priority>_original`` (:mod:`capsim.metrics`) counts the
  items by their stream's priority, so comparisons can be made like with like.

A sweep that sets a tool differently from one grid point to the next shows that tool's side
effects beside its savings (:func:`varied_side_effects`), as a comparison does.

Counts are of items arriving after the warm-up. Referrals are decided by a random draw
against each rule's ``share``: what a flag kept back is therefore an *expected* count (each
held-back item weighted by its rule's share), not a drawn one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from capsim.metric_names import (  # the output's vocabulary, re-exported here
    CLASSIFIER_METRICS,
    DETECTOR_METRICS,
    SIDE_EFFECT_DESCRIPTIONS,
    absent_means_zero,
    held_back_by_detector,
    side_effect_names,
)
from capsim.demand import FLAG_AI, FLAG_FLAGGED_SYNTHETIC, FLAGS
from capsim.measured import Measured, whole_run
from capsim.records import Replication
from capsim.scenario import Scenario


SHOWN_WITH_TOOL: dict[str, tuple[str, ...]] = {
    "synthetic_detector": DETECTOR_METRICS,
    "classifier": ("harmful_missed", "wait_mean_missed_harmful"),
}
"""Per tool (a section of ``tooling``): the metrics of its side effects a table of its savings
shows beside them: the detector's lost and avoided referrals (expected counts), the harmful
items the classifier does not flag (a count) and their mean wait (hours)."""


def varied_side_effects(scenarios: Sequence[Scenario]) -> list[str]:
    """The side effects (:data:`SHOWN_WITH_TOOL`) of each tool that ``scenarios`` (a sweep's grid
    points) set differently: where recall or a false-positive rate changes, a table must show
    what it costs beside what it saves."""
    return [m for tool, metrics in SHOWN_WITH_TOOL.items()
            if len({getattr(s.tooling, tool).model_dump_json() for s in scenarios}) > 1 for m in metrics]


def side_effect_metrics(scenario: Scenario, rep: Replication, count: dict[str, int],
                        window: Measured | None = None) -> dict[str, float]:
    """The metrics of :func:`side_effect_names` for one replication (counts; see the module
    docstring), or for one calendar period of it (``window``, :mod:`capsim.measured`); ``count``
    holds the window's item counts (:data:`capsim.passes.ITEM_COUNTS`: ``synthetic_referred``,
    the referrals with the AI-generated flag, and ``harmful_missed``, the streams' criminal items
    not flagged harmful, counted with the others in one pass)."""
    w = whole_run(rep) if window is None else window
    items = w.items
    names = side_effect_names(scenario)
    m: dict[str, float] = {}
    if "synthetic_referred" in names:
        m["synthetic_referred"] = float(count["synthetic_referred"])
    if "referrals_lost_real" in names:
        lost, avoided = _detector_holdbacks(scenario, w)
        m["referrals_lost_real"], m["referrals_avoided_synthetic"] = lost, avoided
    if "harmful_missed" in names:
        m["harmful_missed"] = float(count["harmful_missed"])
        scope = items.direct & (items.arrival >= w.t0) & (items.arrival < w.until)
        allowed = np.array([[p in s.own_priorities for p in scenario.priorities] for s in scenario.demand], dtype=bool)
        m["reprioritised"] = float((scope & ~allowed[items.stream, items.priority]).sum())
    return m


def _detector_holdbacks(scenario: Scenario, w: Measured) -> tuple[float, float]:
    """Expected referrals the detector's flag kept back: (of real imagery, of AI-generated imagery).

    An item counts if its assessment at a rule's source team ended between the end of the
    warm-up and the horizon (when its referral would have arrived, as ``referred`` counts
    them), is flagged synthetic, and would match the rule (the first of the rules between those two teams, as
    the engine decides) were it not flagged; it weighs the rule's ``share``.
    """
    items = w.items
    team_index = {t.team: i for i, t in enumerate(scenario.workforce)}
    ended = (items.end >= w.t0) & (items.end <= w.t1)
    started = (items.start < w.until) & (items.start >= w.since)  # a period's own rows (started in it)
    assessed = started & ended & (items.flags & FLAG_FLAGGED_SYNTHETIC > 0)
    real, synthetic = 0.0, 0.0
    pairs = dict.fromkeys((r.source, r.to) for r in held_back_by_detector(scenario))
    for source, to in pairs:
        rules = [r for r in scenario.routing if (r.source, r.to) == (source, to)]
        rows = np.flatnonzero(assessed & (items.team == team_index[source]))
        flags = items.flags[rows] & ~np.uint8(FLAG_FLAGGED_SYNTHETIC)  # as if not flagged
        share = np.zeros(len(rows))
        for rule in reversed(rules):  # the first matching rule decides, as in the engine
            when = {k: v for k, v in rule.when.items() if k != "flagged_synthetic"}
            bits = sum(FLAGS[k] for k in when)
            wanted = sum(FLAGS[k] for k, v in when.items() if v)
            held = rule.when.get("flagged_synthetic") is False
            share = np.where((flags & bits) == wanted, rule.share if held else 0.0, share)
        ai = items.flags[rows] & FLAG_AI > 0
        real += float(share[~ai].sum())
        synthetic += float(share[ai].sum())
    return real, synthetic


def missed_still_assessed(scenario: Scenario) -> str:
    """What becomes of the harmful items ``scenario``'s classifier does not flag, in words: "still
    assessed, later", and, where a stream has a time limit (``ttl``), "unless they expire first"
    (those are never assessed)."""
    expire = ", unless they expire first" if any(st.ttl is not None for st in scenario.demand) else ""
    return f"still assessed, later{expire}"
