"""The methods section: the STRESS-DES checklist answered from the scenario and the run's manifest."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from capsim.report.flow import enabled_tools
from capsim.scenario import Scenario
from capsim.units import format_duration, target_percent
from capsim.version import version
from capsim.words import duration_text, how_many

if TYPE_CHECKING:  # pragma: no cover
    from capsim.experiment import SimulationResult


RUN_TO_RUN_ONLY = "the simulation's run-to-run spread only, not the range of what those inputs may be"
"""What the intervals of a run with its uncertain inputs at their medians (:func:`at_medians`) measure,
as budget and grant say it."""


def at_medians(scenario: Scenario) -> str:
    """How a run (and a budget or grant) takes the uncertain inputs of a scenario that has some, naming
    them by key: "2 uncertain inputs (demand.reports.growth.per_year, demand.ai-generated.growth.doubling_time)
    run at their medians". Each command says after it what samples them."""
    return (f"{how_many(len(scenario.uncertain), 'uncertain input')} ({', '.join(i.key for i in scenario.uncertain)}) "
            "run at their medians")


def uncertain_inputs_text(scenario: Scenario, sampled: bool = False) -> str:
    """A sentence on the scenario's uncertain inputs and the two-level design that samples them ("" if none);
    ``sampled``: for capsim uncertainty's own report, whose runs sample them (not at their medians)."""
    if not scenario.uncertain:
        return ""
    keys = ", ".join(i.key for i in scenario.uncertain)
    given = "is given as a distribution" if len(scenario.uncertain) == 1 else "are given as distributions"
    used = "the runs reported here sample them" if sampled else "the runs reported here use their medians"
    return (f" {how_many(len(scenario.uncertain), 'input')} {given} ({keys}); {used}. "
            "capsim uncertainty samples them: parameter sets from a Latin hypercube (by default) "
            "(scipy.stats.qmc), each run for several replications under common random numbers, give each result a "
            "run-to-run, an input and a total 95% interval, with their Monte Carlo error, and rank the inputs by "
            "the share of the result's input variance each explains (rank regression).")


def methods(scenario: Scenario, manifest: dict | None, results: Sequence[SimulationResult]) -> list[tuple[str, str, str]]:
    """The STRESS-DES checklist, answered from the scenario and the run's manifest:
    (item number, item, answer) rows."""
    manifest = manifest or {}
    first = results[0]
    s = scenario
    names = ", ".join(r.scenario.name for r in results)
    versions = manifest.get("versions", {})
    lib = ", ".join(f"{k} {v}" for k, v in versions.items() if k != "capsim") or "see the manifest"
    horizon = format_duration(s.clock.horizon)
    warm = format_duration(s.clock.warmup) if s.clock.warmup else "none"
    slas = "; ".join(f"{x.priority}: {target_percent(x.target)} within {duration_text(x.within)}" for x in s.sla) or "none set"
    tools = ", ".join(n.replace("_", " ") for n in enabled_tools(s)) or "none"
    figures_used = ", ".join(s.figures) or "none"
    overrides = ", ".join(manifest.get("overrides", [])) or "none"
    return [
        ("1.1", "Purpose of the model",
         "To estimate whether the review capacity described (analysts, rosters, exposure limits, tooling) keeps up "
         f"with the demand described, and what waiting, backlog and cost follow. Scenario(s): {names}."),
        ("1.2", "Model outputs",
         "Per replication: arrivals, items assessed, cleared automatically, expired and still waiting; backlog at the "
         "end and at its largest; waits and time to assessment (mean, median, 90th and 95th percentiles, hours); share "
         "of each priority assessed within its deadline; analyst hours, exposure hours per analyst-shift, utilisation; "
         "staff cost. Reported as means with 95% confidence intervals across replications, and a time series of the "
         "backlog and analysts on shift."),
        ("1.3", "Experimentation aims",
         f"Service levels: {slas}. " + (f"Scenarios compared under the same seed: {names}." if len(results) > 1
                                        else "One scenario; compare others with capsim report A B, and vary inputs with "
                                             "capsim sensitivity.")),
        ("2.1", "Base model overview diagram", "See the diagram under “What is modelled”."),
        ("2.2", "Base model logic",
         "Items arrive in streams; automated tools (enabled here: " + tools + ") act on whole batches before "
         "people see them; the rest join their team's queue by priority and are taken first come, first served "
         "within a priority, without pre-emption, by the analyst free earliest. Analysts work rostered shifts, stop "
         "starting new reviews at the end of a shift or when their team's daily exposure cap, if it has one, is "
         "reached, and miss whole shifts at random at the shrinkage rate. Items with a time-to-live expire if not "
         "started in time."),
        ("2.3", "Scenario logic",
         "Scenarios are YAML files; a scenario may extend another and change only what differs. Overrides applied "
         f"to this run: {overrides}."),
        ("2.4", "Algorithms",
         "Arrivals are a non-homogeneous Poisson process sampled as Poisson counts per interval of at most an hour "
         "(exact where the rate is constant within the interval), with arrival times uniform inside it. Review times "
         "are drawn from the stated distribution. Between events that change what analysts can do (a batch of "
         "arrivals, a shift start) queues are worked by a compiled loop that reproduces an event-per-item model."),
        ("2.5", "Components",
         f"Entities: items (units: {', '.join(sorted({x.unit for x in s.demand}))}). Activities: review. Resources: "
         f"{', '.join(f'{t.team} ({t.headcount} analysts)' for t in s.workforce)}. Queues: one per team and "
         f"priority ({', '.join(s.priorities)}). Entry: {len(s.demand)} stream(s). Exit: assessed, cleared "
         "automatically, expired."),
        ("3.1", "Data sources",
         f"Published figures from capsim's figures table, each cited by id in the assumptions table: {figures_used}. "
         "Everything else is an assumption, marked as such."),
        ("3.2", "Pre-processing",
         "Yearly and monthly published counts are turned into rates per unit of simulated time (a year is 365.25 "
         "days); shares and times per item are derived from published totals by the functions in "
         "capsim.calibration, named in the table."),
        ("3.3", "Input parameters", "Every parameter, its value, unit and source is in the assumptions table."
         + uncertain_inputs_text(s)),
        ("3.4", "Assumptions", "Listed in the assumptions table (source “assumption”) and under Limitations."),
        ("4.1", "Initialisation",
         f"Warm-up: {warm}; items arriving during it are left out of the statistics but still occupy the queues. "
         + ("Items waiting at the start: " + ", ".join(f"{x.stream} {x.initial_backlog:,}" for x in s.demand
                                                       if x.initial_backlog) + "." if any(x.initial_backlog for x in s.demand)
            else "The system starts empty.")),
        ("4.2", "Run length", f"{horizon} of simulated time from {s.clock.start.isoformat()}, sampled every "
                              f"{format_duration(s.clock.step)} for the time series. After the horizon arrivals "
                              "stop and the work already arrived is finished on the same rosters (the run-out), so "
                              "that waits and SLA attainment count every item that arrived; backlogs, hours and "
                              "costs are as at the horizon."),
        ("4.3", "Estimation approach",
         f"{first.replications} independent replications with seed {first.seed}; each metric's mean with a "
         "Student-t 95% confidence interval across replications, and its 10th, 50th and 90th percentiles. Intervals "
         "for shares are shown clipped to 0–100% and counts at zero. "
         + ("Scenarios share the seed, so differences are paired replication by replication (common random numbers)."
            if len(results) > 1 else "")),
        ("5.1", "Software", f"capsim {versions.get('capsim', version())} (Python); {lib}."),
        ("5.2", "Random sampling",
         manifest.get("random_streams", "numpy SeedSequence per run, one stream per stochastic process")
         + ". Results do not depend on the number of worker processes."),
        ("5.3", "Model execution",
         "Discrete-event simulation with simpy for the processes that act over time (arrival batches, shift starts) "
         f"and a compiled queue loop between them; {manifest.get('workers', 1)} worker process(es); wall time "
         f"{manifest.get('wall_seconds', 'n/a')} s."),
        ("5.4", "System specification",
         f"Python {versions.get('python', 'n/a')}; run started {manifest.get('started', 'n/a')}."),
        ("6.1", "Computer model sharing statement",
         f"Scenario file {manifest.get('scenario_file', 'n/a')}, resolved scenario SHA-256 "
         f"{manifest.get('scenario_sha256', s.digest())}; the manifest.json beside this report holds the resolved "
         f"scenario and the command: {manifest.get('command', 'n/a')}."),
    ]
