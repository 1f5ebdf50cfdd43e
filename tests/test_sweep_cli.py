"""``capsim sweep`` as a user trial found it: it ran on one worker unless --workers was given
(the README says every command that simulates uses the cores capsim may use, within memory),
and its table's headings, metric ids and grid keys, folded at any character ("time_to_a" over
"ssessment", "sla_norma" over "l_origina" over "l") instead of after their ``_`` and ``.``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import capsim.cli as cli
import capsim.memory as memory
import capsim.sweep as sweeping
from capsim.scenario import load_scenario
from tests.test_narrow_terminal import printed, tables
from tests.test_sweep import TINY

COLUMNS = ["point", "workforce.analysts.headcount", *cli.SWEEP_HEADLINE[:2], "sla_normal", "sla_normal_original",
           *cli.SWEEP_HEADLINE[2:]]
"""A sweep table's headings: its grid key and metric ids."""


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """The tiny scenario of tests/test_sweep.py (two days, a few hundred items), as a file."""
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return path


def sweep_workers(tiny: Path, out: Path, *args: str) -> int:
    """The workers ``capsim sweep`` ran a two-point grid of ``tiny`` on, as its manifest records them."""
    done = CliRunner().invoke(cli.app, ["sweep", str(tiny), "--grid", "workforce.analysts.headcount=1,2", *args,
                                        "--out", str(out)])
    assert done.exit_code == 0, done.output
    return json.loads((out / "manifest.json").read_text())["workers"]


def test_sweep_uses_the_usable_cores_unless_told(tiny, tmp_path, monkeypatch):
    monkeypatch.setattr(memory.os, "sched_getaffinity", lambda _: {0, 1, 2})
    assert sweep_workers(tiny, tmp_path / "default", "-r", "2") == 3  # 4 tasks, 3 cores
    assert sweep_workers(tiny, tmp_path / "one-replication", "-r", "1") == 2  # at most one per task
    assert sweep_workers(tiny, tmp_path / "told", "-r", "2", "--workers", "1") == 1
    for table in (sweeping.SUMMARY_FILE, sweeping.REPLICATIONS_FILE):  # the same whatever the workers
        assert (tmp_path / "default" / table).read_bytes() == (tmp_path / "told" / table).read_bytes()


def test_sweep_chooses_no_more_workers_than_fit_at_every_grid_point(tiny, monkeypatch):
    monkeypatch.setattr(memory.os, "sched_getaffinity", lambda _: set(range(8)))
    short, long = (load_scenario(tiny, overrides=[f"clock.horizon={h}", "clock.step=1min"]) for h in ("2d", "400d"))
    need = {(s.clock.horizon, w): memory.run_estimate(s, 1, w).total for s in (short, long) for w in (2, 3)}
    room = (need[long.clock.horizon, 2] + need[long.clock.horizon, 3]) / 2  # the long point fits 2 workers, not 3
    assert need[short.clock.horizon, 3] < room
    monkeypatch.setattr(memory, "budget", lambda: room)
    grid = {"clock.horizon": ["2d", "400d"]}
    assert sweeping.plan_sweep(tiny, {"clock.horizon": ["2d"]}, 3, overrides=["clock.step=1min"],
                               workers=None).workers == 3  # one per task
    assert sweeping.plan_sweep(tiny, grid, 3, overrides=["clock.step=1min"], workers=None).workers == 2
    alone = [memory.run_estimate(s, 1, 1).total for s in (short, long)]
    monkeypatch.setattr(memory, "budget", lambda: sum(alone) / 2)  # the long point does not fit on one worker
    with pytest.raises(sweeping.SweepError, match=r"grid point 1 \(clock.horizon=400d\):\n.*too large for this"):
        sweeping.plan_sweep(tiny, grid, 3, overrides=["clock.step=1min"], workers=None)


def test_a_remote_scheduler_is_not_given_the_local_cores(tiny, tmp_path, monkeypatch):
    monkeypatch.setattr(memory.os, "sched_getaffinity", lambda _: {0, 1, 2})
    asked = []

    def unreachable(scheduler: str, workers: int) -> None:
        asked.append(workers)
        raise sweeping.SweepError(f"--scheduler {scheduler}: unreachable")

    monkeypatch.setattr(sweeping, "connect_dask", unreachable)
    done = CliRunner().invoke(cli.app, ["sweep", str(tiny), "--grid", "workforce.analysts.headcount=1,2",
                                        "--executor", "dask", "--scheduler", "tcp://127.0.0.1:1",
                                        "--out", str(tmp_path / "remote")])
    assert done.exit_code == 2 and "unreachable" in done.output
    assert asked == [1]  # the scheduler's own workers run the tasks


def test_sweep_help_gives_the_default_workers():
    text = " ".join(CliRunner().invoke(cli.app, ["sweep", "--help"], terminal_width=200).output.split())
    assert "Default: the cores this process may use, at most one per task" in text


def headings(table: list[str]) -> list[list[str]]:
    """The lines of each column's heading in ``table`` (its lines as printed), left to right."""
    rows = [line.split("┃")[1:-1] for line in table if line.startswith("┃")]
    return [[row[i].strip() for row in rows if row[i].strip()] for i in range(len(rows[0]))]


def folded_at_breaks(lines: list[str], name: str) -> bool:
    """``lines`` (a heading as printed) read ``name`` exactly, each but the last ending after a ``_`` or ``.``."""
    return "".join(lines) == name and all(line[-1] in "_." for line in lines[:-1])


@pytest.mark.parametrize("width", [60, 80, 100, 120, 140])
def test_id_headings_fold_after_their_underscores_and_dots(width, monkeypatch):
    monkeypatch.setattr(cli, "out_console", Console(width=width))
    row = ["0", "12", "45,469", "1,684", "0.9", "0.85", "21.83", "49.9", "0.8692", "52,806"]
    with cli.out_console.capture() as captured:
        cli.out_console.print(cli.capsim_table(COLUMNS, [row], numbers=[c for c in COLUMNS if c != COLUMNS[1]]))
    shown = [lines for table in tables(captured.get()) for lines in headings(table)]
    for name in COLUMNS:
        folded = [lines for lines in shown if "".join(lines) == name]
        assert folded and all(folded_at_breaks(lines, name) for lines in folded), (width, name, captured.get())


def test_the_sweep_table_folds_its_headings_at_80_columns(tmp_path, monkeypatch):
    text = printed(monkeypatch, 80, "sweep", "base", "--grid", "workforce.analysts.headcount=12,14", "-r", "1",
                   "--set", "clock.horizon=40d", "--workers", "1", "--out", str(tmp_path / "s"))
    shown = [lines for table in tables(text) for lines in headings(table)]
    for name in ["workforce.analysts.headcount", *cli.SWEEP_HEADLINE, "sla_normal", "sla_normal_analysts"]:
        folded = [lines for lines in shown if "".join(lines) == name]
        assert folded and all(folded_at_breaks(lines, name) for lines in folded), (name, text)


def test_a_metric_id_in_a_prose_cell_breaks_after_its_underscores():
    assert cli.names_broken("(iwf23_analyst_hours_total)", 25) == "(iwf23_analyst_hours_\ntotal)"
