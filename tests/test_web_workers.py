"""The web server's kept worker processes (:mod:`capsim.web.workers`): started once, warm, shared by
every run, spawned rather than forked from the server's threads, and gone when the server is."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from capsim import bundled
from capsim.experiment import simulate
from capsim.scenario import load_scenario
from capsim.staffing import solve_staffing
from capsim.web import running, workers

pytestmark = pytest.mark.skipif(workers.WORKERS < 2, reason="one core: the page runs in its own process")

HELD = threading.Lock()
"""Held by the test's process while a pool starts (as some thread of a server may hold any lock)."""


def held_lock_is_free() -> bool:
    """In a worker: whether :data:`HELD` can be taken (within 5 s)."""
    return HELD.acquire(timeout=5)


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie (this test's grandchildren are reaped by init)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def test_runs_share_the_same_warm_workers_and_give_the_numbers_of_one_process():
    pids = workers.wait_until_warm()
    assert len(set(pids)) == workers.WORKERS
    scenario = load_scenario(bundled.path("base"), ["clock.horizon=60d", "experiment.replications=3"])
    first, second = running.run(scenario), running.run(scenario)
    pool = workers.executor()
    assert {pool.submit(os.getpid).result() for _ in range(4)} <= set(pids)  # the same processes, kept
    alone = simulate(scenario, workers=1)
    for result in (first, second):
        pd.testing.assert_frame_equal(result.summary_by_period(), alone.summary_by_period(), check_exact=True)
        pd.testing.assert_frame_equal(result.timeseries, alone.timeseries, check_exact=True)


def test_every_thread_gets_the_one_pool():
    seen: list = []
    threads = [threading.Thread(target=lambda: seen.append(workers.executor())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8 and all(pool is seen[0] for pool in seen)


def test_workers_do_not_inherit_a_lock_the_server_holds(monkeypatch):
    """A forked worker would copy the lock held (with no thread left to release it) and wait for ever."""
    # a pool of this test's own, started while the lock is held; the server's pool, its warm-up queue and
    # the pids read from it are all given back afterwards (a later test waits on that queue)
    for name, value in (("_pool", None), ("_warm", None), ("_warmed", [])):
        monkeypatch.setattr(workers, name, value)
    with HELD:
        pool = workers.executor()
    try:
        assert pool.submit(held_lock_is_free).result(timeout=300)
    finally:
        workers.discard(pool)


@pytest.mark.parametrize("end", ["exits", "is killed"])
def test_the_workers_end_with_the_server(end):
    code = ("from capsim.web import workers; print(*workers.wait_until_warm(), flush=True)"
            + ("; import time; time.sleep(600)" if end == "is killed" else ""))
    server = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    pids = [int(p) for p in server.stdout.readline().split()]
    assert len(pids) == workers.WORKERS and all(alive(p) for p in pids)
    if end == "is killed":
        server.kill()  # SIGKILL: no exit hook runs; each worker's guard sees its parent gone
    server.wait(timeout=120)
    deadline = time.monotonic() + 60  # the guard looks every 0.5 s; generous for a loaded machine
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(p) for p in pids)


def test_a_staffing_plan_runs_on_the_kept_workers_and_leaves_them_running(monkeypatch):
    # It started a pool of its own, forked from the server's threads, for each plan.
    import capsim.staffing

    pids = workers.wait_until_warm()
    scenario = load_scenario(bundled.path("base"), ["clock.horizon=120d", "experiment.replications=3"])
    with monkeypatch.context() as patch:
        patch.setattr(capsim.staffing, "worker_pool", lambda *a, **k: pytest.fail("a pool of its own"))
        kept = running.staffing(scenario, "analysts", "quarter", 0.8)
    alone = solve_staffing(scenario, "analysts", period="quarter", confidence=0.8, workers=1)
    assert kept.workers == workers.WORKERS and kept.staffing == alone.staffing
    pd.testing.assert_frame_equal(kept.table(), alone.table(), check_exact=True)
    pool = workers.executor()
    assert {pool.submit(os.getpid).result() for _ in range(4)} <= set(pids)  # still there, the same processes
