"""Sweeps: one scenario run at every point of a grid of settings.

A grid names scenario keys and the values each takes (``workforce.analysts.headcount:
[10, 12, 14]``); its points are the cartesian product, the last key changing fastest. Every
grid point × replication is an independent **task**: ``run_measured(scenario_at_point, seed,
replication)``, also per calendar year when the plan asks (``periods``: every metric, or with
``period_measures="staffing"`` only the counts, hours, staff and costs, as the task file's
``period_measures`` says). All points share one seed, so they share their random streams (common random
numbers): the difference between two points is the setting, not the luck of the draw.

Tasks run on local processes (``executor="local"``) or on a Dask cluster
(``executor="dask"``: an existing scheduler, or a ``LocalCluster`` started on loopback).
Each finished task is written at once to ``<out>/tasks/<point>-<replication>.json`` (atomically:
temporary file, then ``os.replace``), so an interrupted sweep loses only the tasks in flight:
running the same sweep again skips every task whose file is there. A write that fails (a full
disk) ends it the same way, in one message saying so (:func:`_writing`). The folder must be new,
empty or an earlier run's of this very sweep, and is locked while the sweep runs (:mod:`capsim.output`).
Like every other output, it lists each file capsim wrote, with its SHA-256, in ``.capsim-files``
(:mod:`capsim.written_files`; each file is listed just before it is written, its earlier content
staying listed too, so a kill never leaves a file capsim wrote unlisted): a folder holding another
sweep's tasks, anything capsim did not write there (a link among them) or a file changed since,
or an older sweep's folder without that list, is refused before anything in it is touched, never
followed, cleaned or overwritten. When every task is done the final tables are made from those
files alone, so they are the same byte for byte whichever executor ran them, on however many
workers, and whether or not the sweep was interrupted:

* ``sweep_summary.csv`` — one row per grid point × metric: ``point``, one column per grid
  key, ``metric``, ``mean``, ``ci_low``, ``ci_high``, ``p10``, ``p50``, ``p90``
  (:func:`capsim.results.summarise`);
* ``sweep_replications.csv`` — one row per grid point × replication: ``point``, the grid
  columns, ``replication`` and every metric;
* ``manifest.json`` — the base scenario, the grid, each point's scenario digest, seed,
  replications, executor, versions, and any failed task; written last (after whatever a
  ``finish`` step, such as :mod:`capsim.uncertainty`'s tables and report, adds), so it says
  ``complete`` only once everything is in place. A run again keeps the earlier run's tables and
  report until its own are in their place (an interrupted run leaves them), then removes those it
  did not make again (a chart of a metric no longer measured; all of them if a task failed).

Numbers in the tables are written as the shortest text that reads back as the same float
(Python's ``repr``); an undefined value (a confidence interval from one replication) is left
empty.

Why it is one module (over 800 lines): planning the grid, running its tasks on either
executor, resuming from finished tasks and writing the tables must agree on one task naming
and file layout; kept together, a resumed sweep cannot drift from a fresh one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import io
import itertools
import json
import logging
import math
import os
import re
import shutil
import socket
import stat
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from capsim import experiment, memory, output, written_files
from capsim.manifest import manifest as run_manifest
from capsim.metrics import metric_names
from capsim.named_lists import key_part
from capsim.periods import Granularity, Measures
from capsim.pool import worker_pool
from capsim.results import summarise
from capsim.scenario import NAME_KEYS, Scenario, ScenarioError, apply_overrides, resolve_raw, step_into, validate
from capsim.version import version

EXECUTORS = ("local", "dask")
"""Where tasks run: processes on this machine, or a Dask cluster."""

CONNECT_TIMEOUT = float(os.environ.get("CAPSIM_CONNECT_TIMEOUT", "3"))
"""Seconds to wait for a Dask scheduler to answer before giving up (environment variable
``CAPSIM_CONNECT_TIMEOUT`` to change it, for a scheduler far away)."""

TASK_FORMAT = "capsim-sweep-task/1"
"""The ``format`` field of a task file."""

TASKS = "tasks"
"""Sub-folder of the output folder holding one file per finished task."""

SUMMARY_FILE = "sweep_summary.csv"
REPLICATIONS_FILE = "sweep_replications.csv"
MANIFEST_FILE = output.MANIFEST

_TASK_NAME = re.compile(r"^(\d+)-(\d+)\.json$")
_TEMPORARY = re.compile(r"\..+\.capsim-[a-z0-9_]{8}\.tmp")
"""Names of :func:`write_atomic`'s temporary files (``.<name>.capsim-`` and mkstemp's 8 random characters)."""

Finish = Callable[["SweepResult", Path], dict]
"""A last step of a sweep (:func:`sweep`'s ``finish``): given its result and an empty staging
folder, it writes more files of the output there (capsim moves each into the sweep folder at the
same place, atomically, under the sweep's lock) and returns sections to add to the manifest."""


class SweepError(ScenarioError):
    """A sweep that cannot start (bad grid, bad scenario at a point, wrong folder, no scheduler)."""


@dataclass(frozen=True)
class TaskFailure:
    """A task that raised: which grid point and replication, and what went wrong."""

    point: int
    grid: dict[str, str]
    replication: int
    error: str
    traceback: str = ""

    def describe(self) -> str:
        """One line: point, its settings, replication and the error."""
        settings = ", ".join(f"{k}={v}" for k, v in self.grid.items())
        return f"point {self.point} ({settings}), replication {self.replication}: {self.error}"


class SweepFailed(Exception):
    """Some tasks raised. The other tasks' results are kept in ``folder``/tasks; running the
    same sweep again runs only the tasks that have no result yet."""

    def __init__(self, failures: list[TaskFailure], folder: Path, total: int):
        self.failures = failures
        self.folder = folder
        self.total = total
        lines = [f.describe() for f in failures]
        super().__init__(f"{len(failures)} of {total} task(s) failed:\n" + "\n".join(lines))


@dataclass(frozen=True)
class GridPoint:
    """One point of the grid: its index, the value text of each key, and its scenario."""

    index: int
    values: dict[str, str]
    scenario: Scenario

    @property
    def overrides(self) -> list[str]:
        return [f"{k}={v}" for k, v in self.values.items()]


@dataclass
class SweepPlan:
    """A validated sweep: the base scenario (``--set`` applied) and every grid point."""

    base: Scenario
    source: str
    overrides: list[str]
    grid: dict[str, list[str]]
    points: list[GridPoint]
    replications: int
    seed: int
    periods: Granularity | None = None
    """Also measure each task per calendar period (:mod:`capsim.periods`): kept in its task file
    as ``periods`` and gathered into :attr:`SweepResult.per_period`."""
    period_measures: Measures = "all"
    """What is measured in each period (:data:`capsim.periods.Measures`): every metric, or the
    staffing ones only (counts, hours, staff and costs; all :mod:`capsim.uncertainty` reads per year)."""
    workers: int = 1
    """The local worker processes whose memory :func:`plan_sweep` checked at every grid point:
    as asked, or as it chose them (``workers=None``); 0 where it checked none (a remote scheduler's)."""

    @property
    def total(self) -> int:
        """Number of tasks: points × replications."""
        return len(self.points) * self.replications


@dataclass
class SweepResult:
    """What a sweep produced: the tables written to ``sweep_summary.csv`` and ``sweep_replications.csv``."""

    plan: SweepPlan
    folder: Path
    summary: pd.DataFrame
    per_replication: pd.DataFrame
    tasks_run: int
    tasks_reused: int
    manifest: dict = field(default_factory=dict)
    per_period: pd.DataFrame = field(default_factory=pd.DataFrame)
    """With :attr:`SweepPlan.periods`: (point, replication, period) × metric (:func:`period_table`); else empty."""

    @property
    def grid(self) -> dict[str, list[str]]:
        return self.plan.grid


# --------------------------------------------------------------------------- the grid


def split_values(text: str) -> list[str]:
    """Split ``v1,v2,...`` at commas outside brackets, braces and quotes (``[mon,tue],[sat]``)."""
    values, depth, quote, current = [], 0, "", []
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 0:
            values.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    values.append("".join(current).strip())
    return values


def parse_grid(specs: Sequence[str]) -> dict[str, list[str]]:
    """``--grid dotted.key=v1,v2,...`` options as {key: [value text, ...]}, in the order given."""
    grid: dict[str, list[str]] = {}
    if not specs:
        raise SweepError("give at least one --grid dotted.key=v1,v2,... (e.g. --grid workforce.analysts.headcount=10,12,14)")
    for spec in specs:
        key, sep, text = spec.partition("=")
        key = key.strip()
        if not sep or not key or not all(part.strip() for part in key.split(".")):
            raise SweepError(f"--grid {spec!r}: write it as dotted.key=v1,v2,..., e.g. workforce.analysts.headcount=10,12,14")
        values = split_values(text) if text.strip() else []
        if not values:
            raise SweepError(f"--grid {key}: the list of values is empty; give at least one, e.g. {key}=10,12")
        if any(v == "" for v in values):
            raise SweepError(f"--grid {key}={text}: a value is empty (two commas in a row, or one at the end)")
        if key in grid:
            raise SweepError(f"--grid {key}: given twice; give all its values in one --grid option")
        grid[key] = values
    return grid


def value_text(value: Any) -> str:
    """A grid value as the text of a ``--set`` override (read back as YAML)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, default=str)


def normalise_grid(grid: Mapping[str, Sequence[Any]]) -> dict[str, list[str]]:
    """A grid given in Python ({key: [values]}) as {key: [value text]}, checked like ``--grid``."""
    if not grid:
        raise SweepError("the grid is empty: give at least one key and its values")
    out: dict[str, list[str]] = {}
    for key, values in grid.items():
        key = str(key).strip()
        if not key or not all(part.strip() for part in key.split(".")):
            raise SweepError(f"grid key {key!r}: write it as a dotted key, e.g. workforce.analysts.headcount")
        if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
            raise SweepError(f"grid key {key}: give a list of values, e.g. [10, 12, 14]")
        if len(values) == 0:
            raise SweepError(f"--grid {key}: the list of values is empty; give at least one, e.g. {key}=10,12")
        texts = [value_text(v) for v in values]
        if any(t == "" for t in texts):
            raise SweepError(f"--grid {key}: a value is empty")
        out[key] = texts
    return out


LARGE_GRID = 10_000
"""Grid points above which a sweep is worth a warning: each point is validated and kept (about
50 KB and a few milliseconds each) before any task runs."""


def grid_size(grid: Mapping[str, Sequence[Any]]) -> int:
    """Number of grid points: the product of the number of values of each key."""
    return math.prod(len(v) for v in grid.values())


def large_grid_warning(grid: Mapping[str, Sequence[Any]]) -> str | None:
    """One line warning of a grid of more than :data:`LARGE_GRID` points, or None."""
    points = grid_size(grid)
    if points <= LARGE_GRID:
        return None
    shape = " × ".join(str(len(v)) for v in grid.values())
    return (f"warning: the grid has {points:,} points ({shape}); each is validated before any task runs, "
            "which takes minutes; a coarser grid (fewer values per key) answers most questions")


def _walk(node: Any, parts: list[str]) -> tuple[int, Any]:
    """How many of ``parts`` lead somewhere from ``node``, and the node reached."""
    for depth, part in enumerate(parts):
        found, child = step_into(node, part)
        if not found:
            return depth, node
        node = child
    return len(parts), node


def _choices(node: Any) -> list[str]:
    if isinstance(node, dict):
        return sorted(map(str, node))
    if isinstance(node, list):
        names = [str(e[k]) for e in node if isinstance(e, dict) for k in NAME_KEYS if k in e]
        return names or [str(i) for i in range(len(node))]
    return []


def check_keys(keys: Sequence[str], raw: dict, resolved: dict, origin: str) -> None:
    """Refuse a grid key the scenario does not have.

    A key exists if the scenario file (after ``extends:`` and ``--set``) writes it, or if the
    validated scenario has it (a field left at its default, such as a team's ``shrinkage``).
    ``--set`` alone would create a missing key silently, so this check comes first.
    """
    problems = []
    for key in keys:
        parts = [p.strip() for p in key.split(".")]
        reached = [_walk(raw, parts), _walk(resolved, parts)]
        if any(depth == len(parts) for depth, _ in reached):
            continue
        depth = max(d for d, _ in reached)
        where = ".".join(parts[:depth]) or "the top level"
        choices = sorted({c for d, node in reached if d == depth for c in _choices(node)})
        hint = f"; {where} has: {', '.join(choices)}" if choices else f"; {where} is a plain value, with no keys below it"
        problems.append(f"{origin}: --grid {key}: no such key in the scenario ({parts[depth]!r} not found){hint}")
    if problems:
        raise SweepError("\n".join(problems))


def plan_sweep(
    scenario_path: str | Path,
    grid: Mapping[str, Sequence[Any]],
    replications: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
    workers: int | None = 1,
    warn: Callable[[str], None] | None = None,
) -> SweepPlan:
    """Load the scenario, check the grid's keys, and validate the scenario at every grid point.

    Every problem is found before any task runs: a missing key, an empty value list, a
    value that makes the scenario invalid (named with its grid point), a task list or a point
    too large for this machine's memory with ``workers`` at once (pass ``workers=0`` to skip
    the per-point check). ``workers=None`` chooses them, as every command that simulates does
    when none are asked for: the cores this process may use, at most one per task, and no more
    than fit in memory at every grid point (:func:`capsim.memory.default_workers`); the plan
    keeps them (:attr:`SweepPlan.workers`). ``warn`` receives a line for a grid of more than
    :data:`LARGE_GRID` points.
    """
    texts = normalise_grid(grid)
    raw, origin = resolve_raw(scenario_path)
    base_raw = apply_overrides(raw, list(overrides), origin)
    base = validate(base_raw, origin, overrides)
    check_keys(list(texts), base_raw, base.model_dump(mode="json"), origin)
    replications = base.experiment.replications if replications is None else int(replications)
    seed = base.experiment.seed if seed is None else int(seed)
    if replications < 1:
        raise SweepError("replications must be at least 1")
    if seed < 0:
        raise SweepError("the seed must be 0 or more")
    points, problems = [], []
    tasks = grid_size(texts) * replications
    memory.check_sweep(grid_size(texts), replications, max(workers or 1, 1))  # before any point is validated
    most = tasks if workers is None else workers
    warning = large_grid_warning(texts)
    if warning and warn:
        warn(warning)
    for index, combination in enumerate(itertools.product(*texts.values())):
        values = dict(zip(texts, combination))
        items = [f"{k}={v}" for k, v in values.items()]
        try:
            scenario = validate(apply_overrides(base_raw, items, origin), origin, overrides,
                                [(f"--grid {item}", item) for item in items])
            if workers is None:
                most = memory.default_workers(scenario, 1, most=most)
            if most > 0:
                experiment.check_size(scenario, min(most, tasks))
        except ScenarioError as err:
            problems.append(f"{origin}, grid point {index} ({', '.join(items)}):\n  " + str(err).replace("\n", "\n  "))
            continue
        points.append(GridPoint(index, values, scenario))
    if workers is None:  # again, with the worker processes chosen
        memory.check_sweep(grid_size(texts), replications, max(most, 1))
    if problems:
        shown = problems[:5] + ([f"... and {len(problems) - 5} more grid point(s) with problems"] if len(problems) > 5 else [])
        raise SweepError("\n".join(shown))
    return SweepPlan(base=base, source=str(scenario_path), overrides=list(overrides), grid=texts,
                     points=points, replications=replications, seed=seed, workers=most)


# --------------------------------------------------------------------------- one task


def run_task(scenario: Scenario, seed: int, replication: int, periods: Granularity | None = None,
             measures: Measures = "all") -> dict:
    """Run one task (picklable, for worker processes): the metrics of one replication and, with
    ``periods``, its metrics per calendar period (``"periods"``: label → metric → value; every
    metric, or with ``measures="staffing"`` the staffing ones, named in ``"period_measures"``).

    Also says who ran it (a fresh run id, host and process) and how long it took, so that a
    task file shows which run of the sweep made it.
    """
    started = time.perf_counter()
    metrics, _, by_period = experiment.run_measured(scenario, seed, replication, periods, series=False,
                                                    measures=measures)

    return {
        "metrics": {name: float(value) for name, value in metrics.items()},
        **({"periods": {label: {name: float(value) for name, value in values.items()}
                        for label, values in by_period.items()}, "period_measures": measures} if periods else {}),
        "run": {"id": uuid.uuid4().hex, "host": socket.gethostname(), "pid": os.getpid(),
                "seconds": round(time.perf_counter() - started, 6),
                "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds"),
                "capsim": version()},
    }


def task_arguments(plan: SweepPlan, point: int, replication: int) -> tuple:
    """The arguments of :func:`run_task` for task (point, replication) of ``plan``."""
    return plan.points[point].scenario, plan.seed, replication, plan.periods, plan.period_measures


def task_path(folder: Path, point: int, replication: int) -> Path:
    """Where the result of task (point, replication) is kept."""
    return folder / TASKS / f"{point}-{replication}.json"


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` through a temporary file and ``os.replace``: all or nothing.

    The temporary file is new (``mkstemp``: never a file or link already there), so nothing is
    written through a link; ``os.replace`` replaces a link at ``path`` rather than its target.
    """
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.capsim-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            os.fchmod(file.fileno(), 0o666 & ~output.UMASK)  # an ordinary file, not mkstemp's owner-only one
            file.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


def _dump(data: dict) -> str:
    return json.dumps(data, indent=1, default=str, allow_nan=True) + "\n"


# --------------------------------------------------------------------------- the output folder


@contextlib.contextmanager
def _claimed(folder: Path) -> Iterator[output.Claim]:
    """Check, lock and hold the sweep's folder (:func:`capsim.output.claim`): only a new or empty
    folder or an earlier sweep's is used, and never by two capsim commands at once."""
    try:
        with output.claim(folder, "sweep") as claimed:
            yield claimed
    except output.OutputError as err:
        raise SweepError(str(err)) from None


def _task_record(path: Path) -> dict:
    """The record in a task file, which must be a regular file that capsim wrote (any format
    version): a link, a device or another file is refused, never read through or removed."""
    try:
        regular = stat.S_ISREG(path.lstat().st_mode)
        record = json.loads(path.read_text(encoding="utf-8")) if regular else None
    except (OSError, ValueError):
        record = None
    if not isinstance(record, dict) or not str(record.get("format", "")).startswith(TASK_FORMAT.split("/")[0] + "/"):
        raise SweepError(f"{path}: is not a task file that capsim wrote (or is a link); capsim leaves it alone. "
                         "Move it away, or choose another --out")
    return record


def existing_tasks(folder: Path, plan: SweepPlan) -> tuple[dict[tuple[int, int], dict], list[Path]]:
    """Finished tasks already in ``folder`` that belong to this sweep, and damaged task files
    (capsim's, but of another format version or mislabelled: they hold no result to keep).

    A task file made by another sweep (another scenario at that point, or another seed) is an
    error: the folder holds another sweep's results, which must not be mixed with these. So is
    a ``tasks`` link, or a file named like a task that capsim did not write.
    """
    found: dict[tuple[int, int], dict] = {}
    damaged: list[Path] = []
    tasks = folder / TASKS
    try:
        if not stat.S_ISDIR(tasks.lstat().st_mode):
            raise _not_a_folder(tasks)
    except FileNotFoundError:
        return found, damaged
    for path in sorted(tasks.iterdir()):
        match = _TASK_NAME.match(path.name)
        if not match:
            continue
        point, replication = int(match.group(1)), int(match.group(2))
        record = _task_record(path)
        expected = plan.points[point].scenario.digest() if point < len(plan.points) else None
        if record.get("seed") != plan.seed or record.get("scenario_sha256") != expected:  # before any is run again
            raise SweepError(f"{folder}: holds another sweep's results ({TASKS}/{path.name} among them), which capsim "
                             f"will not mix with this one's: {_what_differs(folder, plan, record, point)}. Choose "
                             f"another --out for this sweep, or delete {folder} to start it afresh there.")
        ok = (record.get("format") == TASK_FORMAT and record.get("point") == point
              and record.get("replication") == replication and isinstance(record.get("metrics"), dict)
              and (plan.periods is None or (isinstance(record.get("periods"), dict)  # else run it again
                                            and record.get("period_measures", "all") in ("all", plan.period_measures))))
        if not ok:
            damaged.append(path)
            continue
        if replication < plan.replications:
            found[(point, replication)] = record
    return found, damaged


_NOT_SET = object()
"""A key a scenario does not write, in :func:`_differences`."""

MAX_DIFFERENCES = 5
"""Settings :func:`_what_differs` names at most; it counts the rest."""

LONGEST_VALUE = 80
"""Characters of a value :func:`_what_differs` shows at most (a whole list of rules can be long)."""


def _what_differs(folder: Path, plan: SweepPlan, record: dict, point: int) -> str:
    """What differs between ``plan`` and the sweep that wrote task ``record`` (of grid ``point``)
    into ``folder``, in words: the seed, the number of grid points, or each setting of the
    scenario at that point, as written (with its unit) here and in the folder's ``manifest.json``."""
    if record.get("seed") != plan.seed:
        return f"the seed is {plan.seed} here, {record.get('seed')} in the folder"
    if point >= len(plan.points):
        return f"this sweep has {len(plan.points)} grid point(s), the folder's at least {point + 1}"
    ours = plan.points[point].scenario.source
    try:  # output.check has read it: capsim's manifest of a sweep, a mapping
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        theirs = apply_overrides(manifest["scenario"], [f"{k}={v}" for k, v in record["grid"].items()], str(folder))
    except (OSError, ValueError, KeyError, AttributeError, ScenarioError):  # gone since, or changed by hand
        return f"its scenario at grid point {point} is not this sweep's (the folder's {MANIFEST_FILE} does not say how)"
    found = _differences(ours, theirs)
    if not found:
        made_by = manifest.get("versions", {}).get("capsim")
        return (f"its scenario at grid point {point} differs from this sweep's, in no setting written"
                + (f": capsim {made_by} made it, this is capsim {version()}" if made_by and made_by != version() else ""))
    said = [f"{key}: {_written(mine)} here, {_written(its)} in the folder" for key, mine, its in found[:MAX_DIFFERENCES]]
    more = f"; and {len(found) - MAX_DIFFERENCES} more setting(s)" if len(found) > MAX_DIFFERENCES else ""
    return f"at grid point {point}, " + "; ".join(said) + more


def _differences(ours: Any, theirs: Any, where: str = "") -> list[tuple[str, Any, Any]]:
    """The dotted keys (as ``--set`` takes them) at which two raw scenario trees differ, each
    with the value either gives it (:data:`_NOT_SET` where it has none)."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return [found for key in dict.fromkeys([*ours, *theirs])
                for found in _differences(ours.get(key, _NOT_SET), theirs.get(key, _NOT_SET),
                                          f"{where}.{key}" if where else str(key))]
    if isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        return [found for i, (mine, its) in enumerate(zip(ours, theirs))
                for found in _differences(mine, its, f"{where}.{key_part(ours, i, where)}")]
    return [] if ours == theirs else [(where, ours, theirs)]


def _written(value: Any) -> str:
    """A scenario value as a file or ``--set`` writes it (``30d``, ``12``), cut at
    :data:`LONGEST_VALUE` characters, or "not set"."""
    text = "not set" if value is _NOT_SET else value_text(value)
    return text if len(text) <= LONGEST_VALUE else text[:LONGEST_VALUE - 1] + "…"


def _remove_temporaries(folder: Path) -> None:
    """What a sweep killed while writing left: temporary files (:func:`write_atomic`) and staging
    folders (of a ``finish`` step) anywhere in the folder, named as capsim names them; only regular
    files and real folders, never a finished file nor a link (links are not walked into)."""
    for root, dirs, files in os.walk(folder):
        for name in filter(_TEMPORARY.fullmatch, [*dirs, *files]):
            path = Path(root) / name
            with contextlib.suppress(OSError):
                mode = path.lstat().st_mode
                if stat.S_ISDIR(mode):
                    dirs.remove(name)
                    shutil.rmtree(path)
                elif stat.S_ISREG(mode):
                    path.unlink()


def _not_a_folder(path: Path) -> SweepError:
    return SweepError(f"{path}: is a link or a file, not a folder; capsim never writes through a link "
                      "inside a sweep folder. Move it away, or choose another --out")


def _check_written(folder: Path) -> None:
    """Refuse a sweep folder that holds anything capsim did not write there or changed since, or has
    no list of its files (:func:`capsim.written_files.not_all_written`); a new or empty folder is fine."""
    try:
        with os.scandir(folder) as entries:
            if not any(entries):
                return
    except FileNotFoundError:
        return
    if why := written_files.not_all_written(folder):
        raise SweepError(f"{folder}: {why}. capsim carries on a sweep only in a folder holding nothing but what it "
                         "wrote there; else choose another folder with --out")


WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS, errno.EACCES, errno.EPERM})
"""The errors of a write the disk or its permissions refused (:func:`_writing`); any other error is
not the disk's, and goes on as it is."""


@contextlib.contextmanager
def _writing(folder: Path) -> Iterator[None]:
    """Turn a failure to write into the sweep folder ``folder`` once its tasks have begun (a full
    disk, say: :data:`WRITE_ERRORS`) into a :class:`SweepError` that says so and how to go on:
    every file is written atomically (:func:`write_atomic`, or in a staging folder), so none is
    left half-written, and the finished tasks are kept for the same command to take up again."""
    try:
        yield
    except OSError as err:
        if err.errno not in WRITE_ERRORS:
            raise
        raise SweepError(f"{folder}: cannot write the output there ({err.strerror or err}); the finished tasks are "
                         f"kept in {folder}/{TASKS}: free some space (or fix the cause) and run the same command "
                         "again to finish") from None


def _kept(folder: Path) -> list[Path]:
    """Every file an earlier run of the sweep wrote in ``folder`` (its manifest, tasks, tables, report
    and charts), but the list of files and a desktop's cache files: all capsim's and regular files
    once :func:`_check_written` has passed."""
    return [path for path in sorted(folder.rglob("*")) if path.is_file()
            and path.name not in written_files.DESKTOP_CACHES and path != folder / written_files.FILES]


class _Listing:
    """The list of the files capsim wrote into a sweep folder (:data:`capsim.written_files.FILES`, in
    ``sha256sum``'s format), kept as it writes them: each file is listed (its SHA-256) just before it
    is written, a line added after the one of its earlier content, so a kill never leaves a file of
    capsim's whose content the list does not name (a listed file not there yet is no harm);
    :meth:`close` writes it afresh, one line a file (its content now)."""

    def __init__(self, folder: Path, kept: Sequence[Path]):
        """Start the list with the files ``kept`` (found capsim's by :func:`_check_written`)."""
        self.folder = folder
        self.digests = {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
                        for path in kept}
        self.written: set[str] = set()
        """The files this run wrote (relative paths, with ``/``)."""
        self.close()

    def write(self, name: str, data: str | bytes) -> None:
        """List, then write (:func:`write_atomic`) the file ``name`` (relative to the folder, with ``/``)."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        write_atomic(self._listed(name, raw), raw)

    def adopt(self, staging: Path) -> None:
        """Move every file under ``staging`` (a folder inside the sweep folder) to the same place in
        the sweep folder, one at a time, each listed first, then renamed into place (``os.replace``).
        Not all or nothing: a kill part way leaves some files new and the others as an earlier run
        left them (or absent), each whole and listed; the manifest, written after, says ``complete``
        only once all are in place."""
        for root, _, files in sorted(os.walk(staging)):
            for name in sorted(files):
                path = Path(root) / name
                os.replace(path, self._listed(path.relative_to(staging).as_posix(), path.read_bytes()))

    def _listed(self, name: str, raw: bytes) -> Path:
        """List the file ``name`` with the content ``raw`` and make the folders it goes in; its path.
        A folder on the way that is a link or a file is refused, never written through."""
        place = self.folder
        for part in Path(name).parent.parts:
            place = place / part
            with contextlib.suppress(FileExistsError):
                place.mkdir()
            if not stat.S_ISDIR(place.lstat().st_mode):
                raise _not_a_folder(place)
        self.digests[name] = digest = hashlib.sha256(raw).hexdigest()
        self.written.add(name)
        handle = os.open(self.folder / written_files.FILES, os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW)
        try:
            os.write(handle, f"{digest}  {name}\n".encode("utf-8"))
        finally:
            os.close(handle)
        return self.folder / name

    def remove_unwritten(self) -> None:
        """Remove the files an earlier run made from its tasks (tables, a report, its charts) that this run
        did not write again, and the folders that leaves empty (not one holding a desktop's cache file);
        the task files stay. Each stays listed until :meth:`close`: a listed file not there is no harm."""
        for name in sorted(set(self.digests) - self.written):
            if Path(name).parts[0] != TASKS:
                (self.folder / name).unlink(missing_ok=True)
                del self.digests[name]
                for parent in Path(name).parents[:-1]:  # its folders, innermost first, not the sweep folder
                    with contextlib.suppress(OSError):  # not empty
                        (self.folder / parent).rmdir()

    def close(self) -> None:
        """Write the list afresh (atomically): one line a file, in name order."""
        write_atomic(self.folder / written_files.FILES,
                     "".join(f"{digest}  {name}\n" for name, digest in sorted(self.digests.items())))


# --------------------------------------------------------------------------- executors


def _error_text(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


Done = Callable[[int, int, dict], None]
Failed = Callable[[int, int, BaseException, str], None]


def _run_local(todo: list[tuple[int, int]], plan: SweepPlan, workers: int, done: Done, failed: Failed) -> None:
    """Run tasks in this process (one worker) or on a pool of local processes."""
    if workers <= 1:
        for point, replication in todo:
            try:
                outcome = run_task(*task_arguments(plan, point, replication))
            except Exception as err:  # noqa: BLE001 - a task's failure is reported, not fatal
                failed(point, replication, err, traceback.format_exc())
            else:
                done(point, replication, outcome)
        return
    with worker_pool(workers) as pool:  # its workers exit if the sweep dies, and stop on Ctrl-C
        futures = {pool.submit(run_task, *task_arguments(plan, p, r)): (p, r) for p, r in todo}
        for future in as_completed(futures):
            point, replication = futures.pop(future)
            error = future.exception()
            if error is None:
                done(point, replication, future.result())
            else:
                note = " (a worker process died: out of memory, or killed)" if isinstance(error, BrokenProcessPool) else ""
                failed(point, replication, error, "".join(traceback.format_exception(error)) + note)


@dataclass
class DaskConnection:
    """A Dask client, and the local cluster behind it when the sweep started one."""

    client: Any
    cluster: Any = None
    address: str = ""

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close()


def _probe_scheduler(address: str, timeout: float) -> None:
    """Open and close one connection to a Dask scheduler, within ``timeout`` seconds; raise if none answers.

    Done before a ``Client`` exists: a Client that failed to connect is closed again by its
    finaliser, which waits twice the timeout more and prints a TimeoutError traceback.
    """
    import asyncio

    from distributed.comm import connect

    async def probe() -> None:
        comm = await connect(address, timeout=timeout)
        await comm.close()

    asyncio.run(asyncio.wait_for(probe(), timeout))


def connect_dask(scheduler: str | None, workers: int, timeout: float = CONNECT_TIMEOUT) -> DaskConnection:
    """A client of the scheduler at ``scheduler``, or of a new ``LocalCluster`` on loopback.

    An unreachable scheduler is a :class:`SweepError` after ``timeout`` seconds, not a hang.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise SweepError("--executor dask needs Dask distributed, which is not installed: "
                         "pip install 'capsim[dask]' (or pip install 'dask[distributed]')") from None
    if scheduler:
        try:
            _probe_scheduler(scheduler, timeout)
            client = Client(scheduler, timeout=timeout, set_as_default=False)
        except Exception as err:  # noqa: BLE001 - OSError, TimeoutError, ValueError for a bad address
            raise SweepError(f"--scheduler {scheduler}: cannot reach a Dask scheduler there within {timeout:g} s "
                             f"({_error_text(err)}). Start one (dask scheduler; dask worker ADDRESS) or leave out "
                             "--scheduler to start a local cluster.") from None
        return DaskConnection(client, None, scheduler)
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None, silence_logs=logging.ERROR)
    try:
        client = Client(cluster, timeout=timeout, set_as_default=False)
    except BaseException:
        cluster.close()
        raise
    return DaskConnection(client, cluster, cluster.scheduler_address)


def _run_dask(todo: list[tuple[int, int]], plan: SweepPlan, connection: DaskConnection, done: Done, failed: Failed) -> None:
    """Run tasks on a Dask cluster, handling each as it finishes."""
    from distributed import as_completed as dask_completed

    client = connection.client
    token = uuid.uuid4().hex[:8]
    futures = {}
    for point, replication in todo:
        future = client.submit(run_task, *task_arguments(plan, point, replication),
                               key=f"capsim-sweep-{token}-{point}-{replication}", pure=False)
        futures[future] = (point, replication)
    try:
        for future in dask_completed(list(futures), loop=client.loop):
            point, replication = futures.pop(future)
            if future.status == "finished":
                done(point, replication, future.result())
            else:
                try:
                    error, trace = future.exception(), future.traceback()
                except BaseException as err:  # noqa: BLE001 - a cancelled future, a lost worker
                    error, trace = err, None
                if not isinstance(error, BaseException):
                    error = RuntimeError(str(error))
                failed(point, replication, error, "".join(traceback.format_exception(type(error), error, trace)))
            future.release()
    except BaseException:
        with contextlib.suppress(Exception):
            client.cancel(list(futures))
        raise


# --------------------------------------------------------------------------- tables


def _float_text(value: float) -> str:
    """A float as the shortest text that reads back as the same number."""
    return repr(float(value))


def _grid_value(text: str) -> Any:
    """A grid value for a table: a number when the text is a plain number, else the text."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def build_tables(plan: SweepPlan, records: Mapping[tuple[int, int], dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(summary, per_replication)`` from the task records, in (point, replication) order."""
    keys = list(plan.grid)
    metrics: list[str] = []
    for point in plan.points:
        for name in metric_names(point.scenario):
            if name not in metrics:
                metrics.append(name)
    for record in records.values():
        for name in record["metrics"]:
            if name not in metrics:
                metrics.append(name)
    rows, summaries = [], []
    for point in plan.points:
        grid = {k: _grid_value(point.values[k]) for k in keys}
        mine = [{"point": point.index, **grid, "replication": r,
                 **{m: float(records[(point.index, r)]["metrics"].get(m, math.nan)) for m in metrics}}
                for r in range(plan.replications)]
        rows.extend(mine)
        names = [m for m in metrics if any(not math.isnan(row[m]) for row in mine)
                 or m in metric_names(point.scenario)]
        summary = summarise(point.scenario.name, pd.DataFrame(mine), names).drop(columns="scenario")
        for position, key in enumerate(["point", *keys]):
            summary.insert(position, key, point.index if key == "point" else grid[key])
        summaries.append(summary)
    per_replication = pd.DataFrame(rows, columns=["point", *keys, "replication", *metrics])
    summary = pd.concat(summaries, ignore_index=True)
    return summary, per_replication


def period_table(plan: SweepPlan, records: Mapping[tuple[int, int], dict]) -> pd.DataFrame:
    """One row per point × replication × calendar period (in time order), from the task records'
    ``periods``: ``point``, ``replication``, ``period``, then each metric."""
    rows = [{"point": p.index, "replication": r, "period": label, **values}
            for p in plan.points for r in range(plan.replications)
            for label, values in records[(p.index, r)].get("periods", {}).items()]
    return pd.DataFrame(rows)


def table_text(table: pd.DataFrame) -> str:
    """A table as CSV text, with floats written deterministically."""
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, float_format=_float_text, lineterminator="\n")
    return buffer.getvalue()


# --------------------------------------------------------------------------- the sweep


def check_options(executor: str, workers: int, scheduler: str | None) -> None:
    """Refuse an unknown executor, fewer than one worker, or a scheduler without Dask."""
    if executor not in EXECUTORS:
        raise SweepError(f"--executor {executor!r}: use one of {', '.join(EXECUTORS)}")
    if workers < 1:
        raise SweepError("workers must be at least 1")
    if scheduler and executor != "dask":
        raise SweepError("--scheduler goes with --executor dask (it is the address of a Dask scheduler)")


def sweep(
    scenario_path: str | Path,
    grid: Mapping[str, Sequence[Any]],
    replications: int | None = None,
    seed: int | None = None,
    executor: str = "local",
    workers: int = 1,
    scheduler: str | None = None,
    out: str | Path | None = None,
    overrides: Sequence[str] = (),
    progress: Callable[[int, int], None] | None = None,
    plan: SweepPlan | None = None,
    finish: Finish | None = None,
) -> SweepResult:
    """Run ``scenario_path`` at every point of ``grid`` × ``replications`` and write the results to ``out``.

    ``grid`` maps dotted scenario keys to the values each takes (``{"workforce.analysts.headcount":
    [10, 12, 14], "review.report.mean": ["60s", "90s"]}``); ``overrides`` are ``--set`` strings
    applied to every point first. ``replications`` and ``seed`` default to the scenario's
    ``experiment:`` section. ``executor`` is ``"local"`` (``workers`` processes; one worker runs
    in this process) or ``"dask"`` (the scheduler at ``scheduler``, or a ``LocalCluster`` of
    ``workers`` processes on loopback). ``progress(done, total)`` is called as tasks finish
    (tasks kept from an earlier, interrupted run count as done from the start). A ``plan``
    from :func:`plan_sweep` is used as it is (the first four arguments are then not read again).
    ``finish`` (:data:`Finish`) writes more of the output once the tables are made, before the
    manifest says ``complete``.

    Raises :class:`SweepError` for bad input or a folder it may not use (before any task runs, or
    anything in the folder is touched) or for a file it could not write once tasks have begun (a
    full disk: :func:`_writing`), and :class:`SweepFailed` if any task raised (after every other
    task has run and been written).
    """
    check_options(executor, workers, scheduler)
    if out is None:
        raise SweepError("give an output folder (out=...)")
    folder = Path(out)
    started, clock = dt.datetime.now(dt.timezone.utc), time.perf_counter()
    if plan is None:
        remote = executor == "dask" and bool(scheduler)
        plan = plan_sweep(scenario_path, grid, replications, seed, overrides, workers=0 if remote else workers)
    connection = None
    try:
        with _claimed(folder):
            _remove_temporaries(folder)
            _check_written(folder)  # first: a folder without capsim's list is refused for that, whatever it holds
            records, damaged = existing_tasks(folder, plan)
            reused = len(records)
            todo = [(p.index, r) for p in plan.points for r in range(plan.replications) if (p.index, r) not in records]
            if todo and executor == "dask":  # once the folder is known to be usable
                connection = connect_dask(scheduler, workers)
            for path in damaged:  # capsim's, but another format or measuring less: it holds no result; run it again
                with contextlib.suppress(OSError):
                    path.unlink()
            base_manifest = _manifest(plan, executor, workers, connection, started, clock, reused, 0, [], "running")
            try:  # the manifest before any task: a folder is never left holding tasks without it
                folder.mkdir(exist_ok=True)
                listing = _Listing(folder, _kept(folder))
                listing.write(MANIFEST_FILE, _dump(base_manifest))
            except OSError as err:
                raise SweepError(f"{folder}: cannot write the output folder there ({err.strerror or err}); "
                                 "choose another with --out") from None
            failures: list[TaskFailure] = []
            if progress:
                progress(len(records), plan.total)

            def done(point: int, replication: int, outcome: dict) -> None:
                record = {"format": TASK_FORMAT, "point": point, "replication": replication, "seed": plan.seed,
                          "grid": plan.points[point].values, "scenario_sha256": plan.points[point].scenario.digest(),
                          "metrics": outcome["metrics"], "run": outcome["run"],
                          **({key: outcome[key] for key in ("periods", "period_measures") if key in outcome})}
                text = _dump(record)
                with _writing(folder):
                    listing.write(task_path(folder, point, replication).relative_to(folder).as_posix(), text)
                records[(point, replication)] = json.loads(text)
                if progress:
                    progress(len(records), plan.total)

            def failed(point: int, replication: int, error: BaseException, trace: str) -> None:
                failures.append(TaskFailure(point, plan.points[point].values, replication, _error_text(error), trace))

            if todo:
                if executor == "local":
                    _run_local(todo, plan, min(workers, len(todo)), done, failed)
                else:
                    _run_dask(todo, plan, connection, done, failed)
            ran = len(records) - reused
            failures.sort(key=lambda f: (f.point, f.replication))
            status = "failed" if failures else "complete"
            final = _manifest(plan, executor, workers, connection, started, clock, reused, ran, failures, status)
            with _writing(folder):
                if failures:
                    listing.remove_unwritten()  # an earlier run's tables and report, of another design than this one's
                    listing.write(MANIFEST_FILE, _dump(final))
                    listing.close()
                    raise SweepFailed(failures, folder, plan.total)
                summary, per_replication = build_tables(plan, records)
                listing.write(SUMMARY_FILE, table_text(summary))
                listing.write(REPLICATIONS_FILE, table_text(per_replication))
                result = SweepResult(plan, folder, summary, per_replication, ran, reused, final,
                                     period_table(plan, records) if plan.periods else pd.DataFrame())
                if finish is not None:  # a staging folder named as a temporary: a kill leaves it to the next run to remove
                    staging = Path(tempfile.mkdtemp(prefix=".finish.capsim-", suffix=".tmp", dir=folder))
                    try:
                        final.update(finish(result, staging))
                        listing.adopt(staging)
                    finally:
                        shutil.rmtree(staging, ignore_errors=True)
                listing.remove_unwritten()
                final["wall_seconds"] = round(time.perf_counter() - clock, 3)
                listing.write(MANIFEST_FILE, _dump(final))  # last: complete only once everything is written
                listing.close()
    finally:
        if connection is not None:
            connection.close()
    return result


def _manifest(plan: SweepPlan, executor: str, workers: int, connection: DaskConnection | None,
              started: dt.datetime, clock: float, reused: int, ran: int, failures: list[TaskFailure],
              status: str) -> dict:
    """The sweep's manifest: its kind, the run manifest of the base scenario, and a ``sweep`` section."""
    data = {"kind": "sweep", **run_manifest(plan.base, seed=plan.seed, replications=plan.replications, workers=workers,
                                            started=started, wall_seconds=time.perf_counter() - clock,
                                            source=plan.source, overrides=plan.overrides)}
    if executor == "dask":
        from importlib import metadata

        for name in ("dask", "distributed"):
            with contextlib.suppress(metadata.PackageNotFoundError):
                data["versions"][name] = metadata.version(name)
    data["sweep"] = {
        "status": status,
        "grid": plan.grid,
        "points": [{"point": p.index, "grid": p.values, "scenario_sha256": p.scenario.digest()} for p in plan.points],
        "tasks": plan.total,
        "tasks_reused": reused,
        "tasks_run": ran,
        "executor": executor,
        "scheduler": connection.address if connection is not None else None,
        "task_files": f"{TASKS}/<point>-<replication>.json",
        "tables": [SUMMARY_FILE, REPLICATIONS_FILE],
        "common_random_numbers": "every grid point runs with the same seed and replication numbers",
        "failures": [{"point": f.point, "grid": f.grid, "replication": f.replication, "error": f.error,
                      "traceback": f.traceback} for f in failures],
    }
    return data
