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

**Costs of tools nobody priced.** A tool left at ``annual_cost: 0`` and ``per_item_cost: 0``
(no published price) is costed at 0: the costs that include tools say so in their ``note``
(:func:`unpriced_notes`), so that a difference of 0 is not read as a free tool.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from capsim.costs import unpriced_tools
from capsim.experiment import SimulationResult
from capsim.metrics import metric_range, original_sla_priorities, team_priorities, used_priorities
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


def compare(results: list[SimulationResult]) -> pd.DataFrame:
    """Each metric per scenario with its CI, its paired difference against the first scenario,
    and a ``note`` where the metric counts different items in different runs (see the module
    docstring: like-for-like metrics and side effects are filled in where implicit), and a run's
    own note where a fall in hours is real work not done (:func:`real_work_notes`) or harmful
    items not flagged still wait for assessment (:func:`missed_wait_notes`).

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
    own = {**real_work_notes(results), **missed_wait_notes(results)}  # a run's own note, after the metric's
    rows = []
    for result, table in zip(results, tables):
        for metric in shared:
            values = table[metric].to_numpy(dtype=float)
            paired = values - tables[0][metric].to_numpy(dtype=float)
            note = "; ".join(n for n in (notes.get(metric, ""), own.get((result.scenario.name, metric), "")) if n)
            rows.append([result.scenario.name, metric, *mean_ci(values, bounds=metric_range(metric)), *mean_ci(paired),
                         note])
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


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
