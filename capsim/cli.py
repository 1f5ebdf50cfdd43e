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
from typing import Annotated, Optional

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
    "capsim models counts and durations only; it never handles content.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
out_console = Console()
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
    err_console.print(message, markup=False, highlight=False)
    raise typer.Exit(2)


def load(name: str, overrides: list[str] | None) -> tuple[Scenario, Path]:
    """Load a scenario for a command, turning any problem into a clean exit."""
    path = scenario_path(name)
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
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    result = run_with_progress(loaded, replications, seed, workers)
    target = out or Path("out") / loaded.name
    with atomic_folder(target) as folder:
        result.summary.to_csv(folder / "summary.csv", index=False)
        result.timeseries.to_csv(folder / "timeseries.csv", index=False)
        result.per_replication.to_csv(folder / "replications.csv", index=False)
        write_json(folder / "manifest.json", manifest(
            loaded, seed=result.seed, replications=result.replications, workers=workers, started=started,
            wall_seconds=time.perf_counter() - clock, source=str(path), overrides=set_ or [],
        ))
    print_headline(result)
    out_console.print(f"Wrote {target}/: summary.csv, timeseries.csv, replications.csv, manifest.json")


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
                      f"{len(loaded.workforce)} team(s), horizon {loaded.clock.horizon / 86400:g} days.", markup=False)


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


def main() -> None:
    """Entry point that turns an interrupt into a quiet exit."""
    try:
        app()
    except KeyboardInterrupt:
        err_console.print("interrupted; no output was written")
        sys.exit(130)


if __name__ == "__main__":
    main()
