"""Comparing scenarios fairly: common random numbers and paired differences.

Scenarios compared under one seed share every random stream they have in common (the same
arrivals, review times and absences wherever the streams and teams have the same names), so
replication ``r`` of each sees the same world and differs only in what the scenarios change.
The difference of a metric against the first scenario is therefore taken replication by
replication, and its confidence interval is that of the mean paired difference — far
narrower than comparing two independent intervals, and within the values a difference can take
(:func:`difference_range`: a share of 30% rises by 70 points at most). Every table keys a run by
its label (:func:`scenario_labels`): two runs of one name are "base" and "base (2)", as the
comparison chart shows them.

**Like with like.** A classifier relabels priorities, so ``sla_normal`` of a run with one
counts other items (those it left at normal) than ``sla_normal`` without it. The comparison
says so in its ``note`` column, and compares the items by their stream's priority
(``sla_<priority>_original``; without a classifier that is ``sla_<priority>`` itself). A
tool's side effects (:mod:`capsim.side_effects`) are 0 in a run without the tool, so they
are compared beside its savings; the detector's are expected counts, and the comparison says
how they add up to the change in referrals (:func:`referral_balance`).

**A fall in hours is not always a saving.** Victim-identification hours fall with a detector
mostly because its false positives keep real children's imagery from the team: the note of
``victim_id_hours`` and ``analyst_hours`` says how much of the fall is work on real (not
AI-generated) items not done (:func:`real_work_not_done`). Harmful items a classifier does not
flag are still assessed, later: the note of ``harmful_missed`` gives their wait
(:func:`missed_wait_notes`).

**Tools that take items away.** Hash matching clears items before any analyst sees them, and
the synthetic detector keeps the items it flags from referral: where two runs set such a tool
differently, a metric over the items that reach analysts (or referral) counts other items in
each, and its note says how many and why (:data:`ITEM_TOOLS`, :func:`removed_items_notes`):
"Items assessed −147,778" is then items cleared, not work lost. The classifier, which relabels
items instead of removing them, is said by :func:`definition_notes`, whose metrics show no
difference of other items at all.

**Each team's own queue.** A total over all teams can fall while one team's queue grows (a
tool that speeds intake floods victim identification): :func:`team_changes` finds each team
whose own wait, items waiting at the end or service levels differ beyond their paired interval,
the worse first; :func:`team_lines` says them, and a metric of such a team that shows no
difference (its hours, when it works every hour it has) says in its note that the team is not
unaffected (:func:`team_notes`).

**Year by year.** With growth a tool may make no clear difference in the first year and decide
the third: :func:`compare_by_year` pairs each calendar year's replications exactly as
:func:`compare` pairs the whole run's (each run as if it were that year alone, :func:`year_result`,
so every note above holds for the year), over the years every run measures alike
(:func:`shared_years`), and :func:`turning_metrics` finds the service levels and mean waits (all
teams', each team's own) whose difference turns between years (:func:`clear_sign`).

**Measured in some runs only.** A classifier can put a team's items under a deadline they have in
no other run: that service level has no paired difference, but it is not left out: its rows say
why the other runs lack it (:func:`unmeasured_notes`), and a team's line says where it misses its
target (:func:`team_lines`).

**Whose items the run-out counts.** Where teams refer items on, the streams' items still waiting
at the horizon (``waiting``) leave out the referrals waiting at the receiving team, while the
items whose wait the run-out left unknown (``censored``) and its length (``runout_days``) count
them too: their notes name the teams
(:func:`runout_notes`), so that a run-out 245 days longer beside 341,000 fewer items waiting is
read as the receiving team's queue, not a contradiction.

**Costs of tools nobody priced.** A tool left at ``annual_cost: 0`` and ``per_item_cost: 0``
(no published price) is costed at 0: the costs that include tools say so in their ``note``
(:func:`unpriced_notes`), so that a difference of 0 is not read as a free tool.

**Why it is one module.** Every part reads the same paired per-replication tables
(:func:`like_for_like`) and writes the one ``note`` column of :func:`compare`, each note
deciding what the others leave out (a relabelled metric needs no note of removed items); split,
the rules of which note a metric gets would live apart from the table they write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from capsim.costs import unpriced_tools
from capsim.experiment import SimulationResult
from capsim.metric_names import METRIC_DESCRIPTIONS, PER_TEAM, VICTIM_ID_TEAM, sla_words
from capsim.metrics import metric_range, original_sla_priorities, team_priorities, used_priorities
from capsim.periods import calendar_periods
from capsim.results import mean_ci
from capsim.scenario import Scenario
from capsim.side_effects import DETECTOR_METRICS, absent_means_zero, missed_still_assessed
from capsim.units import (SHARE_DECIMALS, UNIT_HOURS, duration_text, duration_unit, held_words, interval_ends, percent,
                          percent_against, plain_number, round_sig, share_text, target_percent, target_verdict,
                          unsigned_zero, why_no_interval)

COMPARISON_COLUMNS = ["scenario", "metric", "mean", "ci_low", "ci_high", "difference", "difference_ci_low",
                      "difference_ci_high", "note"]


def scenario_labels(results: Sequence[SimulationResult]) -> list[str]:
    """Scenario names, made unique (``base``, ``base (2)``) when runs share a name: the ``scenario``
    column of :func:`compare` and the keys of every per-run table of this module."""
    labels, seen = [], {}
    for r in results:
        name = r.scenario.name
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return labels


def relabels(scenario: Scenario) -> bool:
    """Whether a scenario's classifier puts items in other queues than their streams'."""
    return scenario.tooling.classifier.enabled


def metric_team(metric: str, scenario: Scenario) -> str | None:
    """The team whose own figure ``metric`` is, in a scenario of several teams: ``<family>_<team>``
    where ``<family>`` is one the run writes per team (:data:`~capsim.metric_names.PER_TEAM`, or
    ``sla_<p>`` or ``wait_mean_<p>`` of a priority of the scenario; the longest team name that makes
    one); else None, and so for a whole run's metric (:data:`~capsim.metric_names.METRIC_DESCRIPTIONS`)
    whose name ends in a team's ("utilisation_usable" beside a team "usable")."""
    if len(scenario.workforce) < 2 or metric in METRIC_DESCRIPTIONS:
        return None
    families = {*PER_TEAM, *(f"{kind}_{p}" for p in scenario.priorities for kind in ("sla", "wait_mean"))}
    return next((t.team for t in sorted(scenario.workforce, key=lambda t: len(t.team), reverse=True)
                 if metric.removesuffix(f"_{t.team}") in families and metric.endswith(f"_{t.team}")), None)


def like_for_like(results: list[SimulationResult]) -> list[pd.DataFrame]:
    """Each result's per-replication table, with the metrics another result has and this one
    means implicitly: ``sla_<p>_original`` is ``sla_<p>`` where no classifier relabels, and a
    side effect of a tool that is off is 0."""
    wanted = list(dict.fromkeys(m for r in results for m in r.per_replication.columns))
    tables = []
    for result in results:
        table = result.per_replication.copy()
        for metric in wanted:
            if metric in table:
                continue
            if metric.endswith("_original") and not relabels(result.scenario):
                own = metric.removesuffix("_original")
                if own in table:
                    table[metric] = table[own]
            elif absent_means_zero(metric):
                table[metric] = 0.0
        tables.append(table)
    return tables


def definition_notes(scenarios: Sequence[Scenario], names: Sequence[str] | None = None) -> dict[str, str]:
    """Metric → why it counts different items in different runs of ``scenarios`` (priorities
    relabelled by a classifier in some of them, or by classifiers set differently), and what to
    compare instead. The runs are named by ``names`` (default: their scenarios' names; a sweep's
    are its grid points)."""
    names = [s.name for s in scenarios] if names is None else list(names)
    changed = [name for s, name in zip(scenarios, names) if relabels(s)]
    same = len({s.tooling.classifier.model_dump_json() for s in scenarios}) == 1
    if not changed or same:
        return {}
    changed = list(dict.fromkeys(changed))
    who = (", ".join(changed) if len(changed) <= NAMED_RUNS
           else f"{len(changed)} of the {len(dict.fromkeys(names))} runs ({', '.join(changed[:2])}, ...)")
    notes: dict[str, str] = {}
    for s in scenarios:
        originals = set(original_sla_priorities(s))
        metrics = [f"sla_{p.priority}" for p in s.sla] + [f"wait_mean_{p}" for p in used_priorities(s)]
        intake = {s.team_of(stream) for stream in s.demand}
        for team, priorities in team_priorities(s).items():
            if team not in intake:
                continue
            metrics += [f"sla_{p}_{team}" for p in priorities] + [f"wait_mean_{p}_{team}" for p in priorities]
        for metric in metrics:
            instead = ""
            if metric.startswith("sla_") and metric.removeprefix("sla_") in originals:
                instead = f"; compare sla_{metric.removeprefix('sla_')}_original (items by their stream's priority)"
            notes[metric] = (f"counts different items: the classifier in {who} moves items between priorities"
                             + instead)
    return notes


NAMED_RUNS = 3
"""Most runs :func:`definition_notes` names one by one (a sweep's many grid points are counted)."""


def _why_unmeasured(metric: str, lacking: Scenario, having: Scenario) -> str:
    """Why a run of ``lacking`` has no ``metric`` that a run of ``having`` measures ("team graders
    has no normal-priority items there"), and where a classifier in ``having`` gives it its items,
    that too ("; in gc-classifier the classifier puts items under this deadline"); "" where no
    rule below says why."""
    team = (VICTIM_ID_TEAM if metric in ("victim_id_hours", "victim_id_hours_on_synthetic")
            else metric_team(metric, having))
    rest = metric.removesuffix(f"_{team}") if team and metric.endswith(f"_{team}") else metric
    priority = next((p for p in having.priorities if rest in (f"sla_{p}", f"wait_mean_{p}")), None)
    if metric == "wait_mean_missed_harmful":
        return "it has no classifier"
    if metric == "synthetic_referred":
        return "it refers no items between teams"
    if team and len(lacking.workforce) < 2:
        return "it has one team, so no team's own figures"
    if team and team not in {t.team for t in lacking.workforce}:
        return f"it has no team {team}"
    if priority is None:
        return ""
    handled = team_priorities(lacking)[team] if team else used_priorities(lacking)
    if rest.startswith("sla_") and priority not in {x.priority for x in lacking.sla}:
        why = f"it sets no deadline for {priority}-priority items"
    elif priority not in handled:
        why = (f"team {team} has no {priority}-priority items there" if team
               else f"none of its items has {priority} priority")
        own = lacking.tooling.classifier
        if relabels(lacking) and (team is None or team in {lacking.team_of(st) for st in lacking.demand}):
            why += (f" (the classifier puts its streams' items in the {own.positive_priority} and "
                    f"{own.negative_priority} queues)")
    else:
        return ""
    classifier = having.tooling.classifier
    if relabels(having) and priority in (classifier.positive_priority, classifier.negative_priority) and (
            team is None or team in {having.team_of(st) for st in having.demand}):
        why += (f"; in {having.name} the classifier puts items "
                + ("under this deadline" if rest.startswith("sla_") else "in this queue"))
    return why


def unmeasured_notes(results: list[SimulationResult], tables: list[pd.DataFrame]) -> dict[tuple[str, str], str]:
    """(run's label, metric) → why some of the other runs do not measure ``metric``, for each run
    whose :func:`like_for_like` table (of ``tables``) has a metric another's lacks: "not measured in
    growth-central: team graders has no normal-priority items there; in gc-classifier the classifier
    puts items under this deadline" (:func:`_why_unmeasured`, the runs that lack it grouped by why)."""
    labels = scenario_labels(results)
    metrics = list(dict.fromkeys(m for t in tables for m in t.columns))
    notes = {}
    for metric in metrics:
        lacking = [i for i, t in enumerate(tables) if metric not in t]
        if not lacking:
            continue
        for label, result, table in zip(labels, results, tables):
            if metric not in table:
                continue
            why: dict[str, list[str]] = {}
            for i in lacking:
                why.setdefault(_why_unmeasured(metric, results[i].scenario, result.scenario), []).append(labels[i])
            notes[(label, metric)] = "; ".join(f"not measured in {', '.join(names)}" + (f": {reason}" if reason else "")
                                               for reason, names in why.items())
    return notes


DETECTOR_NOTE = ("is an expected count, not a drawn one (each item the flag held back weighted by its referral "
                 "rule's share); referrals_lost_real + referrals_avoided_synthetic is the expected fall in referred "
                 "that the detector causes, which the drawn fall matches up to chance")
"""The ``note`` of the detector's side effects (:data:`capsim.side_effects.DETECTOR_METRICS`)."""


def detector_notes(results: list[SimulationResult]) -> dict[str, str]:
    """Metric → :data:`DETECTOR_NOTE` for the detector's side effects, where any run has them."""
    present = {m for r in results for m in r.summary.metric}
    return {m: DETECTOR_NOTE for m in DETECTOR_METRICS if m in present}


def unlike_difference(metric: str, notes: dict[str, str], metrics: Sequence[str]) -> str | None:
    """What a table shows instead of ``metric``'s paired difference where it compares other items
    (given the :func:`definition_notes` of the runs and the ``metrics`` compared), else None: for a
    share a classifier relabels, its row of the items by their stream's priority
    (``sla_<p>_original``, "own priority") compares the same items, where there is one."""
    if metric not in notes:
        return None
    if f"{metric}_original" in metrics:
        return "n/a: other items (the own-priority row compares the same items)"
    return "n/a (other items)"


RUN_OUT = ("waiting", "censored", "runout_days")
"""The run-out's own metrics (docs/model.md): the streams' items still waiting at the horizon,
those whose wait the run-out left unknown, and the days it took (counts of items; days)."""


def runout_notes(results: Sequence[SimulationResult]) -> dict[str, str]:
    """Metric → whose items each of :data:`RUN_OUT` counts, where a run refers items between teams
    (``routing``): ``waiting`` counts the streams' items only, at the teams the streams go to, not the
    referrals waiting at the teams they are referred to; ``censored`` counts those referrals too;
    ``runout_days`` lasts until the last item at any team is assessed or expires, those referrals
    included, so it can rise while ``waiting`` falls (a receiving team's queue clears last). Teams named
    "team victim_id"."""
    routed = [r.scenario for r in results if r.scenario.routing]
    if not routed:
        return {}
    receiving = list(dict.fromkeys(rule.to for s in routed for rule in s.routing))
    intake = list(dict.fromkeys(r.scenario.team_of(stream) for r in results for stream in r.scenario.demand))
    where = "" if len(routed) == len(results) else f" (in {', '.join(dict.fromkeys(s.name for s in routed))})"
    referrals = f"the referrals waiting at {', '.join(f'team {t}' for t in receiving)}{where}"
    streams = f"counts the streams' items only (at {', '.join(f'team {t}' for t in intake)}), not {referrals}"
    return {"waiting": streams, "censored": f"counts {referrals} too, as the streams' own items",
            "runout_days": (f"counts {referrals} too: the run-out lasts until the last item at any team is assessed "
                            "or expires, so it can rise while fewer of the streams' items are still waiting "
                            "(waiting)")}


REAL_WORK = ("victim_id_hours", "victim_id_hours_on_synthetic", "referrals_lost_real")
"""What :func:`real_work_not_done` reads: the victim-identification team's hours (all, and on
AI-generated items) and the real referrals the detector's false positives lose."""


def only_detector_differs(first: Scenario, other: Scenario) -> bool:
    """Whether ``other`` is ``first`` but for its synthetic-image detector (and its name, title and
    description): then a fall in victim-identification hours on real items is the detector's doing."""
    def rest(s: Scenario) -> dict:
        tooling = s.tooling.model_dump(exclude={"synthetic_detector"})
        return {**s.model_dump(exclude={"name", "title", "description", "tooling"}), "tooling": tooling}

    return rest(first) == rest(other)


def real_work_not_done(results: list[SimulationResult]) -> dict[str, tuple[float, float, float, float, float, float]]:
    """Per run after the first (by its label, :func:`scenario_labels`) that differs from it only in
    its detector (:func:`only_detector_differs`) and whose detector loses more real referrals than the first's
    (``referrals_lost_real``) while its victim-identification hours on real (not AI-generated)
    items fall: the paired difference of those hours (``victim_id_hours`` minus
    ``victim_id_hours_on_synthetic``, replication by replication) with its 95% CI, that of the
    hours on AI-generated items, that of all its hours, and that of ``referrals_lost_real``
    (hours, and an expected count of referrals): (real, low, high, synthetic, all, lost). The
    fall in real hours is work on real children's imagery not done, not time saved."""
    tables = like_for_like(results)
    if not all(set(REAL_WORK) <= set(t.columns) for t in tables):
        return {}
    first = tables[0]
    out = {}
    for label, result, table in zip(scenario_labels(results)[1:], results[1:], tables[1:]):
        if not only_detector_differs(results[0].scenario, result.scenario):  # else other changes move the hours too
            continue
        paired = {m: table[m].to_numpy(dtype=float) - first[m].to_numpy(dtype=float) for m in REAL_WORK}
        real, low, high = mean_ci(paired["victim_id_hours"] - paired["victim_id_hours_on_synthetic"])
        lost = float(np.nanmean(paired["referrals_lost_real"]))
        if lost > 0 and real < 0:
            out[label] = (real, low, high, float(np.nanmean(paired["victim_id_hours_on_synthetic"])),
                                         float(np.nanmean(paired["victim_id_hours"])), lost)
    return out


def real_work_notes(results: list[SimulationResult]) -> dict[tuple[str, str], str]:
    """(run's label, metric) → the note of ``victim_id_hours`` and ``analyst_hours`` (which counts
    them) in each run of :func:`real_work_not_done`: how much of the fall in victim-identification
    hours is work on real items not done, beside the real referrals lost. Hours to three
    significant figures; the fall on real items and its 95% CI in the decimals the comparison table
    gives a difference of hours (:func:`alike`, :data:`COUNT_DIGITS`)."""
    first = results[0].scenario.name
    notes = {}
    for name, (real, low, high, synthetic, hours, lost) in real_work_not_done(results).items():
        fewer, *bounds = alike(-real, -high, -low, digits=COUNT_DIGITS)  # as the table gives victim_id_hours
        ci = f" (95% CI {bounds[0]} to {bounds[1]} h)" if np.isfinite(low) else ""
        text = (f"by {plain_number(abs(hours))} h with {name} against {first}: {fewer} h{ci} fewer on "
                f"real (not AI-generated) items, work on real children's imagery not done, not time saved ({name}'s "
                f"detector loses {plain_number(lost)} expected real referrals to false positives), and "
                f"{plain_number(abs(synthetic))} h {'fewer' if synthetic < 0 else 'more'} on AI-generated items")
        notes[(name, "victim_id_hours")] = f"{'falls' if hours < 0 else 'rises'} {text}"
        notes[(name, "analyst_hours")] = (f"counts victim-identification hours too, which {'fall' if hours < 0 else 'rise'} "
                                          f"{text}")
    return notes


def missed_wait_notes(results: list[SimulationResult]) -> dict[tuple[str, str], str]:
    """(run's label, ``harmful_missed``) → that the harmful items its classifier did not flag are
    still assessed, later, and their mean wait before assessment began (``wait_mean_missed_harmful``,
    with its 95% CI, in one unit with alike digits: :func:`_waits_alike`); those that expire first
    (a stream with a ``ttl``) are not assessed."""
    notes = {}
    for label, result in zip(scenario_labels(results), results):
        s = result.scenario
        rows = result.summary[result.summary.metric == "wait_mean_missed_harmful"]
        if not relabels(s) or rows.empty:
            continue
        row = rows.iloc[0]
        mean, ci = _waits_alike(row["mean"], row.ci_low, row.ci_high)
        ci = f"95% CI {ci}; " if ci else ""
        notes[(label, "harmful_missed")] = (
            f"counts items not flagged, not items never reviewed: in {s.name} they are {missed_still_assessed(s)}, "
            f"after waiting in the classifier's {s.tooling.classifier.negative_priority} queue {mean} on average "
            f"({ci}wait_mean_missed_harmful)")
    return notes


TOOL_COSTED = ("cost_tooling", "cost_total", "cost_per_assessed")
"""The metrics that include the tools' costs (in the scenario's currency; per assessed item for
``cost_per_assessed``)."""


def unpriced_notes(results: list[SimulationResult]) -> dict[str, str]:
    """Metric → why its tools' part is not a price, for each of :data:`TOOL_COSTED`, where any run
    has an enabled tool with no price (:func:`capsim.costs.unpriced_tools`): "tool cost not given:
    0 assumed", naming the tools run by run."""
    named = [f"{r.scenario.name}: {', '.join(tools)}" for r in results if (tools := unpriced_tools(r.scenario))]
    if not named:
        return {}
    note = ("counts a tool with no price at 0 (tool cost not given: 0 assumed for "
            + "; ".join(dict.fromkeys(named))
            + "); set tooling.<tool>.annual_cost or per_item_cost to compare what the tools cost")
    return dict.fromkeys(TOOL_COSTED, note)


def referral_balance(table: pd.DataFrame) -> dict[str, tuple[float, float, float, float]]:
    """Per scenario after the first whose detector side effects differ from the first's, in a
    :func:`compare` table: the expected change in referrals (counts of items) that the detector
    causes (minus the paired differences of ``referrals_lost_real`` and
    ``referrals_avoided_synthetic``), and the paired difference of ``referred`` with its 95% CI:
    (expected, difference, low, high)."""
    names = list(dict.fromkeys(table.scenario))
    out = {}
    for name in names[1:]:
        mine = table[table.scenario == name].set_index("metric")
        if not {"referred", *DETECTOR_METRICS} <= set(mine.index):
            continue
        expected = -float(mine.loc[list(DETECTOR_METRICS), "difference"].sum())
        if expected:
            row = mine.loc["referred"]
            out[name] = (expected, float(row.difference), float(row.difference_ci_low), float(row.difference_ci_high))
    return out


ITEM_TOOLS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "hash_matching": (("auto_cleared",), "hash matching cleared", "reach"),
    "synthetic_detector": (DETECTOR_METRICS, "the synthetic detector kept from referral (an expected count)",
                           "referral"),
}
"""Per tool that takes items away from what some metrics count (a section of ``tooling``): the
metrics that count the items it takes (summed), what it did to them, and which items it takes
them from: those that ``reach`` an analyst at the team a stream goes to, or those sent on by
``referral`` (:func:`counts_items_from`; :data:`ITEMS_GO` says what becomes of them without it)."""

ITEMS_GO = {"reach": "reach analysts", "referral": "are referred"}
"""What becomes of the items of :data:`ITEM_TOOLS` in a run whose tool does not take them away."""

REACHING = ("assessed", "assessments", "wait_", "p_wait", "time_to_assessment_", "sla_", "cost_per_assessed",
            "ai_generated")
"""Metrics (names or name prefixes) over the streams' items that reach an analyst: counts of
them, their waits and service levels (not the backlog, which counts the queue itself)."""

AI_ONLY = ("ai_generated", "assessed_realistic")
"""Metrics of :data:`REACHING` over AI-generated items alone: hash matching takes their items away
only from a stream with AI-generated items."""


def counts_items_from(metric: str, scenario: Scenario) -> set[str]:
    """Which items of :data:`ITEM_TOOLS` ``metric`` counts in a run of ``scenario``: ``reach``
    (items reaching an analyst, :data:`REACHING`, of a stream hash matching can clear: one with
    known items or copies; a team's own figures where such a stream comes in, a priority's where
    it has that priority, a count of AI-generated items, :data:`AI_ONLY`, where it has them),
    ``referral`` (``referred``, ``synthetic_referred``, and a team's own figures where referrals
    come in), both, or neither."""
    if metric in ("referred", "synthetic_referred"):
        return {"referral"}
    if not metric.startswith(REACHING):
        return set()
    team = metric_team(metric, scenario)
    rest = metric.removesuffix(f"_{team}") if team else metric
    priority = next((p for p in scenario.priorities
                     if rest.removesuffix("_original") in (f"sla_{p}", f"wait_mean_{p}")), None)
    streams = [st for st in scenario.demand if (st.mix.known > 0 or st.recirculation > 0)
               and (team is None or scenario.team_of(st) == team)
               and (priority is None or priority in st.own_priorities)
               and (rest not in AI_ONLY or st.mix.ai_generated > 0)]
    referred = team is not None and team in {r.to for r in scenario.routing}
    return ({"reach"} if streams else set()) | ({"referral"} if referred else set())


def removed_items_notes(results: list[SimulationResult]) -> dict[tuple[str, str], str]:
    """(run's label, metric) → why ``metric`` counts other items in that run than in the first, for
    each run after the first whose :data:`ITEM_TOOLS` tool is set differently from the first's and
    takes a different number of items away (the paired mean of its counts): "counts different
    items: up to 1,560,000 items that hash matching cleared in base reach analysts in base-nohash
    (auto_cleared)". "Up to": the metric counts those of them it is over (its team's, its
    priority's, those assessed by the end), so the count is never its difference. Counts to three
    significant figures."""
    tables = like_for_like(results)
    labels = scenario_labels(results)
    first = results[0].scenario
    notes = {}
    for label, result, table in zip(labels[1:], results[1:], tables[1:]):
        s = result.scenario
        for tool, (counts, did, items) in ITEM_TOOLS.items():
            if getattr(s.tooling, tool) == getattr(first.tooling, tool) or not set(counts) <= set(table.columns):
                continue
            taken = float(np.nanmean(sum(table[c].to_numpy(dtype=float) - tables[0][c].to_numpy(dtype=float)
                                         for c in counts)))
            if not taken:
                continue
            taker, other = (labels[0], label) if taken < 0 else (label, labels[0])
            text = (f"counts different items: up to {plain_number(abs(taken))} items that {did} in {taker} "
                    f"{ITEMS_GO[items]} in {other} ({' + '.join(counts)})")
            for metric in table.columns:
                if items in counts_items_from(metric, s) | counts_items_from(metric, first):
                    notes[(label, metric)] = text
    return notes


@dataclass(frozen=True)
class TeamChange:
    """A team whose own queue differs, beyond its paired 95% interval, between a run and the first."""

    team: str
    worse: bool
    """Whether any of its figures is worse: a longer wait, more items waiting, a lower service level."""
    words: str
    """Each figure that differs, with the levels it moves between and its interval: "mean wait 83 days
    longer (from 10 days to 93 days; 95% CI 71 to 94 days), 2,899 more items waiting at the end (62%
    more; 95% CI 2,852 to 2,946)"."""
    size: float
    """The largest relative change of its figures (a share's in points), to order teams by."""
    metrics: tuple[str, ...] = ()
    """The team's own metrics whose paired differences ``words`` gives, in its order
    (``wait_mean_<team>``, ``backlog_end_<team>``, ``sla_<p>_<team>``): what a comparison chart
    draws for a team worse off (:func:`capsim.charts.compare.team_side_effects`)."""


def difference_range(metric: str, first: np.ndarray, paired: np.ndarray) -> tuple[float, float]:
    """The values the mean paired difference of ``metric`` can take: its range (:func:`metric_range`;
    a share's between 0 and 1) less the first run's mean over the replications ``paired`` measures
    (``first``, its values, replication by replication; in the metric's unit). A share of 30% can
    rise by at most 70 points, so no interval of its difference reaches beyond +70."""
    low, high = metric_range(metric)
    measured = first[np.isfinite(paired)]
    base = float(measured.mean()) if len(measured) else 0.0
    return low - base, high - base


def held_difference_words(metric: str, before: float, low: float, high: float) -> str:
    """What follows the 95% CI (``low`` to ``high``) of a paired difference of a share ``metric`` from the
    first run's ``before`` where an end of it was held at what the difference can take
    (:func:`difference_range`: where the share would reach 0% or 100%), as every comparison says it
    (:func:`~capsim.units.held_words`): ", one end held where the share reaches 100%"; "" for a metric that
    is no share, an end not held, or a ``before`` not known."""
    floor, ceiling = metric_range(metric)
    if not (np.isfinite(ceiling) and np.isfinite(before)):
        return ""
    return held_words(low, high, floor - before, ceiling - before, difference=True)


def _paired(tables: list[pd.DataFrame], i: int, metric: str) -> tuple[float, float, float]:
    """Paired mean difference of ``metric`` between table ``i`` and the first, with its 95% CI
    within the values it can take (:func:`difference_range`)."""
    first = tables[0][metric].to_numpy(dtype=float)
    paired = tables[i][metric].to_numpy(dtype=float) - first
    return mean_ci(paired, bounds=difference_range(metric, first, paired))


def first_level(tables: list[pd.DataFrame], metric: str) -> float:
    """The first run's mean of ``metric`` (in its units) as the comparison table gives it (:func:`compare`'s
    ``mean``: over every replication the run measures): the level every paired difference is said to move
    from, in the team lines as in the comparison lines and the chart's title, so that no two outputs give
    the same difference two "from" levels (:func:`from_to`)."""
    return mean_ci(tables[0][metric].to_numpy(dtype=float), bounds=metric_range(metric))[0]


def _beyond(d: float, low: float, high: float) -> bool:
    """Whether a paired difference is beyond its interval (0 outside it; without an interval, from
    one replication, any difference)."""
    return (low > 0 or high < 0) if np.isfinite(low) else bool(d)


LARGEST_PERCENT = 1000.0
"""The largest rise, in % of the first run's figure, said as a percentage: beyond it the first
run's figure is too small for a percentage to mean anything, and the two figures are given instead
("from 1,100 to 437,000")."""


def _backlog_change(before: float, d: float, places: int) -> str:
    """How far the items waiting at the end moved from the first run's mean ``before`` by the paired
    mean ``d`` (counts of items), relatively: "62% more"; or, for a rise beyond
    :data:`LARGEST_PERCENT` or from none, or a fall that leaves some though it would read "100% fewer",
    the two figures (:func:`from_to`): "from 4,810 to 58,538", "from 4,654 to 4".

    The two figures are written with ``places`` decimals, those of the change beside them
    (:func:`alike`, whole from 100 up), and the later one is the earlier as written plus the change
    as written, so that the sentence's own arithmetic holds: "53,728 more items waiting at the end
    (from 4,810 to 58,538; ...)", never "from 4,810 to 58,500" beside "53,728 more" (58,500 − 4,810
    is 53,690). The later figure is thus within one in its last place of the run's own mean rounded
    alone."""
    relative = plain_number(100 * abs(d) / before, 2) if before > 0 else ""
    if before > 0 and 100 * abs(d) / before <= LARGEST_PERCENT and not (relative == "100" and 0 < before + d < before):
        return f"{relative}% {'more' if d > 0 else 'fewer'}"
    return from_to(before, d, places)


def from_to(before: float, d: float, places: int, unit: str = "", prefix: str = "") -> str:
    """The levels a paired mean difference ``d`` moves between, from the first run's mean ``before``
    (both in one unit, written after each level: " days", " h", " NOK", or "" for a count; a currency's
    symbol before it: ``prefix`` "£"): "from 4,810 to 58,538", "from 10 days to 93 days", "from £1.52 to
    £1.55". Both with ``places`` decimals, and the later the earlier as written plus the difference
    rounded to them (:func:`written_levels`), so that the sentence's own arithmetic holds
    (:func:`_backlog_change`); a level that is not 0 never reads 0 ("from 185 days to under 1 day",
    :func:`_level`). Shares: :func:`share_levels`."""
    start, end = written_levels(before, d, places)
    return (f"from {_level(start, before, places, unit, prefix)} to "
            f"{_level(end, before + d, places, unit, prefix)}")


def written_levels(before: float, d: float, places: int, level_places: int | None = None) -> tuple[float, float]:
    """The two levels :func:`from_to` and :func:`share_levels` write for a paired mean difference ``d``
    from ``before`` (in the unit written): the earlier rounded to ``level_places`` decimals (default
    ``places``), and the later the earlier as written plus the difference as written (to ``places``)."""
    start = round(before, places if level_places is None else level_places)
    return start, start + round(d, places)


def _level(written: float, level: float, places: int, unit: str, prefix: str = "") -> str:
    """A level of :func:`from_to`, ``written`` with ``places`` decimals, its ``prefix`` and ``unit`` (" h",
    " days", ""): "1 day", not "1 days"; where the ``level`` itself is above 0 but ``written`` is not, how
    close it is: "under 1 day", "under 0.1 h", "under £0.01"."""
    text = (f"under {prefix}{10.0 ** -places:,.{places}f}" if written <= 0 < level
            else prefix + unsigned_zero(f"{written:,.{places}f}"))
    return text + (" day" if unit == " days" and text.split()[-1] == "1" else unit)


def share_levels(before: float, d: float, places: int) -> str:
    """The shares a paired difference ``d`` moves between, from the first run's ``before`` (shares 0–1),
    in percentages with ``places`` decimals, those of the difference in points beside them, the later
    the earlier as written plus the difference as written (:func:`written_levels`, as :func:`from_to`):
    "from 90.2% to 87.0%" beside "−3.2 points", never "from 90.2% to 86.9%" (each rounded alone). Where
    that would write 100% or 0% for a share that is not, the levels take the fewest more decimals that do
    not (up to :data:`~capsim.units.SHARE_DECIMALS`; beyond them, "over 99.99%" as :func:`percent` says
    it), the difference still as written: "from 99.9% to 11.9%" beside "−88 points", not "from 100% to
    12%". A share of exactly 0 or 1 reads 0% or 100%."""
    shares = (before, before + d)
    digits = next((k for k in range(places, max(places, SHARE_DECIMALS) + 1)
                   if not any(_false_bound(w, x, k) for w, x in zip(written_levels(100 * before, 100 * d, places, k),
                                                                    shares))), places)
    written = written_levels(100 * before, 100 * d, places, digits)
    return "from " + " to ".join(_share_level(w, x, digits) for w, x in zip(written, shares))


def _false_bound(written: float, share: float, digits: int) -> bool:
    """Whether ``written`` (a percentage, with ``digits`` decimals) reads 0% or 100% or beyond them for a
    ``share`` (0–1) strictly between 0 and 1."""
    return 0 < share < 1 and not 0 < float(f"{written:.{digits}f}") < 100


def _share_level(written: float, share: float, digits: int) -> str:
    """A level of :func:`share_levels`: ``written`` (a percentage) with ``digits`` decimals; a ``share``
    (0–1) of exactly 0 or 1, or written at 0% or 100% though it is not, as :func:`percent` writes it (a
    share not known: "n/a")."""
    if not np.isfinite(share) or share in (0.0, 1.0) or _false_bound(written, share, digits):
        return percent(share, digits)
    return f"{written:.{digits}f}%"


UNIT_DIGITS = {"min": 1, "h": 3, "days": 2}
"""Significant figures of a duration in each unit of :data:`capsim.units.UNIT_HOURS`, as
:func:`capsim.units.hours_words` writes one: whole minutes, hours to three figures, days to two
(whole from 10 days up)."""


POINT_DIGITS = 2
"""Significant figures of a difference of shares in percentage points ("3.2 points higher", "+66
points"), as the team lines and the comparison lines give it."""

COUNT_DIGITS = 3
"""Significant figures of a difference of counts, hours of work or money (whole from 100 up, as
:func:`alike` writes them): "+26.3", "+709,894"."""


def _places(x: float, digits: int) -> float:
    """Decimals that give ``x`` ``digits`` significant figures (negative from 10**digits up); +inf for
    0 or a value not measured, which asks for none in particular."""
    top = round_sig(abs(x), digits)
    return digits - 1 - int(np.floor(np.log10(top))) if np.isfinite(top) and top > 0 else np.inf


def alike_places(value: float, low: float, high: float, *, digits: int, most: int | None = None) -> int:
    """The decimals :func:`alike` writes ``value`` and its interval ``low`` to ``high`` with (the
    arguments as there): 0 for "83", 2 for "2.70"."""
    places = _places(value, digits)
    spread = (high - low) / 2
    if np.isfinite(spread) and spread > 0:
        places = max(_places(spread, 1), min(places, _places(spread, digits)))
    places = int(max(0, places)) if np.isfinite(places) else 0
    return places if most is None else min(places, most)


def alike(value: float, low: float, high: float, *, digits: int, most: int | None = None,
          places: int | None = None) -> list[str]:
    """``value`` to ``digits`` significant figures (whole where that leaves no decimals) and its 95%
    interval's bounds ``low`` and ``high`` with the same decimals, so that the three share their
    digits: "2.70", "2.48", "2.91"; "83", "71", "94" (not "83 days (95% CI 71.1 days ...)"). The
    interval's half-width bounds the decimals too: they give it at least one significant figure and
    at most ``digits``, so a narrow interval keeps its bounds apart ("10.0", "9.7", "10.3", not "10"
    to "10"), and a value near 0 beside a wide one is given as precisely as the interval allows
    ("<0.1" beside "-20.0" to "20.0", not "0.0100" beside "-20.0000"); never more than ``most`` decimals (a share's
    points: :data:`~capsim.units.SHARE_DECIMALS`). A value that is not 0 never reads 0: closer to 0
    than the decimals show, it says how close ("<0.1", "-<0.1"; "<1" where whole). In the unit given;
    a bound not known (one replication) reads "nan". ``places`` gives the decimals instead, for a
    sentence that writes several such values alike (:func:`alike_places` of each, the most)."""
    places = alike_places(value, low, high, digits=digits, most=most) if places is None else places
    out = []
    for x in (value, low, high):
        text = unsigned_zero(f"{x:,.{places}f}")
        if x != 0 and np.isfinite(x) and float(text.replace(",", "")) == 0:  # not 0: how close, and which way
            text = f"{'-' if x < 0 else ''}<{10.0 ** -places:.{places}f}"
        out.append(text)
    return out


def signed_alike(value: float, low: float, high: float, *, digits: int, most: int | None = None,
                 places: int | None = None) -> list[str]:
    """:func:`alike` (``most`` and ``places`` as there), each with its sign (a true minus; "0" unsigned): "+17",
    "+3", "+30"; "−0.4", "−5.9", "+5.2"; "+3.1", "+<0.1", "+6.2": a paired difference and its
    interval, sharing their decimals."""
    return [text if unsigned_zero(f"-{text}") == text else ("+" if x > 0 else "−") + text.lstrip("-")
            for x, text in zip((value, low, high), alike(value, low, high, digits=digits, most=most, places=places))]


def _waits_alike(hours: float, low: float, high: float) -> tuple[str, str]:
    """A wait given in hours and its 95% interval, all in one unit (:func:`capsim.units.duration_unit`),
    the bounds with the wait's decimals (:func:`alike`, :data:`UNIT_DIGITS`): ("2.70 h", "2.48 to
    2.91 h"), ("83 days", "71 to 94 days"); the interval "" where there is none (one replication)."""
    unit, places = _wait_scale(hours, low, high)
    words = alike(*(x / UNIT_HOURS[unit] for x in (hours, low, high)), digits=UNIT_DIGITS[unit], places=places)
    return f"{words[0]} {unit}", f"{words[1]} to {words[2]} {unit}" if np.isfinite(low) and np.isfinite(high) else ""


def _wait_scale(hours: float, low: float, high: float) -> tuple[str, int]:
    """The unit (:func:`capsim.units.duration_unit`) and decimals (:func:`alike_places`,
    :data:`UNIT_DIGITS`) :func:`_waits_alike` writes a wait of ``hours`` and its interval in."""
    unit = duration_unit(hours, low, high)
    return unit, alike_places(*(x / UNIT_HOURS[unit] for x in (hours, low, high)), digits=UNIT_DIGITS[unit])


def _ci_clause(d: float, low: float, high: float, ci: str) -> str:
    """What a team line says of a paired difference's interval after its levels: "; 95% CI ``ci``",
    "; the same in every replication" (not "95% CI 69 to 69": :func:`~capsim.units.why_no_interval`), or
    nothing from one replication (the line says its levels alone)."""
    if not np.isfinite(low):
        return ""
    return f"; {why_no_interval(d, low, high)}" if low == high else f"; 95% CI {ci}"


def _wait_change(paired: tuple[float, float, float], before: float) -> str:
    """A team's mean wait moved by a paired difference (``paired``: difference and 95% CI, hours) from
    the first run's ``before`` (hours), in one unit with alike digits (:func:`_waits_alike`) and the
    levels it moves between in its unit and decimals (:func:`from_to`): "mean wait 83 days longer (from
    10 days to 93 days; 95% CI 71 to 94 days)", "185 days shorter (from 185 days to under 1 day; ...)"."""
    d, low, high = paired
    size = (abs(d), *sorted((abs(low), abs(high))))
    words, ci = _waits_alike(*size)
    unit, places = _wait_scale(*size)
    levels = from_to(before / UNIT_HOURS[unit], d / UNIT_HOURS[unit], places, f" {unit}")
    return f"mean wait {words} {'longer' if d > 0 else 'shorter'} ({levels}{_ci_clause(d, low, high, ci)})"


def _share_change(paired: tuple[float, float, float], before: float, metric: str) -> str:
    """A service level ``metric`` moved by a paired difference (``paired``: difference and 95% CI, shares)
    from the first run's ``before`` (a share), in percentage points with alike digits (:func:`alike`,
    :data:`POINT_DIGITS`) and the levels it moves between (:func:`share_levels`): "3.2 points lower (from
    90.1% to 86.9%; 95% CI 1.1 to 5.3 points)"; an end held where the share reaches 0% or 100% said
    (:func:`held_difference_words`)."""
    d, low, high = paired
    points = [100 * abs(x) for x in (d, *sorted((low, high), key=abs))]
    places = alike_places(*points, digits=POINT_DIGITS, most=SHARE_DECIMALS)
    words = alike(*points, digits=POINT_DIGITS, places=places)
    held = held_difference_words(metric, before, low, high)
    ci = _ci_clause(d, low, high, f"{words[1]} to {words[2]} points{held}")
    return f"{words[0]} points {'higher' if d > 0 else 'lower'} ({share_levels(before, d, places)}{ci})"


def _missed_here_only(results: list[SimulationResult], tables: list[pd.DataFrame], i: int, team: str) -> list[str]:
    """Each service level of ``team`` (``sla_<p>_<team>``, a share) that only one of run ``i`` and
    the first measures (the team has items of that priority in one of them only: no paired
    difference, :func:`unmeasured_notes`) and that misses its target on average there, in words, with
    its 95% CI and judged by it (:func:`~capsim.units.target_verdict`): "81.3% of its normal-priority
    items within 72 h (95% CI 75.1% to 87.4%) against the 90% target: missed on average, but the 95% CI
    reaches above the target; it has none under this deadline in growth-central" (run ``i``'s), "...
    within 72 h in gc-classifier (...) against the 90% target: missed; it has none under this deadline
    here" (the first's). Shares to one decimal, never on the wrong side of the target; the interval's ends
    as every level's are written (:func:`~capsim.units.interval_ends`: more decimals where they would read
    alike; an end held at 0% or 100% said, :func:`~capsim.units.held_words`)."""
    labels = scenario_labels(results)
    said = []
    for j, other, where, none in ((i, 0, "", f"in {labels[0]}"), (0, i, f" in {labels[0]}", "here")):
        for sla in results[j].scenario.sla:
            metric = f"sla_{sla.priority}_{team}"
            if metric not in tables[j] or metric in tables[other]:
                continue
            mean, low, high = mean_ci(tables[j][metric].to_numpy(dtype=float), bounds=metric_range(metric))
            if mean < sla.target:  # never a missed target read as met (percent_against)
                ends = interval_ends(low, high, share_text, metric_range(metric))
                ci = f" (95% CI {ends[0]} to {ends[1]}{held_words(low, high)})" if ends else ""
                said.append(f"{percent_against(mean, sla.target, 1)} of its {sla.priority}-priority items within "
                            f"{duration_text(sla.within)}{where}{ci} against the {target_percent(sla.target)} target: "
                            f"{target_verdict(mean, low, high, sla.target)}; it has none under this deadline {none}")
    return said


def team_changes(results: list[SimulationResult], tables: list[pd.DataFrame] | None = None
                 ) -> dict[str, list[TeamChange]]:
    """Per run after the first (by its label, :func:`scenario_labels`; with several teams, in both
    runs): each team whose own mean wait (``wait_mean_<team>``, hours), items waiting at the end
    (``backlog_end_<team>``) or service levels by priority (``sla_<p>_<team>``, shares; not those a
    classifier relabels, :func:`definition_notes`) differ from the first's beyond the paired 95%
    interval, the worse teams first, then the larger changes; and each service level of the team
    that only one of the two runs measures where it misses its target (:func:`_missed_here_only`).
    Each figure with its interval in alike digits, as the comparison table gives it (:func:`alike`),
    and a wait or a service level with the levels it moves between (:func:`_wait_change`,
    :func:`_share_change`).
    ``tables``: the runs' :func:`like_for_like` tables, where already made."""
    tables = like_for_like(results) if tables is None else tables
    first = results[0].scenario
    relabelled = definition_notes([r.scenario for r in results])
    out: dict[str, list[TeamChange]] = {}
    for i, (label, result) in enumerate(zip(scenario_labels(results)[1:], results[1:]), start=1):
        s = result.scenario
        changes = []
        for team in [t.team for t in first.workforce if t.team in {u.team for u in s.workforce}]:
            parts, worse, size, metrics = [], False, 0.0, []
            wait, backlog = f"wait_mean_{team}", f"backlog_end_{team}"
            if wait in tables[i] and wait in tables[0] and _beyond(*(w := _paired(tables, i, wait))):
                parts.append(_wait_change(w, first_level(tables, wait)))
                worse |= w[0] > 0
                metrics.append(wait)
                size = max(size, abs(w[0]) / max(float(tables[0][wait].mean()), 1e-9))
            if backlog in tables[i] and backlog in tables[0] and _beyond(*(b := _paired(tables, i, backlog))):
                before = first_level(tables, backlog)
                size_ci = (abs(b[0]), *sorted((abs(b[1]), abs(b[2]))))
                items, low, high = alike(*size_ci, digits=COUNT_DIGITS)
                change = _backlog_change(before, b[0], alike_places(*size_ci, digits=COUNT_DIGITS))
                ci = f" ({change}{_ci_clause(*b, f'{low} to {high}')})"
                parts.append(f"{items} {'more' if b[0] > 0 else 'fewer'} items waiting at the end{ci}")
                worse |= b[0] > 0
                metrics.append(backlog)
                size = max(size, abs(b[0]) / before if before > 0 else np.inf)
            for priority in (x.priority for x in first.sla):
                metric = f"sla_{priority}_{team}"
                if metric in relabelled or metric not in tables[i] or metric not in tables[0]:
                    continue
                d, low, high = _paired(tables, i, metric)
                if not _beyond(d, low, high):
                    continue
                before = first_level(tables, metric)
                parts.append(f"{sla_words(first, priority)} {_share_change((d, low, high), before, metric)}")
                worse |= d < 0
                metrics.append(metric)
                size = max(size, abs(d))
            parts += _missed_here_only(results, tables, i, team)
            if parts:
                changes.append(TeamChange(team, worse, ", ".join(parts), size, tuple(metrics)))
        out[label] = sorted(changes, key=lambda c: (not c.worse, -c.size))
    return out


def team_lines(results: list[SimulationResult], changes: dict[str, list[TeamChange]] | None = None
               ) -> dict[str, list[str]]:
    """Per run after the first (by its label, :func:`scenario_labels`): one line per team of
    ``changes`` (default: :func:`team_changes` of ``results``), the worse first: "team victim_id:
    mean wait 83 days longer (from 10 days to 93 days; ...), 2,899 more items waiting at the end
    (...)"; "team graders: ..., 89.1% of its normal-priority items within 72 h (95% CI ...) against
    the 90% target: missed; it has none under this deadline in growth-central" (a level one run only
    measures). A team worse while
    the items waiting at the end of all teams together fell (beyond its interval) is said to be a
    side effect the total hides."""
    tables = like_for_like(results)
    changes = team_changes(results, tables) if changes is None else changes
    out = {}
    for i, label in enumerate(scenario_labels(results)[1:], start=1):
        d, low, high = _paired(tables, i, "backlog_end")
        total_fell = _beyond(d, low, high) and d < 0
        out[label] = [f"team {c.team}: {c.words}"
                      + ("; worse here while all teams together have fewer items waiting at the end: a side effect "
                         "the total hides" if c.worse and total_fell else "") for c in changes[label]]
    return out


def team_notes(results: list[SimulationResult], changes: dict[str, list[TeamChange]],
               tables: list[pd.DataFrame]) -> dict[tuple[str, str], str]:
    """(run's label, metric) → for a team ``changes`` (:func:`team_changes` of ``results``, whose
    :func:`like_for_like` tables are ``tables``) finds worse, the note of each of its own metrics
    (``<metric>_<team>`` of :data:`capsim.metric_names.PER_TEAM`, and victim-identification hours
    for that team) that shows no difference beyond its interval: the same hours do not mean the
    same queue (a team at full stretch works the same hours however long its queue)."""
    notes = {}
    for i, label in enumerate(scenario_labels(results)[1:], start=1):
        for c in (c for c in changes[label] if c.worse):
            own = [f"{m}_{c.team}" for m in PER_TEAM] + (["victim_id_hours"] if c.team == VICTIM_ID_TEAM else [])
            for metric in (m for m in own if m in tables[i] and m in tables[0]):
                if not _beyond(*_paired(tables, i, metric)):
                    notes[(label, metric)] = (f"shows no difference, but team {c.team} is worse off against "
                                              f"{results[0].scenario.name}: {c.words}")
    return notes


def compare(results: list[SimulationResult], changes: dict[str, list[TeamChange]] | None = None) -> pd.DataFrame:
    """Each metric per run (by its label, :func:`scenario_labels`) with its CI, its paired difference
    against the first run with its CI (within the values the difference can take,
    :func:`difference_range`), and a ``note`` where the metric counts different items in different
    runs (see the module docstring: like-for-like metrics and side effects are filled in where
    implicit), and a run's own note where a fall in hours is real work not done
    (:func:`real_work_notes`) or harmful items not flagged still wait for assessment
    (:func:`missed_wait_notes`), where a tool that takes items away makes a metric count other items
    (:func:`removed_items_notes`; not a metric a classifier relabels, whose note says why already),
    and where a team worse off shows no difference in one of its own metrics (:func:`team_notes` of
    ``changes``, default :func:`team_changes` of ``results``).

    A cost that counts a tool with no price at 0 says so too (:func:`unpriced_notes`), and where teams
    refer items on, the run-out's metrics name the teams whose items they count (:func:`runout_notes`).

    Every result must have the same seed and number of replications (otherwise the pairing
    would be meaningless and ``ValueError`` says so). A metric some runs do not measure (a team's
    service level for a priority it gets in some runs only) has a row for each run that measures
    it, no difference (NaN) where the first run does not (nor a note about a difference where no
    two runs measure it), and a note saying why the others do not (:func:`unmeasured_notes`).
    """
    first = results[0]
    for other in results[1:]:
        if (other.seed, other.replications) != (first.seed, first.replications):
            raise ValueError(
                f"{other.scenario.name} ran with seed {other.seed} and {other.replications} replications, "
                f"{first.scenario.name} with seed {first.seed} and {first.replications}: pairs need both equal"
            )
    tables = like_for_like(results)
    labels = scenario_labels(results)
    order = [m for m in dict.fromkeys(m for r in results for m in r.summary.metric) if any(m in t for t in tables)]
    relabelled = definition_notes([r.scenario for r in results])
    notes = {**detector_notes(results), **relabelled, **unpriced_notes(results), **runout_notes(results)}
    changes = team_changes(results, tables) if changes is None else changes
    own = {**real_work_notes(results), **missed_wait_notes(results), **team_notes(results, changes, tables)}
    unmeasured = unmeasured_notes(results, tables)
    for key, note in removed_items_notes(results).items():  # after the metric's; a relabelled metric says why already
        if key[1] not in relabelled:
            own[key] = "; ".join(n for n in (own.get(key, ""), note) if n)
    rows = []
    for i, (label, table) in enumerate(zip(labels, tables)):
        for metric in (m for m in order if m in table):
            paired = metric in tables[0] and sum(metric in t for t in tables) > 1  # else no difference to note
            note = "; ".join(n for n in (unmeasured.get((label, metric), ""), notes.get(metric, "") if paired else "",
                                         own.get((label, metric), "")) if n)
            rows.append([label, metric, *mean_ci(table[metric].to_numpy(dtype=float), bounds=metric_range(metric)),
                         *(_paired(tables, i, metric) if metric in tables[0] else (np.nan,) * 3), note])
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


def shared_years(results: Sequence[SimulationResult]) -> list[str]:
    """The calendar years (period labels, as summary.csv's ``period`` column gives them) that every
    run measured over the same dates and times, in time order: only those pair. A year one run
    measures from a later end of its warm-up, or up to an earlier horizon, is another stretch of
    time, and is left out."""
    def windows(s: Scenario) -> dict[str, tuple[dt.datetime, dt.datetime]]:
        start = dt.datetime.combine(s.clock.start, dt.time())
        return {p.label: (start + dt.timedelta(seconds=p.start), start + dt.timedelta(seconds=p.end))
                for p in calendar_periods(s)}

    first, *others = [windows(r.scenario) for r in results]
    measured = [set(r.per_period.period) if "period" in r.per_period else set() for r in results]
    return [label for label, window in first.items()
            if all(o.get(label) == window for o in others) and all(label in m for m in measured)]


def year_result(result: SimulationResult, label: str) -> SimulationResult:
    """``result`` as if its run were calendar year ``label`` alone: each replication's metrics of
    that year (``per_period``) and their summary (``period_summary``) in place of the whole run's."""
    rows = result.per_period[result.per_period.period == label].drop(columns="period").sort_values("replication")
    summary = result.period_summary[result.period_summary.period == label].drop(columns="period")
    return replace(result, per_replication=rows.reset_index(drop=True), summary=summary.reset_index(drop=True),
                   per_period=pd.DataFrame(), period_summary=pd.DataFrame())


COMPARISON_BY_YEAR_COLUMNS = ["scenario", "period", *COMPARISON_COLUMNS[1:]]
"""comparison_by_year.csv: :data:`COMPARISON_COLUMNS` with the calendar year (``period``) after the scenario."""


def compare_by_year(results: list[SimulationResult]) -> pd.DataFrame:
    """:func:`compare` of each calendar year every run measured alike (:func:`shared_years`): each
    year's metrics paired replication by replication (common random numbers) exactly as the whole
    run's are, with their notes, in :data:`COMPARISON_BY_YEAR_COLUMNS` (a year's wait in hours, a
    share between 0 and 1, a count of the items that arrived in it); empty for runs without
    calendar periods."""
    tables = []
    for label in shared_years(results):
        table = compare([year_result(r, label) for r in results])
        table.insert(1, "period", label)
        tables.append(table)
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=COMPARISON_BY_YEAR_COLUMNS)


def clear_sign(difference: float, low: float, high: float) -> int:
    """1 or −1 for a paired difference beyond its 95% interval (:func:`_beyond`: without an
    interval, from one replication, any difference), by its sign; 0 for no clear difference (and
    for none measured: NaN)."""
    return int(np.sign(difference)) if np.isfinite(difference) and _beyond(difference, low, high) else 0


def turning_metrics(by_year: pd.DataFrame, scenarios: Sequence[Scenario]) -> dict[str, list[str]]:
    """Per run after the first in a :func:`compare_by_year` table of runs of ``scenarios``: the
    run's service levels (``sla_*``; not those a classifier relabels, :func:`definition_notes`,
    whose own-priority rows compare the same items), mean wait (``wait_mean``) and, with several
    teams, each team's own mean wait (``wait_mean_<team>``: all teams' can hide one team's) whose
    paired difference changes between the years from clearly higher to clearly lower or to no clear
    difference (:func:`clear_sign`), in the table's order. A metric whose every year's difference and
    interval are another's listed before it (a team's service level where that team takes every
    stream's items) is not listed again. Not the items waiting at a year's end (``backlog_end``,
    per team too): a snapshot at one moment, which a difference in the hours just before it can turn."""
    relabelled = definition_notes(scenarios)
    waits = {"wait_mean", *(f"wait_mean_{t.team}" for s in scenarios if len(s.workforce) > 1 for t in s.workforce)}
    names = list(dict.fromkeys(by_year.scenario))
    out: dict[str, list[str]] = {}
    for name in names[1:]:
        mine = by_year[by_year.scenario == name]
        chosen: list[np.ndarray] = []
        out[name] = []
        for metric, rows in mine.groupby("metric", sort=False):
            if not (metric in waits or metric.startswith("sla_")) or metric in relabelled:
                continue
            paired = rows[["difference", "difference_ci_low", "difference_ci_high"]].to_numpy(dtype=float)
            if len({clear_sign(*row) for row in paired if np.isfinite(row[0])}) < 2 or any(  # years measured
                    np.array_equal(paired, c, equal_nan=True) for c in chosen):
                continue
            chosen.append(paired)
            out[name].append(str(metric))
    return out


def unpaired_ci(a: np.ndarray, b: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Welch confidence interval for mean(b) − mean(a) as if the runs were independent (for contrast)."""
    from scipy import stats

    a, b = np.asarray(a, float), np.asarray(b, float)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = np.sqrt(va + vb)
    dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1)) if se > 0 else 1
    half = stats.t.ppf(0.5 + level / 2, dof) * se
    diff = b.mean() - a.mean()
    return float(diff - half), float(diff + half)
