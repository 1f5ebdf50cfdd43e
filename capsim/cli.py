"""The ``capsim`` command line.

Every command that simulates takes the same options: ``--out``, ``--replications``,
``--seed``, ``--workers`` and ``--set``. Bad input ends with one message per problem on
standard error and exit status 2, never a traceback.

Why it is one module (over 1,000 lines): typer builds the command line from the functions
registered on one app, and the helpers the commands share (loading, output folders, progress
bars, tables, :func:`simulating`) belong to the command line alone; each command is one
function named as the command.
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
import os
import sys
import time
import typing
import unicodedata
from pathlib import Path
import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.cells import cell_len
from rich.console import Console, Group
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from capsim import bundled
from capsim.manifest import manifest, portable
from capsim.output import Claim, OutputError, claim, default_folder, symlink_note, write_manifest
from capsim.scenario import Scenario, ScenarioError, did_you_mean, load_scenario, name_warnings, scenario_warnings
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
PIPED_WIDTH = 140
"""Characters a line of output has when it is piped or captured and ``COLUMNS`` does not say:
wide enough to keep every table's columns whole."""
out_console = Console()  # its width: the terminal's, or ``COLUMNS`` when set (e.g. COLUMNS=80 capsim run base | cat)
if not out_console.is_terminal and not os.environ.get("COLUMNS", "").isdigit():
    out_console = Console(width=PIPED_WIDTH)
err_console = Console(stderr=True)

SCENARIO_HELP = "A scenario file (YAML), or the name of a bundled one such as 'base'."
Replications = Annotated[Optional[int], typer.Option("--replications", "-r", min=1, help="Replications (default: the scenario's experiment.replications).")]
Seed = Annotated[Optional[int], typer.Option("--seed", "-s", min=0, help="Random seed (default: the scenario's experiment.seed).")]
UsableWorkers = Annotated[Optional[int], typer.Option("--workers", "-w", min=1, help="Local worker processes; results do not depend on it. Default: the cores this process may use, at most one per replication and no more than fit in memory.")]
Sets = Annotated[Optional[list[str]], typer.Option("--set", metavar="KEY=VALUE", help="Override one scenario key (dotted path) for this command only, e.g. --set workforce.analysts.headcount=14 or --set clock.horizon=400d. Repeatable.")]


def out_folder(text: str) -> Path:
    """``--out`` as a path; an empty one is refused (exit 2), not read as the current folder as a path would."""
    if not text:
        fail("--out '': an empty --out is not a folder name; name the output folder, e.g. --out out/my-run")
    return Path(text)


Out = Annotated[Optional[Path], typer.Option("--out", "-o", parser=out_folder, metavar="<path>", help="Output folder (default: a folder under out/ named after the scenario and the command, e.g. out/base for run, out/base-report for report; for several scenarios the first three names joined by -vs-, e.g. out/growth-low-vs-growth-central-grant). An existing folder is replaced only if it holds capsim's own earlier output of the same kind and nothing else (if you added or changed a file in it, it is refused).")]

SIMULATION_OPTIONS: dict[str, tuple[object, object]] = {
    "out": (Out, None), "replications": (Replications, None), "seed": (Seed, None), "workers": (UsableWorkers, None),
    "set_": (Sets, None),
}
"""The options every command that simulates takes, by parameter name: (annotation, default)."""


def simulating(command: Callable) -> Callable:
    """Give ``command`` the options of :data:`SIMULATION_OPTIONS` (--out, --replications, --seed,
    --workers, --set), after its own. The command names them as bare keyword-only parameters
    (``*, out, replications, seed, workers, set_``); their flags, help and defaults come from here,
    unless the command gives one its own annotation and default."""
    signature = inspect.signature(command)
    missing = set(SIMULATION_OPTIONS) - set(signature.parameters)
    if missing:
        raise TypeError(f"{command.__name__} must take the keyword-only parameters {sorted(missing)}")
    hints = typing.get_type_hints(command, include_extras=True)
    own = [p.replace(annotation=hints.get(p.name, p.annotation)) for p in signature.parameters.values()
           if p.name not in SIMULATION_OPTIONS]
    declared = signature.parameters
    shared = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=kind, default=default)
              if declared[name].default is inspect.Parameter.empty
              else declared[name].replace(annotation=hints.get(name, declared[name].annotation))
              for name, (kind, default) in SIMULATION_OPTIONS.items()]
    command.__signature__ = signature.replace(parameters=[*own, *shared])
    command.__annotations__ = {p.name: p.annotation for p in [*own, *shared]}
    return command

HEADLINE = [
    "arrivals", "assessed", "auto_cleared", "expired", "waiting", "backlog_end", "runout_days", "wait_mean",
    "time_to_assessment_p90", "analyst_hours", "utilisation", "utilisation_usable", "cost_total",
]


def scenario_path(name: str) -> Path:
    """A path as given, or the installed file of a bundled scenario for a bare name (``base``),
    also when a folder of that name is in the way (an output folder ``base/``: a folder is never
    a scenario)."""
    path = Path(name)
    if (path.exists() and not path.is_dir()) or path.suffix in {".yaml", ".yml"}:
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
    ctx: typer.Context,
    show: Annotated[bool, typer.Option("--version", callback=show_version, is_eager=True,
                                       help="Show capsim's version and exit.")] = False,
) -> None:
    """Options that come before the command (``capsim --version``); the command then says if Ctrl-C stops it."""
    ctx.with_resource(interruption_said(ctx))


OUTPUT_META = "capsim.output"
"""Key of ``ctx.meta`` (shared by a command's contexts) under which :func:`claim_output` keeps the
command's :class:`~capsim.output.Claim` of its output folder, for :func:`interruption_said`."""


RESUMED_META = "capsim.resumed"
"""Key of ``ctx.meta`` under which a sweep or uncertainty command keeps its output folder, as given:
it is written task by task, and an interrupted one is finished by running it again."""


WRITTEN_META = "capsim.written"
"""Key of ``ctx.meta`` under which a sweep or uncertainty command keeps its output folder, as given,
once its output is complete there."""


def interrupted_line(meta: Mapping[str, Any]) -> str:
    """What Ctrl-C leaves, in one line, from what a command has put in its ``ctx.meta``. A command's
    output folder is written all at once (:mod:`capsim.output`): until it is in its place
    (:attr:`Claim.in_place <capsim.output.Claim.in_place>`) an interrupted command wrote nothing
    to it, and once it is, the output there is complete; a sweep's (:data:`RESUMED_META`) keeps its
    finished tasks until it is complete (:data:`WRITTEN_META`), and the same command finishes it."""
    claimed: Claim | None = meta.get(OUTPUT_META)
    written = meta.get(WRITTEN_META) or (claimed.given if claimed is not None and claimed.in_place else None)
    if written is not None:
        return f"interrupted; the output in {written} is complete: it was written before the interrupt"
    if (resumed := meta.get(RESUMED_META)) is not None:
        from capsim.sweep import TASKS  # the command that set ``resumed`` imported it already

        return f"interrupted; finished tasks are kept in {resumed}/{TASKS}: run the same command again to finish"
    if claimed is None:
        return "interrupted; no output was written"
    return f"interrupted: nothing written to {claimed.given}"


@contextlib.contextmanager
def interruption_said(ctx: typer.Context) -> Iterator[None]:
    """Around a command: on Ctrl-C print :func:`interrupted_line` (typer then exits with status 130).
    The workers a command started are stopped by then (:func:`capsim.pool.worker_pool`)."""
    try:
        yield
    except KeyboardInterrupt:
        err_console.print(printable(interrupted_line(ctx.meta)), markup=False, highlight=False, soft_wrap=True)
        raise


def printable(text: str) -> str:
    """``text`` with every control character but the line break written as an escape (``\\x1b``),
    so that nothing a user typed (a file name, a key) can move the cursor or recolour the terminal."""
    return "".join(c if c == "\n" or unicodedata.category(c) != "Cc" else repr(c)[1:-1] for c in text)


def fail(message: str) -> None:
    """Print ``message`` on standard error and exit with status 2."""
    err_console.print(printable(message), markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def usable_workers(workers: int | None, scenarios: Sequence[Scenario], replications: int | None) -> int:
    """``--workers`` as given, or by default the cores this process may use, at most one per
    replication and within memory (:func:`capsim.memory.default_workers`) for every one of
    ``scenarios`` at ``replications`` (default: the first scenario's, as :func:`run_scenarios`)."""
    if workers is not None:
        return workers
    from capsim.memory import default_workers

    replications = replications or scenarios[0].experiment.replications
    return min(default_workers(scenario, replications) for scenario in scenarios)


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
    """A command's output folder, written all at once; one that cannot be written, or that changed
    meanwhile so that the output is kept beside it (:meth:`Claim.write`), ends the command (exit 2)."""
    try:
        with claimed.write() as folder:
            yield folder
    except OutputError as err:
        fail(str(err))
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
    ctx.meta[OUTPUT_META] = claimed
    for note in claimed.notes:
        err_console.print(note, style="dim", markup=False, highlight=False, soft_wrap=True)
    return claimed


def load(name: str, overrides: list[str] | None) -> tuple[Scenario, Path]:
    """Load a scenario for a command, turning any problem into a clean exit."""
    path = scenario_path(name)
    if not path.exists() and path.suffix not in {".yaml", ".yml"}:
        names = ", ".join(bundled.names()) or "none"
        fail(f"{name}: no such scenario file, nor a bundled scenario of that name{did_you_mean(name, bundled.names())}; "
             f"bundled scenarios: {names}")
    try:
        loaded = load_scenario(path, overrides or [])
    except ScenarioError as err:
        fail(str(err))
    warn(f"{bundled.shown(path)}: warning: {line}" for line in scenario_warnings(loaded))
    return loaded, path


def warn(lines: Iterable[str]) -> None:
    """Print each line on standard error as it is (one line each); the command goes on."""
    for line in lines:
        err_console.print(printable(line), markup=False, highlight=False, soft_wrap=True)


class ProgressBar:
    """A progress bar's update, to pass as a ``progress(done, total)`` callback; ``stop()`` clears it."""

    def __init__(self, bar: Progress, task: object) -> None:
        self.bar, self.task = bar, task

    def __call__(self, done: float, total: float | None = None) -> None:
        self.bar.update(self.task, completed=done, **({} if total is None else {"total": total}))

    def stop(self) -> None:
        self.bar.stop()


@contextlib.contextmanager
def progress_bar(label: str, unit: str, total: float | None = None) -> Iterator[ProgressBar]:
    """A progress bar on standard error, shown only on a terminal: ``label``, then done of
    ``total`` ``unit`` (a total may also come with each update) and the time left."""
    with Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=err_console, transient=True, disable=not err_console.is_terminal,
    ) as bar:
        yield ProgressBar(bar, bar.add_task(unit, total=total))


def run_with_progress(scenario: Scenario, replications: int | None, seed: int | None, workers: int) -> SimulationResult:
    """Simulate with a progress bar on standard error (shown only on a terminal)."""
    from capsim.experiment import simulate

    with progress_bar(scenario.name, "replications", replications or scenario.experiment.replications) as bar:
        try:
            return simulate(scenario, replications, seed, workers, progress=lambda done, _: bar(done))
        except ScenarioError as err:
            fail(str(err))


def format_value(value: float) -> str:
    """A number for a table: integers plainly, others to four significant figures."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if abs(value) >= 1000 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:.4g}"


PROSE_WIDTH = 20
"""Characters a line of a prose column keeps before a number column wraps (:func:`fitted_widths`)."""
FOLDED_WIDTH = 8
"""Characters a long word (a name, a heading) keeps on a line before a table is stacked (:func:`stacked`);
a heading keeps each of its :func:`name_parts` whole, however long."""


def name_parts(word: str) -> list[str]:
    """``word`` cut after each dot, underscore and hyphen: the parts between which a table folds
    a scenario key, a metric id or a long name (``workforce.`` ``analysts.`` ``headcount``,
    ``time_`` ``to_`` ``assessment_`` ``p90``, ``report-`` ``growth``; :func:`names_broken`)."""
    return word.replace(".", ".\n").replace("_", "_\n").replace("-", "-\n").split("\n")


def numeral(word: str) -> bool:
    """``word`` is a number, a date or a range of them ("1,548,170", "(98.8%–100%)", "2024-01-29",
    "2/2"): it has a digit and no letter, so a table never folds it (:func:`measured`)."""
    return any(c.isdigit() for c in word) and not any(c.isalpha() for c in word)


def measured(columns: Sequence[Sequence[str]], numbers: Sequence[bool],
             keep: Sequence[int]) -> tuple[list[int], list[int], list[int]]:
    """For each column of a table (``columns[i]``: its heading, then its cells), in characters: its
    width (its longest line); its longest word, at least ``keep[i]`` and at most its width; and
    the least width that folds no number: its longest word that must stay whole (every word of a
    cell of a ``numbers`` column, and anywhere a :func:`numeral`) or, if longer, its longest word
    folded at :data:`FOLDED_WIDTH`, or the longest of its heading's :func:`name_parts` (a heading
    folds only between them: "time_to_" over "assessment_" over "p90", never "time_to_a" over "ssessment")."""
    lines = [[line for cell in column for line in cell.split("\n")] for column in columns]
    widths = [max([1, *(cell_len(line) for line in own)]) for own in lines]
    words = [min(width, max([held, *(cell_len(word) for line in own for word in line.split())]))
             for own, width, held in zip(lines, widths, keep)]
    least = [max([min(word, FOLDED_WIDTH), *(cell_len(part) for w in column[0].split() for part in name_parts(w)),
                  *(cell_len(w) for n, cell in enumerate(column) for w in cell.split() if numeral(w) or (number and n > 0))])
             for column, word, number in zip(columns, words, numbers)]
    return widths, words, least


def narrowed(widths: list[int], floors: Sequence[int], columns: Iterable[int], excess: int) -> int:
    """Take up to ``excess`` characters off ``columns`` of ``widths`` (in place), one at a time
    from the widest column still above its floor; what is left of ``excess``."""
    columns = list(columns)
    while excess > 0:
        above = [i for i in columns if widths[i] > floors[i]]
        if not above:
            break
        widths[max(above, key=lambda i: widths[i])] -= 1
        excess -= 1
    return excess


def fitted_widths(columns: Sequence[Sequence[str]], numbers: Sequence[bool], room: int,
                  keep: Sequence[int]) -> list[int]:
    """The width of each column of a table (``columns[i]``: its heading and cells) with ``room``
    characters for its text: each as wide as its longest line while they all fit. Where they do
    not, the widest columns narrow first, in this order until they fit: the prose columns (not
    ``numbers``) to :data:`PROSE_WIDTH` or their longest word; the number columns to their longest
    word or ``keep`` characters (a number with its interval wraps at its spaces, never inside a
    number); the prose columns to their longest word or ``keep``; every column to the least width
    that folds no number (:func:`measured`: long names fold at :data:`FOLDED_WIDTH`, headings between
    their :func:`name_parts`);
    and only then (a table :func:`stacked` could not split) every column in proportion to its
    width, a number folding at its digits. No column is narrower than one character, so a cell
    wraps or folds onto more lines and is never cut."""
    widths, words, least = measured(columns, numbers, keep)
    prose = [i for i, number in enumerate(numbers) if not number]
    figures = [i for i, number in enumerate(numbers) if number]
    steps = ((prose, [max(word, PROSE_WIDTH) for word in words]), (figures, words), (prose, words),
             (range(len(widths)), least))
    excess = sum(widths) - room
    for narrowing, floors in steps:
        excess = narrowed(widths, floors, narrowing, excess)
    if excess > 0:  # nothing fits whole: every column folds, in proportion to its width
        total = sum(widths)
        shares = [max(1, width * room // total) for width in widths]
        for i in sorted(range(len(widths)), key=lambda i: -(widths[i] * room % total))[:max(0, room - sum(shares))]:
            shares[i] += 1  # the characters left by rounding down, to the columns that lost most
        return shares
    return widths


def table_width(widths: Iterable[int]) -> int:
    """Characters a table takes whose columns have ``widths`` characters of text: with its borders
    and a space of padding either side of each cell."""
    widths = list(widths)
    return sum(widths) + 3 * len(widths) + 1


def stacked(least: Sequence[int], numbers: Sequence[bool], width: int) -> list[list[int]]:
    """The columns (indices) of each table of a stack that prints a table ``width`` characters wide
    with no number folded, top to bottom: the whole table when its columns fit at their ``least``
    widths (:func:`measured`). Otherwise each table of the stack repeats the columns that name a
    row (the first, and the prose columns, not ``numbers``, right after it) and takes as many of
    the others, in order, as fit; a column that fits with them in no table is one table's alone
    (and folds, :func:`fitted_widths`)."""
    if table_width(least) <= width:
        return [list(range(len(least)))]
    names = 1 + next((n for n, number in enumerate(numbers[1:]) if number), len(numbers) - 1)
    parts = [list(range(names))]
    for i in range(names, len(least)):
        if len(parts[-1]) > names and table_width(least[j] for j in [*parts[-1], i]) > width:
            parts.append(list(range(names)))
        parts[-1].append(i)
    return parts


def capsim_table(columns: Sequence[str], rows: Iterable[Sequence[str]], *, title: str | None = None,
                 numbers: Iterable[str] = (), keep: dict[str, int] | None = None) -> Group:
    """A table as every capsim command prints it, fitted to the terminal (:func:`fitted_widths`):
    a cell too wide for its column wraps at its spaces or, failing that, folds onto the next
    line; a number, a name or the end of a row is never cut short ("5,575,9…") or past the right
    edge, and a number or a date is never folded across lines: a table too wide for that is
    printed as a stack of tables, each repeating the columns that name a row (:func:`stacked`),
    the title above the first (only where one column beside those does not fit either, as on a
    terminal 40 columns wide, do numbers fold). Columns named in ``numbers`` are right-aligned and wrap only after
    the prose columns; ``keep``: the characters a column's heading keeps on one line while the
    table can give them (e.g. "within 72 h"). Cells and title are shown as written (no console
    markup)."""
    rows = [list(row) for row in rows]
    numbers, keep = set(numbers), keep or {}
    cells = [[column, *(row[i] for row in rows)] for i, column in enumerate(columns)]
    figures, held = [column in numbers for column in columns], [keep.get(c, 0) for c in columns]
    tables = []
    for part in stacked(measured(cells, figures, held)[2], figures, out_console.width):
        widths = fitted_widths([cells[i] for i in part], [figures[i] for i in part],
                               out_console.width - table_width([0] * len(part)), [held[i] for i in part])
        table = Table(title=None if title is None or tables else escape(title), title_justify="left")
        for i, width in zip(part, widths):  # a long name in a narrowed heading or prose column
            table.add_column(escape(names_broken(columns[i], width)),  # breaks at its dots, underscores and hyphens first
                             justify="right" if figures[i] else "left", width=width, overflow="fold")
        for row in rows:
            table.add_row(*(escape(row[i] if figures[i] else "\n".join(names_broken(line, width) for line in row[i].split("\n")))
                            for i, width in zip(part, widths)))
        tables.append(table)
    return Group(*tables)


def with_ci(mean: float, low: float, high: float, signed: bool = False) -> str:
    """An amount of money (its currency's units) for a table, with the ends of its 95% CI as the reports
    give them (:func:`_money_figures`): "12,300 (11,850 to 12,750)", "+0.30 (-500,000 to 500,000)"
    (``signed``); the mean alone where there is no interval or no spread (the caller says which under
    the table); "—" where there is no mean. (An interval is not symmetric: no "± half-width".)"""
    if math.isnan(mean):
        return "—"
    text = _money_figures(mean, signed)
    if not (math.isfinite(low) and math.isfinite(high)) or high - low <= 1e-9 * max(abs(high), 1):
        return text
    return f"{text} ({_money_figures(low)} to {_money_figures(high)})"


def _money_figures(value: float, signed: bool = False) -> str:
    """An amount of money (its currency's units) for a table, its figures as the report writes money
    (:func:`capsim.words.fmt`: whole from 100 up, to the cent below), with no currency: "2,750,000",
    "-400", "+0.30" (``signed``: "+" where positive); nil to the cent
    (:func:`~capsim.grant_notes.nil_cost`) "0", never signed: a difference that is not nil never reads
    as none."""
    from capsim.grant_notes import COST, nil_cost
    from capsim.words import fmt

    if nil_cost(value):
        return "0"
    sign = "-" if value < 0 else "+" if signed else ""
    return sign + fmt(COST, abs(value), currency="").strip()  # no currency: its figures alone


def cost_with_ci(shown: Mapping[str, float], signed: bool = False) -> str:
    """A grant cost, or a difference of costs, for the terminal's table, rounded as every grant output
    gives it (``shown``: its row of :func:`capsim.grant_notes.costs_shown`), with the ends of its 95% CI
    (:func:`with_ci`); the mean alone where the replications agree (the notes under the table say so)."""
    return with_ci(shown["mean"], math.nan if shown["fixed"] else shown["low"], shown["high"], signed)


def print_headline(result: SimulationResult) -> None:
    """The headline metrics, each in plain words beside its summary.csv name, written as the
    report writes them (:func:`capsim.words.fmt`: shares and utilisation in %) with its 95%
    confidence interval (:func:`capsim.words.interval`)."""
    from capsim.held_back import summary_figures
    from capsim.stopped_runout import stopped_runout_note
    from capsim.words import interval, mean_text, metric_label

    s, currency = result.scenario, result.scenario.costs.currency
    wanted = HEADLINE[:6] + [m for m in result.summary.metric if m.startswith("sla_")] + HEADLINE[6:]
    rows = result.summary.set_index("metric")
    out_console.print(capsim_table(
        ["metric", "what it is", "mean", "interval"],
        [[name, metric_label(name, s), mean_text(name, row["mean"], row.ci_low, row.ci_high, currency),
          interval(name, row.ci_low, row.ci_high, currency, ref=row["mean"])] for name, row in rows.loc[wanted].iterrows()],
        title=f"{s.name}: {result.replications} replications, seed {result.seed}", numbers=["mean", "interval"]))
    out_console.print(f"Times in hours (run-out in days); cost in {currency}. Metric names as in summary.csv.", style="dim")
    if note := stopped_runout_note(s, summary_figures(result.summary)):  # the waits above are lower bounds
        out_console.print(note, soft_wrap=True, markup=False, highlight=False)
    for sla in s.sla:  # an SLA share that is NaN in every replication: say why, not "one replication"
        name = f"sla_{sla.priority}"
        if name in rows.index and math.isnan(rows.loc[name, "mean"]):
            out_console.print(f"{name}: in none of the {result.replications} replications did any {sla.priority} item "
                              "from the streams have a known outcome; it counts the streams' items at their intake "
                              f"team, not referrals (sla_{sla.priority}_<team> counts those at each team).",
                              style="dim", soft_wrap=True, markup=False)
    if len(s.workforce) > 1:
        print_team_table(result, rows)
    print_year_table(result)
    print_staff_notes(s, rows)


def print_year_table(result: SimulationResult) -> None:
    """For a run over more than one calendar year: each year at its own level, as the report's
    year-by-year table gives it (:func:`capsim.report.years.year_columns`; the share within each
    deadline, not also the share beyond it), mean and 95% interval, so that the whole run's
    figures above are not read as any one year's. A part year too short to judge a team by
    (:func:`capsim.periods.too_short`) keeps its row, as in the report, and a note under the table says so."""
    from capsim.charts.by_year import measured_span, stub_labels, too_short_note, year_labels
    from capsim.report.years import year_cell, year_columns

    span = measured_span(result.scenario)
    if result.period_summary.empty or not span:
        return
    columns = [(metric, heading) for metric, heading, longer in year_columns(result) if not longer]

    def cell(metric: str, period: str) -> str:
        value = year_cell(result, metric, period, False)
        if value is None:
            return "—"
        mean, ci = value  # an interval where there is one; the caption says what it is
        return f"{mean} ({ci.removeprefix('95% CI ')})" if ci.startswith("95% CI ") else mean

    labels = year_labels(result, shortest_days=0)  # every period, as the report's table
    out_console.print(capsim_table(
        ["year", *(heading for _, heading in columns)],
        [[label, *(cell(metric, period) for metric, _ in columns)] for period, label in labels.items()],
        title=f"By calendar year: the figures above are {span}; each year at its own level, "
              + ("one replication (no interval)" if result.replications == 1 else
                 "mean (95% interval; the mean alone where every replication gave the same)"),
        numbers=[heading for _, heading in columns]))
    if stubs := stub_labels(result):
        out_console.print(too_short_note(stubs), style="dim", soft_wrap=True, markup=False)


TEAM_COLUMNS = {"assessed": "assessed", "wait_mean": "mean wait (h)", "backlog_end": "waiting at the end",
                "utilisation_usable": "busy (usable hours)",
                "exposure_hours_per_analyst_day": "review h per analyst-shift"}
"""The per-team metrics a run with several teams shows (``<metric>_<team>``), with their headings."""


def print_team_table(result: SimulationResult, rows: pd.DataFrame) -> None:
    """Each team's items assessed, mean wait, items waiting at the end, utilisation of its usable
    hours and hours of review per analyst-shift, over the items that arrived at it (its streams' and the referrals it received), each
    mean with its 95% interval; then, for a team fed by one that is behind, why its figures hold
    only for the work passed on (:func:`capsim.held_back.held_back_notes`). ``rows``: the run's
    summary indexed by metric."""
    from capsim.charts.by_year import year_means
    from capsim.held_back import held_back_notes, summary_figures
    from capsim.metric_names import METRIC_DESCRIPTIONS
    from capsim.staff_notes import exposure_caps, past_shift_end
    from capsim.words import with_interval

    s, currency = result.scenario, result.scenario.costs.currency

    def cell(name: str) -> str:
        if name not in rows.index:
            return "n/a"
        row = rows.loc[name]
        return with_interval(name, row['mean'], row.ci_low, row.ci_high, currency)

    out_console.print(capsim_table(
        ["team", *TEAM_COLUMNS.values()],
        [[t.team, *(cell(f"{metric}_{t.team}") for metric in TEAM_COLUMNS)] for t in s.workforce],
        title="Per team: the items that arrived at each (its streams' and the referrals it received), timed from "
              "their arrival there; mean (95% interval)", numbers=list(TEAM_COLUMNS.values())))
    mean = lambda name: float(rows.loc[name, "mean"]) if name in rows.index else math.nan
    over = [t.team for t in s.workforce if mean(f"utilisation_usable_{t.team}") > 1]
    if over:  # why: the metric's description's second sentence where a cap limits usable hours, else the shift's end
        capped = any(exposure_caps(s)[team] is not None for team in over)
        why = (METRIC_DESCRIPTIONS["utilisation_usable"].split(". ", 1)[-1] if capped
               else f"With no daily exposure cap, {past_shift_end(len(over) > 1)}")
        out_console.print(f"Busy over 100% ({', '.join(over)}): the share of usable hours, utilisation_usable. {why}.",
                          markup=False, soft_wrap=True, highlight=False)
    for note in held_back_notes(s, summary_figures(rows.reset_index()), year_means(result, summary_figures)):
        out_console.print(note, markup=False, soft_wrap=True, highlight=False)


def print_order_conflict(scenario: Scenario, team: str, table: pd.DataFrame) -> None:
    """Under a staffing plan: the first period where strict priority order meets one SLA with
    slack while another misses (:func:`capsim.staff_notes.priority_conflicts`)."""
    from capsim.staff_notes import priority_conflicts

    for row in table.to_dict("records"):
        lines = priority_conflicts(scenario, row, team=team)
        if lines:
            out_console.print(f"period {row['period']}: {lines[0]}", markup=False, soft_wrap=True, highlight=False)
            return


def print_staff_notes(scenario: Scenario, summary: pd.DataFrame) -> None:
    """Heads (and FTE where they differ), utilisation in words with its intervals, and any SLA
    that strict priority order sacrifices (:mod:`capsim.staff_notes`), under a run's table;
    ``summary``: the run's summary indexed by metric."""
    from capsim.staff_notes import priority_conflicts, staff_lines, utilisation_line

    nan = (math.nan,) * 3
    shares = [tuple(summary.loc[m, ["mean", "ci_low", "ci_high"]]) if m in summary.index else nan
              for m in ("utilisation", "utilisation_usable")]
    lines = staff_lines(scenario) + [utilisation_line(scenario, *shares)]
    for line in [*lines, *priority_conflicts(scenario, summary["mean"].to_dict())]:
        if line:
            out_console.print(line, markup=False, soft_wrap=True, highlight=False)


@app.command()
@simulating
def run(
    ctx: typer.Context,
    scenario: Annotated[str, typer.Argument(help=SCENARIO_HELP)],
    no_report: Annotated[bool, typer.Option("--no-report", help="Write the tables only: no charts/ and no report.html.")] = False,
    *, out, replications, seed, workers, set_,  # SIMULATION_OPTIONS
) -> None:
    """Simulate a scenario and write summary.csv, timeseries.csv, manifest.json, the charts
    (charts/, PNG and SVG) and report.html.

    Example: capsim run scenarios/base.yaml --replications 20 --set workforce.analysts.headcount=16
    """
    loaded, path = load(scenario, set_)
    if loaded.uncertain:  # a run uses their central values; the two-level run is its own command
        from capsim.report.stress_des import at_medians

        warn([f"{bundled.shown(path)}: note: {at_medians(loaded)}; capsim uncertainty {scenario} samples them"])
    result, target = simulate_and_write(ctx, loaded, path, out, replications, seed, workers, set_, report=not no_report)
    print_headline(result)
    written = RUN_FILES + (() if no_report else ("report.html", "charts/"))
    out_console.print(f"Wrote {target}/: {', '.join(written)}", soft_wrap=True)


RUN_FILES = ("summary.csv", "timeseries.csv", "replications.csv", "manifest.json")


def simulate_and_write(
    ctx: typer.Context, scenario: Scenario, path: Path, out: Path | None, replications: int | None, seed: int | None,
    workers: int | None, overrides: list[str] | None,
    extra: Callable[[SimulationResult], dict[str, pd.DataFrame]] | None = None, report: bool = False,
) -> tuple[SimulationResult, Path]:
    """Simulate on ``workers`` processes (None: :func:`usable_workers`), then write the run's files
    (and any ``extra`` tables; with ``report``, the charts and report.html) into one folder, atomically."""
    from capsim.experiment import check_size

    workers = usable_workers(workers, [scenario], replications)
    try:  # a run too large for this machine is refused before its output folder is touched
        check_size(scenario, min(workers, replications or scenario.experiment.replications),
                   replications or scenario.experiment.replications)
    except ScenarioError as err:
        fail(str(err))
    claimed = claim_output(ctx, out, "run", [scenario.name])
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    result = run_with_progress(scenario, replications, seed, workers)
    tables = {"summary.csv": result.summary_by_period(), "timeseries.csv": result.timeseries,
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

            write_report(folder, [result], [record], overrides=overrides or [], workers=workers)
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
    warn(f"{bundled.shown(path)}: warning: {line}" for line in name_warnings(loaded))  # the commands that write refuse it
    out_console.print(f"{bundled.shown(path)}: valid scenario {loaded.name!r}: {len(loaded.demand)} stream(s), "
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
    rows = []
    for file in files:
        try:
            title = load_scenario(file).title or "(no title)"
        except ScenarioError as err:
            title = f"INVALID: {str(err).splitlines()[0]}"
        rows.append([str(file) if folder else file.stem, title])
    out_console.print(capsim_table(["file" if folder else "scenario", "title"], rows))
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
        fail(f"{folder}: cannot write the scenario there ({err.strerror or err}); nothing was written; "
             "name another folder")
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
    from capsim.sources import STATUS_MEANINGS, status_text

    if show:
        try:
            value, unit, meaning = calibration.value_of(show), calibration.unit_of(show), calibration.explain(show)
        except UnknownFigureError as err:
            fail(str(err))
        lines = [f"{show} = {value:,.6g} {unit}", meaning]
        if show in table_of_figures.ids():
            f = table_of_figures.figure(show)
            lines += [f"{f.organisation}, {f.title} ({f.year}); status: {status_text(f)}: "
                      f"{STATUS_MEANINGS[status_text(f)]}", f.url]
        else:
            lines.append("derived parameter (capsim.calibration)")
        out_console.print("\n".join(lines), markup=False, soft_wrap=True)
        return
    found = table_of_figures.search(search) if search else table_of_figures.all_figures()
    if not found:
        fail(f"no figure matches {search!r}; try a shorter word, or list them all with 'capsim figures'")
    out_console.print(capsim_table(["id", "value", "unit", "year", "source", "status"],
                                   [[f.id, f"{f.value:,.6g}", f.unit, str(f.year), f.organisation, status_text(f)]
                                    for f in found], numbers=["value"]))
    out_console.print("Status: " + "; ".join(f"{status}: {meaning}" for status, meaning in STATUS_MEANINGS.items())
                      + ".", markup=False, soft_wrap=True)
    out_console.print("Details and source address: capsim figures --id ID", style="dim")


def share_option(option: str, text: str) -> float:
    """A share given on the command line as a number (0.85) or a percentage ("85%"); bad input fails."""
    from capsim.scenario import _percent_a_year

    try:
        return float(_percent_a_year(text))
    except ValueError:
        fail(f"{option} {text!r} is not a share: write a number between 0 and 1 or a percentage, e.g. 0.85 or 85%")


@app.command()
@simulating
def calibrate(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="A scenario with calibration targets, or the word 'growth'.")],
    series: Annotated[Optional[str], typer.Argument(help="With 'growth': a published series, or YEAR=VALUE,... points.")] = None,
    model: Annotated[str, typer.Option("--model", help="With 'growth': auto, count-ratio, exponential or logistic.")] = "auto",
    hold_out: Annotated[int, typer.Option("--hold-out", min=1, help="With 'backtest': the last years left out of the fit and predicted.")] = 1,
    utilisation: Annotated[str, typer.Option("--utilisation", help="With 'team': share of usable review hours the team spends reviewing today, above 0 and at most 1 (0.85 or 85%).")] = "0.85",
    team: Annotated[Optional[str], typer.Option("--team", "-t", help="With 'team': the team (default: the first).")] = None,
    *, out, replications, seed, workers, set_,  # SIMULATION_OPTIONS
) -> None:
    """Check a scenario against its published calibration targets, or fit growth to a series.

    capsim calibrate SCENARIO runs the scenario and prints, for each target, the published
    figure, the simulated mean with its 95% CI, the allowed range and pass or fail; it exits
    with status 1 if any target fails. capsim calibrate growth SERIES fits a growth curve,
    with its confidence interval, to a published yearly series and prints a scenario fragment.

    Examples: capsim calibrate scenarios/iwf-forum-2023.yaml
    capsim calibrate growth iwf-ai-reports
    capsim calibrate growth pooled (the AI report series pooled: the growth-*.yaml scenarios' fit)
    capsim calibrate growth 2021=120,2022=190,2023=260,2024=410 --model logistic
    capsim calibrate backtest iwf-reports-assessed --hold-out 2
    capsim calibrate team one-team --utilisation 0.85
    (team SCENARIO: the review time per item that the team's own volume, headcount, shifts,
    exposure cap and shrinkage imply if it keeps up at --utilisation, and what that implies.)
    (backtest SERIES: fit without the last --hold-out years, predict them with a 95% prediction
    interval and say whether each published value falls inside.)
    """
    if target == "growth":
        fit_growth(series, model)
        return
    if target == "backtest":
        backtest_growth(series, hold_out)
        return
    if target == "team":
        calibrate_team(series, team, share_option("--utilisation", utilisation), set_)
        return
    if series is not None:
        fail(f"unexpected argument {series!r}: a second argument goes only with 'capsim calibrate growth SERIES'")
    from capsim.calibrate import check_targets

    loaded, path = load(target, set_)
    if not loaded.targets:
        fail(f"{bundled.shown(path)}: targets: this scenario declares no calibration targets "
             "(a list of {metric, published, tolerance or binomial_of})")
    result, folder = simulate_and_write(ctx, loaded, path, out, replications, seed, workers, set_,
                                        extra=lambda r: {"calibration.csv": check_targets(r)})
    checks = check_targets(result)
    out_console.print(capsim_table(
        ["metric", "published", "simulated mean", "95% CI", "allowed", "result"],
        [[f"{row.metric}\n({row.published_id})", format_value(row.published), format_value(row.mean),
          f"{format_value(row.ci_low)} – {format_value(row.ci_high)}",
          f"{format_value(row.allowed_low)} – {format_value(row.allowed_high)}", "pass" if row.passed else "FAIL"]
         for row in checks.itertuples()],
        title=f"{loaded.name}: {result.replications} replications, seed {result.seed}",
        numbers=["published", "simulated mean", "95% CI", "allowed"]))
    out_console.print("A consistency check, not validation: parameters derived from these same figures should "
                      "reproduce them (see docs/model.md, 'Consistency and out-of-sample checks').", soft_wrap=True)
    out_console.print(f"Wrote {folder}/calibration.csv", soft_wrap=True)
    if not checks.passed.all():
        raise typer.Exit(1)


def calibrate_team(scenario: str | None, team: str | None, utilisation: float, overrides: list[str] | None) -> None:
    """Print the review time a team's own numbers imply, its assumption and a scenario fragment."""
    import yaml

    from capsim.team_calibration import calibrate_team as derive

    if scenario is None:
        fail("name the scenario: capsim calibrate team SCENARIO (e.g. a copy of the one-team template: "
             "capsim scenarios --copy one-team .)")
    loaded, path = load(scenario, overrides)
    try:
        derived = derive(loaded, team, utilisation)
    except ValueError as err:
        fail(f"{bundled.shown(path)}: {err}")
    out_console.print(derived.summary(), markup=False, soft_wrap=True)
    out_console.print("\nScenario fragment (replace the review time with it):", markup=False)
    out_console.print(yaml.safe_dump(derived.fragment(), sort_keys=False, default_flow_style=None).rstrip(),
                      markup=False)


def fit_growth(series: str | None, model: str) -> None:
    """Print the growth fit of a series, its interval and a scenario fragment."""
    import yaml

    from capsim import growth_fit

    known = ", ".join(growth_fit.known_series())
    if series is None:
        fail(f"name a series to fit: capsim calibrate growth SERIES; published series: {known}; "
             "or give your own points as YEAR=VALUE,YEAR=VALUE,...")
    if series == "pooled":  # every AI report series, pooled (growth_fit.AI_REPORT_SERIES)
        out_console.print(growth_fit.fit_pooled().summary(), markup=False, soft_wrap=True)
        return
    try:
        if "=" in series:
            fit = growth_fit.fit_points(growth_fit.parse_points(series), model, name="your series")
        else:
            fit = growth_fit.fit_series(series, model)
    except (KeyError, ValueError, RuntimeError) as err:
        fail(str(err.args[0] if err.args else err))
    out_console.print(fit.summary(), markup=False, soft_wrap=True)
    if "=" in series and fit.n == 2:
        from capsim.calibration import two_point_growth_interval

        growth, low, high = two_point_growth_interval(growth_fit.parse_points(series))
        warn([f"warning: two points give a rate ({growth:+.0%} a year) but cannot give an honest interval: the "
              "one above counts only Poisson chance, far less than yearly totals move. If your counts scatter "
              f"around their trend as the IWF's reports assessed did in 2012-2024, the 95% interval is {low:+.0%} "
              f"to {high:+.0%} a year. Give three or more years for an interval from their own scatter, and "
              "run scenarios at both ends."])
    try:
        fragment = fit.to_fragment()
    except ValueError as err:  # not growing: no doubling time to write
        out_console.print(f"\nNo growth fragment: {err}. The series is not growing; keep the rate constant "
                          "(growth: {model: none}) or write a decline as growth: {model: linear, "
                          "increase_per_year: <negative share>}.", markup=False, soft_wrap=True)
        return
    out_console.print("\nScenario fragment (growth: of a stream):", markup=False)
    out_console.print(yaml.safe_dump({"growth": fragment}, sort_keys=False).rstrip(), markup=False)


def backtest_growth(series: str | None, hold_out: int) -> None:
    """Print the back-test of a growth series: fit without its last years, predict them."""
    from capsim import growth_fit

    if series is None:
        fail("name a series to back-test: capsim calibrate backtest SERIES; published series: "
             f"{', '.join(growth_fit.known_series())}; or give your own points as YEAR=VALUE,YEAR=VALUE,...")
    try:
        if "=" in series:
            test = growth_fit.backtest(growth_fit.parse_points(series), hold_out, name="your series")
        else:
            test = growth_fit.backtest_series(series, hold_out)
    except (KeyError, ValueError) as err:
        fail(str(err.args[0] if err.args else err))
    out_console.print(test.summary(), markup=False, soft_wrap=True)


SWEEP_HEADLINE = ["assessed", "backlog_end", "wait_mean", "time_to_assessment_p90", "utilisation_usable", "cost_total"]


@app.command()
def sweep(
    ctx: typer.Context,
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
    workers: Annotated[Optional[int], typer.Option(
        "--workers", "-w", min=1, help="Local worker processes (with --executor dask, of its local cluster; not used "
        "with --scheduler); results do not depend on it. Default: the cores this process may use, at most one per "
        "task (grid point × replication) and no more than fit in memory at every grid point.")] = None,
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
        sweeping.check_options(executor, workers or 1, scheduler)
        plan = sweeping.plan_sweep(path, sweeping.parse_grid(grid), replications, seed, set_ or [],
                                   workers=0 if remote else workers, warn=lambda line: warn([line]))
    except ScenarioError as err:
        fail(str(err))
    workers = (workers or 1) if remote else plan.workers  # as given, or chosen by plan_sweep within memory
    try:
        target = out if out is not None else default_folder([base.name], suffix="-sweep")
    except OutputError as err:
        fail(str(err))
    if note := symlink_note(target):
        err_console.print(note, style="dim", markup=False, highlight=False, soft_wrap=True)
    outcome: sweeping.SweepResult | sweeping.SweepFailed | None = None
    ctx.meta[RESUMED_META] = target  # Ctrl-C from here on keeps the finished tasks (interrupted_line)
    with progress_bar(f"{base.name} sweep", "tasks", plan.total) as bar:
        try:
            outcome = sweeping.sweep(path, plan.grid, executor=executor, workers=workers, scheduler=scheduler,
                                     out=target, overrides=set_ or [], plan=plan, progress=bar)
        except sweeping.SweepFailed as err:
            outcome = err
        except ScenarioError as err:
            bar.stop()
            fail(str(err))
    if isinstance(outcome, sweeping.SweepFailed):
        err_console.print(f"{len(outcome.failures)} of {outcome.total} task(s) failed:", markup=False, highlight=False)
        for failure in outcome.failures:
            err_console.print(f"  {failure.describe()}", markup=False, highlight=False, soft_wrap=True)
        err_console.print(f"The other tasks' results are kept in {target}/{sweeping.TASKS}; tracebacks are in "
                          f"{target}/manifest.json. Fix the cause and run the same command again: only the "
                          "tasks without a result will run.", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    ctx.meta[WRITTEN_META] = target  # complete: Ctrl-C from here on leaves it so (interrupted_line)
    from capsim.compare import definition_notes
    from capsim.side_effects import varied_side_effects

    keys = list(plan.grid)
    scenarios = [point.scenario for point in plan.points]
    slas = [m for m in outcome.summary.metric.unique() if str(m).startswith("sla_")]
    side = [m for m in varied_side_effects(scenarios) if m in set(outcome.summary.metric)]  # beside the savings
    wanted = SWEEP_HEADLINE[:2] + slas + side + SWEEP_HEADLINE[2:]
    rows = outcome.summary.set_index(["point", "metric"])
    currency = base.costs.currency
    out_console.print(capsim_table(
        ["point", *keys, *wanted],
        [[str(point.index), *(point.values[k] for k in keys),
          *(sweep_cell(m, rows.loc[(point.index, m)], currency) if (point.index, m) in rows.index else "n/a"
            for m in wanted)]
         for point in plan.points],
        title=f"{base.name}: {len(plan.points)} grid point(s) × {plan.replications} replications, seed {plan.seed} "
              "(means" + (" and, below each, its 95% CI)" if plan.replications > 1 else ")"), numbers=["point", *wanted]))
    out_console.print(f"Times in hours; shares in %; cost in {currency}. " + (
                      "Full table: sweep_summary.csv." if plan.replications > 1 else
                      "Full table: sweep_summary.csv, with no 95% CIs: one replication a point gives no run-to-run "
                      "spread to measure them by (run -r 2 or more)."), style="dim")
    notes: dict[str, list[str]] = {}  # as capsim compare says them: each note once, after the columns it is about
    for metric, note in definition_notes(scenarios, [f"point {p.index}" for p in plan.points]).items():
        if metric in wanted:
            notes.setdefault(note, []).append(metric)
    for note, metrics in notes.items():
        out_console.print(f"{', '.join(metrics)}: {note}", markup=False, soft_wrap=True)
    out_console.print(f"Wrote {target}/: {sweeping.SUMMARY_FILE}, {sweeping.REPLICATIONS_FILE}, "
                      f"{sweeping.MANIFEST_FILE}, {sweeping.TASKS}/ ({plan.total} tasks: {outcome.tasks_run} run now, "
                      f"{outcome.tasks_reused} kept from an earlier run)", soft_wrap=True, markup=False)


def sweep_cell(metric: str, row: Any, currency: str) -> str:
    """A grid point's metric in the sweep table, as ``capsim run`` writes it (:func:`capsim.words.fmt`:
    shares in %, cost with its currency), its 95% CI on the line below as :func:`capsim.words.interval` writes it
    ("99.9%\\n97.3% to 100%, upper end held at the 100% maximum"); the
    mean alone where there is no interval (one replication), "(in every replication)" below it where
    the replications agree."""
    from capsim.words import interval, interval_bounds, mean_text

    mean = mean_text(metric, row["mean"], row.ci_low, row.ci_high, currency)
    if interval_bounds(metric, row.ci_low, row.ci_high, currency, ref=row["mean"]) is None:
        same = math.isfinite(row.ci_low) and row.ci_low == row.ci_high
        return mean + ("\n(in every replication)" if same else "")
    return f"{mean}\n{interval(metric, row.ci_low, row.ci_high, currency, ref=row['mean'], named=False)}"


def difference_interval_cell(row: Any, said: str, bounds: str) -> str:
    """The compare table's "95% CI of difference" cell: ``bounds`` ("+760 to +2,705"), or why there
    is no interval, kept short as the column is (:func:`capsim.words.why_no_interval`): "+25,946 in every
    replication" (not "+25,946 to +25,946"), "0 in every replication", "one replication: no interval".
    ``said``: the difference as its own cell writes it; "n/a" where it is not measured (NaN)."""
    from capsim.words import why_no_interval

    if not math.isfinite(row.difference):
        return "n/a"
    why = why_no_interval(row.difference, row.difference_ci_low, row.difference_ci_high)
    if why is None:
        return bounds
    return f"{said} in every replication" if math.isfinite(row.difference_ci_low) else why  # (one replication)


@app.command()
@simulating
def compare(
    ctx: typer.Context,
    scenarios_: Annotated[list[str], typer.Argument(metavar="SCENARIO...", help="Two or more scenarios; differences are against the first.")],
    *, out, replications, seed, workers, set_,  # SIMULATION_OPTIONS
) -> None:
    """Compare scenarios under common random numbers: each metric with its CI, and the paired
    difference against the first scenario with its CI. Writes comparison.csv, the same paired
    within each calendar year in comparison_by_year.csv, and summary.csv as capsim run writes it
    (each scenario's whole run, period all, then each calendar year).

    All scenarios run with the same seed and replications (the first scenario's, unless
    given), so they see the same arrivals; --set applies to every scenario.

    Example: capsim compare base scenarios/tooling-classifier.yaml --replications 20
    """
    import pandas as pd

    from capsim.compare import compare as compare_results
    from capsim.compare import compare_by_year, scenario_labels, team_changes, team_lines

    if len(scenarios_) < 2:
        fail("compare needs at least two scenarios, e.g. capsim compare base scenarios/tooling-classifier.yaml")
    loaded = [load(name, set_) for name in scenarios_]
    workers = usable_workers(workers, [s for s, _ in loaded], replications)
    claimed = claim_output(ctx, out, "compare", [s.name for s, _ in loaded], prefix="compare-")
    target = claimed.given
    results, records = run_scenarios(loaded, set_, replications, seed, workers)
    first, seed, replications = results[0].scenario, results[0].seed, results[0].replications
    changes = team_changes(results)  # each team's own queue: for the notes and the lines alike
    table, by_year = compare_results(results, changes), compare_by_year(results)
    with output_folder(claimed) as folder:
        table.to_csv(folder / "comparison.csv", index=False)
        by_year.to_csv(folder / "comparison_by_year.csv", index=False)
        pd.concat([r.summary_by_period() for r in results]).to_csv(folder / "summary.csv", index=False)
        write_manifest(folder, "compare", {"compared": records})
    from capsim.compare import referral_balance
    from capsim.side_effects import SIDE_EFFECT_DESCRIPTIONS

    balance = referral_balance(table)  # the detector's expected effect beside the change in referrals
    shown = table[table.metric.isin(HEADLINE + ["backlog_mean", *SIDE_EFFECT_DESCRIPTIONS]
                                    + (["referred"] if balance else [])
                                    + [m for m in table.metric if m.startswith(("sla_", "victim_id"))])]
    from capsim.compare import definition_notes, held_difference_words, unlike_difference
    from capsim.charts.compare import difference_words, team_label
    from capsim.words import interval, mean_text, metric_label, signed

    currency = first.costs.currency
    relabelled = definition_notes([r.scenario for r in results])
    labelled = dict(zip(scenario_labels(results), results))  # the table's scenario column: base, base (2)
    in_first = set(table.metric[table.scenario == first.name])  # a metric the first lacks has no difference
    before = table[table.scenario == first.name].set_index("metric")["mean"]  # the levels differences move from
    rows = []
    for row in shown.itertuples():  # as run and the report write them: shares in %, differences of shares in points
        same = row.scenario == first.name  # later runs of its name: "base (2)"
        result = labelled[row.scenario]
        unlike = (unlike_difference(row.metric, relabelled, list(table.metric))  # a difference of other items: not shown
                  if row.metric in in_first else f"n/a: not measured in {first.name}")
        # the difference and its bounds in the same decimals; times in hours, as the table's note says
        (d, low, high), unit = difference_words(row.metric, row.difference, row.difference_ci_low,
                                                row.difference_ci_high, "h")
        points = " points" if unit == "points" else ""
        rows.append([row.scenario, team_label(row.metric, result.scenario),
                     mean_text(row.metric, row.mean, row.ci_low, row.ci_high, currency),
                     interval(row.metric, row.ci_low, row.ci_high, currency, ref=row.mean, named=False),  # as run writes it
                     "" if same else unlike or d + points,
                     "" if same or unlike else difference_interval_cell(
                         row, d + points, f"{low} to {high}{points}" + held_difference_words(
                             row.metric, before.get(row.metric, math.nan), row.difference_ci_low,
                             row.difference_ci_high))])
        waits = result.summary[result.summary.metric == "wait_mean_missed_harmful"]
        if row.metric == "harmful_missed" and not waits.empty:  # still assessed, later: their wait beside them
            w = waits.iloc[0]
            rows.append([row.scenario, metric_label(w.metric), mean_text(w.metric, w["mean"], w.ci_low, w.ci_high),
                         interval(w.metric, w.ci_low, w.ci_high, ref=w["mean"], named=False), "", ""])
    numbers = ["mean", "95% CI", "difference", "95% CI of difference"]
    out_console.print(capsim_table(["scenario", "metric", *numbers], rows, numbers=numbers,
                                   title=f"{len(results)} scenarios, {replications} replications, seed {seed}; "
                                         f"difference against {first.name}"))
    out_console.print(f"Times in hours (run-out in days); shares in %, their differences in percentage points; "
                      f"cost in {currency}. comparison.csv gives each metric by its name in summary.csv.", style="dim",
                      soft_wrap=True)
    from capsim.charts.compare import what_differs, year_difference_lines

    if differing := what_differs([r.scenario for r in results], scenario_labels(results)):  # not one setting's doing
        out_console.print(differing, soft_wrap=True, markup=False)
    for name, lines in team_lines(results, changes).items():  # a total can hide one team's queue growing: each team's own
        if lines:
            out_console.print(f"{name} against {first.name}, each team's own queue where it differs beyond its paired "
                              "95% CI:\n" + "\n".join(f"  {line}" for line in lines), soft_wrap=True, markup=False)
    for name, lines in year_difference_lines(results, by_year).items():  # a tool may matter in one year, not another
        if lines:
            out_console.print(f"{name} against {first.name}, by calendar year where the paired difference changes sign "
                              "or significance between years (comparison_by_year.csv):\n"
                              + "\n".join(f"  {line}" for line in lines), soft_wrap=True, markup=False)
    unpaired = list(dict.fromkeys(p for r in results for p in r.period_summary.get("period", []) if p not in
                                  set(by_year.period)))
    if unpaired:
        out_console.print(f"comparison_by_year.csv leaves out {', '.join(unpaired)}: the runs do not measure the "
                          f"same part of {'it' if len(unpaired) == 1 else 'them'} (another warm-up, start or horizon), "
                          f"so {'it does' if len(unpaired) == 1 else 'they do'} not pair.", style="dim",
                          soft_wrap=True, markup=False)
    notes: dict[str, list[str]] = {}  # each note once, after every metric it is about
    for row in shown.itertuples():
        if row.note and row.metric not in notes.setdefault(row.note, []):
            notes[row.note].append(row.metric)
    for note, metrics in notes.items():
        out_console.print(f"{', '.join(metrics)}: {note}", style="dim", soft_wrap=True, markup=False)
    for name, (expected, d, low, high) in balance.items():
        (said, *bounds), _ = difference_words("referred", d, low, high)
        ci = f" (95% CI {bounds[0]} to {bounds[1]})" if math.isfinite(low) else ""
        out_console.print(f"{name}: referrals change by {said}{ci} against {first.name}; the change the "
                          f"detector's holdbacks are expected to cause is {signed(expected)} (minus the expected real "
                          "referrals lost and synthetic referrals avoided above): the drawn change differs from it by "
                          "chance, each referral being a random draw.", soft_wrap=True, markup=False)
    out_console.print(f"Wrote {target}/: comparison.csv, comparison_by_year.csv, summary.csv, manifest.json",
                      soft_wrap=True)


@app.command()
@simulating
def report(
    ctx: typer.Context,
    scenarios_: Annotated[list[str], typer.Argument(metavar="SCENARIO...", help="One or more scenarios; with several, the report compares them with the first.")],
    headcounts: Annotated[Optional[str], typer.Option("--headcounts", help="Also run the first scenario at these headcounts, e.g. 10,12,14, and chart SLA attainment against headcount.")] = None,
    team: Annotated[Optional[str], typer.Option("--team", help="The team whose headcount --headcounts varies (default: the first team).")] = None,
    what_it_takes: Annotated[bool, typer.Option("--what-it-takes", help="Where the first scenario misses a target, plan the analysts that would meet it (the staffing solver) and run that what-if beside it.")] = False,
    *, out, replications, seed, workers, set_,  # SIMULATION_OPTIONS
) -> None:
    """Run one or more scenarios and write report.html: findings with their intervals, charts,
    the modelled flow, every assumption with its source, methods (STRESS-DES) and limitations.

    The report is one self-contained file that opens offline; the charts are also written to
    charts/ (PNG and SVG). All scenarios run with the same seed and replications (the first
    scenario's, unless given), so their differences are paired; with several, comparison.csv is
    the table capsim compare writes. The output folder defaults to out/<scenario name>-report.

    Example: capsim report base scenarios/growth-high.yaml --replications 10 --out out/report
    """
    import pandas as pd

    from capsim.charts import headcount_sweep
    from capsim.compare import compare as compare_results
    from capsim.compare import compare_by_year
    from capsim.report import headline_findings, write_report

    loaded = [load(name, set_) for name in scenarios_]
    workers = usable_workers(workers, [s for s, _ in loaded], replications)
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
    claimed = claim_output(ctx, out, "report", [s.name for s, _ in loaded], suffix="-report")
    target = claimed.given
    results, records = run_scenarios(loaded, set_, replications, seed, workers)
    seed, replications = results[0].seed, results[0].replications
    sweep = None
    if counts:
        try:
            sweep = headcount_sweep(first, team, counts, replications, seed, workers=workers)
        except ScenarioError as err:
            fail(str(err))
    written, by_year = ["report.html", "charts/", "summary.csv"], None
    with output_folder(claimed) as folder:
        pd.concat([r.summary_by_period() for r in results]).to_csv(folder / "summary.csv", index=False)
        if len(results) > 1:  # the table capsim compare writes: every figure the comparison chart quotes is in it
            compare_results(results).to_csv(folder / "comparison.csv", index=False)
            by_year = compare_by_year(results)  # the CSV, and the report's by-year lines from it
            by_year.to_csv(folder / "comparison_by_year.csv", index=False)
            written += ["comparison.csv", "comparison_by_year.csv"]
        if sweep is not None:
            sweep.to_csv(folder / "headcount_sweep.csv", index=False)
            written.append("headcount_sweep.csv")
        write_manifest(folder, "report", records[0] if len(records) == 1 else {"compared": records})
        plan = None
        if what_it_takes:
            from capsim.report.what_it_takes import what_it_takes as plan_for, write_what_if

            plan = plan_for(results[0], workers)
            written += write_what_if(folder, plan)
        write_report(folder, results, records, overrides=set_ or [], sweep=sweep, what_it_takes=plan, workers=workers,
                     by_year=by_year)
    for r in results:
        out_console.print(f"{r.scenario.name} ({replications} replications, seed {seed}):", markup=False)
        for line in headline_findings(r):
            out_console.print(f"  - {line}", markup=False, soft_wrap=True)
    out_console.print(f"Wrote {target}/: {', '.join(written + ['manifest.json'])}", soft_wrap=True, markup=False)


@app.command()
@simulating
def brief(
    ctx: typer.Context,
    scenarios_: Annotated[list[str], typer.Argument(metavar="SCENARIO...", help="One or more scenarios; with several, the brief compares them with the first.")],
    what_it_takes: Annotated[bool, typer.Option("--what-it-takes/--no-what-it-takes", help="Where a target is missed, plan the analysts that would meet it (the staffing solver) and run that what-if beside it.")] = True,
    *, out, replications, seed, workers, set_,  # SIMULATION_OPTIONS
) -> None:
    """Write a two-page A4 brief to hand over (brief.pdf): the key charts, the sentences to
    quote with their intervals, readable citations and the main limits; the full report is
    its annex (report.html, printed as report.pdf). Findings too long to leave a chart room
    on two pages move it, whole, to a further page.

    Printing needs Chromium (the Debian package 'chromium', or its path in CAPSIM_CHROMIUM);
    nothing is fetched from the network. The output folder defaults to out/<scenario name>-brief.

    Example: capsim brief scenarios/growth-central.yaml --replications 10 --out out/brief
    """
    import pandas as pd

    from capsim.pdf import PdfError, find_chromium
    from capsim.report.brief import write_brief

    if find_chromium() is None:
        fail("capsim brief prints with Chromium, and none was found: install the 'chromium' package, or set "
             "CAPSIM_CHROMIUM to its path")
    loaded = [load(name, set_) for name in scenarios_]
    workers = usable_workers(workers, [s for s, _ in loaded], replications)
    claimed = claim_output(ctx, out, "brief", [s.name for s, _ in loaded], suffix="-brief")
    target = claimed.given
    results, records = run_scenarios(loaded, set_, replications, seed, workers)
    with output_folder(claimed) as folder:
        pd.concat([r.summary_by_period() for r in results]).to_csv(folder / "summary.csv", index=False)
        write_manifest(folder, "brief", records[0] if len(records) == 1 else {"compared": records})
        try:
            _, pages = write_brief(folder, results, records, overrides=set_ or [], plan=what_it_takes,
                                   workers=workers)
        except PdfError as err:
            fail(str(err))
        from capsim.report.what_it_takes import WHAT_IF_CSV

        what_if = f"{WHAT_IF_CSV}, " if (folder / WHAT_IF_CSV).exists() else ""  # a target missed: the what-if run
    if pages > 2:
        warn([f"the brief printed on {pages} pages, not 2: its findings left its charts too little room on "
              f"two pages, so charts moved on, whole, to a further page"])
    out_console.print(f"Wrote {target}/: brief.pdf ({pages} pages), brief.html, report.pdf and report.html "
                      f"(the annex), charts/, summary.csv, {what_if}manifest.json", soft_wrap=True, markup=False)


@app.command()
@simulating
def sensitivity(
    ctx: typer.Context,
    scenario: Annotated[str, typer.Argument(help=SCENARIO_HELP)],
    params: Annotated[Optional[str], typer.Option("--params", "-p", help="Keys to vary, comma-separated, named as --set names them, e.g. workforce.analysts.headcount,review.report.mean (default: each stream's rate and growth, each review mean, each team's headcount, shrinkage and exposure cap, and the hash match rate if hashing is on).")] = None,
    swing: Annotated[float, typer.Option("--swing", help="Relative change each way: 0.2 runs each parameter at ×0.8 and ×1.2 (an input declared uncertain runs over its declared 95% instead).")] = 0.2,
    metric: Annotated[Optional[str], typer.Option("--metric", "-m", help="The metric to report (default: the first SLA's attainment, else wait_mean).")] = None,
    *, out, replications, seed, workers, set_,  # SIMULATION_OPTIONS
) -> None:
    """One-at-a-time sensitivity: run each parameter at value × (1 − swing) and × (1 + swing),
    all under the same seed (common random numbers), and rank them by their effect on a metric.

    Writes sensitivity.csv (parameter, low and high values as written, the metric at base, low
    and high with 95% CIs, effect = high − low with the CI of the paired difference) and the
    tornado chart (charts/tornado.png, .svg, .pdf). Values keep their units (90s → 72s and
    108s; a default duration in days, hours or minutes); headcounts are rounded. An input the
    scenario declares uncertain runs at the ends of its declared central 95% instead of ±swing
    (the range capsim uncertainty samples; column varied_over). The output folder defaults to
    out/<scenario name>-sensitivity.

    Example: capsim sensitivity base --params workforce.analysts.headcount,review.report.mean --swing 0.2 -r 10
    """
    from types import SimpleNamespace

    from capsim import charts
    from capsim import sensitivity as sens
    from capsim import words
    from capsim.charts.sensitivity import end_texts

    base, path = load(scenario, set_)
    workers = usable_workers(workers, [base], replications)
    keys = [k.strip() for k in params.split(",") if k.strip()] if params is not None else None
    if params is not None and not keys:
        fail("--params: name at least one dotted key, e.g. --params workforce.analysts.headcount")
    claimed = claim_output(ctx, out, "sensitivity", [base.name], suffix="-sensitivity")
    target = claimed.given
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    with progress_bar(f"{base.name} sensitivity", "runs") as bar:
        try:
            table = sens.sensitivity(base, keys, swing, metric, replications, seed, workers, progress=bar)
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
    share = words.is_share(name)
    numbers = [f"{name} at low", f"{name} at high", "effect (high − low" + (", points)" if share else ")"), "95% CI"]

    def value(x: float) -> str:  # shares in %, times in hours, as the report writes them
        return words.fmt(name, x, base.costs.currency)

    def effect(x: float, ref: float) -> str:
        return words.signed(x, share, ref) if math.isfinite(x) else "n/a"

    def effect_cells(row: Any) -> list[str]:  # the effect, and its CI or why none: never "+100.0 – +100.0"
        said = effect(row.effect, row.effect)
        paired = SimpleNamespace(difference=row.effect, difference_ci_low=row.effect_ci_low,
                                 difference_ci_high=row.effect_ci_high)
        bounds = f"{effect(row.effect_ci_low, row.effect)} – {effect(row.effect_ci_high, row.effect)}"
        return [said, difference_interval_cell(paired, said, bounds)]

    declared = list(table.parameter[table.varied_over == sens.DECLARED])
    out_console.print(capsim_table(
        ["parameter", "low", "high", *numbers],
        [[row.parameter, *end_texts(row), value(row.low_mean), value(row.high_mean), *effect_cells(row)]
         for row in table.itertuples()],
        title=f"{base.name}: {name} at ±{100 * swing:g}%" + (" or over the declared 95%" if declared else "")
        + f", {used_reps} replications, seed {used_seed} (largest effect first)", numbers=numbers))
    if declared:
        out_console.print(f"{', '.join(declared)}: declared uncertain, so run at the ends of their declared central "
                          f"95% (the range capsim uncertainty samples), not at ±{100 * swing:g}%.",
                          soft_wrap=True, markup=False, highlight=False)
    out_console.print(f"{words.metric_label(name, base)} in the base run: {value(table.base_mean.iloc[0])}. Wrote {target}/: "
                      "sensitivity.csv, charts/tornado.png, charts/tornado.svg, charts/tornado.pdf, manifest.json",
                      soft_wrap=True, markup=False)


@app.command()
@simulating
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
        "those it pays for at costs.teams.<team>.annual_cost an FTE, each seat at its FTE (new seats at that of "
        "the shift pattern hires join).")] = None,
    min_headcount: Annotated[int, typer.Option("--min", min=0, help="Smallest team size to plan.")] = 1,
    max_headcount: Annotated[Optional[int], typer.Option(
        "--max", "--max-headcount", help="Largest team size to plan or try (default: 4 × the workload estimate).")] = None,
    *, out, replications, seed, workers, set_,  # SIMULATION_OPTIONS
) -> None:
    """Plan a team's headcount, period by period, to meet every SLA, and when to hire.

    For each period capsim finds the smallest headcount meeting every SLA of the team, for the
    items arriving in that period, in at least --confidence of the replications (all candidates
    run the same replications: common random numbers). The plan never lowers headcount (unless
    --allow-reduce) and respects --max-hires, --budget, --min and --max; it is then replayed as a
    whole and each period's attainment is that of the replay. New analysts start their training
    (the team's ramp) so as to be trained when their period begins; the hire-by date is that day
    less the hiring lead time, the day recruiting must start: one before the plan starts is late, by
    how many weeks it says, with the day the hires can start (recruited from the plan's start). Where
    a team that refers work to this one is behind, it says that the plan holds only for the work
    passed on now, and how to plan the teams in order.

    "In post" counts seats on the team's roster (with shift patterns: analysts); "FTE" counts
    full-time equivalents of the team's contracted week (contracted_hours, by default the
    roster's hours a week up to 40), and the plan prints the arithmetic. A candidate headcount
    runs only the replications not already settled by a smaller or larger one, hardest first,
    and stops once its verdict cannot change; "needed (reps)" says how many settled each need.
    A progress bar shows the runs done and the time left. It runs on the cores this process may
    use (--workers to choose; the plan is the same on any number): the 3-year quarterly plan of
    growth-central takes about 35-40 s on 2 idle cores, about twice that with --workers 1.

    Writes staffing_plan.csv, plan.yaml (the team's headcount and changes: merge it into the
    scenario, or extend the scenario with it, to replay the plan), the plan as a chart
    (charts/staffing_plan.png, .svg, .pdf) and manifest.json.

    A hire already late starts when it can (the plan's first day plus the lead time): the table,
    the notes and plan.yaml are that plan as it can happen, the notes saying what it would have
    attained with every hire on time.

    Exit status: 0 when every period meets its targets; 3 when some period cannot (met: NO):
    no headcount up to the bound meets the target (shown as "—" with the reason and the best
    attainable level), an SLA the roster makes impossible is left out (the headcount is planned
    for the others, and the period's note says which and why), the limits keep the team below
    what it needs, or its hires are late; the files are still written; 2 for bad input.

    Example: capsim staff base --team analysts --period quarter --confidence 0.9 --replications 20

    Example: capsim staff growth-central --period quarter
    """
    import yaml
    from rich.progress import TaskProgressColumn, TimeElapsedColumn

    from capsim.staffing import PERIOD_MONTHS, Limits, solve_staffing
    from capsim.words import MINUS, fmt, sla_words

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
            fail(f"{bundled.shown(path)}: {err}")
    table = plan.table()
    fragment = yaml.safe_dump(plan.fragment(), sort_keys=False, default_flow_style=None).rstrip()
    held_back, behind = _upstream_note(loaded, path, plan, period, set_, replications, seed)
    with output_folder(claimed) as folder:
        table.to_csv(folder / "staffing_plan.csv", index=False)
        (folder / "plan.yaml").write_text(
            f"# capsim staff {loaded.name}: the plan for team {plan.team} ({period}ly, SLAs met in >= "
            f"{confidence:.0%} of {plan.replications} replications, seed {plan.seed}).\n"
            f"# Merge it into the scenario (teams merge by name), or write a file with\n"
            f"# 'extends: <the scenario file>' above these lines, and run it to replay the plan.\n"
            f"# New seats start no earlier than the plan's first day ({plan.periods[0].period.first}) plus the "
            f"hiring lead time:\n# hires late (late_weeks in staffing_plan.csv) start then here, as replayed.\n"
            f"# headcount: {_plan_counts(loaded, plan)}.\n"
            + "".join(f"# {line}.\n" for line in plan.temporary_lines() + plan.lone_rise_lines())
            + (f"# {held_back}\n" if held_back else "") + f"{fragment}\n")
        from capsim import charts

        charts.save(charts.staffing_plan(table, loaded, plan.seed, plan.replications, team=plan.team,
                                          most_tried=plan.max_headcount, held_back=behind),
                    folder / "charts" / "staffing_plan")
        info = manifest(loaded, seed=plan.seed, replications=plan.replications, workers=plan.workers, started=started,
                        wall_seconds=time.perf_counter() - clock, source=str(path), overrides=set_ or [])
        info["staffing"] = {"team": plan.team, "period": period, "confidence": confidence,
                            "max_headcount": plan.max_headcount, "never_reduce": never_reduce,
                            "max_hires": max_hires, "budget": budget, "min_headcount": min_headcount,
                            "evaluations": plan.evaluations, "changes": plan.changes(), "attainable": plan.attainable,
                            "held_back": held_back}
        write_manifest(folder, "staff", info)
    required = math.ceil(confidence * plan.replications - 1e-9)
    slas = [c[len("sla_"):-len("_target")] for c in table.columns if c.startswith("sla_") and c.endswith("_target")]
    member = next(t for t in loaded.workforce if t.team == plan.team)
    in_post = "in post (heads)" if member.shifts is not None else "in post (seats)"
    columns = ["period", "from", "to", "needed (reps)", in_post, "FTE", "hires", "hire by",
               *[f"{sla_words(loaded, p)} (95% CI)" for p in slas], "busy (usable)", "reps met", "met"]
    from capsim.charts.plan import opened_cover

    rows, cover = [], opened_cover(table)
    for k, (row, period_plan) in enumerate(zip(table.itertuples(index=False), plan.periods)):
        values = row._asdict()
        cells = [f"{fmt(f'sla_{p}', values[f'sla_{p}'])} ({fmt(f'sla_{p}', values[f'sla_{p}_ci_low'])}–"
                 f"{fmt(f'sla_{p}', values[f'sla_{p}_ci_high'])})" for p in slas]
        hire_by = row.hire_by or "–"
        if row.late_weeks:  # the day recruiting had to start, and the day the hires start as replayed
            hire_by = f"{row.hire_by} ({row.late_weeks} weeks late: start {row.hires_start})"
        needed = "—" if math.isnan(row.needed) else f"{row.needed:.0f} ({row.needed_replications:d})"
        # in brackets: the seats of temporary cover, and those in post until late hires start
        until = period_plan.temporary_until
        said = [f"{row.temporary} temporary" + (f" until {until:%-d %b}" if until else "")] if row.temporary else []
        said += [period_plan.short_words] if period_plan.short else []
        # the cover it opens: less the period before's still in post at its end
        hires = ", ".join([f"{row.hires:d}" + (f" ({cover[k]} temporary)" if cover[k] else "")] * bool(row.hires)
                          + [f"{period_plan.cover_ended} temporary end"] * bool(period_plan.cover_ended)
                          + [f"{MINUS}{period_plan.cut} cut"] * bool(period_plan.cut))
        rows.append([str(row.period), row.period_start, row.period_end, needed,
                     f"{row.headcount}" + (f" ({'; '.join(said)})" if said else ""), f"{row.fte:.3g}",
                     hires or "–", hire_by,
                     *cells, "–" if math.isnan(row.workload_usable) else f"{row.workload_usable:.0%}",
                     f"{round(row.replications_met * row.replications):d}/{row.replications}",
                     "yes" if row.met else "NO"])
    out_console.print(capsim_table(
        columns, rows, numbers=[c for c in columns if c not in {"from", "to", "hire by", "met"}],
        title=f"{loaded.name}: team {plan.team}, {plan.replications} replications, seed {plan.seed}; "
              f"a period is met when every SLA is, in at least {required} of {plan.replications} replications"))
    from capsim.staff_notes import busy_over_100, exposure_caps, fte_basis, hire_by_words
    from capsim.staffing import met_chance_low, note_lines

    inferred = int(table.needed_inferred.sum())
    capped = exposure_caps(loaded)[plan.team] is not None
    out_console.print(
        f"{fte_basis(member, plan.periods[0].headcount)}"
        + (f" {in_post} in brackets: where hires are late, the seats in post until they start (plan.yaml has them "
           "start then)." if any(p.short for p in plan.periods) else "")
        + (" temporary: seats of temporary cover above the period's own need, where the plan replayed missed the "
           "period without them (its note says why); they end at the first month's end by which the plan replayed meets its periods without them "
           "(until: within the period; temporary end: at a later period's start), and plan.yaml closes them then."
           if any(p.temporary for p in plan.periods) else "")
        + (" cut: seats the plan lets go (--allow-reduce), as its note says." if any(p.cut for p in plan.periods) else "")
        + f" {hire_by_words(member)} busy (usable): the work arriving in "
        "the period as a share of the hours analysts may review (time present on shift"
        + (" up to the daily exposure cap, less mentoring)" if capped else ", less mentoring: the team has no daily "
           "exposure cap)")
        + f". {busy_over_100(capped)} staffing_plan.csv also gives it as a share of rostered hours (workload_rostered), "
        + ("which is lower by the exposure cap, not by idle time." if capped else "the same but for mentoring.")
        + " needed (reps): the smallest constant headcount meeting the period, and "
        "in brackets the replications that settled it (it stops once at "
        f"least {required} meet the period, or too few can: the same answer as running all {plan.replications}"
        + (f"; {inferred} of them, over all periods, known from a smaller team meeting the period in the same "
           "replication" if inferred else "") + "). reps met: replications of the plan as a whole meeting "
        f"every SLA; {plan.replications} of {plan.replications} means the chance that a period is met is at least "
        f"{met_chance_low(plan.replications, plan.replications):.0%} (95% confidence; met_chance_low in "
        "staffing_plan.csv).", markup=False, soft_wrap=True, style="dim")
    for line in note_lines([(row.period, row.note) for row in table.itertuples(index=False)], member):
        out_console.print(line, markup=False, soft_wrap=True)
    print_order_conflict(loaded, plan.team, table)
    if held_back:
        out_console.print(held_back, markup=False, soft_wrap=True, style="bold")
    out_console.print("As planned changes (plan.yaml):\n" + fragment, markup=False, soft_wrap=True)
    out_console.print(f"{plan.evaluations} staffings simulated ({plan.runs:.0f} runs). Wrote {target}/: "
                      "staffing_plan.csv, plan.yaml, charts/staffing_plan.png, charts/staffing_plan.svg, "
                      "charts/staffing_plan.pdf, manifest.json", markup=False, soft_wrap=True)
    if not plan.attainable:
        missed = ", ".join(str(p.period.index + 1) for p in plan.periods if not p.met)
        err_console.print(f"Not met (met: NO; see the notes): period {missed}: exit status 3.",
                          markup=False, highlight=False)
        raise typer.Exit(3)


def _upstream_note(scenario: Scenario, path: Path, plan, period: str, overrides: list[str] | None,
                   replications: int | None, seed: int | None) -> tuple[str, list[tuple[str, str]]]:
    """Under ``capsim staff``'s plan for a team that other teams refer work to: where some of them are
    behind in a run of the scenario as it is (the plan's replications and seed, over the teams the
    planned team's queue depends on), over the whole run or in a calendar year of it as the run's
    tables give them, that the plan holds only for the work passed on now, with the commands that plan
    the teams in order (:func:`capsim.staff_notes.upstream_words`), and those teams, each with the
    years it is behind in ("" over the whole run, "on average in 2025" where its 95% CI reaches its targets:
    :attr:`capsim.held_back.Behind.when`); ("", [])
    otherwise, without running anything where no team referring work to it has an SLA."""
    import shlex

    from capsim.charts.by_year import year_means
    from capsim.held_back import summary_figures
    from capsim.staff_notes import upstream_behind, upstream_teams, upstream_words
    from capsim.staffing import planned_team, team_slas

    names = [t.team for t in scenario.workforce]
    if not any(team_slas(scenario, names.index(t)) for t in upstream_teams(scenario, plan.team)):
        return "", []
    result = run_with_progress(planned_team(scenario, plan.team)[0], plan.replications, plan.seed, plan.workers)
    late = upstream_behind(scenario, plan.team, summary_figures(result.summary), year_means(result, summary_figures))
    options = "".join(f" --set {shlex.quote(o)}" for o in overrides or []) + "".join(
        f" {flag} {value}" for flag, value in (("--replications", replications), ("--seed", seed)) if value is not None)
    shown = shlex.quote(bundled.shown(path))
    return (upstream_words(plan.team, late, lambda team: f"capsim staff {shown} --team {team} --period {period}{options}",
                           f"capsim report {shown} --what-it-takes{options}"), [(s.team, s.when) for s in late])


def _plan_counts(scenario: Scenario, plan) -> str:
    """What a staffing plan's headcount counts, with its FTE at the last period (one line for plan.yaml)."""
    from capsim.workforce import contracted_hours, headcount_fte

    member = next(t for t in scenario.workforce if t.team == plan.team)
    last = plan.periods[-1].headcount
    what = "analysts (heads)" if member.shifts is not None else "seats on the roster"
    return (f"{what}; the last period's {last} are {headcount_fte(member, last):.3g} FTE of a "
            f"{contracted_hours(member):g} h week")


@app.command()
@simulating
def budget(
    ctx: typer.Context,
    scenarios: Annotated[list[str], typer.Argument(help="One or more scenarios (files or bundled names); "
                                                        "each is compared with the first.")],
    *, out, replications, seed, workers, set_,  # SIMULATION_OPTIONS
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
    workers = usable_workers(workers, [s for s, _ in loaded], replications)
    first = loaded[0][0]
    claimed = claim_output(ctx, out, "budget", [s.name for s, _ in loaded], suffix="-budget")
    target = claimed.given
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    with progress_bar("budget", "replications") as bar:
        try:
            result = run_budget([s for s, _ in loaded], replications, seed, workers, progress=bar)
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
    from capsim.words import duration_text, percent

    slas = list({f"sla_{x.priority}": x for s, _ in loaded for x in s.sla}.items())  # the service beside the cost
    columns = ["scenario", "year", "days", "FTE", "hires", "staff", "tooling", "overheads", "total (95% CI)",
               "per assessed", *(f"{x.priority} within {duration_text(x.within)}" for _, x in slas)]
    if len(loaded) > 1:
        columns += ["FTE vs first", "total vs first (95% CI)"]
    unpaired: dict[str, list[str]] = {}  # per scenario, its years the first does not have over as many days
    for row in result.table.itertuples(index=False):
        if row.scenario != first.name and math.isnan(row.fte_vs_first):
            unpaired.setdefault(row.scenario, []).append(str(row.year))
    rows = []
    for row in result.table.itertuples(index=False):
        cells = [row.scenario, row.year, f"{row.days:g}", f"{row.fte:.2f}", format_value(row.hires), format_value(row.staff_cost),
                 format_value(row.tooling_cost), format_value(row.overheads),
                 with_ci(row.total_cost, row.total_cost_ci_low, row.total_cost_ci_high),
                 format_value(row.cost_per_assessed),
                 *(percent(getattr(row, c)) for c, _ in slas)]
        if len(loaded) > 1:
            if row.scenario == first.name:
                cells += ["–", "–"]
            elif math.isnan(row.fte_vs_first):  # nothing to pair with: said under the table
                cells += ["n/a", "n/a"]
            else:
                cells += [f"{row.fte_vs_first:+.2f}",
                          with_ci(row.total_cost_vs_first, row.total_cost_vs_first_ci_low,
                                  row.total_cost_vs_first_ci_high, signed=True)]
        rows.append(cells)
    out_console.print(capsim_table(columns, rows, numbers=columns[2:],
                                   title=f"Budget: {result.replications} replications, seed {result.seed}, {currency} "
                                         "(means; the totals' 95% CI in brackets, every line's in budget.csv)"))
    if unpaired:
        named = "; ".join(f"{name} {', '.join(years)}" for name, years in unpaired.items())
        out_console.print(f"vs first: n/a for {named}: {first.name} has no such year of as many days to pair "
                          "with (empty in budget.csv).", markup=False, soft_wrap=True)
    from capsim.grant import NO_SPREAD, no_spread

    same = [f"{row.scenario} {row.year}" for row in result.table.itertuples()
            if no_spread(row.total_cost_ci_low, row.total_cost_ci_high, result.replications)]
    if same:  # name them: the others do vary
        whole = len(same) == len(result.table)
        out_console.print(f"Total{'' if whole else ' of ' + ', '.join(same)}: {NO_SPREAD}.", markup=False,
                          soft_wrap=True)
    print_budget_lines(result.table, result.scenarios, currency)
    teams = dict.fromkeys(t.team for s, _ in loaded for t in s.workforce)
    out_console.print("total = staff + tooling + overheads (staff: every budget line below but tooling and "
                      f"overheads). FTE: mean staff in post, all teams ({', '.join(teams)}); per assessed: total {currency} per item "
                      "assessed (the streams' items whose assessment started in the year, whenever they arrived, as in capsim "
                      "run's cost_per_assessed), beside the share of the streams' items assessed within each SLA's deadline: with the "
                      "same staff, a lower cost per item where that share falls is work queueing, not efficiency; "
                      "costs at each year's prices (costs.inflation)"
                      + ("; 'vs first': paired differences from the first scenario (negative saves)."
                         if len(loaded) > 1 else "."), style="dim")
    from capsim.costs import unpriced_note

    if (unpriced := unpriced_note(result.scenarios)) is not None:
        out_console.print(unpriced, markup=False, soft_wrap=True)
    out_console.print("Staff as each scenario writes them (headcount and planned changes): a budget prices them and "
                      "does not check the SLAs. To size the teams to their SLAs and cost them per grant year, run "
                      "capsim grant.", style="dim")
    from capsim.report.stress_des import RUN_TO_RUN_ONLY, at_medians

    for s, name in zip(result.scenarios, scenarios):  # intervals of the simulation only: say so, and how to see the rest
        if s.uncertain:
            out_console.print(f"{s.name}: {at_medians(s)}, so its intervals are {RUN_TO_RUN_ONLY}; "
                              f"capsim uncertainty {portable(name)} gives each "
                              "year's FTE and total cost over them.", markup=False, soft_wrap=True)
    out_console.print(f"Wrote {target}/: budget.csv, budget_replications.csv, charts/budget.png, charts/budget.svg, "
                      "charts/budget.pdf, manifest.json", soft_wrap=True, markup=False)


UNCERTAINTY_HEADLINE = ["assessed", "backlog_end", "wait_mean", "time_to_assessment_p90", "analyst_hours",
                        "utilisation", "cost_total"]


def names_broken(cell: str, width: int) -> str:
    """A table cell with each word longer than ``width`` characters (an input's scenario key,
    ``demand.reports.growth.per_year``, a metric id, ``time_to_assessment_p90``, or a long name,
    ``report-growth``) broken after its dots, underscores and hyphens (:func:`name_parts`) into
    lines of at most ``width`` (a part longer stays whole), so that a narrow terminal wraps it at
    those parts instead of cutting it short ("demand.…") or folding it inside one ("time_to_a"
    over "ssessment"); shorter words are left as they are. Only a line break is added: a heading
    copied from the terminal has no invisible character in it."""
    def broken(word: str) -> str:
        lines = [""]
        for part in name_parts(word):
            if lines[-1] and len(lines[-1]) + len(part) > width:
                lines.append("")
            lines[-1] += part
        return "\n".join(lines)

    return " ".join(broken(word) for word in cell.split(" "))


@app.command()
def uncertainty(
    ctx: typer.Context,
    scenario: Annotated[str, typer.Argument(help=SCENARIO_HELP)],
    out: Out = None,
    parameter_sets: Annotated[int, typer.Option(
        "--parameter-sets", "-n", help="Parameter sets sampled over the uncertain inputs (the outer level; at least "
        "2, and enough to rank the inputs: see the ranking).")] = 64,
    replications: Annotated[int, typer.Option(
        "--replications", "-r", help="Replications of each parameter set (the inner level; at least 2, to tell the "
        "run-to-run spread from the inputs').")] = 5,
    sampler: Annotated[str, typer.Option("--sampler", help="lhs (Latin hypercube) or sobol (scrambled Sobol; "
                                         "best with a power of 2 of sets), from scipy.stats.qmc.")] = "lhs",
    seed: Seed = None,
    executor: Annotated[str, typer.Option(
        "--executor", "-e", help="Where tasks run: local (processes on this machine) or dask (a Dask cluster).")] = "local",
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", help="With --executor dask: address of a running Dask scheduler.")] = None,
    workers: Annotated[Optional[int], typer.Option(
        "--workers", "-w", min=1, help="Local worker processes; results do not depend on it. Default: the cores "
        "this process may use, no more than fit in memory.")] = None,
    set_: Sets = None,
) -> None:
    """Run a scenario over what we don't know: every metric with a run-to-run, an input and a total interval.

    The scenario's uncertain inputs (numbers written {uncertain: {dist: ..., source: ...}};
    see docs/uncertainty.md) are sampled into parameter sets (Latin hypercube by default);
    each set runs --replications times under common random numbers, as one sweep task each
    (so --executor dask scales it past one machine, and an interrupted run resumes). Each
    metric gets three 95% intervals - run-to-run (luck), input (what we don't know) and
    total - with the Monte Carlo error of the mean and of the interval ends, and the inputs
    are ranked by the share of the input variance each explains. An ordinary capsim run of
    the same scenario uses the inputs' central values (medians). Writes
    uncertainty.html (findings, the input-ranking chart, the inputs and the methods),
    uncertainty_summary.csv, uncertainty_ranking.csv, uncertainty_inputs.csv and the sweep's
    files to out/<scenario name>-uncertainty.

    A task is one replication: on 2 idle cores, 64 × 5 tasks of the three-year growth-central
    took about 3.5 minutes (about 1.3 s a task; -n 16 -r 3 under a minute, with wider Monte Carlo errors).

    Example: capsim uncertainty growth-central --parameter-sets 64 --replications 5
    """
    import capsim.sweep as sweeping
    from capsim import uncertainty as unc
    from capsim import words
    from capsim.memory import default_workers

    base, path = load(scenario, set_)
    remote = executor == "dask" and bool(scheduler)
    workers = default_workers(base, parameter_sets * replications) if workers is None else workers
    try:
        sweeping.check_options(executor, workers, scheduler)
        plan = unc.plan_uncertainty(path, parameter_sets, replications, seed, set_ or [], sampler,
                                    workers=0 if remote else workers)
        target = out if out is not None else default_folder([base.name], suffix="-uncertainty")
    except (ScenarioError, OutputError) as err:
        fail(str(err))
    from capsim.charts.uncertainty_words import NO_INPUT_SPREAD
    from capsim.report.uncertainty import (SAME_IN_EVERY_RUN, chart_year, flat_out, period_text, unknown_text,
                                           write_uncertainty_report, year_cells)

    def chart_metric(summary: pd.DataFrame) -> str:
        return next((m for m in ("backlog_end", "wait_mean") if m in set(summary.metric)), "assessed")

    def report(result: unc.UncertaintyResult, folder: Path) -> None:  # written under the sweep's lock
        write_uncertainty_report(folder, base, result.summary, result.ranking, plan.sweep.seed, parameter_sets,
                                 replications, plan.sampler, chart_metric(result.summary), result.by_year,
                                 result.ranking_by_year)

    total = parameter_sets * replications
    ctx.meta[RESUMED_META] = target  # Ctrl-C from here on keeps the finished tasks (interrupted_line)
    try:
        with Progress(TextColumn(f"{base.name} uncertainty"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      console=err_console, transient=True, disable=not err_console.is_terminal) as bar:
            task = bar.add_task("tasks", total=total)
            result = unc.run_uncertainty(plan, target, executor, workers, scheduler,
                                         progress=lambda done, _: bar.update(task, completed=done), report=report)
    except sweeping.SweepFailed as err:
        fail(f"{err}\nThe other tasks are kept in {target}/{sweeping.TASKS}: run the same command again to finish.")
    except ScenarioError as err:
        fail(str(err))
    ctx.meta[WRITTEN_META] = target  # complete: Ctrl-C from here on leaves it so (interrupted_line)
    currency = base.costs.currency
    drawn = (f"{parameter_sets} parameter sets × {replications} replications ({unc.SAMPLER_NAMES[plan.sampler]}), "
             f"seed {plan.sweep.seed}; 95% intervals")
    matters = "matters most (share of the input part)"
    rows = [year_cells(row, result.by_year, base) for row in result.by_year.itertuples()]
    out_console.print(capsim_table(
        ["year", "result", "mean", "run-to-run", "input", "total", "input share", matters], rows,
        numbers=["mean", "run-to-run", "input", "total", "input share"], title=f"{base.name} by year: {drawn}"))
    for row in result.by_year[result.by_year.metric == unc.REVIEW_FTE].itertuples():  # the staff at their limit
        if saturated := flat_out(result.by_year, row.period):
            out_console.print(f"{period_text(base, row.period)}: {saturated}", soft_wrap=True, markup=False,
                              highlight=False)
    out_console.print(unc.REVIEW_FTE_TEXT, style="dim", soft_wrap=True)
    rows = result.summary.set_index("metric")
    top = result.ranking[result.ranking["rank"] == 1].drop_duplicates("metric").set_index("metric")
    not_ranked = result.ranking.drop_duplicates("metric").set_index("metric").not_ranked  # why, where no rank is 1
    wanted = [m for m in UNCERTAINTY_HEADLINE + [m for m in rows.index if m.startswith("sla_")] if m in rows.index]
    cells = []
    for metric in wanted:
        row = rows.loc[metric]
        if math.isnan(row["mean"]):  # unknown in every run (no costs, no item measured): said once
            cells.append([metric, unknown_text(metric), "", "", "", "", ""])
            continue

        def say(value: float, metric: str = metric, ref: float = row["mean"]) -> str:
            return words.fmt(metric, value, currency, ref)

        def span(part: str, metric: str = metric, row: Any = row) -> str:  # two ends that differ never alike
            low, high = row[f"{part}_low"], row[f"{part}_high"]
            if part == "input" and low == high:
                return NO_INPUT_SPREAD
            return " – ".join(words.interval_bounds(metric, low, high, currency, ref=row["mean"]) or (say(low), say(high)))

        if math.isnan(row["input_share"]):  # the same in every run: said once, in the last cell (as by year)
            cells.append([metric, words.fmt(metric, row["mean"], currency), "", "", "", "n/a",
                          f"none: {SAME_IN_EVERY_RUN}"])
            continue
        share = words.percent(unc.estimated_share(row["input_share"]))
        first = top.loc[metric, "first_order"] if metric in top.index else math.nan
        why = unc.why_no_input_named(row)
        driver = (f"none: {unc.NOT_NAMED[why]}" if why else f"n/a: {not_ranked[metric]}" if math.isnan(first)
                  else f"{top.loc[metric, 'input']} ({words.percent(unc.estimated_share(first))})")
        cells.append([metric, words.plus_minus(metric, row["mean"], row["mc_se_mean"], currency),
                      span("run"), span("input"), span("total"), share, driver])
    out_console.print(capsim_table(
        ["metric", "mean (± MC s.e.)", "run-to-run", "input", "total", "input share", matters], cells,
        numbers=["mean (± MC s.e.)", "run-to-run", "input", "total", "input share"], title=f"{base.name}, whole run: {drawn}"))
    out_console.print("Uncertain inputs:", markup=False)
    for i in unc.inputs_shown(plan.inputs).itertuples():
        out_console.print(f"  {i.input}" + ("" if i.keys == i.input else f" = {i.keys}") + f": {i.distribution}; "
                          f"median {i.median}, 95% {i.low} – {i.high}; source: {i.source}", markup=False,
                          highlight=False)
    out_console.print(f"Times in hours; cost in {currency}. Input share: the part of the total variance due to the "
                      "uncertain inputs. Matters most: the input explaining the largest share of that input part "
                      f"({unc.RANKED_BY}); none when the inputs cause under {words.percent(unc.NEGLIGIBLE_SHARE)} of "
                      "the variance or too little to tell from the Monte Carlo error. MC error of the interval ends: "
                      f"{unc.SUMMARY_FILE}, {unc.BY_YEAR_FILE}, mc_se_*.", style="dim", soft_wrap=True)
    charted = chart_year(result.by_year)
    year_chart = f"charts/uncertainty_{charted[1]}_{charted[0]}.png/.svg, " if charted else ""
    out_console.print(f"Wrote {target}/: uncertainty.html, charts/uncertainty_{chart_metric(result.summary)}.png/.svg, "
                      f"{year_chart}"
                      f"{unc.SUMMARY_FILE}, {unc.BY_YEAR_FILE}, {unc.RANKING_FILE}, {unc.RANKING_BY_YEAR_FILE}, "
                      f"{unc.INPUTS_FILE}, "
                      f"{sweeping.SUMMARY_FILE}, {sweeping.REPLICATIONS_FILE}, {sweeping.MANIFEST_FILE}, "
                      f"{sweeping.TASKS}/", soft_wrap=True, markup=False)


@app.command()
def web(
    port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535, help="Port to serve the page on.")] = 8501,
    host: Annotated[str, typer.Option("--host", help="Address to bind (default 127.0.0.1: this machine only). "
                                      "Any other address lets other machines open the page.")] = "127.0.0.1",
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Do not open a browser window.")] = False,
) -> None:
    """Start the web page: choose a scenario, change it without YAML, run, compare, plan staff, and
    download the scenario, numbers and report. Stop it with Ctrl+C.

    Example: capsim web --port 8501
    """
    import importlib.util

    from capsim.safe_yaml import MAX_BYTES

    if importlib.util.find_spec("streamlit") is None:
        fail("capsim web needs Streamlit, an optional part: pip install 'capsim[web]'")
    if host != "127.0.0.1":
        warn([f"warning: --host {host}: the page will be reachable from other machines on that network, "
              "with no login; anyone who reaches it can run simulations on this machine"])
    err_console.print(f"capsim web page: http://{host}:{port} (Ctrl+C to stop)", markup=False, highlight=False)
    page = importlib.util.find_spec("capsim.web.app").origin  # found, not imported: the page is its own layer
    argv = ["run", page, "--server.address", host, "--server.port", str(port),
            "--server.maxUploadSize", str(max(1, MAX_BYTES // 1_000_000)),  # MB: the safe loader's own limit
            "--server.headless", str(no_browser).lower(), "--browser.gatherUsageStats", "false",
            "--server.showEmailPrompt", "false",  # never asks: a prompt with no terminal ends Streamlit at once
            "--client.toolbarMode", "viewer", "--global.developmentMode", "false"]
    from streamlit.web.cli import main as streamlit_main

    try:  # in this process, as `streamlit run` would be: a stop signal reaches the server itself
        streamlit_main(args=argv, prog_name="streamlit")
    except SystemExit as stopped:
        if stopped.code not in (0, None):
            fail(f"capsim web: Streamlit stopped with exit status {stopped.code} (its reason, if it gave one, is "
                 f"just above); if port {port} is in use, choose another with --port")


@app.command()
@simulating
def grant(
    ctx: typer.Context,
    scenarios: Annotated[list[str], typer.Argument(help="One or more scenarios (files or bundled names); "
                                                        "each is compared with the first.")],
    start: Annotated[str, typer.Option("--from", help="First day of the grant, YYYY-MM-DD, e.g. 2027-04-01.")],
    years: Annotated[int, typer.Option("--years", min=1, max=30, help="Grant years, each twelve months from --from.")] = 3,
    fiscal_year_start: Annotated[Optional[str], typer.Option(
        "--fiscal-year-start", metavar="MM-DD", help="Start of the fiscal year, e.g. 04-01; --from must fall on it "
        "(default: --from's month and day).")] = None,
    confidence: Annotated[float, typer.Option(
        "--confidence", help="Share of replications in which every SLA must be met, between 0 and 1, e.g. 0.9.")] = 0.9,
    *, out, replications, seed, workers, set_,  # SIMULATION_OPTIONS
) -> None:
    """Size a grant: the analysts each scenario's SLAs need per grant year, and their full cost.

    For each scenario capsim plans every team that has SLAs, year by year, as capsim staff
    does (hires only, SLAs met in at least --confidence of the replications, the plan
    replayed), then costs the plan in full per grant year (salaries, on-costs, management and
    QA, recruitment, training, wellbeing, licences, tooling, overheads: the scenario's costs:
    section; 95% intervals where the replications differ), the service level and mean backlog
    beside each cost, and the paired difference from the first scenario. The warm-up runs before
    --from and is not costed.

    Writes grant.csv (one row per scenario × grant year, and 'all'), grant_replications.csv,
    plans/<scenario>.yaml (the plans, to replay; the name made one plain file name, as for the
    default folders: a/b gives plans/a-b.yaml), a chart (charts/grant.png, .svg, .pdf),
    report.html (the grant section) and manifest.json.

    New seats start no earlier than --from plus the team's hiring lead time, then train: a year
    whose hires cannot be in post and trained on its first day is costed, simulated and written
    to plans/ with them late ("hires late by N weeks").

    Exit status: 0 when the plan as costed meets every SLA in every grant year (in at least
    --confidence of the replications); 3 when some year does not, because no headcount meets
    its SLAs or its hires are late (the message names the years; the files are still written);
    2 for bad input.

    Example: capsim grant growth-low growth-central growth-high --from 2027-04-01 --years 3
    """
    import yaml

    from capsim.grant import grant as size_grant, parse_month_day, plan_files
    from capsim.words import how_many

    try:
        first_day = dt.date.fromisoformat(start)
    except ValueError:
        fail(f"--from {start!r} is not a date: write YYYY-MM-DD, e.g. 2027-04-01")
    if not 0 < confidence < 1:
        fail(f"--confidence must be between 0 and 1 (exclusive), e.g. 0.9; got {confidence:g}")
    try:
        fiscal = parse_month_day(fiscal_year_start) if fiscal_year_start is not None else None
    except ValueError as err:
        fail(str(err))
    loaded = [load(name, set_) for name in scenarios]
    claimed = claim_output(ctx, out, "grant", [s.name for s, _ in loaded], suffix="-grant")
    target = claimed.given
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    with Progress(
        TextColumn("grant"), BarColumn(), TextColumn("{task.description}"), TimeRemainingColumn(), TextColumn("left"),
        console=err_console, transient=True, disable=not err_console.is_terminal,
    ) as bar:
        task = bar.add_task("", total=1.0)

        def progress(done: float, total: float, what: str) -> None:
            bar.update(task, completed=done, total=max(total, done, 1e-9),
                       description=f"{done:.0f} of ~{total:.0f} runs, {what}")

        try:
            result = size_grant([s for s, _ in loaded], first_day, years, fiscal_year_start=fiscal,
                                confidence=confidence, replications=replications, seed=seed, workers=workers,
                                progress=progress)
        except (ValueError, ScenarioError) as err:
            bar.stop()
            fail(str(err))
    wall = time.perf_counter() - clock
    with output_folder(claimed) as folder:
        result.table.to_csv(folder / "grant.csv", index=False)
        result.per_replication.to_csv(folder / "grant_replications.csv", index=False)
        (folder / "plans").mkdir()
        files = plan_files(result.scenarios)
        for scenario, (_, path) in zip(result.scenarios, loaded):
            fragment = {"workforce": [p.fragment()["workforce"][0] for p in result.plans[scenario.name]]}
            (folder / files[scenario.name]).write_text(
                f"# capsim grant: the staffing plan of {scenario.name} ({portable(str(path))}) for the grant from {first_day}, "
                f"{how_many(years, 'year')},\n# as costed and simulated: no new seat starts before {first_day} plus the team's "
                "hiring lead time (hires late start then). Merge it into the scenario to replay it.\n"
                + yaml.safe_dump(fragment, sort_keys=False, default_flow_style=None))
        from capsim import charts
        from capsim.report.grant import render_grant_report

        charts.save(charts.grant_per_year(result.table, result.scenarios, result.seed, result.replications,
                                            plans=result.plans),
                    folder / "charts" / "grant")
        svg = (folder / "charts" / "grant.svg").read_text(encoding="utf-8")
        (folder / "report.html").write_text(render_grant_report(result, svg), encoding="utf-8")
        write_manifest(folder, "grant", {
            "grant": {"from": first_day, "years": years, "fiscal_year_start": fiscal_year_start,
                      "confidence": confidence, "warmup_days": dict(zip([s.name for s in result.scenarios],
                                                                        result.warmup_days)),
                      "attainable": result.attainable},
            "scenarios": [manifest(s, seed=result.seed, replications=result.replications, workers=result.workers,
                                   started=started, wall_seconds=wall, source=str(p), overrides=set_ or [])
                          for s, (_, p) in zip(result.scenarios, loaded)]})
    print_grant(result, loaded[0][0].costs.currency)
    out_console.print(f"Took {wall:,.0f} s. Wrote {target}/: grant.csv, grant_replications.csv, plans/, report.html, "
                      "charts/grant.png, charts/grant.svg, charts/grant.pdf, manifest.json", soft_wrap=True, markup=False)
    if not result.attainable:
        missed = "; ".join(f"{name}, team {plan.team}, {result.years[k].label}" for name, plans in result.plans.items()
                           for plan in plans for k, period in enumerate(plan.periods) if not period.met)
        err_console.print(f"Not met as costed (SLAs met in fewer than {confidence:.0%} of the replications): {missed}: "
                          "exit status 3.", markup=False, highlight=False)
        raise typer.Exit(3)


def print_budget_lines(table: pd.DataFrame, scenarios: list[Scenario], currency: str) -> None:
    """Per scenario, its budget lines (salaries per team, on-costs, management, ...) by year, means;
    lines that are zero in every year are left out, but for tooling where a tool is enabled
    (:func:`capsim.costs.line_shown`)."""
    from capsim.costs import line_shown, shown_lines

    for scenario in scenarios:
        name = scenario.name
        mine = table[table.scenario == name]
        years = [str(year) for year in mine.year]
        lines = []
        for column, label in shown_lines([t.team for t in scenario.workforce]):
            values = mine[column].to_numpy(dtype=float)
            if line_shown(scenario, column, values):
                lines.append([label, *(f"{v:,.0f}" for v in values)])
        lines.append(["Total", *(f"{v:,.0f}" for v in mine.total_cost)])
        out_console.print(capsim_table(["line", *years], lines, numbers=years,
                                       title=f"{name}: budget lines, {currency} (means)"))


def print_grant(result, currency: str) -> None:
    """The grant table (FTE, hires, full cost with its 95% CI, service levels, backlog, against the
    first) and, per scenario, its budget lines per grant year."""
    table = result.table
    several = len(result.scenarios) > 1
    from capsim.metric_names import backlog_words
    from capsim.grant import cost_fixed, sla_columns, unplanned_teams
    from capsim.grant_notes import COST_PRECISION, costs_shown, grant_notes
    from capsim.units import target_percent
    from capsim.words import grant_sla_names, how_many, interval, late_teams, mean_words

    slas = [c[:-len("_target")] for c in table.columns if c.startswith("sla_") and c.endswith("_target")]
    named = grant_sla_names(result.scenarios)
    teams = {s.name: {column: team for column, (_, team) in sla_columns(s).items()} for s in result.scenarios}
    spread = "" if cost_fixed(table, result.replications) else " (95% CI)"  # a cost fixed by the plan has no interval
    posts = (table.management_fte > 0).any()
    kept = any(unplanned_teams(s) for s in result.scenarios)  # teams no target sizes: their seats as written
    columns = ["scenario", "year", "FTE needed for SLAs", *(["FTE as written (no SLA)"] if kept else []),
               "FTE in post" + (" (all teams)" if kept else ""), *(["management, QA FTE"] if posts else []), "hires",
               f"full cost{spread}",
               *(named.get(s, s.removeprefix("sla_")) for s in slas), f"{backlog_words('backlog_mean', 'the year')} (95% CI)"]
    if several:
        columns.append(f"cost vs first{spread}")
    costs = costs_shown(table, "total_cost", result.replications)  # each year's rounded together
    apart = costs_shown(table, "total_cost_vs_first", result.replications) if several else None
    rows = []
    for index, row in zip(table.index, table.to_dict("records")):
        hires = float(row["hires"])  # people: whole unless attrition's replacements differ between replications
        cells = [row["scenario"], row["year"], "—" if math.isnan(row["fte_needed"]) else f"{row['fte_needed']:.1f}",
                 *([f"{row['fte_as_written']:.1f}"] if kept else []),
                 f"{row['fte']:.1f}", *([f"{row['management_fte']:.1f}"] if posts else []),
                 f"{hires:,.0f}" if hires.is_integer() else f"{hires:,.1f}",
                 cost_with_ci(costs.loc[index])]
        for sla in slas:
            if math.isnan(row[f"{sla}_target"]):  # another scenario's SLA: this one has none
                cells.append("no such SLA")
                continue
            met = row[sla] >= row[f"{sla}_target"] - 1e-12
            team = teams[row["scenario"]].get(sla)  # None: a column the scenario does not measure this way
            late = late_teams(row, [team] if team else []).get(team)  # this SLA's own team's hires only
            bounds = interval(sla, row[f"{sla}_ci_low"], row[f"{sla}_ci_high"], ref=row[sla], named=False)
            cells.append(f"{mean_words(row, sla)} ({bounds})"  # as the report writes it: 99.95%, never 100.0%
                         + ("" if met else f" < {target_percent(row[f'{sla}_target'])}")
                         + (f", hires late by {late} weeks" if late else ""))
        cells.append(f"{row['backlog_mean']:,.0f} ({row['backlog_mean_ci_low']:,.0f}–{row['backlog_mean_ci_high']:,.0f})")
        if several:
            cells.append("–" if row["scenario"] == result.scenarios[0].name else
                         cost_with_ci(apart.loc[index], signed=True))
        rows.append(cells)
    sla_names = [named.get(s, s.removeprefix("sla_")) for s in slas]
    out_console.print(capsim_table(
        columns, rows, numbers=columns[2:],
        keep={name: len(name.split(" (")[0]) for name in sla_names},  # "within 72 h" on one line; the team may wrap
        title=f"Grant: {how_many(len(result.years), 'year')} from {result.years[0].first}, {result.replications} replications, "
              f"seed {result.seed}, {currency} at each year's prices (means; 95% CI; costs rounded {COST_PRECISION})"))
    for note in grant_notes(result):  # the fixed cost, unlike items, deadlines a tool moves, teams no target plans
        out_console.print(note, markup=False, soft_wrap=True)
    if (table.filter(like="hires_late_weeks_") > 0).any(axis=None):
        out_console.print("Hires late (beside a team's service levels only): that team's new analysts for the year "
                          "cannot be in post and trained on its first day (they are recruited from the grant start, "
                          "then train); its service level and cost are those of the hires arriving late.",
                          markup=False, soft_wrap=True)
    from capsim.costs import unpriced_note
    from capsim.report.grant import cost_assumptions, medians_notes, plan_notes

    for notes in plan_notes(result).values():  # the solver's reasons: a year no headcount meets, hires already late
        for note in notes:
            out_console.print(note, markup=False, soft_wrap=True)
    print_budget_lines(table, result.scenarios, currency)
    if (unpriced := unpriced_note(result.scenarios)) is not None:
        out_console.print(unpriced, markup=False, soft_wrap=True)
    for names, prices in cost_assumptions(result.scenarios):  # what every cost above rests on
        out_console.print(capsim_table(["parameter", "value", "unit", "source"], prices[["key", "value", "unit", "source"]]
                                       .values.tolist(), title=f"{', '.join(names)}: the prices the costs rest on"))
    warmups = sorted(set(result.warmup_days))
    out_console.print(
        "FTE: analysts on each team's contract (part-time as fractions); the management and QA posts costed with "
        "them (costs.roles: one per so many analyst FTE) are their own column; needed for SLAs: the smallest headcount of "
        "the teams with SLAs meeting them that year" + ("; as written (no SLA): the seats of the teams with no SLA, "
                                                         "which no target sizes; in post: every team's" if kept else "")
        + ". Hires: analysts who started in the year, every team's, in new seats or replacing leavers (means over the "
        "replications). Row all: FTE are the average over the grant years, hires and costs the totals. Service levels and items waiting (all teams, averaged "
        "over the year) are of the plan as costed. "
        f"The warm-up ({', '.join(map(str, warmups))} days) runs before the grant start to fill the queues and is "
        "neither planned nor costed. Prices: a published source where the scenario cites one, else an assumption "
        "(the scenario's own, or capsim's default).", style="dim", soft_wrap=True)
    for note in medians_notes(result):  # intervals of the simulation only: say so, and how to see the rest
        out_console.print(note, markup=False, soft_wrap=True)


def main() -> None:
    """Entry point that turns an interrupt into a quiet exit.

    An interrupted command has stopped its workers and cleared its output folder by the time it
    exits (status 130, :func:`interruption_said`): the process then ends at once, without
    Python's exit hooks, whose only work left is to wake the stopped pools' manager threads
    through pipes those threads may be closing (Python 3.11 reports that as an ignored
    "Bad file descriptor" traceback, a race in concurrent.futures)."""
    try:
        app()
    except KeyboardInterrupt:  # before a command started: typer handles one during a command
        err_console.print(interrupted_line({}))
        _exit_now(130)
    except SystemExit as exit_:
        if exit_.code == INTERRUPTED:  # an interrupted command, its line printed (interruption_said)
            _exit_now(INTERRUPTED)
        raise


INTERRUPTED = 130
"""Exit status of a command stopped by Ctrl-C (128 + SIGINT, as shells give it)."""


def _exit_now(status: int) -> None:
    """End the process with ``status`` once what it printed is out, without Python's exit hooks (see :func:`main`)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    main()
