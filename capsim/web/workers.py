"""The web server's worker processes: started once per server, warmed at once, shared by every run.

A run on the page shares its replications between :data:`WORKERS` processes. Started for each run
(as ``capsim run`` starts its own), each would first import capsim and load the engine's compiled
kernel: about a quarter of the page's whole answer for base at 5 replications. The server keeps
them instead: :func:`executor` starts them on the page's first visit, and each warms itself before
taking any work (it imports the engine, loads the kernel, runs one replication of base and draws
its charts), so that no visitor's run pays for it. The same workers then draw the run's charts side
by side (:func:`capsim.web.answer.answer`) and run the replications of "how many analysts, when"
(:func:`capsim.web.running.staffing`). Numbers do not depend on it: replications are seeded by
their number (:mod:`capsim.experiment`); the charts are the same SVG wherever they are drawn.

They are *spawned* (each a fresh interpreter), never forked from the server: a fork copies a
server that is running threads (Tornado's, each visitor's script, the downloads being made), and
with them every lock some thread held at that instant, held for ever in the copy, and every open
file descriptor. A spawned worker imports the process's main module, which in the server is the
page itself (Streamlit runs it as ``__main__``): the page draws itself only under
``if __name__ == "__main__"``, so the worker imports it without running it. Each worker watches
the server and exits when it dies, even by SIGKILL (:func:`capsim.pool.orphan_guard`), and the
executor's own exit hook stops them when the server exits. A pool broken by a worker's death (out
of memory, killed) is let go and replaced on the next run (:func:`on_workers`).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")

WORKERS = min(2, os.cpu_count() or 1)
"""Local processes sharing a run's replications (results do not depend on it): two, where there are
two cores, so that the page answers in about half the time (``benchmarks/bench_web.py``)."""
WARM_UP = ("experiment.replications=1",)
"""The ``--set`` overrides of base that each worker runs once when it starts: one replication of its year.
Measured (bench_web.py, 2026-11-26): after a five-week one, a worker's first base run took about 1.5 times
the CPU of its later ones (its memory not yet in use, :mod:`capsim.heap`); after a year, the same."""

_pool: ProcessPoolExecutor | None = None
_warm: multiprocessing.queues.Queue | None = None  # each worker puts its process id here once it is warm
_warmed: list[int] = []  # the process ids read from it
_lock = threading.Lock()


def executor() -> ProcessPoolExecutor | None:
    """The server's :data:`WORKERS` worker processes, started (and warming) on the first call; the
    same ones on every later call, from any thread. None where there is one core (runs stay in the server)."""
    global _pool, _warm
    if WORKERS < 2:
        return None
    with _lock:
        if _pool is None:
            context = multiprocessing.get_context("spawn")
            _warm = context.Queue()
            _warmed.clear()
            _pool = ProcessPoolExecutor(WORKERS, mp_context=context, initializer=_start, initargs=(os.getpid(), _warm))
            for _ in range(WORKERS):  # a spawning pool starts a process for each task that finds none idle
                _pool.submit(os.getpid)
        return _pool


def wait_until_warm(timeout: float = 300) -> list[int]:
    """Start the workers if need be and wait until each is warm; their process ids (none with one core).
    Raises TimeoutError if they are not warm within ``timeout`` seconds."""
    if executor() is None:
        return []
    deadline = time.monotonic() + timeout
    while len(_warmed) < WORKERS:
        try:
            _warmed.append(_warm.get(timeout=max(deadline - time.monotonic(), 0.01)))
        except queue.Empty:
            raise TimeoutError(f"the web page's {WORKERS} worker processes were not warm "
                               f"within {timeout:g} s") from None
    return list(_warmed)


def on_workers(call: Callable[[ProcessPoolExecutor | None], T]) -> T:
    """``call(executor())``. If a worker died meanwhile (out of memory, killed), the pool is broken:
    it is let go, so that the next call starts new workers, and the error raised."""
    pool = executor()
    try:
        return call(pool)
    except BrokenProcessPool:
        if pool is not None:
            discard(pool)
        raise


def discard(pool: ProcessPoolExecutor) -> None:
    """Forget ``pool`` (broken: a worker died) so that the next :func:`executor` call starts new workers."""
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


def _start(server: int, warm: multiprocessing.queues.Queue) -> None:
    """In a new worker: watch the server, warm up (a short run and its charts), then say so on ``warm``."""
    from capsim import bundled
    from capsim.charts.run import run_chart_stems
    from capsim.experiment import simulate
    from capsim.scenario import load_scenario
    from capsim.pool import orphan_guard
    from capsim.web.answer import chart_svg

    orphan_guard(server)
    result = simulate(load_scenario(bundled.path("base"), list(WARM_UP)))
    for stem in run_chart_stems(result):
        chart_svg(result, stem)
    warm.put(os.getpid())
