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

**Costs of tools nobody priced.** A tool left at ``annual_cost: 0`` and ``per_item_cost: 0``
(no published price) is costed at 0: the costs that include tools say so in their ``note``
(:func:`unpriced_notes`), so that a difference of 0 is not read as a free tool.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from capsim.costs import unpriced_tools
from capsim.experiment import SimulationResult
from capsim.metrics import metric_range, original_sla_priorities, team_priorities, used_priorities
from capsim.results import mean_ci
from capsim.scenario import Scenario
from capsim.side_effects import DETECTOR_METRICS, absent_means_zero

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


def definition_notes(results: list[SimulationResult]) -> dict[str, str]:
    """Metric → why it counts different items in different runs (priorities relabelled by a
    classifier in some of them), and what to compare instead."""
    changed = [r.scenario.name for r in results if relabels(r.scenario)]
    same = len({r.scenario.tooling.classifier.model_dump_json() for r in results}) == 1
    if not changed or same:
        return {}
    who = ", ".join(dict.fromkeys(changed))
    notes: dict[str, str] = {}
    for result in results:
        s = result.scenario
        originals = set(original_sla_priorities(s))
        names = [f"sla_{p.priority}" for p in s.sla] + [f"wait_mean_{p}" for p in used_priorities(s)]
        intake = {s.team_of(stream) for stream in s.demand}
        for team, priorities in team_priorities(s).items():
            if team not in intake:
                continue
            names += [f"sla_{p}_{team}" for p in priorities] + [f"wait_mean_{p}_{team}" for p in priorities]
        for name in names:
            instead = ""
            if name.startswith("sla_") and name.removeprefix("sla_") in originals:
                instead = f"; compare sla_{name.removeprefix('sla_')}_original (items by their stream's priority)"
            notes[name] = (f"counts different items: the classifier in {who} moves items between priorities"
                           + instead)
    return notes


DETECTOR_NOTE = ("is an expected count, not a drawn one (each item the flag held back weighted by its referral "
                 "rule's share); referrals_lost_real + referrals_avoided_synthetic is the expected fall in referred "
                 "that the detector causes, which the drawn fall matches up to chance")
"""The ``note`` of the detector's side effects (:data:`capsim.side_effects.DETECTOR_METRICS`)."""


def detector_notes(results: list[SimulationResult]) -> dict[str, str]:
    """Metric → :data:`DETECTOR_NOTE` for the detector's side effects, where any run has them."""
    present = {m for r in results for m in r.summary.metric}
    return {m: DETECTOR_NOTE for m in DETECTOR_METRICS if m in present}


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
    docstring: like-for-like metrics and side effects are filled in where implicit).

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
    notes = {**detector_notes(results), **definition_notes(results), **unpriced_notes(results)}
    rows = []
    for result, table in zip(results, tables):
        for metric in shared:
            values = table[metric].to_numpy(dtype=float)
            paired = values - tables[0][metric].to_numpy(dtype=float)
            rows.append([result.scenario.name, metric, *mean_ci(values, bounds=metric_range(metric)), *mean_ci(paired),
                         notes.get(metric, "")])
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
