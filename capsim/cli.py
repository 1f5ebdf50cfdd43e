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
from collections.abc import Callable
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
) -> None:
    """Simulate a scenario and write summary.csv, timeseries.csv and manifest.json.

    Example: capsim run scenarios/base.yaml --replications 20 --set workforce.analysts.headcount=16
    """
    loaded, path = load(scenario, set_)
    result, target = simulate_and_write(loaded, path, out, replications, seed, workers, set_)
    print_headline(result)
    out_console.print(f"Wrote {target}/: {', '.join(RUN_FILES)}", soft_wrap=True)


RUN_FILES = ("summary.csv", "timeseries.csv", "replications.csv", "manifest.json")


def simulate_and_write(
    scenario: Scenario, path: Path, out: Path | None, replications: int | None, seed: int | None,
    workers: int, overrides: list[str] | None, extra: Callable[[SimulationResult], dict[str, pd.DataFrame]] | None = None,
) -> tuple[SimulationResult, Path]:
    """Simulate, then write the run's files (and any ``extra`` tables) into one folder, atomically."""
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    result = run_with_progress(scenario, replications, seed, workers)
    target = out or Path("out") / scenario.name
    tables = {"summary.csv": result.summary, "timeseries.csv": result.timeseries,
              "replications.csv": result.per_replication, **(extra(result) if extra else {})}
    try:
        with atomic_folder(target) as folder:
            for name, table in tables.items():
                table.to_csv(folder / name, index=False)
            write_json(folder / "manifest.json", manifest(
                scenario, seed=result.seed, replications=result.replications, workers=workers, started=started,
                wall_seconds=time.perf_counter() - clock, source=str(path), overrides=overrides or [],
            ))
    except OSError as err:
        fail(f"{target}: cannot write the output folder there ({err.strerror or err}); choose another with --out")
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
    byte for byte whatever the executor and the number of workers.

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
        fail("compare needs at least two scenarios, e.g. capsim compare base scenarios/tooling-hash.yaml")
    loaded = [load(name, set_) for name in scenarios_]
    first = loaded[0][0]
    replications = replications or first.experiment.replications
    seed = first.experiment.seed if seed is None else seed
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    results = [run_with_progress(scenario, replications, seed, workers) for scenario, _ in loaded]
    table = compare_results(results)
    target = out or Path("out") / ("compare-" + "-vs-".join(s.name for s, _ in loaded[:3]))
    try:
        with atomic_folder(target) as folder:
            table.to_csv(folder / "comparison.csv", index=False)
            pd.concat([r.summary for r in results]).to_csv(folder / "summary.csv", index=False)
            write_json(folder / "manifest.json", {
                "compared": [manifest(s, seed=seed, replications=replications, workers=workers, started=started,
                                      wall_seconds=time.perf_counter() - clock, source=str(p), overrides=set_ or [])
                             for s, p in loaded],
            })
    except OSError as err:
        fail(f"{target}: cannot write the output folder there ({err.strerror or err}); choose another with --out")
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


def main() -> None:
    """Entry point that turns an interrupt into a quiet exit."""
    try:
        app()
    except KeyboardInterrupt:
        err_console.print("interrupted; no output was written")
        sys.exit(130)


if __name__ == "__main__":
    main()
