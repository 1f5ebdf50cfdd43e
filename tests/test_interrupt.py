"""Ctrl-C stops a command cleanly on any number of workers (:mod:`capsim.pool`), and printing
leaves no Chromium profile behind (:mod:`capsim.pdf`).

A terminal's Ctrl-C sends SIGINT to every process of the command (its process group): the tests
start capsim in a session of its own and signal the whole group, as a terminal does. They wait
for a state of the command by polling it (its worker processes busy, its staging folder, its
Chromium), never for a fixed time; every wait has a deadline only a hang reaches.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import psutil
import pytest

from capsim.output import recover
from capsim.pdf import find_chromium
from capsim.pool import GUARD_SECONDS, worker_pool

HANG = 60
"""Seconds an interrupted command may take to stop: it takes a few; only a hang reaches this."""

READY = 240
"""Seconds to wait for the state a test interrupts in (a loaded machine runs the engine slowly)."""

BUSY_CPU = 0.5
"""CPU seconds each worker has used when a run is interrupted: it is simulating, well past the
start-up in which it learns to ignore SIGINT."""

needs_chromium = pytest.mark.skipif(find_chromium() is None, reason="needs Chromium (apt-get install chromium)")


def start(tmp_path: Path, *args: str) -> subprocess.Popen:
    """Start ``capsim *args`` in ``tmp_path``, in a process group of its own, its temporary files in tmp_path/tmp."""
    (tmp_path / "tmp").mkdir(exist_ok=True)
    env = dict(os.environ, TMPDIR=str(tmp_path / "tmp"), COLUMNS="200")
    return subprocess.Popen([sys.executable, "-m", "capsim.cli", *args], cwd=tmp_path, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def wait_until(child: subprocess.Popen, ready: Callable[[list[psutil.Process]], bool],
               seen: dict[psutil.Process, str]) -> None:
    """Poll ``child`` every 20 ms until ``ready(its descendants)``; keep every descendant seen, with its name, in ``seen``."""
    parent = psutil.Process(child.pid)
    deadline = time.monotonic() + READY
    while time.monotonic() < deadline:
        assert child.poll() is None, f"capsim ended before the test could interrupt it:\n{child.communicate()[1]}"
        try:
            family = parent.children(recursive=True)
        except psutil.NoSuchProcess:
            family = []
        for p in family:
            seen.setdefault(p, name(p))
        if ready(family):
            return
        time.sleep(0.02)
    stop(child)
    pytest.fail(f"capsim did not reach the state to interrupt within {READY} s")


def stop(child: subprocess.Popen) -> None:
    """Kill what is left of ``child``'s process group (a test that failed)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)
    child.communicate()


def ctrl_c(child: subprocess.Popen) -> tuple[int, str]:
    """Send SIGINT to ``child``'s whole process group, as Ctrl-C does; its exit status and standard error."""
    os.killpg(child.pid, signal.SIGINT)
    try:
        _, err = child.communicate(timeout=HANG)
    except subprocess.TimeoutExpired:
        stop(child)
        pytest.fail(f"capsim hung: still running {HANG} s after Ctrl-C")
    return child.returncode, err


def alive(process: psutil.Process) -> bool:
    """Whether ``process`` still runs (a zombie has ended: it waits only to be reaped)."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def name(process: psutil.Process) -> str:
    """``process``'s name ("" once it is gone)."""
    try:
        return process.name()
    except psutil.NoSuchProcess:
        return ""


def running(processes: Iterable[psutil.Process]) -> list[str]:
    """Those of ``processes`` still running a second after the command ended (time for the
    system to reap what it let go), as "pid name"."""
    deadline = time.monotonic() + 1.0
    while (left := [p for p in processes if alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    for p in left:  # clean up before the assertion fails
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()
    return [f"{p.pid} {name(p)}" for p in left]


def contents(folder: Path) -> dict[str, str]:
    """Every file under ``folder``, by relative path: its SHA-256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def hidden(folder: Path) -> list[str]:
    """What an interrupted write could leave in ``folder``: staging and set-aside folders, lock files."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def busy_workers(count: int) -> Callable[[list[psutil.Process]], bool]:
    """Ready once ``count`` worker processes have each used :data:`BUSY_CPU` CPU seconds."""
    def ready(family: list[psutil.Process]) -> bool:
        used = []
        for p in family:
            try:
                used.append(sum(p.cpu_times()[:2]))
            except psutil.NoSuchProcess:
                continue
        return sum(u >= BUSY_CPU for u in used) >= count
    return ready


SHORT = ["--set", "clock.horizon=60d"]
"""Each replication of base runs about a second: the run is interrupted among its replications."""


def test_ctrl_c_during_a_run_on_two_workers_stops_it_and_keeps_the_earlier_output(tmp_path):
    earlier = start(tmp_path, "run", "base", "--set", "clock.horizon=30d", "-r", "2", "-w", "1", "--no-report",
                    "--out", "out")
    _, err = earlier.communicate(timeout=READY)
    assert earlier.returncode == 0, err
    before = contents(tmp_path / "out")

    child = start(tmp_path, "run", "base", *SHORT, "-r", "12", "-w", "2", "--out", "out")
    seen: dict[psutil.Process, str] = {}
    wait_until(child, busy_workers(2), seen)
    code, err = ctrl_c(child)

    assert (code, err) == (130, "interrupted: nothing written to out\n")
    assert running(seen) == []
    assert contents(tmp_path / "out") == before
    assert hidden(tmp_path) == []


def test_ctrl_c_while_the_charts_are_drawn_on_forked_workers_stops_cleanly(tmp_path):
    child = start(tmp_path, "run", "base", "--set", "clock.horizon=30d", "-r", "2", "-w", "2", "--out", "out")
    seen: dict[psutil.Process, str] = {}

    def drawing(family: list[psutil.Process]) -> bool:  # the chart workers are forked once charts/ is made
        return bool(family) and any((staging / "charts").is_dir() for staging in tmp_path.glob(".out.partial-*"))

    wait_until(child, drawing, seen)
    code, err = ctrl_c(child)

    assert (code, err) == (130, "interrupted: nothing written to out\n")
    assert running(seen) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tmp"]


@pytest.mark.parametrize("command", [
    ["budget", "base", *SHORT, "-r", "40", "-w", "2", "--out", "out"],  # 12 could end before both workers were seen busy
    ["staff", "growth-central", "-r", "6", "-w", "2", "--out", "out"],
    ["sweep", "base", "--grid", "workforce.analysts.headcount=10,12,14", *SHORT, "-r", "16", "-w", "2", "--out",
     "out"],  # 4 could end before both workers were seen busy (it is interrupted once they are: no longer to run)
    ["uncertainty", "growth-central", "-n", "2", "-r", "2", "-w", "2", "--out", "out"],
], ids=["budget", "staff", "sweep", "uncertainty"])
def test_ctrl_c_stops_every_command_that_runs_on_workers(tmp_path, command):
    child = start(tmp_path, *command)
    seen: dict[psutil.Process, str] = {}
    wait_until(child, busy_workers(2), seen)
    code, err = ctrl_c(child)

    assert code == 130 and err.count("\n") == 1 and err.startswith("interrupted"), err
    if command[0] in ("sweep", "uncertainty"):  # written task by task: what is kept, and how to finish
        assert err == "interrupted; finished tasks are kept in out/tasks: run the same command again to finish\n"
    assert running(seen) == []


def test_the_workers_of_a_killed_run_exit_too(tmp_path):
    # SIGKILL runs no exit hook: the workers, waiting on the pool's queue, outlived the command.
    # 40 replications (about 20 s on two workers): 12 could end before both workers were seen busy
    child = start(tmp_path, "run", "base", *SHORT, "-r", "40", "-w", "2", "--out", "out")
    seen: dict[psutil.Process, str] = {}
    wait_until(child, busy_workers(2), seen)
    child.kill()
    # not its output: a worker left running would hold it open; killed, not ended on its own (its
    # workers would then have been stopped by the pool, not by its death)
    assert child.wait(timeout=HANG) == -signal.SIGKILL
    deadline = time.monotonic() + HANG  # each worker looks every half second, then ends its replication
    while any(alive(p) for p in seen) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert running(seen) == []


def test_a_worker_interrupted_as_it_is_forked_ignores_it_and_the_command_stops(monkeypatch, capfd):
    # Ctrl-C reaching the command and a worker in the instant the worker is forked: the worker
    # printed a KeyboardInterrupt traceback and died (a broken pool); the command went on.
    forked = []
    fork = os.fork

    def fork_then_ctrl_c() -> int:
        pid = fork()
        if pid:
            forked.append(pid)
        os.kill(os.getpid(), signal.SIGINT)  # in the worker, and in the command
        return pid

    monkeypatch.setattr(os, "fork", fork_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt), worker_pool(2, mp_context=multiprocessing.get_context("fork")) as pool:
        pool.submit(os.getpid)
        pytest.fail("the interrupt was not raised once the workers had started")
    monkeypatch.undo()
    assert len(forked) == 2
    assert running({psutil.Process(pid) for pid in forked if psutil.pid_exists(pid)}) == []
    assert "Traceback" not in capfd.readouterr().err


def test_workers_outlive_no_command_yet_work_under_any_start_method():
    """The guard asks whether the command still exists, not whether it is the worker's parent:
    under forkserver (Python 3.14's default on Linux) the parent is the fork server, and a guard
    that asked that stopped every worker within its first look (half a second)."""
    with worker_pool(1, mp_context=multiprocessing.get_context("forkserver")) as pool:
        assert pool.submit(time.sleep, 3 * GUARD_SECONDS).result(timeout=HANG) is None


def test_workers_ignore_ctrl_c_and_leave_it_to_the_command():
    with worker_pool(2) as pool:
        assert set(pool.map(signal.getsignal, [signal.SIGINT] * 4)) == {signal.SIG_IGN}
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def chromium_printing(family: list[psutil.Process]) -> bool:
    """Ready once capsim has started Chromium."""
    return any("chrom" in name(p) for p in family)


def printing_brief(tmp_path: Path) -> tuple[subprocess.Popen, dict[psutil.Process, str]]:
    """A `capsim brief` of base started in ``tmp_path`` and waited for until Chromium prints it; its
    descendants seen, with their names."""
    child = start(tmp_path, "brief", "base", "--set", "clock.horizon=30d", "-r", "2", "-w", "1",
                  "--no-what-it-takes", "--out", "out")
    seen: dict[psutil.Process, str] = {}
    wait_until(child, chromium_printing, seen)
    return child, seen


@needs_chromium
def test_ctrl_c_while_chromium_prints_leaves_no_profile_and_no_chromium(tmp_path):
    child, seen = printing_brief(tmp_path)
    # by their names now: one seen as it was forked may have been named for the program that forked it
    chromium = [p for p in seen if "chrom" in name(p) or "chrom" in seen[p]]
    code, err = ctrl_c(child)

    assert (code, err) == (130, "interrupted: nothing written to out\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tmp"]
    assert chromium and running(chromium) == []


@needs_chromium
def test_a_profile_left_by_a_capsim_killed_while_printing_goes_with_its_staging_folder(tmp_path):
    child, seen = printing_brief(tmp_path)
    child.kill()  # SIGKILL: nothing of capsim's runs after it
    child.wait(timeout=HANG)
    deadline = time.monotonic() + HANG  # Chromium finishes its page, or dies with its pipe
    while any(alive(p) for p in seen) and time.monotonic() < deadline:
        time.sleep(0.1)
    running(seen)

    assert list(tmp_path.glob(".out.partial-*/.chromium-profile-*"))
    recover(tmp_path / "out")  # as the next command writing out/ does
    assert [p.name for p in tmp_path.iterdir() if "chromium" in p.name or ".partial-" in p.name] == []
