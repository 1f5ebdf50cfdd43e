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
import unicodedata
from pathlib import Path
import contextlib
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from capsim import bundled
from capsim.manifest import manifest
from capsim.output import Claim, OutputError, claim, default_folder, symlink_note, write_manifest
from capsim.scenario import Scenario, ScenarioError, load_scenario, scenario_warnings
from capsim.version import version

if TYPE_CHECKING:  # the engine, pandas and numba load only when a command needs them
    import pandas as pd

    from capsim.experiment import SimulationResult

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
Out = Annotated[Optional[Path], typer.Option("--out", "-o", help="Output folder (default: out/<scenario name>). An existing folder is replaced only if it holds capsim's own earlier output of the same kind.")]

HEADLINE = [
    "arrivals", "assessed", "auto_cleared", "expired", "waiting", "backlog_end", "runout_days", "wait_mean",
    "time_to_assessment_p90", "analyst_hours", "utilisation", "utilisation_usable", "cost_total",
]


def scenario_path(name: str) -> Path:
    """A path as given, or the installed file of a bundled scenario for a bare name (``base``)."""
    path = Path(name)
    if path.exists() or path.suffix in {".yaml", ".yml"}:
        return path
    with contextlib.suppress(bundled.BundledScenarioError):
        return bundled.path(name)
    return path


def show_version(value: bool) -> None:
    """Print capsim's version (from the installed package) and exit, for ``capsim --version``."""
    if value:
        out_console.print(f"capsim {version()}", markup=False, highlight=False)
        raise typer.Exit()


@app.callback()
def options(
    show: Annotated[bool, typer.Option("--version", callback=show_version, is_eager=True,
                                       help="Show capsim's version and exit.")] = False,
) -> None:
    """Options that come before the command (``capsim --version``)."""


def printable(text: str) -> str:
    """``text`` with every control character but the line break written as an escape (``\\x1b``),
    so that nothing a user typed (a file name, a key) can move the cursor or recolour the terminal."""
    return "".join(c if c == "\n" or unicodedata.category(c) != "Cc" else repr(c)[1:-1] for c in text)


def fail(message: str) -> None:
    """Print ``message`` on standard error and exit with status 2."""
    err_console.print(printable(message), markup=False, highlight=False, soft_wrap=True)
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
def output_folder(claimed: Claim) -> Iterator[Path]:
    """A command's output folder, written all at once; one that cannot be written ends the command (exit 2)."""
    try:
        with claimed.write() as folder:
            yield folder
    except OSError as err:
        fail(f"{claimed.given}: cannot write the output folder there ({err.strerror or err}); choose another with --out")


def claim_output(ctx: typer.Context, out: Path | None, kind: str, names: list[str], *, prefix: str = "",
                 suffix: str = "") -> Claim:
    """Check and lock a command's output folder before any work: ``out``, or by default
    ``out/<prefix><safe names><suffix>`` (:mod:`capsim.output`). It stays locked until the
    command (``ctx``) ends; one that cannot be used ends the command (exit 2) with nothing written."""
    try:
        target = out if out is not None else default_folder(names, prefix=prefix, suffix=suffix)
        claimed = ctx.with_resource(claim(target, kind))
    except OutputError as err:
        fail(str(err))
    for note in claimed.notes:
        err_console.print(note, style="dim", markup=False, highlight=False, soft_wrap=True)
    return claimed


def load(name: str, overrides: list[str] | None) -> tuple[Scenario, Path]:
    """Load a scenario for a command, turning any problem into a clean exit."""
    path = scenario_path(name)
    if not path.exists() and path.suffix not in {".yaml", ".yml"}:
        names = ", ".join(bundled.names()) or "none"
        fail(f"{name}: no such scenario file, nor a bundled scenario of that name; bundled scenarios: {names}")
    try:
        loaded = load_scenario(path, overrides or [])
    except ScenarioError as err:
        fail(str(err))
    warn(f"{path}: warning: {line}" for line in scenario_warnings(loaded))
    return loaded, path


def warn(lines: Iterable[str]) -> None:
    """Print each line on standard error as it is (one line each); the command goes on."""
    for line in lines:
        err_console.print(printable(line), markup=False, highlight=False, soft_wrap=True)


def run_with_progress(scenario: Scenario, replications: int | None, seed: int | None, workers: int) -> SimulationResult:
    """Simulate with a progress bar on standard error (shown only on a terminal)."""
    from capsim.experiment import simulate

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
    ctx: typer.Context,
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
    result, target = simulate_and_write(ctx, loaded, path, out, replications, seed, workers, set_, report=not no_report)
    print_headline(result)
    written = RUN_FILES + (() if no_report else ("report.html", "charts/"))
    out_console.print(f"Wrote {target}/: {', '.join(written)}", soft_wrap=True)


RUN_FILES = ("summary.csv", "timeseries.csv", "replications.csv", "manifest.json")


def simulate_and_write(
    ctx: typer.Context, scenario: Scenario, path: Path, out: Path | None, replications: int | None, seed: int | None,
    workers: int, overrides: list[str] | None, extra: Callable[[SimulationResult], dict[str, pd.DataFrame]] | None = None,
    report: bool = False,
) -> tuple[SimulationResult, Path]:
    """Simulate, then write the run's files (and any ``extra`` tables; with ``report``, the
    charts and report.html) into one folder, atomically."""
    from capsim.experiment import check_size

    try:  # a run too large for this machine is refused before its output folder is touched
        check_size(scenario, min(workers, replications or scenario.experiment.replications),
                   replications or scenario.experiment.replications)
    except ScenarioError as err:
        fail(str(err))
    claimed = claim_output(ctx, out, "run", [scenario.name])
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    result = run_with_progress(scenario, replications, seed, workers)
    tables = {"summary.csv": result.summary, "timeseries.csv": result.timeseries,
              "replications.csv": result.per_replication, **(extra(result) if extra else {})}
    with output_folder(claimed) as folder:
        for name, table in tables.items():
            table.to_csv(folder / name, index=False)
        record = manifest(
            scenario, seed=result.seed, replications=result.replications, workers=workers, started=started,
            wall_seconds=time.perf_counter() - clock, source=str(path), overrides=overrides or [],
        )
        write_manifest(folder, "run", record)
        if report:
            from capsim.report import write_report

            write_report(folder, [result], [record], overrides=overrides or [])
    return result, claimed.given


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
    folder: Annotated[Optional[Path], typer.Argument(help="Folder to list (default: the bundled scenarios); "
                                                     "with --copy, the folder to write into.")] = None,
    copy: Annotated[Optional[str], typer.Option("--copy", metavar="NAME", help="Write bundled scenario NAME (and any "
                                                "it extends) into FOLDER as a starting point; never overwrites a file.")] = None,
) -> None:
    """List the bundled scenarios (or those in a folder) with their titles, or copy one out to edit.

    Example: capsim scenarios
    Copy one out to edit: capsim scenarios --copy base .
    """
    if copy is not None:
        copy_bundled(copy, folder)
        return
    files = sorted(p for p in (folder or bundled.folder()).glob("*.yaml") if p.is_file())  # never a FIFO or device
    if not files:
        fail(f"{folder}: no scenario files (*.yaml) here")
    table = Table(show_header=True)
    table.add_column("file" if folder else "scenario")
    table.add_column("title")
    for file in files:
        try:
            title = load_scenario(file).title or "(no title)"
        except ScenarioError as err:
            title = f"INVALID: {str(err).splitlines()[0]}"
        table.add_row(str(file) if folder else file.stem, title)
    out_console.print(table)
    if folder is None:
        out_console.print("Run one: capsim run NAME. Copy one out to edit: capsim scenarios --copy NAME FOLDER",
                          style="dim", markup=False)


def copy_bundled(name: str, folder: Path | None) -> None:
    """Write bundled scenario ``name`` (and the files it extends) into ``folder``, refusing to overwrite."""
    if folder is None:
        fail("--copy NAME needs the folder to write into: capsim scenarios --copy NAME FOLDER")
    try:
        written = bundled.copy(name, folder)
    except bundled.BundledScenarioError as err:
        fail(str(err))
    except OSError as err:
        fail(f"{folder}: cannot write the scenario there ({err.strerror or err}); name another folder")
    out_console.print(f"Wrote {', '.join(map(str, written))}; edit it, then check it: capsim validate {written[0]}",
                      markup=False, highlight=False, soft_wrap=True)


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
    ctx: typer.Context,
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
    result, folder = simulate_and_write(ctx, loaded, path, out, replications, seed, workers, set_,
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
    out_console.print("A consistency check, not validation: parameters derived from these same figures should "
                      "reproduce them (see docs/model.md, 'Consistency and out-of-sample checks').", soft_wrap=True)
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
    try:
        fragment = fit.to_fragment()
    except ValueError as err:  # not growing: no doubling time to write
        out_console.print(f"\nNo growth fragment: {err}. The series is not growing; keep the rate constant "
                          "(growth: {model: none}) or write a decline as growth: {model: linear, "
                          "increase_per_year: <negative share>}.", markup=False, soft_wrap=True)
        return
    out_console.print("\nScenario fragment (growth: of a stream):", markup=False)
    out_console.print(yaml.safe_dump({"growth": fragment}, sort_keys=False).rstrip(), markup=False)


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
                                   workers=0 if remote else workers, warn=lambda line: warn([line]))
    except ScenarioError as err:
        fail(str(err))
    try:
        target = out if out is not None else default_folder([base.name], suffix="-sweep")
    except OutputError as err:
        fail(str(err))
    if note := symlink_note(target):
        err_console.print(note, style="dim", markup=False, highlight=False, soft_wrap=True)
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
    ctx: typer.Context,
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
    import pandas as pd

    from capsim.compare import compare as compare_results

    if len(scenarios_) < 2:
        fail("compare needs at least two scenarios, e.g. capsim compare base scenarios/tooling-classifier.yaml")
    loaded = [load(name, set_) for name in scenarios_]
    claimed = claim_output(ctx, out, "compare", [s.name for s, _ in loaded[:3]], prefix="compare-")
    target = claimed.given
    results, records = run_scenarios(loaded, set_, replications, seed, workers)
    first, seed, replications = results[0].scenario, results[0].seed, results[0].replications
    table = compare_results(results)
    with output_folder(claimed) as folder:
        table.to_csv(folder / "comparison.csv", index=False)
        pd.concat([r.summary for r in results]).to_csv(folder / "summary.csv", index=False)
        write_manifest(folder, "compare", {"compared": records})
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
    ctx: typer.Context,
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
    import pandas as pd

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
    claimed = claim_output(ctx, out, "report", [s.name for s, _ in loaded[:3]], suffix="-report")
    target = claimed.given
    results, records = run_scenarios(loaded, set_, replications, seed, workers)
    seed, replications = results[0].seed, results[0].replications
    sweep = None
    if counts:
        try:
            sweep = headcount_sweep(first, team, counts, replications, seed, workers=workers)
        except ScenarioError as err:
            fail(str(err))
    written = ["report.html", "charts/", "summary.csv"]
    with output_folder(claimed) as folder:
        pd.concat([r.summary for r in results]).to_csv(folder / "summary.csv", index=False)
        if len(results) > 1:
            paired_differences(results, [m for m in results[0].summary.metric
                                         if all(m in r.per_replication for r in results)]
                               ).to_csv(folder / "comparison.csv", index=False)
            written.append("comparison.csv")
        if sweep is not None:
            sweep.to_csv(folder / "headcount_sweep.csv", index=False)
            written.append("headcount_sweep.csv")
        write_manifest(folder, "report", records[0] if len(records) == 1 else {"compared": records})
        write_report(folder, results, records, overrides=set_ or [], sweep=sweep)
    for r in results:
        out_console.print(f"{r.scenario.name} ({replications} replications, seed {seed}):", markup=False)
        for line in headline_findings(r):
            out_console.print(f"  - {line}", markup=False, soft_wrap=True)
    out_console.print(f"Wrote {target}/: {', '.join(written + ['manifest.json'])}", soft_wrap=True, markup=False)


@app.command()
def sensitivity(
    ctx: typer.Context,
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
    claimed = claim_output(ctx, out, "sensitivity", [base.name], suffix="-sensitivity")
    target = claimed.given
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
    with output_folder(claimed) as folder:
        table.to_csv(folder / "sensitivity.csv", index=False)
        charts.save(charts.tornado(table, base), folder / "charts" / "tornado")
        record = manifest(base, seed=used_seed, replications=used_reps, workers=workers, started=started,
                          wall_seconds=time.perf_counter() - clock, source=str(path), overrides=set_ or [])
        record["sensitivity"] = {"parameters": list(table.parameter), "swing": swing,
                                 "metric": str(table.metric.iloc[0])}
        write_manifest(folder, "sensitivity", record)
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
    ctx: typer.Context,
    scenario: Annotated[str, typer.Argument(help=SCENARIO_HELP)],
    team: Annotated[Optional[str], typer.Option("--team", "-t", help="Team to staff (default: the first team).")] = None,
    period: Annotated[str, typer.Option("--period", help="Planning period: quarter or year (or month).")] = "quarter",
    confidence: Annotated[float, typer.Option(
        "--confidence", help="Share of replications in which every SLA must be met, between 0 and 1, e.g. 0.9.")] = 0.9,
    never_reduce: Annotated[bool, typer.Option(
        "--never-reduce/--allow-reduce", help="Headcount never falls (the default); --allow-reduce lets it fall "
        "where the need does, through attrition (leavers not replaced).")] = True,
    max_hires: Annotated[Optional[int], typer.Option(
        "--max-hires", min=1, help="At most this many new seats a period (hiring ahead of need where it binds).")] = None,
    budget: Annotated[Optional[float], typer.Option(
        "--budget", min=0, help="Yearly salary budget for the team, in the scenario's currency: caps the seats at "
        "budget / costs.teams.<team>.annual_cost.")] = None,
    min_headcount: Annotated[int, typer.Option("--min", min=0, help="Smallest team size to plan.")] = 1,
    max_headcount: Annotated[Optional[int], typer.Option(
        "--max", "--max-headcount", help="Largest team size to plan or try (default: 4 × the workload estimate).")] = None,
    out: Out = None,
    replications: Replications = None,
    seed: Seed = None,
    workers: Workers = 1,
    set_: Sets = None,
) -> None:
    """Plan a team's headcount, period by period, to meet every SLA, and when to hire.

    For each period capsim finds the smallest headcount meeting every SLA of the team, for the
    items arriving in that period, in at least --confidence of the replications (all candidates
    run the same replications: common random numbers). The plan never lowers headcount (unless
    --allow-reduce) and respects --max-hires, --budget, --min and --max; it is then replayed as a
    whole and each period's attainment is that of the replay. New analysts start their training
    (the team's ramp) so as to be trained when their period begins; the hire-by date is that day
    less the hiring lead time, never before the run starts: a hire already late says by how many
    weeks, and what the wait is until the hires are in post.

    Writes staffing_plan.csv, plan.yaml (the team's headcount and changes: merge it into the
    scenario, or extend the scenario with it, to replay the plan), the plan as a chart
    (charts/staffing_plan.png, .svg, .pdf) and manifest.json.

    Exit status: 0 when every period meets its targets; 3 when some period cannot (no headcount
    up to the bound meets the target, or the limits keep the team below what it needs: shown as
    "—" with the reason and the best attainable level; the files are still written); 2 for bad
    input.

    Example: capsim staff base --team analysts --period quarter --confidence 0.9 --replications 20
    """
    import yaml
    from rich.progress import TaskProgressColumn, TimeElapsedColumn

    from capsim.staffing import PERIOD_MONTHS, Limits, solve_staffing

    if not 0 < confidence < 1:
        fail(f"--confidence must be between 0 and 1 (exclusive), e.g. 0.9; got {confidence:g}")
    if period not in PERIOD_MONTHS:
        fail(f"--period must be one of {', '.join(PERIOD_MONTHS)}; got {period!r}")
    if max_headcount is not None and max_headcount < max(min_headcount, 1):
        fail(f"--max must be at least 1 and at least --min ({min_headcount}); got {max_headcount}")
    loaded, path = load(scenario, set_)
    claimed = claim_output(ctx, out, "staff", [loaded.name], suffix="-staffing")
    target = claimed.given
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    limits = Limits(never_reduce=never_reduce, max_hires=max_hires, min_headcount=min_headcount,
                    max_headcount=max_headcount, budget=budget)
    with Progress(
        TextColumn(f"{loaded.name} staffing"), BarColumn(), TaskProgressColumn(), TextColumn("{task.description}"),
        TimeElapsedColumn(), TextColumn("elapsed,"), TimeRemainingColumn(), TextColumn("left"),
        console=err_console, transient=True, disable=not err_console.is_terminal,
    ) as bar:
        task = bar.add_task("", total=1.0)

        def progress(done: float, total: float, what: str) -> None:
            bar.update(task, completed=done, total=max(total, done, 1e-9),
                       description=f"{done:.0f} of ~{total:.0f} runs" + (f", trying {what}" if what else ""))

        try:
            plan = solve_staffing(loaded, team, period=period, confidence=confidence, replications=replications,
                                  seed=seed, workers=workers, progress=progress, limits=limits)
        except (ValueError, ScenarioError) as err:
            bar.stop()
            fail(f"{path}: {err}")
    table = plan.table()
    fragment = yaml.safe_dump(plan.fragment(), sort_keys=False, default_flow_style=None).rstrip()
    with output_folder(claimed) as folder:
        table.to_csv(folder / "staffing_plan.csv", index=False)
        (folder / "plan.yaml").write_text(
            f"# capsim staff {loaded.name}: the plan for team {plan.team} ({period}ly, SLAs met in >= "
            f"{confidence:.0%} of {plan.replications} replications, seed {plan.seed}).\n"
            f"# Merge it into the scenario (teams merge by name), or write a file with\n"
            f"# 'extends: <the scenario file>' above these lines, and run it to replay the plan.\n"
            f"{fragment}\n")
        from capsim import charts

        charts.save(charts.staffing_plan(table, loaded, plan.seed, plan.replications, team=plan.team),
                    folder / "charts" / "staffing_plan")
        info = manifest(loaded, seed=plan.seed, replications=plan.replications, workers=workers, started=started,
                        wall_seconds=time.perf_counter() - clock, source=str(path), overrides=set_ or [])
        info["staffing"] = {"team": plan.team, "period": period, "confidence": confidence,
                            "max_headcount": plan.max_headcount, "never_reduce": never_reduce,
                            "max_hires": max_hires, "budget": budget, "min_headcount": min_headcount,
                            "evaluations": plan.evaluations, "changes": plan.changes(), "attainable": plan.attainable}
        write_manifest(folder, "staff", info)
    required = math.ceil(confidence * plan.replications - 1e-9)
    shown = Table(title=f"{loaded.name}: team {plan.team}, {plan.replications} replications, seed {plan.seed}; "
                  f"a period is met when every SLA is, in at least {required} of {plan.replications} replications",
                  title_justify="left")
    slas = [c[len("sla_"):-len("_target")] for c in table.columns if c.startswith("sla_") and c.endswith("_target")]
    for column in ["period", "from", "to", "needed", "in post", "hires", "hire by",
                   *[f"sla_{p} (95% CI)" for p in slas], "reps met", "met"]:
        shown.add_column(column, justify="left" if column in {"from", "to", "hire by", "met"} else "right")
    for row in table.itertuples(index=False):
        values = row._asdict()
        cells = [f"{format_value(values[f'sla_{p}'])} ({format_value(values[f'sla_{p}_ci_low'])}–"
                 f"{format_value(values[f'sla_{p}_ci_high'])})" for p in slas]
        hire_by = row.hire_by or "–"
        if row.late_weeks:
            hire_by = f"now (late by {row.late_weeks} weeks)"
        needed = "—" if math.isnan(row.needed) else f"{row.needed:.0f}"
        shown.add_row(str(row.period), row.period_start, row.period_end, needed, str(row.headcount),
                      f"{row.hires:d}" if row.hires else ("–" if row.change == 0 else f"{row.change:+d}"), hire_by,
                      *cells, f"{round(row.replications_met * row.replications):d}/{row.replications}",
                      "yes" if row.met else "NO")
    out_console.print(shown)
    for row in table.itertuples(index=False):
        if row.note:
            out_console.print(f"period {row.period}: {row.note}", markup=False, soft_wrap=True)
    out_console.print("As planned changes (plan.yaml):\n" + fragment, markup=False, soft_wrap=True)
    out_console.print(f"{plan.evaluations} staffings simulated ({plan.runs:.0f} runs). Wrote {target}/: "
                      "staffing_plan.csv, plan.yaml, charts/staffing_plan.png, charts/staffing_plan.svg, "
                      "charts/staffing_plan.pdf, manifest.json", markup=False, soft_wrap=True)
    if not plan.attainable:
        err_console.print("Some period cannot meet its targets (—): exit status 3.", markup=False, highlight=False)
        raise typer.Exit(3)


@app.command()
def budget(
    ctx: typer.Context,
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
    .pdf) and manifest.json. --set applies to every scenario. The staff priced are those each
    scenario writes (headcount and planned changes), not sized to its SLAs: to size them first,
    run capsim staff and replay its plan.yaml.

    Example: capsim budget base scenarios/growth-high.yaml --replications 20
    """
    from capsim.budget import budget as run_budget

    loaded = [load(name, set_) for name in scenarios]
    first = loaded[0][0]
    claimed = claim_output(ctx, out, "budget", [first.name], suffix="-budget")
    target = claimed.given
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    with Progress(TextColumn("budget"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=err_console, transient=True, disable=not err_console.is_terminal) as bar:
        task = bar.add_task("replications", total=None)
        try:
            result = run_budget([s for s, _ in loaded], replications, seed, workers,
                                progress=lambda done, total: bar.update(task, completed=done, total=total))
        except ScenarioError as err:
            fail(str(err))
    with output_folder(claimed) as folder:
        result.table.to_csv(folder / "budget.csv", index=False)
        result.per_replication.to_csv(folder / "budget_replications.csv", index=False)
        from capsim import charts

        charts.save(charts.budget_per_year(result.table, result.scenarios, result.seed, result.replications),
                    folder / "charts" / "budget")
        wall = time.perf_counter() - clock
        write_manifest(folder, "budget", {"scenarios": [
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
    out_console.print("Staff as each scenario writes them (headcount and planned changes): a budget prices them and "
                      "does not check the SLAs. To size a team to its SLAs first, run capsim staff and replay its "
                      "plan.yaml.", style="dim")
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
