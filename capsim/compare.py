"""Comparing scenarios fairly: common random numbers and paired differences.

Scenarios compared under one seed share every random stream they have in common (the same
arrivals, review times and absences wherever the streams and teams have the same names), so
replication ``r`` of each sees the same world and differs only in what the scenarios change.
The difference of a metric against the first scenario is therefore taken replication by
replication, and its confidence interval is that of the mean paired difference — far
narrower than comparing two independent intervals.

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
(:func:`shared_years`), and :func:`turning_metrics` finds the service levels and mean wait whose
difference turns between years (:func:`clear_sign`).

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
from capsim.metric_names import PER_TEAM, VICTIM_ID_TEAM, sla_words
from capsim.metrics import metric_range, original_sla_priorities, team_priorities, used_priorities
from capsim.periods import calendar_periods
from capsim.results import mean_ci
from capsim.scenario import Scenario
from capsim.side_effects import DETECTOR_METRICS, absent_means_zero, missed_still_assessed
from capsim.units import durations_words, plain_number

COMPARISON_COLUMNS = ["scenario", "metric", "mean", "ci_low", "ci_high", "difference", "difference_ci_low",
                      "difference_ci_high", "note"]


def relabels(scenario: Scenario) -> bool:
    """Whether a scenario's classifier puts items in other queues than their streams'."""
    return scenario.tooling.classifier.enabled


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
    """Per scenario after the first that differs from it only in its detector
    (:func:`only_detector_differs`) and whose detector loses more real referrals than the first's
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
    for result, table in zip(results[1:], tables[1:]):
        if not only_detector_differs(results[0].scenario, result.scenario):  # else other changes move the hours too
            continue
        paired = {m: table[m].to_numpy(dtype=float) - first[m].to_numpy(dtype=float) for m in REAL_WORK}
        real, low, high = mean_ci(paired["victim_id_hours"] - paired["victim_id_hours_on_synthetic"])
        lost = float(np.nanmean(paired["referrals_lost_real"]))
        if lost > 0 and real < 0:
            out[result.scenario.name] = (real, low, high, float(np.nanmean(paired["victim_id_hours_on_synthetic"])),
                                         float(np.nanmean(paired["victim_id_hours"])), lost)
    return out


def real_work_notes(results: list[SimulationResult]) -> dict[tuple[str, str], str]:
    """(scenario, metric) → the note of ``victim_id_hours`` and ``analyst_hours`` (which counts
    them) in each run of :func:`real_work_not_done`: how much of the fall in victim-identification
    hours is work on real items not done, beside the real referrals lost. Hours to three
    significant figures."""
    first = results[0].scenario.name
    notes = {}
    for name, (real, low, high, synthetic, hours, lost) in real_work_not_done(results).items():
        ci = f" (95% CI {plain_number(-high)} to {plain_number(-low)} h)" if np.isfinite(low) else ""
        text = (f"by {plain_number(abs(hours))} h with {name} against {first}: {plain_number(-real)} h{ci} fewer on "
                f"real (not AI-generated) items, work on real children's imagery not done, not time saved ({name}'s "
                f"detector loses {plain_number(lost)} expected real referrals to false positives), and "
                f"{plain_number(abs(synthetic))} h {'fewer' if synthetic < 0 else 'more'} on AI-generated items")
        notes[(name, "victim_id_hours")] = f"{'falls' if hours < 0 else 'rises'} {text}"
        notes[(name, "analyst_hours")] = (f"counts victim-identification hours too, which {'fall' if hours < 0 else 'rise'} "
                                          f"{text}")
    return notes


def missed_wait_notes(results: list[SimulationResult]) -> dict[tuple[str, str], str]:
    """(scenario, ``harmful_missed``) → that the harmful items its classifier did not flag are
    still assessed, later, and their mean wait before assessment began (``wait_mean_missed_harmful``,
    with its 95% CI, in one unit: :func:`capsim.units.durations_words`); those that expire first
    (a stream with a ``ttl``) are not assessed."""
    notes = {}
    for result in results:
        s = result.scenario
        rows = result.summary[result.summary.metric == "wait_mean_missed_harmful"]
        if not relabels(s) or rows.empty:
            continue
        row = rows.iloc[0]
        mean, low, high = durations_words(row["mean"], row.ci_low, row.ci_high)
        ci = f"95% CI {low} to {high}; " if np.isfinite(row.ci_low) else ""
        notes[(s.name, "harmful_missed")] = (
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
    "hash_matching": (("auto_cleared",), "hash matching cleared before any analyst saw them", "reach"),
    "synthetic_detector": (DETECTOR_METRICS, "the synthetic detector kept from referral (an expected count)",
                           "referral"),
}
"""Per tool that takes items away from what some metrics count (a section of ``tooling``): the
metrics that count the items it takes (summed), what it did to them, and which items it takes
them from: those that ``reach`` an analyst at the team a stream goes to, or those sent on by
``referral`` (:func:`counts_items_from`)."""

REACHING = ("assessed", "assessments", "wait_", "p_wait", "time_to_assessment_", "sla_", "cost_per_assessed",
            "ai_generated")
"""Metrics (names or name prefixes) over the streams' items that reach an analyst: counts of
them, their waits and service levels (not the backlog, which counts the queue itself)."""


def counts_items_from(metric: str, scenario: Scenario) -> set[str]:
    """Which items of :data:`ITEM_TOOLS` ``metric`` counts in a run of ``scenario``: ``reach``
    (items reaching an analyst, :data:`REACHING`, of a stream hash matching can clear: one with
    known items or copies; a team's own figures where such a stream comes in, a priority's where
    it has that priority), ``referral`` (``referred``, ``synthetic_referred``, and a team's own
    figures where referrals come in), both, or neither."""
    if metric in ("referred", "synthetic_referred"):
        return {"referral"}
    if not metric.startswith(REACHING):
        return set()
    teams = [t.team for t in scenario.workforce]
    team = next((t for t in teams if metric.endswith(f"_{t}") and len(teams) > 1), None)
    rest = metric.removesuffix(f"_{team}") if team else metric
    priority = next((p for p in scenario.priorities
                     if rest.removesuffix("_original") in (f"sla_{p}", f"wait_mean_{p}")), None)
    streams = [st for st in scenario.demand if (st.mix.known > 0 or st.recirculation > 0)
               and (team is None or scenario.team_of(st) == team)
               and (priority is None or priority in st.own_priorities)]
    referred = team is not None and team in {r.to for r in scenario.routing}
    return ({"reach"} if streams else set()) | ({"referral"} if referred else set())


def removed_items_notes(results: list[SimulationResult]) -> dict[tuple[str, str], str]:
    """(scenario, metric) → why ``metric`` counts other items in that run than in the first, for
    each run after the first whose :data:`ITEM_TOOLS` tool is set differently from the first's and
    takes a different number of items away (the paired mean of its counts): "counts different
    items: in base-nohash it counts 1,560,000 items that hash matching cleared before any analyst
    saw them in base (auto_cleared)". Counts to three significant figures."""
    tables = like_for_like(results)
    first = results[0].scenario
    notes = {}
    for result, table in zip(results[1:], tables[1:]):
        s = result.scenario
        for tool, (counts, did, items) in ITEM_TOOLS.items():
            if getattr(s.tooling, tool) == getattr(first.tooling, tool) or not set(counts) <= set(table.columns):
                continue
            taken = float(np.nanmean(sum(table[c].to_numpy(dtype=float) - tables[0][c].to_numpy(dtype=float)
                                         for c in counts)))
            if not taken:
                continue
            n, source = plain_number(abs(taken)), " + ".join(counts)
            text = (f"counts different items: in {s.name} it counts {n} items that {did} in {first.name} ({source})"
                    if taken < 0 else
                    f"counts different items: in {s.name} it leaves out {n} items that {did} there, and that count "
                    f"in {first.name} ({source})")
            for metric in table.columns:
                if items in counts_items_from(metric, s) | counts_items_from(metric, first):
                    notes[(s.name, metric)] = text
    return notes


@dataclass(frozen=True)
class TeamChange:
    """A team whose own queue differs, beyond its paired 95% interval, between a run and the first."""

    team: str
    worse: bool
    """Whether any of its figures is worse: a longer wait, more items waiting, a lower service level."""
    words: str
    """Each figure that differs, with its interval: "mean wait 82.6 days longer (95% CI 71.1 to 94.0
    days), 2,900 more items waiting at the end (62% more; 95% CI 2,770 to 3,030)"."""
    size: float
    """The largest relative change of its figures (a share's in points), to order teams by."""


def _paired(tables: list[pd.DataFrame], i: int, metric: str) -> tuple[float, float, float]:
    """Paired mean difference of ``metric`` between table ``i`` and the first, with its 95% CI."""
    return mean_ci(tables[i][metric].to_numpy(dtype=float) - tables[0][metric].to_numpy(dtype=float))


def _beyond(d: float, low: float, high: float) -> bool:
    """Whether a paired difference is beyond its interval (0 outside it; without an interval, from
    one replication, any difference)."""
    return (low > 0 or high < 0) if np.isfinite(low) else bool(d)


def team_changes(results: list[SimulationResult]) -> dict[str, list[TeamChange]]:
    """Per run after the first (with several teams, in both runs): each team whose own mean wait
    (``wait_mean_<team>``, hours), items waiting at the end (``backlog_end_<team>``) or service
    levels by priority (``sla_<p>_<team>``, shares; not those a classifier relabels,
    :func:`definition_notes`) differ from the first's beyond the paired 95% interval, the worse
    teams first, then the larger changes."""
    tables = like_for_like(results)
    first = results[0].scenario
    relabelled = definition_notes([r.scenario for r in results])
    out: dict[str, list[TeamChange]] = {}
    for i, result in enumerate(results[1:], start=1):
        s = result.scenario
        changes = []
        for team in [t.team for t in first.workforce if t.team in {u.team for u in s.workforce}]:
            parts, worse, size = [], False, 0.0
            wait, backlog = f"wait_mean_{team}", f"backlog_end_{team}"
            if wait in tables[i] and wait in tables[0] and _beyond(*(w := _paired(tables, i, wait))):
                words = durations_words(*(abs(x) for x in w))
                ci = f" (95% CI {words[1] if w[0] > 0 else words[2]} to {words[2] if w[0] > 0 else words[1]})" \
                    if np.isfinite(w[1]) else ""
                parts.append(f"mean wait {words[0]} {'longer' if w[0] > 0 else 'shorter'}{ci}")
                worse |= w[0] > 0
                size = max(size, abs(w[0]) / max(float(tables[0][wait].mean()), 1e-9))
            if backlog in tables[i] and backlog in tables[0] and _beyond(*(b := _paired(tables, i, backlog))):
                before = float(tables[0][backlog].mean())
                share = f"{plain_number(100 * abs(b[0]) / before, 2)}% {'more' if b[0] > 0 else 'fewer'}; " \
                    if before > 0 else ""
                low, high = sorted((abs(b[1]), abs(b[2])))
                ci = f" ({share}95% CI {plain_number(low)} to {plain_number(high)})" if np.isfinite(b[1]) else (
                    f" ({share.removesuffix('; ')})" if share else "")
                parts.append(f"{plain_number(abs(b[0]))} {'more' if b[0] > 0 else 'fewer'} items waiting at the end{ci}")
                worse |= b[0] > 0
                size = max(size, abs(b[0]) / before if before > 0 else np.inf)
            for priority in (x.priority for x in first.sla):
                metric = f"sla_{priority}_{team}"
                if metric in relabelled or metric not in tables[i] or metric not in tables[0]:
                    continue
                d, low, high = _paired(tables, i, metric)
                if not _beyond(d, low, high):
                    continue
                ci = (f" (95% CI {plain_number(100 * min(abs(low), abs(high)), 2)} to "
                      f"{plain_number(100 * max(abs(low), abs(high)), 2)} points)") if np.isfinite(low) else ""
                parts.append(f"{sla_words(first, priority)} {plain_number(100 * abs(d), 2)} points "
                             f"{'higher' if d > 0 else 'lower'}{ci}")
                worse |= d < 0
                size = max(size, abs(d))
            if parts:
                changes.append(TeamChange(team, worse, ", ".join(parts), size))
        out[s.name] = sorted(changes, key=lambda c: (not c.worse, -c.size))
    return out


def team_lines(results: list[SimulationResult]) -> dict[str, list[str]]:
    """Per run after the first: one line per team of :func:`team_changes`, the worse first: "team
    victim_id: mean wait 82.6 days longer (...), 2,900 more items waiting at the end (...)". A team
    worse while the items waiting at the end of all teams together fell (beyond its interval) is
    said to be a side effect the total hides."""
    tables = like_for_like(results)
    out = {}
    for i, (name, changes) in enumerate(team_changes(results).items(), start=1):
        d, low, high = _paired(tables, i, "backlog_end")
        total_fell = _beyond(d, low, high) and d < 0
        out[name] = [f"team {c.team}: {c.words}"
                     + ("; worse here while all teams together have fewer items waiting at the end: a side effect "
                        "the total hides" if c.worse and total_fell else "") for c in changes]
    return out


def team_notes(results: list[SimulationResult]) -> dict[tuple[str, str], str]:
    """(scenario, metric) → for a team :func:`team_changes` finds worse, the note of each of its own
    metrics (``<metric>_<team>`` of :data:`capsim.metric_names.PER_TEAM`, and victim-identification
    hours for that team) that shows no difference beyond its interval: the same hours do not mean
    the same queue (a team at full stretch works the same hours however long its queue)."""
    tables = like_for_like(results)
    notes = {}
    for i, (name, changes) in enumerate(team_changes(results).items(), start=1):
        for c in (c for c in changes if c.worse):
            own = [f"{m}_{c.team}" for m in PER_TEAM] + (["victim_id_hours"] if c.team == VICTIM_ID_TEAM else [])
            for metric in (m for m in own if m in tables[i] and m in tables[0]):
                if not _beyond(*_paired(tables, i, metric)):
                    notes[(name, metric)] = (f"shows no difference, but team {c.team} is worse off against "
                                             f"{results[0].scenario.name}: {c.words}")
    return notes


def compare(results: list[SimulationResult]) -> pd.DataFrame:
    """Each metric per scenario with its CI, its paired difference against the first scenario,
    and a ``note`` where the metric counts different items in different runs (see the module
    docstring: like-for-like metrics and side effects are filled in where implicit), and a run's
    own note where a fall in hours is real work not done (:func:`real_work_notes`) or harmful
    items not flagged still wait for assessment (:func:`missed_wait_notes`), where a tool that takes
    items away makes a metric count other items (:func:`removed_items_notes`), and where a team worse
    off shows no difference in one of its own metrics (:func:`team_notes`).

    A cost that counts a tool with no price at 0 says so too (:func:`unpriced_notes`).

    Every result must have the same seed and number of replications (otherwise the pairing
    would be meaningless and ``ValueError`` says so). Metrics missing from a scenario are
    left out of the comparison.
    """
    first = results[0]
    for other in results[1:]:
        if (other.seed, other.replications) != (first.seed, first.replications):
            raise ValueError(
                f"{other.scenario.name} ran with seed {other.seed} and {other.replications} replications, "
                f"{first.scenario.name} with seed {first.seed} and {first.replications}: pairs need both equal"
            )
    tables = like_for_like(results)
    order = list(dict.fromkeys(m for r in results for m in r.summary.metric))
    shared = [m for m in order if all(m in t for t in tables)]
    notes = {**detector_notes(results), **definition_notes([r.scenario for r in results]), **unpriced_notes(results)}
    own = {**real_work_notes(results), **missed_wait_notes(results), **team_notes(results)}  # a run's own note
    for key, note in removed_items_notes(results).items():  # after the metric's; a relabelled metric says why already
        if key[1] not in notes:
            own[key] = "; ".join(n for n in (own.get(key, ""), note) if n)
    rows = []
    for result, table in zip(results, tables):
        for metric in shared:
            values = table[metric].to_numpy(dtype=float)
            paired = values - tables[0][metric].to_numpy(dtype=float)
            note = "; ".join(n for n in (notes.get(metric, ""), own.get((result.scenario.name, metric), "")) if n)
            rows.append([result.scenario.name, metric, *mean_ci(values, bounds=metric_range(metric)), *mean_ci(paired),
                         note])
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
    whose own-priority rows compare the same items) and mean wait (``wait_mean``) whose paired
    difference changes between the years from clearly higher to clearly lower or to no clear
    difference (:func:`clear_sign`), in the table's order. A metric whose every year's difference and
    interval are another's listed before it (a team's service level where that team takes every
    stream's items) is not listed again."""
    relabelled = definition_notes(scenarios)
    names = list(dict.fromkeys(by_year.scenario))
    out: dict[str, list[str]] = {}
    for name in names[1:]:
        mine = by_year[by_year.scenario == name]
        chosen: list[np.ndarray] = []
        out[name] = []
        for metric, rows in mine.groupby("metric", sort=False):
            if not (metric == "wait_mean" or metric.startswith("sla_")) or metric in relabelled:
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
