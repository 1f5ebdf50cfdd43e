"""Sweeps (``capsim sweep`` and :func:`capsim.sweep.sweep`): grids, executors, resuming, failures.

The promises tested here: a sweep's tables are the same byte for byte on the local executor
and on a Dask cluster (real scheduler and workers on loopback); a sweep killed part-way and
run again finishes with the tables of one never interrupted, without running any finished
task again; a task that raises is reported with its grid point and costs no other task's
result; bad input (a key the scenario lacks, an empty value list, an unreachable scheduler,
a folder of another sweep) ends with exit status 2 and a message that names the problem.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import capsim.sweep as sweeping
from capsim.cli import app
from capsim.sweep import SweepError, SweepFailed, parse_grid, split_values, sweep

CAPSIM = Path(sys.executable).parent / "capsim"

TINY = """\
name: tiny
clock: {horizon: 2d, start: 2024-01-01, step: 6h}
demand:
  - {stream: reports, unit: report, rate: 150/day, priority: normal}
  - {stream: tips, unit: report, rate: 20/day, priority: urgent}
review:
  report: {dist: exponential, mean: 5min}
workforce:
  - {team: analysts, headcount: 2, roster: 24/7, exposure_cap: 20h/day}
sla:
  - {priority: normal, within: 24h, target: 0.9}
costs: {currency: GBP, teams: {analysts: {annual_cost: 40000}}}
experiment: {replications: 2, seed: 7}
"""

# About a million items a task (a few tenths of a second), so that a sweep can be killed part-way.
SLOW = """\
name: slow
clock: {horizon: 10d, start: 2024-01-01, step: 6h}
demand:
  - {stream: images, unit: image, rate: 100000/day, priority: normal}
review:
  image: {dist: exponential, mean: 30s}
workforce:
  - {team: analysts, headcount: 40, roster: 24/7}
experiment: {replications: 3, seed: 3}
"""

GRID = {"workforce.analysts.headcount": [1, 2], "review.report.mean": ["4min", "5min"]}
TABLES = (sweeping.SUMMARY_FILE, sweeping.REPLICATIONS_FILE)
runner = CliRunner()


@pytest.fixture
def tiny(tmp_path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return path


def tables(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in TABLES}


def task_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / sweeping.TASKS).glob("*.json"))}


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"capsim {' '.join(map(str, args))} crashed: {result.exception!r}\n{result.output}")
    return result


# --------------------------------------------------------------------------- the grid


def test_values_split_at_commas_outside_brackets():
    assert split_values("10, 12,14") == ["10", "12", "14"]
    assert split_values("[mon,tue],[sat, sun]") == ["[mon,tue]", "[sat, sun]"]
    assert split_values("'a,b',c") == ["'a,b'", "c"]
    assert parse_grid(["a.b=1,2", "c=60s"]) == {"a.b": ["1", "2"], "c": ["60s"]}


@pytest.mark.parametrize("spec, message", [
    ("workforce.analysts.headcount=", "list of values is empty"),
    ("workforce.analysts.headcount= ", "list of values is empty"),
    ("workforce.analysts.headcount=1,,2", "a value is empty"),
    ("headcount", "dotted.key=v1,v2"),
    ("a..b=1", "dotted.key=v1,v2"),
])
def test_bad_grid_specs(spec, message):
    with pytest.raises(SweepError, match=message):
        parse_grid([spec])


# --------------------------------------------------------------------------- tables and API


def test_api_sweep_tables(tiny, tmp_path):
    result = sweep(tiny, GRID, replications=3, seed=7, out=tmp_path / "out")
    summary, reps = result.summary, result.per_replication
    keys = list(GRID)
    assert list(summary.columns) == ["point", *keys, "metric", "mean", "ci_low", "ci_high", "p10", "p50", "p90"]
    assert list(reps.columns[:4]) == ["point", *keys, "replication"]
    assert len(reps) == 4 * 3 and reps.groupby("point").size().tolist() == [3] * 4
    assert summary.groupby("point").size().nunique() == 1 and "sla_normal" in set(summary.metric)
    assert reps[keys[0]].tolist() == [1] * 6 + [2] * 6  # the last key changes fastest
    # common random numbers: every grid point sees the same arrivals in replication r
    arrivals = reps.pivot(index="replication", columns="point", values="arrivals")
    assert (arrivals.nunique(axis=1) == 1).all()
    # the files hold the same tables as the API returns
    out = tmp_path / "out"
    assert {p.name for p in out.iterdir()} >= {*TABLES, "manifest.json", "tasks"}
    assert len(task_files(out)) == 12
    pd.testing.assert_frame_equal(pd.read_csv(out / sweeping.SUMMARY_FILE), summary, check_dtype=False)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sweep"]["status"] == "complete" and manifest["seed"] == 7
    assert [p["grid"] for p in manifest["sweep"]["points"]][1] == {keys[0]: "1", keys[1]: "5min"}
    # the CLI with the same grid as text writes the same bytes
    cli = invoke("sweep", tiny, "--grid", "workforce.analysts.headcount=1,2", "--grid", "review.report.mean=4min,5min",
                 "-r", 3, "--seed", 7, "--out", tmp_path / "cli")
    assert cli.exit_code == 0, cli.output
    assert "4 grid point(s)" in cli.stdout and "12 run now" in cli.stdout
    assert tables(tmp_path / "cli") == tables(out)


def test_a_key_left_at_its_default_can_be_swept(tiny, tmp_path):
    """shrinkage is not written in the file, but the validated scenario has it (0)."""
    result = sweep(tiny, {"workforce.analysts.shrinkage": [0.0, 0.5]}, replications=1, out=tmp_path / "o")
    means = result.summary.set_index(["point", "metric"])["mean"]
    assert means[(1, "utilisation")] > means[(0, "utilisation")]  # fewer analyst-shifts, the same work


# --------------------------------------------------------------------------- executors


def test_dask_cluster_gives_the_same_bytes_as_local_processes(tiny, tmp_path):
    distributed = pytest.importorskip("distributed")
    local = sweep(tiny, GRID, replications=3, seed=7, out=tmp_path / "local", workers=1)
    assert local.tasks_run == 12
    pool = sweep(tiny, GRID, replications=3, seed=7, out=tmp_path / "pool", workers=2)
    assert tables(tmp_path / "pool") == tables(tmp_path / "local")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        on_dask = sweep(tiny, GRID, replications=3, seed=7, out=tmp_path / "dask", executor="dask",
                        scheduler=cluster.scheduler_address)
    assert on_dask.tasks_run == 12 and on_dask.manifest["sweep"]["scheduler"] == cluster.scheduler_address
    assert tables(tmp_path / "dask") == tables(tmp_path / "local")
    # the tasks really ran elsewhere: in the cluster's worker processes, not in this one
    pids = {json.loads(b)["run"]["pid"] for b in task_files(tmp_path / "dask").values()}
    assert os.getpid() not in pids
    assert pool.manifest["sweep"]["executor"] == "local"


def test_unreachable_scheduler_exits_2_with_one_line(tiny, tmp_path):
    result = subprocess.run([str(CAPSIM), "sweep", str(tiny), "--grid", "workforce.analysts.headcount=1,2",
                             "--executor", "dask", "--scheduler", "tcp://127.0.0.1:1", "--out", str(tmp_path / "o")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "tcp://127.0.0.1:1" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr  # no finaliser's TimeoutError after it
    assert not (tmp_path / "o").exists()


def test_unreachable_scheduler_honours_the_timeout_and_builds_no_client(monkeypatch):
    """The connection timeout passed in is the one used, and no Client is made for an unreachable
    scheduler (a Client that failed to connect waits twice the timeout more in its finaliser)."""
    distributed = pytest.importorskip("distributed")
    import distributed.comm

    asked = []

    async def refuse(address, timeout=None, **kwargs):
        asked.append((address, timeout))
        raise OSError(f"Timed out trying to connect to {address} after {timeout} s")

    def no_client(*args, **kwargs):
        raise AssertionError("a Client was built for an unreachable scheduler")

    monkeypatch.setattr(distributed.comm, "connect", refuse)
    monkeypatch.setattr(distributed, "Client", no_client)
    with pytest.raises(SweepError, match=r"within 0\.25 s"):
        sweeping.connect_dask("tcp://127.0.0.1:1", workers=1, timeout=0.25)
    assert asked == [("tcp://127.0.0.1:1", 0.25)]


# --------------------------------------------------------------------------- interrupted and failed sweeps


def test_a_killed_sweep_resumes_without_running_any_task_twice(tmp_path):
    scenario = tmp_path / "slow.yaml"
    scenario.write_text(SLOW, encoding="utf-8")
    grid = {"workforce.analysts.headcount": [40, 44]}
    reference = tmp_path / "reference"
    sweep(scenario, grid, out=reference, workers=2)
    total = 2 * 3

    out = tmp_path / "out"
    command = [str(CAPSIM), "sweep", str(scenario), "--grid", "workforce.analysts.headcount=40,44",
               "--workers", "2", "--out", str(out)]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(list((out / sweeping.TASKS).glob("*.json"))) < 2 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    before = task_files(out)
    assert 2 <= len(before) < total, f"the sweep was not killed part-way ({len(before)} of {total} tasks)"
    assert not (out / sweeping.SUMMARY_FILE).exists()

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{total - len(before)} run now, {len(before)} kept" in rerun.stdout
    after = task_files(out)
    assert len(after) == total
    assert all(after[name] == content for name, content in before.items()), "a finished task was run again"
    run_ids = [json.loads(content)["run"]["id"] for content in after.values()]
    assert len(set(run_ids)) == total  # each task ran exactly once over the two invocations
    assert tables(out) == tables(reference)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sweep"]["tasks_run"] == total - len(before) and manifest["sweep"]["tasks_reused"] == len(before)
    assert not list((out / sweeping.TASKS).glob(".*.tmp"))


def test_a_failing_task_is_reported_and_the_others_kept(tiny, tmp_path, monkeypatch):
    original = sweeping.run_task

    def fragile(scenario, seed, replication, periods=None, measures="all"):
        if scenario.review["report"].mean == 300 and scenario.workforce[0].headcount == 2 and replication == 1:
            raise RuntimeError("injected failure")
        return original(scenario, seed, replication, periods, measures)

    monkeypatch.setattr(sweeping, "run_task", fragile)
    out = tmp_path / "out"
    with pytest.raises(SweepFailed) as failed:
        sweep(tiny, GRID, replications=2, seed=7, out=out, workers=1)
    [failure] = failed.value.failures
    assert (failure.point, failure.replication) == (3, 1)
    assert failure.grid == {"workforce.analysts.headcount": "2", "review.report.mean": "5min"}
    assert "RuntimeError: injected failure" in failure.error and "fragile" in failure.traceback
    assert len(task_files(out)) == 7 and not (out / sweeping.TASKS / "3-1.json").exists()
    assert not (out / sweeping.SUMMARY_FILE).exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sweep"]["status"] == "failed" and manifest["sweep"]["failures"][0]["replication"] == 1

    # the command line says which point and replication, and exits 1 (on one worker: this process, where fragile is)
    cli = invoke("sweep", tiny, "--grid", "workforce.analysts.headcount=1,2", "--grid", "review.report.mean=4min,5min",
                 "-r", 2, "--seed", 7, "--workers", 1, "--out", tmp_path / "cli")
    assert cli.exit_code == 1
    assert "point 3 (workforce.analysts.headcount=2, review.report.mean=5min), replication 1" in cli.stderr
    assert "RuntimeError: injected failure" in cli.stderr

    # fixed, the same sweep runs only the missing task and matches a clean sweep
    monkeypatch.setattr(sweeping, "run_task", original)
    kept = task_files(out)
    again = sweep(tiny, GRID, replications=2, seed=7, out=out)
    assert (again.tasks_run, again.tasks_reused) == (1, 7)
    assert all(task_files(out)[name] == content for name, content in kept.items())
    sweep(tiny, GRID, replications=2, seed=7, out=tmp_path / "clean")
    assert tables(out) == tables(tmp_path / "clean")


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("args, expected", [
    (["--grid", "workforce.analysts.headcont=1,2"], ["workforce.analysts.headcont", "no such key", "headcount"]),
    (["--grid", "review.video.mean=60s"], ["review.video.mean", "no such key", "review has: report"]),
    (["--grid", "workforce.nobody.headcount=3"], ["workforce.nobody.headcount", "no such key"]),
    (["--grid", "workforce.analysts.headcount="], ["workforce.analysts.headcount", "empty"]),
    (["--grid", "workforce.analysts.headcount=2,-1"], ["grid point 1", "headcount=-1", "-1 is too small; allowed: a whole number from 0 to 100,000"]),
    (["--grid", "workforce.analysts.headcount=2", "--executor", "spark"], ["--executor 'spark'"]),
    (["--grid", "workforce.analysts.headcount=2", "--scheduler", "tcp://127.0.0.1:1"], ["--executor dask"]),
    (["--grid", "workforce.analysts.headcount=1", "--grid", "workforce.analysts.headcount=2"], ["given twice"]),
])
def test_bad_input_exits_2_naming_the_problem(tiny, tmp_path, args, expected):
    result = invoke("sweep", tiny, *args, "--out", tmp_path / "o")
    assert result.exit_code == 2, result.output
    for text in expected:
        assert text in result.stderr, (text, result.stderr)
    assert not (tmp_path / "o").exists()


def test_a_folder_of_another_sweep_is_refused(tiny, tmp_path):
    out = tmp_path / "o"
    assert invoke("sweep", tiny, "--grid", "workforce.analysts.headcount=1,2", "--out", out).exit_code == 0
    for args in (["--seed", "8"], ["--set", "review.report.mean=6min"]):
        result = invoke("sweep", tiny, "--grid", "workforce.analysts.headcount=1,2", "--out", out, *args)
        assert result.exit_code == 2
        assert "holds another sweep" in result.stderr and "tasks/0-0.json" in result.stderr
    run = invoke("run", tiny, "--out", tmp_path / "run")
    assert run.exit_code == 0
    result = invoke("sweep", tiny, "--grid", "workforce.analysts.headcount=1", "--out", tmp_path / "run")
    assert result.exit_code == 2 and "holds a capsim run output, not a sweep output" in result.stderr
