"""The ``capsim`` command line.

Every command that simulates takes the same options: ``--out``, ``--replications``,
``--seed``, ``--workers`` and ``--set``. Bad input ends with one message per problem on
standard error and exit status 2, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import time
from pathlib import Path
import contextlib
from collections.abc import Callable, Iterator
from typing import Annotated, Optional

import pandas as pd

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from capsim.experiment import SimulationResult, simulate
from capsim.manifest import manifest
from capsim.output import atomic_folder, write_json
from capsim.scenario import Scenario, ScenarioError, load_scenario

app = typer.Typer(
    name="capsim",
    help="Analyst-hours capacity simulator: how growing volumes of material strain the review "
    "capacity of hotlines and police units, and what staff, tooling and money keep up. "
    "capsim models counts and durations only; it never handles content.\n\n"
    "Example: capsim run base --replications 20 --set workforce.analysts.headcount=16",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
out_console = Console()
if not out_console.is_terminal:  # piped or captured: tables at a width that keeps their columns whole
    out_console = Console(width=140)
err_console = Console(stderr=True)

SCENARIO_HELP = "A scenario file (YAML), or the name of a bundled one such as 'base'."
Replications = Annotated[Optional[int], typer.Option("--replications", "-r", min=1, help="Replications (default: the scenario's experiment.replications).")]
Seed = Annotated[Optional[int], typer.Option("--seed", "-s", min=0, help="Random seed (default: the scenario's experiment.seed).")]
Workers = Annotated[int, typer.Option("--workers", "-w", min=1, help="Local worker processes; results do not depend on it.")]
Sets = Annotated[Optional[list[str]], typer.Option("--set", help="Override a key: dotted.key=value, e.g. --set workforce.analysts.headcount=14. Repeatable.")]
Out = Annotated[Optional[Path], typer.Option("--out", "-o", help="Output folder (default: out/<scenario name>).")]

HEADLINE = [
    "arrivals", "assessed", "auto_cleared", "expired", "backlog_end", "wait_mean",
    "time_to_assessment_p90", "analyst_hours", "utilisation", "cost_total",
]


def bundled_folder() -> Path:
    """The folder of bundled scenarios: ./scenarios if present, else the one beside the package."""
    here = Path("scenarios")
    return here if here.is_dir() else Path(__file__).resolve().parents[1] / "scenarios"


def scenario_path(name: str) -> Path:
    """A path as given, or a bundled scenario's file for a bare name (``base``)."""
    path = Path(name)
    if path.exists() or path.suffix in {".yaml", ".yml"}:
        return path
    bundled = bundled_folder() / f"{name}.yaml"
    return bundled if bundled.exists() else path


def fail(message: str) -> None:
    """Print ``message`` on standard error and exit with status 2."""
    err_console.print(message, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def run_scenarios(
    loaded: list[tuple[Scenario, Path]], overrides: list[str] | None, replications: int | None, seed: int | None,
    workers: int,
) -> tuple[list[SimulationResult], list[dict]]:
    """Run scenarios all with one seed and number of replications (the first scenario's unless
    given), so that they share their random numbers; return the results and their manifests."""
    first = loaded[0][0]
    replications = replications or first.experiment.replications
    seed = first.experiment.seed if seed is None else seed
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    results = [run_with_progress(scenario, replications, seed, workers) for scenario, _ in loaded]
    records = [manifest(s, seed=seed, replications=replications, workers=workers, started=started,
                        wall_seconds=time.perf_counter() - clock, source=str(p), overrides=overrides or [])
               for s, p in loaded]
    return results, records


@contextlib.contextmanager
def output_folder(target: Path) -> Iterator[Path]:
    """A command's output folder, written all at once; one that cannot be written ends the command (exit 2)."""
    try:
        with atomic_folder(target) as folder:
            yield folder
    except OSError as err:
        fail(f"{target}: cannot write the output folder there ({err.strerror or err}); choose another with --out")


def load(name: str, overrides: list[str] | None) -> tuple[Scenario, Path]:
    """Load a scenario for a command, turning any problem into a clean exit."""
    path = scenario_path(name)
    if not path.exists() and path.suffix not in {".yaml", ".yml"}:
        bundled = ", ".join(p.stem for p in sorted(bundled_folder().glob("*.yaml"))) or "none"
        fail(f"{name}: no such scenario file, nor a bundled scenario of that name; bundled scenarios: {bundled}")
    try:
        return load_scenario(path, overrides or []), path
    except ScenarioError as err:
        fail(str(err))


def run_with_progress(scenario: Scenario, replications: int | None, seed: int | None, workers: int) -> SimulationResult:
    """Simulate with a progress bar on standard error (shown only on a terminal)."""
    total = replications or scenario.experiment.replications
    with Progress(
        TextColumn(f"{scenario.name}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=err_console, transient=True, disable=not err_console.is_terminal,
    ) as bar:
        task = bar.add_task("replications", total=total)
        try:
            return simulate(scenario, replications, seed, workers,
                            progress=lambda done, _: bar.update(task, completed=done))
        except ScenarioError as err:
            fail(str(err))


def format_value(value: float) -> str:
    """A number for a table: integers plainly, others to four significant figures."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if abs(value) >= 1000 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:.4g}"


def print_headline(result: SimulationResult) -> None:
    """The headline metrics with their 95% confidence intervals."""
    s = result.scenario
    table = Table(title=f"{s.name}: {result.replications} replications, seed {result.seed}", title_justify="left")
    for column in ("metric", "mean", "95% CI"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    wanted = HEADLINE[:6] + [m for m in result.summary.metric if m.startswith("sla_")] + HEADLINE[6:]
    for _, row in result.summary.set_index("metric").loc[wanted].iterrows():
        ci = "n/a" if math.isnan(row.ci_low) else f"{format_value(row.ci_low)} – {format_value(row.ci_high)}"
        table.add_row(row.name, format_value(row["mean"]), ci)
    out_console.print(table)
    out_console.print("Times in hours; cost in " + s.costs.currency + ".", style="dim")


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(help=SCENARIO_HELP)],
    out: Out = None,
    replications: Replications = None,
    seed: Seed = None,
    workers: Workers = 1,
    set_: Sets = None,
    no_report: Annotated[bool, typer.Option("--no-report", help="Write the tables only: no charts/ and no report.html.")] = False,
) -> None:
    """Simulate a scenario and write summary.csv, timeseries.csv, manifest.json, the charts
    (charts/, PNG and SVG) and report.html.

    Example: capsim run scenarios/base.yaml --replications 20 --set workforce.analysts.headcount=16
    """
    loaded, path = load(scenario, set_)
    result, target = simulate_and_write(loaded, path, out, replications, seed, workers, set_, report=not no_report)
    print_headline(result)
    written = RUN_FILES + (() if no_report else ("report.html", "charts/"))
    out_console.print(f"Wrote {target}/: {', '.join(written)}", soft_wrap=True)


RUN_FILES = ("summary.csv", "timeseries.csv", "replications.csv", "manifest.json")


def simulate_and_write(
    scenario: Scenario, path: Path, out: Path | None, replications: int | None, seed: int | None,
    workers: int, overrides: list[str] | None, extra: Callable[[SimulationResult], dict[str, pd.DataFrame]] | None = None,
    report: bool = False,
) -> tuple[SimulationResult, Path]:
    """Simulate, then write the run's files (and any ``extra`` tables; with ``report``, the
    charts and report.html) into one folder, atomically."""
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    result = run_with_progress(scenario, replications, seed, workers)
    target = out or Path("out") / scenario.name
    tables = {"summary.csv": result.summary, "timeseries.csv": result.timeseries,
              "replications.csv": result.per_replication, **(extra(result) if extra else {})}
    with output_folder(target) as folder:
        for name, table in tables.items():
            table.to_csv(folder / name, index=False)
        record = manifest(
            scenario, seed=result.seed, replications=result.replications, workers=workers, started=started,
            wall_seconds=time.perf_counter() - clock, source=str(path), overrides=overrides or [],
        )
        write_json(folder / "manifest.json", record)
        if report:
            from capsim.report import write_report

            write_report(folder, [result], [record], overrides=overrides or [])
    return result, target


@app.command()
def validate(
    scenario: Annotated[str, typer.Argument(help=SCENARIO_HELP)],
    set_: Sets = None,
) -> None:
    """Check a scenario file and explain every problem found.

    Example: capsim validate scenarios/base.yaml
    """
    loaded, path = load(scenario, set_)
    out_console.print(f"{path}: valid scenario {loaded.name!r}: {len(loaded.demand)} stream(s), "
                      f"{len(loaded.workforce)} team(s), horizon {loaded.clock.horizon / 86400:g} days.",
                      markup=False, soft_wrap=True)


@app.command()
def scenarios(
    folder: Annotated[Optional[Path], typer.Argument(help="Folder to list (default: the bundled scenarios).")] = None,
) -> None:
    """List the scenarios in a folder with their titles.

    Example: capsim scenarios
    """
    folder = folder or bundled_folder()
    files = sorted(folder.glob("*.yaml"))
    if not files:
        fail(f"{folder}: no scenario files (*.yaml) here")
    table = Table(show_header=True)
    table.add_column("file")
    table.add_column("title")
    for file in files:
        try:
            title = load_scenario(file).title or "(no title)"
        except ScenarioError as err:
            title = f"INVALID: {str(err).splitlines()[0]}"
        table.add_row(str(file), title)
    out_console.print(table)


@app.command()
def figures(
    search: Annotated[Optional[str], typer.Option("--search", help="Show only figures whose id, quantity, source or notes contain WORD.")] = None,
    show: Annotated[Optional[str], typer.Option("--id", help="Show one figure in full, with its source.")] = None,
) -> None:
    """List the published figures capsim uses, with their sources.

    Example: capsim figures --search iwf23
    """
    from capsim import calibration, figures as table_of_figures
    from capsim.figures import UnknownFigureError

    if show:
        try:
            value, unit, meaning = calibration.value_of(show), calibration.unit_of(show), calibration.explain(show)
        except UnknownFigureError as err:
            fail(str(err))
        lines = [f"{show} = {value:,.6g} {unit}", meaning]
        if show in table_of_figures.ids():
            f = table_of_figures.figure(show)
            lines += [f"{f.organisation}, {f.title} ({f.year}); status: {f.status}", f.url]
        else:
            lines.append("derived parameter (capsim.calibration)")
        out_console.print("\n".join(lines), markup=False, soft_wrap=True)
        return
    found = table_of_figures.search(search) if search else table_of_figures.all_figures()
    if not found:
        fail(f"no figure matches {search!r}; try a shorter word, or list them all with 'capsim figures'")
    table = Table(show_header=True)
    for column in ("id", "value", "unit", "year", "source", "status"):
        table.add_column(column, justify="right" if column == "value" else "left", overflow="fold")
    for f in found:
        table.add_row(f.id, f"{f.value:,.6g}", f.unit, str(f.year), f.organisation, f.status)
    out_console.print(table)
    out_console.print("Details and source address: capsim figures --id ID", style="dim")


@app.command()
def calibrate(
    target: Annotated[str, typer.Argument(help="A scenario with calibration targets, or the word 'growth'.")],
    series: Annotated[Optional[str], typer.Argument(help="With 'growth': a published series, or YEAR=VALUE,... points.")] = None,
    model: Annotated[str, typer.Option("--model", help="With 'growth': auto, count-ratio, exponential or logistic.")] = "auto",
    out: Out = None,
    replications: Replications = None,
    seed: Seed = None,
    workers: Workers = 1,
    set_: Sets = None,
) -> None:
    """Check a scenario against its published calibration targets, or fit growth to a series.

    capsim calibrate SCENARIO runs the scenario and prints, for each target, the published
    figure, the simulated mean with its 95% CI, the allowed range and pass or fail; it exits
    with status 1 if any target fails. capsim calibrate growth SERIES fits a growth curve,
    with its confidence interval, to a published yearly series and prints a scenario fragment.

    Examples: capsim calibrate scenarios/iwf-forum-2023.yaml
    capsim calibrate growth iwf-ai-reports
    capsim calibrate growth 2021=120,2022=190,2023=260,2024=410 --model logistic
    """
    if target == "growth":
        fit_growth(series, model)
        return
    if series is not None:
        fail(f"unexpected argument {series!r}: a second argument goes only with 'capsim calibrate growth SERIES'")
    from capsim.calibrate import check_targets

    loaded, path = load(target, set_)
    if not loaded.targets:
        fail(f"{path}: targets: this scenario declares no calibration targets "
             "(a list of {metric, published, tolerance or binomial_of})")
    result, folder = simulate_and_write(loaded, path, out, replications, seed, workers, set_,
                                        extra=lambda r: {"calibration.csv": check_targets(r)})
    checks = check_targets(result)
    table = Table(title=f"{loaded.name}: {result.replications} replications, seed {result.seed}", title_justify="left")
    for column in ("metric", "published", "simulated mean", "95% CI", "allowed", "result"):
        table.add_column(column, justify="left" if column in {"metric", "result"} else "right")
    for row in checks.itertuples():
        table.add_row(f"{row.metric}\n({row.published_id})", format_value(row.published), format_value(row.mean),
                      f"{format_value(row.ci_low)} – {format_value(row.ci_high)}",
                      f"{format_value(row.allowed_low)} – {format_value(row.allowed_high)}",
                      "pass" if row.passed else "FAIL")
    out_console.print(table)
    out_console.print(f"Wrote {folder}/calibration.csv", soft_wrap=True)
    if not checks.passed.all():
        raise typer.Exit(1)


def fit_growth(series: str | None, model: str) -> None:
    """Print the growth fit of a series, its interval and a scenario fragment."""
    import yaml

    from capsim import growth_fit

    known = ", ".join(growth_fit.known_series())
    if series is None:
        fail(f"name a series to fit: capsim calibrate growth SERIES; published series: {known}; "
             "or give your own points as YEAR=VALUE,YEAR=VALUE,...")
    try:
        if "=" in series:
            fit = growth_fit.fit_points(growth_fit.parse_points(series), model, name="your series")
        else:
            fit = growth_fit.fit_series(series, model)
    except (KeyError, ValueError, RuntimeError) as err:
        fail(str(err.args[0] if err.args else err))
    out_console.print(fit.summary(), markup=False, soft_wrap=True)
    out_console.print("\nScenario fragment (growth: of a stream):", markup=False)
    out_console.print(yaml.safe_dump({"growth": fit.to_fragment()}, sort_keys=False).rstrip(), markup=False)


SWEEP_HEADLINE = ["assessed", "backlog_end", "wait_mean", "time_to_assessment_p90", "utilisation"]


@app.command()
def sweep(
    scenario: Annotated[str, typer.Argument(help=SCENARIO_HELP)],
    grid: Annotated[list[str], typer.Option(
        "--grid", "-g", help="A key and the values it takes: dotted.key=v1,v2,... (values as in --set, with units, "
        "e.g. review.report.mean=60s,90s). Repeatable: every combination is a grid point.")],
    out: Out = None,
    replications: Replications = None,
    seed: Seed = None,
    executor: Annotated[str, typer.Option(
        "--executor", "-e", help="Where tasks run: local (processes on this machine) or dask (a Dask cluster).")] = "local",
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", help="With --executor dask: address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 "
        "(default: start a local cluster of --workers processes).")] = None,
    workers: Workers = 1,
    set_: Sets = None,
) -> None:
    """Run a scenario at every point of a grid of settings; each point × replication is one task.

    Every grid point runs with the same seed (common random numbers). Each finished task is
    written at once to OUT/tasks/, so an interrupted sweep, run again with the same command,
    runs only the tasks not yet done. When all are done it writes sweep_summary.csv (one row
    per grid point × metric), sweep_replications.csv and manifest.json; the tables are the same
    byte for byte whatever the executor and the number of workers. The output folder
    defaults to out/<scenario name>-sweep.

    Example: capsim sweep base --grid workforce.analysts.headcount=10,12,14 --grid review.report.mean=60s,90s --replications 10 --workers 2
    """
    import capsim.sweep as sweeping

    base, path = load(scenario, set_)
    remote = executor == "dask" and bool(scheduler)
    try:
        sweeping.check_options(executor, workers, scheduler)
        plan = sweeping.plan_sweep(path, sweeping.parse_grid(grid), replications, seed, set_ or [],
                                   workers=0 if remote else workers)
    except ScenarioError as err:
        fail(str(err))
    target = out or Path("out") / f"{base.name}-sweep"
    outcome: sweeping.SweepResult | sweeping.SweepFailed | None = None
    try:
        with Progress(
            TextColumn(f"{base.name} sweep"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=err_console, transient=True, disable=not err_console.is_terminal,
        ) as bar:
            task = bar.add_task("tasks", total=plan.total)
            try:
                outcome = sweeping.sweep(path, plan.grid, executor=executor, workers=workers, scheduler=scheduler,
                                         out=target, overrides=set_ or [], plan=plan,
                                         progress=lambda done, total: bar.update(task, completed=done, total=total))
            except sweeping.SweepFailed as err:
                outcome = err
            except ScenarioError as err:
                bar.stop()
                fail(str(err))
    except KeyboardInterrupt:
        err_console.print(f"interrupted; finished tasks are kept in {target}/{sweeping.TASKS}: run the same command "
                          "again to finish the sweep", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(130)
    if isinstance(outcome, sweeping.SweepFailed):
        err_console.print(f"{len(outcome.failures)} of {outcome.total} task(s) failed:", markup=False, highlight=False)
        for failure in outcome.failures:
            err_console.print(f"  {failure.describe()}", markup=False, highlight=False, soft_wrap=True)
        err_console.print(f"The other tasks' results are kept in {target}/{sweeping.TASKS}; tracebacks are in "
                          f"{target}/manifest.json. Fix the cause and run the same command again: only the "
                          "tasks without a result will run.", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    table = Table(title=f"{base.name}: {len(plan.points)} grid point(s) × {plan.replications} replications, "
                  f"seed {plan.seed} (means)", title_justify="left")
    keys = list(plan.grid)
    wanted = SWEEP_HEADLINE[:2] + [m for m in outcome.summary.metric.unique() if str(m).startswith("sla_")] + SWEEP_HEADLINE[2:]
    for column in ["point", *keys, *wanted]:
        table.add_column(column, justify="left" if column in keys else "right", overflow="fold")
    means = outcome.summary.pivot(index="point", columns="metric", values="mean")
    for point in plan.points:
        table.add_row(str(point.index), *(point.values[k] for k in keys),
                      *(format_value(means.loc[point.index, m]) if m in means.columns else "n/a" for m in wanted))
    out_console.print(table)
    out_console.print("Times in hours. Full table with 95% CIs: sweep_summary.csv.", style="dim")
    out_console.print(f"Wrote {target}/: {sweeping.SUMMARY_FILE}, {sweeping.REPLICATIONS_FILE}, "
                      f"{sweeping.MANIFEST_FILE}, {sweeping.TASKS}/ ({plan.total} tasks: {outcome.tasks_run} run now, "
                      f"{outcome.tasks_reused} kept from an earlier run)", soft_wrap=True, markup=False)


@app.command()
def compare(
    scenarios_: Annotated[list[str], typer.Argument(metavar="SCENARIO...", help="Two or more scenarios; differences are against the first.")],
    out: Out = None,
    replications: Replications = None,
    seed: Seed = None,
    workers: Workers = 1,
    set_: Sets = None,
) -> None:
    """Compare scenarios under common random numbers: each metric with its CI, and the paired
    difference against the first scenario with its CI. Writes comparison.csv.

    All scenarios run with the same seed and replications (the first scenario's, unless
    given), so they see the same arrivals; --set applies to every scenario.

    Example: capsim compare base scenarios/tooling-classifier.yaml --replications 20
    """
    from capsim.compare import compare as compare_results

    if len(scenarios_) < 2:
        fail("compare needs at least two scenarios, e.g. capsim compare base scenarios/tooling-classifier.yaml")
    loaded = [load(name, set_) for name in scenarios_]
    results, records = run_scenarios(loaded, set_, replications, seed, workers)
    first, seed, replications = results[0].scenario, results[0].seed, results[0].replications
    table = compare_results(results)
    target = out or Path("out") / ("compare-" + "-vs-".join(s.name for s, _ in loaded[:3]))
    with output_folder(target) as folder:
        table.to_csv(folder / "comparison.csv", index=False)
        pd.concat([r.summary for r in results]).to_csv(folder / "summary.csv", index=False)
        write_json(folder / "manifest.json", {"compared": records})
    shown = table[table.metric.isin(HEADLINE + [m for m in table.metric if m.startswith(("sla_", "victim_id"))])]
    view = Table(title=f"{len(results)} scenarios, {replications} replications, seed {seed}; "
                       f"difference against {first.name}", title_justify="left")
    for column in ("scenario", "metric", "mean", "95% CI", "difference", "95% CI of difference"):
        view.add_column(column, justify="left" if column in {"scenario", "metric"} else "right")
    for row in shown.itertuples():
        same = row.scenario == first.name
        view.add_row(row.scenario, row.metric, format_value(row.mean),
                     f"{format_value(row.ci_low)} – {format_value(row.ci_high)}",
                     "" if same else format_value(row.difference),
                     "" if same else f"{format_value(row.difference_ci_low)} – {format_value(row.difference_ci_high)}")
    out_console.print(view)
    out_console.print(f"Wrote {target}/comparison.csv", soft_wrap=True)


@app.command()
def report(
    scenarios_: Annotated[list[str], typer.Argument(metavar="SCENARIO...", help="One or more scenarios; with several, the report compares them with the first.")],
    out: Out = None,
    replications: Replications = None,
    seed: Seed = None,
    workers: Workers = 1,
    set_: Sets = None,
    headcounts: Annotated[Optional[str], typer.Option("--headcounts", help="Also run the first scenario at these headcounts, e.g. 10,12,14, and chart SLA attainment against headcount.")] = None,
    team: Annotated[Optional[str], typer.Option("--team", help="The team whose headcount --headcounts varies (default: the first team).")] = None,
) -> None:
    """Run one or more scenarios and write report.html: findings with their intervals, charts,
    the modelled flow, every assumption with its source, methods (STRESS-DES) and limitations.

    The report is one self-contained file that opens offline; the charts are also written to
    charts/ (PNG and SVG). All scenarios run with the same seed and replications (the first
    scenario's, unless given), so their differences are paired. The output folder defaults
    to out/<scenario name>-report.

    Example: capsim report base scenarios/growth-high.yaml --replications 10 --out out/report
    """
    from capsim.charts import headcount_sweep, paired_differences
    from capsim.report import headline_findings, write_report

    loaded = [load(name, set_) for name in scenarios_]
    first = loaded[0][0]
    counts: list[int] = []
    if headcounts is not None:
        try:
            counts = [int(c) for c in headcounts.split(",") if c.strip()]
        except ValueError:
            fail(f"--headcounts {headcounts!r}: give whole numbers separated by commas, e.g. 10,12,14")
        if not counts or min(counts) < 0:
            fail(f"--headcounts {headcounts!r}: give whole numbers of at least 0, e.g. 10,12,14")
        team = team or first.workforce[0].team
        if team not in [t.team for t in first.workforce]:
            fail(f"--team {team}: no such team in {first.name}; teams are {', '.join(t.team for t in first.workforce)}")
        if not first.sla:
            fail(f"--headcounts charts SLA attainment against headcount, but {first.name} sets no sla:")
    results, records = run_scenarios(loaded, set_, replications, seed, workers)
    seed, replications = results[0].seed, results[0].replications
    sweep = None
    if counts:
        try:
            sweep = headcount_sweep(first, team, counts, replications, seed, workers=workers)
        except ScenarioError as err:
            fail(str(err))
    target = out or Path("out") / ("-vs-".join(s.name for s, _ in loaded[:3]) + "-report")
    written = ["report.html", "charts/", "summary.csv"]
    with output_folder(target) as folder:
        pd.concat([r.summary for r in results]).to_csv(folder / "summary.csv", index=False)
        if len(results) > 1:
            paired_differences(results, [m for m in results[0].summary.metric
                                         if all(m in r.per_replication for r in results)]
                               ).to_csv(folder / "comparison.csv", index=False)
            written.append("comparison.csv")
        if sweep is not None:
            sweep.to_csv(folder / "headcount_sweep.csv", index=False)
            written.append("headcount_sweep.csv")
        write_json(folder / "manifest.json", records[0] if len(records) == 1 else {"compared": records})
        write_report(folder, results, records, overrides=set_ or [], sweep=sweep)
    for r in results:
        out_console.print(f"{r.scenario.name} ({replications} replications, seed {seed}):", markup=False)
        for line in headline_findings(r):
            out_console.print(f"  - {line}", markup=False, soft_wrap=True)
    out_console.print(f"Wrote {target}/: {', '.join(written + ['manifest.json'])}", soft_wrap=True, markup=False)


@app.command()
def sensitivity(
    scenario: Annotated[str, typer.Argument(help=SCENARIO_HELP)],
    params: Annotated[Optional[str], typer.Option("--params", "-p", help="Keys to vary, comma-separated, named as --set names them, e.g. workforce.analysts.headcount,review.report.mean (default: each stream's rate and growth, each review mean, each team's headcount, shrinkage and exposure cap, and the hash match rate if hashing is on).")] = None,
    swing: Annotated[float, typer.Option("--swing", help="Relative change each way: 0.2 runs each parameter at ×0.8 and ×1.2.")] = 0.2,
    metric: Annotated[Optional[str], typer.Option("--metric", "-m", help="The metric to report (default: the first SLA's attainment, else wait_mean).")] = None,
    out: Out = None,
    replications: Replications = None,
    seed: Seed = None,
    workers: Workers = 1,
    set_: Sets = None,
) -> None:
    """One-at-a-time sensitivity: run each parameter at value × (1 − swing) and × (1 + swing),
    all under the same seed (common random numbers), and rank them by their effect on a metric.

    Writes sensitivity.csv (parameter, low and high values as written, the metric at base, low
    and high with 95% CIs, effect = high − low with the CI of the paired difference) and the
    tornado chart (charts/tornado.png, .svg, .pdf). Values keep their units (90s → 72s and
    108s); headcounts are rounded. The output folder defaults to out/<scenario name>-sensitivity.

    Example: capsim sensitivity base --params workforce.analysts.headcount,review.report.mean --swing 0.2 -r 10
    """
    from capsim import charts
    from capsim import sensitivity as sens

    base, path = load(scenario, set_)
    keys = [k.strip() for k in params.split(",") if k.strip()] if params is not None else None
    if params is not None and not keys:
        fail("--params: name at least one dotted key, e.g. --params workforce.analysts.headcount")
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    with Progress(
        TextColumn(f"{base.name} sensitivity"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=err_console, transient=True, disable=not err_console.is_terminal,
    ) as bar:
        task = bar.add_task("runs", total=None)
        try:
            table = sens.sensitivity(base, keys, swing, metric, replications, seed, workers,
                                     progress=lambda done, total: bar.update(task, completed=done, total=total))
        except ScenarioError as err:
            bar.stop()
            fail(str(err))
    used_seed, used_reps = int(table.seed.iloc[0]), int(table.replications.iloc[0])
    target = out or Path("out") / f"{base.name}-sensitivity"
    with output_folder(target) as folder:
        table.to_csv(folder / "sensitivity.csv", index=False)
        charts.save(charts.tornado(table, base), folder / "charts" / "tornado")
        record = manifest(base, seed=used_seed, replications=used_reps, workers=workers, started=started,
                          wall_seconds=time.perf_counter() - clock, source=str(path), overrides=set_ or [])
        record["sensitivity"] = {"parameters": list(table.parameter), "swing": swing,
                                 "metric": str(table.metric.iloc[0])}
        write_json(folder / "manifest.json", record)
    name = str(table.metric.iloc[0])
    view = Table(title=f"{base.name}: {name} at ±{swing:.0%}, {used_reps} replications, seed {used_seed} "
                       "(largest effect first)", title_justify="left")
    for column in ("parameter", "low", "high", f"{name} at low", f"{name} at high", "effect (high − low)", "95% CI"):
        view.add_column(column, justify="left" if column in {"parameter", "low", "high"} else "right")
    for row in table.itertuples():
        view.add_row(row.parameter, str(row.low_value), str(row.high_value), format_value(row.low_mean),
                     format_value(row.high_mean), format_value(row.effect),
                     f"{format_value(row.effect_ci_low)} – {format_value(row.effect_ci_high)}")
    out_console.print(view)
    out_console.print(f"Base run: {format_value(table.base_mean.iloc[0])}. Wrote {target}/: sensitivity.csv, "
                      "charts/tornado.png, charts/tornado.svg, charts/tornado.pdf, manifest.json",
                      soft_wrap=True, markup=False)


@app.command()
def staff(
    scenario: Annotated[str, typer.Argument(help=SCENARIO_HELP)],
    team: Annotated[Optional[str], typer.Option("--team", "-t", help="Team to staff (default: the first team).")] = None,
    period: Annotated[str, typer.Option("--period", help="Planning period: quarter or year (or month).")] = "quarter",
    confidence: Annotated[float, typer.Option(
        "--confidence", help="Share of replications in which every SLA must be met, between 0 and 1, e.g. 0.9.")] = 0.9,
    max_headcount: Annotated[Optional[int], typer.Option(
        "--max-headcount", help="Largest headcount to try (default: 4 × the workload estimate).")] = None,
    out: Out = None,
    replications: Replications = None,
    seed: Seed = None,
    workers: Workers = 1,
    set_: Sets = None,
) -> None:
    """Find the smallest headcount, period by period, that meets every SLA, and when to hire.

    For each period in turn (earlier periods fixed at their plan) capsim simulates candidate
    headcounts under the same seed, with the team's attrition, hiring lead time and ramp, and
    keeps the smallest at which every SLA is met, for the items arriving in that period, in at
    least --confidence of the replications. New analysts start on a period's first day (the
    first period's are in post from the start of the run), so the hire-by date is that day
    minus the hiring lead time. Writes staffing_plan.csv, the plan as a chart
    (charts/staffing_plan.png, .svg, .pdf) and manifest.json. Where no headcount
    up to the bound meets the target it says why.

    Example: capsim staff base --team analysts --period quarter --confidence 0.9 --replications 20
    """
    from capsim.staffing import PERIOD_MONTHS, solve_staffing

    if not 0 < confidence < 1:
        fail(f"--confidence must be between 0 and 1 (exclusive), e.g. 0.9; got {confidence:g}")
    if period not in PERIOD_MONTHS:
        fail(f"--period must be one of {', '.join(PERIOD_MONTHS)}; got {period!r}")
    if max_headcount is not None and max_headcount < 1:
        fail(f"--max-headcount must be at least 1; got {max_headcount}")
    loaded, path = load(scenario, set_)
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    say = (lambda line: err_console.print(line, style="dim", markup=False, highlight=False)) if err_console.is_terminal else None
    try:
        plan = solve_staffing(loaded, team, period=period, confidence=confidence, max_headcount=max_headcount,
                              replications=replications, seed=seed, workers=workers, progress=say)
    except (ValueError, ScenarioError) as err:
        fail(f"{path}: {err}")
    table = plan.table()
    target = out or Path("out") / f"{loaded.name}-staffing"
    with output_folder(target) as folder:
        table.to_csv(folder / "staffing_plan.csv", index=False)
        from capsim import charts

        charts.save(charts.staffing_plan(table, loaded, plan.seed, plan.replications, team=plan.team),
                    folder / "charts" / "staffing_plan")
        info = manifest(loaded, seed=plan.seed, replications=plan.replications, workers=workers, started=started,
                        wall_seconds=time.perf_counter() - clock, source=str(path), overrides=set_ or [])
        info["staffing"] = {"team": plan.team, "period": period, "confidence": confidence,
                            "max_headcount": plan.max_headcount, "evaluations": plan.evaluations,
                            "changes": plan.changes()}
        write_json(folder / "manifest.json", info)
    shown = Table(title=f"{loaded.name}: team {plan.team}, {plan.replications} replications, seed {plan.seed}, "
                  f"SLAs met in ≥ {confidence:.0%} of replications", title_justify="left")
    slas = [s.priority for s in loaded.sla]
    for column in ["period", "from", "to", "headcount", "change", "hire by", *[f"sla_{p} (95% CI)" for p in slas],
                   "reps met", "met"]:
        shown.add_column(column, justify="left" if column in {"from", "to", "hire by", "met"} else "right")
    for row in table.itertuples(index=False):
        values = row._asdict()
        cells = [f"{format_value(values[f'sla_{p}'])} ({format_value(values[f'sla_{p}_ci_low'])}–"
                 f"{format_value(values[f'sla_{p}_ci_high'])})" for p in slas]
        shown.add_row(str(row.period), row.period_start, row.period_end, str(row.headcount), f"{row.change:+d}",
                      row.hire_by or "–", *cells, f"{row.replications_met:.0%}", "yes" if row.met else "NO")
    out_console.print(shown)
    for row in table.itertuples(index=False):
        if row.note:
            out_console.print(f"period {row.period}: {row.note}", markup=False, soft_wrap=True)
    out_console.print(f"As planned changes: workforce.{plan.team}.headcount: {plan.periods[0].headcount}, changes: "
                      + ", ".join(f"{{date: {c['date']}, headcount: {c['headcount']}}}" for c in plan.changes()[1:]),
                      markup=False, soft_wrap=True)
    out_console.print(f"{plan.evaluations} headcounts simulated. Wrote {target}/: staffing_plan.csv, "
                      "charts/staffing_plan.png, charts/staffing_plan.svg, charts/staffing_plan.pdf, manifest.json",
                      markup=False, soft_wrap=True)


@app.command()
def budget(
    scenarios: Annotated[list[str], typer.Argument(help="One or more scenarios (files or bundled names); "
                                                        "each is compared with the first.")],
    out: Out = None,
    replications: Replications = None,
    seed: Seed = None,
    workers: Workers = 1,
    set_: Sets = None,
) -> None:
    """Year-by-year FTE, hires and costs per scenario, with 95% CIs, and what each saves or costs against the first.

    Every scenario runs the same replications under the same seed (the first scenario's,
    unless --seed is given). Writes budget.csv (one row per scenario × calendar year, and
    'all'), budget_replications.csv, a chart of cost and FTE per year (charts/budget.png, .svg,
    .pdf) and manifest.json. --set applies to every scenario.

    Example: capsim budget base scenarios/growth-high.yaml --replications 20
    """
    from capsim.budget import budget as run_budget

    loaded = [load(name, set_) for name in scenarios]
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    first = loaded[0][0]
    with Progress(TextColumn("budget"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=err_console, transient=True, disable=not err_console.is_terminal) as bar:
        task = bar.add_task("replications", total=None)
        try:
            result = run_budget([s for s, _ in loaded], replications, seed, workers,
                                progress=lambda done, total: bar.update(task, completed=done, total=total))
        except ScenarioError as err:
            fail(str(err))
    target = out or Path("out") / f"{first.name}-budget"
    with output_folder(target) as folder:
        result.table.to_csv(folder / "budget.csv", index=False)
        result.per_replication.to_csv(folder / "budget_replications.csv", index=False)
        from capsim import charts

        charts.save(charts.budget_per_year(result.table, result.scenarios, result.seed, result.replications),
                    folder / "charts" / "budget")
        wall = time.perf_counter() - clock
        write_json(folder / "manifest.json", {"scenarios": [
            manifest(s, seed=result.seed, replications=result.replications, workers=workers, started=started,
                     wall_seconds=wall, source=str(p), overrides=set_ or []) for s, p in loaded]})
    currency = first.costs.currency
    shown = Table(title=f"Budget: {result.replications} replications, seed {result.seed}, {currency} "
                  "(means; 95% CI in budget.csv)", title_justify="left")
    columns = ["scenario", "year", "days", "FTE", "hires", "staff", "tooling", "total ± 95% CI", "per assessed"]
    if len(loaded) > 1:
        columns += ["FTE vs first", "total vs first ± 95% CI"]
    for column in columns:
        shown.add_column(column, justify="left" if column in {"scenario", "year"} else "right")

    def plus_minus(mean: float, high: float, signed: bool = False) -> str:
        half = "n/a" if math.isnan(high) else f"{high - mean:,.0f}"
        return f"{mean:+,.0f} ± {half}" if signed else f"{mean:,.0f} ± {half}"

    for row in result.table.itertuples(index=False):
        cells = [row.scenario, row.year, f"{row.days:g}", f"{row.fte:.2f}", format_value(row.hires), format_value(row.staff_cost),
                 format_value(row.tooling_cost), plus_minus(row.total_cost, row.total_cost_ci_high),
                 format_value(row.cost_per_assessed)]
        if len(loaded) > 1:
            if row.scenario == first.name:
                cells += ["–", "–"]
            else:
                cells += [f"{row.fte_vs_first:+.2f}",
                          plus_minus(row.total_cost_vs_first, row.total_cost_vs_first_ci_high, signed=True)]
        shown.add_row(*cells)
    out_console.print(shown)
    out_console.print("FTE: mean analysts in post (all teams); costs at each year's prices (costs.inflation); "
                      "'vs first': paired differences from the first scenario (negative saves).", style="dim")
    out_console.print(f"Wrote {target}/: budget.csv, budget_replications.csv, charts/budget.png, charts/budget.svg, "
                      "charts/budget.pdf, manifest.json", soft_wrap=True, markup=False)


def main() -> None:
    """Entry point that turns an interrupt into a quiet exit."""
    try:
        app()
    except KeyboardInterrupt:
        err_console.print("interrupted; no output was written")
        sys.exit(130)


if __name__ == "__main__":
    main()
